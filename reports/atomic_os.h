/* SPDX-License-Identifier: MIT */
/* atomic_os.h - the platform half of atomic.c (internal to reports/):
 * a temp file beside the destination, made durable and renamed over it.
 * reports/posix/atomic.c (open O_EXCL, fsync, rename) and
 * reports/win/atomic.c (CreateFile CREATE_NEW, FlushFileBuffers,
 * MoveFileEx) implement it; CMake compiles the platform's one.
 *
 * Every function returns 0 or a negative MMB_E* with the failing call and
 * the raw OS error recorded (mmb_seterr). */
#ifndef MMB_REPORTS_ATOMIC_OS_H
#define MMB_REPORTS_ATOMIC_OS_H

#include <stddef.h>
#include <stdint.h>

struct mmb__tmpfile {
	char path[4096]; /* "DEST.tmp.XXXXXX" once created */
	intptr_t h;	 /* fd or HANDLE; -1 when closed */
};

/* Create and open a new, empty file named dest + ".tmp." + a unique
 * suffix, in dest's directory (so the rename stays on one file system). */
int mmb__tmp_create(struct mmb__tmpfile *t, const char *dest);
/* Write all of len bytes. */
int mmb__tmp_write(struct mmb__tmpfile *t, const void *data, size_t len);
/* Make the contents durable, close, and rename the temp file over dest
 * (replacing it). On failure the temp file is removed. */
int mmb__tmp_commit(struct mmb__tmpfile *t, const char *dest);
/* Close (if open) and remove the temp file; keeps the recorded error. */
void mmb__tmp_discard(struct mmb__tmpfile *t);
/* POSIX: replace the trailing "XXXXXX" of tmpl with a fresh suffix, as
 * mkstemp and mkdtemp do; the caller creates it with O_EXCL (or mkdir)
 * and the mode it means, which the umask then narrows. */
void mmb__unique_suffix(char *tmpl);
/* 1 when path names an existing directory, else 0. */
int mmb__path_is_dir(const char *path);

#endif
