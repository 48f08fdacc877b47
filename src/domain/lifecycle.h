/*
 * lifecycle.h: the dossier's states and actions (domain.md §3.1) and the one table that says
 * which action moves a dossier from which states to which, and who may take it. Every state
 * maps to one national status code (1..10) used in exports and sync.
 *
 * Who: an action is allowed to some roles. For actions on the dossier's current step
 * (LC_STEP), the role must also be the step's role at the step's unit (or its assignee);
 * the service checks the unit scope with authz_require. Pure: no I/O.
 */
#ifndef MOTCUA_LIFECYCLE_H
#define MOTCUA_LIFECYCLE_H

#include "core/err.h"
#include "domain/role.h"

enum lc_state {
	LC_SUBMITTED,	    /* 1 Mới đăng ký: online, not yet accepted */
	LC_ACCEPTED,	    /* 2 Được tiếp nhận */
	LC_REFUSED,	    /* 3 Không được tiếp nhận */
	LC_PROCESSING,	    /* 4 Đang xử lý */
	LC_WAIT_SUPPLEMENT, /* 5 Yêu cầu bổ sung: the clock is stopped */
	LC_WAIT_PAYMENT,    /* 6 Yêu cầu thực hiện nghĩa vụ tài chính */
	LC_WITHDRAWN,	    /* 7 Công dân rút hồ sơ */
	LC_STOPPED,	    /* 8 Dừng xử lý */
	LC_RESULT_READY,    /* 9 Đã xử lý xong */
	LC_RETURNED,	    /* 10 Đã trả kết quả */
	LC_LAPSED,	    /* 8 Dừng xử lý: the supplement period ran out (closed) */
	LC__MAX
};

enum lc_action {
	LA_ACCEPT,
	LA_REFUSE,
	LA_ASSIGN,
	LA_FORWARD,
	LA_SEND_BACK,
	LA_TRANSFER,
	LA_RECALL,
	LA_REQUEST_SUPPLEMENT,
	LA_SUPPLY,
	LA_LAPSE,
	LA_REQUEST_PAYMENT,
	LA_CONFIRM_PAYMENT,
	LA_STOP,
	LA_RESUME,
	LA_WITHDRAW,
	LA_EXTEND,
	LA_APPROVE_EXTENSION,
	LA_FINISH,
	LA_RETURN,
	LA__MAX
};

/* Flags of a transition. */
#define LC_STEP	     (1u << 0) /* taken on the current step: role and unit of that step */
#define LC_PAUSES    (1u << 1) /* the clock stops from here */
#define LC_RESUMES   (1u << 2) /* the clock restarts; the due date moves by the pause */
#define LC_APPLICANT (1u << 3) /* the applicant may take it (with the lookup token) */
#define LC_CLOSES    (1u << 4) /* the dossier is closed after it */
#define LC_SAME	     (1u << 5) /* the state does not change (assign, extend, recall ...) */

struct lc_transition {
	enum lc_action action;
	unsigned from;	  /* bit set of enum lc_state */
	enum lc_state to; /* ignored with LC_SAME */
	unsigned roles;	  /* bit set of enum role */
	unsigned flags;
};

/* lc_find: the transition of an action from a state, or NULL when not allowed there. */
const struct lc_transition *lc_find(enum lc_action a, enum lc_state from);
/* lc_allowed: the actions allowed in a state (for 409 answers), space-separated, into out. */
void lc_allowed(enum lc_state s, char *out, size_t cap);
/* lc_role_may: 1 when one of the roles may take the transition. */
int lc_role_may(const struct lc_transition *t, enum role r);

/* Names and codes. */
const char *lc_state_name(enum lc_state s);   /* "processing" */
const char *lc_state_vi(enum lc_state s);     /* "Đang xử lý" */
int lc_state_code(enum lc_state s);	      /* national code 1..10 */
int lc_state_parse(const char *s);	      /* -1 when unknown */
const char *lc_action_name(enum lc_action a); /* "request_supplement" */
const char *lc_action_vi(enum lc_action a);
int lc_action_parse(const char *s);
/* lc_is_open: not finished and not closed (counts as in progress or stopped). */
int lc_is_open(enum lc_state s);
/* lc_clock_stopped: the clock does not run in this state. */
int lc_clock_stopped(enum lc_state s);

#endif
