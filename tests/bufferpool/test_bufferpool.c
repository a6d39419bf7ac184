/* SPDX-License-Identifier: MIT */
/* test_bufferpool.c - the bufferpool backend's own behaviour: CLOCK's
 * exact hit count on a constructed sequence, dirty frames written back on
 * eviction (seen by a fresh pread before any end-of-run sync), the short
 * last frame, two threads reading and writing through a small pool
 * without a torn or stale page, the frames charged to a memory cgroup,
 * and mmbench run's --pool-size checks and results against pread's. */
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmb/error.h"
#include "mmbench/backend.h"
#include "mmbench/pressure.h"
#include "mmbench/results.h"

#include "test.h"
#include "testutil.h"

#define PG 4096u

static const struct mmb_backend *bp(void)
{
	return mmb_backend_find("bufferpool");
}

/* The byte at offset i of a fresh test file. */
static uint8_t orig(uint64_t i)
{
	return (uint8_t)((i >> 12) * 131 + i * 7 + 3);
}

/* A file of size bytes of orig() in a new temp dir (*dir, free with
 * th_tmpdir_free); its path in path. 0 or -1. */
static int make_file(char **dir, char *path, size_t n, uint64_t size)
{
	uint8_t *buf = malloc(size);
	int rc;

	*dir = th_tmpdir("bufferpool");
	if (!*dir || !buf) {
		free(buf);
		return -1;
	}
	for (uint64_t i = 0; i < size; i++)
		buf[i] = orig(i);
	snprintf(path, n, "%s/data", *dir);
	rc = th_write(path, buf, size);
	free(buf);
	return rc;
}

static struct mmb_backend_opts opts(uint64_t pool, bool writable)
{
	return (struct mmb_backend_opts){.block_size = PG,
					 .advice = -1,
					 .sync = MMB_WSYNC_NONE,
					 .writable = writable,
					 .threads = 1,
					 .pool_size = pool};
}

/* Open; 0, 77 (skipped: the reason printed) or 1. */
static int open_bp(const char *path, uint64_t size,
		   const struct mmb_backend_opts *o, void **st)
{
	char why[512] = "";
	int rc;

	if (!bp()) {
		fprintf(stderr, "bufferpool is not registered\n");
		return 1;
	}
	rc = bp()->open(path, size, o, st, why, sizeof(why));
	if (rc == MMB_ESKIP) {
		fprintf(stderr, "SKIP: %s\n", why);
		return 77;
	}
	if (rc < 0) {
		fprintf(stderr, "bufferpool open: %s\n", why);
		return 1;
	}
	return 0;
}

/* The metric called name; NaN when the backend does not report it. */
static double metric(void *st, const char *name)
{
	struct mmb_backend_metric m[16];
	unsigned n = bp()->metrics(st, m, 16);

	for (unsigned i = 0; i < n; i++)
		if (strcmp(m[i].name, name) == 0)
			return m[i].value;
	return NAN;
}

/* Read page p (4 KiB) through ts and check it against orig(). */
static int read_page(void *ts, uint64_t p)
{
	uint8_t buf[PG];
	int64_t n = bp()->read(ts, buf, PG, p * PG);

	ASSERT_EQ(n, PG);
	for (unsigned i = 0; i < PG; i++)
		ASSERT_EQ(buf[i], orig(p * PG + i));
	return 0;
}

/* pread of [off, off+len) from a fresh descriptor equals want. */
static int file_has(const char *path, uint64_t off, const uint8_t *want,
		    size_t len)
{
	uint8_t *buf = malloc(len);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 && buf ? pread(fd, buf, len, (off_t)off) : -1;
	int same = n == (ssize_t)len && memcmp(buf, want, len) == 0;

	if (fd >= 0)
		close(fd);
	free(buf);
	ASSERT_EQ(n, (ssize_t)len);
	ASSERT(same);
	return 0;
}

/* ---- CLOCK ------------------------------------------------------------- */

