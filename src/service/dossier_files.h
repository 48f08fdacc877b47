/*
 * dossier_files.h: a dossier's attachments (domain.md: thành phần hồ sơ, kết quả, bổ sung).
 *
 * The bytes live in the content-addressed store (store/files.h) under --files DIR; a
 * dossier_file row names them (dossier, sha256, kind, component, name, type, size). Order:
 * the file is written and fsynced first, then one transaction (group commit, as every dossier
 * write) inserts the row, points the component at it, and appends an "attach" event to the
 * dossier's hash chain; so a committed row never names a missing file. The type is decided
 * by the content (PDF, JPEG, PNG), never by the name or the declared type.
 *
 * Who: staff in scope of the dossier (the rule of dossier_get) with the role for the kind —
 * a receiver for components, the handlers (specialist, department head, leader, clerk) for
 * results, either for supplements — while the dossier is not closed; or the applicant with
 * the lookup token, for components and supplements, while the dossier is submitted or
 * waiting for a supplement. Reading: staff in scope, or the applicant with the token. Anyone
 * else gets ERR_NOT_FOUND, exactly as for a dossier that does not exist.
 *
 * Limits: each file at most file_max bytes, each dossier at most dossier_max bytes in all
 * and DOSSIER_FILES_MAX files (ERR_TOO_LARGE); set once at start by dossier_files_configure.
 */
#ifndef MOTCUA_DOSSIER_FILES_H
#define MOTCUA_DOSSIER_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "service/attach.h"
#include "service/dossier.h"
#include "store/files.h"

#define DOSSIER_FILE_MAX_DEFAULT  ATTACH_FILE_MAX_DEFAULT
#define DOSSIER_FILES_MAX_DEFAULT (50u << 20) /* bytes in one dossier's files */
#define DOSSIER_FILES_MAX	  200	      /* files in one dossier */
#define DOSSIER_FILE_NAME_MAX	  ATTACH_NAME_MAX

enum dossier_file_kind { DF_COMPONENT, DF_RESULT, DF_SUPPLEMENT, DF__MAX };

struct dossier_file_in {
	enum dossier_file_kind kind;
	int component_seq; /* the component (1-based) for DF_COMPONENT, else 0 */
	const char *name;  /* the name to download it under; NULL: one made from the kind */
	const void *data;
	size_t len;
	const char *token; /* the applicant's lookup token; NULL for staff */
};

struct dossier_file_rec {
	const char *sha256, *name, *mime, *created_by;
	enum dossier_file_kind kind;
	int component_seq; /* 0 when none */
	int64_t size, created_at;
	int created; /* dossier_file_add: 1 when attached now, 0 when it already was */
};

/* The results of the intake's check of components[].file (see dossier_files_intake_check). */
struct intake_files {
	struct dossier_file_rec *items;
	size_t n;
};

/* dossier_files_configure: the store's directory and the limits (0: the defaults). Called
 * once before serving; the strings must outlive the process's use of them. */
void dossier_files_configure(const char *dir, size_t file_max, int64_t dossier_max);
/* dossier_files_file_max: the per-file limit in force. */
size_t dossier_files_file_max(void);

const char *dossier_file_kind_name(enum dossier_file_kind k); /* component, result, supplement */
int dossier_file_kind_parse(const char *s);		      /* -1 when unknown */

/* dossier_file_add: attach a file to the dossier `code` (see above). ERR_VALIDATION for a bad
 * kind, component or name or an empty file; ERR_UNSUPPORTED_MEDIA when the content is not
 * PDF, JPEG or PNG; ERR_TOO_LARGE over a limit; ERR_CONFLICT when the dossier's state does
 * not take files, or the same bytes are already attached as something else; ERR_FORBIDDEN
 * for staff in scope without the role for the kind. Attaching the same bytes again the same
 * way succeeds with out->created 0 and changes nothing. */
int dossier_file_add(const struct ctx *c, const char *code, const struct dossier_file_in *in,
		     struct dossier_file_rec *out, struct err *e);
/* dossier_file_list: the dossier's files, oldest first, for staff in scope. */
int dossier_file_list(const struct ctx *c, const char *code, struct dossier_file_rec **out,
		      size_t *n, struct err *e);
/* dossier_file_get: one file's row and bytes (in c->arena), for staff in scope or, with
 * token, the applicant. The bytes are checked against the name before they are returned. */
int dossier_file_get(const struct ctx *c, const char *code, const char *sha256, const char *token,
		     struct dossier_file_rec *out, const void **data, size_t *len, struct err *e);
/* dossier_file_stage: store a file before its dossier exists (a receiver scanning papers at
 * the counter before the intake names them in components[].file); no row is written. */
int dossier_file_stage(const struct ctx *c, const void *data, size_t len,
		       struct dossier_file_rec *out, struct err *e);

/* For the intake (dossier.c). dossier_files_intake_check: every components[].file must be in
 * the store with an accepted type, the total within the dossier's limit; an online
 * submission may name none (the applicant attaches them with the token once the code
 * exists). dossier_files_intake_insert: the rows, inside the intake's transaction. */
int dossier_files_intake_check(const struct ctx *c, const struct component_in *comps, size_t n,
			       int online, struct intake_files *out, struct err *e);
int dossier_files_intake_insert(struct db *db, const struct ctx *c, int64_t dossier_id,
				const struct intake_files *f, struct err *e);

#endif
