/* SPDX-License-Identifier: MIT */
/* html_profile.c - the parts of index.html from `mmbench run --profile`
 * and the kernel events (issue 15): where each backend's time went as a
 * stacked bar (inline SVG drawn here: no gnuplot needed, nothing fetched),
 * its top functions, its kernel events as one compact table, and its
 * flame graph inline (reports/flamegraph.c). Read from each benchmark's
 * median entry: "profile", "kernel_events", "kernel_events_unavailable"
 * (docs/results.md); the flame graph from the profile's "folded_stacks",
 * else from the folded stacks `mmbench run --profile --json FILE` wrote
 * beside the file (FILE less .json + ".BACKEND.folded"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/kevents.h"
#include "mmbench/profile.h"
#include "mmbench/units.h"
#include "report_priv.h"

#define BAR_W	  1100 /* the breakdown's SVG, px */
#define LABEL_W	  150  /* backend names left of the bars */
#define BAR_H	  26
#define ONCPU_H	  16
#define FLAME_W	  1080	      /* frames of an inline flame graph */
#define MAX_FOLD  (64u << 20) /* the largest .folded file read */
#define esc(f, s) mmb__html_esc(f, s)

/* The median entry of backend i that ran, or NULL. */
static const struct mmb_rentry *center(const struct mmb_report_results *r,
				       size_t i)
{
	if (r->b[i].skipped || i >= r->res->nb)
		return NULL;
	return mmb_rbench_center(r->res, &r->res->b[i]);
}

static const struct mmb_rval *profile_of(const struct mmb_report_results *r,
					 size_t i)
{
	const struct mmb_rentry *e = center(r, i);
	const struct mmb_rval *p = e ? mmb_rentry_get(e, "profile") : NULL;

	return p && p->type == MMB_RT_OBJECT ? p : NULL;
}

static double num(const struct mmb_rval *o, const char *key)
{
	const struct mmb_rval *v = o ? mmb_rval_get(o, key) : NULL;

	return v && v->type == MMB_RT_NUMBER ? v->num : NAN;
}

static const char *str(const struct mmb_rval *o, const char *key)
{
	const struct mmb_rval *v = o ? mmb_rval_get(o, key) : NULL;

	return v && v->type == MMB_RT_STRING ? v->text : NULL;
}

/* Whether "#rrggbb" is dark enough for white text on it. */
static int dark(const char *rgb)
{
	unsigned r = 0, g = 0, b = 0;

	if (sscanf(rgb, "#%2x%2x%2x", &r, &g, &b) != 3)
		return 0;
	return 0.299 * r + 0.587 * g + 0.114 * b < 140;
}

/* A category's colour: the plots' palette, off-CPU time in grey. */
static const char *cat_color(unsigned c)
{
	return c == MMB_PROF_IO_WAIT ? "#bbbbbb" : mmb__color(c);
}

static const char *cat_desc(unsigned c)
{
	static const char *const desc[] = {
#define D(e, key, d) d,
	    MMB_PROF_CATEGORIES(D)
#undef D
	};
	return c < MMB_PROF__COUNT ? desc[c] : "";
}

/* One bar: the fractions of categories object `cats` side by side, each with
 * its share written in it when it fits. */
static void bar(FILE *f, const struct mmb_rval *cats, double y, double h,
		const char *who, const char *of)
{
	double x = LABEL_W, w_all = BAR_W - LABEL_W - 30;

	for (unsigned c = 0; c < MMB_PROF__COUNT; c++) {
		double v = num(cats, mmb_prof_category_key(c));
		double w = isfinite(v) && v > 0 ? v * w_all : 0;
		const char *col = cat_color(c);

		if (w < 0.5)
			continue;
		fputs("<g><title>", f);
		esc(f, who);
		fprintf(f,
			": %s %.1f%%%s</title><rect x=\"%.1f\" y=\"%.1f\" "
			"width=\"%.1f\" height=\"%.0f\" fill=\"%s\"/>",
			mmb_prof_category_key(c), v * 100, of, x, y, w, h, col);
		if (w >= 34 && h >= BAR_H)
			fprintf(f,
				"<text x=\"%.1f\" y=\"%.1f\" "
				"text-anchor=\"middle\" fill=\"%s\">%.0f%%"
				"</text>",
				x + w / 2, y + h / 2 + 5,
				dark(col) ? "#fff" : "#000", v * 100);
		fputs("</g>", f);
		x += w;
	}
}

