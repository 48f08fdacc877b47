#include "service/auth.h"
#include "core/civil.h"
#include "core/log.h"
#include "core/ratelimit.h"
#include "service/audit.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the resolved-session cache ---- */

#define CACHE_SLOTS   4096
#define CACHE_STRIPES 64

struct cache_slot {
	char key[CRYPTO_SHA256_HEX];
	int64_t cached_at;
	struct actor actor;
};

static struct cache_slot *cache;
static pthread_mutex_t cache_mu[CACHE_STRIPES];
static struct ratelimit *addr_limit;

void
auth_init(void)
{
	if (cache)
		return;
	cache = calloc(CACHE_SLOTS, sizeof(*cache));
	if (!cache)
		abort();
	for (int i = 0; i < CACHE_STRIPES; i++)
		pthread_mutex_init(&cache_mu[i], NULL);
	addr_limit = ratelimit_new(AUTH_ADDRESS_FAILURES, AUTH_ACCOUNT_WINDOW);
}

void
auth_shutdown(void)
{
	free(cache);
	cache = NULL;
	ratelimit_free(addr_limit);
	addr_limit = NULL;
}

static unsigned
slot_of(const char *key)
{
	/* the key is a SHA-256 in hex: its first digits are already uniform */
	return (unsigned)strtoul(
		   (char[9]){key[0], key[1], key[2], key[3], key[4], key[5], key[6], key[7], 0},
		   NULL, 16) &
	       (CACHE_SLOTS - 1);
}

static int
cache_get(const char *key, int64_t now, struct actor *out)
{
	if (!cache)
		return 0;
	unsigned s = slot_of(key);
	pthread_mutex_t *mu = &cache_mu[s % CACHE_STRIPES];
	int hit = 0;
	pthread_mutex_lock(mu);
	struct cache_slot *cs = &cache[s];
	if (cs->key[0] && strcmp(cs->key, key) == 0 && now - cs->cached_at < AUTH_CACHE_TTL &&
	    now < cs->actor.expires_at) {
		*out = cs->actor;
		hit = 1;
	}
	pthread_mutex_unlock(mu);
	return hit;
}

static void
cache_put(const char *key, int64_t now, const struct actor *a)
{
	if (!cache)
		return;
	unsigned s = slot_of(key);
	pthread_mutex_t *mu = &cache_mu[s % CACHE_STRIPES];
	pthread_mutex_lock(mu);
	snprintf(cache[s].key, sizeof(cache[s].key), "%s", key);
	cache[s].cached_at = now;
	cache[s].actor = *a;
	pthread_mutex_unlock(mu);
}

static void
cache_drop_if(int (*match)(const struct cache_slot *, const void *), const void *arg)
{
	if (!cache)
		return;
	for (unsigned s = 0; s < CACHE_SLOTS; s++) {
		pthread_mutex_t *mu = &cache_mu[s % CACHE_STRIPES];
		pthread_mutex_lock(mu);
		if (cache[s].key[0] && match(&cache[s], arg))
			cache[s].key[0] = '\0';
		pthread_mutex_unlock(mu);
	}
}

static int
match_user(const struct cache_slot *cs, const void *arg)
{
	return cs->actor.user_id == *(const int64_t *)arg;
}

void
auth_forget_user(int64_t user_id)
{
	cache_drop_if(match_user, &user_id);
}

/* ---- grants ---- */

int
auth_load_grants(const struct ctx *c, struct actor *a, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(c->db, "SELECT r.role, r.unit_id, u.path FROM user_role r "
			      "JOIN unit u ON u.id = r.unit_id WHERE r.user_id = ? "
			      "ORDER BY u.path, r.role");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, a->user_id);
	a->ngrants = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int role = role_parse(db_col_text(st, 0));
		if (role < 0 || a->ngrants == ACTOR_MAX_GRANTS)
			continue;
		struct grant *g = &a->grants[a->ngrants++];
		g->role = (enum role)role;
		g->unit_id = db_col_int(st, 1);
		snprintf(g->unit_path, sizeof(g->unit_path), "%s", db_col_text(st, 2));
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : db_fail(c->db, e);
}

/* ---- login ---- */

