/* SPDX-License-Identifier: MIT */
/* test_paired.c - the paired statistics of mmbench ab against values
 * derived by hand (enumerating the 2^n sign patterns of the ranks), and
 * the decision on synthetic rounds with drift.
 *
 * Notation: d = paired differences, W+ = sum of the ranks of |d| where
 * d > 0; under the null every one of the 2^n sign patterns is equally
 * likely. Two-sided p = 2 min(P(W+ <= w), P(W+ >= w)), capped at 1.
 */
#include <math.h>
#include <stdint.h>

#include <mmb/error.h>
#include <mmbench/paired.h>

#include "test.h"

TEST_IMPL(signrank_exact_all_positive)
{
	/* ranks 1..5 all positive: W+ = 15, the one most extreme of 32
	 * patterns on each side: p = 2/32 */
	double d[] = {0.1, 0.2, 0.3, 0.4, 0.5};
	struct mmb_paired t;
	ASSERT_OK(mmb_paired_test(d, 5, 0.9, &t));
	ASSERT(t.exact);
	ASSERT_EQ(t.nonzero, 5);
	ASSERT_NEAR(t.w_plus, 15, 0);
	ASSERT_NEAR(t.p, 2.0 / 32, 1e-12);
	return 0;
}

TEST_IMPL(signrank_exact_one_negative)
{
	/* |d| ranks 1..6, rank 1 negative: W+ = 20; sums >= 20 of subsets
	 * of {1..6}: 21 and 20, 2 of 64: p = 4/64 */
	double d[] = {-1, 2, 3, 4, 5, 6};
	struct mmb_paired t;
	ASSERT_OK(mmb_paired_test(d, 6, 0.9, &t));
	ASSERT(t.exact);
	ASSERT_NEAR(t.w_plus, 20, 0);
	ASSERT_NEAR(t.p, 4.0 / 64, 1e-12);
	/* mirrored: same p */
	double e[] = {1, -2, -3, -4, -5, -6};
	ASSERT_OK(mmb_paired_test(e, 6, 0.9, &t));
	ASSERT_NEAR(t.w_plus, 1, 0);
	ASSERT_NEAR(t.p, 4.0 / 64, 1e-12);
	return 0;
}

TEST_IMPL(signrank_ties_normal)
{
	/* |d| = 1,1,2,2,3: mid-ranks 1.5,1.5,3.5,3.5,5; W+ = 10; mean 7.5;
	 * var = 5*6*11/24 - (6+6)/48 = 13.5; z = (2.5 - 0.5)/sqrt(13.5);
	 * p = erfc(z/sqrt 2) = 0.58621368107314 (math.erfc) */
	double d[] = {1, 1, 2, 2, -3};
	struct mmb_paired t;
	ASSERT_OK(mmb_paired_test(d, 5, 0.9, &t));
	ASSERT(!t.exact);
	ASSERT_NEAR(t.w_plus, 10, 1e-12);
	ASSERT_NEAR(t.p, 0.58621368107314, 1e-12);
	return 0;
}

TEST_IMPL(signrank_zeros_dropped)
{
	/* zeros leave the test (Wilcoxon): same as {0.1..0.5} alone */
	double d[] = {0, 0.1, 0.2, 0, 0.3, 0.4, 0.5};
	struct mmb_paired t;
	ASSERT_OK(mmb_paired_test(d, 7, 0.9, &t));
	ASSERT_EQ(t.n, 7);
	ASSERT_EQ(t.nonzero, 5);
	ASSERT_NEAR(t.p, 2.0 / 32, 1e-12);
	double z[] = {0, 0, 0};
	ASSERT_OK(mmb_paired_test(z, 3, 0.9, &t));
	ASSERT_NEAR(t.p, 1.0, 0);
	ASSERT_NEAR(t.estimate, 0.0, 0);
	return 0;
}

