/* SPDX-License-Identifier: MIT */
/* backends/win/win.h - the Windows backends and what they share. Built
 * instead of the Linux backends when WIN32 (backends/CMakeLists.txt), with
 * the portable whole-file mapping helpers of backends/mapped.c. */
#ifndef MMB_BACKENDS_WIN_H
#define MMB_BACKENDS_WIN_H

#include "../internal.h"

extern const struct mmb_backend mmb_backend_readfile;
extern const struct mmb_backend mmb_backend_winview;

#endif
