#include "service/clocksvc.h"
#include "core/embed.h"
#include "core/log.h"
#include "core/mem.h"
#include "service/audit.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_UNIT_CLOCKS 64

struct clockset {
	int64_t version;
	struct clock *dflt;
	int nunits;
	int64_t unit_ids[MAX_UNIT_CLOCKS];
	struct clock *unit_clocks[MAX_UNIT_CLOCKS];
	struct clockset *older; /* retired sets, freed at shutdown: readers may still hold them */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct clockset *_Atomic current;
static _Atomic int64_t checked_at;

static const char *source_names[CAL_SOURCE__MAX] = {"store", "data", "proposed"};

const char *
clocksvc_source_name(enum cal_source s)
{
	return (unsigned)s < CAL_SOURCE__MAX ? source_names[s] : "?";
}

static int64_t
read_version(struct db *db)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT value FROM setting WHERE key = 'calendar_version'");
	if (!st)
		return -1;
	int64_t v = db_step(st) == DB_ROW ? strtoll(db_col_text(st, 0), NULL, 10) : -1;
	db_reset(st);
	return v;
}

/* The year from the store, else from data/calendar/, else not found (1). */
static int
load_year(struct db *db, int year, struct cal_year *out, enum cal_source *src, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT body FROM calendar_year WHERE year = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, year);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		const char *body = db_col_text(st, 0);
		int prc = cal_year_parse(body, strlen(body), out, e);
		db_reset(st);
		if (prc < 0)
			return -1;
		*src = CAL_SOURCE_STORE;
		return 0;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(db, e);
	char name[64];
	snprintf(name, sizeof(name), "data/calendar/%d.txt", year);
	const struct embed_file *f = embed_find(name);
	if (f) {
		if (cal_year_parse((const char *)f->data, f->len, out, e) < 0)
			return -1;
		*src = CAL_SOURCE_DATA;
		return 0;
	}
	return 1;
}

static struct clockset *
build(struct db *db, int64_t version, struct err *e)
{
	int span = CLOCKSVC_LAST_YEAR - CLOCKSVC_FIRST_YEAR + 1;
	struct cal_year *years = xcalloc((size_t)span, sizeof(*years));
	size_t n = 0;
	struct clockset *cs = NULL;
	for (int y = CLOCKSVC_FIRST_YEAR; y <= CLOCKSVC_LAST_YEAR; y++) {
		enum cal_source src;
		int rc = load_year(db, y, &years[n], &src, e);
		if (rc < 0)
			goto out;
		if (rc == 0)
			n++;
	}
	cs = xcalloc(1, sizeof(*cs));
	cs->version = version;
	cs->dflt = clock_new(years, n, NULL, CLOCKSVC_FIRST_YEAR, CLOCKSVC_LAST_YEAR, e);
	if (!cs->dflt) {
		free(cs);
		cs = NULL;
		goto out;
	}
	struct db_stmt *st =
	    db_prepare(db, "SELECT unit_id, spec FROM unit_hours ORDER BY unit_id");
	while (st && db_step(st) == DB_ROW && cs->nunits < MAX_UNIT_CLOCKS) {
		struct cal_hours h;
		struct err ignore = ERR_INIT;
		if (cal_hours_parse(db_col_text(st, 1), &h, &ignore) < 0)
			continue;
		struct clock *uc =
		    clock_new(years, n, &h, CLOCKSVC_FIRST_YEAR, CLOCKSVC_LAST_YEAR, &ignore);
		if (!uc)
			continue;
		cs->unit_ids[cs->nunits] = db_col_int(st, 0);
		cs->unit_clocks[cs->nunits++] = uc;
	}
	db_reset(st);
out:
	free(years);
	return cs;
}

const struct clock *
clocksvc_get(const struct ctx *c, int64_t unit_id, struct err *e)
{
	struct clockset *cs = atomic_load(&current);
	int64_t now = c->now;
	if (!cs || atomic_load(&checked_at) != now) {
		/* at most once a second per node: has the calendar moved? */
		atomic_store(&checked_at, now);
		int64_t v = read_version(c->db);
		if (v < 0 && !cs) {
			db_fail(c->db, e);
			return NULL;
		}
		if (!cs || (v >= 0 && v != cs->version)) {
			pthread_mutex_lock(&mu);
			cs = atomic_load(&current);
			if (!cs || cs->version != v) {
				struct clockset *fresh = build(c->db, v, e);
				if (!fresh) {
					pthread_mutex_unlock(&mu);
					return cs ? (const struct clock *)cs->dflt : NULL;
				}
				fresh->older = cs;
				atomic_store(&current, fresh);
				cs = fresh;
				log_event(LOG_INFO, "clock_built", NULL);
			}
			pthread_mutex_unlock(&mu);
		}
	}
	for (int i = 0; unit_id && i < cs->nunits; i++)
		if (cs->unit_ids[i] == unit_id)
			return cs->unit_clocks[i];
	return cs->dflt;
}

void
clocksvc_shutdown(void)
{
	struct clockset *cs = atomic_exchange(&current, NULL);
	while (cs) {
		struct clockset *older = cs->older;
		clock_free(cs->dflt);
		for (int i = 0; i < cs->nunits; i++)
			clock_free(cs->unit_clocks[i]);
		free(cs);
		cs = older;
	}
}

