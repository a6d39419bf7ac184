/* SPDX-License-Identifier: MIT */
/* scan_once.c - every block exactly once, in a random order (a seeded
 * Fisher-Yates shuffle): each access is a first touch, the worst case for
 * fault-per-page mappings and the best case for nothing at all. */
#include <stdlib.h>

#include "internal.h"

static int scan_once_generate(const struct mmb_workload *w,
			      const struct mmb_workload_opts *o,
			      struct mmb_gen *g, struct mmb_op *ops, uint64_t n)
{
	struct mmb__rng r;
	uint64_t blocks = mmb__blocks(o);

	(void)w;
	/* The block order being shuffled lives in g between chunks. */
	if (!g->scratch) {
		uint64_t *idx = malloc(blocks * sizeof(*idx));
		if (!idx)
			return mmb_seterr(MMB_ENOMEM, ENOMEM,
					  "malloc(%llu block indexes)",
					  (unsigned long long)blocks);
		for (uint64_t i = 0; i < blocks; i++)
			idx[i] = i;
		g->scratch = idx;
		g->nscratch = blocks;
	}
	uint64_t *idx = g->scratch;
	mmb__gen_rng(g, o, &r);
	/* Only the first ops positions are needed: a partial shuffle of
	 * them is a uniform sample without repetition. */
	for (uint64_t k = 0; k < n; k++) {
		uint64_t i = g->next + k;
		uint64_t j = i + mmb__rng_below(&r, blocks - i);
		uint64_t t = idx[i];
		idx[i] = idx[j];
		idx[j] = t;
		ops[k] = mmb__op(o, idx[i] * o->block_size, false);
	}
	mmb__gen_rng_save(g, &r);
	return 0;
}

const struct mmb_workload mmb_workload_scan_once = {
    .name = "scan-once",
    .help = "every 4 KiB block exactly once, in random order",
    .block_size = 4096,
    .flags = MMB_WL_PASS | MMB_WL_ONCE,
    .generate = scan_once_generate,
};
