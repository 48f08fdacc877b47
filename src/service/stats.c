/*
 * stats.c: keeping the statistics counters (the write side) and reading Biểu 06 from them.
 * See stats.h for what counts as what.
 */
#include "service/stats.h"

#include "core/civil.h"
#include "domain/lifecycle.h"
#include "domain/tally.h"
#include "service/unit.h"

#include "core/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const col_names[SC__MAX] = {"recv", "early", "on_time", "late", "ov"};

static enum stats_col
class_col(const char *outcome)
{
	if (outcome && strcmp(outcome, "early") == 0)
		return SC_EARLY;
	if (outcome && strcmp(outcome, "late") == 0)
		return SC_LATE;
	return SC_ON_TIME; /* on time, and withdrawn or lapsed (no outcome) */
}

static int
ymd_of(int64_t t)
{
	return t ? tally_ymd(civil_day_of_epoch(t)) : 0;
}

static void
delta(struct stats_plan *p, int day, enum stats_col col, int v)
{
	if (p->n < (int)(sizeof(p->d) / sizeof(p->d[0]))) {
		p->d[p->n].day = day;
		p->d[p->n].col = col;
		p->d[p->n].v = v;
		p->n++;
	}
}

void
stats_plan(struct stats_row *r, int64_t now, struct stats_plan *p)
{
	p->n = 0;
	int recv = ymd_of(r->received_at);
	if (recv != r->recv_day) {
		if (r->recv_day)
			delta(p, r->recv_day, SC_RECV, -1);
		if (recv)
			delta(p, recv, SC_RECV, 1);
		r->recv_day = recv;
	}
	int res = r->received_at ? ymd_of(r->finished_at) : 0;
	const char *cls = col_names[class_col(r->outcome)];
	if (res != r->res_day || (res && strcmp(cls, r->res_class) != 0)) {
		if (r->res_day)
			delta(p, r->res_day, class_col(r->res_class), -1);
		if (res)
			delta(p, res, class_col(cls), 1);
		r->res_day = res;
		snprintf(r->res_class, sizeof(r->res_class), "%s", res ? cls : "");
	}
	int want = r->received_at && !r->finished_at && !r->paused_at ? ymd_of(r->due_at) : 0;
	int days[2], deltas[2], keep;
	int k = tally_ov_move(r->ov_day, want, ymd_of(now), days, deltas, &keep);
	for (int i = 0; i < k; i++)
		delta(p, days[i], SC_OV, deltas[i]);
	r->ov_day = keep;
}

struct agg {
	int grain, period;
	int64_t v[SC__MAX];
};

