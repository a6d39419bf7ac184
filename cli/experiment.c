/* SPDX-License-Identifier: MIT */
/* experiment.c - `mmbench experiment cidr22`: Crotty, Leis and Pavlo,
 * "Are You Sure You Want to Use MMAP in Your DBMS?" (CIDR 2022), in one
 * command: random 4 KiB reads and a sequential scan, pread-direct against
 * mmap, on a file 3x larger than the page cache a memory cgroup allows,
 * sampled over time; then, in plain words, whether and when mmap's
 * throughput collapsed.
 *
 * `mmbench experiment access`: random-4k and seq-read through pread and
 * mmap, warm, with --access copy, inplace and touch; then how much of
 * mmap's advantage is the copy it avoids. */
#include <errno.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "stage.h"
#include "mmb/error.h"
#include "mmb/map.h"
#include "mmbench/pressure.h"
#include "mmbench/report.h"
#include "mmbench/result.h"
#include "mmbench/results.h"

static const char usage_text[] =
    "usage: mmbench experiment cidr22 [options]\n"
    "\n"
    "Crotty, Leis, Pavlo (CIDR 2022): mmap keeps up with direct I/O only "
    "until the\npage cache is full, and a DBMS's own buffer pool beats it "
    "at the same memory\nbudget. Runs random-4k, zipf and seq-read through "
    "pread-direct (the floor: no\ncache), mmap (the page cache, capped by "
    "a memory cgroup) and bufferpool (a pool\nof the same budget less what "
    "the process needs besides, measured by a short\ncalibration run) on a "
    "file 3x the memory limit (cold cache, needs root),\nsamples throughput "
    "over time and says which wins, when, and why.\n"
    "\n"
    "  --memory-limit SIZE  memory the run may use (default 256M)\n"
    "  --size SIZE          file size (default 3x the limit)\n"
    "  --duration SEC       per workload and backend (default 20)\n"
    "  --interval MS        sampling interval (default 1000)\n"
    "  --threads N          (default 2)\n"
    "  --advice NAME        madvise/fadvise advice for every backend, e.g.\n"
    "                       random to take readahead out of the picture\n"
    "                       (default: none)\n"
    "  --json FILE          every workload's results in one file\n"
    "  --report DIR         an HTML report\n"
    "  -h, --help           this text\n"
    "\n"
    "Also: mmbench experiment access (see mmbench experiment access "
    "--help).\n";

static const char *const workloads[] = {"random-4k", "seq-read"};
#define NWL 2

/* Plain words for one workload; the numbers come from the results model
 * (mmb_results_collapse). */
static void conclude(const char *wl, const char *file, uint64_t limit,
		     bool advised)
{
	struct mmb_results *r;
	struct mmb_collapse c;
	char msg[512];

	if (mmb_results_load(file, &r) < 0) {
		printf("%s: cannot judge: %s\n", wl,
		       mmb_results_errmsg(msg, sizeof(msg)));
		return;
	}
	if (mmb_results_collapse(r, "mmap", 4, &c) < 0) {
		printf("%s: not enough samples of mmap to judge (%zu)\n", wl,
		       c.nsamples);
		mmb_results_free(r);
		return;
	}
	double limit_pages = (double)limit / (double)mmb_page_size();
	if (c.collapsed)
		printf("%s: mmap COLLAPSED: %.0f ops/s early, %.0f ops/s late "
		       "(-%.0f%%), first below half at t=%.1f s with %.0f of "
		       "the file's pages resident (limit %.0f pages)",
		       wl, c.early, c.late, 100 * (1 - c.late / c.early),
		       c.when_s, c.resident_at, limit_pages);
	else
		printf("%s: mmap did not collapse over time: %.0f ops/s early, "
		       "%.0f ops/s late",
		       wl, c.early, c.late);
	printf("; %.0f major faults, %.0f TLB shootdowns", c.major_faults,
	       c.tlb_shootdowns);
	/* In a small cgroup, fault readahead can evict what it just read
	 * before it is used: then mmap is slow from the first second, for a
	 * reason that is not the paper's (eviction at scale). Say which. */
	if (c.read_amp >= 2)
		printf("; mmap read %.1fx the requested bytes from the device "
		       "(readahead/fault-around%s)",
		       c.read_amp,
		       advised ? ""
			       : ": run again with --advice random to see "
				 "mmap without it");
	struct mmb_collapse pd;
	int has_pd = mmb_results_collapse(r, "pread-direct", 0, &pd);
	if (has_pd != MMB_ENOENT) {
		double pv = pd.ops_per_s, mv = c.ops_per_s;
		if (pv > 0 && mv > 0)
			printf(
			    "; overall mmap %.0f vs pread-direct %.0f ops/s: "
			    "%s is %.1fx faster",
			    mv, pv, mv > pv ? "mmap" : "pread-direct",
			    mv > pv ? mv / pv : pv / mv);
	}
	printf("\n");
	mmb_results_free(r);
}

