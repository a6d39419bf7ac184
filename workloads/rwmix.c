/* SPDX-License-Identifier: MIT */
/* rwmix.c - uniform random block-aligned ops, a read_pct share of them
 * reads and the rest writes (rw-mix). */
#include "internal.h"

enum { READ_PCT };

static const struct mmb_param rwmix_params[] = {
    [READ_PCT] = {.name = "read-pct",
		  .type = MMB_PARAM_PERCENT,
		  .def.d = 50,
		  .arg = "P",
		  .help = "percent of the ops that read"},
    {.name = NULL},
};

static int rwmix_generate(const struct mmb_workload *w,
			  const struct mmb_workload_opts *o, struct mmb_gen *g,
			  struct mmb_op *ops, uint64_t n)
{
	struct mmb__rng r;
	uint64_t blocks = mmb__blocks(o);
	double read_frac = o->param[READ_PCT].d / 100.0;

	(void)w;
	mmb__gen_rng(g, o, &r);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t off = mmb__rng_below(&r, blocks) * o->block_size;

		ops[i] = mmb__op(o, off, mmb__rng_double(&r) >= read_frac);
	}
	mmb__gen_rng_save(g, &r);
	return 0;
}

const struct mmb_workload mmb_workload_rw_mix = {
    .name = "rw-mix",
    .help = "uniform random 4 KiB ops, --read-pct reads (default 50), "
	    "the rest writes",
    .block_size = 4096,
    .flags = MMB_WL_WRITES,
    .params = rwmix_params,
    .generate = rwmix_generate,
};
