-- Foundation: workspaces, teams, users, credentials, the audit log and the outbox.
--
-- Conventions (keep them in every migration, and mirror each change in ../postgres):
-- * every tenant table leads with workspace_id and has PRIMARY KEY (workspace_id, id), and
--   every reference between tenant tables includes workspace_id, so a row can never point
--   into another workspace and the schema can be sharded by workspace;
-- * ids are UUIDs made by the application, stored as 16-byte BLOBs;
-- * instants are INTEGER microseconds since the Unix epoch, UTC;
-- * booleans are INTEGER 0/1, JSON is TEXT; tables are STRICT.

CREATE TABLE workspaces (
    id BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 16),
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    base_currency TEXT NOT NULL DEFAULT 'EUR',
    is_demo INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT workspaces_slug_key UNIQUE (slug)
) STRICT;

CREATE TABLE teams (
    workspace_id BLOB NOT NULL REFERENCES workspaces (id),
    id BLOB NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    parent_id BLOB,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace_id, id),
    CONSTRAINT teams_name_key UNIQUE (workspace_id, name_key),
    FOREIGN KEY (workspace_id, parent_id) REFERENCES teams (workspace_id, id)
) STRICT;

CREATE INDEX teams_parent_idx ON teams (workspace_id, parent_id);

CREATE TABLE users (
    workspace_id BLOB NOT NULL REFERENCES workspaces (id),
    id BLOB NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'rep', 'read_only')),
    team_id BLOB,
    password_hash TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    locale TEXT NOT NULL DEFAULT 'en',
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    credentials_changed_at INTEGER NOT NULL,
    last_login_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace_id, id),
    CONSTRAINT users_email_key UNIQUE (workspace_id, email_key),
    FOREIGN KEY (workspace_id, team_id) REFERENCES teams (workspace_id, id)
) STRICT;

CREATE INDEX users_team_idx ON users (workspace_id, team_id);

CREATE TABLE api_tokens (
    workspace_id BLOB NOT NULL,
    id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    name TEXT NOT NULL,
    token_hash BLOB NOT NULL,
    hint TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('read', 'read_write')),
    expires_at INTEGER,
    last_used_at INTEGER,
    revoked_at INTEGER,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, id),
    CONSTRAINT api_tokens_hash_key UNIQUE (workspace_id, token_hash),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
) STRICT;

CREATE INDEX api_tokens_user_idx ON api_tokens (workspace_id, user_id);

CREATE TABLE sessions (
    workspace_id BLOB NOT NULL,
    id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    token_hash BLOB NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    ip TEXT,
    user_agent TEXT,
    PRIMARY KEY (workspace_id, id),
    CONSTRAINT sessions_hash_key UNIQUE (workspace_id, token_hash),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
) STRICT;

CREATE INDEX sessions_user_idx ON sessions (workspace_id, user_id);

-- The login limiter's state: one theoretical arrival time per bucket (see core::rate_limit).
CREATE TABLE login_throttle (
    workspace_id BLOB NOT NULL REFERENCES workspaces (id),
    bucket TEXT NOT NULL,
    tat INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, bucket)
) STRICT;

-- Append-only: the application has no path that updates or deletes a row.
CREATE TABLE audit_log (
    workspace_id BLOB NOT NULL REFERENCES workspaces (id),
    id BLOB NOT NULL,
    at INTEGER NOT NULL,
    actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user', 'operator', 'anonymous')),
    actor_id BLOB,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id BLOB,
    changes TEXT CHECK (changes IS NULL OR json_valid(changes)),
    detail TEXT CHECK (detail IS NULL OR json_valid(detail)),
    request_id TEXT,
    ip TEXT,
    PRIMARY KEY (workspace_id, id)
) STRICT;

CREATE INDEX audit_log_object_idx ON audit_log (workspace_id, object_type, object_id, id);
CREATE INDEX audit_log_at_idx ON audit_log (workspace_id, at);

-- Domain events written in the same transaction as the change they describe.
CREATE TABLE outbox (
    workspace_id BLOB NOT NULL REFERENCES workspaces (id),
    id BLOB NOT NULL,
    event_type TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id BLOB,
    payload TEXT NOT NULL CHECK (json_valid(payload)),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, id)
) STRICT;
