#include "domain/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/civil.h"
#include "core/mem.h"

enum {
	DAY_WORKING = 1,  /* the day is worked */
	DAY_MAKEUP = 2,	  /* worked although its weekday is not (làm bù) */
	DAY_HOLIDAY = 4,  /* an `off` entry of the calendar */
	DAY_PROPOSED = 8, /* its year is a proposal, not confirmed by a notice */
};

struct clock {
	int first_year, last_year;
	int64_t d0;	/* day number of 1 January of first_year */
	int64_t ndays;	/* days in the range */
	int64_t nwork;	/* working days in the range */
	int64_t daysec; /* working seconds of one working day */
	int niv;	/* the day's intervals, in seconds since midnight */
	int64_t iv_start[CAL_INTERVALS_MAX];
	int64_t iv_end[CAL_INTERVALS_MAX];
	int64_t iv_before[CAL_INTERVALS_MAX]; /* working seconds before interval i */
	int32_t *wbefore;		      /* [ndays + 1]: working days before day index i */
	int32_t *workday;		      /* [nwork]: day index of the k-th working day */
	uint8_t *flags;			      /* [ndays] */
	uint16_t *reason;		      /* [ndays]: index into reasons, 0 for none */
	char **reasons; /* interned reason strings; 1..7 are the weekday names */
	int nreasons, capreasons;
};

static const char *const weekday_vi[7] = {"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư",
					  "Thứ Năm",  "Thứ Sáu", "Thứ Bảy"};

static const char *const unit_names[DUR__MAX] = {
    [DUR_WORKING_MINUTES] = "working_minutes",
    [DUR_WORKING_HOURS] = "working_hours",
    [DUR_WORKING_DAYS] = "working_days",
    [DUR_CALENDAR_DAYS] = "calendar_days",
};

/* Working minutes per unit and the largest amount accepted (10 years). */
static const struct {
	int64_t minutes;
	int64_t max;
} unit_table[DUR__MAX] = {
    [DUR_WORKING_MINUTES] = {1, CLOCK_MAX_MINUTES},
    [DUR_WORKING_HOURS] = {60, CLOCK_MAX_MINUTES / 60},
    [DUR_WORKING_DAYS] = {CLOCK_DAY_MINUTES, CLOCK_MAX_WORKING_DAYS},
    [DUR_CALENDAR_DAYS] = {0, CLOCK_MAX_CALENDAR_DAYS},
};

static const char *const kind_names[CLOCK_EX__MAX] = {
    [CLOCK_EX_START] = "start",		[CLOCK_EX_SKIP] = "skip", [CLOCK_EX_MAKEUP] = "makeup",
    [CLOCK_EX_MOVED] = "moved",		[CLOCK_EX_DUE] = "due",	  [CLOCK_EX_PAUSE] = "pause",
    [CLOCK_EX_EXTENSION] = "extension",
};

static const struct {
	const char *name, *vi;
} why_table[CLOCK_START__MAX] = {
    [CLOCK_START_AS_IS] = {"as_is", "Tiếp nhận trong giờ làm việc"},
    [CLOCK_START_BEFORE_OPENING] = {"before_opening",
				    "Tiếp nhận trước giờ làm việc, tính từ đầu giờ làm việc"},
    [CLOCK_START_LUNCH] = {"lunch", "Tiếp nhận trong giờ nghỉ trưa, tính từ đầu giờ chiều"},
    [CLOCK_START_AFTER_CLOSING] = {"after_closing", "Tiếp nhận sau giờ làm việc, tính từ "
						    "đầu ngày làm việc tiếp theo"},
    [CLOCK_START_DAY_OFF] = {"day_off",
			     "Tiếp nhận vào ngày nghỉ, tính từ đầu ngày làm việc tiếp theo"},
    [CLOCK_START_AFTER_CUTOFF] = {"after_cutoff", "Tiếp nhận sau giờ tiếp nhận của thủ tục, "
						  "tính từ đầu ngày làm việc tiếp theo"},
};

