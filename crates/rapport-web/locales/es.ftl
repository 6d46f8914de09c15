# Mensajes de la interfaz de Rapport: español, traducido del inglés (el idioma de origen).
# Cada clave existe en todos los archivos: en.ftl, pl.ftl, es.ftl y uk.ftl (lo comprueba una prueba).
## Estructura común a todas las páginas
app-name = Rapport
nav-skip = Saltar al contenido
nav-main = Navegación principal
nav-home = Inicio
nav-companies = Empresas
nav-contacts = Contactos
nav-leads = Clientes potenciales
nav-opportunities = Oportunidades
nav-activities = Actividades
nav-search = Buscar
nav-search-placeholder = Buscar en todos los registros (Ctrl+K)
nav-profile = Mi perfil
nav-sign-out = Cerrar sesión
nav-signed-in-as = Sesión iniciada como { $name }

## Inicio de sesión
login-title = Iniciar sesión
login-workspace = Espacio de trabajo
login-workspace-hint = Déjalo vacío si este servidor tiene un solo espacio de trabajo.
login-email = Correo electrónico
login-password = Contraseña
login-submit = Iniciar sesión
login-failed = El correo electrónico o la contraseña no son correctos, o la cuenta está desactivada.
login-rate-limited = Demasiados intentos de inicio de sesión. Vuelve a intentarlo en { $seconds } s.
login-signed-out = Has cerrado sesión.

## Inicio
home-title = Inicio
home-greeting = Qué bueno verte, { $name }
home-overdue = Vencidas
home-today = Vencen hoy
home-no-tasks = No tienes nada pendiente. ¡Buen trabajo!
home-pipeline = Mis oportunidades abiertas
home-pipeline-empty = No tienes oportunidades abiertas.
home-stage = Etapa
home-count = N.º de oportunidades
home-total = Importe total
home-weighted = Importe ponderado
home-all-stages = Todas las etapas abiertas
home-recent = Actividad reciente en mis registros
home-recent-empty = Todavía no ha pasado nada en tus registros.
home-due = Vence: { $when }

## Listas
list-title-company = Empresas
list-title-contact = Contactos
list-title-lead = Clientes potenciales
list-title-opportunity = Oportunidades
list-title-activity = Actividades
list-new-company = Nueva empresa
list-new-contact = Nuevo contacto
list-new-lead = Nuevo cliente potencial
list-new-opportunity = Nueva oportunidad
list-new-activity = Nueva actividad
list-search = Buscar en esta lista
list-search-submit = Buscar
list-filters = Filtros
list-filter-field = Campo
list-filter-op = Condición
list-filter-value = Valor
list-filter-remove = Quitar este filtro
list-filter-add = Añadir un filtro
list-apply = Aplicar
list-clear = Borrar todo
list-columns = Columnas
list-sort-by = Ordenar por { $field }
list-sorted-asc = orden ascendente
list-sorted-desc = orden descendente
list-next = Página siguiente
list-first = Primera página
list-empty = Ningún registro coincide.
list-total = { $count ->
    [one] Un registro
   *[other] { $count } registros
}
list-select-all = Seleccionar todos en esta página
list-select = Seleccionar { $name }
list-bulk = Con los registros seleccionados
list-bulk-assign = Asignar a
list-bulk-tag = Añadir etiqueta
list-bulk-delete = Eliminar
list-bulk-run = Ejecutar
list-bulk-done = { $count ->
    [one] Se modificó un registro.
   *[other] Se modificaron { $count } registros.
}
list-bulk-failed = { $count ->
    [one] No se pudo modificar un registro:
   *[other] No se pudieron modificar { $count } registros:
}
list-export = Exportar esta vista a CSV
list-export-ready = Tu exportación está lista.
list-export-download = Descargar CSV
list-views = Vistas guardadas
list-view-name = Nombre de la vista
list-view-save = Guardar esta vista
list-view-delete = Eliminar esta vista
list-view-saved = Vista guardada.
list-view-none = Todavía no hay vistas guardadas.

## Condiciones de filtro
op-eq = es igual a
op-ne = no es igual a
op-lt = es menor que
op-lte = es como máximo
op-gt = es mayor que
op-gte = es como mínimo
op-in = es uno de
op-contains = contiene
op-starts_with = empieza por
op-is_null = está vacío

