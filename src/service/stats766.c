/*
 * stats766.c: the service index of Decision 766/QĐ-TTg (domain.md §8), computed live for a
 * unit's subtree and a period from the system's own data, every indicator with its inputs.
 * Points and thresholds are data (data/index766/YYYY.txt): read from the data directory on
 * disk when an official has edited it there, else from the copy carried in the binary.
 */
#include "service/stats766.h"

#include "core/civil.h"
#include "core/embed.h"
#include "domain/tally.h"
#include "service/feedback.h"
#include "service/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the text of data/index766/YEAR.txt: disk first (MOTCUA_DATA_DIR, default ./data), then
 * the binary; a year without its own file uses the newest earlier one */
static char *
load_text(struct arena *ar, int year, int *used)
{
	const char *dir = getenv("MOTCUA_DATA_DIR");
	for (int y = year; y >= 2022; y--) {
		char path[512];
		snprintf(path, sizeof(path), "%s/index766/%d.txt", dir && *dir ? dir : "data", y);
		FILE *f = fopen(path, "rb");
		if (f) {
			char *buf = arena_alloc(ar, 65536);
			size_t n = buf ? fread(buf, 1, 65535, f) : 0;
			fclose(f);
			if (buf && n) {
				buf[n] = 0;
				*used = y;
				return buf;
			}
		}
		snprintf(path, sizeof(path), "data/index766/%d.txt", y);
		const struct embed_file *ef = embed_find(path);
		if (ef) {
			*used = y;
			return arena_strndup(ar, (const char *)ef->data, ef->len);
		}
	}
	return NULL;
}

/* split a line on '|' into at most n fields (in place) */
static size_t
split(char *line, char **f, size_t n)
{
	size_t k = 0;
	while (k < n) {
		f[k++] = line;
		char *bar = strchr(line, '|');
		if (!bar)
			break;
		*bar = 0;
		line = bar + 1;
	}
	return k;
}

static int
parse(struct arena *ar, char *text, struct index766 *o, struct err *e)
{
	size_t gcap = 8, icap = 32;
	o->groups = arena_alloc(ar, gcap * sizeof(*o->groups));
	struct i766_ind *inds = arena_alloc(ar, icap * sizeof(*inds));
	size_t ninds = 0;
	if (!o->groups || !inds)
		return err_set(e, ERR_INTERNAL, "", "Hết bộ nhớ", "out of memory");
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		char *f[8];
		size_t n = line[0] == '#' ? 0 : split(line, f, 8);
		if (n == 5 && strcmp(f[0], "group") == 0 && o->ngroups < gcap) {
			struct i766_group *g = &o->groups[o->ngroups++];
			memset(g, 0, sizeof(*g));
			g->key = f[1];
			g->max_points = atof(f[2]);
			g->name = f[3];
			g->name_en = f[4];
		} else if (n == 7 && strcmp(f[0], "ind") == 0 && ninds < icap) {
			struct i766_ind *in = &inds[ninds++];
			memset(in, 0, sizeof(*in));
			in->group = f[1];
			in->key = f[2];
			in->max_points = atof(f[3]);
			in->threshold = atof(f[4]);
			in->name = f[5];
			in->name_en = f[6];
		} else if (n == 4 && strcmp(f[0], "why") == 0) {
			for (size_t i = 0; i < ninds; i++)
				if (strcmp(inds[i].key, f[1]) == 0) {
					inds[i].why = f[2];
					inds[i].why_en = f[3];
				}
		}
		line = nl ? nl + 1 : NULL;
	}
	if (!o->ngroups)
		return err_set(e, ERR_INTERNAL, "year", "Tệp chỉ số 766 không hợp lệ",
			       "the index 766 data file has no groups");
	for (size_t g = 0; g < o->ngroups; g++) {
		struct i766_group *gr = &o->groups[g];
		gr->inds = arena_alloc(ar, (ninds + 1) * sizeof(*gr->inds));
		for (size_t i = 0; i < ninds; i++)
			if (strcmp(inds[i].group, gr->key) == 0)
				gr->inds[gr->ninds++] = inds[i];
	}
	return 0;
}

