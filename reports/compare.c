/* SPDX-License-Identifier: MIT */
/* compare.c - gate CURRENT against a BASELINE: the statistics and the
 * verdicts, on two results models. Rendering them is compare_out.c.
 *
 * See include/mmbench/compare.h for the contract and docs/ci-gate.md for how
 * the verdicts are reached. Only reads results; never runs I/O benchmarks.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmbench/compare.h>
#include <mmbench/units.h>

#include "nameidx.h"

/* ---- small helpers ------------------------------------------------------ */

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* ---- the samples of a benchmark ------------------------------------------ */

/* Keys of a Google Benchmark entry that are bookkeeping, not counters.
 * bytes_per_second and items_per_second are derived from the time, so they
 * are neither deterministic nor lower-is-better: not gated as counters. */
static const char *const non_counters[] = {
    "name",
    "run_name",
    "run_type",
    "repetitions",
    "repetition_index",
    "threads",
    "iterations",
    "real_time",
    "cpu_time",
    "time_unit",
    "family_index",
    "per_family_instance_index",
    "aggregate_name",
    "aggregate_unit",
    "error_occurred",
    "error_message",
    "skipped",
    "label",
    "big_o",
    "rms",
    "bytes_per_second",
    "items_per_second",
    NULL,
};

static const char *const ctx_keys[] = {
#define X(k) #k,
    MMB_RESULTS_CTX_KEYS
#undef X
};

bool mmb_compare_is_counter(const char *k)
{
	for (size_t i = 0; non_counters[i]; i++)
		if (strcmp(k, non_counters[i]) == 0)
			return false;
	return true;
}

/* One benchmark as the gate sees it: its time samples in ns (the
 * repetitions, or one from the median/mean aggregate) and the entries its
 * counters come from. */
struct series {
	const struct mmb_rbench *b;
	const char *name;
	double *real;
	size_t n;
	bool from_aggregate;
	bool skipped;
	const char *error;
};

/* The series by name: matching is by hash, so comparing 100,000
 * benchmarks stays linear (bench/compare-scale.sh: 0.99 s for 100,000 on
 * the 2-core VM, RelWithDebInfo; 7.6 s for 20,000 before). */
struct side {
	const struct mmb_results *r;
	struct series *s;
	size_t n;
	struct mmb__nameidx idx;
};

static const char *series_name(const void *ctx, size_t pos)
{
	return ((const struct side *)ctx)->s[pos].name;
}

static void side_free(struct side *d)
{
	for (size_t i = 0; d->s && i < d->n; i++)
		free(d->s[i].real);
	free(d->s);
	mmb__nameidx_free(&d->idx);
}

/* The benchmarks of r the gate can use. */
static int side_load(const struct mmb_results *r, struct side *d)
{
	d->r = r;
	d->n = 0;
	mmb__nameidx_init(&d->idx, series_name, d);
	d->s = calloc(r->nb ? r->nb : 1, sizeof(*d->s));
	if (!d->s)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "compare");
	for (size_t i = 0; i < r->nb; i++) {
		const struct mmb_rbench *b = &r->b[i];
		const struct mmb_rentry *c = mmb_rbench_center(r, b);
		struct series *s = &d->s[d->n];

		s->b = b;
		s->name = b->name;
		s->skipped = b->skipped;
		s->error = b->error ? b->error : "error_occurred";
		if (b->skipped) {
			d->n++;
			continue;
		}
		if (b->nreps == 0 && !c)
			continue; /* _BigO, _RMS: nothing to time */
		s->real = malloc((b->nreps ? b->nreps : 1) * sizeof(double));
		if (!s->real)
			return mmb_seterr(MMB_ENOMEM, ENOMEM, "compare");
		d->n++;
		for (size_t k = 0; k < b->nreps; k++) {
			const struct mmb_rentry *e = &r->e[b->reps[k]];

			if (isnan(e->real_ns))
				return mmb_seterr(
				    MMB_EPARSE, 0,
				    "%s: benchmarks[%zu] (%s) has no numeric "
				    "real_time",
				    r->path, b->reps[k], b->name);
			s->real[s->n++] = e->real_ns;
		}
		if (b->nreps)
			continue;
		/* Kept only as a fallback for files without repetitions
		 * (--benchmark_report_aggregates_only). Some aggregates are
		 * not times (the coefficient of variation "cv" has unit
		 * "percentage"), so only median and mean are used. */
		if (isnan(c->real_ns))
			return mmb_seterr(MMB_EPARSE, 0,
					  "%s: %s has neither repetitions nor "
					  "a median",
					  r->path, b->name);
		s->real[s->n++] = c->real_ns;
		s->from_aggregate = true;
	}
	if (d->n == 0)
		return mmb_seterr(MMB_EPARSE, 0,
				  "%s: no benchmark with a real_time", r->path);
	/* The loader groups entries by name: the names are distinct. */
	for (size_t i = 0; i < d->n; i++)
		if (mmb__nameidx_add(&d->idx, i) < 0)
			return mmb_seterr(MMB_ENOMEM, ENOMEM, "compare");
	return 0;
}