static const struct {
	const char *name, *vi;
} class_table[CLOCK_CLASS__MAX] = {
    [CLOCK_EARLY] = {"early", "Trước hạn"},
    [CLOCK_ON_TIME] = {"on_time", "Đúng hạn"},
    [CLOCK_LATE] = {"late", "Quá hạn"},
};

const char *
clock_dur_unit_name(enum dur_unit u)
{
	return (unsigned)u < DUR__MAX ? unit_names[u] : NULL;
}

const char *
clock_explain_kind_name(enum clock_explain_kind k)
{
	return (unsigned)k < CLOCK_EX__MAX ? kind_names[k] : NULL;
}

const char *
clock_start_why_name(enum clock_start_why w)
{
	return (unsigned)w < CLOCK_START__MAX ? why_table[w].name : NULL;
}

const char *
clock_start_why_vi(enum clock_start_why w)
{
	return (unsigned)w < CLOCK_START__MAX ? why_table[w].vi : NULL;
}

const char *
clock_class_name(enum clock_class k)
{
	return (unsigned)k < CLOCK_CLASS__MAX ? class_table[k].name : NULL;
}

const char *
clock_class_vi(enum clock_class k)
{
	return (unsigned)k < CLOCK_CLASS__MAX ? class_table[k].vi : NULL;
}

int
clock_duration_validate(const struct duration *d, struct err *e)
{
	if (!d || (unsigned)d->unit >= DUR__MAX)
		return err_set(e, ERR_VALIDATION, "duration", "Đơn vị thời hạn không hợp lệ",
			       "Invalid unit of duration");
	if (d->amount <= 0)
		return err_set(e, ERR_VALIDATION, "duration", "Thời hạn phải lớn hơn 0",
			       "The duration must be greater than zero");
	if (d->amount > unit_table[d->unit].max)
		return err_set(e, ERR_VALIDATION, "duration", "Thời hạn không được quá 10 năm",
			       "The duration must not exceed 10 years");
	return 0;
}

int64_t
clock_duration_minutes(const struct duration *d)
{
	if (clock_duration_validate(d, NULL) < 0 || d->unit == DUR_CALENDAR_DAYS)
		return -1;
	return d->amount * unit_table[d->unit].minutes;
}

/* Explanations. */

void
clock_explain_init(struct clock_explain *x, struct arena *a)
{
	x->arena = a;
	x->items = NULL;
	x->n = 0;
	x->cap = 0;
}

static struct clock_explain_item *
ex_push(struct clock_explain *x, enum clock_explain_kind kind)
{
	struct clock_explain_item *it;

	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16;
		struct clock_explain_item *items = arena_alloc(x->arena, cap * sizeof(*items));
		if (x->n)
			memcpy(items, x->items, x->n * sizeof(*items));
		x->items = items;
		x->cap = cap;
	}
	it = &x->items[x->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->reason = "";
	return it;
}

/* Day tables. */

static int
intern(struct clock *c, const char *s)
{
	for (int i = 1; i < c->nreasons; i++)
		if (strcmp(c->reasons[i], s) == 0)
			return i;
	if (c->nreasons == c->capreasons) {
		c->capreasons = c->capreasons ? c->capreasons * 2 : 32;
		c->reasons = xrealloc(c->reasons, (size_t)c->capreasons * sizeof(char *));
	}
	c->reasons[c->nreasons] = xstrdup(s);
	return c->nreasons++;
}

void
clock_free(struct clock *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->nreasons; i++)
		free(c->reasons[i]);
	free(c->reasons);
	free(c->wbefore);
	free(c->workday);
	free(c->flags);
	free(c->reason);
	free(c);
}

