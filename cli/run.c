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
	static const struct mmb_fmt_unit si_units[] = {
	    {1e4, 1, "%.0f"},
	    {1e6, 1e3, "%.1fk"},
	    {1e9, 1e6, "%.2fM"},
	    {INFINITY, 1e9, "%.2fG"},
	};

	return mmb_fmt_scaled(
	    v, si_units, sizeof(si_units) / sizeof(si_units[0]), "-", buf, n);
}

/* Latency in ns as "850ns", "1.23us", "4.5ms". */
static const char *lat(double ns, char *buf, size_t n)
{
	static const struct mmb_fmt_unit lat_units[] = {
	    {1e3, 1, "%.0fns"},
	    {1e6, 1e3, "%.2fus"},
	    {1e9, 1e6, "%.2fms"},
	    {INFINITY, 1e9, "%.2fs"},
	};

	return mmb_fmt_scaled(ns, lat_units,
			      sizeof(lat_units) / sizeof(lat_units[0]), "-",
			      buf, n);
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

/* Mapped backends: which folio sizes back the mapped pages, the evidence
 * for pages/fault. */
static void print_folios(const struct mmb_backend_result *b)
{
	static const char *const size[MMB_FOLIO_ORDERS] = {
	    "4K",   "8K",   "16K", "32K", "64K", "128K",
	    "256K", "512K", "1M",  "2M",  ">=4M"};
	uint64_t all = 0;

	if (!(b->caps & MMB_CAP_MAPPED))
		return;
	if (!b->folio_known) {
		printf("%-14s folios: unknown: %s\n", "",
		       b->folio_why[0] ? b->folio_why : "nothing mapped");
		return;
	}
	for (unsigned k = 0; k < MMB_FOLIO_ORDERS; k++)
		all += b->folio_pages[k];
	printf("%-14s folios of the %llu mapped pages:", "",
	       (unsigned long long)all);
	for (unsigned k = 0; k < MMB_FOLIO_ORDERS; k++)
		if (b->folio_pages[k])
			printf(" %s %.1f%%", size[k],
			       100.0 * (double)b->folio_pages[k] / (double)all);
	printf("\n");
}

/* Ops a non-blocking backend left not served (ops_not_served): in its
 * first repetition, whose checksum the result keeps (rep NULL), or in
 * rep; 0 for a backend that serves every op. */
static double not_served(const struct mmb_backend_result *b,
			 const struct mmb_rep *rep)
{
	double most = 0;

	for (unsigned k = 0; k < b->nx; k++) {
		if (strcmp(b->xdef[k].name, "ops_not_served") != 0)
			continue;
		if (rep)
			return rep->x[k] > 0 ? rep->x[k] : 0;
		/* Any repetition: the stability note is about all of them. */
		for (unsigned i = 0; i < b->nreps; i++)
			if (b->reps[i].x[k] > most)
				most = b->reps[i].x[k];
	}
	return most;
}

/* Same ops must read the same bytes whatever the method, except where a
 * non-blocking backend left ops not served (no bytes, no checksum): then
 * the checksums differ for that reason, and the message says so. The
 * reference is the first backend that ran and served every op. */
static void print_checksums(const struct mmb_run_result *r)
{
	int ref = -1;

	if (r->duration_s > 0)
		return; /* each backend did as many ops as it could */
	for (unsigned i = 0; i < r->nbackends && ref < 0; i++)
		if (r->b[i].status == 0 && r->b[i].nreps &&
		    not_served(&r->b[i], &r->b[i].reps[0]) == 0)
			ref = (int)i;
	for (unsigned i = 0; ref >= 0 && i < r->nbackends; i++) {
		const struct mmb_backend_result *b = &r->b[i];
		if ((int)i == ref || b->status != 0 ||
		    b->median.checksum == r->b[ref].median.checksum)
			continue;
		double ns = b->nreps ? not_served(b, &b->reps[0]) : 0;
		if (ns > 0)
			printf("note: %s's checksum differs from %s's because "
			       "%.0f ops were not served (they would have "
			       "blocked)\n",
			       b->name, r->b[ref].name, ns);
		else
			printf("warning: %s read different bytes than %s "
			       "(checksums differ)\n",
			       b->name, r->b[ref].name);
	}
}

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

/* --access inplace/touch: which backends consumed in place through a view
 * and which had to copy into the buffer first; never left unsaid. */
static void print_access(const struct mmb_run_result *r, int am)
{
	char view[512] = "", copy[512] = "";
	size_t nv = 0, nc = 0;

	if (am < 0)
		return;
	if (am == MMB_AM_COPY) {
		printf("access copy: every op's bytes are copied into the "
		       "buffer (read, or memcpy out of the mapping)\n");
		return;
	}
	for (unsigned i = 0; i < r->nbackends; i++) {
		const struct mmb_backend_result *b = &r->b[i];
		if (!(b->caps & MMB_CAP_READ))
			continue;
		if (b->caps & MMB_CAP_VIEW && nv < sizeof(view))
			nv += (size_t)snprintf(view + nv, sizeof(view) - nv,
					       "%s%s", nv ? ", " : "", b->name);
		else if (!(b->caps & MMB_CAP_VIEW) && nc < sizeof(copy))
			nc += (size_t)snprintf(copy + nc, sizeof(copy) - nc,
					       "%s%s", nc ? ", " : "", b->name);
	}
	printf("access %s: %s", mmb_access_mode_name((enum mmb_access_mode)am),
	       am == MMB_AM_TOUCH ? "one 8-byte load per op"
				  : "every byte of every op consumed");
	if (nv)
		printf("; in place through a view: %s", view);
	if (nc)
		printf("; copied into the buffer first (no view): %s", copy);
	printf("\n");
}

static void print_table(const struct mmb_run_result *r, bool warmup, int am)
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
	print_access(r, am);
	if (r->duration_s > 0)
		printf("timed by duration: %.3g s per repetition\n",
		       r->duration_s);
	if (r->lat_every)
		printf("latency: one op in %llu timed (%s); ops/s from the "
		       "whole loop\n",
		       (unsigned long long)r->lat_every, r->lat_timer);
	else
		printf("latency: not sampled (--lat-every 0)\n");
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
		bool timed = b->hist && b->hist->count;
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
		       lat(timed ? b->lat.mean : NAN, b2, sizeof(b2)),
		       lat(timed ? (double)b->lat.p50 : NAN, b3, sizeof(b3)),
		       lat(timed ? (double)b->lat.p99 : NAN, b4, sizeof(b4)),
		       si(m[MMB_M_MINOR_FAULTS], b5, sizeof(b5)),
		       si(m[MMB_M_MAJOR_FAULTS], b6, sizeof(b6)), ppf, res);
		print_io(m);
		print_kevents(&b->median.kev);
		print_profile(b->profile);
		print_folios(b);
		if (b->noisy)
			printf("%-14s NOISY: %s\n", "", b->noisy_why);
		if (b->note[0])
			printf("%-14s note: %s\n", "", b->note);
		if (!b->checksum_stable && not_served(b, NULL) > 0)
			printf("%-14s note: checksum differs between "
			       "repetitions, which left different ops not "
			       "served\n",
			       "");
		else if (!b->checksum_stable)
			printf("%-14s note: checksum differs between "
			       "repetitions (file changed under the run?)\n",
			       "");
	}
	print_checksums(r);
	if (r->noisy)
		printf("\nnoisy: numbers marked NOISY above are disturbed; "
		       "rerun on a quieter machine or with more --reps\n");
	char text[MMB_VERDICT_TEXT];
	printf("\nverdict: %s\n",
	       mmb_verdict_text(&r->verdict, text, sizeof(text)));
	if (r->verdict_why[0])
		printf("%s\n", r->verdict_why);
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
	if (a.o.given[MMB_OPT_ACCESS] && (w->flags & MMB_WL_WRITES))
		return usage_error(
		    "--access %s: workload %s writes; access "
		    "modes apply to read workloads only",
		    mmb_access_mode_name(
			(enum mmb_access_mode)v[MMB_OPT_ACCESS].i),
		    w->name);
	if (a.file && (w->flags & MMB_WL_WRITES))
		return usage_error("workload %s writes; it runs only on the "
				   "generated test file, not on --file",
				   w->name);

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
		      .file_id = file_id},
	    .duration_s =
		a.o.given[MMB_OPT_DURATION] ? v[MMB_OPT_DURATION].d : 0,
	    .cache = (enum mmb_cache)v[MMB_OPT_CACHE].i,
	    .reps = (unsigned)v[MMB_OPT_REPS].u,
	    .warmup = !v[MMB_OPT_NO_WARMUP].b,
	    .lat_every = v[MMB_OPT_LAT_EVERY].u,
	    .no_latency = v[MMB_OPT_LAT_EVERY].u == 0,
	    .buf_offset = v[MMB_OPT_BUF_OFFSET].u,
	    .command_line = cmdline,
	    .progress = isatty(STDERR_FILENO) ? progress : NULL,
	    .progress_ctx = (void *)w->name,
	    .pressure = a.memory_limit || a.interval_ms ? &pr : NULL,
	    .stop = mmb_interrupt_flag(),
	    .context = ctx,
	    .ncontext = mmb_cli_context(&a.o, ctx, MMB_CTX_MAX),
	};
	mmb_kevents_enable(!v[MMB_OPT_NO_KEVENTS].b);
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
	print_table(res, ro.warmup,
		    (w->flags & MMB_WL_WRITES) ? -1 : (int)ro.bopts.access);
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
