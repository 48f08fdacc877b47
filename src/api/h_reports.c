/*
 * h_reports.c: the statistics a province is judged by (issue 7): Biểu 06 as JSON, CSV, xlsx
 * (the official two-row header, merged) and PDF; the 766 service index with its inputs; the
 * figures the seed reports quote; and the public transparency figures per unit.
 */
#include "api/handlers.h"
#include "core/buf.h"
#include "core/civil.h"
#include "domain/tally.h"
#include "render/form.h"
#include "service/stats766.h"
#include "service/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

int h_report_bieu06(struct hctx *h);
int h_report_index766(struct hctx *h);
int h_report_summary(struct hctx *h);
int h_public_stats(struct hctx *h);

/* ---- parameters ---- */

static int
day_param(struct hctx *h, const char *name, int64_t dflt, int64_t *out)
{
	const char *s = query(h, name);
	*out = dflt;
	if (!s || !*s)
		return 0;
	if (civil_parse_date(s, out) < 0)
		return err_set(&h->e, ERR_VALIDATION, name, "Ngày không hợp lệ (YYYY-MM-DD)",
			       "a date is YYYY-MM-DD");
	return 0;
}

/* unit (code, id or "root"; default the caller's top unit, or the root for the public),
 * from (default 1 January of this year) and to (default today) */
static int
report_params(struct hctx *h, int public, int64_t *unit, int64_t *from, int64_t *to)
{
	int64_t today = civil_day_of_epoch(h->c.now);
	int y, m, d;
	civil_date_from_days(today, &y, &m, &d);
	if (day_param(h, "from", civil_days_from_date(y, 1, 1), from) < 0 ||
	    day_param(h, "to", today, to) < 0)
		return -1;
	const char *u = query(h, "unit");
	if (u && *u) {
		if (unit_resolve(&h->c, u, unit, &h->e) < 0) {
			h->e.code = ERR_VALIDATION;
			snprintf(h->e.field, sizeof(h->e.field), "unit");
			return -1;
		}
		return 0;
	}
	*unit = public ? 0 : stats_default_unit(&h->c);
	if (*unit == 0 && unit_resolve(&h->c, "root", unit, &h->e) < 0)
		return -1;
	return 0;
}

static double
rate(int64_t num, int64_t den)
{
	return den > 0 ? (double)(int64_t)(1000.0 * (double)num / (double)den + 0.5) / 10.0 : -1;
}

static json_t *
jrate(int64_t num, int64_t den)
{
	return den > 0 ? json_real(rate(num, den)) : json_null();
}

