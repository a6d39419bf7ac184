/* SPDX-License-Identifier: MIT */
/* backends/mmap_4k.c - mmap with MADV_NOHUGEPAGE: no PMD (2 MiB) entries
 * for ext4's large folios. That alone does not make a fault map one 4 KiB
 * page: a fault maps its whole folio, and fault-around the cached pages
 * around it (issue 13: 256 pages per fault on a warm file). The runner
 * therefore holds the name to its run (runner.c, label_checks): more than
 * 1.5 pages per fault and its numbers are withheld, with what was
 * measured. A page cache of 4 KiB folios with nothing cached around the
 * faults (--cache cold --advice random) gives one page per fault. */
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
    .help = "mmap + MADV_NOHUGEPAGE: 4 KiB page-table entries; runs only "
	    "where a fault maps <= 1.5 pages (e.g. --cache cold --advice "
	    "random)",
    .caps = MMB__MAPPED_CAPS,
    .open = mmap_4k_open,
    MMB__MAPPED_HOOKS,
};
