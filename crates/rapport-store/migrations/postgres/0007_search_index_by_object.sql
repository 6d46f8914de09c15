-- One full-text index per object, as SQLite has had since 0003. A prefix search of contacts
-- for "mar" read the posting lists of every object's documents (activities outnumber
-- contacts three to one) into a bitmap before the object filter: 160 ms p50 at 100,000
-- contacts. Queries name the object as a literal so the planner can pick these.
CREATE INDEX search_docs_tsv_company_idx ON search_docs USING gin (tsv) WHERE object_type = 'company';
CREATE INDEX search_docs_tsv_contact_idx ON search_docs USING gin (tsv) WHERE object_type = 'contact';
CREATE INDEX search_docs_tsv_lead_idx ON search_docs USING gin (tsv) WHERE object_type = 'lead';
CREATE INDEX search_docs_tsv_opportunity_idx ON search_docs USING gin (tsv) WHERE object_type = 'opportunity';
CREATE INDEX search_docs_tsv_activity_idx ON search_docs USING gin (tsv) WHERE object_type = 'activity';
DROP INDEX search_docs_tsv_idx;
