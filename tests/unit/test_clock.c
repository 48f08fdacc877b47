/* test_clock.c: the legal clock over the shipped calendars of 2024-2027 (read from
 * data/calendar/ through cal_year_parse): hand-worked due dates, start rules, pauses,
 * extensions, calendar-day periods, explanations, and properties over random starts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/civil.h"
#include "core/err.h"
#include "domain/calendar.h"
#include "domain/clock.h"

static struct cal_year years[4];
static struct clock *clk;

static int
setup(void **state)
{
	(void)state;
	for (int i = 0; i < 4; i++) {
		char path[64];
		static char text[CAL_TEXT_MAX + 1];
		size_t len;
		struct err e = ERR_INIT;
		FILE *f;

		snprintf(path, sizeof(path), "data/calendar/%d.txt", 2024 + i);
		f = fopen(path, "rb");
		if (!f) {
			fprintf(stderr, "cannot read %s: run from the repository root\n", path);
			return -1;
		}
		len = fread(text, 1, sizeof(text), f);
		fclose(f);
		if (cal_year_parse(text, len, &years[i], &e) < 0) {
			fprintf(stderr, "%s: %s: %s\n", path, e.field, e.message_en);
			return -1;
		}
	}
	clk = clock_new(years, 4, NULL, 2020, 2035, NULL);
	return clk ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	clock_free(clk);
	return 0;
}

/* "2026-02-13T09:00" (Vietnamese time) as an instant. */
static int64_t
T(const char *s)
{
	int64_t t;
	if (civil_parse_rfc3339(s, &t) < 0)
		fail_msg("bad time %s", s);
	return t;
}

static int64_t
D(const char *s)
{
	int64_t d;
	if (civil_parse_date(s, &d) < 0)
		fail_msg("bad date %s", s);
	return d;
}

static void
assert_time(int64_t got, const char *want)
{
	char g[32];
	if (got != T(want)) {
		civil_format_rfc3339(got, g);
		fail_msg("got %s, want %s", g, want);
	}
}

