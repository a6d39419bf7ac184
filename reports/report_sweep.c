/* SPDX-License-Identifier: MIT */
/* report_sweep.c - one sweep file (`mmbench sweep --json`, context
 * "sweep_param") reported point by point: each point is loaded as a
 * results file of its own (mmb_results_load_point), with that point's
 * verdict from "sweep_points" as its context's verdict, so the report's
 * verdict, ranking and plots are per point and say which point they
 * show; the sweep plot puts all of them against the parameter. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_priv.h"

/* Swap what two values hold, keeping their keys. */
static void swap_value(struct mmb_rval *a, struct mmb_rval *b)
{
	struct mmb_rval t = *a;
	char *ka = a->key, *kb = b->key;

	*a = *b;
	*b = t;
	a->key = ka;
	b->key = kb;
}

static char *dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	return p ? memcpy(p, s, n) : NULL;
}

/* v becomes the string text, or null when text is NULL; its key stays. */
static int set_text(struct mmb_rval *v, const char *text)
{
	char *key = v->key;

	v->key = NULL;
	mmb_rval_clear(v);
	v->key = key;
	v->type = text ? MMB_RT_STRING : MMB_RT_NULL;
	v->num = NAN;
	v->text = dup(text ? text : "null");
	return v->text ? 0 : MMB_ENOMEM;
}

/* The context key of r named key, or NULL. */
static struct mmb_rval *ctx_key(struct mmb_results *r, const char *key)
{
	for (size_t i = 0; i < r->nctx; i++)
		if (strcmp(r->ctx[i].key, key) == 0)
			return &r->ctx[i];
	return NULL;
}

/* Give point r (a sweep file loaded at one sweep_value x) its own
 * verdict: the member of "sweep_points" whose sweep_value is x supplies
 * verdict, verdict_data and verdict_why. In a file from before
 * sweep_points they are the first point's: no point shows them. */
static int point_verdict(struct mmb_results *r, double x)
{
	static const char *const keys[] = {"verdict", "verdict_data",
					   "verdict_why"};
	struct mmb_rval *pts = ctx_key(r, "sweep_points"), *pt = NULL;
	int rc;

	for (size_t i = 0; pts && pts->type == MMB_RT_ARRAY && i < pts->nkid;
	     i++) {
		const struct mmb_rval *v =
		    mmb_rval_get(&pts->kid[i], "sweep_value");
		if (v && v->type == MMB_RT_NUMBER && v->num == x)
			pt = &pts->kid[i];
	}
	if (!pt || pt->type != MMB_RT_OBJECT) {
		/* the context's verdict is the first point's */
		for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
			struct mmb_rval *to = ctx_key(r, keys[k]);
			if (to && (rc = set_text(to, k ? NULL
						       : "(none per sweep "
							 "point in this "
							 "file)")) < 0)
				return rc;
		}
		return 0;
	}
	for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
		struct mmb_rval *from = NULL, *to = ctx_key(r, keys[k]);

		for (size_t i = 0; i < pt->nkid; i++)
			if (strcmp(pt->kid[i].key, keys[k]) == 0)
				from = &pt->kid[i];
		if (!from) {
			/* the point has none: its section must not show
			 * the first point's */
			if (to && (rc = set_text(to, k ? NULL
						       : "(none for this "
							 "point)")) < 0)
				return rc;
			continue;
		}
		if (!to) {
			struct mmb_rval *c =
			    realloc(r->ctx, (r->nctx + 1) * sizeof(*c));
			if (!c)
				return MMB_ENOMEM;
			r->ctx = c;
			to = &c[r->nctx++];
			memset(to, 0, sizeof(*to));
			if (!(to->key = dup(keys[k])))
				return MMB_ENOMEM;
			to->type = MMB_RT_NULL;
			to->num = NAN;
		}
		swap_value(to, from);
	}
	return 0;
}

/* Every value of the array differs: one point each. `mmbench experiment
 * access` runs each value once per workload, which is not one point. */
static int distinct(const struct mmb_rval *vals)
{
	for (size_t i = 0; i < vals->nkid; i++)
		for (size_t k = 0; k < i; k++)
			if (vals->kid[i].num == vals->kid[k].num)
				return 0;
	return 1;
}

int mmb__report_split_sweep(struct mmb__report *rep, const char *path,
			    int *split, char *err, size_t errlen)
{
	struct mmb_results *all;
	const struct mmb_rval *param, *vals;
	int rc;

	*split = 0;
	if (mmb_results_load(path, &all) < 0)
		return 0; /* the caller's load reports it */
	param = mmb_results_ctx(all, "sweep_param");
	vals = mmb_results_ctx(all, "sweep_values");
	if (!param || param->type != MMB_RT_STRING || !vals ||
	    vals->type != MMB_RT_ARRAY || vals->nkid < 2 || !distinct(vals)) {
		mmb_results_free(all);
		return 0;
	}
	rep->res = calloc(vals->nkid, sizeof(*rep->res));
	rep->sweep_order = calloc(vals->nkid, sizeof(size_t));
	if (!rep->res || !rep->sweep_order) {
		mmb_results_free(all);
		return mmb__report_err(err, errlen, MMB_ENOMEM,
				       "out of memory");
	}
	for (size_t i = 0; i < vals->nkid; i++) {
		struct mmb_results *r;
		struct mmb_report_results *p = &rep->res[rep->nres];
		double x = vals->kid[i].num;
		char xs[64];

		if (vals->kid[i].type != MMB_RT_NUMBER)
			continue;
		/* a point of a partial sweep may have left no entries */
		if (mmb_results_load_point(path, x, &r) < 0)
			continue;
		if ((rc = point_verdict(r, x)) < 0 ||
		    (rc = mmb_report_summarize(r, p)) < 0) {
			if (!p->res)
				mmb_results_free(r);
			mmb_report_results_free(p);
			mmb_results_free(all);
			return mmb__report_err(err, errlen, rc,
					       "%s: out of memory", path);
		}
		mmb__sweep_xr(p, param->text, x, xs, sizeof(xs));
		snprintf(p->point, sizeof(p->point), "%s=%s", param->text, xs);
		rep->sweep_order[rep->nres] = rep->nres;
		rep->nres++;
	}
	mmb_results_free(all);
	if (rep->nres == 0)
		return 0; /* nothing loaded by point: the caller's load */
	rep->sweep_key = mmb_report_ctx_get(&rep->res[0], "sweep_param")->text;
	rep->sweep_in_file = 1;
	*split = 1;
	return 0;
}
