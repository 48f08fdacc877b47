#include "service/bench_data.h"
#include "core/civil.h"
#include "core/log.h"
#include "service/audit.h"
#include "service/clocksvc.h"
#include "service/stats.h"
#include "crypto/crypto.h"
#include "service/unit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define BATCH	  20000

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

int
bench_province(const struct ctx *c, struct err *e)
{
	if (unit_count(c) != 0)
		return 0;
	struct unit_input in = {
	    0, "Ủy ban nhân dân tỉnh Khánh Hòa", "province", "000.00.00.H34", "2025-07-01", NULL,
	    0};
	int64_t root, id;
	if (unit_create(c, &in, &root, e) < 0)
		return -1;
	char name[160], code[24];
	struct unit_input u = {root, name, "service_centre", code, "2025-07-01", NULL, 0};
	snprintf(name, sizeof(name), "Trung tâm Phục vụ hành chính công tỉnh Khánh Hòa");
	snprintf(code, sizeof(code), "000.00.01.H34");
	if (unit_create(c, &u, &id, e) < 0)
		return -1;
	/* the first four as in the demo province, so the seed catalogue's units resolve */
	static const char *const depts[] = {"Sở Tư pháp",
					    "Sở Xây dựng",
					    "Sở Nông nghiệp và Môi trường",
					    "Sở Tài chính",
					    "Sở Nội vụ",
					    "Sở Y tế",
					    "Sở Giáo dục và Đào tạo",
					    "Sở Công Thương",
					    "Sở Văn hóa, Thể thao và Du lịch",
					    "Sở Khoa học và Công nghệ",
					    "Sở Dân tộc và Tôn giáo",
					    "Sở Ngoại vụ",
					    "Thanh tra tỉnh",
					    "Ban Quản lý các khu công nghiệp",
					    "Công an tỉnh",
					    "Bảo hiểm xã hội tỉnh",
					    "Cục Thuế tỉnh",
					    "Kho bạc Nhà nước tỉnh",
					    "Sở Lao động",
					    "Văn phòng Ủy ban nhân dân tỉnh"};
	u.kind = "department";
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "%s", depts[i]);
		snprintf(code, sizeof(code), "000.00.%02d.H34", 2 + i);
		if (unit_create(c, &u, &id, e) < 0)
			return -1;
	}
	u.kind = "commune";
	for (int i = 0; i < 120; i++) {
		snprintf(name, sizeof(name), "Ủy ban nhân dân %s số %d", i % 3 ? "xã" : "phường",
			 i + 1);
		snprintf(code, sizeof(code), "%03d.01.00.H34", i + 1);
		if (unit_create(c, &u, &id, e) < 0)
			return -1;
	}
	return 0;
}

struct bproc {
	char code[40], name[400], field[64], unit[20];
	int64_t version_id, minutes;
	int version, commune;
};

struct bunit {
	int64_t id;
	char code[16];
	int commune;
};

static int
exec_ok(struct db *db, struct db_stmt *st, struct err *e)
{
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE || rc == DB_ROW ? 0 : db_fail(db, e);
}

/*
 * Multi-row inserts: rows are buffered and written MR_STMT at a time by one INSERT with that
 * many VALUES tuples (one statement's fixed cost, begin, halt and reset, for 32 rows instead
 * of one). Text values are copied into the buffer's pool until the flush.
 */
#define MR_STMT 32
#define MR_ROWS 384
#define MR_COLS 49

struct mr {
	const char *head; /* "INSERT INTO t (a, b) VALUES " */
	int ncols, k, col;
	char kind[MR_ROWS * MR_COLS]; /* i, t, n */
	int64_t iv[MR_ROWS * MR_COLS];
	char *pool;
	size_t used, cap;
	char *sql; /* the statement for MR_STMT rows, made once */
};

static int
mr_init(struct mr *m, const char *head, int ncols)
{
	memset(m, 0, sizeof(*m));
	m->head = head;
	m->ncols = ncols;
	m->cap = 1 << 20;
	m->pool = malloc(m->cap);
	return m->pool ? 0 : -1;
}

static void
mr_free(struct mr *m)
{
	free(m->pool);
	free(m->sql);
}

static void
mr_int(struct mr *m, int64_t v)
{
	int i = m->k * m->ncols + m->col++;
	m->kind[i] = 'i';
	m->iv[i] = v;
}

static void
mr_null(struct mr *m)
{
	m->kind[m->k * m->ncols + m->col++] = 'n';
}

