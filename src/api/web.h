/*
 * web.h: the web room. The UI's files (web/ in the source tree) are carried in the binary
 * (core/embed.h); this module serves them under content-addressed URLs so that a browser
 * may keep an asset for a year and still never run a stale one.
 *
 * At first use every embedded file under web/ gets a version: the first 16 hex digits of the
 * SHA-256 of its served bytes. A text asset (HTML, CSS, JavaScript) that names another asset
 * by its absolute path ("/assets/js/api.js") is served with the path rewritten to carry that
 * asset's version ("/assets/js/api.js?v=0123456789abcdef"), and its own version is taken
 * after the rewrite, so a change anywhere below a page changes every URL above it.
 * The tables live until web_release (called by api_shutdown).
 */
#ifndef MOTCUA_WEB_H
#define MOTCUA_WEB_H

#include "api/api.h"

/* web_serve: when rq's path belongs to the web (a page of the portal or an asset) fill rs
 * and return 0; return -1, touching nothing, for a path the API should route. Pages are
 * sent with Cache-Control no-cache and an ETag; an asset asked with its current version
 * with public, max-age=31536000, immutable; an If-None-Match that matches is a 304. */
int web_serve(const struct req *rq, struct resp *rs);

/* web_asset_url: the versioned URL of an embedded asset ("/assets/css/portal.css" ->
 * "/assets/css/portal.css?v=..."), or NULL when there is no such asset. Static lifetime
 * until web_release. */
const char *web_asset_url(const char *path);

/* web_release: free the tables (the next web_serve builds them again). */
void web_release(void);

#endif
