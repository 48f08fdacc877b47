#include "api/validate.h"
#include "core/civil.h"
#include "core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *vtype_names[VT__MAX] = {
    [VT_STRING] = "string",	 [VT_INT] = "integer",	  [VT_BOOL] = "boolean",
    [VT_OBJECT] = "object",	 [VT_ARRAY] = "array",	  [VT_DATE] = "date",
    [VT_DATETIME] = "date-time", [VT_REF] = "id or code",
};
static const char *vtype_vi[VT__MAX] = {
    [VT_STRING] = "chuỗi",
    [VT_INT] = "số nguyên",
    [VT_BOOL] = "true/false",
    [VT_OBJECT] = "đối tượng",
    [VT_ARRAY] = "danh sách",
    [VT_DATE] = "ngày YYYY-MM-DD",
    [VT_DATETIME] = "thời điểm RFC 3339",
    [VT_REF] = "mã số hoặc mã định danh",
};

const char *
vtype_name(enum vtype t)
{
	return (unsigned)t < VT__MAX ? vtype_names[t] : "?";
}

static int
wrong_type(const char *path, enum vtype t, struct err *e)
{
	char vi[64], en[64];
	snprintf(vi, sizeof(vi), "Phải là %s", vtype_vi[t]);
	snprintf(en, sizeof(en), "must be %s", vtype_names[t]);
	return err_set(e, ERR_VALIDATION, path, vi, en);
}

static int check_value(json_t *v, const struct vfield *f, enum vtype t, const char *path,
		       struct err *e);

static int
check_string(json_t *v, const struct vfield *f, const char *path, struct err *e)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	if (strlen(s) != len || !text_utf8_valid(s, len))
		return err_set(e, ERR_VALIDATION, path, "Chuỗi không phải UTF-8 hợp lệ",
			       "string is not valid UTF-8");
	const char *start;
	size_t n = text_trim(s, &start);
	struct buf nfc = BUF_INIT(1 << 20);
	char *trimmed = strndup(start, n);
	if (!trimmed || text_nfc(trimmed, &nfc) < 0) {
		free(trimmed);
		buf_release(&nfc);
		return err_set(e, ERR_VALIDATION, path, "Chuỗi không hợp lệ", "invalid string");
	}
	free(trimmed);
	json_string_set(v, nfc.data ? nfc.data : "");
	buf_release(&nfc);
	s = json_string_value(v);
	size_t cps = text_utf8_len(s);
	if (f->min && (int64_t)cps < f->min) {
		if (f->min == 1)
			return err_set(e, ERR_VALIDATION, path, "Không được để trống",
				       "must not be empty");
		return err_setf(e, ERR_VALIDATION, path, "Cần ít nhất %lld ký tự",
				"must be at least %lld characters", (long long)f->min);
	}
	if (f->max && (int64_t)cps > f->max)
		return err_setf(e, ERR_VALIDATION, path, "Dài quá %lld ký tự",
				"must be at most %lld characters", (long long)f->max);
	if (f->choices) {
		for (const char *const *c = f->choices; *c; c++)
			if (strcmp(*c, s) == 0)
				return 0;
		char list[200] = "";
		size_t off = 0;
		for (const char *const *c = f->choices; *c && off < sizeof(list) - 1; c++) {
			int w = snprintf(list + off, sizeof(list) - off, "%s%s",
					 c == f->choices ? "" : ", ", *c);
			if (w < 0)
				break;
			off += (size_t)w;
		}
		return err_setf(e, ERR_VALIDATION, path, "Giá trị không hợp lệ; chọn một trong: %s",
				"invalid value; one of: %s", list);
	}
	return 0;
}

static int
check_value(json_t *v, const struct vfield *f, enum vtype t, const char *path, struct err *e)
{
	switch (t) {
	case VT_STRING:
		if (!json_is_string(v))
			return wrong_type(path, t, e);
		return check_string(v, f, path, e);
	case VT_DATE: {
		int64_t d;
		if (!json_is_string(v) || civil_parse_date(json_string_value(v), &d) < 0)
			return wrong_type(path, t, e);
		return 0;
	}
	case VT_DATETIME: {
		int64_t d;
		if (!json_is_string(v) || civil_parse_rfc3339(json_string_value(v), &d) < 0)
			return wrong_type(path, t, e);
		return 0;
	}
	case VT_INT: {
		if (!json_is_integer(v))
			return wrong_type(path, t, e);
		json_int_t n = json_integer_value(v);
		if ((f->min || f->max) && (n < f->min || n > f->max))
			return err_setf(e, ERR_VALIDATION, path, "Phải trong khoảng %lld đến %lld",
					"must be between %lld and %lld", (long long)f->min,
					(long long)f->max);
		return 0;
	}
	case VT_BOOL:
		return json_is_boolean(v) ? 0 : wrong_type(path, t, e);
	case VT_REF:
		if (json_is_integer(v) && json_integer_value(v) > 0)
			return 0;
		if (json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) <= 64)
			return check_string(v, f, path, e);
		return wrong_type(path, t, e);
	case VT_OBJECT:
		if (!json_is_object(v))
			return wrong_type(path, t, e);
		return f->fields ? validate_object(v, f->fields, path, e) : 0;
	case VT_ARRAY: {
		if (!json_is_array(v))
			return wrong_type(path, t, e);
		size_t n = json_array_size(v);
		if ((f->min && (int64_t)n < f->min) || (f->max && (int64_t)n > f->max))
			return err_setf(e, ERR_VALIDATION, path, "Cần từ %lld đến %lld phần tử",
					"must have %lld to %lld items", (long long)f->min,
					(long long)f->max);
		struct vfield item = {f->name, f->item, 0, 0, 0, f->fields, VT__MAX, f->choices};
		if (f->item == VT_STRING) { /* string items reuse the length limits of... none */
			item.min = 0;
			item.max = 2000;
		}
		for (size_t i = 0; i < n; i++) {
			char ipath[128];
			snprintf(ipath, sizeof(ipath), "%s[%zu]", path, i);
			if (check_value(json_array_get(v, i), &item, f->item, ipath, e) < 0)
				return -1;
		}
		return 0;
	}
	default:
		return err_set(e, ERR_INTERNAL, path, "Lược đồ không hợp lệ", "bad schema");
	}
}

int
validate_object(json_t *obj, const struct vfield *schema, const char *prefix, struct err *e)
{
	char path[128];
	const char *key;
	json_t *v;
	/* unknown fields first: a misspelt field must not pass as "missing" */
	json_object_foreach(obj, key, v)
	{
		const struct vfield *f = schema;
		while (f->name && strcmp(f->name, key) != 0)
			f++;
		if (!f->name) {
			/* an empty key still needs a name in the error */
			snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "",
				 *key ? key : "\"\"");
			return err_set(e, ERR_VALIDATION, path, "Trường không được hỗ trợ",
				       "unknown field");
		}
	}
	for (const struct vfield *f = schema; f->name; f++) {
		snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "", f->name);
		v = json_object_get(obj, f->name);
		if (!v) {
			if (f->flags & VF_REQUIRED)
				return err_set(e, ERR_VALIDATION, path, "Thiếu trường bắt buộc",
					       "required field is missing");
			continue;
		}
		if (json_is_null(v)) {
			if (f->flags & VF_NULLABLE)
				continue;
			if (f->flags & VF_REQUIRED)
				return err_set(e, ERR_VALIDATION, path, "Không được để trống",
					       "must not be null");
			return wrong_type(path, f->type, e);
		}
		if (check_value(v, f, f->type, path, e) < 0)
			return -1;
	}
	return 0;
}
