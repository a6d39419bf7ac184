/* SPDX-License-Identifier: MIT */
/* The verdict calls a difference only when it beats the noise of the
 * repetitions: U test with enough reps, overlapping ranges with too few.
 * Synthetic results, no timing involved; the verdict's fields are
 * checked, not its words. */
#include <math.h>

#include "iostat.h"
#include "mmbench/backend.h"
#include "test.h"
#include "vtest.h"

#define MAXREPS 10

struct synth3 {
	struct mmb_run_result r;
	struct mmb_backend_result b[3];
	struct mmb_rep reps[3][MAXREPS];
};

static int cmp_rep(const void *x, const void *y)
{
	double a = ((const struct mmb_rep *)x)->m[MMB_M_ITEMS_PER_SECOND];
	double b = ((const struct mmb_rep *)y)->m[MMB_M_ITEMS_PER_SECOND];
	return (a > b) - (a < b);
}

/* Backend i gets n reps of ops/s v[i][0..n); median, min and max as the
 * runner's aggregate() computes them. names: mmap, mmap-window, pread. */
static void synth3(struct synth3 *s, unsigned n, const double v[3][MAXREPS])
{
	static const char *const names[3] = {"mmap", "mmap-window", "pread"};

	memset(s, 0, sizeof(*s));
	vt_run(&s->r, s->b, 3, "warm");
	for (int i = 0; i < 3; i++) {
		struct mmb_backend_result *b = &s->b[i];
		snprintf(b->name, sizeof(b->name), "%s", names[i]);
		b->caps = MMB_CAP_READ | (i < 2 ? MMB_CAP_MAPPED : 0);
		b->nreps = n;
		b->reps = s->reps[i];
		for (unsigned k = 0; k < n; k++) {
			double *m = s->reps[i][k].m;
			m[MMB_M_OPS] = 100000;
			m[MMB_M_BYTES_READ] = 100000.0 * 4096;
			m[MMB_M_ITEMS_PER_SECOND] = v[i][k];
			m[MMB_M_ELAPSED_NS] =
			    v[i][k] > 0 ? 100000 / v[i][k] * 1e9 : 0;
			m[MMB_M_SYS_NS] = i < 2 ? 1e6 : 5e7;
			m[MMB_M_READ_AMP] = m[MMB_M_WRITE_AMP] = NAN;
			m[MMB_M_RESIDENT_BEFORE] = 1.0;
		}
		struct mmb_rep sorted[MAXREPS];
		memcpy(sorted, s->reps[i], n * sizeof(sorted[0]));
		qsort(sorted, n, sizeof(sorted[0]), cmp_rep);
		b->min = sorted[0];
		b->max = sorted[n - 1];
		b->median = sorted[n / 2];
		if (n % 2 == 0)
			b->median.m[MMB_M_ITEMS_PER_SECOND] =
			    (sorted[n / 2 - 1].m[MMB_M_ITEMS_PER_SECOND] +
			     sorted[n / 2].m[MMB_M_ITEMS_PER_SECOND]) /
			    2;
		b->mean = b->median;
	}
}

static void drop(struct synth3 *s, int i)
{
	s->b[i].status = MMB_ESKIP;
	s->b[i].nreps = 0;
}

