/* win/guard.c - guarded access (a memcpy or a caller's function) that
 * survives EXCEPTION_IN_PAGE_ERROR in a view.
 *
 * Windows refuses to shrink a file that has a view (SetEndOfFile fails with
 * ERROR_USER_MAPPED_FILE), so the POSIX SIGBUS case of a file truncated
 * under a mapping cannot happen on Windows itself. A view still faults
 * with EXCEPTION_IN_PAGE_ERROR when the page cannot be read in: a disk
 * error, a network file whose server went away, removable media pulled out
 * (and, under wine, a file shrunk by a Unix process, since wine lets the
 * host truncate it; wine reports that fault as EXCEPTION_ACCESS_VIOLATION).
 *
 * Both codes are taken as "the page is gone" when they hit the armed view:
 * inside it an access violation has no other cause during the copy (the
 * core checks bounds and refuses writes to read-only views before copying).
 *
 * mingw has no __try/__except, so a vectored exception handler stands in:
 * installed once, first in the chain; each thread arms a guard only around
 * its copy. When the faulting address lies in the armed view, the handler
 * does not jump out of the exception dispatcher (which may hold locks):
 * it rewrites the thread's context to resume in `land`, on a fresh frame
 * below the faulting one, and `land` jumps back into the copy's frame with
 * __builtin_longjmp (no unwinding, nothing to unwind). Every other
 * exception goes on to the next handler untouched.
 */
#include <windows.h>

#include <string.h>

#if !defined(__x86_64__)
#error "guard.c resumes through the x86-64 CONTEXT (Rip/Rsp)"
#endif

#include "../os.h"

struct guard {
	void *jb[5]; /* __builtin_setjmp buffer */
	const char *lo, *hi;
	const struct mmb_map *map;
	const char *volatile fault;
	struct guard *prev; /* the guard this one is nested in */
};

/* volatile: written around the copy, read by the exception handler. */
static _Thread_local struct guard *volatile armed;
static _Thread_local struct guard *volatile landing;
static INIT_ONCE install_once = INIT_ONCE_STATIC_INIT;

__attribute__((noreturn, noinline)) static void land(void)
{
	struct guard *g = landing;

	landing = NULL;
	__builtin_longjmp(g->jb, 1);
}

static LONG CALLBACK on_exception(EXCEPTION_POINTERS *ep)
{
	EXCEPTION_RECORD *er = ep->ExceptionRecord;
	struct guard *g;
	const char *addr;
	DWORD64 sp;

	if (!armed || er->NumberParameters < 2 ||
	    (er->ExceptionCode != EXCEPTION_IN_PAGE_ERROR &&
	     er->ExceptionCode != EXCEPTION_ACCESS_VIOLATION))
		return EXCEPTION_CONTINUE_SEARCH;
	/* [0] read/write/execute, [1] the address. */
	addr = (const char *)er->ExceptionInformation[1];
	for (g = armed; g; g = g->prev)
		if (addr >= g->lo && addr < g->hi)
			break;
	if (!g)
		return EXCEPTION_CONTINUE_SEARCH;
	armed = g->prev;
	g->fault = addr;
	mmb__guard_notify(g->map, addr);
	landing = g;
	/* A frame for `land` well below the faulting one: 16-byte aligned,
	 * 32 bytes of home space, then a (never used) return address, as a
	 * call would leave it. */
	sp = (ep->ContextRecord->Rsp - 256) & ~(DWORD64)15;
	sp -= 32 + 8;
	*(DWORD64 *)sp = 0;
	ep->ContextRecord->Rsp = sp;
	ep->ContextRecord->Rip = (DWORD64)(uintptr_t)land;
	return EXCEPTION_CONTINUE_EXECUTION;
}

static BOOL CALLBACK install(INIT_ONCE *once, void *arg, void **ctx)
{
	(void)once;
	(void)arg;
	(void)ctx;
	return AddVectoredExceptionHandler(1, on_exception) != NULL;
}

int mmb__os_guarded_copy(void *dst, const void *src, size_t n, const void *lo,
			 size_t lolen, const struct mmb_map *map,
			 const void **fault)
{
	struct guard g;

	if (n == 0)
		return 0;
	InitOnceExecuteOnce(&install_once, install, NULL, NULL);
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
	memcpy(dst, src, n);
	armed = g.prev;
	return 0;
}

int mmb__os_guarded_call(mmb_guard_fn fn, void *p, size_t n, void *arg,
			 const void *lo, size_t lolen,
			 const struct mmb_map *map, const void **fault)
{
	struct guard g;
	int rc;

	InitOnceExecuteOnce(&install_once, install, NULL, NULL);
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
	rc = fn(p, n, arg);
	armed = g.prev;
	return rc;
}
