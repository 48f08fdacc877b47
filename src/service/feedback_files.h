/*
 * feedback_files.h: a feedback item's attachments (issue 8: "the target unit, attachments").
 *
 * The same machinery as a dossier's files (service/attach.h over store/files.h): the bytes
 * are checked (PDF, JPEG or PNG by content, within the per-file limit) and written durably to
 * the content-addressed store first, then one transaction locks the item, checks its state
 * and limits again, inserts the feedback_file row and appends an "attach" event to the item's
 * hash chain (feedback_verify checks it like every other event).
 *
 * Who: the citizen with the item's code and secret (any channel), or staff entering an item
 * taken by hotline or at the counter (receiver, specialist, department head or leader over
 * the target unit; on a web item the citizen attaches their own files). Only while the item
 * is open (received, info_requested, assigned), else ERR_CONFLICT. Reading: staff of the
 * target unit's subtree (fb_staff_of), or the citizen with the secret; a wrong secret is the
 * same ERR_NOT_FOUND as a missing code. Attachments are never published: the public list of
 * answers shows no file, whatever its state.
 *
 * Limits: each file at most the per-file limit (attach_file_max), each item at most
 * item_max bytes (feedback_files_configure) and FEEDBACK_FILES_MAX files; ERR_TOO_LARGE.
 */
#ifndef MOTCUA_FEEDBACK_FILES_H
#define MOTCUA_FEEDBACK_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "service/attach.h"

#define FEEDBACK_FILES_MAX_DEFAULT (20u << 20) /* bytes in one item's files */
#define FEEDBACK_FILES_MAX	   20	       /* files in one item */

struct feedback_file_rec {
	const char *sha256, *name, *mime, *created_by;
	int64_t size, created_at;
	int created; /* feedback_file_add: 1 when attached now, 0 when it already was */
};

/* feedback_files_configure: the per-item limit in bytes (0: the default). Once, at start. */
void feedback_files_configure(int64_t item_max);

/* feedback_file_add: attach data to the item `code`, by the citizen (secret not NULL; any
 * actor on the context is ignored) or by staff (secret NULL). name may be NULL (one is made
 * from the code and the hash). The same bytes again succeed with out->created 0 and change
 * nothing. ERR_VALIDATION for an empty file or a bad name, ERR_UNSUPPORTED_MEDIA for a type
 * we do not take, ERR_TOO_LARGE over a limit, ERR_CONFLICT when the item is closed,
 * ERR_FORBIDDEN for staff without the role or on a web item; nothing is written on any. */
int feedback_file_add(const struct ctx *c, const char *code, const char *secret, const char *name,
		      const void *data, size_t len, struct feedback_file_rec *out, struct err *e);
/* feedback_file_list: the item's files, oldest first (secret as for feedback_file_add). */
int feedback_file_list(const struct ctx *c, const char *code, const char *secret,
		       struct feedback_file_rec **out, size_t *n, struct err *e);
/* feedback_file_get: one file's row and bytes (in c->arena, checked against the hash). */
int feedback_file_get(const struct ctx *c, const char *code, const char *secret, const char *sha256,
		      struct feedback_file_rec *out, const void **data, size_t *len, struct err *e);

#endif
