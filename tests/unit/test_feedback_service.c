/* test_feedback_service.c: the feedback services with the clock moved, on SQLite and (when
 * MOTCUA_PG_URL names a database) PostgreSQL: the citizen's reply restarts the deadlines
 * across the 2026 Tết days off, and feedback_index_inputs counts real transitions (answered
 * on time, late, open and overdue as of now, refused) by the date of receipt. The expected
 * dates are worked out by hand from data/calendar/2026.txt, not by the clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/civil.h"
#include "core/log.h"
#include "crypto/crypto.h"
#include "service/clocksvc.h"
#include "service/demo.h"
#include "service/feedback.h"
#include "service/unit.h"
#include "store/db.h"
#include "store/migrate.h"

struct fx {
	struct db *db;
	struct arena *arena;
	struct actor sys;
	struct ctx c;
	int64_t unit;  /* UBND phường Nha Trang: the reply */
	int64_t unit2; /* UBND phường Cam Ranh: the index inputs */
	int64_t root;
	char dir[64], url[128];
};

static struct fx fx_sqlite, fx_pg;

static int
setup(struct fx *f, const char *url)
{
	struct err e = ERR_INIT;
	int applied;
	log_set_level(LOG__MAX);
	if (crypto_init() < 0)
		return -1;
	if (!url) {
		snprintf(f->dir, sizeof(f->dir), "/tmp/motcua-test-fb.XXXXXX");
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
	if (demo_load(&f->c, logins, &n, &e) < 0 ||
	    unit_resolve(&f->c, "001.01.00.H34", &f->unit, &e) < 0 ||
	    unit_resolve(&f->c, "003.01.00.H34", &f->unit2, &e) < 0 ||
	    unit_resolve(&f->c, "000.00.00.H34", &f->root, &e) < 0) {
		fprintf(stderr, "demo: %s (%s)\n", e.message_en, e.field);
		return -1;
	}
	return 0;
}

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

/* an instant written as RFC 3339 */
static int64_t
at(const char *s)
{
	int64_t t;
	if (civil_parse_rfc3339(s, &t) != 0)
		fail_msg("bad instant %s", s);
	return t;
}

static void
ok(int rc, const struct err *e, const char *what)
{
	if (rc != 0)
		fail_msg("%s: %s (%s)", what, e->message_en, e->field);
}

/* a web item for the unit received at `when`; its code (and secret) in the arena */
static const char *
submit_at(struct fx *f, int64_t unit, const char *when, const char **secret)
{
	struct err e = ERR_INIT;
	struct feedback_in in = {.channel = "web",
				 .content = "Đề nghị niêm yết công khai phí chứng thực.",
				 .name = "Hồ Thị Giang",
				 .unit_id = unit};
	const char *code;
	f->c.now = at(when);
	ok(feedback_submit(&f->c, &in, &code, secret, &e), &e, "submit");
	return code;
}

static void
act_at(struct fx *f, const char *code, const char *when, const char *action)
{
	struct err e = ERR_INIT;
	struct feedback_action_in a = {.action = action,
				       .reason = "Lý do",
				       .assignee = "cv.nhatrang",
				       .answer = "Đã niêm yết."};
	if (strcmp(action, "refuse") != 0 && strcmp(action, "request_info") != 0)
		a.reason = NULL;
	f->c.now = at(when);
	ok(feedback_act(&f->c, code, &a, &e), &e, action);
}

static void
reply_restarts_deadlines_across_tet(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	const char *secret;
	const char *code = submit_at(f, f->unit, "2026-02-02T09:00:00+07:00", &secret);
	/* no reply before information is asked for; a wrong secret is a missing code */
	f->c.now = at("2026-02-03T09:00:00+07:00");
	assert_int_equal(feedback_reply(&f->c, code, secret, "Sớm quá", &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	act_at(f, code, "2026-02-03T09:00:00+07:00", "request_info");
	e = (struct err)ERR_INIT;
	assert_int_equal(feedback_reply(&f->c, code, "not-the-secret", "x", &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	e = (struct err)ERR_INIT;
	assert_int_equal(feedback_reply(&f->c, "PA-999999", secret, "x", &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	/* the reply on Thursday 12 February, before the Tết days off (16-20 February) */
	f->c.now = at("2026-02-12T10:00:00+07:00");
	ok(feedback_reply(&f->c, code, secret, "Phí chứng thực bản sao: 2.000 đồng/trang.", &e), &e,
	   "reply");
	struct feedback_rec r;
	ok(feedback_status(&f->c, code, secret, &r, &e), &e, "status");
	assert_string_equal(r.state, "received");
	assert_int_equal(r.info_replied_at, at("2026-02-12T10:00:00+07:00"));
	assert_string_equal(r.info_reply, "Phí chứng thực bản sao: 2.000 đồng/trang.");
	/* working days after Thu 12: Fri 13 (1), then Mon 23 (2) ... */
	assert_int_equal(r.refuse_due, at("2026-02-23T10:00:00+07:00"));
	/* ... Tue 24 (3), Wed 25 (4), Thu 26 (5) */
	assert_int_equal(r.info_due, at("2026-02-26T10:00:00+07:00"));
	/* ... Fri 27 (6), 2-6 March (7-11), 9-12 March (12-15) */
	assert_int_equal(r.answer_due, at("2026-03-12T10:00:00+07:00"));
	assert_int_equal(r.received_at, at("2026-02-02T09:00:00+07:00"));
	assert_int_equal((int)r.nevents, 3);
	assert_string_equal(r.events[2].action, "reply");
	assert_null(r.events[2].actor); /* the citizen's view names no staff */
	e = (struct err)ERR_INIT;
	assert_int_equal(feedback_reply(&f->c, code, secret, "Lần hai", &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	int64_t checked;
	ok(feedback_verify(f->db, &checked, &e), &e, "verify");
}

static void
index_inputs_count_real_transitions(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	/* January 2026; the answer deadline is 15 working days after receipt */
	const char *on_time = submit_at(f, f->unit2, "2026-01-05T09:00:00+07:00", NULL);
	act_at(f, on_time, "2026-01-06T09:00:00+07:00", "assign");
	act_at(f, on_time, "2026-01-08T09:00:00+07:00", "answer");
	const char *late = submit_at(f, f->unit2, "2026-01-06T09:00:00+07:00", NULL);
	act_at(f, late, "2026-01-07T09:00:00+07:00", "assign");
	act_at(f, late, "2026-02-27T09:00:00+07:00", "answer");
	act_at(f, late, "2026-02-27T10:00:00+07:00", "publish");
	const char *open = submit_at(f, f->unit2, "2026-01-07T09:00:00+07:00", NULL);
	const char *refused = submit_at(f, f->unit2, "2026-01-31T16:59:00+07:00", NULL);
	act_at(f, refused, "2026-02-02T09:00:00+07:00", "refuse");
	(void)open;
	(void)submit_at(f, f->unit2, "2026-02-01T00:00:00+07:00", NULL); /* the next month */

	struct feedback_inputs in;
	f->c.now = at("2026-03-02T09:00:00+07:00");
	ok(feedback_index_inputs(&f->c, f->unit2, "2026-01-01", "2026-01-31", &in, &e), &e,
	   "inputs");
	assert_int_equal(in.feedback_received, 4);
	assert_int_equal(in.feedback_answered_on_time, 1);
	assert_int_equal(in.feedback_answered_late, 1);
	assert_int_equal(in.feedback_open_overdue, 1);
	assert_int_equal(in.feedback_refused, 1);
	assert_int_equal(in.ratings_total, 0);
	/* as of mid-January no answer deadline had passed yet */
	f->c.now = at("2026-01-20T09:00:00+07:00");
	ok(feedback_index_inputs(&f->c, f->unit2, "2026-01-01", "2026-01-31", &in, &e), &e,
	   "inputs then");
	assert_int_equal(in.feedback_open_overdue, 0);
	/* the root's subtree holds the commune; open ends; instants */
	f->c.now = at("2026-03-02T09:00:00+07:00");
	ok(feedback_index_inputs(&f->c, f->root, NULL, "2026-01-31", &in, &e), &e, "open start");
	assert_int_equal(in.feedback_received, 4);
	ok(feedback_index_inputs(&f->c, f->unit2, "2026-01-06T00:00:00+07:00",
				 "2026-01-07T09:00:00+07:00", &in, &e),
	   &e, "instants");
	assert_int_equal(in.feedback_received, 1); /* [from, to): only the late one */
	assert_int_equal(in.feedback_answered_late, 1);
	ok(feedback_index_inputs(&f->c, f->unit2, "2026-02-01", NULL, &in, &e), &e, "open end");
	assert_int_equal(in.feedback_received, 1);
	/* bad periods name their end */
	assert_int_equal(feedback_index_inputs(&f->c, f->unit2, "2026-02-30", NULL, &in, &e), -1);
	assert_string_equal(e.field, "from");
	e = (struct err)ERR_INIT;
	assert_int_equal(
	    feedback_index_inputs(&f->c, f->unit2, "2026-02-01", "2026-01-31", &in, &e), -1);
	assert_string_equal(e.field, "to");
	/* staff only */
	e = (struct err)ERR_INIT;
	struct ctx anon = f->c;
	anon.actor = NULL;
	assert_int_equal(feedback_index_inputs(&anon, f->unit2, NULL, NULL, &in, &e), -1);
	assert_int_equal(e.code, ERR_UNAUTHENTICATED);
}

int
main(void)
{
	/* one demo province per database (PostgreSQL's is reset only between binaries); the
	 * tests use different units, so neither sees the other's items */
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reply_restarts_deadlines_across_tet),
	    cmocka_unit_test(index_inputs_count_real_transitions),
	};
	int rc = cmocka_run_group_tests_name("sqlite", tests, setup_sqlite, teardown);
	if (getenv("MOTCUA_PG_URL"))
		rc |= cmocka_run_group_tests_name("postgres", tests, setup_pg, teardown);
	clocksvc_shutdown();
	return rc;
}
