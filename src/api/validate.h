/*
 * validate.h: request bodies checked against a declared schema before a handler runs (as
 * Kore's validators and kcgi's kvalid do). A schema is a static table of fields; unknown
 * fields are rejected, strings must be valid UTF-8 and are trimmed and normalised to NFC in
 * place, lengths count code points. Errors name the field by its path ("roles[1].unit").
 */
#ifndef MOTCUA_VALIDATE_H
#define MOTCUA_VALIDATE_H

#include <stdint.h>

#include "core/err.h"
#include "core/json.h"

/* VT_REF: a reference to a record, as a positive integer id or a non-empty string code. */
enum vtype {
	VT_STRING,
	VT_INT,
	VT_BOOL,
	VT_OBJECT,
	VT_ARRAY,
	VT_DATE,
	VT_DATETIME,
	VT_REF,
	VT__MAX
};

#define VF_REQUIRED (1u << 0)
#define VF_NULLABLE (1u << 1)

struct vfield {
	const char *name;
	enum vtype type;
	unsigned flags;
	int64_t min, max;	     /* string: code points; int: value; array: item count */
	const struct vfield *fields; /* VT_OBJECT, or the items of a VT_ARRAY of objects */
	enum vtype item;	     /* VT_ARRAY: the item type (VT_OBJECT uses fields) */
	const char *const *choices;  /* VT_STRING: the allowed values, NULL-terminated */
};

#define VFIELD_END                                                                                 \
	{                                                                                          \
		NULL, VT__MAX, 0, 0, 0, NULL, VT__MAX, NULL                                        \
	}

/* validate_object: check obj against schema; 0 or -1 with e (ERR_VALIDATION). */
int validate_object(json_t *obj, const struct vfield *schema, const char *prefix, struct err *e);

/* vtype_name: "string", "integer", ... for messages and the OpenAPI check. */
const char *vtype_name(enum vtype t);

#endif
