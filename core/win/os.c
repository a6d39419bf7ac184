/* SPDX-License-Identifier: MIT */
/* win/os.c - os.h on Windows: files through CRT descriptors over
 * CreateFileW handles, views through CreateFileMapping/MapViewOfFile,
 * FlushViewOfFile + FlushFileBuffers, VirtualLock, PrefetchVirtualMemory,
 * QueryWorkingSetEx, named paging-file sections for shared memory,
 * LockFileEx, SRW locks.
 *
 * os.h hands advise/flush/lock only an address, but Windows needs more than
 * the address for some of them (the file handle for FlushFileBuffers, the
 * access mode to know whether a view is copy-on-write), so every view made
 * here is recorded in a small process-wide list, looked up by address.
 */
#ifndef _WIN32_WINNT
#define _WIN32_WINNT 0x0A00 /* PrefetchVirtualMemory */
#endif
#include <windows.h>

#include <fcntl.h>
#include <io.h>
#include <psapi.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../os.h"
#include "winerr.h"

#define ULL(x) ((unsigned long long)(x))

int mmb__win_error(unsigned long err)
{
	switch (err) {
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_INVALID_DRIVE:
	case ERROR_BAD_NETPATH:
	case ERROR_BAD_PATHNAME:
		return MMB_ENOENT;
	case ERROR_ACCESS_DENIED:
	case ERROR_SHARING_VIOLATION:
	case ERROR_NETWORK_ACCESS_DENIED:
		return MMB_EACCES;
	case ERROR_LOCK_VIOLATION:
		return MMB_EAGAIN;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
	case ERROR_COMMITMENT_LIMIT:
	case ERROR_WORKING_SET_QUOTA:
	case ERROR_NO_SYSTEM_RESOURCES:
	case ERROR_NOT_ENOUGH_QUOTA:
		return MMB_ENOMEM;
	case ERROR_INVALID_HANDLE:
		return MMB_EBADF;
	case ERROR_INVALID_PARAMETER:
	case ERROR_INVALID_ADDRESS:
	case ERROR_NOT_LOCKED:
	case ERROR_NEGATIVE_SEEK:
		return MMB_EINVAL;
	case ERROR_INVALID_NAME:
	case ERROR_FILENAME_EXCED_RANGE:
		return MMB_ENAMETOOLONG;
	case ERROR_FILE_EXISTS:
	case ERROR_ALREADY_EXISTS:
		return MMB_EEXIST;
	case ERROR_DISK_FULL:
	case ERROR_HANDLE_DISK_FULL:
		return MMB_ENOSPC;
	case ERROR_WRITE_PROTECT:
		return MMB_EROFS;
	case ERROR_TOO_MANY_OPEN_FILES:
		return MMB_EMFILE;
	case ERROR_DIRECTORY:
		return MMB_ENOTDIR;
	case ERROR_PRIVILEGE_NOT_HELD:
		return MMB_EPERM;
	case ERROR_USER_MAPPED_FILE:
	case ERROR_BUSY:
	case ERROR_PIPE_BUSY:
		return MMB_EBUSY;
	case ERROR_NOT_SUPPORTED:
	case ERROR_CALL_NOT_IMPLEMENTED:
	case ERROR_INVALID_FUNCTION:
		return MMB_ENOTSUP;
	case ERROR_ARITHMETIC_OVERFLOW:
	case ERROR_FILE_TOO_LARGE:
		return MMB_EFBIG;
	case ERROR_HANDLE_EOF:
		return MMB_EBADOFF;
	case ERROR_OPERATION_ABORTED:
		return MMB_EINTR;
	default:
		return MMB_EIO;
	}
}

/* Record the calling thread's GetLastError() under the call's name. Read
 * first thing, before anything else can overwrite it. */
static int win_fail(const char *fmt, ...)
    __attribute__((format(gnu_printf, 1, 2)));
