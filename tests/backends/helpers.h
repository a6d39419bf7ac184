/* SPDX-License-Identifier: MIT */
/* helpers.h - fixtures shared by the backend tests: a temp dir with a
 * pattern file, and readers of /proc/self/smaps and pagemap. */
#ifndef MMB_TEST_BACKENDS_HELPERS_H
#define MMB_TEST_BACKENDS_HELPERS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmbench/backend.h"

#define MiB (1024ull * 1024)

/* A mkdtemp dir holding one pattern file. */
struct fx {
	char dir[PATH_MAX];
	char path[PATH_MAX + 16];
	uint64_t size;
};

/* The byte at file offset i of a pattern file (seeded by `seed`):
 * position-dependent, so a read from the wrong offset shows. */
uint8_t pat_byte(uint64_t i, uint32_t seed);
/* Fill buf with the pattern for [off, off+len). */
void pat_fill(void *buf, size_t len, uint64_t off, uint32_t seed);

/* Create the dir and a file of `size` pattern bytes (seed 0). 0 or -1. */
int fx_setup(struct fx *f, uint64_t size);
/* Remove the file and the dir. */
void fx_teardown(struct fx *f);
/* fx_setup(size), body on it, fx_teardown: body's 0, 1 or 77; 1 when the
 * setup fails. */
int fx_run(uint64_t size, int (*body)(struct fx *f));

/* FNV-1a over len bytes, continuing from h (start with FNV_INIT). */
#define FNV_INIT 14695981039346656037ull
uint64_t fnv(uint64_t h, const void *p, size_t len);

/* Defaults for a run: block 4096, no advice, no sync, read-only. */
struct mmb_backend_opts test_opts(void);

/* Open backend `name`; 0 on success, 77 when it skips here (reason
 * printed), 1 on any other failure (message printed). */
int bk_open(const struct mmb_backend *b, const char *path, uint64_t size,
	    const struct mmb_backend_opts *o, void **state);

/* bk_open, then the backend's thread_open for thread 0 into *ts (*ts =
 * *state when it has none); a failed thread_open closes the state,
 * prints why and returns 1. Undo with bk_close_thread. */
int bk_open_thread(const struct mmb_backend *b, const char *path, uint64_t size,
		   const struct mmb_backend_opts *o, void **state, void **ts);
/* thread_close(ts) when the backend has thread_open (they pair), then
 * close(state). */
void bk_close_thread(const struct mmb_backend *b, void *state, void *ts);

/* The read-comparison test of test_read.c for backend b (window size for
 * mmap-window; the others ignore it): 0, 1 or 77. */
int read_test(const struct mmb_backend *b, uint64_t window);

/* Run fn(b, arg) for every registered backend whose caps include `caps`,
 * saying which passed, skipped (the reason printed by fn) or failed: 1
 * when one failed, 77 when every one skipped, else 0. */
int for_each_backend(unsigned caps, const char *what,
		     int (*fn)(const struct mmb_backend *b, uint64_t arg),
		     uint64_t arg);

/* Drop path's pages from the page cache (fdatasync + POSIX_FADV_DONTNEED);
 * read it whole so that it is cached. Best effort. */
void evict(const char *path);
void warm(const char *path);

/* Value in kB of `field` ("FilePmdMapped") of the smaps entry of the VMA
 * that starts at addr; -1 when not found. With flags non-NULL, also copies
 * the VmFlags line into it. */
long smaps_field(const void *addr, const char *field, char *flags,
		 size_t flagslen);

/* Number of pages of [addr, addr+len) whose page-table entry is present
 * (/proc/self/pagemap bit 63); -1 on error. */
long pagemap_present(const void *addr, size_t len);

/* Minor page faults of the process so far. */
long minor_faults(void);

#endif
