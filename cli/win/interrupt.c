/* SPDX-License-Identifier: MIT */
/* win/interrupt.c - Ctrl-C on Windows (commands.h), through a console
 * control handler, as on Linux: the first asks the run to stop and keep
 * what it measured (the flag the runner polls), the second deletes the
 * registered temp files (and then their directories) and exits with
 * 128 + SIGINT. No memory cgroups here; a sweep's child run shares the
 * console and gets the same events (win/child.c). */
#include <signal.h>

#include <windows.h>

#include "commands.h"
#include "mmbench/pressure.h"

/* A sweep's point files and their directory fit (64 points + 1). */
#define MAX_TEMPS 72
static const char *volatile temps[MAX_TEMPS];
static volatile LONG state;
static volatile sig_atomic_t got_signal;

/* Runs on a thread of its own that the console creates. */
static BOOL WINAPI on_ctrl(DWORD type)
{
	int sig =
	    type == CTRL_C_EVENT || type == CTRL_BREAK_EVENT ? SIGINT : SIGTERM;

	if (InterlockedCompareExchange(&state, sig, 0) == 0) {
		got_signal = sig;
		return TRUE;
	}
	/* files first, then the directories that held them; a child run
	 * got the same console event and cleans up after itself */
	for (int i = 0; i < MAX_TEMPS; i++)
		if (temps[i])
			DeleteFileA(temps[i]);
	for (int i = 0; i < MAX_TEMPS; i++)
		if (temps[i])
			RemoveDirectoryA(temps[i]);
	ExitProcess(128 + (UINT)sig);
}

void mmb_interrupt_install(void)
{
	SetConsoleCtrlHandler(on_ctrl, TRUE);
}

int mmb_interrupted(void)
{
	return got_signal;
}

const volatile sig_atomic_t *mmb_interrupt_flag(void)
{
	return &got_signal;
}

/* Fails as mmb_cgroup_create does here (not available on Windows). */
int mmb_interrupt_cgroup_create(struct mmb_cgroup *cg, uint64_t limit)
{
	return mmb_cgroup_create(cg, limit);
}

int mmb_interrupt_cgroup_remove(struct mmb_cgroup *cg)
{
	return mmb_cgroup_remove(cg);
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

void mmb_interrupt_child(long pid)
{
	(void)pid;
}