/* Due dates worked out by hand (07:00-11:30, 13:30-17:00, Monday-Friday, 480 min a day). */
static const struct due_case {
	const char *what, *start;
	enum dur_unit unit;
	int64_t amount;
	const char *due;
} due_cases[] = {
    /* The API contract: Fri 13 Feb 09:00 has 360 min; 14-22 Feb off (Tết 16-20 and two
     * weekends); Mon 23 480, Tue 24 480, Wed 25 07:00+120. */
    {"api example", "2026-02-13T09:00", DUR_WORKING_DAYS, 3, "2026-02-25T09:00"},
    /* Tết 2024 (8-14 Feb): Wed 7 from 10:00 = 300; Thu 15 = 480; Fri 16 07:00+180. */
    {"tet 2024", "2024-02-07T10:00", DUR_WORKING_DAYS, 2, "2024-02-16T10:00"},
    /* Tết 2025 (27-31 Jan): Fri 24 from 14:00 = 180; Mon 3 Feb 270 to 11:30 then 30. */
    {"tet 2025", "2025-01-24T14:00", DUR_WORKING_DAYS, 1, "2025-02-03T14:00"},
    /* Tết 2026: Thu 12 60, Fri 13 480, Mon 23..Wed 25 1440, Thu 26 270 + 150. */
    {"tet 2026", "2026-02-12T16:00", DUR_WORKING_DAYS, 5, "2026-02-26T16:00"},
    /* Tết 2027 as proposed (5-11 Feb): Wed 3 from 08:00 = 420, Thu 4 480, Fri 12 480,
     * Mon 15 07:00+60. */
    {"tet 2027", "2027-02-03T08:00", DUR_WORKING_DAYS, 3, "2027-02-15T08:00"},
    /* 2025 swap: Thu 24 Apr from 09:00 = 360, Fri 25 480, Sat 26 (worked) 07:00+120. */
    {"swap 26 Apr 2025", "2025-04-24T09:00", DUR_WORKING_DAYS, 2, "2025-04-26T09:00"},
    /* Tue 29 Apr 2025 480 (ends 17:00, not Wed); 30 Apr-4 May off; Mon 5 May 480. */
    {"swap 2 May 2025", "2025-04-29T07:00", DUR_WORKING_DAYS, 2, "2025-05-05T17:00"},
    {"whole day ends 17:00", "2025-04-29T07:00", DUR_WORKING_DAYS, 1, "2025-04-29T17:00"},
    /* 2024 swap: Thu 2 May, Fri 3 May, Sat 4 May (worked) all 480. */
    {"swap 4 May 2024", "2024-05-02T07:00", DUR_WORKING_DAYS, 3, "2024-05-04T17:00"},
    /* 2 Sep 2025: Fri 29 Aug from 10:00 = 300; 30 Aug-2 Sep off; Wed 3 Sep 07:00+180. */
    {"quoc khanh 2025", "2025-08-29T10:00", DUR_WORKING_DAYS, 1, "2025-09-03T10:00"},
    /* 2 Sep 2026: Fri 28 Aug from 15:00 = 120; 29 Aug-2 Sep off; Thu 3 480; Fri 4 270+90. */
    {"quoc khanh 2026", "2026-08-28T15:00", DUR_WORKING_DAYS, 2, "2026-09-04T15:00"},
    /* New Year 2026: Wed 31 Dec from 13:30 = 210; 1-4 Jan off; Mon 5 Jan 07:00+270. */
    {"new year 2026", "2025-12-31T13:30", DUR_WORKING_DAYS, 1, "2026-01-05T11:30"},
    /* Hùng Kings 2026 on Sunday 26 Apr, made up Monday 27: Fri 24 480, Tue 28 480. */
    {"hung kings 2026", "2026-04-24T07:00", DUR_WORKING_DAYS, 2, "2026-04-28T17:00"},
    /* Half days: Mon 10 Mar 09:00 + 240 = 150 to 11:30 + 90 from 13:30. */
    {"half day", "2025-03-10T09:00", DUR_WORKING_MINUTES, 240, "2025-03-10T15:00"},
    /* 1.5 days: Mon 360, Tue 270 + 90. */
    {"one and a half days", "2025-03-10T09:00", DUR_WORKING_MINUTES, 720, "2025-03-11T15:00"},
    /* Half a day across the make-up Saturday 10 Jan 2026: Fri 9 120; Sat 10 270 + 90. */
    {"make-up saturday 2026", "2026-01-09T15:00", DUR_WORKING_MINUTES, 480, "2026-01-10T15:00"},
    /* 16:59 is working time: 1 min on Mon, 239 on Tue. */
    {"at 16:59", "2025-03-10T16:59", DUR_WORKING_HOURS, 4, "2025-03-11T10:59"},
    {"8 working hours", "2025-03-10T07:00", DUR_WORKING_HOURS, 8, "2025-03-10T17:00"},
    /* A start at lunch counts from 13:30 (210 min) and ends at 11:30 the next day. */
    {"at lunch", "2025-03-10T11:45", DUR_WORKING_DAYS, 1, "2025-03-11T11:30"},
    /* A start after closing on the Friday before 2 Sep 2025 counts from Wed 3 Sep. */
    {"friday night", "2025-08-29T17:30", DUR_WORKING_DAYS, 1, "2025-09-03T17:00"},
    /* Calendar days end at 17:00; on a day off, at 17:00 of the next working day. */
    {"10 calendar days", "2025-03-10T10:00", DUR_CALENDAR_DAYS, 10, "2025-03-20T17:00"},
    {"calendar days into Tết", "2025-01-20T09:00", DUR_CALENDAR_DAYS, 5, "2025-02-03T17:00"},
    {"calendar days onto 1 May", "2025-04-16T10:00", DUR_CALENDAR_DAYS, 15, "2025-05-05T17:00"},
    {"calendar days from a Saturday", "2025-03-08T09:00", DUR_CALENDAR_DAYS, 10,
     "2025-03-20T17:00"},
    /* Fri 13 Nov 2026 + 11 = Tue 24 Nov, Culture Day (uncertain data): Wed 25th. */
    {"calendar days onto Culture Day", "2026-11-13T09:00", DUR_CALENDAR_DAYS, 11,
     "2026-11-25T17:00"},
};