/* ---- access ------------------------------------------------------------ */

static const char access_usage[] =
    "usage: mmbench experiment access [options]\n"
    "\n"
    "How much of mmap's advantage over pread is the copy? Runs random-4k "
    "and\nseq-read through pread and mmap on a warm file with --access "
    "copy (both copy\ninto a buffer), inplace (mmap consumes the bytes "
    "where they lie, pread still\ncopies them first) and touch (one "
    "8-byte load per op), and says how the\ndifference splits.\n"
    "\n"
    "  --size SIZE      file size (default 256M)\n"
    "  --reps N         repetitions per run (default 5)\n"
    "  --ops N          ops per repetition (default: the workload's)\n"
    "  --json FILE      all six runs' results in one file\n"
    "  --report DIR     an HTML report\n"
    "  -h, --help       this text\n";

static const char *const access_modes[] = {"copy", "inplace", "touch"};

/* Median ns/op of WL/BACKEND in the results file, NaN when absent; the
 * repetitions' smallest and largest in lo[0], hi[0]. */
static double ns_per_op(const char *file, const char *wl, const char *backend,
			double *lo, double *hi)
{
	struct mmb_results *r;
	char name[96];
	double v = NAN;

	*lo = *hi = NAN;
	if (mmb_results_load(file, &r) < 0)
		return NAN;
	snprintf(name, sizeof(name), "%s/%s", wl, backend);
	const struct mmb_rbench *b = mmb_results_find(r, name);
	const struct mmb_rentry *e = b ? mmb_rbench_center(r, b) : NULL;
	if (e)
		v = e->real_ns;
	for (size_t i = 0; b && i < b->nreps; i++) {
		double x = r->e[b->reps[i]].real_ns;
		if (isnan(*lo) || x < *lo)
			*lo = x;
		if (isnan(*hi) || x > *hi)
			*hi = x;
	}
	mmb_results_free(r);
	return v;
}

/* One paragraph per workload from its three runs' files (NULL: missing). */
static void access_conclude(const char *wl, const char *const files[3])
{
	double p[3], m[3], plo[3], phi[3], mlo[3], mhi[3];

	for (int k = 0; k < 3; k++) {
		p[k] = files[k]
			   ? ns_per_op(files[k], wl, "pread", &plo[k], &phi[k])
			   : NAN;
		m[k] = files[k]
			   ? ns_per_op(files[k], wl, "mmap", &mlo[k], &mhi[k])
			   : NAN;
	}
	(void)plo, (void)phi;
	printf("%s: ", wl);
	if (isnan(p[0]) || isnan(m[0]) || isnan(p[1]) || isnan(m[1])) {
		printf("cannot judge: a run of copy or inplace is missing\n");
		return;
	}
	printf("copying, mmap takes %.0f ns/op and pread %.0f (%.2fx); "
	       "consuming in place, mmap %.0f and pread %.0f (%.2fx). ",
	       m[0], p[0], p[0] / m[0], m[1], p[1], p[1] / m[1]);
	double adv = p[1] - m[1], copy = m[0] - m[1];
	/* Repetitions' ranges that overlap: the copy is not told apart. */
	bool noise = !(mlo[0] > mhi[1] || mlo[1] > mhi[0]);
	if (adv <= 0)
		printf("In place, mmap has no advantage here (%.0f ns/op "
		       "slower)",
		       -adv);
	else if (noise)
		printf("mmap in place and mmap copying are within the noise of "
		       "the repetitions (%.0f..%.0f vs %.0f..%.0f ns/op), so "
		       "the copy's share of mmap's in-place advantage of %.0f "
		       "ns/op cannot be told apart from zero here: the "
		       "advantage is the system call and page-cache lookup "
		       "pread pays per op (pread inplace - mmap copy: %.0f "
		       "ns/op)",
		       mlo[1], mhi[1], mlo[0], mhi[0], adv, p[1] - m[0]);
	else if (copy <= 0)
		printf("Of mmap's in-place advantage of %.0f ns/op none is "
		       "the copy: mmap in place was not faster than mmap "
		       "copying (%.0f vs %.0f ns/op), so the advantage is "
		       "the system call and page-cache lookup pread pays per "
		       "op",
		       adv, m[1], m[0]);
	else if (copy >= adv)
		printf("All of mmap's in-place advantage of %.0f ns/op is the "
		       "copy it avoids: mmap copying costs %.0f ns/op more "
		       "than mmap in place, and pread in place is no slower "
		       "than mmap copying (%.0f vs %.0f ns/op)",
		       adv, copy, p[1], m[0]);
	else
		printf("Of mmap's in-place advantage of %.0f ns/op, %.0f "
		       "(%.0f%%) is the copy it avoids (mmap copy - mmap "
		       "inplace) and %.0f (%.0f%%) the system call and "
		       "page-cache lookup pread pays per op (pread inplace - "
		       "mmap copy)",
		       adv, copy, 100 * copy / adv, adv - copy,
		       100 * (adv - copy) / adv);
	if (!isnan(p[2]) && !isnan(m[2]))
		printf(". Touching one word per op, mmap takes %.0f ns/op and "
		       "pread %.0f (%.1fx): pread still moves the whole block",
		       m[2], p[2], p[2] / m[2]);
	printf(".\n");
}

