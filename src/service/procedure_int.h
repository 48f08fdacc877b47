/*
 * procedure_int.h: what procedure.c and procedure_search.c share. Private to src/service/.
 */
#ifndef MOTCUA_PROCEDURE_INT_H
#define MOTCUA_PROCEDURE_INT_H

#include <stddef.h>

#include "core/arena.h"
#include "service/procedure.h"
#include "store/fts.h"

/* proc_words_key: text folded to its words ([a-z0-9]+), joined by single spaces with one
 * space at each end (" dang ky khai sinh "), at most max bytes; *nwords (may be NULL) gets
 * the number of words kept. */
char *proc_words_key(struct arena *a, const char *text, size_t max, int *nwords);

/* proc_code_valid: 1 for a national procedure code (1.001193, 1.012753.H19). */
int proc_code_valid(const char *code);

/* The filters of a search, as both search paths apply them. */
struct proc_filters {
	const char *field;	  /* field code, or NULL */
	const char *level;	  /* " commune " (spaces around), or NULL */
	const char *online;	  /* full | partial | none, or NULL */
	const char *agency;	  /* non-NULL when filtering by agency */
	const char *agency_words; /* " so tu phap" (a folded words key, open at the end), or NULL */
	int64_t agency_unit;	  /* the competent unit's id when agency_words is NULL */
};

/* ---- the in-memory index (procedure_index.c) ---- */
struct pidx;
/* pidx_acquire: the index of generation gen, built or rebuilt as needed, read-locked until
 * pidx_release; NULL (and nothing locked) when the index is off or cannot be built, so that
 * the SQL path serves. */
const struct pidx *pidx_acquire(const struct ctx *c, int64_t gen, struct err *e);
void pidx_release(void);
/* pidx_ranked, pidx_browse: what the SQL path of procedure_search.c answers, from memory. */
int pidx_ranked(const struct ctx *c, const struct pidx *x, const char *code,
		const struct fts_group *groups, int ngroups, const struct proc_filters *f,
		int64_t after_score, int64_t after_id, int limit, struct proc_hit *out, size_t *n);
int pidx_browse(const struct ctx *c, const struct pidx *x, const struct proc_filters *f,
		const char *after_code, int limit, struct proc_hit *out, size_t *n);
/* procedure_search_engine: 1 the in-memory index (the default), 0 the SQL path (also chosen
 * by MOTCUA_SEARCH=sql); procedure_search_uses_index: which one is in use. For tests and
 * benchmarks that compare the two. */
void procedure_search_engine(int use_index);
int procedure_search_uses_index(void);
/* procedure_search_cache: turn the per-process cache of result pages on (the default) or off
 * (benchmarks measure the search itself with it off). */
void procedure_search_cache(int on);

#endif
