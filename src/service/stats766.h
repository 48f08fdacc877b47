/*
 * stats766.h: the service index of Decision 766/QĐ-TTg (domain.md §8), per unit subtree and
 * period, every indicator with its inputs (numerator, denominator, threshold, points). What
 * the system cannot measure from its own data is "not measured" with the reason, never 0 or
 * full: its points are left out of both the score and the measured maximum.
 */
#ifndef MOTCUA_STATS766_H
#define MOTCUA_STATS766_H

#include "service/stats.h"

struct i766_ind {
	const char *group, *key, *name, *name_en;
	double max_points, threshold; /* threshold in % */
	int measured;
	const char *why, *why_en; /* when not measured */
	int64_t numerator, denominator;
	double value; /* %, -1 when the denominator is 0 (nothing to measure: full points) */
	double points;
};

struct i766_group {
	const char *key, *name, *name_en;
	double max_points, points, measured_max, data_max;
	struct i766_ind *inds;
	size_t ninds;
};

struct index766 {
	int year; /* the data file used */
	struct i766_group *groups;
	size_t ngroups;
	double points, measured_max, max_points;
};

/* stats_index766: staff with any role over the unit; from..to are day numbers. */
int stats_index766(const struct ctx *c, int64_t unit_id, int64_t from, int64_t to,
		   struct index766 *out, struct err *e);

#endif
