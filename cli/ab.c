/* SPDX-License-Identifier: MIT */
/* ab.c - `mmbench ab`: an interleaved A/B regression gate.
 *
 *   mmbench ab --old OLD_MMBENCH --new NEW_MMBENCH [run options]
 *   mmbench ab --old-cmd 'CMD {out}' --new-cmd 'CMD {out}' [options]
 *
 * Runs the two builds alternately, in many short rounds on this machine,
 * in ABBA order (A B B A A B B A ...), on the same file and the same ops;
 * each pair of neighbouring rounds gives one ratio new/old of a
 * benchmark's time per op. The decision is on those paired ratios
 * (Wilcoxon signed-rank test, Hodges-Lehmann estimate with its interval:
 * mmbench/paired.h), so drift of the machine between pairs cancels
 * instead of looking like a change. It looks at the data at a few planned
 * points (10, 20, 40, ... pairs) and stops as soon as every benchmark is
 * decided; the interval of each look is widened for the number of looks
 * and of benchmarks (Bonferroni), so stopping early costs no error rate.
 *
 * Exit: 0 no regression (same, faster, or undecided within the budget:
 * said so), 1 a regression, 2 bad usage or input (a build that cannot be
 * run, exits non-zero, or writes no such benchmark).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mmbench/compare.h>
#include <mmbench/results.h>
#include <mmbench/paired.h>
#include <mmbench/pressure.h>
#include <mmbench/result.h>

#include "commands.h"

#define AB_MAX_ARGS	96
#define AB_MAX_BENCH	32
#define AB_MAX_PAIRS	1024
#define AB_DEF_MIN	10
#define AB_DEF_MAX	128
#define AB_DEF_THRESH	0.03
#define AB_DEF_TIME	170.0
#define AB_MAX_COUNTERS 8

enum { METRIC_BOTH, METRIC_REAL, METRIC_CPU };

struct ab_side {
	const char *bin; /* an mmbench binary, or NULL */
	const char *cmd; /* a shell template with {out}, or NULL */
};

/* One benchmark under one measure: its wall time per op, or its CPU
 * time per op (the same benchmark twice with --metric both). */
struct ab_bench {
	char name[128];
	bool cpu;
	double old_t[AB_MAX_PAIRS], new_t[AB_MAX_PAIRS];
	double d[AB_MAX_PAIRS]; /* log(new / old) per pair */
	/* --counter: each gate's value per pair, old and new (wall entries
	 * only: one per benchmark) */
	double cold[AB_MAX_COUNTERS][AB_MAX_PAIRS];
	double cnew[AB_MAX_COUNTERS][AB_MAX_PAIRS];
	struct mmb_ab_result res;
	bool decided_now;
};

struct ab {
	struct ab_side side[2]; /* 0 = old (A), 1 = new (B) */
	char *run_args[AB_MAX_ARGS];
	unsigned nrun;
	double threshold, alpha, max_time;
	unsigned min_pairs, max_pairs, looks;
	const char *only;     /* --benchmark, or NULL: every common one */
	const char *markdown; /* --markdown FILE */
	int metric;	      /* METRIC_* */
	bool quiet;
	char dir[512];
	struct ab_bench *b;
	unsigned nb;
	size_t pairs;
	struct mmb_counter_gate gate[AB_MAX_COUNTERS]; /* --counter */
	unsigned ngates;
	bool gate_failed;
};

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: mmbench ab --old MMBENCH --new MMBENCH [options] [run "
	    "options]\n"
	    "       mmbench ab --old-cmd 'CMD {out}' --new-cmd 'CMD {out}' "
	    "[options]\n\n"
	    "Run two builds alternately (ABBA rounds on this machine) and "
	    "decide on the\npaired per-round ratios whether the new one is "
	    "slower. Exit 0 no regression,\n1 regression, 2 bad usage or "
	    "input.\n\n"
	    "  --old PATH, --new PATH   mmbench binaries; each round runs "
	    "PATH run [run options]\n"
	    "                           --json FILE (--reps 1 unless "
	    "given)\n"
	    "  --old-cmd T, --new-cmd T shell commands that write Google "
	    "Benchmark JSON to {out}\n"
	    "  --threshold F            smallest slow-down that fails, "
	    "fraction (default %.2f)\n"
	    "  --alpha A                error rate of a false regression, "
	    "two-sided (default %.2f)\n"
	    "  --min-pairs N            first look after N pairs (default "
	    "%u); then at 2N, 4N...\n"
	    "  --max-pairs N            last look (default %u)\n"
	    "  --max-time S             stop starting rounds after S "
	    "seconds (default %.0f)\n"
	    "  --benchmark NAME         decide on this benchmark only "
	    "(default: all in both)\n"
	    "  --metric both|real|cpu   time per op to decide on: wall "
	    "(real), CPU, or both,\n"
	    "                           each at half the error rate "
	    "(default both)\n"
	    "  --counter NAME:LIMIT     also fail when deterministic counter "
	    "NAME's median over\n"
	    "                           the pairs grows by more than LIMIT "
	    "(5%% or an absolute 100)\n"
	    "  --markdown FILE          write the summary as Markdown (CI "
	    "step summary)\n"
	    "  --quiet                  no per-look progress\n"
	    "Every other option goes to `mmbench run` (e.g. -w random-4k "
	    "--size 64M -b pread).\n",
	    AB_DEF_THRESH, MMB_COMPARE_ALPHA, AB_DEF_MIN, AB_DEF_MAX,
	    AB_DEF_TIME);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Append s to buf[*len..n) with every ' as '\'' inside single quotes. */