static int win_fail(const char *fmt, ...)
{
	DWORD e = GetLastError();
	char call[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(call, sizeof(call), fmt, ap);
	va_end(ap);
	return mmb_seterr(mmb__win_error(e), (long)e, "%s", call);
}

/* ---- system facts ------------------------------------------------------- */

size_t mmb__os_page_size(void)
{
	SYSTEM_INFO si;

	GetSystemInfo(&si);
	return si.dwPageSize ? si.dwPageSize : 4096;
}

size_t mmb__os_alloc_granularity(void)
{
	SYSTEM_INFO si;

	GetSystemInfo(&si);
	return si.dwAllocationGranularity ? si.dwAllocationGranularity : 65536;
}

size_t mmb__os_huge_page_size(void)
{
	return GetLargePageMinimum();
}

uint64_t mmb__os_now_ms(void)
{
	return GetTickCount64();
}

/* ---- files -------------------------------------------------------------- */

/* UTF-8 to a malloc'd UTF-16 string; NULL (error recorded) on failure. */
static wchar_t *widen(const char *s, const char *op)
{
	int n =
	    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
	wchar_t *w;

	if (n <= 0) {
		win_fail("%s(%s): not valid UTF-8", op, s);
		return NULL;
	}
	w = malloc((size_t)n * sizeof(*w));
	if (!w) {
		mmb_seterr(MMB_ENOMEM, 0, "malloc(%s)", op);
		return NULL;
	}
	MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n);
	return w;
}

static HANDLE os_handle(int fd)
{
	return (HANDLE)_get_osfhandle(fd);
}

int mmb__os_open(const char *path, enum mmb_access access, unsigned how,
		 unsigned mode, int *fd)
{
	bool create = how & MMB__OPEN_CREATE, excl = how & MMB__OPEN_EXCL;
	DWORD want =
	    GENERIC_READ | (how & MMB__OPEN_EXEC ? GENERIC_EXECUTE : 0);
	wchar_t *wpath;
	HANDLE h;
	int rc;

	/* Windows files have ACLs, not permission bits. */
	(void)mode;
	if (access == MMB_ACCESS_RDWR)
		want |= GENERIC_WRITE;
	wpath = widen(path, "open");
	if (!wpath)
		return mmb_last_error()->code;
	/* Share everything, like open(2): other readers, writers and
	 * deleters of the file are not locked out by our mapping. */
	h = CreateFileW(wpath, want,
			FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
			NULL,
			!create ? OPEN_EXISTING
			: excl	? CREATE_NEW
				: OPEN_ALWAYS,
			FILE_ATTRIBUTE_NORMAL, NULL);
	if (h == INVALID_HANDLE_VALUE)
		goto err_free;
	free(wpath);
	*fd = _open_osfhandle((intptr_t)h,
			      access == MMB_ACCESS_RDWR ? 0 : _O_RDONLY);
	if (*fd < 0) {
		CloseHandle(h);
		return mmb_seterr(MMB_EMFILE, 0, "_open_osfhandle(%s)", path);
	}
	return 0;

err_free:
	/* Named like the POSIX layer's, so one message fits both. */
	rc =
	    win_fail("open(%s, %s%s%s)", path,
		     access == MMB_ACCESS_RDWR ? "O_RDWR" : "O_RDONLY",
		     create ? "|O_CREAT" : "", create && excl ? "|O_EXCL" : "");
	free(wpath);
	return rc;
}

int mmb__os_dup(int fd, int *out)
{
	HANDLE h = os_handle(fd), h2;

	if (h == INVALID_HANDLE_VALUE)
		return mmb_seterr(MMB_EBADF, ERROR_INVALID_HANDLE,
				  "DuplicateHandle(fd=%d)", fd);
	/* Not inheritable: the Windows counterpart of close-on-exec. */
	if (!DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &h2,
			     0, FALSE, DUPLICATE_SAME_ACCESS))
		return win_fail("DuplicateHandle(fd=%d)", fd);
	*out = _open_osfhandle((intptr_t)h2, 0);
	if (*out < 0) {
		CloseHandle(h2);
		return mmb_seterr(MMB_EMFILE, 0, "_open_osfhandle(fd=%d)", fd);
	}
	return 0;
}

void mmb__os_close(int fd)
{
	_close(fd);
}

