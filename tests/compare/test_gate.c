/* SPDX-License-Identifier: MIT */
/* test_gate.c - the regression gate on synthetic results files. */
#include <dirent.h>
#include <math.h>
#include <sys/stat.h>

#include <mmbench/compare.h>

#include "synth.h"
#include "test.h"
#include "testutil.h"

struct fixture {
	char dir[256];
	char old_path[300], new_path[300];
	struct mmb_results *old, *cur;
	struct mmb_comparison *cmp;
};

static void fixture_free(struct fixture *f)
{
	mmb_comparison_free(f->cmp);
	mmb_results_free(f->old);
	mmb_results_free(f->cur);
	th_rmtree(f->dir);
}

/* Write the baseline ob and the current nb (synthetic, `reps` repetitions,
 * noise seeded with seed and seed + 1), load both and compare them. */
static int gate_pair(struct fixture *f, const struct synth_bench *ob,
		     const struct synth_bench *nb, size_t n, int reps,
		     unsigned seed, const struct mmb_compare_opts *o)
{
	memset(f, 0, sizeof(*f));
	if (th_mkdtemp(f->dir, sizeof(f->dir), "compare") < 0)
		return -1;
	snprintf(f->old_path, sizeof(f->old_path), "%s/old.json", f->dir);
	snprintf(f->new_path, sizeof(f->new_path), "%s/new.json", f->dir);
	if (synth_write(f->old_path, ob, n, reps, seed) < 0 ||
	    synth_write(f->new_path, nb, n, reps, seed + 1) < 0)
		return -1;
	int rc = mmb_results_load(f->old_path, &f->old);
	if (rc == 0)
		rc = mmb_results_load(f->new_path, &f->cur);
	if (rc == 0)
		rc = mmb_compare(f->old, f->cur, o, &f->cmp);
	if (rc < 0) {
		char buf[256];
		fprintf(stderr, "%s\n", mmb_results_errmsg(buf, sizeof(buf)));
	} else {
		mmb_comparison_print(f->cmp, stderr);
	}
	return rc;
}

/* Two files of `reps` repetitions: benchmark "b" at 1000 ns in the
 * baseline and at 1000 * factor in the current one, plus an unchanged
 * "ref"; then compare them. */
static int run_gate(struct fixture *f, double factor, int reps,
		    const struct mmb_compare_opts *o, double faults_old,
		    double faults_new)
{
	struct synth_bench ob[] = {{"ref", 500, 0.03, 7, 0},
				   {"b", 1000, 0.03, faults_old, 0}};
	struct synth_bench nb[] = {{"ref", 500, 0.03, 7, 0},
				   {"b", 1000 * factor, 0.03, faults_new, 0}};
	return gate_pair(f, ob, nb, 2, reps, 1, o);
}

static const struct mmb_compare_opts defaults = {.threshold = 0.10,
						 .alpha = 0.05};

TEST_IMPL(gate_shifted_regression)
{
	struct fixture f;
	ASSERT_OK(run_gate(&f, 1.30, 10, &defaults, 7, 7));
	ASSERT(f.cmp->regression);
	ASSERT_EQ(f.cmp->nrows, 2);
	const struct mmb_cmp_row *r = &f.cmp->rows[1];
	ASSERT(strcmp(r->name, "b") == 0);
	ASSERT(r->verdict == MMB_VERDICT_SLOWER);
	ASSERT(r->failed);
	/* +-3% noise cannot overlap a +30% shift: fully separated samples,
	 * p = 2 / C(20, 10) */
	ASSERT(fabs(r->u.p - 2.0 / 184756.0) < 1e-12);
	ASSERT(r->change > 0.25 && r->change < 0.35);
	ASSERT(f.cmp->rows[0].verdict == MMB_VERDICT_SAME);
	ASSERT(!f.cmp->rows[0].failed);
	ASSERT_EQ(f.cmp->nwarnings, 0);
	fixture_free(&f);
	return 0;
}

