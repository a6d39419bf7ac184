/* compare.c - read results files and gate CURRENT against a BASELINE.
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
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include <mmbench/compare.h>
#include <mmbench/result.h>

/* ---- small helpers ------------------------------------------------------ */

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* Append v to a growable array of doubles. */
static int push_double(double **arr, size_t *n, double v)
{
	/* grow at powers of two */
	if ((*n & (*n - 1)) == 0) {
		size_t cap = *n ? *n * 2 : 1;
		double *p = realloc(*arr, cap * sizeof(double));
		if (!p)
			return MMB_ENOMEM;
		*arr = p;
	}
	(*arr)[(*n)++] = v;
	return 0;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

static double median(const double *v, size_t n)
{
	if (n == 0)
		return NAN;
	double *t = malloc(n * sizeof(double));
	if (!t)
		return NAN;
	memcpy(t, v, n * sizeof(double));
	qsort(t, n, sizeof(double), cmp_double);
	double m = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2.0;
	free(t);
	return m;
}

/* Write a file atomically: temp file in the same directory, fsync, rename.
 * `emit` writes the content to the stream and returns 0 or MMB_E*. */
static int write_atomic(const char *path, int (*emit)(FILE *, const void *),
			const void *ctx)
{
	/* Rendered in memory, then written by the one atomic writer every
	 * output shares (mmb_write_file_atomic). */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return mmb_seterr(MMB_ENOMEM, errno, "write(%s)", path);
	int rc = emit(f, ctx);
	if (fclose(f) != 0 && rc >= 0)
		rc = mmb_seterr(MMB_ENOMEM, errno, "write(%s)", path);
	if (rc >= 0)
		rc = mmb_write_file_atomic(path, buf, len);
	free(buf);
	return rc;
}

/* ---- loading results files ---------------------------------------------- */

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

static bool is_counter_key(const char *k)
{
	for (size_t i = 0; non_counters[i]; i++)
		if (strcmp(k, non_counters[i]) == 0)
			return false;
	return true;
}

/* ns per unit of Google Benchmark's time_unit; 0 when unknown. */
static double unit_ns(const char *u)
{
	if (!u || strcmp(u, "ns") == 0)
		return 1.0;
	if (strcmp(u, "us") == 0)
		return 1e3;
	if (strcmp(u, "ms") == 0)
		return 1e6;
	if (strcmp(u, "s") == 0)
		return 1e9;
	return 0.0;
}

/* A benchmark while loading: its series and the fallback aggregates. */
struct loading {
	struct mmb_cmp_series s;
	double agg_median, agg_mean; /* NAN when absent */
	cJSON *agg_entry;	     /* median (or mean) entry, for counters */
	bool agg_is_median;
};

static struct loading *find_or_add(struct loading **arr, size_t *n,
				   const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*arr)[i].s.name, name) == 0)
			return &(*arr)[i];
	struct loading *p = realloc(*arr, (*n + 1) * sizeof(**arr));
	if (!p)
		return NULL;
	*arr = p;
	struct loading *l = &p[*n];
	memset(l, 0, sizeof(*l));
	l->s.name = xstrdup(name);
	if (!l->s.name)
		return NULL;
	l->agg_median = l->agg_mean = NAN;
	(*n)++;
	return l;
}

static int add_counters(struct mmb_cmp_series *s, const cJSON *entry)
{
	const cJSON *kv;
	cJSON_ArrayForEach(kv, entry)
	{
		if (!cJSON_IsNumber(kv) || !kv->string ||
		    !is_counter_key(kv->string))
			continue;
		struct mmb_cmp_counter *c = NULL;
		for (size_t i = 0; i < s->ncounters; i++)
			if (strcmp(s->counters[i].name, kv->string) == 0)
				c = &s->counters[i];
		if (!c) {
			struct mmb_cmp_counter *p = realloc(
			    s->counters, (s->ncounters + 1) * sizeof(*p));
			if (!p)
				return MMB_ENOMEM;
			s->counters = p;
			c = &p[s->ncounters];
			memset(c, 0, sizeof(*c));
			c->name = xstrdup(kv->string);
			if (!c->name)
				return MMB_ENOMEM;
			s->ncounters++;
		}
		if (push_double(&c->v, &c->n, kv->valuedouble) < 0)
			return MMB_ENOMEM;
	}
	return 0;
}

