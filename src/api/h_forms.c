/* h_forms.c: a dossier's printable forms as PDF (GET /dossiers/{code}/forms/{form}.pdf). */
#include "api/handlers.h"
#include "core/civil.h"
#include "core/buf.h"
#include "service/dossier.h"
#include "service/forms.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <string.h>

int h_dossier_form(struct hctx *h);

/* the form's name without ".pdf"; the QR code's base from MOTCUA_PUBLIC_URL (else relative) */
int
h_dossier_form(struct hctx *h)
{
	const char *f = h->params[1];
	size_t n = strlen(f);
	if (n <= 4 || strcmp(f + n - 4, ".pdf") != 0)
		return err_set(&h->e, ERR_NOT_FOUND, "form", "Không có mẫu này (cần đuôi .pdf)",
			       "no such form (forms end in .pdf)");
	const char *form = arena_strndup(h->c.arena, f, n - 4);
	const unsigned char *pdf;
	size_t len;
	if (dossier_form(&h->c, h->params[0], form, query(h, "set"), getenv("MOTCUA_PUBLIC_URL"),
			 &pdf, &len, &h->e) < 0)
		return -1;
	resp_header(h->rs, "Content-Disposition",
		    arena_printf(h->c.arena, "inline; filename=\"%s-%s.pdf\"", form, h->params[0]));
	resp_header(h->rs, "Cache-Control", "no-store");
	return reply_raw(h, 200, "application/pdf", pdf, len);
}

int h_unit_register(struct hctx *h);

/* from and to are days (YYYY-MM-DD), both included; by default the current month so far */
int
h_unit_register(struct hctx *h)
{
	int64_t id = param_id(h, 0);
	if (id < 0)
		return -1;
	int64_t today = civil_day_of_epoch(h->c.now), from, to;
	const char *qf = query(h, "from"), *qt = query(h, "to");
	if (qf) {
		if (civil_parse_date(qf, &from) < 0)
			return err_set(&h->e, ERR_VALIDATION, "from",
				       "Ngày không hợp lệ (YYYY-MM-DD)",
				       "from is a date (YYYY-MM-DD)");
	} else {
		int y, m, d;
		civil_date_from_days(today, &y, &m, &d);
		from = civil_days_from_date(y, m, 1);
	}
	if (qt) {
		if (civil_parse_date(qt, &to) < 0)
			return err_set(&h->e, ERR_VALIDATION, "to",
				       "Ngày không hợp lệ (YYYY-MM-DD)",
				       "to is a date (YYYY-MM-DD)");
	} else {
		to = today;
	}
	if (to - from > 366)
		return err_set(&h->e, ERR_VALIDATION, "to", "Tối đa một năm mỗi sổ",
			       "at most a year per register");
	const unsigned char *pdf;
	size_t len;
	if (unit_register_form(&h->c, id, from, to, query(h, "set"), &pdf, &len, &h->e) < 0)
		return -1;
	resp_header(
	    h->rs, "Content-Disposition",
	    arena_printf(h->c.arena, "inline; filename=\"register-%lld.pdf\"", (long long)id));
	resp_header(h->rs, "Cache-Control", "no-store");
	return reply_raw(h, 200, "application/pdf", pdf, len);
}

/* ---- exports of a work list ---- */

#define EXPORT_MAX 20000

static void
csv_field(struct buf *b, const char *s, int last)
{
	s = s ? s : "";
	/* a cell a spreadsheet would run as a formula is written as text (CSV injection) */
	int formula = strchr("=+-@\t\r", s[0]) && s[0];
	if (formula || strpbrk(s, ",\"\r\n")) {
		buf_addc(b, '"');
		if (formula)
			buf_addc(b, '\'');
		for (; *s; s++) {
			if (*s == '"')
				buf_addc(b, '"');
			buf_addc(b, *s);
		}
		buf_addc(b, '"');
	} else {
		buf_adds(b, s);
	}
	buf_adds(b, last ? "\r\n" : ",");
}

static const char *
csv_time(struct hctx *h, int64_t t)
{
	if (!t)
		return "";
	char *s = arena_alloc(h->c.arena, 32);
	civil_format_rfc3339(t, s);
	return s;
}

#define NCOLS 16
static const char *const export_head[NCOLS] = {
    "Mã hồ sơ",	 "Trạng thái",	    "Mã trạng thái", "Mã thủ tục",    "Tên thủ tục",	"Kênh",
    "Người nộp", "Địa chỉ",	    "Số điện thoại", "Nơi tiếp nhận", "Nơi giải quyết", "Ngày nhận",
    "Hẹn trả",	 "Ngày có kết quả", "Ngày trả",	     "Kết quả"};

