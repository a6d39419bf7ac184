/* SPDX-License-Identifier: MIT */
/* test_pressure.c - memory cgroup, time series, sweeps and Ctrl-C.
 *
 * The CLI is run as a child (MMBENCH_EXE) on small files in a mkdtemp
 * directory (MMBENCH_DATA_DIR), removed afterwards. Counts, never times. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mmbench/results.h"

#include "mmb/error.h"
#include "mmbench/pressure.h"
#include "test.h"
#include "testutil.h"

static char tmpdir[64];

static int setup(void)
{
	if (th_mkdtemp(tmpdir, sizeof(tmpdir), "pressure") < 0)
		return -1;
	setenv("MMBENCH_DATA_DIR", tmpdir, 1);
	return 0;
}

/* Remove tmpdir and the files in it; returns how many files there were
 * besides `keep` (NULL: count all), the test file and run()'s .err. */
static int cleanup(const char *keep)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	int others = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (!keep || strcmp(e->d_name, keep) != 0)
			if (strncmp(e->d_name, "mmbench-", 8) != 0 ||
			    !strstr(e->d_name, ".dat") ||
			    strchr(e->d_name, '.') != strrchr(e->d_name, '.'))
				others++;
	}
	closedir(d);
	th_rmtree(tmpdir);
	return others;
}

/* Run mmbench with args (NULL-terminated) after setup(); stderr to errbuf
 * (through tmpdir/.err). Returns the exit code or 128+signal; *pid gets
 * the child (for sigint, kill_after_ms > 0 sends SIGINT then). */
