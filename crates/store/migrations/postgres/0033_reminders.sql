-- Reminders (issue #15): a participant's agreement to be reminded, and each reminder planned
-- and sent. The address and number are personal data, sealed like identity numbers
-- (AES-256-GCM-SIV, bound to this row's participant id).
CREATE TABLE reminder_agreements (
    participant_id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL,
    by_email BOOLEAN NOT NULL,
    email_enc BYTEA,
    by_sms BOOLEAN NOT NULL,
    phone_enc BYTEA,
    -- 'sv', 'en', 'ar' or 'so': the language of the texts.
    lang TEXT NOT NULL,
    given_at TIMESTAMPTZ NOT NULL,
    withdrawn_at TIMESTAMPTZ,
    version INTEGER NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by UUID
);
-- The daily plan walks only live agreements; a tick's top-up only those changed since.
CREATE INDEX reminder_agreements_live ON reminder_agreements (participant_id) WHERE withdrawn_at IS NULL;
CREATE INDEX reminder_agreements_updated ON reminder_agreements (updated_at);

CREATE TABLE reminders (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL,
    participant_id UUID NOT NULL,
    -- 'activity', 'plan_step', 'follow_up'.
    kind TEXT NOT NULL,
    source_id UUID NOT NULL,
    -- The occasion: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` (Swedish local time).
    occasion TEXT NOT NULL,
    -- 'email' or 'sms'.
    channel TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    claimed_at TIMESTAMPTZ,
    claim UUID,
    sent_at TIMESTAMPTZ,
    error TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    -- The same reminder can never be sent twice.
    UNIQUE (participant_id, kind, source_id, occasion, channel)
);
-- A tick reads what is due and what a crash left in 'sending', never the whole table.
CREATE INDEX reminders_pending ON reminders (next_attempt_at) WHERE status = 'pending';
CREATE INDEX reminders_sending ON reminders (claimed_at) WHERE status = 'sending';
CREATE INDEX reminders_claim ON reminders (claim) WHERE status = 'sending';

-- The days whose reminders have been planned: one full plan per day, then top-ups.
CREATE TABLE reminder_plans (
    day DATE PRIMARY KEY NOT NULL,
    planned_at TIMESTAMPTZ NOT NULL
);
