/*
 * attach.h: what every kind of attachment shares (a dossier's files in dossier_files.c, a
 * feedback item's in feedback_files.c): the store's directory and the per-file limit, the
 * checks of the bytes (not empty, within the limit, a type we accept by content) and of the
 * name a file is downloaded under, and writing and reading through the content-addressed
 * store (store/files.h). It decides no rule about who may attach what, or when.
 */
#ifndef MOTCUA_ATTACH_H
#define MOTCUA_ATTACH_H

#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

#define ATTACH_FILE_MAX_DEFAULT (10u << 20) /* bytes in one file */
#define ATTACH_NAME_MAX		255	    /* code points in a file's name */

/* attach_configure: the store's directory (NULL or "": unchanged, var/files at first) and the
 * per-file limit (0: the default). Called once before serving; dir must outlive its use. */
void attach_configure(const char *dir, size_t file_max);
/* attach_file_max: the per-file limit in force (also the raw upload body's cap). */
size_t attach_file_max(void);
/* attach_dir: the store's directory. */
const char *attach_dir(void);

/* attach_check: the bytes are not empty (ERR_VALIDATION), within the per-file limit
 * (ERR_TOO_LARGE) and PDF, JPEG or PNG by their content (ERR_UNSUPPORTED_MEDIA); *mime gets
 * the type. All naming the field "file". */
int attach_check(const void *data, size_t len, const char **mime, struct err *e);
/* attach_clean_name: the name to download a file under: trimmed, NFC, at most
 * ATTACH_NAME_MAX code points, no control characters or path separators (ERR_VALIDATION
 * naming "name"). *out is NULL when none was given. */
int attach_clean_name(const struct ctx *c, const char *name, const char **out, struct err *e);
/* attach_store: write the bytes to the store, durable before it returns (files_put); *sha
 * (in c->arena) names them; *created (may be NULL) is 1 when this call wrote the file. */
int attach_store(const struct ctx *c, const void *data, size_t len, const char **sha, int *created,
		 struct err *e);
/* attach_read: a stored file's bytes into c->arena, checked against its name. A file a row
 * names but the store lacks is ERR_INTERNAL (the store is damaged), never ERR_NOT_FOUND. */
int attach_read(const struct ctx *c, const char *sha, const void **data, size_t *len,
		struct err *e);

#endif