int mmb__os_file_size(int fd, uint64_t *size)
{
	HANDLE h = os_handle(fd);
	LARGE_INTEGER v;

	if (h == INVALID_HANDLE_VALUE)
		return mmb_seterr(MMB_EBADF, ERROR_INVALID_HANDLE,
				  "GetFileSizeEx(fd=%d)", fd);
	if (!GetFileSizeEx(h, &v))
		return win_fail("GetFileSizeEx(fd=%d)", fd);
	*size = (uint64_t)v.QuadPart;
	return 0;
}

int mmb__os_truncate(int fd, uint64_t size)
{
	HANDLE h = os_handle(fd);
	FILE_END_OF_FILE_INFO eof;

	if (size > (uint64_t)INT64_MAX)
		return mmb_seterr(MMB_EFBIG, 0, "SetEndOfFile(size=%llu)",
				  ULL(size));
	if (h == INVALID_HANDLE_VALUE)
		return mmb_seterr(MMB_EBADF, ERROR_INVALID_HANDLE,
				  "SetEndOfFile(fd=%d)", fd);
	/* Unlike SetFilePointerEx + SetEndOfFile this leaves the file
	 * position alone. Shrinking a file that has a view fails here with
	 * ERROR_USER_MAPPED_FILE (MMB_EBUSY). */
	eof.EndOfFile.QuadPart = (LONGLONG)size;
	if (!SetFileInformationByHandle(h, FileEndOfFileInfo, &eof,
					sizeof(eof)))
		return win_fail("SetEndOfFile(fd=%d, size=%llu)", fd,
				ULL(size));
	return 0;
}

/* Windows has no huge-page file system: large pages exist only for
 * sections backed by the paging file (SEC_LARGE_PAGES), never for a view of
 * a file, so MMB_MAP_HUGETLB on a file is unsupported here. */
int mmb__os_hugetlb_ok(int fd)
{
	(void)fd;
	return mmb_seterr(MMB_ENOTSUP, 0,
			  "map(hugetlb): Windows has large pages only for "
			  "paging-file sections, not for file views");
}

/* The whole file: offset 0, length 2^64-1, as flock locks the file. */
int mmb__os_file_lock(int fd, bool exclusive, bool wait)
{
	HANDLE h = os_handle(fd);
	OVERLAPPED ov;
	DWORD flags = (exclusive ? LOCKFILE_EXCLUSIVE_LOCK : 0) |
		      (wait ? 0 : LOCKFILE_FAIL_IMMEDIATELY);

	if (h == INVALID_HANDLE_VALUE)
		return mmb_seterr(MMB_EBADF, ERROR_INVALID_HANDLE,
				  "flock(fd=%d): LockFileEx", fd);
	memset(&ov, 0, sizeof(ov));
	if (!LockFileEx(h, flags, 0, MAXDWORD, MAXDWORD, &ov))
		return win_fail("flock(fd=%d, %s%s): LockFileEx", fd,
				exclusive ? "LOCK_EX" : "LOCK_SH",
				wait ? "" : "|LOCK_NB");
	return 0;
}

int mmb__os_file_unlock(int fd)
{
	HANDLE h = os_handle(fd);
	OVERLAPPED ov;

	if (h == INVALID_HANDLE_VALUE)
		return mmb_seterr(MMB_EBADF, ERROR_INVALID_HANDLE,
				  "flock(fd=%d, LOCK_UN): UnlockFileEx", fd);
	memset(&ov, 0, sizeof(ov));
	/* flock(LOCK_UN) on an unlocked file succeeds; so does this. */
	if (!UnlockFileEx(h, 0, MAXDWORD, MAXDWORD, &ov) &&
	    GetLastError() != ERROR_NOT_LOCKED)
		return win_fail("flock(fd=%d, LOCK_UN): UnlockFileEx", fd);
	return 0;
}

/* ---- the list of views -------------------------------------------------- */

struct view {
	struct view *next;
	char *base;
	size_t len;
	HANDLE section; /* NULL once shm_remove dropped the name */
	HANDLE file;	/* duplicate for FlushFileBuffers; RDWR files only */
	enum mmb_access access;
	wchar_t *shm_name; /* shared memory only */
};

static SRWLOCK views_lock = SRWLOCK_INIT;
static struct view *views;

static void views_add(struct view *w)
{
	AcquireSRWLockExclusive(&views_lock);
	w->next = views;
	views = w;
	ReleaseSRWLockExclusive(&views_lock);
}