/* A hash to verify against when the user does not exist, so that the answer takes the
 * same time and no one learns which usernames exist. */
static char dummy_hash[CRYPTO_PWHASH_LEN];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
make_dummy(void)
{
	if (crypto_password_hash("motcua-dummy-password", dummy_hash) < 0)
		dummy_hash[0] = '\0';
}

static int
account_locked(const struct ctx *c, const char *username, int *retry)
{
	struct db_stmt *st = db_prepare(c->db, "SELECT failures, window_start FROM login_failure "
					       "WHERE username = ?");
	if (!st)
		return 0;
	db_bind_text(st, 1, username);
	int locked = 0;
	if (db_step(st) == DB_ROW) {
		int64_t failures = db_col_int(st, 0), start = db_col_int(st, 1);
		if (c->now - start < AUTH_ACCOUNT_WINDOW && failures >= AUTH_ACCOUNT_FAILURES) {
			locked = 1;
			*retry = (int)(AUTH_ACCOUNT_WINDOW - (c->now - start));
		}
	}
	db_reset(st);
	return locked;
}

static void
account_failed(const struct ctx *c, const char *username)
{
	/* A new window starts when the old one has passed. */
	struct db_stmt *st = db_prepare(
	    c->db, "INSERT INTO login_failure (username, failures, window_start) VALUES (?, 1, ?) "
		   "ON CONFLICT (username) DO UPDATE SET "
		   "failures = CASE WHEN ? - login_failure.window_start >= ? THEN 1 "
		   "ELSE login_failure.failures + 1 END, "
		   "window_start = CASE WHEN ? - login_failure.window_start >= ? THEN ? "
		   "ELSE login_failure.window_start END");
	if (!st)
		return;
	db_bind_text(st, 1, username);
	db_bind_int(st, 2, c->now);
	db_bind_int(st, 3, c->now);
	db_bind_int(st, 4, AUTH_ACCOUNT_WINDOW);
	db_bind_int(st, 5, c->now);
	db_bind_int(st, 6, AUTH_ACCOUNT_WINDOW);
	db_bind_int(st, 7, c->now);
	db_step(st);
	db_reset(st);
}

static void
account_cleared(const struct ctx *c, const char *username)
{
	struct db_stmt *st = db_prepare(c->db, "DELETE FROM login_failure WHERE username = ?");
	if (!st)
		return;
	db_bind_text(st, 1, username);
	db_step(st);
	db_reset(st);
}

static int
rate_limited(struct err *e, int retry)
{
	return err_setf(e, ERR_RATE_LIMITED, "", "Đăng nhập sai quá nhiều lần, thử lại sau %d giây",
			"too many failed logins, try again in %d seconds", retry);
}

int
auth_login(const struct ctx *c, const char *username, const char *password,
	   struct login_result *out, struct err *e)
{
	int retry = 0;
	char addr_key[80];
	snprintf(addr_key, sizeof(addr_key), "login:%s", c->remote ? c->remote : "");
	if (addr_limit && ratelimit_check(addr_limit, addr_key, c->now, &retry) < 0)
		return rate_limited(e, retry);
	if (account_locked(c, username, &retry))
		return rate_limited(e, retry);

	struct db_stmt *st = db_prepare(c->db, "SELECT id, password_hash, full_name, disabled "
					       "FROM app_user WHERE username = ?");
	if (!st)
		return db_fail(c->db, e);
	db_bind_text(st, 1, username);
	int rc = db_step(st);
	int64_t user_id = 0, disabled = 0;
	char hash[CRYPTO_PWHASH_LEN] = "";
	memset(out, 0, sizeof(*out));
	if (rc == DB_ROW) {
		user_id = db_col_int(st, 0);
		snprintf(hash, sizeof(hash), "%s", db_col_text(st, 1));
		snprintf(out->actor.full_name, sizeof(out->actor.full_name), "%s",
			 db_col_text(st, 2));
		disabled = db_col_int(st, 3);
	}
	db_reset(st);
	if (rc == DB_ERROR)
		return db_fail(c->db, e);
	if (rc != DB_ROW) {
		pthread_once(&dummy_once, make_dummy);
		snprintf(hash, sizeof(hash), "%s", dummy_hash);
	}
	int ok = crypto_password_verify(hash, password) == 0 && user_id && !disabled;
	if (!ok) {
		if (addr_limit)
			ratelimit_hit(addr_limit, addr_key, c->now, NULL);
		account_failed(c, username);
		log_event(LOG_WARN, "login_failed", "username", username, "remote",
			  c->remote ? c->remote : "", NULL);
		return err_set(e, ERR_UNAUTHENTICATED, "password",
			       "Tên đăng nhập hoặc mật khẩu không đúng",
			       "wrong username or password");
	}
	account_cleared(c, username);