static void series_free(struct mmb_cmp_series *s)
{
	free(s->name);
	free(s->real);
	free(s->error);
	for (size_t i = 0; i < s->ncounters; i++) {
		free(s->counters[i].name);
		free(s->counters[i].v);
	}
	free(s->counters);
}

void mmb_results_free(struct mmb_results *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		series_free(&r->s[i]);
	free(r->s);
	free(r->path);
	for (size_t i = 0; i < MMB_RESULTS_CTX__COUNT; i++)
		free(r->ctx[i]);
	free(r);
}

static const char *const ctx_keys[] = {
#define X(k) #k,
    MMB_RESULTS_CTX_KEYS
#undef X
};

/* Keep the context keys that decide comparability, as text. */
static int load_context(struct mmb_results *r, const cJSON *root)
{
	const cJSON *ctx = cJSON_GetObjectItem(root, "context");
	for (size_t i = 0; cJSON_IsObject(ctx) && i < MMB_RESULTS_CTX__COUNT;
	     i++) {
		const cJSON *v = cJSON_GetObjectItem(ctx, ctx_keys[i]);
		char buf[64];
		if (cJSON_IsNumber(v))
			snprintf(buf, sizeof(buf), "%.17g", v->valuedouble);
		else if (cJSON_IsString(v))
			snprintf(buf, sizeof(buf), "%s", v->valuestring);
		else
			continue;
		if (!(r->ctx[i] = xstrdup(buf)))
			return MMB_ENOMEM;
	}
	return 0;
}

/* The benchmark's name: run_name, else name less "_<aggregate_name>". */
static int entry_name(const cJSON *e, const char *agg, char *buf, size_t len)
{
	const char *rn =
	    cJSON_GetStringValue(cJSON_GetObjectItem(e, "run_name"));
	const char *nm = cJSON_GetStringValue(cJSON_GetObjectItem(e, "name"));
	if (rn && *rn) {
		snprintf(buf, len, "%s", rn);
		return 0;
	}
	if (!nm || !*nm)
		return -1;
	snprintf(buf, len, "%s", nm);
	size_t n = strlen(buf), a = agg ? strlen(agg) : 0;
	if (a && n > a + 1 && buf[n - a - 1] == '_' &&
	    strcmp(buf + n - a, agg) == 0)
		buf[n - a - 1] = '\0';
	return 0;
}