static void views_remove(struct view *w)
{
	AcquireSRWLockExclusive(&views_lock);
	for (struct view **p = &views; *p; p = &(*p)->next) {
		if (*p == w) {
			*p = w->next;
			break;
		}
	}
	ReleaseSRWLockExclusive(&views_lock);
}

/* Copy out what flush/advise need of the view holding addr. */
static bool views_find(const void *addr, enum mmb_access *access, HANDLE *file)
{
	const char *a = addr;
	bool found = false;

	AcquireSRWLockShared(&views_lock);
	for (struct view *w = views; w; w = w->next) {
		if (a >= w->base && a < w->base + w->len) {
			*access = w->access;
			*file = w->file;
			found = true;
			break;
		}
	}
	ReleaseSRWLockShared(&views_lock);
	return found;
}

static void view_free(struct view *w)
{
	if (w->section)
		CloseHandle(w->section);
	if (w->file)
		CloseHandle(w->file);
	free(w->shm_name);
	free(w);
}

/* A new view's last step: listed, and handed to the core in v. */
static int view_publish(struct mmb__os_view *v, struct view *w)
{
	views_add(w);
	v->base = w->base;
	v->len = w->len;
	v->handle = w;
	return 0;
}

/* Undo a view that failed before view_publish (whatever of it exists). */
static int view_discard(struct view *w, int rc)
{
	if (w->base)
		UnmapViewOfFile(w->base);
	view_free(w);
	return rc;
}

/* ---- views -------------------------------------------------------------- */

static const struct {
	DWORD protect, map;
	const char *name;
} modes[] = {
    [MMB_ACCESS_READ] = {PAGE_READONLY, FILE_MAP_READ, "FILE_MAP_READ"},
    [MMB_ACCESS_RDWR] = {PAGE_READWRITE, FILE_MAP_WRITE, "FILE_MAP_WRITE"},
    [MMB_ACCESS_COW] = {PAGE_WRITECOPY, FILE_MAP_COPY, "FILE_MAP_COPY"},
};
/* The same with MMB_MAP_EXEC (FILE_MAP_EXECUTE is or-ed in). */
static const DWORD exec_protect[] = {
    [MMB_ACCESS_READ] = PAGE_EXECUTE_READ,
    [MMB_ACCESS_RDWR] = PAGE_EXECUTE_READWRITE,
    [MMB_ACCESS_COW] = PAGE_EXECUTE_WRITECOPY,
};

/* MAP_POPULATE: read the pages in with one prefetch, then touch one byte
 * per page so each is in the working set and later accesses do not fault
 * (the prefetch alone only fills the standby list). */
static void populate(const char *base, size_t len)
{
	WIN32_MEMORY_RANGE_ENTRY r = {(PVOID)base, len};
	size_t pg = mmb__os_page_size();
	volatile char sink;

	PrefetchVirtualMemory(GetCurrentProcess(), 1, &r, 0);
	for (size_t i = 0; i < len; i += pg)
		sink = base[i];
	(void)sink;
}

int mmb__os_map(struct mmb__os_view *v, int fd, enum mmb_access access,
		uint64_t off, size_t len, unsigned flags)
{
	HANDLE h = os_handle(fd);
	struct view *w;
	int rc;

	if ((unsigned)access > MMB_ACCESS_COW)
		return mmb_seterr(MMB_EINVAL, 0, "MapViewOfFile(access=%d)",
				  (int)access);
	if (flags & MMB_MAP_HUGETLB)
		return mmb_seterr(MMB_ENOTSUP, 0,
				  "MapViewOfFile(large pages): Windows maps "
				  "files with 4 KiB pages only");
	if (h == INVALID_HANDLE_VALUE)
		return mmb_seterr(MMB_EBADF, ERROR_INVALID_HANDLE,
				  "CreateFileMapping(fd=%d)", fd);
	w = calloc(1, sizeof(*w));
	if (!w)
		return mmb_seterr(MMB_ENOMEM, 0, "calloc(view)");
	w->access = access;
	/* Maximum size 0 = the file's current size. */
	w->section = CreateFileMappingW(
	    h, NULL,
	    flags & MMB_MAP_EXEC ? exec_protect[access] : modes[access].protect,
	    0, 0, NULL);
	if (!w->section) {
		rc = win_fail("CreateFileMapping(fd=%d, %s)", fd,
			      modes[access].name);
		goto err_view;
	}
	w->base = MapViewOfFile(
	    w->section,
	    modes[access].map | (flags & MMB_MAP_EXEC ? FILE_MAP_EXECUTE : 0),
	    (DWORD)(off >> 32), (DWORD)off, len);
	if (!w->base) {
		rc = win_fail("MapViewOfFile(%s, offset=%llu, len=%zu)",
			      modes[access].name, ULL(off), len);
		goto err_view;
	}
	w->len = len;
	if (access == MMB_ACCESS_RDWR &&
	    !DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(),
			     &w->file, 0, FALSE, DUPLICATE_SAME_ACCESS)) {
		rc = win_fail("DuplicateHandle(fd=%d)", fd);
		w->file = NULL; /* not ours to close */
		goto err_view;
	}
	if (flags & MMB_MAP_POPULATE)
		populate(w->base, len);
	return view_publish(v, w);