int
stats_write(struct db *db, const struct stats_row *r, const struct stats_plan *p, struct err *e)
{
	/* merge the deltas into rows: each at day, month and year grain */
	struct agg rows[8 * TALLY_GRAINS];
	int nrows = 0;
	for (int i = 0; i < p->n; i++) {
		int periods[TALLY_GRAINS] = {p->d[i].day, p->d[i].day / 100, p->d[i].day / 10000,
					     p->d[i].day};
		for (int g = 0; g < TALLY_GRAINS; g++) {
			int k = 0;
			while (k < nrows && (rows[k].grain != g || rows[k].period != periods[g]))
				k++;
			if (k == nrows) {
				memset(&rows[k], 0, sizeof(rows[k]));
				rows[k].grain = g;
				rows[k].period = periods[g];
				nrows++;
			}
			rows[k].v[p->d[i].col] += p->d[i].v;
		}
	}
	struct db_stmt *st = NULL;
	for (int k = 0; k < nrows; k++) {
		int zero = 1;
		for (int c = 0; c < SC__MAX; c++)
			zero &= rows[k].v[c] == 0;
		if (zero)
			continue;
		if (!st)
			st = db_prepare(
			    db,
			    "INSERT INTO stat_count (unit_id, grain, period, field_code, "
			    "procedure_code, channel, recv, early, on_time, late, ov) VALUES (?, "
			    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (unit_id, grain, period, "
			    "field_code, procedure_code, channel) DO UPDATE SET recv = "
			    "stat_count.recv + excluded.recv, early = stat_count.early + "
			    "excluded.early, on_time = stat_count.on_time + excluded.on_time, "
			    "late = stat_count.late + excluded.late, ov = stat_count.ov + "
			    "excluded.ov");
		if (!st)
			return db_fail(db, e);
		db_bind_int(st, 1, r->unit_id);
		db_bind_int(st, 2, rows[k].grain);
		db_bind_int(st, 3, rows[k].period);
		db_bind_text(st, 4, r->field);
		db_bind_text(st, 5, rows[k].grain == TALLY_DAY ? r->procedure : "");
		db_bind_int(st, 6, r->channel);
		for (int c = 0; c < SC__MAX; c++)
			db_bind_int(st, 7 + c, rows[k].v[c]);
		int rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return db_fail(db, e);
	}
	return 0;
}

#define ROW_COLS                                                                                   \
	"competent_unit_id, COALESCE(field_code, ''), procedure_code, channel, "                   \
	"COALESCE(received_at, 0), COALESCE(finished_at, 0), COALESCE(due_at, 0), "                \
	"COALESCE(paused_at, 0), COALESCE(outcome, ''), COALESCE(stat_recv_day, 0), "              \
	"COALESCE(stat_res_day, 0), COALESCE(stat_res_class, ''), COALESCE(stat_ov_day, 0)"

static void
read_row(struct db_stmt *st, int off, struct stats_row *r)
{
	r->unit_id = db_col_int(st, off + 0);
	snprintf(r->field, sizeof(r->field), "%s", db_col_text(st, off + 1));
	snprintf(r->procedure, sizeof(r->procedure), "%s", db_col_text(st, off + 2));
	r->channel = (int)db_col_int(st, off + 3);
	r->received_at = db_col_int(st, off + 4);
	r->finished_at = db_col_int(st, off + 5);
	r->due_at = db_col_int(st, off + 6);
	r->paused_at = db_col_int(st, off + 7);
	snprintf(r->outcome, sizeof(r->outcome), "%s", db_col_text(st, off + 8));
	r->recv_day = (int)db_col_int(st, off + 9);
	r->res_day = (int)db_col_int(st, off + 10);
	snprintf(r->res_class, sizeof(r->res_class), "%s", db_col_text(st, off + 11));
	r->ov_day = (int)db_col_int(st, off + 12);
}

static int
remember(struct db *db, int64_t id, const struct stats_row *r, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE dossier SET stat_recv_day = NULLIF(?, 0), stat_res_day = "
			   "NULLIF(?, 0), stat_res_class = NULLIF(?, ''), stat_ov_day = NULLIF(?, "
			   "0) WHERE id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, r->recv_day);
	db_bind_int(st, 2, r->res_day);
	db_bind_text(st, 3, r->res_class);
	db_bind_int(st, 4, r->ov_day);
	db_bind_int(st, 5, id);
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : db_fail(db, e);
}

static pthread_once_t enabled_once = PTHREAD_ONCE_INIT;
static int enabled = 1;

static void
read_enabled(void)
{
	const char *v = getenv("MOTCUA_BENCH_NO_STATS");
	enabled = !(v && strcmp(v, "1") == 0);
	if (!enabled)
		log_event(LOG_WARN, "stats_disabled", "why",
			  "MOTCUA_BENCH_NO_STATS=1: no counters kept (benchmark only)", NULL);
}

int
stats_enabled(void)
{
	pthread_once(&enabled_once, read_enabled);
	return enabled;
}

int
stats_sync(struct db *db, int64_t dossier_id, int64_t now, struct err *e)
{
	if (!stats_enabled())
		return 0;
	struct db_stmt *st = db_prepare(db, "SELECT " ROW_COLS " FROM dossier WHERE id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, dossier_id);
	struct stats_row r;
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, 0, &r);
	db_reset(st);
	if (rc != DB_ROW)
		return db_fail(db, e);
	struct stats_plan p;
	stats_plan(&r, now, &p);
	if (p.n == 0)
		return 0;
	if (stats_write(db, &r, &p, e) < 0)
		return -1;
	return remember(db, dossier_id, &r, e);
}

/* ---- the accumulator: deltas summed in memory, written once ---- */

struct acc_ent {
	int64_t unit;
	int grain, period, channel, used;
	char field[128], procedure[64];
	int64_t v[SC__MAX];
};

struct stats_acc {
	struct acc_ent *t;
	size_t cap, n;
};

struct stats_acc *
stats_acc_new(void)
{
	struct stats_acc *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->cap = 4096;
	a->t = calloc(a->cap, sizeof(*a->t));
	if (!a->t) {
		free(a);
		return NULL;
	}
	return a;
}

void
stats_acc_free(struct stats_acc *a)
{
	if (a)
		free(a->t);
	free(a);
}

static uint64_t
acc_hash(int64_t unit, int grain, int period, int channel, const char *f, const char *p)
{
	uint64_t h = 1469598103934665603ULL;
	h = (h ^ (uint64_t)unit) * 1099511628211ULL;
	h = (h ^ (uint64_t)(grain * 1000003 + channel)) * 1099511628211ULL;
	h = (h ^ (uint64_t)period) * 1099511628211ULL;
	for (; *f; f++)
		h = (h ^ (unsigned char)*f) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h ^ (h >> 29);
}

static struct acc_ent *
acc_slot(struct acc_ent *t, size_t cap, int64_t unit, int grain, int period, int channel,
	 const char *f, const char *p)
{
	size_t i = (size_t)acc_hash(unit, grain, period, channel, f, p) & (cap - 1);
	for (;; i = (i + 1) & (cap - 1)) {
		struct acc_ent *x = &t[i];
		if (!x->used || (x->unit == unit && x->grain == grain && x->period == period &&
				 x->channel == channel && strcmp(x->field, f) == 0 &&
				 strcmp(x->procedure, p) == 0))
			return x;
	}
}

static int
acc_grow(struct stats_acc *a)
{
	size_t cap = a->cap * 2;
	struct acc_ent *t = calloc(cap, sizeof(*t));
	if (!t)
		return -1;
	for (size_t i = 0; i < a->cap; i++) {
		const struct acc_ent *x = &a->t[i];
		if (x->used)
			*acc_slot(t, cap, x->unit, x->grain, x->period, x->channel, x->field,
				  x->procedure) = *x;
	}
	free(a->t);
	a->t = t, a->cap = cap;
	return 0;
}

int
stats_acc_add(struct stats_acc *a, const struct stats_row *r, const struct stats_plan *p)
{
	for (int i = 0; i < p->n; i++) {
		int periods[TALLY_GRAINS] = {p->d[i].day, p->d[i].day / 100, p->d[i].day / 10000,
					     p->d[i].day};
		for (int g = 0; g < TALLY_GRAINS; g++) {
			if (2 * (a->n + 1) > a->cap && acc_grow(a) < 0)
				return -1;
			const char *proc = g == TALLY_DAY ? r->procedure : "";
			struct acc_ent *x = acc_slot(a->t, a->cap, r->unit_id, g, periods[g],
						     r->channel, r->field, proc);
			if (!x->used) {
				x->used = 1;
				x->unit = r->unit_id;
				x->grain = g;
				x->period = periods[g];
				x->channel = r->channel;
				/* same sizes as the row's, which are terminated */
				memcpy(x->field, r->field, strlen(r->field) + 1);
				memcpy(x->procedure, proc, strlen(proc) + 1);
				memset(x->v, 0, sizeof(x->v));
				a->n++;
			}
			x->v[p->d[i].col] += p->d[i].v;
		}
	}
	return 0;
}

#define UPSERT_COLS                                                                                \
	"INSERT INTO stat_count (unit_id, grain, period, field_code, procedure_code, channel, "    \
	"recv, early, on_time, late, ov) VALUES "
#define UPSERT_TAIL                                                                                \
	" ON CONFLICT (unit_id, grain, period, field_code, procedure_code, channel) DO UPDATE "    \
	"SET recv = stat_count.recv + excluded.recv, early = stat_count.early + excluded.early, "  \
	"on_time = stat_count.on_time + excluded.on_time, late = stat_count.late + "               \
	"excluded.late, ov = stat_count.ov + excluded.ov"
#define FLUSH_ROWS 32

int
stats_acc_flush(struct db *db, struct stats_acc *a, struct err *e)
{
	char sql[sizeof(UPSERT_COLS UPSERT_TAIL) + FLUSH_ROWS * 40];
	struct acc_ent *pend[FLUSH_ROWS];
	int k = 0, rcode = 0;
	for (size_t i = 0; i <= a->cap; i++) {
		struct acc_ent *x = i < a->cap ? &a->t[i] : NULL;
		if (x && x->used) {
			int zero = 1;
			for (int c = 0; c < SC__MAX; c++)
				zero &= x->v[c] == 0;
			if (!zero)
				pend[k++] = x;
		}
		if (k == 0 || (k < FLUSH_ROWS && x))
			continue;
		static const char tuple[] = "(?,?,?,?,?,?,?,?,?,?,?)";
		size_t l = sizeof(UPSERT_COLS) - 1;
		memcpy(sql, UPSERT_COLS, l);
		for (int j = 0; j < k; j++) {
			if (j)
				sql[l++] = ',';
			memcpy(sql + l, tuple, sizeof(tuple) - 1);
			l += sizeof(tuple) - 1;
		}
		memcpy(sql + l, UPSERT_TAIL, sizeof(UPSERT_TAIL));
		struct db_stmt *st = db_prepare(db, sql);
		if (!st)
			return db_fail(db, e);
		for (int j = 0, b = 1; j < k; j++) {
			db_bind_int(st, b++, pend[j]->unit);
			db_bind_int(st, b++, pend[j]->grain);
			db_bind_int(st, b++, pend[j]->period);
			db_bind_text_static(st, b++, pend[j]->field);
			db_bind_text_static(st, b++, pend[j]->procedure);
			db_bind_int(st, b++, pend[j]->channel);
			for (int c = 0; c < SC__MAX; c++)
				db_bind_int(st, b++, pend[j]->v[c]);
		}
		int rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE) {
			rcode = db_fail(db, e);
			break;
		}
		k = 0;
	}
	memset(a->t, 0, a->cap * sizeof(*a->t));
	a->n = 0;
	return rcode;
}

