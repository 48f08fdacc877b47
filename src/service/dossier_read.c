/*
 * dossier_read.c: reading dossiers: one dossier for staff in scope, work lists, the
 * citizen's lookup, the explanation of a due date, and the check of every event chain.
 */
#include "service/audit.h"
#include "service/clocksvc.h"
#include "service/dossier.h"
#include "service/unit.h"
#include "core/buf.h"
#include "core/civil.h"
#include "core/text.h"
#include "crypto/crypto.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

#define DOSSIER_COLS                                                                               \
	"d.id, d.code, d.state, d.receiving_unit_id, d.competent_unit_id, d.procedure_code, "      \
	"d.procedure_name, d.procedure_version, d.field_code, d.case_name, d.channel, "            \
	"d.applicant_kind, d.applicant_name, d.applicant_id_type, d.applicant_id_number, "         \
	"d.applicant_birth_date, d.applicant_address, d.applicant_phone, d.applicant_email, "      \
	"d.rep_name, d.rep_id_number, d.rep_phone, d.rep_relation, d.delivery_method, "            \
	"d.delivery_address, d.postal_tracking, d.postal_status, d.fee_amount, d.fee_status, "     \
	"d.fee_method, d.time_unit, d.time_minutes, COALESCE(d.submitted_at, 0), "                 \
	"COALESCE(d.received_at, 0), COALESCE(d.clock_start_at, 0), COALESCE(d.due_at, 0), "       \
	"COALESCE(d.original_due_at, 0), COALESCE(d.paused_at, 0), "                               \
	"COALESCE(d.finished_at, 0), COALESCE(d.returned_at, 0), "                                 \
	"COALESCE(d.supplement_deadline, 0), d.supplement_count, d.supplement_items, "             \
	"d.outcome, d.result_number, d.result_signer, d.result_date, d.return_recipient, "         \
	"d.return_method, d.refusal_reason, COALESCE(d.ext_due_at, 0), d.ext_reason, "             \
	"d.lookup_token, d.current_step, COALESCE(d.holder_unit_id, 0), d.holder_role, "           \
	"COALESCE(d.assignee_id, 0), ru.name, cu.name, COALESCE(d.register_no, 0)"

#define DOSSIER_FROM                                                                               \
	" FROM dossier d JOIN unit ru ON ru.id = d.receiving_unit_id JOIN unit cu ON cu.id = "     \
	"d.competent_unit_id"

static void
read_dossier(const struct ctx *c, struct db_stmt *st, struct dossier_rec *d)
{
	struct arena *a = c->arena;
	int i = 0;
#define T() arena_strdup(a, db_col_text(st, i++))
#define I() db_col_int(st, i++)
	memset(d, 0, sizeof(*d));
	d->id = I();
	d->code = T();
	d->state = (enum lc_state)lc_state_parse(db_col_text(st, i++));
	d->receiving_unit_id = I();
	d->competent_unit_id = I();
	d->procedure_code = T();
	d->procedure_name = T();
	d->procedure_version = (int)I();
	d->field_code = T();
	d->case_name = T();
	d->channel = (int)I();
	d->applicant.kind = T();
	d->applicant.name = T();
	d->applicant.id_type = T();
	d->applicant.id_number = T();
	d->applicant.birth_date = T();
	d->applicant.address = T();
	d->applicant.phone = T();
	d->applicant.email = T();
	d->rep.name = T();
	d->rep.id_number = T();
	d->rep.phone = T();
	d->rep.relation = T();
	d->delivery_method = T();
	d->delivery_address = T();
	d->postal_tracking = T();
	d->postal_status = T();
	d->fee_amount = I();
	d->fee_status = T();
	d->fee_method = T();
	d->time_unit = T();
	d->time_minutes = I();
	d->submitted_at = I();
	d->received_at = I();
	d->clock_start_at = I();
	d->due_at = I();
	d->original_due_at = I();
	d->paused_at = I();
	d->finished_at = I();
	d->returned_at = I();
	d->supplement_deadline = I();
	d->supplement_count = (int)I();
	d->supplement_items = T();
	d->outcome = T();
	d->result_number = T();
	d->result_signer = T();
	d->result_date = T();
	d->return_recipient = T();
	d->return_method = T();
	d->refusal_reason = T();
	d->ext_due_at = I();
	d->ext_reason = T();
	d->lookup_token = T();
	d->current_step = (int)I();
	d->holder_unit_id = I();
	d->holder_role = T();
	d->assignee_id = I();
	d->receiving_unit_name = T();
	d->competent_unit_name = T();
	d->register_no = I();
#undef T
#undef I
}

