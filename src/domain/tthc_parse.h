/*
 * tthc_parse.h: reading the national TTHC database's published text. The portal's records
 * carry their tables flattened into text with no separators ("Hình thức nộpThời gianPhí, lệ
 * phíMô tảTrực tuyến5 Ngày làm việcMiễn phí..."); these functions recover the rows: per channel
 * the processing time with its unit and the fee, the dossier components with their counts,
 * the levels, the results, a cut-off hour. They also read the durations and fees of our own CSV
 * ("5 ngày làm việc", "4 giờ", "50.000 đồng").
 *
 * Pure: no I/O, no database. Input is UTF-8, expected NFC (the caller normalises). Strings
 * returned are allocated in the arena the caller passes; nothing else is allocated.
 *
 * Conventions the portal's data forces (and the tests pin down):
 * - "5 Ngày làm việc" is working days, "5 Ngày" calendar days, "4 Giờ" working hours; a bare
 *   number ("1") is working days. 1 working day = 480 working minutes; calendar days are
 *   stored as days x 1440 minutes.
 * - A time with no unit glued to a fee with no space ("1200 VNĐ") is split after the first
 *   digit: the portal writes its placeholder time 1 in front of the fee (200).
 * - "Miễn phí" is 0; "Không có thông tin" and fees in foreign currency are unknown (-1), the
 *   published text being kept.
 * - A channel listed on several rows (one per case) takes the longest time and the first
 *   known fee; every row's text is kept.
 */
#ifndef MOTCUA_TTHC_PARSE_H
#define MOTCUA_TTHC_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

#define TTHC_DAY_MINUTES     480  /* one working day: 8 working hours */
#define TTHC_CAL_DAY_MINUTES 1440 /* one calendar day */
#define TTHC_UNKNOWN	     (-1) /* a time or a fee the source does not state */

enum tthc_unit {
	TTHC_UNIT_NONE,
	TTHC_WORKING_DAYS,
	TTHC_CALENDAR_DAYS,
	TTHC_WORKING_HOURS,
	TTHC_UNIT__MAX
};

/* Channels by their national codes; index 0 is unused. */
enum tthc_channel { TTHC_DIRECT = 1, TTHC_ONLINE = 2, TTHC_POSTAL = 3, TTHC_CHANNEL__MAX };

enum tthc_level {
	TTHC_LEVEL_MINISTRY,
	TTHC_LEVEL_PROVINCE,
	TTHC_LEVEL_DISTRICT,
	TTHC_LEVEL_COMMUNE,
	TTHC_LEVEL_OTHER,
	TTHC_LEVEL__MAX
};

struct tthc_channel_row {
	int offered;	       /* the channel appears in the table */
	int rows;	       /* how many rows name it */
	enum tthc_unit unit;   /* TTHC_UNIT_NONE when the time is unknown */
	int64_t minutes;       /* TTHC_UNKNOWN when unknown */
	const char *time_text; /* as published, rows joined by " | " */
	int64_t fee;	       /* VND, TTHC_UNKNOWN when unknown */
	const char *fee_text;  /* the fee and its explanation, rows joined by " | " */
};

struct tthc_component {
	const char *group; /* the heading it was listed under, NULL for none */
	const char *name;
	const char *form; /* the form template's file name, NULL for none */
	int originals, copies;
	int required;
};

/* tthc_unit_name: "working_days", "calendar_days", "working_hours" (NULL for NONE);
 * tthc_unit_parse: the unit of such a name, or -1. */
const char *tthc_unit_name(enum tthc_unit u);
int tthc_unit_parse(const char *name);
/* tthc_channel_name: "direct", "online", "postal"; tthc_channel_parse: its code or -1. */
const char *tthc_channel_name(enum tthc_channel ch);
int tthc_channel_parse(const char *name);
/* tthc_level_name: "ministry", "province", "district", "commune", "other"; parse or -1. */
const char *tthc_level_name(enum tthc_level l);
int tthc_level_parse(const char *name);

/*
 * tthc_duration: a duration as people write it: "5 Ngày làm việc", "15 ngày", "4 giờ làm việc",
 * "0,5 ngày làm việc", "30 phút", "1" (working days). 0 with *unit and *minutes set; -1 when
 * the text is not a duration ("Không có thông tin", "", "nhanh").
 */
int tthc_duration(const char *text, enum tthc_unit *unit, int64_t *minutes);

/*
 * tthc_fee: the fee in VND of a fee text: "Miễn phí" 0, "50,000 Việt Nam Đồng" 50000,
 * "2.000 đồng/trang" 2000, "100000" 100000. TTHC_UNKNOWN for "Không có thông tin", foreign
 * currencies and anything else. -2 for a negative amount ("-5000"), which callers reject.
 */
int64_t tthc_fee(const char *text);

/*
 * tthc_parse_channels: the flattened "cách thức thực hiện" table into out[TTHC_DIRECT..
 * TTHC_POSTAL] (out[0] is cleared and unused). Returns the number of rows read (0 when the
 * text names no channel), or -1 with *why (English) when a row cannot be read.
 */
int tthc_parse_channels(const char *text, struct arena *a, struct tthc_channel_row out[4],
			const char **why);

/*
 * tthc_parse_components: the flattened "thành phần hồ sơ" table into an arena array.
 * Returns the number of components (0 when there is no table), -1 with *why on bad input.
 */
int tthc_parse_components(const char *text, struct arena *a, struct tthc_component **out,
			  const char **why);

/* tthc_parse_levels: "Cấp tỉnh, Cấp xã" -> a bit mask of (1 << TTHC_LEVEL_*); 0 when none. */
unsigned tthc_parse_levels(const char *text);

/* tthc_parse_results: "Giấy khai sinhMã: KQ.G15.000031Trích lục...Mã: ..." -> the result
 * names joined by "; " (NULL when none is stated). */
char *tthc_parse_results(const char *text, struct arena *a);

/* tthc_parse_cutoff: the cut-off hour a text states ("nếu tiếp nhận hồ sơ sau 15 giờ") in
 * minutes after midnight, or -1. */
int tthc_parse_cutoff(const char *text);

/* tthc_clean: s with no-break spaces made spaces, runs of blanks collapsed, ends trimmed;
 * NULL for NULL, empty and "Không có thông tin". */
char *tthc_clean(const char *s, struct arena *a);

/* tthc_strip_prefix: s without a leading table header `head` (when present). */
const char *tthc_strip_prefix(const char *s, const char *head);

#endif
