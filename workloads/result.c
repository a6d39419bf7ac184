/* SPDX-License-Identifier: MIT */
/* result.c - helpers over the result structs: histogram merge and
 * quantiles, aggregates over repetitions, freeing, the fastest backend. */
#include <math.h>
#include <stdlib.h>

#include "internal.h"
#include "kevents.h"
#include "profile.h"

void mmb_hist_merge(struct mmb_hist *dst, const struct mmb_hist *src)
{
	if (src->count == 0)
		return;
	if (dst->count == 0 || src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	dst->count += src->count;
	dst->sum += src->sum;
	for (unsigned i = 0; i < MMB_HIST_BUCKETS; i++)
		dst->b[i] += src->b[i];
}

uint64_t mmb_hist_quantile(const struct mmb_hist *h, double q)
{
	if (h->count == 0)
		return 0;
	if (q <= 0)
		return h->min;
	if (q > 1)
		q = 1;
	/* The rank-th smallest value, 1-based. */
	uint64_t rank = (uint64_t)(q * (double)h->count);
	if ((double)rank < q * (double)h->count)
		rank++;
	if (rank == 0)
		rank = 1;
	uint64_t seen = 0;
	for (unsigned i = 0; i < MMB_HIST_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= rank) {
			uint64_t up = mmb_hist_upper(i);
			return up < h->max ? up : h->max;
		}
	}
	return h->max;
}

/* NaN sorts last, so that the measured values are v[0..m). A comparator
 * without this order is inconsistent with NaN and qsort may then leave
 * the measured values in any order. */
static int cmp_double_nan_last(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	if (isnan(x) || isnan(y))
		return isnan(x) - isnan(y);
	return (x > y) - (x < y);
}

/* Metric k of a repetition: m[k] for the MMB_M__COUNT common ones, then
 * the backend-specific x[]. */
static double *slot(struct mmb_rep *r, unsigned k)
{
	return k < MMB_M__COUNT ? &r->m[k] : &r->x[k - MMB_M__COUNT];
}

void mmb_backend_result_aggregate(struct mmb_backend_result *br)
{
	unsigned n = br->nreps;
	unsigned nx = br->nx < MMB_XMETRICS_MAX ? br->nx : MMB_XMETRICS_MAX;
	double v[n ? n : 1];

	for (unsigned k = 0; k < MMB_M__COUNT + nx; k++) {
		double sum = 0, sq = 0;
		unsigned m = 0;
		for (unsigned i = 0; i < n; i++) {
			v[i] = *slot(&br->reps[i], k);
			if (!isnan(v[i])) {
				sum += v[i];
				m++;
			}
		}
		if (m == 0) {
			*slot(&br->mean, k) = *slot(&br->median, k) =
			    *slot(&br->stddev, k) = *slot(&br->min, k) =
				*slot(&br->max, k) = NAN;
			continue;
		}
		qsort(v, n, sizeof(v[0]), cmp_double_nan_last);
		double mean = sum / m;
		for (unsigned i = 0; i < m; i++)
			sq += (v[i] - mean) * (v[i] - mean);
		*slot(&br->mean, k) = mean;
		*slot(&br->median, k) =
		    m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
		*slot(&br->stddev, k) = m > 1 ? sqrt(sq / (m - 1)) : 0;
		*slot(&br->min, k) = v[0];
		*slot(&br->max, k) = v[m - 1];
	}
	br->checksum_stable = true;
	for (unsigned i = 1; i < n; i++)
		if (br->reps[i].checksum != br->reps[0].checksum)
			br->checksum_stable = false;
	br->mean.checksum = br->median.checksum = n ? br->reps[0].checksum : 0;
	const struct mmb_hist *h = br->hist;
	br->lat.mean = h->count ? (double)h->sum / (double)h->count : 0;
	br->lat.p50 = mmb_hist_quantile(h, 0.50);
	br->lat.p90 = mmb_hist_quantile(h, 0.90);
	br->lat.p99 = mmb_hist_quantile(h, 0.99);
	br->lat.p999 = mmb_hist_quantile(h, 0.999);
	br->lat.max = h->max;
	mmb__kevents_aggregate(br);
	mmb__prof_finish(br->profile);
}

void mmb_run_result_free(struct mmb_run_result *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i < r->nbackends; i++) {
		free(r->b[i].reps);
		free(r->b[i].hist);
		for (unsigned k = 0; r->b[i].series && k < r->b[i].nreps; k++)
			free(r->b[i].series[k].s);
		free(r->b[i].series);
		mmb_profile_free(r->b[i].profile);
	}
	free(r->b);
	free(r);
}

int mmb_run_result_fastest(const struct mmb_run_result *r)
{
	int best = -1;

	for (unsigned i = 0; i < r->nbackends; i++) {
		const struct mmb_backend_result *b = &r->b[i];
		if (b->status != 0 || b->nreps == 0)
			continue;
		if (best < 0 || b->median.m[MMB_M_ITEMS_PER_SECOND] >
				    r->b[best].median.m[MMB_M_ITEMS_PER_SECOND])
			best = (int)i;
	}
	return best;
}
