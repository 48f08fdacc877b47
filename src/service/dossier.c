/*
 * dossier.c: intake and actions. Reads and lists are in dossier_read.c.
 *
 * Each write is one function run through db_tx_group, so it may execute on another thread's
 * connection: inside it everything uses the `db` argument through a copy of the ctx (cc).
 * Everything that needs no lock (parsing, the catalogue, the clock) is done before.
 */
#include "service/dossier.h"
#include "core/buf.h"
#include "core/civil.h"
#include "core/log.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "service/audit.h"
#include "service/clocksvc.h"
#include "service/dossier_files.h"
#include "service/procedure.h"
#include "service/stats.h"
#include "service/unit.h"
#include "service/user.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static const char *channel_names[] = {NULL, "direct", "online", "postal"};

const char *
dossier_channel_name(int ch)
{
	return ch >= 1 && ch <= 3 ? channel_names[ch] : "unknown";
}

int
dossier_channel_parse(const char *s)
{
	for (int i = 1; s && i <= 3; i++)
		if (strcmp(channel_names[i], s) == 0)
			return i;
	return -1;
}

/* ---- validation of what the applicant wrote ---- */

static int
all_digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int
dossier_id_number_ok(const char *type, const char *number, const char *field, struct err *e)
{
	char f[64];
	snprintf(f, sizeof(f), "%s", field);
	if (!type || !number)
		return err_set(e, ERR_VALIDATION, f, "Thiếu số giấy tờ tùy thân",
			       "identity number is missing");
	if (strcmp(type, "cccd") == 0) {
		if (!all_digits(number, 12))
			return err_set(e, ERR_VALIDATION, f,
				       "Số căn cước công dân phải gồm đúng 12 chữ số",
				       "a CCCD number has exactly 12 digits");
	} else if (strcmp(type, "cmnd") == 0) {
		if (!all_digits(number, 9) && !all_digits(number, 12))
			return err_set(e, ERR_VALIDATION, f, "Số CMND phải gồm 9 hoặc 12 chữ số",
				       "a CMND number has 9 or 12 digits");
	} else if (strcmp(type, "passport") == 0) {
		size_t n = strlen(number);
		int ok = n >= 8 && n <= 9 && isupper((unsigned char)number[0]);
		for (size_t i = 1; ok && i < n; i++)
			ok = isdigit((unsigned char)number[i]) || isupper((unsigned char)number[i]);
		if (!ok)
			return err_set(
			    e, ERR_VALIDATION, f,
			    "Số hộ chiếu gồm 8–9 ký tự, bắt đầu bằng chữ in hoa",
			    "a passport number has 8-9 characters starting with a capital");
	} else if (strcmp(type, "tax_code") == 0) {
		/* 10 digits, or a branch's 10 digits, a hyphen and 3 digits */
		size_t n = strlen(number);
		int ok = n == 10   ? all_digits(number, 10)
			 : n == 14 ? strspn(number, "0123456789") == 10 && number[10] == '-' &&
					 strspn(number + 11, "0123456789") == 3
				   : 0;
		if (!ok)
			return err_set(e, ERR_VALIDATION, f,
				       "Mã số thuế gồm 10 chữ số (hoặc 10 chữ số-3 chữ số)",
				       "a tax code has 10 digits (or 10-3 digits)");
	} else {
		return err_set(e, ERR_VALIDATION, f, "Loại giấy tờ không hợp lệ",
			       "unknown identity document type");
	}
	return 0;
}

static int
phone_ok(const char *p)
{
	if (!p)
		return 1;
	const char *s = p[0] == '+' ? p + 1 : p;
	size_t n = strlen(s);
	return n >= 9 && n <= 12 && strspn(s, "0123456789") == n;
}

static int
person_ok(const struct person *p, const char *prefix, int is_rep, struct err *e)
{
	char f[64];
	if (!is_rep &&
	    (!p->kind || (strcmp(p->kind, "person") && strcmp(p->kind, "organisation")))) {
		snprintf(f, sizeof(f), "%s.kind", prefix);
		return err_set(e, ERR_VALIDATION, f, "Chủ hồ sơ là cá nhân hoặc tổ chức",
			       "kind is person or organisation");
	}
	snprintf(f, sizeof(f), "%s.id_number", prefix);
	if (p->id_number || !is_rep) {
		const char *type = p->id_type					       ? p->id_type
				   : (p->kind && strcmp(p->kind, "organisation") == 0) ? "tax_code"
										       : "cccd";
		if (dossier_id_number_ok(type, p->id_number, f, e) < 0)
			return -1;
	}
	if (p->birth_date) {
		int64_t d;
		snprintf(f, sizeof(f), "%s.birth_date", prefix);
		if (civil_parse_date(p->birth_date, &d) < 0 || d > civil_day_of_epoch(civil_now()))
			return err_set(e, ERR_VALIDATION, f, "Ngày sinh không hợp lệ",
				       "invalid birth date");
	}
	if (!phone_ok(p->phone)) {
		snprintf(f, sizeof(f), "%s.phone", prefix);
		return err_set(e, ERR_VALIDATION, f, "Số điện thoại không hợp lệ",
			       "invalid phone number");
	}
	if (p->email && !text_email_ok(p->email)) {
		snprintf(f, sizeof(f), "%s.email", prefix);
		return err_set(e, ERR_VALIDATION, f, "Địa chỉ thư điện tử không hợp lệ",
			       "invalid e-mail address");
	}
	return 0;
}

/* ---- the plan: which unit does each step ---- */

static int64_t
unit_of_kind(const struct ctx *c, const char *kind, int64_t receiving, int64_t competent)
{
	int64_t cand[2] = {receiving, competent};
	for (int i = 0; i < 2; i++) {
		struct unit_rec u;
		struct err ignore = ERR_INIT;
		if (unit_get(c, cand[i], &u, &ignore) == 0 && strcmp(u.kind, kind) == 0)
			return cand[i];
	}
	/* up from the competent unit: a "province" step of a commune's procedure */
	int64_t id = competent;
	for (int depth = 0; depth < 8 && id; depth++) {
		struct unit_rec u;
		struct err ignore = ERR_INIT;
		if (unit_get(c, id, &u, &ignore) < 0)
			break;
		if (strcmp(u.kind, kind) == 0)
			return id;
		id = u.parent_id;
	}
	return competent;
}

struct plan_step {
	const char *name, *role;
	int64_t unit_id, minutes, due;
};

/* ---- intake ---- */

struct intake_args {
	struct ctx cc;
	const struct intake *in;
	const struct proc_version *pv;
	const struct proc_case *pc;
	const char *unit_code;
	int64_t competent;
	int64_t at, start, due;
	enum lc_state state;
	const struct duration *dur;
	struct plan_step *plan;
	size_t nplan;
	int64_t fee;
	const char *token;
	const char *search;
	const char *due_reason;
	struct intake_files files;
	struct intake_result *out;
};

int
dossier_append_event(struct db *db, const struct ctx *c, int64_t dossier_id, int64_t *seq,
		     char *tip, const char *action, const char *from, const char *to, int step,
		     const char *note, int64_t at, struct err *e)
{
	char s_seq[24], s_at[24], s_actor[24], s_step[16], hash[65];
	int64_t next = *seq + 1;
	int64_t actor_id = c->actor ? c->actor->user_id : 0;
	const char *actor_name = c->actor ? c->actor->username : "citizen";
	snprintf(s_seq, sizeof(s_seq), "%" PRId64, next);
	snprintf(s_at, sizeof(s_at), "%" PRId64, at);
	snprintf(s_actor, sizeof(s_actor), "%" PRId64, actor_id);
	snprintf(s_step, sizeof(s_step), "%d", step);
	const char *f[] = {s_seq, s_at, s_actor, actor_name, action, from, to, s_step, note};
	chain_hash(tip, f, 9, hash);
	struct db_stmt *st = db_prepare(db, "INSERT INTO dossier_event (dossier_id, seq, at, "
					    "actor_id, actor_name, action, from_state, to_state, "
					    "step_seq, note, prev_hash, hash) "
					    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, dossier_id);
	db_bind_int(st, 2, next);
	db_bind_int(st, 3, at);
	if (actor_id)
		db_bind_int(st, 4, actor_id);
	else
		db_bind_null(st, 4);
	db_bind_text(st, 5, actor_name);
	db_bind_text(st, 6, action);
	db_bind_text(st, 7, from);
	db_bind_text(st, 8, to);
	db_bind_int(st, 9, step);
	db_bind_text(st, 10, note);
	db_bind_text(st, 11, tip);
	db_bind_text(st, 12, hash);
	int rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(db, e);
	st = db_prepare(db, "UPDATE dossier SET event_seq = ?, event_hash = ? WHERE id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, next);
	db_bind_text(st, 2, hash);
	db_bind_int(st, 3, dossier_id);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(db, e);
	*seq = next;
	memcpy(tip, hash, 65);
	return 0;
}

static int
add_due(struct db *db, const struct ctx *c, int64_t dossier_id, int64_t at, int64_t due,
	const char *reason, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO dossier_due (dossier_id, seq, at, due_at, reason, by_name) "
		"VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM dossier_due WHERE dossier_id = "
		"?), ?, ?, ?, ?)");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, dossier_id);
	db_bind_int(st, 2, dossier_id);
	db_bind_int(st, 3, at);
	db_bind_int(st, 4, due);
	db_bind_text(st, 5, reason);
	db_bind_text(st, 6, c->actor ? c->actor->username : "citizen");
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : db_fail(db, e);
}

