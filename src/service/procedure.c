/*
 * procedure.c: the catalogue: saving versions (validation, content hash, immutable rows),
 * loading them, history and diff, the fields. Search lives in procedure_search.c.
 */
#include "service/procedure.h"
#include "core/buf.h"
#include "core/civil.h"
#include "core/embed.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "domain/role.h"
#include "domain/tthc_parse.h"
#include "service/audit.h"
#include "service/procedure_int.h"
#include "service/unit.h"
#include "store/fts.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const outcome_names[PROC_OUTCOME__MAX] = {"added", "updated", "unchanged",
							     "rejected"};

const char *
proc_outcome_name(enum proc_outcome o)
{
	return (unsigned)o < PROC_OUTCOME__MAX ? outcome_names[o] : "?";
}

/* ---- text helpers shared with the search ---- */

char *
proc_words_key(struct arena *a, const char *text, size_t max, int *nwords)
{
	struct buf f = BUF_INIT(1 << 22), out = BUF_INIT(max + 2);
	int n = 0;
	buf_addc(&out, ' ');
	if (text && text_fold(text, &f) == 0 && f.data) {
		const char *p = f.data;
		while (*p) {
			while (*p && !isalnum((unsigned char)*p))
				p++;
			const char *w = p;
			while (isalnum((unsigned char)*p))
				p++;
			if (p > w) {
				if (out.len + (size_t)(p - w) + 1 > max)
					break;
				buf_add(&out, w, (size_t)(p - w));
				buf_addc(&out, ' ');
				n++;
			}
		}
	}
	char *r = arena_strdup(a, out.data);
	buf_release(&f);
	buf_release(&out);
	if (nwords)
		*nwords = n;
	return r;
}

static const char *
opt(const char *s)
{
	return s ? s : "";
}

/* ---- fields ---- */

int
field_sync(const struct ctx *c, struct err *e)
{
	const struct embed_file *f = embed_find("data/procedures/fields.tsv");
	if (!f)
		return 0;
	int lines = 0;
	for (size_t i = 0; i < f->len; i++)
		lines += f->data[i] == '\n' && i + 1 < f->len && f->data[i + 1] != '#';
	struct db_stmt *st = db_prepare(c->db, "SELECT COUNT(*) FROM field");
	if (!st)
		return db_fail(c->db, e);
	int64_t have = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	if (have >= lines)
		return 0;
	if (db_begin(c->db) < 0)
		return db_fail(c->db, e);
	const char *p = (const char *)f->data, *end = p + f->len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		const char *tab = memchr(p, '\t', (size_t)(nl - p));
		if (*p != '#' && tab) {
			char *code = arena_strndup(c->arena, p, (size_t)(tab - p));
			char *name = arena_strndup(c->arena, tab + 1, (size_t)(nl - tab - 1));
			st = db_prepare(c->db,
					"INSERT INTO field (code, name, name_fold, created_at) "
					"VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
			if (!st)
				goto fail;
			db_bind_text(st, 1, code);
			db_bind_text(st, 2, name);
			db_bind_text(st, 3, proc_words_key(c->arena, name, 1000, NULL));
			db_bind_int(st, 4, c->now);
			int rc = db_step(st);
			db_reset(st);
			if (rc != DB_DONE)
				goto fail;
		}
		p = nl + 1;
	}
	if (db_commit(c->db) < 0)
		goto fail;
	return 0;
fail:
	db_fail(c->db, e);
	db_rollback(c->db);
	return -1;
}

int
field_list(const struct ctx *c, struct proc_field **out, size_t *n, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    c->db, "SELECT f.id, f.code, f.name, (SELECT COUNT(*) FROM procedure_search s "
		   "WHERE s.field_code = f.code) FROM field f ORDER BY f.name_fold, f.id");
	if (!st)
		return db_fail(c->db, e);
	size_t cap = 64, len = 0;
	struct proc_field *v = arena_alloc(c->arena, cap * sizeof(*v));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (len == cap) {
			struct proc_field *nv = arena_alloc(c->arena, 2 * cap * sizeof(*v));
			memcpy(nv, v, len * sizeof(*v));
			v = nv;
			cap *= 2;
		}
		v[len].id = db_col_int(st, 0);
		v[len].code = arena_strdup(c->arena, db_col_text(st, 1));
		v[len].name = arena_strdup(c->arena, db_col_text(st, 2));
		v[len].procedures = db_col_int(st, 3);
		len++;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(c->db, e);
	*out = v;
	*n = len;
	return 0;
}

/* The field of a record, by code or else by name. */
static int
field_resolve(const struct ctx *c, const char *code, const char *name, int64_t *id,
	      const char **out_code, const char **out_name, struct err *e)
{
	struct db_stmt *st;
	if (code && *code) {
		st = db_prepare(c->db, "SELECT id, code, name FROM field WHERE code = ?");
		if (st)
			db_bind_text(st, 1, code);
	} else if (name && *name) {
		st = db_prepare(c->db, "SELECT id, code, name FROM field WHERE name_fold = ?");
		if (st)
			db_bind_text(st, 1, proc_words_key(c->arena, name, 1000, NULL));
	} else {
		return err_set(e, ERR_VALIDATION, "field_code", "Thiếu lĩnh vực",
			       "the field (field_code) is missing");
	}
	if (!st)
		return db_fail(c->db, e);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		*out_code = arena_strdup(c->arena, db_col_text(st, 1));
		*out_name = arena_strdup(c->arena, db_col_text(st, 2));
	}
	db_reset(st);
	if (rc == DB_ROW)
		return 0;
	if (rc != DB_DONE)
		return db_fail(c->db, e);
	if (code && *code)
		return err_setf(e, ERR_VALIDATION, "field_code",
				"Mã lĩnh vực “%s” không có trong danh mục lĩnh vực",
				"unknown field code '%s'", code);
	return err_setf(e, ERR_VALIDATION, "field_code",
			"Lĩnh vực “%s” không có trong danh mục lĩnh vực", "unknown field '%s'",
			name);
}

/* ---- loading ---- */

#define VERSION_COLS                                                                               \
	"v.id, v.procedure_id, v.version, p.code, v.name, f.code, f.name, v.levels, v.kind, "      \
	"v.competent_agency, COALESCE(v.competent_unit_id, 0), v.executing_agency, "               \
	"v.coordinating_agency, v.subjects, v.legal_basis, v.decision, v.effective_from, "         \
	"v.result, v.result_paper, v.conditions, v.steps_text, v.online_mode, v.non_territorial, " \
	"COALESCE(v.cutoff_minute, -1), v.source, v.source_url, v.note, v.created_at "

static char *
dup_col(const struct ctx *c, struct db_stmt *st, int col)
{
	return arena_strdup(c->arena, db_col_text(st, col));
}

static void
trim_levels(const struct ctx *c, struct proc_version *v)
{
	/* stored as ' commune province ' for LIKE; handed out as 'commune province' */
	const char *s = v->level ? v->level : "";
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	v->level = arena_strndup(c->arena, s, n);
}

