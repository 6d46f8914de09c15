-- Foundation: workspaces, teams, users, credentials, the audit log and the outbox.
-- Mirror of ../sqlite/0001_foundation.sql; the parity test holds the two together.
-- uuid for ids, timestamptz for instants, boolean, jsonb.

CREATE TABLE workspaces (
    id uuid NOT NULL PRIMARY KEY,
    name text NOT NULL,
    slug text NOT NULL,
    base_currency text NOT NULL DEFAULT 'EUR',
    is_demo boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL DEFAULT 1,
    CONSTRAINT workspaces_slug_key UNIQUE (slug)
);

CREATE TABLE teams (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    id uuid NOT NULL,
    name text NOT NULL,
    name_key text NOT NULL,
    parent_id uuid,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace_id, id),
    CONSTRAINT teams_name_key UNIQUE (workspace_id, name_key),
    FOREIGN KEY (workspace_id, parent_id) REFERENCES teams (workspace_id, id)
);

CREATE INDEX teams_parent_idx ON teams (workspace_id, parent_id);

CREATE TABLE users (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    id uuid NOT NULL,
    email text NOT NULL,
    email_key text NOT NULL,
    display_name text NOT NULL,
    role text NOT NULL CHECK (role IN ('admin', 'manager', 'rep', 'read_only')),
    team_id uuid,
    password_hash text NOT NULL,
    enabled boolean NOT NULL DEFAULT true,
    locale text NOT NULL DEFAULT 'en',
    time_zone text NOT NULL DEFAULT 'UTC',
    credentials_changed_at timestamptz NOT NULL,
    last_login_at timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace_id, id),
    CONSTRAINT users_email_key UNIQUE (workspace_id, email_key),
    FOREIGN KEY (workspace_id, team_id) REFERENCES teams (workspace_id, id)
);

CREATE INDEX users_team_idx ON users (workspace_id, team_id);

CREATE TABLE api_tokens (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    name text NOT NULL,
    token_hash bytea NOT NULL,
    hint text NOT NULL,
    scope text NOT NULL CHECK (scope IN ('read', 'read_write')),
    expires_at timestamptz,
    last_used_at timestamptz,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, id),
    CONSTRAINT api_tokens_hash_key UNIQUE (workspace_id, token_hash),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
);

CREATE INDEX api_tokens_user_idx ON api_tokens (workspace_id, user_id);

CREATE TABLE sessions (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    ip text,
    user_agent text,
    PRIMARY KEY (workspace_id, id),
    CONSTRAINT sessions_hash_key UNIQUE (workspace_id, token_hash),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
);

CREATE INDEX sessions_user_idx ON sessions (workspace_id, user_id);

CREATE TABLE login_throttle (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    bucket text NOT NULL,
    tat timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, bucket)
);

CREATE TABLE audit_log (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    id uuid NOT NULL,
    at timestamptz NOT NULL,
    actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'operator', 'anonymous')),
    actor_id uuid,
    action text NOT NULL,
    object_type text NOT NULL,
    object_id uuid,
    changes jsonb,
    detail jsonb,
    request_id text,
    ip text,
    PRIMARY KEY (workspace_id, id)
);

CREATE INDEX audit_log_object_idx ON audit_log (workspace_id, object_type, object_id, id);
CREATE INDEX audit_log_at_idx ON audit_log (workspace_id, at);

CREATE TABLE outbox (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    id uuid NOT NULL,
    event_type text NOT NULL,
    object_type text NOT NULL,
    object_id uuid,
    payload jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