static const struct series *side_find(const struct side *d, const char *name)
{
	size_t i = mmb__nameidx_find(&d->idx, name);

	return i == (size_t)-1 ? NULL : &d->s[i];
}

/* The values of counter `name` in s: one per repetition (or from the
 * aggregate), finite numbers only. *v is malloc'd; n 0 when none. */
static int counter_values(const struct side *d, const struct series *s,
			  const char *name, double **v, size_t *n)
{
	const struct mmb_rbench *b = s->b;
	size_t m = b->nreps ? b->nreps : 1;

	*n = 0;
	*v = NULL;
	if (!mmb_compare_is_counter(name))
		return 0;
	*v = malloc(m * sizeof(double));
	if (!*v)
		return MMB_ENOMEM;
	for (size_t k = 0; k < m; k++) {
		const struct mmb_rentry *e = b->nreps
						 ? &d->r->e[b->reps[k]]
						 : mmb_rbench_center(d->r, b);
		double x = e ? mmb_rentry_num(e, name) : NAN;

		if (isfinite(x))
			(*v)[(*n)++] = x;
	}
	return 0;
}

/* ---- counter gates ------------------------------------------------------ */

int mmb_counter_gate_parse(const char *spec, struct mmb_counter_gate *g)
{
	const char *colon = strrchr(spec, ':');
	if (!colon || colon == spec ||
	    (size_t)(colon - spec) >= sizeof(g->name))
		return mmb_seterr(MMB_EINVAL, 0,
				  "--counter %s: expected NAME:LIMIT, e.g. "
				  "faults:5%% or faults:100",
				  spec);
	memcpy(g->name, spec, (size_t)(colon - spec));
	g->name[colon - spec] = '\0';
	char lim[64];
	size_t n = strlen(colon + 1);
	double v = -1;
	g->relative = n > 0 && colon[n] == '%';
	if (g->relative)
		n--;
	if (n < sizeof(lim)) {
		memcpy(lim, colon + 1, n);
		lim[n] = '\0';
	}
	if (n >= sizeof(lim) || mmb_parse_double(lim, false, &v) < 0 || v < 0)
		return mmb_seterr(MMB_EINVAL, 0,
				  "--counter %s: LIMIT must be a non-negative "
				  "number, with %% for a relative limit",
				  spec);
	g->limit = g->relative ? v / 100.0 : v;
	return 0;
}

/* ---- comparing ---------------------------------------------------------- */

const char *mmb_verdict_name(enum mmb_verdict v)
{
	switch (v) {
	case MMB_VERDICT_SAME:
		return "same";
	case MMB_VERDICT_FASTER:
		return "faster";
	case MMB_VERDICT_SLOWER:
		return "REGRESSION";
	case MMB_VERDICT_NOISY:
		return "slower (not significant)";
	case MMB_VERDICT_TOO_FEW:
		return "too few reps";
	case MMB_VERDICT_SKIPPED:
		return "skipped";
	case MMB_VERDICT_REFERENCE:
		return "reference";
	}
	return "?";
}

static int add_warning(struct mmb_comparison *c, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < c->nwarnings; i++)
		if (strcmp(c->warnings[i], buf) == 0)
			return 0;
	char **p = realloc(c->warnings, (c->nwarnings + 1) * sizeof(*p));
	if (!p)
		return MMB_ENOMEM;
	c->warnings = p;
	p[c->nwarnings] = xstrdup(buf);
	if (!p[c->nwarnings])
		return MMB_ENOMEM;
	c->nwarnings++;
	return 0;
}

void mmb_comparison_free(struct mmb_comparison *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nrows; i++)
		free(c->rows[i].counters);
	free(c->rows);
	free(c->only_old);
	free(c->only_new);
	for (size_t i = 0; i < c->nwarnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
	free(c);
}

/* Median real_time of the normalization reference in d (> 0). */
static int ref_scale(const struct side *d, const char *ref, double *scale)
{
	const struct series *s = side_find(d, ref);
	if (!s)
		return mmb_seterr(MMB_EINVAL, 0,
				  "--normalize %s: no such benchmark in %s",
				  ref, d->r->path);
	if (s->skipped)
		return mmb_seterr(MMB_EINVAL, 0,
				  "--normalize %s: skipped in %s (%s)", ref,
				  d->r->path, s->error ? s->error : "");
	double m = mmb_results_median(s->real, s->n);
	if (!(m > 0.0))
		return mmb_seterr(MMB_EINVAL, 0,
				  "--normalize %s: median time in %s is not "
				  "positive",
				  ref, d->r->path);
	*scale = m;
	return 0;
}

