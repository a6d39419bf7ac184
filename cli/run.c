/* SPDX-License-Identifier: MIT */
/* run.c - `mmbench run`: one workload through several backends on the
 * same file and the same ops; a console table, a verdict, and optionally
 * JSON (docs/results.md) and CSV.
 *
 * All input is checked before anything runs or is written: a bad option is
 * one line on stderr and exit 2, with no output file left behind. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "output.h"
#include "mmbench/backend.h"
#include "mmb/error.h"
#include "mmb/map.h"
#include "mmbench/pressure.h"
#include "mmbench/result.h"
#include "mmbench/units.h"
#include "mmbench/workload.h"

#define MAX_BACKENDS 64

static void usage(FILE *f)
{
	fputs("usage: mmbench run [options]\n"
	      "\n"
	      "Runs one workload through several I/O backends on the same "
	      "file with the same\nops (same seed), and prints throughput, "
	      "latency, page faults and a verdict.\n"
	      "\n",
	      f);
	mmb_cli_print_options(f);
	fputs("\nSIZE takes K, M, G, T suffixes (powers of 1024).\n", f);
}

/* One line on stderr, exit code 2. */
#define usage_error(...) mmb_cli_usage_error("run", __VA_ARGS__)

/* The option values, from the table of cli/options.c. */
struct run_args {
	struct mmb_cli_args o;
	const char *backends;
	const char *file;
	const char *json, *csv, *report;
	uint64_t memory_limit, interval_ms;
};

static int parse_args(int argc, char **argv, struct run_args *a)
{
	const union mmb_value *v = a->o.v;
	const bool *given = a->o.given;
	int rc = mmb_cli_parse("run", argc, argv, NULL, 0, &a->o, NULL, NULL);

	if (rc == MMB_CLI_HELP) {
		usage(stdout);
		return -1;
	}
	if (rc)
		return rc;
	if (given[MMB_OPT_OPS] && given[MMB_OPT_DURATION])
		return usage_error("--ops and --duration exclude each other");
	if (given[MMB_OPT_FILE] && given[MMB_OPT_SIZE])
		return usage_error("--size and --file exclude each other (the "
				   "file's size is used)");
	a->backends = given[MMB_OPT_BACKENDS] ? v[MMB_OPT_BACKENDS].s
					      : mmb_cli_default_backends();
	a->file = v[MMB_OPT_FILE].s;
	a->json = v[MMB_OPT_JSON].s;
	a->csv = v[MMB_OPT_CSV].s;
	a->report = v[MMB_OPT_REPORT].s;
	a->memory_limit = v[MMB_OPT_MEMORY_LIMIT].u;
	a->interval_ms = v[MMB_OPT_INTERVAL].u;
	return 0;
}

/* Resolve --backends into the list; exit code on error. */
static int parse_backends(const char *list, const struct mmb_backend **out,
			  unsigned *n)
{
	char buf[1024];

	*n = 0;
	if (strcmp(list, "all") == 0) {
		for (size_t i = 0; mmb_backends[i] && *n < MAX_BACKENDS; i++)
			out[(*n)++] = mmb_backends[i];
		return 0;
	}
	if (strlen(list) >= sizeof(buf))
		return usage_error("--backends list too long");
	strcpy(buf, list);
	/* strtok_r would skip empty items; "pread,,mmap" must be an error,
	 * as "1,,2" is for sweep --param. */
	for (char *tok = buf, *next; tok; tok = next) {
		next = strchr(tok, ',');
		if (next)
			*next++ = 0;
		if (!*tok)
			return usage_error("--backends: empty name in '%s'",
					   list);
		const struct mmb_backend *b = mmb_backend_find(tok);
		if (!b)
			return usage_error("unknown backend '%s' (mmbench "
					   "list shows them)",
					   tok);
		for (unsigned i = 0; i < *n; i++)
			if (out[i] == b)
				return usage_error("backend '%s' listed twice",
						   tok);
		if (*n == MAX_BACKENDS)
			return usage_error("too many backends");
		out[(*n)++] = b;
	}
	if (*n == 0)
		return usage_error("--backends '%s' names no backend", list);
	return 0;
}

