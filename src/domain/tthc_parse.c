#include "domain/tthc_parse.h"
#include "core/buf.h"
#include "core/text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_INFO "Không có thông tin"

static const char *const unit_names[TTHC_UNIT__MAX] = {NULL, "working_days", "calendar_days",
						       "working_hours"};
static const char *const channel_names[TTHC_CHANNEL__MAX] = {NULL, "direct", "online", "postal"};
static const char *const level_names[TTHC_LEVEL__MAX] = {"ministry", "province", "district",
							 "commune", "other"};

const char *
tthc_unit_name(enum tthc_unit u)
{
	return (unsigned)u < TTHC_UNIT__MAX ? unit_names[u] : NULL;
}

int
tthc_unit_parse(const char *name)
{
	for (int i = 1; name && i < TTHC_UNIT__MAX; i++)
		if (strcmp(name, unit_names[i]) == 0)
			return i;
	return -1;
}

const char *
tthc_channel_name(enum tthc_channel ch)
{
	return (unsigned)ch < TTHC_CHANNEL__MAX ? channel_names[ch] : NULL;
}

int
tthc_channel_parse(const char *name)
{
	for (int i = 1; name && i < TTHC_CHANNEL__MAX; i++)
		if (strcmp(name, channel_names[i]) == 0)
			return i;
	return -1;
}

const char *
tthc_level_name(enum tthc_level l)
{
	return (unsigned)l < TTHC_LEVEL__MAX ? level_names[l] : NULL;
}

int
tthc_level_parse(const char *name)
{
	for (int i = 0; name && i < TTHC_LEVEL__MAX; i++)
		if (strcmp(name, level_names[i]) == 0)
			return i;
	return -1;
}

/* ---- small helpers ---- */

static size_t
lit(const char *s, const char *end, const char *l)
{
	size_t n = strlen(l);
	return (size_t)(end - s) >= n && memcmp(s, l, n) == 0 ? n : 0;
}

/* fold: the accent-folded, lower-case copy of s in the arena ("" on bad input). */
static char *
fold(const char *s, struct arena *a)
{
	struct buf b = BUF_INIT(1 << 20);
	if (text_fold(s, &b) < 0 || !b.data) {
		buf_release(&b);
		return arena_strdup(a, "");
	}
	char *r = arena_strdup(a, b.data);
	buf_release(&b);
	return r;
}

char *
tthc_clean(const char *s, struct arena *a)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *out = arena_alloc(a, n + 1);
	size_t o = 0;
	int blank = 1; /* drop leading blanks */
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		int is_blank = c == ' ' || c == '\t' || c == '\r';
		size_t step = 1;
		if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) { /* U+00A0 */
			is_blank = 1;
			step = 2;
		}
		if (is_blank) {
			if (!blank)
				out[o++] = ' ';
			blank = 1;
		} else {
			if (c == '\n') {
				while (o > 0 && out[o - 1] == ' ')
					o--;
				blank = 1;
			} else {
				blank = 0;
			}
			out[o++] = (char)c;
		}
		i += step;
	}
	while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\n'))
		o--;
	out[o] = '\0';
	if (o == 0 || strcmp(out, NO_INFO) == 0 || strcmp(out, NO_INFO ".") == 0)
		return NULL;
	return out;
}

const char *
tthc_strip_prefix(const char *s, const char *head)
{
	if (s && head && strncmp(s, head, strlen(head)) == 0)
		return s + strlen(head);
	return s;
}

/* A decimal number with an optional fraction (",5" or ".5") in thousandths; the end in *end.
 * -1 when s does not start with a digit. */
static int64_t
number_milli(const char *s, const char **end)
{
	if (!isdigit((unsigned char)*s))
		return -1;
	int64_t v = 0;
	while (isdigit((unsigned char)*s)) {
		if (v > 100000000)
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	v *= 1000;
	if ((*s == ',' || *s == '.') && isdigit((unsigned char)s[1]) &&
	    !(isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]))) {
		s++;
		int64_t scale = 100;
		while (isdigit((unsigned char)*s)) {
			v += scale * (*s++ - '0');
			scale /= 10;
		}
	}
	*end = s;
	return v;
}

