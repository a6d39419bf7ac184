/* bare.c - the "bare loop" benchmarks of issue 4: the least code that does
 * what `mmbench run --workload random-4k` does, so the harness's overhead
 * can be measured against them (bench/harness-overhead.sh):
 *   bare/pread/random-4k          pread(4 KiB) at random aligned offsets
 *   bare/mmap-memcpy/random-4k    memcpy(4 KiB) out of one MAP_SHARED
 *                                 mapping of the whole file
 * Both warm the file first and report items = ops (items_per_second is
 * ops/s) and bytes. No per-op clock reads, no fault accounting. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"

#define BS 4096

static const struct bench_env *env;

static void bm_pread(struct mmb_bench_state *st, void *ud)
{
	(void)ud;
	int fd = open(env->path, O_RDONLY);
	if (fd < 0) {
		mmb_bench_error(st, "open(%s): %s", env->path, strerror(errno));
		return;
	}
	bench_warm(env->path);
	void *buf;
	if (posix_memalign(&buf, BS, BS) != 0) {
		close(fd);
		mmb_bench_error(st, "posix_memalign: out of memory");
		return;
	}
	uint64_t s = 0x2545f4914f6cdd1dull;
	while (mmb_bench_keep_running(st)) {
		uint64_t off = bench_next_offset(&s, env->size, BS);
		if (pread(fd, buf, BS, (off_t)off) != BS) {
			mmb_bench_error(st, "pread(offset=%llu, len=%d): %s",
					(unsigned long long)off, BS,
					strerror(errno));
			break;
		}
	}
	free(buf);
	close(fd);
	mmb_bench_set_items_processed(st, mmb_bench_iterations(st));
	mmb_bench_set_bytes_processed(st, mmb_bench_iterations(st) * BS);
}

static void bm_mmap_memcpy(struct mmb_bench_state *st, void *ud)
{
	(void)ud;
	int fd = open(env->path, O_RDONLY);
	if (fd < 0) {
		mmb_bench_error(st, "open(%s): %s", env->path, strerror(errno));
		return;
	}
	bench_warm(env->path);
	void *p = mmap(NULL, env->size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		mmb_bench_error(st, "mmap(len=%llu): %s",
				(unsigned long long)env->size, strerror(errno));
		return;
	}
	static unsigned char buf[BS] __attribute__((aligned(BS)));
	uint64_t s = 0x2545f4914f6cdd1dull;
	while (mmb_bench_keep_running(st)) {
		uint64_t off = bench_next_offset(&s, env->size, BS);
		memcpy(buf, (const unsigned char *)p + off, BS);
		/* keep the copy from being optimized away */
		__asm__ volatile("" : : "r"(buf) : "memory");
	}
	munmap(p, env->size);
	mmb_bench_set_items_processed(st, mmb_bench_iterations(st));
	mmb_bench_set_bytes_processed(st, mmb_bench_iterations(st) * BS);
}

void bench_register_bare(const struct bench_env *e)
{
	env = e;
	mmb_bench_use_real_time(
	    mmb_bench_register("bare/pread/random-4k", bm_pread, NULL));
	mmb_bench_use_real_time(mmb_bench_register("bare/mmap-memcpy/random-4k",
						   bm_mmap_memcpy, NULL));
}
