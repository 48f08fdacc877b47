/* h_dossiers.c: intake (counter, postal, online), actions, work lists, the due date's
 * explanation, and the citizen's lookup. */
#include "api/handlers.h"
#include "core/civil.h"
#include "core/jw.h"
#include "core/ratelimit.h"
#include "service/dossier.h"
#include "service/unit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int h_dossiers_intake(struct hctx *h);
int h_public_submit(struct hctx *h);
int h_dossiers_list(struct hctx *h);
int h_dossiers_get(struct hctx *h);
int h_dossiers_act(struct hctx *h);
int h_public_act(struct hctx *h);
int h_dossiers_due(struct hctx *h);
int h_lookup(struct hctx *h);
int dossiers_export(struct hctx *h, struct dossier_filter *f, const char *format);

static struct ratelimit *lookup_all, *lookup_fail, *submit_limit;
static pthread_once_t limits_once = PTHREAD_ONCE_INIT;

static void
limits_init(void)
{
	/* lookups per address per minute; failed ones are what guessing needs, and are few */
	lookup_all =
	    ratelimit_new(api_cfg->lookup_rate > 0 ? (unsigned)api_cfg->lookup_rate : 300, 60);
	lookup_fail = ratelimit_new(10, 600);	/* failed lookups per address per 10 minutes */
	submit_limit = ratelimit_new(20, 3600); /* online submissions per address per hour */
}

/* ---- JSON out ---- */

static json_t *
person_json(const struct person *p)
{
	if (!p->name)
		return json_null();
	json_t *o = json_pack("{s:o,s:s,s:o,s:o}", "kind", jstr(p->kind), "name", p->name,
			      "id_type", jstr(p->id_type), "id_number", jstr(p->id_number));
	json_object_set_new(o, "birth_date", jstr(p->birth_date));
	json_object_set_new(o, "address", jstr(p->address));
	json_object_set_new(o, "phone", jstr(p->phone));
	json_object_set_new(o, "email", jstr(p->email));
	if (p->relation)
		json_object_set_new(o, "relation", jstr(p->relation));
	return o;
}

static json_t *
step_json(const struct dossier_step_rec *s)
{
	json_t *o = json_pack("{s:i,s:s,s:s,s:I,s:s,s:I}", "seq", s->seq, "name", s->name, "role",
			      s->role, "unit", (json_int_t)s->unit_id, "unit_name", s->unit_name,
			      "minutes", (json_int_t)s->minutes);
	json_object_set_new(o, "due_at", jtime(s->due_at));
	json_object_set_new(o, "started_at", jtime(s->started_at));
	json_object_set_new(o, "finished_at", jtime(s->finished_at));
	json_object_set_new(o, "assignee",
			    s->assignee_id ? json_integer(s->assignee_id) : json_null());
	json_object_set_new(o, "assignee_name", jstr(s->assignee_name));
	json_object_set_new(o, "outcome", jstr(s->outcome));
	json_object_set_new(o, "transferred", json_boolean(s->transferred));
	return o;
}

