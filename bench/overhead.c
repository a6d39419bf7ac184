/* SPDX-License-Identifier: MIT */
/* overhead.c - mmb_overhead: the harness against the bare loops, paired
 * repetition by repetition in one process (issue 13).
 *
 *   mmb_overhead [--ops N] [--ops-direct N] [--pairs K] [--seed S]
 *                [--lat-every N] [--sampling] [--as-run] [--verbose]
 *                FILE BACKEND...
 *
 * For each backend that has a bare loop (pread, mmap, mmap-populate,
 * io_uring, pread-direct) it runs K pairs: one repetition of the harness
 * (mmb_run, the function `mmbench run` calls: random-4k, warm cache, one
 * measured repetition, no warm-up, the latency sampling that `mmbench
 * run` would choose (below) or --lat-every's, 0: none) and one of the
 * bare loop (bare_loops.c), adjacent in time, in ABBA order (pair i runs
 * the harness first when i % 4 is 0 or 3). The backends take turns
 * pair by pair. A pair's ratio is harness ops/s over bare ops/s; its CPU
 * ratio is bare CPU per op over harness CPU per op (the harness's CPU is
 * the process's, the bare loop's its thread's). The two halves of a pair
 * are a few hundred ms apart instead of the seconds between two processes
 * of bench/harness-overhead.sh, so the machine's drift disturbs them less.
 * Both sides must give the same checksum (the same ops), or the program
 * fails.
 *
 * Before the pairs, one mmb_run per backend with `mmbench run`'s
 * defaults (a warm-up, the kernel events in an evidence repetition),
 * discarded: it registers the process's tracepoint anchors as `mmbench
 * run` has them during its measured repetitions, warms both code paths,
 * and its warm-up gives the latency sampling's N (one timed op about
 * every 200 us), kept for the pairs. The pairs then run with the kernel
 * events off: `mmbench run`'s measured repetitions count none either
 * (they are counted in the evidence repetition).
 *
 * Printed per backend: the pairs, the median harness and bare ops/s, the
 * median ratio with its quartiles and a 95 % bootstrap interval of the
 * median (pairs resampled 4000 times, seeded), the median CPU ratio and
 * the verdict against issue 13's 0.97: "met" when the whole interval is
 * >= 0.97, "NOT met" when all of it is below, otherwise "undecided".
 * --as-run makes each half of a pair what `mmbench run` does with its
 * defaults: a warm-up, 3 measured repetitions and the evidence
 * repetition (the median of the 3 is the harness's), against 3 bare
 * repetitions (their median).
 * Exit 0 whatever the verdict, 1 when a repetition fails or the checksums
 * differ, 2 on bad usage. --ops defaults to 262144 (mmbench's), --ops-direct
 * (pread-direct's, every op a device read) to 20000, --pairs to 20. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bare_loops.h"
#include "mmbench/backend.h"
#include "mmbench/kevents.h"
#include "mmbench/result.h"
#include "mmbench/units.h"
#include "mmbench/workload.h"

#define MAX_BACKENDS	BARE__COUNT
#define BOOT		4000
#define TARGET		0.97
#define SAMPLING_TARGET 0.99

struct side {
	double ops_s, cpu_per_op;
	uint64_t sum;
};

struct be {
	const struct mmb_backend *b;
	enum bare_kind k;
	uint64_t ops;
	double *ratio, *cpu, *h_ops, *b_ops;
	unsigned n;
	uint64_t every; /* its latency sampling: one op in every timed */
	char skip[MMB_RESULT_MSG]; /* why it cannot run here; "" runs */
};

static const char *path;
static uint64_t size, seed = 1, lat_every = 0;
static bool lat_set;
/* --as-run: each side of a pair is a whole `mmbench run` with its
 * defaults (a warm-up, AS_RUN_REPS measured repetitions, the kernel
 * events in an evidence repetition) and AS_RUN_REPS bare repetitions,
 * compared median to median */
static bool as_run;
#define AS_RUN_REPS 3

