/* SPDX-License-Identifier: MIT */
/* mmb/map.h - the mapping core: mapped files, windows, cursors, helpers.
 *
 * A struct mmb_map is one mapped view of a file (or of a shared-memory
 * object). The caller asks for any (offset, length); the library rounds the
 * offset down to the page size (POSIX) or allocation granularity (Windows)
 * and hides the delta, so mmb_map_data() points at exactly `offset`.
 *
 * The caller's file descriptor is not needed once the mapping exists: the
 * file can be closed and the mapping stays valid until mmb_map_close(). (The
 * mapping keeps a private close-on-exec duplicate so mmb_map_remap() can map
 * another range of the same file; each open mapping holds one descriptor.)
 *
 * Conventions, for every function below unless its comment says otherwise:
 * - Errors: 0 (or a count) on success, a negative MMB_E* code on failure
 *   (error.h; = -errno on POSIX, Windows errors translated), and the
 *   calling thread's error context (mmb_errmsg) names the failing call
 *   and the OS error. Bad arguments (NULL out-pointers or paths, unknown
 *   enum values) are MMB_EINVAL; a NULL or unmapped handle is
 *   MMB_ENOTMAPPED. Nothing is changed by a call that fails, except where
 *   a comment says what is left behind.
 * - Ownership: an object returned through an out-pointer belongs to the
 *   caller, who releases it with the matching close/free (which accept
 *   NULL). Pointers into a mapping (mmb_map_data, mmb_map_ptr) belong to
 *   the mapping and die with its next remap, resize or close. Buffers
 *   passed in are only used during the call.
 * - Thread-safety: a struct mmb_map may be read and written (accessors,
 *   mmb_map_read/write/guard/ptr/flush/advise, stores through its
 *   pointer) from many threads at once; calls that replace or free its
 *   view (remap, resize, close, set_sync, set_guard) need external
 *   exclusion against every other use. struct mmb_cursor and struct
 *   mmb_window take an internal lock and may be shared. The error context
 *   is per thread.
 * - Platforms: POSIX means Linux here (mmap, madvise, msync, mincore,
 *   shm_open, flock); Windows is core/win (CreateFileMapping,
 *   MapViewOfFile, FlushViewOfFile, VirtualLock, named sections,
 *   LockFileEx). Differences are listed per function as "Windows:".
 */
#ifndef MMB_MAP_H
#define MMB_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- alignment helpers -------------------------------------------------- */

/* System facts, read once and cached; thread-safe, never fail.
 * System page size in bytes (4096 on x86-64). */
size_t mmb_page_size(void);
/* Default huge page size (2 MiB on x86-64), 0 if the system has none.
 * POSIX: Hugepagesize of /proc/meminfo. Windows: GetLargePageMinimum (but
 * no file view can use large pages, see MMB_MAP_HUGETLB). */
size_t mmb_huge_page_size(void);
/* Granularity of mapping offsets: page size on POSIX, 64 KiB on Windows. */
size_t mmb_alloc_granularity(void);
/* Round down/up to a multiple of `align` (a power of two); pure. */
static inline uint64_t mmb_align_down(uint64_t v, uint64_t align)
{
	return v & ~(align - 1);
}
static inline uint64_t mmb_align_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}
static inline bool mmb_is_aligned(uint64_t v, uint64_t align)
{
	return (v & (align - 1)) == 0;
}

/* ---- mappings ----------------------------------------------------------- */

enum mmb_access {
	MMB_ACCESS_READ, /* read-only; writes fail with MMB_EREADONLY */
	MMB_ACCESS_RDWR, /* read-write, shared: stores reach the file */
	MMB_ACCESS_COW,	 /* copy-on-write (private): stores never reach it */
};