static json_t *
dossier_json(const struct dossier_rec *d, int full)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(d->code));
	json_object_set_new(o, "status", json_integer(lc_state_code(d->state)));
	json_object_set_new(o, "state", json_string(lc_state_name(d->state)));
	json_object_set_new(o, "state_vi", json_string(lc_state_vi(d->state)));
	json_object_set_new(o, "procedure",
			    json_pack("{s:s,s:s,s:i,s:o,s:o}", "code", d->procedure_code, "name",
				      d->procedure_name, "version", d->procedure_version, "field",
				      jstr(d->field_code), "case", jstr(d->case_name)));
	json_object_set_new(o, "channel", json_string(dossier_channel_name(d->channel)));
	json_object_set_new(o, "receiving_unit",
			    json_pack("{s:I,s:s}", "id", (json_int_t)d->receiving_unit_id, "name",
				      d->receiving_unit_name));
	json_object_set_new(o, "competent_unit",
			    json_pack("{s:I,s:s}", "id", (json_int_t)d->competent_unit_id, "name",
				      d->competent_unit_name));
	json_object_set_new(o, "applicant", person_json(&d->applicant));
	json_object_set_new(o, "representative", person_json(&d->rep));
	json_object_set_new(o, "submitted_at", jtime(d->submitted_at));
	json_object_set_new(o, "received_at", jtime(d->received_at));
	json_object_set_new(o, "due_at", jtime(d->due_at));
	json_object_set_new(o, "finished_at", jtime(d->finished_at));
	json_object_set_new(o, "returned_at", jtime(d->returned_at));
	json_object_set_new(o, "outcome", jstr(d->outcome));
	json_object_set_new(o, "paused_since", jtime(d->paused_at));
	json_object_set_new(o, "delivery",
			    json_pack("{s:o,s:o,s:o,s:o}", "method", jstr(d->delivery_method),
				      "address", jstr(d->delivery_address), "postal_tracking",
				      jstr(d->postal_tracking), "postal_status",
				      jstr(d->postal_status)));
	json_object_set_new(o, "fees",
			    json_pack("{s:I,s:o,s:o}", "amount", (json_int_t)d->fee_amount,
				      "status", jstr(d->fee_status), "method",
				      jstr(d->fee_method)));
	json_object_set_new(o, "legal_time",
			    json_pack("{s:o,s:I}", "unit", jstr(d->time_unit), "minutes",
				      (json_int_t)d->time_minutes));
	json_object_set_new(
	    o, "holder",
	    d->holder_unit_id
		? json_pack("{s:I,s:o,s:o}", "unit", (json_int_t)d->holder_unit_id, "role",
			    jstr(d->holder_role), "assignee",
			    d->assignee_id ? json_integer(d->assignee_id) : json_null())
		: json_null());
	if (d->supplement_count || d->supplement_items)
		json_object_set_new(o, "supplement",
				    json_pack("{s:i,s:o,s:o}", "count", d->supplement_count,
					      "items", jstr(d->supplement_items), "deadline",
					      jtime(d->supplement_deadline)));
	if (d->result_number)
		json_object_set_new(o, "result",
				    json_pack("{s:s,s:o,s:o}", "number", d->result_number, "signer",
					      jstr(d->result_signer), "date",
					      jstr(d->result_date)));
	if (d->return_recipient)
		json_object_set_new(o, "returned_to",
				    json_pack("{s:s,s:o}", "recipient", d->return_recipient,
					      "method", jstr(d->return_method)));
	if (d->refusal_reason)
		json_object_set_new(o, "refusal_reason", json_string(d->refusal_reason));
	if (d->ext_due_at)
		json_object_set_new(o, "extension_pending",
				    json_pack("{s:o,s:o}", "due_at", jtime(d->ext_due_at), "reason",
					      jstr(d->ext_reason)));
	if (!full)
		return o;
	json_object_set_new(o, "lookup_token", jstr(d->lookup_token));
	json_t *comps = json_array();
	for (size_t i = 0; i < d->ncomponents; i++)
		json_array_append_new(comps,
				      json_pack("{s:s,s:i,s:i,s:o}", "name", d->components[i].name,
						"originals", d->components[i].originals, "copies",
						d->components[i].copies, "file",
						jstr(d->components[i].file_sha256)));
	json_object_set_new(o, "components", comps);
	json_t *steps = json_array();
	json_t *cur = json_null();
	for (size_t i = 0; i < d->nsteps; i++) {
		json_array_append_new(steps, step_json(&d->steps[i]));
		if (d->steps[i].seq == d->current_step && d->holder_unit_id)
			cur = step_json(&d->steps[i]);
	}
	json_object_set_new(o, "steps", steps);
	json_object_set_new(o, "step", cur);
	json_t *dues = json_array();
	for (size_t i = 0; i < d->ndues; i++)
		json_array_append_new(dues, json_pack("{s:o,s:s,s:o,s:s}", "due_at",
						      jtime(d->dues[i].due_at), "reason",
						      d->dues[i].reason, "at", jtime(d->dues[i].at),
						      "by", d->dues[i].by));
	json_object_set_new(o, "due_history", dues);
	json_t *evs = json_array();
	for (size_t i = 0; i < d->nevents; i++) {
		const struct dossier_event_rec *ev = &d->events[i];
		json_array_append_new(evs, json_pack("{s:i,s:o,s:s,s:s,s:s,s:s,s:i,s:s}", "seq",
						     ev->seq, "at", jtime(ev->at), "actor",
						     ev->actor, "action", ev->action, "from",
						     ev->from_state, "to", ev->to_state, "step",
						     ev->step_seq, "note", ev->note));
	}
	json_object_set_new(o, "events", evs);
	char allowed[256];
	lc_allowed(d->state, allowed, sizeof(allowed));
	json_t *al = json_array();
	for (char *p = allowed; *p;) {
		size_t n = strcspn(p, " ");
		json_array_append_new(al, json_stringn(p, n));
		p += n;
		while (*p == ' ')
			p++;
	}
	json_object_set_new(o, "allowed_actions", al);
	return o;
}

