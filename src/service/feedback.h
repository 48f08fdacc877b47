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
 * Whoever submits an item gets its code and a secret, once (only the secret's SHA-256 is
 * stored); with both the citizen follows the item (feedback_status) and answers a request for
 * more information (feedback_reply), which puts the item back to received with the deadlines
 * counted from receipt restarted from the reply (the *_after_reply lines of the data).
 *
 * A citizen rates a returned dossier once, with its lookup token; "not satisfied" opens a
 * feedback item for the dossier's competent unit. Both feed feedback_index_inputs (the
 * satisfaction group of the 766 index) and satisfaction_inputs.
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
	const char *info_reply; /* the citizen's last reply to a request for information */
	int64_t info_replied_at;
	struct feedback_event_rec *events; /* feedback_get, feedback_status (actor NULL there) */
	size_t nevents;
};

struct feedback_action_in {
	const char *action; /* refuse | request_info | assign | answer | publish */
	const char *reason, *assignee, *answer, *classification;
};

/*
 * The inputs of the satisfaction group of the 766 index for a unit's subtree and a period.
 * Feedback is counted by the date it was received (items received in the period), each in
 * its state as of now; ratings by the date they were given.
 */
struct feedback_inputs {
	int64_t feedback_received;	   /* received in the period (every channel) */
	int64_t feedback_answered_on_time; /* answered at or before the answer deadline */
	int64_t feedback_answered_late;	   /* answered after it */
	int64_t feedback_open_overdue;	   /* neither answered nor refused, past the deadline now */
	int64_t feedback_refused;	   /* refused (not the unit's to answer); in received */
	int64_t ratings_total, ratings_satisfied, ratings_unsatisfied;
};

/* feedback_submit: a citizen on the portal (channel web, no login) or staff entering a hotline
 * or counter item (receiver over the target unit). *code and *secret (may be NULL: not
 * wanted) in c->arena; the secret is given to the citizen once and never stored in clear. */
int feedback_submit(const struct ctx *c, const struct feedback_in *in, const char **code,
		    const char **secret, struct err *e);
/* feedback_status: the citizen's view of an own item, by code and secret (no login). A wrong
 * secret, a missing code and an item without a secret are the same ERR_NOT_FOUND. Events have
 * no actor (staff names are not shown); the caller decides which fields to publish. */
int feedback_status(const struct ctx *c, const char *code, const char *secret,
		    struct feedback_rec *out, struct err *e);
/* feedback_reply: the citizen supplies the information asked for (code and secret as for
 * feedback_status; content at most FEEDBACK_CONTENT_MAX code points). Only in state
 * info_requested (else ERR_CONFLICT): the item is received again, the reply is kept on it and
 * appended to its event log (action "reply", actor "citizen"), and the refuse, request_info
 * and answer deadlines restart from now by the *_after_reply lines of the deadlines data. */
int feedback_reply(const struct ctx *c, const char *code, const char *secret, const char *content,
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
 * like a missing code; a second rating ERR_CONFLICT). *feedback_code and *feedback_secret (may
 * be NULL: not wanted) are set, or NULL, when the rating opened a feedback item. */
int rating_submit(const struct ctx *c, const char *dossier_code, const char *token, int satisfied,
		  const char *const *reasons, size_t nreasons, const char **feedback_code,
		  const char **feedback_secret, struct err *e);
/* rating_reason_valid: a code of data/feedback/rating_reasons.txt. */
int rating_reason_valid(const char *code);
/*
 * feedback_index_inputs: what the 766 index's satisfaction group needs from feedback and
 * ratings (struct feedback_inputs) for the subtree rooted at unit_id (0: the actor's first
 * unit) over a period. from and to are civil dates "YYYY-MM-DD", both inclusive, whole days at
 * UTC+7 (the way the official statistics count), or RFC 3339 instants ([from, to)); NULL or
 * "" leaves that end open. ERR_VALIDATION naming "from" or "to" for a bad or empty period.
 * The actor must be staff (receiver, specialist, dept_head, leader or inspector) over the
 * unit, else ERR_FORBIDDEN. Reads only.
 */
int feedback_index_inputs(const struct ctx *c, int64_t unit_id, const char *from, const char *to,
			  struct feedback_inputs *out, struct err *e);
/* satisfaction_inputs: the same over [from, to) in epoch seconds (0 for open ends). */
int satisfaction_inputs(const struct ctx *c, int64_t unit_id, int64_t from, int64_t to,
			struct feedback_inputs *out, struct err *e);
/* feedback_verify: check every feedback item's event chain; 0 or -1 naming the first bad one. */
int feedback_verify(struct db *db, int64_t *checked, struct err *e);
/* feedback_mask: text with e-mail addresses, runs of 6 or more digits (phones, ID numbers)
 * and the given personal strings masked; feedback_initials: "Nguyễn Văn An" -> "N.V.A.". */
char *feedback_mask(struct arena *a, const char *text, const char *const *personal, size_t n);
char *feedback_initials(struct arena *a, const char *name);

#endif
