/* h_files.c: a dossier's attachments over HTTP. Uploads are the file's bytes as the request
 * body (routes flagged R_RAW, capped at the per-file limit instead of the JSON cap), with
 * kind, component and name in the query; downloads carry the type found in the content, a
 * Content-Disposition naming the file and the nosniff header every answer has. */
#include "api/handlers.h"
#include "core/ratelimit.h"
#include "service/dossier_files.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

int h_files_stage(struct hctx *h);
int h_dossier_files_add(struct hctx *h);
int h_dossier_files_list(struct hctx *h);
int h_dossier_files_get(struct hctx *h);
int h_public_files_add(struct hctx *h);
int h_public_files_get(struct hctx *h);

static struct ratelimit *public_fail, *public_upload;
static pthread_once_t limits_once = PTHREAD_ONCE_INIT;

static void
limits_init(void)
{
	public_fail = ratelimit_new(20, 600); /* wrong code or token per address per 10 minutes */
	public_upload = ratelimit_new(120, 3600); /* applicants' uploads per address per hour */
}

static json_t *
file_json(const struct dossier_file_rec *f, int staff)
{
	json_t *o = json_pack("{s:s,s:I,s:s,s:s,s:s}", "sha256", f->sha256, "size",
			      (json_int_t)f->size, "mime", f->mime, "name", f->name ? f->name : "",
			      "kind", dossier_file_kind_name(f->kind));
	json_object_set_new(o, "component",
			    f->component_seq ? json_integer(f->component_seq) : json_null());
	json_object_set_new(o, "created_at", jtime(f->created_at));
	if (staff)
		json_object_set_new(o, "created_by", jstr(f->created_by));
	return o;
}

/* kind, component and name from the query; the bytes from the body */
static int
read_upload(struct hctx *h, const char *dflt_kind, struct dossier_file_in *in)
{
	memset(in, 0, sizeof(*in));
	const char *kind = query(h, "kind");
	if (!kind)
		kind = dflt_kind;
	int k = dossier_file_kind_parse(kind);
	if (k < 0)
		return err_set(&h->e, ERR_VALIDATION, "kind",
			       "Loại tệp (kind) là component, result hoặc supplement",
			       "kind is component, result or supplement");
	int64_t comp;
	if (query_int(h, "component", 1, DOSSIER_MAX_COMPONENTS, 0, &comp) < 0)
		return -1;
	in->kind = (enum dossier_file_kind)k;
	in->component_seq = (int)comp;
	in->name = query(h, "name");
	if (in->name && strlen(in->name) > 4 * DOSSIER_FILE_NAME_MAX)
		return err_set(&h->e, ERR_VALIDATION, "name", "Tên tệp quá dài",
			       "the file name is too long");
	in->data = h->rq->body;
	in->len = h->rq->body_len;
	return 0;
}

int
reply_attachment(struct hctx *h, const char *file_name, const char *sha256, const char *mime,
		 const void *data, size_t len)
{
	/* RFC 6266: an ASCII fallback and the UTF-8 name percent-encoded (RFC 8187) */
	static const char hex[] = "0123456789ABCDEF";
	const char *name = file_name && *file_name ? file_name : sha256;
	size_t n = strlen(name);
	char *ascii = arena_alloc(h->c.arena, n + 1), *pct = arena_alloc(h->c.arena, 3 * n + 1);
	size_t a = 0, p = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (ch < 0x80)
			ascii[a++] =
			    ch < 0x20 || ch == '"' || ch == '\\' || ch == '%' ? '_' : (char)ch;
		else if ((ch & 0xC0) != 0x80)
			ascii[a++] = '_'; /* one per non-ASCII character */
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || strchr("!#$&+-.^_`|~", ch)) {
			pct[p++] = (char)ch;
		} else {
			pct[p++] = '%';
			pct[p++] = hex[ch >> 4];
			pct[p++] = hex[ch & 15];
		}
	}
	ascii[a] = pct[p] = '\0';
	resp_header(h->rs, "Content-Disposition",
		    arena_printf(h->c.arena, "attachment; filename=\"%s\"; filename*=UTF-8''%s",
				 ascii, pct));
	resp_header(h->rs, "ETag", arena_printf(h->c.arena, "\"%s\"", sha256));
	return reply_raw(h, 200, mime, data, len);
}

