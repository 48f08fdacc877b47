/*
 * demo_data.h: a year of realistic dossiers for the demo province, made by the real services
 * (intake, every action, with the ctx's clock moved to each moment), so that every due date,
 * event chain and outcome is what the system itself would have produced. Deterministic (a
 * fixed seed). Uses the seed catalogue's procedures and the demo province's units.
 */
#ifndef MOTCUA_DEMO_DATA_H
#define MOTCUA_DEMO_DATA_H

#include <stdint.h>

#include "service/service.h"

struct demo_data_stats {
	int64_t dossiers, actions, open, late, waiting_supplement, online, postal;
};

/* demo_dossiers: dossiers received over the `days` calendar days before c->now, about
 * `per_day` per commune per working day (the public-service centre gets half again as many).
 * Runs as the system actor; the connection is put in bulk mode while it works. */
int demo_dossiers(const struct ctx *c, int days, double per_day, struct demo_data_stats *st,
		  struct err *e);

#endif
