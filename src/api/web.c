/*
 * web.c: pages and assets of the web UI from the files embedded at build time (web.h).
 * The web is a room of api/ beside the route table, not in it: it needs no database, no
 * session and no schema, and its paths are not part of the API contract (openapi.yaml).
 */
#include "api/web.h"
#include "core/embed.h"
#include "core/mem.h"
#include "crypto/crypto.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define WEB_PREFIX  "web"
#define VERSION_LEN 16

struct asset {
	const struct embed_file *file;
	const char *url;     /* "/assets/js/portal.js", "/index.html" */
	const char *type;    /* Content-Type */
	unsigned char *body; /* the served bytes (rewritten for text, else the file's own) */
	size_t len;
	char version[VERSION_LEN + 1];
	char etag[VERSION_LEN + 3];
	char *versioned_url; /* url?v=version */
	int state;	     /* 0 not done, 1 in progress (a cycle guard), 2 done */
};

static struct asset *assets;
static int nassets;
static atomic_int ready;
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;

/* The pages: each path is answered by one document, which routes in the browser. The
 * portal's pages are /index.html; the receipt's QR code opens /tra-cuu/{code}?token=...
 * (service/forms.c). The staff console is /console.html under /console/ at any depth.
 * match: 0 the path exactly, 1 the prefix and one more segment, 2 the prefix and anything. */
static const struct {
	const char *path;
	int match;
	const char *doc;
} pages[] = {
    {"/", 0, "/index.html"},	       {"/thu-tuc/", 1, "/index.html"},
    {"/nop-ho-so/", 1, "/index.html"}, {"/tra-cuu", 0, "/index.html"},
    {"/tra-cuu/", 1, "/index.html"},   {"/gop-y", 0, "/index.html"},
    {"/thong-ke", 0, "/index.html"},   {"/thong-ke/", 0, "/index.html"},
    {"/console", 0, "/console.html"},  {"/console/", 0, "/console.html"},
    {"/console/", 2, "/console.html"},
};

static const struct {
	const char *ext;
	const char *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".woff2", "font/woff2"},
    {".json", "application/json; charset=utf-8"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *
type_of(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t e = strlen(types[i].ext);
		if (n > e && strcmp(name + n - e, types[i].ext) == 0)
			return types[i].type;
	}
	return "application/octet-stream";
}

static int
is_text(const struct asset *a)
{
	return strncmp(a->type, "text/", 5) == 0;
}

static struct asset *
find_n(const char *url, size_t n)
{
	for (int i = 0; i < nassets; i++)
		if (strlen(assets[i].url) == n && memcmp(assets[i].url, url, n) == 0)
			return &assets[i];
	return NULL;
}

static void version_asset(struct asset *a);

/* rewrite: a's bytes with every "/assets/NAME" that names an asset followed by ?v=VERSION */
static void
rewrite(struct asset *a)
{
	const char *src = (const char *)a->file->data;
	size_t len = a->file->len, cap = len + 1, out = 0;
	unsigned char *dst = xmalloc(cap);
	size_t i = 0;
	while (i < len) {
		const char *hit = memmem(src + i, len - i, "/assets/", 8);
		size_t upto = hit ? (size_t)(hit - src) : len;
		size_t n = 0;
		struct asset *ref = NULL;
		if (hit) {
			while (upto + n < len &&
			       strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq"
				      "rstuvwxyz0123456789._/-",
				      src[upto + n]) &&
			       src[upto + n] != '\0')
				n++;
			ref = find_n(hit, n);
			if (ref == a)
				ref = NULL;
		}
		size_t take = (upto - i) + n;
		size_t need = out + take + (ref ? 3 + VERSION_LEN : 0) + 1;
		if (need > cap) {
			cap = need * 2;
			dst = xrealloc(dst, cap);
		}
		memcpy(dst + out, src + i, take);
		out += take;
		i += take;
		if (ref) {
			version_asset(ref);
			if (ref->state == 2) {
				memcpy(dst + out, "?v=", 3);
				memcpy(dst + out + 3, ref->version, VERSION_LEN);
				out += 3 + VERSION_LEN;
			}
		}
		if (!hit)
			break;
	}
	dst[out] = '\0';
	a->body = dst;
	a->len = out;
}

