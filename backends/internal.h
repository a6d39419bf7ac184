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

/* The registered backends, one per file. */
extern const struct mmb_backend mmb_backend_pread;
extern const struct mmb_backend mmb_backend_pread_direct;
extern const struct mmb_backend mmb_backend_io_uring;
extern const struct mmb_backend mmb_backend_mmap;
extern const struct mmb_backend mmb_backend_mmap_populate;
extern const struct mmb_backend mmb_backend_mmap_4k;
extern const struct mmb_backend mmb_backend_mmap_thp;
extern const struct mmb_backend mmb_backend_mmap_hugetlb;
extern const struct mmb_backend mmb_backend_mmap_window;

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
long mmb__mapped_read(void *state, void *buf, size_t len, uint64_t off);
long mmb__mapped_write(void *state, const void *buf, size_t len, uint64_t off);
int mmb__mapped_sync(void *state);
void *mmb__mapped_mapping(void *state, size_t *len);
void mmb__mapped_close(void *state);

#endif