## Páginas de registro
record-details = Detalles
record-edit = Editar
record-save = Guardar
record-cancel = Cancelar
record-create = Crear
record-saved = Guardado.
record-created = Creado.
record-deleted = Eliminado.
record-delete = Eliminar
record-delete-confirm = ¿Eliminar este registro? Se puede restaurar desde la papelera durante 30 días.
record-errors = { $count ->
    [one] Un campo requiere tu atención.
   *[other] { $count } campos requieren tu atención.
}
record-conflict = Otra persona modificó este registro mientras lo editabas. Tus cambios aparecen abajo; revísalos y vuelve a guardar.
record-timeline = Cronología
record-timeline-empty = Todavía no ha pasado nada aquí.
record-timeline-more = Entradas anteriores
record-related = Relacionado
record-related-contacts = Contactos
record-related-opportunities = Oportunidades
record-related-activities = Actividades abiertas
record-related-none = Ninguno todavía.
record-quick = Registrar o planificar
record-quick-call = Registrar una llamada
record-quick-note = Añadir una nota
record-quick-meeting = Planificar una reunión
record-quick-task = Añadir una tarea
record-quick-subject = Asunto
record-quick-body = Detalles
record-quick-due = Cuándo
record-quick-save = Guardar
record-shares = Uso compartido
record-shared-with = Compartido con
record-share-none = No se ha compartido con nadie más allá de su visibilidad.
record-share-with = Compartir con
record-share = Compartir
record-unshare = Dejar de compartir
record-share-team = Equipo { $name }
record-owner = Propietario
record-visibility = Visibilidad
record-empty-value = —
record-yes = Sí
record-no = No
record-changed = { $who } modificó { $fields }
record-created-by = { $who } creó este registro
record-deleted-by = { $who } eliminó este registro
record-restored-by = { $who } restauró este registro
record-someone = Alguien
record-complete = Marcar como completada
record-completed = Completada

## Mi perfil
profile-title = Mi perfil
profile-display-name = Nombre visible
profile-language = Idioma
profile-time-zone = Zona horaria
profile-save = Guardar perfil
profile-saved = Perfil guardado.
profile-password = Cambiar contraseña
profile-current-password = Contraseña actual
profile-new-password = Nueva contraseña
profile-new-password-hint = Al menos 12 caracteres; lo mejor es una frase larga.
profile-password-submit = Cambiar contraseña
profile-password-changed = Contraseña cambiada. Se han cerrado tus otras sesiones y se han revocado tus tokens.
profile-tokens = Mis tokens de API
profile-tokens-none = No tienes tokens de API.
profile-token-name = Nombre
profile-token-scope = Acceso
profile-token-scope-read = Solo lectura
profile-token-scope-read_write = Lectura y escritura
profile-token-created-at = Creado
profile-token-last-used = Último uso
profile-token-never = Nunca
profile-token-create = Crear token
profile-token-created = Copia este token ahora: no se volverá a mostrar.
profile-token-revoke = Revocar
profile-token-revoked = Token revocado.

## Idiomas, con su propio nombre para que cada persona encuentre el suyo
language-en = English
language-pl = Polski
language-es = Español
language-uk = Українська

## Búsqueda
search-title = Búsqueda
search-results = Resultados de «{ $query }»
search-none = No se encontró nada para «{ $query }».
search-hint = Escribe al menos dos letras.

## Errores
error-title = Algo salió mal
error-not-found = Esta página no existe o no tienes permiso para verla.
error-forbidden = Puedes ver esto, pero no modificarlo.
error-csrf = Este formulario ha caducado. Vuelve a cargar la página e inténtalo de nuevo.
error-unavailable = La base de datos no responde. Inténtalo de nuevo en un momento.
error-internal = Algo salió mal por nuestra parte. El error ha quedado registrado.
error-bad-request = No se pudo interpretar la solicitud: { $detail }
error-back-home = Volver al inicio

## Mensajes de error de los campos, según el código que devuelve el servidor
error-code-required = Este campo es obligatorio.
error-code-too_short = Es demasiado corto.
error-code-too_long = Es demasiado largo.
error-code-invalid_format = El formato no es correcto.
error-code-invalid_value = Este valor no está permitido.
error-code-unknown_field = Este campo no existe.
error-code-read_only = Este campo no se puede modificar.
error-code-wrong_type = Este valor es de un tipo incorrecto.
error-code-weak_password = Esta contraseña es demasiado débil o demasiado común.
error-code-taken = Otro registro ya usa este valor.
error-code-unknown_reference = El registro al que se hace referencia no existe o no puedes verlo.
error-code-not_allowed = Este cambio no está permitido.


## Calendario
nav-calendar = Calendario
cal-title = Calendario
cal-week = Semana
cal-month = Mes
cal-previous = Anterior
cal-next = Siguiente
cal-today = Hoy
cal-owner = Calendario de
cal-show = Mostrar
cal-day-1 = Lunes
cal-day-2 = Martes
cal-day-3 = Miércoles
cal-day-4 = Jueves
cal-day-5 = Viernes
cal-day-6 = Sábado
cal-day-7 = Domingo
cal-more = { $count ->
    [one] una más
   *[other] { $count } más
}
cal-truncated = Solo se muestran las primeras { $count } entradas; acota la vista para ver el resto.
cal-range = del { $from } al { $to }

