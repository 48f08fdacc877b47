/* test_calendar.c: the Labour Code proposal, the text format (parser errors with line
 * numbers, round trip), validation, working hours, and the shipped data/calendar/ files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/civil.h"
#include "core/err.h"
#include "domain/calendar.h"

static struct cal_year y1, y2; /* ~80 KiB each: not on the stack */

static int64_t
day(int y, int m, int d)
{
	return civil_days_from_date(y, m, d);
}

static void
expect_off(const struct cal_year *y, int yy, int mm, int dd, const char *reason_prefix)
{
	const struct cal_entry *en = cal_year_find(y, day(yy, mm, dd));
	if (!en || en->kind != CAL_OFF)
		fail_msg("%04d-%02d-%02d should be a day off", yy, mm, dd);
	if (strncmp(en->reason, reason_prefix, strlen(reason_prefix)) != 0)
		fail_msg("%04d-%02d-%02d: reason \"%s\", want \"%s...\"", yy, mm, dd, en->reason,
			 reason_prefix);
}

static void
test_propose_2025(void **state)
{
	(void)state;
	assert_int_equal(calendar_propose(2025, &y1), 0);
	assert_int_equal(y1.year, 2025);
	assert_int_equal(y1.status, CAL_PROPOSED);
	expect_off(&y1, 2025, 1, 1, "Tết Dương lịch");
	/* Tết: 29 tháng Chạp (28 Jan, the last day: no 30 Tết) and mùng 1..4. */
	expect_off(&y1, 2025, 1, 28, "Tết Nguyên đán");
	expect_off(&y1, 2025, 1, 29, "Tết Nguyên đán");
	expect_off(&y1, 2025, 1, 30, "Tết Nguyên đán");
	expect_off(&y1, 2025, 1, 31, "Tết Nguyên đán");
	expect_off(&y1, 2025, 2, 1, "Tết Nguyên đán");
	/* Mùng 4 is a Saturday: made up on Monday 3 February. */
	expect_off(&y1, 2025, 2, 3, "Nghỉ bù");
	assert_null(cal_year_find(&y1, day(2025, 2, 2)));
	expect_off(&y1, 2025, 4, 7, "Giỗ Tổ Hùng Vương");
	expect_off(&y1, 2025, 4, 30, "Ngày Giải phóng miền Nam");
	expect_off(&y1, 2025, 5, 1, "Ngày Quốc tế Lao động");
	/* 2 September 2025 is a Tuesday: the adjacent day is Monday 1st. */
	expect_off(&y1, 2025, 9, 2, "Quốc khánh");
	expect_off(&y1, 2025, 9, 1, "Quốc khánh");
	assert_null(cal_year_find(&y1, day(2025, 9, 3)));
	assert_int_equal(y1.nentries, 12);
	assert_int_equal(cal_year_validate(&y1, NULL), 0);
}

static void
test_propose_2026(void **state)
{
	(void)state;
	assert_int_equal(calendar_propose(2026, &y1), 0);
	expect_off(&y1, 2026, 1, 1, "Tết Dương lịch");
	for (int d = 16; d <= 20; d++)
		expect_off(&y1, 2026, 2, d, "Tết Nguyên đán");
	assert_null(cal_year_find(&y1, day(2026, 2, 15)));
	assert_null(cal_year_find(&y1, day(2026, 2, 23)));
	/* Hùng Kings' day is Sunday 26 April: made up on Monday 27th. */
	expect_off(&y1, 2026, 4, 26, "Giỗ Tổ Hùng Vương");
	expect_off(&y1, 2026, 4, 27, "Nghỉ bù cho Giỗ Tổ Hùng Vương");
	expect_off(&y1, 2026, 4, 30, "Ngày Giải phóng miền Nam");
	expect_off(&y1, 2026, 5, 1, "Ngày Quốc tế Lao động");
	/* Wednesday 2 September: 1 September proposed, as the 2026 decision did. */
	expect_off(&y1, 2026, 9, 2, "Quốc khánh");
	expect_off(&y1, 2026, 9, 1, "Quốc khánh (ngày liền kề)");
	/* Culture Day (24 Nov) is data, not code. */
	assert_null(cal_year_find(&y1, day(2026, 11, 24)));
	assert_int_equal(y1.nentries, 12);
	assert_int_equal(cal_year_validate(&y1, NULL), 0);
}

