/*
 * outbox.c: the sender thread, the admin's view of the outbox, and webhook subscriptions
 * (see outbox.h). Delivery itself is deliver.c; the staff warnings are sweep.c.
 */
#include "service/outbox.h"
#include "core/text.h"
#include "core/buf.h"
#include "core/civil.h"
#include "core/log.h"
#include "crypto/crypto.h"
#include "service/audit.h"
#include "service/clocksvc.h"
#include "service/deliver.h"
#include "service/sweep.h"
#include "service/unit.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WEBHOOK_URL_MAX 2000

int64_t
outbox_backoff(int base, int attempts)
{
	static const int64_t factor[] = {1, 4, 20, 120, 720};
	int i = attempts < 1 ? 0 : attempts > 5 ? 4 : attempts - 1;
	return (int64_t)base * factor[i];
}

/* ---- the sender ---- */

struct claimed {
	int64_t id, dossier_id, webhook_id, created_at;
	int64_t attempts; /* after the claim: the fencing token */
	const char *kind, *channel, *recipient, *subject, *body;
	int done;
};

static struct outbox_config cfg;
static pthread_t thread;
static int running;
static atomic_int stopping;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

/* claim up to max due rows of a channel: one statement, so it is atomic on both databases;
 * on PostgreSQL the outer WHERE is re-checked on rows another node updated meanwhile */
static int
claim(struct db *db, struct arena *ar, const char *channel, int64_t now, struct claimed *out,
      int max, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db, "UPDATE outbox SET next_attempt_at = ?, attempts = attempts + 1 WHERE id IN "
		"(SELECT id FROM outbox WHERE status = 'pending' AND channel = ? AND "
		"next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?) AND status = 'pending' AND "
		"next_attempt_at <= ? RETURNING id, COALESCE(dossier_id, 0), COALESCE(webhook_id, "
		"0), created_at, attempts, kind, channel, recipient, subject, body");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, now + OUTBOX_LEASE);
	db_bind_text(st, 2, channel);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, max);
	db_bind_int(st, 5, now);
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW && n < max) {
		struct claimed *c = &out[n++];
		c->id = db_col_int(st, 0);
		c->dossier_id = db_col_int(st, 1);
		c->webhook_id = db_col_int(st, 2);
		c->created_at = db_col_int(st, 3);
		c->attempts = db_col_int(st, 4);
		c->kind = arena_strdup(ar, db_col_text(st, 5));
		c->channel = arena_strdup(ar, db_col_text(st, 6));
		c->recipient = arena_strdup(ar, db_col_text(st, 7));
		c->subject = arena_strdup(ar, db_col_text(st, 8));
		c->body = arena_strdup(ar, db_col_text(st, 9));
		c->done = 0;
	}
	db_reset(st);
	if (rc == DB_ERROR)
		return db_fail(db, e);
	return n;
}

enum mark { MARK_SENT, MARK_RETRY, MARK_FAILED, MARK_RELEASE };

/* record an outcome, fenced by the attempt count of our claim */
static void
mark(struct db *db, const struct claimed *c, enum mark m, const char *error, int64_t now)
{
	static const char *const sql[] = {
	    [MARK_SENT] = "UPDATE outbox SET status = 'sent', sent_at = ?, next_attempt_at = ?, "
			  "last_error = NULL WHERE id = ? AND attempts = ? AND status = 'pending'",
	    [MARK_RETRY] = "UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE id = ? "
			   "AND attempts = ? AND status = 'pending'",
	    [MARK_FAILED] = "UPDATE outbox SET status = 'failed', next_attempt_at = ?, last_error "
			    "= ? WHERE id = ? AND attempts = ? AND status = 'pending'",
	    [MARK_RELEASE] = "UPDATE outbox SET next_attempt_at = ?, attempts = attempts - 1 "
			     "WHERE id = ? AND attempts = ? AND status = 'pending'",
	};
	struct db_stmt *st = db_prepare(db, sql[m]);
	if (!st) {
		log_event(LOG_ERROR, "outbox_mark", "error", db_errmsg(db), NULL);
		return;
	}
	int i = 1;
	switch (m) {
	case MARK_SENT:
		db_bind_int(st, i++, now);
		db_bind_int(st, i++, now);
		break;
	case MARK_RETRY:
		/* a second more: `now` is the failure's second truncated, and a retry due at
		 * now + backoff could come up to a second before the back-off has passed */
		db_bind_int(st, i++,
			    now + 1 + outbox_backoff(cfg.backoff_seconds, (int)c->attempts));
		db_bind_text(st, i++, error);
		break;
	case MARK_FAILED:
		db_bind_int(st, i++, now);
		db_bind_text(st, i++, error);
		break;
	case MARK_RELEASE:
		db_bind_int(st, i++, now);
		break;
	}
	db_bind_int(st, i++, c->id);
	db_bind_int(st, i++, c->attempts);
	if (db_step(st) != DB_DONE)
		log_event(LOG_ERROR, "outbox_mark", "error", db_errmsg(db), NULL);
	db_reset(st);
}