err_view:
	return view_discard(w, rc);
}

int mmb__os_unmap(struct mmb__os_view *v)
{
	struct view *w = v->handle;

	if (!v->base)
		return 0;
	if (!UnmapViewOfFile(v->base))
		return win_fail("UnmapViewOfFile(len=%zu)", v->len);
	views_remove(w);
	view_free(w);
	memset(v, 0, sizeof(*v));
	return 0;
}

static const char *const adv_names[MMB_ADV__COUNT] = {
    [MMB_ADV_NORMAL] = "MADV_NORMAL",
    [MMB_ADV_SEQUENTIAL] = "MADV_SEQUENTIAL",
    [MMB_ADV_RANDOM] = "MADV_RANDOM",
    [MMB_ADV_WILLNEED] = "MADV_WILLNEED",
    [MMB_ADV_DONTNEED] = "MADV_DONTNEED",
    [MMB_ADV_FREE] = "MADV_FREE",
    [MMB_ADV_REMOVE] = "MADV_REMOVE",
    [MMB_ADV_HUGEPAGE] = "MADV_HUGEPAGE",
    [MMB_ADV_NOHUGEPAGE] = "MADV_NOHUGEPAGE",
};

int mmb__os_advise(void *addr, size_t len, enum mmb_advice a)
{
	WIN32_MEMORY_RANGE_ENTRY r = {addr, len};
	enum mmb_access access = MMB_ACCESS_READ;
	HANDLE file;

	if ((unsigned)a >= MMB_ADV__COUNT)
		return mmb_seterr(MMB_EINVAL, 0, "madvise(advice=%d)", (int)a);
	switch (a) {
	case MMB_ADV_NORMAL:
		/* Views have no access-pattern hint to reset: they always
		 * behave as "normal". */
		return 0;
	case MMB_ADV_NOHUGEPAGE:
		/* File views are always mapped with small pages, which is
		 * all this advice asks for. */
		return 0;
	case MMB_ADV_WILLNEED:
		if (!PrefetchVirtualMemory(GetCurrentProcess(), 1, &r, 0))
			return win_fail("PrefetchVirtualMemory(len=%zu)", len);
		return 0;
	case MMB_ADV_DONTNEED:
		/* VirtualUnlock of pages that are not locked removes them
		 * from the working set; the data stays in the file or the
		 * page cache, as with MADV_DONTNEED on a shared mapping. A
		 * copy-on-write view would keep its private copies, where
		 * MADV_DONTNEED drops them: no equivalent. */
		if (!views_find(addr, &access, &file))
			return mmb_seterr(MMB_EINVAL, 0,
					  "madvise(MADV_DONTNEED): not a view");
		if (access == MMB_ACCESS_COW)
			return mmb_seterr(MMB_ENOTSUP, 0,
					  "madvise(MADV_DONTNEED, len=%zu): "
					  "Windows cannot drop the private "
					  "pages of a copy-on-write view",
					  len);
		if (!VirtualUnlock(addr, len) &&
		    GetLastError() != ERROR_NOT_LOCKED)
			return win_fail("VirtualUnlock(len=%zu) for "
					"MADV_DONTNEED",
					len);
		return 0;
	case MMB_ADV_FREE:
		/* MADV_FREE applies to private anonymous memory only (Linux
		 * refuses it on file and shmem mappings); its Windows
		 * counterpart, DiscardVirtualMemory, to VirtualAlloc memory
		 * only. No view made here is either. */
		return mmb_seterr(MMB_ENOTSUP, 0,
				  "madvise(MADV_FREE, len=%zu): views of files "
				  "and sections have nothing to discard",
				  len);
	case MMB_ADV_SEQUENTIAL:
	case MMB_ADV_RANDOM:
	case MMB_ADV_REMOVE:
	case MMB_ADV_HUGEPAGE:
	case MMB_ADV__COUNT:
		break;
	}
	return mmb_seterr(MMB_ENOTSUP, 0,
			  "madvise(%s, len=%zu): no Windows equivalent for a "
			  "mapped view",
			  adv_names[a], len);
}

