-- SQLite splits its full-text index by object in this version. PostgreSQL's GIN index over
-- search_docs needs no change; the version exists so that both backends count migrations
-- alike (backups name the schema version they were taken at).
SELECT 1;
