/*
 * form.h: printable forms (domain.md §6) as PDF, from templates that are data.
 *
 * A template (data/forms/{set}/{form}.txt, carried in the binary) is a list of directives,
 * one per line; the caller gives the values ({key} in the text), the rows of the tables and
 * the text of the QR code. The render layer knows no dossier: the service fills a struct
 * form_doc. Pages are A4 with the margins of Decree 30/2020 (left 30 mm, right 15 mm, top
 * and bottom 20 mm), Liberation Serif (Times metrics) embedded, laid out by Pango so every
 * Vietnamese diacritic is shaped, long lines wrap, and tables break across pages with their
 * header repeated. See docs/forms.md for the directives.
 */
#ifndef MOTCUA_RENDER_FORM_H
#define MOTCUA_RENDER_FORM_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

#define FORM_SET_DEFAULT "2025"

struct form_var {
	const char *key, *value;
};

struct form_table {
	const char *name;
	size_t ncols, nrows;
	const char *const *cells; /* nrows * ncols, row by row */
};

struct form_doc {
	const char *set;  /* NULL: FORM_SET_DEFAULT */
	const char *form; /* receipt, supplement, refusal, ... */
	const struct form_var *vars;
	size_t nvars;
	const struct form_table *tables;
	size_t ntables;
};

/* form_template: the template's text, or NULL (ERR_NOT_FOUND in e) when the set has no such
 * form. */
const char *form_template(const char *set, const char *form, size_t *len, struct err *e);
/* form_render_pdf: the PDF in the arena. */
int form_render_pdf(struct arena *a, const struct form_doc *d, const unsigned char **pdf,
		    size_t *len, struct err *e);

#endif
