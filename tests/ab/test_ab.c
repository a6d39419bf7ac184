/* SPDX-License-Identifier: MIT */
/* test_ab.c - `mmbench ab` as a CI job sees it: exit codes, early stop,
 * the summary, and one-line errors for bad input, with fake builds
 * (fake-build.sh: Google Benchmark JSON with a known change, 0.5 % drift
 * a round and uniform noise). */
#include <stdarg.h>
#include <stdbool.h>

#include "test.h"
#include "testutil.h"

static char out[16384];
static char tmpdir[64];

/* Run mmbench ab ARGS with stdout and stderr into out. Exit code, or
 * 128+signal. */
static int ab(const char *const *args)
{
	const char *argv[64] = {MMBENCH_EXE, "ab"};
	const char *path = th_path(tmpdir, "out.txt");
	size_t n = 2;

	for (; *args && n < 63; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	int rc = th_run(argv, path, path, NULL, 0);
	th_slurp_into(path, out, sizeof(out));
	fprintf(stderr, "%s", out);
	return rc;
}

static void cleanup(void)
{
	th_rmtree(tmpdir);
}

/* One temp dir a process, removed at exit. */
static int setup(void)
{
	if (tmpdir[0])
		return 0;
	if (th_mkdtemp(tmpdir, sizeof(tmpdir), "test-ab") < 0)
		return -1;
	atexit(cleanup);
	return 0;
}

/* "sh FAKE {out} STATE SIDE EFFECT NOISE": one state file for both
 * sides, so the fake machine drifts with the rounds of both. */
static const char *cmd(char *buf, size_t n, const char *side,
		       const char *effect, const char *noise)
{
	snprintf(buf, n, "sh %s {out} %s/state %s %s %s", FAKE_BUILD, tmpdir,
		 side, effect, noise);
	return buf;
}

/* mmbench ab of the fake builds: the old one ("a") unchanged, the new one
 * ("b") changed by effect (a fraction, or "fail"), both with 1 % noise;
 * then the NULL-terminated further args. As ab(). */
static int ab_fake(const char *effect, ...)
{
	char o[1024], n[1024];
	const char *args[32] = {
	    "--old-cmd", cmd(o, sizeof(o), "a", "0", "0.01"), "--new-cmd",
	    cmd(n, sizeof(n), "b", effect, "0.01")};
	size_t k = 4;
	va_list ap;

	va_start(ap, effect);
	for (const char *a; k < 31 && (a = va_arg(ap, const char *));)
		args[k++] = a;
	va_end(ap);
	args[k] = NULL;
	return ab(args);
}

static unsigned pairs_of(const char *s)
{
	const char *p = strstr(s, " pairs (ABBA)");
	while (p && p > s && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return p ? (unsigned)atoi(p) : 0;
}

TEST_IMPL(ab_same_stops_early)
{
	ASSERT_OK(setup());
	ASSERT_EQ(ab_fake("0", "--max-pairs", "64", NULL), 0);
	ASSERT(strstr(out, "same"));
	ASSERT(strstr(out, "stopped early"));
	unsigned p = pairs_of(out);
	ASSERT(p >= 8 && p < 64);
	return 0;
}

TEST_IMPL(ab_regression_exit_1)
{
	ASSERT_OK(setup());
	ASSERT_EQ(ab_fake("0.10", NULL), 1);
	ASSERT(strstr(out, "regression"));
	ASSERT(strstr(out, "REGRESSION"));
	ASSERT(strstr(out, "+10."));
	/* a 10 % change with 1 % noise is clear at the first look */
	ASSERT_EQ(pairs_of(out), 10);
	return 0;
}

TEST_IMPL(ab_faster_exit_0)
{
	ASSERT_OK(setup());
	ASSERT_EQ(ab_fake("-0.10", NULL), 0);
	ASSERT(strstr(out, "faster"));
	return 0;
}

TEST_IMPL(ab_markdown)
{
	char md[700], buf[4096];
	ASSERT_OK(setup());
	snprintf(md, sizeof(md), "%s/summary.md", tmpdir);
	ASSERT_EQ(ab_fake("0.10", "--markdown", md, NULL), 1);
	ASSERT(th_exists(md));
	th_slurp_into(md, buf, sizeof(buf));
	ASSERT(strstr(buf, "| benchmark |"));
	ASSERT(strstr(buf, "| `bm` |"));
	ASSERT(strstr(buf, "| regression |"));
	return 0;
}

TEST_IMPL(ab_missing_binary)
{
	ASSERT_OK(setup());
	const char *args[] = {"--old", "/nonexistent/mmbench", "--new",
			      MMBENCH_EXE, NULL};
	ASSERT_EQ(ab(args), 2);
	ASSERT(strstr(out, "--old /nonexistent/mmbench: not an executable"));
	ASSERT(strchr(out, '\n') == out + strlen(out) - 1);
	return 0;
}

TEST_IMPL(ab_build_fails)
{
	char o[1024];
	ASSERT_OK(setup());
	ASSERT_EQ(ab_fake("fail", NULL), 2);
	ASSERT(strstr(out, "the new build exited with 3"));
	/* and a command that writes no JSON at all */
	const char *args2[] = {"--old-cmd", cmd(o, sizeof(o), "a", "0", "0.01"),
			       "--new-cmd", "true {out}", NULL};
	ASSERT_EQ(ab(args2), 2);
	ASSERT(strstr(out, "new.json"));
	return 0;
}

TEST_IMPL(ab_benchmark_missing)
{
	ASSERT_OK(setup());
	ASSERT_EQ(ab_fake("0", "--benchmark", "nope", NULL), 2);
	ASSERT(strstr(out, "benchmark 'nope' is not in both"));
	return 0;
}

TEST_IMPL(ab_bad_usage)
{
	ASSERT_OK(setup());
	const char *a1[] = {"--old-cmd", "true", "--new-cmd", "true {out}",
			    NULL};
	ASSERT_EQ(ab(a1), 2);
	ASSERT(strstr(out, "--old-cmd has no {out}"));
	const char *a2[] = {"--new", MMBENCH_EXE, NULL};
	ASSERT_EQ(ab(a2), 2);
	ASSERT(strstr(out, "exactly one of --old and --old-cmd"));
	const char *a3[] = {"--old",	   MMBENCH_EXE, "--new", MMBENCH_EXE,
			    "--threshold", "5",		NULL};
	ASSERT_EQ(ab(a3), 2);
	ASSERT(strstr(out, "--threshold '5'"));
	const char *a4[] = {"--old",  MMBENCH_EXE, "--new", MMBENCH_EXE,
			    "--json", "x.json",	   NULL};
	ASSERT_EQ(ab(a4), 2);
	ASSERT(strstr(out, "--json is ab's own"));
	const char *a5[] = {"--old",	   MMBENCH_EXE,	  "--new",
			    MMBENCH_EXE,   "--min-pairs", "40",
			    "--max-pairs", "20",	  NULL};
	ASSERT_EQ(ab(a5), 2);
	return 0;
}

TEST_IMPL(ab_counter_gate)
{
	char o[1024], n[1024];
	ASSERT_OK(setup());
	snprintf(o, sizeof(o), "sh %s {out} %s/state a 0 0.01 bm 100",
		 FAKE_BUILD, tmpdir);
	snprintf(n, sizeof(n), "sh %s {out} %s/state b 0 0.01 bm 110",
		 FAKE_BUILD, tmpdir);
	/* same times, 10 % more faults: a counter regression at 5 % */
	const char *a1[] = {"--old-cmd", o,	      "--new-cmd", n,
			    "--counter", "faults:5%", NULL};
	ASSERT_EQ(ab(a1), 1);
	ASSERT(strstr(out, "counter faults: old 100, new 110: REGRESSION"));
	ASSERT(strstr(out, "REGRESSION (a counter grew)"));
	/* within an absolute limit of 20: passes */
	const char *a2[] = {"--old-cmd", o,	      "--new-cmd", n,
			    "--counter", "faults:20", NULL};
	ASSERT_EQ(ab(a2), 0);
	ASSERT(strstr(out, "counter faults: old 100, new 110: ok"));
	/* a counter no benchmark has: bad input */
	const char *a3[] = {"--old-cmd", o,	    "--new-cmd", n,
			    "--counter", "nope:0%", NULL};
	ASSERT_EQ(ab(a3), 2);
	ASSERT(strstr(out, "--counter nope: no benchmark of both builds"));
	return 0;
}