TEST_IMPL(gate_same_distribution)
{
	struct fixture f;
	ASSERT_OK(run_gate(&f, 1.0, 10, &defaults, 7, 7));
	ASSERT(!f.cmp->regression);
	for (size_t i = 0; i < f.cmp->nrows; i++) {
		ASSERT(f.cmp->rows[i].verdict == MMB_VERDICT_SAME);
		ASSERT(fabs(f.cmp->rows[i].change) < 0.03);
	}
	fixture_free(&f);
	return 0;
}

TEST_IMPL(gate_below_threshold)
{
	/* 6% slower and clearly significant (+-1%... here +-3% noise on
	 * 10 reps), but below the 10% threshold: passes. */
	struct fixture f;
	ASSERT_OK(run_gate(&f, 1.06, 10, &defaults, 7, 7));
	ASSERT(!f.cmp->regression);
	ASSERT(f.cmp->rows[1].verdict == MMB_VERDICT_SAME);
	ASSERT(f.cmp->rows[1].u.p < 0.05);
	fixture_free(&f);
	/* the same files fail with a 5% threshold */
	struct mmb_compare_opts o = defaults;
	o.threshold = 0.05;
	ASSERT_OK(run_gate(&f, 1.06, 10, &o, 7, 7));
	ASSERT(f.cmp->regression);
	fixture_free(&f);
	return 0;
}

TEST_IMPL(gate_faster)
{
	struct fixture f;
	ASSERT_OK(run_gate(&f, 0.70, 10, &defaults, 7, 7));
	ASSERT(!f.cmp->regression);
	ASSERT(f.cmp->rows[1].verdict == MMB_VERDICT_FASTER);
	ASSERT(f.cmp->rows[1].change < -0.25);
	fixture_free(&f);
	return 0;
}

TEST_IMPL(gate_counter)
{
	struct mmb_counter_gate g;
	struct mmb_compare_opts o = defaults;
	o.counters = &g;
	o.ncounters = 1;
	struct fixture f;

	/* faults 100 -> 120 (+20%) with a 5% limit: fails, time unchanged */
	ASSERT_OK(mmb_counter_gate_parse("faults:5%", &g));
	ASSERT(g.relative && fabs(g.limit - 0.05) < 1e-15);
	ASSERT_OK(run_gate(&f, 1.0, 10, &o, 100, 120));
	ASSERT(f.cmp->regression);
	ASSERT(f.cmp->rows[1].verdict == MMB_VERDICT_SAME);
	ASSERT(f.cmp->rows[1].counters[0].present);
	ASSERT(f.cmp->rows[1].counters[0].failed);
	ASSERT(fabs(f.cmp->rows[1].counters[0].change - 0.20) < 1e-12);
	ASSERT(!f.cmp->rows[0].counters[0].failed);
	fixture_free(&f);

	/* within a 25% limit */
	ASSERT_OK(mmb_counter_gate_parse("faults:25%", &g));
	ASSERT_OK(run_gate(&f, 1.0, 10, &o, 100, 120));
	ASSERT(!f.cmp->regression);
	fixture_free(&f);

	/* absolute: +20 against a limit of 20 passes, of 19 fails */
	ASSERT_OK(mmb_counter_gate_parse("faults:20", &g));
	ASSERT(!g.relative);
	ASSERT_OK(run_gate(&f, 1.0, 10, &o, 100, 120));
	ASSERT(!f.cmp->regression);
	fixture_free(&f);
	ASSERT_OK(mmb_counter_gate_parse("faults:19", &g));
	ASSERT_OK(run_gate(&f, 1.0, 10, &o, 100, 120));
	ASSERT(f.cmp->regression);
	fixture_free(&f);

	/* fewer faults never fail */
	ASSERT_OK(mmb_counter_gate_parse("faults:0%", &g));
	ASSERT_OK(run_gate(&f, 1.0, 10, &o, 100, 50));
	ASSERT(!f.cmp->regression);
	fixture_free(&f);

	/* a counter no benchmark has is a usage error */
	ASSERT_OK(mmb_counter_gate_parse("faultz:5%", &g));
	ASSERT_EQ(run_gate(&f, 1.0, 10, &o, 100, 100), MMB_EINVAL);
	ASSERT(strstr(mmb_last_error()->call, "faultz") != NULL);
	fixture_free(&f);
	return 0;
}

