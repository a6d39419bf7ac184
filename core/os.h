/* SPDX-License-Identifier: MIT */
/* core/os.h - the operating-system primitives the mapping core needs.
 *
 * core/posix/ implements these with mmap/madvise/msync/mincore/sigaction,
 * core/win/ with CreateFileMapping/MapViewOfFile/VirtualLock. Everything
 * above this line (bounds checks, handle state, cursors, windows, sync
 * policies, rounding) lives in the .c files of core/ and is shared.
 *
 * Conventions:
 * - Every function returning int returns 0 or a negative MMB_E* code and
 *   has already recorded the failing call with mmb_seterr().
 * - A file is named by an int descriptor (a CRT descriptor on Windows;
 *   _get_osfhandle gives the HANDLE).
 * - Offsets passed to mmb__os_map are already multiples of the allocation
 *   granularity (or of the huge page size with MMB_MAP_HUGETLB); addresses
 *   and lengths passed to advise/flush/lock/resident are already page
 *   aligned. The OS layer does no rounding of its own.
 * - No POSIX or Windows types appear here.
 */
#ifndef MMB_CORE_OS_H
#define MMB_CORE_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmb/map.h"

/* Internal to libmmb: not exported from the shared library. */
#if defined(__GNUC__) && !defined(_WIN32)
#pragma GCC visibility push(hidden)
#endif

/* ---- system facts (computed once, cached by the caller) ----------------- */

size_t mmb__os_page_size(void);
/* Mapping offsets must be multiples of this (page size / 64 KiB). */
size_t mmb__os_alloc_granularity(void);
/* Default huge page size, 0 when the system has none. */
size_t mmb__os_huge_page_size(void);
/* Monotonic clock in milliseconds (for the periodic sync policy). */
uint64_t mmb__os_now_ms(void);

/* ---- files -------------------------------------------------------------- */

/* How mmb__os_open opens: CREATE makes a missing file (permission bits
 * `mode`, 0 = 0644, before the umask; ignored on Windows), EXCL with
 * CREATE fails with MMB_EEXIST when it exists. */
enum {
	MMB__OPEN_CREATE = 1u << 0,
	MMB__OPEN_EXCL = 1u << 1,
	MMB__OPEN_EXEC = 1u << 2, /* the file will be mapped executable */
};
/* Open path for `access` (READ and COW open read-only, RDWR read-write). */
int mmb__os_open(const char *path, enum mmb_access access, unsigned how,
		 unsigned mode, int *fd);
/* Private duplicate of fd (close-on-exec), kept by a mapping for remaps. */
int mmb__os_dup(int fd, int *out);
void mmb__os_close(int fd);
int mmb__os_file_size(int fd, uint64_t *size);
/* Set the file's size (ftruncate / SetEndOfFile). */
int mmb__os_truncate(int fd, uint64_t size);
/* 0 when fd can be mapped with huge pages (POSIX: it is on hugetlbfs),
 * else the error, recorded with the reason: MMB_EINVAL for a file that is
 * not on hugetlbfs, MMB_ENOTSUP where the OS has no huge pages for files. */
int mmb__os_hugetlb_ok(int fd);
/* Advisory whole-file lock (flock semantics: per open file description).
 * MMB_EAGAIN when !wait and someone else holds it. */
int mmb__os_file_lock(int fd, bool exclusive, bool wait);
int mmb__os_file_unlock(int fd);

/* ---- views -------------------------------------------------------------- */

struct mmb__os_view {
	void *base;   /* start of the view, NULL when unmapped */
	size_t len;   /* bytes mapped from base */
	void *handle; /* OS object backing the view (Windows section); the
			 POSIX layer leaves it NULL */
};

/* Map [off, off+len) of fd. flags: MMB_MAP_POPULATE, MMB_MAP_HUGETLB and
 * MMB_MAP_EXEC are handled here; the other MMB_MAP_* flags are applied by the
 * core through mmb__os_advise / mmb__os_lock. */
int mmb__os_map(struct mmb__os_view *v, int fd, enum mmb_access access,
		uint64_t off, size_t len, unsigned flags);