/* The stacked bars, one pair per profiled backend: all of its time
 * (wall x threads, off-CPU included) and, thinner, its on-CPU time. */
static void breakdown(FILE *f, const struct mmb_report_results *r)
{
	size_t n = 0, row = 0;
	int used[MMB_PROF__COUNT] = {0};
	double h, y;
	char label[256];

	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_rval *p = profile_of(r, i);
		const struct mmb_rval *cats =
		    p ? mmb_rval_get(p, "categories") : NULL;

		if (!cats)
			continue;
		n++;
		for (unsigned c = 0; c < MMB_PROF__COUNT; c++)
			used[c] |= num(cats, mmb_prof_category_key(c)) > 0.0005;
	}
	if (n == 0)
		return;
	h = 30 + (double)n * (BAR_H + ONCPU_H + 18) + 70;
	fprintf(f,
		"<svg class=\"breakdown\" width=\"%d\" height=\"%.0f\" "
		"viewBox=\"0 0 %d %.0f\" role=\"img\" "
		"font-family=\"system-ui,sans-serif\" font-size=\"13\">\n"
		"<title>Time breakdown per backend</title>\n",
		BAR_W, h, BAR_W, h);
	/* Scale: 0 .. 100 % over the bars. */
	for (int k = 0; k <= 4; k++) {
		double x = LABEL_W + k * (BAR_W - LABEL_W - 30) / 4.0;

		fprintf(f,
			"<line x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"%.0f\" "
			"stroke=\"#d0d7de\"/><text x=\"%.1f\" y=\"14\" "
			"text-anchor=\"middle\" fill=\"#57606a\">%d%%</text>\n",
			x, x, h - 70, x, k * 25);
	}
	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_rval *p = profile_of(r, i);
		const struct mmb_rval *cats =
		    p ? mmb_rval_get(p, "categories") : NULL;

		if (!cats)
			continue;
		y = 24 + (double)row++ * (BAR_H + ONCPU_H + 18);
		mmb__backend_label(r, i, label, sizeof(label));
		fprintf(f,
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" "
			"font-weight=\"600\">",
			LABEL_W - 8, y + BAR_H / 2 + 5);
		esc(f, label);
		fprintf(f,
			"</text><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" "
			"fill=\"#57606a\" font-size=\"12\">on CPU</text>\n",
			LABEL_W - 8, y + BAR_H + ONCPU_H / 2 + 6);
		bar(f, cats, y, BAR_H, label, "");
		bar(f, mmb_rval_get(p, "categories_oncpu"), y + BAR_H + 2,
		    ONCPU_H, label, " of the on-CPU time");
		fputc('\n', f);
	}
	/* The legend: the categories that occur, in the table's order. */
	y = h - 56;
	for (unsigned c = 0, k = 0; c < MMB_PROF__COUNT; c++) {
		double x;

		if (!used[c])
			continue;
		x = LABEL_W + (double)(k % 4) * 230;
		fprintf(f,
			"<g><title>%s</title><rect x=\"%.0f\" y=\"%.0f\" "
			"width=\"14\" height=\"14\" fill=\"%s\"/><text "
			"x=\"%.0f\" y=\"%.0f\">%s</text></g>\n",
			cat_desc(c), x, y + (k / 4) * 20, cat_color(c), x + 20,
			y + (k / 4) * 20 + 12, mmb_prof_category_key(c));
		k++;
	}
	fputs("</svg>\n", f);
}