static int run(char *const *args, int kill_after_ms, pid_t *pid, char *errbuf,
	       size_t errlen)
{
	const char *argv[64] = {MMBENCH_EXE};
	const char *errf = th_path(tmpdir, ".err");
	size_t n = 1;

	for (; *args && n < 63; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	pid_t p = th_spawn(argv, NULL, errf, NULL, NULL);
	if (p < 0)
		return -1;
	if (pid)
		*pid = p;
	if (kill_after_ms > 0) {
		nanosleep(&(struct timespec){kill_after_ms / 1000,
					     (kill_after_ms % 1000) * 1000000L},
			  NULL);
		kill(p, SIGINT);
	}
	int rc = th_wait(p);
	th_slurp_into(errf, errbuf, errlen);
	return rc;
}

/* The results file through the results loader, or NULL. */
static struct mmb_results *load(const char *path)
{
	struct mmb_results *r;
	return mmb_results_load(path, &r) == 0 ? r : NULL;
}

/* mmbench args is refused as bad input: exit 2 and one line of stderr
 * that contains want. 0, or 1 with what it did instead. */
static int refused(char *const *args, const char *want)
{
	char err[4096];
	int rc = run(args, 0, NULL, err, sizeof(err));
	size_t len = strlen(err);

	if (rc == 2 && strstr(err, want) && len &&
	    strchr(err, '\n') == err + len - 1)
		return 0;
	fprintf(stderr, "%s ...: exit %d, want 2 and one line with '%s': %s\n",
		args[0], rc, want, err);
	return 1;
}

/* Make the 16 MiB test file with a short run, so that the run after it
 * is in its timed region at once. */
static int make_testfile_16m(void)
{
	char err[4096];
	char *prep[] = {"run", "-b",	 "pread", "--size",	 "16M", "--ops",
			"10",  "--reps", "1",	  "--no-warmup", NULL};

	return run(prep, 0, NULL, err, sizeof(err));
}

static const struct mmb_rentry *median_of(const struct mmb_results *r,
					  const char *backend)
{
	for (size_t i = 0; i < r->ne; i++) {
		const char *b = mmb_rentry_str(&r->e[i], "backend");
		const char *a = r->e[i].aggregate;
		if (b && !strcmp(b, backend) && a && !strcmp(a, "median"))
			return &r->e[i];
	}
	return NULL;
}

static bool is_true(const struct mmb_rval *v)
{
	return v && v->type == MMB_RT_BOOL && v->num != 0;
}

/* Root and a memory controller, or the reason to skip. */
static const char *no_cgroup(void)
{
	static char why[300];
	struct mmb_cgroup cg;

	if (geteuid() != 0)
		return "not root";
	if (mmb_cgroup_create(&cg, 64u << 20) < 0) {
		mmb_errmsg(why, sizeof(why));
		return why;
	}
	mmb_cgroup_remove(&cg);
	return NULL;
}

/* The cgroup directory a process with that pid would have made. */
static bool cgroup_left(pid_t pid)
{
	char line[1024], path[1200];
	FILE *f = fopen("/proc/self/cgroup", "re");
	bool left = false;

	snprintf(path, sizeof(path), "/sys/fs/cgroup/mmbench-%ld", (long)pid);
	left |= th_exists(path);
	while (f && fgets(line, sizeof(line), f)) {
		char *m = strstr(line, ":memory:");
		if (!m)
			continue;
		m[strcspn(m, "\n")] = 0;
		snprintf(path, sizeof(path),
			 "/sys/fs/cgroup/memory%s/mmbench-%ld",
			 strcmp(m + 8, "/") ? m + 8 : "", (long)pid);
		left |= th_exists(path);
	}
	if (f)
		fclose(f);
	return left;
}

static bool in_cgroup(const char *name)
{
	char line[1024];
	FILE *f = fopen("/proc/self/cgroup", "re");
	bool in = false;

	while (f && fgets(line, sizeof(line), f))
		in |= strstr(line, name) != NULL;
	if (f)
		fclose(f);
	return in;
}

TEST_IMPL(cgroup_lifecycle)
{
	const char *why = no_cgroup();
	struct mmb_cgroup cg;
	char path[600], name[64];
	unsigned long long v = 0;

	if (why)
		SKIP("no memory cgroup: %s", why);
	ASSERT_OK(mmb_cgroup_create(&cg, 48u << 20));
	ASSERT(th_exists(cg.dir));
	snprintf(path, sizeof(path), "%s/%s", cg.dir,
		 cg.version == 1 ? "memory.limit_in_bytes" : "memory.max");
	FILE *f = fopen(path, "re");
	ASSERT(f);
	ASSERT_EQ(fscanf(f, "%llu", &v), 1);
	fclose(f);
	ASSERT_EQ(v, 48u << 20);
	snprintf(name, sizeof(name), "/mmbench-%ld", (long)getpid());
	ASSERT(!in_cgroup(name));
	ASSERT_OK(mmb_cgroup_enter(&cg));
	ASSERT(in_cgroup(name));
	ASSERT_OK(mmb_cgroup_leave(&cg));
	ASSERT(!in_cgroup(name));
	/* remove also leaves first when still inside */
	ASSERT_OK(mmb_cgroup_enter(&cg));
	char dir[512];
	snprintf(dir, sizeof(dir), "%s", cg.dir);
	ASSERT_OK(mmb_cgroup_remove(&cg));
	ASSERT(!in_cgroup(name));
	ASSERT(!th_exists(dir));
	ASSERT(!cgroup_left(getpid()));
	ASSERT_OK(mmb_cgroup_remove(&cg)); /* twice is fine */
	return 0;
}

TEST_IMPL(sweep_bad_grids)
{
	static const char *const bad[][2] = {
	    {"threads=", "empty value"},
	    {"threads=1,,2", "empty value"},
	    {"=1,2", "expected NAME="},
	    {"speed=1,2", "unknown parameter 'speed'"},
	    {"threads=1,x", "'x' is not a positive integer"},
	    {"threads=1.5", "not a positive integer"},
	    {"size=1M,1024K", "listed twice"},
	    {"threads=2,2", "listed twice"},
	    {"bs=0", "not a positive size"},
	};

	ASSERT_OK(setup());
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *args[] = {"sweep", "--param", (char *)bad[i][0], NULL};
		ASSERT_OK(refused(args, bad[i][1]));
	}
	char *none[] = {"sweep", "-w", "random-4k", NULL};
	ASSERT_OK(refused(none, "--param"));
	char *twice[] = {"sweep",     "--param", "threads=1,2",
			 "--threads", "2",	 NULL};
	ASSERT_OK(refused(twice, "swept"));
	/* in any spelling getopt takes: --opt=value, an abbreviation */
	char *eq[] = {"sweep", "--param", "threads=1,2", "--threads=2", NULL};
	ASSERT_OK(refused(eq, "swept"));
	char *abbr[] = {"sweep", "--param", "size=4M,8M", "--si", "4M", NULL};
	ASSERT_OK(refused(abbr, "swept"));
	/* values out of the option's range, and bad run options, are
	 * refused before anything runs */
	char *range[] = {"sweep", "--param", "threads=1,2000", NULL};
	ASSERT_OK(refused(range, "2000 is outside 1..1024"));
	char *badrun[] = {"sweep",  "--param", "threads=1,2",
			  "--reps", "0",       NULL};
	ASSERT_OK(refused(badrun, "--reps 0 is outside 1..10000"));
	cleanup(NULL);
	return 0;
}

