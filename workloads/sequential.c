/* sequential.c - blocks in file order, wrapping at the end: seq-read,
 * seq-write. Thread slices are contiguous, so with N threads each reads
 * its own contiguous 1/N of the pass. */
#include "internal.h"

static int seq_generate(const struct mmb_workload *w,
			const struct mmb_workload_opts *o, struct mmb_gen *g,
			struct mmb_op *ops, uint64_t n)
{
	uint64_t blocks = mmb__blocks(o);
	uint32_t is_write = (w->flags & MMB_WL_WRITES) != 0;

	for (uint64_t i = 0, b = g->next % blocks; i < n; i++) {
		ops[i].off = b * o->block_size;
		ops[i].len = (uint32_t)o->block_size;
		ops[i].is_write = is_write;
		if (++b == blocks)
			b = 0;
	}
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