enum mmb_map_flags {
	MMB_MAP_POPULATE = 1u << 0,   /* prefault everything at map time
					 (Windows: prefetch + touch) */
	MMB_MAP_HUGETLB = 1u << 1,    /* hugetlbfs file: MAP_HUGETLB; size and
					 offset must be huge-page multiples
					 (Windows: MMB_ENOTSUP) */
	MMB_MAP_THP = 1u << 2,	      /* madvise(MADV_HUGEPAGE) after mapping
					 (Windows: MMB_ENOTSUP) */
	MMB_MAP_NOHUGEPAGE = 1u << 3, /* madvise(MADV_NOHUGEPAGE): 4 KiB only */
	MMB_MAP_WILLNEED = 1u << 4,   /* preload: madvise(MADV_WILLNEED)
					 (Windows: PrefetchVirtualMemory) */
	MMB_MAP_LOCK = 1u << 5,	      /* mlock the mapping (Windows:
					 VirtualLock, growing the working
					 set as needed) */
	MMB_MAP_CREATE = 1u << 6,     /* create the file if missing (RDWR) */
	MMB_MAP_EXEC = 1u << 7,	      /* also executable (PROT_EXEC; Windows
					 PAGE_EXECUTE_*): MMB_EPERM on a
					 noexec mount */
};

enum mmb_advice {
	MMB_ADV_NORMAL,
	MMB_ADV_SEQUENTIAL,
	MMB_ADV_RANDOM,
	MMB_ADV_WILLNEED,
	MMB_ADV_DONTNEED,
	MMB_ADV_FREE,
	MMB_ADV_REMOVE,
	MMB_ADV_HUGEPAGE,
	MMB_ADV_NOHUGEPAGE,
	MMB_ADV__COUNT
};

/* Name of an advice ("random") and the reverse; -1/NULL when unknown.
 * Static strings; pure, thread-safe. */
const char *mmb_advice_name(enum mmb_advice a);
int mmb_advice_parse(const char *name);

struct mmb_map_opts {
	enum mmb_access access; /* default (0) is read-only */
	unsigned flags;		/* enum mmb_map_flags */
	uint64_t offset;	/* any value; rounded internally */
	uint64_t length;	/* 0 = from offset to end of file */
	uint64_t size;		/* with MMB_MAP_CREATE or for RDWR: grow/set the
				   file to this size first (0 = leave it) */
	unsigned mode;		/* with MMB_MAP_CREATE: permission bits of a
				   new file before the umask (0 = 0644);
				   ignored on Windows (ACLs) */
};

struct mmb_map;

/* Map `path` as described by `o` (NULL = whole file, read-only). On success
 * *out owns the mapping (mmb_map_close). The file is opened close-on-exec
 * (Windows: a non-inheritable handle, shared for read, write and delete).
 * Errors: open's (MMB_ENOENT, MMB_EACCES, ...), MMB_EINVAL (CREATE or
 * size without RDWR, THP with NOHUGEPAGE, unknown access), MMB_EBADOFF
 * (offset at or past the end, empty file, length past the end),
 * MMB_EALIGN (hugetlb offset/length/size not huge-page multiples),
 * MMB_EINVAL (HUGETLB on a file not on hugetlbfs), MMB_ENOTSUP (feature
 * missing here: Windows HUGETLB/THP), MMB_ENOMEM (hugetlb pool empty: the
 * message says how to reserve pages), MMB_EPERM (EXEC on a noexec mount),
 * MMB_EMFILE (no descriptor left for the mapping's own). Nothing is left
 * behind on failure (a file CREATE made stays). Thread-safe. */
int mmb_map_open(struct mmb_map **out, const char *path,
		 const struct mmb_map_opts *o);
/* Same, from an open file descriptor (a CRT descriptor on Windows), which
 * the caller keeps and may close right after this returns (the map
 * duplicates it). MMB_MAP_CREATE has no effect. Errors as mmb_map_open,
 * and MMB_EBADF. With MMB_MAP_EXEC on Windows the descriptor's handle
 * must have execute access (else MMB_EACCES). */
int mmb_map_fd(struct mmb_map **out, int fd, const struct mmb_map_opts *o);
/* Unmap and free m (NULL: 0). Takes m off the periodic flusher first and
 * flushes what a LAZY or PERIODIC policy still owes. Returns that flush's
 * or munmap's error, but frees m in every case. Cursors over m must be
 * freed before; not thread-safe against any other use of m. */
int mmb_map_close(struct mmb_map *m);

/* Accessors: never fail, no error context, thread-safe (they read fields;
 * async-signal-safe, so a SIGBUS callback may call them). NULL or an
 * unmapped map (after a failed remap) gives false / NULL / 0.
 * True when m is non-NULL and currently mapped. */
