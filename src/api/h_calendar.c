/* h_calendar.c: the working-day calendar and the legal clock as a service (api.md). */
#include "api/handlers.h"
#include "core/civil.h"
#include "service/calsvc.h"
#include "service/clocksvc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int h_calendar_get(struct hctx *h);
int h_calendar_put(struct hctx *h);
int h_calendar_due(struct hctx *h);
int h_unit_hours_get(struct hctx *h);
int h_unit_hours_put(struct hctx *h);

static json_t *
jdate(int64_t day)
{
	char s[16];
	civil_format_date(day, s);
	return json_string(s);
}

/* ---- GET, PUT /calendar/{year} ---- */

/* The year of the path: four digits within the calendar's range, else 404 naming "year". */
static int
param_year(struct hctx *h, int *year)
{
	const char *s = h->nparams > 0 ? h->params[0] : NULL;
	if (!s || strlen(s) != 4 || strspn(s, "0123456789") != 4)
		return err_setf(
		    &h->e, ERR_NOT_FOUND, "year", "Năm phải viết bằng bốn chữ số, từ %d đến %d",
		    "the year must be four digits, from %d to %d", CAL_YEAR_MIN, CAL_YEAR_MAX);
	*year = (int)strtol(s, NULL, 10);
	if (*year < CAL_YEAR_MIN || *year > CAL_YEAR_MAX)
		return err_setf(&h->e, ERR_NOT_FOUND, "year",
				"Không có lịch năm %d: lịch chỉ có các năm %d–%d",
				"there is no calendar for %d: years %d-%d only", *year,
				CAL_YEAR_MIN, CAL_YEAR_MAX);
	return 0;
}

static json_t *
year_json(struct arena *a, const struct cal_year *y, enum cal_source src)
{
	int confirmed = y->status == CAL_CONFIRMED;
	json_t *notices = json_array(), *off = json_array(), *work = json_array();
	struct cal_year *sorted = arena_alloc(a, sizeof(*sorted));
	*sorted = *y;
	cal_year_sort(sorted);
	for (int i = 0; i < y->nnotices; i++)
		json_array_append_new(notices, json_string(y->notice[i]));
	for (int i = 0; i < sorted->nentries; i++) {
		const struct cal_entry *en = &sorted->entries[i];
		json_array_append_new(
		    en->kind == CAL_OFF ? off : work,
		    json_pack("{s:o,s:s}", "date", jdate(en->day), "reason", en->reason));
	}
	struct cal_hours hours;
	struct buf hb = BUF_INIT(256);
	cal_hours_default(&hours);
	cal_hours_format(&hours, &hb);
	json_t *o = json_pack("{s:i,s:s,s:b,s:s,s:o,s:o,s:o,s:s}", "year", y->year, "status",
			      cal_status_name(y->status), "confirmed", confirmed, "source",
			      clocksvc_source_name(src), "notices", notices, "days_off", off,
			      "working_days", work, "working_hours", hb.data ? hb.data : "");
	buf_release(&hb);
	if (confirmed) {
		json_object_set_new(o, "note", json_null());
		json_object_set_new(o, "note_vi", json_null());
	} else if (src == CAL_SOURCE_PROPOSED) {
		char vi[512], en[512];
		snprintf(
		    vi, sizeof(vi),
		    "Lịch năm %d chưa được xác nhận: các ngày nghỉ chỉ là đề xuất tính theo Bộ "
		    "luật Lao động 2019 (Điều 112), chưa theo thông báo chính thức của Chính phủ; "
		    "hạn giải quyết tính theo lịch này có thể thay đổi",
		    y->year);
		snprintf(
		    en, sizeof(en),
		    "The %d calendar is not confirmed: its days off are only proposed from the "
		    "Labour Code 2019 (art. 112), not taken from the government's notice; due "
		    "dates counted on it may change",
		    y->year);
		json_object_set_new(o, "note", json_string(en));
		json_object_set_new(o, "note_vi", json_string(vi));
	} else {
		char vi[512], en[512];
		snprintf(vi, sizeof(vi),
			 "Lịch năm %d chưa được xác nhận theo thông báo chính thức của Chính phủ; "
			 "hạn giải quyết tính theo lịch này có thể thay đổi",
			 y->year);
		snprintf(en, sizeof(en),
			 "The %d calendar is not confirmed against the government's notice; due "
			 "dates counted on it may change",
			 y->year);
		json_object_set_new(o, "note", json_string(en));
		json_object_set_new(o, "note_vi", json_string(vi));
	}
	json_object_set_new(
	    o, "editable",
	    json_boolean(y->year >= CLOCKSVC_FIRST_YEAR && y->year <= CLOCKSVC_LAST_YEAR));
	return o;
}

