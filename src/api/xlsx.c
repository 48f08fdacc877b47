#include "api/xlsx.h"
#include "core/buf.h"

#include <expat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

int
xlsx_is(const void *data, size_t len)
{
	return len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0;
}

/* One member of the archive, NUL-terminated, malloc'd; NULL when absent or too large. */
static char *
zip_member(zip_t *z, const char *name, size_t *len)
{
	zip_stat_t zs;
	if (zip_stat(z, name, 0, &zs) < 0 || !(zs.valid & ZIP_STAT_SIZE) || zs.size > XLSX_MAX_PART)
		return NULL;
	zip_file_t *f = zip_fopen(z, name, 0);
	if (!f)
		return NULL;
	char *buf = malloc(zs.size + 1);
	zip_int64_t got = buf ? zip_fread(f, buf, zs.size) : -1;
	zip_fclose(f);
	if (got < 0 || (zip_uint64_t)got != zs.size) {
		free(buf);
		return NULL;
	}
	buf[zs.size] = '\0';
	*len = (size_t)zs.size;
	return buf;
}

static const char *
attr(const XML_Char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (strcmp(atts[i], name) == 0)
			return atts[i + 1];
	return NULL;
}

/* ---- shared strings: <sst><si><t>..</t></si> or <si><r><t>..</t></r>...</si> ---- */

struct sst {
	struct arena *a;
	const char **v;
	size_t n, cap;
	int in_t, in_rph; /* phonetic runs (<rPh>) are not part of the text */
	struct buf text;
	int failed;
};

static void XMLCALL
sst_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
	struct sst *s = ud;
	(void)atts;
	if (strcmp(el, "si") == 0)
		buf_reset(&s->text);
	else if (strcmp(el, "rPh") == 0)
		s->in_rph = 1;
	else if (strcmp(el, "t") == 0 && !s->in_rph)
		s->in_t = 1;
}

static void XMLCALL
sst_end(void *ud, const XML_Char *el)
{
	struct sst *s = ud;
	if (strcmp(el, "t") == 0) {
		s->in_t = 0;
	} else if (strcmp(el, "rPh") == 0) {
		s->in_rph = 0;
	} else if (strcmp(el, "si") == 0) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? 2 * s->cap : 256;
			const char **nv = arena_alloc(s->a, cap * sizeof(*nv));
			if (s->n)
				memcpy(nv, s->v, s->n * sizeof(*nv));
			s->v = nv;
			s->cap = cap;
		}
		s->v[s->n++] = arena_strdup(s->a, s->text.data ? s->text.data : "");
	}
}

static void XMLCALL
sst_text(void *ud, const XML_Char *t, int len)
{
	struct sst *s = ud;
	if (s->in_t && buf_add(&s->text, t, (size_t)len) < 0)
		s->failed = 1;
}

/* ---- the sheet: <sheetData><row r="3"><c r="B3" t="s"><v>7</v></c>... ---- */

struct sheet {
	struct arena *a;
	const struct sst *sst;
	struct xlsx_row *rows;
	size_t n, cap;
	int col;	  /* the current cell's column, -1 outside a cell */
	char type[16];	  /* the current cell's t attribute */
	int in_v, in_t;	  /* inside <v>, or <t> of an inline string */
	struct buf value; /* the current cell's text */
	int failed;
	const char *why;
};

static int
column_of(const char *ref)
{
	int col = 0, letters = 0;
	for (const char *p = ref; p && *p >= 'A' && *p <= 'Z'; p++, letters++)
		col = col * 26 + (*p - 'A' + 1);
	return letters ? col - 1 : -1;
}

