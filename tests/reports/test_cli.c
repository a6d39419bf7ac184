/* SPDX-License-Identifier: MIT */
/* test_cli.c - `mmbench report` end to end: exit codes and messages on
 * bad input, and a report of a real short `mmbench run`. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "mmbench/report.h"
#include "test.h"

#define DATA MMB_REPORTS_DATA

#ifdef MMB_MMBENCH
static const char *const mmbench = MMB_MMBENCH;
#else
static const char *const mmbench = NULL;
#endif

#define NEED_MMBENCH()                                                       \
	do {                                                                 \
		if (!mmbench) {                                              \
			fprintf(stderr, "the mmbench target is not part of " \
					"this build\n");                     \
			return 1;                                            \
		}                                                            \
	} while (0)

/* Run mmbench with argv, MMBENCH_DATA_DIR=dir; print its stderr on
 * failure. */
static int run_mmbench(const char *const argv[], const char *dir,
		       const char *errf, int timeout_s)
{
	int rc;

	setenv("MMBENCH_DATA_DIR", dir, 1);
	rc = th_run(argv, NULL, errf, NULL, timeout_s);
	unsetenv("MMBENCH_DATA_DIR");
	if (rc != 0) {
		char *e = th_slurp(errf, NULL);

		fprintf(stderr, "mmbench %s: exit %d: %s\n", argv[1], rc,
			e ? e : "");
		free(e);
	}
	return rc;
}

TEST_IMPL(report_cli_bad_inputs)
{
	static const char *const bad[][2] = {
	    {"empty.json", ""},
	    {"notjson.json", "<html>not json</html>"},
	    {"nobench.json", "{\"context\": {}}"},
	};
	char *dir, out[512], p[1024], errf[1024], empty[512];

	NEED_MMBENCH();
	dir = th_tmpdir("reports");
	ASSERT(dir);
	snprintf(out, sizeof(out), "%s/rep", dir);
	snprintf(errf, sizeof(errf), "%s/stderr.txt", dir);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		const char *argv[] = {mmbench, "report", p, "-o", out, NULL};

		snprintf(p, sizeof(p), "%s/%s", dir, bad[i][0]);
		ASSERT_OK(th_write(p, bad[i][1], strlen(bad[i][1])));
		ASSERT_EQ(th_run(argv, NULL, errf, NULL, 60), 2);
		ASSERT(th_contains(errf, p));
		ASSERT(!th_exists(out));
		ASSERT(!th_has_entry_prefix(dir, "rep.tmp-"));
	}
	/* Truncated: the first half of a good file. */
	{
		size_t len;
		char *s = th_slurp(DATA "/basic.json", &len);
		const char *argv[] = {mmbench, "report", p, "-o", out, NULL};

		ASSERT(s);
		snprintf(p, sizeof(p), "%s/truncated.json", dir);
		ASSERT_OK(th_write(p, s, len / 3));
		free(s);
		ASSERT_EQ(th_run(argv, NULL, errf, NULL, 60), 2);
		ASSERT(th_contains(errf, "truncated"));
		ASSERT(!th_exists(out));
	}
	/* Usage errors are exit 2 as well. */
	{
		const char *argv[] = {mmbench, "report", DATA "/basic.json",
				      NULL};
		const char *argv2[] = {mmbench, "report", "-o", out, NULL};

		ASSERT_EQ(th_run(argv, NULL, errf, NULL, 60), 2);
		ASSERT_EQ(th_run(argv2, NULL, errf, NULL, 60), 2);
		ASSERT(!th_exists(out));
	}
	/* No gnuplot in PATH: a message that names the package. */
	{
		const char *argv[] = {mmbench, "report", DATA "/basic.json",
				      "-o",    out,	 NULL};
		int rc;

		snprintf(empty, sizeof(empty), "%s/empty-bin", dir);
		ASSERT_OK(mkdir(empty, 0755));
		rc = th_run(argv, NULL, errf, empty, 60);
		ASSERT(rc != 0 && rc != 127);
		ASSERT(th_contains(errf, "gnuplot-nox"));
		ASSERT(!th_exists(out));
	}
	/* And the good file works through the CLI. */
	{
		const char *argv[] = {mmbench, "report", DATA "/basic.json",
				      "-o",    out,	 NULL};

		ASSERT_EQ(th_run(argv, NULL, errf, NULL, 60), 0);
		snprintf(p, sizeof(p), "%s/index.html", out);
		ASSERT(th_contains(p, "410,000"));
	}
	th_tmpdir_free(dir);
	return 0;
}