TEST_IMPL(gate_counter_parse)
{
	struct mmb_counter_gate g;
	ASSERT_OK(mmb_counter_gate_parse("a:b:1.5%", &g));
	ASSERT(strcmp(g.name, "a:b") == 0 && fabs(g.limit - 0.015) < 1e-15);
	ASSERT_EQ(mmb_counter_gate_parse("faults", &g), MMB_EINVAL);
	ASSERT_EQ(mmb_counter_gate_parse(":5%", &g), MMB_EINVAL);
	ASSERT_EQ(mmb_counter_gate_parse("faults:", &g), MMB_EINVAL);
	ASSERT_EQ(mmb_counter_gate_parse("faults:x", &g), MMB_EINVAL);
	ASSERT_EQ(mmb_counter_gate_parse("faults:5%%", &g), MMB_EINVAL);
	ASSERT_EQ(mmb_counter_gate_parse("faults:-1", &g), MMB_EINVAL);
	return 0;
}

TEST_IMPL(gate_too_few_reps)
{
	/* 2 vs 2: the smallest two-sided p is 1/3, so +50% cannot be shown
	 * significant: not a regression, but a warning that says so. */
	struct fixture f;
	ASSERT_OK(run_gate(&f, 1.50, 2, &defaults, 7, 7));
	ASSERT(!f.cmp->regression);
	ASSERT(f.cmp->rows[1].verdict == MMB_VERDICT_TOO_FEW);
	ASSERT_EQ(f.cmp->nwarnings, 1);
	ASSERT(strstr(f.cmp->warnings[0], "too few repetitions (2 vs 2)"));
	ASSERT(strstr(f.cmp->warnings[0], "at least 4 repetitions"));
	fixture_free(&f);
	/* 4 vs 4 can: 2/70 < 0.05 */
	ASSERT_OK(run_gate(&f, 1.50, 4, &defaults, 7, 7));
	ASSERT(f.cmp->regression);
	ASSERT_EQ(f.cmp->nwarnings, 0);
	fixture_free(&f);
	return 0;
}

TEST_IMPL(gate_normalize)
{
	/* The current runner is 2x slower across the board: "ref" and "b"
	 * both take twice as long. Without normalization that is a
	 * regression; relative to "ref" it is not. */
	struct synth_bench ob[] = {{"ref", 500, 0.02, 0, 0},
				   {"b", 1000, 0.02, 0, 0}};
	struct synth_bench nb[] = {{"ref", 1000, 0.02, 0, 0},
				   {"b", 2000, 0.02, 0, 0}};
	struct fixture f;
	ASSERT_OK(gate_pair(&f, ob, nb, 2, 10, 3, &defaults));
	ASSERT(f.cmp->regression);
	struct mmb_results *o = f.old, *n = f.cur;
	struct mmb_comparison *c;

	struct mmb_compare_opts opt = defaults;
	opt.normalize = "ref";
	ASSERT_OK(mmb_compare(o, n, &opt, &c));
	mmb_comparison_print(c, stderr);
	ASSERT(!c->regression);
	ASSERT(c->rows[0].verdict == MMB_VERDICT_REFERENCE);
	ASSERT(fabs(c->rows[1].old_med - 2.0) < 0.1);
	ASSERT(fabs(c->rows[1].change) < 0.05);
	mmb_comparison_free(c);

	opt.normalize = "nope";
	ASSERT_EQ(mmb_compare(o, n, &opt, &c), MMB_EINVAL);
	ASSERT(strstr(mmb_last_error()->call, "nope"));
	fixture_free(&f);
	return 0;
}

