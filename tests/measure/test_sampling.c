/* SPDX-License-Identifier: MIT */
/* Latency sampling (workloads/clock.h, mmb__latsample): which ops are
 * timed, how many, and the percentiles they give on synthetic op times
 * whose true distribution is known. */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "internal.h"
#include "mmbench/result.h"
#include "mmbench/workload.h"
#include "test.h"

/* Ops timed over n ops, checking that each full stratum of `every` ops
 * has exactly one. */
static int count_timed(uint64_t every, uint64_t n, uint64_t seed,
		       uint64_t *timed)
{
	struct mmb__latsample s;
	uint64_t in_stratum = 0;

	mmb__latsample_init(&s, every, seed);
	*timed = 0;
	for (uint64_t i = 0; i < n; i++) {
		if (i % every == 0)
			in_stratum = 0;
		if (mmb__latsample_due(&s)) {
			(*timed)++;
			in_stratum++;
			ASSERT(in_stratum == 1);
		}
		if (i % every == every - 1)
			ASSERT_EQ(in_stratum, 1);
	}
	return 0;
}

TEST_IMPL(sampling_one_per_stratum)
{
	static const uint64_t every[] = {1, 2, 7, 128, 1000};
	static const uint64_t n[] = {0, 1, 127, 128, 129, 100000, 123457};

	for (size_t a = 0; a < sizeof(every) / sizeof(every[0]); a++)
		for (size_t b = 0; b < sizeof(n) / sizeof(n[0]); b++)
			for (uint64_t seed = 0; seed < 3; seed++) {
				uint64_t t;
				ASSERT_OK(
				    count_timed(every[a], n[b], seed, &t));
				/* ops / N, +1 at most (the partial stratum) */
				ASSERT(t >= n[b] / every[a]);
				ASSERT(t <= n[b] / every[a] + 1);
			}
	/* every == 1: every op */
	uint64_t t;
	ASSERT_OK(count_timed(1, 5000, 9, &t));
	ASSERT_EQ(t, 5000);
	return 0;
}

TEST_IMPL(sampling_none_when_off)
{
	struct mmb__latsample s;

	mmb__latsample_init(&s, 0, 1);
	for (int i = 0; i < 100000; i++)
		ASSERT(!mmb__latsample_due(&s));
	return 0;
}

/* A fixed pseudo-random op time for op i: uniform in 100..10099 ns. */
static uint64_t op_time(uint64_t i)
{
	uint64_t x = i * 0x9e3779b97f4a7c15ull;
	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 29;
	return 100 + x % 10000;
}

/* Percentiles of the sampled ops against the true ones of all ops. */
TEST_IMPL(sampling_percentiles_uniform)
{
	struct mmb_hist *all = calloc(1, sizeof(*all));
	struct mmb_hist *got = calloc(1, sizeof(*got));
	struct mmb__latsample s;
	const uint64_t n = 1000000;
	static const double q[] = {0.1, 0.5, 0.9, 0.99};

	ASSERT(all && got);
	mmb__latsample_init(&s, 16, 42);
	for (uint64_t i = 0; i < n; i++) {
		mmb_hist_add(all, op_time(i));
		if (mmb__latsample_due(&s))
			mmb_hist_add(got, op_time(i));
	}
	ASSERT_EQ(got->count, n / 16);
	for (size_t k = 0; k < sizeof(q) / sizeof(q[0]); k++) {
		double want = 100 + q[k] * 10000;
		double g = (double)mmb_hist_quantile(got, q[k]);
		double a = (double)mmb_hist_quantile(all, q[k]);
		/* 62500 samples of a uniform: within 2% of the true value */
		ASSERT(g > 0.98 * want && g < 1.02 * want);
		ASSERT(a > 0.99 * want && a < 1.01 * want);
	}
	double mean = (double)got->sum / (double)got->count;
	ASSERT(mean > 0.98 * 5099.5 && mean < 1.02 * 5099.5);
	free(all);
	free(got);
	return 0;
}

/* Op times with the period of the sampling (every 128th op is 100 us, the
 * others 1 us; 0.78% slow): a fixed stride would time all slow ops or
 * none; one random place per stratum sees the 0.78%. */
TEST_IMPL(sampling_no_aliasing_with_a_period)
{
	struct mmb_hist *got = calloc(1, sizeof(*got));
	struct mmb__latsample s;
	const uint64_t n = 128 * 40000;
	uint64_t slow = 0;

	ASSERT(got);
	mmb__latsample_init(&s, 128, 3);
	for (uint64_t i = 0; i < n; i++)
		if (mmb__latsample_due(&s)) {
			uint64_t v = i % 128 == 5 ? 100000 : 1000;
			slow += v == 100000;
			mmb_hist_add(got, v);
		}
	ASSERT_EQ(got->count, 40000);
	/* 1/128 of 40000 = 312.5; binomial sd ~17.6: within 5 sd */
	ASSERT(slow > 225 && slow < 400);
	ASSERT_EQ(mmb_hist_quantile(got, 0.99),
		  mmb_hist_upper(mmb_hist_index(1000)));
	ASSERT(mmb_hist_quantile(got, 0.999) >= 99000);
	free(got);
	return 0;
}