bool mmb_map_valid(const struct mmb_map *m);
/* Pointer to the byte at the requested offset; NULL when not mapped.
 * Owned by m; valid until its next remap, resize or close. A store or
 * load through it past the end of a file that shrank raises SIGBUS:
 * mmb_map_guard makes such code safe. */
void *mmb_map_data(const struct mmb_map *m);
/* Bytes mapped from the requested offset on. */
size_t mmb_map_size(const struct mmb_map *m);
/* File offset the data pointer stands for (kept across a failed remap). */
uint64_t mmb_map_offset(const struct mmb_map *m);
/* The access mode (READ for NULL). */
enum mmb_access mmb_map_access(const struct mmb_map *m);
/* Number of times mmb_map_remap()/mmb_map_resize() replaced the view. */
uint64_t mmb_map_remaps(const struct mmb_map *m);

/* Bounds-checked pointer to [off, off+len) relative to the mapping start,
 * owned by m as mmb_map_data's. MMB_EBADOFF when the range is not wholly
 * inside; MMB_ENOTMAPPED. Thread-safe; *out untouched on failure. */
int mmb_map_ptr(const struct mmb_map *m, uint64_t off, size_t len, void **out);

/* Copy in/out with SIGBUS protection: if the file shrank under the mapping
 * (Windows: a page cannot be read in), return MMB_ESIGBUS, with the
 * faulting file offset in the message, instead of killing the process;
 * bytes before the fault may have been copied. Offsets are relative to
 * the mapping start; the range must be inside it (MMB_EBADOFF).
 * mmb_map_write on a read-only map returns MMB_EREADONLY and applies the
 * sync policy after the copy (its flush error is returned). Thread-safe
 * (concurrent writes to the same bytes race as plain stores do). The
 * process-wide callback runs for their faults too. */
int mmb_map_read(struct mmb_map *m, uint64_t off, void *buf, size_t len);
int mmb_map_write(struct mmb_map *m, uint64_t off, const void *buf, size_t len);

/* ---- guarded access: bus errors as error codes ------------------------- */

/* A caller's function run over a mapped range by mmb_map_guard: p points
 * at the range, len is its length, arg is passed through. Return 0 or a
 * negative code of your own; it becomes mmb_map_guard's result. */
typedef int (*mmb_guard_fn)(void *p, size_t len, void *arg);

/* Run fn(ptr, len, arg) over [off, off+len) of m (offsets relative to the
 * mapping start, as everywhere) with bus errors turned into an error code:
 * if the file shrank under the mapping (POSIX SIGBUS) or a page of the
 * view cannot be read in (Windows EXCEPTION_IN_PAGE_ERROR), fn is
 * abandoned where it faulted and MMB_ESIGBUS is returned, with the
 * offset of the faulting byte (relative to the mapping start) in
 * *fault_off (may be NULL) and in the error context. Otherwise returns
 * what fn returned. Bounds: MMB_EBADOFF when the range is not wholly
 * inside, MMB_ENOTMAPPED; fn is then not called.
 *
 * fn may touch any byte of the view (faults anywhere in m's view are
 * caught, not only in [off, off+len)), may call mmb_map_guard,
 * mmb_map_read or mmb_map_write itself (guards nest), but must not remap
 * or close m. Abandoning fn is a longjmp out of it: fn must not hold a
 * lock, own memory or be in a C++ frame with destructors at the faulting
 * access, and anything it wrote before the fault stays written.
 *
 * Cost: no system call, no lock, no allocation per call (a thread-local
 * armed jump buffer; the core/guard benchmarks of bench/core.c measure it).
 * Thread-safe: any number of threads may guard ranges of one map at once. The
 * first guarded access of the process installs a SIGBUS handler that passes
 * every other SIGBUS on to the handler installed before it. Guarded
 * calls must not run inside a signal handler themselves.
 *
 * With protection off for m (mmb_map_set_guard), fn runs unguarded and a
 * bus error kills the process as for a plain pointer access. */
