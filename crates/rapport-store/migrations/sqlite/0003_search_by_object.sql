-- One full-text index per object instead of one for all. A search of contacts then never
-- walks the activities (three for every contact in a typical CRM), and the newest matches
-- come straight from the index in rowid order (see search.rs). Triggers keep each index in
-- step with the rows of its object in search_docs. Never run the FTS5 'rebuild' command on
-- these tables: it would index every object's documents into each.

DROP TRIGGER search_docs_ai;
DROP TRIGGER search_docs_ad;
DROP TRIGGER search_docs_au;
DROP TABLE search_fts;

CREATE VIRTUAL TABLE search_fts_company USING fts5(
    body,
    content = 'search_docs',
    content_rowid = 'doc_id',
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3'
);

CREATE TRIGGER search_docs_ai_company AFTER INSERT ON search_docs WHEN new.object_type = 'company' BEGIN
    INSERT INTO search_fts_company (rowid, body) VALUES (new.doc_id, new.body);
END;

CREATE TRIGGER search_docs_ad_company AFTER DELETE ON search_docs WHEN old.object_type = 'company' BEGIN
    INSERT INTO search_fts_company (search_fts_company, rowid, body) VALUES ('delete', old.doc_id, old.body);
END;

CREATE TRIGGER search_docs_au_company AFTER UPDATE ON search_docs WHEN old.object_type = 'company' BEGIN
    INSERT INTO search_fts_company (search_fts_company, rowid, body) VALUES ('delete', old.doc_id, old.body);
    INSERT INTO search_fts_company (rowid, body) VALUES (new.doc_id, new.body);
END;

INSERT INTO search_fts_company (rowid, body) SELECT doc_id, body FROM search_docs WHERE object_type = 'company';

CREATE VIRTUAL TABLE search_fts_contact USING fts5(
    body,
    content = 'search_docs',
    content_rowid = 'doc_id',
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3'
);

CREATE TRIGGER search_docs_ai_contact AFTER INSERT ON search_docs WHEN new.object_type = 'contact' BEGIN
    INSERT INTO search_fts_contact (rowid, body) VALUES (new.doc_id, new.body);
END;

CREATE TRIGGER search_docs_ad_contact AFTER DELETE ON search_docs WHEN old.object_type = 'contact' BEGIN
    INSERT INTO search_fts_contact (search_fts_contact, rowid, body) VALUES ('delete', old.doc_id, old.body);
END;

CREATE TRIGGER search_docs_au_contact AFTER UPDATE ON search_docs WHEN old.object_type = 'contact' BEGIN
    INSERT INTO search_fts_contact (search_fts_contact, rowid, body) VALUES ('delete', old.doc_id, old.body);
    INSERT INTO search_fts_contact (rowid, body) VALUES (new.doc_id, new.body);
END;

INSERT INTO search_fts_contact (rowid, body) SELECT doc_id, body FROM search_docs WHERE object_type = 'contact';

CREATE VIRTUAL TABLE search_fts_lead USING fts5(
    body,
    content = 'search_docs',
    content_rowid = 'doc_id',
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3'
);

CREATE TRIGGER search_docs_ai_lead AFTER INSERT ON search_docs WHEN new.object_type = 'lead' BEGIN
    INSERT INTO search_fts_lead (rowid, body) VALUES (new.doc_id, new.body);
END;

CREATE TRIGGER search_docs_ad_lead AFTER DELETE ON search_docs WHEN old.object_type = 'lead' BEGIN
    INSERT INTO search_fts_lead (search_fts_lead, rowid, body) VALUES ('delete', old.doc_id, old.body);
END;

CREATE TRIGGER search_docs_au_lead AFTER UPDATE ON search_docs WHEN old.object_type = 'lead' BEGIN
    INSERT INTO search_fts_lead (search_fts_lead, rowid, body) VALUES ('delete', old.doc_id, old.body);
    INSERT INTO search_fts_lead (rowid, body) VALUES (new.doc_id, new.body);
END;

INSERT INTO search_fts_lead (rowid, body) SELECT doc_id, body FROM search_docs WHERE object_type = 'lead';

CREATE VIRTUAL TABLE search_fts_opportunity USING fts5(
    body,
    content = 'search_docs',
    content_rowid = 'doc_id',
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3'
);

CREATE TRIGGER search_docs_ai_opportunity AFTER INSERT ON search_docs WHEN new.object_type = 'opportunity' BEGIN
    INSERT INTO search_fts_opportunity (rowid, body) VALUES (new.doc_id, new.body);
END;

CREATE TRIGGER search_docs_ad_opportunity AFTER DELETE ON search_docs WHEN old.object_type = 'opportunity' BEGIN
    INSERT INTO search_fts_opportunity (search_fts_opportunity, rowid, body) VALUES ('delete', old.doc_id, old.body);
END;

CREATE TRIGGER search_docs_au_opportunity AFTER UPDATE ON search_docs WHEN old.object_type = 'opportunity' BEGIN
    INSERT INTO search_fts_opportunity (search_fts_opportunity, rowid, body) VALUES ('delete', old.doc_id, old.body);
    INSERT INTO search_fts_opportunity (rowid, body) VALUES (new.doc_id, new.body);
END;

INSERT INTO search_fts_opportunity (rowid, body) SELECT doc_id, body FROM search_docs WHERE object_type = 'opportunity';

CREATE VIRTUAL TABLE search_fts_activity USING fts5(
    body,
    content = 'search_docs',
    content_rowid = 'doc_id',
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3'
);

CREATE TRIGGER search_docs_ai_activity AFTER INSERT ON search_docs WHEN new.object_type = 'activity' BEGIN
    INSERT INTO search_fts_activity (rowid, body) VALUES (new.doc_id, new.body);
END;

CREATE TRIGGER search_docs_ad_activity AFTER DELETE ON search_docs WHEN old.object_type = 'activity' BEGIN
    INSERT INTO search_fts_activity (search_fts_activity, rowid, body) VALUES ('delete', old.doc_id, old.body);
END;

CREATE TRIGGER search_docs_au_activity AFTER UPDATE ON search_docs WHEN old.object_type = 'activity' BEGIN
    INSERT INTO search_fts_activity (search_fts_activity, rowid, body) VALUES ('delete', old.doc_id, old.body);
    INSERT INTO search_fts_activity (rowid, body) VALUES (new.doc_id, new.body);
END;

INSERT INTO search_fts_activity (rowid, body) SELECT doc_id, body FROM search_docs WHERE object_type = 'activity';
