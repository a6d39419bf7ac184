/* SPDX-License-Identifier: MIT */
/* win/interrupt.c - Ctrl-C on Windows (commands.h), through a console
 * control handler, as on Linux: the first asks the run to stop and keep
 * what it measured (the flag the runner polls), the second deletes the
 * registered temp files (and then their directories) and exits with
 * 128 + SIGINT, after the output being written, if any, is in place
 * (cli/interrupt.c). No memory cgroups here; a sweep's child run shares
 * the console and gets the same events (win/child.c). */
#include <signal.h>

#include <windows.h>

#include "commands.h"
#include "interrupt_os.h"
#include "mmbench/pressure.h"

static volatile LONG state;

void mmb__interrupt_os_remove(const char *path, bool dir)
{
	if (dir)
		RemoveDirectoryA(path);
	else
		DeleteFileA(path);
}

/* A child run got the same console event and cleans up after itself. */
void mmb__interrupt_os_exit(int sig)
{
	mmb__interrupt_remove_temps();
	ExitProcess(128 + (UINT)sig);
}

/* Runs on a thread of its own that the console creates. */
static BOOL WINAPI on_ctrl(DWORD type)
{
	int sig =
	    type == CTRL_C_EVENT || type == CTRL_BREAK_EVENT ? SIGINT : SIGTERM;

	if (InterlockedCompareExchange(&state, sig, 0) == 0) {
		mmb__got_signal = sig;
		return TRUE;
	}
	if (mmb__interrupt_defer(sig))
		return TRUE;
	mmb__interrupt_os_exit(sig);
	return TRUE;
}

void mmb_interrupt_install(void)
{
	SetConsoleCtrlHandler(on_ctrl, TRUE);
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

void mmb_interrupt_child(long pid)
{
	(void)pid;
}
