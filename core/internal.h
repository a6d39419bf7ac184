/* SPDX-License-Identifier: MIT */
/* core/internal.h - state shared by the platform-independent core files. */
#ifndef MMB_CORE_INTERNAL_H
#define MMB_CORE_INTERNAL_H

#include <stdatomic.h>

#include "mmb/map.h"
#include "os.h"

/* Internal to libmmb: not exported from the shared library. */
#if defined(__GNUC__) && !defined(_WIN32)
#pragma GCC visibility push(hidden)
#endif

struct mmb_map {
	struct mmb__os_view view; /* view.base == NULL: not mapped */
	size_t delta;		  /* requested offset - mapped offset */
	uint64_t offset;	  /* file offset mmb_map_data() stands for */
	size_t size;		  /* bytes usable from offset */
	enum mmb_access access;
	unsigned flags; /* enum mmb_map_flags, reapplied on remap */
	int fd;		/* private duplicate for remaps; -1 for shm */
	bool unguarded; /* mmb_map_set_guard(m, false) */

	/* Sync policy. Writes may come from several threads (cursors on one
	 * map), so the shared bookkeeping is atomic. */
	enum mmb_sync_policy sync;
	unsigned interval_ms;
	_Atomic uint64_t last_flush_ms;
	atomic_bool dirty;
	_Atomic uint64_t flushes;
	uint64_t remaps;

	/* PERIODIC with an interval: on the flusher's list. All three are
	 * read and written under the global lock (flusher.c). */
	struct mmb_map *pnext;
	bool listed;
	uint64_t dirty_since_ms;
};

/* Allocate an unmapped map; fd (may be -1) becomes owned by it. */
int mmb__map_new(struct mmb_map **out, int fd, enum mmb_access access,
		 unsigned flags);
/* Map (offset, length) of m->fd into m, which must be unmapped. */
int mmb__map_view(struct mmb_map *m, uint64_t offset, uint64_t length);
/* Rounding granularity of m's addresses (page or huge page). */
size_t mmb__map_page(const struct mmb_map *m);

/* Flush what a LAZY or PERIODIC policy still owes (nothing otherwise). */
int mmb__map_settle(struct mmb_map *m);

/* The periodic flusher (flusher.c): one background thread per process,
 * running while at least one map is listed. add/remove list m (remove
 * waits for a flush of m in progress, so m can be unmapped afterwards);
 * kick tells it m just became dirty. lock/unlock keep it off every map
 * while a listed map's view is replaced. */
int mmb__flusher_add(struct mmb_map *m);
void mmb__flusher_remove(struct mmb_map *m);
void mmb__flusher_kick(struct mmb_map *m);
/* Times the thread woke up, since the process started (for tests). */
uint64_t mmb__flusher_wakeups(void);

/* Guarded access (guard.c). memcpy(dst, src, n) where one side lies
 * inside the view [lo, lo+lolen): a bus error raised inside that view
 * during the copy returns MMB_ESIGBUS instead of killing the process and
 * stores the faulting address in *fault. Faults elsewhere keep their
 * normal (or previously installed) handling. Thread-safe; guards nest (a
 * guarded call inside another one protects both views). `map` is passed
 * to mmb__guard_notify. Does not record an error context (the caller
 * knows the operation). */
int mmb__guarded_copy(void *dst, const void *src, size_t n, const void *lo,
		      size_t lolen, const struct mmb_map *map,
		      const void **fault);
/* fn(p, n, arg) under the same guard; returns what fn returns, or
 * MMB_ESIGBUS (and *fault) when the view faulted. scope: the guard is a
 * scope of map (mmb_map_guard_scope): map's guarded accesses inside fn on
 * this thread arm no guard of their own (mmb__guard_scoped). */
int mmb__guarded_call(mmb_guard_fn fn, void *p, size_t n, void *arg,
		      const void *lo, size_t lolen, const struct mmb_map *map,
		      bool scope, const void **fault);

/* The calling thread's innermost armed guard (guard.c). initial-exec: a
 * plain %fs-relative access even in libmmb.so, where the default
 * (global-dynamic) model would call __tls_get_addr per access (mingw's
 * emulated TLS ignores the model). volatile: written around the access,
 * read in the fault handler. */
#define MMB__GUARD_TLS _Thread_local __attribute__((tls_model("initial-exec")))
extern MMB__GUARD_TLS struct mmb__guard *volatile mmb__guard_armed;

/* Is the innermost guard of this thread a scope of m (the access needs no
 * guard of its own: a fault in m's view ends that scope)? The per-access
 * cost of a scope: one thread-local load and two compares. */
static inline bool mmb__guard_scoped(const struct mmb_map *m)
{
	const struct mmb__guard *g = mmb__guard_armed;

	return g && g->scope && g->map == m;
}
/* Run the process-wide callback (mmb_set_sigbus_callback) for a fault at
 * addr in map (map.c). Async-signal-safe. */
void mmb__guard_notify(const struct mmb_map *map, const void *addr);

/* lseek arithmetic (whence 0/1/2) with the result clamped to [0, size];
 * MMB_EINVAL for an unknown whence. */
int64_t mmb__seek(uint64_t pos, uint64_t size, int64_t off, int whence);

#if defined(__GNUC__) && !defined(_WIN32)
#pragma GCC visibility pop
#endif

#endif
