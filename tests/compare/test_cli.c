/* SPDX-License-Identifier: MIT */
/* test_cli.c - `mmbench compare` and `mmbench baseline` as a CI job sees
 * them: exit codes, messages, output files. MMBENCH is the binary's path. */

#include <stdarg.h>

#include "synth.h"
#include "test.h"
#include "testutil.h"

static char dir[256];
static char out[65536], err[65536];

int cli_run(const char *d, const char *const *args, char *o, size_t n);

/* Run mmbench with args (NULL-terminated); stdout/stderr into out/err.
 * Returns the exit status, or -1. */
static int run(const char *const *args)
{
	return cli_run(dir, args, out, sizeof(out));
}

/* Run mmbench in directory d's context: stdout into o (n bytes), stderr
 * into the static err. Returns the exit status, 128+signal, or -1. */
int cli_run(const char *d, const char *const *args, char *o, size_t on)
{
	char op[300], ep[300];
	snprintf(op, sizeof(op), "%s/stdout", d);
	snprintf(ep, sizeof(ep), "%s/stderr", d);
	const char *argv[32] = {MMBENCH};
	size_t n = 1;
	for (; args[n - 1] && n < 31; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	fprintf(stderr, "$");
	for (size_t i = 0; argv[i]; i++)
		fprintf(stderr, " %s", argv[i]);
	fprintf(stderr, "\n");
	int rc = th_run(argv, op, ep, NULL, 0);
	th_slurp_into(op, o, on);
	th_slurp_into(ep, err, sizeof(err));
	fprintf(stderr, "%s%s-> exit %d\n", o, err, rc);
	return rc;
}

static char *path(const char *name)
{
	return th_path(dir, name);
}

/* old.json: "ref" and "b" at 1000 ns; new.json: b scaled by factor,
 * faults of b from fo to fn. */
static int pair(double factor, int reps, double fo, double fn)
{
	struct synth_bench o[] = {{"ref", 1000, 0.03, 5, 0},
				  {"b", 1000, 0.03, fo, 0}};
	struct synth_bench n[] = {{"ref", 1000, 0.03, 5, 0},
				  {"b", 1000 * factor, 0.03, fn, 0}};
	if (synth_write(path("old.json"), o, 2, reps, 11) < 0 ||
	    synth_write(path("new.json"), n, 2, reps, 12) < 0)
		return -1;
	return 0;
}

static int setup(void)
{
	return th_mkdtemp(dir, sizeof(dir), "compare");
}

/* mmbench compare, the NULL-terminated options, old.json new.json. As
 * run(). */
static int compare_pair(const char *opt, ...)
{
	const char *args[32] = {"compare"};
	size_t n = 1;
	va_list ap;

	va_start(ap, opt);
	for (const char *a = opt; a && n < 29; a = va_arg(ap, const char *))
		args[n++] = a;
	va_end(ap);
	args[n++] = path("old.json");
	args[n++] = path("new.json");
	args[n] = NULL;
	return run(args);
}

TEST_IMPL(cli_compare_verdicts)
{
	ASSERT_OK(setup());
	/* +30% over 10 reps: regression */
	ASSERT_OK(pair(1.30, 10, 5, 5));
	ASSERT_EQ(compare_pair(NULL), 1);
	ASSERT(strstr(out, "REGRESSION"));
	/* same distribution */
	ASSERT_OK(pair(1.00, 10, 5, 5));
	ASSERT_EQ(compare_pair(NULL), 0);
	ASSERT(strstr(out, "PASS"));
	/* slower by less than the threshold */
	ASSERT_OK(pair(1.06, 10, 5, 5));
	ASSERT_EQ(compare_pair(NULL), 0);
	/* ... which a 5% threshold catches */
	ASSERT_EQ(compare_pair("--threshold", "5%", NULL), 1);
	/* faster */
	ASSERT_OK(pair(0.70, 10, 5, 5));
	ASSERT_EQ(compare_pair(NULL), 0);
	ASSERT(strstr(out, "faster"));
	th_rmtree(dir);
	return 0;
}

TEST_IMPL(cli_compare_counter)
{
	ASSERT_OK(setup());
	ASSERT_OK(pair(1.0, 10, 100, 120));
	ASSERT_EQ(compare_pair("--counter=faults:5%", NULL), 1);
	ASSERT(strstr(out, "COUNTER REGRESSION"));
	ASSERT_EQ(compare_pair("--counter", "faults:50%", NULL), 0);
	ASSERT_EQ(compare_pair("--counter", "faults", NULL), 2);
	ASSERT(strstr(err, "NAME:LIMIT"));
	th_rmtree(dir);
	return 0;
}

TEST_IMPL(cli_compare_too_few_reps)
{
	ASSERT_OK(setup());
	ASSERT_OK(pair(1.50, 2, 5, 5));
	ASSERT_EQ(compare_pair(NULL), 0);
	ASSERT(strstr(out, "warning: too few repetitions (2 vs 2)"));
	ASSERT(strstr(out, "0.333"));
	th_rmtree(dir);
	return 0;
}

TEST_IMPL(cli_compare_bad_input)
{
	ASSERT_OK(setup());
	ASSERT_OK(pair(1.0, 5, 5, 5));
	struct synth_bench other[] = {{"zzz", 1000, 0.03, 5, 0}};
	ASSERT_OK(synth_write(path("other.json"), other, 1, 5, 1));
	ASSERT_OK(synth_text(path("empty.json"), ""));
	ASSERT_OK(synth_text(path("text.json"), "not json at all\n"));
	char j[300];
	snprintf(j, sizeof(j), "%s", path("cmp.json"));

	const char *nocommon[] = {"compare",	    "--json",		j,
				  path("old.json"), path("other.json"), NULL};
	ASSERT_EQ(run(nocommon), 2);
	ASSERT(strstr(err, "no benchmark in common"));
	const char *empty[] = {"compare",	 "--json",	     j,
			       path("old.json"), path("empty.json"), NULL};
	ASSERT_EQ(run(empty), 2);
	ASSERT(strstr(err, "empty file"));
	const char *text[] = {"compare",	 "--json",	   j,
			      path("text.json"), path("new.json"), NULL};
	ASSERT_EQ(run(text), 2);
	ASSERT(strstr(err, "text.json: invalid JSON at line 1, column 1"));
	const char *missing[] = {"compare", path("nope.json"), path("new.json"),
				 NULL};
	ASSERT_EQ(run(missing), 2);
	ASSERT(strstr(err, "nope.json"));
	/* nothing written on bad input */
	ASSERT(!th_exists(j));

	const char *one[] = {"compare", path("old.json"), NULL};
	ASSERT_EQ(run(one), 2);
	ASSERT_EQ(compare_pair("--frobnicate", NULL), 2);
	ASSERT_EQ(compare_pair("--threshold", "ten", NULL), 2);
	ASSERT_EQ(compare_pair("--alpha=1.5", NULL), 2);
	ASSERT_EQ(compare_pair("--normalize", "nope", NULL), 2);
	ASSERT(strstr(err, "--normalize nope"));
	const char *help[] = {"compare", "--help", NULL};
	ASSERT_EQ(run(help), 0);
	ASSERT(strstr(out, "exit status: 0 pass, 1 regression"));
	th_rmtree(dir);
	return 0;
}

TEST_IMPL(cli_compare_outputs)
{
	ASSERT_OK(setup());
	ASSERT_OK(pair(1.30, 10, 5, 5));
	ASSERT_EQ(compare_pair("--json", path("c.json"), "--markdown",
			       path("c.md"), "--normalize=ref", NULL),
		  1);
	ASSERT(strstr(out, "reference"));
	ASSERT(th_exists(path("c.json")));
	ASSERT(th_exists(path("c.md")));
	/* the JSON output is itself not a results file: compare says so */
	const char *again[] = {"compare", path("c.json"), path("new.json"),
			       NULL};
	ASSERT_EQ(run(again), 2);
	/* an output in a missing directory: exit 2, nothing left behind */
	ASSERT_EQ(compare_pair("--json", path("no/such/c.json"), NULL), 2);
	ASSERT(strstr(err, "--json"));
	ASSERT(strstr(err, "no/such"));
	/* ... found before comparing: no verdict printed */
	ASSERT_EQ(out[0], '\0');
	/* a bad --markdown (here a directory) fails before --json is
	 * written, and baseline check does the same */
	ASSERT_EQ(
	    compare_pair("--json", path("c2.json"), "--markdown", dir, NULL),
	    2);
	ASSERT(strstr(err, "--markdown"));
	ASSERT_EQ(out[0], '\0');
	ASSERT(!th_exists(path("c2.json")));
	const char *badcheck[] = {
	    "baseline",	      "check",		"--markdown", path("no/c.md"),
	    path("old.json"), path("new.json"), NULL};
	ASSERT_EQ(run(badcheck), 2);
	ASSERT(strstr(err, "mmbench baseline check: --markdown"));
	ASSERT_EQ(out[0], '\0');
	th_rmtree(dir);
	return 0;
}

TEST_IMPL(cli_baseline)
{
	ASSERT_OK(setup());
	ASSERT_OK(pair(1.30, 10, 5, 5));
	const char *base = path("base.json");
	const char *save[] = {"baseline", "save", path("old.json"), base, NULL};
	ASSERT_EQ(run(save), 0);
	ASSERT(th_exists(base));
	const char *same[] = {"baseline", "check", base, path("old.json"),
			      NULL};
	ASSERT_EQ(run(same), 0);
	const char *slow[] = {"baseline", "check",	    "--threshold", "10",
			      base,	  path("new.json"), NULL};
	ASSERT_EQ(run(slow), 1);

	/* saving garbage fails and leaves the baseline as it was */
	ASSERT_OK(synth_text(path("text.json"), "{\"benchmarks\": 3}"));
	const char *bad[] = {"baseline", "save", path("text.json"), base, NULL};
	ASSERT_EQ(run(bad), 2);
	ASSERT_EQ(run(same), 0);
	const char *nope[] = {"baseline", "frob", NULL};
	ASSERT_EQ(run(nope), 2);

	/* runs made with other options: compared, with a warning */
	ASSERT_OK(synth_text(
	    path("ctx1.json"),
	    "{\"context\": {\"ops\": 1000, \"workload\": \"random-4k\"}, "
	    "\"benchmarks\": [{\"name\": \"x\", \"real_time\": 5}]}"));
	ASSERT_OK(synth_text(
	    path("ctx2.json"),
	    "{\"context\": {\"ops\": 2000, \"workload\": \"random-4k\"}, "
	    "\"benchmarks\": [{\"name\": \"x\", \"real_time\": 5}]}"));
	const char *ctx[] = {"compare", path("ctx1.json"), path("ctx2.json"),
			     NULL};
	ASSERT_EQ(run(ctx), 0);
	ASSERT(strstr(out, "differ in context.ops (1000 vs 2000)"));
	ASSERT(!strstr(out, "context.workload"));

	/* too few repetitions to ever gate: saved, with a warning that
	 * names the count the gate needs (mmb_utest_min_reps at 0.05);
	 * path() reuses its buffers, so save[] no longer names old.json */
	const char *save2[] = {"baseline", "save", path("old.json"),
			       path("base.json"), NULL};
	ASSERT_OK(pair(1.0, 3, 5, 5));
	ASSERT_EQ(run(save2), 0);
	ASSERT(strstr(err, "as few as 3 repetitions; the gate needs at "
			   "least 4 (at alpha 0.05)"));
	ASSERT_OK(pair(1.0, 4, 5, 5));
	ASSERT_EQ(run(save2), 0);
	ASSERT(!strstr(err, "warning"));
	th_rmtree(dir);
	return 0;
}
