#include "domain/calendar.h"

#include <stdio.h>
#include <string.h>

#include "core/civil.h"
#include "domain/lunar.h"

#define STR(x)	#x
#define XSTR(x) STR(x)

static const char *const status_names[CAL_STATUS__MAX] = {
    [CAL_PROPOSED] = "proposed",
    [CAL_CONFIRMED] = "confirmed",
};

static const char *const kind_names[CAL_KIND__MAX] = {
    [CAL_OFF] = "off",
    [CAL_WORK] = "work",
};

const char *
cal_status_name(enum cal_status s)
{
	return (unsigned)s < CAL_STATUS__MAX ? status_names[s] : NULL;
}

const char *
cal_kind_name(enum cal_kind k)
{
	return (unsigned)k < CAL_KIND__MAX ? kind_names[k] : NULL;
}

/*
 * Text checks. core/ has no UTF-8 module yet, so the few lines needed live here: well-formed
 * UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF) and no control characters,
 * C0, DEL or C1, which have no place in a reason printed on an official form.
 */
static size_t
utf8_char(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0], v;
	size_t len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

/* 0 when s[0..n) is printable UTF-8 text. */
static int
text_check(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, l;
	unsigned cp;

	while (i < n) {
		l = utf8_char(p + i, n - i, &cp);
		if (l == 0)
			return -1;
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			return -1;
		i += l;
	}
	return 0;
}

