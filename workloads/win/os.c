/* SPDX-License-Identifier: MIT */
/* win/os.c - the test file's I/O, aligned buffers, fault and CPU-time
 * counters and page-cache state on Windows.
 *
 * Faults: GetProcessMemoryInfo's PageFaultCount, the process's total of
 * soft and hard faults (all threads); Windows has no per-process split
 * into minor and major, so the runner records those as unavailable.
 * Residency: Windows cannot tell which pages of a file are in its cache
 * (the standby list) short of mapping and touching them, which would
 * change the answer; it is reported as unavailable (NAN), not guessed.
 * Cold cache: there is no call that drops one file from the standby list
 * (FILE_FLAG_NO_BUFFERING bypasses the cache for that handle's own I/O
 * and purges the file's pages only when no mapping holds them), so
 * --cache cold does what it can (mmb__cache_drop) and records residency
 * as unknown. */
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <math.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <windows.h>
#include <psapi.h>

#include "internal.h"
#include "winerr.h"

static int win_err(const char *what, const char *path)
{
	DWORD e = GetLastError();
	return mmb_seterr(mmb__win_error(e), (long)e, "%s(%s)", what, path);
}

int mmb__file_open_ro(const char *path, int *fd, uint64_t *size, bool *regular)
{
	struct _stati64 st;
	int f = _open(path, _O_RDONLY | _O_BINARY | _O_NOINHERIT);

	if (f < 0)
		return mmb_seterr(-errno, errno, "open(%s)", path);
	if (_fstati64(f, &st) < 0) {
		int e = errno;
		_close(f);
		return mmb_seterr(-e, e, "fstat(%s)", path);
	}
	*fd = f;
	*size = (uint64_t)st.st_size;
	*regular = (st.st_mode & _S_IFMT) == _S_IFREG;
	return 0;
}

int mmb__file_info(int fd, struct mmb__file_info *fi)
{
	struct _stati64 st;

	if (_fstati64(fd, &st) < 0)
		return mmb_seterr(-errno, errno, "fstat");
	memset(fi, 0, sizeof(*fi));
	fi->size = (uint64_t)st.st_size;
	fi->mtime_ns = (uint64_t)st.st_mtime * 1000000000ull;
	fi->nlink = 1;
	fi->regular = (st.st_mode & _S_IFMT) == _S_IFREG;
	fi->mine = true;
	return 0;
}

/* No symlinks to refuse in %TEMP%\mmbench, and no inode numbers: the
 * identity stays unset (dev = ino = 0), so nothing compares it. */
int mmb__file_open_nofollow(const char *path, int *fd,
			    struct mmb__file_info *fi)
{
	int f = _open(path, _O_RDONLY | _O_BINARY | _O_NOINHERIT);

	if (f < 0)
		return mmb_seterr(-errno, errno, "open(%s)", path);
	if (mmb__file_info(f, fi) < 0) {
		_close(f);
		return mmb_last_error()->code;
	}
	*fd = f;
	return 0;
}

int mmb__file_check_id(const char *path, int fd, const struct mmb_file_id *id)
{
	(void)path, (void)fd, (void)id;
	return 0;
}

void mmb__file_close(int fd)
{
	_close(fd);
}

/* Positional I/O on the CRT descriptor's handle: an OVERLAPPED offset on a
 * synchronous handle reads there without a shared file pointer to race
 * on. Reads and writes are at most 1 GiB at a time (a DWORD count). */
static OVERLAPPED at(uint64_t off)
{
	OVERLAPPED ov = {0};
	ov.Offset = (DWORD)off;
	ov.OffsetHigh = (DWORD)(off >> 32);
	return ov;
}

long mmb__file_pread(int fd, void *buf, size_t len, uint64_t off)
{
	HANDLE h = (HANDLE)_get_osfhandle(fd);
	OVERLAPPED ov = at(off);
	DWORD got = 0, n = len > (1u << 30) ? (1u << 30) : (DWORD)len;

	if (ReadFile(h, buf, n, &got, &ov))
		return (long)got;
	DWORD e = GetLastError();
	if (e == ERROR_HANDLE_EOF)
		return 0;
	return mmb_seterr(mmb__win_error(e), (long)e,
			  "ReadFile(offset=%llu, len=%zu)",
			  (unsigned long long)off, len);
}

