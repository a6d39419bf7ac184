/* SPDX-License-Identifier: MIT */
/* gnuplot.c - plots of a report as gnuplot scripts + data files, rendered
 * to PNG and SVG by running `gnuplot STEM.gp` in the plot directory. The
 * scripts stay beside their output so a user can tweak and re-run them. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mmbench/units.h"
#include "report_os.h"
#include "report_priv.h"

#define PLOT_W 900
#define PLOT_H 480

/* "µs" in UTF-8: the scripts say `set encoding utf8`. */
#define US "\xc2\xb5s"

/* A string in a gnuplot script: single quotes, '' for a quote, no
 * newlines (a JSON string may hold anything). */
void mmb__gp_str(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("''", f);
		else if ((unsigned char)*s < 0x20)
			fputc(' ', f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

/* A label in a data file: double quotes, nothing that ends the field. */
void mmb__dat_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		fputc(*s == '"' || *s == '\\' || (unsigned char)*s < 0x20 ? '_'
									  : *s,
		      f);
	fputc('"', f);
}

static void dat_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, " %.9g", v);
	else
		fputs(" ?", f);
}

/* The cells of a row of a data file: the label (none when NULL), then the
 * numbers. */
static void dat_cells(FILE *f, const char *label, const double *v, size_t n)
{
	if (label)
		mmb__dat_str(f, label);
	for (size_t k = 0; k < n; k++)
		dat_num(f, v[k]);
}

/* One row of a data file. */
static void dat_row(FILE *f, const char *label, const double *v, size_t n)
{
	dat_cells(f, label, v, n);
	fputc('\n', f);
}

/* A row ending in a text column: the value label plotted over a bar. */
static void dat_row_label(FILE *f, const char *label, const double *v, size_t n,
			  const char *text)
{
	dat_cells(f, label, v, n);
	fputc(' ', f);
	mmb__dat_str(f, text);
	fputc('\n', f);
}

/* The header of data block idx (selected in gnuplot with `index idx`):
 * blocks are apart by two blank lines; "# label: columns". */
static void dat_block(FILE *f, size_t idx, const char *label,
		      const char *columns)
{
	fprintf(f, "%s# ", idx ? "\n\n" : "");
	mmb__dat_str(f, label);
	fprintf(f, ": %s\n", columns);
}

/* What goes before the idx-th series of a `plot` command. */
static const char *plot_sep(size_t idx)
{
	return idx ? ", \\\n     " : "";
}

struct out {
	FILE *gp, *dat;
	char stem[32];
	char gp_path[4096], dat_path[4096];
};

static int open_plot(struct mmb__report *rep, const char *plotdir,
		     const char *stem, size_t file, const char *caption,
		     struct out *o, char *err, size_t errlen)
{
	struct mmb__plot *p;

	if (rep->nplots == sizeof(rep->plots) / sizeof(rep->plots[0]))
		return mmb__report_err(
		    err, errlen, MMB_ERANGE, "too many plots (at most %zu)",
		    sizeof(rep->plots) / sizeof(rep->plots[0]));
	memset(o, 0, sizeof(*o));
	snprintf(o->stem, sizeof(o->stem), "%s", stem);
	snprintf(o->gp_path, sizeof(o->gp_path), "%s/%s.gp", plotdir, stem);
	snprintf(o->dat_path, sizeof(o->dat_path), "%s/%s.dat", plotdir, stem);
	o->gp = fopen(o->gp_path, "wb");
	if (!o->gp)
		goto err_open;
	o->dat = fopen(o->dat_path, "wb");
	if (!o->dat) {
		fclose(o->gp);
		goto err_open;
	}
	p = &rep->plots[rep->nplots++];
	snprintf(p->stem, sizeof(p->stem), "%s", stem);
	/* a sweep point's plot says which point it shows */
	if (file != MMB__PLOT_SWEEP && rep->res[file].point[0])
		snprintf(p->caption, sizeof(p->caption), "%s, %s",
			 rep->res[file].point, caption);
	else
		snprintf(p->caption, sizeof(p->caption), "%s", caption);
	caption = p->caption;
	p->file = file;

