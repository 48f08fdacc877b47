/* unit_contact.c: each unit's published hotline and feedback e-mail (see unit_contact.h). */
#include "service/unit_contact.h"

#include "core/text.h"
#include "core/civil.h"
#include "service/audit.h"
#include "service/unit.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int
prefixed(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

int
unit_hotline_normalise(const char *in, char out[UNIT_HOTLINE_MAX])
{
	char d[UNIT_HOTLINE_MAX];
	size_t n = 0;
	const char *p = in ? in : "";
	int sep = 1; /* no separator first, and never two in a row */
	if (p[0] == '+') {
		if (strncmp(p, "+84", 3) != 0)
			return -1;
		d[n++] = '0';
		p += 3;
		sep = 0;
	}
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n + 1 >= sizeof(d))
				return -1;
			d[n++] = *p;
			sep = 0;
		} else if ((*p == ' ' || *p == '.' || *p == '-') && !sep) {
			sep = 1;
		} else {
			return -1;
		}
	}
	if (sep && n)
		return -1; /* a trailing separator */
	d[n] = '\0';
	int ok = (n == 10 && d[0] == '0' && strchr("35789", d[1])) ||
		 (n == 11 && d[0] == '0' && d[1] == '2') ||
		 ((n == 8 || n == 10) && (prefixed(d, "1800") || prefixed(d, "1900"))) ||
		 (n == 4 && d[0] == '1');
	if (!ok)
		return -1;
	memcpy(out, d, n + 1);
	return 0;
}

static const char *
col_dup(const struct ctx *c, struct db_stmt *st, int i)
{
	return arena_strdup(c->arena, db_col_text(st, i));
}

int
unit_contact_get(const struct ctx *c, int64_t unit_id, struct unit_contact *out, struct err *e)
{
	char path[UNIT_PATH_MAX];
	memset(out, 0, sizeof(*out));
	out->unit_id = unit_id;
	if (unit_path(c, unit_id, path, sizeof(path)) < 0)
		return err_set(e, ERR_NOT_FOUND, "unit", "Không tìm thấy đơn vị", "unit not found");
	struct db_stmt *st = db_prepare(c->db, "SELECT hotline, feedback_email, updated_at FROM "
					       "unit_contact WHERE unit_id = ?");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, unit_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->hotline = col_dup(c, st, 0);
		out->email = col_dup(c, st, 1);
		out->updated_at = db_col_int(st, 2);
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : db_fail(c->db, e);
}

struct set_args {
	const struct ctx *c;
	int64_t unit_id;
	const char *hotline, *email;
};

static void
bind_opt(struct db_stmt *st, int i, const char *s)
{
	if (s)
		db_bind_text(st, i, s);
	else
		db_bind_null(st, i);
}

static int
set_tx(struct db *db, void *arg, struct err *e)
{
	struct set_args *a = arg;
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO unit_contact (unit_id, hotline, feedback_email, updated_at) VALUES "
		"(?, ?, ?, ?) ON CONFLICT (unit_id) DO UPDATE SET hotline = excluded.hotline, "
		"feedback_email = excluded.feedback_email, updated_at = excluded.updated_at");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, a->unit_id);
	bind_opt(st, 2, a->hotline);
	bind_opt(st, 3, a->email);
	db_bind_int(st, 4, a->c->now);
	int rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(db, e);
	char oid[24];
	snprintf(oid, sizeof(oid), "%" PRId64, a->unit_id);
	const char *detail = arena_printf(a->c->arena, "hotline=%s email=%s",
					  a->hotline ? a->hotline : "", a->email ? a->email : "");
	return audit_append(a->c, "unit.contact", "unit", oid, detail, e);
}

int
unit_contact_set(const struct ctx *c, int64_t unit_id, const char *hotline, const char *email,
		 struct err *e)
{
	char path[UNIT_PATH_MAX], num[UNIT_HOTLINE_MAX];
	struct set_args a = {.c = c, .unit_id = unit_id};
	if (unit_path(c, unit_id, path, sizeof(path)) < 0)
		return err_set(e, ERR_NOT_FOUND, "unit", "Không tìm thấy đơn vị", "unit not found");
	if (hotline && *hotline) {
		if (unit_hotline_normalise(hotline, num) < 0)
			return err_set(
			    e, ERR_VALIDATION, "hotline",
			    "Số đường dây nóng không hợp lệ: cần số cố định 11 chữ số "
			    "(02…), di động 10 chữ số, số 1800/1900 hoặc số ngắn 4 chữ "
			    "số",
			    "invalid hotline number: use a fixed line with its area code "
			    "(11 digits, 02...), a 10-digit mobile number, a 1800/1900 "
			    "number or a 4-digit short number");
		a.hotline = arena_strdup(c->arena, num);
	}
	if (email && *email) {
		if (!text_email_ok(email))
			return err_set(e, ERR_VALIDATION, "email",
				       "Địa chỉ thư điện tử không hợp lệ",
				       "invalid e-mail address");
		a.email = email;
	}
	if (authz_require(c, ROLE_UNIT_ADMIN, unit_id, e) < 0)
		return -1;
	return db_tx(c->db, set_tx, &a, e);
}

int
unit_contact_list(const struct ctx *c, int64_t unit_id, struct unit_public **out, size_t *n,
		  struct err *e)
{
	const char *like = "/%";
	char path[UNIT_PATH_MAX], today[16];
	*out = NULL;
	*n = 0;
	if (unit_id) {
		if (unit_path(c, unit_id, path, sizeof(path)) < 0)
			return err_set(e, ERR_VALIDATION, "unit", "Đơn vị không tồn tại",
				       "unit not found");
		like = arena_printf(c->arena, "%s%%", path);
	}
	civil_format_date(civil_day_of_epoch(c->now), today);
	struct db_stmt *st = db_prepare(
	    c->db, "SELECT u.id, COALESCE(u.parent_id, 0), u.code, u.name, u.kind, k.hotline, "
		   "k.feedback_email FROM unit u LEFT JOIN unit_contact k ON k.unit_id = u.id "
		   "WHERE u.path LIKE ? AND (u.effective_to IS NULL OR u.effective_to >= ?) "
		   "ORDER BY u.depth, u.id");
	if (!st)
		return db_fail(c->db, e);
	db_bind_text(st, 1, like);
	db_bind_text(st, 2, today);
	size_t cap = 16;
	struct unit_public *v = arena_alloc(c->arena, cap * sizeof(*v));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			struct unit_public *w = arena_alloc(c->arena, 2 * cap * sizeof(*v));
			memcpy(w, v, cap * sizeof(*v));
			v = w;
			cap *= 2;
		}
		struct unit_public *u = &v[(*n)++];
		u->id = db_col_int(st, 0);
		u->parent_id = db_col_int(st, 1);
		u->code = col_dup(c, st, 2);
		u->name = col_dup(c, st, 3);
		u->kind = col_dup(c, st, 4);
		u->hotline = col_dup(c, st, 5);
		u->email = col_dup(c, st, 6);
	}
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(c->db, e);
	*out = v;
	return 0;
}
