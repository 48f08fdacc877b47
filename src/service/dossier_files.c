/*
 * dossier_files.c: attaching, listing and reading a dossier's files (see dossier_files.h).
 *
 * An attach checks everything it can before it writes a byte (who, the dossier's state, the
 * type, the limits as they stand), so that no one can fill the disk through a dossier they
 * may not touch; then writes the file (durable); then runs its transaction, which locks the
 * dossier's row and checks the state and the limits again, since another request may have
 * moved them in between.
 */
#include "service/dossier_files.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int64_t dossier_max = DOSSIER_FILES_MAX_DEFAULT;

static const char *const kind_names[DF__MAX] = {"component", "result", "supplement"};
static const char *const kind_vi[DF__MAX] = {"thành phần hồ sơ", "kết quả", "hồ sơ bổ sung"};

void
dossier_files_configure(const char *dir, size_t fmax, int64_t dmax)
{
	attach_configure(dir, fmax);
	dossier_max = dmax > 0 ? dmax : DOSSIER_FILES_MAX_DEFAULT;
}

size_t
dossier_files_file_max(void)
{
	return attach_file_max();
}

const char *
dossier_file_kind_name(enum dossier_file_kind k)
{
	return (unsigned)k < DF__MAX ? kind_names[k] : "unknown";
}

int
dossier_file_kind_parse(const char *s)
{
	for (int i = 0; s && i < DF__MAX; i++)
		if (strcmp(kind_names[i], s) == 0)
			return i;
	return -1;
}

/* ---- checks that need no dossier ---- */

/* err_set with the two messages formatted apart (err_setf gives both formats the same
 * arguments, and the Vietnamese and English ones differ here) */
#define ERR2(e, code, field, vi_fmt, vi_args, en_fmt, en_args)                                     \
	do {                                                                                       \
		char vi_[384], en_[256];                                                           \
		snprintf(vi_, sizeof(vi_), vi_fmt, vi_args);                                       \
		snprintf(en_, sizeof(en_), en_fmt, en_args);                                       \
		return err_set(e, code, field, vi_, en_);                                          \
	} while (0)

static int
dossier_too_large(struct err *e)
{
	return err_setf(e, ERR_TOO_LARGE, "file",
			"Tổng dung lượng tệp của hồ sơ vượt quá giới hạn %" PRId64 " byte",
			"the dossier's files together exceed the limit of %" PRId64 " bytes",
			dossier_max);
}

/* s cut to at most max code points (s is valid UTF-8) */
static const char *
cut_utf8(struct arena *a, const char *s, size_t max)
{
	size_t i = 0, cps = 0;
	while (s[i] && cps < max) {
		i++;
		while ((s[i] & 0xC0) == 0x80)
			i++;
		cps++;
	}
	return arena_strndup(a, s, i);
}

/* ---- who may attach, and when ---- */

static int
closed(enum lc_state s)
{
	return s == LC_REFUSED || s == LC_WITHDRAWN || s == LC_RETURNED || s == LC_LAPSED;
}

static int
state_ok(enum lc_state s, int applicant, struct err *e)
{
	if (applicant && s != LC_SUBMITTED && s != LC_WAIT_SUPPLEMENT)
		ERR2(e, ERR_CONFLICT, "state",
		     "Chỉ nộp tệp khi hồ sơ mới đăng ký hoặc đang chờ bổ sung (hồ sơ đang ở trạng "
		     "thái “%s”)",
		     lc_state_vi(s),
		     "files are taken from the applicant only while the dossier is submitted or "
		     "waiting for a supplement (it is %s)",
		     lc_state_name(s));
	if (closed(s))
		ERR2(e, ERR_CONFLICT, "state", "Hồ sơ đã kết thúc (“%s”): không đính kèm thêm tệp",
		     lc_state_vi(s), "the dossier is closed (%s): no more files", lc_state_name(s));
	return 0;
}

static const enum role handler_roles[] = {ROLE_SPECIALIST, ROLE_DEPT_HEAD, ROLE_LEADER, ROLE_CLERK};