TEST_IMPL(sweep_file)
{
	char json[128], err[4096];

	ASSERT_OK(setup());
	snprintf(json, sizeof(json), "%s/sweep.json", tmpdir);
	char *args[] = {"sweep",      "--param", "threads=1,2", "-b",
			"pread,mmap", "--size",	 "4M",		"--ops",
			"2000",	      "--reps",	 "2",		"--no-warmup",
			"--json",     json,	 NULL};
	int rc = run(args, 0, NULL, err, sizeof(err));
	struct mmb_results *doc = load(json);
	int others = cleanup("sweep.json");
	ASSERT_EQ(rc, 0);
	ASSERT(doc);
	ASSERT_EQ(others, 0);
	const struct mmb_rval *param = mmb_results_ctx(doc, "sweep_param");
	ASSERT(param && !strcmp(param->text, "threads"));
	const struct mmb_rval *sv = mmb_results_ctx(doc, "sweep_values");
	ASSERT(sv && sv->type == MMB_RT_ARRAY && sv->nkid == 2);
	ASSERT(!mmb_results_ctx(doc, "partial"));
	/* 2 points x 2 backends x (2 reps + mean, median, stddev, cv) */
	ASSERT_EQ(doc->ne, 2 * 2 * 6);
	int seen = 0;
	for (size_t i = 0; i < doc->ne; i++) {
		const struct mmb_rentry *e = &doc->e[i];
		double v = mmb_rentry_num(e, "sweep_value");
		double th = mmb_rentry_num(e, "threads");
		ASSERT(v == th);
		if (!strcmp(e->name, "random-4k/mmap/threads:2_median"))
			seen++;
	}
	ASSERT_EQ(seen, 1);
	mmb_results_free(doc);
	return 0;
}

TEST_IMPL(timeseries_counts)
{
	char json[128], err[4096];

	ASSERT_OK(setup());
	snprintf(json, sizeof(json), "%s/ts.json", tmpdir);
	char *args[] = {"run",	  "-b",		"pread,mmap", "--size",
			"8M",	  "--duration", "1.5",	      "--interval",
			"100",	  "--reps",	"2",	      "--no-warmup",
			"--json", json,		NULL};
	int rc = run(args, 0, NULL, err, sizeof(err));
	struct mmb_results *doc = load(json);
	cleanup(NULL);
	ASSERT_EQ(rc, 0);
	ASSERT(doc);
	ASSERT_EQ(mmb_results_ctx_num(doc, "interval_ms"), 100);
	int series = 0;
	for (size_t i = 0; i < doc->ne; i++) {
		const struct mmb_rentry *e = &doc->e[i];
		const struct mmb_rval *ts = mmb_rentry_get(e, "timeseries");
		const char *agg = e->aggregate;
		if (agg && strcmp(agg, "median") != 0) {
			ASSERT(!ts);
			continue;
		}
		ASSERT(ts && ts->type == MMB_RT_ARRAY);
		series++;
		/* 1.5 s / 100 ms = 15 samples, +-2 */
		size_t n = ts->nkid;
		ASSERT_INT(n, >=, 13);
		ASSERT_INT(n, <=, 17);
		ASSERT_EQ(e->nts, n);
		/* the samples account for the ops: all but the last few ms */
		double ops = 0, it = mmb_rentry_num(e, "iterations");
		for (size_t k = 0; k < n; k++) {
			const struct mmb_rval *x = &ts->kid[k];
			ops += mmb_rval_get(x, "ops")->num;
			ASSERT(mmb_rval_get(x, "resident_pages"));
			ASSERT(mmb_rval_get(x, "tlb_shootdowns"));
			ASSERT(mmb_rval_get(x, "major_faults"));
		}
		/* the median entry carries the series of its nearest rep */
		if (!agg)
			ASSERT(ops <= it && ops >= it * 0.9);
	}
	ASSERT_EQ(series, 2 * 3); /* 2 backends x (2 reps + median) */
	mmb_results_free(doc);
	return 0;
}

