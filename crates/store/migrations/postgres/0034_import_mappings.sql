-- Import (issue #16): the column mapping an organisation last used for each kind of file, by the
-- columns' headers (field key -> header), so the next file from the same spreadsheet is mapped
-- without asking. No personal data.
CREATE TABLE import_mappings (
    org_id UUID NOT NULL,
    kind TEXT NOT NULL,
    -- JSON object: field key -> the header as written in the file.
    columns TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by UUID,
    PRIMARY KEY (org_id, kind)
);
