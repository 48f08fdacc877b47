/* h_procedures.c: the procedure catalogue: search, entries, history, diff, writes, import. */
#include "api/catalogue_json.h"
#include "api/handlers.h"
#include "api/import.h"
#include "domain/tthc_parse.h"
#include "service/procedure.h"

#include <stdlib.h>
#include <string.h>

int h_procedures_list(struct hctx *h);
int h_procedures_get(struct hctx *h);
int h_procedures_versions(struct hctx *h);
int h_procedures_diff(struct hctx *h);
int h_procedures_create(struct hctx *h);
int h_procedures_import(struct hctx *h);
int h_fields_list(struct hctx *h);

static const char *
param_code(struct hctx *h)
{
	const char *s = h->nparams > 0 ? h->params[0] : NULL;
	if (!s || !*s || strlen(s) > 32) {
		err_set(&h->e, ERR_NOT_FOUND, "code", "Không tìm thấy thủ tục",
			"no such procedure");
		return NULL;
	}
	return s;
}

static int
choice(struct hctx *h, const char *name, const char *const *choices, const char **out)
{
	const char *v = query(h, name);
	*out = NULL;
	if (!v || !*v)
		return 0;
	for (const char *const *c = choices; *c; c++)
		if (strcmp(*c, v) == 0) {
			*out = v;
			return 0;
		}
	return err_setf(&h->e, ERR_VALIDATION, name, "Giá trị “%s” không hợp lệ",
			"invalid value '%s'", v);
}

int
h_procedures_list(struct hctx *h)
{
	static const char *const levels[] = {"ministry", "province", "district",
					     "commune",	 "other",    NULL};
	static const char *const online[] = {"full", "partial", "none", NULL};
	struct proc_query q = {0};
	int64_t limit;
	if (query_int(h, "limit", 1, PROC_SEARCH_MAX, 50, &limit) < 0)
		return -1;
	q.limit = (int)limit;
	q.q = query(h, "q");
	if (q.q && strlen(q.q) > 400)
		return err_set(&h->e, ERR_VALIDATION, "q", "Câu tìm kiếm quá dài (tối đa 400 byte)",
			       "query too long (at most 400 bytes)");
	q.field = query(h, "field");
	q.agency = query(h, "agency");
	q.cursor = query(h, "cursor");
	if (choice(h, "level", levels, &q.level) < 0 || choice(h, "online", online, &q.online) < 0)
		return -1;
	struct proc_hit *hits;
	size_t n;
	const char *next;
	if (procedure_search(&h->c, &q, &hits, &n, &next, &h->e) < 0)
		return -1;
	/* The citizen portal's hottest page: written straight into the response buffer (the
	 * same JSON that jlist would build, without an allocation per value). */
	struct buf *b = &h->rs->body;
	buf_reset(b);
	buf_adds(b, "{\"items\":[");
	for (size_t i = 0; i < n; i++) {
		buf_adds(b, i ? ",{\"code\":" : "{\"code\":");
		buf_add_json_str(b, hits[i].code);
		buf_adds(b, ",\"name\":");
		buf_add_json_str(b, hits[i].name);
		buf_adds(b, ",\"field_code\":");
		buf_add_json_str(b, hits[i].field_code);
		buf_adds(b, ",\"levels\":[");
		int first = 1;
		for (const char *p = hits[i].levels; *p;) {
			size_t k = strcspn(p, " ");
			if (k) {
				if (!first)
					buf_addc(b, ',');
				buf_add_json_strn(b, p, k);
				first = 0;
			}
			p += k;
			while (*p == ' ')
				p++;
		}
		buf_adds(b, "],\"online_mode\":");
		buf_add_json_str(b, hits[i].online_mode);
		buf_addc(b, '}');
	}
	buf_adds(b, "],\"next_cursor\":");
	buf_add_json_str(b, next);
	buf_addc(b, '}');
	if (b->overflow)
		return err_set(&h->e, ERR_INTERNAL, "", "Phản hồi quá lớn", "response too large");
	h->rs->status = 200;
	h->rs->content_type = "application/json; charset=utf-8";
	return 0;
}

int
h_procedures_get(struct hctx *h)
{
	const char *code = param_code(h);
	int64_t version;
	if (!code || query_int(h, "version", 1, 1000000, 0, &version) < 0)
		return -1;
	struct proc_version v;
	if (procedure_load(&h->c, code, (int)version, &v, &h->e) < 0)
		return -1;
	return reply_json(h, 200, proc_to_json(&v));
}