## Nombres de los campos
field-id = Identificador
field-owner_id = Propietario
field-visibility = Visibilidad
field-tag_ids = Etiquetas
field-created_at = Creado
field-updated_at = Actualizado
field-created_by = Creado por
field-updated_by = Actualizado por
field-version = Versión
field-name = Nombre
field-domain = Dominio
field-website = Sitio web
field-industry = Sector
field-annual_revenue = Ingresos anuales
field-employee_count = Empleados
field-phone = Teléfono
field-email = Correo electrónico
field-parent_id = Empresa matriz
field-description = Descripción
field-external_id = Identificador externo
field-first_name = Nombre
field-last_name = Apellidos
field-title = Cargo
field-company_id = Empresa
field-companies = Empresas
field-emails = Direcciones de correo electrónico
field-phones = Números de teléfono
field-time_zone = Zona horaria
field-birth_date = Fecha de nacimiento
field-language = Idioma
field-source = Origen
field-do_not_contact = No contactar
field-company_name = Nombre de la empresa
field-status = Estado
field-rating = Valoración
field-score = Puntuación
field-converted_at = Convertido
field-converted_company_id = Convertido en empresa
field-converted_contact_id = Convertido en contacto
field-converted_opportunity_id = Convertido en oportunidad
field-contacts = Contactos
field-pipeline_id = Embudo de ventas
field-stage_id = Etapa
field-stage_kind = Tipo de etapa
field-amount = Importe
field-close_date = Fecha de cierre
field-probability = Probabilidad (%)
field-lost_reason = Motivo de pérdida
field-next_step = Siguiente paso
field-stage_changed_at = Cambio de etapa
field-closed_at = Cerrado
field-kind = Tipo
field-subject = Asunto
field-body = Detalles
field-due_at = Vencimiento
field-direction = Dirección
field-outcome = Resultado
field-location = Ubicación
field-links = Relacionado con
field-completed_at = Completado
field-address-street = Calle
field-address-city = Ciudad
field-address-postal_code = Código postal
field-address-region = Región
field-address-country = País
field-preferred_channel = Canal preferido
field-email_consent = Consentimiento de correo electrónico
field-sms_consent = Consentimiento de SMS
field-duration_minutes = Duración (minutos)

## Valores de los campos con una lista fija
enum-source-web = Sitio web
enum-source-referral = Recomendación
enum-source-event = Evento
enum-source-advertising = Publicidad
enum-source-cold_call = Llamada en frío
enum-source-email = Correo electrónico
enum-source-partner = Socio
enum-source-social = Redes sociales
enum-source-import = Importación
enum-source-other = Otro
enum-status-new = Nuevo
enum-status-working = En curso
enum-status-nurturing = En maduración
enum-status-qualified = Calificado
enum-status-unqualified = No calificado
enum-status-converted = Convertido
enum-status-open = Abierta
enum-status-done = Completada
enum-rating-hot = Caliente
enum-rating-warm = Templado
enum-rating-cold = Frío
enum-stage_kind-open = Abierta
enum-stage_kind-won = Ganada
enum-stage_kind-lost = Perdida
enum-kind-call = Llamada
enum-kind-meeting = Reunión
enum-kind-task = Tarea
enum-kind-note = Nota
enum-kind-email = Correo electrónico
enum-kind-sms = SMS
enum-kind-chat = Mensaje de chat
enum-kind-social = Publicación en redes sociales
enum-direction-inbound = Entrante
enum-direction-outbound = Saliente
enum-preferred_channel-email = Correo electrónico
enum-preferred_channel-phone = Teléfono
enum-preferred_channel-sms = SMS
enum-preferred_channel-in_person = En persona
enum-preferred_channel-social = Redes sociales
enum-preferred_channel-none = Ninguno
enum-email_consent-unknown = Desconocido
enum-email_consent-granted = Otorgado
enum-email_consent-withdrawn = Retirado
enum-sms_consent-unknown = Desconocido
enum-sms_consent-granted = Otorgado
enum-sms_consent-withdrawn = Retirado
enum-visibility-private = Privada
enum-visibility-team = Equipo
enum-visibility-workspace = Espacio de trabajo

## Pipeline board
nav-board = Tablero
board-title = Tablero del embudo
board-as-list = Ver como lista
board-pipeline = Embudo
board-team = Equipo
board-anyone = Cualquiera
board-any-team = Cualquier equipo
board-empty = Todavía no hay embudo. Aparecerá con la primera oportunidad.
board-closes = Cierre { $date }
board-move = Mover
board-move-heading = Mover { $name }
board-move-to = Mover { $name } a { $stage }
board-more = Todas las oportunidades de esta etapa
board-moving = Moviendo…
board-moved = La oportunidad se ha movido.
board-won-needs = Una oportunidad ganada necesita un importe y una fecha de cierre.
board-lost-needs = Indica por qué se perdió la oportunidad.

## Lead conversion
record-convert = Convertir
convert-title = Convertir { $name }
convert-back = Volver al cliente potencial
convert-already = Este cliente potencial ya se convirtió.
convert-see-contact = Abrir el contacto resultante
convert-company-none = Sin empresa
convert-company-new = Crear la empresa «{ $name }»
convert-company-existing = Vincular una empresa existente
convert-company-name = Nombre de la empresa existente
convert-contact = Contacto
convert-contact-new = Crear un contacto a partir del cliente potencial
convert-contact-existing = Vincular un contacto existente
convert-contact-name = Nombre del contacto existente
convert-opportunity = Oportunidad
convert-opportunity-create = Crear también una oportunidad
convert-submit = Convertir el cliente potencial
