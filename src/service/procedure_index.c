/*
 * procedure_index.c: the catalogue's search rows held in memory as an inverted index, so that
 * a search costs microseconds rather than a scan of every candidate row.
 *
 * The index is a snapshot of procedure_search (the versions in force) at one catalogue
 * generation: every word of the name, field and text keys with the documents (and the zones:
 * name, field, text) it occurs in, sorted so that a prefix is a range. It is rebuilt when a
 * search sees that the generation in the database moved (a write on any node bumps it), and
 * answers exactly as the SQL path of procedure_search.c does (same candidates, same score), so
 * either can serve; the SQL path (the store's full-text index) serves when the index is off
 * (MOTCUA_SEARCH=sql) or the catalogue is larger than PIDX_MAX_DOCS.
 *
 * Concurrency: searches hold a read lock while they read the index; a rebuild is made outside
 * the lock and swapped in under the write lock, so the old one is freed with no reader left.
 */
#include "core/buf.h"
#include "service/procedure.h"
#include "service/procedure_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PIDX_MAX_DOCS 500000
#define Z_NAME	      1
#define Z_FIELD	      2
#define Z_BODY	      4

struct pidx_doc {
	int64_t id;
	const char *code, *name, *name_key, *field_code, *levels, *online_mode, *agency_key;
	int64_t unit_id;
	int name_words;
};

struct pidx_word {
	const char *w;
	uint32_t first, n; /* its postings */
};

struct pidx_post {
	uint32_t doc;
	uint8_t zones;
};

struct pidx {
	int64_t generation;
	struct pidx_doc *docs; /* by procedure id */
	size_t ndocs;
	uint32_t *by_code;	 /* doc numbers by code, for browsing */
	struct pidx_word *words; /* by word */
	size_t nwords;
	struct pidx_post *posts;
	size_t nposts;
	struct arena *arena;
};

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t build_mu = PTHREAD_MUTEX_INITIALIZER;
static struct pidx *current;
static int engine = -1; /* -1 unknown, 0 SQL, 1 index */

void
procedure_search_engine(int use_index)
{
	engine = use_index ? 1 : 0;
}

int
procedure_search_uses_index(void)
{
	if (engine < 0) {
		const char *v = getenv("MOTCUA_SEARCH");
		engine = v && strcmp(v, "sql") == 0 ? 0 : 1;
	}
	return engine;
}

static void
pidx_free(struct pidx *x)
{
	if (!x)
		return;
	free(x->docs);
	free(x->by_code);
	free(x->words);
	free(x->posts);
	arena_free(x->arena);
	free(x);
}

/* ---- building ---- */

struct token {
	uint32_t word, doc;
	uint8_t zones;
};

struct builder {
	struct pidx *x;
	/* interning: open addressing on word strings */
	uint32_t *slots;
	size_t nslots;
	const char **wstr;
	size_t nw, capw;
	struct token *tok;
	size_t ntok, captok;
	int failed;
};

static uint64_t
hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static uint32_t
intern(struct builder *b, const char *s, size_t n)
{
	if (b->nw * 2 >= b->nslots) {
		size_t ns = b->nslots ? b->nslots * 2 : 1 << 14;
		uint32_t *slots = malloc(ns * sizeof(*slots));
		if (!slots) {
			b->failed = 1;
			return 0;
		}
		memset(slots, 0xff, ns * sizeof(*slots));
		for (size_t i = 0; i < b->nw; i++) {
			size_t h = hash(b->wstr[i], strlen(b->wstr[i])) & (ns - 1);
			while (slots[h] != UINT32_MAX)
				h = (h + 1) & (ns - 1);
			slots[h] = (uint32_t)i;
		}
		free(b->slots);
		b->slots = slots;
		b->nslots = ns;
	}
	size_t h = hash(s, n) & (b->nslots - 1);
	while (b->slots[h] != UINT32_MAX) {
		const char *w = b->wstr[b->slots[h]];
		if (strncmp(w, s, n) == 0 && w[n] == '\0')
			return b->slots[h];
		h = (h + 1) & (b->nslots - 1);
	}
	if (b->nw == b->capw) {
		size_t cap = b->capw ? 2 * b->capw : 4096;
		const char **nv = realloc(b->wstr, cap * sizeof(*nv));
		if (!nv) {
			b->failed = 1;
			return 0;
		}
		b->wstr = nv;
		b->capw = cap;
	}
	b->wstr[b->nw] = arena_strndup(b->x->arena, s, n);
	b->slots[h] = (uint32_t)b->nw;
	return (uint32_t)b->nw++;
}