/* export_rows: the cells of every dossier of the filter, NCOLS per row */
static int
export_rows(struct hctx *h, struct dossier_filter *f, const char ***cells, size_t *nrows,
	    int *truncated)
{
	size_t cap = 512, n = 0;
	const char **c = arena_alloc(h->c.arena, cap * NCOLS * sizeof(*c));
	f->limit = 500;
	f->cursor = NULL;
	*truncated = 0;
	for (;;) {
		struct dossier_list l;
		if (dossier_list(&h->c, f, &l, &h->e) < 0)
			return -1;
		for (size_t i = 0; i < l.n; i++, n++) {
			if (n == EXPORT_MAX) {
				*truncated = 1;
				break;
			}
			if (n == cap) {
				const char **c2 =
				    arena_alloc(h->c.arena, 2 * cap * NCOLS * sizeof(*c));
				memcpy(c2, c, cap * NCOLS * sizeof(*c));
				c = c2;
				cap *= 2;
			}
			const struct dossier_rec *d = &l.items[i];
			const char *row[NCOLS] = {
			    d->code,
			    lc_state_vi(d->state),
			    arena_printf(h->c.arena, "%d", lc_state_code(d->state)),
			    d->procedure_code,
			    d->procedure_name,
			    dossier_channel_name(d->channel),
			    d->applicant.name,
			    d->applicant.address,
			    d->applicant.phone,
			    d->receiving_unit_name,
			    d->competent_unit_name,
			    csv_time(h, d->received_at),
			    csv_time(h, d->due_at),
			    csv_time(h, d->finished_at),
			    csv_time(h, d->returned_at),
			    d->outcome};
			memcpy(c + n * NCOLS, row, sizeof(row));
		}
		if (*truncated || !l.next_cursor)
			break;
		f->cursor = l.next_cursor;
	}
	*cells = c;
	*nrows = n;
	return 0;
}

/* xlsx_bytes: the rows as a workbook (libxlsxwriter writes files: a private temporary one) */
static int
xlsx_bytes(struct hctx *h, const char **cells, size_t n, char **out, size_t *len)
{
	char path[] = "/tmp/motcua-export-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return err_set(&h->e, ERR_INTERNAL, "", "Không tạo được tệp tạm",
			       "cannot create a temporary file");
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "Hồ sơ") : NULL;
	int rc = -1;
	if (ws) {
		lxw_format *bold = workbook_add_format(wb);
		format_set_bold(bold);
		for (int k = 0; k < NCOLS; k++)
			worksheet_write_string(ws, 0, (lxw_col_t)k, export_head[k], bold);
		for (size_t r = 0; r < n; r++)
			for (int k = 0; k < NCOLS; k++)
				if (cells[r * NCOLS + (size_t)k])
					worksheet_write_string(ws, (lxw_row_t)(r + 1), (lxw_col_t)k,
							       cells[r * NCOLS + (size_t)k], NULL);
		worksheet_freeze_panes(ws, 1, 0);
		rc = workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
	} else if (wb) {
		workbook_close(wb);
	}
	FILE *fp = rc == 0 ? fopen(path, "rb") : NULL;
	rc = -1;
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
	unlink(path);
	if (rc < 0)
		return err_set(&h->e, ERR_INTERNAL, "", "Không tạo được tệp Excel",
			       "cannot write the workbook");
	return 0;
}

int dossiers_export(struct hctx *h, struct dossier_filter *f, const char *format);

/* dossiers_export: every dossier of the list's filter (not one page) as CSV (UTF-8 with a BOM
 * so that spreadsheets read the diacritics) or xlsx; at most EXPORT_MAX rows, X-Truncated
 * when cut. */
int
dossiers_export(struct hctx *h, struct dossier_filter *f, const char *format)
{
	int csv = strcmp(format, "csv") == 0;
	if (!csv && strcmp(format, "xlsx") != 0)
		return err_set(&h->e, ERR_VALIDATION, "format", "Định dạng là json, csv hoặc xlsx",
			       "format is json, csv or xlsx");
	const char **cells;
	size_t n;
	int truncated;
	if (export_rows(h, f, &cells, &n, &truncated) < 0)
		return -1;
	char *out;
	size_t len;
	if (csv) {
		struct buf b = BUF_INIT(64u << 20);
		buf_adds(&b, "\xEF\xBB\xBF");
		for (size_t i = 0; i < NCOLS; i++)
			csv_field(&b, export_head[i], i + 1 == NCOLS);
		for (size_t r = 0; r < n; r++)
			for (size_t k = 0; k < NCOLS; k++)
				csv_field(&b, cells[r * NCOLS + k], k + 1 == NCOLS);
		if (b.overflow) {
			buf_release(&b);
			return err_set(&h->e, ERR_TOO_LARGE, "format", "Danh sách quá lớn để xuất",
				       "the list is too large to export");
		}
		out = arena_alloc(h->c.arena, b.len);
		memcpy(out, b.data, b.len);
		len = b.len;
		buf_release(&b);
	} else if (xlsx_bytes(h, cells, n, &out, &len) < 0) {
		return -1;
	}
	resp_header(h->rs, "Content-Disposition",
		    csv ? "attachment; filename=\"ho-so.csv\""
			: "attachment; filename=\"ho-so.xlsx\"");
	if (truncated)
		resp_header(h->rs, "X-Truncated", "true");
	return reply_raw(h, 200,
			 csv ? "text/csv; charset=utf-8"
			     : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			 out, len);
}
