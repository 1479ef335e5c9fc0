-- Agreements with employers: a cooperation agreement (samarbetsavtal) or a placement agreement.
CREATE TABLE employer_agreements (
    id BLOB PRIMARY KEY NOT NULL,
    employer_org_id BLOB NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    valid_to TEXT,
    note TEXT,
    created_at TEXT NOT NULL,
    created_by BLOB
);
CREATE INDEX employer_agreements_employer ON employer_agreements(employer_org_id);
