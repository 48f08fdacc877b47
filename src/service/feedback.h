/*
 * feedback.h: feedback (phản ánh, kiến nghị) and ratings of returned dossiers (domain.md §11).
 *
 * A feedback item is received (on the web, by hotline or at the counter), routed to a unit
 * (chosen, or the dossier's or the procedure's competent unit), and then moves through one
 * static transition table: received -> refused | info_requested | assigned -> answered ->
 * published. Each deadline is data (data/feedback/deadlines.txt) counted in working days by
 * the legal clock of the target unit. Every change appends an event to the item's hash-chained
 * log in the same transaction. Published items are shown with the citizen's data masked.
 *
 * A citizen rates a returned dossier once, with its lookup token; "not satisfied" opens a
 * feedback item for the dossier's competent unit. Both feed satisfaction_inputs (index 766).
 */
#ifndef MOTCUA_FEEDBACK_H
#define MOTCUA_FEEDBACK_H

#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

#define FEEDBACK_CONTENT_MAX 5000 /* code points */
#define RATING_MAX_REASONS   8

struct feedback_in {
	const char *channel; /* web | hotline | counter */
	const char *content, *name, *phone, *email;
	const char *dossier_code, *procedure_code, *classification;
	int64_t unit_id; /* 0: routed by the dossier or the procedure */
};

struct feedback_event_rec {
	int seq;
	int64_t at;
	const char *actor, *action, *from_state, *to_state, *note;
};

struct feedback_rec {
	int64_t id;
	const char *code, *channel, *state, *content, *name, *phone, *email;
	const char *dossier_code, *procedure_code, *classification, *reason, *answer;
	int64_t unit_id;
	const char *unit_name, *assignee_name;
	int64_t assignee_id;
	int64_t received_at, refuse_due, info_due, answer_due, publish_due;
	int64_t refused_at, info_requested_at, assigned_at, answered_at, published_at;
	struct feedback_event_rec *events;
	size_t nevents;
};

struct feedback_action_in {
	const char *action; /* refuse | request_info | assign | answer | publish */
	const char *reason, *assignee, *answer, *classification;
};

struct satisfaction {
	int64_t ratings_total, ratings_satisfied, ratings_unsatisfied;
	int64_t feedback_received, feedback_answered_on_time, feedback_answered_late;
	int64_t feedback_open_overdue; /* not answered and past the answer deadline */
};

/* feedback_submit: a citizen on the portal (channel web, no login) or staff entering a hotline
 * or counter item (receiver over the target unit). *code in c->arena. */
int feedback_submit(const struct ctx *c, const struct feedback_in *in, const char **code,
		    struct err *e);
/* feedback_get: one item with its events, for staff of the target unit's subtree. */
int feedback_get(const struct ctx *c, const char *code, struct feedback_rec *out, struct err *e);
/* feedback_list: the work list of a unit's subtree (0: the actor's first unit), newest first;
 * state NULL for all. */
int feedback_list(const struct ctx *c, int64_t unit_id, const char *state, int limit,
		  struct feedback_rec **out, size_t *n, struct err *e);
/* feedback_public_list: published items of a unit's subtree (0: all), masked. */
int feedback_public_list(const struct ctx *c, int64_t unit_id, int limit, struct feedback_rec **out,
			 size_t *n, struct err *e);
/* feedback_act: one transition; ERR_CONFLICT when not allowed in the item's state. */
int feedback_act(const struct ctx *c, const char *code, const struct feedback_action_in *a,
		 struct err *e);
/* rating_submit: rate a returned dossier with its lookup token (a mismatch is ERR_NOT_FOUND
 * like a missing code; a second rating ERR_CONFLICT). *feedback_code is set (or NULL) when
 * the rating opened a feedback item. */
int rating_submit(const struct ctx *c, const char *dossier_code, const char *token, int satisfied,
		  const char *const *reasons, size_t nreasons, const char **feedback_code,
		  struct err *e);
/* rating_reason_valid: a code of data/feedback/rating_reasons.txt. */
int rating_reason_valid(const char *code);
/* satisfaction_inputs: counts for a unit's subtree (0: all) over [from, to) (epoch seconds;
 * 0 for open ends): ratings by date, feedback by received date. Staff over the unit. */
int satisfaction_inputs(const struct ctx *c, int64_t unit_id, int64_t from, int64_t to,
			struct satisfaction *out, struct err *e);
/* feedback_verify: check every feedback item's event chain; 0 or -1 naming the first bad one. */
int feedback_verify(struct db *db, int64_t *checked, struct err *e);
/* feedback_mask: text with e-mail addresses, runs of 6 or more digits (phones, ID numbers)
 * and the given personal strings masked; feedback_initials: "Nguyễn Văn An" -> "N.V.A.". */
char *feedback_mask(struct arena *a, const char *text, const char *const *personal, size_t n);
char *feedback_initials(struct arena *a, const char *name);

#endif
