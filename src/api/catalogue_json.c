/* catalogue_json.c: a catalogue entry as JSON, both ways (see catalogue_json.h). */
#include "api/catalogue_json.h"
#include "domain/tthc_parse.h"
#include "service/unit.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const level_keys[] = {"ministry", "province", "district",
					 "commune",  "other",	 NULL};
static const char *const online_keys[] = {"full", "partial", "none", NULL};
static const char *const unit_keys[] = {"working_days", "calendar_days", "working_hours", NULL};
static const char *const role_keys[] = {"receiver", "specialist", "dept_head", "leader",
					"clerk",    "cashier",	  NULL};
static const char *const unit_kinds[] = {"province",	   "commune", "district", "department",
					 "service_centre", "office",  "ministry", NULL};
static const char *const source_keys[] = {"seed", "national", "xlsx", "csv", "api", NULL};

static const struct vfield channel_schema[] = {
    {"time", VT_STRING, VF_NULLABLE, 1, 200, NULL, VT__MAX, NULL},
    {"time_unit", VT_STRING, VF_NULLABLE, 1, 32, NULL, VT__MAX, unit_keys},
    {"time_minutes", VT_INT, VF_NULLABLE, 0, 3650LL * 1440, NULL, VT__MAX, NULL},
    {"time_text", VT_STRING, VF_NULLABLE, 0, 2000, NULL, VT__MAX, NULL},
    {"fee", VT_INT, VF_NULLABLE, 0, 100000000000LL, NULL, VT__MAX, NULL},
    {"fee_text", VT_STRING, VF_NULLABLE, 0, 20000, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const struct vfield channels_schema[] = {
    {"direct", VT_OBJECT, VF_NULLABLE, 0, 0, channel_schema, VT__MAX, NULL},
    {"online", VT_OBJECT, VF_NULLABLE, 0, 0, channel_schema, VT__MAX, NULL},
    {"postal", VT_OBJECT, VF_NULLABLE, 0, 0, channel_schema, VT__MAX, NULL},
    VFIELD_END,
};

static const struct vfield component_schema[] = {
    {"id", VT_INT, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL}, /* ignored: rows are immutable */
    {"name", VT_STRING, VF_REQUIRED, 1, 4000, NULL, VT__MAX, NULL},
    {"originals", VT_INT, 0, 0, 99, NULL, VT__MAX, NULL},
    {"copies", VT_INT, 0, 0, 99, NULL, VT__MAX, NULL},
    {"required", VT_BOOL, 0, 0, 0, NULL, VT__MAX, NULL},
    {"has_eform", VT_BOOL, 0, 0, 0, NULL, VT__MAX, NULL},
    {"group", VT_STRING, VF_NULLABLE, 0, 500, NULL, VT__MAX, NULL},
    {"form", VT_STRING, VF_NULLABLE, 0, 500, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const struct vfield step_schema[] = {
    {"seq", VT_INT, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL}, /* the position decides */
    {"name", VT_STRING, VF_REQUIRED, 1, 300, NULL, VT__MAX, NULL},
    {"role", VT_STRING, VF_REQUIRED, 1, 32, NULL, VT__MAX, role_keys},
    {"unit_kind", VT_STRING, VF_NULLABLE, 1, 32, NULL, VT__MAX, unit_kinds},
    {"unit_id", VT_INT, VF_NULLABLE, 1, INT64_MAX, NULL, VT__MAX, NULL},
    {"minutes", VT_INT, VF_REQUIRED, 1, 3650LL * 480, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const struct vfield case_schema[] = {
    {"id", VT_INT, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    {"name", VT_STRING, VF_REQUIRED, 1, 500, NULL, VT__MAX, NULL},
    {"components", VT_ARRAY, 0, 0, PROC_MAX_COMPONENTS, component_schema, VT_OBJECT, NULL},
    {"workflow", VT_ARRAY, 0, 0, PROC_MAX_STEPS, step_schema, VT_OBJECT, NULL},
    VFIELD_END,
};

const struct vfield procedure_schema[] = {
    /* what GET answers but a write ignores: the version is assigned, the field is field_code */
    {"version", VT_INT, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    {"version_id", VT_INT, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    {"field", VT_OBJECT, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    {"competent_unit_id", VT_INT, VF_NULLABLE, 1, INT64_MAX, NULL, VT__MAX, NULL},
    {"code", VT_STRING, VF_REQUIRED, 8, 32, NULL, VT__MAX, NULL},
    {"name", VT_STRING, VF_REQUIRED, 1, 2000, NULL, VT__MAX, NULL},
    {"field_code", VT_STRING, VF_REQUIRED, 1, 64, NULL, VT__MAX, NULL},
    {"levels", VT_ARRAY, 0, 0, 5, NULL, VT_STRING, level_keys},
    {"kind", VT_STRING, VF_NULLABLE, 0, 500, NULL, VT__MAX, NULL},
    {"competent_agency", VT_STRING, VF_NULLABLE, 0, 2000, NULL, VT__MAX, NULL},
    {"competent_unit", VT_REF, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    {"executing_agency", VT_STRING, VF_NULLABLE, 0, 2000, NULL, VT__MAX, NULL},
    {"coordinating_agency", VT_STRING, VF_NULLABLE, 0, 2000, NULL, VT__MAX, NULL},
    {"subjects", VT_STRING, VF_NULLABLE, 0, 2000, NULL, VT__MAX, NULL},
    {"legal_basis", VT_STRING, VF_NULLABLE, 0, 100000, NULL, VT__MAX, NULL},
    {"decision", VT_STRING, VF_NULLABLE, 0, 500, NULL, VT__MAX, NULL},
    {"effective_from", VT_DATE, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    {"result", VT_STRING, VF_NULLABLE, 0, 10000, NULL, VT__MAX, NULL},
    {"result_paper", VT_BOOL, 0, 0, 0, NULL, VT__MAX, NULL},
    {"conditions", VT_STRING, VF_NULLABLE, 0, 100000, NULL, VT__MAX, NULL},
    {"steps_text", VT_STRING, VF_NULLABLE, 0, 200000, NULL, VT__MAX, NULL},
    {"online_mode", VT_STRING, VF_NULLABLE, 1, 16, NULL, VT__MAX, online_keys},
    {"non_territorial", VT_BOOL, 0, 0, 0, NULL, VT__MAX, NULL},
    {"cutoff", VT_STRING, VF_NULLABLE, 4, 5, NULL, VT__MAX, NULL},
    {"channels", VT_OBJECT, 0, 0, 0, channels_schema, VT__MAX, NULL},
    {"cases", VT_ARRAY, 0, 0, PROC_MAX_CASES, case_schema, VT_OBJECT, NULL},
    {"source", VT_STRING, VF_NULLABLE, 1, 16, NULL, VT__MAX, source_keys},
    {"source_url", VT_STRING, VF_NULLABLE, 0, 2000, NULL, VT__MAX, NULL},
    {"note", VT_STRING, VF_NULLABLE, 0, 2000, NULL, VT__MAX, NULL},
    VFIELD_END,
};

const char *
proc_cutoff_text(int minute, char buf[8])
{
	if (minute < 0)
		return NULL;
	snprintf(buf, 8, "%02d:%02d", (minute / 60) % 24, minute % 60);
	return buf;
}

static int
parse_cutoff(const char *s, int *out)
{
	/* "15:00" or "9:30" */
	int h = 0, m = 0, i = 0;
	if (!s)
		return *out = -1, 0;
	while (s[i] >= '0' && s[i] <= '9' && i < 2)
		h = h * 10 + (s[i++] - '0');
	if (i == 0 || s[i] != ':' || !(s[i + 1] >= '0' && s[i + 1] <= '5') ||
	    !(s[i + 2] >= '0' && s[i + 2] <= '9') || s[i + 3] || h > 23)
		return -1;
	m = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
	*out = h * 60 + m;
	return 0;
}

static int64_t
get_int(json_t *o, const char *key, int64_t none)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return none;
	int64_t n = json_integer_value(v);
	/* a negative value is passed on as such (never as the "unknown" marker) so that the
	 * service rejects it */
	return n == PROC_UNKNOWN ? -2 : n;
}

int
proc_from_json(const struct ctx *c, json_t *o, struct proc_version *out, struct err *e)
{
	memset(out, 0, sizeof(*out));
	out->cutoff_minute = -1;
	out->code = json_get_str(o, "code");
	out->name = json_get_str(o, "name");
	out->field_code = json_get_str(o, "field_code");
	out->kind = json_get_str(o, "kind");
	out->competent_agency = json_get_str(o, "competent_agency");
	out->executing_agency = json_get_str(o, "executing_agency");
	out->coordinating_agency = json_get_str(o, "coordinating_agency");
	out->subjects = json_get_str(o, "subjects");
	out->legal_basis = json_get_str(o, "legal_basis");
	out->decision = json_get_str(o, "decision");
	out->effective_from = json_get_str(o, "effective_from");
	out->result = json_get_str(o, "result");
	out->result_paper = json_get_bool(o, "result_paper", 1);
	out->conditions = json_get_str(o, "conditions");
	out->steps_text = json_get_str(o, "steps_text");
	out->online_mode = json_get_str(o, "online_mode");
	out->non_territorial = json_get_bool(o, "non_territorial", 0);
	out->source = json_get_str(o, "source");
	out->source_url = json_get_str(o, "source_url");
	out->note = json_get_str(o, "note");
	if (parse_cutoff(json_get_str(o, "cutoff"), &out->cutoff_minute) < 0)
		return err_set(e, ERR_VALIDATION, "cutoff", "Giờ chốt phải có dạng HH:MM",
			       "cutoff must be HH:MM");
	out->competent_unit_id = json_get_int(o, "competent_unit_id", 0);
	json_t *ref = json_object_get(o, "competent_unit");
	if (ref && !json_is_null(ref)) {
		char buf[32];
		const char *r = json_string_value(ref);
		if (json_is_integer(ref)) {
			snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(ref));
			r = buf;
		}
		if (unit_resolve(c, r, &out->competent_unit_id, e) < 0) {
			snprintf(e->field, sizeof(e->field), "competent_unit");
			if (e->code == ERR_NOT_FOUND)
				e->code = ERR_VALIDATION;
			return -1;
		}
	}
	/* levels: ["commune", "province"] -> "commune province" */
	json_t *lv = json_object_get(o, "levels");
	struct buf b = BUF_INIT(256);
	size_t i;
	json_t *x;
	json_array_foreach(lv, i, x)
	{
		buf_addf(&b, "%s%s", b.len ? " " : "", json_string_value(x));
	}
	out->level = arena_strdup(c->arena, b.data ? b.data : "");
	buf_release(&b);

	json_t *chs = json_object_get(o, "channels");
	for (int ch = 1; ch <= 3; ch++) {
		struct proc_channel *k = &out->channels[ch];
		k->time_minutes = k->fee = PROC_UNKNOWN;
		json_t *co = json_object_get(chs, tthc_channel_name((enum tthc_channel)ch));
		if (!co || !json_is_object(co))
			continue;
		k->offered = 1;
		k->time_unit = json_get_str(co, "time_unit");
		k->time_minutes = get_int(co, "time_minutes", PROC_UNKNOWN);
		k->time_text = json_get_str(co, "time_text");
		k->fee = get_int(co, "fee", PROC_UNKNOWN);
		k->fee_text = json_get_str(co, "fee_text");
		const char *t = json_get_str(co, "time");
		if (t) {
			enum tthc_unit u;
			int64_t m;
			if (tthc_duration(t, &u, &m) < 0)
				return err_setf(
				    e, ERR_VALIDATION, "channels",
				    "Không đọc được thời hạn “%s” (ví dụ: 5 ngày làm việc)",
				    "cannot read the time '%s' (e.g. 5 ngày làm việc)", t);
			k->time_unit = tthc_unit_name(u);
			k->time_minutes = m;
			if (!k->time_text)
				k->time_text = t;
		}
	}
	json_t *cases = json_object_get(o, "cases");
	out->ncases = json_array_size(cases);
	out->cases = arena_zalloc(c->arena, (out->ncases + 1) * sizeof(*out->cases));
	json_array_foreach(cases, i, x)
	{
		struct proc_case *k = &out->cases[i];
		k->name = json_get_str(x, "name");
		json_t *comps = json_object_get(x, "components"), *y;
		size_t j;
		k->ncomponents = json_array_size(comps);
		k->components =
		    arena_zalloc(c->arena, (k->ncomponents + 1) * sizeof(*k->components));
		json_array_foreach(comps, j, y)
		{
			struct proc_component *m = &k->components[j];
			m->name = json_get_str(y, "name");
			m->originals = (int)json_get_int(y, "originals", 1);
			m->copies = (int)json_get_int(y, "copies", 0);
			m->required = json_get_bool(y, "required", 1);
			m->has_eform = json_get_bool(y, "has_eform", 0);
			m->group = json_get_str(y, "group");
			m->form = json_get_str(y, "form");
		}
		json_t *steps = json_object_get(x, "workflow");
		k->nsteps = json_array_size(steps);
		k->steps = arena_zalloc(c->arena, (k->nsteps + 1) * sizeof(*k->steps));
		json_array_foreach(steps, j, y)
		{
			struct proc_step *s = &k->steps[j];
			s->seq = (int)j + 1;
			s->name = json_get_str(y, "name");
			s->role = json_get_str(y, "role");
			s->unit_kind = json_get_str(y, "unit_kind");
			s->unit_id = json_get_int(y, "unit_id", 0);
			s->minutes = json_get_int(y, "minutes", 0);
		}
	}
	return 0;
}

static json_t *
jstr_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
jint_or_null(int64_t v, int64_t none)
{
	return v == none ? json_null() : json_integer(v);
}

json_t *
proc_to_json(const struct proc_version *v)
{
	char cut[8];
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(v->code));
	json_object_set_new(o, "version", json_integer(v->version));
	json_object_set_new(o, "version_id", json_integer(v->version_id));
	json_object_set_new(o, "name", json_string(v->name));
	json_object_set_new(o, "field_code", json_string(v->field_code));
	json_object_set_new(o, "field",
			    json_pack("{s:s,s:s}", "code", v->field_code, "name",
				      v->field_name ? v->field_name : ""));
	json_t *lv = json_array();
	for (const char *p = v->level ? v->level : ""; *p;) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n)
			json_array_append_new(lv, json_stringn(p, n));
		p += n;
	}
	json_object_set_new(o, "levels", lv);
	json_object_set_new(o, "kind", jstr_or_null(v->kind));
	json_object_set_new(o, "competent_agency", jstr_or_null(v->competent_agency));
	json_object_set_new(o, "competent_unit_id", jint_or_null(v->competent_unit_id, 0));
	json_object_set_new(o, "executing_agency", jstr_or_null(v->executing_agency));
	json_object_set_new(o, "coordinating_agency", jstr_or_null(v->coordinating_agency));
	json_object_set_new(o, "subjects", jstr_or_null(v->subjects));
	json_object_set_new(o, "legal_basis", jstr_or_null(v->legal_basis));
	json_object_set_new(o, "decision", jstr_or_null(v->decision));
	json_object_set_new(o, "effective_from", jstr_or_null(v->effective_from));
	json_object_set_new(o, "result", jstr_or_null(v->result));
	json_object_set_new(o, "result_paper", json_boolean(v->result_paper));
	json_object_set_new(o, "conditions", jstr_or_null(v->conditions));
	json_object_set_new(o, "steps_text", jstr_or_null(v->steps_text));
	json_object_set_new(o, "online_mode",
			    json_string(v->online_mode ? v->online_mode : "none"));
	json_object_set_new(o, "non_territorial", json_boolean(v->non_territorial));
	json_object_set_new(o, "cutoff", jstr_or_null(proc_cutoff_text(v->cutoff_minute, cut)));
	json_t *chs = json_object();
	for (int ch = 1; ch <= 3; ch++) {
		const struct proc_channel *k = &v->channels[ch];
		const char *name = tthc_channel_name((enum tthc_channel)ch);
		if (!k->offered) {
			json_object_set_new(chs, name, json_null());
			continue;
		}
		json_t *co = json_object();
		json_object_set_new(co, "time_unit", jstr_or_null(k->time_unit));
		json_object_set_new(co, "time_minutes",
				    jint_or_null(k->time_minutes, PROC_UNKNOWN));
		json_object_set_new(co, "time_text", jstr_or_null(k->time_text));
		json_object_set_new(co, "fee", jint_or_null(k->fee, PROC_UNKNOWN));
		json_object_set_new(co, "fee_text", jstr_or_null(k->fee_text));
		json_object_set_new(chs, name, co);
	}
	json_object_set_new(o, "channels", chs);
	json_t *cases = json_array();
	for (size_t i = 0; i < v->ncases; i++) {
		const struct proc_case *k = &v->cases[i];
		json_t *comps = json_array(), *steps = json_array();
		for (size_t j = 0; j < k->ncomponents; j++) {
			const struct proc_component *m = &k->components[j];
			json_t *mo = json_object();
			json_object_set_new(mo, "id", json_integer(m->id));
			json_object_set_new(mo, "name", json_string(m->name));
			json_object_set_new(mo, "originals", json_integer(m->originals));
			json_object_set_new(mo, "copies", json_integer(m->copies));
			json_object_set_new(mo, "required", json_boolean(m->required));
			json_object_set_new(mo, "has_eform", json_boolean(m->has_eform));
			json_object_set_new(mo, "group", jstr_or_null(m->group));
			json_object_set_new(mo, "form", jstr_or_null(m->form));
			json_array_append_new(comps, mo);
		}
		for (size_t j = 0; j < k->nsteps; j++) {
			const struct proc_step *s = &k->steps[j];
			json_t *so = json_object();
			json_object_set_new(so, "seq", json_integer(s->seq));
			json_object_set_new(so, "name", json_string(s->name));
			json_object_set_new(so, "role", json_string(s->role));
			json_object_set_new(so, "unit_kind", jstr_or_null(s->unit_kind));
			json_object_set_new(so, "unit_id", jint_or_null(s->unit_id, 0));
			json_object_set_new(so, "minutes", json_integer(s->minutes));
			json_array_append_new(steps, so);
		}
		json_t *co = json_object();
		json_object_set_new(co, "id", json_integer(k->id));
		json_object_set_new(co, "name", json_string(k->name));
		json_object_set_new(co, "components", comps);
		json_object_set_new(co, "workflow", steps);
		json_array_append_new(cases, co);
	}
	json_object_set_new(o, "cases", cases);
	json_object_set_new(o, "source", jstr_or_null(v->source));
	json_object_set_new(o, "source_url", jstr_or_null(v->source_url));
	json_object_set_new(o, "note", jstr_or_null(v->note));
	return o;
}

json_t *
proc_changes_json(const struct proc_change *ch, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "field", json_string(ch[i].path));
		json_object_set_new(o, "from", jstr_or_null(ch[i].from));
		json_object_set_new(o, "to", jstr_or_null(ch[i].to));
		json_object_set_new(o, "change_pct",
				    isnan(ch[i].change_pct) ? json_null()
							    : json_real(ch[i].change_pct));
		json_array_append_new(a, o);
	}
	return a;
}