int
tthc_duration(const char *text, enum tthc_unit *unit, int64_t *minutes)
{
	if (!text)
		return -1;
	struct arena *a = arena_new(1024);
	const char *f = fold(text, a), *p;
	int rc = -1;
	while (*f == ' ')
		f++;
	int64_t v = number_milli(f, &p);
	if (v < 0)
		goto out;
	while (*p == ' ')
		p++;
	static const struct {
		const char *word;
		enum tthc_unit unit;
		int64_t per; /* minutes per unit */
	} words[] = {
	    {"ngay lam viec", TTHC_WORKING_DAYS, TTHC_DAY_MINUTES},
	    {"ngay", TTHC_CALENDAR_DAYS, TTHC_CAL_DAY_MINUTES},
	    {"gio lam viec", TTHC_WORKING_HOURS, 60},
	    {"gio", TTHC_WORKING_HOURS, 60},
	    {"phut", TTHC_WORKING_HOURS, 1},
	    {"tuan", TTHC_CALENDAR_DAYS, 7 * TTHC_CAL_DAY_MINUTES},
	    {"thang", TTHC_CALENDAR_DAYS, 30 * TTHC_CAL_DAY_MINUTES},
	};
	if (*p == '\0') {
		*unit = TTHC_WORKING_DAYS;
		*minutes = v * TTHC_DAY_MINUTES / 1000;
		rc = 0;
		goto out;
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i].word);
		if (strncmp(p, words[i].word, n) == 0 &&
		    (p[n] == '\0' || !isalpha((unsigned char)p[n]))) {
			*unit = words[i].unit;
			*minutes = v * words[i].per / 1000;
			rc = 0;
			break;
		}
	}
out:
	arena_free(a);
	return rc;
}

/* An integer with thousands separators ("35,000,000", "2.000"); -1 when none. */
static int64_t
amount(const char *s, const char **end)
{
	if (!isdigit((unsigned char)*s))
		return -1;
	int64_t v = 0;
	for (;;) {
		if (isdigit((unsigned char)*s)) {
			if (v > 100000000000000LL)
				return -1;
			v = v * 10 + (*s++ - '0');
		} else if ((*s == ',' || *s == '.') && isdigit((unsigned char)s[1]) &&
			   isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
			   !isdigit((unsigned char)s[4])) {
			s++;
		} else {
			break;
		}
	}
	*end = s;
	return v;
}

int64_t
tthc_fee(const char *text)
{
	if (!text)
		return TTHC_UNKNOWN;
	struct arena *a = arena_new(1024);
	const char *f = fold(text, a), *p;
	int64_t rc = TTHC_UNKNOWN;
	while (*f == ' ')
		f++;
	if (strncmp(f, "mien phi", 8) == 0 || strncmp(f, "khong thu", 9) == 0) {
		rc = 0;
		goto out;
	}
	if (*f == '-' && isdigit((unsigned char)f[1])) {
		rc = -2;
		goto out;
	}
	int64_t v = amount(f, &p);
	if (v < 0)
		goto out;
	while (*p == ' ')
		p++;
	if (*p == '\0' || *p == '/' || *p == '(' || strncmp(p, "dong", 4) == 0 ||
	    strncmp(p, "viet nam dong", 13) == 0 || strncmp(p, "vnd", 3) == 0 ||
	    (p[0] == 'd' && !isalpha((unsigned char)p[1])))
		rc = v;
out:
	arena_free(a);
	return rc;
}

/* ---- the channel table ---- */

static const struct {
	const char *name;
	enum tthc_channel ch;
} channel_markers[] = {
    {"Trực tuyến", TTHC_ONLINE},
    {"Dịch vụ bưu chính", TTHC_POSTAL},
    {"Bưu chính công ích", TTHC_POSTAL},
    {"Trực tiếp", TTHC_DIRECT},
};

