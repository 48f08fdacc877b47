/* h_feedback.c: feedback (phản ánh, kiến nghị) from the portal and by staff, its actions and
 * work list, the published answers, the citizen's own view and reply, ratings of returned
 * dossiers, the satisfaction inputs, the units' published hotlines, and the items'
 * attachments (raw bodies as for a dossier's files; secret and name in the query). User text is
 * stored as text and only ever returned inside JSON. The public endpoints are throttled per
 * address. */
#include "api/handlers.h"
#include "core/ratelimit.h"
#include "service/feedback.h"
#include "service/feedback_files.h"
#include "service/unit.h"
#include "service/unit_contact.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

int h_public_feedback_submit(struct hctx *h);
int h_public_feedback_list(struct hctx *h);
int h_public_rating(struct hctx *h);
int h_feedback_create(struct hctx *h);
int h_feedback_list(struct hctx *h);
int h_feedback_get(struct hctx *h);
int h_feedback_act(struct hctx *h);
int h_reports_satisfaction(struct hctx *h);
int h_public_feedback_status(struct hctx *h);
int h_public_feedback_reply(struct hctx *h);
int h_public_units(struct hctx *h);
int h_unit_contact_get(struct hctx *h);
int h_unit_contact_put(struct hctx *h);
int h_feedback_files_add(struct hctx *h);
int h_feedback_files_list(struct hctx *h);
int h_feedback_files_get(struct hctx *h);
int h_public_feedback_files_add(struct hctx *h);
int h_public_feedback_files_list(struct hctx *h);
int h_public_feedback_files_get(struct hctx *h);

static struct ratelimit *feedback_limit, *rating_limit, *rating_fail;
static struct ratelimit *status_limit, *reply_limit, *secret_fail, *upload_limit;
static pthread_once_t limits_once = PTHREAD_ONCE_INIT;

static void
limits_init(void)
{
	feedback_limit = ratelimit_new(30, 3600); /* feedback items per address per hour */
	rating_limit = ratelimit_new(60, 3600);	  /* ratings per address per hour */
	rating_fail = ratelimit_new(10, 600);	  /* wrong code or token per address, 10 min */
	status_limit = ratelimit_new(120, 60);	  /* own-item views per address per minute */
	reply_limit = ratelimit_new(30, 3600);	  /* replies per address per hour */
	secret_fail = ratelimit_new(10, 600);	  /* wrong code or secret per address, 10 min */
	upload_limit = ratelimit_new(60, 3600);	  /* citizens' attachments per address per hour */
}

static const char *
remote(struct hctx *h)
{
	return h->c.remote ? h->c.remote : "";
}

/* a unit given as an id or a code in the body (key) */
static int
body_unit(struct hctx *h, const char *key, int64_t *id)
{
	json_t *v = json_object_get(h->body, key);
	*id = 0;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v)) {
		*id = json_integer_value(v);
		return 0;
	}
	if (unit_resolve(&h->c, json_string_value(v), id, &h->e) < 0) {
		h->e.code = ERR_VALIDATION;
		snprintf(h->e.field, sizeof(h->e.field), "%s", key);
		return -1;
	}
	return 0;
}

static int
query_unit(struct hctx *h, int64_t *id)
{
	const char *s = query(h, "unit");
	*id = 0;
	if (!s || !*s)
		return 0;
	if (unit_resolve(&h->c, s, id, &h->e) < 0) {
		h->e.code = ERR_VALIDATION;
		snprintf(h->e.field, sizeof(h->e.field), "unit");
		return -1;
	}
	return 0;
}

static void
read_in(struct hctx *h, struct feedback_in *in)
{
	memset(in, 0, sizeof(*in));
	in->content = json_get_str(h->body, "content");
	in->name = json_get_str(h->body, "name");
	in->phone = json_get_str(h->body, "phone");
	in->email = json_get_str(h->body, "email");
	in->dossier_code = json_get_str(h->body, "dossier_code");
	in->procedure_code = json_get_str(h->body, "procedure_code");
	in->classification = json_get_str(h->body, "classification");
}

