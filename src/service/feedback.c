/* feedback.c: feedback items, their transition table and deadlines, ratings, and the
 * satisfaction inputs (see feedback.h). */
#include "service/feedback.h"
#include "service/feedback_int.h"

#include "core/buf.h"
#include "core/civil.h"
#include "core/embed.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "service/audit.h"
#include "service/clocksvc.h"
#include "service/unit.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- law as data: deadlines and rating reasons ---- */

/* The _R deadlines restart from the citizen's reply to a request for more information. */
enum fb_deadline {
	FD_REFUSE,
	FD_INFO,
	FD_ANSWER,
	FD_PUBLISH,
	FD_REFUSE_R,
	FD_INFO_R,
	FD_ANSWER_R,
	FD__MAX
};
static const char *const fd_names[FD__MAX] = {"refuse",
					      "request_info",
					      "answer",
					      "publish",
					      "refuse_after_reply",
					      "request_info_after_reply",
					      "answer_after_reply"};
/* defaults when the data file says nothing */
static int64_t fd_days[FD__MAX] = {2, 5, 15, 2, 2, 5, 15};

#define MAX_REASONS 32
static char reason_code[MAX_REASONS][32];
static char reason_label[MAX_REASONS][128];
static int nreasons_known;
static pthread_once_t data_once = PTHREAD_ONCE_INIT;

/* each line of an embedded file, without comments and blank lines */
static void
each_line(const char *path, void (*fn)(const char *line, size_t len))
{
	const struct embed_file *f = embed_find(path);
	if (!f)
		return;
	const char *p = (const char *)f->data, *end = p + f->len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (len && p[0] != '#')
			fn(p, len);
		p += len + 1;
	}
}

static void
deadline_line(const char *line, size_t len)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%.*s", (int)(len < 127 ? len : 127), line);
	char name[32];
	long long days;
	if (sscanf(buf, "%31s %lld", name, &days) != 2 || days < 1 || days > 365)
		return;
	for (int i = 0; i < FD__MAX; i++)
		if (strcmp(name, fd_names[i]) == 0)
			fd_days[i] = days;
}

static void
reason_line(const char *line, size_t len)
{
	if (nreasons_known >= MAX_REASONS)
		return;
	const char *sp = memchr(line, ' ', len);
	if (!sp || sp == line || (size_t)(sp - line) >= sizeof(reason_code[0]))
		return;
	snprintf(reason_code[nreasons_known], sizeof(reason_code[0]), "%.*s", (int)(sp - line),
		 line);
	size_t rest = len - (size_t)(sp - line) - 1;
	snprintf(reason_label[nreasons_known], sizeof(reason_label[0]), "%.*s",
		 (int)(rest < 127 ? rest : 127), sp + 1);
	nreasons_known++;
}

static void
data_init(void)
{
	each_line("data/feedback/deadlines.txt", deadline_line);
	each_line("data/feedback/rating_reasons.txt", reason_line);
}

int
rating_reason_valid(const char *code)
{
	pthread_once(&data_once, data_init);
	for (int i = 0; i < nreasons_known; i++)
		if (code && strcmp(code, reason_code[i]) == 0)
			return 1;
	return 0;
}

static const char *
reason_vi(const char *code)
{
	for (int i = 0; i < nreasons_known; i++)
		if (strcmp(code, reason_code[i]) == 0)
			return reason_label[i];
	return code;
}

/* the due date `days` working days after `from` by the unit's legal clock */
static int
fb_due(const struct ctx *c, int64_t unit_id, int64_t from, int64_t days, int64_t *due,
       struct err *e)
{
	const struct clock *clk = clocksvc_get(c, unit_id, e);
	if (!clk)
		return -1;
	struct duration d = {DUR_WORKING_DAYS, days};
	int64_t start;
	if (clock_start_of(clk, from, -1, &start, NULL, e) < 0 ||
	    clock_add(clk, start, &d, due, NULL, e) < 0)
		return -1;
	return 0;
}

/* ---- the transition table ---- */

enum fb_state { FS_RECEIVED, FS_REFUSED, FS_INFO, FS_ASSIGNED, FS_ANSWERED, FS_PUBLISHED, FS__MAX };
static const char *const fs_names[FS__MAX] = {"received", "refused",  "info_requested",
					      "assigned", "answered", "published"};

#define S(x) (1u << (x))
#define R(x) (1u << (x))

struct fb_transition {
	const char *action;
	unsigned from; /* states */
	enum fb_state to;
	unsigned roles;
	const char *stamp; /* the column set to now */
	const char *vi;
};

static const struct fb_transition fb_table[] = {
    {"refuse", S(FS_RECEIVED) | S(FS_INFO), FS_REFUSED,
     R(ROLE_RECEIVER) | R(ROLE_DEPT_HEAD) | R(ROLE_LEADER), "refused_at", "từ chối"},
    {"request_info", S(FS_RECEIVED), FS_INFO,
     R(ROLE_RECEIVER) | R(ROLE_SPECIALIST) | R(ROLE_DEPT_HEAD) | R(ROLE_LEADER),
     "info_requested_at", "yêu cầu bổ sung thông tin"},
    {"assign", S(FS_RECEIVED) | S(FS_INFO) | S(FS_ASSIGNED), FS_ASSIGNED,
     R(ROLE_RECEIVER) | R(ROLE_DEPT_HEAD) | R(ROLE_LEADER), "assigned_at", "phân công"},
    {"answer", S(FS_ASSIGNED), FS_ANSWERED, R(ROLE_SPECIALIST) | R(ROLE_DEPT_HEAD) | R(ROLE_LEADER),
     "answered_at", "trả lời"},
    {"publish", S(FS_ANSWERED), FS_PUBLISHED, R(ROLE_DEPT_HEAD) | R(ROLE_LEADER), "published_at",
     "công khai"},
};
#define FB_NTRANS (sizeof(fb_table) / sizeof(fb_table[0]))

static int
fs_parse(const char *s)
{
	for (int i = 0; i < FS__MAX; i++)
		if (s && strcmp(s, fs_names[i]) == 0)
			return i;
	return -1;
}