/* outbox: a message to the applicant (e-mail when known) and to the unit's webhooks */
static int
notify(struct db *db, const struct ctx *c, int64_t dossier_id, int64_t unit_id, const char *email,
       const char *kind, const char *subject, const char *body, struct err *e)
{
	struct db_stmt *st;
	int rc;
	if (email && *email) {
		st = db_prepare(db, "INSERT INTO outbox (dossier_id, kind, channel, recipient, "
				    "subject, body, status, next_attempt_at, created_at) "
				    "VALUES (?, ?, 'email', ?, ?, ?, 'pending', ?, ?)");
		if (!st)
			return db_fail(db, e);
		db_bind_int(st, 1, dossier_id);
		db_bind_text(st, 2, kind);
		db_bind_text(st, 3, email);
		db_bind_text(st, 4, subject);
		db_bind_text(st, 5, body);
		db_bind_int(st, 6, c->now);
		db_bind_int(st, 7, c->now);
		rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return db_fail(db, e);
	}
	st = db_prepare(db, "INSERT INTO outbox (dossier_id, kind, channel, recipient, subject, "
			    "body, status, next_attempt_at, created_at, webhook_id) "
			    "SELECT ?, ?, 'webhook', url, ?, ?, 'pending', ?, ?, id FROM webhook "
			    "WHERE unit_id = ? AND active = 1");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, dossier_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, subject);
	db_bind_text(st, 4, body);
	db_bind_int(st, 5, c->now);
	db_bind_int(st, 6, c->now);
	db_bind_int(st, 7, unit_id);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : db_fail(db, e);
}

/* counter_next: the value a bound counter upsert (... RETURNING last) gives */
static int
counter_next(struct db *db, struct db_stmt *st, int64_t *out, struct err *e)
{
	int rc = db_step(st);
	*out = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	return rc == DB_ROW ? 0 : db_fail(db, e);
}

/* register_next: the next line of unit's register (Sổ theo dõi hồ sơ) of the civil year of
 * `at`, for a dossier accepted then; a row lock per unit and year, rolled back with it */
static int
register_next(struct db *db, int64_t unit, int64_t at, int64_t *line, struct err *e)
{
	struct civil y;
	civil_from_epoch(at, &y);
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO register_serial (unit_id, year, last) VALUES (?, ?, 1) "
		"ON CONFLICT (unit_id, year) DO UPDATE SET last = register_serial.last + 1 "
		"RETURNING last");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, unit);
	db_bind_int(st, 2, y.year);
	return counter_next(db, st, line, e);
}

static int
intake_tx(struct db *db, void *arg, struct err *e)
{
	struct intake_args *a = arg;
	struct ctx *cc = &a->cc;
	const struct intake *in = a->in;
	cc->db = db;
	struct civil day;
	civil_from_epoch(a->at, &day);
	char yymmdd[8];
	snprintf(yymmdd, sizeof(yymmdd), "%02d%02d%02d", day.year % 100, day.month, day.day);

	/* the daily serial: a row lock per unit and day, rolled back with the intake */
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO dossier_serial (unit_id, day, last) VALUES (?, ?, 1) "
		"ON CONFLICT (unit_id, day) DO UPDATE SET last = dossier_serial.last + 1 "
		"RETURNING last");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, in->receiving_unit_id);
	db_bind_text(st, 2, yymmdd);
	int64_t serial;
	if (counter_next(db, st, &serial, e) < 0)
		return -1;
	char *code = arena_printf(cc->arena, "%s-%s-%04" PRId64, a->unit_code, yymmdd, serial);

	int online = a->state == LC_SUBMITTED;
	int64_t line = 0;
	if (!online && register_next(db, in->receiving_unit_id, a->at, &line, e) < 0)
		return -1;
	const struct person *ap = &in->applicant, *rp = &in->rep;
	const struct plan_step *first = a->nplan ? &a->plan[0] : NULL;
	/* the statistics counters, written in this transaction (service/stats.h) */
	struct stats_row sr;
	struct stats_plan sp = {0};
	memset(&sr, 0, sizeof(sr));
	if (!online && stats_enabled()) {
		sr.unit_id = a->competent;
		snprintf(sr.field, sizeof(sr.field), "%s",
			 a->pv->field_code ? a->pv->field_code : "");
		snprintf(sr.procedure, sizeof(sr.procedure), "%s", a->pv->code);
		sr.channel = in->channel;
		sr.received_at = a->at;
		sr.due_at = a->due;
		stats_plan(&sr, a->at, &sp);
	}
	st = db_prepare(
	    db,
	    "INSERT INTO dossier (code, receiving_unit_id, competent_unit_id, procedure_code, "
	    "procedure_version_id, procedure_version, procedure_name, field_code, case_id, "
	    "case_name, channel, state, status_code, applicant_kind, applicant_name, "
	    "applicant_id_type, applicant_id_number, applicant_birth_date, applicant_address, "
	    "applicant_phone, applicant_email, rep_name, rep_id_number, rep_phone, "
	    "rep_relation, search_fold, delivery_method, delivery_address, fee_amount, "
	    "fee_status, time_unit, time_minutes, cutoff_minute, submitted_at, received_at, "
	    "clock_start_at, due_at, original_due_at, current_step, holder_unit_id, "
	    "holder_role, lookup_token, event_seq, event_hash, created_at, updated_at, "
	    "stat_recv_day, stat_ov_day, register_no) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, NULLIF(?, 0), "
	    "NULLIF(?, 0), NULLIF(?, 0)) RETURNING id");
	if (!st)
		return db_fail(db, e);
	int i = 1;
	db_bind_text(st, i++, code);
	db_bind_int(st, i++, in->receiving_unit_id);
	db_bind_int(st, i++, a->competent);
	db_bind_text(st, i++, a->pv->code);
	db_bind_int(st, i++, a->pv->version_id);
	db_bind_int(st, i++, a->pv->version);
	db_bind_text(st, i++, a->pv->name);
	db_bind_text(st, i++, a->pv->field_code);
	if (a->pc)
		db_bind_int(st, i++, a->pc->id);
	else
		db_bind_null(st, i++);
	db_bind_text(st, i++, a->pc ? a->pc->name : NULL);
	db_bind_int(st, i++, in->channel);
	db_bind_text(st, i++, lc_state_name(a->state));
	db_bind_int(st, i++, lc_state_code(a->state));
	db_bind_text(st, i++, ap->kind);
	db_bind_text(st, i++, ap->name);
	db_bind_text(st, i++,
		     ap->id_type			     ? ap->id_type
		     : strcmp(ap->kind, "organisation") == 0 ? "tax_code"
							     : "cccd");
	db_bind_text(st, i++, ap->id_number);
	db_bind_text(st, i++, ap->birth_date);
	db_bind_text(st, i++, ap->address);
	db_bind_text(st, i++, ap->phone);
	db_bind_text(st, i++, ap->email);
	db_bind_text(st, i++, rp->name);
	db_bind_text(st, i++, rp->id_number);
	db_bind_text(st, i++, rp->phone);
	db_bind_text(st, i++, rp->relation);
	db_bind_text(st, i++, arena_printf(cc->arena, "%s %s", code, a->search));
	db_bind_text(st, i++, in->delivery_method);
	db_bind_text(st, i++, in->delivery_address);
	db_bind_int(st, i++, a->fee);
	db_bind_text(st, i++, a->fee > 0 ? "pending" : "none");
	db_bind_text(st, i++, a->pv->channels[in->channel].time_unit);
	db_bind_int(st, i++, a->pv->channels[in->channel].time_minutes);
	if (a->pv->cutoff_minute >= 0)
		db_bind_int(st, i++, a->pv->cutoff_minute);
	else
		db_bind_null(st, i++);
	db_bind_int(st, i++, a->at);
	if (online) {
		for (int k = 0; k < 4; k++)
			db_bind_null(st, i++);
	} else {
		db_bind_int(st, i++, a->at);
		db_bind_int(st, i++, a->start);
		db_bind_int(st, i++, a->due);
		db_bind_int(st, i++, a->due);
	}
	db_bind_int(st, i++, online ? 0 : 1);
	db_bind_int(st, i++, online ? in->receiving_unit_id : first->unit_id);
	db_bind_text(st, i++, online ? "receiver" : first->role);
	db_bind_text(st, i++, a->token);
	db_bind_text(st, i++, ZERO_HASH);
	db_bind_int(st, i++, a->at);
	db_bind_int(st, i++, a->at);
	db_bind_int(st, i++, sr.recv_day);
	db_bind_int(st, i++, sr.ov_day);
	db_bind_int(st, i++, line);
	int rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	if (rc != DB_ROW)
		return db_fail(db, e);
	if (sp.n && stats_write(db, &sr, &sp, e) < 0)
		return -1;

	st = db_prepare(db, "INSERT INTO dossier_component (dossier_id, seq, name, originals, "
			    "copies, file_sha256) VALUES (?, ?, ?, ?, ?, ?)");
	if (!st)
		return db_fail(db, e);
	for (size_t k = 0; k < in->ncomponents; k++) {
		const struct component_in *ci = &in->components[k];
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, (int64_t)k + 1);
		db_bind_text(st, 3, ci->name);
		db_bind_int(st, 4, ci->originals);
		db_bind_int(st, 5, ci->copies);
		db_bind_text(st, 6, ci->file_sha256);
		rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return db_fail(db, e);
	}
	if (dossier_files_intake_insert(db, cc, id, &a->files, e) < 0)
		return -1;
	st = db_prepare(db, "INSERT INTO dossier_step (dossier_id, seq, name, role, unit_id, "
			    "minutes, due_at, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return db_fail(db, e);
	for (size_t k = 0; k < a->nplan; k++) {
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, (int64_t)k + 1);
		db_bind_text(st, 3, a->plan[k].name);
		db_bind_text(st, 4, a->plan[k].role);
		db_bind_int(st, 5, a->plan[k].unit_id);
		db_bind_int(st, 6, a->plan[k].minutes);
		if (online)
			db_bind_null(st, 7);
		else
			db_bind_int(st, 7, a->plan[k].due);
		if (!online && k == 0)
			db_bind_int(st, 8, a->at);
		else
			db_bind_null(st, 8);
		rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return db_fail(db, e);
	}
	char tip[65] = ZERO_HASH;
	int64_t seq = 0;
	const char *note = arena_printf(cc->arena, "%s %s — %s", dossier_channel_name(in->channel),
					a->pv->code, ap->name);
	if (dossier_append_event(db, cc, id, &seq, tip, online ? "submit" : "receive", "none",
				 lc_state_name(a->state), online ? 0 : 1, note, a->at, e) < 0)
		return -1;
	if (!online) {
		if (add_due(db, cc, id, a->at, a->due, a->due_reason, e) < 0)
			return -1;
		char when[32];
		civil_format_rfc3339(a->due, when);
		char *body = arena_printf(cc->arena,
					  "Hồ sơ %s (%s) đã được tiếp nhận. Ngày hẹn trả kết quả: "
					  "%.10s %.5s. Tra cứu: mã hồ sơ và mã tra cứu %s.",
					  code, a->pv->name, when, when + 11, a->token);
		if (notify(db, cc, id, in->receiving_unit_id, ap->email, "accepted",
			   arena_printf(cc->arena, "Tiếp nhận hồ sơ %s", code), body, e) < 0)
			return -1;
	}
	a->out->id = id;
	a->out->code = code;
	a->out->lookup_token = a->token;
	a->out->due_at = online ? 0 : a->due;
	return 0;
}

