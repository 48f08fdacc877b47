#include "service/unit.h"
#include "core/buf.h"
#include "core/civil.h"
#include "core/mem.h"
#include "core/text.h"
#include "service/audit.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the path cache: id -> path, immutable once a unit exists ---- */

#define PATH_SLOTS 16384

static pthread_mutex_t path_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
	int64_t id;
	char *path;
} path_cache[PATH_SLOTS];

static int
path_cached(int64_t id, char *out, size_t cap)
{
	int found = 0;
	pthread_mutex_lock(&path_mu);
	for (unsigned i = 0; i < 8; i++) {
		unsigned s = (unsigned)((uint64_t)id * 2654435761u + i) & (PATH_SLOTS - 1);
		if (path_cache[s].id == id && path_cache[s].path) {
			snprintf(out, cap, "%s", path_cache[s].path);
			found = 1;
			break;
		}
	}
	pthread_mutex_unlock(&path_mu);
	return found;
}

static void
path_remember(int64_t id, const char *path)
{
	pthread_mutex_lock(&path_mu);
	unsigned pick = (unsigned)((uint64_t)id * 2654435761u) & (PATH_SLOTS - 1);
	for (unsigned i = 0; i < 8; i++) {
		unsigned s = (unsigned)((uint64_t)id * 2654435761u + i) & (PATH_SLOTS - 1);
		if (!path_cache[s].path || path_cache[s].id == id) {
			pick = s;
			break;
		}
	}
	free(path_cache[pick].path);
	path_cache[pick].id = id;
	path_cache[pick].path = xstrdup(path);
	pthread_mutex_unlock(&path_mu);
}

int
unit_path(const struct ctx *c, int64_t id, char *out, size_t cap)
{
	if (path_cached(id, out, cap))
		return 0;
	struct db_stmt *st = c->db ? db_prepare(c->db, "SELECT path FROM unit WHERE id = ?") : NULL;
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = -1;
	if (db_step(st) == DB_ROW) {
		snprintf(out, cap, "%s", db_col_text(st, 0));
		rc = 0;
	}
	db_reset(st);
	if (rc == 0)
		path_remember(id, out);
	return rc;
}

/* ---- validation ---- */

static const char *const unit_kinds[] = {"province",	   "commune", "district", "department",
					 "service_centre", "office",  "ministry"};

int
unit_kind_valid(const char *kind)
{
	if (!kind)
		return 0;
	for (size_t i = 0; i < sizeof(unit_kinds) / sizeof(unit_kinds[0]); i++)
		if (strcmp(kind, unit_kinds[i]) == 0)
			return 1;
	return 0;
}

int
unit_code_valid(const char *code)
{
	/* QCVN 102:2016: ddd.dd.dd.Xdd, e.g. 000.00.13.G04 or 000.00.00.H34 */
	static const char shape[] = "999.99.99.A99";
	if (!code || strlen(code) != sizeof(shape) - 1)
		return 0;
	for (size_t i = 0; shape[i]; i++) {
		char ch = code[i];
		if (shape[i] == '9' && (ch < '0' || ch > '9'))
			return 0;
		if (shape[i] == 'A' && (ch < 'A' || ch > 'Z'))
			return 0;
		if (shape[i] == '.' && ch != '.')
			return 0;
	}
	return 1;
}

static int
check_date(const char *field, const char *v, struct err *e)
{
	int64_t d;
	if (v && civil_parse_date(v, &d) < 0)
		return err_set(e, ERR_VALIDATION, field, "Ngày không hợp lệ (định dạng YYYY-MM-DD)",
			       "invalid date (expected YYYY-MM-DD)");
	return 0;
}

