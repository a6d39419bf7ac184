/* SPDX-License-Identifier: MIT */
/* summary.c - what a report shows of a results model (mmbench/report.h):
 * one struct mmb_report_backend per benchmark, and the helpers the
 * renderers (gnuplot.c, html.c) and the driver (report.c) share. Calls
 * nothing of theirs; they call this. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmbench/units.h"
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

static double *field(struct mmb_report_backend *b, size_t i)
{
	return (double *)((char *)b + fields[i].off);
}

/* real_time in ns (the model converted time_unit), else the key. */
static double entry_value(const struct mmb_rentry *e, size_t i)
{
	if (strcmp(fields[i].key, "real_time") == 0)
		return e->real_ns;
	return mmb_rentry_num(e, fields[i].key);
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

static int summarize_bench(const struct mmb_results *res,
			   const struct mmb_rbench *rb,
			   struct mmb_report_backend *b, double *tmp)
{
	memset(b, 0, sizeof(*b));
	b->name = rb->backend;
	b->workload = rb->workload;
	b->sweep_value = rb->sweep_value;
	b->ops_stddev = NAN;
	b->ts_rep = -1;
	for (size_t i = 0; i < NFIELDS; i++)
		*field(b, i) = NAN;
	if (rb->skipped) {
		b->skipped = 1;
		b->reason = rb->error ? rb->error : "skipped";
		return 0;
	}
	for (size_t k = 0; k < res->ne; k++)
		if (res->e[k].bench == (size_t)(rb - res->b) &&
		    res->e[k].kind != MMB_RK_ERROR &&
		    mmb_rentry_get(&res->e[k], "dev_read_bytes"))
			b->has_io = 1; /* null counts: known, not measured */
	b->nreps = rb->nreps;
	if (rb->nreps) {
		b->rep_ops = malloc(rb->nreps * sizeof(double));
		b->rep_bytes = malloc(rb->nreps * sizeof(double));
		if (!b->rep_ops || !b->rep_bytes)
			return MMB_ENOMEM;
	}
	for (size_t k = 0; k < rb->nreps; k++) {
		const struct mmb_rentry *e = &res->e[rb->reps[k]];

		b->rep_ops[k] = mmb_rentry_num(e, "items_per_second");
		b->rep_bytes[k] = mmb_rentry_num(e, "bytes_per_second");
	}
	if (rb->stddev >= 0)
		b->ops_stddev =
		    mmb_rentry_num(&res->e[rb->stddev], "items_per_second");
	if (rb->median >= 0) {
		const struct mmb_rentry *m = &res->e[rb->median];

		for (size_t i = 0; i < NFIELDS; i++)
			*field(b, i) = entry_value(m, i);
		b->hist = m->hist;
		b->nhist = m->nhist;
		b->ts = m->ts;
		b->nts = m->nts;
		b->ts_rep = m->ts ? m->ts_rep : -1;
		return 0;
	}
	for (size_t i = 0; rb->nreps && i < NFIELDS; i++) {
		for (size_t k = 0; k < rb->nreps; k++)
			tmp[k] = entry_value(&res->e[rb->reps[k]], i);
		*field(b, i) = mmb_results_median(tmp, rb->nreps);
	}
	return 0;
}

int mmb_report_summarize(struct mmb_results *res,
			 struct mmb_report_results *out)
{
	double *tmp;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->res = res;
	out->b = calloc(res->nb ? res->nb : 1, sizeof(*out->b));
	tmp = malloc((res->ne ? res->ne : 1) * sizeof(double));
	if (!out->b || !tmp) {
		free(tmp);
		return MMB_ENOMEM;
	}
	for (size_t i = 0; i < res->nb && rc == 0; i++) {
		rc = summarize_bench(res, &res->b[i], &out->b[i], tmp);
		out->nb = i + 1;
	}
	free(tmp);
	return rc;
}

void mmb_report_results_free(struct mmb_report_results *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nb; i++) {
		free(r->b[i].rep_ops);
		free(r->b[i].rep_bytes);
	}
	free(r->b);
	mmb_results_free(r->res);
	memset(r, 0, sizeof(*r));
}

const struct mmb_rval *mmb_report_ctx_get(const struct mmb_report_results *r,
					  const char *key)
{
	return mmb_results_ctx(r->res, key);
}

