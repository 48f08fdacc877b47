#include "core/json.h"

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

static int
dump_cb(const char *chunk, size_t size, void *data)
{
	return buf_add(data, chunk, size);
}

/* into the buffer's free space in one pass (json_dumpb), again with the exact size when it
 * did not fit: a callback per token costs a fifth of a large reply's encoding */
int
json_to_buf(const json_t *v, struct buf *out)
{
	size_t flags = JSON_COMPACT | JSON_ENCODE_ANY, room = 8192;
	char *p = buf_space(out, room);
	if (!p)
		return json_dump_callback(v, dump_cb, out, flags);
	size_t n = json_dumpb(v, p, room, flags);
	if (n == 0)
		return -1;
	if (n > room) {
		p = buf_space(out, n);
		if (!p || json_dumpb(v, p, n, flags) != n)
			return -1;
	}
	out->len += n;
	return 0;
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
