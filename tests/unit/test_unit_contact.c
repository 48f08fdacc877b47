/* test_unit_contact.c: which hotline numbers and e-mails a unit may publish, and how a number
 * is stored (service/unit_contact.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/text.h"
#include "service/unit_contact.h"

static void
ok(const char *in, const char *want)
{
	char out[UNIT_HOTLINE_MAX];
	if (unit_hotline_normalise(in, out) != 0)
		fail_msg("%s refused", in);
	assert_string_equal(out, want);
}

static void
bad(const char *in)
{
	char out[UNIT_HOTLINE_MAX];
	if (unit_hotline_normalise(in, out) == 0)
		fail_msg("%s accepted as %s", in, out);
}

static void
test_hotline(void **state)
{
	(void)state;
	ok("0258 3822 000", "02583822000"); /* fixed line with its area code: 11 digits */
	ok("028.3829.6228", "02838296228");
	ok("+84 258 3822 000", "02583822000");
	ok("0912-345-678", "0912345678"); /* mobile: 10 digits, 03/05/07/08/09 */
	ok("+84912345678", "0912345678");
	ok("1800 1096", "18001096"); /* toll-free and premium: 8 or 10 digits */
	ok("1900 123 456", "1900123456");
	ok("1022", "1022"); /* a short hotline */
	bad("");
	bad("3822000");	     /* no area code */
	bad("0258382200");   /* fixed line one digit short */
	bad("025838220001"); /* one too many */
	bad("0112345678");   /* not a mobile prefix */
	bad("091234567");    /* mobile one short */
	bad("+1 258 3822 000");
	bad("+84 0912345678"); /* the 0 twice */
	bad("0912  345678");   /* two separators */
	bad(" 0912345678");
	bad("0912345678 ");
	bad("0912345678x");
	bad("1800 10");
	bad("2022");
	bad("0912345678901234567890");
	bad("<b>0912345678</b>");
}

static void
test_email(void **state)
{
	(void)state;
	assert_true(text_email_ok("phananh@khanhhoa.gov.vn"));
	assert_true(text_email_ok("a@b.vn"));
	assert_false(text_email_ok("phananh"));
	assert_false(text_email_ok("@khanhhoa.gov.vn"));
	assert_false(text_email_ok("a@b@c.vn"));
	assert_false(text_email_ok("a@vn"));
	assert_false(text_email_ok("a@b."));
	assert_false(text_email_ok("a b@c.vn"));
	assert_false(text_email_ok("<a@b.vn>"));
	assert_false(text_email_ok(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hotline),
	    cmocka_unit_test(test_email),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
