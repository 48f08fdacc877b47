/*
 * import.c: bulk import of the catalogue (see import.h). Each format becomes struct
 * proc_version records; procedure_save validates and writes each in its own transaction.
 */
#include "api/import.h"
#include "api/catalogue_json.h"
#include "api/validate.h"
#include "api/xlsx.h"
#include "core/buf.h"
#include "core/embed.h"
#include "core/text.h"
#include "domain/tthc_parse.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define IMPORT_FILE_MAX	   (256u << 20) /* the largest file import_path reads */
#define IMPORT_RECORDS_MAX 100000

/* ---- the report ---- */

static struct import_line *
report_add(const struct ctx *c, struct import_report *rep, const char *file, int index,
	   const char *code, const char *name)
{
	if (rep->n == rep->cap) {
		size_t cap = rep->cap ? 2 * rep->cap : 64;
		struct import_line *nv = arena_alloc(c->arena, cap * sizeof(*nv));
		if (rep->n)
			memcpy(nv, rep->lines, rep->n * sizeof(*nv));
		rep->lines = nv;
		rep->cap = cap;
	}
	struct import_line *l = &rep->lines[rep->n++];
	memset(l, 0, sizeof(*l));
	l->file = file;
	l->index = index;
	l->code = code ? arena_strdup(c->arena, code) : NULL;
	l->name = name ? arena_strdup(c->arena, name) : NULL;
	l->outcome = PROC_REJECTED;
	return l;
}

static size_t
report_add_index(const struct ctx *c, struct import_report *rep, const char *file, int index,
		 const char *code, const char *name)
{
	report_add(c, rep, file, index, code, name);
	return rep->n - 1;
}

static void
reject(const struct ctx *c, struct import_report *rep, struct import_line *l, const struct err *e)
{
	l->outcome = PROC_REJECTED;
	l->field = e->field[0] ? arena_strdup(c->arena, e->field) : NULL;
	l->reason = arena_strdup(c->arena, e->message_en);
	l->reason_vi = arena_strdup(c->arena, e->message_vi);
	rep->counts[PROC_REJECTED]++;
}

static int
file_error(const struct ctx *c, struct import_report *rep, const char *file, struct err *e)
{
	struct import_line *l = report_add(c, rep, file, 0, NULL, NULL);
	reject(c, rep, l, e);
	rep->file_errors++;
	return -1;
}

/* Save one record and note the outcome. */
static void
save_record(const struct ctx *c, struct import_report *rep, struct import_line *l,
	    struct proc_version *v, unsigned flags)
{
	struct err e = ERR_INIT;
	struct proc_save_result res;
	if (rep->dry_run)
		flags |= PROC_SAVE_DRY_RUN;
	if (procedure_save(c, v, flags, &res, &e) < 0) {
		reject(c, rep, l, &e);
		return;
	}
	l->outcome = res.outcome;
	l->version = res.version;
	l->changes = res.changes;
	l->nchanges = res.nchanges;
	rep->counts[res.outcome]++;
}

/* ---- text helpers ---- */

/* s in NFC with blanks tidied (NULL for empty and "Không có thông tin"). */
static const char *
clean(const struct ctx *c, const char *s)
{
	if (!s)
		return NULL;
	struct buf b = BUF_INIT(16u << 20);
	const char *r = NULL;
	if (text_nfc(s, &b) == 0 && b.data)
		r = tthc_clean(b.data, c->arena);
	buf_release(&b);
	return r;
}

static const char *
levels_text(const struct ctx *c, unsigned mask)
{
	struct buf b = BUF_INIT(128);
	for (int l = 0; l < TTHC_LEVEL__MAX; l++)
		if (mask & (1u << l))
			buf_addf(&b, "%s%s", b.len ? " " : "", tthc_level_name((enum tthc_level)l));
	const char *r = arena_strdup(c->arena, b.data ? b.data : "");
	buf_release(&b);
	return r;
}

static int
mentions(const struct ctx *c, const char *text, const char *folded_phrase)
{
	if (!text)
		return 0;
	struct buf b = BUF_INIT(16u << 20);
	int found = text_fold(text, &b) == 0 && b.data && strstr(b.data, folded_phrase);
	buf_release(&b);
	(void)c;
	return found;
}

/* ---- the national TTHC database's records ---- */

static const char *
jget(json_t *o, const char *key, int *bad)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