	char token_hash[CRYPTO_SHA256_HEX];
	crypto_token(out->token);
	crypto_token(out->csrf_token);
	crypto_sha256_hex(out->token, strlen(out->token), token_hash);
	out->expires_at = c->now + AUTH_SESSION_MAX;
	st = db_prepare(c->db, "INSERT INTO session (token_hash, user_id, csrf_token, created_at, "
			       "last_seen_at, expires_at, remote) VALUES (?, ?, ?, ?, ?, ?, ?) "
			       "RETURNING id");
	if (!st)
		return db_fail(c->db, e);
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, out->csrf_token);
	db_bind_int(st, 4, c->now);
	db_bind_int(st, 5, c->now);
	db_bind_int(st, 6, out->expires_at);
	db_bind_text(st, 7, c->remote);
	rc = db_step(st);
	if (rc == DB_ROW)
		out->actor.session_id = db_col_int(st, 0);
	db_reset(st);
	if (rc != DB_ROW)
		return db_fail(c->db, e);
	out->actor.user_id = user_id;
	out->actor.via = ACTOR_SESSION;
	out->actor.expires_at = out->expires_at;
	snprintf(out->actor.username, sizeof(out->actor.username), "%s", username);
	snprintf(out->actor.csrf_token, sizeof(out->actor.csrf_token), "%s", out->csrf_token);
	if (auth_load_grants(c, &out->actor, e) < 0)
		return -1;
	log_event(LOG_INFO, "login", "username", username, "remote", c->remote ? c->remote : "",
		  NULL);
	return 0;
}

static int
session_invalid(struct err *e)
{
	return err_set(e, ERR_UNAUTHENTICATED, "session",
		       "Phiên làm việc đã hết hạn, vui lòng đăng nhập lại",
		       "session expired or invalid, please log in again");
}

int
auth_session(const struct ctx *c, const char *token, struct actor *out, struct err *e)
{
	char key[CRYPTO_SHA256_HEX];
	if (!token || strlen(token) != CRYPTO_TOKEN_LEN)
		return session_invalid(e);
	crypto_sha256_hex(token, strlen(token), key);
	if (cache_get(key, c->now, out))
		return 0;
	struct db_stmt *st = db_prepare(
	    c->db, "SELECT s.id, s.user_id, s.csrf_token, s.last_seen_at, s.expires_at, "
		   "u.username, u.full_name FROM session s JOIN app_user u ON u.id = s.user_id "
		   "WHERE s.token_hash = ? AND s.revoked = 0 AND u.disabled = 0");
	if (!st)
		return db_fail(c->db, e);
	db_bind_text(st, 1, key);
	int rc = db_step(st);
	int64_t last_seen = 0;
	memset(out, 0, sizeof(*out));
	if (rc == DB_ROW) {
		out->session_id = db_col_int(st, 0);
		out->user_id = db_col_int(st, 1);
		snprintf(out->csrf_token, sizeof(out->csrf_token), "%s", db_col_text(st, 2));
		last_seen = db_col_int(st, 3);
		out->expires_at = db_col_int(st, 4);
		snprintf(out->username, sizeof(out->username), "%s", db_col_text(st, 5));
		snprintf(out->full_name, sizeof(out->full_name), "%s", db_col_text(st, 6));
	}
	db_reset(st);
	if (rc == DB_ERROR)
		return db_fail(c->db, e);
	if (rc != DB_ROW || c->now >= out->expires_at || c->now - last_seen >= AUTH_SESSION_IDLE)
		return session_invalid(e);
	out->via = ACTOR_SESSION;
	if (c->now - last_seen >= 60) {
		/* sliding idle timeout, written at most once a minute */
		st = db_prepare(c->db, "UPDATE session SET last_seen_at = ? WHERE id = ?");
		if (st) {
			db_bind_int(st, 1, c->now);
			db_bind_int(st, 2, out->session_id);
			db_step(st);
			db_reset(st);
		}
	}
	if (auth_load_grants(c, out, e) < 0)
		return -1;
	cache_put(key, c->now, out);
	return 0;
}

