/*
 * procedure_search.c: searching the catalogue as citizens type: without diacritics, in any
 * case, with the last letters missing, with a typo.
 *
 * A query is folded to words; each word becomes a group of spellings (the word as a prefix,
 * and for short syllables ending in i/y the other spelling: "ki" finds "ký"). The store's
 * full-text index (store/fts.h) returns the candidates that match every group; portable SQL
 * ranks them: all words in the name, then in name and field, then anywhere; then the name
 * holding the words as a phrase; then the shorter name; then the id. When nothing matches as
 * typed, words that start no word of the catalogue's names are replaced by the names' words
 * one edit away (insertion, deletion, substitution or transposition of neighbours), most
 * frequent first, and the query is run again. The names' vocabulary is cached per process and
 * reloaded when the catalogue's generation changes.
 */
#include "core/buf.h"
#include "service/procedure.h"
#include "service/procedure_int.h"
#include "store/fts.h"

#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORD_MAX 48
/* the rank of a score: 0 all words in the name, 1 in name and field, 2 anywhere */
#define TIER(score) (((score) / 1000000) % 100)
#define CORRECTIONS 3

/* ---- the vocabulary of names and fields, for corrections ---- */

struct vocab_word {
	const char *w;
	int df;
};

static pthread_mutex_t vocab_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
	int64_t generation; /* -1: never loaded */
	struct vocab_word *words;
	size_t n;
	char *pool;
} vocab = {-1, NULL, 0, NULL};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int64_t
generation(const struct ctx *c)
{
	struct db_stmt *st =
	    db_prepare(c->db, "SELECT generation FROM catalogue_state WHERE id = 1");
	if (!st)
		return -1;
	int64_t g = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_reset(st);
	return g;
}

/* Load the vocabulary when the catalogue changed. Called with vocab_mu held. */
static int
vocab_load(const struct ctx *c, int64_t g, struct err *e)
{
	if (g == vocab.generation)
		return 0;
	struct db_stmt *st = db_prepare(c->db, "SELECT name_key, field_key FROM procedure_search");
	if (!st)
		return db_fail(c->db, e);
	struct buf pool = BUF_INIT((size_t)1 << 30);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		buf_adds(&pool, db_col_text(st, 0));
		buf_adds(&pool, db_col_text(st, 1));
	}
	db_reset(st);
	if (rc != DB_DONE) {
		buf_release(&pool);
		return db_fail(c->db, e);
	}
	size_t count = 0;
	for (size_t i = 0; i < pool.len; i++)
		count += pool.data[i] == ' ' && i + 1 < pool.len && pool.data[i + 1] != ' ';
	const char **all = malloc((count + 1) * sizeof(*all));
	size_t n = 0;
	if (!all) {
		buf_release(&pool);
		return err_set(e, ERR_INTERNAL, "", "Hết bộ nhớ", "out of memory");
	}
	char *p = pool.data ? pool.data : (char *)"";
	while (*p) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		all[n++] = p;
		while (*p && *p != ' ')
			p++;
	}
	qsort(all, n, sizeof(*all), cmp_str);
	struct vocab_word *words = malloc((n + 1) * sizeof(*words));
	size_t m = 0;
	for (size_t i = 0; i < n && words; i++) {
		if (m && strcmp(words[m - 1].w, all[i]) == 0) {
			words[m - 1].df++;
			continue;
		}
		words[m++] = (struct vocab_word){all[i], 1};
	}
	free(all);
	if (!words) {
		buf_release(&pool);
		return err_set(e, ERR_INTERNAL, "", "Hết bộ nhớ", "out of memory");
	}
	free(vocab.words);
	free(vocab.pool);
	vocab.words = words;
	vocab.n = m;
	size_t len;
	vocab.pool = buf_detach(&pool, &len);
	vocab.generation = g;
	return 0;
}

/* 1 when some vocabulary word starts with w. */
static int
vocab_has_prefix(const char *w)
{
	size_t lo = 0, hi = vocab.n, n = strlen(w);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(vocab.words[mid].w, w) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < vocab.n && strncmp(vocab.words[lo].w, w, n) == 0;
}

