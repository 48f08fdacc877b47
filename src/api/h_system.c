/* h_system.c: health and the OpenAPI document. */
#include "api/handlers.h"
#include "core/embed.h"
#include "store/db.h"

#ifndef MOTCUA_VERSION
#define MOTCUA_VERSION "0.1.0"
#endif

int h_health(struct hctx *h);
int h_openapi(struct hctx *h);

int
h_health(struct hctx *h)
{
	/* Built by hand: the load balancer asks this many times a second. */
	struct buf *b = &h->rs->body;
	h->rs->status = 200;
	h->rs->content_type = "application/json; charset=utf-8";
	buf_reset(b);
	buf_adds(b, "{\"status\":\"ok\",\"db\":\"");
	buf_adds(b, db_kind_name(h->c.db));
	buf_adds(b, "\",\"version\":\"" MOTCUA_VERSION "\"}");
	return 0;
}

int
h_openapi(struct hctx *h)
{
	const struct embed_file *f = embed_find("docs/api/openapi.yaml");
	if (!f)
		return err_set(&h->e, ERR_NOT_FOUND, "", "Không có tài liệu OpenAPI",
			       "OpenAPI document not built in");
	return reply_raw(h, 200, "application/yaml; charset=utf-8", f->data, f->len);
}