static const struct fb_transition *
fb_find(const char *action)
{
	for (size_t i = 0; i < FB_NTRANS; i++)
		if (action && strcmp(action, fb_table[i].action) == 0)
			return &fb_table[i];
	return NULL;
}

/* staff of the unit (any role that works feedback) */
int
fb_staff_of(const struct ctx *c, int64_t unit_id, struct err *e)
{
	static const enum role roles[] = {ROLE_RECEIVER, ROLE_SPECIALIST, ROLE_DEPT_HEAD,
					  ROLE_LEADER, ROLE_INSPECTOR};
	if (!c->actor)
		return err_set(e, ERR_UNAUTHENTICATED, "", "Cần đăng nhập", "login required");
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (authz_has(c, roles[i], unit_id))
			return 0;
	return err_set(e, ERR_FORBIDDEN, "unit", "Bạn không có quyền với phản ánh của đơn vị này",
		       "you may not see this unit's feedback");
}

static int64_t
default_unit(const struct ctx *c)
{
	return c->actor && c->actor->ngrants ? c->actor->grants[0].unit_id : 0;
}

/* ---- the event chain ---- */

int
fb_append_event(struct db *db, const struct ctx *c, int64_t id, int64_t *seq, char *tip,
		const char *action, const char *from, const char *to, const char *note,
		struct err *e)
{
	const char *actor = c->actor ? c->actor->username : "citizen";
	char sid[24], sseq[24], sat[24], hash[65];
	int64_t next = *seq + 1;
	snprintf(sid, sizeof(sid), "%" PRId64, id);
	snprintf(sseq, sizeof(sseq), "%" PRId64, next);
	snprintf(sat, sizeof(sat), "%" PRId64, c->now);
	const char *fields[] = {sid, sseq, sat, actor, action, from, to, note ? note : ""};
	chain_hash(tip, fields, 8, hash);
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO feedback_event (feedback_id, seq, at, actor_name, action, from_state, "
		"to_state, note, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, next);
	db_bind_int(st, 3, c->now);
	db_bind_text(st, 4, actor);
	db_bind_text(st, 5, action);
	db_bind_text(st, 6, from);
	db_bind_text(st, 7, to);
	db_bind_text(st, 8, note ? note : "");
	db_bind_text(st, 9, tip);
	db_bind_text(st, 10, hash);
	int rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(db, e);
	st = db_prepare(db, "UPDATE feedback SET event_seq = ?, event_hash = ? WHERE id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, next);
	db_bind_text(st, 2, hash);
	db_bind_int(st, 3, id);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(db, e);
	*seq = next;
	memcpy(tip, hash, 65);
	return 0;
}

/* ---- intake ---- */

struct fb_new {
	const struct feedback_in *in;
	int64_t unit_id, refuse_due, info_due, answer_due;
	int64_t id;
	const char *code;
	const char *secret; /* the plain secret, given once to the citizen; only its hash is kept */
};

static void
bind_opt(struct db_stmt *st, int i, const char *s)
{
	if (s && *s)
		db_bind_text(st, i, s);
	else
		db_bind_null(st, i);
}

/* insert one item and its first event, inside the caller's transaction */
static int
fb_insert(struct db *db, const struct ctx *c, struct fb_new *a, struct err *e)
{
	char tok[CRYPTO_TOKEN_LEN + 1], secret[CRYPTO_TOKEN_LEN + 1],
	    secret_hash[CRYPTO_SHA256_HEX];
	crypto_token(tok);
	crypto_token(secret);
	crypto_sha256_hex(secret, strlen(secret), secret_hash);
	a->secret = arena_strdup(c->arena, secret);
	char zero[65];
	memset(zero, '0', 64);
	zero[64] = 0;
	const struct feedback_in *in = a->in;
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO feedback (code, channel, state, content, name, phone, email, "
		"dossier_code, procedure_code, unit_id, classification, received_at, refuse_due, "
		"info_due, answer_due, event_seq, event_hash, created_at, updated_at, secret_hash) "
		"VALUES (?, ?, 'received', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?) "
		"RETURNING id");
	if (!st)
		return db_fail(db, e);
	int i = 1;
	db_bind_text(st, i++, arena_printf(c->arena, "tmp-%s", tok));
	db_bind_text(st, i++, in->channel);
	db_bind_text(st, i++, in->content);
	db_bind_text(st, i++, in->name);
	bind_opt(st, i++, in->phone);
	bind_opt(st, i++, in->email);
	bind_opt(st, i++, in->dossier_code);
	bind_opt(st, i++, in->procedure_code);
	db_bind_int(st, i++, a->unit_id);
	bind_opt(st, i++, in->classification);
	db_bind_int(st, i++, c->now);
	db_bind_int(st, i++, a->refuse_due);
	db_bind_int(st, i++, a->info_due);
	db_bind_int(st, i++, a->answer_due);
	db_bind_text(st, i++, zero);
	db_bind_int(st, i++, c->now);
	db_bind_int(st, i++, c->now);
	db_bind_text(st, i++, secret_hash);
	int rc = db_step(st);
	if (rc == DB_ROW)
		a->id = db_col_int(st, 0);
	db_reset(st);
	if (rc != DB_ROW)
		return db_fail(db, e);
	a->code = arena_printf(c->arena, "PA-%06" PRId64, a->id);
	st = db_prepare(db, "UPDATE feedback SET code = ? WHERE id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_text(st, 1, a->code);
	db_bind_int(st, 2, a->id);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(db, e);
	int64_t seq = 0;
	return fb_append_event(db, c, a->id, &seq, zero, "receive", "", "received", in->channel, e);
}

static int
fb_dues(const struct ctx *c, struct fb_new *a, struct err *e)
{
	pthread_once(&data_once, data_init);
	if (fb_due(c, a->unit_id, c->now, fd_days[FD_REFUSE], &a->refuse_due, e) < 0 ||
	    fb_due(c, a->unit_id, c->now, fd_days[FD_INFO], &a->info_due, e) < 0 ||
	    fb_due(c, a->unit_id, c->now, fd_days[FD_ANSWER], &a->answer_due, e) < 0)
		return -1;
	return 0;
}

/* the context travels with the args for the transaction */
struct submit_args {
	const struct ctx *c;
	struct fb_new n;
};

static int
submit_tx2(struct db *db, void *arg, struct err *e)
{
	struct submit_args *a = arg;
	if (fb_insert(db, a->c, &a->n, e) < 0)
		return -1;
	return audit_append(a->c, "feedback.receive", "feedback", a->n.code, a->n.in->channel, e);
}

/* one integer from a query with one text parameter: 1 found, 0 none, -1 error */
static int
query_int_text(struct db *db, const char *sql, const char *p, int64_t *out, struct err *e)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return db_fail(db, e);
	db_bind_text(st, 1, p);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*out = db_col_int(st, 0);
	db_reset(st);
	if (rc == DB_ROW)
		return 1;
	return rc == DB_DONE ? 0 : db_fail(db, e);
}

int
feedback_submit(const struct ctx *c, const struct feedback_in *in, const char **code,
		const char **secret, struct err *e)
{
	if (!in->content || !*in->content)
		return err_set(e, ERR_VALIDATION, "content", "Cần nhập nội dung phản ánh",
			       "content is required");
	if (!in->name || !*in->name)
		return err_set(e, ERR_VALIDATION, "name", "Cần nhập họ tên", "name is required");
	struct submit_args a = {.c = c};
	a.n.in = in;
	int64_t dossier_unit = 0, proc_unit = 0;
	if (in->dossier_code && *in->dossier_code) {
		int r =
		    query_int_text(c->db, "SELECT competent_unit_id FROM dossier WHERE code = ?",
				   in->dossier_code, &dossier_unit, e);
		if (r < 0)
			return -1;
		if (r == 0)
			return err_set(e, ERR_VALIDATION, "dossier_code", "Không tìm thấy hồ sơ",
				       "dossier not found");
	}
	if (in->procedure_code && *in->procedure_code) {
		int r = query_int_text(c->db,
				       "SELECT COALESCE(v.competent_unit_id, 0) FROM procedure p "
				       "JOIN procedure_version v ON v.id = p.current_version_id "
				       "WHERE p.code = ?",
				       in->procedure_code, &proc_unit, e);
		if (r < 0)
			return -1;
		if (r == 0)
			return err_set(e, ERR_VALIDATION, "procedure_code",
				       "Không tìm thấy thủ tục", "procedure not found");
	}
	a.n.unit_id = in->unit_id ? in->unit_id : dossier_unit ? dossier_unit : proc_unit;
	if (!a.n.unit_id)
		return err_set(e, ERR_VALIDATION, "unit", "Cần chọn đơn vị nhận phản ánh",
			       "unit is required");
	char path[UNIT_PATH_MAX];
	if (unit_path(c, a.n.unit_id, path, sizeof(path)) < 0)
		return err_set(e, ERR_VALIDATION, "unit", "Đơn vị không tồn tại", "unit not found");
	if (strcmp(in->channel, "web") != 0 && authz_require(c, ROLE_RECEIVER, a.n.unit_id, e) < 0)
		return -1;
	if (fb_dues(c, &a.n, e) < 0)
		return -1;
	if (db_tx(c->db, submit_tx2, &a, e) < 0)
		return -1;
	*code = a.n.code;
	if (secret)
		*secret = a.n.secret;
	return 0;
}

/* ---- reading ---- */

#define FB_COLS                                                                                    \
	"f.id, f.code, f.channel, f.state, f.content, f.name, f.phone, f.email, f.dossier_code, "  \
	"f.procedure_code, f.classification, f.reason, f.answer, f.unit_id, u.name, "              \
	"COALESCE(f.assignee_id, 0), a.full_name, f.received_at, f.refuse_due, f.info_due, "       \
	"f.answer_due, COALESCE(f.publish_due, 0), COALESCE(f.refused_at, 0), "                    \
	"COALESCE(f.info_requested_at, 0), COALESCE(f.assigned_at, 0), "                           \
	"COALESCE(f.answered_at, 0), COALESCE(f.published_at, 0), f.info_reply, "                  \
	"COALESCE(f.info_replied_at, 0) FROM feedback f JOIN unit u ON u.id = f.unit_id LEFT "     \
	"JOIN app_user a ON a.id = f.assignee_id "

static void
read_rec(struct db_stmt *st, struct arena *ar, struct feedback_rec *r)
{
	memset(r, 0, sizeof(*r));
	int i = 0;
	r->id = db_col_int(st, i++);
	r->code = arena_strdup(ar, db_col_text(st, i++));
	r->channel = arena_strdup(ar, db_col_text(st, i++));
	r->state = arena_strdup(ar, db_col_text(st, i++));
	r->content = arena_strdup(ar, db_col_text(st, i++));
	r->name = arena_strdup(ar, db_col_text(st, i++));
	r->phone = arena_strdup(ar, db_col_text(st, i++));
	r->email = arena_strdup(ar, db_col_text(st, i++));
	r->dossier_code = arena_strdup(ar, db_col_text(st, i++));
	r->procedure_code = arena_strdup(ar, db_col_text(st, i++));
	r->classification = arena_strdup(ar, db_col_text(st, i++));
	r->reason = arena_strdup(ar, db_col_text(st, i++));
	r->answer = arena_strdup(ar, db_col_text(st, i++));
	r->unit_id = db_col_int(st, i++);
	r->unit_name = arena_strdup(ar, db_col_text(st, i++));
	r->assignee_id = db_col_int(st, i++);
	r->assignee_name = arena_strdup(ar, db_col_text(st, i++));
	r->received_at = db_col_int(st, i++);
	r->refuse_due = db_col_int(st, i++);
	r->info_due = db_col_int(st, i++);
	r->answer_due = db_col_int(st, i++);
	r->publish_due = db_col_int(st, i++);
	r->refused_at = db_col_int(st, i++);
	r->info_requested_at = db_col_int(st, i++);
	r->assigned_at = db_col_int(st, i++);
	r->answered_at = db_col_int(st, i++);
	r->published_at = db_col_int(st, i++);
	r->info_reply = arena_strdup(ar, db_col_text(st, i++));
	r->info_replied_at = db_col_int(st, i++);
}

int
fb_load(const struct ctx *c, const char *code, struct feedback_rec *out, struct err *e)
{
	struct db_stmt *st = db_prepare(c->db, "SELECT " FB_COLS "WHERE f.code = ?");
	if (!st)
		return db_fail(c->db, e);
	db_bind_text(st, 1, code);
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_rec(st, c->arena, out);
	db_reset(st);
	if (rc == DB_DONE)
		return err_set(e, ERR_NOT_FOUND, "code", "Không tìm thấy phản ánh",
			       "feedback not found");
	return rc == DB_ROW ? 0 : db_fail(c->db, e);
}

static int
load_events(const struct ctx *c, struct feedback_rec *out, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(c->db, "SELECT seq, at, actor_name, action, from_state, to_state, note FROM "
			      "feedback_event WHERE feedback_id = ? ORDER BY seq");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, out->id);
	size_t cap = 8;
	out->events = arena_alloc(c->arena, cap * sizeof(*out->events));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (out->nevents == cap) {
			struct feedback_event_rec *n =
			    arena_alloc(c->arena, 2 * cap * sizeof(*out->events));
			memcpy(n, out->events, cap * sizeof(*out->events));
			out->events = n;
			cap *= 2;
		}
		struct feedback_event_rec *v = &out->events[out->nevents++];
		v->seq = (int)db_col_int(st, 0);
		v->at = db_col_int(st, 1);
		v->actor = arena_strdup(c->arena, db_col_text(st, 2));
		v->action = arena_strdup(c->arena, db_col_text(st, 3));
		v->from_state = arena_strdup(c->arena, db_col_text(st, 4));
		v->to_state = arena_strdup(c->arena, db_col_text(st, 5));
		v->note = arena_strdup(c->arena, db_col_text(st, 6));
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : db_fail(c->db, e);
}

int
feedback_get(const struct ctx *c, const char *code, struct feedback_rec *out, struct err *e)
{
	if (!c->actor)
		return err_set(e, ERR_UNAUTHENTICATED, "", "Cần đăng nhập", "login required");
	if (fb_load(c, code, out, e) < 0 || fb_staff_of(c, out->unit_id, e) < 0)
		return -1;
	return load_events(c, out, e);
}

/* ---- the citizen's own item: its code and the secret given at submission ---- */

/* 0 when secret is the item's; otherwise the same ERR_NOT_FOUND as a missing code, so that
 * neither the existence of a code nor the shape of a secret shows. Items made before the
 * secrets existed (secret_hash NULL) cannot be opened this way. */
int
fb_secret_check(const struct ctx *c, const char *code, const char *secret, struct err *e)
{
	struct db_stmt *st = db_prepare(c->db, "SELECT secret_hash FROM feedback WHERE code = ?");
	if (!st)
		return db_fail(c->db, e);
	db_bind_text(st, 1, code ? code : "");
	int rc = db_step(st);
	int ok = 0;
	if (rc == DB_ROW && secret && *secret) {
		const char *stored = db_col_text(st, 0);
		char hash[CRYPTO_SHA256_HEX];
		crypto_sha256_hex(secret, strlen(secret), hash);
		ok = stored && crypto_equal(hash, stored);
	}
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_fail(c->db, e);
	if (!ok)
		return err_set(e, ERR_NOT_FOUND, "code",
			       "Không tìm thấy phản ánh với mã và mã bí mật này",
			       "no feedback with this code and secret");
	return 0;
}

int
feedback_status(const struct ctx *c, const char *code, const char *secret, struct feedback_rec *out,
		struct err *e)
{
	if (fb_secret_check(c, code, secret, e) < 0 || fb_load(c, code, out, e) < 0 ||
	    load_events(c, out, e) < 0)
		return -1;
	/* staff names stay inside the office */
	out->assignee_name = NULL;
	out->assignee_id = 0;
	for (size_t i = 0; i < out->nevents; i++)
		out->events[i].actor = NULL;
	return 0;
}

int
fb_lock(struct db *db, const struct ctx *c, int64_t id, char state[32], int64_t *seq, char tip[65],
	struct err *e)
{
	/* the UPDATE locks the row (PostgreSQL) inside the write transaction (SQLite) */
	struct db_stmt *st = db_prepare(db, "UPDATE feedback SET updated_at = ? WHERE id = ? "
					    "RETURNING state, event_seq, event_hash");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, c->now);
	db_bind_int(st, 2, id);
	int rc = db_step(st);
	*state = *tip = '\0';
	*seq = 0;
	if (rc == DB_ROW) {
		snprintf(state, 32, "%s", db_col_text(st, 0));
		*seq = db_col_int(st, 1);
		snprintf(tip, 65, "%s", db_col_text(st, 2));
	}
	db_reset(st);
	return rc == DB_ROW ? 0 : db_fail(db, e);
}

