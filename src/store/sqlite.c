/*
 * sqlite.c: the SQLite driver. One file in WAL mode with synchronous=FULL, so a commit that
 * returned is on disk (a citizen's acknowledged dossier survives a power cut), a busy timeout
 * so concurrent writers queue instead of failing, and foreign keys enforced. No memory map:
 * a file that grows with every intake is remapped again and again, and each remap costs
 * every thread a TLB flush (measured: intake fell by a third with mmap_size set).
 */
#include "store/driver.h"
#include "core/mem.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Transaction control runs on every write: kept prepared rather than parsed each time by
 * sqlite3_exec (measured: a sixth of an intake's instructions outside SQLite's own work). */
static const char *const tx_sql[] = {
    "BEGIN IMMEDIATE",	      "COMMIT", "ROLLBACK", "SAVEPOINT g", "RELEASE SAVEPOINT g",
    "ROLLBACK TO SAVEPOINT g"};
#define NTX (sizeof(tx_sql) / sizeof(tx_sql[0]))

struct sq_conn {
	sqlite3 *h;
	int last_rc;
	sqlite3_stmt *tx[NTX];
};

struct sq_stmt {
	struct sq_conn *c;
	sqlite3_stmt *st;
};

static pthread_once_t sq_once = PTHREAD_ONCE_INIT;

static void
sq_configure(void)
{
	/* No memory statistics: keeping them takes one global mutex on every allocation,
	 * which every worker thread then waits for. Must come before the first open. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static void *
sq_open(const char *path, char *errbuf, size_t errlen)
{
	sqlite3 *h = NULL;
	pthread_once(&sq_once, sq_configure);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &h, flags, NULL) != SQLITE_OK) {
		snprintf(errbuf, errlen, "%s: %s", path, h ? sqlite3_errmsg(h) : "out of memory");
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, 10000);
	char *msg = NULL;
	if (sqlite3_exec(h,
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
			 "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
			 "PRAGMA cache_size=-65536;",
			 NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(errbuf, errlen, "%s: %s", path, msg ? msg : "cannot configure");
		sqlite3_free(msg);
		sqlite3_close(h);
		return NULL;
	}
	/* A bigger lookaside: a statement's small allocations come from the connection's own
	 * slots instead of malloc, which the worker threads share. */
	sqlite3_db_config(h, SQLITE_DBCONFIG_LOOKASIDE, NULL, 1200, 800);
	struct sq_conn *c = xcalloc(1, sizeof(*c));
	c->h = h;
	return c;
}

static void
sq_close(void *conn)
{
	struct sq_conn *c = conn;
	for (size_t i = 0; i < NTX; i++)
		sqlite3_finalize(c->tx[i]);
	sqlite3_close(c->h);
	free(c);
}

static void *
sq_prepare(void *conn, const char *sql)
{
	struct sq_conn *c = conn;
	sqlite3_stmt *st = NULL;
	c->last_rc = sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (c->last_rc != SQLITE_OK)
		return NULL;
	struct sq_stmt *s = xmalloc(sizeof(*s));
	s->c = c;
	s->st = st;
	return s;
}

static void
sq_finalize(void *stmt)
{
	struct sq_stmt *s = stmt;
	sqlite3_finalize(s->st);
	free(s);
}

static int
sq_bind_int(void *stmt, int idx, int64_t v)
{
	struct sq_stmt *s = stmt;
	return sqlite3_bind_int64(s->st, idx, v) == SQLITE_OK ? 0 : -1;
}

static int
sq_bind_text(void *stmt, int idx, const char *v)
{
	struct sq_stmt *s = stmt;
	return sqlite3_bind_text(s->st, idx, v, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
}

static int
sq_bind_text_static(void *stmt, int idx, const char *v)
{
	struct sq_stmt *s = stmt;
	return sqlite3_bind_text(s->st, idx, v, -1, SQLITE_STATIC) == SQLITE_OK ? 0 : -1;
}

static int
sq_bind_null(void *stmt, int idx)
{
	struct sq_stmt *s = stmt;
	return sqlite3_bind_null(s->st, idx) == SQLITE_OK ? 0 : -1;
}

static int
sq_step(void *stmt)
{
	struct sq_stmt *s = stmt;
	int rc = sqlite3_step(s->st);
	s->c->last_rc = rc;
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	s->c->last_rc = sqlite3_extended_errcode(s->c->h);
	return DB_ERROR;
}

static int64_t
sq_col_int(void *stmt, int col)
{
	return sqlite3_column_int64(((struct sq_stmt *)stmt)->st, col);
}

static const char *
sq_col_text(void *stmt, int col)
{
	return (const char *)sqlite3_column_text(((struct sq_stmt *)stmt)->st, col);
}

static int
sq_col_is_null(void *stmt, int col)
{
	return sqlite3_column_type(((struct sq_stmt *)stmt)->st, col) == SQLITE_NULL;
}

static int
sq_col_count(void *stmt)
{
	return sqlite3_column_count(((struct sq_stmt *)stmt)->st);
}

static void
sq_reset(void *stmt)
{
	struct sq_stmt *s = stmt;
	sqlite3_reset(s->st);
	sqlite3_clear_bindings(s->st);
}

static int
sq_exec(void *conn, const char *sql)
{
	struct sq_conn *c = conn;
	for (size_t i = 0; i < NTX; i++) {
		if (strcmp(sql, tx_sql[i]) != 0)
			continue;
		if (!c->tx[i] && sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT,
						    &c->tx[i], NULL) != SQLITE_OK)
			break; /* fall back to sqlite3_exec, which reports the error */
		int rc = sqlite3_step(c->tx[i]);
		c->last_rc = rc == SQLITE_DONE ? SQLITE_OK : sqlite3_extended_errcode(c->h);
		sqlite3_reset(c->tx[i]);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	c->last_rc = sqlite3_exec(c->h, sql, NULL, NULL, NULL);
	if (c->last_rc != SQLITE_OK) {
		c->last_rc = sqlite3_extended_errcode(c->h);
		return -1;
	}
	return 0;
}

static const char *
sq_errmsg(void *conn)
{
	return sqlite3_errmsg(((struct sq_conn *)conn)->h);
}

static int
sq_err_is_unique(void *conn)
{
	int rc = ((struct sq_conn *)conn)->last_rc;
	return rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY;
}

static int
sq_err_is_busy(void *conn)
{
	int rc = ((struct sq_conn *)conn)->last_rc & 0xff;
	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

const struct db_driver db_driver_sqlite = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .bind_int = sq_bind_int,
    .bind_text = sq_bind_text,
    .bind_text_static = sq_bind_text_static,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_int = sq_col_int,
    .col_text = sq_col_text,
    .col_is_null = sq_col_is_null,
    .col_count = sq_col_count,
    .reset = sq_reset,
    .exec = sq_exec,
    .errmsg = sq_errmsg,
    .err_is_unique = sq_err_is_unique,
    .err_is_busy = sq_err_is_busy,
    .id_type = "INTEGER PRIMARY KEY",
    .blob_type = "BLOB",
    .begin_sql = "BEGIN IMMEDIATE",
};
