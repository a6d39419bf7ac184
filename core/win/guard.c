/* SPDX-License-Identifier: MIT */
/* win/guard.c - the exception handler behind guarded access (a memcpy or
 * a caller's function, armed by core/guard.c) that survives
 * EXCEPTION_IN_PAGE_ERROR in a view.
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
 * its copy. When core/guard.c claims the faulting address (it lies in a
 * view armed on this thread), the handler
 * does not jump out of the exception dispatcher (which may hold locks):
 * it rewrites the thread's context to resume in `land`, on a fresh frame
 * below the faulting one, and `land` jumps back into the copy's frame with
 * __builtin_longjmp (no unwinding, nothing to unwind). Every other
 * exception goes on to the next handler untouched.
 */
#include <windows.h>

#if !defined(__x86_64__)
#error "guard.c resumes through the x86-64 CONTEXT (Rip/Rsp)"
#endif

#include "../os.h"

/* The guard `land` resumes into, set by the handler. */
static _Thread_local struct mmb__guard *volatile landing;
static INIT_ONCE install_once = INIT_ONCE_STATIC_INIT;

__attribute__((noreturn, noinline)) static void land(void)
{
	struct mmb__guard *g = landing;

	landing = NULL;
	__builtin_longjmp(g->jb, 1);
}

static LONG CALLBACK on_exception(EXCEPTION_POINTERS *ep)
{
	EXCEPTION_RECORD *er = ep->ExceptionRecord;
	struct mmb__guard *g;
	DWORD64 sp;

	if (er->NumberParameters < 2 ||
	    (er->ExceptionCode != EXCEPTION_IN_PAGE_ERROR &&
	     er->ExceptionCode != EXCEPTION_ACCESS_VIOLATION))
		return EXCEPTION_CONTINUE_SEARCH;
	/* [0] read/write/execute, [1] the address. */
	g = mmb__guard_claim((const void *)er->ExceptionInformation[1]);
	if (!g)
		return EXCEPTION_CONTINUE_SEARCH;
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

void mmb__os_guard_install(void)
{
	InitOnceExecuteOnce(&install_once, install, NULL, NULL);
}
