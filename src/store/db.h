/*
 * db.h: the database as motcua sees it, one small interface with two drivers behind it:
 * sqlite.c (the default, one file in WAL mode) and pg.c (PostgreSQL through libpq).
 *
 * SQL is written once, in the subset both understand, with `?` placeholders; the PostgreSQL
 * driver rewrites them to $1, $2, ... Values travel as 64-bit integers or UTF-8 text (NULL is
 * SQL NULL); booleans are integers 0/1 and instants are integer epoch seconds, so no type
 * differs between the two. Ids come back through `INSERT ... RETURNING id`.
 *
 * A struct db is one connection and belongs to one thread. Prepared statements are cached by
 * the connection, keyed by their SQL text, and owned by it: callers never finalise them.
 * A statement is used as prepare -> bind -> step* -> db_reset; text returned by db_col_text
 * is valid until the next step or reset of that statement. The same SQL text is one
 * statement: do not run a statement again while still reading its rows (nested use).
 *
 * Migrations use two tokens that each driver replaces: @ID@ (an auto-assigned integer primary
 * key) and @BLOB@ (bytes).
 */
#ifndef MOTCUA_DB_H
#define MOTCUA_DB_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum db_kind { DB_SQLITE, DB_POSTGRES, DB__MAX };

enum db_step_result { DB_ERROR = -1, DB_DONE = 0, DB_ROW = 1 };

struct db;
struct db_stmt;

/*
 * db_open: connect to `url`, "sqlite:PATH" (PATH created if missing, WAL, synchronous=FULL,
 * busy timeout, foreign keys on) or "postgres://..." / "postgresql://..." (a libpq URI).
 * On failure returns -1 with e filled (ERR_UNAVAILABLE) and *out NULL.
 */
int db_open(struct db **out, const char *url, struct err *e);
/* db_open_writer: another connection to the database `like` is connected to (the
 * group-commit writer). */
int db_open_writer(struct db **out, const struct db *like, struct err *e);

/* db_close: finalise cached statements and disconnect; NULL is a no-op. */
void db_close(struct db *db);
/* db_kind, db_kind_name ("sqlite" or "postgres"). */
enum db_kind db_kind(const struct db *db);
const char *db_kind_name(const struct db *db);

/* db_prepare: the cached statement for sql, preparing it on first use; NULL on error. */
struct db_stmt *db_prepare(struct db *db, const char *sql);
/* Binding: idx is 1-based. Text is copied. db_bind_text with NULL binds SQL NULL. */
int db_bind_int(struct db_stmt *st, int idx, int64_t v);
int db_bind_text(struct db_stmt *st, int idx, const char *s);
int db_bind_null(struct db_stmt *st, int idx);
/* db_bind_text_static: like db_bind_text without the copy where the driver can (SQLite): s
 * must stay valid and unchanged until the statement's db_reset. For bulk writers. */
int db_bind_text_static(struct db_stmt *st, int idx, const char *s);
/* db_step: DB_ROW with a row to read, DB_DONE at the end, DB_ERROR (see db_errmsg). */
int db_step(struct db_stmt *st);
/* Columns are 0-based. db_col_text is NULL for SQL NULL. */
int64_t db_col_int(struct db_stmt *st, int col);
const char *db_col_text(struct db_stmt *st, int col);
int db_col_is_null(struct db_stmt *st, int col);
int db_col_count(struct db_stmt *st);
/* db_reset: end the statement's current execution and clear its bindings. */
void db_reset(struct db_stmt *st);

/* db_exec: run one or more statements without parameters (migrations, pragmas). */
int db_exec(struct db *db, const char *sql);
/* Transactions. db_begin starts a write transaction (SQLite: BEGIN IMMEDIATE). */
int db_begin(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);
/*
 * db_read_begin / db_read_end: the reads between them see one snapshot. On SQLite they also
 * share one read transaction: each statement on its own takes and drops the WAL's read lock
 * (a mutex every worker's connection shares, and a stat of the file), which was most of the
 * system calls of a citizen's lookup. Only reads may run between them. Inside a transaction,
 * and on PostgreSQL (where a BEGIN costs a round trip), they do nothing: pass db_read_end
 * what db_read_begin returned.
 */
int db_read_begin(struct db *db);
void db_read_end(struct db *db, int began);
/* db_in_tx: 1 inside a transaction. */
int db_in_tx(const struct db *db);

/* db_errmsg: the last error's text. db_err_is_unique: the last error was a unique or
 * primary-key violation (the caller reports a conflict). db_err_is_busy: a lock timeout. */
const char *db_errmsg(struct db *db);
int db_err_is_unique(struct db *db);
int db_err_is_busy(struct db *db);

/* db_time_ns: nanoseconds this connection has spent in the database since it opened
 * (for the metrics' DB time). */
int64_t db_time_ns(const struct db *db);

/*
 * db_tx: run fn inside one transaction: begin, fn, commit when fn returns 0, rollback when it
 * returns -1 (its err kept) or when the commit fails (ERR_INTERNAL). Returns fn's result.
 */
int db_tx(struct db *db, int (*fn)(struct db *db, void *arg, struct err *e), void *arg,
	  struct err *e);

/*
 * db_tx_group: like db_tx, but several threads' functions may share one transaction and one
 * commit (group commit). fn runs on the connection of whichever thread leads the group, or,
 * after db_group_use_writer(1), on the process's one writer connection (opened like `db` on
 * first use; the leader's own if that fails), so
 * it must use only its `db` argument (never a connection it brought along), and must not call
 * db_tx_group again. Each fn's writes are kept or undone on their own (savepoints); the call
 * returns after the commit that holds them, with fn's result.
 */
int db_tx_group(struct db *db, int (*fn)(struct db *db, void *arg, struct err *e), void *arg,
		struct err *e);
/* db_group_use_writer: run group commits on one writer connection (the server, whose
 * workers read through memory maps); off, tools keep their own connection's settings, such
 * as db_set_bulk. */
void db_group_use_writer(int on);
/* db_group_release: close the group-commit writer (at shutdown, when no writes run). */
void db_group_release(void);

/*
 * db_set_bulk: for generators (demo data, benchmarks) on this connection only: SQLite commits
 * without waiting for the disk (synchronous=OFF), PostgreSQL with synchronous_commit off.
 * Never for anything a citizen is told was saved. db_set_bulk(db, 0) restores durability.
 */
int db_set_bulk(struct db *db, int on);

/* db_fail: fill e with ERR_INTERNAL naming the database error, log it, return -1. */
int db_fail(struct db *db, struct err *e);

#endif
