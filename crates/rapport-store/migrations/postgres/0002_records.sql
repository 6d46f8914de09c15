-- The CRM records (companies, contacts, leads, opportunities, activities), their relations,
-- pipelines, tags, custom fields, shares, field rules, idempotency keys and the search index.
-- Generated together with its PostgreSQL twin; keep them in step. Conventions: see 0001.
-- Text columns named *_key hold the value folded in Rust (lowercase, Latin marks removed)
-- for case-insensitive filters and sorting that work in every script. Records are trashed by
-- setting deleted_at; deleted_batch ties records trashed together (cascade) so they are
-- restored together.

CREATE TABLE pipelines (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    name text NOT NULL,
    name_key text NOT NULL,
    is_default boolean NOT NULL DEFAULT false,
    position bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    CONSTRAINT pipelines_name_key UNIQUE (workspace_id, name_key)
);

CREATE TABLE stages (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    pipeline_id uuid NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    probability bigint NOT NULL DEFAULT 0,
    position bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, pipeline_id) REFERENCES pipelines (workspace_id, id),
    CHECK (kind IN ('open', 'won', 'lost')),
    CHECK (probability BETWEEN 0 AND 100)
);

CREATE INDEX stages_pipeline_idx ON stages (workspace_id, pipeline_id, position);

CREATE TABLE companies (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    owner_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('private', 'team', 'workspace')),
    name text NOT NULL,
    name_key text NOT NULL,
    domain text,
    website text,
    industry text,
    industry_key text,
    employee_count bigint,
    annual_revenue_minor bigint,
    annual_revenue_currency text,
    phone text,
    email text,
    email_key text,
    address_street text,
    address_city text,
    address_city_key text,
    address_postal_code text,
    address_postal_code_key text,
    address_region text,
    address_region_key text,
    address_country text,
    parent_id uuid,
    description text,
    external_id text,
    external_id_key text,
    custom jsonb NOT NULL DEFAULT '{}',
    custom_keys jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 1,
    deleted_at timestamptz,
    deleted_by uuid,
    deleted_batch uuid,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, parent_id) REFERENCES companies (workspace_id, id)
);

CREATE TABLE contacts (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    owner_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('private', 'team', 'workspace')),
    first_name text,
    first_name_key text,
    last_name text,
    last_name_key text,
    title text,
    title_key text,
    company_id uuid,
    emails jsonb NOT NULL DEFAULT '[]',
    email text,
    email_key text,
    phones jsonb NOT NULL DEFAULT '[]',
    phone text,
    address_street text,
    address_city text,
    address_city_key text,
    address_postal_code text,
    address_postal_code_key text,
    address_region text,
    address_region_key text,
    address_country text,
    time_zone text,
    birth_date date,
    language text,
    source text,
    preferred_channel text,
    email_consent text,
    sms_consent text,
    do_not_contact boolean,
    description text,
    external_id text,
    external_id_key text,
    custom jsonb NOT NULL DEFAULT '{}',
    custom_keys jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 1,
    deleted_at timestamptz,
    deleted_by uuid,
    deleted_batch uuid,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, company_id) REFERENCES companies (workspace_id, id)
);

CREATE TABLE leads (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    owner_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('private', 'team', 'workspace')),
    first_name text,
    first_name_key text,
    last_name text,
    last_name_key text,
    company_name text,
    company_name_key text,
    title text,
    title_key text,
    email text,
    email_key text,
    phone text,
    website text,
    source text,
    status text NOT NULL DEFAULT 'new',
    rating text,
    score bigint,
    description text,
    external_id text,
    external_id_key text,
    converted_at timestamptz,
    converted_company_id uuid,
    converted_contact_id uuid,
    converted_opportunity_id uuid,
    custom jsonb NOT NULL DEFAULT '{}',
    custom_keys jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 1,
    deleted_at timestamptz,
    deleted_by uuid,
    deleted_batch uuid,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES users (workspace_id, id)
);

CREATE TABLE opportunities (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    owner_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('private', 'team', 'workspace')),
    name text NOT NULL,
    name_key text NOT NULL,
    company_id uuid,
    pipeline_id uuid NOT NULL,
    stage_id uuid NOT NULL,
    stage_kind text NOT NULL,
    amount_minor bigint,
    amount_currency text,
    close_date date,
    probability bigint,
    lost_reason text,
    lost_reason_key text,
    next_step text,
    source text,
    description text,
    stage_changed_at timestamptz NOT NULL,
    closed_at timestamptz,
    custom jsonb NOT NULL DEFAULT '{}',
    custom_keys jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 1,
    deleted_at timestamptz,
    deleted_by uuid,
    deleted_batch uuid,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES users (workspace_id, id),
    FOREIGN KEY (workspace_id, company_id) REFERENCES companies (workspace_id, id),
    FOREIGN KEY (workspace_id, stage_id) REFERENCES stages (workspace_id, id),
    CHECK (stage_kind IN ('open', 'won', 'lost'))
);

