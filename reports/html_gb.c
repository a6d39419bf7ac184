/* SPDX-License-Identifier: MIT */
/* html_gb.c - the report of Google Benchmark's own files, and the
 * old-vs-new comparison page.
 *
 * A results file written by Google Benchmark (no mmbench schema_version,
 * no mmbench_version) has benchmarks, not backends: `mmbench report
 * GB.json` draws each benchmark's time per iteration and its counters,
 * with its Complexity() fits and its errors as tables. `mmbench report
 * OLD.json NEW.json` of two such files, and `mmbench compare --report DIR`
 * of any two results files, make a comparison page: the gate's table
 * (mmb_compare: medians, change, U test p-value, verdict) and old vs new
 * time per iteration as one plot. The plots are gnuplot scripts, data and
 * PNG + SVG in plots/, as the rest of the report; images at their natural
 * size, text 12 px. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/compare.h"
#include "mmbench/units.h"
#include "report_os.h"
#include "report_priv.h"
#include "style.h"

#define GB_W	      900
#define GB_COUNTERS   6 /* counter plots at most; the table has them all */
#define GB_ROW_PX     26
#define GB_HEAD_PX    110
#define GB_LOG_SPREAD 30.0 /* log axis when values span more */

int mmb__gb_is_gbench(const struct mmb_results *r)
{
	if (r->schema_version != 1 || mmb_results_ctx(r, "mmbench_version"))
		return 0;
	/* mmbench's entries name their backend */
	for (size_t i = 0; i < r->ne; i++)
		if (mmb_rentry_get(&r->e[i], "backend"))
			return 0;
	return 1;
}

/* ---- HTML helpers ------------------------------------------------------- */

static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '&')
			fputs("&amp;", f);
		else if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '"')
			fputs("&quot;", f);
		else if (c == '\'')
			fputs("&#39;", f);
		else if (c < 0x20 && c != '\t' && c != '\n')
			fputc(' ', f);
		else
			fputc(*s, f);
	}
}

static FILE *page_open(const char *path, const char *title, char *err,
		       size_t errlen)
{
	FILE *f = fopen(path, "wb");

	if (!f) {
		mmb__report_err(err, errlen, -errno, "fopen(%s): %s", path,
				strerror(errno));
		return NULL;
	}
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n<title>",
	      f);
	esc(f, title);
	fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n",
		mmb__report_css);
	return f;
}

static int page_close(FILE *f, const char *path, char *err, size_t errlen)
{
	fputs("</body>\n</html>\n", f);
	if (ferror(f) | (fclose(f) != 0))
		return mmb__report_err(err, errlen, MMB_EIO, "write %s: %s",
				       path, strerror(errno));
	return 0;
}

static void td_ns(FILE *f, double ns)
{
	char b[32];

	if (!isfinite(ns)) {
		fputs("<td class=\"na\">&ndash;</td>", f);
		return;
	}
	fprintf(f, "<td>%s</td>", mmb_fmt_ns(ns, b, sizeof(b)));
}

static void td_g(FILE *f, double v)
{
	if (!isfinite(v))
		fputs("<td class=\"na\">&ndash;</td>", f);
	else
		fprintf(f, "<td>%.4g</td>", v);
}

/* ---- benchmarks of a Google Benchmark file ------------------------------ */

/* A benchmark with a time: its center entry (median, else mean), else
 * the median of its repetitions. */
struct gb_row {
	const struct mmb_rbench *b;
	const struct mmb_rentry *e; /* for counters and label: center or
				       first repetition */
	double real_ns, cpu_ns;
};