static void
add_tokens(struct builder *b, uint32_t doc, const char *key, uint8_t zone)
{
	for (const char *p = key; p && *p;) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (!n)
			break;
		uint32_t w = intern(b, p, n);
		if (b->ntok == b->captok) {
			size_t cap = b->captok ? 2 * b->captok : 65536;
			struct token *nt = realloc(b->tok, cap * sizeof(*nt));
			if (!nt) {
				b->failed = 1;
				return;
			}
			b->tok = nt;
			b->captok = cap;
		}
		b->tok[b->ntok++] = (struct token){w, doc, zone};
		p += n;
	}
}

static const struct pidx *sort_ctx;

static int
cmp_word_idx(const void *a, const void *b)
{
	(void)sort_ctx;
	return strcmp(((const struct pidx_word *)a)->w, ((const struct pidx_word *)b)->w);
}

static struct pidx_doc *code_docs;

static int
cmp_code(const void *a, const void *b)
{
	return strcmp(code_docs[*(const uint32_t *)a].code, code_docs[*(const uint32_t *)b].code);
}

static struct pidx *
build(const struct ctx *c, int64_t gen, struct err *e)
{
	struct db_stmt *st = db_prepare(c->db, "SELECT COUNT(*) FROM procedure_search");
	if (!st) {
		db_fail(c->db, e);
		return NULL;
	}
	int64_t count = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_reset(st);
	if (count < 0 || count > PIDX_MAX_DOCS)
		return NULL;
	struct pidx *x = calloc(1, sizeof(*x));
	struct builder b = {0};
	if (!x)
		return NULL;
	x->generation = gen;
	x->arena = arena_new(1 << 20);
	x->docs = calloc((size_t)count + 1, sizeof(*x->docs));
	b.x = x;
	st = db_prepare(c->db, "SELECT procedure_id, code, name, name_key, field_key, body_key, "
			       "name_words, field_code, levels, online_mode, agency_key, "
			       "COALESCE(competent_unit_id, 0) FROM procedure_search ORDER BY "
			       "procedure_id");
	if (!st || !x->docs) {
		if (!st)
			db_fail(c->db, e);
		pidx_free(x);
		return NULL;
	}
	int rc;
	while ((rc = db_step(st)) == DB_ROW && x->ndocs < (size_t)count) {
		uint32_t d = (uint32_t)x->ndocs++;
		struct pidx_doc *doc = &x->docs[d];
		struct arena *a = x->arena;
		doc->id = db_col_int(st, 0);
		doc->code = arena_strdup(a, db_col_text(st, 1));
		doc->name = arena_strdup(a, db_col_text(st, 2));
		doc->name_key = arena_strdup(a, db_col_text(st, 3));
		doc->name_words = (int)db_col_int(st, 6);
		doc->field_code = arena_strdup(a, db_col_text(st, 7));
		doc->levels = arena_strdup(a, db_col_text(st, 8));
		doc->online_mode = arena_strdup(a, db_col_text(st, 9));
		doc->agency_key = arena_strdup(a, db_col_text(st, 10));
		doc->unit_id = db_col_int(st, 11);
		add_tokens(&b, d, doc->name_key, Z_NAME);
		add_tokens(&b, d, db_col_text(st, 4), Z_FIELD);
		add_tokens(&b, d, db_col_text(st, 5), Z_BODY);
	}
	db_reset(st);
	if (rc != DB_DONE && rc != DB_ROW) {
		db_fail(c->db, e);
		b.failed = 1;
	}
	/* postings: counting sort of the tokens by word keeps them in document order */
	uint32_t *count_w = b.failed ? NULL : calloc(b.nw + 1, sizeof(*count_w));
	struct token *sorted = b.failed ? NULL : malloc((b.ntok + 1) * sizeof(*sorted));
	if (!count_w || !sorted)
		goto fail;
	for (size_t i = 0; i < b.ntok; i++)
		count_w[b.tok[i].word + 1]++;
	for (size_t i = 1; i <= b.nw; i++)
		count_w[i] += count_w[i - 1];
	for (size_t i = 0; i < b.ntok; i++)
		sorted[count_w[b.tok[i].word]++] = b.tok[i];
	x->posts = malloc((b.ntok + 1) * sizeof(*x->posts));
	x->words = malloc((b.nw + 1) * sizeof(*x->words));
	if (!x->posts || !x->words)
		goto fail;
	size_t np = 0, t = 0;
	for (uint32_t w = 0; w < b.nw; w++) {
		struct pidx_word *pw = &x->words[w];
		pw->w = b.wstr[w];
		pw->first = (uint32_t)np;
		for (; t < b.ntok && sorted[t].word == w; t++) {
			if (np > pw->first && x->posts[np - 1].doc == sorted[t].doc)
				x->posts[np - 1].zones |= sorted[t].zones;
			else
				x->posts[np++] = (struct pidx_post){sorted[t].doc, sorted[t].zones};
		}
		pw->n = (uint32_t)(np - pw->first);
	}
	x->nwords = b.nw;
	x->nposts = np;
	sort_ctx = x;
	qsort(x->words, x->nwords, sizeof(*x->words), cmp_word_idx);
	x->by_code = malloc((x->ndocs + 1) * sizeof(*x->by_code));
	if (!x->by_code)
		goto fail;
	for (size_t i = 0; i < x->ndocs; i++)
		x->by_code[i] = (uint32_t)i;
	code_docs = x->docs;
	qsort(x->by_code, x->ndocs, sizeof(*x->by_code), cmp_code);
	free(count_w);
	free(sorted);
	free(b.tok);
	free(b.wstr);
	free(b.slots);
	return x;
fail:
	free(count_w);
	free(sorted);
	free(b.tok);
	free(b.wstr);
	free(b.slots);
	pidx_free(x);
	return NULL;
}

