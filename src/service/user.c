#include "service/user.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "service/audit.h"
#include "service/auth.h"
#include "service/unit.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct resolved_grant {
	enum role role;
	int64_t unit_id;
};

int
user_password_ok(const char *password, struct err *e)
{
	size_t n = password ? text_utf8_len(password) : 0;
	if (n < 8 || n > 128)
		return err_set(e, ERR_VALIDATION, "password",
			       "Mật khẩu phải dài từ 8 đến 128 ký tự",
			       "password must be 8 to 128 characters long");
	int alpha = 0, other = 0;
	for (const unsigned char *p = (const unsigned char *)password; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			alpha = 1;
		else
			other = 1;
	}
	if (!alpha || !other)
		return err_set(e, ERR_VALIDATION, "password",
			       "Mật khẩu phải có cả chữ cái và chữ số hoặc ký hiệu",
			       "password must mix letters with digits or symbols");
	return 0;
}

static int
username_ok(const char *u, struct err *e)
{
	size_t n = u ? strlen(u) : 0;
	if (n < 3 || n > 64 || strspn(u, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n)
		return err_set(e, ERR_VALIDATION, "username",
			       "Tên đăng nhập gồm 3–64 ký tự a-z, 0-9, dấu chấm, gạch ngang, gạch "
			       "dưới",
			       "username must be 3-64 characters of a-z, 0-9, '.', '-', '_'");
	return 0;
}

/* Resolve and authorise the grants: the actor must administer each unit, and only an admin
 * may grant admin. */
static int
resolve_grants(const struct ctx *c, const struct grant_input *in, size_t n,
	       struct resolved_grant *out, struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		char field[48];
		snprintf(field, sizeof(field), "roles[%zu].role", i);
		int r = role_parse(in[i].role);
		if (r < 0)
			return err_setf(e, ERR_VALIDATION, field, "Vai trò không hợp lệ: %s",
					"unknown role: %s", in[i].role ? in[i].role : "");
		snprintf(field, sizeof(field), "roles[%zu].unit", i);
		if (unit_resolve(c, in[i].unit, &out[i].unit_id, e) < 0) {
			snprintf(e->field, sizeof(e->field), "%s", field);
			if (e->code == ERR_NOT_FOUND)
				e->code = ERR_VALIDATION;
			return -1;
		}
		out[i].role = (enum role)r;
		enum role need = r == ROLE_ADMIN ? ROLE_ADMIN : ROLE_UNIT_ADMIN;
		if (authz_require(c, need, out[i].unit_id, e) < 0)
			return -1;
	}
	return 0;
}

/* The actor may manage an existing user when it administers every unit the user has a role
 * in (an admin manages everyone, including users without roles). */
static int
may_manage(const struct ctx *c, int64_t user_id, struct err *e)
{
	if (authz_has(c, ROLE_ADMIN, 0))
		return 0;
	struct db_stmt *st =
	    db_prepare(c->db, "SELECT unit_id, role FROM user_role WHERE user_id = ?");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, user_id);
	int64_t units[64];
	int roles[64];
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW && n < 64) {
		units[n] = db_col_int(st, 0);
		roles[n++] = role_parse(db_col_text(st, 1));
	}
	db_reset(st);
	if (rc == DB_ERROR)
		return db_fail(c->db, e);
	if (n == 0)
		return authz_require(c, ROLE_ADMIN, 0, e);
	for (int i = 0; i < n; i++) {
		if (roles[i] == ROLE_ADMIN && authz_require(c, ROLE_ADMIN, units[i], e) < 0)
			return -1;
		if (authz_require(c, ROLE_UNIT_ADMIN, units[i], e) < 0)
			return -1;
	}
	return 0;
}

static int
insert_grants(const struct ctx *c, int64_t user_id, const struct resolved_grant *g, size_t n,
	      struct err *e)
{
	struct db_stmt *st = db_prepare(c->db, "INSERT INTO user_role (user_id, role, unit_id, "
					       "granted_at, granted_by) VALUES (?, ?, ?, ?, ?) "
					       "ON CONFLICT DO NOTHING");
	if (!st)
		return db_fail(c->db, e);
	for (size_t i = 0; i < n; i++) {
		db_bind_int(st, 1, user_id);
		db_bind_text(st, 2, role_name(g[i].role));
		db_bind_int(st, 3, g[i].unit_id);
		db_bind_int(st, 4, c->now);
		if (c->actor && c->actor->user_id)
			db_bind_int(st, 5, c->actor->user_id);
		else
			db_bind_null(st, 5);
		int rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return db_fail(c->db, e);
	}
	return 0;
}