static int load_entry(const char *path, size_t idx, const cJSON *e,
		      struct loading **arr, size_t *n)
{
	if (!cJSON_IsObject(e))
		return mmb_seterr(MMB_EPARSE, 0,
				  "%s: benchmarks[%zu] is not an object", path,
				  idx);
	const char *rt =
	    cJSON_GetStringValue(cJSON_GetObjectItem(e, "run_type"));
	const char *agg =
	    cJSON_GetStringValue(cJSON_GetObjectItem(e, "aggregate_name"));
	bool is_agg = (rt && strcmp(rt, "aggregate") == 0) || (!rt && agg);
	char name[512];
	if (entry_name(e, is_agg ? agg : NULL, name, sizeof(name)) < 0)
		return mmb_seterr(MMB_EPARSE, 0,
				  "%s: benchmarks[%zu] has no name", path, idx);
	struct loading *l = find_or_add(arr, n, name);
	if (!l)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "load(%s)", path);

	if (cJSON_IsTrue(cJSON_GetObjectItem(e, "skipped")) ||
	    cJSON_IsTrue(cJSON_GetObjectItem(e, "error_occurred"))) {
		const char *msg = cJSON_GetStringValue(
		    cJSON_GetObjectItem(e, "error_message"));
		l->s.skipped = true;
		if (!l->s.error) {
			l->s.error = xstrdup(msg ? msg : "error_occurred");
			if (!l->s.error)
				return mmb_seterr(MMB_ENOMEM, ENOMEM,
						  "load(%s)", path);
		}
		return 0;
	}
	if (is_agg && rt && strcmp(rt, "aggregate") != 0)
		is_agg = false;

	const cJSON *rtime = cJSON_GetObjectItem(e, "real_time");
	const char *unit =
	    cJSON_GetStringValue(cJSON_GetObjectItem(e, "time_unit"));
	double scale = unit_ns(unit);
	if (!cJSON_IsNumber(rtime))
		return mmb_seterr(MMB_EPARSE, 0,
				  "%s: benchmarks[%zu] (%s) has no numeric "
				  "real_time",
				  path, idx, name);
	if (scale == 0.0)
		return mmb_seterr(MMB_EPARSE, 0,
				  "%s: benchmarks[%zu] (%s): unknown time_unit "
				  "\"%s\"",
				  path, idx, name, unit);
	double t = rtime->valuedouble * scale;

	if (is_agg) {
		/* Kept only as a fallback for files without repetitions
		 * (--benchmark_report_aggregates_only). Some aggregates are
		 * not times (the coefficient of variation "cv" has unit
		 * "percentage"), so only median and mean are used. */
		if (agg && strcmp(agg, "median") == 0) {
			l->agg_median = t;
			l->agg_entry = (cJSON *)e;
			l->agg_is_median = true;
		} else if (agg && strcmp(agg, "mean") == 0) {
			l->agg_mean = t;
			if (!l->agg_is_median)
				l->agg_entry = (cJSON *)e;
		}
		return 0;
	}
	if (push_double(&l->s.real, &l->s.n, t) < 0 ||
	    add_counters(&l->s, e) < 0)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "load(%s)", path);
	return 0;
}

int mmb_results_load(const char *path, struct mmb_results **out)
{
	char *text;
	size_t len;
	int rc = mmb_read_file(path, &text, &len);
	if (rc < 0)
		return rc;

	size_t ws = strspn(text, " \t\r\n");
	if (ws == len) {
		free(text);
		return mmb_seterr(MMB_EPARSE, 0, "%s: empty file", path);
	}
	cJSON *root = cJSON_ParseWithLength(text, len);
	if (!root) {
		const char *at = cJSON_GetErrorPtr();
		size_t off = at && at >= text && at <= text + len
				 ? (size_t)(at - text)
				 : 0;
		free(text);
		return mmb_seterr(MMB_EPARSE, 0,
				  "%s: not valid JSON (error near byte %zu)",
				  path, off);
	}
	free(text);

	const cJSON *benches = cJSON_GetObjectItem(root, "benchmarks");
	if (!cJSON_IsArray(benches)) {
		cJSON_Delete(root);
		return mmb_seterr(MMB_EPARSE, 0,
				  "%s: no \"benchmarks\" array: not an mmbench "
				  "or Google Benchmark results file",
				  path);
	}

	struct loading *arr = NULL;
	size_t n = 0, idx = 0;
	const cJSON *e;
	rc = 0;
	cJSON_ArrayForEach(e, benches)
	{
		rc = load_entry(path, idx++, e, &arr, &n);
		if (rc < 0)
			break;
	}
	/* Benchmarks with only aggregates: one sample from the median. */
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct loading *l = &arr[i];
		if (l->s.n > 0 || l->s.skipped)
			continue;
		double t = !isnan(l->agg_median) ? l->agg_median : l->agg_mean;
		if (isnan(t) || push_double(&l->s.real, &l->s.n, t) < 0 ||
		    (l->agg_entry && add_counters(&l->s, l->agg_entry) < 0)) {
			rc = isnan(t) ? mmb_seterr(MMB_EPARSE, 0,
						   "%s: %s has neither "
						   "repetitions nor a median",
						   path, l->s.name)
				      : mmb_seterr(MMB_ENOMEM, ENOMEM,
						   "load(%s)", path);
			break;
		}
		l->s.from_aggregate = true;
	}
	if (rc == 0 && n == 0)
		rc = mmb_seterr(MMB_EPARSE, 0, "%s: no benchmarks in the file",
				path);

	struct mmb_results *r = NULL;
	if (rc == 0) {
		r = calloc(1, sizeof(*r));
		if (r)
			r->s = calloc(n, sizeof(*r->s));
		if (r)
			r->path = xstrdup(path);
		if (!r || !r->s || !r->path) {
			if (r) {
				free(r->s);
				free(r->path);
				free(r);
			}
			r = NULL;
			rc = mmb_seterr(MMB_ENOMEM, ENOMEM, "load(%s)", path);
		} else if (load_context(r, root) < 0) {
			rc = mmb_seterr(MMB_ENOMEM, ENOMEM, "load(%s)", path);
		}
	}
	cJSON_Delete(root);
	for (size_t i = 0; i < n; i++) {
		if (r)
			r->s[i] = arr[i].s;
		else
			series_free(&arr[i].s);
	}
	free(arr);
	if (rc < 0) {
		if (r) {
			r->n = n;
			mmb_results_free(r);
		}
		return rc;
	}
	r->n = n;
	*out = r;
	return 0;
}