long mmb__file_pwrite(int fd, const void *buf, size_t len, uint64_t off)
{
	HANDLE h = (HANDLE)_get_osfhandle(fd);
	OVERLAPPED ov = at(off);
	DWORD put = 0, n = len > (1u << 30) ? (1u << 30) : (DWORD)len;

	if (WriteFile(h, buf, n, &put, &ov))
		return (long)put;
	DWORD e = GetLastError();
	return mmb_seterr(mmb__win_error(e), (long)e,
			  "WriteFile(offset=%llu, len=%zu)",
			  (unsigned long long)off, len);
}

int mmb__file_temp(const char *path, char *tmp, size_t n, int *fd)
{
	int len = snprintf(tmp, n, "%s.%lu.XXXXXX", path,
			   (unsigned long)GetCurrentProcessId());

	if (len < 0 || (size_t)len >= n)
		return mmb_seterr(MMB_ENAMETOOLONG, ENAMETOOLONG, "%s", path);
	*fd = mkstemp(tmp);
	if (*fd < 0)
		return mmb_seterr(-errno, errno, "mkstemp(%s)", tmp);
	return 0;
}

/* The pid of "<base>.<pid>.XXXXXX", or 0 when name is not such a temp. */
static unsigned long temp_pid(const char *name, const char *base)
{
	size_t bl = strlen(base);
	char *end;
	unsigned long pid;

	if (strncmp(name, base, bl) != 0 || name[bl] != '.' ||
	    name[bl + 1] < '1' || name[bl + 1] > '9')
		return 0;
	pid = strtoul(name + bl + 1, &end, 10);
	return *end == '.' && strlen(end + 1) == 6 ? pid : 0;
}

static bool process_gone(unsigned long pid)
{
	HANDLE h = OpenProcess(SYNCHRONIZE, FALSE, (DWORD)pid);

	if (h) {
		DWORD w = WaitForSingleObject(h, 0);
		CloseHandle(h);
		return w == WAIT_OBJECT_0;
	}
	return GetLastError() == ERROR_INVALID_PARAMETER;
}

int mmb__file_sweep_temps(const char *dir, const char *base)
{
	char pat[MAX_PATH + 16], full[2 * MAX_PATH + 2];
	WIN32_FIND_DATAA fd;
	HANDLE h;
	int removed = 0;

	snprintf(pat, sizeof(pat), "%s\\*.*.??????", dir);
	h = FindFirstFileA(pat, &fd);
	if (h == INVALID_HANDLE_VALUE)
		return 0;
	do {
		const char *name = fd.cFileName;
		const char *dat = strstr(name, ".dat.");
		char b[MAX_PATH];
		unsigned long pid = temp_pid(name, base);

		if (!pid && strncmp(name, "mmbench-", 8) == 0 && dat &&
		    (size_t)(dat - name) + 4 < sizeof(b)) {
			memcpy(b, name, (size_t)(dat - name) + 4);
			b[(dat - name) + 4] = 0;
			pid = temp_pid(name, b);
		}
		if (!pid || pid == GetCurrentProcessId() ||
		    (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) ||
		    !process_gone(pid))
			continue;
		snprintf(full, sizeof(full), "%s\\%s", dir, name);
		removed += DeleteFileA(full) != 0;
	} while (FindNextFileA(h, &fd));
	FindClose(h);
	return removed;
}

int mmb__file_publish(int fd, const char *tmp, const char *path)
{
	/* No mode to set: the file gets the directory's inherited ACL. */
	if (_close(fd) < 0)
		return mmb_seterr(-errno, errno, "close(%s)", tmp);
	if (!MoveFileExA(tmp, path, MOVEFILE_REPLACE_EXISTING))
		return win_err("MoveFileEx", path);
	return 0;
}

void mmb__file_remove(const char *path)
{
	DeleteFileA(path);
}

int mmb__mkdir(const char *dir, bool private_dir)
{
	/* The directory inherits its parent's ACL; %TEMP% is per-user. */
	(void)private_dir;
	if (CreateDirectoryA(dir, NULL))
		return 0;
	/* "C:" and other roots fail with access denied rather than
	 * "exists": what matters is that a directory is there. */
	DWORD a = GetFileAttributesA(dir);
	if (a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY))
		return 0;
	return win_err("CreateDirectory", dir);
}

