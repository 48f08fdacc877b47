/*
 * authz.c: the one authorization check. Every service call that acts on a unit's data asks
 * authz_require(ctx, role, unit) before it reads or writes; a grant covers its unit's subtree.
 */
#include "service/service.h"
#include "service/unit.h"

#include <stdio.h>
#include <string.h>

static int
actor_covers(const struct ctx *c, enum role role, int64_t unit_id, const char *target_path)
{
	const struct actor *a = c->actor;
	for (int i = 0; i < a->ngrants; i++) {
		const struct grant *g = &a->grants[i];
		if (!role_implies(g->role, role))
			continue;
		if (unit_id == 0 || g->unit_id == unit_id)
			return 1;
		if (target_path && role_path_covers(g->unit_path, target_path))
			return 1;
	}
	return 0;
}

int
authz_has(const struct ctx *c, enum role role, int64_t unit_id)
{
	if (!c->actor)
		return 0;
	if (c->actor->via == ACTOR_SYSTEM)
		return 1;
	char path[UNIT_PATH_MAX] = "";
	if (unit_id != 0 && unit_path(c, unit_id, path, sizeof(path)) < 0)
		return 0;
	return actor_covers(c, role, unit_id, path[0] ? path : NULL);
}

int
authz_require(const struct ctx *c, enum role role, int64_t unit_id, struct err *e)
{
	if (!c->actor)
		return err_set(e, ERR_UNAUTHENTICATED, "", "Cần đăng nhập", "login required");
	if (authz_has(c, role, unit_id))
		return 0;
	return err_setf(e, ERR_FORBIDDEN, "", "Bạn không có quyền “%s” tại đơn vị này",
			"you lack the role '%s' for this unit", role_label_vi(role));
}

void
actor_system(struct actor *a)
{
	memset(a, 0, sizeof(*a));
	a->via = ACTOR_SYSTEM;
	snprintf(a->username, sizeof(a->username), "%s", "system");
	snprintf(a->full_name, sizeof(a->full_name), "%s", "Hệ thống");
}
