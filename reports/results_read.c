/* results_read.c - load a results JSON file (docs/results.md) into the
 * report model of mmbench/report.h. Input is untrusted: every problem becomes
 * MMB_EPARSE with a message that names the file and what is wrong. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mmbench/report.h"
#include "mmbench/result.h"
#include "report_priv.h"

/* Numbers of an entry that fold into the backend's fields: the median
 * aggregate sets them; without one, the median over the iterations. */
static const struct {
	const char *key;
	size_t off;
} fields[] = {
#define F(k, m)                                           \
	{                                                 \
		k, offsetof(struct mmb_report_backend, m) \
	}
    F("items_per_second", ops_per_s),
    F("bytes_per_second", bytes_per_s),
    F("minor_faults", minor_faults),
    F("major_faults", major_faults),
    F("faults", faults),
    F("pages_touched", pages_touched),
    F("pages_per_fault", pages_per_fault),
    F("resident_before", resident_before),
    F("file_pmd_mapped_kb", file_pmd_mapped_kb),
    F("anon_huge_kb", anon_huge_kb),
    F("setup_ns", setup_ns),
    F("real_time", real_time_ns),
    F("lat_mean_ns", lat_mean_ns),
    F("lat_p50_ns", lat_p50_ns),
    F("lat_p90_ns", lat_p90_ns),
    F("lat_p99_ns", lat_p99_ns),
    F("lat_p999_ns", lat_p999_ns),
    F("lat_max_ns", lat_max_ns),
    F("dev_read_bytes", dev_read_bytes),
    F("dev_write_bytes", dev_write_bytes),
    F("read_amp", read_amp),
    F("write_amp", write_amp),
    F("disk_read_bytes", disk_read_bytes),
    F("disk_write_bytes", disk_write_bytes),
#undef F
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* Per-backend state while loading: iteration values of every field. */
struct acc {
	double *v[NFIELDS];
	size_t n, cap;
	int has_median;
};

static double *field(struct mmb_report_backend *b, size_t i)
{
	return (double *)((char *)b + fields[i].off);
}

int mmb__report_err(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

/* mmb_read_file, with this reader's wording in err ("PATH: cannot open:
 * REASON") and MMB_EPARSE for a file that is not there to parse. */
static int read_all(const char *path, char **buf, size_t *len, char *err,
		    size_t errlen)
{
	const struct mmb_errctx *e;

	if (mmb_read_file(path, buf, len) == 0)
		return 0;
	e = mmb_last_error();
	if (e->code == MMB_ENOMEM)
		return mmb__report_err(err, errlen, MMB_ENOMEM,
				       "%s: out of memory", path);
	return mmb__report_err(
	    err, errlen, MMB_EPARSE, "%s: %s: %s", path,
	    strncmp(e->call, "open(", 5) == 0 ? "cannot open" : "read failed",
	    mmb_strerror(e->code));
}

static int only_space(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return 0;
	return 1;
}

/* Whether the text ends inside a string or an unclosed object/array,
 * which is what a file cut short (a run killed mid-write) looks like. */
static int ends_open(const char *p, const char *end)
{
	int depth = 0, in_str = 0;

	for (; p < end; p++) {
		if (in_str) {
			if (*p == '\\' && p + 1 < end)
				p++;
			else if (*p == '"')
				in_str = 0;
		} else if (*p == '"') {
			in_str = 1;
		} else if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			depth--;
		}
	}
	return in_str || depth > 0;
}

static void line_col(const char *buf, const char *at, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (const char *p = buf; p < at; p++) {
		if (*p == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
}

static double num_or_nan(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *str_or_null(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of the non-NaN values; NaN when there are none. Sorts v. */
static double median(double *v, size_t n)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			v[m++] = v[i];
	if (m == 0)
		return NAN;
	qsort(v, m, sizeof(*v), cmp_double);
	return m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
}

static int load_context(const cJSON *ctx, struct mmb_report_results *r)
{
	size_t n = 0;
	const cJSON *it;

	cJSON_ArrayForEach(it, ctx) n++;
	if (n == 0)
		return 0;
	r->ctx = calloc(n, sizeof(*r->ctx));
	if (!r->ctx)
		return MMB_ENOMEM;
	cJSON_ArrayForEach(it, ctx)
	{
		struct mmb_report_ctx *c = &r->ctx[r->nctx];
		char num[64];
		char *text;

		if (cJSON_IsString(it)) {
			text = xstrdup(it->valuestring);
		} else if (cJSON_IsNumber(it)) {
			snprintf(num, sizeof(num), "%.15g", it->valuedouble);
			text = xstrdup(num);
			c->is_number = 1;
			c->number = it->valuedouble;
		} else if (cJSON_IsBool(it)) {
			text = xstrdup(cJSON_IsTrue(it) ? "true" : "false");
		} else if (cJSON_IsNull(it)) {
			text = xstrdup("null");
		} else {
			text = cJSON_PrintUnformatted(it);
		}
		c->key = xstrdup(it->string ? it->string : "");
		c->text = text;
		r->nctx++;
		if (!c->key || !c->text)
			return MMB_ENOMEM;
	}
	return 0;
}

/* "a/b" -> part before and after the last '/'. */
static void split_name(const char *name, char **wl, char **be)
{
	const char *slash = strrchr(name, '/');

	if (slash) {
		*wl = malloc((size_t)(slash - name) + 1);
		if (*wl) {
			memcpy(*wl, name, (size_t)(slash - name));
			(*wl)[slash - name] = '\0';
		}
		*be = xstrdup(slash + 1);
	} else {
		*wl = xstrdup("");
		*be = xstrdup(name);
	}
}

static double time_scale(const cJSON *e)
{
	const char *u = str_or_null(e, "time_unit");

	if (!u || strcmp(u, "ns") == 0)
		return 1;
	if (strcmp(u, "us") == 0)
		return 1e3;
	if (strcmp(u, "ms") == 0)
		return 1e6;
	if (strcmp(u, "s") == 0)
		return 1e9;
	return NAN;
}

static int load_hist(const char *path, size_t idx, const cJSON *h,
		     struct mmb_report_backend *b, char *err, size_t errlen)
{
	int n = cJSON_GetArraySize(h), i = 0;
	const cJSON *pair;

	if (!cJSON_IsArray(h))
		return mmb__report_err(err, errlen, MMB_EPARSE,
				       "%s: benchmarks[%zu].latency_histogram "
				       "is not an array",
				       path, idx);
	free(b->hist);
	b->hist = NULL;
	b->nhist = 0;
	if (n == 0)
		return 0;
	b->hist = calloc((size_t)n, sizeof(*b->hist));
	if (!b->hist)
		return MMB_ENOMEM;
	cJSON_ArrayForEach(pair, h)
	{
		const cJSON *u = cJSON_GetArrayItem(pair, 0);
		const cJSON *c = cJSON_GetArrayItem(pair, 1);

		if (!cJSON_IsArray(pair) || cJSON_GetArraySize(pair) != 2 ||
		    !cJSON_IsNumber(u) || !cJSON_IsNumber(c) ||
		    c->valuedouble < 0 ||
		    (i > 0 && u->valuedouble <= b->hist[i - 1].upper_ns))
			return mmb__report_err(
			    err, errlen, MMB_EPARSE,
			    "%s: benchmarks[%zu].latency_histogram[%d] is "
			    "not an [upper_bound_ns, count] pair in "
			    "increasing order",
			    path, idx, i);
		b->hist[i].upper_ns = u->valuedouble;
		b->hist[i].count = c->valuedouble;
		i++;
	}
	b->nhist = (size_t)i;
	return 0;
}

/* The median entry's "timeseries": an array of sample objects. */
static int load_timeseries(const char *path, size_t idx, const cJSON *e,
			   struct mmb_report_backend *b, char *err,
			   size_t errlen)
{
	const cJSON *ts = cJSON_GetObjectItemCaseSensitive(e, "timeseries");
	const cJSON *rep =
	    cJSON_GetObjectItemCaseSensitive(e, "timeseries_rep");
	const cJSON *s;
	size_t i = 0;
	int n;

	if (!ts || cJSON_IsNull(ts))
		return 0;
	if (!cJSON_IsArray(ts))
		return mmb__report_err(err, errlen, MMB_EPARSE,
				       "%s: benchmarks[%zu].timeseries is not "
				       "an array",
				       path, idx);
	free(b->ts);
	b->ts = NULL;
	b->nts = 0;
	b->ts_rep = cJSON_IsNumber(rep) ? rep->valueint : -1;
	n = cJSON_GetArraySize(ts);
	if (n == 0)
		return 0;
	b->ts = calloc((size_t)n, sizeof(*b->ts));
	if (!b->ts)
		return MMB_ENOMEM;
	cJSON_ArrayForEach(s, ts)
	{
		struct mmb_report_sample *o = &b->ts[i];

		if (!cJSON_IsObject(s))
			return mmb__report_err(
			    err, errlen, MMB_EPARSE,
			    "%s: benchmarks[%zu].timeseries[%zu] is not an "
			    "object",
			    path, idx, i);
		o->t_s = num_or_nan(s, "t_s");
		o->ops = num_or_nan(s, "ops");
		o->ops_per_s = num_or_nan(s, "ops_per_s");
		o->minor_faults = num_or_nan(s, "minor_faults");
		o->major_faults = num_or_nan(s, "major_faults");
		o->resident_pages = num_or_nan(s, "resident_pages");
		o->tlb_shootdowns = num_or_nan(s, "tlb_shootdowns");
		i++;
	}
	b->nts = i;
	return 0;
}

static void backend_init(struct mmb_report_backend *b)
{
	memset(b, 0, sizeof(*b));
	b->ops_stddev = NAN;
	b->sweep_value = NAN;
	b->ts_rep = -1;
	for (size_t i = 0; i < NFIELDS; i++)
		*field(b, i) = NAN;
}

static int acc_push(struct acc *a, struct mmb_report_backend *b, const cJSON *e)
{
	double ts = time_scale(e);

	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 8;

		for (size_t i = 0; i < NFIELDS; i++) {
			double *q = realloc(a->v[i], cap * sizeof(double));

			if (!q)
				return MMB_ENOMEM;
			a->v[i] = q;
		}
		a->cap = cap;
		double *o = realloc(b->rep_ops, cap * sizeof(double));
		if (!o)
			return MMB_ENOMEM;
		b->rep_ops = o;
		o = realloc(b->rep_bytes, cap * sizeof(double));
		if (!o)
			return MMB_ENOMEM;
		b->rep_bytes = o;
	}
	for (size_t i = 0; i < NFIELDS; i++) {
		double v = num_or_nan(e, fields[i].key);

		if (strcmp(fields[i].key, "real_time") == 0)
			v *= ts;
		a->v[i][a->n] = v;
	}
	b->rep_ops[a->n] = num_or_nan(e, "items_per_second");
	b->rep_bytes[a->n] = num_or_nan(e, "bytes_per_second");
	a->n++;
	b->nreps = a->n;
	return 0;
}

static int fold_entry(const char *path, size_t idx, const cJSON *e,
		      struct mmb_report_backend *b, struct acc *a, char *err,
		      size_t errlen)
{
	const char *rt = str_or_null(e, "run_type");
	const char *agg = str_or_null(e, "aggregate_name");
	int skipped =
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "skipped")) ||
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "error_occurred"));

	if (skipped) {
		const char *msg = str_or_null(e, "error_message");

		b->skipped = 1;
		if (!b->reason) {
			b->reason = xstrdup(msg ? msg : "skipped");
			if (!b->reason)
				return MMB_ENOMEM;
		}
		return 0;
	}
	/* null counts: the file knows the field, this machine could not
	 * measure it. */
	if (cJSON_GetObjectItemCaseSensitive(e, "dev_read_bytes"))
		b->has_io = 1;
	if (!rt || strcmp(rt, "aggregate") != 0)
		return acc_push(a, b, e);
	if (!agg)
		return 0;
	if (strcmp(agg, "median") == 0) {
		double ts = time_scale(e);
		const cJSON *h;

		for (size_t i = 0; i < NFIELDS; i++) {
			double v = num_or_nan(e, fields[i].key);

			if (strcmp(fields[i].key, "real_time") == 0)
				v *= ts;
			*field(b, i) = v;
		}
		a->has_median = 1;
		h = cJSON_GetObjectItemCaseSensitive(e, "latency_histogram");
		if (h) {
			int rc = load_hist(path, idx, h, b, err, errlen);

			if (rc)
				return rc;
		}
		return load_timeseries(path, idx, e, b, err, errlen);
	} else if (strcmp(agg, "stddev") == 0) {
		b->ops_stddev = num_or_nan(e, "items_per_second");
	}
	return 0;
}

