# Komunikaty interfejsu Rapport: polski, przetłumaczony z angielskiego (języka źródłowego).
# Każdy klucz istnieje we wszystkich plikach: en.ftl, pl.ftl, es.ftl i uk.ftl (sprawdza to test).
## Układ wspólny dla wszystkich stron
app-name = Rapport
nav-skip = Przejdź do treści
nav-main = Nawigacja główna
nav-home = Strona główna
nav-companies = Firmy
nav-contacts = Kontakty
nav-leads = Leady
nav-opportunities = Szanse sprzedaży
nav-activities = Działania
nav-search = Szukaj
nav-search-placeholder = Szukaj we wszystkich rekordach (Ctrl+K)
nav-profile = Mój profil
nav-sign-out = Wyloguj się
nav-signed-in-as = Zalogowano jako { $name }

## Logowanie
login-title = Logowanie
login-workspace = Przestrzeń robocza
login-workspace-hint = Pozostaw puste, jeśli na tym serwerze jest tylko jedna przestrzeń robocza.
login-email = Adres e-mail
login-password = Hasło
login-submit = Zaloguj się
login-failed = Nieprawidłowy adres e-mail lub hasło albo konto jest wyłączone.
login-rate-limited = Zbyt wiele prób logowania. Spróbuj ponownie za { $seconds } s.
login-signed-out = Wylogowano.

## Strona główna
home-title = Strona główna
home-greeting = Miło cię widzieć, { $name }
home-overdue = Zaległe
home-today = Na dziś
home-no-tasks = Nic nie czeka na wykonanie. Dobra robota.
home-pipeline = Moje otwarte szanse sprzedaży
home-pipeline-empty = Nie masz otwartych szans sprzedaży.
home-stage = Etap
home-count = Liczba szans
home-total = Suma
home-weighted = Suma ważona
home-all-stages = Wszystkie otwarte etapy
home-recent = Ostatnia aktywność w moich rekordach
home-recent-empty = W twoich rekordach nic się jeszcze nie wydarzyło.
home-due = Termin: { $when }

## Listy
list-title-company = Firmy
list-title-contact = Kontakty
list-title-lead = Leady
list-title-opportunity = Szanse sprzedaży
list-title-activity = Działania
list-new-company = Nowa firma
list-new-contact = Nowy kontakt
list-new-lead = Nowy lead
list-new-opportunity = Nowa szansa sprzedaży
list-new-activity = Nowe działanie
list-search = Szukaj na tej liście
list-search-submit = Szukaj
list-filters = Filtry
list-filter-field = Pole
list-filter-op = Warunek
list-filter-value = Wartość
list-filter-remove = Usuń ten filtr
list-filter-add = Dodaj filtr
list-apply = Zastosuj
list-clear = Wyczyść wszystko
list-columns = Kolumny
list-sort-by = Sortuj według: { $field }
list-sorted-asc = posortowano rosnąco
list-sorted-desc = posortowano malejąco
list-next = Następna strona
list-first = Pierwsza strona
list-empty = Brak pasujących rekordów.
list-total = { $count ->
    [one] Jeden rekord
    [few] { $count } rekordy
    [many] { $count } rekordów
   *[other] { $count } rekordu
}
list-select-all = Zaznacz wszystkie na tej stronie
list-select = Zaznacz: { $name }
list-bulk = Dla zaznaczonych rekordów
list-bulk-assign = Przypisz do
list-bulk-tag = Dodaj tag
list-bulk-delete = Usuń
list-bulk-run = Wykonaj
list-bulk-done = { $count ->
    [one] Zmieniono jeden rekord.
    [few] Zmieniono { $count } rekordy.
    [many] Zmieniono { $count } rekordów.
   *[other] Zmieniono { $count } rekordu.
}
list-bulk-failed = { $count ->
    [one] Nie udało się zmienić jednego rekordu:
    [few] Nie udało się zmienić { $count } rekordów:
    [many] Nie udało się zmienić { $count } rekordów:
   *[other] Nie udało się zmienić { $count } rekordu:
}
list-export = Eksportuj ten widok do CSV
list-export-ready = Eksport jest gotowy.
list-export-download = Pobierz CSV
list-views = Zapisane widoki
list-view-name = Nazwa widoku
list-view-save = Zapisz ten widok
list-view-delete = Usuń ten widok
list-view-saved = Zapisano widok.
list-view-none = Nie ma jeszcze zapisanych widoków.