/* Copy at most cap-1 bytes of s, cutting on a character boundary. */
static void
copy_text(char *dst, size_t cap, const char *s, size_t n)
{
	if (n > cap - 1) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static int
is_weekend(int64_t day)
{
	int w = civil_wday(day);
	return w == 0 || w == 6;
}

static int64_t
year_first(int year)
{
	return civil_days_from_date(year, 1, 1);
}

void
cal_year_init(struct cal_year *y, int year)
{
	memset(y, 0, sizeof(*y));
	y->year = year;
	y->status = CAL_PROPOSED;
}

int
cal_year_add(struct cal_year *y, enum cal_kind kind, int64_t day, const char *reason, struct err *e)
{
	struct cal_entry *en;

	if (y->nentries >= CAL_ENTRIES_MAX)
		return err_setf(e, ERR_VALIDATION, "entries", "Một năm có tối đa %d ngày ghi chú",
				"A year holds at most %d entries", CAL_ENTRIES_MAX);
	en = &y->entries[y->nentries++];
	en->day = day;
	en->kind = kind;
	en->line = 0;
	if (!reason)
		reason = "";
	copy_text(en->reason, sizeof(en->reason), reason, strlen(reason));
	return 0;
}

void
cal_year_sort(struct cal_year *y)
{
	/* Insertion sort: at most CAL_ENTRIES_MAX entries, stable, no comparator callbacks. */
	for (int i = 1; i < y->nentries; i++) {
		struct cal_entry t = y->entries[i];
		int j = i;
		while (j > 0 && y->entries[j - 1].day > t.day) {
			y->entries[j] = y->entries[j - 1];
			j--;
		}
		y->entries[j] = t;
	}
}

const struct cal_entry *
cal_year_find(const struct cal_year *y, int64_t day)
{
	for (int i = 0; i < y->nentries; i++)
		if (y->entries[i].day == day)
			return &y->entries[i];
	return NULL;
}

/*
 * The day proposed beside 2 September, by the weekday of 2 September. The notices of 2021 to
 * 2026 took 3 September when 2 September was a Monday or Thursday and 1 September when it was
 * a Tuesday, Wednesday, Friday or Saturday, joining the holiday to a weekend where they can;
 * for a Sunday (no notice under this Labour Code yet) we propose Monday 3rd, and Sunday 2nd is
 * then made up on Tuesday 4th. The government's notice decides each year.
 */
static const int sep2_adjacent[7] = {
    /* Sun */ +1, /* Mon */ +1, /* Tue */ -1, /* Wed */ -1,
    /* Thu */ +1, /* Fri */ -1, /* Sat */ -1,
};

struct holiday {
	int64_t day;
	const char *reason;
};

int
calendar_propose(int year, struct cal_year *out)
{
	struct holiday h[16];
	int n = 0, i, j;
	int64_t tet, hung, sep2, d;
	struct lunar_date ld = {year, 3, 10, 0};
	int need[16];

	if (year < CAL_YEAR_MIN || year > CAL_YEAR_MAX)
		return -1;
	if (lunar_new_year(year, &tet) < 0 || lunar_to_solar(&ld, &hung) < 0)
		return -1;
	cal_year_init(out, year);
	sep2 = civil_days_from_date(year, 9, 2);

	h[n++] = (struct holiday){year_first(year), "Tết Dương lịch"};
	/* Tết: the last day of the old year (29 or 30 tháng Chạp) and mùng 1 to mùng 4. */
	for (d = tet - 1; d <= tet + 3; d++)
		h[n++] = (struct holiday){d, "Tết Nguyên đán"};
	h[n++] = (struct holiday){hung, "Giỗ Tổ Hùng Vương"};
	h[n++] = (struct holiday){civil_days_from_date(year, 4, 30), "Ngày Giải phóng miền Nam"};
	h[n++] = (struct holiday){civil_days_from_date(year, 5, 1), "Ngày Quốc tế Lao động"};
	h[n++] = (struct holiday){sep2, "Quốc khánh"};
	h[n++] =
	    (struct holiday){sep2 + sep2_adjacent[civil_wday(sep2)], "Quốc khánh (ngày liền kề)"};

	/* Date order, so made-up days are handed out in the order the holidays occur. */
	for (i = 1; i < n; i++) {
		struct holiday t = h[i];
		for (j = i; j > 0 && h[j - 1].day > t.day; j--)
			h[j] = h[j - 1];
		h[j] = t;
	}
	for (i = 0; i < n; i++) {
		need[i] = is_weekend(h[i].day);
		if (cal_year_find(out, h[i].day)) {
			need[i] = 1; /* two holidays on one day: the second is made up */
			continue;
		}
		cal_year_add(out, CAL_OFF, h[i].day, h[i].reason, NULL);
	}
	for (i = 0; i < n; i++) {
		char reason[CAL_REASON_MAX + 1];
		int yy, mm, dd;

		if (!need[i])
			continue;
		for (d = h[i].day + 1; is_weekend(d) || cal_year_find(out, d); d++)
			;
		civil_date_from_days(h[i].day, &yy, &mm, &dd);
		snprintf(reason, sizeof(reason), "Nghỉ bù cho %s ngày %02d/%02d/%04d", h[i].reason,
			 dd, mm, yy);
		cal_year_add(out, CAL_OFF, d, reason, NULL);
	}
	cal_year_sort(out);
	return 0;
}

/* The checks of cal_year_validate; *bad is the offending entry, -1 for the year itself,
 * -2 - i for notice i. */
static int
year_check(const struct cal_year *y, struct err *e, int *bad)
{
	char field[64], date[16];
	int64_t first, last, d;
	int i, j, workdays;

	*bad = -1;
	if (y->year < CAL_YEAR_MIN || y->year > CAL_YEAR_MAX)
		return err_setf(e, ERR_VALIDATION, "year", "Năm phải từ %d đến %d",
				"The year must be between %d and %d", CAL_YEAR_MIN, CAL_YEAR_MAX);
	if ((unsigned)y->status >= CAL_STATUS__MAX)
		return err_set(e, ERR_VALIDATION, "status", "Trạng thái không hợp lệ",
			       "Invalid status");
	if (y->nnotices < 0 || y->nnotices > CAL_NOTICES_MAX || y->nentries < 0 ||
	    y->nentries > CAL_ENTRIES_MAX)
		return err_set(e, ERR_VALIDATION, "entries", "Số mục không hợp lệ",
			       "Invalid number of entries");
	for (i = 0; i < y->nnotices; i++) {
		size_t n = strnlen(y->notice[i], sizeof(y->notice[i]));
		snprintf(field, sizeof(field), "notice[%d]", i);
		*bad = -2 - i;
		if (n == 0 || n > CAL_NOTICE_MAX)
			return err_setf(e, ERR_VALIDATION, field,
					"Số hiệu thông báo phải có từ 1 đến %d byte",
					"A notice must be 1 to %d bytes", CAL_NOTICE_MAX);
		if (text_check(y->notice[i], n) < 0)
			return err_set(e, ERR_VALIDATION, field,
				       "Thông báo chứa ký tự không hợp lệ",
				       "The notice holds invalid characters");
	}
	*bad = -1;
	if (y->status == CAL_CONFIRMED && y->nnotices == 0)
		return err_set(e, ERR_VALIDATION, "notice",
			       "Lịch đã xác nhận phải ghi thông báo của cơ quan có thẩm quyền",
			       "A confirmed year must name the notice that set it");
	first = year_first(y->year);
	last = year_first(y->year + 1) - 1;
	for (i = 0; i < y->nentries; i++) {
		const struct cal_entry *en = &y->entries[i];
		size_t n = strnlen(en->reason, sizeof(en->reason));

		*bad = i;
		if ((unsigned)en->kind >= CAL_KIND__MAX) {
			snprintf(field, sizeof(field), "entries[%d].kind", i);
			return err_set(e, ERR_VALIDATION, field, "Loại ngày không hợp lệ",
				       "Invalid kind of day");
		}
		snprintf(field, sizeof(field), "entries[%d].date", i);
		if (en->day < first || en->day > last) {
			if (en->day > -3000000 && en->day < 3000000) /* years ~-6000..10000 */
				civil_format_date(en->day, date);
			else
				snprintf(date, sizeof(date), "?");
			return err_setf(e, ERR_VALIDATION, field, "Ngày %s không thuộc năm %d",
					"The date %s is not in %d", date, y->year);
		}
		civil_format_date(en->day, date);
		for (j = 0; j < i; j++) {
			if (y->entries[j].day != en->day)
				continue;
			if (y->entries[j].kind != en->kind)
				return err_setf(e, ERR_VALIDATION, field,
						"Ngày %s vừa là ngày nghỉ vừa là ngày làm việc",
						"The date %s is both a day off and a working day",
						date);
			return err_setf(e, ERR_VALIDATION, field, "Ngày %s bị ghi hai lần",
					"The date %s is given twice", date);
		}
		if (en->kind == CAL_WORK && !is_weekend(en->day))
			return err_setf(e, ERR_VALIDATION, field,
					"Ngày làm bù %s phải là thứ Bảy hoặc Chủ nhật",
					"The make-up working day %s must be a Saturday or Sunday",
					date);
		snprintf(field, sizeof(field), "entries[%d].reason", i);
		if (n == 0)
			return err_setf(e, ERR_VALIDATION, field, "Ngày %s thiếu lý do",
					"The date %s has no reason", date);
		if (n > CAL_REASON_MAX)
			return err_setf(
			    e, ERR_VALIDATION, field, "Lý do của ngày %s dài quá %d byte",
			    "The reason for %s is longer than %d bytes", date, CAL_REASON_MAX);
		if (text_check(en->reason, n) < 0)
			return err_setf(e, ERR_VALIDATION, field,
					"Lý do của ngày %s chứa ký tự không hợp lệ",
					"The reason for %s holds invalid characters", date);
	}
	*bad = -1;
	workdays = 0;
	for (d = first; d <= last; d++) {
		const struct cal_entry *en = cal_year_find(y, d);
		if (en ? en->kind == CAL_WORK : !is_weekend(d))
			workdays++;
	}
	if (workdays == 0)
		return err_setf(e, ERR_VALIDATION, "entries", "Năm %d không còn ngày làm việc nào",
				"The year %d has no working day left", y->year);
	return 0;
}

int
cal_year_validate(const struct cal_year *y, struct err *e)
{
	int bad;
	return year_check(y, e, &bad);
}

/* Parsing. */

struct parser {
	const char *p, *end;
	int line;
	struct err *e;
};

/* Sets e to "Dòng N: vi" / "Line N: en" with field "line N". */
static int
line_err(struct parser *ps, const char *vi, const char *en)
{
	char field[32], mvi[384], men[256];

	snprintf(field, sizeof(field), "line %d", ps->line);
	snprintf(mvi, sizeof(mvi), "Dòng %d: %s", ps->line, vi);
	snprintf(men, sizeof(men), "Line %d: %s", ps->line, en);
	return err_set(ps->e, ERR_VALIDATION, field, mvi, men);
}

/* line_err with one optional %s argument in both messages. */
static int
perr(struct parser *ps, const char *vi, const char *en, const char *arg)
{
	char mvi[320], men[200];

	snprintf(mvi, sizeof(mvi), vi, arg ? arg : "");
	snprintf(men, sizeof(men), en, arg ? arg : "");
	return line_err(ps, mvi, men);
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* The next token of [*s, end): skips blanks, returns its length and moves *s past it. */
static size_t
token(const char **s, const char *end, const char **tok)
{
	const char *p = *s;
	while (p < end && is_space(*p))
		p++;
	*tok = p;
	while (p < end && !is_space(*p))
		p++;
	*s = p;
	return (size_t)(p - *tok);
}

static void
trim(const char **s, const char **end)
{
	while (*s < *end && is_space(**s))
		(*s)++;
	while (*end > *s && is_space((*end)[-1]))
		(*end)--;
}

static int
tok_is(const char *t, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(t, word, n) == 0;
}

static int
parse_entry(struct parser *ps, struct cal_year *y, enum cal_kind kind, const char *s,
	    const char *end)
{
	const char *tok;
	char date[16];
	int64_t day;
	size_t n = token(&s, end, &tok);
	struct cal_entry *en;

	if (n == 0)
		return line_err(ps, "thiếu ngày (YYYY-MM-DD)", "missing date (YYYY-MM-DD)");
	copy_text(date, sizeof(date), tok, n);
	if (n != 10 || civil_parse_date(date, &day) < 0)
		return perr(ps, "ngày \"%s\" không hợp lệ (YYYY-MM-DD)",
			    "invalid date \"%s\" (YYYY-MM-DD)", date);
	trim(&s, &end);
	if (s == end)
		return perr(ps, "ngày %s thiếu lý do", "the date %s has no reason", date);
	if ((size_t)(end - s) > CAL_REASON_MAX)
		return perr(ps, "lý do của ngày %s dài quá " XSTR(CAL_REASON_MAX) " byte",
			    "the reason for %s is longer than " XSTR(CAL_REASON_MAX) " bytes",
			    date);
	if (y->nentries >= CAL_ENTRIES_MAX)
		return perr(ps, "quá nhiều ngày trong một năm (tối đa %s)",
			    "too many entries in one year (at most %s)", XSTR(CAL_ENTRIES_MAX));
	en = &y->entries[y->nentries++];
	en->day = day;
	en->kind = kind;
	en->line = ps->line;
	copy_text(en->reason, sizeof(en->reason), s, (size_t)(end - s));
	return 0;
}

static int
parse_line(struct parser *ps, struct cal_year *y, const char *s, const char *end, int *year_line,
	   int *status_line, int *notice_line)
{
	const char *kw, *tok;
	size_t n;
	char word[32];

	trim(&s, &end);
	if (s == end || *s == '#')
		return 0;
	if (text_check(s, (size_t)(end - s)) < 0)
		return line_err(ps, "văn bản không phải UTF-8 hợp lệ hoặc có ký tự điều khiển",
				"text is not valid UTF-8 or holds control characters");
	n = token(&s, end, &kw);
	if (tok_is(kw, n, "year")) {
		if (*year_line)
			return line_err(ps, "dòng \"year\" lặp lại", "\"year\" given twice");
		n = token(&s, end, &tok);
		copy_text(word, sizeof(word), tok, n);
		trim(&s, &end);
		if (n != 4 || s != end || word[0] < '0' || word[0] > '9' || word[1] < '0' ||
		    word[1] > '9' || word[2] < '0' || word[2] > '9' || word[3] < '0' ||
		    word[3] > '9')
			return perr(ps, "năm \"%s\" không hợp lệ", "invalid year \"%s\"", word);
		y->year = (word[0] - '0') * 1000 + (word[1] - '0') * 100 + (word[2] - '0') * 10 +
			  (word[3] - '0');
		if (y->year < CAL_YEAR_MIN || y->year > CAL_YEAR_MAX)
			return perr(ps, "năm %s ngoài khoảng 1900-2199",
				    "the year %s is outside 1900-2199", word);
		*year_line = ps->line;
		return 0;
	}
	if (tok_is(kw, n, "status")) {
		if (*status_line)
			return line_err(ps, "dòng \"status\" lặp lại", "\"status\" given twice");
		n = token(&s, end, &tok);
		copy_text(word, sizeof(word), tok, n);
		trim(&s, &end);
		if (s != end)
			return line_err(ps, "thừa chữ sau trạng thái",
					"extra text after the status");
		if (tok_is(tok, n, "proposed"))
			y->status = CAL_PROPOSED;
		else if (tok_is(tok, n, "confirmed"))
			y->status = CAL_CONFIRMED;
		else
			return perr(ps, "trạng thái \"%s\" không hợp lệ (proposed, confirmed)",
				    "invalid status \"%s\" (proposed, confirmed)", word);
		*status_line = ps->line;
		return 0;
	}
	if (tok_is(kw, n, "notice")) {
		trim(&s, &end);
		if (s == end)
			return line_err(ps, "thiếu nội dung thông báo", "the notice is empty");
		if ((size_t)(end - s) > CAL_NOTICE_MAX)
			return line_err(ps, "thông báo dài quá 255 byte",
					"the notice is longer than 255 bytes");
		if (y->nnotices >= CAL_NOTICES_MAX)
			return line_err(ps, "quá nhiều dòng \"notice\" (tối đa 4)",
					"too many \"notice\" lines (at most 4)");
		notice_line[y->nnotices] = ps->line;
		copy_text(y->notice[y->nnotices++], CAL_NOTICE_MAX + 1, s, (size_t)(end - s));
		return 0;
	}
	if (tok_is(kw, n, "off"))
		return parse_entry(ps, y, CAL_OFF, s, end);
	if (tok_is(kw, n, "work"))
		return parse_entry(ps, y, CAL_WORK, s, end);
	copy_text(word, sizeof(word), kw, n);
	return perr(ps, "từ khóa \"%s\" không hợp lệ (year, status, notice, off, work)",
		    "unknown keyword \"%s\" (year, status, notice, off, work)", word);
}

int
cal_year_parse(const char *text, size_t len, struct cal_year *out, struct err *e)
{
	struct parser ps = {text, text + len, 0, e};
	int year_line = 0, status_line = 0, notice_line[CAL_NOTICES_MAX] = {0};
	int bad, line;

	cal_year_init(out, 0);
	if (len > CAL_TEXT_MAX)
		return err_set(e, ERR_TOO_LARGE, "line 0", "Văn bản lịch quá dài (tối đa 64 KiB)",
			       "The calendar text is too long (at most 64 KiB)");
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		ps.p += 3;
	while (ps.p < ps.end) {
		const char *nl = memchr(ps.p, '\n', (size_t)(ps.end - ps.p));
		const char *eol = nl ? nl : ps.end;

		ps.line++;
		if (eol > ps.p && eol[-1] == '\r')
			eol--;
		if ((size_t)(eol - ps.p) > CAL_LINE_MAX)
			return line_err(&ps, "dòng dài quá 1024 byte",
					"line longer than 1024 bytes");
		if (memchr(ps.p, '\0', (size_t)(eol - ps.p)))
			return line_err(&ps, "dòng chứa byte NUL", "the line holds a NUL byte");
		if (parse_line(&ps, out, ps.p, eol, &year_line, &status_line, notice_line) < 0)
			return -1;
		ps.p = nl ? nl + 1 : ps.end;
	}
	if (!year_line) {
		ps.line = 0;
		return line_err(&ps, "thiếu dòng \"year\"", "missing \"year\" line");
	}
	if (year_check(out, e, &bad) == 0)
		return 0;
	/* Say where the fault is in the text the official edits. */
	if (bad >= 0 && out->entries[bad].line > 0)
		line = out->entries[bad].line;
	else if (bad <= -2)
		line = notice_line[-2 - bad];
	else if (e && strcmp(e->field, "notice") == 0 && status_line)
		line = status_line;
	else
		line = year_line;
	if (e) {
		char vi[384], en[256];
		snprintf(vi, sizeof(vi), "%s", e->message_vi);
		snprintf(en, sizeof(en), "%s", e->message_en);
		ps.line = line;
		return line_err(&ps, vi, en);
	}
	return -1;
}

int
cal_year_format(const struct cal_year *y, struct buf *out)
{
	int idx[CAL_ENTRIES_MAX];
	int i, j, n = y->nentries < CAL_ENTRIES_MAX ? y->nentries : CAL_ENTRIES_MAX;
	char date[16];
	int rc = 0;

	for (i = 0; i < n; i++) {
		int t = i;
		for (j = i; j > 0 && y->entries[idx[j - 1]].day > y->entries[t].day; j--)
			idx[j] = idx[j - 1];
		idx[j] = t;
	}
	rc |= buf_addf(out, "# Lịch nghỉ lễ, Tết năm %d\n", y->year);
	rc |= buf_addf(out, "year %d\n", y->year);
	rc |= buf_addf(out, "status %s\n",
		       cal_status_name(y->status) ? cal_status_name(y->status) : "proposed");
	for (i = 0; i < y->nnotices && i < CAL_NOTICES_MAX; i++)
		rc |= buf_addf(out, "notice %s\n", y->notice[i]);
	for (i = 0; i < n; i++) {
		const struct cal_entry *en = &y->entries[idx[i]];
		const char *k = cal_kind_name(en->kind);
		civil_format_date(en->day, date);
		rc |= buf_addf(out, "%s %s %s\n", k ? k : "off", date, en->reason);
	}
	return rc ? -1 : 0;
}

/* Working hours. */

static const char *const wday_names[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

void
cal_hours_default(struct cal_hours *h)
{
	memset(h, 0, sizeof(*h));
	h->nintervals = 2;
	h->iv[0] = (struct cal_interval){7 * 60, 11 * 60 + 30};
	h->iv[1] = (struct cal_interval){13 * 60 + 30, 17 * 60};
	h->weekdays = 0x3e; /* Monday..Friday */
}

int
cal_hours_minutes(const struct cal_hours *h)
{
	int m = 0;
	for (int i = 0; i < h->nintervals && i < CAL_INTERVALS_MAX; i++)
		m += h->iv[i].end - h->iv[i].start;
	return m;
}

int
cal_hours_validate(const struct cal_hours *h, struct err *e)
{
	if (h->nintervals < 1 || h->nintervals > CAL_INTERVALS_MAX)
		return err_setf(e, ERR_VALIDATION, "hours",
				"Giờ làm việc phải có từ 1 đến %d khoảng",
				"Working hours need 1 to %d intervals", CAL_INTERVALS_MAX);
	for (int i = 0; i < h->nintervals; i++) {
		const struct cal_interval *v = &h->iv[i];
		if (v->start < 0 || v->end > 1440 || v->start >= v->end)
			return err_set(e, ERR_VALIDATION, "hours",
				       "Khoảng giờ làm việc không hợp lệ",
				       "Invalid working-hours interval");
		if (i > 0 && v->start < h->iv[i - 1].end)
			return err_set(e, ERR_VALIDATION, "hours",
				       "Các khoảng giờ làm việc phải theo thứ tự, không chồng nhau",
				       "Working-hours intervals must be in order and disjoint");
	}
	if ((h->weekdays & 0x7f) == 0 || (h->weekdays & ~0x7fu) != 0)
		return err_set(e, ERR_VALIDATION, "hours", "Phải có ít nhất một ngày làm việc",
			       "At least one weekday must be worked");
	return 0;
}

static int
wday_of(const char *s, size_t n)
{
	for (int i = 0; i < 7; i++)
		if (n == 3 && memcmp(s, wday_names[i], 3) == 0)
			return i;
	return -1;
}

static int
hhmm(const char *s, int *min)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[2] != ':' || s[3] < '0' ||
	    s[3] > '9' || s[4] < '0' || s[4] > '9')
		return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	*min = h * 60 + m;
	return 0;
}

static int
hours_err(struct err *e)
{
	return err_set(e, ERR_VALIDATION, "hours",
		       "Giờ làm việc không hợp lệ (ví dụ: mon-fri 07:00-11:30 13:30-17:00)",
		       "Invalid working hours (example: mon-fri 07:00-11:30 13:30-17:00)");
}

int
cal_hours_parse(const char *str, struct cal_hours *out, struct err *e)
{
	const char *s = str, *end = str + strlen(str), *tok, *p;
	size_t n = token(&s, end, &tok);

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return hours_err(e);
	/* Weekdays: items separated by commas, each a day or a range (which may wrap). */
	for (p = tok; p < tok + n;) {
		const char *comma = memchr(p, ',', (size_t)(tok + n - p));
		const char *ie = comma ? comma : tok + n;
		int a, b;
		if (ie - p == 3) {
			a = b = wday_of(p, 3);
		} else if (ie - p == 7 && p[3] == '-') {
			a = wday_of(p, 3);
			b = wday_of(p + 4, 3);
		} else {
			return hours_err(e);
		}
		if (a < 0 || b < 0)
			return hours_err(e);
		for (int d = a;; d = (d + 1) % 7) {
			out->weekdays |= 1u << d;
			if (d == b)
				break;
		}
		p = comma ? comma + 1 : ie;
		if (comma && p == tok + n)
			return hours_err(e);
	}
	while ((n = token(&s, end, &tok)) > 0) {
		struct cal_interval v;
		if (n != 11 || tok[5] != '-' || hhmm(tok, &v.start) < 0 ||
		    hhmm(tok + 6, &v.end) < 0)
			return hours_err(e);
		if (out->nintervals >= CAL_INTERVALS_MAX)
			return hours_err(e);
		out->iv[out->nintervals++] = v;
	}
	return cal_hours_validate(out, e);
}

int
cal_hours_format(const struct cal_hours *h, struct buf *out)
{
	static const int order[7] = {1, 2, 3, 4, 5, 6, 0}; /* Monday first */
	int rc = 0, first = 1;

	for (int i = 0; i < 7;) {
		int j = i;
		if (!(h->weekdays & (1u << order[i]))) {
			i++;
			continue;
		}
		while (j + 1 < 7 && (h->weekdays & (1u << order[j + 1])))
			j++;
		rc |= buf_addf(out, "%s%s", first ? "" : ",", wday_names[order[i]]);
		if (j > i)
			rc |= buf_addf(out, "-%s", wday_names[order[j]]);
		first = 0;
		i = j + 1;
	}
	for (int i = 0; i < h->nintervals && i < CAL_INTERVALS_MAX; i++)
		rc |= buf_addf(out, " %02d:%02d-%02d:%02d", h->iv[i].start / 60,
			       h->iv[i].start % 60, h->iv[i].end / 60, h->iv[i].end % 60);
	return rc ? -1 : 0;
}