TEST_IMPL(hodges_lehmann_interval)
{
	/* d = 1..5: Walsh averages (15 of them) have median 3. At 90 %:
	 * P(W+ <= 0) = 1/32 <= 0.05 < P(W+ <= 1) = 2/32, so k = 1: the
	 * interval is [smallest, largest] average = [1, 5]. At 95 %: 1/32 >
	 * 0.025, no interval is wide enough: (-inf, inf). */
	double d[] = {1, 2, 3, 4, 5};
	struct mmb_paired t;
	ASSERT_OK(mmb_paired_test(d, 5, 0.9, &t));
	ASSERT_NEAR(t.estimate, 3, 0);
	ASSERT_NEAR(t.lo, 1, 0);
	ASSERT_NEAR(t.hi, 5, 0);
	ASSERT_OK(mmb_paired_test(d, 5, 0.95, &t));
	ASSERT(isinf(t.lo) && t.lo < 0);
	ASSERT(isinf(t.hi) && t.hi > 0);
	/* n = 10 at 95 %: P(W+ <= 8) = 0.02441 <= 0.025 < P(W+ <= 9) =
	 * 0.03223 (table), so k = 9: the 9th smallest and 9th largest of
	 * the 55 averages of 1..10, i.e. 3 and 8 */
	double e[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	ASSERT_OK(mmb_paired_test(e, 10, 0.95, &t));
	ASSERT_NEAR(t.estimate, 5.5, 0);
	ASSERT_NEAR(t.lo, 3, 0);
	ASSERT_NEAR(t.hi, 8, 0);
	return 0;
}

TEST_IMPL(hodges_lehmann_symmetry)
{
	double d[12], e[12];
	struct mmb_paired a, b;
	for (int i = 0; i < 12; i++) {
		d[i] = 0.01 * (i * 7 % 12) - 0.03;
		e[i] = -d[i];
	}
	ASSERT_OK(mmb_paired_test(d, 12, 0.95, &a));
	ASSERT_OK(mmb_paired_test(e, 12, 0.95, &b));
	ASSERT_NEAR(a.estimate, -b.estimate, 1e-15);
	ASSERT_NEAR(a.lo, -b.hi, 1e-15);
	ASSERT_NEAR(a.hi, -b.lo, 1e-15);
	ASSERT_NEAR(a.p, b.p, 1e-15);
	ASSERT(a.lo <= a.estimate && a.estimate <= a.hi);
	return 0;
}

TEST_IMPL(paired_errors)
{
	double d[] = {1, NAN, 2}, e[] = {1, INFINITY};
	struct mmb_paired t;
	struct mmb_ab_result r;
	ASSERT_EQ(mmb_paired_test(d, 0, 0.9, &t), MMB_EINVAL);
	ASSERT_EQ(mmb_paired_test(d, 3, 0.9, &t), MMB_EINVAL);
	ASSERT_EQ(mmb_paired_test(e, 2, 0.9, &t), MMB_EINVAL);
	ASSERT_EQ(mmb_paired_test(d, 1, 1.0, &t), MMB_EINVAL);
	ASSERT_EQ(mmb_paired_test(d, 1, 0.0, &t), MMB_EINVAL);
	ASSERT_EQ(mmb_ab_decide(d, 1, 0.0, 0.05, 1, &r), MMB_EINVAL);
	ASSERT_EQ(mmb_ab_decide(d, 1, 0.03, 1.0, 1, &r), MMB_EINVAL);
	ASSERT_EQ(mmb_ab_decide(d, 1, 0.03, 0.05, 0, &r), MMB_EINVAL);
	return 0;
}

TEST_IMPL(abba_order)
{
	const char *want = "ABBAABBAABBA";
	for (size_t r = 0; want[r]; r++)
		ASSERT_EQ(mmb_abba_is_b(r) ? 'B' : 'A', want[r]);
	return 0;
}

/* A deterministic generator for the synthetic rounds (splitmix64). */
static uint64_t rng = 42;
static double uniform(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

/* n pairs of ABBA rounds: a machine whose speed drifts by `drift` a
 * round (linear), per-run noise uniform +-noise, the new build slower by
 * `effect`. d[k] = log(new/old) of pair k. */
static void rounds(double *d, size_t n, double drift, double noise,
		   double effect)
{
	for (size_t k = 0; k < n; k++) {
		double t[2];
		for (size_t j = 0; j < 2; j++) {
			size_t r = 2 * k + j;
			bool b = mmb_abba_is_b(r);
			double v = 1000.0 * (1.0 + drift * (double)r) *
				   (1.0 + noise * (2.0 * uniform() - 1.0));
			t[b] = b ? v * (1.0 + effect) : v;
		}
		d[k] = log(t[1] / t[0]);
	}
}

TEST_IMPL(abba_cancels_linear_drift)
{
	/* no noise, 1 % drift a round: each pair's ratio is off by about
	 * +-1 %, alternately, and the estimate is about 0 */
	double d[32];
	struct mmb_paired t;
	rounds(d, 32, 0.01, 0.0, 0.0);
	ASSERT(d[0] > 0.005 && d[1] < -0.005);
	ASSERT_OK(mmb_paired_test(d, 32, 0.95, &t));
	ASSERT(fabs(t.estimate) < 0.001);
	/* without ABBA (always A first) the same drift reads as +1 % */
	double s = 0.0;
	for (size_t k = 0; k < 32; k++)
		s += log((1.0 + 0.01 * (double)(2 * k + 1)) /
			 (1.0 + 0.01 * (double)(2 * k)));
	ASSERT(s / 32 > 0.003);
	return 0;
}

/* 64 pairs from generator seed `seed` with 20 % drift over the run, 2 %
 * noise and the new build slower by effect, decided at a 3 % threshold
 * with alpha 5 % spread over 4 looks. */
static int decide_drift(uint64_t seed, double effect, struct mmb_ab_result *r)
{
	double d[64];

	rng = seed;
	rounds(d, 64, 0.0016, 0.02, effect);
	return mmb_ab_decide(d, 64, 0.03, 0.05, 4, r);
}

TEST_IMPL(decide_drift_no_change)
{
	/* no change: not a regression, and the interval is tight enough to
	 * say "same" at 3 % */
	struct mmb_ab_result r;
	ASSERT_OK(decide_drift(1, 0.0, &r));
	ASSERT_EQ(r.decision, MMB_AB_SAME);
	ASSERT(r.lo < 0.0 && r.hi > 0.0);
	ASSERT_NEAR(r.conf, 1.0 - 0.05 / 4, 1e-12);
	return 0;
}

TEST_IMPL(decide_drift_plus_5pct)
{
	struct mmb_ab_result r;
	ASSERT_OK(decide_drift(2, 0.05, &r));
	ASSERT_EQ(r.decision, MMB_AB_REGRESSION);
	ASSERT_NEAR(r.change, 0.05, 0.01);
	ASSERT(r.lo > 0.0 && r.lo < 0.05 && r.hi > 0.05);
	/* and faster by 5 %: FASTER, not a regression */
	ASSERT_OK(decide_drift(3, -0.05, &r));
	ASSERT_EQ(r.decision, MMB_AB_FASTER);
	return 0;
}

TEST_IMPL(decide_too_few_pairs)
{
	/* 4 pairs cannot reach 98.75 %: the interval is unbounded and
	 * nothing is decided, however large the change */
	double d[] = {0.5, 0.6, 0.4, 0.5};
	struct mmb_ab_result r;
	ASSERT_OK(mmb_ab_decide(d, 4, 0.03, 0.05, 4, &r));
	ASSERT_EQ(r.decision, MMB_AB_UNDECIDED);
	ASSERT(isinf(r.t.lo) && isinf(r.t.hi));
	ASSERT(r.lo == -1.0 && isinf(r.hi));
	return 0;
}

TEST_IMPL(decide_false_alarm_rate)
{
	/* 400 A/A trials with drift and 5 % noise, each with sequential
	 * looks at 8, 16, 32, 64 pairs as mmbench ab does: the rate of
	 * REGRESSION at any look stays under alpha / 2 = 2.5 % (the bound
	 * the looks' Bonferroni level gives). */
	double d[64];
	unsigned alarms = 0;
	rng = 4;
	for (int trial = 0; trial < 400; trial++) {
		rounds(d, 64, 0.002, 0.05, 0.0);
		for (size_t n = 8; n <= 64; n *= 2) {
			struct mmb_ab_result r;
			ASSERT_OK(mmb_ab_decide(d, n, 0.03, 0.05, 4, &r));
			if (r.decision == MMB_AB_REGRESSION) {
				alarms++;
				break;
			}
			if (r.decision != MMB_AB_UNDECIDED)
				break;
		}
	}
	fprintf(stderr, "false alarms: %u of 400\n", alarms);
	ASSERT(alarms <= 10);
	return 0;
}