/* the webhook's secret: by the row's webhook id, else (rows written before 006) by its URL,
 * preferring the subscription of the dossier's receiving unit */
static const char *
hook_secret(struct db *db, struct arena *ar, const struct claimed *c, int *active)
{
	struct db_stmt *st;
	if (c->webhook_id) {
		st = db_prepare(db, "SELECT secret, active FROM webhook WHERE id = ?");
		if (st)
			db_bind_int(st, 1, c->webhook_id);
	} else {
		st = db_prepare(db,
				"SELECT w.secret, w.active FROM webhook w LEFT JOIN dossier d ON "
				"d.id = ? AND d.receiving_unit_id = w.unit_id WHERE w.url = ? "
				"ORDER BY d.id IS NULL, w.active DESC, w.id LIMIT 1");
		if (st) {
			db_bind_int(st, 1, c->dossier_id);
			db_bind_text(st, 2, c->recipient);
		}
	}
	if (!st)
		return NULL;
	const char *secret = NULL;
	if (db_step(st) == DB_ROW) {
		secret = arena_strdup(ar, db_col_text(st, 0));
		*active = (int)db_col_int(st, 1);
	}
	db_reset(st);
	return secret;
}

static const char *
dossier_code(struct db *db, struct arena *ar, int64_t id)
{
	const char *code = NULL;
	struct db_stmt *st = id ? db_prepare(db, "SELECT code FROM dossier WHERE id = ?") : NULL;
	if (!st)
		return NULL;
	db_bind_int(st, 1, id);
	if (db_step(st) == DB_ROW)
		code = arena_strdup(ar, db_col_text(st, 0));
	db_reset(st);
	return code;
}

/* {"id","event","dossier","subject","text","at"}: built here with buf's JSON strings, as
 * nothing below api/ links the JSON library */
static int
hook_body(const struct claimed *c, const char *code, struct buf *b)
{
	char at[32];
	civil_format_rfc3339(c->created_at, at);
	buf_addf(b, "{\"id\":%" PRId64 ",\"event\":", c->id);
	buf_add_json_str(b, c->kind);
	buf_adds(b, ",\"dossier\":");
	buf_add_json_str(b, code);
	buf_adds(b, ",\"subject\":");
	buf_add_json_str(b, c->subject);
	buf_adds(b, ",\"text\":");
	buf_add_json_str(b, c->body);
	buf_adds(b, ",\"at\":");
	buf_add_json_str(b, at);
	buf_adds(b, "}");
	return b->overflow ? -1 : 0;
}