struct reply_args {
	const struct ctx *c;
	int64_t id;
	const char *code, *content;
	int64_t refuse_due, info_due, answer_due;
};

static int
reply_tx(struct db *db, void *arg, struct err *e)
{
	struct reply_args *a = arg;
	const struct ctx *c = a->c;
	char state[32], tip[65];
	int64_t seq;
	if (fb_lock(db, c, a->id, state, &seq, tip, e) < 0)
		return -1;
	struct db_stmt *st;
	int rc;
	if (fs_parse(state) != FS_INFO)
		return err_set(e, ERR_CONFLICT, "code",
			       "Phản ánh không ở trạng thái chờ bổ sung thông tin",
			       "the feedback is not waiting for more information");
	st = db_prepare(db, "UPDATE feedback SET state = ?, info_reply = ?, info_replied_at = ?, "
			    "refuse_due = ?, info_due = ?, answer_due = ? WHERE id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_text(st, 1, fs_names[FS_RECEIVED]);
	db_bind_text(st, 2, a->content);
	db_bind_int(st, 3, c->now);
	db_bind_int(st, 4, a->refuse_due);
	db_bind_int(st, 5, a->info_due);
	db_bind_int(st, 6, a->answer_due);
	db_bind_int(st, 7, a->id);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(db, e);
	return fb_append_event(db, c, a->id, &seq, tip, "reply", fs_names[FS_INFO],
			       fs_names[FS_RECEIVED], a->content, e);
}

int
feedback_reply(const struct ctx *c, const char *code, const char *secret, const char *content,
	       struct err *e)
{
	if (!content || !*content)
		return err_set(e, ERR_VALIDATION, "content", "Cần nhập thông tin bổ sung",
			       "content is required");
	if ((int)text_utf8_len(content) > FEEDBACK_CONTENT_MAX)
		return err_setf(e, ERR_VALIDATION, "content", "Thông tin bổ sung dài quá %d ký tự",
				"content is longer than %d characters", FEEDBACK_CONTENT_MAX);
	struct feedback_rec f;
	if (fb_secret_check(c, code, secret, e) < 0 || fb_load(c, code, &f, e) < 0)
		return -1;
	if (fs_parse(f.state) != FS_INFO)
		return err_set(e, ERR_CONFLICT, "code",
			       "Phản ánh không ở trạng thái chờ bổ sung thông tin",
			       "the feedback is not waiting for more information");
	struct reply_args a = {.c = c, .id = f.id, .code = f.code, .content = content};
	pthread_once(&data_once, data_init);
	if (fb_due(c, f.unit_id, c->now, fd_days[FD_REFUSE_R], &a.refuse_due, e) < 0 ||
	    fb_due(c, f.unit_id, c->now, fd_days[FD_INFO_R], &a.info_due, e) < 0 ||
	    fb_due(c, f.unit_id, c->now, fd_days[FD_ANSWER_R], &a.answer_due, e) < 0)
		return -1;
	return db_tx(c->db, reply_tx, &a, e);
}

static int
list_query(const struct ctx *c, const char *sql, const char *like, const char *state, int limit,
	   struct feedback_rec **out, size_t *n, struct err *e)
{
	if (limit < 1 || limit > 200)
		limit = 50;
	struct db_stmt *st = db_prepare(c->db, sql);
	if (!st)
		return db_fail(c->db, e);
	db_bind_text(st, 1, like);
	db_bind_text(st, 2, state ? state : "");
	db_bind_text(st, 3, state ? state : "");
	db_bind_int(st, 4, limit);
	*out = arena_alloc(c->arena, (size_t)limit * sizeof(**out));
	*n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && *n < (size_t)limit)
		read_rec(st, c->arena, &(*out)[(*n)++]);
	db_reset(st);
	return rc == DB_DONE || rc == DB_ROW ? 0 : db_fail(c->db, e);
}

