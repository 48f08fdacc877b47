/*
 * feedback_files.c: attaching, listing and reading a feedback item's files (see
 * feedback_files.h). As for a dossier's files, everything that can be checked is checked
 * before a byte is written (who, the item's state, the type, the limits as they stand), then
 * the file is made durable, then the transaction checks the state and the limits again under
 * the item's row lock, since another request may have moved them in between.
 */
#include "service/feedback_files.h"
#include "service/feedback_int.h"
#include "crypto/crypto.h"
#include "store/files.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int64_t item_max = FEEDBACK_FILES_MAX_DEFAULT;

void
feedback_files_configure(int64_t max)
{
	item_max = max > 0 ? max : FEEDBACK_FILES_MAX_DEFAULT;
}

/* the states that still take files: the item is being handled */
static int
open_state(const char *s)
{
	return strcmp(s, "received") == 0 || strcmp(s, "info_requested") == 0 ||
	       strcmp(s, "assigned") == 0;
}

static int
closed_err(struct err *e)
{
	return err_set(e, ERR_CONFLICT, "state",
		       "Phản ánh đã được trả lời hoặc đã kết thúc: không đính kèm thêm tệp",
		       "the feedback is answered or closed: no more files");
}

static const enum role attach_roles[] = {ROLE_RECEIVER, ROLE_SPECIALIST, ROLE_DEPT_HEAD,
					 ROLE_LEADER};

/* The item as its reader may see it: the citizen with the secret (cc is c without an actor),
 * or staff of the target unit's subtree. */
static int
load_item(const struct ctx *c, struct ctx *cc, const char *code, const char *secret,
	  struct feedback_rec *f, struct err *e)
{
	*cc = *c;
	if (secret) {
		cc->actor = NULL; /* a citizen, whatever else came with the request */
		return fb_secret_check(cc, code, secret, e) < 0 || fb_load(cc, code, f, e) < 0 ? -1
											       : 0;
	}
	if (!c->actor)
		return err_set(e, ERR_UNAUTHENTICATED, "", "Cần đăng nhập", "login required");
	return fb_load(c, code, f, e) < 0 || fb_staff_of(c, f->unit_id, e) < 0 ? -1 : 0;
}

static int
staff_may_attach(const struct ctx *c, const struct feedback_rec *f, struct err *e)
{
	if (strcmp(f->channel, "hotline") != 0 && strcmp(f->channel, "counter") != 0)
		return err_set(e, ERR_FORBIDDEN, "channel",
			       "Phản ánh gửi trên cổng: công dân tự đính kèm tệp bằng mã bí mật",
			       "feedback from the portal: the citizen attaches files with the "
			       "secret");
	for (size_t i = 0; i < sizeof(attach_roles) / sizeof(attach_roles[0]); i++)
		if (authz_has(c, attach_roles[i], f->unit_id))
			return 0;
	return err_set(e, ERR_FORBIDDEN, "code", "Bạn không có quyền đính kèm tệp cho phản ánh này",
		       "you may not attach files to this feedback");
}

#define FILE_COLS "sha256, name, mime, size, created_at, created_by"

static void
read_row(struct db_stmt *st, struct arena *a, struct feedback_file_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->sha256 = arena_strdup(a, db_col_text(st, 0));
	r->name = arena_strdup(a, db_col_text(st, 1));
	r->mime = arena_strdup(a, db_col_text(st, 2));
	r->size = db_col_int(st, 3);
	r->created_at = db_col_int(st, 4);
	r->created_by = arena_strdup(a, db_col_text(st, 5));
}

static int
too_large(struct err *e)
{
	return err_setf(e, ERR_TOO_LARGE, "file",
			"Tổng dung lượng tệp của phản ánh vượt quá giới hạn %" PRId64 " byte",
			"the feedback's files together exceed the limit of %" PRId64 " bytes",
			item_max);
}

/* the limits as they stand: 0 within, -1 with e over */
static int
check_limits(struct db *db, int64_t id, size_t len, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT COUNT(*), CAST(COALESCE(SUM(size), 0) AS "
					    "BIGINT) FROM feedback_file WHERE feedback_id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	int64_t count = rc == DB_ROW ? db_col_int(st, 0) : 0;
	int64_t total = rc == DB_ROW ? db_col_int(st, 1) : 0;
	db_reset(st);
	if (rc != DB_ROW)
		return db_fail(db, e);
	if (total + (int64_t)len > item_max)
		return too_large(e);
	if (count >= FEEDBACK_FILES_MAX)
		return err_setf(e, ERR_TOO_LARGE, "file", "Phản ánh đã có đủ %d tệp",
				"the feedback already has %d files", FEEDBACK_FILES_MAX);
	return 0;
}

/* the row for these bytes on the item: 1 found (in *out), 0 none, -1 error */
static int
find_file(struct db *db, struct arena *a, int64_t id, const char *sha,
	  struct feedback_file_rec *out, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT " FILE_COLS " FROM feedback_file WHERE feedback_id = ? AND "
			   "sha256 = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, sha);
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, a, out);
	db_reset(st);
	if (rc == DB_ERROR)
		return db_fail(db, e);
	return rc == DB_ROW;
}

/* ---- attach ---- */

struct attach_args {
	const struct ctx *c;
	int64_t id;
	const char *sha, *mime, *name;
	size_t len;
	struct feedback_file_rec *out;
};

