/*
 * db.c: the driver-independent half of db.h: choosing the driver from the URL, the per-
 * connection statement cache, time accounting for the metrics, and the transaction helper.
 */
#include "store/db.h"
#include "store/driver.h"
#include "core/civil.h"
#include "core/log.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 256 /* power of two; more distinct SQL texts than this are evicted */

struct db_stmt {
	struct db *db;
	void *drv_stmt;
	char *sql;
	uint64_t hash;
	int busy; /* stepped since its last reset: a caller holds it, never evict */
	struct db_stmt *next_overflow;
};

struct db {
	const struct db_driver *drv;
	char *url; /* to open a sibling (the group-commit writer) */
	enum db_kind kind;
	void *conn;
	int in_tx;
	int64_t time_ns;
	char errbuf[512];
	struct db_stmt *cache[CACHE_SLOTS];
	/* statements that found their probe window full of busy ones; freed at close */
	struct db_stmt *overflow;
};

static void
stmt_free(struct db *db, struct db_stmt *st)
{
	db->drv->finalize(st->drv_stmt);
	free(st->sql);
	free(st);
}

static const char *kind_names[DB__MAX] = {[DB_SQLITE] = "sqlite", [DB_POSTGRES] = "postgres"};

int
db_open(struct db **out, const char *url, struct err *e)
{
	const struct db_driver *drv = NULL;
	enum db_kind kind = DB_SQLITE;
	const char *target = url;
	*out = NULL;
	if (!url || !*url)
		return err_set(e, ERR_VALIDATION, "db", "Thiếu địa chỉ cơ sở dữ liệu",
			       "missing database URL");
	if (strncmp(url, "sqlite:", 7) == 0) {
		drv = &db_driver_sqlite;
		target = url + 7;
	} else if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
		drv = &db_driver_pg;
		kind = DB_POSTGRES;
	} else {
		return err_setf(
		    e, ERR_VALIDATION, "db",
		    "Địa chỉ cơ sở dữ liệu không hợp lệ: %s (dùng sqlite:ĐƯỜNG_DẪN hoặc "
		    "postgres://...)",
		    "invalid database URL: %s (use sqlite:PATH or postgres://...)", url);
	}
	char errbuf[512] = "";
	void *conn = drv->open(target, errbuf, sizeof(errbuf));
	if (!conn)
		return err_setf(e, ERR_UNAVAILABLE, "db", "Không kết nối được cơ sở dữ liệu: %s",
				"cannot connect to the database: %s", errbuf);
	struct db *db = xcalloc(1, sizeof(*db));
	db->drv = drv;
	db->kind = kind;
	db->conn = conn;
	db->url = xstrdup(url);
	*out = db;
	return 0;
}

int
db_open_writer(struct db **out, const struct db *like, struct err *e)
{
	return db_open(out, like->url, e);
}

void
db_close(struct db *db)
{
	if (!db)
		return;
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (db->cache[i])
			stmt_free(db, db->cache[i]);
	while (db->overflow) {
		struct db_stmt *next = db->overflow->next_overflow;
		stmt_free(db, db->overflow);
		db->overflow = next;
	}
	db->drv->close(db->conn);
	free(db->url);
	free(db);
}

enum db_kind
db_kind(const struct db *db)
{
	return db->kind;
}

const char *
db_kind_name(const struct db *db)
{
	return kind_names[db->kind];
}

static uint64_t
hash_sql(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

struct db_stmt *
db_prepare(struct db *db, const char *sql)
{
	uint64_t h = hash_sql(sql);
	unsigned slot = (unsigned)(h & (CACHE_SLOTS - 1));
	for (unsigned probe = 0; probe < 8; probe++) {
		struct db_stmt *st = db->cache[(slot + probe) & (CACHE_SLOTS - 1)];
		if (st && st->hash == h && strcmp(st->sql, sql) == 0)
			return st;
		if (!st)
			break;
	}
	int64_t t0 = civil_now_ns();
	void *drv_stmt = db->drv->prepare(db->conn, sql);
	db->time_ns += civil_now_ns() - t0;
	if (!drv_stmt) {
		log_event(LOG_ERROR, "db_prepare", "sql", sql, "error", db_errmsg(db), NULL);
		return NULL;
	}
	struct db_stmt *st = xmalloc(sizeof(*st));
	st->db = db;
	st->drv_stmt = drv_stmt;
	st->sql = xstrdup(sql);
	st->hash = h;
	st->busy = 0;
	st->next_overflow = NULL;
	/* Take a free slot of the probe window, else evict one that no caller holds; when all
	 * are held (a pathological mix of dynamic SQL), keep it aside until close. */
	int pick = -1;
	for (unsigned probe = 0; probe < 8 && pick < 0; probe++) {
		unsigned s = (slot + probe) & (CACHE_SLOTS - 1);
		if (!db->cache[s])
			pick = (int)s;
	}
	for (unsigned probe = 0; probe < 8 && pick < 0; probe++) {
		unsigned s = (slot + probe) & (CACHE_SLOTS - 1);
		if (!db->cache[s]->busy) {
			stmt_free(db, db->cache[s]);
			pick = (int)s;
		}
	}
	if (pick < 0) {
		st->next_overflow = db->overflow;
		db->overflow = st;
		return st;
	}
	db->cache[pick] = st;
	return st;
}

int
db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	return st->db->drv->bind_int(st->drv_stmt, idx, v);
}