/* 1 when a and b are one edit apart: an insertion, a deletion, a substitution, or two
 * neighbours swapped ("sihn" and "sinh"). */
static int
one_edit(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i = 0;
	if (la > lb + 1 || lb > la + 1)
		return 0;
	while (i < la && i < lb && a[i] == b[i])
		i++;
	if (la == lb) {
		if (i == la)
			return 0; /* the same word */
		if (strcmp(a + i + 1, b + i + 1) == 0)
			return 1;
		return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		       strcmp(a + i + 2, b + i + 2) == 0;
	}
	if (la + 1 == lb)
		return strcmp(a + i, b + i + 1) == 0;
	return strcmp(a + i + 1, b + i) == 0;
}

/* 1 when x and y are neighbours on a QWERTY keyboard (the commonest slip of a finger). */
static int
key_neighbours(char x, char y)
{
	static const char *const rows[] = {"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"};
	int rx = -1, cx = 0, ry = -1, cy = 0;
	for (int r = 0; r < 4; r++) {
		const char *p;
		if ((p = strchr(rows[r], x)) && x) {
			rx = r;
			cx =
			    (int)(p - rows[r]) * 2 + r; /* each row sits half a key further right */
		}
		if ((p = strchr(rows[r], y)) && y) {
			ry = r;
			cy = (int)(p - rows[r]) * 2 + r;
		}
	}
	return rx >= 0 && ry >= 0 && abs(rx - ry) <= 1 && abs(cx - cy) <= 2 && x != y;
}

/* How likely a typo turns `to` into `typed`: 0 two neighbours swapped or a neighbouring key,
 * 1 another letter, 2 a letter missing or extra. */
static int
edit_class(const char *typed, const char *to)
{
	size_t lt = strlen(typed), lo = strlen(to), i = 0;
	if (lt != lo)
		return 2;
	while (typed[i] && typed[i] == to[i])
		i++;
	if (typed[i] && typed[i + 1] == to[i] && typed[i + 1] != to[i + 1])
		return 0; /* swapped */
	return key_neighbours(typed[i], to[i]) ? 0 : 1;
}

/* 1 when a is a better correction than b for the typed word. */
static int
better(const struct vocab_word *a, const struct vocab_word *b, const char *typed)
{
	int ca = edit_class(typed, a->w), cb = edit_class(typed, b->w);
	if (ca != cb)
		return ca < cb;
	return a->df > b->df;
}

/* ---- building and running a query ---- */

struct qword {
	char w[WORD_MAX];
};

static void
group_add(struct fts_group *g, const char *word, int prefix, struct arena *a)
{
	for (int i = 0; i < g->nalts; i++)
		if (strcmp(g->alts[i].word, word) == 0) {
			g->alts[i].prefix |= prefix;
			return;
		}
	if (g->nalts < FTS_MAX_ALTS)
		g->alts[g->nalts++] = (struct fts_alt){arena_strdup(a, word), prefix};
}

/* The word and, for a short syllable ending in i or y, its other spelling. */
static void
group_spellings(struct fts_group *g, const char *w, struct arena *a)
{
	group_add(g, w, 1, a);
	size_t n = strlen(w);
	if (n >= 2 && n <= 3 && (w[n - 1] == 'i' || w[n - 1] == 'y') &&
	    !strchr("aeiouy", w[n - 2])) {
		char alt[WORD_MAX];
		snprintf(alt, sizeof(alt), "%s", w);
		alt[n - 1] = w[n - 1] == 'i' ? 'y' : 'i';
		group_add(g, alt, 1, a);
	}
}

#define FILTERS                                                                                    \
	" AND (CAST(? AS TEXT) IS NULL OR s.field_code = ?)"                                       \
	" AND (CAST(? AS TEXT) IS NULL OR s.levels LIKE ?)"                                        \
	" AND (CAST(? AS TEXT) IS NULL OR s.online_mode = ?)"                                      \
	" AND (CAST(? AS TEXT) IS NULL OR s.agency_key LIKE ? OR "                                 \
	"s.competent_unit_id = CAST(? AS BIGINT))"

