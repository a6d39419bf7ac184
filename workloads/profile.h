/* SPDX-License-Identifier: MIT */
/* workloads/profile.h - the --profile sampler of the timed region; not
 * public. What it produces is include/mmbench/profile.h.
 *
 * posix/profile.c samples (cpu-clock, call chains, per-CPU ring
 * buffers), posix/symbols.c names the frames, profile_map.c holds the one
 * table from function names to categories; win/profile.c refuses.
 * Use, per repetition, like the kernel event counters (kevents.h): open
 * before the worker threads exist, start/stop around the timed region,
 * read into the backend's profile, close; finish once the repetitions are
 * done.
 */
#ifndef MMB_WORKLOADS_PROFILE_H
#define MMB_WORKLOADS_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "mmbench/profile.h"

struct mmb__prof;

/* --profile is on (mmb_profile_enable) for the runs that follow. */
bool mmb__prof_on(void);

/* *out NULL when --profile is off. threads: how many threads run the
 * region (for the off-CPU time). Returns 0 or a negative MMB_E* with the
 * failing call recorded. */
int mmb__prof_open(struct mmb__prof **out, unsigned threads);
void mmb__prof_start(struct mmb__prof *p);
void mmb__prof_stop(struct mmb__prof *p);
/* Add the repetition's samples to *dst (allocated when NULL). p may be
 * NULL: nothing to add. Returns 0 or MMB_ENOMEM. */
int mmb__prof_read(struct mmb__prof *p, struct mmb_profile **dst);
void mmb__prof_close(struct mmb__prof *p);
/* Fractions, top functions and folded stacks from what was read; frees
 * the accumulator. */
void mmb__prof_finish(struct mmb_profile *p);

/* Append to r's verdict where each backend's time went: its largest
 * on-CPU categories (--profile) and, cold, what readahead brought in
 * (kernel events). Nothing when neither was measured. */
struct mmb_run_result;
void mmb__verdict_why(struct mmb_run_result *r);

/* ---- symbols (posix/symbols.c) ------------------------------------------ */
bool mmb__ksyms_available(void);
/* Name of the kernel function holding addr, NULL unknown. */
const char *mmb__ksym(uint64_t addr);
/* Re-read /proc/self/maps (after libraries may have been loaded). */
void mmb__usyms_refresh(void);
/* Name of the user function holding addr (or the file's base name when
 * it has no symbol there), NULL when in no file mapping; *in_exe: in the
 * mmbench executable. */
const char *mmb__usym(uint64_t addr, bool *in_exe);

/* ---- the table (profile_map.c) ------------------------------------------ */
/* Category of a sample from its frames, leaf first: names (NULL
 * unknown) and whether each is a kernel frame. The kernel frames are
 * walked up to the first user frame, which is the last looked at (user
 * call chains are unreliable without frame pointers). in_exe: the first
 * user frame is in mmbench itself. */
enum mmb_prof_category mmb__prof_categorize(const char *const *names,
					    const bool *kernel, unsigned n,
					    bool in_exe);

#endif
