#include "core/jw.h"

#include "core/civil.h"

#include <inttypes.h>
#include <stdio.h>

void
jw_init(struct jw *w, struct buf *b)
{
	w->b = b;
	w->depth = 0;
	w->more[0] = 0;
}

static void
key(struct jw *w, const char *k)
{
	if (w->more[w->depth])
		buf_addc(w->b, ',');
	w->more[w->depth] = 1;
	if (k) {
		buf_add_json_str(w->b, k);
		buf_addc(w->b, ':');
	}
}

static void
open(struct jw *w, const char *k, char c)
{
	key(w, k);
	buf_addc(w->b, c);
	if (w->depth + 1 < JW_DEPTH)
		w->depth++;
	w->more[w->depth] = 0;
}

void
jw_obj(struct jw *w, const char *k)
{
	open(w, k, '{');
}

void
jw_arr(struct jw *w, const char *k)
{
	open(w, k, '[');
}

void
jw_end(struct jw *w, char close)
{
	buf_addc(w->b, close);
	if (w->depth > 0)
		w->depth--;
}

void
jw_str(struct jw *w, const char *k, const char *v)
{
	key(w, k);
	buf_add_json_str(w->b, v);
}

void
jw_strn(struct jw *w, const char *k, const char *v, size_t n)
{
	key(w, k);
	buf_add_json_strn(w->b, v, n);
}

void
jw_bool(struct jw *w, const char *k, int v)
{
	key(w, k);
	buf_adds(w->b, v ? "true" : "false");
}

void
jw_int(struct jw *w, const char *k, int64_t v)
{
	key(w, k);
	char s[24];
	int n = snprintf(s, sizeof(s), "%" PRId64, v);
	buf_add(w->b, s, (size_t)n);
}

void
jw_time(struct jw *w, const char *k, int64_t t)
{
	key(w, k);
	if (!t) {
		buf_adds(w->b, "null");
		return;
	}
	char s[32];
	civil_format_rfc3339(t, s);
	buf_addc(w->b, '"');
	buf_adds(w->b, s);
	buf_addc(w->b, '"');
}

void
jw_null(struct jw *w, const char *k)
{
	key(w, k);
	buf_adds(w->b, "null");
}
