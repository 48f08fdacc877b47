/* test_tthc_parse.c: reading the national TTHC database's flattened tables: durations and
 * fees, the channel table (with the portal's quirks), the component table, levels, results,
 * the cut-off hour. The texts are taken from real records (raw_bo-tu-phap), abridged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/tthc_parse.h"

#define HEAD  "Hình thức nộpThời gianPhí, lệ phíMô tả"
#define TABLE "Tên giấy tờMẫu đơn, tờ khaiSố lượng"

static void
test_duration(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int rc;
		enum tthc_unit unit;
		int64_t minutes;
	} cases[] = {
	    {"5 Ngày làm việc", 0, TTHC_WORKING_DAYS, 2400},
	    {"5 ngày làm việc", 0, TTHC_WORKING_DAYS, 2400},
	    {"15 ngày", 0, TTHC_CALENDAR_DAYS, 15 * 1440},
	    {"50 Ngày", 0, TTHC_CALENDAR_DAYS, 50 * 1440},
	    {"4 giờ làm việc", 0, TTHC_WORKING_HOURS, 240},
	    {"8 GIỜ", 0, TTHC_WORKING_HOURS, 480},
	    {"30 phút", 0, TTHC_WORKING_HOURS, 30},
	    {"0,5 ngày làm việc", 0, TTHC_WORKING_DAYS, 240},
	    {"1.5 ngày làm việc", 0, TTHC_WORKING_DAYS, 720},
	    {"1", 0, TTHC_WORKING_DAYS, 480},
	    {" 3 ", 0, TTHC_WORKING_DAYS, 1440},
	    {"Không có thông tin", -1, TTHC_UNIT_NONE, 0},
	    {"", -1, TTHC_UNIT_NONE, 0},
	    {"nhanh", -1, TTHC_UNIT_NONE, 0},
	    {"5 năm ánh sáng", -1, TTHC_UNIT_NONE, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum tthc_unit u = TTHC_UNIT_NONE;
		int64_t m = -7;
		int rc = tthc_duration(cases[i].text, &u, &m);
		if (rc != cases[i].rc)
			fail_msg("'%s': rc %d, want %d", cases[i].text, rc, cases[i].rc);
		if (rc == 0 && (u != cases[i].unit || m != cases[i].minutes))
			fail_msg("'%s': %s %lld, want %s %lld", cases[i].text, tthc_unit_name(u),
				 (long long)m, tthc_unit_name(cases[i].unit),
				 (long long)cases[i].minutes);
	}
	assert_int_equal(tthc_duration(NULL, NULL, NULL), -1);
}

static void
test_fee(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int64_t fee;
	} cases[] = {
	    {"Miễn phí", 0},
	    {"miễn phí (Mức lệ phí cụ thể do HĐND tỉnh quyết định)", 0},
	    {"35,000,000 Việt Nam Đồng", 35000000},
	    {"2.000 đồng/trang", 2000},
	    {"50.000 VNĐ", 50000},
	    {"100000", 100000},
	    {"8,000 VNĐ(8.000 đồng/Văn bản)", 8000},
	    {"Không có thông tin", TTHC_UNKNOWN},
	    {"10 USD(/bản)", TTHC_UNKNOWN},
	    {"Mức thu do HĐND tỉnh quyết định", TTHC_UNKNOWN},
	    {"-5000", -2},
	    {"-5.000 đồng", -2},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t f = tthc_fee(cases[i].text);
		if (f != cases[i].fee)
			fail_msg("'%s': %lld, want %lld", cases[i].text, (long long)f,
				 (long long)cases[i].fee);
	}
}

static void
check_row(const struct tthc_channel_row *r, int offered, int rows, enum tthc_unit unit,
	  int64_t minutes, int64_t fee)
{
	assert_int_equal(r->offered, offered);
	assert_int_equal(r->rows, rows);
	assert_int_equal(r->unit, unit);
	assert_int_equal(r->minutes, minutes);
	assert_int_equal(r->fee, fee);
}

static void
test_channels(void **state)
{
	(void)state;
	struct arena *a = arena_new(4096);
	struct tthc_channel_row ch[4];
	const char *why = NULL;

	/* 1.001193 (khai sinh): a bare "1" is one working day */
	assert_int_equal(tthc_parse_channels(HEAD "Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phí"
						  "Trực tiếp1Miễn phí",
					     a, ch, &why),
			 3);
	check_row(&ch[TTHC_ONLINE], 1, 1, TTHC_WORKING_DAYS, 480, 0);
	check_row(&ch[TTHC_POSTAL], 1, 1, TTHC_WORKING_DAYS, 480, 0);
	check_row(&ch[TTHC_DIRECT], 1, 1, TTHC_WORKING_DAYS, 480, 0);
	assert_string_equal(ch[TTHC_DIRECT].time_text, "1");
	assert_string_equal(ch[TTHC_DIRECT].fee_text, "Miễn phí");

	/* 1.000532: calendar days, a fee with thousands separators and an explanation, a
	 * description column, no online channel */
	assert_int_equal(tthc_parse_channels(
			     HEAD "Dịch vụ bưu chính50 Ngày35,000,000 Việt Nam Đồng(35.000.000 "
				  "đồng (ba mươi lăm triệu đồng)/lần gia hạn.)Trong thời hạn 50 "
				  "ngày, trong đó: 30 ngày...Trực tiếp50 Ngày35,000,000 Việt Nam "
				  "Đồng",
			     a, ch, &why),
			 2);
	check_row(&ch[TTHC_POSTAL], 1, 1, TTHC_CALENDAR_DAYS, 50 * 1440, 35000000);
	check_row(&ch[TTHC_DIRECT], 1, 1, TTHC_CALENDAR_DAYS, 50 * 1440, 35000000);
	assert_int_equal(ch[TTHC_ONLINE].offered, 0);
	assert_string_equal(ch[TTHC_POSTAL].fee_text, "35,000,000 Việt Nam Đồng(35.000.000 đồng "
						      "(ba mươi lăm triệu đồng)/lần gia hạn.)");

	/* 1.004757: the time's placeholder digit glued to the fee */
	assert_int_equal(tthc_parse_channels(HEAD "Trực tuyến1200 VNĐDịch vụ bưu chính1200 VNĐ"
						  "Trực tiếp1200 VNĐ",
					     a, ch, &why),
			 3);
	check_row(&ch[TTHC_DIRECT], 1, 1, TTHC_WORKING_DAYS, 480, 200);
	assert_string_equal(ch[TTHC_DIRECT].time_text, "1");
	assert_string_equal(ch[TTHC_DIRECT].fee_text, "200 VNĐ");

	/* 2.000815: no time, two rows for one channel, the second in USD */
	assert_int_equal(tthc_parse_channels(HEAD "Trực tiếpKhông có thông tin2,000 Việt Nam Đồng"
						  "(/trang)Tại Ủy ban nhân dân cấp xã: 2.000 đồng/"
						  "trang;Trực tiếpKhông có thông tin10 USD(/bản)"
						  "Tại cơ quan đại diện: 10 USD/bản.",
					     a, ch, &why),
			 2);
	check_row(&ch[TTHC_DIRECT], 1, 2, TTHC_UNIT_NONE, TTHC_UNKNOWN, 2000);
	assert_string_equal(ch[TTHC_DIRECT].time_text, "Không có thông tin | Không có thông tin");

	/* 1.008709: one row per case: the longest time wins */
	assert_int_equal(tthc_parse_channels(HEAD "Trực tiếp7 Ngày làm việcMiễn phíĐối với chuyển "
						  "đổi công tyTrực tiếp5 Ngày làm việcMiễn phíĐối "
						  "với văn phòng",
					     a, ch, &why),
			 2);
	check_row(&ch[TTHC_DIRECT], 1, 2, TTHC_WORKING_DAYS, 7 * 480, 0);

	/* 1.001117: online fee unknown; 1.013805: online time unknown */
	assert_int_equal(tthc_parse_channels(HEAD "Dịch vụ bưu chính3 Ngày làm việcMiễn phí"
						  "Trực tuyến3 Ngày làm việcKhông có thông tin",
					     a, ch, &why),
			 2);
	check_row(&ch[TTHC_ONLINE], 1, 1, TTHC_WORKING_DAYS, 1440, TTHC_UNKNOWN);
	assert_int_equal(tthc_parse_channels(HEAD "Trực tuyếnKhông có thông tinMiễn phíTrực tiếp1"
						  "Miễn phí",
					     a, ch, &why),
			 2);
	check_row(&ch[TTHC_ONLINE], 1, 1, TTHC_UNIT_NONE, TTHC_UNKNOWN, 0);
	check_row(&ch[TTHC_DIRECT], 1, 1, TTHC_WORKING_DAYS, 480, 0);

	/* 2.002516: a channel's name inside a description is not a row */
	assert_int_equal(tthc_parse_channels(HEAD "Trực tuyếnKhông có thông tin8,000 VNĐ(8.000 "
						  "đồng/Văn bản)Trực tiếp thực hiện hoặc ủy quyền "
						  "cho người khác thực hiện nộp hồ sơ ",
					     a, ch, &why),
			 1);
	assert_int_equal(ch[TTHC_DIRECT].offered, 0);
	check_row(&ch[TTHC_ONLINE], 1, 1, TTHC_UNIT_NONE, TTHC_UNKNOWN, 8000);

	/* no table at all */
	assert_int_equal(tthc_parse_channels("Không có thông tin", a, ch, &why), 0);
	assert_int_equal(tthc_parse_channels(NULL, a, ch, &why), 0);
	arena_free(a);
}

