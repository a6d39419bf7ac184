/* run.c - `mmbench run`: one workload through several backends on the
 * same file and the same ops; a console table, a verdict, and optionally
 * JSON (docs/results.md) and CSV.
 *
 * All input is checked before anything runs or is written: a bad option is
 * one line on stderr and exit 2, with no output file left behind. */
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "mmbench/backend.h"
#include "mmb/error.h"
#include "mmb/map.h"
#include "mmbench/pressure.h"
#include "mmbench/result.h"
#include "mmbench/workload.h"

#define MAX_BACKENDS 64

static const char usage_text[] =
    "usage: mmbench run [options]\n"
    "\n"
    "Runs one workload through several I/O backends on the same file with "
    "the same\nops (same seed), and prints throughput, latency, page "
    "faults and a verdict.\n"
    "\n"
    "workload:\n"
    "  -w, --workload NAME   random-4k (default), random-64k, random, "
    "seq-read,\n"
    "                        seq-write, random-write-4k, rw-mix, zipf, "
    "strided,\n"
    "                        scan-once (see mmbench list)\n"
    "      --bs SIZE         bytes per op (default: the workload's; "
    "random-4k,\n"
    "                        random-64k and random-write-4k keep theirs)\n"
    "      --ops N           ops per repetition, all threads together\n"
    "                        (default 262144, or one pass over the file)\n"
    "      --duration SEC    instead of --ops: repeat the ops for SEC "
    "seconds\n"
    "      --seed N          offsets seed (default 1)\n"
    "      --threads N       threads, each with its own slice of the ops "
    "(default 1)\n"
    "      --read-pct P      rw-mix: percent of reads, 0..100 (default 50)\n"
    "      --theta T         zipf: skew, > 0 (default 0.99)\n"
    "      --stride SIZE     strided: bytes between ops (default 64K)\n"
    "file:\n"
    "      --size SIZE       test file size (default 1G); the file is "
    "created in\n"
    "                        $MMBENCH_DATA_DIR or /var/tmp/mmbench and "
    "reused\n"
    "      --file PATH       an existing file instead (read workloads "
    "only)\n"
    "backends:\n"
    "  -b, --backends LIST   comma-separated, or 'all' (default "
    "pread,mmap;\n"
    "                        readfile,winview on Windows)\n"
    "      --advice NAME     madvise/fadvise advice (see mmbench list)\n"
    "      --window SIZE     mmap-window: bytes per view\n"
    "      --sync NAME       none, msync, msync-async, fsync (see mmbench "
    "list)\n"
    "measurement:\n"
    "      --cache MODE      warm (default: file read once before each "
    "run) or cold\n"
    "                        (dropped from the page cache, verified with "
    "mincore)\n"
    "      --reps N          measured repetitions (default 3), after one "
    "warm-up\n"
    "      --no-warmup       skip the discarded warm-up run\n"
    "      --no-kernel-events  do not count kernel events (tracepoints,\n"
    "                        JSON \"kernel_events\"; on by default)\n"
    "      --profile         sample where the time goes (cpu-clock, call\n"
    "                        chains; JSON \"profile\", and with --json FILE\n"
    "                        the folded stacks in "
    "FILE-less-.json.BACKEND.folded)\n"
    "memory pressure (needs root and a cgroup memory controller):\n"
    "      --memory-limit SIZE  run each repetition inside a memory cgroup "
    "of SIZE\n"
    "                        (>= 16M), page cache included\n"
    "      --interval MS     record ops/s, faults, resident pages and TLB\n"
    "                        shootdowns every MS ms (JSON \"timeseries\")\n"
    "output:\n"
    "      --json FILE       results as JSON (docs/results.md)\n"
    "      --csv FILE        one row per backend per repetition\n"
    "      --report DIR      also an HTML report with plots (as mmbench "
    "report)\n"
    "  -h, --help            this text\n"
    "\n"
    "SIZE takes K, M, G, T suffixes (powers of 1024).\n";

