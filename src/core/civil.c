#include "core/civil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Howard Hinnant's days_from_civil / civil_from_days, valid for the whole int range we use. */
int64_t
civil_days_from_date(int year, int month, int day)
{
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (month + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
civil_date_from_days(int64_t z, int *year, int *month, int *day)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	*year = (int)(y + (m <= 2));
	*month = (int)m;
	*day = (int)d;
}

int
civil_wday(int64_t days)
{
	int64_t w = (days + 4) % 7; /* 1970-01-01 was a Thursday */
	return (int)(w < 0 ? w + 7 : w);
}

int
civil_valid_date(int year, int month, int day)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1)
		return 0;
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	int max = mdays[month - 1] + (month == 2 && leap);
	return day <= max;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t
civil_day_of_epoch(int64_t t)
{
	return floor_div(t + CIVIL_OFFSET, 86400);
}

void
civil_from_epoch(int64_t t, struct civil *c)
{
	int64_t local = t + CIVIL_OFFSET;
	int64_t days = floor_div(local, 86400);
	int64_t secs = local - days * 86400;
	civil_date_from_days(days, &c->year, &c->month, &c->day);
	c->hour = (int)(secs / 3600);
	c->minute = (int)(secs / 60 % 60);
	c->second = (int)(secs % 60);
	c->wday = civil_wday(days);
}

int64_t
civil_to_epoch(const struct civil *c)
{
	int64_t days = civil_days_from_date(c->year, c->month, c->day);
	return days * 86400 + (int64_t)c->hour * 3600 + (int64_t)c->minute * 60 + c->second -
	       CIVIL_OFFSET;
}

void
civil_format_rfc3339(int64_t t, char out[32])
{
	struct civil c;
	civil_from_epoch(t, &c);
	if (c.year < 0 || c.year > 9999) {
		snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", c.year, c.month, c.day,
			 c.hour, c.minute, c.second);
		return;
	}
	/* by hand: every timestamp of every JSON reply comes through here */
	static const char tmpl[] = "0000-00-00T00:00:00+07:00";
	memcpy(out, tmpl, sizeof(tmpl));
	int v[] = {c.month, c.day, c.hour, c.minute, c.second};
	static const int at[] = {5, 8, 11, 14, 17};
	out[0] = (char)('0' + c.year / 1000);
	out[1] = (char)('0' + c.year / 100 % 10);
	out[2] = (char)('0' + c.year / 10 % 10);
	out[3] = (char)('0' + c.year % 10);
	for (int i = 0; i < 5; i++) {
		out[at[i]] = (char)('0' + v[i] / 10);
		out[at[i] + 1] = (char)('0' + v[i] % 10);
	}
}

void
civil_format_date(int64_t days, char out[16])
{
	int y, m, d;
	civil_date_from_days(days, &y, &m, &d);
	snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
civil_parse_date(const char *s, int64_t *days)
{
	int y, m, d;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return -1;
	if (!civil_valid_date(y, m, d))
		return -1;
	*days = civil_days_from_date(y, m, d);
	return 0;
}

int
civil_parse_rfc3339(const char *s, int64_t *out)
{
	int64_t days;
	int hh, mm, ss = 0;
	char date[11];
	if (!s || strlen(s) < 16)
		return -1;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (civil_parse_date(date, &days) < 0)
		return -1;
	if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
		return -1;
	const char *p = s + 11;
	if (digits(p, 2, &hh) || p[2] != ':' || digits(p + 3, 2, &mm))
		return -1;
	p += 5;
	if (*p == ':') {
		if (digits(p + 1, 2, &ss))
			return -1;
		p += 3;
		if (*p == '.') { /* fractional seconds are accepted and dropped */
			p++;
			if (*p < '0' || *p > '9')
				return -1;
			while (*p >= '0' && *p <= '9')
				p++;
		}
	}
	if (hh > 23 || mm > 59 || ss > 60)
		return -1;
	int64_t offset;
	if (*p == '\0') {
		offset = CIVIL_OFFSET;
	} else if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		offset = 0;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
		int oh, om;
		if (digits(p + 1, 2, &oh) || digits(p + 4, 2, &om) || oh > 14 || om > 59)
			return -1;
		offset = (int64_t)oh * 3600 + om * 60;
		if (*p == '-')
			offset = -offset;
	} else {
		return -1;
	}
	*out = days * 86400 + (int64_t)hh * 3600 + mm * 60 + (ss > 59 ? 59 : ss) - offset;
	return 0;
}

int64_t
civil_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

int64_t
civil_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
