# Повідомлення інтерфейсу Rapport: українська, переклад з англійської (мови оригіналу).
# Кожен ключ є в усіх файлах: en.ftl, pl.ftl, es.ftl і uk.ftl (це перевіряє тест).
## Макет, спільний для всіх сторінок
app-name = Rapport
nav-skip = Перейти до вмісту
nav-main = Головна навігація
nav-home = Головна
nav-companies = Компанії
nav-contacts = Контакти
nav-leads = Ліди
nav-opportunities = Угоди
nav-activities = Активності
nav-search = Пошук
nav-search-placeholder = Пошук у всіх записах (Ctrl+K)
nav-profile = Мій профіль
nav-sign-out = Вийти
nav-signed-in-as = Ви ввійшли як { $name }

## Вхід
login-title = Вхід
login-workspace = Робочий простір
login-workspace-hint = Залиште порожнім, якщо на цьому сервері лише один робочий простір.
login-email = Електронна пошта
login-password = Пароль
login-submit = Увійти
login-failed = Неправильна електронна адреса або пароль, або обліковий запис вимкнено.
login-rate-limited = Забагато спроб входу. Спробуйте ще раз через { $seconds } с.
login-signed-out = Ви вийшли з системи.

## Головна
home-title = Головна
home-greeting = Раді вас бачити, { $name }
home-overdue = Прострочені
home-today = На сьогодні
home-no-tasks = Термінових завдань немає. Чудова робота.
home-pipeline = Мої відкриті угоди
home-pipeline-empty = У вас немає відкритих угод.
home-stage = Етап
home-count = Кількість угод
home-total = Сума
home-weighted = Зважена сума
home-all-stages = Усі відкриті етапи
home-recent = Остання активність у моїх записах
home-recent-empty = У ваших записах ще нічого не відбувалося.
home-due = Термін: { $when }

## Списки
list-title-company = Компанії
list-title-contact = Контакти
list-title-lead = Ліди
list-title-opportunity = Угоди
list-title-activity = Активності
list-new-company = Нова компанія
list-new-contact = Новий контакт
list-new-lead = Новий лід
list-new-opportunity = Нова угода
list-new-activity = Нова активність
list-search = Пошук у цьому списку
list-search-submit = Шукати
list-filters = Фільтри
list-filter-field = Поле
list-filter-op = Умова
list-filter-value = Значення
list-filter-remove = Видалити цей фільтр
list-filter-add = Додати фільтр
list-apply = Застосувати
list-clear = Очистити все
list-columns = Стовпці
list-sort-by = Сортувати за: { $field }
list-sorted-asc = за зростанням
list-sorted-desc = за спаданням
list-next = Наступна сторінка
list-first = Перша сторінка
list-empty = Немає відповідних записів.
list-total = { $count ->
    [one] { $count } запис
    [few] { $count } записи
    [many] { $count } записів
   *[other] { $count } запису
}
list-select-all = Вибрати все на цій сторінці
list-select = Вибрати: { $name }
list-bulk = З вибраними записами
list-bulk-assign = Призначити
list-bulk-tag = Додати тег
list-bulk-delete = Видалити
list-bulk-run = Виконати
list-bulk-done = { $count ->
    [one] Змінено { $count } запис.
    [few] Змінено { $count } записи.
    [many] Змінено { $count } записів.
   *[other] Змінено { $count } запису.
}
list-bulk-failed = { $count ->
    [one] Не вдалося змінити { $count } запис:
    [few] Не вдалося змінити { $count } записи:
    [many] Не вдалося змінити { $count } записів:
   *[other] Не вдалося змінити { $count } запису:
}
list-export = Експортувати це подання в CSV
list-export-ready = Експорт готовий.
list-export-download = Завантажити CSV
list-views = Збережені подання
list-view-name = Назва подання
list-view-save = Зберегти це подання
list-view-delete = Видалити це подання
list-view-saved = Подання збережено.
list-view-none = Збережених подань ще немає.

## Умови фільтрів
op-eq = дорівнює
op-ne = не дорівнює
op-lt = менше ніж
op-lte = не більше ніж
op-gt = більше ніж
op-gte = не менше ніж
op-in = одне з
op-contains = містить
op-starts_with = починається з
op-is_null = порожнє

