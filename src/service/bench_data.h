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

/* bench_dossiers: n dossiers received over the `days` days before c->now, spread over the
 * communes (and the centre for the departments' procedures), about 5 % still open, 6 % late.
 * *rate gets dossiers per second achieved. */
int bench_dossiers(const struct ctx *c, int64_t n, int days, double *rate, struct err *e);

#endif