static int
subtree_like(const struct ctx *c, int64_t unit_id, const char **like, struct err *e)
{
	if (!unit_id) {
		*like = "/%";
		return 0;
	}
	char path[UNIT_PATH_MAX];
	if (unit_path(c, unit_id, path, sizeof(path)) < 0)
		return err_set(e, ERR_VALIDATION, "unit", "Đơn vị không tồn tại", "unit not found");
	*like = arena_printf(c->arena, "%s%%", path);
	return 0;
}

int
feedback_list(const struct ctx *c, int64_t unit_id, const char *state, int limit,
	      struct feedback_rec **out, size_t *n, struct err *e)
{
	if (!unit_id)
		unit_id = default_unit(c);
	if (fb_staff_of(c, unit_id, e) < 0)
		return -1;
	if (state && fs_parse(state) < 0)
		return err_set(e, ERR_VALIDATION, "state", "Trạng thái không hợp lệ",
			       "unknown state");
	const char *like;
	if (subtree_like(c, unit_id, &like, e) < 0)
		return -1;
	return list_query(c,
			  "SELECT " FB_COLS "WHERE u.path LIKE ? AND (? = '' OR f.state = ?) "
			  "ORDER BY f.id DESC LIMIT ?",
			  like, state, limit, out, n, e);
}

