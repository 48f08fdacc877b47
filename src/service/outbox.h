/*
 * outbox.h: the notification outbox and its sender.
 *
 * Messages are rows of the outbox table, written by the service that makes the change in the
 * same transaction (dossier.c for the applicant, sweep.c for staff warnings), so a message
 * exists exactly when its change committed. One background thread per `motcua serve` node
 * (outbox_start) claims due rows, delivers them (service/deliver.c: e-mail by SMTP, webhooks
 * by a signed HTTP POST), and marks each sent, schedules a retry with exponential back-off, or
 * marks it failed after the configured number of attempts; the same thread runs the sweep
 * (sweep.h) every sweep_interval seconds.
 *
 * Several nodes on one PostgreSQL database share the work safely: a claim is one UPDATE that
 * moves the rows' next_attempt_at past a lease and counts the attempt, so another node skips
 * them; the attempt count is the fencing token of every later update, so a node that lost
 * its lease cannot overwrite a newer outcome. A node that dies mid-send leaves its rows to be
 * retried when the lease runs out (delivery is at least once; webhook receivers deduplicate
 * on X-Motcua-Delivery).
 */
#ifndef MOTCUA_OUTBOX_H
#define MOTCUA_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

#define OUTBOX_MAX_ATTEMPTS 8	/* default; then the row is failed */
#define OUTBOX_BACKOFF	    30	/* default first retry delay (s): 30 s, 2 min, 10 min, 1 h, 6 h */
#define OUTBOX_BATCH	    10	/* rows claimed per channel and round */
#define OUTBOX_LEASE	    900 /* seconds a claimed row is left alone by other nodes */
#define OUTBOX_SWEEP_EVERY  60	/* default seconds between two sweeps */
#define OUTBOX_LIST_MAX	    500 /* page size limit of outbox_list */

struct outbox_config {
	const char *db_url;
	const char *smtp_url;  /* smtp://host:port or smtps://...; NULL: e-mail rows wait */
	const char *smtp_from; /* the From address, required with smtp_url */
	int max_attempts;      /* 1..100 */
	int backoff_seconds;   /* 1..86400: the first retry delay, later ones x4, x20, x120, x720 */
	int sweep_interval;    /* seconds between sweeps; 0: this node does not sweep */
};

#define OUTBOX_CONFIG_INIT                                                                         \
	{                                                                                          \
		NULL, NULL, NULL, OUTBOX_MAX_ATTEMPTS, OUTBOX_BACKOFF, OUTBOX_SWEEP_EVERY          \
	}

/* outbox_start: start the sender thread (its own database connection, opened with
 * cfg->db_url). The configuration is copied. 0, or -1 with e. */
int outbox_start(const struct outbox_config *cfg, struct err *e);
/* outbox_stop: ask the thread to stop, abandon a transfer in flight (its row is released for
 * the next node, not counted as an attempt) and join it. Safe when never started. */
void outbox_stop(void);

/* outbox_backoff: the delay in seconds after `attempts` failed attempts (1 = the first). */
int64_t outbox_backoff(int base, int attempts);

struct outbox_rec {
	int64_t id, dossier_id;
	const char *dossier_code; /* NULL when the message is about no dossier */
	const char *kind, *channel, *recipient, *subject, *status, *last_error;
	int attempts;
	int64_t next_attempt_at, created_at, sent_at;
};

struct outbox_page {
	struct outbox_rec *items;
	size_t n;
	const char *next_cursor; /* NULL on the last page */
};

/* outbox_list: rows of one status (pending, sent or failed; NULL is failed), most recently
 * tried first, keyset-paginated. Admin at the root unit. */
int outbox_list(const struct ctx *c, const char *status, int limit, const char *cursor,
		struct outbox_page *out, struct err *e);
/* outbox_retry: put a pending or failed row back to pending, due now, with its attempts reset
 * (ERR_CONFLICT when already sent). Admin at the root unit; audited. */
int outbox_retry(const struct ctx *c, int64_t id, struct outbox_rec *out, struct err *e);

struct webhook_rec {
	int64_t id, unit_id;
	const char *unit_code, *unit_name, *url;
	const char *secret; /* only from webhook_create: shown once */
	int active;
	int64_t created_at;
};

/* webhook_create: subscribe a URL (http:// or https://) to the messages of a unit (a unit id,
 * identifier or "root"); the secret that signs each POST is generated here and returned once.
 * Unit administrator over the unit; audited. */
int webhook_create(const struct ctx *c, const char *unit_ref, const char *url,
		   struct webhook_rec *out, struct err *e);
/* webhook_list: the webhooks of the units the caller administers (or of one unit when
 * unit_ref is not NULL), without their secrets. */
int webhook_list(const struct ctx *c, const char *unit_ref, struct webhook_rec **out, size_t *n,
		 struct err *e);

#endif
