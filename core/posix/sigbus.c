/* posix/sigbus.c - guarded access: a copy or a caller's function over a
 * view that survives the file shrinking under the mapping.
 *
 * Touching a page of a shared file mapping past the end of the file raises
 * SIGBUS. One process-wide handler is installed on first use; each thread
 * arms a guard (a sigjmp_buf and the view's address range, on its stack)
 * only around its access, and the handler jumps back only when the
 * faulting address lies in an armed view. Any other SIGBUS goes to the
 * handler that was installed before ours.
 *
 * Cost per guarded call, no system call and no lock: one load of the
 * "installed" flag, __builtin_setjmp (three words: frame, stack, resume
 * address; glibc's sigsetjmp, even without the mask, doubled the cost of
 * an empty guarded call) and two thread-local stores. The signal mask
 * needs no saving: SA_NODEFER keeps SIGBUS unblocked when the handler
 * jumps out, so the mask after the jump is the one before the fault.
 * __builtin_longjmp from the handler restores the frame and stack of the
 * guarded call; the handler runs on the thread's own stack (no
 * SA_ONSTACK), below that frame.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "../os.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define NO_RETURN() __asan_handle_no_return() /* unpoison skipped frames */
#else
#define NO_RETURN() ((void)0)
#endif

struct guard {
	void *jb[5]; /* __builtin_setjmp buffer */
	const char *lo, *hi;
	const struct mmb_map *map;
	const char *volatile fault;
	struct guard *prev; /* the guard this one is nested in */
};

/* volatile: written around the access, read in the signal handler.
 * initial-exec: a plain %fs-relative access even in libmmb.so, where the
 * default (global-dynamic) model would call __tls_get_addr per access. */
static _Thread_local struct guard *volatile armed
    __attribute__((tls_model("initial-exec")));
static struct sigaction previous;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static atomic_bool installed;

static void on_sigbus(int sig, siginfo_t *si, void *uctx)
{
	/* si_addr is only meaningful for a fault raised by the kernel
	 * (si_code > 0); for kill()/sigqueue() the same bytes hold the
	 * sender's pid and uid. */
	const char *addr =
	    si && si->si_code > 0 ? (const char *)si->si_addr : NULL;

	for (struct guard *g = armed; g && addr; g = g->prev) {
		if (addr < g->lo || addr >= g->hi)
			continue;
		armed = g->prev;
		g->fault = addr;
		mmb__guard_notify(g->map, addr);
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
	atomic_store(&installed, true);
}

/* Once per process; after that a single load. */
static inline void ensure_installed(void)
{
	if (!atomic_load_explicit(&installed, memory_order_acquire))
		pthread_once(&install_once, install);
}

int mmb__os_guarded_copy(void *dst, const void *src, size_t n, const void *lo,
			 size_t lolen, const struct mmb_map *map,
			 const void **fault)
{
	struct guard g;

	if (n == 0)
		return 0;
	ensure_installed();
	g.lo = lo;
	g.hi = (const char *)lo + lolen;
	g.map = map;
	g.fault = NULL;
	g.prev = armed;
	if (__builtin_setjmp(g.jb)) {
		*fault = g.fault;
		return MMB_ESIGBUS;
	}
	armed = &g;
	/* volatile orders the stores to `armed` only against other volatile
	 * accesses; the fences keep the compiler from moving the copy's
	 * loads and stores out of the armed region. */
	atomic_signal_fence(memory_order_seq_cst);
	memcpy(dst, src, n);
	atomic_signal_fence(memory_order_seq_cst);
	armed = g.prev;
	return 0;
}

int mmb__os_guarded_call(mmb_guard_fn fn, void *p, size_t n, void *arg,
			 const void *lo, size_t lolen,
			 const struct mmb_map *map, const void **fault)
{
	struct guard g;
	int rc;

	ensure_installed();
	g.lo = lo;
	g.hi = (const char *)lo + lolen;
	g.map = map;
	g.fault = NULL;
	g.prev = armed;
	if (__builtin_setjmp(g.jb)) {
		*fault = g.fault;
		return MMB_ESIGBUS;
	}
	armed = &g;
	atomic_signal_fence(memory_order_seq_cst);
	rc = fn(p, n, arg);
	atomic_signal_fence(memory_order_seq_cst);
	armed = g.prev;
	return rc;
}