CREATE TABLE activities (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    owner_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('private', 'team', 'workspace')),
    kind text NOT NULL,
    subject text,
    subject_key text,
    body text,
    due_at timestamptz,
    duration_minutes bigint,
    direction text,
    outcome text,
    outcome_key text,
    location text,
    status text NOT NULL DEFAULT 'open',
    completed_at timestamptz,
    timeline_at timestamptz NOT NULL,
    custom jsonb NOT NULL DEFAULT '{}',
    custom_keys jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    created_by uuid,
    updated_at timestamptz NOT NULL,
    updated_by uuid,
    version bigint NOT NULL DEFAULT 1,
    deleted_at timestamptz,
    deleted_by uuid,
    deleted_batch uuid,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES users (workspace_id, id),
    CHECK (status IN ('open', 'done'))
);

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
    workspace_id uuid NOT NULL,
    contact_id uuid NOT NULL,
    company_id uuid NOT NULL,
    role text,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, contact_id, company_id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, company_id) REFERENCES companies (workspace_id, id)
);

CREATE INDEX contact_companies_company_idx ON contact_companies (workspace_id, company_id, contact_id);

CREATE TABLE opportunity_contacts (
    workspace_id uuid NOT NULL,
    opportunity_id uuid NOT NULL,
    contact_id uuid NOT NULL,
    role text,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, opportunity_id, contact_id),
    FOREIGN KEY (workspace_id, opportunity_id) REFERENCES opportunities (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id)
);

CREATE INDEX opportunity_contacts_contact_idx ON opportunity_contacts (workspace_id, contact_id, opportunity_id);

CREATE TABLE opportunity_stage_history (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    opportunity_id uuid NOT NULL,
    from_stage_id uuid,
    to_stage_id uuid NOT NULL,
    at timestamptz NOT NULL,
    actor_id uuid,
    amount_minor bigint,
    amount_currency text,
    probability bigint,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, opportunity_id) REFERENCES opportunities (workspace_id, id)
);

CREATE INDEX opportunity_stage_history_opportunity_idx ON opportunity_stage_history (workspace_id, opportunity_id, at);

CREATE TABLE activity_links (
    workspace_id uuid NOT NULL,
    activity_id uuid NOT NULL,
    object_type text NOT NULL,
    record_id uuid NOT NULL,
    PRIMARY KEY (workspace_id, activity_id, object_type, record_id),
    FOREIGN KEY (workspace_id, activity_id) REFERENCES activities (workspace_id, id),
    CHECK (object_type IN ('company', 'contact', 'lead', 'opportunity'))
);

CREATE INDEX activity_links_record_idx ON activity_links (workspace_id, object_type, record_id, activity_id);

CREATE TABLE tags (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    name text NOT NULL,
    name_key text NOT NULL,
    color text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    CONSTRAINT tags_name_key UNIQUE (workspace_id, name_key)
);

CREATE TABLE record_tags (
    workspace_id uuid NOT NULL,
    object_type text NOT NULL,
    record_id uuid NOT NULL,
    tag_id uuid NOT NULL,
    PRIMARY KEY (workspace_id, object_type, record_id, tag_id),
    FOREIGN KEY (workspace_id, tag_id) REFERENCES tags (workspace_id, id)
);

CREATE INDEX record_tags_tag_idx ON record_tags (workspace_id, tag_id, object_type, record_id);

CREATE TABLE custom_fields (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    object_type text NOT NULL,
    key text NOT NULL,
    label text NOT NULL,
    kind text NOT NULL,
    required boolean NOT NULL DEFAULT false,
    options jsonb NOT NULL DEFAULT '[]',
    position bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    CONSTRAINT custom_fields_key_key UNIQUE (workspace_id, object_type, key),
    CHECK (kind IN ('text', 'number', 'date', 'bool', 'select'))
);

CREATE TABLE shares (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    object_type text NOT NULL,
    record_id uuid NOT NULL,
    grantee_type text NOT NULL,
    grantee_id uuid NOT NULL,
    access text NOT NULL,
    created_by uuid,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    CONSTRAINT shares_grant_key UNIQUE (workspace_id, object_type, record_id, grantee_type, grantee_id),
    CHECK (grantee_type IN ('user', 'team')),
    CHECK (access IN ('read', 'read_write'))
);

CREATE INDEX shares_grantee_idx ON shares (workspace_id, grantee_type, grantee_id, object_type, record_id);

CREATE TABLE field_rules (
    workspace_id uuid NOT NULL,
    object_type text NOT NULL,
    field text NOT NULL,
    role text NOT NULL,
    hidden boolean NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, object_type, field, role),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    CHECK (role IN ('manager', 'rep', 'read_only'))
);

CREATE TABLE object_settings (
    workspace_id uuid NOT NULL,
    object_type text NOT NULL,
    default_visibility text NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, object_type),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    CHECK (default_visibility IN ('private', 'team', 'workspace'))
);

CREATE TABLE idempotency_keys (
    workspace_id uuid NOT NULL,
    principal_id uuid NOT NULL,
    method text NOT NULL,
    path text NOT NULL,
    key text NOT NULL,
    request_hash bytea NOT NULL,
    state text NOT NULL,
    status bigint,
    headers jsonb,
    body bytea,
    created_at timestamptz NOT NULL,
    locked_until timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, principal_id, method, path, key),
    CHECK (state IN ('in_flight', 'done'))
);

CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Search: one document per record with its searchable fields folded in Rust, and a GIN
-- index over its tsvector ('simple' configuration: no stemming, the folding is ours).
CREATE TABLE search_docs (
    workspace_id uuid NOT NULL,
    object_type text NOT NULL,
    record_id uuid NOT NULL,
    body text NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED,
    PRIMARY KEY (workspace_id, object_type, record_id)
);

CREATE INDEX search_docs_tsv_idx ON search_docs USING gin (tsv);
