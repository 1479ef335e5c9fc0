-- Search that scales (issue #13): a trigram index over the folded names, and an index that
-- walks an organisation's participants in list order. Keep in step with
-- ../postgres/0025_search.sql.

-- The FTS5 table reads its text from participants (external content, by rowid); the triggers
-- keep it in step. Stegvis never runs VACUUM, which may renumber rowids; after one, run
-- INSERT INTO participant_names(participant_names) VALUES ('rebuild').
CREATE VIRTUAL TABLE participant_names USING fts5(
    search_name, content = 'participants', content_rowid = 'rowid', tokenize = 'trigram');
INSERT INTO participant_names(participant_names) VALUES ('rebuild');
CREATE TRIGGER participant_names_insert AFTER INSERT ON participants BEGIN
    INSERT INTO participant_names(rowid, search_name) VALUES (new.rowid, new.search_name);
END;
CREATE TRIGGER participant_names_delete AFTER DELETE ON participants BEGIN
    INSERT INTO participant_names(participant_names, rowid, search_name)
    VALUES ('delete', old.rowid, old.search_name);
END;
CREATE TRIGGER participant_names_update AFTER UPDATE OF search_name ON participants BEGIN
    INSERT INTO participant_names(participant_names, rowid, search_name)
    VALUES ('delete', old.rowid, old.search_name);
    INSERT INTO participant_names(rowid, search_name) VALUES (new.rowid, new.search_name);
END;

-- The list order (family name, given name, id) within an organisation: a page of a common
-- fragment, or of one or two letters, stops after the page instead of sorting every match.
-- It carries search_name, so the walk and its capped count read the index, not the rows.
CREATE INDEX participants_by_name ON participants (org_id, family_name, given_name, id, search_name);
-- (org_id, search_name) cannot serve '%fragment%'.
DROP INDEX participants_search;

-- A partner's search starts from the consents given to it.
CREATE INDEX consents_recipient ON consents (recipient_org_id, participant_id);

-- Which version of the folding (domain::participant::SEARCH_KEY_VERSION) the stored
-- search_name values were made with: older rows are refolded at start, in batches.
CREATE TABLE search_folding (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO search_folding (id, version)
SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM participants) THEN 1 ELSE 2 END;