int mmb__dir_check(const char *dir)
{
	DWORD a = GetFileAttributesA(dir);

	if (a == INVALID_FILE_ATTRIBUTES)
		return win_err("GetFileAttributes", dir);
	if (!(a & FILE_ATTRIBUTE_DIRECTORY))
		return mmb_seterr(MMB_ENOTDIR, ENOTDIR, "data directory %s",
				  dir);
	return 0;
}

int mmb__dir_space(const char *dir, uint64_t *avail)
{
	ULARGE_INTEGER free_to_caller;

	if (!GetDiskFreeSpaceExA(dir, &free_to_caller, NULL, NULL))
		return win_err("GetDiskFreeSpaceEx", dir);
	*avail = free_to_caller.QuadPart;
	return 0;
}

int mmb__file_stamp_get(int fd, char *buf, size_t n)
{
	(void)fd, (void)buf, (void)n;
	return mmb_seterr(MMB_ENOTSUP, 0, "file stamps: not on Windows");
}

int mmb__file_stamp_set(int fd, const char *stamp)
{
	(void)fd, (void)stamp;
	return mmb_seterr(MMB_ENOTSUP, 0, "file stamps: not on Windows");
}

int mmb__file_first_hole(int fd, uint64_t size, uint64_t *hole)
{
	(void)fd;
	*hole = size;
	return 0;
}

static char data_dir[MAX_PATH + 16];
static INIT_ONCE data_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK data_dir_init(PINIT_ONCE once, PVOID arg, PVOID *ctx)
{
	char t[MAX_PATH + 1];
	DWORD n = GetTempPathA(sizeof(t), t);

	(void)once, (void)arg, (void)ctx;
	if (n == 0 || n >= sizeof(t))
		snprintf(t, sizeof(t), "C:\\");
	/* GetTempPath ends with a backslash. */
	snprintf(data_dir, sizeof(data_dir), "%smmbench", t);
	return TRUE;
}

const char *mmb__data_dir(void)
{
	InitOnceExecuteOnce(&data_once, data_dir_init, NULL, NULL);
	return data_dir;
}

void *mmb__aligned_alloc(size_t align, size_t len)
{
	return _aligned_malloc(len, align);
}

void mmb__aligned_free(void *p)
{
	_aligned_free(p);
}

/* ---- counters ----------------------------------------------------------- */

const char *mmb__fault_source(char *why, size_t whylen)
{
	if (why && whylen)
		why[0] = 0;
	return "GetProcessMemoryInfo";
}