static void XMLCALL
sheet_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
	struct sheet *s = ud;
	if (s->failed)
		return;
	if (strcmp(el, "row") == 0) {
		if (s->n >= XLSX_MAX_ROWS) {
			s->failed = 1;
			s->why = "too many rows";
			return;
		}
		if (s->n == s->cap) {
			size_t cap = s->cap ? 2 * s->cap : 256;
			struct xlsx_row *nv = arena_alloc(s->a, cap * sizeof(*nv));
			if (s->n)
				memcpy(nv, s->rows, s->n * sizeof(*nv));
			s->rows = nv;
			s->cap = cap;
		}
		struct xlsx_row *r = &s->rows[s->n++];
		memset(r, 0, sizeof(*r));
		const char *num = attr(atts, "r");
		long number = num ? strtol(num, NULL, 10) : 0;
		r->number = number > 0 && number <= 1048576 ? (int)number : (int)s->n;
	} else if (strcmp(el, "c") == 0 && s->n > 0) {
		const char *ref = attr(atts, "r"), *t = attr(atts, "t");
		s->col = column_of(ref);
		snprintf(s->type, sizeof(s->type), "%s", t ? t : "n");
		buf_reset(&s->value);
	} else if (strcmp(el, "v") == 0 && s->col >= 0) {
		s->in_v = 1;
	} else if (strcmp(el, "t") == 0 && s->col >= 0) {
		s->in_t = 1;
	}
}

static void XMLCALL
sheet_end(void *ud, const XML_Char *el)
{
	struct sheet *s = ud;
	if (s->failed)
		return;
	if (strcmp(el, "v") == 0) {
		s->in_v = 0;
	} else if (strcmp(el, "t") == 0) {
		s->in_t = 0;
	} else if (strcmp(el, "c") == 0 && s->col >= 0) {
		const char *text = s->value.data ? s->value.data : "";
		if (strcmp(s->type, "s") == 0) {
			char *end;
			long i = strtol(text, &end, 10);
			text = (*text && !*end && i >= 0 && (size_t)i < s->sst->n) ? s->sst->v[i]
										   : NULL;
		}
		if (text && *text && s->col < XLSX_MAX_COLS)
			s->rows[s->n - 1].cells[s->col] = arena_strdup(s->a, text);
		s->col = -1;
	}
}

static void XMLCALL
sheet_text(void *ud, const XML_Char *t, int len)
{
	struct sheet *s = ud;
	if ((s->in_v || s->in_t) && buf_add(&s->value, t, (size_t)len) < 0) {
		s->failed = 1;
		s->why = "a cell is too large";
	}
}

static int
parse_xml(const char *doc, size_t len, void *ud, XML_StartElementHandler start,
	  XML_EndElementHandler end, XML_CharacterDataHandler text)
{
	XML_Parser p = XML_ParserCreate("UTF-8");
	if (!p)
		return -1;
	XML_SetUserData(p, ud);
	XML_SetElementHandler(p, start, end);
	XML_SetCharacterDataHandler(p, text);
	int ok = XML_Parse(p, doc, (int)len, 1) == XML_STATUS_OK;
	XML_ParserFree(p);
	return ok ? 0 : -1;
}

int
xlsx_read(const void *data, size_t len, struct arena *a, struct xlsx_row **rows, size_t *nrows,
	  const char **why)
{
	*rows = NULL;
	*nrows = 0;
	if (len > (size_t)INT32_MAX) {
		*why = "file too large";
		return -1;
	}
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	if (!z) {
		if (src)
			zip_source_free(src);
		zip_error_fini(&ze);
		*why = "not a readable xlsx (zip) file";
		return -1;
	}
	int rc = -1;
	size_t sl = 0, wl = 0;
	char *ss = zip_member(z, "xl/sharedStrings.xml", &sl);
	char *ws = zip_member(z, "xl/worksheets/sheet1.xml", &wl);
	struct sst sst = {a, NULL, 0, 0, 0, 0, BUF_INIT(1 << 20), 0};
	struct sheet sh = {a, &sst, NULL, 0, 0, -1, "", 0, 0, BUF_INIT(1 << 20), 0, NULL};
	if (!ws) {
		*why = "the workbook has no first worksheet (xl/worksheets/sheet1.xml)";
		goto out;
	}
	if (ss && (parse_xml(ss, sl, &sst, sst_start, sst_end, sst_text) < 0 || sst.failed)) {
		*why = "the shared strings are not well-formed XML";
		goto out;
	}
	if (parse_xml(ws, wl, &sh, sheet_start, sheet_end, sheet_text) < 0 || sh.failed) {
		*why = sh.why ? sh.why : "the worksheet is not well-formed XML";
		goto out;
	}
	*rows = sh.rows;
	*nrows = sh.n;
	rc = 0;
out:
	buf_release(&sst.text);
	buf_release(&sh.value);
	free(ss);
	free(ws);
	zip_close(z);
	zip_error_fini(&ze);
	return rc;
}
