/* SPDX-License-Identifier: MIT */
/* utest.c - two-sided Mann-Whitney U test.
 *
 * U of sample a counts the pairs (a_i, b_j) with a_i > b_j, ties counting
 * one half. Under the null hypothesis (both samples from one continuous
 * distribution) every ordering of the pooled values is equally likely.
 *
 * Exact method (no ties, both samples <= MMB_UTEST_EXACT_MAX): the null
 * distribution of U by the recurrence on the largest pooled value, which
 * belongs to a with probability n/(n+m) and then beats all m values of b:
 *   P[n,m](u) = n/(n+m) P[n-1,m](u-m) + m/(n+m) P[n,m-1](u),
 *   P[0,m](0) = P[n,0](0) = 1.
 * Working with probabilities instead of counts keeps every term in [0, 1]
 * (the counts, C(n+m, n), overflow 2^53 from n = m = 28 on). The two-sided
 * p is 2 P(U >= max(U, nm - U)), capped at 1, as in scipy's "exact".
 *
 * Normal method (ties, or larger samples): mean nm/2, variance
 *   nm/12 * ((N+1) - sum(t^3 - t) / (N(N-1))),  N = n+m,
 * t the size of each group of tied values, z = (|U - nm/2| - 0.5) / sd
 * with the 0.5 continuity correction, p = erfc(z / sqrt 2), capped at 1;
 * scipy's "asymptotic" with use_continuity=True and R's wilcox.test
 * (correct=TRUE) give the same.
 */
#include <math.h>
#include <stdlib.h>

#include <mmbench/stats.h>

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

double mmb_utest_min_p(size_t na, size_t nb)
{
	/* C(na+nb, na) built up as a product of ratios; exact enough for a
	 * threshold check and does not overflow before it exceeds 2. */
	double c = 1.0;
	size_t k = na < nb ? na : nb, n = na + nb;
	for (size_t i = 1; i <= k; i++) {
		c = c * (double)(n - k + i) / (double)i;
		if (c > 1e300)
			break;
	}
	double p = 2.0 / c;
	return p > 1.0 ? 1.0 : p;
}

size_t mmb_utest_min_reps(double alpha)
{
	size_t k = 1;
	while (k < 1000 && mmb_utest_min_p(k, k) >= alpha)
		k++;
	return k;
}

/* P(U >= u) for sizes n, m under the null, by the recurrence above. */
static int exact_sf(size_t n, size_t m, size_t u, double *out)
{
	size_t width = n * m + 1, stride = width;
	double *prev = calloc((m + 1) * stride, sizeof(double));
	double *cur = calloc((m + 1) * stride, sizeof(double));
	if (!prev || !cur) {
		free(prev);
		free(cur);
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "utest(n=%zu, m=%zu)", n,
				  m);
	}
	/* prev = layer i-1 of P[i-1, j](.), cur = layer i. Layer 0: U = 0. */
	for (size_t j = 0; j <= m; j++)
		prev[j * stride] = 1.0;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 0; j <= m; j++) {
			double *c = cur + j * stride;
			size_t top = i * j;
			if (j == 0) {
				c[0] = 1.0;
				continue;
			}
			const double *up = prev + j * stride; /* P[i-1, j] */
			const double *left =
			    cur + (j - 1) * stride; /* P[i,j-1] */
			double wa = (double)i / (double)(i + j);
			double wb = (double)j / (double)(i + j);
			for (size_t k = 0; k <= top; k++) {
				double v = 0.0;
				if (k >= j && k - j <= (i - 1) * j)
					v += wa * up[k - j];
				if (k <= i * (j - 1))
					v += wb * left[k];
				c[k] = v;
			}
		}
		double *t = prev;
		prev = cur;
		cur = t;
	}
	const double *dist = prev + m * stride;
	double sf = 0.0;
	for (size_t k = u; k < width; k++)
		sf += dist[k];
	free(prev);
	free(cur);
	*out = sf;
	return 0;
}

int mmb_utest(const double *a, size_t na, const double *b, size_t nb,
	      struct mmb_utest *out)
{
	if (na == 0 || nb == 0)
		return mmb_seterr(MMB_EINVAL, 0,
				  "utest: empty sample (%zu vs %zu values)", na,
				  nb);
	for (size_t i = 0; i < na; i++)
		if (isnan(a[i]))
			return mmb_seterr(MMB_EINVAL, 0,
					  "utest: NaN in sample");
	for (size_t j = 0; j < nb; j++)
		if (isnan(b[j]))
			return mmb_seterr(MMB_EINVAL, 0,
					  "utest: NaN in sample");

	double u = 0.0;
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			u += a[i] > b[j] ? 1.0 : a[i] == b[j] ? 0.5 : 0.0;

	size_t n = na + nb;
	double *pool = malloc(n * sizeof(double));
	if (!pool)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "utest(n=%zu)", n);
	for (size_t i = 0; i < na; i++)
		pool[i] = a[i];
	for (size_t j = 0; j < nb; j++)
		pool[na + j] = b[j];
	qsort(pool, n, sizeof(double), cmp_double);
	double tie_sum = 0.0; /* sum of t^3 - t over groups of ties */
	for (size_t i = 0; i < n;) {
		size_t k = i + 1;
		while (k < n && pool[k] == pool[i])
			k++;
		double t = (double)(k - i);
		tie_sum += t * t * t - t;
		i = k;
	}
	free(pool);

	double nm = (double)na * (double)nb;
	out->u = u;
	out->z = 0.0;
	out->ties = tie_sum > 0.0;
	if (!out->ties && na <= MMB_UTEST_EXACT_MAX &&
	    nb <= MMB_UTEST_EXACT_MAX) {
		double umax = u > nm - u ? u : nm - u, sf = 0.0;
		int rc = exact_sf(na, nb, (size_t)umax, &sf);
		if (rc < 0)
			return rc;
		out->method = MMB_UTEST_EXACT;
		out->p = 2.0 * sf > 1.0 ? 1.0 : 2.0 * sf;
		return 0;
	}

	double N = (double)n;
	double var = nm / 12.0 * ((N + 1.0) - tie_sum / (N * (N - 1.0)));
	out->method = MMB_UTEST_NORMAL;
	if (var <= 0.0) {
		/* every value equal: no evidence of any difference */
		out->p = 1.0;
		return 0;
	}
	double z = (fabs(u - nm / 2.0) - 0.5) / sqrt(var);
	double p = erfc(z / sqrt(2.0));
	out->z = z;
	out->p = p > 1.0 ? 1.0 : p;
	return 0;
}
