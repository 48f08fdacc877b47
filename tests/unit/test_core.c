/* test_core.c: arena, buf, text (NFC, folding), civil time, err, ratelimit, role scope. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/civil.h"
#include "core/err.h"
#include "core/json.h"
#include "core/jw.h"
#include "core/ratelimit.h"
#include "core/text.h"
#include "domain/role.h"

static void
test_arena_alignment_and_big(void **state)
{
	struct arena *a = arena_new(1024);
	for (int i = 1; i < 200; i++) {
		void *p = arena_alloc(a, (size_t)i);
		assert_int_equal((uintptr_t)p % 16, 0);
		memset(p, 0xAB, (size_t)i);
	}
	char *big = arena_alloc(a, 100000); /* larger than a chunk */
	memset(big, 1, 100000);
	assert_string_equal(arena_printf(a, "%s-%d", "mã", 42), "mã-42");
	assert_null(arena_strdup(a, NULL));
	arena_reset(a);
	assert_int_equal(arena_used(a), 0);
	arena_free(a);
}

static void
test_buf_max_and_json(void **state)
{
	struct buf b = BUF_INIT(8);
	assert_int_equal(buf_adds(&b, "12345678"), 0);
	assert_int_equal(buf_addc(&b, '9'), -1); /* one past the maximum */
	assert_int_equal(b.overflow, 1);
	assert_string_equal(b.data, "12345678"); /* unchanged */
	buf_release(&b);
	struct buf j = BUF_INIT(1024);
	buf_add_json_str(&j, "a\"b\\c\n\x01Đ");
	assert_string_equal(j.data, "\"a\\\"b\\\\c\\n\\u0001Đ\"");
	buf_reset(&j);
	buf_add_json_str(&j, NULL);
	assert_string_equal(j.data, "null");
	buf_release(&j);
}

static void
fold_is(const char *in, const char *want)
{
	struct buf b = BUF_INIT(1024);
	assert_int_equal(text_fold(in, &b), 0);
	assert_string_equal(b.data ? b.data : "", want);
	buf_release(&b);
}

static void
test_text_fold(void **state)
{
	fold_is("Đăng ký khai sinh", "dang ky khai sinh");
	fold_is("ĐĂNG KÝ  KHAI   SINH ", "dang ky khai sinh");
	fold_is("Chứng thực bản sao từ bản chính", "chung thuc ban sao tu ban chinh");
	fold_is("Người được ủy quyền", "nguoi duoc uy quyen");
	fold_is("đ Đ", "d d");
	fold_is("Thủ tục 1.001193", "thu tuc 1.001193");
	/* decomposed input folds the same as composed */
	fold_is("Pho\xcc\x80ng", "phong");
}