static int
reply_year(struct hctx *h, int year)
{
	struct cal_year *y = arena_alloc(h->c.arena, sizeof(*y));
	enum cal_source src;
	if (clocksvc_year(&h->c, year, y, &src, &h->e) < 0)
		return -1;
	return reply_json(h, 200, year_json(h->c.arena, y, src));
}

int
h_calendar_get(struct hctx *h)
{
	int year;
	if (param_year(h, &year) < 0)
		return -1;
	return reply_year(h, year);
}

/* Where entry i of the year came from in the request body. */
struct origin {
	const char *list; /* "days_off" or "working_days" */
	int index;
};

static int
add_entries(struct hctx *h, struct cal_year *y, const char *list, enum cal_kind kind,
	    struct origin *from)
{
	json_t *arr = json_object_get(h->body, list);
	size_t i;
	json_t *item;
	json_array_foreach(arr, i, item)
	{
		char field[64];
		int64_t day;
		const char *date = json_get_str(item, "date");
		const char *reason = json_get_str(item, "reason");
		snprintf(field, sizeof(field), "%s[%zu].date", list, i);
		if (!date || civil_parse_date(date, &day) < 0) /* the schema checked it already */
			return err_set(&h->e, ERR_VALIDATION, field, "Phải là ngày YYYY-MM-DD",
				       "must be a date YYYY-MM-DD");
		if (y->nentries >= CAL_ENTRIES_MAX)
			return err_setf(&h->e, ERR_VALIDATION, list,
					"Một năm có tối đa %d ngày ghi chú",
					"a year holds at most %d days", CAL_ENTRIES_MAX);
		snprintf(field, sizeof(field), "%s[%zu].reason", list, i);
		if (!reason || strlen(reason) > CAL_REASON_MAX)
			return err_setf(&h->e, ERR_VALIDATION, field, "Lý do dài quá %d byte",
					"the reason is longer than %d bytes", CAL_REASON_MAX);
		from[y->nentries] = (struct origin){list, (int)i};
		if (cal_year_add(y, kind, day, reason, &h->e) < 0)
			return -1;
	}
	return 0;
}

/* The domain names fields after struct cal_year ("entries[3].date", "notice[0]"); say them
 * as the request body does ("days_off[3].date", "notices[0]"). */
static void
rename_field(struct err *e, const struct origin *from, int n)
{
	char field[sizeof(e->field)];
	int k, used;
	if (sscanf(e->field, "entries[%d]%n", &k, &used) == 1 && k >= 0 && k < n) {
		snprintf(field, sizeof(field), "%s[%d]%s", from[k].list, from[k].index,
			 e->field + used);
		snprintf(e->field, sizeof(e->field), "%s", field);
	} else if (strcmp(e->field, "entries") == 0) {
		snprintf(e->field, sizeof(e->field), "days_off");
	} else if (strncmp(e->field, "notice", 6) == 0 && e->field[6] != 's') {
		snprintf(field, sizeof(field), "notices%s", e->field + 6);
		snprintf(e->field, sizeof(e->field), "%s", field);
	}
}

int
h_calendar_put(struct hctx *h)
{
	int year;
	if (param_year(h, &year) < 0)
		return -1;
	struct cal_year *y = arena_alloc(h->c.arena, sizeof(*y));
	struct origin *from = arena_zalloc(h->c.arena, sizeof(*from) * CAL_ENTRIES_MAX);
	cal_year_init(y, year);
	const char *status = json_get_str(h->body, "status");
	y->status = status && strcmp(status, "confirmed") == 0 ? CAL_CONFIRMED : CAL_PROPOSED;
	json_t *notices = json_object_get(h->body, "notices");
	size_t i;
	json_t *v;
	json_array_foreach(notices, i, v)
	{
		const char *s = json_string_value(v);
		char field[32];
		snprintf(field, sizeof(field), "notices[%zu]", i);
		if (!s || !*s)
			return err_set(&h->e, ERR_VALIDATION, field, "Không được để trống",
				       "must not be empty");
		if (strlen(s) > CAL_NOTICE_MAX)
			return err_setf(&h->e, ERR_VALIDATION, field, "Thông báo dài quá %d byte",
					"the notice is longer than %d bytes", CAL_NOTICE_MAX);
		snprintf(y->notice[y->nnotices++], sizeof(y->notice[0]), "%s", s);
	}
	if (add_entries(h, y, "days_off", CAL_OFF, from) < 0 ||
	    add_entries(h, y, "working_days", CAL_WORK, from) < 0)
		return -1;
	if (clocksvc_put_year(&h->c, y, &h->e) < 0) {
		rename_field(&h->e, from, y->nentries);
		return -1;
	}
	return reply_year(h, year);
}

