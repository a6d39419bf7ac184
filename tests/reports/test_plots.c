/* SPDX-License-Identifier: MIT */
/* test_plots.c - what makes the plots readable (issue 18), checked in the
 * gnuplot scripts and images mmb_report_write() leaves: a log axis where
 * the values span more than 30x and a linear one where not, the
 * percentile bars without the max, latency on a percentile axis, 12
 * backends told apart by colour and marker, integer ticks for counts, one
 * spelling of µs, a legend entry per series, and images shown at their
 * natural size with 10 pt (13 px) text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "mmbench/report.h"
#include "test.h"

#define DATA MMB_REPORTS_DATA

/* plots/STEM.gp of the report in out. */
static char *script(const char *out, const char *stem)
{
	char p[1024];

	snprintf(p, sizeof(p), "%s/plots/%s.gp", out, stem);
	return th_slurp(p, NULL);
}

/* The part of a script before its SVG re-run (the same commands). */
static void png_part(char *gp)
{
	char *svg = strstr(gp, "set terminal svg");

	if (svg)
		*svg = '\0';
}

/* Width and height of a PNG from its IHDR. */
static int png_size(const char *path, unsigned *w, unsigned *h)
{
	size_t len;
	unsigned char *s = (unsigned char *)th_slurp(path, &len);

	if (!s || len < 24) {
		free(s);
		return -1;
	}
	*w = (unsigned)s[16] << 24 | (unsigned)s[17] << 16 |
	     (unsigned)s[18] << 8 | s[19];
	*h = (unsigned)s[20] << 24 | (unsigned)s[21] << 16 |
	     (unsigned)s[22] << 8 | s[23];
	free(s);
	return 0;
}

/* The labels of `set ytics (...)`: no fraction in any of them. */
static int integer_ticks(const char *gp, const char *axis)
{
	char head[32];
	const char *p;

	snprintf(head, sizeof(head), "set %stics (", axis);
	p = strstr(gp, head);
	if (!p)
		return fprintf(stderr, "no %s\n", head), 0;
	for (p += strlen(head); *p && *p != ')';) {
		const char *q = strchr(p, '"'), *e;

		if (!q)
			break;
		e = strchr(q + 1, '"');
		if (!e)
			break;
		if (memchr(q, '.', (size_t)(e - q))) {
			fprintf(stderr, "tick %.*s has a fraction\n",
				(int)(e - q + 1), q);
			return 0;
		}
		p = strchr(e, ',');
		if (!p)
			break;
	}
	return 1;
}

TEST_IMPL(report_plots_axes)
{
	NEED_GNUPLOT();
	const char *const prof[] = {DATA "/profile.json"};
	const char *const basic[] = {DATA "/basic.json"};
	char *dir = th_tmpdir("reports"), a[512], b[512], p[1024], *gp;
	unsigned w, h;

	ASSERT(dir);
	snprintf(a, sizeof(a), "%s/prof", dir);
	snprintf(b, sizeof(b), "%s/basic", dir);
	ASSERT_OK(th_report(prof, 1, a));
	ASSERT_OK(th_report(basic, 1, b));

	/* pread-direct's ~4k ops/s beside mmap's ~1M: a log axis, decade
	 * ticks; 255k vs 410k: linear, from 0. */
	gp = script(a, "throughput");
	ASSERT(gp);
	ASSERT(strstr(gp, "set logscale y 10\n"));
	ASSERT(strstr(gp, "\"10k\" 10000"));
	ASSERT(strstr(gp, "ops/s (log scale)"));
	ASSERT(strstr(gp, "with labels")); /* the median over each bar */
	free(gp);
	gp = script(b, "throughput");
	ASSERT(gp);
	ASSERT(strstr(gp, "unset logscale y\nset yrange [0:"));
	ASSERT(!strstr(gp, ".0k\"") && !strstr(gp, "%.1s"));
	free(gp);

	/* Percentile bars: p50..p99.9, not the max; ticks with units. */
	gp = script(b, "latency");
	ASSERT(gp);
	png_part(gp);
	ASSERT(strstr(gp, "title 'p99.9'"));
	ASSERT(!strstr(gp, "title 'max'") && !strstr(gp, "using 6"));
	ASSERT(strstr(gp, "\xc2\xb5s\""));
	free(gp);

	/* The distribution: percentiles a decade apart on x. */
	gp = script(a, "latency-dist");
	ASSERT(gp);
	ASSERT(strstr(gp, "set logscale x 10\n"));
	ASSERT(strstr(gp, "'50' 2, '90' 10, '99' 100"));
	ASSERT(strstr(gp, "set xlabel 'percentile (%)'"));
	free(gp);

	/* Counts: integer ticks (the fixture's mmap has 1,234 faults). */
	gp = script(b, "faults");
	ASSERT(gp);
	ASSERT(integer_ticks(gp, "y"));
	free(gp);
	gp = script(a, "faults");
	ASSERT(gp);
	ASSERT(integer_ticks(gp, "y"));
	free(gp);

	/* One unit spelling and UTF-8 in every script; no "us" label. */
	{
		static const char *const stems[] = {"throughput", "latency",
						    "latency-dist", "faults"};

		for (size_t i = 0; i < sizeof(stems) / sizeof(*stems); i++) {
			gp = script(a, stems[i]);
			ASSERT(gp);
			ASSERT(strstr(gp, "set encoding utf8\n"));
			ASSERT(strstr(gp, "font 'Sans,10'"));
			ASSERT(!strstr(gp, " us\"") && !strstr(gp, "(us"));
			free(gp);
		}
	}

	/* Natural size: the page shows the 900 x 480 image at its own
	 * width, one a row (no grid that halves it). */
	snprintf(p, sizeof(p), "%s/plots/throughput.png", a);
	ASSERT_OK(png_size(p, &w, &h));
	ASSERT_EQ(w, 900);
	ASSERT_EQ(h, 480);
	snprintf(p, sizeof(p), "%s/index.html", a);
	ASSERT(th_contains(p, "src=\"plots/throughput.png\" width=\"900\" "
			      "height=\"480\""));
	ASSERT(th_contains(p, ".plots{display:block}"));
	ASSERT(!th_contains(p, "grid-template-columns"));
	th_tmpdir_free(dir);
	return 0;
}