static void
test_propose_makeup_rules(void **state)
{
	(void)state;
	/* 2027: Tết Saturday 6 Feb -> mùng 1, 2 made up Wed 10, Thu 11; 1 May Saturday ->
	 * Monday 3 May; 2 Sep Thursday -> Friday 3rd. */
	assert_int_equal(calendar_propose(2027, &y1), 0);
	expect_off(&y1, 2027, 2, 5, "Tết Nguyên đán");
	expect_off(&y1, 2027, 2, 10, "Nghỉ bù");
	expect_off(&y1, 2027, 2, 11, "Nghỉ bù");
	expect_off(&y1, 2027, 5, 3, "Nghỉ bù cho Ngày Quốc tế Lao động");
	expect_off(&y1, 2027, 9, 3, "Quốc khánh (ngày liền kề)");
	/* 2022: 1 Jan Saturday -> Monday 3 Jan; 2 Sep Friday -> Thursday 1st. */
	assert_int_equal(calendar_propose(2022, &y1), 0);
	expect_off(&y1, 2022, 1, 3, "Nghỉ bù cho Tết Dương lịch");
	expect_off(&y1, 2022, 9, 1, "Quốc khánh");
	/* 2023: 2 Sep Saturday -> Friday 1st adjacent, Saturday made up Monday 4th. */
	assert_int_equal(calendar_propose(2023, &y1), 0);
	expect_off(&y1, 2023, 9, 1, "Quốc khánh (ngày liền kề)");
	expect_off(&y1, 2023, 9, 4, "Nghỉ bù cho Quốc khánh");
	/* 2029: 2 Sep Sunday -> Monday 3rd adjacent and Sunday made up Tuesday 4th. */
	assert_int_equal(calendar_propose(2029, &y1), 0);
	expect_off(&y1, 2029, 9, 3, "Quốc khánh (ngày liền kề)");
	expect_off(&y1, 2029, 9, 4, "Nghỉ bù cho Quốc khánh");
	/* Every proposal over the supported range is valid. */
	for (int y = CAL_YEAR_MIN; y <= CAL_YEAR_MAX; y++) {
		struct err e = ERR_INIT;
		assert_int_equal(calendar_propose(y, &y1), 0);
		if (cal_year_validate(&y1, &e) < 0)
			fail_msg("proposal %d invalid: %s", y, e.message_en);
	}
	assert_int_equal(calendar_propose(CAL_YEAR_MIN - 1, &y1), -1);
	assert_int_equal(calendar_propose(CAL_YEAR_MAX + 1, &y1), -1);
}

/* Parses s and expects an error on line `line` whose English message contains `what`. */
static void
expect_parse_error(const char *s, int line, const char *what)
{
	struct err e = ERR_INIT;
	char field[32];

	if (cal_year_parse(s, strlen(s), &y1, &e) == 0)
		fail_msg("parse should fail (%s):\n%s", what, s);
	assert_int_equal(e.code, ERR_VALIDATION);
	snprintf(field, sizeof(field), "line %d", line);
	if (strcmp(e.field, field) != 0 || !strstr(e.message_en, what))
		fail_msg("want %s / \"%s\", got %s / %s / %s", field, what, e.field, e.message_en,
			 e.message_vi);
	assert_true(e.message_vi[0] != '\0');
}

static void
test_parse(void **state)
{
	const char *ok = "\xEF\xBB\xBF# Lịch nghỉ lễ, Tết năm 2026\r\n"
			 "year 2026\r\n"
			 "\n"
			 "   status   confirmed  \n"
			 "notice 1234/TB-BNV ngày 01/10/2025 của Bộ Nội vụ\n"
			 "off 2026-01-01 Tết Dương lịch\n"
			 "\t# a comment, indented\n"
			 "work 2026-01-10   Làm bù cho ngày 02/01/2026  \n"
			 "off 2026-01-02 Hoán đổi ngày làm việc";
	struct err e = ERR_INIT;

	(void)state;
	assert_int_equal(cal_year_parse(ok, strlen(ok), &y1, &e), 0);
	assert_int_equal(y1.year, 2026);
	assert_int_equal(y1.status, CAL_CONFIRMED);
	assert_int_equal(y1.nnotices, 1);
	assert_string_equal(y1.notice[0], "1234/TB-BNV ngày 01/10/2025 của Bộ Nội vụ");
	assert_int_equal(y1.nentries, 3);
	assert_int_equal(y1.entries[1].kind, CAL_WORK);
	assert_int_equal(y1.entries[1].day, day(2026, 1, 10));
	assert_string_equal(y1.entries[1].reason, "Làm bù cho ngày 02/01/2026");
	assert_int_equal(y1.entries[1].line, 8);
	assert_int_equal(y1.entries[2].line, 9);

	/* Status defaults to proposed; a proposed year needs no notice. */
	assert_int_equal(cal_year_parse("year 2030\n", 10, &y1, &e), 0);
	assert_int_equal(y1.status, CAL_PROPOSED);
	assert_int_equal(y1.nentries, 0);
}