int
auth_bearer(const struct ctx *c, const char *token, struct actor *out, struct err *e)
{
	char key[CRYPTO_SHA256_HEX];
	if (!token || strncmp(token, "mc_", 3) != 0 || strlen(token) != CRYPTO_TOKEN_LEN + 3)
		return err_set(e, ERR_UNAUTHENTICATED, "authorization", "Mã truy cập không hợp lệ",
			       "invalid API token");
	crypto_sha256_hex(token, strlen(token), key);
	if (cache_get(key, c->now, out))
		return 0;
	struct db_stmt *st =
	    db_prepare(c->db, "SELECT t.id, t.user_id, t.expires_at, u.username, u.full_name "
			      "FROM api_token t JOIN app_user u ON u.id = t.user_id "
			      "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled = 0");
	if (!st)
		return db_fail(c->db, e);
	db_bind_text(st, 1, key);
	int rc = db_step(st);
	int64_t token_id = 0;
	memset(out, 0, sizeof(*out));
	if (rc == DB_ROW) {
		token_id = db_col_int(st, 0);
		out->user_id = db_col_int(st, 1);
		out->expires_at = db_col_is_null(st, 2) ? INT64_MAX : db_col_int(st, 2);
		snprintf(out->username, sizeof(out->username), "%s", db_col_text(st, 3));
		snprintf(out->full_name, sizeof(out->full_name), "%s", db_col_text(st, 4));
	}
	db_reset(st);
	if (rc == DB_ERROR)
		return db_fail(c->db, e);
	if (rc != DB_ROW || c->now >= out->expires_at)
		return err_set(e, ERR_UNAUTHENTICATED, "authorization",
			       "Mã truy cập không hợp lệ hoặc đã hết hạn",
			       "API token invalid, revoked or expired");
	out->via = ACTOR_TOKEN;
	st = db_prepare(c->db, "UPDATE api_token SET last_used_at = ? WHERE id = ?");
	if (st) {
		db_bind_int(st, 1, c->now);
		db_bind_int(st, 2, token_id);
		db_step(st);
		db_reset(st);
	}
	if (auth_load_grants(c, out, e) < 0)
		return -1;
	cache_put(key, c->now, out);
	return 0;
}

static int
match_session(const struct cache_slot *cs, const void *arg)
{
	return cs->actor.session_id == *(const int64_t *)arg && cs->actor.via == ACTOR_SESSION;
}

int
auth_logout(const struct ctx *c, struct err *e)
{
	if (!c->actor || c->actor->via != ACTOR_SESSION)
		return err_set(e, ERR_UNAUTHENTICATED, "", "Chưa đăng nhập", "not logged in");
	struct db_stmt *st = db_prepare(c->db, "UPDATE session SET revoked = 1 WHERE id = ?");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, c->actor->session_id);
	int rc = db_step(st);
	db_reset(st);
	cache_drop_if(match_session, &c->actor->session_id);
	return rc == DB_DONE ? 0 : db_fail(c->db, e);
}

/* ---- API tokens ---- */

struct token_args {
	const struct ctx *c;
	const char *name;
	int64_t expires_at;
	char *plain;
	int64_t id;
};

