/* SPDX-License-Identifier: MIT */
/* bare.c - the "bare loops" of issues 4 and 13: the least code that makes
 * the same calls as one repetition of `mmbench run --workload random-4k`,
 * so the harness's overhead can be measured against them
 * (bench/harness-overhead.sh):
 *   bare/pread/random-4k          open; per op pread(4 KiB); close
 *   bare/pread-direct/random-4k   the same with O_DIRECT (not warmed)
 *   bare/io_uring/random-4k       open, a 1-entry ring with the file
 *                                 registered; per op one read SQE,
 *                                 submit_and_wait(1), reap; close
 *   bare/mmap-memcpy/random-4k    open, mmap(whole file, PROT_READ,
 *                                 MAP_SHARED), close; per op memcpy(4 KiB)
 *                                 out of the mapping; munmap
 *   bare/mmap-populate/random-4k  the same with MAP_POPULATE (prefaulted
 *                                 before the timed loop)
 * One call of a benchmark function is one repetition, shaped like one of
 * mmbench's: a fresh open (and mapping, whose page faults every repetition
 * pays again), then the timed ops, then close (the file is read first
 * when mincore says it is not all cached); Google Benchmark times only
 * the keep_running loop, so open/mmap/munmap stay outside as they stay
 * outside mmbench's timed region. The offsets come from the same generator
 * and seed as mmbench's (bench_rng, restarted every repetition), and the
 * first 8-byte word of every op's buffer is added to a checksum exactly as
 * mmbench does; the label carries it so the script can check that both ran
 * the same ops. With --mmb_ops=N each repetition is N ops (mmbench's
 * --ops); otherwise Google Benchmark picks the count. Counter "faults":
 * page faults of the repetition. No per-op clock reads, no histogram. */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define BS 4096

static const struct bench_env *env;

/* One loop: its benchmark name, its function and the flags that function
 * gets through its user data (open flags for pread_loop, extra mmap flags
 * for mmap_loop). */
struct bare_loop {
	const char *name;
	void (*fn)(struct mmb_bench_state *, void *);
	int flags;
};

/* As mmbench's warm cache: read the file only when mincore (on a fresh
 * mapping, never touched) says part of it is not in the page cache, so a
 * repetition starts with the same caches on both sides. */