/* Unmap; v is reset to all-zero. Unmapping an empty view is a no-op. */
int mmb__os_unmap(struct mmb__os_view *v);
/* MMB_ENOTSUP for advice this OS has no equivalent for. */
int mmb__os_advise(void *addr, size_t len, enum mmb_advice a);
int mmb__os_flush(void *addr, size_t len, bool async);
/* msync(MS_INVALIDATE); 0 where views are always coherent (Windows). */
int mmb__os_invalidate(void *addr, size_t len);
/* Size of the file at path. */
int mmb__os_path_size(const char *path, uint64_t *size);
int mmb__os_lock(void *addr, size_t len);
int mmb__os_unlock(void *addr, size_t len);
/* Count the pages of [addr, addr+len) resident in memory. */
int mmb__os_resident(void *addr, size_t len, size_t *pages);

/* Create (exclusive, `*size` bytes, permission bits `mode`) or open (size
 * read back into *size) a named shared-memory object and map all of it,
 * read-write or (access READ, open only) read-only. The caller's bytes
 * start *delta bytes into the view (a header page on Windows, 0 on
 * POSIX). */
int mmb__os_shm_map(struct mmb__os_view *v, const char *name, bool create,
		    enum mmb_access access, unsigned mode, uint64_t *size,
		    size_t *delta);
int mmb__os_shm_remove(const char *name);

/* ---- fault-guarded access ------------------------------------------- */

/* One armed guard (core/guard.c arms it around a guarded access, on the
 * accessing thread's stack). */
struct mmb__guard {
	void *jb[5];	     /* __builtin_setjmp buffer */
	const char *lo, *hi; /* the view */
	const struct mmb_map *map;
	const char *volatile fault;
	struct mmb__guard *prev; /* the guard this one is nested in */
	/* A scope (mmb_map_guard_scope): guarded accesses of `map` inside
	 * it arm no guard of their own (mmb__guard_scoped). */
	bool scope;
};

/* Install the process-wide handler for bus errors (SIGBUS /
 * EXCEPTION_IN_PAGE_ERROR) once; thread-safe, later calls do nothing.
 * The handler passes the faulting address of each such fault to
 * mmb__guard_claim and, given a guard, resumes with
 * __builtin_longjmp(g->jb, 1) (the guarded call then returns
 * MMB_ESIGBUS); faults no guard claims keep their normal (or previously
 * installed) handling. */
void mmb__os_guard_install(void);
/* Called by the OS layer's handler, on the faulting thread: the innermost
 * guard armed on this thread whose view holds addr, now disarmed with the
 * fault recorded and the process-wide callback run (mmb__guard_notify);
 * NULL when addr (NULL: unknown) lies in no armed view.
 * Async-signal-safe. Defined by the core (guard.c). */
struct mmb__guard *mmb__guard_claim(const void *addr);

/* ---- mutex -------------------------------------------------------------- */

struct mmb__os_mutex;
int mmb__os_mutex_new(struct mmb__os_mutex **out);
void mmb__os_mutex_free(struct mmb__os_mutex *mu);
void mmb__os_mutex_lock(struct mmb__os_mutex *mu);
void mmb__os_mutex_unlock(struct mmb__os_mutex *mu);

/* ---- the process-wide lock, condition and threads (periodic flusher) -- */

/* One lock and one condition for the whole process, usable without set-up
 * (statically initialized or initialized once on first use). */
void mmb__os_global_lock(void);
void mmb__os_global_unlock(void);
/* With the global lock held: release it, sleep until woken or timeout_ms
 * passed (UINT64_MAX: no timeout), take it again. May wake spuriously. */
void mmb__os_global_wait(uint64_t timeout_ms);
/* Wake every waiter (call with the lock held). */
void mmb__os_global_wake(void);
/* Called in the child after fork() (POSIX), with the global lock held
 * and usable: the parent's threads do not exist there. Defined by the
 * core (flusher.c). */
void mmb__global_forked(void);

struct mmb__os_thread;
/* Start fn(arg) on a new thread. */
int mmb__os_thread_start(struct mmb__os_thread **out, void (*fn)(void *),
			 void *arg);
/* Wait for it to end and free it. */
void mmb__os_thread_join(struct mmb__os_thread *t);
/* Free t without joining (a forked child, where the thread is not). */
void mmb__os_thread_forget(struct mmb__os_thread *t);

#if defined(__GNUC__) && !defined(_WIN32)
#pragma GCC visibility pop
#endif

#endif
