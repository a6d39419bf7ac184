/* SPDX-License-Identifier: MIT */
/* html.c - index.html of a report: one self-contained page (inline CSS,
 * style.c's, which html_gb.c's pages share; no scripts, no network) with
 * the context, verdict, tables, skipped backends and the plots as image
 * files beside it. Everything that comes from a results file is
 * HTML-escaped. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/units.h"
#include "report_priv.h"
#include "style.h"

static void esc(FILE *f, const char *s)
{
	static const char *const entity[UCHAR_MAX + 1] = {
	    ['&'] = "&amp;",  ['<'] = "&lt;",	['>'] = "&gt;",
	    ['"'] = "&quot;", ['\''] = "&#39;",
	};

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (entity[c])
			fputs(entity[c], f);
		/* Control characters other than tab/newline are not valid
		 * in HTML text. */
		else if (c < 0x20 && c != '\t' && c != '\n')
			fputc(' ', f);
		else
			fputc(*s, f);
	}
}

void mmb__html_esc(FILE *f, const char *s)
{
	esc(f, s);
}

/* Whether s[i] starts the unit "us": after a number ("0.86 us/op",
 * "12us") or as the whole unit ("us/op"), never in a word ("use"). */
static bool us_unit(const char *s, size_t i)
{
	size_t j = i;

	if (s[i] != 'u' || s[i + 1] != 's' ||
	    (s[i + 2] >= 'a' && s[i + 2] <= 'z') ||
	    (s[i + 2] >= 'A' && s[i + 2] <= 'Z'))
		return false;
	if (i == 0)
		return true;
	if (s[j - 1] == ' ')
		j--;
	return j > 0 && s[j - 1] >= '0' && s[j - 1] <= '9';
}

void mmb__html_esc_units(FILE *f, const char *s)
{
	char buf[256];
	size_t n = 0;

	/* esc() in pieces, each "us" unit replaced by the one spelling. */
	for (size_t i = 0; s[i]; i++) {
		if (us_unit(s, i) || n + 1 == sizeof(buf)) {
			buf[n] = '\0';
			esc(f, buf);
			n = 0;
		}
		if (us_unit(s, i)) {
			fputs("&micro;s", f);
			i++;
			continue;
		}
		buf[n++] = s[i];
	}
	buf[n] = '\0';
	esc(f, buf);
}