static int
bind_filters(const struct ctx *c, struct db_stmt *st, int i, const struct proc_filters *f)
{
	const char *level = f->level ? arena_printf(c->arena, "%%%s%%", f->level) : NULL;
	const char *agency =
	    f->agency_words ? arena_printf(c->arena, "%%%s%%", f->agency_words) : NULL;
	db_bind_text(st, i++, f->field);
	db_bind_text(st, i++, f->field);
	db_bind_text(st, i++, level);
	db_bind_text(st, i++, level);
	db_bind_text(st, i++, f->online);
	db_bind_text(st, i++, f->online);
	db_bind_text(st, i++, f->agency);
	db_bind_text(st, i++, agency);
	db_bind_int(st, i++, f->agency_words ? -1 : f->agency_unit);
	return i;
}

/* The ranked query's SQL for this dialect, built once. */
static const char *
ranked_sql(struct db *db)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static char sql[2][8192];
	int k = db_kind(db) == DB_POSTGRES;
	pthread_mutex_lock(&mu);
	if (sql[k][0]) {
		pthread_mutex_unlock(&mu);
		return sql[k];
	}
	struct buf b = BUF_INIT(sizeof(sql[0]) - 1);
	buf_adds(&b,
		 "SELECT t.procedure_id, t.code, t.name, t.field_code, t.levels, t.online_mode, "
		 "t.score FROM (SELECT s.procedure_id, s.code, s.name, s.field_code, s.levels, "
		 "s.online_mode, (CASE WHEN s.code = ? THEN 0 ELSE 1 END) * 100000000 + (CASE "
		 "WHEN ");
	for (int g = 0; g < FTS_MAX_GROUPS; g++) {
		buf_adds(&b, g ? " AND (" : "(");
		for (int i = 0; i < FTS_MAX_ALTS; i++)
			buf_adds(&b, i ? " OR s.name_key LIKE ?" : "s.name_key LIKE ?");
		buf_addc(&b, ')');
	}
	buf_adds(&b, " THEN 0 WHEN ");
	for (int g = 0; g < FTS_MAX_GROUPS; g++) {
		buf_adds(&b, g ? " AND (" : "(");
		for (int i = 0; i < FTS_MAX_ALTS; i++)
			buf_adds(&b, i ? " OR s.name_key LIKE ? OR s.field_key LIKE ?"
				       : "s.name_key LIKE ? OR s.field_key LIKE ?");
		buf_addc(&b, ')');
	}
	buf_adds(&b, " THEN 1 ELSE 2 END) * 1000000 + (CASE WHEN s.name_key LIKE ? THEN 0 ELSE 1 "
		     "END) * 100000 + s.name_words AS score ");
	buf_adds(&b, fts_from_sql(db));
	buf_adds(&b, FILTERS ") t WHERE t.score > ? OR (t.score = ? AND t.procedure_id > ?) "
			     "ORDER BY t.score, t.procedure_id LIMIT ?");
	if (!b.overflow)
		memcpy(sql[k], b.data, b.len + 1);
	buf_release(&b);
	pthread_mutex_unlock(&mu);
	return sql[k];
}

static int
read_hits(const struct ctx *c, struct db_stmt *st, int limit, struct proc_hit *v, size_t *n)
{
	int rc;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n >= (size_t)limit + 1)
			continue;
		struct proc_hit *h = &v[(*n)++];
		h->procedure_id = db_col_int(st, 0);
		h->code = arena_strdup(c->arena, db_col_text(st, 1));
		h->name = arena_strdup(c->arena, db_col_text(st, 2));
		h->field_code = arena_strdup(c->arena, db_col_text(st, 3));
		const char *lv = db_col_text(st, 4);
		while (lv && *lv == ' ')
			lv++;
		size_t ln = lv ? strlen(lv) : 0;
		while (ln && lv[ln - 1] == ' ')
			ln--;
		h->levels = arena_strndup(c->arena, lv ? lv : "", ln);
		h->online_mode = arena_strdup(c->arena, db_col_text(st, 5));
		h->score = db_col_int(st, 6);
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

