/* SPDX-License-Identifier: MIT */
/* test_utest.c - the Mann-Whitney U test against values derived by hand
 * and published ones.
 *
 * Notation: U = U of the first sample = #(a_i > b_j) + 0.5 #(a_i == b_j);
 * n, m sample sizes; every arrangement of the pooled values is equally
 * likely under the null, C(n+m, n) of them. Two-sided p = 2 P(U' >= max(U,
 * nm - U)), capped at 1 (scipy's convention). The reference values were
 * checked with a brute-force enumeration of all C(n+m, n) splits and
 * math.erfc in plain Python (no scipy on this machine).
 */
#include <math.h>

#include <mmbench/compare.h>

#include "test.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* u came from `method`, with or without ties, with statistic U (exactly)
 * and p-value p (to 1e-12). */
static int is_u(const struct mmb_utest *u, enum mmb_utest_method method,
		bool ties, double U, double p)
{
	ASSERT(u->method == method);
	ASSERT(u->ties == ties);
	ASSERT_NEAR(u->u, U, 0);
	ASSERT_NEAR(u->p, p, 1e-12);
	return 0;
}

TEST_IMPL(utest_exact_separated)
{
	/* a = {1,2,3} all below b = {4,5,6}: U = 0, only 1 of the C(6,3) =
	 * 20 arrangements is that extreme on each side: p = 2/20 = 0.1. */
	double a[] = {1, 2, 3}, b[] = {4, 5, 6};
	struct mmb_utest u;
	ASSERT_OK(mmb_utest(a, 3, b, 3, &u));
	ASSERT_OK(is_u(&u, MMB_UTEST_EXACT, false, 0.0, 0.1));
	/* 4 vs 4: p = 2/C(8,4) = 2/70 */
	double c[] = {1, 2, 3, 4}, d[] = {5, 6, 7, 8};
	ASSERT_OK(mmb_utest(d, 4, c, 4, &u));
	ASSERT_NEAR(u.u, 16.0, 0);
	ASSERT_NEAR(u.p, 2.0 / 70.0, 1e-12);
	/* 10 vs 10 fully separated: p = 2/C(20,10) = 2/184756 */
	double e[10], f[10];
	for (int i = 0; i < 10; i++) {
		e[i] = i;
		f[i] = 10 + i;
	}
	ASSERT_OK(mmb_utest(e, 10, f, 10, &u));
	ASSERT_NEAR(u.p, 2.0 / 184756.0, 1e-15);
	return 0;
}

TEST_IMPL(utest_exact_overlap)
{
	/* a = {1,3,5}, b = {2,4,6,8}: U = 0 + 1 + 2 = 3 of nm = 12; max(U,
	 * 12-U) = 9 and P(U' >= 9) = P(U' <= 3). The arrangements with U' =
	 * k are the partitions of k into at most 3 parts of at most 4:
	 * k=0: 1, k=1: 1, k=2: 2, k=3: 3 -> 7 of C(7,3) = 35, p = 14/35. */
	double a[] = {1, 3, 5}, b[] = {2, 4, 6, 8};
	struct mmb_utest u;
	ASSERT_OK(mmb_utest(a, 3, b, 4, &u));
	ASSERT(u.method == MMB_UTEST_EXACT);
	ASSERT_NEAR(u.u, 3.0, 0);
	ASSERT_NEAR(u.p, 0.4, 1e-12);
	return 0;
}

