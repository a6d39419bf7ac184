/* SPDX-License-Identifier: MIT */
/* sequential.c - blocks in file order, wrapping at the end: seq-read,
 * seq-write. Thread slices are contiguous, so with N threads each reads
 * its own contiguous 1/N of the pass. */
#include "internal.h"

void mmb__stride_ops(const struct mmb_workload_opts *o, struct mmb_op *ops,
		     uint64_t first, uint64_t n, uint64_t stride,
		     uint64_t steps, bool is_write)
{
	for (uint64_t i = 0, s = first % steps; i < n; i++) {
		ops[i] = mmb__op(o, s * stride, is_write);
		if (++s == steps)
			s = 0;
	}
}

static int seq_generate(const struct mmb_workload *w,
			const struct mmb_workload_opts *o, struct mmb_gen *g,
			struct mmb_op *ops, uint64_t n)
{
	mmb__stride_ops(o, ops, g->next, n, o->block_size, mmb__blocks(o),
			(w->flags & MMB_WL_WRITES) != 0);
	return 0;
}

const struct mmb_workload mmb_workload_seq_read = {
    .name = "seq-read",
    .help = "64 KiB reads in file order; default one pass over the file",
    .block_size = 65536,
    .flags = MMB_WL_PASS,
    .generate = seq_generate,
};

const struct mmb_workload mmb_workload_seq_write = {
    .name = "seq-write",
    .help = "64 KiB writes in file order; default one pass over the file",
    .block_size = 65536,
    .flags = MMB_WL_PASS | MMB_WL_WRITES,
    .generate = seq_generate,
};