static int
load_by_code(const struct ctx *c, const char *code, struct dossier_rec *d, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(c->db, "SELECT " DOSSIER_COLS DOSSIER_FROM " WHERE d.code = ?");
	if (!st)
		return db_fail(c->db, e);
	db_bind_text(st, 1, code);
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_dossier(c, st, d);
	db_reset(st);
	if (rc == DB_DONE)
		return err_set(e, ERR_NOT_FOUND, "code", "Không tìm thấy hồ sơ",
			       "dossier not found");
	return rc == DB_ROW ? 0 : db_fail(c->db, e);
}

#define DETAIL_STEPS	  1u
#define DETAIL_HISTORY	  2u /* events and due history: staff only */
#define DETAIL_COMPONENTS 4u
#define DETAIL_ALL	  0xffu

static int load_history(const struct ctx *c, struct dossier_rec *d, struct err *e);

static int
load_details(const struct ctx *c, struct dossier_rec *d, unsigned what, struct err *e)
{
	struct db *db = c->db;
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT s.seq, s.name, s.role, s.unit_id, u.name, s.minutes, COALESCE(s.due_at, 0), "
	    "COALESCE(s.started_at, 0), COALESCE(s.finished_at, 0), COALESCE(s.assignee_id, 0), "
	    "au.full_name, s.outcome, s.transferred FROM dossier_step s JOIN unit u ON u.id = "
	    "s.unit_id LEFT JOIN app_user au ON au.id = s.assignee_id WHERE s.dossier_id = ? "
	    "ORDER BY s.seq");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, d->id);
	d->steps = arena_zalloc(c->arena, DOSSIER_MAX_STEPS * 2 * sizeof(*d->steps));
	while (db_step(st) == DB_ROW && d->nsteps < DOSSIER_MAX_STEPS * 2) {
		struct dossier_step_rec *s = &d->steps[d->nsteps++];
		s->seq = (int)db_col_int(st, 0);
		s->name = arena_strdup(c->arena, db_col_text(st, 1));
		s->role = arena_strdup(c->arena, db_col_text(st, 2));
		s->unit_id = db_col_int(st, 3);
		s->unit_name = arena_strdup(c->arena, db_col_text(st, 4));
		s->minutes = db_col_int(st, 5);
		s->due_at = db_col_int(st, 6);
		s->started_at = db_col_int(st, 7);
		s->finished_at = db_col_int(st, 8);
		s->assignee_id = db_col_int(st, 9);
		s->assignee_name = arena_strdup(c->arena, db_col_text(st, 10));
		s->outcome = arena_strdup(c->arena, db_col_text(st, 11));
		s->transferred = (int)db_col_int(st, 12);
	}
	db_reset(st);
	if (what & DETAIL_HISTORY) {
		if (load_history(c, d, e) < 0)
			return -1;
	}
	if (!(what & DETAIL_COMPONENTS))
		return 0;
	st = db_prepare(db, "SELECT seq, name, originals, copies, file_sha256 FROM "
			    "dossier_component WHERE dossier_id = ? ORDER BY seq");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, d->id);
	d->components = arena_zalloc(c->arena, DOSSIER_MAX_COMPONENTS * sizeof(*d->components));
	while (db_step(st) == DB_ROW && d->ncomponents < DOSSIER_MAX_COMPONENTS) {
		struct dossier_component_rec *r = &d->components[d->ncomponents++];
		r->seq = (int)db_col_int(st, 0);
		r->name = arena_strdup(c->arena, db_col_text(st, 1));
		r->originals = (int)db_col_int(st, 2);
		r->copies = (int)db_col_int(st, 3);
		r->file_sha256 = arena_strdup(c->arena, db_col_text(st, 4));
	}
	db_reset(st);
	return 0;
}