## Warunki filtrów
op-eq = równa się
op-ne = nie równa się
op-lt = jest mniejsze niż
op-lte = wynosi co najwyżej
op-gt = jest większe niż
op-gte = wynosi co najmniej
op-in = jest jednym z
op-contains = zawiera
op-starts_with = zaczyna się od
op-is_null = jest puste

## Strony rekordów
record-details = Szczegóły
record-edit = Edytuj
record-save = Zapisz
record-cancel = Anuluj
record-create = Utwórz
record-saved = Zapisano.
record-created = Utworzono.
record-deleted = Usunięto.
record-delete = Usuń
record-delete-confirm = Usunąć ten rekord? Przez 30 dni można go przywrócić z kosza.
record-errors = { $count ->
    [one] Jedno pole wymaga uwagi.
    [few] { $count } pola wymagają uwagi.
    [many] { $count } pól wymaga uwagi.
   *[other] { $count } pola wymaga uwagi.
}
record-conflict = Ktoś inny zmienił ten rekord podczas twojej edycji. Twoje zmiany są poniżej – przejrzyj je i zapisz ponownie.
record-timeline = Oś czasu
record-timeline-empty = Nic się tu jeszcze nie wydarzyło.
record-timeline-more = Starsze wpisy
record-related = Powiązane
record-related-contacts = Kontakty
record-related-opportunities = Szanse sprzedaży
record-related-activities = Otwarte działania
record-related-none = Na razie brak.
record-quick = Zarejestruj lub zaplanuj
record-quick-call = Zarejestruj rozmowę
record-quick-note = Dodaj notatkę
record-quick-meeting = Zaplanuj spotkanie
record-quick-task = Dodaj zadanie
record-quick-subject = Temat
record-quick-body = Szczegóły
record-quick-due = Kiedy
record-quick-save = Zapisz
record-shares = Udostępnianie
record-shared-with = Udostępniono
record-share-none = Brak udostępnień poza ustawioną widocznością.
record-share-with = Komu udostępnić
record-share = Udostępnij
record-unshare = Przestań udostępniać
record-share-team = Zespół { $name }
record-owner = Właściciel
record-visibility = Widoczność
record-empty-value = —
record-yes = Tak
record-no = Nie
record-changed = { $who } — zmieniono: { $fields }
record-created-by = { $who } — utworzono ten rekord
record-stage-moved = { $who } — przeniesiono do etapu { $stage }
record-converted-by = { $who } — przekształcono tego leada
record-deleted-by = { $who } — usunięto ten rekord
record-restored-by = { $who } — przywrócono ten rekord
record-someone = Ktoś
record-complete = Oznacz jako wykonane
record-completed = Wykonano

## Mój profil
profile-title = Mój profil
profile-display-name = Wyświetlana nazwa
profile-language = Język
profile-time-zone = Strefa czasowa
profile-save = Zapisz profil
profile-saved = Zapisano profil.
profile-password = Zmień hasło
profile-current-password = Obecne hasło
profile-new-password = Nowe hasło
profile-new-password-hint = Co najmniej 12 znaków; najlepiej długa fraza.
profile-password-submit = Zmień hasło
profile-password-changed = Zmieniono hasło. Pozostałe sesje zostały zakończone, a tokeny unieważnione.
profile-tokens = Moje tokeny API
profile-tokens-none = Nie masz tokenów API.
profile-token-name = Nazwa
profile-token-scope = Dostęp
profile-token-scope-read = Tylko odczyt
profile-token-scope-read_write = Odczyt i zapis
profile-token-created-at = Utworzono
profile-token-last-used = Ostatnie użycie
profile-token-never = Nigdy
profile-token-create = Utwórz token
profile-token-created = Skopiuj ten token teraz – nie zostanie ponownie wyświetlony.
profile-token-revoke = Unieważnij
profile-token-revoked = Unieważniono token.

