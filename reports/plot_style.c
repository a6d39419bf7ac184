/* SPDX-License-Identifier: MIT */
/* plot_style.c - what every plot of a report shares: the colours, line
 * styles and point types of its series (12 told apart by colour alone, and
 * again by dash and marker for a colour-blind reader or a grey print), and
 * axes whose scale and tick labels are chosen from the data: logarithmic
 * where the values span more than MMB__LOG_SPAN, integer steps for counts,
 * times labelled with their unit ("10 µs", "1 ms"). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_priv.h"

/* Okabe & Ito's colour-blind safe palette (less its yellow, too pale on
 * white), then Paul Tol's muted scheme for five more. */
static const char *const palette[MMB__NCOLORS] = {
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
    "#000000", "#882255", "#44aa99", "#999933", "#332288", "#aa4499"};

/* gnuplot point types: filled circle, square, triangles, diamond, then
 * open ones and crosses. */
static const int points[MMB__NCOLORS] = {7, 5, 9,  11, 13, 4,
					 6, 8, 10, 12, 1,  2};
/* gnuplot dash types: solid, dashed, dotted, dash-dot. */
static const int dashes[] = {1, 2, 3, 4};

const char *mmb__color(size_t i)
{
	return palette[i % MMB__NCOLORS];
}

void mmb__gp_series(FILE *gp, size_t i, bool dashed)
{
	fprintf(gp, "linecolor rgb '%s' lw 2 pt %d ps 0.9 dt %d", mmb__color(i),
		points[i % MMB__NCOLORS],
		dashed ? dashes[(i + i / MMB__NCOLORS) % 4] : 1);
}

/* A tick label: 1500 -> "1.5k", 2e6 -> "2M", 250 -> "250"; time (data in
 * µs): 0.5 -> "500 ns", 20 -> "20 µs", 3000 -> "3 ms". */
static void tick_label(double v, enum mmb__axis_unit u, int digits, char *buf,
		       size_t n)
{
	static const struct {
		double scale;
		const char *suffix;
	} si[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""}},
	  time[] = {
	      {1e6, " s"}, {1e3, " ms"}, {1, " \xc2\xb5s"}, {1e-3, " ns"}};
	double a = fabs(v);

	if (v == 0) {
		snprintf(buf, n, "0");
		return;
	}
	if (u == MMB__AXIS_TIME_US) {
		for (size_t k = 0; k < sizeof(time) / sizeof(*time); k++)
			if (a >= time[k].scale * 0.9999 ||
			    k + 1 == sizeof(time) / sizeof(*time)) {
				snprintf(buf, n, "%.*g%s", digits,
					 v / time[k].scale, time[k].suffix);
				return;
			}
	}
	if (u == MMB__AXIS_COUNT && a < 10000) {
		snprintf(buf, n, "%.0f", v);
		return;
	}
	for (size_t k = 0; k < sizeof(si) / sizeof(*si); k++)
		if (a >= si[k].scale * 0.9999 ||
		    k + 1 == sizeof(si) / sizeof(*si)) {
			snprintf(buf, n, "%.*g%s", digits, v / si[k].scale,
				 si[k].suffix);
			return;
		}
}

/* A step of 1, 2 or 5 times a power of ten giving about 5 ticks over
 * [0, hi]; at least 1 for counts. */
static double nice_step(double hi, enum mmb__axis_unit u)
{
	double raw = hi / 5, mag = pow(10, floor(log10(raw))), norm = raw / mag;
	double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;

	return u == MMB__AXIS_COUNT && step < 1 ? 1 : step;
}

bool mmb__gp_axis(FILE *gp, const char *axis, double lo, double hi,
		  enum mmb__axis_unit u, bool bars)
{
	char label[32];
	bool logscale =
	    lo > 0 && isfinite(lo) && isfinite(hi) && hi / lo > MMB__LOG_SPAN;

	if (logscale) {
		double d0 = floor(log10(lo)), d1 = ceil(log10(hi));

		/* Bars start at the bottom of the range: keep it below the
		 * smallest value so the smallest bar still shows, and room
		 * above the tallest for its label. */
		if (bars && log10(lo) - d0 < 0.15)
			d0--;
		if (bars && d1 - log10(hi) < 0.15)
			d1++;
		if (d1 <= d0)
			d1 = d0 + 1;
		/* A hair wider than the decades: gnuplot drops a tick that
		 * rounding puts just outside the range. */
		fprintf(gp, "set logscale %s 10\nset %srange [%.9g:%.9g]\n",
			axis, axis, pow(10, d0) * 0.9999, pow(10, d1) * 1.0001);
		fprintf(gp, "set %stics (", axis);
		for (double d = d0; d <= d1; d++) {
			tick_label(pow(10, d), u, 4, label, sizeof(label));
			fprintf(gp, "%s\"%s\" %.9g", d > d0 ? ", " : "", label,
				pow(10, d));
		}
		fprintf(gp, ")\nset m%stics 10\n", axis);
		return true;
	}
	if (!isfinite(hi) || hi <= 0)
		hi = 1;
	double pad = bars ? 1.08 : 1.0;
	double step = nice_step(hi * pad, u);
	double top = ceil(hi * pad / step) * step;

	fprintf(gp, "unset logscale %s\nset %srange [0:%.9g]\nset %stics (",
		axis, axis, top, axis);
	for (int k = 0; k * step <= top * 1.0001; k++) {
		tick_label(k * step, u, 4, label, sizeof(label));
		fprintf(gp, "%s\"%s\" %.9g", k ? ", " : "", label, k * step);
	}
	fprintf(gp, ")\nset m%stics %d\n", axis,
		u == MMB__AXIS_COUNT && step < 5 ? 1 : 2);
	return false;
}

void mmb__fmt_value(double v, enum mmb__axis_unit u, char *buf, size_t n)
{
	if (!isfinite(v)) {
		snprintf(buf, n, "-");
		return;
	}
	/* The median of an even number of repetitions: 0.5 is not "0". */
	if (u == MMB__AXIS_COUNT && v != floor(v) && fabs(v) < 10000) {
		snprintf(buf, n, "%.1f", v);
		return;
	}
	tick_label(v, u, 3, buf, n);
}