/* the event log and the due-date history */
static int
load_history(const struct ctx *c, struct dossier_rec *d, struct err *e)
{
	struct db *db = c->db;
	struct db_stmt *st;
	st = db_prepare(db, "SELECT seq, at, actor_name, action, from_state, to_state, note, "
			    "step_seq FROM dossier_event WHERE dossier_id = ? ORDER BY seq");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, d->id);
	size_t cap = 16;
	d->events = arena_alloc(c->arena, cap * sizeof(*d->events));
	while (db_step(st) == DB_ROW) {
		if (d->nevents == cap) {
			struct dossier_event_rec *nv = arena_alloc(c->arena, 2 * cap * sizeof(*nv));
			memcpy(nv, d->events, cap * sizeof(*nv));
			d->events = nv;
			cap *= 2;
		}
		struct dossier_event_rec *ev = &d->events[d->nevents++];
		ev->seq = (int)db_col_int(st, 0);
		ev->at = db_col_int(st, 1);
		ev->actor = arena_strdup(c->arena, db_col_text(st, 2));
		ev->action = arena_strdup(c->arena, db_col_text(st, 3));
		ev->from_state = arena_strdup(c->arena, db_col_text(st, 4));
		ev->to_state = arena_strdup(c->arena, db_col_text(st, 5));
		ev->note = arena_strdup(c->arena, db_col_text(st, 6));
		ev->step_seq = (int)db_col_int(st, 7);
	}
	db_reset(st);
	st = db_prepare(db,
			"SELECT at, due_at, reason, by_name FROM dossier_due WHERE dossier_id = ? "
			"ORDER BY seq");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, d->id);
	d->dues = arena_zalloc(c->arena, 64 * sizeof(*d->dues));
	while (db_step(st) == DB_ROW && d->ndues < 64) {
		struct dossier_due_rec *r = &d->dues[d->ndues++];
		r->at = db_col_int(st, 0);
		r->due_at = db_col_int(st, 1);
		r->reason = arena_strdup(c->arena, db_col_text(st, 2));
		r->by = arena_strdup(c->arena, db_col_text(st, 3));
	}
	db_reset(st);
	return 0;
}

/* Staff see a dossier when one of their roles covers its receiving or competent unit, or the
 * unit of one of its steps (a department consulted through liên thông). */
static int
in_scope(const struct ctx *c, const struct dossier_rec *d)
{
	for (int r = 0; r < ROLE__MAX; r++) {
		if (r == ROLE_ADMIN || r == ROLE_UNIT_ADMIN)
			continue; /* administering a unit is not reading its citizens' files */
		if (authz_has(c, (enum role)r, d->receiving_unit_id) ||
		    authz_has(c, (enum role)r, d->competent_unit_id))
			return 1;
		for (size_t i = 0; i < d->nsteps; i++)
			if (authz_has(c, (enum role)r, d->steps[i].unit_id))
				return 1;
	}
	return 0;
}

int
dossier_get(const struct ctx *c, const char *code, struct dossier_rec *out, struct err *e)
{
	if (!c->actor)
		return err_set(e, ERR_UNAUTHENTICATED, "", "Cần đăng nhập", "login required");
	int rd = db_read_begin(c->db);
	int rc = load_by_code(c, code, out, e) < 0 || load_details(c, out, DETAIL_ALL, e) < 0;
	db_read_end(c->db, rd);
	if (rc)
		return -1;
	if (!in_scope(c, out)) {
		/* the same answer as a missing dossier: no one learns which codes exist */
		memset(out, 0, sizeof(*out));
		return err_set(e, ERR_NOT_FOUND, "code", "Không tìm thấy hồ sơ",
			       "dossier not found");
	}
	return 0;
}

static int lookup_with(const struct ctx *c, const char *code, const char *id_number,
		       const char *token, struct dossier_rec *out, unsigned what, struct err *e);

int
dossier_lookup(const struct ctx *c, const char *code, const char *id_number, const char *token,
	       struct dossier_rec *out, struct err *e)
{
	return lookup_with(c, code, id_number, token, out, DETAIL_STEPS | DETAIL_COMPONENTS, e);
}

int
dossier_lookup_steps(const struct ctx *c, const char *code, const char *id_number,
		     const char *token, struct dossier_rec *out, struct err *e)
{
	return lookup_with(c, code, id_number, token, out, DETAIL_STEPS, e);
}

