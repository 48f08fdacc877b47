/*
 * test_db.c: the db.h interface, the same tests against both drivers: SQLite (a file in a
 * temporary directory) always, PostgreSQL when MOTCUA_PG_URL names a database (tests/pg.sh
 * starts a throwaway cluster and sets it). Each group works in its own table, dropped first,
 * so a rerun against the same database starts clean.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/log.h"
#include "store/db.h"

#define VI_TEXT "Đăng ký khai sinh"

struct fx {
	struct db *db;
	const char *url;
	char dir[64];	  /* SQLite: the temporary directory, "" for PostgreSQL */
	char path[128];	  /* SQLite: the database file */
	char urlbuf[160]; /* SQLite: "sqlite:" path */
	char table[64];	  /* this run's table */
	char sqlbuf[512]; /* scratch for SQL naming the table */
};

static struct fx fx_sqlite, fx_pg;

/* fits: snprintf's result n wrote the whole text into a buffer of size cap. */
static int
fits(int n, size_t cap)
{
	return n >= 0 && (size_t)n < cap;
}

/* fx_sql: fmt with every %s replaced by the table name (fmt may use it several times). */
static const char *
fx_sql(struct fx *f, const char *fmt)
{
	size_t o = 0, tl = strlen(f->table);

	for (const char *p = fmt; *p; p++) {
		if (p[0] == '%' && p[1] == 's') {
			assert_true(o + tl < sizeof(f->sqlbuf));
			memcpy(f->sqlbuf + o, f->table, tl);
			o += tl;
			p++;
		} else {
			assert_true(o + 1 < sizeof(f->sqlbuf));
			f->sqlbuf[o++] = *p;
		}
	}
	f->sqlbuf[o] = '\0';
	return f->sqlbuf;
}

/* exec_ok: run statements without parameters, failing the test with the message. */
static void
exec_ok(struct fx *f, const char *sql)
{
	if (db_exec(f->db, sql) != 0)
		fail_msg("db_exec(%s): %s", sql, db_errmsg(f->db));
}

/* count_rows: SELECT count(*) FROM table WHERE id = id (id < 0: all rows). */
static int64_t
count_rows(struct fx *f, int64_t id)
{
	struct db_stmt *st;
	int64_t n;

	if (id < 0) {
		st = db_prepare(f->db, fx_sql(f, "SELECT count(*) FROM %s"));
		assert_non_null(st);
	} else {
		st = db_prepare(f->db, fx_sql(f, "SELECT count(*) FROM %s WHERE id = ?"));
		assert_non_null(st);
		assert_int_equal(db_bind_int(st, 1, id), 0);
	}
	assert_int_equal(db_step(st), DB_ROW);
	n = db_col_int(st, 0);
	assert_int_equal(db_step(st), DB_DONE);
	db_reset(st);
	return n;
}

/* insert_row: INSERT (id, name, n); returns db_step's result. */
static int
insert_row(struct fx *f, int64_t id, const char *name, int64_t n)
{
	struct db_stmt *st =
	    db_prepare(f->db, fx_sql(f, "INSERT INTO %s (id, name, n) VALUES (?, ?, ?)"));
	int rc;

	assert_non_null(st);
	assert_int_equal(db_bind_int(st, 1, id), 0);
	assert_int_equal(db_bind_text(st, 2, name), 0);
	assert_int_equal(db_bind_int(st, 3, n), 0);
	rc = db_step(st);
	db_reset(st);
	return rc;
}

static int
fx_setup(struct fx *f)
{
	struct err e = ERR_INIT;

	if (getenv("MOTCUA_TEST_VERBOSE") == NULL)
		log_set_level(LOG__MAX); /* the tests provoke errors on purpose */
	snprintf(f->table, sizeof(f->table), "t_db_%ld", (long)getpid());
	if (f == &fx_sqlite) {
		snprintf(f->dir, sizeof(f->dir), "/tmp/motcua-test-db.XXXXXX");
		if (!mkdtemp(f->dir))
			return -1;
		if (!fits(snprintf(f->path, sizeof(f->path), "%s/test.db", f->dir),
			  sizeof(f->path)) ||
		    !fits(snprintf(f->urlbuf, sizeof(f->urlbuf), "sqlite:%s", f->path),
			  sizeof(f->urlbuf)))
			return -1;
		f->url = f->urlbuf;
	} else {
		f->url = getenv("MOTCUA_PG_URL");
	}
	if (db_open(&f->db, f->url, &e) != 0) {
		fprintf(stderr, "db_open(%s): %s\n", f->url, e.message_en);
		return -1;
	}
	if (db_exec(f->db, fx_sql(f, "DROP TABLE IF EXISTS %s")) != 0 ||
	    db_exec(f->db, fx_sql(f, "CREATE TABLE %s (id BIGINT PRIMARY KEY, name TEXT, "
				     "n BIGINT)")) != 0) {
		fprintf(stderr, "create table: %s\n", db_errmsg(f->db));
		return -1;
	}
	return 0;
}

