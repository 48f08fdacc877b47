#include "http/server.h"
#include "api/api.h"
#include "core/arena.h"
#include "core/civil.h"
#include "core/log.h"
#include "core/mem.h"
#include "http/metrics.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct rctx {
	struct arena *arena;
	struct buf body;
	size_t body_max; /* this route's cap (api_body_max): larger for file uploads */
	int too_large;
	int64_t start_ns;
	char request_id[24];
	char remote[64];
	const char *method;
	const char *path;
	int status;
	int route;
	int64_t db_ns;
	size_t bytes;
};

static struct MHD_Daemon *daemon_;
static struct http_config cfg;
static _Atomic int inflight;
static _Atomic uint64_t request_seq;
static uint32_t request_prefix;
static int bound_port;

/* ---- request lookups for the api layer ---- */

static const char *
lookup(void *conn, enum req_lookup kind, const char *key)
{
	static const enum MHD_ValueKind kinds[] = {
	    [LOOKUP_HEADER] = MHD_HEADER_KIND,
	    [LOOKUP_QUERY] = MHD_GET_ARGUMENT_KIND,
	    [LOOKUP_COOKIE] = MHD_COOKIE_KIND,
	};
	return MHD_lookup_connection_value(conn, kinds[kind], key);
}

static void
client_address(struct MHD_Connection *conn, char *out, size_t cap)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	out[0] = '\0';
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  (socklen_t)cap);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  out, (socklen_t)cap);
}

static int
is_loopback(const char *addr)
{
	return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0 ||
	       strncmp(addr, "::ffff:127.", 11) == 0;
}

/* Behind a reverse proxy on this machine, the client is the last address the proxy appended
 * to X-Forwarded-For (earlier ones are whatever the client claimed). */
static void
forwarded_client(struct MHD_Connection *conn, char *out, size_t cap)
{
	const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
	if (!xff || !*xff)
		return;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	size_t n = strcspn(last, " ");
	if (n == 0 || n >= cap || strspn(last, "0123456789abcdefABCDEF.:") < n)
		return; /* not an address: keep the peer */
	memcpy(out, last, n);
	out[n] = '\0';
}

/* ---- responses ---- */

static void
add_security_headers(struct MHD_Response *r, const char *request_id, int is_api)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self'; script-src 'self'; style-src 'self'; "
				"img-src 'self' data:; object-src 'none'; base-uri 'self'; "
				"form-action 'self'; frame-ancestors 'none'");
	MHD_add_response_header(r, "X-Request-Id", request_id);
	if (is_api)
		MHD_add_response_header(r, "Cache-Control", "no-store");
}

static enum MHD_Result
send_resp(struct MHD_Connection *conn, struct rctx *r, struct resp *rs)
{
	struct MHD_Response *mr;
	if (rs->static_body) {
		mr = MHD_create_response_from_buffer(rs->static_len, (void *)rs->static_body,
						     MHD_RESPMEM_PERSISTENT);
		r->bytes = rs->static_len;
	} else {
		size_t len = rs->body.len;
		char *data = buf_detach(&rs->body, &len);
		mr = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
		r->bytes = len;
	}
	if (!mr)
		return MHD_NO;
	if (rs->content_type)
		MHD_add_response_header(mr, "Content-Type", rs->content_type);
	add_security_headers(mr, r->request_id, strncmp(r->path, "/api/", 5) == 0);
	for (int i = 0; i < rs->nheaders; i++)
		MHD_add_response_header(mr, rs->headers[i][0], rs->headers[i][1]);
	r->status = rs->status;
	r->route = rs->route;
	r->db_ns = rs->db_ns;
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)rs->status, mr);
	MHD_destroy_response(mr);
	return ret;
}

static void
resp_init(struct resp *rs)
{
	memset(rs, 0, sizeof(*rs));
	buf_init(&rs->body, 256u << 20);
	rs->route = -1;
}

static enum MHD_Result
send_error(struct MHD_Connection *conn, struct rctx *r, enum err_code code, const char *field,
	   const char *vi, const char *en)
{
	struct resp rs;
	struct err e = ERR_INIT;
	resp_init(&rs);
	err_set(&e, code, field, vi, en);
	api_error(&rs, &e);
	enum MHD_Result ret = send_resp(conn, r, &rs);
	buf_release(&rs.body);
	return ret;
}