int
feedback_public_list(const struct ctx *c, int64_t unit_id, int limit, struct feedback_rec **out,
		     size_t *n, struct err *e)
{
	const char *like;
	if (subtree_like(c, unit_id, &like, e) < 0)
		return -1;
	if (list_query(c,
		       "SELECT " FB_COLS "WHERE u.path LIKE ? AND (? = '' OR f.state = ?) "
		       "ORDER BY f.published_at DESC, f.id DESC LIMIT ?",
		       like, "published", limit, out, n, e) < 0)
		return -1;
	for (size_t i = 0; i < *n; i++) {
		struct feedback_rec *r = &(*out)[i];
		const char *personal[] = {r->name, r->phone, r->email};
		r->content = feedback_mask(c->arena, r->content, personal, 3);
		r->answer = feedback_mask(c->arena, r->answer, personal, 3);
		r->name = feedback_initials(c->arena, r->name);
		r->phone = r->email = NULL;
		r->assignee_name = NULL;
	}
	return 0;
}

/* ---- actions ---- */

struct act_args {
	const struct ctx *c;
	const struct fb_transition *t;
	const struct feedback_action_in *in;
	int64_t id, assignee, publish_due;
};

static int
act_tx(struct db *db, void *arg, struct err *e)
{
	struct act_args *a = arg;
	const struct ctx *c = a->c;
	char state[32], tip[65];
	int64_t seq;
	if (fb_lock(db, c, a->id, state, &seq, tip, e) < 0)
		return -1;
	struct db_stmt *st;
	int rc;
	int from = fs_parse(state);
	if (from < 0 || !(a->t->from & S(from)))
		return err_setf(e, ERR_CONFLICT, "action",
				"Không thể “%s” phản ánh ở trạng thái hiện tại",
				"cannot '%s' feedback in its current state", a->t->vi);
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "UPDATE feedback SET state = ?, reason = COALESCE(?, reason), assignee_id = "
		 "COALESCE(CAST(? AS BIGINT), assignee_id), answer = COALESCE(?, answer), "
		 "classification = COALESCE(?, classification), publish_due = "
		 "COALESCE(CAST(? AS BIGINT), publish_due), %s = ? WHERE id = ?",
		 a->t->stamp);
	st = db_prepare(db, sql);
	if (!st)
		return db_fail(db, e);
	const struct feedback_action_in *in = a->in;
	db_bind_text(st, 1, fs_names[a->t->to]);
	bind_opt(st, 2, in->reason);
	if (a->assignee)
		db_bind_int(st, 3, a->assignee);
	else
		db_bind_null(st, 3);
	bind_opt(st, 4, in->answer);
	bind_opt(st, 5, in->classification);
	if (a->publish_due)
		db_bind_int(st, 6, a->publish_due);
	else
		db_bind_null(st, 6);
	db_bind_int(st, 7, c->now);
	db_bind_int(st, 8, a->id);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(db, e);
	const char *note = in->reason ? in->reason : in->answer ? in->answer : in->assignee;
	return fb_append_event(db, c, a->id, &seq, tip, a->t->action, state, fs_names[a->t->to],
			       note, e);
}

