/* SPDX-License-Identifier: MIT */
/* stage.h - the one path every command's report takes to its directory
 * (run, sweep, experiment, report, compare --report): built in a stage of
 * the process's own beside the destination, then put in place in one
 * step, so that after any number of Ctrl-Cs there is the complete report
 * or nothing new (posix/output.c; win/output.c). */
#ifndef MMB_CLI_STAGE_H
#define MMB_CLI_STAGE_H

#include <stddef.h>

#include "mmbench/report.h"

/* Writes a report into outdir (which does not exist yet): 0, or a
 * negative MMB_E* with a one-line message in err. */
typedef int (*mmb_cli_report_fn)(void *ctx, const char *outdir, char *err,
				 size_t errlen);

/* build's report, put in place at dir: an absent or empty dir, or a
 * previous report, which is replaced whole (anything else is refused).
 * POSIX: built in DIR.tmp-XXXXXX, registered for a second signal to
 * remove whole, and renamed into place with a second signal held off.
 * Windows: the report code's own temp directory and rename, with a
 * second Ctrl-C held off until the report is in place (the console
 * handler's thread cannot remove files the main thread has open).
 * 0, or build's negative MMB_E* (or the staging's) with err filled. */
int mmb_cli_stage_report(const char *dir, mmb_cli_report_fn build, void *ctx,
			 char *err, size_t errlen);

/* The report of nfiles results files (mmb_report_write) into dir, so
 * staged. */
struct mmb_cli_files {
	const char *const *files;
	int n;
};

static inline int mmb_cli__report_of(void *ctx, const char *outdir, char *err,
				     size_t errlen)
{
	const struct mmb_cli_files *in = ctx;

	return mmb_report_write(in->files, in->n, outdir, err, errlen);
}

static inline int mmb_cli_stage_files(const char *dir, const char *const *files,
				      int nfiles, char *err, size_t errlen)
{
	struct mmb_cli_files in = {files, nfiles};

	return mmb_cli_stage_report(dir, mmb_cli__report_of, &in, err, errlen);
}

/* The report of one results file json into dir, so staged. keep NULL:
 * the page names json by its path. keep a file name (run and sweep
 * --report without --json, whose json is temporary): json is also
 * copied into the report as DIR/keep, inside the stage, and the page
 * names it so; it is in place with the page or not at all (cli/util.c). */
int mmb_cli_stage_one(const char *dir, const char *json, const char *keep,
		      char *err, size_t errlen);

/* For the commands that measure nothing (report, compare, baseline):
 * Ctrl-C handled as for run (mmb_interrupt_install), the first one asking
 * to stop after the output under way. 128 + the signal when one came,
 * with a line on stderr saying so (who: "mmbench report"); else 0. */
int mmb_cli_stopped(const char *who);

#endif