TEST_IMPL(sigint_cleanup)
{
	const char *why = no_cgroup();
	char json[128], err[4096];
	pid_t pid;

	if (why)
		SKIP("no memory cgroup: %s", why);
	ASSERT_OK(setup());
	snprintf(json, sizeof(json), "%s/int.json", tmpdir);
	/* Make the test file first so the signal lands in the timed run. */
	ASSERT_OK(make_testfile_16m());
	char *args[] = {"run",	      "-b",	     "mmap,pread",
			"--size",     "16M",	     "--memory-limit",
			"32M",	      "--duration",  "3",
			"--interval", "200",	     "--reps",
			"3",	      "--no-warmup", "--json",
			json,	      NULL};
	int rc = run(args, 1000, &pid, err, sizeof(err));
	struct mmb_results *doc = load(json);
	int others = cleanup("int.json");
	ASSERT_EQ(rc, 128 + SIGINT);
	ASSERT(!cgroup_left(pid));
	ASSERT(doc);
	ASSERT_EQ(others, 0);
	ASSERT(is_true(mmb_results_ctx(doc, "partial")));
	/* the rep under way stopped early and says so; pread never ran */
	const struct mmb_rentry *m = median_of(doc, "mmap");
	ASSERT(m && mmb_rentry_num(m, "iterations") > 0);
	int cut = 0, reps = 0;
	for (size_t i = 0; i < doc->ne; i++) {
		const struct mmb_rentry *e = &doc->e[i];
		const char *b = mmb_rentry_str(e, "backend");
		const char *t = mmb_rentry_str(e, "run_type");
		if (!b || strcmp(b, "mmap") || !t || strcmp(t, "iteration"))
			continue;
		reps++;
		cut += is_true(mmb_rentry_get(e, "interrupted"));
	}
	/* SIGINT at 1 s into 3 s reps: the first rep is the one cut */
	ASSERT_EQ(reps, 1);
	ASSERT_EQ(cut, 1);
	/* Google Benchmark's error shape: one entry, error_occurred */
	const struct mmb_rbench *p = mmb_results_find(doc, "random-4k/pread");
	ASSERT(p && p->skipped && p->nreps == 0 && p->median < 0);
	mmb_results_free(doc);
	return 0;
}

TEST_IMPL(memory_limit_major_faults)
{
	const char *why = no_cgroup();
	char json[128], err[4096];

	if (why)
		SKIP("no memory cgroup: %s", why);
	ASSERT_OK(setup());
	snprintf(json, sizeof(json), "%s/lim.json", tmpdir);
	/* file 2x the limit, cold: mmap must fault pages in from disk */
	char *args[] = {"run",	     "-b",     "mmap", "-w",
			"random-4k", "--size", "64M",  "--memory-limit",
			"32M",	     "--ops",  "3000", "--cache",
			"cold",	     "--reps", "1",    "--no-warmup",
			"--json",    json,     NULL};
	int rc = run(args, 0, NULL, err, sizeof(err));
	struct mmb_results *doc = load(json);
	cleanup(NULL);
	if (rc != 0)
		fprintf(stderr, "%s", err);
	ASSERT_EQ(rc, 0);
	ASSERT(doc);
	ASSERT_EQ(mmb_results_ctx_num(doc, "memory_limit"), 32u << 20);
	const struct mmb_rentry *m = median_of(doc, "mmap");
	ASSERT(m);
	ASSERT_INT(mmb_rentry_num(m, "major_faults"), >, 0);
	ASSERT_EQ(mmb_rentry_num(m, "iterations"), 3000);
	mmb_results_free(doc);
	return 0;
}

