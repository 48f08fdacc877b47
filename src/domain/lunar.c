#include "domain/lunar.h"

#include <math.h>
#include <stddef.h>

#include "core/civil.h"

/*
 * Julian dates: JD 2440587.5 is 1970-01-01T00:00Z, so the Julian date of 00:00 UTC+7 on day
 * number n is n + 2440587.5 - 7/24.
 */
#define JD_UNIX	 2440587.5
#define TZ_DAYS	 (7.0 / 24.0)
#define SYNODIC	 29.530588861
#define JDE_K0	 2451550.09766 /* the mean new moon of 2000-01-06, lunation k = 0 */
#define DEG	 (3.14159265358979323846 / 180.0)
#define SOLSTICE 9 /* the 30-degree sector of the sun that begins at the December solstice */

/* One "sui": the lunar months from a month 11 to the next month 11. */
struct sui {
	int year;	   /* the solar year whose December solstice lies in month 11 */
	int nmonths;	   /* 12 or 13 */
	int leap;	   /* the offset (1..12) of the leap month, 0 when none */
	int64_t start[14]; /* start[i]: first day of month i; start[nmonths]: next month 11 */
};

static double
dsin(double deg)
{
	return sin(deg * DEG);
}

/*
 * TT - UT in seconds (Espenak and Meeus' polynomials). A minute of error here moves a new
 * moon by a minute, which changes a day only when the moon is new within a minute of
 * midnight; the range we serve has observations, not guesses, up to today.
 */
static double
delta_t(double y)
{
	double t, u;

	if (y < 1900) {
		t = y - 1860;
		return 7.62 + 0.5737 * t - 0.251754 * t * t + 0.01680668 * t * t * t -
		       0.0004473624 * t * t * t * t + t * t * t * t * t / 233174;
	}
	if (y < 1920) {
		t = y - 1900;
		return -2.79 + 1.494119 * t - 0.0598939 * t * t + 0.0061966 * t * t * t -
		       0.000197 * t * t * t * t;
	}
	if (y < 1941) {
		t = y - 1920;
		return 21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * t * t * t;
	}
	if (y < 1961) {
		t = y - 1950;
		return 29.07 + 0.407 * t - t * t / 233 + t * t * t / 2547;
	}
	if (y < 1986) {
		t = y - 1975;
		return 45.45 + 1.067 * t - t * t / 260 - t * t * t / 718;
	}
	if (y < 2005) {
		t = y - 2000;
		return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * t * t * t +
		       0.000651814 * t * t * t * t + 0.00002373599 * t * t * t * t * t;
	}
	if (y < 2050) {
		t = y - 2000;
		return 62.92 + 0.32217 * t + 0.005589 * t * t;
	}
	u = (y - 1820) / 100;
	if (y < 2150)
		return -20 + 32 * u * u - 0.5628 * (2150 - y);
	return -20 + 32 * u * u;
}