static void warm(void)
{
	int fd = open(env->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	size_t pages = (size_t)((env->size + BS - 1) / BS), in = 0;
	unsigned char *vec = malloc(pages);
	void *p = mmap(NULL, env->size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (vec && p != MAP_FAILED && mincore(p, env->size, vec) == 0)
		for (size_t i = 0; i < pages; i++)
			in += vec[i] & 1;
	if (p != MAP_FAILED)
		munmap(p, env->size);
	free(vec);
	if (in < pages)
		bench_warm(env->path);
}

static void finish(struct mmb_bench_state *st, uint64_t sum, int64_t faults)
{
	int64_t n = mmb_bench_iterations(st);
	mmb_bench_set_items_processed(st, n);
	mmb_bench_set_bytes_processed(st, n * BS);
	mmb_bench_counter(st, "faults", (double)(bench_faults(NULL) - faults),
			  MMB_BENCH_COUNTER_DEFAULT);
	char label[40];
	snprintf(label, sizeof(label), "checksum 0x%016llx",
		 (unsigned long long)sum);
	mmb_bench_set_label(st, label);
}

/* The file opened for a fd loop (flags: 0 or O_DIRECT); -1 with the
 * benchmark's error set. */
static int open_file(struct mmb_bench_state *st, int flags)
{
	int fd = open(env->path, O_RDONLY | O_CLOEXEC | flags);
	if (fd < 0)
		mmb_bench_error(st, "open(%s%s): %s", env->path,
				flags & O_DIRECT ? ", O_DIRECT" : "",
				strerror(errno));
	return fd;
}

/* The start of a fd loop: *buf a zeroed page-aligned buffer, the file
 * warmed (unless O_DIRECT), *faults the fault count before the open, the
 * file opened (flags: 0 or O_DIRECT). The fd, or -1 with the benchmark's
 * error set and nothing left allocated. */
static int start_fd_loop(struct mmb_bench_state *st, int flags, void **buf,
			 int64_t *faults)
{
	if (posix_memalign(buf, BS, BS) != 0) {
		mmb_bench_error(st, "posix_memalign: out of memory");
		return -1;
	}
	memset(*buf, 0, BS);
	if (!(flags & O_DIRECT))
		warm();
	*faults = bench_faults(NULL);
	int fd = open_file(st, flags);
	if (fd < 0)
		free(*buf);
	return fd;
}

/* The offsets of a repetition: the generator restarted with mmbench's
 * seed; returns how many blocks the offsets are drawn from. */
static uint64_t start_offsets(struct bench_rng *r)
{
	bench_rng_seed(r, env->seed);
	return env->size / BS;
}

/* pread (flags 0) or pread with O_DIRECT: per op one pread(4 KiB) into a
 * page-aligned buffer. */
static void pread_loop(struct mmb_bench_state *st, void *ud)
{
	const int flags = ((const struct bare_loop *)ud)->flags;
	void *buf;
	int64_t faults;
	int fd = start_fd_loop(st, flags, &buf, &faults);
	if (fd < 0)
		return;
	struct bench_rng r;
	const uint64_t blocks = start_offsets(&r);
	uint64_t sum = 0;
	while (mmb_bench_keep_running(st)) {
		uint64_t off = bench_rng_below(&r, blocks) * BS, v;
		if (pread(fd, buf, BS, (off_t)off) != BS) {
			mmb_bench_error(st, "pread(offset=%llu, len=%d): %s",
					(unsigned long long)off, BS,
					strerror(errno));
			break;
		}
		memcpy(&v, buf, sizeof(v));
		sum += v;
	}
	close(fd);
	finish(st, sum, faults);
	free(buf);
}

/* io_uring at queue depth 1, as mmbench's io_uring backend: a ring of one
 * entry with the file registered; per op one read SQE on the fixed file,
 * io_uring_submit_and_wait(1), the CQE reaped. */
static void bm_io_uring(struct mmb_bench_state *st, void *ud)
{
	(void)ud;
	void *buf;
	struct io_uring ring;
	int64_t faults;
	int fd = start_fd_loop(st, 0, &buf, &faults), rc;
	if (fd < 0)
		return;
	if ((rc = io_uring_queue_init(1, &ring, 0)) < 0) {
		mmb_bench_error(st, "io_uring_queue_init: %s", strerror(-rc));
		close(fd);
		free(buf);
		return;
	}
	if ((rc = io_uring_register_files(&ring, &fd, 1)) < 0) {
		mmb_bench_error(st, "io_uring_register_files: %s",
				strerror(-rc));
		goto out;
	}
	struct bench_rng r;
	const uint64_t blocks = start_offsets(&r);
	uint64_t sum = 0;
	while (mmb_bench_keep_running(st)) {
		uint64_t off = bench_rng_below(&r, blocks) * BS, v;
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		struct io_uring_cqe *cqe;
		io_uring_prep_read(sqe, 0, buf, BS, off);
		sqe->flags |= IOSQE_FIXED_FILE;
		rc = io_uring_submit_and_wait(&ring, 1);
		if (rc >= 0)
			rc = io_uring_wait_cqe(&ring, &cqe);
		if (rc >= 0) {
			rc = cqe->res;
			io_uring_cqe_seen(&ring, cqe);
		}
		if (rc != BS) {
			mmb_bench_error(st, "io_uring read(offset=%llu): %s",
					(unsigned long long)off,
					rc < 0 ? strerror(-rc) : "short read");
			break;
		}
		memcpy(&v, buf, sizeof(v));
		sum += v;
	}
	finish(st, sum, faults);
out:
	io_uring_queue_exit(&ring);
	close(fd);
	free(buf);
}

/* mmap (extra 0) or mmap + MAP_POPULATE (mapped and prefaulted before the
 * timed loop, as mmbench's mmap-populate does in its open): per op one
 * memcpy(4 KiB) out of the mapping. */
static void mmap_loop(struct mmb_bench_state *st, void *ud)
{
	const int extra = ((const struct bare_loop *)ud)->flags;
	static unsigned char buf[BS] __attribute__((aligned(BS)));
	warm();
	int64_t faults = bench_faults(NULL);
	int fd = open_file(st, 0);
	if (fd < 0)
		return;
	const unsigned char *p =
	    mmap(NULL, env->size, PROT_READ, MAP_SHARED | extra, fd, 0);
	int e = errno;
	close(fd);
	if (p == MAP_FAILED) {
		mmb_bench_error(st, "mmap(len=%llu): %s",
				(unsigned long long)env->size, strerror(e));
		return;
	}
	if (extra)
		faults = bench_faults(NULL); /* the populate is not timed */
	struct bench_rng r;
	const uint64_t blocks = start_offsets(&r);
	uint64_t sum = 0;
	while (mmb_bench_keep_running(st)) {
		uint64_t off = bench_rng_below(&r, blocks) * BS, v;
		memcpy(buf, p + off, BS);
		/* all of buf may be read: the compiler must not trim the
		 * copy to the one word the checksum reads */
		__asm__ volatile("" : : "r"(buf) : "memory");
		memcpy(&v, buf, sizeof(v));
		sum += v;
	}
	munmap((void *)p, env->size);
	finish(st, sum, faults);
}

/* ---- the buffer's place (mmbench run --buf-offset) -------------------
 *   bare/pread/paired/bufoffset:64         blocks of 256 random 4 KiB
 *   bare/mmap-populate/paired/bufoffset:64 preads (or memcpys out of a
 *                                          populated mapping) into a
 *                                          page-aligned buffer, then 256
 *                                          into the same buffer + 64
 *                                          bytes (the order alternates),
 *                                          each block timed. Counters
 *                                          aligned_ns and offset_ns per op
 *                                          and change_pct, the median over
 *                                          block pairs of (offset /
 *                                          aligned - 1): the two share
 *                                          every disturbance of a loaded
 *                                          machine, which separate runs
 *                                          did not (issue 13's 4 KiB
 *                                          aliasing pair). */
#define BUFOFF_OPS   256
#define BUFOFF_PAIRS 65536

static double mono_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* One block: BUFOFF_OPS ops into dst; 0 or -1 (pread failed). */
static int bufoff_block(int fd, const unsigned char *map, unsigned char *dst,
			uint64_t *s, size_t op)
{
	for (int k = 0; k < BUFOFF_OPS; k++) {
		uint64_t off = bench_next_offset(s, env->size, BS);
		if (map)
			memcpy(dst, map + off, op);
		else if (pread(fd, dst, op, (off_t)off) != (ssize_t)op)
			return -1;
		__asm__ volatile("" : : "r"(dst) : "memory");
	}
	return 0;
}

static void bm_bufoff(struct mmb_bench_state *st, void *ud)
{
	const bool mapped = ud != NULL;
	const size_t shift = (size_t)mmb_bench_range(st, 0);
	size_t op = BS; /* at run time, as mmbench's: the library's memcpy */
	unsigned char *buf = NULL;
	double *ratio = malloc(BUFOFF_PAIRS * sizeof(double)), ta = 0, to = 0;
	uint64_t s = 88172645463325252ull, it = 0;
	size_t nr = 0;
	const unsigned char *map = NULL;
	int fd = -1;

	if (!ratio || posix_memalign((void **)&buf, BS, 2 * BS) != 0) {
		mmb_bench_error(st, "out of memory");
		goto out;
	}
	memset(buf, 0, 2 * BS);
	warm();
	if ((fd = open_file(st, 0)) < 0)
		goto out;
	if (mapped) {
		void *p = mmap(NULL, env->size, PROT_READ,
			       MAP_SHARED | MAP_POPULATE, fd, 0);
		if (p == MAP_FAILED) {
			mmb_bench_error(st, "mmap(len=%llu): %s",
					(unsigned long long)env->size,
					strerror(errno));
			goto out;
		}
		map = p;
	}
	__asm__ volatile("" : "+r"(op));
	while (mmb_bench_keep_running(st)) {
		double t[2];
		for (int half = 0; half < 2; half++) {
			int shifted = half ^ (int)(it & 1);
			double t0 = mono_ns();
			if (bufoff_block(fd, map, buf + (shifted ? shift : 0),
					 &s, op) < 0) {
				mmb_bench_error(st, "pread: %s",
						strerror(errno));
				goto out;
			}
			t[shifted] = mono_ns() - t0;
		}
		ta += t[0];
		to += t[1];
		if (nr < BUFOFF_PAIRS && t[0] > 0)
			ratio[nr++] = t[1] / t[0] - 1;
		it++;
	}
	qsort(ratio, nr, sizeof(*ratio), cmp_double);
	double n = (double)it * BUFOFF_OPS;
	mmb_bench_counter(st, "aligned_ns", n ? ta / n : 0, 0);
	mmb_bench_counter(st, "offset_ns", n ? to / n : 0, 0);
	mmb_bench_counter(st, "change_pct", nr ? 100 * ratio[nr / 2] : 0, 0);
	mmb_bench_set_items_processed(st, (int64_t)(2 * n));
out:
	if (map)
		munmap((void *)map, env->size);
	if (fd >= 0)
		close(fd);
	free(buf);
	free(ratio);
}

void bench_register_bare(const struct bench_env *e)
{
	static const char *const off_name[] = {"bufoffset"};
	/* The pread-direct file is not warmed: O_DIRECT reads the device
	 * whatever is cached. */
	static struct bare_loop loops[] = {
	    {"bare/pread/random-4k", pread_loop, 0},
	    {"bare/mmap-memcpy/random-4k", mmap_loop, 0},
	    {"bare/mmap-populate/random-4k", mmap_loop, MAP_POPULATE},
	    {"bare/io_uring/random-4k", bm_io_uring, 0},
	    {"bare/pread-direct/random-4k", pread_loop, O_DIRECT},
	};
	env = e;
	for (size_t i = 0; i < sizeof(loops) / sizeof(loops[0]); i++) {
		struct mmb_bench *b =
		    mmb_bench_register(loops[i].name, loops[i].fn, &loops[i]);
		mmb_bench_use_real_time(b);
		if (e->ops)
			mmb_bench_set_iterations(b, (int64_t)e->ops);
	}
	struct mmb_bench *b =
	    mmb_bench_register("bare/pread/paired", bm_bufoff, NULL);
	mmb_bench_arg_names(b, off_name, 1);
	mmb_bench_add_arg(b, 64);
	b = mmb_bench_register("bare/mmap-populate/paired", bm_bufoff,
			       (void *)1);
	mmb_bench_arg_names(b, off_name, 1);
	mmb_bench_add_arg(b, 64);
}
