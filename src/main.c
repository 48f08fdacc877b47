/*
 * main.c: the command line. Parses argv and the environment, wires the layers together,
 * handles signals, and is the only place that exits. See `motcua help` and api.md.
 */
#include "api/api.h"
#include "core/civil.h"
#include "core/log.h"
#include "crypto/crypto.h"
#include "http/server.h"
#include "service/audit.h"
#include "service/auth.h"
#include "service/demo.h"
#include "service/unit.h"
#include "service/user.h"
#include "store/db.h"
#include "store/migrate.h"

#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct options {
	const char *db;
	const char *listen;
	const char *files;
	const char *log;
	const char *role;
	const char *unit;
	const char *full_name;
	unsigned threads;
	size_t body_max;
	int quiet;
	int demo_if_empty;
	int secure_cookies;
	int metrics_public;
	int dry_run;
	const char *args[16]; /* positional arguments after the verb */
	int nargs;
};

static void
usage(FILE *to)
{
	fputs(
	    "motcua — một cửa điện tử / electronic one-stop shop\n"
	    "\n"
	    "usage: motcua VERB [options]\n"
	    "  serve [--listen 127.0.0.1:8080] [--db URL] [--files DIR] [--threads N]\n"
	    "        [--body-max BYTES] [--log FILE] [--quiet] [--demo-if-empty]\n"
	    "        [--secure-cookies] [--metrics-public]\n"
	    "  migrate [--db URL]               apply database migrations and exit\n"
	    "  demo [--db URL]                  load the demo province, print the demo logins\n"
	    "  user add NAME --role ROLE --unit UNIT [--full-name TEXT]   (password on stdin)\n"
	    "  user passwd NAME                 (new password on stdin)\n"
	    "  user grant NAME --role ROLE --unit UNIT\n"
	    "  verify [--db URL]                check every hash chain\n"
	    "  routes                           print the API route table\n"
	    "  version\n"
	    "\n"
	    "URL is sqlite:PATH (default sqlite:var/motcua.db) or postgres://...; also MOTCUA_DB.\n"
	    "UNIT is a unit id, a unit identifier (000.00.13.G04) or 'root'.\n"
	    "ROLE is one of admin receiver specialist dept_head leader clerk cashier unit_admin\n"
	    "inspector auditor.\n",
	    to);
}

static int
die(const char *fmt, const char *arg)
{
	fprintf(stderr, "motcua: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 2;
}

static int
parse_options(int argc, char **argv, int first, struct options *o)
{
	for (int i = first; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define TAKE(field)                                                                                \
	do {                                                                                       \
		if (!v)                                                                            \
			return die("%s needs a value", a);                                         \
		o->field = v;                                                                      \
		i++;                                                                               \
	} while (0)
		if (strcmp(a, "--db") == 0)
			TAKE(db);
		else if (strcmp(a, "--listen") == 0)
			TAKE(listen);
		else if (strcmp(a, "--files") == 0)
			TAKE(files);
		else if (strcmp(a, "--log") == 0)
			TAKE(log);
		else if (strcmp(a, "--role") == 0)
			TAKE(role);
		else if (strcmp(a, "--unit") == 0)
			TAKE(unit);
		else if (strcmp(a, "--full-name") == 0)
			TAKE(full_name);
		else if (strcmp(a, "--threads") == 0 || strcmp(a, "--body-max") == 0) {
			char *end;
			if (!v)
				return die("%s needs a value", a);
			unsigned long long n = strtoull(v, &end, 10);
			if (*end || n == 0 || n > (1ull << 32))
				return die("bad number for %s", a);
			if (a[2] == 't')
				o->threads = (unsigned)(n > 256 ? 256 : n);
			else
				o->body_max = (size_t)n;
			i++;
		} else if (strcmp(a, "--quiet") == 0)
			o->quiet = 1;
		else if (strcmp(a, "--demo-if-empty") == 0)
			o->demo_if_empty = 1;
		else if (strcmp(a, "--secure-cookies") == 0)
			o->secure_cookies = 1;
		else if (strcmp(a, "--metrics-public") == 0)
			o->metrics_public = 1;
		else if (strcmp(a, "--dry-run") == 0)
			o->dry_run = 1;
		else if (a[0] == '-' && a[1] == '-')
			return die("unknown option %s (see motcua help)", a);
		else if (o->nargs < 16)
			o->args[o->nargs++] = a;
#undef TAKE
	}
	return 0;
}

/* For sqlite:var/motcua.db, create var/ so a first run just works. */
static void
ensure_sqlite_dir(const char *url)
{
	if (strncmp(url, "sqlite:", 7) != 0)
		return;
	char dir[512];
	snprintf(dir, sizeof(dir), "%s", url + 7);
	char *slash = strrchr(dir, '/');
	if (!slash)
		return;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0750);
			*p = '/';
		}
	mkdir(dir, 0750);
}

