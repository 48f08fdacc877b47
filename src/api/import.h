/*
 * import.h: bulk import of the procedure catalogue, with a reconciliation report.
 *
 * Reads the national TTHC database's per-procedure JSON records (object or array of
 * objects with "ma_thu_tuc"), our own catalogue entries (objects with "code", the shape of
 * GET /api/v1/procedures/{code}), the portal's xlsx list exports ("DANH SÁCH THỦ TỤC HÀNH
 * CHÍNH": Mã số, Tên, Cơ quan ban hành, Cơ quan thực hiện, Lĩnh vực), and CSV (header row;
 * columns in docs/api/openapi.yaml, ImportCsv). Each record is turned into a struct
 * proc_version here (the only place that sees JSON) and saved by procedure_save in its own
 * transaction: it lands whole or is rejected with its reason. A code that appears twice in
 * one file is rejected every time. Saving a record identical to the version in force changes
 * nothing, so re-importing a file reports everything unchanged.
 *
 * The report's strings live in c->arena.
 */
#ifndef MOTCUA_IMPORT_H
#define MOTCUA_IMPORT_H

#include <stddef.h>
#include <stdio.h>

#include "core/json.h"
#include "service/procedure.h"

struct import_line {
	const char *file;
	int index; /* the record's number in its file (1-based; for CSV and xlsx the row) */
	const char *code, *name;
	enum proc_outcome outcome;
	int version;	    /* the version written (or that would be, in a dry run) */
	const char *field;  /* rejected: the field at fault */
	const char *reason; /* rejected: English */
	const char *reason_vi;
	const struct proc_change *changes; /* updated: what changed */
	size_t nchanges;
};

struct import_report {
	int dry_run;
	size_t counts[PROC_OUTCOME__MAX];
	size_t files, file_errors;
	struct import_line *lines;
	size_t n, cap;
};

/*
 * import_buffer: import one file's content (format detected from the content: zip = xlsx,
 * '[' or '{' = JSON, else CSV). Lines are appended to rep. -1 with e when the file as a whole
 * cannot be read (malformed JSON, not an xlsx, a CSV without the required columns); that is
 * also recorded in rep as a rejected line with index 0.
 */
int import_buffer(const struct ctx *c, const char *file, const char *data, size_t len, int dry_run,
		  struct import_report *rep, struct err *e);

/* import_path: a file, or every *.json, *.csv and *.xlsx file of a directory (by name). */
int import_path(const struct ctx *c, const char *path, int dry_run, struct import_report *rep,
		struct err *e);

/* import_seed: the seed catalogue carried in the binary (the .json files of data/procedures/). */
int import_seed(const struct ctx *c, struct import_report *rep, struct err *e);

/* import_report_print: the reconciliation report as text; every line when verbose, else
 * only rejected and updated ones. */
void import_report_print(const struct import_report *rep, FILE *out, int verbose);

/* import_report_json: {"dry_run":..,"added":..,..,"records":[..]} (new reference). */
json_t *import_report_json(const struct import_report *rep);

#endif
