/* SPDX-License-Identifier: MIT */
/* mmbench/backend.h - the I/O backend ops table.
 *
 * A backend performs the reads and writes it is given; it never chooses
 * offsets (that is the workload's job) and never silently falls back to
 * another method: when it cannot run here, open() returns MMB_ESKIP and
 * writes the reason ("no huge pages reserved: echo N >
 * /proc/sys/vm/nr_hugepages") into `why`.
 *
 * One file per backend in backends/, each ending in one const struct
 * mmb_backend mmb_backend_NAME with designated initializers; one X(NAME)
 * line in backends/registry.c lists it. The caps say what it serves and
 * decide which hooks it must have (mmb_backend_check) and what the runner
 * asks of it. fd-based backends build on backends/fd.c (open with flags
 * and advice, whole-length pread/pwrite, the sync policy, close).
 */
#ifndef MMB_BACKEND_H
#define MMB_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmb/map.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How writes are made durable at the end of a run (and, for "msync", after
 * every write). */
enum mmb_wsync {
	MMB_WSYNC_NONE,	       /* leave it to the kernel */
	MMB_WSYNC_MSYNC,       /* msync(MS_SYNC) / fdatasync after each write */
	MMB_WSYNC_MSYNC_ASYNC, /* msync(MS_ASYNC) after each write */
	MMB_WSYNC_FSYNC,       /* one fsync/msync(MS_SYNC) at end of run */
};
const char *mmb_wsync_name(enum mmb_wsync s);
int mmb_wsync_parse(const char *name); /* -1 when unknown */

/* How a read op's bytes are used (mmbench run --access). */
enum mmb_access_mode {
	/* The bytes are copied into the op's buffer (read/pread, or a
	 * memcpy out of a mapping); one 8-byte word of it is summed. */
	MMB_AM_COPY,
	/* Every byte is consumed where it lies: through .view on a mapping
	 * (MMB_CAP_VIEW), else read into the buffer and consumed there. */
	MMB_AM_INPLACE,
	/* One 8-byte load at the op's offset (a B-tree probe): through .view
	 * the mapping gives 8 bytes; other backends read the whole op. */
	MMB_AM_TOUCH,
	MMB_AM__COUNT
};
const char *mmb_access_mode_name(enum mmb_access_mode a); /* NULL: unknown */
int mmb_access_mode_parse(const char *name);		  /* -1 when unknown */

/* A file's identity: st_dev and st_ino on POSIX. */
struct mmb_file_id {
	bool set; /* false: no identity recorded, nothing is checked */
	uint64_t dev, ino;
};

struct mmb_backend_opts {
	size_t block_size;    /* largest single op, bytes */
	int advice;	      /* enum mmb_advice, or -1 for "do not advise" */
	uint64_t window_size; /* mmap-window: bytes per view (0 = default) */
	enum mmb_wsync sync;
	bool writable;	  /* the workload will write */
	unsigned threads; /* number of threads that will call read/write */
	const char
	    *hugetlb_dir; /* mmap-hugetlb: hugetlbfs mount (NULL = find) */
	/* The file the caller validated (the shared test file). When set,
	 * a backend opens path without following a symlink and refuses any
	 * other inode (MMB_EPERM): a file swapped since is never written. */
	struct mmb_file_id file_id;
	/* How the runner will use what reads return (informational: the
	 * runner calls .view or .read accordingly). */
	enum mmb_access_mode access;
	/* bufferpool: bytes of frames (0 = a quarter of the file). */
	uint64_t pool_size;
};

enum mmb_backend_caps {
	MMB_CAP_READ = 1u << 0,	  /* .read serves reads */
	MMB_CAP_WRITE = 1u << 1,  /* .write serves writes */
	MMB_CAP_MAPPED = 1u << 2, /* accesses go through a memory mapping */
	MMB_CAP_DIRECT = 1u << 3, /* bypasses the page cache */
	/* An op may be "not served": it returns MMB_EAGAIN instead of
	 * blocking (preadv2 RWF_NOWAIT on a page that is not cached). The
	 * runner counts it in the metric ops_not_served (not in ops), adds no
	 * bytes or checksum and goes on; without this cap MMB_EAGAIN, like
	 * every other short op, fails the backend's run. */
	MMB_CAP_NONBLOCK = 1u << 4,
	/* .view runs a consumer over an op's bytes where they lie (in the
	 * mapping), without a copy: --access inplace and touch use it. A
	 * read backend without it has its bytes copied into the buffer and
	 * consumed there, and is reported so (metric ops_viewed = 0). */
	MMB_CAP_VIEW = 1u << 5,
	/* Serves reads from a cache of its own in user memory (bufferpool):
	 * a page it holds is not read again, so a change to the file behind
	 * its back (another writer, a truncate) is not seen until the page
	 * is evicted. */
	MMB_CAP_USERCACHE = 1u << 6,
};

/* The consumer .view runs: the core's guarded function type (mmb/map.h).
 * p points at len bytes of the file, which fn must only read. */
typedef mmb_guard_fn mmb_view_fn;

/* One backend-specific metric of a repetition (struct mmb_backend's
 * .metrics hook): name is a JSON key ("remaps"), unit a word ("views",
 * "ops"); both static strings. */