static int
open_db(struct options *o, struct db **db)
{
	struct err e = ERR_INIT;
	ensure_sqlite_dir(o->db);
	if (db_open(db, o->db, &e) < 0) {
		fprintf(stderr, "motcua: %s\n", e.message_en);
		return -1;
	}
	int applied;
	if (migrate_run(*db, &applied, &e) < 0) {
		fprintf(stderr, "motcua: %s\n", e.message_en);
		db_close(*db);
		return -1;
	}
	return 0;
}

static void
cli_ctx(struct ctx *c, struct db *db, struct actor *system)
{
	actor_system(system);
	memset(c, 0, sizeof(*c));
	c->db = db;
	c->arena = arena_new(65536);
	c->actor = system;
	c->now = civil_now();
	c->remote = "cli";
	c->request_id = "cli";
}

static int
report(const struct err *e)
{
	fprintf(stderr, "motcua: %s%s%s\n  (%s)\n", e->field[0] ? e->field : "",
		e->field[0] ? ": " : "", e->message_en, e->message_vi);
	return 1;
}

static void
print_logins(const struct demo_login *l, size_t n)
{
	printf("Tài khoản mẫu — demo logins (mật khẩu chỉ hiện một lần / passwords shown once):\n");
	for (size_t i = 0; i < n; i++)
		printf("  %-14s %-16s %-11s %s\n", l[i].username, l[i].password, l[i].role,
		       l[i].unit);
	printf("Đổi mật khẩu / reset a password: motcua user passwd NAME\n");
}

static int
cmd_demo(struct db *db, int quiet_if_exists)
{
	struct ctx c;
	struct actor sys;
	struct err e = ERR_INIT;
	struct demo_login logins[DEMO_MAX_LOGINS];
	size_t n = 0;
	cli_ctx(&c, db, &sys);
	int rc = demo_load(&c, logins, &n, &e);
	arena_free(c.arena);
	if (rc < 0) {
		if (e.code == ERR_CONFLICT && quiet_if_exists)
			return 0;
		return report(&e);
	}
	print_logins(logins, n);
	return 0;
}