static void
mark_year(struct clock *c, const struct cal_year *y, const struct cal_hours *h)
{
	int64_t first = civil_days_from_date(y->year, 1, 1);
	int64_t last = civil_days_from_date(y->year + 1, 1, 1);
	uint8_t proposed = y->status == CAL_CONFIRMED ? 0 : DAY_PROPOSED;

	for (int64_t d = first; d < last; d++) {
		int w = civil_wday(d);
		int64_t i = d - c->d0;
		c->flags[i] = proposed | ((h->weekdays >> w) & 1 ? DAY_WORKING : 0);
		c->reason[i] = c->flags[i] & DAY_WORKING ? 0 : (uint16_t)(1 + w);
	}
	for (int k = 0; k < y->nentries; k++) {
		const struct cal_entry *en = &y->entries[k];
		int64_t i = en->day - c->d0;
		if (en->kind == CAL_OFF) {
			c->flags[i] = (uint8_t)((c->flags[i] & ~DAY_WORKING) | DAY_HOLIDAY);
			c->reason[i] = (uint16_t)intern(c, en->reason);
		} else if (!(c->flags[i] & DAY_WORKING)) {
			c->flags[i] |= DAY_WORKING | DAY_MAKEUP;
			c->reason[i] = (uint16_t)intern(c, en->reason);
		}
	}
}

struct clock *
clock_new(const struct cal_year *years, size_t nyears, const struct cal_hours *hours,
	  int first_year, int last_year, struct err *e)
{
	struct cal_hours h;
	struct clock *c;
	struct cal_year *prop = NULL;
	int64_t acc;

	if (hours) {
		if (cal_hours_validate(hours, e) < 0)
			return NULL;
		h = *hours;
	} else {
		cal_hours_default(&h);
	}
	if (first_year < CAL_YEAR_MIN || last_year > CAL_YEAR_MAX || first_year > last_year ||
	    last_year - first_year >= 300) {
		err_setf(e, ERR_VALIDATION, "years", "Khoảng năm phải nằm trong %d-%d",
			 "The range of years must lie within %d-%d", CAL_YEAR_MIN, CAL_YEAR_MAX);
		return NULL;
	}
	for (size_t i = 0; i < nyears; i++) {
		if (cal_year_validate(&years[i], e) < 0)
			return NULL;
		for (size_t j = 0; j < i; j++) {
			if (years[j].year == years[i].year) {
				err_setf(e, ERR_VALIDATION, "years", "Năm %d có hai lịch",
					 "The year %d is given twice", years[i].year);
				return NULL;
			}
		}
	}

	c = xcalloc(1, sizeof(*c));
	c->first_year = first_year;
	c->last_year = last_year;
	c->d0 = civil_days_from_date(first_year, 1, 1);
	c->ndays = civil_days_from_date(last_year + 1, 1, 1) - c->d0;
	c->niv = h.nintervals;
	acc = 0;
	for (int i = 0; i < h.nintervals; i++) {
		c->iv_start[i] = (int64_t)h.iv[i].start * 60;
		c->iv_end[i] = (int64_t)h.iv[i].end * 60;
		c->iv_before[i] = acc;
		acc += c->iv_end[i] - c->iv_start[i];
	}
	c->daysec = acc;
	c->flags = xcalloc((size_t)c->ndays, 1);
	c->reason = xcalloc((size_t)c->ndays, sizeof(uint16_t));
	c->wbefore = xmalloc((size_t)(c->ndays + 1) * sizeof(int32_t));
	intern(c, ""); /* index 0: no reason */
	for (int w = 0; w < 7; w++)
		intern(c, weekday_vi[w]);

	prop = xmalloc(sizeof(*prop));
	for (int y = first_year; y <= last_year; y++) {
		const struct cal_year *cy = NULL;
		for (size_t i = 0; i < nyears; i++)
			if (years[i].year == y)
				cy = &years[i];
		if (!cy) {
			if (calendar_propose(y, prop) < 0) {
				free(prop);
				clock_free(c);
				err_set(e, ERR_INTERNAL, "years", "Không lập được lịch đề xuất",
					"Could not propose a calendar");
				return NULL;
			}
			cy = prop;
		}
		mark_year(c, cy, &h);
	}
	free(prop);
	if (c->nreasons > UINT16_MAX) {
		clock_free(c);
		err_set(e, ERR_VALIDATION, "years", "Quá nhiều lý do nghỉ khác nhau",
			"Too many distinct reasons");
		return NULL;
	}

	c->nwork = 0;
	for (int64_t i = 0; i < c->ndays; i++) {
		c->wbefore[i] = (int32_t)c->nwork;
		c->nwork += c->flags[i] & DAY_WORKING;
	}
	c->wbefore[c->ndays] = (int32_t)c->nwork;
	c->workday = xmalloc((size_t)(c->nwork ? c->nwork : 1) * sizeof(int32_t));
	for (int64_t i = 0, k = 0; i < c->ndays; i++)
		if (c->flags[i] & DAY_WORKING)
			c->workday[k++] = (int32_t)i;
	if (c->nwork == 0) {
		clock_free(c);
		err_set(e, ERR_VALIDATION, "hours", "Không có ngày làm việc nào",
			"There is no working day");
		return NULL;
	}
	return c;
}