/* ---- the verdict, from "verdict_data" ----------------------------------- */

static double num_at(const struct mmb_rval *arr, size_t i)
{
	const struct mmb_rval *x = mmb_rval_at(arr, i);

	return x && x->type == MMB_RT_NUMBER ? x->num : NAN;
}

static double vnum(const struct mmb_rval *o, const char *key)
{
	const struct mmb_rval *x = mmb_rval_get(o, key);

	return x && x->type == MMB_RT_NUMBER ? x->num : NAN;
}

static bool vbool(const struct mmb_rval *o, const char *key)
{
	const struct mmb_rval *x = mmb_rval_get(o, key);

	return x && x->type == MMB_RT_BOOL && x->num == 1;
}

/* The index of name in the list names(0..count), or -1. */
static int vname(const struct mmb_rval *o, const char *key,
		 const char *(*names)(int), int count)
{
	const struct mmb_rval *x = mmb_rval_get(o, key);

	for (int i = 0; x && x->type == MMB_RT_STRING && i < count; i++)
		if (strcmp(x->text, names(i)) == 0)
			return i;
	return -1;
}

static const char *decision_name(int i)
{
	return mmb_rv_decision_name((enum mmb_rv_decision)i);
}

static const char *rule_name(int i)
{
	return mmb_rv_rule_name((enum mmb_rv_rule)i);
}

static const char *note_name(int i)
{
	return mmb_rv_note_name((enum mmb_rv_note_code)i);
}

/* A side; false when present but without its backend's name. */
static bool vside(const struct mmb_rval *o, const char *key,
		  struct mmb_rv_side *s)
{
	const struct mmb_rval *x = mmb_rval_get(o, key), *name;
	double i;

	if (!x)
		return true;
	name = mmb_rval_get(x, "backend");
	if (x->type != MMB_RT_OBJECT || !name || name->type != MMB_RT_STRING)
		return false;
	i = vnum(x, "index");
	s->index = isfinite(i) && i >= 0 && i < 1e6 ? (int)i : 0;
	snprintf(s->name, sizeof(s->name), "%s", name->text);
	s->mapped = vbool(x, "mapped");
	i = vnum(x, "reps");
	s->reps = isfinite(i) && i >= 0 && i < 1e9 ? (unsigned)i : 0;
	s->ops_per_s = vnum(x, "ops_per_s");
	return true;
}

/* A comparison; false when present but unreadable. */
static bool vcmp(const struct mmb_rval *o, const char *key,
		 struct mmb_rv_cmp *c)
{
	const struct mmb_rval *x = mmb_rval_get(o, key);
	int d, rule;

	if (!x)
		return true;
	d = vname(x, "decision", decision_name, MMB_RV__DECISIONS);
	rule = vname(x, "rule", rule_name, MMB_RV__RULES);
	if (d < 0 || rule < 0)
		return false;
	c->decision = (enum mmb_rv_decision)d;
	c->rule = (enum mmb_rv_rule)rule;
	c->ratio = vnum(x, "ratio");
	c->p = vnum(x, "p");
	c->overlap = vbool(x, "ranges_overlap");
	for (size_t i = 0; i < 2; i++) {
		double n = num_at(mmb_rval_get(x, "reps"), i);
		c->reps[i] = isfinite(n) && n >= 0 && n < 1e9 ? (unsigned)n : 0;
	}
	return true;
}

static void vterms(const struct mmb_rval *arr, struct mmb_run_verdict *v)
{
	for (size_t i = 0; arr && i < arr->nkid; i++) {
		const struct mmb_rval *t = mmb_rval_at(arr, i);
		const struct mmb_rval *key = mmb_rval_get(t, "key");

		for (unsigned k = 0;
		     key && key->type == MMB_RT_STRING && k < MMB_RV__TERMS;
		     k++) {
			if (strcmp(key->text, mmb_rv_term_key(k)) != 0)
				continue;
			v->term[k].winner = vnum(t, "winner");
			v->term[k].ref = vnum(t, "reference");
		}
	}
}

