/* SPDX-License-Identifier: MIT */
/* report_os.h - the platform half of the report and the gate (internal to
 * reports/): an in-memory stream, the report's directories, and running
 * gnuplot. reports/posix/report_os.c (open_memstream, mkdtemp, nftw,
 * renameat2, fork + execlp) and reports/win/report_os.c (a delete-on-close
 * temp file, CreateDirectory, FindFirstFile, MoveFileEx, SearchPath +
 * CreateProcess) implement it; CMake compiles the platform's one.
 *
 * Functions taking err/errlen put a one-line message there (the failing
 * call and the OS error) and return 0 or a negative MMB_E*. */
#ifndef MMB_REPORTS_REPORT_OS_H
#define MMB_REPORTS_REPORT_OS_H

#include <stddef.h>
#include <stdio.h>

/* A stream whose contents end up in one malloc'd buffer. */
struct mmb__membuf {
	FILE *f;
	char *buf; /* after mmb__membuf_close: len bytes + NUL, or NULL */
	size_t len;
};

/* Open m->f; 0 or MMB_ENOMEM/MMB_EIO with errno set. */
int mmb__membuf_open(struct mmb__membuf *m);
/* Close m->f and leave what was written in m->buf (free it); 0, or -1
 * with errno set (m->buf NULL). */
int mmb__membuf_close(struct mmb__membuf *m);

/* What is at path, for a report's output directory. */
enum mmb__dir_state {
	MMB__DIR_ABSENT,
	MMB__DIR_NOT_DIR, /* exists and is not a directory (or a link) */
	MMB__DIR_EMPTY,
	MMB__DIR_FULL, /* a directory with entries */
};
int mmb__dir_probe(const char *path, enum mmb__dir_state *st, char *err,
		   size_t errlen);
/* Create a new directory from tmpl ending in "XXXXXX" (replaced), readable
 * by everyone (a report is meant to be shared). */
int mmb__dir_mktemp(char *tmpl, char *err, size_t errlen);
int mmb__dir_make(const char *path, char *err, size_t errlen);
/* Remove a directory tree we created; best effort, never follows links. */
void mmb__dir_remove(const char *path);
/* Move directory tmp to dest. dest_exists: dest is a previous report,
 * replaced (in one step where the OS can; else moved aside first and put
 * back on failure) and removed. */
int mmb__dir_install(const char *tmp, const char *dest, int dest_exists,
		     char *err, size_t errlen);

/* Where reports need gnuplot: 0 when a gnuplot executable is in PATH.
 * Else, on a platform where the report must have plots, MMB_ENOENT with
 * err naming the package to install; on one where the tables are enough
 * (Windows), 0 with note saying that plots need gnuplot and where to get
 * it (note is "" when gnuplot was found). */
int mmb__gnuplot_find(char *note, size_t notelen, char *err, size_t errlen);
/* Run `gnuplot script` in dir and wait. 0 when it exited 0; else MMB_EIO
 * with gnuplot's own stderr (on one line) in err, or the spawn's error. */
int mmb__gnuplot_run(const char *dir, const char *script, char *err,
		     size_t errlen);

#endif
