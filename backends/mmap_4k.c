/* backends/mmap_4k.c - mmap with MADV_NOHUGEPAGE, the true 4 KiB baseline:
 * without it ext4 large folios may be mapped by PMD (2 MiB) entries. */
#include "internal.h"

static int mmap_4k_open(const char *path, uint64_t size,
			const struct mmb_backend_opts *o, void **state,
			char *why, size_t whylen)
{
	return mmb__mapped_open("mmap-4k", path, size, o, MMB_MAP_NOHUGEPAGE,
				state, why, whylen);
}

const struct mmb_backend mmb_backend_mmap_4k = {
    .name = "mmap-4k",
    .help = "mmap + MADV_NOHUGEPAGE: only 4 KiB page-table entries (baseline)",
    .caps = MMB_CAP_READ | MMB_CAP_WRITE | MMB_CAP_MAPPED | MMB_CAP_VIEW,
    .open = mmap_4k_open,
    .read = mmb__mapped_read,
    .view = mmb__mapped_view,
    .write = mmb__mapped_write,
    .sync = mmb__mapped_sync,
    .mapping = mmb__mapped_mapping,
    .close = mmb__mapped_close,
};