const struct pidx *
pidx_acquire(const struct ctx *c, int64_t gen, struct err *e)
{
	if (!procedure_search_uses_index())
		return NULL;
	pthread_rwlock_rdlock(&lock);
	if (current && current->generation == gen)
		return current;
	pthread_rwlock_unlock(&lock);
	/* one builder at a time; the others wait for it rather than build the same */
	pthread_mutex_lock(&build_mu);
	pthread_rwlock_rdlock(&lock);
	int fresh = current && current->generation == gen;
	pthread_rwlock_unlock(&lock);
	if (!fresh) {
		struct pidx *x = build(c, gen, e);
		if (x) {
			pthread_rwlock_wrlock(&lock);
			struct pidx *old = current;
			current = x;
			pthread_rwlock_unlock(&lock);
			pidx_free(old);
		}
	}
	pthread_mutex_unlock(&build_mu);
	pthread_rwlock_rdlock(&lock);
	if (current && current->generation == gen)
		return current;
	pthread_rwlock_unlock(&lock);
	return NULL; /* too large, or the build failed: the SQL path serves */
}

void
pidx_release(void)
{
	pthread_rwlock_unlock(&lock);
}

/* ---- searching ---- */

/* The range of words starting with w (prefix) or equal to it. */
static void
word_range(const struct pidx *x, const char *w, int prefix, size_t *lo, size_t *hi)
{
	size_t a = 0, b = x->nwords, n = strlen(w);
	while (a < b) {
		size_t m = (a + b) / 2;
		if (strcmp(x->words[m].w, w) < 0)
			a = m + 1;
		else
			b = m;
	}
	*lo = a;
	if (!prefix) {
		*hi = a < x->nwords && strcmp(x->words[a].w, w) == 0 ? a + 1 : a;
		return;
	}
	size_t e = a;
	while (e < x->nwords && strncmp(x->words[e].w, w, n) == 0)
		e++;
	*hi = e;
}

static int
passes(const struct pidx_doc *d, const struct proc_filters *f)
{
	if (f->field && strcmp(d->field_code, f->field) != 0)
		return 0;
	if (f->level && !strstr(d->levels, f->level))
		return 0;
	if (f->online && strcmp(d->online_mode, f->online) != 0)
		return 0;
	if (f->agency) {
		if (f->agency_words)
			return strstr(d->agency_key, f->agency_words) != NULL;
		return d->unit_id == f->agency_unit;
	}
	return 1;
}