static int
load_children(const struct ctx *c, struct proc_version *v, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(c->db, "SELECT channel, time_unit, COALESCE(time_minutes, -1), time_text, "
			      "COALESCE(fee, -1), fee_text FROM procedure_channel WHERE "
			      "version_id = ? ORDER BY channel");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, v->version_id);
	int rc;
	for (int i = 0; i < 4; i++) {
		v->channels[i] =
		    (struct proc_channel){0, NULL, PROC_UNKNOWN, NULL, PROC_UNKNOWN, NULL};
	}
	while ((rc = db_step(st)) == DB_ROW) {
		int ch = (int)db_col_int(st, 0);
		if (ch < 1 || ch > 3)
			continue;
		struct proc_channel *k = &v->channels[ch];
		k->offered = 1;
		k->time_unit = dup_col(c, st, 1);
		k->time_minutes = db_col_int(st, 2);
		k->time_text = dup_col(c, st, 3);
		k->fee = db_col_int(st, 4);
		k->fee_text = dup_col(c, st, 5);
	}
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(c->db, e);

	st = db_prepare(c->db, "SELECT id, name FROM procedure_case WHERE version_id = ? "
			       "ORDER BY seq");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, v->version_id);
	v->cases = arena_zalloc(c->arena, PROC_MAX_CASES * sizeof(*v->cases));
	v->ncases = 0;
	while ((rc = db_step(st)) == DB_ROW && v->ncases < PROC_MAX_CASES) {
		struct proc_case *k = &v->cases[v->ncases++];
		k->id = db_col_int(st, 0);
		k->name = dup_col(c, st, 1);
	}
	db_reset(st);
	if (rc != DB_DONE && rc != DB_ROW)
		return db_fail(c->db, e);

	st = db_prepare(c->db, "SELECT m.case_id, m.id, m.name, m.originals, m.copies, m.required, "
			       "m.has_eform, m.grp, m.form FROM procedure_component m JOIN "
			       "procedure_case k ON k.id = m.case_id WHERE k.version_id = ? "
			       "ORDER BY k.seq, m.seq");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, v->version_id);
	for (size_t i = 0; i < v->ncases; i++)
		v->cases[i].components =
		    arena_alloc(c->arena, PROC_MAX_COMPONENTS * sizeof(struct proc_component));
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t case_id = db_col_int(st, 0);
		for (size_t i = 0; i < v->ncases; i++) {
			struct proc_case *k = &v->cases[i];
			if (k->id != case_id || k->ncomponents >= PROC_MAX_COMPONENTS)
				continue;
			struct proc_component *m = &k->components[k->ncomponents++];
			m->id = db_col_int(st, 1);
			m->name = dup_col(c, st, 2);
			m->originals = (int)db_col_int(st, 3);
			m->copies = (int)db_col_int(st, 4);
			m->required = (int)db_col_int(st, 5);
			m->has_eform = (int)db_col_int(st, 6);
			m->group = dup_col(c, st, 7);
			m->form = dup_col(c, st, 8);
		}
	}
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(c->db, e);

	st = db_prepare(c->db, "SELECT s.case_id, s.seq, s.name, s.role, s.unit_kind, "
			       "COALESCE(s.unit_id, 0), s.minutes FROM procedure_step s JOIN "
			       "procedure_case k ON k.id = s.case_id WHERE k.version_id = ? "
			       "ORDER BY k.seq, s.seq");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, v->version_id);
	for (size_t i = 0; i < v->ncases; i++)
		v->cases[i].steps =
		    arena_alloc(c->arena, PROC_MAX_STEPS * sizeof(struct proc_step));
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t case_id = db_col_int(st, 0);
		for (size_t i = 0; i < v->ncases; i++) {
			struct proc_case *k = &v->cases[i];
			if (k->id != case_id || k->nsteps >= PROC_MAX_STEPS)
				continue;
			struct proc_step *s = &k->steps[k->nsteps++];
			s->seq = (int)db_col_int(st, 1);
			s->name = dup_col(c, st, 2);
			s->role = dup_col(c, st, 3);
			s->unit_kind = dup_col(c, st, 4);
			s->unit_id = db_col_int(st, 5);
			s->minutes = db_col_int(st, 6);
		}
	}
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(c->db, e);
	return 0;
}

static int
load_where(const struct ctx *c, const char *sql, const char *code, int64_t num,
	   struct proc_version *v, struct err *e)
{
	struct db_stmt *st = db_prepare(c->db, sql);
	if (!st)
		return db_fail(c->db, e);
	if (code) {
		db_bind_text(st, 1, code);
		db_bind_int(st, 2, num);
		db_bind_int(st, 3, num);
	} else {
		db_bind_int(st, 1, num);
	}
	int rc = db_step(st);
	if (rc == DB_ROW) {
		memset(v, 0, sizeof(*v));
		v->version_id = db_col_int(st, 0);
		v->procedure_id = db_col_int(st, 1);
		v->version = (int)db_col_int(st, 2);
		v->code = dup_col(c, st, 3);
		v->name = dup_col(c, st, 4);
		v->field_code = dup_col(c, st, 5);
		v->field_name = dup_col(c, st, 6);
		v->level = dup_col(c, st, 7);
		v->kind = dup_col(c, st, 8);
		v->competent_agency = dup_col(c, st, 9);
		v->competent_unit_id = db_col_int(st, 10);
		v->executing_agency = dup_col(c, st, 11);
		v->coordinating_agency = dup_col(c, st, 12);
		v->subjects = dup_col(c, st, 13);
		v->legal_basis = dup_col(c, st, 14);
		v->decision = dup_col(c, st, 15);
		v->effective_from = dup_col(c, st, 16);
		v->result = dup_col(c, st, 17);
		v->result_paper = (int)db_col_int(st, 18);
		v->conditions = dup_col(c, st, 19);
		v->steps_text = dup_col(c, st, 20);
		v->online_mode = dup_col(c, st, 21);
		v->non_territorial = (int)db_col_int(st, 22);
		v->cutoff_minute = (int)db_col_int(st, 23);
		v->source = dup_col(c, st, 24);
		v->source_url = dup_col(c, st, 25);
		v->note = dup_col(c, st, 26);
		v->created_at = db_col_int(st, 27);
	}
	db_reset(st);
	if (rc == DB_DONE)
		return err_set(e, ERR_NOT_FOUND, code ? "code" : "version_id",
			       "Không tìm thấy thủ tục hoặc phiên bản",
			       "no such procedure or version");
	if (rc != DB_ROW)
		return db_fail(c->db, e);
	trim_levels(c, v);
	return load_children(c, v, e);
}

/*
 * The versions already read, by version id. A version row and everything under it never
 * change once written, so a version read once is the same forever, on every node: only
 * "which version is in force" must be asked each time (one indexed query). Entries live in
 * their own arenas until the process ends; readers get shallow copies and must not modify
 * what they point to. Bounded: past VCACHE_MAX versions, reads simply go to the store.
 */
#define VCACHE_MAX 4096

static pthread_mutex_t vcache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct vcache_entry {
	int64_t version_id;
	struct arena *arena;
	struct proc_version v;
} * vcache;
static size_t vcache_n;

static int
vcache_get(int64_t version_id, struct proc_version *out)
{
	int hit = 0;
	pthread_mutex_lock(&vcache_mu);
	for (size_t i = 0; i < vcache_n; i++)
		if (vcache[i].version_id == version_id) {
			*out = vcache[i].v;
			hit = 1;
			break;
		}
	pthread_mutex_unlock(&vcache_mu);
	return hit;
}