/* ---- intake ---- */

static void
read_person(json_t *o, struct person *p)
{
	memset(p, 0, sizeof(*p));
	if (!json_is_object(o))
		return;
	p->kind = json_get_str(o, "kind");
	p->name = json_get_str(o, "name");
	p->id_type = json_get_str(o, "id_type");
	p->id_number = json_get_str(o, "id_number");
	p->birth_date = json_get_str(o, "birth_date");
	p->address = json_get_str(o, "address");
	p->phone = json_get_str(o, "phone");
	p->email = json_get_str(o, "email");
	p->relation = json_get_str(o, "relation");
	if (!p->kind)
		p->kind = "person";
}

static int
read_intake(struct hctx *h, struct intake *in)
{
	json_t *b = h->body;
	memset(in, 0, sizeof(*in));
	in->procedure_code = json_get_str(b, "procedure");
	in->case_id = json_get_int(b, "case_id", 0);
	const char *ch = json_get_str(b, "channel");
	in->channel = ch ? dossier_channel_parse(ch) : 1;
	read_person(json_object_get(b, "applicant"), &in->applicant);
	read_person(json_object_get(b, "representative"), &in->rep);
	json_t *comps = json_object_get(b, "components");
	size_t n = json_array_size(comps);
	struct component_in *ci = arena_zalloc(h->c.arena, (n + 1) * sizeof(*ci));
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(comps, i);
		ci[i].component_id = json_get_int(o, "component_id", 0);
		ci[i].name = json_get_str(o, "name");
		ci[i].originals = (int)json_get_int(o, "originals", 0);
		ci[i].copies = (int)json_get_int(o, "copies", 0);
		ci[i].file_sha256 = json_get_str(o, "file");
	}
	in->components = ci;
	in->ncomponents = n;
	json_t *dl = json_object_get(b, "delivery");
	in->delivery_method = json_get_str(dl, "method");
	in->delivery_address = json_get_str(dl, "address");
	if (!in->delivery_method)
		in->delivery_method = "counter";
	in->fee_amount = json_get_int(json_object_get(b, "fees"), "amount", -1);
	return 0;
}

static int
unit_ref(struct hctx *h, const char *key, int64_t *id)
{
	json_t *v = json_object_get(h->body, key);
	*id = 0;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v)) {
		*id = json_integer_value(v);
		return 0;
	}
	const char *ref = json_string_value(v);
	struct err e = ERR_INIT;
	if (unit_resolve(&h->c, ref, id, &e) < 0) {
		h->e = e;
		h->e.code = ERR_VALIDATION;
		snprintf(h->e.field, sizeof(h->e.field), "%s", key);
		return -1;
	}
	return 0;
}

static int
reply_dossier(struct hctx *h, int status, const char *code, const char *token)
{
	struct dossier_rec d;
	if (dossier_get(&h->c, code, &d, &h->e) < 0)
		return -1;
	json_t *o = dossier_json(&d, 1);
	if (token)
		json_object_set_new(o, "lookup_token", json_string(token));
	return reply_json(h, status, o);
}

