/* SPDX-License-Identifier: MIT */
/* sweep.c - `mmbench sweep --param NAME=V1,V2,... [run options]`: one
 * `mmbench run` per value, in a child process each, merged into one
 * results file whose benchmarks are named WORKLOAD/BACKEND/NAME:VALUE
 * (docs/results.md, "Sweeps").
 *
 * Each point runs as a child so that a point's cgroup, signals and memory
 * stay its own; the merge (mmb_results_merge, reports/results_merge.c)
 * reads the children's JSON files back. Also the helpers that `mmbench
 * experiment` shares (commands.h); the child and the temp directory are
 * the platform's (posix/child.c, win/child.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "stage.h"
#include "mmb/error.h"
#include "mmbench/pressure.h"
#include "mmbench/report.h"
#include "mmbench/result.h"
#include "mmbench/results.h"

#define MAX_POINTS 64
#define MAX_ARGS   128

static void usage(FILE *f)
{
	char names[256];

	fprintf(f,
		"usage: mmbench sweep --param NAME=V1,V2,... [--json FILE] "
		"[--csv FILE]\n"
		"                     [--report DIR]\n"
		"                     [mmbench run options]\n"
		"\n"
		"Runs `mmbench run` once per value of one option and writes "
		"one results file\nwhose benchmarks are named "
		"WORKLOAD/BACKEND/NAME:VALUE (plotted as lines by\nmmbench "
		"report).\n"
		"\n"
		"  --param NAME=LIST  NAME is the option to vary, one of\n"
		"                     %s;\n"
		"                     LIST is comma-separated numbers (SIZE "
		"suffixes K, M, G\n"
		"                     allowed except for counts), or names "
		"for a named\n"
		"                     option (access=copy,inplace,touch); no "
		"duplicates\n"
		"  --json FILE        the merged results\n"
		"  --csv FILE         every point's rows in one CSV, the "
		"point first\n"
		"                     (column sweep_NAME)\n"
		"  --report DIR       an HTML report of the sweep: a verdict "
		"per point and\n"
		"                     throughput against NAME (without --json, "
		"the merged\n"
		"                     results are kept as DIR/sweep.json)\n"
		"  -h, --help         this text\n"
		"\n"
		"Every other option goes to each mmbench run unchanged (see "
		"mmbench run --help).\n",
		mmb_cli_sweep_names(names, sizeof(names)));
}

int mmb_cli_sweep_parse(const char *spec, char *name, size_t namelen,
			uint64_t *vals, unsigned max, unsigned *n, char *err,
			size_t errlen)
{
	const char *eq = strchr(spec, '=');
	const struct mmb_param *p;
	char buf[1024], names[256];
	int id;

	*n = 0;
	if (!eq || eq == spec) {
		snprintf(err, errlen, "--param '%s': expected NAME=V1,V2,...",
			 spec);
		return -1;
	}
	snprintf(name, namelen, "%.*s", (int)(eq - spec), spec);
	p = mmb_cli_sweep_param(name, &id);
	if (!p) {
		snprintf(err, errlen, "--param: unknown parameter '%s' (%s)",
			 name, mmb_cli_sweep_names(names, sizeof(names)));
		return -1;
	}
	if (strlen(eq + 1) >= sizeof(buf)) {
		snprintf(err, errlen, "--param %s: list too long", name);
		return -1;
	}
	strcpy(buf, eq + 1);
	/* strtok would skip empty items; "1,,2" must be an error. */
	for (char *tok = buf, *next; tok; tok = next) {
		next = strchr(tok, ',');
		if (next)
			*next++ = 0;
		union mmb_value v;
		if (!*tok) {
			snprintf(err, errlen, "--param %s: empty value in '%s'",
				 name, eq + 1);
			return -1;
		}
		bool suffix =
		    p->type == MMB_PARAM_SIZE || (p->flags & MMB_PARAM_SUFFIX);
		if (p->type == MMB_PARAM_ENUM) {
			/* A name: its index is the point's value. */
			int k = mmb_param_enum_parse(p, tok);
			char names[256];
			size_t len = 0;
			if (k < 0) {
				const char *e;
				names[0] = 0;
				for (int j = 0; (e = p->enum_name(j)) != NULL &&
						len < sizeof(names);
				     j++)
					len += (size_t)snprintf(
					    names + len, sizeof(names) - len,
					    "%s%s", j ? ", " : "", e);
				snprintf(err, errlen,
					 "--param %s: unknown %s '%s' (one of "
					 "%s)",
					 name, name, tok, names);
				return -1;
			}
			v.u = (uint64_t)k;
		} else if (mmb_cli_u64(tok, suffix, &v.u) < 0 || v.u == 0) {
			snprintf(
			    err, errlen,
			    "--param %s: '%s' is not a positive %s", name, tok,
			    p->type == MMB_PARAM_SIZE ? "size" : "integer");
			return -1;
		}
		if (p->type != MMB_PARAM_ENUM &&
		    mmb_param_check(p, v, name) < 0) {
			snprintf(err, errlen, "--param %s: %s", name,
				 mmb_last_error()->call);
			return -1;
		}
		for (unsigned i = 0; i < *n; i++)
			if (vals[i] == v.u) {
				snprintf(err, errlen,
					 "--param %s: value '%s' listed twice",
					 name, tok);
				return -1;
			}
		if (*n == max) {
			snprintf(err, errlen, "--param %s: more than %u values",
				 name, max);
			return -1;
		}
		vals[(*n)++] = v.u;
	}
	return 0;
}

