/* sweep.c - `mmbench sweep --param NAME=V1,V2,... [run options]`: one
 * `mmbench run` per value, in a child process each, merged into one
 * results file whose benchmarks are named WORKLOAD/BACKEND/NAME:VALUE
 * (docs/results.md, "Sweeps").
 *
 * Each point runs as a child so that a point's cgroup, signals and memory
 * stay its own; the merge (mmb_results_merge, reports/results_merge.c)
 * reads the children's JSON files back. Also the helpers that `mmbench
 * experiment` shares (commands.h). */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "mmb/error.h"
#include "mmbench/pressure.h"
#include "mmbench/report.h"
#include "mmbench/result.h"
#include "mmbench/results.h"

#define MAX_POINTS 64
#define MAX_ARGS   128

static const char usage_text[] =
    "usage: mmbench sweep --param NAME=V1,V2,... [--json FILE] [--report "
    "DIR]\n"
    "                     [mmbench run options]\n"
    "\n"
    "Runs `mmbench run` once per value of one option and writes one "
    "results file\nwhose benchmarks are named WORKLOAD/BACKEND/NAME:VALUE "
    "(plotted as lines by\nmmbench report).\n"
    "\n"
    "  --param NAME=LIST  NAME is threads, size, bs, window or "
    "memory-limit;\n"
    "                     LIST is comma-separated numbers (SIZE suffixes "
    "K, M, G\n"
    "                     allowed except for threads), no duplicates\n"
    "  --json FILE        the merged results\n"
    "  --report DIR       an HTML report of the sweep\n"
    "  -h, --help         this text\n"
    "\n"
    "Every other option goes to each mmbench run unchanged (see mmbench "
    "run --help).\n";

static const char *const params[] = {"threads", "size", "bs", "window",
				     "memory-limit"};

int mmb_cli_sweep_parse(const char *spec, char *name, size_t namelen,
			uint64_t *vals, unsigned max, unsigned *n, char *err,
			size_t errlen)
{
	const char *eq = strchr(spec, '=');
	char buf[1024];
	bool known = false;

	*n = 0;
	if (!eq || eq == spec) {
		snprintf(err, errlen, "--param '%s': expected NAME=V1,V2,...",
			 spec);
		return -1;
	}
	snprintf(name, namelen, "%.*s", (int)(eq - spec), spec);
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		known |= strcmp(name, params[i]) == 0;
	if (!known) {
		snprintf(err, errlen,
			 "--param: unknown parameter '%s' (threads, size, bs, "
			 "window, memory-limit)",
			 name);
		return -1;
	}
	if (strlen(eq + 1) >= sizeof(buf)) {
		snprintf(err, errlen, "--param %s: list too long", name);
		return -1;
	}
	strcpy(buf, eq + 1);
	/* strtok would skip empty items; "1,,2" must be an error. */
	for (char *tok = buf, *next; tok; tok = next) {
		next = strchr(tok, ',');
		if (next)
			*next++ = 0;
		uint64_t v;
		if (!*tok) {
			snprintf(err, errlen, "--param %s: empty value in '%s'",
				 name, eq + 1);
			return -1;
		}
		bool suffix = strcmp(name, "threads") != 0;
		if (mmb_cli_u64(tok, suffix, &v) < 0 || v == 0) {
			snprintf(err, errlen,
				 "--param %s: '%s' is not a positive %s", name,
				 tok, suffix ? "size" : "integer");
			return -1;
		}
		for (unsigned i = 0; i < *n; i++)
			if (vals[i] == v) {
				snprintf(err, errlen,
					 "--param %s: value '%s' listed twice",
					 name, tok);
				return -1;
			}
		if (*n == max) {
			snprintf(err, errlen, "--param %s: more than %u values",
				 name, max);
			return -1;
		}
		vals[(*n)++] = v;
	}
	return 0;
}

int mmb_cli_tempdir(char *dir, size_t n, const char *what)
{
	const char *t = getenv("TMPDIR");

	if (!t || !*t)
		t = "/tmp";
	if ((size_t)snprintf(dir, n, "%s/mmbench-%s-XXXXXX", t, what) >= n) {
		fprintf(stderr, "mmbench %s: TMPDIR is too long (%s)\n", what,
			t);
		return -1;
	}
	if (!mkdtemp(dir)) {
		fprintf(stderr, "mmbench %s: mkdtemp(%s): %s\n", what, dir,
			mmb_strerror(-errno));
		return -1;
	}
	mmb_interrupt_tempfile(dir);
	return 0;
}

int mmb_cli_child_run(char *const *args, const char *json)
{
	char *argv[MAX_ARGS + 4];
	int n = 0, status;
	bool forwarded = false;

	argv[n++] = "mmbench";
	argv[n++] = "run";
	for (; *args && n < MAX_ARGS; args++)
		argv[n++] = *args;
	argv[n++] = "--json";
	argv[n++] = (char *)json;
	argv[n] = NULL;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "mmbench: fork: %s\n", mmb_strerror(-errno));
		return MMB_EXIT_FAIL;
	}
	if (pid == 0) {
		execv("/proc/self/exe", argv);
		fprintf(stderr, "mmbench: execv(/proc/self/exe): %s\n",
			mmb_strerror(-errno));
		_exit(MMB_EXIT_FAIL);
	}
	mmb_interrupt_child(pid);
	/* A Ctrl-C at a terminal reaches the child too; a signal sent to
	 * this process alone is passed on, once. */
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			fprintf(stderr, "mmbench: waitpid: %s\n",
				mmb_strerror(-errno));
			mmb_interrupt_child(0);
			return MMB_EXIT_FAIL;
		}
		if (mmb_interrupted() && !forwarded) {
			kill(pid, mmb_interrupted());
			forwarded = true;
		}
		nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
	}
	mmb_interrupt_child(0);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* --param's option as mmbench run spells it. */