## Сторінки записів
record-details = Подробиці
record-edit = Редагувати
record-save = Зберегти
record-cancel = Скасувати
record-create = Створити
record-saved = Збережено.
record-created = Створено.
record-deleted = Видалено.
record-delete = Видалити
record-delete-confirm = Видалити цей запис? Його можна відновити з кошика протягом 30 днів.
record-errors = { $count ->
    [one] { $count } поле потребує уваги.
    [few] { $count } поля потребують уваги.
    [many] { $count } полів потребують уваги.
   *[other] { $count } поля потребують уваги.
}
record-conflict = Хтось інший змінив цей запис, поки ви його редагували. Ваші зміни наведено нижче; перегляньте їх і збережіть ще раз.
record-timeline = Хронологія
record-timeline-empty = Тут ще нічого не відбувалося.
record-timeline-more = Давніші події
record-related = Пов’язане
record-related-contacts = Контакти
record-related-opportunities = Угоди
record-related-activities = Відкриті активності
record-related-none = Поки немає.
record-quick = Зафіксувати або запланувати
record-quick-call = Зафіксувати дзвінок
record-quick-note = Додати нотатку
record-quick-meeting = Запланувати зустріч
record-quick-task = Додати завдання
record-quick-subject = Тема
record-quick-body = Подробиці
record-quick-due = Коли
record-quick-save = Зберегти
record-shares = Спільний доступ
record-shared-with = Доступ надано
record-share-none = Доступ нікому не надано, крім визначеного видимістю.
record-share-with = Кому надати доступ
record-share = Поділитися
record-unshare = Припинити доступ
record-share-team = Команда { $name }
record-owner = Власник
record-visibility = Видимість
record-empty-value = —
record-yes = Так
record-no = Ні
record-changed = { $who } — змінено: { $fields }
record-created-by = { $who } — створено цей запис
record-stage-moved = { $who } — переміщено на етап { $stage }
record-converted-by = { $who } — конвертовано цей лід
record-deleted-by = { $who } — видалено цей запис
record-restored-by = { $who } — відновлено цей запис
record-someone = Хтось
record-complete = Позначити як виконане
record-completed = Виконано

## Мій профіль
profile-title = Мій профіль
profile-display-name = Відображуване ім’я
profile-language = Мова
profile-time-zone = Часовий пояс
profile-save = Зберегти профіль
profile-saved = Профіль збережено.
profile-password = Змінити пароль
profile-current-password = Поточний пароль
profile-new-password = Новий пароль
profile-new-password-hint = Щонайменше 12 символів; найкраще — довга фраза.
profile-password-submit = Змінити пароль
profile-password-changed = Пароль змінено. Ваші інші сеанси завершено, а токени відкликано.
profile-tokens = Мої токени API
profile-tokens-none = У вас немає токенів API.
profile-token-name = Назва
profile-token-scope = Доступ
profile-token-scope-read = Лише читання
profile-token-scope-read_write = Читання і запис
profile-token-created-at = Створено
profile-token-last-used = Останнє використання
profile-token-never = Ніколи
profile-token-create = Створити токен
profile-token-created = Скопіюйте цей токен зараз: його більше не буде показано.
profile-token-revoke = Відкликати
profile-token-revoked = Токен відкликано.

## Мови — їхніми власними назвами, щоб кожен знайшов свою
language-en = English
language-pl = Polski
language-es = Español
language-uk = Українська

## Пошук
search-title = Пошук
search-results = Результати за запитом «{ $query }»
search-none = За запитом «{ $query }» нічого не знайдено.
search-hint = Введіть щонайменше дві літери.
search-all = Усі результати

## Помилки
error-title = Щось пішло не так
error-not-found = Ця сторінка не існує, або у вас немає доступу до неї.
error-forbidden = Ви можете це переглядати, але не змінювати.
error-csrf = Термін дії цієї форми минув. Перезавантажте сторінку й спробуйте ще раз.
error-unavailable = База даних не відповідає. Спробуйте ще раз за мить.
error-internal = На нашому боці сталася помилка. Її зареєстровано.
error-bad-request = Не вдалося розібрати запит: { $detail }
error-back-home = Повернутися на головну