/* A row starts where a channel's name is followed by its time: a digit or "no information". */
static int
channel_at(const char *s, const char *end, size_t *len)
{
	for (size_t i = 0; i < sizeof(channel_markers) / sizeof(channel_markers[0]); i++) {
		size_t n = lit(s, end, channel_markers[i].name);
		if (!n)
			continue;
		if (s + n < end && (isdigit((unsigned char)s[n]) || lit(s + n, end, NO_INFO))) {
			*len = n;
			return channel_markers[i].ch;
		}
	}
	return 0;
}

static const struct {
	const char *word;
	int vnd; /* 0: a foreign currency */
} currencies[] = {
    {" Việt Nam Đồng", 1}, {" VNĐ", 1}, {" Đồng", 1}, {" đồng", 1}, {" USD", 0}, {" EUR", 0},
};

/* The currency that follows at s: its length, and whether it is VND. */
static size_t
currency_at(const char *s, const char *end, int *vnd)
{
	for (size_t i = 0; i < sizeof(currencies) / sizeof(currencies[0]); i++) {
		size_t n = lit(s, end, currencies[i].word);
		if (n) {
			*vnd = currencies[i].vnd;
			return n;
		}
	}
	return 0;
}

/* The end of a parenthesised group starting at s (balanced, or the row's end). */
static const char *
paren_end(const char *s, const char *end)
{
	int depth = 0;
	for (const char *p = s; p < end; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p + 1;
	}
	return end;
}

static const char *
join(struct arena *a, const char *prev, const char *s, size_t n)
{
	if (!prev)
		return arena_strndup(a, s, n);
	return arena_printf(a, "%s | %.*s", prev, (int)n, s);
}

static int
parse_row(const char *p, const char *end, struct arena *a, struct tthc_channel_row *row,
	  const char **why)
{
	enum tthc_unit unit = TTHC_UNIT_NONE;
	int64_t minutes = TTHC_UNKNOWN, fee = TTHC_UNKNOWN;
	const char *time_start = p, *fee_start;
	size_t n;
	if ((n = lit(p, end, NO_INFO))) {
		p += n;
	} else {
		const char *q = p;
		while (q < end &&
		       (isdigit((unsigned char)*q) ||
			((*q == ',' || *q == '.') && q + 1 < end && isdigit((unsigned char)q[1]))))
			q++;
		static const struct {
			const char *word;
			enum tthc_unit unit;
			int64_t per;
		} units[] = {
		    {" Ngày làm việc", TTHC_WORKING_DAYS, TTHC_DAY_MINUTES},
		    {" ngày làm việc", TTHC_WORKING_DAYS, TTHC_DAY_MINUTES},
		    {" Ngày", TTHC_CALENDAR_DAYS, TTHC_CAL_DAY_MINUTES},
		    {" ngày", TTHC_CALENDAR_DAYS, TTHC_CAL_DAY_MINUTES},
		    {" Giờ làm việc", TTHC_WORKING_HOURS, 60},
		    {" Giờ", TTHC_WORKING_HOURS, 60},
		    {" giờ", TTHC_WORKING_HOURS, 60},
		    {" Tháng", TTHC_CALENDAR_DAYS, 30 * TTHC_CAL_DAY_MINUTES},
		};
		size_t ul = 0;
		int64_t per = TTHC_DAY_MINUTES;
		unit = TTHC_WORKING_DAYS; /* a bare number */
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]) && !ul; i++)
			if ((ul = lit(q, end, units[i].word))) {
				unit = units[i].unit;
				per = units[i].per;
			}
		int vnd;
		const char *num_end = q;
		if (!ul && currency_at(q, end, &vnd)) {
			/* "1200 VNĐ": the time's digit glued to the fee's. */
			num_end = p + 1;
		}
		char tmp[32];
		size_t tl = (size_t)(num_end - p);
		if (tl == 0 || tl >= sizeof(tmp)) {
			*why = "cannot read the processing time";
			return -1;
		}
		memcpy(tmp, p, tl);
		tmp[tl] = '\0';
		const char *ne;
		int64_t v = number_milli(tmp, &ne);
		if (v < 0 || *ne) {
			*why = "cannot read the processing time";
			return -1;
		}
		minutes = v * per / 1000;
		p = num_end + (num_end == q ? ul : 0);
	}
	const char *time_end = p;
	fee_start = p;
	if ((n = lit(p, end, "Miễn phí"))) {
		fee = 0;
		p += n;
	} else if ((n = lit(p, end, NO_INFO))) {
		p += n;
	} else {
		const char *q;
		int64_t v = amount(p, &q);
		int vnd = 1;
		size_t cl = v >= 0 ? currency_at(q, end, &vnd) : 0;
		if (v >= 0 && cl) {
			fee = vnd ? v : TTHC_UNKNOWN;
			p = q + cl;
		}
	}
	if (p < end && *p == '(')
		p = paren_end(p, end);
	if (minutes == TTHC_UNKNOWN)
		unit = TTHC_UNIT_NONE;
	if (row->rows == 0) {
		row->minutes = minutes;
		row->unit = unit;
		row->fee = fee;
	} else {
		if (minutes != TTHC_UNKNOWN &&
		    (row->minutes == TTHC_UNKNOWN || minutes > row->minutes)) {
			row->minutes = minutes;
			row->unit = unit;
		}
		if (row->fee == TTHC_UNKNOWN && fee != TTHC_UNKNOWN)
			row->fee = fee;
	}
	row->time_text = join(a, row->time_text, time_start, (size_t)(time_end - time_start));
	row->fee_text = join(a, row->fee_text, fee_start, (size_t)(p - fee_start));
	row->offered = 1;
	row->rows++;
	return 0;
}

