/* SPDX-License-Identifier: MIT */
/* backends/mmap_full.c - mmap the whole file, MAP_SHARED; memcpy out and in.
 * The kernel's defaults decide page sizes (ext4 large folios may be
 * PMD-mapped). */
#include "internal.h"

static int mmap_open(const char *path, uint64_t size,
		     const struct mmb_backend_opts *o, void **state, char *why,
		     size_t whylen)
{
	return mmb__mapped_open("mmap", path, size, o, 0, state, why, whylen);
}

const struct mmb_backend mmb_backend_mmap = {
    .name = "mmap",
    .help = "mmap the whole file, MAP_SHARED, memcpy out/in (kernel default "
	    "page sizes)",
    .caps = MMB__MAPPED_CAPS,
    .open = mmap_open,
    MMB__MAPPED_HOOKS,
};