static void
test_due_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(due_cases) / sizeof(due_cases[0]); i++) {
		const struct due_case *c = &due_cases[i];
		struct duration d = {c->unit, c->amount};
		struct err e = ERR_INIT;
		int64_t due, m;
		char g[32];

		if (clock_add(clk, T(c->start), &d, &due, NULL, &e) < 0)
			fail_msg("%s: %s", c->what, e.message_en);
		civil_format_rfc3339(due, g);
		if (due != T(c->due))
			fail_msg("%s: got %s, want %s", c->what, g, c->due);
		if (c->unit != DUR_CALENDAR_DAYS) {
			assert_int_equal(clock_working_between(clk, T(c->start), due, &m, &e), 0);
			assert_int_equal(m, clock_duration_minutes(&d));
		}
	}
}

static void
test_start_of(void **state)
{
	static const struct {
		const char *accepted;
		int cutoff;
		const char *start;
		enum clock_start_why why;
	} cases[] = {
	    {"2025-03-10T09:00", -1, "2025-03-10T09:00", CLOCK_START_AS_IS},
	    {"2025-03-10T06:30", -1, "2025-03-10T07:00", CLOCK_START_BEFORE_OPENING},
	    {"2025-03-10T11:45", -1, "2025-03-10T13:30", CLOCK_START_LUNCH},
	    {"2025-03-10T11:30", -1, "2025-03-10T13:30", CLOCK_START_LUNCH},
	    {"2025-03-10T16:59", -1, "2025-03-10T16:59", CLOCK_START_AS_IS},
	    {"2025-03-10T17:00", -1, "2025-03-11T07:00", CLOCK_START_AFTER_CLOSING},
	    /* The Friday before 2 Sep 2025: next working day is Wednesday 3rd. */
	    {"2025-08-29T17:01", -1, "2025-09-03T07:00", CLOCK_START_AFTER_CLOSING},
	    /* The Friday before 30 Apr 2024: 29 Apr-1 May off, back on Thursday 2 May. */
	    {"2024-04-26T17:05", -1, "2024-05-02T07:00", CLOCK_START_AFTER_CLOSING},
	    {"2025-03-08T10:00", -1, "2025-03-10T07:00", CLOCK_START_DAY_OFF},
	    {"2026-02-17T10:00", -1, "2026-02-23T07:00", CLOCK_START_DAY_OFF},
	    /* A 15:00 cut-off, both sides of the boundary. */
	    {"2025-03-11T14:59:59", 900, "2025-03-11T14:59:59", CLOCK_START_AS_IS},
	    {"2025-03-11T15:00", 900, "2025-03-12T07:00", CLOCK_START_AFTER_CUTOFF},
	    {"2025-03-11T15:10", 900, "2025-03-12T07:00", CLOCK_START_AFTER_CUTOFF},
	    {"2025-03-14T15:10", 900, "2025-03-17T07:00", CLOCK_START_AFTER_CUTOFF},
	    {"2025-03-11T06:00", 900, "2025-03-11T07:00", CLOCK_START_BEFORE_OPENING},
	    /* The cut-off on the eve of Tết 2026 (Fri 13 Feb): back on Mon 23 Feb. */
	    {"2026-02-13T15:30", 900, "2026-02-23T07:00", CLOCK_START_AFTER_CUTOFF},
	};
	struct arena *a = arena_new(4096);

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct clock_explain x;
		int64_t s;
		clock_explain_init(&x, a);
		assert_int_equal(
		    clock_start_of(clk, T(cases[i].accepted), cases[i].cutoff, &s, &x, NULL), 0);
		assert_time(s, cases[i].start);
		if (cases[i].why == CLOCK_START_AS_IS) {
			assert_int_equal(x.n, 0);
		} else {
			assert_int_equal(x.n, 1);
			assert_int_equal(x.items[0].kind, CLOCK_EX_START);
			assert_int_equal(x.items[0].why, cases[i].why);
			assert_int_equal(x.items[0].from, T(cases[i].accepted));
			assert_int_equal(x.items[0].to, s);
			assert_string_equal(x.items[0].reason, clock_start_why_vi(cases[i].why));
		}
	}
	/* 15:00 cut-off then 2 working days: Wed 07:00 .. Thu 17:00. */
	{
		struct duration d = {DUR_WORKING_DAYS, 2};
		int64_t s, due;
		assert_int_equal(clock_start_of(clk, T("2025-03-11T15:10"), 900, &s, NULL, NULL),
				 0);
		assert_int_equal(clock_add(clk, s, &d, &due, NULL, NULL), 0);
		assert_time(due, "2025-03-13T17:00");
	}
	{
		struct err e = ERR_INIT;
		int64_t s;
		assert_int_equal(clock_start_of(clk, T("2025-03-11T15:10"), 1440, &s, NULL, &e),
				 -1);
		assert_string_equal(e.field, "cutoff");
		assert_int_equal(clock_start_of(clk, T("2019-12-31T10:00"), -1, &s, NULL, &e), -1);
		assert_string_equal(e.field, "accepted_at");
	}
	arena_free(a);
}