static json_t *
feedback_json(const struct feedback_rec *f, int staff)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(f->code));
	json_object_set_new(o, "state", json_string(f->state));
	json_object_set_new(o, "content", json_string(f->content));
	json_object_set_new(o, "name", jstr(f->name));
	json_object_set_new(o, "answer", jstr(f->answer));
	json_object_set_new(o, "unit",
			    json_pack("{s:I,s:s}", "id", (json_int_t)f->unit_id, "name",
				      f->unit_name ? f->unit_name : ""));
	json_object_set_new(o, "received_at", jtime(f->received_at));
	json_object_set_new(o, "answered_at", jtime(f->answered_at));
	json_object_set_new(o, "published_at", jtime(f->published_at));
	if (!staff)
		return o;
	json_object_set_new(o, "channel", json_string(f->channel));
	json_object_set_new(o, "phone", jstr(f->phone));
	json_object_set_new(o, "email", jstr(f->email));
	json_object_set_new(o, "dossier_code", jstr(f->dossier_code));
	json_object_set_new(o, "procedure_code", jstr(f->procedure_code));
	json_object_set_new(o, "classification", jstr(f->classification));
	json_object_set_new(o, "reason", jstr(f->reason));
	json_object_set_new(o, "assignee",
			    f->assignee_id
				? json_pack("{s:I,s:o}", "id", (json_int_t)f->assignee_id, "name",
					    jstr(f->assignee_name))
				: json_null());
	json_object_set_new(o, "due",
			    json_pack("{s:o,s:o,s:o,s:o}", "refuse", jtime(f->refuse_due),
				      "request_info", jtime(f->info_due), "answer",
				      jtime(f->answer_due), "publish", jtime(f->publish_due)));
	json_object_set_new(o, "refused_at", jtime(f->refused_at));
	json_object_set_new(o, "info_requested_at", jtime(f->info_requested_at));
	json_object_set_new(o, "assigned_at", jtime(f->assigned_at));
	json_object_set_new(o, "info_reply", jstr(f->info_reply));
	json_object_set_new(o, "info_replied_at", jtime(f->info_replied_at));
	if (f->events) {
		json_t *ev = json_array();
		for (size_t i = 0; i < f->nevents; i++) {
			const struct feedback_event_rec *v = &f->events[i];
			json_array_append_new(ev, json_pack("{s:i,s:o,s:s,s:s,s:s,s:s,s:s}", "seq",
							    v->seq, "at", jtime(v->at), "actor",
							    v->actor, "action", v->action, "from",
							    v->from_state, "to", v->to_state,
							    "note", v->note ? v->note : ""));
		}
		json_object_set_new(o, "events", ev);
	}
	return o;
}

static int
reply_feedback(struct hctx *h, int status, const char *code)
{
	struct feedback_rec f;
	if (feedback_get(&h->c, code, &f, &h->e) < 0)
		return -1;
	return reply_json(h, status, feedback_json(&f, 1));
}

int
h_public_feedback_submit(struct hctx *h)
{
	pthread_once(&limits_once, limits_init);
	int retry;
	if (ratelimit_hit(feedback_limit, remote(h), h->c.now, &retry) < 0)
		return err_setf(&h->e, ERR_RATE_LIMITED, "",
				"Gửi quá nhiều phản ánh; thử lại sau %d giây",
				"too much feedback; try again in %d seconds", retry);
	struct feedback_in in;
	read_in(h, &in);
	in.channel = "web";
	in.classification = NULL;
	if (body_unit(h, "unit", &in.unit_id) < 0)
		return -1;
	const char *code, *secret;
	if (feedback_submit(&h->c, &in, &code, &secret, &h->e) < 0)
		return -1;
	return reply_json(
	    h, 201,
	    json_pack("{s:s,s:s,s:s,s:s}", "code", code, "secret", secret, "state", "received",
		      "message_vi",
		      "Phản ánh, kiến nghị đã được tiếp nhận. Giữ mã và mã bí mật để theo dõi và "
		      "bổ sung thông tin; mã bí mật chỉ hiện một lần."));
}

int
h_feedback_create(struct hctx *h)
{
	struct feedback_in in;
	read_in(h, &in);
	in.channel = json_get_str(h->body, "channel");
	if (body_unit(h, "unit", &in.unit_id) < 0)
		return -1;
	const char *code, *secret;
	if (feedback_submit(&h->c, &in, &code, &secret, &h->e) < 0)
		return -1;
	struct feedback_rec f;
	if (feedback_get(&h->c, code, &f, &h->e) < 0)
		return -1;
	/* to be read to the caller on the hotline or printed at the counter, once */
	json_t *o = feedback_json(&f, 1);
	json_object_set_new(o, "secret", json_string(secret));
	return reply_json(h, 201, o);
}

int
h_public_feedback_list(struct hctx *h)
{
	int64_t unit, limit;
	if (query_unit(h, &unit) < 0 || query_int(h, "limit", 1, 200, 50, &limit) < 0)
		return -1;
	struct feedback_rec *items;
	size_t n;
	if (feedback_public_list(&h->c, unit, (int)limit, &items, &n, &h->e) < 0)
		return -1;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, feedback_json(&items[i], 0));
	return reply_json(h, 200, jlist(a, NULL));
}

