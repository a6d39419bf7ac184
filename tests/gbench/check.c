/* SPDX-License-Identifier: MIT */
/* check.c - checks that a Google Benchmark JSON file made at test time
 * loads into the results model (mmbench/results.h) with every shape kept:
 *   gb_check shapes FILE      tests/gbench/shapes.cc, with repetitions
 *   gb_check aggregates FILE  the same with
 *                             --benchmark_report_aggregates_only
 *   gb_check mmb_bench FILE   bench/mmb_bench with repetitions
 * Exit 0 when every check holds, 1 with the failed ones on stderr. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <mmbench/results.h>

static int bad;

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, \
				#cond);                                    \
			bad++;                                             \
		}                                                          \
	} while (0)

static const struct mmb_rentry *entry(const struct mmb_results *r,
				      const char *name)
{
	for (size_t i = 0; i < r->ne; i++)
		if (strcmp(r->e[i].name, name) == 0)
			return &r->e[i];
	fprintf(stderr, "no entry %s\n", name);
	return NULL;
}

static double unit_ns(const char *u)
{
	return !strcmp(u, "s")	  ? 1e9
	       : !strcmp(u, "ms") ? 1e6
	       : !strcmp(u, "us") ? 1e3
				  : 1;
}

/* Google Benchmark 1.7's keys of every entry, kept in the model. */
static void gb_keys(const struct mmb_results *r)
{
	for (size_t i = 0; i < r->ne; i++) {
		const struct mmb_rentry *e = &r->e[i];
		CHECK(mmb_rentry_num(e, "family_index") >= 0);
		CHECK(mmb_rentry_num(e, "per_family_instance_index") >= 0);
		if (e->kind == MMB_RK_AGGREGATE)
			CHECK(mmb_rentry_str(e, "aggregate_unit"));
	}
	CHECK(mmb_results_ctx(r, "caches"));
	CHECK(mmb_results_ctx(r, "load_avg"));
}

/* The time units: real_ns is real_time in ns, whatever the unit. */
static void units(const struct mmb_results *r, int reps)
{
	static const char *const u[] = {"s", "ms", "us", "ns"};
	char name[64];

	for (size_t k = 0; k < 4; k++) {
		snprintf(name, sizeof(name), "BM_Unit/%s", u[k]);
		const struct mmb_rbench *b = mmb_results_find(r, name);
		CHECK(b && !b->skipped && (int)b->nreps == reps);
		if (!b)
			continue;
		const struct mmb_rentry *e = mmb_rbench_center(r, b);
		CHECK(e && !strcmp(mmb_rentry_str(e, "time_unit"), u[k]));
		if (!e)
			continue;
		double t = mmb_rentry_num(e, "real_time");
		CHECK(t > 0 && e->real_ns == t * unit_ns(u[k]));
		/* one loop, whatever the unit: ns per iteration alike */
		CHECK(e->real_ns > 0.01 && e->real_ns < 1e6);
	}
}

static void complexity(const struct mmb_results *r)
{
	const struct mmb_rentry *o = entry(r, "BM_Sum_BigO");
	const struct mmb_rentry *rms = entry(r, "BM_Sum_RMS");

	CHECK(o && o->kind == MMB_RK_AGGREGATE && isnan(o->real_ns));
	CHECK(o && !strcmp(mmb_rentry_str(o, "big_o"), "N"));
	CHECK(o && mmb_rentry_num(o, "real_coefficient") > 0);
	CHECK(rms && rms->kind == MMB_RK_AGGREGATE &&
	      mmb_rentry_num(rms, "rms") >= 0);
	/* grouped under their run_name, with no repetitions of their own */
	const struct mmb_rbench *b = mmb_results_find(r, "BM_Sum");
	CHECK(b && b->nreps == 0 && !b->skipped);
	CHECK(mmb_results_find(r, "BM_Sum/4096"));
}

static void error(const struct mmb_results *r)
{
	const struct mmb_rbench *b = mmb_results_find(r, "BM_Error");
	CHECK(b && b->skipped && b->error &&
	      !strcmp(b->error, "cannot run here"));
}

static int shapes(const struct mmb_results *r)
{
	gb_keys(r);
	units(r, 3);
	complexity(r);
	error(r);
	const struct mmb_rbench *b = mmb_results_find(r, "BM_Sum/64");
	CHECK(b && b->nreps == 3 && b->median >= 0 && b->mean >= 0 &&
	      b->stddev >= 0);
	if (!b)
		return 1;
	const struct mmb_rentry *it = &r->e[b->reps[0]];
	CHECK(!strcmp(mmb_rentry_str(it, "label"), "summed"));
	CHECK(mmb_rentry_num(it, "elems") > 0);
	CHECK(mmb_rentry_num(it, "zero") == 0);
	/* Google Benchmark's bare Infinity */
	const struct mmb_rval *inf = mmb_rentry_get(it, "inf");
	CHECK(inf && inf->type == MMB_RT_NUMBER && isinf(inf->num) &&
	      inf->num > 0 && !strcmp(inf->text, "Infinity"));
	/* the cv of a counter that is always 0: Google Benchmark's bare
	 * NaN, a number of the model */
	const struct mmb_rentry *cv = entry(r, "BM_Sum/64_cv");
	const struct mmb_rval *z = cv ? mmb_rentry_get(cv, "zero") : NULL;
	CHECK(z && z->type == MMB_RT_NUMBER && isnan(z->num) &&
	      !strcmp(z->text, "NaN"));
	CHECK(cv &&
	      !strcmp(mmb_rentry_str(cv, "aggregate_unit"), "percentage"));
	return 0;
}

static int aggregates(const struct mmb_results *r)
{
	gb_keys(r);
	complexity(r);
	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_rbench *b = &r->b[i];
		CHECK(b->nreps == 0);
		if (!b->skipped && strcmp(b->name, "BM_Sum") != 0)
			CHECK(mmb_rbench_center(r, b) &&
			      mmb_rbench_center(r, b)->real_ns > 0);
	}
	CHECK(mmb_results_find(r, "BM_Unit/ms"));
	return 0;
}

static int mmb_bench(const struct mmb_results *r)
{
	size_t ran = 0;

	gb_keys(r);
	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_rbench *b = &r->b[i];
		if (b->skipped)
			continue;
		CHECK(b->nreps == 3 && b->median >= 0);
		const struct mmb_rentry *cv = NULL;
		for (size_t k = 0; k < r->ne; k++)
			if (r->e[k].bench == i && r->e[k].aggregate &&
			    !strcmp(r->e[k].aggregate, "cv"))
				cv = &r->e[k];
		CHECK(cv != NULL);
		ran++;
	}
	CHECK(ran > 0);
	return 0;
}

int main(int argc, char **argv)
{
	struct mmb_results *r;
	char buf[512];

	if (argc != 3) {
		fprintf(stderr, "usage: gb_check shapes|aggregates|mmb_bench "
				"FILE\n");
		return 2;
	}
	if (mmb_results_load(argv[2], &r) < 0) {
		fprintf(stderr, "%s\n", mmb_results_errmsg(buf, sizeof(buf)));
		return 1;
	}
	if (!strcmp(argv[1], "shapes"))
		shapes(r);
	else if (!strcmp(argv[1], "aggregates"))
		aggregates(r);
	else
		mmb_bench(r);
	mmb_results_free(r);
	return bad ? 1 : 0;
}
