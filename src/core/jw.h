/*
 * jw.h: a JSON writer straight into a struct buf, for the hottest replies (the citizen's
 * lookup): no tree to build, allocate and free, no callback per token. Keys and structure are
 * the caller's; strings are escaped by buf_add_json_str. Nesting up to JW_DEPTH.
 */
#ifndef MOTCUA_JW_H
#define MOTCUA_JW_H

#include <stdint.h>

#include "core/buf.h"

#define JW_DEPTH 16

struct jw {
	struct buf *b;
	int depth;
	unsigned char more[JW_DEPTH]; /* a value was written at this depth: a comma next */
};

void jw_init(struct jw *w, struct buf *b);
/* key is NULL for a value in an array (or the top-level value) */
void jw_obj(struct jw *w, const char *key);
void jw_arr(struct jw *w, const char *key);
void jw_end(struct jw *w, char close);			   /* '}' or ']' */
void jw_str(struct jw *w, const char *key, const char *v); /* null when v is NULL */
/* jw_strn: the first n bytes of v */
void jw_strn(struct jw *w, const char *key, const char *v, size_t n);
void jw_int(struct jw *w, const char *key, int64_t v);
void jw_bool(struct jw *w, const char *key, int v);
void jw_time(struct jw *w, const char *key, int64_t t); /* RFC 3339 at +07:00; null for 0 */
void jw_null(struct jw *w, const char *key);

#endif