int
h_dossiers_intake(struct hctx *h)
{
	struct intake in;
	read_intake(h, &in);
	if (in.channel == 2)
		return err_set(&h->e, ERR_VALIDATION, "channel",
			       "Quầy chỉ nhận hồ sơ trực tiếp hoặc qua bưu chính",
			       "the counter takes direct or postal dossiers");
	if (unit_ref(h, "receiving_unit", &in.receiving_unit_id) < 0 ||
	    unit_ref(h, "competent_unit", &in.competent_unit_id) < 0)
		return -1;
	if (!in.receiving_unit_id) {
		/* a receiver of exactly one unit receives there */
		int found = 0;
		for (int i = 0; i < h->actor.ngrants; i++)
			if (h->actor.grants[i].role == ROLE_RECEIVER) {
				in.receiving_unit_id = h->actor.grants[i].unit_id;
				found++;
			}
		if (found != 1)
			return err_set(
			    &h->e, found ? ERR_VALIDATION : ERR_FORBIDDEN, "receiving_unit",
			    found ? "Cần chọn đơn vị tiếp nhận"
				  : "Bạn không có vai trò cán bộ một cửa",
			    found ? "receiving_unit is required" : "you are not a receiver");
	}
	struct intake_result r;
	if (dossier_intake(&h->c, &in, &r, &h->e) < 0)
		return -1;
	return reply_dossier(h, 201, r.code, r.lookup_token);
}

int
h_public_submit(struct hctx *h)
{
	pthread_once(&limits_once, limits_init);
	int retry;
	if (ratelimit_hit(submit_limit, h->c.remote ? h->c.remote : "", h->c.now, &retry) < 0)
		return err_setf(&h->e, ERR_RATE_LIMITED, "",
				"Nộp quá nhiều hồ sơ; thử lại sau %d giây",
				"too many submissions; try again in %d seconds", retry);
	struct intake in;
	read_intake(h, &in);
	in.channel = 2;
	in.delivery_method = json_get_str(json_object_get(h->body, "delivery"), "method");
	if (!in.delivery_method)
		in.delivery_method = "online";
	if (unit_ref(h, "receiving_unit", &in.receiving_unit_id) < 0)
		return -1;
	if (!in.receiving_unit_id)
		return err_set(&h->e, ERR_VALIDATION, "receiving_unit", "Cần chọn nơi nộp hồ sơ",
			       "receiving_unit is required");
	struct intake_result r;
	if (dossier_submit(&h->c, &in, &r, &h->e) < 0)
		return -1;
	return reply_json(
	    h, 201,
	    json_pack("{s:s,s:s,s:i,s:s,s:s}", "code", r.code, "lookup_token", r.lookup_token,
		      "status", 1, "state", "submitted", "message_vi",
		      "Hồ sơ đã được gửi. Hãy giữ mã hồ sơ và mã tra cứu để theo dõi."));
}

/* ---- actions ---- */