TEST_IMPL(gate_bad_inputs)
{
	char dir[256], p[300], q[300];
	struct mmb_results *r = NULL, *s = NULL;
	struct mmb_comparison *c;
	ASSERT_OK(th_mkdtemp(dir, sizeof(dir), "compare"));
	snprintf(p, sizeof(p), "%s/a.json", dir);
	snprintf(q, sizeof(q), "%s/b.json", dir);

	ASSERT_EQ(mmb_results_load(p, &r), MMB_ENOENT);
	ASSERT_OK(synth_text(p, ""));
	ASSERT_EQ(mmb_results_load(p, &r), MMB_EPARSE);
	ASSERT(strstr(mmb_last_error()->call, "empty file"));
	ASSERT_OK(synth_text(p, "this is not json\n"));
	ASSERT_EQ(mmb_results_load(p, &r), MMB_EPARSE);
	ASSERT(strstr(mmb_last_error()->call, "invalid JSON at line 1"));
	ASSERT_OK(synth_text(p, "{\"context\": {}}"));
	ASSERT_EQ(mmb_results_load(p, &r), MMB_EPARSE);
	ASSERT(strstr(mmb_last_error()->call,
		      "no benchmarks (needs a non-empty \"benchmarks\""));
	ASSERT_OK(synth_text(p, "{\"benchmarks\": []}"));
	ASSERT_EQ(mmb_results_load(p, &r), MMB_EPARSE);
	ASSERT_OK(synth_text(p, "{\"benchmarks\": [{\"name\": \"x\", "
				"\"real_time\": 1, \"time_unit\": \"h\"}]}"));
	ASSERT_EQ(mmb_results_load(p, &r), MMB_EPARSE);
	ASSERT(strstr(mmb_last_error()->call, "unknown time_unit \"h\""));
	/* A repetition without a time loads (a report can show its other
	 * numbers) but cannot be gated. */
	ASSERT_OK(synth_text(p, "{\"benchmarks\": [{\"name\": \"x\"}]}"));
	ASSERT_OK(mmb_results_load(p, &r));
	ASSERT_EQ(mmb_compare(r, r, &defaults, &c), MMB_EPARSE);
	ASSERT(strstr(mmb_last_error()->call, "has no numeric real_time"));
	ASSERT(strstr(mmb_last_error()->call, p));
	mmb_results_free(r);
	r = NULL;

	/* no benchmark in common */
	struct synth_bench a[] = {{"alpha", 100, 0.01, 0, 0}};
	struct synth_bench b[] = {{"beta", 100, 0.01, 0, 0}};
	ASSERT_OK(synth_write(p, a, 1, 5, 1));
	ASSERT_OK(synth_write(q, b, 1, 5, 1));
	ASSERT_OK(mmb_results_load(p, &r));
	ASSERT_OK(mmb_results_load(q, &s));
	ASSERT_EQ(mmb_compare(r, s, &defaults, &c), MMB_EINVAL);
	ASSERT(strstr(mmb_last_error()->call, "no benchmark in common"));
	mmb_results_free(r);
	mmb_results_free(s);
	th_rmtree(dir);
	return 0;
}

