/* SPDX-License-Identifier: MIT */
/* backends/mmap_populate.c - mmap with MAP_POPULATE: the whole file is read and
 * its page tables filled at open, so the timed loop takes (almost) no page
 * faults. */
#include "internal.h"

static int mmap_populate_open(const char *path, uint64_t size,
			      const struct mmb_backend_opts *o, void **state,
			      char *why, size_t whylen)
{
	return mmb__mapped_open("mmap-populate", path, size, o,
				MMB_MAP_POPULATE, state, why, whylen);
}

const struct mmb_backend mmb_backend_mmap_populate = {
    .name = "mmap-populate",
    .help = "mmap + MAP_POPULATE: prefault the whole file at open",
    .caps = MMB__MAPPED_CAPS,
    .open = mmap_populate_open,
    MMB__MAPPED_HOOKS,
};