static int
national_record(const struct ctx *c, json_t *r, struct proc_version *v, struct err *e)
{
	memset(v, 0, sizeof(*v));
	v->cutoff_minute = -1;
	int bad = 0;
	static const char *const keys[] = {"ma_thu_tuc", "ten_thu_tuc", "linh_vuc",
					   "cach_thuc_thuc_hien"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *x = json_object_get(r, keys[i]);
		if (!x || !json_is_string(x))
			return err_setf(e, ERR_VALIDATION, keys[i],
					"Thiếu trường %s hoặc không phải chuỗi",
					"%s is missing or not a string", keys[i]);
	}
	v->code = clean(c, jget(r, "ma_thu_tuc", &bad));
	v->name = clean(c, jget(r, "ten_thu_tuc", &bad));
	v->field_name = clean(c, jget(r, "linh_vuc", &bad));
	v->level = levels_text(c, tthc_parse_levels(jget(r, "cap_thuc_hien", &bad)));
	v->kind = clean(c, jget(r, "loai_thu_tuc", &bad));
	const char *exec = clean(c, jget(r, "co_quan_thuc_hien", &bad));
	const char *comp = clean(c, jget(r, "co_quan_co_tham_quyen", &bad));
	/* co_quan_thuc_hien is often "no information": the competent agency executes then */
	v->executing_agency = exec ? exec : comp;
	v->competent_agency = comp ? comp : exec;
	v->coordinating_agency = clean(c, jget(r, "co_quan_phoi_hop", &bad));
	v->subjects = clean(c, jget(r, "doi_tuong_thuc_hien", &bad));
	v->legal_basis = clean(
	    c, tthc_strip_prefix(jget(r, "can_cu_phap_ly", &bad), "Tên văn bản pháp lýMã văn bản"));
	v->decision = clean(c, jget(r, "so_quyet_dinh", &bad));
	const char *result = clean(c, jget(r, "ket_qua_xu_ly", &bad));
	v->result = result ? clean(c, tthc_parse_results(result, c->arena)) : NULL;
	v->result_paper = 1;
	v->conditions = clean(c, jget(r, "yeu_cau_dieu_kien", &bad));
	v->steps_text = clean(c, jget(r, "trinh_tu_thuc_hien", &bad));
	v->source = "national";
	v->source_url = clean(c, jget(r, "detail_url", &bad));
	if (bad)
		return err_set(e, ERR_VALIDATION, "record", "Bản ghi có trường không phải chuỗi",
			       "a field of the record is not a string");
	if (!v->code)
		return err_set(e, ERR_VALIDATION, "ma_thu_tuc", "Thiếu mã thủ tục",
			       "ma_thu_tuc is empty");

	/* the channel table */
	struct buf nfc = BUF_INIT(16u << 20);
	const char *how = jget(r, "cach_thuc_thuc_hien", &bad), *why = "";
	struct tthc_channel_row rows[4];
	int nrows = -1;
	if (text_nfc(how, &nfc) == 0)
		nrows = tthc_parse_channels(nfc.data ? nfc.data : "", c->arena, rows, &why);
	buf_release(&nfc);
	if (nrows < 0)
		return err_setf(e, ERR_VALIDATION, "cach_thuc_thuc_hien",
				"Không đọc được bảng cách thức thực hiện: %s",
				"cannot read the channel table: %s", why);
	if (nrows == 0)
		return err_set(e, ERR_VALIDATION, "cach_thuc_thuc_hien",
			       "Bảng cách thức thực hiện không có kênh nộp hồ sơ nào",
			       "the channel table names no channel");
	for (int ch = 1; ch <= 3; ch++) {
		struct proc_channel *k = &v->channels[ch];
		k->offered = rows[ch].offered;
		k->time_unit = tthc_unit_name(rows[ch].unit);
		k->time_minutes = rows[ch].minutes;
		k->time_text = clean(c, rows[ch].time_text);
		k->fee = rows[ch].fee;
		k->fee_text = clean(c, rows[ch].fee_text);
	}
	const char *steps = v->steps_text;
	if (v->channels[CHANNEL_ONLINE].offered)
		v->online_mode = mentions(c, how, "toan trinh") || mentions(c, steps, "toan trinh")
				     ? "full"
				     : "partial";
	else
		v->online_mode = "none";
	v->cutoff_minute = tthc_parse_cutoff(steps);

	/* the component table: one case */
	nfc = (struct buf)BUF_INIT(16u << 20);
	const char *comp_text = jget(r, "thanh_phan_ho_so", &bad);
	struct tthc_component *tc = NULL;
	int nc = 0;
	if (comp_text && text_nfc(comp_text, &nfc) == 0)
		nc = tthc_parse_components(nfc.data ? nfc.data : "", c->arena, &tc, &why);
	buf_release(&nfc);
	if (nc < 0)
		return err_setf(e, ERR_VALIDATION, "thanh_phan_ho_so",
				"Không đọc được bảng thành phần hồ sơ: %s",
				"cannot read the component table: %s", why);
	v->ncases = 1;
	v->cases = arena_zalloc(c->arena, sizeof(*v->cases));
	v->cases[0].name = "Trường hợp chung";
	v->cases[0].ncomponents = (size_t)nc;
	v->cases[0].components =
	    arena_zalloc(c->arena, ((size_t)nc + 1) * sizeof(struct proc_component));
	for (int i = 0; i < nc; i++) {
		struct proc_component *m = &v->cases[0].components[i];
		m->name = clean(c, tc[i].name);
		if (!m->name)
			m->name = tc[i].name;
		m->group = tc[i].group;
		m->form = tc[i].form;
		m->originals = tc[i].originals;
		m->copies = tc[i].copies;
		m->required = tc[i].required;
		m->has_eform = tc[i].form != NULL;
	}
	return 0;
}

/* ---- JSON files ---- */

static int
our_record(const struct ctx *c, json_t *r, struct proc_version *v, struct err *e)
{
	if (validate_object(r, procedure_schema, "", e) < 0)
		return -1;
	return proc_from_json(c, r, v, e);
}

