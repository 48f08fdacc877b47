/*
 * main.c: the command line. Parses argv and the environment, wires the layers together,
 * handles signals, and is the only place that exits. See `motcua help` and api.md.
 */
#include "api/api.h"
#include "api/import.h"
#include "core/civil.h"
#include "core/log.h"
#include "crypto/crypto.h"
#include "http/server.h"
#include "service/audit.h"
#include "service/auth.h"
#include "service/clocksvc.h"
#include "service/demo.h"
#include "service/procedure.h"
#include "service/demo_data.h"
#include "service/bench_data.h"
#include "service/dossier.h"
#include "service/feedback.h"
#include "service/outbox.h"
#include "service/sweep.h"
#include "service/stats.h"
#include "service/unit.h"
#include "service/user.h"
#include "store/db.h"
#include "store/migrate.h"

#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <malloc.h>
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
	size_t file_max;	    /* 0: the service's default */
	int64_t dossier_files_max;  /* 0: the service's default */
	int64_t feedback_files_max; /* 0: the service's default */
	int quiet;
	int demo_if_empty;
	int secure_cookies;
	int metrics_public;
	int trust_proxy;
	long lookup_rate;
	int dry_run;
	int no_dossiers;	 /* demo: the province and catalogue only */
	int64_t dossiers;	 /* bench-data: how many */
	int days;		 /* bench-data: over how many days */
	int demo_days;		 /* demo: how many days of dossiers (365) */
	double demo_rate;	 /* demo: dossiers per commune per working day (2) */
	const char *smtp;	 /* serve: smtp://HOST:PORT (none: e-mail waits) */
	const char *smtp_from;	 /* serve: the From address of e-mail */
	int outbox_max_attempts; /* serve: 0 is the default */
	int outbox_backoff;	 /* serve: first retry delay in seconds, 0 is the default */
	int sweep_interval;	 /* serve: seconds between sweeps, 0 for none */
	const char *args[16];	 /* positional arguments after the verb */
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
	    "        [--secure-cookies] [--metrics-public] [--trust-proxy] [--lookup-rate N]\n"
	    "        [--file-max BYTES] [--dossier-files-max BYTES] [--feedback-files-max BYTES]\n"
	    "                                   attachment limits (10 MiB per file, 50 MiB per\n"
	    "                                   dossier, 20 MiB per feedback item)\n"
	    "        [--smtp smtp://HOST:PORT --smtp-from ADDRESS] [--outbox-max-attempts 8]\n"
	    "        [--outbox-backoff-seconds 30] [--sweep-interval 60]   notifications\n"
	    "  migrate [--db URL]               apply database migrations and exit\n"
	    "  demo [--db URL]                  load the demo province, print the demo logins\n"
	    "  user add NAME --role ROLE --unit UNIT [--full-name TEXT]   (password on stdin)\n"
	    "  user passwd NAME                 (new password on stdin)\n"
	    "  user grant NAME --role ROLE --unit UNIT\n"
	    "  calendar propose YEAR            print the Labour Code proposal of a year's days\n"
	    "                                   off, in the calendar text format, to edit\n"
	    "  calendar show YEAR [--db URL]    print the calendar of a year in force\n"
	    "  calendar set FILE [--db URL]     load an edited calendar text file\n"
	    "  import procedures FILE|DIR... [--dry-run] [--db URL]\n"
	    "                                   import catalogue records (national JSON, xlsx\n"
	    "                                   lists, CSV) and print the reconciliation report\n"
	    "  sweep [--db URL]                 one pass of staff warnings (due soon, late) and\n"
	    "                                   of supplements past their deadline, as serve does\n"
	    "  verify [--db URL]                check every hash chain (audit, dossiers, "
	    "feedback)\n"
	    "  stats rebuild [--db URL]         recompute the statistics counters from the "
	    "dossiers\n"
	    "  bench-data --dossiers N [--days D] [--db URL]   synthetic dossiers for benchmarks\n"
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
		} else if (strcmp(a, "--file-max") == 0 || strcmp(a, "--dossier-files-max") == 0 ||
			   strcmp(a, "--feedback-files-max") == 0) {
			char *end;
			if (!v)
				return die("%s needs a value", a);
			unsigned long long n = strtoull(v, &end, 10);
			if (*end || n == 0 || n > (1ull << 40))
				return die("bad number for %s", a);
			if (a[2] == 'f' && a[3] == 'i')
				o->file_max = (size_t)(n > (1u << 30) ? 1u << 30 : n);
			else if (a[2] == 'f')
				o->feedback_files_max = (int64_t)n;
			else
				o->dossier_files_max = (int64_t)n;
			i++;
		} else if (strcmp(a, "--quiet") == 0)
			o->quiet = 1;
		else if (strcmp(a, "--demo-if-empty") == 0)
			o->demo_if_empty = 1;
		else if (strcmp(a, "--secure-cookies") == 0)
			o->secure_cookies = 1;
		else if (strcmp(a, "--metrics-public") == 0)
			o->metrics_public = 1;
		else if (strcmp(a, "--trust-proxy") == 0)
			o->trust_proxy = 1;
		else if (strcmp(a, "--lookup-rate") == 0) {
			char *end;
			if (!v)
				return die("%s needs a value", a);
			long x = strtol(v, &end, 10);
			if (*end || x < 1)
				return die("bad number for %s", a);
			o->lookup_rate = x;
			i++;
		} else if (strcmp(a, "--dry-run") == 0)
			o->dry_run = 1;
		else if (strcmp(a, "--no-dossiers") == 0)
			o->no_dossiers = 1;
		else if (strcmp(a, "--dossiers") == 0 || strcmp(a, "--days") == 0) {
			char *end;
			if (!v)
				return die("%s needs a value", a);
			long long x = strtoll(v, &end, 10);
			if (*end || x <= 0 || x > 1000000000LL)
				return die("bad number for %s", a);
			if (a[3] == 'o')
				o->dossiers = x;
			else
				o->days = (int)(x > 36500 ? 36500 : x);
			i++;
		} else if (strcmp(a, "--demo-days") == 0 || strcmp(a, "--demo-rate") == 0) {
			char *end;
			if (!v)
				return die("%s needs a value", a);
			double x = strtod(v, &end);
			if (*end || x < 0 || x > 3650)
				return die("bad number for %s", a);
			if (a[7] == 'd')
				o->demo_days = (int)x;
			else
				o->demo_rate = x;
			i++;
		} else if (strcmp(a, "--smtp") == 0)
			TAKE(smtp);
		else if (strcmp(a, "--smtp-from") == 0)
			TAKE(smtp_from);
		else if (strcmp(a, "--outbox-max-attempts") == 0 ||
			 strcmp(a, "--outbox-backoff-seconds") == 0 ||
			 strcmp(a, "--sweep-interval") == 0) {
			char *end;
			if (!v)
				return die("%s needs a value", a);
			long x = strtol(v, &end, 10);
			int sweep = a[2] == 's', attempts = a[9] == 'm';
			if (!*v || *end || x < (sweep ? 0 : 1) || x > (attempts ? 100 : 86400))
				return die("bad number for %s", a);
			if (sweep)
				o->sweep_interval = (int)x;
			else if (attempts)
				o->outbox_max_attempts = (int)x;
			else
				o->outbox_backoff = (int)x;
			i++;
		} else if (a[0] == '-' && a[1] == '-')
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

