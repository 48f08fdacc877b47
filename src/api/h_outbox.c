/* h_outbox.c: the notification outbox and webhook subscriptions, for administrators. */
#include "api/handlers.h"
#include "service/outbox.h"

#include <string.h>

int h_outbox_list(struct hctx *h);
int h_outbox_retry(struct hctx *h);
int h_webhooks_list(struct hctx *h);
int h_webhooks_create(struct hctx *h);

static json_t *
outbox_json(const struct outbox_rec *r)
{
	return json_pack("{s:I,s:o,s:s,s:s,s:s,s:s,s:s,s:i,s:o,s:o,s:o,s:o}", "id",
			 (json_int_t)r->id, "dossier", jstr(r->dossier_code), "kind", r->kind,
			 "channel", r->channel, "recipient", r->recipient, "subject", r->subject,
			 "status", r->status, "attempts", r->attempts, "next_attempt_at",
			 strcmp(r->status, "pending") == 0 ? jtime(r->next_attempt_at)
							   : json_null(),
			 "last_error", jstr(r->last_error), "created_at", jtime(r->created_at),
			 "sent_at", jtime(r->sent_at));
}

int
h_outbox_list(struct hctx *h)
{
	int64_t limit;
	if (query_int(h, "limit", 1, OUTBOX_LIST_MAX, 50, &limit) < 0)
		return -1;
	struct outbox_page p;
	if (outbox_list(&h->c, query(h, "status"), (int)limit, query(h, "cursor"), &p, &h->e) < 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < p.n; i++)
		json_array_append_new(items, outbox_json(&p.items[i]));
	return reply_json(h, 200, jlist(items, p.next_cursor));
}

int
h_outbox_retry(struct hctx *h)
{
	int64_t id = param_id(h, 0);
	struct outbox_rec r;
	if (id < 0 || outbox_retry(&h->c, id, &r, &h->e) < 0)
		return -1;
	return reply_json(h, 200, outbox_json(&r));
}

static json_t *
webhook_json(const struct webhook_rec *w)
{
	json_t *o =
	    json_pack("{s:I,s:{s:I,s:o,s:s},s:s,s:b,s:o}", "id", (json_int_t)w->id, "unit", "id",
		      (json_int_t)w->unit_id, "code", jstr(w->unit_code), "name", w->unit_name,
		      "url", w->url, "active", w->active, "created_at", jtime(w->created_at));
	if (w->secret)
		json_object_set_new(o, "secret", json_string(w->secret));
	return o;
}

int
h_webhooks_list(struct hctx *h)
{
	struct webhook_rec *w;
	size_t n;
	if (webhook_list(&h->c, query(h, "unit"), &w, &n, &h->e) < 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, webhook_json(&w[i]));
	return reply_json(h, 200, jlist(items, NULL));
}

int
h_webhooks_create(struct hctx *h)
{
	json_t *u = json_object_get(h->body, "unit");
	const char *unit = json_is_integer(u)
			       ? arena_printf(h->c.arena, "%lld", (long long)json_integer_value(u))
			       : json_string_value(u);
	struct webhook_rec w;
	if (webhook_create(&h->c, unit, json_get_str(h->body, "url"), &w, &h->e) < 0)
		return -1;
	return reply_json(h, 201, webhook_json(&w));
}