static int
fx_teardown(struct fx *f)
{
	char p[160];

	if (f->db) {
		db_exec(f->db, fx_sql(f, "DROP TABLE IF EXISTS %s"));
		db_close(f->db);
		f->db = NULL;
	}
	if (f->dir[0]) {
		static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
		for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
			if (fits(snprintf(p, sizeof(p), "%s%s", f->path, suffixes[i]), sizeof(p)))
				unlink(p);
		}
		rmdir(f->dir);
	}
	return 0;
}

static int
setup_sqlite(void **state)
{
	*state = &fx_sqlite;
	return fx_setup(&fx_sqlite);
}

static int
teardown_sqlite(void **state)
{
	(void)state;
	return fx_teardown(&fx_sqlite);
}

static int
setup_pg(void **state)
{
	*state = &fx_pg;
	return fx_setup(&fx_pg);
}

static int
teardown_pg(void **state)
{
	(void)state;
	return fx_teardown(&fx_pg);
}

/* Each test starts with an empty table. */
static int
empty_table(void **state)
{
	struct fx *f = *state;

	if (db_in_tx(f->db))
		db_rollback(f->db);
	return db_exec(f->db, fx_sql(f, "DELETE FROM %s"));
}

static void
test_open_close(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct db *db2 = NULL;

	assert_int_equal(db_kind(f->db), f == &fx_pg ? DB_POSTGRES : DB_SQLITE);
	assert_string_equal(db_kind_name(f->db), f == &fx_pg ? "postgres" : "sqlite");

	/* a second connection to the same database sees the first one's committed rows */
	assert_int_equal(insert_row(f, 1, "a", 1), DB_DONE);
	assert_int_equal(db_open(&db2, f->url, &e), 0);
	assert_non_null(db2);
	{
		struct db_stmt *st = db_prepare(db2, fx_sql(f, "SELECT name FROM %s WHERE id = 1"));
		assert_non_null(st);
		assert_int_equal(db_step(st), DB_ROW);
		assert_string_equal(db_col_text(st, 0), "a");
		db_reset(st);
	}
	db_close(db2);
	db_close(NULL);

	/* unusable URLs */
	db2 = (struct db *)(void *)&e; /* any non-NULL value: db_open must set NULL */
	err_clear(&e);
	assert_int_equal(db_open(&db2, "mysql://x", &e), -1);
	assert_null(db2);
	assert_int_not_equal(e.code, ERR_NONE);
	err_clear(&e);
	assert_int_equal(db_open(&db2, "", &e), -1);
	assert_null(db2);
	err_clear(&e);
	if (f == &fx_pg)
		assert_int_equal(db_open(&db2, "postgresql:///x?host=/nonexistent/motcua", &e), -1);
	else
		assert_int_equal(db_open(&db2, "sqlite:/nonexistent/motcua/x.db", &e), -1);
	assert_null(db2);
	assert_int_equal(e.code, ERR_UNAVAILABLE);
	assert_true(e.message_en[0] != '\0');
}

static void
test_exec_multi(void **state)
{
	struct fx *f = *state;

	/* several statements in one db_exec, as migrations do */
	exec_ok(f, fx_sql(f, "INSERT INTO %s (id, name, n) VALUES (1, 'x', 10);\n"
			     "-- a comment; with a semicolon\n"
			     "INSERT INTO %s (id, name, n) VALUES (2, 'y;z', 20);\n"
			     "UPDATE %s SET n = n + 1 WHERE id = 2;"));
	assert_int_equal(count_rows(f, -1), 2);
	{
		struct db_stmt *st =
		    db_prepare(f->db, fx_sql(f, "SELECT name, n FROM %s WHERE id = 2"));
		assert_non_null(st);
		assert_int_equal(db_step(st), DB_ROW);
		assert_string_equal(db_col_text(st, 0), "y;z");
		assert_int_equal(db_col_int(st, 1), 21);
		db_reset(st);
	}
	/* an error in the middle is reported */
	assert_int_equal(db_exec(f->db, "SELECT 1; SELEKT 2;"), -1);
	assert_true(db_errmsg(f->db)[0] != '\0');
}