void
clock_range(const struct clock *c, int64_t *first, int64_t *last)
{
	*first = c->d0 * 86400 - CIVIL_OFFSET;
	*last = (c->d0 + c->ndays) * 86400 - CIVIL_OFFSET - 1;
}

int
clock_is_working_day(const struct clock *c, int64_t day)
{
	int64_t i = day - c->d0;
	if (i < 0 || i >= c->ndays)
		return -1;
	return c->flags[i] & DAY_WORKING;
}

const char *
clock_day_reason(const struct clock *c, int64_t day)
{
	int64_t i = day - c->d0;
	if (i < 0 || i >= c->ndays || c->reason[i] == 0)
		return NULL;
	return c->reasons[c->reason[i]];
}

/* The fast path. */

/* Day index and second of the day of an instant; -1 outside the range. */
static inline int
locate(const struct clock *c, int64_t t, int64_t *idx, int64_t *sec)
{
	int64_t day = civil_day_of_epoch(t);
	*idx = day - c->d0;
	if (*idx < 0 || *idx >= c->ndays)
		return -1;
	*sec = t + CIVIL_OFFSET - day * 86400;
	return 0;
}

/* Working seconds of a working day before second `sec`. */
static inline int64_t
within(const struct clock *c, int64_t sec)
{
	for (int i = 0; i < c->niv; i++) {
		if (sec < c->iv_start[i])
			return c->iv_before[i];
		if (sec < c->iv_end[i])
			return c->iv_before[i] + sec - c->iv_start[i];
	}
	return c->daysec;
}

/* Working seconds from the start of the range to t. */
static inline int
wsec(const struct clock *c, int64_t t, int64_t *w)
{
	int64_t i, s;
	if (locate(c, t, &i, &s) < 0)
		return -1;
	*w = (int64_t)c->wbefore[i] * c->daysec + (c->flags[i] & DAY_WORKING ? within(c, s) : 0);
	return 0;
}

/* The first instant at which `target` (> 0) working seconds have elapsed. */
static inline int
at_wsec(const struct clock *c, int64_t target, int64_t *t)
{
	int64_t k, r, day;
	int i;

	if (target <= 0)
		return -1;
	k = (target - 1) / c->daysec;
	if (k >= c->nwork)
		return -1;
	r = target - k * c->daysec; /* 1..daysec: a day used up ends at its close */
	for (i = 0; i < c->niv - 1; i++)
		if (r <= c->iv_before[i] + c->iv_end[i] - c->iv_start[i])
			break;
	day = c->d0 + c->workday[k];
	*t = day * 86400 - CIVIL_OFFSET + c->iv_start[i] + (r - c->iv_before[i]);
	return 0;
}

static int
range_err(struct err *e, const char *field)
{
	return err_set(e, ERR_VALIDATION, field, "Thời điểm nằm ngoài phạm vi lịch làm việc",
		       "The time is outside the range of the working calendar");
}