	fprintf(o->gp,
		"# %s\n"
		"# Written by `mmbench report`; the data is in %s.dat.\n"
		"# Edit and re-run in this directory: gnuplot %s.gp\n"
		"set encoding utf8\n"
		"set terminal pngcairo size %d,%d noenhanced font 'Sans,10'\n"
		"set output '%s.png'\n"
		"set datafile missing '?'\n",
		stem, stem, stem, PLOT_W, PLOT_H, stem);
	fprintf(o->gp, "set title ");
	mmb__gp_str(o->gp, caption);
	fputc('\n', o->gp);
	return 0;

err_open:
	return mmb__report_err(err, errlen, -errno, "fopen(%s): %s",
			       o->gp ? o->dat_path : o->gp_path,
			       strerror(errno));
}

static int close_plot(struct out *o, char *err, size_t errlen)
{
	int rc = 0;

	/* pngcairo's 10 pt is 13 px; the SVG's font size is in px. */
	fprintf(o->gp,
		"set terminal svg size %d,%d noenhanced font 'Sans,13' "
		"background rgb 'white'\n"
		"set output '%s.svg'\n"
		"replot\n"
		"unset output\n",
		PLOT_W, PLOT_H, o->stem);
	if (ferror(o->gp) | (fclose(o->gp) != 0))
		rc = mmb__report_err(err, errlen, MMB_EIO, "write %s: %s",
				     o->gp_path, strerror(errno));
	if ((ferror(o->dat) | (fclose(o->dat) != 0)) && rc == 0)
		rc = mmb__report_err(err, errlen, MMB_EIO, "write %s: %s",
				     o->dat_path, strerror(errno));
	return rc;
}

/* Many backends: slant their names so neighbours do not overlap. */
static void xtic_names(FILE *gp, size_t n)
{
	if (n > 5)
		fprintf(gp, "set xtics rotate by -25 left\n");
}

static void stem_of(char *buf, size_t n, const char *what,
		    const struct mmb__report *rep, size_t file)
{
	if (rep->nres == 1)
		snprintf(buf, n, "%s", what);
	else
		snprintf(buf, n, "%s-%zu", what, file + 1);
}

/* open_plot of result file fi's plot `what` (stem "what", or "what-N"
 * when the report has several files); the stem is then o->stem. */
static int open_file_plot(struct mmb__report *rep, const char *plotdir,
			  const char *what, size_t fi, const char *caption,
			  struct out *o, char *err, size_t errlen)
{
	char stem[32];

	stem_of(stem, sizeof(stem), what, rep, fi);
	return open_plot(rep, plotdir, stem, fi, caption, o, err, errlen);
}

static int ran(const struct mmb_report_backend *b)
{
	return !b->skipped && isfinite(b->ops_per_s);
}

/* Smallest positive and largest of the finite values v[0..n): the range an
 * axis must show (mmb__gp_axis); *lo is 0 when some value is 0 or less. */
static void span(const double *v, size_t n, double *lo, double *hi)
{
	for (size_t k = 0; k < n; k++) {
		if (!isfinite(v[k]))
			continue;
		*lo = v[k] > 0 ? fmin(*lo, v[k]) : 0;
		*hi = fmax(*hi, v[k]);
	}
}