/* An option the experiments share with mmbench run, parsed and checked
 * against run's row (type and range); 0 or the exit code, printed. */
static int opt_u64(enum mmb_cli_run_opt id, const char *arg, uint64_t *out)
{
	union mmb_value v;
	int rc = mmb_cli_parse_opt("experiment", id, arg, &v);

	if (!rc)
		*out = v.u;
	return rc;
}

static int opt_double(enum mmb_cli_run_opt id, const char *arg, double *out)
{
	union mmb_value v;
	int rc = mmb_cli_parse_opt("experiment", id, arg, &v);

	if (!rc)
		*out = v.d;
	return rc;
}

/* Every child would fail on what its workload refuses (a file smaller
 * than a block): refused once, up front, as mmbench run would. */
static int check_workloads(uint64_t size, uint64_t threads, uint64_t ops)
{
	for (unsigned i = 0; i < NWL; i++) {
		const struct mmb_workload *w = mmb_workload_find(workloads[i]);
		struct mmb_workload_opts wo = {.file_size = size,
					       .threads = (unsigned)threads,
					       .ops = ops};
		const char *which;
		if (w && mmb_workload_resolve_which(w, &wo, &which) < 0)
			return mmb_cli_usage_error(
			    "experiment", "--size %llu: %s: %s",
			    (unsigned long long)size, w->name,
			    mmb_last_error()->call);
	}
	return 0;
}

/* --json and --report: distinct, writable, checked before anything runs;
 * 0 or the exit code, printed. */
static int check_outputs(const char *json, const char *report)
{
	const struct mmb_cli_path paths[] = {
	    {"--json", json, MMB_CLI_PATH_OUT},
	    {"--report", report, MMB_CLI_PATH_DIR},
	};
	char err[1024];
	int rc = mmb_cli_distinct_paths("experiment", paths, 2);

	if (rc)
		return rc;
	if (json && mmb_check_writable(json) < 0) {
		fprintf(stderr, "mmbench experiment: --json %s: %s\n", json,
			mmb_errmsg(err, sizeof(err)));
		return MMB_EXIT_USAGE;
	}
	return report ? mmb_cli_check_report("experiment", report) : 0;
}

