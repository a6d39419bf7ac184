/* SPDX-License-Identifier: MIT */
/* mmb/error.h - error codes and the last-error context of the mmb library.
 *
 * Every function of the library returns 0 (or a count) on success and a
 * negative MMB_E* code on failure. On POSIX, MMB_EXXX == -EXXX, so a raw
 * errno value can be passed through unchanged. Codes that no OS defines
 * (MMB_ENOTMAPPED, MMB_ESIGBUS, ...) live below MMB__ECUSTOM.
 *
 * A failing call also records, per thread, the name of the system call or
 * operation that failed, its arguments in words, and the raw OS error
 * (errno on POSIX, GetLastError() on Windows). mmb_errmsg() formats it as
 * "mmap(offset=4096, len=1 GiB): Cannot allocate memory".
 */
#ifndef MMB_ERROR_H
#define MMB_ERROR_H

#include <errno.h>

#ifdef __cplusplus
extern "C" {
#endif

/* X(NAME, errno value, message). One list so the enum and mmb_strerror()
 * cannot drift apart. */
#define MMB_OS_ERRORS(X)                                                 \
	X(EPERM, EPERM, "operation not permitted")                       \
	X(ENOENT, ENOENT, "no such file or directory")                   \
	X(ENXIO, ENXIO, "no such device or address")                     \
	X(EINTR, EINTR, "interrupted system call")                       \
	X(EIO, EIO, "input/output error")                                \
	X(EBADF, EBADF, "bad file descriptor")                           \
	X(EAGAIN, EAGAIN, "resource temporarily unavailable")            \
	X(ENOMEM, ENOMEM, "cannot allocate memory")                      \
	X(EACCES, EACCES, "permission denied")                           \
	X(EFAULT, EFAULT, "bad address")                                 \
	X(EBUSY, EBUSY, "device or resource busy")                       \
	X(EEXIST, EEXIST, "file exists")                                 \
	X(ENODEV, ENODEV, "no such device")                              \
	X(ENOTDIR, ENOTDIR, "not a directory")                           \
	X(EISDIR, EISDIR, "is a directory")                              \
	X(EINVAL, EINVAL, "invalid argument")                            \
	X(ENFILE, ENFILE, "too many open files in system")               \
	X(EMFILE, EMFILE, "too many open files")                         \
	X(ETXTBSY, ETXTBSY, "text file busy")                            \
	X(EFBIG, EFBIG, "file too large")                                \
	X(ENOSPC, ENOSPC, "no space left on device")                     \
	X(ESPIPE, ESPIPE, "illegal seek")                                \
	X(EROFS, EROFS, "read-only file system")                         \
	X(ERANGE, ERANGE, "result out of range")                         \
	X(ENAMETOOLONG, ENAMETOOLONG, "file name too long")              \
	X(ENOSYS, ENOSYS, "system call not available here")              \
	X(EOVERFLOW, EOVERFLOW, "value too large for defined data type") \
	X(ENOTSUP, ENOTSUP, "operation not supported")

#define MMB__ECUSTOM 4000
#define MMB_CUSTOM_ERRORS(X)                                              \
	X(ENOTMAPPED, MMB__ECUSTOM + 1, "not mapped")                     \
	X(EBADOFF, MMB__ECUSTOM + 2, "offset or length outside the file") \
	X(EREADONLY, MMB__ECUSTOM + 3, "write to a read-only mapping")    \
	X(ESIGBUS, MMB__ECUSTOM + 4,                                      \
	  "SIGBUS: mapped file shrank under the mapping")                 \
	X(EALIGN, MMB__ECUSTOM + 5, "offset or size not aligned")         \
	X(ESKIP, MMB__ECUSTOM + 6, "not available on this machine")       \
	X(EPARSE, MMB__ECUSTOM + 7, "malformed input")

enum mmb_error {
	MMB_OK = 0,
#define MMB__ENUM(name, value, msg) MMB_##name = -(value),
	MMB_OS_ERRORS(MMB__ENUM) MMB_CUSTOM_ERRORS(MMB__ENUM)
#undef MMB__ENUM
};

/* Short message for an MMB_E* code (or any -errno). Never NULL; static. */
const char *mmb_strerror(int err);

/* Name of the code, e.g. "MMB_ENOENT"; "MMB_E?" for unknown. Static. */
const char *mmb_errname(int err);

/* Per-thread context of the last failure recorded by the library. */
struct mmb_errctx {
	int code;	/* negative MMB_E* code */
	long os_error;	/* raw errno or GetLastError(); 0 if none */
	char call[160]; /* "mmap(offset=4096, len=1 GiB)" */
};

/* The calling thread's last error context. Valid until the thread's next
 * failing library call. Never NULL. */
const struct mmb_errctx *mmb_last_error(void);

/* Format the calling thread's last error as "call: message" into buf and
 * return buf. */
const char *mmb_errmsg(char *buf, unsigned long n);

/* Record an error (used by the library and by backends). Returns code so
 * callers can write `return mmb_seterr(MMB_EINVAL, 0, "open(%s)", p);`. */
int mmb_seterr(int code, long os_error, const char *fmt, ...)
#if defined(__MINGW32__)
    /* mingw's "printf" checks msvcrt rules, which reject %zu */
    __attribute__((format(gnu_printf, 3, 4)))
#elif defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Clear the calling thread's error context. */
void mmb_clearerr(void);

#ifdef __cplusplus
}
#endif
#endif
