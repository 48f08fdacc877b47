/*
 * api.h: the JSON API as the HTTP layer sees it. The HTTP adapter (src/http/) fills a
 * struct req for each request, with a lookup callback for headers, query parameters and
 * cookies, and calls api_handle, which routes, authenticates, checks CSRF, validates the body
 * against the route's declared schema, calls one handler and fills the struct resp.
 * api_handle never blocks on anything but the database of the calling thread.
 */
#ifndef MOTCUA_API_H
#define MOTCUA_API_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"

enum http_method { M_GET, M_HEAD, M_POST, M_PUT, M_PATCH, M_DELETE, M_OPTIONS, M__MAX };

enum req_lookup { LOOKUP_HEADER, LOOKUP_QUERY, LOOKUP_COOKIE };

struct req {
	enum http_method method;
	const char *path;
	const char *body; /* NUL-terminated; body_len excludes the NUL */
	size_t body_len;
	struct arena *arena;
	const char *request_id;
	const char *remote;
	int secure; /* the client reached us over TLS (X-Forwarded-Proto from a trusted proxy) */
	void *conn;
	const char *(*lookup)(void *conn, enum req_lookup kind, const char *key);
};

#define RESP_MAX_HEADERS 8

struct resp {
	int status;
	const char *content_type;
	struct buf body;
	const void *static_body; /* when set, sent instead of body (embedded assets) */
	size_t static_len;
	const char *headers[RESP_MAX_HEADERS][2];
	int nheaders;
	int route;     /* index into the route table, -1 when unrouted (for metrics) */
	int64_t db_ns; /* time spent in the database for this request */
};

struct api_config {
	const char *db_url;
	const char *files_dir;
	size_t body_max;
	int secure_cookies;	    /* add Secure to the session cookie */
	size_t file_max;	    /* bytes in one attachment (0: 10 MiB) */
	int64_t dossier_files_max;  /* bytes in one dossier's attachments (0: 50 MiB) */
	int64_t feedback_files_max; /* bytes in one feedback item's attachments (0: 20 MiB) */
	long lookup_rate;	    /* public lookups per address per minute (0: 300) */
};

/* api_init: remember the configuration; open and migrate the database once. */
int api_init(const struct api_config *cfg, struct err *e);
/* api_shutdown: close the calling thread's connection and free process state. */
void api_shutdown(void);
/* api_thread_release: close the calling thread's database connection (worker exit). */
void api_thread_release(void);

/* api_handle: answer one request. resp must be zeroed with body initialised. */
void api_handle(struct req *rq, struct resp *rs);
/* api_error: fill rs with the JSON error body of e. */
void api_error(struct resp *rs, const struct err *e);

/* Route names for the metrics: "GET /api/v1/units/{id}". */
int api_route_count(void);
const char *api_route_label(int i);
/* api_body_max: the request body cap of the route at method and path: the per-file limit for
 * routes taking a raw file (uploads), dflt (the JSON cap) for every other. The HTTP layer asks
 * on a request's first call, before it buffers the body. */
size_t api_body_max(const char *method, const char *path, size_t dflt);

/* resp_header: add a response header (both strings must outlive the response). */
void resp_header(struct resp *rs, const char *name, const char *value);

/* The method's name and the method of a name. */
const char *http_method_name(enum http_method m);
int http_method_parse(const char *s);

#endif
