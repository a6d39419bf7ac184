/* SPDX-License-Identifier: MIT */
/* json.c - results as JSON, exactly as docs/results.md describes: Google
 * Benchmark's format plus mmbench's schema_version, context keys and
 * counters. Written with jsonw so the Windows build shares this file. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "mmbench/backend.h"
#include "mmb/error.h"
#include "mmbench/result.h"
#include "mmbench/results.h"

static void int_or_unavailable(struct mmb__jw *w, const char *key, int64_t v)
{
	if (v < 0)
		mmb__jw_string(w, key, "unavailable");
	else
		mmb__jw_int(w, key, v);
}

/* ---- verdict_data: struct mmb_run_verdict, docs/results.md ------------ */

static void vside(struct mmb__jw *w, const char *key,
		  const struct mmb_rv_side *s)
{
	if (s->index < 0)
		return;
	mmb__jw_object(w, key);
	mmb__jw_int(w, "index", s->index);
	mmb__jw_string(w, "backend", s->name);
	mmb__jw_bool(w, "mapped", s->mapped);
	mmb__jw_uint(w, "reps", s->reps);
	mmb__jw_double(w, "ops_per_s", s->ops_per_s);
	mmb__jw_end(w);
}

static void vcmp(struct mmb__jw *w, const char *key, const struct mmb_rv_cmp *c)
{
	if (c->rule == MMB_RV_NO_RULE)
		return;
	mmb__jw_object(w, key);
	mmb__jw_string(w, "decision", mmb_rv_decision_name(c->decision));
	mmb__jw_string(w, "rule", mmb_rv_rule_name(c->rule));
	mmb__jw_double(w, "ratio", c->ratio);
	if (c->rule == MMB_RV_UTEST)
		mmb__jw_double(w, "p", c->p);
	if (c->rule == MMB_RV_RANGES)
		mmb__jw_bool(w, "ranges_overlap", c->overlap);
	mmb__jw_array_inline(w, "reps");
	mmb__jw_uint(w, NULL, c->reps[0]);
	mmb__jw_uint(w, NULL, c->reps[1]);
	mmb__jw_end(w);
	mmb__jw_end(w);
}

static void verdict_data(struct mmb__jw *w, const struct mmb_run_verdict *v)
{
	mmb__jw_object(w, "verdict_data");
	mmb__jw_string(w, "decision", mmb_rv_decision_name(v->decision));
	vside(w, "winner", &v->winner);
	vside(w, "runner_up", &v->runner_up);
	vcmp(w, "vs_runner_up", &v->vs_runner_up);
	vside(w, "pread", &v->pread);
	vcmp(w, "vs_pread", &v->vs_pread);
	if (v->decision == MMB_RV_NOISE) {
		mmb__jw_double(w, "both_ops_per_s", v->both_ops_per_s);
		if (v->pread.index >= 0)
			mmb__jw_double(w, "both_vs_pread", v->both_vs_pread);
	}
	vside(w, "reference", &v->ref);
	if (v->ref.index >= 0)
		mmb__jw_bool(w, "faster_than_reference", v->faster_than_ref);
	mmb__jw_string(w, "cache", v->cache);
	if (v->winner.index >= 0) {
		mmb__jw_array(w, "terms");
		for (unsigned k = 0; k < MMB_RV__TERMS; k++) {
			mmb__jw_object(w, NULL);
			mmb__jw_string(w, "key", mmb_rv_term_key(k));
			mmb__jw_string(w, "unit", mmb_rv_term_unit(k));
			mmb__jw_double(w, "winner", v->term[k].winner);
			mmb__jw_double(w, "reference", v->term[k].ref);
			mmb__jw_end(w);
		}
		mmb__jw_end(w);
	}
	mmb__jw_array(w, "notes");
	for (unsigned i = 0; i < v->nnotes; i++) {
		const struct mmb_rv_note *n = &v->note[i];
		mmb__jw_object(w, NULL);
		mmb__jw_string(w, "code", mmb_rv_note_name(n->code));
		mmb__jw_string(w, "backend", n->backend);
		if (!isnan(n->value))
			mmb__jw_double(w, "value", n->value);
		if (!isnan(n->other))
			mmb__jw_double(w, "other", n->other);
		mmb__jw_end(w);
	}
	mmb__jw_end(w);
	mmb__jw_end(w);
}