static void
test_explain_api_example(void **state)
{
	static const struct {
		const char *date, *reason;
	} want[] = {
	    {"2026-02-14", "Thứ Bảy"},	      {"2026-02-15", "Chủ nhật"},
	    {"2026-02-16", "Tết Nguyên đán"}, {"2026-02-17", "Tết Nguyên đán"},
	    {"2026-02-18", "Tết Nguyên đán"}, {"2026-02-19", "Tết Nguyên đán"},
	    {"2026-02-20", "Tết Nguyên đán"}, {"2026-02-21", "Thứ Bảy"},
	    {"2026-02-22", "Chủ nhật"},
	};
	struct arena *a = arena_new(4096);
	struct clock_explain x;
	struct duration d = {DUR_WORKING_DAYS, 3};
	int64_t due, m;
	size_t i;

	(void)state;
	clock_explain_init(&x, a);
	assert_int_equal(clock_add(clk, T("2026-02-13T09:00:00+07:00"), &d, &due, &x, NULL), 0);
	assert_time(due, "2026-02-25T09:00:00+07:00");
	assert_int_equal(clock_working_between(clk, T("2026-02-13T09:00"), due, &m, NULL), 0);
	assert_int_equal(m, 1440);
	assert_int_equal(x.n, 10);
	for (i = 0; i < 9; i++) {
		assert_int_equal(x.items[i].kind, CLOCK_EX_SKIP);
		assert_int_equal(x.items[i].day, D(want[i].date));
		assert_string_equal(x.items[i].reason, want[i].reason);
		assert_int_equal(x.items[i].proposed, 0);
	}
	assert_int_equal(x.items[9].kind, CLOCK_EX_DUE);
	assert_int_equal(x.items[9].due, due);
	assert_int_equal(x.items[9].unit, DUR_WORKING_DAYS);
	assert_int_equal(x.items[9].amount, 3);
	assert_string_equal(clock_explain_kind_name(x.items[9].kind), "due");

	/* The make-up Saturday of 2025 is named; 2027 days are marked proposed. */
	clock_explain_init(&x, a);
	d.amount = 2;
	assert_int_equal(clock_add(clk, T("2025-04-24T09:00"), &d, &due, &x, NULL), 0);
	assert_int_equal(x.n, 2);
	assert_int_equal(x.items[0].kind, CLOCK_EX_MAKEUP);
	assert_int_equal(x.items[0].day, D("2025-04-26"));
	assert_string_equal(x.items[0].reason, "Làm bù cho ngày 02/05/2025");
	clock_explain_init(&x, a);
	assert_int_equal(clock_add(clk, T("2027-02-04T08:00"), &d, &due, &x, NULL), 0);
	assert_int_equal(x.items[0].kind, CLOCK_EX_SKIP);
	assert_int_equal(x.items[0].day, D("2027-02-05"));
	assert_int_equal(x.items[0].proposed, 1);
	arena_free(a);
}

