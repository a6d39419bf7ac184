/* SPDX-License-Identifier: MIT */
/* posix/output.c - what mmbench run writes and measures on Linux beyond
 * the JSON and CSV of output.c: the HTML report, and every option; the
 * terminal's width; a command's --help captured for the help pages. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "output.h"
#include "mmb/error.h"
#include "mmbench/pressure.h"
#include "mmbench/report.h"
#include "mmbench/result.h"

const char *mmb_cli_default_backends(void)
{
	return "pread,mmap";
}

const char *mmb_cli_unavailable(const char *opt)
{
	(void)opt;
	return NULL;
}

/* --report DIR: the report is rendered from a results file, --json's or
 * a temporary one removed afterwards. */
int mmb_cli_save_report(const struct mmb_run_result *res, const char *json,
			const char *dir)
{
	char tmp[] = "/tmp/mmbench-run-XXXXXX.json", err[1024], msg[512];
	const char *file = json;
	int rc;

	if (!json) {
		int fd = mkstemps(tmp, 5);
		if (fd < 0) {
			fprintf(stderr,
				"mmbench run: --report: mkstemps(%s): "
				"%s\n",
				tmp, mmb_strerror(-errno));
			return -1;
		}
		close(fd);
		mmb_interrupt_tempfile(tmp);
		file = tmp;
		if (mmb_report_json(res, tmp) < 0) {
			fprintf(stderr, "mmbench run: --report: %s\n",
				mmb_errmsg(msg, sizeof(msg)));
			unlink(tmp);
			mmb_interrupt_tempfile_done(tmp);
			return -1;
		}
	}
	rc = mmb_report_write(&file, 1, dir, err, sizeof(err));
	if (!json) {
		unlink(tmp);
		mmb_interrupt_tempfile_done(tmp);
	}
	if (rc < 0) {
		fprintf(stderr, "mmbench run: --report %s: %s\n", dir, err);
		return -1;
	}
	return 0;
}

unsigned mmb_cli_term_width(void)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	uint64_t cols;

	if (isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
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
	off_t len;

	fflush(stdout);
	if (!tmp || (saved = dup(STDOUT_FILENO)) < 0 ||
	    dup2(fileno(tmp), STDOUT_FILENO) < 0) {
		fprintf(stderr,
			"mmbench: %s --help into a temporary file: %s\n",
			cmd->name, mmb_strerror(-errno));
		goto out;
	}
	cmd->fn(2, args);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	/* fd 1 shared the file's offset: it stands at the end. */
	len = lseek(fileno(tmp), 0, SEEK_END);
	if (len < 0 || !(text = malloc((size_t)len + 1))) {
		fprintf(stderr, "mmbench: %s --help: out of memory\n",
			cmd->name);
		goto out;
	}
	rewind(tmp);
	text[fread(text, 1, (size_t)len, tmp)] = 0;
out:
	if (saved >= 0)
		close(saved);
	if (tmp)
		fclose(tmp);
	return text;
}

double mmb_cli_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
