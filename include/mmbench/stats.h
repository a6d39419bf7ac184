/* SPDX-License-Identifier: MIT */
/* mmbench/stats.h - statistics over repetitions, shared by the engine's
 * verdict (is the fastest backend really faster than the runner-up?) and
 * the compare gate (is the new run really slower than the baseline?).
 * Library mmb_stats (stats/); needs only libm and libmmb.
 *
 * Thread-safety: every function here only touches the objects passed to it;
 * different objects may be used from different threads.
 */
#ifndef MMB_STATS_H
#define MMB_STATS_H

#include <stdbool.h>
#include <stddef.h>

#include "mmb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Mann-Whitney U test ------------------------------------------------ */

enum mmb_utest_method {
	MMB_UTEST_EXACT,  /* exact null distribution of U (no ties, both
			     samples of at most MMB_UTEST_EXACT_MAX) */
	MMB_UTEST_NORMAL, /* normal approximation with tie correction of the
			     variance and a 0.5 continuity correction */
};

/* Largest sample size for which mmb_utest() uses the exact distribution. */
#define MMB_UTEST_EXACT_MAX 50

struct mmb_utest {
	double u;  /* U of sample a: #(a_i > b_j) + 0.5 * #(a_i == b_j) */
	double p;  /* two-sided p-value, in [0, 1] */
	double z;  /* normal method: the continuity-corrected z; exact: 0 */
	bool ties; /* some value occurs more than once in a and b pooled */
	enum mmb_utest_method method;
};

/* Two-sided Mann-Whitney U test of samples a (na values) and b (nb).
 * Uses the exact distribution when there are no ties and na, nb <=
 * MMB_UTEST_EXACT_MAX, the normal approximation otherwise; the result is
 * the same as scipy.stats.mannwhitneyu(a, b, alternative="two-sided",
 * method="exact" / "asymptotic", use_continuity=True).
 * Errors: MMB_EINVAL when na or nb is 0 or a value is NaN; MMB_ENOMEM. */
int mmb_utest(const double *a, size_t na, const double *b, size_t nb,
	      struct mmb_utest *out);

/* The smallest two-sided p-value any pair of samples of sizes na and nb
 * can reach without ties: 2 / C(na+nb, na), capped at 1. When it exceeds
 * the significance level, the test cannot detect any difference. */
double mmb_utest_min_p(size_t na, size_t nb);

/* The smallest k for which k vs k repetitions can reach p < alpha
 * (mmb_utest_min_p(k, k) < alpha): fewer cannot detect any difference at
 * that level. 4 at alpha 0.05. Capped at 1000 (also for alpha <= 0). */
size_t mmb_utest_min_reps(double alpha);

#ifdef __cplusplus
}
#endif
#endif