## Повідомлення про помилки полів, за кодом, який повертає сервер
error-code-required = Це поле обов’язкове.
error-code-too_short = Значення закоротке.
error-code-too_long = Значення задовге.
error-code-invalid_format = Значення має неправильний формат.
error-code-invalid_value = Це значення не дозволене.
error-code-unknown_field = Такого поля не існує.
error-code-read_only = Це поле не можна змінити.
error-code-wrong_type = Значення має неправильний тип.
error-code-weak_password = Цей пароль занадто слабкий або надто поширений.
error-code-taken = Це значення вже використовується в іншому записі.
error-code-unknown_reference = Запис, на який це посилається, не існує або недоступний вам.
error-code-not_allowed = Ця зміна не дозволена.


## Календар
nav-calendar = Календар
nav-settings = Налаштування
cal-title = Календар
cal-week = Тиждень
cal-month = Місяць
cal-previous = Попередній
cal-next = Наступний
cal-today = Сьогодні
cal-owner = Чий календар
cal-show = Показати
cal-day-1 = Понеділок
cal-day-2 = Вівторок
cal-day-3 = Середа
cal-day-4 = Четвер
cal-day-5 = П’ятниця
cal-day-6 = Субота
cal-day-7 = Неділя
cal-more = { $count ->
    [one] ще { $count }
    [few] ще { $count }
    [many] ще { $count }
   *[other] ще { $count }
}
cal-truncated = Показано лише перші { $count } записів; звузьте подання, щоб побачити решту.
cal-range = з { $from } по { $to }

## Назви полів
field-id = Ідентифікатор
field-owner_id = Власник
field-visibility = Видимість
field-tag_ids = Теги
field-created_at = Створено
field-updated_at = Оновлено
field-created_by = Ким створено
field-updated_by = Ким оновлено
field-version = Версія
field-name = Назва
field-domain = Домен
field-website = Вебсайт
field-industry = Галузь
field-annual_revenue = Річний дохід
field-employee_count = Кількість працівників
field-phone = Телефон
field-email = Електронна пошта
field-parent_id = Материнська компанія
field-description = Опис
field-external_id = Зовнішній ідентифікатор
field-first_name = Ім’я
field-last_name = Прізвище
field-title = Посада
field-company_id = Компанія
field-companies = Компанії
field-emails = Адреси електронної пошти
field-phones = Номери телефонів
field-time_zone = Часовий пояс
field-birth_date = Дата народження
field-language = Мова
field-source = Джерело
field-do_not_contact = Не зв’язуватися
field-company_name = Назва компанії
field-status = Статус
field-rating = Рейтинг
field-score = Оцінка
field-converted_at = Конвертовано
field-converted_company_id = Конвертовано в компанію
field-converted_contact_id = Конвертовано в контакт
field-converted_opportunity_id = Конвертовано в угоду
field-contacts = Контакти
field-pipeline_id = Воронка продажів
field-stage_id = Етап
field-stage_kind = Тип етапу
field-amount = Сума
field-close_date = Дата закриття
field-probability = Імовірність (%)
field-lost_reason = Причина програшу
field-next_step = Наступний крок
field-stage_changed_at = Зміна етапу
field-closed_at = Закрито
field-kind = Тип
field-subject = Тема
field-body = Подробиці
field-due_at = Термін
field-direction = Напрямок
field-outcome = Результат
field-location = Місце
field-links = Пов’язано з
field-completed_at = Виконано
field-address-street = Вулиця
field-address-city = Місто
field-address-postal_code = Поштовий індекс
field-address-region = Регіон
field-address-country = Країна
field-preferred_channel = Бажаний канал зв’язку
field-email_consent = Згода на електронні листи
field-sms_consent = Згода на SMS
field-duration_minutes = Тривалість (хв)

