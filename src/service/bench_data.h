/*
 * bench_data.h: synthetic but realistic dossiers for benchmarks (`motcua bench-data`), written
 * straight through the store in large transactions (bulk mode), not through the services:
 * millions of rows in minutes. Each dossier gets its steps, components, event chain (valid:
 * `motcua verify` passes) and due history, over a province of a public-service centre,
 * 20 departments and 120 communes that is created when the database has no units.
 */
#ifndef MOTCUA_BENCH_DATA_H
#define MOTCUA_BENCH_DATA_H

#include <stdint.h>

#include "service/service.h"

/* bench_province: the large province (centre, 20 departments, 120 communes) in an empty
 * database; a no-op when units exist. */
int bench_province(const struct ctx *c, struct err *e);

/* a large province's intake: about 9,000 dossiers a day, 10 million in three years */
#define BENCH_PER_DAY 9000

/* bench_dossiers: n dossiers received in time order over the `days` days before c->now, in
 * office hours, spread over the communes (and the centre for the departments' procedures);
 * per 1000: 80 supplement requests (1 in 8 lapses), 20 withdrawals, 40 transfers, 15
 * extensions, 60 late; half of the recent ones and 8 of the old ones still open. Their
 * counters are replayed as `stats rebuild` would and written once per batch. Bulk mode; on a
 * fresh database (no dossiers) also no journal on disk and no foreign-key checks during the
 * load. *rate gets dossiers per second achieved. */
int bench_dossiers(const struct ctx *c, int64_t n, int days, double *rate, struct err *e);

#endif