#include <math.h>
#include <string.h>

#include "internal.h" /* mmb__check_noise */

/* A backend result with these ops/s and bytes per repetition (the caller
 * gives it a histogram and aggregates). */
static void reps_of(struct mmb_backend_result *br, struct mmb_rep *reps,
		    unsigned n, const double *ops, const double *own,
		    const double *disk)
{
	memset(br, 0, sizeof(*br));
	br->reps = reps;
	br->nreps = n;
	for (unsigned k = 0; k < n; k++) {
		memset(&reps[k], 0, sizeof(reps[k]));
		reps[k].m[MMB_M_ITEMS_PER_SECOND] = ops[k];
		reps[k].m[MMB_M_DEV_READ_BYTES] = own ? own[k] : NAN;
		reps[k].m[MMB_M_DEV_WRITE_BYTES] = own ? 0 : NAN;
		reps[k].m[MMB_M_DISK_READ_BYTES] = disk ? disk[k] : NAN;
		reps[k].m[MMB_M_DISK_WRITE_BYTES] = disk ? 0 : NAN;
	}
}

TEST_IMPL(noise_spread_and_disk)
{
	struct mmb_backend_result br;
	struct mmb_rep reps[3];
	struct mmb_hist *h = calloc(1, sizeof(*h));
	const double M = 1024 * 1024;
	ASSERT(h);

	/* 5% spread, no disk numbers: quiet */
	reps_of(&br, reps, 3, (double[]){100, 105, 104}, NULL, NULL);
	br.hist = h;
	mmb_backend_result_aggregate(&br);
	mmb__check_noise(&br);
	ASSERT(!br.noisy && !br.noisy_why[0]);
	/* 20% spread */
	reps_of(&br, reps, 3, (double[]){100, 120, 100}, NULL, NULL);
	br.hist = h;
	mmb_backend_result_aggregate(&br);
	mmb__check_noise(&br);
	ASSERT(br.noisy && strstr(br.noisy_why, "spread 20%"));
	/* one rep: no spread to judge */
	reps_of(&br, reps, 1, (double[]){100}, NULL, NULL);
	br.hist = h;
	mmb_backend_result_aggregate(&br);
	mmb__check_noise(&br);
	ASSERT(!br.noisy);
	/* the disk moved 20 MiB while we moved none: someone else */
	reps_of(&br, reps, 2, (double[]){100, 101}, (double[]){0, 0},
		(double[]){0, 20 * M});
	br.hist = h;
	mmb_backend_result_aggregate(&br);
	mmb__check_noise(&br);
	ASSERT(br.noisy && strstr(br.noisy_why, "during rep 1"));
	/* our own 10 MiB and 5 MiB more: not much larger than ours */
	reps_of(&br, reps, 2, (double[]){100, 101}, (double[]){10 * M, 10 * M},
		(double[]){15 * M, 15 * M});
	br.hist = h;
	mmb_backend_result_aggregate(&br);
	mmb__check_noise(&br);
	ASSERT(!br.noisy);
	free(h);
	return 0;
}

/* The default N (mmb__lat_every_for): one timed op about every
 * MMB_LAT_SPACING_NS of a thread's loop, at the warm-up's speed. */
TEST_IMPL(sampling_spacing_choice)
{
	struct mmb_rep w;

	memset(&w, 0, sizeof(w));
	w.m[MMB_M_OPS] = 1000;
	w.m[MMB_M_ELAPSED_NS] = 1e6; /* 1 us per op */
	ASSERT_EQ(mmb__lat_every_for(&w, 1), MMB_LAT_SPACING_NS / 1000);
	/* two threads share the ops: each thread's op takes 2 us */
	ASSERT_EQ(mmb__lat_every_for(&w, 2), MMB_LAT_SPACING_NS / 2000);
	w.m[MMB_M_ELAPSED_NS] = 450e3; /* 450 ns: rounded up */
	ASSERT_EQ(mmb__lat_every_for(&w, 1),
		  (MMB_LAT_SPACING_NS * 1000 + 449999) / 450000);
	w.m[MMB_M_ELAPSED_NS] = 1e9; /* 1 ms per op: every op */
	ASSERT_EQ(mmb__lat_every_for(&w, 1), 1);
	w.m[MMB_M_OPS] = 0; /* nothing to go by */
	ASSERT_EQ(mmb__lat_every_for(&w, 1), MMB_LAT_EVERY_NOWARMUP);
	w.m[MMB_M_OPS] = 10;
	w.m[MMB_M_ELAPSED_NS] = 0;
	ASSERT_EQ(mmb__lat_every_for(&w, 1), MMB_LAT_EVERY_NOWARMUP);
	return 0;
}
