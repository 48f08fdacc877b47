/* test_deliver.c: the e-mail message (RFC 5322 headers, RFC 2047 subject, base64 body),
 * address checks against header injection, the webhook HMAC, the outbox's back-off. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/buf.h"
#include "crypto/crypto.h"
#include "service/deliver.h"
#include "service/outbox.h"

static const char *subject_vi =
    "Hồ sơ 001.01.00.H34-261122-0001 sắp đến hạn bước “Thẩm định hồ sơ” — Ủy ban nhân dân "
    "phường Nha Trang";

/* decode base64 text of n characters into out (NUL-terminated); the decoded length */
static size_t
unbase64(const char *s, size_t n, char *out, size_t cap)
{
	size_t len = 0;
	assert_int_equal(sodium_base642bin((unsigned char *)out, cap - 1, s, n, NULL, &len, NULL,
					   sodium_base64_VARIANT_ORIGINAL),
			 0);
	out[len] = '\0';
	return len;
}

/* 1 when s holds whole UTF-8 sequences only (no character split between two words) */
static int
utf8_whole(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		int n = *p < 0x80	      ? 1
			: (*p & 0xE0) == 0xC0 ? 2
			: (*p & 0xF0) == 0xE0 ? 3
			: (*p & 0xF8) == 0xF0 ? 4
					      : 0;
		if (!n)
			return 0;
		for (int i = 1; i < n; i++)
			if ((p[i] & 0xC0) != 0x80)
				return 0;
		p += n;
	}
	return 1;
}

/* the header block of msg, up to the empty line */
static char *
headers_of(const char *msg)
{
	const char *end = strstr(msg, "\r\n\r\n");
	assert_non_null(end);
	return strndup(msg, (size_t)(end - msg) + 2);
}

static void
test_mail_subject_is_encoded_words_on_whole_characters(void **state)
{
	struct deliver_mail m = {"motcua@example.gov.vn", "an@example.vn", subject_vi,
				 "Dòng một\nDòng hai",	  "outbox-7",	   0};
	struct buf b = BUF_INIT(1 << 20);
	assert_int_equal(deliver_format_mail(&m, &b), 0);
	char *h = headers_of(b.data);
	/* every header line fits in 76 characters (RFC 2047 section 2) */
	for (char *line = h; *line;) {
		char *eol = strstr(line, "\r\n");
		assert_non_null(eol);
		assert_true(eol - line <= 76);
		line = eol + 2;
	}
	/* the words, decoded one by one, are valid UTF-8 each and give the subject back */
	char *p = strstr(h, "Subject:");
	assert_non_null(p);
	struct buf whole = BUF_INIT(1024);
	int words = 0;
	while ((p = strstr(p, "=?UTF-8?B?")) != NULL) {
		p += 10;
		char *end = strstr(p, "?=");
		assert_non_null(end);
		char part[256];
		unbase64(p, (size_t)(end - p), part, sizeof(part));
		assert_true(utf8_whole(part));
		buf_adds(&whole, part);
		words++;
		p = end + 2;
	}
	assert_true(words >= 3);
	assert_string_equal(whole.data, subject_vi);
	buf_release(&whole);
	assert_non_null(strstr(h, "Date: Thu, 01 Jan 1970 07:00:00 +0700\r\n"));
	assert_non_null(strstr(h, "From: motcua@example.gov.vn\r\nTo: an@example.vn\r\n"));
	assert_non_null(strstr(h, "Content-Type: text/plain; charset=UTF-8\r\n"));
	assert_non_null(strstr(h, "Content-Transfer-Encoding: base64\r\n"));
	assert_non_null(strstr(h, "Message-ID: <outbox-7."));
	assert_non_null(strstr(h, "@example.gov.vn>\r\n"));
	free(h);
	/* the body: CRLF lines in base64 */
	const char *body = strstr(b.data, "\r\n\r\n") + 4;
	struct buf b64 = BUF_INIT(4096);
	char text[4096];
	for (const char *q = body; *q; q++)
		if (*q != '\r' && *q != '\n')
			buf_addc(&b64, *q);
	unbase64(b64.data, b64.len, text, sizeof(text));
	buf_release(&b64);
	assert_string_equal(text, "Dòng một\r\nDòng hai\r\n");
	buf_release(&b);
}

static void
test_mail_addresses_cannot_inject_headers(void **state)
{
	struct buf b = BUF_INIT(1 << 20);
	struct deliver_mail m = {
	    "motcua@example.gov.vn", "an@example.vn\r\nBcc: x@evil.example", "s", "b", "t", 0};
	assert_int_equal(deliver_format_mail(&m, &b), -1);
	m.to = "<an@example.vn>";
	assert_int_equal(deliver_format_mail(&m, &b), -1);
	m.to = "an@example.vn";
	m.from = "motcua";
	assert_int_equal(deliver_format_mail(&m, &b), -1);
	assert_true(text_email_ok("nguyen.van.an+hs@example.vn"));
	assert_false(text_email_ok("a@b@c.vn"));
	assert_false(text_email_ok("an@example"));
	assert_false(text_email_ok("an;x@example.vn"));
	assert_false(text_email_ok("@example.vn"));
	assert_false(text_email_ok("an @example.vn"));
	buf_release(&b);
}

static void
test_hmac_and_backoff(void **state)
{
	/* RFC 4231 test case 2 */
	char mac[CRYPTO_SHA256_HEX];
	crypto_hmac_sha256_hex("Jefe", 4, "what do ya want for nothing?", 28, mac);
	assert_string_equal(mac,
			    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	/* 30 s, 2 min, 10 min, 1 h, 6 h, then 6 h */
	assert_int_equal(outbox_backoff(30, 1), 30);
	assert_int_equal(outbox_backoff(30, 2), 120);
	assert_int_equal(outbox_backoff(30, 3), 600);
	assert_int_equal(outbox_backoff(30, 4), 3600);
	assert_int_equal(outbox_backoff(30, 5), 21600);
	assert_int_equal(outbox_backoff(30, 12), 21600);
	assert_int_equal(outbox_backoff(1, 0), 1);
}

int
main(void)
{
	if (crypto_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mail_subject_is_encoded_words_on_whole_characters),
	    cmocka_unit_test(test_mail_addresses_cannot_inject_headers),
	    cmocka_unit_test(test_hmac_and_backoff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