/* --param's option as mmbench run spells it. */
static const char *run_opt(const char *param)
{
	static char buf[40];
	snprintf(buf, sizeof(buf), "--%s", param);
	return buf;
}

/* sweep's own option, beside mmbench run's. */
static const struct mmb_cli_opt sweep_opts[] = {
    {.p = {.name = "param",
	   .type = MMB_PARAM_STRING,
	   .arg = "NAME=LIST",
	   .help = "the option to vary and its values"}},
};

/* The options as mmb_cli_parse found them: which, and where in argv. */
struct seen_opts {
	unsigned n;
	struct {
		int id, first, end;
	} o[MAX_ARGS];
};

static int seen_opt(void *ctx, int id, int first, int end)
{
	struct seen_opts *s = ctx;

	if (s->n == MAX_ARGS)
		return mmb_cli_usage_error("sweep", "too many options");
	s->o[s->n].id = id;
	s->o[s->n].first = first;
	s->o[s->n].end = end;
	s->n++;
	return 0;
}

/* The sweep's own command line, as mmbench run records its own. */
static void command_line(int argc, char **argv, char *buf, size_t n)
{
	size_t len = (size_t)snprintf(buf, n, "mmbench");
	for (int i = 0; i < argc && len < n; i++) {
		bool quote = strpbrk(argv[i], " \t\"'") != NULL || !*argv[i];
		len += (size_t)snprintf(buf + len, n - len,
					quote ? " '%s'" : " %s", argv[i]);
	}
}

/* --csv: the points' CSV files as one, each row led by its point's value
 * (or name) in a column sweep_PARAM. Every point's header must be the
 * same (the same backends). Written atomically. */
static int merge_csv(const char *const *files, unsigned n, const char *param,
		     const char *const *values, const char *out)
{
	char *text, *all = NULL, *p;
	size_t len, total = 0, hlen = 0;
	int rc = 0;

	for (unsigned i = 0; i < n && rc == 0; i++) {
		if ((rc = mmb_read_file(files[i], &text, &len)) < 0)
			break;
		char *nl = memchr(text, '\n', len);
		size_t head = nl ? (size_t)(nl - text) + 1 : len;
		if (i == 0) {
			hlen = head;
			/* "sweep_PARAM," + the header */
			if (!(all = malloc(strlen(param) + 7 + len))) {
				free(text);
				rc = MMB_ENOMEM;
				break;
			}
			total = (size_t)sprintf(all, "sweep_%s,", param);
			memcpy(all + total, text, head);
			total += head;
		} else if (head != hlen ||
			   memcmp(text, all + strlen(param) + 7, head) != 0) {
			free(text);
			rc = mmb_seterr(MMB_EINVAL, 0,
					"the points' CSV columns differ "
					"(other backends at %s=%s)",
					param, values[i]);
			break;
		}
		for (char *row = text + head; row < text + len;) {
			char *end =
			    memchr(row, '\n', (size_t)(text + len - row));
			size_t rl = end ? (size_t)(end - row) + 1
					: (size_t)(text + len - row);
			size_t add = strlen(values[i]) + 4 + rl;
			if (!(p = realloc(all, total + add))) {
				rc = MMB_ENOMEM;
				break;
			}
			all = p;
			/* numbers bare, names quoted (as csv.c quotes text) */
			total += (size_t)snprintf(
			    all + total, add,
			    strspn(values[i], "0123456789") == strlen(values[i])
				? "%s,"
				: "\"%s\",",
			    values[i]);
			memcpy(all + total, row, rl);
			total += rl;
			row += rl;
		}
		free(text);
	}
	if (rc == 0)
		rc = mmb_write_file_atomic(out, all, total);
	if (rc == MMB_ENOMEM)
		rc = mmb_seterr(MMB_ENOMEM, 0, "out of memory");
	free(all);
	return rc;
}