static enum MHD_Result
send_metrics(struct MHD_Connection *conn, struct rctx *r)
{
	struct resp rs;
	resp_init(&rs);
	if (!cfg.metrics_public && !is_loopback(r->remote))
		return send_error(conn, r, ERR_FORBIDDEN, "", "Chỉ xem được từ máy chủ",
				  "metrics are served to loopback clients only");
	metrics_render(&rs.body);
	rs.status = 200;
	rs.content_type = "text/plain; version=0.0.4; charset=utf-8";
	enum MHD_Result ret = send_resp(conn, r, &rs);
	buf_release(&rs.body);
	return ret;
}

/* ---- the access handler ---- */

/* Each worker thread keeps one request arena between requests: a fresh one per request made
 * glibc consolidate its free lists on every request (an 8 KiB block is a "large" request),
 * a tenth of intake's CPU in malloc. The key's destructor frees it when the thread ends. */
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;

static void
spare_destroy(void *a)
{
	arena_free(a);
}

static void
spare_make(void)
{
	pthread_key_create(&spare_key, spare_destroy);
}

static struct arena *
arena_take(void)
{
	pthread_once(&spare_once, spare_make);
	struct arena *a = pthread_getspecific(spare_key);
	if (!a)
		return arena_new(8192);
	pthread_setspecific(spare_key, NULL);
	return a;
}

static void
arena_give_back(struct arena *a)
{
	if (pthread_getspecific(spare_key)) {
		arena_free(a);
		return;
	}
	arena_reset(a);
	pthread_setspecific(spare_key, a);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	   const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct rctx *r = *con_cls;
	if (!r) {
		r = xcalloc(1, sizeof(*r));
		r->arena = arena_take();
		r->body_max = api_body_max(method, url, cfg.body_max);
		buf_init(&r->body, r->body_max);
		r->start_ns = civil_now_ns();
		r->method = arena_strdup(r->arena, method);
		r->path = arena_strdup(r->arena, url);
		r->route = -1;
		snprintf(r->request_id, sizeof(r->request_id), "%08x%08llx", request_prefix,
			 (unsigned long long)atomic_fetch_add(&request_seq, 1));
		client_address(conn, r->remote, sizeof(r->remote));
		if (cfg.trust_proxy && is_loopback(r->remote))
			forwarded_client(conn, r->remote, sizeof(r->remote));
		atomic_fetch_add(&inflight, 1);
		*con_cls = r;
		const char *cl =
		    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > r->body_max)
			r->too_large = 1;
		/* Answer on the next call: queueing now would lose keep-alive. */
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!r->too_large && buf_add(&r->body, upload_data, *upload_data_size) < 0)
			r->too_large = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->too_large) {
		char vi[96], en[96];
		snprintf(vi, sizeof(vi), "Nội dung yêu cầu vượt quá %zu byte", r->body_max);
		snprintf(en, sizeof(en), "request body exceeds %zu bytes", r->body_max);
		return send_error(conn, r, ERR_TOO_LARGE, "body", vi, en);
	}
	if (strcmp(url, "/metrics") == 0 && strcmp(method, "GET") == 0)
		return send_metrics(conn, r);

	int m = http_method_parse(method);
	if (m < 0)
		return send_error(conn, r, ERR_METHOD_NOT_ALLOWED, "",
				  "Phương thức không được hỗ trợ", "method not allowed");
	struct req rq = {
	    .method = (enum http_method)m,
	    .path = r->path,
	    .body = r->body.data ? r->body.data : "",
	    .body_len = r->body.len,
	    .arena = r->arena,
	    .request_id = r->request_id,
	    .remote = r->remote,
	    .conn = conn,
	    .lookup = lookup,
	};
	const char *proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
	rq.secure = proto && strcmp(proto, "https") == 0 && is_loopback(r->remote);
	struct resp rs;
	resp_init(&rs);
	api_handle(&rq, &rs);
	enum MHD_Result ret = send_resp(conn, r, &rs);
	buf_release(&rs.body);
	return ret;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	struct rctx *r = *con_cls;
	if (!r)
		return;
	int64_t dur = civil_now_ns() - r->start_ns;
	metrics_observe(r->route, r->status, dur, r->db_ns);
	if (cfg.access_log) {
		struct buf b = BUF_INIT(8192);
		if (log_begin(&b, LOG_INFO, "access") == 0) {
			buf_adds(&b, ",\"request_id\":");
			buf_add_json_str(&b, r->request_id);
			buf_adds(&b, ",\"remote\":");
			buf_add_json_str(&b, r->remote);
			buf_adds(&b, ",\"method\":");
			buf_add_json_str(&b, r->method);
			buf_adds(&b, ",\"path\":");
			buf_add_json_str(&b, r->path);
			buf_addf(&b, ",\"status\":%d,\"bytes\":%zu,\"ms\":%.3f,\"db_ms\":%.3f%s",
				 r->status, r->bytes, (double)dur / 1e6, (double)r->db_ns / 1e6,
				 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? ""
									    : ",\"aborted\":true");
			log_end(&b);
		}
	}
	atomic_fetch_sub(&inflight, 1);
	buf_release(&r->body);
	arena_give_back(r->arena);
	free(r);
	*con_cls = NULL;
}

