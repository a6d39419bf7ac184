/* SPDX-License-Identifier: MIT */
/* backends/mmap_thp.c - mmap with MADV_HUGEPAGE: ask for transparent huge
 * pages on the file mapping (large page-cache folios mapped by PMD). When
 * the system has THP switched off the advice would be a silent no-op and
 * the result would be a 4 KiB run under a THP label, so it skips; and
 * where the file's page-cache folios are smaller than 2 MiB the advice
 * maps no PMD either, which the runner checks after the run
 * (FilePmdMapped > 0, runner.c label_checks) before it keeps the
 * numbers. */
#include <string.h>

#include "internal.h"

#define THP_ENABLED "/sys/kernel/mm/transparent_hugepage/enabled"

static int mmap_thp_open(const char *path, uint64_t size,
			 const struct mmb_backend_opts *o, void **state,
			 char *why, size_t whylen)
{
	char mode[128];

	if (mmb__read_line(THP_ENABLED, mode, sizeof(mode)) < 0)
		return mmb__why(MMB_ESKIP, why, whylen,
				"mmap-thp: kernel without transparent huge "
				"pages (%s missing)",
				THP_ENABLED);
	/* The file reads like "always [madvise] never". */
	if (strstr(mode, "[never]"))
		return mmb__why(MMB_ESKIP, why, whylen,
				"mmap-thp: transparent huge pages are disabled "
				"(%s is 'never'; echo madvise > %s)",
				THP_ENABLED, THP_ENABLED);
	return mmb__mapped_open("mmap-thp", path, size, o, MMB_MAP_THP, state,
				why, whylen);
}

const struct mmb_backend mmb_backend_mmap_thp = {
    .name = "mmap-thp",
    .help = "mmap + MADV_HUGEPAGE: transparent huge pages (skips if THP "
	    "is 'never' or its run maps no PMD)",
    .caps = MMB__MAPPED_CAPS,
    .open = mmap_thp_open,
    MMB__MAPPED_HOOKS,
};