/* Dossier of 10 working days from Mon 20 Jan 2025 08:00: Mon 420, Tue-Fri 1920, (Tết
 * 25 Jan-2 Feb), 3-7 Feb 2400, Mon 10 Feb 07:00+60 = 08:00. A supplement request from Thu
 * 23 Jan 10:00 to Tue 4 Feb 14:00 paused 300 + 480 + 480 + 300 = 1560 working minutes (Tết
 * counts nothing): 10 Feb from 08:00 420, 11 Feb 480, 12 Feb 480, 13 Feb 07:00+180. */
static void
test_pause_across_tet(void **state)
{
	struct arena *a = arena_new(4096);
	struct clock_explain x;
	struct duration d = {DUR_WORKING_DAYS, 10};
	int64_t due, due2, m;
	struct err e = ERR_INIT;

	(void)state;
	clock_explain_init(&x, a);
	assert_int_equal(clock_add(clk, T("2025-01-20T08:00"), &d, &due, &x, NULL), 0);
	assert_time(due, "2025-02-10T08:00");
	assert_int_equal(
	    clock_working_between(clk, T("2025-01-23T10:00"), T("2025-02-04T14:00"), &m, NULL), 0);
	assert_int_equal(m, 1560);
	assert_int_equal(clock_shift_for_pause(clk, due, T("2025-01-23T10:00"),
					       T("2025-02-04T14:00"), &due2, &x, NULL),
			 0);
	assert_time(due2, "2025-02-13T10:00");
	assert_int_equal(x.items[x.n - 1].kind, CLOCK_EX_PAUSE);
	assert_int_equal(x.items[x.n - 1].amount, 1560);
	assert_int_equal(x.items[x.n - 1].due, due2);
	/* A pause over a weekend only moves nothing. */
	assert_int_equal(clock_shift_for_pause(clk, due, T("2025-03-08T08:00"),
					       T("2025-03-09T20:00"), &due2, NULL, NULL),
			 0);
	assert_int_equal(due2, due);
	/* A pause must not end before it starts. */
	assert_int_equal(clock_shift_for_pause(clk, due, T("2025-02-04T14:00"),
					       T("2025-01-23T10:00"), &due2, NULL, &e),
			 -1);
	assert_string_equal(e.field, "pause_end");
	arena_free(a);
}

/* Two extensions of the due date 2025-02-13T10:00: first by 5 working days (Thu 13 from 10:00
 * 300, 14, 17, 18, 19 Feb 1920, Thu 20 07:00+180), then to an explicit date. */
static void
test_two_extensions(void **state)
{
	struct arena *a = arena_new(4096);
	struct clock_explain x;
	struct duration d = {DUR_WORKING_DAYS, 5};
	int64_t due = T("2025-02-13T10:00"), due1;
	struct err e = ERR_INIT;

	(void)state;
	clock_explain_init(&x, a);
	assert_int_equal(
	    clock_extend_by(clk, due, &d, "Cần xác minh thêm tại địa phương", &due1, &x, &e), 0);
	assert_time(due1, "2025-02-20T10:00");
	assert_int_equal(clock_extend_to(clk, due1, T("2025-03-03T17:00"),
					 "Chờ ý kiến của cơ quan phối hợp", &x, &e),
			 0);
	assert_true(x.n >= 2);
	assert_int_equal(x.items[x.n - 1].kind, CLOCK_EX_EXTENSION);
	assert_int_equal(x.items[x.n - 1].from, due1);
	assert_int_equal(x.items[x.n - 1].due, T("2025-03-03T17:00"));
	assert_string_equal(x.items[x.n - 1].reason, "Chờ ý kiến của cơ quan phối hợp");
	/* The first extension is there too, with its duration. */
	{
		int found = 0;
		for (size_t i = 0; i < x.n; i++) {
			if (x.items[i].kind == CLOCK_EX_EXTENSION && x.items[i].amount == 5) {
				assert_int_equal(x.items[i].due, due1);
				found = 1;
			}
		}
		assert_true(found);
	}
	/* Rejected: earlier date, a day off, no reason. */
	assert_int_equal(clock_extend_to(clk, due1, T("2025-02-19T10:00"), "x", NULL, &e), -1);
	assert_string_equal(e.field, "new_due");
	assert_int_equal(clock_extend_to(clk, due1, T("2025-03-01T10:00"), "x", NULL, &e), -1);
	assert_string_equal(e.field, "new_due");
	assert_int_equal(clock_extend_to(clk, due1, T("2025-03-03T10:00"), "", NULL, &e), -1);
	assert_string_equal(e.field, "reason");
	assert_int_equal(clock_extend_by(clk, due1, &d, NULL, &due, NULL, &e), -1);
	assert_string_equal(e.field, "reason");
	/* By calendar days: 20 Feb + 10 = Sun 2 Mar -> Mon 3 Mar 17:00. */
	d = (struct duration){DUR_CALENDAR_DAYS, 10};
	assert_int_equal(clock_extend_by(clk, due1, &d, "Gia hạn", &due, NULL, &e), 0);
	assert_time(due, "2025-03-03T17:00");
	arena_free(a);
}

