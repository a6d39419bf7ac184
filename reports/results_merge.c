/* SPDX-License-Identifier: MIT */
/* results_merge.c - what is derived from loaded results models, beside
 * their loader: writing a model back, copying a file after checking it
 * loads (baseline save), merging the files of a sweep or an experiment
 * into one, and the time-series judgement of `mmbench experiment`. All
 * of it works on mmbench/results.h's model and writes through jsonw. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "mmbench/result.h"
#include "mmbench/results.h"

/* An integer as written ("-12", "18446744073709551615") is written back
 * exactly, unless num was changed since; everything else as a double. */
static void write_number(struct mmb__jw *w, const char *key,
			 const struct mmb_rval *v)
{
	const char *t = v->text;
	char *end;

	if (t && *t &&
	    strspn(t + (*t == '-'), "0123456789") == strlen(t + (*t == '-'))) {
		errno = 0;
		if (*t == '-') {
			long long x = strtoll(t, &end, 10);
			if (!errno && !*end && (double)x == v->num) {
				mmb__jw_int(w, key, x);
				return;
			}
		} else {
			unsigned long long x = strtoull(t, &end, 10);
			if (!errno && !*end && (double)x == v->num) {
				mmb__jw_uint(w, key, x);
				return;
			}
		}
	}
	mmb__jw_double(w, key, v->num);
}

static void write_value(struct mmb__jw *w, const char *key,
			const struct mmb_rval *v)
{
	switch (v->type) {
	case MMB_RT_NULL:
		mmb__jw_null(w, key);
		break;
	case MMB_RT_BOOL:
		mmb__jw_bool(w, key, v->num != 0);
		break;
	case MMB_RT_NUMBER:
		write_number(w, key, v);
		break;
	case MMB_RT_STRING:
		mmb__jw_string(w, key, v->text);
		break;
	case MMB_RT_ARRAY:
	case MMB_RT_OBJECT:
		/* Pairs of numbers (latency_histogram) stay on one line. */
		if (v->type == MMB_RT_ARRAY && v->nkid &&
		    v->kid[0].type == MMB_RT_NUMBER)
			mmb__jw_array_inline(w, key);
		else if (v->type == MMB_RT_ARRAY)
			mmb__jw_array(w, key);
		else
			mmb__jw_object(w, key);
		for (size_t i = 0; i < v->nkid; i++)
			write_value(
			    w, v->type == MMB_RT_OBJECT ? v->kid[i].key : NULL,
			    &v->kid[i]);
		mmb__jw_end(w);
		break;
	}
}

int mmb_results_write(const struct mmb_results *r, const char *path)
{
	struct mmb__jw w;

	mmb__jw_init(&w);
	mmb__jw_object(&w, NULL);
	for (size_t i = 0; i < r->ntop; i++)
		write_value(&w, r->top[i].key, &r->top[i]);
	if (r->schema_version >= 2)
		mmb__jw_int(&w, "schema_version", r->schema_version);
	mmb__jw_object(&w, "context");
	for (size_t i = 0; i < r->nctx; i++)
		write_value(&w, r->ctx[i].key, &r->ctx[i]);
	mmb__jw_end(&w);
	mmb__jw_array(&w, "benchmarks");
	for (size_t i = 0; i < r->ne; i++) {
		mmb__jw_object(&w, NULL);
		for (size_t k = 0; k < r->e[i].nkv; k++)
			write_value(&w, r->e[i].kv[k].key, &r->e[i].kv[k]);
		mmb__jw_end(&w);
	}
	mmb__jw_end(&w);
	mmb__jw_end(&w);
	return mmb__jw_write(&w, path);
}

int mmb_results_copy(const char *src, const char *dst)
{
	struct mmb_results *r;
	char *text;
	size_t len;
	int rc = mmb_results_load(src, &r);

	if (rc < 0)
		return rc;
	mmb_results_free(r);
	if ((rc = mmb_read_file(src, &text, &len)) < 0)
		return rc;
	rc = mmb_write_file_atomic(dst, text, len);
	free(text);
	return rc;
}

/* "wl/be" -> "wl/be/PARAM:V"; the name of an aggregate keeps its suffix
 * last: "wl/be_median" -> "wl/be/PARAM:V_median". */
static void sweep_name(const char *v, int is_name, const char *param,
		       uint64_t val, const char *label, char *buf, size_t n)
{
	char num[24];
	const char *us = is_name ? strrchr(v, '_') : NULL;
	const char *slash = strrchr(v, '/');
	int head;

	if (us && slash && us < slash)
		us = NULL;
	head = us ? (int)(us - v) : (int)strlen(v);
	snprintf(num, sizeof(num), "%llu", (unsigned long long)val);
	snprintf(buf, n, "%.*s/%s:%s%s", head, v, param, label ? label : num,
		 us ? us : "");
}