static enum deliver_result
send_one(struct db *db, struct deliver *dl, struct arena *ar, const struct claimed *c, char *error)
{
	if (strcmp(c->channel, "email") == 0) {
		char tag[48];
		snprintf(tag, sizeof(tag), "outbox-%" PRId64, c->id);
		struct deliver_mail m = {cfg.smtp_from, c->recipient, c->subject,
					 c->body,	tag,	      civil_now()};
		return deliver_mail(dl, &m, error);
	}
	if (strcmp(c->channel, "webhook") != 0) {
		snprintf(error, DELIVER_ERR_MAX, "unknown channel %.40s", c->channel);
		return DELIVER_PERMANENT;
	}
	int active = 0;
	const char *secret = hook_secret(db, ar, c, &active);
	if (!secret || !active) {
		snprintf(error, DELIVER_ERR_MAX, "%s",
			 secret ? "webhook deactivated" : "no such webhook");
		return DELIVER_PERMANENT;
	}
	struct buf body = BUF_INIT(1 << 20);
	enum deliver_result r;
	if (hook_body(c, dossier_code(db, ar, c->dossier_id), &body) < 0) {
		snprintf(error, DELIVER_ERR_MAX, "message too large");
		r = DELIVER_PERMANENT;
	} else {
		struct deliver_hook h = {c->recipient, secret, body.data, c->kind, c->id};
		r = deliver_hook(dl, &h, error);
	}
	buf_release(&body);
	return r;
}

static void
settle(struct db *db, const struct claimed *c, enum deliver_result r, const char *error)
{
	int64_t now = civil_now();
	char id[24], attempt[24];
	snprintf(id, sizeof(id), "%" PRId64, c->id);
	snprintf(attempt, sizeof(attempt), "%" PRId64, c->attempts);
	if (r == DELIVER_RETRY && c->attempts >= cfg.max_attempts)
		r = DELIVER_PERMANENT; /* out of attempts */
	switch (r) {
	case DELIVER_OK:
		mark(db, c, MARK_SENT, NULL, now);
		log_event(LOG_INFO, "outbox_sent", "id", id, "kind", c->kind, "channel", c->channel,
			  NULL);
		break;
	case DELIVER_ABORTED:
		mark(db, c, MARK_RELEASE, NULL, now);
		break;
	case DELIVER_RETRY:
		mark(db, c, MARK_RETRY, error, now);
		log_event(LOG_WARN, "outbox_retry", "id", id, "channel", c->channel, "attempt",
			  attempt, "error", error, NULL);
		break;
	case DELIVER_PERMANENT:
		mark(db, c, MARK_FAILED, error, now);
		log_event(LOG_ERROR, "outbox_failed", "id", id, "channel", c->channel, "attempt",
			  attempt, "error", error, NULL);
		break;
	}
}

/* one round: claim and deliver due rows of each channel this node can send; the number of
 * rows claimed, or -1 on a database error */
static int
deliver_due(struct db *db, struct deliver *dl, struct arena *ar, struct err *e)
{
	static const char *const channels[] = {"webhook", "email"};
	int total = 0;
	for (int ch = 0; ch < 2; ch++) {
		if (ch == 1 && !cfg.smtp_url)
			break;
		struct claimed rows[OUTBOX_BATCH];
		int n = claim(db, ar, channels[ch], civil_now(), rows, OUTBOX_BATCH, e);
		if (n < 0)
			return -1;
		total += n;
		for (int i = 0; i < n; i++) {
			if (atomic_load(&stopping)) {
				mark(db, &rows[i], MARK_RELEASE, NULL, civil_now());
				continue;
			}
			char error[DELIVER_ERR_MAX] = "";
			enum deliver_result r = send_one(db, dl, ar, &rows[i], error);
			settle(db, &rows[i], r, error);
		}
	}
	return total;
}

/* without --smtp, say once that e-mail waits (when there is some), never in a loop */
static void
note_mail_waiting(struct db *db, int *said)
{
	if (*said || cfg.smtp_url)
		return;
	struct db_stmt *st =
	    db_prepare(db, "SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE "
			   "status = 'pending' AND channel = 'email' LIMIT 1000) x");
	if (!st)
		return;
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	if (n > 0) {
		char count[24];
		snprintf(count, sizeof(count), "%" PRId64 "%s", n, n >= 1000 ? "+" : "");
		log_event(LOG_WARN, "mail_not_configured", "pending", count, "hint",
			  "start with --smtp URL --smtp-from ADDRESS to send e-mail", NULL);
		*said = 1;
	}
}

