-- 009: statistics counters (domain.md §7), kept in the same transaction as every dossier
-- change, so that a report sums a few rows per unit instead of scanning dossiers.
--
-- One row per (unit, grain, period, field, procedure, channel). Each change is written three
-- times: at day grain (period yyyymmdd, with the procedure), month grain (yyyymm) and year
-- grain (yyyy), both with procedure_code = ''. A range of days is read as whole years, whole
-- months and loose days (service/stats.c). Columns are deltas on that day:
--   recv     accepted dossiers (the clock started)
--   early, on_time, late   resolved dossiers by class (finished, withdrawn, lapsed, refused
--            after acceptance)
--   ov       +1 on the day an open dossier becomes overdue, -1 on the day it stops being so
--            (resolved, paused, due date moved): the overdue count at the end of day B is the
--            sum of ov up to B. Such a row may lie in the future (the day it will be overdue).
-- The competent unit owns a dossier's counts. The dossier remembers what it has contributed
-- (stat_recv_day, stat_res_day, stat_res_class, stat_ov_day) so a change writes only the
-- difference, and `motcua stats rebuild` can recompute everything from the dossiers.

CREATE TABLE stat_count (
	unit_id BIGINT NOT NULL,
	grain INTEGER NOT NULL,                 -- 0 day, 1 month, 2 year
	period INTEGER NOT NULL,                -- yyyymmdd | yyyymm | yyyy
	field_code TEXT NOT NULL,
	procedure_code TEXT NOT NULL,           -- '' on month and year rows
	channel INTEGER NOT NULL,               -- 1 direct, 2 online, 3 postal
	recv BIGINT NOT NULL DEFAULT 0,
	early BIGINT NOT NULL DEFAULT 0,
	on_time BIGINT NOT NULL DEFAULT 0,
	late BIGINT NOT NULL DEFAULT 0,
	ov BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (unit_id, grain, period, field_code, procedure_code, channel)
)
-- @sqlite
WITHOUT ROWID
-- @end
;

ALTER TABLE dossier ADD COLUMN stat_recv_day INTEGER;
ALTER TABLE dossier ADD COLUMN stat_res_day INTEGER;
ALTER TABLE dossier ADD COLUMN stat_res_class TEXT;
ALTER TABLE dossier ADD COLUMN stat_ov_day INTEGER;