## Języki, podane pod własnymi nazwami, aby każdy znalazł swój
language-en = English
language-pl = Polski
language-es = Español
language-uk = Українська

## Wyszukiwanie
search-title = Wyszukiwanie
search-results = Wyniki dla „{ $query }”
search-none = Nie znaleziono wyników dla „{ $query }”.
search-hint = Wpisz co najmniej dwie litery.
search-all = Wszystkie wyniki

## Błędy
error-title = Coś poszło nie tak
error-not-found = Ta strona nie istnieje lub nie masz do niej dostępu.
error-forbidden = Możesz to wyświetlić, ale nie możesz tego zmienić.
error-csrf = Ten formularz wygasł. Odśwież stronę i spróbuj ponownie.
error-unavailable = Baza danych nie odpowiada. Spróbuj ponownie za chwilę.
error-internal = Wystąpił błąd po naszej stronie. Został on zarejestrowany.
error-bad-request = Nie udało się zinterpretować żądania: { $detail }
error-back-home = Wróć do strony głównej

## Komunikaty o błędach pól, według kodu zwracanego przez serwer
error-code-required = To pole jest wymagane.
error-code-too_short = Wartość jest za krótka.
error-code-too_long = Wartość jest za długa.
error-code-invalid_format = Wartość ma nieprawidłowy format.
error-code-invalid_value = Ta wartość jest niedozwolona.
error-code-unknown_field = To pole nie istnieje.
error-code-read_only = Tego pola nie można zmienić.
error-code-wrong_type = Ta wartość ma nieprawidłowy typ.
error-code-weak_password = To hasło jest zbyt słabe lub zbyt popularne.
error-code-taken = Ta wartość jest już używana w innym rekordzie.
error-code-unknown_reference = Wskazany rekord nie istnieje lub nie masz do niego dostępu.
error-code-not_allowed = Ta zmiana jest niedozwolona.


## Kalendarz
nav-calendar = Kalendarz
nav-settings = Ustawienia
cal-title = Kalendarz
cal-week = Tydzień
cal-month = Miesiąc
cal-previous = Poprzedni
cal-next = Następny
cal-today = Dziś
cal-owner = Czyj kalendarz
cal-show = Pokaż
cal-day-1 = Poniedziałek
cal-day-2 = Wtorek
cal-day-3 = Środa
cal-day-4 = Czwartek
cal-day-5 = Piątek
cal-day-6 = Sobota
cal-day-7 = Niedziela
cal-more = { $count ->
    [one] jeszcze jedno
    [few] jeszcze { $count }
    [many] jeszcze { $count }
   *[other] jeszcze { $count }
}
cal-truncated = Pokazano tylko pierwsze { $count } wpisów; zawęź widok, aby zobaczyć resztę.
cal-range = od { $from } do { $to }

