-- Whether the participant still receives social assistance (ekonomiskt bistånd) at a follow-up:
-- with the baseline answer it shows the seeds' goal of fewer costs of social assistance.
ALTER TABLE follow_ups ADD COLUMN social_assistance TEXT;