/* The index of the first working day after day index i, -1 when none in range. */
static int64_t
next_workday(const struct clock *c, int64_t i)
{
	int64_t k = c->wbefore[i + 1];
	return k < c->nwork ? c->workday[k] : -1;
}

/* The index of the first working day at or after day index i, -1 when none. */
static int64_t
workday_from(const struct clock *c, int64_t i)
{
	int64_t k = c->wbefore[i];
	return k < c->nwork ? c->workday[k] : -1;
}

static int64_t
day_start(const struct clock *c, int64_t idx)
{
	return (c->d0 + idx) * 86400 - CIVIL_OFFSET;
}

/* Lists the days off and the make-up days of day indexes [from, to] in x. */
static void
explain_days(const struct clock *c, struct clock_explain *x, int64_t from, int64_t to)
{
	for (int64_t i = from; i <= to; i++) {
		struct clock_explain_item *it;
		uint8_t f = c->flags[i];
		if ((f & DAY_WORKING) && !(f & DAY_MAKEUP))
			continue;
		it = ex_push(x, f & DAY_WORKING ? CLOCK_EX_MAKEUP : CLOCK_EX_SKIP);
		it->day = c->d0 + i;
		it->proposed = (f & DAY_PROPOSED) != 0;
		it->reason = c->reasons[c->reason[i]];
	}
}

int
clock_start_of(const struct clock *c, int64_t accepted_at, int cutoff_minute, int64_t *start,
	       struct clock_explain *x, struct err *e)
{
	int64_t i, s, n;
	enum clock_start_why why = CLOCK_START_AS_IS;

	if (cutoff_minute < -1 || cutoff_minute >= 1440)
		return err_set(e, ERR_VALIDATION, "cutoff",
			       "Giờ chốt tiếp nhận phải từ 00:00 đến 23:59",
			       "The cut-off must be between 00:00 and 23:59");
	if (locate(c, accepted_at, &i, &s) < 0)
		return range_err(e, "accepted_at");
	*start = accepted_at;
	if (!(c->flags[i] & DAY_WORKING))
		why = CLOCK_START_DAY_OFF;
	else if (s >= c->iv_end[c->niv - 1])
		why = CLOCK_START_AFTER_CLOSING;
	else if (cutoff_minute >= 0 && s >= (int64_t)cutoff_minute * 60)
		why = CLOCK_START_AFTER_CUTOFF;
	else if (s < c->iv_start[0])
		why = CLOCK_START_BEFORE_OPENING;

	if (why == CLOCK_START_BEFORE_OPENING) {
		*start = day_start(c, i) + c->iv_start[0];
	} else if (why != CLOCK_START_AS_IS) {
		if ((n = next_workday(c, i)) < 0)
			return range_err(e, "accepted_at");
		*start = day_start(c, n) + c->iv_start[0];
	} else {
		for (int k = 0; k < c->niv; k++) {
			if (s < c->iv_start[k]) {
				why = CLOCK_START_LUNCH;
				*start = day_start(c, i) + c->iv_start[k];
				break;
			}
			if (s < c->iv_end[k])
				break;
		}
	}
	if (x && why != CLOCK_START_AS_IS) {
		struct clock_explain_item *it = ex_push(x, CLOCK_EX_START);
		it->why = why;
		it->from = accepted_at;
		it->to = *start;
		it->reason = why_table[why].vi;
	}
	return 0;
}

/* Adds working seconds to an instant; x gets the days crossed after the day of t (and that
 * day too when include_first). */
static int
add_working(const struct clock *c, int64_t t, int64_t secs, int64_t *due, struct clock_explain *x,
	    int include_first, struct err *e)
{
	int64_t w, i0, i1, s;

	if (wsec(c, t, &w) < 0)
		return range_err(e, "start");
	if (secs == 0) {
		*due = t;
		return 0;
	}
	if (at_wsec(c, w + secs, due) < 0)
		return range_err(e, "due");
	if (x) {
		locate(c, t, &i0, &s);
		locate(c, *due, &i1, &s);
		if (!include_first)
			i0++;
		explain_days(c, x, i0, i1);
	}
	return 0;
}