/* ---- GET /calendar/due ---- */

struct dur_param {
	const char *name;
	int fraction_ok;     /* working_days and hours may be 0.5, 1.5 ... */
	int64_t per;	     /* working minutes per unit, 0 for calendar days */
	int64_t max;	     /* 10 years' worth */
	enum dur_unit whole; /* the unit of a whole amount */
};

static const struct dur_param dur_params[] = {
    {"working_days", 1, CLOCK_DAY_MINUTES, CLOCK_MAX_WORKING_DAYS, DUR_WORKING_DAYS},
    {"hours", 1, 60, CLOCK_MAX_WORKING_DAYS * 8, DUR_WORKING_HOURS},
    {"minutes", 0, 1, CLOCK_MAX_MINUTES, DUR_WORKING_MINUTES},
    {"calendar_days", 0, 0, CLOCK_MAX_CALENDAR_DAYS, DUR_CALENDAR_DAYS},
};
#define NDUR_PARAMS (sizeof(dur_params) / sizeof(dur_params[0]))

/* A positive decimal "12" or "1.5" as a fraction num / den (den a power of ten, at most four
 * decimals). 0, or -1 when it is not such a number. */
static int
parse_decimal(const char *s, int64_t *num, int64_t *den)
{
	const char *p = s;
	int64_t n = 0, d = 1;
	int digits = 0, decimals = -1;
	for (; *p; p++) {
		if (*p == '.' && decimals < 0 && digits > 0) {
			decimals = 0;
			continue;
		}
		if (*p < '0' || *p > '9' || digits >= 12 || decimals >= 4)
			return -1;
		n = n * 10 + (*p - '0');
		digits++;
		if (decimals >= 0) {
			decimals++;
			d *= 10;
		}
	}
	if (digits == 0 || decimals == 0)
		return -1;
	*num = n;
	*den = d;
	return 0;
}

static int
parse_duration(struct hctx *h, const struct dur_param **which, struct duration *d, double *shown)
{
	*which = NULL;
	const char *value = NULL;
	for (size_t i = 0; i < NDUR_PARAMS; i++) {
		const char *s = query(h, dur_params[i].name);
		if (!s)
			continue;
		if (*which)
			return err_setf(&h->e, ERR_VALIDATION, dur_params[i].name,
					"Chỉ cho một thời hạn: đã có %s, lại có %s",
					"give one duration only: %s and %s were both given",
					(*which)->name, dur_params[i].name);
		*which = &dur_params[i];
		value = s;
	}
	if (!*which)
		return err_set(&h->e, ERR_VALIDATION, "working_days",
			       "Thiếu thời hạn: cho một trong working_days, hours, calendar_days, "
			       "minutes",
			       "a duration is required: one of working_days, hours, calendar_days, "
			       "minutes");
	const struct dur_param *p = *which;
	int64_t num, den;
	if (parse_decimal(value, &num, &den) < 0 || (!p->fraction_ok && den != 1)) {
		if (p->fraction_ok)
			return err_setf(&h->e, ERR_VALIDATION, p->name,
					"Phải là số dương, ví dụ 3 hoặc 1.5 (đã cho “%s”)",
					"must be a positive number such as 3 or 1.5 (got '%s')",
					value);
		return err_setf(&h->e, ERR_VALIDATION, p->name,
				"Phải là số nguyên dương (đã cho “%s”)",
				"must be a positive whole number (got '%s')", value);
	}
	if (num == 0)
		return err_set(&h->e, ERR_VALIDATION, p->name, "Thời hạn phải lớn hơn 0",
			       "the duration must be greater than 0");
	if (num > p->max * den)
		return err_setf(&h->e, ERR_VALIDATION, p->name,
				"Thời hạn không được quá 10 năm (tối đa %" PRId64 ")",
				"the duration must not pass 10 years (at most %" PRId64 ")",
				p->max);
	*shown = (double)num / (double)den;
	if (den == 1) {
		d->unit = p->whole;
		d->amount = num;
		return 0;
	}
	if ((num * p->per) % den != 0)
		return err_setf(&h->e, ERR_VALIDATION, p->name,
				"Phải quy ra một số phút làm việc tròn (1 ngày = %d phút)",
				"must come to a whole number of working minutes (1 day = %d)",
				CLOCK_DAY_MINUTES);
	d->unit = DUR_WORKING_MINUTES;
	d->amount = num * p->per / den;
	return 0;
}

