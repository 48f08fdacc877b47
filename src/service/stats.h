/*
 * stats.h: the statistics a province is judged by (domain.md §7, §8, §12).
 *
 * Counters (store/migrations/009_stats.sql) are kept in the same transaction as every change
 * that moves a dossier between buckets: received, resolved early / on time / late, overdue.
 * A report sums a few rows per unit (domain/tally.h reads a range of days as years, months
 * and loose days), so Biểu 06 over a province and a year costs a few thousand rows whatever
 * the number of dossiers. `stats_rebuild` recomputes every counter from the dossiers, for an
 * import or a repair; the API tests compare the counters with a brute-force recomputation
 * from the dossiers and their event logs.
 *
 * A dossier counts for its competent unit. Received = accepted (the clock started); resolved
 * = finished, withdrawn, lapsed (supplement period ran out: on time) or refused after
 * acceptance (classified by date like a result); in progress at the end of a day = received
 * and not resolved by then; overdue = in progress, not paused (supplement, payment, stopped)
 * and its due day on or before that day.
 */
#ifndef MOTCUA_STATS_H
#define MOTCUA_STATS_H

#include "service/service.h"

/* A dossier as the counters see it, and what it has contributed so far. */
struct stats_row {
	int64_t unit_id;
	char field[128], procedure[64];
	int channel;
	int64_t received_at, finished_at, due_at, paused_at;
	char outcome[12];	       /* early | on_time | late | "" */
	int recv_day, res_day, ov_day; /* yyyymmdd, 0: none */
	char res_class[12];
};

enum stats_col { SC_RECV, SC_EARLY, SC_ON_TIME, SC_LATE, SC_OV, SC__MAX };

struct stats_plan {
	int n;
	struct {
		int day;
		enum stats_col col;
		int v;
	} d[8];
};

/* stats_plan: the deltas that bring the row's contribution to what it should be at `now`;
 * updates the row's remembered contribution. Pure. */
void stats_plan(struct stats_row *r, int64_t now, struct stats_plan *p);
/* stats_write: the deltas into stat_count at day, month and year grain. */
int stats_write(struct db *db, const struct stats_row *r, const struct stats_plan *p,
		struct err *e);
/*
 * A counters accumulator: deltas summed in memory by counter row and written once (bulk
 * generators, rebuild), so that a batch of dossiers costs one upsert per row it touches
 * instead of three per change.
 */
struct stats_acc;
struct stats_acc *stats_acc_new(void);
void stats_acc_free(struct stats_acc *a);
/* stats_acc_add: the plan's deltas at day, month and year grain; -1 out of memory. */
int stats_acc_add(struct stats_acc *a, const struct stats_row *r, const struct stats_plan *p);
/* stats_acc_flush: every row with a non-zero delta upserted into stat_count, then empty. */
int stats_acc_flush(struct db *db, struct stats_acc *a, struct err *e);

/* A moment in a dossier's history where what it counts for may change: its due date changed
 * (dossier_due) or its state did (dossier_event; paused: the state stops the clock). */
struct stats_point {
	int64_t at;
	int kind; /* 0 due change, 1 state change */
	int64_t due;
	int paused;
};
/* stats_paused_state: 1 for the states that stop the clock. */
int stats_paused_state(const char *state);
/*
 * stats_replay: the counters a dossier has contributed over its history: `fin` is the dossier
 * as it is now (received_at, finished_at, outcome, unit, field, procedure, channel), pts its
 * points (sorted here, n >= 1). The deltas go into acc; *mem gets the contribution to remember
 * (recv_day, res_day, res_class, ov_day). The same replay as `motcua stats rebuild`.
 */
int stats_replay(const struct stats_row *fin, struct stats_point *pts, size_t n,
		 struct stats_acc *acc, struct stats_row *mem);
/*
 * stats_enabled: 0 when the environment has MOTCUA_BENCH_NO_STATS=1, read once: intake and
 * transitions then keep no counters. Only for bench/stats.sh, which measures what keeping
 * them costs; a server started so logs a warning, and its reports are wrong until
 * `motcua stats rebuild`.
 */
int stats_enabled(void);
/* stats_sync: inside a dossier's write transaction, after the change: read the dossier, write
 * the deltas and remember its contribution. */
int stats_sync(struct db *db, int64_t dossier_id, int64_t now, struct err *e);
/* stats_rebuild: clear the counters and recompute them from every dossier (one transaction).
 * Past overdue history is rebuilt from the due-date history and the event log. */
int stats_rebuild(const struct ctx *c, int64_t *dossiers, struct err *e);

/* One Biểu 06 cell: what a unit and field did in a period. The derived columns
 * (totals, in progress, within time) are computed by b06_* below. */
struct b06 {
	int64_t received_online, received_direct_postal, received_postal, carried_over;
	int64_t early, on_time, late, overdue;
};

static inline int64_t
b06_received_total(const struct b06 *v)
{
	return v->carried_over + v->received_online + v->received_direct_postal;
}
static inline int64_t
b06_resolved_total(const struct b06 *v)
{
	return v->early + v->on_time + v->late;
}
static inline int64_t
b06_in_progress(const struct b06 *v)
{
	return b06_received_total(v) - b06_resolved_total(v);
}

void b06_add(struct b06 *to, const struct b06 *v);

struct b06_unit {
	int64_t id;
	const char *code, *name, *kind;
	int depth;
	const char *level; /* province | district | commune */
};

struct b06_cell {
	size_t unit; /* index into units */
	const char *field;
	struct b06 v;
};

struct b06_report {
	struct b06_unit *units; /* the subtree, root first */
	size_t nunits;
	struct b06_cell *cells; /* one per unit and field with anything to show */
	size_t ncells;
	const char **field_codes, **field_names; /* every field that appears, sorted by code */
	size_t nfields;
	int from, to; /* yyyymmdd */
};

/* stats_default_unit: the caller's own top unit (the grant nearest the root), 0 if none. */
int64_t stats_default_unit(const struct ctx *c);
/* stats_bieu06: the counters of the unit's subtree over the days from..to (day numbers).
 * Staff with any role over the unit may read it. A period over 5 years is refused. */
int stats_bieu06(const struct ctx *c, int64_t unit_id, int64_t from, int64_t to,
		 struct b06_report *out, struct err *e);
/* stats_bieu06_public: the same without a caller check, for the public page. */
int stats_bieu06_public(const struct ctx *c, int64_t unit_id, int64_t from, int64_t to,
			struct b06_report *out, struct err *e);

#endif