static int
run_ranked(const struct ctx *c, const struct pidx *x, const char *code,
	   const struct fts_group *groups, int ngroups, const struct proc_filters *f,
	   int64_t after_score, int64_t after_id, int limit, struct proc_hit *out, size_t *n,
	   struct err *e)
{
	if (x)
		return pidx_ranked(c, x, code, groups, ngroups, f, after_score, after_id, limit,
				   out, n);
	struct buf q = BUF_INIT(4096);
	if (fts_query(c->db, groups, ngroups, &q) < 0) {
		buf_release(&q);
		return err_set(e, ERR_VALIDATION, "q", "Câu tìm kiếm quá dài", "query too long");
	}
	struct db_stmt *st = db_prepare(c->db, ranked_sql(c->db));
	if (!st) {
		buf_release(&q);
		return db_fail(c->db, e);
	}
	struct arena *a = c->arena;
	int i = 1;
	db_bind_text(st, i++, code);
	for (int pass = 0; pass < 2; pass++) {
		for (int g = 0; g < FTS_MAX_GROUPS; g++)
			for (int k = 0; k < FTS_MAX_ALTS; k++) {
				const char *pat = NULL;
				if (g >= ngroups)
					pat = k == 0 ? "%" : NULL;
				else if (k < groups[g].nalts)
					pat = arena_printf(a, "%% %s%s", groups[g].alts[k].word,
							   groups[g].alts[k].prefix ? "%" : " %");
				db_bind_text(st, i++, pat);
				if (pass == 1)
					db_bind_text(st, i++, pat);
			}
	}
	/* the phrase: the words as typed (first spelling), in order */
	struct buf ph = BUF_INIT(1024);
	buf_adds(&ph, "% ");
	for (int g = 0; g < ngroups; g++)
		buf_addf(&ph, "%s%s", g ? " " : "", groups[g].alts[0].word);
	buf_addc(&ph, '%');
	db_bind_text(st, i++, ngroups > 1 ? ph.data : NULL);
	db_bind_text(st, i++, q.data);
	i = bind_filters(c, st, i, f);
	db_bind_int(st, i++, after_score);
	db_bind_int(st, i++, after_score);
	db_bind_int(st, i++, after_id);
	db_bind_int(st, i++, limit + 1);
	buf_release(&ph);
	buf_release(&q);
	if (read_hits(c, st, limit, out, n) < 0)
		return db_fail(c->db, e);
	return 0;
}

static int
run_browse(const struct ctx *c, const struct pidx *x, const struct proc_filters *f,
	   const char *after_code, int limit, struct proc_hit *out, size_t *n, struct err *e)
{
	if (x)
		return pidx_browse(c, x, f, after_code, limit, out, n);
	struct db_stmt *st = db_prepare(
	    c->db, "SELECT s.procedure_id, s.code, s.name, s.field_code, s.levels, s.online_mode, "
		   "0 FROM procedure_search s WHERE s.code > ?" FILTERS " ORDER BY s.code LIMIT ?");
	if (!st)
		return db_fail(c->db, e);
	db_bind_text(st, 1, after_code);
	int i = bind_filters(c, st, 2, f);
	db_bind_int(st, i, limit + 1);
	if (read_hits(c, st, limit, out, n) < 0)
		return db_fail(c->db, e);
	return 0;
}

/* Split the folded query into words (at most FTS_MAX_GROUPS, each shorter than WORD_MAX). */
static int
query_words(const struct ctx *c, const char *q, struct qword *w)
{
	char *key = proc_words_key(c->arena, q, 1000, NULL);
	int n = 0;
	for (char *p = key; *p && n < FTS_MAX_GROUPS;) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (!len)
			break;
		if (len < WORD_MAX) {
			memcpy(w[n].w, p, len);
			w[n].w[len] = '\0';
			n++;
		}
		p += len;
	}
	return n;
}

