/* json.c - results as JSON, exactly as docs/results.md describes: Google
 * Benchmark's format plus mmbench's context keys and counters. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mmb/backend.h"
#include "mmb/error.h"
#include "mmb/result.h"

static void add_or_unavailable(cJSON *c, const char *key, int64_t v)
{
	if (v < 0)
		cJSON_AddStringToObject(c, key, "unavailable");
	else
		cJSON_AddNumberToObject(c, key, (double)v);
}

static cJSON *context(const struct mmb_run_result *r)
{
	const struct mmb_env *e = &r->env;
	cJSON *c = cJSON_CreateObject();

	if (!c)
		return NULL;
	/* Google Benchmark's keys */
	cJSON_AddStringToObject(c, "date", e->date);
	cJSON_AddStringToObject(c, "host_name", e->host_name);
	cJSON_AddStringToObject(c, "executable", e->executable);
	cJSON_AddNumberToObject(c, "num_cpus", e->num_cpus);
	cJSON_AddNumberToObject(c, "mhz_per_cpu", (double)(long)e->mhz_per_cpu);
	cJSON_AddStringToObject(c, "library_build_type", e->build_type);
	/* mmbench's */
	cJSON_AddStringToObject(c, "mmbench_version", e->mmbench_version);
	cJSON_AddStringToObject(c, "command_line", r->command_line);
	cJSON_AddStringToObject(c, "kernel", e->kernel);
	cJSON_AddStringToObject(c, "cpu_model", e->cpu_model);
	cJSON_AddNumberToObject(c, "memory_bytes", (double)e->memory_bytes);
	cJSON_AddNumberToObject(c, "page_size", (double)e->page_size);
	cJSON_AddStringToObject(c, "thp_enabled", e->thp_enabled);
	cJSON_AddNumberToObject(c, "hugepages_reserved",
				(double)e->hugepages_reserved);
	cJSON_AddStringToObject(c, "filesystem", e->filesystem);
	/* What decides I/O amplification; "unavailable" when unreadable. */
	cJSON_AddNumberToObject(c, "fs_block_size", (double)e->fs_block_size);
	cJSON_AddStringToObject(c, "block_device", e->block_device);
	add_or_unavailable(c, "read_ahead_kb", e->read_ahead_kb);
	add_or_unavailable(c, "page_cluster", e->page_cluster);
	add_or_unavailable(c, "fault_around_bytes", e->fault_around_bytes);
	cJSON_AddStringToObject(c, "thp_defrag", e->thp_defrag);
	cJSON_AddStringToObject(c, "workload", r->workload);
	cJSON_AddStringToObject(c, "file", r->file);
	cJSON_AddNumberToObject(c, "file_size", (double)r->file_size);
	cJSON_AddNumberToObject(c, "block_size", (double)r->block_size);
	cJSON_AddNumberToObject(c, "ops", (double)r->ops);
	if (r->duration_s > 0)
		cJSON_AddNumberToObject(c, "duration_s", r->duration_s);
	cJSON_AddNumberToObject(c, "threads", r->threads);
	cJSON_AddNumberToObject(c, "seed", (double)r->seed);
	cJSON_AddStringToObject(c, "cache", r->cache);
	cJSON_AddNumberToObject(c, "reps", r->reps);
	cJSON_AddStringToObject(c, "fault_source", r->fault_source);
	if (r->fault_source_why[0])
		cJSON_AddStringToObject(c, "fault_source_reason",
					r->fault_source_why);
	cJSON_AddStringToObject(c, "verdict", r->verdict);
	/* Memory pressure (mmb/pressure.h), only when used. */
	if (r->memory_limit) {
		cJSON_AddNumberToObject(c, "memory_limit",
					(double)r->memory_limit);
		cJSON_AddNumberToObject(c, "cgroup_version", r->cgroup_version);
	}
	if (r->interval_ms)
		cJSON_AddNumberToObject(c, "interval_ms", r->interval_ms);
	if (r->partial)
		cJSON_AddBoolToObject(c, "partial", 1);
	return c;
}