static void
lookup_token(char out[16])
{
	/* 12 characters a person can read off a receipt and type: no 0/O, 1/I/L */
	static const char alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
	char raw[CRYPTO_TOKEN_LEN + 1];
	crypto_token(raw);
	for (int i = 0; i < 12; i++)
		out[i] = alphabet[(unsigned char)raw[i] % (sizeof(alphabet) - 1)];
	out[12] = '\0';
}

static int
duration_of(const struct proc_channel *ch, struct duration *d)
{
	if (!ch->time_unit || ch->time_minutes <= 0)
		return -1;
	if (strcmp(ch->time_unit, "calendar_days") == 0) {
		d->unit = DUR_CALENDAR_DAYS;
		d->amount = ch->time_minutes / 1440;
	} else {
		d->unit = DUR_WORKING_MINUTES;
		d->amount = ch->time_minutes;
	}
	return d->amount > 0 ? 0 : -1;
}

static int
prepare_intake(const struct ctx *c, const struct intake *in, enum lc_state state,
	       struct intake_args *a, struct err *e)
{
	memset(a, 0, sizeof(*a));
	a->cc = *c;
	a->in = in;
	a->state = state;
	a->at = in->at ? in->at : c->now;
	if (in->channel < 1 || in->channel > 3)
		return err_set(e, ERR_VALIDATION, "channel",
			       "Kênh nộp là direct, online hoặc postal",
			       "channel is direct, online or postal");
	if (person_ok(&in->applicant, "applicant", 0, e) < 0)
		return -1;
	if (in->rep.name && person_ok(&in->rep, "representative", 1, e) < 0)
		return -1;
	if (in->delivery_method && strcmp(in->delivery_method, "postal") == 0 &&
	    (!in->delivery_address || !*in->delivery_address))
		return err_set(e, ERR_VALIDATION, "delivery.address",
			       "Trả kết quả qua bưu chính cần địa chỉ nhận",
			       "postal delivery needs an address");
	struct proc_version *pv = arena_zalloc(c->arena, sizeof(*pv));
	if (procedure_load(c, in->procedure_code, 0, pv, e) < 0) {
		if (e->code == ERR_NOT_FOUND) {
			e->code = ERR_VALIDATION;
			snprintf(e->field, sizeof(e->field), "procedure");
		}
		return -1;
	}
	a->pv = pv;
	if (!pv->channels[in->channel].offered)
		return err_setf(e, ERR_VALIDATION, "channel",
				"Thủ tục này không nhận hồ sơ qua kênh %s",
				"this procedure is not offered through the %s channel",
				dossier_channel_name(in->channel));
	struct duration *dur = arena_zalloc(c->arena, sizeof(*dur));
	if (duration_of(&pv->channels[in->channel], dur) < 0)
		return err_set(e, ERR_CONFLICT, "procedure",
			       "Thủ tục chưa có thời hạn giải quyết cho kênh này",
			       "the procedure has no processing time for this channel");
	a->dur = dur;
	/* the case */
	if (pv->ncases == 0 && in->case_id)
		return err_set(e, ERR_VALIDATION, "case_id", "Thủ tục không có trường hợp này",
			       "the procedure has no such case");
	for (size_t i = 0; i < pv->ncases; i++)
		if (in->case_id == 0 || pv->cases[i].id == in->case_id) {
			a->pc = &pv->cases[i];
			break;
		}
	if (in->case_id && !a->pc)
		return err_set(e, ERR_VALIDATION, "case_id", "Thủ tục không có trường hợp này",
			       "the procedure has no such case");
	/* components: known ones by id, and every required one present */
	if (in->ncomponents > DOSSIER_MAX_COMPONENTS)
		return err_set(e, ERR_VALIDATION, "components", "Quá nhiều thành phần hồ sơ",
			       "too many components");
	for (size_t i = 0; i < in->ncomponents; i++) {
		struct component_in *ci = (struct component_in *)&in->components[i];
		char f[48];
		snprintf(f, sizeof(f), "components[%zu]", i);
		if (ci->component_id) {
			const struct proc_component *pcomp = NULL;
			for (size_t k = 0; a->pc && k < a->pc->ncomponents; k++)
				if (a->pc->components[k].id == ci->component_id)
					pcomp = &a->pc->components[k];
			if (!pcomp)
				return err_set(e, ERR_VALIDATION, f,
					       "Thành phần không thuộc trường hợp đã chọn",
					       "component not in the chosen case");
			if (!ci->name)
				ci->name = pcomp->name;
		}
		if (!ci->name || !*ci->name)
			return err_set(e, ERR_VALIDATION, f, "Thiếu tên thành phần hồ sơ",
				       "component name missing");
		if (ci->originals < 0 || ci->copies < 0 || ci->originals + ci->copies == 0 ||
		    ci->originals > 100 || ci->copies > 100)
			return err_set(e, ERR_VALIDATION, f, "Số bản chính, bản sao không hợp lệ",
				       "invalid number of originals and copies");
	}
	for (size_t k = 0; state != LC_SUBMITTED && a->pc && k < a->pc->ncomponents; k++) {
		const struct proc_component *pcomp = &a->pc->components[k];
		if (!pcomp->required)
			continue;
		int have = 0;
		for (size_t i = 0; i < in->ncomponents; i++)
			have |= in->components[i].component_id == pcomp->id ||
				(in->components[i].name &&
				 strcmp(in->components[i].name, pcomp->name) == 0);
		if (!have)
			return err_setf(e, ERR_VALIDATION, "components",
					"Hồ sơ thiếu thành phần bắt buộc: %s",
					"a required component is missing: %s", pcomp->name);
	}
	/* files named by components: already in the store (uploaded and fsynced before) */
	if (dossier_files_intake_check(c, in->components, in->ncomponents, state == LC_SUBMITTED,
				       &a->files, e) < 0)
		return -1;
	/* units */
	struct unit_rec ru;
	if (unit_get(c, in->receiving_unit_id, &ru, e) < 0) {
		e->code = ERR_VALIDATION;
		snprintf(e->field, sizeof(e->field), "receiving_unit");
		return -1;
	}
	if (!ru.code)
		return err_set(e, ERR_CONFLICT, "receiving_unit",
			       "Đơn vị tiếp nhận chưa có mã định danh để cấp mã hồ sơ",
			       "the receiving unit has no identifier for dossier codes");
	if (ru.effective_to)
		return err_set(e, ERR_CONFLICT, "receiving_unit",
			       "Đơn vị tiếp nhận đã ngừng hoạt động",
			       "the receiving unit is closed");
	a->unit_code = ru.code;
	a->competent = in->competent_unit_id   ? in->competent_unit_id
		       : pv->competent_unit_id ? pv->competent_unit_id
					       : in->receiving_unit_id;
	struct unit_rec cu;
	if (unit_get(c, a->competent, &cu, e) < 0) {
		e->code = ERR_VALIDATION;
		snprintf(e->field, sizeof(e->field), "competent_unit");
		return -1;
	}
	/* the plan of steps */
	size_t n = a->pc && a->pc->nsteps ? a->pc->nsteps : 1;
	if (n > DOSSIER_MAX_STEPS)
		n = DOSSIER_MAX_STEPS;
	a->plan = arena_zalloc(c->arena, n * sizeof(*a->plan));
	a->nplan = n;
	int64_t total = clock_duration_minutes(dur);
	if (total < 0)
		total = (dur->amount * CLOCK_DAY_MINUTES * 5) / 7; /* calendar days: a share */
	if (a->pc && a->pc->nsteps) {
		for (size_t i = 0; i < n; i++) {
			const struct proc_step *ps = &a->pc->steps[i];
			a->plan[i].name = ps->name;
			a->plan[i].role = ps->role;
			a->plan[i].minutes = ps->minutes;
			a->plan[i].unit_id = ps->unit_id ? ps->unit_id
					     : ps->unit_kind
						 ? unit_of_kind(c, ps->unit_kind,
								in->receiving_unit_id, a->competent)
						 : a->competent;
		}
	} else {
		a->plan[0].name = "Thụ lý, giải quyết";
		a->plan[0].role = "specialist";
		a->plan[0].unit_id = a->competent;
		a->plan[0].minutes = total;
	}
	/* the clock, from acceptance (an online submission starts it when accepted) */
	a->fee = in->fee_amount >= 0 ? in->fee_amount : pv->channels[in->channel].fee;
	char tok[16];
	lookup_token(tok);
	a->token = arena_strdup(c->arena, tok);
	struct buf fold = BUF_INIT(4096);
	text_fold(arena_printf(c->arena, "%s %s %s %s", in->applicant.name, in->applicant.id_number,
			       pv->code, pv->name),
		  &fold);
	a->search = arena_strdup(c->arena, fold.data ? fold.data : "");
	buf_release(&fold);
	if (state == LC_SUBMITTED)
		return 0;
	const struct clock *clk = clocksvc_get(c, a->competent, e);
	if (!clk)
		return -1;
	if (clock_start_of(clk, a->at, pv->cutoff_minute, &a->start, NULL, e) < 0 ||
	    clock_add(clk, a->start, dur, &a->due, NULL, e) < 0)
		return -1;
	int64_t *mins = arena_alloc(c->arena, n * sizeof(int64_t));
	int64_t *dues = arena_alloc(c->arena, n * sizeof(int64_t));
	for (size_t i = 0; i < n; i++)
		mins[i] = a->plan[i].minutes;
	if (clock_steps(clk, a->start, mins, n, dues, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		a->plan[i].due = dues[i] < a->due ? dues[i] : a->due;
	a->due_reason =
	    arena_printf(c->arena, "Hẹn trả theo thời hạn giải quyết %s",
			 pv->channels[in->channel].time_text ? pv->channels[in->channel].time_text
							     : "của thủ tục");
	return 0;
}

int
dossier_intake(const struct ctx *c, const struct intake *in, struct intake_result *out,
	       struct err *e)
{
	if (in->channel == 2)
		return err_set(e, ERR_VALIDATION, "channel",
			       "Hồ sơ trực tuyến do công dân nộp qua cổng dịch vụ công",
			       "online dossiers are submitted by citizens through the portal");
	if (authz_require(c, ROLE_RECEIVER, in->receiving_unit_id, e) < 0)
		return -1;
	struct intake_args a;
	if (prepare_intake(c, in, LC_ACCEPTED, &a, e) < 0)
		return -1;
	a.out = out;
	return db_tx_group(c->db, intake_tx, &a, e);
}

int
dossier_submit(const struct ctx *c, const struct intake *in, struct intake_result *out,
	       struct err *e)
{
	struct intake online = *in;
	online.channel = 2;
	if (!online.delivery_method)
		online.delivery_method = "online";
	struct intake_args a;
	if (prepare_intake(c, &online, LC_SUBMITTED, &a, e) < 0)
		return -1;
	a.in = &online;
	a.out = out;
	return db_tx_group(c->db, intake_tx, &a, e);
}

/* ---- actions ---- */

struct cur {
	int64_t id, receiving, competent, holder, assignee, due, paused_at, ext_due;
	int64_t event_seq, received_at, time_minutes, supplement_deadline, fee_amount;
	int current_step, supplement_count, cutoff, channel;
	enum lc_state state, paused_state;
	char tip[65];
	const char *holder_role, *email, *id_number, *token, *time_unit, *ext_reason;
	const char *procedure_name, *code;
};

struct step_row {
	int seq;
	int64_t unit_id, minutes, due, started, finished, assignee;
	char role[32];
	int transferred;
};

struct act_args {
	struct ctx cc;
	const char *code;
	const struct action_in *in;
	struct cur d;
};

static int
load_cur(struct db *db, const struct ctx *c, const char *code, struct cur *d, struct err *e)
{
	/* the UPDATE locks the row (PostgreSQL) inside the write transaction (SQLite) */
	struct db_stmt *st = db_prepare(
	    db,
	    "UPDATE dossier SET updated_at = ? WHERE code = ? RETURNING id, state, "
	    "receiving_unit_id, competent_unit_id, COALESCE(holder_unit_id, 0), holder_role, "
	    "COALESCE(assignee_id, 0), current_step, COALESCE(due_at, 0), "
	    "COALESCE(paused_at, 0), paused_state, supplement_count, event_seq, event_hash, "
	    "applicant_email, applicant_id_number, lookup_token, COALESCE(received_at, 0), "
	    "time_unit, time_minutes, COALESCE(cutoff_minute, -1), COALESCE(ext_due_at, 0), "
	    "ext_reason, procedure_name, channel, COALESCE(supplement_deadline, 0), fee_amount, "
	    "rep_id_number");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, c->now);
	db_bind_text(st, 2, code);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		struct arena *ar = c->arena;
		d->id = db_col_int(st, 0);
		d->state = (enum lc_state)lc_state_parse(db_col_text(st, 1));
		d->receiving = db_col_int(st, 2);
		d->competent = db_col_int(st, 3);
		d->holder = db_col_int(st, 4);
		d->holder_role = arena_strdup(ar, db_col_text(st, 5));
		d->assignee = db_col_int(st, 6);
		d->current_step = (int)db_col_int(st, 7);
		d->due = db_col_int(st, 8);
		d->paused_at = db_col_int(st, 9);
		const char *ps = db_col_text(st, 10);
		d->paused_state = ps ? (enum lc_state)lc_state_parse(ps) : LC_PROCESSING;
		d->supplement_count = (int)db_col_int(st, 11);
		d->event_seq = db_col_int(st, 12);
		snprintf(d->tip, sizeof(d->tip), "%s", db_col_text(st, 13));
		d->email = arena_strdup(ar, db_col_text(st, 14));
		d->id_number = arena_strdup(ar, db_col_text(st, 15));
		d->token = arena_strdup(ar, db_col_text(st, 16));
		d->received_at = db_col_int(st, 17);
		d->time_unit = arena_strdup(ar, db_col_text(st, 18));
		d->time_minutes = db_col_int(st, 19);
		d->cutoff = (int)db_col_int(st, 20);
		d->ext_due = db_col_int(st, 21);
		d->ext_reason = arena_strdup(ar, db_col_text(st, 22));
		d->procedure_name = arena_strdup(ar, db_col_text(st, 23));
		d->channel = (int)db_col_int(st, 24);
		d->supplement_deadline = db_col_int(st, 25);
		d->fee_amount = db_col_int(st, 26);
		d->code = arena_strdup(ar, code);
	}
	db_reset(st);
	if (rc == DB_DONE)
		return err_set(e, ERR_NOT_FOUND, "code", "Không tìm thấy hồ sơ",
			       "dossier not found");
	if (rc != DB_ROW)
		return db_fail(db, e);
	if ((int)d->state < 0)
		return err_set(e, ERR_INTERNAL, "state", "Trạng thái hồ sơ không hợp lệ",
			       "invalid dossier state");
	return 0;
}

