/*
 * feedback_int.h: what feedback.c and feedback_files.c share. Private to src/service/.
 */
#ifndef MOTCUA_FEEDBACK_INT_H
#define MOTCUA_FEEDBACK_INT_H

#include "service/feedback.h"

/* fb_staff_of: the actor works feedback of the unit (receiver, specialist, department head,
 * leader or inspector over it); ERR_UNAUTHENTICATED without a login, else ERR_FORBIDDEN. */
int fb_staff_of(const struct ctx *c, int64_t unit_id, struct err *e);
/* fb_load: an item by its code, without its events (ERR_NOT_FOUND when there is none). */
int fb_load(const struct ctx *c, const char *code, struct feedback_rec *out, struct err *e);
/* fb_secret_check: 0 when secret is the item's; a wrong secret, a missing code and an item
 * without a secret are the same ERR_NOT_FOUND. */
int fb_secret_check(const struct ctx *c, const char *code, const char *secret, struct err *e);
/* fb_lock: inside a write transaction, lock item id's row (touching updated_at) and read its
 * state and the tip of its event chain (seq and hash), for fb_append_event. */
int fb_lock(struct db *db, const struct ctx *c, int64_t id, char state[32], int64_t *seq,
	    char tip[65], struct err *e);
/* fb_append_event: the next event of item id's hash chain, inside the caller's transaction
 * (which holds the item's row: *seq and tip are its event_seq and event_hash, advanced). */
int fb_append_event(struct db *db, const struct ctx *c, int64_t id, int64_t *seq, char *tip,
		    const char *action, const char *from, const char *to, const char *note,
		    struct err *e);

#endif