static void names(cJSON *o, const struct mmb_run_result *r,
		  const struct mmb_backend_result *b, const char *agg)
{
	char name[192], run[128];

	if (r->sweep_param[0])
		snprintf(run, sizeof(run), "%s/%s/%s:%.17g", r->workload,
			 b->name, r->sweep_param, r->sweep_value);
	else
		snprintf(run, sizeof(run), "%s/%s", r->workload, b->name);
	if (agg)
		snprintf(name, sizeof(name), "%s_%s", run, agg);
	else
		snprintf(name, sizeof(name), "%s", run);
	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddStringToObject(o, "run_name", run);
}

static cJSON *entry(const struct mmb_run_result *r,
		    const struct mmb_backend_result *b,
		    const struct mmb_rep *rep, const char *agg, int index)
{
	cJSON *o = cJSON_CreateObject();
	char sum[24];

	if (!o)
		return NULL;
	names(o, r, b, agg);
	cJSON_AddStringToObject(o, "run_type", agg ? "aggregate" : "iteration");
	cJSON_AddNumberToObject(o, "repetitions", r->reps);
	if (!agg)
		cJSON_AddNumberToObject(o, "repetition_index", index);
	else
		cJSON_AddStringToObject(o, "aggregate_name", agg);
	cJSON_AddNumberToObject(o, "threads", r->threads);
	cJSON_AddNumberToObject(o, "iterations", rep->m[MMB_M_OPS]);
	cJSON_AddStringToObject(o, "time_unit", "ns");
	cJSON_AddStringToObject(o, "backend", b->name);
	cJSON_AddStringToObject(o, "workload", r->workload);
	if (r->sweep_param[0])
		cJSON_AddNumberToObject(o, "sweep_value", r->sweep_value);
	/* real_time, cpu_time, bytes_per_second, items_per_second and the
	 * mmbench counters: one list, see mmb/result.h. */
	for (unsigned k = 0; k < MMB_M__COUNT; k++)
		cJSON_AddNumberToObject(o, mmb_metric_key(k), rep->m[k]);
	if (strcmp(agg ? agg : "", "stddev") != 0) {
		snprintf(sum, sizeof(sum), "0x%016" PRIx64, rep->checksum);
		cJSON_AddStringToObject(o, "checksum", sum);
	}
	return o;
}

static void latency(cJSON *o, const struct mmb_backend_result *b)
{
	const struct mmb_hist *h = b->hist;
	cJSON *arr;

	cJSON_AddNumberToObject(o, "lat_mean_ns", b->lat.mean);
	cJSON_AddNumberToObject(o, "lat_p50_ns", (double)b->lat.p50);
	cJSON_AddNumberToObject(o, "lat_p90_ns", (double)b->lat.p90);
	cJSON_AddNumberToObject(o, "lat_p99_ns", (double)b->lat.p99);
	cJSON_AddNumberToObject(o, "lat_p999_ns", (double)b->lat.p999);
	cJSON_AddNumberToObject(o, "lat_max_ns", (double)b->lat.max);
	arr = cJSON_AddArrayToObject(o, "latency_histogram");
	if (!arr || !h)
		return;
	for (unsigned i = 0; i < MMB_HIST_BUCKETS; i++) {
		if (!h->b[i])
			continue;
		uint64_t up = mmb_hist_upper(i);
		double pair[2] = {(double)(up < h->max ? up : h->max),
				  (double)h->b[i]};
		cJSON_AddItemToArray(arr, cJSON_CreateDoubleArray(pair, 2));
	}
}

static cJSON *not_run(const struct mmb_run_result *r,
		      const struct mmb_backend_result *b)
{
	cJSON *o = cJSON_CreateObject();
	char msg[MMB_RESULT_MSG + 16];
	bool skip = b->status == MMB_ESKIP;

	if (!o)
		return NULL;
	names(o, r, b, NULL);
	cJSON_AddStringToObject(o, "run_type", "aggregate");
	cJSON_AddStringToObject(o, "aggregate_name", "median");
	cJSON_AddStringToObject(o, "backend", b->name);
	cJSON_AddStringToObject(o, "workload", r->workload);
	cJSON_AddBoolToObject(o, "skipped", skip);
	cJSON_AddBoolToObject(o, "error_occurred", 1);
	snprintf(msg, sizeof(msg), "%s: %s", skip ? "skipped" : "failed",
		 b->message);
	cJSON_AddStringToObject(o, "error_message", msg);
	return o;
}

