/* test_files.c: the content-addressed file store: types by content, names, the layout on
 * disk, idempotent and repairing writes, reads that refuse damaged bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/arena.h"
#include "crypto/crypto.h"
#include "service/attach.h"
#include "store/files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static int
setup(void **state)
{
	if (crypto_init() < 0)
		return -1;
	snprintf(root, sizeof(root), "/tmp/motcua-files-unit.XXXXXX");
	return mkdtemp(root) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_sniff_by_content(void **state)
{
	assert_string_equal(files_sniff("%PDF-1.7\n", 9), "application/pdf");
	assert_string_equal(files_sniff("\xFF\xD8\xFF\xE0", 4), "image/jpeg");
	assert_string_equal(files_sniff("\x89PNG\r\n\x1A\n", 8), "image/png");
	assert_null(files_sniff("%PDF", 4));		/* too short for the signature */
	assert_null(files_sniff("\x89PNG\r\n\x1A", 7)); /* one byte short */
	assert_null(files_sniff("\xFF\xD8", 2));
	assert_null(files_sniff("GIF89a", 6));
	assert_null(files_sniff(" %PDF-1.4", 9)); /* at the start, not anywhere */
	assert_null(files_sniff("", 0));
	assert_string_equal(files_ext("application/pdf"), "pdf");
	assert_string_equal(files_ext("image/jpeg"), "jpg");
	assert_string_equal(files_ext("image/png"), "png");
	assert_string_equal(files_ext("text/plain"), "bin");
	assert_string_equal(files_ext(NULL), "bin");
}

