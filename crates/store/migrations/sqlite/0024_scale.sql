-- Issue #13: each list costs what it shows, not what the organisation holds. Every index here
-- has more equality columns than the index the planner used to pick for the same query, so it
-- wins without statistics (Stegvis does not run ANALYZE). store::tests::query_plans_use_indexes
-- pins the plans.

-- The caseload: one coach's enrolments (or the unassigned ones) in enrolment order.
CREATE INDEX enrolments_caseload ON enrolments (org_id, coach_id, enrolled_on, id);
DROP INDEX enrolments_coach;
-- The tally refresh on every write reads one participant's enrolments and placements.
CREATE INDEX enrolments_participant ON enrolments (participant_id, org_id);
DROP INDEX placements_participant;
CREATE INDEX placements_participant ON placements (participant_id, org_id);
-- Open follow-ups: per enrolment (the caseload) and per organisation (follow-ups due).
CREATE INDEX follow_ups_open ON follow_ups (enrolment_id, due_on) WHERE done_on IS NULL;
CREATE INDEX follow_ups_open_org ON follow_ups (org_id, due_on) WHERE done_on IS NULL;
-- A participant's own list: two equalities, so it beats follow_ups_open_org after a join on p.
CREATE INDEX follow_ups_open_participant ON follow_ups (participant_id, org_id, due_on)
    WHERE done_on IS NULL;
DROP INDEX follow_ups_due;
-- The caseload's last attended day and recent minutes, from the index alone.
CREATE INDEX attendance_recent ON attendance (participant_id, attended_on, activity_id, minutes);
DROP INDEX attendance_participant;
-- Referrals sent and received, newest first.
CREATE INDEX referrals_sent ON referrals (org_id, sent_at);
DROP INDEX referrals_to_org;
CREATE INDEX referrals_to_org ON referrals (to_org_id, sent_at);
-- A supervisor's placements.
DROP INDEX placements_supervisor;
CREATE INDEX placements_supervised ON placements (supervisor_id, status);

-- The tallies gain the key `exited` (a project's counts are read from them): clear them, and the
-- start-up check (App::ensure_report_tallies) rebuilds them from the enrolments.
DELETE FROM report_tallies;
DELETE FROM report_contributions;
