#include "core/json.h"

#include <math.h>
#include <string.h>

int
json_depth(const json_t *v)
{
	int max = 0;
	if (json_is_object(v)) {
		const char *k;
		json_t *c;
		json_object_foreach((json_t *)v, k, c)
		{
			int d = json_depth(c) + 1;
			if (d > max)
				max = d;
			if (max > JSON_MAX_DEPTH)
				return max;
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *c;
		json_array_foreach(v, i, c)
		{
			int d = json_depth(c) + 1;
			if (d > max)
				max = d;
			if (max > JSON_MAX_DEPTH)
				return max;
		}
	}
	return max;
}

json_t *
json_parse_object(const char *body, size_t len, struct err *e)
{
	json_error_t je;
	if (!body || len == 0) {
		err_set(e, ERR_VALIDATION, "body", "Thiếu nội dung yêu cầu (JSON)",
			"request body (JSON) is missing");
		return NULL;
	}
	json_t *v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!v) {
		err_setf(e, ERR_VALIDATION, "body", "JSON không hợp lệ (dòng %d, cột %d): %s",
			 "malformed JSON (line %d, column %d): %s", je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		err_set(e, ERR_VALIDATION, "body", "Nội dung phải là một đối tượng JSON",
			"body must be a JSON object");
		return NULL;
	}
	if (json_depth(v) > JSON_MAX_DEPTH) {
		json_decref(v);
		err_set(e, ERR_VALIDATION, "body", "JSON lồng nhau quá sâu",
			"JSON nested too deeply");
		return NULL;
	}
	return v;
}

/*
 * json_to_buf: our own encoder over jansson's tree. jansson's dump validates and re-decodes
 * every UTF-8 sequence of every string on the way out (its strings were validated when made)
 * and costs ~100 instructions per byte of Vietnamese text: most of a work list's reply.
 * Objects keep their insertion order, as jansson's dump does; reals as %.17g (round-trip).
 */
static int
enc(const json_t *v, struct buf *out, int depth)
{
	if (depth > 64)
		return -1;
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *x;
		int first = 1;
		if (buf_addc(out, '{') < 0)
			return -1;
		json_object_foreach((json_t *)v, k, x)
		{
			if (!first && buf_addc(out, ',') < 0)
				return -1;
			first = 0;
			if (buf_add_json_str(out, k) < 0 || buf_addc(out, ':') < 0 ||
			    enc(x, out, depth + 1) < 0)
				return -1;
		}
		return buf_addc(out, '}');
	}
	case JSON_ARRAY: {
		if (buf_addc(out, '[') < 0)
			return -1;
		for (size_t i = 0; i < json_array_size(v); i++)
			if ((i && buf_addc(out, ',') < 0) ||
			    enc(json_array_get(v, i), out, depth + 1) < 0)
				return -1;
		return buf_addc(out, ']');
	}
	case JSON_STRING:
		return buf_add_json_strn(out, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		return buf_addf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	case JSON_REAL: {
		double d = json_real_value(v);
		if (!isfinite(d)) /* JSON has no NaN or infinity */
			return -1;
		char s[40];
		int n = snprintf(s, sizeof(s), "%.17g", d);
		if (n <= 0 || n >= (int)sizeof(s) - 2)
			return -1;
		if (!strpbrk(s, ".eEn"))
			memcpy(s + n, ".0", 3), n += 2;
		return buf_add(out, s, (size_t)n);
	}
	case JSON_TRUE:
		return buf_adds(out, "true");
	case JSON_FALSE:
		return buf_adds(out, "false");
	case JSON_NULL:
		return buf_adds(out, "null");
	}
	return -1;
}

int
json_to_buf(const json_t *v, struct buf *out)
{
	if (!v)
		return -1;
	return enc(v, out, 0) < 0 || out->overflow ? -1 : 0;
}

const char *
json_get_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

long long
json_get_int(const json_t *o, const char *key, long long dflt)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

int
json_get_bool(const json_t *o, const char *key, int dflt)
{
	json_t *v = json_object_get(o, key);
	return json_is_boolean(v) ? json_is_true(v) : dflt;
}