static json_t *
jdate(int ymd)
{
	char s[16];
	snprintf(s, sizeof(s), "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
	return json_string(s);
}

/* ---- Biểu 06 ---- */

static json_t *
b06_json(const struct b06 *v)
{
	json_t *o = json_object();
	int64_t recv = v->received_online + v->received_direct_postal;
	int64_t res = b06_resolved_total(v), prog = b06_in_progress(v);
	json_object_set_new(o, "received_total", json_integer(b06_received_total(v)));
	json_object_set_new(o, "received_online", json_integer(v->received_online));
	json_object_set_new(o, "received_direct_postal", json_integer(v->received_direct_postal));
	json_object_set_new(o, "received_postal", json_integer(v->received_postal));
	json_object_set_new(o, "carried_over", json_integer(v->carried_over));
	json_object_set_new(o, "resolved_total", json_integer(res));
	json_object_set_new(o, "early", json_integer(v->early));
	json_object_set_new(o, "on_time", json_integer(v->on_time));
	json_object_set_new(o, "late", json_integer(v->late));
	json_object_set_new(o, "in_progress_total", json_integer(prog));
	json_object_set_new(o, "in_progress_within", json_integer(prog - v->overdue));
	json_object_set_new(o, "in_progress_overdue", json_integer(v->overdue));
	json_object_set_new(o, "on_time_rate", jrate(v->early + v->on_time, res));
	json_object_set_new(o, "online_rate", jrate(v->received_online, recv));
	return o;
}

static const char *const level_vi[] = {"province",  "Cấp tỉnh", "district",
				       "Cấp huyện", "commune",	"Cấp xã"};

struct b06_view {
	struct b06 *by_field, *by_level, *by_unit, total;
};

static void
b06_sum(struct hctx *h, const struct b06_report *r, struct b06_view *v)
{
	v->by_field = arena_alloc(h->c.arena, (r->nfields + 1) * sizeof(struct b06));
	v->by_level = arena_alloc(h->c.arena, 3 * sizeof(struct b06));
	v->by_unit = arena_alloc(h->c.arena, (r->nunits + 1) * sizeof(struct b06));
	memset(v->by_field, 0, (r->nfields + 1) * sizeof(struct b06));
	memset(v->by_level, 0, 3 * sizeof(struct b06));
	memset(v->by_unit, 0, (r->nunits + 1) * sizeof(struct b06));
	memset(&v->total, 0, sizeof(v->total));
	for (size_t i = 0; i < r->ncells; i++) {
		const struct b06_cell *c = &r->cells[i];
		for (size_t f = 0; f < r->nfields; f++)
			if (strcmp(r->field_codes[f], c->field) == 0)
				b06_add(&v->by_field[f], &c->v);
		for (int l = 0; l < 3; l++)
			if (strcmp(r->units[c->unit].level, level_vi[2 * l]) == 0)
				b06_add(&v->by_level[l], &c->v);
		b06_add(&v->by_unit[c->unit], &c->v);
		b06_add(&v->total, &c->v);
	}
}

#define B06_COLS 13
static const char *const b06_head1[B06_COLS] = {"STT",
						"Lĩnh vực giải quyết",
						"Số hồ sơ nhận giải quyết",
						"",
						"",
						"",
						"Kết quả giải quyết: số hồ sơ đã giải quyết",
						"",
						"",
						"",
						"Số hồ sơ đang giải quyết",
						"",
						""};
static const char *const b06_head2[B06_COLS] = {"",
						"",
						"Tổng số",
						"Trực tuyến",
						"Kỳ trước chuyển qua",
						"Trực tiếp, bưu chính",
						"Tổng số",
						"Trước hạn",
						"Đúng hạn",
						"Quá hạn",
						"Tổng số",
						"Chưa đến hạn",
						"Quá hạn"};

/* the numbers of one row, columns 2..12 */
static void
b06_numbers(const struct b06 *v, int64_t out[11])
{
	int64_t prog = b06_in_progress(v);
	int64_t n[11] = {b06_received_total(v),
			 v->received_online,
			 v->carried_over,
			 v->received_direct_postal,
			 b06_resolved_total(v),
			 v->early,
			 v->on_time,
			 v->late,
			 prog,
			 prog - v->overdue,
			 v->overdue};
	memcpy(out, n, sizeof(n));
}

static int
slurp(struct hctx *h, const char *path, char **out, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	int rc = -1;
	if (fp) {
		struct buf b = BUF_INIT(64u << 20);
		char chunk[65536];
		size_t k;
		while ((k = fread(chunk, 1, sizeof(chunk), fp)) > 0)
			buf_add(&b, chunk, k);
		if (!ferror(fp) && !b.overflow) {
			*out = arena_alloc(h->c.arena, b.len);
			memcpy(*out, b.data, b.len);
			*len = b.len;
			rc = 0;
		}
		buf_release(&b);
		fclose(fp);
	}
	return rc;
}

static int
b06_xlsx(struct hctx *h, const struct b06_report *r, const struct b06_view *v, const char *title,
	 char **out, size_t *len)
{
	char path[] = "/tmp/motcua-bieu06-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return err_set(&h->e, ERR_INTERNAL, "", "Không tạo được tệp tạm",
			       "cannot create a temporary file");
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "Biểu 06") : NULL;
	int rc = -1;
	if (ws) {
		lxw_format *hd = workbook_add_format(wb);
		format_set_bold(hd);
		format_set_align(hd, LXW_ALIGN_CENTER);
		format_set_align(hd, LXW_ALIGN_VERTICAL_CENTER);
		format_set_text_wrap(hd);
		format_set_border(hd, LXW_BORDER_THIN);
		lxw_format *cell = workbook_add_format(wb);
		format_set_border(cell, LXW_BORDER_THIN);
		lxw_format *bold = workbook_add_format(wb);
		format_set_bold(bold);
		format_set_border(bold, LXW_BORDER_THIN);
		worksheet_merge_range(ws, 0, 0, 0, B06_COLS - 1, title, hd);
		/* the official header: two rows, groups merged across, STT and field down */
		worksheet_merge_range(ws, 2, 0, 3, 0, b06_head1[0], hd);
		worksheet_merge_range(ws, 2, 1, 3, 1, b06_head1[1], hd);
		worksheet_merge_range(ws, 2, 2, 2, 5, b06_head1[2], hd);
		worksheet_merge_range(ws, 2, 6, 2, 9, b06_head1[6], hd);
		worksheet_merge_range(ws, 2, 10, 2, 12, b06_head1[10], hd);
		for (int k = 2; k < B06_COLS; k++)
			worksheet_write_string(ws, 3, (lxw_col_t)k, b06_head2[k], hd);
		worksheet_set_column(ws, 1, 1, 40, NULL);
		worksheet_set_column(ws, 2, 12, 12, NULL);
		lxw_row_t row = 4;
		for (size_t f = 0; f <= r->nfields; f++, row++) {
			const struct b06 *b = f < r->nfields ? &v->by_field[f] : &v->total;
			lxw_format *fm = f < r->nfields ? cell : bold;
			if (f < r->nfields)
				worksheet_write_number(ws, row, 0, (double)(f + 1), fm);
			else
				worksheet_write_blank(ws, row, 0, fm);
			worksheet_write_string(ws, row, 1,
					       f < r->nfields ? r->field_names[f] : "Tổng số", fm);
			int64_t n[11];
			b06_numbers(b, n);
			for (int k = 0; k < 11; k++)
				worksheet_write_number(ws, row, (lxw_col_t)(k + 2), (double)n[k],
						       fm);
		}
		worksheet_freeze_panes(ws, 4, 2);
		rc = workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
	} else if (wb) {
		workbook_close(wb);
	}
	if (rc == 0)
		rc = slurp(h, path, out, len);
	unlink(path);
	if (rc < 0)
		return err_set(&h->e, ERR_INTERNAL, "", "Không tạo được tệp Excel",
			       "cannot write the workbook");
	return 0;
}

