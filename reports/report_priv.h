/* SPDX-License-Identifier: MIT */
/* report_priv.h - what the report's files share. The layers, each calling
 * only the ones below it:
 *   report.c   mmb_report_write(): loads, finds the sweep, drives
 *   gnuplot.c  the plots            html.c  index.html
 *   plot_style.c  their colours,    html_profile.c  its --profile and
 *              axes and ticks                       kernel events parts
 *   summary.c  the per-benchmark summary and the helpers below
 *   results_load.c, units.c, flamegraph.c */
#ifndef MMB_REPORT_PRIV_H
#define MMB_REPORT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mmbench/compare.h"
#include "mmbench/report.h"

/* Not a results file index: the plot belongs to the whole sweep. */
#define MMB__PLOT_SWEEP ((size_t)-1)

struct mmb__plot {
	char stem[32];	   /* plots/STEM.{gp,dat,png,svg} */
	char caption[256]; /* plain text; HTML-escaped when written */
	size_t file;	   /* index into mmb__report.res, or MMB__PLOT_SWEEP */
};

/* A point of a sweep: backend b of file `file`, at parameter value x. */
struct mmb__sweep_pt {
	size_t file, b;
	double x;
};

struct mmb__report {
	struct mmb_report_results *res;
	size_t nres;
	/* The one context key that varies between the files, or the
	 * "sweep_param" of a single sweep file (sweep_in_file); or NULL. */
	const char *sweep_key;
	int sweep_in_file;
	size_t *sweep_order;  /* nres indexes by increasing sweep value */
	char sweep_note[512]; /* several files but no sweep: why */
	char plots_note[512]; /* no plots (gnuplot missing): why, what to do */
	struct mmb__plot plots[256];
	size_t nplots;
	/* Google Benchmark files (html_gb.c): one drawn as benchmarks, or
	 * two (or `compare --report`) as an old-vs-new page with the gate's
	 * options cmp (NULL: its defaults). */
	enum { MMB__GB_NONE, MMB__GB_FILE, MMB__GB_COMPARE } gb;
	const struct mmb_compare_opts *cmp;
};

/* snprintf the message into err (when errlen > 0); returns code. */
int mmb__report_err(char *err, size_t errlen, int code, const char *fmt, ...)
#if defined(__MINGW32__)
    /* mingw's "printf" checks msvcrt rules, which reject %zu */
    __attribute__((format(gnu_printf, 4, 5)))
#elif defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Error bars of a backend's throughput: min..max over the repetitions,
 * else median +- stddev, else the median itself. Returns a short word for
 * captions: "min..max", "+-stddev" or "none". */
const char *mmb__ops_range(const struct mmb_report_backend *b, double *lo,
			   double *hi);

/* Label of a backend in tables and legends: "mmap", or "wl/mmap" when the
 * file holds several workloads; in a sweep file "mmap threads=2". */
const char *mmb__backend_label(const struct mmb_report_results *r, size_t i,
			       char *buf, size_t n);

/* The sweep's points in increasing x (then file and backend order): every
 * backend of every file at its file's value of sweep_key, or in a sweep
 * file every backend entry at its sweep_value. Skipped backends included.
 * *out is malloc'd (NULL when *n is 0). Returns 0 or MMB_ENOMEM. */
int mmb__sweep_points(const struct mmb__report *rep, struct mmb__sweep_pt **out,
		      size_t *n);

/* The sweep value x as the page and the axis show it: "16 MiB" for a
 * parameter in bytes, else "%.15g". */
void mmb__sweep_x(const char *key, double x, char *buf, size_t n);
/* The same for a point of r: the name of value x when r's context has
 * "sweep_labels" (a sweep of a named option, `--param access=...`). */
void mmb__sweep_xr(const struct mmb_report_results *r, const char *key,
		   double x, char *buf, size_t n);

/* The workload a file measured: context "workload", else the first
 * backend's, else "". */
const char *mmb__workload(const struct mmb_report_results *r);

/* Whether a context key holds bytes (file_size, block_size, ...). */
int mmb__key_is_bytes(const char *key);

/* Write the scripts and data files of every plot into plotdir (which
 * exists), run gnuplot on each, and list them in rep->plots. */
int mmb__gnuplot_render(struct mmb__report *rep, const char *plotdir, char *err,
			size_t errlen);