/* The context: the machine, the run's parameters, and whether it was
 * interrupted. */
static void context(struct mmb__jw *w, const struct mmb_run_result *r)
{
	const struct mmb_env *e = &r->env;

	mmb__jw_object(w, "context");
	/* Google Benchmark's keys */
	mmb__jw_string(w, "date", e->date);
	mmb__jw_string(w, "host_name", e->host_name);
	mmb__jw_string(w, "executable", e->executable);
	mmb__jw_uint(w, "num_cpus", e->num_cpus);
	/* Whole MHz, as Google Benchmark writes it. */
	mmb__jw_double(w, "mhz_per_cpu", trunc(e->mhz_per_cpu));
	mmb__jw_bool(w, "cpu_scaling_enabled", e->cpu_scaling_enabled);
	mmb__jw_array(w, "caches");
	for (unsigned i = 0; i < e->ncaches; i++) {
		const struct mmb_cpu_cache *c = &e->caches[i];
		mmb__jw_object(w, NULL);
		mmb__jw_string(w, "type", c->type);
		mmb__jw_uint(w, "level", c->level);
		mmb__jw_uint(w, "size", c->size);
		mmb__jw_uint(w, "num_sharing", c->num_sharing);
		mmb__jw_end(w);
	}
	mmb__jw_end(w);
	/* 1, 5, 15 minutes; [] where the system has none (Windows) */
	mmb__jw_array_inline(w, "load_avg");
	for (unsigned i = 0; i < e->nload_avg; i++)
		mmb__jw_double(w, NULL, e->load_avg[i]);
	mmb__jw_end(w);
	mmb__jw_string(w, "library_build_type", e->build_type);
	/* mmbench's */
	mmb__jw_string(w, "mmbench_version", e->mmbench_version);
	mmb__jw_string(w, "command_line", r->command_line);
	mmb__jw_string(w, "kernel", e->kernel);
	mmb__jw_string(w, "cpu_model", e->cpu_model);
	mmb__jw_uint(w, "memory_bytes", e->memory_bytes);
	mmb__jw_uint(w, "page_size", e->page_size);
	mmb__jw_string(w, "thp_enabled", e->thp_enabled);
	mmb__jw_uint(w, "hugepages_reserved", e->hugepages_reserved);
	mmb__jw_string(w, "filesystem", e->filesystem);
	/* What decides I/O amplification; "unavailable" when unreadable. */
	mmb__jw_uint(w, "fs_block_size", e->fs_block_size);
	mmb__jw_string(w, "block_device", e->block_device);
	int_or_unavailable(w, "read_ahead_kb", e->read_ahead_kb);
	int_or_unavailable(w, "page_cluster", e->page_cluster);
	int_or_unavailable(w, "fault_around_bytes", e->fault_around_bytes);
	mmb__jw_string(w, "thp_defrag", e->thp_defrag);
	mmb__jw_string(w, "workload", r->workload);
	mmb__jw_string(w, "file", r->file);
	mmb__jw_uint(w, "file_size", r->file_size);
	mmb__jw_uint(w, "block_size", r->block_size);
	mmb__jw_uint(w, "ops", r->ops);
	if (r->duration_s > 0)
		mmb__jw_double(w, "duration_s", r->duration_s);
	mmb__jw_uint(w, "threads", r->threads);
	mmb__jw_uint(w, "seed", r->seed);
	mmb__jw_string(w, "cache", r->cache);
	mmb__jw_uint(w, "reps", r->reps);
	/* Which ops were timed for the latencies, and how (docs/results.md
	 * "latency_sampling"); ops/s never come from them. */
	mmb__jw_object(w, "latency_sampling");
	if (r->lat_spacing_ns) {
		/* N per backend, from its warm-up: each entry's lat_every */
		mmb__jw_string(w, "mode", "spacing");
		mmb__jw_uint(w, "spacing_ns", r->lat_spacing_ns);
	} else {
		mmb__jw_string(w, "mode", r->lat_every ? "every" : "none");
		mmb__jw_uint(w, "every", r->lat_every);
	}
	mmb__jw_string(w, "placement",
		       r->lat_spacing_ns
			   ? "one op at a random place in each run of "
			     "`lat_every` consecutive ops of a thread, "
			     "lat_every (in each benchmark entry) chosen per "
			     "backend from its warm-up repetition's speed so "
			     "that a timed op comes about every spacing_ns"
		       : r->lat_every
			   ? "one op at a random place in each run of "
			     "`every` consecutive ops"
			   : "none: no op timed");
	mmb__jw_string(w, "timer",
		       strcmp(r->lat_timer, "tsc") == 0
			   ? "tsc, fenced (mfence+lfence before each read, "
			     "lfence after)"
			   : r->lat_timer);
	mmb__jw_end(w);
	/* The other resolved options (advice, sync, window, the workload's
	 * parameters...), generated from the option tables. */
	for (unsigned i = 0; i < r->nopts; i++) {
		const struct mmb_ctx_value *o = &r->opts[i];
		if (o->type == MMB_CTX_UINT)
			mmb__jw_uint(w, o->key, o->u);
		else if (o->type == MMB_CTX_DOUBLE)
			mmb__jw_double(w, o->key, o->d);
		else if (o->type == MMB_CTX_BOOL)
			mmb__jw_bool(w, o->key, o->b);
		else
			mmb__jw_string(w, o->key, o->s);
	}
	mmb__jw_string(w, "fault_source", r->fault_source);
	if (r->fault_source_why[0])
		mmb__jw_string(w, "fault_source_reason", r->fault_source_why);
	char text[MMB_VERDICT_TEXT];
	mmb__jw_string(w, "verdict",
		       mmb_verdict_text(&r->verdict, text, sizeof(text)));
	verdict_data(w, &r->verdict);
	if (r->verdict_why[0])
		mmb__jw_string(w, "verdict_why", r->verdict_why);
	/* Memory pressure (mmbench/pressure.h), only when used. */
	if (r->memory_limit) {
		mmb__jw_uint(w, "memory_limit", r->memory_limit);
		mmb__jw_int(w, "cgroup_version", r->cgroup_version);
	}
	if (r->interval_ms)
		mmb__jw_uint(w, "interval_ms", r->interval_ms);
	/* Some backend's numbers are noisy (its median entry says why). */
	mmb__jw_bool(w, "noisy", r->noisy);
	/* Interrupted anywhere: the whole file is partial. */
	if (r->partial)
		mmb__jw_bool(w, "partial", true);
	mmb__jw_end(w);
}

