/*
 * procedure.h: the procedure catalogue (domain.md §2): versioned entries, their search, the
 * fields (lĩnh vực), and the bulk import's per-record step.
 *
 * A procedure is its national code plus versions. Every change writes a new version (with its
 * effective date and the decision that published it); the version and everything under it,
 * channels, cases, components and workflow steps, is immutable once written, because a
 * dossier keeps the version_id and case ids it was received under. procedure_save compares a
 * record's canonical content with the version in force (a SHA-256 over it), so saving the same
 * record twice changes nothing.
 *
 * Durations are working minutes (480 = one working day, TTHC_DAY_MINUTES) for working_days and
 * working_hours; calendar days are days x 1440. Fees are integer VND. A time or fee the
 * source does not state is PROC_UNKNOWN (-1) and stored as NULL.
 *
 * Everything returned lives in c->arena. Reads are public; writes need the admin role.
 */
#ifndef MOTCUA_PROCEDURE_H
#define MOTCUA_PROCEDURE_H

#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

#define PROC_UNKNOWN	    (-1)
#define PROC_MAX_CASES	    16
#define PROC_MAX_COMPONENTS 200 /* per case */
#define PROC_MAX_STEPS	    32	/* per case */
#define PROC_SEARCH_MAX	    500 /* page size limit */

enum channel { CHANNEL_DIRECT = 1, CHANNEL_ONLINE = 2, CHANNEL_POSTAL = 3 }; /* national codes */

struct proc_channel {
	int offered;
	const char *time_unit; /* working_days | calendar_days | working_hours, NULL unknown */
	int64_t time_minutes;  /* PROC_UNKNOWN when unknown */
	const char *time_text;
	int64_t fee; /* VND, PROC_UNKNOWN when unknown */
	const char *fee_text;
};

struct proc_component {
	int64_t id;
	const char *name;
	int originals, copies, required, has_eform;
	const char *group; /* the heading it is listed under, or NULL */
	const char *form;  /* the form template's name, or NULL */
};

struct proc_step {
	int seq;
	const char *name;
	const char *role;      /* receiver specialist dept_head leader clerk cashier */
	const char *unit_kind; /* commune department service_centre province ..., or NULL */
	int64_t unit_id;       /* 0 when by kind */
	int64_t minutes;       /* allotted working minutes */
};

struct proc_case {
	int64_t id;
	const char *name;
	struct proc_component *components;
	size_t ncomponents;
	struct proc_step *steps;
	size_t nsteps;
};

struct proc_version {
	int64_t procedure_id, version_id;
	int version;
	const char *code, *name, *field_code, *field_name, *level,
	    *online_mode /* full|partial|none */;
	int non_territorial;
	int cutoff_minute; /* -1 none */
	const char *competent_agency;
	int64_t competent_unit_id; /* 0 unknown */
	const char *effective_from, *decision;
	struct proc_channel channels[4]; /* indexed by enum channel */
	struct proc_case *cases;
	size_t ncases;
	/* also part of the entry: */
	const char *kind;		 /* loại thủ tục */
	const char *executing_agency;	 /* cơ quan thực hiện */
	const char *coordinating_agency; /* cơ quan phối hợp */
	const char *subjects, *legal_basis, *result, *conditions, *steps_text;
	int result_paper;
	const char *source; /* seed national xlsx csv api */
	const char *source_url;
	const char *note; /* why this version */
	int64_t created_at;
	/* level is the space-separated level keys (ministry province district commune other). */
};

/*
 * procedure_load: the version in force (version 0) or a given version of the procedure with
 * this code, in c->arena, with its channels, cases, components and workflow steps.
 * ERR_NOT_FOUND when there is no such procedure or version.
 */
int procedure_load(const struct ctx *c, const char *code, int version, struct proc_version *out,
		   struct err *e);
/* procedure_cache_free: forget the versions read so far (at shutdown). The version in force
 * (version 0) is served from a cache of immutable version rows: treat what procedure_load
 * returns as read-only. */
void procedure_cache_free(void);
/* procedure_load_version: the same by a version's row id (what a dossier keeps). */
int procedure_load_version(const struct ctx *c, int64_t version_id, struct proc_version *out,
			   struct err *e);

