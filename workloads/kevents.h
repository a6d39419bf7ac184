/* SPDX-License-Identifier: MIT */
/* workloads/kevents.h - kernel event counters of the timed region; not
 * public. The table of events is include/mmbench/kevents.h.
 *
 * posix/kevents.c implements it for Linux (tracepoints through
 * perf_event_open, hardware counters where a PMU exists), win/kevents.c
 * for Windows (every event unavailable). kevents.c (shared) aggregates
 * repetitions.
 *
 * Use, per repetition: open before the worker threads are created (they
 * inherit the counters), start just before the timed region, stop just
 * after it, read into the repetition, close. open never fails for an
 * event that cannot be counted: that event's value is NAN with a reason.
 * Not thread-safe: one set per run, driven by one thread.
 */
#ifndef MMB_WORKLOADS_KEVENTS_H
#define MMB_WORKLOADS_KEVENTS_H

#include "mmbench/kevents.h"
#include "mmbench/result.h"

struct mmb__kevents;

/* Open the counters, disabled, for the calling thread and the threads it
 * creates afterwards. *out is NULL when nothing is counted (then read
 * still fills reasons). Returns 0 or MMB_ENOMEM. */
int mmb__kevents_open(struct mmb__kevents **out);
void mmb__kevents_start(struct mmb__kevents *k);
void mmb__kevents_stop(struct mmb__kevents *k);
/* Values and reasons of the region between start and stop; k may be NULL
 * (nothing counted: every value NAN, why from the last open). */
void mmb__kevents_read(struct mmb__kevents *k, struct mmb_kevents *out);
void mmb__kevents_close(struct mmb__kevents *k);

/* Whether this platform can count them at all (false: Windows, where
 * every value is "not on Windows" and no evidence repetition is run). */
bool mmb__kevents_platform(void);
/* Find the tracepoints and register them for the life of the process
 * (once; nothing when the kernel events are off). mmb__kevents_open does
 * it too; the runner calls this first, outside any memory cgroup, so
 * the child that shares the registrations (posix/kevents.c, hand_over)
 * is in none of the run's cgroups. */
void mmb__kevents_prepare(void);

/* The tracepoint filter a SUM row puts before its field's, ending in
 * " && " ("" none): which of the tracepoint's events it sums (Linux;
 * tests/kevents checks it against real events). */
const char *mmb__kevents_sum_filter(enum mmb_kevent k);

/* Every value NAN with why (a repetition that counted nothing). */
void mmb__kevents_none(struct mmb_kevents *out, const char *why);

/* br's mean, median, stddev, min and max kernel_events from its reps
 * (a NAN repetition is left out; NAN in all of them: NAN, with the first
 * repetition's reason), or, when it has one (br->has_evidence), from its
 * evidence repetition alone: mean, median, min and max its values,
 * stddev NAN ("one repetition"). Called by mmb_backend_result_aggregate. */
void mmb__kevents_aggregate(struct mmb_backend_result *br);

#endif
