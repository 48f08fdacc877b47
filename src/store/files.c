/*
 * files.c: the content-addressed attachment store (see files.h). Durability follows the
 * usual rule for a new name on POSIX file systems: the data is fsynced before the rename
 * makes it visible, and the directory after, so that after a crash the name either does not
 * exist or names the whole file.
 */
#include "store/files.h"
#include "core/log.h"
#include "crypto/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const unsigned char sig_pdf[] = {'%', 'P', 'D', 'F', '-'};
static const unsigned char sig_jpeg[] = {0xFF, 0xD8, 0xFF};
static const unsigned char sig_png[] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

static const struct {
	const unsigned char *sig;
	size_t len;
	const char *mime, *ext;
} types[] = {
    {sig_pdf, sizeof(sig_pdf), "application/pdf", "pdf"},
    {sig_jpeg, sizeof(sig_jpeg), "image/jpeg", "jpg"},
    {sig_png, sizeof(sig_png), "image/png", "png"},
};

#define NTYPES	  (sizeof(types) / sizeof(types[0]))
#define SNIFF_LEN 8 /* the longest signature */

const char *
files_sniff(const void *data, size_t len)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (len >= types[i].len && memcmp(data, types[i].sig, types[i].len) == 0)
			return types[i].mime;
	return NULL;
}

const char *
files_ext(const char *mime)
{
	for (size_t i = 0; mime && i < NTYPES; i++)
		if (strcmp(types[i].mime, mime) == 0)
			return types[i].ext;
	return "bin";
}

int
files_sha_ok(const char *s)
{
	if (!s || strlen(s) != 64)
		return 0;
	return strspn(s, "0123456789abcdef") == 64;
}