static int shell_quote(char *buf, size_t n, size_t *len, const char *s)
{
	char tmp[8];
	if (*len + 1 >= n)
		return -1;
	buf[(*len)++] = '\'';
	for (; *s; s++) {
		const char *piece = *s == '\'' ? "'\\''" : tmp;
		if (*s != '\'') {
			tmp[0] = *s;
			tmp[1] = 0;
		}
		size_t pl = strlen(piece);
		if (*len + pl + 1 >= n)
			return -1;
		memcpy(buf + *len, piece, pl);
		*len += pl;
	}
	if (*len + 2 >= n)
		return -1;
	buf[(*len)++] = '\'';
	buf[*len] = 0;
	return 0;
}

/* The template with every {out} replaced by the quoted path. */
static int expand(const char *tmpl, const char *out, char *buf, size_t n)
{
	size_t len = 0;
	for (const char *p = tmpl; *p;) {
		if (strncmp(p, "{out}", 5) == 0) {
			if (shell_quote(buf, n, &len, out) < 0)
				return -1;
			p += 5;
			continue;
		}
		if (len + 2 >= n)
			return -1;
		buf[len++] = *p++;
		buf[len] = 0;
	}
	buf[len] = 0;
	return 0;
}

/* Run one round of side s writing json. 0, or -1 with the reason printed
 * (the build failed: bad input for the gate). */