static void
csv_cell(struct buf *b, const char *s, int last)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_addc(b, '"');
		buf_addc(b, *s);
	}
	if (quote)
		buf_addc(b, '"');
	buf_adds(b, last ? "\r\n" : ",");
}

static int
b06_csv(struct hctx *h, const struct b06_report *r, const struct b06_view *v, char **out,
	size_t *len)
{
	struct buf b = BUF_INIT(16u << 20);
	buf_adds(&b, "\xEF\xBB\xBF");
	for (int k = 0; k < B06_COLS; k++)
		csv_cell(&b, b06_head1[k], k + 1 == B06_COLS);
	for (int k = 0; k < B06_COLS; k++)
		csv_cell(&b, b06_head2[k], k + 1 == B06_COLS);
	for (size_t f = 0; f <= r->nfields; f++) {
		const struct b06 *x = f < r->nfields ? &v->by_field[f] : &v->total;
		char stt[16];
		snprintf(stt, sizeof(stt), "%zu", f + 1);
		csv_cell(&b, f < r->nfields ? stt : "", 0);
		csv_cell(&b, f < r->nfields ? r->field_names[f] : "Tổng số", 0);
		int64_t n[11];
		b06_numbers(x, n);
		for (int k = 0; k < 11; k++) {
			char s[24];
			snprintf(s, sizeof(s), "%lld", (long long)n[k]);
			csv_cell(&b, s, k == 10);
		}
	}
	if (b.overflow) {
		buf_release(&b);
		return err_set(&h->e, ERR_TOO_LARGE, "format", "Báo cáo quá lớn",
			       "the report is too large");
	}
	*out = arena_alloc(h->c.arena, b.len);
	memcpy(*out, b.data, b.len);
	*len = b.len;
	buf_release(&b);
	return 0;
}