int
files_path(const char *dir, const char *sha, char *out, size_t cap)
{
	if (!files_sha_ok(sha))
		return -1;
	int n = snprintf(out, cap, "%s/sha256/%.2s/%s", dir, sha, sha + 2);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* ---- errors ---- */

static int
io_fail(struct err *e, const char *what, const char *path, int errnum)
{
	log_event(LOG_ERROR, "files_io", "op", what, "path", path, "error", strerror(errnum),
		  (char *)NULL);
	if (errnum == ENOSPC || errnum == EDQUOT)
		return err_set(e, ERR_UNAVAILABLE, "file", "Kho tệp đã đầy, vui lòng thử lại sau",
			       "the file store is full; try again later");
	return err_setf(e, ERR_INTERNAL, "file", "Lỗi ghi đọc kho tệp (%s)",
			"file store I/O error (%s)", what);
}

/* ---- directories ---- */

static int
fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

/* mkdir -p path; a directory this call creates is made durable in its parent. */
static int
make_dirs(char *path)
{
	struct stat st;
	if (stat(path, &st) == 0)
		return S_ISDIR(st.st_mode) ? 0 : (errno = ENOTDIR, -1);
	char *slash = strrchr(path, '/');
	if (slash && slash != path) {
		*slash = '\0';
		int rc = make_dirs(path);
		*slash = '/';
		if (rc < 0)
			return -1;
	}
	if (mkdir(path, 0750) < 0 && errno != EEXIST)
		return -1;
	if (!slash)
		return fsync_dir(".");
	if (slash == path)
		return fsync_dir("/");
	*slash = '\0';
	int rc = fsync_dir(path);
	*slash = '/';
	return rc;
}

/* ---- reading and writing whole files ---- */

static int
write_all(int fd, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
read_all(int fd, unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = read(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return errno = EIO, -1; /* shorter than fstat said: changed under us */
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* 1 when the file at path holds exactly data[0..len), 0 when not (or absent), -1 on error */
static int
same_contents(const char *path, const unsigned char *data, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	struct stat st;
	int same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len;
	unsigned char chunk[65536];
	for (size_t off = 0; same && off < len;) {
		size_t n = len - off < sizeof(chunk) ? len - off : sizeof(chunk);
		if (read_all(fd, chunk, n) < 0 || memcmp(chunk, data + off, n) != 0)
			same = 0;
		off += n;
	}
	close(fd);
	return same;
}

int
files_put(const char *dir, const void *data, size_t len, char sha[FILES_SHA_HEX], int *created,
	  struct err *e)
{
	char path[PATH_MAX], sub[PATH_MAX], tmp[PATH_MAX];
	if (created)
		*created = 0;
	crypto_sha256_hex(data, len, sha);
	if (files_path(dir, sha, path, sizeof(path)) < 0 ||
	    (size_t)snprintf(sub, sizeof(sub), "%s/sha256/%.2s", dir, sha) >= sizeof(sub) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/.tmp-XXXXXX", sub) >= sizeof(tmp))
		return err_set(e, ERR_INTERNAL, "file", "Đường dẫn kho tệp quá dài",
			       "the file store's path is too long");
	int same = same_contents(path, data, len);
	if (same == 1)
		return 0;
	if (same < 0)
		return io_fail(e, "read", path, errno);
	if (make_dirs(sub) < 0)
		return io_fail(e, "mkdir", sub, errno);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return io_fail(e, "create", tmp, errno);
	int saved;
	if (fchmod(fd, 0640) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		saved = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) < 0) {
		saved = errno;
		goto fail;
	}
	if (rename(tmp, path) < 0) {
		saved = errno;
		goto fail;
	}
	if (fsync_dir(sub) < 0)
		return io_fail(e, "fsync", sub, errno);
	if (created)
		*created = 1;
	return 0;
fail:
	unlink(tmp);
	return io_fail(e, "write", tmp, saved);
}

static int
open_stored(const char *dir, const char *sha, char *path, size_t cap, struct stat *st,
	    struct err *e)
{
	if (files_path(dir, sha, path, cap) < 0)
		return err_set(e, ERR_NOT_FOUND, "sha256", "Không tìm thấy tệp", "file not found");
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return err_set(e, ERR_NOT_FOUND, "sha256", "Không tìm thấy tệp",
				       "file not found");
		return io_fail(e, "open", path, errno);
	}
	int saved = fstat(fd, st) < 0 ? errno : !S_ISREG(st->st_mode) ? EINVAL : 0;
	if (saved) {
		close(fd);
		return io_fail(e, "stat", path, saved);
	}
	return fd;
}

int
files_stat(const char *dir, const char *sha, int64_t *size, const char **mime, struct err *e)
{
	char path[PATH_MAX];
	struct stat st;
	int fd = open_stored(dir, sha, path, sizeof(path), &st, e);
	if (fd < 0)
		return -1;
	unsigned char head[SNIFF_LEN];
	size_t n = (size_t)st.st_size < sizeof(head) ? (size_t)st.st_size : sizeof(head);
	int rc = read_all(fd, head, n);
	int saved = errno;
	close(fd);
	if (rc < 0)
		return io_fail(e, "read", path, saved);
	*size = (int64_t)st.st_size;
	*mime = files_sniff(head, n);
	return 0;
}

int
files_read(const char *dir, const char *sha, struct arena *a, size_t max, void **data, size_t *len,
	   struct err *e)
{
	char path[PATH_MAX];
	struct stat st;
	int fd = open_stored(dir, sha, path, sizeof(path), &st, e);
	if (fd < 0)
		return -1;
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return err_set(e, ERR_TOO_LARGE, "sha256", "Tệp quá lớn để tải về",
			       "the file is too large to serve");
	}
	size_t n = (size_t)st.st_size;
	unsigned char *p = arena_alloc(a, n + 1);
	int rc = read_all(fd, p, n);
	int saved = errno;
	close(fd);
	if (rc < 0)
		return io_fail(e, "read", path, saved);
	p[n] = '\0';
	char got[FILES_SHA_HEX];
	crypto_sha256_hex(p, n, got);
	if (strcmp(got, sha) != 0) {
		log_event(LOG_ERROR, "files_corrupt", "path", path, "sha256", got, (char *)NULL);
		return err_set(e, ERR_INTERNAL, "sha256", "Tệp lưu trữ bị hỏng",
			       "the stored file is damaged");
	}
	*data = p;
	*len = n;
	return 0;
}
