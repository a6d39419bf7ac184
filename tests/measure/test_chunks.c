/* SPDX-License-Identifier: MIT */
/* Ops made in bounded chunks (struct mmb_gen, the runner's chunking): the
 * same ops as one whole list, whatever the chunking, and memory that does
 * not grow with the op count. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "mmbench/workload.h"
#include "test.h"

#define MiB (1024ull * 1024)

TEST_IMPL(chunks_same_ops_as_whole)
{
	static const uint64_t chunk[] = {1, 3, 4096, 100000};

	for (size_t i = 0; mmb_workloads[i]; i++) {
		const struct mmb_workload *w = mmb_workloads[i];
		struct mmb_workload_opts o = {
		    .file_size = 16 * MiB + 1000, .seed = 5, .threads = 1};
		if (w->flags & MMB_WL_INPUT) /* needs its input: tests/trace */
			continue;
		struct mmb_op *all, *part;
		ASSERT_OK(mmb_workload_resolve(w, &o));
		ASSERT_OK(mmb_workload_generate(w, &o, &all));
		part = calloc(o.ops, sizeof(*part));
		ASSERT(part);
		for (size_t c = 0; c < sizeof(chunk) / sizeof(chunk[0]); c++) {
			struct mmb_gen g = {0}, mid = {0};
			uint64_t at = o.ops / 3;
			memset(part, 0, o.ops * sizeof(*part));
			for (uint64_t d = 0; d < o.ops;) {
				uint64_t k =
				    o.ops - d < chunk[c] ? o.ops - d : chunk[c];
				if (d <= at && at < d + k && !mid.next) {
					/* a copy taken between chunks resumes
					 */
					ASSERT_OK(mmb_gen_fill(
					    w, &o, &g, part + d, at - d));
					ASSERT_OK(mmb_gen_copy(&mid, &g));
					ASSERT_OK(mmb_gen_fill(
					    w, &o, &g, part + at, d + k - at));
				} else
					ASSERT_OK(mmb_gen_fill(w, &o, &g,
							       part + d, k));
				d += k;
			}
			ASSERT_EQ(g.next, o.ops);
			ASSERT(memcmp(all, part, o.ops * sizeof(*part)) == 0);
			if (mid.next) {
				uint64_t left = o.ops - at;
				ASSERT_OK(
				    mmb_gen_fill(w, &o, &mid, part, left));
				ASSERT(memcmp(all + at, part,
					      left * sizeof(*part)) == 0);
			}
			mmb_gen_free(&g);
			mmb_gen_free(&mid);
			ASSERT(g.scratch == NULL && g.next == 0);
		}
		free(part);
		free(all);
	}
	return 0;
}

static char dir[64], path[128];

static int setup(uint64_t size)
{
	bool created;
	snprintf(dir, sizeof(dir), "/tmp/mmb-measure-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/data", dir);
	return mmb_testfile_prepare(path, size, NULL, &created, NULL);
}

static void cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

static struct mmb_run_opts opts(const struct mmb_backend **b, unsigned nb,
				uint64_t ops, unsigned threads)
{
	struct mmb_run_opts o = {
	    .workload = mmb_workload_find("random-4k"),
	    .wl = {.file_size = 16 * MiB,
		   .ops = ops,
		   .seed = 11,
		   .threads = threads},
	    .path = path,
	    .backends = b,
	    .nbackends = nb,
	    .bopts = {.advice = -1},
	    .cache = MMB_CACHE_WARM,
	    .reps = 2,
	};
	return o;
}

/* Slices longer than a chunk (262144 ops over the threads) read exactly
 * the ops of the whole list, in every repetition and backend. */
TEST_IMPL(chunks_runner_same_checksum)
{
	const struct mmb_backend *b[] = {mmb_backend_find("pread"),
					 mmb_backend_find("mmap")};
	static const unsigned threads[] = {1, 2};

	ASSERT_OK(setup(16 * MiB));
	for (size_t t = 0; t < 2; t++) {
		struct mmb_run_opts o = opts(b, 2, 300001, threads[t]);
		struct mmb_run_result *r;
		struct mmb_op *all;
		uint64_t want = 0;
		ASSERT_OK(mmb_workload_resolve(o.workload, &o.wl));
		ASSERT_OK(mmb_workload_generate(o.workload, &o.wl, &all));
		for (uint64_t k = 0; k < o.wl.ops; k++)
			want += mmb_pattern_page_word(all[k].off);
		uint64_t pages =
		    mmb_ops_pages_touched(all, o.wl.ops, 16 * MiB, 4096);
		free(all);
		ASSERT_OK(mmb_run(&o, &r));
		for (unsigned i = 0; i < 2; i++) {
			const struct mmb_backend_result *br = &r->b[i];
			ASSERT_EQ(br->status, 0);
			ASSERT_EQ(br->nreps, 2);
			ASSERT(br->checksum_stable);
			ASSERT_EQ(br->reps[0].checksum, want);
			ASSERT_EQ(br->reps[1].m[MMB_M_OPS], 300001);
			ASSERT_EQ(br->reps[0].m[MMB_M_PAGES_TOUCHED], pages);
		}
		mmb_run_result_free(r);
	}
	cleanup();
	return 0;
}

