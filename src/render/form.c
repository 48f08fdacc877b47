/* form.c: templates (data/forms/) to PDF with cairo and Pango; see form.h and docs/forms.md. */
#include "render/form.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/buf.h"
#include "core/embed.h"

#define MM(x)	    ((x)*72.0 / 25.4)
#define A4_SHORT    595.2756 /* A4 in points */
#define A4_LONG	    841.8898
#define PAGE_W	    page_w
#define PAGE_H	    page_h
#define M_LEFT	    MM(30)
#define M_RIGHT	    MM(15)
#define M_TOP	    MM(20)
#define M_BOTTOM    MM(20)
#define TEXT_W	    (PAGE_W - M_LEFT - M_RIGHT)
#define FONT	    "Liberation Serif"
#define SIZE_BODY   13.0
#define SIZE_TABLE  11.5
#define PDF_MAX	    (32u << 20)
#define LINE_MAX_CH 4096
#define MAX_COLS    16

/* Pango and fontconfig are used from one thread at a time: a render is a few milliseconds. */
static pthread_mutex_t render_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t fonts_once = PTHREAD_ONCE_INIT;
static PangoFontMap *fontmap;
static PangoContext *context; /* one for every render, so that the layouts below stay valid */
/* Laid-out text by (size, width, alignment, markup): shaping is most of a form's own time, and
 * most of a form's text recurs, within a render (every copy) and across renders (the
 * template's fixed text). Under render_lock; emptied when it is full. */
static GHashTable *layouts;
#define LAYOUTS_MAX 512
static double page_w = A4_SHORT, page_h = A4_LONG; /* under render_lock */

static void
fonts_release(void)
{
	pthread_mutex_lock(&render_lock);
	if (layouts)
		g_hash_table_destroy(layouts);
	layouts = NULL;
	if (context)
		g_object_unref(context);
	context = NULL;
	if (fontmap)
		g_object_unref(fontmap);
	fontmap = NULL;
	cairo_debug_reset_static_data();
	FcFini();
	pthread_mutex_unlock(&render_lock);
}

static void
fonts_init(void)
{
	fontmap = pango_cairo_font_map_new();
	context = pango_font_map_create_context(fontmap);
	/* glyphs where the font puts them, not at whole points: at 13 pt rounding moved every
	 * glyph and cairo wrote a correction for each, half a page's content stream */
	pango_context_set_round_glyph_positions(context, FALSE);
	layouts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
	atexit(fonts_release);
}

const char *
form_template(const char *set, const char *form, size_t *len, struct err *e)
{
	char name[128];
	if (!set)
		set = FORM_SET_DEFAULT;
	if (strchr(set, '/') || strchr(form, '/') || strchr(set, '.') || strchr(form, '.') ||
	    snprintf(name, sizeof(name), "data/forms/%s/%s.txt", set, form) >= (int)sizeof(name)) {
		err_set(e, ERR_NOT_FOUND, "form", "Không có mẫu này", "no such form");
		return NULL;
	}
	const struct embed_file *f = embed_find(name);
	if (!f) {
		err_setf(e, ERR_NOT_FOUND, "form", "Bộ mẫu %s không có mẫu %s",
			 "form set %s has no form %s", set, form);
		return NULL;
	}
	*len = f->len;
	return (const char *)f->data;
}

/* ---- drawing state ---- */

/* A copy's pages, each as two recording surfaces: what every copy shows (common) and what
 * depends on the copy ({copy}, {copy_label}). When a later copy's text falls exactly where
 * the first copy's did, its pages show the first copy's common layer: one form XObject in
 * the PDF for all the copies, written and compressed once. */
struct layers {
	cairo_surface_t **common, **own;
	int n, cap;
	double *trace; /* page and y at each directive, to compare with the first copy */
	size_t ntrace, tcap;
};