static int
b06_pdf(struct hctx *h, const struct b06_report *r, const struct b06_view *v,
	const struct b06_unit *u, const unsigned char **pdf, size_t *len)
{
	size_t nrows = r->nfields + 1;
	const char **cells = arena_alloc(h->c.arena, nrows * B06_COLS * sizeof(char *));
	for (size_t f = 0; f < nrows; f++) {
		const struct b06 *x = f < r->nfields ? &v->by_field[f] : &v->total;
		const char **row = cells + f * B06_COLS;
		row[0] = f < r->nfields ? arena_printf(h->c.arena, "%zu", f + 1) : "";
		row[1] = f < r->nfields ? r->field_names[f] : "<b>Tổng số</b>";
		int64_t n[11];
		b06_numbers(x, n);
		for (int k = 0; k < 11; k++)
			row[k + 2] = arena_printf(h->c.arena, "%lld", (long long)n[k]);
	}
	struct form_table t = {"bieu06", B06_COLS, nrows, cells};
	char from[16], to[16];
	civil_format_date(tally_days(r->from), from);
	civil_format_date(tally_days(r->to), to);
	int64_t today = civil_day_of_epoch(h->c.now);
	int y, m, d;
	civil_date_from_days(today, &y, &m, &d);
	const char *parent = "";
	if (u->depth > 0 && r->nunits) {
		struct unit_rec ur;
		struct err e2 = {0};
		if (unit_get(&h->c, u->id, &ur, &e2) == 0 && ur.parent_id) {
			struct unit_rec pr;
			if (unit_get(&h->c, ur.parent_id, &pr, &e2) == 0)
				parent = pr.name;
		}
	}
	int64_t res = b06_resolved_total(&v->total);
	struct form_var vars[] = {
	    {"unit_name", u->name},
	    {"unit_parent", parent},
	    {"place", ""},
	    {"day", arena_printf(h->c.arena, "%02d", d)},
	    {"month", arena_printf(h->c.arena, "%02d", m)},
	    {"year", arena_printf(h->c.arena, "%d", y)},
	    {"from", arena_printf(h->c.arena, "%.2s/%.2s/%.4s", from + 8, from + 5, from)},
	    {"to", arena_printf(h->c.arena, "%.2s/%.2s/%.4s", to + 8, to + 5, to)},
	    {"on_time_rate",
	     res ? arena_printf(h->c.arena, "%.1f", rate(v->total.early + v->total.on_time, res))
		 : "—"},
	};
	struct form_doc doc = {
	    query(h, "set"), "bieu06", vars, sizeof(vars) / sizeof(vars[0]), &t, 1};
	return form_render_pdf(h->c.arena, &doc, pdf, len, &h->e);
}

