/* SPDX-License-Identifier: MIT */
/* interrupt.c - Ctrl-C for every subcommand (commands.h), the part every
 * platform shares: the flag the runner polls, the temp files a second
 * signal removes, and holding that second signal off while an output is
 * written and renamed into place, so that a signal storm (SIGINT then
 * SIGTERM 20 ms later) never leaves OUT.tmp.XXXXXX behind. The handlers
 * are the platform's (posix/interrupt.c, win/interrupt.c). */
#include <stddef.h>
#include <stdio.h>

#include "commands.h"
#include "interrupt_os.h"
#include "stage.h"

volatile sig_atomic_t mmb__got_signal;

/* What a handler cleans up. Written outside handlers only while signals
 * cannot find them half-written: the pointer is published last. A sweep's
 * point files and their directory fit (64 points + 1). */
#define MAX_TEMPS 72
static const char *volatile temps[MAX_TEMPS];

/* An output is being written (mmb_interrupt_hold); a second signal that
 * came meanwhile, 0 when none. */
static volatile sig_atomic_t holding, pending;

int mmb_interrupted(void)
{
	return mmb__got_signal;
}

const volatile sig_atomic_t *mmb_interrupt_flag(void)
{
	return &mmb__got_signal;
}

void mmb_interrupt_tempfile(const char *path)
{
	for (int i = 0; i < MAX_TEMPS; i++)
		if (!temps[i]) {
			temps[i] = path;
			return;
		}
}

void mmb_interrupt_tempfile_done(const char *path)
{
	for (int i = 0; i < MAX_TEMPS; i++)
		if (temps[i] == path)
			temps[i] = NULL;
}

void mmb__interrupt_remove_temps(void)
{
	/* files first, then the directories that held them */
	for (int i = 0; i < MAX_TEMPS; i++)
		if (temps[i])
			mmb__interrupt_os_remove(temps[i], false);
	for (int i = 0; i < MAX_TEMPS; i++)
		if (temps[i])
			mmb__interrupt_os_remove(temps[i], true);
}

bool mmb__interrupt_defer(int sig)
{
	if (!holding)
		return false;
	pending = sig;
	return true;
}

void mmb_interrupt_hold(void)
{
	holding = 1;
}

void mmb_interrupt_release(void)
{
	holding = 0;
	/* A signal after this line finds holding 0 and exits itself. */
	if (pending)
		mmb__interrupt_os_exit(pending);
}

int mmb_cli_stopped(const char *who)
{
	int sig = mmb__got_signal;

	if (!sig)
		return 0;
	fprintf(stderr,
		"%s: interrupted (signal %d); outputs written so far "
		"are complete\n",
		who, sig);
	return 128 + sig;
}
