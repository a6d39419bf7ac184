/* SPDX-License-Identifier: MIT */
/* The runner against real backends on small files in a temp dir:
 * checksums, byte counts, fault counters moving the right way. */
#include <math.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmbench/kevents.h"
#include "mmbench/workload.h"
#include "runopts.h"
#include "test.h"
#include "testutil.h"

#define MiB (1024ull * 1024)

static char dir[64], path[128];

static void cleanup(void)
{
	th_rmtree(dir);
	dir[0] = 0;
}

/* A 16 MiB test file in a fresh temp dir. */
static int setup(uint64_t size)
{
	bool created;
	if (th_mkdtemp(dir, sizeof(dir), "wl") < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/data", dir);
	if (mmb_testfile_prepare(path, size, NULL, &created, NULL) < 0 ||
	    !created)
		return -1;
	/* a second prepare reuses it */
	if (mmb_testfile_prepare(path, size, NULL, &created, NULL) < 0 ||
	    created)
		return -1;
	return 0;
}

static struct mmb_run_opts run_opts(const char *workload, uint64_t ops,
				    const struct mmb_backend **b, unsigned n)
{
	return th_run_opts(workload, path, 16 * MiB, ops, 7, b, n);
}

/* Sum of the pattern words the read ops of o must see. */
static uint64_t expected_checksum(const struct mmb_run_opts *o)
{
	struct mmb_op *ops;
	uint64_t sum = 0;
	if (mmb_workload_generate(o->workload, &o->wl, &ops) < 0)
		return 0;
	/* each thread's ops where the runner puts them */
	for (unsigned t = 0; t < o->wl.threads; t++) {
		uint64_t b, e;
		mmb_thread_slice(o->wl.ops, o->wl.threads, t, &b, &e);
		mmb_thread_region(o->workload, &o->wl, t, ops + b, e - b);
	}
	for (uint64_t k = 0; k < o->wl.ops; k++)
		if (!ops[k].is_write)
			sum += mmb_pattern_page_word(ops[k].off);
	free(ops);
	return sum;
}

#define M(br, k) ((br)->reps[0].m[MMB_M_##k])

TEST_IMPL(runner_backends_same_checksum)
{
	const struct mmb_backend *b[] = {mmb_backend_find("pread"),
					 mmb_backend_find("mmap"),
					 mmb_backend_find("mmap-populate")};
	struct mmb_run_result *r;

	ASSERT(b[0] && b[1] && b[2]);
	ASSERT_OK(setup(16 * MiB));
	struct mmb_run_opts o = run_opts("random-4k", 2000, b, 3);
	o.reps = 2;
	ASSERT_OK(mmb_workload_resolve(o.workload, &o.wl));
	uint64_t want = expected_checksum(&o);
	ASSERT_OK(mmb_run(&o, &r));
	ASSERT_EQ(r->nbackends, 3);
	ASSERT(strcmp(r->fault_source, "perf_event") == 0 ||
	       strcmp(r->fault_source, "getrusage") == 0);
	for (unsigned i = 0; i < 3; i++) {
		const struct mmb_backend_result *br = &r->b[i];
		ASSERT_EQ(br->status, 0);
		ASSERT_EQ(br->nreps, 2);
		ASSERT(br->checksum_stable);
		ASSERT_EQ(br->reps[0].checksum, want);
		ASSERT_EQ(M(br, OPS), 2000);
		ASSERT_EQ(M(br, BYTES_READ), 2000 * 4096);
		ASSERT_EQ(M(br, BYTES_WRITTEN), 0);
		ASSERT(M(br, ELAPSED_NS) > 0);
		ASSERT_EQ(M(br, PAGES_TOUCHED), M(&r->b[0], PAGES_TOUCHED));
		ASSERT(M(br, PAGES_TOUCHED) > 1000);
		ASSERT(M(br, RESIDENT_BEFORE) > 0.99); /* warm */
		/* no warm-up: one op in MMB_LAT_EVERY_NOWARMUP timed, +1 at
		 * most per rep */
		ASSERT_EQ(br->lat_every, MMB_LAT_EVERY_NOWARMUP);
		ASSERT(br->hist->count >= 2 * (2000 / br->lat_every) &&
		       br->hist->count <= 2 * (2000 / br->lat_every + 1));
		ASSERT(br->lat.p50 <= br->lat.p99 &&
		       br->lat.p99 <= br->lat.max);
	}
	/* pread does not fault on the file */
	ASSERT(M(&r->b[0], MAJOR_FAULTS) == 0);
	ASSERT_EQ(r->verdict.winner.index, mmb_run_result_fastest(r));
	ASSERT(r->verdict.runner_up.index >= 0);
	mmb_run_result_free(r);
	cleanup();
	return 0;
}

TEST_IMPL(runner_threads_same_totals)
{
	const struct mmb_backend *b[] = {mmb_backend_find("pread"),
					 mmb_backend_find("mmap")};
	struct mmb_run_result *r1, *r3;

	ASSERT_OK(setup(16 * MiB));
	struct mmb_run_opts o = run_opts("zipf", 3001, b, 2);
	ASSERT_OK(th_run_resolved(&o, &r1));
	o.wl.threads = 3;
	ASSERT_OK(mmb_run(&o, &r3));
	for (unsigned i = 0; i < 2; i++) {
		ASSERT_EQ(r3->b[i].status, 0);
		ASSERT_EQ(M(&r3->b[i], OPS), 3001);
		ASSERT_EQ(M(&r3->b[i], BYTES_READ), 3001 * 4096);
		/* the same ops, split three ways: the same bytes read */
		ASSERT_EQ(r3->b[i].reps[0].checksum, r1->b[i].reps[0].checksum);
		ASSERT_EQ(M(&r3->b[i], PAGES_TOUCHED),
			  M(&r1->b[i], PAGES_TOUCHED));
	}
	ASSERT_EQ(r1->b[0].reps[0].checksum, r1->b[1].reps[0].checksum);
	mmb_run_result_free(r1);
	mmb_run_result_free(r3);
	cleanup();
	return 0;
}

TEST_IMPL(runner_writes_keep_file)
{
	const struct mmb_backend *b[] = {mmb_backend_find("pread"),
					 mmb_backend_find("mmap")};
	struct mmb_run_result *r;
	unsigned char *got = malloc(MiB), *want = malloc(MiB);
	int fd;

	ASSERT(got && want);
	ASSERT_OK(setup(16 * MiB));
	struct mmb_run_opts o = run_opts("rw-mix", 4000, b, 2);
	ASSERT_OK(mmb_workload_set(o.workload, &o.wl, "read-pct",
				   (union mmb_value){.d = 60}));
	o.wl.threads = 2;
	o.bopts.sync = MMB_WSYNC_FSYNC;
	ASSERT_OK(mmb_workload_resolve(o.workload, &o.wl));
	uint64_t want_sum = expected_checksum(&o);
	ASSERT_OK(mmb_run(&o, &r));
	/* The workload's own parameter is in the context, as set. */
	ASSERT_EQ(r->nopts, 1);
	ASSERT(strcmp(r->opts[0].key, "read_pct") == 0);
	ASSERT_EQ(r->opts[0].type, MMB_CTX_DOUBLE);
	ASSERT_EQ(r->opts[0].d, 60);
	for (unsigned i = 0; i < 2; i++) {
		const struct mmb_backend_result *br = &r->b[i];
		ASSERT_EQ(br->status, 0);
		ASSERT_EQ(M(br, OPS), 4000);
		ASSERT_EQ(M(br, BYTES_READ) + M(br, BYTES_WRITTEN),
			  4000 * 4096);
		ASSERT(M(br, BYTES_WRITTEN) > 0);
		/* writes store the pattern: reads see it whatever the order */
		ASSERT_EQ(br->reps[0].checksum, want_sum);
	}
	mmb_run_result_free(r);
	/* and the file is still the pattern, byte for byte */
	fd = open(path, O_RDONLY);
	ASSERT(fd >= 0);
	for (uint64_t off = 0; off < 16 * MiB; off += MiB) {
		ASSERT_EQ(pread(fd, got, MiB, (off_t)off), (long)MiB);
		mmb_pattern_fill(want, off, MiB);
		ASSERT(memcmp(got, want, MiB) == 0);
	}
	close(fd);
	free(got);
	free(want);
	cleanup();
	return 0;
}

TEST_IMPL(runner_duration_mode)
{
	const struct mmb_backend *b[] = {mmb_backend_find("mmap")};
	struct mmb_run_result *r;

	ASSERT_OK(setup(16 * MiB));
	struct mmb_run_opts o = run_opts("seq-read", 0, b, 1);
	o.duration_s = 0.05;
	ASSERT_OK(th_run_resolved(&o, &r));
	ASSERT_EQ(r->b[0].status, 0);
	/* 256 ops per pass of 64 KiB; in 50 ms it wraps at least once */
	ASSERT(M(&r->b[0], OPS) > 256);
	ASSERT_EQ(M(&r->b[0], BYTES_READ), M(&r->b[0], OPS) * 65536);
	ASSERT_EQ(M(&r->b[0], PAGES_TOUCHED), 16 * MiB / 4096);
	mmb_run_result_free(r);
	cleanup();
	return 0;
}

TEST_IMPL(runner_cold_mmap_major_faults)
{
	const struct mmb_backend *b[] = {mmb_backend_find("mmap")};
	struct mmb_run_result *r;

	ASSERT_OK(setup(16 * MiB));
	struct mmb_run_opts o = run_opts("random-4k", 500, b, 1);
	o.cache = MMB_CACHE_COLD;
	ASSERT_OK(th_run_resolved(&o, &r));
	ASSERT_EQ(r->b[0].status, 0);
	if (M(&r->b[0], RESIDENT_BEFORE) >= 0.01) {
		double res = M(&r->b[0], RESIDENT_BEFORE);
		mmb_run_result_free(r);
		cleanup();
		SKIP("page cache could not be dropped (%.0f%% resident)",
		     res * 100);
	}
	ASSERT(M(&r->b[0], MAJOR_FAULTS) > 0);
	ASSERT(M(&r->b[0], FAULTS) >= M(&r->b[0], MAJOR_FAULTS));
	mmb_run_result_free(r);
	cleanup();
	return 0;
}

TEST_IMPL(runner_populate_no_faults)
{
	/* mmap, not mmap-4k: mmap-4k is withheld where a fault maps more
	 * than one page (tests/measure) */
	const struct mmb_backend *b[] = {mmb_backend_find("mmap-populate"),
					 mmb_backend_find("mmap")};
	struct mmb_run_result *r;

	ASSERT_OK(setup(16 * MiB));
	struct mmb_run_opts o = run_opts("scan-once", 0, b, 2);
	ASSERT_OK(th_run_resolved(&o, &r));
	ASSERT_EQ(r->b[0].status, 0);
	ASSERT_EQ(r->b[1].status, 0);
	ASSERT_EQ(M(&r->b[0], PAGES_TOUCHED), 4096);
	/* prefaulted at open: nothing left to fault in the timed region
	 * (a few for the loop's own stack and the counters). Under ASan,
	 * memcpy from the mapping also reads its shadow, one byte per 8:
	 * up to one fault per 8 pages of the mapping, none of them ours. */
#if defined(__SANITIZE_ADDRESS__)
	ASSERT(M(&r->b[0], FAULTS) < 16 + 4096 / 8);
#else
	ASSERT(M(&r->b[0], FAULTS) < 16);
#endif
	/* demand-faulted: faults happen, and cover the pages touched */
	ASSERT(M(&r->b[1], FAULTS) >= 16);
	ASSERT(M(&r->b[1], PAGES_PER_FAULT) > 0);
	mmb_run_result_free(r);
	cleanup();
	return 0;
}

/* The perf_event fault counts agree with getrusage's count of the same
 * region (issue 4: within 2%). A warm file faults in whole large folios
 * (a handful of faults for 16 MiB); from a cold cache with MADV_RANDOM,
 * readahead is off, each fault reads one small page: thousands of faults
 * to compare. perf_event counts in the measured repetitions only with
 * the kernel events inline (runner_fault_source). */
TEST_IMPL(runner_faults_cross_check)
{
	/* mmap, not mmap-4k, which is withheld when a fault maps more than
	 * a page */
	const struct mmb_backend *b[] = {mmb_backend_find("mmap")};
	struct mmb_run_result *r;

	ASSERT_OK(setup(16 * MiB));
	struct mmb_run_opts o = run_opts("scan-once", 0, b, 1);
	o.cache = MMB_CACHE_COLD;
	o.bopts.advice = MMB_ADV_RANDOM;
	ASSERT_OK(th_run_resolved_in(&o, &r, MMB_KEV_MODE_INLINE));
	ASSERT_EQ(r->b[0].status, 0);
	const char *skip = NULL;
	if (M(&r->b[0], RESIDENT_BEFORE) >= 0.01)
		skip = "page cache could not be dropped";
	else if (strcmp(r->fault_source, "perf_event") != 0)
		skip =
		    "faults come from getrusage here: nothing to cross-check";
	if (skip) {
		mmb_run_result_free(r);
		cleanup();
		SKIP("%s", skip);
	}
	double perf = M(&r->b[0], FAULTS), ru = M(&r->b[0], FAULTS_RUSAGE);
	fprintf(stderr, "perf_event %.0f faults, getrusage %.0f\n", perf, ru);
	ASSERT(perf >= 1000);
	ASSERT(fabs(perf - ru) <= 0.02 * perf);
	mmb_run_result_free(r);
	cleanup();
	return 0;
}

/* Where the measured repetitions' faults come from (issue 13): a task
 * with perf_event counters pays for them at every context switch, so they
 * count only beside the kernel events. By default (separate) the measured
 * repetitions read getrusage and say why, and the evidence repetition
 * counts with perf_event; inline puts perf_event in the measured ones;
 * off has none. Where perf_event counts, its count agrees with
 * getrusage's of the same repetition (not across runs: each maps the file
 * afresh, and under ASan or load its own faults vary). */
TEST_IMPL(runner_fault_source)
{
	const struct mmb_backend *b[] = {mmb_backend_find("mmap")};
	static const enum mmb_kevents_mode modes[] = {
	    MMB_KEV_MODE_SEPARATE, MMB_KEV_MODE_INLINE, MMB_KEV_MODE_OFF};
	bool perf = false;

	ASSERT(b[0]);
	ASSERT_OK(setup(16 * MiB));
	for (int i = 0; i < 3; i++) {
		struct mmb_run_result *r;
		struct mmb_run_opts o = run_opts("random-4k", 2000, b, 1);
		ASSERT_OK(th_run_resolved_in(&o, &r, modes[i]));
		const struct mmb_backend_result *br = &r->b[0];
		ASSERT_EQ(br->status, 0);
		if (i == 1)
			perf = strcmp(r->fault_source, "perf_event") == 0;
		if (i != 1 || !perf) {
			ASSERT(strcmp(r->fault_source, "getrusage") == 0);
			ASSERT(r->fault_source_why[0] != 0);
		}
		if (i == 0 && perf)
			ASSERT(strstr(r->fault_source_why,
				      "evidence repetition") != NULL);
		if (i == 2 && perf)
			ASSERT(strstr(r->fault_source_why,
				      "kernel events off") != NULL);
		double f = M(br, FAULTS), ru = M(br, FAULTS_RUSAGE);
		ASSERT(f > 0);
		if (i != 1 || !perf) /* getrusage: its count, nothing else */
			ASSERT_EQ(f, ru);
		else /* perf_event, cross-checked */
			ASSERT(fabs(f - ru) <= 0.02 * f + 2);
		if (i == 0 && perf) {
			/* the evidence repetition counted with perf_event */
			const double *e = br->evidence.m;
			ASSERT(br->has_evidence);
			ASSERT(e[MMB_M_FAULTS] > 0);
			ASSERT(fabs(e[MMB_M_FAULTS] - e[MMB_M_FAULTS_RUSAGE]) <=
			       0.02 * e[MMB_M_FAULTS] + 2);
		}
		mmb_run_result_free(r);
	}
	cleanup();
	if (!perf)
		SKIP("perf_event unavailable here: every mode reads getrusage");
	return 0;
}

/* Fake backends: one that cannot run here, one whose reads fail. */
static int skip_open(const char *p, uint64_t size,
		     const struct mmb_backend_opts *o, void **state, char *why,
		     size_t whylen)
{
	(void)p;
	(void)size;
	(void)o;
	(void)state;
	snprintf(why, whylen, "no such hardware");
	return MMB_ESKIP;
}

static int fail_open(const char *p, uint64_t size,
		     const struct mmb_backend_opts *o, void **state, char *why,
		     size_t whylen)
{
	(void)p;
	(void)size;
	(void)o;
	(void)why;
	(void)whylen;
	*state = NULL;
	return 0;
}

static int64_t fail_read(void *ts, void *buf, size_t len, uint64_t off)
{
	(void)ts;
	(void)buf;
	(void)len;
	return mmb_seterr(MMB_EIO, EIO, "fake_read(offset=%llu)",
			  (unsigned long long)off);
}

static void fail_close(void *state)
{
	(void)state;
}

static const struct mmb_backend skipper = {
    .name = "skipper",
    .help = "skips",
    .caps = MMB_CAP_READ,
    .open = skip_open,
    .read = fail_read,
    .close = fail_close,
};

static const struct mmb_backend failer = {
    .name = "failer",
    .help = "fails",
    .caps = MMB_CAP_READ,
    .open = fail_open,
    .read = fail_read,
    .close = fail_close,
};

TEST_IMPL(runner_skip_and_failure_reported)
{
	const struct mmb_backend *b[] = {&skipper, &failer,
					 mmb_backend_find("pread")};
	struct mmb_run_result *r;

	ASSERT_OK(setup(16 * MiB));
	struct mmb_run_opts o = run_opts("random-4k", 100, b, 3);
	o.warmup = true;
	ASSERT_OK(th_run_resolved(&o, &r));
	ASSERT_EQ(r->b[0].status, MMB_ESKIP);
	ASSERT(strstr(r->b[0].message, "no such hardware"));
	ASSERT_EQ(r->b[1].status, MMB_EIO);
	ASSERT(strstr(r->b[1].message, "fake_read(offset="));
	ASSERT_EQ(r->b[1].nreps, 0);
	ASSERT_EQ(r->b[2].status, 0);
	ASSERT_EQ(mmb_run_result_fastest(r), 2);
	ASSERT_EQ(r->verdict.decision, MMB_RV_ONLY_ONE);
	ASSERT_EQ(r->verdict.winner.index, 2);
	mmb_run_result_free(r);
	cleanup();
	return 0;
}

/* The loop stamps ops with the TSC where it can (workloads/clock.h) and
 * measures its elapsed time with CLOCK_MONOTONIC: the per-op latencies
 * must add up to the elapsed time, which checks the TSC's calibration, and
 * a --duration run must last at least its duration by CLOCK_MONOTONIC. */
TEST_IMPL(runner_latencies_add_up)
{
	const struct mmb_backend *b[] = {mmb_backend_find("pread"),
					 mmb_backend_find("mmap")};
	struct mmb_run_result *r;

	ASSERT_OK(setup(16 * MiB));
	struct mmb_run_opts o = run_opts("random-4k", 20000, b, 2);
	o.reps = 2;
	o.lat_every = 1; /* every op timed: their times fill the loop's */
	ASSERT_OK(th_run_resolved(&o, &r));
	ASSERT_EQ(r->lat_every, 1);
	for (unsigned i = 0; i < 2; i++) {
		const struct mmb_backend_result *br = &r->b[i];
		ASSERT_EQ(br->status, 0);
		double el = br->reps[0].m[MMB_M_ELAPSED_NS] +
			    br->reps[1].m[MMB_M_ELAPSED_NS];
		ASSERT_EQ(br->hist->count, 2 * 20000);
		/* the op times lie inside the loop's, and are most of it */
		ASSERT((double)br->hist->sum <= el);
		ASSERT((double)br->hist->sum >= 0.5 * el);
		ASSERT(br->hist->min <= br->lat.p50 &&
		       br->lat.max <= br->hist->sum);
	}
	mmb_run_result_free(r);

	/* --duration: one op in 10 timed, whatever the count became */
	o = run_opts("seq-read", 0, b + 1, 1);
	o.duration_s = 0.05;
	o.lat_every = 10;
	ASSERT_OK(th_run_resolved(&o, &r));
	ASSERT_EQ(r->b[0].status, 0);
	ASSERT(M(&r->b[0], ELAPSED_NS) >= 0.05e9 * 0.99);
	ASSERT(fabs((double)r->b[0].hist->count - M(&r->b[0], OPS) / 10) <= 1);
	ASSERT((double)r->b[0].hist->sum <= M(&r->b[0], ELAPSED_NS));
	mmb_run_result_free(r);

	/* no latency: no op timed, the rates still there */
	o = run_opts("random-4k", 2000, b, 1);
	o.no_latency = true;
	ASSERT_OK(th_run_resolved(&o, &r));
	ASSERT_EQ(r->lat_every, 0);
	ASSERT_EQ(r->b[0].hist->count, 0);
	ASSERT(M(&r->b[0], ITEMS_PER_SECOND) > 0);
	mmb_run_result_free(r);
	cleanup();
	return 0;
}
