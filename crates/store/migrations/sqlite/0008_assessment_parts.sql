-- Joint assessments: each score records the organisation and person that rated it, so that the
-- labour-market unit, social services and the employment service can each record their part.
ALTER TABLE assessment_scores ADD COLUMN rated_by_org_id BLOB;
ALTER TABLE assessment_scores ADD COLUMN rated_by BLOB;
ALTER TABLE assessment_scores ADD COLUMN rated_at TEXT;
