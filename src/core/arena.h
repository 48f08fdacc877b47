/*
 * arena.h: a region allocator. Every HTTP request gets one, freed after the response is sent,
 * so handlers and the services they call never free request data. Allocations are 16-byte
 * aligned; large ones get their own chunk. Not thread-safe: one arena belongs to one request.
 */
#ifndef MOTCUA_ARENA_H
#define MOTCUA_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* arena_new: a new arena whose chunks are at least `chunk` bytes. arena_free releases it all. */
struct arena *arena_new(size_t chunk);
void arena_free(struct arena *a);

/* arena_reset: forget every allocation but keep the first chunk for reuse. */
void arena_reset(struct arena *a);

/* arena_alloc: n bytes, uninitialised; arena_zalloc: zeroed. Never NULL. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_zalloc(struct arena *a, size_t n);

/* arena_strdup, arena_strndup: copies of s in the arena (NULL stays NULL). */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* arena_printf: a formatted string in the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/* arena_used: bytes handed out since the last reset (for tests and metrics). */
size_t arena_used(const struct arena *a);

#endif
