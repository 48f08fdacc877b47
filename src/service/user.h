/*
 * user.h: staff accounts and their roles per unit. An admin manages everyone; a unit
 * administrator manages the users whose roles lie inside their subtree and may grant any role
 * there but admin. Every change is audited and evicts the user's cached sessions.
 */
#ifndef MOTCUA_USER_H
#define MOTCUA_USER_H

#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

struct grant_input {
	const char *role; /* role name */
	const char *unit; /* unit reference: id, identifier or "root" (unit_resolve) */
};

struct user_input {
	const char *username;
	const char *full_name;
	const char *email;
	const char *phone;
	const char *password;
	int disabled;
	const struct grant_input *grants;
	size_t ngrants;
	unsigned set; /* for updates: USER_SET_* */
};

#define USER_SET_FULL_NAME (1u << 0)
#define USER_SET_EMAIL	   (1u << 1)
#define USER_SET_PHONE	   (1u << 2)
#define USER_SET_PASSWORD  (1u << 3)
#define USER_SET_DISABLED  (1u << 4)
#define USER_SET_GRANTS	   (1u << 5)

struct user_grant_rec {
	const char *role;
	int64_t unit_id;
	const char *unit_name;
};

struct user_rec {
	int64_t id;
	const char *username, *full_name, *email, *phone;
	int disabled;
	int64_t created_at, updated_at;
	struct user_grant_rec *grants;
	size_t ngrants;
};

/* user_password_ok: the password policy (8..128 characters, not all one class). */
int user_password_ok(const char *password, struct err *e);

int user_create(const struct ctx *c, const struct user_input *in, int64_t *id, struct err *e);
int user_update(const struct ctx *c, int64_t id, const struct user_input *in, struct err *e);
int user_get(const struct ctx *c, int64_t id, struct user_rec *out, struct err *e);
/* user_show: user_get for an actor who may manage the user, or the user themself. */
int user_show(const struct ctx *c, int64_t id, struct user_rec *out, struct err *e);
/* user_list: the users the actor may manage. */
int user_list(const struct ctx *c, struct user_rec **out, size_t *n, struct err *e);
/* user_find: the id of a username (ERR_NOT_FOUND). */
int user_find(const struct ctx *c, const char *username, int64_t *id, struct err *e);
/* user_grant: add one role at one unit (idempotent). */
int user_grant(const struct ctx *c, int64_t id, const struct grant_input *g, struct err *e);

#endif
