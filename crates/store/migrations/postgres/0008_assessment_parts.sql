-- Joint assessments: each score records the organisation and person that rated it, so that the
-- labour-market unit, social services and the employment service can each record their part.
ALTER TABLE assessment_scores ADD COLUMN rated_by_org_id UUID;
ALTER TABLE assessment_scores ADD COLUMN rated_by UUID;
ALTER TABLE assessment_scores ADD COLUMN rated_at TIMESTAMPTZ;