/* Read one line (a password) from standard input, without its newline. */
static int
read_secret(char *out, size_t cap)
{
	if (!fgets(out, (int)cap, stdin))
		return -1;
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

static int
cmd_user(struct options *o, struct db *db)
{
	if (o->nargs < 3)
		return die("%s", "usage: motcua user add|passwd|grant NAME ...");
	const char *sub = o->args[1], *name = o->args[2];
	struct ctx c;
	struct actor sys;
	struct err e = ERR_INIT;
	char password[256];
	int rc = 0;
	cli_ctx(&c, db, &sys);
	if (strcmp(sub, "add") == 0) {
		if (!o->role || !o->unit) {
			rc = die("%s", "user add needs --role and --unit");
			goto out;
		}
		if (read_secret(password, sizeof(password)) < 0) {
			rc = die("%s", "user add reads the password from standard input");
			goto out;
		}
		struct grant_input g = {o->role, o->unit};
		struct user_input in = {.username = name,
					.full_name = o->full_name ? o->full_name : name,
					.password = password,
					.grants = &g,
					.ngrants = 1};
		int64_t id;
		if (user_create(&c, &in, &id, &e) < 0)
			rc = report(&e);
		else
			printf("user %s created (id %" PRId64 ")\n", name, id);
	} else if (strcmp(sub, "passwd") == 0) {
		int64_t id;
		if (read_secret(password, sizeof(password)) < 0) {
			rc = die("%s", "user passwd reads the password from standard input");
			goto out;
		}
		struct user_input in = {.password = password, .set = USER_SET_PASSWORD};
		if (user_find(&c, name, &id, &e) < 0 || user_update(&c, id, &in, &e) < 0)
			rc = report(&e);
		else
			printf("password of %s changed\n", name);
	} else if (strcmp(sub, "grant") == 0) {
		int64_t id;
		if (!o->role || !o->unit) {
			rc = die("%s", "user grant needs --role and --unit");
			goto out;
		}
		struct grant_input g = {o->role, o->unit};
		if (user_find(&c, name, &id, &e) < 0 || user_grant(&c, id, &g, &e) < 0)
			rc = report(&e);
		else
			printf("granted %s at %s to %s\n", o->role, o->unit, name);
	} else {
		rc = die("unknown user command %s", sub);
	}
out:
	memset(password, 0, sizeof(password));
	arena_free(c.arena);
	return rc;
}

static int
cmd_verify(struct db *db)
{
	struct err e = ERR_INIT;
	int64_t checked = 0, bad = 0;
	if (audit_verify(db, &checked, &bad, &e) < 0) {
		fprintf(stderr, "motcua verify: FAILED: %s\n  (%s)\n", e.message_en, e.message_vi);
		return 1;
	}
	printf("audit log: %" PRId64 " entries, chain intact\n", checked);
	return 0;
}

static int
cmd_serve(struct options *o)
{
	struct err e = ERR_INIT;
	struct db *db;
	if (open_db(o, &db) < 0)
		return 1;
	int rc = 0;
	if (o->demo_if_empty)
		rc = cmd_demo(db, 1);
	db_close(db);
	if (rc)
		return rc;

	/* Block the signals in every thread; this one waits for them. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct api_config acfg = {o->db, o->files, o->body_max, o->secure_cookies};
	if (api_init(&acfg, &e) < 0)
		return report(&e);
	struct http_config hcfg = {o->listen, o->threads, o->body_max, !o->quiet,
				   o->metrics_public};
	if (http_start(&hcfg, &e) < 0) {
		api_shutdown();
		return report(&e);
	}
	const char *host = o->listen;
	char url[160];
	if (strncmp(host, "0.0.0.0:", 8) == 0 || host[0] == ':')
		snprintf(url, sizeof(url), "http://127.0.0.1:%d/", http_port());
	else
		snprintf(url, sizeof(url), "http://%.*s:%d/", (int)(strrchr(host, ':') - host),
			 host, http_port());
	printf("motcua đang chạy / serving at %s  (db: %s)\n", url,
	       strncmp(o->db, "sqlite:", 7) == 0 ? o->db : "postgres");
	fflush(stdout);
	log_event(LOG_INFO, "started", "url", url, NULL);
	int sig = 0;
	sigwait(&set, &sig);
	log_event(LOG_INFO, "stopping", "signal", sig == SIGTERM ? "SIGTERM" : "SIGINT", NULL);
	http_stop(10);
	api_shutdown();
	log_event(LOG_INFO, "stopped", NULL);
	return 0;
}

int
main(int argc, char **argv)
{
	struct options o;
	memset(&o, 0, sizeof(o));
	o.db = getenv("MOTCUA_DB");
	if (!o.db || !*o.db)
		o.db = "sqlite:var/motcua.db";
	o.listen = "127.0.0.1:8080";
	o.files = "var/files";
	o.body_max = 1u << 20;
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *verb = argv[1];
	if (parse_options(argc, argv, 2, &o))
		return 2;
	if (o.log && log_open(o.log) < 0)
		return die("cannot open log file %s", o.log);
	if (crypto_init() < 0)
		return die("%s", "cannot initialise libsodium");

	if (strcmp(verb, "help") == 0 || strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(verb, "version") == 0 || strcmp(verb, "--version") == 0) {
		printf("motcua 0.1.0\n");
		return 0;
	}
	if (strcmp(verb, "routes") == 0) {
		for (int i = 0; i < api_route_count(); i++)
			printf("%s\n", api_route_label(i));
		return 0;
	}
	if (strcmp(verb, "serve") == 0)
		return cmd_serve(&o);

	struct db *db;
	int rc;
	if (strcmp(verb, "migrate") == 0) {
		if (open_db(&o, &db) < 0)
			return 1;
		printf("database at version %d\n", migrate_version(db));
		db_close(db);
		return 0;
	}
	if (strcmp(verb, "demo") == 0) {
		if (open_db(&o, &db) < 0)
			return 1;
		rc = cmd_demo(db, 0);
	} else if (strcmp(verb, "user") == 0) {
		o.nargs++; /* args[0] is the sub-verb's parent for uniform indexing */
		memmove(&o.args[1], &o.args[0], sizeof(o.args[0]) * 15);
		o.args[0] = verb;
		if (open_db(&o, &db) < 0)
			return 1;
		rc = cmd_user(&o, db);
	} else if (strcmp(verb, "verify") == 0) {
		if (open_db(&o, &db) < 0)
			return 1;
		rc = cmd_verify(db);
	} else {
		usage(stderr);
		return 2;
	}
	db_close(db);
	auth_shutdown();
	return rc;
}
