/*
 * fuzz_clock.c: libFuzzer target for the legal clock and the calendar text formats.
 * The first byte chooses: 0 the clock arithmetic (start, cut-off, duration, pause decoded
 * from the bytes, then the properties of clock.h checked), 1 cal_year_parse, 2
 * cal_hours_parse. Any violated property aborts.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc \
 *     -include src/core/banned.h fuzz/fuzz_clock.c src/domain/lunar.c \
 *     src/domain/calendar.c src/domain/clock.c src/core/civil.c src/core/err.c \
 *     src/core/mem.c src/core/arena.c src/core/buf.c -o /tmp/fuzz_clock
 *   /tmp/fuzz_clock -max_total_time=30 fuzz/corpus/clock
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/civil.h"
#include "domain/calendar.h"
#include "domain/clock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FIRST_YEAR 2020
#define LAST_YEAR  2035

static struct clock *clk;
static struct cal_year parsed, reparsed;

/* One confirmed year from text, the others proposed: both paths of clock_new. */
static const char year2026[] = "year 2026\n"
			       "status confirmed\n"
			       "notice Thông báo thử nghiệm\n"
			       "off 2026-01-01 Tết Dương lịch\n"
			       "off 2026-01-02 Hoán đổi ngày làm việc\n"
			       "work 2026-01-10 Làm bù cho ngày 02/01/2026\n"
			       "off 2026-02-16 Tết Nguyên đán\n"
			       "off 2026-02-17 Tết Nguyên đán\n"
			       "off 2026-02-18 Tết Nguyên đán\n"
			       "off 2026-02-19 Tết Nguyên đán\n"
			       "off 2026-02-20 Tết Nguyên đán\n"
			       "off 2026-09-01 Quốc khánh\n"
			       "off 2026-09-02 Quốc khánh\n";

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "property violated: %s\n", what);
		abort();
	}
}

static void
init(void)
{
	struct err e = ERR_INIT;
	if (clk)
		return;
	check(cal_year_parse(year2026, sizeof(year2026) - 1, &parsed, &e) == 0, "seed parses");
	clk = clock_new(&parsed, 1, NULL, FIRST_YEAR, LAST_YEAR, &e);
	check(clk != NULL, "clock builds");
}

static uint64_t
take(const uint8_t **p, size_t *n, int bytes)
{
	uint64_t v = 0;
	for (int i = 0; i < bytes; i++) {
		v <<= 8;
		if (*n) {
			v |= **p;
			(*p)++;
			(*n)--;
		}
	}
	return v;
}

static int64_t
sec_of_day(int64_t t)
{
	struct civil c;
	civil_from_epoch(t, &c);
	return (int64_t)c.hour * 3600 + c.minute * 60 + c.second;
}

/* Default hours: a start is in [07:00, 11:30) or [13:30, 17:00); a due in (.., ..]. */
static int
working_moment(int64_t t, int due)
{
	int64_t s = sec_of_day(t);
	if (clock_is_working_day(clk, civil_day_of_epoch(t)) != 1)
		return 0;
	if (due)
		return (s > 25200 && s <= 41400) || (s > 48600 && s <= 61200);
	return (s >= 25200 && s < 41400) || (s >= 48600 && s < 61200);
}

