/* SPDX-License-Identifier: MIT */
/* verdict.c - the verdict of a run as data (struct mmb_run_verdict in
 * mmbench/result.h): which backend is fastest, by how much, whether that
 * is more than the noise of its repetitions, the counters that explain it
 * and the notes that qualify it. Words are the renderer's
 * (mmb_verdict_text, reports/verdict_text.c); this file decides.
 *
 * A winner by median alone lies when the top two are within the spread of
 * their repetitions (mmap 1.50M vs mmap-window 1.57M ops/s, ranges
 * overlapping), so every "faster" is checked against the repetitions'
 * ops/s: with the two-sided Mann-Whitney U test (alpha 0.05) when there
 * are enough repetitions for it to reach significance at all (3 vs 3
 * cannot: its smallest p is 0.1), else by whether the [min, max] ranges
 * overlap. The verdict keeps which rule decided. A significant difference
 * below 5% is still a tie: it is real but too small to choose a backend
 * by. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iostat.h"
#include "mmb/map.h"
#include "mmbench/backend.h"
#include "mmbench/stats.h"

static double ips(const struct mmb_rep *rep)
{
	return rep->m[MMB_M_ITEMS_PER_SECOND];
}

/* The U test over the repetitions' ops/s; 0 and *p, or negative when it
 * cannot be run (no repetitions stored, NaN, out of memory). */
static int utest_p(const struct mmb_backend_result *a,
		   const struct mmb_backend_result *b, double *p)
{
	struct mmb_utest u;
	double *x;
	int rc;

	if (!a->reps || !b->reps)
		return MMB_EINVAL;
	x = malloc((a->nreps + b->nreps) * sizeof(*x));
	if (!x)
		return MMB_ENOMEM;
	for (unsigned i = 0; i < a->nreps; i++)
		x[i] = ips(&a->reps[i]);
	for (unsigned i = 0; i < b->nreps; i++)
		x[a->nreps + i] = ips(&b->reps[i]);
	rc = mmb_utest(x, a->nreps, x + a->nreps, b->nreps, &u);
	free(x);
	if (rc == 0)
		*p = u.p;
	return rc;
}

/* Is a (the faster by median) faster than b beyond the noise? */
static void compare(const struct mmb_backend_result *a,
		    const struct mmb_backend_result *b, struct mmb_rv_cmp *c)
{
	double am = ips(&a->median), bm = ips(&b->median), p = 1;
	bool sig;

	c->ratio = bm > 0 ? am / bm : 0;
	c->reps[0] = a->nreps;
	c->reps[1] = b->nreps;
	c->p = NAN;
	c->overlap = false;
	if (a->nreps >= 1 && b->nreps >= 1 &&
	    mmb_utest_min_p(a->nreps, b->nreps) <= MMB_RV_ALPHA &&
	    utest_p(a, b, &p) == 0) {
		c->rule = MMB_RV_UTEST;
		c->p = p;
		sig = p < MMB_RV_ALPHA;
	} else if (a->nreps <= 1 && b->nreps <= 1) {
		/* Two single values: no spread to measure the noise by. The
		 * ratio is all there is; the rule says so rather than call
		 * it noise. */
		c->rule = MMB_RV_SINGLE;
		sig = true;
	} else {
		c->rule = MMB_RV_RANGES;
		sig =
		    ips(&a->min) > ips(&b->max) || ips(&b->min) > ips(&a->max);
		c->overlap = !sig;
	}
	c->decision = !sig			    ? MMB_RV_NOISE
		      : c->ratio < MMB_RV_TIE_RATIO ? MMB_RV_TIE
						    : MMB_RV_FASTER;
}

static void side(const struct mmb_run_result *r, int i, struct mmb_rv_side *s)
{
	const struct mmb_backend_result *b = &r->b[i];

	s->index = i;
	snprintf(s->name, sizeof(s->name), "%s", b->name);
	s->mapped = (b->caps & MMB_CAP_MAPPED) != 0;
	s->reps = b->nreps;
	s->ops_per_s = ips(&b->median);
}

