-- A project's measurable goals as definitions the system evaluates (JSON of
-- stegvis_domain::report::GoalDefinition), with an optional deadline. Not personal data.
CREATE TABLE goals (
    id UUID PRIMARY KEY NOT NULL,
    project_id UUID NOT NULL REFERENCES projects(id),
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    deadline DATE,
    position INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (project_id, name)
);
