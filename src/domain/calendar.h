/*
 * calendar.h: the working-day calendar as data. A `struct cal_year` is one year's national
 * calendar as the government's notices fix it: days off (holidays, Tết, days made up for a
 * holiday on a weekly rest day, weekdays swapped away) and make-up working days (Saturdays
 * worked), each with a Vietnamese reason, the notices that set them, and whether an
 * administrator has confirmed the year or it is only a proposal computed from the Labour Code.
 * A `struct cal_hours` is one unit's working hours: a set of daily intervals and the weekdays
 * worked.
 *
 * Both are plain values the caller owns (no pointers inside, no allocation): copy them freely.
 * The text format of a year (cal_year_parse / cal_year_format) is what an official edits;
 * one directive per line, `#` starts a comment line:
 *
 *     # Lịch nghỉ lễ, Tết năm 2026
 *     year 2026
 *     status confirmed              (or proposed; default proposed)
 *     notice 1234/TB-BNV ngày ...   (0..CAL_NOTICES_MAX times, free text)
 *     off 2026-01-01 Tết Dương lịch (a day off, with its reason)
 *     work 2026-01-10 Làm bù ...    (a Saturday or Sunday worked, with its reason)
 *
 * Pure: no I/O. Text must be UTF-8 (checked) and should be NFC (the caller's duty).
 */
#ifndef MOTCUA_CALENDAR_H
#define MOTCUA_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

#define CAL_YEAR_MIN	1900
#define CAL_YEAR_MAX	2199
#define CAL_ENTRIES_MAX 366 /* one per day: enough to take every day off */
#define CAL_REASON_MAX	200 /* bytes, without the NUL */
#define CAL_NOTICES_MAX 4
#define CAL_NOTICE_MAX	255
#define CAL_TEXT_MAX	65536 /* the largest text cal_year_parse reads */
#define CAL_LINE_MAX	1024

enum cal_status {
	CAL_PROPOSED,  /* computed or entered, not yet confirmed by an administrator */
	CAL_CONFIRMED, /* checked against the government's notices */
	CAL_STATUS__MAX
};

enum cal_kind {
	CAL_OFF,  /* a day not worked */
	CAL_WORK, /* a weekly rest day worked (làm bù) */
	CAL_KIND__MAX
};

struct cal_entry {
	int64_t day; /* day number (core/civil.h) */
	enum cal_kind kind;
	int line; /* the text line it came from, 0 when not parsed */
	char reason[CAL_REASON_MAX + 1];
};

struct cal_year {
	int year;
	enum cal_status status;
	int nnotices;
	char notice[CAL_NOTICES_MAX][CAL_NOTICE_MAX + 1];
	int nentries;
	struct cal_entry entries[CAL_ENTRIES_MAX];
};

/* cal_year_init: an empty proposed year with no entries. */
void cal_year_init(struct cal_year *y, int year);

/* cal_year_add: append an entry (reason truncated to CAL_REASON_MAX bytes on a character
 * boundary). 0, or -1 with e set when the year is full. Does not validate: see below. */
int cal_year_add(struct cal_year *y, enum cal_kind kind, int64_t day, const char *reason,
		 struct err *e);

/* cal_year_sort: entries in date order (stable for equal dates). */
void cal_year_sort(struct cal_year *y);

/* cal_year_find: the entry for a day, NULL when the day has none. */
const struct cal_entry *cal_year_find(const struct cal_year *y, int64_t day);

/*
 * calendar_propose: the days off of `year` from the Labour Code 2019, art. 112, for an
 * administrator to confirm or edit (status proposed, no notice). 1 January; five Tết days,
 * proposed as the last day of the old lunar year and the first four of the new one (the
 * government's notice fixes the exact days each year, often a different block joined to
 * weekends, so this is only a proposal); Hùng Kings' day, 10/3 lunar; 30 April; 1 May;
 * 2 September and one adjacent day (see the table in calendar.c); and for each holiday that
 * falls on a Saturday or Sunday, or on another holiday, a "Nghỉ bù" on the next Monday to
 * Friday not already off. 0, or -1 outside CAL_YEAR_MIN..CAL_YEAR_MAX.
 */
int calendar_propose(int year, struct cal_year *out);

/*
 * cal_year_validate: 0 when the year may be used, else -1 and e says why, with e->field naming
 * the entry ("entries[3].date", "entries[3].reason", "notice[0]", "year", "status"): a year
 * out of range; a date outside the year; the same date twice (or a day both off and worked);
 * a worked day that is not a Saturday or Sunday; an empty reason, over CAL_REASON_MAX bytes,
 * not UTF-8 or holding control characters; a confirmed year without a notice; and a year
 * whose edits leave no working day Monday to Friday.
 */
int cal_year_validate(const struct cal_year *y, struct err *e);

/*
 * cal_year_parse: read the text format above (len bytes, need not be NUL-terminated; a UTF-8
 * BOM and CRLF line ends are accepted) into out, then validate it. 0, or -1 with e set:
 * e->field is "line N" and both messages start with the line number ("Dòng N: ...").
 */
int cal_year_parse(const char *text, size_t len, struct cal_year *out, struct err *e);

/* cal_year_format: the text format of y (entries in date order, comments not kept, a header
 * comment added) appended to out; cal_year_parse reads it back to the same year. 0, or -1
 * when the buffer's maximum is reached. */
int cal_year_format(const struct cal_year *y, struct buf *out);

/* cal_status_name, cal_kind_name: "proposed" / "confirmed", "off" / "work" (NULL if out of
 * range): the words of the text format, also fit for JSON. */
const char *cal_status_name(enum cal_status s);
const char *cal_kind_name(enum cal_kind k);

/* Working hours of a unit. */
#define CAL_INTERVALS_MAX 4

struct cal_interval {
	int start, end; /* minutes since midnight, start < end <= 1440 */
};

struct cal_hours {
	int nintervals; /* 1..CAL_INTERVALS_MAX, sorted, not overlapping */
	struct cal_interval iv[CAL_INTERVALS_MAX];
	unsigned weekdays; /* bit 0 = Sunday .. bit 6 = Saturday: the weekdays worked */
};

/* cal_hours_default: 07:00-11:30 and 13:30-17:00, Monday to Friday (480 minutes a day). */
void cal_hours_default(struct cal_hours *h);

/* cal_hours_validate: intervals in range, sorted, disjoint, at least one; at least one weekday
 * worked. 0 or -1 with e (field "hours"). */
int cal_hours_validate(const struct cal_hours *h, struct err *e);

/* cal_hours_parse: "mon-fri 07:00-11:30 13:30-17:00": weekdays first (mon tue wed thu fri
 * sat sun, single, ranges "mon-fri", lists "mon,wed,sat"), then the intervals. Then validates.
 * 0 or -1 with e. */
int cal_hours_parse(const char *s, struct cal_hours *out, struct err *e);

/* cal_hours_format: the same text, appended to out. 0 or -1 on overflow. */
int cal_hours_format(const struct cal_hours *h, struct buf *out);

/* cal_hours_minutes: working minutes of one full working day. */
int cal_hours_minutes(const struct cal_hours *h);

#endif