static char *
grants_text(const struct ctx *c, const struct resolved_grant *g, size_t n)
{
	char *s = arena_strdup(c->arena, "");
	for (size_t i = 0; i < n; i++)
		s = arena_printf(c->arena, "%s%s%s@%" PRId64, s, i ? "," : "", role_name(g[i].role),
				 g[i].unit_id);
	return s;
}

struct create_args {
	const struct ctx *c;
	const struct user_input *in;
	const struct resolved_grant *grants;
	const char *hash;
	int64_t id;
};

static int
create_tx(struct db *db, void *arg, struct err *e)
{
	struct create_args *a = arg;
	const struct ctx *c = a->c;
	struct db_stmt *st = db_prepare(db, "INSERT INTO app_user (username, full_name, email, "
					    "phone, password_hash, disabled, created_at, "
					    "updated_at, password_changed_at) "
					    "VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id");
	if (!st)
		return db_fail(db, e);
	db_bind_text(st, 1, a->in->username);
	db_bind_text(st, 2, a->in->full_name);
	db_bind_text(st, 3, a->in->email);
	db_bind_text(st, 4, a->in->phone);
	db_bind_text(st, 5, a->hash);
	db_bind_int(st, 6, c->now);
	db_bind_int(st, 7, c->now);
	db_bind_int(st, 8, c->now);
	int rc = db_step(st);
	if (rc == DB_ROW)
		a->id = db_col_int(st, 0);
	db_reset(st);
	if (rc != DB_ROW) {
		if (db_err_is_unique(db))
			return err_set(e, ERR_CONFLICT, "username", "Tên đăng nhập đã tồn tại",
				       "username already exists");
		return db_fail(db, e);
	}
	if (insert_grants(c, a->id, a->grants, a->in->ngrants, e) < 0)
		return -1;
	char oid[24];
	snprintf(oid, sizeof(oid), "%" PRId64, a->id);
	char *detail = arena_printf(c->arena, "username=%s roles=%s", a->in->username,
				    grants_text(c, a->grants, a->in->ngrants));
	return audit_append(c, "user.create", "user", oid, detail, e);
}

int
user_create(const struct ctx *c, const struct user_input *in, int64_t *id, struct err *e)
{
	if (username_ok(in->username, e) < 0)
		return -1;
	if (!in->full_name || !*in->full_name)
		return err_set(e, ERR_VALIDATION, "full_name", "Thiếu họ và tên",
			       "full_name is required");
	if (in->email && *in->email && !text_email_ok(in->email))
		return err_set(e, ERR_VALIDATION, "email", "Địa chỉ thư điện tử không hợp lệ",
			       "invalid e-mail address");
	if (user_password_ok(in->password, e) < 0)
		return -1;
	if (in->ngrants > ACTOR_MAX_GRANTS)
		return err_set(e, ERR_VALIDATION, "roles", "Quá nhiều vai trò", "too many roles");
	struct resolved_grant *g = arena_alloc(c->arena, (in->ngrants + 1) * sizeof(*g));
	if (resolve_grants(c, in->grants, in->ngrants, g, e) < 0)
		return -1;
	/* Without a grant only an admin may create the account. */
	if (in->ngrants == 0 && authz_require(c, ROLE_ADMIN, 0, e) < 0)
		return -1;
	char hash[CRYPTO_PWHASH_LEN];
	if (crypto_password_hash(in->password, hash) < 0)
		return err_set(e, ERR_INTERNAL, "", "Không băm được mật khẩu",
			       "cannot hash password");
	struct create_args a = {c, in, g, hash, 0};
	if (db_tx(c->db, create_tx, &a, e) < 0)
		return -1;
	*id = a.id;
	return 0;
}

struct update_args {
	const struct ctx *c;
	int64_t id;
	const struct user_input *in;
	const struct resolved_grant *grants;
	const char *hash;
};

