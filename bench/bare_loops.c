/* SPDX-License-Identifier: MIT */
/* bare_loops.c - the bare loops of issues 4 and 13: the least code that
 * makes the same calls as one repetition of `mmbench run --workload
 * random-4k`, so the harness's overhead can be measured against them
 * (bench/harness-overhead.sh, mmb_overhead):
 *   pread          open; per op pread(4 KiB); close
 *   pread-direct   the same with O_DIRECT (not warmed)
 *   io_uring       open, a 1-entry ring with the file registered; per op
 *                  one read SQE, submit_and_wait(1), reap; close
 *   mmap           open, mmap(whole file, PROT_READ, MAP_SHARED), close;
 *                  per op memcpy(4 KiB) out of the mapping; munmap
 *   mmap-populate  the same with MAP_POPULATE (prefaulted before the
 *                  timed loop)
 * One call is one repetition, shaped like one of mmbench's: a fresh open
 * (and mapping, whose page faults every repetition pays again), then the
 * timed ops, then close; open/mmap/munmap stay outside the timed loop as
 * they stay outside mmbench's. The timed loop is a counted for loop: no
 * clock, no call per op but the I/O's own. The offsets come from the same
 * generator and seed as mmbench's (bench_rng, restarted every
 * repetition), and the first 8-byte word of every op's buffer is added to
 * a checksum exactly as mmbench does, so a caller can check that both ran
 * the same ops. The buffer is page-aligned, as mmbench's (--buf-offset
 * 0). The 4 KiB memcpy is what a plain C loop gets from gcc for a copy of
 * a constant 4096 bytes. */
#include "bare_loops.h"

#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define BS 4096

int64_t bench_faults(int64_t *major)
{
	struct rusage ru;
	/* RUSAGE_THREAD: Google Benchmark runs a benchmark on the calling
	 * thread, and other threads' faults must not count. */
	if (getrusage(RUSAGE_THREAD, &ru) != 0)
		return -1;
	if (major)
		*major = ru.ru_majflt;
	return ru.ru_minflt + ru.ru_majflt;
}

int bench_warm(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	static char buf[1 << 20];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	int e = n < 0 ? -errno : 0;
	close(fd);
	return e;
}

static const char *const backend_names[BARE__COUNT] = {
    [BARE_PREAD] = "pread",
    [BARE_MMAP] = "mmap",
    [BARE_MMAP_POPULATE] = "mmap-populate",
    [BARE_IO_URING] = "io_uring",
    [BARE_PREAD_DIRECT] = "pread-direct",
};

const char *bare_backend(enum bare_kind k)
{
	return (unsigned)k < BARE__COUNT ? backend_names[k] : NULL;
}

int bare_kind_of(const char *backend)
{
	for (int k = 0; k < BARE__COUNT; k++)
		if (strcmp(backend_names[k], backend) == 0)
			return k;
	return -1;
}

/* The state of one repetition: the file, its size, the buffer, the
 * offsets and the two ends of the timed loop. */
struct rep {
	const char *path;
	uint64_t size, ops, blocks;
	struct bench_rng rng;
	unsigned char *buf;
	struct timespec w0, c0;
	int64_t f0;
	char *err;
	size_t errlen;
};

static int fail(struct rep *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

void bare_warm(const char *path, uint64_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	size_t pages = (size_t)((size + BS - 1) / BS), in = 0;
	unsigned char *vec = malloc(pages);
	void *p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (vec && p != MAP_FAILED && mincore(p, size, vec) == 0)
		for (size_t i = 0; i < pages; i++)
			in += vec[i] & 1;
	if (p != MAP_FAILED)
		munmap(p, size);
	free(vec);
	if (in < pages)
		bench_warm(path);
}

static void warm(const struct rep *r)
{
	bare_warm(r->path, r->size);
}

static double ts_ns(const struct timespec *t)
{
	return (double)t->tv_sec * 1e9 + (double)t->tv_nsec;
}

/* The timed loop starts now (after the offsets' generator is seeded). */
static void start(struct rep *r, uint64_t seed, bool faults_now)
{
	bench_rng_seed(&r->rng, seed);
	r->blocks = r->size / BS;
	if (faults_now)
		r->f0 = bench_faults(NULL);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &r->c0);
	clock_gettime(CLOCK_MONOTONIC, &r->w0);
}

/* The timed loop ended after n ops. */
static void stop(struct rep *r, uint64_t n, uint64_t sum, struct bare_rep *o)
{
	struct timespec w1, c1;
	clock_gettime(CLOCK_MONOTONIC, &w1);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
	o->ops = n;
	o->ns = ts_ns(&w1) - ts_ns(&r->w0);
	o->cpu_ns = ts_ns(&c1) - ts_ns(&r->c0);
	o->sum = sum;
	o->faults = bench_faults(NULL) - r->f0;
}

/* pread (flags 0) or pread with O_DIRECT: per op one pread(4 KiB). */
static int pread_loop(struct rep *r, int flags, uint64_t seed,
		      struct bare_rep *o)
{
	if (!(flags & O_DIRECT))
		warm(r);
	r->f0 = bench_faults(NULL);
	int fd = open(r->path, O_RDONLY | O_CLOEXEC | flags);
	if (fd < 0)
		return fail(r, "open(%s%s): %s", r->path,
			    flags & O_DIRECT ? ", O_DIRECT" : "",
			    strerror(errno));
	uint64_t sum = 0, i;
	int rc = 0;
	start(r, seed, false);
	for (i = 0; i < r->ops; i++) {
		uint64_t off = bench_rng_below(&r->rng, r->blocks) * BS, v;
		if (pread(fd, r->buf, BS, (off_t)off) != BS) {
			rc = fail(r, "pread(offset=%llu, len=%d): %s",
				  (unsigned long long)off, BS, strerror(errno));
			break;
		}
		memcpy(&v, r->buf, sizeof(v));
		sum += v;
	}
	stop(r, i, sum, o);
	close(fd);
	return rc;
}