/* lookup_in: lookup_with's reads, in one snapshot */
static int
lookup_in(const struct ctx *c, const char *code, const char *id_number, const char *token,
	  struct dossier_rec *out, unsigned what, struct err *e)
{
	int rc = load_by_code(c, code, out, e);
	if (rc < 0 && e->code != ERR_NOT_FOUND)
		return -1;
	int ok =
	    rc == 0 &&
	    ((token && *token && out->lookup_token && crypto_equal(token, out->lookup_token)) ||
	     (id_number && *id_number && out->applicant.id_number &&
	      crypto_equal(id_number, out->applicant.id_number)) ||
	     (id_number && *id_number && out->rep.id_number &&
	      crypto_equal(id_number, out->rep.id_number)));
	if (!ok) {
		memset(out, 0, sizeof(*out));
		return err_set(e, ERR_NOT_FOUND, "code",
			       "Không tìm thấy hồ sơ với mã và thông tin đã nhập",
			       "no dossier matches this code and identification");
	}
	return load_details(c, out, what, e);
}

static int
lookup_with(const struct ctx *c, const char *code, const char *id_number, const char *token,
	    struct dossier_rec *out, unsigned what, struct err *e)
{
	if ((!id_number || !*id_number) && (!token || !*token))
		return err_set(e, ERR_VALIDATION, "id_number",
			       "Cần số giấy tờ của chủ hồ sơ hoặc mã tra cứu",
			       "the applicant's ID number or the lookup token is required");
	int rd = db_read_begin(c->db);
	int rc = lookup_in(c, code, id_number, token, out, what, e);
	db_read_end(c->db, rd);
	return rc;
}

/* ---- work lists ---- */

static int
covered_units(const struct ctx *c, int64_t within, struct buf *ids, int *n, struct err *e)
{
	/* the units where the actor holds a staff role, narrowed to `within`'s subtree */
	char within_path[UNIT_PATH_MAX] = "";
	if (within && unit_path(c, within, within_path, sizeof(within_path)) < 0)
		return err_set(e, ERR_VALIDATION, "unit", "Không tìm thấy đơn vị",
			       "unit not found");
	*n = 0;
	struct db_stmt *st = db_prepare(c->db, "SELECT id, path FROM unit ORDER BY id");
	if (!st)
		return db_fail(c->db, e);
	while (db_step(st) == DB_ROW) {
		const char *path = db_col_text(st, 1);
		if (within && !role_path_covers(within_path, path))
			continue;
		int ok = c->actor->via == ACTOR_SYSTEM;
		for (int g = 0; !ok && g < c->actor->ngrants; g++) {
			enum role r = c->actor->grants[g].role;
			if (r == ROLE_ADMIN || r == ROLE_UNIT_ADMIN)
				continue;
			ok = role_path_covers(c->actor->grants[g].unit_path, path);
		}
		if (ok) {
			buf_addf(ids, "%s%" PRId64, *n ? "," : "", db_col_int(st, 0));
			(*n)++;
		}
	}
	db_reset(st);
	return 0;
}