/* A point's own verdict keys: in a sweep, "sweep_points" holds them per
 * point, and the merged context has none of its first point's. */
static int point_key(const char *k)
{
	return strcmp(k, "verdict") == 0 || strcmp(k, "verdict_data") == 0 ||
	       strcmp(k, "verdict_why") == 0;
}

/* Keys the merge sets itself in the context. */
static int merge_key(const char *k, const char *param, const char *experiment,
		     const char *command_line)
{
	return strcmp(k, "partial") == 0 ||
	       (param && (strcmp(k, "sweep_param") == 0 ||
			  strcmp(k, "sweep_values") == 0 ||
			  strcmp(k, "sweep_labels") == 0 ||
			  strcmp(k, "sweep_points") == 0 || point_key(k))) ||
	       (experiment && strcmp(k, "experiment") == 0) ||
	       (command_line && strcmp(k, "command_line") == 0);
}

/* "threads=2" / "access=inplace": a point as the merged verdict names it. */
static void point_name(const char *param, uint64_t val, const char *label,
		       char *buf, size_t n)
{
	if (label)
		snprintf(buf, n, "%s=%s", param, label);
	else
		snprintf(buf, n, "%s=%llu", param, (unsigned long long)val);
}

/* The context of a sweep: each point's verdict under "sweep_points"
 * (docs/results.md "Sweeps"), and a "verdict" that is every point's in
 * turn, so no reader takes the first point's for the sweep's. */
static void sweep_points(struct mmb__jw *w, struct mmb_results *const *r,
			 unsigned n, const char *param, const uint64_t *vals,
			 const char *const *labels)
{
	char name[96], *all = NULL;
	size_t len = 0;

	mmb__jw_array(w, "sweep_points");
	for (unsigned i = 0; i < n; i++) {
		mmb__jw_object(w, NULL);
		mmb__jw_uint(w, "sweep_value", vals[i]);
		if (labels)
			mmb__jw_string(w, "sweep_label", labels[i]);
		for (size_t k = 0; k < r[i]->nctx; k++)
			if (point_key(r[i]->ctx[k].key) ||
			    strcmp(r[i]->ctx[k].key, "noisy") == 0)
				write_value(w, r[i]->ctx[k].key, &r[i]->ctx[k]);
		mmb__jw_end(w);
	}
	mmb__jw_end(w);
	for (unsigned i = 0; i < n; i++) {
		const struct mmb_rval *v = mmb_results_ctx(r[i], "verdict");
		const char *t =
		    v && v->type == MMB_RT_STRING ? v->text : "none";
		size_t add;
		char *p;

		point_name(param, vals[i], labels ? labels[i] : NULL, name,
			   sizeof(name));
		add = strlen(name) + strlen(t) + 8;
		if (!(p = realloc(all, len + add))) {
			free(all);
			all = NULL;
			break;
		}
		all = p;
		len += (size_t)snprintf(all + len, add, "%s%s: %s",
					i ? " | " : "", name, t);
	}
	mmb__jw_string(w, "verdict", all ? all : "");
	free(all);
}

int mmb_results_merge(const char *const *files, unsigned n, const char *param,
		      const uint64_t *vals, const char *experiment,
		      bool partial, const char *out)
{
	return mmb_results_merge_named(files, n, param, vals, NULL, experiment,
				       partial, out);
}

int mmb_results_merge_named(const char *const *files, unsigned n,
			    const char *param, const uint64_t *vals,
			    const char *const *labels, const char *experiment,
			    bool partial, const char *out)
{
	return mmb_results_merge_sweep(files, n, param, vals, labels,
				       experiment, partial, NULL, out);
}

