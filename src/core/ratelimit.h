/*
 * ratelimit.h: fixed-window counters per key (an address, an account, an address and a path),
 * in memory, thread-safe, bounded in size: when the table is full the oldest windows are
 * dropped. Used for login failures, public lookups and public submissions. A process keeps
 * its own counts; behind several nodes each node limits on its own (docs/scale-out.md).
 */
#ifndef MOTCUA_RATELIMIT_H
#define MOTCUA_RATELIMIT_H

#include <stdint.h>

struct ratelimit;

/* ratelimit_new: at most `limit` hits per key in each `window` seconds. */
struct ratelimit *ratelimit_new(unsigned limit, unsigned window);
void ratelimit_free(struct ratelimit *rl);

/* ratelimit_hit: count one hit for key at time now; 0 when allowed, -1 when over the limit
 * (*retry_after set to the seconds left in the window, if not NULL). */
int ratelimit_hit(struct ratelimit *rl, const char *key, int64_t now, int *retry_after);
/* ratelimit_check: like hit but does not count. */
int ratelimit_check(struct ratelimit *rl, const char *key, int64_t now, int *retry_after);
/* ratelimit_clear: forget key (e.g. after a successful login). */
void ratelimit_clear(struct ratelimit *rl, const char *key);

#endif