/* 4 frames, pages 1 2 3 4 1 2 5 1. CLOCK sets a frame's reference bit when
 * it loads a page and on every hit. 1-4 fill frames 0-3 (4 misses, the
 * hand back at frame 0); 1 and 2 hit; 5 finds every bit set, clears them
 * all in one turn and takes frame 0 (evicts 1); 1 misses and takes frame 1
 * (evicts 2), whose bit the turn cleared: 2 hits, 6 misses, 2 evictions
 * (LRU would have evicted 3 for 5 and hit 1: 3 hits). The pool then holds
 * 5 1 3 4 with the bits of 5 and 1 set: 3 and 4 hit, and 2 misses and
 * takes frame 2 (evicts 3) after one more turn. A second thread state
 * counts the tail: the metrics sum every thread's counters. */
TEST_IMPL(clock_exact_hits)
{
	static const uint64_t seq[] = {1, 2, 3, 4, 1, 2, 5, 1};
	static const uint64_t tail[] = {3, 4, 2};
	char path[512], *dir;
	struct mmb_backend_opts o = opts(4 * PG, false);
	void *st, *ts;
	int rc;

	ASSERT_OK(make_file(&dir, path, sizeof(path), 16 * PG));
	rc = open_bp(path, 16 * PG, &o, &st);
	if (rc) {
		th_tmpdir_free(dir);
		return rc;
	}
	ASSERT_EQ(metric(st, "pool_frames"), 4);
	ASSERT_OK(bp()->thread_open(st, 0, &ts));
	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++)
		ASSERT_OK(read_page(ts, seq[i]));
	bp()->thread_close(ts);
	ASSERT_EQ(metric(st, "pool_hits"), 2);
	ASSERT_EQ(metric(st, "pool_misses"), 6);
	ASSERT_EQ(metric(st, "pool_evictions"), 2);
	ASSERT_NEAR(metric(st, "pool_hit_ratio"), 0.25, 1e-12);
	ASSERT_EQ(metric(st, "pool_writebacks"), 0);

	ASSERT_OK(bp()->thread_open(st, 1, &ts));
	for (size_t i = 0; i < sizeof(tail) / sizeof(tail[0]); i++)
		ASSERT_OK(read_page(ts, tail[i]));
	bp()->thread_close(ts);
	ASSERT_EQ(metric(st, "pool_hits"), 4);
	ASSERT_EQ(metric(st, "pool_misses"), 7);
	ASSERT_EQ(metric(st, "pool_evictions"), 3);
	/* 2 is in the pool now: a hit through the open state itself */
	ASSERT_OK(read_page(st, 2));
	ASSERT_EQ(metric(st, "pool_hits"), 5);
	bp()->close(st);
	th_tmpdir_free(dir);
	return 0;
}

/* ---- write-back --------------------------------------------------------- */

/* 4 frames: whole-page writes to pages 0-3 stay in the pool (the file
 * still has the old bytes, 4 frames dirty); a 100-byte write into page 5
 * reads it first (a miss) and evicts page 0; reading pages 8-11 evicts the
 * rest. Before any sync, a fresh pread sees every written byte, and
 * pool_writebacks counts the 5 dirty frames. */
