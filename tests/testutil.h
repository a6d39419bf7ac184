/* SPDX-License-Identifier: MIT */
/* testutil.h - temp dirs, whole files and child processes for the POSIX test
 * suites: mmb_add_test_suite(... UTIL) links tests/testutil.c. Every suite
 * that runs mmbench or writes scratch files uses these, so that a fix to
 * how a child's output is captured or a temp dir is removed is made once.
 */
#ifndef MMB_TESTS_TESTUTIL_H
#define MMB_TESTS_TESTUTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* mkdtemp() of "$TMPDIR/mmb-<tag>-XXXXXX" (/tmp without TMPDIR) into buf.
 * 0, or -1 with the reason on stderr. */
int th_mkdtemp(char *buf, size_t len, const char *tag);
/* The same in a malloc()ed string; NULL on failure. Free with
 * th_tmpdir_free. */
char *th_tmpdir(const char *tag);
/* th_rmtree and free() of a th_tmpdir() (NULL does nothing). */
void th_tmpdir_free(char *dir);
/* rm -rf of a directory the test made; NULL or "" does nothing. */
void th_rmtree(const char *path);
/* "<dir>/<name>" in one of 8 rotating static buffers: copy it to keep it
 * past 8 more calls. */
char *th_path(const char *dir, const char *name);

/* The whole file, NUL-terminated (free it); NULL if unreadable. *len gets
 * the size when len is not NULL. */
char *th_slurp(const char *path, size_t *len);
/* The file's text into buf (n bytes, NUL-terminated, cut to fit); ""
 * when unreadable. */
void th_slurp_into(const char *path, char *buf, size_t n);
/* Create or truncate path with len bytes of data; 0 or -1. */
int th_write(const char *path, const void *data, size_t len);
/* The number a file such as /proc/sys/vm/nr_hugepages starts with; -1
 * when unreadable. */
long th_read_long(const char *path);
/* Write v and a newline to path (such a /proc or /sys file); 0 or -1. */
int th_write_long(const char *path, long v);
/* Whether path exists (lstat: a dangling link counts). */
bool th_exists(const char *path);
/* The file's size, or -1. */
long th_size(const char *path);
/* Newlines in the file, or -1 if unreadable. */
int th_count_lines(const char *path);
/* Whether the file contains needle; prints the miss and the file. */
bool th_contains(const char *path, const char *needle);

/* Start argv[0] (a path, or a name searched in PATH) with stdin from
 * /dev/null and stdout and stderr into the files out and err (NULL:
 * /dev/null; the same path for both: one file, in the order written).
 * In the child, before exec, child(arg) runs when child is not NULL (to
 * set the environment or drop privileges). Returns the pid or -1. */
pid_t th_spawn(const char *const argv[], const char *out, const char *err,
	       void (*child)(void *arg), void *arg);
/* Wait for pid: its exit status, 128+signal when killed, -1 on error. */
int th_wait(pid_t pid);
/* th_spawn + th_wait, with PATH replaced by path_env when not NULL and the
 * child killed after timeout_s seconds (0: never). */
int th_run(const char *const argv[], const char *out, const char *err,
	   const char *path_env, int timeout_s);
/* argv[0] = exe, then first and the rest of the NULL-terminated *ap, then
 * NULL; at most max entries in all (the rest cut). Returns argv. */
const char **th_argv(const char **argv, size_t max, const char *exe,
		     const char *first, va_list *ap);

#endif
