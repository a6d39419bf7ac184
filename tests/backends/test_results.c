/* SPDX-License-Identifier: MIT */
/* test_results.c - backends through the runner: what preadv2-nowait does
 * not serve is counted (ops_not_served) rather than fatal, a backend's own
 * metrics (mmap-window's remaps) reach the result, its aggregates, the
 * JSON and the CSV, and the runner goes by the caps: it refuses a table
 * whose hooks disagree with them and skips a backend whose caps lack what
 * the workload does. */
#include <fcntl.h>
#include <math.h>
#include <sys/mman.h>
#include <unistd.h>

#include "helpers.h"
#include "mmbench/result.h"
#include "mmbench/workload.h"
#include "test.h"

#define RUN_SIZE (32 * MiB)

static struct mmb_run_opts opts(const struct fx *f, const char *workload,
				const struct mmb_backend **b, unsigned n)
{
	struct mmb_run_opts o = {
	    .workload = mmb_workload_find(workload),
	    .wl = {.file_size = f->size, .ops = 2000, .seed = 11, .threads = 2},
	    .path = f->path,
	    .backends = b,
	    .nbackends = n,
	    .bopts = {.advice = -1, .window_size = 1 * MiB},
	    .cache = MMB_CACHE_WARM,
	    .reps = 2,
	};
	return o;
}

/* Index of br's metric `name`; -1 when it has none. */
static int xindex(const struct mmb_backend_result *br, const char *name)
{
	for (unsigned k = 0; k < br->nx; k++)
		if (strcmp(br->xdef[k].name, name) == 0)
			return (int)k;
	return -1;
}

/* Fraction of path's pages in the page cache (mincore); -1 on error. */
static double resident(const char *path, uint64_t size)
{
	long pg = sysconf(_SC_PAGESIZE);
	size_t pages = (size_t)((size + (uint64_t)pg - 1) / (uint64_t)pg),
	       in = 0;
	unsigned char *vec = malloc(pages);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	void *m = fd < 0 ? MAP_FAILED
			 : mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	double r = -1;

	if (vec && m != MAP_FAILED && mincore(m, size, vec) == 0) {
		for (size_t i = 0; i < pages; i++)
			in += vec[i] & 1;
		r = (double)in / (double)pages;
	}
	if (m != MAP_FAILED)
		munmap(m, size);
	if (fd >= 0)
		close(fd);
	free(vec);
	return r;
}

static const struct mmb_backend *nowait(void)
{
	return mmb_backend_find("preadv2-nowait");
}

/* A skip of preadv2-nowait in the run: say why, 77. */
static int nowait_skipped(const struct mmb_backend_result *br)
{
	if (br->status != MMB_ESKIP)
		return 0;
	fprintf(stderr, "SKIP: %s\n", br->message);
	return 77;
}

/* Warm file: every op served, the same bytes as pread. */
static int warm_body(struct fx *f)
{
	const struct mmb_backend *b[] = {mmb_backend_find("pread"), nowait()};
	struct mmb_run_opts o = opts(f, "random-4k", b, 2);
	struct mmb_run_result *r;
	int k, rc = 0;

	ASSERT(b[1] && (b[1]->caps & MMB_CAP_NONBLOCK));
	ASSERT_OK(mmb_workload_resolve(o.workload, &o.wl));
	ASSERT_OK(mmb_run(&o, &r));
	const struct mmb_backend_result *p = &r->b[0], *n = &r->b[1];
	if ((rc = nowait_skipped(n)) != 0)
		goto out;
	rc = 1;
	ASSERT_EQ(p->status, 0);
	ASSERT_EQ(n->status, 0);
	ASSERT_EQ(p->nx, 0);
	k = xindex(n, "ops_not_served");
	ASSERT(k >= 0);
	ASSERT(strcmp(n->xdef[k].unit, "ops") == 0);
	for (unsigned i = 0; i < n->nreps; i++) {
		fprintf(stderr,
			"rep %u: not served %g, checksum %016llx vs %016llx\n",
			i, n->reps[i].x[k],
			(unsigned long long)n->reps[i].checksum,
			(unsigned long long)p->reps[i].checksum);
		ASSERT(n->reps[i].x[k] == 0);
		ASSERT_EQ(n->reps[i].checksum, p->reps[i].checksum);
		ASSERT(n->reps[i].m[MMB_M_BYTES_READ] ==
		       p->reps[i].m[MMB_M_BYTES_READ]);
	}
	ASSERT(n->median.x[k] == 0);
	rc = 0;
out:
	mmb_run_result_free(r);
	return rc;
}