static void
version_asset(struct asset *a)
{
	if (a->state != 0)
		return; /* done, or a cycle: the inner reference goes unversioned */
	a->state = 1;
	if (is_text(a)) {
		rewrite(a);
	} else {
		a->body = NULL;
		a->len = a->file->len;
	}
	char hex[CRYPTO_SHA256_HEX];
	crypto_sha256_hex(a->body ? a->body : a->file->data, a->len, hex);
	memcpy(a->version, hex, VERSION_LEN);
	a->version[VERSION_LEN] = '\0';
	a->etag[0] = '"';
	memcpy(a->etag + 1, a->version, VERSION_LEN);
	a->etag[VERSION_LEN + 1] = '"';
	a->etag[VERSION_LEN + 2] = '\0';
	size_t ul = strlen(a->url);
	a->versioned_url = xmalloc(ul + 4 + VERSION_LEN);
	memcpy(a->versioned_url, a->url, ul);
	memcpy(a->versioned_url + ul, "?v=", 3);
	memcpy(a->versioned_url + ul + 3, a->version, VERSION_LEN + 1);
	a->state = 2;
}

static void
build(void)
{
	pthread_mutex_lock(&init_lock);
	if (!atomic_load(&ready)) {
		size_t pl = strlen(WEB_PREFIX);
		int n = 0;
		for (const struct embed_file *f = embed_files; f->name; f++)
			if (strncmp(f->name, WEB_PREFIX "/", pl + 1) == 0)
				n++;
		assets = xcalloc((size_t)n + 1, sizeof(*assets));
		nassets = 0;
		for (const struct embed_file *f = embed_files; f->name; f++) {
			if (strncmp(f->name, WEB_PREFIX "/", pl + 1) != 0)
				continue;
			struct asset *a = &assets[nassets++];
			a->file = f;
			a->url = f->name + pl; /* "/assets/..." */
			a->type = type_of(f->name);
		}
		for (int i = 0; i < nassets; i++)
			version_asset(&assets[i]);
		atomic_store(&ready, 1);
	}
	pthread_mutex_unlock(&init_lock);
}

void
web_release(void)
{
	pthread_mutex_lock(&init_lock);
	for (int i = 0; i < nassets; i++) {
		free(assets[i].body);
		free(assets[i].versioned_url);
	}
	free(assets);
	assets = NULL;
	nassets = 0;
	atomic_store(&ready, 0);
	pthread_mutex_unlock(&init_lock);
}

const char *
web_asset_url(const char *path)
{
	if (!atomic_load(&ready))
		build();
	const struct asset *a = find_n(path, strlen(path));
	return a ? a->versioned_url : NULL;
}

/* page_doc: the document that answers path, or NULL when path is no page */
static const char *
page_doc(const char *path)
{
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		size_t n = strlen(pages[i].path);
		int hit = pages[i].match == 0
			      ? strcmp(path, pages[i].path) == 0
			      : strncmp(path, pages[i].path, n) == 0 && path[n] != '\0' &&
				    (pages[i].match == 2 || !strchr(path + n, '/'));
		if (hit)
			return pages[i].doc;
	}
	return NULL;
}

/* etag_matches: If-None-Match holds the asset's tag (a list, or "*") */
static int
etag_matches(const char *inm, const char *etag)
{
	if (!inm)
		return 0;
	if (strcmp(inm, "*") == 0)
		return 1;
	return strstr(inm, etag) != NULL;
}

int
web_serve(const struct req *rq, struct resp *rs)
{
	const char *path = rq->path;
	if (strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0)
		return -1;
	const char *doc = page_doc(path);
	int page = doc != NULL;
	if (!page && strncmp(path, "/assets/", 8) != 0)
		return -1;
	if (!atomic_load(&ready))
		build();
	const char *name = page ? doc : path;
	const struct asset *a = find_n(name, strlen(name));
	if (!a)
		return -1;
	if (rq->method != M_GET && rq->method != M_HEAD) {
		struct err e = ERR_INIT;
		err_set(&e, ERR_METHOD_NOT_ALLOWED, "", "Phương thức không được hỗ trợ",
			"method not allowed");
		api_error(rs, &e);
		resp_header(rs, "Allow", "GET, HEAD");
		return 0;
	}
	const char *v = rq->lookup(rq->conn, LOOKUP_QUERY, "v");
	int immutable = !page && v && strcmp(v, a->version) == 0;
	resp_header(rs, "Cache-Control",
		    immutable ? "public, max-age=31536000, immutable" : "no-cache");
	resp_header(rs, "ETag", a->etag);
	if (etag_matches(rq->lookup(rq->conn, LOOKUP_HEADER, "If-None-Match"), a->etag)) {
		rs->status = 304;
		rs->content_type = NULL;
		return 0;
	}
	rs->status = 200;
	rs->content_type = a->type;
	rs->static_body = a->body ? (const void *)a->body : (const void *)a->file->data;
	rs->static_len = a->len;
	return 0;
}
