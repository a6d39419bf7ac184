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
    .caps = MMB__MAPPED_CAPS,
    .open = mmap_4k_open,
    MMB__MAPPED_HOOKS,
};
