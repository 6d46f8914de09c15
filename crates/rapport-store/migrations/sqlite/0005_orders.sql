-- Orders (DESIGN §4.10): what a customer bought, when and for how much. The customer is a
-- contact, a company or both. Imported purchase history arrives as orders with
-- source = 'import' and, when the file names one, an external_id unique in the workspace.
-- Order lines wait for the product catalogue; an order carries its total only.
CREATE TABLE orders (
    workspace_id BLOB NOT NULL,
    id BLOB NOT NULL,
    contact_id BLOB,
    company_id BLOB,
    ordered_at TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    quantity INTEGER,
    source TEXT NOT NULL CHECK (source IN ('import', 'manual', 'api')),
    external_id TEXT,
    created_at INTEGER NOT NULL,
    created_by BLOB,
    PRIMARY KEY (workspace_id, id),
    CHECK (contact_id IS NOT NULL OR company_id IS NOT NULL),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, company_id) REFERENCES companies (workspace_id, id)
) STRICT;

CREATE UNIQUE INDEX orders_external_idx ON orders (workspace_id, external_id) WHERE external_id IS NOT NULL;

CREATE INDEX orders_contact_idx ON orders (workspace_id, contact_id, ordered_at) WHERE contact_id IS NOT NULL;

CREATE INDEX orders_company_idx ON orders (workspace_id, company_id, ordered_at) WHERE company_id IS NOT NULL;

-- Fitted analytics models, so that predictions do not refit. One row per fit and kind
-- ('bgnbd', 'paretonbd', 'gammagamma', 'rfm'); readers take the newest of a kind.
CREATE TABLE analytics_models (
    workspace_id BLOB NOT NULL,
    id BLOB NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('bgnbd', 'paretonbd', 'gammagamma', 'rfm')),
    customer_type TEXT NOT NULL CHECK (customer_type IN ('contact', 'company')),
    params TEXT NOT NULL CHECK (json_valid(params)),
    calibration_end TEXT NOT NULL,
    customers INTEGER NOT NULL,
    log_likelihood REAL,
    fitted_at INTEGER NOT NULL,
    fitted_by BLOB,
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id)
) STRICT;

CREATE INDEX analytics_models_kind_idx ON analytics_models (workspace_id, customer_type, kind, fitted_at);
