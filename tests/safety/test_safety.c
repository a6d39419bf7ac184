/* SPDX-License-Identifier: MIT */
/* test_safety.c - issue 20 through the mmbench binary: an output that
 * names the input or another output is refused (5), --report DIR is
 * checked before the run (13), ranges are checked before anything runs
 * (11), and outputs take their modes from the umask (14). Each case is
 * refused with exit 2, one line on stderr, and nothing written. */
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safety.h"
#include "test.h"
#include "testutil.h"

char sf_dir[256];
static char errline[512];

int sf_setup(void)
{
	if (th_mkdtemp(sf_dir, sizeof(sf_dir), "safety") < 0)
		return -1;
	return setenv("MMBENCH_DATA_DIR", sf_dir, 1);
}

void sf_cleanup(void)
{
	th_rmtree(sf_dir);
	sf_dir[0] = 0;
}

char *sf_in(const char *name)
{
	return th_path(sf_dir, name);
}

const char *sf_exe(void)
{
	const char *e = getenv("MMBENCH_TEST_EXE");
	return e && *e ? e : MMBENCH_EXE;
}

int sf_run(const char *arg, ...)
{
	const char *argv[64];
	va_list ap;

	va_start(ap, arg);
	th_argv(argv, 64, sf_exe(), arg, &ap);
	va_end(ap);
	return th_run(argv, sf_in("out"), sf_in("err"), NULL, 120);
}

const char *sf_err(void)
{
	th_slurp_into(sf_in("err"), errline, sizeof(errline));
	return errline;
}

/* Exit 2 with one line on stderr that contains want (NULL: any). */
static int refused(int rc, const char *want, const char *what)
{
	int lines = th_count_lines(sf_in("err"));
	if (rc != 2 || lines != 1 || (want && !strstr(sf_err(), want))) {
		fprintf(stderr,
			"%s: exit %d, %d line(s): %s (want exit 2 "
			"and '%s')\n",
			what, rc, lines, sf_err(), want ? want : "");
		return 0;
	}
	return 1;
}

/* path holds exactly len bytes of 'x' (the input it was made with). */
static bool intact(const char *path, size_t len)
{
	size_t n;
	char *s = th_slurp(path, &n);
	bool ok = s && n == len;

	for (size_t i = 0; ok && i < n; i++)
		ok = s[i] == 'x';
	free(s);
	return ok;
}

static int make_input(const char *path, size_t len)
{
	char *buf = malloc(len);
	int rc;

	if (!buf)
		return -1;
	memset(buf, 'x', len);
	rc = th_write(path, buf, len);
	free(buf);
	return rc;
}

TEST_IMPL(outputs_distinct_run)
{
	char in[300], sub[300], link[300], j[300], dotj[300], tf[300];

	ASSERT_OK(sf_setup());
	snprintf(in, sizeof(in), "%s", sf_in("input.dat"));
	snprintf(sub, sizeof(sub), "%s", sf_in("sub"));
	snprintf(link, sizeof(link), "%s", sf_in("link.dat"));
	snprintf(j, sizeof(j), "%s", sf_in("x.out"));
	snprintf(dotj, sizeof(dotj), "%s/sub/../x.out", sf_dir);
	ASSERT_OK(make_input(in, 1 << 20));
	ASSERT_OK(mkdir(sub, 0755));
	ASSERT_OK(symlink(in, link));

	/* --file F --json F replaced the input with JSON */
	ASSERT(refused(sf_run("run", "--file", in, "--ops", "100", "--reps",
			      "1", "--json", in, NULL),
		       "--json", "--file F --json F"));
	ASSERT(intact(in, 1 << 20));
	/* the same file under another name: a symlink, then the CSV */
	ASSERT(refused(sf_run("run", "--file", link, "--ops", "100", "--reps",
			      "1", "--csv", in, NULL),
		       "--csv", "--file LINK --csv F"));
	ASSERT(intact(in, 1 << 20));
	/* two outputs not yet there: compared by their resolved paths */
	ASSERT(refused(sf_run("run", "--size", "1M", "--ops", "100", "--reps",
			      "1", "--json", j, "--csv", dotj, NULL),
		       "--csv", "--json X --csv X"));
	ASSERT(!th_exists(j));
	/* --json inside --report's directory: the report replaces it */
	char inrep[320];
	snprintf(inrep, sizeof(inrep), "%s/r.json", sub);
	ASSERT(refused(sf_run("run", "--size", "1M", "--ops", "100", "--reps",
			      "1", "--json", inrep, "--report", sub, NULL),
		       "--report", "--json DIR/F --report DIR"));
	ASSERT(refused(sf_run("run", "--size", "1M", "--ops", "100", "--reps",
			      "1", "--json", j, "--report", j, NULL),
		       "--report", "--json X --report X"));
	/* the generated test file is an input too */
	ASSERT_EQ(
	    sf_run("run", "--size", "1M", "--ops", "100", "--reps", "1", NULL),
	    0);
	snprintf(tf, sizeof(tf), "%s", sf_in("mmbench-1M.dat"));
	ASSERT(th_exists(tf));
	long before = th_size(tf);
	ASSERT(refused(sf_run("run", "--size", "1M", "--ops", "100", "--reps",
			      "1", "--json", tf, NULL),
		       "--json", "--json TESTFILE"));
	ASSERT_EQ(th_size(tf), before);
	/* distinct outputs still work */
	ASSERT_EQ(sf_run("run", "--file", in, "--ops", "100", "--reps", "1",
			 "--json", j, "--csv", sf_in("x.csv"), NULL),
		  0);
	ASSERT(th_exists(j) && th_exists(sf_in("x.csv")));
	ASSERT(intact(in, 1 << 20));
	sf_cleanup();
	return 0;
}