/* 1234567 -> "1,234,567" (rounded to an integer; report_priv.h). */
void mmb__fmt_int(double v, char *buf, size_t n)
{
	char digits[64];
	size_t len, o = 0;
	int neg = v < 0;

	snprintf(digits, sizeof(digits), "%.0f", fabs(v));
	len = strlen(digits);
	if (neg && o + 1 < n)
		buf[o++] = '-';
	for (size_t i = 0; i < len && o + 2 < n; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* One table cell; NaN (not in the file) shows as a dash. */
static void td_num(FILE *f, double v, const char *fmt, double scale)
{
	char buf[64];

	if (!isfinite(v)) {
		fputs("<td class=\"na\">&ndash;</td>", f);
		return;
	}
	if (fmt == NULL)
		mmb__fmt_int(v * scale, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), fmt, v * scale);
	fprintf(f, "<td>%s</td>", buf);
}

static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static void ctx_value(FILE *f, const struct mmb_rval *c)
{
	esc(f, c->text);
	if (c->type == MMB_RT_NUMBER && mmb__key_is_bytes(c->key) &&
	    c->num >= 1024) {
		char h[64];

		mmb_fmt_bytes(c->num, 0, h, sizeof(h));
		fprintf(f, " (%s)", h);
	}
}

/* The context keys of file fi that have the same value in every file
 * (common: the environment, shown once for all) or that differ from some
 * other file (!common: shown with that file). The verdict (its text and
 * its data) is never here. */
static void write_ctx(FILE *f, const struct mmb__report *rep, size_t fi,
		      bool common, const char *head)
{
	const struct mmb_report_results *r = &rep->res[fi];
	size_t shown = 0;

	for (size_t i = 0; i < r->res->nctx; i++) {
		const struct mmb_rval *c = &r->res->ctx[i];
		bool same = true;

		if (strcmp(c->key, "verdict") == 0 ||
		    strcmp(c->key, "verdict_data") == 0)
			continue;
		for (size_t o = 0; o < rep->nres && same; o++) {
			const struct mmb_rval *oc =
			    mmb_report_ctx_get(&rep->res[o], c->key);

			same = oc && strcmp(oc->text, c->text) == 0;
		}
		if (same != common)
			continue;
		if (shown++ == 0)
			fputs(head, f);
		fputs("<tr><td>", f);
		esc(f, c->key);
		fputs("</td><td>", f);
		ctx_value(f, c);
		fputs("</td></tr>\n", f);
	}
	if (shown)
		fputs("</table>\n", f);
}

static void write_figures(FILE *f, const struct mmb__report *rep, size_t fi)
{
	size_t n = 0;

	for (size_t i = 0; i < rep->nplots; i++) {
		const struct mmb__plot *p = &rep->plots[i];

		if (p->file != fi)
			continue;
		if (n++ == 0)
			fputs(fi == MMB__PLOT_SWEEP
				  ? "<div class=\"plots wide\">\n"
				  : "<div class=\"plots\">\n",
			      f);
		/* Stems are ours ([a-z0-9-]), captions come from the file. */
		fprintf(f,
			"<figure><a href=\"plots/%s.svg\"><img "
			"src=\"plots/%s.png\" width=\"900\" height=\"480\" "
			"alt=\"",
			p->stem, p->stem);
		esc(f, p->caption);
		fputs("\"></a><figcaption>", f);
		esc(f, p->caption);
		fprintf(f,
			" &middot; <a href=\"plots/%s.svg\">SVG</a> &middot; "
			"<a href=\"plots/%s.gp\">gnuplot script</a> &middot; "
			"<a href=\"plots/%s.dat\">data</a></figcaption>"
			"</figure>\n",
			p->stem, p->stem, p->stem);
	}
	if (n)
		fputs("</div>\n", f);
}

/* An evidence value: "0.213", "1,023", a dash when not measured. */
static void td_term(FILE *f, double v)
{
	td_num(f, v, fabs(v) >= 1000 || v == floor(v) ? NULL : "%.3g", 1);
}

/* The verdict: from "verdict_data" when the file has it, in the words of
 * the one renderer (mmb_verdict_text) and its evidence as a table; else
 * the "verdict" text (files from before verdict_data, or whose data this
 * mmbench cannot read). */
static void write_verdict(FILE *f, const struct mmb_report_results *r)
{
	const struct mmb_rval *t = mmb_report_ctx_get(r, "verdict");
	struct mmb_run_verdict v;
	char text[MMB_VERDICT_TEXT];
	int rc = mmb_report_verdict(r, &v);

	fputs("<p class=\"verdict\"><b>Verdict:</b> ", f);
	if (rc == 0)
		mmb__html_esc_units(f,
				    mmb_verdict_text(&v, text, sizeof(text)));
	else if (t)
		mmb__html_esc_units(f, t->text);
	else
		fputs("(no verdict in this results file)", f);
	fputs("</p>\n", f);
	if (rc != 0 || v.ref.index < 0)
		return;
	fputs("<table class=\"num\"><tr><th>verdict evidence "
	      "(medians)</th><th>",
	      f);
	esc(f, v.winner.name);
	fputs("</th><th>", f);
	esc(f, v.ref.name);
	fputs("</th><th>unit</th></tr>\n", f);
	for (unsigned k = 0; k < MMB_RV__TERMS; k++) {
		const struct mmb_rv_term_value *x = &v.term[k];

		if (!isfinite(x->winner) && !isfinite(x->ref))
			continue;
		fprintf(f, "<tr><td>%s</td>", mmb_rv_term_key(k));
		td_term(f, x->winner);
		td_term(f, x->ref);
		fputs("<td>", f);
		mmb__html_esc_units(f, mmb_rv_term_unit(k));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

static size_t best_backend(const struct mmb_report_results *r)
{
	size_t best = (size_t)-1;

	for (size_t i = 0; i < r->nb; i++) {
		if (r->b[i].skipped || !isfinite(r->b[i].ops_per_s))
			continue;
		if (best == (size_t)-1 ||
		    r->b[i].ops_per_s > r->b[best].ops_per_s)
			best = i;
	}
	return best;
}

static void write_measured(FILE *f, const struct mmb_report_results *r,
			   size_t best)
{
	size_t worst = best;
	char a[256], b[256];

	for (size_t i = 0; i < r->nb; i++)
		if (!r->b[i].skipped && isfinite(r->b[i].ops_per_s) &&
		    r->b[i].ops_per_s < r->b[worst].ops_per_s)
			worst = i;
	fputs("<p>Highest median throughput: <b>", f);
	esc(f, mmb__backend_label(r, best, a, sizeof(a)));
	fputs("</b>", f);
	if (worst != best && r->b[worst].ops_per_s > 0) {
		fprintf(f, ", %.2f&times; the slowest (",
			r->b[best].ops_per_s / r->b[worst].ops_per_s);
		esc(f, mmb__backend_label(r, worst, b, sizeof(b)));
		fputs(")", f);
	}
	fputs(".</p>\n", f);
}

static int has_io(const struct mmb_report_results *r)
{
	for (size_t i = 0; i < r->nb; i++)
		if (!r->b[i].skipped && r->b[i].has_io)
			return 1;
	return 0;
}

/* Device I/O per backend; a file from before these fields has none, and
 * a field the machine could not measure (null) shows as a dash. */
#define NO_BEST ((size_t)-1) /* row_head: no row marked */

/* A backend's row up to its first cell, "<tr><td>label</td>", the best
 * backend's row marked. */
static void row_head(FILE *f, const struct mmb_report_results *r, size_t i,
		     size_t best)
{
	char label[256];

	fprintf(f, "<tr%s><td>", i == best ? " class=\"best\"" : "");
	esc(f, mmb__backend_label(r, i, label, sizeof(label)));
	fputs("</td>", f);
}

/* A numeric column of a per-backend table: the double at `off` in
 * struct mmb_report_backend, through td_num(fmt, scale); per_fault: a
 * dash for a backend without faults. */
struct col {
	size_t off;
	const char *fmt;
	double scale;
	bool per_fault;
};
#define COL(field, fmt, scale)                                                \
	{                                                                     \
		offsetof(struct mmb_report_backend, field), fmt, scale, false \
	}

/* A row per backend that ran: its label, then the columns. */
static void write_rows(FILE *f, const struct mmb_report_results *r, size_t best,
		       const struct col *c, size_t nc)
{
	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_report_backend *b = &r->b[i];

		if (b->skipped)
			continue;
		row_head(f, r, i, best);
		for (size_t k = 0; k < nc; k++) {
			double v =
			    *(const double *)((const char *)b + c[k].off);

			td_num(f, c[k].per_fault && b->faults == 0 ? NAN : v,
			       c[k].fmt, c[k].scale);
		}
		fputs("</tr>\n", f);
	}
}

static void write_io(FILE *f, const struct mmb_report_results *r, size_t best)
{
	if (!has_io(r))
		return;
	fputs("<h3>Device I/O</h3>\n<table class=\"num io\">"
	      "<tr><th>backend</th><th>read amplification (&times;)</th>"
	      "<th>device read (MiB)</th><th>write amplification "
	      "(&times;)</th><th>device written (MiB)</th>"
	      "<th>whole disk read (MiB)</th>"
	      "<th>whole disk written (MiB)</th></tr>\n",
	      f);
	static const struct col io[] = {
	    COL(read_amp, "%.2f", 1),
	    COL(dev_read_bytes, "%.1f", 1.0 / 1048576),
	    COL(write_amp, "%.2f", 1),
	    COL(dev_write_bytes, "%.1f", 1.0 / 1048576),
	    COL(disk_read_bytes, "%.1f", 1.0 / 1048576),
	    COL(disk_write_bytes, "%.1f", 1.0 / 1048576),
	};

	write_rows(f, r, best, io, sizeof(io) / sizeof(io[0]));
	fputs("</table>\n<p class=\"sub\">Amplification is the bytes the "
	      "storage device read (or wrote) for the process divided by the "
	      "bytes the ops requested; readahead and fault-around inflate "
	      "it, a warm cache makes it about 0. The whole-disk columns "
	      "count every process on that disk. A dash: not measurable "
	      "here (or nothing requested in that direction).</p>\n",
	      f);
}

/* The entry whose numbers stand for backend i: its median aggregate, or
 * its first repetition; NULL when it has neither. */
static const struct mmb_rentry *median_entry(const struct mmb_report_results *r,
					     size_t i)
{
	const struct mmb_rbench *rb = &r->res->b[i];

	if (rb->median >= 0)
		return &r->res->e[rb->median];
	return rb->nreps ? &r->res->e[rb->reps[0]] : NULL;
}

/* The backends' own metrics (the .metrics hook: bufferpool's pool_*,
 * mmap-window's remaps), named with their units in each entry's
 * "metric_units": a row per metric, a column per backend that has any. */
static void write_xmetrics(FILE *f, const struct mmb_report_results *r)
{
	const struct mmb_rval *units[64];
	size_t nu = 0, ncol = 0;

	for (size_t i = 0; i < r->nb && i < 64; i++) {
		const struct mmb_rentry *e = median_entry(r, i);
		units[i] = r->b[i].skipped || !e
			       ? NULL
			       : mmb_rentry_get(e, "metric_units");
		if (units[i] && units[i]->type == MMB_RT_OBJECT &&
		    units[i]->nkid)
			ncol++;
		else
			units[i] = NULL;
		nu = i + 1;
	}
	if (!ncol)
		return;
	fputs("<h3>The backends' own metrics</h3>\n<table class=\"num xm\">"
	      "<tr><th>backend</th><th>metric</th><th>unit</th>"
	      "<th>median</th></tr>\n",
	      f);
	for (size_t i = 0; i < nu; i++) {
		if (!units[i])
			continue;
		for (size_t k = 0; k < units[i]->nkid; k++) {
			const struct mmb_rval *u = &units[i]->kid[k];
			double v = mmb_rentry_num(median_entry(r, i), u->key);
			bool frac = u->text && strcmp(u->text, "fraction") == 0;

			row_head(f, r, i, NO_BEST);
			fputs("<td class=\"text\"><code>", f);
			esc(f, u->key);
			fputs("</code></td><td class=\"text\">", f);
			esc(f, frac ? "%" : u->text ? u->text : "");
			fputs("</td>", f);
			td_num(f, v, frac ? "%.1f" : NULL, frac ? 100 : 1);
			fputs("</tr>\n", f);
		}
	}
	fputs("</table>\n<p class=\"sub\">What a backend counts of its own "
	      "in each repetition (docs/results.md): a buffer pool's hits, "
	      "misses, evictions and write-backs, a sliding window's "
	      "remaps.</p>\n",
	      f);
}

static void write_tables(FILE *f, const struct mmb_report_results *r,
			 size_t best)
{
	static const struct col mem[] = {
	    COL(minor_faults, NULL, 1),
	    COL(major_faults, NULL, 1),
	    COL(faults, NULL, 1),
	    COL(pages_touched, NULL, 1),
	    /* The file says 0 when there were no faults; a ratio of
	     * nothing is clearer as a dash. */
	    {offsetof(struct mmb_report_backend, pages_per_fault), "%.1f", 1,
	     .per_fault = true},
	    COL(resident_before, "%.1f", 100),
	    COL(file_pmd_mapped_kb, NULL, 1),
	    COL(anon_huge_kb, NULL, 1),
	    COL(setup_ns, "%.3f", 1e-6),
	};

	fputs("<h3>Throughput and latency</h3>\n<table class=\"num tput\">"
	      "<tr><th>backend</th><th>ops/s (median)</th><th>ops/s min</th>"
	      "<th>ops/s max</th><th>reps</th><th>MB/s</th>"
	      "<th>p50 (&micro;s)</th><th>p90 (&micro;s)</th>"
	      "<th>p99 (&micro;s)</th><th>p99.9 (&micro;s)</th>"
	      "<th>max (&micro;s)</th></tr>\n",
	      f);
	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_report_backend *b = &r->b[i];
		double lo = NAN, hi = NAN;

		if (b->skipped)
			continue;
		if (strcmp(mmb__ops_range(b, &lo, &hi), "min..max") != 0)
			lo = hi = NAN;
		row_head(f, r, i, best);
		td_num(f, b->ops_per_s, NULL, 1);
		td_num(f, lo, NULL, 1);
		td_num(f, hi, NULL, 1);
		fprintf(f, "<td>%zu</td>", b->nreps);
		td_num(f, b->bytes_per_s, "%.1f", 1e-6);
		td_num(f, b->lat_p50_ns, "%.2f", 1e-3);
		td_num(f, b->lat_p90_ns, "%.2f", 1e-3);
		td_num(f, b->lat_p99_ns, "%.2f", 1e-3);
		td_num(f, b->lat_p999_ns, "%.2f", 1e-3);
		td_num(f, b->lat_max_ns, "%.2f", 1e-3);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);

	fputs("<h3>Page faults and residency</h3>\n<table class=\"num mem\">"
	      "<tr><th>backend</th><th>minor faults</th><th>major faults</th>"
	      "<th>faults</th><th>pages touched</th><th>pages/fault</th>"
	      "<th>resident before (%)</th><th>FilePmdMapped (KiB)</th>"
	      "<th>AnonHuge (KiB)</th><th>setup (ms)</th></tr>\n",
	      f);
	write_rows(f, r, best, mem, sizeof(mem) / sizeof(mem[0]));
	fputs("</table>\n", f);
	write_io(f, r, best);
	write_xmetrics(f, r);
	fputs("<p class=\"sub\">Medians over the repetitions; "
	      "MB/s is 10<sup>6</sup> bytes per second; latency percentiles "
	      "merge all repetitions.</p>\n",
	      f);
}

static void write_skipped(FILE *f, const struct mmb_report_results *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nb; i++) {
		if (!r->b[i].skipped)
			continue;
		if (n++ == 0)
			fputs(
			    "<h3>Skipped backends</h3>\n<table class=\"skip\">"
			    "<tr><th>backend</th><th>reason</th></tr>\n",
			    f);
		row_head(f, r, i, NO_BEST);
		fputs("<td>", f);
		esc(f, r->b[i].reason ? r->b[i].reason : "skipped");
		fputs("</td></tr>\n", f);
	}
	if (n)
		fputs("</table>\n", f);
}