static int plot_throughput(struct mmb__report *rep, size_t fi,
			   const char *plotdir, char *err, size_t errlen)
{
	const struct mmb_report_results *r = &rep->res[fi];
	const char *bars = "none";
	char caption[256], label[256], value[32];
	double vlo = INFINITY, vhi = 0;
	size_t n = 0, reps = 0;
	struct out o;
	bool logy;
	int rc;

	for (size_t i = 0; i < r->nb; i++) {
		double lo, hi;

		if (!ran(&r->b[i]))
			continue;
		n++;
		bars = mmb__ops_range(&r->b[i], &lo, &hi);
		span((double[]){r->b[i].ops_per_s, lo, hi}, 3, &vlo, &vhi);
		if (r->b[i].nreps > reps)
			reps = r->b[i].nreps;
	}
	if (n == 0)
		return 0;
	snprintf(caption, sizeof(caption),
		 "%s: throughput per backend (median of %zu repetitions; "
		 "error bars: %s)",
		 mmb__workload(r), reps ? reps : 1,
		 strcmp(bars, "min..max") == 0	 ? "min to max"
		 : strcmp(bars, "+-stddev") == 0 ? "+- one stddev"
						 : "none");
	rc = open_file_plot(rep, plotdir, "throughput", fi, caption, &o, err,
			    errlen);
	if (rc)
		return rc;
	fprintf(o.dat, "# backend median_ops_per_s low high label_y label\n");
	for (size_t i = 0; i < r->nb; i++) {
		double lo, hi;

		if (!ran(&r->b[i]))
			continue;
		mmb__ops_range(&r->b[i], &lo, &hi);
		mmb__fmt_value(r->b[i].ops_per_s, MMB__AXIS_RATE, value,
			       sizeof(value));
		dat_row_label(o.dat,
			      mmb__backend_label(r, i, label, sizeof(label)),
			      (double[]){r->b[i].ops_per_s, lo, hi,
					 isfinite(hi) ? hi : r->b[i].ops_per_s},
			      4, value);
	}
	xtic_names(o.gp, n);
	logy = mmb__gp_axis(o.gp, "y", vlo, vhi, MMB__AXIS_RATE, true);
	/* The median over each bar: a bar of a log axis is read by its top,
	 * and a short one on a linear axis by its label. */
	fprintf(o.gp,
		"set ylabel 'ops/s%s'\n"
		"set style data histograms\n"
		"set style histogram errorbars gap 1 lw 1.5\n"
		"set style fill solid 0.75 border -1\n"
		"set boxwidth 0.8\n"
		"set grid ytics mytics\n"
		"set key off\n"
		"plot '%s.dat' using 2:3:4:xtic(1) linecolor rgb '%s', \\\n"
		"     '' using 0:5:6 with labels offset 0,0.9 notitle\n",
		logy ? " (log scale)" : "", o.stem, mmb__color(0));
	return close_plot(&o, err, errlen);
}

static int has_latency(const struct mmb_report_backend *b)
{
	return ran(b) && isfinite(b->lat_p50_ns);
}

/* The percentiles as clustered bars. The max is left out: one slow op
 * (a page fault, a preemption) would set the axis; the table has it, and
 * the distribution plot shows the whole tail. */
static int plot_latency(struct mmb__report *rep, size_t fi, const char *plotdir,
			char *err, size_t errlen)
{
	static const char *const pname[] = {"p50", "p90", "p99", "p99.9"};
	const struct mmb_report_results *r = &rep->res[fi];
	char caption[256], label[256];
	double lo = INFINITY, hi = 0;
	size_t n = 0;
	struct out o;
	bool logy;
	int rc;

	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_report_backend *b = &r->b[i];

		if (!has_latency(b))
			continue;
		n++;
		span((double[]){b->lat_p50_ns / 1e3, b->lat_p90_ns / 1e3,
				b->lat_p99_ns / 1e3, b->lat_p999_ns / 1e3},
		     4, &lo, &hi);
	}
	if (n == 0 || !(hi > 0))
		return 0;
	snprintf(caption, sizeof(caption),
		 "%s: latency percentiles per backend (all repetitions "
		 "merged; max in the table)",
		 mmb__workload(r));
	rc = open_file_plot(rep, plotdir, "latency", fi, caption, &o, err,
			    errlen);
	if (rc)
		return rc;
	fprintf(o.dat, "# backend p50_us p90_us p99_us p99.9_us max_us\n");
	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_report_backend *b = &r->b[i];

		if (!has_latency(b))
			continue;
		dat_row(o.dat, mmb__backend_label(r, i, label, sizeof(label)),
			(double[]){b->lat_p50_ns / 1e3, b->lat_p90_ns / 1e3,
				   b->lat_p99_ns / 1e3, b->lat_p999_ns / 1e3,
				   b->lat_max_ns / 1e3},
			5);
	}
	xtic_names(o.gp, n);
	logy = mmb__gp_axis(o.gp, "y", lo, hi, MMB__AXIS_TIME_US, true);
	fprintf(o.gp,
		"set ylabel 'latency%s'\n"
		"set style data histograms\n"
		"set style histogram clustered gap 1\n"
		"set style fill solid 0.85 border -1\n"
		"set grid ytics mytics\n"
		"set key outside right top title 'percentile'\n"
		"plot ",
		logy ? " (log scale)" : "");
	for (size_t k = 0; k < 4; k++)
		fprintf(o.gp,
			"%s'%s.dat' using %zu%s title '%s' linecolor rgb "
			"'%s'",
			plot_sep(k), o.stem, k + 2, k ? "" : ":xtic(1)",
			pname[k], mmb__color(k));
	fputc('\n', o.gp);
	return close_plot(&o, err, errlen);
}