int
feedback_act(const struct ctx *c, const char *code, const struct feedback_action_in *in,
	     struct err *e)
{
	const struct fb_transition *t = fb_find(in->action);
	if (!t)
		return err_set(e, ERR_VALIDATION, "action", "Thao tác không hợp lệ",
			       "unknown action");
	if (!c->actor)
		return err_set(e, ERR_UNAUTHENTICATED, "", "Cần đăng nhập", "login required");
	struct feedback_rec f;
	if (fb_load(c, code, &f, e) < 0 || fb_staff_of(c, f.unit_id, e) < 0)
		return -1;
	int may = 0;
	for (int r = 0; r < ROLE__MAX && !may; r++)
		if ((t->roles & R(r)) && authz_has(c, (enum role)r, f.unit_id))
			may = 1;
	if (!may)
		return err_setf(e, ERR_FORBIDDEN, "action", "Bạn không có quyền “%s” phản ánh này",
				"you may not '%s' this feedback", t->vi);
	struct act_args a = {.c = c, .t = t, .in = in, .id = f.id};
	if ((t->to == FS_REFUSED || t->to == FS_INFO) && (!in->reason || !*in->reason))
		return err_set(e, ERR_VALIDATION, "reason", "Cần nêu lý do", "reason is required");
	if (t->to == FS_ANSWERED && (!in->answer || !*in->answer))
		return err_set(e, ERR_VALIDATION, "answer", "Cần nhập nội dung trả lời",
			       "answer is required");
	if (t->to == FS_ASSIGNED) {
		if (!in->assignee || !*in->assignee)
			return err_set(e, ERR_VALIDATION, "assignee", "Cần chọn người xử lý",
				       "assignee is required");
		int r;
		if (strspn(in->assignee, "0123456789") == strlen(in->assignee) &&
		    strlen(in->assignee) < 19) {
			struct db_stmt *st = db_prepare(
			    c->db, "SELECT id FROM app_user WHERE id = ? AND disabled = 0");
			if (!st)
				return db_fail(c->db, e);
			db_bind_int(st, 1, strtoll(in->assignee, NULL, 10));
			int rc = db_step(st);
			if (rc == DB_ROW)
				a.assignee = db_col_int(st, 0);
			db_reset(st);
			r = rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : db_fail(c->db, e);
		} else {
			r = query_int_text(c->db,
					   "SELECT id FROM app_user WHERE username = ? AND "
					   "disabled = 0",
					   in->assignee, &a.assignee, e);
		}
		if (r < 0)
			return -1;
		if (r == 0)
			return err_set(e, ERR_VALIDATION, "assignee",
				       "Không tìm thấy người được phân công", "assignee not found");
	}
	if (t->to == FS_ANSWERED) {
		pthread_once(&data_once, data_init);
		if (fb_due(c, f.unit_id, c->now, fd_days[FD_PUBLISH], &a.publish_due, e) < 0)
			return -1;
	}
	return db_tx(c->db, act_tx, &a, e);
}

/* ---- ratings ---- */

struct rate_args {
	const struct ctx *c;
	int64_t dossier_id, unit_id;
	int satisfied;
	const char *reasons;
	struct fb_new n;
};

static int
rate_tx(struct db *db, void *arg, struct err *e)
{
	struct rate_args *a = arg;
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM dossier_rating WHERE dossier_id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, a->dossier_id);
	int rc = db_step(st);
	db_reset(st);
	if (rc == DB_ROW)
		return err_set(e, ERR_CONFLICT, "dossier", "Hồ sơ đã được đánh giá",
			       "the dossier was already rated");
	if (rc != DB_DONE)
		return db_fail(db, e);
	if (!a->satisfied && fb_insert(db, a->c, &a->n, e) < 0)
		return -1;
	st = db_prepare(db, "INSERT INTO dossier_rating (dossier_id, unit_id, satisfied, reasons, "
			    "feedback_id, at) VALUES (?, ?, ?, ?, ?, ?)");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, a->dossier_id);
	db_bind_int(st, 2, a->unit_id);
	db_bind_int(st, 3, a->satisfied ? 1 : 0);
	db_bind_text(st, 4, a->reasons);
	if (a->satisfied)
		db_bind_null(st, 5);
	else
		db_bind_int(st, 5, a->n.id);
	db_bind_int(st, 6, a->c->now);
	rc = db_step(st);
	int unique = rc != DB_DONE && db_err_is_unique(db);
	db_reset(st);
	if (unique)
		return err_set(e, ERR_CONFLICT, "dossier", "Hồ sơ đã được đánh giá",
			       "the dossier was already rated");
	return rc == DB_DONE ? 0 : db_fail(db, e);
}

