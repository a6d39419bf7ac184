/* SPDX-License-Identifier: MIT */
/* zipf.c - block popularity follows Zipf's law with exponent theta
 * (default 0.99, as YCSB): rank k is drawn with probability ~ 1/k^theta.
 * Ranks are scattered over the file by a fixed bijection, so the hot blocks
 * are not all at the start (which would favour readahead and huge pages).
 *
 * Sampling: rejection-inversion (Hormann & Derflinger 1996), exact for any
 * theta > 0 including 1, O(1) per sample without a table. */
#include <math.h>

#include "internal.h"

enum { THETA };

static const struct mmb_param zipf_params[] = {
    [THETA] = {.name = "theta",
	       .type = MMB_PARAM_DOUBLE,
	       .flags = MMB_PARAM_MIN_EXCL,
	       .def.d = 0.99,
	       .min = 0,
	       .arg = "T",
	       .help = "skew: rank k is drawn with probability ~ 1/k^T"},
    {.name = NULL},
};

struct zipf {
	double theta, n, h_x1, h_n, s;
};

/* log1p(x)/x and expm1(x)/x, accurate near 0. */
static double helper1(double x)
{
	return fabs(x) > 1e-8 ? log1p(x) / x
			      : 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x));
}

static double helper2(double x)
{
	return fabs(x) > 1e-8
		   ? expm1(x) / x
		   : 1 + x * 0.5 * (1 + x * (1.0 / 3) * (1 + 0.25 * x));
}

static double zipf_h(const struct zipf *z, double x)
{
	return exp(-z->theta * log(x));
}

/* Integral of h from 1 to x, up to a constant. */
static double zipf_hint(const struct zipf *z, double x)
{
	double lx = log(x);
	return helper2((1 - z->theta) * lx) * lx;
}

static double zipf_hint_inv(const struct zipf *z, double x)
{
	double t = x * (1 - z->theta);
	if (t < -1)
		t = -1;
	return exp(helper1(t) * x);
}

static void zipf_init(struct zipf *z, double theta, uint64_t n)
{
	z->theta = theta;
	z->n = (double)n;
	z->h_x1 = zipf_hint(z, 1.5) - 1;
	z->h_n = zipf_hint(z, z->n + 0.5);
	z->s = 2 - zipf_hint_inv(z, zipf_hint(z, 2.5) - zipf_h(z, 2));
}

/* A rank in 1..n. */
static uint64_t zipf_sample(const struct zipf *z, struct mmb__rng *r)
{
	for (;;) {
		double u = z->h_n + mmb__rng_double(r) * (z->h_x1 - z->h_n);
		double x = zipf_hint_inv(z, u);
		double k = floor(x + 0.5);
		if (k < 1)
			k = 1;
		else if (k > z->n)
			k = z->n;
		if (k - x <= z->s || u >= zipf_hint(z, k + 0.5) - zipf_h(z, k))
			return (uint64_t)k;
	}
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static int zipf_generate(const struct mmb_workload *w,
			 const struct mmb_workload_opts *o, struct mmb_gen *g,
			 struct mmb_op *ops, uint64_t n)
{
	struct mmb__rng r;
	struct zipf z;
	uint64_t blocks = mmb__blocks(o);
	/* rank -> block: multiplication by a unit modulo blocks is a
	 * bijection that scatters neighbouring ranks. */
	uint64_t mul = 0x9e3779b97f4a7c15ull % blocks;

	(void)w;
	if (mul == 0)
		mul = 1;
	while (gcd(mul, blocks) != 1)
		mul++;
	zipf_init(&z, o->param[THETA].d, blocks);
	mmb__gen_rng(g, o, &r);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t rank = zipf_sample(&z, &r) - 1;
		uint64_t b =
		    (uint64_t)(((unsigned __int128)rank * mul) % blocks);
		ops[i] = mmb__op(o, b * o->block_size, false);
	}
	mmb__gen_rng_save(g, &r);
	return 0;
}

const struct mmb_workload mmb_workload_zipf = {
    .name = "zipf",
    .help = "4 KiB reads, block popularity Zipf-distributed (--theta, "
	    "default 0.99), hot blocks scattered",
    .block_size = 4096,
    .params = zipf_params,
    .generate = zipf_generate,
};
