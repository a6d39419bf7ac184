/* SPDX-License-Identifier: MIT */
/* win/winerr.h - Windows error codes as MMB_E* codes.
 *
 * Internal to mmbench: core/win uses it for every failing Win32 call, and
 * the Windows backends (backends/win) include it so ReadFile/WriteFile
 * errors read the same as the core's. The raw GetLastError() value is
 * what callers pass to mmb_seterr() as os_error.
 */
#ifndef MMB_CORE_WIN_WINERR_H
#define MMB_CORE_WIN_WINERR_H

/* MMB_E* code for a GetLastError() value (never 0: unknown errors are
 * MMB_EIO, the raw value stays in the error context). */
int mmb__win_error(unsigned long err);

#endif