static int gb_rows(const struct mmb_results *r, struct gb_row **out, size_t *n)
{
	struct gb_row *rows = calloc(r->nb ? r->nb : 1, sizeof(*rows));
	double *v = malloc((r->ne ? r->ne : 1) * sizeof(double));

	*out = NULL;
	*n = 0;
	if (!rows || !v) {
		free(rows);
		free(v);
		return MMB_ENOMEM;
	}
	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_rbench *b = &r->b[i];
		const struct mmb_rentry *c = mmb_rbench_center(r, b);
		struct gb_row *w = &rows[*n];

		if (b->skipped)
			continue;
		w->b = b;
		if (c && isfinite(c->real_ns)) {
			w->e = c;
			w->real_ns = c->real_ns;
			w->cpu_ns = c->cpu_ns;
		} else if (b->nreps) {
			w->e = &r->e[b->reps[0]];
			for (size_t k = 0; k < b->nreps; k++)
				v[k] = r->e[b->reps[k]].real_ns;
			w->real_ns = mmb_results_median(v, b->nreps);
			for (size_t k = 0; k < b->nreps; k++)
				v[k] = r->e[b->reps[k]].cpu_ns;
			w->cpu_ns = mmb_results_median(v, b->nreps);
		} else {
			continue; /* _BigO / _RMS only */
		}
		if (isfinite(w->real_ns))
			(*n)++;
	}
	free(v);
	*out = rows;
	return 0;
}

/* The user counters of the file, in order of appearance: numeric keys of
 * the rows' entries that mmb_compare_is_counter() takes for counters, and
 * Google Benchmark's items/bytes per second. */
static size_t gb_counters(const struct gb_row *rows, size_t n,
			  const char **names, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const struct mmb_rentry *e = rows[i].e;

		for (size_t j = 0; j < e->nkv && k < max; j++) {
			const struct mmb_rval *v = &e->kv[j];
			size_t c = 0;

			if (v->type != MMB_RT_NUMBER ||
			    (!mmb_compare_is_counter(v->key) &&
			     strcmp(v->key, "items_per_second") != 0 &&
			     strcmp(v->key, "bytes_per_second") != 0))
				continue;
			while (c < k && strcmp(names[c], v->key) != 0)
				c++;
			if (c == k)
				names[k++] = v->key;
		}
	}
	return k;
}

/* ---- plots -------------------------------------------------------------- */

/* A time unit for values whose median is ns: its name and ns per unit. */
static const char *time_unit(double ns, double *div)
{
	static const struct {
		double ns;
		const char *name;
	} u[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "us"}};

	for (size_t i = 0; i < sizeof(u) / sizeof(*u); i++)
		if (ns >= u[i].ns) {
			*div = u[i].ns;
			return u[i].name;
		}
	*div = 1;
	return "ns";
}

struct bars {
	const char *stem, *caption, *xlabel;
	const char *const *names; /* n labels */
	const double *v[2];	  /* one or two series (v[1] NULL) */
	const char *series[2];	  /* their titles ("old", "new") */
	size_t n;
	double div; /* values are divided by it */
};

/* Horizontal bars, one row per name (a pair with two series), on a log
 * axis when the values span more than GB_LOG_SPREAD; the plot grows with
 * the rows. Writes stem.gp and stem.dat, runs gnuplot, lists the plot. */