/* ---- lifecycle ---- */

static int
parse_listen(const char *listen, struct sockaddr_storage *ss, struct err *e)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	if (!colon)
		return err_setf(e, ERR_VALIDATION, "listen", "Địa chỉ lắng nghe không hợp lệ: %s",
				"invalid listen address: %s", listen);
	size_t hl = (size_t)(colon - listen);
	if (hl >= sizeof(host))
		hl = sizeof(host) - 1;
	memcpy(host, listen, hl);
	host[hl] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return err_setf(e, ERR_VALIDATION, "listen", "Cổng không hợp lệ: %s",
				"invalid port: %s", colon + 1);
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		host[strlen(host) - 1] = '\0';
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1)
			return err_setf(e, ERR_VALIDATION, "listen",
					"Địa chỉ IPv6 không hợp lệ: %s", "invalid IPv6 address: %s",
					host);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		if (host[0] == '\0' || strcmp(host, "*") == 0)
			s4->sin_addr.s_addr = htonl(INADDR_ANY);
		else if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
			return err_setf(e, ERR_VALIDATION, "listen",
					"Địa chỉ IPv4 không hợp lệ: %s", "invalid IPv4 address: %s",
					host);
	}
	return 0;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	log_event(LOG_WARN, "http", "message", msg, NULL);
}

int
http_start(const struct http_config *c, struct err *e)
{
	cfg = *c;
	struct sockaddr_storage ss;
	if (parse_listen(cfg.listen, &ss, e) < 0)
		return -1;
	unsigned threads = cfg.threads;
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		/* More threads than cores: a worker waiting for a commit (fsync) holds its thread,
		 * and group commit can only share an fsync among requests that wait together. */
		threads = n < 2 ? 8 : (unsigned)(4 * n);
		if (threads < 8)
			threads = 8;
	}
	request_prefix = (uint32_t)civil_now() ^ (uint32_t)getpid() << 16;
	metrics_init(api_route_count(), api_route_label);
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	daemon_ = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)4000, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
	if (!daemon_) {
		metrics_free();
		return err_setf(e, ERR_UNAVAILABLE, "listen",
				"Không mở được cổng %s (đã có chương trình khác dùng?)",
				"cannot listen on %s (address in use?)", cfg.listen);
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
	bound_port = di ? di->port : 0;
	return 0;
}

int
http_port(void)
{
	return bound_port;
}

void
http_stop(int grace)
{
	if (!daemon_)
		return;
	/* Stop accepting. The listen socket is ours to close, but only after the workers have
	 * taken it out of their epoll sets, that is after MHD_stop_daemon. */
	MHD_socket fd = MHD_quiesce_daemon(daemon_);
	/* Requests already being served finish; idle keep-alive connections are closed. */
	for (int i = 0; i < grace * 100 && atomic_load(&inflight) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(daemon_);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	daemon_ = NULL;
	metrics_free();
}