static int
procedure_load_cached(const struct ctx *c, int64_t version_id, struct proc_version *out,
		      struct err *e)
{
	if (vcache_get(version_id, out))
		return 0;
	struct ctx cc = *c;
	cc.arena = arena_new(16384);
	if (procedure_load_version(&cc, version_id, out, e) < 0) {
		arena_free(cc.arena);
		return -1;
	}
	pthread_mutex_lock(&vcache_mu);
	int kept = 0;
	if (!vcache)
		vcache = calloc(VCACHE_MAX, sizeof(*vcache));
	if (vcache && vcache_n < VCACHE_MAX) {
		int dup = 0;
		for (size_t i = 0; i < vcache_n && !dup; i++)
			dup = vcache[i].version_id == version_id;
		if (!dup) {
			vcache[vcache_n].version_id = version_id;
			vcache[vcache_n].arena = cc.arena;
			vcache[vcache_n].v = *out;
			vcache_n++;
			kept = 1;
		}
	}
	pthread_mutex_unlock(&vcache_mu);
	if (!kept) {
		/* not cached: copy into the caller's arena by reading again there */
		arena_free(cc.arena);
		return procedure_load_version(c, version_id, out, e);
	}
	return 0;
}

void
procedure_cache_free(void)
{
	pthread_mutex_lock(&vcache_mu);
	for (size_t i = 0; i < vcache_n; i++)
		arena_free(vcache[i].arena);
	free(vcache);
	vcache = NULL;
	vcache_n = 0;
	pthread_mutex_unlock(&vcache_mu);
}

int
procedure_load(const struct ctx *c, const char *code, int version, struct proc_version *out,
	       struct err *e)
{
	if (!code || !*code)
		return err_set(e, ERR_NOT_FOUND, "code", "Không tìm thấy thủ tục",
			       "no such procedure");
	if (version == 0) {
		struct db_stmt *st = db_prepare(c->db, "SELECT current_version_id FROM procedure "
						       "WHERE code = ?");
		if (!st)
			return db_fail(c->db, e);
		db_bind_text(st, 1, code);
		int rc = db_step(st);
		int64_t vid = rc == DB_ROW && !db_col_is_null(st, 0) ? db_col_int(st, 0) : 0;
		db_reset(st);
		if (rc == DB_ERROR)
			return db_fail(c->db, e);
		if (!vid)
			return err_set(e, ERR_NOT_FOUND, "code", "Không tìm thấy thủ tục",
				       "no such procedure");
		return procedure_load_cached(c, vid, out, e);
	}
	return load_where(
	    c,
	    "SELECT " VERSION_COLS "FROM procedure p JOIN procedure_version v ON "
	    "v.procedure_id = p.id JOIN field f ON f.id = v.field_id WHERE "
	    "p.code = ? AND ((? = 0 AND v.id = p.current_version_id) OR v.version = ?)",
	    code, version, out, e);
}

int
procedure_load_version(const struct ctx *c, int64_t version_id, struct proc_version *out,
		       struct err *e)
{
	return load_where(c,
			  "SELECT " VERSION_COLS "FROM procedure_version v JOIN procedure p ON "
			  "p.id = v.procedure_id JOIN field f ON f.id = v.field_id WHERE v.id = ?",
			  NULL, version_id, out, e);
}

/* ---- validation ---- */

static const char *const step_roles[] = {"receiver", "specialist", "dept_head",
					 "leader",   "clerk",	   "cashier"};
static const char *const online_modes[] = {"full", "partial", "none"};
static const char *const sources[] = {"seed", "national", "xlsx", "csv", "api"};

