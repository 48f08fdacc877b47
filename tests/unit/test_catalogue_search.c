/* test_catalogue_search.c: the two search paths of the catalogue give the same answers — the
 * in-memory index (the default) and the store's full-text SQL (FTS5 on SQLite, a 'simple'
 * tsvector on PostgreSQL when MOTCUA_PG_URL names a database) — over the seed catalogue, for
 * plain and accented queries, typos, filters, browsing and every page of a keyset walk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "api/import.h"
#include "core/civil.h"
#include "core/log.h"
#include "crypto/crypto.h"
#include "service/demo.h"
#include "service/procedure.h"
#include "service/procedure_int.h"
#include "store/db.h"
#include "store/migrate.h"

struct fx {
	struct db *db;
	struct arena *arena;
	struct actor sys;
	struct ctx c;
	char dir[64], url[128];
};

static int
setup(struct fx *f, const char *url)
{
	struct err e = ERR_INIT;
	int applied;
	log_set_level(LOG__MAX);
	if (crypto_init() < 0)
		return -1;
	if (!url) {
		snprintf(f->dir, sizeof(f->dir), "/tmp/motcua-test-cat.XXXXXX");
		if (!mkdtemp(f->dir))
			return -1;
		snprintf(f->url, sizeof(f->url), "sqlite:%s/t.db", f->dir);
		url = f->url;
	}
	if (db_open(&f->db, url, &e) < 0 || migrate_run(f->db, &applied, &e) < 0) {
		fprintf(stderr, "%s: %s\n", url, e.message_en);
		return -1;
	}
	actor_system(&f->sys);
	f->arena = arena_new(1 << 20);
	f->c = (struct ctx){f->db, f->arena, &f->sys, civil_now(), "test", "test"};
	struct demo_login logins[DEMO_MAX_LOGINS];
	size_t n;
	struct import_report rep;
	memset(&rep, 0, sizeof(rep));
	if (demo_load(&f->c, logins, &n, &e) < 0 || import_seed(&f->c, &rep, &e) < 0) {
		fprintf(stderr, "demo: %s (%s)\n", e.message_en, e.field);
		return -1;
	}
	return 0;
}

static struct fx fx_sqlite, fx_pg;

static int
setup_sqlite(void **state)
{
	*state = &fx_sqlite;
	return setup(&fx_sqlite, NULL);
}

static int
setup_pg(void **state)
{
	*state = &fx_pg;
	return setup(&fx_pg, getenv("MOTCUA_PG_URL"));
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	db_close(f->db);
	arena_free(f->arena);
	if (f->dir[0]) {
		char p[160];
		static const char *const suffixes[] = {"", "-wal", "-shm"};
		for (size_t i = 0; i < 3; i++) {
			snprintf(p, sizeof(p), "%s/t.db%s", f->dir, suffixes[i]);
			unlink(p);
		}
		rmdir(f->dir);
	}
	return 0;
}

/* Every page of q, with one engine: the codes joined by spaces. */
static char *
walk(struct fx *f, const struct proc_query *q0, int use_index)
{
	struct proc_query q = *q0;
	static char out[2][65536];
	char *o = out[use_index];
	size_t len = 0;
	o[0] = '\0';
	procedure_search_engine(use_index);
	procedure_search_cache(0);
	for (int page = 0; page < 200; page++) {
		struct proc_hit *hits;
		size_t n;
		const char *next;
		struct err e = ERR_INIT;
		if (procedure_search(&f->c, &q, &hits, &n, &next, &e) < 0)
			fail_msg("search '%s': %s", q.q ? q.q : "", e.message_en);
		for (size_t i = 0; i < n && len < sizeof(out[0]) - 64; i++)
			len += (size_t)snprintf(o + len, sizeof(out[0]) - len, "%s ", hits[i].code);
		if (!next)
			break;
		q.cursor = arena_strdup(f->arena, next);
	}
	procedure_search_engine(1);
	procedure_search_cache(1);
	return o;
}

