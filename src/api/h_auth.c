/* h_auth.c: login, logout, me, and API tokens. */
#include "api/handlers.h"
#include "core/civil.h"
#include "service/auth.h"

#include <stdio.h>

int h_login(struct hctx *h);
int h_logout(struct hctx *h);
int h_me(struct hctx *h);
int h_tokens_list(struct hctx *h);
int h_tokens_create(struct hctx *h);
int h_tokens_revoke(struct hctx *h);
json_t *actor_json(const struct actor *a);

json_t *
actor_json(const struct actor *a)
{
	json_t *roles = json_array();
	for (int i = 0; i < a->ngrants; i++)
		json_array_append_new(roles, json_pack("{s:s,s:s,s:I}", "role",
						       role_name(a->grants[i].role), "label_vi",
						       role_label_vi(a->grants[i].role), "unit",
						       (json_int_t)a->grants[i].unit_id));
	return json_pack("{s:I,s:s,s:s,s:o,s:s}", "id", (json_int_t)a->user_id, "username",
			 a->username, "full_name", a->full_name, "roles", roles, "via",
			 a->via == ACTOR_TOKEN ? "token" : "session");
}

static const char *
session_cookie(struct hctx *h, const char *token, int64_t max_age)
{
	return arena_printf(
	    h->c.arena, "motcua_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
	    token, (long long)max_age, api_cfg->secure_cookies || h->rq->secure ? "; Secure" : "");
}

int
h_login(struct hctx *h)
{
	struct login_result r;
	if (auth_login(&h->c, json_get_str(h->body, "username"), json_get_str(h->body, "password"),
		       &r, &h->e) < 0)
		return -1;
	resp_header(h->rs, "Set-Cookie", session_cookie(h, r.token, r.expires_at - h->c.now));
	json_t *out = json_pack("{s:o,s:s,s:o}", "user", actor_json(&r.actor), "csrf_token",
				r.csrf_token, "expires_at", jtime(r.expires_at));
	return reply_json(h, 200, out);
}

int
h_logout(struct hctx *h)
{
	if (auth_logout(&h->c, &h->e) < 0)
		return -1;
	resp_header(h->rs, "Set-Cookie", session_cookie(h, "", 0));
	return reply_empty(h, 204);
}

int
h_me(struct hctx *h)
{
	json_t *out = actor_json(&h->actor);
	if (h->actor.via == ACTOR_SESSION) {
		json_object_set_new(out, "csrf_token", json_string(h->actor.csrf_token));
		json_object_set_new(out, "expires_at", jtime(h->actor.expires_at));
	}
	return reply_json(h, 200, out);
}

int
h_tokens_list(struct hctx *h)
{
	struct token_rec *t;
	size_t n;
	if (auth_token_list(&h->c, &t, &n, &h->e) < 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:I,s:s,s:o,s:o,s:o,s:o}", "id",
						       (json_int_t)t[i].id, "name", t[i].name,
						       "created_at", jtime(t[i].created_at),
						       "expires_at", jtime(t[i].expires_at),
						       "last_used_at", jtime(t[i].last_used_at),
						       "revoked_at", jtime(t[i].revoked_at)));
	return reply_json(h, 200, jlist(items, NULL));
}

int
h_tokens_create(struct hctx *h)
{
	int64_t expires = 0, id;
	const char *exp = json_get_str(h->body, "expires_at");
	if (exp && civil_parse_rfc3339(exp, &expires) < 0)
		return err_set(&h->e, ERR_VALIDATION, "expires_at", "Thời điểm không hợp lệ",
			       "invalid date-time");
	char plain[CRYPTO_TOKEN_LEN + 8];
	if (auth_token_create(&h->c, json_get_str(h->body, "name"), expires, plain, &id, &h->e) < 0)
		return -1;
	return reply_json(h, 201,
			  json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)id, "name",
				    json_get_str(h->body, "name"), "token", plain, "expires_at",
				    jtime(expires)));
}

int
h_tokens_revoke(struct hctx *h)
{
	int64_t id = param_id(h, 0);
	if (id < 0 || auth_token_revoke(&h->c, id, &h->e) < 0)
		return -1;
	return reply_empty(h, 204);
}
