#include "domain/lifecycle.h"

#include <stdio.h>
#include <string.h>

#define S(x) (1u << (x))
#define R(x) (1u << (x))

#define OPEN_WORK (S(LC_ACCEPTED) | S(LC_PROCESSING))
#define ANY_OPEN                                                                                   \
	(S(LC_SUBMITTED) | S(LC_ACCEPTED) | S(LC_PROCESSING) | S(LC_WAIT_SUPPLEMENT) |             \
	 S(LC_WAIT_PAYMENT) | S(LC_STOPPED))
#define HANDLERS (R(ROLE_SPECIALIST) | R(ROLE_DEPT_HEAD) | R(ROLE_LEADER) | R(ROLE_CLERK))

/*
 * The transition table. One row per (action, group of from-states). The service reads it and
 * nothing else decides whether an action may be taken.
 */
static const struct lc_transition table[] = {
    /* intake of an online submission at the counter */
    {LA_ACCEPT, S(LC_SUBMITTED), LC_ACCEPTED, R(ROLE_RECEIVER), 0},
    {LA_REFUSE, S(LC_SUBMITTED) | S(LC_ACCEPTED), LC_REFUSED, R(ROLE_RECEIVER), LC_CLOSES},
    /* the work, step by step */
    {LA_ASSIGN, OPEN_WORK, LC_PROCESSING, R(ROLE_RECEIVER) | HANDLERS, LC_STEP},
    {LA_FORWARD, OPEN_WORK, LC_PROCESSING, R(ROLE_RECEIVER) | HANDLERS, LC_STEP},
    {LA_SEND_BACK, S(LC_PROCESSING), LC_PROCESSING, HANDLERS, LC_STEP},
    {LA_TRANSFER, OPEN_WORK, LC_PROCESSING, R(ROLE_RECEIVER) | HANDLERS, LC_STEP},
    {LA_RECALL, S(LC_PROCESSING), LC_PROCESSING, R(ROLE_RECEIVER) | HANDLERS, LC_SAME},
    {LA_RECALL, S(LC_RETURNED), LC_RESULT_READY, R(ROLE_RECEIVER), 0},
    /* the applicant's part */
    {LA_REQUEST_SUPPLEMENT, OPEN_WORK, LC_WAIT_SUPPLEMENT, R(ROLE_RECEIVER) | HANDLERS,
     LC_STEP | LC_PAUSES},
    {LA_SUPPLY, S(LC_WAIT_SUPPLEMENT), LC_PROCESSING, R(ROLE_RECEIVER), LC_RESUMES | LC_APPLICANT},
    {LA_LAPSE, S(LC_WAIT_SUPPLEMENT), LC_LAPSED, R(ROLE_RECEIVER), LC_CLOSES},
    {LA_REQUEST_PAYMENT, OPEN_WORK, LC_WAIT_PAYMENT, R(ROLE_RECEIVER) | R(ROLE_CASHIER) | HANDLERS,
     LC_STEP | LC_PAUSES},
    {LA_CONFIRM_PAYMENT, S(LC_WAIT_PAYMENT), LC_PROCESSING, R(ROLE_CASHIER) | R(ROLE_RECEIVER),
     LC_RESUMES},
    {LA_STOP, OPEN_WORK, LC_STOPPED, R(ROLE_LEADER) | R(ROLE_DEPT_HEAD), LC_PAUSES},
    {LA_RESUME, S(LC_STOPPED), LC_PROCESSING, R(ROLE_LEADER) | R(ROLE_DEPT_HEAD), LC_RESUMES},
    {LA_WITHDRAW, ANY_OPEN, LC_WITHDRAWN, R(ROLE_RECEIVER), LC_CLOSES | LC_APPLICANT},
    /* lateness: a letter drafted by the handler, approved by the head of the agency */
    {LA_EXTEND, OPEN_WORK | S(LC_WAIT_PAYMENT), LC_PROCESSING, HANDLERS | R(ROLE_RECEIVER),
     LC_SAME},
    {LA_APPROVE_EXTENSION, OPEN_WORK | S(LC_WAIT_PAYMENT), LC_PROCESSING,
     R(ROLE_LEADER) | R(ROLE_DEPT_HEAD), LC_SAME},
    /* the result */
    {LA_FINISH, S(LC_PROCESSING), LC_RESULT_READY,
     R(ROLE_LEADER) | R(ROLE_CLERK) | R(ROLE_DEPT_HEAD) | R(ROLE_SPECIALIST), LC_STEP},
    {LA_RETURN, S(LC_RESULT_READY), LC_RETURNED, R(ROLE_RECEIVER), LC_CLOSES},
};

