/*
 * catalogue_json.h: a catalogue entry as JSON, both ways. Private to src/api/.
 *
 * The shape (docs/api/openapi.yaml, ProcedureEntry) is the same in and out, so that what
 * GET /api/v1/procedures/{code} answers can be edited and POSTed back, and the seed files in
 * data/procedures/ (*.json) are written in it. On input a channel may give its time as text
 * ("time": "5 ngày làm việc") instead of time_unit and time_minutes.
 */
#ifndef MOTCUA_CATALOGUE_JSON_H
#define MOTCUA_CATALOGUE_JSON_H

#include "api/validate.h"
#include "core/json.h"
#include "service/procedure.h"

/* The schema of a catalogue entry (POST /api/v1/procedures and the seed files). */
extern const struct vfield procedure_schema[];

/* proc_from_json: a validated entry object into out (strings point into o, which must
 * outlive out). Resolves competent_unit (id or unit code). 0 or -1 with e. */
int proc_from_json(const struct ctx *c, json_t *o, struct proc_version *out, struct err *e);

/* proc_to_json: the entry as JSON (new reference). */
json_t *proc_to_json(const struct proc_version *v);

/* proc_changes_json: a list of changes between versions (new reference). */
json_t *proc_changes_json(const struct proc_change *ch, size_t n);

/* proc_cutoff_text: "15:00" for 900, NULL for -1 (into buf of 8 bytes). */
const char *proc_cutoff_text(int minute, char buf[8]);

#endif