enum {
	OPT_BS = 256,
	OPT_OPS,
	OPT_DURATION,
	OPT_SEED,
	OPT_THREADS,
	OPT_READ_PCT,
	OPT_THETA,
	OPT_STRIDE,
	OPT_SIZE,
	OPT_FILE,
	OPT_ADVICE,
	OPT_WINDOW,
	OPT_SYNC,
	OPT_CACHE,
	OPT_REPS,
	OPT_NO_WARMUP,
	OPT_NO_KEVENTS,
	OPT_PROFILE,
	OPT_JSON,
	OPT_CSV,
	OPT_REPORT,
	OPT_MEMORY_LIMIT,
	OPT_INTERVAL,
};

static const struct option long_opts[] = {
    {"workload", required_argument, NULL, 'w'},
    {"backends", required_argument, NULL, 'b'},
    {"bs", required_argument, NULL, OPT_BS},
    {"ops", required_argument, NULL, OPT_OPS},
    {"duration", required_argument, NULL, OPT_DURATION},
    {"seed", required_argument, NULL, OPT_SEED},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"read-pct", required_argument, NULL, OPT_READ_PCT},
    {"theta", required_argument, NULL, OPT_THETA},
    {"stride", required_argument, NULL, OPT_STRIDE},
    {"size", required_argument, NULL, OPT_SIZE},
    {"file", required_argument, NULL, OPT_FILE},
    {"advice", required_argument, NULL, OPT_ADVICE},
    {"window", required_argument, NULL, OPT_WINDOW},
    {"sync", required_argument, NULL, OPT_SYNC},
    {"cache", required_argument, NULL, OPT_CACHE},
    {"reps", required_argument, NULL, OPT_REPS},
    {"no-warmup", no_argument, NULL, OPT_NO_WARMUP},
    {"no-kernel-events", no_argument, NULL, OPT_NO_KEVENTS},
    {"profile", no_argument, NULL, OPT_PROFILE},
    {"json", required_argument, NULL, OPT_JSON},
    {"csv", required_argument, NULL, OPT_CSV},
    {"report", required_argument, NULL, OPT_REPORT},
    {"memory-limit", required_argument, NULL, OPT_MEMORY_LIMIT},
    {"interval", required_argument, NULL, OPT_INTERVAL},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct run_args {
	const char *workload;
	const char *backends;
	const char *file;
	const char *json, *csv, *report;
	uint64_t bs, ops, seed, threads, stride, size, window, reps;
	uint64_t memory_limit, interval_ms;
	double duration, read_pct, theta;
	bool have_size, have_ops, have_duration;
	int advice, sync, cache;
	bool warmup, kevents, profile;
};

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* One line on stderr, exit code 2. */
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mmbench run: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see mmbench run --help)\n");
	return MMB_EXIT_USAGE;
}

/* Name of the option getopt_long just returned, for messages. */
static const char *opt_name(int c)
{
	for (const struct option *o = long_opts; o->name; o++)
		if (o->val == c)
			return o->name;
	return "?";
}

static int parse_u64(int c, const char *arg, bool suffix, uint64_t *out)
{
	if (mmb_cli_u64(arg, suffix, out) < 0)
		return usage_error("--%s: '%s' is not a non-negative %s",
				   opt_name(c), arg,
				   suffix ? "size" : "integer");
	return 0;
}

static int parse_double(int c, const char *arg, double *out)
{
	if (mmb_cli_double(arg, out) < 0)
		return usage_error("--%s: '%s' is not a number", opt_name(c),
				   arg);
	return 0;
}