/* ---- rebuild: replay each dossier's history through the same plan ---- */

static int
point_cmp(const void *a, const void *b)
{
	const struct stats_point *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->kind - y->kind;
}

int
stats_paused_state(const char *s)
{
	return s && (strcmp(s, "waiting_supplement") == 0 || strcmp(s, "waiting_payment") == 0 ||
		     strcmp(s, "stopped") == 0);
}

int
stats_replay(const struct stats_row *fin, struct stats_point *pts, size_t n, struct stats_acc *acc,
	     struct stats_row *mem)
{
	qsort(pts, n, sizeof(*pts), point_cmp);
	/* replay: at each point, the dossier as it was just after it */
	struct stats_row r = *fin;
	r.recv_day = r.res_day = r.ov_day = 0;
	r.res_class[0] = 0;
	int64_t due = 0;
	int paused = 0;
	for (size_t i = 0; i < n; i++) {
		if (pts[i].kind == 0)
			due = pts[i].due;
		else
			paused = pts[i].paused;
		if (i + 1 < n && pts[i + 1].at == pts[i].at)
			continue; /* one transaction: plan once, after all its rows */
		int64_t at = pts[i].at;
		struct stats_row now = r;
		now.received_at = fin->received_at <= at ? fin->received_at : 0;
		now.finished_at = fin->finished_at && fin->finished_at <= at ? fin->finished_at : 0;
		now.due_at = due;
		now.paused_at = paused && !now.finished_at ? at : 0;
		struct stats_plan p;
		stats_plan(&now, at, &p);
		if (p.n && stats_acc_add(acc, &now, &p) < 0)
			return -1;
		r.recv_day = now.recv_day, r.res_day = now.res_day, r.ov_day = now.ov_day;
		memcpy(r.res_class, now.res_class, sizeof(r.res_class));
	}
	*mem = r;
	return 0;
}

