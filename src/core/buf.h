/*
 * buf.h: the one growable byte buffer. A buffer has a maximum size set at init; an append
 * that would pass it fails with -1, sets `overflow` and leaves the contents as they were, so
 * input-sized data can never grow without bound. `data` is always NUL-terminated (after the
 * first append); `len` does not count the NUL. The buffer owns `data`: buf_release frees it.
 */
#ifndef MOTCUA_BUF_H
#define MOTCUA_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
	int overflow;
};

#define BUF_INIT(maxsize)                                                                          \
	{                                                                                          \
		NULL, 0, 0, (maxsize), 0                                                           \
	}

/* buf_init: an empty buffer that may hold at most `max` bytes. */
void buf_init(struct buf *b, size_t max);
/* buf_release: free the contents; the buffer is empty and reusable with the same max. */
void buf_release(struct buf *b);
/* buf_reset: empty the buffer but keep its memory. */
void buf_reset(struct buf *b);
/* buf_detach: hand the contents to the caller (free() them) and empty the buffer. */
char *buf_detach(struct buf *b, size_t *len);

/* Appends: 0 on success, -1 (and overflow set) when the maximum would be passed. */
int buf_add(struct buf *b, const void *data, size_t n);
/* buf_space: room for n more bytes (NULL on overflow); write there, then add to b->len. */
char *buf_space(struct buf *b, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap);

/* buf_add_json_str: s as a quoted JSON string (NULL gives null); control characters escaped. */
int buf_add_json_str(struct buf *b, const char *s);
/* buf_add_json_strn: the same for n bytes that need not be NUL-terminated. */
int buf_add_json_strn(struct buf *b, const char *s, size_t n);
/* buf_add_hex: n bytes as lowercase hexadecimal. */
int buf_add_hex(struct buf *b, const unsigned char *bytes, size_t n);

#endif
