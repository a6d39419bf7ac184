/* SPDX-License-Identifier: MIT */
/* workloads/internal.h - helpers of the workloads library; not public. */
#ifndef MMB_WORKLOADS_INTERNAL_H
#define MMB_WORKLOADS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "mmb/error.h"
#include "mmbench/workload.h"
#include "os.h"

/* ---- registered workloads, one per file --------------------------------- */
extern const struct mmb_workload mmb_workload_random;
extern const struct mmb_workload mmb_workload_random_4k;
extern const struct mmb_workload mmb_workload_random_64k;
extern const struct mmb_workload mmb_workload_random_write_4k;
extern const struct mmb_workload mmb_workload_seq_read;
extern const struct mmb_workload mmb_workload_seq_write;
extern const struct mmb_workload mmb_workload_rw_mix;
extern const struct mmb_workload mmb_workload_zipf;
extern const struct mmb_workload mmb_workload_strided;
extern const struct mmb_workload mmb_workload_scan_once;
extern const struct mmb_workload mmb_workload_trace;

/* Set the bits of the pages (of page_size) that ops[0..n) touch in a bitmap
 * of `pages` bits; returns how many bits were newly set. */
uint64_t mmb__pages_mark(uint64_t *bits, uint64_t pages,
			 const struct mmb_op *ops, uint64_t n,
			 uint64_t page_size);

/* Set br->noisy and noisy_why from its aggregated repetitions (runner.c:
 * ops/s spread, whole-disk against own I/O). */
void mmb__check_noise(struct mmb_backend_result *br);
/* The latency sampling's N for a timed op about every MMB_LAT_SPACING_NS
 * of a thread's loop, at the speed of the repetition w (its elapsed time
 * over its ops per thread); MMB_LAT_EVERY_NOWARMUP when w has no ops or
 * no time. */
uint64_t mmb__lat_every_for(const struct mmb_rep *w, unsigned threads);

/* ---- random numbers: xoshiro256**, seeded through splitmix64 ------------ */
struct mmb__rng {
	uint64_t s[4];
};

static inline uint64_t mmb__splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline void mmb__rng_seed(struct mmb__rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = mmb__splitmix64(&seed);
}

static inline uint64_t mmb__rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t mmb__rng_next(struct mmb__rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = mmb__rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = mmb__rotl(s[3], 45);
	return out;
}

/* Uniform in [0, n), n > 0 (Lemire's multiply-shift; the bias is below
 * 2^-40 for any file we can map). */
/* A generator's RNG (struct mmb_gen): seeded from o->seed at the first
 * op, else where the previous chunk left it; saved back after a chunk. */
static inline void mmb__gen_rng(const struct mmb_gen *g,
				const struct mmb_workload_opts *o,
				struct mmb__rng *r)
{
	if (g->next == 0)
		mmb__rng_seed(r, o->seed);
	else
		for (int i = 0; i < 4; i++)
			r->s[i] = g->s[i];
}

static inline void mmb__gen_rng_save(struct mmb_gen *g,
				     const struct mmb__rng *r)
{
	for (int i = 0; i < 4; i++)
		g->s[i] = r->s[i];
}

static inline uint64_t mmb__rng_below(struct mmb__rng *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)mmb__rng_next(r) * n) >> 64);
}

/* Uniform in [0, 1). */
static inline double mmb__rng_double(struct mmb__rng *r)
{
	return (double)(mmb__rng_next(r) >> 11) * 0x1.0p-53;
}

/* Blocks of o->block_size in the file: the op starts are 0, bs, 2 bs, ...
 * (bs * blocks <= file_size). */
static inline uint64_t mmb__blocks(const struct mmb_workload_opts *o)
{
	return o->file_size / o->block_size;
}

/* The op of o->block_size bytes at off (every generator's op). */
static inline struct mmb_op mmb__op(const struct mmb_workload_opts *o,
				    uint64_t off, bool is_write)
{
	return (struct mmb_op){
	    .off = off, .len = (uint32_t)o->block_size, .is_write = is_write};
}

/* ops first..first+n of the sequence of o->block_size ops at 0, stride,
 * 2 stride, ..., (steps - 1) stride, then from 0 again, into ops[0..n)
 * (sequential.c; strided.c too). */
void mmb__stride_ops(const struct mmb_workload_opts *o, struct mmb_op *ops,
		     uint64_t first, uint64_t n, uint64_t stride,
		     uint64_t steps, bool is_write);

static inline uint64_t mmb__now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- page cache (cache.c) ----------------------------------------------- */

/* Read the whole file once (skipped when mmb__resident says it is already
 * fully resident; always done where residency is unknown). */
int mmb__cache_warm(int fd, uint64_t size);

#endif
