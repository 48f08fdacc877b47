/* attach.c: the checks and store access every attachment shares (see attach.h). */
#include "service/attach.h"
#include "core/buf.h"
#include "core/text.h"
#include "store/files.h"

#include <string.h>

static const char *store_dir = "var/files";
static size_t file_max = ATTACH_FILE_MAX_DEFAULT;

void
attach_configure(const char *dir, size_t fmax)
{
	if (dir && *dir)
		store_dir = dir;
	file_max = fmax ? fmax : ATTACH_FILE_MAX_DEFAULT;
}

size_t
attach_file_max(void)
{
	return file_max;
}

const char *
attach_dir(void)
{
	return store_dir;
}

int
attach_check(const void *data, size_t len, const char **mime, struct err *e)
{
	if (len == 0)
		return err_set(e, ERR_VALIDATION, "file", "Tệp rỗng", "the file is empty");
	if (len > file_max)
		return err_setf(e, ERR_TOO_LARGE, "file", "Tệp vượt quá giới hạn %zu byte",
				"the file exceeds the limit of %zu bytes", file_max);
	*mime = files_sniff(data, len);
	if (!*mime)
		return err_set(e, ERR_UNSUPPORTED_MEDIA, "file",
			       "Chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, không "
			       "theo tên)",
			       "only PDF, JPEG and PNG files are accepted (by their content, not "
			       "their name)");
	return 0;
}

/* It ends up in a Content-Disposition header and on the user's disk. */
int
attach_clean_name(const struct ctx *c, const char *name, const char **out, struct err *e)
{
	const char *start;
	size_t n = name ? text_trim(name, &start) : 0;
	*out = NULL;
	if (n == 0)
		return 0;
	const char *s = arena_strndup(c->arena, start, n);
	int bad = !text_utf8_valid(s, n) || strcmp(s, ".") == 0 || strcmp(s, "..") == 0;
	for (size_t i = 0; !bad && i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		bad = ch < 0x20 || ch == 0x7F || ch == '/' || ch == '\\';
	}
	if (bad)
		return err_set(e, ERR_VALIDATION, "name",
			       "Tên tệp không hợp lệ (không chứa ký tự điều khiển, / hoặc \\)",
			       "invalid file name (no control characters, / or \\)");
	if (text_utf8_len(s) > ATTACH_NAME_MAX)
		return err_setf(e, ERR_VALIDATION, "name", "Tên tệp dài quá %d ký tự",
				"the file name is longer than %d characters", ATTACH_NAME_MAX);
	struct buf nfc = BUF_INIT(4096);
	if (text_nfc(s, &nfc) < 0) {
		buf_release(&nfc);
		return err_set(e, ERR_VALIDATION, "name", "Tên tệp không hợp lệ",
			       "invalid file name");
	}
	*out = arena_strdup(c->arena, nfc.data ? nfc.data : "");
	buf_release(&nfc);
	return 0;
}

int
attach_store(const struct ctx *c, const void *data, size_t len, const char **sha, int *created,
	     struct err *e)
{
	char *s = arena_alloc(c->arena, FILES_SHA_HEX);
	if (files_put(store_dir, data, len, s, created, e) < 0)
		return -1;
	*sha = s;
	return 0;
}

int
attach_read(const struct ctx *c, const char *sha, const void **data, size_t *len, struct err *e)
{
	void *bytes;
	if (files_read(store_dir, sha, c->arena, FILES_READ_MAX, &bytes, len, e) < 0) {
		if (e->code == ERR_NOT_FOUND) /* a row without its file: the store is damaged */
			return err_set(e, ERR_INTERNAL, "sha256", "Tệp bị thiếu trong kho tệp",
				       "the file is missing from the file store");
		return -1;
	}
	*data = bytes;
	return 0;
}