TEST_IMPL(gate_gbench_format)
{
	/* Google Benchmark's own output: microseconds, "cv" aggregates with
	 * a "percentage" unit, a user counter, and an aggregates-only file
	 * that can still be compared (one sample, with a warning). */
	char dir[256], p[300], q[300];
	ASSERT_OK(th_mkdtemp(dir, sizeof(dir), "compare"));
	snprintf(p, sizeof(p), "%s/gb.json", dir);
	snprintf(q, sizeof(q), "%s/agg.json", dir);
	ASSERT_OK(synth_text(
	    p, "{\"context\": {\"library_build_type\": \"release\"},\n"
	       "\"benchmarks\": [\n"
	       "{\"name\": \"BM_x/8\", \"family_index\": 0, "
	       "\"run_name\": \"BM_x/8\", \"run_type\": \"iteration\", "
	       "\"repetitions\": 3, \"repetition_index\": 0, "
	       "\"iterations\": 10, \"real_time\": 1.5, \"cpu_time\": 1.4, "
	       "\"time_unit\": \"us\", \"faults\": 4},\n"
	       "{\"name\": \"BM_x/8\", \"run_name\": \"BM_x/8\", "
	       "\"run_type\": \"iteration\", \"repetitions\": 3, "
	       "\"repetition_index\": 1, \"real_time\": 2.5, "
	       "\"time_unit\": \"us\", \"faults\": 6},\n"
	       "{\"name\": \"BM_x/8\", \"run_name\": \"BM_x/8\", "
	       "\"run_type\": \"iteration\", \"repetitions\": 3, "
	       "\"repetition_index\": 2, \"real_time\": 2.0, "
	       "\"time_unit\": \"us\", \"faults\": 5},\n"
	       "{\"name\": \"BM_x/8_cv\", \"run_name\": \"BM_x/8\", "
	       "\"run_type\": \"aggregate\", \"aggregate_name\": \"cv\", "
	       "\"aggregate_unit\": \"percentage\", \"real_time\": 0.2, "
	       "\"time_unit\": \"us\"},\n"
	       "{\"name\": \"BM_err\", \"run_name\": \"BM_err\", "
	       "\"run_type\": \"iteration\", \"error_occurred\": true, "
	       "\"error_message\": \"no file\"}\n]}\n"));
	ASSERT_OK(synth_text(
	    q, "{\"benchmarks\": [\n"
	       "{\"name\": \"BM_x/8_mean\", \"run_type\": \"aggregate\", "
	       "\"aggregate_name\": \"mean\", \"real_time\": 9.0, "
	       "\"time_unit\": \"us\"},\n"
	       "{\"name\": \"BM_x/8_median\", \"run_type\": \"aggregate\", "
	       "\"aggregate_name\": \"median\", \"real_time\": 3.0, "
	       "\"time_unit\": \"us\", \"faults\": 5}\n]}\n"));
	struct mmb_results *r, *s;
	ASSERT_OK(mmb_results_load(p, &r));
	ASSERT_EQ(r->nb, 2);
	const struct mmb_rbench *x = mmb_results_find(r, "BM_x/8");
	ASSERT(x && x->nreps == 3 && x->median < 0 && x->mean < 0);
	ASSERT(fabs(r->e[x->reps[0]].real_ns - 1500.0) < 1e-9);
	/* one counter: family_index, iterations, repetition_index... are
	 * Google Benchmark's bookkeeping */
	size_t ncounters = 0;
	const struct mmb_rentry *x0 = &r->e[x->reps[0]];
	for (size_t k = 0; k < x0->nkv; k++)
		if (x0->kv[k].type == MMB_RT_NUMBER &&
		    mmb_compare_is_counter(x0->kv[k].key)) {
			ASSERT(strcmp(x0->kv[k].key, "faults") == 0);
			ncounters++;
		}
	ASSERT_EQ(ncounters, 1);
	static const double faults[] = {4, 6, 5};
	for (size_t k = 0; k < 3; k++)
		ASSERT_EQ(mmb_rentry_num(&r->e[x->reps[k]], "faults"),
			  faults[k]);
	const struct mmb_rbench *e = mmb_results_find(r, "BM_err");
	ASSERT(e && e->skipped && strcmp(e->error, "no file") == 0);

	ASSERT_OK(mmb_results_load(q, &s));
	ASSERT_EQ(s->nb, 1);
	x = mmb_results_find(s, "BM_x/8");
	ASSERT(x && x->nreps == 0 && x->median >= 0);
	/* the median, not the mean */
	ASSERT(fabs(mmb_rbench_center(s, x)->real_ns - 3000.0) < 1e-9);

	struct mmb_comparison *c;
	ASSERT_OK(mmb_compare(r, s, &defaults, &c));
	mmb_comparison_print(c, stderr);
	ASSERT_EQ(c->nrows, 1);
	ASSERT(c->rows[0].verdict == MMB_VERDICT_TOO_FEW);
	ASSERT(fabs(c->rows[0].change - 0.5) < 1e-12); /* 2.0 -> 3.0 us */
	ASSERT_EQ(c->nonly_old, 1);
	ASSERT(!c->regression);
	ASSERT_EQ(c->nwarnings, 3); /* aggregates only, too few, missing */
	mmb_comparison_free(c);
	mmb_results_free(r);
	mmb_results_free(s);
	th_rmtree(dir);
	return 0;
}

