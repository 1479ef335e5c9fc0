-- Search that scales (issue #13): a trigram index over the folded names, and an index that
-- walks an organisation's participants in list order. Keep in step with
-- ../sqlite/0025_search.sql.

-- pg_trgm is a trusted extension (PostgreSQL 13 and later): the database's owner may create
-- it. Where the role may not, a superuser runs this statement once before Stegvis starts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- LIKE '%fragment%' of three or more characters through the trigram index.
CREATE INDEX participants_search_trgm ON participants USING gin (search_name gin_trgm_ops);

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
    version BIGINT NOT NULL
);
INSERT INTO search_folding (id, version)
SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM participants) THEN 1 ELSE 2 END;