static int
update_tx(struct db *db, void *arg, struct err *e)
{
	struct update_args *a = arg;
	const struct ctx *c = a->c;
	const struct user_input *in = a->in;
	struct user_rec cur;
	if (user_get(c, a->id, &cur, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "UPDATE app_user SET full_name = ?, email = ?, "
					    "phone = ?, disabled = ?, updated_at = ? WHERE id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_text(st, 1, (in->set & USER_SET_FULL_NAME) ? in->full_name : cur.full_name);
	db_bind_text(st, 2, (in->set & USER_SET_EMAIL) ? in->email : cur.email);
	db_bind_text(st, 3, (in->set & USER_SET_PHONE) ? in->phone : cur.phone);
	db_bind_int(st, 4, (in->set & USER_SET_DISABLED) ? in->disabled : cur.disabled);
	db_bind_int(st, 5, c->now);
	db_bind_int(st, 6, a->id);
	int rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(db, e);
	if (a->hash) {
		st =
		    db_prepare(db, "UPDATE app_user SET password_hash = ?, password_changed_at = ? "
				   "WHERE id = ?");
		if (!st)
			return db_fail(db, e);
		db_bind_text(st, 1, a->hash);
		db_bind_int(st, 2, c->now);
		db_bind_int(st, 3, a->id);
		rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return db_fail(db, e);
	}
	/* A new password or a disabled account ends the user's sessions everywhere, except
	 * the session of a user who just changed their own password. */
	if (a->hash || ((in->set & USER_SET_DISABLED) && in->disabled)) {
		int64_t keep = c->actor && c->actor->user_id == a->id ? c->actor->session_id : 0;
		st = db_prepare(db, "UPDATE session SET revoked = 1 WHERE user_id = ? AND id <> ?");
		if (!st)
			return db_fail(db, e);
		db_bind_int(st, 1, a->id);
		db_bind_int(st, 2, keep);
		rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return db_fail(db, e);
	}
	if (in->set & USER_SET_GRANTS) {
		st = db_prepare(db, "DELETE FROM user_role WHERE user_id = ?");
		if (!st)
			return db_fail(db, e);
		db_bind_int(st, 1, a->id);
		rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return db_fail(db, e);
		if (insert_grants(c, a->id, a->grants, in->ngrants, e) < 0)
			return -1;
	}
	char oid[24];
	snprintf(oid, sizeof(oid), "%" PRId64, a->id);
	char *detail = arena_printf(
	    c->arena, "username=%s%s%s%s%s", cur.username,
	    (in->set & USER_SET_FULL_NAME) ? " full_name" : "", a->hash ? " password" : "",
	    (in->set & USER_SET_DISABLED) ? (in->disabled ? " disabled" : " enabled") : "",
	    (in->set & USER_SET_GRANTS)
		? arena_printf(c->arena, " roles=%s", grants_text(c, a->grants, in->ngrants))
		: "");
	return audit_append(c, "user.update", "user", oid, detail, e);
}

int
user_update(const struct ctx *c, int64_t id, const struct user_input *in, struct err *e)
{
	if ((in->set & USER_SET_FULL_NAME) && (!in->full_name || !*in->full_name))
		return err_set(e, ERR_VALIDATION, "full_name", "Thiếu họ và tên",
			       "full_name is required");
	if ((in->set & USER_SET_EMAIL) && in->email && *in->email && !text_email_ok(in->email))
		return err_set(e, ERR_VALIDATION, "email", "Địa chỉ thư điện tử không hợp lệ",
			       "invalid e-mail address");
	if ((in->set & USER_SET_PASSWORD) && user_password_ok(in->password, e) < 0)
		return -1;
	if (in->ngrants > ACTOR_MAX_GRANTS)
		return err_set(e, ERR_VALIDATION, "roles", "Quá nhiều vai trò", "too many roles");
	struct user_rec cur;
	if (user_get(c, id, &cur, e) < 0)
		return -1;
	/* changing one's own password needs no administrator */
	int self_password_only =
	    c->actor && c->actor->user_id == id && in->set == USER_SET_PASSWORD;
	if (!self_password_only && may_manage(c, id, e) < 0)
		return -1;
	struct resolved_grant *g = arena_alloc(c->arena, (in->ngrants + 1) * sizeof(*g));
	if ((in->set & USER_SET_GRANTS) && resolve_grants(c, in->grants, in->ngrants, g, e) < 0)
		return -1;
	char hash[CRYPTO_PWHASH_LEN];
	if ((in->set & USER_SET_PASSWORD) && crypto_password_hash(in->password, hash) < 0)
		return err_set(e, ERR_INTERNAL, "", "Không băm được mật khẩu",
			       "cannot hash password");
	struct update_args a = {c, id, in, g, (in->set & USER_SET_PASSWORD) ? hash : NULL};
	if (db_tx(c->db, update_tx, &a, e) < 0)
		return -1;
	auth_forget_user(id);
	return 0;
}

static int
load_grants(const struct ctx *c, struct user_rec *u, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(c->db, "SELECT r.role, r.unit_id, u.name FROM user_role r "
			      "JOIN unit u ON u.id = r.unit_id WHERE r.user_id = ? "
			      "ORDER BY u.path, r.role");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, u->id);
	size_t cap = ACTOR_MAX_GRANTS;
	u->grants = arena_alloc(c->arena, cap * sizeof(*u->grants));
	u->ngrants = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (u->ngrants == cap)
			continue;
		struct user_grant_rec *g = &u->grants[u->ngrants++];
		g->role = arena_strdup(c->arena, db_col_text(st, 0));
		g->unit_id = db_col_int(st, 1);
		g->unit_name = arena_strdup(c->arena, db_col_text(st, 2));
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : db_fail(c->db, e);
}

#define USER_COLS "id, username, full_name, email, phone, disabled, created_at, updated_at"

static void
read_user(const struct ctx *c, struct db_stmt *st, struct user_rec *u)
{
	u->id = db_col_int(st, 0);
	u->username = arena_strdup(c->arena, db_col_text(st, 1));
	u->full_name = arena_strdup(c->arena, db_col_text(st, 2));
	u->email = arena_strdup(c->arena, db_col_text(st, 3));
	u->phone = arena_strdup(c->arena, db_col_text(st, 4));
	u->disabled = (int)db_col_int(st, 5);
	u->created_at = db_col_int(st, 6);
	u->updated_at = db_col_int(st, 7);
	u->grants = NULL;
	u->ngrants = 0;
}

int
user_get(const struct ctx *c, int64_t id, struct user_rec *out, struct err *e)
{
	struct db_stmt *st = db_prepare(c->db, "SELECT " USER_COLS " FROM app_user WHERE id = ?");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_user(c, st, out);
	db_reset(st);
	if (rc == DB_DONE)
		return err_set(e, ERR_NOT_FOUND, "id", "Không tìm thấy người dùng",
			       "user not found");
	if (rc != DB_ROW)
		return db_fail(c->db, e);
	return load_grants(c, out, e);
}

int
user_show(const struct ctx *c, int64_t id, struct user_rec *out, struct err *e)
{
	if (!c->actor)
		return err_set(e, ERR_UNAUTHENTICATED, "", "Cần đăng nhập", "login required");
	if (user_get(c, id, out, e) < 0)
		return -1;
	if (c->actor->user_id == id)
		return 0;
	return may_manage(c, id, e);
}

int
user_list(const struct ctx *c, struct user_rec **out, size_t *n, struct err *e)
{
	if (authz_require(c, ROLE_UNIT_ADMIN, 0, e) < 0)
		return -1;
	struct db_stmt *st =
	    db_prepare(c->db, "SELECT " USER_COLS " FROM app_user ORDER BY username");
	if (!st)
		return db_fail(c->db, e);
	size_t cap = 64, len = 0;
	struct user_rec *v = arena_alloc(c->arena, cap * sizeof(*v));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (len == cap) {
			struct user_rec *nv = arena_alloc(c->arena, 2 * cap * sizeof(*v));
			memcpy(nv, v, len * sizeof(*v));
			v = nv;
			cap *= 2;
		}
		read_user(c, st, &v[len++]);
	}
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(c->db, e);
	/* keep only the users the actor may manage */
	size_t kept = 0;
	for (size_t i = 0; i < len; i++) {
		struct err ignore = ERR_INIT;
		if (load_grants(c, &v[i], e) < 0)
			return -1;
		if (may_manage(c, v[i].id, &ignore) == 0)
			v[kept++] = v[i];
	}
	*out = v;
	*n = kept;
	return 0;
}

