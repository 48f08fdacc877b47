/*
 * migrate.h: numbered SQL migrations (src/store/migrations/NNN_name.sql, carried in the
 * binary) applied in order, each in its own transaction, recorded in schema_migration.
 * Forward-only. Safe when two processes start at once: PostgreSQL takes an advisory lock,
 * SQLite's write lock serialises them.
 */
#ifndef MOTCUA_MIGRATE_H
#define MOTCUA_MIGRATE_H

#include "store/db.h"

/* migrate_run: apply what is missing; *applied (may be NULL) gets how many. 0 or -1. */
int migrate_run(struct db *db, int *applied, struct err *e);
/* migrate_version: the highest applied version, 0 for an empty database, -1 on error. */
int migrate_version(struct db *db);

#endif