static int
check_input(const struct unit_input *in, unsigned set, struct err *e)
{
	if ((set & UNIT_SET_NAME) && (!in->name || !*in->name))
		return err_set(e, ERR_VALIDATION, "name", "Tên đơn vị không được để trống",
			       "unit name must not be empty");
	if ((set & UNIT_SET_KIND) && !unit_kind_valid(in->kind))
		return err_set(e, ERR_VALIDATION, "kind",
			       "Loại đơn vị không hợp lệ (province, commune, district, department, "
			       "service_centre, office, ministry)",
			       "unknown unit kind (province, commune, district, department, "
			       "service_centre, office, ministry)");
	if ((set & UNIT_SET_CODE) && in->code && !unit_code_valid(in->code))
		return err_set(e, ERR_VALIDATION, "code",
			       "Mã định danh không đúng dạng QCVN 102 (ví dụ 000.00.13.G04)",
			       "identifier is not in the QCVN 102 form (e.g. 000.00.13.G04)");
	if ((set & UNIT_SET_FROM) && check_date("effective_from", in->effective_from, e) < 0)
		return -1;
	if ((set & UNIT_SET_TO) && check_date("effective_to", in->effective_to, e) < 0)
		return -1;
	return 0;
}

static const char *
fold(const struct ctx *c, const char *s)
{
	struct buf b = BUF_INIT(4096);
	text_fold(s, &b);
	char *r = arena_strdup(c->arena, b.data ? b.data : "");
	buf_release(&b);
	return r;
}

/* ---- reads ---- */

#define UNIT_COLS                                                                                  \
	"id, COALESCE(parent_id, 0), depth, path, code, name, kind, effective_from, "              \
	"effective_to, created_at, updated_at"

static void
read_unit(const struct ctx *c, struct db_stmt *st, struct unit_rec *u)
{
	u->id = db_col_int(st, 0);
	u->parent_id = db_col_int(st, 1);
	u->depth = (int)db_col_int(st, 2);
	u->path = arena_strdup(c->arena, db_col_text(st, 3));
	u->code = arena_strdup(c->arena, db_col_text(st, 4));
	u->name = arena_strdup(c->arena, db_col_text(st, 5));
	u->kind = arena_strdup(c->arena, db_col_text(st, 6));
	u->effective_from = arena_strdup(c->arena, db_col_text(st, 7));
	u->effective_to = arena_strdup(c->arena, db_col_text(st, 8));
	u->created_at = db_col_int(st, 9);
	u->updated_at = db_col_int(st, 10);
}

int
unit_list(const struct ctx *c, struct unit_rec **out, size_t *n, struct err *e)
{
	struct db_stmt *st = db_prepare(c->db, "SELECT " UNIT_COLS " FROM unit ORDER BY depth, id");
	if (!st)
		return db_fail(c->db, e);
	size_t cap = 64, len = 0;
	struct unit_rec *v = arena_alloc(c->arena, cap * sizeof(*v));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (len == cap) {
			struct unit_rec *nv = arena_alloc(c->arena, 2 * cap * sizeof(*v));
			memcpy(nv, v, len * sizeof(*v));
			v = nv;
			cap *= 2;
		}
		read_unit(c, st, &v[len++]);
	}
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(c->db, e);
	*out = v;
	*n = len;
	return 0;
}

int
unit_get(const struct ctx *c, int64_t id, struct unit_rec *out, struct err *e)
{
	struct db_stmt *st = db_prepare(c->db, "SELECT " UNIT_COLS " FROM unit WHERE id = ?");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_unit(c, st, out);
	db_reset(st);
	if (rc == DB_ROW)
		return 0;
	if (rc == DB_DONE)
		return err_set(e, ERR_NOT_FOUND, "id", "Không tìm thấy đơn vị", "unit not found");
	return db_fail(c->db, e);
}