struct pending {
	size_t line; /* index into rep->lines (which moves as it grows) */
	struct proc_version v;
	unsigned flags;
	int ok;
};

/* Reject every record whose code appears more than once, then save the others in order. */
static void
save_all(const struct ctx *c, struct import_report *rep, struct pending *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!p[i].ok || !p[i].v.code)
			continue;
		int dup = 0;
		for (size_t j = 0; j < n; j++)
			if (j != i && p[j].v.code && strcmp(p[j].v.code, p[i].v.code) == 0) {
				struct err e = ERR_INIT;
				err_setf(&e, ERR_VALIDATION, "code",
					 "Mã thủ tục %s xuất hiện nhiều lần trong tệp (bản ghi %d "
					 "và %d)",
					 "code %s appears more than once in the file (records %d "
					 "and %d)",
					 p[i].v.code, rep->lines[p[i].line].index,
					 rep->lines[p[j].line].index);
				reject(c, rep, &rep->lines[p[i].line], &e);
				p[i].ok = 0;
				dup = 1;
				break;
			}
		if (!dup) {
			save_record(c, rep, &rep->lines[p[i].line], &p[i].v, p[i].flags);
		}
	}
}

static int
import_json(const struct ctx *c, const char *file, const char *data, size_t len,
	    struct import_report *rep, struct err *e)
{
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		err_setf(e, ERR_VALIDATION, "file", "JSON không hợp lệ (dòng %d, cột %d): %s",
			 "malformed JSON (line %d, column %d): %s", je.line, je.column, je.text);
		return file_error(c, rep, file, e);
	}
	if (json_depth(root) > JSON_MAX_DEPTH + 2) {
		json_decref(root);
		err_set(e, ERR_VALIDATION, "file", "JSON lồng nhau quá sâu",
			"JSON nested too deeply");
		return file_error(c, rep, file, e);
	}
	json_t *items = root;
	if (json_is_object(root) && json_is_array(json_object_get(root, "items")))
		items = json_object_get(root, "items");
	size_t n = json_is_array(items) ? json_array_size(items) : 1;
	if (n > IMPORT_RECORDS_MAX) {
		json_decref(root);
		err_set(e, ERR_TOO_LARGE, "file", "Quá nhiều bản ghi trong một tệp",
			"too many records in one file");
		return file_error(c, rep, file, e);
	}
	struct pending *p = arena_zalloc(c->arena, (n + 1) * sizeof(*p));
	for (size_t i = 0; i < n; i++) {
		json_t *r = json_is_array(items) ? json_array_get(items, i) : items;
		struct err re = ERR_INIT;
		int national = json_is_object(r) && json_object_get(r, "ma_thu_tuc");
		const char *code = national ? json_string_value(json_object_get(r, "ma_thu_tuc"))
					    : json_string_value(json_object_get(r, "code"));
		const char *name = national ? json_string_value(json_object_get(r, "ten_thu_tuc"))
					    : json_string_value(json_object_get(r, "name"));
		p[i].line = report_add_index(c, rep, file, (int)i + 1, code, name);
		int rc;
		if (!json_is_object(r))
			rc = err_set(&re, ERR_VALIDATION, "record",
				     "Bản ghi phải là một đối tượng JSON",
				     "a record must be a JSON object");
		else if (national)
			rc = national_record(c, r, &p[i].v, &re);
		else
			rc = our_record(c, r, &p[i].v, &re);
		if (rc < 0) {
			reject(c, rep, &rep->lines[p[i].line], &re);
			continue;
		}
		/* strings of our records point into the JSON: keep them in the arena */
		if (!national) {
			struct proc_version *v = &p[i].v;
			const char **strs[] = {&v->code,
					       &v->name,
					       &v->field_code,
					       &v->kind,
					       &v->competent_agency,
					       &v->executing_agency,
					       &v->coordinating_agency,
					       &v->subjects,
					       &v->legal_basis,
					       &v->decision,
					       &v->effective_from,
					       &v->result,
					       &v->conditions,
					       &v->steps_text,
					       &v->online_mode,
					       &v->source,
					       &v->source_url,
					       &v->note};
			for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++)
				*strs[k] = arena_strdup(c->arena, *strs[k]);
			for (int ch = 1; ch <= 3; ch++) {
				struct proc_channel *k = &v->channels[ch];
				k->time_unit = arena_strdup(c->arena, k->time_unit);
				k->time_text = arena_strdup(c->arena, k->time_text);
				k->fee_text = arena_strdup(c->arena, k->fee_text);
			}
			for (size_t k = 0; k < v->ncases; k++) {
				struct proc_case *pc = &v->cases[k];
				pc->name = arena_strdup(c->arena, pc->name);
				for (size_t j = 0; j < pc->ncomponents; j++) {
					pc->components[j].name =
					    arena_strdup(c->arena, pc->components[j].name);
					pc->components[j].group =
					    arena_strdup(c->arena, pc->components[j].group);
					pc->components[j].form =
					    arena_strdup(c->arena, pc->components[j].form);
				}
				for (size_t j = 0; j < pc->nsteps; j++) {
					pc->steps[j].name =
					    arena_strdup(c->arena, pc->steps[j].name);
					pc->steps[j].role =
					    arena_strdup(c->arena, pc->steps[j].role);
					pc->steps[j].unit_kind =
					    arena_strdup(c->arena, pc->steps[j].unit_kind);
				}
			}
		}
		if (national)
			p[i].flags = PROC_SAVE_KEEP_LOCAL;
		p[i].ok = 1;
	}
	json_decref(root);
	save_all(c, rep, p, n);
	return 0;
}