/* Same sweep point: equal values, or neither entry has one. */
static int same_point(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

static int find_or_add(struct mmb_report_results *r, struct acc **accs,
		       const char *wl, const char *be, double sweep_value,
		       size_t *out)
{
	for (size_t i = 0; i < r->nb; i++) {
		if (strcmp(r->b[i].name, be) == 0 &&
		    strcmp(r->b[i].workload, wl) == 0 &&
		    same_point(r->b[i].sweep_value, sweep_value)) {
			*out = i;
			return 0;
		}
	}
	/* Grown one at a time: a file holds a handful of backends. */
	struct mmb_report_backend *nb =
	    realloc(r->b, (r->nb + 1) * sizeof(*r->b));
	if (!nb)
		return MMB_ENOMEM;
	r->b = nb;
	struct acc *na = realloc(*accs, (r->nb + 1) * sizeof(**accs));
	if (!na)
		return MMB_ENOMEM;
	*accs = na;
	memset(&na[r->nb], 0, sizeof(na[r->nb]));
	backend_init(&nb[r->nb]);
	nb[r->nb].name = xstrdup(be);
	nb[r->nb].workload = xstrdup(wl);
	nb[r->nb].sweep_value = sweep_value;
	*out = r->nb++;
	if (!nb[*out].name || !nb[*out].workload)
		return MMB_ENOMEM;
	return 0;
}

static int load_benchmarks(const char *path, const cJSON *arr,
			   struct mmb_report_results *r, char *err,
			   size_t errlen)
{
	struct acc *accs = NULL;
	const cJSON *e;
	size_t idx = 0;
	int rc = 0;

	cJSON_ArrayForEach(e, arr)
	{
		const char *name = str_or_null(e, "name");
		const char *be = str_or_null(e, "backend");
		const char *wl = str_or_null(e, "workload");
		const char *rn = str_or_null(e, "run_name");
		char *swl = NULL, *sbe = NULL;
		size_t bi;

		if (!cJSON_IsObject(e) || !name) {
			rc = mmb__report_err(err, errlen, MMB_EPARSE,
					     "%s: benchmarks[%zu] is not an "
					     "object with a \"name\"",
					     path, idx);
			goto out;
		}
		/* A sweep file names entries "wl/backend/param:value" and
		 * keeps "backend" and "workload" plain: the sweep value
		 * keeps its points apart. */
		split_name(rn ? rn : name, &swl, &sbe);
		if (!swl || !sbe) {
			free(swl);
			free(sbe);
			rc = MMB_ENOMEM;
			goto out;
		}
		rc = find_or_add(r, &accs, wl ? wl : swl, be ? be : sbe,
				 num_or_nan(e, "sweep_value"), &bi);
		free(swl);
		free(sbe);
		if (rc == 0)
			rc = fold_entry(path, idx, e, &r->b[bi], &accs[bi], err,
					errlen);
		if (rc)
			goto out;
		idx++;
	}
	for (size_t i = 0; i < r->nb; i++) {
		if (accs[i].has_median || accs[i].n == 0)
			continue;
		for (size_t f = 0; f < NFIELDS; f++)
			*field(&r->b[i], f) = median(accs[i].v[f], accs[i].n);
	}
out:
	for (size_t i = 0; accs && i < r->nb; i++)
		for (size_t f = 0; f < NFIELDS; f++)
			free(accs[i].v[f]);
	free(accs);
	if (rc == MMB_ENOMEM)
		mmb__report_err(err, errlen, rc, "%s: out of memory", path);
	return rc;
}

int mmb_report_load(const char *path, struct mmb_report_results *out, char *err,
		    size_t errlen)
{
	const char *end = NULL;
	const cJSON *ctx, *bench;
	cJSON *root;
	char *buf = NULL;
	size_t len = 0;
	int rc, line, col;

	memset(out, 0, sizeof(*out));
	rc = read_all(path, &buf, &len, err, errlen);
	if (rc)
		return rc;
	if (only_space(buf, buf + len)) {
		rc =
		    mmb__report_err(err, errlen, MMB_EPARSE,
				    "%s: empty file, not a results file", path);
		goto err_buf;
	}
	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (!root) {
		const char *at =
		    end && end >= buf && end <= buf + len ? end : buf;

		line_col(buf, at, &line, &col);
		rc = mmb__report_err(
		    err, errlen, MMB_EPARSE,
		    "%s: invalid JSON at line %d, column %d%s", path, line, col,
		    only_space(at, buf + len) || ends_open(buf, buf + len)
			? ": input ends early (truncated?)"
			: "");
		goto err_buf;
	}
	if (!only_space(end, buf + len)) {
		line_col(buf, end, &line, &col);
		rc = mmb__report_err(err, errlen, MMB_EPARSE,
				     "%s: unexpected data after the JSON "
				     "value at line %d, column %d",
				     path, line, col);
		goto err_root;
	}
	if (!cJSON_IsObject(root)) {
		rc =
		    mmb__report_err(err, errlen, MMB_EPARSE,
				    "%s: top level is not a JSON object", path);
		goto err_root;
	}
	bench = cJSON_GetObjectItemCaseSensitive(root, "benchmarks");
	if (!cJSON_IsArray(bench) || cJSON_GetArraySize(bench) == 0) {
		rc = mmb__report_err(err, errlen, MMB_EPARSE,
				     "%s: no benchmarks (needs a non-empty "
				     "\"benchmarks\" array)",
				     path);
		goto err_root;
	}
	ctx = cJSON_GetObjectItemCaseSensitive(root, "context");
	if (ctx && !cJSON_IsObject(ctx)) {
		rc = mmb__report_err(err, errlen, MMB_EPARSE,
				     "%s: \"context\" is not an object", path);
		goto err_root;
	}
	out->path = xstrdup(path);
	rc = out->path ? 0 : MMB_ENOMEM;
	if (rc == 0 && ctx)
		rc = load_context(ctx, out);
	if (rc == MMB_ENOMEM)
		mmb__report_err(err, errlen, rc, "%s: out of memory", path);
	if (rc == 0)
		rc = load_benchmarks(path, bench, out, err, errlen);
	if (rc)
		mmb_report_results_free(out);
err_root:
	cJSON_Delete(root);
err_buf:
	free(buf);
	return rc;
}

void mmb_report_results_free(struct mmb_report_results *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nctx; i++) {
		free(r->ctx[i].key);
		free(r->ctx[i].text);
	}
	for (size_t i = 0; i < r->nb; i++) {
		struct mmb_report_backend *b = &r->b[i];

		free(b->name);
		free(b->workload);
		free(b->reason);
		free(b->rep_ops);
		free(b->rep_bytes);
		free(b->hist);
		free(b->ts);
	}
	free(r->ctx);
	free(r->b);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

const struct mmb_report_ctx *
mmb_report_ctx_get(const struct mmb_report_results *r, const char *key)
{
	for (size_t i = 0; i < r->nctx; i++)
		if (strcmp(r->ctx[i].key, key) == 0)
			return &r->ctx[i];
	return NULL;
}