struct rb_args {
	int64_t n;
};

#define REBUILD_FLUSH 20000 /* dossiers between two writes of the accumulated counters */

static int
rebuild_tx(struct db *db, void *arg, struct err *e)
{
	struct rb_args *a = arg;
	if (db_exec(db, "DELETE FROM stat_count") < 0 ||
	    db_exec(db, "UPDATE dossier SET stat_recv_day = NULL, stat_res_day = NULL, "
			"stat_res_class = NULL, stat_ov_day = NULL") < 0)
		return db_fail(db, e);
	int64_t last = 0;
	size_t cap = 64;
	struct stats_point *pts = malloc(cap * sizeof(*pts));
	struct stats_acc *acc = stats_acc_new();
	int rcode = -1;
	if (!pts || !acc)
		goto oom;
	for (;;) {
		struct db_stmt *st =
		    db_prepare(db, "SELECT id, " ROW_COLS " FROM dossier WHERE "
				   "id > ? AND received_at IS NOT NULL ORDER BY id "
				   "LIMIT 1");
		if (!st)
			goto fail;
		db_bind_int(st, 1, last);
		struct stats_row fin;
		int rc = db_step(st);
		if (rc == DB_ROW) {
			last = db_col_int(st, 0);
			read_row(st, 1, &fin);
		}
		db_reset(st);
		if (rc == DB_DONE)
			break;
		if (rc != DB_ROW)
			goto fail;
		/* the points in time where what counts may change */
		size_t n = 0;
		st = db_prepare(db, "SELECT at, due_at FROM dossier_due WHERE dossier_id = ? "
				    "ORDER BY seq");
		if (!st)
			goto fail;
		db_bind_int(st, 1, last);
		while (db_step(st) == DB_ROW) {
			if (n == cap) {
				struct stats_point *np = realloc(pts, 2 * cap * sizeof(*pts));
				if (!np) {
					db_reset(st);
					goto oom;
				}
				pts = np, cap *= 2;
			}
			pts[n++] = (struct stats_point){db_col_int(st, 0), 0, db_col_int(st, 1), 0};
		}
		db_reset(st);
		st = db_prepare(db, "SELECT at, to_state FROM dossier_event WHERE dossier_id = ? "
				    "ORDER BY seq");
		if (!st)
			goto fail;
		db_bind_int(st, 1, last);
		while (db_step(st) == DB_ROW) {
			if (n == cap) {
				struct stats_point *np = realloc(pts, 2 * cap * sizeof(*pts));
				if (!np) {
					db_reset(st);
					goto oom;
				}
				pts = np, cap *= 2;
			}
			pts[n++] = (struct stats_point){db_col_int(st, 0), 1, 0,
							stats_paused_state(db_col_text(st, 1))};
		}
		db_reset(st);
		struct stats_row r;
		if (stats_replay(&fin, pts, n, acc, &r) < 0)
			goto oom;
		if (remember(db, last, &r, e) < 0)
			goto out;
		if (++a->n % REBUILD_FLUSH == 0 && stats_acc_flush(db, acc, e) < 0)
			goto out;
	}
	if (stats_acc_flush(db, acc, e) < 0)
		goto out;
	rcode = 0;
	goto out;
oom:
	err_set(e, ERR_INTERNAL, "", "Hết bộ nhớ", "out of memory");
	goto out;
fail:
	db_fail(db, e);
out:
	free(pts);
	stats_acc_free(acc);
	return rcode;
}

