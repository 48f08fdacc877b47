#include "core/buf.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->overflow = 0;
}

void
buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b, b->max);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->overflow = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *
buf_detach(struct buf *b, size_t *len)
{
	if (!b->data)
		buf_add(b, "", 0);
	char *p = b->data;
	if (len)
		*len = b->len;
	buf_init(b, b->max);
	return p;
}

static int
buf_grow(struct buf *b, size_t extra)
{
	if (extra > b->max || b->len > b->max - extra) {
		b->overflow = 1;
		return -1;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
	return 0;
}

char *
buf_space(struct buf *b, size_t n)
{
	return buf_grow(b, n) < 0 ? NULL : b->data + b->len;
}

int
buf_add(struct buf *b, const void *data, size_t n)
{
	if (buf_grow(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	char small[256];
	int n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(small))
		return buf_add(b, small, (size_t)n);
	if (buf_grow(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int
buf_add_json_strn(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	if (buf_addc(b, '"') < 0)
		return -1;
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (buf_add(b, s + start, i - start) < 0)
			return -1;
		char esc[7] = {'\\', 0};
		size_t elen = 2;
		switch (c) {
		case '"':
			esc[1] = '"';
			break;
		case '\\':
			esc[1] = '\\';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		}
		if (buf_add(b, esc, elen) < 0)
			return -1;
		start = i + 1;
	}
	if (buf_add(b, s + start, n - start) < 0)
		return -1;
	return buf_addc(b, '"');
}

int
buf_add_json_str(struct buf *b, const char *s)
{
	if (!s)
		return buf_adds(b, "null");
	return buf_add_json_strn(b, s, strlen(s));
}

int
buf_add_hex(struct buf *b, const unsigned char *bytes, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		char two[2] = {hex[bytes[i] >> 4], hex[bytes[i] & 15]};
		if (buf_add(b, two, 2) < 0)
			return -1;
	}
	return 0;
}
