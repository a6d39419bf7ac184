/* SPDX-License-Identifier: MIT */
/* test_signals.c - leftovers (issue 20, item 9): SIGINT then SIGTERM
 * 20-50 ms apart leave no temp file of an output; a SIGKILLed run with
 * --memory-limit leaves its cgroup only until the next run, and none while
 * the test file is still being created. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
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

/* Issue 20's leftovers, the report: SIGINT twice at any moment while
 * `run --report DIR` writes the report leaves either the complete DIR or
 * nothing new, never DIR.tmp-XXXXXX; a previous report at DIR is either
 * kept whole or replaced whole. The second directory named rep.tmp-* that
 * appears is the report's (the first is the check before the run); the
 * signals follow it after 0 to 700 ms, so that some trials hit gnuplot
 * and some the rename. */
TEST_IMPL(report_signals_leave_no_temp)
{
	char rep[300], left[256], old[4096], now[4096];
	int bad = 0, whole = 0, none = 0;

	ASSERT_OK(sf_setup());
	snprintf(rep, sizeof(rep), "%s", sf_in("rep"));
	ASSERT_EQ(sf_run("run", "--size", "1M", "--ops", "100", "--reps", "1",
			 "--report", rep, NULL),
		  0);
	th_slurp_into(th_path(rep, "index.html"), old, sizeof(old));
	for (int t = 0; t < 20; t++) {
		/* odd trials: over the previous report; even: a new one */
		bool over = t % 2;
		if (!over)
			th_rmtree(rep);
		const char *args[] = {"run",  "--size", "1M", "--ops",
				      "2000", "--reps", "2",  "--report",
				      rep,    NULL};
		int in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
		ASSERT(in >= 0);
		ASSERT(inotify_add_watch(in, sf_dir, IN_CREATE) >= 0);
		pid_t pid = spawn(args);
		ASSERT(pid > 0);
		struct pollfd pf = {.fd = in, .events = POLLIN};
		int seen = 0;
		for (int waited = 0; seen < 2 && waited < 20000;) {
			char ev[4096];
			if (poll(&pf, 1, 1) <= 0) {
				waited++;
				continue;
			}
			ssize_t n = read(in, ev, sizeof(ev));
			for (ssize_t o = 0; o < n;) {
				struct inotify_event *e =
				    (struct inotify_event *)(ev + o);
				seen += e->len && strstr(e->name, "rep.tmp-");
				o += (ssize_t)sizeof(*e) + e->len;
			}
		}
		close(in);
		sleep_ms(t / 2 * 70);
		kill(pid, SIGINT);
		sleep_ms(2);
		kill(pid, SIGINT);
		int rc = th_wait(pid);
		int st = report_state(rep);
		bool kept = false;
		if (over && st == 1) {
			th_slurp_into(th_path(rep, "index.html"), now,
				      sizeof(now));
			kept = strcmp(old, now) == 0;
		}
		fprintf(stderr, "trial %d (%s, seen %d, +%d ms): exit %d, %s\n",
			t, over ? "over a report" : "new", seen, t / 2 * 70, rc,
			st == 0	  ? "no report"
			: kept	  ? "previous report kept"
			: st == 1 ? "complete report"
				  : "BROKEN report");
		bad += st < 0 || (over && st == 0);
		whole += st == 1;
		none += st == 0;
		while (find_name(sf_dir, "rep.tmp-", left, sizeof(left))) {
			fprintf(stderr, "trial %d (exit %d): %s left\n", t, rc,
				left);
			bad++;
			th_rmtree(sf_in(left));
		}
		if (st != 1) {
			/* the next trial over a report needs one */
			th_rmtree(rep);
			ASSERT_EQ(sf_run("run", "--size", "1M", "--ops", "100",
					 "--reps", "1", "--report", rep, NULL),
				  0);
		}
		th_slurp_into(th_path(rep, "index.html"), old, sizeof(old));
	}
	fprintf(stderr, "%d complete, %d without a report, %d bad\n", whole,
		none, bad);
	ASSERT_EQ(bad, 0);
	sf_cleanup();
	return 0;
}