const struct mmb_cmp_series *mmb_results_find(const struct mmb_results *r,
					      const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->s[i].name, name) == 0)
			return &r->s[i];
	return NULL;
}

static const struct mmb_cmp_counter *
find_counter(const struct mmb_cmp_series *s, const char *name)
{
	for (size_t i = 0; i < s->ncounters; i++)
		if (strcmp(s->counters[i].name, name) == 0)
			return &s->counters[i];
	return NULL;
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
	char *end;
	errno = 0;
	double v = strtod(colon + 1, &end);
	g->relative = *end == '%';
	if (g->relative)
		end++;
	if (end == colon + 1 || *end != '\0' || errno || !isfinite(v) || v < 0)
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

/* Median real_time of the normalization reference in r (> 0). */
static int ref_scale(const struct mmb_results *r, const char *ref,
		     double *scale)
{
	const struct mmb_cmp_series *s = mmb_results_find(r, ref);
	if (!s)
		return mmb_seterr(MMB_EINVAL, 0,
				  "--normalize %s: no such benchmark in %s",
				  ref, r->path);
	if (s->skipped)
		return mmb_seterr(MMB_EINVAL, 0,
				  "--normalize %s: skipped in %s (%s)", ref,
				  r->path, s->error ? s->error : "");
	double m = median(s->real, s->n);
	if (!(m > 0.0))
		return mmb_seterr(MMB_EINVAL, 0,
				  "--normalize %s: median time in %s is not "
				  "positive",
				  ref, r->path);
	*scale = m;
	return 0;
}

static int compare_times(struct mmb_comparison *c, struct mmb_cmp_row *row,
			 const struct mmb_cmp_series *o,
			 const struct mmb_cmp_series *n, double so, double sn)
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
	row->old_med = median(a, o->n);
	row->new_med = median(b, n->n);
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

static void compare_counters(struct mmb_comparison *c, struct mmb_cmp_row *row,
			     const struct mmb_cmp_series *o,
			     const struct mmb_cmp_series *n)
{
	for (size_t k = 0; k < c->opts.ncounters; k++) {
		const struct mmb_counter_gate *g = &c->opts.counters[k];
		struct mmb_counter_cmp *cc = &row->counters[k];
		cc->name = g->name;
		const struct mmb_cmp_counter *co = find_counter(o, g->name);
		const struct mmb_cmp_counter *cn = find_counter(n, g->name);
		if (!co || !cn || co->n == 0 || cn->n == 0)
			continue;
		cc->present = true;
		cc->old_med = median(co->v, co->n);
		cc->new_med = median(cn->v, cn->n);
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
	int rc;
	if (opts->normalize) {
		if ((rc = ref_scale(base, opts->normalize, &so)) < 0 ||
		    (rc = ref_scale(cur, opts->normalize, &sn)) < 0)
			return rc;
	}

	struct mmb_comparison *c = calloc(1, sizeof(*c));
	if (!c)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "compare");
	c->opts = *opts;
	c->old_path = base->path;
	c->new_path = cur->path;
	c->rows = calloc(base->n, sizeof(*c->rows));
	c->only_old = calloc(base->n, sizeof(char *));
	c->only_new = calloc(cur->n, sizeof(char *));
	if (!c->rows || !c->only_old || !c->only_new)
		goto err_nomem;

	for (size_t i = 0; i < cur->n; i++)
		if (!mmb_results_find(base, cur->s[i].name))
			c->only_new[c->nonly_new++] = cur->s[i].name;
	for (size_t i = 0; i < base->n; i++) {
		const struct mmb_cmp_series *o = &base->s[i];
		const struct mmb_cmp_series *n = mmb_results_find(cur, o->name);
		if (!n) {
			c->only_old[c->nonly_old++] = o->name;
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
		compare_counters(c, row, o, n);
		if (row->failed)
			c->regression = true;
	}

	if (c->nrows == 0) {
		rc = mmb_seterr(MMB_EINVAL, 0,
				"no benchmark in common between %s (first: "
				"%s) and %s (first: %s)",
				base->path, base->n ? base->s[0].name : "-",
				cur->path, cur->n ? cur->s[0].name : "-");
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
	for (size_t i = 0; i < MMB_RESULTS_CTX__COUNT; i++)
		if (base->ctx[i] && cur->ctx[i] &&
		    strcmp(base->ctx[i], cur->ctx[i]) != 0 &&
		    add_warning(c,
				"the runs differ in context.%s (%s vs %s): "
				"times and counters may not be comparable",
				ctx_keys[i], base->ctx[i], cur->ctx[i]) < 0)
			goto err_nomem;
	if (c->nonly_old &&
	    add_warning(c, "%zu benchmark(s) of %s missing from %s, e.g. %s",
			c->nonly_old, base->path, cur->path,
			c->only_old[0]) < 0)
		goto err_nomem;
	*out = c;
	return 0;

err_nomem:
	rc = mmb_seterr(MMB_ENOMEM, ENOMEM, "compare");
err_free:
	mmb_comparison_free(c);
	return rc;
}

/* ---- output ------------------------------------------------------------- */

/* "12.3 us" for a time in ns, or "0.8123" for a normalized ratio. */
static void fmt_time(char *buf, size_t len, double v, bool normalized)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (normalized)
		snprintf(buf, len, "%.4g", v);
	else if (v >= 1e9)
		snprintf(buf, len, "%.3g s", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, len, "%.3g ms", v / 1e6);
	else if (v >= 1e3)
		snprintf(buf, len, "%.3g us", v / 1e3);
	else
		snprintf(buf, len, "%.3g ns", v);
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
		size_t l = strlen(c->rows[i].name);
		w = l > w ? l : w;
	}
	fprintf(f, "baseline: %s\ncurrent:  %s\n", c->old_path, c->new_path);
	if (norm)
		fprintf(f,
			"times divided by the median time of %s in the "
			"same file\n",
			c->opts.normalize);
	fprintf(f, "%-*s  %10s  %10s  %8s  %8s  %-6s  %-7s  %s\n", (int)w,
		"benchmark", "old", "new", "change", "p-value", "test", "reps",
		"verdict");
	for (size_t i = 0; i < c->nrows; i++) {
		const struct mmb_cmp_row *r = &c->rows[i];
		char o[32], n[32], ch[32], p[32], reps[32];
		snprintf(reps, sizeof(reps), "%zu/%zu", r->n_old, r->n_new);
		if (r->verdict == MMB_VERDICT_SKIPPED) {
			fprintf(f,
				"%-*s  %10s  %10s  %8s  %8s  %-6s  %-7s  %s\n",
				(int)w, r->name, "-", "-", "-", "-", "-", reps,
				"skipped");
			continue;
		}
		fmt_time(o, sizeof(o), r->old_med, norm);
		fmt_time(n, sizeof(n), r->new_med, norm);
		fmt_change(ch, sizeof(ch), r->change);
		fmt_p(p, sizeof(p), r->u.p);
		fprintf(f, "%-*s  %10s  %10s  %8s  %8s  %-6s  %-7s  %s\n",
			(int)w, r->name, o, n, ch, p,
			r->u.method == MMB_UTEST_EXACT ? "exact" : "normal",
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
			fprintf(f, "  %-*s  %10s  %10s  %8s  %-17s  %s\n",
				(int)w - 2, cc->name, ov, nv, ch, lim,
				cc->failed ? "COUNTER REGRESSION" : "ok");
		}
	}
	for (size_t i = 0; i < c->nonly_new; i++)
		fprintf(f, "new (not in baseline): %s\n", c->only_new[i]);
	for (size_t i = 0; i < c->nonly_old; i++)
		fprintf(f, "gone (only in baseline): %s\n", c->only_old[i]);
	for (size_t i = 0; i < c->nwarnings; i++)
		fprintf(f, "warning: %s\n", c->warnings[i]);
	char buf[256];
	fprintf(f, "%s\n", summary(c, buf, sizeof(buf)));
}

/* cJSON cannot represent inf/NaN; write null for them. */
static cJSON *num(double v)
{
	return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

static cJSON *to_json(const struct mmb_comparison *c)
{
	cJSON *root = cJSON_CreateObject();
	if (!root)
		return NULL;
	cJSON_AddStringToObject(root, "baseline", c->old_path);
	cJSON_AddStringToObject(root, "current", c->new_path);
	cJSON_AddStringToObject(root, "result",
				c->regression ? "regression" : "pass");
	cJSON_AddNumberToObject(root, "threshold", c->opts.threshold);
	cJSON_AddNumberToObject(root, "alpha", c->opts.alpha);
	if (c->opts.normalize)
		cJSON_AddStringToObject(root, "normalize", c->opts.normalize);
	else
		cJSON_AddNullToObject(root, "normalize");
	cJSON *rows = cJSON_AddArrayToObject(root, "benchmarks");
	for (size_t i = 0; rows && i < c->nrows; i++) {
		const struct mmb_cmp_row *r = &c->rows[i];
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(rows, o))
			break;
		cJSON_AddStringToObject(o, "name", r->name);
		cJSON_AddStringToObject(o, "verdict",
					mmb_verdict_name(r->verdict));
		cJSON_AddBoolToObject(o, "failed", r->failed);
		cJSON_AddNumberToObject(o, "repetitions_old", (double)r->n_old);
		cJSON_AddNumberToObject(o, "repetitions_new", (double)r->n_new);
		if (r->verdict == MMB_VERDICT_SKIPPED)
			continue;
		cJSON_AddStringToObject(o, "unit",
					c->opts.normalize ? "ratio" : "ns");
		cJSON_AddItemToObject(o, "old_median", num(r->old_med));
		cJSON_AddItemToObject(o, "new_median", num(r->new_med));
		cJSON_AddItemToObject(o, "change", num(r->change));
		cJSON_AddItemToObject(o, "u", num(r->u.u));
		cJSON_AddItemToObject(o, "p_value", num(r->u.p));
		cJSON_AddStringToObject(
		    o, "test",
		    r->u.method == MMB_UTEST_EXACT ? "exact" : "normal");
		cJSON *cs = cJSON_AddArrayToObject(o, "counters");
		for (size_t k = 0; cs && k < c->opts.ncounters; k++) {
			const struct mmb_counter_cmp *cc = &r->counters[k];
			if (!cc->present)
				continue;
			cJSON *co = cJSON_CreateObject();
			if (!co || !cJSON_AddItemToArray(cs, co))
				break;
			cJSON_AddStringToObject(co, "name", cc->name);
			cJSON_AddItemToObject(co, "old_median",
					      num(cc->old_med));
			cJSON_AddItemToObject(co, "new_median",
					      num(cc->new_med));
			cJSON_AddItemToObject(co, "change", num(cc->change));
			cJSON_AddBoolToObject(co, "failed", cc->failed);
		}
	}
	cJSON *w = cJSON_AddArrayToObject(root, "warnings");
	for (size_t i = 0; w && i < c->nwarnings; i++)
		cJSON_AddItemToArray(w, cJSON_CreateString(c->warnings[i]));
	cJSON *on = cJSON_AddArrayToObject(root, "only_in_current");
	for (size_t i = 0; on && i < c->nonly_new; i++)
		cJSON_AddItemToArray(on, cJSON_CreateString(c->only_new[i]));
	cJSON *oo = cJSON_AddArrayToObject(root, "only_in_baseline");
	for (size_t i = 0; oo && i < c->nonly_old; i++)
		cJSON_AddItemToArray(oo, cJSON_CreateString(c->only_old[i]));
	return root;
}

static int emit_string(FILE *f, const void *s)
{
	if (fputs(s, f) == EOF || fputc('\n', f) == EOF)
		return mmb_seterr(MMB_EIO, errno, "write");
	return 0;
}

int mmb_comparison_write_json(const struct mmb_comparison *c, const char *path)
{
	cJSON *root = to_json(c);
	char *text = root ? cJSON_Print(root) : NULL;
	cJSON_Delete(root);
	if (!text)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "write(%s)", path);
	int rc = write_atomic(path, emit_string, text);
	cJSON_free(text);
	return rc;
}

