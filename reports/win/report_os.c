/* SPDX-License-Identifier: MIT */
/* win/report_os.c - report_os.h on Windows: the in-memory stream is a
 * delete-on-close temp file read back (msvcrt has no open_memstream), the
 * report's directories go through CreateDirectory, FindFirstFile and
 * MoveFileEx, and gnuplot runs through SearchPath + CreateProcess with its
 * stderr on a pipe. Without gnuplot the report keeps its tables and says
 * that plots need gnuplot and where to get it. */
#include <windows.h>

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/win/winerr.h"
#include "../report_os.h"
#include "../report_priv.h"

/* The one-line message for a failed call: "CALL(ARG): text (Windows
 * error N)"; returns the MMB_E* code. */
static int win_err(char *err, size_t errlen, const char *call, const char *arg)
{
	DWORD e = GetLastError();
	int code = mmb__win_error(e);

	return mmb__report_err(err, errlen, code,
			       "%s(%s): %s (Windows error %lu)", call, arg,
			       mmb_strerror(code), (unsigned long)e);
}

int mmb__membuf_open(struct mmb__membuf *m)
{
	char dir[MAX_PATH + 1], path[MAX_PATH + 16];
	HANDLE h;
	int fd;

	m->f = NULL;
	m->buf = NULL;
	m->len = 0;
	if (!GetTempPathA(sizeof(dir), dir) ||
	    !GetTempFileNameA(dir, "mmb", 0, path)) {
		errno = EIO;
		return MMB_EIO;
	}
	/* GetTempFileName made the file; open it again to be deleted on
	 * close, so nothing is left behind however the process ends. */
	h = CreateFileA(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_DELETE,
			NULL, TRUNCATE_EXISTING,
			FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE,
			NULL);
	if (h == INVALID_HANDLE_VALUE) {
		DeleteFileA(path);
		errno = EIO;
		return MMB_EIO;
	}
	fd = _open_osfhandle((intptr_t)h, _O_RDWR | _O_BINARY);
	if (fd < 0) {
		CloseHandle(h);
		return MMB_EIO;
	}
	/* Binary: the bytes are those Linux writes, \n and all. */
	m->f = _fdopen(fd, "w+b");
	if (!m->f) {
		_close(fd);
		return MMB_ENOMEM;
	}
	return 0;
}

int mmb__membuf_close(struct mmb__membuf *m)
{
	long n;
	int bad = fflush(m->f) != 0 || ferror(m->f) ||
		  fseek(m->f, 0, SEEK_END) != 0 || (n = ftell(m->f)) < 0 ||
		  fseek(m->f, 0, SEEK_SET) != 0;

	if (!bad) {
		m->buf = malloc((size_t)n + 1);
		if (!m->buf || fread(m->buf, 1, (size_t)n, m->f) != (size_t)n)
			bad = 1;
		else {
			m->buf[n] = '\0';
			m->len = (size_t)n;
		}
	}
	fclose(m->f);
	m->f = NULL;
	if (bad) {
		free(m->buf);
		m->buf = NULL;
		m->len = 0;
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

int mmb__dir_probe(const char *path, enum mmb__dir_state *st, char *err,
		   size_t errlen)
{
	char pat[MAX_PATH + 8];
	WIN32_FIND_DATAA fd;
	DWORD a = GetFileAttributesA(path);
	HANDLE h;

	if (a == INVALID_FILE_ATTRIBUTES) {
		DWORD e = GetLastError();
		if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND) {
			*st = MMB__DIR_ABSENT;
			return 0;
		}
		return win_err(err, errlen, "GetFileAttributes", path);
	}
	/* A junction or symlink is not ours to replace, as lstat says on
	 * Linux. */
	if (!(a & FILE_ATTRIBUTE_DIRECTORY) ||
	    (a & FILE_ATTRIBUTE_REPARSE_POINT)) {
		*st = MMB__DIR_NOT_DIR;
		return 0;
	}
	if ((size_t)snprintf(pat, sizeof(pat), "%s\\*", path) >= sizeof(pat))
		return mmb__report_err(err, errlen, MMB_ENAMETOOLONG,
				       "%s: name too long", path);
	*st = MMB__DIR_EMPTY;
	h = FindFirstFileA(pat, &fd);
	if (h == INVALID_HANDLE_VALUE) {
		if (GetLastError() == ERROR_FILE_NOT_FOUND)
			return 0;
		return win_err(err, errlen, "FindFirstFile", pat);
	}
	do
		if (strcmp(fd.cFileName, ".") != 0 &&
		    strcmp(fd.cFileName, "..") != 0)
			*st = MMB__DIR_FULL;
	while (*st == MMB__DIR_EMPTY && FindNextFileA(h, &fd));
	FindClose(h);
	return 0;
}

/* Replace the trailing XXXXXX of tmpl by six characters that differ
 * between processes and calls. */
static void fill_name(char *tmpl, unsigned attempt)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	static volatile LONG serial;
	size_t n = strlen(tmpl);
	LARGE_INTEGER now;

	QueryPerformanceCounter(&now);
	unsigned long long x =
	    ((unsigned long long)now.QuadPart * 2654435761u) ^
	    ((unsigned long long)GetCurrentProcessId() << 20) ^
	    (unsigned long long)(InterlockedIncrement(&serial) + attempt) *
		0x9e3779b97f4a7c15ull;
	for (size_t i = n - 6; i < n; i++, x /= 36)
		tmpl[i] = digits[x % 36];
}