/* The close of the working day at or after day index i (calendar-day periods). */
static int
calendar_due(const struct clock *c, int64_t i, int64_t *due, int64_t *moved_from,
	     struct clock_explain *x, struct err *e)
{
	int64_t n;

	if (i >= c->ndays || (n = workday_from(c, i)) < 0)
		return range_err(e, "due");
	*due = day_start(c, n) + c->iv_end[c->niv - 1];
	*moved_from = n == i ? -1 : day_start(c, i) + c->iv_end[c->niv - 1];
	if (x && n != i) {
		struct clock_explain_item *it;
		explain_days(c, x, i, n - 1);
		it = ex_push(x, CLOCK_EX_MOVED);
		it->day = c->d0 + i;
		it->from = *moved_from;
		it->to = *due;
		it->due = *due;
		it->reason = "Ngày hết hạn trùng ngày nghỉ, chuyển sang ngày làm việc tiếp theo";
	}
	return 0;
}

int
clock_add(const struct clock *c, int64_t start, const struct duration *d, int64_t *due,
	  struct clock_explain *x, struct err *e)
{
	struct clock_explain_item *it;

	if (clock_duration_validate(d, e) < 0)
		return -1;
	if (d->unit == DUR_CALENDAR_DAYS) {
		int64_t eff, i, s, moved;
		if (clock_start_of(c, start, -1, &eff, x, e) < 0)
			return -1;
		locate(c, eff, &i, &s);
		if (calendar_due(c, i + d->amount, due, &moved, x, e) < 0)
			return -1;
	} else if (!x) {
		/* The fast path: no explanation, two table reads and a division. */
		int64_t w;
		if (wsec(c, start, &w) < 0)
			return range_err(e, "start");
		if (at_wsec(c, w + d->amount * unit_table[d->unit].minutes * 60, due) < 0)
			return range_err(e, "due");
		return 0;
	} else if (add_working(c, start, d->amount * unit_table[d->unit].minutes * 60, due, x, 1,
			       e) < 0) {
		return -1;
	}
	if (x) {
		it = ex_push(x, CLOCK_EX_DUE);
		it->from = start;
		it->unit = d->unit;
		it->amount = d->amount;
		it->due = *due;
		it->reason = "Hạn giải quyết theo thời hạn quy định";
	}
	return 0;
}

int
clock_working_between(const struct clock *c, int64_t a, int64_t b, int64_t *minutes, struct err *e)
{
	int64_t wa, wb;

	if (wsec(c, a, &wa) < 0)
		return range_err(e, "from");
	if (wsec(c, b, &wb) < 0)
		return range_err(e, "to");
	/* Rounded toward zero both ways, so swapping a and b only flips the sign. */
	*minutes = (wb - wa) / 60;
	return 0;
}

int
clock_shift_for_pause(const struct clock *c, int64_t due, int64_t pause_start, int64_t pause_end,
		      int64_t *new_due, struct clock_explain *x, struct err *e)
{
	int64_t wa, wb;
	struct clock_explain_item *it;

	if (pause_end < pause_start)
		return err_set(e, ERR_VALIDATION, "pause_end",
			       "Thời điểm kết thúc tạm dừng phải sau thời điểm bắt đầu",
			       "A pause must end after it starts");
	if (wsec(c, pause_start, &wa) < 0)
		return range_err(e, "pause_start");
	if (wsec(c, pause_end, &wb) < 0)
		return range_err(e, "pause_end");
	if (add_working(c, due, wb - wa, new_due, x, 0, e) < 0)
		return -1;
	if (x) {
		it = ex_push(x, CLOCK_EX_PAUSE);
		it->from = pause_start;
		it->to = pause_end;
		it->unit = DUR_WORKING_MINUTES;
		it->amount = (wb - wa) / 60;
		it->due = *new_due;
		it->reason = "Tạm dừng để bổ sung hồ sơ";
	}
	return 0;
}