static void pct(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "<td>%.1f</td>", v * 100);
	else
		fputs("<td class=\"na\">&ndash;</td>", f);
}

/* The sample counts behind the bars, and each backend's top functions. */
static void samples_and_tops(FILE *f, const struct mmb_report_results *r)
{
	char label[256];
	int head = 0;

	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_rval *p = profile_of(r, i);
		double oncpu = num(p, "oncpu_ns"), off = num(p, "offcpu_ns");
		const char *note = str(p, "note");
		const struct mmb_rval *uo =
		    p ? mmb_rval_get(p, "user_only") : NULL;

		if (!p)
			continue;
		if (!head++)
			fputs("<table class=\"num prof\"><tr><th>backend</th>"
			      "<th>samples</th><th>lost</th><th>on CPU "
			      "(ms)</th><th>off CPU (ms)</th><th>note</th>"
			      "</tr>\n",
			      f);
		fputs("<tr><td>", f);
		esc(f, mmb__backend_label(r, i, label, sizeof(label)));
		fprintf(f, "</td><td>%.0f</td><td>%.0f</td>", num(p, "samples"),
			num(p, "samples_lost"));
		if (isfinite(oncpu))
			fprintf(f, "<td>%.1f</td>", oncpu / 1e6);
		else
			fputs("<td class=\"na\">&ndash;</td>", f);
		if (isfinite(off))
			fprintf(f, "<td>%.1f</td>", off / 1e6);
		else
			fputs("<td class=\"na\">&ndash;</td>", f);
		fputs("<td class=\"text\">", f);
		if (uo && uo->type == MMB_RT_BOOL && uo->num)
			fputs("user space only; ", f);
		esc(f, note ? note : "");
		fputs("</td></tr>\n", f);
	}
	if (head)
		fputs("</table>\n", f);

	head = 0;
	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_rval *p = profile_of(r, i);
		const struct mmb_rval *top =
		    p ? mmb_rval_get(p, "top_functions") : NULL;

		if (!top || top->type != MMB_RT_ARRAY || top->nkid == 0)
			continue;
		if (!head++)
			fputs("<div class=\"tops\">\n", f);
		fputs("<table class=\"num top\"><tr><th colspan=\"2\">", f);
		esc(f, mmb__backend_label(r, i, label, sizeof(label)));
		fputs(": top functions</th><th>share (%)</th></tr>\n", f);
		for (size_t k = 0; k < top->nkid; k++) {
			const struct mmb_rval *fn = &top->kid[k];
			const char *name = str(fn, "function");
			const struct mmb_rval *kern =
			    mmb_rval_get(fn, "kernel");

			fprintf(f, "<tr><td>%zu</td><td class=\"fn\"><code>",
				k + 1);
			esc(f, name ? name : "?");
			fputs("</code>", f);
			if (kern && kern->type == MMB_RT_BOOL && kern->num)
				fputs(" <span class=\"k\">[k]</span>", f);
			fputs("</td>", f);
			pct(f, num(fn, "share"));
			fputs("</tr>\n", f);
		}
		fputs("</table>\n", f);
	}
	if (head)
		fputs("</div>\n<p class=\"sub\">Share: of the on-CPU samples "
		      "whose innermost frame is the function; <span "
		      "class=\"k\">[k]</span>: a kernel function.</p>\n",
		      f);
}

static const struct mmb_rval *kev_of(const struct mmb_report_results *r,
				     size_t i, const char *key)
{
	const struct mmb_rentry *e = center(r, i);
	const struct mmb_rval *v = e ? mmb_rentry_get(e, key) : NULL;

	return v && v->type == MMB_RT_OBJECT ? v : NULL;
}

