#include "service/demo.h"
#include "crypto/crypto.h"
#include "service/unit.h"
#include "service/user.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The names are real places of Khánh Hòa after the 2025 merger, used for illustration. */
static const struct {
	const char *key, *parent, *name, *kind, *code;
} demo_units[] = {
    {"tinh", NULL, "Ủy ban nhân dân tỉnh Khánh Hòa", "province", "000.00.00.H34"},
    {"ttpvhcc", "tinh", "Trung tâm Phục vụ hành chính công tỉnh Khánh Hòa", "service_centre",
     "000.00.01.H34"},
    {"stp", "tinh", "Sở Tư pháp", "department", "000.00.02.H34"},
    {"sxd", "tinh", "Sở Xây dựng", "department", "000.00.03.H34"},
    {"snnmt", "tinh", "Sở Nông nghiệp và Môi trường", "department", "000.00.04.H34"},
    {"stc", "tinh", "Sở Tài chính", "department", "000.00.05.H34"},
    {"nhatrang", "tinh", "Ủy ban nhân dân phường Nha Trang", "commune", "001.01.00.H34"},
    {"bacnhatrang", "tinh", "Ủy ban nhân dân phường Bắc Nha Trang", "commune", "002.01.00.H34"},
    {"camranh", "tinh", "Ủy ban nhân dân phường Cam Ranh", "commune", "003.01.00.H34"},
    {"phanrang", "tinh", "Ủy ban nhân dân phường Phan Rang", "commune", "004.01.00.H34"},
    {"dienkhanh", "tinh", "Ủy ban nhân dân xã Diên Khánh", "commune", "005.01.00.H34"},
    {"vanninh", "tinh", "Ủy ban nhân dân xã Vạn Ninh", "commune", "006.01.00.H34"},
};
#define NUNITS (sizeof(demo_units) / sizeof(demo_units[0]))

static const struct {
	const char *username, *full_name, *role, *unit;
} demo_users[] = {
    {"admin", "Quản trị hệ thống", "admin", "tinh"},
    {"ld.tinh", "Trần Văn Quang", "leader", "tinh"},
    {"tn.tinh", "Nguyễn Thị Thu Hà", "receiver", "ttpvhcc"},
    {"kt.tinh", "Lê Thị Kim Oanh", "cashier", "ttpvhcc"},
    {"cv.tuphap", "Phạm Minh Đức", "specialist", "stp"},
    {"tp.tuphap", "Võ Thị Ngọc Ánh", "dept_head", "stp"},
    {"vt.tuphap", "Đặng Thị Hồng Nhung", "clerk", "stp"},
    {"qt.tuphap", "Huỳnh Công Thành", "unit_admin", "stp"},
    {"tn.nhatrang", "Bùi Thị Phương Thảo", "receiver", "nhatrang"},
    {"cv.nhatrang", "Ngô Quốc Huy", "specialist", "nhatrang"},
    {"ld.nhatrang", "Đỗ Văn Hải", "leader", "nhatrang"},
    {"tn.camranh", "Trương Thị Mỹ Linh", "receiver", "camranh"},
    {"cv.camranh", "Lý Hoàng Nam", "specialist", "camranh"},
    {"ld.camranh", "Phan Thanh Tùng", "leader", "camranh"},
    {"thanhtra", "Hoàng Thị Lan", "inspector", "tinh"},
    {"kiemtoan", "Mai Xuân Trường", "auditor", "tinh"},
};
#define NUSERS (sizeof(demo_users) / sizeof(demo_users[0]))

static void
demo_password(char out[32])
{
	/* readable at a counter: no 0/O or 1/l/I; always letters and digits */
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
	char digits[5], tok[CRYPTO_TOKEN_LEN + 1];
	crypto_random_digits(digits, 4);
	crypto_token(tok);
	int o = 0;
	for (int i = 0; i < 8; i++)
		out[o++] = alphabet[(unsigned char)tok[i] % (sizeof(alphabet) - 1)];
	out[o++] = '-';
	memcpy(out + o, digits, 4);
	o += 4;
	out[o] = '\0';
}

int
demo_load(const struct ctx *c, struct demo_login *logins, size_t *n, struct err *e)
{
	*n = 0;
	if (unit_count(c) != 0)
		return err_set(e, ERR_CONFLICT, "",
			       "Cơ sở dữ liệu đã có đơn vị; không nạp dữ liệu mẫu",
			       "the database already has units; demo not loaded");
	int64_t ids[NUNITS] = {0};
	for (size_t i = 0; i < NUNITS; i++) {
		struct unit_input in = {0};
		for (size_t p = 0; demo_units[i].parent && p < i; p++)
			if (strcmp(demo_units[p].key, demo_units[i].parent) == 0)
				in.parent_id = ids[p];
		in.name = demo_units[i].name;
		in.kind = demo_units[i].kind;
		in.code = demo_units[i].code;
		in.effective_from = "2025-07-01";
		if (unit_create(c, &in, &ids[i], e) < 0)
			return -1;
	}
	/* The old district-level people's committee of Cam Ranh lives on as the ward. */
	for (size_t i = 0; i < NUNITS; i++)
		if (strcmp(demo_units[i].key, "camranh") == 0 &&
		    unit_alias_add(c, ids[i], "000.03.00.H34", "Ủy ban nhân dân thành phố Cam Ranh",
				   "2025-07-01", "Sắp xếp đơn vị hành chính 2025", NULL, e) < 0)
			return -1;
	for (size_t i = 0; i < NUSERS && *n < DEMO_MAX_LOGINS; i++) {
		struct demo_login *l = &logins[(*n)++];
		char unit_ref[24] = "";
		for (size_t u = 0; u < NUNITS; u++)
			if (strcmp(demo_units[u].key, demo_users[i].unit) == 0) {
				snprintf(unit_ref, sizeof(unit_ref), "%" PRId64, ids[u]);
				snprintf(l->unit, sizeof(l->unit), "%s", demo_units[u].name);
			}
		demo_password(l->password);
		snprintf(l->username, sizeof(l->username), "%s", demo_users[i].username);
		snprintf(l->role, sizeof(l->role), "%s", demo_users[i].role);
		struct grant_input g = {demo_users[i].role, unit_ref};
		struct user_input in = {.username = demo_users[i].username,
					.full_name = demo_users[i].full_name,
					.password = l->password,
					.grants = &g,
					.ngrants = 1};
		int64_t id;
		if (user_create(c, &in, &id, e) < 0)
			return -1;
	}
	return 0;
}
