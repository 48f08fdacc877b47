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

/* Written straight into the reply (core/jw.h), not as a jansson tree: the 201 of every intake
 * and every row of a work list go through here (callgrind: building, dumping and freeing the
 * tree was a third of an intake's instructions). Keys in the order clients have seen. */

static void
person_write(struct jw *w, const char *key, const struct person *p)
{
	if (!p->name) {
		jw_null(w, key);
		return;
	}
	jw_obj(w, key);
	jw_str(w, "kind", p->kind);
	jw_str(w, "name", p->name);
	jw_str(w, "id_type", p->id_type);
	jw_str(w, "id_number", p->id_number);
	jw_str(w, "birth_date", p->birth_date);
	jw_str(w, "address", p->address);
	jw_str(w, "phone", p->phone);
	jw_str(w, "email", p->email);
	if (p->relation)
		jw_str(w, "relation", p->relation);
	jw_end(w, '}');
}

static void
step_write(struct jw *w, const char *key, const struct dossier_step_rec *s)
{
	jw_obj(w, key);
	jw_int(w, "seq", s->seq);
	jw_str(w, "name", s->name);
	jw_str(w, "role", s->role);
	jw_int(w, "unit", s->unit_id);
	jw_str(w, "unit_name", s->unit_name);
	jw_int(w, "minutes", s->minutes);
	jw_time(w, "due_at", s->due_at);
	jw_time(w, "started_at", s->started_at);
	jw_time(w, "finished_at", s->finished_at);
	if (s->assignee_id)
		jw_int(w, "assignee", s->assignee_id);
	else
		jw_null(w, "assignee");
	jw_str(w, "assignee_name", s->assignee_name);
	jw_str(w, "outcome", s->outcome);
	jw_bool(w, "transferred", s->transferred);
	jw_end(w, '}');
}

static void
unit_write(struct jw *w, const char *key, int64_t id, const char *name)
{
	jw_obj(w, key);
	jw_int(w, "id", id);
	jw_str(w, "name", name);
	jw_end(w, '}');
}

/* names: a JSON array of the space-separated words of list */
static void
words_write(struct jw *w, const char *key, const char *list)
{
	jw_arr(w, key);
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, " ");
		jw_strn(w, NULL, p, n);
		p += n;
		while (*p == ' ')
			p++;
	}
	jw_end(w, ']');
}

/* token: the lookup token to show instead of the stored one (the 201 of an online
 * submission), or NULL; mine: the caller's actions (dossier_my_actions) or NULL */