static int plot_bars(struct mmb__report *rep, const char *plotdir,
		     const struct bars *p, size_t file, char *err,
		     size_t errlen)
{
	char gp[4096], dat[4096];
	double lo = INFINITY, hi = 0;
	int two = p->v[1] != NULL, h, rc;
	FILE *g, *d;

	if (!p->n)
		return 0;
	if (rep->nplots == sizeof(rep->plots) / sizeof(rep->plots[0]))
		return mmb__report_err(
		    err, errlen, MMB_ERANGE, "too many plots (at most %zu)",
		    sizeof(rep->plots) / sizeof(rep->plots[0]));
	for (size_t s = 0; s < 2 && p->v[s]; s++)
		for (size_t i = 0; i < p->n; i++) {
			double x = p->v[s][i] / p->div;
			if (x > 0 && x < lo)
				lo = x;
			if (x > hi)
				hi = x;
		}
	if (!(hi > 0))
		return 0; /* nothing positive to draw */
	snprintf(gp, sizeof(gp), "%s/%s.gp", plotdir, p->stem);
	snprintf(dat, sizeof(dat), "%s/%s.dat", plotdir, p->stem);
	if (!(d = fopen(dat, "wb")))
		return mmb__report_err(err, errlen, -errno, "fopen(%s): %s",
				       dat, strerror(errno));
	fprintf(d, "# name %s%s%s (%s)\n", two ? p->series[0] : "value",
		two ? " " : "", two ? p->series[1] : "", p->xlabel);
	for (size_t i = 0; i < p->n; i++) {
		mmb__dat_str(d, p->names[i]);
		for (size_t s = 0; s < 2 && p->v[s]; s++) {
			double x = p->v[s][i] / p->div;
			if (isfinite(x))
				fprintf(d, " %.9g", x);
			else
				fputs(" ?", d);
		}
		fputc('\n', d);
	}
	if (ferror(d) | (fclose(d) != 0))
		return mmb__report_err(err, errlen, MMB_EIO, "write %s: %s",
				       dat, strerror(errno));
	if (!(g = fopen(gp, "wb")))
		return mmb__report_err(err, errlen, -errno, "fopen(%s): %s", gp,
				       strerror(errno));
	h = GB_HEAD_PX + GB_ROW_PX * (int)p->n * (two ? 2 : 1);
	int log = lo < INFINITY && hi / lo > GB_LOG_SPREAD;
	double base = log ? lo / 2 : 0;
	fprintf(g,
		"# %s\n# Written by `mmbench report`; the data is in %s.dat.\n"
		"# Edit and re-run in this directory: gnuplot %s.gp\n"
		"set terminal pngcairo size %d,%d noenhanced font 'Sans,12'\n"
		"set output '%s.png'\n"
		"set datafile missing '?'\n"
		"set title ",
		p->stem, p->stem, p->stem, GB_W, h, p->stem);
	mmb__gp_str(g, p->caption);
	fputs("\nset xlabel ", g);
	mmb__gp_str(g, p->xlabel);
	fprintf(g,
		"\nset style fill solid 0.85 border -1\n"
		/* the first row on top */
		"set yrange [%zu-0.3:-0.7]\n"
		"set ytics nomirror\nset grid xtics\nset key %s\n",
		p->n, two ? "outside right top vertical" : "off");
	if (log)
		fprintf(g, "set logscale x 10\nset xrange [%.9g:%.9g]\n", base,
			hi * 1.6);
	else
		fprintf(g, "set xrange [0:%.9g]\n", hi * 1.1);
	/* colour-blind safe (Okabe-Ito blue, vermillion) */
	if (two)
		fprintf(g,
			"plot '%s.dat' using 2:0:(%.9g):2:($0-0.4):($0-0.02):"
			"ytic(1) with boxxyerror lc rgb '#0072b2' title ",
			p->stem, base);
	else
		fprintf(g,
			"plot '%s.dat' using 2:0:(%.9g):2:($0-0.35):($0+0.35):"
			"ytic(1) with boxxyerror lc rgb '#0072b2' notitle",
			p->stem, base);
	if (two) {
		mmb__gp_str(g, p->series[0]);
		fprintf(g,
			", '' using 3:0:(%.9g):3:($0+0.02):($0+0.4) with "
			"boxxyerror lc rgb '#d55e00' title ",
			base);
		mmb__gp_str(g, p->series[1]);
	}
	fprintf(g,
		"\nset terminal svg size %d,%d noenhanced font 'Sans,12' "
		"background rgb 'white'\nset output '%s.svg'\nreplot\n"
		"unset output\n",
		GB_W, h, p->stem);
	if (ferror(g) | (fclose(g) != 0))
		return mmb__report_err(err, errlen, MMB_EIO, "write %s: %s", gp,
				       strerror(errno));
	snprintf(gp, sizeof(gp), "%s.gp", p->stem);
	if ((rc = mmb__gnuplot_run(plotdir, gp, err, errlen)))
		return rc;
	struct mmb__plot *pl = &rep->plots[rep->nplots++];
	snprintf(pl->stem, sizeof(pl->stem), "%s", p->stem);
	snprintf(pl->caption, sizeof(pl->caption), "%s", p->caption);
	pl->file = file;
	return 0;
}

