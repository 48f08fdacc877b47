#include "domain/role.h"

#include <string.h>

static const struct {
	const char *name;
	const char *label_vi;
} roles[ROLE__MAX] = {
    [ROLE_ADMIN] = {"admin", "Quản trị hệ thống"},
    [ROLE_RECEIVER] = {"receiver", "Cán bộ một cửa"},
    [ROLE_SPECIALIST] = {"specialist", "Chuyên viên thụ lý"},
    [ROLE_DEPT_HEAD] = {"dept_head", "Lãnh đạo phòng"},
    [ROLE_LEADER] = {"leader", "Lãnh đạo cơ quan"},
    [ROLE_CLERK] = {"clerk", "Văn thư"},
    [ROLE_CASHIER] = {"cashier", "Kế toán, thu phí"},
    [ROLE_UNIT_ADMIN] = {"unit_admin", "Quản trị đơn vị"},
    [ROLE_INSPECTOR] = {"inspector", "Thanh tra cải cách hành chính"},
    [ROLE_AUDITOR] = {"auditor", "Kiểm toán (chỉ xem)"},
};

const char *
role_name(enum role r)
{
	return (unsigned)r < ROLE__MAX ? roles[r].name : "unknown";
}

const char *
role_label_vi(enum role r)
{
	return (unsigned)r < ROLE__MAX ? roles[r].label_vi : "";
}

int
role_parse(const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < ROLE__MAX; i++)
		if (strcmp(roles[i].name, s) == 0)
			return i;
	return -1;
}

int
role_implies(enum role have, enum role need)
{
	if (have == need)
		return 1;
	/* The system administrator administers every unit; nothing else is implied, so an
	 * administrator does not receive or approve dossiers (separation of duties). */
	return have == ROLE_ADMIN && need == ROLE_UNIT_ADMIN;
}

int
role_path_covers(const char *grant_path, const char *target_path)
{
	if (!grant_path || !target_path)
		return 0;
	size_t n = strlen(grant_path);
	return n > 0 && strncmp(grant_path, target_path, n) == 0;
}
