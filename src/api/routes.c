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
int h_dossiers_intake(struct hctx *h);
int h_public_submit(struct hctx *h);
int h_dossiers_list(struct hctx *h);
int h_dossiers_get(struct hctx *h);
int h_dossiers_act(struct hctx *h);
int h_dossier_postal(struct hctx *h);
int h_public_act(struct hctx *h);
int h_dossiers_due(struct hctx *h);
int h_lookup(struct hctx *h);
int h_calendar_get(struct hctx *h);
int h_calendar_put(struct hctx *h);
int h_calendar_due(struct hctx *h);
int h_unit_hours_get(struct hctx *h);
int h_unit_hours_put(struct hctx *h);
int h_procedures_list(struct hctx *h);
int h_procedures_get(struct hctx *h);
int h_procedures_versions(struct hctx *h);
int h_procedures_diff(struct hctx *h);
int h_procedures_create(struct hctx *h);
int h_procedures_import(struct hctx *h);
int h_fields_list(struct hctx *h);
int h_outbox_list(struct hctx *h);
int h_outbox_retry(struct hctx *h);
int h_webhooks_list(struct hctx *h);
int h_webhooks_create(struct hctx *h);
int h_public_feedback_submit(struct hctx *h);
int h_public_feedback_list(struct hctx *h);
int h_report_bieu06(struct hctx *h);
int h_report_index766(struct hctx *h);
int h_report_summary(struct hctx *h);
int h_public_stats(struct hctx *h);
int h_public_rating(struct hctx *h);
int h_feedback_create(struct hctx *h);
int h_feedback_list(struct hctx *h);
int h_feedback_get(struct hctx *h);
int h_feedback_act(struct hctx *h);
int h_reports_satisfaction(struct hctx *h);
int h_public_feedback_status(struct hctx *h);
int h_public_feedback_reply(struct hctx *h);
int h_feedback_files_add(struct hctx *h);
int h_feedback_files_list(struct hctx *h);
int h_feedback_files_get(struct hctx *h);
int h_public_feedback_files_add(struct hctx *h);
int h_public_feedback_files_list(struct hctx *h);
int h_public_feedback_files_get(struct hctx *h);
int h_public_units(struct hctx *h);
int h_unit_contact_get(struct hctx *h);
int h_unit_contact_put(struct hctx *h);
int h_files_stage(struct hctx *h);
int h_dossier_files_add(struct hctx *h);
int h_dossier_files_list(struct hctx *h);
int h_dossier_files_get(struct hctx *h);
int h_public_files_add(struct hctx *h);
int h_public_files_get(struct hctx *h);
int h_dossier_form(struct hctx *h);
int h_unit_register(struct hctx *h);
/* the catalogue entry's schema lives with its JSON mapping (catalogue_json.c) */
extern const struct vfield procedure_schema[];

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

static const char *const cal_statuses[] = {"proposed", "confirmed", NULL};

