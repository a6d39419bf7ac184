/* SPDX-License-Identifier: MIT */
/* win/output.c - what mmbench run writes and measures on Windows beyond
 * the JSON and CSV of output.c: the HTML report (its tables always, its
 * plots when gnuplot.exe is in PATH), and which options are Linux only,
 * refused before anything runs in one line with exit code 2. */
#include <windows.h>

#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "output.h"
#include "stage.h"
#include "mmb/error.h"
#include "mmbench/report.h"
#include "mmbench/result.h"

/* stdout and stderr in binary mode, before main: the CRT's text mode
 * would turn every \n into \r\n, and compare's table, baseline's lines
 * and the rest must be the bytes Linux prints (a console shows \n as a
 * new line either way). */
__attribute__((constructor)) static void binary_stdio(void)
{
	_setmode(_fileno(stdout), _O_BINARY);
	_setmode(_fileno(stderr), _O_BINARY);
	/* The table and the verdict say "µs" and "×" in UTF-8. */
	SetConsoleOutputCP(CP_UTF8);
}

static const struct {
	const char *opt, *why;
} unavailable[] = {
    {"memory-limit", "not available on Windows (memory cgroups)"},
    {"interval", "not available on Windows (mincore, /proc/interrupts)"},
};

const char *mmb_cli_default_backends(void)
{
	return "readfile,winview";
}

const char *mmb_cli_unavailable(const char *opt)
{
	for (size_t i = 0; i < sizeof(unavailable) / sizeof(unavailable[0]);
	     i++)
		if (strcmp(unavailable[i].opt, opt) == 0)
			return unavailable[i].why;
	return NULL;
}

/* The report code builds in its own DIR.tmp-XXXXXX and renames it into
 * place. The console handler runs on a thread of its own and cannot
 * remove a directory whose files the main thread still has open, so a
 * second Ctrl-C waits here until the report is in place (or has failed
 * and removed its directory), then exits (mmb_interrupt_hold); the first
 * only asks to stop. A gnuplot.exe child gets the same console event and
 * ends its plot early. */
int mmb_cli_stage_report(const char *dir, mmb_cli_report_fn build, void *ctx,
			 char *err, size_t errlen)
{
	int rc;

	mmb_interrupt_hold();
	rc = build(ctx, dir, err, errlen);
	mmb_interrupt_release();
	return rc;
}

/* --report DIR: the report is rendered from a results file, --json's or
 * a temporary one (GetTempFileName) kept in the report as
 * DIR/results.json (stage.h) and removed. */
int mmb_cli_save_report(const struct mmb_run_result *res, const char *json,
			const char *dir)
{
	static char tmp[MAX_PATH + 16];
	char tdir[MAX_PATH + 1], err[1024], msg[512];
	const char *file = json;
	int rc;

	if (!json) {
		DWORD tl = GetTempPathA(sizeof(tdir), tdir);
		if (tl == 0 || tl >= sizeof(tdir) ||
		    !GetTempFileNameA(tdir, "mmb", 0, tmp)) {
			fprintf(stderr,
				"mmbench run: --report: GetTempFileName: "
				"Windows error %lu\n",
				(unsigned long)GetLastError());
			return -1;
		}
		mmb_interrupt_tempfile(tmp);
		file = tmp;
		if (mmb_report_json(res, tmp) < 0) {
			fprintf(stderr, "mmbench run: --report: %s\n",
				mmb_errmsg(msg, sizeof(msg)));
			DeleteFileA(tmp);
			mmb_interrupt_tempfile_done(tmp);
			return -1;
		}
	}
	/* without --json the results stay as DIR/results.json, and the
	 * page names that, not the temporary file */
	rc = mmb_cli_stage_one(dir, file, json ? NULL : "results.json", err,
			       sizeof(err));
	if (!json) {
		DeleteFileA(tmp);
		mmb_interrupt_tempfile_done(tmp);
	}
	if (rc < 0) {
		fprintf(stderr, "mmbench run: --report %s: %s\n", dir, err);
		return -1;
	}
	return 0;
}

/* The console's window width; else $COLUMNS, else the narrow layout. */
unsigned mmb_cli_term_width(void)
{
	CONSOLE_SCREEN_BUFFER_INFO ci;
	const char *env = getenv("COLUMNS");
	uint64_t cols;

	if (GetConsoleScreenBufferInfo(GetStdHandle(STD_OUTPUT_HANDLE), &ci) &&
	    ci.srWindow.Right > ci.srWindow.Left)
		return (unsigned)(ci.srWindow.Right - ci.srWindow.Left + 1);
	if (env && mmb_cli_u64(env, false, &cols) == 0 && cols >= 20 &&
	    cols <= 10000)
		return (unsigned)cols;
	return MMB_CLI_NARROW;
}

/* stdout goes to a temporary file while the command prints its help. */
char *mmb_cli_help_text(const struct mmb_cmd *cmd)
{
	char *args[] = {(char *)cmd->name, "--help", NULL}, *text = NULL;
	FILE *tmp = tmpfile();
	int saved = -1;
	long len;

	fflush(stdout);
	if (!tmp || (saved = _dup(_fileno(stdout))) < 0 ||
	    _dup2(_fileno(tmp), _fileno(stdout)) < 0) {
		fprintf(stderr,
			"mmbench: %s --help into a temporary file "
			"failed\n",
			cmd->name);
		goto out;
	}
	cmd->fn(2, args);
	fflush(stdout);
	_dup2(saved, _fileno(stdout));
	len = _lseek(_fileno(tmp), 0, SEEK_END);
	if (len < 0 || !(text = malloc((size_t)len + 1))) {
		fprintf(stderr, "mmbench: %s --help: out of memory\n",
			cmd->name);
		goto out;
	}
	rewind(tmp);
	text[fread(text, 1, (size_t)len, tmp)] = 0;
out:
	if (saved >= 0)
		_close(saved);
	if (tmp)
		fclose(tmp);
	return text;
}

double mmb_cli_now(void)
{
	return (double)GetTickCount64() / 1e3;
}
