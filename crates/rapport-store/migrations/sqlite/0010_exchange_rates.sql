-- Dated exchange rates into the workspace's base currency: one unit of `currency` is worth
-- rate_nanos / 10^9 base units from valid_from (a calendar day) until the next rate of the
-- same currency. Rates are exact integers so that both backends convert to the same cent.
CREATE TABLE exchange_rates (
    workspace_id BLOB NOT NULL,
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    valid_from TEXT NOT NULL,
    rate_nanos INTEGER NOT NULL CHECK (rate_nanos > 0),
    updated_by BLOB,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, currency, valid_from),
    FOREIGN KEY (workspace_id) REFERENCES workspaces (id),
    FOREIGN KEY (workspace_id, updated_by) REFERENCES users (workspace_id, id)
) STRICT;
