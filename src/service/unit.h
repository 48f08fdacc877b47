/*
 * unit.h: the tree of administrative units (province > commune, province > department,
 * or the older province > district > commune), effective-dated, with aliases from old units
 * to new ones. A unit's path ("/1/7/23/") never changes once created, so it is cached for
 * the life of the process and authorization checks cost no query.
 */
#ifndef MOTCUA_UNIT_H
#define MOTCUA_UNIT_H

#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

struct unit_rec {
	int64_t id;
	int64_t parent_id; /* 0 for the root */
	int depth;
	const char *path;
	const char *code; /* NULL when none */
	const char *name;
	const char *kind;
	const char *effective_from; /* YYYY-MM-DD or NULL */
	const char *effective_to;
	int64_t created_at, updated_at;
};

struct unit_alias_rec {
	int64_t id, unit_id;
	const char *old_code, *old_name, *since, *note;
};

struct unit_input {
	int64_t parent_id; /* 0: a new root (only when the tree is empty) */
	const char *name;
	const char *kind;
	const char *code;
	const char *effective_from;
	const char *effective_to;
	unsigned set; /* for updates: which fields are present (UNIT_SET_*) */
};

#define UNIT_SET_NAME (1u << 0)
#define UNIT_SET_CODE (1u << 1)
#define UNIT_SET_KIND (1u << 2)
#define UNIT_SET_FROM (1u << 3)
#define UNIT_SET_TO   (1u << 4)

/* unit_kind_valid: 1 for the known kinds (province, commune, district, department,
 * service_centre, office, ministry). unit_code_valid: QCVN 102 shape "000.00.13.G04". */
int unit_kind_valid(const char *kind);
int unit_code_valid(const char *code);

/* unit_list: every unit, parents before children (by depth, then id), in ctx->arena. */
int unit_list(const struct ctx *c, struct unit_rec **out, size_t *n, struct err *e);
/* unit_get: one unit by id (ERR_NOT_FOUND). */
int unit_get(const struct ctx *c, int64_t id, struct unit_rec *out, struct err *e);
/* unit_aliases: the aliases of a unit (or all when unit_id is 0). */
int unit_aliases(const struct ctx *c, int64_t unit_id, struct unit_alias_rec **out, size_t *n,
		 struct err *e);
/* unit_create: admin at the parent; audited. */
int unit_create(const struct ctx *c, const struct unit_input *in, int64_t *id, struct err *e);
/* unit_update: rename, recode, close (effective_to); admin over the unit; audited. */
int unit_update(const struct ctx *c, int64_t id, const struct unit_input *in, struct err *e);
/* unit_alias_add: record that an old unit (code and/or name) lives on as unit id. */
int unit_alias_add(const struct ctx *c, int64_t id, const char *old_code, const char *old_name,
		   const char *since, const char *note, int64_t *alias_id, struct err *e);
/* unit_resolve: "root", a numeric id, a unit code, or an alias's old code → unit id. */
int unit_resolve(const struct ctx *c, const char *ref, int64_t *id, struct err *e);
/* unit_path: the cached path of a unit into out. -1 when the unit does not exist. */
int unit_path(const struct ctx *c, int64_t id, char *out, size_t cap);
/* unit_count: how many units exist (0 on a fresh database). */
int64_t unit_count(const struct ctx *c);

#endif