/* Percentile p (0..1) on the distribution plot's x axis: 1 / (1 - p), on
 * a log scale, so that 90, 99, 99.9 % are a decade apart (HdrHistogram's
 * and fio's percentile plots). */
static double pct_x(double p)
{
	return 1 / (1 - p);
}

/* The latency distribution: for each percentile on the x axis, the
 * latency below which that share of the ops finished, as steps through
 * the histogram's buckets. The last bucket ends at 1 - 1/N of N timed
 * ops, where the x axis must stop. */
static int plot_distribution(struct mmb__report *rep, size_t fi,
			     const char *plotdir, char *err, size_t errlen)
{
	static const struct {
		double x;
		const char *label;
	} xt[] = {{1, "0"},	   {2, "50"},	     {10, "90"},
		  {100, "99"},	   {1e3, "99.9"},    {1e4, "99.99"},
		  {1e5, "99.999"}, {1e6, "99.9999"}, {1e7, "99.99999"}};
	const struct mmb_report_results *r = &rep->res[fi];
	char caption[256], label[256];
	double lo = INFINITY, hi = 0, xmax = 2;
	size_t n = 0, idx = 0;
	struct out o;
	bool logy;
	int rc;

	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_report_backend *b = &r->b[i];
		double total = 0;

		if (!ran(b) || b->nhist == 0)
			continue;
		n++;
		for (size_t k = 0; k < b->nhist; k++) {
			total += b->hist[k].count;
			if (b->hist[k].count > 0)
				span((double[]){b->hist[k].upper_ns / 1e3}, 1,
				     &lo, &hi);
		}
		xmax = fmax(xmax, total);
	}
	if (n == 0 || !(hi > 0))
		return 0;
	snprintf(caption, sizeof(caption),
		 "%s: latency by percentile per backend (from "
		 "latency_histogram)",
		 mmb__workload(r));
	rc = open_file_plot(rep, plotdir, "latency-dist", fi, caption, &o, err,
			    errlen);
	if (rc)
		return rc;
	fprintf(o.gp, "set xlabel 'percentile (%%)'\n"
		      "set logscale x 10\n");
	fprintf(o.gp, "set xrange [1:%.9g]\nset xtics (", xmax * 1.05);
	for (size_t k = 0; k < sizeof(xt) / sizeof(*xt) && xt[k].x <= xmax; k++)
		fprintf(o.gp, "%s'%s' %.9g", k ? ", " : "", xt[k].label,
			xt[k].x);
	fprintf(o.gp, ")\nset mxtics 10\n");
	logy = mmb__gp_axis(o.gp, "y", lo, hi, MMB__AXIS_TIME_US, false);
	fprintf(o.gp,
		"set ylabel 'latency%s'\n"
		"set grid xtics ytics mytics\n"
		"set key inside left top box opaque Left reverse\n"
		"plot ",
		logy ? " (log scale)" : "");
	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_report_backend *b = &r->b[i];
		double total = 0, cum = 0;
		size_t nvert = 0;

		if (!ran(b) || b->nhist == 0)
			continue;
		for (size_t k = 0; k < b->nhist; k++)
			total += b->hist[k].count;
		mmb__backend_label(r, i, label, sizeof(label));
		dat_block(o.dat, idx, label,
			  "x=1/(1-p) latency_us p_percent (a step from the "
			  "previous row)");
		for (size_t k = 0; k < b->nhist && total > 0; k++) {
			double p0 = cum / total, p1;

			if (b->hist[k].count <= 0)
				continue;
			cum += b->hist[k].count;
			p1 = cum / total;
			for (int e = 0; e < 2; e++) {
				double p = e ? p1 : p0;
				double x = p < 1 ? pct_x(p) : total;

				dat_row(o.dat, NULL,
					(double[]){x, b->hist[k].upper_ns / 1e3,
						   p * 100},
					3);
				nvert++;
			}
		}
		fprintf(o.gp,
			"%s'%s.dat' index %zu using 1:2 with linespoints pi "
			"%zu ",
			plot_sep(idx), o.stem, idx, nvert > 12 ? nvert / 6 : 1);
		mmb__gp_series(o.gp, idx, true);
		fprintf(o.gp, " title ");
		mmb__gp_str(o.gp, label);
		idx++;
	}
	fputc('\n', o.gp);
	return close_plot(&o, err, errlen);
}