static void vnotes(const struct mmb_rval *arr, struct mmb_run_verdict *v)
{
	for (size_t i = 0; arr && i < arr->nkid; i++) {
		const struct mmb_rval *x = mmb_rval_at(arr, i);
		const struct mmb_rval *b = mmb_rval_get(x, "backend");
		int code = vname(x, "code", note_name, MMB_RV__NOTES);
		struct mmb_rv_note *n;

		/* A code of a later mmbench: nothing to render it by. */
		if (code < 0 || v->nnotes == MMB_RV_NOTES_MAX)
			continue;
		n = &v->note[v->nnotes++];
		n->code = (enum mmb_rv_note_code)code;
		snprintf(n->backend, sizeof(n->backend), "%s",
			 b && b->type == MMB_RT_STRING ? b->text : "");
		n->value = vnum(x, "value");
		n->other = vnum(x, "other");
	}
}

int mmb_report_verdict(const struct mmb_report_results *r,
		       struct mmb_run_verdict *v)
{
	const struct mmb_rval *o = mmb_report_ctx_get(r, "verdict_data");
	const struct mmb_rval *cache;
	int d;

	mmb_run_verdict_clear(v);
	if (!o)
		return MMB_ENOENT;
	if (o->type != MMB_RT_OBJECT)
		return MMB_EPARSE;
	d = vname(o, "decision", decision_name, MMB_RV__DECISIONS);
	if (d < 0 || !vside(o, "winner", &v->winner) ||
	    !vside(o, "runner_up", &v->runner_up) ||
	    !vside(o, "pread", &v->pread) || !vside(o, "reference", &v->ref) ||
	    !vcmp(o, "vs_runner_up", &v->vs_runner_up) ||
	    !vcmp(o, "vs_pread", &v->vs_pread))
		goto bad;
	v->decision = (enum mmb_rv_decision)d;
	/* What the renderer reads must be there for the decision. */
	if (d != MMB_RV_NONE_RAN && v->winner.index < 0)
		goto bad;
	if (d != MMB_RV_NONE_RAN && d != MMB_RV_ONLY_ONE &&
	    (v->runner_up.index < 0 || v->ref.index < 0 ||
	     v->vs_runner_up.rule == MMB_RV_NO_RULE ||
	     (v->pread.index >= 0) != (v->vs_pread.rule != MMB_RV_NO_RULE)))
		goto bad;
	v->both_ops_per_s = vnum(o, "both_ops_per_s");
	v->both_vs_pread = vnum(o, "both_vs_pread");
	v->faster_than_ref = vbool(o, "faster_than_reference");
	cache = mmb_rval_get(o, "cache");
	if (cache && cache->type == MMB_RT_STRING)
		snprintf(v->cache, sizeof(v->cache), "%s", cache->text);
	/* What was compared: from the context, as the run took it. */
	const struct mmb_rval *x = mmb_report_ctx_get(r, "workload");
	if (x && x->type == MMB_RT_STRING)
		snprintf(v->workload, sizeof(v->workload), "%s", x->text);
	if ((x = mmb_report_ctx_get(r, "access")) && x->type == MMB_RT_STRING)
		snprintf(v->access, sizeof(v->access), "%s", x->text);
	if ((x = mmb_report_ctx_get(r, "block_size")) &&
	    x->type == MMB_RT_NUMBER && x->num >= 0)
		v->block_size = (uint64_t)x->num;
	if ((x = mmb_report_ctx_get(r, "file_size")) &&
	    x->type == MMB_RT_NUMBER && x->num >= 0)
		v->file_size = (uint64_t)x->num;
	vterms(mmb_rval_get(o, "terms"), v);
	vnotes(mmb_rval_get(o, "notes"), v);
	return 0;
bad:
	mmb_run_verdict_clear(v);
	return MMB_EPARSE;
}

/* ---- shared by the renderers -------------------------------------------- */

const char *mmb__ops_range(const struct mmb_report_backend *b, double *lo,
			   double *hi)
{
	double mn = INFINITY, mx = -INFINITY;

	for (size_t i = 0; i < b->nreps; i++) {
		if (!isfinite(b->rep_ops[i]))
			continue;
		mn = fmin(mn, b->rep_ops[i]);
		mx = fmax(mx, b->rep_ops[i]);
	}
	if (mn <= mx) {
		*lo = mn;
		*hi = mx;
		return "min..max";
	}
	if (isfinite(b->ops_stddev)) {
		*lo = b->ops_per_s - b->ops_stddev;
		*hi = b->ops_per_s + b->ops_stddev;
		return "+-stddev";
	}
	*lo = *hi = b->ops_per_s;
	return "none";
}

