/* SPDX-License-Identifier: MIT */
/* posix/output.c - what mmbench run writes and measures on Linux beyond
 * the JSON and CSV of output.c: the HTML report, and every option; the
 * terminal's width; a command's --help captured for the help pages. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* renameat2 */
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "interrupt_os.h"
#include "output.h"
#include "stage.h"
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

/* A one-line error into err (errlen bytes). */
static void say(char *err, size_t errlen, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* The report built at `built` into dest, with stage (built's parent, to
 * be removed) for a previous report moved aside: rename() takes an absent
 * or empty dest in one step; a previous report is exchanged for the new
 * one in one step (RENAME_EXCHANGE: the old one lands in the stage), or,
 * where the file system cannot, moved into the stage first and put back
 * if the new one cannot follow. Anything else at dest is refused. Runs
 * with a second signal held, so dest is never left half-replaced. 0 or a
 * negative MMB_E*. */
static int install(const char *built, const char *dest, const char *stage,
		   char *err, size_t errlen)
{
	char old[4096];
	int e, rc;

	if (rename(built, dest) == 0)
		return 0;
	if (errno != ENOTEMPTY && errno != EEXIST) {
		e = errno;
		say(err, errlen, "rename(%s, %s): %s", built, dest,
		    mmb_strerror(-e));
		return -e;
	}
	/* Something appeared there since the check before the run. */
	if ((rc = mmb_report_check_dest(dest, err, errlen)) < 0)
		return rc;
	if (renameat2(AT_FDCWD, built, AT_FDCWD, dest, RENAME_EXCHANGE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS) {
		e = errno;
		say(err, errlen, "renameat2(%s, %s, RENAME_EXCHANGE): %s",
		    built, dest, mmb_strerror(-e));
		return -e;
	}
	snprintf(old, sizeof(old), "%s/old", stage);
	if (rename(dest, old) != 0) {
		e = errno;
		say(err, errlen, "rename(%s, %s): %s", dest, old,
		    mmb_strerror(-e));
		return -e;
	}
	if (rename(built, dest) != 0) {
		e = errno;
		rename(old, dest);
		say(err, errlen, "rename(%s, %s): %s", built, dest,
		    mmb_strerror(-e));
		return -e;
	}
	return 0;
}

/* build's report into dir, built in a stage of this process's own,
 * DIR.tmp-XXXXXX beside dir (the same file system, so that it can be
 * renamed into place), registered whole for a second signal to remove
 * (mmb__interrupt_os_tree): the report code's own temp directory and
 * gnuplot's plots are inside it, and the handler cannot know their names.
 * After any number of signals there is the complete dir or nothing new. */
int mmb_cli_stage_report(const char *dir, mmb_cli_report_fn build, void *ctx,
			 char *err, size_t errlen)
{
	char dest[3968], stage[4000], built[4096];
	size_t len = strlen(dir);
	sigset_t block, old;
	int rc;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (len == 0 || len >= sizeof(dest)) {
		say(err, errlen, "output directory name %s",
		    len ? "too long" : "empty");
		return len ? MMB_ENAMETOOLONG : MMB_EINVAL;
	}
	memcpy(dest, dir, len);
	dest[len] = '\0';
	snprintf(stage, sizeof(stage), "%s.tmp-XXXXXX", dest);
	/* Registered before a signal can find it unregistered. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	rc = mkdtemp(stage) ? 0 : -errno;
	if (rc == 0) {
		snprintf(built, sizeof(built), "%s/report", stage);
		mmb__interrupt_os_tree(stage);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc < 0) {
		say(err, errlen, "mkdtemp(%s): %s", stage, mmb_strerror(rc));
		return rc;
	}
	rc = build(ctx, built, err, errlen);
	if (rc == 0) {
		mmb_interrupt_hold();
		rc = install(built, dest, stage, err, errlen);
		/* A signal held meanwhile exits here, removing the stage
		 * (and in it the previous report or the unused new one). */
		mmb_interrupt_release();
	}
	mmb__interrupt_os_rmtree(stage);
	mmb__interrupt_os_tree(NULL);
	return rc;
}

/* --report DIR: the report is rendered from a results file, --json's or
 * a temporary one kept in the report as
 * DIR/results.json (stage.h) and removed. */
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
	/* without --json the results stay as DIR/results.json, and the
	 * page names that, not the temporary file */
	rc = mmb_cli_stage_one(dir, file, json ? NULL : "results.json", err,
			       sizeof(err));
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