static int
in_set(const char *s, const char *const *set, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

int
proc_code_valid(const char *code)
{
	/* 1.001193, and provincial or local variants with a suffix: 1.012753.H19 */
	if (!code || strlen(code) < 8 || strlen(code) > 32)
		return 0;
	if (!isdigit((unsigned char)code[0]) || code[1] != '.')
		return 0;
	for (int i = 2; i < 8; i++)
		if (!isdigit((unsigned char)code[i]))
			return 0;
	const char *p = code + 8;
	while (*p) {
		if (*p != '.' || !isalnum((unsigned char)p[1]))
			return 0;
		p++;
		while (isalnum((unsigned char)*p))
			p++;
	}
	return 1;
}

static int
check_text(const char *field, const char *s, size_t max_cp, int required, struct err *e)
{
	if (!s || !*s) {
		if (required)
			return err_setf(e, ERR_VALIDATION, field, "Thiếu %s", "%s is missing",
					field);
		return 0;
	}
	if (!text_utf8_valid(s, strlen(s)))
		return err_setf(e, ERR_VALIDATION, field, "%s không phải UTF-8 hợp lệ",
				"%s is not valid UTF-8", field);
	if (text_utf8_len(s) > max_cp)
		return err_setf(e, ERR_VALIDATION, field, "%s quá dài (tối đa %zu ký tự)",
				"%s is too long (at most %zu characters)", field, max_cp);
	return 0;
}

/* The working minutes a legal time allows a workflow: calendar days count as at most as many
 * working days (a conservative bound: no workflow may need more working time than that). */
static int64_t
budget_minutes(const struct proc_channel *k)
{
	if (!k->offered || k->time_minutes < 0 || !k->time_unit)
		return -1;
	if (strcmp(k->time_unit, "calendar_days") == 0)
		return k->time_minutes / TTHC_CAL_DAY_MINUTES * TTHC_DAY_MINUTES;
	return k->time_minutes;
}

static int
check_channels(const struct proc_version *in, struct err *e)
{
	for (int ch = 1; ch <= 3; ch++) {
		const struct proc_channel *k = &in->channels[ch];
		const char *name = tthc_channel_name((enum tthc_channel)ch);
		char field[64];
		if (!k->offered)
			continue;
		snprintf(field, sizeof(field), "channels.%s.time_unit", name);
		if (k->time_unit && tthc_unit_parse(k->time_unit) < 0)
			return err_set(e, ERR_VALIDATION, field,
				       "Đơn vị thời gian phải là working_days, calendar_days hoặc "
				       "working_hours",
				       "time unit must be working_days, calendar_days or "
				       "working_hours");
		snprintf(field, sizeof(field), "channels.%s.time_minutes", name);
		if (k->time_minutes < PROC_UNKNOWN || (k->time_unit && k->time_minutes < 0))
			return err_set(e, ERR_VALIDATION, field,
				       "Thời hạn giải quyết không được âm",
				       "processing time must not be negative");
		if (!k->time_unit && k->time_minutes >= 0)
			return err_set(e, ERR_VALIDATION, field,
				       "Thời hạn giải quyết cần có đơn vị",
				       "a processing time needs its unit");
		if (k->time_minutes > 3650LL * TTHC_CAL_DAY_MINUTES)
			return err_set(e, ERR_VALIDATION, field, "Thời hạn giải quyết quá lớn",
				       "processing time is too long");
		snprintf(field, sizeof(field), "channels.%s.fee", name);
		if (k->fee < PROC_UNKNOWN)
			return err_set(e, ERR_VALIDATION, field, "Phí, lệ phí không được âm",
				       "the fee must not be negative");
		if (k->fee > 100000000000LL)
			return err_set(e, ERR_VALIDATION, field, "Phí, lệ phí quá lớn",
				       "the fee is too large");
		snprintf(field, sizeof(field), "channels.%s.time_text", name);
		if (check_text(field, k->time_text, 2000, 0, e) < 0)
			return -1;
		snprintf(field, sizeof(field), "channels.%s.fee_text", name);
		if (check_text(field, k->fee_text, 20000, 0, e) < 0)
			return -1;
	}
	return 0;
}

static int
check_cases(const struct ctx *c, const struct proc_version *in, struct err *e)
{
	int64_t budget = -1;
	int budget_ch = 0;
	for (int ch = 1; ch <= 3; ch++) {
		int64_t b = budget_minutes(&in->channels[ch]);
		if (b >= 0 && (budget < 0 || b < budget)) {
			budget = b;
			budget_ch = ch;
		}
	}
	if (in->ncases > PROC_MAX_CASES)
		return err_setf(e, ERR_VALIDATION, "cases", "Quá nhiều trường hợp (tối đa %d)",
				"too many cases (at most %d)", PROC_MAX_CASES);
	for (size_t i = 0; i < in->ncases; i++) {
		const struct proc_case *k = &in->cases[i];
		char field[96];
		snprintf(field, sizeof(field), "cases[%zu].name", i);
		if (check_text(field, k->name, 500, 1, e) < 0)
			return -1;
		if (k->ncomponents > PROC_MAX_COMPONENTS)
			return err_setf(e, ERR_VALIDATION, "cases", "Quá nhiều thành phần hồ sơ",
					"too many components (at most %d)", PROC_MAX_COMPONENTS);
		for (size_t j = 0; j < k->ncomponents; j++) {
			const struct proc_component *m = &k->components[j];
			snprintf(field, sizeof(field), "cases[%zu].components[%zu].name", i, j);
			if (check_text(field, m->name, 4000, 1, e) < 0)
				return -1;
			snprintf(field, sizeof(field), "cases[%zu].components[%zu].originals", i,
				 j);
			if (m->originals < 0 || m->originals > 99 || m->copies < 0 ||
			    m->copies > 99)
				return err_set(e, ERR_VALIDATION, field,
					       "Số bản chính, bản sao phải từ 0 đến 99",
					       "originals and copies must be from 0 to 99");
		}
		if (k->nsteps > PROC_MAX_STEPS)
			return err_setf(e, ERR_VALIDATION, "cases", "Quá nhiều bước xử lý",
					"too many workflow steps (at most %d)", PROC_MAX_STEPS);
		int64_t total = 0;
		for (size_t j = 0; j < k->nsteps; j++) {
			const struct proc_step *s = &k->steps[j];
			snprintf(field, sizeof(field), "cases[%zu].workflow[%zu].name", i, j);
			if (check_text(field, s->name, 300, 1, e) < 0)
				return -1;
			snprintf(field, sizeof(field), "cases[%zu].workflow[%zu].role", i, j);
			if (!in_set(s->role, step_roles,
				    sizeof(step_roles) / sizeof(step_roles[0])))
				return err_set(
				    e, ERR_VALIDATION, field,
				    "Vai trò của bước phải là receiver, specialist, "
				    "dept_head, leader, clerk hoặc cashier",
				    "a step's role must be receiver, specialist, dept_head, "
				    "leader, clerk or cashier");
			snprintf(field, sizeof(field), "cases[%zu].workflow[%zu].unit_kind", i, j);
			if (s->unit_kind && !unit_kind_valid(s->unit_kind))
				return err_set(e, ERR_VALIDATION, field, "Loại đơn vị không hợp lệ",
					       "unknown unit kind");
			snprintf(field, sizeof(field), "cases[%zu].workflow[%zu].unit_id", i, j);
			char path[UNIT_PATH_MAX];
			if (s->unit_id < 0 ||
			    (s->unit_id > 0 && unit_path(c, s->unit_id, path, sizeof(path)) < 0))
				return err_set(e, ERR_VALIDATION, field, "Đơn vị không tồn tại",
					       "no such unit");
			if (!s->unit_kind && s->unit_id == 0)
				return err_set(e, ERR_VALIDATION, field,
					       "Bước xử lý cần đơn vị hoặc loại đơn vị",
					       "a step needs a unit or a unit kind");
			snprintf(field, sizeof(field), "cases[%zu].workflow[%zu].minutes", i, j);
			if (s->minutes <= 0 || s->minutes > 3650LL * TTHC_DAY_MINUTES)
				return err_set(e, ERR_VALIDATION, field,
					       "Thời gian của bước phải là số phút làm việc dương",
					       "a step's time must be a positive number of working "
					       "minutes");
			total += s->minutes;
		}
		if (budget >= 0 && total > budget) {
			snprintf(field, sizeof(field), "cases[%zu].workflow", i);
			return err_setf(
			    e, ERR_VALIDATION, field,
			    "Tổng thời gian các bước (%" PRId64
			    " phút làm việc) vượt thời hạn giải quyết qua kênh %s (%" PRId64
			    " phút làm việc)",
			    "the workflow takes %" PRId64
			    " working minutes, more than the legal time of the %s "
			    "channel (%" PRId64 " working minutes)",
			    total, tthc_channel_name((enum tthc_channel)budget_ch), budget);
		}
	}
	return 0;
}

static int
check_levels(const char *levels, struct err *e)
{
	const char *p = levels ? levels : "";
	while (*p) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (!n)
			break;
		char w[32];
		if (n >= sizeof(w))
			n = sizeof(w) - 1;
		memcpy(w, p, n);
		w[n] = '\0';
		if (tthc_level_parse(w) < 0)
			return err_setf(
			    e, ERR_VALIDATION, "levels",
			    "Cấp thực hiện “%s” không hợp lệ (ministry, province, "
			    "district, commune, other)",
			    "unknown level '%s' (ministry, province, district, commune, "
			    "other)",
			    w);
		p += strcspn(p, " ");
	}
	return 0;
}

static int
validate(const struct ctx *c, const struct proc_version *in, struct err *e)
{
	if (!proc_code_valid(in->code))
		return err_set(e, ERR_VALIDATION, "code",
			       "Mã thủ tục không đúng dạng (ví dụ 1.001193 hoặc 1.012753.H19)",
			       "procedure code is not in the national form (e.g. 1.001193 or "
			       "1.012753.H19)");
	if (check_text("name", in->name, 2000, 1, e) < 0)
		return -1;
	if (check_levels(in->level, e) < 0)
		return -1;
	if (in->online_mode && !in_set(in->online_mode, online_modes, 3))
		return err_set(e, ERR_VALIDATION, "online_mode",
			       "Mức độ trực tuyến phải là full, partial hoặc none",
			       "online_mode must be full, partial or none");
	if (in->source && !in_set(in->source, sources, sizeof(sources) / sizeof(sources[0])))
		return err_set(e, ERR_VALIDATION, "source", "Nguồn dữ liệu không hợp lệ",
			       "unknown source");
	if (in->cutoff_minute < -1 || in->cutoff_minute >= 24 * 60)
		return err_set(e, ERR_VALIDATION, "cutoff", "Giờ chốt nhận hồ sơ không hợp lệ",
			       "cut-off hour must be within the day");
	int64_t days;
	if (in->effective_from && civil_parse_date(in->effective_from, &days) < 0)
		return err_set(e, ERR_VALIDATION, "effective_from",
			       "Ngày có hiệu lực không hợp lệ (YYYY-MM-DD)",
			       "effective_from is not a date (YYYY-MM-DD)");
	static const struct {
		const char *field;
		size_t off, max;
	} texts[] = {
	    {"kind", offsetof(struct proc_version, kind), 500},
	    {"competent_agency", offsetof(struct proc_version, competent_agency), 2000},
	    {"executing_agency", offsetof(struct proc_version, executing_agency), 2000},
	    {"coordinating_agency", offsetof(struct proc_version, coordinating_agency), 2000},
	    {"subjects", offsetof(struct proc_version, subjects), 2000},
	    {"legal_basis", offsetof(struct proc_version, legal_basis), 100000},
	    {"decision", offsetof(struct proc_version, decision), 500},
	    {"result", offsetof(struct proc_version, result), 10000},
	    {"conditions", offsetof(struct proc_version, conditions), 100000},
	    {"steps_text", offsetof(struct proc_version, steps_text), 200000},
	    {"note", offsetof(struct proc_version, note), 2000},
	    {"source_url", offsetof(struct proc_version, source_url), 2000},
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		const char *s = *(const char *const *)((const char *)in + texts[i].off);
		if (check_text(texts[i].field, s, texts[i].max, 0, e) < 0)
			return -1;
	}
	if (in->competent_unit_id < 0)
		return err_set(e, ERR_VALIDATION, "competent_unit_id", "Đơn vị không tồn tại",
			       "no such unit");
	char path[UNIT_PATH_MAX];
	if (in->competent_unit_id > 0 &&
	    unit_path(c, in->competent_unit_id, path, sizeof(path)) < 0)
		return err_set(e, ERR_VALIDATION, "competent_unit_id", "Đơn vị không tồn tại",
			       "no such unit");
	if (check_channels(in, e) < 0)
		return -1;
	return check_cases(c, in, e);
}

