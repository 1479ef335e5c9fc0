-- The value of one participant hour (öre) that the project reports as co-financing (e.g. the
-- activity support paid per hour), set by the project manager; unset until then.
ALTER TABLE projects ADD COLUMN participant_hour_value_ore INTEGER;