static void
test_components(void **state)
{
	(void)state;
	struct arena *a = arena_new(4096);
	struct tthc_component *c;
	const char *why = NULL;

	/* 1.000390: three rows, two originals of the photos */
	assert_int_equal(tthc_parse_components(
			     "--" TABLE "Thẻ tư vấn viên pháp luật cũ (trong trường hợp Thẻ bị hư "
			     "hỏng)1 bản chínhHai ảnh chân dung cỡ 2 cm x 3 cm2 bản chínhGiấy đề "
			     "nghị cấp Thẻ tư vấn viên pháp luật1 bản chính",
			     a, &c, &why),
			 3);
	assert_string_equal(c[1].name, "Hai ảnh chân dung cỡ 2 cm x 3 cm");
	assert_int_equal(c[1].originals, 2);
	assert_null(c[0].group);

	/* 1.002010: copies, a form template glued to the name, a count inside a name */
	assert_int_equal(tthc_parse_components(
			     "--" TABLE
			     "Giấy tờ chứng minh về trụ sở (01 bản chính hoặc 01 bản sao "
			     "có chứng thực).0 bản chính,1 bản saoGiấy đề nghị đăng ký hoạt động "
			     "theo mẫu thống nhấtMẫu TP-LS-02-sđ.docx1 bản chính",
			     a, &c, &why),
			 2);
	assert_int_equal(c[0].originals, 0);
	assert_int_equal(c[0].copies, 1);
	assert_true(c[0].required);
	assert_string_equal(c[1].name, "Giấy đề nghị đăng ký hoạt động theo mẫu thống nhất");
	assert_string_equal(c[1].form, "Mẫu TP-LS-02-sđ.docx");

	/* 1.000094: headings; notes and conditional rows are not required */
	assert_int_equal(
	    tthc_parse_components(
		"* Giấy tờ phải nộp:" TABLE "- Bản sao giấy tờ chứng minh nhân thân.0 "
		"bản chính,1 bản sao* Giấy tờ phải xuất trình:" TABLE "Trường hợp gửi "
		"hồ sơ qua bưu chính thì gửi bản sao có chứng thực.1 bản chính* Lưu ý:" TABLE
		"- Người tiếp nhận có trách nhiệm kiểm tra.0 bản chính",
		a, &c, &why),
	    3);
	assert_string_equal(c[0].group, "* Giấy tờ phải nộp:");
	assert_string_equal(c[0].name, "Bản sao giấy tờ chứng minh nhân thân.");
	assert_true(c[0].required);
	assert_string_equal(c[1].group, "* Giấy tờ phải xuất trình:");
	assert_false(c[1].required); /* "Trường hợp ..." is conditional */
	assert_string_equal(c[2].group, "* Lưu ý:");
	assert_false(c[2].required);

	/* a name ending in digits: only the last digit is the count */
	assert_int_equal(
	    tthc_parse_components("--" TABLE "Tờ khai theo mẫu TK021 bản chính", a, &c, &why), 1);
	assert_string_equal(c[0].name, "Tờ khai theo mẫu TK02");
	assert_int_equal(c[0].originals, 1);

	assert_int_equal(tthc_parse_components("Không có thông tin", a, &c, &why), 0);
	assert_int_equal(tthc_parse_components(NULL, a, &c, &why), 0);
	arena_free(a);
}