int
h_feedback_list(struct hctx *h)
{
	int64_t unit, limit;
	if (query_unit(h, &unit) < 0 || query_int(h, "limit", 1, 200, 50, &limit) < 0)
		return -1;
	struct feedback_rec *items;
	size_t n;
	if (feedback_list(&h->c, unit, query(h, "state"), (int)limit, &items, &n, &h->e) < 0)
		return -1;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, feedback_json(&items[i], 1));
	return reply_json(h, 200, jlist(a, NULL));
}

int
h_feedback_get(struct hctx *h)
{
	return reply_feedback(h, 200, h->params[0]);
}

int
h_feedback_act(struct hctx *h)
{
	struct feedback_action_in a = {
	    .action = json_get_str(h->body, "action"),
	    .reason = json_get_str(h->body, "reason"),
	    .answer = json_get_str(h->body, "answer"),
	    .classification = json_get_str(h->body, "classification"),
	};
	json_t *as = json_object_get(h->body, "assignee");
	char idbuf[24];
	if (json_is_integer(as)) {
		snprintf(idbuf, sizeof(idbuf), "%lld", (long long)json_integer_value(as));
		a.assignee = idbuf;
	} else {
		a.assignee = json_string_value(as);
	}
	if (feedback_act(&h->c, h->params[0], &a, &h->e) < 0)
		return -1;
	return reply_feedback(h, 200, h->params[0]);
}

int
h_public_rating(struct hctx *h)
{
	pthread_once(&limits_once, limits_init);
	int retry;
	if (ratelimit_hit(rating_limit, remote(h), h->c.now, &retry) < 0 ||
	    ratelimit_check(rating_fail, remote(h), h->c.now, &retry) < 0)
		return err_setf(&h->e, ERR_RATE_LIMITED, "",
				"Gửi đánh giá quá nhiều lần; thử lại sau %d giây",
				"too many ratings; try again in %d seconds", retry);
	json_t *rs = json_object_get(h->body, "reasons");
	const char *reasons[RATING_MAX_REASONS + 1];
	size_t n = 0;
	for (size_t i = 0; rs && i < json_array_size(rs) && n <= RATING_MAX_REASONS; i++)
		reasons[n++] = json_string_value(json_array_get(rs, i));
	const char *fcode, *fsecret;
	int satisfied = json_is_true(json_object_get(h->body, "satisfied"));
	if (rating_submit(&h->c, json_get_str(h->body, "dossier"), json_get_str(h->body, "token"),
			  satisfied, reasons, n, &fcode, &fsecret, &h->e) < 0) {
		if (h->e.code == ERR_NOT_FOUND)
			ratelimit_hit(rating_fail, remote(h), h->c.now, NULL);
		return -1;
	}
	return reply_json(h, 201,
			  json_pack("{s:s,s:b,s:o,s:o}", "dossier",
				    json_get_str(h->body, "dossier"), "satisfied", satisfied,
				    "feedback", jstr(fcode), "feedback_secret", jstr(fsecret)));
}

int
h_reports_satisfaction(struct hctx *h)
{
	int64_t unit;
	if (query_unit(h, &unit) < 0)
		return -1;
	struct feedback_inputs s;
	const char *from = query(h, "from"), *to = query(h, "to");
	if (feedback_index_inputs(&h->c, unit, from, to, &s, &h->e) < 0)
		return -1;
	json_t *o = json_object();
	json_object_set_new(o, "unit", unit ? json_integer(unit) : json_null());
	json_object_set_new(o, "from", jstr(from));
	json_object_set_new(o, "to", jstr(to));
	json_object_set_new(o, "ratings",
			    json_pack("{s:I,s:I,s:I}", "total", (json_int_t)s.ratings_total,
				      "satisfied", (json_int_t)s.ratings_satisfied, "unsatisfied",
				      (json_int_t)s.ratings_unsatisfied));
	json_object_set_new(o, "feedback",
			    json_pack("{s:I,s:I,s:I,s:I,s:I}", "received",
				      (json_int_t)s.feedback_received, "answered_on_time",
				      (json_int_t)s.feedback_answered_on_time, "answered_late",
				      (json_int_t)s.feedback_answered_late, "open_overdue",
				      (json_int_t)s.feedback_open_overdue, "refused",
				      (json_int_t)s.feedback_refused));
	return reply_json(h, 200, o);
}

/* ---- the citizen's own item ---- */

