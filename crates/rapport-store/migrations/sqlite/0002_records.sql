-- The CRM records (companies, contacts, leads, opportunities, activities), their relations,
-- pipelines, tags, custom fields, shares, field rules, idempotency keys and the search index.
-- Generated together with its PostgreSQL twin; keep them in step. Conventions: see 0001.
-- Text columns named *_key hold the value folded in Rust (lowercase, Latin marks removed)
-- for case-insensitive filters and sorting that work in every script. Records are trashed by
-- setting deleted_at; deleted_batch ties records trashed together (cascade) so they are
-- restored together.

CREATE TABLE pipelines (
    workspace_id BLOB NOT NULL,
    id BLOB NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    position INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    CONSTRAINT pipelines_name_key UNIQUE (workspace_id, name_key)
) STRICT;

CREATE TABLE stages (
    workspace_id BLOB NOT NULL,
    id BLOB NOT NULL,
    pipeline_id BLOB NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    probability INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, pipeline_id) REFERENCES pipelines (workspace_id, id),
    CHECK (kind IN ('open', 'won', 'lost')),
    CHECK (probability BETWEEN 0 AND 100)
) STRICT;

CREATE INDEX stages_pipeline_idx ON stages (workspace_id, pipeline_id, position);

CREATE TABLE companies (
    workspace_id BLOB NOT NULL,
    id BLOB NOT NULL,
    owner_id BLOB NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('private', 'team', 'workspace')),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    domain TEXT,
    website TEXT,
    industry TEXT,
    industry_key TEXT,
    employee_count INTEGER,
    annual_revenue_minor INTEGER,
    annual_revenue_currency TEXT,
    phone TEXT,
    email TEXT,
    email_key TEXT,
    address_street TEXT,
    address_city TEXT,
    address_city_key TEXT,
    address_postal_code TEXT,
    address_postal_code_key TEXT,
    address_region TEXT,
    address_region_key TEXT,
    address_country TEXT,
    parent_id BLOB,
    description TEXT,
    external_id TEXT,
    external_id_key TEXT,
    custom TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom)),
    custom_keys TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom_keys)),
    created_at INTEGER NOT NULL,
    created_by BLOB,
    updated_at INTEGER NOT NULL,
    updated_by BLOB,
    version INTEGER NOT NULL DEFAULT 1,
    deleted_at INTEGER,
    deleted_by BLOB,
    deleted_batch BLOB,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, parent_id) REFERENCES companies (workspace_id, id)
) STRICT;

CREATE TABLE contacts (
    workspace_id BLOB NOT NULL,
    id BLOB NOT NULL,
    owner_id BLOB NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('private', 'team', 'workspace')),
    first_name TEXT,
    first_name_key TEXT,
    last_name TEXT,
    last_name_key TEXT,
    title TEXT,
    title_key TEXT,
    company_id BLOB,
    emails TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(emails)),
    email TEXT,
    email_key TEXT,
    phones TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(phones)),
    phone TEXT,
    address_street TEXT,
    address_city TEXT,
    address_city_key TEXT,
    address_postal_code TEXT,
    address_postal_code_key TEXT,
    address_region TEXT,
    address_region_key TEXT,
    address_country TEXT,
    time_zone TEXT,
    birth_date TEXT,
    language TEXT,
    source TEXT,
    preferred_channel TEXT,
    email_consent TEXT,
    sms_consent TEXT,
    do_not_contact INTEGER CHECK (do_not_contact IN (0, 1)),
    description TEXT,
    external_id TEXT,
    external_id_key TEXT,
    custom TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom)),
    custom_keys TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom_keys)),
    created_at INTEGER NOT NULL,
    created_by BLOB,
    updated_at INTEGER NOT NULL,
    updated_by BLOB,
    version INTEGER NOT NULL DEFAULT 1,
    deleted_at INTEGER,
    deleted_by BLOB,
    deleted_batch BLOB,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, company_id) REFERENCES companies (workspace_id, id)
) STRICT;

