-- Social procurement clauses (social hänsyn i upphandling): a public contract that obliges the
-- supplier to take on participants. Delivery is counted from the placements at its workplaces.
CREATE TABLE procurement_clauses (
    id UUID PRIMARY KEY NOT NULL,
    employer_org_id UUID NOT NULL REFERENCES organisations(id),
    buyer TEXT NOT NULL,
    contract TEXT NOT NULL,
    promised_placements INTEGER NOT NULL,
    promised_jobs INTEGER NOT NULL,
    valid_from DATE NOT NULL,
    valid_to DATE,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID
);
CREATE INDEX procurement_clauses_employer ON procurement_clauses(employer_org_id);