TEST_IMPL(eviction_writes_back)
{
	const uint64_t size = 16 * PG;
	char path[512], *dir;
	struct mmb_backend_opts o = opts(4 * PG, true);
	uint8_t page[PG], small[100], *image = malloc(size);
	void *st;
	int rc;

	ASSERT(image != NULL);
	ASSERT_OK(make_file(&dir, path, sizeof(path), size));
	for (uint64_t i = 0; i < size; i++)
		image[i] = orig(i);
	rc = open_bp(path, size, &o, &st);
	if (rc) {
		th_tmpdir_free(dir);
		free(image);
		return rc;
	}
	for (uint64_t p = 0; p < 4; p++) {
		memset(page, (int)(0xa0 + p), PG);
		ASSERT_EQ(bp()->write(st, page, PG, p * PG), PG);
		memcpy(image + p * PG, page, PG);
	}
	/* whole frames: installed without a read, nothing written yet */
	ASSERT_EQ(metric(st, "pool_misses"), 4);
	ASSERT_EQ(metric(st, "pool_writebacks"), 0);
	ASSERT_EQ(metric(st, "pool_dirty_end"), 4);
	for (unsigned i = 0; i < PG; i++)
		page[i] = orig(i);
	ASSERT_OK(file_has(path, 0, page, PG));

	memset(small, 0x5a, sizeof(small));
	ASSERT_EQ(bp()->write(st, small, sizeof(small), 5 * PG + 1000),
		  sizeof(small));
	memcpy(image + 5 * PG + 1000, small, sizeof(small));
	ASSERT_EQ(metric(st, "pool_writebacks"), 1); /* page 0, evicted */
	for (uint64_t p = 8; p < 12; p++)
		ASSERT_OK(read_page(st, p));
	ASSERT_EQ(metric(st, "pool_evictions"), 5);
	ASSERT_EQ(metric(st, "pool_writebacks"), 5);
	ASSERT_EQ(metric(st, "pool_dirty_end"), 0);
	ASSERT_OK(file_has(path, 0, image, size));
	ASSERT_OK(bp()->sync(st));
	bp()->close(st);
	ASSERT_OK(file_has(path, 0, image, size));
	ASSERT_EQ(th_size(path), (long)size);
	free(image);
	th_tmpdir_free(dir);
	return 0;
}

/* A file of 5 pages and 1000 bytes, 2 frames: writes into the short last
 * frame and across a page boundary reach the file through eviction and
 * through the end-of-run sync, and the file keeps its size (an O_DIRECT
 * write of the whole last frame would extend it). Reads stop at the end. */
TEST_IMPL(short_last_frame)
{
	const uint64_t size = 5 * PG + 1000;
	char path[512], *dir;
	struct mmb_backend_opts o = opts(2 * PG, true);
	uint8_t buf[3000], *image = malloc(size);
	void *st;
	int rc;

	ASSERT(image != NULL);
	ASSERT_OK(make_file(&dir, path, sizeof(path), size));
	for (uint64_t i = 0; i < size; i++)
		image[i] = orig(i);
	o.sync = MMB_WSYNC_FSYNC;
	rc = open_bp(path, size, &o, &st);
	if (rc) {
		th_tmpdir_free(dir);
		free(image);
		return rc;
	}
	memset(buf, 0x33, 50);
	ASSERT_EQ(bp()->write(st, buf, 50, 5 * PG + 900), 50);
	memcpy(image + 5 * PG + 900, buf, 50);
	/* past the end: cut there, the file does not grow */
	memset(buf, 0x44, 200);
	ASSERT_EQ(bp()->write(st, buf, 200, size - 100), 100);
	memcpy(image + size - 100, buf, 100);
	memset(buf, 0x77, sizeof(buf));
	ASSERT_EQ(bp()->write(st, buf, sizeof(buf), 3 * PG + 2000),
		  sizeof(buf));
	memcpy(image + 3 * PG + 2000, buf, sizeof(buf));
	ASSERT_OK(read_page(st, 0)); /* evicts the last frame */
	ASSERT_OK(read_page(st, 1));
	ASSERT(metric(st, "pool_writebacks") >= 2);
	ASSERT_OK(file_has(path, 0, image, size));
	ASSERT_EQ(th_size(path), (long)size);

	ASSERT_EQ(bp()->read(st, buf, sizeof(buf), 5 * PG), 1000);
	ASSERT(memcmp(buf, image + 5 * PG, 1000) == 0);
	ASSERT_EQ(bp()->read(st, buf, 10, size), 0);
	memset(buf, 0x11, 10);
	ASSERT_EQ(bp()->write(st, buf, 10, 5 * PG), 10);
	memcpy(image + 5 * PG, buf, 10);
	ASSERT_OK(bp()->sync(st));
	bp()->close(st);
	ASSERT_OK(file_has(path, 0, image, size));
	ASSERT_EQ(th_size(path), (long)size);
	free(image);
	th_tmpdir_free(dir);
	return 0;
}