/* The sweep's points as a table: a row per parameter value, a column per
 * backend (median ops/s; a dash where it did not run). */
static int write_sweep(FILE *f, const struct mmb__report *rep)
{
	struct mmb__sweep_pt *pts;
	size_t npts, *col, ncol = 0;
	char label[256], x[64];
	int mixed = 0;

	if (mmb__sweep_points(rep, &pts, &npts))
		return MMB_ENOMEM;
	col = calloc(npts ? npts : 1, sizeof(*col));
	if (!col) {
		free(pts);
		return MMB_ENOMEM;
	}
	/* Columns: the first point of each backend. */
	for (size_t k = 0; k < npts; k++) {
		const struct mmb_report_backend *b =
		    &rep->res[pts[k].file].b[pts[k].b];
		int seen = 0;

		for (size_t c = 0; c < ncol && !seen; c++) {
			const struct mmb_report_backend *o =
			    &rep->res[pts[col[c]].file].b[pts[col[c]].b];

			seen = strcmp(o->name, b->name) == 0 &&
			       strcmp(o->workload, b->workload) == 0;
		}
		if (!seen)
			col[ncol++] = k;
		mixed |=
		    strcmp(b->workload,
			   rep->res[pts[0].file].b[pts[0].b].workload) != 0;
	}
	fputs("<h2>Sweep over <code>", f);
	esc(f, rep->sweep_key);
	fputs("</code></h2>\n", f);
	write_figures(f, rep, MMB__PLOT_SWEEP);
	fputs("<table class=\"num sweep\"><tr><th>", f);
	esc(f, rep->sweep_key);
	fputs("</th>", f);
	for (size_t c = 0; c < ncol; c++) {
		const struct mmb_report_backend *b =
		    &rep->res[pts[col[c]].file].b[pts[col[c]].b];

		if (mixed)
			snprintf(label, sizeof(label), "%s/%s", b->workload,
				 b->name);
		else
			snprintf(label, sizeof(label), "%s", b->name);
		fputs("<th>", f);
		esc(f, label);
		fputs(" ops/s</th>", f);
	}
	fputs("</tr>\n", f);
	for (size_t k = 0; k < npts;) {
		size_t end = k;

		while (end < npts && pts[end].x == pts[k].x)
			end++;
		mmb__sweep_xr(&rep->res[pts[k].file], rep->sweep_key, pts[k].x,
			      x, sizeof(x));
		fputs("<tr><td>", f);
		esc(f, x);
		fputs("</td>", f);
		for (size_t c = 0; c < ncol; c++) {
			const struct mmb_report_backend *cb =
			    &rep->res[pts[col[c]].file].b[pts[col[c]].b];
			double ops = NAN;

			for (size_t m = k; m < end; m++) {
				const struct mmb_report_backend *b =
				    &rep->res[pts[m].file].b[pts[m].b];

				if (strcmp(b->name, cb->name) == 0 &&
				    strcmp(b->workload, cb->workload) == 0 &&
				    !b->skipped)
					ops = b->ops_per_s;
			}
			td_num(f, ops, NULL, 1);
		}
		fputs("</tr>\n", f);
		k = end;
	}
	fputs("</table>\n", f);
	free(col);
	free(pts);
	return 0;
}

