/* SPDX-License-Identifier: MIT */
/* runopts.h - the mmb_run_opts the runner's test suites start from
 * (tests/workloads, tests/kevents): one warm repetition, no advice, one
 * thread. Header only: include it where mmbench/workload.h is linked. */
#ifndef MMB_TESTS_RUNOPTS_H
#define MMB_TESTS_RUNOPTS_H

#include <stdint.h>

#include "mmbench/kevents.h"
#include "mmbench/workload.h"

/* workload over the file at path (size bytes), ops ops (0: the
 * workload's own), the n backends b, seeded with seed. */
static inline struct mmb_run_opts
th_run_opts(const char *workload, const char *path, uint64_t size, uint64_t ops,
	    uint64_t seed, const struct mmb_backend **b, unsigned n)
{
	struct mmb_run_opts o = {
	    .workload = mmb_workload_find(workload),
	    .wl = {.file_size = size, .ops = ops, .seed = seed, .threads = 1},
	    .path = path,
	    .backends = b,
	    .nbackends = n,
	    .bopts = {.advice = -1},
	    .cache = MMB_CACHE_WARM,
	    .reps = 1,
	};
	return o;
}

/* mmb_workload_resolve on o, then mmb_run: 0 or the first error. */
static inline int th_run_resolved(struct mmb_run_opts *o,
				  struct mmb_run_result **r)
{
	int rc = mmb_workload_resolve(o->workload, &o->wl);

	return rc < 0 ? rc : mmb_run(o, r);
}

/* th_run_resolved with the kernel events counted in mode m
 * (mmbench/kevents.h), the default (separate) set again after. */
static inline int th_run_resolved_in(struct mmb_run_opts *o,
				     struct mmb_run_result **r,
				     enum mmb_kevents_mode m)
{
	mmb_kevents_set_mode(m);
	int rc = th_run_resolved(o, r);
	mmb_kevents_set_mode(MMB_KEV_MODE_SEPARATE);
	return rc;
}

#endif
