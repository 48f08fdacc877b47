/*
 * xlsx.h: reading the first worksheet of an .xlsx file (a zip of XML, ECMA-376) into rows of
 * cell texts, with libzip and expat. Enough for the portal's list exports: shared strings,
 * inline strings and numbers; no formulas are evaluated (their cached value is read), no
 * styles. Bounded: at most XLSX_MAX_ROWS rows of XLSX_MAX_COLS columns, and each XML part at
 * most XLSX_MAX_PART bytes uncompressed.
 */
#ifndef MOTCUA_XLSX_H
#define MOTCUA_XLSX_H

#include <stddef.h>

#include "core/arena.h"

#define XLSX_MAX_ROWS 200000
#define XLSX_MAX_COLS 64
#define XLSX_MAX_PART (64u << 20)

struct xlsx_row {
	int number;			  /* the row's number in the sheet (1-based) */
	const char *cells[XLSX_MAX_COLS]; /* by column (A = 0); NULL when empty */
};

/* xlsx_is: 1 when data starts like a zip archive. */
int xlsx_is(const void *data, size_t len);

/* xlsx_read: the first worksheet's rows, in the arena. 0, or -1 with *why (English). */
int xlsx_read(const void *data, size_t len, struct arena *a, struct xlsx_row **rows, size_t *nrows,
	      const char **why);

#endif