/* Markdown cells must not contain '|'. */
static void md_cell(FILE *f, const char *s)
{
	for (; *s; s++)
		if (*s == '|')
			fputs("\\|", f);
		else
			fputc(*s, f);
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
		fputs(" Times are relative to `", f);
		md_cell(f, c->opts.normalize);
		fputs("` in the same file.", f);
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
		fputs("| `", f);
		md_cell(f, r->name);
		fprintf(f, "` | %s | %s | %s | %s | %zu/%zu | %s%s%s |\n", o, n,
			ch, p, r->n_old, r->n_new, r->failed ? "**" : "",
			mmb_verdict_name(r->verdict), r->failed ? "**" : "");
		for (size_t k = 0; k < c->opts.ncounters; k++) {
			const struct mmb_counter_cmp *cc = &r->counters[k];
			if (!cc->present)
				continue;
			fmt_change(ch, sizeof(ch), cc->change);
			fputs("| &nbsp;&nbsp;", f);
			md_cell(f, cc->name);
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
			md_cell(f, c->warnings[i]);
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

struct raw {
	const char *data;
	size_t len;
};

static int emit_raw(FILE *f, const void *ctx)
{
	const struct raw *r = ctx;
	if (fwrite(r->data, 1, r->len, f) != r->len)
		return mmb_seterr(MMB_EIO, errno, "write");
	return 0;
}

int mmb_results_copy(const char *src, const char *dst)
{
	struct mmb_results *r;
	int rc = mmb_results_load(src, &r);
	if (rc < 0)
		return rc;
	mmb_results_free(r);
	char *text;
	size_t len;
	if ((rc = mmb_read_file(src, &text, &len)) < 0)
		return rc;
	struct raw raw = {text, len};
	rc = write_atomic(dst, emit_raw, &raw);
	free(text);
	return rc;
}
