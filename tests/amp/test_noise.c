/* The verdict calls a difference only when it beats the noise of the
 * repetitions: U test with enough reps, overlapping ranges with too few.
 * Synthetic results, no timing involved. */
#include <math.h>

#include "iostat.h"
#include "mmbench/backend.h"
#include "test.h"

static char vt[MMB_VERDICT_TEXT];
#define VTEXT(r) mmb_verdict_text(&(r)->verdict, vt, sizeof(vt))

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
	snprintf(s->r.workload, sizeof(s->r.workload), "random-4k");
	snprintf(s->r.cache, sizeof(s->r.cache), "warm");
	s->r.advice = -1;
	s->r.nbackends = 3;
	s->r.b = s->b;
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

	synth3(&s, 3, v);
	mmb__make_verdict(&s.r);
	fprintf(stderr, "verdict: %s\n", VTEXT(&s.r));
	ASSERT(strstr(VTEXT(&s.r),
		      "mmap-window and mmap are within noise of each other "
		      "(3 reps each; ranges overlap); both ~1.5M ops/s, "
		      "2.0x pread (3 reps each; ranges do not overlap)"));
	ASSERT(!strstr(VTEXT(&s.r), "faster than mmap"));
	/* The counters still explain it, against pread. */
	ASSERT(strstr(VTEXT(&s.r), "us/op system time"));
	ASSERT(strstr(VTEXT(&s.r), "mmap-window: no syscall per op, no "
				   "faults in the timed region"));

	/* Same medians, ranges apart: 3 reps cannot reach p < 0.05, so the
	 * ranges decide, and they do not overlap. */
	const double apart[3][MAXREPS] = {
	    {1.50e6, 1.49e6, 1.51e6},
	    {1.70e6, 1.69e6, 1.71e6},
	    {0.75e6, 0.74e6, 0.77e6},
	};
	synth3(&s, 3, apart);
	mmb__make_verdict(&s.r);
	fprintf(stderr, "verdict: %s\n", VTEXT(&s.r));
	ASSERT(strstr(VTEXT(&s.r),
		      "mmap-window is 1.1x faster than mmap, the runner-up "
		      "(3 reps each; ranges do not overlap), and 2.3x faster "
		      "than pread (3 reps each; ranges do not overlap)"));
	return 0;
}

TEST_IMPL(verdict_separated_10_reps)
{
	double v[3][MAXREPS];
	struct synth3 s;

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
	fprintf(stderr, "verdict: %s\n", VTEXT(&s.r));
	ASSERT(strstr(VTEXT(&s.r),
		      "mmap is 1.3x faster than mmap-window, the runner-up "
		      "(10 reps each; U test p<0.001), and 2.7x faster than "
		      "pread (10 reps each; U test p<0.001)"));
	ASSERT(!strstr(VTEXT(&s.r), "noise"));
	ASSERT(!strstr(VTEXT(&s.r), "ranges"));

	/* Interleaved reps (medians 2% apart): the U test finds nothing, and
	 * says so with its p. */
	for (int k = 0; k < 10; k++) {
		v[0][k] = 1.5e6 * (1 + 0.01 * (k - 4.5)) * 1.02;
		v[1][k] = 1.5e6 * (1 + 0.01 * (k - 4.5));
	}
	synth3(&s, 10, v);
	mmb__make_verdict(&s.r);
	fprintf(stderr, "verdict: %s\n", VTEXT(&s.r));
	ASSERT(strstr(VTEXT(&s.r), "mmap and mmap-window are within noise of "
				   "each other (10 reps each; U test p="));
	ASSERT(strstr(VTEXT(&s.r), "both ~1.5M ops/s, 2.0x pread (10 reps "
				   "each; U test p<0.001)"));

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
	fprintf(stderr, "verdict: %s\n", VTEXT(&s.r));
	ASSERT(strstr(VTEXT(&s.r), "mmap is 1.3x faster than mmap-window"));
	ASSERT(strstr(VTEXT(&s.r), "U test p="));
	return 0;
}

TEST_IMPL(verdict_pread_ratio_same_rule)
{
	struct synth3 s;

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
	fprintf(stderr, "verdict: %s\n", VTEXT(&s.r));
	ASSERT(strstr(VTEXT(&s.r), "mmap and pread are within noise of each "
				   "other (3 reps each; ranges overlap); "
				   "both ~1.0M ops/s"));
	ASSERT(!strstr(VTEXT(&s.r), "faster"));

	/* Three backends: mmap clearly beats the runner-up, but pread's
	 * spread reaches it: the pread clause says noise, not a ratio. */
	const double w[3][MAXREPS] = {
	    {2.00e6, 1.98e6, 2.02e6},
	    {1.50e6, 1.49e6, 1.51e6},
	    {0.75e6, 0.74e6, 2.05e6},
	};
	synth3(&s, 3, w);
	mmb__make_verdict(&s.r);
	fprintf(stderr, "verdict: %s\n", VTEXT(&s.r));
	ASSERT(strstr(VTEXT(&s.r),
		      "mmap is 1.3x faster than mmap-window, the runner-up "
		      "(3 reps each; ranges do not overlap), but within noise "
		      "of pread (3 reps each; ranges overlap)"));
	ASSERT(!strstr(VTEXT(&s.r), "faster than pread"));

	/* 4 vs 4 reps can reach p = 0.029: the U test decides. */
	const double u[3][MAXREPS] = {
	    {2.00e6, 1.98e6, 2.02e6, 2.01e6},
	    {1.50e6, 1.49e6, 1.51e6, 1.52e6},
	    {0.75e6, 0.74e6, 0.76e6, 0.77e6},
	};
	synth3(&s, 4, u);
	drop(&s, 1);
	mmb__make_verdict(&s.r);
	fprintf(stderr, "verdict: %s\n", VTEXT(&s.r));
	ASSERT(strstr(VTEXT(&s.r), "mmap is 2.7x faster than pread (4 reps "
				   "each; U test p=0.029)"));
	return 0;
}

TEST_IMPL(verdict_single_rep_says_noise_unknown)
{
	struct synth3 s;
	const double v[3][MAXREPS] = {{2.0e6}, {1.9e6}, {1.0e6}};

	synth3(&s, 1, v);
	mmb__make_verdict(&s.r);
	fprintf(stderr, "verdict: %s\n", VTEXT(&s.r));
	/* 5.3% apart, one value each: a ratio, and no claim about noise. */
	ASSERT(strstr(VTEXT(&s.r), "mmap is 1.1x faster than mmap-window, the "
				   "runner-up (1 rep each: noise unknown), "
				   "and 2.0x faster than pread (1 rep each: "
				   "noise unknown)"));
	return 0;
}
