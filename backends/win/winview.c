/* SPDX-License-Identifier: MIT */
/* backends/win/winview.c - a view of the whole file through the core
 * (CreateFileMapping + MapViewOfFile), memcpy out and in: the Windows
 * counterpart of the "mmap" backend. Write durability: "msync" is
 * FlushViewOfFile + FlushFileBuffers per write, "msync-async"
 * FlushViewOfFile alone (starts the write-back, does not wait), "fsync"
 * both once at the end. Advice without a Windows equivalent fails open()
 * with MMB_ENOTSUP. */
#include "win.h"

static int winview_open(const char *path, uint64_t size,
			const struct mmb_backend_opts *o, void **state,
			char *why, size_t whylen)
{
	return mmb__mapped_open("winview", path, size, o, 0, state, why,
				whylen);
}

const struct mmb_backend mmb_backend_winview = {
    .name = "winview",
    .help = "MapViewOfFile of the whole file, memcpy out/in "
	    "(FlushViewOfFile/FlushFileBuffers for sync)",
    .caps = MMB__MAPPED_CAPS,
    .open = winview_open,
    MMB__MAPPED_HOOKS,
};