int mmb_results_merge_sweep(const char *const *files, unsigned n,
			    const char *param, const uint64_t *vals,
			    const char *const *labels, const char *experiment,
			    bool partial, const char *command_line,
			    const char *out)
{
	struct mmb_results **r;
	struct mmb__jw w;
	int rc = 0;

	if (!n)
		return mmb_seterr(MMB_EINVAL, 0, "%s: no results to merge",
				  out);
	r = calloc(n, sizeof(*r));
	if (!r)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "%s: out of memory", out);
	for (unsigned i = 0; i < n && rc == 0; i++) {
		const struct mmb_rval *p;

		rc = mmb_results_load(files[i], &r[i]);
		p = rc == 0 ? mmb_results_ctx(r[i], "partial") : NULL;
		if (p && p->type == MMB_RT_BOOL && p->num)
			partial = true;
	}
	if (rc < 0)
		goto out;
	mmb__jw_init(&w);
	mmb__jw_object(&w, NULL);
	mmb__jw_int(&w, "schema_version", MMB_RESULTS_SCHEMA_VERSION);
	mmb__jw_object(&w, "context");
	for (size_t i = 0; i < r[0]->nctx; i++) {
		const char *k = r[0]->ctx[i].key;

		if (command_line && strcmp(k, "command_line") == 0)
			mmb__jw_string(&w, k, command_line);
		else if (!merge_key(k, param, experiment, command_line))
			write_value(&w, k, &r[0]->ctx[i]);
	}
	if (param) {
		mmb__jw_string(&w, "sweep_param", param);
		mmb__jw_array(&w, "sweep_values");
		for (unsigned i = 0; i < n; i++)
			mmb__jw_uint(&w, NULL, vals[i]);
		mmb__jw_end(&w);
		if (labels) {
			mmb__jw_array(&w, "sweep_labels");
			for (unsigned i = 0; i < n; i++)
				mmb__jw_string(&w, NULL, labels[i]);
			mmb__jw_end(&w);
		}
		sweep_points(&w, r, n, param, vals, labels);
	}
	if (experiment)
		mmb__jw_string(&w, "experiment", experiment);
	if (partial)
		mmb__jw_bool(&w, "partial", true);
	mmb__jw_end(&w);
	mmb__jw_array(&w, "benchmarks");
	for (unsigned i = 0; i < n; i++) {
		for (size_t k = 0; k < r[i]->ne; k++) {
			const struct mmb_rentry *e = &r[i]->e[k];

			mmb__jw_object(&w, NULL);
			for (size_t j = 0; j < e->nkv; j++) {
				const struct mmb_rval *v = &e->kv[j];
				int is_name = strcmp(v->key, "name") == 0;
				char nm[512];

				if (param && v->type == MMB_RT_STRING &&
				    (is_name ||
				     strcmp(v->key, "run_name") == 0)) {
					sweep_name(v->text, is_name, param,
						   vals[i],
						   labels ? labels[i] : NULL,
						   nm, sizeof(nm));
					mmb__jw_string(&w, v->key, nm);
				} else if (param &&
					   strcmp(
					       v->key,
					       "per_family_instance_index") ==
					       0) {
					/* Google Benchmark's instances of a
					 * family (a backend): the points */
					mmb__jw_uint(&w, v->key, i);
				} else if (!param ||
					   strcmp(v->key, "sweep_value") != 0) {
					write_value(&w, v->key, v);
				}
			}
			if (param)
				mmb__jw_uint(&w, "sweep_value", vals[i]);
			mmb__jw_end(&w);
		}
	}
	mmb__jw_end(&w);
	mmb__jw_end(&w);
	rc = mmb__jw_write(&w, out);
out:
	for (unsigned i = 0; i < n; i++)
		mmb_results_free(r[i]);
	free(r);
	return rc;
}

/* Mean ops/s of samples [a, b) (NaN ones left out). */
static double mean_ops(const struct mmb_rsample *ts, size_t a, size_t b)
{
	double sum = 0;
	size_t n = 0;

	for (size_t i = a; i < b; i++) {
		if (!isnan(ts[i].ops_per_s)) {
			sum += ts[i].ops_per_s;
			n++;
		}
	}
	return n ? sum / (double)n : NAN;
}

int mmb_results_collapse(const struct mmb_results *r, const char *backend,
			 size_t min, struct mmb_collapse *c)
{
	const struct mmb_rentry *m = NULL;
	const struct mmb_rsample *ts;
	size_t n, q;

	memset(c, 0, sizeof(*c));
	c->when_s = c->resident_at = c->early = c->late = NAN;
	for (size_t i = 0; i < r->nb && !m; i++)
		if (strcmp(r->b[i].backend, backend) == 0 &&
		    r->b[i].median >= 0)
			m = &r->e[r->b[i].median];
	if (!m)
		return MMB_ENOENT;
	c->read_amp = mmb_rentry_num(m, "read_amp");
	c->ops_per_s = mmb_rentry_num(m, "items_per_second");
	ts = m->ts;
	n = c->nsamples = m->nts;
	if (n < min || n == 0)
		return MMB_ERANGE;
	/* Early: the first quarter of the run; late: the last half. */
	q = n / 4 > 0 ? n / 4 : 1;
	c->early = mean_ops(ts, 0, q);
	c->late = mean_ops(ts, n / 2, n);
	for (size_t i = 0; i < n; i++) {
		if (ts[i].ops_per_s < 0.5 * c->early) {
			c->when_s = ts[i].t_s;
			c->resident_at = ts[i].resident_pages;
			break;
		}
	}
	for (size_t i = 0; i < n; i++) {
		c->tlb_shootdowns += ts[i].tlb_shootdowns;
		c->major_faults += ts[i].major_faults;
	}
	c->collapsed = c->late < 0.5 * c->early && !isnan(c->when_s);
	return 0;
}