/* ---- CSV ---- */

struct csv {
	char ***rows; /* rows of NUL-terminated fields */
	int *nfields;
	int *line; /* the line each row starts on */
	size_t n;
};

/* RFC 4180 with either ',' or ';' (chosen by the header line). */
static int
csv_parse(const struct ctx *c, const char *s, size_t len, struct csv *out, struct err *e)
{
	size_t hl = strcspn(s, "\n");
	char sep = memchr(s, ',', hl) ? ',' : (memchr(s, ';', hl) ? ';' : ',');
	size_t cap = 64;
	out->rows = arena_alloc(c->arena, cap * sizeof(*out->rows));
	out->nfields = arena_alloc(c->arena, cap * sizeof(int));
	out->line = arena_alloc(c->arena, cap * sizeof(int));
	out->n = 0;
	size_t i = 0;
	int line = 1;
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3; /* a byte order mark */
	struct buf field = BUF_INIT(1u << 20);
	while (i < len) {
		char **fields = arena_alloc(c->arena, 64 * sizeof(char *));
		int nf = 0, start_line = line, end_of_row = 0;
		while (!end_of_row) {
			buf_reset(&field);
			int quoted = i < len && s[i] == '"';
			if (quoted) {
				i++;
				for (;;) {
					if (i >= len) {
						buf_release(&field);
						return err_setf(
						    e, ERR_VALIDATION, "file",
						    "CSV: dấu ngoặc kép không đóng (từ dòng %d)",
						    "CSV: unterminated quoted field (from line %d)",
						    start_line);
					}
					if (s[i] == '"' && i + 1 < len && s[i + 1] == '"') {
						buf_addc(&field, '"');
						i += 2;
					} else if (s[i] == '"') {
						i++;
						break;
					} else {
						line += s[i] == '\n';
						buf_addc(&field, s[i++]);
					}
				}
			}
			while (i < len && s[i] != sep && s[i] != '\n' && s[i] != '\r')
				buf_addc(&field, s[i++]);
			if (field.overflow) {
				buf_release(&field);
				return err_setf(e, ERR_TOO_LARGE, "file",
						"CSV: ô quá lớn ở dòng %d",
						"CSV: field too large on line %d", start_line);
			}
			if (nf >= 64) {
				buf_release(&field);
				return err_setf(e, ERR_VALIDATION, "file",
						"CSV: quá nhiều cột ở dòng %d",
						"CSV: too many columns on line %d", start_line);
			}
			fields[nf++] = arena_strdup(c->arena, field.data ? field.data : "");
			if (i < len && s[i] == sep) {
				i++;
				continue;
			}
			if (i < len && s[i] == '\r')
				i++;
			if (i < len && s[i] == '\n') {
				i++;
				line++;
			}
			end_of_row = 1;
		}
		if (nf == 1 && !fields[0][0])
			continue; /* a blank line */
		if (out->n == cap) {
			size_t ncap = 2 * cap;
			char ***nr = arena_alloc(c->arena, ncap * sizeof(*nr));
			int *nn = arena_alloc(c->arena, ncap * sizeof(int));
			int *nl = arena_alloc(c->arena, ncap * sizeof(int));
			memcpy(nr, out->rows, out->n * sizeof(*nr));
			memcpy(nn, out->nfields, out->n * sizeof(int));
			memcpy(nl, out->line, out->n * sizeof(int));
			out->rows = nr;
			out->nfields = nn;
			out->line = nl;
			cap = ncap;
		}
		if (out->n >= IMPORT_RECORDS_MAX) {
			buf_release(&field);
			return err_set(e, ERR_TOO_LARGE, "file", "Quá nhiều dòng trong một tệp",
				       "too many rows in one file");
		}
		out->rows[out->n] = fields;
		out->nfields[out->n] = nf;
		out->line[out->n] = start_line;
		out->n++;
	}
	buf_release(&field);
	return 0;
}

enum csv_col {
	COL_CODE,
	COL_NAME,
	COL_FIELD,
	COL_LEVELS,
	COL_KIND,
	COL_COMPETENT,
	COL_EXECUTING,
	COL_COORDINATING,
	COL_SUBJECTS,
	COL_DECISION,
	COL_EFFECTIVE,
	COL_RESULT,
	COL_ONLINE_MODE,
	COL_NON_TERRITORIAL,
	COL_CUTOFF,
	COL_DIRECT_TIME,
	COL_DIRECT_FEE,
	COL_ONLINE_TIME,
	COL_ONLINE_FEE,
	COL_POSTAL_TIME,
	COL_POSTAL_FEE,
	COL_COMPONENTS,
	COL_LEGAL,
	COL_CONDITIONS,
	COL_NOTE,
	COL__MAX
};