static int plot_faults(struct mmb__report *rep, size_t fi, const char *plotdir,
		       char *err, size_t errlen)
{
	const struct mmb_report_results *r = &rep->res[fi];
	char caption[256], label[256];
	double top = 0;
	size_t n = 0;
	struct out o;
	int rc;

	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_report_backend *b = &r->b[i];

		if (!ran(b) || !isfinite(b->minor_faults))
			continue;
		n++;
		top = fmax(top, b->minor_faults + (isfinite(b->major_faults)
						       ? b->major_faults
						       : 0));
	}
	if (n == 0)
		return 0;
	snprintf(caption, sizeof(caption),
		 "%s: page faults per backend in the timed region (median "
		 "repetition)",
		 mmb__workload(r));
	rc = open_file_plot(rep, plotdir, "faults", fi, caption, &o, err,
			    errlen);
	if (rc)
		return rc;
	fprintf(o.dat, "# backend minor_faults major_faults total label\n");
	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_report_backend *b = &r->b[i];
		double major = isfinite(b->major_faults) ? b->major_faults : 0;
		char value[32];

		if (!ran(b) || !isfinite(b->minor_faults))
			continue;
		mmb__fmt_value(b->minor_faults + major, MMB__AXIS_COUNT, value,
			       sizeof(value));
		dat_row_label(
		    o.dat, mmb__backend_label(r, i, label, sizeof(label)),
		    (double[]){b->minor_faults, major, b->minor_faults + major},
		    3, value);
	}
	xtic_names(o.gp, n);
	/* Stacked bars need a linear axis; the total over each bar keeps a
	 * backend with few faults readable beside one with thousands. */
	mmb__gp_axis(o.gp, "y", 0, top, MMB__AXIS_COUNT, true);
	fprintf(o.gp,
		"set ylabel 'page faults'\n"
		"set style data histograms\n"
		"set style histogram rowstacked\n"
		"set style fill solid 0.85 border -1\n"
		"set boxwidth 0.6\n"
		"set grid ytics\n"
		"set key top left\n"
		"plot '%s.dat' using 2:xtic(1) title 'minor' linecolor rgb "
		"'%s', \\\n     '' using 3 title 'major' linecolor rgb '%s', "
		"\\\n     '' using 0:4:5 with labels offset 0,0.9 notitle\n",
		o.stem, mmb__color(5), mmb__color(1));
	return close_plot(&o, err, errlen);
}

/* Whether the sweep's points span several workloads (then a series is
 * named "wl/backend"). */