static long maxrss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* 4 M ops would be 64 MiB as one list; in chunks the run's peak grows by
 * the 16 MiB mapping, 4 MiB of chunk and small change. */
TEST_IMPL(chunks_memory_bounded)
{
	const struct mmb_backend *b[] = {mmb_backend_find("mmap")};
	struct mmb_run_result *r;

	ASSERT_OK(setup(16 * MiB));
	struct mmb_run_opts o = opts(b, 1, 4000000, 1);
	o.reps = 1;
	ASSERT_OK(mmb_workload_resolve(o.workload, &o.wl));
	long before = maxrss_kb();
	ASSERT_OK(mmb_run(&o, &r));
	long grown = maxrss_kb() - before;
	ASSERT_EQ(r->b[0].status, 0);
	ASSERT_EQ(r->b[0].reps[0].m[MMB_M_OPS], 4000000);
	mmb_run_result_free(r);
	cleanup();
	if (grown >= 32 * 1024)
		fprintf(stderr, "peak RSS grew by %ld KiB\n", grown);
	ASSERT(grown < 32 * 1024);
	return 0;
}

/* --buf-offset: the buffers move, the bytes read do not; pread-direct
 * refuses an offset off its alignment instead of bouncing. */
TEST_IMPL(buf_offset_same_bytes_direct_refused)
{
	const struct mmb_backend *b[] = {mmb_backend_find("pread"),
					 mmb_backend_find("mmap"),
					 mmb_backend_find("pread-direct")};
	struct mmb_run_result *r, *r0;

	ASSERT_OK(setup(16 * MiB));
	struct mmb_run_opts o = opts(b, 3, 3000, 1);
	o.reps = 1;
	ASSERT_OK(mmb_workload_resolve(o.workload, &o.wl));
	ASSERT_OK(mmb_run(&o, &r0));
	o.buf_offset = 64;
	ASSERT_OK(mmb_run(&o, &r));
	for (unsigned i = 0; i < 2; i++) {
		ASSERT_EQ(r->b[i].status, 0);
		ASSERT_EQ(r0->b[i].status, 0);
		ASSERT_EQ(r->b[i].reps[0].checksum, r0->b[i].reps[0].checksum);
	}
	ASSERT_EQ(r->b[2].status, MMB_EALIGN);
	ASSERT(strstr(r->b[2].message, "--buf-offset 64"));
	/* a whole page further keeps O_DIRECT's alignment */
	if (r0->b[2].status == 0) {
		mmb_run_result_free(r);
		o.buf_offset = 4096;
		ASSERT_OK(mmb_run(&o, &r));
		ASSERT_EQ(r->b[2].status, 0);
		ASSERT_EQ(r->b[2].reps[0].checksum, r0->b[2].reps[0].checksum);
	}
	mmb_run_result_free(r);
	mmb_run_result_free(r0);
	cleanup();
	return 0;
}

/* A backend whose name promises a page size runs only when its run shows
 * it: mmap-4k at most 1.5 pages per fault, mmap-thp FilePmdMapped > 0;
 * otherwise it is skipped with what was measured. */
