-- The referral lists page newest first, `sent_at DESC, id`. With `id` in the index, in the
-- list's own direction, a page is read in order and stops after its rows even when many
-- referrals share one `sent_at` (a batch sent together, an import): without it every tie
-- of the boundary was read and sorted.
DROP INDEX referrals_sent;
CREATE INDEX referrals_sent ON referrals (org_id, sent_at DESC, id);
DROP INDEX referrals_to_org;
CREATE INDEX referrals_to_org ON referrals (to_org_id, sent_at DESC, id);