/* The true new moon of lunation k, as a Julian Ephemeris Day (Meeus, ch. 49). */
static double
new_moon_jde(long k)
{
	static const double planet[14][3] = {
	    {299.77, 0.107408, 0.000325},  {251.88, 0.016321, 0.000165},
	    {251.83, 26.651886, 0.000164}, {349.42, 36.412478, 0.000126},
	    {84.66, 18.206239, 0.000110},  {141.74, 53.303771, 0.000062},
	    {207.14, 2.453732, 0.000060},  {154.84, 7.306860, 0.000056},
	    {34.52, 27.261239, 0.000047},  {207.19, 0.121824, 0.000042},
	    {291.34, 1.844379, 0.000040},  {161.72, 24.198154, 0.000037},
	    {239.56, 25.513099, 0.000035}, {331.55, 3.592518, 0.000023},
	};
	double T = k / 1236.85, T2 = T * T, T3 = T2 * T, T4 = T3 * T;
	double jde = JDE_K0 + SYNODIC * k + 0.00015437 * T2 - 0.000000150 * T3 + 0.00000000073 * T4;
	double E = 1 - 0.002516 * T - 0.0000074 * T2;
	double M = 2.5534 + 29.10535670 * k - 0.0000014 * T2 - 0.00000011 * T3;
	double Mp =
	    201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 - 0.000000058 * T4;
	double F =
	    160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 + 0.000000011 * T4;
	double Om = 124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3;
	double c = 0;

	c += -0.40720 * dsin(Mp);
	c += 0.17241 * E * dsin(M);
	c += 0.01608 * dsin(2 * Mp);
	c += 0.01039 * dsin(2 * F);
	c += 0.00739 * E * dsin(Mp - M);
	c += -0.00514 * E * dsin(Mp + M);
	c += 0.00208 * E * E * dsin(2 * M);
	c += -0.00111 * dsin(Mp - 2 * F);
	c += -0.00057 * dsin(Mp + 2 * F);
	c += 0.00056 * E * dsin(2 * Mp + M);
	c += -0.00042 * dsin(3 * Mp);
	c += 0.00042 * E * dsin(M + 2 * F);
	c += 0.00038 * E * dsin(M - 2 * F);
	c += -0.00024 * E * dsin(2 * Mp - M);
	c += -0.00017 * dsin(Om);
	c += -0.00007 * dsin(Mp + 2 * M);
	c += 0.00004 * dsin(2 * Mp - 2 * F);
	c += 0.00004 * dsin(3 * M);
	c += 0.00003 * dsin(Mp + M - 2 * F);
	c += 0.00003 * dsin(2 * Mp + 2 * F);
	c += -0.00003 * dsin(Mp + M + 2 * F);
	c += 0.00003 * dsin(Mp - M + 2 * F);
	c += -0.00002 * dsin(Mp - M - 2 * F);
	c += -0.00002 * dsin(3 * Mp + M);
	c += 0.00002 * dsin(4 * Mp);
	for (size_t i = 0; i < 14; i++) {
		double a = planet[i][0] + planet[i][1] * k;
		if (i == 0)
			a -= 0.009173 * T2;
		c += planet[i][2] * dsin(a);
	}
	return jde + c;
}

static double
year_of_jd(double jd)
{
	return 2000.0 + (jd - 2451545.0) / 365.25;
}

/* The UTC+7 day number on which lunation k's new moon falls. */
static int64_t
new_moon_day(long k)
{
	double jde = new_moon_jde(k);
	double jd = jde - delta_t(year_of_jd(jde)) / 86400.0;
	return (int64_t)floor(jd - JD_UNIX + TZ_DAYS);
}

/* The sun's apparent longitude in degrees at a Julian Day (UT), Meeus ch. 25. */
static double
sun_longitude(double jd)
{
	double T = (jd + delta_t(year_of_jd(jd)) / 86400.0 - 2451545.0) / 36525.0;
	double L0 = 280.46646 + 36000.76983 * T + 0.0003032 * T * T;
	double M = 357.52911 + 35999.05029 * T - 0.0001537 * T * T;
	double C = (1.914602 - 0.004817 * T - 0.000014 * T * T) * dsin(M) +
		   (0.019993 - 0.000101 * T) * dsin(2 * M) + 0.000289 * dsin(3 * M);
	double om = 125.04 - 1934.136 * T;
	double l = L0 + C - 0.00569 - 0.00478 * dsin(om);
	l = fmod(l, 360.0);
	return l < 0 ? l + 360.0 : l;
}

/* Which 30-degree sector (0..11) the sun is in at 00:00 UTC+7 of a day: a month contains a
 * principal term exactly when the sector changes between its first day and the next month's. */
static int
sun_sector(int64_t day)
{
	return (int)floor(sun_longitude((double)day + JD_UNIX - TZ_DAYS) / 30.0);
}

/* The lunation whose month contains the December solstice of `year` (month 11). */
static long
month11_lunation(int year)
{
	double jd = (double)civil_days_from_date(year, 12, 1) + JD_UNIX;
	long k = (long)floor((jd - JDE_K0) / SYNODIC);

	/* In November and December the sector is 7..10, so no wrap-around to worry about. */
	while (sun_sector(new_moon_day(k)) >= SOLSTICE)
		k--;
	while (sun_sector(new_moon_day(k + 1)) < SOLSTICE)
		k++;
	return k;
}