/* ---- two threads -------------------------------------------------------- */

#define TT_PAGES 64
#define TT_OPS	 20000

/* Page p at version v: its first word says (p, v), the rest follows. */
static void fill(uint8_t *b, uint64_t p, uint32_t v)
{
	uint64_t head = p << 32 | v;

	memcpy(b, &head, 8);
	for (unsigned i = 8; i < PG; i++)
		b[i] = (uint8_t)(p * 7 + v * 13 + i);
}

struct tt {
	void *ts;
	unsigned idx;
	uint32_t ver[TT_PAGES]; /* the pages this thread owns: last written */
	long bad, errors, reads, writes;
};

static void *tt_main(void *arg)
{
	struct tt *t = arg;
	uint8_t *buf = aligned_alloc(PG, PG), *want = malloc(PG);
	uint64_t s = 0x9e3779b97f4a7c15ull * (t->idx + 1);

	if (!buf || !want) {
		t->errors++;
		goto out;
	}
	for (int i = 0; i < TT_OPS; i++) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		uint64_t p = (s >> 8) % TT_PAGES;
		/* A thread writes only the pages it owns (p % 2 == idx),
		 * so each page's versions only grow. */
		if ((s & 3) == 0 && p % 2 == t->idx) {
			fill(buf, p, ++t->ver[p]);
			t->errors +=
			    bp()->write(t->ts, buf, PG, p * PG) != (int64_t)PG;
			t->writes++;
			continue;
		}
		if (bp()->read(t->ts, buf, PG, p * PG) != (int64_t)PG) {
			t->errors++;
			continue;
		}
		t->reads++;
		/* A whole page of one version: never torn, never
		 * another page's; for its own pages, the last version. */
		uint64_t head;
		memcpy(&head, buf, 8);
		fill(want, p, (uint32_t)head);
		t->bad += head >> 32 != p || memcmp(buf, want, PG) != 0 ||
			  (p % 2 == t->idx && (uint32_t)head != t->ver[p]);
	}
out:
	free(buf);
	free(want);
	return NULL;
}

/* 8 frames for 64 pages: nearly every op evicts, many a dirty frame,
 * while the other thread reads and writes. ASan/TSan builds run it too. */
TEST_IMPL(two_threads_consistent)
{
	const uint64_t size = TT_PAGES * PG;
	char path[512], *dir;
	struct mmb_backend_opts o = opts(8 * PG, true);
	uint8_t *image = malloc(size);
	struct tt t[2] = {{.idx = 0}, {.idx = 1}};
	pthread_t th[2];
	void *st;
	int rc;

	ASSERT(image != NULL);
	for (uint64_t p = 0; p < TT_PAGES; p++)
		fill(image + p * PG, p, 0);
	dir = th_tmpdir("bufferpool");
	ASSERT(dir != NULL);
	snprintf(path, sizeof(path), "%s/data", dir);
	ASSERT_OK(th_write(path, image, size));
	o.threads = 2;
	rc = open_bp(path, size, &o, &st);
	if (rc) {
		th_tmpdir_free(dir);
		free(image);
		return rc;
	}
	for (int i = 0; i < 2; i++)
		ASSERT_OK(bp()->thread_open(st, (unsigned)i, &t[i].ts));
	for (int i = 0; i < 2; i++)
		ASSERT_OK(pthread_create(&th[i], NULL, tt_main, &t[i]));
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 2; i++)
		bp()->thread_close(t[i].ts);
	for (int i = 0; i < 2; i++) {
		fprintf(stderr,
			"thread %d: %ld reads, %ld writes, %ld bad, %ld "
			"errors\n",
			i, t[i].reads, t[i].writes, t[i].bad, t[i].errors);
		ASSERT_EQ(t[i].bad, 0);
		ASSERT_EQ(t[i].errors, 0);
	}
	fprintf(stderr,
		"hits %.0f, misses %.0f, evictions %.0f, "
		"writebacks %.0f\n",
		metric(st, "pool_hits"), metric(st, "pool_misses"),
		metric(st, "pool_evictions"), metric(st, "pool_writebacks"));
	/* one frame access per op, each a hit or a miss */
	ASSERT_EQ(metric(st, "pool_hits") + metric(st, "pool_misses"),
		  2 * TT_OPS);
	ASSERT(metric(st, "pool_writebacks") > 0);
	ASSERT_OK(bp()->sync(st));
	bp()->close(st);
	for (uint64_t p = 0; p < TT_PAGES; p++)
		fill(image + p * PG, p, t[p % 2].ver[p]);
	ASSERT_OK(file_has(path, 0, image, size));
	free(image);
	th_tmpdir_free(dir);
	return 0;
}