static void
mr_text(struct mr *m, const char *s)
{
	size_t l = strlen(s) + 1;
	int i = m->k * m->ncols + m->col++;
	if (m->used + l > m->cap) { /* cannot happen with MR_ROWS rows of bounded text */
		m->kind[i] = 'n';
		return;
	}
	m->kind[i] = 't';
	m->iv[i] = (int64_t)m->used;
	memcpy(m->pool + m->used, s, l);
	m->used += l;
}

static char *
mr_sql(const struct mr *m, int rows)
{
	size_t hl = strlen(m->head), cap = hl + (size_t)rows * ((size_t)m->ncols * 2 + 3) + 1;
	char *sql = malloc(cap), *w = sql;
	if (!sql)
		return NULL;
	memcpy(w, m->head, hl);
	w += hl;
	for (int r = 0; r < rows; r++) {
		if (r)
			*w++ = ',';
		*w++ = '(';
		for (int c = 0; c < m->ncols; c++) {
			if (c)
				*w++ = ',';
			*w++ = '?';
		}
		*w++ = ')';
	}
	*w = 0;
	return sql;
}

/* mr_flush: write the buffered rows; all of them, or (all = 0) only whole statements of
 * MR_STMT rows, the rest kept for the next flush */
static int
mr_flush(struct db *db, struct mr *m, int all, struct err *e)
{
	int done = 0;
	for (int r0 = 0; r0 < m->k; r0 += MR_STMT) {
		int rows = m->k - r0 < MR_STMT ? m->k - r0 : MR_STMT;
		if (rows < MR_STMT && !all)
			break;
		char *own = NULL;
		if (rows == MR_STMT && !m->sql)
			m->sql = mr_sql(m, MR_STMT);
		const char *sql = rows == MR_STMT ? m->sql : (own = mr_sql(m, rows));
		struct db_stmt *st = sql ? db_prepare(db, sql) : NULL;
		free(own);
		if (!st)
			return db_fail(db, e);
		int n = rows * m->ncols, base = r0 * m->ncols;
		for (int i = 0; i < n; i++) {
			int j = base + i;
			if (m->kind[j] == 'i')
				db_bind_int(st, i + 1, m->iv[j]);
			else if (m->kind[j] == 't')
				db_bind_text_static(st, i + 1, m->pool + m->iv[j]);
			else
				db_bind_null(st, i + 1);
		}
		if (exec_ok(db, st, e) < 0)
			return -1;
		done = r0 + rows;
	}
	if (done == m->k) {
		m->k = 0;
		m->used = 0;
		return 0;
	}
	/* keep the rest at the front, and their text (appended after the written rows') */
	int keep = (m->k - done) * m->ncols;
	memmove(m->kind, m->kind + done * m->ncols, (size_t)keep);
	memmove(m->iv, m->iv + done * m->ncols, (size_t)keep * sizeof(m->iv[0]));
	m->k -= done;
	int64_t from = -1;
	for (int i = 0; i < keep && from < 0; i++)
		if (m->kind[i] == 't')
			from = m->iv[i];
	if (from < 0) {
		m->used = 0;
		return 0;
	}
	memmove(m->pool, m->pool + from, m->used - (size_t)from);
	m->used -= (size_t)from;
	for (int i = 0; i < keep; i++)
		if (m->kind[i] == 't')
			m->iv[i] -= from;
	return 0;
}

static void
mr_end(struct mr *m)
{
	m->col = 0;
	m->k++;
}

/* an event of a generated history */
struct bev {
	int64_t at;
	const char *action, *from, *to;
	int step;
};

/* decimal digits of v (at least `width`, zero-padded) at w; returns the end */
static char *
put_u64(char *w, uint64_t v, int width)
{
	char d[24];
	int n = 0;
	do
		d[n++] = (char)('0' + v % 10), v /= 10;
	while (v);
	while (n < width)
		d[n++] = '0';
	while (n)
		*w++ = d[--n];
	return w;
}

/* s and its terminating NUL at w; returns the end */
static char *
put_z(char *w, const char *s)
{
	size_t l = strlen(s) + 1;
	memcpy(w, s, l);
	return w + l;
}

/* the chain link as service/audit.c's chain_hash makes it (each field followed by its NUL),
 * without the heap buffer and the formatting */
static void
ev_hash(const char *prev, int seq, const struct bev *v, char out[65])
{
	char b[256], *w = b;
	w = put_z(w, prev);
	w = put_u64(w, (uint64_t)seq, 1);
	*w++ = 0;
	w = put_u64(w, (uint64_t)v->at, 1);
	*w++ = 0;
	w = put_z(w, "0");
	w = put_z(w, "bench");
	w = put_z(w, v->action);
	w = put_z(w, v->from);
	w = put_z(w, v->to);
	w = put_u64(w, (uint64_t)v->step, 1);
	*w++ = 0;
	*w++ = 0; /* the note, empty */
	crypto_sha256_hex(b, (size_t)(w - b), out);
}