TEST_IMPL(report_cli_real_run)
{
	NEED_GNUPLOT();
	char *dir, json[512], out[512], p[1024], errf[1024], num[64];
	struct mmb_report_results r;
	char err[512];
	size_t ran = 0;

	NEED_MMBENCH();
	dir = th_tmpdir("reports");
	ASSERT(dir);
	snprintf(json, sizeof(json), "%s/run.json", dir);
	snprintf(out, sizeof(out), "%s/rep", dir);
	snprintf(errf, sizeof(errf), "%s/stderr.txt", dir);
	{
		const char *argv[] = {mmbench,	"run",	"--size", "16M",
				      "--ops",	"2000", "--reps", "2",
				      "--json", json,	NULL};

		/* The test file goes into the test's directory. */
		ASSERT_EQ(run_mmbench(argv, dir, errf, 240), 0);
	}
	{
		const char *argv[] = {mmbench, "report", json, "-o", out, NULL};

		ASSERT_EQ(run_mmbench(argv, dir, errf, 120), 0);
	}
	snprintf(p, sizeof(p), "%s/plots/throughput.png", out);
	ASSERT(th_is_png(p, 5000));
	snprintf(p, sizeof(p), "%s/plots/throughput.svg", out);
	ASSERT(th_is_svg(p, 5000));
	snprintf(p, sizeof(p), "%s/plots/faults.png", out);
	ASSERT(th_is_png(p, 5000));
	snprintf(p, sizeof(p), "%s/plots/latency.png", out);
	ASSERT(th_is_png(p, 5000));
	snprintf(p, sizeof(p), "%s/plots/latency-dist.svg", out);
	ASSERT(th_is_svg(p, 5000));

	/* Every backend that ran has its median ops/s in the page, and
	 * every skipped one its reason. */
	ASSERT_OK(th_report_load(json, &r, err, sizeof(err)));
	snprintf(p, sizeof(p), "%s/index.html", out);
	for (size_t i = 0; i < r.nb; i++) {
		if (r.b[i].skipped) {
			ASSERT(th_contains(p, r.b[i].name));
			continue;
		}
		ASSERT(isfinite(r.b[i].ops_per_s) && r.b[i].ops_per_s > 0);
		ASSERT_EQ(r.b[i].nreps, 2);
		th_fmt_int(r.b[i].ops_per_s, num, sizeof(num));
		ASSERT(th_contains(p, num));
		ran++;
	}
	ASSERT(ran >= 2);
	mmb_report_results_free(&r);
	th_tmpdir_free(dir);
	return 0;
}

/* Lines of a data file that hold a sample (gnuplot data lines start with
 * the blank before the first number). */
static size_t data_lines(const char *path)
{
	char *s = th_slurp(path, NULL);
	size_t n = 0;

	for (char *l = s; l && *l;) {
		n += *l == ' ';
		l = strchr(l, '\n');
		l = l ? l + 1 : NULL;
	}
	free(s);
	return n;
}