static int
check_reason(const char *reason, struct err *e)
{
	size_t n = reason ? strlen(reason) : 0;
	if (n == 0 || n > CLOCK_REASON_MAX)
		return err_setf(
		    e, ERR_VALIDATION, "reason", "Lý do gia hạn phải có từ 1 đến %d byte",
		    "The reason for an extension must be 1 to %d bytes", CLOCK_REASON_MAX);
	return 0;
}

static void
explain_extension(struct clock_explain *x, int64_t due, int64_t new_due, enum dur_unit unit,
		  int64_t amount, const char *reason)
{
	struct clock_explain_item *it = ex_push(x, CLOCK_EX_EXTENSION);
	it->from = due;
	it->due = new_due;
	it->unit = unit;
	it->amount = amount;
	it->reason = arena_strdup(x->arena, reason);
}

int
clock_extend_to(const struct clock *c, int64_t due, int64_t new_due, const char *reason,
		struct clock_explain *x, struct err *e)
{
	int64_t i, s;

	if (check_reason(reason, e) < 0)
		return -1;
	if (locate(c, new_due, &i, &s) < 0)
		return range_err(e, "new_due");
	if (new_due <= due)
		return err_set(e, ERR_VALIDATION, "new_due", "Hạn mới phải sau hạn cũ",
			       "The new due date must be later than the old one");
	if (!(c->flags[i] & DAY_WORKING))
		return err_set(e, ERR_VALIDATION, "new_due", "Hạn mới rơi vào ngày nghỉ",
			       "The new due date falls on a day off");
	if (x) {
		int64_t i0;
		if (locate(c, due, &i0, &s) == 0)
			explain_days(c, x, i0 + 1, i);
		explain_extension(x, due, new_due, DUR_WORKING_MINUTES, 0, reason);
	}
	return 0;
}

int
clock_extend_by(const struct clock *c, int64_t due, const struct duration *d, const char *reason,
		int64_t *new_due, struct clock_explain *x, struct err *e)
{
	int64_t moved;

	if (check_reason(reason, e) < 0 || clock_duration_validate(d, e) < 0)
		return -1;
	if (d->unit == DUR_CALENDAR_DAYS) {
		int64_t i, s;
		if (locate(c, due, &i, &s) < 0)
			return range_err(e, "due");
		if (calendar_due(c, i + d->amount, new_due, &moved, x, e) < 0)
			return -1;
	} else if (add_working(c, due, d->amount * unit_table[d->unit].minutes * 60, new_due, x, 0,
			       e) < 0) {
		return -1;
	}
	if (x)
		explain_extension(x, due, *new_due, d->unit, d->amount, reason);
	return 0;
}

int
clock_steps(const struct clock *c, int64_t start, const int64_t *minutes, size_t n, int64_t *dues,
	    struct err *e)
{
	int64_t w, total = 0;
	char field[32];

	if (wsec(c, start, &w) < 0)
		return range_err(e, "start");
	for (size_t i = 0; i < n; i++) {
		if (minutes[i] < 0 || minutes[i] > CLOCK_MAX_MINUTES - total) {
			snprintf(field, sizeof(field), "steps[%zu]", i);
			return err_set(e, ERR_VALIDATION, field,
				       "Thời hạn của bước không hợp lệ (âm hoặc quá 10 năm)",
				       "Invalid step duration (negative or over 10 years)");
		}
		total += minutes[i];
		if (total == 0)
			dues[i] = start;
		else if (at_wsec(c, w + total * 60, &dues[i]) < 0)
			return range_err(e, "due");
	}
	return 0;
}

enum clock_class
clock_classify(int64_t finished_at, int64_t due)
{
	int64_t f = civil_day_of_epoch(finished_at), d = civil_day_of_epoch(due);
	return f < d ? CLOCK_EARLY : f == d ? CLOCK_ON_TIME : CLOCK_LATE;
}