CREATE TABLE leads (
    workspace_id BLOB NOT NULL,
    id BLOB NOT NULL,
    owner_id BLOB NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('private', 'team', 'workspace')),
    first_name TEXT,
    first_name_key TEXT,
    last_name TEXT,
    last_name_key TEXT,
    company_name TEXT,
    company_name_key TEXT,
    title TEXT,
    title_key TEXT,
    email TEXT,
    email_key TEXT,
    phone TEXT,
    website TEXT,
    source TEXT,
    status TEXT NOT NULL DEFAULT 'new',
    rating TEXT,
    score INTEGER,
    description TEXT,
    external_id TEXT,
    external_id_key TEXT,
    converted_at INTEGER,
    converted_company_id BLOB,
    converted_contact_id BLOB,
    converted_opportunity_id BLOB,
    custom TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom)),
    custom_keys TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom_keys)),
    created_at INTEGER NOT NULL,
    created_by BLOB,
    updated_at INTEGER NOT NULL,
    updated_by BLOB,
    version INTEGER NOT NULL DEFAULT 1,
    deleted_at INTEGER,
    deleted_by BLOB,
    deleted_batch BLOB,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES users (workspace_id, id)
) STRICT;

CREATE TABLE opportunities (
    workspace_id BLOB NOT NULL,
    id BLOB NOT NULL,
    owner_id BLOB NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('private', 'team', 'workspace')),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    company_id BLOB,
    pipeline_id BLOB NOT NULL,
    stage_id BLOB NOT NULL,
    stage_kind TEXT NOT NULL,
    amount_minor INTEGER,
    amount_currency TEXT,
    close_date TEXT,
    probability INTEGER,
    lost_reason TEXT,
    lost_reason_key TEXT,
    next_step TEXT,
    source TEXT,
    description TEXT,
    stage_changed_at INTEGER NOT NULL,
    closed_at INTEGER,
    custom TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom)),
    custom_keys TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom_keys)),
    created_at INTEGER NOT NULL,
    created_by BLOB,
    updated_at INTEGER NOT NULL,
    updated_by BLOB,
    version INTEGER NOT NULL DEFAULT 1,
    deleted_at INTEGER,
    deleted_by BLOB,
    deleted_batch BLOB,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, company_id) REFERENCES companies (workspace_id, id),
    FOREIGN KEY (workspace_id, stage_id) REFERENCES stages (workspace_id, id),
    CHECK (stage_kind IN ('open', 'won', 'lost'))
) STRICT;

CREATE TABLE activities (
    workspace_id BLOB NOT NULL,
    id BLOB NOT NULL,
    owner_id BLOB NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('private', 'team', 'workspace')),
    kind TEXT NOT NULL,
    subject TEXT,
    subject_key TEXT,
    body TEXT,
    due_at INTEGER,
    duration_minutes INTEGER,
    direction TEXT,
    outcome TEXT,
    outcome_key TEXT,
    location TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    completed_at INTEGER,
    timeline_at INTEGER NOT NULL,
    custom TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom)),
    custom_keys TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom_keys)),
    created_at INTEGER NOT NULL,
    created_by BLOB,
    updated_at INTEGER NOT NULL,
    updated_by BLOB,
    version INTEGER NOT NULL DEFAULT 1,
    deleted_at INTEGER,
    deleted_by BLOB,
    deleted_batch BLOB,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES users (workspace_id, id),
    CHECK (status IN ('open', 'done'))
) STRICT;

CREATE INDEX companies_owner_idx ON companies (workspace_id, owner_id, id) WHERE deleted_at IS NULL;

CREATE INDEX companies_updated_idx ON companies (workspace_id, updated_at, id) WHERE deleted_at IS NULL;

CREATE INDEX companies_created_idx ON companies (workspace_id, created_at, id) WHERE deleted_at IS NULL;

CREATE INDEX companies_trash_idx ON companies (workspace_id, deleted_at) WHERE deleted_at IS NOT NULL;

CREATE INDEX contacts_owner_idx ON contacts (workspace_id, owner_id, id) WHERE deleted_at IS NULL;

CREATE INDEX contacts_updated_idx ON contacts (workspace_id, updated_at, id) WHERE deleted_at IS NULL;

CREATE INDEX contacts_created_idx ON contacts (workspace_id, created_at, id) WHERE deleted_at IS NULL;

CREATE INDEX contacts_trash_idx ON contacts (workspace_id, deleted_at) WHERE deleted_at IS NOT NULL;

CREATE INDEX leads_owner_idx ON leads (workspace_id, owner_id, id) WHERE deleted_at IS NULL;

CREATE INDEX leads_updated_idx ON leads (workspace_id, updated_at, id) WHERE deleted_at IS NULL;

CREATE INDEX leads_created_idx ON leads (workspace_id, created_at, id) WHERE deleted_at IS NULL;

CREATE INDEX leads_trash_idx ON leads (workspace_id, deleted_at) WHERE deleted_at IS NOT NULL;

CREATE INDEX opportunities_owner_idx ON opportunities (workspace_id, owner_id, id) WHERE deleted_at IS NULL;