static int
status_of(const char *state)
{
	static const struct {
		const char *s;
		int code;
	} m[] = {{"processing", 4}, {"waiting_supplement", 5}, {"withdrawn", 7},
		 {"lapsed", 8},	    {"result_ready", 9},       {"returned", 10}};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (strcmp(m[i].s, state) == 0)
			return m[i].code;
	return 4;
}

/* per 1000 dossiers; late is on top of what the pauses and extensions make */
#define RATE_SUPPLEMENT 80 /* asked to supply something once, 1 in 8 of them let it lapse */
#define RATE_WITHDRAW	20
#define RATE_TRANSFER	40 /* liên thông: a second step at a department */
#define RATE_EXTEND	15
#define RATE_LATE	60

#define D_COLS                                                                                     \
	"id, code, receiving_unit_id, competent_unit_id, procedure_code, procedure_version_id, "   \
	"procedure_version, procedure_name, field_code, channel, state, status_code, "             \
	"applicant_kind, applicant_name, applicant_id_type, applicant_id_number, "                 \
	"applicant_phone, search_fold, delivery_method, fee_amount, fee_status, time_unit, "       \
	"time_minutes, submitted_at, received_at, clock_start_at, due_at, original_due_at, "       \
	"paused_at, paused_state, supplement_count, supplement_deadline, current_step, "           \
	"holder_unit_id, holder_role, finished_at, returned_at, outcome, result_number, "          \
	"lookup_token, event_seq, event_hash, created_at, updated_at, stat_recv_day, "             \
	"stat_res_day, "                                                                           \
	"stat_res_class, stat_ov_day, register_no"
#define D_NCOLS 49

