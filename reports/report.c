/* SPDX-License-Identifier: MIT */
/* report.c - mmb_report_write(): load the results files, decide whether
 * they form a sweep, render plots and index.html into a temporary
 * directory beside the destination, and rename it into place. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmbench/units.h"
#include "report_os.h"
#include "report_priv.h"

/* A file in every report directory, so a later run knows it may replace
 * the directory and never deletes one that is not ours. */
#define MARKER ".mmbench-report"

/* Context keys that describe the machine or the randomness, not the
 * experiment: a difference in them does not make a sweep. */
static int host_key(const char *key)
{
	static const char *const keys[] = {"num_cpus",
					   "mhz_per_cpu",
					   "memory_bytes",
					   "page_size",
					   "hugepages_reserved",
					   "seed",
					   "date",
					   "host_name",
					   "executable",
					   "command_line",
					   "file",
					   "verdict",
					   "verdict_data",
					   "library_build_type",
					   "mmbench_version",
					   "cpu_model",
					   "caches",
					   "load_avg"};

	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		if (strcmp(key, keys[i]) == 0)
			return 1;
	return 0;
}

static int same_text(const struct mmb_rval *a, const struct mmb_rval *b)
{
	if (!a || !b)
		return a == b;
	if (a->type == MMB_RT_NUMBER && b->type == MMB_RT_NUMBER)
		return a->num == b->num;
	return strcmp(a->text, b->text) == 0;
}

static double sweep_x(const struct mmb__report *rep, size_t f)
{
	return mmb_report_ctx_get(&rep->res[f], rep->sweep_key)->num;
}

/* Sort the files by the value of key, which every file holds as a
 * number, and make key the sweep. */
static int set_sweep(struct mmb__report *rep, const char *key)
{
	for (size_t f = 0; f < rep->nres; f++) {
		const struct mmb_rval *c =
		    mmb_report_ctx_get(&rep->res[f], key);

		if (!c || c->type != MMB_RT_NUMBER) {
			snprintf(rep->sweep_note, sizeof(rep->sweep_note),
				 "No sweep plot: %s has no number for \"%s\".",
				 rep->res[f].res->path, key);
			return 0;
		}
	}
	rep->sweep_order = malloc(rep->nres * sizeof(size_t));
	if (!rep->sweep_order)
		return MMB_ENOMEM;
	for (size_t f = 0; f < rep->nres; f++)
		rep->sweep_order[f] = f;
	rep->sweep_key = key;
	for (size_t f = 0; f < rep->nres; f++) {
		char x[64];

		mmb__sweep_x(key, sweep_x(rep, f), x, sizeof(x));
		snprintf(rep->res[f].point, sizeof(rep->res[f].point), "%s=%s",
			 key, x);
	}
	/* Insertion sort (a handful of files; qsort_r is not portable). */
	for (size_t i = 1; i < rep->nres; i++) {
		size_t f = rep->sweep_order[i], j = i;
		double x = sweep_x(rep, f);

		for (; j > 0 && sweep_x(rep, rep->sweep_order[j - 1]) > x; j--)
			rep->sweep_order[j] = rep->sweep_order[j - 1];
		rep->sweep_order[j] = f;
	}
	return 0;
}

/* Options of mmbench run that only name outputs. */
static int output_opt(const char *name)
{
	return strcmp(name, "json") == 0 || strcmp(name, "csv") == 0 ||
	       strcmp(name, "report") == 0;
}

/* The value of long option --name in a command line ("--name v" or
 * "--name=v"), copied to val; 0 if absent. Words split at blanks, which
 * is enough for the numbers a sweep varies. */
static int cl_value(const char *cl, const char *name, char *val, size_t n)
{
	size_t len = strlen(name);

	for (const char *p = cl; (p = strstr(p, "--")) != NULL; p += 2) {
		if ((p != cl && p[-1] != ' ') || strncmp(p + 2, name, len) != 0)
			continue;
		const char *v = p + 2 + len;
		if (*v != '=' && *v != ' ')
			continue;
		v++;
		if (*v == '-')
			continue;
		snprintf(val, n, "%.*s", (int)strcspn(v, " "), v);
		return 1;
	}
	return 0;
}

