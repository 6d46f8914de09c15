-- Jobs (imports and exports) and match keys for imports.
--
-- A job is claimed by one worker at a time through its lease: a worker that dies leaves a
-- lease that runs out, and another worker takes the job up again. The input of an API
-- import and the output of an export are kept in the row (both bounded by caps in the app).
-- Opportunities get the external_id the other objects already have, so that every object
-- can be upserted by it.

ALTER TABLE opportunities ADD COLUMN external_id TEXT;
ALTER TABLE opportunities ADD COLUMN external_id_key TEXT;

CREATE UNIQUE INDEX opportunities_external_idx ON opportunities (workspace_id, external_id) WHERE deleted_at IS NULL AND external_id IS NOT NULL;

CREATE TABLE jobs (
    workspace_id BLOB NOT NULL REFERENCES workspaces (id),
    id BLOB NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('import', 'export')),
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    params TEXT NOT NULL CHECK (json_valid(params)),
    input BLOB,
    output BLOB,
    progress_done INTEGER NOT NULL DEFAULT 0,
    progress_total INTEGER,
    result TEXT CHECK (json_valid(result)),
    errors TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(errors)),
    created_by BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    lease_owner TEXT,
    lease_until INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, created_by) REFERENCES users (workspace_id, id)
) STRICT;

CREATE INDEX jobs_queue_idx ON jobs (status, created_at);

CREATE INDEX jobs_active_idx ON jobs (workspace_id, kind, status);
