/* SPDX-License-Identifier: MIT */
/* backends/win/readfile.c - ReadFile/WriteFile at explicit offsets (an
 * OVERLAPPED structure on a synchronous handle: the Windows pread/pwrite),
 * through the system file cache: the read/write baseline the "winview"
 * backend is compared against.
 *
 * Each thread gets its own handle (thread_open): the I/O manager serializes
 * synchronous I/O on one handle, which pread on Linux does not.
 *
 * Advice: normal, sequential and random become FILE_FLAG_SEQUENTIAL_SCAN /
 * FILE_FLAG_RANDOM_ACCESS at open; the rest have no ReadFile equivalent and
 * fail open() with MMB_ENOTSUP. Sync: "msync" = FlushFileBuffers after each
 * write (fdatasync), "fsync" = one FlushFileBuffers at the end;
 * "msync-async" (sync_file_range: start write-back without waiting) has no
 * Windows equivalent and fails open() with MMB_ENOTSUP.
 */
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0A00
#endif
#include <windows.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/win/winerr.h"
#include "win.h"

#define RF     "readfile"
#define ULL(x) ((unsigned long long)(x))
/* ReadFile moves at most a DWORD at a time; stay well inside it. */
#define RF_CHUNK (1u << 30)

/* What read/write need; the open state starts with one, and every thread
 * gets its own. */
struct rf_handle {
	HANDLE h;
	enum mmb_wsync sync;
};

struct rf_state {
	struct rf_handle main; /* first: read/write may get the open state */
	wchar_t *wpath;
	DWORD access, flags;
};

/* Record GetLastError() (read before anything can overwrite it). */
static int rf_fail(const char *fmt, ...)
    __attribute__((format(gnu_printf, 1, 2)));
static int rf_fail(const char *fmt, ...)
{
	DWORD e = GetLastError();
	char call[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(call, sizeof(call), fmt, ap);
	va_end(ap);
	return mmb_seterr(mmb__win_error(e), (long)e, "%s", call);
}

static HANDLE rf_create(const struct rf_state *s)
{
	return CreateFileW(
	    s->wpath, s->access,
	    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
	    OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL | s->flags, NULL);
}

static int rf_flags(const struct mmb_backend_opts *o, DWORD *flags, char *why,
		    size_t whylen)
{
	const char *name;

	switch (o->advice) {
	case -1:
	case MMB_ADV_NORMAL:
		*flags = 0;
		return 0;
	case MMB_ADV_SEQUENTIAL:
		*flags = FILE_FLAG_SEQUENTIAL_SCAN;
		return 0;
	case MMB_ADV_RANDOM:
		*flags = FILE_FLAG_RANDOM_ACCESS;
		return 0;
	default:
		name = o->advice >= 0 && o->advice < MMB_ADV__COUNT
			   ? mmb_advice_name(o->advice)
			   : NULL;
		return mmb__why(MMB_ENOTSUP, why, whylen,
				RF ": advice '%s' has no ReadFile equivalent; "
				   "use normal, sequential or random",
				name ? name : "(unknown)");
	}
}

static int rf_open(const char *path, uint64_t size,
		   const struct mmb_backend_opts *o, void **state, char *why,
		   size_t whylen)
{
	struct rf_state *s;
	int n, rc;

	(void)size;
	if (o->sync == MMB_WSYNC_MSYNC_ASYNC)
		return mmb__why(MMB_ENOTSUP, why, whylen,
				RF ": msync-async (start write-back without "
				   "waiting) has no Windows equivalent for "
				   "WriteFile; use msync or fsync");
	s = calloc(1, sizeof(*s));
	if (!s)
		return mmb__why(MMB_ENOMEM, why, whylen, RF ": out of memory");
	rc = rf_flags(o, &s->flags, why, whylen);
	if (rc < 0)
		goto err_free;
	s->main.sync = o->sync;
	s->access = GENERIC_READ | (o->writable ? GENERIC_WRITE : 0);
	n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, NULL,
				0);
	s->wpath = n > 0 ? malloc((size_t)n * sizeof(wchar_t)) : NULL;
	if (!s->wpath) {
		rc = mmb__why(n > 0 ? MMB_ENOMEM : MMB_EINVAL, why, whylen,
			      RF ": %s: %s", path,
			      n > 0 ? "out of memory" : "not valid UTF-8");
		goto err_free;
	}
	MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, s->wpath,
			    n);
	s->main.h = rf_create(s);
	if (s->main.h == INVALID_HANDLE_VALUE) {
		DWORD e = GetLastError();

		mmb_seterr(mmb__win_error(e), (long)e, "CreateFile(%s, %s)",
			   path,
			   o->writable ? "GENERIC_READ|GENERIC_WRITE"
				       : "GENERIC_READ");
		rc = mmb__why_err(mmb__win_error(e), RF, why, whylen);
		goto err_path;
	}
	*state = s;
	return 0;

