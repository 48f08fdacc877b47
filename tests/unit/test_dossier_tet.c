/* test_dossier_tet.c: a dossier's due date and its statistics across Tết, through the real
 * services on a real SQLite file, with the service's clock (ctx.now) set to the moments of the
 * story. Hand-worked (domain.md §4; data/calendar/2026.txt: Tết off Mon 16 - Fri 20 Feb 2026):
 *
 *   accepted Thu 12/02 09:00, 1 working day (Thủ tục đăng ký kết hôn, 1.000894):
 *     Thu 09:00-11:30 + 13:30-17:00 = 360 min, Fri 07:00 + 120 min    -> due Fri 13/02 09:00
 *   supplement asked Thu 12/02 10:00, supplied Mon 23/02 09:00: the clock stood still for
 *     Thu 10:00-17:00 (300) + Fri (480) + Tết and two weekends (0) + Mon 07:00-09:00 (120)
 *     = 900 working minutes; the 420 minutes left at the pause run from Mon 09:00:
 *     Mon 09:00-17:00 = 360, Tue 07:00 + 60                          -> due Tue 24/02 08:00
 *
 * And Biểu 06: at the end of Fri 13/02 (its first due day) the dossier waits for the
 * applicant, so it is in progress within time; at the end of Mon 23/02 within time; at the end
 * of Tue 24/02, still open, overdue. */
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
#include "service/clocksvc.h"
#include "service/demo.h"
#include "service/dossier.h"
#include "service/procedure.h"
#include "service/stats.h"
#include "service/unit.h"
#include "store/db.h"
#include "store/migrate.h"

static int64_t
at(const char *rfc3339)
{
	int64_t t = 0;
	assert_int_equal(civil_parse_rfc3339(rfc3339, &t), 0);
	return t;
}

static struct b06
commune_at_end_of(struct ctx *c, int64_t unit, const char *date)
{
	int64_t d;
	struct err e = ERR_INIT;
	assert_int_equal(civil_parse_date(date, &d), 0);
	struct b06_report r;
	assert_int_equal(stats_bieu06_public(c, unit, d, d, &r, &e), 0);
	struct b06 t;
	memset(&t, 0, sizeof(t));
	for (size_t i = 0; i < r.ncells; i++)
		b06_add(&t, &r.cells[i].v);
	return t;
}

static void
test_supplement_across_tet(void **state)
{
	(void)state;
	char dir[] = "/tmp/motcua-test-tet.XXXXXX", url[96];
	assert_non_null(mkdtemp(dir));
	snprintf(url, sizeof(url), "sqlite:%s/t.db", dir);
	struct err e = ERR_INIT;
	struct db *db;
	int applied;
	log_set_level(LOG__MAX);
	assert_int_equal(crypto_init(), 0);
	assert_int_equal(db_open(&db, url, &e), 0);
	assert_int_equal(migrate_run(db, &applied, &e), 0);
	struct actor sys;
	actor_system(&sys);
	struct arena *ar = arena_new(1 << 20);
	struct ctx c = {db, ar, &sys, at("2026-02-12T08:00:00+07:00"), "test", "test"};
	struct demo_login logins[DEMO_MAX_LOGINS];
	size_t n;
	struct import_report rep;
	memset(&rep, 0, sizeof(rep));
	assert_int_equal(demo_load(&c, logins, &n, &e), 0);
	assert_int_equal(import_seed(&c, &rep, &e), 0);
	int64_t unit;
	assert_int_equal(unit_resolve(&c, "001.01.00.H34", &unit, &e), 0);

	struct component_in comp[] = {
	    {0, "Tờ khai đăng ký kết hôn (hai bên có thể khai chung một tờ khai)", 1, 0, NULL},
	    {0,
	     "Giấy tờ tùy thân (hộ chiếu, thẻ căn cước hoặc giấy tờ có ảnh còn giá trị) — "
	     "xuất trình",
	     1, 0, NULL}};
	struct intake in;
	memset(&in, 0, sizeof(in));
	in.procedure_code = "1.000894";
	in.channel = 1;
	in.receiving_unit_id = unit;
	in.applicant = (struct person){"person",     "Nguyễn Thị Hồng Nhung",
				       "cccd",	     "079190001234",
				       "1990-05-17", "Số 12 Trần Phú, phường Nha Trang",
				       "0905123456", "nhung@example.vn",
				       NULL};
	in.components = comp;
	in.ncomponents = 2;
	in.delivery_method = "counter";
	in.fee_amount = -1;
	c.now = at("2026-02-12T09:00:00+07:00");
	struct intake_result r;
	if (dossier_intake(&c, &in, &r, &e) < 0)
		fail_msg("intake: %s (%s)", e.message_en, e.field);
	assert_int_equal(r.due_at, at("2026-02-13T09:00:00+07:00"));

	struct action_in a;
	const char *items[] = {"Bản sao giấy xác nhận tình trạng hôn nhân"};
	memset(&a, 0, sizeof(a));
	a.action = LA_REQUEST_SUPPLEMENT;
	a.items = items;
	a.nitems = 1;
	a.period_days = 30;
	c.now = at("2026-02-12T10:00:00+07:00");
	if (dossier_act(&c, r.code, &a, &e) < 0)
		fail_msg("supplement: %s (%s)", e.message_en, e.field);

	c.now = at("2026-02-23T09:00:00+07:00");
	memset(&a, 0, sizeof(a));
	a.action = LA_SUPPLY;
	if (dossier_act(&c, r.code, &a, &e) < 0)
		fail_msg("supply: %s (%s)", e.message_en, e.field);

	struct dossier_rec d;
	c.now = at("2026-02-25T12:00:00+07:00");
	assert_int_equal(dossier_get(&c, r.code, &d, &e), 0);
	assert_int_equal(d.due_at, at("2026-02-24T08:00:00+07:00"));

	struct b06 t = commune_at_end_of(&c, unit, "2026-02-13");
	assert_int_equal(b06_in_progress(&t), 1);
	assert_int_equal(t.overdue, 0); /* waiting for the applicant: within time */
	t = commune_at_end_of(&c, unit, "2026-02-23");
	assert_int_equal(b06_in_progress(&t), 1);
	assert_int_equal(t.overdue, 0);
	t = commune_at_end_of(&c, unit, "2026-02-24");
	assert_int_equal(t.overdue, 1);
	assert_int_equal(t.carried_over, 1);

	arena_free(ar);
	db_close(db);
	procedure_cache_free();
	clocksvc_shutdown();
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_supplement_across_tet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
