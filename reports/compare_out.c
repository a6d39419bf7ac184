/* SPDX-License-Identifier: MIT */
/* compare_out.c - the renderings of a comparison (mmbench/compare.h): the
 * aligned text table, JSON (through jsonw) and a Markdown table for a CI
 * job summary. compare.c computes; this file only formats. Names, paths
 * and warnings come from the files compared and are escaped for each
 * output (escape.h): control characters never reach the terminal, and
 * nothing in a name is Markdown or HTML. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "jsonw.h"
#include "mmbench/compare.h"
#include "mmbench/result.h"
#include "mmbench/units.h"
#include "report_os.h"

/* Rendered in memory, then written by the one atomic writer every output
 * shares (mmb_write_file_atomic). `emit` writes the content to the stream
 * and returns 0 or MMB_E*. */
static int write_atomic(const char *path, int (*emit)(FILE *, const void *),
			const void *ctx)
{
	struct mmb__membuf m;
	if (mmb__membuf_open(&m) != 0)
		return mmb_seterr(MMB_ENOMEM, errno, "write(%s)", path);
	int rc = emit(m.f, ctx);
	if (mmb__membuf_close(&m) != 0 && rc >= 0)
		rc = mmb_seterr(MMB_ENOMEM, errno, "write(%s)", path);
	if (rc >= 0)
		rc = mmb_write_file_atomic(path, m.buf, m.len);
	free(m.buf);
	return rc;
}

/* "12.3 us" for a time in ns, or "0.8123" for a normalized ratio. */
static void fmt_time(char *buf, size_t len, double v, bool normalized)
{
	if (normalized && !isnan(v))
		snprintf(buf, len, "%.4g", v);
	else
		mmb_fmt_ns(v, buf, len);
}

static void fmt_change(char *buf, size_t len, double ch)
{
	if (isinf(ch))
		snprintf(buf, len, "+inf");
	else
		snprintf(buf, len, "%+.1f%%", ch * 100.0);
}

/* Counters are mostly whole numbers (bytes, faults): print them whole. */
static void fmt_count(char *buf, size_t len, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.6g", v);
}

static void fmt_p(char *buf, size_t len, double p)
{
	snprintf(buf, len, p >= 0.001 ? "%.4f" : "%.1e", p);
}

static const char *summary(const struct mmb_comparison *c, char *buf,
			   size_t len)
{
	size_t slow = 0, cnt = 0;
	for (size_t i = 0; i < c->nrows; i++) {
		slow += c->rows[i].verdict == MMB_VERDICT_SLOWER;
		for (size_t k = 0; k < c->opts.ncounters; k++)
			cnt += c->rows[i].counters[k].failed;
	}
	if (!c->regression)
		snprintf(buf, len,
			 "PASS: %zu benchmark(s) compared, none slower by "
			 "more than %.3g%% with p < %.3g",
			 c->nrows, c->opts.threshold * 100, c->opts.alpha);
	else
		snprintf(buf, len,
			 "REGRESSION: %zu of %zu benchmark(s) slower by more "
			 "than %.3g%% with p < %.3g, %zu counter gate(s) "
			 "failed",
			 slow, c->nrows, c->opts.threshold * 100, c->opts.alpha,
			 cnt);
	return buf;
}