static void
run_sweep(struct db *db, struct arena *ar)
{
	struct actor sys;
	actor_system(&sys);
	struct ctx c = {db, ar, &sys, civil_now(), "sweep", "sweep"};
	struct sweep_report r;
	struct err e = ERR_INIT;
	if (sweep_run(&c, &r, &e) < 0) {
		log_event(LOG_ERROR, "sweep_failed", "error", e.message_en, NULL);
		return;
	}
	if (r.due_soon || r.late || r.lapsed || r.errors) {
		struct buf b = BUF_INIT(512);
		if (log_begin(&b, LOG_INFO, "sweep") == 0) {
			buf_addf(&b,
				 ",\"due_soon\":%d,\"late\":%d,\"messages\":%d,\"lapsed\":%d,"
				 "\"errors\":%d",
				 r.due_soon, r.late, r.messages, r.lapsed, r.errors);
			log_end(&b);
		}
	}
}

/* sleep until the deadline (CLOCK_REALTIME) or until outbox_stop */
static void
pause_until(const struct timespec *until)
{
	pthread_mutex_lock(&mu);
	while (!atomic_load(&stopping))
		if (pthread_cond_timedwait(&cv, &mu, until) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&mu);
}

static void
pause_for(int seconds)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += seconds;
	pause_until(&t);
}

static void *
run(void *arg)
{
	struct db *db = NULL;
	struct deliver *dl = deliver_new(cfg.smtp_url, &stopping);
	struct arena *ar = arena_new(64 * 1024);
	int64_t next_sweep = civil_now() + cfg.sweep_interval;
	int said = 0;
	if (!dl) {
		log_event(LOG_ERROR, "outbox_disabled", "error", "libcurl did not start", NULL);
		goto out;
	}
	while (!atomic_load(&stopping)) {
		struct err e = ERR_INIT;
		if (!db && db_open(&db, cfg.db_url, &e) < 0) {
			log_event(LOG_ERROR, "outbox_db", "error", e.message_en, NULL);
			pause_for(5);
			continue;
		}
		arena_reset(ar);
		int n = deliver_due(db, dl, ar, &e);
		note_mail_waiting(db, &said);
		if (cfg.sweep_interval > 0 && civil_now() >= next_sweep &&
		    !atomic_load(&stopping)) {
			arena_reset(ar);
			run_sweep(db, ar);
			next_sweep = civil_now() + cfg.sweep_interval;
		}
		if (n < 0) {
			/* perhaps the connection is gone (PostgreSQL restarted): open a new one */
			log_event(LOG_ERROR, "outbox_db", "error", e.message_en, NULL);
			db_close(db);
			db = NULL;
			pause_for(5);
		} else if (n < OUTBOX_BATCH) {
			pause_for(1); /* else more are due: go on at once */
		}
	}
out:
	arena_free(ar);
	deliver_free(dl);
	db_close(db);
	return NULL;
}

int
outbox_start(const struct outbox_config *c, struct err *e)
{
	if (running)
		return 0;
	cfg = *c;
	if (cfg.smtp_url && (!cfg.smtp_from || !text_email_ok(cfg.smtp_from)))
		return err_set(e, ERR_VALIDATION, "smtp-from",
			       "Cần địa chỉ người gửi hợp lệ (--smtp-from) khi gửi thư",
			       "--smtp needs a valid --smtp-from address");
	if (cfg.max_attempts < 1)
		cfg.max_attempts = OUTBOX_MAX_ATTEMPTS;
	if (cfg.backoff_seconds < 1)
		cfg.backoff_seconds = OUTBOX_BACKOFF;
	if (deliver_global_init() < 0)
		return err_set(e, ERR_INTERNAL, "", "Không khởi động được libcurl",
			       "libcurl did not initialise");
	atomic_store(&stopping, 0);
	if (pthread_create(&thread, NULL, run, NULL) != 0) {
		deliver_global_cleanup();
		return err_set(e, ERR_INTERNAL, "", "Không tạo được luồng gửi thông báo",
			       "cannot start the outbox thread");
	}
	running = 1;
	return 0;
}