/* The files of a real `mmbench run --interval` and `mmbench sweep`. */
TEST_IMPL(report_cli_timeseries_sweep)
{
	NEED_GNUPLOT();
	char *dir, ts[512], sw[512], out[512], p[1024], errf[1024], lbl[300];
	struct mmb_report_results r;
	char err[512];
	size_t samples = 0, ran = 0, lines = 0;

	NEED_MMBENCH();
	dir = th_tmpdir("reports");
	ASSERT(dir);
	snprintf(ts, sizeof(ts), "%s/ts.json", dir);
	snprintf(sw, sizeof(sw), "%s/sweep.json", dir);
	snprintf(errf, sizeof(errf), "%s/stderr.txt", dir);
	{
		const char *argv[] = {mmbench,	    "run",    "--size", "16M",
				      "--ops",	    "400000", "--reps", "1",
				      "--interval", "10",     "--json", ts,
				      NULL};

		ASSERT_EQ(run_mmbench(argv, dir, errf, 240), 0);
	}
	{
		const char *argv[] = {
		    mmbench,  "sweep", "--param", "threads=1,2", "--size",
		    "16M",    "--ops", "2000",	  "--reps",	 "1",
		    "--json", sw,      NULL};

		ASSERT_EQ(run_mmbench(argv, dir, errf, 240), 0);
	}

	/* Time series: one line per backend, every sample in the data. */
	snprintf(out, sizeof(out), "%s/rep-ts", dir);
	{
		const char *argv[] = {mmbench, "report", ts, "-o", out, NULL};

		ASSERT_EQ(run_mmbench(argv, dir, errf, 120), 0);
	}
	ASSERT_OK(th_report_load(ts, &r, err, sizeof(err)));
	for (size_t i = 0; i < r.nb; i++) {
		if (r.b[i].skipped)
			continue;
		ASSERT(r.b[i].has_io);
		ran++;
		/* A backend done within one interval (10 ms) has no
		 * sample, and no line. */
		if (r.b[i].nts == 0)
			continue;
		ASSERT_EQ(r.b[i].ts_rep, 0);
		samples += r.b[i].nts;
		lines++;
		snprintf(p, sizeof(p), "%s/plots/timeseries.gp", out);
		snprintf(lbl, sizeof(lbl), "title '%s'", r.b[i].name);
		ASSERT(th_contains(p, lbl));
	}
	mmb_report_results_free(&r);
	ASSERT(ran >= 2);
	/* 400000 ops take pread about 0.4 s and mmap about 0.1 s here
	 * (20000 left mmap inside the first interval): both have lines. */
	ASSERT(lines >= 2);
	snprintf(p, sizeof(p), "%s/plots/timeseries.png", out);
	ASSERT(th_is_png(p, 5000));
	snprintf(p, sizeof(p), "%s/plots/timeseries.svg", out);
	ASSERT(th_is_svg(p, 5000));
	snprintf(p, sizeof(p), "%s/plots/timeseries.dat", out);
	ASSERT_EQ(data_lines(p), samples);
	snprintf(p, sizeof(p), "%s/index.html", out);
	ASSERT(th_contains(p, "<h3>Device I/O</h3>"));
	ASSERT(th_contains(p, "src=\"plots/timeseries.png\""));

	/* Sweep file: each backend at each thread count, its own row. */
	snprintf(out, sizeof(out), "%s/rep-sweep", dir);
	{
		const char *argv[] = {mmbench, "report", sw, "-o", out, NULL};

		ASSERT_EQ(run_mmbench(argv, dir, errf, 120), 0);
	}
	snprintf(p, sizeof(p), "%s/plots/sweep.png", out);
	ASSERT(th_is_png(p, 5000));
	snprintf(p, sizeof(p), "%s/plots/sweep.svg", out);
	ASSERT(th_is_svg(p, 5000));
	ASSERT_OK(th_report_load(sw, &r, err, sizeof(err)));
	ran = 0;
	snprintf(p, sizeof(p), "%s/index.html", out);
	ASSERT(th_contains(p, "Sweep over <code>threads</code>"));
	for (size_t i = 0; i < r.nb; i++) {
		if (r.b[i].skipped)
			continue;
		ASSERT(r.b[i].sweep_value == 1 || r.b[i].sweep_value == 2);
		ASSERT_EQ(r.b[i].nreps, 1);
		snprintf(lbl, sizeof(lbl), "<td>%s threads=%.0f</td>",
			 r.b[i].name, r.b[i].sweep_value);
		ASSERT(th_contains(p, lbl));
		ran++;
	}
	mmb_report_results_free(&r);
	/* Two points of at least two backends, none merged. */
	ASSERT(ran >= 4 && ran % 2 == 0);
	snprintf(p, sizeof(p), "%s/plots/sweep.dat", out);
	ASSERT_EQ(data_lines(p), ran);
	th_tmpdir_free(dir);
	return 0;
}

/* `mmbench run --profile --report DIR` (no --json: the report reads a
 * temporary results file): the page shows the breakdown, the verdict's
 * where-the-time-went, the kernel events and a flame graph per backend,
 * from the results alone. Profiling with kernel frames needs root. */
TEST_IMPL(report_cli_profile_run)
{
	NEED_GNUPLOT();
	char *dir, out[512], p[1024], errf[1024], *html;

	NEED_MMBENCH();
	if (geteuid() != 0)
		SKIP("--profile with kernel call chains needs root");
	dir = th_tmpdir("reports");
	ASSERT(dir);
	snprintf(out, sizeof(out), "%s/rep", dir);
	snprintf(errf, sizeof(errf), "%s/stderr.txt", dir);
	{
		const char *argv[] = {
		    mmbench,	 "run",	     "-b",    "pread,mmap", "--size",
		    "16M",	 "--ops",    "20000", "--reps",	    "1",
		    "--profile", "--report", out,     NULL};

		ASSERT_EQ(run_mmbench(argv, dir, errf, 240), 0);
	}
	snprintf(p, sizeof(p), "%s/index.html", out);
	html = th_slurp(p, NULL);
	ASSERT(html);
	ASSERT(strstr(html, "<h3>Where the time went</h3>"));
	ASSERT(strstr(html, "<p class=\"why\">pread spends "));
	ASSERT(strstr(html, "<svg class=\"breakdown\""));
	ASSERT(strstr(html, "<g><title>pread: kernel_copy "));
	ASSERT(strstr(html, "<g><title>mmap: user_copy "));
	ASSERT(strstr(html, "<th colspan=\"2\">pread: top functions</th>"));
	ASSERT(strstr(html, "<h3>Kernel events</h3>"));
	/* counted, and profiled, in the evidence repetition, whose cost is
	 * said (docs/results.md "kernel_events_source") */
	ASSERT(strstr(html, "Counted pread: in an extra repetition after the "
			    "measured ones, which ran at "));
	ASSERT(strstr(html, "; mmap: in an extra repetition"));
	ASSERT(strstr(html, ">pread: on-CPU samples ("));
	ASSERT(strstr(html, ">mmap: on-CPU samples ("));
	ASSERT(!strstr(html, "No flame graph"));
	free(html);
	th_tmpdir_free(dir);
	return 0;
}

