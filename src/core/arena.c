#include "core/arena.h"
#include "core/mem.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct chunk {
	struct chunk *next;
	size_t size;
	size_t used;
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct chunk *head;
	size_t chunk_size;
	size_t used;
};

static struct chunk *
chunk_new(size_t size)
{
	struct chunk *c = xmalloc(sizeof(*c) + size);
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

struct arena *
arena_new(size_t chunk)
{
	struct arena *a = xmalloc(sizeof(*a));
	a->chunk_size = chunk < 1024 ? 1024 : chunk;
	a->head = chunk_new(a->chunk_size);
	a->used = 0;
	return a;
}

void
arena_free(struct arena *a)
{
	if (!a)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
	free(a);
}

void
arena_reset(struct arena *a)
{
	struct chunk *c = a->head;
	while (c->next) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
	/* Keep the oldest chunk only if it is the standard size; a big one goes. */
	if (c->size != a->chunk_size) {
		free(c);
		c = chunk_new(a->chunk_size);
	}
	c->used = 0;
	a->head = c;
	a->used = 0;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	size_t need = (n + 15) & ~(size_t)15;
	if (need < n)
		need = SIZE_MAX; /* overflow: the chunk allocation will abort */
	struct chunk *c = a->head;
	if (c->size - c->used < need) {
		if (need > a->chunk_size / 4) {
			/* A large allocation gets its own chunk behind the current one. */
			struct chunk *big = chunk_new(need);
			big->used = need;
			big->next = c->next;
			c->next = big;
			a->used += need;
			return big->data;
		}
		c = chunk_new(a->chunk_size);
		c->next = a->head;
		a->head = c;
	}
	void *p = c->data + c->used;
	c->used += need;
	a->used += need;
	return p;
}

void *
arena_zalloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	size_t len = strnlen(s, n);
	char *p = arena_alloc(a, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	return arena_strndup(a, s, strlen(s));
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return arena_strdup(a, "");
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

size_t
arena_used(const struct arena *a)
{
	return a->used;
}