struct pen {
	cairo_t *cr; /* one of the two below, for the directive being drawn */
	cairo_t *cr_common, *cr_own;
	cairo_surface_t *rec_common, *rec_own;
	cairo_t *pdf; /* the document; drawn on directly when there is one copy */
	int direct;
	int own;	  /* the directive depends on the copy */
	struct layers *l; /* the copy's pages so far */
	PangoContext *pc;
	double y;
	const struct form_doc *d;
	struct arena *a;
	int pages;
	int copy;	     /* 1-based, for {copy} */
	char *copy_label[4]; /* for {copy_label} */
	double table_size;
	char *qr_text; /* the last QR code, drawn once and shown again on every copy */
	cairo_surface_t *qr_rec;
	int qr_width;
};

static void
page_open(struct pen *p)
{
	if (p->direct) {
		p->cr = p->cr_common = p->cr_own = p->pdf;
		p->y = M_TOP;
		return;
	}
	cairo_rectangle_t ext = {0, 0, PAGE_W, PAGE_H};
	p->rec_common = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
	p->rec_own = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
	p->cr_common = cairo_create(p->rec_common);
	p->cr_own = cairo_create(p->rec_own);
	p->cr = p->own ? p->cr_own : p->cr_common;
	p->y = M_TOP;
}

/* page_close: the page's two layers go to the copy's list */
static void
page_close(struct pen *p)
{
	struct layers *l = p->l;
	if (p->direct)
		return;
	cairo_destroy(p->cr_common);
	cairo_destroy(p->cr_own);
	p->cr = p->cr_common = p->cr_own = NULL;
	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 4;
		cairo_surface_t **c = arena_alloc(p->a, (size_t)cap * sizeof(*c));
		cairo_surface_t **o = arena_alloc(p->a, (size_t)cap * sizeof(*o));
		if (l->n) {
			memcpy(c, l->common, (size_t)l->n * sizeof(*c));
			memcpy(o, l->own, (size_t)l->n * sizeof(*o));
		}
		l->common = c;
		l->own = o;
		l->cap = cap;
	}
	l->common[l->n] = p->rec_common;
	l->own[l->n] = p->rec_own;
	l->n++;
	p->rec_common = p->rec_own = NULL;
}

static void
trace(struct pen *p)
{
	struct layers *l = p->l;
	if (l->ntrace + 2 > l->tcap) {
		size_t cap = l->tcap ? 2 * l->tcap : 64;
		double *t = arena_alloc(p->a, cap * sizeof(*t));
		if (l->ntrace)
			memcpy(t, l->trace, l->ntrace * sizeof(*t));
		l->trace = t;
		l->tcap = cap;
	}
	l->trace[l->ntrace++] = l->n;
	l->trace[l->ntrace++] = p->y;
}

static void
new_page(struct pen *p)
{
	if (p->direct)
		cairo_show_page(p->pdf);
	page_close(p);
	page_open(p);
	p->pages++;
}

static void
ensure(struct pen *p, double h)
{
	if (p->y + h > PAGE_H - M_BOTTOM && p->y > M_TOP + 1)
		new_page(p);
}

static const char *
var(const struct pen *p, const char *key, size_t n)
{
	const struct form_doc *d = p->d;
	if (n == 4 && memcmp(key, "copy", 4) == 0)
		return arena_printf(p->a, "%d", p->copy);
	if (n == 10 && memcmp(key, "copy_label", 10) == 0)
		return p->copy >= 1 && p->copy <= 4 ? p->copy_label[p->copy - 1] : NULL;
	for (size_t i = 0; i < d->nvars; i++)
		if (strlen(d->vars[i].key) == n && memcmp(d->vars[i].key, key, n) == 0)
			return d->vars[i].value;
	return NULL;
}

/* expand: the text with each {key} replaced by its value, escaped for Pango markup when
 * markup is set; a missing or empty value is a dotted line to fill by hand. */