int
tthc_parse_channels(const char *text, struct arena *a, struct tthc_channel_row out[4],
		    const char **why)
{
	memset(out, 0, 4 * sizeof(out[0]));
	for (int i = 0; i < 4; i++)
		out[i].minutes = out[i].fee = TTHC_UNKNOWN;
	if (!text)
		return 0;
	const char *end = text + strlen(text);
	const char *p = tthc_strip_prefix(text, "Hình thức nộpThời gianPhí, lệ phíMô tả");
	int rows = 0;
	size_t n;
	/* find each row's start, then read it up to the next one */
	while (p < end) {
		int ch = channel_at(p, end, &n);
		if (!ch) {
			p++;
			continue;
		}
		const char *start = p + n, *q = start;
		size_t m;
		while (q < end && !channel_at(q, end, &m))
			q++;
		if (parse_row(start, q, a, &out[ch], why) < 0)
			return -1;
		rows++;
		p = q;
	}
	return rows;
}

/* ---- the component table ---- */

#define COMPONENT_HEAD "Tên giấy tờMẫu đơn, tờ khaiSố lượng"

/* A count that ends a row: "1 bản chính", "0 bản chính,1 bản sao", "2 bản sao", one digit
 * glued to the name before it ("...Mẫu TK021 bản chính" is TK02 and 1). A number that follows
 * a space or a parenthesis is part of the name ("(01 bản chính hoặc 01 bản sao)"). */
static int
count_at(const char *s, const char *start, const char *end, int *orig, int *copies, size_t *len)
{
	if (!isdigit((unsigned char)*s))
		return 0;
	const char *r = s;
	while (r > start && isdigit((unsigned char)r[-1]))
		r--;
	if (r == start || r[-1] == ' ' || r[-1] == '(')
		return 0;
	const char *p = s + 1;
	size_t n;
	*orig = *copies = 0;
	if ((n = lit(p, end, " bản chính"))) {
		*orig = *s - '0';
		p += n;
		if (p + 1 < end && *p == ',' && isdigit((unsigned char)p[1]) &&
		    (n = lit(p + 2, end, " bản sao"))) {
			*copies = p[1] - '0';
			p += 2 + n;
		}
	} else if ((n = lit(p, end, " bản sao"))) {
		*copies = *s - '0';
		p += n;
	} else {
		return 0;
	}
	*len = (size_t)(p - s);
	return 1;
}

