/* SPDX-License-Identifier: MIT */
/* mmbench/pressure.h - running a benchmark under memory pressure: a memory
 * cgroup that limits the page cache the run may use, a sampler that
 * records throughput, faults, residency and TLB shootdowns over time.
 *
 * Linux only (cgroups, /proc). The cgroup and the sampler are driven by
 * the runner (mmb_run) through mmb_run_opts.pressure; the CLI creates the
 * cgroup up front so that a machine without one fails before anything runs,
 * and registers it with its Ctrl-C handler (cli/posix/interrupt.c), which
 * removes it on a second signal.
 */
#ifndef MMB_PRESSURE_H
#define MMB_PRESSURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- memory cgroup ------------------------------------------------------ */

struct mmb_cgroup {
	int version;	      /* 1 or 2; 0 = not created */
	uint64_t limit;	      /* bytes */
	char dir[512];	      /* the cgroup we created */
	char home_procs[512]; /* cgroup.procs of where the process was */
	bool entered;
};

/* Create a new memory cgroup limited to `limit` bytes (page cache
 * included), as a child of the process's current memory cgroup: cgroup v2
 * when the unified hierarchy has the memory controller, else v1
 * (/sys/fs/cgroup/memory), named after the process id (one at a time per
 * process). First removes the mmbench-PID cgroups beside it whose process
 * is gone and that are empty (left by a run killed with SIGKILL). Returns
 * 0, MMB_ESKIP (no
 * memory controller) or MMB_EPERM/MMB_EACCES (not root) and others, with
 * a one-line reason recorded (mmb_errmsg). Not thread-safe. */
int mmb_cgroup_create(struct mmb_cgroup *cg, uint64_t limit);
/* Move the whole process (all its threads) into cg / back to where it
 * was. Page cache faulted in while inside is charged to cg and stays
 * charged after leaving. Returns 0 or MMB_E* with the call recorded. */
int mmb_cgroup_enter(struct mmb_cgroup *cg);
int mmb_cgroup_leave(struct mmb_cgroup *cg);
/* Peak memory charged to cg, bytes: memory.max_usage_in_bytes (v1) or
 * memory.peak (v2, when present); 0 when unreadable. */
uint64_t mmb_cgroup_peak(const struct mmb_cgroup *cg);
/* Leave if inside, then remove the directory (retrying while the kernel
 * still holds it busy for a moment). Safe on a zeroed or already removed
 * cg. Returns 0 or MMB_E* with the call recorded. */
int mmb_cgroup_remove(struct mmb_cgroup *cg);

/* ---- what a run under pressure does ------------------------------------- */

struct mmb_pressure {
	struct mmb_cgroup *cgroup; /* NULL: no memory limit */
	unsigned interval_ms;	   /* 0: no time series */
};

#ifdef __cplusplus
}
#endif
#endif
