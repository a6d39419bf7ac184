/* SPDX-License-Identifier: MIT */
/* test_signals.c - leftovers (issue 20, item 9): SIGINT then SIGTERM
 * 20-50 ms apart leave no temp file of an output; a SIGKILLed run with
 * --memory-limit leaves its cgroup only until the next run, and none while
 * the test file is still being created. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "safety.h"
#include "test.h"
#include "testutil.h"

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The first name in dir that contains needle, into buf; false if none. */
static bool find_name(const char *dir, const char *needle, char *buf, size_t n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool found = false;

	if (!d)
		return false;
	while (!found && (de = readdir(d)))
		if (strstr(de->d_name, needle)) {
			snprintf(buf, n, "%s", de->d_name);
			found = true;
		}
	closedir(d);
	return found;
}

static pid_t spawn(const char *const *args)
{
	const char *argv[32];
	size_t n = 0;

	argv[n++] = sf_exe();
	while (*args && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	return th_spawn(argv, sf_in("out"), sf_in("err"), NULL, NULL);
}

TEST_IMPL(signal_storm_leaves_no_temp)
{
	char json[300], left[256];
	int leftovers = 0;

	ASSERT_OK(sf_setup());
	snprintf(json, sizeof(json), "%s", sf_in("out.json"));
	/* the test file first, so that every trial is in its run */
	ASSERT_EQ(
	    sf_run("run", "--size", "4M", "--ops", "100", "--reps", "1", NULL),
	    0);
	for (int t = 0; t < 16; t++) {
		const char *args[] = {"run",   "--size", "4M",	"--ops",
				      "20000", "--reps", "400", "--json",
				      json,    NULL};
		int in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
		ASSERT(in >= 0);
		ASSERT(inotify_add_watch(in, sf_dir, IN_CREATE) >= 0);
		pid_t pid = spawn(args);
		ASSERT(pid > 0);
		sleep_ms(400);
		/* what came before (the check that --json can be written) */
		for (char ev[4096]; read(in, ev, sizeof(ev)) > 0;)
			;
		kill(pid, SIGINT);
		/* 20..50 ms later, or the moment the JSON's temp file
		 * appears if that is sooner: the storm that hit the write */
		struct pollfd pf = {.fd = in, .events = POLLIN};
		for (int waited = 0, ms = t < 8 ? 20 + t * 30 / 7 : 5000;
		     waited < ms;) {
			char ev[4096];
			if (poll(&pf, 1, 1) > 0) {
				ssize_t n = read(in, ev, sizeof(ev));
				bool tmp = false;
				for (ssize_t o = 0; o < n;) {
					struct inotify_event *e =
					    (struct inotify_event *)(ev + o);
					tmp |= e->len &&
					       strstr(e->name, "out.json.tmp.");

					o += (ssize_t)sizeof(*e) + e->len;
				}
				if (tmp)
					break;
			} else {
				waited++;
			}
		}
		kill(pid, SIGTERM);
		close(in);
		int rc = th_wait(pid);
		fprintf(stderr, "trial %d: exit %d, %s\n", t, rc,
			th_exists(json) ? "JSON written" : "no JSON");
		if (find_name(sf_dir, "out.json.tmp.", left, sizeof(left))) {
			fprintf(stderr, "trial %d (exit %d): %s left\n", t, rc,
				left);
			leftovers++;
			unlink(sf_in(left));
		}
		unlink(json);
	}
	ASSERT_EQ(leftovers, 0);
	sf_cleanup();
	return 0;
}

/* The directory the runs' cgroups go into: cgroup v1's memory hierarchy
 * at this process's own memory cgroup. */
static int cgroup_parent(char *buf, size_t n)
{
	FILE *f = fopen("/proc/self/cgroup", "r");
	char line[1024];
	int rc = -1;

	if (!f)
		return -1;
	while (rc < 0 && fgets(line, sizeof(line), f)) {
		char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
		if (!b)
			continue;
		*b = 0;
		if (!strstr(a + 1, "memory"))
			continue;
		b[strcspn(b + 1, "\n") + 1] = 0;
		snprintf(buf, n, "/sys/fs/cgroup/memory%s",
			 strcmp(b + 1, "/") == 0 ? "" : b + 1);
		rc = 0;
	}
	fclose(f);
	return rc;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Wait up to ms for path to exist. */
static bool appears(const char *dir, const char *needle, char *buf, size_t n,
		    long ms)
{
	for (long waited = 0; waited < ms; waited += 10) {
		if (find_name(dir, needle, buf, n))
			return true;
		sleep_ms(10);
	}
	return false;
}

TEST_IMPL(stale_cgroup_swept)
{
	char parent[600], cg[700], name[64], tmp[256];

	if (geteuid() != 0)
		SKIP("--memory-limit needs root");
	if (access("/sys/fs/cgroup/memory/memory.limit_in_bytes", F_OK) != 0)
		SKIP("no cgroup v1 memory controller");
	if (cgroup_parent(parent, sizeof(parent)) < 0 || !is_dir(parent))
		SKIP("no memory cgroup for this process");
	ASSERT_OK(sf_setup());

	/* Killed while it creates the test file: no cgroup yet. */
	const char *make[] = {"run", "--size", "256M", "--memory-limit",
			      "64M", "--ops",  "100",  "--reps",
			      "1",   NULL};
	pid_t pid = spawn(make);
	ASSERT(pid > 0);
	snprintf(name, sizeof(name), "mmbench-%ld", (long)pid);
	snprintf(cg, sizeof(cg), "%s/%s", parent, name);
	bool creating =
	    appears(sf_dir, "mmbench-256M.dat.", tmp, sizeof(tmp), 5000);
	bool cg_early = is_dir(cg);
	kill(pid, SIGKILL);
	th_wait(pid);
	if (!creating)
		fprintf(stderr, "note: the test file was made too fast to "
				"catch its creation\n");
	if (cg_early)
		rmdir(cg);
	ASSERT(!cg_early);

	/* Killed inside its repetitions: the cgroup stays... */
	const char *longrun[] = {"run",	   "--size",	     "16M",   "-b",
				 "pread",  "--memory-limit", "64M",   "--ops",
				 "200000", "--reps",	     "10000", NULL};
	pid = spawn(longrun);
	ASSERT(pid > 0);
	snprintf(name, sizeof(name), "mmbench-%ld", (long)pid);
	snprintf(cg, sizeof(cg), "%s/%s", parent, name);
	bool made = appears(parent, name, tmp, sizeof(tmp), 20000);
	kill(pid, SIGKILL);
	th_wait(pid);
	ASSERT(made);
	ASSERT(is_dir(cg));
	/* ...until the next run with --memory-limit, which removes it: its
	 * process is gone */
	int rc = sf_run("run", "--size", "16M", "-b", "pread", "--memory-limit",
			"64M", "--ops", "100", "--reps", "1", NULL);
	bool stale = is_dir(cg);
	if (stale)
		rmdir(cg);
	ASSERT_EQ(rc, 0);
	ASSERT(!stale);
	sf_cleanup();
	return 0;
}

/* The report directory dir after a run: 0 absent, 1 complete (index.html
 * and the marker), -1 anything else (printed). */
static int report_state(const char *dir)
{
	char p[400];

	if (!th_exists(dir))
		return 0;
	snprintf(p, sizeof(p), "%s/index.html", dir);
	bool html = th_size(p) > 0;
	snprintf(p, sizeof(p), "%s/.mmbench-report", dir);
	if (html && th_exists(p))
		return 1;
	fprintf(stderr, "%s is there but not complete\n", dir);
	return -1;
}

/* ---- every command that writes a report, through its one stage ----
 *
 * Issue 20's leftovers, the report: one or two SIGINTs at any moment
 * while run, report, compare, sweep or experiment writes its report leave
 * either the complete DIR or nothing new, never DIR.tmp-XXXXXX or another
 * temp file; a previous report at DIR is kept whole or replaced whole.
 * The signals follow the report's directory after 0 to span_ms, so that
 * some trials hit the rendering, some gnuplot and some the rename. */

/* A command that writes a report at REP, and how to catch it at it. */
struct staged {
	const char *what;
	/* the arguments; "REP" stands for the report directory, "@NAME"
	 * for sf_dir/NAME */
	const char *args[24];
	/* two results files first, @a.json and @b.json */
	bool inputs;
	/* rep.tmp-* directories made before the report's own: 1 for the
	 * check of --report before the run, 0 when there is none */
	int checks;
	int trials;
	/* the signals come 0..span_ms after the report's directory appears,
	 * to hit the rendering, gnuplot and the rename */
	long span_ms;
	/* a file the complete report holds besides index.html, or NULL */
	const char *inside;
};

/* Waits for the nth name containing needle to be created in the
 * directory the inotify descriptor in watches; false after 20 s. */
static bool created(int in, const char *needle, int nth)
{
	struct pollfd pf = {.fd = in, .events = POLLIN};
	int seen = 0;

	for (int waited = 0; seen < nth && waited < 20000;) {
		char ev[4096];
		if (poll(&pf, 1, 1) <= 0) {
			waited++;
			continue;
		}
		ssize_t n = read(in, ev, sizeof(ev));
		for (ssize_t o = 0; o < n;) {
			struct inotify_event *e =
			    (struct inotify_event *)(ev + o);
			seen += e->len && strstr(e->name, needle);
			o += (ssize_t)sizeof(*e) + e->len;
		}
	}
	return seen >= nth;
}

/* c's trials, one or two SIGINTs each (every third trial one): after any
 * of them REP is complete or absent and no *.tmp* is left in sf_dir; a
 * previous report is kept whole or replaced whole; after one signal the
 * report under way is finished. The number of bad outcomes, printed. */
static int staged_trials(const struct staged *c)
{
	char rep[300], left[256], old[4096], now[4096], in_rep[400];
	const char *args[24];
	int bad = 0, whole = 0, none = 0;

	static char paths[24][300];

	snprintf(rep, sizeof(rep), "%s", sf_in("rep"));
	for (int i = 0; i < 24; i++) {
		args[i] = c->args[i];
		if (args[i] && strcmp(args[i], "REP") == 0)
			args[i] = rep;
		else if (args[i] && args[i][0] == '@') {
			snprintf(paths[i], sizeof(paths[i]), "%s",
				 sf_in(args[i] + 1));
			args[i] = paths[i];
		}
	}
	th_rmtree(rep);
	pid_t pid = spawn(args);
	if (pid < 0 || th_wait(pid) != 0 || report_state(rep) != 1) {
		fprintf(stderr, "%s: the first report failed: %s\n", c->what,
			sf_err());
		return 1;
	}
	th_slurp_into(th_path(rep, "index.html"), old, sizeof(old));
	for (int t = 0; t < c->trials; t++) {
		bool over = t % 2, once = t % 3 == 2;
		long ms = c->span_ms * t / (c->trials > 1 ? c->trials - 1 : 1);
		if (!over)
			th_rmtree(rep);
		int in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
		if (in < 0 || inotify_add_watch(in, sf_dir, IN_CREATE) < 0)
			return bad + 1;
		pid = spawn(args);
		if (pid < 0)
			return bad + 1;
		bool seen = created(in, "rep.tmp-", c->checks + 1);
		close(in);
		sleep_ms(ms);
		kill(pid, SIGINT);
		if (!once) {
			sleep_ms(2);
			kill(pid, SIGINT);
		}
		int rc = th_wait(pid);
		int st = report_state(rep);
		bool kept = false;
		if (over && st == 1) {
			th_slurp_into(th_path(rep, "index.html"), now,
				      sizeof(now));
			kept = strcmp(old, now) == 0;
		}
		if (st == 1 && c->inside) {
			snprintf(in_rep, sizeof(in_rep), "%s/%s", rep,
				 c->inside);
			if (!th_exists(in_rep)) {
				fprintf(stderr, "%s: no %s in the report\n",
					c->what, c->inside);
				st = -1;
			}
		}
		fprintf(stderr,
			"%s trial %d (%s, %s, %s+%ld ms): exit %d, %s\n",
			c->what, t, over ? "over a report" : "new",
			once ? "one SIGINT" : "two", seen ? "" : "NOT SEEN ",
			ms, rc,
			st == 0	  ? "no report"
			: kept	  ? "previous report kept"
			: st == 1 ? "complete report"
				  : "BROKEN report");
		bad +=
		    !seen || st < 0 || (over && st == 0) || (once && st != 1);
		whole += st == 1;
		none += st == 0;
		while (find_name(sf_dir, ".tmp", left, sizeof(left))) {
			fprintf(stderr, "%s trial %d (exit %d): %s left\n",
				c->what, t, rc, left);
			bad++;
			th_rmtree(sf_in(left));
		}
		if (st != 1) {
			/* the next trial over a report needs one */
			th_rmtree(rep);
			pid = spawn(args);
			if (pid < 0 || th_wait(pid) != 0)
				return bad + 1;
		}
		th_slurp_into(th_path(rep, "index.html"), old, sizeof(old));
	}
	fprintf(stderr, "%s: %d complete, %d without a report, %d bad\n",
		c->what, whole, none, bad);
	th_rmtree(rep);
	return bad;
}

/* Two small results files in sf_dir, a.json and b.json. */
static int two_results(void)
{
	if (sf_run("run", "--size", "1M", "--ops", "100", "--reps", "2",
		   "--json", sf_in("a.json"), NULL) != 0)
		return -1;
	return sf_run("run", "--size", "1M", "--ops", "100", "--reps", "2",
		      "--json", sf_in("b.json"), NULL);
}

enum { ST_RUN, ST_REPORT, ST_COMPARE, ST_SWEEP, ST_EXPERIMENT };

static const struct staged staged_cases[] = {
    /* the second rep.tmp-* is the report's (the first is the check
     * before the run) */
    [ST_RUN] = {.what = "run",
		.args = {"run", "--size", "1M", "--ops", "2000", "--reps", "2",
			 "--report", "REP", NULL},
		.checks = 1,
		.trials = 20,
		.span_ms = 630},
    [ST_REPORT] = {.what = "report",
		   .args = {"report", "-o", "REP", "@a.json", "@b.json", NULL},
		   .inputs = true,
		   .trials = 15,
		   .span_ms = 300},
    [ST_COMPARE] = {.what = "compare",
		    .args = {"compare", "@a.json", "@b.json", "--json",
			     "@cmp.json", "--markdown", "@cmp.md", "--report",
			     "REP", NULL},
		    .inputs = true,
		    .trials = 15,
		    .span_ms = 60},
    /* sweep.json goes into the report with it, or not at all */
    [ST_SWEEP] = {.what = "sweep",
		  .args = {"sweep", "--param", "threads=1", "--size", "1M",
			   "--ops", "100", "--reps", "1", "--csv", "@sweep.csv",
			   "--report", "REP", NULL},
		  .checks = 1,
		  .trials = 7,
		  .span_ms = 300,
		  .inside = "sweep.json"},
    [ST_EXPERIMENT] = {.what = "experiment access",
		       .args = {"experiment", "access", "--size", "1M", "--ops",
				"100", "--reps", "1", "--report", "REP", NULL},
		       .checks = 1,
		       .trials = 4,
		       .span_ms = 300},
};

static int staged_test(int k)
{
	ASSERT_OK(sf_setup());
	if (staged_cases[k].inputs)
		ASSERT_OK(two_results());
	ASSERT_EQ(staged_trials(&staged_cases[k]), 0);
	sf_cleanup();
	return 0;
}

TEST_IMPL(report_signals_leave_no_temp)
{
	return staged_test(ST_RUN);
}

TEST_IMPL(report_cmd_signals_leave_no_temp)
{
	return staged_test(ST_REPORT);
}

TEST_IMPL(compare_signals_leave_no_temp)
{
	return staged_test(ST_COMPARE);
}

TEST_IMPL(sweep_signals_leave_no_temp)
{
	return staged_test(ST_SWEEP);
}

TEST_IMPL(experiment_signals_leave_no_temp)
{
	return staged_test(ST_EXPERIMENT);
}

/* ---- the results files of commands that measure nothing ---- */

/* args run until the nth name containing needle is created in sf_dir
 * (the temp file of an output; compare's first is the check that --json
 * can be written), then get one SIGINT (once) or two; the exit status, or
 * -1 when the temp file was not seen within 20 s. */
static int signal_at(const char *const *args, const char *needle, int nth,
		     bool once)
{
	int in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);

	if (in < 0 || inotify_add_watch(in, sf_dir, IN_CREATE) < 0)
		return -1;
	pid_t pid = spawn(args);
	bool seen = pid > 0 && created(in, needle, nth);
	close(in);
	if (pid <= 0)
		return -1;
	kill(pid, SIGINT);
	if (!once) {
		sleep_ms(1);
		kill(pid, SIGINT);
	}
	int rc = th_wait(pid);
	return seen ? rc : -1;
}

/* Whether path is absent, or a whole copy of the file want. */
static bool absent_or_whole(const char *path, const char *want)
{
	size_t a, b;
	char *x, *y;
	bool same;

	if (!th_exists(path))
		return true;
	x = th_slurp(path, &a);
	y = th_slurp(want, &b);
	same = x && y && a == b && memcmp(x, y, a) == 0;
	free(x);
	free(y);
	return same;
}

/* One or two SIGINTs while baseline save copies an 8 MB results file, or
 * while compare writes its --json and --markdown: each output is whole
 * or absent, and no OUT.tmp.XXXXXX is left (on efe08de they had no
 * handler: one SIGINT left the temp file). */
TEST_IMPL(outputs_signals_leave_no_temp)
{
	char a[300], base[300], cj[300], md[300], ref[300], left[256];
	int bad = 0;

	ASSERT_OK(sf_setup());
	snprintf(a, sizeof(a), "%s", sf_in("a.json"));
	snprintf(base, sizeof(base), "%s", sf_in("base.json"));
	snprintf(cj, sizeof(cj), "%s", sf_in("cmp.json"));
	snprintf(md, sizeof(md), "%s", sf_in("cmp.md"));
	snprintf(ref, sizeof(ref), "%s", sf_in("ref.json"));
	ASSERT_OK(sf_write_many(a, 100));
	/* the bytes a whole comparison has */
	ASSERT_EQ(sf_run("compare", a, a, "--json", ref, NULL), 0);
	for (int t = 0; t < 4; t++) {
		bool once = t % 2;
		const char *save[] = {"baseline", "save", a, base, NULL};
		const char *cmp[] = {"compare",	   a,  a,   "--json", cj,
				     "--markdown", md, NULL};
		int rc1 = signal_at(save, "base.json.tmp.", 1, once);
		bool ok1 = absent_or_whole(base, a);
		int rc2 = signal_at(cmp, "cmp.json.tmp.", 2, once);
		bool ok2 = absent_or_whole(cj, ref);
		fprintf(stderr,
			"trial %d (%s): baseline save exit %d, %s; compare "
			"exit %d, %s\n",
			t, once ? "one SIGINT" : "two", rc1,
			!th_exists(base) ? "no file"
			: ok1		 ? "whole copy"
					 : "BROKEN",
			rc2,
			!th_exists(cj) ? "no JSON"
			: ok2	       ? "whole JSON"
				       : "BROKEN");
		bad += rc1 < 0 || rc2 < 0 || !ok1 || !ok2;
		while (find_name(sf_dir, ".tmp.", left, sizeof(left))) {
			fprintf(stderr, "trial %d: %s left\n", t, left);
			bad++;
			unlink(sf_in(left));
		}
		unlink(base);
		unlink(cj);
		unlink(md);
	}
	ASSERT_EQ(bad, 0);
	sf_cleanup();
	return 0;
}