static int
load_step(struct db *db, int64_t dossier_id, int seq, struct step_row *s, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT seq, unit_id, minutes, COALESCE(due_at, 0), COALESCE(started_at, 0), "
		"COALESCE(finished_at, 0), COALESCE(assignee_id, 0), role, transferred "
		"FROM dossier_step WHERE dossier_id = ? AND seq = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, dossier_id);
	db_bind_int(st, 2, seq);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		s->seq = (int)db_col_int(st, 0);
		s->unit_id = db_col_int(st, 1);
		s->minutes = db_col_int(st, 2);
		s->due = db_col_int(st, 3);
		s->started = db_col_int(st, 4);
		s->finished = db_col_int(st, 5);
		s->assignee = db_col_int(st, 6);
		snprintf(s->role, sizeof(s->role), "%s", db_col_text(st, 7));
		s->transferred = (int)db_col_int(st, 8);
		db_reset(st);
		return 1;
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : db_fail(db, e);
}

static int
exec_bind(struct db *db, struct err *e, const char *sql, int n, const int64_t *ints)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return db_fail(db, e);
	for (int i = 0; i < n; i++)
		db_bind_int(st, i + 1, ints[i]);
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE || rc == DB_ROW ? 0 : db_fail(db, e);
}

/* May the actor take transition t on this dossier? */
static int
may_act(const struct ctx *c, const struct lc_transition *t, const struct cur *d,
	const struct step_row *step, const struct action_in *in, struct err *e)
{
	if (in->token && (t->flags & LC_APPLICANT)) {
		if (crypto_equal(in->token, d->token))
			return 0;
		return err_set(e, ERR_FORBIDDEN, "token", "Mã tra cứu không đúng",
			       "wrong lookup token");
	}
	if (!c->actor)
		return err_set(e, ERR_UNAUTHENTICATED, "", "Cần đăng nhập", "login required");
	int64_t units[3];
	int nunits = 0;
	if (t->flags & LC_STEP) {
		units[nunits++] = step ? step->unit_id : d->holder;
	} else {
		switch (t->action) {
		case LA_STOP:
		case LA_RESUME:
		case LA_APPROVE_EXTENSION:
			units[nunits++] = d->competent;
			break;
		case LA_EXTEND:
		case LA_RECALL:
			units[nunits++] = d->holder ? d->holder : d->receiving;
			units[nunits++] = d->competent;
			if (t->action == LA_RECALL)
				units[nunits++] = d->receiving;
			break;
		case LA_CONFIRM_PAYMENT:
			units[nunits++] = d->receiving;
			units[nunits++] = d->competent;
			break;
		default:
			units[nunits++] = d->receiving;
		}
	}
	for (int r = 0; r < ROLE__MAX; r++) {
		if (!lc_role_may(t, (enum role)r))
			continue;
		for (int u = 0; u < nunits; u++) {
			if (!authz_has(c, (enum role)r, units[u]))
				continue;
			/* an assigned step belongs to its assignee among the specialists */
			if ((t->flags & LC_STEP) && r == ROLE_SPECIALIST && step &&
			    step->assignee && step->assignee != c->actor->user_id &&
			    t->action != LA_ASSIGN)
				continue;
			return 0;
		}
	}
	return err_setf(
	    e, ERR_FORBIDDEN, "action", "Bạn không có quyền “%s” đối với hồ sơ này ở bước hiện tại",
	    "you may not '%s' this dossier at its current step", lc_action_vi(t->action));
}

