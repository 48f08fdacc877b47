#include "store/fts.h"

int
fts_put(struct db *db, int64_t procedure_id, const char *name_key, const char *field_key,
	const char *body_key)
{
	struct db_stmt *st;
	int rc;
	if (db_kind(db) == DB_POSTGRES) {
		st = db_prepare(db, "UPDATE procedure_search SET tsv = to_tsvector('simple', "
				    "CAST(? AS TEXT) || ' ' || CAST(? AS TEXT) || ' ' || "
				    "CAST(? AS TEXT)) WHERE procedure_id = ?");
		if (!st)
			return -1;
		db_bind_text(st, 1, name_key);
		db_bind_text(st, 2, field_key);
		db_bind_text(st, 3, body_key);
		db_bind_int(st, 4, procedure_id);
		rc = db_step(st);
		db_reset(st);
		return rc == DB_DONE ? 0 : -1;
	}
	st = db_prepare(db, "DELETE FROM procedure_fts WHERE rowid = ?");
	if (!st)
		return -1;
	db_bind_int(st, 1, procedure_id);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return -1;
	st = db_prepare(db, "INSERT INTO procedure_fts (rowid, name_key, field_key, body_key) "
			    "VALUES (?, ?, ?, ?)");
	if (!st)
		return -1;
	db_bind_int(st, 1, procedure_id);
	db_bind_text(st, 2, name_key);
	db_bind_text(st, 3, field_key);
	db_bind_text(st, 4, body_key);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

const char *
fts_from_sql(struct db *db)
{
	if (db_kind(db) == DB_POSTGRES)
		return "FROM procedure_search s WHERE s.tsv @@ to_tsquery('simple', CAST(? AS "
		       "TEXT))";
	/* let the full-text index drive, then fetch each candidate's row by its key */
	return "FROM procedure_fts JOIN procedure_search s ON s.procedure_id = procedure_fts.rowid "
	       "WHERE procedure_fts MATCH ?";
}

int
fts_query(struct db *db, const struct fts_group *groups, int ngroups, struct buf *out)
{
	int pg = db_kind(db) == DB_POSTGRES;
	for (int g = 0; g < ngroups; g++) {
		if (g)
			buf_adds(out, pg ? " & " : " AND ");
		buf_addc(out, '(');
		for (int i = 0; i < groups[g].nalts; i++) {
			const struct fts_alt *a = &groups[g].alts[i];
			if (i)
				buf_adds(out, pg ? " | " : " OR ");
			/* words are [a-z0-9]+: nothing to escape, but quote them for FTS5 anyway */
			if (pg)
				buf_addf(out, "%s%s", a->word, a->prefix ? ":*" : "");
			else
				buf_addf(out, "\"%s\"%s", a->word, a->prefix ? "*" : "");
		}
		buf_addc(out, ')');
	}
	return out->overflow ? -1 : 0;
}