/* A count as the tables write it: "12,350", bytes also "(78.1 MiB)". */
static void kev_cell(FILE *f, double v, const char *unit)
{
	char digits[64], buf[96];
	size_t len, o = 0;

	snprintf(digits, sizeof(digits), "%.0f", fabs(v));
	len = strlen(digits);
	if (v < 0)
		buf[o++] = '-';
	for (size_t i = 0; i < len && o + 2 < sizeof(buf); i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	fprintf(f, "<td>%s", buf);
	if (strcmp(unit, "bytes") == 0 && v >= 1024) {
		char h[64];

		mmb_fmt_bytes(v, 0, h, sizeof(h));
		fprintf(f, " <small>(%s)</small>", h);
	}
	fputs("</td>", f);
}

/* Nothing counted, for one reason ("not counted (kernel events off)",
 * "not on Windows"): that sentence instead of a table of dashes. */
static int one_reason(FILE *f, const struct mmb_report_results *r)
{
	const char *why0 = NULL;

	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_rval *ev = kev_of(r, i, "kernel_events");
		const struct mmb_rval *un =
		    kev_of(r, i, "kernel_events_unavailable");

		for (size_t k = 0; ev && k < ev->nkid; k++) {
			const char *why = str(un, ev->kid[k].key);

			if (ev->kid[k].type == MMB_RT_NUMBER || !why ||
			    (why0 && strcmp(why, why0) != 0))
				return 0;
			why0 = why;
		}
	}
	if (!why0)
		return 0;
	fputs("<h3>Kernel events</h3>\n<p class=\"sub\">None: ", f);
	esc(f, why0);
	fputs(".</p>\n", f);
	return 1;
}

/* Where each backend's kernel events were counted (docs/results.md,
 * "kernel_events_source"): for an evidence repetition its ops/s against
 * the measured median, what the instrumentation cost. */
static void kev_source(FILE *f, const struct mmb_report_results *r)
{
	char label[256];
	size_t n = 0;

	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_rentry *e = center(r, i);
		const struct mmb_rval *src =
		    e ? mmb_rentry_get(e, "kernel_events_source") : NULL;
		const struct mmb_rval *ev = kev_of(r, i, "evidence_repetition");
		double ops = num(ev, "items_per_second");
		double d = 100 * num(ev, "items_per_second_vs_median");

		if (!src || src->type != MMB_RT_STRING)
			continue;
		fputs(n++ ? "; " : "<p class=\"sub\">Counted ", f);
		esc(f, mmb__backend_label(r, i, label, sizeof(label)));
		if (strcmp(src->text, "evidence_repetition") == 0 &&
		    !isnan(d)) {
			char v[32];
			mmb__fmt_int(ops, v, sizeof(v));
			fprintf(f,
				": in an extra repetition after the measured "
				"ones, which ran at %s ops/s, %.1f%% %s the "
				"measured median",
				v, fabs(d), d < 0 ? "below" : "above");
		} else if (strcmp(src->text, "measured_repetitions") == 0)
			fputs(": in every measured repetition (median shown)",
			      f);
		else
			fputs(": not counted", f);
	}
	if (n)
		fputs(".</p>\n", f);
}

/* The kernel events of the backends that ran: a row per event that is
 * non-zero for some backend or could not be counted (with the reason),
 * in the order of mmbench/kevents.h; the events that were zero for every
 * backend named below the table. */