static int experiment_access(int argc, char **argv)
{
	uint64_t size = 256ull << 20, reps = 5, ops = 0;
	const char *json = NULL, *report = NULL;
	char err[1024], dir[256], files[NWL * 3][300] = {{0}};
	const char *fp[NWL * 3], *fl[NWL * 3], *have[NWL][3] = {{NULL}};
	uint64_t fv[NWL * 3];
	unsigned nf = 0;
	int exit_code = MMB_EXIT_OK;

	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(access_usage, stdout);
			return MMB_EXIT_OK;
		}
		if (!v) {
			fprintf(stderr,
				"mmbench experiment access: unknown option or "
				"missing value: '%s'\n",
				a);
			return MMB_EXIT_USAGE;
		}
		if (strcmp(a, "--size") == 0)
			bad = opt_u64(MMB_OPT_SIZE, v, &size);
		else if (strcmp(a, "--reps") == 0)
			bad = opt_u64(MMB_OPT_REPS, v, &reps);
		else if (strcmp(a, "--ops") == 0)
			bad = opt_u64(MMB_OPT_OPS, v, &ops);
		else if (strcmp(a, "--json") == 0)
			json = v;
		else if (strcmp(a, "--report") == 0)
			report = v;
		else {
			fprintf(stderr,
				"mmbench experiment access: unknown option "
				"'%s'\n",
				a);
			return MMB_EXIT_USAGE;
		}
		if (bad)
			return bad;
		i++;
	}
	int checked = check_workloads(size, 1, ops);
	if (!checked)
		checked = check_outputs(json, report);
	if (checked)
		return checked;
	mmb_interrupt_install();
	if (mmb_cli_tempdir(dir, sizeof(dir), "experiment") < 0)
		return MMB_EXIT_FAIL;
	char s_size[32], s_reps[32], s_ops[32];
	snprintf(s_size, sizeof(s_size), "%llu", (unsigned long long)size);
	snprintf(s_reps, sizeof(s_reps), "%llu", (unsigned long long)reps);
	snprintf(s_ops, sizeof(s_ops), "%llu", (unsigned long long)ops);
	for (unsigned w = 0; w < NWL && !mmb_interrupted(); w++)
		for (unsigned k = 0; k < 3 && !mmb_interrupted(); k++) {
			char *f = files[w * 3 + k];
			char *args[] = {"-w",
					(char *)workloads[w],
					"-b",
					"pread,mmap",
					"--size",
					s_size,
					"--access",
					(char *)access_modes[k],
					"--cache",
					"warm",
					"--reps",
					s_reps,
					ops ? "--ops" : NULL,
					s_ops,
					NULL};
			snprintf(f, 300, "%s/%s-%s.json", dir, workloads[w],
				 access_modes[k]);
			mmb_interrupt_tempfile(f);
			printf("== access: %s, --access %s ==\n", workloads[w],
			       access_modes[k]);
			int rc = mmb_cli_child_run(args, f);
			if (access(f, F_OK) == 0) {
				have[w][k] = f;
				fv[nf] = k;
				fl[nf] = access_modes[k];
				fp[nf++] = f;
			}
			if (rc != 0 && exit_code == MMB_EXIT_OK)
				exit_code = rc > 128 ? rc : MMB_EXIT_FAIL;
		}
	printf("\naccess conclusion (warm %llu MiB file, pread vs mmap, "
	       "medians):\n",
	       (unsigned long long)(size >> 20));
	for (unsigned w = 0; w < NWL; w++)
		access_conclude(workloads[w], have[w]);
	if (mmb_interrupted())
		exit_code = 128 + mmb_interrupted();
	/* Named by mode, as a sweep of access would be: the runs share
	 * their workload and backend names. The report plots the merged
	 * file (a temporary one without --json). */
	char merged[300] = "";
	if (nf && report && !json) {
		snprintf(merged, sizeof(merged), "%s/merged.json", dir);
		mmb_interrupt_tempfile(merged);
		json = merged;
	}
	mmb_interrupt_hold(); /* no merged.tmp.XXXXXX left behind */
	int merged_rc = nf && json
			    ? mmb_results_merge_named(
				  fp, nf, "access", fv, fl, "access",
				  nf < NWL * 3 || mmb_interrupted(), json)
			    : 0;
	mmb_interrupt_release();
	if (merged_rc < 0) {
		mmb_results_errmsg(err, sizeof(err));
		fprintf(stderr, "mmbench experiment: --json %s: %s\n", json,
			err);
		if (exit_code == MMB_EXIT_OK)
			exit_code = MMB_EXIT_FAIL;
	}
	const char *mf[1] = {json};
	if (nf && report &&
	    mmb_cli_stage_files(report, mf, 1, err, sizeof(err)) < 0) {
		fprintf(stderr, "mmbench experiment: --report %s: %s\n", report,
			err);
		if (exit_code == MMB_EXIT_OK)
			exit_code = MMB_EXIT_FAIL;
	}
	/* A Ctrl-C during the report: it is finished, and the exit says
	 * the experiment was interrupted. */
	if (mmb_interrupted() && exit_code == MMB_EXIT_OK)
		exit_code = 128 + mmb_interrupted();
	if (merged[0]) {
		mmb_interrupt_tempfile_done(merged);
		unlink(merged);
	}
	for (unsigned i = 0; i < NWL * 3; i++)
		if (files[i][0]) {
			mmb_interrupt_tempfile_done(files[i]);
			unlink(files[i]);
		}
	mmb_interrupt_tempfile_done(dir);
	rmdir(dir);
	return exit_code;
}

/* ---- cidr22: the buffer pool at the same budget ----------------------- */

static const char *const cidr_workloads[] = {"random-4k", "zipf", "seq-read"};
#define NCW 3

/* args = -w WL -b BACKENDS [--pool-size POOL] common... extra... NULL
 * (each list NULL-terminated; extra may stop early at a NULL). */
static void cidr_args(char **args, const char *wl, const char *backends,
		      const char *pool, char *const *common, char *const *extra)
{
	unsigned n = 0;

	args[n++] = "-w";
	args[n++] = (char *)wl;
	args[n++] = "-b";
	args[n++] = (char *)backends;
	if (pool) {
		args[n++] = "--pool-size";
		args[n++] = (char *)pool;
	}
	for (; *common; common++)
		args[n++] = *common;
	for (; *extra; extra++)
		args[n++] = *extra;
	args[n] = NULL;
}

/* How the pool was sized: limit - what the process needs besides it - its
 * page table - a margin, as a struct first (tests, the conclusion) and
 * in words (how). */
struct pool_choice {
	uint64_t pool;	 /* bytes; 0: not chosen (why) */
	uint64_t other;	 /* the calibration's pool_cgroup_other */
	uint64_t table;	 /* frame headers and buckets, estimated */
	uint64_t margin; /* what is allocated after the pool is */
	char how[512];
	char why[256];
};

/* Frame header (64 B) and at most two buckets (4 B each) per 4 KiB frame:
 * the bufferpool's page table (backends/bufferpool.c). */
#define POOL_TABLE_PER_FRAME 72