/* Files of schema version 1 do not record every option in the context
 * (mmbench run --window): when they differ in no context number, take the
 * one long option of the command lines that differs, when its values are
 * numbers ("1M", "8", "0.5"), and add it to each file's context. *key is
 * NULL when there is none. Version 2 files have "window" and the other
 * resolved options in the context itself. */
static int sweep_from_command_line(struct mmb__report *rep, const char **key)
{
	const struct mmb_rval *cl0 =
	    mmb_report_ctx_get(&rep->res[0], "command_line");
	char name[64] = "", a[128], b[128];
	size_t nvary = 0;

	*key = NULL;
	if (!cl0 || cl0->type != MMB_RT_STRING)
		return 0;
	for (size_t f = 0; f < rep->nres; f++)
		if (rep->res[f].res->schema_version >= 2)
			return 0;
	/* Candidate names: the long options of every file. */
	for (size_t f = 0; f < rep->nres; f++) {
		const struct mmb_rval *cl =
		    mmb_report_ctx_get(&rep->res[f], "command_line");

		if (!cl)
			return 0;
		for (const char *p = cl->text; (p = strstr(p, "--")) != NULL;
		     p += 2) {
			char cand[64];
			int differs = 0;

			snprintf(cand, sizeof(cand), "%.*s",
				 (int)strcspn(p + 2, " ="), p + 2);
			if (!cand[0] || output_opt(cand) ||
			    strcmp(cand, name) == 0)
				continue;
			for (size_t g = 0; g < rep->nres && !differs; g++) {
				const struct mmb_rval *o = mmb_report_ctx_get(
				    &rep->res[g], "command_line");
				int ha = cl_value(cl->text, cand, a, sizeof(a));
				int hb =
				    o && cl_value(o->text, cand, b, sizeof(b));

				differs = ha != hb || (ha && strcmp(a, b));
			}
			if (differs && nvary++ == 0)
				snprintf(name, sizeof(name), "%s", cand);
			else if (differs && strcmp(cand, name) != 0)
				return 0; /* a second option differs */
		}
	}
	if (nvary == 0)
		return 0;
	for (size_t f = 0; f < rep->nres; f++) {
		const struct mmb_rval *cl =
		    mmb_report_ctx_get(&rep->res[f], "command_line");
		double v;

		if (!cl_value(cl->text, name, a, sizeof(a)) ||
		    mmb_parse_double(a, true, &v) != 0 ||
		    mmb_report_ctx_get(&rep->res[f], name))
			return 0;
	}
	for (size_t f = 0; f < rep->nres; f++) {
		struct mmb_report_results *r = &rep->res[f];
		const struct mmb_rval *cl =
		    mmb_report_ctx_get(r, "command_line");
		double v = 0;

		cl_value(cl->text, name, a, sizeof(a));
		mmb_parse_double(a, true, &v);
		if (mmb_results_ctx_set_num(r->res, name, v) < 0)
			return MMB_ENOMEM;
	}
	*key = mmb_report_ctx_get(&rep->res[0], name)->key;
	return 0;
}

/* One sweep file (`mmbench sweep --json`): its "sweep_param" is the
 * sweep when some backend entry carries a sweep_value. */
static int detect_sweep_in_file(struct mmb__report *rep)
{
	const struct mmb_report_results *r = &rep->res[0];
	const struct mmb_rval *param = mmb_report_ctx_get(r, "sweep_param");
	size_t npts = 0;

	if (!param || param->type != MMB_RT_STRING || !param->text[0])
		return 0;
	for (size_t j = 0; j < r->nb; j++)
		npts += isfinite(r->b[j].sweep_value) != 0;
	if (npts == 0) {
		snprintf(rep->sweep_note, sizeof(rep->sweep_note),
			 "No sweep plot: the file names sweep_param \"%s\" "
			 "but no entry has a sweep_value.",
			 param->text);
		return 0;
	}
	rep->sweep_order = malloc(sizeof(size_t));
	if (!rep->sweep_order)
		return MMB_ENOMEM;
	rep->sweep_order[0] = 0;
	rep->sweep_key = param->text;
	rep->sweep_in_file = 1;
	return 0;
}