void
dossier_my_actions(const struct ctx *c, const struct dossier_rec *r, char *out, size_t cap)
{
	struct cur d;
	struct step_row step;
	struct action_in in;
	int have_step = 0;
	size_t off = 0;
	memset(&d, 0, sizeof(d));
	memset(&step, 0, sizeof(step));
	memset(&in, 0, sizeof(in));
	out[0] = '\0';
	d.receiving = r->receiving_unit_id;
	d.competent = r->competent_unit_id;
	d.holder = r->holder_unit_id;
	for (size_t i = 0; r->current_step && i < r->nsteps; i++)
		if (r->steps[i].seq == r->current_step) {
			step.seq = r->steps[i].seq;
			step.unit_id = r->steps[i].unit_id;
			step.assignee = r->steps[i].assignee_id;
			have_step = 1;
		}
	for (int a = 0; a < LA__MAX; a++) {
		const struct lc_transition *t = lc_find((enum lc_action)a, r->state);
		struct err e = ERR_INIT;
		if (!t || may_act(c, t, &d, have_step ? &step : NULL, &in, &e) < 0)
			continue;
		int w = snprintf(out + off, cap - off, "%s%s", off ? " " : "",
				 lc_action_name((enum lc_action)a));
		if (w < 0 || (size_t)w >= cap - off)
			break;
		off += (size_t)w;
	}
}

/* the unit and role that hold the dossier at step seq */
static int
set_holder(struct db *db, int64_t id, int seq, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db, "UPDATE dossier SET current_step = ?, holder_unit_id = (SELECT unit_id FROM "
		"dossier_step WHERE dossier_id = ? AND seq = ?), holder_role = (SELECT role FROM "
		"dossier_step WHERE dossier_id = ? AND seq = ?), assignee_id = (SELECT assignee_id "
		"FROM dossier_step WHERE dossier_id = ? AND seq = ?) WHERE id = ?");
	if (!st)
		return db_fail(db, e);
	int64_t v[] = {seq, id, seq, id, seq, id, seq, id};
	for (int i = 0; i < 8; i++)
		db_bind_int(st, i + 1, v[i]);
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : db_fail(db, e);
}

static int
set_state(struct db *db, int64_t id, enum lc_state s, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db, "UPDATE dossier SET state = ?, status_code = ? WHERE id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_text(st, 1, lc_state_name(s));
	db_bind_int(st, 2, lc_state_code(s));
	db_bind_int(st, 3, id);
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : db_fail(db, e);
}

static int
finish_step(struct db *db, int64_t id, const struct step_row *s, int64_t now, struct err *e)
{
	const char *outcome = s->due ? clock_class_name(clock_classify(now, s->due)) : "on_time";
	struct db_stmt *st = db_prepare(db, "UPDATE dossier_step SET finished_at = ?, outcome = ? "
					    "WHERE dossier_id = ? AND seq = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, outcome);
	db_bind_int(st, 3, id);
	db_bind_int(st, 4, s->seq);
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : db_fail(db, e);
}

static int
resolve_user(struct db *db, const char *ref, int64_t *id, struct err *e)
{
	struct db_stmt *st;
	if (ref && *ref && strspn(ref, "0123456789") == strlen(ref) && strlen(ref) < 19) {
		st = db_prepare(db, "SELECT id FROM app_user WHERE id = ? AND disabled = 0");
		if (st)
			db_bind_int(st, 1, strtoll(ref, NULL, 10));
	} else {
		st = db_prepare(db, "SELECT id FROM app_user WHERE username = ? AND disabled = 0");
		if (st)
			db_bind_text(st, 1, ref);
	}
	if (!st)
		return db_fail(db, e);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_reset(st);
	if (rc == DB_ROW)
		return 0;
	return err_set(e, ERR_VALIDATION, "assignee", "Không tìm thấy người được phân công",
		       "assignee not found");
}

/* does user `uid` hold `role` at a unit covering `unit_id`? */
static int
user_holds(struct db *db, int64_t uid, const char *role, int64_t unit_id)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT 1 FROM user_role r JOIN unit g ON g.id = r.unit_id JOIN unit t ON t.id = ? "
	    "WHERE r.user_id = ? AND r.role = ? AND substr(t.path, 1, length(g.path)) = g.path");
	if (!st)
		return 0;
	db_bind_int(st, 1, unit_id);
	db_bind_int(st, 2, uid);
	db_bind_text(st, 3, role);
	int ok = db_step(st) == DB_ROW;
	db_reset(st);
	return ok;
}

/* shift the due date and every unfinished step's due by the pause that ends now */
static int
end_pause(struct db *db, const struct ctx *c, const struct cur *d, const char *why, struct err *e)
{
	if (!d->paused_at)
		return 0;
	const struct clock *clk = clocksvc_get(c, d->competent, e);
	if (!clk)
		return -1;
	int64_t new_due = d->due;
	if (d->due &&
	    clock_shift_for_pause(clk, d->due, d->paused_at, c->now, &new_due, NULL, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "SELECT seq, due_at FROM dossier_step WHERE "
					    "dossier_id = ? AND finished_at IS NULL AND due_at IS "
					    "NOT NULL ORDER BY seq");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, d->id);
	int64_t seqs[DOSSIER_MAX_STEPS * 2], dues[DOSSIER_MAX_STEPS * 2];
	int n = 0;
	while (db_step(st) == DB_ROW && n < DOSSIER_MAX_STEPS * 2) {
		seqs[n] = db_col_int(st, 0);
		dues[n++] = db_col_int(st, 1);
	}
	db_reset(st);
	for (int i = 0; i < n; i++) {
		int64_t nd;
		if (clock_shift_for_pause(clk, dues[i], d->paused_at, c->now, &nd, NULL, e) < 0)
			return -1;
		int64_t v[] = {nd, d->id, seqs[i]};
		if (exec_bind(db, e,
			      "UPDATE dossier_step SET due_at = ? WHERE dossier_id = ? AND seq = ?",
			      3, v) < 0)
			return -1;
	}
	int64_t v[] = {new_due, d->id};
	if (exec_bind(db, e,
		      "UPDATE dossier SET due_at = ?, paused_at = NULL, paused_state = NULL "
		      "WHERE id = ?",
		      2, v) < 0)
		return -1;
	if (new_due != d->due) {
		char from[32], to[32];
		civil_format_rfc3339(d->paused_at, from);
		civil_format_rfc3339(c->now, to);
		const char *reason =
		    arena_printf(c->arena, "%s: tạm dừng từ %.16s đến %.16s", why, from, to);
		if (add_due(db, c, d->id, c->now, new_due, reason, e) < 0)
			return -1;
	}
	return 0;
}

