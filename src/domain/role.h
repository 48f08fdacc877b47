/*
 * role.h: the closed set of staff roles (domain.md §3.2), each granted per unit. A grant at a
 * unit covers that unit's whole subtree. Some roles include others (role_implies): the system
 * administrator may do what a unit administrator does.
 */
#ifndef MOTCUA_ROLE_H
#define MOTCUA_ROLE_H

enum role {
	ROLE_ADMIN,	 /* quản trị hệ thống */
	ROLE_RECEIVER,	 /* cán bộ một cửa */
	ROLE_SPECIALIST, /* chuyên viên thụ lý */
	ROLE_DEPT_HEAD,	 /* lãnh đạo phòng */
	ROLE_LEADER,	 /* lãnh đạo cơ quan / Chủ tịch UBND */
	ROLE_CLERK,	 /* văn thư */
	ROLE_CASHIER,	 /* kế toán / thu phí */
	ROLE_UNIT_ADMIN, /* quản trị đơn vị */
	ROLE_INSPECTOR,	 /* thanh tra Sở Nội vụ (PAR) */
	ROLE_AUDITOR,	 /* kiểm toán, chỉ đọc */
	ROLE__MAX
};

/* role_name: "admin", "receiver", ...; role_label_vi: the Vietnamese title. */
const char *role_name(enum role r);
const char *role_label_vi(enum role r);
/* role_parse: the role named s, or -1. */
int role_parse(const char *s);
/* role_implies: 1 when holding `have` grants what `need` grants (same unit scope). */
int role_implies(enum role have, enum role need);
/* role_path_covers: 1 when a grant at the unit with path `grant_path` ("/1/7/") covers the
 * unit with path `target_path` (the same unit or a descendant). */
int role_path_covers(const char *grant_path, const char *target_path);

#endif
