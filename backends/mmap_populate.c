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
    .caps = MMB_CAP_READ | MMB_CAP_WRITE | MMB_CAP_MAPPED | MMB_CAP_VIEW,
    .open = mmap_populate_open,
    .read = mmb__mapped_read,
    .view = mmb__mapped_view,
    .write = mmb__mapped_write,
    .sync = mmb__mapped_sync,
    .mapping = mmb__mapped_mapping,
    .close = mmb__mapped_close,
};