static const char *const csv_cols[COL__MAX] = {
    "code",
    "name",
    "field_code",
    "levels",
    "kind",
    "competent_agency",
    "executing_agency",
    "coordinating_agency",
    "subjects",
    "decision",
    "effective_from",
    "result",
    "online_mode",
    "non_territorial",
    "cutoff",
    "direct_time",
    "direct_fee",
    "online_time",
    "online_fee",
    "postal_time",
    "postal_fee",
    "components",
    "legal_basis",
    "conditions",
    "note",
};

/* "Tờ khai (1 bản chính); Bản sao giấy tờ (1 bản sao)" -> components */
static void
csv_components(const struct ctx *c, const char *s, struct proc_case *k)
{
	size_t cap = 8;
	k->components = arena_zalloc(c->arena, cap * sizeof(*k->components));
	k->ncomponents = 0;
	while (s && *s) {
		size_t n = strcspn(s, ";\n");
		char *item = arena_strndup(c->arena, s, n);
		s += n;
		if (*s)
			s++;
		const char *name = clean(c, item);
		if (!name)
			continue;
		int orig = 1, copies = 0;
		char *paren = strrchr(name, '(');
		if (paren && strstr(paren, "bản")) {
			orig = 0;
			const char *p = paren + 1;
			while (*p) {
				char *end;
				long v = strtol(p, &end, 10);
				if (end == p) {
					p++;
					continue;
				}
				while (*end == ' ')
					end++;
				if (strncmp(end, "bản chính", strlen("bản chính")) == 0)
					orig = (int)v;
				else if (strncmp(end, "bản sao", strlen("bản sao")) == 0)
					copies = (int)v;
				p = end;
			}
			while (paren > name && paren[-1] == ' ')
				paren--;
			*paren = '\0';
		}
		if (k->ncomponents == cap) {
			struct proc_component *nv = arena_zalloc(c->arena, 2 * cap * sizeof(*nv));
			memcpy(nv, k->components, cap * sizeof(*nv));
			k->components = nv;
			cap *= 2;
		}
		struct proc_component *m = &k->components[k->ncomponents++];
		m->name = name;
		m->originals = orig;
		m->copies = copies;
		m->required = 1;
	}
}

static int
csv_channel(const struct ctx *c, const char *time, const char *fee, struct proc_channel *k,
	    const char *name, struct err *e)
{
	k->time_minutes = k->fee = PROC_UNKNOWN;
	time = clean(c, time);
	const char *fee_c = fee && *fee ? fee : NULL;
	if (!time && !fee_c) {
		k->offered = 0;
		return 0;
	}
	k->offered = 1;
	if (time) {
		enum tthc_unit u;
		int64_t m;
		if (tthc_duration(time, &u, &m) < 0)
			return err_setf(e, ERR_VALIDATION, name, "Không đọc được thời hạn “%s”",
					"cannot read the time '%s'", time);
		k->time_unit = tthc_unit_name(u);
		k->time_minutes = m;
		k->time_text = time;
	}
	if (fee_c) {
		int64_t f = tthc_fee(fee_c);
		k->fee = f == -2 ? -2 : f; /* negative: the service says so */
		k->fee_text = clean(c, fee_c);
	}
	return 0;
}

static int
csv_record(const struct ctx *c, char **f, int nf, const int *col, struct proc_version *v,
	   struct err *e)
{
	const char *cell[COL__MAX];
	for (int i = 0; i < COL__MAX; i++)
		cell[i] = col[i] >= 0 && col[i] < nf ? clean(c, f[col[i]]) : NULL;
	memset(v, 0, sizeof(*v));
	v->code = cell[COL_CODE];
	v->name = cell[COL_NAME];
	v->field_code = cell[COL_FIELD];
	v->level = levels_text(c, tthc_parse_levels(cell[COL_LEVELS]));
	if (cell[COL_LEVELS] && !*v->level)
		return err_setf(e, ERR_VALIDATION, "levels", "Cấp thực hiện “%s” không hợp lệ",
				"unknown level '%s'", cell[COL_LEVELS]);
	v->kind = cell[COL_KIND];
	v->competent_agency = cell[COL_COMPETENT];
	v->executing_agency = cell[COL_EXECUTING];
	v->coordinating_agency = cell[COL_COORDINATING];
	v->subjects = cell[COL_SUBJECTS];
	v->decision = cell[COL_DECISION];
	v->effective_from = cell[COL_EFFECTIVE];
	v->result = cell[COL_RESULT];
	v->result_paper = 1;
	v->online_mode = cell[COL_ONLINE_MODE];
	v->non_territorial =
	    cell[COL_NON_TERRITORIAL] && strchr("1yYtTcC", cell[COL_NON_TERRITORIAL][0]);
	v->legal_basis = cell[COL_LEGAL];
	v->conditions = cell[COL_CONDITIONS];
	v->note = cell[COL_NOTE];
	v->source = "csv";
	v->cutoff_minute = -1;
	if (cell[COL_CUTOFF]) {
		int h = 0, m = 0;
		if (sscanf(cell[COL_CUTOFF], "%d:%d", &h, &m) != 2 || h < 0 || h > 23 || m < 0 ||
		    m > 59)
			return err_set(e, ERR_VALIDATION, "cutoff", "Giờ chốt phải có dạng HH:MM",
				       "cutoff must be HH:MM");
		v->cutoff_minute = h * 60 + m;
	}
	static const struct {
		int ch, tcol, fcol;
		const char *name;
	} chans[] = {{CHANNEL_DIRECT, COL_DIRECT_TIME, COL_DIRECT_FEE, "direct_time"},
		     {CHANNEL_ONLINE, COL_ONLINE_TIME, COL_ONLINE_FEE, "online_time"},
		     {CHANNEL_POSTAL, COL_POSTAL_TIME, COL_POSTAL_FEE, "postal_time"}};
	for (size_t i = 0; i < 3; i++)
		if (csv_channel(c, cell[chans[i].tcol], cell[chans[i].fcol],
				&v->channels[chans[i].ch], chans[i].name, e) < 0)
			return -1;
	v->ncases = 1;
	v->cases = arena_zalloc(c->arena, sizeof(*v->cases));
	v->cases[0].name = "Trường hợp chung";
	csv_components(c, cell[COL_COMPONENTS], &v->cases[0]);
	return 0;
}

