/*
 * handlers.h: what an API handler sees. Private to src/api/.
 * A handler parses (the body is already validated against its route's schema), calls one
 * service function and serialises the result with the helpers below. It never writes SQL
 * and never frees: everything lives in the request's arena or is released by api.c.
 */
#ifndef MOTCUA_HANDLERS_H
#define MOTCUA_HANDLERS_H

#include "api/api.h"
#include "api/validate.h"
#include "core/json.h"
#include "service/service.h"

#define MAX_PARAMS 4

struct hctx {
	struct req *rq;
	struct resp *rs;
	struct ctx c;
	struct actor actor;
	json_t *body; /* the validated request body, or NULL */
	const char *params[MAX_PARAMS];
	int nparams;
	struct err e;
};

typedef int (*handler_fn)(struct hctx *h);

#define R_PUBLIC     (1u << 0) /* no login needed (an actor is still resolved if present) */
#define R_NO_SESSION (1u << 1) /* do not look at the session at all (login) */
#define R_BODY	     (1u << 2) /* a JSON body is required (schema validated) */
#define R_RAW	     (1u << 3) /* the body is a file's bytes, not JSON (capped per file) */

struct route {
	enum http_method method;
	const char *pattern; /* "/api/v1/units/{id}" */
	handler_fn fn;
	unsigned flags;
	const struct vfield *schema;
};

extern const struct route api_routes[];
extern const int api_nroutes;
extern const struct api_config *api_cfg;

/* Replies. reply_json takes ownership of v. Each returns 0. */
int reply_json(struct hctx *h, int status, json_t *v);
int reply_raw(struct hctx *h, int status, const char *content_type, const void *data, size_t len);
int reply_empty(struct hctx *h, int status);
/* reply_attachment: a stored file's bytes as a download (h_files.c): its type as found in the
 * content, a Content-Disposition naming it (the sha256 when name is empty) and an ETag. */
int reply_attachment(struct hctx *h, const char *name, const char *sha256, const char *mime,
		     const void *data, size_t len);

/* Request helpers. */
const char *query(struct hctx *h, const char *name);
const char *header(struct hctx *h, const char *name);
/* param_id: path parameter i as a positive id, or -1 with h->e set (ERR_NOT_FOUND). */
int64_t param_id(struct hctx *h, int i);
/* query_int: a bounded integer query parameter (dflt when absent), -1 + h->e on bad input. */
int query_int(struct hctx *h, const char *name, int64_t min, int64_t max, int64_t dflt,
	      int64_t *out);

/* JSON builders for common values. */
json_t *jtime(int64_t t);			       /* RFC 3339 +07:00, or null for 0 */
json_t *jstr(const char *s);			       /* string or null */
json_t *jlist(json_t *items, const char *next_cursor); /* {"items":..,"next_cursor":..} */

#endif