int
rating_submit(const struct ctx *c, const char *dossier_code, const char *token, int satisfied,
	      const char *const *reasons, size_t nreasons, const char **feedback_code,
	      const char **feedback_secret, struct err *e)
{
	*feedback_code = NULL;
	if (feedback_secret)
		*feedback_secret = NULL;
	if (nreasons > RATING_MAX_REASONS)
		return err_set(e, ERR_VALIDATION, "reasons", "Quá nhiều lý do", "too many reasons");
	struct buf rb = BUF_INIT(1024);
	for (size_t i = 0; i < nreasons; i++) {
		if (!rating_reason_valid(reasons[i])) {
			buf_release(&rb);
			return err_setf(e, ERR_VALIDATION, "reasons", "Lý do không hợp lệ: %s",
					"unknown reason: %s", reasons[i] ? reasons[i] : "");
		}
	}
	struct db_stmt *st = db_prepare(
	    c->db, "SELECT id, state, lookup_token, competent_unit_id, applicant_name, "
		   "applicant_phone, applicant_email, procedure_code FROM dossier WHERE code = ?");
	if (!st) {
		buf_release(&rb);
		return db_fail(c->db, e);
	}
	db_bind_text(st, 1, dossier_code);
	int rc = db_step(st);
	struct rate_args a = {.c = c, .satisfied = satisfied};
	char state[32] = "";
	int token_ok = 0;
	struct feedback_in fin = {.channel = "web"};
	if (rc == DB_ROW) {
		a.dossier_id = db_col_int(st, 0);
		snprintf(state, sizeof(state), "%s", db_col_text(st, 1));
		token_ok = token && crypto_equal(token, db_col_text(st, 2));
		a.unit_id = db_col_int(st, 3);
		fin.name = arena_strdup(c->arena, db_col_text(st, 4));
		fin.phone = arena_strdup(c->arena, db_col_text(st, 5));
		fin.email = arena_strdup(c->arena, db_col_text(st, 6));
		fin.procedure_code = arena_strdup(c->arena, db_col_text(st, 7));
	}
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE) {
		buf_release(&rb);
		return db_fail(c->db, e);
	}
	if (rc == DB_DONE || !token_ok) {
		buf_release(&rb);
		return err_set(e, ERR_NOT_FOUND, "dossier", "Không tìm thấy hồ sơ",
			       "dossier not found");
	}
	if (strcmp(state, "returned") != 0) {
		buf_release(&rb);
		return err_set(e, ERR_CONFLICT, "dossier", "Hồ sơ chưa trả kết quả",
			       "the dossier has not been returned");
	}
	for (size_t i = 0; i < nreasons; i++)
		buf_addf(&rb, "%s%s", i ? "," : "", reasons[i]);
	a.reasons = arena_strdup(c->arena, rb.data ? rb.data : "");
	buf_reset(&rb);
	if (!satisfied) {
		fin.dossier_code = dossier_code;
		buf_addf(&rb, "Không hài lòng với việc giải quyết hồ sơ %s.", dossier_code);
		for (size_t i = 0; i < nreasons; i++)
			buf_addf(&rb, "%s%s", i ? "; " : " Lý do: ", reason_vi(reasons[i]));
		fin.content = arena_strdup(c->arena, rb.data);
		fin.classification = "rating";
		a.n.in = &fin;
		a.n.unit_id = a.unit_id;
		if (fb_dues(c, &a.n, e) < 0) {
			buf_release(&rb);
			return -1;
		}
	}
	buf_release(&rb);
	if (db_tx(c->db, rate_tx, &a, e) < 0)
		return -1;
	if (!satisfied) {
		*feedback_code = a.n.code;
		if (feedback_secret)
			*feedback_secret = a.n.secret;
	}
	return 0;
}

/* ---- satisfaction inputs ---- */

int
satisfaction_inputs(const struct ctx *c, int64_t unit_id, int64_t from, int64_t to,
		    struct feedback_inputs *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	if (!unit_id)
		unit_id = default_unit(c);
	if (fb_staff_of(c, unit_id, e) < 0)
		return -1;
	const char *like;
	if (subtree_like(c, unit_id, &like, e) < 0)
		return -1;
	if (!to)
		to = INT64_MAX;
	struct db_stmt *st = db_prepare(
	    c->db, "SELECT COUNT(*), COALESCE(SUM(r.satisfied), 0) FROM dossier_rating r JOIN "
		   "unit u ON u.id = r.unit_id WHERE u.path LIKE ? AND r.at >= ? AND r.at < ?");
	if (!st)
		return db_fail(c->db, e);
	db_bind_text(st, 1, like);
	db_bind_int(st, 2, from);
	db_bind_int(st, 3, to);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->ratings_total = db_col_int(st, 0);
		out->ratings_satisfied = db_col_int(st, 1);
		out->ratings_unsatisfied = out->ratings_total - out->ratings_satisfied;
	}
	db_reset(st);
	if (rc != DB_ROW)
		return db_fail(c->db, e);
	st = db_prepare(
	    c->db,
	    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN f.answered_at IS NOT NULL AND f.answered_at "
	    "<= f.answer_due THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN f.answered_at > "
	    "f.answer_due THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN f.answered_at IS NULL "
	    "AND f.state <> 'refused' AND f.answer_due < ? THEN 1 ELSE 0 END), 0), "
	    "COALESCE(SUM(CASE WHEN f.state = 'refused' THEN 1 ELSE 0 END), 0) FROM feedback "
	    "f JOIN unit u ON u.id = f.unit_id WHERE u.path LIKE ? AND f.received_at >= ? AND "
	    "f.received_at < ?");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, c->now);
	db_bind_text(st, 2, like);
	db_bind_int(st, 3, from);
	db_bind_int(st, 4, to);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->feedback_received = db_col_int(st, 0);
		out->feedback_answered_on_time = db_col_int(st, 1);
		out->feedback_answered_late = db_col_int(st, 2);
		out->feedback_open_overdue = db_col_int(st, 3);
		out->feedback_refused = db_col_int(st, 4);
	}
	db_reset(st);
	return rc == DB_ROW ? 0 : db_fail(c->db, e);
}

/* One end of a period: a civil date (the whole day at UTC+7: `from` at its start, `to` at the
 * start of the next day) or an RFC 3339 instant (as is); NULL or "" for an open end. */
static int
period_end(const char *s, int is_to, const char *field, int64_t *out, struct err *e)
{
	int64_t day;
	*out = 0;
	if (!s || !*s)
		return 0;
	if (civil_parse_date(s, &day) == 0) {
		*out = (day + (is_to ? 1 : 0)) * 86400 - CIVIL_OFFSET;
		return 0;
	}
	if (civil_parse_rfc3339(s, out) == 0)
		return 0;
	return err_set(e, ERR_VALIDATION, field, "Ngày hoặc thời điểm không hợp lệ",
		       "invalid date or date-time");
}

