/*
 * demo.h: the demo province (`motcua demo`, and the first `make run`): a post-2025 province
 * with its public-service centre, four departments and six communes, and one demo user for
 * every role, each with a fresh random password that is printed once.
 */
#ifndef MOTCUA_DEMO_H
#define MOTCUA_DEMO_H

#include <stddef.h>

#include "service/service.h"

#define DEMO_MAX_LOGINS 32

struct demo_login {
	char username[64];
	char password[32];
	char role[32];
	char unit[160];
};

/* demo_load: create the demo province in an empty database (ERR_CONFLICT when units exist).
 * Fills logins with what to print. */
int demo_load(const struct ctx *c, struct demo_login *logins, size_t *n, struct err *e);

#endif