/* Several files are a sweep when exactly one experiment parameter of the
 * context differs between them (and no string parameter does), or, when
 * none does, exactly one numeric option of their command lines. One file
 * is a sweep when it is a sweep file. */
static int detect_sweep(struct mmb__report *rep)
{
	const struct mmb_report_results *r0 = &rep->res[0];
	char varying[256] = "";
	size_t nvary = 0;
	const char *key = NULL;

	if (rep->nres == 1)
		return detect_sweep_in_file(rep);
	for (size_t i = 0; i < r0->res->nctx; i++) {
		const struct mmb_rval *c = &r0->res->ctx[i];
		int differs = 0;

		if (host_key(c->key))
			continue;
		for (size_t f = 1; f < rep->nres && !differs; f++) {
			const struct mmb_rval *o =
			    mmb_report_ctx_get(&rep->res[f], c->key);

			differs = !same_text(c, o) ||
				  (o && (o->type == MMB_RT_NUMBER) !=
					    (c->type == MMB_RT_NUMBER));
		}
		if (!differs)
			continue;
		if (nvary++ < 4)
			snprintf(varying + strlen(varying),
				 sizeof(varying) - strlen(varying), "%s%s",
				 nvary > 1 ? ", " : "", c->key);
		if (c->type == MMB_RT_NUMBER)
			key = c->key;
		else
			key = NULL, nvary += 100; /* strings never sweep */
	}
	if (nvary == 0) {
		int rc = sweep_from_command_line(rep, &key);

		if (rc)
			return rc;
		nvary = key != NULL;
	}
	if (nvary == 1 && key)
		return set_sweep(rep, key);
	if (nvary == 0)
		snprintf(rep->sweep_note, sizeof(rep->sweep_note),
			 "No sweep plot: the files do not differ in an "
			 "experiment parameter of their context.");
	else
		snprintf(rep->sweep_note, sizeof(rep->sweep_note),
			 "No sweep plot: the files differ in more than one "
			 "parameter (%s); a sweep varies exactly one number.",
			 varying);
	return 0;
}

enum dest { DEST_NEW, DEST_EMPTY, DEST_REPORT };

/* May outdir be written? Never replace what is not ours. */
static int check_dest(const char *outdir, enum dest *d, char *err,
		      size_t errlen)
{
	char marker[4096];
	enum mmb__dir_state st;
	int rc = mmb__dir_probe(outdir, &st, err, errlen);

	if (rc)
		return rc;
	if (st == MMB__DIR_ABSENT) {
		*d = DEST_NEW;
		return 0;
	}
	if (st == MMB__DIR_NOT_DIR)
		return mmb__report_err(err, errlen, MMB_EEXIST,
				       "%s exists and is not a directory; "
				       "refusing to replace it",
				       outdir);
	snprintf(marker, sizeof(marker), "%s/" MARKER, outdir);
	if (access(marker, F_OK) == 0) {
		*d = DEST_REPORT;
		return 0;
	}
	if (st == MMB__DIR_FULL)
		return mmb__report_err(err, errlen, MMB_EEXIST,
				       "%s exists and is not an mmbench report "
				       "(no %s in it); refusing to replace it",
				       outdir, MARKER);
	*d = DEST_EMPTY;
	return 0;
}

