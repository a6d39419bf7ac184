/* SPDX-License-Identifier: MIT */
/* guard.c - guarded access: a copy or a caller's function over a view that
 * survives the page under it going away (a file shrunk under a shared
 * mapping on POSIX, an unreadable page on Windows).
 *
 * This is the platform-independent half. Each thread arms a guard (a jump
 * buffer and the view's address range, on its stack) only around its
 * access; guards nest. The OS layer installs one process-wide fault
 * handler (core/posix/sigbus.c: SIGBUS; core/win/guard.c: a vectored
 * exception handler) which asks mmb__guard_claim whether the faulting
 * address lies in an armed view and, when it does, jumps back into the
 * guarded call with __builtin_longjmp(g->jb, 1). Any other fault is the
 * OS layer's to pass on.
 *
 * Cost per guarded call, no system call and no lock: one load of the
 * "installed" flag, __builtin_setjmp (three words: frame, stack, resume
 * address) and two thread-local stores.
 *
 * A scope (mmb_map_guard_scope) is a guard armed once around a whole loop
 * of accesses to one map: the accesses inside it see that the innermost
 * guard is a scope of their map (mmb__guard_scoped: one thread-local load
 * and a compare) and arm nothing; a fault anywhere in the view jumps back
 * to the scope, abandoning the loop. In a loop of 4 KiB copies out of a
 * warm mapping the per-access guard cost mmap-populate 7-8 % of its ops/s
 * (issue 13), more than its few instructions: a scope costs the loop
 * nothing measurable (bench/access.c, access/copy4k/paired).
 */
#include <stdatomic.h>
#include <string.h>

#include "internal.h"

/* volatile: written around the access, read in the fault handler.
 * initial-exec: a plain %fs-relative access even in libmmb.so, where the
 * default (global-dynamic) model would call __tls_get_addr per access
 * (mingw's emulated TLS ignores the model). */
MMB__GUARD_TLS struct mmb__guard *volatile mmb__guard_armed;
#define armed mmb__guard_armed
static atomic_bool installed;

struct mmb__guard *mmb__guard_claim(const void *addr)
{
	const char *a = addr;

	for (struct mmb__guard *g = armed; g && a; g = g->prev) {
		if (a < g->lo || a >= g->hi)
			continue;
		armed = g->prev;
		g->fault = a;
		mmb__guard_notify(g->map, a);
		return g;
	}
	return NULL;
}

/* Fill g as the innermost of this thread's guards (not armed yet: the
 * caller sets its jump buffer first); the handler once per process,
 * after that a single load. */
static inline void guard_init(struct mmb__guard *g, const void *lo,
			      size_t lolen, const struct mmb_map *map)
{
	if (!atomic_load_explicit(&installed, memory_order_acquire)) {
		mmb__os_guard_install();
		atomic_store_explicit(&installed, true, memory_order_release);
	}
	g->lo = lo;
	g->hi = (const char *)lo + lolen;
	g->map = map;
	g->fault = NULL;
	g->prev = armed;
	g->scope = false;
}

/* volatile orders the stores to `armed` only against other volatile
 * accesses; the fences keep the compiler from moving the access's loads
 * and stores out of the armed region. */
static inline void arm(struct mmb__guard *g)
{
	armed = g;
	atomic_signal_fence(memory_order_seq_cst);
}

static inline void disarm(struct mmb__guard *g)
{
	atomic_signal_fence(memory_order_seq_cst);
	armed = g->prev;
}

int mmb__guarded_copy(void *dst, const void *src, size_t n, const void *lo,
		      size_t lolen, const struct mmb_map *map,
		      const void **fault)
{
	struct mmb__guard g;

	if (n == 0)
		return 0;
	guard_init(&g, lo, lolen, map);
	if (__builtin_setjmp(g.jb)) {
		*fault = g.fault;
		return MMB_ESIGBUS;
	}
	arm(&g);
	memcpy(dst, src, n);
	disarm(&g);
	return 0;
}

int mmb__guarded_call(mmb_guard_fn fn, void *p, size_t n, void *arg,
		      const void *lo, size_t lolen, const struct mmb_map *map,
		      bool scope, const void **fault)
{
	struct mmb__guard g;
	int rc;

	guard_init(&g, lo, lolen, map);
	g.scope = scope;
	if (__builtin_setjmp(g.jb)) {
		*fault = g.fault;
		return MMB_ESIGBUS;
	}
	arm(&g);
	rc = fn(p, n, arg);
	disarm(&g);
	return rc;
}
