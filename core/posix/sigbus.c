/* posix/sigbus.c - memcpy that survives the file shrinking under a map.
 *
 * Touching a page of a shared file mapping past the end of the file raises
 * SIGBUS. One process-wide handler is installed on first use; each thread
 * arms a sigjmp_buf only around its copy, and the handler jumps back only
 * when the faulting address lies in the view being copied. Any other
 * SIGBUS goes to the handler that was installed before ours.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "../os.h"

struct guard {
	sigjmp_buf jb;
	const char *lo, *hi;
};

/* volatile: written around the copy, read in the signal handler. */
static _Thread_local struct guard *volatile armed;
static struct sigaction previous;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static void on_sigbus(int sig, siginfo_t *si, void *uctx)
{
	struct guard *g = armed;
	/* si_addr is only meaningful for a fault raised by the kernel
	 * (si_code > 0); for kill()/sigqueue() the same bytes hold the
	 * sender's pid and uid. */
	const char *addr =
	    si && si->si_code > 0 ? (const char *)si->si_addr : NULL;

	if (g && addr && addr >= g->lo && addr < g->hi) {
		armed = NULL;
		siglongjmp(g->jb, 1);
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
	/* SA_NODEFER keeps SIGBUS unblocked when we jump out of the handler,
	 * so the copy can use sigsetjmp(jb, 0) and skip a sigprocmask per
	 * call. */
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &previous);
}

int mmb__os_guarded_copy(void *dst, const void *src, size_t n, const void *lo,
			 size_t lolen)
{
	struct guard g;

	if (n == 0)
		return 0;
	pthread_once(&install_once, install);
	g.lo = lo;
	g.hi = (const char *)lo + lolen;
	if (sigsetjmp(g.jb, 0))
		return MMB_ESIGBUS;
	armed = &g;
	/* volatile orders the stores to `armed` only against other volatile
	 * accesses; the fences keep the compiler from moving the copy's
	 * loads and stores out of the armed region. */
	atomic_signal_fence(memory_order_seq_cst);
	memcpy(dst, src, n);
	atomic_signal_fence(memory_order_seq_cst);
	armed = NULL;
	return 0;
}