int mmb__os_flush(void *addr, size_t len, bool async)
{
	enum mmb_access access;
	HANDLE file = NULL;

	if (!views_find(addr, &access, &file))
		return mmb_seterr(MMB_EINVAL, 0,
				  "FlushViewOfFile(len=%zu): not a view", len);
	/* Nothing written to a copy-on-write view can reach the file (msync
	 * on MAP_PRIVATE is a no-op too). */
	if (access == MMB_ACCESS_COW)
		return 0;
	/* FlushViewOfFile starts writing the dirty pages and returns; only
	 * FlushFileBuffers waits until they (and the file's metadata) are on
	 * the disk, which is what MS_SYNC promises. */
	if (!FlushViewOfFile(addr, len))
		return win_fail("FlushViewOfFile(len=%zu)", len);
	if (!async && file && !FlushFileBuffers(file))
		return win_fail("FlushFileBuffers(len=%zu)", len);
	return 0;
}

/* Views of one file are coherent with each other and with ReadFile and
 * WriteFile (one cache manager copy): nothing to invalidate. */
int mmb__os_invalidate(void *addr, size_t len)
{
	(void)addr;
	(void)len;
	return 0;
}

int mmb__os_path_size(const char *path, uint64_t *size)
{
	WIN32_FILE_ATTRIBUTE_DATA a;
	wchar_t *wpath = widen(path, "stat");
	int rc = 0;

	if (!wpath)
		return mmb_last_error()->code;
	if (!GetFileAttributesExW(wpath, GetFileExInfoStandard, &a))
		rc = win_fail("stat(%s): GetFileAttributesEx", path);
	else
		*size = ((uint64_t)a.nFileSizeHigh << 32) | a.nFileSizeLow;
	free(wpath);
	return rc;
}

int mmb__os_lock(void *addr, size_t len)
{
	SIZE_T lo, hi;

	if (VirtualLock(addr, len))
		return 0;
	/* Locked pages count against the working-set minimum, which is
	 * small by default: grow it by the request and try once more. */
	if (GetLastError() == ERROR_WORKING_SET_QUOTA &&
	    GetProcessWorkingSetSize(GetCurrentProcess(), &lo, &hi) &&
	    SetProcessWorkingSetSize(GetCurrentProcess(), lo + len + (1 << 20),
				     hi + len + (1 << 20)) &&
	    VirtualLock(addr, len))
		return 0;
	return win_fail("VirtualLock(len=%zu)", len);
}

int mmb__os_unlock(void *addr, size_t len)
{
	/* munlock of pages that are not locked succeeds; so does this. */
	if (!VirtualUnlock(addr, len) && GetLastError() != ERROR_NOT_LOCKED)
		return win_fail("VirtualUnlock(len=%zu)", len);
	return 0;
}

/* Pages of [addr, addr+len) in the process's working set. (mincore counts
 * pages in the page cache, mapped or not; Windows can only tell whether
 * they are mapped into this process.) */