## Nazwy pól
field-id = Identyfikator
field-owner_id = Właściciel
field-visibility = Widoczność
field-tag_ids = Tagi
field-created_at = Utworzono
field-updated_at = Zaktualizowano
field-created_by = Utworzone przez
field-updated_by = Zaktualizowane przez
field-version = Wersja
field-name = Nazwa
field-domain = Domena
field-website = Strona WWW
field-industry = Branża
field-annual_revenue = Roczny przychód
field-employee_count = Liczba pracowników
field-phone = Telefon
field-email = Adres e-mail
field-parent_id = Firma nadrzędna
field-description = Opis
field-external_id = Identyfikator zewnętrzny
field-first_name = Imię
field-last_name = Nazwisko
field-title = Stanowisko
field-company_id = Firma
field-companies = Firmy
field-emails = Adresy e-mail
field-phones = Numery telefonów
field-time_zone = Strefa czasowa
field-birth_date = Data urodzenia
field-language = Język
field-source = Źródło
field-do_not_contact = Nie kontaktować się
field-company_name = Nazwa firmy
field-status = Stan
field-rating = Ocena
field-score = Punktacja
field-converted_at = Przekonwertowano
field-converted_company_id = Przekonwertowano na firmę
field-converted_contact_id = Przekonwertowano na kontakt
field-converted_opportunity_id = Przekonwertowano na szansę sprzedaży
field-contacts = Kontakty
field-pipeline_id = Lejek sprzedaży
field-stage_id = Etap
field-stage_kind = Rodzaj etapu
field-amount = Kwota
field-close_date = Data zamknięcia
field-probability = Prawdopodobieństwo (%)
field-lost_reason = Powód utraty
field-next_step = Następny krok
field-stage_changed_at = Zmiana etapu
field-closed_at = Zamknięto
field-kind = Typ
field-subject = Temat
field-body = Szczegóły
field-due_at = Termin
field-direction = Kierunek
field-outcome = Wynik
field-location = Miejsce
field-links = Powiązane z
field-completed_at = Wykonano
field-address-street = Ulica
field-address-city = Miasto
field-address-postal_code = Kod pocztowy
field-address-region = Województwo/region
field-address-country = Kraj
field-preferred_channel = Preferowany kanał
field-email_consent = Zgoda na kontakt e-mail
field-sms_consent = Zgoda na SMS
field-duration_minutes = Czas trwania (min)

## Wartości pól z ustaloną listą
enum-source-web = Strona WWW
enum-source-referral = Polecenie
enum-source-event = Wydarzenie
enum-source-advertising = Reklama
enum-source-cold_call = Zimny telefon
enum-source-email = Wiadomość e-mail
enum-source-partner = Partner biznesowy
enum-source-social = Media społecznościowe
enum-source-import = Import danych
enum-source-other = Inne
enum-status-new = Nowy
enum-status-working = W trakcie
enum-status-nurturing = Pielęgnowany
enum-status-qualified = Zakwalifikowany
enum-status-unqualified = Niezakwalifikowany
enum-status-converted = Przekonwertowany
enum-status-open = Otwarte
enum-status-done = Wykonane
enum-rating-hot = Gorący
enum-rating-warm = Ciepły
enum-rating-cold = Zimny
enum-stage_kind-open = Otwarty
enum-stage_kind-won = Wygrany
enum-stage_kind-lost = Przegrany
enum-kind-call = Rozmowa telefoniczna
enum-kind-meeting = Spotkanie
enum-kind-task = Zadanie
enum-kind-note = Notatka
enum-kind-email = Wiadomość e-mail
enum-kind-sms = SMS
enum-kind-chat = Czat
enum-kind-social = Post w mediach społecznościowych
enum-direction-inbound = Przychodzące
enum-direction-outbound = Wychodzące
enum-preferred_channel-email = Wiadomość e-mail
enum-preferred_channel-phone = Telefon
enum-preferred_channel-sms = SMS
enum-preferred_channel-in_person = Osobiście
enum-preferred_channel-social = Media społecznościowe
enum-preferred_channel-none = Brak
enum-email_consent-unknown = Nieznana
enum-email_consent-granted = Udzielona
enum-email_consent-withdrawn = Wycofana
enum-sms_consent-unknown = Nieznana
enum-sms_consent-granted = Udzielona
enum-sms_consent-withdrawn = Wycofana
enum-visibility-private = Prywatna
enum-visibility-team = Zespół
enum-visibility-workspace = Przestrzeń robocza