static void figure(FILE *f, const struct mmb__plot *p, size_t rows, int two)
{
	int h = GB_HEAD_PX + GB_ROW_PX * (int)rows * (two ? 2 : 1);

	fprintf(f,
		"<figure><a href=\"plots/%s.svg\"><img src=\"plots/%s.png\" "
		"width=\"%d\" height=\"%d\" alt=\"",
		p->stem, p->stem, GB_W, h);
	esc(f, p->caption);
	fputs("\"></a><figcaption>", f);
	esc(f, p->caption);
	fprintf(f,
		" &middot; <a href=\"plots/%s.svg\">SVG</a> &middot; <a "
		"href=\"plots/%s.gp\">gnuplot script</a> &middot; <a "
		"href=\"plots/%s.dat\">data</a></figcaption></figure>\n",
		p->stem, p->stem, p->stem);
}

/* ---- one Google Benchmark file ------------------------------------------ */

static void gb_context(FILE *f, const struct mmb_results *r)
{
	fputs("<h2>Context</h2>\n<table class=\"ctx\"><tr><th>context "
	      "key</th><th>value</th></tr>\n",
	      f);
	for (size_t i = 0; i < r->nctx; i++) {
		const struct mmb_rval *c = &r->ctx[i];
		fputs("<tr><td>", f);
		esc(f, c->key);
		fputs("</td><td>", f);
		esc(f, c->text);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* The Complexity() fits: the _BigO and _RMS aggregates. */
static void gb_complexity(FILE *f, const struct mmb_results *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->ne; i++) {
		const struct mmb_rentry *e = &r->e[i];
		const char *a = e->aggregate;
		const struct mmb_rentry *rms = NULL;

		if (!a || strcmp(a, "BigO") != 0)
			continue;
		for (size_t k = 0; k < r->ne; k++)
			if (r->e[k].bench == e->bench && r->e[k].aggregate &&
			    strcmp(r->e[k].aggregate, "RMS") == 0)
				rms = &r->e[k];
		if (n++ == 0)
			fputs("<h2>Complexity</h2>\n<table class=\"num\"><tr>"
			      "<th>benchmark</th><th>big O</th><th>real "
			      "coefficient</th><th>CPU coefficient</th>"
			      "<th>time unit</th><th>RMS</th></tr>\n",
			      f);
		fputs("<tr><td>", f);
		esc(f, r->b[e->bench].name);
		fputs("</td><td>", f);
		esc(f, mmb_rentry_str(e, "big_o"));
		fputs("</td>", f);
		td_g(f, mmb_rentry_num(e, "real_coefficient"));
		td_g(f, mmb_rentry_num(e, "cpu_coefficient"));
		fputs("<td>", f);
		esc(f, mmb_rentry_str(e, "time_unit"));
		fputs("</td>", f);
		/* RMS is a fraction of the fit */
		if (rms && isfinite(mmb_rentry_num(rms, "rms")))
			fprintf(f, "<td>%.1f %%</td>",
				100 * mmb_rentry_num(rms, "rms"));
		else
			fputs("<td class=\"na\">&ndash;</td>", f);
		fputs("</tr>\n", f);
	}
	if (n)
		fputs("</table>\n", f);
}

static void gb_errors(FILE *f, const struct mmb_results *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nb; i++) {
		if (!r->b[i].skipped)
			continue;
		if (n++ == 0)
			fputs("<h2>Errors</h2>\n<table><tr><th>benchmark</th>"
			      "<th>error_message</th></tr>\n",
			      f);
		fputs("<tr><td>", f);
		esc(f, r->b[i].name);
		fputs("</td><td>", f);
		esc(f, r->b[i].error ? r->b[i].error : "error");
		fputs("</td></tr>\n", f);
	}
	if (n)
		fputs("</table>\n", f);
}

