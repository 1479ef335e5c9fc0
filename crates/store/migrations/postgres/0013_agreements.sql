-- Agreements with employers: a cooperation agreement (samarbetsavtal) or a placement agreement.
CREATE TABLE employer_agreements (
    id UUID PRIMARY KEY NOT NULL,
    employer_org_id UUID NOT NULL REFERENCES organisations(id),
    kind TEXT NOT NULL,
    signed_on DATE NOT NULL,
    valid_to DATE,
    note TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID
);
CREATE INDEX employer_agreements_employer ON employer_agreements(employer_org_id);