int
h_report_bieu06(struct hctx *h)
{
	int64_t unit, from, to;
	if (report_params(h, 0, &unit, &from, &to) < 0)
		return -1;
	const char *format = query(h, "format");
	format = format && *format ? format : "json";
	if (strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "xlsx") &&
	    strcmp(format, "pdf"))
		return err_set(&h->e, ERR_VALIDATION, "format",
			       "Định dạng là json, csv, xlsx hoặc pdf",
			       "format is json, csv, xlsx or pdf");
	struct b06_report r;
	if (stats_bieu06(&h->c, unit, from, to, &r, &h->e) < 0)
		return -1;
	struct b06_view v;
	b06_sum(h, &r, &v);
	const struct b06_unit *root = &r.units[0];
	if (strcmp(format, "json") == 0) {
		json_t *o = json_object();
		json_object_set_new(o, "unit",
				    json_pack("{s:s?,s:s,s:s}", "code",
					      *root->code ? root->code : NULL, "name", root->name,
					      "level", root->level));
		json_object_set_new(o, "from", jdate(r.from));
		json_object_set_new(o, "to", jdate(r.to));
		json_t *rows = json_array();
		for (size_t f = 0; f < r.nfields; f++) {
			json_t *x = b06_json(&v.by_field[f]);
			json_object_set_new(x, "field_code", json_string(r.field_codes[f]));
			json_object_set_new(x, "field_name", json_string(r.field_names[f]));
			json_array_append_new(rows, x);
		}
		json_object_set_new(o, "rows", rows);
		json_t *levels = json_array();
		for (int l = 0; l < 3; l++) {
			int any = 0;
			for (size_t u = 0; u < r.nunits; u++)
				any |= strcmp(r.units[u].level, level_vi[2 * l]) == 0;
			if (!any)
				continue;
			json_t *x = b06_json(&v.by_level[l]);
			json_object_set_new(x, "level", json_string(level_vi[2 * l]));
			json_object_set_new(x, "name", json_string(level_vi[2 * l + 1]));
			json_array_append_new(levels, x);
		}
		json_object_set_new(o, "levels", levels);
		json_t *units = json_array();
		for (size_t u = 0; u < r.nunits; u++) {
			const struct b06 *b = &v.by_unit[u];
			if (!b06_received_total(b) && !b06_resolved_total(b) && u != 0)
				continue;
			json_t *x = b06_json(b);
			json_object_set_new(x, "unit_code",
					    *r.units[u].code ? json_string(r.units[u].code)
							     : json_null());
			json_object_set_new(x, "unit_name", json_string(r.units[u].name));
			json_object_set_new(x, "level", json_string(r.units[u].level));
			json_array_append_new(units, x);
		}
		json_object_set_new(o, "units", units);
		json_object_set_new(o, "total", b06_json(&v.total));
		return reply_json(h, 200, o);
	}
	char *out = NULL;
	size_t len = 0;
	const char *ctype, *ext;
	if (strcmp(format, "csv") == 0) {
		if (b06_csv(h, &r, &v, &out, &len) < 0)
			return -1;
		ctype = "text/csv; charset=utf-8", ext = "csv";
	} else if (strcmp(format, "xlsx") == 0) {
		char from_s[16], to_s[16];
		civil_format_date(from, from_s);
		civil_format_date(to, to_s);
		const char *title = arena_printf(
		    h->c.arena,
		    "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH — %s (từ %s đến %s)",
		    root->name, from_s, to_s);
		if (b06_xlsx(h, &r, &v, title, &out, &len) < 0)
			return -1;
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		ext = "xlsx";
	} else {
		const unsigned char *pdf;
		if (b06_pdf(h, &r, &v, root, &pdf, &len) < 0)
			return -1;
		out = (char *)pdf;
		ctype = "application/pdf", ext = "pdf";
	}
	resp_header(h->rs, "Content-Disposition",
		    arena_printf(h->c.arena, "%s; filename=\"bieu06-%d-%d.%s\"",
				 strcmp(ext, "pdf") == 0 ? "inline" : "attachment", r.from, r.to,
				 ext));
	resp_header(h->rs, "Cache-Control", "no-store");
	return reply_raw(h, 200, ctype, out, len);
}

/* ---- the 766 service index ---- */

static json_t *
jpoints(double p)
{
	return json_real((double)(int64_t)(p * 100 + 0.5) / 100);
}