/* ---- mmbench run -------------------------------------------------------- */

static char *cdir;

static int run(const char *arg, ...)
{
	const char *argv[64];
	va_list ap;

	va_start(ap, arg);
	th_argv(argv, 64, MMBENCH_EXE, arg, &ap);
	va_end(ap);
	return th_run(argv, th_path(cdir, "out"), th_path(cdir, "err"), NULL,
		      120);
}

static int cli_setup(void)
{
	cdir = th_tmpdir("bufferpool-cli");
	if (!cdir)
		return -1;
	return setenv("MMBENCH_DATA_DIR", cdir, 1);
}

/* Exit 2 and one line naming --pool-size for values that are not a size
 * of at least 4 KiB; a pool smaller than one frame of --bs fails the
 * backend at open, saying so. */
TEST_IMPL(pool_size_bad_values)
{
	static const char *const bad[] = {
	    "0", "abc", "12Q",	 "-4K",
	    "",	 "1K",	"4096x", "99999999999999999999T"};

	ASSERT_OK(cli_setup());
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = run("run", "-b", "bufferpool", "--size", "1M",
			     "--pool-size", bad[i], NULL);
		fprintf(stderr, "--pool-size '%s': exit %d\n", bad[i], rc);
		ASSERT_EQ(rc, 2);
		ASSERT_EQ(th_count_lines(th_path(cdir, "err")), 1);
		ASSERT(th_contains(th_path(cdir, "err"), "--pool-size"));
		ASSERT_EQ(th_size(th_path(cdir, "out")), 0);
	}
	ASSERT_EQ(run("run", "-w", "seq-read", "-b", "bufferpool", "--bs",
		      "64K", "--size", "1M", "--pool-size", "4K", "--reps", "1",
		      "--no-warmup", NULL),
		  1);
	ASSERT(th_contains(th_path(cdir, "out"),
			   "--pool-size 4096 is smaller than one frame (65536 "
			   "bytes)"));
	th_tmpdir_free(cdir);
	return 0;
}

/* The same ops through pread and bufferpool read the same bytes (equal
 * checksums), and every op is one frame access: hits + misses = ops. A
 * pool of a quarter of the file under uniform random reads hits about a
 * quarter of the time. */