void
outbox_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&mu);
	atomic_store(&stopping, 1);
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(thread, NULL);
	deliver_global_cleanup();
	running = 0;
}

/* ---- the admin's view ---- */

static int
require_root_admin(const struct ctx *c, struct err *e)
{
	int64_t root = 0;
	struct db_stmt *st =
	    db_prepare(c->db, "SELECT id FROM unit WHERE parent_id IS NULL ORDER BY id LIMIT 1");
	if (st && db_step(st) == DB_ROW)
		root = db_col_int(st, 0);
	if (st)
		db_reset(st);
	return authz_require(c, ROLE_ADMIN, root, e);
}

#define OUTBOX_COLS                                                                                \
	"o.id, COALESCE(o.dossier_id, 0), d.code, o.kind, o.channel, o.recipient, o.subject, "     \
	"o.status, o.attempts, o.next_attempt_at, o.last_error, o.created_at, "                    \
	"COALESCE(o.sent_at, 0)"

static void
read_rec(struct db_stmt *st, struct arena *ar, struct outbox_rec *r)
{
	r->id = db_col_int(st, 0);
	r->dossier_id = db_col_int(st, 1);
	r->dossier_code = arena_strdup(ar, db_col_text(st, 2));
	r->kind = arena_strdup(ar, db_col_text(st, 3));
	r->channel = arena_strdup(ar, db_col_text(st, 4));
	r->recipient = arena_strdup(ar, db_col_text(st, 5));
	r->subject = arena_strdup(ar, db_col_text(st, 6));
	r->status = arena_strdup(ar, db_col_text(st, 7));
	r->attempts = (int)db_col_int(st, 8);
	r->next_attempt_at = db_col_int(st, 9);
	r->last_error = arena_strdup(ar, db_col_text(st, 10));
	r->created_at = db_col_int(st, 11);
	r->sent_at = db_col_int(st, 12);
}

int
outbox_list(const struct ctx *c, const char *status, int limit, const char *cursor,
	    struct outbox_page *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	if (!status)
		status = "failed";
	if (strcmp(status, "pending") && strcmp(status, "sent") && strcmp(status, "failed"))
		return err_set(e, ERR_VALIDATION, "status",
			       "Trạng thái là pending, sent hoặc failed",
			       "status is pending, sent or failed");
	if (limit < 1 || limit > OUTBOX_LIST_MAX)
		limit = 50;
	int64_t cur_t = 0, cur_id = 0;
	if (cursor) {
		char *end;
		cur_t = strtoll(cursor, &end, 10);
		if (*end != '.' || (cur_id = strtoll(end + 1, &end, 10)) <= 0 || *end || cur_t < 0)
			return err_set(e, ERR_VALIDATION, "cursor", "Con trỏ trang không hợp lệ",
				       "invalid cursor");
	}
	if (require_root_admin(c, e) < 0)
		return -1;
	/* most recent activity first, on outbox_due (status, next_attempt_at) */
	struct db_stmt *st = db_prepare(
	    c->db, cursor
		       ? "SELECT " OUTBOX_COLS " FROM outbox o LEFT JOIN dossier d ON d.id = "
			 "o.dossier_id WHERE o.status = ? AND (o.next_attempt_at < ? OR "
			 "(o.next_attempt_at = ? AND o.id < ?)) ORDER BY o.next_attempt_at DESC, "
			 "o.id DESC LIMIT ?"
		       : "SELECT " OUTBOX_COLS " FROM outbox o LEFT JOIN dossier d ON d.id = "
			 "o.dossier_id WHERE o.status = ? ORDER BY o.next_attempt_at DESC, o.id "
			 "DESC LIMIT ?");
	if (!st)
		return db_fail(c->db, e);
	int i = 1;
	db_bind_text(st, i++, status);
	if (cursor) {
		db_bind_int(st, i++, cur_t);
		db_bind_int(st, i++, cur_t);
		db_bind_int(st, i++, cur_id);
	}
	db_bind_int(st, i++, limit + 1);
	out->items = arena_zalloc(c->arena, (size_t)(limit + 1) * sizeof(*out->items));
	int rc;
	while ((rc = db_step(st)) == DB_ROW && out->n < (size_t)limit + 1)
		read_rec(st, c->arena, &out->items[out->n++]);
	db_reset(st);
	if (rc == DB_ERROR)
		return db_fail(c->db, e);
	if (out->n > (size_t)limit) {
		out->n = (size_t)limit;
		const struct outbox_rec *last = &out->items[limit - 1];
		out->next_cursor =
		    arena_printf(c->arena, "%" PRId64 ".%" PRId64, last->next_attempt_at, last->id);
	}
	return 0;
}

