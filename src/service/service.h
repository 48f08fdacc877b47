/*
 * service.h: what every service call receives, and the one authorization check.
 *
 * A service function is one user action: it checks who may do it (authz_require), applies the
 * domain's rules, and writes the store and the audit log in one transaction. It takes a
 * struct ctx (the connection of the calling thread, the request's arena, the actor, the time)
 * and returns 0 or -1 with a struct err. It never sees HTTP or JSON.
 */
#ifndef MOTCUA_SERVICE_H
#define MOTCUA_SERVICE_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/role.h"
#include "store/db.h"

#define ACTOR_MAX_GRANTS 32
/* a unit path: at most 8 levels of ids of up to 19 digits, each followed by a slash */
#define UNIT_PATH_MAX 176

struct grant {
	enum role role;
	int64_t unit_id;
	char unit_path[UNIT_PATH_MAX];
};

enum actor_via { ACTOR_NONE, ACTOR_SESSION, ACTOR_TOKEN, ACTOR_SYSTEM };

struct actor {
	int64_t user_id;
	char username[64];
	char full_name[160];
	enum actor_via via;
	int64_t session_id;  /* for ACTOR_SESSION */
	int64_t expires_at;  /* session expiry */
	char csrf_token[48]; /* for ACTOR_SESSION */
	int ngrants;
	struct grant grants[ACTOR_MAX_GRANTS];
};

struct ctx {
	struct db *db;
	struct arena *arena;
	const struct actor *actor; /* NULL for anonymous (public) calls */
	int64_t now;
	const char *remote; /* client address, for throttling and the audit log */
	const char *request_id;
};

/*
 * authz_require: 0 when the actor holds `role` (or a role implying it) at `unit_id` or at one
 * of its ancestors; -1 with ERR_UNAUTHENTICATED (no actor) or ERR_FORBIDDEN otherwise.
 * unit_id 0 asks whether the actor holds the role anywhere.
 */
int authz_require(const struct ctx *c, enum role role, int64_t unit_id, struct err *e);
/* authz_has: the same without an error (for filtering lists). */
int authz_has(const struct ctx *c, enum role role, int64_t unit_id);

/* actor_system: the actor for command-line and start-up work (admin at root). */
void actor_system(struct actor *a);

#endif