static void
test_calendar_days_explained(void **state)
{
	struct arena *a = arena_new(4096);
	struct clock_explain x;
	struct duration d = {DUR_CALENDAR_DAYS, 5};
	int64_t due;
	size_t skips = 0;

	(void)state;
	clock_explain_init(&x, a);
	/* Mon 20 Jan 2025 + 5 = Sat 25 Jan; 25 Jan-2 Feb not worked: Mon 3 Feb 17:00. */
	assert_int_equal(clock_add(clk, T("2025-01-20T09:00"), &d, &due, &x, NULL), 0);
	assert_time(due, "2025-02-03T17:00");
	for (size_t i = 0; i < x.n; i++)
		skips += x.items[i].kind == CLOCK_EX_SKIP;
	assert_int_equal(skips, 9);
	assert_int_equal(x.items[0].day, D("2025-01-25"));
	assert_string_equal(x.items[0].reason, "Thứ Bảy");
	assert_string_equal(x.items[2].reason, "Tết Nguyên đán");
	assert_int_equal(x.items[9].kind, CLOCK_EX_MOVED);
	assert_int_equal(x.items[9].from, T("2025-01-25T17:00"));
	assert_int_equal(x.items[9].due, due);
	assert_int_equal(x.items[10].kind, CLOCK_EX_DUE);
	arena_free(a);
}

static void
test_steps_and_classify(void **state)
{
	int64_t mins[3] = {240, 480, 960}, dues[3];
	struct err e = ERR_INIT;
	int64_t due = T("2025-02-13T10:00");

	(void)state;
	/* Mon 10 Mar 07:00: 240 -> 11:00; 720 -> Tue 11:00; 1680 -> Thu 13 11:00. */
	assert_int_equal(clock_steps(clk, T("2025-03-10T07:00"), mins, 3, dues, &e), 0);
	assert_time(dues[0], "2025-03-10T11:00");
	assert_time(dues[1], "2025-03-11T11:00");
	assert_time(dues[2], "2025-03-13T11:00");
	mins[1] = -1;
	assert_int_equal(clock_steps(clk, T("2025-03-10T07:00"), mins, 3, dues, &e), -1);
	assert_string_equal(e.field, "steps[1]");

	assert_int_equal(clock_classify(T("2025-02-12T23:59:59"), due), CLOCK_EARLY);
	assert_int_equal(clock_classify(T("2025-02-13T00:00"), due), CLOCK_ON_TIME);
	assert_int_equal(clock_classify(T("2025-02-13T16:00"), due), CLOCK_ON_TIME);
	assert_int_equal(clock_classify(T("2025-02-14T07:00"), due), CLOCK_LATE);
	/* Day precision is the Vietnamese day: 2025-02-13T23:30+07:00 is 16:30Z. */
	assert_int_equal(clock_classify(T("2025-02-13T16:30:00Z"), due), CLOCK_ON_TIME);
	assert_int_equal(clock_classify(T("2025-02-13T17:30:00Z"), due), CLOCK_LATE);
	assert_string_equal(clock_class_name(CLOCK_ON_TIME), "on_time");
	assert_string_equal(clock_class_vi(CLOCK_LATE), "Quá hạn");
}