int
stats_rebuild(const struct ctx *c, int64_t *dossiers, struct err *e)
{
	struct rb_args a = {0};
	int rc = db_tx(c->db, rebuild_tx, &a, e);
	if (dossiers)
		*dossiers = a.n;
	return rc;
}

/* ---- reading: Biểu 06 ---- */

void
b06_add(struct b06 *to, const struct b06 *v)
{
	to->received_online += v->received_online;
	to->received_direct_postal += v->received_direct_postal;
	to->received_postal += v->received_postal;
	to->carried_over += v->carried_over;
	to->early += v->early;
	to->on_time += v->on_time;
	to->late += v->late;
	to->overdue += v->overdue;
}

int64_t
stats_default_unit(const struct ctx *c)
{
	if (!c->actor)
		return 0;
	int64_t best = 0;
	size_t best_len = 0;
	for (int i = 0; i < c->actor->ngrants; i++) {
		size_t l = strlen(c->actor->grants[i].unit_path);
		if (!best || l < best_len)
			best = c->actor->grants[i].unit_id, best_len = l;
	}
	return best;
}

static const char *
level_of(const char *kind)
{
	if (strcmp(kind, "commune") == 0)
		return "commune";
	if (strcmp(kind, "district") == 0)
		return "district";
	return "province";
}

