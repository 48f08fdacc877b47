/* test_lifecycle.c: the dossier transition table (domain/lifecycle.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/lifecycle.h"

static void
test_codes_and_names(void **state)
{
	static const int codes[LC__MAX] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 8};
	for (int s = 0; s < LC__MAX; s++) {
		assert_int_equal(lc_state_code((enum lc_state)s), codes[s]);
		assert_int_equal(lc_state_parse(lc_state_name((enum lc_state)s)), s);
		assert_true(strlen(lc_state_vi((enum lc_state)s)) > 0);
	}
	for (int a = 0; a < LA__MAX; a++) {
		assert_int_equal(lc_action_parse(lc_action_name((enum lc_action)a)), a);
		assert_true(strlen(lc_action_vi((enum lc_action)a)) > 0);
	}
	assert_int_equal(lc_state_parse("nope"), -1);
	assert_int_equal(lc_action_parse(NULL), -1);
}

static void
test_every_action_is_reachable(void **state)
{
	for (int a = 0; a < LA__MAX; a++) {
		int found = 0;
		for (int s = 0; s < LC__MAX; s++)
			found |= lc_find((enum lc_action)a, (enum lc_state)s) != NULL;
		assert_true(found);
	}
}

static void
test_domain_transitions(void **state)
{
	/* online: 1 -> 2 accept, 1 -> 3 refuse */
	assert_int_equal(lc_find(LA_ACCEPT, LC_SUBMITTED)->to, LC_ACCEPTED);
	assert_int_equal(lc_find(LA_REFUSE, LC_SUBMITTED)->to, LC_REFUSED);
	assert_null(lc_find(LA_ACCEPT, LC_ACCEPTED));
	/* supplement 4 -> 5 -> 4, pausing and resuming the clock */
	const struct lc_transition *t = lc_find(LA_REQUEST_SUPPLEMENT, LC_PROCESSING);
	assert_int_equal(t->to, LC_WAIT_SUPPLEMENT);
	assert_true(t->flags & LC_PAUSES);
	t = lc_find(LA_SUPPLY, LC_WAIT_SUPPLEMENT);
	assert_true(t->flags & LC_RESUMES);
	assert_true(t->flags & LC_APPLICANT);
	/* 4 -> 9 -> 10, and recall 10 -> 9 */
	assert_int_equal(lc_find(LA_FINISH, LC_PROCESSING)->to, LC_RESULT_READY);
	assert_null(lc_find(LA_FINISH, LC_WAIT_SUPPLEMENT));
	assert_int_equal(lc_find(LA_RETURN, LC_RESULT_READY)->to, LC_RETURNED);
	assert_int_equal(lc_find(LA_RECALL, LC_RETURNED)->to, LC_RESULT_READY);
	/* any open state -> 7 */
	for (int s = 0; s < LC__MAX; s++) {
		int open = lc_is_open((enum lc_state)s);
		assert_int_equal(lc_find(LA_WITHDRAW, (enum lc_state)s) != NULL, open);
	}
	/* closed states take nothing but the recall of a return made in error */
	enum lc_state closed[] = {LC_REFUSED, LC_WITHDRAWN, LC_LAPSED};
	for (size_t i = 0; i < sizeof(closed) / sizeof(closed[0]); i++)
		for (int a = 0; a < LA__MAX; a++)
			assert_null(lc_find((enum lc_action)a, closed[i]));
	/* the clock stops in 5, 6 and 8 */
	assert_true(lc_clock_stopped(LC_WAIT_SUPPLEMENT));
	assert_true(lc_clock_stopped(LC_WAIT_PAYMENT));
	assert_true(lc_clock_stopped(LC_STOPPED));
	assert_false(lc_clock_stopped(LC_PROCESSING));
}

static void
test_roles(void **state)
{
	/* only a receiver accepts at the counter; only leaders approve an extension */
	const struct lc_transition *t = lc_find(LA_ACCEPT, LC_SUBMITTED);
	assert_true(lc_role_may(t, ROLE_RECEIVER));
	assert_false(lc_role_may(t, ROLE_SPECIALIST));
	assert_false(lc_role_may(t, ROLE_ADMIN));
	t = lc_find(LA_APPROVE_EXTENSION, LC_PROCESSING);
	assert_true(lc_role_may(t, ROLE_LEADER));
	assert_false(lc_role_may(t, ROLE_SPECIALIST));
	assert_false(lc_role_may(t, ROLE_RECEIVER));
	t = lc_find(LA_CONFIRM_PAYMENT, LC_WAIT_PAYMENT);
	assert_true(lc_role_may(t, ROLE_CASHIER));
	/* an auditor and an inspector act on nothing */
	for (int a = 0; a < LA__MAX; a++)
		for (int s = 0; s < LC__MAX; s++) {
			t = lc_find((enum lc_action)a, (enum lc_state)s);
			if (!t)
				continue;
			assert_false(lc_role_may(t, ROLE_AUDITOR));
			assert_false(lc_role_may(t, ROLE_INSPECTOR));
			assert_false(lc_role_may(t, ROLE_ADMIN));
		}
}

static void
test_allowed_list(void **state)
{
	char buf[256];
	lc_allowed(LC_SUBMITTED, buf, sizeof(buf));
	assert_string_equal(buf, "accept refuse withdraw");
	lc_allowed(LC_WITHDRAWN, buf, sizeof(buf));
	assert_string_equal(buf, "");
	lc_allowed(LC_RESULT_READY, buf, sizeof(buf));
	assert_string_equal(buf, "return");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_codes_and_names),
	    cmocka_unit_test(test_every_action_is_reachable),
	    cmocka_unit_test(test_domain_transitions),
	    cmocka_unit_test(test_roles),
	    cmocka_unit_test(test_allowed_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
