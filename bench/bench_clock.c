/*
 * bench_clock.c: due-date computations per second on one core, for a 15-working-day legal
 * time from random starts over 2024-2027, with the clock built from the shipped calendars
 * (data/calendar/2024.txt .. 2027.txt; run from the repository root). The floor is the same
 * loop without the clock (drawing the start and summing): the ratio says what the clock costs.
 *
 *   cc -std=c11 -O2 -D_GNU_SOURCE -Isrc -include src/core/banned.h bench/bench_clock.c \
 *     src/domain/lunar.c src/domain/calendar.c src/domain/clock.c src/core/civil.c \
 *     src/core/err.c src/core/mem.c src/core/arena.c src/core/buf.c -o /tmp/bench_clock -lm
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/civil.h"
#include "core/err.h"
#include "domain/calendar.h"
#include "domain/clock.h"

#define N 20000000L

static struct cal_year years[4];

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static inline uint64_t
next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static int
load(void)
{
	static char text[CAL_TEXT_MAX + 1];
	for (int i = 0; i < 4; i++) {
		char path[64];
		struct err e = ERR_INIT;
		size_t len;
		FILE *f;

		snprintf(path, sizeof(path), "data/calendar/%d.txt", 2024 + i);
		if (!(f = fopen(path, "rb"))) {
			fprintf(stderr,
				"bench_clock: cannot read %s (run from the repository root)\n",
				path);
			return -1;
		}
		len = fread(text, 1, sizeof(text), f);
		fclose(f);
		if (cal_year_parse(text, len, &years[i], &e) < 0) {
			fprintf(stderr, "bench_clock: %s: %s\n", path, e.message_en);
			return -1;
		}
	}
	return 0;
}

int
main(void)
{
	struct duration d = {DUR_WORKING_DAYS, 15};
	struct clock *c;
	struct err e = ERR_INIT;
	int64_t lo, span, t0, t1, t2, t3, sum = 0, due, s;
	double floor_rate, add_rate, full_rate, build_ms;

	if (load() < 0)
		return 1;
	t0 = civil_now_ns();
	c = clock_new(years, 4, NULL, 2000, 2100, &e);
	t1 = civil_now_ns();
	if (!c) {
		fprintf(stderr, "bench_clock: %s\n", e.message_en);
		return 1;
	}
	build_ms = (double)(t1 - t0) / 1e6;
	lo = civil_days_from_date(2024, 1, 1) * 86400 - CIVIL_OFFSET;
	span = civil_days_from_date(2028, 1, 1) * 86400 - CIVIL_OFFSET - lo;

	/* Floor: draw the start, use it. */
	t0 = civil_now_ns();
	for (long i = 0; i < N; i++)
		sum += lo + (int64_t)(next() % (uint64_t)span);
	t1 = civil_now_ns();
	/* The feature: clock_add of 15 working days. */
	for (long i = 0; i < N; i++) {
		if (clock_add(c, lo + (int64_t)(next() % (uint64_t)span), &d, &due, NULL, &e) < 0)
			return 1;
		sum += due;
	}
	t2 = civil_now_ns();
	/* What a receipt does: the effective start (15:00 cut-off), then the due date. */
	for (long i = 0; i < N; i++) {
		if (clock_start_of(c, lo + (int64_t)(next() % (uint64_t)span), 900, &s, NULL, &e) <
			0 ||
		    clock_add(c, s, &d, &due, NULL, &e) < 0)
			return 1;
		sum += due;
	}
	t3 = civil_now_ns();

	floor_rate = N / ((double)(t1 - t0) / 1e9);
	add_rate = N / ((double)(t2 - t1) / 1e9);
	full_rate = N / ((double)(t3 - t2) / 1e9);
	printf("clock: built 2000-2100 (4 shipped years, 97 proposed) in %.1f ms\n", build_ms);
	printf("clock: floor (draw a start): %.0f/s\n", floor_rate);
	printf("clock: 15-working-day due dates: %.0f/s (target >= 2000000/s), %.1fx the floor's "
	       "time\n",
	       add_rate, floor_rate / add_rate);
	printf("clock: start_of (15:00 cut-off) + due date: %.0f/s\n", full_rate);
	fprintf(stderr, "(checksum %lld)\n", (long long)sum);
	clock_free(c);
	return add_rate >= 2000000 ? 0 : 2;
}
