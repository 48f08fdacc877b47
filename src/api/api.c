/*
 * api.c: routing, authentication, CSRF, validation and the error body. One table of routes
 * (routes.c) read by one loop; handlers live in h_*.c.
 */
#include "api/api.h"
#include "api/handlers.h"
#include "api/web.h"
#include "core/civil.h"
#include "core/log.h"
#include "crypto/crypto.h"
#include "service/auth.h"
#include "service/clocksvc.h"
#include "service/procedure.h"
#include "service/dossier_files.h"
#include "service/feedback_files.h"
#include "store/db.h"
#include "store/migrate.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct api_config cfg_copy;
const struct api_config *api_cfg = &cfg_copy;
/* Each worker thread owns one connection, closed by the key's destructor when the thread
 * ends (so a stopped server leaves none open). */
static pthread_key_t db_key;
static pthread_once_t db_key_once = PTHREAD_ONCE_INIT;

static void
db_key_destroy(void *db)
{
	db_close(db);
}

static void
db_key_make(void)
{
	pthread_key_create(&db_key, db_key_destroy);
}

static const char *method_names[M__MAX] = {"GET",   "HEAD",   "POST",	"PUT",
					   "PATCH", "DELETE", "OPTIONS"};

const char *
http_method_name(enum http_method m)
{
	return (unsigned)m < M__MAX ? method_names[m] : "?";
}

int
http_method_parse(const char *s)
{
	for (int i = 0; i < M__MAX; i++)
		if (strcmp(method_names[i], s) == 0)
			return i;
	return -1;
}

int
api_init(const struct api_config *cfg, struct err *e)
{
	cfg_copy = *cfg;
	dossier_files_configure(cfg->files_dir, cfg->file_max, cfg->dossier_files_max);
	feedback_files_configure(cfg->feedback_files_max);
	pthread_once(&db_key_once, db_key_make);
	db_group_use_writer(1);
	auth_init();
	struct db *db;
	if (db_open(&db, cfg->db_url, e) < 0)
		return -1;
	int applied = 0;
	int rc = migrate_run(db, &applied, e);
	db_close(db);
	return rc;
}

void
api_thread_release(void)
{
	pthread_once(&db_key_once, db_key_make);
	db_close(pthread_getspecific(db_key));
	pthread_setspecific(db_key, NULL);
}

void
api_shutdown(void)
{
	api_thread_release();
	db_group_use_writer(0);
	db_group_release();
	auth_shutdown();
	clocksvc_shutdown();
	procedure_cache_free();
	web_release();
}

static struct db *
thread_db(struct err *e)
{
	struct db *db = pthread_getspecific(db_key);
	if (!db) {
		if (db_open(&db, api_cfg->db_url, e) < 0)
			return NULL;
		pthread_setspecific(db_key, db);
	}
	return db;
}

int
api_route_count(void)
{
	return api_nroutes;
}

const char *
api_route_label(int i)
{
	static _Thread_local char label[128];
	if (i < 0 || i >= api_nroutes)
		return "unrouted";
	snprintf(label, sizeof(label), "%s %s", http_method_name(api_routes[i].method),
		 api_routes[i].pattern);
	return label;
}

void
resp_header(struct resp *rs, const char *name, const char *value)
{
	if (rs->nheaders < RESP_MAX_HEADERS) {
		rs->headers[rs->nheaders][0] = name;
		rs->headers[rs->nheaders][1] = value;
		rs->nheaders++;
	}
}

void
api_error(struct resp *rs, const struct err *e)
{
	rs->status = err_http_status(e->code);
	rs->content_type = "application/json; charset=utf-8";
	buf_reset(&rs->body);
	struct buf *b = &rs->body;
	buf_adds(b, "{\"error\":{\"code\":");
	buf_add_json_str(b, err_code_name(e->code));
	buf_adds(b, ",\"message\":");
	buf_add_json_str(b, e->message_en[0] ? e->message_en : err_code_name(e->code));
	buf_adds(b, ",\"message_vi\":");
	buf_add_json_str(b, e->message_vi[0] ? e->message_vi : e->message_en);
	buf_adds(b, ",\"field\":");
	buf_add_json_str(b, e->field[0] ? e->field : NULL);
	if (e->allowed[0]) {
		buf_adds(b, ",\"allowed\":[");
		const char *p = e->allowed;
		int first = 1;
		while (*p) {
			size_t n = strcspn(p, " ");
			if (n) {
				if (!first)
					buf_addc(b, ',');
				buf_add_json_strn(b, p, n);
				first = 0;
			}
			p += n;
			while (*p == ' ')
				p++;
		}
		buf_addc(b, ']');
	}
	buf_adds(b, "}}");
}

/* ---- replies and request helpers ---- */

int
reply_json(struct hctx *h, int status, json_t *v)
{
	h->rs->status = status;
	h->rs->content_type = "application/json; charset=utf-8";
	buf_reset(&h->rs->body);
	int rc = json_to_buf(v, &h->rs->body);
	json_decref(v);
	if (rc < 0)
		return err_set(&h->e, ERR_INTERNAL, "", "Phản hồi quá lớn", "response too large");
	return 0;
}

