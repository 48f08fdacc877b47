#include "domain/tally.h"

#include "core/civil.h"

int
tally_ymd(int64_t days)
{
	int y, m, d;
	civil_date_from_days(days, &y, &m, &d);
	return y * 10000 + m * 100 + d;
}

int64_t
tally_days(int ymd)
{
	return civil_days_from_date(ymd / 10000, ymd / 100 % 100, ymd % 100);
}

static int
month_days(int y, int m)
{
	static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return n[m - 1];
}

static void
put(struct tally_span *out, size_t *n, enum tally_grain g, int lo, int hi)
{
	out[*n].grain = g;
	out[*n].lo = lo;
	out[*n].hi = hi;
	(*n)++;
}

size_t
tally_split(int lo, int hi, struct tally_span out[TALLY_SPANS_MAX])
{
	size_t n = 0;
	if (lo > hi)
		return 0;
	int ly = lo / 10000, lm = lo ? lo / 100 % 100 : 1, ld = lo ? lo % 100 : 1;
	int hy = hi / 10000, hm = hi / 100 % 100, hd = hi % 100;
	/* loose days at the start, up to the end of that month */
	if (ld != 1) {
		if (ly == hy && lm == hm) {
			put(out, &n, TALLY_DAY, lo, hi);
			return n;
		}
		put(out, &n, TALLY_DAY, lo, ly * 10000 + lm * 100 + month_days(ly, lm));
		if (++lm > 12)
			lm = 1, ly++;
	}
	/* loose days at the end, from the first of that month */
	if (hd != month_days(hy, hm)) {
		put(out, &n, TALLY_DAY, hy * 10000 + hm * 100 + 1, hi);
		if (--hm < 1)
			hm = 12, hy--;
	}
	if (ly * 100 + lm > hy * 100 + hm)
		return n;
	if (ly == hy && (lm != 1 || hm != 12)) {
		put(out, &n, TALLY_MONTH, ly * 100 + lm, hy * 100 + hm);
		return n;
	}
	if (lm != 1) {
		put(out, &n, TALLY_MONTH, ly * 100 + lm, ly * 100 + 12);
		ly++;
	}
	if (hm != 12) {
		put(out, &n, TALLY_MONTH, hy * 100 + 1, hy * 100 + hm);
		hy--;
	}
	if (ly <= hy)
		put(out, &n, TALLY_YEAR, ly, hy);
	return n;
}

int
tally_ov_move(int old, int want, int today, int day[2], int delta[2], int *keep)
{
	/* from today on, the old contribution counts from max(old, today), the new one from
	 * max(want, today): they are the same function when those days are equal */
	int from_old = old ? (old > today ? old : today) : 0;
	int from_new = want ? (want > today ? want : today) : 0;
	int n = 0;
	if (from_old == from_new) {
		*keep = old;
		return 0;
	}
	if (from_old) {
		day[n] = from_old;
		delta[n++] = -1;
	}
	if (from_new) {
		day[n] = from_new;
		delta[n++] = 1;
	}
	*keep = from_new;
	return n;
}