/* ---- canonical content ---- */

static void
add_field(struct buf *b, const char *s)
{
	buf_adds(b, s ? s : "\x01");
	buf_addc(b, '\0');
}

static void
add_int(struct buf *b, int64_t v)
{
	buf_addf(b, "%" PRId64, v);
	buf_addc(b, '\0');
}

static void
content_hash(const struct proc_version *v, char out[CRYPTO_SHA256_HEX])
{
	struct buf b = BUF_INIT(64u << 20);
	add_field(&b, "v1");
	add_field(&b, v->code);
	add_field(&b, v->name);
	add_field(&b, v->field_code);
	add_field(&b, v->level);
	add_field(&b, v->kind);
	add_field(&b, v->competent_agency);
	add_int(&b, v->competent_unit_id);
	add_field(&b, v->executing_agency);
	add_field(&b, v->coordinating_agency);
	add_field(&b, v->subjects);
	add_field(&b, v->legal_basis);
	add_field(&b, v->decision);
	add_field(&b, v->result);
	add_int(&b, v->result_paper);
	add_field(&b, v->conditions);
	add_field(&b, v->steps_text);
	add_field(&b, v->online_mode);
	add_int(&b, v->non_territorial);
	add_int(&b, v->cutoff_minute);
	for (int ch = 1; ch <= 3; ch++) {
		const struct proc_channel *k = &v->channels[ch];
		add_int(&b, k->offered);
		if (!k->offered)
			continue;
		add_field(&b, k->time_unit);
		add_int(&b, k->time_minutes);
		add_field(&b, k->time_text);
		add_int(&b, k->fee);
		add_field(&b, k->fee_text);
	}
	for (size_t i = 0; i < v->ncases; i++) {
		const struct proc_case *k = &v->cases[i];
		add_field(&b, "case");
		add_field(&b, k->name);
		for (size_t j = 0; j < k->ncomponents; j++) {
			const struct proc_component *m = &k->components[j];
			add_field(&b, m->name);
			add_int(&b, m->originals);
			add_int(&b, m->copies);
			add_int(&b, m->required);
			add_int(&b, m->has_eform);
			add_field(&b, m->group);
			add_field(&b, m->form);
		}
		add_field(&b, "workflow");
		for (size_t j = 0; j < k->nsteps; j++) {
			const struct proc_step *s = &k->steps[j];
			add_field(&b, s->name);
			add_field(&b, s->role);
			add_field(&b, s->unit_kind);
			add_int(&b, s->unit_id);
			add_int(&b, s->minutes);
		}
	}
	crypto_sha256_hex(b.data, b.len, out);
	buf_release(&b);
}

/* ---- diff ---- */

struct changes {
	const struct ctx *c;
	struct proc_change *v;
	size_t n, cap;
};

static void
change_add(struct changes *ch, const char *path, const char *from, const char *to, double pct)
{
	if (ch->n == ch->cap) {
		size_t cap = ch->cap ? 2 * ch->cap : 16;
		struct proc_change *nv = arena_alloc(ch->c->arena, cap * sizeof(*nv));
		if (ch->n)
			memcpy(nv, ch->v, ch->n * sizeof(*nv));
		ch->v = nv;
		ch->cap = cap;
	}
	ch->v[ch->n++] = (struct proc_change){arena_strdup(ch->c->arena, path),
					      from ? arena_strdup(ch->c->arena, from) : NULL,
					      to ? arena_strdup(ch->c->arena, to) : NULL, pct};
}

static void
diff_text(struct changes *ch, const char *path, const char *a, const char *b)
{
	if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
		change_add(ch, path, a, b, NAN);
}

static void
diff_int(struct changes *ch, const char *path, int64_t a, int64_t b, int pct)
{
	if (a == b)
		return;
	char sa[24], sb[24];
	snprintf(sa, sizeof(sa), "%" PRId64, a);
	snprintf(sb, sizeof(sb), "%" PRId64, b);
	double p = NAN;
	if (pct && a > 0 && b >= 0)
		p = round(((double)b - (double)a) * 1000.0 / (double)a) / 10.0;
	change_add(ch, path, a == PROC_UNKNOWN && pct ? NULL : sa,
		   b == PROC_UNKNOWN && pct ? NULL : sb, p);
}

static void
diff_versions(struct changes *ch, const struct proc_version *a, const struct proc_version *b)
{
	diff_text(ch, "name", a->name, b->name);
	diff_text(ch, "field_code", a->field_code, b->field_code);
	diff_text(ch, "levels", a->level, b->level);
	diff_text(ch, "kind", a->kind, b->kind);
	diff_text(ch, "competent_agency", a->competent_agency, b->competent_agency);
	diff_int(ch, "competent_unit_id", a->competent_unit_id, b->competent_unit_id, 0);
	diff_text(ch, "executing_agency", a->executing_agency, b->executing_agency);
	diff_text(ch, "coordinating_agency", a->coordinating_agency, b->coordinating_agency);
	diff_text(ch, "subjects", a->subjects, b->subjects);
	diff_text(ch, "legal_basis", a->legal_basis, b->legal_basis);
	diff_text(ch, "decision", a->decision, b->decision);
	diff_text(ch, "result", a->result, b->result);
	diff_int(ch, "result_paper", a->result_paper, b->result_paper, 0);
	diff_text(ch, "conditions", a->conditions, b->conditions);
	diff_text(ch, "steps_text", a->steps_text, b->steps_text);
	diff_text(ch, "online_mode", a->online_mode, b->online_mode);
	diff_int(ch, "non_territorial", a->non_territorial, b->non_territorial, 0);
	diff_int(ch, "cutoff_minute", a->cutoff_minute, b->cutoff_minute, 0);
	for (int c = 1; c <= 3; c++) {
		const struct proc_channel *x = &a->channels[c], *y = &b->channels[c];
		const char *name = tthc_channel_name((enum tthc_channel)c);
		char path[64];
		snprintf(path, sizeof(path), "channels.%s.offered", name);
		diff_int(ch, path, x->offered, y->offered, 0);
		if (!x->offered || !y->offered)
			continue;
		snprintf(path, sizeof(path), "channels.%s.time_unit", name);
		diff_text(ch, path, x->time_unit, y->time_unit);
		snprintf(path, sizeof(path), "channels.%s.time_minutes", name);
		diff_int(ch, path, x->time_minutes, y->time_minutes, 1);
		snprintf(path, sizeof(path), "channels.%s.time_text", name);
		diff_text(ch, path, x->time_text, y->time_text);
		snprintf(path, sizeof(path), "channels.%s.fee", name);
		diff_int(ch, path, x->fee, y->fee, 1);
		snprintf(path, sizeof(path), "channels.%s.fee_text", name);
		diff_text(ch, path, x->fee_text, y->fee_text);
	}
	diff_int(ch, "cases", (int64_t)a->ncases, (int64_t)b->ncases, 0);
	for (size_t i = 0; i < a->ncases && i < b->ncases; i++) {
		const struct proc_case *x = &a->cases[i], *y = &b->cases[i];
		char path[96];
		snprintf(path, sizeof(path), "cases[%zu].name", i);
		diff_text(ch, path, x->name, y->name);
		snprintf(path, sizeof(path), "cases[%zu].components", i);
		diff_int(ch, path, (int64_t)x->ncomponents, (int64_t)y->ncomponents, 0);
		for (size_t j = 0; j < x->ncomponents && j < y->ncomponents; j++) {
			snprintf(path, sizeof(path), "cases[%zu].components[%zu].name", i, j);
			diff_text(ch, path, x->components[j].name, y->components[j].name);
		}
		int64_t tx = 0, ty = 0;
		for (size_t j = 0; j < x->nsteps; j++)
			tx += x->steps[j].minutes;
		for (size_t j = 0; j < y->nsteps; j++)
			ty += y->steps[j].minutes;
		snprintf(path, sizeof(path), "cases[%zu].workflow_steps", i);
		diff_int(ch, path, (int64_t)x->nsteps, (int64_t)y->nsteps, 0);
		snprintf(path, sizeof(path), "cases[%zu].workflow_minutes", i);
		diff_int(ch, path, tx, ty, 1);
	}
}