int
reply_raw(struct hctx *h, int status, const char *content_type, const void *data, size_t len)
{
	h->rs->status = status;
	h->rs->content_type = content_type;
	h->rs->static_body = data;
	h->rs->static_len = len;
	return 0;
}

int
reply_empty(struct hctx *h, int status)
{
	h->rs->status = status;
	h->rs->content_type = NULL;
	buf_reset(&h->rs->body);
	return 0;
}

const char *
query(struct hctx *h, const char *name)
{
	return h->rq->lookup(h->rq->conn, LOOKUP_QUERY, name);
}

const char *
header(struct hctx *h, const char *name)
{
	return h->rq->lookup(h->rq->conn, LOOKUP_HEADER, name);
}

int64_t
param_id(struct hctx *h, int i)
{
	const char *s = i < h->nparams ? h->params[i] : NULL;
	char *end;
	if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18) {
		err_set(&h->e, ERR_NOT_FOUND, "id", "Không tìm thấy", "not found");
		return -1;
	}
	long long v = strtoll(s, &end, 10);
	if (v <= 0) {
		err_set(&h->e, ERR_NOT_FOUND, "id", "Không tìm thấy", "not found");
		return -1;
	}
	return v;
}

int
query_int(struct hctx *h, const char *name, int64_t min, int64_t max, int64_t dflt, int64_t *out)
{
	const char *s = query(h, name);
	if (!s) {
		*out = dflt;
		return 0;
	}
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v < min || v > max || strlen(s) > 19)
		return err_setf(&h->e, ERR_VALIDATION, name, "Phải là số nguyên từ %lld đến %lld",
				"must be an integer from %lld to %lld", (long long)min,
				(long long)max);
	*out = v;
	return 0;
}

json_t *
jtime(int64_t t)
{
	if (!t)
		return json_null();
	char s[32];
	civil_format_rfc3339(t, s);
	return json_string(s);
}

json_t *
jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *
jlist(json_t *items, const char *next_cursor)
{
	return json_pack("{s:o,s:o}", "items", items, "next_cursor", jstr(next_cursor));
}

/* ---- routing ---- */

/* match: 1 when path fits pattern, capturing {x} segments into params. */
static int
match(const char *pattern, const char *path, struct hctx *h)
{
	int np = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			size_t n = strcspn(s, "/");
			if (!close || n == 0 || np == MAX_PARAMS)
				return 0;
			if (h) /* NULL: only whether it matches */
				h->params[np] = arena_strndup(h->c.arena, s, n);
			np++;
			p = close + 1;
			s += n;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	if (*p || *s)
		return 0;
	if (h)
		h->nparams = np;
	return 1;
}

size_t
api_body_max(const char *method, const char *path, size_t dflt)
{
	int m = http_method_parse(method);
	for (int i = 0; m >= 0 && i < api_nroutes; i++)
		if ((int)api_routes[i].method == m && (api_routes[i].flags & R_RAW) &&
		    match(api_routes[i].pattern, path, NULL))
			return attach_file_max();
	return dflt;
}

static int
find_route(struct hctx *h, const char *path, enum http_method m, int *route)
{
	int path_matched = 0;
	char allow[64] = "";
	for (int i = 0; i < api_nroutes; i++) {
		if (!match(api_routes[i].pattern, path, h))
			continue;
		enum http_method rm = api_routes[i].method;
		if (rm == m || (m == M_HEAD && rm == M_GET)) {
			*route = i;
			return 0;
		}
		if (!strstr(allow, http_method_name(rm))) {
			size_t off = strlen(allow);
			snprintf(allow + off, sizeof(allow) - off, "%s%s", off ? ", " : "",
				 http_method_name(rm));
		}
		path_matched = 1;
	}
	if (path_matched) {
		resp_header(h->rs, "Allow", arena_strdup(h->c.arena, allow));
		return err_setf(&h->e, ERR_METHOD_NOT_ALLOWED, "",
				"Phương thức không được hỗ trợ (%s)",
				"method not allowed (allowed: %s)", allow);
	}
	return err_set(&h->e, ERR_NOT_FOUND, "", "Không tìm thấy đường dẫn", "no such path");
}