/* staff in scope (dossier_get has checked that) with the role for the kind */
static int
role_ok(const struct ctx *c, const struct dossier_rec *d, enum dossier_file_kind k, struct err *e)
{
	int receiver = authz_has(c, ROLE_RECEIVER, d->receiving_unit_id) ||
		       authz_has(c, ROLE_RECEIVER, d->competent_unit_id);
	int handler = 0;
	for (size_t r = 0; !handler && r < sizeof(handler_roles) / sizeof(handler_roles[0]); r++) {
		handler = authz_has(c, handler_roles[r], d->competent_unit_id);
		for (size_t i = 0; !handler && i < d->nsteps; i++)
			handler = authz_has(c, handler_roles[r], d->steps[i].unit_id);
	}
	int ok = k == DF_COMPONENT ? receiver : k == DF_RESULT ? handler : receiver || handler;
	if (ok)
		return 0;
	ERR2(e, ERR_FORBIDDEN, "kind", "Bạn không có quyền đính kèm %s cho hồ sơ này", kind_vi[k],
	     "you may not attach a %s to this dossier", kind_names[k]);
}

/* the dossier as its reader may see it: staff in scope, or the applicant with the token */
static int
load_dossier(const struct ctx *c, const char *code, const char *token, struct dossier_rec *d,
	     struct err *e)
{
	if (!token)
		return dossier_get(c, code, d, e);
	if (!*token)
		return err_set(e, ERR_NOT_FOUND, "code", "Không tìm thấy hồ sơ",
			       "dossier not found");
	struct ctx anon = *c;
	anon.actor = NULL; /* a citizen, whatever else came with the request */
	return dossier_lookup(&anon, code, NULL, token, d, e);
}

/* ---- attach ---- */

struct attach_args {
	struct ctx cc;
	const char *code;
	const struct dossier_file_in *in;
	int applicant;
	const char *sha, *mime, *name;
	struct dossier_file_rec *out;
};

static int
read_row(struct db_stmt *st, struct arena *a, struct dossier_file_rec *r)
{
	r->sha256 = arena_strdup(a, db_col_text(st, 0));
	int k = dossier_file_kind_parse(db_col_text(st, 1));
	r->kind = k < 0 ? DF_SUPPLEMENT : (enum dossier_file_kind)k;
	r->component_seq = (int)db_col_int(st, 2);
	r->name = arena_strdup(a, db_col_text(st, 3));
	r->mime = arena_strdup(a, db_col_text(st, 4));
	r->size = db_col_int(st, 5);
	r->created_at = db_col_int(st, 6);
	r->created_by = arena_strdup(a, db_col_text(st, 7));
	return 0;
}

#define FILE_COLS                                                                                  \
	"sha256, kind, COALESCE(component_seq, 0), name, mime, size, created_at, created_by"