TEST_IMPL(experiment_bad_input)
{
	static const char *const bad[][4] = {
	    {"experiment", NULL, NULL, "no experiment given"},
	    {"experiment", "cidr23", NULL, "unknown experiment 'cidr23'"},
	    {"experiment", "cidr22", "--advice", "unknown advice"},
	    {"experiment", "cidr22", "--threads", "is outside 1..1024"},
	    {"experiment", "cidr22", "--memory-limit", "is outside 16M"},
	    {"experiment", "cidr22", "--bogus", "unknown option"},
	};
	/* the value each option above gets */
	static const char *const val[] = {NULL, NULL, "sideways",
					  "0",	"1M", "1"};

	ASSERT_OK(setup());
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *args[5] = {(char *)bad[i][0], (char *)bad[i][1],
				 (char *)bad[i][2], (char *)val[i], NULL};
		ASSERT_OK(refused(args, bad[i][3]));
	}
	cleanup(NULL);
	return 0;
}

/* The preset end to end, shrunk: both workloads, both backends, sampled
 * over time, in one results file. */
TEST_IMPL(experiment_cidr22_short)
{
	const char *why = no_cgroup();
	char json[128], err[8192];

	if (why)
		SKIP("no memory cgroup: %s", why);
	ASSERT_OK(setup());
	snprintf(json, sizeof(json), "%s/cidr22.json", tmpdir);
	char *args[] = {"experiment", "cidr22",	  "--memory-limit",
			"32M",	      "--size",	  "64M",
			"--duration", "1",	  "--interval",
			"200",	      "--advice", "random",
			"--json",     json,	  NULL};
	int rc = run(args, 0, NULL, err, sizeof(err));
	struct mmb_results *doc = load(json);
	int others = cleanup("cidr22.json");
	if (rc != 0)
		fprintf(stderr, "%s", err);
	ASSERT_EQ(rc, 0);
	ASSERT(doc);
	ASSERT_EQ(others, 0);
	static const char *const names[] = {
	    "random-4k/mmap", "random-4k/pread-direct", "seq-read/mmap",
	    "seq-read/pread-direct"};
	for (size_t i = 0; i < 4; i++) {
		const struct mmb_rentry *found = NULL;
		for (size_t k = 0; k < doc->ne; k++) {
			const struct mmb_rentry *e = &doc->e[k];
			const char *n = mmb_rentry_str(e, "run_name");
			if (n && !strcmp(n, names[i]) && e->aggregate &&
			    !strcmp(e->aggregate, "median"))
				found = e;
		}
		if (!found) {
			fprintf(stderr, "no median entry for %s\n", names[i]);
			mmb_results_free(doc);
			return 1;
		}
		/* 1 s at 200 ms: about 5 samples, one per 200 ms of the
		 * timed region however long it took on a loaded machine
		 * (the last one may end a shorter interval) */
		const struct mmb_rval *ts = mmb_rentry_get(found, "timeseries");
		size_t n = ts && ts->type == MMB_RT_ARRAY ? ts->nkid : 0;
		ASSERT_INT(n, >=, 3);
		double prev = 0;
		for (size_t j = 0; j < n; j++) {
			const struct mmb_rval *t =
			    mmb_rval_get(mmb_rval_at(ts, j), "t_s");
			ASSERT(t && t->type == MMB_RT_NUMBER && t->num > prev);
			prev = t->num;
		}
		ASSERT(prev >= 0.99); /* --duration 1 */
		/* never more often than every 200 ms (a late wake-up
		 * makes an interval longer, not another) */
		ASSERT((double)n <= prev / 0.2 + 1.5);
	}
	ASSERT(!is_true(mmb_results_ctx(doc, "partial")));
	mmb_results_free(doc);
	return 0;
}

/* A live process whose environment holds `needle`, other than us and
 * `skip` (0: none). */
