/* SPDX-License-Identifier: MIT */
/* win/child.c - the child `mmbench run` of sweep and experiment through
 * CreateProcess of this very executable (GetModuleFileName), and their
 * temp directory under GetTempPath (%TMP%); commands.h.
 *
 * The child shares this console, so a Ctrl-C at it reaches both, as a
 * terminal's SIGINT does on Linux: the child stops its repetition and
 * writes what it measured, this process stops the sweep and merges it; a
 * second one makes each clean up after itself and exit (win/interrupt.c).
 * Unlike Linux nothing is forwarded: Windows has no event for one process
 * other than its whole console group, which would hit this process as
 * well; an event this process alone got stops the sweep after the point
 * under way. */
#include <windows.h>

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../../core/win/winerr.h"
#include "commands.h"
#include "mmb/error.h"

#define MAX_ARGS 128
#define CMDLINE	 32768 /* CreateProcess's limit, in characters */

/* Append arg to the command line quoted as CommandLineToArgvW and the
 * CRT's parser read it back: quotes around it when it has a space, tab or
 * quote (or is empty), a backslash doubled only before a quote. */
static int append_arg(char *cmd, size_t *len, const char *arg)
{
	size_t n = *len;
	bool quote = !*arg || strpbrk(arg, " \t\"") != NULL;

	if (n && n < CMDLINE)
		cmd[n++] = ' ';
	if (quote && n < CMDLINE)
		cmd[n++] = '"';
	for (const char *p = arg;; p++) {
		size_t bs = 0;
		while (*p == '\\') {
			bs++;
			p++;
		}
		/* Backslashes before a quote, or before the closing quote,
		 * are doubled; elsewhere they stand for themselves. */
		size_t k = *p == '"' || (!*p && quote) ? 2 * bs : bs;
		for (size_t i = 0; i < k && n < CMDLINE; i++)
			cmd[n++] = '\\';
		if (!*p)
			break;
		if (*p == '"' && n < CMDLINE)
			cmd[n++] = '\\';
		if (n < CMDLINE)
			cmd[n++] = *p;
	}
	if (quote && n < CMDLINE)
		cmd[n++] = '"';
	if (n >= CMDLINE)
		return -1;
	cmd[n] = 0;
	*len = n;
	return 0;
}

int mmb_cli_tempdir(char *dir, size_t n, const char *what)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	char t[MAX_PATH + 1];
	DWORD tl = GetTempPathA(sizeof(t), t);

	if (tl == 0 || tl >= sizeof(t)) {
		fprintf(stderr, "mmbench %s: GetTempPath: Windows error %lu\n",
			what, (unsigned long)GetLastError());
		return -1;
	}
	/* GetTempPath ends in a backslash. */
	if ((size_t)snprintf(dir, n, "%smmbench-%s-XXXXXX", t, what) >= n) {
		fprintf(stderr, "mmbench %s: the temp path is too long (%s)\n",
			what, t);
		return -1;
	}
	size_t len = strlen(dir);
	LARGE_INTEGER now;
	QueryPerformanceCounter(&now);
	unsigned long long x =
	    (unsigned long long)now.QuadPart ^
	    ((unsigned long long)GetCurrentProcessId() << 24);
	for (int attempt = 0; attempt < 100; attempt++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		unsigned long long y = x >> 16;
		for (size_t i = len - 6; i < len; i++, y /= 36)
			dir[i] = digits[y % 36];
		if (CreateDirectoryA(dir, NULL)) {
			mmb_interrupt_tempfile(dir);
			return 0;
		}
		DWORD e = GetLastError();
		if (e != ERROR_ALREADY_EXISTS) {
			fprintf(stderr,
				"mmbench %s: CreateDirectory(%s): %s (Windows "
				"error %lu)\n",
				what, dir, mmb_strerror(mmb__win_error(e)),
				(unsigned long)e);
			return -1;
		}
	}
	fprintf(stderr, "mmbench %s: CreateDirectory(%s): 100 names taken\n",
		what, dir);
	return -1;
}

int mmb_cli_child_run(char *const *args, const char *json)
{
	static char cmd[CMDLINE + 1];
	char exe[MAX_PATH + 1];
	size_t len = 0;
	int nargs = 0;
	STARTUPINFOA si;
	PROCESS_INFORMATION pi;
	DWORD code;

	DWORD el = GetModuleFileNameA(NULL, exe, sizeof(exe));
	if (el == 0 || el >= sizeof(exe)) {
		fprintf(stderr,
			"mmbench: GetModuleFileName: Windows error %lu\n",
			(unsigned long)GetLastError());
		return MMB_EXIT_FAIL;
	}
	cmd[0] = 0;
	int bad = append_arg(cmd, &len, exe) || append_arg(cmd, &len, "run");
	for (; !bad && *args && nargs < MAX_ARGS; args++, nargs++)
		bad = append_arg(cmd, &len, *args);
	bad = bad || append_arg(cmd, &len, "--json") ||
	      append_arg(cmd, &len, json);
	if (bad) {
		fprintf(stderr, "mmbench: the command line of the child run is "
				"over 32767 characters\n");
		return MMB_EXIT_USAGE;
	}
	fflush(NULL);
	memset(&si, 0, sizeof(si));
	si.cb = sizeof(si);
	if (!CreateProcessA(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si,
			    &pi)) {
		DWORD e = GetLastError();
		fprintf(stderr,
			"mmbench: CreateProcess(%s): %s (Windows error %lu)\n",
			exe, mmb_strerror(mmb__win_error(e)), (unsigned long)e);
		return MMB_EXIT_FAIL;
	}
	CloseHandle(pi.hThread);
	mmb_interrupt_child((long)pi.dwProcessId);
	for (;;) {
		DWORD w = WaitForSingleObject(pi.hProcess, 20);
		if (w == WAIT_OBJECT_0)
			break;
		if (w == WAIT_FAILED) {
			DWORD e = GetLastError();
			fprintf(stderr,
				"mmbench: WaitForSingleObject: Windows error "
				"%lu\n",
				(unsigned long)e);
			mmb_interrupt_child(0);
			CloseHandle(pi.hProcess);
			return MMB_EXIT_FAIL;
		}
	}
	mmb_interrupt_child(0);
	if (!GetExitCodeProcess(pi.hProcess, &code))
		code = MMB_EXIT_FAIL;
	CloseHandle(pi.hProcess);
	/* Killed by a console event before its handler ran. */
	if (code == 0xC000013Aul) /* STATUS_CONTROL_C_EXIT */
		return 128 + SIGINT;
	return code > 255 ? MMB_EXIT_FAIL : (int)code;
}
