/*
 * bench_search.c: the catalogue search in process, without HTTP: 20 representative queries
 * (what citizens type, half without diacritics, one with a typo) over the catalogue of a
 * database, each run ROUNDS times, first with the per-process result cache off (the search
 * itself: the in-memory index, or the store's full-text SQL with MOTCUA_SEARCH=sql), then on
 * (as the server answers a repeated query); prints p50 and p99 per query and over all,
 * against the 2 ms target. The floor is the same loop around loading one procedure by its
 * code (the least a catalogue page costs), printed beside it.
 *
 *   bench_search --db URL [--rounds N]         measure
 *   bench_search --db URL --generate N         first multiply the catalogue in force to N
 *                                             procedures (copies of the real ones, coded
 *                                             X.XXXXXX.Bnnnnn, one transaction each)
 *
 * Built by bench/search.sh against the build's libmotcua.a; run from the repository root.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/civil.h"
#include "service/procedure.h"
#include "service/procedure_int.h"
#include "store/db.h"
#include "store/migrate.h"

static const char *const queries[] = {
    "khai sinh",
    "dang ky ket hon",
    "dang ky khai tu",
    "sua loi sai sot giao dich",
    "tam tru",
    "giay phep xay dung nha o",
    "cap doi the can cuoc",
    "ly lich tu phap",
    "nhan cha me con",
    "khai sihn", /* a typo */
    "chứng thực bản sao",
    "đăng ký thường trú",
    "hộ kinh doanh",
    "cấp lại giấy chứng nhận bị mất",
    "xác nhận tình trạng hôn nhân",
    "trích lục hộ tịch",
    "chứng thực di chúc",
    "đăng ký lại khai sinh",
    "chấm dứt hộ kinh doanh",
    "luật sư",
};
#define NQ (sizeof(queries) / sizeof(queries[0]))

static int64_t
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static double
pct(int64_t *v, size_t n, double p)
{
	qsort(v, n, sizeof(*v), cmp64);
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);
	return (double)v[i] / 1e6;
}

