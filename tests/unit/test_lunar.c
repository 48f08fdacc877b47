/* test_lunar.c: the Vietnamese lunar calendar against the shared Tết fixture, a round trip
 * over every day of 1900-01-31..2199-12-31, and known leap months. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/civil.h"
#include "domain/lunar.h"

static int64_t
day(int y, int m, int d)
{
	return civil_days_from_date(y, m, d);
}

/* Every row of tet_1900_2100.csv: lunar 1/1 of the year is the listed solar date. */
static void
test_tet_fixture(void **state)
{
	char path[4096], line[256];
	const char *shared = getenv("MOTCUA_SHARED");
	FILE *f;
	int rows = 0;

	(void)state;
	if (shared && *shared)
		snprintf(path, sizeof(path), "%s/data/calendar/tet_1900_2100.csv", shared);
	else
		snprintf(path, sizeof(path), "../shared/data/calendar/tet_1900_2100.csv");
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open the Tết fixture %s (set MOTCUA_SHARED to the shared/ "
			 "directory, or run from the repository root)",
			 path);
	while (fgets(line, sizeof(line), f)) {
		char *comma = strchr(line, ',');
		char *end;
		long year;
		int64_t want, got;
		struct lunar_date ld;

		if (rows == 0 && strncmp(line, "lunar_year", 10) == 0) {
			rows = -1; /* header seen */
			continue;
		}
		if (!comma)
			continue;
		year = strtol(line, &end, 10);
		assert_ptr_equal(end, comma);
		comma[11] = '\0';
		assert_int_equal(civil_parse_date(comma + 1, &want), 0);
		assert_int_equal(lunar_new_year((int)year, &got), 0);
		if (got != want) {
			char g[16];
			civil_format_date(got, g);
			fail_msg("Tết %ld: want %s, got %s", year, comma + 1, g);
		}
		assert_int_equal(lunar_from_solar(want, &ld), 0);
		assert_int_equal(ld.year, year);
		assert_int_equal(ld.month, 1);
		assert_int_equal(ld.day, 1);
		assert_int_equal(ld.leap, 0);
		rows = rows < 0 ? 1 : rows + 1;
	}
	fclose(f);
	assert_int_equal(rows, 201); /* 1900..2100 */
}

/* solar -> lunar -> solar for every supported day, and the lunar dates run in order. */
static void
test_round_trip(void **state)
{
	int64_t first = day(1900, 1, 31), last = day(2199, 12, 31), d, back;
	struct lunar_date ld, prev = {1899, 12, 30, 0};

	(void)state;
	for (d = first; d <= last; d++) {
		if (lunar_from_solar(d, &ld) < 0)
			fail_msg("lunar_from_solar failed for day %lld", (long long)d);
		if (lunar_to_solar(&ld, &back) < 0 || back != d) {
			char s[16];
			civil_format_date(d, s);
			fail_msg("round trip of %s via %d/%d%s/%d failed", s, ld.day, ld.month,
				 ld.leap ? " nhuận" : "", ld.year);
		}
		/* Each day is the next day of the same month or day 1 of the next month. */
		if (ld.day != 1) {
			assert_int_equal(ld.day, prev.day + 1);
			assert_int_equal(ld.month, prev.month);
			assert_int_equal(ld.leap, prev.leap);
		} else if (d != first) {
			assert_true(prev.day == 29 || prev.day == 30);
			if (!ld.leap)
				assert_int_equal(ld.month, prev.month % 12 + 1);
			else
				assert_int_equal(ld.month, prev.month);
		}
		prev = ld;
	}
	assert_int_equal(lunar_from_solar(first - 1, &ld), -1);
	assert_int_equal(lunar_from_solar(last + 1, &ld), -1);
}

static void
test_leap_months(void **state)
{
	static const struct {
		int year, leap;
	} known[] = {
	    {2004, 2}, {2006, 7}, {2009, 5}, {2012, 4}, {2014, 9}, {2017, 6}, {2020, 4},
	    {2023, 2}, {2025, 6}, {2024, 0}, {2026, 0}, {2027, 0}, {1985, 2},
	};
	struct lunar_date ld;
	int64_t d;

	(void)state;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (lunar_leap_month(known[i].year) != known[i].leap)
			fail_msg("year %d: leap month %d, want %d", known[i].year,
				 lunar_leap_month(known[i].year), known[i].leap);
	}
	/* Leap 6th month of Ất Tỵ (2025) began on 25 July 2025. */
	ld = (struct lunar_date){2025, 6, 1, 1};
	assert_int_equal(lunar_to_solar(&ld, &d), 0);
	assert_int_equal(d, day(2025, 7, 25));
	assert_int_equal(lunar_from_solar(day(2025, 8, 1), &ld), 0);
	assert_int_equal(ld.month, 6);
	assert_int_equal(ld.leap, 1);
	assert_int_equal(ld.day, 8);
	/* 2020's leap 4th month began on 23 May 2020; 2023's leap 2nd on 22 March 2023. */
	ld = (struct lunar_date){2020, 4, 1, 1};
	assert_int_equal(lunar_to_solar(&ld, &d), 0);
	assert_int_equal(d, day(2020, 5, 23));
	ld = (struct lunar_date){2023, 2, 1, 1};
	assert_int_equal(lunar_to_solar(&ld, &d), 0);
	assert_int_equal(d, day(2023, 3, 22));
	assert_int_equal(lunar_leap_month(1899), -1);
	assert_int_equal(lunar_leap_month(2200), -1);
}

