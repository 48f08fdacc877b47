/*
 * files.h: the attachment store, content-addressed files on disk.
 *
 * A file is named by the SHA-256 of its bytes and lives at DIR/sha256/ab/cdef... (the first
 * two hex digits make the directory, the other 62 the name), so the same bytes are stored
 * once however many dossiers name them, a name can never point at other contents, and a
 * multi-node deployment shares one volume at DIR. files_put makes a file durable before it
 * returns (temporary file, fsync, rename, fsync of the directory), so the transaction that
 * names it may commit afterwards: a committed row never names a missing file. A file whose
 * row never committed stays as an orphan, harmless, for a later sweep; files are never
 * deleted here since another dossier may name the same bytes.
 *
 * This module is the only one that touches the store's files. It decides no rule but the
 * type of a file by its first bytes (files_sniff). Errors: ERR_NOT_FOUND for an absent file,
 * ERR_UNAVAILABLE when the disk is full, ERR_INTERNAL for other I/O failures (logged).
 */
#ifndef MOTCUA_FILES_H
#define MOTCUA_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

#define FILES_SHA_HEX  65	    /* 64 lowercase hex digits and NUL */
#define FILES_READ_MAX (256u << 20) /* the most files_read will ever load */

/* files_sniff: the MIME type of data by its first bytes: "application/pdf" (%PDF-),
 * "image/jpeg" (FF D8 FF) or "image/png" (the 8-byte PNG signature); NULL for anything else,
 * whatever its name or declared type. */
const char *files_sniff(const void *data, size_t len);
/* files_ext: the usual extension of a type files_sniff returns ("pdf", "jpg", "png"), or
 * "bin". */
const char *files_ext(const char *mime);
/* files_sha_ok: 1 when s is exactly 64 lowercase hex digits (a name files_put gives). */
int files_sha_ok(const char *s);
/* files_path: DIR/sha256/ab/cdef... into out; -1 when sha is not a valid name or out is too
 * small. */
int files_path(const char *dir, const char *sha, char *out, size_t cap);

/*
 * files_put: store data under its SHA-256 (written to sha) and make it durable: a temporary
 * file in the target directory, written, fsynced and renamed into place, then the directory
 * fsynced (and any directory it had to create, with its parent). Idempotent: when the file
 * is already there with these bytes nothing is written; a stored copy that differs (damaged)
 * is replaced. *created (may be NULL) is 1 when this call wrote the file. 0 or -1 with e.
 */
int files_put(const char *dir, const void *data, size_t len, char sha[FILES_SHA_HEX], int *created,
	      struct err *e);

/* files_stat: the size and type (by its first bytes; NULL when not one we accept) of a
 * stored file. ERR_NOT_FOUND when there is none. */
int files_stat(const char *dir, const char *sha, int64_t *size, const char **mime, struct err *e);

/* files_read: the whole stored file into the arena (*data, *len; NUL-terminated for
 * convenience), at most max bytes (ERR_TOO_LARGE beyond). The bytes are checked against the
 * name: a damaged file is ERR_INTERNAL, never served. ERR_NOT_FOUND when there is none. */
int files_read(const char *dir, const char *sha, struct arena *a, size_t max, void **data,
	       size_t *len, struct err *e);

#endif
