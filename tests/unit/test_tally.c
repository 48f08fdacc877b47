/* test_tally.c: the statistics counters' arithmetic (domain/tally.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/civil.h"
#include "domain/tally.h"

/* does the span hold the day? */
static int
holds(const struct tally_span *s, int ymd)
{
	int p = s->grain == TALLY_DAY ? ymd : s->grain == TALLY_MONTH ? ymd / 100 : ymd / 10000;
	return p >= s->lo && p <= s->hi;
}

static void
test_ymd_round_trip(void **state)
{
	(void)state;
	assert_int_equal(tally_ymd(civil_days_from_date(2026, 11, 22)), 20261122);
	assert_int_equal(tally_days(20240229), civil_days_from_date(2024, 2, 29));
	for (int64_t d = civil_days_from_date(1999, 1, 1); d < civil_days_from_date(2031, 1, 1);
	     d++)
		assert_int_equal(tally_days(tally_ymd(d)), d);
}

static void
test_split_hand_cases(void **state)
{
	(void)state;
	struct tally_span s[TALLY_SPANS_MAX];
	/* a whole year is one row per unit and field */
	assert_int_equal(tally_split(20250101, 20251231, s), 1);
	assert_int_equal(s[0].grain, TALLY_YEAR);
	assert_int_equal(s[0].lo, 2025);
	/* a whole month */
	assert_int_equal(tally_split(20241101, 20241130, s), 1);
	assert_int_equal(s[0].grain, TALLY_MONTH);
	assert_int_equal(s[0].lo, 202411);
	/* days inside one month */
	assert_int_equal(tally_split(20260203, 20260210, s), 1);
	assert_int_equal(s[0].grain, TALLY_DAY);
	/* February of a leap year ends on the 29th */
	assert_int_equal(tally_split(20240201, 20240229, s), 1);
	assert_int_equal(tally_split(20240201, 20240228, s), 1);
	assert_int_equal(s[0].grain, TALLY_DAY);
	/* from the beginning to the end of a month: years and months */
	assert_int_equal(tally_split(0, 20250331, s), 2);
	/* the worst case: days, months, years, months, days */
	assert_int_equal(tally_split(20230315, 20260520, s), 5);
	assert_int_equal(tally_split(20260521, 20260520, s), 0);
}

static void
test_split_covers_every_day_once(void **state)
{
	(void)state;
	srand(7);
	int64_t base = civil_days_from_date(2022, 1, 1);
	for (int iter = 0; iter < 3000; iter++) {
		int64_t a = base + rand() % 1500, b = a + rand() % 800 - 30;
		int lo = iter % 10 == 0 ? 0 : tally_ymd(a), hi = tally_ymd(b);
		struct tally_span s[TALLY_SPANS_MAX];
		size_t n = tally_split(lo, hi, s);
		assert_true(n <= TALLY_SPANS_MAX);
		/* every day in [base-400, b+400] is held by exactly one span iff it is in range */
		for (int64_t d = base - 400; d < b + 400; d += 1) {
			int ymd = tally_ymd(d), k = 0;
			for (size_t i = 0; i < n; i++)
				k += holds(&s[i], ymd);
			int in = (lo == 0 || d >= a) && d <= b;
			assert_int_equal(k, in);
		}
	}
}

/* the overdue deltas, summed up to a day, give the overdue indicator of that day */
static int
sum_to(const int *days, const int *deltas, int n, int b)
{
	int s = 0;
	for (int i = 0; i < n; i++)
		if (days[i] <= b)
			s += deltas[i];
	return s;
}

static void
test_ov_move_is_exact(void **state)
{
	(void)state;
	srand(11);
	for (int iter = 0; iter < 5000; iter++) {
		/* a history of changes on increasing days; the truth at the end of day B is
		 * "want of the last change on or before B is set and <= B" */
		int days[64], deltas[64], n = 0, old = 0;
		int cday[8], cwant[8], nc = 1 + rand() % 8;
		int64_t t = civil_days_from_date(2026, 1, 1);
		for (int i = 0; i < nc; i++) {
			t += rand() % 4;
			cday[i] = tally_ymd(t);
			cwant[i] = rand() % 3 == 0 ? 0 : tally_ymd(t + rand() % 9 - 3);
			int dd[2], dl[2], keep;
			int k = tally_ov_move(old, cwant[i], cday[i], dd, dl, &keep);
			for (int j = 0; j < k; j++) {
				days[n] = dd[j];
				deltas[n++] = dl[j];
			}
			old = keep;
		}
		for (int64_t b = civil_days_from_date(2025, 12, 25); b < t + 15; b++) {
			int B = tally_ymd(b), want = 0, any = 0;
			for (int i = 0; i < nc; i++)
				if (cday[i] <= B)
					want = cwant[i], any = 1;
			int truth = any && want && want <= B;
			assert_int_equal(sum_to(days, deltas, n, B), truth);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ymd_round_trip),
	    cmocka_unit_test(test_split_hand_cases),
	    cmocka_unit_test(test_split_covers_every_day_once),
	    cmocka_unit_test(test_ov_move_is_exact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