static int mixed_workloads(const struct mmb__report *rep,
			   const struct mmb__sweep_pt *pts, size_t n)
{
	for (size_t k = 1; k < n; k++)
		if (strcmp(rep->res[pts[k].file].b[pts[k].b].workload,
			   rep->res[pts[0].file].b[pts[0].b].workload) != 0)
			return 1;
	return 0;
}

static int plot_sweep(struct mmb__report *rep, const char *plotdir, char *err,
		      size_t errlen)
{
	const char *key = rep->sweep_key;
	const struct mmb_report_results *r0 = &rep->res[rep->sweep_order[0]];
	struct mmb__sweep_pt *pts;
	char caption[256], label[256], xl_buf[64], columns[128];
	size_t npts, idx = 0;
	double x0, xl, prev = NAN, ylo = INFINITY, yhi = 0;
	int mixed, rc;
	struct out o;
	/* Series already written, by their first point. */
	size_t *done;

	rc = mmb__sweep_points(rep, &pts, &npts);
	if (rc)
		return mmb__report_err(err, errlen, rc, "out of memory");
	if (npts == 0)
		return 0;
	done = calloc(npts, sizeof(*done));
	if (!done) {
		free(pts);
		return mmb__report_err(err, errlen, MMB_ENOMEM,
				       "out of memory");
	}
	x0 = pts[0].x;
	xl = pts[npts - 1].x;
	mixed = mixed_workloads(rep, pts, npts);
	snprintf(columns, sizeof(columns), "%s median_ops_per_s low high", key);
	snprintf(caption, sizeof(caption),
		 "%s: throughput against %s per backend (median; error bars: "
		 "min to max)",
		 mmb__workload(r0), key);
	rc = open_plot(rep, plotdir, "sweep", MMB__PLOT_SWEEP, caption, &o, err,
		       errlen);
	if (rc)
		goto out_free;
	fprintf(o.gp, "set xlabel ");
	mmb__gp_str(o.gp, key);
	fputc('\n', o.gp);
	for (size_t k = 0; k < npts; k++) {
		const struct mmb_report_backend *b =
		    &rep->res[pts[k].file].b[pts[k].b];
		double lo, hi;

		if (!ran(b))
			continue;
		mmb__ops_range(b, &lo, &hi);
		span((double[]){b->ops_per_s, lo, hi}, 3, &ylo, &yhi);
	}
	fprintf(o.gp,
		"set ylabel 'ops/s%s'\n"
		"set grid xtics ytics\n"
		"set key outside right top Left reverse\n",
		mmb__gp_axis(o.gp, "y", ylo, yhi, MMB__AXIS_RATE, false)
		    ? " (log scale)"
		    : "");
	/* Sizes and thread counts usually grow geometrically. */
	if (x0 > 0 && xl / x0 >= 8)
		fprintf(o.gp, "set logscale x 2\n");
	fprintf(o.gp, "set offsets graph 0.05, graph 0.05, 0, 0\n"
		      "set xtics (");
	for (size_t k = 0, nx = 0; k < npts; k++) {
		if (pts[k].x == prev)
			continue;
		prev = pts[k].x;
		mmb__sweep_xr(&rep->res[pts[k].file], key, pts[k].x, xl_buf,
			      sizeof(xl_buf));
		fprintf(o.gp, "%s", nx++ ? ", " : "");
		mmb__gp_str(o.gp, xl_buf);
		fprintf(o.gp, " %.15g", pts[k].x);
	}
	fprintf(o.gp, ")\nplot ");
	/* One block per backend, in the order of its first point; a point
	 * where it was skipped leaves a gap. */
	for (size_t k = 0; k < npts; k++) {
		const struct mmb_report_backend *first =
		    &rep->res[pts[k].file].b[pts[k].b];
		size_t n = 0;

		if (done[k])
			continue;
		if (mixed)
			snprintf(label, sizeof(label), "%s/%s", first->workload,
				 first->name);
		else
			snprintf(label, sizeof(label), "%s", first->name);
		dat_block(o.dat, idx, label, columns);
		for (size_t m = k; m < npts; m++) {
			const struct mmb_report_backend *b =
			    &rep->res[pts[m].file].b[pts[m].b];
			double lo, hi;

			if (strcmp(b->name, first->name) != 0 ||
			    strcmp(b->workload, first->workload) != 0)
				continue;
			done[m] = 1;
			if (!ran(b))
				continue;
			mmb__ops_range(b, &lo, &hi);
			dat_row(o.dat, NULL,
				(double[]){pts[m].x, b->ops_per_s, lo, hi}, 4);
			n++;
		}
		if (n == 0) {
			/* gnuplot rejects an index without points. */
			fprintf(o.dat, " %.15g ? ? ?\n", x0);
		}
		fprintf(o.gp,
			"%s'sweep.dat' index %zu using 1:2:3:4 with "
			"yerrorlines ",
			plot_sep(idx), idx);
		mmb__gp_series(o.gp, idx, true);
		fputs(" title ", o.gp);
		mmb__gp_str(o.gp, label);
		idx++;
	}
	fputc('\n', o.gp);
	rc = close_plot(&o, err, errlen);
out_free:
	free(done);
	free(pts);
	return rc;
}

