#include "store/migrate.h"
#include "core/buf.h"
#include "core/civil.h"
#include "core/embed.h"
#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIG_PREFIX "src/store/migrations/"

const char *db_type_id(const struct db *db);
const char *db_type_blob(const struct db *db);

/* The migrations in the binary, sorted by version (the embed table is sorted by path). */
static int
mig_version(const char *name)
{
	const char *base = name + strlen(MIG_PREFIX);
	int v = 0;
	for (int i = 0; i < 3; i++) {
		if (base[i] < '0' || base[i] > '9')
			return -1;
		v = v * 10 + (base[i] - '0');
	}
	return base[3] == '_' ? v : -1;
}

/* A dialect marker line: "-- @sqlite", "-- @postgres" or "-- @end"; its length, else 0. */
static size_t
dialect_marker(const unsigned char *s, size_t n, int *which)
{
	static const struct {
		const char *line;
		int which; /* enum db_kind, or -1 for the end of a block */
	} markers[] = {{"-- @sqlite", DB_SQLITE}, {"-- @postgres", DB_POSTGRES}, {"-- @end", -1}};
	for (size_t m = 0; m < sizeof(markers) / sizeof(markers[0]); m++) {
		size_t ml = strlen(markers[m].line);
		if (n >= ml && memcmp(s, markers[m].line, ml) == 0 &&
		    (n == ml || s[ml] == '\n' || s[ml] == '\r')) {
			*which = markers[m].which;
			return ml;
		}
	}
	return 0;
}

/*
 * expand: the migration's text for this driver: @ID@ and @BLOB@ replaced, and dialect blocks
 * (the lines between "-- @sqlite" or "-- @postgres" and "-- @end") kept only for their own
 * driver, for what has no portable form, such as full-text search indexes.
 */
static void
expand(struct db *db, const unsigned char *src, size_t len, struct buf *out)
{
	static const struct {
		const char *token;
		int which;
	} tokens[] = {{"@ID@", 0}, {"@BLOB@", 1}};
	int block = -1; /* the dialect of the block we are in, -1 outside one */
	for (size_t i = 0; i < len;) {
		int matched = 0;
		if (i == 0 || src[i - 1] == '\n') {
			int which;
			size_t ml = dialect_marker(src + i, len - i, &which);
			if (ml) {
				block = which;
				i += ml;
				continue;
			}
		}
		if (block >= 0 && block != (int)db_kind(db)) {
			i++;
			continue;
		}
		for (size_t t = 0; t < sizeof(tokens) / sizeof(tokens[0]); t++) {
			size_t tl = strlen(tokens[t].token);
			if (len - i >= tl && memcmp(src + i, tokens[t].token, tl) == 0) {
				buf_adds(out, tokens[t].which ? db_type_blob(db) : db_type_id(db));
				i += tl;
				matched = 1;
				break;
			}
		}
		if (!matched)
			buf_addc(out, (char)src[i++]);
	}
}

int
migrate_version(struct db *db)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migration");
	if (!st)
		return -1;
	int v = db_step(st) == DB_ROW ? (int)db_col_int(st, 0) : -1;
	db_reset(st);
	return v;
}

static int
apply_one(struct db *db, const struct embed_file *f, int version, struct err *e)
{
	struct buf sql = BUF_INIT(16 << 20);
	expand(db, f->data, f->len, &sql);
	if (db_begin(db) < 0)
		goto fail;
	if (db_kind(db) == DB_POSTGRES && db_exec(db, "SELECT pg_advisory_xact_lock(20251)") < 0)
		goto fail_tx;
	/* Another process may have applied it while we waited for the lock. */
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM schema_migration WHERE version = ?");
	if (!st)
		goto fail_tx;
	db_bind_int(st, 1, version);
	int have = db_step(st) == DB_ROW;
	db_reset(st);
	if (!have) {
		if (db_exec(db, sql.data) < 0)
			goto fail_tx;
		st = db_prepare(db, "INSERT INTO schema_migration (version, name, applied_at) "
				    "VALUES (?, ?, ?)");
		if (!st)
			goto fail_tx;
		db_bind_int(st, 1, version);
		db_bind_text(st, 2, f->name + strlen(MIG_PREFIX));
		db_bind_int(st, 3, civil_now());
		int rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			goto fail_tx;
	}
	if (db_commit(db) < 0)
		goto fail;
	buf_release(&sql);
	if (!have)
		log_event(LOG_INFO, "migration_applied", "name", f->name + strlen(MIG_PREFIX),
			  NULL);
	return have ? 0 : 1;
fail_tx:
	err_setf(e, ERR_INTERNAL, "", "Không áp dụng được bản chuyển đổi %s: %s",
		 "cannot apply migration %s: %s", f->name, db_errmsg(db));
	db_rollback(db);
	buf_release(&sql);
	return -1;
fail:
	buf_release(&sql);
	return err_setf(e, ERR_INTERNAL, "", "Không áp dụng được bản chuyển đổi %s: %s",
			"cannot apply migration %s: %s", f->name, db_errmsg(db));
}

int
migrate_run(struct db *db, int *applied, struct err *e)
{
	int count = 0;
	if (applied)
		*applied = 0;
	if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, "
			"name TEXT NOT NULL, applied_at BIGINT NOT NULL)") < 0)
		return err_setf(e, ERR_INTERNAL, "", "Không tạo được bảng phiên bản: %s",
				"cannot create the migration table: %s", db_errmsg(db));
	/* Every migration not yet recorded is applied, in order, even one numbered below the
	 * highest applied (two branches may land in either order). */
	char applied_set[1000] = {0};
	struct db_stmt *st = db_prepare(db, "SELECT version FROM schema_migration");
	if (!st)
		return db_fail(db, e);
	while (db_step(st) == DB_ROW) {
		int64_t v = db_col_int(st, 0);
		if (v >= 0 && v < 1000)
			applied_set[v] = 1;
	}
	db_reset(st);
	for (const struct embed_file *f = embed_files; f->name; f++) {
		if (strncmp(f->name, MIG_PREFIX, strlen(MIG_PREFIX)) != 0)
			continue;
		int v = mig_version(f->name);
		if (v < 0 || applied_set[v])
			continue;
		int rc = apply_one(db, f, v, e);
		if (rc < 0)
			return -1;
		count += rc;
	}
	if (applied)
		*applied = count;
	return 0;
}