## Значення полів із фіксованим списком
enum-source-web = Вебсайт
enum-source-referral = Рекомендація
enum-source-event = Захід
enum-source-advertising = Реклама
enum-source-cold_call = Холодний дзвінок
enum-source-email = Електронна пошта
enum-source-partner = Партнер
enum-source-social = Соцмережі
enum-source-import = Імпорт
enum-source-other = Інше
enum-status-new = Новий
enum-status-working = У роботі
enum-status-nurturing = На прогріві
enum-status-qualified = Кваліфікований
enum-status-unqualified = Некваліфікований
enum-status-converted = Конвертований
enum-status-open = Відкрита
enum-status-done = Виконана
enum-rating-hot = Гарячий
enum-rating-warm = Теплий
enum-rating-cold = Холодний
enum-stage_kind-open = Відкритий
enum-stage_kind-won = Виграний
enum-stage_kind-lost = Програний
enum-kind-call = Дзвінок
enum-kind-meeting = Зустріч
enum-kind-task = Завдання
enum-kind-note = Нотатка
enum-kind-email = Електронний лист
enum-kind-sms = SMS
enum-kind-chat = Чат
enum-kind-social = Допис у соцмережах
enum-direction-inbound = Вхідний
enum-direction-outbound = Вихідний
enum-preferred_channel-email = Електронна пошта
enum-preferred_channel-phone = Телефон
enum-preferred_channel-sms = SMS
enum-preferred_channel-in_person = Особисто
enum-preferred_channel-social = Соцмережі
enum-preferred_channel-none = Немає
enum-email_consent-unknown = Невідомо
enum-email_consent-granted = Надано
enum-email_consent-withdrawn = Відкликано
enum-sms_consent-unknown = Невідомо
enum-sms_consent-granted = Надано
enum-sms_consent-withdrawn = Відкликано
enum-visibility-private = Приватна
enum-visibility-team = Команда
enum-visibility-workspace = Робочий простір

## Pipeline board
nav-board = Дошка
board-title = Дошка воронки продажів
board-as-list = Показати списком
board-pipeline = Воронка
board-team = Команда
board-anyone = Будь-хто
board-any-team = Будь-яка команда
board-empty = Воронки ще немає. Вона з’явиться разом із першою угодою.
board-closes = Закриття { $date }
board-move = Перемістити
board-move-heading = Перемістити { $name }
board-move-to = Перемістити { $name } на етап { $stage }
board-more = Усі угоди на цьому етапі
board-moving = Переміщення…
board-moved = Угоду переміщено.
board-won-needs = Виграна угода потребує суми й дати закриття.
board-lost-needs = Вкажіть, чому угоду програно.

## Lead conversion
record-convert = Конвертувати
convert-title = Конвертація: { $name }
convert-back = Назад до ліда
convert-already = Цей лід уже конвертовано.
convert-see-contact = Відкрити контакт, створений з ліда
convert-company-none = Без компанії
convert-company-new = Створити компанію «{ $name }»
convert-company-existing = Пов’язати з наявною компанією
convert-company-name = Назва наявної компанії
convert-contact = Контакт
convert-contact-new = Створити контакт з ліда
convert-contact-existing = Пов’язати з наявним контактом
convert-contact-name = Ім’я наявного контакту
convert-opportunity = Угода
convert-opportunity-create = Також створити угоду
convert-submit = Конвертувати ліда