static int
import_csv(const struct ctx *c, const char *file, const char *data, size_t len,
	   struct import_report *rep, struct err *e)
{
	if (!text_utf8_valid(data, len)) {
		err_set(e, ERR_VALIDATION, "file", "Tệp CSV không phải UTF-8 hợp lệ",
			"the CSV file is not valid UTF-8");
		return file_error(c, rep, file, e);
	}
	struct csv t;
	if (csv_parse(c, data, len, &t, e) < 0)
		return file_error(c, rep, file, e);
	if (t.n == 0) {
		err_set(e, ERR_VALIDATION, "file", "Tệp CSV trống", "the CSV file is empty");
		return file_error(c, rep, file, e);
	}
	int col[COL__MAX];
	for (int i = 0; i < COL__MAX; i++)
		col[i] = -1;
	for (int j = 0; j < t.nfields[0]; j++) {
		const char *h = clean(c, t.rows[0][j]);
		int found = 0;
		for (int i = 0; h && i < COL__MAX; i++)
			if (strcasecmp(h, csv_cols[i]) == 0) {
				col[i] = j;
				found = 1;
			}
		if (!found) {
			err_setf(e, ERR_VALIDATION, "file", "CSV: cột “%s” không được hỗ trợ",
				 "CSV: unknown column '%s'", h ? h : "");
			return file_error(c, rep, file, e);
		}
	}
	if (col[COL_CODE] < 0 || col[COL_NAME] < 0 || col[COL_FIELD] < 0) {
		err_set(e, ERR_VALIDATION, "file", "CSV cần các cột code, name, field_code",
			"CSV needs the columns code, name and field_code");
		return file_error(c, rep, file, e);
	}
	struct pending *p = arena_zalloc(c->arena, t.n * sizeof(*p));
	for (size_t r = 1; r < t.n; r++) {
		char **f = t.rows[r];
		int nf = t.nfields[r];
		const char *code = col[COL_CODE] < nf ? f[col[COL_CODE]] : NULL;
		const char *name = col[COL_NAME] < nf ? f[col[COL_NAME]] : NULL;
		p[r].line = report_add_index(c, rep, file, t.line[r], code, name);
		struct err re = ERR_INIT;
		if (nf != t.nfields[0]) {
			err_setf(&re, ERR_VALIDATION, "row", "Dòng có %d cột, tiêu đề có %d",
				 "the row has %d columns, the header %d", nf, t.nfields[0]);
			reject(c, rep, &rep->lines[p[r].line], &re);
			continue;
		}
		if (csv_record(c, f, nf, col, &p[r].v, &re) < 0) {
			reject(c, rep, &rep->lines[p[r].line], &re);
			continue;
		}
		p[r].flags = PROC_SAVE_KEEP_LOCAL;
		p[r].ok = 1;
	}
	save_all(c, rep, p + 1, t.n - 1);
	return 0;
}

/* ---- the portal's xlsx list exports ---- */