/* The corrected groups: words that start no name word replaced by those one edit away.
 * Returns the number of groups, 0 when nothing could be corrected. */
static int
corrected_groups(const struct ctx *c, int64_t gen, const struct qword *w, int nw,
		 struct fts_group *groups, struct err *e)
{
	int ng = 0, changed = 0;
	pthread_mutex_lock(&vocab_mu);
	if (vocab_load(c, gen, e) < 0) {
		pthread_mutex_unlock(&vocab_mu);
		return -1;
	}
	for (int i = 0; i < nw; i++) {
		struct fts_group *g = &groups[ng];
		memset(g, 0, sizeof(*g));
		if (vocab_has_prefix(w[i].w) || strlen(w[i].w) < 3) {
			group_spellings(g, w[i].w, c->arena);
			ng++;
			continue;
		}
		changed = 1;
		/* the CORRECTIONS likeliest words one edit away (see edit_class), then the most
		 * frequent */
		size_t best[CORRECTIONS];
		int nb = 0;
		for (size_t k = 0; k < vocab.n; k++) {
			const struct vocab_word *cand = &vocab.words[k];
			if (strlen(cand->w) < 3 || !one_edit(w[i].w, cand->w))
				continue;
			int j = nb < CORRECTIONS ? nb++ : CORRECTIONS;
			/* insertion sort by (edit class, df), dropping the worst */
			while (j > 0 && better(cand, &vocab.words[best[j - 1]], w[i].w)) {
				if (j < CORRECTIONS)
					best[j] = best[j - 1];
				j--;
			}
			if (j < CORRECTIONS)
				best[j] = k;
		}
		for (int j = 0; j < nb; j++)
			group_add(g, vocab.words[best[j]].w, 0, c->arena);
		if (g->nalts)
			ng++; /* a word nothing resembles is dropped */
	}
	pthread_mutex_unlock(&vocab_mu);
	return changed ? ng : 0;
}

static int
parse_cursor(const char *cur, char *kind, int64_t *score, int64_t *id, const char **code)
{
	if (!cur || !*cur)
		return 0;
	*kind = cur[0];
	if (cur[0] == 'c') {
		*code = cur + 1;
		return proc_code_valid(cur + 1) ? 0 : -1;
	}
	if (cur[0] != 's' && cur[0] != 't')
		return -1;
	char *end;
	long long s = strtoll(cur + 1, &end, 10);
	if (end == cur + 1 || *end != '.' || s < 0)
		return -1;
	const char *p = end + 1;
	long long i = strtoll(p, &end, 10);
	if (end == p || *end || i < 0)
		return -1;
	*score = s;
	*id = i;
	return 0;
}

