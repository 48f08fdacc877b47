/*
 * calsvc.h: the legal clock as a public service (api.md, "The legal clock as a service"):
 * the due date of a legal time counted from an acceptance, with the reasons, and a unit's
 * own working hours. Built on clocksvc (the shared clocks) and domain/clock.h. Reading is
 * open to anyone; changing a unit's hours needs an administrator over the unit.
 */
#ifndef MOTCUA_CALSVC_H
#define MOTCUA_CALSVC_H

#include <stddef.h>
#include <stdint.h>

#include "domain/clock.h"
#include "service/service.h"

#define CALSVC_HOURS_MAX 128 /* bytes of a formatted working-hours spec */
#define CALSVC_YEARS_MAX 16  /* years a due-date period can cross (10 years and a margin) */

struct due_request {
	int64_t accepted_at;
	struct duration dur;
	int cutoff;	      /* minute of the day (900 = 15:00), -1 for none */
	const char *unit_ref; /* a unit id, identifier or "root"; NULL: the default hours */
};

/* A day off other than a weekly rest day (a holiday, Tết, a day swapped away). */
struct due_day {
	int64_t day;
	const char *reason; /* Vietnamese; valid for the life of the process */
	int proposed;	    /* from a year not confirmed by a notice */
};

struct due_result {
	int64_t start; /* the effective start of the clock */
	enum clock_start_why why;
	int64_t due;
	int64_t working_minutes; /* working time from start to due */
	struct clock_explain explain;
	struct due_day *skipped; /* in c->arena */
	size_t nskipped;
	int unconfirmed[CALSVC_YEARS_MAX]; /* years of start..due whose calendar is not confirmed */
	int nunconfirmed;
	int proposed_used;	      /* a day or a year of the period comes from a proposal */
	int64_t unit_id;	      /* the unit resolved from unit_ref, 0 for none */
	char hours[CALSVC_HOURS_MAX]; /* the working hours counted */
	int own_hours;		      /* the unit's own hours, not the default */
};

/*
 * calsvc_due: the due date of q. Validates the duration (field "duration"), the cut-off
 * ("cutoff"), the unit ("unit", ERR_NOT_FOUND) and that the period lies within the calendar
 * (fields "accepted_at", "due"). Anyone may ask. 0 or -1 with e.
 */
int calsvc_due(const struct ctx *c, const struct due_request *q, struct due_result *out,
	       struct err *e);

/* calsvc_unit_hours: the working hours in force at a unit (its own, or the default; own set
 * accordingly) into out. unit_id 0 gives the default. ERR_NOT_FOUND for an unknown unit. */
int calsvc_unit_hours(const struct ctx *c, int64_t unit_id, char out[CALSVC_HOURS_MAX], int *own,
		      struct err *e);

/* calsvc_set_unit_hours: a unit's own working hours ("mon-fri 07:00-11:30 13:30-17:00"), or
 * NULL to return to the default; ERR_NOT_FOUND for an unknown unit, else clocksvc_set_hours
 * (admin over the unit; validated, audited; every clock rebuilt). */
int calsvc_set_unit_hours(const struct ctx *c, int64_t unit_id, const char *spec, struct err *e);

#endif