## Settings (admins)
settings-title = Налаштування
settings-tab-users = Користувачі
settings-tab-teams = Команди
settings-tab-roles = Ролі
settings-tab-pipelines = Воронки продажів
settings-tab-fields = Користувацькі поля
settings-tab-access = Правила полів і видимість
settings-tab-exchange-rates = Курси валют
settings-tab-audit = Журнал аудиту
settings-objects = Об’єкти
settings-created = Створено.
settings-saved = Збережено.
settings-deleted = Видалено.
settings-users-title = Користувачі
settings-user-name = Ім’я
settings-user-email = Електронна пошта
settings-user-role = Роль
settings-user-team = Команда
settings-user-enabled = Може входити
settings-user-disabled = Вимкнено
settings-user-last-login = Останній вхід
settings-user-new = Новий користувач
settings-user-add = Додати користувача
settings-user-password-hint = Залиште порожнім, щоб створити надійний пароль; його буде показано лише один раз.
settings-user-password-once = Пароль нового користувача, показаний лише цей один раз:
settings-user-created = Користувача { $email } додано.
settings-no-team = Без команди
settings-role-admin = Адміністратор
settings-role-manager = Керівник
settings-role-rep = Менеджер з продажу
settings-role-read_only = Лише читання
settings-role-admin-summary = усе в робочому просторі, зокрема налаштування, користувачі та журнал аудиту.
settings-role-manager-summary = усе, що належить власній команді та підпорядкованим їй командам, з правом це змінювати.
settings-role-rep-summary = власні записи й записи, до яких надано доступ; читання того, що видно всьому робочому простору або власній команді.
settings-role-read_only-summary = читання того, що доступно, без жодних змін, крім власного профілю.
settings-role-users = { $count ->
    [one] { $count } користувач
    [few] { $count } користувачі
    [many] { $count } користувачів
   *[other] { $count } користувача
}
settings-roles-title = Ролі
settings-roles-intro = Чотири ролі незмінні. Цю таблицю складено за правилами доступу, які застосовує сервер, для людини з команди, якій підпорядкована одна команда.
settings-roles-record = Запис
settings-roles-change = Роль користувача змінюють на його сторінці в розділі
settings-situation-own = Власний запис
settings-situation-teammate_private = Приватний запис колеги з команди
settings-situation-teammate_team = Запис колеги, видимий для команди
settings-situation-sub_team_private = Приватний запис когось із підпорядкованої команди
settings-situation-other_workspace = Запис іншої команди, видимий для всього робочого простору
settings-situation-other_private = Приватний запис іншої команди
settings-situation-shared_read = Запис, до якого надано доступ для читання
settings-situation-shared_read_write = Запис, до якого надано доступ для читання і змін
settings-situation-settings = Змінювати налаштування й користувачів, читати журнал аудиту
settings-reach-none = Немає доступу
settings-reach-read = Читання
settings-reach-read_write = Читання і зміни
settings-teams-title = Команди
settings-teams-none = Команд ще немає.
settings-team-name = Назва команди
settings-team-parent = Батьківська команда
settings-team-root = Без батьківської команди
settings-team-members = Учасники
settings-team-no-members = У цій команді нікого немає.
settings-team-new = Нова команда
settings-team-add = Додати команду
settings-team-delete = Видалити цю команду
settings-team-delete-hint = Видалити можна лише команду без учасників і без підпорядкованих команд.
settings-pipelines-title = Воронки продажів
settings-pipeline-name = Назва воронки
settings-pipeline-stages = Етапи
settings-pipeline-default = Воронка за замовчуванням
settings-pipeline-new = Нова воронка
settings-pipeline-delete = Видалити цю воронку
settings-pipeline-stages-hint = Етапи йдуть у порядку їхніх номерів. Заповніть порожній рядок, щоб додати етап; позначте етап, щоб його видалити (у ньому не має бути угод).
settings-stage-summary = { $name } ({ $probability } %)
settings-stage-position = Порядок
settings-stage-name = Етап
settings-stage-kind = Тип
settings-stage-probability = Імовірність (%)
settings-stage-remove = Видалити
settings-stage-kind-open = Відкритий
settings-stage-kind-won = Виграний
settings-stage-kind-lost = Програний
settings-stage-default-open = Кваліфікація
settings-stage-default-won = Закрита (виграна)
settings-stage-default-lost = Закрита (програна)
settings-fields-title = Користувацькі поля
settings-fields-of = Користувацькі поля: { $object }
settings-fields-none = Цей об’єкт ще не має користувацьких полів.
settings-field-new = Нове користувацьке поле
settings-field-add = Додати поле
settings-field-label = Підпис
settings-field-key = Ключ
settings-field-key-hint = Малі латинські літери (a–z), цифри й підкреслення; пізніше його не можна змінити.
settings-field-kind = Тип
settings-field-kind-text = Текст
settings-field-kind-number = Число
settings-field-kind-date = Дата
settings-field-kind-bool = Так або ні
settings-field-kind-select = Вибір зі списку
settings-field-required = Обов’язкове
settings-field-options = Варіанти
settings-field-options-hint = Для поля з вибором: один варіант на рядок.
settings-field-position = Порядок у формах
settings-field-delete = Видалити це поле
settings-field-delete-hint = Збережені значення залишаться в записах, але більше не показуватимуться.
settings-access-title = Правила полів і видимість
settings-visibility-title = Видимість за замовчуванням
settings-visibility-of = Видимість нових записів ({ $object })
settings-rules-of = Правила полів: { $object }
settings-rules-intro = Адміністратори завжди бачать і можуть змінювати кожне поле. Для інших ролей поле може бути доступним лише для читання або прихованим усюди: на сторінках, у списках, експортах і API.
settings-rules-field = Поле
settings-rules-save = Зберегти правила
settings-rule-for = { $field } для ролі { $role }
settings-access-editable = Можна змінювати
settings-access-read_only = Лише читання
settings-access-hidden = Приховано

