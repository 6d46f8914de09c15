# Rapport UI messages: English, the source language.
# Every key here exists in pl.ftl, es.ftl and uk.ftl (a test checks).
## The layout on every page
app-name = Rapport
nav-skip = Skip to content
nav-main = Main navigation
nav-home = Home
nav-companies = Companies
nav-contacts = Contacts
nav-leads = Leads
nav-opportunities = Opportunities
nav-activities = Activities
nav-search = Search
nav-search-placeholder = Search all records (Ctrl+K)
nav-profile = My profile
nav-sign-out = Sign out
nav-signed-in-as = Signed in as { $name }

## Sign-in
login-title = Sign in
login-workspace = Workspace
login-workspace-hint = Leave empty when this server holds a single workspace.
login-email = E-mail
login-password = Password
login-submit = Sign in
login-failed = The e-mail or password is wrong, or the account is disabled.
login-rate-limited = Too many sign-in attempts. Try again in { $seconds } seconds.
login-signed-out = You have signed out.

## Home
home-title = Home
home-greeting = Good to see you, { $name }
home-overdue = Overdue
home-today = Due today
home-no-tasks = Nothing is due. Well done.
home-pipeline = My open pipeline
home-pipeline-empty = You have no open opportunities.
home-stage = Stage
home-count = Deals
home-total = Total
home-weighted = Weighted
home-all-stages = All open stages
home-recent = Recent activity on my records
home-recent-empty = Nothing has happened on your records yet.
home-due = Due { $when }

## Lists
list-title-company = Companies
list-title-contact = Contacts
list-title-lead = Leads
list-title-opportunity = Opportunities
list-title-activity = Activities
list-new-company = New company
list-new-contact = New contact
list-new-lead = New lead
list-new-opportunity = New opportunity
list-new-activity = New activity
list-search = Search in this list
list-search-submit = Search
list-filters = Filters
list-filter-field = Field
list-filter-op = Condition
list-filter-value = Value
list-filter-remove = Remove this filter
list-filter-add = Add a filter
list-apply = Apply
list-clear = Clear all
list-columns = Columns
list-sort-by = Sort by { $field }
list-sorted-asc = sorted ascending
list-sorted-desc = sorted descending
list-next = Next page
list-first = First page
list-empty = No records match.
list-total = { $count ->
    [one] One record
   *[other] { $count } records
}
list-select-all = Select all on this page
list-select = Select { $name }
list-bulk = With the selected records
list-bulk-assign = Assign to
list-bulk-tag = Add tag
list-bulk-delete = Delete
list-bulk-run = Run
list-bulk-done = { $count ->
    [one] One record changed.
   *[other] { $count } records changed.
}
list-bulk-failed = { $count ->
    [one] One record could not be changed:
   *[other] { $count } records could not be changed:
}
list-export = Export this view as CSV
list-export-ready = Your export is ready.
list-export-download = Download CSV
list-views = Saved views
list-view-name = View name
list-view-save = Save this view
list-view-delete = Delete this view
list-view-saved = View saved.
list-view-none = No saved views yet.

## Filter conditions
op-eq = is
op-ne = is not
op-lt = is less than
op-lte = is at most
op-gt = is greater than
op-gte = is at least
op-in = is one of
op-contains = contains
op-starts_with = starts with
op-is_null = is empty

## Record pages
record-details = Details
record-edit = Edit
record-save = Save
record-cancel = Cancel
record-create = Create
record-saved = Saved.
record-created = Created.
record-deleted = Deleted.
record-delete = Delete
record-delete-confirm = Delete this record? It can be restored from the trash for 30 days.
record-errors = { $count ->
    [one] One field needs attention.
   *[other] { $count } fields need attention.
}
record-conflict = Someone else changed this record while you were editing. Your changes are below; review them and save again.
record-timeline = Timeline
record-timeline-empty = Nothing has happened here yet.
record-timeline-more = Older entries
record-related = Related
record-related-contacts = Contacts
record-related-opportunities = Opportunities
record-related-activities = Open activities
record-related-none = None yet.
record-quick = Log or plan
record-quick-call = Log a call
record-quick-note = Add a note
record-quick-meeting = Plan a meeting
record-quick-task = Add a task
record-quick-subject = Subject
record-quick-body = Details
record-quick-due = When
record-quick-save = Save
record-shares = Sharing
record-shared-with = Shared with
record-share-none = Not shared with anyone beyond its visibility.
record-share-with = Share with
record-share = Share
record-unshare = Stop sharing
record-share-team = Team { $name }
record-owner = Owner
record-visibility = Visibility
record-empty-value = —
record-yes = Yes
record-no = No
record-changed = { $who } changed { $fields }
record-created-by = { $who } created this record
record-deleted-by = { $who } deleted this record
record-restored-by = { $who } restored this record
record-someone = Someone
record-complete = Mark done
record-completed = Done

