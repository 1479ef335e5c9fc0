-- The coach responsible for an enrolment: the caseload a coach opens every morning.
ALTER TABLE enrolments ADD COLUMN coach_id BLOB REFERENCES users(id);
CREATE INDEX enrolments_coach ON enrolments(org_id, coach_id);