/* The benchmark's name (with "_AGG" for an aggregate), then Google
 * Benchmark 1.7's family_index / per_family_instance_index (one family per
 * backend, in the run's order; a run has one instance of each: a sweep's
 * merge (mmb_results_merge) numbers the points) and run_name. */
static void names(struct mmb__jw *w, const struct mmb_run_result *r,
		  const struct mmb_backend_result *b, const char *agg)
{
	char name[192], run[128];

	/* A sweep's points are renamed WL/BE/PARAM:VALUE by the merge
	 * (mmb_results_merge), which reads these files back. */
	snprintf(run, sizeof(run), "%s/%s", r->workload, b->name);
	if (agg)
		snprintf(name, sizeof(name), "%s_%s", run, agg);
	else
		snprintf(name, sizeof(name), "%s", run);
	mmb__jw_string(w, "name", name);
	mmb__jw_uint(w, "family_index", (uint64_t)(b - r->b));
	mmb__jw_uint(w, "per_family_instance_index", 0);
	mmb__jw_string(w, "run_name", run);
}

/* kernel_events: a value per key of mmbench/kevents.h (null when it could
 * not be counted) and kernel_events_unavailable: key -> reason for each
 * null. */
static void kernel_events(struct mmb__jw *w, const struct mmb_kevents *k)
{
	bool any_null = false;

	mmb__jw_object(w, "kernel_events");
	for (unsigned i = 0; i < MMB_KEV__COUNT; i++) {
		mmb__jw_double(w, mmb_kevent_def(i)->key, k->v[i]);
		any_null |= isnan(k->v[i]);
	}
	mmb__jw_end(w);
	if (!any_null)
		return;
	mmb__jw_object(w, "kernel_events_unavailable");
	for (unsigned i = 0; i < MMB_KEV__COUNT; i++)
		if (isnan(k->v[i]))
			mmb__jw_string(w, mmb_kevent_def(i)->key,
				       k->why[i][0] ? k->why[i]
						    : "unavailable");
	mmb__jw_end(w);
}