## Audit log
settings-audit-title = Журнал аудиту
audit-when = Коли
audit-who = Хто
audit-action = Дія
audit-object = Об’єкт
audit-changes = Зміни
audit-ip = IP-адреса
audit-any = Усі
audit-none = Відповідних записів журналу немає.
audit-actor-user = Користувач
audit-actor-operator = Оператор (командний рядок)
audit-actor-anonymous = Хтось, хто не ввійшов у систему
audit-subject-workspace = Робочий простір
audit-subject-user = Користувачі
audit-subject-team = Команди
audit-subject-api-token = Токени API
audit-subject-share = Спільний доступ
audit-subject-tag = Теги
audit-subject-pipeline = Воронки продажів
audit-subject-custom-field = Користувацькі поля
audit-subject-field-rules = Правила полів
audit-subject-object-settings = Налаштування об’єктів
audit-subject-order = Замовлення
audit-subject-analytics-model = Аналітичні моделі
audit-action-workspace-created = Робочий простір створено
audit-action-workspace-restored = Робочий простір відновлено
audit-action-workspace-copied = Робочий простір скопійовано
audit-action-user-created = Користувача додано
audit-action-user-updated = Користувача змінено
audit-action-user-role_changed = Роль змінено
audit-action-user-enabled = Користувача ввімкнено
audit-action-user-disabled = Користувача вимкнено
audit-action-user-password_changed = Пароль змінено
audit-action-team-created = Команду створено
audit-action-team-updated = Команду змінено
audit-action-team-deleted = Команду видалено
audit-action-token-created = Токен API створено
audit-action-token-revoked = Токен API відкликано
audit-action-auth-login = Вхід
audit-action-auth-login_failed = Невдалий вхід
audit-action-auth-logout = Вихід
audit-action-record-created = Запис створено
audit-action-record-updated = Запис змінено
audit-action-record-trashed = Запис видалено
audit-action-record-restored = Запис відновлено
audit-action-record-purged = Запис остаточно видалено
audit-action-record-merged = Записи об’єднано
audit-action-lead-converted = Ліда конвертовано
audit-action-opportunity-stage_changed = Етап змінено
audit-action-activity-completed = Активність виконано
audit-action-share-granted = Надано доступ до запису
audit-action-share-revoked = Спільний доступ припинено
audit-action-settings-changed = Налаштування змінено
audit-action-records-bulk_created = Записи створено масово
audit-action-records-imported = Записи імпортовано
audit-action-records-exported = Записи експортовано

# Exchange rates and converted totals
settings-rates-title = Курси валют
settings-rates-intro = Суми додаються в базовій валюті, { $base }. Дошка й головна сторінка перераховують відкриті угоди за курсом, чинним сьогодні; суми у валюті без курсу показано окремо, їх ніколи не рахують один до одного.
settings-rates-in-force = Чинні на { $day }
settings-rates-none = Курсів валют ще немає.
settings-rate-currency = Валюта
settings-rate-value = Курс
settings-rate-from = Від дати
settings-rate-new = Задати курс
settings-rate-new-hint = Курс діє від свого дня до наступного курсу тієї самої валюти. Та сама валюта й день знову замінюють курс.
settings-rate-worth = Вартість однієї одиниці ({ $base })
settings-rate-save = Зберегти курс
settings-rates-history = Усі курси
settings-rates-all = Усі валюти
settings-rates-show = Показати
settings-rate-remove = Вилучити
settings-rate-remove-one = Вилучити курс { $currency } від { $day }
figures-without-rate = + { $amount } (без курсу)
figures-missing-rates = Немає курсу на { $day } для { $currencies }: ці суми показано окремо, поза підсумками.
figures-add-rates = Додати курси
