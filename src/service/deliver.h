/*
 * deliver.h: one message out of the house, by e-mail (SMTP through libcurl) or by webhook (an
 * HTTP POST through libcurl, signed with HMAC-SHA-256). The only includer of curl/curl.h.
 *
 * A struct deliver belongs to one thread (the outbox sender's) and keeps its curl handles
 * between messages so that connections are reused. Every transfer is bounded in time and is
 * abandoned at once when the caller's stop flag turns non-zero (the server is stopping), so a
 * SIGTERM never waits for a slow mail server. Nothing here touches the database.
 */
#ifndef MOTCUA_DELIVER_H
#define MOTCUA_DELIVER_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define DELIVER_HOOK_TIMEOUT 10	 /* seconds for a webhook POST, connection included */
#define DELIVER_MAIL_TIMEOUT 60	 /* seconds for one SMTP conversation */
#define DELIVER_ERR_MAX	     240 /* bytes of an error kept in outbox.last_error */

enum deliver_result {
	DELIVER_OK,	   /* accepted: SMTP 250 after DATA, or HTTP 2xx */
	DELIVER_RETRY,	   /* a transient failure: try again later */
	DELIVER_PERMANENT, /* will never work as it is (SMTP 5xx, a malformed address) */
	DELIVER_ABORTED,   /* the stop flag was raised mid-transfer: not an attempt */
};

struct deliver_mail {
	const char *from;	 /* bare address: motcua@example.gov.vn */
	const char *to;		 /* bare address */
	const char *subject;	 /* UTF-8; sent as RFC 2047 encoded words */
	const char *body;	 /* UTF-8 text, lines ended by \n; sent base64 */
	const char *message_tag; /* left part of the Message-ID, e.g. "outbox-42" */
	int64_t date;		 /* epoch seconds, for the Date header */
};

struct deliver_hook {
	const char *url;    /* http:// or https:// */
	const char *secret; /* the webhook's secret: the HMAC key, as its bytes */
	const char *body;   /* the JSON document */
	const char *event;  /* the outbox kind, sent as X-Motcua-Event */
	int64_t delivery;   /* the outbox id, sent as X-Motcua-Delivery */
};

struct deliver;

/* deliver_global_init: libcurl's global set-up; once, before any thread uses it. 0 or -1.
 * deliver_global_cleanup: its release, after every struct deliver is freed. */
int deliver_global_init(void);
void deliver_global_cleanup(void);

/* deliver_new: a sender for one thread. smtp_url (smtp://host:port or smtps://...) may be
 * NULL when e-mail is not configured; stop is read during transfers (NULL: never stop).
 * NULL when curl cannot start. deliver_free: release it (NULL is fine). */
struct deliver *deliver_new(const char *smtp_url, const atomic_int *stop);
void deliver_free(struct deliver *d);

/* deliver_mail: send one e-mail; on failure err (DELIVER_ERR_MAX bytes) says why. */
enum deliver_result deliver_mail(struct deliver *d, const struct deliver_mail *m, char *err);
/* deliver_hook: POST one webhook with X-Motcua-Signature: sha256=<hex HMAC of the body>. */
enum deliver_result deliver_hook(struct deliver *d, const struct deliver_hook *h, char *err);

/* deliver_format_mail: the RFC 5322 message deliver_mail sends (headers, CRLF lines, base64
 * body) into out. -1 when an address could inject a header (control characters, <, >, no @). */
int deliver_format_mail(const struct deliver_mail *m, struct buf *out);

#endif