int mmb_map_guard(struct mmb_map *m, uint64_t off, size_t len, mmb_guard_fn fn,
		  void *arg, uint64_t *fault_off);

/* A guard armed once around a whole loop of accesses: run fn(ptr, len,
 * arg) over all of m (ptr = mmb_map_data(m), len = mmb_map_size(m)) under
 * mmb_map_guard's protection, and let the calling thread's mmb_map_read,
 * mmb_map_write and mmb_map_guard on m inside fn arm no guard of their own
 * (they check one thread-local pointer instead): a bus error in m's view
 * during one of them, or in any access of fn to the view, abandons fn as a
 * whole, not only that call, and mmb_map_guard_scope returns MMB_ESIGBUS
 * with the fault's offset (relative to the mapping start) in *fault_off
 * (may be NULL) and in the error context. Otherwise returns what fn
 * returned. MMB_ENOTMAPPED for a NULL or unmapped m, MMB_EINVAL for a NULL
 * fn (fn is then not called).
 *
 * For a loop of many small accesses, where arming per call costs more
 * than its instructions (bench/access.c measures both). The rules of
 * mmb_map_guard apply to fn, and one more: abandoning fn discards its
 * frame, so what the caller needs after a fault (how far the loop got)
 * must be stored outside fn's locals as it goes. Guards armed inside fn
 * (mmb_map_guard on another map, or inside a nested mmb_map_guard_scope
 * of another map) work as usual; accesses of m inside them arm their own
 * guard again. Thread-safe as mmb_map_guard; the scope covers only the
 * calling thread. With protection off for m, fn runs unguarded. */
int mmb_map_guard_scope(struct mmb_map *m, mmb_guard_fn fn, void *arg,
			uint64_t *fault_off);

/* Protection on (the default) or off for m's mmb_map_guard, mmb_map_read
 * and mmb_map_write, and for cursors and windows over it. Off saves the
 * guard's few nanoseconds per call where the file can never shrink.
 * Returns MMB_ENOTMAPPED for NULL. Not thread-safe against accesses to m
 * in flight: set it before sharing m. */
int mmb_map_set_guard(struct mmb_map *m, bool on);

/* What the process-wide callback learns about a bus error it caught. */
struct mmb_sigbus_info {
	const struct mmb_map *map; /* the mapping whose view faulted */
	uint64_t offset;	   /* faulting byte, relative to map start */
	const void *addr;	   /* faulting address */
};
typedef void (*mmb_sigbus_fn)(const struct mmb_sigbus_info *info, void *arg);

/* Install (fn non-NULL) or remove (NULL) a process-wide callback, run for
 * every bus error a guarded access of any mapping catches, before that
 * access returns MMB_ESIGBUS. It runs on the faulting thread inside the
 * SIGBUS handler (POSIX) or the vectored exception handler (Windows), so
 * it must be async-signal-safe: write(2), atomic or volatile sig_atomic_t
 * stores, and of libmmb only mmb_map_data/size/offset/access/valid (they
 * only read fields) are allowed; no malloc, stdio, locks, longjmp, and it
 * must not close or remap the map. It cannot stop the access from failing;
 * faults outside guarded accesses never reach it. fn and arg are stored
 * together atomically; one callback for the whole process (a later call
 * replaces it). Thread-safe; replacing it while another thread's fault is
 * being handled is safe unless it is replaced twice during that one
 * handler. Windows: runs in the vectored exception handler, under the
 * same rules. */
void mmb_set_sigbus_callback(mmb_sigbus_fn fn, void *arg);

/* Replace the view with (offset, length) of the same file (length 0 = to
 * end of file as it is now). Used after the file grew or shrank, and by
 * windows. Pointers obtained before are invalid afterwards. A LAZY or
 * PERIODIC sync policy flushes the old view first (its error is returned
 * and the old view kept). The old view is unmapped before the new one is
 * mapped: if mapping fails (e.g. MMB_EBADOFF), m stays unmapped
 * (mmb_map_valid() false, MMB_ENOTMAPPED from accessors and cursors)
 * until a later remap succeeds. MMB_ENOTSUP for named shared memory. The
 * flags given at open (populate, advice, lock) are applied again. Not
 * thread-safe against other use of m (the periodic flusher is kept off
 * it meanwhile). */
