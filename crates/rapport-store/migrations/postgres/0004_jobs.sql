-- Jobs (imports and exports) and match keys for imports.
--
-- A job is claimed by one worker at a time through its lease (FOR UPDATE SKIP LOCKED): a
-- worker that dies leaves a lease that runs out, and another worker takes the job up again.
-- The input of an API import and the output of an export are kept in the row (both bounded
-- by caps in the app). Opportunities get the external_id the other objects already have, so
-- that every object can be upserted by it.

ALTER TABLE opportunities ADD COLUMN external_id text;
ALTER TABLE opportunities ADD COLUMN external_id_key text;

CREATE UNIQUE INDEX opportunities_external_idx ON opportunities (workspace_id, external_id) WHERE deleted_at IS NULL AND external_id IS NOT NULL;

CREATE TABLE jobs (
    workspace_id uuid NOT NULL REFERENCES workspaces (id),
    id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('import', 'export')),
    status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    params jsonb NOT NULL,
    input bytea,
    output bytea,
    progress_done bigint NOT NULL DEFAULT 0,
    progress_total bigint,
    result jsonb,
    errors jsonb NOT NULL DEFAULT '[]',
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL,
    started_at timestamptz,
    finished_at timestamptz,
    lease_owner text,
    lease_until timestamptz,
    attempts bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, created_by) REFERENCES users (workspace_id, id)
);

CREATE INDEX jobs_queue_idx ON jobs (status, created_at);

CREATE INDEX jobs_active_idx ON jobs (workspace_id, kind, status);