static int
read_action(struct hctx *h, struct action_in *a)
{
	json_t *b = h->body;
	memset(a, 0, sizeof(*a));
	int act = lc_action_parse(json_get_str(b, "action"));
	if (act < 0)
		return err_set(&h->e, ERR_VALIDATION, "action", "Thao tác không hợp lệ",
			       "unknown action");
	a->action = (enum lc_action)act;
	a->note = json_get_str(b, "note");
	a->reason = json_get_str(b, "reason");
	json_t *as = json_object_get(b, "assignee");
	a->assignee = json_is_integer(as)
			  ? arena_printf(h->c.arena, "%lld", (long long)json_integer_value(as))
			  : json_string_value(as);
	json_t *tu = json_object_get(b, "to_unit");
	a->to_unit = json_is_integer(tu)
			 ? arena_printf(h->c.arena, "%lld", (long long)json_integer_value(tu))
			 : json_string_value(tu);
	a->minutes = json_get_int(b, "minutes", 0);
	int64_t wd = json_get_int(b, "working_days", 0);
	if (wd)
		a->minutes = wd * 480;
	const char *nd = json_get_str(b, "new_due");
	if (nd && civil_parse_rfc3339(nd, &a->new_due) < 0)
		return err_set(&h->e, ERR_VALIDATION, "new_due", "Thời điểm không hợp lệ",
			       "invalid date-time");
	json_t *items = json_object_get(b, "items");
	a->nitems = json_array_size(items);
	const char **it = arena_zalloc(h->c.arena, (a->nitems + 1) * sizeof(*it));
	for (size_t i = 0; i < a->nitems; i++)
		it[i] = json_string_value(json_array_get(items, i));
	a->items = it;
	a->period_days = json_get_int(b, "period_days", 0);
	a->amount = json_get_int(b, "amount", 0);
	a->method = json_get_str(b, "method");
	a->result_number = json_get_str(b, "result_number");
	a->signer = json_get_str(b, "signer");
	a->signed_date = json_get_str(b, "signed_date");
	a->recipient = json_get_str(b, "recipient");
	a->postal_tracking = json_get_str(b, "postal_tracking");
	a->token = json_get_str(b, "token");
	return 0;
}

int
h_dossiers_act(struct hctx *h)
{
	struct action_in a;
	if (read_action(h, &a) < 0)
		return -1;
	a.token = NULL; /* staff act as themselves */
	if (dossier_act(&h->c, h->params[0], &a, &h->e) < 0)
		return -1;
	return reply_dossier(h, 200, h->params[0], NULL);
}

int h_dossier_postal(struct hctx *h);

/* POST /dossiers/{code}/postal {"status","note"}: the result's journey by post */
int
h_dossier_postal(struct hctx *h)
{
	if (dossier_postal(&h->c, h->params[0], json_get_str(h->body, "status"),
			   json_get_str(h->body, "note"), &h->e) < 0)
		return -1;
	return reply_dossier(h, 200, h->params[0], NULL);
}

int
h_public_act(struct hctx *h)
{
	struct action_in a;
	if (read_action(h, &a) < 0)
		return -1;
	if (a.action != LA_SUPPLY && a.action != LA_WITHDRAW)
		return err_set(&h->e, ERR_VALIDATION, "action",
			       "Công dân chỉ có thể bổ sung hoặc rút hồ sơ",
			       "citizens may only supply or withdraw");
	if (!a.token)
		return err_set(&h->e, ERR_VALIDATION, "token", "Cần mã tra cứu",
			       "the lookup token is required");
	h->c.actor = NULL; /* a citizen, even if a staff cookie came along */
	if (dossier_act(&h->c, h->params[0], &a, &h->e) < 0) {
		if (h->e.code == ERR_FORBIDDEN)
			err_set(&h->e, ERR_NOT_FOUND, "code", "Không tìm thấy hồ sơ",
				"dossier not found");
		return -1;
	}
	return reply_empty(h, 204);
}

/* ---- reads ---- */

int
h_dossiers_get(struct hctx *h)
{
	return reply_dossier(h, 200, h->params[0], NULL);
}

static int
query_time(struct hctx *h, const char *name, int64_t *out)
{
	const char *s = query(h, name);
	int64_t day;
	*out = 0;
	if (!s)
		return 0;
	if (civil_parse_rfc3339(s, out) == 0)
		return 0;
	if (civil_parse_date(s, &day) == 0) {
		*out = day * 86400 - CIVIL_OFFSET;
		return 0;
	}
	return err_set(&h->e, ERR_VALIDATION, name, "Ngày hoặc thời điểm không hợp lệ",
		       "invalid date or date-time");
}