static int write_marker(const char *dir, const char *const *files, int nfiles,
			char *err, size_t errlen)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/" MARKER, dir);
	f = fopen(path, "wb");
	if (!f)
		return mmb__report_err(err, errlen, -errno, "fopen(%s): %s",
				       path, strerror(errno));
	fprintf(f, "mmbench report; this directory is replaced by the next "
		   "`mmbench report -o` into it.\n");
	for (int i = 0; i < nfiles; i++)
		fprintf(f, "input: %s\n", files[i]);
	if (ferror(f) | (fclose(f) != 0))
		return mmb__report_err(err, errlen, MMB_EIO, "write %s: %s",
				       path, strerror(errno));
	return 0;
}

/* outdir without trailing slashes into dest (n bytes); MMB_EINVAL for
 * what cannot be a report directory. */
static int dest_path(const char *outdir, char *dest, size_t n, char *err,
		     size_t errlen)
{
	const char *base;
	size_t len;

	if (!outdir || !*outdir)
		return mmb__report_err(err, errlen, MMB_EINVAL,
				       "no output directory given");
	len = strlen(outdir);
	while (len > 1 && outdir[len - 1] == '/')
		len--;
	if (len >= n - 32)
		return mmb__report_err(err, errlen, MMB_ENAMETOOLONG,
				       "output directory name too long");
	memcpy(dest, outdir, len);
	dest[len] = '\0';
	base = strrchr(dest, '/');
	base = base ? base + 1 : dest;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return mmb__report_err(err, errlen, MMB_EINVAL,
				       "output directory \"%s\" must name a "
				       "new (or previous report) directory",
				       outdir);
	return 0;
}

int mmb_report_check_dest(const char *outdir, char *err, size_t errlen)
{
	char dest[3968], tmp[4000], note[512];
	enum dest d;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if ((rc = dest_path(outdir, dest, sizeof(dest), err, errlen)) < 0 ||
	    (rc = mmb__gnuplot_find(note, sizeof(note), err, errlen)) < 0 ||
	    (rc = check_dest(dest, &d, err, errlen)) < 0)
		return rc;
	/* The report is built beside its destination: that must work. */
	snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", dest);
	if ((rc = mmb__dir_mktemp(tmp, err, errlen)) < 0)
		return rc;
	mmb__dir_remove(tmp);
	return 0;
}

static int write_report(const char *const *files, const char *const *shown,
			int nfiles, const char *outdir,
			const struct mmb_compare_opts *cmp, char *err,
			size_t errlen);

int mmb_report_write(const char *const *files, int nfiles, const char *outdir,
		     char *err, size_t errlen)
{
	return write_report(files, NULL, nfiles, outdir, NULL, err, errlen);
}

int mmb_report_write_as(const char *const *files, const char *const *shown,
			int nfiles, const char *outdir, char *err,
			size_t errlen)
{
	return write_report(files, shown, nfiles, outdir, NULL, err, errlen);
}

int mmb_report_compare(const char *old_path, const char *new_path,
		       const struct mmb_compare_opts *opts, const char *outdir,
		       char *err, size_t errlen)
{
	const char *files[] = {old_path, new_path};
	const struct mmb_compare_opts def = {.threshold = MMB_COMPARE_THRESHOLD,
					     .alpha = MMB_COMPARE_ALPHA};

	return write_report(files, NULL, 2, outdir, opts ? opts : &def, err,
			    errlen);
}

/* The page names input i as shown[i], when given. */
static int rename_inputs(struct mmb__report *rep, const char *const *shown,
			 int split)
{
	for (size_t i = 0; shown && i < rep->nres; i++) {
		const char *s = shown[split ? 0 : i];
		char *p = s ? malloc(strlen(s) + 1) : NULL;

		if (!s)
			continue;
		if (!p)
			return MMB_ENOMEM;
		free(rep->res[i].res->path);
		rep->res[i].res->path = strcpy(p, s);
	}
	return 0;
}