int
h_report_index766(struct hctx *h)
{
	int64_t unit, from, to;
	if (report_params(h, 0, &unit, &from, &to) < 0)
		return -1;
	struct index766 ix;
	if (stats_index766(&h->c, unit, from, to, &ix, &h->e) < 0)
		return -1;
	struct unit_rec ur;
	if (unit_get(&h->c, unit, &ur, &h->e) < 0)
		return -1;
	json_t *o = json_object();
	json_object_set_new(o, "unit", json_pack("{s:s?,s:s}", "code", ur.code, "name", ur.name));
	json_object_set_new(o, "from", jdate(tally_ymd(from)));
	json_object_set_new(o, "to", jdate(tally_ymd(to)));
	json_object_set_new(o, "data_year", json_integer(ix.year));
	json_object_set_new(o, "points", jpoints(ix.points));
	json_object_set_new(o, "measured_max_points", jpoints(ix.measured_max));
	json_object_set_new(o, "max_points", jpoints(ix.max_points));
	json_t *groups = json_array();
	for (size_t g = 0; g < ix.ngroups; g++) {
		const struct i766_group *gr = &ix.groups[g];
		json_t *inds = json_array();
		for (size_t i = 0; i < gr->ninds; i++) {
			const struct i766_ind *in = &gr->inds[i];
			json_t *x = json_object();
			json_object_set_new(x, "key", json_string(in->key));
			json_object_set_new(x, "name", json_string(in->name));
			json_object_set_new(x, "name_en", json_string(in->name_en));
			json_object_set_new(x, "measured", json_boolean(in->measured));
			json_object_set_new(x, "max_points", jpoints(in->max_points));
			json_object_set_new(x, "threshold", jpoints(in->threshold));
			if (in->measured) {
				json_object_set_new(x, "numerator", json_integer(in->numerator));
				json_object_set_new(x, "denominator",
						    json_integer(in->denominator));
				json_object_set_new(
				    x, "value", in->value < 0 ? json_null() : jpoints(in->value));
				json_object_set_new(x, "points", jpoints(in->points));
				json_object_set_new(x, "why", json_null());
			} else {
				json_object_set_new(x, "numerator", json_null());
				json_object_set_new(x, "denominator", json_null());
				json_object_set_new(x, "value", json_null());
				json_object_set_new(x, "points", json_null());
				json_object_set_new(x, "why", json_string(in->why));
				json_object_set_new(x, "why_en", jstr(in->why_en));
			}
			json_array_append_new(inds, x);
		}
		json_array_append_new(groups,
				      json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "key", gr->key,
						"name", gr->name, "name_en", gr->name_en,
						"max_points", jpoints(gr->max_points), "points",
						jpoints(gr->points), "measured_max_points",
						jpoints(gr->measured_max), "indicators", inds));
	}
	json_object_set_new(o, "groups", groups);
	return reply_json(h, 200, o);
}

/* ---- the figures the seed reports quote (domain.md §12) ---- */

static int
scalar(struct hctx *h, const char *sql, const char *path, int64_t a, int64_t b, int nb,
       int64_t *out)
{
	struct db_stmt *st = db_prepare(h->c.db, sql);
	if (!st)
		return db_fail(h->c.db, &h->e);
	int i = 1;
	if (path)
		db_bind_text(st, i++, path);
	if (nb >= 1)
		db_bind_int(st, i++, a);
	if (nb >= 2)
		db_bind_int(st, i++, b);
	int rc = db_step(st);
	*out = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	return rc == DB_ROW ? 0 : db_fail(h->c.db, &h->e);
}