int
h_dossiers_list(struct hctx *h)
{
	struct dossier_filter f;
	memset(&f, 0, sizeof(f));
	f.queue = query(h, "queue");
	const char *assigned = query(h, "assigned");
	if (assigned && strcmp(assigned, "me") == 0)
		f.queue = "mine";
	f.state = query(h, "status");
	if (f.state && strspn(f.state, "0123456789") == strlen(f.state) && *f.state) {
		/* a national code: the first state with it */
		int code = (int)strtol(f.state, NULL, 10);
		f.state = NULL;
		for (int s = 0; s < LC__MAX; s++)
			if (lc_state_code((enum lc_state)s) == code) {
				f.state = lc_state_name((enum lc_state)s);
				break;
			}
		if (!f.state)
			return err_set(&h->e, ERR_VALIDATION, "status",
				       "Mã trạng thái không hợp lệ", "unknown status code");
	}
	f.procedure_code = query(h, "procedure");
	const char *ch = query(h, "channel");
	if (ch && (f.channel = dossier_channel_parse(ch)) < 0)
		return err_set(&h->e, ERR_VALIDATION, "channel", "Kênh không hợp lệ",
			       "unknown channel");
	f.q = query(h, "q");
	if (f.q && strlen(f.q) > 200)
		return err_set(&h->e, ERR_VALIDATION, "q", "Từ khóa quá dài", "query too long");
	f.cursor = query(h, "cursor");
	int64_t limit, unit;
	if (query_int(h, "limit", 1, 500, 50, &limit) < 0 ||
	    query_int(h, "unit", 1, INT64_MAX, 0, &unit) < 0 ||
	    query_time(h, "from", &f.from) < 0 || query_time(h, "to", &f.to) < 0 ||
	    query_time(h, "due_before", &f.due_before) < 0)
		return -1;
	f.limit = (int)limit;
	f.unit_id = unit;
	const char *format = query(h, "format");
	if (format && strcmp(format, "json") != 0)
		return dossiers_export(h, &f, format); /* h_forms.c */
	struct dossier_list l;
	if (dossier_list(&h->c, &f, &l, &h->e) < 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < l.n; i++)
		json_array_append_new(items, dossier_json(&l.items[i], 0));
	return reply_json(h, 200, jlist(items, l.next_cursor));
}

int
h_dossiers_due(struct hctx *h)
{
	struct clock_explain x;
	clock_explain_init(&x, h->c.arena);
	int64_t due;
	if (dossier_explain_due(&h->c, h->params[0], &x, &due, &h->e) < 0)
		return -1;
	struct dossier_rec d;
	if (dossier_get(&h->c, h->params[0], &d, &h->e) < 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < x.n; i++) {
		const struct clock_explain_item *it = &x.items[i];
		json_t *o = json_pack("{s:s,s:s}", "kind", clock_explain_kind_name(it->kind),
				      "reason", it->reason);
		if (it->kind == CLOCK_EX_SKIP || it->kind == CLOCK_EX_MAKEUP ||
		    it->kind == CLOCK_EX_MOVED) {
			char day[16];
			civil_format_date(it->day, day);
			json_object_set_new(o, "date", json_string(day));
		}
		if (it->from)
			json_object_set_new(o, "from", jtime(it->from));
		if (it->to)
			json_object_set_new(o, "to", jtime(it->to));
		if (it->due)
			json_object_set_new(o, "due", jtime(it->due));
		if (it->kind == CLOCK_EX_PAUSE)
			json_object_set_new(o, "working_minutes", json_integer(it->amount));
		if (it->proposed)
			json_object_set_new(o, "proposed", json_true());
		json_array_append_new(items, o);
	}
	return reply_json(h, 200,
			  json_pack("{s:s,s:o,s:o,s:b,s:o,s:o}", "code", d.code, "due_at",
				    jtime(d.due_at), "computed_due_at", jtime(due), "consistent",
				    due == d.due_at || !d.received_at, "paused_since",
				    jtime(d.paused_at), "explain", items));
}