int
dossier_list(const struct ctx *c, const struct dossier_filter *f, struct dossier_list *out,
	     struct err *e)
{
	memset(out, 0, sizeof(*out));
	if (!c->actor)
		return err_set(e, ERR_UNAUTHENTICATED, "", "Cần đăng nhập", "login required");
	const char *queue = f->queue ? f->queue : "unit";
	static const char *const queues[] = {"mine",	"unit", "due_soon", "overdue",
					     "waiting", "all",	NULL};
	int qi = -1;
	for (int i = 0; queues[i]; i++)
		if (strcmp(queues[i], queue) == 0)
			qi = i;
	if (qi < 0)
		return err_set(e, ERR_VALIDATION, "queue",
			       "Danh sách: mine, unit, due_soon, overdue, waiting hoặc all",
			       "queue is mine, unit, due_soon, overdue, waiting or all");
	if (f->state && lc_state_parse(f->state) < 0)
		return err_set(e, ERR_VALIDATION, "status", "Trạng thái không hợp lệ",
			       "unknown status");
	struct buf ids = BUF_INIT(1 << 20);
	int nunits = 0;
	if (covered_units(c, f->unit_id, &ids, &nunits, e) < 0) {
		buf_release(&ids);
		return -1;
	}
	int limit = f->limit > 0 && f->limit <= 500 ? f->limit : 50;
	int by_due = qi != 5;
	/* keyset: due lists go by (due_at, id), the full list by id descending */
	int64_t cur_due = 0, cur_id = 0;
	if (f->cursor) {
		char *end;
		if (by_due) {
			cur_due = strtoll(f->cursor, &end, 10);
			if (*end != '.' || (cur_id = strtoll(end + 1, &end, 10)) <= 0 || *end) {
				buf_release(&ids);
				return err_set(e, ERR_VALIDATION, "cursor",
					       "Con trỏ trang không hợp lệ", "invalid cursor");
			}
		} else if ((cur_id = strtoll(f->cursor, &end, 10)) <= 0 || *end) {
			buf_release(&ids);
			return err_set(e, ERR_VALIDATION, "cursor", "Con trỏ trang không hợp lệ",
				       "invalid cursor");
		}
	}
	if (nunits == 0) {
		buf_release(&ids);
		out->items = arena_alloc(c->arena, sizeof(*out->items));
		return 0;
	}
	struct buf sql = BUF_INIT(2 << 20);
	buf_adds(&sql, "SELECT " DOSSIER_COLS DOSSIER_FROM " WHERE ");
	const char *open_states = "('accepted','processing','waiting_supplement',"
				  "'waiting_payment','stopped','result_ready')";
	switch (qi) {
	case 0:
		buf_addf(&sql, "d.assignee_id = %" PRId64 " AND d.holder_unit_id IN (%s)",
			 c->actor->user_id, ids.data);
		break;
	case 1:
		buf_addf(&sql, "d.holder_unit_id IN (%s) AND d.state IN %s", ids.data, open_states);
		break;
	case 2:
		buf_addf(&sql,
			 "d.holder_unit_id IN (%s) AND d.state IN ('accepted','processing') AND "
			 "d.due_at >= %" PRId64 " AND d.due_at < %" PRId64,
			 ids.data, c->now, c->now + 86400);
		break;
	case 3:
		buf_addf(&sql,
			 "d.holder_unit_id IN (%s) AND d.state IN ('accepted','processing') AND "
			 "d.due_at < %" PRId64,
			 ids.data, c->now);
		break;
	case 4:
		buf_addf(&sql,
			 "d.holder_unit_id IN (%s) AND d.state IN ('waiting_supplement',"
			 "'waiting_payment','stopped')",
			 ids.data);
		break;
	default:
		buf_addf(&sql, "(d.receiving_unit_id IN (%s) OR d.competent_unit_id IN (%s))",
			 ids.data, ids.data);
	}
	buf_release(&ids);
	/* user-given values are bound, never formatted into the SQL */
	int nb = 0;
	const char *binds_t[8];
	int64_t binds_i[8];
	int is_text[8];
#define BIND_T(v) (binds_t[nb] = (v), is_text[nb++] = 1)
#define BIND_I(v) (binds_i[nb] = (v), is_text[nb++] = 0)
	if (f->state) {
		buf_adds(&sql, " AND d.state = ?");
		BIND_T(f->state);
	}
	if (f->procedure_code) {
		buf_adds(&sql, " AND d.procedure_code = ?");
		BIND_T(f->procedure_code);
	}
	if (f->channel) {
		buf_adds(&sql, " AND d.channel = ?");
		BIND_I(f->channel);
	}
	if (f->from) {
		buf_adds(&sql, " AND d.received_at >= ?");
		BIND_I(f->from);
	}
	if (f->to) {
		buf_adds(&sql, " AND d.received_at < ?");
		BIND_I(f->to);
	}
	if (f->due_before) {
		buf_adds(&sql, " AND d.due_at < ?");
		BIND_I(f->due_before);
	}
	char *like = NULL;
	if (f->q && *f->q) {
		struct buf fq = BUF_INIT(1024);
		if (text_fold(f->q, &fq) < 0 || fq.overflow) {
			buf_release(&fq);
			buf_release(&sql);
			return err_set(e, ERR_VALIDATION, "q", "Từ khóa không hợp lệ",
				       "invalid query");
		}
		/* % and _ typed by a user are literal */
		struct buf esc = BUF_INIT(4096);
		for (size_t i = 0; fq.data && i < fq.len; i++) {
			if (fq.data[i] == '%' || fq.data[i] == '_' || fq.data[i] == '\\')
				buf_addc(&esc, '\\');
			buf_addc(&esc, fq.data[i]);
		}
		like = arena_printf(c->arena, "%%%s%%", esc.data ? esc.data : "");
		buf_release(&esc);
		buf_release(&fq);
		buf_adds(&sql, " AND d.search_fold LIKE ? ESCAPE '\\'");
		BIND_T(like);
	}
	if (f->cursor) {
		if (by_due) {
			buf_adds(&sql, " AND (d.due_at > ? OR (d.due_at = ? AND d.id > ?))");
			BIND_I(cur_due);
			BIND_I(cur_due);
			BIND_I(cur_id);
		} else {
			buf_adds(&sql, " AND d.id < ?");
			BIND_I(cur_id);
		}
	}
	/* in the due-ordered queues every dossier has a due date (only an online submission not
	 * yet accepted has none, and it is in none of them), so the order is the index's */
	buf_addf(&sql,
		 by_due ? " ORDER BY d.due_at, d.id LIMIT %d" : " ORDER BY d.id DESC LIMIT %d",
		 limit + 1);
#undef BIND_T
#undef BIND_I
	struct db_stmt *st = db_prepare(c->db, sql.data);
	buf_release(&sql);
	if (!st)
		return db_fail(c->db, e);
	for (int i = 0; i < nb; i++) {
		if (is_text[i])
			db_bind_text(st, i + 1, binds_t[i]);
		else
			db_bind_int(st, i + 1, binds_i[i]);
	}
	out->items = arena_zalloc(c->arena, (size_t)(limit + 1) * sizeof(*out->items));
	int rc;
	while ((rc = db_step(st)) == DB_ROW && out->n < (size_t)limit + 1)
		read_dossier(c, st, &out->items[out->n++]);
	db_reset(st);
	if (rc == DB_ERROR)
		return db_fail(c->db, e);
	if (out->n > (size_t)limit) {
		out->n = (size_t)limit;
		const struct dossier_rec *last = &out->items[limit - 1];
		out->next_cursor =
		    by_due ? arena_printf(c->arena, "%" PRId64 ".%" PRId64, last->due_at, last->id)
			   : arena_printf(c->arena, "%" PRId64, last->id);
	}
	return 0;
}