static int run_round(struct ab *ab, int s, const char *json)
{
	const struct ab_side *sd = &ab->side[s];
	const char *who = s ? "new" : "old";
	char cmd[8192];
	char *argv[AB_MAX_ARGS + 8];
	int n = 0, status;

	unlink(json);
	if (sd->cmd) {
		if (expand(sd->cmd, json, cmd, sizeof(cmd)) < 0) {
			fprintf(stderr, "mmbench ab: --%s-cmd is too long\n",
				who);
			return -1;
		}
		argv[n++] = "sh";
		argv[n++] = "-c";
		argv[n++] = cmd;
	} else {
		bool reps = false;
		argv[n++] = (char *)sd->bin;
		argv[n++] = "run";
		for (unsigned i = 0; i < ab->nrun; i++) {
			if (strcmp(ab->run_args[i], "--reps") == 0 ||
			    strncmp(ab->run_args[i], "--reps=", 7) == 0)
				reps = true;
			argv[n++] = ab->run_args[i];
		}
		if (!reps) {
			argv[n++] = "--reps";
			argv[n++] = "1";
		}
		argv[n++] = "--json";
		argv[n++] = (char *)json;
	}
	argv[n] = NULL;
	/* the child's own output is not the gate's: keep stderr only */
	if (mmb_cli_spawn_wait("mmbench ab", sd->cmd ? "/bin/sh" : sd->bin,
			       argv, true, &status))
		return -1;
	if (mmb_interrupted())
		return -1;
	if (WIFSIGNALED(status)) {
		fprintf(stderr,
			"mmbench ab: the %s build was killed by signal "
			"%d\n",
			who, WTERMSIG(status));
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		fprintf(stderr, "mmbench ab: the %s build exited with %d\n",
			who, WEXITSTATUS(status));
		return -1;
	}
	return 0;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* Time per op of benchmark b in this round: the median over its
 * repetitions (real_time or cpu_time, in ns). */
static double bench_time(const struct mmb_results *r,
			 const struct mmb_rbench *b, bool cpu)
{
	double v[256];
	size_t n = 0;

	for (size_t i = 0; i < b->nreps && n < 256; i++) {
		const struct mmb_rentry *e = &r->e[b->reps[i]];
		v[n++] = cpu ? e->cpu_ns : e->real_ns;
	}
	if (n == 0) {
		/* aggregates only: its median (or mean) */
		const struct mmb_rentry *e = mmb_rbench_center(r, b);
		if (e)
			v[n++] = cpu ? e->cpu_ns : e->real_ns;
	}
	return n ? mmb_results_median(v, n) : NAN;
}

/* A counter of benchmark b in this round: the median over its
 * repetitions of the entry key `name`; NaN when absent. */
static double bench_counter(const struct mmb_results *r,
			    const struct mmb_rbench *b, const char *name)
{
	double v[256];
	size_t n = 0;

	for (size_t i = 0; i < b->nreps && n < 256; i++) {
		double x = mmb_rentry_num(&r->e[b->reps[i]], name);
		if (!isnan(x))
			v[n++] = x;
	}
	return n ? mmb_results_median(v, n) : NAN;
}

/* First pair: choose the benchmarks (every one both files have, or
 * --benchmark). 0 or -1 with the reason printed. */
static int pick_benchmarks(struct ab *ab, const struct mmb_results *o,
			   const struct mmb_results *n)
{
	ab->b = calloc(AB_MAX_BENCH, sizeof(*ab->b));
	if (!ab->b) {
		fprintf(stderr, "mmbench ab: out of memory\n");
		return -1;
	}
	for (size_t i = 0; i < o->nb && ab->nb < AB_MAX_BENCH; i++) {
		const struct mmb_rbench *s = &o->b[i];
		if (ab->only && strcmp(s->name, ab->only) != 0)
			continue;
		const struct mmb_rbench *t = mmb_results_find(n, s->name);
		if (!t || s->skipped || t->skipped)
			continue;
		for (int m = 0; m < 2 && ab->nb < AB_MAX_BENCH; m++) {
			bool cpu = m == 1;
			if ((cpu && ab->metric == METRIC_REAL) ||
			    (!cpu && ab->metric == METRIC_CPU))
				continue;
			snprintf(ab->b[ab->nb].name, sizeof(ab->b[0].name),
				 "%s", s->name);
			ab->b[ab->nb++].cpu = cpu;
		}
	}
	if (ab->nb == 0) {
		if (ab->only)
			fprintf(stderr,
				"mmbench ab: benchmark '%s' is not in both "
				"builds' results (or skipped)\n",
				ab->only);
		else
			fprintf(stderr, "mmbench ab: the two builds' results "
					"have no benchmark in common that "
					"ran\n");
		return -1;
	}
	return 0;
}

/* Load the pair's two files and append one ratio per benchmark. */
static int add_pair(struct ab *ab, const char *old_json, const char *new_json)
{
	struct mmb_results *o = NULL, *n = NULL;
	char e[512];
	int rc = -1;

	if (mmb_results_load(old_json, &o) < 0 ||
	    mmb_results_load(new_json, &n) < 0) {
		fprintf(stderr, "mmbench ab: %s\n",
			mmb_results_errmsg(e, sizeof(e)));
		goto out;
	}
	if (!ab->b && pick_benchmarks(ab, o, n) < 0)
		goto out;
	for (unsigned i = 0; i < ab->nb; i++) {
		struct ab_bench *b = &ab->b[i];
		const struct mmb_rbench *so = mmb_results_find(o, b->name);
		const struct mmb_rbench *sn = mmb_results_find(n, b->name);
		double to =
		    so && !so->skipped ? bench_time(o, so, b->cpu) : NAN;
		double tn =
		    sn && !sn->skipped ? bench_time(n, sn, b->cpu) : NAN;
		if (!(to > 0.0) || !(tn > 0.0) || !isfinite(to) ||
		    !isfinite(tn)) {
			fprintf(stderr,
				"mmbench ab: pair %zu: benchmark '%s' has no "
				"positive %s time in %s\n",
				ab->pairs + 1, b->name, b->cpu ? "cpu" : "real",
				!(to > 0.0 && isfinite(to)) ? old_json
							    : new_json);
			goto out;
		}
		b->old_t[ab->pairs] = to;
		b->new_t[ab->pairs] = tn;
		b->d[ab->pairs] = log(tn / to);
		for (unsigned g = 0; g < ab->ngates && !b->cpu; g++) {
			b->cold[g][ab->pairs] =
			    bench_counter(o, so, ab->gate[g].name);
			b->cnew[g][ab->pairs] =
			    bench_counter(n, sn, ab->gate[g].name);
		}
	}
	ab->pairs++;
	rc = 0;
out:
	mmb_results_free(o);
	mmb_results_free(n);
	return rc;
}

static double median_of(const double *x, size_t n)
{
	double *c = malloc(n * sizeof(double));
	if (!c)
		return NAN;
	memcpy(c, x, n * sizeof(double));
	qsort(c, n, sizeof(double), cmp_double);
	double m = n % 2 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
	free(c);
	return m;
}

/* --counter: the deterministic counters, median over the pairs, new
 * against old, exactly (no statistics: they do not drift). Prints one
 * line per benchmark and gate to f; sets ab->gate_failed. Returns -1 when
 * a gate's counter is in no benchmark of both builds (a typo must not
 * pass). */
static int check_counters(struct ab *ab, FILE *f, bool md)
{
	if (md && ab->ngates)
		fputs("\n| benchmark | counter | old | new | gate |\n"
		      "|---|---|---:|---:|---|\n",
		      f);
	for (unsigned g = 0; g < ab->ngates; g++) {
		const struct mmb_counter_gate *gt = &ab->gate[g];
		bool seen = false;
		for (unsigned i = 0; i < ab->nb; i++) {
			const struct ab_bench *b = &ab->b[i];
			if (b->cpu)
				continue;
			double o = median_of(b->cold[g], ab->pairs);
			double n = median_of(b->cnew[g], ab->pairs);
			if (isnan(o) || isnan(n))
				continue;
			seen = true;
			bool fail =
			    gt->relative
				? (o > 0 ? (n - o) / o > gt->limit : n > o)
				: n - o > gt->limit;
			ab->gate_failed |= fail;
			fprintf(f,
				md ? "| `%s` | `%s` | %.17g | %.17g | %s |\n"
				   : "%-28s counter %s: old %.17g, new %.17g: "
				     "%s\n",
				b->name, gt->name, o, n,
				fail ? "REGRESSION" : "ok");
		}
		if (!seen) {
			fprintf(
			    stderr,
			    "mmbench ab: --counter %s: no benchmark of both "
			    "builds has it\n",
			    gt->name);
			return -1;
		}
	}
	return 0;
}

/* Decide every benchmark on the pairs so far. true when all are
 * decided (or one regressed: no need to go on). */
static bool look(struct ab *ab)
{
	bool all = true, regression = false;
	double alpha = ab->alpha / ab->nb;
	for (unsigned i = 0; i < ab->nb; i++) {
		struct ab_bench *b = &ab->b[i];
		if (mmb_ab_decide(b->d, ab->pairs, ab->threshold, alpha,
				  ab->looks, &b->res) < 0) {
			b->res.decision = MMB_AB_UNDECIDED;
			all = false;
			continue;
		}
		if (b->res.decision == MMB_AB_UNDECIDED)
			all = false;
		if (b->res.decision == MMB_AB_REGRESSION)
			regression = true;
	}
	return all || regression;
}

static void fmt_pct(double v, char *buf, size_t n)
{
	if (isinf(v))
		snprintf(buf, n, "%s", v < 0 ? "-inf" : "+inf");
	else
		snprintf(buf, n, "%+.2f%%", 100.0 * v);
}

static void print_summary(const struct ab *ab, FILE *f, bool md, double secs,
			  const char *why)
{
	char c[32], lo[32], hi[32];

	if (md)
		fprintf(f,
			"### mmbench ab: %s vs %s\n\n"
			"| benchmark | time | old ns/op | new ns/op | change | "
			"%.2f%% interval | p | decision |\n"
			"|---|---|---:|---:|---:|---|---:|---|\n",
			ab->side[0].bin ? ab->side[0].bin : "old",
			ab->side[1].bin ? ab->side[1].bin : "new",
			ab->nb ? 100.0 * ab->b[0].res.conf : 95.0);
	else
		fprintf(f, "%-28s %4s %10s %10s %8s %20s %7s  %s\n",
			"benchmark", "time", "old ns/op", "new ns/op", "change",
			"interval", "p", "decision");
	for (unsigned i = 0; i < ab->nb; i++) {
		const struct ab_bench *b = &ab->b[i];
		double mo = median_of(b->old_t, ab->pairs);
		double mn = median_of(b->new_t, ab->pairs);
		fmt_pct(b->res.change, c, sizeof(c));
		/* an unbounded interval of the log-ratio reads -inf, not
		 * -100 % */
		fmt_pct(isinf(b->res.t.lo) ? -INFINITY : b->res.lo, lo,
			sizeof(lo));
		fmt_pct(b->res.hi, hi, sizeof(hi));
		if (md)
			fprintf(f,
				"| `%s` | %s | %.1f | %.1f | %s | [%s, %s] | "
				"%.3g | %s |\n",
				b->name, b->cpu ? "cpu" : "wall", mo, mn, c, lo,
				hi, b->res.t.p,
				mmb_ab_decision_name(b->res.decision));
		else
			fprintf(f,
				"%-28s %4s %10.1f %10.1f %8s [%8s, %8s] %7.3g  "
				"%s\n",
				b->name, b->cpu ? "cpu" : "wall", mo, mn, c, lo,
				hi, b->res.t.p,
				mmb_ab_decision_name(b->res.decision));
	}
	fprintf(f, "%s%zu pairs (ABBA), %.0f s, threshold %.1f%%; %s\n",
		md ? "\n" : "", ab->pairs, secs, 100.0 * ab->threshold, why);
}

static int parse_args(struct ab *ab, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"old", required_argument, NULL, 'o'},
	    {"new", required_argument, NULL, 'n'},
	    {"old-cmd", required_argument, NULL, 'O'},
	    {"new-cmd", required_argument, NULL, 'N'},
	    {"threshold", required_argument, NULL, 't'},
	    {"alpha", required_argument, NULL, 'a'},
	    {"min-pairs", required_argument, NULL, 'm'},
	    {"max-pairs", required_argument, NULL, 'M'},
	    {"max-time", required_argument, NULL, 'T'},
	    {"benchmark", required_argument, NULL, 'B'},
	    {"metric", required_argument, NULL, 'x'},
	    {"markdown", required_argument, NULL, 'D'},
	    {"counter", required_argument, NULL, 'C'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	uint64_t u;

	/* Options of ours are taken wherever they stand; everything else
	 * goes to `mmbench run` in its order: scan once, by hand, so that a
	 * run option's value is never mistaken for one of ours. */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		const struct option *o = NULL;
		if (strncmp(a, "--", 2) == 0 && a[2]) {
			const char *eq = strchr(a + 2, '=');
			size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			for (const struct option *p = longopts; p->name; p++)
				if (strlen(p->name) == len &&
				    strncmp(p->name, a + 2, len) == 0)
					o = p;
			if (o && o->has_arg) {
				if (eq)
					val = eq + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else {
					fprintf(stderr,
						"mmbench ab: --%s needs a "
						"value\n",
						o->name);
					return -1;
				}
			} else if (o && eq) {
				fprintf(stderr,
					"mmbench ab: --%s takes no value\n",
					o->name);
				return -1;
			}
		}
		if (!o) {
			if (ab->nrun >= AB_MAX_ARGS - 8) {
				fprintf(stderr,
					"mmbench ab: too many run options\n");
				return -1;
			}
			ab->run_args[ab->nrun++] = argv[i];
			continue;
		}
		switch (o->val) {
		case 'o':
			ab->side[0].bin = val;
			break;
		case 'n':
			ab->side[1].bin = val;
			break;
		case 'O':
			ab->side[0].cmd = val;
			break;
		case 'N':
			ab->side[1].cmd = val;
			break;
		case 't':
			if (mmb_cli_double(val, &ab->threshold) < 0 ||
			    !(ab->threshold > 0.0 && ab->threshold < 1.0)) {
				fprintf(stderr,
					"mmbench ab: --threshold '%s': a "
					"fraction in (0, 1), e.g. 0.03\n",
					val);
				return -1;
			}
			break;
		case 'a':
			if (mmb_cli_double(val, &ab->alpha) < 0 ||
			    !(ab->alpha > 0.0 && ab->alpha < 1.0)) {
				fprintf(stderr,
					"mmbench ab: --alpha '%s': in (0, 1)\n",
					val);
				return -1;
			}
			break;
		case 'm':
		case 'M':
			if (mmb_cli_u64(val, false, &u) < 0 || u < 2 ||
			    u > AB_MAX_PAIRS) {
				fprintf(stderr,
					"mmbench ab: --%s '%s': 2 to %u\n",
					o->name, val, AB_MAX_PAIRS);
				return -1;
			}
			if (o->val == 'm')
				ab->min_pairs = (unsigned)u;
			else
				ab->max_pairs = (unsigned)u;
			break;
		case 'T':
			if (mmb_cli_double(val, &ab->max_time) < 0 ||
			    !(ab->max_time > 0.0 && ab->max_time <= 86400.0)) {
				fprintf(stderr,
					"mmbench ab: --max-time '%s': seconds, "
					"up to 86400\n",
					val);
				return -1;
			}
			break;
		case 'B':
			ab->only = val;
			break;
		case 'x':
			if (strcmp(val, "both") == 0)
				ab->metric = METRIC_BOTH;
			else if (strcmp(val, "real") == 0)
				ab->metric = METRIC_REAL;
			else if (strcmp(val, "cpu") == 0)
				ab->metric = METRIC_CPU;
			else {
				fprintf(stderr,
					"mmbench ab: --metric '%s': both, real "
					"or cpu\n",
					val);
				return -1;
			}
			break;
		case 'D':
			ab->markdown = val;
			break;
		case 'C':
			if (ab->ngates >= AB_MAX_COUNTERS) {
				fprintf(stderr,
					"mmbench ab: at most %d --counter\n",
					AB_MAX_COUNTERS);
				return -1;
			}
			if (mmb_counter_gate_parse(val, &ab->gate[ab->ngates]) <
			    0) {
				char e[256];
				fprintf(stderr, "mmbench ab: --counter: %s\n",
					mmb_errmsg(e, sizeof(e)));
				return -1;
			}
			ab->ngates++;
			break;
		case 'q':
			ab->quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		}
	}
	for (int s = 0; s < 2; s++) {
		const char *w = s ? "new" : "old";
		struct ab_side *sd = &ab->side[s];
		struct stat st;
		if (!sd->bin == !sd->cmd) {
			fprintf(stderr,
				"mmbench ab: give exactly one of --%s and "
				"--%s-cmd (see mmbench ab --help)\n",
				w, w);
			return -1;
		}
		if (sd->cmd && !strstr(sd->cmd, "{out}")) {
			fprintf(stderr,
				"mmbench ab: --%s-cmd has no {out} (where the "
				"command writes its JSON)\n",
				w);
			return -1;
		}
		if (sd->bin &&
		    (stat(sd->bin, &st) < 0 || !S_ISREG(st.st_mode) ||
		     access(sd->bin, X_OK) < 0)) {
			fprintf(stderr,
				"mmbench ab: --%s %s: not an executable "
				"file\n",
				w, sd->bin);
			return -1;
		}
	}
	if (ab->side[0].cmd && ab->nrun) {
		fprintf(stderr,
			"mmbench ab: '%s': run options go with --old/--new "
			"binaries, not with --old-cmd/--new-cmd\n",
			ab->run_args[0]);
		return -1;
	}
	for (unsigned i = 0; i < ab->nrun; i++)
		if (strcmp(ab->run_args[i], "--json") == 0 ||
		    strncmp(ab->run_args[i], "--json=", 7) == 0) {
			fprintf(stderr, "mmbench ab: --json is ab's own (each "
					"round writes its own results)\n");
			return -1;
		}
	if (ab->min_pairs > ab->max_pairs) {
		fprintf(stderr,
			"mmbench ab: --min-pairs %u is more than --max-pairs "
			"%u\n",
			ab->min_pairs, ab->max_pairs);
		return -1;
	}
	if (ab->markdown && mmb_cli_check_output("markdown", ab->markdown))
		return -1;
	return 0;
}