/* Progress on a terminal (stderr): which backend of how many, which
 * repetition of how many, and the time left, estimated from the runs so
 * far (each run's warm-up or repetition counts as one). */
struct progress {
	const char *workload;
	const struct mmb_backend *const *backends;
	unsigned nbackends, reps;
	bool warmup;
	double start;	/* mmb_cli_now() of the first run */
	unsigned calls; /* runs started so far */
};

/* "42s", "3m05s", "1h02m". */
static const char *duration(double s, char *buf, size_t n)
{
	unsigned long t = (unsigned long)(s + 0.5);

	if (s < 1)
		snprintf(buf, n, "<1s");
	else if (t < 60)
		snprintf(buf, n, "%lus", t);
	else if (t < 3600)
		snprintf(buf, n, "%lum%02lus", t / 60, t % 60);
	else
		snprintf(buf, n, "%luh%02lum", t / 3600, t / 60 % 60);
	return buf;
}

static void progress(void *ctx, const char *backend, int rep, unsigned reps)
{
	struct progress *p = ctx;
	unsigned k = 0, per = reps + p->warmup;
	char line[256], eta[64], t[32];
	double now = mmb_cli_now();

	while (k + 1 < p->nbackends && strcmp(p->backends[k]->name, backend))
		k++;
	if (p->calls++ == 0)
		p->start = now;
	/* Runs of this backend done, and the runs still to come (this one
	 * included). */
	unsigned done_here = rep < 0 ? 0 : (unsigned)rep + p->warmup;
	double left = (double)(per - done_here) +
		      (double)per * (double)(p->nbackends - 1 - k);
	if (p->calls > 1 && now > p->start)
		snprintf(eta, sizeof(eta), ", ~%s left",
			 duration((now - p->start) / (p->calls - 1) * left, t,
				  sizeof(t)));
	else
		snprintf(eta, sizeof(eta), ", estimating the time left");
	if (rep < 0)
		snprintf(line, sizeof(line), "%s: backend %u/%u %s, warm-up%s",
			 p->workload, k + 1, p->nbackends, backend, eta);
	else if ((unsigned)rep >= reps) /* mmb_run_opts.progress */
		snprintf(line, sizeof(line),
			 "%s: backend %u/%u %s, kernel events%s", p->workload,
			 k + 1, p->nbackends, backend, eta);
	else
		snprintf(line, sizeof(line),
			 "%s: backend %u/%u %s, rep %d/%u%s", p->workload,
			 k + 1, p->nbackends, backend, rep + 1, reps, eta);
	/* One terminal line, or \r cannot take it back. */
	unsigned w = mmb_cli_term_width();
	if (w > 1 && strlen(line) >= w)
		line[w - 1] = 0;
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
}

/* --profile with --json FILE: each backend's folded stacks beside it, in
 * FILE less ".json" + ".BACKEND.folded" (flamegraph.pl reads them), and
 * their flame graph in ".BACKEND.svg". */
static int save_folded(const struct mmb_run_result *r, const char *json)
{
	char path[4096], msg[MMB_RESULT_MSG];
	size_t n = strlen(json);
	int rc = 0;

	if (n > 5 && strcmp(json + n - 5, ".json") == 0)
		n -= 5;
	for (unsigned i = 0; i < r->nbackends; i++) {
		const struct mmb_profile *p = r->b[i].profile;
		if (!p || !p->folded)
			continue;
		snprintf(path, sizeof(path), "%.*s.%s.folded", (int)n, json,
			 r->b[i].name);
		if (mmb_write_file_atomic(path, p->folded, p->folded_len) < 0) {
			fprintf(stderr, "mmbench run: %s\n",
				mmb_errmsg(msg, sizeof(msg)));
			rc = -1;
		}
		char title[160];
		snprintf(path, sizeof(path), "%.*s.%s.svg", (int)n, json,
			 r->b[i].name);
		snprintf(title, sizeof(title), "%s/%s: on-CPU samples",
			 r->workload, r->b[i].name);
		if (mmb_report_flamegraph(p->folded, title, path) < 0) {
			fprintf(stderr, "mmbench run: %s\n",
				mmb_errmsg(msg, sizeof(msg)));
			rc = -1;
		}
	}
	return rc;
}