/* ---- why the due date is what it is ---- */

int
dossier_explain_due(const struct ctx *c, const char *code, struct clock_explain *x, int64_t *due,
		    struct err *e)
{
	struct dossier_rec d;
	if (dossier_get(c, code, &d, e) < 0)
		return -1;
	*due = 0;
	if (!d.received_at)
		return 0; /* not accepted yet: no clock */
	struct db_stmt *st = db_prepare(c->db, "SELECT COALESCE(cutoff_minute, -1) FROM dossier "
					       "WHERE id = ?");
	int cutoff = -1;
	if (st) {
		db_bind_int(st, 1, d.id);
		if (db_step(st) == DB_ROW)
			cutoff = (int)db_col_int(st, 0);
		db_reset(st);
	}
	const struct clock *clk = clocksvc_get(c, d.competent_unit_id, e);
	if (!clk)
		return -1;
	int calendar = strcmp(d.time_unit, "calendar_days") == 0;
	struct duration dur = {calendar ? DUR_CALENDAR_DAYS : DUR_WORKING_MINUTES,
			       calendar ? d.time_minutes / 1440 : d.time_minutes};
	int64_t start, cur;
	if (clock_start_of(clk, d.received_at, cutoff, &start, x, e) < 0 ||
	    clock_add(clk, start, &dur, &cur, x, e) < 0)
		return -1;
	/* replay the pauses and the approved extensions in the order they happened */
	int64_t pause_from = 0;
	size_t due_row = 1;
	for (size_t i = 0; i < d.nevents; i++) {
		const struct dossier_event_rec *ev = &d.events[i];
		int a = lc_action_parse(ev->action);
		if (a == LA_REQUEST_SUPPLEMENT || a == LA_REQUEST_PAYMENT || a == LA_STOP) {
			pause_from = ev->at;
		} else if ((a == LA_SUPPLY || a == LA_CONFIRM_PAYMENT || a == LA_RESUME) &&
			   pause_from) {
			if (clock_shift_for_pause(clk, cur, pause_from, ev->at, &cur, x, e) < 0)
				return -1;
			pause_from = 0;
		} else if (a == LA_APPROVE_EXTENSION) {
			while (due_row < d.ndues &&
			       strncmp(d.dues[due_row].reason, "Gia hạn", 7) != 0)
				due_row++;
			if (due_row < d.ndues) {
				const char *reason = d.dues[due_row].reason + strlen("Gia hạn: ");
				if (clock_extend_to(clk, cur, d.dues[due_row].due_at, reason, x,
						    e) < 0)
					return -1;
				cur = d.dues[due_row].due_at;
				due_row++;
			}
		}
	}
	*due = cur;
	return 0;
}

