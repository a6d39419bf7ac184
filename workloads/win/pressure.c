/* SPDX-License-Identifier: MIT */
/* win/pressure.c - memory pressure and interrupts on Windows.
 *
 * Memory cgroups and the --interval sampler (mincore residency, TLB
 * shootdowns from /proc/interrupts) are Linux only: creating a cgroup or
 * starting the sampler fails with MMB_ENOTSUP and a message saying so,
 * which mmbench run turns into a one-line error before anything runs.
 * (Ctrl-C is the CLI's: cli/win/interrupt.c.) */
#include <string.h>

#include <windows.h>

#include "internal.h"
#include "mmbench/pressure.h"
#include "timeseries.h"

int mmb_cgroup_create(struct mmb_cgroup *cg, uint64_t limit)
{
	(void)limit;
	memset(cg, 0, sizeof(*cg));
	return mmb_seterr(MMB_ENOTSUP, 0,
			  "memory cgroups: not available on Windows");
}

int mmb_cgroup_enter(struct mmb_cgroup *cg)
{
	(void)cg;
	return mmb_seterr(MMB_ENOTSUP, 0,
			  "memory cgroups: not available on Windows");
}

int mmb_cgroup_leave(struct mmb_cgroup *cg)
{
	(void)cg;
	return mmb_seterr(MMB_ENOTSUP, 0,
			  "memory cgroups: not available on Windows");
}

uint64_t mmb_cgroup_peak(const struct mmb_cgroup *cg)
{
	(void)cg;
	return 0;
}

/* Nothing was ever created: removing is a no-op that succeeds, as on a
 * zeroed cgroup on Linux. */
int mmb_cgroup_remove(struct mmb_cgroup *cg)
{
	memset(cg, 0, sizeof(*cg));
	return 0;
}

int mmb__sampler_start(struct mmb__sampler *s, unsigned interval_ms, int fd,
		       uint64_t size, uint64_t (*ops)(void *ctx), void *ops_ctx)
{
	(void)interval_ms, (void)fd, (void)size, (void)ops, (void)ops_ctx;
	memset(s, 0, sizeof(*s));
	return mmb_seterr(MMB_ENOTSUP, 0,
			  "--interval: not available on Windows");
}

void mmb__sampler_stop(struct mmb__sampler *s, struct mmb_series *out)
{
	(void)s;
	memset(out, 0, sizeof(*out));
}

uint64_t mmb__tlb_shootdowns(void)
{
	return 0;
}
