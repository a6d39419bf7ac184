/* SPDX-License-Identifier: MIT */
/* win/atomic.c - atomic_os.h on Windows: CreateFile(CREATE_NEW) under a
 * fresh name (what mkstemp does), WriteFile, FlushFileBuffers, and
 * MoveFileEx(REPLACE_EXISTING | WRITE_THROUGH), which replaces the
 * destination in one step as rename does on POSIX. */
#include <windows.h>

#include <errno.h>
#include <stdio.h>

#include "../../core/win/winerr.h"
#include "../atomic_os.h"
#include "mmb/error.h"

#define HANDLE_OF(t) ((HANDLE)(t)->h)

/* Record GetLastError() under the call's name; read before anything else
 * can overwrite it. */
static int win_fail(const char *call, const char *a, const char *b)
{
	DWORD e = GetLastError();

	if (b)
		return mmb_seterr(mmb__win_error(e), (long)e, "%s(%s, %s)",
				  call, a, b);
	return mmb_seterr(mmb__win_error(e), (long)e, "%s(%s)", call, a);
}

int mmb__tmp_create(struct mmb__tmpfile *t, const char *dest)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	static volatile LONG serial;
	LARGE_INTEGER now;

	t->h = -1;
	QueryPerformanceCounter(&now);
	/* Like mkstemp: six characters that differ between processes and
	 * calls; a name that exists is skipped, never opened. */
	for (unsigned attempt = 0; attempt < 100; attempt++) {
		unsigned long long x =
		    ((unsigned long long)now.QuadPart * 2654435761u) ^
		    ((unsigned long long)GetCurrentProcessId() << 20) ^
		    (unsigned long long)InterlockedIncrement(&serial) *
			0x9e3779b97f4a7c15ull;
		char sfx[7];
		for (int i = 0; i < 6; i++, x /= 36)
			sfx[i] = digits[x % 36];
		sfx[6] = 0;
		int len =
		    snprintf(t->path, sizeof(t->path), "%s.tmp.%s", dest, sfx);
		if (len < 0 || (size_t)len >= sizeof(t->path))
			return mmb_seterr(MMB_ENAMETOOLONG, ENAMETOOLONG, "%s",
					  dest);
		HANDLE h = CreateFileA(t->path, GENERIC_WRITE, 0, NULL,
				       CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
		if (h != INVALID_HANDLE_VALUE) {
			t->h = (intptr_t)h;
			return 0;
		}
		DWORD e = GetLastError();
		if (e != ERROR_FILE_EXISTS && e != ERROR_ALREADY_EXISTS)
			return win_fail("CreateFile", t->path, NULL);
	}
	return mmb_seterr(MMB_EEXIST, ERROR_FILE_EXISTS,
			  "CreateFile(%s.tmp.*): 100 names taken", dest);
}

int mmb__tmp_write(struct mmb__tmpfile *t, const void *data, size_t len)
{
	const char *p = data;

	for (size_t done = 0; done < len;) {
		/* WriteFile takes a 32-bit length. */
		DWORD n =
		    len - done > (1u << 30) ? (1u << 30) : (DWORD)(len - done);
		DWORD w = 0;
		if (!WriteFile(HANDLE_OF(t), p + done, n, &w, NULL))
			return win_fail("WriteFile", t->path, NULL);
		if (w == 0)
			return mmb_seterr(MMB_EIO, 0, "WriteFile(%s): wrote 0",
					  t->path);
		done += w;
	}
	return 0;
}

int mmb__tmp_commit(struct mmb__tmpfile *t, const char *dest)
{
	HANDLE h = HANDLE_OF(t);
	int rc;

	if (!FlushFileBuffers(h)) {
		rc = win_fail("FlushFileBuffers", t->path, NULL);
		goto err_discard;
	}
	t->h = -1;
	if (!CloseHandle(h)) {
		rc = win_fail("CloseHandle", t->path, NULL);
		goto err_discard;
	}
	if (!MoveFileExA(t->path, dest,
			 MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
		rc = win_fail("MoveFileEx", t->path, dest);
		goto err_discard;
	}
	return 0;

err_discard:
	mmb__tmp_discard(t);
	return rc;
}

void mmb__tmp_discard(struct mmb__tmpfile *t)
{
	if (t->h != -1)
		CloseHandle(HANDLE_OF(t));
	t->h = -1;
	DeleteFileA(t->path);
}

int mmb__path_is_dir(const char *path)
{
	DWORD a = GetFileAttributesA(path);

	return a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY);
}