TEST_IMPL(utest_scipy_doc_example)
{
	/* The example of scipy.stats.mannwhitneyu's documentation (ages of
	 * males and females): U1 = 17 and, with method="exact", p =
	 * 0.1111111111111111 (= 14/126: 7 of the C(9,4) = 126 arrangements
	 * have U' <= 3). Its method="asymptotic" p, 0.11134688653314041, is
	 * the normal formula: sd = sqrt(5*4*10/12) = 4.0825, z = (|17 - 10|
	 * - 0.5) / sd = 1.5922, p = erfc(z / sqrt 2). */
	double males[] = {19, 22, 16, 29, 24}, females[] = {20, 11, 17, 12};
	struct mmb_utest u;
	ASSERT_OK(mmb_utest(males, 5, females, 4, &u));
	ASSERT(u.method == MMB_UTEST_EXACT);
	ASSERT_NEAR(u.u, 17.0, 0);
	ASSERT_NEAR(u.p, 0.1111111111111111, 1e-12);
	/* Adding a tie (a 16 to the females) switches to the normal method;
	 * pooled: 11 12 16 16 17 19 20 22 24 29, one pair of ties (t=2, t^3
	 * - t = 6). U(males) = 17 + (16 vs 16: 0.5) + (19,22,24,29 > 16: 4)
	 * = 21.5 of nm = 25; mean 12.5; var = 25/12 (11 - 6/90) = 22.7778;
	 * z = (9 - 0.5) / 4.77261 = 1.78100; p = erfc(z / sqrt 2) =
	 * 0.0749129. */
	double f2[] = {20, 11, 17, 12, 16};
	ASSERT_OK(mmb_utest(males, 5, f2, 5, &u));
	ASSERT_OK(is_u(&u, MMB_UTEST_NORMAL, true, 21.5, 0.07491289930444597));
	ASSERT_NEAR(u.z, 8.5 / sqrt(25.0 / 12.0 * (11.0 - 6.0 / 90.0)), 1e-12);
	ASSERT_NEAR(u.p, erfc(u.z / sqrt(2.0)), 1e-15);
	return 0;
}

/* Samples of 10 with U(a) = sum(k): b = 100, 200, ..., 1000 and a_i =
 * 100 k_i + 1 + i lies above exactly k_i values of b; all 20 distinct. */
static void make_u(const int *k, double *a, double *b)
{
	for (int i = 0; i < 10; i++) {
		b[i] = 100.0 * (i + 1);
		a[i] = 100.0 * k[i] + 1 + i;
	}
}

TEST_IMPL(utest_table_critical_10x10)
{
	/* Published tables of critical values of U (e.g. Siegel &
	 * Castellan, Table J; Mann & Whitney 1947) give 23 for n1 = n2 = 10,
	 * two-sided alpha = 0.05: U <= 23 is significant, 24 is not. Exact:
	 * P(U <= 23) = 0.0216285, P(U <= 24) = 0.0262130 (enumeration). */
	int k23[] = {0, 0, 0, 0, 1, 2, 3, 4, 6, 7};
	int k24[] = {0, 0, 0, 0, 1, 2, 3, 4, 6, 8};
	double a[10], b[10];
	struct mmb_utest u;
	make_u(k23, a, b);
	ASSERT_OK(mmb_utest(a, 10, b, 10, &u));
	ASSERT(u.method == MMB_UTEST_EXACT);
	ASSERT_NEAR(u.u, 23, 0);
	ASSERT(u.p < 0.05);
	ASSERT_NEAR(u.p, 0.04325705254497824, 1e-12);
	make_u(k24, a, b);
	ASSERT_OK(mmb_utest(a, 10, b, 10, &u));
	ASSERT_NEAR(u.u, 24, 0);
	ASSERT(u.p > 0.05);
	ASSERT_NEAR(u.p, 0.05242590227110351, 1e-12);
	return 0;
}

TEST_IMPL(utest_ties_normal)
{
	/* a = {1,2,2,3}, b = {2,3,3,4,5}. U(a): 1 beats nothing; each 2
	 * ties the 2 of b (0.5 + 0.5); 3 beats 2 and ties two 3s (1 + 1):
	 * U = 3. Pooled 1 2 2 2 3 3 3 4 5: two groups of t = 3, sum(t^3-t) =
	 * 48, N = 9, var = 20/12 (10 - 48/72) = 15.5556, z = (|3 - 10| -
	 * 0.5) / 3.94405 = 1.64805, p = erfc(z / sqrt 2) = 0.0993422. */
	double a[] = {1, 2, 2, 3}, b[] = {2, 3, 3, 4, 5};
	struct mmb_utest u;
	ASSERT_OK(mmb_utest(a, 4, b, 5, &u));
	ASSERT_OK(is_u(&u, MMB_UTEST_NORMAL, true, 3.0, 0.09934224785346527));
	ASSERT_NEAR(u.z, 1.6480507967206073, 1e-12);
	/* all values equal: no evidence at all */
	double c[] = {5, 5, 5}, d[] = {5, 5};
	ASSERT_OK(mmb_utest(c, 3, d, 2, &u));
	ASSERT_NEAR(u.p, 1.0, 0);
	return 0;
}

