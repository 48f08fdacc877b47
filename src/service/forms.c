/* forms.c: a dossier's forms: the values and tables each template reads; see forms.h. */
#include "service/forms.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/civil.h"
#include "render/form.h"
#include "service/dossier.h"
#include "service/unit.h"

#define MAX_VARS 64

struct vars {
	struct form_var v[MAX_VARS];
	size_t n;
	struct arena *a;
};

static void
put(struct vars *v, const char *key, const char *value)
{
	if (v->n < MAX_VARS)
		v->v[v->n++] = (struct form_var){key, value ? value : ""};
}

/* a time as its parts: key_hm "08 giờ 30 phút", key_date "ngày 05 tháng 03 năm 2026" */
static void
put_time(struct vars *v, const char *key, int64_t t)
{
	if (!t) {
		put(v, arena_printf(v->a, "%s_hm", key), "");
		put(v, arena_printf(v->a, "%s_date", key), "");
		put(v, arena_printf(v->a, "%s_short", key), "");
		return;
	}
	struct civil c;
	civil_from_epoch(t, &c);
	put(v, arena_printf(v->a, "%s_hm", key),
	    arena_printf(v->a, "%02d giờ %02d phút", c.hour, c.minute));
	put(v, arena_printf(v->a, "%s_date", key),
	    arena_printf(v->a, "ngày %02d tháng %02d năm %04d", c.day, c.month, c.year));
	put(v, arena_printf(v->a, "%s_short", key),
	    arena_printf(v->a, "%02d:%02d %02d/%02d/%04d", c.hour, c.minute, c.day, c.month,
			 c.year));
}

static const char *
legal_time(struct arena *a, const char *unit, int64_t minutes)
{
	if (!unit)
		return "";
	if (strcmp(unit, "calendar_days") == 0)
		return arena_printf(a, "%lld ngày", (long long)(minutes / 1440));
	if (strcmp(unit, "working_hours") == 0 || minutes < 480)
		return arena_printf(a, "%lld giờ làm việc", (long long)(minutes / 60));
	if (minutes % 480)
		return arena_printf(a, "%.1f ngày làm việc", (double)minutes / 480.0);
	return arena_printf(a, "%02lld ngày làm việc", (long long)(minutes / 480));
}

static const char *
person_id(struct arena *a, const struct person *p)
{
	if (!p->id_number)
		return "";
	const char *t = !p->id_type			      ? ""
			: strcmp(p->id_type, "cccd") == 0     ? "Căn cước công dân số "
			: strcmp(p->id_type, "cmnd") == 0     ? "Chứng minh nhân dân số "
			: strcmp(p->id_type, "passport") == 0 ? "Hộ chiếu số "
			: strcmp(p->id_type, "tax_code") == 0 ? "Mã số thuế "
							      : "";
	return arena_printf(a, "%s%s", t, p->id_number);
}

static const char *
return_place(const struct dossier_rec *d)
{
	if (d->delivery_method && strcmp(d->delivery_method, "postal") == 0)
		return d->delivery_address ? d->delivery_address : "Qua dịch vụ bưu chính";
	if (d->delivery_method && strcmp(d->delivery_method, "online") == 0)
		return "Trực tuyến trên Cổng dịch vụ công";
	return d->receiving_unit_name;
}

/* place: the name of the locality in a unit's name ("Ủy ban nhân dân phường Nha Trang") */
static const char *
place(const char *unit)
{
	static const char *const kinds[] = {"thành phố ", "đặc khu ", "phường ", "xã ",
					    "tỉnh ",	  "huyện ",   "quận ",	 "thị xã "};
	const char *best = NULL;
	for (size_t i = 0; unit && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const char *s = strstr(unit, kinds[i]);
		if (s && (!best || s > best))
			best = s + strlen(kinds[i]);
	}
	return best && *best ? best : unit;
}

/* the superior body's name as the header's first line has it: "UBND tỉnh Khánh Hòa" */
static const char *
abbreviate(struct arena *a, const char *name)
{
	static const char ubnd[] = "Ủy ban nhân dân ";
	if (name && strncmp(name, ubnd, sizeof(ubnd) - 1) == 0)
		return arena_printf(a, "UBND %s", name + sizeof(ubnd) - 1);
	return name;
}

/* a date over its time, for narrow columns */
static const char *
short_time(struct arena *a, int64_t t)
{
	if (!t)
		return "";
	struct civil x;
	civil_from_epoch(t, &x);
	return arena_printf(a, "%02d/%02d/%04d\n%02d:%02d", x.day, x.month, x.year, x.hour,
			    x.minute);
}

