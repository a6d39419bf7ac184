/* SPDX-License-Identifier: MIT */
/* interrupt_os.h - between the Ctrl-C logic every platform shares
 * (cli/interrupt.c: the flag, the registry of temp files, holding a second
 * signal off while an output is renamed into place) and the platform's
 * handler (posix/interrupt.c: signals, cgroups, the child; win/
 * interrupt.c: the console control handler). */
#ifndef MMB_CLI_INTERRUPT_OS_H
#define MMB_CLI_INTERRUPT_OS_H

#include <signal.h>
#include <stdbool.h>

/* The first signal's number, 0 before it (mmb_interrupted()). */
extern volatile sig_atomic_t mmb__got_signal;

/* For the handler, on a second signal: true when an output is being
 * written (mmb_interrupt_hold); the signal is then kept and acted on by
 * mmb_interrupt_release(). Async-signal-safe. */
bool mmb__interrupt_defer(int sig);
/* Remove the registered temp files, then the registered directories,
 * through mmb__interrupt_os_remove. Async-signal-safe. */
void mmb__interrupt_remove_temps(void);

/* The platform's: remove one file (dir false) or empty directory; and
 * clean up everything and exit with 128 + sig. Both async-signal-safe. */
void mmb__interrupt_os_remove(const char *path, bool dir);
void mmb__interrupt_os_exit(int sig);

/* POSIX (posix/interrupt.c): a directory tree of this process's own that
 * a second signal removes whole (a report being built, with gnuplot
 * possibly still writing into it); NULL: none. One at a time; set and
 * cleared outside handlers, the string outliving the registration. */
void mmb__interrupt_os_tree(const char *path);
/* Remove such a tree (files, then their directories, never following
 * links), retrying a directory that gains entries meanwhile. Async-
 * signal-safe; also for the normal path. */
void mmb__interrupt_os_rmtree(const char *path);

#endif