TEST_IMPL(utest_large_normal)
{
	/* 60 vs 60 (above MMB_UTEST_EXACT_MAX): a = 0..59, b = a + 10.5, no
	 * ties. U(a) = sum over a_i of #(b_j < a_i) = sum_{i=11}^{59} (i -
	 * 10) = 49*50/2 = 1225; var = 3600 * 121 / 12 = 36300; z = (|1225 -
	 * 1800| - 0.5) / 190.526 = 3.01534; p = 0.00256689. */
	double a[60], b[60];
	for (int i = 0; i < 60; i++) {
		a[i] = i;
		b[i] = i + 10.5;
	}
	struct mmb_utest u;
	ASSERT_OK(mmb_utest(a, 60, b, 60, &u));
	ASSERT_OK(
	    is_u(&u, MMB_UTEST_NORMAL, false, 1225, 0.0025668879435241797));
	ASSERT_NEAR(u.z, 3.015342996813091, 1e-12);
	return 0;
}

TEST_IMPL(utest_symmetry_and_min_p)
{
	double a[] = {3.1, 0.4, 2.2, 5.0, 1.7, 9.9, 4.4};
	double b[] = {2.9, 6.1, 7.3, 0.2, 8.8};
	struct mmb_utest ab, ba;
	ASSERT_OK(mmb_utest(a, NELEM(a), b, NELEM(b), &ab));
	ASSERT_OK(mmb_utest(b, NELEM(b), a, NELEM(a), &ba));
	ASSERT_NEAR(ab.u + ba.u, 35.0, 0);
	ASSERT_NEAR(ab.p, ba.p, 1e-15);
	ASSERT(ab.p > 0 && ab.p <= 1);

	/* 2 vs 2: 2/C(4,2) = 1/3; 3 vs 3: 0.1; 4 vs 4: 2/70; 1 vs 1: 1 */
	ASSERT_NEAR(mmb_utest_min_p(2, 2), 1.0 / 3.0, 1e-15);
	ASSERT_NEAR(mmb_utest_min_p(3, 3), 0.1, 1e-15);
	ASSERT_NEAR(mmb_utest_min_p(4, 4), 2.0 / 70.0, 1e-15);
	ASSERT_NEAR(mmb_utest_min_p(1, 1), 1.0, 0);
	ASSERT_NEAR(mmb_utest_min_p(3, 4), 2.0 / 35.0, 1e-15);
	/* repetitions needed: the first k whose k vs k minimum is < alpha */
	ASSERT_EQ(mmb_utest_min_reps(0.05), 4);
	ASSERT_EQ(mmb_utest_min_reps(0.1), 4); /* 3 vs 3 reaches only 0.1 */
	ASSERT_EQ(mmb_utest_min_reps(0.2), 3);
	ASSERT_EQ(mmb_utest_min_reps(0.01), 5);
	ASSERT_EQ(mmb_utest_min_reps(1.5), 1);
	ASSERT_EQ(mmb_utest_min_reps(0), 1000);
	/* the exact test reaches that minimum */
	double c[] = {1, 2}, d[] = {3, 4};
	struct mmb_utest u;
	ASSERT_OK(mmb_utest(c, 2, d, 2, &u));
	ASSERT_NEAR(u.p, 1.0 / 3.0, 1e-12);
	return 0;
}

TEST_IMPL(utest_errors)
{
	double a[] = {1, 2}, nan_[] = {1, NAN};
	struct mmb_utest u;
	ASSERT_EQ(mmb_utest(a, 0, a, 2, &u), MMB_EINVAL);
	ASSERT_EQ(mmb_utest(a, 2, a, 0, &u), MMB_EINVAL);
	ASSERT_EQ(mmb_utest(a, 2, nan_, 2, &u), MMB_EINVAL);
	return 0;
}