int
procedure_diff(const struct ctx *c, const char *code, int from, int to, struct proc_change **out,
	       size_t *n, struct err *e)
{
	struct proc_version a, b;
	if (procedure_load(c, code, from, &a, e) < 0 || procedure_load(c, code, to, &b, e) < 0)
		return -1;
	struct changes ch = {c, NULL, 0, 0};
	diff_versions(&ch, &a, &b);
	*out = ch.v;
	*n = ch.n;
	return 0;
}

int
procedure_versions(const struct ctx *c, const char *code, struct proc_history **out, size_t *n,
		   struct err *e)
{
	struct db_stmt *st = db_prepare(
	    c->db, "SELECT v.id, v.version, v.name, v.effective_from, v.decision, v.source, "
		   "v.note, v.created_at FROM procedure p JOIN procedure_version v ON "
		   "v.procedure_id = p.id WHERE p.code = ? ORDER BY v.version");
	if (!st)
		return db_fail(c->db, e);
	db_bind_text(st, 1, code);
	size_t cap = 8, len = 0;
	struct proc_history *v = arena_alloc(c->arena, cap * sizeof(*v));
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (len == cap) {
			struct proc_history *nv = arena_alloc(c->arena, 2 * cap * sizeof(*v));
			memcpy(nv, v, len * sizeof(*v));
			v = nv;
			cap *= 2;
		}
		struct proc_history *h = &v[len++];
		memset(h, 0, sizeof(*h));
		h->version_id = db_col_int(st, 0);
		h->version = (int)db_col_int(st, 1);
		h->name = dup_col(c, st, 2);
		h->effective_from = dup_col(c, st, 3);
		h->decision = dup_col(c, st, 4);
		h->source = dup_col(c, st, 5);
		h->note = dup_col(c, st, 6);
		h->created_at = db_col_int(st, 7);
	}
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(c->db, e);
	if (len == 0)
		return err_set(e, ERR_NOT_FOUND, "code", "Không tìm thấy thủ tục",
			       "no such procedure");
	for (size_t i = 0; i < len; i++) {
		struct proc_version pv = {0};
		pv.version_id = v[i].version_id;
		if (load_children(c, &pv, e) < 0)
			return -1;
		memcpy(v[i].channels, pv.channels, sizeof(pv.channels));
	}
	*out = v;
	*n = len;
	return 0;
}

/* ---- saving ---- */

struct save_args {
	const struct ctx *c;
	struct proc_version *in; /* normalised; field resolved */
	int64_t field_id;
	unsigned flags;
	struct proc_save_result *res;
};

static int
bind_opt_text(struct db_stmt *st, int idx, const char *s)
{
	return s ? db_bind_text(st, idx, s) : db_bind_null(st, idx);
}

static int
bind_opt_int(struct db_stmt *st, int idx, int64_t v, int64_t none)
{
	return v == none ? db_bind_null(st, idx) : db_bind_int(st, idx, v);
}

static int
insert_children(const struct ctx *c, int64_t version_id, const struct proc_version *in,
		struct err *e)
{
	struct db *db = c->db;
	for (int ch = 1; ch <= 3; ch++) {
		const struct proc_channel *k = &in->channels[ch];
		if (!k->offered)
			continue;
		struct db_stmt *st =
		    db_prepare(db, "INSERT INTO procedure_channel (version_id, channel, time_unit, "
				   "time_minutes, time_text, fee, fee_text) VALUES (?, ?, ?, ?, ?, "
				   "?, ?)");
		if (!st)
			return db_fail(db, e);
		db_bind_int(st, 1, version_id);
		db_bind_int(st, 2, ch);
		bind_opt_text(st, 3, k->time_unit);
		bind_opt_int(st, 4, k->time_minutes, PROC_UNKNOWN);
		bind_opt_text(st, 5, k->time_text);
		bind_opt_int(st, 6, k->fee, PROC_UNKNOWN);
		bind_opt_text(st, 7, k->fee_text);
		int rc = db_step(st);
		db_reset(st);
		if (rc != DB_DONE)
			return db_fail(db, e);
	}
	for (size_t i = 0; i < in->ncases; i++) {
		const struct proc_case *k = &in->cases[i];
		struct db_stmt *st = db_prepare(db, "INSERT INTO procedure_case (version_id, seq, "
						    "name) VALUES (?, ?, ?) RETURNING id");
		if (!st)
			return db_fail(db, e);
		db_bind_int(st, 1, version_id);
		db_bind_int(st, 2, (int64_t)i + 1);
		db_bind_text(st, 3, k->name);
		int64_t case_id = 0;
		int rc = db_step(st);
		if (rc == DB_ROW)
			case_id = db_col_int(st, 0);
		db_reset(st);
		if (rc != DB_ROW)
			return db_fail(db, e);
		for (size_t j = 0; j < k->ncomponents; j++) {
			const struct proc_component *m = &k->components[j];
			st = db_prepare(db,
					"INSERT INTO procedure_component (case_id, seq, grp, name, "
					"form, originals, copies, required, has_eform) VALUES "
					"(?, ?, ?, ?, ?, ?, ?, ?, ?)");
			if (!st)
				return db_fail(db, e);
			db_bind_int(st, 1, case_id);
			db_bind_int(st, 2, (int64_t)j + 1);
			bind_opt_text(st, 3, m->group);
			db_bind_text(st, 4, m->name);
			bind_opt_text(st, 5, m->form);
			db_bind_int(st, 6, m->originals);
			db_bind_int(st, 7, m->copies);
			db_bind_int(st, 8, m->required != 0);
			db_bind_int(st, 9, m->has_eform != 0);
			rc = db_step(st);
			db_reset(st);
			if (rc != DB_DONE)
				return db_fail(db, e);
		}
		for (size_t j = 0; j < k->nsteps; j++) {
			const struct proc_step *s = &k->steps[j];
			st =
			    db_prepare(db, "INSERT INTO procedure_step (case_id, seq, name, role, "
					   "unit_kind, unit_id, minutes) VALUES (?, ?, ?, ?, ?, ?, "
					   "?)");
			if (!st)
				return db_fail(db, e);
			db_bind_int(st, 1, case_id);
			db_bind_int(st, 2, (int64_t)j + 1);
			db_bind_text(st, 3, s->name);
			db_bind_text(st, 4, s->role);
			bind_opt_text(st, 5, s->unit_kind);
			bind_opt_int(st, 6, s->unit_id, 0);
			db_bind_int(st, 7, s->minutes);
			rc = db_step(st);
			db_reset(st);
			if (rc != DB_DONE)
				return db_fail(db, e);
		}
	}
	return 0;
}

