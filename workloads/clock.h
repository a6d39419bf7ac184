/* workloads/clock.h - the timed loop's clock; not public.
 *
 * The loop stamps every op for the latency histogram, so the stamp is on
 * the critical path: clock_gettime(CLOCK_MONOTONIC) costs ~24 ns through
 * the vDSO on the reference VM (it reads the TSC with a fence, then scales
 * it), a bare RDTSC ~10 ns. On x86 with an invariant TSC (constant rate,
 * runs in every C-state: CPUID 0x80000007 EDX bit 8) the loop therefore
 * reads the TSC and scales each op's delta to ns with a factor measured
 * against CLOCK_MONOTONIC, from mmb__clock_init() (start of the run) to
 * mmb__clock_calibrate() (just before each repetition), so the interval
 * grows through the run. Elsewhere, or without an invariant TSC, a tick is
 * a CLOCK_MONOTONIC nanosecond and the factor is 1.
 *
 * RDTSC is not ordered with the loads before it, so an op's end may be
 * stamped a few ns early; the next op's start is the same stamp, so the
 * deltas still add up to the loop's time, and the error, a few ns, is
 * about a histogram bucket's width (0.8%) at the fastest ops and below it
 * at every slower one. The loop's elapsed time, from which ops/s
 * comes, is read from CLOCK_MONOTONIC itself and never depends on the
 * factor. */
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

/* Ticks to ns (a product of 128 bits: no overflow for any delta). */
static inline uint64_t mmb__clock_ns(const struct mmb__clock *c, uint64_t t)
{
	return (uint64_t)(((unsigned __int128)t * c->mult) >> 32);
}

/* ns to ticks, rounded down (a duration limit for the loop). */
uint64_t mmb__clock_ticks_of(const struct mmb__clock *c, uint64_t ns);

#endif
