/*
 * clocksvc.h: the legal clock as the services use it. Builds struct clock (domain/clock.h)
 * from the calendar years in the store (calendar_year), else the confirmed years shipped in
 * data/calendar/YEAR.txt, else the Labour Code proposal, and from each unit's working hours
 * (unit_hours, else the default). Clocks are shared read-only by every thread and kept until
 * clocksvc_shutdown; a change to the calendar bumps setting 'calendar_version', which every
 * node checks at most once a second before handing out a clock.
 */
#ifndef MOTCUA_CLOCKSVC_H
#define MOTCUA_CLOCKSVC_H

#include <stdint.h>

#include "domain/calendar.h"
#include "domain/clock.h"
#include "service/service.h"

#define CLOCKSVC_FIRST_YEAR 2010
#define CLOCKSVC_LAST_YEAR  2060

enum cal_source { CAL_SOURCE_STORE, CAL_SOURCE_DATA, CAL_SOURCE_PROPOSED, CAL_SOURCE__MAX };

/* clocksvc_get: the clock for a unit (0: the default working hours). NULL with e on error. */
const struct clock *clocksvc_get(const struct ctx *c, int64_t unit_id, struct err *e);
/* clocksvc_year: the calendar of a year as in force, and where it came from. */
int clocksvc_year(const struct ctx *c, int year, struct cal_year *out, enum cal_source *source,
		  struct err *e);
/* clocksvc_put_year: an administrator edits and confirms (or keeps proposed) a year; validated,
 * stored, audited; every clock is rebuilt. Admin at the root unit. */
int clocksvc_put_year(const struct ctx *c, const struct cal_year *y, struct err *e);
/* clocksvc_set_hours: a unit's own working hours ("mon-fri 07:00-11:30 13:30-17:00"), or NULL
 * to return to the default. Admin over the unit. */
int clocksvc_set_hours(const struct ctx *c, int64_t unit_id, const char *spec, struct err *e);
/* clocksvc_source_name: "store", "data", "proposed". */
const char *clocksvc_source_name(enum cal_source s);
/* clocksvc_shutdown: free every clock built. */
void clocksvc_shutdown(void);

#endif
