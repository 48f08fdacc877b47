/* test_render.c: the form renderer: templates found by set and name (never by a path), every
 * shipped template renders to an A4 PDF with its font embedded, values are escaped, a long
 * table breaks across pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/arena.h"
#include "render/form.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

static int
has(const unsigned char *p, size_t n, const char *s)
{
	return memmem(p, n, s, strlen(s)) != NULL;
}

static size_t
pages(const unsigned char *p, size_t n)
{
	size_t k = 0;
	for (const unsigned char *q = p; (q = memmem(q, n - (size_t)(q - p), "/Type /Page", 11));
	     q += 11)
		if (q[11] != 's')
			k++;
	return k;
}

static void
test_templates_by_name_only(void **state)
{
	struct err e = ERR_INIT;
	size_t len;
	assert_non_null(form_template(NULL, "receipt", &len, &e));
	assert_non_null(form_template("2018", "receipt", &len, &e));
	assert_null(form_template("2025", "nonsense", &len, &e));
	assert_int_equal(e.code, ERR_NOT_FOUND);
	assert_null(form_template("..", "receipt", &len, &e));
	assert_null(form_template("2025", "../2018/receipt", &len, &e));
	assert_null(form_template("2018", "stop", &len, &e)); /* 2025 set only */
}

static void
test_every_form_renders(void **state)
{
	static const char *const forms[] = {"receipt", "supplement", "refusal", "apology",
					    "stop",    "control",    "register"};
	const char *cells[] = {"1", "Tờ khai <b>&", "1", "0"};
	struct form_table t = {"components", 4, 1, cells};
	struct form_var v[] = {{"applicant_name", "Lê Thị Ánh <Tuyết> & Đỗ"},
			       {"lookup_url", "/tra-cuu/X?token=Y"}};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct arena *a = arena_new(1 << 16);
		struct err e = ERR_INIT;
		struct form_doc d = {
		    .form = forms[i], .vars = v, .nvars = 2, .tables = &t, .ntables = 1};
		const unsigned char *pdf;
		size_t n;
		assert_int_equal(form_render_pdf(a, &d, &pdf, &n, &e), 0);
		assert_true(n > 1000 && memcmp(pdf, "%PDF-", 5) == 0);
		assert_true(has(pdf, n, "/FontFile2")); /* the TrueType font is embedded */
		assert_true(has(pdf, n, "LiberationSerif"));
		assert_true(has(pdf, n, strcmp(forms[i], "register") ? "595.275" : "841.889"));
		arena_free(a);
	}
}

static void
test_long_table_breaks_across_pages(void **state)
{
	struct arena *a = arena_new(1 << 16);
	enum { N = 120 };
	const char *cells[N * 4];
	for (int r = 0; r < N; r++) {
		cells[r * 4] = arena_printf(a, "%d", r + 1);
		cells[r * 4 + 1] = "Bản sao giấy chứng nhận quyền sử dụng đất có chứng thực";
		cells[r * 4 + 2] = "1";
		cells[r * 4 + 3] = "2";
	}
	struct form_table t = {"components", 4, N, cells};
	struct form_doc d = {.form = "receipt", .tables = &t, .ntables = 1};
	struct err e = ERR_INIT;
	const unsigned char *pdf;
	size_t n;
	assert_int_equal(form_render_pdf(a, &d, &pdf, &n, &e), 0);
	assert_true(pages(pdf, n) >= 6); /* two copies of at least three pages */
	arena_free(a);
}

static size_t
count(const unsigned char *p, size_t n, const char *s)
{
	size_t k = 0, sl = strlen(s);
	for (const unsigned char *q = p; (q = memmem(q, n - (size_t)(q - p), s, sl)); q += sl)
		k++;
	return k;
}

/* The receipt's two copies differ in their label only: the second shows the first's page
 * (one form XObject) under its own label, and the QR code is written once. Forms: the QR
 * code, the shared page, a label for each copy; a copy drawn anew would add one more. */
static void
test_copies_share_their_page(void **state)
{
	struct arena *a = arena_new(1 << 16);
	const char *cells[] = {"1", "Tờ khai", "1", "0"};
	struct form_table t = {"components", 4, 1, cells};
	struct form_var v[] = {{"applicant_name", "Trần Thị Bích Ngọc"},
			       {"lookup_url", "/tra-cuu/X?token=Y"}};
	struct form_doc d = {.form = "receipt", .vars = v, .nvars = 2, .tables = &t, .ntables = 1};
	struct err e = ERR_INIT;
	const unsigned char *pdf;
	size_t n;
	assert_int_equal(form_render_pdf(a, &d, &pdf, &n, &e), 0);
	assert_int_equal(pages(pdf, n), 2);
	assert_int_equal(count(pdf, n, "/Subtype /Form"), 4);
	arena_free(a);
}

/* deflated: src deflated through deflateInit2 at level, or through deflateInit (level < -1) */
static size_t
deflated(const unsigned char *src, size_t n, int level, unsigned char *out, size_t cap)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (level < -1)
		assert_int_equal(deflateInit(&z, Z_DEFAULT_COMPRESSION), Z_OK);
	else
		assert_int_equal(
		    deflateInit2(&z, level, Z_DEFLATED, MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)src;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	size_t len = z.total_out;
	deflateEnd(&z);
	return len;
}

/* PDF streams are deflated at level 1 (render/form.c): a library that opens a stream at the
 * default level, as cairo does, finds our deflateInit_ first and gets level 1's bytes. */
static void
test_default_deflate_is_fast(void **state)
{
	assert_ptr_equal(dlsym(RTLD_DEFAULT, "deflateInit_"), (void *)deflateInit_);
	size_t n = 0;
	struct err e = ERR_INIT;
	const unsigned char *src = (const unsigned char *)form_template("2025", "receipt", &n, &e);
	assert_non_null(src);
	static unsigned char a[1 << 17], b[1 << 17], c[1 << 17];
	size_t la = deflated(src, n, -2, a, sizeof(a));
	size_t lb = deflated(src, n, 1, b, sizeof(b));
	size_t lc = deflated(src, n, 6, c, sizeof(c));
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	assert_true(lc != lb || memcmp(c, b, lb) != 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_templates_by_name_only),
	    cmocka_unit_test(test_every_form_renders),
	    cmocka_unit_test(test_long_table_breaks_across_pages),
	    cmocka_unit_test(test_copies_share_their_page),
	    cmocka_unit_test(test_default_deflate_is_fast),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