static int has_ts(const struct mmb_report_backend *b)
{
	for (size_t k = 0; ran(b) && k < b->nts; k++)
		if (isfinite(b->ts[k].t_s) && isfinite(b->ts[k].ops_per_s))
			return 1;
	return 0;
}

/* Throughput over time of the median repetition, one line per backend,
 * with the TLB shootdowns of each interval on y2 when the file has them:
 * a collapse under memory pressure shows as ops/s falling while
 * shootdowns (reclaim unmapping pages) rise. */
static int plot_timeseries(struct mmb__report *rep, size_t fi,
			   const char *plotdir, char *err, size_t errlen)
{
	const struct mmb_report_results *r = &rep->res[fi];
	const struct mmb_rval *iv = mmb_report_ctx_get(r, "interval_ms");
	char caption[256], label[256];
	double ylo = INFINITY, yhi = 0, tlb_hi = 0;
	size_t n = 0, idx = 0;
	int tlb = 0;
	struct out o;
	int rc;

	for (size_t i = 0; i < r->nb; i++) {
		if (!has_ts(&r->b[i]))
			continue;
		n++;
		for (size_t k = 0; k < r->b[i].nts; k++) {
			const struct mmb_rsample *x = &r->b[i].ts[k];

			tlb |= isfinite(x->tlb_shootdowns);
			span((double[]){x->ops_per_s}, 1, &ylo, &yhi);
			span((double[]){x->tlb_shootdowns}, 1,
			     &(double){INFINITY}, &tlb_hi);
		}
	}
	if (n == 0)
		return 0;
	/* Short enough to fit as the plot's title. */
	snprintf(caption, sizeof(caption),
		 "%s: ops/s over time (repetition nearest the median%s%s%s)%s",
		 mmb__workload(r), iv && iv->type == MMB_RT_NUMBER ? ", " : "",
		 iv && iv->type == MMB_RT_NUMBER ? iv->text : "",
		 iv && iv->type == MMB_RT_NUMBER ? " ms samples" : "",
		 tlb ? "; dashed: TLB shootdowns, right axis" : "");
	rc = open_file_plot(rep, plotdir, "timeseries", fi, caption, &o, err,
			    errlen);
	if (rc)
		return rc;
	fprintf(o.gp, "set xlabel 'time in the timed region (s)'\n"
		      "set xrange [0:*]\n"
		      "set grid xtics ytics\n"
		      "set key below Left reverse height 1\n");
	fprintf(o.gp, "set ylabel 'ops/s%s'\n",
		mmb__gp_axis(o.gp, "y", ylo, yhi, MMB__AXIS_RATE, false)
		    ? " (log scale)"
		    : "");
	if (tlb) {
		mmb__gp_axis(o.gp, "y2", 0, tlb_hi, MMB__AXIS_COUNT, false);
		fprintf(o.gp, "set y2label 'TLB shootdowns per interval'\n"
			      "set ytics nomirror\n");
	}
	fprintf(o.gp, "plot ");
	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_report_backend *b = &r->b[i];

		if (!has_ts(b))
			continue;
		mmb__backend_label(r, i, label, sizeof(label));
		dat_block(o.dat, idx, label,
			  "t_s ops_per_s ops minor_faults major_faults "
			  "resident_pages tlb_shootdowns");
		for (size_t k = 0; k < b->nts; k++) {
			const struct mmb_rsample *s = &b->ts[k];

			dat_row(o.dat, NULL,
				(double[]){s->t_s, s->ops_per_s, s->ops,
					   s->minor_faults, s->major_faults,
					   s->resident_pages,
					   s->tlb_shootdowns},
				7);
		}
		fprintf(o.gp,
			"%s'%s.dat' index %zu using 1:2 with linespoints pi "
			"%zu ",
			plot_sep(idx), o.stem, idx,
			b->nts > 24 ? b->nts / 12 : 1);
		mmb__gp_series(o.gp, idx, false);
		fputs(" title ", o.gp);
		mmb__gp_str(o.gp, label);
		/* A line of zeros says nothing and crowds the legend: only
		 * the backends that saw shootdowns get one. */
		double tlb_b = 0;

		for (size_t k = 0; k < b->nts; k++)
			if (isfinite(b->ts[k].tlb_shootdowns))
				tlb_b = fmax(tlb_b, b->ts[k].tlb_shootdowns);
		if (tlb && tlb_b > 0) {
			char tl[300];

			snprintf(tl, sizeof(tl), "%s TLB shootdowns", label);
			fprintf(o.gp,
				", \\\n     '%s.dat' index %zu using 1:7 axes "
				"x1y2 with lines lw 1 dt 2 linecolor rgb '%s' "
				"title ",
				o.stem, idx, mmb__color(idx));
			mmb__gp_str(o.gp, tl);
		}
		idx++;
	}
	fputc('\n', o.gp);
	return close_plot(&o, err, errlen);
}

