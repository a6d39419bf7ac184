/* SPDX-License-Identifier: MIT */
/* backends/registry.c - the table of backends, in `mmbench list` order.
 * Adding a backend = one file ending in `const struct mmb_backend
 * mmb_backend_NAME = {...}` + one X(NAME) line here. */
#include "internal.h"

#define MMB__BACKENDS(X)  \
	X(pread)          \
	X(pread_direct)   \
	X(io_uring)       \
	X(mmap)           \
	X(mmap_populate)  \
	X(mmap_4k)        \
	X(mmap_thp)       \
	X(mmap_hugetlb)   \
	X(mmap_window)    \
	X(preadv2_nowait) \
	X(bufferpool)

#define MMB__DECLARE(name) extern const struct mmb_backend mmb_backend_##name;
MMB__BACKENDS(MMB__DECLARE)
#undef MMB__DECLARE

const struct mmb_backend *const mmb_backends[] = {
#define MMB__ENTRY(name) &mmb_backend_##name,
    MMB__BACKENDS(MMB__ENTRY)
#undef MMB__ENTRY
	NULL,
};