static int
search_in(const struct ctx *c, int64_t gen, const struct pidx *x, const struct proc_query *pq,
	  struct proc_hit **out, size_t *n, const char **next_cursor, struct err *e)
{
	int limit = pq->limit > 0 ? pq->limit : 50;
	if (limit > PROC_SEARCH_MAX)
		return err_setf(e, ERR_VALIDATION, "limit", "limit tối đa là %d",
				"limit must be at most %d", PROC_SEARCH_MAX);
	*out = NULL;
	*n = 0;
	*next_cursor = NULL;
	struct proc_filters f = {pq->field && *pq->field ? pq->field : NULL,
				 NULL,
				 pq->online && *pq->online ? pq->online : NULL,
				 NULL,
				 NULL,
				 -1};
	if (pq->level && *pq->level)
		f.level = arena_printf(c->arena, " %s ", pq->level);
	if (pq->agency && *pq->agency) {
		f.agency = pq->agency;
		if (strspn(pq->agency, "0123456789") == strlen(pq->agency) &&
		    strlen(pq->agency) < 19) {
			f.agency_unit = strtoll(pq->agency, NULL, 10);
		} else {
			char *k = proc_words_key(c->arena, pq->agency, 400, NULL);
			size_t kl = strlen(k);
			if (kl > 1)
				k[kl - 1] = '\0'; /* the last word may be a prefix */
			f.agency_words = k;
		}
	}
	char kind = 0;
	int64_t after_score = -1, after_id = 0;
	const char *after_code = "";
	if (parse_cursor(pq->cursor, &kind, &after_score, &after_id, &after_code) < 0)
		return err_set(e, ERR_VALIDATION, "cursor", "Con trỏ trang không hợp lệ",
			       "invalid cursor");
	struct proc_hit *v = arena_alloc(c->arena, ((size_t)limit + 1) * sizeof(*v));
	size_t got = 0;
	struct qword words[FTS_MAX_GROUPS];
	int nw = pq->q ? query_words(c, pq->q, words) : 0;
	if (nw == 0) {
		if (kind && kind != 'c')
			return err_set(e, ERR_VALIDATION, "cursor", "Con trỏ trang không hợp lệ",
				       "invalid cursor");
		if (run_browse(c, x, &f, after_code, limit, v, &got, e) < 0)
			return -1;
		if (got > (size_t)limit) {
			got = (size_t)limit;
			*next_cursor = arena_printf(c->arena, "c%s", v[got - 1].code);
		}
		*out = v;
		*n = got;
		return 0;
	}
	if (kind == 'c')
		return err_set(e, ERR_VALIDATION, "cursor", "Con trỏ trang không hợp lệ",
			       "invalid cursor");
	/* a query that is a procedure's code ranks that procedure first */
	const char *code = proc_code_valid(pq->q) ? pq->q : NULL;
	struct fts_group groups[FTS_MAX_GROUPS];
	int ng = 0;
	char mode = 's';
	if (kind != 't') {
		for (int i = 0; i < nw; i++) {
			memset(&groups[ng], 0, sizeof(groups[ng]));
			group_spellings(&groups[ng++], words[i].w, c->arena);
		}
		if (run_ranked(c, x, code, groups, ng, &f, after_score, after_id, limit, v, &got,
			       e) < 0)
			return -1;
	}
	/* Nothing as typed, or only matches in the text: try the corrected spellings, and keep
	 * them when they match a name or a field (or anything, when the text had nothing). */
	if (kind == 't' || (!kind && (got == 0 || TIER(v[0].score) == 2))) {
		struct fts_group fixed[FTS_MAX_GROUPS];
		int nf = corrected_groups(c, gen, words, nw, fixed, e);
		if (nf < 0)
			return -1;
		struct proc_hit *w = arena_alloc(c->arena, ((size_t)limit + 1) * sizeof(*w));
		size_t wgot = 0;
		if (nf > 0 && run_ranked(c, x, code, fixed, nf, &f, after_score, after_id, limit, w,
					 &wgot, e) < 0)
			return -1;
		if (kind == 't' ||
		    (wgot > 0 && (got == 0 || TIER(w[0].score) < TIER(v[0].score)))) {
			v = w;
			got = wgot;
			mode = 't';
		}
	}
	if (got > (size_t)limit) {
		got = (size_t)limit;
		*next_cursor = arena_printf(c->arena, "%c%" PRId64 ".%" PRId64, mode,
					    v[got - 1].score, v[got - 1].procedure_id);
	}
	*out = v;
	*n = got;
	return 0;
}

/* ---- the result cache ----
 * Citizens ask the same few questions ("khai sinh", "tạm trú") over and over, and the
 * catalogue changes rarely: the pages of the most recent queries are kept per process, keyed
 * by the catalogue generation and the request (folded words, filters, limit, cursor), so that
 * any write, on any node, makes them stale at once. */

#define CACHE_SLOTS 1024 /* a power of two; a new query replaces what its slot held */

struct cached {
	int64_t generation;
	char *key;
	struct proc_hit *hits; /* strings in the same allocation */
	size_t n;
	char *next;
};

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct cached cache[CACHE_SLOTS];
static int cache_on = 1;

