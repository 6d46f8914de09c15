-- "Open deals, largest first" sorts by amount_minor DESC NULLS LAST (NULLs sort last in
-- both directions). opportunities_amount_idx (0006) is ascending with NULLs last, and a
-- backward walk of it gives DESC NULLS FIRST, so PostgreSQL could not use it for this order
-- and sorted every open deal for each page (26 ms at 40,000 opportunities, 0.4 ms with this
-- index). The ascending order keeps using opportunities_amount_idx.
CREATE INDEX opportunities_amount_desc_idx ON opportunities (workspace_id, stage_kind, amount_minor DESC NULLS LAST, id DESC) WHERE deleted_at IS NULL;