/* Which repetitions the kernel events (and the profile) come from:
 * "evidence_repetition", "measured_repetitions" or "none". */
static const char *kev_source(const struct mmb_backend_result *b)
{
	if (b->has_evidence)
		return b->evidence.kev.counted ? "evidence_repetition" : "none";
	return b->nreps && b->reps[0].kev.counted ? "measured_repetitions"
						  : "none";
}

/* The evidence repetition (mmbench/result.h): its own metrics, as an
 * iteration entry's keys, and how its ops/s and CPU time per op compare
 * with the measured median: what the instrumentation cost. */
static void evidence(struct mmb__jw *w, const struct mmb_backend_result *b)
{
	const struct mmb_rep *e = &b->evidence;
	const double *med = b->median.m;
	char sum[24];

	mmb__jw_string(w, "kernel_events_source", kev_source(b));
	if (!b->has_evidence)
		return;
	mmb__jw_object(w, "evidence_repetition");
	mmb__jw_double(w, "iterations", e->m[MMB_M_OPS]);
	mmb__jw_double(w, "real_time", e->m[MMB_M_REAL_TIME]);
	mmb__jw_double(w, "cpu_time", e->m[MMB_M_CPU_TIME]);
	for (unsigned k = 0; k < MMB_M__COUNT; k++)
		if (k != MMB_M_REAL_TIME && k != MMB_M_CPU_TIME)
			mmb__jw_double(w, mmb_metric_key(k), e->m[k]);
	mmb__jw_double(
	    w, "items_per_second_vs_median",
	    med[MMB_M_ITEMS_PER_SECOND] > 0
		? e->m[MMB_M_ITEMS_PER_SECOND] / med[MMB_M_ITEMS_PER_SECOND] - 1
		: NAN);
	mmb__jw_double(w, "cpu_time_vs_median",
		       med[MMB_M_CPU_TIME] > 0
			   ? e->m[MMB_M_CPU_TIME] / med[MMB_M_CPU_TIME] - 1
			   : NAN);
	snprintf(sum, sizeof(sum), "0x%016" PRIx64, e->checksum);
	mmb__jw_string(w, "checksum", sum);
	mmb__jw_end(w);
}

/* --profile: where the backend's time went (mmbench/profile.h). */
static void profile(struct mmb__jw *w, const struct mmb_backend_result *b)
{
	const struct mmb_profile *p = b->profile;

	if (!p)
		return;
	mmb__jw_object(w, "profile");
	mmb__jw_string(w, "source",
		       b->has_evidence ? "evidence_repetition"
				       : "measured_repetitions");
	mmb__jw_uint(w, "samples", p->samples);
	mmb__jw_uint(w, "samples_lost", p->lost);
	mmb__jw_double(w, "period_ns", p->period_ns);
	mmb__jw_double(w, "oncpu_ns", p->oncpu_ns);
	mmb__jw_double(w, "offcpu_ns", p->offcpu_ns);
	mmb__jw_bool(w, "user_only", p->user_only);
	if (p->note[0])
		mmb__jw_string(w, "note", p->note);
	mmb__jw_object(w, "categories");
	for (unsigned c = 0; c < MMB_PROF__COUNT; c++)
		mmb__jw_double(w, mmb_prof_category_key(c), p->frac[c]);
	mmb__jw_end(w);
	mmb__jw_object(w, "categories_oncpu");
	for (unsigned c = 0; c < MMB_PROF__COUNT; c++)
		if (c != MMB_PROF_IO_WAIT)
			mmb__jw_double(w, mmb_prof_category_key(c),
				       p->frac_oncpu[c]);
	mmb__jw_end(w);
	mmb__jw_array(w, "top_functions");
	for (unsigned i = 0; i < p->ntop; i++) {
		mmb__jw_object(w, NULL);
		mmb__jw_string(w, "function", p->top[i].name);
		mmb__jw_bool(w, "kernel", p->top[i].kernel);
		mmb__jw_double(w, "share", p->top[i].share);
		mmb__jw_uint(w, "samples", p->top[i].samples);
		mmb__jw_end(w);
	}
	mmb__jw_end(w);
	/* For `mmbench report`'s flame graphs, from the file alone. */
	if (p->folded && p->folded_len)
		mmb__jw_string(w, "folded_stacks", p->folded);
	mmb__jw_end(w);
}