## Pipeline board
nav-board = Tablica
board-title = Tablica lejka sprzedaży
board-as-list = Pokaż jako listę
board-pipeline = Lejek
board-team = Zespół
board-anyone = Dowolna osoba
board-any-team = Dowolny zespół
board-empty = Nie ma jeszcze lejka. Pojawi się wraz z pierwszą szansą sprzedaży.
board-closes = Zamknięcie { $date }
board-move = Przenieś
board-move-heading = Przenieś { $name }
board-move-to = Przenieś { $name } do etapu { $stage }
board-more = Wszystkie szanse na tym etapie
board-moving = Przenoszenie…
board-moved = Szansa sprzedaży została przeniesiona.
board-won-needs = Wygrana szansa wymaga kwoty i daty zamknięcia.
board-lost-needs = Podaj, dlaczego szansa została przegrana.

## Lead conversion
record-convert = Konwertuj
convert-title = Konwersja: { $name }
convert-back = Wróć do leada
convert-already = Ten lead został już skonwertowany.
convert-see-contact = Otwórz kontakt utworzony z leada
convert-company-none = Bez firmy
convert-company-new = Utwórz firmę „{ $name }”
convert-company-existing = Połącz z istniejącą firmą
convert-company-name = Nazwa istniejącej firmy
convert-contact = Kontakt
convert-contact-new = Utwórz kontakt z leada
convert-contact-existing = Połącz z istniejącym kontaktem
convert-contact-name = Imię i nazwisko istniejącego kontaktu
convert-opportunity = Szansa sprzedaży
convert-opportunity-create = Utwórz także szansę sprzedaży
convert-submit = Konwertuj leada

