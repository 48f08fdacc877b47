/*
 * sweep.c: staff warnings (due soon, late) and lapsed supplements; see sweep.h.
 *
 * Candidates are read first (the statement reset before anything is written, as db.h asks),
 * then each warning is written in its own short transaction: INSERT ... ON CONFLICT DO
 * NOTHING on dossier_warning decides who raises it, so two nodes sweeping at once raise it
 * once.
 */
#include "service/sweep.h"
#include "core/civil.h"
#include "core/log.h"
#include "domain/clock.h"
#include "service/clocksvc.h"
#include "service/dossier.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the slack added to the default clock's horizon, for units with their own working hours */
#define HORIZON_SLACK (3 * 86400)

struct cand {
	int64_t dossier_id, due, unit_id, unit_clock;
	int step_seq; /* 0: the dossier's own due date */
	const char *role, *step_name, *code, *procedure;
	int late;
};

int64_t
sweep_lead_minutes(struct db *db)
{
	int64_t lead = SWEEP_LEAD;
	struct db_stmt *st =
	    db_prepare(db, "SELECT value FROM setting WHERE key = 'warn_lead_minutes'");
	if (st && db_step(st) == DB_ROW) {
		const char *v = db_col_text(st, 0);
		char *end;
		long long n = v ? strtoll(v, &end, 10) : -1;
		if (v && *v && !*end && n >= 0 && n <= CLOCK_MAX_MINUTES)
			lead = n;
		else
			log_event(LOG_WARN, "bad_setting", "key", "warn_lead_minutes", NULL);
	}
	if (st)
		db_reset(st);
	return lead;
}

/* the latest due date that can be within the lead time on any unit's clock */
static int64_t
horizon(const struct ctx *c, int64_t lead)
{
	struct err e = ERR_INIT;
	const struct clock *clk = clocksvc_get(c, 0, &e);
	struct duration d = {DUR_WORKING_MINUTES, lead};
	int64_t h;
	if (lead == 0)
		return c->now;
	if (!clk || clock_add(clk, c->now, &d, &h, NULL, &e) < 0)
		h = c->now + lead * 60 * 3; /* outside the clock's range: generous */
	return h + HORIZON_SLACK;
}

static const char *
col_dup(struct arena *a, struct db_stmt *st, int i)
{
	return arena_strdup(a, db_col_text(st, i));
}

/* read candidates: the running steps, then the dossiers' own due dates */
static int
read_candidates(const struct ctx *c, int64_t until, struct cand **out, size_t *n, struct err *e)
{
	static const char *const sql[2] = {
	    "SELECT s.dossier_id, s.seq, s.due_at, s.unit_id, s.role, s.name, d.code, "
	    "d.procedure_name, d.competent_unit_id FROM dossier_step s JOIN dossier d ON d.id = "
	    "s.dossier_id WHERE s.finished_at IS NULL AND s.started_at IS NOT NULL AND s.due_at > "
	    "? AND s.due_at <= ? AND d.current_step = s.seq AND d.state IN ('accepted', "
	    "'processing') AND NOT EXISTS (SELECT 1 FROM dossier_warning w WHERE w.dossier_id = "
	    "s.dossier_id AND w.step_seq = s.seq AND (w.kind = 'late' OR (w.kind = 'due_soon' AND "
	    "s.due_at > ?))) ORDER BY s.due_at LIMIT ?",
	    "SELECT d.id, 0, d.due_at, d.holder_unit_id, d.holder_role, NULL, d.code, "
	    "d.procedure_name, d.competent_unit_id FROM dossier d WHERE d.state IN ('accepted', "
	    "'processing') AND d.due_at > ? AND d.due_at <= ? AND d.holder_unit_id IS NOT NULL AND "
	    "NOT EXISTS (SELECT 1 FROM dossier_warning w WHERE w.dossier_id = d.id AND w.step_seq "
	    "= "
	    "0 AND (w.kind = 'late' OR (w.kind = 'due_soon' AND d.due_at > ?))) AND NOT EXISTS "
	    "(SELECT 1 FROM dossier_step s WHERE s.dossier_id = d.id AND s.seq = d.current_step "
	    "AND "
	    "s.due_at = d.due_at) ORDER BY d.due_at LIMIT ?",
	};
	struct cand *v = arena_alloc(c->arena, 2 * SWEEP_BATCH * sizeof(*v));
	size_t k = 0;
	for (int q = 0; q < 2; q++) {
		struct db_stmt *st = db_prepare(c->db, sql[q]);
		if (!st)
			return db_fail(c->db, e);
		db_bind_int(st, 1, c->now - SWEEP_LATE_SINCE);
		db_bind_int(st, 2, until);
		db_bind_int(st, 3, c->now);
		db_bind_int(st, 4, SWEEP_BATCH);
		int rc;
		while ((rc = db_step(st)) == DB_ROW) {
			struct cand *x = &v[k++];
			x->dossier_id = db_col_int(st, 0);
			x->step_seq = (int)db_col_int(st, 1);
			x->due = db_col_int(st, 2);
			x->unit_id = db_col_int(st, 3);
			x->role = col_dup(c->arena, st, 4);
			x->step_name = col_dup(c->arena, st, 5);
			x->code = col_dup(c->arena, st, 6);
			x->procedure = col_dup(c->arena, st, 7);
			/* a step counts on its own unit's clock, the dossier on the competent one's
			 */
			x->unit_clock = q == 0 ? x->unit_id : db_col_int(st, 8);
		}
		db_reset(st);
		if (rc != DB_DONE)
			return db_fail(c->db, e);
	}
	*out = v;
	*n = k;
	return 0;
}