int mmb__os_resident(void *addr, size_t len, size_t *pages)
{
	enum { BATCH = 4096 };
	size_t pg = mmb__os_page_size(), n = (len + pg - 1) / pg, count = 0;
	PSAPI_WORKING_SET_EX_INFORMATION *ws = malloc(BATCH * sizeof(*ws));

	if (!ws)
		return mmb_seterr(MMB_ENOMEM, 0, "malloc(working set)");
	for (size_t done = 0; done < n;) {
		size_t k = n - done < BATCH ? n - done : BATCH;

		for (size_t i = 0; i < k; i++)
			ws[i].VirtualAddress = (char *)addr + (done + i) * pg;
		if (!QueryWorkingSetEx(GetCurrentProcess(), ws,
				       (DWORD)(k * sizeof(*ws)))) {
			free(ws);
			return win_fail("QueryWorkingSetEx(len=%zu)", len);
		}
		for (size_t i = 0; i < k; i++)
			count += ws[i].VirtualAttributes.Valid;
		done += k;
	}
	free(ws);
	*pages = count;
	return 0;
}

/* ---- shared memory ------------------------------------------------------ */

/* A named section backed by the paging file. Windows removes the name when
 * its last handle closes, not on request: each view keeps its section
 * handle (so the object outlives mmb_shm_create's caller, as POSIX shm
 * does), and mmb__os_shm_remove closes the handles this process holds for
 * the name; the views stay valid. */
/* Sections are sized in whole pages, so a size read back from the view
 * (VirtualQuery) is rounded up. Sections created here start with one
 * header page that records the exact size; the caller's bytes follow it
 * (page aligned). A section created by someone else has no header: its
 * size is then the view's, page-rounded. */
#define SHM_MAGIC 0x31686d73626d6d00ull /* "\0mmbshm1" */
struct shm_header {
	uint64_t magic;
	uint64_t size;
};

int mmb__os_shm_map(struct mmb__os_view *v, const char *name, bool create,
		    enum mmb_access access, unsigned mode, uint64_t *size,
		    size_t *delta)
{
	MEMORY_BASIC_INFORMATION mi;
	const struct shm_header *hdr;
	size_t pg = mmb__os_page_size();
	DWORD map = access == MMB_ACCESS_READ ? FILE_MAP_READ : FILE_MAP_WRITE;
	uint64_t total;
	struct view *w;
	int rc;

	(void)mode; /* sections have ACLs, not permission bits */
	w = calloc(1, sizeof(*w));
	if (!w)
		return mmb_seterr(MMB_ENOMEM, 0, "calloc(view)");
	w->access = access;
	w->shm_name = widen(name, "shm_open");
	if (!w->shm_name) {
		rc = mmb_last_error()->code;
		goto err_view;
	}
	total = *size + pg;
	if (create) {
		w->section = CreateFileMappingW(
		    INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE | SEC_COMMIT,
		    (DWORD)(total >> 32), (DWORD)total, w->shm_name);
		if (w->section && GetLastError() == ERROR_ALREADY_EXISTS) {
			rc = mmb_seterr(MMB_EEXIST, ERROR_ALREADY_EXISTS,
					"CreateFileMapping(%s, size=%llu)",
					name, ULL(*size));
			goto err_view;
		}
	} else {
		w->section = OpenFileMappingW(
		    access == MMB_ACCESS_READ ? FILE_MAP_READ
					      : FILE_MAP_READ | FILE_MAP_WRITE,
		    FALSE, w->shm_name);
	}
	if (!w->section) {
		rc = win_fail("%s(%s, size=%llu)",
			      create ? "CreateFileMapping" : "OpenFileMapping",
			      name, ULL(create ? *size : 0));
		goto err_view;
	}
	w->base =
	    MapViewOfFile(w->section, map, 0, 0, create ? (SIZE_T)total : 0);
	if (!w->base) {
		rc = win_fail("MapViewOfFile(%s)", name);
		goto err_view;
	}
	if (create) {
		struct shm_header *h = (struct shm_header *)w->base;

		h->size = *size;
		h->magic = SHM_MAGIC;
		w->len = (size_t)total;
		*delta = pg;
	} else {
		if (!VirtualQuery(w->base, &mi, sizeof(mi))) {
			rc = win_fail("VirtualQuery(%s)", name);
			goto err_view;
		}
		w->len = mi.RegionSize;
		hdr = (const struct shm_header *)w->base;
		if (w->len > pg && hdr->magic == SHM_MAGIC &&
		    hdr->size <= w->len - pg) {
			*size = hdr->size;
			*delta = pg;
		} else {
			*size = w->len;
			*delta = 0;
		}
	}
	return view_publish(v, w);

err_view:
	return view_discard(w, rc);
}