/* The median of the backend's own metric `name`, NaN when it has none. */
static double xmetric(const struct mmb_backend_result *b, const char *name)
{
	for (unsigned k = 0; k < b->nx; k++)
		if (strcmp(b->xdef[k].name, name) == 0)
			return b->median.x[k];
	return NAN;
}

/* The evidence terms of one backend into term[*].winner or .ref. */
static void terms(const struct mmb_backend_result *b,
		  struct mmb_rv_term_value *t, bool winner)
{
	const double *m = b->median.m;
	double ops = m[MMB_M_OPS] > 0 ? m[MMB_M_OPS] : 1;
	double v[MMB_RV__TERMS] = {
	    [MMB_RV_T_SYS_US_PER_OP] = m[MMB_M_SYS_NS] / ops / 1e3,
	    [MMB_RV_T_USER_US_PER_OP] = m[MMB_M_USER_NS] / ops / 1e3,
	    [MMB_RV_T_FAULTS] = m[MMB_M_FAULTS],
	    [MMB_RV_T_MAJOR_FAULTS] = m[MMB_M_MAJOR_FAULTS],
	    [MMB_RV_T_PAGES_TOUCHED] = m[MMB_M_PAGES_TOUCHED],
	    [MMB_RV_T_PAGES_PER_FAULT] = m[MMB_M_PAGES_PER_FAULT],
	    [MMB_RV_T_FILE_PMD_MAPPED_KB] = m[MMB_M_FILE_PMD_MAPPED_KB],
	    [MMB_RV_T_READ_AMP] = m[MMB_M_READ_AMP],
	    [MMB_RV_T_WRITE_AMP] = m[MMB_M_WRITE_AMP],
	    [MMB_RV_T_BYTES_READ] = m[MMB_M_BYTES_READ],
	    [MMB_RV_T_BYTES_WRITTEN] = m[MMB_M_BYTES_WRITTEN],
	    [MMB_RV_T_DEV_READ_BYTES] = m[MMB_M_DEV_READ_BYTES],
	    [MMB_RV_T_SETUP_NS] = m[MMB_M_SETUP_NS],
	    [MMB_RV_T_ELAPSED_NS] = m[MMB_M_ELAPSED_NS],
	    [MMB_RV_T_RESIDENT_BEFORE] = m[MMB_M_RESIDENT_BEFORE],
	    [MMB_RV_T_OPS_NOT_SERVED] = xmetric(b, "ops_not_served"),
	    [MMB_RV_T_OPS] = m[MMB_M_OPS],
	    [MMB_RV_T_BYTES_CONSUMED] = xmetric(b, "bytes_consumed"),
	    [MMB_RV_T_OPS_VIEWED] = xmetric(b, "ops_viewed"),
	};
	for (unsigned k = 0; k < MMB_RV__TERMS; k++) {
		if (winner)
			t[k].winner = v[k];
		else
			t[k].ref = v[k];
	}
}

static void note(struct mmb_run_verdict *v, enum mmb_rv_note_code code,
		 const char *backend, double value, double other)
{
	struct mmb_rv_note *n;

	if (v->nnotes == MMB_RV_NOTES_MAX)
		return;
	n = &v->note[v->nnotes++];
	n->code = code;
	snprintf(n->backend, sizeof(n->backend), "%s", backend);
	n->value = value;
	n->other = other;
}

/* F moved much more through the device than R per requested byte. */
static bool amplified(double f, double r)
{
	return isfinite(f) && isfinite(r) && f >= 1.5 && f >= 2 * r;
}

/* ops/s alone can mislead: when the winner made the device move much
 * more than it asked for, readahead (or fault-around) did the work. */
