/*
 * mem.h: allocation that never returns NULL. An allocation failure is not a condition the
 * program can serve around, so it aborts through one hook (as Redis zmalloc does); every size
 * that comes from input is bounded before it reaches here.
 */
#ifndef MOTCUA_MEM_H
#define MOTCUA_MEM_H

#include <stddef.h>

/* xmalloc, xcalloc, xrealloc, xstrdup, xstrndup: as the libc calls, but abort on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
