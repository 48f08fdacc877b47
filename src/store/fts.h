/*
 * fts.h: full-text candidate retrieval over the catalogue's search rows, the one place where
 * the two databases differ: SQLite uses an FTS5 table (procedure_fts), PostgreSQL a 'simple'
 * tsvector column with a GIN index (procedure_search.tsv); both created by migration 003.
 * Both index the same text: words already folded by the caller (lower case, no diacritics,
 * [a-z0-9] only), so they tokenise alike. Ranking is not done here: the caller ranks the
 * candidates with portable SQL.
 */
#ifndef MOTCUA_FTS_H
#define MOTCUA_FTS_H

#include <stdint.h>

#include "core/buf.h"
#include "store/db.h"

#define FTS_MAX_GROUPS 6 /* words of a query */
#define FTS_MAX_ALTS   4 /* spellings tried for one word */

/* A query: every group must match; a group matches when one of its alternatives does. An
 * alternative is a word; prefix makes it match every word that starts with it. */
struct fts_alt {
	const char *word;
	int prefix;
};
struct fts_group {
	struct fts_alt alts[FTS_MAX_ALTS];
	int nalts;
};

/* fts_put: (re)index one procedure's search row; inside the caller's transaction. */
int fts_put(struct db *db, int64_t procedure_id, const char *name_key, const char *field_key,
	    const char *body_key);

/* fts_from_sql: "FROM ... WHERE <condition>" naming the search row `s` (procedure_search)
 * for the candidates of a query, with exactly one `?` parameter, to be bound to the text
 * fts_query builds. The caller may append " AND ..." to the condition. */
const char *fts_from_sql(struct db *db);

/* fts_query: the dialect's query text for groups into out. 0, or -1 on overflow. */
int fts_query(struct db *db, const struct fts_group *groups, int ngroups, struct buf *out);

#endif
