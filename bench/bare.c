/* bare.c - the "bare loop" benchmarks of issue 4: the least code that makes
 * the same calls as one repetition of `mmbench run --workload random-4k`,
 * so the harness's overhead can be measured against them
 * (bench/harness-overhead.sh):
 *   bare/pread/random-4k         open; per op pread(4 KiB); close
 *   bare/mmap-memcpy/random-4k   open, mmap(whole file, PROT_READ,
 *                                MAP_SHARED), close; per op memcpy(4 KiB)
 *                                out of the mapping; munmap
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

#define BS 4096

static const struct bench_env *env;

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

/* A repetition's start on both sides: the cache warmed, the fault count
 * taken, the offsets' generator seeded, the file opened. The fd, or -1
 * after mmb_bench_error. */
static int start(struct mmb_bench_state *st, int64_t *faults,
		 struct bench_rng *r)
{
	warm();
	*faults = bench_faults(NULL);
	bench_rng_seed(r, env->seed);
	int fd = open(env->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		mmb_bench_error(st, "open(%s): %s", env->path, strerror(errno));
	return fd;
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

static void bm_pread(struct mmb_bench_state *st, void *ud)
{
	(void)ud;
	void *buf;
	if (posix_memalign(&buf, BS, BS) != 0) {
		mmb_bench_error(st, "posix_memalign: out of memory");
		return;
	}
	memset(buf, 0, BS);
	int64_t faults;
	struct bench_rng r;
	int fd = start(st, &faults, &r);
	if (fd < 0) {
		free(buf);
		return;
	}
	const uint64_t blocks = env->size / BS;
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

static void bm_mmap_memcpy(struct mmb_bench_state *st, void *ud)
{
	(void)ud;
	static unsigned char buf[BS] __attribute__((aligned(BS)));
	int64_t faults;
	struct bench_rng r;
	int fd = start(st, &faults, &r);
	if (fd < 0)
		return;
	const unsigned char *p =
	    mmap(NULL, env->size, PROT_READ, MAP_SHARED, fd, 0);
	int e = errno;
	close(fd);
	if (p == MAP_FAILED) {
		mmb_bench_error(st, "mmap(len=%llu): %s",
				(unsigned long long)env->size, strerror(e));
		return;
	}
	const uint64_t blocks = env->size / BS;
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

void bench_register_bare(const struct bench_env *e)
{
	env = e;
	struct mmb_bench *b[2] = {
	    mmb_bench_register("bare/pread/random-4k", bm_pread, NULL),
	    mmb_bench_register("bare/mmap-memcpy/random-4k", bm_mmap_memcpy,
			       NULL),
	};
	for (int i = 0; i < 2; i++) {
		mmb_bench_use_real_time(b[i]);
		if (e->ops)
			mmb_bench_set_iterations(b[i], (int64_t)e->ops);
	}
}