int mmb_map_remap(struct mmb_map *m, uint64_t offset, uint64_t length);

/* Set the file's size to `size` and map [offset, new end of file) again,
 * as one call (the workflow's ftruncate + remap): flushes what the sync
 * policy owes, unmaps, truncates or extends the file (new bytes read as
 * zeros; sparse where the file system allows), maps. Pointers obtained
 * before are invalid afterwards; the offset is kept, the length becomes
 * "to the end". Counts as a remap. Errors: MMB_ENOTMAPPED (NULL),
 * MMB_EREADONLY (READ or COW map: the file is not open for writing),
 * MMB_EBADOFF (size <= the map's offset: nothing would be left to map;
 * nothing is changed), MMB_ENOTSUP (named shared memory), the truncate's
 * or map's OS error (then m is left unmapped, as after a failed remap).
 * Windows refuses to shrink a file another view of it still maps
 * (MMB_EBUSY). Not thread-safe against other use of m. */
int mmb_map_resize(struct mmb_map *m, uint64_t size);

/* Size of an open file (fstat / GetFileSizeEx): the workflow's lseek
 * step, before choosing what to map. Errors: MMB_EBADF, OS errors. */
int mmb_file_size(int fd, uint64_t *size);
/* The same by path (stat). Errors: MMB_ENOENT, MMB_EACCES, OS errors. */
int mmb_path_size(const char *path, uint64_t *size);

/* Drop the mapping's cached view of [off, off+len) so later reads see the
 * file as it is now (msync(MS_INVALIDATE)); len 0 = to end. On Linux the
 * page cache is already coherent between mappings and read/write, so
 * this matters for other systems and for portable code; it fails with
 * MMB_EBUSY on a locked (mlock) range. Windows views of a file are
 * always coherent with each other and with ReadFile/WriteFile: 0, nothing
 * done. Errors: MMB_ENOTMAPPED, MMB_EBADOFF. Thread-safe. */
int mmb_map_invalidate(struct mmb_map *m, uint64_t off, uint64_t len);

/* Advice on [off, off+len) relative to the mapping start, rounded out to
 * whole pages; len 0 = to end. Errors: MMB_EBADOFF, MMB_ENOTMAPPED,
 * MMB_EINVAL (unknown advice; POSIX: MADV_FREE on a file mapping, which
 * the kernel refuses), madvise's errors. Windows: NORMAL and NOHUGEPAGE
 * succeed (views have no other state), WILLNEED is PrefetchVirtualMemory,
 * DONTNEED is VirtualUnlock (MMB_ENOTSUP on copy-on-write views), the
 * rest MMB_ENOTSUP. MMB_ADV_REMOVE frees the file's blocks (destructive).
 * Thread-safe. */
int mmb_map_advise(struct mmb_map *m, enum mmb_advice a, uint64_t off,
		   uint64_t len);
/* Write dirty pages of [off, off+len) back (rounded out to pages; len 0 =
 * to end): synchronously (MS_SYNC) or asynchronously (MS_ASYNC, which on
 * Linux only schedules). Copy-on-write maps: 0, nothing to do. Errors:
 * MMB_EBADOFF, MMB_ENOTMAPPED, msync's (MMB_EIO for a write error).
 * Windows: FlushViewOfFile, plus FlushFileBuffers (data and metadata) when
 * synchronous. Thread-safe. Does not count in mmb_map_flushes (only the
 * policy's flushes do). */
int mmb_map_flush(struct mmb_map *m, uint64_t off, uint64_t len, bool async);
/* Pin / unpin the whole mapping in memory (mlock/munlock through the raw
 * system calls; Windows VirtualLock/VirtualUnlock, growing the working set
 * minimum when the quota is too small). Errors: MMB_ENOTMAPPED, MMB_EPERM
 * / MMB_ENOMEM / MMB_EAGAIN (RLIMIT_MEMLOCK), Windows MMB_ENOMEM.
 * Unlocking what is not locked succeeds. A remap drops the lock (unless
 * MMB_MAP_LOCK asks for it again). Thread-safe. */
int mmb_map_lock(struct mmb_map *m);
int mmb_map_unlock(struct mmb_map *m);