static void
test_parse_errors(void **state)
{
	char big[600];

	(void)state;
	expect_parse_error("year 2026\nstatus proposed\nholiday 2026-01-01 x\n", 3,
			   "unknown keyword \"holiday\"");
	expect_parse_error("year 2026\n\n\noff 2026-02-30 Ngày không có\n", 4, "invalid date");
	expect_parse_error("year 2026\noff 26-01-01 Tết\n", 2, "invalid date");
	expect_parse_error("year 2026\noff\n", 2, "missing date");
	expect_parse_error("year 2026\noff 2026-01-01\n", 2, "no reason");
	expect_parse_error("year 2026\noff 2026-01-01    \n", 2, "no reason");
	expect_parse_error("# x\nyear 2026\nyear 2027\n", 3, "given twice");
	expect_parse_error("year 2026\nstatus confirmed\nstatus proposed\n", 3, "given twice");
	expect_parse_error("year 20x6\n", 1, "invalid year");
	expect_parse_error("year 2026 2027\n", 1, "invalid year");
	expect_parse_error("year 1800\n", 1, "outside");
	expect_parse_error("year 2026\nstatus maybe\n", 2, "invalid status");
	expect_parse_error("year 2026\nnotice\n", 2, "notice is empty");
	expect_parse_error("# only a comment\n", 0, "missing \"year\"");
	expect_parse_error("year 2026\noff 2026-01-01 T\xC3\n", 2, "UTF-8");
	expect_parse_error("year 2026\noff 2026-01-01 T\x01x\n", 2, "UTF-8");
	/* Validation errors point at the line of the entry at fault. */
	expect_parse_error("year 2026\noff 2026-01-01 Tết Dương lịch\noff 2025-12-31 Cuối năm\n", 3,
			   "not in 2026");
	expect_parse_error("year 2026\noff 2026-01-01 A\n# c\noff 2026-01-01 B\n", 4,
			   "given twice");
	expect_parse_error("year 2026\noff 2026-01-10 A\nwork 2026-01-10 B\n", 3,
			   "both a day off and a working day");
	expect_parse_error("year 2026\nwork 2026-01-12 Thứ Hai\n", 2, "Saturday or Sunday");
	expect_parse_error("year 2026\nstatus confirmed\noff 2026-01-01 A\n", 2,
			   "must name the notice");
	/* A reason over 200 bytes. */
	memset(big, 0, sizeof(big));
	snprintf(big, sizeof(big), "year 2026\noff 2026-01-01 ");
	memset(big + strlen(big), 'a', 201);
	expect_parse_error(big, 2, "longer than 200 bytes");
	/* A NUL byte inside the text. */
	{
		struct err e = ERR_INIT;
		const char t[] = "year 2026\noff 2026-01-01 a\0b\n";
		assert_int_equal(cal_year_parse(t, sizeof(t) - 1, &y1, &e), -1);
		assert_string_equal(e.field, "line 2");
	}
}

