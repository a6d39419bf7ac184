/* backends/registry.c - the table of backends, in `mmbench list` order.
 * Adding a backend = one file + one line here. */
#include "internal.h"

const struct mmb_backend *const mmb_backends[] = {
    &mmb_backend_pread,		&mmb_backend_pread_direct,
    &mmb_backend_io_uring,	&mmb_backend_mmap,
    &mmb_backend_mmap_populate, &mmb_backend_mmap_4k,
    &mmb_backend_mmap_thp,	&mmb_backend_mmap_hugetlb,
    &mmb_backend_mmap_window,	NULL,
};