void mmb_comparison_print(const struct mmb_comparison *c, FILE *f)
{
	bool norm = c->opts.normalize != NULL;
	size_t w = strlen("benchmark");
	for (size_t i = 0; i < c->nrows; i++) {
		size_t l = mmb__tty_width(c->rows[i].name);
		w = l > w ? l : w;
	}
	fputs("baseline: ", f);
	mmb__tty_put(f, c->old_path, 0);
	fputs("\ncurrent:  ", f);
	mmb__tty_put(f, c->new_path, 0);
	fputc('\n', f);
	if (norm) {
		fputs("times divided by the median time of ", f);
		mmb__tty_put(f, c->opts.normalize, 0);
		fputs(" in the same file\n", f);
	}
	fprintf(f, "%-*s  %10s  %10s  %8s  %8s  %-6s  %-7s  %s\n", (int)w,
		"benchmark", "old", "new", "change", "p-value", "test", "reps",
		"verdict");
	for (size_t i = 0; i < c->nrows; i++) {
		const struct mmb_cmp_row *r = &c->rows[i];
		char o[32], n[32], ch[32], p[32], reps[32];
		snprintf(reps, sizeof(reps), "%zu/%zu", r->n_old, r->n_new);
		mmb__tty_put(f, r->name, w);
		if (r->verdict == MMB_VERDICT_SKIPPED) {
			fprintf(f, "  %10s  %10s  %8s  %8s  %-6s  %-7s  %s\n",
				"-", "-", "-", "-", "-", reps, "skipped");
			continue;
		}
		fmt_time(o, sizeof(o), r->old_med, norm);
		fmt_time(n, sizeof(n), r->new_med, norm);
		fmt_change(ch, sizeof(ch), r->change);
		fmt_p(p, sizeof(p), r->u.p);
		fprintf(f, "  %10s  %10s  %8s  %8s  %-6s  %-7s  %s\n", o, n, ch,
			p, r->u.method == MMB_UTEST_EXACT ? "exact" : "normal",
			reps, mmb_verdict_name(r->verdict));
		for (size_t k = 0; k < c->opts.ncounters; k++) {
			const struct mmb_counter_cmp *cc = &r->counters[k];
			const struct mmb_counter_gate *g = &c->opts.counters[k];
			if (!cc->present)
				continue;
			char lim[32];
			if (g->relative)
				snprintf(lim, sizeof(lim), "<= +%.3g%%",
					 g->limit * 100);
			else
				snprintf(lim, sizeof(lim), "<= +%.6g",
					 g->limit);
			char ov[32], nv[32];
			fmt_count(ov, sizeof(ov), cc->old_med);
			fmt_count(nv, sizeof(nv), cc->new_med);
			fmt_change(ch, sizeof(ch), cc->change);
			fputs("  ", f);
			mmb__tty_put(f, cc->name, w - 2);
			fprintf(f, "  %10s  %10s  %8s  %-17s  %s\n", ov, nv, ch,
				lim, cc->failed ? "COUNTER REGRESSION" : "ok");
		}
	}
	for (size_t i = 0; i < c->nonly_new; i++) {
		fputs("new (not in baseline): ", f);
		mmb__tty_put(f, c->only_new[i], 0);
		fputc('\n', f);
	}
	for (size_t i = 0; i < c->nonly_old; i++) {
		fputs("gone (only in baseline): ", f);
		mmb__tty_put(f, c->only_old[i], 0);
		fputc('\n', f);
	}
	for (size_t i = 0; i < c->nwarnings; i++) {
		fputs("warning: ", f);
		mmb__tty_put(f, c->warnings[i], 0);
		fputc('\n', f);
	}
	char buf[256];
	fprintf(f, "%s\n", summary(c, buf, sizeof(buf)));
}

static void to_json(struct mmb__jw *w, const struct mmb_comparison *c)
{
	mmb__jw_object(w, NULL);
	mmb__jw_string(w, "baseline", c->old_path);
	mmb__jw_string(w, "current", c->new_path);
	mmb__jw_string(w, "result", c->regression ? "regression" : "pass");
	mmb__jw_double(w, "threshold", c->opts.threshold);
	mmb__jw_double(w, "alpha", c->opts.alpha);
	if (c->opts.normalize)
		mmb__jw_string(w, "normalize", c->opts.normalize);
	else
		mmb__jw_null(w, "normalize");
	mmb__jw_array(w, "benchmarks");
	for (size_t i = 0; i < c->nrows; i++) {
		const struct mmb_cmp_row *r = &c->rows[i];
		mmb__jw_object(w, NULL);
		mmb__jw_string(w, "name", r->name);
		mmb__jw_string(w, "verdict", mmb_verdict_name(r->verdict));
		mmb__jw_bool(w, "failed", r->failed);
		mmb__jw_uint(w, "repetitions_old", r->n_old);
		mmb__jw_uint(w, "repetitions_new", r->n_new);
		if (r->verdict == MMB_VERDICT_SKIPPED) {
			mmb__jw_end(w);
			continue;
		}
		/* NaN and the infinities are written as null. */
		mmb__jw_string(w, "unit", c->opts.normalize ? "ratio" : "ns");
		mmb__jw_double(w, "old_median", r->old_med);
		mmb__jw_double(w, "new_median", r->new_med);
		mmb__jw_double(w, "change", r->change);
		mmb__jw_double(w, "u", r->u.u);
		mmb__jw_double(w, "p_value", r->u.p);
		mmb__jw_string(w, "test",
			       r->u.method == MMB_UTEST_EXACT ? "exact"
							      : "normal");
		mmb__jw_array(w, "counters");
		for (size_t k = 0; k < c->opts.ncounters; k++) {
			const struct mmb_counter_cmp *cc = &r->counters[k];
			if (!cc->present)
				continue;
			mmb__jw_object(w, NULL);
			mmb__jw_string(w, "name", cc->name);
			mmb__jw_double(w, "old_median", cc->old_med);
			mmb__jw_double(w, "new_median", cc->new_med);
			mmb__jw_double(w, "change", cc->change);
			mmb__jw_bool(w, "failed", cc->failed);
			mmb__jw_end(w);
		}
		mmb__jw_end(w);
		mmb__jw_end(w);
	}
	mmb__jw_end(w);
	mmb__jw_array(w, "warnings");
	for (size_t i = 0; i < c->nwarnings; i++)
		mmb__jw_string(w, NULL, c->warnings[i]);
	mmb__jw_end(w);
	mmb__jw_array(w, "only_in_current");
	for (size_t i = 0; i < c->nonly_new; i++)
		mmb__jw_string(w, NULL, c->only_new[i]);
	mmb__jw_end(w);
	mmb__jw_array(w, "only_in_baseline");
	for (size_t i = 0; i < c->nonly_old; i++)
		mmb__jw_string(w, NULL, c->only_old[i]);
	mmb__jw_end(w);
	mmb__jw_end(w);
}