static int
ends_with_ci(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

/* Split a row into its name and the form template's file name glued after it. */
static void
split_form(const char *s, size_t n, struct arena *a, const char **name, const char **form)
{
	static const char *const exts[] = {".docx", ".doc", ".pdf", ".xlsx",
					   ".xls",  ".rar", ".zip"};
	*form = NULL;
	int has = 0;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]) && !has; i++)
		has = ends_with_ci(s, n, exts[i]);
	size_t cut = n;
	if (has) {
		/* where the file name starts: "…Việt NamMẫu số 01.docx", "…).6.nxin….doc",
		 * "…;1.nxinnhnconnui.doc", or else the last word */
		size_t best = 0;
		for (size_t i = 1; i < n; i++) {
			int glued = s[i - 1] != ' ';
			if (glued && (strncmp(s + i, "Mẫu", strlen("Mẫu")) == 0 ||
				      strncmp(s + i, "Mau", 3) == 0))
				best = i;
			else if (isdigit((unsigned char)s[i]) && strchr(".;)", s[i - 1]) &&
				 i + 1 < n &&
				 (s[i + 1] == '.' || isdigit((unsigned char)s[i + 1])) && best == 0)
				best = i;
		}
		if (best == 0) {
			best = n;
			while (best > 0 && s[best - 1] != ' ')
				best--;
		}
		if (best > 0 && best < n) {
			cut = best;
			*form = arena_strndup(a, s + best, n - best);
		}
	}
	/* trim bullets and blanks */
	size_t b = 0;
	while (b < cut && strchr("-+*•. \t\n", s[b]))
		b++;
	while (cut > b && strchr(" \t\n;", s[cut - 1]))
		cut--;
	*name = arena_strndup(a, s + b, cut - b);
}

static int
conditional(const char *name)
{
	static const char *const words[] = {"Trường hợp",	  "trường hợp", "Nếu",
					    "Đối với trường hợp", "Lưu ý",	"Ghi chú"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strncmp(name, words[i], strlen(words[i])) == 0)
			return 1;
	return 0;
}

int
tthc_parse_components(const char *text, struct arena *a, struct tthc_component **out,
		      const char **why)
{
	*out = NULL;
	if (!text || !strstr(text, COMPONENT_HEAD))
		return 0;
	const char *end = text + strlen(text);
	size_t cap = 16, n = 0;
	struct tthc_component *v = arena_alloc(a, cap * sizeof(*v));
	const char *group = NULL;
	const char *p = text,
		   *row = NULL; /* row: the start of the current row, NULL before a head */
	const size_t hl = strlen(COMPONENT_HEAD);
	while (p < end) {
		if (lit(p, end, COMPONENT_HEAD)) {
			/* the text since the last row's end is this table's heading */
			const char *h = row ? row : text;
			const char *g = tthc_clean(arena_strndup(a, h, (size_t)(p - h)), a);
			group = g && strcmp(g, "--") != 0 ? g : NULL;
			p += hl;
			row = p;
			continue;
		}
		int orig, copies;
		size_t len;
		if (row && count_at(p, row, end, &orig, &copies, &len)) {
			if (n == cap) {
				struct tthc_component *nv = arena_alloc(a, 2 * cap * sizeof(*v));
				memcpy(nv, v, n * sizeof(*v));
				v = nv;
				cap *= 2;
			}
			struct tthc_component *c = &v[n];
			split_form(row, (size_t)(p - row), a, &c->name, &c->form);
			if (!*c->name) {
				*why = "a component without a name";
				return -1;
			}
			c->group = group;
			c->originals = orig;
			c->copies = copies;
			int note = group && strncmp(group, "* Lưu ý", strlen("* Lưu ý")) == 0;
			note |= group && strncmp(group, "Lưu ý", strlen("Lưu ý")) == 0;
			c->required = orig + copies > 0 && !note && !conditional(c->name);
			n++;
			p += len;
			row = p;
			continue;
		}
		p++;
	}
	*out = v;
	return (int)n;
}