static void
test_insert_select(void **state)
{
	struct fx *f = *state;
	struct db_stmt *st;

	assert_int_equal(insert_row(f, 1, VI_TEXT, 42), DB_DONE);
	/* NULL through db_bind_null and through db_bind_text(NULL) */
	st = db_prepare(f->db, fx_sql(f, "INSERT INTO %s (id, name, n) VALUES (?, ?, ?)"));
	assert_non_null(st);
	assert_int_equal(db_bind_int(st, 1, 2), 0);
	assert_int_equal(db_bind_text(st, 2, NULL), 0);
	assert_int_equal(db_bind_null(st, 3), 0);
	assert_int_equal(db_step(st), DB_DONE);
	db_reset(st);
	/* indexes out of range */
	assert_int_equal(db_bind_int(st, 0, 1), -1);
	assert_int_equal(db_bind_int(st, 4, 1), -1);
	assert_int_equal(db_bind_text(st, 4, "x"), -1);
	assert_int_equal(db_bind_null(st, -1), -1);
	db_reset(st);

	st = db_prepare(f->db, fx_sql(f, "SELECT id, name, n FROM %s ORDER BY id"));
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_count(st), 3);
	assert_int_equal(db_col_int(st, 0), 1);
	assert_string_equal(db_col_text(st, 1), VI_TEXT);
	assert_int_equal(strlen(db_col_text(st, 1)), strlen(VI_TEXT));
	assert_int_equal(db_col_int(st, 2), 42);
	assert_false(db_col_is_null(st, 1));
	assert_false(db_col_is_null(st, 2));

	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 2);
	assert_null(db_col_text(st, 1));
	assert_true(db_col_is_null(st, 1));
	assert_true(db_col_is_null(st, 2));
	assert_int_equal(db_col_int(st, 2), 0);
	assert_int_equal(db_step(st), DB_DONE);
	db_reset(st);

	/* after reset the statement runs again from the start */
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	db_reset(st);

	/* a WHERE on the text matches byte for byte */
	st = db_prepare(f->db, fx_sql(f, "SELECT id FROM %s WHERE name = ?"));
	assert_non_null(st);
	assert_int_equal(db_bind_text(st, 1, VI_TEXT), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	assert_int_equal(db_step(st), DB_DONE);
	db_reset(st);
}

static void
test_returning(void **state)
{
	struct fx *f = *state;
	struct db_stmt *st;

	st = db_prepare(f->db, fx_sql(f, "INSERT INTO %s (id, name, n) VALUES (?, ?, ?) "
					 "RETURNING id, name"));
	assert_non_null(st);
	assert_int_equal(db_bind_int(st, 1, 77), 0);
	assert_int_equal(db_bind_text(st, 2, VI_TEXT), 0);
	assert_int_equal(db_bind_int(st, 3, 5), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 77);
	assert_string_equal(db_col_text(st, 1), VI_TEXT);
	assert_int_equal(db_step(st), DB_DONE);
	db_reset(st);
	assert_int_equal(count_rows(f, 77), 1);
}

static void
test_statement_cache(void **state)
{
	struct fx *f = *state;
	const char *ins = "INSERT INTO %s (id, name, n) VALUES (?, ?, ?)";
	struct db_stmt *a, *b;
	char sql[256];

	assert_true(fits(snprintf(sql, sizeof(sql), "%s", fx_sql(f, ins)), sizeof(sql)));
	a = db_prepare(f->db, sql);
	b = db_prepare(f->db, sql);
	assert_non_null(a);
	assert_ptr_equal(a, b);
	for (int i = 0; i < 500; i++) {
		struct db_stmt *st = db_prepare(f->db, sql);
		assert_non_null(st);
		assert_int_equal(db_bind_int(st, 1, i), 0);
		assert_int_equal(db_bind_text(st, 2, "row"), 0);
		assert_int_equal(db_bind_int(st, 3, (int64_t)i * 3), 0);
		assert_int_equal(db_step(st), DB_DONE);
		db_reset(st);
	}
	assert_int_equal(count_rows(f, -1), 500);

	/* a statement read while another one runs on the same connection */
	{
		struct db_stmt *outer =
		    db_prepare(f->db, fx_sql(f, "SELECT id, n FROM %s WHERE id < 10 ORDER BY id"));
		int rows = 0;
		assert_non_null(outer);
		while (db_step(outer) == DB_ROW) {
			assert_int_equal(db_col_int(outer, 0), rows);
			assert_int_equal(db_col_int(outer, 1), rows * 3);
			assert_int_equal(count_rows(f, db_col_int(outer, 0)), 1);
			rows++;
		}
		assert_int_equal(rows, 10);
		db_reset(outer);
	}
}