TEST_IMPL(run_matches_pread)
{
	struct mmb_results *r;
	char json[600], msg[512];

	ASSERT_OK(cli_setup());
	snprintf(json, sizeof(json), "%s", th_path(cdir, "r.json"));
	int rc = run("run", "-w", "random-4k", "-b", "pread,bufferpool",
		     "--size", "8M", "--ops", "20000", "--reps", "2",
		     "--pool-size", "2M", "--json", json, NULL);
	if (rc != 0) {
		char err[2048];
		th_slurp_into(th_path(cdir, "out"), err, sizeof(err));
		fprintf(stderr, "%s", err);
	}
	ASSERT_EQ(rc, 0);
	ASSERT(!th_contains(th_path(cdir, "out"), "checksums differ") ||
	       !"bufferpool read different bytes than pread");
	if (mmb_results_load(json, &r) < 0) {
		fprintf(stderr, "%s\n", mmb_results_errmsg(msg, sizeof(msg)));
		return 1;
	}
	const struct mmb_rbench *p = mmb_results_find(r, "random-4k/pread");
	const struct mmb_rbench *b =
	    mmb_results_find(r, "random-4k/bufferpool");
	ASSERT(p && b && p->nreps == 2 && b->nreps == 2);
	for (size_t i = 0; i < 2; i++) {
		const struct mmb_rentry *e = &r->e[b->reps[i]];
		const char *cp = mmb_rentry_str(&r->e[p->reps[i]], "checksum");
		const char *cb = mmb_rentry_str(e, "checksum");
		double hits = mmb_rentry_num(e, "pool_hits");
		double misses = mmb_rentry_num(e, "pool_misses");
		double ratio = mmb_rentry_num(e, "pool_hit_ratio");

		fprintf(stderr, "rep %zu: %s %s, hits %.0f misses %.0f\n", i,
			cp, cb, hits, misses);
		ASSERT(cp && cb && strcmp(cp, cb) == 0);
		ASSERT_EQ(hits + misses, 20000);
		ASSERT_NEAR(ratio, hits / 20000, 1e-9);
		ASSERT(ratio > 0.2 && ratio < 0.3);
		ASSERT_EQ(mmb_rentry_num(e, "pool_frames"), 512);
		ASSERT_EQ(mmb_rentry_num(e, "pool_evictions"), misses - 512);
	}
	mmb_results_free(r);
	th_tmpdir_free(cdir);
	return 0;
}

/* mmbench list names the backend, run --help documents --pool-size. */
TEST_IMPL(listed_and_documented)
{
	ASSERT_OK(cli_setup());
	ASSERT_EQ(run("list", NULL), 0);
	ASSERT(th_contains(th_path(cdir, "out"), "bufferpool"));
	ASSERT(th_contains(th_path(cdir, "out"), "CLOCK eviction"));
	ASSERT_EQ(run("run", "--help", NULL), 0);
	ASSERT(th_contains(th_path(cdir, "out"), "--pool-size SIZE"));
	ASSERT(th_contains(th_path(cdir, "out"), "default a quarter of the "
						 "file"));
	th_tmpdir_free(cdir);
	return 0;
}

/* ---- the memory cgroup -------------------------------------------------- */