static char *
expand(struct pen *p, const char *s, size_t n, int markup)
{
	struct buf b;
	buf_init(&b, 1u << 20);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '{') {
			const char *close = memchr(s + i, '}', n - i);
			if (close) {
				const char *v = var(p, s + i + 1, (size_t)(close - s - i - 1));
				if (!v || !*v)
					v = "……………………";
				if (markup) {
					char *esc = g_markup_escape_text(v, -1);
					buf_adds(&b, esc);
					g_free(esc);
				} else {
					buf_adds(&b, v);
				}
				i = (size_t)(close - s);
				continue;
			}
		}
		if (s[i] == '\\' && i + 1 < n && s[i + 1] == 'n') {
			buf_addc(&b, '\n');
			i++;
			continue;
		}
		buf_addc(&b, s[i]);
	}
	buf_addc(&b, '\0');
	char *out = arena_strdup(p->a, b.data);
	buf_release(&b);
	return out;
}

static PangoLayout *
layout_new(struct pen *p, const char *markup, double width, double size, PangoAlignment align)
{
	PangoLayout *l = pango_layout_new(p->pc);
	PangoFontDescription *fd = pango_font_description_from_string(FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, align);
	pango_layout_set_markup(l, markup, -1);
	/* no hyphen where a long word is broken: a code or a name must read back as it is */
	PangoAttrList *al = pango_layout_get_attributes(l);
	al = al ? pango_attr_list_ref(al) : pango_attr_list_new();
	pango_attr_list_insert(al, pango_attr_insert_hyphens_new(FALSE));
	pango_layout_set_attributes(l, al);
	pango_attr_list_unref(al);
	return l;
}

/* layout: the text laid out (a reference for the caller to drop), from the cache when the
 * same text was laid out at the same size and width before */
static PangoLayout *
layout(struct pen *p, const char *markup, double width, double size, PangoAlignment align)
{
	char *key = g_strdup_printf("%d|%d|%d|%s", (int)(size * PANGO_SCALE),
				    (int)(width * PANGO_SCALE), (int)align, markup);
	PangoLayout *l = g_hash_table_lookup(layouts, key);
	if (l) {
		g_free(key);
		return g_object_ref(l);
	}
	l = layout_new(p, markup, width, size, align);
	pango_layout_get_line_count(l); /* lay it out now: a cached layout is only read */
	if (g_hash_table_size(layouts) >= LAYOUTS_MAX)
		g_hash_table_remove_all(layouts);
	g_hash_table_insert(layouts, key, g_object_ref(l));
	return l;
}

static double
layout_h(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* flow: the layout's lines from the pen down, breaking pages between lines */
static void
flow(struct pen *p, PangoLayout *l, double x)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double top = 0; /* the layout's y of the first line on this page */
	int first = 1;
	do {
		PangoRectangle r;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		double ly = (double)r.y / PANGO_SCALE, lh = (double)r.height / PANGO_SCALE;
		if (first) {
			top = ly;
			first = 0;
		}
		if (p->y + (ly - top) + lh > PAGE_H - M_BOTTOM) {
			new_page(p);
			top = ly;
		}
		double base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
		cairo_move_to(p->cr, x + (double)r.x / PANGO_SCALE, p->y + (base - top));
		pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
		if (!pango_layout_iter_next_line(it)) {
			p->y += ly - top + lh;
			break;
		}
	} while (1);
	pango_layout_iter_free(it);
}

static void
paragraph(struct pen *p, const char *markup, double size, PangoAlignment align)
{
	PangoLayout *l = layout(p, markup, TEXT_W, size, align);
	flow(p, l, M_LEFT);
	g_object_unref(l);
	p->y += 2;
}

/* split: up to max fields of s separated by '|' (in the arena) */
static int
split(struct pen *p, const char *s, char **out, int max)
{
	int n = 0;
	while (n < max) {
		size_t k = strcspn(s, "|");
		out[n++] = arena_strndup(p->a, s, k);
		if (!s[k])
			break;
		s += k + 1;
	}
	return n;
}

static void
hline(struct pen *p, double cx, double w, double y)
{
	cairo_set_line_width(p->cr, 0.6);
	cairo_move_to(p->cr, cx - w / 2, y);
	cairo_line_to(p->cr, cx + w / 2, y);
	cairo_stroke(p->cr);
}