static void
fuzz_clock(const uint8_t *p, size_t n)
{
	int64_t first, last, start, eff, eff2, due, due2, later_due, m, m2, ps, pe, nd;
	struct duration d;
	struct err e = ERR_INIT;
	int cutoff, rc;
	struct arena *a;
	struct clock_explain x;

	clock_range(clk, &first, &last);
	/* Starts anywhere in 2021..2033 leave room for the durations below. */
	first += 366 * 86400;
	last -= 2 * 366 * 86400;
	start = first + (int64_t)(take(&p, &n, 4) % (uint64_t)(last - first));
	cutoff = (int)(take(&p, &n, 2) % 1441) - 1;
	d.unit = (enum dur_unit)(take(&p, &n, 1) % (DUR__MAX + 1));
	d.amount = (int64_t)(take(&p, &n, 3) % 200000) - 2;
	/* At most about 400 working days, so every valid duration fits in the range. */
	if (d.unit == DUR_WORKING_DAYS || d.unit == DUR_CALENDAR_DAYS)
		d.amount %= 400;
	else if (d.unit == DUR_WORKING_HOURS)
		d.amount %= 3200;

	check(clock_start_of(clk, start, cutoff, &eff, NULL, &e) == 0, "start_of in range");
	check(eff >= start, "start never moves back");
	check(working_moment(eff, 0), "effective start is a working moment");
	check(clock_start_of(clk, eff, -1, &eff2, NULL, &e) == 0 && eff2 == eff,
	      "start_of is idempotent");

	rc = clock_add(clk, eff, &d, &due, NULL, &e);
	check((rc == 0) == (clock_duration_validate(&d, NULL) == 0), "add fails only if invalid");
	if (rc < 0)
		return;
	check(due > eff, "due after start");
	check(working_moment(due, 1), "due in working time");
	check(clock_classify(due, due) == CLOCK_ON_TIME, "due is on time");
	if (d.unit != DUR_CALENDAR_DAYS) {
		check(clock_working_between(clk, eff, due, &m, &e) == 0, "between in range");
		check(m == clock_duration_minutes(&d), "working_between(start, add) == d");
		/* Raw starts (outside working time too) give the same due as their effective
		 * start without a cut-off. */
		check(clock_start_of(clk, start, -1, &eff2, NULL, &e) == 0, "start_of");
		check(clock_add(clk, start, &d, &due2, NULL, &e) == 0, "add raw");
		check(clock_add(clk, eff2, &d, &later_due, NULL, &e) == 0 && later_due == due2,
		      "raw start counts from the next working moment");
	}
	/* Monotonic in the start. */
	check(clock_add(clk, eff + (int64_t)take(&p, &n, 3) % (30 * 86400), &d, &later_due, NULL,
			&e) == 0,
	      "later add");
	check(later_due >= due, "a later start never gives an earlier due");

	/* The explained path agrees with the fast path. */
	a = arena_new(4096);
	clock_explain_init(&x, a);
	check(clock_add(clk, eff, &d, &due2, &x, &e) == 0 && due2 == due, "explained add");
	check(x.n >= 1 && x.items[x.n - 1].kind == CLOCK_EX_DUE, "explanation ends with due");
	for (size_t i = 0; i < x.n; i++)
		check(x.items[i].reason != NULL, "reasons set");

	/* A pause moves the due by exactly the working time paused. */
	ps = eff + (int64_t)(take(&p, &n, 3) % (60 * 86400));
	pe = ps + (int64_t)(take(&p, &n, 3) % (60 * 86400));
	check(clock_shift_for_pause(clk, due, ps, pe, &nd, &x, &e) == 0, "pause in range");
	check(nd >= due, "a pause never brings the due date forward");
	check(clock_working_between(clk, ps, pe, &m, &e) == 0, "pause between");
	check(clock_working_between(clk, due, nd, &m2, &e) == 0, "shift between");
	check(m == m2, "shift equals paused working time");
	check(clock_shift_for_pause(clk, due, pe, ps, &nd, NULL, &e) == (pe > ps ? -1 : 0),
	      "reversed pause rejected");
	arena_free(a);
}

static void
fuzz_year(const uint8_t *p, size_t n)
{
	struct err e = ERR_INIT;
	struct buf b = BUF_INIT(1 << 20);

	if (cal_year_parse((const char *)p, n, &parsed, &e) < 0) {
		check(e.code != ERR_NONE &&
			  (strncmp(e.field, "line ", 5) == 0 || strcmp(e.field, "year") == 0),
		      "parse error names a line");
		return;
	}
	check(cal_year_validate(&parsed, NULL) == 0, "parsed years are valid");
	check(cal_year_format(&parsed, &b) == 0, "format");
	check(cal_year_parse(b.data, b.len, &reparsed, &e) == 0, "formatted text parses");
	check(reparsed.year == parsed.year && reparsed.status == parsed.status &&
		  reparsed.nentries == parsed.nentries && reparsed.nnotices == parsed.nnotices,
	      "round trip");
	for (int i = 0; i < parsed.nnotices; i++)
		check(strcmp(parsed.notice[i], reparsed.notice[i]) == 0, "notice round trip");
	for (int i = 0; i < reparsed.nentries; i++) {
		const struct cal_entry *en = cal_year_find(&parsed, reparsed.entries[i].day);
		check(en && en->kind == reparsed.entries[i].kind &&
			  strcmp(en->reason, reparsed.entries[i].reason) == 0,
		      "entry round trip");
	}
	buf_release(&b);
}

static void
fuzz_hours(const uint8_t *p, size_t n)
{
	char s[256];
	struct cal_hours h, h2;
	struct buf b = BUF_INIT(1024);

	if (n >= sizeof(s))
		n = sizeof(s) - 1;
	memcpy(s, p, n);
	s[n] = '\0';
	if (cal_hours_parse(s, &h, NULL) < 0)
		return;
	check(cal_hours_validate(&h, NULL) == 0, "parsed hours are valid");
	check(cal_hours_format(&h, &b) == 0, "hours format");
	check(cal_hours_parse(b.data, &h2, NULL) == 0, "formatted hours parse");
	check(h2.weekdays == h.weekdays && h2.nintervals == h.nintervals &&
		  memcmp(h2.iv, h.iv, sizeof(h.iv[0]) * (size_t)h.nintervals) == 0,
	      "hours round trip");
	buf_release(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	init();
	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_clock(data + 1, size - 1);
		break;
	case 1:
		fuzz_year(data + 1, size - 1);
		break;
	default:
		fuzz_hours(data + 1, size - 1);
		break;
	}
	return 0;
}