static int
reply_file(struct hctx *h, const struct dossier_file_rec *f, const void *data, size_t len)
{
	return reply_attachment(h, f->name, f->sha256, f->mime, data, len);
}

/* ---- staff ---- */

int
h_files_stage(struct hctx *h)
{
	struct dossier_file_rec f;
	if (dossier_file_stage(&h->c, h->rq->body, h->rq->body_len, &f, &h->e) < 0)
		return -1;
	return reply_json(h, f.created ? 201 : 200,
			  json_pack("{s:s,s:I,s:s}", "sha256", f.sha256, "size", (json_int_t)f.size,
				    "mime", f.mime));
}

int
h_dossier_files_add(struct hctx *h)
{
	struct dossier_file_in in;
	struct dossier_file_rec f;
	if (read_upload(h, NULL, &in) < 0 ||
	    dossier_file_add(&h->c, h->params[0], &in, &f, &h->e) < 0)
		return -1;
	return reply_json(h, f.created ? 201 : 200, file_json(&f, 1));
}

int
h_dossier_files_list(struct hctx *h)
{
	struct dossier_file_rec *v;
	size_t n;
	if (dossier_file_list(&h->c, h->params[0], &v, &n, &h->e) < 0)
		return -1;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, file_json(&v[i], 1));
	return reply_json(h, 200, jlist(items, NULL));
}

int
h_dossier_files_get(struct hctx *h)
{
	struct dossier_file_rec f;
	const void *data;
	size_t len;
	if (dossier_file_get(&h->c, h->params[0], h->params[1], NULL, &f, &data, &len, &h->e) < 0)
		return -1;
	return reply_file(h, &f, data, len);
}

/* ---- the applicant, with the lookup token ---- */

static int
public_token(struct hctx *h, const char **token)
{
	pthread_once(&limits_once, limits_init);
	int retry;
	if (ratelimit_check(public_fail, h->c.remote ? h->c.remote : "", h->c.now, &retry) < 0)
		return err_setf(&h->e, ERR_RATE_LIMITED, "",
				"Sai mã quá nhiều lần; thử lại sau %d giây",
				"too many failed attempts; try again in %d seconds", retry);
	*token = query(h, "token");
	if (!*token || !**token)
		return err_set(&h->e, ERR_VALIDATION, "token", "Cần mã tra cứu",
			       "the lookup token is required");
	if (strlen(*token) > 64)
		return err_set(&h->e, ERR_VALIDATION, "token", "Mã tra cứu quá dài",
			       "the lookup token is too long");
	h->c.actor = NULL; /* a citizen, even if a staff cookie came along */
	return 0;
}

static int
public_failed(struct hctx *h)
{
	if (h->e.code == ERR_NOT_FOUND)
		ratelimit_hit(public_fail, h->c.remote ? h->c.remote : "", h->c.now, NULL);
	return -1;
}

int
h_public_files_add(struct hctx *h)
{
	struct dossier_file_in in;
	struct dossier_file_rec f;
	int retry;
	if (public_token(h, &in.token) < 0)
		return -1;
	const char *token = in.token;
	if (ratelimit_hit(public_upload, h->c.remote ? h->c.remote : "", h->c.now, &retry) < 0)
		return err_setf(&h->e, ERR_RATE_LIMITED, "",
				"Tải lên quá nhiều tệp; thử lại sau %d giây",
				"too many uploads; try again in %d seconds", retry);
	if (read_upload(h, "supplement", &in) < 0)
		return -1;
	in.token = token;
	if (dossier_file_add(&h->c, h->params[0], &in, &f, &h->e) < 0)
		return public_failed(h);
	return reply_json(h, f.created ? 201 : 200, file_json(&f, 0));
}

int
h_public_files_get(struct hctx *h)
{
	const char *token;
	struct dossier_file_rec f;
	const void *data;
	size_t len;
	if (public_token(h, &token) < 0)
		return -1;
	if (dossier_file_get(&h->c, h->params[0], h->params[1], token, &f, &data, &len, &h->e) < 0)
		return public_failed(h);
	return reply_file(h, &f, data, len);
}