/* The seed catalogue (data/procedures/), loaded with the demo province. */
static int
demo_catalogue(const struct ctx *c, size_t *added, struct err *e)
{
	struct import_report rep;
	memset(&rep, 0, sizeof(rep));
	if (import_seed(c, &rep, e) < 0)
		return -1;
	*added = rep.counts[PROC_ADDED] + rep.counts[PROC_UPDATED];
	return 0;
}

static int
cmd_demo(struct db *db, int quiet_if_exists, const struct options *o)
{
	struct ctx c;
	struct actor sys;
	struct err e = ERR_INIT;
	struct demo_login logins[DEMO_MAX_LOGINS];
	size_t n = 0;
	cli_ctx(&c, db, &sys);
	int rc = demo_load(&c, logins, &n, &e);
	size_t seeded = 0;
	if (rc == 0)
		rc = demo_catalogue(&c, &seeded, &e);
	arena_free(c.arena);
	if (rc < 0) {
		if (e.code == ERR_CONFLICT && quiet_if_exists) {
			printf("Dữ liệu mẫu đã có; mật khẩu chỉ in lần đầu.\n"
			       "Đặt lại: motcua user passwd TÊN\n"
			       "Demo already loaded; its passwords were printed on the first\n"
			       "start. Reset one with: motcua user passwd NAME\n");
			return 0;
		}
		return report(&e);
	}
	print_logins(logins, n);
	printf("Danh mục thủ tục mẫu / seed catalogue: %zu procedures\n", seeded);
	if (o->no_dossiers || o->demo_days == 0)
		return 0;
	printf("Đang tạo hồ sơ mẫu của %d ngày / making %d days of demo dossiers...\n",
	       o->demo_days, o->demo_days);
	fflush(stdout);
	struct demo_data_stats st;
	cli_ctx(&c, db, &sys);
	rc = demo_dossiers(&c, o->demo_days, o->demo_rate, &st, &e);
	arena_free(c.arena);
	if (rc < 0)
		return report(&e);
	printf("Hồ sơ mẫu / demo dossiers: %" PRId64 " (%" PRId64 " trực tuyến, %" PRId64
	       " bưu chính), %" PRId64 " thao tác, %" PRId64 " đang giải quyết, %" PRId64
	       " quá hạn, %" PRId64 " chờ bổ sung\n",
	       st.dossiers, st.online, st.postal, st.actions, st.open, st.late,
	       st.waiting_supplement);
	return 0;
}

