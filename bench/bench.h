/* SPDX-License-Identifier: MIT */
/* bench.h - what the benchmark files share: the test file and helpers. */
#ifndef MMB_BENCH_BENCH_H
#define MMB_BENCH_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <mmb/map.h>

#include "bare_loops.h"

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
	/* --mmb_ops=N: the bare loops run exactly N ops per repetition, as
	 * `mmbench run --ops N` does (0: Google Benchmark's adaptive count).
	 * --mmb_seed=S: their offsets' seed, as `mmbench run --seed S`. */
	uint64_t ops;
	uint64_t seed;
};

/* Each file of benchmarks registers its benchmarks here. env outlives them. */
void bench_register_core(const struct bench_env *env);
void bench_register_bare(const struct bench_env *env);
void bench_register_backends(const struct bench_env *env);
void bench_register_access(const struct bench_env *env);

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

/* The offsets of mmbench's random workloads (workloads/internal.h:
 * splitmix64-seeded xoshiro256**, Lemire's multiply-shift to a block
 * index), copied rather than linked because bench/ does not depend on
 * workloads/. bench/harness-overhead.sh checks that the bare loops and
 * `mmbench run` report the same checksum, so a drift between the two
 * copies shows there. */
struct bench_rng {
	uint64_t s[4];
};

static inline void bench_rng_seed(struct bench_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++) {
		uint64_t z = (seed += 0x9e3779b97f4a7c15ull);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		r->s[i] = z ^ (z >> 31);
	}
}

static inline uint64_t bench_rng_below(struct bench_rng *r, uint64_t n)
{
	uint64_t *s = r->s, x = s[1] * 5;
	uint64_t out = ((x << 7) | (x >> 57)) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return (uint64_t)(((unsigned __int128)out * n) >> 64);
}

/* One op of the in-place benchmarks (the guard benchmarks of core.c,
 * access.c's inplace4k and copy4k) on the len bytes at off of the mapping m,
 * whose data starts at base: fn(arg) on them called directly or through
 * mmb_map_guard, or the bytes copied into buf with memcpy or with the
 * guarded mmb_map_read. Inline, so the loops pay no extra call. 0 or what
 * fn or mmb_map_guard / mmb_map_read returned. */
enum bench_map_op {
	BENCH_OP_DIRECT,
	BENCH_OP_GUARDED,
	BENCH_OP_MEMCPY,
	BENCH_OP_MAP_READ
};

static inline int bench_map_op(struct mmb_map *m, char *base,
			       enum bench_map_op mode, uint64_t off, size_t len,
			       mmb_guard_fn fn, void *arg, void *buf)
{
	switch (mode) {
	case BENCH_OP_DIRECT:
		return fn(base + off, len, arg);
	case BENCH_OP_GUARDED:
		return mmb_map_guard(m, off, len, fn, arg, NULL);
	case BENCH_OP_MEMCPY:
		memcpy(buf, base + off, len);
		return 0;
	case BENCH_OP_MAP_READ:
		return mmb_map_read(m, off, buf, len);
	}
	return 0;
}

#endif