/* ---- the event chains ---- */

int
dossier_verify(struct db *db, int64_t *checked, struct err *e)
{
	*checked = 0;
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT e.dossier_id, e.seq, e.at, COALESCE(e.actor_id, 0), e.actor_name, e.action, "
	    "e.from_state, e.to_state, e.step_seq, e.note, e.prev_hash, e.hash, d.code, "
	    "d.event_seq, d.event_hash FROM dossier_event e JOIN dossier d ON d.id = "
	    "e.dossier_id ORDER BY e.dossier_id, e.seq");
	if (!st)
		return db_fail(db, e);
	int64_t cur_id = -1, expect = 1, tip_seq = 0;
	char prev[65] = ZERO_HASH, tip[65] = "", code[64] = "";
	int rc;
	const char *why = NULL;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		if (id != cur_id) {
			if (cur_id >= 0 && (expect - 1 != tip_seq || strcmp(prev, tip) != 0)) {
				why = "the dossier's chain tip does not match its last event";
				break;
			}
			cur_id = id;
			expect = 1;
			snprintf(prev, sizeof(prev), "%s", ZERO_HASH);
			snprintf(code, sizeof(code), "%s", db_col_text(st, 12));
			tip_seq = db_col_int(st, 13);
			snprintf(tip, sizeof(tip), "%s", db_col_text(st, 14));
			(*checked)++;
		}
		int64_t seq = db_col_int(st, 1);
		char s_seq[24], s_at[24], s_actor[24], s_step[16], hash[65];
		snprintf(s_seq, sizeof(s_seq), "%" PRId64, seq);
		snprintf(s_at, sizeof(s_at), "%" PRId64, db_col_int(st, 2));
		snprintf(s_actor, sizeof(s_actor), "%" PRId64, db_col_int(st, 3));
		snprintf(s_step, sizeof(s_step), "%" PRId64, db_col_int(st, 8));
		const char *fields[] = {s_seq,
					s_at,
					s_actor,
					db_col_text(st, 4),
					db_col_text(st, 5),
					db_col_text(st, 6),
					db_col_text(st, 7),
					s_step,
					db_col_text(st, 9)};
		chain_hash(prev, fields, 9, hash);
		if (seq != expect)
			why = "an event is missing";
		else if (strcmp(prev, db_col_text(st, 10)) != 0)
			why = "prev_hash does not match the previous event";
		else if (strcmp(hash, db_col_text(st, 11)) != 0)
			why = "an event's contents do not match its hash";
		if (why) {
			snprintf(s_seq, sizeof(s_seq), "%" PRId64, seq);
			db_reset(st);
			return err_setf(e, ERR_CONFLICT, "dossier_event",
					"Nhật ký hồ sơ %s bị sửa đổi tại sự kiện %s",
					"dossier %s: event %s is invalid: %s", code, s_seq, why);
		}
		memcpy(prev, hash, sizeof(prev));
		expect++;
	}
	db_reset(st);
	if (rc == DB_ERROR)
		return db_fail(db, e);
	if (!why && cur_id >= 0 && (expect - 1 != tip_seq || strcmp(prev, tip) != 0))
		why = "the dossier's chain tip does not match its last event";
	if (why)
		return err_setf(e, ERR_CONFLICT, "dossier_event", "Nhật ký hồ sơ %s bị sửa đổi",
				"dossier %s: %s", code, why);
	return 0;
}