TEST_IMPL(nowait_warm_matches_pread)
{
	return fx_run(RUN_SIZE, warm_body);
}

/* Cold file: ops that would wait for the device are counted as not
 * served; the run goes on and succeeds, moving only the served bytes. */
static int cold_body(struct fx *f)
{
	const struct mmb_backend *b[] = {nowait()};
	struct mmb_run_opts o = opts(f, "random-4k", b, 1);
	struct mmb_run_result *r;
	double res;
	int k, rc;

	evict(f->path);
	res = resident(f->path, f->size);
	fprintf(stderr, "after POSIX_FADV_DONTNEED: %.1f%% resident\n",
		res * 100);
	if (res < 0 || res > 0.05)
		SKIP("cannot make the file cold (%.1f%% stays resident)",
		     res * 100);
	o.cache = MMB_CACHE_COLD;
	o.wl.threads = 1;
	ASSERT_OK(mmb_workload_resolve(o.workload, &o.wl));
	ASSERT_OK(mmb_run(&o, &r));
	const struct mmb_backend_result *n = &r->b[0];
	if ((rc = nowait_skipped(n)) != 0 || (rc = n->note[0] ? 77 : 0)) {
		if (n->note[0])
			fprintf(stderr, "SKIP: %s\n", n->note);
		mmb_run_result_free(r);
		return rc;
	}
	rc = 1;
	ASSERT_EQ(n->status, 0);
	k = xindex(n, "ops_not_served");
	ASSERT(k >= 0);
	for (unsigned i = 0; i < n->nreps; i++) {
		const struct mmb_rep *p = &n->reps[i];
		fprintf(stderr,
			"rep %u: %g of 2000 not served, %g served, %g bytes\n",
			i, p->x[k], p->m[MMB_M_OPS], p->m[MMB_M_BYTES_READ]);
		ASSERT(p->x[k] > 0);
		ASSERT(p->x[k] + p->m[MMB_M_OPS] == 2000);
		ASSERT(p->m[MMB_M_BYTES_READ] == p->m[MMB_M_OPS] * 4096);
	}
	rc = 0;
	mmb_run_result_free(r);
	return rc;
}

TEST_IMPL(nowait_cold_not_served)
{
	return fx_run(RUN_SIZE, cold_body);
}

/* Whether file `path` contains `s`. */
static bool file_has(const char *path, const char *s)
{
	char *buf;
	size_t len;
	bool has;

	if (mmb_read_file(path, &buf, &len) < 0)
		return false;
	has = strstr(buf, s) != NULL;
	free(buf);
	return has;
}

static int metrics_body(struct fx *f)
{
	const struct mmb_backend *b[] = {mmb_backend_find("pread"),
					 mmb_backend_find("mmap-window")};
	struct mmb_run_opts o = opts(f, "random-4k", b, 2);
	struct mmb_run_result *r;
	char json[PATH_MAX + 32], csv[PATH_MAX + 32];
	int k;

	ASSERT(b[1] && b[1]->metrics);
	ASSERT_OK(mmb_workload_resolve(o.workload, &o.wl));
	ASSERT_OK(mmb_run(&o, &r));
	const struct mmb_backend_result *w = &r->b[1];
	ASSERT_EQ(w->status, 0);
	ASSERT_EQ(r->b[0].nx, 0);
	k = xindex(w, "remaps");
	ASSERT(k >= 0);
	ASSERT(strcmp(w->xdef[k].unit, "views") == 0);
	/* 2000 random 4 KiB ops over 32 one-MiB windows, two threads: each
	 * op maps a view unless it lands in the window last mapped. */
	for (unsigned i = 0; i < w->nreps; i++) {
		fprintf(stderr, "rep %u: %g remaps\n", i, w->reps[i].x[k]);
		ASSERT(w->reps[i].x[k] >= 1000 && w->reps[i].x[k] <= 2000);
	}
	ASSERT(w->min.x[k] <= w->median.x[k] && w->median.x[k] <= w->max.x[k]);
	ASSERT(fabs(w->mean.x[k] - (w->reps[0].x[k] + w->reps[1].x[k]) / 2) <
	       1e-9);

	snprintf(json, sizeof(json), "%s/r.json", f->dir);
	snprintf(csv, sizeof(csv), "%s/r.csv", f->dir);
	ASSERT_OK(mmb_report_json(r, json));
	ASSERT_OK(mmb_report_csv(r, csv));
	mmb_run_result_free(r);
	ASSERT(file_has(json, "\"remaps\": "));
	ASSERT(file_has(json, "\"metric_units\": {"));
	ASSERT(file_has(json, "\"remaps\": \"views\""));
	/* the backend's columns follow the common metrics and the latency
	 * (the kernel events' kev_* columns come after them) */
	ASSERT(file_has(csv, ",lat_max_us,remaps,"));
	unlink(json);
	unlink(csv);
	return 0;
}