## My profile
profile-title = My profile
profile-display-name = Display name
profile-language = Language
profile-time-zone = Time zone
profile-save = Save profile
profile-saved = Profile saved.
profile-password = Change password
profile-current-password = Current password
profile-new-password = New password
profile-new-password-hint = At least 12 characters; a long phrase is best.
profile-password-submit = Change password
profile-password-changed = Password changed. Your other sessions and tokens have ended.
profile-tokens = My API tokens
profile-tokens-none = You have no API tokens.
profile-token-name = Name
profile-token-scope = Access
profile-token-scope-read = Read only
profile-token-scope-read_write = Read and write
profile-token-created-at = Created
profile-token-last-used = Last used
profile-token-never = Never
profile-token-create = Create token
profile-token-created = Copy this token now: it will not be shown again.
profile-token-revoke = Revoke
profile-token-revoked = Token revoked.

## Languages, by their own names so everyone finds theirs
language-en = English
language-pl = Polski
language-es = Español
language-uk = Українська

## Search
search-title = Search
search-results = Results for “{ $query }”
search-none = Nothing found for “{ $query }”.
search-hint = Type at least two letters.

## Errors
error-title = Something went wrong
error-not-found = This page does not exist, or you may not see it.
error-forbidden = You may see this, but not change it.
error-csrf = This form has expired. Reload the page and try again.
error-unavailable = The database is not answering. Try again in a moment.
error-internal = Something went wrong on our side. The error has been logged.
error-bad-request = The request could not be understood: { $detail }
error-back-home = Back to home

## Field error messages, by the code the server gives
error-code-required = This field is required.
error-code-too_short = This is too short.
error-code-too_long = This is too long.
error-code-invalid_format = This does not have the right format.
error-code-invalid_value = This value is not allowed.
error-code-unknown_field = This field does not exist.
error-code-read_only = This field cannot be changed.
error-code-wrong_type = This value has the wrong type.
error-code-weak_password = This password is too weak or too common.
error-code-taken = Another record already uses this value.
error-code-unknown_reference = The record this points to does not exist or you cannot see it.
error-code-not_allowed = This change is not allowed.


## Calendar
nav-calendar = Calendar
cal-title = Calendar
cal-week = Week
cal-month = Month
cal-previous = Previous
cal-next = Next
cal-today = Today
cal-owner = Whose calendar
cal-show = Show
cal-day-1 = Monday
cal-day-2 = Tuesday
cal-day-3 = Wednesday
cal-day-4 = Thursday
cal-day-5 = Friday
cal-day-6 = Saturday
cal-day-7 = Sunday
cal-more = { $count ->
    [one] one more
   *[other] { $count } more
}
cal-truncated = Only the first { $count } entries are shown; narrow the view to see the rest.
cal-range = { $from } – { $to }

