-- PostgreSQL splits its full-text index by object in this version; SQLite did so in 0003.
-- The version exists so that both backends count migrations alike.
SELECT 1;