static int
import_xlsx(const struct ctx *c, const char *file, const char *data, size_t len,
	    struct import_report *rep, struct err *e)
{
	struct xlsx_row *rows;
	size_t n;
	const char *why = "";
	if (xlsx_read(data, len, c->arena, &rows, &n, &why) < 0) {
		err_setf(e, ERR_VALIDATION, "file", "Không đọc được tệp xlsx: %s",
			 "cannot read the xlsx file: %s", why);
		return file_error(c, rep, file, e);
	}
	/* the header row: "Mã số | Tên | Cơ quan ban hành | Cơ quan thực hiện | Lĩnh vực" */
	size_t h = 0;
	while (h < n && !(rows[h].cells[0] && strcmp(rows[h].cells[0], "Mã số") == 0))
		h++;
	if (h == n || !rows[h].cells[1] || !rows[h].cells[4] ||
	    strcmp(rows[h].cells[1], "Tên") != 0 || strcmp(rows[h].cells[4], "Lĩnh vực") != 0) {
		err_set(
		    e, ERR_VALIDATION, "file",
		    "Không thấy hàng tiêu đề “Mã số | Tên | Cơ quan ban hành | Cơ quan thực hiện "
		    "| Lĩnh vực”",
		    "no header row 'Mã số | Tên | Cơ quan ban hành | Cơ quan thực hiện | Lĩnh "
		    "vực'");
		return file_error(c, rep, file, e);
	}
	struct pending *p = arena_zalloc(c->arena, (n + 1) * sizeof(*p));
	size_t np = 0;
	for (size_t r = h + 1; r < n; r++) {
		const char *const *cell = rows[r].cells;
		if (!cell[0] && !cell[1])
			continue;
		struct pending *q = &p[np++];
		q->line = report_add_index(c, rep, file, rows[r].number, clean(c, cell[0]),
					   clean(c, cell[1]));
		struct proc_version *v = &q->v;
		memset(v, 0, sizeof(*v));
		v->cutoff_minute = -1;
		v->code = clean(c, cell[0]);
		v->name = clean(c, cell[1]);
		v->field_name = clean(c, cell[4]);
		/* several agencies, one per line in the cell */
		const char *exec = clean(c, cell[3]);
		if (exec) {
			char *x = arena_strdup(c->arena, exec);
			for (char *s = x; *s; s++)
				if (*s == '\n')
					*s = ';';
			v->executing_agency = x;
		}
		v->source = "xlsx";
		q->flags = PROC_SAVE_PARTIAL;
		if (!v->code || !v->name || !v->field_name) {
			struct err re = ERR_INIT;
			err_set(&re, ERR_VALIDATION,
				!v->code   ? "code"
				: !v->name ? "name"
					   : "field",
				"Hàng thiếu mã số, tên hoặc lĩnh vực",
				"the row lacks its code, name or field");
			reject(c, rep, &rep->lines[q->line], &re);
			continue;
		}
		q->ok = 1;
	}
	save_all(c, rep, p, np);
	return 0;
}

/* ---- entry points ---- */

int
import_buffer(const struct ctx *c, const char *file, const char *data, size_t len, int dry_run,
	      struct import_report *rep, struct err *e)
{
	rep->dry_run = dry_run;
	rep->files++;
	file = arena_strdup(c->arena, file ? file : "");
	if (field_sync(c, e) < 0)
		return -1;
	if (xlsx_is(data, len))
		return import_xlsx(c, file, data, len, rep, e);
	size_t i = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)data[i]))
		i++;
	if (i < len && (data[i] == '[' || data[i] == '{'))
		return import_json(c, file, data + i, len - i, rep, e);
	if (i == len) {
		err_set(e, ERR_VALIDATION, "file", "Tệp trống", "the file is empty");
		return file_error(c, rep, file, e);
	}
	return import_csv(c, file, data, len, rep, e);
}

static int
read_file(const char *path, char **out, size_t *len, struct err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_setf(e, ERR_NOT_FOUND, "file", "Không mở được tệp %s: %s",
				"cannot open %s: %s", path, strerror(errno));
	struct buf b = BUF_INIT(IMPORT_FILE_MAX);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(&b, chunk, n) < 0)
			break;
	int failed = ferror(f) || b.overflow;
	fclose(f);
	if (failed) {
		buf_release(&b);
		return err_setf(e, ERR_TOO_LARGE, "file", "Không đọc được tệp %s (tối đa 256 MiB)",
				"cannot read %s (at most 256 MiB)", path);
	}
	*out = buf_detach(&b, len);
	if (!*out) {
		*out = calloc(1, 1);
		*len = 0;
	}
	return 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
wanted(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && ((n > 5 && strcmp(name + n - 5, ".json") == 0) ||
				  (n > 4 && strcmp(name + n - 4, ".csv") == 0) ||
				  (n > 5 && strcmp(name + n - 5, ".xlsx") == 0));
}

int
import_path(const struct ctx *c, const char *path, int dry_run, struct import_report *rep,
	    struct err *e)
{
	struct stat sb;
	rep->dry_run = dry_run;
	if (stat(path, &sb) < 0) {
		err_setf(e, ERR_NOT_FOUND, "file", "Không tìm thấy %s", "%s: no such file", path);
		rep->files++;
		return file_error(c, rep, arena_strdup(c->arena, path), e);
	}
	if (S_ISDIR(sb.st_mode)) {
		DIR *d = opendir(path);
		if (!d)
			return err_setf(e, ERR_NOT_FOUND, "file", "Không mở được thư mục %s",
					"cannot open the directory %s", path);
		size_t cap = 64, n = 0;
		char **names = malloc(cap * sizeof(*names));
		struct dirent *de;
		if (!names) {
			closedir(d);
			return err_set(e, ERR_INTERNAL, "", "Hết bộ nhớ", "out of memory");
		}
		while ((de = readdir(d))) {
			if (!wanted(de->d_name))
				continue;
			if (n == cap) {
				char **nn = realloc(names, 2 * cap * sizeof(*names));
				if (!nn)
					break;
				names = nn;
				cap *= 2;
			}
			names[n++] = arena_printf(c->arena, "%s/%s", path, de->d_name);
		}
		closedir(d);
		qsort(names, n, sizeof(*names), cmp_name);
		int rc = 0;
		for (size_t i = 0; i < n; i++) {
			struct err fe = ERR_INIT;
			if (import_path(c, names[i], dry_run, rep, &fe) < 0) {
				*e = fe;
				rc = -1;
			}
		}
		free(names);
		return rc;
	}
	char *data;
	size_t len;
	if (read_file(path, &data, &len, e) < 0) {
		rep->files++;
		return file_error(c, rep, arena_strdup(c->arena, path), e);
	}
	int rc = import_buffer(c, path, data, len, dry_run, rep, e);
	free(data);
	return rc;
}

