/* SPDX-License-Identifier: MIT */
/* test_os.c - core/win beyond the portable test_core suite: allocation
 * granularity, Windows errors as MMB_E* codes, the mapped-file shrink that
 * Windows refuses, the guarded copy, advice, locks, residency, flushes. */
#include <windows.h>

#include <psapi.h>

#include "mmb/map.h"
#include "test.h"
#include "util.h"
#include "winerr.h"

#define MiB (1024u * 1024u)

static HANDLE open_w(const char *path, DWORD access, DWORD share)
{
	return CreateFileA(path, access, share, NULL, OPEN_EXISTING,
			   FILE_ATTRIBUTE_NORMAL, NULL);
}

TEST_IMPL(win_granularity)
{
	const char *p = tpath(0, "gran.dat");
	SYSTEM_INFO si;
	size_t gran = mmb_alloc_granularity();
	struct mmb_map_opts o = {.offset = gran + 5, .length = 100};
	struct mmb_map *m;
	struct mmb_window *w;

	GetSystemInfo(&si);
	ASSERT_EQ(gran, si.dwAllocationGranularity);
	ASSERT_EQ(gran, 65536);
	ASSERT_EQ(mmb_page_size(), si.dwPageSize);
	ASSERT_OK(tfile_write(p, 4 * gran, 1));
	/* The view starts at the 64 KiB boundary below the offset, and
	 * MapViewOfFile puts views at 64 KiB-aligned addresses. */
	ASSERT_OK(mmb_map_open(&m, p, &o));
	ASSERT_EQ(((uintptr_t)mmb_map_data(m) - 5) % gran, 0);
	ASSERT_EQ(*(unsigned char *)mmb_map_data(m), tpattern(gran + 5, 1));
	ASSERT_OK(mmb_map_remap(m, 3 * gran - 1, 2));
	ASSERT_EQ(((uintptr_t)mmb_map_data(m) - (gran - 1)) % gran, 0);
	ASSERT_EQ(*(unsigned char *)mmb_map_data(m), tpattern(3 * gran - 1, 1));
	ASSERT_OK(mmb_map_close(m));
	/* a 4 KiB window is one granule here */
	ASSERT_OK(mmb_window_open(&w, p, MMB_ACCESS_READ, 4096, 0));
	ASSERT_EQ(mmb_window_size(w), gran);
	ASSERT_OK(mmb_window_close(w));
	return 0;
}

TEST_IMPL(win_error_codes)
{
	static const struct {
		unsigned long win;
		int mmb;
	} table[] = {
	    {ERROR_FILE_NOT_FOUND, MMB_ENOENT},
	    {ERROR_PATH_NOT_FOUND, MMB_ENOENT},
	    {ERROR_ACCESS_DENIED, MMB_EACCES},
	    {ERROR_SHARING_VIOLATION, MMB_EACCES},
	    {ERROR_NOT_ENOUGH_MEMORY, MMB_ENOMEM},
	    {ERROR_OUTOFMEMORY, MMB_ENOMEM},
	    {ERROR_COMMITMENT_LIMIT, MMB_ENOMEM},
	    {ERROR_WORKING_SET_QUOTA, MMB_ENOMEM},
	    {ERROR_INVALID_HANDLE, MMB_EBADF},
	    {ERROR_INVALID_PARAMETER, MMB_EINVAL},
	    {ERROR_ALREADY_EXISTS, MMB_EEXIST},
	    {ERROR_FILE_EXISTS, MMB_EEXIST},
	    {ERROR_DISK_FULL, MMB_ENOSPC},
	    {ERROR_LOCK_VIOLATION, MMB_EAGAIN},
	    {ERROR_USER_MAPPED_FILE, MMB_EBUSY},
	    {ERROR_PRIVILEGE_NOT_HELD, MMB_EPERM},
	    {ERROR_NOT_SUPPORTED, MMB_ENOTSUP},
	    {ERROR_WRITE_PROTECT, MMB_EROFS},
	    {ERROR_FILENAME_EXCED_RANGE, MMB_ENAMETOOLONG},
	    {12345, MMB_EIO}, /* unknown: EIO, raw code kept by callers */
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (mmb__win_error(table[i].win) != table[i].mmb) {
			fprintf(stderr, "Windows error %lu -> %s, want %s\n",
				table[i].win,
				mmb_errname(mmb__win_error(table[i].win)),
				mmb_errname(table[i].mmb));
			return 1;
		}
	}
	return 0;
}

