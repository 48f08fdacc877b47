/*
 * pg.c: the PostgreSQL driver, libpq behind the vtable of driver.h.
 *
 * Statements are server-side prepared statements named s1, s2, ... per connection; `?`
 * placeholders are rewritten to $1, $2, ... before PQprepare. Parameters travel as text with
 * no declared types (the server infers them from the statement), results come back as text.
 *
 * A statement's whole result is fetched by PQexecPrepared and kept until reset, so callers may
 * run other statements on the same connection while they iterate rows, as they can with
 * SQLite. The price is that a result is held in memory at once: page large reads.
 *
 * Ownership: a connection owns its PGconn and its last error; a statement owns its bindings
 * and its PGresult. Statements hold a reference to their connection, so the connection's
 * memory outlives a close that comes before the statements are finalised (the server side is
 * gone then, and finalising only frees memory).
 */
#include "store/driver.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"

/* Statement names are recycled lazily: DEALLOCATEs wait here until the next prepare. */
#define PG_PENDING_MAX 64

struct pg_conn {
	PGconn *pg;		 /* NULL once closed */
	int refs;		 /* 1 for the open connection + 1 per live statement */
	unsigned long next_name; /* the last statement number handed out */
	char sqlstate[6];	 /* of the last error, "" when it had none */
	char errmsg[1024];	 /* the last error, one line */
	unsigned long pending[PG_PENDING_MAX];
	int npending;
};

enum pg_param_kind { PG_PARAM_NULL = 0, PG_PARAM_INT, PG_PARAM_TEXT };

struct pg_param {
	enum pg_param_kind kind;
	char num[24]; /* an int64 in decimal: at most 20 characters and a NUL */
	char *text;   /* owned copy for PG_PARAM_TEXT */
};

enum pg_stmt_state { PG_ST_READY = 0, PG_ST_ROWS, PG_ST_DONE, PG_ST_ERROR };

struct pg_stmt {
	struct pg_conn *conn;
	unsigned long name;
	int nparams;
	struct pg_param *params;
	const char **values; /* scratch for PQexecPrepared, nparams long */
	PGresult *res;
	enum pg_stmt_state state;
	int row;   /* the current row while state is PG_ST_ROWS */
	int nrows; /* rows in res */
};

static void
pg_notice_ignore(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* pg_copy_line: msg into dst (size n) on one line, trailing whitespace dropped and cut at a
 * UTF-8 character boundary, so a log line stays one valid line. */
static void
pg_copy_line(char *dst, size_t n, const char *msg)
{
	size_t len, i;

	if (n == 0)
		return;
	if (!msg)
		msg = "";
	len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' ' || msg[len - 1] == '\t' ||
			   msg[len - 1] == '\r'))
		len--;
	if (len >= n) {
		len = n - 1;
		while (len > 0 && ((unsigned char)msg[len] & 0xC0) == 0x80)
			len--;
	}
	for (i = 0; i < len; i++)
		dst[i] = (msg[i] == '\n' || msg[i] == '\r' || msg[i] == '\t') ? ' ' : msg[i];
	dst[len] = '\0';
}

/*
 * pg_set_error: remember res's error (or the connection's when res has none). The message is
 * the primary text and the SQLSTATE: DETAIL is left out because it quotes row values (a
 * citizen's identity number in a duplicate key) that do not belong in a log.
 */
static void
pg_set_error(struct pg_conn *c, const PGresult *res)
{
	const char *msg = NULL, *state = NULL, *primary = NULL;

	if (res) {
		msg = PQresultErrorMessage(res);
		primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	}
	if (state && strlen(state) == 5)
		memcpy(c->sqlstate, state, 6);
	else
		c->sqlstate[0] = '\0';
	if (primary && *primary && c->sqlstate[0]) {
		char line[sizeof(c->errmsg)];
		snprintf(line, sizeof(line), "%s (SQLSTATE %s)", primary, c->sqlstate);
		pg_copy_line(c->errmsg, sizeof(c->errmsg), line);
		return;
	}
	if ((!msg || !*msg) && c->pg)
		msg = PQerrorMessage(c->pg);
	if (!msg || !*msg)
		msg = "unknown PostgreSQL error";
	pg_copy_line(c->errmsg, sizeof(c->errmsg), msg);
}

static void
pg_set_error_text(struct pg_conn *c, const char *msg)
{
	pg_copy_line(c->errmsg, sizeof(c->errmsg), msg);
	c->sqlstate[0] = '\0';
}

static void
pg_conn_unref(struct pg_conn *c)
{
	if (--c->refs == 0)
		free(c);
}

