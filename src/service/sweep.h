/*
 * sweep.h: the periodic pass over open dossiers (domain.md §4: "a warning goes out before a
 * step or the dossier becomes late").
 *
 * For dossiers whose clock runs (accepted, processing): when the running step's due date, or
 * the dossier's own due date, is within the lead time counted in working minutes on the legal
 * clock (setting warn_lead_minutes, default one working day), a due_soon warning; once past
 * it, a late warning. Each is raised once: a dossier_warning row (dossier, step — 0 for the
 * dossier's own due date — and kind) is written with its outbox messages in one transaction,
 * and a second node or a second pass finds the row and writes nothing. The messages go by
 * e-mail to the users holding the step's role at the step's unit and to that unit's webhooks.
 * The dossier's own warning is left out while the running step falls due at the same moment
 * (the last step), where the step's warning says it all.
 *
 * Dossiers waiting for a supplement whose period ran out are lapsed through dossier_act with
 * the system actor, so the transition, its event and its rules stay in dossier.c.
 *
 * Each query reads a partial index holding only live rows (migration 006) in due-date order
 * and at most SWEEP_BATCH rows, so a pass costs the same with a million closed dossiers as
 * with none; a backlog is worked off over several passes, earliest due first.
 */
#ifndef MOTCUA_SWEEP_H
#define MOTCUA_SWEEP_H

#include "service/service.h"

#define SWEEP_BATCH	 200	      /* candidates read per query and pass */
#define SWEEP_LEAD	 480	      /* default lead time in working minutes */
#define SWEEP_LATE_SINCE (30 * 86400) /* late longer than this when first seen: not announced */

struct sweep_report {
	int due_soon, late; /* warnings raised */
	int messages;	    /* outbox rows written for them */
	int lapsed;	    /* dossiers closed for want of a supplement */
	int errors;	    /* dossiers skipped after an error (logged) */
};

/* sweep_run: one pass at c->now with c->db; c->actor must be the system actor (the lapses
 * are its actions). 0, or -1 with e when the pass could not run at all. */
int sweep_run(const struct ctx *c, struct sweep_report *r, struct err *e);

/* sweep_lead_minutes: the lead time in force (setting warn_lead_minutes, else SWEEP_LEAD). */
int64_t sweep_lead_minutes(struct db *db);

#endif
