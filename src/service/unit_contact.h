/*
 * unit_contact.h: the hotline (đường dây nóng) and feedback e-mail each unit publishes for
 * citizens' feedback (domain.md §11). One optional row per unit (unit_contact), set by the
 * unit's administrator (unit_admin over the unit, or the system administrator) and audited;
 * anyone may read them. Numbers are stored normalised to their digits ("+84 258 3822 000" ->
 * "02583822000").
 */
#ifndef MOTCUA_UNIT_CONTACT_H
#define MOTCUA_UNIT_CONTACT_H

#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

#define UNIT_HOTLINE_MAX 16 /* the longest valid number (11 digits) and NUL, with room */

struct unit_contact {
	int64_t unit_id;
	const char *hotline, *email; /* NULL when not set */
	int64_t updated_at;	     /* 0 when never set */
};

/* A unit as the public sees it: who it is and how to reach it with feedback. */
struct unit_public {
	int64_t id, parent_id; /* parent 0 for the root */
	const char *code, *name, *kind;
	const char *hotline, *email; /* NULL when not set */
};

/* unit_hotline_normalise: a Vietnamese telephone number as people write it (spaces, dots and
 * hyphens between digits, "+84" for the leading 0) into its digits: a mobile number (10
 * digits, 03/05/07/08/09), a fixed line with its area code (11 digits, 02...), a 1800 or
 * 1900 number (8 or 10 digits) or a 4-digit short number (1xxx, such as 1022). 0, or -1 when
 * it is none of these. */
int unit_hotline_normalise(const char *in, char out[UNIT_HOTLINE_MAX]);

/* unit_contact_get: a unit's hotline and e-mail (NULLs when not set); ERR_NOT_FOUND for a
 * unit that does not exist. No login needed. */
int unit_contact_get(const struct ctx *c, int64_t unit_id, struct unit_contact *out, struct err *e);
/* unit_contact_set: replace both (NULL or "" clears one). ERR_VALIDATION naming "hotline" or
 * "email" for a bad value; unit_admin over the unit; audited as "unit.contact". */
int unit_contact_set(const struct ctx *c, int64_t unit_id, const char *hotline, const char *email,
		     struct err *e);
/* unit_contact_list: the units of a subtree (0: all) that are not closed, parents before
 * children, with their hotline and e-mail, in c->arena. No login needed. */
int unit_contact_list(const struct ctx *c, int64_t unit_id, struct unit_public **out, size_t *n,
		      struct err *e);

#endif
