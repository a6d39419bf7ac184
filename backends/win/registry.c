/* SPDX-License-Identifier: MIT */
/* backends/win/registry.c - the Windows table of backends, in `mmbench
 * list` order (built instead of backends/registry.c; backends/names.c
 * searches whichever table is built). */
#include "win.h"

const struct mmb_backend *const mmb_backends[] = {
    &mmb_backend_readfile,
    &mmb_backend_winview,
    NULL,
};