static const struct {
	const char *name, *vi;
	int code;
} states[LC__MAX] = {
    [LC_SUBMITTED] = {"submitted", "Mới đăng ký", 1},
    [LC_ACCEPTED] = {"accepted", "Được tiếp nhận", 2},
    [LC_REFUSED] = {"refused", "Không được tiếp nhận", 3},
    [LC_PROCESSING] = {"processing", "Đang xử lý", 4},
    [LC_WAIT_SUPPLEMENT] = {"waiting_supplement", "Yêu cầu bổ sung", 5},
    [LC_WAIT_PAYMENT] = {"waiting_payment", "Yêu cầu thực hiện nghĩa vụ tài chính", 6},
    [LC_WITHDRAWN] = {"withdrawn", "Công dân rút hồ sơ", 7},
    [LC_STOPPED] = {"stopped", "Dừng xử lý", 8},
    [LC_RESULT_READY] = {"result_ready", "Đã xử lý xong", 9},
    [LC_RETURNED] = {"returned", "Đã trả kết quả", 10},
    [LC_LAPSED] = {"lapsed", "Dừng xử lý (quá hạn bổ sung)", 8},
};

static const struct {
	const char *name, *vi;
} actions[LA__MAX] = {
    [LA_ACCEPT] = {"accept", "Tiếp nhận"},
    [LA_REFUSE] = {"refuse", "Từ chối tiếp nhận"},
    [LA_ASSIGN] = {"assign", "Phân công xử lý"},
    [LA_FORWARD] = {"forward", "Chuyển bước tiếp theo"},
    [LA_SEND_BACK] = {"send_back", "Trả lại bước trước"},
    [LA_TRANSFER] = {"transfer", "Chuyển liên thông"},
    [LA_RECALL] = {"recall", "Thu hồi"},
    [LA_REQUEST_SUPPLEMENT] = {"request_supplement", "Yêu cầu bổ sung hồ sơ"},
    [LA_SUPPLY] = {"supply", "Bổ sung hồ sơ"},
    [LA_LAPSE] = {"lapse", "Hết hạn bổ sung"},
    [LA_REQUEST_PAYMENT] = {"request_payment", "Yêu cầu nộp phí, lệ phí"},
    [LA_CONFIRM_PAYMENT] = {"confirm_payment", "Xác nhận đã nộp phí"},
    [LA_STOP] = {"stop", "Dừng xử lý"},
    [LA_RESUME] = {"resume", "Tiếp tục xử lý"},
    [LA_WITHDRAW] = {"withdraw", "Rút hồ sơ"},
    [LA_EXTEND] = {"extend", "Đề nghị gia hạn"},
    [LA_APPROVE_EXTENSION] = {"approve_extension", "Phê duyệt gia hạn"},
    [LA_FINISH] = {"finish", "Hoàn thành xử lý"},
    [LA_RETURN] = {"return", "Trả kết quả"},
};

const struct lc_transition *
lc_find(enum lc_action a, enum lc_state from)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].action == a && (table[i].from & S(from)))
			return &table[i];
	return NULL;
}

void
lc_allowed(enum lc_state s, char *out, size_t cap)
{
	size_t off = 0;
	out[0] = '\0';
	for (int a = 0; a < LA__MAX; a++) {
		if (!lc_find((enum lc_action)a, s))
			continue;
		int w = snprintf(out + off, cap - off, "%s%s", off ? " " : "", actions[a].name);
		if (w < 0 || (size_t)w >= cap - off)
			break;
		off += (size_t)w;
	}
}

int
lc_role_may(const struct lc_transition *t, enum role r)
{
	return (unsigned)r < ROLE__MAX && (t->roles & R(r)) != 0;
}

const char *
lc_state_name(enum lc_state s)
{
	return (unsigned)s < LC__MAX ? states[s].name : "unknown";
}

const char *
lc_state_vi(enum lc_state s)
{
	return (unsigned)s < LC__MAX ? states[s].vi : "";
}

int
lc_state_code(enum lc_state s)
{
	return (unsigned)s < LC__MAX ? states[s].code : 0;
}

int
lc_state_parse(const char *s)
{
	for (int i = 0; s && i < LC__MAX; i++)
		if (strcmp(states[i].name, s) == 0)
			return i;
	return -1;
}

const char *
lc_action_name(enum lc_action a)
{
	return (unsigned)a < LA__MAX ? actions[a].name : "unknown";
}

const char *
lc_action_vi(enum lc_action a)
{
	return (unsigned)a < LA__MAX ? actions[a].vi : "";
}

int
lc_action_parse(const char *s)
{
	for (int i = 0; s && i < LA__MAX; i++)
		if (strcmp(actions[i].name, s) == 0)
			return i;
	return -1;
}

int
lc_is_open(enum lc_state s)
{
	return (ANY_OPEN & S(s)) != 0;
}

int
lc_clock_stopped(enum lc_state s)
{
	return s == LC_WAIT_SUPPLEMENT || s == LC_WAIT_PAYMENT || s == LC_STOPPED;
}