int
unit_aliases(const struct ctx *c, int64_t unit_id, struct unit_alias_rec **out, size_t *n,
	     struct err *e)
{
	struct db_stmt *st =
	    db_prepare(c->db, "SELECT id, unit_id, old_code, old_name, since, note "
			      "FROM unit_alias WHERE ? = 0 OR unit_id = ? "
			      "ORDER BY id");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, unit_id);
	db_bind_int(st, 2, unit_id);
	size_t cap = 16, len = 0;
	struct unit_alias_rec *v = arena_alloc(c->arena, cap * sizeof(*v));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (len == cap) {
			struct unit_alias_rec *nv = arena_alloc(c->arena, 2 * cap * sizeof(*v));
			memcpy(nv, v, len * sizeof(*v));
			v = nv;
			cap *= 2;
		}
		struct unit_alias_rec *a = &v[len++];
		a->id = db_col_int(st, 0);
		a->unit_id = db_col_int(st, 1);
		a->old_code = arena_strdup(c->arena, db_col_text(st, 2));
		a->old_name = arena_strdup(c->arena, db_col_text(st, 3));
		a->since = arena_strdup(c->arena, db_col_text(st, 4));
		a->note = arena_strdup(c->arena, db_col_text(st, 5));
	}
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(c->db, e);
	*out = v;
	*n = len;
	return 0;
}

int64_t
unit_count(const struct ctx *c)
{
	struct db_stmt *st = db_prepare(c->db, "SELECT COUNT(*) FROM unit");
	if (!st)
		return -1;
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_reset(st);
	return n;
}

int
unit_resolve(const struct ctx *c, const char *ref, int64_t *id, struct err *e)
{
	struct db_stmt *st;
	if (!ref || !*ref)
		return err_set(e, ERR_VALIDATION, "unit", "Thiếu đơn vị", "unit is missing");
	if (strcmp(ref, "root") == 0) {
		st = db_prepare(c->db, "SELECT id FROM unit WHERE parent_id IS NULL ORDER BY id "
				       "LIMIT 1");
	} else if (strspn(ref, "0123456789") == strlen(ref) && strlen(ref) < 19) {
		st = db_prepare(c->db, "SELECT id FROM unit WHERE id = ?");
		if (st)
			db_bind_int(st, 1, strtoll(ref, NULL, 10));
	} else {
		st = db_prepare(c->db, "SELECT id FROM unit WHERE code = ? UNION ALL "
				       "SELECT unit_id FROM unit_alias WHERE old_code = ? LIMIT 1");
		if (st) {
			db_bind_text(st, 1, ref);
			db_bind_text(st, 2, ref);
		}
	}
	if (!st)
		return db_fail(c->db, e);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_reset(st);
	if (rc == DB_ROW)
		return 0;
	if (rc == DB_DONE)
		return err_setf(e, ERR_NOT_FOUND, "unit", "Không tìm thấy đơn vị “%s”",
				"unit '%s' not found", ref);
	return db_fail(c->db, e);
}

/* ---- writes ---- */

static int
code_conflict(const struct ctx *c, struct err *e)
{
	if (db_err_is_unique(c->db))
		return err_set(e, ERR_CONFLICT, "code", "Mã định danh đã được dùng cho đơn vị khác",
			       "identifier already used by another unit");
	return db_fail(c->db, e);
}

struct create_args {
	const struct ctx *c;
	const struct unit_input *in;
	int64_t id;
};