/* Opens one benchmarks[] entry and writes its members; the caller may add
 * more and closes it. Google Benchmark's keys come first, in the order
 * its JSON reporter writes them (1.7: name, family_index,
 * per_family_instance_index, run_name, run_type, repetitions,
 * repetition_index | aggregate_name + aggregate_unit, threads, iterations,
 * real_time, cpu_time, time_unit), then mmbench's. */
static void entry(struct mmb__jw *w, const struct mmb_run_result *r,
		  const struct mmb_backend_result *b, const struct mmb_rep *rep,
		  const char *agg, int index)
{
	char sum[24];

	mmb__jw_object(w, NULL);
	names(w, r, b, agg);
	mmb__jw_string(w, "run_type", agg ? "aggregate" : "iteration");
	mmb__jw_uint(w, "repetitions", r->reps);
	if (!agg)
		mmb__jw_int(w, "repetition_index", index);
	mmb__jw_uint(w, "threads", r->threads);
	if (agg) {
		mmb__jw_string(w, "aggregate_name", agg);
		/* the cv is a ratio (stddev / mean), the others times */
		mmb__jw_string(w, "aggregate_unit",
			       strcmp(agg, "cv") == 0 ? "percentage" : "time");
	}
	mmb__jw_double(w, "iterations", rep->m[MMB_M_OPS]);
	mmb__jw_double(w, "real_time", rep->m[MMB_M_REAL_TIME]);
	mmb__jw_double(w, "cpu_time", rep->m[MMB_M_CPU_TIME]);
	mmb__jw_string(w, "time_unit", "ns");
	mmb__jw_string(w, "backend", b->name);
	mmb__jw_string(w, "workload", r->workload);
	/* one op in this many of each thread's timed (0: none) */
	mmb__jw_uint(w, "lat_every", b->lat_every);
	/* bytes_per_second, items_per_second and the mmbench counters: one
	 * list, see mmbench/result.h. A metric this machine cannot measure
	 * is NaN, written as null. */
	for (unsigned k = 0; k < MMB_M__COUNT; k++)
		if (k != MMB_M_REAL_TIME && k != MMB_M_CPU_TIME)
			mmb__jw_double(w, mmb_metric_key(k), rep->m[k]);
	/* The backend's own metrics (mmbench/result.h): more numeric keys,
	 * as Google Benchmark writes user counters, with their units. */
	for (unsigned k = 0; k < b->nx; k++)
		mmb__jw_double(w, b->xdef[k].name, rep->x[k]);
	if (b->nx) {
		mmb__jw_object(w, "metric_units");
		for (unsigned k = 0; k < b->nx; k++)
			mmb__jw_string(w, b->xdef[k].name, b->xdef[k].unit);
		mmb__jw_end(w);
	}
	kernel_events(w, &rep->kev);
	/* a checksum of the bytes read: not one for a spread */
	if (!agg || (strcmp(agg, "stddev") != 0 && strcmp(agg, "cv") != 0)) {
		snprintf(sum, sizeof(sum), "0x%016" PRIx64, rep->checksum);
		mmb__jw_string(w, "checksum", sum);
	}
	if (!agg && rep->interrupted)
		mmb__jw_bool(w, "interrupted", true);
}

/* Google Benchmark's cv aggregate: stddev / mean of every metric (NaN,
 * written as null, where the mean is 0 or either is unknown; Google
 * Benchmark writes NaN there). */
