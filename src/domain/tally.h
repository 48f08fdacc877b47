/*
 * tally.h: the arithmetic of the statistics counters (domain.md §7), pure, no I/O.
 *
 * Days are written yyyymmdd (20261122), months yyyymm, years yyyy: the periods of the
 * stat_count rows (store/migrations/009_stats.sql). A range of days is read as whole years,
 * whole months and loose days, so a report over a year sums one row per unit and field
 * instead of 365.
 *
 * The overdue count is kept as deltas: an open, running dossier adds +1 on the day it becomes
 * overdue (its due day, or today when that has passed) and -1 on the day it stops being
 * overdue or stops counting. "Overdue at the end of day B" = open at the end of B, not paused,
 * and its due day <= B: the sum of the deltas up to B.
 */
#ifndef MOTCUA_TALLY_H
#define MOTCUA_TALLY_H

#include <stddef.h>
#include <stdint.h>

/* TALLY_DAY rows carry the procedure; TALLY_DAY_ALL rows (store/migrations/010) are the same
 * days summed over procedures, which is what a report's loose days read */
enum tally_grain { TALLY_DAY = 0, TALLY_MONTH = 1, TALLY_YEAR = 2, TALLY_DAY_ALL = 3 };
#define TALLY_GRAINS 4

struct tally_span {
	enum tally_grain grain;
	int lo, hi; /* periods of that grain, inclusive */
};

#define TALLY_SPANS_MAX 5

/* tally_ymd: a civil day number (core/civil.h) as yyyymmdd. */
int tally_ymd(int64_t days);
/* tally_days: yyyymmdd back to a day number. */
int64_t tally_days(int ymd);
/* tally_split: the days lo..hi (yyyymmdd, valid dates; lo = 0 means from the very beginning)
 * as at most TALLY_SPANS_MAX spans of whole years, whole months and loose days. Returns how
 * many (0 when lo > hi). */
size_t tally_split(int lo, int hi, struct tally_span out[TALLY_SPANS_MAX]);

/*
 * tally_ov_move: a dossier's overdue contribution sits as +1 on day `old` (0: none) and should
 * from `today` on be `want` (the due day when it is open and running, 0: none); the deltas to
 * write go into day[]/delta[] (0, 1 or 2 of them, returned) and *keep is the day to remember
 * as its new `old`. What the old contribution counted before today stays: the past is not
 * rewritten.
 */
int tally_ov_move(int old, int want, int today, int day[2], int delta[2], int *keep);

#endif
