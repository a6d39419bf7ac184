/* SPDX-License-Identifier: MIT */
/* clock.c - calibration of the timed loop's tick counter (clock.h). */
#include "clock.h"

#include <time.h>

/* A (tick, ns) pair read as close together as possible: the ns reading is
 * bracketed by two ticks and paired with their midpoint; of a few tries
 * the tightest bracket wins (an interrupt may fall between the reads). */
static void pair(const struct mmb__clock *c, uint64_t *tick, uint64_t *ns)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < 5; i++) {
		uint64_t a = mmb__clock_ticks(c);
		uint64_t n = mmb__now_ns();
		uint64_t b = mmb__clock_ticks(c);
		if (b - a < best) {
			best = b - a;
			*tick = a + (b - a) / 2;
			*ns = n;
		}
	}
}

void mmb__clock_init(struct mmb__clock *c)
{
	c->tsc = mmb__tsc_invariant();
	c->mult = 1ull << 32;
	if (c->tsc)
		pair(c, &c->tick0, &c->ns0);
	else
		c->tick0 = c->ns0 = mmb__now_ns();
}

void mmb__clock_calibrate(struct mmb__clock *c)
{
	uint64_t t, n;

	if (!c->tsc)
		return;
	/* With ~20 ns of uncertainty per pair, a millisecond keeps the
	 * factor within 5e-5; later repetitions measure longer intervals. */
	do
		pair(c, &t, &n);
	while (n - c->ns0 < 1000000 || t <= c->tick0);
	c->mult = (uint64_t)((double)(n - c->ns0) / (double)(t - c->tick0) *
			     4294967296.0);
}

const char *mmb__clock_source(const struct mmb__clock *c)
{
	return c->tsc ? "tsc" : "clock_gettime";
}

uint64_t mmb__clock_ticks_of(const struct mmb__clock *c, uint64_t ns)
{
	return (uint64_t)(((unsigned __int128)ns << 32) / c->mult);
}

uint64_t mmb__thread_cpu_ns(void)
{
#ifdef CLOCK_THREAD_CPUTIME_ID
	struct timespec ts;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
		return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
#endif
	return 0;
}