/* The search row of the version in force, and its full-text index entry. */
static int
put_search(const struct ctx *c, int64_t procedure_id, const struct proc_version *in, struct err *e)
{
	struct arena *a = c->arena;
	struct buf body = BUF_INIT(1 << 20);
	buf_addf(&body, "%s %s %s %s %s %s", in->code, opt(in->competent_agency),
		 opt(in->executing_agency), opt(in->subjects), opt(in->result), opt(in->kind));
	for (size_t i = 0; i < in->ncases; i++) {
		buf_addf(&body, " %s", in->cases[i].name);
		for (size_t j = 0; j < in->cases[i].ncomponents && body.len < 6000; j++)
			buf_addf(&body, " %s", in->cases[i].components[j].name);
	}
	int nwords;
	char *name_key = proc_words_key(a, in->name, 4000, &nwords);
	if (strncmp(name_key, " thu tuc ", 9) == 0)
		nwords -= 2;
	char *field_key = proc_words_key(a, in->field_name, 1000, NULL);
	char *body_key = proc_words_key(a, body.data, 8000, NULL);
	char *agency =
	    arena_printf(a, "%s %s", opt(in->competent_agency), opt(in->executing_agency));
	char *agency_key = proc_words_key(a, agency, 4000, NULL);
	buf_release(&body);
	char *levels = arena_printf(a, " %s ", opt(in->level));

	struct db_stmt *st =
	    db_prepare(c->db, "DELETE FROM procedure_search WHERE procedure_id = ?");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, procedure_id);
	int rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(c->db, e);
	st = db_prepare(c->db,
			"INSERT INTO procedure_search (procedure_id, code, name, name_key, "
			"field_key, body_key, name_words, field_code, levels, online_mode, "
			"agency_key, competent_unit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
			"?, ?)");
	if (!st)
		return db_fail(c->db, e);
	db_bind_int(st, 1, procedure_id);
	db_bind_text(st, 2, in->code);
	db_bind_text(st, 3, in->name);
	db_bind_text(st, 4, name_key);
	db_bind_text(st, 5, field_key);
	db_bind_text(st, 6, body_key);
	db_bind_int(st, 7, nwords);
	db_bind_text(st, 8, in->field_code);
	db_bind_text(st, 9, levels);
	db_bind_text(st, 10, in->online_mode);
	db_bind_text(st, 11, agency_key);
	bind_opt_int(st, 12, in->competent_unit_id, 0);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(c->db, e);
	if (fts_put(c->db, procedure_id, name_key, field_key, body_key) < 0)
		return db_fail(c->db, e);
	st = db_prepare(c->db,
			"UPDATE catalogue_state SET generation = generation + 1 WHERE id = 1");
	if (!st)
		return db_fail(c->db, e);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : db_fail(c->db, e);
}

/* Overlay the non-NULL fields of a partial record (a list row) on the version in force. */
static void
merge_partial(struct proc_version *cur, const struct proc_version *in)
{
	if (in->name)
		cur->name = in->name;
	if (in->field_code)
		cur->field_code = in->field_code;
	if (in->field_name)
		cur->field_name = in->field_name;
	if (in->level && *in->level)
		cur->level = in->level;
	if (in->kind)
		cur->kind = in->kind;
	if (in->competent_agency)
		cur->competent_agency = in->competent_agency;
	if (in->executing_agency)
		cur->executing_agency = in->executing_agency;
	if (in->decision)
		cur->decision = in->decision;
	if (in->source)
		cur->source = in->source;
	if (in->source_url)
		cur->source_url = in->source_url;
	cur->effective_from = in->effective_from;
	cur->note = in->note;
}