/* Failing opens keep GetLastError() as os_error and read like POSIX. */
TEST_IMPL(win_open_errors)
{
	const char *p = tpath(0, "busy.dat");
	const char *deep = tpath(1, "no-such-dir/x.dat");
	const char *dir = tdir_make();
	struct mmb_map *m = NULL;
	char e[512];
	HANDLE h;

	ASSERT(p && deep && dir);
	ASSERT_EQ(mmb_map_open(&m, tpath(2, "missing"), NULL), MMB_ENOENT);
	ASSERT_EQ(mmb_last_error()->os_error, ERROR_FILE_NOT_FOUND);
	ASSERT_EQ(mmb_map_open(&m, deep, NULL), MMB_ENOENT);
	ASSERT_EQ(mmb_last_error()->os_error, ERROR_PATH_NOT_FOUND);
	/* a directory cannot be opened as a file */
	ASSERT_EQ(mmb_map_open(&m, dir, NULL), MMB_EACCES);
	ASSERT_EQ(mmb_last_error()->os_error, ERROR_ACCESS_DENIED);
	mmb_errmsg(e, sizeof(e));
	ASSERT(strstr(e, "open(") && strstr(e, ", O_RDONLY): permission "
					       "denied"));
	/* someone holds the file with no sharing at all */
	ASSERT_OK(tfile_write(p, 4096, 2));
	h = open_w(p, GENERIC_READ, 0);
	ASSERT(h != INVALID_HANDLE_VALUE);
	ASSERT_EQ(mmb_map_open(&m, p, NULL), MMB_EACCES);
	ASSERT_EQ(mmb_last_error()->os_error, ERROR_SHARING_VIOLATION);
	CloseHandle(h);
	ASSERT_OK(mmb_map_open(&m, p, NULL));
	ASSERT_OK(mmb_map_close(m));
	return 0;
}

/* The SIGBUS case of POSIX cannot arise from Windows itself: a file with
 * a view cannot be shrunk, neither by another handle nor through the
 * core's own size option. */
TEST_IMPL(win_shrink_mapped_refused)
{
	const char *p = tpath(0, "shrink.dat");
	size_t gran = mmb_alloc_granularity();
	struct mmb_map_opts rw = {.access = MMB_ACCESS_RDWR};
	struct mmb_map_opts cut = {.access = MMB_ACCESS_RDWR, .size = gran};
	struct mmb_map *m, *m2;
	FILE_END_OF_FILE_INFO eof = {.EndOfFile.QuadPart = (LONGLONG)gran};
	unsigned char b[16];
	HANDLE h;

	ASSERT_OK(tfile_write(p, 3 * gran, 3));
	ASSERT_OK(mmb_map_open(&m, p, &rw));
	h = open_w(p, GENERIC_READ | GENERIC_WRITE,
		   FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE);
	ASSERT(h != INVALID_HANDLE_VALUE);
	ASSERT(!SetFileInformationByHandle(h, FileEndOfFileInfo, &eof,
					   sizeof(eof)));
	ASSERT_EQ(GetLastError(), ERROR_USER_MAPPED_FILE);
	ASSERT_EQ(mmb_map_open(&m2, p, &cut), MMB_EBUSY);
	ASSERT_EQ(mmb_last_error()->os_error, ERROR_USER_MAPPED_FILE);
	ASSERT_EQ(tfile_size(p), 3 * gran);
	ASSERT_OK(mmb_map_read(m, 3 * gran - 16, b, sizeof(b)));
	for (size_t i = 0; i < sizeof(b); i++)
		ASSERT_EQ(b[i], tpattern(3 * gran - 16 + i, 3));
	/* growing is allowed while mapped */
	eof.EndOfFile.QuadPart = (LONGLONG)(4 * gran);
	ASSERT(SetFileInformationByHandle(h, FileEndOfFileInfo, &eof,
					  sizeof(eof)));
	ASSERT_OK(mmb_map_close(m));
	/* with the view gone the same shrink works */
	ASSERT_OK(mmb_map_open(&m2, p, &cut));
	ASSERT_EQ(mmb_map_size(m2), gran);
	ASSERT_OK(mmb_map_close(m2));
	CloseHandle(h);
	return 0;
}

static int seen_av;

static LONG CALLBACK count_av(EXCEPTION_POINTERS *ep)
{
	if (ep->ExceptionRecord->ExceptionCode != EXCEPTION_ACCESS_VIOLATION)
		return EXCEPTION_CONTINUE_SEARCH;
	seen_av++;
	return EXCEPTION_CONTINUE_EXECUTION; /* from RaiseException */
}