TEST_IMPL(verdict_within_noise_3_reps)
{
	/* The measurement that prompted this: mmap 1.50M vs mmap-window
	 * 1.57M ops/s, min/max overlapping, pread 0.75M well apart. */
	const double v[3][MAXREPS] = {
	    {1.50e6, 1.45e6, 1.58e6},
	    {1.57e6, 1.48e6, 1.60e6},
	    {0.75e6, 0.74e6, 0.77e6},
	};
	struct synth3 s;
	const struct mmb_run_verdict *d = &s.r.verdict;

	synth3(&s, 3, v);
	mmb__make_verdict(&s.r);
	vt_print(&s.r);
	ASSERT_EQ(d->decision, MMB_RV_NOISE);
	ASSERT(strcmp(d->winner.name, "mmap-window") == 0);
	ASSERT(strcmp(d->runner_up.name, "mmap") == 0);
	ASSERT_EQ(d->vs_runner_up.rule, MMB_RV_RANGES);
	ASSERT(d->vs_runner_up.overlap);
	ASSERT(d->vs_runner_up.reps[0] == 3 && d->vs_runner_up.reps[1] == 3);
	ASSERT(isnan(d->vs_runner_up.p));
	/* pread apart: the pair's midpoint over it */
	ASSERT(strcmp(d->pread.name, "pread") == 0 && d->pread.index == 2);
	ASSERT_EQ(d->vs_pread.decision, MMB_RV_FASTER);
	ASSERT_EQ(d->vs_pread.rule, MMB_RV_RANGES);
	ASSERT(!d->vs_pread.overlap);
	ASSERT_NEAR(d->both_ops_per_s, 1.535e6, 1);
	ASSERT_NEAR(d->both_vs_pread, 1.535 / 0.75, 1e-9);
	/* The counters still explain it, against pread. */
	ASSERT(strcmp(d->ref.name, "pread") == 0);
	ASSERT(d->faster_than_ref);
	ASSERT_NEAR(d->term[MMB_RV_T_SYS_US_PER_OP].winner, 0.01, 1e-12);
	ASSERT_NEAR(d->term[MMB_RV_T_SYS_US_PER_OP].ref, 0.5, 1e-12);
	ASSERT(d->winner.mapped && d->term[MMB_RV_T_FAULTS].winner == 0);

	/* Same medians, ranges apart: 3 reps cannot reach p < 0.05, so the
	 * ranges decide, and they do not overlap. */
	const double apart[3][MAXREPS] = {
	    {1.50e6, 1.49e6, 1.51e6},
	    {1.70e6, 1.69e6, 1.71e6},
	    {0.75e6, 0.74e6, 0.77e6},
	};
	synth3(&s, 3, apart);
	mmb__make_verdict(&s.r);
	vt_print(&s.r);
	ASSERT_EQ(d->decision, MMB_RV_FASTER);
	ASSERT(strcmp(d->winner.name, "mmap-window") == 0);
	ASSERT_EQ(d->vs_runner_up.rule, MMB_RV_RANGES);
	ASSERT(!d->vs_runner_up.overlap);
	ASSERT_NEAR(d->vs_runner_up.ratio, 1.70 / 1.50, 1e-9);
	ASSERT_EQ(d->vs_pread.decision, MMB_RV_FASTER);
	ASSERT_NEAR(d->vs_pread.ratio, 1.70 / 0.75, 1e-9);
	return 0;
}

TEST_IMPL(verdict_separated_10_reps)
{
	double v[3][MAXREPS];
	struct synth3 s;
	const struct mmb_run_verdict *d = &s.r.verdict;

	/* 10 reps each, mmap ~2.0M, mmap-window ~1.5M, pread ~0.75M, each
	 * spread by +-2%: the U test decides (p ~ 0.0002), not the ranges. */
	for (int k = 0; k < 10; k++) {
		double w = 1 + 0.004 * (k - 4.5);
		v[0][k] = 2.0e6 * w;
		v[1][k] = 1.5e6 * w;
		v[2][k] = 0.75e6 * w;
	}
	synth3(&s, 10, v);
	mmb__make_verdict(&s.r);
	vt_print(&s.r);
	ASSERT_EQ(d->decision, MMB_RV_FASTER);
	ASSERT(strcmp(d->winner.name, "mmap") == 0);
	ASSERT(strcmp(d->runner_up.name, "mmap-window") == 0);
	ASSERT_EQ(d->vs_runner_up.rule, MMB_RV_UTEST);
	ASSERT(d->vs_runner_up.p < 0.001);
	ASSERT(d->vs_runner_up.reps[0] == 10 && d->vs_runner_up.reps[1] == 10);
	ASSERT_NEAR(d->vs_runner_up.ratio, 2.0 / 1.5, 1e-9);
	ASSERT_EQ(d->vs_pread.rule, MMB_RV_UTEST);
	ASSERT_EQ(d->vs_pread.decision, MMB_RV_FASTER);
	ASSERT(d->vs_pread.p < 0.001);

	/* Interleaved reps (medians 2% apart): the U test finds nothing, and
	 * keeps its p. */
	for (int k = 0; k < 10; k++) {
		v[0][k] = 1.5e6 * (1 + 0.01 * (k - 4.5)) * 1.02;
		v[1][k] = 1.5e6 * (1 + 0.01 * (k - 4.5));
	}
	synth3(&s, 10, v);
	mmb__make_verdict(&s.r);
	vt_print(&s.r);
	ASSERT_EQ(d->decision, MMB_RV_NOISE);
	ASSERT_EQ(d->vs_runner_up.rule, MMB_RV_UTEST);
	ASSERT(d->vs_runner_up.p >= MMB_RV_ALPHA && d->vs_runner_up.p <= 1);
	ASSERT_EQ(d->vs_pread.decision, MMB_RV_FASTER);
	ASSERT(d->vs_pread.p < 0.001);
	ASSERT_NEAR(d->both_vs_pread, d->both_ops_per_s / d->pread.ops_per_s,
		    1e-12);

	/* Overlapping ranges but clearly shifted: one outlier rep each way
	 * makes the ranges overlap, the U test still sees the shift. */
	for (int k = 0; k < 10; k++) {
		v[0][k] = 2.0e6 * (1 + 0.002 * k);
		v[1][k] = 1.5e6 * (1 + 0.002 * k);
	}
	v[0][0] = 1.4e6;
	v[1][9] = 2.1e6;
	synth3(&s, 10, v);
	mmb__make_verdict(&s.r);
	vt_print(&s.r);
	ASSERT(s.b[0].min.m[MMB_M_ITEMS_PER_SECOND] <
	       s.b[1].max.m[MMB_M_ITEMS_PER_SECOND]); /* ranges overlap */
	ASSERT_EQ(d->decision, MMB_RV_FASTER);
	ASSERT(strcmp(d->winner.name, "mmap") == 0);
	ASSERT_EQ(d->vs_runner_up.rule, MMB_RV_UTEST);
	ASSERT(d->vs_runner_up.p < MMB_RV_ALPHA);
	return 0;
}