int mmb__os_shm_remove(const char *name)
{
	wchar_t *wname = widen(name, "shm_unlink");
	unsigned closed = 0;
	HANDLE h;
	int rc = 0;

	if (!wname)
		return mmb_last_error()->code;
	AcquireSRWLockExclusive(&views_lock);
	for (struct view *w = views; w; w = w->next) {
		if (w->section && w->shm_name &&
		    wcscmp(w->shm_name, wname) == 0) {
			CloseHandle(w->section);
			w->section = NULL;
			closed++;
		}
	}
	ReleaseSRWLockExclusive(&views_lock);
	if (closed)
		goto out;
	h = OpenFileMappingW(FILE_MAP_READ, FALSE, wname);
	if (!h) {
		rc = win_fail("shm_unlink(%s): OpenFileMapping", name);
		goto out;
	}
	CloseHandle(h);
	rc = mmb_seterr(MMB_EBUSY, 0,
			"shm_unlink(%s): another process holds it open, and "
			"Windows removes the name only with its last handle",
			name);
out:
	free(wname);
	return rc;
}

/* ---- mutex -------------------------------------------------------------- */

struct mmb__os_mutex {
	SRWLOCK lock;
};

int mmb__os_mutex_new(struct mmb__os_mutex **out)
{
	struct mmb__os_mutex *mu = malloc(sizeof(*mu));

	if (!mu)
		return mmb_seterr(MMB_ENOMEM, 0, "malloc(mutex)");
	InitializeSRWLock(&mu->lock);
	*out = mu;
	return 0;
}

void mmb__os_mutex_free(struct mmb__os_mutex *mu)
{
	free(mu); /* an SRW lock needs no destruction */
}

void mmb__os_mutex_lock(struct mmb__os_mutex *mu)
{
	AcquireSRWLockExclusive(&mu->lock);
}

void mmb__os_mutex_unlock(struct mmb__os_mutex *mu)
{
	ReleaseSRWLockExclusive(&mu->lock);
}

/* ---- process-wide lock and condition, threads ----------------------- */

static SRWLOCK global_lock = SRWLOCK_INIT;
static CONDITION_VARIABLE global_cond = CONDITION_VARIABLE_INIT;

void mmb__os_global_lock(void)
{
	AcquireSRWLockExclusive(&global_lock);
}

void mmb__os_global_unlock(void)
{
	ReleaseSRWLockExclusive(&global_lock);
}

void mmb__os_global_wait(uint64_t timeout_ms)
{
	DWORD ms = timeout_ms >= INFINITE ? INFINITE : (DWORD)timeout_ms;

	SleepConditionVariableSRW(&global_cond, &global_lock, ms, 0);
}

void mmb__os_global_wake(void)
{
	WakeAllConditionVariable(&global_cond);
}

struct mmb__os_thread {
	HANDLE h;
	void (*fn)(void *);
	void *arg;
};

static DWORD WINAPI thread_main(void *p)
{
	struct mmb__os_thread *t = p;

	t->fn(t->arg);
	return 0;
}

int mmb__os_thread_start(struct mmb__os_thread **out, void (*fn)(void *),
			 void *arg)
{
	struct mmb__os_thread *t = malloc(sizeof(*t));

	if (!t)
		return mmb_seterr(MMB_ENOMEM, 0, "malloc(thread)");
	t->fn = fn;
	t->arg = arg;
	t->h = CreateThread(NULL, 0, thread_main, t, 0, NULL);
	if (!t->h) {
		int rc = win_fail("CreateThread(flusher)");

		free(t);
		return rc;
	}
	*out = t;
	return 0;
}

void mmb__os_thread_join(struct mmb__os_thread *t)
{
	WaitForSingleObject(t->h, INFINITE);
	CloseHandle(t->h);
	free(t);
}

void mmb__os_thread_forget(struct mmb__os_thread *t)
{
	CloseHandle(t->h);
	free(t);
}
