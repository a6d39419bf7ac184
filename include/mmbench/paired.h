/* SPDX-License-Identifier: MIT */
/* mmbench/paired.h - paired statistics for interleaved A/B runs.
 *
 * `mmbench ab` runs two builds alternately on one machine and compares
 * them round by round: each pair of neighbouring runs (one of each build)
 * gives one log-ratio d = log(new / old) of a benchmark's time per op. The
 * machine's speed drifts between pairs, but the two runs of a pair see
 * nearly the same machine, and in ABBA order a linear drift biases the
 * pairs of each block in opposite directions, so it cancels.
 *
 * The decision is on the paired differences alone: the Wilcoxon
 * signed-rank test (is the median of d zero?) and the Hodges-Lehmann
 * estimate of the shift with its distribution-free confidence interval
 * (the signed-rank test inverted over Walsh averages). No normality is
 * assumed, and one wild round moves neither much.
 *
 * Library mmb_stats (stats/paired.c). Thread-safety: the functions only
 * touch their arguments.
 */
#ifndef MMBENCH_PAIRED_H
#define MMBENCH_PAIRED_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Exact distribution of the signed-rank statistic up to this many
 * non-zero differences without ties; normal approximation beyond. */
#define MMB_SIGNRANK_EXACT_MAX 200

struct mmb_paired {
	size_t n;	 /* pairs */
	size_t nonzero;	 /* pairs with d != 0 (the test's sample) */
	double w_plus;	 /* sum of the ranks of |d| where d > 0 */
	double p;	 /* two-sided signed-rank p-value, in [0, 1] */
	bool exact;	 /* p and the interval from the exact distribution */
	double estimate; /* Hodges-Lehmann: median of the Walsh averages */
	double lo, hi;	 /* confidence interval of the shift; -inf/+inf when
			    n is too small for the level asked */
};

/* Test and estimate the shift of d[0..n) at confidence level conf (e.g.
 * 0.95). Zeros are dropped from the test (Wilcoxon) but kept in the
 * estimate and interval. Errors (message recorded with mmb_seterr):
 * MMB_EINVAL (n == 0, a NaN or infinite d, conf outside (0, 1)),
 * MMB_ENOMEM. */
int mmb_paired_test(const double *d, size_t n, double conf,
		    struct mmb_paired *out);

/* Which build runs in round r (0, 1, 2, ...) of ABBA ordering: A B B A
 * A B B A ...; false = A (old), true = B (new). Rounds 2k and 2k+1 form
 * pair k. */
static inline bool mmb_abba_is_b(size_t r)
{
	return ((r & 1u) != 0) != (((r >> 1) & 1u) != 0);
}

/* ---- the A/B decision ---------------------------------------------------
 *
 * change = exp(shift) - 1 (relative change of time per op, new vs old;
 * positive = slower). With threshold t and the interval [lo, hi] of the
 * change at the look's confidence:
 *   REGRESSION  lo > 0 and the estimate >= t: slower, beyond noise, by
 *               at least the threshold;
 *   FASTER      hi < 0 and the estimate <= -t;
 *   SAME        hi < t and lo > -t: whatever the change is, it is
 *               smaller than the threshold (with the interval's
 *               confidence);
 *   UNDECIDED   anything else: more rounds could decide.
 * Sequential looks: the interval of each look is computed at level
 * 1 - alpha / looks (Bonferroni over the planned looks), so the chance
 * of any false REGRESSION over all looks stays at most alpha / 2. */
enum mmb_ab_decision {
	MMB_AB_UNDECIDED,
	MMB_AB_SAME,
	MMB_AB_REGRESSION,
	MMB_AB_FASTER,
};
const char *mmb_ab_decision_name(enum mmb_ab_decision d);

struct mmb_ab_result {
	struct mmb_paired t;   /* on d = log(new/old) */
	double change, lo, hi; /* relative: exp(.) - 1 */
	double conf;	       /* the level used */
	enum mmb_ab_decision decision;
};

/* Decide on the log-ratios d[0..n) with threshold t (> 0, e.g. 0.03) at
 * overall level alpha spread over `looks` planned looks (>= 1). Errors
 * as mmb_paired_test, and MMB_EINVAL for t <= 0 or alpha outside (0, 1).
 */
int mmb_ab_decide(const double *d, size_t n, double threshold, double alpha,
		  unsigned looks, struct mmb_ab_result *out);

#ifdef __cplusplus
}
#endif
#endif