TEST_IMPL(outputs_distinct_other_commands)
{
	char a[300], x[300];

	ASSERT_OK(sf_setup());
	snprintf(a, sizeof(a), "%s", sf_in("a.json"));
	snprintf(x, sizeof(x), "%s", sf_in("x.out"));
	ASSERT_EQ(sf_run("run", "--size", "1M", "--ops", "200", "--reps", "3",
			 "--json", a, NULL),
		  0);
	char *orig = th_slurp(a, NULL);
	ASSERT(orig);
	/* compare's --json over its own baseline */
	ASSERT(refused(sf_run("compare", "--json", a, a, a, NULL), "--json",
		       "compare --json BASELINE"));
	char *now = th_slurp(a, NULL);
	ASSERT(now && strcmp(orig, now) == 0);
	free(now);
	ASSERT(
	    refused(sf_run("compare", "--json", x, "--markdown", x, a, a, NULL),
		    "--markdown", "compare --json X --markdown X"));
	ASSERT(!th_exists(x));
	/* comparing a file with itself is fine */
	ASSERT_EQ(sf_run("compare", a, a, NULL), 0);
	/* sweep and experiment: --json and --report the same path */
	ASSERT(refused(sf_run("sweep", "--param", "threads=1,2", "--size", "1M",
			      "--ops", "100", "--reps", "1", "--json", x,
			      "--report", x, NULL),
		       "--report", "sweep --json X --report X"));
	ASSERT(refused(sf_run("sweep", "--param", "threads=1,2", "--file", a,
			      "--ops", "100", "--reps", "1", "--json", a, NULL),
		       "--json", "sweep --file F --json F"));
	now = th_slurp(a, NULL);
	ASSERT(now && strcmp(orig, now) == 0);
	free(now);
	ASSERT(refused(sf_run("experiment", "access", "--size", "1M", "--json",
			      x, "--report", x, NULL),
		       "--report", "experiment access --json X --report X"));
	ASSERT(refused(
	    sf_run("experiment", "cidr22", "--json", x, "--report", x, NULL),
	    "--report", "experiment cidr22 --json X --report X"));
	ASSERT(!th_exists(x));
	free(orig);
	sf_cleanup();
	return 0;
}

/* In th_spawn's child: become nobody when root. */
static void as_nobody(void *arg)
{
	(void)arg;
	if (geteuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0))
		_exit(126);
}

TEST_IMPL(report_dir_checked_first)
{
	char j[300], file[300], full[300];

	ASSERT_OK(sf_setup());
	snprintf(j, sizeof(j), "%s", sf_in("r.json"));
	snprintf(file, sizeof(file), "%s", sf_in("a-file"));
	snprintf(full, sizeof(full), "%s", sf_in("full"));
	ASSERT_OK(th_write(file, "x", 1));
	ASSERT_OK(mkdir(full, 0755));
	ASSERT_OK(th_write(sf_in("full/keep"), "x", 1));
	static const char *const why[] = {"exists and is not a directory",
					  "No such file or directory",
					  "is not an mmbench report"};
	const char *dirs[] = {file, "/nonexistent/dir/report", full};
	for (int i = 0; i < 3; i++) {
		/* a long run: a check after it would take seconds */
		ASSERT(refused(sf_run("run", "--size", "1M", "--ops", "200000",
				      "--reps", "20", "--json", j, "--report",
				      dirs[i], NULL),
			       why[i], dirs[i]));
		ASSERT(!th_exists(j));
		ASSERT(!th_exists(sf_in("mmbench-1M.dat")));
		ASSERT(refused(sf_run("sweep", "--param", "threads=1,2",
				      "--size", "1M", "--ops", "100", "--reps",
				      "1", "--report", dirs[i], NULL),
			       why[i], dirs[i]));
		ASSERT(refused(sf_run("experiment", "access", "--size", "1M",
				      "--report", dirs[i], NULL),
			       why[i], dirs[i]));
	}
	ASSERT(th_exists(sf_in("full/keep")));
	/* A directory we may not write: root writes anywhere, so as nobody
	 * when root, in a data directory of nobody's. */
	char ro[300], data[300];
	snprintf(ro, sizeof(ro), "%s", sf_in("ro"));
	snprintf(data, sizeof(data), "%s", sf_in("data"));
	ASSERT_OK(mkdir(ro, 0555));
	ASSERT_OK(mkdir(data, 0755));
	chmod(sf_dir, 0755);
	if (geteuid() == 0) {
		ASSERT_OK(chown(ro, 65534, 65534));
		ASSERT_OK(chown(data, 65534, 65534));
	}
	setenv("MMBENCH_DATA_DIR", data, 1);
	char rep[320];
	snprintf(rep, sizeof(rep), "%s/rep", ro);
	const char *argv[] = {sf_exe(),	  "run",    "--size", "1M",
			      "--ops",	  "200000", "--reps", "20",
			      "--report", rep,	    NULL};
	pid_t pid = th_spawn(argv, sf_in("out"), sf_in("err"), as_nobody, NULL);
	int rc = th_wait(pid);
	if (rc == 126 || rc == 127)
		SKIP("nobody cannot run %s (exit %d)", sf_exe(), rc);
	ASSERT(refused(rc, "Permission denied", "--report READ-ONLY/rep"));
	ASSERT(!th_exists(rep));
	ASSERT(!th_exists(th_path(data, "mmbench-1M.dat")));
	sf_cleanup();
	return 0;
}