static json_t *
channels_json(const struct proc_channel *chs)
{
	json_t *o = json_object();
	for (int ch = 1; ch <= 3; ch++) {
		const struct proc_channel *k = &chs[ch];
		const char *name = tthc_channel_name((enum tthc_channel)ch);
		if (!k->offered) {
			json_object_set_new(o, name, json_null());
			continue;
		}
		json_object_set_new(
		    o, name,
		    json_pack("{s:o,s:o,s:o,s:o}", "time_unit", jstr(k->time_unit), "time_minutes",
			      k->time_minutes < 0 ? json_null() : json_integer(k->time_minutes),
			      "fee", k->fee < 0 ? json_null() : json_integer(k->fee), "fee_text",
			      jstr(k->fee_text)));
	}
	return o;
}

int
h_procedures_versions(struct hctx *h)
{
	const char *code = param_code(h);
	if (!code)
		return -1;
	struct proc_history *v;
	size_t n;
	if (procedure_versions(&h->c, code, &v, &n, &h->e) < 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    items, json_pack("{s:i,s:I,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "version",
				     v[i].version, "version_id", (json_int_t)v[i].version_id,
				     "name", v[i].name, "effective_from", jstr(v[i].effective_from),
				     "decision", jstr(v[i].decision), "source", jstr(v[i].source),
				     "note", jstr(v[i].note), "created_at", jtime(v[i].created_at),
				     "channels", channels_json(v[i].channels)));
	return reply_json(h, 200, json_pack("{s:s,s:o}", "code", code, "items", items));
}

int
h_procedures_diff(struct hctx *h)
{
	const char *code = param_code(h);
	int64_t from, to;
	if (!code || query_int(h, "from", 1, 1000000, -1, &from) < 0 ||
	    query_int(h, "to", 0, 1000000, 0, &to) < 0)
		return -1;
	if (from < 0)
		return err_set(&h->e, ERR_VALIDATION, "from", "Thiếu phiên bản gốc (from)",
			       "from (a version number) is required");
	struct proc_change *ch;
	size_t n;
	if (procedure_diff(&h->c, code, (int)from, (int)to, &ch, &n, &h->e) < 0)
		return -1;
	struct proc_version b;
	if (procedure_load(&h->c, code, (int)to, &b, &h->e) < 0)
		return -1;
	return reply_json(h, 200,
			  json_pack("{s:s,s:I,s:I,s:o}", "code", code, "from", (json_int_t)from,
				    "to", (json_int_t)b.version, "changes",
				    proc_changes_json(ch, n)));
}

int
h_procedures_create(struct hctx *h)
{
	struct proc_version in;
	if (proc_from_json(&h->c, h->body, &in, &h->e) < 0)
		return -1;
	if (!in.source)
		in.source = "api";
	if (field_sync(&h->c, &h->e) < 0)
		return -1;
	struct proc_save_result res;
	if (procedure_save(&h->c, &in, 0, &res, &h->e) < 0)
		return -1;
	struct proc_version v;
	if (procedure_load(&h->c, in.code, 0, &v, &h->e) < 0)
		return -1;
	json_t *o = proc_to_json(&v);
	json_object_set_new(o, "outcome", json_string(proc_outcome_name(res.outcome)));
	json_object_set_new(o, "changes", proc_changes_json(res.changes, res.nchanges));
	return reply_json(h, res.outcome == PROC_UNCHANGED ? 200 : 201, o);
}

int
h_procedures_import(struct hctx *h)
{
	if (authz_require(&h->c, ROLE_ADMIN, 0, &h->e) < 0)
		return -1;
	const char *dry = query(h, "dry_run");
	int dry_run = dry && (strcmp(dry, "1") == 0 || strcmp(dry, "true") == 0);
	if (!h->rq->body || h->rq->body_len == 0)
		return err_set(&h->e, ERR_VALIDATION, "body", "Thiếu nội dung tệp cần nhập",
			       "the body (the file to import) is missing");
	struct import_report rep;
	memset(&rep, 0, sizeof(rep));
	if (import_buffer(&h->c, "body", h->rq->body, h->rq->body_len, dry_run, &rep, &h->e) < 0)
		return -1;
	return reply_json(h, 200, import_report_json(&rep));
}

int
h_fields_list(struct hctx *h)
{
	struct proc_field *f;
	size_t n;
	if (field_sync(&h->c, &h->e) < 0 || field_list(&h->c, &f, &n, &h->e) < 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s,s:s,s:I}", "code", f[i].code, "name",
						       f[i].name, "procedures",
						       (json_int_t)f[i].procedures));
	return reply_json(h, 200, jlist(items, NULL));
}
