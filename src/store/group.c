/*
 * group.c: group commit. Concurrent writers queue their transaction functions; the first one
 * to find no commit in progress becomes the leader, runs every queued function in one
 * transaction on its own connection (each inside a savepoint, so one failure undoes only its
 * own writes), commits once, and wakes the others with their results. Each caller returns only
 * after the commit that holds its writes is durable, but eight callers share one fsync.
 * (The pattern of LevelDB's write queue.)
 *
 * In the server (db_group_use_writer) the batches run on one writer connection that only
 * this module uses, whose page cache no other connection's commit invalidates.
 */
#include "store/db.h"
#include "core/log.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define GROUP_MAX 64

struct gc_item {
	int (*fn)(struct db *db, void *arg, struct err *e);
	void *arg;
	struct err *e;
	int rc;
	int done;
	struct gc_item *next;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct gc_item *head, *tail;
static int leading;
static int use_writer;	  /* set by the server; tools lead on their own connection */
static struct db *writer; /* used only by the leader, so only by one thread at a time */
static int writer_failed;

static void
fail_all(struct gc_item *batch, struct db *db)
{
	for (struct gc_item *it = batch; it; it = it->next) {
		it->rc = -1;
		if (it->e)
			err_set(it->e, ERR_INTERNAL, "", "Lỗi cơ sở dữ liệu", "database error");
	}
	log_event(LOG_ERROR, "group_commit_failed", "error", db_errmsg(db), NULL);
}

static void
run_batch(struct db *db, struct gc_item *batch)
{
	if (db_begin(db) < 0) {
		fail_all(batch, db);
		return;
	}
	int ok = 0;
	for (struct gc_item *it = batch; it; it = it->next) {
		if (db_exec(db, "SAVEPOINT g") < 0) {
			it->rc = db_fail(db, it->e);
			continue;
		}
		it->rc = it->fn(db, it->arg, it->e);
		if (it->rc < 0) {
			if (it->e && it->e->code == ERR_NONE)
				err_set(it->e, ERR_INTERNAL, "", "Lỗi nội bộ", "internal error");
			if (db_exec(db, "ROLLBACK TO SAVEPOINT g") < 0) {
				/* the transaction is lost: nobody in this batch commits */
				db_rollback(db);
				fail_all(batch, db);
				return;
			}
		} else {
			ok++;
		}
		db_exec(db, "RELEASE SAVEPOINT g");
	}
	if (db_commit(db) < 0)
		fail_all(batch, db);
	(void)ok;
}

int
db_tx_group(struct db *db, int (*fn)(struct db *db, void *arg, struct err *e), void *arg,
	    struct err *e)
{
	struct gc_item me = {fn, arg, e, 0, 0, NULL};
	pthread_mutex_lock(&mu);
	if (tail)
		tail->next = &me;
	else
		head = &me;
	tail = &me;
	while (!me.done && leading)
		pthread_cond_wait(&cv, &mu);
	if (me.done) {
		pthread_mutex_unlock(&mu);
		return me.rc;
	}
	/* lead: take up to GROUP_MAX queued items (this one among them) */
	leading = 1;
	struct gc_item *batch = head, *last = head;
	for (int n = 1; n < GROUP_MAX && last->next; n++)
		last = last->next;
	head = last->next;
	if (!head)
		tail = NULL;
	last->next = NULL;
	pthread_mutex_unlock(&mu);

	if (use_writer && !writer && !writer_failed) {
		struct err we = ERR_INIT;
		if (db_open_writer(&writer, db, &we) < 0) {
			writer_failed = 1; /* go on with the leaders' own connections */
			log_event(LOG_ERROR, "group_writer", "error", we.message_en, NULL);
		}
	}
	run_batch(writer ? writer : db, batch);

	pthread_mutex_lock(&mu);
	for (struct gc_item *it = batch; it;) {
		struct gc_item *next = it->next;
		it->done = 1; /* after this the waiter may return and its item vanish */
		it = next;
	}
	leading = 0;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	return me.rc;
}

void
db_group_use_writer(int on)
{
	pthread_mutex_lock(&mu);
	use_writer = on;
	pthread_mutex_unlock(&mu);
}

void
db_group_release(void)
{
	pthread_mutex_lock(&mu);
	db_close(writer);
	writer = NULL;
	writer_failed = 0;
	pthread_mutex_unlock(&mu);
}
