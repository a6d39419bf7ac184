/* SPDX-License-Identifier: MIT */
/* compare.c - `mmbench compare BASELINE.json CURRENT.json`: the regression
 * gate. Exit 0 pass, 1 regression, 2 bad usage or input, or no verdict (out
 * of memory, a report that could not be written). docs/ci-gate.md explains
 * the statistics and the CI recipe. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmbench/compare.h>
#include <mmbench/report.h>
#include <mmbench/result.h>

#include "commands.h"
#include "stage.h"

#define MAX_COUNTER_GATES 16

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: mmbench %s [options] BASELINE.json CURRENT.json\n"
		"\n"
		"Compare two results files (mmbench or Google Benchmark JSON) "
		"benchmark by\nbenchmark: median real_time, change, and a "
		"two-sided Mann-Whitney U test over\nthe repetitions. Fails "
		"when a benchmark is slower by more than the threshold\nAND "
		"the test is significant, or when a gated counter grew too "
		"much.\n"
		"\n"
		"options:\n"
		"  --threshold PCT      slow-down that fails, in percent "
		"(default 10)\n"
		"  --alpha A            significance level of the U test "
		"(default 0.05)\n"
		"  --counter NAME:LIM   also fail when counter NAME's median "
		"grows by more\n"
		"                       than LIM: 5%% (relative) or 100 "
		"(absolute); repeatable\n"
		"  --normalize NAME     divide every time by the median time "
		"of benchmark NAME\n"
		"                       in the same file (runner-independent "
		"ratios)\n"
		"  --json FILE          also write the comparison as JSON\n"
		"  --markdown FILE      also write it as a Markdown table (CI "
		"job summary)\n"
		"  --report DIR         also write an old-vs-new HTML page "
		"(the table and a\n"
		"                       plot of both times per benchmark) "
		"into DIR\n"
		"\n"
		"exit status: 0 pass, 1 regression, 2 bad usage or input, or "
		"the comparison\nor a requested report could not be made\n",
		prog);
}

/* "--name VALUE" or "--name=VALUE"; advances *i past a separate value. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc)
		return "";
	return argv[++*i];
}

/* A percentage, "10" or "10%". */
static int parse_pct(const char *s, double *out)
{
	char buf[64];
	size_t n = strlen(s);
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n + 1);
	if (buf[n - 1] == '%')
		buf[n - 1] = '\0';
	double v;
	if (mmb_cli_double(buf, &v) < 0 || v < 0 || v > 1e6)
		return -1;
	*out = v / 100.0;
	return 0;
}

/* The old and new files of --report, and the options of the table. */
struct pair {
	const char *old_path, *new_path;
	const struct mmb_compare_opts *opts;
};

static int compare_page(void *ctx, const char *outdir, char *err, size_t errlen)
{
	const struct pair *p = ctx;

	return mmb_report_compare(p->old_path, p->new_path, p->opts, outdir,
				  err, errlen);
}

