/* result.c - helpers over the result structs: histogram merge and
 * quantiles, freeing, the fastest backend. */
#include <stdlib.h>

#include "internal.h"

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
