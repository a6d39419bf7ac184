/* SPDX-License-Identifier: MIT */
/* workloads/posix/perfbuf.h - what the perf_event users of workloads/posix
 * (kevents.c, profile.c) share: the open call, one ring buffer a CPU
 * sized to a common budget, and the reading of a buffer's records. */
#ifndef MMB_WORKLOADS_POSIX_PERFBUF_H
#define MMB_WORKLOADS_POSIX_PERFBUF_H

#include <stddef.h>

#include <linux/perf_event.h>

/* perf_event_open of a for every thread of this process on cpu
 * (close-on-exec): the fd, or -1 with errno set. */
int mmb__perf_open(struct perf_event_attr *a, int cpu);

/* The per-CPU arrays of a set of ring buffers: *fd (each -1) and *rb
 * (each NULL), one entry per configured CPU (1 to 1024), and *pages the
 * data pages of each buffer (a power of two, 16 to 2048, halved until
 * all the buffers fit in 16 MiB). The CPU count, or MMB_ENOMEM with the
 * error set naming what (then nothing is allocated). */
int mmb__perfbuf_alloc(int **fd, void ***rb, size_t *pages, const char *what);

/* Called for each record of a buffer that fits the caller's rec: its
 * header and the whole record (header included) copied into rec. */
typedef void mmb__perf_record_fn(const struct perf_event_header *h,
				 const void *rec, void *arg);

/* Read every record of the buffer rb (pages data pages) that its writer
 * has finished, copying each that fits into rec (rec_size bytes) for fn,
 * and mark them read. */
void mmb__perfbuf_drain(void *rb, size_t pages, void *rec, size_t rec_size,
			mmb__perf_record_fn *fn, void *arg);

#endif