static void
test_text_nfc_and_utf8(void **state)
{
	struct buf b = BUF_INIT(1024);
	assert_int_equal(text_nfc("Pho\xcc\x80ng", &b), 0);
	assert_string_equal(b.data, "Phòng");
	assert_true(text_is_nfc("Phòng"));
	assert_false(text_is_nfc("Pho\xcc\x80ng"));
	buf_release(&b);
	assert_true(text_utf8_valid("Việt Nam", strlen("Việt Nam")));
	assert_false(text_utf8_valid("\xff\xfe", 2));
	assert_false(text_utf8_valid("\xc3", 1));	  /* truncated */
	assert_false(text_utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
	assert_false(text_utf8_valid("a\0b", 3));	  /* NUL inside */
	assert_int_equal(text_utf8_len("Việt"), 4);
}

static void
test_civil(void **state)
{
	int64_t t;
	char s[32];
	assert_int_equal(civil_parse_rfc3339("2026-02-13T09:00:00+07:00", &t), 0);
	civil_format_rfc3339(t, s);
	assert_string_equal(s, "2026-02-13T09:00:00+07:00");
	assert_int_equal(civil_parse_rfc3339("2026-02-13T02:00:00Z", &t), 0);
	civil_format_rfc3339(t, s);
	assert_string_equal(s, "2026-02-13T09:00:00+07:00");
	/* 23:30 UTC is the next day in Vietnam */
	assert_int_equal(civil_parse_rfc3339("2025-12-31T23:30:00Z", &t), 0);
	civil_format_rfc3339(t, s);
	assert_string_equal(s, "2026-01-01T06:30:00+07:00");
	assert_int_equal(civil_parse_rfc3339("2026-02-13T09:00+07:00", &t), 0);
	assert_int_equal(civil_parse_rfc3339("2026-02-13T09:00:00.123-05:00", &t), 0);
	civil_format_rfc3339(t, s);
	assert_string_equal(s, "2026-02-13T21:00:00+07:00");
	const char *bad[] = {"2026-02-30T09:00:00+07:00",
			     "2026-13-01T09:00:00Z",
			     "2026-02-13",
			     "2026-02-13T25:00:00Z",
			     "2026-02-13T09:00:00+7",
			     "x",
			     ""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(civil_parse_rfc3339(bad[i], &t), -1);
	int64_t d;
	assert_int_equal(civil_parse_date("2024-02-29", &d), 0);
	assert_int_equal(civil_parse_date("2025-02-29", &d), -1);
	assert_int_equal(civil_wday(civil_days_from_date(2026, 11, 22)), 0); /* a Sunday */
	for (int64_t day = -800000; day < 800000; day += 97) {
		int y, m, dd;
		civil_date_from_days(day, &y, &m, &dd);
		assert_int_equal(civil_days_from_date(y, m, dd), day);
	}
}

static void
test_err_table(void **state)
{
	struct err e = ERR_INIT;
	assert_int_equal(err_set(&e, ERR_CONFLICT, "code", "Trùng", "duplicate"), -1);
	assert_int_equal(err_http_status(e.code), 409);
	assert_string_equal(err_code_name(e.code), "conflict");
	for (int c = 0; c < ERR__MAX; c++)
		assert_non_null(err_code_name((enum err_code)c));
	assert_int_equal(err_http_status(ERR_TOO_LARGE), 413);
	assert_int_equal(err_http_status(ERR_RATE_LIMITED), 429);
	assert_int_equal(err_http_status((enum err_code)99), 500);
}

static void
test_ratelimit(void **state)
{
	struct ratelimit *rl = ratelimit_new(3, 60);
	int retry = 0;
	for (int i = 0; i < 3; i++)
		assert_int_equal(ratelimit_hit(rl, "1.2.3.4", 1000, NULL), 0);
	assert_int_equal(ratelimit_hit(rl, "1.2.3.4", 1010, &retry), -1);
	assert_int_equal(retry, 50);
	assert_int_equal(ratelimit_hit(rl, "5.6.7.8", 1010, NULL), 0); /* another key */
	assert_int_equal(ratelimit_hit(rl, "1.2.3.4", 1060, NULL), 0); /* a new window */
	ratelimit_clear(rl, "1.2.3.4");
	assert_int_equal(ratelimit_check(rl, "1.2.3.4", 1061, NULL), 0);
	/* a flood of distinct keys never grows memory nor crashes */
	char key[32];
	for (int i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		ratelimit_hit(rl, key, 2000, NULL);
	}
	ratelimit_free(rl);
}

static void
test_role_scope(void **state)
{
	assert_int_equal(role_parse("dept_head"), ROLE_DEPT_HEAD);
	assert_int_equal(role_parse("king"), -1);
	for (int r = 0; r < ROLE__MAX; r++)
		assert_int_equal(role_parse(role_name((enum role)r)), r);
	assert_true(role_path_covers("/1/", "/1/7/23/"));
	assert_true(role_path_covers("/1/7/", "/1/7/"));
	assert_false(role_path_covers("/1/7/", "/1/70/")); /* a prefix of digits is not a parent */
	assert_false(role_path_covers("/1/7/23/", "/1/7/"));
	assert_true(role_implies(ROLE_ADMIN, ROLE_UNIT_ADMIN));
	assert_false(role_implies(ROLE_ADMIN, ROLE_RECEIVER));
	assert_false(role_implies(ROLE_UNIT_ADMIN, ROLE_ADMIN));
}

/* our encoder writes what jansson's dump writes (reals aside: %.17g round-trips) */
static void
test_json_encoder_matches_jansson(void **state)
{
	(void)state;
	static const char *const docs[] = {
	    "{}",
	    "[]",
	    "{\"a\":[1,-2,9007199254740993,true,false,null,\"\"]}",
	    "{\"tên\":\"Nguyễn Thị Hồng Nhung — số 12 đường Trần Phú\",\"x\":{\"y\":[[]]}}",
	    "[\"\\\"quote\\\" back\\\\slash /slash \\n\\t\\r\\u0001 \\u001f\"]",
	    "{\"z\":1,\"a\":2,\"m\":3}",
	    "\"chỉ một chuỗi\"",
	    "[\"\\u2028 \\ud83d\\ude00 emoji\"]",
	};
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		json_error_t je;
		json_t *v = json_loads(docs[i], JSON_DECODE_ANY, &je);
		assert_non_null(v);
		struct buf b = BUF_INIT(1 << 20);
		assert_int_equal(json_to_buf(v, &b), 0);
		char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		assert_int_equal(b.len, strlen(want));
		assert_memory_equal(b.data, want, b.len);
		free(want);
		buf_release(&b);
		json_decref(v);
	}
	/* reals round-trip and stay reals */
	double reals[] = {95.5, 95.3, 0.1, 100.0, -0.0, 1e300, 12345678.9};
	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		json_t *v = json_real(reals[i]);
		struct buf b = BUF_INIT(256);
		assert_int_equal(json_to_buf(v, &b), 0);
		buf_addc(&b, 0);
		json_error_t je;
		json_t *back = json_loads(b.data, JSON_DECODE_ANY, &je);
		assert_non_null(back);
		assert_true(json_is_real(back));
		assert_true(json_real_value(back) == reals[i]);
		json_decref(back);
		json_decref(v);
		buf_release(&b);
	}
	/* a reply over its cap fails instead of being cut */
	json_t *big = json_string("một chuỗi khá dài cho bộ đệm nhỏ");
	struct buf small = BUF_INIT(8);
	assert_int_equal(json_to_buf(big, &small), -1);
	buf_release(&small);
	json_decref(big);
}

