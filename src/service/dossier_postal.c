/*
 * dossier_postal.c: the result's journey by post (bưu chính công ích) after it was returned
 * by post: sent -> in transit -> delivered, or failed (not delivered, back to the sender).
 * Each update is an event in the dossier's chain (the dossier's state stays "returned");
 * a failed delivery tells the applicant and the receiver can recall the return and send or
 * hand the result again.
 */
#include "service/dossier.h"

#include "domain/lifecycle.h"

#include <stdio.h>
#include <string.h>

static const char *const postal_states[] = {"sent", "in_transit", "delivered", "failed"};
static const char *const postal_vi[] = {"Đã gửi", "Đang vận chuyển", "Đã phát thành công",
					"Phát không thành công (chuyển hoàn)"};

static int
postal_index(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s && strcmp(s, postal_states[i]) == 0)
			return i;
	return -1;
}

const char *
dossier_postal_vi(const char *status)
{
	int i = postal_index(status);
	return i < 0 ? NULL : postal_vi[i];
}

/* which status may follow which: the journey only goes forward */
static int
postal_may(int from, int to)
{
	switch (from) {
	case 0:
		return to == 1 || to == 2 || to == 3;
	case 1:
		return to == 1 || to == 2 || to == 3; /* in transit again: a new scan */
	default:
		return 0; /* delivered and failed are final */
	}
}

struct postal_args {
	struct ctx cc;
	const char *code, *status, *note;
};

static int
postal_tx(struct db *db, void *arg, struct err *e)
{
	struct postal_args *a = arg;
	struct ctx *c = &a->cc;
	c->db = db;
	struct db_stmt *st = db_prepare(
	    db, "UPDATE dossier SET updated_at = ? WHERE code = ? RETURNING id, state, "
		"receiving_unit_id, COALESCE(return_method, ''), COALESCE(postal_status, ''), "
		"event_seq, event_hash, postal_tracking");
	if (!st)
		return db_fail(db, e);
	db_bind_int(st, 1, c->now);
	db_bind_text(st, 2, a->code);
	int rc = db_step(st);
	int64_t id = 0, unit = 0, seq = 0;
	char state[32] = "", method[16] = "", cur[16] = "", tip[65] = "", tracking[64] = "";
	if (rc == DB_ROW) {
		id = db_col_int(st, 0);
		snprintf(state, sizeof(state), "%s", db_col_text(st, 1));
		unit = db_col_int(st, 2);
		snprintf(method, sizeof(method), "%s", db_col_text(st, 3));
		snprintf(cur, sizeof(cur), "%s", db_col_text(st, 4));
		seq = db_col_int(st, 5);
		snprintf(tip, sizeof(tip), "%s", db_col_text(st, 6));
		snprintf(tracking, sizeof(tracking), "%s",
			 db_col_text(st, 7) ? db_col_text(st, 7) : "");
	}
	db_reset(st);
	if (rc == DB_DONE)
		return err_set(e, ERR_NOT_FOUND, "code", "Không tìm thấy hồ sơ",
			       "dossier not found");
	if (rc != DB_ROW)
		return db_fail(db, e);
	if (authz_require(c, ROLE_RECEIVER, unit, e) < 0)
		return -1;
	if (strcmp(state, "returned") != 0 || strcmp(method, "postal") != 0)
		return err_set(e, ERR_CONFLICT, "status",
			       "Kết quả của hồ sơ này không được trả qua bưu chính",
			       "the result of this dossier was not returned by post");
	int from = postal_index(cur), to = postal_index(a->status);
	if (from < 0 || !postal_may(from, to)) {
		err_setf(e, ERR_CONFLICT, "status", "Không thể chuyển từ “%s” sang “%s”",
			 "cannot go from '%s' to '%s'", from < 0 ? cur : postal_vi[from],
			 postal_vi[to]);
		snprintf(e->message_en, sizeof(e->message_en), "cannot go from %s to %s", cur,
			 a->status);
		return -1;
	}
	st = db_prepare(db, "UPDATE dossier SET postal_status = ? WHERE id = ?");
	if (!st)
		return db_fail(db, e);
	db_bind_text(st, 1, a->status);
	db_bind_int(st, 2, id);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_DONE)
		return db_fail(db, e);
	const char *note =
	    arena_printf(c->arena, "%s %s: %s%s%s", "Bưu gửi", tracking, postal_vi[to],
			 a->note && *a->note ? ". " : "", a->note ? a->note : "");
	return dossier_append_event(db, c, id, &seq, tip, "postal", state, state, 0, note, c->now,
				    e);
}

int
dossier_postal(const struct ctx *c, const char *code, const char *status, const char *note,
	       struct err *e)
{
	if (postal_index(status) < 1)
		return err_set(e, ERR_VALIDATION, "status",
			       "Trạng thái bưu gửi: in_transit, delivered hoặc failed",
			       "status is in_transit, delivered or failed");
	struct postal_args a;
	memset(&a, 0, sizeof(a));
	a.cc = *c;
	a.code = code;
	a.status = status;
	a.note = note;
	return db_tx_group(c->db, postal_tx, &a, e);
}
