/*
 * sqlite_floor: the floor for durable intake — one-row transactions into a SQLite file in WAL
 * mode with synchronous=FULL on the disk under test, for a few seconds; prints rows/s.
 * Usage: sqlite_floor PATH [seconds]
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: sqlite_floor PATH [seconds]\n");
		return 2;
	}
	double secs = argc > 2 ? strtod(argv[2], NULL) : 3.0;
	sqlite3 *db;
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		return 1;
	sqlite3_exec(db,
		     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
		     "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, code TEXT UNIQUE, "
		     "body TEXT, at INTEGER)",
		     NULL, NULL, NULL);
	sqlite3_stmt *ins;
	sqlite3_prepare_v2(db, "INSERT INTO t (code, body, at) VALUES (?, ?, ?)", -1, &ins, NULL);
	char body[512], code[32];
	for (size_t i = 0; i < sizeof(body) - 1; i++)
		body[i] = (char)('a' + i % 26);
	body[sizeof(body) - 1] = '\0';
	long n = 0;
	double t0 = now();
	while (now() - t0 < secs) {
		snprintf(code, sizeof(code), "c%ld", n);
		sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_bind_text(ins, 1, code, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, body, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 3, n);
		sqlite3_step(ins);
		sqlite3_reset(ins);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		n++;
	}
	printf("%.0f\n", (double)n / (now() - t0));
	sqlite3_finalize(ins);
	sqlite3_close(db);
	return 0;
}