static void kernel_events(FILE *f, const struct mmb_report_results *r)
{
	size_t nb = 0, nzero = 0;
	char label[256];

	for (size_t i = 0; i < r->nb; i++)
		nb += kev_of(r, i, "kernel_events") != NULL;
	if (nb == 0)
		return;
	if (one_reason(f, r))
		return;
	fputs("<h3>Kernel events</h3>\n<table class=\"num kev\"><tr>"
	      "<th>event</th><th>what</th><th>unit</th>",
	      f);
	for (size_t i = 0; i < r->nb; i++) {
		if (!kev_of(r, i, "kernel_events"))
			continue;
		fputs("<th>", f);
		esc(f, mmb__backend_label(r, i, label, sizeof(label)));
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (unsigned k = 0; k < MMB_KEV__COUNT; k++) {
		const struct mmb_kevent_def *d = mmb_kevent_def(k);
		const char *why0 = NULL;
		int shown = 0, same_why = 1, any = 0;

		for (size_t i = 0; i < r->nb; i++) {
			const struct mmb_rval *ev =
			    kev_of(r, i, "kernel_events");
			const struct mmb_rval *v =
			    ev ? mmb_rval_get(ev, d->key) : NULL;
			const char *why = str(
			    kev_of(r, i, "kernel_events_unavailable"), d->key);

			if (!ev || !v)
				continue;
			any = 1;
			if (v->type != MMB_RT_NUMBER) {
				shown = 1;
				if (why0 && strcmp(why0, why ? why : "") != 0)
					same_why = 0;
				why0 = why0 ? why0 : why ? why : "";
			} else {
				same_why = 0;
				shown |= v->num != 0;
			}
		}
		if (!any)
			continue;
		if (!shown) {
			nzero++;
			continue;
		}
		fprintf(f,
			"<tr><td class=\"ev\" title=\"%s%s%s\"><code>%s"
			"</code></td><td class=\"text\">",
			d->source, d->field[0] ? ", field " : "", d->field,
			d->key);
		esc(f, d->desc);
		fprintf(f, "</td><td class=\"text\">%s</td>", d->unit);
		if (same_why && why0) {
			fprintf(f,
				"<td class=\"unavail\" colspan=\"%zu\">"
				"unavailable: ",
				nb);
			esc(f, why0[0] ? why0 : "no reason given");
			fputs("</td></tr>\n", f);
			continue;
		}
		for (size_t i = 0; i < r->nb; i++) {
			const struct mmb_rval *ev =
			    kev_of(r, i, "kernel_events");
			const struct mmb_rval *v =
			    ev ? mmb_rval_get(ev, d->key) : NULL;
			const char *why = str(
			    kev_of(r, i, "kernel_events_unavailable"), d->key);

			if (!ev)
				continue;
			if (!v)
				fputs("<td class=\"na\">&ndash;</td>", f);
			else if (v->type == MMB_RT_NUMBER)
				kev_cell(f, v->num, d->unit);
			else {
				fputs("<td class=\"unavail\">unavailable: ", f);
				esc(f, why && why[0] ? why : "no reason given");
				fputs("</td>", f);
			}
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
	kev_source(f, r);
	if (nzero) {
		size_t n = 0;

		fputs("<p class=\"sub\">Zero for every backend: ", f);
		for (unsigned k = 0; k < MMB_KEV__COUNT; k++) {
			const struct mmb_kevent_def *d = mmb_kevent_def(k);
			int zero = 1, any = 0;

			for (size_t i = 0; i < r->nb && zero; i++) {
				const struct mmb_rval *ev =
				    kev_of(r, i, "kernel_events");
				const struct mmb_rval *v =
				    ev ? mmb_rval_get(ev, d->key) : NULL;

				if (!v)
					continue;
				any = 1;
				zero = v->type == MMB_RT_NUMBER && v->num == 0;
			}
			if (any && zero)
				fprintf(f, "%s<code>%s</code>", n++ ? ", " : "",
					d->key);
		}
		fputs(". Counted in the timed region for the process's own "
		      "tasks; hover an event for its tracepoint.</p>\n",
		      f);
	}
}

int mmb__html_profile(FILE *f, const struct mmb__report *rep, size_t fi)
{
	const struct mmb_report_results *r = &rep->res[fi];
	const struct mmb_rval *why = mmb_report_ctx_get(r, "verdict_why");
	size_t np = 0;

	for (size_t i = 0; i < r->nb; i++)
		np += profile_of(r, i) != NULL;
	if (np || (why && why->type == MMB_RT_STRING && why->text[0])) {
		fputs("<h3>Where the time went</h3>\n", f);
		if (why && why->type == MMB_RT_STRING && why->text[0]) {
			const char *t = why->text;

			/* The console's lead-in is the heading here. */
			if (strncmp(t, "Where the time went: ", 21) == 0)
				t += 21;
			fputs("<p class=\"why\">", f);
			mmb__html_esc_units(f, t);
			fputs("</p>\n", f);
		}
		breakdown(f, r);
		if (np)
			fputs("<p class=\"sub\">Each backend's time (wall time "
			      "&times; threads) by what it was spent on, from "
			      "<code>--profile</code>'s cpu-clock samples with "
			      "call chains; <i>io_wait</i> is the time off the "
			      "CPU. The thin bar below: the on-CPU time "
			      "alone. Hover a segment for its share.</p>\n",
			      f);
		samples_and_tops(f, r);
	}
	kernel_events(f, r);
	return 0;
}

/* The folded stacks of backend i: its profile's "folded_stacks", else
 * the file `mmbench run --json` wrote beside the results. *own is what
 * to free. */
static const char *folded_of(const struct mmb_report_results *r, size_t i,
			     char **own)
{
	const struct mmb_rval *p = profile_of(r, i);
	const char *s = str(p, "folded_stacks");
	const char *path = r->res->path;
	size_t n = strlen(path), len;
	char file[4096];
	FILE *in;
	long size;

	*own = NULL;
	if (s)
		return s;
	if (!p)
		return NULL;
	if (n > 5 && strcmp(path + n - 5, ".json") == 0)
		n -= 5;
	snprintf(file, sizeof(file), "%.*s.%s.folded", (int)n, path,
		 r->b[i].name);
	in = fopen(file, "rb");
	if (!in)
		return NULL;
	if (fseek(in, 0, SEEK_END) != 0 || (size = ftell(in)) <= 0 ||
	    (unsigned long)size > MAX_FOLD || fseek(in, 0, SEEK_SET) != 0 ||
	    !(*own = malloc((size_t)size + 1))) {
		fclose(in);
		return NULL;
	}
	len = fread(*own, 1, (size_t)size, in);
	fclose(in);
	(*own)[len] = '\0';
	return *own;
}

int mmb__html_flamegraphs(FILE *f, const struct mmb__report *rep, size_t fi)
{
	const struct mmb_report_results *r = &rep->res[fi];
	size_t n = 0, missing = 0;
	char label[256], title[300];

	for (size_t i = 0; i < r->nb; i++) {
		char *own, *svg;
		size_t len;
		const char *folded;

		if (!profile_of(r, i))
			continue;
		folded = folded_of(r, i, &own);
		if (!folded || !*folded) {
			missing++;
			free(own);
			continue;
		}
		mmb__backend_label(r, i, label, sizeof(label));
		snprintf(title, sizeof(title), "%s: on-CPU samples", label);
		if (mmb__flamegraph_svg(folded, title, FLAME_W, false, &svg,
					&len) != 0) {
			free(own);
			return MMB_ENOMEM;
		}
		if (n++ == 0)
			fputs("<h3>Flame graphs</h3>\n<p class=\"sub\">On-CPU "
			      "samples of <code>--profile</code>: callers "
			      "below their callees, a frame as wide as its "
			      "share of the samples; kernel frames "
			      "(<code>_[k]</code>) orange, user frames red. "
			      "Hover a frame for its samples.</p>\n",
			      f);
		fputs("<figure class=\"flame\">", f);
		fwrite(svg, 1, len, f);
		fputs("</figure>\n", f);
		free(svg);
		free(own);
	}
	if (missing)
		fprintf(f,
			"<p class=\"note\">No flame graph for %zu profiled "
			"backend%s: the results file holds no folded stacks "
			"and none are beside it (<code>mmbench run --profile "
			"--json FILE</code> writes both).</p>\n",
			missing, missing == 1 ? "" : "s");
	return 0;
}