int
user_find(const struct ctx *c, const char *username, int64_t *id, struct err *e)
{
	struct db_stmt *st = db_prepare(c->db, "SELECT id FROM app_user WHERE username = ?");
	if (!st)
		return db_fail(c->db, e);
	db_bind_text(st, 1, username);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_reset(st);
	if (rc == DB_DONE)
		return err_setf(e, ERR_NOT_FOUND, "username", "Không tìm thấy người dùng “%s”",
				"user '%s' not found", username);
	return rc == DB_ROW ? 0 : db_fail(c->db, e);
}

struct grant_args {
	const struct ctx *c;
	int64_t id;
	struct resolved_grant g;
};

static int
grant_tx(struct db *db, void *arg, struct err *e)
{
	struct grant_args *a = arg;
	if (insert_grants(a->c, a->id, &a->g, 1, e) < 0)
		return -1;
	char oid[24];
	snprintf(oid, sizeof(oid), "%" PRId64, a->id);
	return audit_append(a->c, "user.grant", "user", oid, grants_text(a->c, &a->g, 1), e);
}

int
user_grant(const struct ctx *c, int64_t id, const struct grant_input *g, struct err *e)
{
	struct grant_args a = {c, id, {0, 0}};
	if (resolve_grants(c, g, 1, &a.g, e) < 0)
		return -1;
	if (db_tx(c->db, grant_tx, &a, e) < 0)
		return -1;
	auth_forget_user(id);
	return 0;
}