static void
test_durations(void **state)
{
	struct err e = ERR_INIT;
	struct duration d;
	int64_t due;

	(void)state;
	d = (struct duration){DUR_WORKING_DAYS, 0};
	assert_int_equal(clock_duration_validate(&d, &e), -1);
	assert_string_equal(e.field, "duration");
	d.amount = -3;
	assert_int_equal(clock_add(clk, T("2025-03-10T07:00"), &d, &due, NULL, &e), -1);
	d.amount = CLOCK_MAX_WORKING_DAYS + 1;
	assert_int_equal(clock_duration_validate(&d, &e), -1);
	assert_non_null(strstr(e.message_en, "10 years"));
	d = (struct duration){DUR_CALENDAR_DAYS, CLOCK_MAX_CALENDAR_DAYS + 1};
	assert_int_equal(clock_duration_validate(&d, &e), -1);
	d = (struct duration){DUR__MAX, 1};
	assert_int_equal(clock_duration_validate(&d, &e), -1);
	d = (struct duration){DUR_WORKING_HOURS, 3};
	assert_int_equal(clock_duration_minutes(&d), 180);
	d = (struct duration){DUR_CALENDAR_DAYS, 3};
	assert_int_equal(clock_duration_minutes(&d), -1);
	/* 10 years from 2030 run past the clock's last year (2035). */
	d = (struct duration){DUR_WORKING_DAYS, CLOCK_MAX_WORKING_DAYS};
	assert_int_equal(clock_add(clk, T("2030-01-02T07:00"), &d, &due, NULL, &e), -1);
	assert_string_equal(e.field, "due");
	/* ... but fit from 2020. */
	assert_int_equal(clock_add(clk, T("2020-01-02T07:00"), &d, &due, NULL, &e), 0);
}

static void
test_clock_new(void **state)
{
	struct err e = ERR_INIT;
	struct cal_hours h;
	struct clock *c;
	struct duration d = {DUR_WORKING_DAYS, 1};
	int64_t due;

	(void)state;
	/* Two calendars for one year. */
	struct cal_year *two = malloc(2 * sizeof(*two));
	two[0] = years[0];
	two[1] = years[0];
	assert_null(clock_new(two, 2, NULL, 2024, 2025, &e));
	assert_string_equal(e.field, "years");
	free(two);
	assert_null(clock_new(NULL, 0, NULL, 1800, 2025, &e));
	assert_null(clock_new(NULL, 0, NULL, 2026, 2025, &e));
	/* A unit working Saturday mornings too: 07:30-11:30 13:00-17:00 Mon-Fri is the same
	 * 480; here Mon-Sat, and Tết Saturdays stay off because the data lists them. */
	assert_int_equal(cal_hours_parse("mon-sat 07:30-11:30 13:00-17:00", &h, &e), 0);
	c = clock_new(years, 4, &h, 2024, 2027, &e);
	assert_non_null(c);
	assert_int_equal(clock_is_working_day(c, D("2025-03-08")), 1);
	assert_int_equal(clock_is_working_day(c, D("2024-02-10")), 0); /* mùng 1, a Saturday */
	assert_string_equal(clock_day_reason(c, D("2024-02-10")), "Tết Nguyên đán");
	assert_int_equal(clock_is_working_day(c, D("2025-03-09")), 0);
	assert_string_equal(clock_day_reason(c, D("2025-03-09")), "Chủ nhật");
	/* Fri 7 Mar 2025 16:00 + 1 day: Fri 60, Sat 8 Mar 07:30..11:30 240, 13:00+180. */
	assert_int_equal(clock_add(c, T("2025-03-07T16:00"), &d, &due, NULL, &e), 0);
	assert_time(due, "2025-03-08T16:00");
	assert_int_equal(clock_is_working_day(c, D("2023-12-31")), -1);
	assert_null(clock_day_reason(c, D("2025-03-10")));
	clock_free(c);
	/* Invalid hours. */
	h.nintervals = 0;
	assert_null(clock_new(years, 4, &h, 2024, 2027, &e));
	assert_string_equal(e.field, "hours");
}

