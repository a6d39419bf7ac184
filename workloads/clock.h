/* SPDX-License-Identifier: MIT */
/* workloads/clock.h - the timed loop's clock; not public.
 *
 * The loop stamps the ops it samples for the latency histogram (one in
 * mmb__latsample.every, below) and nothing else per op. A stamp costs
 * this: clock_gettime(CLOCK_MONOTONIC) costs ~24 ns through
 * the vDSO on the reference VM (it reads the TSC with a fence, then scales
 * it), a bare RDTSC ~10 ns. On x86 with an invariant TSC (constant rate,
 * runs in every C-state: CPUID 0x80000007 EDX bit 8) the loop therefore
 * reads the TSC and scales each op's delta to ns with a factor measured
 * against CLOCK_MONOTONIC, from mmb__clock_init() (start of the run) to
 * mmb__clock_calibrate() (just before each repetition), so the interval
 * grows through the run. Elsewhere, or without an invariant TSC, a tick is
 * a CLOCK_MONOTONIC nanosecond and the factor is 1.
 *
 * A bare RDTSC is not ordered with the loads and stores around it, so a
 * sampled op is bracketed by fenced reads (mmb__clock_ticks_fenced): its
 * own time, not its overlap with its neighbours. The loop's elapsed time,
 * from which ops/s comes, is read from CLOCK_MONOTONIC itself and never
 * depends on the factor. */
#ifndef MMB_WORKLOADS_CLOCK_H
#define MMB_WORKLOADS_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "internal.h" /* mmb__now_ns */

/* The one architecture switch: a raw cycle counter and whether it can be
 * trusted as a clock. */
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <x86intrin.h>
static inline uint64_t mmb__tsc(void)
{
	return __rdtsc();
}
/* A TSC read that nothing crosses: every earlier load and store is done
 * (mfence, then lfence: the loads have executed) before it is read, and
 * no later instruction starts before it (lfence). Brackets a sampled op
 * so that the op's own time is read, not its overlap with its
 * neighbours; ~100 cycles a pair on the reference VM. */
static inline uint64_t mmb__tsc_fenced(void)
{
	_mm_mfence();
	_mm_lfence();
	uint64_t t = __rdtsc();
	_mm_lfence();
	return t;
}
static inline bool mmb__tsc_invariant(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid(0x80000000u, &a, &b, &c, &d) || a < 0x80000007u)
		return false;
	__get_cpuid(0x80000007u, &a, &b, &c, &d);
	return (d >> 8) & 1;
}
#else
static inline uint64_t mmb__tsc(void)
{
	return 0;
}
static inline uint64_t mmb__tsc_fenced(void)
{
	return 0;
}
static inline bool mmb__tsc_invariant(void)
{
	return false;
}
#endif

struct mmb__clock {
	bool tsc;	     /* ticks are TSC cycles, else CLOCK_MONOTONIC ns */
	uint64_t tick0, ns0; /* the reference pair of mmb__clock_init */
	uint64_t mult;	     /* ns per tick, 32.32 fixed point */
};

/* Choose the tick source and take the reference pair. */
void mmb__clock_init(struct mmb__clock *c);
/* Measure the factor from the reference pair to now (waiting, when less
 * than a millisecond has passed since mmb__clock_init, until one has).
 * Call outside the timed region; not thread-safe: before the workers
 * start, which then read the clock by value. */
void mmb__clock_calibrate(struct mmb__clock *c);
/* Name of the tick source, for messages: "tsc" or "clock_gettime". */
const char *mmb__clock_source(const struct mmb__clock *c);

/* The current tick. */
static inline uint64_t mmb__clock_ticks(const struct mmb__clock *c)
{
	return c->tsc ? mmb__tsc() : mmb__now_ns();
}

/* The current tick, fenced (mmb__tsc_fenced; CLOCK_MONOTONIC through the
 * vDSO is ordered already). */
static inline uint64_t mmb__clock_ticks_fenced(const struct mmb__clock *c)
{
	return c->tsc ? mmb__tsc_fenced() : mmb__now_ns();
}

/* Ticks to ns (a product of 128 bits: no overflow for any delta). */
static inline uint64_t mmb__clock_ns(const struct mmb__clock *c, uint64_t t)
{
	return (uint64_t)(((unsigned __int128)t * c->mult) >> 32);
}

/* CPU time of the calling thread in ns; 0 where it cannot be read. */
uint64_t mmb__thread_cpu_ns(void);

/* ns to ticks, rounded down (a duration limit for the loop). */
uint64_t mmb__clock_ticks_of(const struct mmb__clock *c, uint64_t ns);

/* ---- latency sampling ---------------------------------------------------
 *
 * The loop whose ops/s is reported reads no clock per op: it times one op
 * in every `every` (docs/results.md "latency_sampling"). The ops are cut
 * into strata of `every` consecutive ops and one op at a random place in
 * each stratum is timed, so a run of n ops times n / every ops (+1 at most
 * for the last, partial stratum) and no period of the workload (a
 * sequential scan's readahead window, a stride) lines up with the
 * samples. The random places come from their own generator, seeded from
 * the run's seed: the same ops are timed in every repetition and backend.
 * every == 0: no op is timed. */
struct mmb__latsample {
	uint64_t every; /* stratum length; 0: never */
	uint64_t until; /* ops left until the next timed one, this included */
	uint64_t pos;	/* place of the current stratum's timed op */
	uint64_t rng;	/* xorshift64 state, never 0 */
};

static inline uint64_t mmb__latsample_place(struct mmb__latsample *s)
{
	uint64_t x = s->rng;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	s->rng = x;
	return (uint64_t)(((unsigned __int128)x * s->every) >> 64);
}

static inline void mmb__latsample_init(struct mmb__latsample *s, uint64_t every,
				       uint64_t seed)
{
	s->every = every;
	s->rng = (seed ^ 0x9e3779b97f4a7c15ull) | 1;
	s->pos = every ? mmb__latsample_place(s) : 0;
	s->until = every ? s->pos + 1 : UINT64_MAX;
}

/* Called once per op, before it runs: true when this op is to be timed.
 * One decrement and a predictable branch per op. */
static inline bool mmb__latsample_due(struct mmb__latsample *s)
{
	if (--s->until != 0)
		return false;
	uint64_t next = mmb__latsample_place(s);
	s->until = s->every - s->pos + next;
	s->pos = next;
	return true;
}

#endif