struct retry_args {
	const struct ctx *c;
	int64_t id;
	struct outbox_rec *out;
};

static int
retry_tx(struct db *db, void *arg, struct err *e)
{
	struct retry_args *a = arg;
	struct db_stmt *st = db_prepare(db, "SELECT status FROM outbox WHERE id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, a->id);
	int rc = db_step(st);
	int sent = rc == DB_ROW && strcmp(db_col_text(st, 0), "sent") == 0;
	db_reset(st);
	if (rc == DB_ERROR)
		return db_fail(db, e);
	if (rc == DB_DONE)
		return err_set(e, ERR_NOT_FOUND, "id", "Không tìm thấy thông báo",
			       "no such message");
	if (sent)
		return err_set(e, ERR_CONFLICT, "status", "Thông báo đã được gửi",
			       "the message was already sent");
	st = db_prepare(db, "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at "
			    "= ? WHERE id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, a->c->now);
	db_bind_int(st, 2, a->id);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(db, e);
	st = db_prepare(db, "SELECT " OUTBOX_COLS " FROM outbox o LEFT JOIN dossier d ON d.id = "
			    "o.dossier_id WHERE o.id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, a->id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_rec(st, a->c->arena, a->out);
	db_reset(st);
	if (rc != DB_ROW)
		return db_fail(db, e);
	char oid[24];
	snprintf(oid, sizeof(oid), "%" PRId64, a->id);
	return audit_append(a->c, "outbox.retry", "outbox", oid, a->out->recipient, e);
}

int
outbox_retry(const struct ctx *c, int64_t id, struct outbox_rec *out, struct err *e)
{
	if (require_root_admin(c, e) < 0)
		return -1;
	struct retry_args a = {c, id, out};
	return db_tx(c->db, retry_tx, &a, e);
}

/* ---- webhooks ---- */

static int
url_ok(const char *url)
{
	size_t n = url ? strlen(url) : 0;
	size_t scheme = n > 8 && strncmp(url, "https://", 8) == 0  ? 8
			: n > 7 && strncmp(url, "http://", 7) == 0 ? 7
								   : 0;
	if (!scheme || n > WEBHOOK_URL_MAX || url[scheme] == '/' || url[scheme] == '?' ||
	    url[scheme] == '#' || url[scheme] == ':')
		return 0;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return 0;
	/* no user:password@ in the URL: the secret is the credential */
	const char *end = url + scheme + strcspn(url + scheme, "/?#");
	const char *at = memchr(url + scheme, '@', (size_t)(end - url - scheme));
	return at == NULL;
}

struct hook_args {
	const struct ctx *c;
	struct webhook_rec *out;
};

static int
hook_tx(struct db *db, void *arg, struct err *e)
{
	struct hook_args *a = arg;
	struct webhook_rec *w = a->out;
	struct db_stmt *st = db_prepare(db, "INSERT INTO webhook (unit_id, url, secret, active, "
					    "created_at) VALUES (?, ?, ?, 1, ?) RETURNING id");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, w->unit_id);
	db_bind_text(st, 2, w->url);
	db_bind_text(st, 3, w->secret);
	db_bind_int(st, 4, w->created_at);
	int rc = db_step(st);
	if (rc == DB_ROW)
		w->id = db_col_int(st, 0);
	db_reset(st);
	if (rc != DB_ROW)
		return db_fail(db, e);
	char oid[24];
	snprintf(oid, sizeof(oid), "%" PRId64, w->id);
	const char *detail = arena_printf(a->c->arena, "unit %" PRId64 " %s", w->unit_id, w->url);
	return audit_append(a->c, "webhook.create", "webhook", oid, detail, e);
}

int
webhook_create(const struct ctx *c, const char *unit_ref, const char *url, struct webhook_rec *out,
	       struct err *e)
{
	memset(out, 0, sizeof(*out));
	if (!url_ok(url))
		return err_set(e, ERR_VALIDATION, "url",
			       "Địa chỉ phải bắt đầu bằng http:// hoặc https://, có tên máy, không "
			       "chứa khoảng trắng hay tên đăng nhập",
			       "url must be http:// or https:// with a host, without spaces or "
			       "credentials");
	if (unit_resolve(c, unit_ref, &out->unit_id, e) < 0) {
		if (e->code == ERR_NOT_FOUND)
			e->code = ERR_VALIDATION;
		snprintf(e->field, sizeof(e->field), "unit");
		return -1;
	}
	if (authz_require(c, ROLE_UNIT_ADMIN, out->unit_id, e) < 0)
		return -1;
	struct unit_rec u;
	if (unit_get(c, out->unit_id, &u, e) < 0)
		return -1;
	char secret[CRYPTO_TOKEN_LEN + 1];
	crypto_token(secret);
	out->url = arena_strdup(c->arena, url);
	out->secret = arena_strdup(c->arena, secret);
	out->unit_code = u.code;
	out->unit_name = u.name;
	out->active = 1;
	out->created_at = c->now;
	struct hook_args a = {c, out};
	return db_tx(c->db, hook_tx, &a, e);
}

int
webhook_list(const struct ctx *c, const char *unit_ref, struct webhook_rec **out, size_t *n,
	     struct err *e)
{
	int64_t unit = 0;
	*out = NULL;
	*n = 0;
	if (unit_ref && unit_resolve(c, unit_ref, &unit, e) < 0) {
		if (e->code == ERR_NOT_FOUND)
			e->code = ERR_VALIDATION;
		snprintf(e->field, sizeof(e->field), "unit");
		return -1;
	}
	if (authz_require(c, ROLE_UNIT_ADMIN, unit, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(
	    c->db, unit ? "SELECT w.id, w.unit_id, u.code, u.name, w.url, w.active, w.created_at "
			  "FROM webhook w JOIN unit u ON u.id = w.unit_id WHERE w.unit_id = ? "
			  "ORDER BY w.id"
			: "SELECT w.id, w.unit_id, u.code, u.name, w.url, w.active, w.created_at "
			  "FROM webhook w JOIN unit u ON u.id = w.unit_id WHERE w.id > ? ORDER BY "
			  "w.id");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, unit);
	size_t cap = 16;
	struct webhook_rec *v = arena_alloc(c->arena, cap * sizeof(*v));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t uid = db_col_int(st, 1);
		if (!unit && !authz_has(c, ROLE_UNIT_ADMIN, uid))
			continue;
		if (*n == cap) {
			struct webhook_rec *bigger = arena_alloc(c->arena, 2 * cap * sizeof(*v));
			memcpy(bigger, v, cap * sizeof(*v));
			v = bigger;
			cap *= 2;
		}
		struct webhook_rec *w = &v[(*n)++];
		memset(w, 0, sizeof(*w));
		w->id = db_col_int(st, 0);
		w->unit_id = uid;
		w->unit_code = arena_strdup(c->arena, db_col_text(st, 2));
		w->unit_name = arena_strdup(c->arena, db_col_text(st, 3));
		w->url = arena_strdup(c->arena, db_col_text(st, 4));
		w->active = (int)db_col_int(st, 5);
		w->created_at = db_col_int(st, 6);
	}
	db_reset(st);
	if (rc == DB_ERROR)
		return db_fail(c->db, e);
	*out = v;
	return 0;
}