int
clocksvc_year(const struct ctx *c, int year, struct cal_year *out, enum cal_source *source,
	      struct err *e)
{
	if (year < CAL_YEAR_MIN || year > CAL_YEAR_MAX)
		return err_setf(e, ERR_NOT_FOUND, "year", "Năm %d nằm ngoài phạm vi lịch (%d–%d)",
				"year %d is outside the calendar's range (%d-%d)", year,
				CAL_YEAR_MIN, CAL_YEAR_MAX);
	int rc = load_year(c->db, year, out, source, e);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		calendar_propose(year, out);
		*source = CAL_SOURCE_PROPOSED;
	}
	return 0;
}

static int
bump_version(struct db *db, int64_t now, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "UPDATE setting SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT), updated_at = ? "
	    "WHERE key = 'calendar_version'");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, now);
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : db_fail(db, e);
}

struct put_args {
	const struct ctx *c;
	const struct cal_year *y;
};

static int
put_tx(struct db *db, void *arg, struct err *e)
{
	struct put_args *a = arg;
	struct buf body = BUF_INIT(CAL_TEXT_MAX * 2);
	if (cal_year_format(a->y, &body) < 0) {
		buf_release(&body);
		return err_set(e, ERR_VALIDATION, "entries", "Lịch quá dài", "calendar too long");
	}
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO calendar_year (year, status, body, updated_at, updated_by) "
		"VALUES (?, ?, ?, ?, ?) ON CONFLICT (year) DO UPDATE SET status = excluded.status, "
		"body = excluded.body, updated_at = excluded.updated_at, "
		"updated_by = excluded.updated_by");
	int rc = DB_ERROR;
	if (st) {
		db_bind_int(st, 1, a->y->year);
		db_bind_text(st, 2, cal_status_name(a->y->status));
		db_bind_text(st, 3, body.data);
		db_bind_int(st, 4, a->c->now);
		if (a->c->actor && a->c->actor->user_id)
			db_bind_int(st, 5, a->c->actor->user_id);
		else
			db_bind_null(st, 5);
		rc = db_step(st);
		db_reset(st);
	}
	if (rc != DB_DONE) {
		buf_release(&body);
		return db_fail(db, e);
	}
	char oid[16];
	snprintf(oid, sizeof(oid), "%d", a->y->year);
	struct ctx cc = *a->c;
	cc.db = db;
	rc = audit_append(&cc, "calendar.put", "calendar_year", oid, body.data, e);
	buf_release(&body);
	if (rc < 0)
		return -1;
	return bump_version(db, a->c->now, e);
}

int
clocksvc_put_year(const struct ctx *c, const struct cal_year *y, struct err *e)
{
	if (cal_year_validate(y, e) < 0)
		return -1;
	if (y->year < CLOCKSVC_FIRST_YEAR || y->year > CLOCKSVC_LAST_YEAR)
		return err_setf(e, ERR_VALIDATION, "year", "Chỉ sửa được lịch các năm %d–%d",
				"only years %d-%d can be edited", CLOCKSVC_FIRST_YEAR,
				CLOCKSVC_LAST_YEAR);
	int64_t root = 0;
	struct db_stmt *st =
	    db_prepare(c->db, "SELECT id FROM unit WHERE parent_id IS NULL LIMIT 1");
	if (st && db_step(st) == DB_ROW)
		root = db_col_int(st, 0);
	db_reset(st);
	if (authz_require(c, ROLE_ADMIN, root, e) < 0)
		return -1;
	struct put_args a = {c, y};
	if (db_tx(c->db, put_tx, &a, e) < 0)
		return -1;
	atomic_store(&checked_at, 0); /* look again on the next request */
	return 0;
}

struct hours_args {
	const struct ctx *c;
	int64_t unit_id;
	const char *spec;
};

static int
hours_tx(struct db *db, void *arg, struct err *e)
{
	struct hours_args *a = arg;
	struct db_stmt *st =
	    a->spec ? db_prepare(db, "INSERT INTO unit_hours (unit_id, spec, updated_at) VALUES "
				     "(?, ?, ?) ON CONFLICT (unit_id) DO UPDATE SET "
				     "spec = excluded.spec, updated_at = excluded.updated_at")
		    : db_prepare(db, "DELETE FROM unit_hours WHERE unit_id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, a->unit_id);
	if (a->spec) {
		db_bind_text(st, 2, a->spec);
		db_bind_int(st, 3, a->c->now);
	}
	int rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(db, e);
	char oid[24];
	snprintf(oid, sizeof(oid), "%" PRId64, a->unit_id);
	struct ctx cc = *a->c;
	cc.db = db;
	if (audit_append(&cc, "unit.hours", "unit", oid, a->spec ? a->spec : "default", e) < 0)
		return -1;
	return bump_version(db, a->c->now, e);
}

int
clocksvc_set_hours(const struct ctx *c, int64_t unit_id, const char *spec, struct err *e)
{
	struct cal_hours h;
	if (spec && cal_hours_parse(spec, &h, e) < 0)
		return -1;
	if (authz_require(c, ROLE_ADMIN, unit_id, e) < 0)
		return -1;
	struct buf canon = BUF_INIT(256);
	if (spec)
		cal_hours_format(&h, &canon);
	struct hours_args a = {c, unit_id, spec ? canon.data : NULL};
	int rc = db_tx(c->db, hours_tx, &a, e);
	buf_release(&canon);
	atomic_store(&checked_at, 0);
	return rc;
}
