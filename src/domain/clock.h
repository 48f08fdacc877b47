/*
 * clock.h: the legal clock of domain.md §4, the arithmetic of due dates in working time.
 *
 * A `struct clock` is built once from a range of years' calendars (struct cal_year; a year
 * with no data is filled with calendar_propose's proposal and marked proposed) and one unit's
 * working hours, and is then read-only: share it between threads freely, free it with
 * clock_free. It precomputes, for each day of the range, whether it is worked, why not, and
 * how many working days come before it, so adding working time is a division and two table
 * reads, never a walk over days.
 *
 * Instants are int64 UTC epoch seconds (core/civil.h); days are day numbers. Working time is
 * counted in seconds inside and in minutes outside. The working moments of a day are its
 * intervals [start, end): an acceptance at 11:30 or 17:00 is outside working time. A due
 * date is the first moment at which the working time is used up, so it is inside (start, end]:
 * a due date that uses up a day is 17:00 of that day, never 07:00 of the next.
 *
 * Explanations (struct clock_explain) are filled only when a caller passes one; their items
 * live in the caller's arena. Reason strings of days point into the clock (valid until
 * clock_free); an extension's reason is copied into the arena.
 */
#ifndef MOTCUA_CLOCK_H
#define MOTCUA_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/calendar.h"

/* 8 working hours = 1 working day (domain.md §4), whatever a unit's hours add up to. */
#define CLOCK_DAY_MINUTES 480
/* Longest legal time accepted: 10 years (10 x 261 weekdays, 10 x 365.25 days). */
#define CLOCK_MAX_WORKING_DAYS	2610
#define CLOCK_MAX_CALENDAR_DAYS 3653
#define CLOCK_MAX_MINUTES	((int64_t)CLOCK_MAX_WORKING_DAYS * CLOCK_DAY_MINUTES)
#define CLOCK_REASON_MAX	500 /* bytes of an extension's reason */

enum dur_unit {
	DUR_WORKING_MINUTES, /* half a working day is 240 */
	DUR_WORKING_HOURS,   /* working hours (60 working minutes), not clock hours */
	DUR_WORKING_DAYS,    /* 480 working minutes each */
	DUR_CALENDAR_DAYS,   /* days of the calendar; see clock_add */
	DUR__MAX
};

struct duration {
	enum dur_unit unit;
	int64_t amount;
};

/* clock_duration_validate: a known unit and an amount from 1 to 10 years' worth. 0 or -1 with
 * e (field "duration"). */
int clock_duration_validate(const struct duration *d, struct err *e);

/* clock_duration_minutes: the working minutes of a working-time duration, -1 for calendar
 * days or an invalid duration. */
int64_t clock_duration_minutes(const struct duration *d);

/* clock_dur_unit_name: "working_minutes", "working_hours", "working_days", "calendar_days". */
const char *clock_dur_unit_name(enum dur_unit u);

/* Why an acceptance time was moved to the effective start of the clock. */
enum clock_start_why {
	CLOCK_START_AS_IS,	    /* inside working time */
	CLOCK_START_BEFORE_OPENING, /* before the first interval: from its start */
	CLOCK_START_LUNCH,	    /* between two intervals: from the next one (13:30) */
	CLOCK_START_AFTER_CLOSING,  /* after the last interval: the next working day */
	CLOCK_START_DAY_OFF,	    /* on a day not worked: the next working day */
	CLOCK_START_AFTER_CUTOFF,   /* at or after the procedure's cut-off: the next working day */
	CLOCK_START__MAX
};

/* What made a due date what it is. */
enum clock_explain_kind {
	CLOCK_EX_START, /* from: accepted at; to: effective start; why */
	CLOCK_EX_SKIP, /* day: a day not worked; reason: "Thứ Bảy", "Tết Nguyên đán", ... */
	CLOCK_EX_MAKEUP,    /* day: a weekly rest day worked (làm bù) that counted; reason */
	CLOCK_EX_MOVED,	    /* a calendar-day due date on a day off: from the old due to `due` */
	CLOCK_EX_DUE,	    /* from: start; unit, amount: the duration; due */
	CLOCK_EX_PAUSE,	    /* from..to: the pause; amount: working minutes paused; due */
	CLOCK_EX_EXTENSION, /* from: old due; due; unit, amount (0 if set as a date); reason */
	CLOCK_EX__MAX
};

struct clock_explain_item {
	enum clock_explain_kind kind;
	enum clock_start_why why; /* START */
	int proposed;		  /* SKIP, MAKEUP: from a year not confirmed by a notice */
	int64_t day;		  /* SKIP, MAKEUP, MOVED: day number */
	int64_t from, to;	  /* instants, by kind */
	enum dur_unit unit;
	int64_t amount;
	int64_t due;	    /* the due date after this item (DUE, MOVED, PAUSE, EXTENSION) */
	const char *reason; /* Vietnamese, NFC; never NULL */
};

struct clock_explain {
	struct arena *arena;
	struct clock_explain_item *items;
	size_t n, cap;
};

/* clock_explain_init: an empty explanation whose items grow in arena a. */
void clock_explain_init(struct clock_explain *x, struct arena *a);

/* clock_explain_kind_name: "start", "skip", "makeup", "moved", "due", "pause", "extension". */
const char *clock_explain_kind_name(enum clock_explain_kind k);
/* clock_start_why_name: "as_is", "before_opening", "lunch", "after_closing", "day_off",
 * "after_cutoff"; clock_start_why_vi: the same said in Vietnamese. */
