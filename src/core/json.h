/*
 * json.h: the JSON wrapper (jansson) for the API layer; nothing below api/ includes it.
 * Parsing is bounded (object at the top, duplicate keys rejected, nesting depth capped) and
 * jansson itself rejects invalid UTF-8 and NUL characters. Output goes to a struct buf.
 */
#ifndef MOTCUA_JSON_H
#define MOTCUA_JSON_H

#include <jansson.h>

#include "core/buf.h"
#include "core/err.h"

#define JSON_MAX_DEPTH 16

/* json_parse_object: parse a request body that must be one JSON object (NULL + e on error,
 * field "body", with the line and column in the message). The caller json_decref()s it. */
json_t *json_parse_object(const char *body, size_t len, struct err *e);

/* json_depth: nesting depth of v (a scalar is 0). */
int json_depth(const json_t *v);

/* json_to_buf: compact UTF-8 serialisation appended to out. 0 or -1. */
int json_to_buf(const json_t *v, struct buf *out);

/* Accessors that return a default when the key is missing or of another type. */
const char *json_get_str(const json_t *o, const char *key);
long long json_get_int(const json_t *o, const char *key, long long dflt);
int json_get_bool(const json_t *o, const char *key, int dflt);

#endif
