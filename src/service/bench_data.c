#include "service/bench_data.h"
#include "core/civil.h"
#include "core/log.h"
#include "service/audit.h"
#include "service/clocksvc.h"
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

int
bench_dossiers(const struct ctx *c, int64_t n, int days, double *rate, struct err *e)
{
	struct db *db = c->db;
	int rcode = -1;
	struct bproc *procs = calloc(256, sizeof(*procs));
	struct bunit *units = calloc(4096, sizeof(*units));
	int np = 0, nu = 0;
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT p.code, v.name, f.code, v.id, v.version, ch.time_unit, ch.time_minutes, "
	    "v.levels FROM procedure p JOIN procedure_version v ON v.id = p.current_version_id "
	    "JOIN field f ON f.id = v.field_id JOIN procedure_channel ch ON ch.version_id = v.id "
	    "AND ch.channel = 1 WHERE ch.time_minutes > 0 ORDER BY p.code");
	if (!st || !procs || !units) {
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
			    "effective_to IS NULL AND kind IN ('commune', 'service_centre') "
			    "ORDER BY id");
	while (st && db_step(st) == DB_ROW && nu < 4096) {
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
	int64_t now = c->now, t0 = civil_now_ns();
	int64_t span = (int64_t)days * 86400;
	int64_t start = now - span;
	/* serials: continue each unit's day after what exists */
	int64_t nslots = (int64_t)nu * (days + 2);
	int32_t *serial = calloc((size_t)nslots, sizeof(int32_t));
	if (!serial) {
		err_set(e, ERR_INTERNAL, "", "Hết bộ nhớ", "out of memory");
		goto out;
	}
	int64_t first_day = civil_day_of_epoch(start);
	db_set_bulk(db, 1);
	if (db_kind(db) == DB_SQLITE)
		db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA cache_size=-262144");
	static const char *const names[] = {"Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Long",
					    "Phạm Thị Mai",  "Võ Minh Tuấn",  "Đặng Thu Hà",
					    "Bùi Quốc Huy",  "Huỳnh Ngọc Lan"};
	const char *ins_d =
	    "INSERT INTO dossier (code, receiving_unit_id, competent_unit_id, procedure_code, "
	    "procedure_version_id, procedure_version, procedure_name, field_code, channel, state, "
	    "status_code, applicant_kind, applicant_name, applicant_id_type, applicant_id_number, "
	    "applicant_phone, search_fold, delivery_method, fee_amount, fee_status, time_unit, "
	    "time_minutes, submitted_at, received_at, clock_start_at, due_at, original_due_at, "
	    "current_step, holder_unit_id, holder_role, finished_at, returned_at, outcome, "
	    "result_number, lookup_token, event_seq, event_hash, created_at, updated_at) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'person', ?, 'cccd', ?, '0905000000', ?, "
	    "'counter', 0, 'none', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
	    "RETURNING id";
	const char *ins_s = "INSERT INTO dossier_step (dossier_id, seq, name, role, unit_id, "
			    "minutes, due_at, started_at, finished_at, outcome) "
			    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	const char *ins_e = "INSERT INTO dossier_event (dossier_id, seq, at, actor_id, actor_name, "
			    "action, from_state, to_state, step_seq, note, prev_hash, hash) "
			    "VALUES (?, ?, ?, NULL, 'bench', ?, ?, ?, ?, '', ?, ?)";
	const char *ins_c = "INSERT INTO dossier_component (dossier_id, seq, name, originals, "
			    "copies) VALUES (?, 1, 'Tờ khai', 1, 0)";
	const char *ins_due = "INSERT INTO dossier_due (dossier_id, seq, at, due_at, reason, "
			      "by_name) VALUES (?, 1, ?, ?, 'Hẹn trả theo thời hạn giải quyết', "
			      "'bench')";
	for (int64_t i = 0; i < n; i++) {
		if (i % BATCH == 0 && db_begin(db) < 0) {
			db_fail(db, e);
			goto out_bulk;
		}
		const struct bunit *u = &units[rnd() % (uint64_t)nu];
		const struct bproc *p = NULL;
		for (int tries = 0; tries < 16 && !p; tries++) {
			const struct bproc *cand = &procs[rnd() % (uint64_t)np];
			if (cand->commune == u->commune || tries == 15)
				p = cand;
		}
		int64_t at = start + (int64_t)(rnd() % (uint64_t)span);
		int64_t due;
		struct duration dur = {
		    strcmp(p->unit, "calendar_days") ? DUR_WORKING_MINUTES : DUR_CALENDAR_DAYS,
		    strcmp(p->unit, "calendar_days") ? p->minutes : p->minutes / 1440};
		int64_t s0;
		if (clock_start_of(clk, at, -1, &s0, NULL, e) < 0 ||
		    clock_add(clk, s0, &dur, &due, NULL, e) < 0)
			goto out_bulk;
		/* what happened to it: mostly returned, some late, recent ones still open */
		uint64_t roll = rnd() % 1000;
		int open = due > now - 2 * 86400 ? roll < 500 : roll < 8;
		int64_t finish = 0;
		const char *outcome = NULL;
		if (!open) {
			int64_t work = due - s0;
			finish = roll < 60
				     ? due + 86400 * (1 + (int64_t)(rnd() % 5))
				     : s0 + work / 4 + (int64_t)(rnd() % (uint64_t)(work / 2 + 1));
			if (finish > now)
				finish = now - 60;
			outcome = clock_class_name(clock_classify(finish, due));
		}
		int64_t day = civil_day_of_epoch(at) - first_day;
		int32_t *sl = &serial[(int64_t)(u - units) * (days + 2) + day];
		struct civil cv;
		civil_from_epoch(at, &cv);
		char code[48], token[16], fold[600], idn[16];
		snprintf(code, sizeof(code), "%s-%02d%02d%02d-%04d", u->code, cv.year % 100,
			 cv.month, cv.day, ++*sl);
		snprintf(token, sizeof(token), "T%011" PRIu64, (uint64_t)(rnd() % 100000000000ULL));
		snprintf(idn, sizeof(idn), "0561%08" PRIu64, (uint64_t)(rnd() % 100000000ULL));
		const char *name = names[rnd() % 8];
		snprintf(fold, sizeof(fold), "%s %s %s", code, idn, p->code);
		const char *state = open ? "processing" : "returned";
		char tip[65] = ZERO_HASH, hash[65];
		st = db_prepare(db, ins_d);
		if (!st)
			goto fail;
		int k = 1;
		db_bind_text(st, k++, code);
		db_bind_int(st, k++, u->id);
		db_bind_int(st, k++, u->id);
		db_bind_text(st, k++, p->code);
		db_bind_int(st, k++, p->version_id);
		db_bind_int(st, k++, p->version);
		db_bind_text(st, k++, p->name);
		db_bind_text(st, k++, p->field);
		db_bind_int(st, k++, 1 + (int64_t)(rnd() % 10 < 3) + (int64_t)(rnd() % 20 == 0));
		db_bind_text(st, k++, state);
		db_bind_int(st, k++, open ? 4 : 10);
		db_bind_text(st, k++, name);
		db_bind_text(st, k++, idn);
		db_bind_text(st, k++, fold);
		db_bind_text(st, k++, p->unit);
		db_bind_int(st, k++, p->minutes);
		db_bind_int(st, k++, at);
		db_bind_int(st, k++, at);
		db_bind_int(st, k++, s0);
		db_bind_int(st, k++, due);
		db_bind_int(st, k++, due);
		db_bind_int(st, k++, open ? 1 : 0);
		if (open) {
			db_bind_int(st, k++, u->id);
			db_bind_text(st, k++, "specialist");
			db_bind_null(st, k++);
			db_bind_null(st, k++);
			db_bind_null(st, k++);
			db_bind_null(st, k++);
		} else {
			db_bind_null(st, k++);
			db_bind_null(st, k++);
			db_bind_int(st, k++, finish);
			db_bind_int(st, k++, finish + 3600);
			db_bind_text(st, k++, outcome);
			db_bind_text(st, k++, "1/KQ");
		}
		db_bind_text(st, k++, token);
		int nev = open ? 1 : 3;
		/* the chain is computed here, as the service would have */
		static const char *const acts[] = {"receive", "finish", "return"};
		static const char *const froms[] = {"none", "processing", "result_ready"};
		static const char *const tos[] = {"accepted", "result_ready", "returned"};
		int64_t ev_at[3] = {at, finish, finish + 3600};
		char hashes[3][65];
		for (int ev = 0; ev < nev; ev++) {
			char s_seq[16], s_at[24], s_step[16];
			snprintf(s_seq, sizeof(s_seq), "%d", ev + 1);
			snprintf(s_at, sizeof(s_at), "%" PRId64, ev_at[ev]);
			snprintf(s_step, sizeof(s_step), "%d", ev == 0 ? 1 : ev == 1 ? 1 : 0);
			const char *f[] = {s_seq,     s_at,    "0",    "bench", acts[ev],
					   froms[ev], tos[ev], s_step, ""};
			chain_hash(tip, f, 9, hash);
			memcpy(hashes[ev], hash, 65);
			memcpy(tip, hash, 65);
		}
		db_bind_int(st, k++, nev);
		db_bind_text(st, k++, tip);
		db_bind_int(st, k++, at);
		db_bind_int(st, k++, finish ? finish + 3600 : at);
		if (db_step(st) != DB_ROW) {
			db_reset(st);
			goto fail;
		}
		int64_t id = db_col_int(st, 0);
		db_reset(st);
		st = db_prepare(db, ins_s);
		if (!st)
			goto fail;
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, 1);
		db_bind_text(st, 3, "Thụ lý, giải quyết");
		db_bind_text(st, 4, "specialist");
		db_bind_int(st, 5, u->id);
		db_bind_int(st, 6, p->minutes);
		db_bind_int(st, 7, due);
		db_bind_int(st, 8, at);
		if (finish) {
			db_bind_int(st, 9, finish);
			db_bind_text(st, 10, outcome);
		} else {
			db_bind_null(st, 9);
			db_bind_null(st, 10);
		}
		if (exec_ok(db, st, e) < 0)
			goto out_bulk;
		char prev[65] = ZERO_HASH;
		for (int ev = 0; ev < nev; ev++) {
			st = db_prepare(db, ins_e);
			if (!st)
				goto fail;
			db_bind_int(st, 1, id);
			db_bind_int(st, 2, ev + 1);
			db_bind_int(st, 3, ev_at[ev]);
			db_bind_text(st, 4, acts[ev]);
			db_bind_text(st, 5, froms[ev]);
			db_bind_text(st, 6, tos[ev]);
			db_bind_int(st, 7, ev == 2 ? 0 : 1);
			db_bind_text(st, 8, prev);
			db_bind_text(st, 9, hashes[ev]);
			if (exec_ok(db, st, e) < 0)
				goto out_bulk;
			memcpy(prev, hashes[ev], 65);
		}
		st = db_prepare(db, ins_c);
		if (!st)
			goto fail;
		db_bind_int(st, 1, id);
		if (exec_ok(db, st, e) < 0)
			goto out_bulk;
		st = db_prepare(db, ins_due);
		if (!st)
			goto fail;
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, at);
		db_bind_int(st, 3, due);
		if (exec_ok(db, st, e) < 0)
			goto out_bulk;
		if ((i + 1) % BATCH == 0 || i + 1 == n) {
			if (db_commit(db) < 0) {
				db_fail(db, e);
				goto out_bulk;
			}
			if ((i + 1) % 200000 == 0)
				fprintf(stderr, "bench-data: %" PRId64 " dossiers\n", i + 1);
		}
	}
	/* record the serials so that live intake continues after them */
	if (db_begin(db) < 0)
		goto fail;
	st = db_prepare(db, "INSERT INTO dossier_serial (unit_id, day, last) VALUES (?, ?, ?) ON "
			    "CONFLICT (unit_id, day) DO UPDATE SET last = excluded.last");
	for (int ui = 0; st && ui < nu; ui++)
		for (int d = 0; d < days + 2; d++) {
			int32_t last = serial[(int64_t)ui * (days + 2) + d];
			if (!last)
				continue;
			struct civil cv;
			civil_from_epoch((first_day + d) * 86400 - CIVIL_OFFSET + 43200, &cv);
			char yymmdd[8];
			snprintf(yymmdd, sizeof(yymmdd), "%02d%02d%02d", cv.year % 100, cv.month,
				 cv.day);
			db_bind_int(st, 1, units[ui].id);
			db_bind_text(st, 2, yymmdd);
			db_bind_int(st, 3, last);
			if (exec_ok(db, st, e) < 0)
				goto out_bulk;
		}
	if (db_commit(db) < 0)
		goto fail;
	*rate = (double)n / ((double)(civil_now_ns() - t0) / 1e9);
	rcode = 0;
	goto out_bulk;
fail:
	db_fail(db, e);
out_bulk:
	if (db_in_tx(db))
		db_rollback(db);
	db_set_bulk(db, 0);
	free(serial);
out:
	free(procs);
	free(units);
	return rcode;
}
