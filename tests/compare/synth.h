/* SPDX-License-Identifier: MIT */
/* synth.h - synthetic results files for the gate's tests. */
#ifndef MMB_TEST_SYNTH_H
#define MMB_TEST_SYNTH_H

#include <stddef.h>

/* One benchmark of a synthetic file. */
struct synth_bench {
	const char *name;
	double mean_ns; /* centre of real_time */
	double noise;  /* relative half-width of the uniform noise, 0.02 = 2% */
	double faults; /* value of the "faults" counter (same in every rep) */
	int skipped;   /* write one skipped entry instead */
};

/* Write an mmbench-style results file with `reps` iteration entries per
 * benchmark plus median aggregates; noise from a xorshift seeded with
 * `seed`. Returns 0, or -1 with a message on stderr. */
int synth_write(const char *path, const struct synth_bench *b, size_t n,
		int reps, unsigned seed);

/* Write `text` verbatim to path. */
int synth_text(const char *path, const char *text);

#endif