TEST_IMPL(metrics_reach_results)
{
	return fx_run(RUN_SIZE, metrics_body);
}

/* ---- the runner and the caps -------------------------------------------- */

static int x_open(const char *path, uint64_t size,
		  const struct mmb_backend_opts *o, void **state, char *why,
		  size_t whylen)
{
	(void)path, (void)size, (void)o, (void)why, (void)whylen;
	*state = NULL;
	return 0;
}

static int64_t x_io(void *ts, void *buf, size_t len, uint64_t off)
{
	(void)ts, (void)off;
	memset(buf, 0, len);
	return (int64_t)len;
}

static int64_t x_write(void *ts, const void *buf, size_t len, uint64_t off)
{
	(void)ts, (void)buf, (void)off;
	return (int64_t)len;
}

static unsigned x_bad_metric(void *state, struct mmb_backend_metric *out,
			     unsigned max)
{
	(void)state, (void)max;
	out[0] = (struct mmb_backend_metric){"bytes_read", "B", 1};
	return 1;
}

static void x_close(void *state)
{
	(void)state;
}

/* READ in the caps, no read hook. */
static const struct mmb_backend no_read = {
    .name = "no-read",
    .help = "h",
    .caps = MMB_CAP_READ | MMB_CAP_WRITE,
    .open = x_open,
    .write = x_write,
    .close = x_close,
};

/* Writes only. */
static const struct mmb_backend writer = {
    .name = "writer",
    .help = "h",
    .caps = MMB_CAP_WRITE,
    .open = x_open,
    .write = x_write,
    .close = x_close,
};

/* Reports a metric named like a common one. */
static const struct mmb_backend clash = {
    .name = "clash",
    .help = "h",
    .caps = MMB_CAP_READ,
    .open = x_open,
    .read = x_io,
    .metrics = x_bad_metric,
    .close = x_close,
};

static int caps_body(struct fx *f)
{
	const struct mmb_backend *b[] = {&no_read, &writer, &clash,
					 mmb_backend_find("pread")};
	struct mmb_run_opts o = opts(f, "random-4k", b, 4);
	struct mmb_run_result *r;

	o.wl.threads = 1;
	ASSERT_OK(mmb_workload_resolve(o.workload, &o.wl));
	ASSERT_OK(mmb_run(&o, &r));
	for (unsigned i = 0; i < 4; i++)
		fprintf(stderr, "%s: %s %s\n", r->b[i].name,
			mmb_errname(r->b[i].status), r->b[i].message);
	ASSERT_EQ(r->b[0].status, MMB_EINVAL);
	ASSERT(strstr(r->b[0].message,
		      "'no-read' is inconsistent: MMB_CAP_READ without"));
	ASSERT_EQ(r->b[1].status, MMB_ESKIP);
	ASSERT(strstr(r->b[1].message, "writer cannot read"));
	ASSERT_EQ(r->b[2].status, MMB_EINVAL);
	ASSERT(strstr(r->b[2].message, "'bytes_read' cannot be a results"));
	ASSERT_EQ(r->b[3].status, 0);
	mmb_run_result_free(r);
	return 0;
}

TEST_IMPL(runner_goes_by_caps)
{
	return fx_run(RUN_SIZE, caps_body);
}
