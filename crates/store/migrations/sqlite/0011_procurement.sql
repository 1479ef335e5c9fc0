-- Social procurement clauses (social hänsyn i upphandling): a public contract that obliges the
-- supplier to take on participants. Delivery is counted from the placements at its workplaces.
CREATE TABLE procurement_clauses (
    id BLOB PRIMARY KEY NOT NULL,
    employer_org_id BLOB NOT NULL REFERENCES organisations(id),
    buyer TEXT NOT NULL,
    contract TEXT NOT NULL,
    promised_placements INTEGER NOT NULL,
    promised_jobs INTEGER NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    created_at TEXT NOT NULL,
    created_by BLOB
);
CREATE INDEX procurement_clauses_employer ON procurement_clauses(employer_org_id);