static void
dossier_write(struct jw *w, const struct dossier_rec *d, int full, const char *token,
	      const char *mine)
{
	jw_obj(w, NULL);
	jw_str(w, "code", d->code);
	jw_int(w, "status", lc_state_code(d->state));
	jw_str(w, "state", lc_state_name(d->state));
	jw_str(w, "state_vi", lc_state_vi(d->state));
	jw_obj(w, "procedure");
	jw_str(w, "code", d->procedure_code);
	jw_str(w, "name", d->procedure_name);
	jw_int(w, "version", d->procedure_version);
	jw_str(w, "field", d->field_code);
	jw_str(w, "case", d->case_name);
	jw_end(w, '}');
	jw_str(w, "channel", dossier_channel_name(d->channel));
	unit_write(w, "receiving_unit", d->receiving_unit_id, d->receiving_unit_name);
	unit_write(w, "competent_unit", d->competent_unit_id, d->competent_unit_name);
	person_write(w, "applicant", &d->applicant);
	person_write(w, "representative", &d->rep);
	jw_time(w, "submitted_at", d->submitted_at);
	jw_time(w, "received_at", d->received_at);
	jw_time(w, "due_at", d->due_at);
	jw_time(w, "finished_at", d->finished_at);
	jw_time(w, "returned_at", d->returned_at);
	jw_str(w, "outcome", d->outcome);
	jw_time(w, "paused_since", d->paused_at);
	jw_obj(w, "delivery");
	jw_str(w, "method", d->delivery_method);
	jw_str(w, "address", d->delivery_address);
	jw_str(w, "postal_tracking", d->postal_tracking);
	jw_str(w, "postal_status", d->postal_status);
	jw_end(w, '}');
	jw_obj(w, "fees");
	jw_int(w, "amount", d->fee_amount);
	jw_str(w, "status", d->fee_status);
	jw_str(w, "method", d->fee_method);
	jw_end(w, '}');
	jw_obj(w, "legal_time");
	jw_str(w, "unit", d->time_unit);
	jw_int(w, "minutes", d->time_minutes);
	jw_end(w, '}');
	if (d->holder_unit_id) {
		jw_obj(w, "holder");
		jw_int(w, "unit", d->holder_unit_id);
		jw_str(w, "role", d->holder_role);
		if (d->assignee_id)
			jw_int(w, "assignee", d->assignee_id);
		else
			jw_null(w, "assignee");
		jw_end(w, '}');
	} else {
		jw_null(w, "holder");
	}
	if (d->supplement_count || d->supplement_items) {
		jw_obj(w, "supplement");
		jw_int(w, "count", d->supplement_count);
		jw_str(w, "items", d->supplement_items);
		jw_time(w, "deadline", d->supplement_deadline);
		jw_end(w, '}');
	}
	if (d->result_number) {
		jw_obj(w, "result");
		jw_str(w, "number", d->result_number);
		jw_str(w, "signer", d->result_signer);
		jw_str(w, "date", d->result_date);
		jw_end(w, '}');
	}
	if (d->return_recipient) {
		jw_obj(w, "returned_to");
		jw_str(w, "recipient", d->return_recipient);
		jw_str(w, "method", d->return_method);
		jw_end(w, '}');
	}
	if (d->refusal_reason)
		jw_str(w, "refusal_reason", d->refusal_reason);
	if (d->ext_due_at) {
		jw_obj(w, "extension_pending");
		jw_time(w, "due_at", d->ext_due_at);
		jw_str(w, "reason", d->ext_reason);
		jw_end(w, '}');
	}
	if (!full) {
		jw_end(w, '}');
		return;
	}
	jw_str(w, "lookup_token", token ? token : d->lookup_token);
	jw_arr(w, "components");
	for (size_t i = 0; i < d->ncomponents; i++) {
		jw_obj(w, NULL);
		jw_str(w, "name", d->components[i].name);
		jw_int(w, "originals", d->components[i].originals);
		jw_int(w, "copies", d->components[i].copies);
		jw_str(w, "file", d->components[i].file_sha256);
		jw_end(w, '}');
	}
	jw_end(w, ']');
	const struct dossier_step_rec *cur = NULL;
	jw_arr(w, "steps");
	for (size_t i = 0; i < d->nsteps; i++) {
		step_write(w, NULL, &d->steps[i]);
		if (d->steps[i].seq == d->current_step && d->holder_unit_id)
			cur = &d->steps[i];
	}
	jw_end(w, ']');
	if (cur)
		step_write(w, "step", cur);
	else
		jw_null(w, "step");
	jw_arr(w, "due_history");
	for (size_t i = 0; i < d->ndues; i++) {
		jw_obj(w, NULL);
		jw_time(w, "due_at", d->dues[i].due_at);
		jw_str(w, "reason", d->dues[i].reason);
		jw_time(w, "at", d->dues[i].at);
		jw_str(w, "by", d->dues[i].by);
		jw_end(w, '}');
	}
	jw_end(w, ']');
	jw_arr(w, "events");
	for (size_t i = 0; i < d->nevents; i++) {
		const struct dossier_event_rec *ev = &d->events[i];
		jw_obj(w, NULL);
		jw_int(w, "seq", ev->seq);
		jw_time(w, "at", ev->at);
		jw_str(w, "actor", ev->actor);
		jw_str(w, "action", ev->action);
		jw_str(w, "from", ev->from_state);
		jw_str(w, "to", ev->to_state);
		jw_int(w, "step", ev->step_seq);
		jw_str(w, "note", ev->note);
		jw_end(w, '}');
	}
	jw_end(w, ']');
	char allowed[256];
	lc_allowed(d->state, allowed, sizeof(allowed));
	words_write(w, "allowed_actions", allowed);
	if (mine)
		words_write(w, "my_actions", mine);
	jw_end(w, '}');
}

/* reply_written: finish a reply that jw wrote into the body */
static int
reply_written(struct hctx *h, int status)
{
	if (h->rs->body.overflow)
		return err_set(&h->e, ERR_INTERNAL, "", "Phản hồi quá lớn", "response too large");
	h->rs->status = status;
	h->rs->content_type = "application/json; charset=utf-8";
	return 0;
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
	char mine[256];
	if (h->c.actor)
		dossier_my_actions(&h->c, &d, mine, sizeof(mine));
	struct jw w;
	buf_reset(&h->rs->body);
	jw_init(&w, &h->rs->body);
	dossier_write(&w, &d, 1, token, h->c.actor ? mine : NULL);
	return reply_written(h, status);
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
	struct jw w;
	buf_reset(&h->rs->body);
	jw_init(&w, &h->rs->body);
	jw_obj(&w, NULL);
	jw_arr(&w, "items");
	for (size_t i = 0; i < l.n; i++)
		dossier_write(&w, &l.items[i], 0, NULL, NULL);
	jw_end(&w, ']');
	jw_str(&w, "next_cursor", l.next_cursor);
	jw_end(&w, '}');
	return reply_written(h, 200);
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
	return reply_written(h, 200);
}