static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

TEST_IMPL(gate_outputs)
{
	struct fixture f;
	struct mmb_counter_gate g;
	struct mmb_compare_opts o = defaults;
	ASSERT_OK(mmb_counter_gate_parse("faults:5%", &g));
	o.counters = &g;
	o.ncounters = 1;
	ASSERT_OK(run_gate(&f, 1.30, 10, &o, 7, 7));
	char jp[400], mp[400], bad[400];
	snprintf(jp, sizeof(jp), "%s/cmp.json", f.dir);
	snprintf(mp, sizeof(mp), "%s/cmp.md", f.dir);
	snprintf(bad, sizeof(bad), "%s/no/such/dir/cmp.json", f.dir);
	ASSERT_OK(mmb_comparison_write_json(f.cmp, jp));
	ASSERT_OK(mmb_comparison_write_markdown(f.cmp, mp));
	ASSERT(mmb_comparison_write_json(f.cmp, bad) == MMB_ENOENT);
	/* old.json new.json cmp.json cmp.md: no temp file left behind */
	ASSERT_EQ(count_files(f.dir), 4);
	struct stat st;
	ASSERT_OK(stat(jp, &st));
	mode_t mask = umask(0);
	umask(mask);
	/* 0666 less the umask, as any file written (not mkstemp's 0600) */
	ASSERT_EQ(st.st_mode & 0777, 0666 & ~mask);

	FILE *fp = fopen(jp, "r");
	ASSERT(fp);
	char buf[16384];
	size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	/* The comparison's JSON read back with the results loader: its rows
	 * are "benchmarks" entries, its verdict a top-level key. */
	struct mmb_results *root;
	ASSERT_OK(mmb_results_load(jp, &root));
	const struct mmb_rval *res = NULL;
	for (size_t k = 0; k < root->ntop; k++)
		if (strcmp(root->top[k].key, "result") == 0)
			res = &root->top[k];
	ASSERT(res && res->type == MMB_RT_STRING &&
	       strcmp(res->text, "regression") == 0);
	ASSERT_EQ(root->ne, 2);
	const struct mmb_rentry *b = &root->e[1];
	const struct mmb_rval *failed = mmb_rentry_get(b, "failed");
	ASSERT(failed && failed->type == MMB_RT_BOOL && failed->num == 1);
	ASSERT(mmb_rentry_num(b, "p_value") < 0.001);
	const struct mmb_rval *cs = mmb_rentry_get(b, "counters");
	ASSERT(cs && cs->type == MMB_RT_ARRAY && cs->nkid == 1);
	mmb_results_free(root);

	fp = fopen(mp, "r");
	ASSERT(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	ASSERT(strstr(buf, "### mmbench compare: regression"));
	ASSERT(strstr(buf, "| `b` |"));
	ASSERT(strstr(buf, "**REGRESSION**"));
	fixture_free(&f);
	return 0;
}

TEST_IMPL(gate_skipped)
{
	/* A backend skipped in the current run is reported, warned about,
	 * and does not fail the gate by itself. */
	struct synth_bench a[] = {{"x", 100, 0.01, 0, 0},
				  {"y", 100, 0.01, 0, 0}};
	struct synth_bench b[] = {{"x", 100, 0.01, 0, 0},
				  {"y", 100, 0.01, 0, 1}};
	struct fixture f;
	ASSERT_OK(gate_pair(&f, a, b, 2, 5, 1, &defaults));
	const struct mmb_comparison *c = f.cmp;
	ASSERT(!c->regression);
	ASSERT(c->rows[1].verdict == MMB_VERDICT_SKIPPED);
	ASSERT_EQ(c->nwarnings, 1);
	ASSERT(strstr(c->warnings[0], "skipped: synthetic"));
	fixture_free(&f);
	return 0;
}
