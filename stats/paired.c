/* SPDX-License-Identifier: MIT */
/* paired.c - Wilcoxon signed-rank test and Hodges-Lehmann interval.
 *
 * Signed-rank: rank |d_i| over the non-zero differences (mid-ranks for
 * ties), W+ = sum of the ranks of the positive ones. Under the null (d
 * symmetric about 0) each rank is positive with probability 1/2,
 * independently, so without ties
 *   P[n](w) = (P[n-1](w) + P[n-1](w - n)) / 2,  P[0](0) = 1,
 * computed as probabilities (the counts 2^n overflow doubles' exactness
 * from n = 53). Two-sided p = 2 min(P(W+ <= w), P(W+ >= w)), capped at 1,
 * as scipy.stats.wilcoxon(method="exact"). With ties or more than
 * MMB_SIGNRANK_EXACT_MAX pairs: the normal approximation, mean n(n+1)/4,
 * variance n(n+1)(2n+1)/24 - sum(t^3 - t)/48, with a 0.5 continuity
 * correction (scipy's "approx", correction=True).
 *
 * Hodges-Lehmann: the M = n(n+1)/2 Walsh averages (d_i + d_j)/2, i <= j,
 * sorted; the estimate is their median. The interval [A_(c+1), A_(M-c)]
 * (1-based) with c the largest value such that P(W+ <= c) <= alpha/2 has
 * coverage at least 1 - alpha for a continuous symmetric distribution
 * (Hollander & Wolfe, Nonparametric Statistical Methods, 3.2).
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include <mmb/error.h>
#include <mmbench/paired.h>

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* P(W+ = w) for w in 0..n(n+1)/2 into a new array. */
static int signrank_pmf(size_t n, double **out)
{
	size_t top = n * (n + 1) / 2;
	double *p = calloc(top + 1, sizeof(double));
	if (!p)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "signrank(n=%zu)", n);
	p[0] = 1.0;
	for (size_t k = 1; k <= n; k++) {
		size_t hi = k * (k + 1) / 2;
		/* in place, from the top, so p[w - k] is still layer k-1 */
		for (size_t w = hi + 1; w-- > 0;) {
			double v = p[w];
			if (w >= k)
				v += p[w - k];
			p[w] = 0.5 * v;
		}
	}
	*out = p;
	return 0;
}

/* z with P(Z > z) = q, for 0 < q < 0.5, by bisection on erfc (no
 * closed form in C11; 60 halvings reach double precision). */
static double normal_upper_quantile(double q)
{
	double lo = 0.0, hi = 40.0;
	for (int i = 0; i < 100; i++) {
		double mid = 0.5 * (lo + hi);
		if (0.5 * erfc(mid / sqrt(2.0)) > q)
			lo = mid;
		else
			hi = mid;
	}
	return 0.5 * (lo + hi);
}

struct absd {
	double abs;
	bool pos;
};

static int cmp_absd(const void *x, const void *y)
{
	double a = ((const struct absd *)x)->abs;
	double b = ((const struct absd *)y)->abs;
	return (a > b) - (a < b);
}

/* Signed-rank test over the non-zero d. */
static int signrank(const double *d, size_t n, struct mmb_paired *out)
{
	struct absd *a = malloc(n * sizeof(*a));
	size_t m = 0;

	if (!a)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "signrank(n=%zu)", n);
	for (size_t i = 0; i < n; i++)
		if (d[i] != 0.0)
			a[m++] = (struct absd){fabs(d[i]), d[i] > 0.0};
	qsort(a, m, sizeof(*a), cmp_absd);
	out->nonzero = m;
	out->exact = false;
	out->p = 1.0;

	double tie_sum = 0.0, w = 0.0;
	for (size_t i = 0; i < m;) {
		size_t k = i + 1;
		while (k < m && a[k].abs == a[i].abs)
			k++;
		double rank = 0.5 * (double)(i + 1 + k); /* mid-rank */
		double t = (double)(k - i);
		tie_sum += t * t * t - t;
		for (size_t j = i; j < k; j++)
			if (a[j].pos)
				w += rank;
		i = k;
	}
	free(a);
	out->w_plus = w;
	if (m == 0)
		return 0;

	if (tie_sum == 0.0 && m <= MMB_SIGNRANK_EXACT_MAX) {
		double *pmf, le = 0.0, ge = 0.0;
		int rc = signrank_pmf(m, &pmf);
		if (rc < 0)
			return rc;
		size_t top = m * (m + 1) / 2, wi = (size_t)w;
		for (size_t k = 0; k <= top; k++) {
			if (k <= wi)
				le += pmf[k];
			if (k >= wi)
				ge += pmf[k];
		}
		free(pmf);
		double p = 2.0 * (le < ge ? le : ge);
		out->p = p > 1.0 ? 1.0 : p;
		out->exact = true;
		return 0;
	}
	double mean = (double)m * (double)(m + 1) / 4.0;
	double var = (double)m * (double)(m + 1) * (double)(2 * m + 1) / 24.0 -
		     tie_sum / 48.0;
	if (var <= 0.0)
		return 0;
	double z = (fabs(w - mean) - 0.5) / sqrt(var);
	double p = erfc((z < 0.0 ? 0.0 : z) / sqrt(2.0));
	out->p = p > 1.0 ? 1.0 : p;
	return 0;
}