static int
token_create_tx(struct db *db, void *arg, struct err *e)
{
	struct token_args *a = arg;
	char raw[CRYPTO_TOKEN_LEN + 1], key[CRYPTO_SHA256_HEX];
	crypto_token(raw);
	snprintf(a->plain, CRYPTO_TOKEN_LEN + 8, "mc_%s", raw);
	crypto_sha256_hex(a->plain, strlen(a->plain), key);
	struct db_stmt *st = db_prepare(db, "INSERT INTO api_token (user_id, name, token_hash, "
					    "created_at, expires_at) VALUES (?, ?, ?, ?, ?) "
					    "RETURNING id");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, a->c->actor->user_id);
	db_bind_text(st, 2, a->name);
	db_bind_text(st, 3, key);
	db_bind_int(st, 4, a->c->now);
	if (a->expires_at)
		db_bind_int(st, 5, a->expires_at);
	else
		db_bind_null(st, 5);
	int rc = db_step(st);
	if (rc == DB_ROW)
		a->id = db_col_int(st, 0);
	db_reset(st);
	if (rc != DB_ROW)
		return db_fail(db, e);
	char oid[24];
	snprintf(oid, sizeof(oid), "%" PRId64, a->id);
	return audit_append(a->c, "token.create", "api_token", oid, a->name, e);
}

int
auth_token_create(const struct ctx *c, const char *name, int64_t expires_at,
		  char plain[CRYPTO_TOKEN_LEN + 8], int64_t *id, struct err *e)
{
	if (!c->actor || !c->actor->user_id)
		return err_set(e, ERR_UNAUTHENTICATED, "", "Cần đăng nhập", "login required");
	if (expires_at && expires_at <= c->now)
		return err_set(e, ERR_VALIDATION, "expires_at", "Thời hạn phải ở tương lai",
			       "expires_at must be in the future");
	struct token_args a = {c, name, expires_at, plain, 0};
	if (db_tx(c->db, token_create_tx, &a, e) < 0)
		return -1;
	*id = a.id;
	return 0;
}

int
auth_token_list(const struct ctx *c, struct token_rec **out, size_t *n, struct err *e)
{
	if (!c->actor || !c->actor->user_id)
		return err_set(e, ERR_UNAUTHENTICATED, "", "Cần đăng nhập", "login required");
	struct db_stmt *st = db_prepare(c->db, "SELECT id, name, created_at, expires_at, "
					       "last_used_at, revoked_at FROM api_token "
					       "WHERE user_id = ? ORDER BY id");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, c->actor->user_id);
	size_t cap = 8, len = 0;
	struct token_rec *v = arena_alloc(c->arena, cap * sizeof(*v));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (len == cap) {
			struct token_rec *nv = arena_alloc(c->arena, 2 * cap * sizeof(*v));
			memcpy(nv, v, len * sizeof(*v));
			v = nv;
			cap *= 2;
		}
		struct token_rec *t = &v[len++];
		t->id = db_col_int(st, 0);
		t->name = arena_strdup(c->arena, db_col_text(st, 1));
		t->created_at = db_col_int(st, 2);
		t->expires_at = db_col_int(st, 3);
		t->last_used_at = db_col_int(st, 4);
		t->revoked_at = db_col_int(st, 5);
	}
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(c->db, e);
	*out = v;
	*n = len;
	return 0;
}

struct revoke_args {
	const struct ctx *c;
	int64_t id;
};

static int
token_revoke_tx(struct db *db, void *arg, struct err *e)
{
	struct revoke_args *a = arg;
	struct db_stmt *st = db_prepare(db, "UPDATE api_token SET revoked_at = ? WHERE id = ? AND "
					    "user_id = ? AND revoked_at IS NULL RETURNING id");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, a->c->now);
	db_bind_int(st, 2, a->id);
	db_bind_int(st, 3, a->c->actor->user_id);
	int rc = db_step(st);
	db_reset(st);
	if (rc == DB_DONE)
		return err_set(e, ERR_NOT_FOUND, "id", "Không tìm thấy mã truy cập",
			       "API token not found");
	if (rc != DB_ROW)
		return db_fail(db, e);
	char oid[24];
	snprintf(oid, sizeof(oid), "%" PRId64, a->id);
	return audit_append(a->c, "token.revoke", "api_token", oid, "", e);
}

int
auth_token_revoke(const struct ctx *c, int64_t id, struct err *e)
{
	if (!c->actor || !c->actor->user_id)
		return err_set(e, ERR_UNAUTHENTICATED, "", "Cần đăng nhập", "login required");
	struct revoke_args a = {c, id};
	if (db_tx(c->db, token_revoke_tx, &a, e) < 0)
		return -1;
	/* a revoked token must stop working now, not after the cache's TTL */
	int64_t uid = c->actor->user_id;
	auth_forget_user(uid);
	return 0;
}