CREATE INDEX opportunities_updated_idx ON opportunities (workspace_id, updated_at, id) WHERE deleted_at IS NULL;

CREATE INDEX opportunities_created_idx ON opportunities (workspace_id, created_at, id) WHERE deleted_at IS NULL;

CREATE INDEX opportunities_trash_idx ON opportunities (workspace_id, deleted_at) WHERE deleted_at IS NOT NULL;

CREATE INDEX activities_owner_idx ON activities (workspace_id, owner_id, id) WHERE deleted_at IS NULL;

CREATE INDEX activities_updated_idx ON activities (workspace_id, updated_at, id) WHERE deleted_at IS NULL;

CREATE INDEX activities_created_idx ON activities (workspace_id, created_at, id) WHERE deleted_at IS NULL;

CREATE INDEX activities_trash_idx ON activities (workspace_id, deleted_at) WHERE deleted_at IS NOT NULL;

CREATE INDEX companies_name_idx ON companies (workspace_id, name_key, id) WHERE deleted_at IS NULL;

CREATE INDEX companies_domain_idx ON companies (workspace_id, domain) WHERE deleted_at IS NULL;

CREATE INDEX companies_parent_idx ON companies (workspace_id, parent_id) WHERE deleted_at IS NULL;

CREATE UNIQUE INDEX companies_external_idx ON companies (workspace_id, external_id) WHERE deleted_at IS NULL AND external_id IS NOT NULL;

CREATE INDEX contacts_last_name_idx ON contacts (workspace_id, last_name_key, id) WHERE deleted_at IS NULL;

CREATE INDEX contacts_first_name_idx ON contacts (workspace_id, first_name_key, id) WHERE deleted_at IS NULL;

CREATE INDEX contacts_email_idx ON contacts (workspace_id, email_key) WHERE deleted_at IS NULL;

CREATE INDEX contacts_company_idx ON contacts (workspace_id, company_id) WHERE deleted_at IS NULL;

CREATE INDEX contacts_city_idx ON contacts (workspace_id, address_city_key, id) WHERE deleted_at IS NULL;

CREATE UNIQUE INDEX contacts_external_idx ON contacts (workspace_id, external_id) WHERE deleted_at IS NULL AND external_id IS NOT NULL;

CREATE INDEX leads_status_idx ON leads (workspace_id, status, id) WHERE deleted_at IS NULL;

CREATE INDEX leads_email_idx ON leads (workspace_id, email_key) WHERE deleted_at IS NULL;

CREATE UNIQUE INDEX leads_external_idx ON leads (workspace_id, external_id) WHERE deleted_at IS NULL AND external_id IS NOT NULL;

CREATE INDEX opportunities_stage_idx ON opportunities (workspace_id, pipeline_id, stage_id, id) WHERE deleted_at IS NULL;

CREATE INDEX opportunities_company_idx ON opportunities (workspace_id, company_id) WHERE deleted_at IS NULL;

CREATE INDEX opportunities_close_idx ON opportunities (workspace_id, close_date, id) WHERE deleted_at IS NULL;

CREATE INDEX activities_due_idx ON activities (workspace_id, status, due_at, id) WHERE deleted_at IS NULL;

CREATE INDEX activities_timeline_idx ON activities (workspace_id, timeline_at, id) WHERE deleted_at IS NULL;

CREATE TABLE contact_companies (
    workspace_id BLOB NOT NULL,
    contact_id BLOB NOT NULL,
    company_id BLOB NOT NULL,
    role TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, contact_id, company_id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, company_id) REFERENCES companies (workspace_id, id)
) STRICT;

CREATE INDEX contact_companies_company_idx ON contact_companies (workspace_id, company_id, contact_id);

CREATE TABLE opportunity_contacts (
    workspace_id BLOB NOT NULL,
    opportunity_id BLOB NOT NULL,
    contact_id BLOB NOT NULL,
    role TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, opportunity_id, contact_id),
    FOREIGN KEY (workspace_id, opportunity_id) REFERENCES opportunities (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id)
) STRICT;

CREATE INDEX opportunity_contacts_contact_idx ON opportunity_contacts (workspace_id, contact_id, opportunity_id);

CREATE TABLE opportunity_stage_history (
    workspace_id BLOB NOT NULL,
    id BLOB NOT NULL,
    opportunity_id BLOB NOT NULL,
    from_stage_id BLOB,
    to_stage_id BLOB NOT NULL,
    at INTEGER NOT NULL,
    actor_id BLOB,
    amount_minor INTEGER,
    amount_currency TEXT,
    probability INTEGER,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, opportunity_id) REFERENCES opportunities (workspace_id, id)
) STRICT;