/* What procedure_save did with a record. */
enum proc_outcome { PROC_ADDED, PROC_UPDATED, PROC_UNCHANGED, PROC_REJECTED, PROC_OUTCOME__MAX };
const char *proc_outcome_name(enum proc_outcome o); /* added updated unchanged rejected */

#define PROC_SAVE_DRY_RUN (1u << 0) /* validate and classify; write nothing */
#define PROC_SAVE_PARTIAL (1u << 1) /* a list row: fields left NULL keep the current value */
/* The record comes from a source that knows nothing of local configuration (the national
 * database, CSV): where it has none, keep the version in force's workflow steps (by case),
 * competent unit, non-territorial flag and cut-off hour. The kept workflow must still fit the
 * record's legal time, or the record is rejected. */
#define PROC_SAVE_KEEP_LOCAL (1u << 2)

struct proc_change {
	const char *path; /* "name", "channels.direct.time_minutes", "cases[0].components" ... */
	const char *from, *to;
	double change_pct; /* for numbers: (to - from) / from x 100; NaN otherwise */
};

struct proc_save_result {
	enum proc_outcome outcome;
	int64_t procedure_id, version_id;
	int version;
	struct proc_change *changes; /* against the previous version (updated, or dry run) */
	size_t nchanges;
};

/*
 * procedure_save: validate one catalogue record and write it in its own transaction: a new
 * procedure (version 1), a new version when its content differs from the version in force,
 * nothing when it does not. A record either lands whole or not at all. The checks: code
 * shape, name, a known field code (or field name), levels, online mode, channels (time units,
 * no negative fee), cases with components and workflow steps (roles, unit kinds, units that
 * exist), and the workflow's total time within the shortest legal time of the channels.
 * Admin only. 0 with *res filled, or -1 with e (ERR_VALIDATION naming the field).
 */
int procedure_save(const struct ctx *c, const struct proc_version *in, unsigned flags,
		   struct proc_save_result *res, struct err *e);

/* One line of a version history. */
struct proc_history {
	int64_t version_id;
	int version;
	const char *name, *effective_from, *decision, *source, *note;
	int64_t created_at;
	struct proc_channel channels[4];
};

/* procedure_versions: every version of a procedure, oldest first. */
int procedure_versions(const struct ctx *c, const char *code, struct proc_history **out, size_t *n,
		       struct err *e);

/* procedure_diff: what changed from version `from` to version `to` (0 = in force). */
int procedure_diff(const struct ctx *c, const char *code, int from, int to,
		   struct proc_change **out, size_t *n, struct err *e);

/* A search request. Empty q lists the catalogue by code. */
struct proc_query {
	const char *q;
	const char *field;  /* field code */
	const char *level;  /* level key */
	const char *online; /* full | partial | none */
	const char *agency; /* a unit id, or words of the agency's name */
	int limit;	    /* 1..PROC_SEARCH_MAX */
	const char *cursor; /* from the previous page, or NULL */
};

struct proc_hit {
	int64_t procedure_id;
	const char *code, *name, *field_code, *levels, *online_mode;
	int64_t score; /* lower ranks first */
};

/*
 * procedure_search: the catalogue's versions in force matching q (accent- and case-
 * insensitive, every word a prefix, one typo per longer word forgiven when nothing matches
 * as typed), ranked: all words in the name, then in name and field, then anywhere; within a
 * rank the name holding the words as a phrase, then the shorter name. Keyset pagination:
 * *next_cursor is NULL on the last page.
 */
int procedure_search(const struct ctx *c, const struct proc_query *q, struct proc_hit **out,
		     size_t *n, const char **next_cursor, struct err *e);

struct proc_field {
	int64_t id;
	const char *code, *name;
	int64_t procedures; /* with a version in force in this field */
};

/* field_list: every field, by name. */
int field_list(const struct ctx *c, struct proc_field **out, size_t *n, struct err *e);
/*
 * field_sync: make sure the fields of data/procedures/fields.tsv (carried in the binary) exist;
 * idempotent, run before imports. 0 or -1.
 */
int field_sync(const struct ctx *c, struct err *e);

#endif