static void usage(void)
{
	fprintf(stderr,
		"usage: mmb_overhead [--ops N] [--ops-direct N] [--pairs K] "
		"[--seed S] [--lat-every N] [--sampling] [--as-run] "
		"[--verbose] FILE BACKEND...\n");
	exit(2);
}

/* One harness repetition of backend b (ops ops), one op in *every timed,
 * or none when untimed. The first of a backend also counts the kernel
 * events in an evidence repetition, and with *every 0 (mmbench run's
 * default) runs a warm-up first, from which the runner chooses N, stored
 * in *every for the others; they count no kernel events. 0, 1 when the
 * backend cannot run here (the reason in skip) or -1 (printed). */
static int harness(const struct mmb_backend *b, uint64_t ops, uint64_t *every,
		   bool first, bool untimed, struct side *out, char *skip,
		   size_t skiplen)
{
	const struct mmb_backend *bs[1] = {b};
	struct mmb_run_opts o = {
	    .workload = mmb_workload_find("random-4k"),
	    .wl = {.file_size = size, .ops = ops, .seed = seed, .threads = 1},
	    .path = path,
	    .backends = bs,
	    .nbackends = 1,
	    .bopts = {.advice = -1},
	    .cache = MMB_CACHE_WARM,
	    .reps = as_run ? AS_RUN_REPS : 1,
	    .warmup = as_run || (first && *every == 0 && !untimed),
	    .lat_every = as_run ? (lat_set ? lat_every : 0) : *every,
	    .no_latency = untimed,
	};
	struct mmb_run_result *r = NULL;
	char m[512];
	int rc;

	mmb_kevents_set_mode(first || as_run ? MMB_KEV_MODE_SEPARATE
					     : MMB_KEV_MODE_OFF);
	if ((rc = mmb_workload_resolve(o.workload, &o.wl)) < 0 ||
	    (rc = mmb_run(&o, &r)) < 0) {
		fprintf(stderr, "mmb_overhead: %s: %s\n", b->name,
			mmb_errmsg(m, sizeof(m)));
		return -1;
	}
	const struct mmb_backend_result *br = &r->b[0];
	if (br->status == MMB_ESKIP && skip) {
		snprintf(skip, skiplen, "%s", br->message);
		mmb_run_result_free(r);
		return 1;
	}
	if (br->status != 0 || br->nreps < 1) {
		fprintf(stderr, "mmb_overhead: %s: %s%s\n", b->name,
			br->status == MMB_ESKIP ? "skipped: " : "",
			br->message);
		mmb_run_result_free(r);
		return -1;
	}
	const struct mmb_rep *rep = as_run ? &br->median : &br->reps[0];
	if (!untimed)
		*every = br->lat_every;
	out->ops_s = rep->m[MMB_M_ITEMS_PER_SECOND];
	out->cpu_per_op = rep->m[MMB_M_CPU_TIME];
	out->sum = rep->checksum;
	mmb_run_result_free(r);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* One bare repetition, or with --as-run AS_RUN_REPS of them and their
 * medians. */
static int bare(const struct be *e, struct side *out)
{
	double ops_s[AS_RUN_REPS], cpu[AS_RUN_REPS];
	const int n = as_run ? AS_RUN_REPS : 1;
	struct bare_rep r;
	char err[256];

	for (int i = 0; i < n; i++) {
		if (bare_rep(e->k, path, size, e->ops, seed, &r, err,
			     sizeof(err)) < 0) {
			fprintf(stderr, "mmb_overhead: bare %s: %s\n",
				bare_backend(e->k), err);
			return -1;
		}
		ops_s[i] = r.ns > 0 ? (double)r.ops * 1e9 / r.ns : 0;
		cpu[i] = r.ops ? r.cpu_ns / (double)r.ops : 0;
	}
	qsort(ops_s, (size_t)n, sizeof(double), cmp_double);
	qsort(cpu, (size_t)n, sizeof(double), cmp_double);
	out->ops_s = ops_s[n / 2];
	out->cpu_per_op = cpu[n / 2];
	out->sum = r.sum;
	return 0;
}

/* The q-quantile of x[0..n) (n >= 1), linear between order statistics;
 * x is sorted in place. */
static double quantile(double *x, unsigned n, double q)
{
	qsort(x, n, sizeof(*x), cmp_double);
	double pos = q * (n - 1);
	unsigned i = (unsigned)pos;
	return i + 1 < n ? x[i] + (pos - i) * (x[i + 1] - x[i]) : x[n - 1];
}

/* splitmix64, for the bootstrap's resampling (seeded: the same pairs
 * give the same interval). */
static uint64_t next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* 95 % bootstrap interval of the median of x[0..n) into lo, hi. */
static void boot(const double *x, unsigned n, double *lo, double *hi)
{
	double *med = malloc(BOOT * sizeof(double));
	double *res = malloc(n * sizeof(double));
	uint64_t s = 1;

	if (!med || !res) {
		*lo = *hi = 0;
		free(med);
		free(res);
		return;
	}
	for (unsigned b = 0; b < BOOT; b++) {
		for (unsigned i = 0; i < n; i++)
			res[i] = x[next_rand(&s) % n];
		med[b] = quantile(res, n, 0.5);
	}
	qsort(med, BOOT, sizeof(*med), cmp_double);
	*lo = med[(unsigned)(0.025 * BOOT)];
	*hi = med[(unsigned)(0.975 * BOOT) - 1];
	free(med);
	free(res);
}

static bool parse_u64(const char *opt, const char *v, uint64_t *out)
{
	if (!v || mmb_parse_u64(v, false, out) < 0 || *out == 0) {
		fprintf(stderr,
			"mmb_overhead: %s: want a positive count, got "
			"'%s'\n",
			opt, v ? v : "");
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	uint64_t ops = 262144, ops_direct = 20000, pairs = 20;
	bool verbose = false, sampling = false;
	struct be be[MAX_BACKENDS];
	unsigned nbe = 0;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--verbose") == 0) {
			verbose = true;
			continue;
		}
		if (strcmp(a, "--sampling") == 0) {
			sampling = true;
			continue;
		}
		if (strcmp(a, "--as-run") == 0) {
			as_run = true;
			continue;
		}
		uint64_t *dst = strcmp(a, "--ops") == 0		 ? &ops
				: strcmp(a, "--ops-direct") == 0 ? &ops_direct
				: strcmp(a, "--pairs") == 0	 ? &pairs
				: strcmp(a, "--seed") == 0	 ? &seed
				: strcmp(a, "--lat-every") == 0	 ? &lat_every
								 : NULL;
		if (!dst)
			usage();
		if (dst == &lat_every) {
			/* 0 is allowed here: no op timed */
			if (!v || mmb_parse_u64(v, false, &lat_every) < 0) {
				fprintf(stderr,
					"mmb_overhead: --lat-every: "
					"want a count, got '%s'\n",
					v ? v : "");
				return 2;
			}
			lat_set = true;
		} else if (!parse_u64(a, v, dst)) {
			return 2;
		}
		i++;
	}
	if (argc - i < 2)
		usage();
	path = argv[i++];
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "mmb_overhead: %s: %s\n", path,
			stat(path, &st) < 0 ? strerror(errno)
					    : "not a regular file");
		return 2;
	}
	size = (uint64_t)st.st_size;
	const bool no_lat = lat_set && lat_every == 0;
	if (pairs > 100000) {
		fprintf(stderr, "mmb_overhead: --pairs: at most 100000\n");
		return 2;
	}
	for (; i < argc; i++) {
		int k = bare_kind_of(argv[i]);
		const struct mmb_backend *b = mmb_backend_find(argv[i]);
		if (k < 0 || !b || nbe == MAX_BACKENDS) {
			fprintf(stderr,
				"mmb_overhead: %s: no bare loop for it (pread, "
				"mmap, mmap-populate, io_uring, "
				"pread-direct)\n",
				argv[i]);
			return 2;
		}
		struct be *e = &be[nbe++];
		*e = (struct be){.b = b, .k = (enum bare_kind)k};
		e->ops = k == BARE_PREAD_DIRECT ? ops_direct : ops;
		e->ratio = calloc(pairs, sizeof(double));
		e->cpu = calloc(pairs, sizeof(double));
		e->h_ops = calloc(pairs, sizeof(double));
		e->b_ops = calloc(pairs, sizeof(double));
		if (!e->ratio || !e->cpu || !e->h_ops || !e->b_ops) {
			fprintf(stderr, "mmb_overhead: out of memory\n");
			return 1;
		}
	}

	struct mmb_env env;
	mmb_env_capture(&env, path);
	double load[2][3] = {{0}};
	FILE *la = fopen("/proc/loadavg", "r");
	if (la) {
		if (fscanf(la, "%lf %lf %lf", &load[0][0], &load[0][1],
			   &load[0][2]) != 3)
			load[0][0] = load[0][1] = load[0][2] = -1;
		fclose(la);
	}
	printf("file %s (%llu bytes), random 4 KiB reads, %llu ops "
	       "(pread-direct %llu) per repetition, %llu pairs per backend "
	       "in one process: %s\n",
	       path, (unsigned long long)size, (unsigned long long)ops,
	       (unsigned long long)ops_direct, (unsigned long long)pairs,
	       sampling ? "the harness with its latency sampling against "
			  "the harness with no op timed"
			: "the harness against the bare loop");
	if (as_run)
		printf("each side as mmbench run's defaults: a warm-up, %d "
		       "measured repetitions and an evidence repetition, "
		       "against %d bare repetitions; medians compared\n",
		       AS_RUN_REPS, AS_RUN_REPS);
	printf("cpu %s, kernel %s\n", env.cpu_model, env.kernel);
	fflush(stdout);

	/* the first run of each backend: its evidence repetition (the
	 * tracepoint anchors) and, without --lat-every, a warm-up from which
	 * the runner chooses its sampling, kept for the pairs */
	char list[512] = "";
	size_t len = 0;
	for (unsigned j = 0; j < nbe; j++) {
		struct side h;
		be[j].every = lat_set ? lat_every : 0;
		if (harness(be[j].b, be[j].ops, &be[j].every, true, no_lat, &h,
			    be[j].skip, sizeof(be[j].skip)) < 0)
			return 1;
		if (!be[j].skip[0] && len < sizeof(list)) {
			int n = snprintf(list + len, sizeof(list) - len,
					 "%s%s 1 in %llu", len ? ", " : "",
					 be[j].b->name,
					 (unsigned long long)be[j].every);
			len += n > 0 ? (size_t)n : 0;
		}
	}
	if (no_lat)
		printf("latency sampling: none (--lat-every 0)\n");
	else if (lat_set)
		printf("latency sampling: one op in %llu (--lat-every): %s\n",
		       (unsigned long long)lat_every, list);
	else
		printf("latency sampling: as mmbench run chooses it (one op "
		       "about every %.0f us of the loop): %s\n",
		       MMB_LAT_SPACING_NS / 1000.0, list);
	fflush(stdout);
	if (verbose)
		printf("%-14s %5s %14s %12s %6s %6s\n", "backend", "pair",
		       "harness ops/s", "bare ops/s", "ratio", "cpu");
	for (uint64_t p = 0; p < pairs; p++) {
		bool harness_first = p % 4 == 0 || p % 4 == 3;
		for (unsigned j = 0; j < nbe; j++) {
			struct be *e = &be[j];
			struct side h = {0}, b = {0};
			if (e->skip[0])
				continue;
			for (int half = 0; half < 2; half++) {
				bool h_now = (half == 0) == harness_first;
				if (h_now ? harness(e->b, e->ops, &e->every,
						    false, no_lat, &h, NULL, 0)
				    : sampling
					? harness(e->b, e->ops, &e->every,
						  false, true, &b, NULL, 0)
					: bare(e, &b))
					return 1;
			}
			if (h.sum != b.sum) {
				fprintf(stderr,
					"mmb_overhead: %s: checksums differ "
					"(harness 0x%016llx, bare 0x%016llx): "
					"not the same ops\n",
					e->b->name, (unsigned long long)h.sum,
					(unsigned long long)b.sum);
				return 1;
			}
			e->h_ops[e->n] = h.ops_s;
			e->b_ops[e->n] = b.ops_s;
			e->ratio[e->n] = b.ops_s > 0 ? h.ops_s / b.ops_s : 0;
			e->cpu[e->n] =
			    h.cpu_per_op > 0 ? b.cpu_per_op / h.cpu_per_op : 0;
			if (verbose)
				printf("%-14s %5llu %14.0f %12.0f %6.3f "
				       "%6.3f\n",
				       e->b->name, (unsigned long long)p,
				       h.ops_s, b.ops_s, e->ratio[e->n],
				       e->cpu[e->n]);
			e->n++;
		}
		if (verbose)
			fflush(stdout);
	}

	la = fopen("/proc/loadavg", "r");
	if (la) {
		if (fscanf(la, "%lf %lf %lf", &load[1][0], &load[1][1],
			   &load[1][2]) != 3)
			load[1][0] = load[1][1] = load[1][2] = -1;
		fclose(la);
	}
	printf("load average before %.2f %.2f %.2f, after %.2f %.2f %.2f\n",
	       load[0][0], load[0][1], load[0][2], load[1][0], load[1][1],
	       load[1][2]);
	const double target = sampling ? SAMPLING_TARGET : TARGET;
	printf("%-14s %5s %14s %12s %6s %11s %12s %6s  %s\n", "backend",
	       "pairs", sampling ? "sampled ops/s" : "harness ops/s",
	       sampling ? "untimed" : "bare ops/s", "median", "quartiles",
	       "95% interval", "cpu", "verdict");
	const char *overall = "met";
	double worst = -1; /* no backend measured yet */
	for (unsigned j = 0; j < nbe; j++) {
		struct be *e = &be[j];
		double lo, hi, q1, q3, m;
		if (e->skip[0]) {
			printf("%-14s skipped: %s\n", e->b->name, e->skip);
			continue;
		}
		boot(e->ratio, e->n, &lo, &hi);
		q1 = quantile(e->ratio, e->n, 0.25);
		q3 = quantile(e->ratio, e->n, 0.75);
		m = quantile(e->ratio, e->n, 0.5);
		const char *v = lo >= target  ? "met"
				: hi < target ? "NOT met"
					      : "undecided";
		if (strcmp(v, "NOT met") == 0 || (strcmp(v, "undecided") == 0 &&
						  strcmp(overall, "met") == 0))
			overall = v;
		worst = worst < 0 || m < worst ? m : worst;
		printf("%-14s %5u %14.0f %12.0f %6.3f %5.3f-%5.3f %5.3f-%5.3f "
		       "%6.3f  %s\n",
		       e->b->name, e->n, quantile(e->h_ops, e->n, 0.5),
		       quantile(e->b_ops, e->n, 0.5), m, q1, q3, lo, hi,
		       quantile(e->cpu, e->n, 0.5), v);
	}
	if (worst < 0)
		printf("target: not judged: no backend ran here\n");
	else if (sampling)
		printf(
		    "target: the latency sampling costs < 1 %% (sampled / "
		    "untimed >= %.2f) for every backend, judged on the 95 %% "
		    "interval; %s (worst median %.3f: %.1f %%)\n",
		    target, overall, worst, 100 * (1 - worst));
	else
		printf("target: median ratio >= %.2f for every backend, judged "
		       "on the 95 %% interval; %s (worst median %.3f)\n",
		       target, overall, worst);
	for (unsigned j = 0; j < nbe; j++) {
		free(be[j].ratio);
		free(be[j].cpu);
		free(be[j].h_ops);
		free(be[j].b_ops);
	}
	return 0;
}
