/*
 * civil.h: time as motcua keeps it. Instants are int64 UTC epoch seconds; civil dates and
 * clock times are Vietnam's (UTC+7, no daylight saving since 1975, so the offset is a
 * constant and no time zone database is needed). Day numbers count days since 1970-01-01 in
 * the proleptic Gregorian calendar. No function here reads the environment's time zone.
 */
#ifndef MOTCUA_CIVIL_H
#define MOTCUA_CIVIL_H

#include <stdint.h>

#define CIVIL_OFFSET (7 * 3600)

struct civil {
	int year, month, day; /* month 1..12, day 1..31 */
	int hour, minute, second;
	int wday; /* 0 = Sunday .. 6 = Saturday */
};

/* civil_days_from_date: day number of a date (no range check). */
int64_t civil_days_from_date(int year, int month, int day);
/* civil_date_from_days: the date of a day number; wday optional. */
void civil_date_from_days(int64_t days, int *year, int *month, int *day);
/* civil_wday: 0 = Sunday for a day number. */
int civil_wday(int64_t days);
/* civil_valid_date: 1 when the date exists (1..9999). */
int civil_valid_date(int year, int month, int day);

/* civil_from_epoch: the Vietnamese civil time of an instant. */
void civil_from_epoch(int64_t t, struct civil *c);
/* civil_to_epoch: the instant of a Vietnamese civil time (fields need not be normalised). */
int64_t civil_to_epoch(const struct civil *c);
/* civil_day_of_epoch: the Vietnamese day number containing instant t. */
int64_t civil_day_of_epoch(int64_t t);

/* civil_format_rfc3339: "2026-02-26T09:00:00+07:00" into out (26 bytes at least). */
void civil_format_rfc3339(int64_t t, char out[32]);
/* civil_format_date: "YYYY-MM-DD" of a day number into out (11 bytes at least). */
void civil_format_date(int64_t days, char out[16]);
/* civil_parse_rfc3339: any offset or Z, seconds optional ("2026-02-13T09:00+07:00" too);
 * a bare date-time without offset is read as Vietnamese time. 0 or -1. */
int civil_parse_rfc3339(const char *s, int64_t *out);
/* civil_parse_date: strict "YYYY-MM-DD"; writes the day number. 0 or -1. */
int civil_parse_date(const char *s, int64_t *days);

/* civil_now: the current instant; civil_now_ns: a monotonic clock in nanoseconds. */
int64_t civil_now(void);
int64_t civil_now_ns(void);

#endif