static int
attach_tx(struct db *db, void *arg, struct err *e)
{
	struct attach_args *a = arg;
	struct ctx *c = &a->cc;
	const struct dossier_file_in *in = a->in;
	c->db = db;
	/* the row lock serialises attaches to one dossier: the limits and the event chain */
	struct db_stmt *st =
	    db_prepare(db, "UPDATE dossier SET updated_at = ? WHERE code = ? "
			   "RETURNING id, state, event_seq, event_hash, current_step");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, c->now);
	db_bind_text(st, 2, a->code);
	int rc = db_step(st);
	int64_t id = 0, seq = 0;
	int state = -1, step = 0;
	char tip[65] = "";
	if (rc == DB_ROW) {
		id = db_col_int(st, 0);
		state = lc_state_parse(db_col_text(st, 1));
		seq = db_col_int(st, 2);
		snprintf(tip, sizeof(tip), "%s", db_col_text(st, 3));
		step = (int)db_col_int(st, 4);
	}
	db_reset(st);
	if (rc == DB_DONE)
		return err_set(e, ERR_NOT_FOUND, "code", "Không tìm thấy hồ sơ",
			       "dossier not found");
	if (rc != DB_ROW)
		return db_fail(db, e);
	if (state < 0)
		return err_set(e, ERR_INTERNAL, "state", "Trạng thái hồ sơ không hợp lệ",
			       "invalid dossier state");
	if (state_ok((enum lc_state)state, a->applicant, e) < 0)
		return -1;

	/* the same bytes again: the same attachment is a retry, anything else a conflict */
	st = db_prepare(db, "SELECT " FILE_COLS " FROM dossier_file WHERE dossier_id = ? AND "
			    "sha256 = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, a->sha);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, c->arena, a->out);
	db_reset(st);
	if (rc == DB_ERROR)
		return db_fail(db, e);
	if (rc == DB_ROW) {
		if (a->out->kind == in->kind && a->out->component_seq == in->component_seq) {
			a->out->created = 0;
			return 0;
		}
		ERR2(e, ERR_CONFLICT, "file", "Tệp này đã được đính kèm hồ sơ (%s)",
		     kind_vi[a->out->kind], "these bytes are already attached to the dossier (%s)",
		     kind_names[a->out->kind]);
	}

	st = db_prepare(db, "SELECT COUNT(*), CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM "
			    "dossier_file WHERE dossier_id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, id);
	rc = db_step(st);
	int64_t count = rc == DB_ROW ? db_col_int(st, 0) : 0;
	int64_t total = rc == DB_ROW ? db_col_int(st, 1) : 0;
	db_reset(st);
	if (rc != DB_ROW)
		return db_fail(db, e);
	if (total + (int64_t)in->len > dossier_max)
		return dossier_too_large(e);
	if (count >= DOSSIER_FILES_MAX)
		return err_setf(e, ERR_TOO_LARGE, "file", "Hồ sơ đã có đủ %d tệp",
				"the dossier already has %d files", DOSSIER_FILES_MAX);

	if (in->kind == DF_COMPONENT) {
		st = db_prepare(db, "UPDATE dossier_component SET file_sha256 = ? WHERE "
				    "dossier_id = ? AND seq = ? RETURNING seq");
		if (!st)
			return db_fail(db, e);
		db_bind_text(st, 1, a->sha);
		db_bind_int(st, 2, id);
		db_bind_int(st, 3, in->component_seq);
		rc = db_step(st);
		db_reset(st);
		if (rc == DB_DONE)
			return err_setf(e, ERR_VALIDATION, "component",
					"Hồ sơ không có thành phần số %d",
					"the dossier has no component %d", in->component_seq);
		if (rc != DB_ROW)
			return db_fail(db, e);
	}
	const char *by = c->actor ? c->actor->username : "citizen";
	st = db_prepare(db, "INSERT INTO dossier_file (dossier_id, sha256, kind, component_seq, "
			    "name, mime, size, created_at, created_by) "
			    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, a->sha);
	db_bind_text(st, 3, kind_names[in->kind]);
	if (in->component_seq)
		db_bind_int(st, 4, in->component_seq);
	else
		db_bind_null(st, 4);
	db_bind_text(st, 5, a->name);
	db_bind_text(st, 6, a->mime);
	db_bind_int(st, 7, (int64_t)in->len);
	db_bind_int(st, 8, c->now);
	db_bind_text(st, 9, by);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return db_err_is_unique(db)
			   ? err_set(e, ERR_CONFLICT, "file", "Tệp này đã được đính kèm hồ sơ",
				     "these bytes are already attached to the dossier")
			   : db_fail(db, e);

	char comp[16] = "";
	if (in->component_seq)
		snprintf(comp, sizeof(comp), " %d", in->component_seq);
	const char *note = arena_printf(c->arena, "%s%s: %s (sha256 %.12s)", kind_names[in->kind],
					comp, a->name, a->sha);
	const char *sname = lc_state_name((enum lc_state)state);
	if (dossier_append_event(db, c, id, &seq, tip, "attach", sname, sname, step, note, c->now,
				 e) < 0)
		return -1;
	struct dossier_file_rec *o = a->out;
	o->sha256 = a->sha;
	o->kind = in->kind;
	o->component_seq = in->component_seq;
	o->name = a->name;
	o->mime = a->mime;
	o->size = (int64_t)in->len;
	o->created_at = c->now;
	o->created_by = by;
	o->created = 1;
	return 0;
}

int
dossier_file_add(const struct ctx *c, const char *code, const struct dossier_file_in *in,
		 struct dossier_file_rec *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	if ((unsigned)in->kind >= DF__MAX)
		return err_set(e, ERR_VALIDATION, "kind",
			       "Loại tệp là component, result hoặc supplement",
			       "kind is component, result or supplement");
	if (in->kind == DF_COMPONENT && in->component_seq < 1)
		return err_set(e, ERR_VALIDATION, "component",
			       "Cần số thứ tự thành phần hồ sơ (component)",
			       "the component's number is required");
	if (in->kind != DF_COMPONENT && in->component_seq)
		return err_set(e, ERR_VALIDATION, "component",
			       "Chỉ thành phần hồ sơ mới có số thứ tự thành phần",
			       "only a component file names a component");
	int applicant = in->token != NULL;
	if (applicant && in->kind == DF_RESULT)
		return err_set(e, ERR_VALIDATION, "kind",
			       "Công dân chỉ nộp thành phần hồ sơ hoặc hồ sơ bổ sung",
			       "an applicant attaches components and supplements only");
	/* who and when, before a byte is written */
	struct dossier_rec d;
	if (load_dossier(c, code, in->token, &d, e) < 0)
		return -1;
	if (!applicant && role_ok(c, &d, in->kind, e) < 0)
		return -1;
	if (state_ok(d.state, applicant, e) < 0)
		return -1;
	if (in->kind == DF_COMPONENT && (size_t)in->component_seq > d.ncomponents)
		return err_setf(e, ERR_VALIDATION, "component", "Hồ sơ không có thành phần số %d",
				"the dossier has no component %d", in->component_seq);
	const char *mime, *name;
	const char *sha;
	if (attach_check(in->data, in->len, &mime, e) < 0 ||
	    attach_clean_name(c, in->name, &name, e) < 0 ||
	    attach_store(c, in->data, in->len, &sha, NULL, e) < 0)
		return -1;
	struct attach_args a;
	memset(&a, 0, sizeof(a));
	a.cc = *c;
	a.code = code;
	a.in = in;
	a.applicant = applicant;
	a.sha = sha;
	a.mime = mime;
	a.name = name ? name
		      : arena_printf(c->arena, "%s-%.12s.%s", kind_names[in->kind], sha,
				     files_ext(mime));
	a.out = out;
	return db_tx_group(c->db, attach_tx, &a, e);
}

/* ---- reading ---- */

int
dossier_file_list(const struct ctx *c, const char *code, struct dossier_file_rec **out, size_t *n,
		  struct err *e)
{
	*out = NULL;
	*n = 0;
	struct dossier_rec d;
	if (dossier_get(c, code, &d, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(c->db, "SELECT " FILE_COLS " FROM dossier_file WHERE "
					       "dossier_id = ? ORDER BY created_at, kind, "
					       "COALESCE(component_seq, 0), sha256");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, d.id);
	size_t cap = 16;
	struct dossier_file_rec *v = arena_zalloc(c->arena, cap * sizeof(*v));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			struct dossier_file_rec *nv = arena_zalloc(c->arena, 2 * cap * sizeof(*nv));
			memcpy(nv, v, cap * sizeof(*nv));
			v = nv;
			cap *= 2;
		}
		read_row(st, c->arena, &v[(*n)++]);
	}
	db_reset(st);
	if (rc == DB_ERROR)
		return db_fail(c->db, e);
	*out = v;
	return 0;
}

