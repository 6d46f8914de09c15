-- A user's saved list views: a name and the list's query string (the list API's own
-- parameters, so a view means the same thing in the UI, the API and an export).
CREATE TABLE saved_views (
    workspace_id uuid NOT NULL,
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    object_type text NOT NULL CHECK (object_type IN ('company', 'contact', 'lead', 'opportunity', 'activity')),
    name text NOT NULL,
    query text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace_id, id),
    CONSTRAINT saved_views_name_key UNIQUE (workspace_id, user_id, object_type, name),
    FOREIGN KEY (workspace_id, user_id) REFERENCES users (workspace_id, id)
);
