/* SPDX-License-Identifier: MIT */
/* backends/pread.c - buffered pread/pwrite through the page cache: the
 * read/write baseline against which the mmap backends are compared. All of
 * it is the shared fd-backend helpers (fd.c). */
#include "internal.h"

static int pread_open(const char *path, uint64_t size,
		      const struct mmb_backend_opts *o, void **state, char *why,
		      size_t whylen)
{
	(void)size;
	return mmb__fd_state_open("pread", path, o, 0, sizeof(struct mmb__fd),
				  state, why, whylen);
}

const struct mmb_backend mmb_backend_pread = {
    .name = "pread",
    .help = "buffered pread/pwrite through the page cache (posix_fadvise "
	    "for advice)",
    .caps = MMB_CAP_READ | MMB_CAP_WRITE,
    .open = pread_open,
    .read = mmb__fd_read,
    .write = mmb__fd_write,
    .sync = mmb__fd_sync,
    .close = mmb__fd_close,
};