/* header: the issuing body over the unit (left), the national motto (right), both underlined
 * as official documents have them (Decree 30/2020, Appendix I). */
static void
header(struct pen *p, const char *arg)
{
	char *f[4];
	if (split(p, arg, f, 4) < 4)
		return;
	double lw = TEXT_W * 0.42, rw = TEXT_W - lw;
	char *up[2];
	for (int i = 0; i < 2; i++) { /* the issuing body is written in capitals */
		gchar *u = g_utf8_strup(expand(p, f[i], strlen(f[i]), 0), -1);
		gchar *esc = g_markup_escape_text(u, -1);
		up[i] = arena_strdup(p->a, esc);
		g_free(esc);
		g_free(u);
	}
	char *lm = arena_printf(p->a, "%s\n<b>%s</b>", up[0], up[1]);
	char *rm = arena_printf(p->a, "<b>%s</b>\n<b>%s</b>", expand(p, f[2], strlen(f[2]), 1),
				expand(p, f[3], strlen(f[3]), 1));
	PangoLayout *l = layout(p, lm, lw, 12.5, PANGO_ALIGN_CENTER);
	PangoLayout *r = layout(p, rm, rw, 12.5, PANGO_ALIGN_CENTER);
	double y0 = p->y;
	cairo_move_to(p->cr, M_LEFT, y0);
	pango_cairo_show_layout(p->cr, l);
	cairo_move_to(p->cr, M_LEFT + lw, y0);
	pango_cairo_show_layout(p->cr, r);
	double lh = layout_h(l), rh = layout_h(r);
	/* the motto's rule is as long as its second line */
	PangoRectangle ink;
	PangoLayoutLine *last =
	    pango_layout_get_line_readonly(r, pango_layout_get_line_count(r) - 1);
	pango_layout_line_get_pixel_extents(last, NULL, &ink);
	hline(p, M_LEFT + lw / 2, lw / 3, y0 + lh + 2);
	hline(p, M_LEFT + lw + rw / 2, ink.width, y0 + rh + 2);
	p->y = y0 + (lh > rh ? lh : rh) + 8;
	g_object_unref(l);
	g_object_unref(r);
}

/* numdate: the number (left) and the place and date (right, italic) */
static void
numdate(struct pen *p, const char *arg)
{
	char *f[2];
	if (split(p, arg, f, 2) < 2)
		return;
	double lw = TEXT_W * 0.42, rw = TEXT_W - lw;
	PangoLayout *l =
	    layout(p, expand(p, f[0], strlen(f[0]), 1), lw, SIZE_BODY, PANGO_ALIGN_CENTER);
	char *rm = arena_printf(p->a, "<i>%s</i>", expand(p, f[1], strlen(f[1]), 1));
	PangoLayout *r = layout(p, rm, rw, SIZE_BODY, PANGO_ALIGN_CENTER);
	cairo_move_to(p->cr, M_LEFT, p->y);
	pango_cairo_show_layout(p->cr, l);
	cairo_move_to(p->cr, M_LEFT + lw, p->y);
	pango_cairo_show_layout(p->cr, r);
	double lh = layout_h(l), rh = layout_h(r);
	p->y += (lh > rh ? lh : rh) + 10;
	g_object_unref(l);
	g_object_unref(r);
}

static const struct form_table *
find_table(const struct form_doc *d, const char *name)
{
	for (size_t i = 0; i < d->ntables; i++)
		if (strcmp(d->tables[i].name, name) == 0)
			return &d->tables[i];
	return NULL;
}

#define CELL_PAD 3.0