err_path:
	free(s->wpath);
err_free:
	free(s);
	return rc;
}

static int rf_thread_open(void *state, unsigned idx, void **tstate)
{
	struct rf_state *s = state;
	struct rf_handle *t;

	t = malloc(sizeof(*t));
	if (!t)
		return mmb_seterr(MMB_ENOMEM, 0, "malloc(thread %u)", idx);
	t->sync = s->main.sync;
	t->h = rf_create(s);
	if (t->h == INVALID_HANDLE_VALUE) {
		DWORD e = GetLastError();

		free(t);
		return mmb_seterr(mmb__win_error(e), (long)e,
				  "CreateFile(thread %u)", idx);
	}
	*tstate = t;
	return 0;
}

static void rf_thread_close(void *tstate)
{
	struct rf_handle *t = tstate;

	if (!t)
		return;
	CloseHandle(t->h);
	free(t);
}

static void at(OVERLAPPED *ov, uint64_t off)
{
	memset(ov, 0, sizeof(*ov));
	ov->Offset = (DWORD)off;
	ov->OffsetHigh = (DWORD)(off >> 32);
}

static int64_t rf_read(void *tstate, void *buf, size_t len, uint64_t off)
{
	struct rf_handle *t = tstate;
	size_t done = 0;
	OVERLAPPED ov;
	DWORD got;

	while (done < len) {
		DWORD want =
		    len - done < RF_CHUNK ? (DWORD)(len - done) : RF_CHUNK;

		at(&ov, off + done);
		if (!ReadFile(t->h, (char *)buf + done, want, &got, &ov)) {
			if (GetLastError() == ERROR_HANDLE_EOF)
				break;
			return rf_fail("ReadFile(off=%llu, len=%zu)",
				       ULL(off + done), (size_t)want);
		}
		if (got == 0)
			break;
		done += got;
	}
	return (int64_t)done;
}

static int64_t rf_write(void *tstate, const void *buf, size_t len, uint64_t off)
{
	struct rf_handle *t = tstate;
	size_t done = 0;
	OVERLAPPED ov;
	DWORD put;

	while (done < len) {
		DWORD want =
		    len - done < RF_CHUNK ? (DWORD)(len - done) : RF_CHUNK;

		at(&ov, off + done);
		if (!WriteFile(t->h, (const char *)buf + done, want, &put, &ov))
			return rf_fail("WriteFile(off=%llu, len=%zu)",
				       ULL(off + done), (size_t)want);
		done += put;
	}
	/* The counterpart of fdatasync after each write. */
	if (t->sync == MMB_WSYNC_MSYNC && !FlushFileBuffers(t->h))
		return rf_fail("FlushFileBuffers(off=%llu, len=%zu)", ULL(off),
			       len);
	return (int64_t)done;
}

static int rf_sync(void *state)
{
	struct rf_state *s = state;

	/* The cache is per file, not per handle: one flush covers what every
	 * thread's handle wrote. */
	if (s->main.sync == MMB_WSYNC_FSYNC && !FlushFileBuffers(s->main.h))
		return rf_fail("FlushFileBuffers()");
	return 0;
}

static void rf_close(void *state)
{
	struct rf_state *s = state;

	if (!s)
		return;
	CloseHandle(s->main.h);
	free(s->wpath);
	free(s);
}

const struct mmb_backend mmb_backend_readfile = {
    .name = "readfile",
    .help = "ReadFile/WriteFile at OVERLAPPED offsets through the file "
	    "cache (the Windows pread)",
    .caps = MMB_CAP_READ | MMB_CAP_WRITE,
    .open = rf_open,
    .thread_open = rf_thread_open,
    .thread_close = rf_thread_close,
    .read = rf_read,
    .write = rf_write,
    .sync = rf_sync,
    .close = rf_close,
};