/* Under wine a Unix process can shrink the file under the view, which
 * Windows forbids: the next access faults and the guarded copy must turn
 * that into MMB_ESIGBUS. Skipped on Windows itself. */
static int win_sum(void *p, size_t len, void *arg)
{
	const uint64_t *w = p;

	for (size_t i = 0; i < len / 8; i++)
		*(uint64_t *)arg += w[i];
	return 0;
}

static void win_on_fault(const struct mmb_sigbus_info *info, void *arg)
{
	(void)info;
	*(volatile int *)arg += 1;
}

TEST_IMPL(win_guarded_copy_after_host_truncate)
{
	typedef char *(CDECL * unix_name_fn)(const WCHAR *);
	const char *p = tpath(0, "host.dat");
	size_t gran = mmb_alloc_granularity();
	struct mmb_map_opts rw = {.access = MMB_ACCESS_RDWR};
	struct mmb_map *m;
	unix_name_fn unix_name = (unix_name_fn)(void (*)(void))GetProcAddress(
	    GetModuleHandleA("kernel32.dll"), "wine_get_unix_file_name");
	STARTUPINFOA si = {.cb = sizeof(si)};
	PROCESS_INFORMATION pi;
	WCHAR wp[600];
	char cmd[800], e[256];
	unsigned char b[64];
	ULONG_PTR info[2];
	char *up;
	void *veh;

	if (!unix_name)
		SKIP("Windows refuses to shrink a mapped file "
		     "(win_shrink_mapped_refused); only wine lets a host "
		     "process do it");
	ASSERT_OK(tfile_write(p, 3 * gran, 4));
	ASSERT_OK(mmb_map_open(&m, p, &rw));
	ASSERT(MultiByteToWideChar(CP_UTF8, 0, p, -1, wp, 600) > 0);
	up = unix_name(wp);
	ASSERT(up != NULL);
	snprintf(cmd, sizeof(cmd), "/usr/bin/truncate -s 4096 %s", up);
	HeapFree(GetProcessHeap(), 0, up);
	if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si,
			    &pi)) {
		mmb_map_close(m);
		SKIP("cannot start /usr/bin/truncate from wine (error %lu)",
		     GetLastError());
	}
	/* wine neither waits for a Unix child nor reports its exit code
	 * reliably: watch the file instead. */
	WaitForSingleObject(pi.hProcess, 10000);
	CloseHandle(pi.hThread);
	CloseHandle(pi.hProcess);
	for (int i = 0; i < 200 && tfile_size(p) != 4096; i++)
		Sleep(50);
	if (tfile_size(p) != 4096) {
		mmb_map_close(m);
		SKIP("%s did not shrink the file", cmd);
	}

	/* the first page is still there; the rest faults */
	ASSERT_OK(mmb_map_read(m, 100, b, sizeof(b)));
	ASSERT_EQ(b[0], tpattern(100, 4));
	ASSERT_EQ(mmb_map_read(m, 2 * gran, b, sizeof(b)), MMB_ESIGBUS);
	mmb_errmsg(e, sizeof(e));
	ASSERT(strstr(e, "read(file offset="));
	ASSERT_EQ(mmb_map_read(m, 4090, b, sizeof(b)), MMB_ESIGBUS);
	ASSERT_EQ(mmb_map_write(m, gran, "x", 1), MMB_ESIGBUS);
	/* the guard is disarmed again: the same thread still copies */
	ASSERT_OK(mmb_map_read(m, 0, b, sizeof(b)));
	ASSERT_EQ(b[63], tpattern(63, 4));
	/* in-place access through mmb_map_guard, and the callback */
	uint64_t sum = 0, at = 0;
	int calls = 0;
	mmb_set_sigbus_callback(win_on_fault, &calls);
	ASSERT_OK(mmb_map_guard(m, 0, 4096, win_sum, &sum, &at));
	ASSERT_EQ(mmb_map_guard(m, gran, 4096, win_sum, &sum, &at),
		  MMB_ESIGBUS);
	ASSERT_EQ(at, gran);
	ASSERT_EQ(calls, 1);
	mmb_set_sigbus_callback(NULL, NULL);
	ASSERT_EQ(mmb_map_guard(m, gran, 4096, win_sum, &sum, &at),
		  MMB_ESIGBUS);
	ASSERT_EQ(calls, 1);

	/* An access violation outside a guarded copy, even at an address in
	 * the view, goes on to the next handler. */
	veh = AddVectoredExceptionHandler(0, count_av);
	ASSERT(veh != NULL);
	info[0] = 0;
	info[1] = (ULONG_PTR)((char *)mmb_map_data(m) + 2 * gran);
	RaiseException(EXCEPTION_ACCESS_VIOLATION, 0, 2, info);
	RemoveVectoredExceptionHandler(veh);
	ASSERT_EQ(seen_av, 1);
	ASSERT_OK(mmb_map_close(m));
	return 0;
}

