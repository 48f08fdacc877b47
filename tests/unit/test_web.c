/*
 * test_web: the web room (api/web.c) over the files really embedded in this build: which
 * paths are pages, versioned asset URLs, imports rewritten, cache headers, ETag and 304.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "api/web.h"
#include "core/embed.h"

#include <string.h>

struct fake_conn {
	const char *v;	 /* the query's v= */
	const char *inm; /* If-None-Match */
};

static const char *
lookup(void *conn, enum req_lookup kind, const char *key)
{
	const struct fake_conn *c = conn;
	if (kind == LOOKUP_QUERY && strcmp(key, "v") == 0)
		return c->v;
	if (kind == LOOKUP_HEADER && strcmp(key, "If-None-Match") == 0)
		return c->inm;
	return NULL;
}

/* serve: web_serve on method and path; returns its result, fills rs */
static int
serve(enum http_method m, const char *path, struct fake_conn *c, struct resp *rs)
{
	memset(rs, 0, sizeof(*rs));
	buf_init(&rs->body, 1u << 20);
	struct req rq = {.method = m, .path = path, .conn = c, .lookup = lookup};
	return web_serve(&rq, rs);
}

static const char *
hdr(const struct resp *rs, const char *name)
{
	for (int i = 0; i < rs->nheaders; i++)
		if (strcmp(rs->headers[i][0], name) == 0)
			return rs->headers[i][1];
	return NULL;
}

static void
test_pages_and_not_pages(void **state)
{
	struct fake_conn c = {0};
	struct resp rs;
	const char *pages[] = {"/",
			       "/thu-tuc/1.001193",
			       "/nop-ho-so/1.001193",
			       "/tra-cuu",
			       "/tra-cuu/001.01.00.H34-261203-0001",
			       "/gop-y",
			       "/thong-ke",
			       "/thong-ke/",
			       "/console",
			       "/console/",
			       "/console/ho-so/001.01.00.H34-261203-0001"};
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		assert_int_equal(serve(M_GET, pages[i], &c, &rs), 0);
		assert_int_equal(rs.status, 200);
		assert_string_equal(rs.content_type, "text/html; charset=utf-8");
		assert_string_equal(hdr(&rs, "Cache-Control"), "no-cache");
		assert_non_null(strstr(rs.static_body, "<html lang=\"vi\">"));
		buf_release(&rs.body);
	}
	const char *others[] = {"/api/v1/health",  "/console.html", "/thong-ke/x",
				"/tra-cuu/a/b",	   "/thu-tuc/",	    "/index.html",
				"/assets/none.js", "/metrics"};
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		assert_int_equal(serve(M_GET, others[i], &c, &rs), -1);
		assert_int_equal(rs.status, 0);
		buf_release(&rs.body);
	}
	assert_int_equal(serve(M_POST, "/", &c, &rs), 0);
	assert_int_equal(rs.status, 405);
	buf_release(&rs.body);
}

static void
test_versions_and_caching(void **state)
{
	struct fake_conn c = {0};
	struct resp rs;
	const char *lib = web_asset_url("/assets/js/lib.js");
	const char *portal = web_asset_url("/assets/js/portal.js");
	assert_non_null(lib);
	assert_non_null(portal);
	assert_null(web_asset_url("/assets/js/none.js"));
	assert_int_equal(strlen(lib), strlen("/assets/js/lib.js?v=") + 16);

	/* the page names portal.js with its version; portal.js imports lib.js with its own */
	assert_int_equal(serve(M_GET, "/", &c, &rs), 0);
	assert_non_null(memmem(rs.static_body, rs.static_len, portal, strlen(portal)));
	buf_release(&rs.body);
	assert_int_equal(serve(M_GET, "/assets/js/portal.js", &c, &rs), 0);
	assert_non_null(memmem(rs.static_body, rs.static_len, lib, strlen(lib)));
	assert_string_equal(rs.content_type, "text/javascript; charset=utf-8");
	assert_string_equal(hdr(&rs, "Cache-Control"), "no-cache"); /* no version asked */
	buf_release(&rs.body);

	/* the served bytes are what the version hashes: the embedded file differs (rewritten) */
	const struct embed_file *f = embed_find("web/assets/js/portal.js");
	assert_non_null(f);
	assert_true(f->len < rs.static_len);

	c.v = strstr(portal, "?v=") + 3;
	assert_int_equal(serve(M_GET, "/assets/js/portal.js", &c, &rs), 0);
	assert_string_equal(hdr(&rs, "Cache-Control"), "public, max-age=31536000, immutable");
	char etag[32];
	snprintf(etag, sizeof(etag), "\"%s\"", c.v);
	assert_string_equal(hdr(&rs, "ETag"), etag);
	buf_release(&rs.body);

	c.v = "0123456789abcdef"; /* an old version: served, but not for a year */
	assert_int_equal(serve(M_GET, "/assets/js/portal.js", &c, &rs), 0);
	assert_string_equal(hdr(&rs, "Cache-Control"), "no-cache");
	buf_release(&rs.body);

	c.v = NULL;
	c.inm = etag;
	assert_int_equal(serve(M_HEAD, "/assets/js/portal.js", &c, &rs), 0);
	assert_int_equal(rs.status, 304);
	assert_null(rs.static_body);
	buf_release(&rs.body);
	c.inm = "\"0000000000000000\"";
	assert_int_equal(serve(M_GET, "/assets/js/portal.js", &c, &rs), 0);
	assert_int_equal(rs.status, 200);
	buf_release(&rs.body);

	/* the tables are built again after a release, the same */
	char before[64];
	snprintf(before, sizeof(before), "%s", portal);
	web_release();
	assert_string_equal(web_asset_url("/assets/js/portal.js"), before);
	web_release();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pages_and_not_pages),
	    cmocka_unit_test(test_versions_and_caching),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	web_release();
	return rc;
}
