/* calsvc.c: due dates for anyone who asks, and a unit's own working hours. */
#include "service/calsvc.h"
#include "core/civil.h"
#include "service/clocksvc.h"
#include "service/unit.h"

#include <stdio.h>
#include <string.h>

static int
unit_exists(const struct ctx *c, int64_t unit_id, struct err *e)
{
	char path[UNIT_PATH_MAX];
	if (unit_id <= 0 || unit_path(c, unit_id, path, sizeof(path)) < 0)
		return err_set(e, ERR_NOT_FOUND, "unit", "Không tìm thấy đơn vị", "no such unit");
	return 0;
}

int
calsvc_unit_hours(const struct ctx *c, int64_t unit_id, char out[CALSVC_HOURS_MAX], int *own,
		  struct err *e)
{
	struct cal_hours h;
	cal_hours_default(&h);
	*own = 0;
	if (unit_id) {
		if (unit_exists(c, unit_id, e) < 0)
			return -1;
		struct db_stmt *st =
		    db_prepare(c->db, "SELECT spec FROM unit_hours WHERE unit_id = ?");
		if (!st)
			return db_fail(c->db, e);
		db_bind_int(st, 1, unit_id);
		int rc = db_step(st);
		if (rc == DB_ROW) {
			struct err ignore = ERR_INIT;
			struct cal_hours uh;
			/* a spec the clocks cannot read is ignored by them too */
			if (cal_hours_parse(db_col_text(st, 0), &uh, &ignore) == 0) {
				h = uh;
				*own = 1;
			}
		}
		db_reset(st);
		if (rc != DB_ROW && rc != DB_DONE)
			return db_fail(c->db, e);
	}
	struct buf b = BUF_INIT(CALSVC_HOURS_MAX - 1);
	cal_hours_format(&h, &b);
	snprintf(out, CALSVC_HOURS_MAX, "%s", b.data ? b.data : "");
	buf_release(&b);
	return 0;
}

int
calsvc_set_unit_hours(const struct ctx *c, int64_t unit_id, const char *spec, struct err *e)
{
	if (unit_exists(c, unit_id, e) < 0)
		return -1;
	return clocksvc_set_hours(c, unit_id, spec, e);
}

static int
year_of_day(int64_t day)
{
	int y, m, d;
	civil_date_from_days(day, &y, &m, &d);
	return y;
}

/* The calendar of every year from y0 to y1 (at most CALSVC_YEARS_MAX), to tell holidays from
 * weekly rest days and confirmed years from proposals. */
struct years {
	int y0, n;
	struct cal_year *cal; /* n of them, in the arena */
};

static int
load_years(const struct ctx *c, int y0, int y1, struct years *ys, struct err *e)
{
	ys->y0 = y0;
	ys->n = y1 - y0 + 1;
	if (ys->n < 1 || ys->n > CALSVC_YEARS_MAX)
		return err_set(e, ERR_VALIDATION, "duration", "Thời hạn quá dài",
			       "the period is too long");
	ys->cal = arena_alloc(c->arena, sizeof(*ys->cal) * (size_t)ys->n);
	for (int i = 0; i < ys->n; i++) {
		enum cal_source src;
		if (clocksvc_year(c, y0 + i, &ys->cal[i], &src, e) < 0)
			return -1;
	}
	return 0;
}

static const struct cal_entry *
holiday(const struct years *ys, int64_t day)
{
	int y = year_of_day(day);
	if (y < ys->y0 || y >= ys->y0 + ys->n)
		return NULL;
	const struct cal_entry *en = cal_year_find(&ys->cal[y - ys->y0], day);
	return en && en->kind == CAL_OFF ? en : NULL;
}

int
calsvc_due(const struct ctx *c, const struct due_request *q, struct due_result *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	if (clock_duration_validate(&q->dur, e) < 0)
		return -1;
	if (q->cutoff < -1 || q->cutoff >= 1440)
		return err_set(e, ERR_VALIDATION, "cutoff",
			       "Giờ chốt tiếp nhận phải từ 00:00 đến 23:59",
			       "the cut-off must be between 00:00 and 23:59");
	if (q->unit_ref && unit_resolve(c, q->unit_ref, &out->unit_id, e) < 0)
		return -1;
	if (calsvc_unit_hours(c, out->unit_id, out->hours, &out->own_hours, e) < 0)
		return -1;
	const struct clock *clk = clocksvc_get(c, out->unit_id, e);
	if (!clk)
		return -1;
	clock_explain_init(&out->explain, c->arena);
	if (clock_start_of(clk, q->accepted_at, q->cutoff, &out->start, &out->explain, e) < 0)
		return -1;
	out->why = CLOCK_START_AS_IS;
	for (size_t i = 0; i < out->explain.n; i++)
		if (out->explain.items[i].kind == CLOCK_EX_START)
			out->why = out->explain.items[i].why;
	if (clock_add(clk, out->start, &q->dur, &out->due, &out->explain, e) < 0)
		return -1;
	if (clock_working_between(clk, out->start, out->due, &out->working_minutes, e) < 0)
		return -1;

	struct years ys = {0, 0, NULL};
	int y0 = year_of_day(civil_day_of_epoch(q->accepted_at));
	int y1 = year_of_day(civil_day_of_epoch(out->due));
	if (load_years(c, y0, y1, &ys, e) < 0)
		return -1;
	for (int i = 0; i < ys.n; i++)
		if (ys.cal[i].status != CAL_CONFIRMED)
			out->unconfirmed[out->nunconfirmed++] = ys.y0 + i;
	out->proposed_used = out->nunconfirmed > 0;

	/* The days off the start jumped over (accepted after closing, on a day off or after the
	 * cut-off) are skipped too: put them after the START item. */
	int64_t j0 = civil_day_of_epoch(q->accepted_at), j1 = civil_day_of_epoch(out->start);
	if (out->why != CLOCK_START_DAY_OFF)
		j0++;
	if (j1 > j0) {
		size_t n = out->explain.n, k = 0;
		struct clock_explain_item *items =
		    arena_zalloc(c->arena, (n + (size_t)(j1 - j0)) * sizeof(*items));
		for (size_t i = 0; i < n && out->explain.items[i].kind == CLOCK_EX_START; i++)
			items[k++] = out->explain.items[i];
		size_t rest = k;
		for (int64_t d = j0; d < j1; d++) {
			const char *why = clock_day_reason(clk, d);
			int y = year_of_day(d);
			if (clock_is_working_day(clk, d) != 0 || !why)
				continue;
			items[k].kind = CLOCK_EX_SKIP;
			items[k].day = d;
			items[k].reason = why;
			items[k].proposed = y >= ys.y0 && y < ys.y0 + ys.n &&
					    ys.cal[y - ys.y0].status != CAL_CONFIRMED;
			k++;
		}
		for (size_t i = rest; i < n; i++)
			items[k++] = out->explain.items[i];
		out->explain.items = items;
		out->explain.n = out->explain.cap = k;
	}
	out->skipped = arena_zalloc(c->arena, (out->explain.n + 1) * sizeof(*out->skipped));
	for (size_t i = 0; i < out->explain.n; i++) {
		const struct clock_explain_item *it = &out->explain.items[i];
		if (it->proposed)
			out->proposed_used = 1;
		if (it->kind != CLOCK_EX_SKIP || !holiday(&ys, it->day))
			continue;
		struct due_day *d = &out->skipped[out->nskipped++];
		d->day = it->day;
		d->reason = it->reason;
		d->proposed = it->proposed;
	}
	return 0;
}