/* xorshift64*: deterministic. */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

/* True when t is inside (start, end] of an interval of a working day. */
static int
in_working_time(const struct clock *c, int64_t t)
{
	struct civil cv;
	int64_t sec;
	civil_from_epoch(t, &cv);
	if (clock_is_working_day(c, civil_day_of_epoch(t)) != 1)
		return 0;
	sec = cv.hour * 3600 + cv.minute * 60 + cv.second;
	return (sec > 7 * 3600 && sec <= 11 * 3600 + 1800) ||
	       (sec > 13 * 3600 + 1800 && sec <= 17 * 3600);
}

static void
test_properties(void **state)
{
	int64_t lo = T("2024-01-01T00:00"), hi = T("2028-01-01T00:00");
	(void)state;
	for (int i = 0; i < 200000; i++) {
		int64_t start = lo + (int64_t)(next() % (uint64_t)(hi - lo));
		int64_t later = start + (int64_t)(next() % (3 * 86400));
		int64_t due, due2, m, mid;
		struct duration d;
		struct err e = ERR_INIT;

		switch (next() % 4) {
		case 0:
			d = (struct duration){DUR_WORKING_MINUTES, 1 + (int64_t)(next() % 14400)};
			break;
		case 1:
			d = (struct duration){DUR_WORKING_DAYS, 1 + (int64_t)(next() % 30)};
			break;
		case 2:
			d = (struct duration){DUR_WORKING_HOURS, 1 + (int64_t)(next() % 240)};
			break;
		default:
			d = (struct duration){DUR_CALENDAR_DAYS, 1 + (int64_t)(next() % 60)};
			break;
		}
		if (clock_add(clk, start, &d, &due, NULL, &e) < 0)
			fail_msg("add failed: %s", e.message_en);
		if (!in_working_time(clk, due)) {
			char s[32], g[32];
			civil_format_rfc3339(start, s);
			civil_format_rfc3339(due, g);
			fail_msg("due %s from %s outside working time", g, s);
		}
		assert_true(due > start);
		assert_int_equal(clock_add(clk, later, &d, &due2, NULL, &e), 0);
		if (due2 < due)
			fail_msg("later start gave an earlier due date");
		if (d.unit == DUR_CALENDAR_DAYS)
			continue;
		assert_int_equal(clock_working_between(clk, start, due, &m, &e), 0);
		if (m != clock_duration_minutes(&d))
			fail_msg("working_between %lld != %lld", (long long)m,
				 (long long)clock_duration_minutes(&d));
		/* Splitting a duration gives the same due (add is associative). */
		if (clock_duration_minutes(&d) > 1) {
			struct duration a = {DUR_WORKING_MINUTES, clock_duration_minutes(&d) / 2};
			struct duration b = {DUR_WORKING_MINUTES,
					     clock_duration_minutes(&d) - a.amount};
			assert_int_equal(clock_add(clk, start, &a, &mid, NULL, &e), 0);
			assert_int_equal(clock_add(clk, mid, &b, &due2, NULL, &e), 0);
			assert_int_equal(due2, due);
		}
		/* The explained path gives the same answer as the fast path. */
		if (i % 64 == 0) {
			struct arena *ar = arena_new(4096);
			struct clock_explain x;
			clock_explain_init(&x, ar);
			assert_int_equal(clock_add(clk, start, &d, &due2, &x, &e), 0);
			assert_int_equal(due2, due);
			assert_int_equal(x.items[x.n - 1].kind, CLOCK_EX_DUE);
			arena_free(ar);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_due_cases),
	    cmocka_unit_test(test_start_of),
	    cmocka_unit_test(test_explain_api_example),
	    cmocka_unit_test(test_pause_across_tet),
	    cmocka_unit_test(test_two_extensions),
	    cmocka_unit_test(test_calendar_days_explained),
	    cmocka_unit_test(test_steps_and_classify),
	    cmocka_unit_test(test_durations),
	    cmocka_unit_test(test_clock_new),
	    cmocka_unit_test(test_properties),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
