/* SPDX-License-Identifier: MIT */
/* random.c - uniform random block-aligned ops: random (any --bs),
 * random-4k, random-64k, random-write-4k (sizes fixed by their names). */
#include "internal.h"

static int random_generate(const struct mmb_workload *w,
			   const struct mmb_workload_opts *o, struct mmb_gen *g,
			   struct mmb_op *ops, uint64_t n)
{
	struct mmb__rng r;
	uint64_t blocks = mmb__blocks(o);
	bool is_write = (w->flags & MMB_WL_WRITES) != 0;

	mmb__gen_rng(g, o, &r);
	for (uint64_t i = 0; i < n; i++) {
		ops[i] = mmb__op(o, mmb__rng_below(&r, blocks) * o->block_size,
				 is_write);
	}
	mmb__gen_rng_save(g, &r);
	return 0;
}

const struct mmb_workload mmb_workload_random = {
    .name = "random",
    .help = "uniform random reads of --bs bytes (default 4 KiB), "
	    "block-aligned",
    .block_size = 4096,
    .generate = random_generate,
};

const struct mmb_workload mmb_workload_random_4k = {
    .name = "random-4k",
    .help = "uniform random 4 KiB reads, block-aligned",
    .block_size = 4096,
    .flags = MMB_WL_FIXED_BS,
    .generate = random_generate,
};

const struct mmb_workload mmb_workload_random_64k = {
    .name = "random-64k",
    .help = "uniform random 64 KiB reads, block-aligned",
    .block_size = 65536,
    .flags = MMB_WL_FIXED_BS,
    .generate = random_generate,
};

const struct mmb_workload mmb_workload_random_write_4k = {
    .name = "random-write-4k",
    .help = "uniform random 4 KiB writes (of the file's own pattern)",
    .block_size = 4096,
    .flags = MMB_WL_WRITES | MMB_WL_FIXED_BS,
    .generate = random_generate,
};
