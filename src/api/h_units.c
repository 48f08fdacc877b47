/* h_units.c: the unit tree. */
#include "api/handlers.h"
#include "service/unit.h"

#include <stdlib.h>
#include <string.h>

int h_units_list(struct hctx *h);
int h_units_create(struct hctx *h);
int h_units_get(struct hctx *h);
int h_units_update(struct hctx *h);
int h_units_alias(struct hctx *h);

static json_t *
unit_json(const struct unit_rec *u)
{
	json_t *o = json_pack("{s:I,s:o,s:o,s:s,s:s,s:i,s:o,s:o,s:b}", "id", (json_int_t)u->id,
			      "parent_id", u->parent_id ? json_integer(u->parent_id) : json_null(),
			      "code", jstr(u->code), "name", u->name, "kind", u->kind, "depth",
			      u->depth, "effective_from", jstr(u->effective_from), "effective_to",
			      jstr(u->effective_to), "closed", u->effective_to != NULL);
	return o;
}

static json_t *
alias_json(const struct unit_alias_rec *a)
{
	return json_pack("{s:I,s:I,s:o,s:s,s:o,s:o}", "id", (json_int_t)a->id, "unit_id",
			 (json_int_t)a->unit_id, "old_code", jstr(a->old_code), "old_name",
			 a->old_name, "since", jstr(a->since), "note", jstr(a->note));
}

int
h_units_list(struct hctx *h)
{
	struct unit_rec *u;
	size_t n;
	if (unit_list(&h->c, &u, &n, &h->e) < 0)
		return -1;
	/* ?flat=1 gives a list; the default is the tree, children nested under "children".
	 * Units come ordered by depth, so a parent always precedes its children. */
	const char *flat = query(h, "flat");
	json_t **nodes = arena_zalloc(h->c.arena, (n + 1) * sizeof(*nodes));
	json_t *roots = json_array();
	for (size_t i = 0; i < n; i++) {
		nodes[i] = unit_json(&u[i]);
		if (flat && strcmp(flat, "1") == 0) {
			json_array_append_new(roots, nodes[i]);
			continue;
		}
		json_object_set_new(nodes[i], "children", json_array());
		size_t p = i;
		while (p-- > 0)
			if (u[p].id == u[i].parent_id)
				break;
		if (u[i].parent_id && p < i)
			json_array_append_new(json_object_get(nodes[p], "children"), nodes[i]);
		else
			json_array_append_new(roots, nodes[i]);
	}
	return reply_json(h, 200, jlist(roots, NULL));
}

static void
read_input(struct hctx *h, struct unit_input *in)
{
	static const struct {
		const char *key;
		unsigned bit;
		size_t off;
	} map[] = {
	    {"name", UNIT_SET_NAME, offsetof(struct unit_input, name)},
	    {"code", UNIT_SET_CODE, offsetof(struct unit_input, code)},
	    {"kind", UNIT_SET_KIND, offsetof(struct unit_input, kind)},
	    {"effective_from", UNIT_SET_FROM, offsetof(struct unit_input, effective_from)},
	    {"effective_to", UNIT_SET_TO, offsetof(struct unit_input, effective_to)},
	};
	memset(in, 0, sizeof(*in));
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		json_t *v = json_object_get(h->body, map[i].key);
		if (!v)
			continue;
		in->set |= map[i].bit;
		*(const char **)((char *)in + map[i].off) = json_string_value(v); /* NULL if null */
	}
	in->parent_id = json_get_int(h->body, "parent_id", 0);
}

int
h_units_create(struct hctx *h)
{
	struct unit_input in;
	int64_t id;
	read_input(h, &in);
	if (!in.parent_id)
		return err_set(&h->e, ERR_VALIDATION, "parent_id", "Thiếu đơn vị cấp trên",
			       "parent_id is required");
	if (unit_create(&h->c, &in, &id, &h->e) < 0)
		return -1;
	struct unit_rec u;
	if (unit_get(&h->c, id, &u, &h->e) < 0)
		return -1;
	return reply_json(h, 201, unit_json(&u));
}

int
h_units_get(struct hctx *h)
{
	int64_t id = param_id(h, 0);
	struct unit_rec u;
	if (id < 0 || unit_get(&h->c, id, &u, &h->e) < 0)
		return -1;
	struct unit_alias_rec *a;
	size_t n;
	if (unit_aliases(&h->c, id, &a, &n, &h->e) < 0)
		return -1;
	json_t *o = unit_json(&u);
	json_t *aliases = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(aliases, alias_json(&a[i]));
	json_object_set_new(o, "aliases", aliases);
	return reply_json(h, 200, o);
}

int
h_units_update(struct hctx *h)
{
	int64_t id = param_id(h, 0);
	struct unit_input in;
	if (id < 0)
		return -1;
	read_input(h, &in);
	if (json_object_get(h->body, "parent_id"))
		return err_set(&h->e, ERR_VALIDATION, "parent_id",
			       "Không thể chuyển đơn vị sang cấp trên khác; hãy tạo đơn vị mới và "
			       "khai báo bí danh",
			       "units cannot move; create a new unit and record an alias");
	if (in.set == 0)
		return err_set(&h->e, ERR_VALIDATION, "body", "Không có gì để cập nhật",
			       "nothing to update");
	if (unit_update(&h->c, id, &in, &h->e) < 0)
		return -1;
	struct unit_rec u;
	if (unit_get(&h->c, id, &u, &h->e) < 0)
		return -1;
	return reply_json(h, 200, unit_json(&u));
}

int
h_units_alias(struct hctx *h)
{
	int64_t id = param_id(h, 0), alias_id;
	if (id < 0)
		return -1;
	if (unit_alias_add(&h->c, id, json_get_str(h->body, "old_code"),
			   json_get_str(h->body, "old_name"), json_get_str(h->body, "since"),
			   json_get_str(h->body, "note"), &alias_id, &h->e) < 0)
		return -1;
	struct unit_alias_rec a = {alias_id,
				   id,
				   json_get_str(h->body, "old_code"),
				   json_get_str(h->body, "old_name"),
				   json_get_str(h->body, "since"),
				   json_get_str(h->body, "note")};
	return reply_json(h, 201, alias_json(&a));
}
