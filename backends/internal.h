/* SPDX-License-Identifier: MIT */
/* backends/internal.h - helpers shared by the backends; not public.
 *
 * Every backend's open() fills `why` on any failure (not only on
 * MMB_ESKIP), so the CLI can print one line without looking further.
 */
#ifndef MMB_BACKENDS_INTERNAL_H
#define MMB_BACKENDS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmbench/backend.h"

/* printf into why (when non-NULL) and return code. */
int mmb__why(int code, char *why, size_t whylen, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* Copy the calling thread's last error message into why, prefixed with
 * the backend name; returns code. For failures recorded by the core or by
 * mmb_seterr. */
int mmb__why_err(int code, const char *backend, char *why, size_t whylen);

/* Open path for a backend: O_RDWR when o->writable, else O_RDONLY, plus
 * extra flags (O_DIRECT). Returns the fd or a negative MMB_E* with `why`
 * filled. */
int mmb__open_file(const char *backend, const char *path,
		   const struct mmb_backend_opts *o, int extra_flags, char *why,
		   size_t whylen);

/* o->advice as posix_fadvise on fd (pread-style backends). -1 = nothing.
 * Advice with no fadvise equivalent (free, remove, hugepage, nohugepage)
 * is MMB_EINVAL: silently ignoring it would mislabel the result. */
int mmb__fadvise(const char *backend, int fd, const struct mmb_backend_opts *o,
		 char *why, size_t whylen);

/* ---- file-descriptor backends (fd.c): pread, pread-direct, io_uring,
 * preadv2-nowait. A backend's state starts with a struct mmb__fd; a plain
 * one is nothing but it, so the hooks below fit its table directly. ---- */

struct mmb__fd {
	int fd;
	enum mmb_wsync sync;
};

/* Largest single read(2)/write(2) on Linux (MAX_RW_COUNT): INT_MAX
 * rounded down to a page. Longer ops are split. */
#define MMB__FD_MAX_RW ((size_t)0x7ffff000)

/* Open path for backend (mmb__open_file with extra_flags), then apply
 * o->advice (mmb__fadvise). f->sync = o->sync. 0 or MMB_E* with `why`
 * filled and nothing left open. */
int mmb__fd_open(struct mmb__fd *f, const char *backend, const char *path,
		 const struct mmb_backend_opts *o, int extra_flags, char *why,
		 size_t whylen);
/* Allocate a state of `size` bytes (>= sizeof(struct mmb__fd), zeroed)
 * starting with a struct mmb__fd opened by mmb__fd_open: the whole open
 * hook of a plain fd backend. */
int mmb__fd_state_open(const char *backend, const char *path,
		       const struct mmb_backend_opts *o, int extra_flags,
		       size_t size, void **state, char *why, size_t whylen);
/* The per-write sync policy after n bytes were written at off:
 * MMB_WSYNC_MSYNC = fdatasync, MMB_WSYNC_MSYNC_ASYNC = sync_file_range
 * (start write-back of the range), others nothing. 0 or MMB_E*. */
int mmb__fd_wsync(const struct mmb__fd *f, uint64_t off, uint64_t n);
/* pread/pwrite len bytes at off, retrying EINTR and splitting at
 * MMB__FD_MAX_RW, until len or the end of the file (a short chunk).
 * `what` names the call in the error ("pread(O_DIRECT"). Bytes or MMB_E*. */
int64_t mmb__fd_pread_full(int fd, void *buf, size_t len, uint64_t off,
			   const char *what);
int64_t mmb__fd_pwrite_full(int fd, const void *buf, size_t len, uint64_t off,
			    const char *what);
/* Hooks for a state that starts with struct mmb__fd: buffered read, write
 * (+ mmb__fd_wsync), end-of-run fsync for MMB_WSYNC_FSYNC, and close (also
 * frees the state). */
int64_t mmb__fd_read(void *state, void *buf, size_t len, uint64_t off);
int64_t mmb__fd_write(void *state, const void *buf, size_t len, uint64_t off);
int mmb__fd_sync(void *state);
void mmb__fd_close(void *state);

/* Read the first line of a small text file (sysfs, procfs) into buf
 * without the newline. Returns 0 or a negative MMB_E*. */
int mmb__read_line(const char *path, char *buf, size_t n);

/* ---- whole-file mappings (mapped.c), shared by the mmap-* backends ---- */

struct mmb__mapped {
	struct mmb_map *m;
	char *base;	/* mmb_map_data(m) */
	uint64_t size;	/* bytes readable: the file's size */
	size_t map_len; /* bytes mapped (>= size for hugetlb rounding) */
	size_t page;	/* page size for msync alignment */
	enum mmb_wsync sync;
	bool writable;
	char *path; /* the mapped file, for the SIGBUS message; may be NULL */
};

/* Map the whole of path with map flags (enum mmb_map_flags), RDWR when
 * o->writable, then apply o->advice to the whole mapping. */
int mmb__mapped_open(const char *backend, const char *path, uint64_t size,
		     const struct mmb_backend_opts *o, unsigned flags,
		     void **state, char *why, size_t whylen);
/* Wrap an existing mapping (ownership passes in, also on failure). */
int mmb__mapped_wrap(const char *backend, struct mmb_map *m, uint64_t size,
		     const struct mmb_backend_opts *o, bool writable,
		     void **state, char *why, size_t whylen);
int64_t mmb__mapped_read(void *state, void *buf, size_t len, uint64_t off);
int64_t mmb__mapped_write(void *state, const void *buf, size_t len,
			  uint64_t off);
/* rc unless it is MMB_ESIGBUS; then record "file shrank to N bytes during
 * the run (was M), bus error at offset X" from the core's message and the
 * size path has now (was 0: not known) and return rc. */
int mmb__shrank(const char *path, uint64_t was, int rc);
/* The view hook (MMB_CAP_VIEW): fn over the mapping, guarded. */
int64_t mmb__mapped_view(void *state, size_t len, uint64_t off, mmb_view_fn fn,
			 void *arg);
/* The scope hook: fn under mmb_map_guard_scope of the mapping. */
int mmb__mapped_scope(void *state, mmb_view_fn fn, void *arg);
int mmb__mapped_sync(void *state);
void *mmb__mapped_mapping(void *state, size_t *len);
void mmb__mapped_close(void *state);

/* The hooks of a whole-file mapping backend: all of them are mapped.c's,
 * only open (how the mapping is made) differs, and every one runs its
 * timed loop in the guard scope. A read-only one (mmap-hugetlb, whose
 * mapping is a copy) takes MMB__MAPPED_RO_HOOKS; a read-write one .caps =
 * MMB__MAPPED_CAPS, .open = X_open, MMB__MAPPED_HOOKS. */
#define MMB__MAPPED_CAPS \
	(MMB_CAP_READ | MMB_CAP_WRITE | MMB_CAP_MAPPED | MMB_CAP_VIEW)
#define MMB__MAPPED_RO_HOOKS                                        \
	.read = mmb__mapped_read, .view = mmb__mapped_view,         \
	.mapping = mmb__mapped_mapping, .close = mmb__mapped_close, \
	.scope = mmb__mapped_scope
#define MMB__MAPPED_HOOKS                                 \
	MMB__MAPPED_RO_HOOKS, .write = mmb__mapped_write, \
			      .sync = mmb__mapped_sync

#endif
