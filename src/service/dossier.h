/*
 * dossier.h: dossiers (hồ sơ) from intake to return (domain.md §3–§4).
 *
 * Intake at the counter (and by post) accepts at once; an online submission waits for a
 * receiver. Either way the dossier gets its code ({unit identifier}-{yyMMdd}-{NNNN}, a daily
 * serial per receiving unit that is gap-free because it is taken inside the intake's own
 * transaction), the catalogue version it was received under, a due date from the legal clock
 * and a per-step plan from the case's workflow. Every later change is one action through
 * dossier_act, allowed or refused by the transition table of domain/lifecycle.c, and each
 * appends an event to the dossier's hash-chained log in the same transaction (group commit:
 * the call returns after its commit is durable). Messages to the applicant go to the outbox in
 * that transaction too.
 */
#ifndef MOTCUA_DOSSIER_H
#define MOTCUA_DOSSIER_H

#include <stddef.h>
#include <stdint.h>

#include "domain/clock.h"
#include "domain/lifecycle.h"
#include "service/service.h"

#define DOSSIER_MAX_COMPONENTS	64
#define DOSSIER_MAX_STEPS	32
#define DOSSIER_SUPPLEMENT_DAYS 30 /* default period for the applicant to supplement */

struct person {
	const char *kind; /* person | organisation */
	const char *name;
	const char *id_type; /* cccd | cmnd | passport | tax_code */
	const char *id_number;
	const char *birth_date; /* YYYY-MM-DD */
	const char *address;
	const char *phone;
	const char *email;
	const char *relation; /* representative only */
};

struct component_in {
	int64_t component_id; /* from the case, or 0 with a name */
	const char *name;
	int originals, copies;
	const char *file_sha256;
};

struct intake {
	const char *procedure_code;
	int64_t case_id;	   /* 0: the procedure's first case */
	int channel;		   /* 1 direct, 2 online, 3 postal */
	int64_t receiving_unit_id; /* the receiver's unit (counter); for online the portal's unit */
	int64_t competent_unit_id; /* 0: by the procedure's competence */
	struct person applicant;
	struct person rep; /* rep.name NULL when none */
	const struct component_in *components;
	size_t ncomponents;
	const char *delivery_method; /* counter | postal | online */
	const char *delivery_address;
	int64_t fee_amount; /* -1: the procedure's fee for the channel */
	int64_t at;	    /* 0: now (bulk generators set the past) */
};

struct intake_result {
	int64_t id;
	const char *code;
	const char *lookup_token;
	int64_t due_at;
};

struct action_in {
	enum lc_action action;
	const char *note;
	const char *reason;
	const char *assignee;	  /* user id or username */
	const char *to_unit;	  /* transfer: unit id or identifier */
	int64_t minutes;	  /* transfer budget, or extension length (working minutes) */
	int64_t new_due;	  /* extension to a date */
	const char *const *items; /* supplement: what to supply */
	size_t nitems;
	int64_t period_days; /* supplement period */
	int64_t amount;	     /* payment */
	const char *method;  /* payment or return method */
	const char *result_number, *signer, *signed_date;
	const char *recipient;
	const char *postal_tracking;
	const char *token; /* the applicant acting with the lookup token */
};

struct dossier_step_rec {
	int seq;
	const char *name, *role, *unit_name;
	int64_t unit_id, minutes, due_at, started_at, finished_at, assignee_id;
	const char *assignee_name, *outcome;
	int transferred;
};

struct dossier_event_rec {
	int seq;
	int64_t at;
	const char *actor, *action, *from_state, *to_state, *note;
	int step_seq;
};

struct dossier_due_rec {
	int64_t at, due_at;
	const char *reason, *by;
};

struct dossier_component_rec {
	int seq;
	const char *name;
	int originals, copies;
	const char *file_sha256;
};

struct dossier_rec {
	int64_t id;
	const char *code;
	enum lc_state state;
	int64_t receiving_unit_id, competent_unit_id;
	const char *receiving_unit_name, *competent_unit_name;
	const char *procedure_code, *procedure_name, *field_code, *case_name;
	int procedure_version;
	int channel;
	struct person applicant, rep;
	const char *delivery_method, *delivery_address, *postal_tracking, *postal_status;
	int64_t fee_amount;
	const char *fee_status, *fee_method;
	const char *time_unit;
	int64_t time_minutes;
	int64_t submitted_at, received_at, clock_start_at, due_at, original_due_at, paused_at;
	int64_t finished_at, returned_at, supplement_deadline;
	int64_t register_no; /* its line in the receiving unit's register of its year; 0 before */
	int supplement_count;
	const char *supplement_items, *outcome, *result_number, *result_signer, *result_date;
	const char *return_recipient, *return_method, *refusal_reason;
	int64_t ext_due_at;
	const char *ext_reason;
	const char *lookup_token;
	int current_step;
	int64_t holder_unit_id, assignee_id;
	const char *holder_role;
	struct dossier_step_rec *steps;
	size_t nsteps;
	struct dossier_event_rec *events;
	size_t nevents;
	struct dossier_due_rec *dues;
	size_t ndues;
	struct dossier_component_rec *components;
	size_t ncomponents;
};