static int
generate(struct ctx *c, long target)
{
	struct proc_query q = {.limit = PROC_SEARCH_MAX};
	struct proc_hit *hits;
	size_t n, total = 0;
	const char *next = NULL;
	/* the originals: every code without a bench suffix */
	size_t cap = 1024, len = 0;
	char **codes = malloc(cap * sizeof(*codes));
	struct err e = ERR_INIT;
	do {
		q.cursor = next;
		if (procedure_search(c, &q, &hits, &n, &next, &e) < 0) {
			fprintf(stderr, "bench_search: %s\n", e.message_en);
			return -1;
		}
		for (size_t i = 0; i < n; i++) {
			total++;
			if (strstr(hits[i].code, ".B"))
				continue;
			if (len == cap)
				codes = realloc(codes, (cap *= 2) * sizeof(*codes));
			codes[len++] = strdup(hits[i].code);
		}
		if (next)
			next = strdup(next); /* the arena is reset below */
		arena_reset(c->arena);
	} while (next);
	if (db_kind(c->db) == DB_SQLITE)
		db_exec(c->db, "PRAGMA synchronous=OFF"); /* bench data, not dossiers */
	long made = 0;
	for (long copy = 1; (long)total < target; copy++) {
		for (size_t i = 0; i < len && (long)total < target; i++) {
			struct proc_version v;
			struct proc_save_result res;
			if (procedure_load(c, codes[i], 0, &v, &e) < 0) {
				fprintf(stderr, "bench_search: %s: %s\n", codes[i], e.message_en);
				return -1;
			}
			char code[64];
			snprintf(code, sizeof(code), "%s.B%05ld", codes[i], copy);
			v.code = code;
			v.source = "api";
			if (procedure_save(c, &v, 0, &res, &e) < 0) {
				fprintf(stderr, "bench_search: %s: %s (%s)\n", code, e.message_en,
					e.field);
				return -1;
			}
			total += res.outcome == PROC_ADDED;
			made += res.outcome == PROC_ADDED;
			arena_reset(c->arena);
		}
	}
	printf("catalogue: %zu procedures (%ld copies added)\n", total, made);
	for (size_t i = 0; i < len; i++)
		free(codes[i]);
	free(codes);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *url = getenv("MOTCUA_DB");
	long rounds = 300, gen = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			url = argv[++i];
		else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
			rounds = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--generate") == 0 && i + 1 < argc)
			gen = strtol(argv[++i], NULL, 10);
		else {
			fprintf(stderr,
				"usage: bench_search --db URL [--rounds N] [--generate N]\n");
			return 2;
		}
	}
	if (!url || rounds < 10) {
		fprintf(stderr, "bench_search: --db URL is required\n");
		return 2;
	}
	struct err e = ERR_INIT;
	struct db *db;
	int applied;
	if (db_open(&db, url, &e) < 0 || migrate_run(db, &applied, &e) < 0) {
		fprintf(stderr, "bench_search: %s\n", e.message_en);
		return 1;
	}
	struct actor sys;
	actor_system(&sys);
	struct ctx c = {db, arena_new(1 << 20), &sys, civil_now(), "bench", "bench"};
	if (gen > 0 && generate(&c, gen) < 0)
		return 1;

	/* warm: the statement cache, the vocabulary of the typo path, the page cache */
	for (size_t q = 0; q < NQ; q++) {
		struct proc_query pq = {.q = queries[q], .limit = 20};
		struct proc_hit *hits;
		size_t n;
		const char *next;
		if (procedure_search(&c, &pq, &hits, &n, &next, &e) < 0) {
			fprintf(stderr, "bench_search: %s\n", e.message_en);
			return 1;
		}
		arena_reset(c.arena);
	}
	int64_t *all = malloc(sizeof(int64_t) * NQ * (size_t)rounds);
	int64_t *one = malloc(sizeof(int64_t) * (size_t)rounds);
	int64_t *floor = malloc(sizeof(int64_t) * (size_t)rounds);
	double p99_cold = 0, p99_warm = 0;
	for (int pass = 0; pass < 2; pass++) {
		/* first the search itself (no result cache), then as served (cache on) */
		procedure_search_cache(pass == 1);
		size_t na = 0;
		printf("search in process%s: %zu queries x %ld rounds, first page of 20 (%s, %s)\n",
		       pass ? ", result cache on" : ", no result cache", NQ, rounds,
		       db_kind_name(db), procedure_search_uses_index() ? "in-memory index" : "SQL");
		printf("  %-34s %8s %8s %6s\n", "query", "p50 ms", "p99 ms", "hits");
		for (size_t q = 0; q < NQ; q++) {
			size_t hits_n = 0;
			for (long r = 0; r < rounds; r++) {
				struct proc_query pq = {.q = queries[q], .limit = 20};
				struct proc_hit *hits;
				const char *next;
				int64_t t0 = now_ns();
				if (procedure_search(&c, &pq, &hits, &hits_n, &next, &e) < 0) {
					fprintf(stderr, "bench_search: %s\n", e.message_en);
					return 1;
				}
				int64_t dt = now_ns() - t0;
				one[r] = dt;
				all[na++] = dt;
				arena_reset(c.arena);
			}
			if (pass == 0)
				printf("  %-34s %8.3f %8.3f %6zu\n", queries[q],
				       pct(one, (size_t)rounds, 0.50),
				       pct(one, (size_t)rounds, 0.99), hits_n);
		}
		double p50 = pct(all, na, 0.50), p99 = pct(all, na, 0.99);
		printf("  %-34s %8.3f %8.3f\n", "all queries", p50, p99);
		if (pass == 0)
			p99_cold = p99;
		else
			p99_warm = p99;
	}
	/* the floor: one procedure by its code, the least a catalogue page costs */
	for (long r = 0; r < rounds; r++) {
		struct proc_version v;
		int64_t t0 = now_ns();
		if (procedure_load(&c, "1.001193", 0, &v, &e) < 0) {
			fprintf(stderr, "bench_search: %s\n", e.message_en);
			return 1;
		}
		floor[r] = now_ns() - t0;
		arena_reset(c.arena);
	}
	double f50 = pct(floor, (size_t)rounds, 0.50), f99 = pct(floor, (size_t)rounds, 0.99);
	printf("  %-34s %8.3f %8.3f\n", "floor: load 1.001193 by code", f50, f99);
	double p99 = p99_cold > p99_warm ? p99_cold : p99_warm;
	printf(
	    "search p99 %.3f ms without the result cache, %.3f ms with it (target <= 2 ms): %s\n",
	    p99_cold, p99_warm, p99 <= 2.0 ? "MET" : "MISSED");
	free(all);
	free(one);
	free(floor);
	arena_free(c.arena);
	db_close(db);
	return p99 <= 2.0 ? 0 : 3;
}