static double ratio(double sd, double mean)
{
	return isnan(sd) || isnan(mean) || mean == 0 ? NAN : sd / mean;
}

static void cv_of(const struct mmb_backend_result *b, struct mmb_rep *cv)
{
	*cv = b->stddev;
	for (unsigned k = 0; k < MMB_M__COUNT; k++)
		cv->m[k] = ratio(b->stddev.m[k], b->mean.m[k]);
	for (unsigned k = 0; k < b->nx; k++)
		cv->x[k] = ratio(b->stddev.x[k], b->mean.x[k]);
	for (unsigned i = 0; i < MMB_KEV__COUNT; i++) {
		cv->kev.v[i] = ratio(b->stddev.kev.v[i], b->mean.kev.v[i]);
		if (isnan(cv->kev.v[i]) && !isnan(b->mean.kev.v[i]) &&
		    !isnan(b->stddev.kev.v[i]))
			snprintf(cv->kev.why[i], sizeof(cv->kev.why[i]),
				 "no cv: the mean is 0");
	}
}

static void latency(struct mmb__jw *w, const struct mmb_backend_result *b)
{
	const struct mmb_hist *h = b->hist;

	/* ops timed, over all measured repetitions */
	mmb__jw_uint(w, "lat_timed_ops", h ? h->count : 0);
	mmb__jw_double(w, "lat_mean_ns", b->lat.mean);
	mmb__jw_uint(w, "lat_p50_ns", b->lat.p50);
	mmb__jw_uint(w, "lat_p90_ns", b->lat.p90);
	mmb__jw_uint(w, "lat_p99_ns", b->lat.p99);
	mmb__jw_uint(w, "lat_p999_ns", b->lat.p999);
	mmb__jw_uint(w, "lat_max_ns", b->lat.max);
	/* [upper bound ns, count] per non-empty bucket, one per line. */
	mmb__jw_array(w, "latency_histogram");
	for (unsigned i = 0; h && i < MMB_HIST_BUCKETS; i++) {
		if (!h->b[i])
			continue;
		uint64_t up = mmb_hist_upper(i);
		mmb__jw_array_inline(w, NULL);
		mmb__jw_uint(w, NULL, up < h->max ? up : h->max);
		mmb__jw_uint(w, NULL, h->b[i]);
		mmb__jw_end(w);
	}
	mmb__jw_end(w);
}

/* Mapped backends: the folio orders of the mapped pages (docs/results.md
 * "folio_orders"), or why they are unknown. */
static void folios(struct mmb__jw *w, const struct mmb_backend_result *b)
{
	char key[8];

	if (!(b->caps & MMB_CAP_MAPPED))
		return;
	if (!b->folio_known) {
		mmb__jw_string(w, "folio_orders",
			       b->folio_why[0] ? b->folio_why : "unknown");
		return;
	}
	mmb__jw_object(w, "folio_orders");
	for (unsigned k = 0; k < MMB_FOLIO_ORDERS; k++)
		if (b->folio_pages[k]) {
			snprintf(key, sizeof(key), "%u", k);
			mmb__jw_uint(w, key, b->folio_pages[k]);
		}
	mmb__jw_end(w);
}

/* A backend that did not run: Google Benchmark's error shape (what it
 * writes for SkipWithError: an iteration with error_occurred,
 * error_message, and zero iterations and times, so generic consumers find
 * every field they read), plus "skipped" (true: cannot run here; false:
 * failed). */
static void not_run(struct mmb__jw *w, const struct mmb_run_result *r,
		    const struct mmb_backend_result *b)
{
	char msg[MMB_RESULT_MSG + 16];
	bool skip = b->status == MMB_ESKIP;

	mmb__jw_object(w, NULL);
	names(w, r, b, NULL);
	mmb__jw_string(w, "run_type", "iteration");
	mmb__jw_uint(w, "repetitions", r->reps);
	mmb__jw_int(w, "repetition_index", 0);
	mmb__jw_uint(w, "threads", r->threads);
	mmb__jw_bool(w, "error_occurred", true);
	snprintf(msg, sizeof(msg), "%s: %s", skip ? "skipped" : "failed",
		 b->message);
	mmb__jw_string(w, "error_message", msg);
	mmb__jw_uint(w, "iterations", 0);
	mmb__jw_double(w, "real_time", 0);
	mmb__jw_double(w, "cpu_time", 0);
	mmb__jw_string(w, "time_unit", "ns");
	mmb__jw_string(w, "backend", b->name);
	mmb__jw_string(w, "workload", r->workload);
	mmb__jw_bool(w, "skipped", skip);
	mmb__jw_end(w);
}