static int
throttled(struct hctx *h, struct ratelimit *rl)
{
	int retry;
	if (ratelimit_hit(rl, remote(h), h->c.now, &retry) < 0 ||
	    ratelimit_check(secret_fail, remote(h), h->c.now, &retry) < 0)
		return err_setf(&h->e, ERR_RATE_LIMITED, "",
				"Quá nhiều yêu cầu; thử lại sau %d giây",
				"too many requests; try again in %d seconds", retry);
	return 0;
}

/* a wrong code or secret counts towards the address's failure limit */
static int
count_failure(struct hctx *h)
{
	if (h->e.code == ERR_NOT_FOUND)
		ratelimit_hit(secret_fail, remote(h), h->c.now, NULL);
	return -1;
}

int
h_public_feedback_status(struct hctx *h)
{
	pthread_once(&limits_once, limits_init);
	if (throttled(h, status_limit) < 0)
		return -1;
	const char *secret = query(h, "secret");
	if (!secret || !*secret)
		return err_set(&h->e, ERR_VALIDATION, "secret", "Cần nhập mã bí mật",
			       "secret is required");
	struct feedback_rec f;
	if (feedback_status(&h->c, h->params[0], secret, &f, &h->e) < 0)
		return count_failure(h);
	struct unit_contact k;
	if (unit_contact_get(&h->c, f.unit_id, &k, &h->e) < 0)
		return -1;
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(f.code));
	json_object_set_new(o, "state", json_string(f.state));
	json_object_set_new(o, "content", json_string(f.content));
	json_object_set_new(o, "reason", jstr(f.reason));
	json_object_set_new(o, "info_reply", jstr(f.info_reply));
	json_object_set_new(o, "answer", jstr(f.answer));
	json_object_set_new(o, "unit",
			    json_pack("{s:I,s:s,s:o,s:o}", "id", (json_int_t)f.unit_id, "name",
				      f.unit_name ? f.unit_name : "", "hotline", jstr(k.hotline),
				      "email", jstr(k.email)));
	json_object_set_new(o, "received_at", jtime(f.received_at));
	json_object_set_new(o, "answer_due", jtime(f.answer_due));
	json_object_set_new(o, "refused_at", jtime(f.refused_at));
	json_object_set_new(o, "info_requested_at", jtime(f.info_requested_at));
	json_object_set_new(o, "info_replied_at", jtime(f.info_replied_at));
	json_object_set_new(o, "answered_at", jtime(f.answered_at));
	json_object_set_new(o, "published_at", jtime(f.published_at));
	json_t *ev = json_array();
	for (size_t i = 0; i < f.nevents; i++)
		json_array_append_new(ev, json_pack("{s:o,s:s,s:s}", "at", jtime(f.events[i].at),
						    "action", f.events[i].action, "to",
						    f.events[i].to_state));
	json_object_set_new(o, "history", ev);
	return reply_json(h, 200, o);
}

int
h_public_feedback_reply(struct hctx *h)
{
	pthread_once(&limits_once, limits_init);
	if (throttled(h, reply_limit) < 0)
		return -1;
	if (feedback_reply(&h->c, h->params[0], json_get_str(h->body, "secret"),
			   json_get_str(h->body, "content"), &h->e) < 0)
		return count_failure(h);
	return reply_json(h, 200,
			  json_pack("{s:s,s:s,s:s}", "code", h->params[0], "state", "received",
				    "message_vi", "Thông tin bổ sung đã được tiếp nhận."));
}

/* ---- attachments: staff, and the citizen with the secret ---- */

static json_t *
file_json(const struct feedback_file_rec *f, int staff)
{
	json_t *o = json_pack("{s:s,s:I,s:s,s:s}", "sha256", f->sha256, "size", (json_int_t)f->size,
			      "mime", f->mime, "name", f->name ? f->name : "");
	json_object_set_new(o, "created_at", jtime(f->created_at));
	if (staff)
		json_object_set_new(o, "created_by", jstr(f->created_by));
	return o;
}

static int
upload_name(struct hctx *h, const char **name)
{
	*name = query(h, "name");
	if (*name && strlen(*name) > 4 * ATTACH_NAME_MAX)
		return err_set(&h->e, ERR_VALIDATION, "name", "Tên tệp quá dài",
			       "the file name is too long");
	return 0;
}

static int
reply_files(struct hctx *h, const struct feedback_file_rec *v, size_t n, int staff)
{
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, file_json(&v[i], staff));
	return reply_json(h, 200, jlist(items, NULL));
}

