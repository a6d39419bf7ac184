/* The log-linear latency histogram on synthetic data. */
#include "mmb/result.h"
#include "test.h"

TEST_IMPL(hist_bucket_bounds)
{
	uint64_t v = 0;
	unsigned prev = 0;

	/* Every value lies in a bucket whose upper bound is >= it and whose
	 * predecessor's is < it; indexes never go down; width <= 1/32. */
	for (int k = 0; k < 200000 && v < (1ull << 47); k++) {
		unsigned i = mmb_hist_index(v);
		ASSERT(i < MMB_HIST_BUCKETS);
		ASSERT(i >= prev);
		ASSERT(mmb_hist_upper(i) >= v);
		if (i > 0)
			ASSERT(mmb_hist_upper(i - 1) < v);
		if (v >= 32)
			ASSERT(mmb_hist_upper(i) - v <= v / 32);
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
		/* the bucket's upper bound: at or above, within 1/32 */
		ASSERT(got >= want[i]);
		ASSERT(got <= want[i] * (1 + 1.0 / 32));
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