/* Fraction of the mapping's pages resident in memory, 0..1, or a negative
 * MMB_E* (MMB_ENOTMAPPED, MMB_ENOMEM). POSIX: mincore, i.e. in the page
 * cache whether or not this process touched them. Windows: pages in this
 * process's working set (QueryWorkingSetEx), which can be lower.
 * Thread-safe. */
double mmb_map_resident(const struct mmb_map *m);

/* When writes through mmb_map_write / cursors / windows reach the disk
 * (stores through mmb_map_data/mmb_map_ptr are not seen by the policy:
 * flush them with mmb_map_flush). */
enum mmb_sync_policy {
	MMB_SYNC_NEVER, /* never flush; the kernel writes back when it likes */
	MMB_SYNC_IMMEDIATE, /* synchronous flush of the written range per write
			     */
	MMB_SYNC_PERIODIC,  /* flush the whole view at most interval_ms after
			       the first write since the last flush */
	MMB_SYNC_LAZY,	    /* flush everything once, at close/remap */
};
/* Set m's policy. PERIODIC with interval_ms > 0 is served by one
 * background thread per process, started by the first such map and
 * stopped (joined) when the last one leaves the policy or is closed: it
 * sleeps without a timeout while no periodic map is dirty (no wake-ups
 * when idle), and until the earliest deadline otherwise; a write that
 * makes a clean map dirty is the only one that takes its lock. So data
 * written once is on disk within interval_ms even if nothing else
 * happens. PERIODIC with 0 ms flushes the whole view in the writing
 * thread after every write. LAZY and PERIODIC flush what is still dirty
 * at remap, at close and when the policy is changed. Copy-on-write maps
 * accept every policy but never flush (nothing of theirs can reach the
 * file).
 *
 * Errors: MMB_EINVAL (unknown policy), MMB_ENOTMAPPED (NULL), the flush's
 * error when leaving a policy that still owed one (the old policy then
 * stays), MMB_ENOMEM or the thread creation's error for PERIODIC.
 * Thread-safety: not safe against concurrent writes to m; set the policy
 * before sharing the map. The flusher thread blocks every signal, and a
 * forked child has no flusher (set the policy again there). A failing
 * background flush is retried one interval later (its error is not
 * reported; call mmb_map_flush to see it). */
int mmb_map_set_sync(struct mmb_map *m, enum mmb_sync_policy p,
		     unsigned interval_ms);
/* Number of flushes the sync policy performed (the background thread's
 * included). Thread-safe. */
uint64_t mmb_map_flushes(const struct mmb_map *m);

/* ---- cursor: sequential read/write over a mapping, thread-safe ---------- */

struct mmb_cursor;

/* Create a cursor at position 0 over m, which it borrows: m must outlive
 * it (free the cursor first). *out is the caller's (mmb_cursor_free).
 * Errors: MMB_ENOTMAPPED (m NULL or unmapped), MMB_ENOMEM. Every cursor
 * call takes the cursor's lock, so threads may share one cursor: each
 * read/write moves a whole piece at a position no other thread got. */
int mmb_cursor_new(struct mmb_cursor **out, struct mmb_map *m);
/* Free c (NULL ok); m is untouched. Not thread-safe against use of c. */
void mmb_cursor_free(struct mmb_cursor *c);
/* Read/write up to len bytes at the position and advance; truncated at the
 * end of the mapping (the map's size now, so a remap that shrank it
 * clamps the position). Returns bytes moved (0 at end) or a negative
 * MMB_E*, and then the position does not move: MMB_ENOTMAPPED when the
 * map is unmapped (a remap failed), MMB_ESIGBUS (file shrank under the
 * map), MMB_EREADONLY (write to a read-only map, even of 0 bytes), the
 * sync policy's flush error (the bytes were written, but the position
 * stays). len is capped to LONG_MAX. */
long mmb_cursor_read(struct mmb_cursor *c, void *buf, size_t len);
long mmb_cursor_write(struct mmb_cursor *c, const void *buf, size_t len);
/* Seek like lseek (whence 0=SET, 1=CUR, 2=END); the result is clamped to
 * [0, size]. Returns the new position, MMB_EINVAL for another whence, or
 * MMB_ENOTMAPPED (map unmapped; the position is kept). */