static int parse_args(int argc, char **argv, struct run_args *a)
{
	int c, rc = 0;

	*a = (struct run_args){
	    .workload = "random-4k",
	    .backends = mmb_cli_default_backends(),
	    .seed = 1,
	    .threads = 1,
	    .reps = 3,
	    .read_pct = MMB_DEFAULT_READ_PCT,
	    .theta = MMB_DEFAULT_THETA,
	    .advice = -1,
	    .sync = MMB_WSYNC_NONE,
	    .cache = MMB_CACHE_WARM,
	    .warmup = true,
	    .kevents = true,
	};
	opterr = 0;
	optind = 1;
	while (rc == 0 &&
	       (c = getopt_long(argc, argv, ":w:b:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			a->workload = optarg;
			break;
		case 'b':
			a->backends = optarg;
			break;
		case OPT_BS:
			rc = parse_u64(c, optarg, true, &a->bs);
			if (!rc && a->bs == 0)
				rc = usage_error("--bs must be > 0");
			break;
		case OPT_OPS:
			rc = parse_u64(c, optarg, true, &a->ops);
			if (!rc && a->ops == 0)
				rc = usage_error("--ops must be >= 1");
			a->have_ops = true;
			break;
		case OPT_DURATION:
			rc = parse_double(c, optarg, &a->duration);
			if (!rc && !(a->duration > 0))
				rc = usage_error("--duration must be > 0");
			a->have_duration = true;
			break;
		case OPT_SEED:
			rc = parse_u64(c, optarg, false, &a->seed);
			break;
		case OPT_THREADS:
			rc = parse_u64(c, optarg, false, &a->threads);
			if (!rc && (a->threads < 1 || a->threads > 1024))
				rc = usage_error("--threads must be within "
						 "1..1024");
			break;
		case OPT_READ_PCT:
			rc = parse_double(c, optarg, &a->read_pct);
			if (!rc && (a->read_pct < 0 || a->read_pct > 100))
				rc = usage_error("--read-pct '%s' is outside "
						 "0..100",
						 optarg);
			break;
		case OPT_THETA:
			rc = parse_double(c, optarg, &a->theta);
			if (!rc && !(a->theta > 0))
				rc = usage_error("--theta '%s' must be > 0",
						 optarg);
			break;
		case OPT_STRIDE:
			rc = parse_u64(c, optarg, true, &a->stride);
			if (!rc && a->stride == 0)
				rc = usage_error("--stride must be > 0");
			break;
		case OPT_SIZE:
			rc = parse_u64(c, optarg, true, &a->size);
			if (!rc && a->size == 0)
				rc = usage_error("--size must be > 0");
			a->have_size = true;
			break;
		case OPT_FILE:
			a->file = optarg;
			if (!*optarg)
				rc = usage_error("--file is empty");
			break;
		case OPT_ADVICE:
			a->advice = mmb_advice_parse(optarg);
			if (a->advice < 0)
				rc = usage_error("unknown advice '%s' (mmbench "
						 "list shows them)",
						 optarg);
			break;
		case OPT_WINDOW:
			rc = parse_u64(c, optarg, true, &a->window);
			break;
		case OPT_SYNC:
			a->sync = mmb_wsync_parse(optarg);
			if (a->sync < 0)
				rc = usage_error("unknown sync policy '%s' "
						 "(mmbench list shows them)",
						 optarg);
			break;
		case OPT_CACHE:
			if (strcmp(optarg, "warm") == 0)
				a->cache = MMB_CACHE_WARM;
			else if (strcmp(optarg, "cold") == 0)
				a->cache = MMB_CACHE_COLD;
			else
				rc = usage_error("--cache '%s': expected warm "
						 "or cold",
						 optarg);
			break;
		case OPT_REPS:
			rc = parse_u64(c, optarg, false, &a->reps);
			if (!rc && (a->reps < 1 || a->reps > 10000))
				rc = usage_error("--reps must be within "
						 "1..10000");
			break;
		case OPT_NO_WARMUP:
			a->warmup = false;
			break;
		case OPT_NO_KEVENTS:
			a->kevents = false;
			break;
		case OPT_PROFILE:
			a->profile = true;
			break;
		case OPT_JSON:
			a->json = optarg;
			if (!*optarg)
				rc = usage_error("--json is empty");
			break;
		case OPT_CSV:
			a->csv = optarg;
			if (!*optarg)
				rc = usage_error("--csv is empty");
			break;
		case OPT_REPORT:
			a->report = optarg;
			if (!*optarg)
				rc = usage_error("--report is empty");
			break;
		case OPT_MEMORY_LIMIT:
			rc = parse_u64(c, optarg, true, &a->memory_limit);
			if (!rc && a->memory_limit < (16u << 20))
				rc = usage_error("--memory-limit must be at "
						 "least 16M");
			break;
		case OPT_INTERVAL:
			rc = parse_u64(c, optarg, false, &a->interval_ms);
			if (!rc &&
			    (a->interval_ms < 10 || a->interval_ms > 3600000))
				rc = usage_error("--interval must be within "
						 "10..3600000 ms");
			break;
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		case ':':
			rc = usage_error("option '%s' needs a value",
					 argv[optind - 1]);
			break;
		default:
			rc = usage_error("unknown option '%s'",
					 argv[optind - 1]);
			break;
		}
	}
	if (rc)
		return rc;
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (a->have_ops && a->have_duration)
		return usage_error("--ops and --duration exclude each other");
	if (a->file && a->have_size)
		return usage_error("--size and --file exclude each other (the "
				   "file's size is used)");
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

static void progress(void *ctx, const char *backend, int rep, unsigned reps)
{
	const char *wl = ctx;
	if (rep < 0)
		fprintf(stderr, "\r\033[K%s: %s warm-up", wl, backend);
	else
		fprintf(stderr, "\r\033[K%s: %s rep %d/%u", wl, backend,
			rep + 1, reps);
	fflush(stderr);
}

/* "812.3k", "1.54M"; "-" when not measurable here (NAN). */
static const char *si(double v, char *buf, size_t n)
{
	if (isnan(v))
		snprintf(buf, n, "-");
	else if (v >= 1e9)
		snprintf(buf, n, "%.2fG", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, n, "%.2fM", v / 1e6);
	else if (v >= 1e4)
		snprintf(buf, n, "%.1fk", v / 1e3);
	else
		snprintf(buf, n, "%.0f", v);
	return buf;
}

/* Latency in ns as "850ns", "1.23us", "4.5ms". */
static const char *lat(double ns, char *buf, size_t n)
{
	if (ns < 1e3)
		snprintf(buf, n, "%.0fns", ns);
	else if (ns < 1e6)
		snprintf(buf, n, "%.2fus", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, n, "%.2fms", ns / 1e6);
	else
		snprintf(buf, n, "%.2fs", ns / 1e9);
	return buf;
}

/* Device bytes as "53.7 MiB"; "-" when not measurable here (NAN). */
static const char *dev_bytes(double v, char *buf, size_t n)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	unsigned u = 0;

	if (isnan(v)) {
		snprintf(buf, n, "-");
		return buf;
	}
	while (u < 4 && v >= 1024) {
		v /= 1024;
		u++;
	}
	snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", v, units[u]);
	return buf;
}

/* Amplification as "13.0x"; "-" when not measurable or nothing asked. */
static const char *amp(double v, char *buf, size_t n)
{
	if (isnan(v))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.2fx", v);
	return buf;
}

/* What the storage did for one backend: the process's device bytes and
 * their ratio to the bytes asked for, and the whole disk's. */
static void print_io(const double *m)
{
	char a[32], b[32], c[32], d[32], e[32], f[32];

	printf("%-14s device: read %s (%s requested), wrote %s (%s "
	       "requested); whole disk: read %s, wrote %s\n",
	       "", dev_bytes(m[MMB_M_DEV_READ_BYTES], a, sizeof(a)),
	       amp(m[MMB_M_READ_AMP], b, sizeof(b)),
	       dev_bytes(m[MMB_M_DEV_WRITE_BYTES], c, sizeof(c)),
	       amp(m[MMB_M_WRITE_AMP], d, sizeof(d)),
	       dev_bytes(m[MMB_M_DISK_READ_BYTES], e, sizeof(e)),
	       dev_bytes(m[MMB_M_DISK_WRITE_BYTES], f, sizeof(f)));
}

/* One compact line of kernel events (mmbench/kevents.h), medians of the
 * repetitions: "-" for an event not counted here (the JSON says why). */
static void print_kevents(const struct mmb_kevents *k)
{
	static const struct {
		const char *label;
		enum mmb_kevent e;
		double scale;
	} items[] = {
	    {"page cache +", MMB_KEV_PC_ADD_PAGES, 1},
	    {" -", MMB_KEV_PC_DEL_PAGES, 1},
	    {" pg; readahead ", MMB_KEV_RA_ORDER, 1},
	    {" windows/", MMB_KEV_RA_ORDER_PAGES, 1},
	    {" pg, sync ", MMB_KEV_RA_SYNC, 1},
	    {"/", MMB_KEV_RA_SYNC_PAGES, 1},
	    {" pg, async ", MMB_KEV_RA_ASYNC, 1},
	    {"/", MMB_KEV_RA_ASYNC_PAGES, 1},
	    {" pg; faults user ", MMB_KEV_PF_USER, 1},
	    {" kernel ", MMB_KEV_PF_KERNEL, 1},
	    {"; bios ", MMB_KEV_BIO, 1},
	    {"/", MMB_KEV_BIO_SECTORS, 512},
	    {" B; tlb ", MMB_KEV_TLB, 1},
	    {"; mmap_lock ", MMB_KEV_MMAP_LOCK_WAIT, 1},
	    {" (contended ", MMB_KEV_MMAP_LOCK_FAIL, 1},
	    {"); reclaim ", MMB_KEV_RECLAIM_DIRECT, 1},
	};
	char v[32];
	unsigned navail = 0;

	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		navail += !isnan(k->v[items[i].e]);
	if (!k->counted || !navail) {
		printf("%-14s kernel events: unavailable: %s\n", "",
		       k->why[items[0].e]);
		return;
	}
	printf("%-14s kernel: ", "");
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		double x = k->v[items[i].e] * items[i].scale;
		printf("%s%s", items[i].label, si(x, v, sizeof(v)));
	}
	printf("\n");
}

