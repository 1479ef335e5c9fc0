-- When an activity meets: a weekly session (ISO weekday 1-7, start as HH:MM, length in minutes)
-- for a period. Catalogue data, not personal data.
CREATE TABLE activity_schedules (
    id BLOB PRIMARY KEY NOT NULL,
    activity_id BLOB NOT NULL REFERENCES activities(id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    starts_at TEXT NOT NULL,
    minutes INTEGER NOT NULL CHECK (minutes > 0),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    place TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX activity_schedules_activity ON activity_schedules(activity_id);
