#include "service/audit.h"
#include "core/buf.h"
#include "crypto/crypto.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void
chain_hash(const char *prev, const char *const *fields, int nfields, char out[65])
{
	struct buf b = BUF_INIT(1 << 24);
	buf_add(&b, prev, strlen(prev) + 1);
	for (int i = 0; i < nfields; i++) {
		const char *f = fields[i] ? fields[i] : "";
		buf_add(&b, f, strlen(f) + 1);
	}
	crypto_sha256_hex(b.data, b.len, out);
	buf_release(&b);
}

static void
audit_fields(int64_t seq, int64_t at, int64_t actor_id, const char *actor_name, const char *action,
	     const char *otype, const char *oid, const char *detail, const char *prev, char out[65])
{
	char s_seq[24], s_at[24], s_actor[24];
	snprintf(s_seq, sizeof(s_seq), "%" PRId64, seq);
	snprintf(s_at, sizeof(s_at), "%" PRId64, at);
	snprintf(s_actor, sizeof(s_actor), "%" PRId64, actor_id);
	const char *f[] = {s_seq, s_at, s_actor, actor_name, action, otype, oid, detail};
	chain_hash(prev, f, 8, out);
}

int
audit_append(const struct ctx *c, const char *action, const char *object_type,
	     const char *object_id, const char *detail, struct err *e)
{
	struct db *db = c->db;
	/* The UPDATE takes the chain's lock (a row lock in PostgreSQL, the write lock in SQLite)
	 * so concurrent appends line up. */
	struct db_stmt *st = db_prepare(db, "UPDATE chain_head SET seq = seq + 1 WHERE name = "
					    "'audit' RETURNING seq, hash");
	if (!st || db_step(st) != DB_ROW) {
		db_reset(st);
		return db_fail(db, e);
	}
	int64_t seq = db_col_int(st, 0);
	char prev[65];
	snprintf(prev, sizeof(prev), "%s", db_col_text(st, 1));
	db_reset(st);

	int64_t actor_id = c->actor ? c->actor->user_id : 0;
	const char *actor_name = c->actor ? c->actor->username : "anonymous";
	if (!detail)
		detail = "";
	char hash[65];
	audit_fields(seq, c->now, actor_id, actor_name, action, object_type, object_id, detail,
		     prev, hash);

	st = db_prepare(db, "INSERT INTO audit_log (seq, at, actor_id, actor_name, action, "
			    "object_type, object_id, detail, prev_hash, hash) "
			    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, seq);
	db_bind_int(st, 2, c->now);
	if (actor_id)
		db_bind_int(st, 3, actor_id);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, actor_name);
	db_bind_text(st, 5, action);
	db_bind_text(st, 6, object_type);
	db_bind_text(st, 7, object_id);
	db_bind_text(st, 8, detail);
	db_bind_text(st, 9, prev);
	db_bind_text(st, 10, hash);
	int rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(db, e);

	st = db_prepare(db, "UPDATE chain_head SET hash = ? WHERE name = 'audit'");
	if (!st)
		return db_fail(db, e);
	db_bind_text(st, 1, hash);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : db_fail(db, e);
}

int
audit_verify(struct db *db, int64_t *checked, int64_t *bad_seq, struct err *e)
{
	char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
	int64_t expect_seq = 1, n = 0;
	*bad_seq = 0;
	struct db_stmt *st = db_prepare(db, "SELECT seq, at, COALESCE(actor_id, 0), actor_name, "
					    "action, object_type, object_id, detail, prev_hash, "
					    "hash FROM audit_log ORDER BY seq");
	if (!st)
		return db_fail(db, e);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t seq = db_col_int(st, 0);
		char hash[65];
		audit_fields(seq, db_col_int(st, 1), db_col_int(st, 2), db_col_text(st, 3),
			     db_col_text(st, 4), db_col_text(st, 5), db_col_text(st, 6),
			     db_col_text(st, 7), prev, hash);
		const char *why = NULL;
		if (seq != expect_seq)
			why = "missing entry before it";
		else if (strcmp(prev, db_col_text(st, 8)) != 0)
			why = "prev_hash does not match the previous entry";
		else if (strcmp(hash, db_col_text(st, 9)) != 0)
			why = "contents do not match its hash";
		if (why) {
			*bad_seq = seq;
			db_reset(st);
			return err_setf(e, ERR_CONFLICT, "audit_log",
					"Nhật ký quản trị bị sửa đổi tại bản ghi %" PRId64,
					"audit log entry %" PRId64 " is invalid: %s", seq, why);
		}
		snprintf(prev, sizeof(prev), "%s", hash);
		expect_seq++;
		n++;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(db, e);
	/* A deleted tail shows as a head ahead of the last row. */
	st = db_prepare(db, "SELECT seq, hash FROM chain_head WHERE name = 'audit'");
	if (st && db_step(st) == DB_ROW) {
		int64_t head = db_col_int(st, 0);
		int same = strcmp(db_col_text(st, 1), prev) == 0;
		db_reset(st);
		if (head != n || !same) {
			*bad_seq = n + 1;
			return err_setf(e, ERR_CONFLICT, "audit_log",
					"Nhật ký quản trị thiếu bản ghi sau số %" PRId64,
					"audit log is missing entries after %" PRId64, n);
		}
	} else {
		db_reset(st);
	}
	if (checked)
		*checked = n;
	return 0;
}