/* --profile: the categories above 0.5% and the top function, one line. */
static void print_profile(const struct mmb_profile *p)
{
	if (!p)
		return;
	printf("%-14s profile:", "");
	for (unsigned c = 0; c < MMB_PROF__COUNT; c++)
		if (p->frac[c] >= 0.005)
			printf(" %s %.0f%%", mmb_prof_category_key(c),
			       p->frac[c] * 100);
	if (p->ntop)
		printf("; top %s%s %.0f%%", p->top[0].name,
		       p->top[0].kernel ? " [k]" : "", p->top[0].share * 100);
	printf(" (%llu samples%s%s)\n", (unsigned long long)p->samples,
	       p->note[0] ? "; " : "", p->note);
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

static void print_table(const struct mmb_run_result *r, bool warmup)
{
	char b1[32], b2[32], b3[32], b4[32], b5[32], b6[32];

	printf(
	    "%s: %s file %s (%s), %s ops, %llu ops x %u thread%s, %s "
	    "cache, %u rep%s%s, faults from %s\n",
	    r->workload, mmb_cli_bytes(r->file_size, b1, sizeof(b1)), r->file,
	    r->env.filesystem, mmb_cli_bytes(r->block_size, b2, sizeof(b2)),
	    (unsigned long long)r->ops, r->threads, r->threads == 1 ? "" : "s",
	    r->cache, r->reps, r->reps == 1 ? "" : "s",
	    warmup ? " (+1 warm-up)" : "", r->fault_source);
	if (r->duration_s > 0)
		printf("timed by duration: %.3g s per repetition\n",
		       r->duration_s);
	printf("\n%-14s %10s %9s %9s %9s %9s %9s %8s %11s %9s\n", "backend",
	       "ops/s", "MB/s", "mean", "p50", "p99", "minor", "major",
	       "pages/fault", "resident");
	for (unsigned i = 0; i < r->nbackends; i++) {
		const struct mmb_backend_result *b = &r->b[i];
		if (b->status == MMB_ESKIP) {
			printf("%-14s skipped: %s\n", b->name, b->message);
			continue;
		}
		if (b->status != 0) {
			printf("%-14s FAILED: %s\n", b->name, b->message);
			continue;
		}
		const double *m = b->median.m;
		char ppf[32], res[32];
		if (m[MMB_M_FAULTS] > 0 && !isnan(m[MMB_M_PAGES_PER_FAULT]))
			snprintf(ppf, sizeof(ppf), "%.1f",
				 m[MMB_M_PAGES_PER_FAULT]);
		else
			snprintf(ppf, sizeof(ppf), "-");
		/* Residency is unknown on Windows (NAN). */
		if (isnan(m[MMB_M_RESIDENT_BEFORE]))
			snprintf(res, sizeof(res), "-");
		else
			snprintf(res, sizeof(res), "%.1f%%",
				 m[MMB_M_RESIDENT_BEFORE] * 100);
		printf("%-14s %10s %9.1f %9s %9s %9s %9s %8s %11s %9s\n",
		       b->name, si(m[MMB_M_ITEMS_PER_SECOND], b1, sizeof(b1)),
		       m[MMB_M_BYTES_PER_SECOND] / 1e6,
		       lat(b->lat.mean, b2, sizeof(b2)),
		       lat((double)b->lat.p50, b3, sizeof(b3)),
		       lat((double)b->lat.p99, b4, sizeof(b4)),
		       si(m[MMB_M_MINOR_FAULTS], b5, sizeof(b5)),
		       si(m[MMB_M_MAJOR_FAULTS], b6, sizeof(b6)), ppf, res);
		print_io(m);
		print_kevents(&b->median.kev);
		print_profile(b->profile);
		if (b->note[0])
			printf("%-14s note: %s\n", "", b->note);
		if (!b->checksum_stable)
			printf("%-14s note: checksum differs between "
			       "repetitions (file changed under the run?)\n",
			       "");
	}
	/* Same ops must read the same bytes whatever the method. */
	int first = -1;
	for (unsigned i = 0; i < r->nbackends; i++) {
		if (r->b[i].status != 0)
			continue;
		if (first < 0)
			first = (int)i;
		else if (r->b[i].median.checksum !=
			     r->b[first].median.checksum &&
			 r->duration_s == 0)
			printf("warning: %s read different bytes than %s "
			       "(checksums differ)\n",
			       r->b[i].name, r->b[first].name);
	}
	printf("\nverdict: %s\n", r->verdict);
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
	const struct {
		bool asked;
		const char *opt;
	} opts[] = {
	    {a->json != NULL, "json"},
	    {a->csv != NULL, "csv"},
	    {a->report != NULL, "report"},
	    {a->memory_limit != 0, "memory-limit"},
	    {a->interval_ms != 0, "interval"},
	    {a->cache == MMB_CACHE_COLD, "cache cold"},
	};

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		const char *why = mmb_cli_unavailable(opts[i].opt);
		if (opts[i].asked && why)
			return usage_error("--%s: %s", opts[i].opt, why);
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	const struct mmb_backend *backends[MAX_BACKENDS];
	struct run_args a;
	struct mmb_run_opts ro;
	struct mmb_run_result *res = NULL;
	char path[1024], msg[512], cmdline[2048];
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

	const struct mmb_workload *w = mmb_workload_find(a.workload);
	if (!w)
		return usage_error("unknown workload '%s' (mmbench list shows "
				   "them)",
				   a.workload);
	rc = parse_backends(a.backends, backends, &nb);
	if (rc)
		return rc;
	if (a.file && (w->flags & MMB_WL_WRITES))
		return usage_error("workload %s writes; it runs only on the "
				   "generated test file, not on --file",
				   w->name);

	struct mmb_workload_opts wo = {
	    .block_size = a.bs,
	    .ops = a.ops,
	    .seed = a.seed,
	    .threads = (unsigned)a.threads,
	    .read_pct = a.read_pct,
	    .theta = a.theta,
	    .stride = a.stride,
	};
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
		wo.file_size = a.have_size ? a.size : 1ull << 30;
		if (mmb_testfile_path(path, sizeof(path), wo.file_size) < 0) {
			fprintf(stderr, "mmbench run: %s\n",
				mmb_errmsg(msg, sizeof(msg)));
			return MMB_EXIT_USAGE;
		}
	}
	if (mmb_workload_resolve(w, &wo) < 0)
		/* The reason is the whole message; no errno to append. */
		return usage_error("%s", mmb_last_error()->call);
	if (a.json && (rc = mmb_cli_check_output("json", a.json)) != 0)
		return rc;
	if (a.csv && (rc = mmb_cli_check_output("csv", a.csv)) != 0)
		return rc;

	/* Created before anything long runs, so a machine without one fails
	 * at once; removed on every path below, also after Ctrl-C. */
	struct mmb_cgroup cg = {0};
	struct mmb_pressure pr = {.interval_ms = (unsigned)a.interval_ms};
	mmb_interrupt_install();
	if (a.memory_limit) {
		if (mmb_cgroup_create(&cg, a.memory_limit) < 0) {
			fprintf(stderr, "mmbench run: --memory-limit: %s\n",
				mmb_errmsg(msg, sizeof(msg)));
			return MMB_EXIT_USAGE;
		}
		pr.cgroup = &cg;
	}

	if (!a.file) {
		bool created;
		bool tty = isatty(STDERR_FILENO);
		if (tty)
			fprintf(stderr, "preparing test file %s ...", path);
		rc = mmb_testfile_prepare(path, wo.file_size, &created);
		if (tty)
			fprintf(stderr, "\r\033[K");
		if (rc < 0) {
			fprintf(stderr, "mmbench run: test file: %s\n",
				mmb_errmsg(msg, sizeof(msg)));
			mmb_cgroup_remove(&cg);
			return MMB_EXIT_FAIL;
		}
	}

	command_line(argc, argv, cmdline, sizeof(cmdline));
	ro = (struct mmb_run_opts){
	    .workload = w,
	    .wl = wo,
	    .path = path,
	    .backends = backends,
	    .nbackends = nb,
	    .bopts = {.advice = a.advice,
		      .window_size = a.window,
		      .sync = (enum mmb_wsync)a.sync},
	    .duration_s = a.have_duration ? a.duration : 0,
	    .cache = (enum mmb_cache)a.cache,
	    .reps = (unsigned)a.reps,
	    .warmup = a.warmup,
	    .command_line = cmdline,
	    .progress = isatty(STDERR_FILENO) ? progress : NULL,
	    .progress_ctx = (void *)w->name,
	    .pressure = a.memory_limit || a.interval_ms ? &pr : NULL,
	};
	mmb_kevents_enable(a.kevents);
	if (mmb_profile_enable(a.profile) < 0) {
		fprintf(stderr, "mmbench run: %s\n",
			mmb_errmsg(msg, sizeof(msg)));
		return MMB_EXIT_USAGE;
	}
	rc = mmb_run(&ro, &res);
	if (mmb_cgroup_remove(&cg) < 0) {
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
	print_table(res, a.warmup);
	for (unsigned i = 0; i < res->nbackends; i++)
		if (res->b[i].status != 0 && res->b[i].status != MMB_ESKIP)
			exit_code = MMB_EXIT_FAIL;
	if (a.json && mmb_cli_save_json(res, a.json) < 0)
		exit_code = MMB_EXIT_FAIL;
	if (a.json && save_folded(res, a.json) < 0)
		exit_code = MMB_EXIT_FAIL;
	if (a.csv && mmb_cli_save_csv(res, a.csv) < 0)
		exit_code = MMB_EXIT_FAIL;
	if (a.report && mmb_cli_save_report(res, a.json, a.report) < 0)
		exit_code = MMB_EXIT_FAIL;
	mmb_run_result_free(res);
	/* Ctrl-C: the partial results are written; exit as the signal. */
	if (mmb_interrupted())
		return 128 + mmb_interrupted();
	return exit_code;
}
