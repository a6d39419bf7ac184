/* SPDX-License-Identifier: MIT */
/* The log-linear latency histogram on synthetic data. */
#include <math.h>
#include <string.h>

#include "mmbench/result.h"
#include "test.h"

TEST_IMPL(hist_bucket_bounds)
{
	uint64_t v = 0;
	unsigned prev = 0;

	/* Every value lies in a bucket whose upper bound is >= it and whose
	 * predecessor's is < it; indexes never go down; width <= 1/SUB. */
	for (int k = 0; k < 200000 && v < (1ull << 47); k++) {
		unsigned i = mmb_hist_index(v);
		ASSERT(i < MMB_HIST_BUCKETS);
		ASSERT(i >= prev);
		ASSERT(mmb_hist_upper(i) >= v);
		if (i > 0)
			ASSERT(mmb_hist_upper(i - 1) < v);
		if (v >= MMB_HIST_SUB)
			ASSERT(mmb_hist_upper(i) - v <= v / MMB_HIST_SUB);
		prev = i;
		v += 1 + v / 64;
	}
	ASSERT_EQ(mmb_hist_index(UINT64_MAX), MMB_HIST_BUCKETS - 1);
	return 0;
}

TEST_IMPL(hist_percentiles)
{
	struct mmb_hist *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));

	ASSERT(a && b);
	ASSERT_EQ(mmb_hist_quantile(a, 0.5), 0);
	for (uint64_t v = 1; v <= 10000; v++)
		mmb_hist_add(v % 2 ? a : b, v * 100);
	mmb_hist_merge(a, b);
	ASSERT_EQ(a->count, 10000);
	ASSERT_EQ(a->min, 100);
	ASSERT_EQ(a->max, 1000000);
	ASSERT_EQ(a->sum, 100ull * 10000 * 10001 / 2);
	const double q[] = {0.5, 0.9, 0.99, 0.999};
	const double want[] = {500000, 900000, 990000, 999000};
	for (int i = 0; i < 4; i++) {
		double got = (double)mmb_hist_quantile(a, q[i]);
		/* the bucket's upper bound: at or above, within 1/SUB */
		ASSERT(got >= want[i]);
		ASSERT(got <= want[i] * (1 + 1.0 / MMB_HIST_SUB));
	}
	ASSERT_EQ(mmb_hist_quantile(a, 1.0), 1000000);
	/* a single outlier shows at the max and nowhere below p99.9 */
	mmb_hist_add(a, 5000000000ull);
	ASSERT_EQ(mmb_hist_quantile(a, 1.0), 5000000000ull);
	ASSERT(mmb_hist_quantile(a, 0.999) < 1100000);
	free(a);
	free(b);
	return 0;
}

/* Latencies 1% apart (page-cache hits of two mmap variants, ~600 ns) get
 * buckets, and so percentiles, of their own, from 100 ns to 10 ms. */
TEST_IMPL(hist_one_percent_apart)
{
	struct mmb_hist *h = calloc(1, sizeof(*h));
	unsigned distinct = 0, prev = 0;
	uint64_t v;

	ASSERT(h);
	ASSERT(MMB_HIST_SUB >= 100);
	for (v = 100; v <= 10000000; v += (v + 99) / 100) {
		unsigned i = mmb_hist_index(v);
		ASSERT(v == 100 || i > prev);
		prev = i;
		distinct++;
	}
	/* 620 vs 626 ns, and 1000 vs 1010 ns: different medians. */
	const uint64_t pair[][2] = {{620, 626}, {1000, 1010}, {50000, 50500}};
	for (int k = 0; k < 3; k++) {
		uint64_t med[2];
		for (int j = 0; j < 2; j++) {
			memset(h, 0, sizeof(*h));
			for (int n = 0; n < 999; n++)
				mmb_hist_add(h, pair[k][j]);
			mmb_hist_add(h, 5 * pair[k][j]);
			med[j] = mmb_hist_quantile(h, 0.5);
			/* at or above the value, within 1/SUB of it */
			ASSERT(med[j] >= pair[k][j]);
			ASSERT(med[j] - pair[k][j] <=
			       pair[k][j] / MMB_HIST_SUB);
		}
		ASSERT(med[0] < med[1]);
	}
	/* log(1e5) / log(1.01): about 1157 steps, every one its own bucket */
	ASSERT(distinct > 1100);
	free(h);
	return 0;
}

/* Aggregates over repetitions leave out NaN ("not measured in that
 * repetition"); a comparator that is inconsistent with NaN would let
 * qsort put the measured values in any order. */
TEST_IMPL(aggregate_skips_nan)
{
	const double ops[] = {NAN, 5, 1, NAN, 3};
	struct mmb_rep reps[5];
	struct mmb_hist h;
	struct mmb_backend_result br;

	memset(reps, 0, sizeof(reps));
	memset(&h, 0, sizeof(h));
	memset(&br, 0, sizeof(br));
	for (unsigned i = 0; i < 5; i++) {
		reps[i].m[MMB_M_OPS] = ops[i];
		reps[i].m[MMB_M_BYTES_READ] = 10.0 * (5 - i);
		reps[i].m[MMB_M_MINOR_FAULTS] = NAN;
		reps[i].checksum = 42;
	}
	mmb_hist_add(&h, 100);
	mmb_hist_add(&h, 300);
	br.nreps = 5;
	br.reps = reps;
	br.hist = &h;
	mmb_backend_result_aggregate(&br);

	ASSERT(br.mean.m[MMB_M_OPS] == 3);
	ASSERT(br.median.m[MMB_M_OPS] == 3);
	ASSERT(br.min.m[MMB_M_OPS] == 1);
	ASSERT(br.max.m[MMB_M_OPS] == 5);
	ASSERT(br.stddev.m[MMB_M_OPS] == 2);
	/* all measured: the plain statistics */
	ASSERT(br.mean.m[MMB_M_BYTES_READ] == 30);
	ASSERT(br.median.m[MMB_M_BYTES_READ] == 30);
	ASSERT(br.min.m[MMB_M_BYTES_READ] == 10);
	ASSERT(br.max.m[MMB_M_BYTES_READ] == 50);
	/* measured in no repetition: unavailable everywhere, not 0 */
	ASSERT(isnan(br.mean.m[MMB_M_MINOR_FAULTS]));
	ASSERT(isnan(br.median.m[MMB_M_MINOR_FAULTS]));
	ASSERT(isnan(br.stddev.m[MMB_M_MINOR_FAULTS]));
	ASSERT(isnan(br.min.m[MMB_M_MINOR_FAULTS]));
	ASSERT(isnan(br.max.m[MMB_M_MINOR_FAULTS]));
	ASSERT(br.checksum_stable);
	ASSERT_EQ(br.median.checksum, 42);
	ASSERT(br.lat.mean == 200);
	ASSERT_EQ(br.lat.max, 300);
	return 0;
}