/* row: the layouts of one table row (cells, or the header's markup), and its height */
static double
row(struct pen *p, const char *const *cells, char *const *head, const double *w, const int *center,
    int nc, PangoLayout **cl)
{
	double h = 0;
	for (int i = 0; i < nc; i++) {
		if (head) {
			cl[i] = layout(p, head[i], w[i] - 2 * CELL_PAD, p->table_size,
				       PANGO_ALIGN_CENTER);
		} else {
			char *esc = g_markup_escape_text(cells[i] ? cells[i] : "", -1);
			cl[i] = layout(p, esc, w[i] - 2 * CELL_PAD, p->table_size,
				       center[i] ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
			g_free(esc);
		}
		double ch = layout_h(cl[i]) + 2 * CELL_PAD;
		if (ch > h)
			h = ch;
	}
	return h;
}

static void
draw_row(struct pen *p, PangoLayout **cl, const double *w, int nc, double h)
{
	double x = M_LEFT;
	cairo_set_line_width(p->cr, 0.5); /* a page break gave a new cairo_t */
	for (int i = 0; i < nc; i++) {
		cairo_rectangle(p->cr, x, p->y, w[i], h);
		cairo_stroke(p->cr);
		cairo_move_to(p->cr, x + CELL_PAD, p->y + CELL_PAD);
		pango_cairo_show_layout(p->cr, cl[i]);
		g_object_unref(cl[i]);
		x += w[i];
	}
	p->y += h;
}

/* table NAME|Heading:weight|...: the caller's rows under a header repeated on each page */
static void
table(struct pen *p, const char *arg)
{
	char *f[MAX_COLS + 1];
	int n = split(p, arg, f, MAX_COLS + 1);
	const struct form_table *t = find_table(p->d, f[0]);
	int nc = n - 1;
	if (!t || nc < 1 || (size_t)nc != t->ncols)
		return;
	double wsum = 0, w[MAX_COLS];
	int center[MAX_COLS];
	char *head[MAX_COLS];
	for (int i = 0; i < nc; i++) {
		size_t fl = strlen(f[i + 1]);
		center[i] = fl > 2 && strcmp(f[i + 1] + fl - 2, ":c") == 0;
		if (center[i])
			f[i + 1][fl - 2] = '\0';
		char *colon = strrchr(f[i + 1], ':');
		w[i] = colon ? atof(colon + 1) : 1;
		if (w[i] <= 0)
			w[i] = 1;
		if (colon)
			*colon = '\0';
		head[i] = arena_printf(p->a, "<b>%s</b>", expand(p, f[i + 1], strlen(f[i + 1]), 1));
		wsum += w[i];
	}
	for (int i = 0; i < nc; i++)
		w[i] = w[i] / wsum * TEXT_W;
	cairo_set_line_width(p->cr, 0.5);
	int need_head = 1;
	for (size_t r = 0; r < t->nrows || (r == 0 && need_head); r++) {
		PangoLayout *cl[MAX_COLS];
		double h = 0;
		if (t->nrows)
			h = row(p, t->cells + r * t->ncols, NULL, w, center, nc, cl);
		if (!need_head && p->y + h > PAGE_H - M_BOTTOM) {
			new_page(p);
			need_head = 1;
		}
		if (need_head) {
			PangoLayout *hl[MAX_COLS];
			double hh = row(p, NULL, head, w, NULL, nc, hl);
			if (p->y + hh + h > PAGE_H - M_BOTTOM && p->y > M_TOP + 1)
				new_page(p);
			draw_row(p, hl, w, nc, hh);
			need_head = 0;
		}
		if (t->nrows)
			draw_row(p, cl, w, nc, h);
	}
	p->y += 6;
}

/* sign LEFT|RIGHT: two signature blocks side by side, room to sign below */
static void
sign(struct pen *p, const char *arg)
{
	char *f[2];
	int n = split(p, arg, f, 2);
	double cw = TEXT_W / 2;
	PangoLayout *l[2] = {NULL, NULL};
	double h = 0;
	for (int i = 0; i < n; i++) {
		l[i] =
		    layout(p, expand(p, f[i], strlen(f[i]), 1), cw, SIZE_BODY, PANGO_ALIGN_CENTER);
		if (layout_h(l[i]) > h)
			h = layout_h(l[i]);
	}
	ensure(p, h + MM(25));
	for (int i = 0; i < n; i++) {
		cairo_move_to(p->cr, M_LEFT + cw * i, p->y);
		pango_cairo_show_layout(p->cr, l[i]);
		g_object_unref(l[i]);
	}
	p->y += h + MM(25);
}

/* qr_path: the dark modules as rectangles, one per horizontal run of modules, each run grown
 * down over the rows that repeat it: the same squares, a fraction of the path (cairo writes
 * every number of a path with printf, and a module each was most of a receipt's time). */
static void
qr_path(cairo_t *cr, const QRcode *q, double x0, double y0, double mod)
{
	int w = q->width;
	unsigned char *used = calloc((size_t)w * (size_t)w, 1);
	if (!used)
		return;
	for (int yy = 0; yy < w; yy++)
		for (int xx = 0; xx < w; xx++) {
			if (!(q->data[yy * w + xx] & 1) || used[yy * w + xx])
				continue;
			int x1 = xx;
			while (x1 < w && (q->data[yy * w + x1] & 1) && !used[yy * w + x1])
				x1++;
			int y1 = yy + 1; /* grow down while the row below has exactly this run */
			for (; y1 < w; y1++) {
				const unsigned char *r = q->data + y1 * w;
				int same = !(xx > 0 && (r[xx - 1] & 1)) && !(x1 < w && (r[x1] & 1));
				for (int k = xx; same && k < x1; k++)
					same = (r[k] & 1) && !used[y1 * w + k];
				if (!same)
					break;
			}
			for (int ry = yy; ry < y1; ry++)
				memset(used + ry * w + xx, 1, (size_t)(x1 - xx));
			cairo_rectangle(cr, x0 + xx * mod, y0 + yy * mod, (x1 - xx) * mod,
					(y1 - yy) * mod);
			xx = x1 - 1;
		}
	free(used);
}

/* qr_symbol: the code in module units as a recording surface; painted on a page it becomes
 * one form XObject, written into the PDF once for all the copies. */
static cairo_surface_t *
qr_symbol(const QRcode *q)
{
	cairo_rectangle_t ext = {0, 0, q->width, q->width};
	cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
	cairo_t *cr = cairo_create(rec);
	cairo_set_source_rgb(cr, 0, 0, 0);
	qr_path(cr, q, 0, 0, 1);
	cairo_fill(cr);
	cairo_destroy(cr);
	return rec;
}

/* qr TEXT|CAPTION: a QR code of TEXT at the left with the caption beside it */
static void
qr(struct pen *p, const char *arg)
{
	char *f[2];
	int n = split(p, arg, f, 2);
	char *text = expand(p, f[0], strlen(f[0]), 0);
	if (!p->qr_rec || strcmp(p->qr_text, text) != 0) {
		QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
		if (!q)
			return;
		if (p->qr_rec)
			cairo_surface_destroy(p->qr_rec);
		p->qr_rec = qr_symbol(q);
		p->qr_width = q->width;
		p->qr_text = text;
		QRcode_free(q);
	}
	double side = MM(30), mod = side / (p->qr_width + 8);
	PangoLayout *cap = n > 1 ? layout(p, expand(p, f[1], strlen(f[1]), 1),
					  TEXT_W - side - MM(5), 11.5, PANGO_ALIGN_LEFT)
				 : NULL;
	ensure(p, side);
	cairo_save(p->cr);
	cairo_translate(p->cr, M_LEFT + 4 * mod, p->y + 4 * mod);
	cairo_scale(p->cr, mod, mod);
	cairo_set_source_surface(p->cr, p->qr_rec, 0, 0);
	cairo_paint(p->cr);
	cairo_restore(p->cr);
	if (cap) {
		cairo_move_to(p->cr, M_LEFT + side + MM(5), p->y + 4 * mod);
		pango_cairo_show_layout(p->cr, cap);
		g_object_unref(cap);
	}
	p->y += side + 4;
}

static void
directive(struct pen *p, const char *line, size_t n)
{
	char word[16];
	size_t k = 0;
	while (k < n && line[k] != ' ' && k < sizeof(word) - 1) {
		word[k] = line[k];
		k++;
	}
	word[k] = '\0';
	while (k < n && line[k] == ' ')
		k++;
	const char *arg = arena_strndup(p->a, line + k, n - k);
	if (strcmp(word, "header") == 0) {
		header(p, arg);
	} else if (strcmp(word, "numdate") == 0) {
		numdate(p, arg);
	} else if (strcmp(word, "title") == 0) {
		p->y += 4;
		paragraph(p, arena_printf(p->a, "<b>%s</b>", expand(p, arg, strlen(arg), 1)), 14,
			  PANGO_ALIGN_CENTER);
	} else if (strcmp(word, "center") == 0) {
		paragraph(p, expand(p, arg, strlen(arg), 1), SIZE_BODY, PANGO_ALIGN_CENTER);
	} else if (strcmp(word, "p") == 0) {
		paragraph(p, expand(p, arg, strlen(arg), 1), SIZE_BODY, PANGO_ALIGN_LEFT);
	} else if (strcmp(word, "small") == 0) {
		paragraph(p, expand(p, arg, strlen(arg), 1), 11, PANGO_ALIGN_LEFT);
	} else if (strcmp(word, "table") == 0) {
		table(p, arg);
	} else if (strcmp(word, "sign") == 0) {
		sign(p, arg);
	} else if (strcmp(word, "qr") == 0) {
		qr(p, arg);
	} else if (strcmp(word, "space") == 0) {
		p->y += MM(atof(arg));
	} else if (strcmp(word, "tablesize") == 0) {
		double z = atof(arg);
		p->table_size = z >= 6 && z <= 16 ? z : SIZE_TABLE;
	} else if (strcmp(word, "page") == 0) {
		new_page(p);
	}
}

static cairo_status_t
write_buf(void *closure, const unsigned char *data, unsigned int len)
{
	return buf_add(closure, data, len) < 0 ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static int
copies_of(const char *t, size_t n)
{
	if (n > 7 && memcmp(t, "copies ", 7) == 0) {
		int c = (int)strtol(t + 7, NULL, 10);
		return c >= 1 && c <= 4 ? c : 1;
	}
	return 1;
}

/*
 * cairo 1.16 deflates every PDF stream (font subsets, page content) at zlib's default level,
 * 6, and has no setting for it: that was 40 % of a receipt's time (perf, bench/forms.sh).
 * This definition takes the place of zlib's own for the whole process, because the dynamic
 * linker finds the executable's symbols first: a stream opened at the default level is
 * deflated at level 1, which is three to four times faster for a few per cent more bytes.
 * A caller that asks for a level by name keeps it. tests/unit/test_render.c checks that
 * the default now gives level 1's bytes; the receipt tests read the PDFs back.
 */
int
deflateInit_(z_streamp strm, int level, const char *version, int stream_size)
{
	if (level == Z_DEFAULT_COMPRESSION)
		level = Z_BEST_SPEED;
	return deflateInit2_(strm, level, Z_DEFLATED, MAX_WBITS, 8, Z_DEFAULT_STRATEGY, version,
			     stream_size);
}

int
form_render_pdf(struct arena *a, const struct form_doc *d, const unsigned char **pdf, size_t *len,
		struct err *e)
{
	size_t tlen;
	const char *t = form_template(d->set, d->form, &tlen, e);
	if (!t)
		return -1;
	pthread_once(&fonts_once, fonts_init);
	struct buf out;
	buf_init(&out, PDF_MAX);
	pthread_mutex_lock(&render_lock);
	int landscape = memmem(t, tlen, "\nlandscape\n", 11) != NULL;
	page_w = landscape ? A4_LONG : A4_SHORT;
	page_h = landscape ? A4_SHORT : A4_LONG;
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_buf, &out, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "motcua");
	cairo_t *cr = cairo_create(s);
	PangoContext *pc = context;
	pango_cairo_update_context(cr, pc);
	struct pen p = {.pdf = cr, .pc = pc, .d = d, .a = a, .pages = 1, .table_size = SIZE_TABLE};
	int copies = 1;
	const char *cl = memmem(t, tlen, "\ncopies ", 8);
	if (cl) {
		cl++;
		const char *nl = memchr(cl, '\n', tlen - (size_t)(cl - t));
		size_t n = nl ? (size_t)(nl - cl) : tlen - (size_t)(cl - t);
		copies = copies_of(cl, n);
		char *f[5];
		int nf = split(&p, arena_strndup(a, cl, n), f, 5);
		for (int k = 1; k < nf; k++)
			p.copy_label[k - 1] = f[k];
	}
	p.direct = copies == 1;
	struct layers *ly = arena_alloc(a, (size_t)copies * sizeof(*ly));
	memset(ly, 0, (size_t)copies * sizeof(*ly));
	for (int copy = 0; copy < copies; copy++) {
		p.l = &ly[copy];
		p.own = 0;
		p.table_size = SIZE_TABLE; /* every copy from the same state */
		page_open(&p);
		p.copy = copy + 1;
		size_t i = 0;
		while (i < tlen) {
			const char *nl = memchr(t + i, '\n', tlen - i);
			size_t n = nl ? (size_t)(nl - t - i) : tlen - i;
			const char *line = t + i;
			i += n + 1;
			if (n == 0 || line[0] == '#' || n > LINE_MAX_CH)
				continue;
			if (n > 7 && memcmp(line, "copies ", 7) == 0)
				continue;
			if (copy == 0 && n > 6 && memcmp(line, "title ", 6) == 0) {
				const char *ti = expand(&p, line + 6, n - 6, 0);
				cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, ti);
			}
			p.own = memmem(line, n, "{copy", 5) != NULL;
			p.cr = p.own ? p.cr_own : p.cr_common;
			trace(&p);
			directive(&p, line, n);
		}
		page_close(&p);
	}
	/* the pages, each its layers; a copy laid out as the first shows the first's common */
	for (int copy = 0; copy < copies && !p.direct; copy++) {
		const struct layers *l = &ly[copy], *l0 = &ly[0];
		int same = copy > 0 && l->n == l0->n && l->ntrace == l0->ntrace &&
			   memcmp(l->trace, l0->trace, l->ntrace * sizeof(double)) == 0;
		for (int k = 0; k < l->n; k++) {
			cairo_set_source_surface(cr, same ? l0->common[k] : l->common[k], 0, 0);
			cairo_paint(cr);
			double x, y, w, h;
			cairo_recording_surface_ink_extents(l->own[k], &x, &y, &w, &h);
			if (w > 0 && h > 0) {
				cairo_set_source_surface(cr, l->own[k], 0, 0);
				cairo_paint(cr);
			}
			if (copy < copies - 1 || k < l->n - 1)
				cairo_show_page(cr);
		}
	}
	cairo_destroy(cr);
	cairo_surface_finish(s);
	for (int copy = 0; copy < copies; copy++)
		for (int k = 0; k < ly[copy].n; k++) {
			cairo_surface_destroy(ly[copy].common[k]);
			cairo_surface_destroy(ly[copy].own[k]);
		}
	if (p.qr_rec)
		cairo_surface_destroy(p.qr_rec);
	cairo_status_t st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	pthread_mutex_unlock(&render_lock);
	if (st != CAIRO_STATUS_SUCCESS) {
		buf_release(&out);
		return err_setf(e, ERR_INTERNAL, "", "Không tạo được tệp PDF: %s",
				"PDF rendering failed: %s", cairo_status_to_string(st));
	}
	unsigned char *mem = arena_alloc(a, out.len ? out.len : 1);
	memcpy(mem, out.data, out.len);
	*pdf = mem;
	*len = out.len;
	buf_release(&out);
	return 0;
}