int
dossier_file_get(const struct ctx *c, const char *code, const char *sha256, const char *token,
		 struct dossier_file_rec *out, const void **data, size_t *len, struct err *e)
{
	memset(out, 0, sizeof(*out));
	struct dossier_rec d;
	if (load_dossier(c, code, token, &d, e) < 0)
		return -1;
	if (!files_sha_ok(sha256))
		return err_set(e, ERR_NOT_FOUND, "sha256", "Không tìm thấy tệp", "file not found");
	struct db_stmt *st = db_prepare(c->db, "SELECT " FILE_COLS " FROM dossier_file WHERE "
					       "dossier_id = ? AND sha256 = ?");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, d.id);
	db_bind_text(st, 2, sha256);
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, c->arena, out);
	db_reset(st);
	if (rc == DB_ERROR)
		return db_fail(c->db, e);
	if (rc == DB_DONE) /* only a file of this dossier, whatever else the store holds */
		return err_set(e, ERR_NOT_FOUND, "sha256", "Không tìm thấy tệp", "file not found");
	return attach_read(c, sha256, data, len, e);
}

int
dossier_file_stage(const struct ctx *c, const void *data, size_t len, struct dossier_file_rec *out,
		   struct err *e)
{
	memset(out, 0, sizeof(*out));
	if (authz_require(c, ROLE_RECEIVER, 0, e) < 0)
		return -1;
	const char *mime;
	const char *sha;
	int created;
	if (attach_check(data, len, &mime, e) < 0 ||
	    attach_store(c, data, len, &sha, &created, e) < 0)
		return -1;
	out->sha256 = sha;
	out->mime = mime;
	out->size = (int64_t)len;
	out->created = created;
	out->created_at = c->now;
	out->created_by = c->actor->username;
	return 0;
}