static int
start_pause(struct db *db, const struct ctx *c, const struct cur *d, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "UPDATE dossier SET paused_at = ?, paused_state = ? "
					    "WHERE id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, c->now);
	db_bind_text(st, 2, lc_state_name(d->state == LC_ACCEPTED ? LC_PROCESSING : d->state));
	db_bind_int(st, 3, d->id);
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : db_fail(db, e);
}

static int
need(const char *v, const char *field, const char *vi, const char *en, struct err *e)
{
	if (v && *v)
		return 0;
	return err_set(e, ERR_VALIDATION, field, vi, en);
}

/* shift steps after `after` by delta (+1 or -1) without colliding on the primary key */
static int
shift_steps(struct db *db, int64_t id, int after, int delta, struct err *e)
{
	int64_t v1[] = {id, after};
	if (exec_bind(db, e,
		      "UPDATE dossier_step SET seq = seq + 1000 WHERE dossier_id = ? AND seq > ?",
		      2, v1) < 0)
		return -1;
	int64_t v2[] = {1000 - delta, id};
	return exec_bind(db, e,
			 "UPDATE dossier_step SET seq = seq - ? WHERE dossier_id = ? AND "
			 "seq > 1000",
			 2, v2);
}

static int
act_tx(struct db *db, void *arg, struct err *e)
{
	struct act_args *a = arg;
	struct ctx *c = &a->cc;
	const struct action_in *in = a->in;
	struct cur *d = &a->d;
	c->db = db;
	if (load_cur(db, c, a->code, d, e) < 0)
		return -1;
	const struct lc_transition *t = lc_find(in->action, d->state);
	if (!t) {
		err_setf(e, ERR_CONFLICT, "action",
			 "Không thể “%s” khi hồ sơ đang ở trạng thái “%s”",
			 "cannot '%s' a dossier that is %s", lc_action_vi(in->action),
			 lc_state_vi(d->state));
		snprintf(e->message_en, sizeof(e->message_en), "cannot %s a dossier that is %s",
			 lc_action_name(in->action), lc_state_name(d->state));
		lc_allowed(d->state, e->allowed, sizeof(e->allowed));
		return -1;
	}
	struct step_row step = {0};
	int have_step = d->current_step ? load_step(db, d->id, d->current_step, &step, e) : 0;
	if (have_step < 0)
		return -1;
	if (may_act(c, t, d, have_step ? &step : NULL, in, e) < 0)
		return -1;
	enum lc_state to = (t->flags & LC_SAME) ? d->state : t->to;
	const char *note = in->note ? in->note : in->reason ? in->reason : "";
	int64_t now = c->now;
	int event_step = d->current_step;
	const struct clock *clk;
	int64_t v[8];

	switch (in->action) {
	case LA_ACCEPT: {
		clk = clocksvc_get(c, d->competent, e);
		if (!clk)
			return -1;
		struct duration dur = {
		    strcmp(d->time_unit, "calendar_days") == 0 ? DUR_CALENDAR_DAYS
							       : DUR_WORKING_MINUTES,
		    strcmp(d->time_unit, "calendar_days") == 0 ? d->time_minutes / 1440
							       : d->time_minutes};
		int64_t start, due;
		if (clock_start_of(clk, now, d->cutoff, &start, NULL, e) < 0 ||
		    clock_add(clk, start, &dur, &due, NULL, e) < 0)
			return -1;
		struct db_stmt *st = db_prepare(db, "SELECT seq, minutes FROM dossier_step WHERE "
						    "dossier_id = ? ORDER BY seq");
		if (!st)
			return db_fail(db, e);
		db_bind_int(st, 1, d->id);
		int64_t mins[DOSSIER_MAX_STEPS], dues[DOSSIER_MAX_STEPS];
		size_t n = 0;
		while (db_step(st) == DB_ROW && n < DOSSIER_MAX_STEPS)
			mins[n++] = db_col_int(st, 1);
		db_reset(st);
		if (clock_steps(clk, start, mins, n, dues, e) < 0)
			return -1;
		for (size_t i = 0; i < n; i++) {
			int64_t sv[] = {dues[i] < due ? dues[i] : due, i == 0 ? now : 0, d->id,
					(int64_t)i + 1};
			if (exec_bind(db, e,
				      "UPDATE dossier_step SET due_at = ?, started_at = "
				      "NULLIF(?, 0) WHERE dossier_id = ? AND seq = ?",
				      4, sv) < 0)
				return -1;
		}
		int64_t line;
		if (register_next(db, d->receiving, now, &line, e) < 0)
			return -1;
		int64_t dv[] = {now, start, due, due, line, d->id};
		if (exec_bind(db, e,
			      "UPDATE dossier SET received_at = ?, clock_start_at = ?, "
			      "due_at = ?, original_due_at = ?, register_no = ? WHERE id = ?",
			      6, dv) < 0 ||
		    set_holder(db, d->id, 1, e) < 0)
			return -1;
		if (add_due(db, c, d->id, now, due, "Hẹn trả theo thời hạn giải quyết của thủ tục",
			    e) < 0)
			return -1;
		event_step = 1;
		char when[32];
		civil_format_rfc3339(due, when);
		if (notify(db, c, d->id, d->receiving, d->email, "accepted",
			   arena_printf(c->arena, "Tiếp nhận hồ sơ %s", d->code),
			   arena_printf(c->arena,
					"Hồ sơ %s (%s) đã được tiếp nhận. Ngày hẹn trả kết quả: "
					"%.10s %.5s.",
					d->code, d->procedure_name, when, when + 11),
			   e) < 0)
			return -1;
		break;
	}
	case LA_REFUSE: {
		if (need(in->reason, "reason", "Cần nêu lý do từ chối", "a reason is required", e) <
		    0)
			return -1;
		/* refused after acceptance: the agency's answer, resolved and classified like a
		 * result (service/stats.h) */
		struct db_stmt *st = db_prepare(
		    db, "UPDATE dossier SET refusal_reason = ?, holder_unit_id = NULL, holder_role "
			"= NULL, assignee_id = NULL, finished_at = CASE WHEN received_at IS NULL "
			"THEN NULL ELSE CAST(? AS BIGINT) END, outcome = CASE WHEN received_at IS "
			"NULL THEN NULL ELSE ? END WHERE id = ?");
		if (!st)
			return db_fail(db, e);
		db_bind_text(st, 1, in->reason);
		db_bind_int(st, 2, now);
		db_bind_text(st, 3,
			     d->received_at ? clock_class_name(clock_classify(now, d->due)) : NULL);
		db_bind_int(st, 4, d->id);
		int rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return db_fail(db, e);
		if (notify(db, c, d->id, d->receiving, d->email, "refused",
			   arena_printf(c->arena, "Hồ sơ %s không được tiếp nhận", d->code),
			   arena_printf(c->arena, "Hồ sơ %s không được tiếp nhận. Lý do: %s",
					d->code, in->reason),
			   e) < 0)
			return -1;
		break;
	}
	case LA_ASSIGN: {
		int64_t uid = 0;
		if (need(in->assignee, "assignee", "Cần chọn người xử lý", "assignee is required",
			 e) < 0 ||
		    resolve_user(db, in->assignee, &uid, e) < 0)
			return -1;
		if (!user_holds(db, uid, step.role, step.unit_id) &&
		    !user_holds(db, uid, "specialist", step.unit_id))
			return err_set(
			    e, ERR_VALIDATION, "assignee",
			    "Người được phân công không có vai trò ở đơn vị của bước này",
			    "the assignee holds no role for this step's unit");
		v[0] = uid, v[1] = now, v[2] = d->id, v[3] = step.seq;
		if (exec_bind(db, e,
			      "UPDATE dossier_step SET assignee_id = ?, started_at = "
			      "COALESCE(started_at, ?) WHERE dossier_id = ? AND seq = ?",
			      4, v) < 0)
			return -1;
		v[0] = uid, v[1] = d->id;
		if (exec_bind(db, e, "UPDATE dossier SET assignee_id = ? WHERE id = ?", 2, v) < 0)
			return -1;
		note = arena_printf(c->arena, "%s%s%s", in->assignee, *note ? ": " : "", note);
		break;
	}
	case LA_FORWARD: {
		struct step_row next;
		int has = load_step(db, d->id, d->current_step + 1, &next, e);
		if (has < 0)
			return -1;
		if (!has)
			return err_set(e, ERR_CONFLICT, "action",
				       "Đây là bước cuối: dùng “Hoàn thành xử lý”",
				       "this is the last step: use finish");
		if (finish_step(db, d->id, &step, now, e) < 0)
			return -1;
		v[0] = now, v[1] = d->id, v[2] = next.seq;
		if (exec_bind(db, e,
			      "UPDATE dossier_step SET started_at = ?, finished_at = NULL, "
			      "outcome = NULL WHERE dossier_id = ? AND seq = ?",
			      3, v) < 0 ||
		    set_holder(db, d->id, next.seq, e) < 0)
			return -1;
		event_step = next.seq;
		break;
	}
	case LA_SEND_BACK: {
		if (d->current_step <= 1)
			return err_set(e, ERR_CONFLICT, "action", "Không có bước trước để trả lại",
				       "there is no earlier step to send back to");
		v[0] = d->id, v[1] = d->current_step;
		if (exec_bind(db, e,
			      "UPDATE dossier_step SET started_at = NULL, assignee_id = NULL "
			      "WHERE dossier_id = ? AND seq = ?",
			      2, v) < 0)
			return -1;
		v[0] = now, v[1] = d->id, v[2] = d->current_step - 1;
		if (exec_bind(db, e,
			      "UPDATE dossier_step SET started_at = ?, finished_at = NULL, "
			      "outcome = NULL WHERE dossier_id = ? AND seq = ?",
			      3, v) < 0 ||
		    set_holder(db, d->id, d->current_step - 1, e) < 0)
			return -1;
		event_step = d->current_step - 1;
		break;
	}
	case LA_TRANSFER: {
		int64_t to_unit;
		if (need(in->to_unit, "to_unit", "Cần chọn đơn vị chuyển đến",
			 "to_unit is required", e) < 0 ||
		    unit_resolve(c, in->to_unit, &to_unit, e) < 0) {
			if (e->code == ERR_NOT_FOUND)
				e->code = ERR_VALIDATION;
			snprintf(e->field, sizeof(e->field), "to_unit");
			return -1;
		}
		if (in->minutes <= 0 || in->minutes > CLOCK_MAX_MINUTES)
			return err_set(
			    e, ERR_VALIDATION, "minutes",
			    "Cần thời gian giải quyết của đơn vị nhận (phút làm việc)",
			    "the receiving unit's time budget is required (working minutes)");
		clk = clocksvc_get(c, to_unit, e);
		struct duration dur = {DUR_WORKING_MINUTES, in->minutes};
		int64_t due;
		if (!clk || clock_add(clk, now, &dur, &due, NULL, e) < 0)
			return -1;
		if (finish_step(db, d->id, &step, now, e) < 0 ||
		    shift_steps(db, d->id, d->current_step, 1, e) < 0)
			return -1;
		struct db_stmt *st = db_prepare(
		    db, "INSERT INTO dossier_step (dossier_id, seq, name, role, unit_id, minutes, "
			"due_at, started_at, transferred) VALUES (?, ?, ?, 'specialist', ?, ?, ?, "
			"?, 1)");
		if (!st)
			return db_fail(db, e);
		db_bind_int(st, 1, d->id);
		db_bind_int(st, 2, d->current_step + 1);
		db_bind_text(st, 3, in->note ? in->note : "Xử lý liên thông");
		db_bind_int(st, 4, to_unit);
		db_bind_int(st, 5, in->minutes);
		db_bind_int(st, 6, due);
		db_bind_int(st, 7, now);
		int rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return db_fail(db, e);
		if (set_holder(db, d->id, d->current_step + 1, e) < 0)
			return -1;
		event_step = d->current_step + 1;
		note = arena_printf(c->arena, "→ %s%s%s", in->to_unit, *note ? ": " : "", note);
		break;
	}
	case LA_RECALL: {
		if (d->state == LC_RETURNED) {
			v[0] = d->id;
			if (exec_bind(db, e,
				      "UPDATE dossier SET returned_at = NULL, return_recipient "
				      "= NULL, return_method = NULL, holder_unit_id = "
				      "receiving_unit_id, holder_role = 'receiver' WHERE id = ?",
				      1, v) < 0)
				return -1;
			break;
		}
		if (!step.transferred || step.assignee || d->current_step <= 1)
			return err_set(
			    e, ERR_CONFLICT, "action",
			    "Chỉ thu hồi được hồ sơ vừa chuyển mà đơn vị nhận chưa xử lý",
			    "only a transfer the other unit has not acted on can be "
			    "recalled");
		v[0] = d->id, v[1] = d->current_step;
		if (exec_bind(db, e, "DELETE FROM dossier_step WHERE dossier_id = ? AND seq = ?", 2,
			      v) < 0 ||
		    shift_steps(db, d->id, d->current_step, -1, e) < 0)
			return -1;
		v[0] = d->id, v[1] = d->current_step - 1;
		if (exec_bind(db, e,
			      "UPDATE dossier_step SET finished_at = NULL, outcome = NULL "
			      "WHERE dossier_id = ? AND seq = ?",
			      2, v) < 0 ||
		    set_holder(db, d->id, d->current_step - 1, e) < 0)
			return -1;
		event_step = d->current_step - 1;
		break;
	}
	case LA_REQUEST_SUPPLEMENT: {
		if (in->nitems == 0)
			return err_set(e, ERR_VALIDATION, "items",
				       "Cần liệt kê đầy đủ các nội dung phải bổ sung (một lần)",
				       "list everything to supply (all at once)");
		int64_t days = in->period_days ? in->period_days : DOSSIER_SUPPLEMENT_DAYS;
		if (days < 1 || days > 90)
			return err_set(e, ERR_VALIDATION, "period_days",
				       "Thời hạn bổ sung từ 1 đến 90 ngày",
				       "period_days is 1 to 90");
		struct buf items = BUF_INIT(64 * 1024);
		for (size_t i = 0; i < in->nitems; i++)
			buf_addf(&items, "%s%s", i ? "\n" : "", in->items[i]);
		const char *list = arena_strdup(c->arena, items.data ? items.data : "");
		buf_release(&items);
		if (start_pause(db, c, d, e) < 0)
			return -1;
		struct db_stmt *st =
		    db_prepare(db, "UPDATE dossier SET supplement_count = supplement_count + 1, "
				   "supplement_deadline = ?, supplement_items = ? WHERE id = ?");
		if (!st)
			return db_fail(db, e);
		db_bind_int(st, 1, now + days * 86400);
		db_bind_text(st, 2, list);
		db_bind_int(st, 3, d->id);
		int rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return db_fail(db, e);
		if (d->supplement_count >= 1)
			note = arena_printf(c->arena,
					    "%s%sYêu cầu bổ sung lần %d: hồ sơ được tính là "
					    "quá hạn",
					    note, *note ? ". " : "", d->supplement_count + 1);
		if (notify(db, c, d->id, d->receiving, d->email, "supplement_needed",
			   arena_printf(c->arena, "Hồ sơ %s cần bổ sung", d->code),
			   arena_printf(c->arena,
					"Hồ sơ %s cần bổ sung trong %" PRId64 " ngày:\n%s", d->code,
					days, list),
			   e) < 0)
			return -1;
		break;
	}
	case LA_SUPPLY:
		to = d->paused_state;
		if (end_pause(db, c, d, "Chờ bổ sung hồ sơ", e) < 0)
			return -1;
		break;
	case LA_LAPSE:
		if (d->supplement_deadline && now < d->supplement_deadline && c->actor &&
		    c->actor->via != ACTOR_SYSTEM)
			return err_set(e, ERR_CONFLICT, "action", "Chưa hết thời hạn bổ sung",
				       "the supplement period has not run out");
		if (have_step && !step.finished && finish_step(db, d->id, &step, now, e) < 0)
			return -1;
		if (notify(db, c, d->id, d->receiving, d->email, "lapsed",
			   arena_printf(c->arena, "Hồ sơ %s đã dừng giải quyết", d->code),
			   arena_printf(c->arena,
					"Hồ sơ %s đã quá thời hạn bổ sung nên được dừng giải "
					"quyết. Công dân có thể nộp lại hồ sơ mới.",
					d->code),
			   e) < 0)
			return -1;
		v[0] = now, v[1] = d->id;
		if (exec_bind(db, e,
			      "UPDATE dossier SET finished_at = ?, holder_unit_id = NULL, "
			      "holder_role = NULL, assignee_id = NULL WHERE id = ?",
			      2, v) < 0)
			return -1;
		break;
	case LA_REQUEST_PAYMENT: {
		int64_t amount = in->amount > 0 ? in->amount : d->fee_amount;
		if (amount <= 0)
			return err_set(e, ERR_VALIDATION, "amount", "Cần số tiền phải nộp",
				       "amount is required");
		if (start_pause(db, c, d, e) < 0)
			return -1;
		v[0] = amount, v[1] = d->id;
		if (exec_bind(db, e,
			      "UPDATE dossier SET fee_amount = ?, fee_status = 'pending' "
			      "WHERE id = ?",
			      2, v) < 0)
			return -1;
		note =
		    arena_printf(c->arena, "%" PRId64 " đồng%s%s", amount, *note ? ": " : "", note);
		break;
	}
	case LA_CONFIRM_PAYMENT: {
		const char *m = in->method ? in->method : "cash";
		if (strcmp(m, "cash") && strcmp(m, "transfer") && strcmp(m, "online"))
			return err_set(e, ERR_VALIDATION, "method",
				       "Hình thức nộp: cash, transfer hoặc online",
				       "method is cash, transfer or online");
		to = d->paused_state;
		if (end_pause(db, c, d, "Chờ thực hiện nghĩa vụ tài chính", e) < 0)
			return -1;
		struct db_stmt *st = db_prepare(db, "UPDATE dossier SET fee_status = 'paid', "
						    "fee_method = ? WHERE id = ?");
		if (!st)
			return db_fail(db, e);
		db_bind_text(st, 1, m);
		db_bind_int(st, 2, d->id);
		int rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return db_fail(db, e);
		break;
	}
	case LA_STOP:
		if (need(in->reason, "reason", "Cần nêu lý do dừng xử lý", "a reason is required",
			 e) < 0 ||
		    start_pause(db, c, d, e) < 0)
			return -1;
		break;
	case LA_RESUME:
		to = d->paused_state;
		if (end_pause(db, c, d, "Dừng xử lý", e) < 0)
			return -1;
		break;
	case LA_WITHDRAW:
		if (have_step && !step.finished && step.started &&
		    finish_step(db, d->id, &step, now, e) < 0)
			return -1;
		v[0] = now, v[1] = d->id;
		if (exec_bind(db, e,
			      "UPDATE dossier SET finished_at = ?, outcome = 'on_time', "
			      "holder_unit_id = NULL, holder_role = NULL, assignee_id = NULL, "
			      "paused_at = NULL WHERE id = ?",
			      2, v) < 0)
			return -1;
		break;
	case LA_EXTEND: {
		if (need(in->reason, "reason", "Cần nêu lý do gia hạn (văn bản xin lỗi)",
			 "a reason is required (the apology letter)", e) < 0)
			return -1;
		clk = clocksvc_get(c, d->competent, e);
		if (!clk)
			return -1;
		int64_t nd = in->new_due;
		if (nd) {
			if (clock_extend_to(clk, d->due, nd, in->reason, NULL, e) < 0)
				return -1;
		} else {
			struct duration dur = {DUR_WORKING_MINUTES, in->minutes};
			if (clock_extend_by(clk, d->due, &dur, in->reason, &nd, NULL, e) < 0)
				return -1;
		}
		struct db_stmt *st = db_prepare(db, "UPDATE dossier SET ext_due_at = ?, ext_reason "
						    "= ?, ext_by = ? WHERE id = ?");
		if (!st)
			return db_fail(db, e);
		db_bind_int(st, 1, nd);
		db_bind_text(st, 2, in->reason);
		db_bind_int(st, 3, c->actor ? c->actor->user_id : 0);
		db_bind_int(st, 4, d->id);
		int rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return db_fail(db, e);
		char when[32];
		civil_format_rfc3339(nd, when);
		note = arena_printf(c->arena, "Dự thảo gia hạn đến %.10s: %s", when, in->reason);
		break;
	}
	case LA_APPROVE_EXTENSION: {
		if (!d->ext_due)
			return err_set(e, ERR_CONFLICT, "action",
				       "Chưa có văn bản đề nghị gia hạn để phê duyệt",
				       "there is no drafted extension to approve");
		v[0] = d->ext_due, v[1] = d->id;
		if (exec_bind(db, e,
			      "UPDATE dossier SET due_at = ?, ext_due_at = NULL, ext_reason = "
			      "NULL, ext_by = NULL WHERE id = ?",
			      2, v) < 0)
			return -1;
		if (add_due(
			db, c, d->id, now, d->ext_due,
			arena_printf(c->arena, "Gia hạn: %s", d->ext_reason ? d->ext_reason : ""),
			e) < 0)
			return -1;
		char when[32];
		civil_format_rfc3339(d->ext_due, when);
		if (notify(
			db, c, d->id, d->receiving, d->email, "delayed",
			arena_printf(c->arena, "Hồ sơ %s được hẹn lại ngày trả kết quả", d->code),
			arena_printf(c->arena,
				     "Cơ quan xin lỗi vì hồ sơ %s chậm so với hẹn. Ngày hẹn "
				     "trả mới: %.10s. Lý do: %s",
				     d->code, when, d->ext_reason ? d->ext_reason : ""),
			e) < 0)
			return -1;
		note = arena_printf(c->arena, "Phê duyệt gia hạn đến %.10s", when);
		break;
	}
	case LA_FINISH: {
		if (need(in->result_number, "result_number", "Cần số, ký hiệu văn bản kết quả",
			 "result_number is required", e) < 0)
			return -1;
		struct step_row next;
		int has = load_step(db, d->id, d->current_step + 1, &next, e);
		if (has < 0)
			return -1;
		if (has)
			return err_setf(e, ERR_CONFLICT, "action",
					"Hồ sơ còn bước %d chưa xử lý: chuyển bước trước",
					"step %d is still to do: forward first", next.seq);
		if (finish_step(db, d->id, &step, now, e) < 0)
			return -1;
		const char *outcome = d->supplement_count >= 2
					  ? "late" /* asked twice: late for the service index */
					  : clock_class_name(clock_classify(now, d->due));
		struct db_stmt *st = db_prepare(
		    db, "UPDATE dossier SET finished_at = ?, outcome = ?, result_number = ?, "
			"result_signer = ?, result_date = ?, holder_unit_id = receiving_unit_id, "
			"holder_role = 'receiver', assignee_id = NULL WHERE id = ?");
		if (!st)
			return db_fail(db, e);
		char today[16];
		civil_format_date(civil_day_of_epoch(now), today);
		db_bind_int(st, 1, now);
		db_bind_text(st, 2, outcome);
		db_bind_text(st, 3, in->result_number);
		db_bind_text(st, 4, in->signer);
		db_bind_text(st, 5, in->signed_date ? in->signed_date : today);
		db_bind_int(st, 6, d->id);
		int rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return db_fail(db, e);
		if (notify(db, c, d->id, d->receiving, d->email, "result_ready",
			   arena_printf(c->arena, "Hồ sơ %s đã có kết quả", d->code),
			   arena_printf(c->arena, "Hồ sơ %s (%s) đã có kết quả, số %s.", d->code,
					d->procedure_name, in->result_number),
			   e) < 0)
			return -1;
		note = arena_printf(c->arena, "Kết quả số %s%s%s", in->result_number,
				    *note ? ". " : "", note);
		break;
	}
	case LA_RETURN: {
		if (need(in->recipient, "recipient", "Cần ghi người nhận kết quả",
			 "recipient is required", e) < 0)
			return -1;
		const char *m = in->method ? in->method : "counter";
		if (strcmp(m, "counter") && strcmp(m, "postal") && strcmp(m, "online"))
			return err_set(e, ERR_VALIDATION, "method",
				       "Hình thức trả: counter, postal hoặc online",
				       "method is counter, postal or online");
		if (strcmp(m, "postal") == 0 &&
		    need(in->postal_tracking, "postal_tracking", "Cần số hiệu bưu gửi",
			 "postal_tracking is required for postal return", e) < 0)
			return -1;
		struct db_stmt *st = db_prepare(
		    db,
		    "UPDATE dossier SET returned_at = ?, return_recipient = ?, return_method = "
		    "?, postal_tracking = COALESCE(?, postal_tracking), postal_status = CASE WHEN "
		    "? = 'postal' THEN 'sent' ELSE postal_status END, holder_unit_id = NULL, "
		    "holder_role = NULL WHERE id = ?");
		if (!st)
			return db_fail(db, e);
		db_bind_int(st, 1, now);
		db_bind_text(st, 2, in->recipient);
		db_bind_text(st, 3, m);
		db_bind_text(st, 4, in->postal_tracking);
		db_bind_text(st, 5, m);
		db_bind_int(st, 6, d->id);
		int rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return db_fail(db, e);
		note = arena_printf(c->arena, "%s (%s)", in->recipient, m);
		break;
	}
	default:
		return err_set(e, ERR_VALIDATION, "action", "Thao tác không hợp lệ",
			       "unknown action");
	}
	if (to != d->state && set_state(db, d->id, to, e) < 0)
		return -1;
	if (stats_sync(db, d->id, now, e) < 0)
		return -1;
	return dossier_append_event(db, c, d->id, &d->event_seq, d->tip, lc_action_name(in->action),
				    lc_state_name(d->state), lc_state_name(to), event_step, note,
				    now, e);
}

int
dossier_act(const struct ctx *c, const char *code, const struct action_in *a, struct err *e)
{
	if ((unsigned)a->action >= LA__MAX)
		return err_set(e, ERR_VALIDATION, "action", "Thao tác không hợp lệ",
			       "unknown action");
	struct act_args args;
	memset(&args, 0, sizeof(args));
	args.cc = *c;
	args.code = code;
	args.in = a;
	return db_tx_group(c->db, act_tx, &args, e);
}