int cmd_sweep(int argc, char **argv)
{
	char name[32], err[1024], dir[256];
	char *fwd[MAX_ARGS + 4], valbuf[32];
	const char *json, *report, *spec, *csv;
	char files[MAX_POINTS][300] = {{0}}, csvs[MAX_POINTS][300] = {{0}};
	char cmdline[2048], vnames[MAX_POINTS][32];
	/* The points that left a results file, and their values: a point
	 * that failed without one (killed, test file not made) is left out,
	 * and the later points must keep their own values. */
	const char *fp[MAX_POINTS], *fc[MAX_POINTS], *fn[MAX_POINTS];
	uint64_t vals[MAX_POINTS], fv[MAX_POINTS];
	unsigned nv, nf = 0;
	int nfwd = 0, exit_code = MMB_EXIT_OK, swept;
	struct mmb_cli_args a;
	struct seen_opts seen;

	/* The same options as mmbench run, so that every spelling of the
	 * swept one (--threads=2, --thr 2) is found and bad values are
	 * refused before anything runs. */
	seen.n = 0;
	int rc = mmb_cli_parse("sweep", argc, argv, sweep_opts, 1, &a, seen_opt,
			       &seen);
	if (rc == MMB_CLI_HELP) {
		usage(stdout);
		return MMB_EXIT_OK;
	}
	if (rc)
		return rc;
	spec = a.extra_given[0] ? a.extra[0].s : NULL;
	json = a.v[MMB_OPT_JSON].s;
	report = a.v[MMB_OPT_REPORT].s;
	csv = a.v[MMB_OPT_CSV].s;
	command_line(argc, argv, cmdline, sizeof(cmdline));
	if (!spec) {
		fprintf(stderr, "mmbench sweep: --param NAME=V1,V2,... is "
				"required (see mmbench sweep --help)\n");
		return MMB_EXIT_USAGE;
	}
	if (mmb_cli_sweep_parse(spec, name, sizeof(name), vals, MAX_POINTS, &nv,
				err, sizeof(err)) < 0) {
		fprintf(stderr, "mmbench sweep: %s\n", err);
		return MMB_EXIT_USAGE;
	}
	const struct mmb_param *sp = mmb_cli_sweep_param(name, &swept);
	bool named = sp->type == MMB_PARAM_ENUM;
	const char *labels[MAX_POINTS], *fl[MAX_POINTS];
	for (unsigned i = 0; i < nv; i++)
		labels[i] = named ? sp->enum_name((int)vals[i]) : NULL;
	/* Every option but sweep's own goes to each run, as typed. */
	for (unsigned i = 0; i < seen.n; i++) {
		int id = seen.o[i].id;
		if (id == swept) {
			fprintf(stderr,
				"mmbench sweep: %s is swept by --param; do not "
				"give it as well\n",
				argv[seen.o[i].first]);
			return MMB_EXIT_USAGE;
		}
		if (id == MMB_OPT_JSON || id == MMB_OPT_REPORT ||
		    id == MMB_OPT_CSV ||
		    (id >= MMB_CLI_ID_EXTRA && id < MMB_CLI_ID_WL))
			continue;
		for (int k = seen.o[i].first; k < seen.o[i].end; k++) {
			if (nfwd >= MAX_ARGS - 4) {
				fprintf(stderr,
					"mmbench sweep: too many options\n");
				return MMB_EXIT_USAGE;
			}
			fwd[nfwd++] = argv[k];
		}
	}
	const struct mmb_cli_path paths[] = {
	    {"--file", a.v[MMB_OPT_FILE].s, MMB_CLI_PATH_IN},
	    {"--json", json, MMB_CLI_PATH_OUT},
	    {"--report", report, MMB_CLI_PATH_DIR},
	};
	if ((rc = mmb_cli_distinct_paths("sweep", paths, 3)) != 0)
		return rc;
	if (json && mmb_check_writable(json) < 0) {
		fprintf(stderr, "mmbench sweep: --json %s: %s\n", json,
			mmb_errmsg(err, sizeof(err)));
		return MMB_EXIT_USAGE;
	}
	if (csv && mmb_check_writable(csv) < 0) {
		fprintf(stderr, "mmbench sweep: --csv %s: %s\n", csv,
			mmb_errmsg(err, sizeof(err)));
		return MMB_EXIT_USAGE;
	}
	if (report && (rc = mmb_cli_check_report("sweep", report)) != 0)
		return rc;
	mmb_interrupt_install();
	if (mmb_cli_tempdir(dir, sizeof(dir), "sweep") < 0)
		return MMB_EXIT_FAIL;
	for (unsigned i = 0; i < nv && !mmb_interrupted(); i++) {
		snprintf(files[i], sizeof(files[i]), "%s/p%u.json", dir, i);
		mmb_interrupt_tempfile(files[i]);
		if (named)
			snprintf(valbuf, sizeof(valbuf), "%s", labels[i]);
		else
			snprintf(valbuf, sizeof(valbuf), "%llu",
				 (unsigned long long)vals[i]);
		snprintf(vnames[i], sizeof(vnames[i]), "%s", valbuf);
		fwd[nfwd] = (char *)run_opt(name);
		fwd[nfwd + 1] = valbuf;
		fwd[nfwd + 2] = NULL;
		if (csv) {
			snprintf(csvs[i], sizeof(csvs[i]), "%s/p%u.csv", dir,
				 i);
			mmb_interrupt_tempfile(csvs[i]);
			fwd[nfwd + 2] = "--csv";
			fwd[nfwd + 3] = csvs[i];
			fwd[nfwd + 4] = NULL;
		}
		printf("== %s=%s ==\n", name, valbuf);
		int rc = mmb_cli_child_run(fwd, files[i]);
		if (access(files[i], F_OK) == 0) {
			fv[nf] = vals[i];
			fl[nf] = labels[i];
			fc[nf] = csvs[i];
			fn[nf] = vnames[i];
			fp[nf++] = files[i];
		}
		if (rc == MMB_EXIT_USAGE) {
			exit_code = MMB_EXIT_USAGE;
			break;
		}
		if (rc != 0 && exit_code == MMB_EXIT_OK)
			exit_code = rc > 128 ? rc : MMB_EXIT_FAIL;
	}
	if (mmb_interrupted())
		exit_code = 128 + mmb_interrupted();
	/* The report reads the merged file (a verdict per point, the
	 * points' plots and throughput against the parameter) and names
	 * the file that stays: --json, else DIR/sweep.json, copied there
	 * once the report is in place. */
	char merged[300] = "";
	if (nf && report && !json) {
		snprintf(merged, sizeof(merged), "%s/merged.json", dir);
		mmb_interrupt_tempfile(merged);
		json = merged;
	}
	bool merged_ok = false;
	if (nf && json) {
		mmb_interrupt_hold(); /* no merged.tmp.XXXXXX left behind */
		rc = mmb_results_merge_sweep(
		    fp, nf, name, fv, named ? fl : NULL, NULL,
		    nf < nv || mmb_interrupted(), cmdline, json);
		mmb_interrupt_release();
		if (rc < 0) {
			mmb_results_errmsg(err, sizeof(err));
			fprintf(stderr, "mmbench sweep: --json %s: %s\n", json,
				err);
			if (exit_code == MMB_EXIT_OK)
				exit_code = MMB_EXIT_FAIL;
		} else {
			merged_ok = true;
		}
	}
	if (nf && csv) {
		for (unsigned i = 0; i < nf; i++)
			if (access(fc[i], F_OK) != 0)
				fc[i] = NULL;
		unsigned nc = 0;
		for (unsigned i = 0; i < nf; i++)
			if (fc[i]) {
				fn[nc] = fn[i];
				fc[nc++] = fc[i];
			}
		/* no CSV.tmp.XXXXXX left behind */
		mmb_interrupt_hold();
		rc = nc ? merge_csv(fc, nc, name, fn, csv) : 0;
		mmb_interrupt_release();
		if (rc < 0) {
			fprintf(stderr, "mmbench sweep: --csv %s: %s\n", csv,
				mmb_errmsg(err, sizeof(err)));
			if (exit_code == MMB_EXIT_OK)
				exit_code = MMB_EXIT_FAIL;
		}
	}
	/* without --json the merged file stays as DIR/sweep.json */
	if (merged_ok && report && exit_code != MMB_EXIT_USAGE &&
	    mmb_cli_stage_one(report, json, merged[0] ? "sweep.json" : NULL,
			      err, sizeof(err)) < 0) {
		fprintf(stderr, "mmbench sweep: --report %s: %s\n", report,
			err);
		if (exit_code == MMB_EXIT_OK)
			exit_code = MMB_EXIT_FAIL;
	}
	/* A Ctrl-C during the report: it is finished, and the exit says
	 * the sweep was interrupted. */
	if (mmb_interrupted() && exit_code == MMB_EXIT_OK)
		exit_code = 128 + mmb_interrupted();
	for (unsigned i = 0; i < nv && files[i][0]; i++) {
		mmb_interrupt_tempfile_done(files[i]);
		unlink(files[i]);
		if (csvs[i][0]) {
			mmb_interrupt_tempfile_done(csvs[i]);
			unlink(csvs[i]);
		}
	}
	if (merged[0]) {
		mmb_interrupt_tempfile_done(merged);
		unlink(merged);
	}
	mmb_interrupt_tempfile_done(dir);
	rmdir(dir);
	return exit_code;
}