static void *
pg_open(const char *url, char *errbuf, size_t errlen)
{
	static const char *const keys[] = {"dbname", "fallback_application_name", NULL};
	const char *vals[] = {url, "motcua", NULL};
	struct pg_conn *c = NULL;
	PGconn *pg;
	PGresult *res = NULL;

	if (errlen > 0)
		errbuf[0] = '\0';
	pg = PQconnectdbParams(keys, vals, 1);
	if (!pg) {
		pg_copy_line(errbuf, errlen, "out of memory connecting to PostgreSQL");
		return NULL;
	}
	if (PQstatus(pg) != CONNECTION_OK) {
		pg_copy_line(errbuf, errlen, PQerrorMessage(pg));
		goto fail;
	}
	PQsetNoticeProcessor(pg, pg_notice_ignore, NULL);
	/* One round trip for all three; PQexec runs them as one simple query. */
	res = PQexec(pg, "SET client_encoding TO 'UTF8'; SET TIME ZONE 'UTC'; "
			 "SET client_min_messages TO warning");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_copy_line(errbuf, errlen, res ? PQresultErrorMessage(res) : PQerrorMessage(pg));
		goto fail;
	}
	PQclear(res);
	c = xcalloc(1, sizeof(*c));
	c->pg = pg;
	c->refs = 1;
	return c;

fail:
	PQclear(res);
	PQfinish(pg);
	return NULL;
}

static void
pg_close(void *conn)
{
	struct pg_conn *c = conn;

	if (!c)
		return;
	PQfinish(c->pg);
	c->pg = NULL;
	pg_conn_unref(c);
}

/*
 * pg_flush_pending: release the server-side statements finalised since the last prepare. Only
 * outside a transaction, so that a failing DEALLOCATE can never abort the caller's work; its
 * failure is ignored, as a leftover prepared statement costs only memory until disconnect.
 */
static void
pg_flush_pending(struct pg_conn *c)
{
	char sql[PG_PENDING_MAX * 32];
	size_t off = 0;
	PGresult *res;

	if (c->npending == 0)
		return;
	if (PQtransactionStatus(c->pg) != PQTRANS_IDLE)
		return;
	for (int i = 0; i < c->npending; i++) {
		int n = snprintf(sql + off, sizeof(sql) - off, "DEALLOCATE s%lu;", c->pending[i]);
		if (n < 0 || (size_t)n >= sizeof(sql) - off)
			break;
		off += (size_t)n;
	}
	c->npending = 0;
	if (off == 0)
		return;
	res = PQexec(c->pg, sql);
	PQclear(res);
}

/*
 * pg_rewrite: sql with each `?` outside string literals, quoted identifiers and comments
 * replaced by $1, $2, ...; *nparams gets the count. The caller frees the result.
 */