TEST_IMPL(win_advice)
{
	const char *p = tpath(0, "adv.dat");
	struct mmb_map_opts cow = {.access = MMB_ACCESS_COW};
	struct mmb_map_opts thp = {.flags = MMB_MAP_THP};
	struct mmb_map_opts will = {.flags =
					MMB_MAP_WILLNEED | MMB_MAP_NOHUGEPAGE};
	static const enum mmb_advice none[] = {MMB_ADV_SEQUENTIAL,
					       MMB_ADV_RANDOM, MMB_ADV_REMOVE,
					       MMB_ADV_HUGEPAGE};
	struct mmb_map *m;
	unsigned char b[32];
	char e[256];

	ASSERT_OK(tfile_write(p, MiB, 5));
	ASSERT_OK(mmb_map_open(&m, p, NULL));
	ASSERT_OK(mmb_map_advise(m, MMB_ADV_NORMAL, 0, 0));
	ASSERT_OK(mmb_map_advise(m, MMB_ADV_NOHUGEPAGE, 0, 0));
	ASSERT_OK(mmb_map_advise(m, MMB_ADV_WILLNEED, 4096, 65536));
	ASSERT_OK(mmb_map_advise(m, MMB_ADV_DONTNEED, 0, 0));
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		ASSERT_EQ(mmb_map_advise(m, none[i], 0, 0), MMB_ENOTSUP);
		mmb_errmsg(e, sizeof(e));
		ASSERT(strstr(e, "no Windows equivalent"));
	}
	ASSERT_EQ(mmb_map_advise(m, MMB_ADV_FREE, 0, 0), MMB_ENOTSUP);
	ASSERT(strstr(mmb_errmsg(e, sizeof(e)), "MADV_FREE"));
	/* DONTNEED kept the data */
	ASSERT_OK(mmb_map_read(m, 5000, b, sizeof(b)));
	for (size_t i = 0; i < sizeof(b); i++)
		ASSERT_EQ(b[i], tpattern(5000 + i, 5));
	ASSERT_OK(mmb_map_close(m));

	/* copy-on-write: DONTNEED would have to drop private copies */
	ASSERT_OK(mmb_map_open(&m, p, &cow));
	ASSERT_OK(mmb_map_write(m, 10, "private", 7));
	ASSERT_EQ(mmb_map_advise(m, MMB_ADV_DONTNEED, 0, 0), MMB_ENOTSUP);
	ASSERT_OK(mmb_map_read(m, 10, b, 7));
	ASSERT(memcmp(b, "private", 7) == 0);
	ASSERT_OK(mmb_map_close(m));

	/* the advice flags of mmb_map_open follow the same rules */
	ASSERT_EQ(mmb_map_open(&m, p, &thp), MMB_ENOTSUP);
	ASSERT_OK(mmb_map_open(&m, p, &will));
	ASSERT_OK(mmb_map_close(m));
	return 0;
}

TEST_IMPL(win_lock_resident)
{
	const char *p = tpath(0, "lock.dat");
	struct mmb_map_opts lock = {.flags = MMB_MAP_LOCK};
	struct mmb_map_opts pop = {.flags = MMB_MAP_POPULATE};
	struct mmb_map *m;
	double r;

	/* 4 MiB: far above the default working-set minimum, so VirtualLock
	 * needs the working set grown on Windows */
	ASSERT_OK(tfile_write(p, 4 * MiB, 6));
	ASSERT_OK(mmb_map_open(&m, p, NULL));
	r = mmb_map_resident(m);
	ASSERT(r >= 0.0 && r <= 1.0);
	ASSERT_OK(mmb_map_lock(m));
	ASSERT(mmb_map_resident(m) == 1.0);
	ASSERT_OK(mmb_map_unlock(m));
	ASSERT_OK(mmb_map_unlock(m)); /* like munlock: not an error */
	ASSERT_OK(mmb_map_close(m));

	ASSERT_OK(mmb_map_open(&m, p, &lock));
	ASSERT(mmb_map_resident(m) == 1.0);
	ASSERT_OK(mmb_map_close(m));
	ASSERT_OK(mmb_map_open(&m, p, &pop));
	ASSERT(mmb_map_resident(m) == 1.0);
	ASSERT_OK(mmb_map_close(m));
	return 0;
}

