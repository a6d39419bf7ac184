/* SPDX-License-Identifier: MIT */
/* timeseries.h - the sampler thread behind --interval (timeseries.c) and
 * the runner's hooks for memory pressure; private to workloads/. */
#ifndef MMB_WORKLOADS_TIMESERIES_H
#define MMB_WORKLOADS_TIMESERIES_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "mmbench/result.h"

struct mmb__sampler {
	pthread_t tid;
	bool running;
	unsigned interval_ms;
	/* Ops finished so far, all workers: reads counters the workers
	 * publish, without locks (see the runner's ops_done_racy). */
	uint64_t (*ops)(void *ctx);
	void *ops_ctx;
	void *map; /* the file, mapped and never touched: mincore */
	size_t maplen;
	unsigned char *vec;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	uint64_t t0_ns;
	struct mmb_series out;
	unsigned cap;
	/* the previous sample's raw counters */
	uint64_t last_ns, last_ops, last_minor, last_major, last_tlb;
};

/* Start sampling every interval_ms: the file is fd's first size bytes,
 * ops(ops_ctx) the ops finished so far (called from the sampler thread
 * while the workers run; must stay valid until stop). Returns 0 or MMB_E*
 * with the call recorded. */
int mmb__sampler_start(struct mmb__sampler *s, unsigned interval_ms, int fd,
		       uint64_t size, uint64_t (*ops)(void *ctx),
		       void *ops_ctx);
/* Stop, take a last sample of the interval under way (when >= 10 ms),
 * and hand the series to *out (caller frees out->s). */
void mmb__sampler_stop(struct mmb__sampler *s, struct mmb_series *out);

/* Sum of the "TLB" line of /proc/interrupts over all CPUs; 0 when the
 * line is missing (not x86) or unreadable. */
uint64_t mmb__tlb_shootdowns(void);

#endif
