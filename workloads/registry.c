/* registry.c - the workload table and what every workload shares:
 * defaults, validation, generation, pages touched. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const struct mmb_workload *const mmb_workloads[] = {
    &mmb_workload_random_4k,
    &mmb_workload_random_64k,
    &mmb_workload_random,
    &mmb_workload_seq_read,
    &mmb_workload_seq_write,
    &mmb_workload_random_write_4k,
    &mmb_workload_rw_mix,
    &mmb_workload_zipf,
    &mmb_workload_strided,
    &mmb_workload_scan_once,
    NULL,
};

const struct mmb_workload *mmb_workload_find(const char *name)
{
	for (size_t i = 0; mmb_workloads[i]; i++)
		if (strcmp(mmb_workloads[i]->name, name) == 0)
			return mmb_workloads[i];
	return NULL;
}

int mmb_workload_resolve(const struct mmb_workload *w,
			 struct mmb_workload_opts *o)
{
	if (o->threads < 1)
		return mmb_seterr(MMB_EINVAL, 0, "--threads must be >= 1");
	if (o->file_size == 0)
		return mmb_seterr(MMB_EINVAL, 0, "file size is 0");
	/* Results are named after the workload: "random-4k" with 16 KiB
	 * blocks would be a lie in every table and comparison. */
	if ((w->flags & MMB_WL_FIXED_BS) && o->block_size &&
	    o->block_size != w->block_size)
		return mmb_seterr(MMB_EINVAL, 0,
				  "%s uses %llu-byte blocks; for --bs %llu use "
				  "-w random (or seq-read, zipf, strided...)",
				  w->name, (unsigned long long)w->block_size,
				  (unsigned long long)o->block_size);
	if (o->block_size == 0)
		o->block_size = w->block_size;
	if (o->block_size > UINT32_MAX)
		return mmb_seterr(MMB_EINVAL, 0,
				  "--bs %llu is too large (max 4 GiB - 1)",
				  (unsigned long long)o->block_size);
	if (o->block_size > o->file_size)
		return mmb_seterr(MMB_EINVAL, 0,
				  "file (%llu bytes) is smaller than one block "
				  "(%llu bytes)",
				  (unsigned long long)o->file_size,
				  (unsigned long long)o->block_size);
	if (o->read_pct < 0 || o->read_pct > 100 || o->read_pct != o->read_pct)
		return mmb_seterr(MMB_EINVAL, 0,
				  "--read-pct must be within 0..100");
	if (!(o->theta > 0))
		return mmb_seterr(MMB_EINVAL, 0, "--theta must be > 0");
	if (o->stride == 0)
		o->stride = MMB_DEFAULT_STRIDE;

	uint64_t pass =
	    w == &mmb_workload_strided ? mmb__strided_steps(o) : mmb__blocks(o);
	if (o->ops == 0)
		o->ops = (w->flags & MMB_WL_PASS) ? pass : MMB_DEFAULT_OPS;
	if ((w->flags & MMB_WL_ONCE) && o->ops > pass)
		return mmb_seterr(MMB_EINVAL, 0,
				  "%s touches each of the %llu blocks at most "
				  "once; --ops %llu is too many",
				  w->name, (unsigned long long)pass,
				  (unsigned long long)o->ops);
	if (o->ops < o->threads)
		return mmb_seterr(MMB_EINVAL, 0,
				  "--ops %llu is fewer than --threads %u",
				  (unsigned long long)o->ops, o->threads);
	return 0;
}

int mmb_workload_generate(const struct mmb_workload *w,
			  const struct mmb_workload_opts *o,
			  struct mmb_op **out)
{
	struct mmb_op *ops = malloc(o->ops * sizeof(*ops));
	int rc;

	if (!ops)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "malloc(%llu ops)",
				  (unsigned long long)o->ops);
	rc = w->generate(w, o, ops, o->ops);
	if (rc < 0) {
		free(ops);
		return rc;
	}
	*out = ops;
	return 0;
}

uint64_t mmb__pages_mark(uint64_t *bits, uint64_t pages,
			 const struct mmb_op *ops, uint64_t n,
			 uint64_t page_size)
{
	uint64_t count = 0;

	for (uint64_t i = 0; i < n; i++) {
		if (ops[i].len == 0)
			continue;
		uint64_t first = ops[i].off / page_size;
		uint64_t last = (ops[i].off + ops[i].len - 1) / page_size;
		for (uint64_t p = first; p <= last && p < pages; p++) {
			uint64_t bit = 1ull << (p % 64);
			if (!(bits[p / 64] & bit)) {
				bits[p / 64] |= bit;
				count++;
			}
		}
	}
	return count;
}

uint64_t mmb_ops_pages_touched(const struct mmb_op *ops, uint64_t n,
			       uint64_t file_size, uint64_t page_size)
{
	uint64_t pages = (file_size + page_size - 1) / page_size;
	uint64_t *bits = calloc((pages + 63) / 64, sizeof(*bits));
	uint64_t count;

	if (!bits)
		return 0;
	count = mmb__pages_mark(bits, pages, ops, n, page_size);
	free(bits);
	return count;
}