static void
hit_of(const struct ctx *c, const struct pidx_doc *d, int64_t score, struct proc_hit *h)
{
	h->procedure_id = d->id;
	h->code = arena_strdup(c->arena, d->code);
	h->name = arena_strdup(c->arena, d->name);
	h->field_code = arena_strdup(c->arena, d->field_code);
	const char *lv = d->levels;
	while (*lv == ' ')
		lv++;
	size_t n = strlen(lv);
	while (n && lv[n - 1] == ' ')
		n--;
	h->levels = arena_strndup(c->arena, lv, n);
	h->online_mode = arena_strdup(c->arena, d->online_mode);
	h->score = score;
}

struct best {
	int64_t score, id;
	uint32_t doc;
};

int
pidx_ranked(const struct ctx *c, const struct pidx *x, const char *code,
	    const struct fts_group *groups, int ngroups, const struct proc_filters *f,
	    int64_t after_score, int64_t after_id, int limit, struct proc_hit *out, size_t *n)
{
	*n = 0;
	if (ngroups <= 0 || x->ndocs == 0)
		return 0;
	uint8_t *mask = arena_zalloc(c->arena, (size_t)ngroups * x->ndocs);
	for (int g = 0; g < ngroups; g++) {
		uint8_t *m = mask + (size_t)g * x->ndocs;
		for (int k = 0; k < groups[g].nalts; k++) {
			size_t lo, hi;
			word_range(x, groups[g].alts[k].word, groups[g].alts[k].prefix, &lo, &hi);
			for (size_t w = lo; w < hi; w++) {
				const struct pidx_post *p = x->posts + x->words[w].first;
				for (uint32_t i = 0; i < x->words[w].n; i++)
					m[p[i].doc] |= p[i].zones;
			}
		}
	}
	/* the phrase: the words as typed (first spelling), in order, the last a prefix */
	struct buf ph = BUF_INIT(1024);
	for (int g = 0; g < ngroups; g++)
		buf_addf(&ph, " %s", groups[g].alts[0].word);
	size_t keep = (size_t)limit + 1, nb = 0;
	struct best *best = arena_alloc(c->arena, keep * sizeof(*best));
	for (size_t d = 0; d < x->ndocs; d++) {
		int all_name = 1, all_nf = 1, any = 1;
		for (int g = 0; g < ngroups && any; g++) {
			uint8_t z = mask[(size_t)g * x->ndocs + d];
			any = z != 0;
			all_name &= (z & Z_NAME) != 0;
			all_nf &= (z & (Z_NAME | Z_FIELD)) != 0;
		}
		if (!any || !passes(&x->docs[d], f))
			continue;
		const struct pidx_doc *doc = &x->docs[d];
		int64_t tier = all_name ? 0 : all_nf ? 1 : 2;
		int phrase = ngroups > 1 && strstr(doc->name_key, ph.data) != NULL;
		int64_t score = (code && strcmp(doc->code, code) == 0 ? 0 : 1) * 100000000 +
				tier * 1000000 + (phrase ? 0 : 1) * 100000 + doc->name_words;
		if (score < after_score || (score == after_score && doc->id <= after_id))
			continue;
		/* keep the best `keep`, sorted by (score, id) */
		if (nb == keep && (score > best[nb - 1].score ||
				   (score == best[nb - 1].score && doc->id > best[nb - 1].id)))
			continue;
		size_t at = nb < keep ? nb++ : keep - 1;
		while (at > 0 && (best[at - 1].score > score ||
				  (best[at - 1].score == score && best[at - 1].id > doc->id))) {
			best[at] = best[at - 1];
			at--;
		}
		best[at] = (struct best){score, doc->id, (uint32_t)d};
	}
	buf_release(&ph);
	for (size_t i = 0; i < nb; i++)
		hit_of(c, &x->docs[best[i].doc], best[i].score, &out[i]);
	*n = nb;
	return 0;
}

int
pidx_browse(const struct ctx *c, const struct pidx *x, const struct proc_filters *f,
	    const char *after_code, int limit, struct proc_hit *out, size_t *n)
{
	size_t a = 0, b = x->ndocs;
	while (a < b) {
		size_t m = (a + b) / 2;
		if (strcmp(x->docs[x->by_code[m]].code, after_code) <= 0)
			a = m + 1;
		else
			b = m;
	}
	*n = 0;
	for (size_t i = a; i < x->ndocs && *n < (size_t)limit + 1; i++) {
		const struct pidx_doc *d = &x->docs[x->by_code[i]];
		if (passes(d, f))
			hit_of(c, d, 0, &out[(*n)++]);
	}
	return 0;
}
