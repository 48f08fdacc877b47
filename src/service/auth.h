/*
 * auth.h: who is calling. Staff log in with a password (argon2id) and get a server-side
 * session: a random token in an HttpOnly cookie (only its SHA-256 is stored) and a CSRF token
 * that every mutating request made with the cookie must echo. Integrations use API tokens
 * (Authorization: Bearer), shown once and stored hashed.
 *
 * Resolved sessions are cached in memory for AUTH_CACHE_TTL seconds so that reading a page
 * costs no query; a logout or a change to the user on this node evicts at once, and another
 * node sees it within the TTL (docs/scale-out.md).
 */
#ifndef MOTCUA_AUTH_H
#define MOTCUA_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "service/service.h"

#define AUTH_SESSION_IDLE     (2 * 3600)  /* idle timeout */
#define AUTH_SESSION_MAX      (12 * 3600) /* absolute lifetime: one working day */
#define AUTH_CACHE_TTL	      5		  /* seconds a resolved session is trusted */
#define AUTH_ACCOUNT_FAILURES 5		  /* failed logins per account ... */
#define AUTH_ACCOUNT_WINDOW   (15 * 60)	  /* ... in this window, then 429 */
#define AUTH_ADDRESS_FAILURES 20	  /* failed logins per address per window */

struct login_result {
	char token[CRYPTO_TOKEN_LEN + 1]; /* for the cookie */
	char csrf_token[CRYPTO_TOKEN_LEN + 1];
	int64_t expires_at;
	struct actor actor;
};

struct token_rec {
	int64_t id;
	const char *name;
	int64_t created_at, expires_at, last_used_at, revoked_at;
};

/* auth_init / auth_shutdown: process-wide state (caches, address throttle). */
void auth_init(void);
void auth_shutdown(void);

/* auth_login: check the password, throttled per account and per address (ERR_RATE_LIMITED),
 * and open a session. A wrong user or password is ERR_UNAUTHENTICATED with the same message. */
int auth_login(const struct ctx *c, const char *username, const char *password,
	       struct login_result *out, struct err *e);
/* auth_session: the actor of a session cookie token (ERR_UNAUTHENTICATED when unknown,
 * expired or revoked). */
int auth_session(const struct ctx *c, const char *token, struct actor *out, struct err *e);
/* auth_bearer: the actor of an API token. */
int auth_bearer(const struct ctx *c, const char *token, struct actor *out, struct err *e);
/* auth_logout: revoke the actor's current session. */
int auth_logout(const struct ctx *c, struct err *e);
/* auth_forget_user: evict a user's cached sessions after a change to the user. */
void auth_forget_user(int64_t user_id);

/* API tokens of the calling user: create (plain text returned once), list, revoke. */
int auth_token_create(const struct ctx *c, const char *name, int64_t expires_at,
		      char plain[CRYPTO_TOKEN_LEN + 8], int64_t *id, struct err *e);
int auth_token_list(const struct ctx *c, struct token_rec **out, size_t *n, struct err *e);
int auth_token_revoke(const struct ctx *c, int64_t id, struct err *e);

/* auth_load_grants: fill a->grants for a->user_id from the store. */
int auth_load_grants(const struct ctx *c, struct actor *a, struct err *e);

#endif