static char *
pg_rewrite(const char *sql, int *nparams)
{
	size_t len = strlen(sql), cap, o = 0;
	const char *p = sql;
	char *out;
	int n = 0, wrote;

	/* Each "?" becomes "$" and at most 10 digits. */
	cap = len + 1;
	for (const char *q = sql; *q; q++)
		if (*q == '?')
			cap += 10;
	out = xmalloc(cap);
	while (*p) {
		if (*p == '\'' || *p == '"') {
			/* A literal or quoted identifier; a doubled quote inside is an escaped one
			 * and simply closes and reopens, which copies the same. */
			char quote = *p;
			out[o++] = *p++;
			while (*p && *p != quote)
				out[o++] = *p++;
			if (*p)
				out[o++] = *p++;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				out[o++] = *p++;
		} else if (p[0] == '/' && p[1] == '*') {
			out[o++] = *p++;
			out[o++] = *p++;
			while (*p && !(p[0] == '*' && p[1] == '/'))
				out[o++] = *p++;
			if (*p) {
				out[o++] = *p++;
				out[o++] = *p++;
			}
		} else if (*p == '?') {
			n++;
			wrote = snprintf(out + o, cap - o, "$%d", n);
			if (wrote < 0 || (size_t)wrote >= cap - o) {
				free(out);
				return NULL;
			}
			o += (size_t)wrote;
			p++;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	*nparams = n;
	return out;
}

static void *
pg_prepare(void *conn, const char *sql)
{
	struct pg_conn *c = conn;
	struct pg_stmt *st = NULL;
	PGresult *res = NULL;
	char *text = NULL;
	char name[32];
	int nparams = 0;

	if (!c->pg) {
		pg_set_error_text(c, "connection closed");
		return NULL;
	}
	text = pg_rewrite(sql, &nparams);
	if (!text) {
		pg_set_error_text(c, "statement has too many parameters");
		goto out;
	}
	if (nparams > 65535) {
		pg_set_error_text(c, "statement has more than 65535 parameters");
		goto out;
	}
	pg_flush_pending(c);
	c->next_name++;
	snprintf(name, sizeof(name), "s%lu", c->next_name);
	res = PQprepare(c->pg, name, text, 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		pg_set_error(c, res);
		goto out;
	}
	st = xcalloc(1, sizeof(*st));
	st->conn = c;
	st->name = c->next_name;
	st->nparams = nparams;
	st->params = xcalloc((size_t)nparams, sizeof(*st->params));
	st->values = xcalloc((size_t)nparams, sizeof(*st->values));
	c->refs++;

out:
	PQclear(res);
	free(text);
	return st;
}

static void
pg_clear_params(struct pg_stmt *st)
{
	for (int i = 0; i < st->nparams; i++) {
		free(st->params[i].text);
		st->params[i].text = NULL;
		st->params[i].kind = PG_PARAM_NULL;
	}
}

static void
pg_reset(void *stmt)
{
	struct pg_stmt *st = stmt;

	PQclear(st->res);
	st->res = NULL;
	st->state = PG_ST_READY;
	st->row = 0;
	st->nrows = 0;
	pg_clear_params(st);
}

static void
pg_finalize(void *stmt)
{
	struct pg_stmt *st = stmt;
	struct pg_conn *c;

	if (!st)
		return;
	c = st->conn;
	pg_reset(st);
	if (c->pg && c->npending < PG_PENDING_MAX)
		c->pending[c->npending++] = st->name;
	free(st->params);
	free(st->values);
	free(st);
	pg_conn_unref(c);
}

/* pg_param: the parameter at 1-based idx with its old value released, NULL if out of range. */
static struct pg_param *
pg_param(struct pg_stmt *st, int idx)
{
	struct pg_param *p;

	if (idx < 1 || idx > st->nparams)
		return NULL;
	p = &st->params[idx - 1];
	free(p->text);
	p->text = NULL;
	p->kind = PG_PARAM_NULL;
	return p;
}

static int
pg_bind_int(void *stmt, int idx, int64_t v)
{
	struct pg_param *p = pg_param(stmt, idx);

	if (!p)
		return -1;
	snprintf(p->num, sizeof(p->num), "%lld", (long long)v);
	p->kind = PG_PARAM_INT;
	return 0;
}

static int
pg_bind_text(void *stmt, int idx, const char *s)
{
	struct pg_param *p = pg_param(stmt, idx);

	if (!p)
		return -1;
	if (s) {
		p->text = xstrdup(s);
		p->kind = PG_PARAM_TEXT;
	}
	return 0;
}

static int
pg_bind_null(void *stmt, int idx)
{
	return pg_param(stmt, idx) ? 0 : -1;
}

/* pg_execute: run the statement with its bindings and move to PG_ST_ROWS (before the first
 * row), PG_ST_DONE or PG_ST_ERROR. */
static void
pg_execute(struct pg_stmt *st)
{
	struct pg_conn *c = st->conn;
	char name[32];
	PGresult *res;

	if (!c->pg) {
		pg_set_error_text(c, "connection closed");
		st->state = PG_ST_ERROR;
		return;
	}
	for (int i = 0; i < st->nparams; i++) {
		const struct pg_param *p = &st->params[i];
		st->values[i] = p->kind == PG_PARAM_INT	   ? p->num
				: p->kind == PG_PARAM_TEXT ? p->text
							   : NULL;
	}
	snprintf(name, sizeof(name), "s%lu", st->name);
	res = PQexecPrepared(c->pg, name, st->nparams, st->values, NULL, NULL, 0);
	switch (PQresultStatus(res)) {
	case PGRES_TUPLES_OK:
		st->res = res;
		st->nrows = PQntuples(res);
		st->row = -1;
		st->state = PG_ST_ROWS;
		break;
	case PGRES_COMMAND_OK:
	case PGRES_EMPTY_QUERY:
		PQclear(res);
		st->state = PG_ST_DONE;
		break;
	default:
		pg_set_error(c, res);
		PQclear(res);
		st->state = PG_ST_ERROR;
		break;
	}
}

/*
 * pg_step: the first step runs the statement; stepping past the end keeps answering DB_DONE
 * (and past an error DB_ERROR) until reset, so a loop that forgets to stop cannot re-run it.
 */
static int
pg_step(void *stmt)
{
	struct pg_stmt *st = stmt;

	if (st->state == PG_ST_READY)
		pg_execute(st);
	switch (st->state) {
	case PG_ST_ROWS:
		if (++st->row < st->nrows)
			return DB_ROW;
		st->state = PG_ST_DONE;
		return DB_DONE;
	case PG_ST_DONE:
		return DB_DONE;
	case PG_ST_READY:
	case PG_ST_ERROR:
	default:
		return DB_ERROR;
	}
}

/* pg_cell: 1 when col names a cell of the current row. */
static int
pg_cell(const struct pg_stmt *st, int col)
{
	return st->state == PG_ST_ROWS && st->res && st->row >= 0 && st->row < st->nrows &&
	       col >= 0 && col < PQnfields(st->res);
}

static int64_t
pg_col_int(void *stmt, int col)
{
	struct pg_stmt *st = stmt;
	const char *s;
	char *end;
	long long v;

	if (!pg_cell(st, col) || PQgetisnull(st->res, st->row, col))
		return 0;
	s = PQgetvalue(st->res, st->row, col);
	/* A boolean column comes back as t or f. */
	if (s[0] == 't' && s[1] == '\0')
		return 1;
	if (s[0] == 'f' && s[1] == '\0')
		return 0;
	v = strtoll(s, &end, 10);
	if (end == s)
		return 0;
	return (int64_t)v; /* out of range saturates, as SQLite's conversion does */
}

static const char *
pg_col_text(void *stmt, int col)
{
	struct pg_stmt *st = stmt;

	if (!pg_cell(st, col) || PQgetisnull(st->res, st->row, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

static int
pg_col_is_null(void *stmt, int col)
{
	struct pg_stmt *st = stmt;

	if (!pg_cell(st, col))
		return 1;
	return PQgetisnull(st->res, st->row, col);
}

static int
pg_col_count(void *stmt)
{
	struct pg_stmt *st = stmt;

	return st->res ? PQnfields(st->res) : 0;
}

/* pg_is_commit: sql is a lone COMMIT or END, in any case, with optional ';' and spaces. */
static int
pg_is_commit(const char *sql)
{
	size_t n;

	while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r')
		sql++;
	if (strncasecmp(sql, "COMMIT", 6) == 0)
		n = 6;
	else if (strncasecmp(sql, "END", 3) == 0)
		n = 3;
	else
		return 0;
	for (sql += n; *sql; sql++)
		if (*sql != ' ' && *sql != '\t' && *sql != '\n' && *sql != '\r' && *sql != ';')
			return 0;
	return 1;
}

static int
pg_exec(void *conn, const char *sql)
{
	struct pg_conn *c = conn;
	PGresult *res;
	int rc = -1, was_failed;

	if (!c->pg) {
		pg_set_error_text(c, "connection closed");
		return -1;
	}
	was_failed = PQtransactionStatus(c->pg) == PQTRANS_INERROR;
	/* Without parameters PQexec sends the simple query protocol, which takes several
	 * statements at once and stops at the first that fails. */
	res = PQexec(c->pg, sql);
	switch (PQresultStatus(res)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
	case PGRES_EMPTY_QUERY:
		rc = 0;
		break;
	default:
		pg_set_error(c, res);
		break;
	}
	/* COMMIT of a transaction that an error aborted succeeds and rolls back; the caller
	 * asked for its work to be kept, so that is a failure (SQLite would report one). */
	if (rc == 0 && was_failed && pg_is_commit(sql) &&
	    strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
		pg_copy_line(c->errmsg, sizeof(c->errmsg),
			     "current transaction was aborted by an earlier error, COMMIT rolled "
			     "it back (SQLSTATE 25P02)");
		memcpy(c->sqlstate, "25P02", 6); /* in_failed_sql_transaction */
		rc = -1;
	}
	PQclear(res);
	return rc;
}

static const char *
pg_errmsg(void *conn)
{
	struct pg_conn *c = conn;

	return c->errmsg;
}

static int
pg_err_is_unique(void *conn)
{
	struct pg_conn *c = conn;

	return strcmp(c->sqlstate, "23505") == 0;
}

static int
pg_err_is_busy(void *conn)
{
	struct pg_conn *c = conn;

	/* lock_not_available, serialization_failure, deadlock_detected: retrying may succeed. */
	return strcmp(c->sqlstate, "55P03") == 0 || strcmp(c->sqlstate, "40001") == 0 ||
	       strcmp(c->sqlstate, "40P01") == 0;
}

const struct db_driver db_driver_pg = {
    .name = "postgres",
    .open = pg_open,
    .close = pg_close,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .col_is_null = pg_col_is_null,
    .col_count = pg_col_count,
    .reset = pg_reset,
    .exec = pg_exec,
    .errmsg = pg_errmsg,
    .err_is_unique = pg_err_is_unique,
    .err_is_busy = pg_err_is_busy,
    .id_type = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    .blob_type = "BYTEA",
    .begin_sql = "BEGIN",
};