/* 12 backends with latency histograms: 12 colours, 12 point types, a
 * legend entry each. */
TEST_IMPL(report_plots_twelve_series)
{
	NEED_GNUPLOT();
	char *dir = th_tmpdir("reports"), json[512], out[512], *gp, *s;
	const char *files[1] = {json};
	char colors[12][8];
	int pts[12];
	size_t n = 0, len = 0, cap = 1 << 16;

	ASSERT(dir);
	snprintf(json, sizeof(json), "%s/twelve.json", dir);
	s = malloc(cap);
	ASSERT(s);
	len += (size_t)snprintf(s + len, cap - len,
				"{\"context\": {\"workload\": \"random-4k\"},"
				" \"benchmarks\": [");
	for (int i = 0; i < 12; i++)
		len += (size_t)snprintf(
		    s + len, cap - len,
		    "%s{\"name\": \"random-4k/be%d\", \"run_type\": "
		    "\"aggregate\", \"aggregate_name\": \"median\", "
		    "\"backend\": \"be%d\", \"workload\": \"random-4k\", "
		    "\"real_time\": 1000, \"time_unit\": \"ns\", "
		    "\"items_per_second\": %d, \"lat_p50_ns\": %d, "
		    "\"lat_p90_ns\": %d, \"lat_p99_ns\": %d, "
		    "\"lat_p999_ns\": %d, \"lat_max_ns\": %d, "
		    "\"latency_histogram\": [[%d, 50], [%d, 40], [%d, 10]]}",
		    i ? ", " : "", i, i, 100000 * (i + 1), 1000 + i, 2000 + i,
		    4000 + i, 8000 + i, 9000 + i, 1024 + i, 4096 + i,
		    16384 + i);
	len += (size_t)snprintf(s + len, cap - len, "]}\n");
	ASSERT_OK(th_write(json, s, len));
	free(s);
	snprintf(out, sizeof(out), "%s/rep", dir);
	ASSERT_OK(th_report(files, 1, out));
	gp = script(out, "latency-dist");
	ASSERT(gp);
	png_part(gp);
	for (const char *p = gp; (p = strstr(p, " with linespoints ")); p++) {
		const char *c = strstr(p, "linecolor rgb '#");
		const char *t = strstr(p, " pt ");
		const char *title = strstr(p, " title 'be");

		ASSERT(c && t && title && n < 12);
		snprintf(colors[n], sizeof(colors[n]), "%.7s", c + 15);
		ASSERT_EQ(sscanf(t, " pt %d", &pts[n]), 1);
		for (size_t k = 0; k < n; k++) {
			ASSERT(strcmp(colors[k], colors[n]) != 0);
			ASSERT(pts[k] != pts[n]);
		}
		n++;
	}
	ASSERT_EQ(n, 12);
	/* No light grey or yellow series, hard to see on white. */
	ASSERT(!strstr(gp, "#bbbbbb") && !strstr(gp, "#ccbb44"));
	ASSERT(!strstr(gp, "notitle"));
	free(gp);
	th_tmpdir_free(dir);
	return 0;
}