struct dossier_filter {
	const char *queue; /* mine | unit | due_soon | overdue | waiting | all */
	const char *state; /* a state name */
	int64_t unit_id;   /* within this unit's subtree */
	const char *procedure_code;
	int channel;
	int64_t from, to; /* received between */
	int64_t due_before;
	const char *q; /* code, applicant or procedure text */
	int limit;
	const char *cursor;
};

struct dossier_list {
	struct dossier_rec *items; /* without steps, events, dues, components */
	size_t n;
	const char *next_cursor;
};

/* public lookup view */
struct lookup_rec {
	struct dossier_rec d; /* only public fields are filled */
};

/* dossier_intake: counter or postal intake by a receiver: accepted at once (state 2). */
int dossier_intake(const struct ctx *c, const struct intake *in, struct intake_result *out,
		   struct err *e);
/* dossier_submit: an online submission by a citizen (no login): state 1, with a token. */
int dossier_submit(const struct ctx *c, const struct intake *in, struct intake_result *out,
		   struct err *e);
/* dossier_act: one action on a dossier (see lifecycle.h); ERR_CONFLICT with e->allowed when
 * the action is not allowed in the dossier's state. */
int dossier_act(const struct ctx *c, const char *code, const struct action_in *a, struct err *e);
/* dossier_my_actions: the actions of d's state (from dossier_get) that the caller's roles
 * and units allow at its current step (the same test as dossier_act, with the step's
 * assignee), space-separated into out; "" for none. An action listed may still be refused
 * for its own conditions (forward at the last step, recall of a step already acted on). */
void dossier_my_actions(const struct ctx *c, const struct dossier_rec *d, char *out, size_t cap);
/* dossier_get: the dossier with its steps, events, due history and components, for staff
 * whose units cover it (receiving, competent or a step's unit). */
int dossier_get(const struct ctx *c, const char *code, struct dossier_rec *out, struct err *e);
/* dossier_list: a work list page (keyset pagination). */
int dossier_list(const struct ctx *c, const struct dossier_filter *f, struct dossier_list *out,
		 struct err *e);
/* dossier_lookup: the citizen's view, by code and the applicant's (or representative's) ID
 * number or the lookup token; a mismatch is ERR_NOT_FOUND exactly like a missing code. */
int dossier_lookup(const struct ctx *c, const char *code, const char *id_number, const char *token,
		   struct dossier_rec *out, struct err *e);
/* dossier_lookup_steps: the same with the steps only (the citizen's lookup page). */
int dossier_lookup_steps(const struct ctx *c, const char *code, const char *id_number,
			 const char *token, struct dossier_rec *out, struct err *e);
/* dossier_explain_due: why the due date is what it is, recomputed from the events. */
int dossier_explain_due(const struct ctx *c, const char *code, struct clock_explain *x,
			int64_t *due, struct err *e);
/* dossier_verify: check every dossier's event chain; 0 or -1 naming the first bad one. */
int dossier_verify(struct db *db, int64_t *checked, struct err *e);
/* dossier_append_event: append one event to the dossier's hash chain, inside the caller's
 * transaction on db, with the dossier's row already locked by it; *seq and tip (65 bytes)
 * are the chain's tip as read under that lock, and are advanced. The actor is c->actor, or
 * "citizen" when there is none. For the dossier's own modules (dossier*.c) only. */
/* dossier_postal: the result's journey by post after a postal return (receiver of the
 * receiving unit): status in_transit | delivered | failed; an event in the chain.
 * dossier_postal_vi: the Vietnamese name of a postal status, or NULL. */
int dossier_postal(const struct ctx *c, const char *code, const char *status, const char *note,
		   struct err *e);
const char *dossier_postal_vi(const char *status);
int dossier_append_event(struct db *db, const struct ctx *c, int64_t dossier_id, int64_t *seq,
			 char *tip, const char *action, const char *from, const char *to, int step,
			 const char *note, int64_t at, struct err *e);

/* dossier_id_number_ok: the shape of an ID number of a type (CCCD: 12 digits ...). */
int dossier_id_number_ok(const char *type, const char *number, const char *field, struct err *e);
const char *dossier_channel_name(int channel); /* direct, online, postal */
int dossier_channel_parse(const char *s);

#endif