/* "from": RFC 3339, any offset; a "+" that reached us as a space (an unencoded "+07:00" in
 * a query string) is read as the "+" it was. */
static int
parse_from(struct hctx *h, int64_t *t)
{
	const char *s = query(h, "from");
	if (!s || !*s)
		return err_set(&h->e, ERR_VALIDATION, "from",
			       "Thiếu thời điểm tiếp nhận from (RFC 3339, ví dụ "
			       "2026-02-13T09:00:00+07:00)",
			       "from is required (RFC 3339, e.g. 2026-02-13T09:00:00+07:00)");
	size_t n = strlen(s);
	char fixed[64];
	if (n >= 22 && n < sizeof(fixed) && s[n - 6] == ' ' && s[n - 3] == ':') {
		memcpy(fixed, s, n + 1);
		fixed[n - 6] = '+';
		s = fixed;
	}
	if (civil_parse_rfc3339(s, t) < 0)
		return err_set(
		    &h->e, ERR_VALIDATION, "from",
		    "Thời điểm không hợp lệ; dùng RFC 3339, ví dụ 2026-02-13T09:00:00+07:00",
		    "invalid time; use RFC 3339, e.g. 2026-02-13T09:00:00+07:00");
	return 0;
}

static int
parse_cutoff(struct hctx *h, int *minute)
{
	const char *s = query(h, "cutoff");
	*minute = -1;
	if (!s)
		return 0;
	int hh = -1, mm = -1;
	if (strlen(s) == 5 && s[2] == ':' && strspn(s, "0123456789") == 2 &&
	    strspn(s + 3, "0123456789") == 2) {
		hh = (s[0] - '0') * 10 + (s[1] - '0');
		mm = (s[3] - '0') * 10 + (s[4] - '0');
	}
	if (hh < 0 || hh > 23 || mm > 59)
		return err_set(&h->e, ERR_VALIDATION, "cutoff",
			       "Giờ chốt tiếp nhận phải có dạng HH:MM, từ 00:00 đến 23:59",
			       "the cut-off must be HH:MM, from 00:00 to 23:59");
	*minute = hh * 60 + mm;
	return 0;
}

static json_t *
explain_item_json(const struct clock_explain_item *it)
{
	json_t *o = json_pack("{s:s,s:s}", "kind", clock_explain_kind_name(it->kind), "reason",
			      it->reason ? it->reason : "");
	switch (it->kind) {
	case CLOCK_EX_START:
		json_object_set_new(o, "why", json_string(clock_start_why_name(it->why)));
		json_object_set_new(o, "from", jtime(it->from));
		json_object_set_new(o, "to", jtime(it->to));
		break;
	case CLOCK_EX_SKIP:
	case CLOCK_EX_MAKEUP:
		json_object_set_new(o, "date", jdate(it->day));
		json_object_set_new(o, "proposed", json_boolean(it->proposed));
		break;
	case CLOCK_EX_MOVED:
		json_object_set_new(o, "date", jdate(it->day));
		json_object_set_new(o, "from", jtime(it->from));
		json_object_set_new(o, "due", jtime(it->due));
		break;
	case CLOCK_EX_DUE:
	case CLOCK_EX_EXTENSION:
		json_object_set_new(o, "from", jtime(it->from));
		json_object_set_new(o, "unit", json_string(clock_dur_unit_name(it->unit)));
		json_object_set_new(o, "amount", json_integer(it->amount));
		json_object_set_new(o, "due", jtime(it->due));
		break;
	case CLOCK_EX_PAUSE:
		json_object_set_new(o, "from", jtime(it->from));
		json_object_set_new(o, "to", jtime(it->to));
		json_object_set_new(o, "amount", json_integer(it->amount));
		json_object_set_new(o, "due", jtime(it->due));
		break;
	default:
		break;
	}
	return o;
}

/* The domain's field names are the clock's; say them as the query string does. */
static void
rename_due_field(struct err *e, const char *dur_name)
{
	const char *field = NULL;
	if (strcmp(e->field, "accepted_at") == 0)
		field = "from";
	else if (strcmp(e->field, "start") == 0 || strcmp(e->field, "due") == 0)
		field = dur_name;
	if (field) /* the period leaves the years the clocks cover */
		err_setf(e, ERR_VALIDATION, field,
			 "Thời điểm nằm ngoài phạm vi lịch làm việc (các năm %d–%d)",
			 "the time is outside the working calendar (years %d-%d)",
			 CLOCKSVC_FIRST_YEAR, CLOCKSVC_LAST_YEAR);
	else if (strcmp(e->field, "duration") == 0)
		snprintf(e->field, sizeof(e->field), "%s", dur_name);
}

