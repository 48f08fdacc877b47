/* test_feedback_mask.c: what the portal hides of a citizen's feedback (service/feedback.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/arena.h"
#include "service/feedback.h"

static void
test_mask(void **state)
{
	(void)state;
	struct arena *a = arena_new(4096);
	const char *personal[] = {"Trần Văn Bình", "0912345678", "binh@example.vn"};
	char *s = feedback_mask(a,
				"Ông Trần Văn Bình, SĐT 0912 345 678, thư binh@example.vn, "
				"CCCD 079190001234, ngày 12/5, hồ sơ số 12345.",
				personal, 3);
	assert_null(strstr(s, "Trần Văn Bình"));
	assert_null(strstr(s, "0912"));
	assert_null(strstr(s, "678"));
	assert_null(strstr(s, "binh@"));
	assert_null(strstr(s, "079190001234"));
	assert_non_null(strstr(s, "ngày 12/5"));      /* short numbers stay */
	assert_non_null(strstr(s, "hồ sơ số 12345")); /* five digits stay */
	char *m = feedback_mask(a, "gửi cho an.nguyen@mail.vn nhé", NULL, 0);
	assert_null(strstr(m, "an.nguyen"));
	assert_null(strstr(m, "mail.vn"));
	assert_non_null(strstr(m, "gửi cho ****"));
	assert_non_null(strstr(m, "@"));
	assert_int_equal(strlen(s),
			 strlen("Ông Trần Văn Bình, SĐT 0912 345 678, thư binh@example.vn, "
				"CCCD 079190001234, ngày 12/5, hồ sơ số 12345."));
	assert_null(feedback_mask(a, NULL, personal, 3));
	arena_free(a);
}

static void
test_initials(void **state)
{
	(void)state;
	struct arena *a = arena_new(4096);
	assert_string_equal(feedback_initials(a, "Trần Văn Bình"), "T.V.B.");
	assert_string_equal(feedback_initials(a, "  Đỗ   Ánh "), "Đ.Á.");
	assert_string_equal(feedback_initials(a, ""), "");
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mask),
	    cmocka_unit_test(test_initials),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