static const struct vfield cal_day_schema[] = {
    {"date", VT_DATE, VF_REQUIRED, 0, 0, NULL, VT__MAX, NULL},
    {"reason", VT_STRING, VF_REQUIRED, 1, 200, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const struct vfield calendar_put_schema[] = {
    {"status", VT_STRING, VF_REQUIRED, 1, 16, NULL, VT__MAX, cal_statuses},
    {"notices", VT_ARRAY, 0, 0, 4, NULL, VT_STRING, NULL},
    {"days_off", VT_ARRAY, VF_REQUIRED, 0, 366, cal_day_schema, VT_OBJECT, NULL},
    {"working_days", VT_ARRAY, 0, 0, 366, cal_day_schema, VT_OBJECT, NULL},
    VFIELD_END,
};

static const struct vfield unit_hours_schema[] = {
    {"working_hours", VT_STRING, VF_REQUIRED | VF_NULLABLE, 1, 100, NULL, VT__MAX, NULL},
    VFIELD_END,
};

/* ---- dossiers ---- */

static const char *const applicant_kinds[] = {"person", "organisation", NULL};
static const char *const id_types[] = {"cccd", "cmnd", "passport", "tax_code", NULL};
static const char *const intake_channels[] = {"direct", "online", "postal", NULL};
static const char *const delivery_methods[] = {"counter", "postal", "online", NULL};

static const struct vfield person_schema[] = {
    {"kind", VT_STRING, 0, 1, 16, NULL, VT__MAX, applicant_kinds},
    {"name", VT_STRING, VF_REQUIRED, 1, 200, NULL, VT__MAX, NULL},
    {"id_type", VT_STRING, VF_NULLABLE, 1, 16, NULL, VT__MAX, id_types},
    {"id_number", VT_STRING, VF_NULLABLE, 1, 20, NULL, VT__MAX, NULL},
    {"birth_date", VT_DATE, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    {"address", VT_STRING, VF_NULLABLE, 0, 300, NULL, VT__MAX, NULL},
    {"phone", VT_STRING, VF_NULLABLE, 0, 20, NULL, VT__MAX, NULL},
    {"email", VT_STRING, VF_NULLABLE, 0, 254, NULL, VT__MAX, NULL},
    {"relation", VT_STRING, VF_NULLABLE, 0, 100, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const struct vfield component_schema[] = {
    {"component_id", VT_INT, VF_NULLABLE, 1, INT64_MAX, NULL, VT__MAX, NULL},
    {"name", VT_STRING, VF_NULLABLE, 1, 500, NULL, VT__MAX, NULL},
    {"originals", VT_INT, 0, 0, 100, NULL, VT__MAX, NULL},
    {"copies", VT_INT, 0, 0, 100, NULL, VT__MAX, NULL},
    {"file", VT_STRING, VF_NULLABLE, 64, 64, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const struct vfield delivery_schema[] = {
    {"method", VT_STRING, 0, 1, 16, NULL, VT__MAX, delivery_methods},
    {"address", VT_STRING, VF_NULLABLE, 0, 300, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const struct vfield fees_schema[] = {
    {"amount", VT_INT, 0, 0, 1000000000000, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const struct vfield intake_schema[] = {
    {"procedure", VT_STRING, VF_REQUIRED, 1, 40, NULL, VT__MAX, NULL},
    {"case_id", VT_INT, VF_NULLABLE, 1, INT64_MAX, NULL, VT__MAX, NULL},
    {"channel", VT_STRING, 0, 1, 16, NULL, VT__MAX, intake_channels},
    {"receiving_unit", VT_REF, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    {"competent_unit", VT_REF, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    {"applicant", VT_OBJECT, VF_REQUIRED, 0, 0, person_schema, VT__MAX, NULL},
    {"representative", VT_OBJECT, VF_NULLABLE, 0, 0, person_schema, VT__MAX, NULL},
    {"components", VT_ARRAY, 0, 0, 64, component_schema, VT_OBJECT, NULL},
    {"delivery", VT_OBJECT, VF_NULLABLE, 0, 0, delivery_schema, VT__MAX, NULL},
    {"fees", VT_OBJECT, VF_NULLABLE, 0, 0, fees_schema, VT__MAX, NULL},
    VFIELD_END,
};

static const char *const action_names[] = {"accept",
					   "refuse",
					   "assign",
					   "forward",
					   "send_back",
					   "transfer",
					   "recall",
					   "request_supplement",
					   "supply",
					   "lapse",
					   "request_payment",
					   "confirm_payment",
					   "stop",
					   "resume",
					   "withdraw",
					   "extend",
					   "approve_extension",
					   "finish",
					   "return",
					   NULL};

static const struct vfield action_schema[] = {
    {"action", VT_STRING, VF_REQUIRED, 1, 32, NULL, VT__MAX, action_names},
    {"note", VT_STRING, VF_NULLABLE, 0, 2000, NULL, VT__MAX, NULL},
    {"reason", VT_STRING, VF_NULLABLE, 0, 2000, NULL, VT__MAX, NULL},
    {"assignee", VT_REF, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    {"to_unit", VT_REF, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    {"minutes", VT_INT, VF_NULLABLE, 1, 1252800, NULL, VT__MAX, NULL},
    {"working_days", VT_INT, VF_NULLABLE, 1, 2610, NULL, VT__MAX, NULL},
    {"new_due", VT_DATETIME, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    {"items", VT_ARRAY, VF_NULLABLE, 1, 50, NULL, VT_STRING, NULL},
    {"period_days", VT_INT, VF_NULLABLE, 1, 90, NULL, VT__MAX, NULL},
    {"amount", VT_INT, VF_NULLABLE, 1, 1000000000000, NULL, VT__MAX, NULL},
    {"method", VT_STRING, VF_NULLABLE, 1, 16, NULL, VT__MAX, NULL},
    {"result_number", VT_STRING, VF_NULLABLE, 1, 100, NULL, VT__MAX, NULL},
    {"signer", VT_STRING, VF_NULLABLE, 1, 200, NULL, VT__MAX, NULL},
    {"signed_date", VT_DATE, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    {"recipient", VT_STRING, VF_NULLABLE, 1, 200, NULL, VT__MAX, NULL},
    {"postal_tracking", VT_STRING, VF_NULLABLE, 1, 64, NULL, VT__MAX, NULL},
    {"token", VT_STRING, VF_NULLABLE, 1, 64, NULL, VT__MAX, NULL},
    VFIELD_END,
};

/* ---- feedback and ratings ---- */

static const char *const staff_feedback_channels[] = {"hotline", "counter", NULL};
static const char *const feedback_actions[] = {"refuse", "request_info", "assign",
					       "answer", "publish",	 NULL};

static const struct vfield public_feedback_schema[] = {
    {"content", VT_STRING, VF_REQUIRED, 1, 5000, NULL, VT__MAX, NULL},
    {"name", VT_STRING, VF_REQUIRED, 1, 200, NULL, VT__MAX, NULL},
    {"phone", VT_STRING, VF_NULLABLE, 0, 20, NULL, VT__MAX, NULL},
    {"email", VT_STRING, VF_NULLABLE, 0, 254, NULL, VT__MAX, NULL},
    {"dossier_code", VT_STRING, VF_NULLABLE, 1, 64, NULL, VT__MAX, NULL},
    {"procedure_code", VT_STRING, VF_NULLABLE, 1, 40, NULL, VT__MAX, NULL},
    {"unit", VT_REF, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const struct vfield staff_feedback_schema[] = {
    {"channel", VT_STRING, VF_REQUIRED, 1, 16, NULL, VT__MAX, staff_feedback_channels},
    {"content", VT_STRING, VF_REQUIRED, 1, 5000, NULL, VT__MAX, NULL},
    {"name", VT_STRING, VF_REQUIRED, 1, 200, NULL, VT__MAX, NULL},
    {"phone", VT_STRING, VF_NULLABLE, 0, 20, NULL, VT__MAX, NULL},
    {"email", VT_STRING, VF_NULLABLE, 0, 254, NULL, VT__MAX, NULL},
    {"dossier_code", VT_STRING, VF_NULLABLE, 1, 64, NULL, VT__MAX, NULL},
    {"procedure_code", VT_STRING, VF_NULLABLE, 1, 40, NULL, VT__MAX, NULL},
    {"unit", VT_REF, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    {"classification", VT_STRING, VF_NULLABLE, 1, 64, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const char *const postal_statuses[] = {"in_transit", "delivered", "failed", NULL};
static const struct vfield postal_schema[] = {
    {"status", VT_STRING, VF_REQUIRED, 1, 16, NULL, VT__MAX, postal_statuses},
    {"note", VT_STRING, VF_NULLABLE, 0, 500, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const struct vfield feedback_action_schema[] = {
    {"action", VT_STRING, VF_REQUIRED, 1, 32, NULL, VT__MAX, feedback_actions},
    {"reason", VT_STRING, VF_NULLABLE, 0, 2000, NULL, VT__MAX, NULL},
    {"assignee", VT_REF, VF_NULLABLE, 0, 0, NULL, VT__MAX, NULL},
    {"answer", VT_STRING, VF_NULLABLE, 0, 5000, NULL, VT__MAX, NULL},
    {"classification", VT_STRING, VF_NULLABLE, 1, 64, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const struct vfield rating_schema[] = {
    {"dossier", VT_STRING, VF_REQUIRED, 1, 64, NULL, VT__MAX, NULL},
    {"token", VT_STRING, VF_REQUIRED, 1, 64, NULL, VT__MAX, NULL},
    {"satisfied", VT_BOOL, VF_REQUIRED, 0, 0, NULL, VT__MAX, NULL},
    {"reasons", VT_ARRAY, VF_NULLABLE, 0, 8, NULL, VT_STRING, NULL},
    VFIELD_END,
};

static const struct vfield feedback_reply_schema[] = {
    {"secret", VT_STRING, VF_REQUIRED, 1, 64, NULL, VT__MAX, NULL},
    {"content", VT_STRING, VF_REQUIRED, 1, 5000, NULL, VT__MAX, NULL},
    VFIELD_END,
};

/* a unit's published hotline: both given (null clears), formats checked by the service */
static const struct vfield unit_contact_schema[] = {
    {"hotline", VT_STRING, VF_REQUIRED | VF_NULLABLE, 1, 32, NULL, VT__MAX, NULL},
    {"email", VT_STRING, VF_REQUIRED | VF_NULLABLE, 1, 254, NULL, VT__MAX, NULL},
    VFIELD_END,
};

static const struct vfield webhook_schema[] = {
    {"unit", VT_REF, VF_REQUIRED, 0, 0, NULL, VT__MAX, NULL},
    {"url", VT_STRING, VF_REQUIRED, 8, 2000, NULL, VT__MAX, NULL},
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
    {M_GET, "/api/v1/calendar/due", h_calendar_due, R_PUBLIC, NULL},
    {M_GET, "/api/v1/calendar/{year}", h_calendar_get, R_PUBLIC, NULL},
    {M_PUT, "/api/v1/calendar/{year}", h_calendar_put, R_BODY, calendar_put_schema},
    {M_GET, "/api/v1/units/{id}/hours", h_unit_hours_get, R_PUBLIC, NULL},
    {M_PUT, "/api/v1/units/{id}/hours", h_unit_hours_put, R_BODY, unit_hours_schema},
    {M_POST, "/api/v1/dossiers", h_dossiers_intake, R_BODY, intake_schema},
    {M_GET, "/api/v1/dossiers", h_dossiers_list, 0, NULL},
    {M_GET, "/api/v1/dossiers/{code}", h_dossiers_get, 0, NULL},
    {M_POST, "/api/v1/dossiers/{code}/actions", h_dossiers_act, R_BODY, action_schema},
    {M_POST, "/api/v1/dossiers/{code}/postal", h_dossier_postal, R_BODY, postal_schema},
    {M_GET, "/api/v1/dossiers/{code}/due", h_dossiers_due, 0, NULL},
    {M_POST, "/api/v1/files", h_files_stage, R_RAW, NULL},
    {M_POST, "/api/v1/dossiers/{code}/files", h_dossier_files_add, R_RAW, NULL},
    {M_GET, "/api/v1/dossiers/{code}/files", h_dossier_files_list, 0, NULL},
    {M_GET, "/api/v1/dossiers/{code}/files/{sha256}", h_dossier_files_get, 0, NULL},
    {M_GET, "/api/v1/dossiers/{code}/forms/{form}", h_dossier_form, 0, NULL},
    {M_GET, "/api/v1/units/{id}/register.pdf", h_unit_register, 0, NULL},
    {M_POST, "/api/v1/public/dossiers/{code}/files", h_public_files_add,
     R_PUBLIC | R_NO_SESSION | R_RAW, NULL},
    {M_GET, "/api/v1/public/dossiers/{code}/files/{sha256}", h_public_files_get,
     R_PUBLIC | R_NO_SESSION, NULL},
    {M_POST, "/api/v1/public/dossiers", h_public_submit, R_PUBLIC | R_NO_SESSION | R_BODY,
     intake_schema},
    {M_POST, "/api/v1/public/dossiers/{code}/actions", h_public_act,
     R_PUBLIC | R_NO_SESSION | R_BODY, action_schema},
    {M_GET, "/api/v1/lookup/{code}", h_lookup, R_PUBLIC | R_NO_SESSION, NULL},
    {M_GET, "/api/v1/procedures", h_procedures_list, R_PUBLIC, NULL},
    {M_POST, "/api/v1/procedures", h_procedures_create, R_BODY, procedure_schema},
    {M_POST, "/api/v1/procedures/import", h_procedures_import, 0, NULL},
    {M_GET, "/api/v1/procedures/{code}", h_procedures_get, R_PUBLIC, NULL},
    {M_GET, "/api/v1/procedures/{code}/versions", h_procedures_versions, R_PUBLIC, NULL},
    {M_GET, "/api/v1/procedures/{code}/diff", h_procedures_diff, R_PUBLIC, NULL},
    {M_GET, "/api/v1/fields", h_fields_list, R_PUBLIC, NULL},
    {M_GET, "/api/v1/admin/outbox", h_outbox_list, 0, NULL},
    {M_POST, "/api/v1/admin/outbox/{id}/retry", h_outbox_retry, 0, NULL},
    {M_GET, "/api/v1/admin/webhooks", h_webhooks_list, 0, NULL},
    {M_POST, "/api/v1/admin/webhooks", h_webhooks_create, R_BODY, webhook_schema},
    {M_POST, "/api/v1/public/feedback", h_public_feedback_submit, R_PUBLIC | R_NO_SESSION | R_BODY,
     public_feedback_schema},
    {M_GET, "/api/v1/public/feedback", h_public_feedback_list, R_PUBLIC | R_NO_SESSION, NULL},
    {M_POST, "/api/v1/public/ratings", h_public_rating, R_PUBLIC | R_NO_SESSION | R_BODY,
     rating_schema},
    {M_GET, "/api/v1/feedback", h_feedback_list, 0, NULL},
    {M_POST, "/api/v1/feedback", h_feedback_create, R_BODY, staff_feedback_schema},
    {M_GET, "/api/v1/feedback/{code}", h_feedback_get, 0, NULL},
    {M_POST, "/api/v1/feedback/{code}/actions", h_feedback_act, R_BODY, feedback_action_schema},
    {M_POST, "/api/v1/feedback/{code}/files", h_feedback_files_add, R_RAW, NULL},
    {M_GET, "/api/v1/feedback/{code}/files", h_feedback_files_list, 0, NULL},
    {M_GET, "/api/v1/feedback/{code}/files/{sha256}", h_feedback_files_get, 0, NULL},
    {M_GET, "/api/v1/reports/satisfaction", h_reports_satisfaction, 0, NULL},
    {M_GET, "/api/v1/reports/bieu06", h_report_bieu06, 0, NULL},
    {M_GET, "/api/v1/reports/index766", h_report_index766, 0, NULL},
    {M_GET, "/api/v1/reports/summary", h_report_summary, 0, NULL},
    {M_GET, "/api/v1/public/stats", h_public_stats, R_PUBLIC | R_NO_SESSION, NULL},
    {M_GET, "/api/v1/public/feedback/{code}", h_public_feedback_status, R_PUBLIC | R_NO_SESSION,
     NULL},
    {M_POST, "/api/v1/public/feedback/{code}/reply", h_public_feedback_reply,
     R_PUBLIC | R_NO_SESSION | R_BODY, feedback_reply_schema},
    {M_POST, "/api/v1/public/feedback/{code}/files", h_public_feedback_files_add,
     R_PUBLIC | R_NO_SESSION | R_RAW, NULL},
    {M_GET, "/api/v1/public/feedback/{code}/files", h_public_feedback_files_list,
     R_PUBLIC | R_NO_SESSION, NULL},
    {M_GET, "/api/v1/public/feedback/{code}/files/{sha256}", h_public_feedback_files_get,
     R_PUBLIC | R_NO_SESSION, NULL},
    {M_GET, "/api/v1/public/units", h_public_units, R_PUBLIC | R_NO_SESSION, NULL},
    {M_GET, "/api/v1/units/{id}/contact", h_unit_contact_get, R_PUBLIC, NULL},
    {M_PUT, "/api/v1/units/{id}/contact", h_unit_contact_put, R_BODY, unit_contact_schema},
};

const int api_nroutes = sizeof(api_routes) / sizeof(api_routes[0]);
