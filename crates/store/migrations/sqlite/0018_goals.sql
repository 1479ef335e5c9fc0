-- A project's measurable goals as definitions the system evaluates (JSON of
-- stegvis_domain::report::GoalDefinition), with an optional deadline. Not personal data.
CREATE TABLE goals (
    id BLOB PRIMARY KEY NOT NULL,
    project_id BLOB NOT NULL REFERENCES projects(id),
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    deadline TEXT,
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (project_id, name)
);