## Field names
field-id = Id
field-owner_id = Owner
field-visibility = Visibility
field-tag_ids = Tags
field-created_at = Created
field-updated_at = Updated
field-created_by = Created by
field-updated_by = Updated by
field-version = Version
field-name = Name
field-domain = Domain
field-website = Website
field-industry = Industry
field-annual_revenue = Annual revenue
field-employee_count = Employees
field-phone = Phone
field-email = E-mail
field-parent_id = Parent company
field-description = Description
field-external_id = External id
field-first_name = First name
field-last_name = Last name
field-title = Job title
field-company_id = Company
field-companies = Companies
field-emails = E-mail addresses
field-phones = Phone numbers
field-time_zone = Time zone
field-birth_date = Birth date
field-language = Language
field-source = Source
field-do_not_contact = Do not contact
field-company_name = Company name
field-status = Status
field-rating = Rating
field-score = Score
field-converted_at = Converted
field-converted_company_id = Converted to company
field-converted_contact_id = Converted to contact
field-converted_opportunity_id = Converted to opportunity
field-contacts = Contacts
field-pipeline_id = Pipeline
field-stage_id = Stage
field-stage_kind = Stage kind
field-amount = Amount
field-close_date = Close date
field-probability = Probability (%)
field-lost_reason = Reason lost
field-next_step = Next step
field-stage_changed_at = Stage changed
field-closed_at = Closed
field-kind = Type
field-subject = Subject
field-body = Details
field-due_at = Due
field-direction = Direction
field-outcome = Outcome
field-location = Location
field-links = Related to
field-completed_at = Completed
field-address-street = Street
field-address-city = City
field-address-postal_code = Postal code
field-address-region = Region
field-address-country = Country
field-preferred_channel = Preferred channel
field-email_consent = E-mail consent
field-sms_consent = SMS consent
field-duration_minutes = Duration (minutes)

## Values of fields with a fixed list
enum-source-web = Website
enum-source-referral = Referral
enum-source-event = Event
enum-source-advertising = Advertising
enum-source-cold_call = Cold call
enum-source-email = E-mail
enum-source-partner = Partner
enum-source-social = Social media
enum-source-import = Import
enum-source-other = Other
enum-status-new = New
enum-status-working = Working
enum-status-nurturing = Nurturing
enum-status-qualified = Qualified
enum-status-unqualified = Unqualified
enum-status-converted = Converted
enum-status-open = Open
enum-status-done = Done
enum-rating-hot = Hot
enum-rating-warm = Warm
enum-rating-cold = Cold
enum-stage_kind-open = Open
enum-stage_kind-won = Won
enum-stage_kind-lost = Lost
enum-kind-call = Call
enum-kind-meeting = Meeting
enum-kind-task = Task
enum-kind-note = Note
enum-kind-email = E-mail
enum-kind-sms = SMS
enum-kind-chat = Chat
enum-kind-social = Social post
enum-direction-inbound = Inbound
enum-direction-outbound = Outbound
enum-preferred_channel-email = E-mail
enum-preferred_channel-phone = Phone
enum-preferred_channel-sms = SMS
enum-preferred_channel-in_person = In person
enum-preferred_channel-social = Social media
enum-preferred_channel-none = None
enum-email_consent-unknown = Unknown
enum-email_consent-granted = Granted
enum-email_consent-withdrawn = Withdrawn
enum-sms_consent-unknown = Unknown
enum-sms_consent-granted = Granted
enum-sms_consent-withdrawn = Withdrawn
enum-visibility-private = Private
enum-visibility-team = Team
enum-visibility-workspace = Workspace

## Pipeline board
nav-board = Board
board-title = Pipeline board
board-as-list = Show as a list
board-pipeline = Pipeline
board-team = Team
board-anyone = Anyone
board-any-team = Any team
board-empty = There is no pipeline yet. It appears with the first opportunity.
board-closes = Closes { $date }
board-move = Move
board-move-heading = Move { $name }
board-move-to = Move { $name } to { $stage }
board-more = All opportunities in this stage
board-moving = Moving…
board-moved = The opportunity was moved.
board-won-needs = A won deal needs an amount and a close date.
board-lost-needs = Say why the deal was lost.

## Lead conversion
record-convert = Convert
convert-title = Convert { $name }
convert-back = Back to the lead
convert-already = This lead was converted already.
convert-see-contact = Open the contact it became
convert-company-none = No company
convert-company-new = Create the company “{ $name }”
convert-company-existing = Link an existing company
convert-company-name = Name of the existing company
convert-contact = Contact
convert-contact-new = Create a contact from the lead
convert-contact-existing = Link an existing contact
convert-contact-name = Name of the existing contact
convert-opportunity = Opportunity
convert-opportunity-create = Also create an opportunity
convert-submit = Convert the lead