int
h_report_summary(struct hctx *h)
{
	int64_t unit, from, to;
	if (report_params(h, 0, &unit, &from, &to) < 0)
		return -1;
	struct b06_report r;
	if (stats_bieu06(&h->c, unit, from, to, &r, &h->e) < 0)
		return -1;
	struct b06 t = {0};
	for (size_t i = 0; i < r.ncells; i++)
		b06_add(&t, &r.cells[i].v);
	char up[UNIT_PATH_MAX];
	if (unit_path(&h->c, unit, up, sizeof(up)) < 0)
		return err_set(&h->e, ERR_NOT_FOUND, "unit", "Không tìm thấy đơn vị",
			       "unit not found");
	const char *path = arena_printf(h->c.arena, "%s%%", up);
	int64_t a = from * 86400 - CIVIL_OFFSET, b = (to + 1) * 86400 - CIVIL_OFFSET;
	int64_t returned_postal, published, online, online_used;
	if (scalar(h,
		   "SELECT COUNT(*) FROM dossier d JOIN unit u ON u.id = d.competent_unit_id "
		   "WHERE u.path LIKE ? AND d.returned_at >= ? AND d.returned_at < ? AND "
		   "d.return_method = 'postal'",
		   path, a, b, 2, &returned_postal) < 0 ||
	    scalar(h,
		   "SELECT COUNT(*) FROM procedure p JOIN procedure_version v ON v.id = "
		   "p.current_version_id",
		   NULL, 0, 0, 0, &published) < 0 ||
	    scalar(h,
		   "SELECT COUNT(*) FROM procedure p JOIN procedure_version v ON v.id = "
		   "p.current_version_id WHERE EXISTS (SELECT 1 FROM procedure_channel ch WHERE "
		   "ch.version_id = v.id AND ch.channel = 2)",
		   NULL, 0, 0, 0, &online) < 0 ||
	    scalar(h,
		   "SELECT COUNT(DISTINCT d.procedure_code) FROM dossier d JOIN unit u ON u.id = "
		   "d.competent_unit_id WHERE u.path LIKE ? AND d.channel = 2 AND d.received_at "
		   ">= ? AND d.received_at < ?",
		   path, a, b, 2, &online_used) < 0)
		return -1;
	int64_t res = b06_resolved_total(&t);
	json_t *o = json_object();
	json_object_set_new(o, "unit",
			    json_pack("{s:s?,s:s}", "code",
				      *r.units[0].code ? r.units[0].code : NULL, "name",
				      r.units[0].name));
	json_object_set_new(o, "from", jdate(r.from));
	json_object_set_new(o, "to", jdate(r.to));
	json_object_set_new(o, "received",
			    json_integer(t.received_online + t.received_direct_postal));
	json_object_set_new(o, "received_online", json_integer(t.received_online));
	json_object_set_new(o, "received_postal", json_integer(t.received_postal));
	json_object_set_new(o, "returned_postal", json_integer(returned_postal));
	json_object_set_new(o, "carried_over", json_integer(t.carried_over));
	json_object_set_new(o, "resolved", json_integer(res));
	json_object_set_new(o, "resolved_early_on_time", json_integer(t.early + t.on_time));
	json_object_set_new(o, "on_time_rate", jrate(t.early + t.on_time, res));
	json_object_set_new(o, "open", json_integer(b06_in_progress(&t)));
	json_object_set_new(o, "open_overdue", json_integer(t.overdue));
	json_object_set_new(o, "procedures_published", json_integer(published));
	json_object_set_new(o, "procedures_online", json_integer(online));
	json_object_set_new(o, "online_procedures_with_dossiers", json_integer(online_used));
	json_object_set_new(o, "online_procedures_with_dossiers_rate", jrate(online_used, online));
	json_object_set_new(
	    o, "not_measured",
	    json_pack(
		"[{s:s,s:s,s:s},{s:s,s:s,s:s},{s:s,s:s,s:s}]", "key", "outgoing_documents_signed",
		"why", "Chưa có sổ văn bản đi, đến (văn phòng điện tử) trong hệ thống", "why_en",
		"the e-office register is not built yet", "key", "procedures_simplified", "why",
		"Lịch sử phiên bản thủ tục có ở /api/v1/procedures/{code}/versions", "why_en",
		"see each procedure's version history", "key", "par_index", "why",
		"Chỉ số CCHC chưa có trong hệ thống", "why_en", "the PAR index is not built yet"));
	return reply_json(h, 200, o);
}