int
h_feedback_files_add(struct hctx *h)
{
	const char *name;
	struct feedback_file_rec f;
	if (upload_name(h, &name) < 0 ||
	    feedback_file_add(&h->c, h->params[0], NULL, name, h->rq->body, h->rq->body_len, &f,
			      &h->e) < 0)
		return -1;
	return reply_json(h, f.created ? 201 : 200, file_json(&f, 1));
}

int
h_feedback_files_list(struct hctx *h)
{
	struct feedback_file_rec *v;
	size_t n;
	if (feedback_file_list(&h->c, h->params[0], NULL, &v, &n, &h->e) < 0)
		return -1;
	return reply_files(h, v, n, 1);
}

int
h_feedback_files_get(struct hctx *h)
{
	struct feedback_file_rec f;
	const void *data;
	size_t len;
	if (feedback_file_get(&h->c, h->params[0], NULL, h->params[1], &f, &data, &len, &h->e) < 0)
		return -1;
	return reply_attachment(h, f.name, f.sha256, f.mime, data, len);
}

/* the secret from the query, after the address's limits */
static int
public_secret(struct hctx *h, struct ratelimit *rl, const char **secret)
{
	pthread_once(&limits_once, limits_init);
	if (throttled(h, rl) < 0)
		return -1;
	*secret = query(h, "secret");
	if (!*secret || !**secret)
		return err_set(&h->e, ERR_VALIDATION, "secret", "Cần nhập mã bí mật",
			       "secret is required");
	if (strlen(*secret) > 64)
		return err_set(&h->e, ERR_VALIDATION, "secret", "Mã bí mật quá dài",
			       "the secret is too long");
	h->c.actor = NULL; /* a citizen */
	return 0;
}

int
h_public_feedback_files_add(struct hctx *h)
{
	const char *secret, *name;
	struct feedback_file_rec f;
	if (public_secret(h, upload_limit, &secret) < 0 || upload_name(h, &name) < 0)
		return -1;
	if (feedback_file_add(&h->c, h->params[0], secret, name, h->rq->body, h->rq->body_len, &f,
			      &h->e) < 0)
		return count_failure(h);
	return reply_json(h, f.created ? 201 : 200, file_json(&f, 0));
}

int
h_public_feedback_files_list(struct hctx *h)
{
	const char *secret;
	struct feedback_file_rec *v;
	size_t n;
	if (public_secret(h, status_limit, &secret) < 0)
		return -1;
	if (feedback_file_list(&h->c, h->params[0], secret, &v, &n, &h->e) < 0)
		return count_failure(h);
	return reply_files(h, v, n, 0);
}

int
h_public_feedback_files_get(struct hctx *h)
{
	const char *secret;
	struct feedback_file_rec f;
	const void *data;
	size_t len;
	if (public_secret(h, status_limit, &secret) < 0)
		return -1;
	if (feedback_file_get(&h->c, h->params[0], secret, h->params[1], &f, &data, &len, &h->e) <
	    0)
		return count_failure(h);
	return reply_attachment(h, f.name, f.sha256, f.mime, data, len);
}

/* ---- the units' published hotlines ---- */

static json_t *
contact_json(int64_t unit_id, const char *hotline, const char *email)
{
	return json_pack("{s:I,s:o,s:o}", "unit", (json_int_t)unit_id, "hotline", jstr(hotline),
			 "email", jstr(email));
}

int
h_public_units(struct hctx *h)
{
	int64_t unit;
	if (query_unit(h, &unit) < 0)
		return -1;
	struct unit_public *v;
	size_t n;
	if (unit_contact_list(&h->c, unit, &v, &n, &h->e) < 0)
		return -1;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:I,s:o,s:o,s:s,s:s,s:o,s:o}", "id", (json_int_t)v[i].id,
				      "parent_id",
				      v[i].parent_id ? json_integer(v[i].parent_id) : json_null(),
				      "code", jstr(v[i].code), "name", v[i].name, "kind", v[i].kind,
				      "hotline", jstr(v[i].hotline), "email", jstr(v[i].email));
		json_array_append_new(a, o);
	}
	return reply_json(h, 200, jlist(a, NULL));
}

int
h_unit_contact_get(struct hctx *h)
{
	int64_t id = param_id(h, 0);
	struct unit_contact k;
	if (id < 0 || unit_contact_get(&h->c, id, &k, &h->e) < 0)
		return -1;
	return reply_json(h, 200, contact_json(id, k.hotline, k.email));
}

int
h_unit_contact_put(struct hctx *h)
{
	int64_t id = param_id(h, 0);
	if (id < 0 || unit_contact_set(&h->c, id, json_get_str(h->body, "hotline"),
				       json_get_str(h->body, "email"), &h->e) < 0)
		return -1;
	return h_unit_contact_get(h);
}
