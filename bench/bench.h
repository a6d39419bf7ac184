/* bench.h - what the benchmark files share: the test file and helpers. */
#ifndef MMB_BENCH_BENCH_H
#define MMB_BENCH_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "gbench.h"

/* The file the benchmarks read: made by main.c in a private directory
 * (filled with non-zero bytes and fsynced, so that a cold-cache benchmark
 * can drop its pages with posix_fadvise(DONTNEED)), or given with
 * --mmb_file (then never written, and the cold benchmarks are not
 * registered because they would evict someone else's cache). */
struct bench_env {
	const char *path;
	uint64_t size;
	bool own_file;
};

/* Each file of benchmarks registers its benchmarks here. env outlives them. */
void bench_register_core(const struct bench_env *env);
void bench_register_bare(const struct bench_env *env);
void bench_register_backends(const struct bench_env *env);

/* Random 4 KiB-aligned offset of a block of bs bytes inside size. */
static inline uint64_t bench_next_offset(uint64_t *s, uint64_t size,
					 uint64_t bs)
{
	/* xorshift64: a few cycles, no libc call, so the bare loops measure
	 * the I/O and not the generator */
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (*s % (size / bs)) * bs;
}

/* Minor + major page faults of the calling thread so far. */
int64_t bench_faults(int64_t *major);

/* Read every byte of the file once so it is in the page cache. */
int bench_warm(const char *path);

#endif