/* ---- the public transparency page ---- */

int
h_public_stats(struct hctx *h)
{
	int64_t unit, from, to;
	if (report_params(h, 1, &unit, &from, &to) < 0)
		return -1;
	if (to - from > 366)
		return err_set(&h->e, ERR_VALIDATION, "to", "Tối đa một năm",
			       "at most a year at a time");
	struct b06_report r;
	if (stats_bieu06_public(&h->c, unit, from, to, &r, &h->e) < 0)
		return -1;
	struct b06_view v;
	b06_sum(h, &r, &v);
	/* satisfaction per competent unit, from the ratings of the period */
	int64_t a = from * 86400 - CIVIL_OFFSET, b = (to + 1) * 86400 - CIVIL_OFFSET;
	int64_t *rated = arena_alloc(h->c.arena, 2 * (r.nunits + 1) * sizeof(int64_t));
	memset(rated, 0, 2 * (r.nunits + 1) * sizeof(int64_t));
	struct db_stmt *st = db_prepare(h->c.db, "SELECT unit_id, COUNT(*), SUM(satisfied) FROM "
						 "dossier_rating WHERE at >= ? AND at < ? GROUP BY "
						 "unit_id");
	if (!st)
		return db_fail(h->c.db, &h->e);
	db_bind_int(st, 1, a);
	db_bind_int(st, 2, b);
	while (db_step(st) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		for (size_t u = 0; u < r.nunits; u++)
			if (r.units[u].id == id) {
				rated[2 * u] += db_col_int(st, 1);
				rated[2 * u + 1] += db_col_int(st, 2);
			}
	}
	db_reset(st);
	json_t *units = json_array();
	int64_t rt = 0, rs = 0;
	for (size_t u = 0; u < r.nunits; u++) {
		const struct b06 *x = &v.by_unit[u];
		rt += rated[2 * u], rs += rated[2 * u + 1];
		if (!b06_received_total(x) && !b06_resolved_total(x) && !rated[2 * u])
			continue;
		json_t *o = b06_json(x);
		json_object_set_new(o, "unit",
				    json_pack("{s:s?,s:s,s:s}", "code",
					      *r.units[u].code ? r.units[u].code : NULL, "name",
					      r.units[u].name, "level", r.units[u].level));
		/* the short names of the transparency page */
		json_object_set_new(o, "received",
				    json_integer(x->received_online + x->received_direct_postal));
		json_object_set_new(o, "resolved", json_integer(b06_resolved_total(x)));
		json_object_set_new(o, "in_progress", json_integer(b06_in_progress(x)));
		json_object_set_new(
		    o, "online_share",
		    jrate(x->received_online, x->received_online + x->received_direct_postal));
		json_object_set_new(o, "ratings", json_integer(rated[2 * u]));
		json_object_set_new(o, "satisfaction", jrate(rated[2 * u + 1], rated[2 * u]));
		json_array_append_new(units, o);
	}
	json_t *total = b06_json(&v.total);
	const struct b06 *x = &v.total;
	json_object_set_new(total, "received",
			    json_integer(x->received_online + x->received_direct_postal));
	json_object_set_new(total, "resolved", json_integer(b06_resolved_total(x)));
	json_object_set_new(total, "in_progress", json_integer(b06_in_progress(x)));
	json_object_set_new(
	    total, "online_share",
	    jrate(x->received_online, x->received_online + x->received_direct_postal));
	json_object_set_new(total, "ratings", json_integer(rt));
	json_object_set_new(total, "satisfaction", jrate(rs, rt));
	json_t *o = json_object();
	json_object_set_new(o, "from", jdate(r.from));
	json_object_set_new(o, "to", jdate(r.to));
	json_object_set_new(o, "updated_at", jtime(h->c.now));
	json_object_set_new(o, "units", units);
	json_object_set_new(o, "total", total);
	resp_header(h->rs, "Cache-Control", "public, max-age=30");
	return reply_json(h, 200, o);
}