static int write_report(const char *const *files, const char *const *shown,
			int nfiles, const char *outdir,
			const struct mmb_compare_opts *cmp, char *err,
			size_t errlen)
{
	int split = 0;
	char dest[3968], tmp[4000], sub[4096];
	struct mmb__report *rep;
	enum dest d = DEST_NEW;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (nfiles < 1 || !files)
		return mmb__report_err(err, errlen, MMB_EINVAL,
				       "no results files given");
	if ((rc = dest_path(outdir, dest, sizeof(dest), err, errlen)) < 0)
		return rc;

	rep = calloc(1, sizeof(*rep));
	if (!rep)
		return mmb__report_err(err, errlen, MMB_ENOMEM,
				       "out of memory");
	/* One sweep file: a results summary per point. */
	if (nfiles == 1 && !cmp &&
	    (rc = mmb__report_split_sweep(rep, files[0], &split, err, errlen)))
		goto out_res;
	if (!split)
		rep->res = calloc((size_t)nfiles, sizeof(*rep->res));
	if (!rep->res) {
		rc = mmb__report_err(err, errlen, MMB_ENOMEM, "out of memory");
		goto out_rep;
	}
	/* Everything that can be wrong with the input is found before any
	 * output exists. */
	for (int i = 0; i < nfiles && !split; i++) {
		struct mmb_results *res;

		rc = mmb_results_load(files[i], &res);
		if (rc) {
			mmb_results_errmsg(err, errlen);
			if (rc != MMB_ENOMEM)
				rc = MMB_EPARSE; /* bad input, whatever the
						    cause */
			goto out_res;
		}
		rep->nres++;
		rc = mmb_report_summarize(res, &rep->res[i]);
		if (rc) {
			mmb__report_err(err, errlen, rc, "%s: out of memory",
					files[i]);
			goto out_res;
		}
	}
	/* Google Benchmark's files, and comparisons: html_gb.c's pages */
	rep->cmp = cmp;
	if (cmp)
		rep->gb = MMB__GB_COMPARE;
	else if (!split && nfiles <= 2 && mmb__gb_is_gbench(rep->res[0].res) &&
		 (nfiles == 1 || mmb__gb_is_gbench(rep->res[1].res)))
		rep->gb = nfiles == 1 ? MMB__GB_FILE : MMB__GB_COMPARE;
	rc = split || rep->gb ? 0 : detect_sweep(rep);
	if (rc == 0)
		rc = rename_inputs(rep, shown, split);
	if (rc) {
		mmb__report_err(err, errlen, rc, "out of memory");
		goto out_res;
	}
	rc = mmb__gnuplot_find(rep->plots_note, sizeof(rep->plots_note), err,
			       errlen);
	if (rc)
		goto out_res;
	rc = check_dest(dest, &d, err, errlen);
	if (rc)
		goto out_res;

	snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", dest);
	rc = mmb__dir_mktemp(tmp, err, errlen);
	if (rc)
		goto out_res;
	rc = write_marker(tmp, files, nfiles, err, errlen);
	if (rc)
		goto out_tmp;
	snprintf(sub, sizeof(sub), "%s/plots", tmp);
	rc = mmb__dir_make(sub, err, errlen);
	if (rc)
		goto out_tmp;
	/* Without gnuplot where plots are optional: the tables, and a
	 * note in their place. */
	if (rep->gb) {
		char html[4096];

		snprintf(html, sizeof(html), "%s/index.html", tmp);
		rc = mmb__gb_render(rep, sub, html, err, errlen);
		if (rc)
			goto out_tmp;
	} else {
		rc = rep->plots_note[0]
			 ? 0
			 : mmb__gnuplot_render(rep, sub, err, errlen);
		if (rc)
			goto out_tmp;
		snprintf(sub, sizeof(sub), "%s/index.html", tmp);
		rc = mmb__html_write(rep, sub, err, errlen);
	}
	if (rc)
		goto out_tmp;
	rc = mmb__dir_install(tmp, dest, d == DEST_REPORT, err, errlen);
	if (rc == 0)
		goto out_res;
out_tmp:
	mmb__dir_remove(tmp);
out_res:
	for (size_t i = 0; i < rep->nres; i++)
		mmb_report_results_free(&rep->res[i]);
	free(rep->res);
	free(rep->sweep_order);
out_rep:
	free(rep);
	return rc;
}