/* Resolve the caller: Bearer token or session cookie. Anonymous is fine for public routes. */
static int
authenticate(struct hctx *h, const struct route *r)
{
	const char *authz = header(h, "Authorization");
	if (authz) {
		if (strncasecmp(authz, "Bearer ", 7) != 0)
			return err_set(&h->e, ERR_UNAUTHENTICATED, "authorization",
				       "Tiêu đề Authorization phải là Bearer",
				       "Authorization must use the Bearer scheme");
		if (auth_bearer(&h->c, authz + 7, &h->actor, &h->e) < 0)
			return -1;
		h->c.actor = &h->actor;
		return 0;
	}
	const char *cookie = (r->flags & R_NO_SESSION)
				 ? NULL
				 : h->rq->lookup(h->rq->conn, LOOKUP_COOKIE, "motcua_session");
	if (cookie) {
		if (auth_session(&h->c, cookie, &h->actor, &h->e) < 0) {
			if (r->flags & R_PUBLIC) /* a stale cookie on a public page is harmless */
				return 0;
			return -1;
		}
		h->c.actor = &h->actor;
		/* CSRF: a request that changes something and rides on the cookie must carry the
		 * session's token, and come from our own origin when the browser says so. */
		enum http_method m = h->rq->method;
		if (m != M_GET && m != M_HEAD && m != M_OPTIONS) {
			const char *t = header(h, "X-CSRF-Token");
			if (!t || !crypto_equal(t, h->actor.csrf_token))
				return err_set(&h->e, ERR_FORBIDDEN, "X-CSRF-Token",
					       "Thiếu hoặc sai mã chống giả mạo (CSRF)",
					       "missing or wrong CSRF token");
		}
		return 0;
	}
	if (!(r->flags & R_PUBLIC))
		return err_set(&h->e, ERR_UNAUTHENTICATED, "", "Cần đăng nhập", "login required");
	return 0;
}

static int
check_origin(struct hctx *h)
{
	enum http_method m = h->rq->method;
	if (m == M_GET || m == M_HEAD || m == M_OPTIONS)
		return 0;
	const char *origin = header(h, "Origin");
	const char *host = header(h, "Host");
	if (!origin || !host || strcmp(origin, "null") == 0)
		return origin && strcmp(origin, "null") == 0
			   ? err_set(&h->e, ERR_FORBIDDEN, "Origin", "Nguồn yêu cầu không hợp lệ",
				     "request origin not allowed")
			   : 0;
	const char *o = strstr(origin, "://");
	o = o ? o + 3 : origin;
	if (strcmp(o, host) != 0)
		return err_set(&h->e, ERR_FORBIDDEN, "Origin", "Nguồn yêu cầu không hợp lệ",
			       "cross-origin request refused");
	return 0;
}

static int
parse_body(struct hctx *h, const struct route *r)
{
	if (r->flags & R_RAW) {
		/* the bytes are the file; its content decides its type, but a form is a mistake */
		const char *ct = header(h, "Content-Type");
		if (ct && strncasecmp(ct, "multipart/", 10) == 0)
			return err_set(
			    &h->e, ERR_UNSUPPORTED_MEDIA, "Content-Type",
			    "Gửi nội dung tệp trực tiếp, không dùng multipart/form-data",
			    "send the file's bytes as the body, not multipart/form-data");
		return 0;
	}
	if (!r->schema)
		return 0;
	const char *ct = header(h, "Content-Type");
	if (h->rq->body_len == 0 && !(r->flags & R_BODY))
		return 0;
	if (!ct || strncasecmp(ct, "application/json", 16) != 0)
		return err_set(&h->e, ERR_UNSUPPORTED_MEDIA, "Content-Type",
			       "Nội dung phải là application/json",
			       "Content-Type must be application/json");
	h->body = json_parse_object(h->rq->body, h->rq->body_len, &h->e);
	if (!h->body)
		return -1;
	return validate_object(h->body, r->schema, "", &h->e);
}

void
api_handle(struct req *rq, struct resp *rs)
{
	struct hctx h;
	memset(&h, 0, sizeof(h));
	h.rq = rq;
	h.rs = rs;
	h.c.arena = rq->arena;
	h.c.now = civil_now();
	h.c.remote = rq->remote;
	h.c.request_id = rq->request_id;
	rs->route = -1;
	int route = -1;
	int64_t db_before = 0;
	if (web_serve(rq, rs) == 0)
		return; /* a page or an asset: no database, no session */

	if (find_route(&h, rq->path, rq->method, &route) < 0)
		goto fail;
	rs->route = route;
	const struct route *r = &api_routes[route];
	h.c.db = thread_db(&h.e);
	if (!h.c.db)
		goto fail;
	db_before = db_time_ns(h.c.db);
	if (check_origin(&h) < 0 || authenticate(&h, r) < 0 || parse_body(&h, r) < 0)
		goto fail;
	if (r->fn(&h) < 0)
		goto fail;
	goto out;
fail:
	if (h.e.code == ERR_NONE)
		err_set(&h.e, ERR_INTERNAL, "", "Lỗi nội bộ", "internal error");
	api_error(rs, &h.e);
	if (h.e.code == ERR_INTERNAL)
		log_event(LOG_ERROR, "request_failed", "request_id", rq->request_id, "path",
			  rq->path, "error", h.e.message_en, NULL);
out:
	if (h.c.db)
		rs->db_ns = db_time_ns(h.c.db) - db_before;
	/* never leave a transaction open on this thread's connection */
	if (h.c.db && db_in_tx(h.c.db))
		db_rollback(h.c.db);
	if (h.body)
		json_decref(h.body);
}
