/* h_users.c: staff accounts and their roles per unit. */
#include "api/handlers.h"
#include "service/user.h"

#include <string.h>

int h_users_list(struct hctx *h);
int h_users_create(struct hctx *h);
int h_users_get(struct hctx *h);
int h_users_update(struct hctx *h);

static json_t *
user_json(const struct user_rec *u)
{
	json_t *roles = json_array();
	for (size_t i = 0; i < u->ngrants; i++)
		json_array_append_new(roles, json_pack("{s:s,s:I,s:s}", "role", u->grants[i].role,
						       "unit", (json_int_t)u->grants[i].unit_id,
						       "unit_name", u->grants[i].unit_name));
	return json_pack("{s:I,s:s,s:s,s:o,s:o,s:b,s:o,s:o,s:o}", "id", (json_int_t)u->id,
			 "username", u->username, "full_name", u->full_name, "email",
			 jstr(u->email), "phone", jstr(u->phone), "disabled", u->disabled, "roles",
			 roles, "created_at", jtime(u->created_at), "updated_at",
			 jtime(u->updated_at));
}

/* roles: [{"role":"receiver","unit":12}] — unit as an id or an identifier string */
static struct grant_input *
read_grants(struct hctx *h, size_t *n)
{
	json_t *arr = json_object_get(h->body, "roles");
	*n = json_array_size(arr);
	struct grant_input *g = arena_zalloc(h->c.arena, (*n + 1) * sizeof(*g));
	for (size_t i = 0; i < *n; i++) {
		json_t *o = json_array_get(arr, i);
		g[i].role = json_get_str(o, "role");
		json_t *u = json_object_get(o, "unit");
		g[i].unit = json_is_integer(u)
				? arena_printf(h->c.arena, "%lld", (long long)json_integer_value(u))
				: json_string_value(u);
	}
	return g;
}

static int
reply_user(struct hctx *h, int status, int64_t id)
{
	struct user_rec u;
	if (user_get(&h->c, id, &u, &h->e) < 0)
		return -1;
	return reply_json(h, status, user_json(&u));
}

int
h_users_list(struct hctx *h)
{
	struct user_rec *u;
	size_t n;
	if (user_list(&h->c, &u, &n, &h->e) < 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, user_json(&u[i]));
	return reply_json(h, 200, jlist(items, NULL));
}

int
h_users_create(struct hctx *h)
{
	struct user_input in;
	memset(&in, 0, sizeof(in));
	in.username = json_get_str(h->body, "username");
	in.full_name = json_get_str(h->body, "full_name");
	in.email = json_get_str(h->body, "email");
	in.phone = json_get_str(h->body, "phone");
	in.password = json_get_str(h->body, "password");
	in.grants = read_grants(h, &in.ngrants);
	int64_t id;
	if (user_create(&h->c, &in, &id, &h->e) < 0)
		return -1;
	return reply_user(h, 201, id);
}

int
h_users_get(struct hctx *h)
{
	int64_t id = param_id(h, 0);
	struct user_rec u;
	if (id < 0 || user_show(&h->c, id, &u, &h->e) < 0)
		return -1;
	return reply_json(h, 200, user_json(&u));
}

int
h_users_update(struct hctx *h)
{
	int64_t id = param_id(h, 0);
	if (id < 0)
		return -1;
	static const struct {
		const char *key;
		unsigned bit;
	} map[] = {{"full_name", USER_SET_FULL_NAME}, {"email", USER_SET_EMAIL},
		   {"phone", USER_SET_PHONE},	      {"password", USER_SET_PASSWORD},
		   {"disabled", USER_SET_DISABLED},   {"roles", USER_SET_GRANTS}};
	struct user_input in;
	memset(&in, 0, sizeof(in));
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (json_object_get(h->body, map[i].key))
			in.set |= map[i].bit;
	if (!in.set)
		return err_set(&h->e, ERR_VALIDATION, "body", "Không có gì để cập nhật",
			       "nothing to update");
	in.full_name = json_get_str(h->body, "full_name");
	in.email = json_get_str(h->body, "email");
	in.phone = json_get_str(h->body, "phone");
	in.password = json_get_str(h->body, "password");
	in.disabled = json_get_bool(h->body, "disabled", 0);
	in.grants = read_grants(h, &in.ngrants);
	if (user_update(&h->c, id, &in, &h->e) < 0)
		return -1;
	return reply_user(h, 200, id);
}