int
bench_dossiers(const struct ctx *c, int64_t n, int days, double *rate, struct err *e)
{
	struct db *db = c->db;
	int rcode = -1;
	struct bproc *procs = calloc(256, sizeof(*procs));
	struct bunit *units = calloc(4096, sizeof(*units));
	struct mr *md = malloc(sizeof(*md)), *ms = malloc(sizeof(*ms)), *me = malloc(sizeof(*me)),
		  *mc = malloc(sizeof(*mc)), *mdue = malloc(sizeof(*mdue)),
		  *mstat = malloc(sizeof(*mstat)), *mreg = malloc(sizeof(*mreg));
	struct stats_acc *acc = stats_acc_new();
	int32_t *serial = NULL, *regs = NULL; /* daily serials, register lines per unit and year */
	int np = 0, nu = 0, ndept = 0, fresh = 0, bulk = 0;
	int64_t depts[64];
	if (!procs || !units || !md || !ms || !me || !mc || !mdue || !mstat || !mreg || !acc) {
		err_set(e, ERR_INTERNAL, "", "Hết bộ nhớ", "out of memory");
		free(md), free(ms), free(me), free(mc), free(mdue), free(mstat), free(mreg);
		md = ms = me = mc = mdue = mstat = mreg = NULL;
		goto out;
	}
	memset(md, 0, sizeof(*md)), memset(ms, 0, sizeof(*ms)), memset(me, 0, sizeof(*me));
	memset(mc, 0, sizeof(*mc)), memset(mdue, 0, sizeof(*mdue)),
	    memset(mstat, 0, sizeof(*mstat)), memset(mreg, 0, sizeof(*mreg));
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT p.code, v.name, f.code, v.id, v.version, ch.time_unit, ch.time_minutes, "
	    "v.levels FROM procedure p JOIN procedure_version v ON v.id = p.current_version_id "
	    "JOIN field f ON f.id = v.field_id JOIN procedure_channel ch ON ch.version_id = v.id "
	    "AND ch.channel = 1 WHERE ch.time_minutes > 0 ORDER BY p.code");
	if (!st) {
		db_fail(db, e);
		goto out;
	}
	while (db_step(st) == DB_ROW && np < 256) {
		struct bproc *p = &procs[np++];
		snprintf(p->code, sizeof(p->code), "%s", db_col_text(st, 0));
		snprintf(p->name, sizeof(p->name), "%s", db_col_text(st, 1));
		snprintf(p->field, sizeof(p->field), "%s", db_col_text(st, 2));
		p->version_id = db_col_int(st, 3);
		p->version = (int)db_col_int(st, 4);
		snprintf(p->unit, sizeof(p->unit), "%s", db_col_text(st, 5));
		p->minutes = db_col_int(st, 6);
		p->commune = strstr(db_col_text(st, 7), "commune") != NULL;
	}
	db_reset(st);
	st = db_prepare(db, "SELECT id, code, kind FROM unit WHERE code IS NOT NULL AND "
			    "effective_to IS NULL AND kind IN ('commune', 'service_centre', "
			    "'department') ORDER BY id");
	while (st && db_step(st) == DB_ROW) {
		if (strcmp(db_col_text(st, 2), "department") == 0) {
			if (ndept < 64)
				depts[ndept++] = db_col_int(st, 0);
			continue;
		}
		if (nu == 4096)
			continue;
		units[nu].id = db_col_int(st, 0);
		snprintf(units[nu].code, sizeof(units[nu].code), "%s", db_col_text(st, 1));
		units[nu].commune = strcmp(db_col_text(st, 2), "commune") == 0;
		nu++;
	}
	db_reset(st);
	if (np == 0 || nu == 0) {
		err_set(e, ERR_CONFLICT, "", "Chưa có danh mục thủ tục hoặc đơn vị",
			"no catalogue or units: load the seed catalogue first");
		goto out;
	}
	const struct clock *clk = clocksvc_get(c, 0, e);
	if (!clk)
		goto out;
	int64_t now = c->now;
	int64_t first_day = civil_day_of_epoch(now) - days;
	int64_t nslots = (int64_t)nu * (days + 2);
	struct civil fy;
	civil_from_epoch(first_day * 86400 - CIVIL_OFFSET + 43200, &fy);
	int first_year = fy.year, nyears = days / 365 + 3;
	serial = calloc((size_t)nslots, sizeof(int32_t));
	regs = calloc((size_t)nu * (size_t)nyears, sizeof(int32_t));
	if (!serial || !regs) {
		err_set(e, ERR_INTERNAL, "", "Hết bộ nhớ", "out of memory");
		goto out;
	}
	/* ids and serials continue after what exists */
	int64_t next_id = 1;
	st = db_prepare(db, "SELECT COALESCE(MAX(id), 0) FROM dossier");
	if (!st || db_step(st) != DB_ROW) {
		if (st)
			db_reset(st);
		db_fail(db, e);
		goto out;
	}
	next_id = db_col_int(st, 0) + 1;
	fresh = next_id == 1;
	db_reset(st);
	st = db_prepare(db, "SELECT unit_id, day, last FROM dossier_serial");
	while (st && db_step(st) == DB_ROW) {
		const char *d = db_col_text(st, 1);
		if (strlen(d) != 6)
			continue;
		int yy = (d[0] - '0') * 10 + d[1] - '0', mm = (d[2] - '0') * 10 + d[3] - '0',
		    dd = (d[4] - '0') * 10 + d[5] - '0';
		int64_t di = civil_days_from_date(2000 + yy, mm, dd) - first_day;
		for (int ui = 0; ui < nu; ui++)
			if (units[ui].id == db_col_int(st, 0) && di >= 0 && di < days + 2)
				serial[(int64_t)ui * (days + 2) + di] = (int32_t)db_col_int(st, 2);
	}
	if (st)
		db_reset(st);
	st = db_prepare(db, "SELECT unit_id, year, last FROM register_serial");
	while (st && db_step(st) == DB_ROW) {
		int64_t yi = db_col_int(st, 1) - first_year;
		for (int ui = 0; ui < nu; ui++)
			if (units[ui].id == db_col_int(st, 0) && yi >= 0 && yi < nyears)
				regs[(int64_t)ui * nyears + yi] = (int32_t)db_col_int(st, 2);
	}
	if (st)
		db_reset(st);
	if (mr_init(md, "INSERT INTO dossier (" D_COLS ") VALUES ", D_NCOLS) < 0 ||
	    mr_init(ms,
		    "INSERT INTO dossier_step (dossier_id, seq, name, role, unit_id, minutes, "
		    "due_at, started_at, finished_at, outcome, transferred) VALUES ",
		    11) < 0 ||
	    mr_init(me,
		    "INSERT INTO dossier_event (dossier_id, seq, at, actor_name, action, "
		    "from_state, to_state, step_seq, note, prev_hash, hash) VALUES ",
		    11) < 0 ||
	    mr_init(mc,
		    "INSERT INTO dossier_component (dossier_id, seq, name, originals, copies) "
		    "VALUES ",
		    5) < 0 ||
	    mr_init(mdue,
		    "INSERT INTO dossier_due (dossier_id, seq, at, due_at, reason, by_name) "
		    "VALUES ",
		    6) < 0 ||
	    mr_init(mstat, "INSERT INTO dossier_serial (unit_id, day, last) VALUES ", 3) < 0 ||
	    mr_init(mreg, "INSERT INTO register_serial (unit_id, year, last) VALUES ", 3) < 0) {
		err_set(e, ERR_INTERNAL, "", "Hết bộ nhớ", "out of memory");
		goto out;
	}
	/* bulk mode: no waiting for the disk; on a fresh database (no dossiers yet) also the
	 * rollback journal in memory instead of the WAL, and no foreign-key lookups (the ids
	 * are made here): a crash in the middle leaves a file to throw away, not to repair */
	db_set_bulk(db, 1);
	bulk = 1;
	if (db_kind(db) == DB_SQLITE) {
		db_exec(db, "PRAGMA cache_size=-262144");
		if (fresh)
			db_exec(db, "PRAGMA journal_mode=MEMORY; PRAGMA foreign_keys=OFF");
	}
	int64_t t0 = civil_now_ns();
	static const char *const names[] = {"Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Long",
					    "Phạm Thị Mai",  "Võ Minh Tuấn",  "Đặng Thu Hà",
					    "Bùi Quốc Huy",  "Huỳnh Ngọc Lan"};
	for (int64_t i = 0; i < n; i++) {
		if (i % BATCH == 0 && db_begin(db) < 0) {
			db_fail(db, e);
			goto out;
		}
		int64_t id = next_id++;
		const struct bunit *u = &units[rnd() % (uint64_t)nu];
		const struct bproc *p = NULL;
		for (int tries = 0; tries < 16 && !p; tries++) {
			const struct bproc *cand = &procs[rnd() % (uint64_t)np];
			if (cand->commune == u->commune || tries == 15)
				p = cand;
		}
		/* received in time order, in office hours (07:30-17:00) of its day */
		int64_t day = (i * days) / n, frac = (i * days) % n;
		int64_t at = (first_day + day) * 86400 - CIVIL_OFFSET + 27000 + frac * 34200 / n;
		int64_t due, s0;
		struct duration dur = {
		    strcmp(p->unit, "calendar_days") ? DUR_WORKING_MINUTES : DUR_CALENDAR_DAYS,
		    strcmp(p->unit, "calendar_days") ? p->minutes : p->minutes / 1440};
		if (clock_start_of(clk, at, -1, &s0, NULL, e) < 0 ||
		    clock_add(clk, s0, &dur, &due, NULL, e) < 0)
			goto out;
		int64_t due0 = due, work = due - s0 > 3600 ? due - s0 : 3600;
		/* its history: receive, then perhaps a transfer, a supplement, an extension, then
		 * finished (on time, early or late) and returned, or withdrawn, or lapsed */
		struct bev ev[10];
		int nev = 0;
		struct {
			int64_t at, due;
			const char *reason;
		} dues[3];
		int ndue = 0;
		ev[nev++] = (struct bev){at, "receive", "none", "processing", 1};
		dues[ndue++].at = at, dues[0].due = due,
		dues[0].reason = "Hẹn trả theo thời hạn "
				 "giải quyết";
		int64_t t = s0 + work / 5 + (int64_t)(rnd() % 7200);
		int step = 1, closed = 0;
		int64_t dept = ndept ? depts[rnd() % (uint64_t)ndept] : u->id, t_tr = 0;
		uint64_t r1 = rnd();
		if (r1 % 1000 < RATE_TRANSFER) {
			t_tr = t;
			ev[nev++] = (struct bev){t, "transfer", "processing", "processing", 2};
			step = 2;
			t += work / 10 + 600;
		}
		int sup = (r1 >> 10) % 1000 < RATE_SUPPLEMENT, lapse = sup && (r1 >> 20) % 8 == 0;
		int64_t t_sup = 0;
		if (sup) {
			t_sup = t;
			ev[nev++] = (struct bev){t, "request_supplement", "processing",
						 "waiting_supplement", step};
			if (lapse) {
				t += 15 * 86400;
				ev[nev++] =
				    (struct bev){t, "lapse", "waiting_supplement", "lapsed", 0};
				closed = 1;
			} else {
				int64_t pause = 86400 * (1 + (int64_t)(rnd() % 7));
				t += pause;
				due += pause;
				dues[ndue].at = t, dues[ndue].due = due,
				dues[ndue++].reason = "Chờ bổ sung hồ sơ";
				ev[nev++] = (struct bev){t, "supply", "waiting_supplement",
							 "processing", step};
				t += 600;
			}
		}
		if (!closed && (r1 >> 30) % 1000 < RATE_EXTEND && t < due) {
			t = t + (due - t) / 2;
			due += 3 * 86400;
			dues[ndue].at = t, dues[ndue].due = due,
			dues[ndue++].reason = "Gia hạn: cần xác minh thêm";
			ev[nev++] =
			    (struct bev){t, "approve_extension", "processing", "processing", step};
			t += 600;
		}
		int64_t finish = 0;
		const char *outcome = NULL;
		if (!closed && (r1 >> 40) % 1000 < RATE_WITHDRAW) {
			finish = t + 3600;
			ev[nev++] = (struct bev){finish, "withdraw", "processing", "withdrawn", 0};
			outcome = "on_time";
			closed = 1;
		} else if (!closed) {
			uint64_t roll = rnd() % 1000;
			finish = roll < RATE_LATE
				     ? due + 86400 * (1 + (int64_t)(rnd() % 5))
				     : t + (int64_t)(rnd() %
						     (uint64_t)((due - t > 0 ? due - t : 0) + 1));
			if (finish <= t)
				finish = t + 60;
			outcome = clock_class_name(clock_classify(finish, due));
			ev[nev++] = (struct bev){finish, "finish", "processing", "result_ready", 0};
			ev[nev++] =
			    (struct bev){finish + 3600, "return", "result_ready", "returned", 0};
		} else {
			finish = ev[nev - 1].at;
		}
		/* still open: most recent ones, a few old ones stuck; and nothing after now */
		uint64_t roll = rnd() % 1000;
		int keep_open = due0 > now - 2 * 86400 ? roll < 500 : roll < 8;
		while (nev > 1 && (ev[nev - 1].at > now - 60 ||
				   (keep_open && (strcmp(ev[nev - 1].to, "returned") == 0 ||
						  strcmp(ev[nev - 1].to, "result_ready") == 0 ||
						  strcmp(ev[nev - 1].to, "withdrawn") == 0 ||
						  strcmp(ev[nev - 1].to, "lapsed") == 0))))
			nev--;
		while (ndue > 1 && dues[ndue - 1].at > ev[nev - 1].at)
			ndue--;
		due = dues[ndue - 1].due;
		const char *state = ev[nev - 1].to;
		int is_closed = strcmp(state, "processing") && strcmp(state, "waiting_supplement");
		int paused = strcmp(state, "waiting_supplement") == 0;
		int returned = strcmp(state, "returned") == 0;
		if (!is_closed) {
			finish = 0;
			outcome = NULL;
		} else if (strcmp(state, "result_ready") == 0 || returned) {
			finish = ev[returned ? nev - 2 : nev - 1].at;
		}
		int has_tr = t_tr && t_tr <= ev[nev - 1].at;
		/* the counters, replayed over this history exactly as `stats rebuild` does */
		struct stats_row fin, mem;
		memset(&fin, 0, sizeof(fin));
		fin.unit_id = u->id;
		memcpy(fin.field, p->field, strlen(p->field) + 1);   /* 64 into 128 */
		memcpy(fin.procedure, p->code, strlen(p->code) + 1); /* 40 into 64 */
		fin.channel = 1 + (int)(rnd() % 10 < 3) + (int)(rnd() % 20 == 0);
		fin.received_at = at;
		fin.finished_at = finish;
		fin.due_at = due;
		fin.paused_at = paused ? t_sup : 0;
		memcpy(fin.outcome, outcome ? outcome : "", outcome ? strlen(outcome) + 1 : 1);
		struct stats_point pts[16];
		size_t npts = 0;
		for (int k = 0; k < ndue; k++)
			pts[npts++] = (struct stats_point){dues[k].at, 0, dues[k].due, 0};
		for (int k = 0; k < nev; k++)
			pts[npts++] =
			    (struct stats_point){ev[k].at, 1, 0, stats_paused_state(ev[k].to)};
		if (stats_replay(&fin, pts, npts, acc, &mem) < 0) {
			err_set(e, ERR_INTERNAL, "", "Hết bộ nhớ", "out of memory");
			goto out;
		}
		int64_t di = civil_day_of_epoch(at) - first_day;
		int32_t *sl = &serial[(int64_t)(u - units) * (days + 2) + di];
		struct civil cv;
		civil_from_epoch(at, &cv);
		char code[48], token[16], fold[600], idn[16], tip[65] = ZERO_HASH, prev[65];
		/* code {unit}-{yyMMdd}-{NNNN}, token, CCCD number, folded search text */
		char *w = code;
		memcpy(w, u->code, strlen(u->code)); /* 16 into 48 */
		w += strlen(u->code);
		*w++ = '-';
		w = put_u64(w, (uint64_t)((cv.year % 100) * 10000 + cv.month * 100 + cv.day), 6);
		*w++ = '-';
		w = put_u64(w, (uint64_t)++ * sl, 4);
		*w = 0;
		token[0] = 'T';
		*put_u64(token + 1, rnd() % 100000000000ULL, 11) = 0;
		memcpy(idn, "0561", 4);
		*put_u64(idn + 4, rnd() % 100000000ULL, 8) = 0;
		w = fold;
		memcpy(w, code, (size_t)(strchr(code, 0) - code));
		w += strlen(code);
		*w++ = ' ';
		memcpy(w, idn, 12);
		w += 12;
		*w++ = ' ';
		put_z(w, p->code);
		/* the events and their chain, computed as the service would have */
		for (int k = 0; k < nev; k++) {
			memcpy(prev, tip, 65);
			ev_hash(prev, k + 1, &ev[k], tip);
			mr_int(me, id);
			mr_int(me, k + 1);
			mr_int(me, ev[k].at);
			mr_text(me, "bench");
			mr_text(me, ev[k].action);
			mr_text(me, ev[k].from);
			mr_text(me, ev[k].to);
			mr_int(me, ev[k].step);
			mr_text(me, "");
			mr_text(me, prev);
			mr_text(me, tip);
			mr_end(me);
		}
		int64_t upd = ev[nev - 1].at;
		mr_int(md, id);
		mr_text(md, code);
		mr_int(md, u->id);
		mr_int(md, u->id);
		mr_text(md, p->code);
		mr_int(md, p->version_id);
		mr_int(md, p->version);
		mr_text(md, p->name);
		mr_text(md, p->field);
		mr_int(md, fin.channel);
		mr_text(md, state);
		mr_int(md, status_of(state));
		mr_text(md, "person");
		mr_text(md, names[rnd() % 8]);
		mr_text(md, "cccd");
		mr_text(md, idn);
		mr_text(md, "0905000000");
		mr_text(md, fold);
		mr_text(md, fin.channel == 3 ? "postal" : "counter");
		mr_int(md, 0);
		mr_text(md, "none");
		mr_text(md, p->unit);
		mr_int(md, p->minutes);
		mr_int(md, at);
		mr_int(md, at);
		mr_int(md, s0);
		mr_int(md, due);
		mr_int(md, due0);
		if (paused) {
			mr_int(md, t_sup);
			mr_text(md, "processing");
		} else {
			mr_null(md);
			mr_null(md);
		}
		mr_int(md, sup && t_sup <= upd);
		if (sup && t_sup <= upd)
			mr_int(md, t_sup + 15 * 86400);
		else
			mr_null(md);
		mr_int(md, is_closed ? 0 : has_tr ? 2 : 1);
		if (!is_closed) {
			mr_int(md, has_tr ? dept : u->id);
			mr_text(md, "specialist");
		} else if (strcmp(state, "result_ready") == 0) {
			mr_int(md, u->id);
			mr_text(md, "receiver");
		} else {
			mr_null(md);
			mr_null(md);
		}
		if (finish)
			mr_int(md, finish);
		else
			mr_null(md);
		if (returned)
			mr_int(md, upd);
		else
			mr_null(md);
		if (outcome)
			mr_text(md, outcome);
		else
			mr_null(md);
		if (finish && outcome && strcmp(state, "withdrawn"))
			mr_text(md, "1/KQ");
		else
			mr_null(md);
		mr_text(md, token);
		mr_int(md, nev);
		mr_text(md, tip);
		mr_int(md, at);
		mr_int(md, upd);
		/* what it contributed to the counters, as stats_sync remembers it */
		const int64_t mi[] = {mem.recv_day, mem.res_day, 0, mem.ov_day};
		for (int k = 0; k < 4; k++) {
			if (k == 2 && mem.res_class[0])
				mr_text(md, mem.res_class);
			else if (mi[k])
				mr_int(md, mi[k]);
			else
				mr_null(md);
		}
		mr_int(md, ++regs[(int64_t)(u - units) * nyears + (cv.year - first_year)]);
		mr_end(md);
		/* steps: its own unit's, and the department's after a transfer */
		mr_int(ms, id);
		mr_int(ms, 1);
		mr_text(ms, "Thụ lý, giải quyết");
		mr_text(ms, "specialist");
		mr_int(ms, u->id);
		mr_int(ms, p->minutes);
		mr_int(ms, due0);
		mr_int(ms, at);
		int64_t s1_end = has_tr ? t_tr : finish;
		if (s1_end) {
			mr_int(ms, s1_end);
			mr_text(ms, clock_class_name(clock_classify(s1_end, due0)));
		} else {
			mr_null(ms);
			mr_null(ms);
		}
		mr_int(ms, 0);
		mr_end(ms);
		if (has_tr) {
			mr_int(ms, id);
			mr_int(ms, 2);
			mr_text(ms, "Xử lý liên thông");
			mr_text(ms, "specialist");
			mr_int(ms, dept);
			mr_int(ms, p->minutes);
			mr_int(ms, due);
			mr_int(ms, t_tr);
			if (finish) {
				mr_int(ms, finish);
				mr_text(ms, clock_class_name(clock_classify(finish, due)));
			} else {
				mr_null(ms);
				mr_null(ms);
			}
			mr_int(ms, 1);
			mr_end(ms);
		}
		mr_int(mc, id);
		mr_int(mc, 1);
		mr_text(mc, "Tờ khai");
		mr_int(mc, 1);
		mr_int(mc, 0);
		mr_end(mc);
		for (int k = 0; k < ndue; k++) {
			mr_int(mdue, id);
			mr_int(mdue, k + 1);
			mr_int(mdue, dues[k].at);
			mr_int(mdue, dues[k].due);
			mr_text(mdue, dues[k].reason);
			mr_text(mdue, "bench");
			mr_end(mdue);
		}
		int end = (i + 1) % BATCH == 0 || i + 1 == n;
		if (md->k == MR_STMT || end) {
			/* parents before children (foreign keys) */
			if (mr_flush(db, md, 1, e) < 0 || mr_flush(db, ms, end, e) < 0 ||
			    mr_flush(db, me, end, e) < 0 || mr_flush(db, mc, end, e) < 0 ||
			    mr_flush(db, mdue, end, e) < 0)
				goto out;
		}
		if (end) {
			if (stats_acc_flush(db, acc, e) < 0)
				goto out;
			if (db_commit(db) < 0) {
				db_fail(db, e);
				goto out;
			}
			if ((i + 1) % 1000000 == 0)
				fprintf(stderr, "bench-data: %" PRId64 " dossiers\n", i + 1);
		}
	}
	/* record the serials so that live intake continues after them */
	if (db_begin(db) < 0 || db_exec(db, "DELETE FROM dossier_serial") < 0)
		goto fail;
	for (int ui = 0; ui < nu; ui++)
		for (int d = 0; d < days + 2; d++) {
			int32_t last = serial[(int64_t)ui * (days + 2) + d];
			if (!last)
				continue;
			struct civil cv;
			civil_from_epoch((first_day + d) * 86400 - CIVIL_OFFSET + 43200, &cv);
			char yymmdd[8];
			snprintf(yymmdd, sizeof(yymmdd), "%02d%02d%02d", cv.year % 100, cv.month,
				 cv.day);
			mr_int(mstat, units[ui].id);
			mr_text(mstat, yymmdd);
			mr_int(mstat, last);
			mr_end(mstat);
			if (mstat->k == MR_ROWS && mr_flush(db, mstat, 1, e) < 0)
				goto out;
		}
	if (mr_flush(db, mstat, 1, e) < 0)
		goto out;
	if (db_exec(db, "DELETE FROM register_serial") < 0)
		goto fail;
	for (int ui = 0; ui < nu; ui++)
		for (int y = 0; y < nyears; y++) {
			int32_t last = regs[(int64_t)ui * nyears + y];
			if (!last)
				continue;
			mr_int(mreg, units[ui].id);
			mr_int(mreg, first_year + y);
			mr_int(mreg, last);
			mr_end(mreg);
			if (mreg->k == MR_ROWS && mr_flush(db, mreg, 1, e) < 0)
				goto out;
		}
	if (mr_flush(db, mreg, 1, e) < 0)
		goto out;
	if (db_kind(db) == DB_POSTGRES &&
	    db_exec(db, "SELECT setval(pg_get_serial_sequence('dossier', 'id'), "
			"(SELECT MAX(id) FROM dossier))") < 0)
		goto fail;
	if (db_commit(db) < 0)
		goto fail;
	*rate = (double)n / ((double)(civil_now_ns() - t0) / 1e9);
	rcode = 0;
	goto out;
fail:
	db_fail(db, e);
out:
	if (db_in_tx(db))
		db_rollback(db);
	if (bulk) {
		if (db_kind(db) == DB_SQLITE && fresh)
			db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON");
		db_set_bulk(db, 0);
	}
	if (md) {
		mr_free(md), mr_free(ms), mr_free(me), mr_free(mc), mr_free(mdue), mr_free(mstat);
		mr_free(mreg);
	}
	free(md), free(ms), free(me), free(mc), free(mdue), free(mstat), free(mreg);
	stats_acc_free(acc);
	free(serial);
	free(regs);
	free(procs);
	free(units);
	return rcode;
}