TEST_IMPL(labels_page_size_kept_or_withheld)
{
	const struct mmb_backend *b[] = {mmb_backend_find("mmap-4k"),
					 mmb_backend_find("mmap-thp"),
					 mmb_backend_find("mmap")};
	struct mmb_run_result *r;

	ASSERT_OK(setup(16 * MiB));
	struct mmb_run_opts o = opts(b, 3, 20000, 1);
	o.reps = 1;
	ASSERT_OK(mmb_workload_resolve(o.workload, &o.wl));
	ASSERT_OK(mmb_run(&o, &r));
	const struct mmb_backend_result *k4 = &r->b[0], *thp = &r->b[1];
	if (k4->status == 0) {
		ASSERT(k4->median.m[MMB_M_PAGES_PER_FAULT] <= 1.5);
	} else {
		double ppf = 0;
		ASSERT_EQ(k4->status, MMB_ESKIP);
		ASSERT_EQ(k4->nreps, 0);
		ASSERT(sscanf(k4->message, "mmap-4k mapped %lf pages per fault",
			      &ppf) == 1);
		ASSERT(ppf > 1.5);
		/* mmap maps the same way here */
		ASSERT(r->b[2].median.m[MMB_M_PAGES_PER_FAULT] > 1.5);
	}
	if (thp->status == 0) {
		ASSERT(thp->median.m[MMB_M_FILE_PMD_MAPPED_KB] > 0);
	} else if (thp->status == MMB_ESKIP &&
		   !strstr(thp->message, "transparent huge pages")) {
		ASSERT(strstr(thp->message, "FilePmdMapped was 0 kB"));
		ASSERT_EQ(thp->nreps, 0);
	}
	mmb_run_result_free(r);
	cleanup();
	return 0;
}

/* The folio orders of mmap's mapped pages (root), or why not. */
TEST_IMPL(folios_of_the_mapping)
{
	const struct mmb_backend *b[] = {mmb_backend_find("mmap"),
					 mmb_backend_find("pread")};
	struct mmb_run_result *r;

	ASSERT_OK(setup(16 * MiB));
	struct mmb_run_opts o = opts(b, 2, 20000, 1);
	o.reps = 1;
	ASSERT_OK(mmb_workload_resolve(o.workload, &o.wl));
	ASSERT_OK(mmb_run(&o, &r));
	const struct mmb_backend_result *m = &r->b[0];
	ASSERT_EQ(m->status, 0);
	ASSERT(!r->b[1].folio_known); /* pread maps nothing */
	if (geteuid() != 0) {
		ASSERT(!m->folio_known && m->folio_why[0]);
		mmb_run_result_free(r);
		cleanup();
		SKIP("folio orders need root (%s)", m->folio_why);
	}
	ASSERT(m->folio_known);
	uint64_t all = 0;
	for (unsigned k = 0; k < MMB_FOLIO_ORDERS; k++)
		all += m->folio_pages[k];
	/* every page touched is mapped; fault-around may map more; no more
	 * than the file */
	ASSERT(all >= m->median.m[MMB_M_PAGES_TOUCHED]);
	ASSERT(all <= 16 * MiB / 4096);
	mmb_run_result_free(r);
	cleanup();
	return 0;
}

/* The runner's latency sampling per backend: by default N comes from each
 * backend's warm-up (a timed op about every MMB_LAT_SPACING_NS), without
 * a warm-up it is MMB_LAT_EVERY_NOWARMUP, and --lat-every N is used as
 * given; whatever N is, each repetition times ops / N of its ops (+1 at
 * most) and the result says which N (docs/results.md). */
TEST_IMPL(sampling_per_backend)
{
	const struct mmb_backend *b[] = {mmb_backend_find("pread"),
					 mmb_backend_find("mmap-populate")};

	ASSERT(b[0] && b[1]);
	ASSERT_OK(setup(16 * MiB));
	for (int mode = 0; mode < 3; mode++) {
		struct mmb_run_opts o = opts(b, 2, 20000, 1);
		struct mmb_run_result *r;
		o.warmup = mode != 1;
		o.lat_every = mode == 2 ? 64 : 0;
		ASSERT_OK(mmb_workload_resolve(o.workload, &o.wl));
		ASSERT_OK(mmb_run(&o, &r));
		ASSERT_EQ(r->lat_every, mode == 2 ? 64u : 0u);
		ASSERT_EQ(r->lat_spacing_ns,
			  mode == 2 ? 0u : MMB_LAT_SPACING_NS);
		for (unsigned i = 0; i < 2; i++) {
			const struct mmb_backend_result *br = &r->b[i];
			ASSERT_EQ(br->status, 0);
			uint64_t n = br->lat_every;
			if (mode == 1)
				ASSERT_EQ(n, MMB_LAT_EVERY_NOWARMUP);
			if (mode == 2)
				ASSERT_EQ(n, 64);
			ASSERT(n >= 1);
			ASSERT(br->hist->count >= 2 * (20000 / n) &&
			       br->hist->count <= 2 * (20000 / n + 1));
		}
		mmb_run_result_free(r);
	}
	cleanup();
	return 0;
}
