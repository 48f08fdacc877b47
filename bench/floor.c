/*
 * floor.c: the bare floor for `make bench` — libmicrohttpd configured as motcua's server is
 * (internal epoll, a thread pool of one thread per core, at least two) answering every
 * request with the same 200-byte JSON body. Whatever motcua adds on top is measured as a
 * ratio to this. Usage: floor PORT (binds 127.0.0.1; 0 picks a free port). Prints
 * "floor listening on PORT" once ready, then runs until SIGINT or SIGTERM.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 200 bytes exactly, checked in main(). */
static const char body[] =
    "{\"status\":\"ok\",\"service\":\"motcua-floor\",\"note\":\"bare libmicrohttpd, fixed "
    "body\",\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}";

static struct MHD_Response *response;

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	   const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	static int first_call_marker;
	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	if (*con_cls == NULL) {
		/* Answer on the next call: queueing now would lose keep-alive. */
		*con_cls = &first_call_marker;
		return MHD_YES;
	}
	*upload_data_size = 0;
	return MHD_queue_response(conn, MHD_HTTP_OK, response);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: floor PORT\n");
		return 2;
	}
	char *end;
	long port = strtol(argv[1], &end, 10);
	if (!*argv[1] || *end || port < 0 || port > 65535) {
		fprintf(stderr, "floor: bad port %s\n", argv[1]);
		return 2;
	}
	if (sizeof(body) - 1 != 200) {
		fprintf(stderr, "floor: body is %zu bytes, not 200\n", sizeof(body) - 1);
		return 1;
	}
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = n < 2 ? 2 : (unsigned)n;

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	response =
	    MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
	if (!response)
		return 1;
	MHD_add_response_header(response, "Content-Type", "application/json");
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct MHD_Daemon *d = MHD_start_daemon(
	    MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL, NULL,
	    on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT, (unsigned)4000,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_LISTENING_ADDRESS_REUSE,
	    (unsigned)1, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "floor: cannot listen on port %ld\n", port);
		MHD_destroy_response(response);
		return 1;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("floor listening on %u with %u threads\n", di ? (unsigned)di->port : 0u, threads);
	fflush(stdout);
	int sig = 0;
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	MHD_destroy_response(response);
	return 0;
}
