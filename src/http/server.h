/*
 * server.h: the HTTP server (libmicrohttpd, internal epoll with a thread pool). The only
 * module that includes microhttpd.h. It caps and buffers request bodies (413), gives each
 * request an arena and an id, adds the security headers, writes the access log and metrics,
 * answers GET /metrics to loopback clients, and hands everything else to api_handle.
 */
#ifndef MOTCUA_SERVER_H
#define MOTCUA_SERVER_H

#include <stddef.h>

#include "core/err.h"

struct http_config {
	const char *listen; /* "127.0.0.1:8080", "[::1]:8080", ":8080" */
	unsigned threads;   /* worker threads (0: one per core, at least 2) */
	size_t body_max;    /* request body cap in bytes */
	int access_log;	    /* 1: one JSON line per request */
	int metrics_public; /* 1: /metrics to any client, not only loopback */
	int trust_proxy;    /* 1: a loopback peer's X-Forwarded-For names the client */
};

/* http_start: bind and start serving. 0 or -1 with e (e.g. the port is taken). */
int http_start(const struct http_config *cfg, struct err *e);
/* http_stop: stop accepting, let in-flight requests finish (up to `grace` seconds), close. */
void http_stop(int grace);
/* http_port: the bound port (useful with port 0). */
int http_port(void);

#endif