/* the streaming writer gives what the tree encoder gives */
static void
test_jw_writer(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(4096);
	struct jw w;
	jw_init(&w, &b);
	jw_obj(&w, NULL);
	jw_str(&w, "code", "001.01.00.H34-260212-0001");
	jw_int(&w, "status", 10);
	jw_str(&w, "null", NULL);
	jw_arr(&w, "steps");
	jw_obj(&w, NULL);
	jw_str(&w, "name", "Thẩm định \"hồ sơ\"");
	jw_time(&w, "at", 0);
	jw_end(&w, '}');
	jw_obj(&w, NULL);
	jw_time(&w, "at", 1770861600);
	jw_end(&w, '}');
	jw_end(&w, ']');
	jw_null(&w, "asked");
	jw_end(&w, '}');
	buf_addc(&b, 0);
	assert_string_equal(b.data, "{\"code\":\"001.01.00.H34-260212-0001\",\"status\":10,"
				    "\"null\":null,\"steps\":[{\"name\":\"Thẩm định \\\"hồ "
				    "sơ\\\"\",\"at\":null},{\"at\":\"2026-02-12T09:00:00+07:00\"}],"
				    "\"asked\":null}");
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_arena_alignment_and_big),
	    cmocka_unit_test(test_buf_max_and_json),
	    cmocka_unit_test(test_text_fold),
	    cmocka_unit_test(test_text_nfc_and_utf8),
	    cmocka_unit_test(test_civil),
	    cmocka_unit_test(test_err_table),
	    cmocka_unit_test(test_ratelimit),
	    cmocka_unit_test(test_role_scope),
	    cmocka_unit_test(test_json_encoder_matches_jansson),
	    cmocka_unit_test(test_jw_writer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
