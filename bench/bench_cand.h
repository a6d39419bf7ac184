/* SPDX-License-Identifier: MIT */
/* bench_cand.h - the candidate consumers of access/consume4k/paired
 * (bench/consume_cand.c). */
#ifndef MMB_BENCH_CAND_H
#define MMB_BENCH_CAND_H

#include <stdbool.h>
#include <stddef.h>

#include "consume.h"

struct bench_cand {
	const char *name;
	mmb_view_fn fn;	     /* consume.h's signature; NULL: consume.c's */
	int (*usable)(void); /* non-zero where this CPU runs it */
	bool floor;	     /* reads one word a line: a bound, no consumer */
	int level;	     /* fn NULL: mmb__consume_kernel(level - 1), or
			      * mmb__consume_best() for 0 */
};

/* k's function here, NULL where this CPU cannot run it. */
mmb_view_fn bench_cand_fn(const struct bench_cand *k);

extern const struct bench_cand bench_cands[];
extern const size_t bench_ncands;

/* 0 when k's sums and loaded counts equal mmb__consume_all's over
 * lengths 256..4096 of an unaligned buffer, -1 otherwise. */
int bench_cand_check(const struct bench_cand *k);

#endif