static int gb_file(struct mmb__report *rep, const char *plotdir,
		   const char *html, char *err, size_t errlen)
{
	const struct mmb_results *r = rep->res[0].res;
	const char *cnames[64], **names = NULL;
	struct gb_row *rows;
	size_t n, nc;
	double *v = NULL, div;
	int rc = gb_rows(r, &rows, &n);
	FILE *f;

	if (rc)
		return mmb__report_err(err, errlen, rc, "out of memory");
	nc = gb_counters(rows, n, cnames, sizeof(cnames) / sizeof(*cnames));
	names = malloc((n ? n : 1) * sizeof(*names));
	v = malloc((n ? n : 1) * sizeof(*v));
	if (!names || !v) {
		rc = mmb__report_err(err, errlen, MMB_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		names[i] = rows[i].b->name;
		v[i] = rows[i].real_ns;
	}
	if (!rep->plots_note[0] && n) {
		char xl[64];
		double *tmp = malloc(n * sizeof(double));
		if (!tmp) {
			rc = mmb__report_err(err, errlen, MMB_ENOMEM,
					     "out of memory");
			goto out;
		}
		memcpy(tmp, v, n * sizeof(double));
		const char *u = time_unit(mmb_results_median(tmp, n), &div);
		free(tmp);
		snprintf(xl, sizeof(xl), "real time per iteration (%s)", u);
		struct bars t = {.stem = "gb-time",
				 .caption = "Time per iteration per benchmark "
					    "(median of the repetitions)",
				 .xlabel = xl,
				 .names = names,
				 .v = {v, NULL},
				 .n = n,
				 .div = div};
		if ((rc = plot_bars(rep, plotdir, &t, 0, err, errlen)))
			goto out;
		for (size_t c = 0; c < nc && c < GB_COUNTERS; c++) {
			char stem[32], cap[160];
			size_t m = 0;
			for (size_t i = 0; i < n; i++) {
				double x = mmb_rentry_num(rows[i].e, cnames[c]);
				if (!isfinite(x))
					continue;
				names[m] = rows[i].b->name;
				v[m++] = x;
			}
			snprintf(stem, sizeof(stem), "gb-counter-%zu", c + 1);
			snprintf(cap, sizeof(cap), "Counter %s per benchmark",
				 cnames[c]);
			struct bars cb = {.stem = stem,
					  .caption = cap,
					  .xlabel = cnames[c],
					  .names = names,
					  .v = {v, NULL},
					  .n = m,
					  .div = 1};
			/* the plot's file: 1 + the counter's index */
			if ((rc = plot_bars(rep, plotdir, &cb, 1 + c, err,
					    errlen)))
				goto out;
		}
	}
	if (!(f = page_open(html, "Google Benchmark report", err, errlen))) {
		rc = MMB_EIO;
		goto out;
	}
	fputs("<h1>Google Benchmark report</h1>\n<p class=\"sub\">Results "
	      "file: <code>",
	      f);
	esc(f, r->path);
	fputs("</code> (written by Google Benchmark)</p>\n", f);
	if (rep->plots_note[0]) {
		fputs("<p class=\"note\">", f);
		esc(f, rep->plots_note);
		fputs("</p>\n", f);
	}
	if (!n)
		fputs("<p class=\"note\">No benchmark with a time in this "
		      "file.</p>\n",
		      f);
	fprintf(f, "<h2>Benchmarks</h2>\n<table class=\"num\"><tr>"
		   "<th>benchmark</th><th>time/iter</th><th>CPU/iter</th>"
		   "<th>iterations</th><th>reps</th>");
	for (size_t c = 0; c < nc; c++) {
		fputs("<th>", f);
		esc(f, cnames[c]);
		fputs("</th>", f);
	}
	fputs("<th>label</th></tr>\n", f);
	for (size_t i = 0; i < n; i++) {
		const struct gb_row *w = &rows[i];
		fputs("<tr><td>", f);
		esc(f, w->b->name);
		fputs("</td>", f);
		td_ns(f, w->real_ns);
		td_ns(f, w->cpu_ns);
		td_g(f, mmb_rentry_num(w->e, "iterations"));
		fprintf(f, "<td>%zu</td>", w->b->nreps);
		for (size_t c = 0; c < nc; c++)
			td_g(f, mmb_rentry_num(w->e, cnames[c]));
		fputs("<td>", f);
		esc(f, mmb_rentry_str(w->e, "label"));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
	gb_complexity(f, r);
	gb_errors(f, r);
	if (rep->nplots)
		fputs("<h2>Plots</h2>\n", f);
	for (size_t i = 0; i < rep->nplots; i++) {
		size_t rows_in = n;
		if (rep->plots[i].file >= 1) {
			rows_in = 0;
			for (size_t k = 0; k < n; k++)
				rows_in += isfinite(mmb_rentry_num(
				    rows[k].e, cnames[rep->plots[i].file - 1]));
		}
		figure(f, &rep->plots[i], rows_in, 0);
	}
	gb_context(f, r);
	rc = page_close(f, html, err, errlen);
out:
	free(names);
	free(v);
	free(rows);
	return rc;
}

/* ---- old vs new --------------------------------------------------------- */

static const char *verdict_class(enum mmb_verdict v)
{
	return v == MMB_VERDICT_SLOWER	 ? " class=\"slower\""
	       : v == MMB_VERDICT_FASTER ? " class=\"faster\""
					 : "";
}

static void name_list(FILE *f, const char *what, char *const *names, size_t n)
{
	if (!n)
		return;
	fputs("<p class=\"note\">", f);
	esc(f, what);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", <code>" : " <code>", f);
		esc(f, names[i]);
		fputs("</code>", f);
	}
	fputs("</p>\n", f);
}