int
h_lookup(struct hctx *h)
{
	pthread_once(&limits_once, limits_init);
	const char *who = h->c.remote ? h->c.remote : "";
	int retry;
	if (ratelimit_hit(lookup_all, who, h->c.now, &retry) < 0 ||
	    ratelimit_check(lookup_fail, who, h->c.now, &retry) < 0)
		return err_setf(&h->e, ERR_RATE_LIMITED, "",
				"Tra cứu quá nhiều lần; thử lại sau %d giây",
				"too many lookups; try again in %d seconds", retry);
	const char *id = query(h, "id_number"), *token = query(h, "token");
	if ((id && strlen(id) > 32) || (token && strlen(token) > 64))
		return err_set(&h->e, ERR_VALIDATION, id && strlen(id) > 32 ? "id_number" : "token",
			       "Giá trị quá dài", "value too long");
	struct dossier_rec d;
	if (dossier_lookup_steps(&h->c, h->params[0], id, token, &d, &h->e) < 0) {
		if (h->e.code == ERR_NOT_FOUND)
			ratelimit_hit(lookup_fail, who, h->c.now, NULL);
		return -1;
	}
	/* the public view: the state and what is asked, never the staff's notes or others' data.
	 * Written straight into the reply (core/jw.h): this is the endpoint citizens hammer. */
	struct buf *b = &h->rs->body;
	buf_reset(b);
	struct jw w;
	jw_init(&w, b);
	jw_obj(&w, NULL);
	jw_str(&w, "code", d.code);
	jw_int(&w, "status", lc_state_code(d.state));
	jw_str(&w, "state", lc_state_name(d.state));
	jw_str(&w, "state_vi", lc_state_vi(d.state));
	jw_obj(&w, "procedure");
	jw_str(&w, "code", d.procedure_code);
	jw_str(&w, "name", d.procedure_name);
	jw_end(&w, '}');
	jw_str(&w, "receiving_unit", d.receiving_unit_name);
	jw_time(&w, "submitted_at", d.submitted_at);
	jw_time(&w, "received_at", d.received_at);
	jw_time(&w, "due_at", d.due_at);
	jw_time(&w, "finished_at", d.finished_at);
	jw_time(&w, "returned_at", d.returned_at);
	jw_arr(&w, "steps");
	for (size_t i = 0; i < d.nsteps; i++) {
		jw_obj(&w, NULL);
		jw_str(&w, "name", d.steps[i].name);
		jw_str(&w, "unit", d.steps[i].unit_name);
		jw_time(&w, "started_at", d.steps[i].started_at);
		jw_time(&w, "finished_at", d.steps[i].finished_at);
		jw_end(&w, '}');
	}
	jw_end(&w, ']');
	if (d.state == LC_WAIT_SUPPLEMENT) {
		jw_obj(&w, "asked");
		jw_str(&w, "kind", "supplement");
		jw_str(&w, "items", d.supplement_items);
		jw_time(&w, "deadline", d.supplement_deadline);
		jw_end(&w, '}');
	} else if (d.state == LC_WAIT_PAYMENT) {
		jw_obj(&w, "asked");
		jw_str(&w, "kind", "payment");
		jw_int(&w, "amount", d.fee_amount);
		jw_end(&w, '}');
	} else if (d.state == LC_RESULT_READY) {
		jw_obj(&w, "asked");
		jw_str(&w, "kind", "collect_result");
		jw_str(&w, "where",
		       d.delivery_method && strcmp(d.delivery_method, "postal") == 0
			   ? "Kết quả sẽ được gửi qua bưu chính"
			   : d.receiving_unit_name);
		jw_end(&w, '}');
	} else {
		jw_null(&w, "asked");
	}
	if (d.refusal_reason)
		jw_str(&w, "refusal_reason", d.refusal_reason);
	if (d.postal_tracking)
		jw_str(&w, "postal_tracking", d.postal_tracking);
	if (d.postal_status) {
		jw_str(&w, "postal_status", d.postal_status);
		jw_str(&w, "postal_status_vi", dossier_postal_vi(d.postal_status));
	}
	jw_end(&w, '}');
	if (b->overflow)
		return err_set(&h->e, ERR_INTERNAL, "", "Phản hồi quá lớn", "response too large");
	h->rs->status = 200;
	h->rs->content_type = "application/json; charset=utf-8";
	return 0;
}