static int compare_times(struct mmb_comparison *c, struct mmb_cmp_row *row,
			 const struct series *o, const struct series *n,
			 double so, double sn)
{
	const struct mmb_compare_opts *opt = &c->opts;
	double *a = malloc(o->n * sizeof(double));
	double *b = malloc(n->n * sizeof(double));
	if (!a || !b) {
		free(a);
		free(b);
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "compare");
	}
	for (size_t i = 0; i < o->n; i++)
		a[i] = o->real[i] / so;
	for (size_t i = 0; i < n->n; i++)
		b[i] = n->real[i] / sn;
	row->old_med = mmb_results_median(a, o->n);
	row->new_med = mmb_results_median(b, n->n);
	row->change = row->old_med > 0
			  ? (row->new_med - row->old_med) / row->old_med
			  : 0.0;
	/* new vs old: U large when new is slower */
	int rc = mmb_utest(b, n->n, a, o->n, &row->u);
	free(a);
	free(b);
	if (rc < 0)
		return rc;
	row->tested = true;

	double minp = mmb_utest_min_p(o->n, n->n);
	bool sig = row->u.p < opt->alpha;
	if (minp >= opt->alpha) {
		row->verdict = MMB_VERDICT_TOO_FEW;
		size_t k = mmb_utest_min_reps(opt->alpha);
		return add_warning(
		    c,
		    "too few repetitions (%zu vs %zu): the smallest possible "
		    "p-value is %.3g >= alpha %.3g, so the time gate cannot "
		    "fail; run at least %zu repetitions in each file",
		    o->n, n->n, minp, opt->alpha, k);
	}
	if (row->change > opt->threshold)
		row->verdict = sig ? MMB_VERDICT_SLOWER : MMB_VERDICT_NOISY;
	else if (row->change < -opt->threshold && sig)
		row->verdict = MMB_VERDICT_FASTER;
	else
		row->verdict = MMB_VERDICT_SAME;
	return 0;
}

static int compare_counters(struct mmb_comparison *c, struct mmb_cmp_row *row,
			    const struct side *dold, const struct series *o,
			    const struct side *dnew, const struct series *n)
{
	for (size_t k = 0; k < c->opts.ncounters; k++) {
		const struct mmb_counter_gate *g = &c->opts.counters[k];
		struct mmb_counter_cmp *cc = &row->counters[k];
		double *vo, *vn;
		size_t no, nn;
		cc->name = g->name;
		if (counter_values(dold, o, g->name, &vo, &no) < 0)
			return mmb_seterr(MMB_ENOMEM, ENOMEM, "compare");
		if (counter_values(dnew, n, g->name, &vn, &nn) < 0) {
			free(vo);
			return mmb_seterr(MMB_ENOMEM, ENOMEM, "compare");
		}
		if (no && nn) {
			cc->present = true;
			cc->old_med = mmb_results_median(vo, no);
			cc->new_med = mmb_results_median(vn, nn);
		}
		free(vo);
		free(vn);
		if (!cc->present)
			continue;
		double d = cc->new_med - cc->old_med;
		cc->change = cc->old_med != 0 ? d / fabs(cc->old_med)
			     : d > 0	      ? INFINITY
					      : 0.0;
		if (g->relative)
			cc->failed =
			    d > 0 && (cc->old_med == 0 ||
				      d > g->limit * fabs(cc->old_med));
		else
			cc->failed = d > g->limit;
		if (cc->failed)
			row->failed = true;
	}
	return 0;
}

/* Whether context key k differs between the two files (both have it). */
static bool ctx_differs(const struct mmb_rval *a, const struct mmb_rval *b)
{
	if (!a || !b ||
	    (a->type != MMB_RT_NUMBER && a->type != MMB_RT_STRING) ||
	    (b->type != MMB_RT_NUMBER && b->type != MMB_RT_STRING))
		return false;
	if (a->type != b->type)
		return true;
	return a->type == MMB_RT_NUMBER ? a->num != b->num
					: strcmp(a->text, b->text) != 0;
}

int mmb_compare(const struct mmb_results *base, const struct mmb_results *cur,
		const struct mmb_compare_opts *opts,
		struct mmb_comparison **out)
{
	if (!(opts->threshold >= 0) || !(opts->alpha > 0 && opts->alpha < 1))
		return mmb_seterr(MMB_EINVAL, 0,
				  "compare: threshold must be >= 0 and alpha "
				  "in (0, 1)");
	double so = 1.0, sn = 1.0;
	struct side dold = {0}, dnew = {0};
	struct mmb_comparison *c = NULL;
	int rc;
	if ((rc = side_load(base, &dold)) < 0 ||
	    (rc = side_load(cur, &dnew)) < 0)
		goto err_free;
	if (opts->normalize) {
		if ((rc = ref_scale(&dold, opts->normalize, &so)) < 0 ||
		    (rc = ref_scale(&dnew, opts->normalize, &sn)) < 0)
			goto err_free;
	}

