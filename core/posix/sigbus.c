/* SPDX-License-Identifier: MIT */
/* posix/sigbus.c - the SIGBUS handler behind guarded access (core/guard.c
 * arms the guards).
 *
 * Touching a page of a shared file mapping past the end of the file raises
 * SIGBUS. One process-wide handler is installed on first use; it jumps
 * back only when core/guard.c claims the faulting address (it lies in a
 * view armed on this thread). Any other SIGBUS goes to the handler that
 * was installed before ours.
 *
 * __builtin_setjmp rather than sigsetjmp: glibc's sigsetjmp, even without
 * the mask, doubled the cost of an empty guarded call. The signal mask
 * needs no saving: SA_NODEFER keeps SIGBUS unblocked when the handler
 * jumps out, so the mask after the jump is the one before the fault.
 * __builtin_longjmp from the handler restores the frame and stack of the
 * guarded call; the handler runs on the thread's own stack (no
 * SA_ONSTACK), below that frame.
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "../os.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define NO_RETURN() __asan_handle_no_return() /* unpoison skipped frames */
#else
#define NO_RETURN() ((void)0)
#endif

static struct sigaction previous;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static void on_sigbus(int sig, siginfo_t *si, void *uctx)
{
	/* si_addr is only meaningful for a fault raised by the kernel
	 * (si_code > 0); for kill()/sigqueue() the same bytes hold the
	 * sender's pid and uid. */
	const void *addr = si && si->si_code > 0 ? si->si_addr : NULL;
	struct mmb__guard *g = mmb__guard_claim(addr);

	if (g) {
		NO_RETURN();
		__builtin_longjmp(g->jb, 1);
	}
	/* Not ours: behave as if we were never installed. */
	if (previous.sa_flags & SA_SIGINFO) {
		previous.sa_sigaction(sig, si, uctx);
		return;
	}
	if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
		previous.sa_handler(sig);
		return;
	}
	/* Default action (also for SIG_IGN, which cannot skip a hardware
	 * fault): restore it and return; the faulting access runs again and
	 * the kernel kills the process with SIGBUS as it would have. */
	signal(SIGBUS, SIG_DFL);
	if (si && si->si_code <= 0)
		raise(SIGBUS); /* sent by kill(), not a fault: re-send */
}

static void install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	/* SA_NODEFER and an empty sa_mask: the handler runs with the mask
	 * of the faulting code, so jumping out of it needs no sigprocmask
	 * and the guard saves no mask per call. */
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &previous);
}

void mmb__os_guard_install(void)
{
	pthread_once(&install_once, install);
}