/* Run `gnuplot STEM.gp` in plotdir (report_os.h) and check that it wrote
 * both images. */
static int run_gnuplot(const char *plotdir, const char *stem, char *err,
		       size_t errlen)
{
	char script[64], png[4096], svg[4096];
	struct stat st;
	int rc;

	snprintf(script, sizeof(script), "%s.gp", stem);
	rc = mmb__gnuplot_run(plotdir, script, err, errlen);
	if (rc)
		return rc;
	snprintf(png, sizeof(png), "%s/%s.png", plotdir, stem);
	snprintf(svg, sizeof(svg), "%s/%s.svg", plotdir, stem);
	if (stat(png, &st) != 0 || st.st_size == 0 || stat(svg, &st) != 0 ||
	    st.st_size == 0)
		return mmb__report_err(err, errlen, MMB_EIO,
				       "gnuplot %s (in %s) wrote no image",
				       script, plotdir);
	return 0;
}

int mmb__gnuplot_render(struct mmb__report *rep, const char *plotdir, char *err,
			size_t errlen)
{
	int (*const per_file[])(struct mmb__report *, size_t, const char *,
				char *, size_t) = {
	    plot_throughput, plot_timeseries, plot_latency, plot_distribution,
	    plot_faults};
	int rc;

	if (rep->sweep_key) {
		rc = plot_sweep(rep, plotdir, err, errlen);
		if (rc)
			return rc;
	}
	for (size_t fi = 0; fi < rep->nres; fi++) {
		for (size_t k = 0; k < sizeof(per_file) / sizeof(*per_file);
		     k++) {
			rc = per_file[k](rep, fi, plotdir, err, errlen);
			if (rc)
				return rc;
		}
	}
	for (size_t i = 0; i < rep->nplots; i++) {
		rc = run_gnuplot(plotdir, rep->plots[i].stem, err, errlen);
		if (rc)
			return rc;
	}
	return 0;
}