/* step an INSERT ... RETURNING to its end, adding the rows it wrote to *n */
static int
count_rows(struct db_stmt *st, int *n)
{
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		(*n)++;
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

struct warn_args {
	const struct ctx *c;
	const struct cand *x;
	const char *subject, *body;
	int inserted, messages;
};

static int
warn_tx(struct db *db, void *arg, struct err *e)
{
	struct warn_args *a = arg;
	const struct cand *x = a->x;
	const char *kind = x->late ? "late" : "due_soon";
	const char *okind = x->late ? "staff_late" : "staff_due_soon";
	struct db_stmt *st =
	    db_prepare(db, "INSERT INTO dossier_warning (dossier_id, step_seq, "
			   "kind, at) VALUES (?, ?, ?, ?) ON CONFLICT (dossier_id, "
			   "step_seq, kind) DO NOTHING RETURNING dossier_id");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, x->dossier_id);
	db_bind_int(st, 2, x->step_seq);
	db_bind_text(st, 3, kind);
	db_bind_int(st, 4, a->c->now);
	int rc = db_step(st);
	db_reset(st);
	if (rc == DB_ERROR)
		return db_fail(db, e);
	a->inserted = rc == DB_ROW;
	if (!a->inserted)
		return 0; /* another node or pass raised it */
	/* the people who hold the step, by e-mail; the unit's webhooks */
	st = db_prepare(db,
			"INSERT INTO outbox (dossier_id, kind, channel, recipient, subject, "
			"body, status, next_attempt_at, created_at) SELECT ?, ?, 'email', "
			"u.email, ?, ?, 'pending', ?, ? FROM app_user u WHERE u.disabled = 0 AND "
			"u.email IS NOT NULL AND u.email <> '' AND u.id IN (SELECT r.user_id FROM "
			"user_role r WHERE r.unit_id = ? AND r.role = ?) RETURNING id");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, x->dossier_id);
	db_bind_text(st, 2, okind);
	db_bind_text(st, 3, a->subject);
	db_bind_text(st, 4, a->body);
	db_bind_int(st, 5, a->c->now);
	db_bind_int(st, 6, a->c->now);
	db_bind_int(st, 7, x->unit_id);
	db_bind_text(st, 8, x->role);
	if (count_rows(st, &a->messages) < 0)
		return db_fail(db, e);
	st = db_prepare(db,
			"INSERT INTO outbox (dossier_id, kind, channel, recipient, subject, "
			"body, status, next_attempt_at, created_at, webhook_id) SELECT ?, ?, "
			"'webhook', url, ?, ?, 'pending', ?, ?, id FROM webhook WHERE unit_id = ? "
			"AND active = 1 RETURNING id");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, x->dossier_id);
	db_bind_text(st, 2, okind);
	db_bind_text(st, 3, a->subject);
	db_bind_text(st, 4, a->body);
	db_bind_int(st, 5, a->c->now);
	db_bind_int(st, 6, a->c->now);
	db_bind_int(st, 7, x->unit_id);
	return count_rows(st, &a->messages) < 0 ? db_fail(db, e) : 0;
}

/* "14:30 ngày 26/02/2026" */
static const char *
when_vi(struct arena *ar, int64_t t)
{
	struct civil cv;
	civil_from_epoch(t, &cv);
	return arena_printf(ar, "%02d:%02d ngày %02d/%02d/%04d", cv.hour, cv.minute, cv.day,
			    cv.month, cv.year);
}

