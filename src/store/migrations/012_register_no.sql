-- 012: a dossier's line in its receiving unit's register (Sổ theo dõi hồ sơ) of the year it
-- was accepted, the "Số thứ tự" of its receipt. Numbered at acceptance from a counter per
-- unit and year, in the accepting transaction (service/dossier.c), like the code's daily
-- serial; a receipt used to count the unit's dossiers of the year on every print instead
-- (0.4 ms at 8,000 a year, growing with the year). Here numbered once for what exists: the
-- rank by acceptance time, then code, in the civil year (+07:00).
ALTER TABLE dossier ADD COLUMN register_no INTEGER;

CREATE TABLE register_serial (
	unit_id BIGINT NOT NULL,
	year INTEGER NOT NULL,
	last INTEGER NOT NULL,
	PRIMARY KEY (unit_id, year)
);

-- @sqlite
UPDATE dossier SET register_no = r.n FROM (
	SELECT id, ROW_NUMBER() OVER (PARTITION BY receiving_unit_id,
		strftime('%Y', received_at + 25200, 'unixepoch') ORDER BY received_at, code) AS n
	FROM dossier WHERE received_at IS NOT NULL) AS r
WHERE dossier.id = r.id;
INSERT INTO register_serial (unit_id, year, last)
SELECT receiving_unit_id, CAST(strftime('%Y', received_at + 25200, 'unixepoch') AS INTEGER),
	MAX(register_no)
FROM dossier WHERE register_no IS NOT NULL
GROUP BY 1, 2;
-- @end
-- @postgres
UPDATE dossier SET register_no = r.n FROM (
	SELECT id, ROW_NUMBER() OVER (PARTITION BY receiving_unit_id,
		EXTRACT(YEAR FROM to_timestamp(received_at + 25200) AT TIME ZONE 'UTC')
		ORDER BY received_at, code) AS n
	FROM dossier WHERE received_at IS NOT NULL) AS r
WHERE dossier.id = r.id;
INSERT INTO register_serial (unit_id, year, last)
SELECT receiving_unit_id,
	CAST(EXTRACT(YEAR FROM to_timestamp(received_at + 25200) AT TIME ZONE 'UTC') AS INTEGER),
	MAX(register_no)
FROM dossier WHERE register_no IS NOT NULL
GROUP BY 1, 2;
-- @end