int
import_seed(const struct ctx *c, struct import_report *rep, struct err *e)
{
	static const char prefix[] = "data/procedures/";
	int rc = 0;
	for (const struct embed_file *f = embed_files; f->name; f++) {
		size_t n = strlen(f->name);
		if (strncmp(f->name, prefix, sizeof(prefix) - 1) != 0 || n < 5 ||
		    strcmp(f->name + n - 5, ".json") != 0)
			continue;
		struct err fe = ERR_INIT;
		size_t before = rep->n;
		if (import_buffer(c, f->name, (const char *)f->data, f->len, 0, rep, &fe) < 0) {
			*e = fe;
			rc = -1;
		}
		for (size_t i = before; i < rep->n; i++)
			if (rep->lines[i].outcome == PROC_REJECTED && rc == 0) {
				err_setf(e, ERR_VALIDATION,
					 rep->lines[i].field ? rep->lines[i].field : "",
					 "Danh mục mẫu %s, bản ghi %d (%s): %s",
					 "seed %s, record %d (%s): %s", f->name,
					 rep->lines[i].index,
					 rep->lines[i].code ? rep->lines[i].code : "?",
					 rep->lines[i].reason);
				rc = -1;
			}
	}
	return rc;
}

/* ---- printing the report ---- */

void
import_report_print(const struct import_report *rep, FILE *out, int verbose)
{
	for (size_t i = 0; i < rep->n; i++) {
		const struct import_line *l = &rep->lines[i];
		if (!verbose && (l->outcome == PROC_UNCHANGED || l->outcome == PROC_ADDED))
			continue;
		fprintf(out, "%-9s %s#%d %s", proc_outcome_name(l->outcome), l->file, l->index,
			l->code ? l->code : "-");
		if (l->outcome == PROC_REJECTED)
			fprintf(out, "  %s%s%s", l->field ? l->field : "", l->field ? ": " : "",
				l->reason);
		else if (l->outcome != PROC_UNCHANGED)
			fprintf(out, "  version %d", l->version);
		fputc('\n', out);
		for (size_t j = 0; j < l->nchanges && l->outcome == PROC_UPDATED; j++) {
			const struct proc_change *ch = &l->changes[j];
			int shortv = (!ch->from || strlen(ch->from) < 60) &&
				     (!ch->to || strlen(ch->to) < 60);
			if (shortv)
				fprintf(out, "          %s: %s -> %s", ch->path,
					ch->from ? ch->from : "-", ch->to ? ch->to : "-");
			else
				fprintf(out, "          %s: (text changed)", ch->path);
			if (!isnan(ch->change_pct))
				fprintf(out, " (%+.1f %%)", ch->change_pct);
			fputc('\n', out);
		}
	}
	fprintf(out, "%s: %zu added, %zu updated (new version), %zu unchanged, %zu rejected%s\n",
		rep->dry_run ? "would be" : "reconciliation", rep->counts[PROC_ADDED],
		rep->counts[PROC_UPDATED], rep->counts[PROC_UNCHANGED], rep->counts[PROC_REJECTED],
		rep->dry_run ? " (dry run: nothing written)" : "");
}

json_t *
import_report_json(const struct import_report *rep)
{
	json_t *recs = json_array();
	for (size_t i = 0; i < rep->n; i++) {
		const struct import_line *l = &rep->lines[i];
		json_t *o = json_object();
		json_object_set_new(o, "index", json_integer(l->index));
		json_object_set_new(o, "code", l->code ? json_string(l->code) : json_null());
		json_object_set_new(o, "name", l->name ? json_string(l->name) : json_null());
		json_object_set_new(o, "outcome", json_string(proc_outcome_name(l->outcome)));
		if (l->outcome == PROC_REJECTED) {
			json_object_set_new(o, "field",
					    l->field ? json_string(l->field) : json_null());
			json_object_set_new(o, "reason", json_string(l->reason ? l->reason : ""));
			json_object_set_new(o, "reason_vi",
					    json_string(l->reason_vi ? l->reason_vi : ""));
		} else {
			json_object_set_new(o, "version", json_integer(l->version));
		}
		if (l->outcome == PROC_UPDATED)
			json_object_set_new(o, "changes",
					    proc_changes_json(l->changes, l->nchanges));
		json_array_append_new(recs, o);
	}
	return json_pack("{s:b,s:I,s:I,s:I,s:I,s:o}", "dry_run", rep->dry_run, "added",
			 (json_int_t)rep->counts[PROC_ADDED], "updated",
			 (json_int_t)rep->counts[PROC_UPDATED], "unchanged",
			 (json_int_t)rep->counts[PROC_UNCHANGED], "rejected",
			 (json_int_t)rep->counts[PROC_REJECTED], "records", recs);
}