/* Hodges-Lehmann estimate and interval over all n differences. */
static int hodges_lehmann(const double *d, size_t n, double conf,
			  struct mmb_paired *out)
{
	size_t nw = n * (n + 1) / 2;
	double *w = malloc(nw * sizeof(double));
	if (!w)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "hodges_lehmann(n=%zu)",
				  n);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i; j < n; j++)
			w[k++] = 0.5 * (d[i] + d[j]);
	qsort(w, nw, sizeof(double), cmp_double);
	out->estimate = nw % 2 ? w[nw / 2] : 0.5 * (w[nw / 2 - 1] + w[nw / 2]);

	/* The interval [A_(k), A_(M+1-k)] (1-based) covers the shift with
	 * probability 1 - 2 P(W+ <= k-1): k is the largest with
	 * P(W+ <= k-1) <= (1 - conf) / 2; none (k = 0) when even the whole
	 * range of the averages is not enough for that level. */
	double half = (1.0 - conf) / 2.0;
	size_t kk = 0;
	if (n <= MMB_SIGNRANK_EXACT_MAX) {
		double *pmf, cdf = 0.0;
		int rc = signrank_pmf(n, &pmf);
		if (rc < 0) {
			free(w);
			return rc;
		}
		for (size_t v = 0; v <= nw; v++) {
			cdf += pmf[v];
			if (cdf > half)
				break;
			kk = v + 1;
		}
		free(pmf);
	} else {
		double z = normal_upper_quantile(half);
		double sd = sqrt((double)n * (double)(n + 1) *
				 (double)(2 * n + 1) / 24.0);
		double k = floor((double)nw / 2.0 - z * sd);
		kk = k < 1.0 ? 0 : (size_t)k;
	}
	if (kk == 0 || kk > nw / 2 + 1) {
		out->lo = -INFINITY;
		out->hi = INFINITY;
	} else {
		out->lo = w[kk - 1];
		out->hi = w[nw - kk];
	}
	free(w);
	return 0;
}

int mmb_paired_test(const double *d, size_t n, double conf,
		    struct mmb_paired *out)
{
	if (n == 0)
		return mmb_seterr(MMB_EINVAL, 0, "paired test: no pairs");
	if (!(conf > 0.0 && conf < 1.0))
		return mmb_seterr(MMB_EINVAL, 0,
				  "paired test: confidence %g not in (0, 1)",
				  conf);
	for (size_t i = 0; i < n; i++)
		if (!isfinite(d[i]))
			return mmb_seterr(MMB_EINVAL, 0,
					  "paired test: difference %zu is %g",
					  i, d[i]);
	out->n = n;
	int rc = signrank(d, n, out);
	if (rc < 0)
		return rc;
	return hodges_lehmann(d, n, conf, out);
}

const char *mmb_ab_decision_name(enum mmb_ab_decision d)
{
	switch (d) {
	case MMB_AB_SAME:
		return "same";
	case MMB_AB_REGRESSION:
		return "regression";
	case MMB_AB_FASTER:
		return "faster";
	case MMB_AB_UNDECIDED:
		break;
	}
	return "undecided";
}

int mmb_ab_decide(const double *d, size_t n, double threshold, double alpha,
		  unsigned looks, struct mmb_ab_result *out)
{
	if (!(threshold > 0.0) || !(alpha > 0.0 && alpha < 1.0) || looks < 1)
		return mmb_seterr(MMB_EINVAL, 0,
				  "ab: threshold %g, alpha %g, looks %u",
				  threshold, alpha, looks);
	out->conf = 1.0 - alpha / (double)looks;
	int rc = mmb_paired_test(d, n, out->conf, &out->t);
	if (rc < 0)
		return rc;
	out->change = expm1(out->t.estimate);
	out->lo = expm1(out->t.lo);
	out->hi = expm1(out->t.hi);
	if (out->lo > 0.0 && out->change >= threshold)
		out->decision = MMB_AB_REGRESSION;
	else if (out->hi < 0.0 && out->change <= -threshold)
		out->decision = MMB_AB_FASTER;
	else if (out->hi < threshold && out->lo > -threshold)
		out->decision = MMB_AB_SAME;
	else
		out->decision = MMB_AB_UNDECIDED;
	return 0;
}
