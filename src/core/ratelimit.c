#include "core/ratelimit.h"
#include "core/mem.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define RL_SLOTS 8192 /* power of two */
#define RL_KEY	 96

struct rl_entry {
	char key[RL_KEY];
	int64_t window_start;
	unsigned count;
};

struct ratelimit {
	pthread_mutex_t mu;
	unsigned limit, window;
	struct rl_entry slots[RL_SLOTS];
};

struct ratelimit *
ratelimit_new(unsigned limit, unsigned window)
{
	struct ratelimit *rl = xcalloc(1, sizeof(*rl));
	pthread_mutex_init(&rl->mu, NULL);
	rl->limit = limit;
	rl->window = window ? window : 1;
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->mu);
	free(rl);
}

static uint32_t
rl_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The entry for key: found, else a free or expired slot of its probe window, else the
 * oldest one there, reset for key. */
static struct rl_entry *
rl_find(struct ratelimit *rl, const char *key, int64_t now)
{
	uint32_t h = rl_hash(key);
	struct rl_entry *victim = NULL;
	for (unsigned i = 0; i < 16; i++) {
		struct rl_entry *e = &rl->slots[(h + i) & (RL_SLOTS - 1)];
		if (e->key[0] && strncmp(e->key, key, RL_KEY - 1) == 0) {
			if (now - e->window_start >= rl->window) {
				e->window_start = now;
				e->count = 0;
			}
			return e;
		}
		int stale = !e->key[0] || now - e->window_start >= rl->window;
		int victim_stale =
		    victim && (!victim->key[0] || now - victim->window_start >= rl->window);
		if (!victim || (stale && !victim_stale) ||
		    (!victim_stale && e->window_start < victim->window_start))
			victim = e;
	}
	size_t n = strnlen(key, RL_KEY - 1);
	memcpy(victim->key, key, n);
	victim->key[n] = '\0';
	victim->window_start = now;
	victim->count = 0;
	return victim;
}

static int
rl_do(struct ratelimit *rl, const char *key, int64_t now, int *retry_after, int count)
{
	pthread_mutex_lock(&rl->mu);
	struct rl_entry *e = rl_find(rl, key, now);
	int rc = 0;
	if (e->count >= rl->limit) {
		rc = -1;
		if (retry_after)
			*retry_after = (int)(rl->window - (now - e->window_start));
	} else if (count) {
		e->count++;
	}
	pthread_mutex_unlock(&rl->mu);
	return rc;
}

int
ratelimit_hit(struct ratelimit *rl, const char *key, int64_t now, int *retry_after)
{
	return rl_do(rl, key, now, retry_after, 1);
}

int
ratelimit_check(struct ratelimit *rl, const char *key, int64_t now, int *retry_after)
{
	return rl_do(rl, key, now, retry_after, 0);
}

void
ratelimit_clear(struct ratelimit *rl, const char *key)
{
	pthread_mutex_lock(&rl->mu);
	uint32_t h = rl_hash(key);
	for (unsigned i = 0; i < 16; i++) {
		struct rl_entry *e = &rl->slots[(h + i) & (RL_SLOTS - 1)];
		if (e->key[0] && strncmp(e->key, key, RL_KEY - 1) == 0)
			e->key[0] = '\0';
	}
	pthread_mutex_unlock(&rl->mu);
}
