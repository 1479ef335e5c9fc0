-- Matching on assessed conditions: the participant's Swedish and the adaptations they need, the
-- Swedish a job needs and the adaptations a workplace can make (codes, comma-separated).
ALTER TABLE job_profiles ADD COLUMN swedish TEXT;
ALTER TABLE job_profiles ADD COLUMN needs TEXT NOT NULL DEFAULT '';
ALTER TABLE openings ADD COLUMN min_swedish TEXT;
ALTER TABLE openings ADD COLUMN can_adapt TEXT NOT NULL DEFAULT '';