/* motcua bench-data --dossiers N [--days D]: synthetic dossiers for benchmarks; in an empty
 * database first a large province (centre, 20 departments, 120 communes) and the seed
 * catalogue. Without --days the dossiers arrive at a large province's rate, about 9,000 a
 * day (10 million is three years), at least 30 days and at most three years. */
static int
cmd_bench_data(const struct options *o, struct db *db)
{
	struct ctx c;
	struct actor sys;
	struct err e = ERR_INIT;
	if (o->dossiers <= 0)
		return die("%s", "usage: motcua bench-data --dossiers N [--days D] [--db URL]");
	cli_ctx(&c, db, &sys);
	size_t seeded = 0;
	int rc = 0;
	if (unit_count(&c) == 0)
		rc = bench_province(&c, &e) < 0 || demo_catalogue(&c, &seeded, &e) < 0 ? -1 : 0;
	double rate = 0;
	int days = o->days;
	if (!days) {
		int64_t d = o->dossiers / BENCH_PER_DAY;
		days = d < 30 ? 30 : d > 3 * 365 ? 3 * 365 : (int)d;
	}
	if (rc == 0)
		rc = bench_dossiers(&c, o->dossiers, days, &rate, &e);
	arena_free(c.arena);
	if (rc < 0)
		return report(&e);
	printf("bench-data: %" PRId64 " dossiers at %.0f dossiers/s\n", o->dossiers, rate);
	return 0;
}

/* motcua stats rebuild: recompute every statistics counter from the dossiers */
static int
cmd_stats(const struct options *o, struct db *db)
{
	if (o->nargs < 1 || strcmp(o->args[0], "rebuild") != 0)
		return die("%s", "usage: motcua stats rebuild [--db URL]");
	struct ctx c;
	struct actor sys;
	struct err e = ERR_INIT;
	cli_ctx(&c, db, &sys);
	int64_t n = 0, t0 = civil_now_ns();
	int rc = stats_rebuild(&c, &n, &e);
	arena_free(c.arena);
	if (rc < 0)
		return report(&e);
	printf("stats: counters rebuilt from %" PRId64 " dossiers in %.1f s\n", n,
	       (double)(civil_now_ns() - t0) / 1e9);
	return 0;
}

/* motcua import procedures FILE|DIR... [--dry-run]: every argument after "procedures" that is
 * not an option (there may be hundreds, more than struct options keeps). */
