#include "http/metrics.h"
#include "core/mem.h"

#include <stdatomic.h>
#include <stdlib.h>

static const int statuses[] = {200, 201, 204, 304, 400, 401, 403, 404,
			       405, 409, 413, 415, 429, 500, 503, 0 /* other */};
#define NSTATUS ((int)(sizeof(statuses) / sizeof(statuses[0])))
static const double buckets_s[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
				   0.05,   0.1,	  0.25,	  0.5,	 1.0,  2.5};
#define NBUCKET ((int)(sizeof(buckets_s) / sizeof(buckets_s[0])))

static int nroutes;
static const char *(*route_label)(int);
static _Atomic uint64_t *counts;	   /* [(nroutes + 1) * NSTATUS] */
static _Atomic uint64_t hist[NBUCKET + 1]; /* cumulative at render time */
static _Atomic uint64_t total, total_ns, db_ns_total;

void
metrics_init(int n, const char *(*label)(int))
{
	nroutes = n;
	route_label = label;
	counts = xcalloc((size_t)(n + 1) * NSTATUS, sizeof(*counts));
}

void
metrics_free(void)
{
	free((void *)counts);
	counts = NULL;
}

void
metrics_observe(int route, int status, int64_t duration_ns, int64_t db_ns)
{
	if (!counts)
		return;
	int r = route < 0 || route >= nroutes ? nroutes : route;
	int s = NSTATUS - 1;
	for (int i = 0; i < NSTATUS - 1; i++)
		if (statuses[i] == status) {
			s = i;
			break;
		}
	atomic_fetch_add_explicit(&counts[r * NSTATUS + s], 1, memory_order_relaxed);
	double secs = (double)duration_ns / 1e9;
	int b = NBUCKET;
	for (int i = 0; i < NBUCKET; i++)
		if (secs <= buckets_s[i]) {
			b = i;
			break;
		}
	atomic_fetch_add_explicit(&hist[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&total, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&total_ns, (uint64_t)duration_ns, memory_order_relaxed);
	atomic_fetch_add_explicit(&db_ns_total, (uint64_t)(db_ns > 0 ? db_ns : 0),
				  memory_order_relaxed);
}

void
metrics_render(struct buf *out)
{
	buf_adds(out, "# HELP motcua_http_requests_total HTTP requests by route and status.\n"
		      "# TYPE motcua_http_requests_total counter\n");
	for (int r = 0; r <= nroutes; r++) {
		for (int s = 0; s < NSTATUS; s++) {
			uint64_t v = atomic_load(&counts[r * NSTATUS + s]);
			if (!v)
				continue;
			buf_adds(out, "motcua_http_requests_total{route=");
			buf_add_json_str(out, r < nroutes ? route_label(r) : "unrouted");
			if (statuses[s])
				buf_addf(out, ",status=\"%d\"} %llu\n", statuses[s],
					 (unsigned long long)v);
			else
				buf_addf(out, ",status=\"other\"} %llu\n", (unsigned long long)v);
		}
	}
	buf_adds(out, "# HELP motcua_http_request_duration_seconds Time to answer a request.\n"
		      "# TYPE motcua_http_request_duration_seconds histogram\n");
	uint64_t cum = 0;
	for (int i = 0; i < NBUCKET; i++) {
		cum += atomic_load(&hist[i]);
		buf_addf(out, "motcua_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
			 buckets_s[i], (unsigned long long)cum);
	}
	cum += atomic_load(&hist[NBUCKET]);
	buf_addf(out,
		 "motcua_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
		 "motcua_http_request_duration_seconds_sum %.6f\n"
		 "motcua_http_request_duration_seconds_count %llu\n",
		 (unsigned long long)cum, (double)atomic_load(&total_ns) / 1e9,
		 (unsigned long long)atomic_load(&total));
	buf_addf(out,
		 "# HELP motcua_db_time_seconds_total Time spent in the database by requests.\n"
		 "# TYPE motcua_db_time_seconds_total counter\n"
		 "motcua_db_time_seconds_total %.6f\n",
		 (double)atomic_load(&db_ns_total) / 1e9);
}