/* ---- the intake's files ---- */

int
dossier_files_intake_check(const struct ctx *c, const struct component_in *comps, size_t n,
			   int online, struct intake_files *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	int64_t total = 0;
	for (size_t i = 0; i < n; i++) {
		const char *sha = comps[i].file_sha256;
		if (!sha)
			continue;
		char f[48];
		snprintf(f, sizeof(f), "components[%zu].file", i);
		if (online)
			return err_set(
			    e, ERR_VALIDATION, f,
			    "Tệp đính kèm được nộp sau khi có mã hồ sơ, kèm mã tra cứu",
			    "attach files once the dossier has its code, with the lookup "
			    "token");
		if (!files_sha_ok(sha))
			return err_set(e, ERR_VALIDATION, f,
				       "Mã tệp là 64 chữ số hệ 16 viết thường (SHA-256)",
				       "a file is named by 64 lowercase hex digits (SHA-256)");
		if (!out->items)
			out->items = arena_zalloc(c->arena, n * sizeof(*out->items));
		int dup = 0;
		for (size_t k = 0; k < out->n; k++)
			dup |= strcmp(out->items[k].sha256, sha) == 0;
		if (dup)
			continue; /* one row per file; the components all name it */
		int64_t size;
		const char *mime;
		if (files_stat(attach_dir(), sha, &size, &mime, e) < 0) {
			if (e->code == ERR_NOT_FOUND)
				return err_set(e, ERR_VALIDATION, f,
					       "Chưa có tệp này trong kho: tải tệp lên trước "
					       "(POST /api/v1/files)",
					       "no such file in the store: upload it first (POST "
					       "/api/v1/files)");
			return -1;
		}
		if (!mime)
			return err_set(e, ERR_UNSUPPORTED_MEDIA, f,
				       "Chỉ nhận tệp PDF, JPEG hoặc PNG",
				       "only PDF, JPEG and PNG files are accepted");
		total += size;
		struct dossier_file_rec *r = &out->items[out->n++];
		r->sha256 = sha;
		r->kind = DF_COMPONENT;
		r->component_seq = (int)i + 1;
		r->mime = mime;
		r->size = size;
		r->name = arena_printf(c->arena, "%s.%s",
				       cut_utf8(c->arena, comps[i].name ? comps[i].name : "tep",
						DOSSIER_FILE_NAME_MAX - 4),
				       files_ext(mime));
	}
	if (total > dossier_max)
		return dossier_too_large(e);
	return 0;
}

int
dossier_files_intake_insert(struct db *db, const struct ctx *c, int64_t dossier_id,
			    const struct intake_files *f, struct err *e)
{
	if (f->n == 0)
		return 0;
	struct db_stmt *st =
	    db_prepare(db, "INSERT INTO dossier_file (dossier_id, sha256, kind, "
			   "component_seq, name, mime, size, created_at, "
			   "created_by) VALUES (?, ?, 'component', ?, ?, ?, ?, ?, ?)");
	if (!st)
		return db_fail(db, e);
	for (size_t i = 0; i < f->n; i++) {
		const struct dossier_file_rec *r = &f->items[i];
		db_bind_int(st, 1, dossier_id);
		db_bind_text(st, 2, r->sha256);
		db_bind_int(st, 3, r->component_seq);
		db_bind_text(st, 4, r->name);
		db_bind_text(st, 5, r->mime);
		db_bind_int(st, 6, r->size);
		db_bind_int(st, 7, c->now);
		db_bind_text(st, 8, c->actor ? c->actor->username : "citizen");
		int rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return db_fail(db, e);
	}
	return 0;
}