/* The options as typed, for the results. */
static void command_line(int argc, char **argv, char *buf, size_t n)
{
	size_t len = (size_t)snprintf(buf, n, "mmbench");
	for (int i = 0; i < argc && len < n; i++) {
		bool quote = strpbrk(argv[i], " \t\"'") != NULL || !*argv[i];
		len += (size_t)snprintf(buf + len, n - len,
					quote ? " '%s'" : " %s", argv[i]);
	}
}

/* What this platform's build cannot do, refused before anything runs. */
static int check_available(const struct run_args *a)
{
	const char *why;

	for (unsigned i = 0; i < MMB_OPT__COUNT; i++) {
		const char *name = mmb_cli_run_opts[i].p.name;
		if (a->o.given[i] && (why = mmb_cli_unavailable(name)) != NULL)
			return usage_error("--%s: %s", name, why);
	}
	if (a->o.v[MMB_OPT_CACHE].i == MMB_CACHE_COLD &&
	    (why = mmb_cli_unavailable("cache cold")) != NULL)
		return usage_error("--cache cold: %s", why);
	return 0;
}

/* The reason mmb_workload_resolve_which gave, with the flag it is about
 * when the user typed it. */
static int resolve_error(const struct run_args *a, const struct mmb_workload *w,
			 const char *which)
{
	const char *flag = mmb_cli_flag_of(w, which);

	for (unsigned i = 0; flag && i < MMB_OPT__COUNT; i++)
		if (strcmp(mmb_cli_run_opts[i].p.name, flag) == 0 &&
		    !a->o.given[i])
			flag = NULL;
	if (flag)
		return usage_error("--%s: %s", flag, mmb_last_error()->call);
	return usage_error("%s", mmb_last_error()->call);
}