int mmb__html_write(const struct mmb__report *rep, const char *path, char *err,
		    size_t errlen)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return mmb__report_err(err, errlen, -errno, "fopen(%s): %s",
				       path, strerror(errno));
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n<title>mmbench report: ",
	      f);
	esc(f, mmb__workload(&rep->res[0]));
	if (rep->sweep_key) {
		fputs(" sweep over ", f);
		esc(f, rep->sweep_key);
	}
	fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n",
		mmb__report_css);
	fputs("<h1>mmbench report</h1>\n<p class=\"sub\">", f);
	for (size_t i = 0; i < rep->nres; i++) {
		/* a sweep file's points: one file */
		if (rep->sweep_in_file && i)
			break;
		fputs(i ? ", "
			: (rep->nres > 1 && !rep->sweep_in_file
			       ? "Results files: "
			       : "Results "
				 "file: "),
		      f);
		fputs("<code>", f);
		esc(f, rep->res[i].res->path);
		fputs("</code>", f);
	}
	fputs("</p>\n", f);
	if (rep->sweep_key) {
		if (write_sweep(f, rep) != 0) {
			fclose(f);
			return mmb__report_err(err, errlen, MMB_ENOMEM,
					       "out of memory");
		}
	} else if (rep->sweep_note[0]) {
		fputs("<p class=\"note\">", f);
		esc(f, rep->sweep_note);
		fputs("</p>\n", f);
	}
	if (rep->plots_note[0]) {
		fputs("<p class=\"note\">", f);
		esc(f, rep->plots_note);
		fputs("</p>\n", f);
	}
	for (size_t k = 0; k < rep->nres; k++) {
		size_t fi = rep->sweep_key ? rep->sweep_order[k] : k;
		const struct mmb_report_results *r = &rep->res[fi];
		size_t best = best_backend(r);

		fputs("<h2>", f);
		esc(f, mmb__workload(r));
		if (rep->sweep_key && !rep->sweep_in_file) {
			const struct mmb_rval *c =
			    mmb_report_ctx_get(r, rep->sweep_key);

			fputs(", ", f);
			esc(f, c->key);
			fputs(" = ", f);
			ctx_value(f, c);
		} else if (r->point[0]) {
			fputs(", ", f);
			esc(f, r->point);
		}
		fputs(" <small>(<code>", f);
		esc(f, basename_of(r->res->path));
		fputs("</code>)</small></h2>\n", f);
		write_verdict(f, r);
		if (best != (size_t)-1)
			write_measured(f, r, best);
		else
			fputs("<p class=\"note\">No backend ran.</p>\n", f);
		if (rep->nres > 1)
			write_ctx(f, rep, fi, false,
				  "<table class=\"ctx\"><tr><th>context key "
				  "(this file)</th><th>value</th></tr>\n");
		if (best != (size_t)-1)
			write_tables(f, r, best);
		write_skipped(f, r);
		if (mmb__html_profile(f, rep, fi) != 0) {
			fclose(f);
			return mmb__report_err(err, errlen, MMB_ENOMEM,
					       "out of memory");
		}
		if (best != (size_t)-1)
			fputs("<h3>Plots</h3>\n", f);
		write_figures(f, rep, fi);
		if (mmb__html_flamegraphs(f, rep, fi) != 0) {
			fclose(f);
			return mmb__report_err(err, errlen, MMB_ENOMEM,
					       "out of memory");
		}
	}
	/* The context last: the verdict and numbers are what a reader
	 * looks for first. */
	write_ctx(f, rep, 0, true,
		  "<h2>Environment</h2>\n<table class=\"ctx\">"
		  "<tr><th>context key</th><th>value</th></tr>\n");
	fputs("</body>\n</html>\n", f);
	if (ferror(f) | (fclose(f) != 0))
		return mmb__report_err(err, errlen, MMB_EIO, "write %s: %s",
				       path, strerror(errno));
	return 0;
}