static void amplification(struct mmb_run_verdict *v, int advice,
			  const struct mmb_backend_result *F)
{
	const struct mmb_rv_term_value *t = v->term;
	const char *f = v->winner.name;
	double fa = t[MMB_RV_T_READ_AMP].winner, ra = t[MMB_RV_T_READ_AMP].ref;
	double fw = t[MMB_RV_T_WRITE_AMP].winner;
	double rw = t[MMB_RV_T_WRITE_AMP].ref;
	bool rd = amplified(fa, ra), wr = amplified(fw, rw);
	bool mapped = (F->caps & MMB_CAP_MAPPED) != 0;

	if (rd)
		note(v, MMB_RV_N_READ_AMP, f, fa, ra);
	if (wr)
		note(v, MMB_RV_N_WRITE_AMP, f, fw, rw);
	/* A write-only run has no read ratio, but a mapping must read a
	 * page in before a store can change part of it. */
	double fr = t[MMB_RV_T_DEV_READ_BYTES].winner;
	double rr = t[MMB_RV_T_DEV_READ_BYTES].ref;
	double wb = t[MMB_RV_T_BYTES_WRITTEN].winner;
	bool rbw = !rd && t[MMB_RV_T_BYTES_READ].winner == 0 && wb > 0 &&
		   isfinite(fr) && isfinite(rr) && fr >= 0.5 * wb &&
		   fr >= 2 * rr;
	if (rbw)
		note(v, MMB_RV_N_READ_BEFORE_WRITE, f, fr, rr);
	/* Random advice turns readahead and fault-around off; say so only
	 * when it was not already asked for. */
	if ((rd || (rbw && mapped)) && advice != MMB_ADV_RANDOM)
		note(v, MMB_RV_N_ADVICE_RANDOM, f, NAN, NAN);
}

/* Why a mapped backend's faults covered several pages each. */
static void fault_size(struct mmb_run_verdict *v,
		       const struct mmb_backend_result *b)
{
	const double *m = b->median.m;

	if (!(b->caps & MMB_CAP_MAPPED) || m[MMB_M_FAULTS] == 0)
		return;
	if (m[MMB_M_FILE_PMD_MAPPED_KB] > 0)
		note(v, MMB_RV_N_PMD_MAPPED, b->name,
		     m[MMB_M_FILE_PMD_MAPPED_KB], NAN);
	else if (m[MMB_M_PAGES_PER_FAULT] >= 2)
		note(v, MMB_RV_N_FAULT_AROUND, b->name,
		     m[MMB_M_PAGES_PER_FAULT], NAN);
}

/* A run started from another cache state than the one asked for. */
static bool cache_off(const char *cache, double resident)
{
	if (!isfinite(resident))
		return false;
	if (strcmp(cache, "cold") == 0)
		return resident > 0.01;
	if (strcmp(cache, "warm") == 0)
		return resident < 0.99;
	return false;
}

static void cache_state(struct mmb_run_verdict *v,
			const struct mmb_backend_result *b)
{
	/* The worst repetition tells whether any started off. */
	double res = strcmp(v->cache, "cold") == 0
			 ? b->max.m[MMB_M_RESIDENT_BEFORE]
			 : b->min.m[MMB_M_RESIDENT_BEFORE];

	if (cache_off(v->cache, res))
		note(v, MMB_RV_N_CACHE_NOT_AS_ASKED, b->name, res, NAN);
}

/* A non-blocking backend's ops/s counts only what it served. */
static void not_served(struct mmb_run_verdict *v,
		       const struct mmb_backend_result *b)
{
	double ns = xmetric(b, "ops_not_served");

	if (ns > 0)
		note(v, MMB_RV_N_NOT_SERVED, b->name, ns, NAN);
}

/* What the run compared: the workload, its sizes and the access mode
 * (the "access" option of the context), for the verdict's first
 * sentence. */
