/* win/pressure.c - memory pressure and interrupts on Windows.
 *
 * Memory cgroups and the --interval sampler (mincore residency, TLB
 * shootdowns from /proc/interrupts) are Linux only: creating a cgroup or
 * starting the sampler fails with MMB_ENOTSUP and a message saying so,
 * which mmbench run turns into a one-line error before anything runs.
 * Ctrl-C works as on Linux through a console control handler: the first
 * asks the run to stop and keep what it measured, the second deletes the
 * registered temp files and exits with 128 + SIGINT. */
#include <signal.h>
#include <string.h>

#include <windows.h>

#include "internal.h"
#include "mmbench/pressure.h"
#include "timeseries.h"

int mmb_cgroup_create(struct mmb_cgroup *cg, uint64_t limit)
{
	(void)limit;
	memset(cg, 0, sizeof(*cg));
	return mmb_seterr(MMB_ENOTSUP, 0,
			  "memory cgroups: not available on Windows");
}

int mmb_cgroup_enter(struct mmb_cgroup *cg)
{
	(void)cg;
	return mmb_seterr(MMB_ENOTSUP, 0,
			  "memory cgroups: not available on Windows");
}

int mmb_cgroup_leave(struct mmb_cgroup *cg)
{
	(void)cg;
	return mmb_seterr(MMB_ENOTSUP, 0,
			  "memory cgroups: not available on Windows");
}

uint64_t mmb_cgroup_peak(const struct mmb_cgroup *cg)
{
	(void)cg;
	return 0;
}

/* Nothing was ever created: removing is a no-op that succeeds, as on a
 * zeroed cgroup on Linux. */
int mmb_cgroup_remove(struct mmb_cgroup *cg)
{
	memset(cg, 0, sizeof(*cg));
	return 0;
}

int mmb__sampler_start(struct mmb__sampler *s, unsigned interval_ms, int fd,
		       uint64_t size, uint64_t (*ops)(void *ctx), void *ops_ctx)
{
	(void)interval_ms, (void)fd, (void)size, (void)ops, (void)ops_ctx;
	memset(s, 0, sizeof(*s));
	return mmb_seterr(MMB_ENOTSUP, 0,
			  "--interval: not available on Windows");
}

void mmb__sampler_stop(struct mmb__sampler *s, struct mmb_series *out)
{
	(void)s;
	memset(out, 0, sizeof(*out));
}

uint64_t mmb__tlb_shootdowns(void)
{
	return 0;
}

/* ---- interrupts --------------------------------------------------------- */

#define MAX_TEMPS 8
static const char *volatile temps[MAX_TEMPS];
static volatile LONG got_signal;

/* Runs on a thread of its own that the console creates. */
static BOOL WINAPI on_ctrl(DWORD type)
{
	int sig =
	    type == CTRL_C_EVENT || type == CTRL_BREAK_EVENT ? SIGINT : SIGTERM;

	if (InterlockedCompareExchange(&got_signal, sig, 0) == 0)
		return TRUE;
	for (int i = 0; i < MAX_TEMPS; i++)
		if (temps[i])
			DeleteFileA(temps[i]);
	ExitProcess(128 + (UINT)sig);
}

void mmb_interrupt_install(void)
{
	SetConsoleCtrlHandler(on_ctrl, TRUE);
}

int mmb_interrupted(void)
{
	return (int)got_signal;
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
