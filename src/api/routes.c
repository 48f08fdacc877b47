/*
 * routes.c: the route table — method, path, handler, flags, body schema — read by one loop
 * in api.c, and checked against docs/api/openapi.yaml by the API tests (`motcua routes`).
 */
#include "api/handlers.h"

/* handlers, defined in h_*.c */
int h_health(struct hctx *h);
int h_openapi(struct hctx *h);
int h_login(struct hctx *h);
int h_logout(struct hctx *h);
int h_me(struct hctx *h);
int h_tokens_list(struct hctx *h);
int h_tokens_create(struct hctx *h);
int h_tokens_revoke(struct hctx *h);
int h_units_list(struct hctx *h);
int h_units_create(struct hctx *h);
int h_units_get(struct hctx *h);
int h_units_update(struct hctx *h);
int h_units_alias(struct hctx *h);
int h_users_list(struct hctx *h);
int h_users_create(struct hctx *h);
int h_users_get(struct hctx *h);
int h_users_update(struct hctx *h);

static const char *const unit_kinds[] = {"province",	   "commune", "district", "department",
					 "service_centre", "office",  "ministry", NULL};

static const struct vfield login_schema[] = {
    {"username", VT_STRING, VF_REQUIRED, 1, 64, NULL, VT__MAX, NULL},
    {"password", VT_STRING, VF_REQUIRED, 1, 128, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const struct vfield token_schema[] = {
    {"name", VT_STRING, VF_REQUIRED, 1, 100, NULL, VT__MAX, NULL},
    {"expires_at", VT_DATETIME, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const struct vfield unit_create_schema[] = {
    {"parent_id", VT_INT, VF_REQUIRED, 1, INT64_MAX, NULL, VT__MAX, NULL},
    {"name", VT_STRING, VF_REQUIRED, 1, 200, NULL, VT__MAX, NULL},
    {"kind", VT_STRING, VF_REQUIRED, 1, 32, NULL, VT__MAX, unit_kinds},
    {"code", VT_STRING, VF_NULLABLE, 13, 13, NULL, VT__MAX, NULL},
    {"effective_from", VT_DATE, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    {"effective_to", VT_DATE, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const struct vfield unit_update_schema[] = {
    {"parent_id", VT_INT, 0, 1, INT64_MAX, NULL, VT__MAX, NULL},
    {"name", VT_STRING, 0, 1, 200, NULL, VT__MAX, NULL},
    {"kind", VT_STRING, 0, 1, 32, NULL, VT__MAX, unit_kinds},
    {"code", VT_STRING, VF_NULLABLE, 13, 13, NULL, VT__MAX, NULL},
    {"effective_from", VT_DATE, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    {"effective_to", VT_DATE, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const struct vfield unit_alias_schema[] = {
    {"old_code", VT_STRING, VF_NULLABLE, 13, 13, NULL, VT__MAX, NULL},
    {"old_name", VT_STRING, VF_REQUIRED, 1, 200, NULL, VT__MAX, NULL},
    {"since", VT_DATE, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    {"note", VT_STRING, VF_NULLABLE, 0, 500, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const char *const role_names[] = {"admin",     "receiver", "specialist", "dept_head",
					 "leader",    "clerk",	  "cashier",	"unit_admin",
					 "inspector", "auditor",  NULL};

static const struct vfield grant_schema[] = {
    {"role", VT_STRING, VF_REQUIRED, 1, 32, NULL, VT__MAX, role_names},
    {"unit", VT_REF, VF_REQUIRED, 0, 0, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const struct vfield user_create_schema[] = {
    {"username", VT_STRING, VF_REQUIRED, 3, 64, NULL, VT__MAX, NULL},
    {"full_name", VT_STRING, VF_REQUIRED, 1, 160, NULL, VT__MAX, NULL},
    {"email", VT_STRING, VF_NULLABLE, 3, 254, NULL, VT__MAX, NULL},
    {"phone", VT_STRING, VF_NULLABLE, 3, 20, NULL, VT__MAX, NULL},
    {"password", VT_STRING, VF_REQUIRED, 8, 128, NULL, VT__MAX, NULL},
    {"roles", VT_ARRAY, 0, 0, 32, grant_schema, VT_OBJECT, NULL},
    VFIELD_END,
};

static const struct vfield user_update_schema[] = {
    {"full_name", VT_STRING, 0, 1, 160, NULL, VT__MAX, NULL},
    {"email", VT_STRING, VF_NULLABLE, 3, 254, NULL, VT__MAX, NULL},
    {"phone", VT_STRING, VF_NULLABLE, 3, 20, NULL, VT__MAX, NULL},
    {"password", VT_STRING, 0, 8, 128, NULL, VT__MAX, NULL},
    {"disabled", VT_BOOL, 0, 0, 0, NULL, VT__MAX, NULL},
    {"roles", VT_ARRAY, 0, 0, 32, grant_schema, VT_OBJECT, NULL},
    VFIELD_END,
};

const struct route api_routes[] = {
    {M_GET, "/api/v1/health", h_health, R_PUBLIC | R_NO_SESSION, NULL},
    {M_GET, "/api/v1/openapi.yaml", h_openapi, R_PUBLIC | R_NO_SESSION, NULL},
    {M_POST, "/api/v1/auth/login", h_login, R_PUBLIC | R_NO_SESSION | R_BODY, login_schema},
    {M_POST, "/api/v1/auth/logout", h_logout, 0, NULL},
    {M_GET, "/api/v1/auth/me", h_me, 0, NULL},
    {M_GET, "/api/v1/auth/tokens", h_tokens_list, 0, NULL},
    {M_POST, "/api/v1/auth/tokens", h_tokens_create, R_BODY, token_schema},
    {M_DELETE, "/api/v1/auth/tokens/{id}", h_tokens_revoke, 0, NULL},
    {M_GET, "/api/v1/units", h_units_list, R_PUBLIC, NULL},
    {M_POST, "/api/v1/units", h_units_create, R_BODY, unit_create_schema},
    {M_GET, "/api/v1/units/{id}", h_units_get, R_PUBLIC, NULL},
    {M_PATCH, "/api/v1/units/{id}", h_units_update, R_BODY, unit_update_schema},
    {M_POST, "/api/v1/units/{id}/aliases", h_units_alias, R_BODY, unit_alias_schema},
    {M_GET, "/api/v1/users", h_users_list, 0, NULL},
    {M_POST, "/api/v1/users", h_users_create, R_BODY, user_create_schema},
    {M_GET, "/api/v1/users/{id}", h_users_get, 0, NULL},
    {M_PATCH, "/api/v1/users/{id}", h_users_update, R_BODY, user_update_schema},
};

const int api_nroutes = sizeof(api_routes) / sizeof(api_routes[0]);