TEST_IMPL(verdict_pread_ratio_same_rule)
{
	struct synth3 s;
	const struct mmb_run_verdict *d = &s.r.verdict;

	/* Only mmap and pread: pread's 3 reps overlap mmap's, so no "x
	 * faster than pread" however far apart the medians look. */
	const double v[3][MAXREPS] = {
	    {1.20e6, 0.70e6, 1.25e6},
	    {0},
	    {0.80e6, 0.78e6, 1.21e6},
	};
	synth3(&s, 3, v);
	drop(&s, 1);
	mmb__make_verdict(&s.r);
	vt_print(&s.r);
	ASSERT_EQ(d->decision, MMB_RV_NOISE);
	ASSERT(strcmp(d->runner_up.name, "pread") == 0);
	ASSERT_EQ(d->pread.index, -1); /* it is the runner-up */
	ASSERT(strcmp(d->ref.name, "pread") == 0);
	ASSERT(d->vs_runner_up.rule == MMB_RV_RANGES &&
	       d->vs_runner_up.overlap);
	ASSERT(!d->faster_than_ref);
	ASSERT_NEAR(d->both_ops_per_s, 1.0e6, 1);

	/* Three backends: mmap clearly beats the runner-up, but pread's
	 * spread reaches it: against pread it is noise, not a ratio. */
	const double w[3][MAXREPS] = {
	    {2.00e6, 1.98e6, 2.02e6},
	    {1.50e6, 1.49e6, 1.51e6},
	    {0.75e6, 0.74e6, 2.05e6},
	};
	synth3(&s, 3, w);
	mmb__make_verdict(&s.r);
	vt_print(&s.r);
	ASSERT_EQ(d->decision, MMB_RV_FASTER);
	ASSERT(d->vs_runner_up.rule == MMB_RV_RANGES &&
	       !d->vs_runner_up.overlap);
	ASSERT_EQ(d->vs_pread.decision, MMB_RV_NOISE);
	ASSERT(d->vs_pread.rule == MMB_RV_RANGES && d->vs_pread.overlap);
	ASSERT(!d->faster_than_ref); /* the reference is pread */

	/* 4 vs 4 reps can reach p = 0.029: the U test decides. */
	const double u[3][MAXREPS] = {
	    {2.00e6, 1.98e6, 2.02e6, 2.01e6},
	    {1.50e6, 1.49e6, 1.51e6, 1.52e6},
	    {0.75e6, 0.74e6, 0.76e6, 0.77e6},
	};
	synth3(&s, 4, u);
	drop(&s, 1);
	mmb__make_verdict(&s.r);
	vt_print(&s.r);
	ASSERT_EQ(d->decision, MMB_RV_FASTER);
	ASSERT(strcmp(d->runner_up.name, "pread") == 0);
	ASSERT_EQ(d->vs_runner_up.rule, MMB_RV_UTEST);
	ASSERT_NEAR(d->vs_runner_up.p, 0.0286, 0.0005);
	ASSERT_NEAR(d->vs_runner_up.ratio, 2.005 / 0.755, 1e-9);
	return 0;
}

TEST_IMPL(verdict_single_rep_says_noise_unknown)
{
	struct synth3 s;
	const struct mmb_run_verdict *d = &s.r.verdict;
	const double v[3][MAXREPS] = {{2.0e6}, {1.9e6}, {1.0e6}};

	synth3(&s, 1, v);
	mmb__make_verdict(&s.r);
	vt_print(&s.r);
	/* 5.3% apart, one value each: a ratio, and no claim about noise. */
	ASSERT_EQ(d->decision, MMB_RV_FASTER);
	ASSERT_EQ(d->vs_runner_up.rule, MMB_RV_SINGLE);
	ASSERT_NEAR(d->vs_runner_up.ratio, 2.0 / 1.9, 1e-9);
	ASSERT(isnan(d->vs_runner_up.p));
	ASSERT_EQ(d->vs_pread.rule, MMB_RV_SINGLE);
	ASSERT_EQ(d->vs_pread.decision, MMB_RV_FASTER);
	ASSERT_NEAR(d->vs_pread.ratio, 2.0, 1e-9);
	return 0;
}