/* One sweep file (context sweep_param, two or more distinct sweep_values) as
 * one results summary per point in rep->res (each with its own verdict from
 * "sweep_points" and its point label), rep->sweep_key its sweep_param,
 * rep->sweep_in_file set: *split 1. Anything else leaves rep untouched,
 * *split 0 (report_sweep.c). Returns 0 or MMB_ENOMEM (err set). */
int mmb__report_split_sweep(struct mmb__report *rep, const char *path,
			    int *split, char *err, size_t errlen);
/* Whether r was written by Google Benchmark itself: no schema_version, no
 * mmbench_version, no entry with a "backend" (html_gb.c). */
int mmb__gb_is_gbench(const struct mmb_results *r);
/* rep->gb's page: its plots into plotdir (run, listed in rep->plots) and
 * index.html at html (html_gb.c). */
int mmb__gb_render(struct mmb__report *rep, const char *plotdir,
		   const char *html, char *err, size_t errlen);
/* Write index.html to path; plot images are referenced as plots/STEM.png. */
int mmb__html_write(const struct mmb__report *rep, const char *path, char *err,
		    size_t errlen);

/* ---- plot_style.c: what every plot shares ---------------------------- */

/* Series told apart by colour (a colour-blind safe palette), and again by
 * point type and dash: 12 distinct, then the colours repeat with other
 * dashes. */
#define MMB__NCOLORS 12
/* Values spanning more than this factor get a logarithmic axis. */
#define MMB__LOG_SPAN 30.0

enum mmb__axis_unit {
	MMB__AXIS_COUNT,   /* integers: ticks 0, 5, 10 (never "2.5") */
	MMB__AXIS_RATE,	   /* ops/s and the like: "250k", "1.5M" */
	MMB__AXIS_TIME_US, /* data in µs, ticks "500 ns", "10 µs", "2 ms" */
};

/* "#rrggbb" of series i. */
const char *mmb__color(size_t i);
/* A string in a gnuplot script: single quotes, '' for a quote, control
 * characters as blanks (a JSON string may hold anything); and a label in
 * a gnuplot data file: double quotes, nothing that ends the field
 * (gnuplot.c). */
void mmb__gp_str(FILE *f, const char *s);
void mmb__dat_str(FILE *f, const char *s);

/* gnuplot's style of series i: "linecolor rgb '#..' lw 2 pt P ps S dt D"
 * (dt 1, solid, unless dashed). */
void mmb__gp_series(FILE *gp, size_t i, bool dashed);
/* The gnuplot commands of one axis ("x", "y", "y2") for values in
 * [lo, hi] (lo: the smallest positive value, or 0 when some value is 0
 * or less): a log scale over whole decades when hi / lo > MMB__LOG_SPAN,
 * else a linear one from 0; tick labels in unit u. bars: room below
 * the smallest value and above the largest (for the label over a bar).
 * Returns whether the axis is logarithmic. */
bool mmb__gp_axis(FILE *gp, const char *axis, double lo, double hi,
		  enum mmb__axis_unit u, bool bars);
/* v as a tick of unit u labels it ("16.4k", "36 µs"); "-" for NaN. */
void mmb__fmt_value(double v, enum mmb__axis_unit u, char *buf, size_t n);

/* flamegraph.c: the SVG of the flame graph of folded stacks, frames
 * `width` px wide in all; standalone: a file's (XML declaration, SVG
 * namespace), else an element for an HTML page. *svg is malloc'd. Returns
 * 0 or MMB_ENOMEM (recorded). */
int mmb__flamegraph_svg(const char *folded, const char *title, double width,
			bool standalone, char **svg, size_t *len);

/* html.c: s as HTML text, escaped; _units also writes the unit "us"
 * ("0.86 us/op") as "µs", the page's one spelling. */
void mmb__html_esc(FILE *f, const char *s);
void mmb__html_esc_units(FILE *f, const char *s);

/* html_profile.c: where result file fi's time went (its verdict_why, the
 * --profile breakdown as a stacked bar per backend, the top functions)
 * and its kernel events table; then, after the plots, the flame graphs.
 * Nothing when the file has neither. Returns 0 or MMB_ENOMEM. */
int mmb__html_profile(FILE *f, const struct mmb__report *rep, size_t fi);
int mmb__html_flamegraphs(FILE *f, const struct mmb__report *rep, size_t fi);

/* 1234567 -> "1,234,567", rounded to an integer (reports/html.c). */
void mmb__fmt_int(double v, char *buf, size_t n);

#endif
