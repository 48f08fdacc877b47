#include "service/demo_data.h"
#include "core/civil.h"
#include "core/log.h"
#include "service/clocksvc.h"
#include "service/dossier.h"
#include "service/procedure.h"
#include "service/unit.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define MAX_PROCS 64
#define MAX_UNITS 32

static uint64_t rng = 0x2026112207001234ULL;

static uint64_t
next(void)
{
	/* xorshift64*: fast, and the same demo every time */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static int
pick(int n)
{
	return (int)(next() % (uint64_t)n);
}

static double
uniform(void)
{
	return (double)(next() >> 11) / (double)(1ULL << 53);
}

static const char *const family[] = {"Nguyễn", "Trần", "Lê",	"Phạm", "Hoàng",  "Huỳnh",
				     "Phan",   "Vũ",   "Võ",	"Đặng", "Bùi",	  "Đỗ",
				     "Hồ",     "Ngô",  "Dương", "Lý",	"Trương", "Mai"};
static const char *const middle_m[] = {"Văn", "Hữu", "Minh", "Quốc", "Đức", "Thanh", "Công"};
static const char *const middle_f[] = {"Thị", "Ngọc", "Thu", "Kim", "Thanh", "Hoài", "Mỹ"};
static const char *const given_m[] = {"An",    "Bình",	"Dũng", "Hải",	"Hiếu", "Hùng",
				      "Khánh", "Long",	"Nam",	"Phúc", "Quân", "Sơn",
				      "Thắng", "Trung", "Tuấn", "Vinh", "Hòa",	"Lộc"};
static const char *const given_f[] = {"Châu", "Giang", "Hà",	"Hạnh", "Hương",  "Lan",
				      "Linh", "Mai",   "Nga",	"Ngân", "Phương", "Quỳnh",
				      "Tâm",  "Thảo",  "Trang", "Vy",	"Xuân",	  "Yến"};
static const char *const streets[] = {"Trần Phú",    "Lê Thánh Tôn",  "Nguyễn Thị Minh Khai",
				      "Hùng Vương",  "23 Tháng 10",   "Yersin",
				      "Thống Nhất",  "Lê Hồng Phong", "Phan Bội Châu",
				      "Nguyễn Trãi", "Hoàng Văn Thụ", "Lạc Long Quân"};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct proc_pick {
	const struct proc_version *pv;
	int commune; /* handled by communes, else by the province's departments */
};

struct unit_pick {
	int64_t id;
	const char *name, *kind;
	int64_t specialist; /* a demo specialist there, to assign to (0: none) */
};

static void
person(const struct ctx *c, const char *where, struct person *p)
{
	int female = pick(2);
	int year = 1950 + pick(56);
	memset(p, 0, sizeof(*p));
	p->kind = "person";
	p->id_type = "cccd";
	p->name = arena_printf(c->arena, "%s %s %s", family[pick(N(family))],
			       female ? middle_f[pick(N(middle_f))] : middle_m[pick(N(middle_m))],
			       female ? given_f[pick(N(given_f))] : given_m[pick(N(given_m))]);
	/* CCCD: province of birth (056 Khánh Hòa), century and sex, year, six digits */
	p->id_number = arena_printf(c->arena, "056%d%02d%06d", (year >= 2000 ? 2 : 0) + female,
				    year % 100, pick(1000000));
	p->birth_date = arena_printf(c->arena, "%04d-%02d-%02d", year, 1 + pick(12), 1 + pick(28));
	p->address = arena_printf(c->arena, "Số %d đường %s, %s", 1 + pick(300),
				  streets[pick(N(streets))], where);
	p->phone = arena_printf(c->arena, "09%08d", pick(100000000));
	if (pick(3) == 0)
		p->email = arena_printf(c->arena, "congdan%" PRIu64 "@example.vn", next() % 100000);
}

static int
load_picks(const struct ctx *c, struct proc_pick *procs, int *nprocs, struct unit_pick *communes,
	   int *ncommunes, struct unit_pick *depts, int *ndepts, struct unit_pick *centre,
	   struct err *e)
{
	struct db_stmt *st = db_prepare(
	    c->db, "SELECT p.code FROM procedure p JOIN procedure_version v ON v.id = "
		   "p.current_version_id JOIN procedure_channel ch ON ch.version_id = v.id AND "
		   "ch.channel = 1 WHERE ch.time_minutes > 0 ORDER BY p.code");
	if (!st)
		return db_fail(c->db, e);
	char codes[MAX_PROCS][40];
	int n = 0;
	while (db_step(st) == DB_ROW && n < MAX_PROCS)
		snprintf(codes[n++], sizeof(codes[0]), "%s", db_col_text(st, 0));
	db_reset(st);
	*nprocs = 0;
	for (int i = 0; i < n; i++) {
		struct proc_version *pv = arena_zalloc(c->arena, sizeof(*pv));
		if (procedure_load(c, codes[i], 0, pv, e) < 0)
			return -1;
		procs[*nprocs].pv = pv;
		procs[*nprocs].commune = pv->level && strstr(pv->level, "commune") != NULL;
		(*nprocs)++;
	}
	struct unit_rec *u;
	size_t nu;
	if (unit_list(c, &u, &nu, e) < 0)
		return -1;
	*ncommunes = *ndepts = 0;
	memset(centre, 0, sizeof(*centre));
	for (size_t i = 0; i < nu; i++) {
		if (u[i].effective_to || !u[i].code)
			continue;
		struct unit_pick *up = NULL;
		if (strcmp(u[i].kind, "commune") == 0 && *ncommunes < MAX_UNITS)
			up = &communes[(*ncommunes)++];
		else if (strcmp(u[i].kind, "department") == 0 && *ndepts < MAX_UNITS)
			up = &depts[(*ndepts)++];
		else if (strcmp(u[i].kind, "service_centre") == 0 && !centre->id)
			up = centre;
		if (!up)
			continue;
		up->id = u[i].id;
		up->name = u[i].name;
		up->kind = u[i].kind;
		st = db_prepare(c->db, "SELECT user_id FROM user_role WHERE unit_id = ? AND role = "
				       "'specialist' ORDER BY user_id LIMIT 1");
		if (!st)
			return db_fail(c->db, e);
		db_bind_int(st, 1, up->id);
		up->specialist = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
		db_reset(st);
	}
	return 0;
}

/* one action at a simulated moment; a refusal by the rules is logged and ends the story */
static int
act_at(struct ctx *c, const char *code, int64_t at, struct action_in *a,
       struct demo_data_stats *stats)
{
	struct err e = ERR_INIT;
	c->now = at;
	if (dossier_act(c, code, a, &e) < 0) {
		log_event(LOG_WARN, "demo_action_refused", "code", code, "action",
			  lc_action_name(a->action), "error", e.message_en, NULL);
		return -1;
	}
	stats->actions++;
	return 0;
}

/* a moment `minutes` of working time after t (by the default clock) */
static int64_t
after(const struct clock *clk, int64_t t, int64_t minutes)
{
	struct duration d = {DUR_WORKING_MINUTES, minutes > 0 ? minutes : 1};
	int64_t due;
	struct err e = ERR_INIT;
	if (clock_add(clk, t, &d, &due, NULL, &e) < 0)
		return t + minutes * 60;
	return due;
}

static void
simulate(struct ctx *c, const struct clock *clk, const struct intake_result *r,
	 const struct proc_version *pv, const struct unit_pick *competent, int nsteps,
	 int64_t received, int64_t legal, int64_t real_now, struct demo_data_stats *stats)
{
	struct action_in a;
	int64_t t = after(clk, received, 30 + pick(90));
	if (t >= real_now)
		return;
	int64_t holder = 0;
	struct db_stmt *st = db_prepare(c->db, "SELECT COALESCE(holder_unit_id, 0) FROM dossier "
					       "WHERE id = ?");
	if (st) {
		db_bind_int(st, 1, r->id);
		if (db_step(st) == DB_ROW)
			holder = db_col_int(st, 0);
		db_reset(st);
	}
	/* now and then the receiver finds, after accepting, that the dossier is not for this
	 * office: refused with a reason (the agency's answer, counted as resolved) */
	if (pick(80) == 0) {
		memset(&a, 0, sizeof(a));
		a.action = LA_REFUSE;
		a.reason = "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan";
		act_at(c, r->code, t, &a, stats);
		return;
	}
	if (competent->specialist && holder == competent->id) {
		memset(&a, 0, sizeof(a));
		a.action = LA_ASSIGN;
		a.assignee = arena_printf(c->arena, "%" PRId64, competent->specialist);
		if (act_at(c, r->code, t, &a, stats) < 0)
			return;
	}
	double roll = uniform();
	int late = roll < 0.08;
	int supplements = roll > 0.85 ? (roll > 0.98 ? 2 : 1) : 0;
	int withdraw = roll > 0.80 && roll <= 0.83;
	double share = late ? 1.05 + 0.5 * uniform() : 0.25 + 0.7 * uniform();
	int64_t finish = after(clk, received, (int64_t)((double)legal * share));
	for (int s = 0; s < supplements; s++) {
		int64_t ask = after(clk, t, legal / 5 + 1);
		if (ask >= real_now)
			return;
		memset(&a, 0, sizeof(a));
		a.action = LA_REQUEST_SUPPLEMENT;
		const char *items[] = {"Bản sao giấy tờ chứng minh nơi cư trú",
				       "Bổ sung chữ ký của người yêu cầu trên tờ khai"};
		a.items = items;
		a.nitems = (size_t)(1 + pick(2));
		a.period_days = 15;
		if (act_at(c, r->code, ask, &a, stats) < 0)
			return;
		int64_t back = ask + (int64_t)(1 + pick(6)) * 86400;
		if (pick(12) == 0) {
			/* never supplied: closed when the period runs out */
			int64_t lapse = ask + 16 * 86400;
			if (lapse < real_now) {
				memset(&a, 0, sizeof(a));
				a.action = LA_LAPSE;
				act_at(c, r->code, lapse, &a, stats);
			} else {
				stats->waiting_supplement++;
			}
			return;
		}
		if (back >= real_now) {
			stats->waiting_supplement++;
			return;
		}
		memset(&a, 0, sizeof(a));
		a.action = LA_SUPPLY;
		if (act_at(c, r->code, back, &a, stats) < 0)
			return;
		finish = after(clk, back, (int64_t)((double)legal * share * 0.7));
		t = back;
	}
	/* stopped for a while by the leader (waiting for another agency), then resumed */
	if (pick(25) == 0) {
		int64_t s0 = after(clk, t, legal / 4 + 1),
			s1 = s0 + (int64_t)(1 + pick(10)) * 86400;
		if (s0 >= real_now)
			return;
		memset(&a, 0, sizeof(a));
		a.action = LA_STOP;
		a.reason = "Chờ ý kiến của cơ quan có liên quan";
		if (act_at(c, r->code, s0, &a, stats) < 0 || s1 >= real_now)
			return;
		memset(&a, 0, sizeof(a));
		a.action = LA_RESUME;
		if (act_at(c, r->code, s1, &a, stats) < 0)
			return;
		finish += s1 - s0;
		t = s1;
	}
	/* a fee to pay before the result: the clock waits for the payment */
	if (pick(20) == 0) {
		int64_t p0 = after(clk, t, 60), p1 = p0 + (int64_t)(1 + pick(3)) * 86400;
		if (p0 >= real_now)
			return;
		memset(&a, 0, sizeof(a));
		a.action = LA_REQUEST_PAYMENT;
		a.amount = 50000;
		if (act_at(c, r->code, p0, &a, stats) < 0 || p1 >= real_now)
			return;
		memset(&a, 0, sizeof(a));
		a.action = LA_CONFIRM_PAYMENT;
		a.method = pick(2) ? "online" : "cash";
		if (act_at(c, r->code, p1, &a, stats) < 0)
			return;
		finish += p1 - p0;
		t = p1;
	}
	if (finish <= t)
		finish = after(clk, t, 120);
	if (withdraw) {
		int64_t w = after(clk, t, 60);
		if (w < real_now) {
			memset(&a, 0, sizeof(a));
			a.action = LA_WITHDRAW;
			a.reason = "Công dân xin rút hồ sơ";
			act_at(c, r->code, w, &a, stats);
		}
		return;
	}
	/* a dossier that will be late gets its apology letter, approved by a leader */
	if (late && pick(2) == 0) {
		int64_t ext = after(clk, t, legal / 2 + 1);
		if (ext < real_now) {
			memset(&a, 0, sizeof(a));
			a.action = LA_EXTEND;
			a.reason = "Cần xác minh thêm thông tin tại cơ quan liên quan";
			a.minutes = 480 * (1 + pick(3));
			if (act_at(c, r->code, ext, &a, stats) < 0)
				return;
			memset(&a, 0, sizeof(a));
			a.action = LA_APPROVE_EXTENSION;
			if (act_at(c, r->code, ext + 3600, &a, stats) < 0)
				return;
		}
	}
	for (int s = 1; s < nsteps; s++) {
		int64_t fwd = t + (finish - t) * s / nsteps;
		if (fwd >= real_now)
			return;
		memset(&a, 0, sizeof(a));
		a.action = LA_FORWARD;
		if (act_at(c, r->code, fwd, &a, stats) < 0)
			return;
	}
	if (finish >= real_now)
		return;
	memset(&a, 0, sizeof(a));
	a.action = LA_FINISH;
	a.result_number =
	    arena_printf(c->arena, "%d/%s", 1 + pick(9000), pv->result_paper ? "GCN-UBND" : "KQ");
	a.signer = "Phó Chủ tịch Ủy ban nhân dân";
	if (act_at(c, r->code, finish, &a, stats) < 0)
		return;
	int64_t ret = finish + (int64_t)pick(4) * 86400 + 3600;
	if (ret >= real_now)
		return;
	memset(&a, 0, sizeof(a));
	a.action = LA_RETURN;
	a.recipient = "Chủ hồ sơ";
	act_at(c, r->code, ret, &a, stats);
}

int
demo_dossiers(const struct ctx *c0, int days, double per_day, struct demo_data_stats *stats,
	      struct err *e)
{
	memset(stats, 0, sizeof(*stats));
	struct ctx cv = *c0;
	struct ctx *c = &cv;
	struct proc_pick procs[MAX_PROCS];
	struct unit_pick communes[MAX_UNITS], depts[MAX_UNITS], centre;
	int nprocs = 0, ncommunes = 0, ndepts = 0;
	if (load_picks(c, procs, &nprocs, communes, &ncommunes, depts, &ndepts, &centre, e) < 0)
		return -1;
	struct db_stmt *st;
	if (nprocs == 0 || ncommunes == 0)
		return err_set(e, ERR_CONFLICT, "", "Chưa có danh mục thủ tục hoặc đơn vị mẫu",
			       "no seed catalogue or demo units");
	const struct clock *clk = clocksvc_get(c, 0, e);
	if (!clk)
		return -1;
	int64_t real_now = c0->now;
	int64_t first_day = civil_day_of_epoch(real_now) - days;
	/* the catalogue stays in the caller's arena; each dossier's work in its own */
	struct arena *work = arena_new(65536);
	c->arena = work;
	db_set_bulk(c->db, 1);
	for (int64_t day = first_day; day < civil_day_of_epoch(real_now); day++) {
		if (clock_is_working_day(clk, day) != 1)
			continue;
		/* the centre receives for the departments; each commune for itself */
		for (int u = -1; u < ncommunes; u++) {
			const struct unit_pick *recv = u < 0 ? &centre : &communes[u];
			if (!recv->id)
				continue;
			double mean = u < 0 ? per_day * 1.5 : per_day;
			int k = (int)(mean * 2 * uniform() + 0.5);
			for (int i = 0; i < k; i++) {
				arena_reset(work);
				int want_commune = u >= 0;
				const struct proc_pick *pp = NULL;
				for (int tries = 0; tries < 8 && !pp; tries++) {
					const struct proc_pick *cand = &procs[pick(nprocs)];
					if (cand->commune == want_commune)
						pp = cand;
				}
				if (!pp)
					continue;
				const struct proc_version *pv = pp->pv;
				const struct unit_pick *competent =
				    u >= 0 ? recv : (ndepts ? &depts[pick(ndepts)] : recv);
				struct intake in;
				memset(&in, 0, sizeof(in));
				in.procedure_code = pv->code;
				in.receiving_unit_id = recv->id;
				in.competent_unit_id = competent->id;
				double ch = uniform();
				in.channel = ch < 0.25 && pv->channels[2].offered  ? 2
					     : ch > 0.9 && pv->channels[3].offered ? 3
										   : 1;
				person(c, recv->name, &in.applicant);
				in.fee_amount = -1;
				in.delivery_method = in.channel == 3 ? "postal" : "counter";
				in.delivery_address = in.channel == 3 ? in.applicant.address : NULL;
				const struct proc_case *pc = pv->ncases ? &pv->cases[0] : NULL;
				struct component_in comps[16];
				size_t nc = 0;
				for (size_t k2 = 0; pc && k2 < pc->ncomponents && nc < 16; k2++) {
					if (!pc->components[k2].required && pick(2))
						continue;
					comps[nc].component_id = pc->components[k2].id;
					comps[nc].name = pc->components[k2].name;
					comps[nc].originals = pc->components[k2].originals
								  ? pc->components[k2].originals
								  : 0;
					comps[nc].copies = pc->components[k2].copies;
					if (comps[nc].originals + comps[nc].copies == 0)
						comps[nc].originals = 1;
					comps[nc].file_sha256 = NULL;
					nc++;
				}
				in.components = comps;
				in.ncomponents = nc;
				/* a moment of the working day: 07:30-11:00 or 13:45-16:45 */
				int minute = pick(2) ? 450 + pick(210) : 825 + pick(180);
				int64_t at = day * 86400 - CIVIL_OFFSET + (int64_t)minute * 60;
				struct intake_result r;
				struct err ie = ERR_INIT;
				c->now = at;
				if (in.channel == 2) {
					if (dossier_submit(c, &in, &r, &ie) < 0)
						continue;
					stats->dossiers++;
					stats->online++;
					int64_t acc = after(clk, at, 30 + pick(600));
					if (acc >= real_now)
						continue;
					struct action_in a;
					memset(&a, 0, sizeof(a));
					a.action = LA_ACCEPT;
					if (pick(30) == 0) {
						/* incomplete: refused at intake, never counted */
						a.action = LA_REFUSE;
						a.reason = "Hồ sơ chưa đủ thành phần theo quy định";
						act_at(c, r.code, acc, &a, stats);
						continue;
					}
					if (act_at(c, r.code, acc, &a, stats) < 0)
						continue;
					at = acc;
				} else {
					in.at = at;
					if (dossier_intake(c, &in, &r, &ie) < 0) {
						log_event(LOG_WARN, "demo_intake_refused",
							  "procedure", pv->code, "error",
							  ie.message_en, NULL);
						continue;
					}
					stats->postal += in.channel == 3;
					stats->dossiers++;
				}
				int64_t legal = pv->channels[in.channel].time_minutes;
				if (pv->channels[in.channel].time_unit &&
				    strcmp(pv->channels[in.channel].time_unit, "calendar_days") ==
					0)
					legal = legal / 1440 * 480 * 5 / 7;
				size_t nsteps = pc && pc->nsteps ? pc->nsteps : 1;
				simulate(c, clk, &r, pv, competent, (int)nsteps, at, legal,
					 real_now, stats);
			}
		}
	}
	/* the demo's applicants are invented: their messages were never meant to leave */
	st = db_prepare(c->db, "DELETE FROM outbox WHERE status = 'pending'");
	if (st) {
		db_step(st);
		db_reset(st);
	}
	db_set_bulk(c->db, 0);
	c->now = real_now;
	c->arena = c0->arena;
	arena_free(work);
	/* what the demo shows: open, late */
	st = db_prepare(c->db,
			"SELECT COUNT(*), SUM(CASE WHEN outcome = 'late' THEN 1 ELSE 0 END) FROM "
			"dossier WHERE finished_at IS NULL OR outcome = 'late'");
	if (st && db_step(st) == DB_ROW) {
		stats->open = db_col_int(st, 0) - db_col_int(st, 1);
		stats->late = db_col_int(st, 1);
	}
	db_reset(st);
	return 0;
}
