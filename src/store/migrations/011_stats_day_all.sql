-- 010: day counters summed over procedures (grain 3), beside the day rows that carry the
-- procedure (grain 0, 009_stats.sql). A report reads loose days (the days of a period that do
-- not make whole months) from these: a province's day has thousands of procedure rows but a
-- few hundred of these. Written with the others, in the same transaction, by every change
-- (service/stats.c); here made once from the day rows that exist.
INSERT INTO stat_count (unit_id, grain, period, field_code, procedure_code, channel, recv,
	early, on_time, late, ov)
SELECT unit_id, 3, period, field_code, '', channel, SUM(recv), SUM(early), SUM(on_time),
	SUM(late), SUM(ov)
FROM stat_count WHERE grain = 0
GROUP BY unit_id, period, field_code, channel;