static int
cmd_import(int argc, char **argv, const struct options *o, struct db *db)
{
	if (argc < 4 || strcmp(argv[2], "procedures") != 0)
		return die("%s", "usage: motcua import procedures FILE|DIR... [--dry-run]");
	struct ctx c;
	struct actor sys;
	struct err e = ERR_INIT;
	struct import_report rep;
	memset(&rep, 0, sizeof(rep));
	cli_ctx(&c, db, &sys);
	int failed = 0;
	for (int i = 3; i < argc; i++) {
		if (argv[i][0] == '-') {
			if (strcmp(argv[i], "--db") == 0 || strcmp(argv[i], "--log") == 0)
				i++;
			continue;
		}
		if (import_path(&c, argv[i], o->dry_run, &rep, &e) < 0) {
			failed = 1;
			if (e.code != ERR_VALIDATION && e.code != ERR_NOT_FOUND &&
			    e.code != ERR_TOO_LARGE) {
				report(&e);
				break;
			}
		}
	}
	import_report_print(&rep, stdout, 1);
	int rc = failed || rep.counts[PROC_REJECTED] ? 1 : 0;
	arena_free(c.arena);
	return rc;
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

/* motcua sweep: one pass of staff warnings and lapsed supplements, as the server's outbox
 * thread runs every --sweep-interval seconds (for cron, and for tests that cannot wait). */
static int
cmd_sweep(struct db *db)
{
	struct ctx c;
	struct actor sys;
	struct err e = ERR_INIT;
	struct sweep_report r;
	cli_ctx(&c, db, &sys);
	int rc = sweep_run(&c, &r, &e);
	arena_free(c.arena);
	clocksvc_shutdown();
	if (rc < 0)
		return report(&e);
	printf("sweep: %d due_soon, %d late (%d messages queued), %d lapsed, %d errors\n",
	       r.due_soon, r.late, r.messages, r.lapsed, r.errors);
	return r.errors ? 1 : 0;
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
	if (dossier_verify(db, &checked, &e) < 0) {
		fprintf(stderr, "motcua verify: FAILED: %s\n  (%s)\n", e.message_en, e.message_vi);
		return 1;
	}
	printf("dossier logs: %" PRId64 " dossiers, every chain intact\n", checked);
	if (feedback_verify(db, &checked, &e) < 0) {
		fprintf(stderr, "motcua verify: FAILED: %s\n  (%s)\n", e.message_en, e.message_vi);
		return 1;
	}
	printf("feedback logs: %" PRId64 " items, every chain intact\n", checked);
	return 0;
}

/* motcua calendar propose YEAR | show YEAR | set FILE */
static int
cal_year_arg(const char *s, int *year)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || strlen(s) != 4 || v < CAL_YEAR_MIN || v > CAL_YEAR_MAX) {
		fprintf(stderr, "motcua: năm không hợp lệ / bad year '%s' (%d-%d)\n", s,
			CAL_YEAR_MIN, CAL_YEAR_MAX);
		return -1;
	}
	*year = (int)v;
	return 0;
}

