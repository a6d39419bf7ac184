/* SPDX-License-Identifier: MIT */
/* strided.c - reads every `stride` bytes (default 64 KiB), wrapping to
 * the start: defeats readahead and fault-around while staying predictable. */
#include "internal.h"

enum { STRIDE };

static const struct mmb_param strided_params[] = {
    [STRIDE] = {.name = "stride",
		.type = MMB_PARAM_SIZE,
		.flags = MMB_PARAM_SWEEP,
		.def.u = 65536,
		.min = 1,
		.help = "bytes between the starts of consecutive ops"},
    {.name = NULL},
};

/* Op starts 0, stride, 2 stride, ... while an op still fits. */
static uint64_t strided_steps(const struct mmb_workload_opts *o)
{
	return (o->file_size - o->block_size) / o->param[STRIDE].u + 1;
}

static int strided_generate(const struct mmb_workload *w,
			    const struct mmb_workload_opts *o,
			    struct mmb_gen *g, struct mmb_op *ops, uint64_t n)
{
	(void)w;
	mmb__stride_ops(o, ops, g->next, n, o->param[STRIDE].u,
			strided_steps(o), false);
	return 0;
}

const struct mmb_workload mmb_workload_strided = {
    .name = "strided",
    .help = "4 KiB reads every --stride bytes (default 64 KiB), one pass",
    .block_size = 4096,
    .flags = MMB_WL_PASS,
    .params = strided_params,
    .generate = strided_generate,
    .pass_ops = strided_steps,
};