static int
tx_insert_then_fail(struct db *db, void *arg, struct err *e)
{
	struct fx *f = arg;

	assert_ptr_equal(db, f->db);
	assert_true(db_in_tx(db));
	assert_int_equal(insert_row(f, 300, "in tx", 0), DB_DONE);
	return err_set(e, ERR_CONFLICT, "", "Xung đột", "conflict");
}

static int
tx_insert_ok(struct db *db, void *arg, struct err *e)
{
	struct fx *f = arg;

	(void)db;
	(void)e;
	return insert_row(f, 301, "in tx", 0) == DB_DONE ? 0 : -1;
}

static void
test_transactions(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;

	assert_false(db_in_tx(f->db));
	assert_int_equal(db_begin(f->db), 0);
	assert_true(db_in_tx(f->db));
	assert_int_equal(insert_row(f, 100, "kept", 1), DB_DONE);
	assert_int_equal(db_commit(f->db), 0);
	assert_false(db_in_tx(f->db));
	assert_int_equal(count_rows(f, 100), 1);

	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(insert_row(f, 200, "dropped", 1), DB_DONE);
	assert_int_equal(count_rows(f, 200), 1); /* visible inside the transaction */
	assert_int_equal(db_rollback(f->db), 0);
	assert_false(db_in_tx(f->db));
	assert_int_equal(count_rows(f, 200), 0);

	/* db_tx: rolled back when fn fails, its error kept */
	assert_int_equal(db_tx(f->db, tx_insert_then_fail, f, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_false(db_in_tx(f->db));
	assert_int_equal(count_rows(f, 300), 0);
	err_clear(&e);
	assert_int_equal(db_tx(f->db, tx_insert_ok, f, &e), 0);
	assert_int_equal(e.code, ERR_NONE);
	assert_int_equal(count_rows(f, 301), 1);
	assert_true(db_time_ns(f->db) > 0);
}

/* db_read_begin: on SQLite the reads until db_read_end see one snapshot (a row another
 * connection commits meanwhile is seen after, not between); inside a transaction and on
 * PostgreSQL it does nothing. */
static void
test_read_snapshot(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct db *other;
	int sqlite = db_kind(f->db) == DB_SQLITE;
	assert_int_equal(db_open(&other, f->url, &e), 0);
	assert_int_equal(insert_row(f, 1, "một", 1), DB_DONE);
	int began = db_read_begin(f->db);
	assert_int_equal(began, sqlite);
	assert_int_equal(count_rows(f, -1), 1);
	if (db_exec(other, fx_sql(f, "INSERT INTO %s (id, name, n) VALUES (2, 'hai', 2)")) != 0)
		fail_msg("insert: %s", db_errmsg(other));
	assert_int_equal(count_rows(f, -1), sqlite ? 1 : 2);
	db_read_end(f->db, began);
	assert_false(db_in_tx(f->db));
	assert_int_equal(count_rows(f, -1), 2);
	/* inside a write transaction it is no new transaction, and ends none */
	assert_int_equal(db_begin(f->db), 0);
	began = db_read_begin(f->db);
	assert_int_equal(began, 0);
	db_read_end(f->db, began);
	assert_true(db_in_tx(f->db));
	assert_int_equal(db_rollback(f->db), 0);
	db_close(other);
}

static void
test_unique_violation(void **state)
{
	struct fx *f = *state;

	assert_int_equal(insert_row(f, 1, "first", 1), DB_DONE);
	assert_int_equal(insert_row(f, 1, "again", 2), DB_ERROR);
	assert_true(db_err_is_unique(f->db));
	assert_false(db_err_is_busy(f->db));
	assert_true(db_errmsg(f->db)[0] != '\0');
	assert_int_equal(count_rows(f, 1), 1);

	/* another kind of error is not a unique violation */
	assert_int_equal(db_exec(f->db, "INSERT INTO no_such_table_motcua (id) VALUES (1)"), -1);
	assert_false(db_err_is_unique(f->db));

	/* the connection is usable after the errors */
	assert_int_equal(insert_row(f, 2, "second", 1), DB_DONE);
	assert_int_equal(count_rows(f, -1), 2);
}

static void
test_syntax_error(void **state)
{
	struct fx *f = *state;
	struct db_stmt *st;

	st = db_prepare(f->db, "SELEKT 1 FROM nowhere WHERE ?");
	if (st) {
		assert_int_equal(db_step(st), DB_ERROR);
		db_reset(st);
	}
	assert_true(db_errmsg(f->db)[0] != '\0');
	assert_false(db_err_is_unique(f->db));

	st = db_prepare(f->db, "SELECT * FROM no_such_table_motcua");
	if (st) {
		assert_int_equal(db_step(st), DB_ERROR);
		db_reset(st);
	}
	assert_non_null(strstr(db_errmsg(f->db), "no_such_table_motcua"));

	/* and a good statement still works */
	st = db_prepare(f->db, "SELECT 1");
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	db_reset(st);
}

static void
test_placeholders(void **state)
{
	struct fx *f = *state;
	struct db_stmt *st;

	/* a question mark inside a literal, a quoted identifier or a comment is not a
	 * parameter; a doubled quote does not end the literal */
	st = db_prepare(f->db, "SELECT '?' , ?, 'it''s ?' AS \"what?\" -- really?\n"
			       ", /* or ? */ ?");
	assert_non_null(st);
	assert_int_equal(db_bind_text(st, 1, "one"), 0);
	assert_int_equal(db_bind_text(st, 2, "two"), 0);
	assert_int_equal(db_bind_text(st, 3, "three"), -1);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_count(st), 4);
	assert_string_equal(db_col_text(st, 0), "?");
	assert_string_equal(db_col_text(st, 1), "one");
	assert_string_equal(db_col_text(st, 2), "it's ?");
	assert_string_equal(db_col_text(st, 3), "two");
	assert_int_equal(db_step(st), DB_DONE);
	db_reset(st);

	/* the brief's example: an int bound next to a literal '?' */
	st = db_prepare(f->db, "SELECT '?' , ?");
	assert_non_null(st);
	assert_int_equal(db_bind_int(st, 1, 5), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "?");
	assert_int_equal(db_col_int(st, 1), 5);
	db_reset(st);

	/* many parameters */
	exec_ok(f, fx_sql(f, "INSERT INTO %s (id, name, n) VALUES (1, 'a', 10), (2, 'b', 20), "
			     "(3, 'c', 30), (11, 'k', 110), (12, 'l', 120)"));
	st = db_prepare(f->db, fx_sql(f, "SELECT count(*), sum(n) FROM %s WHERE id IN "
					 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
	assert_non_null(st);
	for (int i = 1; i <= 12; i++)
		assert_int_equal(db_bind_int(st, i, i), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 5);
	assert_int_equal(db_col_int(st, 1), 290);
	db_reset(st);
}

static void
test_int64(void **state)
{
	struct fx *f = *state;
	static const int64_t values[] = {
	    9007199254740993LL, -9007199254740993LL, -1, 0, INT64_MAX, INT64_MIN, 4294967296LL,
	};
	struct db_stmt *st;

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		assert_int_equal(insert_row(f, (int64_t)i, "v", values[i]), DB_DONE);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char want[32];
		st = db_prepare(f->db, fx_sql(f, "SELECT n, id FROM %s WHERE n = ?"));
		assert_non_null(st);
		assert_int_equal(db_bind_int(st, 1, values[i]), 0);
		assert_int_equal(db_step(st), DB_ROW);
		assert_true(db_col_int(st, 0) == values[i]);
		assert_int_equal(db_col_int(st, 1), (int64_t)i);
		snprintf(want, sizeof(want), "%lld", (long long)values[i]);
		assert_string_equal(db_col_text(st, 0), want);
		assert_int_equal(db_step(st), DB_DONE);
		db_reset(st);
	}
	/* arithmetic stays exact in 64 bits */
	st = db_prepare(f->db, fx_sql(f, "SELECT n + 1 FROM %s WHERE id = 0"));
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_int(st, 0) == 9007199254740994LL);
	db_reset(st);
}

static void
test_busy(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct db *other = NULL;
	struct db_stmt *st;
	int busy = 0;

	assert_int_equal(insert_row(f, 1, "locked", 0), DB_DONE);
	assert_int_equal(db_open(&other, f->url, &e), 0);
	/* fail fast instead of waiting */
	if (db_kind(other) == DB_POSTGRES)
		assert_int_equal(db_exec(other, "SET lock_timeout = '100ms'"), 0);
	else
		assert_int_equal(db_exec(other, "PRAGMA busy_timeout = 50"), 0);

	assert_int_equal(db_begin(f->db), 0);
	st = db_prepare(f->db, fx_sql(f, "UPDATE %s SET n = n + 1 WHERE id = 1"));
	assert_non_null(st);
	assert_int_equal(db_step(st), DB_DONE);
	db_reset(st);

	/* SQLite refuses the second writer at BEGIN IMMEDIATE, PostgreSQL at the row */
	if (db_begin(other) != 0) {
		busy = db_err_is_busy(other);
	} else {
		st = db_prepare(other, fx_sql(f, "UPDATE %s SET n = n + 1 WHERE id = 1"));
		assert_non_null(st);
		if (db_step(st) == DB_ERROR)
			busy = db_err_is_busy(other);
		db_reset(st);
		db_rollback(other);
	}
	assert_true(busy);
	assert_false(db_err_is_unique(other));
	assert_int_equal(db_commit(f->db), 0);
	db_close(other);
}

/* PostgreSQL only: an error aborts the whole transaction, and COMMIT must then fail rather
 * than report success for work it threw away. */
static void
test_pg_failed_commit(void **state)
{
	struct fx *f = *state;

	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(insert_row(f, 1, "a", 0), DB_DONE);
	assert_int_equal(insert_row(f, 1, "dup", 0), DB_ERROR);
	assert_true(db_err_is_unique(f->db));
	assert_int_equal(db_commit(f->db), -1);
	assert_false(db_in_tx(f->db));
	assert_true(db_errmsg(f->db)[0] != '\0');
	assert_int_equal(count_rows(f, 1), 0);

	/* booleans read as integers */
	{
		struct db_stmt *st = db_prepare(f->db, "SELECT true, false, 1 = 1");
		assert_non_null(st);
		assert_int_equal(db_step(st), DB_ROW);
		assert_int_equal(db_col_int(st, 0), 1);
		assert_int_equal(db_col_int(st, 1), 0);
		assert_int_equal(db_col_int(st, 2), 1);
		db_reset(st);
	}
}

#define DB_TESTS                                                                                   \
	cmocka_unit_test_setup(test_open_close, empty_table),                                      \
	    cmocka_unit_test_setup(test_exec_multi, empty_table),                                  \
	    cmocka_unit_test_setup(test_insert_select, empty_table),                               \
	    cmocka_unit_test_setup(test_returning, empty_table),                                   \
	    cmocka_unit_test_setup(test_statement_cache, empty_table),                             \
	    cmocka_unit_test_setup(test_transactions, empty_table),                                \
	    cmocka_unit_test_setup(test_read_snapshot, empty_table),                               \
	    cmocka_unit_test_setup(test_unique_violation, empty_table),                            \
	    cmocka_unit_test_setup(test_syntax_error, empty_table),                                \
	    cmocka_unit_test_setup(test_placeholders, empty_table),                                \
	    cmocka_unit_test_setup(test_int64, empty_table),                                       \
	    cmocka_unit_test_setup(test_busy, empty_table)

int
main(void)
{
	const struct CMUnitTest sqlite_tests[] = {DB_TESTS};
	const struct CMUnitTest pg_tests[] = {
	    DB_TESTS,
	    cmocka_unit_test_setup(test_pg_failed_commit, empty_table),
	};
	int failed;

	failed =
	    cmocka_run_group_tests_name("db_sqlite", sqlite_tests, setup_sqlite, teardown_sqlite);
	if (getenv("MOTCUA_PG_URL") && *getenv("MOTCUA_PG_URL"))
		failed +=
		    cmocka_run_group_tests_name("db_postgres", pg_tests, setup_pg, teardown_pg);
	else
		fprintf(stderr, "test_db: MOTCUA_PG_URL not set, PostgreSQL tests skipped\n");
	return failed ? 1 : 0;
}