/* The planned looks: min, 2 min, 4 min, ... and max. */
static unsigned count_looks(unsigned min, unsigned max)
{
	unsigned n = 1;
	for (unsigned p = min; p < max; p = p * 2 < max ? p * 2 : max)
		n++;
	return n;
}

static void cleanup(struct ab *ab, const char *f0, const char *f1)
{
	unlink(f0);
	unlink(f1);
	if (ab->dir[0]) {
		rmdir(ab->dir);
		mmb_interrupt_tempfile_done(ab->dir);
	}
}

int cmd_ab(int argc, char **argv)
{
	struct ab ab = {.threshold = AB_DEF_THRESH,
			.alpha = MMB_COMPARE_ALPHA,
			.max_time = AB_DEF_TIME,
			.min_pairs = AB_DEF_MIN,
			.max_pairs = AB_DEF_MAX};
	char f[2][600];
	int rc = parse_args(&ab, argc, argv);
	if (rc)
		return rc > 0 ? MMB_EXIT_OK : MMB_EXIT_USAGE;
	ab.looks = count_looks(ab.min_pairs, ab.max_pairs);

	mmb_interrupt_install();
	if (mmb_cli_tempdir(ab.dir, sizeof(ab.dir), "ab") < 0)
		return MMB_EXIT_FAIL;
	for (int s = 0; s < 2; s++) {
		snprintf(f[s], sizeof(f[s]), "%s/%s.json", ab.dir,
			 s ? "new" : "old");
		mmb_interrupt_tempfile(f[s]);
	}

	double t0 = now_s();
	unsigned next_look = ab.min_pairs;
	const char *why = "";
	int exit_code = MMB_EXIT_OK;
	bool decided = false;
	for (size_t r = 0;; r += 2) {
		/* pair k = rounds 2k and 2k+1 in ABBA order */
		int first = mmb_abba_is_b(r) ? 1 : 0;
		if (run_round(&ab, first, f[first]) < 0 ||
		    run_round(&ab, !first, f[!first]) < 0 ||
		    add_pair(&ab, f[0], f[1]) < 0) {
			exit_code = MMB_EXIT_USAGE;
			if (mmb_interrupted())
				exit_code = 128 + mmb_interrupted();
			goto out;
		}
		bool last =
		    ab.pairs >= ab.max_pairs || now_s() - t0 >= ab.max_time;
		if (ab.pairs == next_look || last) {
			decided = look(&ab);
			if (!ab.quiet)
				fprintf(stderr,
					"mmbench ab: %zu pairs, %.0f s: %s\n",
					ab.pairs, now_s() - t0,
					decided ? "decided" : "undecided");
			next_look = next_look * 2 < ab.max_pairs ? next_look * 2
								 : ab.max_pairs;
		}
		if (decided || last)
			break;
	}
	if (ab.ngates) {
		char *cbuf = NULL;
		size_t clen = 0;
		FILE *cf = open_memstream(&cbuf, &clen);
		int crc = cf ? check_counters(&ab, cf, false) : -1;
		if (cf)
			fclose(cf);
		if (crc < 0) {
			free(cbuf);
			exit_code = MMB_EXIT_USAGE;
			goto out;
		}
		fputs(cbuf, stdout);
		free(cbuf);
	}
	bool regression = ab.gate_failed, undecided = false;
	for (unsigned i = 0; i < ab.nb; i++) {
		regression |= ab.b[i].res.decision == MMB_AB_REGRESSION;
		undecided |= ab.b[i].res.decision == MMB_AB_UNDECIDED;
	}
	why = ab.gate_failed ? "REGRESSION (a counter grew)"
	      : regression   ? "REGRESSION"
	      : undecided ? "undecided within the budget: no regression shown"
	      : decided && ab.pairs < ab.max_pairs
		  ? "no regression (stopped early)"
		  : "no regression";
	print_summary(&ab, stdout, false, now_s() - t0, why);
	if (ab.markdown) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		if (m) {
			print_summary(&ab, m, true, now_s() - t0, why);
			check_counters(&ab, m, true);
			fclose(m);
		}
		/* no MD.tmp.XXXXXX left by a second Ctrl-C */
		mmb_interrupt_hold();
		int wrc = m && buf
			      ? mmb_write_file_atomic(ab.markdown, buf, len)
			      : -1;
		mmb_interrupt_release();
		if (wrc < 0) {
			char e[512];
			fprintf(stderr, "mmbench ab: --markdown %s: %s\n",
				ab.markdown, mmb_errmsg(e, sizeof(e)));
			free(buf);
			exit_code = MMB_EXIT_USAGE;
			goto out;
		}
		free(buf);
	}
	exit_code = regression ? MMB_EXIT_FAIL : MMB_EXIT_OK;
out:
	cleanup(&ab, f[0], f[1]);
	free(ab.b);
	return exit_code;
}