static int
create_tx(struct db *db, void *arg, struct err *e)
{
	struct create_args *a = arg;
	const struct ctx *c = a->c;
	const struct unit_input *in = a->in;
	char parent_path[UNIT_PATH_MAX] = "/";
	int depth = 0;
	if (in->parent_id) {
		if (unit_path(c, in->parent_id, parent_path, sizeof(parent_path)) < 0)
			return err_set(e, ERR_VALIDATION, "parent_id",
				       "Đơn vị cấp trên không tồn tại",
				       "parent unit does not exist");
		for (const char *p = parent_path; *p; p++)
			depth += *p == '/';
		depth--;
		if (depth >= 8)
			return err_set(e, ERR_VALIDATION, "parent_id",
				       "Cây đơn vị quá sâu (tối đa 8 cấp)",
				       "unit tree too deep (at most 8 levels)");
	} else if (unit_count(c) != 0) {
		return err_set(e, ERR_VALIDATION, "parent_id",
			       "Cần chọn đơn vị cấp trên (đã có đơn vị gốc)",
			       "parent_id is required (the tree already has a root)");
	}
	/* Insert with a placeholder path, then set it from the new id. */
	struct db_stmt *st =
	    db_prepare(db, "INSERT INTO unit (parent_id, path, depth, code, name, name_fold, kind, "
			   "effective_from, effective_to, created_at, updated_at) "
			   "VALUES (?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return db_fail(db, e);
	if (in->parent_id)
		db_bind_int(st, 1, in->parent_id);
	else
		db_bind_null(st, 1);
	db_bind_int(st, 2, depth);
	db_bind_text(st, 3, in->code);
	db_bind_text(st, 4, in->name);
	db_bind_text(st, 5, fold(c, in->name));
	db_bind_text(st, 6, in->kind);
	db_bind_text(st, 7, in->effective_from);
	db_bind_text(st, 8, in->effective_to);
	db_bind_int(st, 9, c->now);
	db_bind_int(st, 10, c->now);
	int rc = db_step(st);
	if (rc == DB_ROW)
		a->id = db_col_int(st, 0);
	db_reset(st);
	if (rc != DB_ROW)
		return code_conflict(c, e);
	char path[UNIT_PATH_MAX + 24];
	int w = snprintf(path, sizeof(path), "%s%" PRId64 "/", parent_path, a->id);
	if (w < 0 || (size_t)w >= UNIT_PATH_MAX)
		return err_set(e, ERR_VALIDATION, "parent_id", "Cây đơn vị quá sâu",
			       "unit tree too deep");
	st = db_prepare(db, "UPDATE unit SET path = ? WHERE id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_text(st, 1, path);
	db_bind_int(st, 2, a->id);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(db, e);
	char oid[24];
	snprintf(oid, sizeof(oid), "%" PRId64, a->id);
	char *detail = arena_printf(c->arena, "name=%s kind=%s code=%s parent=%" PRId64, in->name,
				    in->kind, in->code ? in->code : "", in->parent_id);
	return audit_append(c, "unit.create", "unit", oid, detail, e);
}

int
unit_create(const struct ctx *c, const struct unit_input *in, int64_t *id, struct err *e)
{
	if (check_input(in,
			UNIT_SET_NAME | UNIT_SET_KIND | UNIT_SET_CODE | UNIT_SET_FROM | UNIT_SET_TO,
			e) < 0)
		return -1;
	/* A new root is created by the system (demo, first start); a child by an admin over
	 * its parent, which must exist (a missing parent is bad input, not a permission). */
	char parent_path[UNIT_PATH_MAX];
	if (in->parent_id && unit_path(c, in->parent_id, parent_path, sizeof(parent_path)) < 0)
		return err_set(e, ERR_VALIDATION, "parent_id", "Đơn vị cấp trên không tồn tại",
			       "parent unit does not exist");
	if (in->parent_id == 0 && (!c->actor || c->actor->via != ACTOR_SYSTEM)) {
		if (authz_require(c, ROLE_ADMIN, 0, e) < 0)
			return -1;
	} else if (in->parent_id && authz_require(c, ROLE_ADMIN, in->parent_id, e) < 0) {
		return -1;
	}
	struct create_args a = {c, in, 0};
	if (db_tx(c->db, create_tx, &a, e) < 0)
		return -1;
	*id = a.id;
	return 0;
}

struct update_args {
	const struct ctx *c;
	int64_t id;
	const struct unit_input *in;
};

static int
update_tx(struct db *db, void *arg, struct err *e)
{
	struct update_args *a = arg;
	const struct ctx *c = a->c;
	const struct unit_input *in = a->in;
	struct unit_rec cur;
	if (unit_get(c, a->id, &cur, e) < 0)
		return -1;
	const char *name = (in->set & UNIT_SET_NAME) ? in->name : cur.name;
	const char *code = (in->set & UNIT_SET_CODE) ? in->code : cur.code;
	const char *kind = (in->set & UNIT_SET_KIND) ? in->kind : cur.kind;
	const char *from = (in->set & UNIT_SET_FROM) ? in->effective_from : cur.effective_from;
	const char *to = (in->set & UNIT_SET_TO) ? in->effective_to : cur.effective_to;
	if (from && to && strcmp(to, from) < 0)
		return err_set(e, ERR_VALIDATION, "effective_to",
			       "Ngày hết hiệu lực phải sau ngày có hiệu lực",
			       "effective_to must not be before effective_from");
	struct db_stmt *st = db_prepare(db, "UPDATE unit SET name = ?, name_fold = ?, code = ?, "
					    "kind = ?, effective_from = ?, effective_to = ?, "
					    "updated_at = ? WHERE id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, fold(c, name));
	db_bind_text(st, 3, code);
	db_bind_text(st, 4, kind);
	db_bind_text(st, 5, from);
	db_bind_text(st, 6, to);
	db_bind_int(st, 7, c->now);
	db_bind_int(st, 8, a->id);
	int rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return code_conflict(c, e);
	char oid[24];
	snprintf(oid, sizeof(oid), "%" PRId64, a->id);
	char *detail =
	    arena_printf(c->arena, "name=%s->%s code=%s->%s kind=%s->%s to=%s->%s", cur.name, name,
			 cur.code ? cur.code : "", code ? code : "", cur.kind, kind,
			 cur.effective_to ? cur.effective_to : "", to ? to : "");
	return audit_append(c, "unit.update", "unit", oid, detail, e);
}

int
unit_update(const struct ctx *c, int64_t id, const struct unit_input *in, struct err *e)
{
	if (check_input(in, in->set, e) < 0)
		return -1;
	if (authz_require(c, ROLE_ADMIN, id, e) < 0)
		return -1;
	struct update_args a = {c, id, in};
	return db_tx(c->db, update_tx, &a, e);
}

struct alias_args {
	const struct ctx *c;
	int64_t id;
	const char *old_code, *old_name, *since, *note;
	int64_t alias_id;
};

static int
alias_tx(struct db *db, void *arg, struct err *e)
{
	struct alias_args *a = arg;
	const struct ctx *c = a->c;
	struct unit_rec cur;
	if (unit_get(c, a->id, &cur, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "INSERT INTO unit_alias (unit_id, old_code, old_name, "
					    "old_name_fold, since, note, created_at) "
					    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, a->id);
	db_bind_text(st, 2, a->old_code);
	db_bind_text(st, 3, a->old_name);
	db_bind_text(st, 4, fold(c, a->old_name));
	db_bind_text(st, 5, a->since);
	db_bind_text(st, 6, a->note);
	db_bind_int(st, 7, c->now);
	int rc = db_step(st);
	if (rc == DB_ROW)
		a->alias_id = db_col_int(st, 0);
	db_reset(st);
	if (rc != DB_ROW)
		return db_fail(db, e);
	char oid[24];
	snprintf(oid, sizeof(oid), "%" PRId64, a->id);
	char *detail =
	    arena_printf(c->arena, "old_code=%s old_name=%s since=%s",
			 a->old_code ? a->old_code : "", a->old_name, a->since ? a->since : "");
	return audit_append(c, "unit.alias", "unit", oid, detail, e);
}

int
unit_alias_add(const struct ctx *c, int64_t id, const char *old_code, const char *old_name,
	       const char *since, const char *note, int64_t *alias_id, struct err *e)
{
	if (!old_name || !*old_name)
		return err_set(e, ERR_VALIDATION, "old_name", "Thiếu tên đơn vị cũ",
			       "old_name is required");
	if (old_code && !unit_code_valid(old_code))
		return err_set(e, ERR_VALIDATION, "old_code",
			       "Mã định danh cũ không đúng dạng QCVN 102 (ví dụ 000.00.13.G04)",
			       "old_code is not in the QCVN 102 form (e.g. 000.00.13.G04)");
	if (check_date("since", since, e) < 0)
		return -1;
	if (authz_require(c, ROLE_ADMIN, id, e) < 0)
		return -1;
	struct alias_args a = {c, id, old_code, old_name, since, note, 0};
	if (db_tx(c->db, alias_tx, &a, e) < 0)
		return -1;
	if (alias_id)
		*alias_id = a.alias_id;
	return 0;
}