int cmd_run(int argc, char **argv)
{
	const struct mmb_backend *backends[MAX_BACKENDS];
	struct run_args a;
	struct mmb_run_opts ro;
	struct mmb_run_result *res = NULL;
	struct mmb_ctx_value ctx[MMB_CTX_MAX];
	char path[1024], msg[512], cmdline[2048];
	const char *which;
	int rc, exit_code = MMB_EXIT_OK;
	unsigned nb;

	rc = parse_args(argc, argv, &a);
	if (rc < 0)
		return MMB_EXIT_OK; /* --help */
	if (rc)
		return rc;
	rc = check_available(&a);
	if (rc)
		return rc;

	const union mmb_value *v = a.o.v;
	const struct mmb_workload *w = mmb_workloads[v[MMB_OPT_WORKLOAD].i];
	rc = parse_backends(a.backends, backends, &nb);
	if (rc)
		return rc;
	struct mmb_workload_opts wo = {
	    .block_size = v[MMB_OPT_BS].u,
	    .ops = v[MMB_OPT_OPS].u,
	    .seed = v[MMB_OPT_SEED].u,
	    .threads = (unsigned)v[MMB_OPT_THREADS].u,
	};
	rc = mmb_cli_workload_params("run", &a.o, w, &wo);
	if (rc)
		return rc;
	if (a.file) {
		struct stat st;
		if (stat(a.file, &st) < 0) {
			fprintf(stderr, "mmbench run: --file %s: %s\n", a.file,
				mmb_strerror(-errno));
			return MMB_EXIT_USAGE;
		}
		if (!S_ISREG(st.st_mode))
			return usage_error("--file %s is not a regular file",
					   a.file);
		if (st.st_size == 0)
			return usage_error("--file %s is empty", a.file);
		wo.file_size = (uint64_t)st.st_size;
		snprintf(path, sizeof(path), "%s", a.file);
	} else {
		wo.file_size = v[MMB_OPT_SIZE].u;
		if (mmb_testfile_path(path, sizeof(path), wo.file_size) < 0) {
			fprintf(stderr, "mmbench run: %s\n",
				mmb_errmsg(msg, sizeof(msg)));
			return MMB_EXIT_USAGE;
		}
	}
	if (mmb_workload_resolve_which(w, &wo, &which) < 0)
		return resolve_error(&a, w, which);
	/* After resolving: a trace writes when its input does. */
	bool writes = (mmb_workload_flags(w, &wo) & MMB_WL_WRITES) != 0;
	if (a.o.given[MMB_OPT_ACCESS] && writes)
		return usage_error(
		    "--access %s: workload %s writes; access "
		    "modes apply to read workloads only",
		    mmb_access_mode_name(
			(enum mmb_access_mode)v[MMB_OPT_ACCESS].i),
		    w->name);
	if (a.file && writes)
		return usage_error("workload %s writes; it runs only on the "
				   "generated test file, not on --file",
				   w->name);
	const struct mmb_cli_path paths[] = {
	    {a.file ? "--file" : "the test file", path, MMB_CLI_PATH_IN},
	    {"--json", a.json, MMB_CLI_PATH_OUT},
	    {"--csv", a.csv, MMB_CLI_PATH_OUT},
	    {"--report", a.report, MMB_CLI_PATH_DIR},
	};
	if ((rc = mmb_cli_distinct_paths("run", paths, 4)) != 0)
		return rc;
	if (a.json && (rc = mmb_cli_check_output("json", a.json)) != 0)
		return rc;
	if (a.csv && (rc = mmb_cli_check_output("csv", a.csv)) != 0)
		return rc;
	if (a.report && (rc = mmb_cli_check_report("run", a.report)) != 0)
		return rc;

	struct mmb_cgroup cg = {0};
	struct mmb_pressure pr = {.interval_ms = (unsigned)a.interval_ms};
	mmb_interrupt_install();
	/* A machine without a memory cgroup fails at once, before the test
	 * file is made: the probe is created and removed here. */
	if (a.memory_limit) {
		if (mmb_interrupt_cgroup_create(&cg, a.memory_limit) < 0) {
			fprintf(stderr, "mmbench run: --memory-limit: %s\n",
				mmb_errmsg(msg, sizeof(msg)));
			return MMB_EXIT_USAGE;
		}
		mmb_interrupt_cgroup_remove(&cg);
	}

	struct mmb_file_id file_id = {0};
	if (!a.file) {
		bool created;
		bool tty = isatty(STDERR_FILENO);
		if (tty)
			fprintf(stderr, "preparing test file %s ...", path);
		rc = mmb_testfile_prepare(path, wo.file_size, mmb_interrupted,
					  &created, &file_id);
		if (tty)
			fprintf(stderr, "\r\033[K");
		if (rc < 0) {
			fprintf(stderr, "mmbench run: test file: %s\n",
				mmb_errmsg(msg, sizeof(msg)));
			return mmb_interrupted() ? 128 + mmb_interrupted()
						 : MMB_EXIT_FAIL;
		}
	}
	/* The run's cgroup, made after the test file (which may take
	 * minutes), so that a SIGKILL meanwhile leaves none behind (and one
	 * left by a SIGKILL later is removed by the next run, pressure.h);
	 * removed on every path below, also after Ctrl-C. */
	if (a.memory_limit) {
		if (mmb_interrupt_cgroup_create(&cg, a.memory_limit) < 0) {
			fprintf(stderr, "mmbench run: --memory-limit: %s\n",
				mmb_errmsg(msg, sizeof(msg)));
			return MMB_EXIT_FAIL;
		}
		pr.cgroup = &cg;
	}

	command_line(argc, argv, cmdline, sizeof(cmdline));
	struct progress prog = {.workload = w->name,
				.backends = backends,
				.nbackends = nb,
				.reps = (unsigned)v[MMB_OPT_REPS].u,
				.warmup = !v[MMB_OPT_NO_WARMUP].b};
	ro = (struct mmb_run_opts){
	    .workload = w,
	    .wl = wo,
	    .path = path,
	    .backends = backends,
	    .nbackends = nb,
	    /* "none" is the first advice name: -1, do not advise. */
	    .bopts = {.advice = v[MMB_OPT_ADVICE].i - 1,
		      .window_size = v[MMB_OPT_WINDOW].u,
		      .sync = (enum mmb_wsync)v[MMB_OPT_SYNC].i,
		      .access = (enum mmb_access_mode)v[MMB_OPT_ACCESS].i,
		      .file_id = file_id,
		      .pool_size = v[MMB_OPT_POOL_SIZE].u},
	    .duration_s =
		a.o.given[MMB_OPT_DURATION] ? v[MMB_OPT_DURATION].d : 0,
	    .cache = (enum mmb_cache)v[MMB_OPT_CACHE].i,
	    .reps = (unsigned)v[MMB_OPT_REPS].u,
	    .warmup = !v[MMB_OPT_NO_WARMUP].b,
	    /* not given: N per backend from its warm-up (0) */
	    .lat_every =
		a.o.given[MMB_OPT_LAT_EVERY] ? v[MMB_OPT_LAT_EVERY].u : 0,
	    .no_latency =
		a.o.given[MMB_OPT_LAT_EVERY] && v[MMB_OPT_LAT_EVERY].u == 0,
	    .buf_offset = v[MMB_OPT_BUF_OFFSET].u,
	    .command_line = cmdline,
	    .progress = isatty(STDERR_FILENO) ? progress : NULL,
	    .progress_ctx = &prog,
	    .pressure = a.memory_limit || a.interval_ms ? &pr : NULL,
	    .stop = mmb_interrupt_flag(),
	    .context = ctx,
	    .ncontext = mmb_cli_context(&a.o, ctx, MMB_CTX_MAX),
	};
	if (v[MMB_OPT_NO_KEVENTS].b && a.o.given[MMB_OPT_KEVENTS] &&
	    v[MMB_OPT_KEVENTS].i != MMB_KEV_MODE_OFF) {
		mmb_interrupt_cgroup_remove(&cg);
		return mmb_cli_usage_error(
		    "run", "--no-kernel-events contradicts --kernel-events %s",
		    mmb_kevents_mode_name(v[MMB_OPT_KEVENTS].i));
	}
	mmb_kevents_set_mode(v[MMB_OPT_NO_KEVENTS].b
				 ? MMB_KEV_MODE_OFF
				 : (enum mmb_kevents_mode)v[MMB_OPT_KEVENTS].i);
	if (mmb_profile_enable(v[MMB_OPT_PROFILE].b) < 0) {
		fprintf(stderr, "mmbench run: --profile: %s\n",
			mmb_errmsg(msg, sizeof(msg)));
		mmb_interrupt_cgroup_remove(&cg);
		return MMB_EXIT_USAGE;
	}
	rc = mmb_run(&ro, &res);
	if (mmb_interrupt_cgroup_remove(&cg) < 0) {
		fprintf(stderr, "mmbench run: --memory-limit: %s\n",
			mmb_errmsg(msg, sizeof(msg)));
		exit_code = MMB_EXIT_FAIL;
	}
	if (ro.progress) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
	}
	if (rc < 0) {
		fprintf(stderr, "mmbench run: %s\n",
			mmb_errmsg(msg, sizeof(msg)));
		return MMB_EXIT_FAIL;
	}
	/* Write workloads have no access mode (refused above). */
	mmb_cli_print_results(res, ro.warmup,
			      writes ? -1 : (int)ro.bopts.access,
			      v[MMB_OPT_WIDE].b);
	for (unsigned i = 0; i < res->nbackends; i++)
		if (res->b[i].status != 0 && res->b[i].status != MMB_ESKIP)
			exit_code = MMB_EXIT_FAIL;
	/* A second Ctrl-C waits until they are in place: no temp file of
	 * theirs is left behind (the report's gnuplot is not waited for). */
	mmb_interrupt_hold();
	if (a.json && mmb_cli_save_json(res, a.json) < 0)
		exit_code = MMB_EXIT_FAIL;
	if (a.json && save_folded(res, a.json) < 0)
		exit_code = MMB_EXIT_FAIL;
	if (a.csv && mmb_cli_save_csv(res, a.csv) < 0)
		exit_code = MMB_EXIT_FAIL;
	mmb_interrupt_release();
	if (a.report && mmb_cli_save_report(res, a.json, a.report) < 0)
		exit_code = MMB_EXIT_FAIL;
	mmb_run_result_free(res);
	/* Ctrl-C: the partial results are written; exit as the signal. */
	if (mmb_interrupted())
		return 128 + mmb_interrupted();
	return exit_code;
}