/* step result as on the control sheet: early, on time (the due day), late */
static const char *
step_result(const struct dossier_step_rec *s)
{
	if (!s->finished_at)
		return s->started_at ? "Đang xử lý" : "";
	if (s->due_at && s->finished_at > s->due_at)
		return "Quá hạn";
	if (s->due_at && civil_day_of_epoch(s->finished_at) < civil_day_of_epoch(s->due_at))
		return "Trước hạn";
	return "Đúng hạn";
}

/* fits: whether the form makes sense for the dossier in its state */
static int
fits(const char *form, const struct dossier_rec *d, struct err *e)
{
	int ok = 1;
	if (strcmp(form, "receipt") == 0 || strcmp(form, "control") == 0)
		ok = d->received_at != 0 && d->state != LC_REFUSED && d->state != LC_SUBMITTED;
	else if (strcmp(form, "refusal") == 0)
		ok = d->state == LC_REFUSED;
	else if (strcmp(form, "supplement") == 0)
		ok = d->supplement_count > 0 && d->supplement_items;
	else if (strcmp(form, "apology") == 0)
		ok = d->ext_due_at != 0 || d->ndues > 1;
	else if (strcmp(form, "stop") == 0)
		ok = d->state == LC_STOPPED || d->state == LC_LAPSED;
	if (!ok)
		return err_setf(e, ERR_CONFLICT, "form",
				"Không lập được mẫu %s cho hồ sơ ở trạng thái “%s”",
				"form %s does not apply to a dossier in state “%s”", form,
				lc_state_vi(d->state));
	return 0;
}

static const char *
last_note(const struct dossier_rec *d, const char *action)
{
	for (size_t i = d->nevents; i-- > 0;)
		if (strcmp(d->events[i].action, action) == 0)
			return d->events[i].note;
	return NULL;
}