static void
test_invalid_dates(void **state)
{
	struct lunar_date ld;
	int64_t d;

	(void)state;
	ld = (struct lunar_date){2025, 5, 1, 1}; /* 2025 repeats the 6th month, not the 5th */
	assert_int_equal(lunar_to_solar(&ld, &d), -1);
	ld = (struct lunar_date){2026, 1, 1, 1};
	assert_int_equal(lunar_to_solar(&ld, &d), -1);
	/* The 12th month of Giáp Thìn (2024) had 29 days: no 30 Tết in 2025. */
	assert_int_equal(lunar_month_days(2024, 12, 0), 29);
	ld = (struct lunar_date){2024, 12, 30, 0};
	assert_int_equal(lunar_to_solar(&ld, &d), -1);
	ld = (struct lunar_date){2024, 12, 29, 0};
	assert_int_equal(lunar_to_solar(&ld, &d), 0);
	assert_int_equal(d, day(2025, 1, 28));
	/* ... while Quý Mão (2023) had one: 9 February 2024. */
	assert_int_equal(lunar_month_days(2023, 12, 0), 30);
	ld = (struct lunar_date){2023, 12, 30, 0};
	assert_int_equal(lunar_to_solar(&ld, &d), 0);
	assert_int_equal(d, day(2024, 2, 9));
	ld = (struct lunar_date){2025, 13, 1, 0};
	assert_int_equal(lunar_to_solar(&ld, &d), -1);
	ld = (struct lunar_date){2025, 0, 1, 0};
	assert_int_equal(lunar_to_solar(&ld, &d), -1);
	ld = (struct lunar_date){2025, 1, 0, 0};
	assert_int_equal(lunar_to_solar(&ld, &d), -1);
	ld = (struct lunar_date){2025, 1, 31, 0};
	assert_int_equal(lunar_to_solar(&ld, &d), -1);
	ld = (struct lunar_date){1899, 1, 1, 0};
	assert_int_equal(lunar_to_solar(&ld, &d), -1);
	ld = (struct lunar_date){2200, 1, 1, 0};
	assert_int_equal(lunar_to_solar(&ld, &d), -1);
	ld = (struct lunar_date){2025, 1, 1, 2};
	assert_int_equal(lunar_to_solar(&ld, &d), -1);
	assert_int_equal(lunar_to_solar(NULL, &d), -1);
}

static void
test_known_days(void **state)
{
	struct lunar_date ld;
	int64_t d;

	(void)state;
	/* Hùng Kings' day, 10/3 lunar. */
	ld = (struct lunar_date){2024, 3, 10, 0};
	assert_int_equal(lunar_to_solar(&ld, &d), 0);
	assert_int_equal(d, day(2024, 4, 18));
	ld.year = 2025;
	assert_int_equal(lunar_to_solar(&ld, &d), 0);
	assert_int_equal(d, day(2025, 4, 7));
	ld.year = 2026;
	assert_int_equal(lunar_to_solar(&ld, &d), 0);
	assert_int_equal(d, day(2026, 4, 26));
	/* Tết anchors of domain.md §5 and the UTC+7 difference from China in 1985 and 2007. */
	assert_int_equal(lunar_new_year(2027, &d), 0);
	assert_int_equal(d, day(2027, 2, 6));
	assert_int_equal(lunar_new_year(1985, &d), 0);
	assert_int_equal(d, day(1985, 1, 21));
	assert_int_equal(lunar_new_year(2007, &d), 0);
	assert_int_equal(d, day(2007, 2, 17));
	/* Days just before Tết belong to the old year's 12th month. */
	assert_int_equal(lunar_from_solar(day(2026, 2, 16), &ld), 0);
	assert_int_equal(ld.year, 2025);
	assert_int_equal(ld.month, 12);
	assert_int_equal(ld.day, 29);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tet_fixture), cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_leap_months), cmocka_unit_test(test_invalid_dates),
	    cmocka_unit_test(test_known_days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