static void
compose(const struct ctx *c, const struct cand *x, int64_t left, struct warn_args *a)
{
	struct arena *ar = c->arena;
	const char *what = x->step_seq
			       ? arena_printf(ar, "bước “%s”", x->step_name ? x->step_name : "")
			       : "hạn trả kết quả";
	const char *due = when_vi(ar, x->due);
	if (x->late) {
		a->subject = arena_printf(ar, "Hồ sơ %s đã quá hạn %s", x->code, what);
		a->body = arena_printf(ar,
				       "Hồ sơ %s (%s) đã quá hạn %s: hạn là %s.\n"
				       "Đề nghị xử lý ngay; nếu không kịp, lập văn bản xin lỗi và "
				       "hẹn lại ngày trả kết quả.",
				       x->code, x->procedure ? x->procedure : "", what, due);
	} else {
		a->subject = arena_printf(ar, "Hồ sơ %s sắp đến hạn %s", x->code, what);
		a->body = arena_printf(ar,
				       "Hồ sơ %s (%s) sắp đến hạn %s: hạn là %s, còn %" PRId64
				       " giờ %02" PRId64 " phút làm việc.",
				       x->code, x->procedure ? x->procedure : "", what, due,
				       left / 60, left % 60);
	}
}

static void
warn_all(const struct ctx *c, int64_t lead, struct cand *v, size_t n, struct sweep_report *r)
{
	for (size_t i = 0; i < n; i++) {
		struct cand *x = &v[i];
		struct err e = ERR_INIT;
		int64_t left = 0;
		x->late = x->due <= c->now;
		if (!x->late) {
			const struct clock *clk = clocksvc_get(c, x->unit_clock, &e);
			if (!clk || clock_working_between(clk, c->now, x->due, &left, &e) < 0) {
				r->errors++;
				log_event(LOG_WARN, "sweep_clock", "dossier", x->code, "error",
					  e.message_en, NULL);
				continue;
			}
			if (left > lead)
				continue; /* within the calendar horizon, not the working time */
		}
		struct warn_args a = {c, x, NULL, NULL, 0, 0};
		compose(c, x, left, &a);
		if (db_tx(c->db, warn_tx, &a, &e) < 0) {
			r->errors++;
			log_event(LOG_ERROR, "sweep_warning", "dossier", x->code, "error",
				  e.message_en, NULL);
			continue;
		}
		if (!a.inserted)
			continue;
		if (x->late)
			r->late++;
		else
			r->due_soon++;
		r->messages += a.messages;
		char step[16];
		snprintf(step, sizeof(step), "%d", x->step_seq);
		log_event(LOG_INFO, x->late ? "dossier_late" : "dossier_due_soon", "dossier",
			  x->code, "step", step, NULL);
	}
}

static int
lapse_all(const struct ctx *c, struct sweep_report *r, struct err *e)
{
	struct db_stmt *st = db_prepare(c->db, "SELECT code FROM dossier WHERE state = "
					       "'waiting_supplement' AND supplement_deadline <= ? "
					       "ORDER BY supplement_deadline LIMIT ?");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, c->now);
	db_bind_int(st, 2, SWEEP_BATCH);
	const char **codes = arena_alloc(c->arena, SWEEP_BATCH * sizeof(*codes));
	size_t n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && n < SWEEP_BATCH)
		codes[n++] = col_dup(c->arena, st, 0);
	db_reset(st);
	if (rc == DB_ERROR)
		return db_fail(c->db, e);
	for (size_t i = 0; i < n; i++) {
		struct action_in a;
		memset(&a, 0, sizeof(a));
		a.action = LA_LAPSE;
		a.note = "Hết thời hạn bổ sung hồ sơ";
		struct err ae = ERR_INIT;
		if (dossier_act(c, codes[i], &a, &ae) < 0) {
			if (ae.code == ERR_CONFLICT || ae.code == ERR_NOT_FOUND)
				continue; /* lapsed, supplied or gone meanwhile */
			r->errors++;
			log_event(LOG_ERROR, "sweep_lapse", "dossier", codes[i], "error",
				  ae.message_en, NULL);
			continue;
		}
		r->lapsed++;
		log_event(LOG_INFO, "dossier_lapsed", "dossier", codes[i], NULL);
	}
	return 0;
}

int
sweep_run(const struct ctx *c, struct sweep_report *r, struct err *e)
{
	memset(r, 0, sizeof(*r));
	if (!c->actor || c->actor->via != ACTOR_SYSTEM)
		return err_set(e, ERR_FORBIDDEN, "", "Chỉ hệ thống chạy được lượt rà soát",
			       "only the system runs the sweep");
	int64_t lead = sweep_lead_minutes(c->db);
	struct cand *v = NULL;
	size_t n = 0;
	if (read_candidates(c, horizon(c, lead), &v, &n, e) < 0)
		return -1;
	warn_all(c, lead, v, n, r);
	return lapse_all(c, r, e);
}