int mmb__dir_mktemp(char *tmpl, char *err, size_t errlen)
{
	size_t n = strlen(tmpl);

	if (n < 6 || strcmp(tmpl + n - 6, "XXXXXX") != 0)
		return mmb__report_err(err, errlen, MMB_EINVAL,
				       "mkdtemp(%s): no XXXXXX", tmpl);
	for (unsigned attempt = 0; attempt < 100; attempt++) {
		fill_name(tmpl, attempt);
		if (CreateDirectoryA(tmpl, NULL))
			return 0;
		if (GetLastError() != ERROR_ALREADY_EXISTS)
			return win_err(err, errlen, "CreateDirectory", tmpl);
	}
	return mmb__report_err(err, errlen, MMB_EEXIST,
			       "CreateDirectory(%s): 100 names taken", tmpl);
}

int mmb__dir_make(const char *path, char *err, size_t errlen)
{
	if (!CreateDirectoryA(path, NULL))
		return win_err(err, errlen, "CreateDirectory", path);
	return 0;
}

void mmb__dir_remove(const char *path)
{
	char pat[MAX_PATH + 8], sub[MAX_PATH + 8];
	WIN32_FIND_DATAA fd;
	HANDLE h;

	if ((size_t)snprintf(pat, sizeof(pat), "%s\\*", path) >= sizeof(pat))
		return;
	h = FindFirstFileA(pat, &fd);
	if (h != INVALID_HANDLE_VALUE) {
		do {
			if (strcmp(fd.cFileName, ".") == 0 ||
			    strcmp(fd.cFileName, "..") == 0)
				continue;
			if ((size_t)snprintf(sub, sizeof(sub), "%s\\%s", path,
					     fd.cFileName) >= sizeof(sub))
				continue;
			/* Never into a junction: remove the link only. */
			if ((fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) &&
			    !(fd.dwFileAttributes &
			      FILE_ATTRIBUTE_REPARSE_POINT))
				mmb__dir_remove(sub);
			else if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
				RemoveDirectoryA(sub);
			else
				DeleteFileA(sub);
		} while (FindNextFileA(h, &fd));
		FindClose(h);
	}
	RemoveDirectoryA(path);
}

/* MoveFileEx cannot replace a directory: an empty destination is removed
 * first; a previous report is moved aside, the new one moved in (the old
 * one put back if that fails) and the old one removed. Between the two
 * moves the destination is briefly absent. */
int mmb__dir_install(const char *tmp, const char *dest, int dest_exists,
		     char *err, size_t errlen)
{
	char old[MAX_PATH + 32];
	int rc;

	if (!dest_exists) {
		/* Fails when something appeared in it meanwhile: then the
		 * move below fails too and says why. */
		RemoveDirectoryA(dest);
		if (!MoveFileExA(tmp, dest, 0))
			return win_err(err, errlen, "MoveFileEx", tmp);
		return 0;
	}
	if ((size_t)snprintf(old, sizeof(old), "%s.old-XXXXXX", dest) >=
	    sizeof(old))
		return mmb__report_err(err, errlen, MMB_ENAMETOOLONG,
				       "%s: name too long", dest);
	for (unsigned attempt = 0;; attempt++) {
		fill_name(old, attempt);
		if (MoveFileExA(dest, old, 0))
			break;
		if (GetLastError() != ERROR_ALREADY_EXISTS || attempt == 99)
			return win_err(err, errlen, "MoveFileEx", dest);
	}
	if (!MoveFileExA(tmp, dest, 0)) {
		rc = win_err(err, errlen, "MoveFileEx", tmp);
		/* Put the previous report back rather than lose it. */
		MoveFileExA(old, dest, 0);
		return rc;
	}
	mmb__dir_remove(old);
	return 0;
}

