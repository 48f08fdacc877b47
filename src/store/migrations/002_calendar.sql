-- 002: the working-day calendar as data. A year's days off and make-up working days are kept
-- in the text format of src/domain/calendar.h (what an official reads and edits); years not
-- in this table come from data/calendar/YEAR.txt in the binary, or are proposed from the
-- Labour Code. unit_hours holds a unit's own working hours when they differ from the default.

CREATE TABLE calendar_year (
	year INTEGER PRIMARY KEY,
	status TEXT NOT NULL,               -- proposed | confirmed
	body TEXT NOT NULL,                 -- the year in the calendar text format
	updated_at BIGINT NOT NULL,
	updated_by BIGINT
);

CREATE TABLE unit_hours (
	unit_id BIGINT PRIMARY KEY REFERENCES unit(id),
	spec TEXT NOT NULL,                 -- "mon-fri 07:00-11:30 13:30-17:00"
	updated_at BIGINT NOT NULL
);

-- bumped by every calendar or working-hours change; each node rebuilds its clocks when it moves
INSERT INTO setting (key, value, updated_at) VALUES ('calendar_version', '1', 0);