static bool process_with_env(const char *needle, pid_t skip)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	bool found = false;
	static char buf[1 << 16];

	while (d && !found && (e = readdir(d))) {
		char p[300];
		if (e->d_name[0] < '1' || e->d_name[0] > '9' ||
		    atol(e->d_name) == (long)getpid() ||
		    atol(e->d_name) == (long)skip)
			continue;
		snprintf(p, sizeof(p), "/proc/%s/environ", e->d_name);
		int fd = open(p, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		for (ssize_t i = 0; i < n && !found;) {
			found = strcmp(buf + i, needle) == 0;
			i += (ssize_t)strlen(buf + i) + 1;
		}
	}
	if (d)
		closedir(d);
	return found;
}

/* A second signal during a sweep: the sweep exits at once, its running
 * child cleans up and exits too, and neither leaves a file behind. */
TEST_IMPL(sweep_second_signal)
{
	char json[128], env[160];

	ASSERT_OK(setup());
	setenv("TMPDIR", tmpdir, 1);
	snprintf(json, sizeof(json), "%s/sw.json", tmpdir);
	snprintf(env, sizeof(env), "MMBENCH_DATA_DIR=%s", tmpdir);
	ASSERT_OK(make_testfile_16m());
	const char *sweep[] = {
	    MMBENCH_EXE,   "sweep",  "--param", "threads=1,2",
	    "-b",	   "pread",  "--size",	"16M",
	    "--duration",  "20",     "--reps",	"1",
	    "--no-warmup", "--json", json,	NULL};
	pid_t p = th_spawn(sweep, NULL, NULL, NULL, NULL);
	ASSERT(p >= 0);
	/* Wait for the first point's child, a process other than the sweep
	 * (up to 10 s: a fixed second was not always enough under ASan with
	 * ctest -j2), then a second more so it is in its timed run. */
	bool started = false;
	for (int i = 0; i < 500 && !started; i++) {
		nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
		started = process_with_env(env, p);
	}
	ASSERT(started);
	nanosleep(&(struct timespec){1, 0}, NULL);
	kill(p, SIGINT);
	kill(p, SIGTERM);
	int status;
	ASSERT_EQ(waitpid(p, &status, 0), p);
	unsetenv("TMPDIR");
	ASSERT(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 128 + SIGTERM);
	/* the child was told twice, so it is gone within moments */
	bool alive = true;
	for (int i = 0; i < 100 && alive; i++) {
		alive = process_with_env(env, 0);
		if (alive)
			nanosleep(&(struct timespec){0, 20 * 1000 * 1000},
				  NULL);
	}
	int others = cleanup(NULL);
	ASSERT(!alive);
	/* only the test file: no sweep dir, no point file, no sw.json */
	ASSERT_EQ(others, 0);
	return 0;
}

/* A second signal during a run under a memory limit: the CLI's handler
 * (cli/posix/interrupt.c) leaves and removes the cgroup the run
 * registered, leaves no results file half-written, and exits with
 * 128 + the second signal. */
TEST_IMPL(second_signal_removes_cgroup)
{
	const char *why = no_cgroup();
	char json[128];

	if (why)
		SKIP("no memory cgroup: %s", why);
	ASSERT_OK(setup());
	snprintf(json, sizeof(json), "%s/two.json", tmpdir);
	ASSERT_OK(make_testfile_16m());
	const char *limited[] = {
	    MMBENCH_EXE,      "run",	"-b",	      "pread", "--size", "16M",
	    "--memory-limit", "32M",	"--duration", "20",    "--reps", "1",
	    "--no-warmup",    "--json", json,	      NULL};
	pid_t p = th_spawn(limited, NULL, NULL, NULL, NULL);
	ASSERT(p >= 0);
	/* Up to 10 s for the cgroup to appear, then into the timed run. */
	bool made = false;
	for (int i = 0; i < 500 && !made; i++) {
		nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
		made = cgroup_left(p);
	}
	nanosleep(&(struct timespec){0, 300 * 1000 * 1000}, NULL);
	kill(p, SIGINT);
	kill(p, SIGTERM);
	int status;
	ASSERT_EQ(waitpid(p, &status, 0), p);
	bool left = cgroup_left(p);
	int others = cleanup(NULL);
	ASSERT(made);
	ASSERT(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 128 + SIGTERM);
	ASSERT(!left);
	/* only the test file: no two.json, no temp file */
	ASSERT_EQ(others, 0);
	return 0;
}
