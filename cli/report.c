/* SPDX-License-Identifier: MIT */
/* report.c - `mmbench report RESULTS.json... -o DIR`: plots and an HTML
 * page of one results file, or of a sweep of several (mmbench/report.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "stage.h"
#include "mmbench/report.h"

static void report_usage(FILE *f)
{
	fprintf(f,
		"usage: mmbench report RESULTS.json [RESULTS.json...] -o DIR\n"
		"\n"
		"Writes DIR/index.html (context, verdict, tables, skipped "
		"backends, plots)\n"
		"and DIR/plots/: a gnuplot script, its data and the PNG and "
		"SVG of each plot\n"
		"(throughput, latency percentiles, latency CDF, page "
		"faults). Several files\n"
		"that differ in one context number (threads, file_size, "
		"block_size, ...)\n"
		"also get a sweep plot of throughput against it.\n"
		"\n"
		"DIR is built beside itself and renamed into place; an "
		"existing DIR is\n"
		"replaced only if it is empty or a previous report. Needs "
		"gnuplot\n"
		"(package gnuplot-nox).\n"
		"\n"
		"  -o, --output DIR   the report directory (required)\n"
		"  -h, --help         this help\n"
		"\n"
		"Exit status: 0 written, 1 failure (gnuplot missing or "
		"failing, I/O),\n"
		"2 bad usage or bad input (nothing written).\n");
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *outdir = NULL;
	char err[1024];
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outdir = optarg;
			break;
		case 'h':
			report_usage(stdout);
			return MMB_EXIT_OK;
		default:
			fprintf(stderr,
				"mmbench report: bad option '%s' (see mmbench "
				"report --help)\n",
				argv[optind - 1]);
			return MMB_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "mmbench report: no results file given (see "
				"mmbench report --help)\n");
		return MMB_EXIT_USAGE;
	}
	if (!outdir) {
		fprintf(stderr, "mmbench report: no output directory given "
				"(-o DIR)\n");
		return MMB_EXIT_USAGE;
	}
	mmb_interrupt_install();
	rc = mmb_cli_stage_files(outdir, (const char *const *)argv + optind,
				 argc - optind, err, sizeof(err));
	if (rc == 0) {
		printf("mmbench report: wrote %s/index.html\n", outdir);
		return mmb_cli_stopped("mmbench report");
	}
	fprintf(stderr, "mmbench report: %s\n", err);
	/* Bad input files, a bad -o or a directory that is not ours: the
	 * user's to fix, and nothing was written. */
	if (rc == MMB_EPARSE || rc == MMB_EINVAL || rc == MMB_EEXIST)
		return MMB_EXIT_USAGE;
	return MMB_EXIT_FAIL;
}