static struct pool_choice choose_pool(const char *file, const char *wl,
				      uint64_t limit)
{
	struct pool_choice c = {0};
	struct mmb_results *r;
	char name[64], msg[512];

	if (mmb_results_load(file, &r) < 0) {
		snprintf(c.why, sizeof(c.why),
			 "the calibration run left no results (%s)",
			 mmb_results_errmsg(msg, sizeof(msg)));
		return c;
	}
	snprintf(name, sizeof(name), "%s/bufferpool", wl);
	const struct mmb_rbench *b = mmb_results_find(r, name);
	const struct mmb_rentry *e = b ? mmb_rbench_center(r, b) : NULL;
	double other = e ? mmb_rentry_num(e, "pool_cgroup_other") : NAN;
	mmb_results_free(r);
	if (isnan(other) || other < 0) {
		snprintf(c.why, sizeof(c.why),
			 "the calibration run did not measure the memory the "
			 "process needs in the cgroup (no pool_cgroup_other%s)",
			 b && b->error ? ": it failed" : "");
		return c;
	}
	c.other = (uint64_t)other;
	/* Allocated after the pool: the threads' buffers, the latency
	 * histograms, the sampler's; 1/64 of the budget, at least 2 MiB. */
	c.margin = limit / 64 > (2u << 20) ? limit / 64 : (2u << 20);
	if (c.other + c.margin >= limit) {
		snprintf(c.why, sizeof(c.why),
			 "the process needs %llu KiB besides the pool, which "
			 "leaves nothing of the %llu MiB limit",
			 (unsigned long long)(c.other >> 10),
			 (unsigned long long)(limit >> 20));
		return c;
	}
	uint64_t room = limit - c.other - c.margin;
	/* pool + pool / 4096 * 72 <= room, in whole 2 MiB (any frame size
	 * divides it) */
	c.pool = room / (4096 + POOL_TABLE_PER_FRAME) * 4096;
	c.pool -= c.pool % (2u << 20);
	c.table = c.pool / 4096 * POOL_TABLE_PER_FRAME;
	if (!c.pool) {
		snprintf(c.why, sizeof(c.why),
			 "less than 2 MiB left for the pool");
		return c;
	}
	snprintf(c.how, sizeof(c.how),
		 "%llu MiB = the %llu MiB limit - %llu KiB of the process's "
		 "other memory in the cgroup (calibration run: anonymous "
		 "memory charged at open) - %llu KiB page table - %llu KiB "
		 "margin, rounded down to 2 MiB",
		 (unsigned long long)(c.pool >> 20),
		 (unsigned long long)(limit >> 20),
		 (unsigned long long)(c.other >> 10),
		 (unsigned long long)(c.table >> 10),
		 (unsigned long long)(c.margin >> 10));
	return c;
}

/* The median entry's number `key` of WL/BACKEND in r; NaN when absent. */
static double cidr_num(const struct mmb_results *r, const char *wl,
		       const char *backend, const char *key)
{
	char name[96];

	snprintf(name, sizeof(name), "%s/%s", wl, backend);
	const struct mmb_rbench *b = r ? mmb_results_find(r, name) : NULL;
	const struct mmb_rentry *e = b ? mmb_rbench_center(r, b) : NULL;
	return e ? mmb_rentry_num(e, key) : NAN;
}

/* The three backends of one workload side by side, the winner, and why
 * (the numbers that explain it): pread-direct and mmap from file, the
 * bufferpool from pool_file (NULL: it did not run, c->why says why). */
/* One workload's outcome, before it is put in words. */
struct cidr_outcome {
	const char *winner; /* a backend name; NULL: not judged */
	double ratio;	    /* winner's ops/s over the next one's */
	double hit_ratio;   /* the pool's */
};