static int
cell_cmp(const void *a, const void *b)
{
	const struct b06_cell *x = a, *y = b;
	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	return strcmp(x->field, y->field);
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* the cell of a unit and field, added when new (cells kept sorted for bsearch) */
static struct b06_cell *
cell_of(struct arena *ar, struct b06_report *o, size_t *cap, size_t unit, const char *field)
{
	struct b06_cell key = {unit, field, {0}};
	struct b06_cell *f =
	    o->ncells ? bsearch(&key, o->cells, o->ncells, sizeof(key), cell_cmp) : NULL;
	if (f)
		return f;
	if (o->ncells == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		struct b06_cell *n = arena_alloc(ar, nc * sizeof(*n));
		if (!n)
			return NULL;
		if (o->ncells)
			memcpy(n, o->cells, o->ncells * sizeof(*n));
		o->cells = n, *cap = nc;
	}
	key.field = arena_strdup(ar, field);
	size_t i = o->ncells;
	while (i > 0 && cell_cmp(&o->cells[i - 1], &key) > 0) {
		o->cells[i] = o->cells[i - 1];
		i--;
	}
	o->cells[i] = key;
	o->ncells++;
	return &o->cells[i];
}

struct unit_ix {
	int64_t id;
	size_t ix;
};

static int
unit_ix_cmp(const void *a, const void *b)
{
	const struct unit_ix *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* one span of periods for every unit of the subtree at once: one statement per span, not one
 * per unit and span (a province's 141 units made a year's report 1,300 statements) */
static int
read_span(struct db *db, struct arena *ar, struct b06_report *o, size_t *cap,
	  const struct unit_ix *ix, const char *like, const struct tally_span *s, int sign,
	  int before, struct err *e)
{
	/* summed here rather than by GROUP BY: SQLite's sorter and aggregates cost several
	 * times the rows' own reading (callgrind: 10,000 instructions a row) */
	struct db_stmt *st = db_prepare(
	    db, "SELECT unit_id, field_code, channel, recv, early, on_time, late, ov FROM "
		"stat_count WHERE unit_id IN (SELECT id FROM unit WHERE path LIKE ?) AND grain = "
		"? AND period BETWEEN ? AND ?");
	if (!st)
		return db_fail(db, e);
	db_bind_text(st, 1, like);
	db_bind_int(st, 2, s->grain == TALLY_DAY ? TALLY_DAY_ALL : s->grain);
	db_bind_int(st, 3, s->lo);
	db_bind_int(st, 4, s->hi);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t recv = db_col_int(st, 3), early = db_col_int(st, 4),
			on_time = db_col_int(st, 5), late = db_col_int(st, 6),
			ov = db_col_int(st, 7);
		if (!recv && !early && !on_time && !late && !ov)
			continue;
		recv *= sign, early *= sign, on_time *= sign, late *= sign, ov *= sign;
		struct unit_ix key = {db_col_int(st, 0), 0};
		const struct unit_ix *f = bsearch(&key, ix, o->nunits, sizeof(key), unit_ix_cmp);
		if (!f)
			continue; /* a unit added since the list was read */
		size_t u = f->ix;
		struct b06_cell *cl = cell_of(ar, o, cap, u, db_col_text(st, 1));
		if (!cl) {
			db_reset(st);
			return err_set(e, ERR_INTERNAL, "", "Hết bộ nhớ", "out of memory");
		}
		int ch = (int)db_col_int(st, 2);
		cl->v.overdue += ov;
		if (before) {
			cl->v.carried_over += recv - early - on_time - late;
		} else {
			if (ch == 2)
				cl->v.received_online += recv;
			else
				cl->v.received_direct_postal += recv;
			if (ch == 3)
				cl->v.received_postal += recv;
			cl->v.early += early;
			cl->v.on_time += on_time;
			cl->v.late += late;
		}
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : db_fail(db, e);
}

static int
month_len(int y, int m)
{
	static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : n[m - 1];
}

struct signed_span {
	struct tally_span s;
	int sign;
};

/*
 * The spans to read for days lo..hi: tally_split's, except that loose days covering more than
 * half of their month are read as the month minus the other days, and more than six months
 * of one year as the year minus the other months. Day rows carry the
 * procedure, so a province's day has thousands of them: "this year to date" on the 28th reads
 * a month row and three days instead of 28 days.
 */
static size_t
plan_spans(int lo, int hi, struct signed_span out[3 * TALLY_SPANS_MAX])
{
	struct tally_span sp[TALLY_SPANS_MAX];
	size_t n = tally_split(lo, hi, sp), k = 0;
	for (size_t i = 0; i < n; i++) {
		int y = sp[i].lo / 10000, m = sp[i].lo / 100 % 100;
		int a = sp[i].lo % 100, b = sp[i].hi % 100;
		int ym = y * 10000 + m * 100;
		if (sp[i].grain == TALLY_MONTH && sp[i].lo / 100 == sp[i].hi / 100 &&
		    sp[i].hi - sp[i].lo + 1 > 6) {
			/* most of a year: the year minus its other months */
			int yr = sp[i].lo / 100, ma = sp[i].lo % 100, mb = sp[i].hi % 100;
			out[k++] = (struct signed_span){{TALLY_YEAR, yr, yr}, 1};
			if (ma > 1)
				out[k++] = (struct signed_span){
				    {TALLY_MONTH, yr * 100 + 1, yr * 100 + ma - 1}, -1};
			if (mb < 12)
				out[k++] = (struct signed_span){
				    {TALLY_MONTH, yr * 100 + mb + 1, yr * 100 + 12}, -1};
			continue;
		}
		if (sp[i].grain != TALLY_DAY || 2 * (b - a + 1) <= month_len(y, m)) {
			out[k++] = (struct signed_span){sp[i], 1};
			continue;
		}
		int len = month_len(y, m);
		out[k++] = (struct signed_span){{TALLY_MONTH, ym / 100, ym / 100}, 1};
		if (a > 1)
			out[k++] = (struct signed_span){{TALLY_DAY, ym + 1, ym + a - 1}, -1};
		if (b < len)
			out[k++] = (struct signed_span){{TALLY_DAY, ym + b + 1, ym + len}, -1};
	}
	return k;
}

static int
bieu06(const struct ctx *c, int64_t unit_id, int64_t from, int64_t to, struct b06_report *o,
       struct err *e)
{
	memset(o, 0, sizeof(*o));
	if (to < from)
		return err_set(e, ERR_VALIDATION, "to", "Ngày cuối kỳ trước ngày đầu kỳ",
			       "to is before from");
	if (to - from > 5 * 366)
		return err_set(e, ERR_VALIDATION, "to", "Kỳ báo cáo dài quá 5 năm",
			       "the period is longer than 5 years");
	o->from = tally_ymd(from);
	o->to = tally_ymd(to);
	char path[UNIT_PATH_MAX];
	if (unit_path(c, unit_id, path, sizeof(path)) < 0)
		return err_set(e, ERR_NOT_FOUND, "unit", "Không tìm thấy đơn vị", "unit not found");
	struct db *db = c->db;
	struct arena *ar = c->arena;
	struct db_stmt *st =
	    db_prepare(db, "SELECT id, COALESCE(code, ''), name, kind, depth FROM unit WHERE "
			   "path LIKE ? ORDER BY depth, id");
	if (!st)
		return db_fail(db, e);
	const char *like = arena_printf(ar, "%s%%", path);
	db_bind_text(st, 1, like);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (o->nunits == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct b06_unit *n = arena_alloc(ar, nc * sizeof(*n));
			if (!n) {
				db_reset(st);
				return err_set(e, ERR_INTERNAL, "", "Hết bộ nhớ", "out of memory");
			}
			if (o->nunits)
				memcpy(n, o->units, o->nunits * sizeof(*n));
			o->units = n, cap = nc;
		}
		struct b06_unit *u = &o->units[o->nunits++];
		u->id = db_col_int(st, 0);
		u->code = arena_strdup(ar, db_col_text(st, 1));
		u->name = arena_strdup(ar, db_col_text(st, 2));
		u->kind = arena_strdup(ar, db_col_text(st, 3));
		u->depth = (int)db_col_int(st, 4);
		u->level = level_of(u->kind);
	}
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(db, e);
	struct signed_span before[3 * TALLY_SPANS_MAX], in[3 * TALLY_SPANS_MAX];
	size_t nb = plan_spans(0, tally_ymd(from - 1), before);
	size_t ni = plan_spans(o->from, o->to, in);
	size_t ccap = 0;
	struct unit_ix *ix = arena_alloc(ar, (o->nunits + 1) * sizeof(*ix));
	if (!ix)
		return err_set(e, ERR_INTERNAL, "", "Hết bộ nhớ", "out of memory");
	for (size_t u = 0; u < o->nunits; u++)
		ix[u] = (struct unit_ix){o->units[u].id, u};
	qsort(ix, o->nunits, sizeof(*ix), unit_ix_cmp);
	for (size_t i = 0; i < nb; i++)
		if (read_span(db, ar, o, &ccap, ix, like, &before[i].s, before[i].sign, 1, e) < 0)
			return -1;
	for (size_t i = 0; i < ni; i++)
		if (read_span(db, ar, o, &ccap, ix, like, &in[i].s, in[i].sign, 0, e) < 0)
			return -1;
	/* drop cells with nothing in the period, and name the fields */
	size_t k = 0;
	for (size_t i = 0; i < o->ncells; i++) {
		const struct b06 *v = &o->cells[i].v;
		if (b06_received_total(v) || b06_resolved_total(v) || v->overdue)
			o->cells[k++] = o->cells[i];
	}
	o->ncells = k;
	o->field_codes = arena_alloc(ar, (k + 1) * sizeof(char *));
	o->field_names = arena_alloc(ar, (k + 1) * sizeof(char *));
	if (!o->field_codes || !o->field_names)
		return err_set(e, ERR_INTERNAL, "", "Hết bộ nhớ", "out of memory");
	for (size_t i = 0; i < k; i++) {
		size_t f = 0;
		while (f < o->nfields && strcmp(o->field_codes[f], o->cells[i].field) != 0)
			f++;
		if (f == o->nfields)
			o->field_codes[o->nfields++] = o->cells[i].field;
	}
	qsort(o->field_codes, o->nfields, sizeof(char *), str_cmp);
	st = db_prepare(db, "SELECT name FROM field WHERE code = ?");
	if (!st)
		return db_fail(db, e);
	for (size_t i = 0; i < o->nfields; i++) {
		db_bind_text(st, 1, o->field_codes[i]);
		o->field_names[i] = db_step(st) == DB_ROW ? arena_strdup(ar, db_col_text(st, 0))
							  : o->field_codes[i];
		db_reset(st);
	}
	return 0;
}

int
stats_bieu06_public(const struct ctx *c, int64_t unit_id, int64_t from, int64_t to,
		    struct b06_report *out, struct err *e)
{
	return bieu06(c, unit_id, from, to, out, e);
}

int
stats_bieu06(const struct ctx *c, int64_t unit_id, int64_t from, int64_t to, struct b06_report *out,
	     struct err *e)
{
	if (!c->actor)
		return err_set(e, ERR_UNAUTHENTICATED, "", "Cần đăng nhập", "login required");
	int ok = 0;
	for (int r = 0; r < ROLE__MAX && !ok; r++)
		ok = authz_has(c, (enum role)r, unit_id);
	if (!ok)
		return err_set(e, ERR_FORBIDDEN, "unit",
			       "Không có quyền xem báo cáo của đơn vị này",
			       "no role over this unit");
	return bieu06(c, unit_id, from, to, out, e);
}