static int find_gnuplot(char *path, DWORD n)
{
	DWORD got = SearchPathA(NULL, "gnuplot", ".exe", n, path, NULL);

	return got > 0 && got < n ? 0 : -1;
}

int mmb__gnuplot_find(char *note, size_t notelen, char *err, size_t errlen)
{
	char path[MAX_PATH + 1];

	(void)err, (void)errlen;
	if (notelen)
		note[0] = '\0';
	if (find_gnuplot(path, sizeof(path)) == 0)
		return 0;
	snprintf(note, notelen,
		 "No plots: they need gnuplot, and no gnuplot.exe was found "
		 "in PATH. Install gnuplot for Windows (gnuplot.info, or "
		 "choco install gnuplot), put its bin folder in PATH and run "
		 "mmbench report again; the tables below are complete "
		 "without it.");
	return 0;
}

int mmb__gnuplot_run(const char *dir, const char *script, char *err,
		     size_t errlen)
{
	char exe[MAX_PATH + 1], cmd[2 * MAX_PATH + 16], msg[512];
	SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
	STARTUPINFOA si;
	PROCESS_INFORMATION pi;
	HANDLE rd, wr, nul;
	DWORD got, code = 0;
	size_t mlen = 0;
	int rc = 0;

	if (find_gnuplot(exe, sizeof(exe)) != 0)
		return mmb__report_err(err, errlen, MMB_ENOENT,
				       "gnuplot.exe not found in PATH");
	if ((size_t)snprintf(cmd, sizeof(cmd), "\"%s\" \"%s\"", exe, script) >=
	    sizeof(cmd))
		return mmb__report_err(err, errlen, MMB_ENAMETOOLONG,
				       "%s: name too long", exe);
	if (!CreatePipe(&rd, &wr, &sa, 0))
		return win_err(err, errlen, "CreatePipe", "gnuplot stderr");
	SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);
	nul = CreateFileA("NUL", GENERIC_READ | GENERIC_WRITE,
			  FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
			  OPEN_EXISTING, 0, NULL);
	memset(&si, 0, sizeof(si));
	si.cb = sizeof(si);
	si.dwFlags = STARTF_USESTDHANDLES;
	si.hStdInput = nul;
	si.hStdOutput = nul;
	si.hStdError = wr;
	if (!CreateProcessA(exe, cmd, NULL, NULL, TRUE, CREATE_NO_WINDOW, NULL,
			    dir, &si, &pi)) {
		rc = win_err(err, errlen, "CreateProcess", exe);
		CloseHandle(rd);
		CloseHandle(wr);
		if (nul != INVALID_HANDLE_VALUE)
			CloseHandle(nul);
		return rc;
	}
	CloseHandle(wr);
	if (nul != INVALID_HANDLE_VALUE)
		CloseHandle(nul);
	/* Read to the end (keeping the first 511 bytes), so gnuplot never
	 * blocks on a full pipe. */
	for (char sink[512];
	     ReadFile(rd, sink, sizeof(sink), &got, NULL) && got > 0;) {
		size_t k =
		    got < sizeof(msg) - 1 - mlen ? got : sizeof(msg) - 1 - mlen;
		memcpy(msg + mlen, sink, k);
		mlen += k;
	}
	msg[mlen] = '\0';
	CloseHandle(rd);
	WaitForSingleObject(pi.hProcess, INFINITE);
	if (!GetExitCodeProcess(pi.hProcess, &code))
		rc = win_err(err, errlen, "GetExitCodeProcess", exe);
	CloseHandle(pi.hProcess);
	CloseHandle(pi.hThread);
	if (rc)
		return rc;
	if (code != 0) {
		/* gnuplot's messages span lines; keep them on one. */
		for (char *p = msg; *p; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
		return mmb__report_err(err, errlen, MMB_EIO,
				       "gnuplot %s (in %s) exited with status "
				       "%lu: %s",
				       script, dir, (unsigned long)code, msg);
	}
	return 0;
}
