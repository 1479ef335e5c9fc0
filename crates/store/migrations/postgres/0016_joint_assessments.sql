-- A staff assessment opened to named partner organisations: each records its part there, under
-- the participant's consent to that organisation covering assessments.
CREATE TABLE assessment_partners (
    assessment_id UUID NOT NULL REFERENCES assessments(id),
    org_id UUID NOT NULL REFERENCES organisations(id),
    opened_by UUID,
    opened_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (assessment_id, org_id)
);
