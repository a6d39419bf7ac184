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
    .caps = MMB_CAP_READ | MMB_CAP_WRITE | MMB_CAP_MAPPED | MMB_CAP_VIEW,
    .open = winview_open,
    .read = mmb__mapped_read,
    .view = mmb__mapped_view,
    .write = mmb__mapped_write,
    .sync = mmb__mapped_sync,
    .mapping = mmb__mapped_mapping,
    .close = mmb__mapped_close,
};