int
feedback_index_inputs(const struct ctx *c, int64_t unit_id, const char *from, const char *to,
		      struct feedback_inputs *out, struct err *e)
{
	int64_t t0, t1;
	memset(out, 0, sizeof(*out));
	if (period_end(from, 0, "from", &t0, e) < 0 || period_end(to, 1, "to", &t1, e) < 0)
		return -1;
	if (t0 && t1 && t1 <= t0)
		return err_set(e, ERR_VALIDATION, "to", "Ngày kết thúc phải sau ngày bắt đầu",
			       "the period must end after it starts");
	return satisfaction_inputs(c, unit_id, t0, t1, out, e);
}

/* ---- masking ---- */

static int
email_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '.' || ch == '_' || ch == '%' || ch == '+' || ch == '-';
}

static int
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

char *
feedback_mask(struct arena *a, const char *text, const char *const *personal, size_t n)
{
	if (!text)
		return NULL;
	char *s = arena_strdup(a, text);
	size_t len = strlen(s);
	for (size_t k = 0; k < n; k++) {
		const char *p = personal[k];
		size_t pl = p ? strlen(p) : 0;
		if (pl < 3)
			continue;
		for (char *q = strstr(s, p); q; q = strstr(q + pl, p))
			memset(q, '*', pl);
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '@')
			continue;
		size_t l = i, r = i + 1;
		while (l > 0 && email_char((unsigned char)s[l - 1]))
			l--;
		while (r < len && email_char((unsigned char)s[r]))
			r++;
		if (l < i && r > i + 1) {
			memset(s + l, '*', r - l);
			s[i] = '@';
		}
		i = r > i ? r - 1 : i;
	}
	for (size_t i = 0; i < len;) {
		if (!is_digit(s[i])) {
			i++;
			continue;
		}
		size_t j = i, digits = 0;
		while (j < len) {
			if (is_digit(s[j])) {
				digits++;
				j++;
			} else if ((s[j] == ' ' || s[j] == '.' || s[j] == '-') && j + 1 < len &&
				   is_digit(s[j + 1])) {
				j++;
			} else {
				break;
			}
		}
		if (digits >= 6)
			for (size_t k = i; k < j; k++)
				if (is_digit(s[k]))
					s[k] = '*';
		i = j;
	}
	return s;
}

char *
feedback_initials(struct arena *a, const char *name)
{
	if (!name)
		return NULL;
	size_t len = strlen(name);
	char *out = arena_alloc(a, 2 * len + 2);
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		while (i < len && name[i] == ' ')
			i++;
		if (i >= len)
			break;
		size_t cl = 1;
		while (i + cl < len && ((unsigned char)name[i + cl] & 0xC0) == 0x80)
			cl++;
		memcpy(out + o, name + i, cl);
		o += cl;
		out[o++] = '.';
		while (i < len && name[i] != ' ')
			i++;
	}
	out[o] = 0;
	return out;
}

/* ---- the event chains ---- */

static int
tip_ok(int64_t expect, int64_t tip_seq, const char *prev, const char *tip)
{
	return expect - 1 == tip_seq && strcmp(prev, tip) == 0;
}

int
feedback_verify(struct db *db, int64_t *checked, struct err *e)
{
	*checked = 0;
	struct db_stmt *st = db_prepare(
	    db, "SELECT e.feedback_id, e.seq, e.at, e.actor_name, e.action, e.from_state, "
		"e.to_state, e.note, e.prev_hash, e.hash, f.code, f.event_seq, f.event_hash FROM "
		"feedback_event e JOIN feedback f ON f.id = e.feedback_id ORDER BY e.feedback_id, "
		"e.seq");
	if (!st)
		return db_fail(db, e);
	int64_t cur = -1, expect = 1, tip_seq = 0;
	char prev[65], tip[65] = "", code[64] = "";
	memset(prev, '0', 64);
	prev[64] = 0;
	const char *why = NULL;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		if (id != cur) {
			if (cur >= 0 && !tip_ok(expect, tip_seq, prev, tip)) {
				why = "the item's chain tip does not match its last event";
				break;
			}
			cur = id;
			expect = 1;
			memset(prev, '0', 64);
			snprintf(code, sizeof(code), "%s", db_col_text(st, 10));
			tip_seq = db_col_int(st, 11);
			snprintf(tip, sizeof(tip), "%s", db_col_text(st, 12));
			(*checked)++;
		}
		int64_t seq = db_col_int(st, 1);
		char sid[24], sseq[24], sat[24], hash[65];
		snprintf(sid, sizeof(sid), "%" PRId64, id);
		snprintf(sseq, sizeof(sseq), "%" PRId64, seq);
		snprintf(sat, sizeof(sat), "%" PRId64, db_col_int(st, 2));
		const char *fields[] = {sid,
					sseq,
					sat,
					db_col_text(st, 3),
					db_col_text(st, 4),
					db_col_text(st, 5),
					db_col_text(st, 6),
					db_col_text(st, 7)};
		chain_hash(prev, fields, 8, hash);
		if (seq != expect)
			why = "an event is missing";
		else if (strcmp(prev, db_col_text(st, 8)) != 0)
			why = "prev_hash does not match the previous event";
		else if (strcmp(hash, db_col_text(st, 9)) != 0)
			why = "an event's contents do not match its hash";
		if (why)
			break;
		memcpy(prev, hash, sizeof(prev));
		expect++;
	}
	db_reset(st);
	if (rc == DB_ERROR)
		return db_fail(db, e);
	if (!why && cur >= 0 && !tip_ok(expect, tip_seq, prev, tip))
		why = "the item's chain tip does not match its last event";
	if (why)
		return err_setf(e, ERR_CONFLICT, "feedback_event", "Nhật ký phản ánh %s bị sửa đổi",
				"feedback %s: %s", code, why);
	return 0;
}
