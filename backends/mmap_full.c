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
    .caps = MMB_CAP_READ | MMB_CAP_WRITE | MMB_CAP_MAPPED | MMB_CAP_VIEW,
    .open = mmap_open,
    .read = mmb__mapped_read,
    .view = mmb__mapped_view,
    .write = mmb__mapped_write,
    .sync = mmb__mapped_sync,
    .mapping = mmb__mapped_mapping,
    .close = mmb__mapped_close,
};