static void scenario(struct mmb_run_verdict *v, const struct mmb_run_result *r)
{
	snprintf(v->cache, sizeof(v->cache), "%s", r->cache);
	snprintf(v->workload, sizeof(v->workload), "%s", r->workload);
	v->block_size = r->block_size;
	v->file_size = r->file_size;
	for (unsigned i = 0; i < r->nopts; i++)
		if (strcmp(r->opts[i].key, "access") == 0 &&
		    r->opts[i].type == MMB_CTX_STRING)
			snprintf(v->access, sizeof(v->access), "%.*s",
				 (int)sizeof(v->access) - 1, r->opts[i].s);
}

void mmb__make_verdict(struct mmb_run_result *r)
{
	struct mmb_run_verdict *v = &r->verdict;
	int f = mmb_run_result_fastest(r), s = -1, p = -1;

	mmb_run_verdict_clear(v);
	scenario(v, r);
	if (f < 0) {
		v->decision = MMB_RV_NONE_RAN;
		return;
	}
	for (unsigned i = 0; i < r->nbackends; i++) {
		if ((int)i == f || r->b[i].status != 0)
			continue;
		if (strcmp(r->b[i].name, "pread") == 0)
			p = (int)i;
		if (s < 0 || ips(&r->b[i].median) > ips(&r->b[s].median))
			s = (int)i;
	}
	const struct mmb_backend_result *F = &r->b[f];
	side(r, f, &v->winner);
	terms(F, v->term, true);
	if (s < 0) {
		v->decision = MMB_RV_ONLY_ONE;
		not_served(v, F);
		return;
	}
	side(r, s, &v->runner_up);
	compare(F, &r->b[s], &v->vs_runner_up);
	v->decision = v->vs_runner_up.decision;
	if (p >= 0 && p != s) {
		side(r, p, &v->pread);
		compare(F, &r->b[p], &v->vs_pread);
	}
	if (v->decision == MMB_RV_NOISE) {
		double both =
		    (v->winner.ops_per_s + v->runner_up.ops_per_s) / 2;
		v->both_ops_per_s = both;
		if (v->pread.index >= 0 && v->pread.ops_per_s > 0)
			v->both_vs_pread = both / v->pread.ops_per_s;
	}
	/* The counters explain the winner against pread, the plain read
	 * path, when it ran; else against the runner-up. */
	int ref = p >= 0 ? p : s;
	const struct mmb_backend_result *R = &r->b[ref];
	side(r, ref, &v->ref);
	terms(R, v->term, false);
	v->faster_than_ref =
	    (v->pread.index >= 0 ? v->vs_pread : v->vs_runner_up).decision ==
	    MMB_RV_FASTER;

	amplification(v, r->advice, F);
	fault_size(v, F);
	fault_size(v, R);
	/* Work moved out of the timed region, or a different starting
	 * point, explains a ratio as much as the counters do. */
	const struct mmb_rv_term_value *t = v->term;
	if (t[MMB_RV_T_SETUP_NS].winner > 0.1 * t[MMB_RV_T_ELAPSED_NS].winner &&
	    t[MMB_RV_T_SETUP_NS].winner > 10 * t[MMB_RV_T_SETUP_NS].ref)
		note(v, MMB_RV_N_SETUP_OUTSIDE, F->name,
		     t[MMB_RV_T_SETUP_NS].winner, t[MMB_RV_T_SETUP_NS].ref);
	if (fabs(t[MMB_RV_T_RESIDENT_BEFORE].winner -
		 t[MMB_RV_T_RESIDENT_BEFORE].ref) > 0.1)
		note(v, MMB_RV_N_RESIDENT_DIFFERS, F->name,
		     t[MMB_RV_T_RESIDENT_BEFORE].winner,
		     t[MMB_RV_T_RESIDENT_BEFORE].ref);
	cache_state(v, F);
	cache_state(v, R);
	not_served(v, F);
	if (s != ref)
		not_served(v, &r->b[s]);
	not_served(v, R);
}