void
procedure_search_cache(int on)
{
	cache_on = on;
}

static char *
cache_key(const struct ctx *c, const struct proc_query *pq)
{
	char *words = proc_words_key(c->arena, pq->q, 1000, NULL);
	return arena_printf(c->arena, "%s|%s|%s|%s|%s|%d|%s", words, pq->field ? pq->field : "",
			    pq->level ? pq->level : "", pq->online ? pq->online : "",
			    pq->agency ? pq->agency : "", pq->limit, pq->cursor ? pq->cursor : "");
}

static size_t
cache_slot(const char *key)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return (size_t)(h & (CACHE_SLOTS - 1));
}

static int
cache_get(const struct ctx *c, int64_t gen, const char *key, struct proc_hit **out, size_t *n,
	  const char **next)
{
	size_t s = cache_slot(key);
	int found = 0;
	pthread_mutex_lock(&cache_mu);
	struct cached *k = &cache[s];
	if (k->key && k->generation == gen && strcmp(k->key, key) == 0) {
		struct proc_hit *v = arena_alloc(c->arena, (k->n + 1) * sizeof(*v));
		for (size_t i = 0; i < k->n; i++) {
			v[i] = k->hits[i];
			v[i].code = arena_strdup(c->arena, k->hits[i].code);
			v[i].name = arena_strdup(c->arena, k->hits[i].name);
			v[i].field_code = arena_strdup(c->arena, k->hits[i].field_code);
			v[i].levels = arena_strdup(c->arena, k->hits[i].levels);
			v[i].online_mode = arena_strdup(c->arena, k->hits[i].online_mode);
		}
		*out = v;
		*n = k->n;
		*next = k->next ? arena_strdup(c->arena, k->next) : NULL;
		found = 1;
	}
	pthread_mutex_unlock(&cache_mu);
	return found;
}

static void
cache_put(int64_t gen, const char *key, const struct proc_hit *v, size_t n, const char *next)
{
	size_t bytes = (n + 1) * sizeof(*v);
	for (size_t i = 0; i < n; i++)
		bytes += strlen(v[i].code) + strlen(v[i].name) + strlen(v[i].field_code) +
			 strlen(v[i].levels) + strlen(v[i].online_mode) + 5;
	struct proc_hit *h = malloc(bytes);
	char *k = strdup(key), *nx = next ? strdup(next) : NULL;
	if (!h || !k || (next && !nx)) {
		free(h);
		free(k);
		free(nx);
		return;
	}
	char *p = (char *)(h + n + 1);
	for (size_t i = 0; i < n; i++) {
		h[i] = v[i];
		const char **f[] = {&h[i].code, &h[i].name, &h[i].field_code, &h[i].levels,
				    &h[i].online_mode};
		for (size_t j = 0; j < sizeof(f) / sizeof(f[0]); j++) {
			size_t l = strlen(*f[j]) + 1;
			memcpy(p, *f[j], l);
			*f[j] = p;
			p += l;
		}
	}
	size_t s = cache_slot(key);
	pthread_mutex_lock(&cache_mu);
	struct cached old = cache[s];
	cache[s] = (struct cached){gen, k, h, n, nx};
	pthread_mutex_unlock(&cache_mu);
	free(old.key);
	free(old.hits);
	free(old.next);
}

int
procedure_search(const struct ctx *c, const struct proc_query *pq, struct proc_hit **out, size_t *n,
		 const char **next_cursor, struct err *e)
{
	int64_t gen = generation(c);
	if (gen < 0)
		return db_fail(c->db, e);
	char *key = cache_key(c, pq);
	if (cache_on && procedure_search_uses_index() &&
	    cache_get(c, gen, key, out, n, next_cursor))
		return 0;
	const struct pidx *x = pidx_acquire(c, gen, e);
	int rc = search_in(c, gen, x, pq, out, n, next_cursor, e);
	if (x)
		pidx_release();
	if (rc == 0 && x && cache_on)
		cache_put(gen, key, *out, *n, *next_cursor);
	return rc;
}