static struct cidr_outcome conclude_pool(const char *wl, const char *file,
					 const char *pool_file,
					 const struct pool_choice *c,
					 uint64_t size)
{
	struct cidr_outcome out = {.ratio = NAN, .hit_ratio = NAN};
	struct mmb_results *r = NULL, *q = NULL;
	char msg[512];

	if (mmb_results_load(file, &r) < 0) {
		printf("%s: cannot compare: %s\n", wl,
		       mmb_results_errmsg(msg, sizeof(msg)));
		return out;
	}
	if (pool_file && mmb_results_load(pool_file, &q) < 0)
		q = NULL;
	double d = cidr_num(r, wl, "pread-direct", "items_per_second");
	double m = cidr_num(r, wl, "mmap", "items_per_second");
	double mops = cidr_num(r, wl, "mmap", "ops");
	double mmaj = cidr_num(r, wl, "mmap", "major_faults");
	double mamp = cidr_num(r, wl, "mmap", "read_amp");
	double b = cidr_num(q, wl, "bufferpool", "items_per_second");
	double h = cidr_num(q, wl, "bufferpool", "pool_hit_ratio");
	double bev = cidr_num(q, wl, "bufferpool", "pool_evictions");
	double bops = cidr_num(q, wl, "bufferpool", "ops");
	double touched = cidr_num(q, wl, "bufferpool", "pages_touched");
	double frames = cidr_num(q, wl, "bufferpool", "pool_frames");
	double frac = c->pool ? (double)c->pool / (double)size : NAN;
	double mfpo = mops > 0 ? mmaj / mops : NAN;

	printf("%s: pread-direct %.0f ops/s (the floor: every op a device "
	       "read); mmap %.0f ops/s, %.0f major faults (%.2f per op)",
	       wl, d, m, mmaj, mfpo);
	if (!isnan(mamp))
		printf(", read %.1fx the requested bytes", mamp);
	if (!q) {
		printf("; bufferpool not run (%s)\n",
		       pool_file ? "no results" : c->why);
		mmb_results_free(r);
		return out;
	}
	printf("; bufferpool %.0f ops/s, pool hit ratio %.1f%% with a pool of "
	       "%.0f%% of the file, %.0f evictions (%.2f per op)",
	       b, 100 * h, 100 * frac, bev, bops > 0 ? bev / bops : NAN);
	const char *win = b >= m && b >= d ? "bufferpool"
			  : m >= d	   ? "mmap"
					   : "pread-direct";
	double best = b >= m && b >= d ? b : m >= d ? m : d;
	double second = win[0] == 'b'	? (m > d ? m : d)
			: win[0] == 'm' ? (b > d ? b : d)
					: (b > m ? b : m);
	printf(". Winner: %s, %.2fx the next. ", win,
	       second > 0 ? best / second : NAN);
	/* Why, from the numbers: a pool hit is a memcpy, a miss one direct
	 * read (what pread-direct does for every op), so 1 / (1 - h) bounds
	 * the pool's gain over the floor; mmap's misses are faults, with
	 * readahead that may read what the ops never use. */
	bool hits = h >= 0.05;
	printf("Pool vs floor: %.2fx pread-direct, with %.0f%% hits (at most "
	       "%.2fx if a miss costs one direct read)",
	       d > 0 ? b / d : NAN, 100 * h, h < 1 ? 1 / (1 - h) : INFINITY);
	if (!hits)
		printf(": without hits the pool does what pread-direct does, "
		       "one direct read per op%s",
		       d > 0 && b / d < 1.25 && b / d > 0.8
			   ? ", and their difference is within one "
			     "repetition's noise"
			   : "");
	/* --duration cycles one list of ops: when the pages it touches fit
	 * in the frames, every access after the first pass hits, whatever
	 * the file's size. */
	if (!isnan(touched) && !isnan(frames) && touched <= frames)
		printf(" (the ops touch %.0f distinct pages, which fit in the "
		       "pool's %.0f frames: after the first pass every access "
		       "hits, and a page cache of the same budget can hold "
		       "them as well)",
		       touched, frames);
	if (!isnan(h) && !isnan(frac) && h < frac / 2)
		printf(" (below half the pool's share of the file: a scan, or "
		       "a pattern CLOCK cannot keep)");
	printf(". mmap vs floor: %.2fx, %.2f major faults per op", m / d, mfpo);
	if (!isnan(mamp) && mamp >= 2)
		printf(", readahead reading %.1fx the requested bytes (in a "
		       "small cgroup it evicts what the ops would reuse)",
		       mamp);
	printf(". ");
	bool both = mfpo < 0.01 && 1 - h < 0.01;
	if (both && win[0] != 'p')
		printf("%s wins with both serving nearly every access from "
		       "memory: an mmap hit is a load from the mapping, a pool "
		       "hit a page-table lookup and a pin before the same copy",
		       win);
	else if (win[0] == 'b' && hits)
		printf("At the same budget the pool wins because its hits are "
		       "a memcpy and its misses one direct read each, where "
		       "mmap pays a fault per miss%s",
		       !isnan(mamp) && mamp >= 2 ? " and reads ahead in vain"
						 : "");
	else if (win[0] == 'm')
		printf("mmap wins with %.2f major faults per op against the "
		       "pool's %.2f misses per op: %s",
		       mfpo, 1 - h,
		       mfpo < 1 - h ? "its page cache kept more of the file "
				      "(or read ahead what the ops then "
				      "used)"
				    : "its faults cost less than the pool's "
				      "direct reads and evictions");
	else if (win[0] == 'p')
		printf("Neither cache paid for itself here: the pool's misses "
		       "and evictions and mmap's faults cost more than the "
		       "reads they saved");
	else
		printf("No cache helps this pattern: the winner is whichever "
		       "reads the device best");
	printf(".\n");
	mmb_results_free(q);
	mmb_results_free(r);
	out.winner = win;
	out.ratio = second > 0 ? best / second : NAN;
	out.hit_ratio = h;
	return out;
}