const char *mmb__backend_label(const struct mmb_report_results *r, size_t i,
			       char *buf, size_t n)
{
	const struct mmb_rval *param = mmb_report_ctx_get(r, "sweep_param");
	size_t len;

	snprintf(buf, n, "%s", r->b[i].name);
	for (size_t j = 0; j < r->nb; j++) {
		if (strcmp(r->b[j].workload, r->b[i].workload) != 0) {
			snprintf(buf, n, "%s/%s", r->b[i].workload,
				 r->b[i].name);
			break;
		}
	}
	len = strlen(buf);
	if (param && param->type == MMB_RT_STRING &&
	    isfinite(r->b[i].sweep_value) && len < n) {
		char x[64];

		mmb__sweep_xr(r, param->text, r->b[i].sweep_value, x,
			      sizeof(x));
		snprintf(buf + len, n - len, " %s=%s", param->text, x);
	}
	return buf;
}

void mmb__sweep_xr(const struct mmb_report_results *r, const char *key,
		   double x, char *buf, size_t n)
{
	const struct mmb_rval *l = mmb_report_ctx_get(r, "sweep_labels");
	const struct mmb_rval *v = mmb_report_ctx_get(r, "sweep_values");

	if (l && v && l->type == MMB_RT_ARRAY && v->type == MMB_RT_ARRAY)
		for (size_t i = 0; i < l->nkid && i < v->nkid; i++)
			if (v->kid[i].type == MMB_RT_NUMBER &&
			    v->kid[i].num == x &&
			    l->kid[i].type == MMB_RT_STRING) {
				snprintf(buf, n, "%s", l->kid[i].text);
				return;
			}
	mmb__sweep_x(key, x, buf, n);
}

void mmb__sweep_x(const char *key, double x, char *buf, size_t n)
{
	if (mmb__key_is_bytes(key))
		mmb_fmt_bytes(x, 0, buf, n);
	else
		snprintf(buf, n, "%.15g", x);
}

static int cmp_pt(const void *a, const void *b)
{
	const struct mmb__sweep_pt *p = a, *q = b;

	if (p->x != q->x)
		return (p->x > q->x) - (p->x < q->x);
	if (p->file != q->file)
		return (p->file > q->file) - (p->file < q->file);
	return (p->b > q->b) - (p->b < q->b);
}

int mmb__sweep_points(const struct mmb__report *rep, struct mmb__sweep_pt **out,
		      size_t *n)
{
	struct mmb__sweep_pt *pts;
	size_t total = 0, k = 0;

	*out = NULL;
	*n = 0;
	for (size_t f = 0; f < rep->nres; f++)
		total += rep->res[f].nb;
	if (!rep->sweep_key || total == 0)
		return 0;
	pts = malloc(total * sizeof(*pts));
	if (!pts)
		return MMB_ENOMEM;
	for (size_t f = 0; f < rep->nres; f++) {
		const struct mmb_report_results *r = &rep->res[f];
		const struct mmb_rval *c =
		    mmb_report_ctx_get(r, rep->sweep_key);

		for (size_t j = 0; j < r->nb; j++) {
			double x =
			    rep->sweep_in_file ? r->b[j].sweep_value : c->num;

			if (!isfinite(x))
				continue;
			pts[k].file = f;
			pts[k].b = j;
			pts[k].x = x;
			k++;
		}
	}
	qsort(pts, k, sizeof(*pts), cmp_pt);
	*out = pts;
	*n = k;
	return 0;
}

const char *mmb__workload(const struct mmb_report_results *r)
{
	const struct mmb_rval *c = mmb_report_ctx_get(r, "workload");

	if (c && c->type == MMB_RT_STRING)
		return c->text;
	return r->nb ? r->b[0].workload : "";
}

int mmb__key_is_bytes(const char *key)
{
	size_t n = strlen(key);

	/* The names mmbench sweep --param takes are bytes too, except
	 * threads. */
	return (n > 5 && strcmp(key + n - 5, "_size") == 0) ||
	       (n > 6 && strcmp(key + n - 6, "_bytes") == 0) ||
	       strcmp(key, "window") == 0 || strcmp(key, "size") == 0 ||
	       strcmp(key, "bs") == 0 || strcmp(key, "memory-limit") == 0 ||
	       strcmp(key, "memory_limit") == 0;
}