static unsigned long long cg_usage(const struct mmb_cgroup *cg)
{
	char path[700], buf[64] = "";
	FILE *f;

	/* cgroupfs files have no size: read them, do not stat them */
	snprintf(path, sizeof(path), "%s/%s", cg->dir,
		 cg->version == 1 ? "memory.usage_in_bytes" : "memory.current");
	f = fopen(path, "re");
	if (f && !fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	if (f)
		fclose(f);
	return strtoull(buf, NULL, 10);
}

/* Opened inside a memory cgroup (as the runner opens it under
 * --memory-limit), the pool's frames are charged to it, and the pool
 * reports what else the cgroup held; a pool larger than the limit is
 * refused at open with the reason instead of being killed. */
TEST_IMPL(pool_charged_to_cgroup)
{
	const uint64_t size = 64u << 20;
	struct mmb_cgroup cg;
	char path[512], why[512] = "", *dir;
	struct mmb_backend_opts o = opts(32u << 20, false);
	void *st = NULL;
	int rc;

	if (geteuid() != 0)
		SKIP("not root: no memory cgroup");
	if (mmb_cgroup_create(&cg, 48u << 20) < 0) {
		mmb_errmsg(why, sizeof(why));
		SKIP("no memory cgroup: %s", why);
	}
	ASSERT_OK(make_file(&dir, path, sizeof(path), size));
	ASSERT_OK(mmb_cgroup_enter(&cg));
	unsigned long long before = cg_usage(&cg);
	rc = open_bp(path, size, &o, &st);
	unsigned long long with = cg_usage(&cg);
	double other = rc == 0 ? metric(st, "pool_cgroup_other") : NAN;
	if (rc == 0)
		bp()->close(st);
	/* the whole file does not fit in 48 MiB */
	o.pool_size = size;
	int big = bp()->open(path, size, &o, &st, why, sizeof(why));
	mmb_cgroup_leave(&cg);
	mmb_cgroup_remove(&cg);
	th_tmpdir_free(dir);
	fprintf(stderr,
		"cgroup usage %llu before the pool, %llu with it; other "
		"%.0f; 64 MiB pool: %s\n",
		before, with, other, why);
	if (rc == 77)
		return 77;
	ASSERT_EQ(rc, 0);
	ASSERT(with >= before + (32u << 20));
	ASSERT(!isnan(other) && other >= 0 && other < (16u << 20));
	ASSERT_EQ(big, MMB_EINVAL);
	ASSERT(strstr(why, "does not fit in the memory cgroup's limit of 48 "
			   "MiB") != NULL);
	return 0;
}

/* mmbench experiment cidr22, shrunk: every workload compares the three
 * backends by name with the pool's hit ratio and mmap's faults, says how
 * the pool was sized and who wins, and the merged results hold each
 * workload's bufferpool entry with its pool metrics. Needs root. */
TEST_IMPL(cidr22_three_backends)
{
	static const char *const wls[] = {"random-4k", "zipf", "seq-read"};
	struct mmb_results *r;
	char json[600], out[600], why[512];
	struct mmb_cgroup cg;

	if (geteuid() != 0)
		SKIP("not root: no memory cgroup");
	if (mmb_cgroup_create(&cg, 32u << 20) < 0) {
		mmb_errmsg(why, sizeof(why));
		SKIP("no memory cgroup: %s", why);
	}
	mmb_cgroup_remove(&cg);
	ASSERT_OK(cli_setup());
	snprintf(json, sizeof(json), "%s", th_path(cdir, "c.json"));
	snprintf(out, sizeof(out), "%s", th_path(cdir, "out"));
	int rc = run("experiment", "cidr22", "--memory-limit", "32M", "--size",
		     "64M", "--duration", "0.5", "--interval", "100",
		     "--advice", "random", "--json", json, NULL);
	ASSERT_EQ(rc, 0);
	ASSERT(th_contains(out, " MiB = the 32 MiB limit - "));
	for (size_t i = 0; i < 3; i++) {
		char line[96];
		snprintf(line, sizeof(line), "%s: pread-direct ", wls[i]);
		ASSERT(th_contains(out, line));
	}
	ASSERT(th_contains(out, "major faults ("));
	ASSERT(th_contains(out, "; bufferpool "));
	ASSERT(th_contains(out, "pool hit ratio"));
	ASSERT(th_contains(out, ". Winner: "));
	ASSERT(th_contains(out, "summary: random-4k: "));
	ASSERT_OK(mmb_results_load(json, &r));
	for (size_t i = 0; i < 3; i++) {
		char name[64];
		snprintf(name, sizeof(name), "%s/bufferpool", wls[i]);
		const struct mmb_rbench *b = mmb_results_find(r, name);
		ASSERT(b && b->nreps == 1);
		const struct mmb_rentry *e = &r->e[b->reps[0]];
		double h = mmb_rentry_num(e, "pool_hit_ratio");
		ASSERT(h >= 0 && h <= 1);
		/* the budget less the rest: 4 KiB frames, seq-read's of
		 * 64 KiB */
		double bytes =
		    mmb_rentry_num(e, "pool_frames") * (i < 2 ? 4096 : 65536);
		ASSERT(bytes >= (16u << 20) && bytes <= (30u << 20));
		snprintf(name, sizeof(name), "%s/mmap", wls[i]);
		ASSERT(mmb_results_find(r, name));
		snprintf(name, sizeof(name), "%s/pread-direct", wls[i]);
		ASSERT(mmb_results_find(r, name));
	}
	mmb_results_free(r);
	th_tmpdir_free(cdir);
	return 0;
}