static int
attach_tx(struct db *db, void *arg, struct err *e)
{
	struct attach_args *a = arg;
	const struct ctx *c = a->c;
	/* the row lock serialises attaches to one item: the limits and the event chain */
	char state[32], tip[65];
	int64_t seq;
	if (fb_lock(db, c, a->id, state, &seq, tip, e) < 0)
		return -1;
	struct db_stmt *st;
	int rc;
	if (!open_state(state))
		return closed_err(e);
	int found = find_file(db, c->arena, a->id, a->sha, a->out, e);
	if (found < 0)
		return -1;
	if (found) { /* the same bytes again: a retry */
		a->out->created = 0;
		return 0;
	}
	if (check_limits(db, a->id, a->len, e) < 0)
		return -1;
	const char *by = c->actor ? c->actor->username : "citizen";
	st = db_prepare(db, "INSERT INTO feedback_file (feedback_id, sha256, name, mime, size, "
			    "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, a->id);
	db_bind_text(st, 2, a->sha);
	db_bind_text(st, 3, a->name);
	db_bind_text(st, 4, a->mime);
	db_bind_int(st, 5, (int64_t)a->len);
	db_bind_int(st, 6, c->now);
	db_bind_text(st, 7, by);
	rc = db_step(st);
	int unique = rc != DB_DONE && db_err_is_unique(db);
	db_reset(st);
	if (unique)
		return err_set(e, ERR_CONFLICT, "file", "Tệp này đã được đính kèm phản ánh",
			       "these bytes are already attached to the feedback");
	if (rc != DB_DONE)
		return db_fail(db, e);
	const char *note = arena_printf(c->arena, "%s (sha256 %.12s)", a->name, a->sha);
	if (fb_append_event(db, c, a->id, &seq, tip, "attach", state, state, note, e) < 0)
		return -1;
	struct feedback_file_rec *o = a->out;
	o->sha256 = a->sha;
	o->name = a->name;
	o->mime = a->mime;
	o->size = (int64_t)a->len;
	o->created_at = c->now;
	o->created_by = by;
	o->created = 1;
	return 0;
}

int
feedback_file_add(const struct ctx *c, const char *code, const char *secret, const char *name,
		  const void *data, size_t len, struct feedback_file_rec *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	/* who and when, before a byte is written */
	struct ctx cc;
	struct feedback_rec f;
	if (load_item(c, &cc, code, secret, &f, e) < 0)
		return -1;
	if (!secret && staff_may_attach(&cc, &f, e) < 0)
		return -1;
	if (!open_state(f.state))
		return closed_err(e);
	const char *mime, *clean, *sha;
	if (attach_check(data, len, &mime, e) < 0 || attach_clean_name(&cc, name, &clean, e) < 0)
		return -1;
	/* the limits as they stand, so that a full item does not grow the store */
	if (check_limits(cc.db, f.id, len, e) < 0) {
		char digest[FILES_SHA_HEX];
		struct feedback_file_rec dup;
		crypto_sha256_hex(data, len, digest);
		/* a retry of bytes already attached is still a success */
		if (find_file(cc.db, cc.arena, f.id, digest, &dup, e) != 1)
			return -1;
	}
	if (attach_store(&cc, data, len, &sha, NULL, e) < 0)
		return -1;
	struct attach_args a = {
	    .c = &cc, .id = f.id, .sha = sha, .mime = mime, .len = len, .out = out};
	a.name =
	    clean ? clean : arena_printf(cc.arena, "%s-%.12s.%s", f.code, sha, files_ext(mime));
	return db_tx(cc.db, attach_tx, &a, e);
}

/* ---- reading ---- */

int
feedback_file_list(const struct ctx *c, const char *code, const char *secret,
		   struct feedback_file_rec **out, size_t *n, struct err *e)
{
	*out = NULL;
	*n = 0;
	struct ctx cc;
	struct feedback_rec f;
	if (load_item(c, &cc, code, secret, &f, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(c->db, "SELECT " FILE_COLS " FROM feedback_file WHERE "
					       "feedback_id = ? ORDER BY created_at, sha256");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, f.id);
	struct feedback_file_rec *v = arena_zalloc(c->arena, FEEDBACK_FILES_MAX * sizeof(*v));
	int rc;
	while ((rc = db_step(st)) == DB_ROW && *n < FEEDBACK_FILES_MAX)
		read_row(st, c->arena, &v[(*n)++]);
	db_reset(st);
	if (rc == DB_ERROR)
		return db_fail(c->db, e);
	*out = v;
	return 0;
}

int
feedback_file_get(const struct ctx *c, const char *code, const char *secret, const char *sha256,
		  struct feedback_file_rec *out, const void **data, size_t *len, struct err *e)
{
	memset(out, 0, sizeof(*out));
	struct ctx cc;
	struct feedback_rec f;
	if (load_item(c, &cc, code, secret, &f, e) < 0)
		return -1;
	int found = files_sha_ok(sha256) ? find_file(c->db, c->arena, f.id, sha256, out, e) : 0;
	if (found < 0)
		return -1;
	if (!found) /* only a file of this item, whatever else the store holds */
		return err_set(e, ERR_NOT_FOUND, "sha256", "Không tìm thấy tệp", "file not found");
	return attach_read(c, sha256, data, len, e);
}