static int gb_compare(struct mmb__report *rep, const char *plotdir,
		      const char *html, char *err, size_t errlen)
{
	const struct mmb_results *o = rep->res[0].res, *n = rep->res[1].res;
	struct mmb_compare_opts opts = {.threshold = MMB_COMPARE_THRESHOLD,
					.alpha = MMB_COMPARE_ALPHA};
	struct mmb_comparison *c = NULL;
	const char **names = NULL;
	double *vo = NULL, *vn = NULL;
	size_t m = 0, slower = 0, faster = 0;
	char msg[512], a[32], b[32];
	int rc;
	FILE *f;

	if (rep->cmp)
		opts = *rep->cmp;
	if ((rc = mmb_compare(o, n, &opts, &c)) < 0)
		return mmb__report_err(err, errlen,
				       rc == MMB_ENOMEM ? rc : MMB_EPARSE, "%s",
				       mmb_results_errmsg(msg, sizeof(msg)));
	names = malloc((c->nrows ? c->nrows : 1) * sizeof(*names));
	vo = malloc((c->nrows ? c->nrows : 1) * sizeof(*vo));
	vn = malloc((c->nrows ? c->nrows : 1) * sizeof(*vn));
	if (!names || !vo || !vn) {
		rc = mmb__report_err(err, errlen, MMB_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < c->nrows; i++) {
		const struct mmb_cmp_row *w = &c->rows[i];
		slower += w->verdict == MMB_VERDICT_SLOWER;
		faster += w->verdict == MMB_VERDICT_FASTER;
		if (w->verdict == MMB_VERDICT_SKIPPED ||
		    !isfinite(w->old_med) || !isfinite(w->new_med))
			continue;
		names[m] = w->name;
		vo[m] = w->old_med;
		vn[m++] = w->new_med;
	}
	if (!rep->plots_note[0] && m) {
		double *tmp = malloc(m * sizeof(double)), div;
		char xl[96];
		if (!tmp) {
			rc = mmb__report_err(err, errlen, MMB_ENOMEM,
					     "out of memory");
			goto out;
		}
		memcpy(tmp, vo, m * sizeof(double));
		const char *u = time_unit(mmb_results_median(tmp, m), &div);
		free(tmp);
		/* --normalize: ratios to the reference, not times */
		if (opts.normalize)
			div = 1, u = "ratio to the reference";
		snprintf(xl, sizeof(xl), "real time per iteration (%s)", u);
		struct bars p = {.stem = "compare",
				 .caption = "Old vs new: median time per "
					    "iteration per benchmark",
				 .xlabel = xl,
				 .names = names,
				 .v = {vo, vn},
				 .series = {"old", "new"},
				 .n = m,
				 .div = div};
		if ((rc = plot_bars(rep, plotdir, &p, 0, err, errlen)))
			goto out;
	}
	if (!(f = page_open(html, "mmbench comparison", err, errlen))) {
		rc = MMB_EIO;
		goto out;
	}
	fputs("<h1>Old vs new</h1>\n<p class=\"sub\">Old (baseline): <code>",
	      f);
	esc(f, o->path);
	fputs("</code>, new: <code>", f);
	esc(f, n->path);
	fputs("</code></p>\n", f);
	fprintf(f,
		"<p class=\"verdict%s\"><b>%s:</b> %zu benchmark(s) "
		"compared; %zu slower and %zu faster by more than %.0f %% "
		"with p &lt; %g (two-sided Mann-Whitney U test on the "
		"repetitions' real time).</p>\n",
		c->regression ? " bad" : "",
		c->regression ? "REGRESSION" : "PASS", c->nrows, slower, faster,
		100 * opts.threshold, opts.alpha);
	for (size_t i = 0; i < c->nwarnings; i++) {
		fputs("<p class=\"note\">", f);
		esc(f, c->warnings[i]);
		fputs("</p>\n", f);
	}
	if (rep->plots_note[0]) {
		fputs("<p class=\"note\">", f);
		esc(f, rep->plots_note);
		fputs("</p>\n", f);
	}
	fputs("<table class=\"num\"><tr><th>benchmark</th><th>old</th>"
	      "<th>new</th><th>change</th><th>p-value</th><th>test</th>"
	      "<th>reps</th><th>verdict</th></tr>\n",
	      f);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct mmb_cmp_row *w = &c->rows[i];
		fprintf(f, "<tr%s><td>", verdict_class(w->verdict));
		esc(f, w->name);
		fputs("</td>", f);
		if (w->verdict == MMB_VERDICT_SKIPPED) {
			fputs("<td class=\"na\">&ndash;</td><td "
			      "class=\"na\">&ndash;</td>",
			      f);
		} else if (opts.normalize) {
			td_g(f, w->old_med);
			td_g(f, w->new_med);
		} else {
			td_ns(f, w->old_med);
			td_ns(f, w->new_med);
		}
		if (isfinite(w->change) && w->verdict != MMB_VERDICT_SKIPPED)
			fprintf(f, "<td>%+.1f %%</td>", 100 * w->change);
		else
			fputs("<td class=\"na\">&ndash;</td>", f);
		if (w->tested)
			fprintf(f, "<td>%.4f</td><td>%s</td>", w->u.p,
				w->u.method == MMB_UTEST_EXACT ? "exact"
							       : "normal");
		else
			fputs("<td class=\"na\">&ndash;</td><td "
			      "class=\"na\">&ndash;</td>",
			      f);
		snprintf(a, sizeof(a), "%zu", w->n_old);
		snprintf(b, sizeof(b), "%zu", w->n_new);
		fprintf(f, "<td>%s/%s</td><td>%s</td></tr>\n", a, b,
			mmb_verdict_name(w->verdict));
	}
	fputs("</table>\n", f);
	name_list(f, "Only in the old file:", c->only_old, c->nonly_old);
	name_list(f, "Only in the new file:", c->only_new, c->nonly_new);
	if (rep->nplots)
		figure(f, &rep->plots[0], m, 1);
	rc = page_close(f, html, err, errlen);
out:
	free(names);
	free(vo);
	free(vn);
	mmb_comparison_free(c);
	return rc;
}

int mmb__gb_render(struct mmb__report *rep, const char *plotdir,
		   const char *html, char *err, size_t errlen)
{
	return rep->gb == MMB__GB_COMPARE
		   ? gb_compare(rep, plotdir, html, err, errlen)
		   : gb_file(rep, plotdir, html, err, errlen);
}