static void
same_answers(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *q, *field, *level, *online, *agency;
		int limit;
		const char *first; /* the code expected first, or NULL */
	} cases[] = {
	    {"khai sinh", NULL, NULL, NULL, NULL, 50, "1.001193"},
	    {"DANG KY KHAI SINH", NULL, NULL, NULL, NULL, 3, "1.001193"},
	    {"đăng ký kết hôn", NULL, NULL, NULL, NULL, 50, "1.000894"},
	    {"chung thuc ban sao", NULL, NULL, NULL, NULL, 2, "2.000815"},
	    {"dang ki ket hon", NULL, NULL, NULL, NULL, 50, "1.000894"},
	    {"khai sihn", NULL, NULL, NULL, NULL, 4, "1.001193"},
	    {"thuong tru", NULL, NULL, NULL, NULL, 50, "1.004222"},
	    {"dang ky", NULL, NULL, NULL, NULL, 5, NULL},
	    {"dang ky", "ho-tich", "commune", NULL, NULL, 4, NULL},
	    {"dang ky", NULL, NULL, "full", NULL, 6, NULL},
	    {"cap", NULL, NULL, NULL, "so tu phap", 3, NULL},
	    {"1.004884", NULL, NULL, NULL, NULL, 50, "1.004884"},
	    {"xyzzyqwv", NULL, NULL, NULL, NULL, 50, NULL},
	    {NULL, NULL, NULL, NULL, NULL, 7, "1.000656"},
	    {NULL, "chung-thuc", NULL, NULL, NULL, 3, NULL},
	    {NULL, NULL, "province", NULL, NULL, 2, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct proc_query q = {cases[i].q,
				       cases[i].field,
				       cases[i].level,
				       cases[i].online,
				       cases[i].agency,
				       cases[i].limit,
				       NULL};
		const char *sql = walk(f, &q, 0), *idx = walk(f, &q, 1);
		if (strcmp(sql, idx) != 0)
			fail_msg("'%s' (%s %s %s %s): SQL [%s] index [%s]", q.q ? q.q : "",
				 q.field ? q.field : "", q.level ? q.level : "",
				 q.online ? q.online : "", q.agency ? q.agency : "", sql, idx);
		if (cases[i].first && strncmp(idx, cases[i].first, strlen(cases[i].first)) != 0)
			fail_msg("'%s': first %s, want %s", q.q ? q.q : "", idx, cases[i].first);
		if (cases[i].q && strcmp(cases[i].q, "xyzzyqwv") == 0)
			assert_string_equal(idx, "");
		else
			assert_true(strlen(idx) > 0);
	}
	/* a write makes both paths see the change at once (the generation moved) */
	struct proc_version v;
	struct proc_save_result res;
	struct err e = ERR_INIT;
	assert_int_equal(procedure_load(&f->c, "1.001193", 0, &v, &e), 0);
	v.name = "Thủ tục đăng ký khai sinh cho trẻ em";
	assert_int_equal(procedure_save(&f->c, &v, 0, &res, &e), 0);
	assert_int_equal(res.outcome, PROC_UPDATED);
	struct proc_query q = {"khai sinh tre em", NULL, NULL, NULL, NULL, 5, NULL};
	assert_string_equal(walk(f, &q, 1), "1.001193 ");
	assert_string_equal(walk(f, &q, 0), "1.001193 ");
}

int
main(void)
{
	const struct CMUnitTest sqlite[] = {
	    cmocka_unit_test_setup_teardown(same_answers, setup_sqlite, teardown),
	};
	int rc = cmocka_run_group_tests_name("sqlite", sqlite, NULL, NULL);
	if (getenv("MOTCUA_PG_URL")) {
		const struct CMUnitTest pg[] = {
		    cmocka_unit_test_setup_teardown(same_answers, setup_pg, teardown),
		};
		rc |= cmocka_run_group_tests_name("postgres", pg, NULL, NULL);
	}
	return rc;
}