int mmb_comparison_write_json(const struct mmb_comparison *c, const char *path)
{
	struct mmb__jw w;

	mmb__jw_init(&w);
	to_json(&w, c);
	return mmb__jw_write(&w, path);
}

static int emit_markdown(FILE *f, const void *ctx)
{
	const struct mmb_comparison *c = ctx;
	bool norm = c->opts.normalize != NULL;
	char buf[256];
	fprintf(f, "### mmbench compare: %s\n\n",
		c->regression ? "regression" : "pass");
	fprintf(f, "%s.", summary(c, buf, sizeof(buf)));
	if (norm) {
		fputs(" Times are relative to ", f);
		mmb__md_code(f, c->opts.normalize);
		fputs(" in the same file.", f);
	}
	fputs("\n\n| benchmark | old | new | change | p-value | reps | "
	      "verdict |\n|---|---:|---:|---:|---:|---:|---|\n",
	      f);
	for (size_t i = 0; i < c->nrows; i++) {
		const struct mmb_cmp_row *r = &c->rows[i];
		char o[32] = "-", n[32] = "-", ch[32] = "-", p[32] = "-";
		if (r->verdict != MMB_VERDICT_SKIPPED) {
			fmt_time(o, sizeof(o), r->old_med, norm);
			fmt_time(n, sizeof(n), r->new_med, norm);
			fmt_change(ch, sizeof(ch), r->change);
			fmt_p(p, sizeof(p), r->u.p);
		}
		fputs("| ", f);
		mmb__md_code(f, r->name);
		fprintf(f, " | %s | %s | %s | %s | %zu/%zu | %s%s%s |\n", o, n,
			ch, p, r->n_old, r->n_new, r->failed ? "**" : "",
			mmb_verdict_name(r->verdict), r->failed ? "**" : "");
		for (size_t k = 0; k < c->opts.ncounters; k++) {
			const struct mmb_counter_cmp *cc = &r->counters[k];
			if (!cc->present)
				continue;
			fmt_change(ch, sizeof(ch), cc->change);
			fputs("| &nbsp;&nbsp;", f);
			mmb__md_text(f, cc->name);
			char ov[32], nv[32];
			fmt_count(ov, sizeof(ov), cc->old_med);
			fmt_count(nv, sizeof(nv), cc->new_med);
			fprintf(f, " | %s | %s | %s | | | %s |\n", ov, nv, ch,
				cc->failed ? "**counter regression**" : "ok");
		}
	}
	if (c->nwarnings) {
		fputs("\n**Warnings**\n\n", f);
		for (size_t i = 0; i < c->nwarnings; i++) {
			fputs("- ", f);
			mmb__md_text(f, c->warnings[i]);
			fputc('\n', f);
		}
	}
	if (ferror(f))
		return mmb_seterr(MMB_EIO, errno, "write");
	return 0;
}

int mmb_comparison_write_markdown(const struct mmb_comparison *c,
				  const char *path)
{
	return write_atomic(path, emit_markdown, c);
}