static void
test_levels_results_cutoff(void **state)
{
	(void)state;
	assert_int_equal(tthc_parse_levels("Cấp tỉnh, Cấp xã"),
			 (1u << TTHC_LEVEL_PROVINCE) | (1u << TTHC_LEVEL_COMMUNE));
	assert_int_equal(tthc_parse_levels("Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác"),
			 (1u << TTHC_LEVEL_MINISTRY) | (1u << TTHC_LEVEL_PROVINCE) |
			     (1u << TTHC_LEVEL_COMMUNE) | (1u << TTHC_LEVEL_OTHER));
	assert_int_equal(tthc_parse_levels("commune province"),
			 (1u << TTHC_LEVEL_PROVINCE) | (1u << TTHC_LEVEL_COMMUNE));
	assert_int_equal(tthc_parse_levels("Không rõ"), 0);

	struct arena *a = arena_new(4096);
	assert_string_equal(tthc_parse_results("Giấy khai sinhMã: KQ.G15.000031Trích lục đăng ký "
					       "nhận cha, mẹ, conMã: KQ.G15.000033Từ khóaKhông có "
					       "thông tinMô tả...Nộp hồ sơ",
					       a),
			    "Giấy khai sinh; Trích lục đăng ký nhận cha, mẹ, con");
	assert_string_equal(tthc_parse_results("Văn phòng được cấp lại Giấy đăng ký.Mã: 12231Từ "
					       "khóaKhông có thông tin",
					       a),
			    "Văn phòng được cấp lại Giấy đăng ký.");
	assert_null(tthc_parse_results("Từ khóaKhông có thông tin", a));

	assert_null(tthc_clean("Không có thông tin", a));
	assert_null(tthc_clean("  \t", a));
	assert_string_equal(tthc_clean("Ủy ban Nhân dân\xc2\xa0xã,\xc2\xa0phường ", a),
			    "Ủy ban Nhân dân xã, phường");
	arena_free(a);

	assert_int_equal(tthc_parse_cutoff("nếu tiếp nhận hồ sơ sau 15 giờ thì trả kết quả trong "
					   "ngày làm việc tiếp theo"),
			 15 * 60);
	assert_int_equal(tthc_parse_cutoff("tiếp nhận sau 15h30 cùng ngày"), 15 * 60 + 30);
	assert_int_equal(tthc_parse_cutoff("trả kết quả sau 3 ngày"), -1);
	assert_int_equal(tthc_parse_cutoff(NULL), -1);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(tthc_unit_name(TTHC_WORKING_DAYS), "working_days");
	assert_int_equal(tthc_unit_parse("calendar_days"), TTHC_CALENDAR_DAYS);
	assert_int_equal(tthc_unit_parse("days"), -1);
	assert_int_equal(tthc_channel_parse("postal"), TTHC_POSTAL);
	assert_string_equal(tthc_channel_name(TTHC_DIRECT), "direct");
	assert_int_equal(tthc_level_parse("commune"), TTHC_LEVEL_COMMUNE);
	assert_int_equal(tthc_level_parse("xa"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_duration),
	    cmocka_unit_test(test_fee),
	    cmocka_unit_test(test_channels),
	    cmocka_unit_test(test_components),
	    cmocka_unit_test(test_levels_results_cutoff),
	    cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