static void
test_validate(void **state)
{
	struct err e = ERR_INIT;
	int64_t d;

	(void)state;
	/* Every weekday of 2025 off: no working day left. */
	cal_year_init(&y1, 2025);
	for (d = day(2025, 1, 1); d <= day(2025, 12, 31); d++) {
		int w = civil_wday(d);
		if (w != 0 && w != 6)
			assert_int_equal(cal_year_add(&y1, CAL_OFF, d, "Nghỉ", &e), 0);
	}
	assert_int_equal(cal_year_validate(&y1, &e), -1);
	assert_int_equal(e.code, ERR_VALIDATION);
	assert_non_null(strstr(e.message_en, "no working day"));
	assert_non_null(strstr(e.message_vi, "không còn ngày làm việc"));
	/* One Saturday worked brings one working day back. */
	assert_int_equal(cal_year_add(&y1, CAL_WORK, day(2025, 3, 8), "Làm bù", &e), 0);
	assert_int_equal(cal_year_validate(&y1, NULL), 0);

	/* Field names the entry. */
	cal_year_init(&y1, 2025);
	cal_year_add(&y1, CAL_OFF, day(2025, 1, 1), "Tết Dương lịch", NULL);
	cal_year_add(&y1, CAL_OFF, day(2025, 4, 30), "", NULL);
	assert_int_equal(cal_year_validate(&y1, &e), -1);
	assert_string_equal(e.field, "entries[1].reason");
	y1.entries[1].reason[0] = 'x';
	memset(y1.entries[1].reason, 'x', sizeof(y1.entries[1].reason)); /* no NUL: 201 bytes */
	assert_int_equal(cal_year_validate(&y1, &e), -1);
	assert_string_equal(e.field, "entries[1].reason");
	assert_non_null(strstr(e.message_en, "longer than 200"));
	snprintf(y1.entries[1].reason, sizeof(y1.entries[1].reason), "Ngày Giải phóng miền Nam");
	y1.entries[1].day = day(2026, 4, 30);
	assert_int_equal(cal_year_validate(&y1, &e), -1);
	assert_string_equal(e.field, "entries[1].date");
	y1.entries[1].day = day(2025, 4, 30);
	assert_int_equal(cal_year_validate(&y1, &e), 0);
	y1.status = CAL_CONFIRMED;
	assert_int_equal(cal_year_validate(&y1, &e), -1);
	assert_string_equal(e.field, "notice");
	snprintf(y1.notice[0], sizeof(y1.notice[0]), "Thông báo thử");
	y1.nnotices = 1;
	assert_int_equal(cal_year_validate(&y1, &e), 0);
	y1.year = 1899;
	assert_int_equal(cal_year_validate(&y1, &e), -1);
	assert_string_equal(e.field, "year");
	y1.year = 2025;
	y1.status = (enum cal_status)7;
	assert_int_equal(cal_year_validate(&y1, &e), -1);
	assert_string_equal(e.field, "status");

	/* A full year. */
	cal_year_init(&y1, 2025);
	for (int i = 0; i < CAL_ENTRIES_MAX; i++)
		assert_int_equal(cal_year_add(&y1, CAL_OFF, day(2025, 1, 1) + i, "x", NULL), 0);
	assert_int_equal(cal_year_add(&y1, CAL_OFF, day(2025, 1, 1), "x", &e), -1);
}

static void
test_format_round_trip(void **state)
{
	struct buf b = BUF_INIT(1 << 20);
	struct err e = ERR_INIT;

	(void)state;
	for (int y = 2020; y <= 2035; y++) {
		assert_int_equal(calendar_propose(y, &y1), 0);
		y1.status = CAL_CONFIRMED;
		snprintf(y1.notice[0], sizeof(y1.notice[0]), "Thông báo %d/TB-BNV", y);
		y1.nnotices = 1;
		buf_reset(&b);
		assert_int_equal(cal_year_format(&y1, &b), 0);
		if (cal_year_parse(b.data, b.len, &y2, &e) < 0)
			fail_msg("%s: %s\n%s", e.field, e.message_en, b.data);
		assert_int_equal(y2.year, y1.year);
		assert_int_equal(y2.status, y1.status);
		assert_int_equal(y2.nentries, y1.nentries);
		assert_string_equal(y2.notice[0], y1.notice[0]);
		for (int i = 0; i < y1.nentries; i++) {
			assert_int_equal(y2.entries[i].day, y1.entries[i].day);
			assert_int_equal(y2.entries[i].kind, y1.entries[i].kind);
			assert_string_equal(y2.entries[i].reason, y1.entries[i].reason);
		}
	}
	/* A buffer too small fails cleanly. */
	buf_release(&b);
	buf_init(&b, 16);
	assert_int_equal(cal_year_format(&y1, &b), -1);
	buf_release(&b);
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;

	if (!f)
		return NULL;
	p = malloc(CAL_TEXT_MAX + 1);
	*len = fread(p, 1, CAL_TEXT_MAX + 1, f);
	fclose(f);
	return p;
}