static uint64_t ft_ns(FILETIME ft)
{
	return (((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime) * 100;
}

/* PageFaultCount is a DWORD: the caller subtracts modulo 2^32. */
static void process_now(uint64_t *faults, uint64_t *user, uint64_t *sys)
{
	PROCESS_MEMORY_COUNTERS pmc = {.cb = sizeof(pmc)};
	FILETIME cr, ex, k, u;

	*faults = 0;
	if (GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof(pmc)))
		*faults = pmc.PageFaultCount;
	*user = *sys = 0;
	if (GetProcessTimes(GetCurrentProcess(), &cr, &ex, &k, &u)) {
		*user = ft_ns(u);
		*sys = ft_ns(k);
	}
}

int mmb__counters_open(struct mmb__counters *c, bool perf)
{
	(void)perf; /* no perf_event here */
	memset(c, 0, sizeof(*c));
	c->fd[0] = c->fd[1] = c->fd[2] = -1;
	return 0;
}

void mmb__counters_start(struct mmb__counters *c)
{
	process_now(&c->ru_minor, &c->ru_user_ns, &c->ru_sys_ns);
}

void mmb__counters_stop(struct mmb__counters *c, struct mmb__counts *out)
{
	uint64_t faults, user, sys;

	process_now(&faults, &user, &sys);
	memset(out, 0, sizeof(*out));
	out->faults = (uint32_t)((uint32_t)faults - (uint32_t)c->ru_minor);
	out->ru_faults = out->faults;
	out->split = false;
	out->user_ns = user - c->ru_user_ns;
	out->sys_ns = sys - c->ru_sys_ns;
}

void mmb__counters_close(struct mmb__counters *c)
{
	(void)c;
}

/* ---- page cache --------------------------------------------------------- */

double mmb__resident(int fd, uint64_t size)
{
	(void)fd, (void)size;
	return NAN;
}

/* Enable one privilege in this process's token; 0 when it is held. */
static int enable_privilege(const char *name)
{
	TOKEN_PRIVILEGES tp = {.PrivilegeCount = 1};
	HANDLE tok;
	int ok;

	if (!OpenProcessToken(GetCurrentProcess(),
			      TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY, &tok))
		return -1;
	tp.Privileges[0].Attributes = SE_PRIVILEGE_ENABLED;
	ok = LookupPrivilegeValueA(NULL, name, &tp.Privileges[0].Luid) &&
	     AdjustTokenPrivileges(tok, FALSE, &tp, 0, NULL, NULL) &&
	     GetLastError() == ERROR_SUCCESS; /* not ERROR_NOT_ALL_ASSIGNED */
	CloseHandle(tok);
	return ok ? 0 : -1;
}

/* Empty the system file cache's working set into the standby list
 * (SetSystemFileCacheSize(-1, -1): SeIncreaseQuotaPrivilege) and purge the
 * standby list (NtSetSystemInformation(SystemMemoryListInformation,
 * MemoryPurgeStandbyList): SeProfileSingleProcessPrivilege), as RAMMap's
 * "Empty Standby List" does: every file's cached pages, not only this
 * one's, like drop_caches on Linux. 0 when both calls succeeded. */
static int purge_standby(const char **why)
{
	typedef LONG(NTAPI * set_info_fn)(int, PVOID, ULONG);
	enum { SYSTEM_MEMORY_LIST_INFORMATION = 80, PURGE_STANDBY = 4 };
	int cmd = PURGE_STANDBY;
	HMODULE nt = GetModuleHandleA("ntdll.dll");
	set_info_fn set_info = nt ? (set_info_fn)(void (*)(void))GetProcAddress(
					nt, "NtSetSystemInformation")
				  : NULL;

	if (enable_privilege("SeIncreaseQuotaPrivilege") < 0 ||
	    enable_privilege("SeProfileSingleProcessPrivilege") < 0) {
		*why = "needs Administrator";
		return -1;
	}
	if (!SetSystemFileCacheSize((SIZE_T)-1, (SIZE_T)-1, 0)) {
		*why = "SetSystemFileCacheSize failed";
		return -1;
	}
	if (!set_info ||
	    set_info(SYSTEM_MEMORY_LIST_INFORMATION, &cmd, sizeof(cmd)) < 0) {
		*why = "NtSetSystemInformation failed";
		return -1;
	}
	return 0;
}

/* What can be done without a residency check: write the file's dirty
 * pages (FlushFileBuffers), reopen it unbuffered (FILE_FLAG_NO_BUFFERING:
 * the cache manager purges the file's cached pages when no mapping holds
 * them), and, when elevated, purge the standby list. Windows has no call
 * that says which pages of a file are cached, so whether it worked is
 * unknown: *resident is NAN and hint says what was done, and the runner
 * records the cold cache as unchecked, never as verified. */
int mmb__cache_drop(int fd, uint64_t size, double *resident, char *hint,
		    size_t hintlen)
{
	HANDLE h = (HANDLE)_get_osfhandle(fd), u;
	const char *why = NULL;

	(void)size;
	*resident = NAN;
	if (h == INVALID_HANDLE_VALUE)
		return mmb_seterr(MMB_EINVAL, 0, "--cache cold: bad fd %d", fd);
	/* A read-only handle cannot be flushed; there is nothing to write
	 * back then. */
	FlushFileBuffers(h);
	u = ReOpenFile(h, GENERIC_READ,
		       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
		       FILE_FLAG_NO_BUFFERING);
	if (u != INVALID_HANDLE_VALUE)
		CloseHandle(u);
	/* hint: under 128 bytes (the runner's buffer) */
	if (purge_standby(&why) == 0)
		snprintf(hint, hintlen,
			 " (Windows: standby list purged; residency unknown)");
	else
		snprintf(hint, hintlen,
			 " (Windows: reopened unbuffered; standby list not "
			 "purged: %s; residency unknown)",
			 why);
	return 0;
}

int mmb__smaps_huge(const void *addr, size_t len, uint64_t *file_pmd_kb,
		    uint64_t *anon_huge_kb)
{
	(void)addr, (void)len;
	*file_pmd_kb = *anon_huge_kb = 0;
	return 0;
}