/* --interval: the samples of one repetition as an array of objects. */
static void timeseries(struct mmb__jw *w, const struct mmb_series *ts)
{
	if (!ts || !ts->n)
		return;
	mmb__jw_array(w, "timeseries");
	for (unsigned i = 0; i < ts->n; i++) {
		const struct mmb_sample *x = &ts->s[i];
		mmb__jw_object(w, NULL);
		mmb__jw_double(w, "t_s", x->t_s);
		mmb__jw_double(w, "ops_per_s", x->ops_per_s);
		mmb__jw_uint(w, "ops", x->ops);
		mmb__jw_uint(w, "minor_faults", x->minor_faults);
		mmb__jw_uint(w, "major_faults", x->major_faults);
		mmb__jw_uint(w, "resident_pages", x->resident_pages);
		mmb__jw_uint(w, "tlb_shootdowns", x->tlb_shootdowns);
		mmb__jw_end(w);
	}
	mmb__jw_end(w);
}

/* The repetition whose ops/s is nearest the median: its series stands
 * for the backend on the median entry. */
static unsigned median_rep(const struct mmb_backend_result *b)
{
	unsigned best = 0;
	double med = b->median.m[MMB_M_ITEMS_PER_SECOND];

	for (unsigned k = 1; k < b->nreps; k++)
		if (fabs(b->reps[k].m[MMB_M_ITEMS_PER_SECOND] - med) <
		    fabs(b->reps[best].m[MMB_M_ITEMS_PER_SECOND] - med))
			best = k;
	return best;
}

static void add_benchmarks(struct mmb__jw *w, const struct mmb_run_result *r)
{
	struct mmb_rep cv;

	for (unsigned i = 0; i < r->nbackends; i++) {
		const struct mmb_backend_result *b = &r->b[i];
		if (b->status != 0 || b->nreps == 0) {
			not_run(w, r, b);
			continue;
		}
		for (unsigned k = 0; k < b->nreps; k++) {
			entry(w, r, b, &b->reps[k], NULL, (int)k);
			if (b->series)
				timeseries(w, &b->series[k]);
			mmb__jw_end(w);
		}
		entry(w, r, b, &b->mean, "mean", 0);
		mmb__jw_end(w);
		entry(w, r, b, &b->median, "median", 0);
		latency(w, b);
		evidence(w, b);
		profile(w, b);
		folios(w, b);
		mmb__jw_bool(w, "noisy", b->noisy);
		if (b->noisy)
			mmb__jw_string(w, "noisy_reason", b->noisy_why);
		if (b->series) {
			unsigned k = median_rep(b);
			mmb__jw_uint(w, "timeseries_rep", k);
			timeseries(w, &b->series[k]);
		}
		mmb__jw_end(w);
		entry(w, r, b, &b->stddev, "stddev", 0);
		mmb__jw_end(w);
		cv_of(b, &cv);
		entry(w, r, b, &cv, "cv", 0);
		mmb__jw_end(w);
	}
}

int mmb_report_json(const struct mmb_run_result *r, const char *path)
{
	struct mmb__jw w;

	mmb__jw_init(&w);
	mmb__jw_object(&w, NULL);
	/* docs/results.md "Schema version"; the loader reads a file without
	 * it as version 1. */
	mmb__jw_int(&w, "schema_version", MMB_RESULTS_SCHEMA_VERSION);
	context(&w, r);
	mmb__jw_array(&w, "benchmarks");
	add_benchmarks(&w, r);
	mmb__jw_end(&w);
	mmb__jw_end(&w);
	return mmb__jw_write(&w, path);
}