int
db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (!s)
		return st->db->drv->bind_null(st->drv_stmt, idx);
	return st->db->drv->bind_text(st->drv_stmt, idx, s);
}

int
db_bind_text_static(struct db_stmt *st, int idx, const char *s)
{
	if (!s)
		return st->db->drv->bind_null(st->drv_stmt, idx);
	if (st->db->drv->bind_text_static)
		return st->db->drv->bind_text_static(st->drv_stmt, idx, s);
	return st->db->drv->bind_text(st->drv_stmt, idx, s);
}

int
db_bind_null(struct db_stmt *st, int idx)
{
	return st->db->drv->bind_null(st->drv_stmt, idx);
}

int
db_step(struct db_stmt *st)
{
	int64_t t0 = civil_now_ns();
	st->busy = 1;
	int rc = st->db->drv->step(st->drv_stmt);
	st->db->time_ns += civil_now_ns() - t0;
	if (rc == DB_ERROR && !db_err_is_unique(st->db))
		log_event(LOG_ERROR, "db_step", "sql", st->sql, "error", db_errmsg(st->db), NULL);
	return rc;
}

int64_t
db_col_int(struct db_stmt *st, int col)
{
	return st->db->drv->col_int(st->drv_stmt, col);
}

const char *
db_col_text(struct db_stmt *st, int col)
{
	return st->db->drv->col_text(st->drv_stmt, col);
}

int
db_col_is_null(struct db_stmt *st, int col)
{
	return st->db->drv->col_is_null(st->drv_stmt, col);
}

int
db_col_count(struct db_stmt *st)
{
	return st->db->drv->col_count(st->drv_stmt);
}

void
db_reset(struct db_stmt *st)
{
	if (st) {
		st->db->drv->reset(st->drv_stmt);
		st->busy = 0;
	}
}

int
db_exec(struct db *db, const char *sql)
{
	int64_t t0 = civil_now_ns();
	int rc = db->drv->exec(db->conn, sql);
	db->time_ns += civil_now_ns() - t0;
	return rc;
}

int
db_begin(struct db *db)
{
	if (db_exec(db, db->drv->begin_sql) < 0)
		return -1;
	db->in_tx = 1;
	return 0;
}

int
db_commit(struct db *db)
{
	int rc = db_exec(db, "COMMIT");
	if (rc < 0) {
		/* log now: the ROLLBACK below replaces SQLite's last error */
		log_event(LOG_ERROR, "db_commit", "error", db_errmsg(db), NULL);
		db_exec(db, "ROLLBACK");
	}
	db->in_tx = 0;
	return rc;
}

int
db_rollback(struct db *db)
{
	int rc = db_exec(db, "ROLLBACK");
	db->in_tx = 0;
	return rc;
}

/* stmt_run: one cached statement without parameters, stepped to its end */
static int
stmt_run(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

int
db_read_begin(struct db *db)
{
	if (db->kind != DB_SQLITE || db->in_tx)
		return 0;
	if (stmt_run(db, "BEGIN") < 0)
		return 0; /* the reads run on their own, as without this */
	db->in_tx = 1;
	return 1;
}

void
db_read_end(struct db *db, int began)
{
	if (!began)
		return;
	if (stmt_run(db, "COMMIT") < 0)
		db_exec(db, "ROLLBACK");
	db->in_tx = 0;
}

int
db_in_tx(const struct db *db)
{
	return db->in_tx;
}

const char *
db_errmsg(struct db *db)
{
	const char *m = db->drv->errmsg(db->conn);
	return m ? m : "";
}

int
db_err_is_unique(struct db *db)
{
	return db->drv->err_is_unique(db->conn);
}

int
db_err_is_busy(struct db *db)
{
	return db->drv->err_is_busy(db->conn);
}

int64_t
db_time_ns(const struct db *db)
{
	return db->time_ns;
}

int
db_set_bulk(struct db *db, int on)
{
	if (db->kind == DB_SQLITE)
		return db_exec(db, on ? "PRAGMA synchronous=OFF" : "PRAGMA synchronous=FULL");
	return db_exec(db, on ? "SET synchronous_commit TO off" : "SET synchronous_commit TO on");
}

int
db_fail(struct db *db, struct err *e)
{
	log_event(LOG_ERROR, "db_error", "error", db_errmsg(db), NULL);
	return err_set(e, ERR_INTERNAL, "", "Lỗi cơ sở dữ liệu", "database error");
}

int
db_tx(struct db *db, int (*fn)(struct db *db, void *arg, struct err *e), void *arg, struct err *e)
{
	if (db_begin(db) < 0)
		return db_fail(db, e);
	if (fn(db, arg, e) < 0) {
		db_rollback(db);
		if (e && e->code == ERR_NONE)
			err_set(e, ERR_INTERNAL, "", "Lỗi nội bộ", "internal error");
		return -1;
	}
	if (db_commit(db) < 0)
		return db_fail(db, e);
	return 0;
}

/* Used by the migration runner: the driver's spelling of the portable type tokens. */
const char *db_type_id(const struct db *db);
const char *db_type_blob(const struct db *db);

const char *
db_type_id(const struct db *db)
{
	return db->drv->id_type;
}

const char *
db_type_blob(const struct db *db)
{
	return db->drv->blob_type;
}
