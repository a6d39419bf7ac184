/* SPDX-License-Identifier: MIT */
/* win/iostat.c - storage counters on Windows: none that mean what the
 * Linux ones do. GetProcessIoCounters' ReadTransferCount counts bytes
 * through ReadFile whether or not the device moved them (cache hits
 * included) and nothing for mapped views, so it is no measure of device
 * traffic; per-disk counters (IOCTL_DISK_PERFORMANCE) need the disk
 * opened by an administrator. Device and disk bytes are unavailable
 * (NAN, JSON null), and so is the amplification built from them; the
 * amplification context is "unavailable" / -1. */
#include <stdio.h>
#include <string.h>

#include "iostat.h"

void mmb__io_start(struct mmb__io *io, int fd)
{
	(void)fd;
	memset(io, 0, sizeof(*io));
}

void mmb__io_stop(struct mmb__io *io)
{
	io->proc_ok = io->disk_ok = false;
}

void mmb__io_env(struct mmb_env *env, const char *path)
{
	(void)path;
	snprintf(env->block_device, sizeof(env->block_device), "unavailable");
	snprintf(env->thp_defrag, sizeof(env->thp_defrag), "unavailable");
	env->read_ahead_kb = -1;
	env->page_cluster = -1;
	env->fault_around_bytes = -1;
}