/* --no-kernel-events: one sentence saying why, not a table of
 * "unavailable" cells. */
TEST_IMPL(report_cli_no_kernel_events)
{
	NEED_GNUPLOT();
	char *dir, out[512], p[1024], errf[1024];

	NEED_MMBENCH();
	dir = th_tmpdir("reports");
	ASSERT(dir);
	snprintf(out, sizeof(out), "%s/rep", dir);
	snprintf(errf, sizeof(errf), "%s/stderr.txt", dir);
	{
		const char *argv[] = {mmbench,
				      "run",
				      "-b",
				      "pread,mmap",
				      "--size",
				      "16M",
				      "--ops",
				      "2000",
				      "--reps",
				      "1",
				      "--no-kernel-events",
				      "--report",
				      out,
				      NULL};

		ASSERT_EQ(run_mmbench(argv, dir, errf, 240), 0);
	}
	snprintf(p, sizeof(p), "%s/index.html", out);
	ASSERT(th_contains(p, "<h3>Kernel events</h3>\n<p class=\"sub\">None: "
			      "not counted (kernel events off).</p>"));
	ASSERT(!th_contains(p, "<table class=\"num kev\""));
	ASSERT(!th_contains(p, "unavailable: "));
	th_tmpdir_free(dir);
	return 0;
}

/* The backends' own metrics (.metrics: bufferpool's pool_*, mmap-window's
 * remaps) reach the page, each row with its backend and unit, and a
 * backend without any has no row. */
TEST_IMPL(report_cli_backend_metrics)
{
	NEED_GNUPLOT();
	char *dir, json[512], out[512], p[1024], errf[1024], err[512];
	struct mmb_report_results r;
	char *page, *table, *end;

	NEED_MMBENCH();
	dir = th_tmpdir("reports");
	ASSERT(dir);
	snprintf(json, sizeof(json), "%s/run.json", dir);
	snprintf(out, sizeof(out), "%s/rep", dir);
	snprintf(errf, sizeof(errf), "%s/stderr.txt", dir);
	{
		const char *argv[] = {
		    mmbench,	"run", "-b",	 "pread,bufferpool,mmap-window",
		    "--size",	"16M", "--ops",	 "2000",
		    "--reps",	"1",   "--json", json,
		    "--report", out,   NULL};

		ASSERT_EQ(run_mmbench(argv, dir, errf, 240), 0);
	}
	ASSERT_OK(th_report_load(json, &r, err, sizeof(err)));
	for (size_t i = 0; i < r.nb; i++)
		if (r.b[i].skipped) {
			fprintf(stderr, "%s skipped here: %s\n", r.b[i].name,
				r.b[i].reason);
			mmb_report_results_free(&r);
			th_tmpdir_free(dir);
			return 77;
		}
	mmb_report_results_free(&r);
	snprintf(p, sizeof(p), "%s/index.html", out);
	page = th_slurp(p, NULL);
	ASSERT(page);
	table = strstr(page, "<h3>The backends' own metrics</h3>");
	ASSERT(table);
	end = strstr(table, "</table>");
	ASSERT(end);
	*end = '\0';
	ASSERT(strstr(table, "<tr><td>bufferpool</td><td class=\"text\">"
			     "<code>pool_hit_ratio</code></td><td "
			     "class=\"text\">%</td>"));
	ASSERT(strstr(table, "<code>pool_misses</code></td><td "
			     "class=\"text\">accesses</td>"));
	ASSERT(strstr(table, "<tr><td>mmap-window</td><td class=\"text\">"
			     "<code>remaps</code></td>"));
	ASSERT(!strstr(table, "<tr><td>pread</td>"));
	free(page);
	th_tmpdir_free(dir);
	return 0;
}