static void
test_shipped_files(void **state)
{
	struct buf b = BUF_INIT(1 << 20);

	(void)state;
	for (int y = 2024; y <= 2027; y++) {
		char path[64];
		size_t len;
		struct err e = ERR_INIT;
		char *text;

		snprintf(path, sizeof(path), "data/calendar/%d.txt", y);
		text = read_file(path, &len);
		if (!text)
			fail_msg("cannot read %s (run from the repository root)", path);
		if (cal_year_parse(text, len, &y1, &e) < 0)
			fail_msg("%s: %s: %s", path, e.field, e.message_en);
		assert_int_equal(y1.year, y);
		assert_int_equal(cal_year_validate(&y1, &e), 0);
		assert_true(y1.nnotices >= 1);
		assert_int_equal(y1.status, y == 2027 ? CAL_PROPOSED : CAL_CONFIRMED);
		/* Its text form reads back the same. */
		buf_reset(&b);
		assert_int_equal(cal_year_format(&y1, &b), 0);
		assert_int_equal(cal_year_parse(b.data, b.len, &y2, &e), 0);
		assert_int_equal(y2.nentries, y1.nentries);
		free(text);
	}
	buf_release(&b);

	/* Spot checks of the facts given to us. */
	{
		size_t len;
		char *text = read_file("data/calendar/2026.txt", &len);
		assert_int_equal(cal_year_parse(text, len, &y1, NULL), 0);
		for (int d = 16; d <= 20; d++)
			expect_off(&y1, 2026, 2, d, "Tết Nguyên đán");
		expect_off(&y1, 2026, 4, 26, "Giỗ Tổ Hùng Vương");
		expect_off(&y1, 2026, 4, 27, "Nghỉ bù");
		expect_off(&y1, 2026, 9, 2, "Quốc khánh");
		expect_off(&y1, 2026, 11, 24, "Ngày Văn hóa Việt Nam");
		free(text);
		text = read_file("data/calendar/2025.txt", &len);
		assert_int_equal(cal_year_parse(text, len, &y1, NULL), 0);
		expect_off(&y1, 2025, 5, 2, "Hoán đổi ngày làm việc");
		assert_int_equal(cal_year_find(&y1, day(2025, 4, 26))->kind, CAL_WORK);
		free(text);
	}
}

static void
test_hours(void **state)
{
	struct cal_hours h;
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT(256);

	(void)state;
	cal_hours_default(&h);
	assert_int_equal(cal_hours_minutes(&h), 480);
	assert_int_equal(cal_hours_validate(&h, &e), 0);
	assert_int_equal(cal_hours_format(&h, &b), 0);
	assert_string_equal(b.data, "mon-fri 07:00-11:30 13:30-17:00");

	assert_int_equal(cal_hours_parse("mon-sat 07:30-11:30 13:00-17:00", &h, &e), 0);
	assert_int_equal(h.weekdays, 0x7e);
	assert_int_equal(h.nintervals, 2);
	assert_int_equal(h.iv[0].start, 450);
	assert_int_equal(cal_hours_parse("mon,wed,fri 08:00-12:00", &h, &e), 0);
	assert_int_equal(h.weekdays, (1u << 1) | (1u << 3) | (1u << 5));
	buf_reset(&b);
	assert_int_equal(cal_hours_format(&h, &b), 0);
	assert_string_equal(b.data, "mon,wed,fri 08:00-12:00");
	assert_int_equal(cal_hours_parse("sat-mon 00:00-24:00", &h, &e), 0);
	assert_int_equal(h.weekdays, (1u << 6) | 1u | (1u << 1));

	assert_int_equal(cal_hours_parse("", &h, &e), -1);
	assert_string_equal(e.field, "hours");
	assert_int_equal(cal_hours_parse("mon-fri", &h, &e), -1);
	assert_int_equal(cal_hours_parse("mon-fri 13:30-17:00 07:00-11:30", &h, &e), -1);
	assert_int_equal(cal_hours_parse("mon-fri 07:00-11:30 11:00-17:00", &h, &e), -1);
	assert_int_equal(cal_hours_parse("mon-fri 17:00-07:00", &h, &e), -1);
	assert_int_equal(cal_hours_parse("mon-fri 07:00-24:30", &h, &e), -1);
	assert_int_equal(cal_hours_parse("xyz 07:00-11:30", &h, &e), -1);
	assert_int_equal(cal_hours_parse("mon, 07:00-11:30", &h, &e), -1);
	assert_int_equal(
	    cal_hours_parse("mon 01:00-02:00 03:00-04:00 05:00-06:00 07:00-08:00 09:00-10:00", &h,
			    &e),
	    -1);
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_propose_2025),
	    cmocka_unit_test(test_propose_2026),
	    cmocka_unit_test(test_propose_makeup_rules),
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_validate),
	    cmocka_unit_test(test_format_round_trip),
	    cmocka_unit_test(test_shipped_files),
	    cmocka_unit_test(test_hours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
