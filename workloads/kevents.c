/* SPDX-License-Identifier: MIT */
/* kevents.c - kernel event counts over repetitions: the aggregates of
 * mmb_backend_result_aggregate, for the kernel_events of each row. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kevents.h"

static enum mmb_kevents_mode mode = MMB_KEV_MODE_SEPARATE;

void mmb_kevents_set_mode(enum mmb_kevents_mode m)
{
	mode = (unsigned)m < MMB_KEV_MODE__COUNT ? m : MMB_KEV_MODE_SEPARATE;
}

enum mmb_kevents_mode mmb_kevents_mode(void)
{
	return mode;
}

const char *mmb_kevents_mode_name(int m)
{
	static const char *const names[] = {"separate", "inline", "off"};
	return m >= 0 && m < MMB_KEV_MODE__COUNT ? names[m] : NULL;
}

void mmb_kevents_enable(bool on)
{
	mode = on ? MMB_KEV_MODE_SEPARATE : MMB_KEV_MODE_OFF;
}

void mmb__kevents_none(struct mmb_kevents *out, const char *why)
{
	memset(out, 0, sizeof(*out));
	for (unsigned k = 0; k < MMB_KEV__COUNT; k++) {
		out->v[k] = NAN;
		snprintf(out->why[k], sizeof(out->why[k]), "%s", why);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void mmb__kevents_aggregate(struct mmb_backend_result *br)
{
	struct mmb_rep *agg[] = {&br->mean, &br->median, &br->stddev, &br->min,
				 &br->max};
	/* The evidence repetition, when there is one, is where they were
	 * counted (the measured ones hold NAN). */
	const struct mmb_rep *reps =
	    br->has_evidence ? &br->evidence : br->reps;
	unsigned n = br->has_evidence ? 1 : br->nreps;
	double v[n ? n : 1];

	for (unsigned a = 0; a < 5; a++) {
		memset(&agg[a]->kev, 0, sizeof(agg[a]->kev));
		agg[a]->kev.counted = n && reps[0].kev.counted;
	}
	for (unsigned k = 0; k < MMB_KEV__COUNT; k++) {
		unsigned m = 0;
		double sum = 0, sq = 0;
		const char *why = "no repetition";
		for (unsigned i = 0; i < n; i++) {
			double x = reps[i].kev.v[k];
			if (isnan(x)) {
				if (m == 0 && i == 0)
					why = reps[i].kev.why[k];
				continue;
			}
			v[m++] = x;
			sum += x;
		}
		if (m == 0) {
			for (unsigned a = 0; a < 5; a++) {
				agg[a]->kev.v[k] = NAN;
				snprintf(agg[a]->kev.why[k],
					 sizeof(agg[a]->kev.why[k]), "%s", why);
			}
			continue;
		}
		qsort(v, m, sizeof(v[0]), cmp_double);
		double mean = sum / m;
		for (unsigned i = 0; i < m; i++)
			sq += (v[i] - mean) * (v[i] - mean);
		br->mean.kev.v[k] = mean;
		br->median.kev.v[k] =
		    m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
		br->stddev.kev.v[k] = m > 1 ? sqrt(sq / (m - 1)) : 0;
		if (br->has_evidence) {
			br->stddev.kev.v[k] = NAN;
			snprintf(br->stddev.kev.why[k],
				 sizeof(br->stddev.kev.why[k]),
				 "counted in one repetition (the evidence "
				 "repetition): no spread");
		}
		br->min.kev.v[k] = v[0];
		br->max.kev.v[k] = v[m - 1];
	}
}