int
h_calendar_due(struct hctx *h)
{
	struct due_request q;
	struct due_result *r = arena_zalloc(h->c.arena, sizeof(*r));
	const struct dur_param *which;
	double shown = 0;
	memset(&q, 0, sizeof(q));
	if (parse_from(h, &q.accepted_at) < 0 || parse_duration(h, &which, &q.dur, &shown) < 0 ||
	    parse_cutoff(h, &q.cutoff) < 0)
		return -1;
	q.unit_ref = query(h, "unit");
	if (calsvc_due(&h->c, &q, r, &h->e) < 0) {
		rename_due_field(&h->e, which->name);
		return -1;
	}
	json_t *skipped = json_array(), *explain = json_array(), *years = json_array();
	for (size_t i = 0; i < r->nskipped; i++)
		json_array_append_new(skipped,
				      json_pack("{s:o,s:s}", "date", jdate(r->skipped[i].day),
						"reason", r->skipped[i].reason));
	for (size_t i = 0; i < r->explain.n; i++)
		json_array_append_new(explain, explain_item_json(&r->explain.items[i]));
	for (int i = 0; i < r->nunconfirmed; i++)
		json_array_append_new(years, json_integer(r->unconfirmed[i]));
	int moved = r->why != CLOCK_START_AS_IS;
	json_t *start =
	    json_pack("{s:o,s:b,s:s,s:s}", "at", jtime(r->start), "moved", moved, "why",
		      clock_start_why_name(r->why), "reason", clock_start_why_vi(r->why));
	json_t *amount = q.dur.unit == DUR_WORKING_MINUTES && which->per != 1
			     ? json_real(shown)
			     : json_integer((json_int_t)shown);
	json_t *duration = json_pack("{s:s,s:o}", "unit", which->name, "amount", amount);
	if (q.dur.unit != DUR_CALENDAR_DAYS)
		json_object_set_new(duration, "working_minutes",
				    json_integer(clock_duration_minutes(&q.dur)));
	char cutoff[8];
	snprintf(cutoff, sizeof(cutoff), "%02d:%02d", q.cutoff / 60 % 24, q.cutoff % 60);
	json_t *o =
	    json_pack("{s:o,s:I,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:s,s:o}", "due", jtime(r->due),
		      "working_minutes", (json_int_t)r->working_minutes, "skipped", skipped, "from",
		      jtime(q.accepted_at), "start", start, "duration", duration, "cutoff",
		      q.cutoff >= 0 ? json_string(cutoff) : json_null(), "proposed_days_used",
		      r->proposed_used, "unconfirmed_years", years, "unit",
		      r->unit_id ? json_integer(r->unit_id) : json_null(), "working_hours",
		      r->hours, "explain", explain);
	if (r->proposed_used) {
		json_object_set_new(
		    o, "note",
		    json_string("The period runs over days of a calendar not yet "
				"confirmed by the government's notice (only proposed); "
				"the due date may change"));
		json_object_set_new(
		    o, "note_vi",
		    json_string("Thời hạn đi qua ngày thuộc lịch chưa được xác nhận "
				"theo thông báo của Chính phủ (mới là đề xuất); hạn "
				"giải quyết có thể thay đổi"));
	}
	return reply_json(h, 200, o);
}

/* ---- GET, PUT /units/{id}/hours ---- */

static int
reply_hours(struct hctx *h, int64_t id)
{
	char hours[CALSVC_HOURS_MAX];
	int own;
	if (calsvc_unit_hours(&h->c, id, hours, &own, &h->e) < 0)
		return -1;
	struct cal_hours ch;
	struct err ignore = ERR_INIT;
	int minutes = cal_hours_parse(hours, &ch, &ignore) == 0 ? cal_hours_minutes(&ch) : 0;
	return reply_json(h, 200,
			  json_pack("{s:I,s:s,s:b,s:i}", "unit_id", (json_int_t)id, "working_hours",
				    hours, "own", own, "minutes_per_day", minutes));
}

int
h_unit_hours_get(struct hctx *h)
{
	int64_t id = param_id(h, 0);
	if (id < 0)
		return -1;
	return reply_hours(h, id);
}

int
h_unit_hours_put(struct hctx *h)
{
	int64_t id = param_id(h, 0);
	if (id < 0)
		return -1;
	const char *spec = json_get_str(h->body, "working_hours"); /* NULL when null */
	if (calsvc_set_unit_hours(&h->c, id, spec, &h->e) < 0) {
		if (strcmp(h->e.field, "hours") == 0)
			snprintf(h->e.field, sizeof(h->e.field), "working_hours");
		return -1;
	}
	return reply_hours(h, id);
}