int64_t mmb_cursor_seek(struct mmb_cursor *c, int64_t off, int whence);
/* The position (0 for NULL). */
uint64_t mmb_cursor_tell(struct mmb_cursor *c);

/* ---- sliding window over a file larger than one view -------------------- */

struct mmb_window;

/* Open path through a window of window_size bytes (0 = 1 GiB default;
 * rounded up to the granularity, or to the huge page size with
 * MMB_MAP_HUGETLB). Reads and writes are clamped to the file's size, which
 * is read at open and again whenever an access reaches past the size last
 * seen, or on a seek from the end, so growth of the file is seen. An
 * access to a part the file lost since returns MMB_ESIGBUS once and
 * re-reads the size, so later accesses are clamped to the new end. A
 * copy-on-write window keeps every view it wrote through mapped (sliding
 * away and back returns the private bytes; memory grows with the windows
 * written), and such a kept view does not see growth of its own window.
 * Access modes and flags as for mmb_map_open, except
 * MMB_MAP_CREATE (MMB_EINVAL). Nothing is mapped until the first access.
 * Errors: open errors, MMB_EBADOFF for an empty file, MMB_EINVAL
 * (unknown access, a size that rounds past 2^64), MMB_ENOTSUP (HUGETLB
 * without huge pages). *out is the caller's (mmb_window_close). Windows:
 * sizes round to 64 KiB. The calls that move
 * data or the position (pread/pwrite/read/write/seek) and set_sync take
 * the window's lock, so one window may be shared by threads (they then
 * serialize; give each thread its own window to scale). The counters and
 * mmb_window_map() read without the lock, to stay cheap inside timed
 * loops: call them, and close, from the thread that uses the window or
 * after the threads sharing it are done. */
int mmb_window_open(struct mmb_window **out, const char *path,
		    enum mmb_access access, uint64_t window_size,
		    unsigned flags);
/* Close w (NULL: 0): flushes what its policy owes, unmaps every view.
 * Returns the flush's/unmap's error, frees w in every case. */
int mmb_window_close(struct mmb_window *w);
/* The file's size as last seen (see above; 0 for NULL). */
uint64_t mmb_window_file_size(const struct mmb_window *w);
/* Copy from/to the file at absolute offset off, remapping the window as
 * needed. Truncated at end of file (0 at or past it). Returns bytes moved
 * or MMB_E*: MMB_EREADONLY, MMB_ESIGBUS (file shrank: the window's view
 * faulted), a map or flush error (then nothing of the current piece was
 * moved; pieces before it were). Writes never extend the file. */
long mmb_window_pread(struct mmb_window *w, void *buf, size_t len,
		      uint64_t off);
long mmb_window_pwrite(struct mmb_window *w, const void *buf, size_t len,
		       uint64_t off);
/* Cursor-style access: read/write at the position and advance by the
 * bytes moved; seek as mmb_cursor_seek, clamped to the file's size (END
 * re-reads it). */
long mmb_window_read(struct mmb_window *w, void *buf, size_t len);
long mmb_window_write(struct mmb_window *w, const void *buf, size_t len);
int64_t mmb_window_seek(struct mmb_window *w, int64_t off, int whence);
/* How many views were mapped: the first map counts, then one per remap.
 * Window k covers file bytes [k*size, (k+1)*size); an access spanning a
 * window boundary is split and maps each window it touches in turn. */
uint64_t mmb_window_remaps(const struct mmb_window *w);
/* The current view (NULL before first access). Owned by the window; valid
 * until the next access or mmb_window_close; do not remap or close it. */
struct mmb_map *mmb_window_map(struct mmb_window *w);
/* Window size in bytes after rounding. */
uint64_t mmb_window_size(const struct mmb_window *w);
/* Sync policy for writes through the window (see mmb_map_set_sync); it
 * carries over remaps, and LAZY flushes each window as it is left.
 * Errors as mmb_map_set_sync's. Takes the window's lock. */
int mmb_window_set_sync(struct mmb_window *w, enum mmb_sync_policy p,
			unsigned interval_ms);
