/*
 * driver.h: what a database driver provides to db.c. Private to src/store/.
 * db.c owns the statement cache, timing, transactions and error helpers; a driver only talks
 * to its library.
 */
#ifndef MOTCUA_DRIVER_H
#define MOTCUA_DRIVER_H

#include "store/db.h"

struct db_driver {
	const char *name;
	/* open: connect; on failure write a message into errbuf and return NULL. */
	void *(*open)(const char *url, char *errbuf, size_t errlen);
	void (*close)(void *conn);
	/* prepare: a driver statement for sql (with ? placeholders), NULL on error. */
	void *(*prepare)(void *conn, const char *sql);
	void (*finalize)(void *stmt);
	int (*bind_int)(void *stmt, int idx, int64_t v);
	int (*bind_text)(void *stmt, int idx, const char *s);
	/* optional: not copied, valid until the statement's reset (NULL: bind_text) */
	int (*bind_text_static)(void *stmt, int idx, const char *s);
	int (*bind_null)(void *stmt, int idx);
	int (*step)(void *stmt); /* enum db_step_result */
	int64_t (*col_int)(void *stmt, int col);
	const char *(*col_text)(void *stmt, int col);
	int (*col_is_null)(void *stmt, int col);
	int (*col_count)(void *stmt);
	void (*reset)(void *stmt);
	int (*exec)(void *conn, const char *sql);
	const char *(*errmsg)(void *conn);
	int (*err_is_unique)(void *conn);
	int (*err_is_busy)(void *conn);
	/* the text that replaces @ID@ and @BLOB@ in migrations */
	const char *id_type;
	const char *blob_type;
	/* the statement that starts a write transaction */
	const char *begin_sql;
};

extern const struct db_driver db_driver_sqlite;
extern const struct db_driver db_driver_pg;

#endif
