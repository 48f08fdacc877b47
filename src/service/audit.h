/*
 * audit.h: the append-only, hash-chained log of administrative actions (units, users, roles,
 * tokens, calendars, the catalogue). Each row's hash is SHA-256 over the previous row's hash
 * and the row's own fields, so editing or deleting a row breaks the chain at that row;
 * `motcua verify` walks it. Appends happen inside the caller's transaction and are
 * serialised by the chain_head row.
 */
#ifndef MOTCUA_AUDIT_H
#define MOTCUA_AUDIT_H

#include <stdint.h>

#include "service/service.h"

/* audit_append: one entry for the actor of c; detail is free text or JSON. Must be called
 * inside a transaction. 0 or -1. */
int audit_append(const struct ctx *c, const char *action, const char *object_type,
		 const char *object_id, const char *detail, struct err *e);

/* audit_verify: check the whole chain. 0 when intact; -1 when a row does not match, with
 * *bad_seq set to the first bad entry's sequence number and e describing it. */
int audit_verify(struct db *db, int64_t *checked, int64_t *bad_seq, struct err *e);

/* chain_hash: the hash of one link: SHA-256 hex over prev and the fields, each followed by
 * a NUL byte so that no two field lists share an encoding. Shared with the dossier log. */
void chain_hash(const char *prev, const char *const *fields, int nfields, char out[65]);

#endif