static int
cmd_calendar(struct options *o)
{
	if (o->nargs < 2)
		return die("%s", "usage: motcua calendar propose YEAR | show YEAR | set FILE");
	const char *sub = o->args[0], *arg = o->args[1];
	struct cal_year *y = calloc(1, sizeof(*y));
	struct buf out = BUF_INIT(CAL_TEXT_MAX * 2);
	struct err e = ERR_INIT;
	struct db *db = NULL;
	struct ctx c;
	struct actor sys;
	int year, rc = 1;
	memset(&c, 0, sizeof(c));
	if (!y)
		return die("%s", "out of memory");
	if (strcmp(sub, "propose") == 0) {
		if (cal_year_arg(arg, &year) < 0)
			goto out;
		calendar_propose(year, y);
		if (cal_year_format(y, &out) == 0 && fputs(out.data, stdout) >= 0)
			rc = 0;
	} else if (strcmp(sub, "show") == 0) {
		enum cal_source src;
		if (cal_year_arg(arg, &year) < 0 || open_db(o, &db) < 0)
			goto out;
		cli_ctx(&c, db, &sys);
		if (clocksvc_year(&c, year, y, &src, &e) < 0) {
			rc = report(&e);
			goto out;
		}
		printf("# nguồn / source: %s%s\n", clocksvc_source_name(src),
		       y->status == CAL_CONFIRMED ? "" : " — CHƯA XÁC NHẬN / NOT CONFIRMED");
		if (cal_year_format(y, &out) == 0 && fputs(out.data, stdout) >= 0)
			rc = 0;
	} else if (strcmp(sub, "set") == 0) {
		FILE *f = fopen(arg, "rb");
		if (!f) {
			rc = die("cannot open %s", arg);
			goto out;
		}
		char *text = malloc(CAL_TEXT_MAX + 1);
		size_t n = text ? fread(text, 1, CAL_TEXT_MAX + 1, f) : 0;
		int bad = !text || ferror(f);
		fclose(f);
		if (bad || n > CAL_TEXT_MAX) {
			free(text);
			rc = die("%s is unreadable or larger than 64 KiB", arg);
			goto out;
		}
		int prc = cal_year_parse(text, n, y, &e);
		free(text);
		if (prc < 0) {
			fprintf(stderr, "motcua: %s: %s\n  (%s)\n", arg, e.message_en,
				e.message_vi);
			goto out;
		}
		if (open_db(o, &db) < 0)
			goto out;
		cli_ctx(&c, db, &sys);
		if (clocksvc_put_year(&c, y, &e) < 0) {
			rc = report(&e);
			goto out;
		}
		int off = 0;
		for (int i = 0; i < y->nentries; i++)
			off += y->entries[i].kind == CAL_OFF;
		printf("lịch năm %d đã lưu / calendar %d saved: %s, %d days off, %d working days\n",
		       y->year, y->year, cal_status_name(y->status), off, y->nentries - off);
		rc = 0;
	} else {
		rc = die("unknown calendar command %s (propose, show, set)", sub);
	}
out:
	if (c.arena)
		arena_free(c.arena);
	if (db)
		db_close(db);
	buf_release(&out);
	free(y);
	return rc;
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
		rc = cmd_demo(db, 1, o);
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

	struct api_config acfg = {.db_url = o->db,
				  .files_dir = o->files,
				  .body_max = o->body_max,
				  .secure_cookies = o->secure_cookies,
				  .file_max = o->file_max,
				  .dossier_files_max = o->dossier_files_max,
				  .feedback_files_max = o->feedback_files_max,
				  .lookup_rate = o->lookup_rate};
	if (api_init(&acfg, &e) < 0)
		return report(&e);
	struct http_config hcfg = {o->listen, o->threads,	 o->body_max,
				   !o->quiet, o->metrics_public, o->trust_proxy};
	if (http_start(&hcfg, &e) < 0) {
		api_shutdown();
		return report(&e);
	}
	struct outbox_config ocfg = OUTBOX_CONFIG_INIT;
	ocfg.db_url = o->db;
	ocfg.smtp_url = o->smtp;
	ocfg.smtp_from = o->smtp_from;
	if (o->outbox_max_attempts)
		ocfg.max_attempts = o->outbox_max_attempts;
	if (o->outbox_backoff)
		ocfg.backoff_seconds = o->outbox_backoff;
	ocfg.sweep_interval = o->sweep_interval;
	if (outbox_start(&ocfg, &e) < 0) {
		http_stop(10);
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
	outbox_stop();
	api_shutdown();
	log_event(LOG_INFO, "stopped", NULL);
	return 0;
}

int
main(int argc, char **argv)
{
	/* A PDF form opens some twenty zlib streams of ~270 kB each and frees them again; with
	 * glibc's default (trim when 128 kB are free at the top of a heap) every form gave that
	 * memory back to the kernel and faulted it in again: a fifth of a receipt's time in
	 * the kernel. Keep up to 16 MB per heap instead. */
	mallopt(M_TRIM_THRESHOLD, 16 << 20);
	struct options o;
	memset(&o, 0, sizeof(o));
	o.db = getenv("MOTCUA_DB");
	if (!o.db || !*o.db)
		o.db = "sqlite:var/motcua.db";
	o.listen = "127.0.0.1:8080";
	o.files = "var/files";
	o.body_max = 1u << 20;
	o.demo_days = 365;
	o.lookup_rate = 300;
	o.demo_rate = 2.0;
	o.sweep_interval = OUTBOX_SWEEP_EVERY;
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
		rc = cmd_demo(db, 0, &o);
	} else if (strcmp(verb, "user") == 0) {
		o.nargs++; /* args[0] is the sub-verb's parent for uniform indexing */
		memmove(&o.args[1], &o.args[0], sizeof(o.args[0]) * 15);
		o.args[0] = verb;
		if (open_db(&o, &db) < 0)
			return 1;
		rc = cmd_user(&o, db);
	} else if (strcmp(verb, "calendar") == 0) {
		return cmd_calendar(&o);
	} else if (strcmp(verb, "sweep") == 0) {
		if (open_db(&o, &db) < 0)
			return 1;
		rc = cmd_sweep(db);
	} else if (strcmp(verb, "verify") == 0) {
		if (open_db(&o, &db) < 0)
			return 1;
		rc = cmd_verify(db);
	} else if (strcmp(verb, "import") == 0) {
		if (open_db(&o, &db) < 0)
			return 1;
		rc = cmd_import(argc, argv, &o, db);
	} else if (strcmp(verb, "stats") == 0) {
		if (open_db(&o, &db) < 0)
			return 1;
		rc = cmd_stats(&o, db);
	} else if (strcmp(verb, "bench-data") == 0) {
		if (open_db(&o, &db) < 0)
			return 1;
		rc = cmd_bench_data(&o, db);
	} else {
		usage(stderr);
		return 2;
	}
	db_close(db);
	auth_shutdown();
	clocksvc_shutdown();
	procedure_cache_free();
	return rc;
}