static int
save_tx(struct db *db, void *arg, struct err *e)
{
	struct save_args *a = arg;
	const struct ctx *c = a->c;
	struct proc_version *in = a->in;
	struct proc_save_result *res = a->res;
	int64_t pid = 0, cur_vid = 0;
	int versions = 0;
	struct db_stmt *st =
	    db_prepare(db, "SELECT id, COALESCE(current_version_id, 0), versions FROM procedure "
			   "WHERE code = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_text(st, 1, in->code);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		pid = db_col_int(st, 0);
		cur_vid = db_col_int(st, 1);
		versions = (int)db_col_int(st, 2);
	}
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_fail(db, e);

	struct proc_version cur;
	if (cur_vid) {
		if (procedure_load_version(c, cur_vid, &cur, e) < 0)
			return -1;
		if (a->flags & PROC_SAVE_PARTIAL) {
			merge_partial(&cur, in);
			int64_t fid;
			if (field_resolve(c, cur.field_code, cur.field_name, &fid, &cur.field_code,
					  &cur.field_name, e) < 0)
				return -1;
			a->field_id = fid;
			cur.version_id = 0;
			/* the merged record is the new content; re-read the old one to compare */
			struct proc_version old;
			if (procedure_load_version(c, cur_vid, &old, e) < 0)
				return -1;
			*in = cur;
			cur = old;
		}
	}
	if (cur_vid && (a->flags & PROC_SAVE_KEEP_LOCAL) && !(a->flags & PROC_SAVE_PARTIAL)) {
		if (!in->competent_unit_id)
			in->competent_unit_id = cur.competent_unit_id;
		if (!in->non_territorial)
			in->non_territorial = cur.non_territorial;
		if (in->cutoff_minute < 0)
			in->cutoff_minute = cur.cutoff_minute;
		int kept = 0;
		for (size_t i = 0; i < in->ncases && i < cur.ncases; i++)
			if (in->cases[i].nsteps == 0 && cur.cases[i].nsteps > 0) {
				in->cases[i].steps = cur.cases[i].steps;
				in->cases[i].nsteps = cur.cases[i].nsteps;
				kept = 1;
			}
		if (kept && check_cases(c, in, e) < 0)
			return -1;
	}
	char hash[CRYPTO_SHA256_HEX];
	content_hash(in, hash);
	if (cur_vid) {
		st = db_prepare(db, "SELECT content_hash FROM procedure_version WHERE id = ?");
		if (!st)
			return db_fail(db, e);
		db_bind_int(st, 1, cur_vid);
		int same = 0;
		if ((rc = db_step(st)) == DB_ROW)
			same = strcmp(db_col_text(st, 0), hash) == 0;
		db_reset(st);
		if (rc != DB_ROW)
			return db_fail(db, e);
		res->procedure_id = pid;
		if (same) {
			res->outcome = PROC_UNCHANGED;
			res->version_id = cur_vid;
			res->version = versions;
			return 0;
		}
		struct changes ch = {c, NULL, 0, 0};
		diff_versions(&ch, &cur, in);
		res->changes = ch.v;
		res->nchanges = ch.n;
		res->outcome = PROC_UPDATED;
	} else {
		res->outcome = PROC_ADDED;
	}
	res->version = versions + 1;
	if (a->flags & PROC_SAVE_DRY_RUN)
		return 0;

	if (!pid) {
		st =
		    db_prepare(db, "INSERT INTO procedure (code, versions, created_at, updated_at) "
				   "VALUES (?, 0, ?, ?) RETURNING id");
		if (!st)
			return db_fail(db, e);
		db_bind_text(st, 1, in->code);
		db_bind_int(st, 2, c->now);
		db_bind_int(st, 3, c->now);
		if ((rc = db_step(st)) == DB_ROW)
			pid = db_col_int(st, 0);
		db_reset(st);
		if (rc != DB_ROW) {
			if (db_err_is_unique(db))
				return err_set(e, ERR_CONFLICT, "code",
					       "Mã thủ tục vừa được tạo bởi yêu cầu khác",
					       "the procedure code was just created by another "
					       "request");
			return db_fail(db, e);
		}
	}
	st = db_prepare(
	    db,
	    "INSERT INTO procedure_version (procedure_id, version, name, field_id, levels, kind, "
	    "competent_agency, competent_unit_id, executing_agency, coordinating_agency, "
	    "subjects, legal_basis, decision, effective_from, result, result_paper, conditions, "
	    "steps_text, online_mode, non_territorial, cutoff_minute, source, source_url, note, "
	    "content_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	if (!st)
		return db_fail(db, e);
	char *levels = arena_printf(c->arena, " %s ", opt(in->level));
	db_bind_int(st, 1, pid);
	db_bind_int(st, 2, res->version);
	db_bind_text(st, 3, in->name);
	db_bind_int(st, 4, a->field_id);
	db_bind_text(st, 5, levels);
	bind_opt_text(st, 6, in->kind);
	bind_opt_text(st, 7, in->competent_agency);
	bind_opt_int(st, 8, in->competent_unit_id, 0);
	bind_opt_text(st, 9, in->executing_agency);
	bind_opt_text(st, 10, in->coordinating_agency);
	bind_opt_text(st, 11, in->subjects);
	bind_opt_text(st, 12, in->legal_basis);
	bind_opt_text(st, 13, in->decision);
	db_bind_text(st, 14, in->effective_from);
	bind_opt_text(st, 15, in->result);
	db_bind_int(st, 16, in->result_paper != 0);
	bind_opt_text(st, 17, in->conditions);
	bind_opt_text(st, 18, in->steps_text);
	db_bind_text(st, 19, in->online_mode);
	db_bind_int(st, 20, in->non_territorial != 0);
	bind_opt_int(st, 21, in->cutoff_minute, -1);
	db_bind_text(st, 22, in->source);
	bind_opt_text(st, 23, in->source_url);
	bind_opt_text(st, 24, in->note);
	db_bind_text(st, 25, hash);
	db_bind_int(st, 26, c->now);
	bind_opt_int(st, 27, c->actor ? c->actor->user_id : 0, 0);
	if ((rc = db_step(st)) == DB_ROW)
		res->version_id = db_col_int(st, 0);
	db_reset(st);
	if (rc != DB_ROW)
		return db_fail(db, e);
	if (insert_children(c, res->version_id, in, e) < 0)
		return -1;
	st = db_prepare(db, "UPDATE procedure SET current_version_id = ?, versions = ?, "
			    "updated_at = ? WHERE id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, res->version_id);
	db_bind_int(st, 2, res->version);
	db_bind_int(st, 3, c->now);
	db_bind_int(st, 4, pid);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(db, e);
	res->procedure_id = pid;
	if (put_search(c, pid, in, e) < 0)
		return -1;
	struct buf d = BUF_INIT(4096);
	buf_addf(&d, "version=%d source=%s", res->version, in->source);
	for (size_t i = 0; i < res->nchanges && d.len < 3000; i++)
		buf_addf(&d, "%s%s", i ? "," : " changed=", res->changes[i].path);
	int arc =
	    audit_append(c, res->outcome == PROC_ADDED ? "procedure.create" : "procedure.version",
			 "procedure", in->code, d.data, e);
	buf_release(&d);
	return arc;
}

int
procedure_save(const struct ctx *c, const struct proc_version *in0, unsigned flags,
	       struct proc_save_result *res, struct err *e)
{
	memset(res, 0, sizeof(*res));
	res->outcome = PROC_REJECTED;
	if (authz_require(c, ROLE_ADMIN, 0, e) < 0)
		return -1;
	struct proc_version *in = arena_alloc(c->arena, sizeof(*in));
	*in = *in0;
	/* defaults */
	if (!in->source)
		in->source = "api";
	if (!in->effective_from) {
		char today[16];
		civil_format_date(civil_day_of_epoch(c->now), today);
		in->effective_from = arena_strdup(c->arena, today);
	}
	if (!in->level)
		in->level = "";
	if (!in->online_mode)
		in->online_mode = in->channels[CHANNEL_ONLINE].offered ? "partial" : "none";
	if (in->ncases == 0 && !(flags & PROC_SAVE_PARTIAL)) {
		in->cases = arena_zalloc(c->arena, sizeof(*in->cases));
		in->cases[0].name = "Trường hợp chung";
		in->ncases = 1;
	}
	if (!(flags & PROC_SAVE_PARTIAL) || (in->name && in->field_code) ||
	    (in->name && in->field_name)) {
		/* a whole record (or a list row that could start a new procedure) */
		if (validate(c, in, e) < 0)
			return -1;
	} else if (!proc_code_valid(in->code)) {
		return validate(c, in, e);
	}
	int64_t field_id = 0;
	if (in->field_code || in->field_name || !(flags & PROC_SAVE_PARTIAL)) {
		if (field_resolve(c, in->field_code, in->field_name, &field_id, &in->field_code,
				  &in->field_name, e) < 0)
			return -1;
	}
	if (flags & PROC_SAVE_PARTIAL) {
		/* a list row for a procedure we do not have yet becomes a whole record */
		struct proc_version probe;
		struct err pe = ERR_INIT;
		if (procedure_load(c, in->code, 0, &probe, &pe) < 0) {
			if (pe.code != ERR_NOT_FOUND) {
				*e = pe;
				return -1;
			}
			flags &= ~PROC_SAVE_PARTIAL;
			if (in->ncases == 0) {
				in->cases = arena_zalloc(c->arena, sizeof(*in->cases));
				in->cases[0].name = "Trường hợp chung";
				in->ncases = 1;
			}
			if (validate(c, in, e) < 0)
				return -1;
			if (!field_id)
				return err_set(e, ERR_VALIDATION, "field_code", "Thiếu lĩnh vực",
					       "the field is missing");
		}
	}
	struct save_args a = {c, in, field_id, flags, res};
	if (flags & PROC_SAVE_DRY_RUN) {
		/* classify only: a transaction that always rolls back */
		if (db_begin(c->db) < 0)
			return db_fail(c->db, e);
		int rc = save_tx(c->db, &a, e);
		db_rollback(c->db);
		if (rc < 0)
			res->outcome = PROC_REJECTED;
		return rc;
	}
	if (db_tx(c->db, save_tx, &a, e) < 0) {
		res->outcome = PROC_REJECTED;
		return -1;
	}
	return 0;
}