struct mmb_backend_metric {
	const char *name;
	const char *unit;
	double value;
};

struct mmb_backend {
	const char *name; /* as typed on the command line: "mmap-populate" */
	const char *help; /* one line for `mmbench list` */
	unsigned caps;	  /* enum mmb_backend_caps */

	/* Prepare to run on `path` (size bytes). *state is passed to every
	 * other hook. Returns 0, MMB_ESKIP with `why` filled, or MMB_E*.
	 * Required. */
	int (*open)(const char *path, uint64_t size,
		    const struct mmb_backend_opts *o, void **state, char *why,
		    size_t whylen);
	/* Optional per-thread state (io_uring rings, windows). When NULL,
	 * read/write get the shared state. Both or neither. */
	int (*thread_open)(void *state, unsigned idx, void **tstate);
	void (*thread_close)(void *tstate);
	/* One op: return the bytes moved (== len except at the end of the
	 * file; a backend loops over short system calls itself) or MMB_E*.
	 * With MMB_CAP_NONBLOCK, MMB_EAGAIN means "not served": the op would
	 * have blocked, nothing counts as moved and buf's contents are
	 * unspecified. Called concurrently from `threads` threads. int64_t,
	 * not long: one op may move more than 2 GiB, also on Windows.
	 * read: required with MMB_CAP_READ; write: with MMB_CAP_WRITE (and
	 * only then). */
	int64_t (*read)(void *tstate, void *buf, size_t len, uint64_t off);
	int64_t (*write)(void *tstate, const void *buf, size_t len,
			 uint64_t off);
	/* Zero-copy read (MMB_CAP_VIEW, and only then): run fn over the
	 * file's bytes [off, off+len) where they lie, as one or more calls
	 * fn(p, n, arg) on consecutive pieces in file order (a sliding
	 * window splits at its boundaries), under the core's SIGBUS guard
	 * (mmb_map_guard): a file that shrank is MMB_ESIGBUS with the
	 * offset in the message, never a signal. Returns the bytes given
	 * to fn (== len except at the end of the file), fn's own negative
	 * code, or MMB_E*. Called concurrently as read is. */
	int64_t (*view)(void *tstate, size_t len, uint64_t off, mmb_view_fn fn,
			void *arg);
	/* End-of-run durability according to o->sync. Optional. */
	int (*sync)(void *state);
	/* For mapped backends: the mapping, so the harness can read residency
	 * (mincore) and /proc/self/smaps for it. Required with MMB_CAP_MAPPED
	 * unless the backend has thread_open (per-thread views, such as
	 * mmap-window's, are gone when the harness asks); may return NULL
	 * when nothing is mapped. */
	void *(*mapping)(void *state, size_t *len);
	/* Backend-specific metrics of the run since open, called once after
	 * every thread_close and before sync/close: fill out[0..max) and
	 * return how many (max >= 1). Names are [a-z0-9_] and must not be
	 * one of the common metric keys (the runner fails the backend
	 * otherwise); report the same names in every repetition. They land in
	 * the results per repetition as extra numeric keys of each benchmark
	 * entry and CSV columns (docs/results.md). Optional. */
	unsigned (*metrics)(void *state, struct mmb_backend_metric *out,
			    unsigned max);
	void (*close)(void *state); /* Required. */
	/* Optional, with MMB_CAP_VIEW (whole-file mappings): run fn(p, n,
	 * arg), where p holds the file's bytes [0, n) as .view gives them
	 * and a read of [off, off+len) is nothing but a copy out of p (the
	 * runner's fn, a thread's whole timed loop, copies and consumes
	 * from p itself), with that thread's accesses to the mapping
	 * guarded once for the call (mmb_map_guard_scope): .write and any
	 * .read or .view inside fn arm no guard per op. A bus error in the
	 * mapping abandons fn (its frame is not returned to) and scope
	 * returns MMB_ESIGBUS with the message .read would have given;
	 * otherwise fn's result. */
	int (*scope)(void *tstate, mmb_view_fn fn, void *arg);
};

/* Check b's hooks against its caps (name, help, open, close always; read
 * with MMB_CAP_READ; write exactly with MMB_CAP_WRITE; mapping with
 * MMB_CAP_MAPPED unless per-thread; view exactly with MMB_CAP_VIEW, which
 * needs MMB_CAP_READ; thread_open/thread_close in pairs; at least one of
 * READ and WRITE). Returns 0, or MMB_EINVAL with the first
 * problem in why ("backend 'x' is inconsistent: MMB_CAP_WRITE without a
 * write hook"). The runner checks every backend it is given. */
int mmb_backend_check(const struct mmb_backend *b, char *why, size_t whylen);

/* The registry, NULL-terminated, in `mmbench list` order. */
extern const struct mmb_backend *const mmb_backends[];
/* Find a backend by name; NULL when unknown. The first call checks every
 * registered backend (mmb_backend_check): an inconsistent one is refused,
 * NULL with the reason in mmb_errmsg() and on stderr, so a table that
 * forgot a hook fails at its first lookup, not in the middle of a run.
 * Thread-safe. */
const struct mmb_backend *mmb_backend_find(const char *name);

#ifdef __cplusplus
}
#endif
#endif