/* --interval: the samples of one repetition as an array of objects. */
static void timeseries(cJSON *o, const struct mmb_series *ts)
{
	cJSON *arr;

	if (!ts || !ts->n)
		return;
	arr = cJSON_AddArrayToObject(o, "timeseries");
	for (unsigned i = 0; arr && i < ts->n; i++) {
		const struct mmb_sample *x = &ts->s[i];
		cJSON *e = cJSON_CreateObject();
		if (!e)
			return;
		cJSON_AddNumberToObject(e, "t_s", x->t_s);
		cJSON_AddNumberToObject(e, "ops_per_s", x->ops_per_s);
		cJSON_AddNumberToObject(e, "ops", (double)x->ops);
		cJSON_AddNumberToObject(e, "minor_faults",
					(double)x->minor_faults);
		cJSON_AddNumberToObject(e, "major_faults",
					(double)x->major_faults);
		cJSON_AddNumberToObject(e, "resident_pages",
					(double)x->resident_pages);
		cJSON_AddNumberToObject(e, "tlb_shootdowns",
					(double)x->tlb_shootdowns);
		cJSON_AddItemToArray(arr, e);
	}
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

static void add_benchmarks(cJSON *arr, const struct mmb_run_result *r)
{
	for (unsigned i = 0; arr && i < r->nbackends; i++) {
		const struct mmb_backend_result *b = &r->b[i];
		if (b->status != 0 || b->nreps == 0) {
			cJSON_AddItemToArray(arr, not_run(r, b));
			continue;
		}
		for (unsigned k = 0; k < b->nreps; k++) {
			cJSON *it = entry(r, b, &b->reps[k], NULL, (int)k);
			if (it && b->series)
				timeseries(it, &b->series[k]);
			cJSON_AddItemToArray(arr, it);
		}
		cJSON_AddItemToArray(arr, entry(r, b, &b->mean, "mean", 0));
		cJSON *med = entry(r, b, &b->median, "median", 0);
		if (med)
			latency(med, b);
		if (med && b->series) {
			unsigned k = median_rep(b);
			cJSON_AddNumberToObject(med, "timeseries_rep", k);
			timeseries(med, &b->series[k]);
		}
		cJSON_AddItemToArray(arr, med);
		cJSON_AddItemToArray(arr, entry(r, b, &b->stddev, "stddev", 0));
	}
}

static cJSON *document(const struct mmb_run_result *const *runs, unsigned n)
{
	cJSON *doc = cJSON_CreateObject(), *arr, *ctx;

	if (!doc)
		return NULL;
	ctx = context(runs[0]);
	cJSON_AddItemToObject(doc, "context", ctx);
	if (ctx && runs[0]->sweep_param[0]) {
		cJSON_AddStringToObject(ctx, "sweep_param",
					runs[0]->sweep_param);
		cJSON *vals = cJSON_AddArrayToObject(ctx, "sweep_values");
		for (unsigned i = 0; vals && i < n; i++)
			cJSON_AddItemToArray(
			    vals, cJSON_CreateNumber(runs[i]->sweep_value));
	}
	/* Interrupted anywhere: the whole file is partial. */
	for (unsigned i = 1; ctx && i < n; i++)
		if (runs[i]->partial && !runs[0]->partial) {
			cJSON_AddBoolToObject(ctx, "partial", 1);
			break;
		}
	arr = cJSON_AddArrayToObject(doc, "benchmarks");
	for (unsigned i = 0; arr && i < n; i++)
		add_benchmarks(arr, runs[i]);
	return doc;
}

int mmb_report_json(const struct mmb_run_result *r, const char *path)
{
	return mmb_report_json_runs(&r, 1, path);
}

int mmb_report_json_runs(const struct mmb_run_result *const *runs, unsigned n,
			 const char *path)
{
	cJSON *doc = n ? document(runs, n) : NULL;
	char *text;
	int rc;

	if (!doc)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "building JSON for %s",
				  path);
	text = cJSON_Print(doc);
	cJSON_Delete(doc);
	if (!text)
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "printing JSON for %s",
				  path);
	size_t len = strlen(text);
	/* A trailing newline, like every text file. */
	char *out = realloc(text, len + 2);
	if (!out) {
		free(text);
		return mmb_seterr(MMB_ENOMEM, ENOMEM, "printing JSON for %s",
				  path);
	}
	out[len] = '\n';
	out[len + 1] = 0;
	rc = mmb_write_file_atomic(path, out, len + 1);
	free(out);
	return rc;
}