int
dossier_form(const struct ctx *c, const char *code, const char *form, const char *set,
	     const char *lookup_base, const unsigned char **pdf, size_t *len, struct err *e)
{
	size_t tlen;
	if (!form_template(set, form, &tlen, e))
		return -1;
	struct dossier_rec d;
	if (dossier_get(c, code, &d, e) < 0)
		return -1;
	if (fits(form, &d, e) < 0)
		return -1;
	struct arena *a = c->arena;
	struct vars v = {.a = a};

	struct unit_rec u, parent;
	const char *parent_name = "";
	struct err ue = ERR_INIT;
	if (unit_get(c, d.receiving_unit_id, &u, &ue) == 0 && u.parent_id &&
	    unit_get(c, u.parent_id, &parent, &ue) == 0)
		parent_name = abbreviate(a, parent.name);
	put(&v, "unit_parent", parent_name);
	put(&v, "unit_name", d.receiving_unit_name);
	put(&v, "competent_unit", d.competent_unit_name);
	put(&v, "place", place(d.receiving_unit_name));
	struct civil now;
	civil_from_epoch(c->now, &now);
	put(&v, "day", arena_printf(a, "%02d", now.day));
	put(&v, "month", arena_printf(a, "%02d", now.month));
	put(&v, "year", arena_printf(a, "%04d", now.year));
	put(&v, "code", d.code);
	put(&v, "procedure_name", d.procedure_name);
	put(&v, "procedure_code", d.procedure_code);
	put(&v, "case_name", d.case_name);
	put(&v, "applicant_name", d.applicant.name);
	put(&v, "applicant_id", person_id(a, &d.applicant));
	put(&v, "applicant_address", d.applicant.address);
	put(&v, "applicant_phone", d.applicant.phone);
	put(&v, "applicant_email", d.applicant.email);
	put(&v, "rep_name", d.rep.name);
	put(&v, "legal_time", legal_time(a, d.time_unit, d.time_minutes));
	put_time(&v, "received", d.received_at);
	put_time(&v, "due", d.due_at);
	put(&v, "return_place", return_place(&d));
	put(&v, "sets", "01");
	/* the register runs through the year: the line the dossier was given at acceptance
	 * (register_serial; the daily serial of its code restarts each day), none before */
	struct civil rx;
	civil_from_epoch(d.received_at ? d.received_at : c->now, &rx);
	put(&v, "register_line", d.register_no ? arena_printf(a, "%" PRId64, d.register_no) : "");
	put(&v, "register_book", arena_printf(a, "%04d", rx.year));
	put(&v, "receiver", d.nevents ? d.events[0].actor : "");
	put(&v, "officer", c->actor ? c->actor->full_name : "");
	put(&v, "refusal_reason", d.refusal_reason);
	put(&v, "supplement_items", d.supplement_items);
	put_time(&v, "supplement_deadline", d.supplement_deadline);
	put(&v, "stop_reason", last_note(&d, d.state == LC_LAPSED ? "lapse" : "stop"));
	int64_t old_due = d.ndues > 1 ? d.dues[d.ndues - 2].due_at : d.due_at;
	int64_t new_due = d.ext_due_at ? d.ext_due_at : d.due_at;
	const char *ext_reason =
	    d.ext_due_at ? d.ext_reason : (d.ndues > 1 ? d.dues[d.ndues - 1].reason : NULL);
	put_time(&v, "old_due", d.ext_due_at ? d.due_at : old_due);
	put_time(&v, "new_due", new_due);
	put(&v, "extension_reason", ext_reason);
	const char *base = lookup_base ? lookup_base : "";
	size_t bl = strlen(base);
	put(&v, "lookup_url",
	    arena_printf(a, "%.*s/tra-cuu/%s?token=%s",
			 (int)(bl && base[bl - 1] == '/' ? bl - 1 : bl), base, d.code,
			 d.lookup_token ? d.lookup_token : ""));

	/* tables: components, supplement items, the control sheet's hand-overs */
	struct form_table t[3];
	const char **cells = arena_zalloc(a, (d.ncomponents + 1) * 4 * sizeof(*cells));
	for (size_t i = 0; i < d.ncomponents; i++) {
		const struct dossier_component_rec *k = &d.components[i];
		cells[i * 4] = arena_printf(a, "%zu", i + 1);
		cells[i * 4 + 1] = k->name;
		cells[i * 4 + 2] = arena_printf(a, "%d", k->originals);
		cells[i * 4 + 3] = arena_printf(a, "%d", k->copies);
	}
	t[0] = (struct form_table){"components", 4, d.ncomponents, cells};
	size_t nitems = 0;
	const char **items = arena_zalloc(a, 2 * (64 + 1) * sizeof(*items));
	for (const char *s = d.supplement_items; s && *s && nitems < 64;) {
		size_t n = strcspn(s, "\n");
		items[nitems * 2] = arena_printf(a, "%zu", nitems + 1);
		items[nitems * 2 + 1] = arena_strndup(a, s, n);
		nitems++;
		s += n + (s[n] ? 1 : 0);
	}
	t[1] = (struct form_table){"items", 2, nitems, items};
	const char **st = arena_zalloc(a, (d.nsteps + 1) * 6 * sizeof(*st));
	for (size_t i = 0; i < d.nsteps; i++) {
		const struct dossier_step_rec *s = &d.steps[i];
		char buf1[64] = "", buf2[64] = "";
		if (s->started_at) {
			struct civil x;
			civil_from_epoch(s->started_at, &x);
			snprintf(buf1, sizeof(buf1), "%02d giờ %02d, ngày %02d/%02d/%04d", x.hour,
				 x.minute, x.day, x.month, x.year);
		}
		if (s->finished_at) {
			struct civil x;
			civil_from_epoch(s->finished_at, &x);
			snprintf(buf2, sizeof(buf2), "%02d giờ %02d, ngày %02d/%02d/%04d", x.hour,
				 x.minute, x.day, x.month, x.year);
		}
		st[i * 6] = arena_printf(a, "%s\n(%s)", s->unit_name ? s->unit_name : "",
					 s->name ? s->name : "");
		st[i * 6 + 1] = arena_strdup(a, buf1);
		st[i * 6 + 2] = arena_strdup(a, buf2);
		st[i * 6 + 3] = s->assignee_name ? s->assignee_name : "";
		st[i * 6 + 4] = step_result(s);
		st[i * 6 + 5] = s->transferred ? "Chuyển đơn vị khác" : "";
	}
	t[2] = (struct form_table){"steps", 6, d.nsteps, st};

	struct form_doc doc = {
	    .set = set, .form = form, .vars = v.v, .nvars = v.n, .tables = t, .ntables = 3};
	return form_render_pdf(a, &doc, pdf, len, e);
}

static int64_t
day_start(int64_t day)
{
	struct civil x = {0};
	civil_date_from_days(day, &x.year, &x.month, &x.day);
	x.hour = x.minute = x.second = 0;
	return civil_to_epoch(&x);
}