/* Flushed bytes are what another handle reads; copy-on-write flushes
 * nothing. */
TEST_IMPL(win_flush)
{
	const char *p = tpath(0, "flush.dat");
	struct mmb_map_opts rw = {.access = MMB_ACCESS_RDWR};
	struct mmb_map_opts cow = {.access = MMB_ACCESS_COW};
	struct mmb_map *m;
	unsigned char b[8];
	OVERLAPPED ov = {.Offset = 70000};
	DWORD got;
	HANDLE h;

	ASSERT_OK(tfile_write(p, 2 * MiB, 7));
	ASSERT_OK(mmb_map_open(&m, p, &rw));
	ASSERT_OK(mmb_map_set_sync(m, MMB_SYNC_IMMEDIATE, 0));
	ASSERT_OK(mmb_map_write(m, 70000, "synced!!", 8));
	ASSERT_EQ(mmb_map_flushes(m), 1);
	ASSERT_OK(mmb_map_flush(m, 0, 0, true));
	ASSERT_OK(mmb_map_flush(m, 65536, 4096, false));
	h = open_w(p, GENERIC_READ,
		   FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE);
	ASSERT(h != INVALID_HANDLE_VALUE);
	ASSERT(ReadFile(h, b, 8, &got, &ov) && got == 8);
	ASSERT(memcmp(b, "synced!!", 8) == 0);
	ASSERT_OK(mmb_map_close(m));

	ASSERT_OK(mmb_map_open(&m, p, &cow));
	ASSERT_OK(mmb_map_write(m, 70000, "PRIVATE!", 8));
	ASSERT_OK(mmb_map_flush(m, 0, 0, false));
	ASSERT_OK(mmb_map_close(m));
	ASSERT(ReadFile(h, b, 8, &got, &ov) && got == 8);
	ASSERT(memcmp(b, "synced!!", 8) == 0);
	CloseHandle(h);
	return 0;
}

/* Windows has large pages only for paging-file sections, never for a file
 * view: MMB_MAP_HUGETLB on a file is refused, not quietly mapped with
 * 4 KiB pages. */
TEST_IMPL(win_hugetlb_refused)
{
	const char *p = tpath(0, "huge.dat");
	size_t h = mmb_huge_page_size();
	struct mmb_map_opts o = {.flags = MMB_MAP_HUGETLB};
	struct mmb_map *m = NULL;
	int rc;

	ASSERT_EQ(h, GetLargePageMinimum());
	if (!h)
		SKIP("GetLargePageMinimum() is 0: no large pages");
	ASSERT_OK(tfile_write(p, 2 * h, 8));
	rc = mmb_map_open(&m, p, &o);
	ASSERT_EQ(rc, MMB_ENOTSUP);
	ASSERT(m == NULL);
	return 0;
}

/* Sections made by libmmb report the creator's exact size (a header page
 * keeps it); one made by another program has no header and reports its
 * page-rounded size, its bytes starting at the view. */
TEST_IMPL(win_shm_exact_and_foreign_size)
{
	char name[64];
	WCHAR wname[64];
	struct mmb_map *m, *o;
	HANDLE h;
	char *p;

	snprintf(name, sizeof(name), "/mmb-win-%lu", GetCurrentProcessId());
	ASSERT_OK(mmb_shm_create(&m, name, 1000));
	ASSERT_OK(mmb_shm_open(&o, name));
	ASSERT_EQ(mmb_map_size(o), 1000);
	ASSERT_OK(mmb_map_write(m, 0, "first byte", 10));
	ASSERT(memcmp(mmb_map_data(o), "first byte", 10) == 0);
	ASSERT_OK(mmb_shm_remove(name));
	mmb_map_close(o);
	mmb_map_close(m);

	snprintf(name, sizeof(name), "/mmb-foreign-%lu", GetCurrentProcessId());
	ASSERT(MultiByteToWideChar(CP_UTF8, 0, name, -1, wname, 64) > 0);
	h = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0,
			       1000, wname);
	ASSERT(h != NULL);
	p = MapViewOfFile(h, FILE_MAP_WRITE, 0, 0, 0);
	ASSERT(p != NULL);
	memcpy(p, "foreign", 7);
	ASSERT_OK(mmb_shm_open(&o, name));
	ASSERT_EQ(mmb_map_size(o), mmb_page_size());
	ASSERT(memcmp(mmb_map_data(o), "foreign", 7) == 0);
	mmb_map_close(o);
	UnmapViewOfFile(p);
	CloseHandle(h);
	return 0;
}