const char *clock_start_why_name(enum clock_start_why w);
const char *clock_start_why_vi(enum clock_start_why w);

struct clock;

/*
 * clock_new: a clock for the days of first_year..last_year (at most 300 years, within
 * CAL_YEAR_MIN..CAL_YEAR_MAX) from nyears calendars (each validated; two for the same year is
 * an error; years outside the range are ignored; missing years are proposed) and a unit's
 * working hours (NULL: cal_hours_default). NULL with e set on invalid input.
 */
struct clock *clock_new(const struct cal_year *years, size_t nyears, const struct cal_hours *hours,
			int first_year, int last_year, struct err *e);
/* clock_free: release the clock (NULL is fine). */
void clock_free(struct clock *c);

/* clock_range: the first and last instants the clock can answer for. */
void clock_range(const struct clock *c, int64_t *first, int64_t *last);

/* clock_is_working_day: 1 when the day is worked, 0 when not, -1 outside the range. */
int clock_is_working_day(const struct clock *c, int64_t day);
/* clock_day_reason: why a day is not worked ("Chủ nhật", "Quốc khánh"), or the reason of a
 * make-up working day; NULL for an ordinary working day or outside the range. */
const char *clock_day_reason(const struct clock *c, int64_t day);

/*
 * clock_start_of: the moment the clock starts for a dossier accepted at `accepted_at`: inside
 * working time, the acceptance itself; before opening, the first interval; at lunch, the next
 * interval (13:30); after closing or on a day off, the start of the next working day; at or
 * after the procedure's cut-off (minute of the day, e.g. 900 for 15:00; -1 for none) on a
 * working day, the start of the next working day. Adds a START item to x when it moved.
 * 0, or -1 with e (field "accepted_at" out of range, "cutoff" not in -1..1439).
 */
int clock_start_of(const struct clock *c, int64_t accepted_at, int cutoff_minute, int64_t *start,
		   struct clock_explain *x, struct err *e);

/*
 * clock_add: the due date of a legal time counted from `start`. Working-time units add working
 * minutes (a start outside working time counts from the next working moment). Calendar days:
 * the period ends at the close of the last interval of the day N days after the effective
 * start's day; when that day is not worked it ends at the close of the next working day
 * (Civil Code 2015, art. 148), and x gets a START item if the start moved, the days skipped
 * and a MOVED item. For working time x gets the days off and the make-up days the working
 * time went across. Both end with a DUE item.
 * 0, or -1 with e (invalid duration, or a due date outside the clock's range).
 */
int clock_add(const struct clock *c, int64_t start, const struct duration *d, int64_t *due,
	      struct clock_explain *x, struct err *e);

/* clock_working_between: working minutes (rounded down) from a to b, negative when b < a.
 * 0, or -1 with e when either is outside the range. */
int clock_working_between(const struct clock *c, int64_t a, int64_t b, int64_t *minutes,
			  struct err *e);

/*
 * clock_shift_for_pause: the due date after a pause (supplement request, hồ sơ bổ sung) from
 * pause_start to pause_end: the old due plus the working time that elapsed during the pause
 * (to the second). x gets the days crossed and a PAUSE item. 0, or -1 with e (the pause ends
 * before it starts, or out of range).
 */
int clock_shift_for_pause(const struct clock *c, int64_t due, int64_t pause_start,
			  int64_t pause_end, int64_t *new_due, struct clock_explain *x,
			  struct err *e);

/*
 * clock_extend_to: an extension (gia hạn, with the apology letter) to an explicit new due
 * date, which must be later than the old one and on a working day. clock_extend_by: an
 * extension by a duration added to the old due date. The reason is required (1 to
 * CLOCK_REASON_MAX bytes). Both add an EXTENSION item to x. 0 or -1 with e.
 */
int clock_extend_to(const struct clock *c, int64_t due, int64_t new_due, const char *reason,
		    struct clock_explain *x, struct err *e);
int clock_extend_by(const struct clock *c, int64_t due, const struct duration *d,
		    const char *reason, int64_t *new_due, struct clock_explain *x, struct err *e);

/*
 * clock_steps: per-step due dates of a workflow: dues[i] = start + the working minutes of
 * steps 0..i (each >= 0, the total at most CLOCK_MAX_MINUTES). 0 or -1 with e (field
 * "steps[i]").
 */
int clock_steps(const struct clock *c, int64_t start, const int64_t *minutes, size_t n,
		int64_t *dues, struct err *e);

/* Classification of a finished dossier by date (day precision, UTC+7), domain.md §4. */
enum clock_class {
	CLOCK_EARLY,   /* finished on a day before the due day (trước hạn) */
	CLOCK_ON_TIME, /* finished on the due day (đúng hạn) */
	CLOCK_LATE,    /* finished on a day after the due day (quá hạn) */
	CLOCK_CLASS__MAX
};

/* clock_classify: compare the Vietnamese calendar days of finished_at and due. */
enum clock_class clock_classify(int64_t finished_at, int64_t due);
/* clock_class_name: "early", "on_time", "late"; clock_class_vi: "Trước hạn", "Đúng hạn",
 * "Quá hạn". */
const char *clock_class_name(enum clock_class k);
const char *clock_class_vi(enum clock_class k);

#endif