/* one COUNT over the subtree's dossiers */
static int
count(struct db *db, const char *sql, const char *path, int64_t a, int64_t b, int64_t *out,
      struct err *e)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return db_fail(db, e);
	db_bind_text(st, 1, path);
	db_bind_int(st, 2, a);
	db_bind_int(st, 3, b);
	int rc = db_step(st);
	*out = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	return rc == DB_ROW ? 0 : db_fail(db, e);
}

#define SUBTREE " JOIN unit u ON u.id = d.competent_unit_id WHERE u.path LIKE ? "

static void
score(struct i766_ind *in)
{
	if (!in->measured)
		return;
	if (in->denominator <= 0) {
		/* nothing to measure in the period: no dossier can fail it */
		in->value = -1;
		in->points = in->max_points;
		return;
	}
	in->value = 100.0 * (double)in->numerator / (double)in->denominator;
	double share = in->threshold > 0 ? in->value / in->threshold : 1;
	in->points = in->max_points * (share > 1 ? 1 : share < 0 ? 0 : share);
}

int
stats_index766(const struct ctx *c, int64_t unit_id, int64_t from, int64_t to, struct index766 *o,
	       struct err *e)
{
	memset(o, 0, sizeof(*o));
	struct b06_report r;
	if (stats_bieu06(c, unit_id, from, to, &r, e) < 0)
		return -1;
	struct b06 tot = {0};
	for (size_t i = 0; i < r.ncells; i++)
		b06_add(&tot, &r.cells[i].v);
	int y, m, d;
	civil_date_from_days(to, &y, &m, &d);
	char *text = load_text(c->arena, y, &o->year);
	if (!text)
		return err_set(e, ERR_NOT_FOUND, "to", "Chưa có bộ điểm chỉ số 766 cho năm này",
			       "no index 766 points for this year");
	if (parse(c->arena, text, o, e) < 0)
		return -1;
	char upath[UNIT_PATH_MAX];
	if (unit_path(c, unit_id, upath, sizeof(upath)) < 0)
		return err_set(e, ERR_NOT_FOUND, "unit", "Không tìm thấy đơn vị", "unit not found");
	const char *path = arena_printf(c->arena, "%s%%", upath);
	int64_t a = from * 86400 - CIVIL_OFFSET, b = (to + 1) * 86400 - CIVIL_OFFSET;
	struct db *db = c->db;
	/* the caller's right to the unit was checked by stats_bieu06 above; the feedback
	 * counts are read as the system, so an auditor or an administrator sees them too */
	struct actor sys;
	actor_system(&sys);
	struct ctx sc = *c;
	sc.actor = &sys;
	struct feedback_inputs sat;
	if (satisfaction_inputs(&sc, unit_id, a, b, &sat, e) < 0)
		return -1;
	int64_t received = tot.received_online + tot.received_direct_postal;
	int64_t resolved = b06_resolved_total(&tot);
	for (size_t g = 0; g < o->ngroups; g++) {
		struct i766_group *gr = &o->groups[g];
		for (size_t i = 0; i < gr->ninds; i++) {
			struct i766_ind *in = &gr->inds[i];
			const char *k = in->key;
			int64_t n = 0, dn = 0;
			in->measured = 1;
			if (in->why) {
				in->measured = 0;
			} else if (strcmp(k, "on_time") == 0) {
				n = tot.early + tot.on_time, dn = resolved;
			} else if (strcmp(k, "results_public") == 0) {
				/* every dossier is public by code and lookup token from intake */
				n = resolved, dn = resolved;
			} else if (strcmp(k, "online_dossiers") == 0) {
				n = tot.received_online, dn = received;
			} else if (strcmp(k, "published_procedures") == 0 ||
				   strcmp(k, "online_procedures") == 0) {
				struct db_stmt *st = db_prepare(
				    db, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 "
					"FROM procedure_channel ch WHERE ch.version_id = v.id AND "
					"ch.channel = 2) THEN 1 ELSE 0 END), 0), "
					"COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM "
					"procedure_channel ch WHERE ch.version_id = v.id AND "
					"ch.time_minutes > 0 AND ch.fee IS NOT NULL) THEN 1 ELSE 0 "
					"END), 0) "
					"FROM procedure p "
					"JOIN procedure_version v ON v.id = p.current_version_id");
				if (!st)
					return db_fail(db, e);
				int rc = db_step(st);
				int64_t all = rc == DB_ROW ? db_col_int(st, 0) : 0;
				int64_t online = rc == DB_ROW ? db_col_int(st, 1) : 0;
				int64_t full = rc == DB_ROW ? db_col_int(st, 2) : 0;
				db_reset(st);
				if (rc != DB_ROW)
					return db_fail(db, e);
				dn = all;
				n = strcmp(k, "online_procedures") == 0 ? online : full;
			} else if (strcmp(k, "paid_online") == 0) {
				if (count(db,
					  "SELECT COUNT(*) FROM dossier d" SUBTREE
					  "AND d.received_at >= ? AND d.received_at < ? AND "
					  "d.fee_amount > 0 AND d.fee_status = 'paid'",
					  path, a, b, &dn, e) < 0 ||
				    count(db,
					  "SELECT COUNT(*) FROM dossier d" SUBTREE
					  "AND d.received_at >= ? AND d.received_at < ? AND "
					  "d.fee_amount > 0 AND d.fee_status = 'paid' AND "
					  "d.fee_method = 'online'",
					  path, a, b, &n, e) < 0)
					return -1;
			} else if (strcmp(k, "e_results") == 0) {
				if (count(db,
					  "SELECT COUNT(*) FROM dossier d" SUBTREE
					  "AND d.finished_at >= ? AND d.finished_at < ? AND "
					  "d.result_number IS NOT NULL",
					  path, a, b, &dn, e) < 0 ||
				    count(db,
					  "SELECT COUNT(*) FROM dossier d" SUBTREE
					  "AND d.finished_at >= ? AND d.finished_at < ? AND "
					  "d.result_number IS NOT NULL AND EXISTS (SELECT 1 FROM "
					  "dossier_file f WHERE f.dossier_id = d.id AND f.kind = "
					  "'result')",
					  path, a, b, &n, e) < 0)
					return -1;
			} else if (strcmp(k, "digitised") == 0) {
				if (count(db,
					  "SELECT COUNT(*) FROM dossier d" SUBTREE
					  "AND d.received_at >= ? AND d.received_at < ? AND EXISTS "
					  "(SELECT 1 FROM dossier_file f WHERE f.dossier_id = d.id "
					  "AND f.kind = 'component')",
					  path, a, b, &n, e) < 0)
					return -1;
				dn = received;
			} else if (strcmp(k, "feedback_on_time") == 0) {
				n = sat.feedback_answered_on_time;
				dn = sat.feedback_answered_on_time + sat.feedback_answered_late +
				     sat.feedback_open_overdue;
			} else if (strcmp(k, "satisfaction") == 0) {
				/* 100% − (% late + % disliked), over the dossiers resolved */
				n = resolved - tot.late - sat.ratings_unsatisfied;
				dn = resolved;
				if (n < 0)
					n = 0;
			} else {
				in->measured = 0;
				in->why = "Hệ thống chưa đo được chỉ tiêu này";
				in->why_en = "the system does not measure this indicator";
			}
			in->numerator = n, in->denominator = dn;
			score(in);
			if (in->measured) {
				gr->points += in->points;
				gr->measured_max += in->max_points;
			}
			gr->data_max += in->max_points;
		}
		o->points += gr->points;
		o->measured_max += gr->measured_max;
		o->max_points += gr->max_points;
	}
	return 0;
}