/* ---- levels, results, cut-off ---- */

unsigned
tthc_parse_levels(const char *text)
{
	if (!text)
		return 0;
	static const struct {
		const char *word;
		enum tthc_level level;
	} words[] = {
	    {"cap bo", TTHC_LEVEL_MINISTRY},   {"trung uong", TTHC_LEVEL_MINISTRY},
	    {"cap tinh", TTHC_LEVEL_PROVINCE}, {"cap huyen", TTHC_LEVEL_DISTRICT},
	    {"cap xa", TTHC_LEVEL_COMMUNE},    {"co quan khac", TTHC_LEVEL_OTHER},
	    {"ministry", TTHC_LEVEL_MINISTRY}, {"province", TTHC_LEVEL_PROVINCE},
	    {"district", TTHC_LEVEL_DISTRICT}, {"commune", TTHC_LEVEL_COMMUNE},
	    {"other", TTHC_LEVEL_OTHER},
	};
	struct arena *a = arena_new(1024);
	const char *f = fold(text, a);
	unsigned m = 0;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(f, words[i].word))
			m |= 1u << words[i].level;
	arena_free(a);
	return m;
}

char *
tthc_parse_results(const char *text, struct arena *a)
{
	if (!text)
		return NULL;
	/* the portal's page furniture follows the results: cut it off */
	const char *junk = strstr(text, "Từ khóa");
	char *t = arena_strndup(a, text, junk ? (size_t)(junk - text) : strlen(text));
	struct buf b = BUF_INIT(1 << 16);
	const char *p = t;
	for (;;) {
		const char *m = strstr(p, "Mã: ");
		const char *name =
		    tthc_clean(arena_strndup(a, p, m ? (size_t)(m - p) : strlen(p)), a);
		if (name)
			buf_addf(&b, "%s%s", b.len ? "; " : "", name);
		if (!m)
			break;
		/* skip the result's code: KQ.G15.000031, or a bare number */
		p = m + strlen("Mã: ");
		if (strncmp(p, "KQ.", 3) == 0)
			p += 3;
		if (isupper((unsigned char)p[0]) && isdigit((unsigned char)p[1]))
			p++;
		while (isdigit((unsigned char)*p))
			p++;
		while (*p == '.' && isdigit((unsigned char)p[1])) {
			p++;
			while (isdigit((unsigned char)*p))
				p++;
		}
	}
	char *r = b.len ? arena_strdup(a, b.data) : NULL;
	buf_release(&b);
	return r;
}

int
tthc_parse_cutoff(const char *text)
{
	if (!text)
		return -1;
	struct arena *a = arena_new(4096);
	const char *f = fold(text, a);
	int rc = -1;
	for (const char *p = strstr(f, "sau "); p; p = strstr(p + 1, "sau ")) {
		const char *q = p + 4;
		int h = 0, digits = 0;
		while (isdigit((unsigned char)*q) && digits < 3) {
			h = h * 10 + (*q++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 2 || h < 6 || h > 20)
			continue;
		int min = 0;
		if (*q == 'h' || *q == ':') {
			q++;
			if (isdigit((unsigned char)q[0]) && isdigit((unsigned char)q[1])) {
				min = (q[0] - '0') * 10 + (q[1] - '0');
				q += 2;
			}
			rc = h * 60 + min;
			break;
		}
		if (strncmp(q, " gio", 4) == 0) {
			rc = h * 60 + min;
			break;
		}
	}
	arena_free(a);
	return rc;
}