TEST_IMPL(ranges_up_front)
{
	ASSERT_OK(sf_setup());
	/* claimed to run 600 years and finished in 0.1 s */
	ASSERT(
	    refused(sf_run("run", "--size", "1M", "--duration", "1.9e10", NULL),
		    "--duration", "run --duration 1.9e10"));
	ASSERT(refused(sf_run("run", "--size", "1M", "--duration", "inf", NULL),
		       "--duration", "run --duration inf"));
	ASSERT(refused(sf_run("sweep", "--param", "threads=1,2", "--size", "1M",
			      "--duration", "1e300", NULL),
		       "--duration", "sweep --duration 1e300"));
	/* 3x the limit overflowed */
	ASSERT(refused(sf_run("experiment", "cidr22", "--memory-limit",
			      "6148914691236517206", NULL),
		       "--memory-limit", "cidr22 --memory-limit 2^64/3"));
	ASSERT(refused(sf_run("run", "--size", "1M", "--memory-limit",
			      "6148914691236517206", NULL),
		       "--memory-limit", "run --memory-limit 2^64/3"));
	/* accepted, then every child failed */
	ASSERT(refused(
	    sf_run("experiment", "cidr22", "--interval", "99999999", NULL),
	    "--interval", "cidr22 --interval 99999999"));
	ASSERT(refused(sf_run("experiment", "cidr22", "--size", "1", NULL),
		       "--size", "cidr22 --size 1"));
	ASSERT(refused(sf_run("experiment", "access", "--size", "1", NULL),
		       "--size", "access --size 1"));
	ASSERT(
	    refused(sf_run("experiment", "cidr22", "--duration", "1e300", NULL),
		    "--duration", "cidr22 --duration 1e300"));
	ASSERT(refused(sf_run("experiment", "cidr22", "--threads", "0", NULL),
		       "--threads", "cidr22 --threads 0"));
	ASSERT(refused(sf_run("experiment", "access", "--ops", "0", NULL),
		       "--ops", "access --ops 0"));
	ASSERT(!th_exists(sf_in("mmbench-1M.dat")));
	sf_cleanup();
	return 0;
}

static int mode_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

TEST_IMPL(modes_follow_umask)
{
	static const mode_t masks[] = {077, 022};
	char gp[4096];
	bool plots = false;

	/* the report's plots need gnuplot */
	const char *path = getenv("PATH");
	for (const char *p = path; p && *p;) {
		size_t n = strcspn(p, ":");
		snprintf(gp, sizeof(gp), "%.*s/gnuplot", (int)n, p);
		plots |= access(gp, X_OK) == 0;
		p += n + (p[n] == ':');
	}
	for (size_t m = 0; m < 2; m++) {
		mode_t mask = masks[m];
		int file = 0666 & ~(int)mask, dir = 0777 & ~(int)mask;
		char j[300], c[300], r[300];

		ASSERT_OK(sf_setup());
		snprintf(j, sizeof(j), "%s", sf_in("r.json"));
		snprintf(c, sizeof(c), "%s", sf_in("r.csv"));
		snprintf(r, sizeof(r), "%s", sf_in("rep"));
		mode_t old = umask(mask);
		int rc = sf_run("run", "--size", "1M", "--ops", "200", "--reps",
				"2", "--json", j, "--csv", c,
				plots ? "--report" : NULL, r, NULL);
		umask(old);
		if (rc != 0)
			fprintf(stderr, "run: exit %d: %s\n", rc, sf_err());
		ASSERT_EQ(rc, 0);
		ASSERT_EQ(mode_of(j), file);
		ASSERT_EQ(mode_of(c), file);
		if (plots) {
			ASSERT_EQ(mode_of(r), dir);
			ASSERT_EQ(mode_of(sf_in("rep/index.html")), file);
			ASSERT_EQ(mode_of(sf_in("rep/plots")), dir);
		}
		sf_cleanup();
	}
	if (!plots)
		SKIP("JSON and CSV modes checked; no gnuplot for the report's");
	return 0;
}