## Settings (admins)
settings-title = Ustawienia
settings-tab-users = Użytkownicy
settings-tab-teams = Zespoły
settings-tab-roles = Role
settings-tab-pipelines = Lejki sprzedaży
settings-tab-fields = Pola niestandardowe
settings-tab-access = Reguły pól i widoczność
settings-tab-exchange-rates = Kursy walut
settings-tab-audit = Dziennik audytu
settings-objects = Obiekty
settings-created = Utworzono.
settings-saved = Zapisano.
settings-deleted = Usunięto.
settings-users-title = Użytkownicy
settings-user-name = Imię i nazwisko
settings-user-email = Adres e-mail
settings-user-role = Rola
settings-user-team = Zespół
settings-user-enabled = Może się logować
settings-user-disabled = Konto wyłączone
settings-user-last-login = Ostatnie logowanie
settings-user-new = Nowy użytkownik
settings-user-add = Dodaj użytkownika
settings-user-password-hint = Pozostaw puste, aby wygenerować silne hasło; zostanie wyświetlone tylko raz.
settings-user-password-once = Hasło nowego użytkownika, wyświetlane tylko ten jeden raz:
settings-user-created = Dodano użytkownika { $email }.
settings-no-team = Bez zespołu
settings-role-admin = Administrator
settings-role-manager = Kierownik
settings-role-rep = Handlowiec
settings-role-read_only = Tylko odczyt
settings-role-admin-summary = wszystko w przestrzeni roboczej, w tym ustawienia, użytkownicy i dziennik audytu.
settings-role-manager-summary = wszystko, co należy do własnego zespołu i zespołów mu podległych, z prawem do zmian.
settings-role-rep-summary = własne rekordy i rekordy udostępnione; odczyt tego, co jest widoczne dla całej przestrzeni roboczej lub własnego zespołu.
settings-role-read_only-summary = odczyt tego, do czego ma wgląd, bez możliwości zmian poza własnym profilem.
settings-role-users = { $count ->
    [one] jeden użytkownik
    [few] { $count } użytkownicy
    [many] { $count } użytkowników
   *[other] { $count } użytkownika
}
settings-roles-title = Role
settings-roles-intro = Cztery role są stałe. Ta tabela wynika z reguł dostępu stosowanych przez serwer – dla osoby w zespole, któremu podlega jeden zespół.
settings-roles-record = Rekord
settings-roles-change = Rolę użytkownika zmienia się na jego stronie w zakładce
settings-situation-own = Własny rekord
settings-situation-teammate_private = Prywatny rekord członka zespołu
settings-situation-teammate_team = Rekord członka zespołu widoczny dla zespołu
settings-situation-sub_team_private = Prywatny rekord osoby z zespołu podległego
settings-situation-other_workspace = Rekord innego zespołu widoczny w całej przestrzeni roboczej
settings-situation-other_private = Prywatny rekord innego zespołu
settings-situation-shared_read = Rekord udostępniony do odczytu
settings-situation-shared_read_write = Rekord udostępniony do odczytu i zmian
settings-situation-settings = Zmiana ustawień i użytkowników, odczyt dziennika audytu
settings-reach-none = Brak dostępu
settings-reach-read = Odczyt
settings-reach-read_write = Odczyt i zmiany
settings-teams-title = Zespoły
settings-teams-none = Nie ma jeszcze zespołów.
settings-team-name = Nazwa zespołu
settings-team-parent = Zespół nadrzędny
settings-team-root = Brak zespołu nadrzędnego
settings-team-members = Członkowie
settings-team-no-members = W tym zespole nie ma nikogo.
settings-team-new = Nowy zespół
settings-team-add = Dodaj zespół
settings-team-delete = Usuń ten zespół
settings-team-delete-hint = Usunąć można tylko zespół bez członków i bez zespołów podległych.
settings-pipelines-title = Lejki sprzedaży
settings-pipeline-name = Nazwa lejka
settings-pipeline-stages = Etapy
settings-pipeline-default = Domyślny lejek
settings-pipeline-new = Nowy lejek
settings-pipeline-delete = Usuń ten lejek
settings-pipeline-stages-hint = Etapy następują w kolejności numerów. Wypełnij pusty wiersz, aby dodać etap; zaznacz etap, aby go usunąć (nie może zawierać szans sprzedaży).
settings-stage-summary = { $name } ({ $probability }%)
settings-stage-position = Kolejność
settings-stage-name = Etap
settings-stage-kind = Rodzaj
settings-stage-probability = Prawdopodobieństwo (%)
settings-stage-remove = Usuń
settings-stage-kind-open = Otwarty
settings-stage-kind-won = Wygrany
settings-stage-kind-lost = Przegrany
settings-stage-default-open = Kwalifikacja
settings-stage-default-won = Zamknięta – wygrana
settings-stage-default-lost = Zamknięta – przegrana
settings-fields-title = Pola niestandardowe
settings-fields-of = Pola niestandardowe: { $object }
settings-fields-none = Ten obiekt nie ma jeszcze pól niestandardowych.
settings-field-new = Nowe pole niestandardowe
settings-field-add = Dodaj pole
settings-field-label = Etykieta
settings-field-key = Klucz
settings-field-key-hint = Małe litery (a–z), cyfry i podkreślenia; nie można go później zmienić.
settings-field-kind = Typ
settings-field-kind-text = Tekst
settings-field-kind-number = Liczba
settings-field-kind-date = Data
settings-field-kind-bool = Tak lub nie
settings-field-kind-select = Wybór z listy
settings-field-required = Wymagane
settings-field-options = Opcje
settings-field-options-hint = Dla pola wyboru: jedna opcja w wierszu.
settings-field-position = Kolejność w formularzach
settings-field-delete = Usuń to pole
settings-field-delete-hint = Zapisane wartości pozostaną w rekordach, ale nie będą już wyświetlane.
settings-access-title = Reguły pól i widoczność
settings-visibility-title = Domyślna widoczność
settings-visibility-of = Widoczność nowych rekordów ({ $object })
settings-rules-of = Reguły pól: { $object }
settings-rules-intro = Administratorzy zawsze widzą i mogą zmieniać każde pole. Dla pozostałych ról pole może być tylko do odczytu albo ukryte wszędzie: na stronach, listach, w eksportach i w API.
settings-rules-field = Pole
settings-rules-save = Zapisz reguły
settings-rule-for = { $field } dla roli { $role }
settings-access-editable = Można zmieniać
settings-access-read_only = Tylko odczyt
settings-access-hidden = Ukryte