CREATE INDEX opportunity_stage_history_opportunity_idx ON opportunity_stage_history (workspace_id, opportunity_id, at);

CREATE TABLE activity_links (
    workspace_id BLOB NOT NULL,
    activity_id BLOB NOT NULL,
    object_type TEXT NOT NULL,
    record_id BLOB NOT NULL,
    PRIMARY KEY (workspace_id, activity_id, object_type, record_id),
    FOREIGN KEY (workspace_id, activity_id) REFERENCES activities (workspace_id, id),
    CHECK (object_type IN ('company', 'contact', 'lead', 'opportunity'))
) STRICT;

CREATE INDEX activity_links_record_idx ON activity_links (workspace_id, object_type, record_id, activity_id);

CREATE TABLE tags (
    workspace_id BLOB NOT NULL,
    id BLOB NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    color TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    CONSTRAINT tags_name_key UNIQUE (workspace_id, name_key)
) STRICT;

CREATE TABLE record_tags (
    workspace_id BLOB NOT NULL,
    object_type TEXT NOT NULL,
    record_id BLOB NOT NULL,
    tag_id BLOB NOT NULL,
    PRIMARY KEY (workspace_id, object_type, record_id, tag_id),
    FOREIGN KEY (workspace_id, tag_id) REFERENCES tags (workspace_id, id)
) STRICT;

CREATE INDEX record_tags_tag_idx ON record_tags (workspace_id, tag_id, object_type, record_id);

CREATE TABLE custom_fields (
    workspace_id BLOB NOT NULL,
    id BLOB NOT NULL,
    object_type TEXT NOT NULL,
    key TEXT NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    required INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
    options TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(options)),
    position INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    CONSTRAINT custom_fields_key_key UNIQUE (workspace_id, object_type, key),
    CHECK (kind IN ('text', 'number', 'date', 'bool', 'select'))
) STRICT;

CREATE TABLE shares (
    workspace_id BLOB NOT NULL,
    id BLOB NOT NULL,
    object_type TEXT NOT NULL,
    record_id BLOB NOT NULL,
    grantee_type TEXT NOT NULL,
    grantee_id BLOB NOT NULL,
    access TEXT NOT NULL,
    created_by BLOB,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    CONSTRAINT shares_grant_key UNIQUE (workspace_id, object_type, record_id, grantee_type, grantee_id),
    CHECK (grantee_type IN ('user', 'team')),
    CHECK (access IN ('read', 'read_write'))
) STRICT;

CREATE INDEX shares_grantee_idx ON shares (workspace_id, grantee_type, grantee_id, object_type, record_id);

CREATE TABLE field_rules (
    workspace_id BLOB NOT NULL,
    object_type TEXT NOT NULL,
    field TEXT NOT NULL,
    role TEXT NOT NULL,
    hidden INTEGER NOT NULL CHECK (hidden IN (0, 1)),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, object_type, field, role),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    CHECK (role IN ('manager', 'rep', 'read_only'))
) STRICT;

CREATE TABLE object_settings (
    workspace_id BLOB NOT NULL,
    object_type TEXT NOT NULL,
    default_visibility TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, object_type),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    CHECK (default_visibility IN ('private', 'team', 'workspace'))
) STRICT;

CREATE TABLE idempotency_keys (
    workspace_id BLOB NOT NULL,
    principal_id BLOB NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash BLOB NOT NULL,
    state TEXT NOT NULL,
    status INTEGER,
    headers TEXT CHECK (json_valid(headers)),
    body BLOB,
    created_at INTEGER NOT NULL,
    locked_until INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, principal_id, method, path, key),
    CHECK (state IN ('in_flight', 'done'))
) STRICT;

CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Search: one document per record with its searchable fields folded in Rust, and an FTS5
-- index over them kept in step by triggers.
CREATE TABLE search_docs (
    doc_id INTEGER PRIMARY KEY,
    workspace_id BLOB NOT NULL,
    object_type TEXT NOT NULL,
    record_id BLOB NOT NULL,
    body TEXT NOT NULL,
    CONSTRAINT search_docs_record_key UNIQUE (workspace_id, object_type, record_id)
) STRICT;

CREATE VIRTUAL TABLE search_fts USING fts5(
    body,
    content = 'search_docs',
    content_rowid = 'doc_id',
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3'
);

CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, body) VALUES (new.doc_id, new.body);
END;

CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.doc_id, old.body);
END;

CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.doc_id, old.body);
    INSERT INTO search_fts (rowid, body) VALUES (new.doc_id, new.body);
END;
