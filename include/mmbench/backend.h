/* mmbench/backend.h - the I/O backend ops table.
 *
 * A backend performs the reads and writes it is given; it never chooses
 * offsets (that is the workload's job) and never silently falls back to
 * another method: when it cannot run here, open() returns MMB_ESKIP and
 * writes the reason ("no huge pages reserved: echo N >
 * /proc/sys/vm/nr_hugepages") into `why`.
 *
 * One file per backend in backends/, each ending in one const struct
 * mmb_backend with designated initializers; backends/registry.c lists them.
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
};

enum mmb_backend_caps {
	MMB_CAP_READ = 1u << 0,
	MMB_CAP_WRITE = 1u << 1,
	MMB_CAP_MAPPED = 1u << 2, /* accesses go through a memory mapping */
	MMB_CAP_DIRECT = 1u << 3, /* bypasses the page cache */
};

struct mmb_backend {
	const char *name; /* as typed on the command line: "mmap-populate" */
	const char *help; /* one line for `mmbench list` */
	unsigned caps;	  /* enum mmb_backend_caps */

	/* Prepare to run on `path` (size bytes). *state is passed to every
	 * other hook. Returns 0, MMB_ESKIP with `why` filled, or MMB_E*. */
	int (*open)(const char *path, uint64_t size,
		    const struct mmb_backend_opts *o, void **state, char *why,
		    size_t whylen);
	/* Optional per-thread state (io_uring rings, windows). When NULL,
	 * read/write get the shared state. */
	int (*thread_open)(void *state, unsigned idx, void **tstate);
	void (*thread_close)(void *tstate);
	/* One op: return bytes moved (== len except at EOF) or MMB_E*. Called
	 * concurrently from `threads` threads. */
	long (*read)(void *tstate, void *buf, size_t len, uint64_t off);
	long (*write)(void *tstate, const void *buf, size_t len, uint64_t off);
	/* End-of-run durability according to o->sync. Optional. */
	int (*sync)(void *state);
	/* For mapped backends: the mapping, so the harness can read residency
	 * (mincore) and /proc/self/smaps for it. Optional. */
	void *(*mapping)(void *state, size_t *len);
	void (*close)(void *state);
};

/* The registry, NULL-terminated, in `mmbench list` order. */
extern const struct mmb_backend *const mmb_backends[];
/* Find a backend by name; NULL when unknown. */
const struct mmb_backend *mmb_backend_find(const char *name);

#ifdef __cplusplus
}
#endif
#endif