static void
sui_compute(int year, struct sui *s)
{
	long k = month11_lunation(year);
	long next = month11_lunation(year + 1);

	s->year = year;
	s->nmonths = (int)(next - k);
	s->leap = 0;
	for (int i = 0; i <= s->nmonths; i++)
		s->start[i] = new_moon_day(k + i);
	if (s->nmonths != 13)
		return;
	for (int i = 1; i < 13; i++) {
		if (sun_sector(s->start[i]) == sun_sector(s->start[i + 1])) {
			s->leap = i;
			break;
		}
	}
}

/* Month number of offset i in a sui, and whether it is the leap month. */
static int
sui_month(const struct sui *s, int i, int *leap)
{
	int n = (s->leap && i >= s->leap) ? i - 1 : i;
	*leap = s->leap != 0 && i == s->leap;
	return (10 + n) % 12 + 1;
}

static int64_t
first_day(void)
{
	return civil_days_from_date(1900, 1, 31);
}

static int64_t
last_day(void)
{
	return civil_days_from_date(2199, 12, 31);
}

int
lunar_from_solar(int64_t day, struct lunar_date *out)
{
	struct sui s;
	int y, m, d, i, leap;

	if (day < first_day() || day > last_day())
		return -1;
	civil_date_from_days(day, &y, &m, &d);
	sui_compute(y, &s);
	if (day < s.start[0])
		sui_compute(y - 1, &s);
	for (i = 0; i < s.nmonths - 1; i++)
		if (day < s.start[i + 1])
			break;
	out->month = sui_month(&s, i, &leap);
	out->leap = leap;
	out->day = (int)(day - s.start[i]) + 1;
	/* Months 11 and 12 (and a leap 11 or 12) end the lunar year that began before them. */
	out->year = out->month >= 11 && i < 3 ? s.year : s.year + 1;
	return 0;
}

/* Finds the sui and offset of a lunar month; -1 when the year has no such month. */
static int
locate(int year, int month, int leap, struct sui *s, int *offset)
{
	if (year < LUNAR_YEAR_MIN || year > LUNAR_YEAR_MAX || month < 1 || month > 12 ||
	    (leap != 0 && leap != 1))
		return -1;
	sui_compute(month >= 11 ? year : year - 1, s);
	for (int i = 0; i < s->nmonths; i++) {
		int l, mo = sui_month(s, i, &l);
		if (mo == month && l == leap) {
			*offset = i;
			return 0;
		}
	}
	return -1;
}

int
lunar_to_solar(const struct lunar_date *ld, int64_t *day)
{
	struct sui s;
	int i;

	if (!ld || ld->day < 1 || ld->day > 30)
		return -1;
	if (locate(ld->year, ld->month, ld->leap, &s, &i) < 0)
		return -1;
	if (ld->day > s.start[i + 1] - s.start[i])
		return -1;
	*day = s.start[i] + ld->day - 1;
	return 0;
}

int
lunar_month_days(int year, int month, int leap)
{
	struct sui s;
	int i;

	if (locate(year, month, leap, &s, &i) < 0)
		return -1;
	return (int)(s.start[i + 1] - s.start[i]);
}

int
lunar_leap_month(int year)
{
	struct sui s;
	int l, m;

	if (year < LUNAR_YEAR_MIN || year > LUNAR_YEAR_MAX)
		return -1;
	sui_compute(year - 1, &s); /* months 1..10 of `year` */
	if (s.leap) {
		m = sui_month(&s, s.leap, &l);
		if (m <= 10)
			return m;
	}
	sui_compute(year, &s); /* months 11 and 12 of `year` */
	if (s.leap) {
		m = sui_month(&s, s.leap, &l);
		if (m >= 11)
			return m;
	}
	return 0;
}

int
lunar_new_year(int year, int64_t *day)
{
	struct lunar_date ld = {year, 1, 1, 0};
	return lunar_to_solar(&ld, day);
}