	c = calloc(1, sizeof(*c));
	if (!c)
		goto err_nomem;
	c->opts = *opts;
	c->old_path = base->path;
	c->new_path = cur->path;
	c->rows = calloc(dold.n, sizeof(*c->rows));
	c->only_old = calloc(dold.n, sizeof(char *));
	c->only_new = calloc(dnew.n, sizeof(char *));
	if (!c->rows || !c->only_old || !c->only_new)
		goto err_nomem;

	for (size_t i = 0; i < dnew.n; i++)
		if (!side_find(&dold, dnew.s[i].name))
			c->only_new[c->nonly_new++] = dnew.s[i].b->name;
	for (size_t i = 0; i < dold.n; i++) {
		const struct series *o = &dold.s[i];
		const struct series *n = side_find(&dnew, o->name);
		if (!n) {
			c->only_old[c->nonly_old++] = o->b->name;
			continue;
		}
		struct mmb_cmp_row *row = &c->rows[c->nrows++];
		row->name = o->name;
		row->n_old = o->n;
		row->n_new = n->n;
		if (opts->ncounters) {
			row->counters =
			    calloc(opts->ncounters, sizeof(*row->counters));
			if (!row->counters)
				goto err_nomem;
			for (size_t k = 0; k < opts->ncounters; k++)
				row->counters[k].name = opts->counters[k].name;
		}
		if (o->skipped || n->skipped) {
			row->verdict = MMB_VERDICT_SKIPPED;
			if (n->skipped && !o->skipped &&
			    add_warning(c, "%s: skipped in %s: %s", o->name,
					cur->path,
					n->error ? n->error : "") < 0)
				goto err_nomem;
			continue;
		}
		if (o->from_aggregate || n->from_aggregate) {
			if (add_warning(
				c,
				"%s: only aggregates in %s; repetitions "
				"are needed for the U test (run without "
				"--benchmark_report_aggregates_only)",
				o->name,
				o->from_aggregate ? base->path : cur->path) < 0)
				goto err_nomem;
		}
		if ((rc = compare_times(c, row, o, n, so, sn)) < 0)
			goto err_free;
		if (opts->normalize && strcmp(o->name, opts->normalize) == 0)
			row->verdict = MMB_VERDICT_REFERENCE;
		if (row->verdict == MMB_VERDICT_SLOWER)
			row->failed = true;
		if ((rc = compare_counters(c, row, &dold, o, &dnew, n)) < 0)
			goto err_free;
		if (row->failed)
			c->regression = true;
	}

	if (c->nrows == 0) {
		rc = mmb_seterr(MMB_EINVAL, 0,
				"no benchmark in common between %s (first: "
				"%s) and %s (first: %s)",
				base->path, dold.s[0].name, cur->path,
				dnew.s[0].name);
		goto err_free;
	}
	for (size_t k = 0; k < opts->ncounters; k++) {
		bool seen = false;
		for (size_t i = 0; i < c->nrows && !seen; i++)
			seen = c->rows[i].counters[k].present;
		if (!seen) {
			bool skipped_only = true;
			for (size_t i = 0; i < c->nrows; i++)
				if (c->rows[i].verdict != MMB_VERDICT_SKIPPED)
					skipped_only = false;
			if (skipped_only)
				continue;
			rc = mmb_seterr(MMB_EINVAL, 0,
					"--counter %s: no benchmark has a "
					"counter named \"%s\" in both files",
					opts->counters[k].name,
					opts->counters[k].name);
			goto err_free;
		}
	}
	for (size_t i = 0; i < sizeof(ctx_keys) / sizeof(ctx_keys[0]); i++) {
		const struct mmb_rval *a = mmb_results_ctx(base, ctx_keys[i]);
		const struct mmb_rval *b = mmb_results_ctx(cur, ctx_keys[i]);
		if (ctx_differs(a, b) &&
		    add_warning(c,
				"the runs differ in context.%s (%s vs %s): "
				"times and counters may not be comparable",
				ctx_keys[i], a->text, b->text) < 0)
			goto err_nomem;
	}
	if (c->nonly_old &&
	    add_warning(c, "%zu benchmark(s) of %s missing from %s, e.g. %s",
			c->nonly_old, base->path, cur->path,
			c->only_old[0]) < 0)
		goto err_nomem;
	side_free(&dold);
	side_free(&dnew);
	*out = c;
	return 0;

err_nomem:
	rc = mmb_seterr(MMB_ENOMEM, ENOMEM, "compare");
err_free:
	side_free(&dold);
	side_free(&dnew);
	mmb_comparison_free(c);
	return rc;
}