## Audit log
settings-audit-title = Dziennik audytu
audit-when = Kiedy
audit-who = Kto
audit-action = Operacja
audit-object = Obiekt
audit-changes = Zmiany
audit-ip = Adres IP
audit-any = Wszystkie
audit-none = Brak pasujących wpisów.
audit-actor-user = Użytkownik
audit-actor-operator = Operator (wiersz poleceń)
audit-actor-anonymous = Osoba niezalogowana
audit-subject-workspace = Przestrzeń robocza
audit-subject-user = Użytkownicy
audit-subject-team = Zespoły
audit-subject-api-token = Tokeny API
audit-subject-share = Udostępnienia
audit-subject-tag = Tagi
audit-subject-pipeline = Lejki sprzedaży
audit-subject-custom-field = Pola niestandardowe
audit-subject-field-rules = Reguły pól
audit-subject-object-settings = Ustawienia obiektów
audit-subject-order = Zamówienia
audit-subject-analytics-model = Modele analityczne
audit-action-workspace-created = Utworzono przestrzeń roboczą
audit-action-workspace-restored = Przywrócono przestrzeń roboczą
audit-action-workspace-copied = Skopiowano przestrzeń roboczą
audit-action-user-created = Dodano użytkownika
audit-action-user-updated = Zmieniono dane użytkownika
audit-action-user-role_changed = Zmieniono rolę
audit-action-user-enabled = Włączono konto użytkownika
audit-action-user-disabled = Wyłączono konto użytkownika
audit-action-user-password_changed = Zmieniono hasło
audit-action-team-created = Utworzono zespół
audit-action-team-updated = Zmieniono zespół
audit-action-team-deleted = Usunięto zespół
audit-action-token-created = Utworzono token API
audit-action-token-revoked = Unieważniono token API
audit-action-auth-login = Zalogowano
audit-action-auth-login_failed = Nieudane logowanie
audit-action-auth-logout = Wylogowano
audit-action-record-created = Utworzono rekord
audit-action-record-updated = Zmieniono rekord
audit-action-record-trashed = Usunięto rekord
audit-action-record-restored = Przywrócono rekord
audit-action-record-purged = Trwale usunięto rekord
audit-action-record-merged = Scalono rekordy
audit-action-lead-converted = Skonwertowano leada
audit-action-opportunity-stage_changed = Zmieniono etap
audit-action-activity-completed = Wykonano działanie
audit-action-share-granted = Udostępniono rekord
audit-action-share-revoked = Zakończono udostępnianie
audit-action-settings-changed = Zmieniono ustawienia
audit-action-records-bulk_created = Utworzono rekordy zbiorczo
audit-action-records-imported = Zaimportowano rekordy
audit-action-records-exported = Wyeksportowano rekordy

# Exchange rates and converted totals
settings-rates-title = Kursy walut
settings-rates-intro = Kwoty sumuje się w walucie bazowej, { $base }. Tablica i strona główna przeliczają otwarte szanse po kursie obowiązującym dziś; kwoty w walucie bez kursu są pokazywane osobno, nigdy nie liczone po kursie 1:1.
settings-rates-in-force = Obowiązujące w dniu { $day }
settings-rates-none = Nie ma jeszcze kursów walut.
settings-rate-currency = Waluta
settings-rate-value = Kurs
settings-rate-from = Od dnia
settings-rate-new = Ustaw kurs
settings-rate-new-hint = Kurs obowiązuje od swojego dnia do następnego kursu tej samej waluty. Ta sama waluta i dzień ponownie zastępują kurs.
settings-rate-worth = Wartość jednej jednostki ({ $base })
settings-rate-save = Zapisz kurs
settings-rates-history = Wszystkie kursy
settings-rates-all = Wszystkie waluty
settings-rates-show = Pokaż
settings-rate-remove = Usuń
settings-rate-remove-one = Usuń kurs { $currency } z dnia { $day }
figures-without-rate = + { $amount } (bez kursu)
figures-missing-rates = Brak kursu na dzień { $day } dla: { $currencies }. Te kwoty są pokazane osobno, poza sumami.
figures-add-rates = Dodaj kursy
