/*
 * lunar.h: the Vietnamese lunar calendar (âm lịch), computed from the astronomy for the
 * meridian of UTC+7. A lunar month begins on the civil day (UTC+7) that contains a new moon;
 * month 11 is the month that contains the December solstice; a lunar "sui" (from one month 11
 * to the next) with 13 months has a leap month, the first month after month 11 in which the
 * sun crosses no multiple of 30 degrees of longitude (no principal solar term). Because the
 * day boundary is UTC+7 midnight, the result differs from the Chinese (UTC+8) calendar in some
 * years (1985: Tết on 21 January in Vietnam, 20 February in China).
 *
 * The module owns no memory and keeps no state: every call recomputes from new moons (Meeus'
 * series) and the sun's apparent longitude, so it is thread-safe. Dates are day numbers since
 * 1970-01-01 (src/core/civil.h). Supported: solar days from the lunar new year of 1900
 * (1900-01-31) to 2199-12-31, lunar years 1900..2199.
 */
#ifndef MOTCUA_LUNAR_H
#define MOTCUA_LUNAR_H

#include <stdint.h>

#define LUNAR_YEAR_MIN 1900
#define LUNAR_YEAR_MAX 2199

struct lunar_date {
	int year;  /* the lunar year, named by the solar year in which it mostly lies */
	int month; /* 1..12 */
	int day;   /* 1..30 */
	int leap;  /* 1 for the leap (nhuận) month that repeats `month`, else 0 */
};

/* lunar_from_solar: the lunar date of a solar day number. 0, or -1 outside the range. */
int lunar_from_solar(int64_t day, struct lunar_date *out);

/* lunar_to_solar: the solar day number of a lunar date. -1 when the date does not exist (a
 * leap month the year does not have, day 30 of a 29-day month, out of range). */
int lunar_to_solar(const struct lunar_date *ld, int64_t *day);

/* lunar_leap_month: the month number (1..12) that lunar year `year` repeats, 0 when the year
 * has no leap month, -1 outside the range. */
int lunar_leap_month(int year);

/* lunar_month_days: 29 or 30 for a month of a lunar year, -1 when it does not exist. */
int lunar_month_days(int year, int month, int leap);

/* lunar_new_year: the solar day number of Tết (1/1) of lunar year `year`. 0 or -1. */
int lunar_new_year(int year, int64_t *day);

#endif
