/*
 * metrics.h: counters for GET /metrics in the Prometheus text format: requests by route and
 * status, a latency histogram, time spent in the database. Lock-free (atomic adds).
 */
#ifndef MOTCUA_METRICS_H
#define MOTCUA_METRICS_H

#include <stdint.h>

#include "core/buf.h"

/* metrics_init: size the tables for nroutes routes (plus one slot for unrouted requests). */
void metrics_init(int nroutes, const char *(*label)(int route));
void metrics_free(void);
/* metrics_observe: one finished request. route -1 is "unrouted". */
void metrics_observe(int route, int status, int64_t duration_ns, int64_t db_ns);
/* metrics_render: the exposition text appended to out. */
void metrics_render(struct buf *out);

#endif