/* io_uring at queue depth 1, as mmbench's io_uring backend: a ring of one
 * entry with the file registered; per op one read SQE on the fixed file,
 * io_uring_submit_and_wait(1), the CQE reaped. */
static int io_uring_loop(struct rep *r, uint64_t seed, struct bare_rep *o)
{
	struct io_uring ring;
	int rc;

	warm(r);
	r->f0 = bench_faults(NULL);
	int fd = open(r->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(r, "open(%s): %s", r->path, strerror(errno));
	if ((rc = io_uring_queue_init(1, &ring, 0)) < 0) {
		close(fd);
		return fail(r, "io_uring_queue_init: %s", strerror(-rc));
	}
	if ((rc = io_uring_register_files(&ring, &fd, 1)) < 0) {
		rc = fail(r, "io_uring_register_files: %s", strerror(-rc));
		goto out;
	}
	uint64_t sum = 0, i;
	start(r, seed, false);
	for (i = 0; i < r->ops; i++) {
		uint64_t off = bench_rng_below(&r->rng, r->blocks) * BS, v;
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		struct io_uring_cqe *cqe;
		io_uring_prep_read(sqe, 0, r->buf, BS, off);
		sqe->flags |= IOSQE_FIXED_FILE;
		rc = io_uring_submit_and_wait(&ring, 1);
		if (rc >= 0)
			rc = io_uring_wait_cqe(&ring, &cqe);
		if (rc >= 0) {
			rc = cqe->res;
			io_uring_cqe_seen(&ring, cqe);
		}
		if (rc != BS) {
			rc = fail(r, "io_uring read(offset=%llu): %s",
				  (unsigned long long)off,
				  rc < 0 ? strerror(-rc) : "short read");
			break;
		}
		memcpy(&v, r->buf, sizeof(v));
		sum += v;
	}
	stop(r, i, sum, o);
	rc = rc < 0 ? rc : 0;
out:
	io_uring_queue_exit(&ring);
	close(fd);
	return rc;
}

/* mmap (extra 0) or mmap + MAP_POPULATE (mapped and prefaulted before the
 * timed loop, as mmbench's mmap-populate does in its open): per op one
 * memcpy(4 KiB) out of the mapping. */
static int mmap_loop(struct rep *r, int extra, uint64_t seed,
		     struct bare_rep *o)
{
	warm(r);
	r->f0 = bench_faults(NULL);
	int fd = open(r->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(r, "open(%s): %s", r->path, strerror(errno));
	const unsigned char *p =
	    mmap(NULL, r->size, PROT_READ, MAP_SHARED | extra, fd, 0);
	int e = errno;
	close(fd);
	if (p == MAP_FAILED)
		return fail(r, "mmap(len=%llu): %s",
			    (unsigned long long)r->size, strerror(e));
	unsigned char *buf = r->buf;
	uint64_t sum = 0, i;
	/* the populate is not timed, nor are its faults counted */
	start(r, seed, extra != 0);
	for (i = 0; i < r->ops; i++) {
		uint64_t off = bench_rng_below(&r->rng, r->blocks) * BS, v;
		memcpy(buf, p + off, BS);
		/* all of buf may be read: the compiler must not trim the
		 * copy to the one word the checksum reads */
		__asm__ volatile("" : : "r"(buf) : "memory");
		memcpy(&v, buf, sizeof(v));
		sum += v;
	}
	stop(r, i, sum, o);
	munmap((void *)p, r->size);
	return 0;
}

int bare_rep(enum bare_kind k, const char *path, uint64_t size, uint64_t ops,
	     uint64_t seed, struct bare_rep *out, char *err, size_t errlen)
{
	struct rep r = {.path = path,
			.size = size,
			.ops = ops,
			.err = err,
			.errlen = errlen};
	int rc;

	memset(out, 0, sizeof(*out));
	if (size < BS)
		return fail(&r,
			    "%s: the file has %llu bytes, less than one "
			    "4 KiB op",
			    path, (unsigned long long)size);
	if (posix_memalign((void **)&r.buf, BS, BS) != 0)
		return fail(&r, "posix_memalign: out of memory");
	memset(r.buf, 0, BS);
	switch (k) {
	case BARE_PREAD:
		rc = pread_loop(&r, 0, seed, out);
		break;
	case BARE_PREAD_DIRECT:
		rc = pread_loop(&r, O_DIRECT, seed, out);
		break;
	case BARE_IO_URING:
		rc = io_uring_loop(&r, seed, out);
		break;
	case BARE_MMAP:
		rc = mmap_loop(&r, 0, seed, out);
		break;
	case BARE_MMAP_POPULATE:
		rc = mmap_loop(&r, MAP_POPULATE, seed, out);
		break;
	default:
		rc = fail(&r, "no bare loop %d", (int)k);
		break;
	}
	free(r.buf);
	return rc;
}