/* Flushes performed by the window's sync policy so far (0 before the
 * first access). */
uint64_t mmb_window_flushes(const struct mmb_window *w);

/* ---- shared memory (POSIX shm / Windows named mappings / files) -------- */

enum mmb_shm_flags {
	MMB_SHM_CREATE = 1u << 0,   /* create it (exclusive: MMB_EEXIST when
				       the name exists) with opts.size bytes */
	MMB_SHM_READONLY = 1u << 1, /* open and map it read-only (writes
				       return MMB_EREADONLY); not with CREATE */
	MMB_SHM_FILE = 1u << 2,	    /* name is a file path (under /dev/shm, or
				       any file system), not a shm name */
};

struct mmb_shm_opts {
	unsigned flags; /* enum mmb_shm_flags */
	unsigned mode;	/* with CREATE: permission bits before the umask
			   (0 = 0600); ignored on Windows */
	uint64_t size;	/* with CREATE: size in bytes (> 0) */
};

/* Create or open a shared-memory object and map all of it, shared, into
 * *out (owned by the caller; mmb_map_close unmaps it). Named objects
 * ("/mmb-ipc": POSIX shm_open, Windows a named paging-file section) live
 * until removed (mmb_shm_remove) and, on Windows, until the last handle
 * to them closes. With MMB_SHM_FILE the object is the file at the path
 * (created with CREATE, sized, and then mapped as by mmb_map_open; remove
 * it with remove()/unlink()); it can be remapped, named objects cannot.
 * Any process mapping the same name or path sees the same bytes; order
 * the accesses with mmb_file_lock on a file, or a process-shared mutex
 * inside the object. mmb_map_size reports the exact size the creator
 * asked for, on both systems (Windows rounds sections to pages; libmmb
 * keeps the size in a 4 KiB header page before the data of sections it
 * creates, so mmb_map_data is still page aligned).
 *
 * Errors: MMB_EINVAL (NULL, CREATE without a size, CREATE with READONLY,
 * unknown flags), MMB_EEXIST (CREATE, name taken), MMB_ENOENT (open, no
 * such name), MMB_EACCES (mode forbids it), MMB_EBADOFF (open of an empty
 * object), OS errors. Thread-safe (no shared state). */
int mmb_shm_map(struct mmb_map **out, const char *name,
		const struct mmb_shm_opts *o);
/* Shorthands: create (exclusive, read-write, mode 0600) and open
 * (read-write) a named object; errors as mmb_shm_map's. */
int mmb_shm_create(struct mmb_map **out, const char *name, size_t size);
int mmb_shm_open(struct mmb_map **out, const char *name);
/* mmb_map_flush of all of it: for MMB_SHM_FILE objects this writes the
 * file back; named objects have no file behind them (other processes see
 * stores at once without it), so it succeeds and changes nothing they
 * see. Thread-safe. */
int mmb_shm_sync(struct mmb_map *m);
/* Remove the name of a named object; existing mappings stay valid, and
 * new opens fail with MMB_ENOENT (MMB_ENOENT when there is no such name).
 * Windows: a name goes away only with its last handle (each view holds
 * one): this closes this process's handles to it, and when this process
 * had none but another has, returns MMB_EBUSY. Closing the last view of
 * an object on Windows removes it as well. Thread-safe. */
int mmb_shm_remove(const char *name);

/* ---- advisory file lock ------------------------------------------------- */

/* Lock the whole file, shared or exclusive; wait=false returns MMB_EAGAIN
 * when another holder has it, wait=true blocks (retrying after EINTR).
 * POSIX: flock, so the lock belongs to the open file description: two
 * open()s of one file in one process exclude each other, dup()ed and
 * forked descriptors share it. Windows: LockFileEx on the whole range,
 * held by the handle, and mandatory: other handles' reads and writes of
 * the file fail while it is locked exclusively (mappings are not
 * affected). Errors: MMB_EBADF, MMB_EAGAIN, OS errors. Unlocking what is
 * not locked succeeds. Thread-safe. */
int mmb_file_lock(int fd, bool exclusive, bool wait);
int mmb_file_unlock(int fd);

#ifdef __cplusplus
}
#endif
#endif
