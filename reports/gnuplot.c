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

static const char *const palette[] = {"#4477aa", "#ee6677", "#228833",
				      "#ccbb44", "#66ccee", "#aa3377",
				      "#bbbbbb", "#000000"};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

/* A string in a gnuplot script: single quotes, '' for a quote, no
 * newlines (a JSON string may hold anything). */
static void gp_str(FILE *f, const char *s)
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
static void dat_str(FILE *f, const char *s)
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

/* One row of a data file: the label (none when NULL), then the numbers. */
static void dat_row(FILE *f, const char *label, const double *v, size_t n)
{
	if (label)
		dat_str(f, label);
	for (size_t k = 0; k < n; k++)
		dat_num(f, v[k]);
	fputc('\n', f);
}

/* The header of data block idx (selected in gnuplot with `index idx`):
 * blocks are apart by two blank lines; "# label: columns". */
static void dat_block(FILE *f, size_t idx, const char *label,
		      const char *columns)
{
	fprintf(f, "%s# ", idx ? "\n\n" : "");
	dat_str(f, label);
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
		"set terminal pngcairo size %d,%d noenhanced font 'Sans,10'\n"
		"set output '%s.png'\n"
		"set datafile missing '?'\n",
		stem, stem, stem, PLOT_W, PLOT_H, stem);
	fprintf(o->gp, "set title ");
	gp_str(o->gp, caption);
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

	fprintf(o->gp,
		"set terminal svg size %d,%d noenhanced font 'Sans,10' "
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

static int plot_throughput(struct mmb__report *rep, size_t fi,
			   const char *plotdir, char *err, size_t errlen)
{
	const struct mmb_report_results *r = &rep->res[fi];
	const char *bars = "none";
	char caption[256], label[256];
	size_t n = 0, reps = 0;
	struct out o;
	int rc;

	for (size_t i = 0; i < r->nb; i++) {
		double lo, hi;

		if (!ran(&r->b[i]))
			continue;
		n++;
		bars = mmb__ops_range(&r->b[i], &lo, &hi);
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
	fprintf(o.dat, "# backend median_ops_per_s low high\n");
	for (size_t i = 0; i < r->nb; i++) {
		double lo, hi;

		if (!ran(&r->b[i]))
			continue;
		mmb__ops_range(&r->b[i], &lo, &hi);
		dat_row(o.dat, mmb__backend_label(r, i, label, sizeof(label)),
			(double[]){r->b[i].ops_per_s, lo, hi}, 3);
	}
	xtic_names(o.gp, n);
	fprintf(o.gp,
		"set ylabel 'ops/s'\n"
		"set style data histograms\n"
		"set style histogram errorbars gap 1 lw 1.5\n"
		"set style fill solid 0.75 border -1\n"
		"set boxwidth 0.8\n"
		"set yrange [0:*]\n"
		"set grid ytics\n"
		"set key off\n"
		"set format y '%%.1s%%c'\n"
		"plot '%s.dat' using 2:3:4:xtic(1) linecolor rgb '%s'\n",
		o.stem, palette[0]);
	return close_plot(&o, err, errlen);
}

static int has_latency(const struct mmb_report_backend *b)
{
	return ran(b) && isfinite(b->lat_p50_ns);
}

static int plot_latency(struct mmb__report *rep, size_t fi, const char *plotdir,
			char *err, size_t errlen)
{
	static const char *const pname[] = {"p50", "p90", "p99", "p99.9",
					    "max"};
	const struct mmb_report_results *r = &rep->res[fi];
	char caption[256], label[256];
	double lo = INFINITY, hi = 0;
	size_t n = 0;
	struct out o;
	int rc;

	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_report_backend *b = &r->b[i];
		double v[] = {b->lat_p50_ns, b->lat_p90_ns, b->lat_p99_ns,
			      b->lat_p999_ns, b->lat_max_ns};

		if (!has_latency(b))
			continue;
		n++;
		for (size_t k = 0; k < 5; k++) {
			if (isfinite(v[k]) && v[k] > 0 && v[k] < lo)
				lo = v[k];
			if (isfinite(v[k]) && v[k] > hi)
				hi = v[k];
		}
	}
	if (n == 0 || !(hi > 0))
		return 0;
	snprintf(caption, sizeof(caption),
		 "%s: latency percentiles per backend (all repetitions merged)",
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
	/* Bars of a log-scale histogram start at the bottom of the range:
	 * keep it a decade below the smallest value so every bar shows. */
	fprintf(o.gp,
		"set ylabel 'latency (us, log scale)'\n"
		"set style data histograms\n"
		"set style histogram clustered gap 1\n"
		"set style fill solid 0.8 border -1\n"
		"set logscale y\n"
		"set yrange [%.9g:%.9g]\n"
		"set grid ytics mytics\n"
		"set key outside right top\n"
		"plot ",
		pow(10, floor(log10(lo / 1e3)) - 1),
		pow(10, ceil(log10(hi / 1e3) + 0.3)));
	for (size_t k = 0; k < 5; k++)
		fprintf(o.gp,
			"%s'%s.dat' using %zu%s title '%s' linecolor rgb "
			"'%s'",
			plot_sep(k), o.stem, k + 2, k ? "" : ":xtic(1)",
			pname[k], palette[k]);
	fputc('\n', o.gp);
	return close_plot(&o, err, errlen);
}

static int plot_cdf(struct mmb__report *rep, size_t fi, const char *plotdir,
		    char *err, size_t errlen)
{
	const struct mmb_report_results *r = &rep->res[fi];
	char caption[256], label[256];
	size_t n = 0, idx = 0;
	struct out o;
	int rc;

	for (size_t i = 0; i < r->nb; i++)
		n += ran(&r->b[i]) && r->b[i].nhist > 0;
	if (n == 0)
		return 0;
	snprintf(caption, sizeof(caption),
		 "%s: latency CDF per backend (from latency_histogram)",
		 mmb__workload(r));
	rc = open_file_plot(rep, plotdir, "cdf", fi, caption, &o, err, errlen);
	if (rc)
		return rc;
	fprintf(o.gp, "set xlabel 'latency (us, log scale)'\n"
		      "set ylabel 'fraction of ops <= latency'\n"
		      "set logscale x\n"
		      "set yrange [0:1.02]\n"
		      "set grid xtics ytics mxtics\n"
		      "set key bottom right\n"
		      "plot ");
	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_report_backend *b = &r->b[i];
		double total = 0, cum = 0;

		if (!ran(b) || b->nhist == 0)
			continue;
		for (size_t k = 0; k < b->nhist; k++)
			total += b->hist[k].count;
		mmb__backend_label(r, i, label, sizeof(label));
		dat_block(o.dat, idx, label,
			  "upper_bound_us cumulative_fraction");
		for (size_t k = 0; k < b->nhist; k++) {
			cum += b->hist[k].count;
			dat_row(o.dat, NULL,
				(double[]){b->hist[k].upper_ns / 1e3,
					   total > 0 ? cum / total : 0},
				2);
		}
		fprintf(o.gp,
			"%s'%s.dat' index %zu using 1:2 with steps lw 2 "
			"linecolor rgb '%s' title ",
			plot_sep(idx), o.stem, idx, palette[idx % NPALETTE]);
		gp_str(o.gp, label);
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
	fprintf(o.dat, "# backend minor_faults major_faults\n");
	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_report_backend *b = &r->b[i];

		if (!ran(b) || !isfinite(b->minor_faults))
			continue;
		dat_row(o.dat, mmb__backend_label(r, i, label, sizeof(label)),
			(double[]){b->minor_faults, isfinite(b->major_faults)
							? b->major_faults
							: 0},
			2);
	}
	xtic_names(o.gp, n);
	/* All-zero faults (read/write backends) still get a visible axis. */
	fprintf(o.gp,
		"set ylabel 'page faults'\n"
		"set style data histograms\n"
		"set style histogram rowstacked\n"
		"set style fill solid 0.8 border -1\n"
		"set boxwidth 0.6\n"
		"set yrange [0:%s]\n"
		"set grid ytics\n"
		"set key top left\n"
		"set format y '%%.1s%%c'\n"
		"plot '%s.dat' using 2:xtic(1) title 'minor' linecolor rgb "
		"'%s', \\\n     '' using 3 title 'major' linecolor rgb '%s'\n",
		top > 0 ? "*" : "1", o.stem, palette[4], palette[1]);
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
	double x0, xl, prev = NAN;
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
	gp_str(o.gp, key);
	fprintf(o.gp, "\nset ylabel 'ops/s'\n"
		      "set yrange [0:*]\n"
		      "set grid xtics ytics\n"
		      "set key outside right top\n"
		      "set format y '%%.1s%%c'\n");
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
		gp_str(o.gp, xl_buf);
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
			"yerrorlines lw 2 pt 7 linecolor rgb '%s' title ",
			plot_sep(idx), idx, palette[idx % NPALETTE]);
		gp_str(o.gp, label);
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
	size_t n = 0, idx = 0;
	int tlb = 0;
	struct out o;
	int rc;

	for (size_t i = 0; i < r->nb; i++) {
		if (!has_ts(&r->b[i]))
			continue;
		n++;
		for (size_t k = 0; k < r->b[i].nts; k++)
			tlb |= isfinite(r->b[i].ts[k].tlb_shootdowns);
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
		      "set ylabel 'ops/s'\n"
		      "set yrange [0:*]\n"
		      "set xrange [0:*]\n"
		      "set grid xtics ytics\n"
		      "set key outside right top\n"
		      "set format y '%%.1s%%c'\n");
	if (tlb)
		fprintf(o.gp, "set y2label 'TLB shootdowns per interval'\n"
			      "set y2range [0:*]\n"
			      "set y2tics\n"
			      "set ytics nomirror\n");
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
			"%s'%s.dat' index %zu using 1:2 with linespoints lw 2 "
			"pt 7 ps 0.6 linecolor rgb '%s' title ",
			plot_sep(idx), o.stem, idx, palette[idx % NPALETTE]);
		gp_str(o.gp, label);
		if (tlb) {
			fprintf(o.gp,
				", \\\n     '%s.dat' index %zu using 1:7 axes "
				"x1y2 with lines lw 1 dt 2 linecolor rgb '%s' "
				"notitle",
				o.stem, idx, palette[idx % NPALETTE]);
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
				char *,
				size_t) = {plot_throughput, plot_timeseries,
					   plot_latency, plot_cdf, plot_faults};
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