int cmd_compare(int argc, char **argv)
{
	const char *prog = argv[0];
	struct mmb_compare_opts o = {.threshold = MMB_COMPARE_THRESHOLD,
				     .alpha = MMB_COMPARE_ALPHA};
	struct mmb_counter_gate gates[MAX_COUNTER_GATES];
	const char *json = NULL, *markdown = NULL, *report = NULL, *pos[2];
	int npos = 0;
	char msg[512];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout, prog);
			return MMB_EXIT_OK;
		} else if ((v = opt_value(argc, argv, &i, "--threshold"))) {
			if (parse_pct(v, &o.threshold) < 0) {
				fprintf(stderr,
					"mmbench %s: --threshold '%s': want a "
					"percentage such as 10 or 10%%\n",
					prog, v);
				return MMB_EXIT_USAGE;
			}
		} else if ((v = opt_value(argc, argv, &i, "--alpha"))) {
			if (mmb_cli_double(v, &o.alpha) < 0 || o.alpha <= 0 ||
			    o.alpha >= 1) {
				fprintf(stderr,
					"mmbench %s: --alpha '%s': want a "
					"number between 0 and 1, e.g. 0.05\n",
					prog, v);
				return MMB_EXIT_USAGE;
			}
		} else if ((v = opt_value(argc, argv, &i, "--counter"))) {
			if (o.ncounters == MAX_COUNTER_GATES) {
				fprintf(stderr,
					"mmbench %s: at most %d --counter "
					"gates\n",
					prog, MAX_COUNTER_GATES);
				return MMB_EXIT_USAGE;
			}
			if (mmb_counter_gate_parse(v, &gates[o.ncounters]) <
			    0) {
				fprintf(stderr, "mmbench %s: %s\n", prog,
					mmb_results_errmsg(msg, sizeof(msg)));
				return MMB_EXIT_USAGE;
			}
			o.ncounters++;
		} else if ((v = opt_value(argc, argv, &i, "--normalize"))) {
			o.normalize = v;
		} else if ((v = opt_value(argc, argv, &i, "--json"))) {
			json = v;
		} else if ((v = opt_value(argc, argv, &i, "--markdown"))) {
			markdown = v;
		} else if ((v = opt_value(argc, argv, &i, "--report"))) {
			report = v;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr,
				"mmbench %s: unknown option '%s' (see "
				"mmbench %s --help)\n",
				prog, a, prog);
			return MMB_EXIT_USAGE;
		} else if (npos < 2) {
			pos[npos++] = a;
		} else {
			npos++;
		}
	}
	if (npos != 2) {
		fprintf(stderr,
			"mmbench %s: want exactly two files, BASELINE.json "
			"and CURRENT.json (see mmbench %s --help)\n",
			prog, prog);
		return MMB_EXIT_USAGE;
	}
	if ((json && !*json) || (markdown && !*markdown) ||
	    (report && !*report) || (o.normalize && !*o.normalize)) {
		fprintf(stderr, "mmbench %s: an option is missing its value\n",
			prog);
		return MMB_EXIT_USAGE;
	}
	o.counters = gates;
	const struct mmb_cli_path paths[] = {
	    {"BASELINE", pos[0], MMB_CLI_PATH_IN},
	    {"CURRENT", pos[1], MMB_CLI_PATH_IN},
	    {"--json", json, MMB_CLI_PATH_OUT},
	    {"--markdown", markdown, MMB_CLI_PATH_OUT},
	};
	int distinct = mmb_cli_distinct_paths(prog, paths, 4);
	if (distinct)
		return distinct;
	/* From here a first Ctrl-C stops after the output under way. */
	mmb_interrupt_install();
	/* A bad output path is a usage error, found before comparing: the
	 * gate prints no verdict it then cannot deliver, and never leaves
	 * --json written when --markdown then fails. */
	const char *outs[][2] = {{"--json", json}, {"--markdown", markdown}};
	for (size_t k = 0; k < sizeof(outs) / sizeof(outs[0]); k++) {
		if (outs[k][1] && mmb_check_writable(outs[k][1]) < 0) {
			fprintf(stderr, "mmbench %s: %s %s: %s\n", prog,
				outs[k][0], outs[k][1],
				mmb_errmsg(msg, sizeof(msg)));
			return MMB_EXIT_USAGE;
		}
	}

	struct mmb_results *base = NULL, *cur = NULL;
	struct mmb_comparison *c = NULL;
	int rc = MMB_EXIT_USAGE;
	if (mmb_results_load(pos[0], &base) < 0 ||
	    mmb_results_load(pos[1], &cur) < 0 ||
	    mmb_compare(base, cur, &o, &c) < 0) {
		fprintf(stderr, "mmbench %s: %s\n", prog,
			mmb_results_errmsg(msg, sizeof(msg)));
		goto out_free;
	}
	mmb_comparison_print(c, stdout);
	fflush(stdout);
	/* Writable a moment ago; failing now (disk full) still must not let
	 * the gate pass, and is not a regression: 2, documented as such. */
	/* Each output whole or not at all: a second Ctrl-C waits for the
	 * one being renamed into place, the first stops before the next. */
	mmb_interrupt_hold();
	int wrc = json ? mmb_comparison_write_json(c, json) : 0;
	if (wrc == 0 && markdown && !mmb_interrupted())
		wrc = mmb_comparison_write_markdown(c, markdown);
	mmb_interrupt_release();
	if (wrc < 0) {
		fprintf(stderr, "mmbench %s: %s\n", prog,
			mmb_results_errmsg(msg, sizeof(msg)));
		goto out_free;
	}
	if (report && !mmb_interrupted()) {
		char err[1024];
		struct pair p = {pos[0], pos[1], &o};
		if (mmb_cli_stage_report(report, compare_page, &p, err,
					 sizeof(err)) < 0) {
			fprintf(stderr, "mmbench %s: --report %s: %s\n", prog,
				report, err);
			goto out_free;
		}
		printf("mmbench %s: wrote %s/index.html\n", prog, report);
	}
	rc = c->regression ? MMB_EXIT_FAIL : MMB_EXIT_OK;
	if (mmb_interrupted()) {
		snprintf(msg, sizeof(msg), "mmbench %s", prog);
		rc = mmb_cli_stopped(msg);
	}

out_free:
	mmb_comparison_free(c);
	mmb_results_free(cur);
	mmb_results_free(base);
	return rc;
}