static const char *run_opt(const char *param)
{
	static char buf[40];
	snprintf(buf, sizeof(buf), "--%s", param);
	return buf;
}

int cmd_sweep(int argc, char **argv)
{
	char name[32], err[1024], dir[256];
	char *fwd[MAX_ARGS + 4], valbuf[32];
	const char *json = NULL, *report = NULL, *spec = NULL;
	char files[MAX_POINTS][300] = {{0}};
	/* The points that left a results file, and their values: a point
	 * that failed without one (killed, test file not made) is left out,
	 * and the later points must keep their own values. */
	const char *fp[MAX_POINTS];
	uint64_t vals[MAX_POINTS], fv[MAX_POINTS];
	unsigned nv, nf = 0;
	int nfwd = 0, exit_code = MMB_EXIT_OK;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **dst = strcmp(a, "--param") == 0	? &spec
				   : strcmp(a, "--json") == 0	? &json
				   : strcmp(a, "--report") == 0 ? &report
								: NULL;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			return MMB_EXIT_OK;
		}
		if (dst) {
			if (i + 1 >= argc || !*argv[i + 1]) {
				fprintf(stderr,
					"mmbench sweep: %s needs a value\n", a);
				return MMB_EXIT_USAGE;
			}
			*dst = argv[++i];
			continue;
		}
		if (strcmp(a, "--csv") == 0) {
			fprintf(stderr, "mmbench sweep: --csv is not "
					"supported; use --json\n");
			return MMB_EXIT_USAGE;
		}
		if (nfwd >= MAX_ARGS - 4) {
			fprintf(stderr, "mmbench sweep: too many options\n");
			return MMB_EXIT_USAGE;
		}
		fwd[nfwd++] = argv[i];
	}
	if (!spec) {
		fprintf(stderr, "mmbench sweep: --param NAME=V1,V2,... is "
				"required (see mmbench sweep --help)\n");
		return MMB_EXIT_USAGE;
	}
	if (mmb_cli_sweep_parse(spec, name, sizeof(name), vals, MAX_POINTS, &nv,
				err, sizeof(err)) < 0) {
		fprintf(stderr, "mmbench sweep: %s\n", err);
		return MMB_EXIT_USAGE;
	}
	for (int i = 0; i < nfwd; i++)
		if (strcmp(fwd[i], run_opt(name)) == 0) {
			fprintf(stderr,
				"mmbench sweep: %s is swept by --param; do not "
				"give it as well\n",
				fwd[i]);
			return MMB_EXIT_USAGE;
		}
	if (json && mmb_check_writable(json) < 0) {
		fprintf(stderr, "mmbench sweep: --json %s: %s\n", json,
			mmb_errmsg(err, sizeof(err)));
		return MMB_EXIT_USAGE;
	}
	mmb_interrupt_install();
	if (mmb_cli_tempdir(dir, sizeof(dir), "sweep") < 0)
		return MMB_EXIT_FAIL;
	for (unsigned i = 0; i < nv && !mmb_interrupted(); i++) {
		snprintf(files[i], sizeof(files[i]), "%s/p%u.json", dir, i);
		mmb_interrupt_tempfile(files[i]);
		snprintf(valbuf, sizeof(valbuf), "%llu",
			 (unsigned long long)vals[i]);
		fwd[nfwd] = (char *)run_opt(name);
		fwd[nfwd + 1] = valbuf;
		fwd[nfwd + 2] = NULL;
		printf("== %s=%s ==\n", name, valbuf);
		int rc = mmb_cli_child_run(fwd, files[i]);
		if (access(files[i], F_OK) == 0) {
			fv[nf] = vals[i];
			fp[nf++] = files[i];
		}
		if (rc == MMB_EXIT_USAGE) {
			exit_code = MMB_EXIT_USAGE;
			break;
		}
		if (rc != 0 && exit_code == MMB_EXIT_OK)
			exit_code = rc > 128 ? rc : MMB_EXIT_FAIL;
	}
	if (mmb_interrupted())
		exit_code = 128 + mmb_interrupted();
	if (nf && json) {
		if (mmb_results_merge(fp, nf, name, fv, NULL,
				      nf < nv || mmb_interrupted(), json) < 0) {
			mmb_results_errmsg(err, sizeof(err));
			fprintf(stderr, "mmbench sweep: --json %s: %s\n", json,
				err);
			if (exit_code == MMB_EXIT_OK)
				exit_code = MMB_EXIT_FAIL;
		}
	}
	/* The report finds the sweep across the per-point files. */
	if (nf && report && exit_code != MMB_EXIT_USAGE &&
	    mmb_report_write(fp, (int)nf, report, err, sizeof(err)) < 0) {
		fprintf(stderr, "mmbench sweep: --report %s: %s\n", report,
			err);
		if (exit_code == MMB_EXIT_OK)
			exit_code = MMB_EXIT_FAIL;
	}
	for (unsigned i = 0; i < nv && files[i][0]; i++) {
		mmb_interrupt_tempfile_done(files[i]);
		unlink(files[i]);
	}
	mmb_interrupt_tempfile_done(dir);
	rmdir(dir);
	return exit_code;
}