static void
test_names_and_paths(void **state)
{
	const char *ok = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	char p[256];
	assert_true(files_sha_ok(ok));
	assert_false(files_sha_ok(NULL));
	assert_false(files_sha_ok("e3b0"));
	assert_false(
	    files_sha_ok("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"));
	assert_false(
	    files_sha_ok("../../../../etc/passwd/../../../../../../../../../../../../....."));
	assert_int_equal(files_path("/d", ok, p, sizeof(p)), 0);
	assert_string_equal(
	    p, "/d/sha256/e3/b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_int_equal(files_path("/d", "../x", p, sizeof(p)), -1);
	assert_int_equal(files_path("/d", ok, p, 20), -1); /* too small: refused, not cut */
}

static void
read_back(const char *sha, const char *want, size_t n)
{
	struct arena *a = arena_new(1024);
	struct err e = ERR_INIT;
	void *data;
	size_t len;
	assert_int_equal(files_read(root, sha, a, 1 << 20, &data, &len, &e), 0);
	assert_int_equal(len, n);
	assert_memory_equal(data, want, n);
	arena_free(a);
}

static void
test_put_is_durable_idempotent_and_repairs(void **state)
{
	static const char pdf[] = "%PDF-1.4\n%motcua unit test\n%%EOF\n";
	char sha[FILES_SHA_HEX], want[FILES_SHA_HEX], path[256];
	struct err e = ERR_INIT;
	int created = -1;
	crypto_sha256_hex(pdf, sizeof(pdf) - 1, want);
	/* the directory tree is made on first use */
	assert_int_equal(files_put(root, pdf, sizeof(pdf) - 1, sha, &created, &e), 0);
	assert_string_equal(sha, want);
	assert_int_equal(created, 1);
	assert_int_equal(files_path(root, sha, path, sizeof(path)), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal((size_t)st.st_size, sizeof(pdf) - 1);
	assert_int_equal(st.st_mode & 0777, 0640);
	read_back(sha, pdf, sizeof(pdf) - 1);
	/* again: nothing written */
	assert_int_equal(files_put(root, pdf, sizeof(pdf) - 1, sha, &created, &e), 0);
	assert_int_equal(created, 0);
	/* no temporary file left next to it */
	char dir[256], cmd[320];
	snprintf(dir, sizeof(dir), "%s/sha256/%.2s", root, sha);
	snprintf(cmd, sizeof(cmd), "test $(ls -A '%s' | wc -l) -eq 1", dir);
	assert_int_equal(system(cmd), 0);
	int64_t size = 0;
	const char *mime = NULL;
	assert_int_equal(files_stat(root, sha, &size, &mime, &e), 0);
	assert_int_equal(size, (int64_t)sizeof(pdf) - 1);
	assert_string_equal(mime, "application/pdf");
	/* damaged on disk: never read back; the same bytes put again repair it */
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	fseek(f, 12, SEEK_SET);
	fputc('#', f);
	fclose(f);
	struct arena *a = arena_new(1024);
	void *data;
	size_t len;
	err_clear(&e);
	assert_int_equal(files_read(root, sha, a, 1 << 20, &data, &len, &e), -1);
	assert_int_equal(e.code, ERR_INTERNAL);
	arena_free(a);
	assert_int_equal(files_put(root, pdf, sizeof(pdf) - 1, sha, &created, &e), 0);
	assert_int_equal(created, 1);
	read_back(sha, pdf, sizeof(pdf) - 1);
}

static void
test_absent_and_too_large(void **state)
{
	static const char png[] = "\x89PNG\r\n\x1A\nnot really a png";
	const char *missing = "0000000000000000000000000000000000000000000000000000000000000000";
	struct arena *a = arena_new(1024);
	struct err e = ERR_INIT;
	void *data;
	size_t len;
	int64_t size;
	const char *mime;
	assert_int_equal(files_read(root, missing, a, 1 << 20, &data, &len, &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	err_clear(&e);
	assert_int_equal(files_stat(root, missing, &size, &mime, &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	err_clear(&e);
	assert_int_equal(files_read(root, "not-a-sha", a, 1 << 20, &data, &len, &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	char sha[FILES_SHA_HEX];
	assert_int_equal(files_put(root, png, sizeof(png) - 1, sha, NULL, &e), 0);
	err_clear(&e);
	assert_int_equal(files_read(root, sha, a, 8, &data, &len, &e), -1); /* over max */
	assert_int_equal(e.code, ERR_TOO_LARGE);
	assert_int_equal(files_stat(root, sha, &size, &mime, &e), 0);
	assert_string_equal(mime, "image/png");
	arena_free(a);
}

/* service/attach.c: the checks every attachment (dossier, feedback) goes through */
static void
test_attach_checks_shared_by_every_kind(void **state)
{
	struct arena *a = arena_new(4096);
	struct ctx c = {.arena = a};
	struct err e;
	const char *mime, *name, *sha;
	const void *data;
	size_t len;
	attach_configure(root, 16);
	assert_int_equal(attach_file_max(), 16);
	assert_string_equal(attach_dir(), root);
	assert_int_equal(attach_check("", 0, &mime, &e), -1);
	assert_int_equal(e.code, ERR_VALIDATION);
	assert_int_equal(attach_check("%PDF-1.4 seventeen", 17, &mime, &e), -1); /* over 16 */
	assert_int_equal(e.code, ERR_TOO_LARGE);
	assert_int_equal(attach_check("<html>.pdf", 10, &mime, &e), -1);
	assert_int_equal(e.code, ERR_UNSUPPORTED_MEDIA);
	assert_string_equal(e.field, "file");
	assert_int_equal(attach_check("%PDF-1.4 sixteen", 16, &mime, &e), 0);
	assert_string_equal(mime, "application/pdf");
	/* names: trimmed, NFC (a decomposed "ế" composed), no separators or control bytes */
	assert_int_equal(attach_clean_name(&c, "  bie\xcc\x82\xcc\x81n lai.pdf ", &name, &e), 0);
	assert_string_equal(name, "bi\xe1\xba\xbfn lai.pdf");
	assert_int_equal(attach_clean_name(&c, "   ", &name, &e), 0);
	assert_null(name);
	assert_int_equal(attach_clean_name(&c, "../x.pdf", &name, &e), -1);
	assert_string_equal(e.field, "name");
	assert_int_equal(attach_clean_name(&c, "a\tb.pdf", &name, &e), -1);
	assert_int_equal(attach_clean_name(&c, "..", &name, &e), -1);
	/* stored and read back; a name the store lacks is damage, not a missing file */
	assert_int_equal(attach_store(&c, "%PDF-1.4 sixteen", 16, &sha, NULL, &e), 0);
	assert_int_equal(attach_read(&c, sha, &data, &len, &e), 0);
	assert_int_equal(len, 16);
	assert_memory_equal(data, "%PDF-1.4 sixteen", 16);
	assert_int_equal(attach_read(&c,
				     "00000000000000000000000000000000000000000000000000000000"
				     "00000000",
				     &data, &len, &e),
			 -1);
	assert_int_equal(e.code, ERR_INTERNAL);
	attach_configure(NULL, 0);
	assert_int_equal(attach_file_max(), ATTACH_FILE_MAX_DEFAULT);
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sniff_by_content),
	    cmocka_unit_test(test_names_and_paths),
	    cmocka_unit_test(test_put_is_durable_idempotent_and_repairs),
	    cmocka_unit_test(test_absent_and_too_large),
	    cmocka_unit_test(test_attach_checks_shared_by_every_kind),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