int cmd_experiment(int argc, char **argv)
{
	uint64_t limit = 256ull << 20, size = 0, threads = 2, interval = 1000;
	double duration = 20;
	const char *json = NULL, *report = NULL, *advice = NULL;
	char err[1024], dir[256];
	/* Per workload: pread-direct and mmap, the calibration, bufferpool. */
	char files[NCW][3][300] = {{{0}}};
	/* The files left, for the merge: one that failed without a file must
	 * not shift the later ones. */
	const char *fp[NCW * 2];
	unsigned nf = 0;
	struct pool_choice pc[NCW] = {{0}};
	int exit_code = MMB_EXIT_OK;

	if (argc >= 2 &&
	    (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		fputs(usage_text, stdout);
		return MMB_EXIT_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "access") == 0)
		return experiment_access(argc, argv);
	if (argc < 2 || strcmp(argv[1], "cidr22") != 0) {
		fprintf(stderr,
			"mmbench experiment: %s '%s' (known: cidr22, access)\n",
			argc < 2 ? "no experiment given" : "unknown experiment",
			argc < 2 ? "" : argv[1]);
		return MMB_EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			return MMB_EXIT_OK;
		}
		if (!v) {
			fprintf(stderr,
				"mmbench experiment: unknown option or "
				"missing value: '%s'\n",
				a);
			return MMB_EXIT_USAGE;
		}
		if (strcmp(a, "--memory-limit") == 0)
			bad = opt_u64(MMB_OPT_MEMORY_LIMIT, v, &limit);
		else if (strcmp(a, "--size") == 0)
			bad = opt_u64(MMB_OPT_SIZE, v, &size);
		else if (strcmp(a, "--threads") == 0)
			bad = opt_u64(MMB_OPT_THREADS, v, &threads);
		else if (strcmp(a, "--interval") == 0)
			bad = opt_u64(MMB_OPT_INTERVAL, v, &interval);
		else if (strcmp(a, "--duration") == 0)
			bad = opt_double(MMB_OPT_DURATION, v, &duration);
		else if (strcmp(a, "--advice") == 0) {
			if (mmb_advice_parse(advice = v) < 0) {
				fprintf(stderr,
					"mmbench experiment: unknown advice "
					"'%s' (see mmbench list)\n",
					v);
				return MMB_EXIT_USAGE;
			}
		} else if (strcmp(a, "--json") == 0)
			json = v;
		else if (strcmp(a, "--report") == 0)
			report = v;
		else {
			fprintf(stderr,
				"mmbench experiment: unknown option '%s'\n", a);
			return MMB_EXIT_USAGE;
		}
		if (bad)
			return bad;
		i++;
	}
	if (!size)
		size = 3 * limit;
	int checked = check_workloads(size, threads, 0);
	if (!checked)
		checked = check_outputs(json, report);
	if (checked)
		return checked;
	/* Its parts that this build lacks (Windows), all named at once. */
	const char *why = mmb_cli_unavailable("memory-limit");
	if (why) {
		fprintf(stderr,
			"mmbench experiment: cidr22 needs Linux: a memory "
			"cgroup to cap the page cache, and the --interval "
			"sampler (mincore); --memory-limit is %s\n",
			why);
		return MMB_EXIT_USAGE;
	}
	/* Fail now, not after the file is written, without a cgroup. */
	struct mmb_cgroup probe;
	if (mmb_cgroup_create(&probe, limit) < 0) {
		fprintf(stderr,
			"mmbench experiment: needs a memory cgroup: %s\n",
			mmb_errmsg(err, sizeof(err)));
		return MMB_EXIT_USAGE;
	}
	mmb_cgroup_remove(&probe);
	mmb_interrupt_install();
	if (mmb_cli_tempdir(dir, sizeof(dir), "experiment") < 0)
		return MMB_EXIT_FAIL;
	char s_limit[32], s_size[32], s_dur[32], s_int[32], s_thr[32];
	snprintf(s_limit, sizeof(s_limit), "%llu", (unsigned long long)limit);
	snprintf(s_size, sizeof(s_size), "%llu", (unsigned long long)size);
	snprintf(s_dur, sizeof(s_dur), "%g", duration);
	snprintf(s_int, sizeof(s_int), "%llu", (unsigned long long)interval);
	snprintf(s_thr, sizeof(s_thr), "%llu", (unsigned long long)threads);
	for (unsigned w = 0; w < NCW && !mmb_interrupted(); w++) {
		const char *wl = cidr_workloads[w];
		char *common[] = {"--size",  s_size,	    "--memory-limit",
				  s_limit,   "--threads",   s_thr,
				  "--cache", "cold",	    "--reps",
				  "1",	     "--no-warmup", NULL};
		char *timed[] = {"--interval",
				 s_int,
				 "--duration",
				 s_dur,
				 advice ? "--advice" : NULL,
				 (char *)advice,
				 NULL};
		char *args[40];
		int rc;

		for (unsigned k = 0; k < 3; k++) {
			snprintf(files[w][k], sizeof(files[w][k]),
				 "%s/%s-%u.json", dir, wl, k);
			mmb_interrupt_tempfile(files[w][k]);
		}
		printf("== cidr22: %s: pread-direct, mmap ==\n", wl);
		cidr_args(args, wl, "pread-direct,mmap", NULL, common, timed);
		rc = mmb_cli_child_run(args, files[w][0]);
		if (access(files[w][0], F_OK) == 0)
			fp[nf++] = files[w][0];
		if (rc != 0 && exit_code == MMB_EXIT_OK)
			exit_code = rc > 128 ? rc : MMB_EXIT_FAIL;
		if (mmb_interrupted())
			break;

		/* What the process needs besides the pool, measured in the
		 * same cgroup with a pool of one 2 MiB slice, briefly: its
		 * reads warm no more of the file than 50 ms of I/O. */
		printf("== cidr22: %s: sizing the pool ==\n", wl);
		char *calib[] = {"--duration",	"0.05", "--no-kernel-events",
				 "--lat-every", "0",	NULL};
		cidr_args(args, wl, "bufferpool", "2M", common, calib);
		rc = mmb_cli_child_run(args, files[w][1]);
		pc[w] = choose_pool(files[w][1], wl, limit);
		if (!pc[w].pool) {
			printf("cidr22: %s: bufferpool not run: %s\n", wl,
			       pc[w].why);
			if (exit_code == MMB_EXIT_OK)
				exit_code = rc > 128 ? rc : MMB_EXIT_FAIL;
			continue;
		}
		char s_pool[32];
		snprintf(s_pool, sizeof(s_pool), "%llu",
			 (unsigned long long)pc[w].pool);
		printf("== cidr22: %s: bufferpool, pool %s ==\n", wl,
		       pc[w].how);
		cidr_args(args, wl, "bufferpool", s_pool, common, timed);
		rc = mmb_cli_child_run(args, files[w][2]);
		if (access(files[w][2], F_OK) == 0)
			fp[nf++] = files[w][2];
		if (rc != 0 && exit_code == MMB_EXIT_OK)
			exit_code = rc > 128 ? rc : MMB_EXIT_FAIL;
	}
	printf("\ncidr22 conclusion (memory limit %llu MiB, file %llu MiB):\n",
	       (unsigned long long)(limit >> 20),
	       (unsigned long long)(size >> 20));
	struct cidr_outcome oc[NCW];
	for (unsigned w = 0; w < NCW; w++) {
		oc[w] = (struct cidr_outcome){.winner = NULL};
		if (access(files[w][0], F_OK) != 0)
			continue;
		conclude(cidr_workloads[w], files[w][0], limit, advice != NULL);
		oc[w] = conclude_pool(
		    cidr_workloads[w], files[w][0],
		    pc[w].pool && access(files[w][2], F_OK) == 0 ? files[w][2]
								 : NULL,
		    &pc[w], size);
	}
	/* When each wins, in one line: the pool where its hits are many
	 * (skew), the others where they are not. */
	printf("summary:");
	for (unsigned w = 0; w < NCW; w++)
		if (oc[w].winner)
			printf("%s %s: %s wins (%.2fx the next; pool hit ratio "
			       "%.0f%%)",
			       w ? ";" : "", cidr_workloads[w], oc[w].winner,
			       oc[w].ratio, 100 * oc[w].hit_ratio);
		else
			printf("%s %s: not judged", w ? ";" : "",
			       cidr_workloads[w]);
	printf("\n");
	if (mmb_interrupted())
		exit_code = 128 + mmb_interrupted();
	mmb_interrupt_hold();
	int merged_rc =
	    nf && json
		? mmb_results_merge(fp, nf, NULL, NULL, "cidr22",
				    nf < NCW * 2 || mmb_interrupted(), json)
		: 0;
	mmb_interrupt_release();
	if (merged_rc < 0) {
		mmb_results_errmsg(err, sizeof(err));
		fprintf(stderr, "mmbench experiment: --json %s: %s\n", json,
			err);
		if (exit_code == MMB_EXIT_OK)
			exit_code = MMB_EXIT_FAIL;
	}
	if (nf && report &&
	    mmb_cli_stage_files(report, fp, (int)nf, err, sizeof(err)) < 0) {
		fprintf(stderr, "mmbench experiment: --report %s: %s\n", report,
			err);
		if (exit_code == MMB_EXIT_OK)
			exit_code = MMB_EXIT_FAIL;
	}
	/* A Ctrl-C during the report: it is finished, and the exit says
	 * the experiment was interrupted. */
	if (mmb_interrupted() && exit_code == MMB_EXIT_OK)
		exit_code = 128 + mmb_interrupted();
	for (unsigned w = 0; w < NCW; w++)
		for (unsigned k = 0; k < 3; k++)
			if (files[w][k][0]) {
				mmb_interrupt_tempfile_done(files[w][k]);
				unlink(files[w][k]);
			}
	mmb_interrupt_tempfile_done(dir);
	rmdir(dir);
	return exit_code;
}