static const char *
day_text(struct arena *a, int64_t day)
{
	int y, m, d;
	civil_date_from_days(day, &y, &m, &d);
	return arena_printf(a, "%02d/%02d/%04d", d, m, y);
}

int
unit_register_form(const struct ctx *c, int64_t unit_id, int64_t from, int64_t to, const char *set,
		   const unsigned char **pdf, size_t *len, struct err *e)
{
	size_t tlen;
	if (!form_template(set, "register", &tlen, e))
		return -1;
	if (to < from)
		return err_set(e, ERR_VALIDATION, "to", "Ngày cuối trước ngày đầu",
			       "to is before from");
	struct arena *a = c->arena;
	struct unit_rec u, parent;
	if (unit_get(c, unit_id, &u, e) < 0)
		return -1;
	struct vars v = {.a = a};
	struct err ue = ERR_INIT;
	put(&v, "unit_parent",
	    u.parent_id && unit_get(c, u.parent_id, &parent, &ue) == 0 ? abbreviate(a, parent.name)
								       : "");
	put(&v, "unit_name", u.name);
	put(&v, "place", place(u.name));
	put(&v, "from", day_text(a, from));
	put(&v, "to", day_text(a, to));
	struct civil now;
	civil_from_epoch(c->now, &now);
	put(&v, "day", arena_printf(a, "%02d", now.day));
	put(&v, "month", arena_printf(a, "%02d", now.month));
	put(&v, "year", arena_printf(a, "%04d", now.year));

	/* every page of the list, newest first; the register runs oldest first */
	enum { NC = 12 };
	size_t cap = 256, n = 0;
	const struct dossier_rec **rows = arena_alloc(a, cap * sizeof(*rows));
	struct dossier_filter f = {.queue = "all",
				   .unit_id = unit_id,
				   .from = day_start(from),
				   .to = day_start(to + 1),
				   .limit = 500};
	for (;;) {
		struct dossier_list l;
		if (dossier_list(c, &f, &l, e) < 0)
			return -1;
		for (size_t i = 0; i < l.n && n < FORMS_REGISTER_MAX; i++) {
			if (n == cap) {
				const struct dossier_rec **r2 =
				    arena_alloc(a, 2 * cap * sizeof(*rows));
				memcpy(r2, rows, cap * sizeof(*rows));
				rows = r2;
				cap *= 2;
			}
			rows[n++] = &l.items[i];
		}
		if (!l.next_cursor || n >= FORMS_REGISTER_MAX)
			break;
		f.cursor = l.next_cursor;
	}
	/* handed to the unit that decides it: the first step held outside the receiving unit
	 * (none when the receiving unit decides it itself) */
	struct db_stmt *hs =
	    db_prepare(c->db, "SELECT MIN(s.started_at) FROM dossier_step s JOIN "
			      "dossier d ON d.id = s.dossier_id WHERE s.dossier_id "
			      "= ? AND s.unit_id <> d.receiving_unit_id");
	if (!hs)
		return db_fail(c->db, e);
	const char **cells = arena_zalloc(a, (n + 1) * NC * sizeof(*cells));
	for (size_t k = 0; k < n; k++) {
		const struct dossier_rec *d = rows[n - 1 - k];
		const char **r = cells + k * NC;
		r[0] = arena_printf(a, "%zu", k + 1);
		r[1] = d->code;
		r[2] = d->procedure_name;
		r[3] = d->applicant.name;
		r[4] = arena_printf(a, "%s%s%s", d->applicant.address ? d->applicant.address : "",
				    d->applicant.phone ? "; " : "",
				    d->applicant.phone ? d->applicant.phone : "");
		r[5] = d->competent_unit_name;
		r[6] = short_time(a, d->received_at);
		r[7] = short_time(a, d->due_at);
		db_bind_int(hs, 1, d->id);
		int rc = db_step(hs);
		r[8] = rc == DB_ROW ? short_time(a, db_col_int(hs, 0)) : "";
		db_reset(hs);
		if (rc == DB_ERROR)
			return db_fail(c->db, e);
		r[9] = short_time(a, d->finished_at);
		r[10] = short_time(a, d->returned_at);
		r[11] = lc_state_vi(d->state);
	}
	struct form_table t = {"register", NC, n, cells};
	put(&v, "count", arena_printf(a, "%zu", n));
	struct form_doc doc = {
	    .set = set, .form = "register", .vars = v.v, .nvars = v.n, .tables = &t, .ntables = 1};
	return form_render_pdf(a, &doc, pdf, len, e);
}
