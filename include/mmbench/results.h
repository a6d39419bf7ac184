/* SPDX-License-Identifier: MIT */
/* mmbench/results.h - the results model: one in-memory form of a results
 * file (docs/results.md), and its one loader.
 *
 * Every reader of results goes through mmb_results_load(): compare and
 * baseline (mmbench/compare.h), report (mmbench/report.h), sweep's merge
 * and experiment's conclusion (below). A results file is mmbench's JSON
 * or Google Benchmark's (--benchmark_out_format=json); keys a reader does
 * not know are kept in the model and otherwise ignored.
 *
 *   file      -> context: every key, in file order (struct mmb_rval)
 *             -> entries: every element of "benchmarks", every key kept;
 *                         times in ns, the histogram and time series
 *                         decoded (struct mmb_rentry)
 *             -> benchmarks: the entries grouped by run name, with their
 *                         repetitions, aggregates, skip/error
 *                         (struct mmb_rbench)
 *
 * Thread-safety: the functions only touch the objects passed to them and
 * the calling thread's error (mmb_seterr).
 */
#ifndef MMB_RESULTS_H
#define MMB_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The schema this mmbench writes ("schema_version" at the top level). A
 * file without the key is version 1 (mmbench before it). */
#define MMB_RESULTS_SCHEMA_VERSION 2
/* Larger inputs are refused, with this size in the message. */
#define MMB_RESULTS_MAX_BYTES ((size_t)256 << 20)

enum mmb_rtype {
	MMB_RT_NULL,
	MMB_RT_BOOL,
	MMB_RT_NUMBER, /* also Google Benchmark's bare NaN, Infinity */
	MMB_RT_STRING,
	MMB_RT_ARRAY,
	MMB_RT_OBJECT,
};

/* One JSON value with its key (NULL inside an array). */
struct mmb_rval {
	char *key;
	enum mmb_rtype type;
	double num;	      /* NUMBER: the value; BOOL: 0 or 1; else NaN */
	char *text;	      /* STRING: decoded UTF-8; NUMBER: as written; BOOL
				 "true"/"false"; NULL "null"; ARRAY/OBJECT: compact
				 JSON (no blanks outside strings) */
	struct mmb_rval *kid; /* ARRAY/OBJECT: the members, in order */
	size_t nkid;
};

/* A bucket of a latency histogram. */
struct mmb_rbucket {
	double upper_ns, count;
};

/* One sample of a time series (`mmbench run --interval`), docs/results.md
 * "Memory pressure". NaN for a key the sample lacks. */
struct mmb_rsample {
	double t_s;	  /* end of the interval, s from the region's start */
	double ops;	  /* ops finished in the interval */
	double ops_per_s; /* ops / the interval's length */
	double minor_faults, major_faults;
	double resident_pages; /* file pages in the page cache at its end */
	double tlb_shootdowns; /* whole machine, in the interval */
};

enum mmb_rkind {
	MMB_RK_ITERATION, /* a repetition ("run_type": "iteration", or none) */
	MMB_RK_AGGREGATE, /* "run_type": "aggregate" (or an aggregate_name and
			     no run_type): median, mean, stddev, cv, and
			     Google Benchmark's _BigO and _RMS, which have
			     no real_time */
	MMB_RK_ERROR,	  /* "skipped" or "error_occurred" true */
};

/* One element of "benchmarks". */
struct mmb_rentry {
	struct mmb_rval *kv; /* every key, in file order */
	size_t nkv;
	const char *name;      /* "name" (points into kv) */
	const char *aggregate; /* "aggregate_name", or NULL */
	enum mmb_rkind kind;
	double real_ns, cpu_ns;	  /* from time_unit to ns; NaN when absent */
	const char *error;	  /* "error_message" (or NULL) */
	struct mmb_rbucket *hist; /* latency_histogram; NULL when none */
	size_t nhist;
	struct mmb_rsample *ts; /* timeseries; NULL when none */
	size_t nts;
	int ts_rep;   /* timeseries_rep, -1 when absent */
	size_t bench; /* index of its benchmark in mmb_results.b */
};

/* One benchmark: the entries of one run name, in file order. */
struct mmb_rbench {
	char *name;	    /* run_name, else name less "_<aggregate_name>" */
	char *workload;	    /* "workload", else name before its last '/', "" */
	char *backend;	    /* "backend", else name after its last '/' */
	double sweep_value; /* "sweep_value" of its entries, else NaN */
	size_t *reps;	    /* its iteration entries (indexes into e) */
	size_t nreps;
	/* Its aggregates (indexes into e), -1 when absent. */
	long median, mean, stddev;
	bool skipped;	   /* an error entry: skipped or failed */
	const char *error; /* that entry's error_message, or NULL */
};

struct mmb_results {
	char *path;
	int schema_version;   /* 1 for a file without the key */
	struct mmb_rval *ctx; /* "context", every key in file order */
	size_t nctx;
	struct mmb_rentry *e; /* "benchmarks", in file order */
	size_t ne;
	struct mmb_rbench *b; /* in the order of their first entry */
	size_t nb;
	struct mmb_rval *top; /* the other top-level keys, in file order */
	size_t ntop;
};

/* Read the results file at path. Refuses what is not a regular file and
 * files larger than MMB_RESULTS_MAX_BYTES. JSON is read as Google
 * Benchmark writes it: bare NaN, Infinity and -Infinity are numbers.
 * On success *out owns everything; free with mmb_results_free().
 * Errors, each with a one-line message that starts with the path
 * (mmb_last_error()->call, e.g. "r.json: invalid JSON at line 3, column
 * 7: input ends early (truncated?)"):
 *   negative errno  the file cannot be opened or read ("PATH: cannot
 *                   open" / "PATH: read failed"; mmb_errmsg adds why);
 *   MMB_EPARSE      not a regular file, too large, empty, not JSON, no
 *                   non-empty "benchmarks" array, an entry without a
 *                   "name", an unknown time_unit, a malformed
 *                   latency_histogram or timeseries, a real_time <= 0 or
 *                   cpu_time < 0 in a repetition or median/mean that did
 *                   ops, two repetitions of one benchmark with the same
 *                   repetition_index or two of its median (mean, stddev)
 *                   aggregates (a file concatenated or merged twice);
 *                   a repetition with "iterations": 0 is not counted;
 *   MMB_ENOMEM. */
int mmb_results_load(const char *path, struct mmb_results **out);
void mmb_results_free(struct mmb_results *r);
/* The same for one point of a sweep file (`mmbench sweep --json`): only
 * the entries whose "sweep_value" is sweep_value (the context whole);
 * MMB_EPARSE also when there is none. */
int mmb_results_load_point(const char *path, double sweep_value,
			   struct mmb_results **out);

/* The message of the last failed load as one line: the recorded text for
 * MMB_EPARSE, else mmb_errmsg()'s "PATH: cannot open: REASON"; control
 * characters (from names in the file) replaced by '?'. */
const char *mmb_results_errmsg(char *buf, size_t n);

/* The JSON parser under the loader, for any document: len bytes of text
 * into *out, a tree of values (out->key NULL). name starts the error
 * messages, which are mmb_results_load's ("NAME: invalid JSON at line 1,
 * column 9"). Returns 0, MMB_EPARSE or MMB_ENOMEM; free the tree with
 * mmb_rval_clear() either way. */
int mmb_json_parse(const char *name, const char *text, size_t len,
		   struct mmb_rval *out);
/* Free what v holds (not v itself) and zero it. */
void mmb_rval_clear(struct mmb_rval *v);
/* The member `key` of an object, the i-th item of an array; or NULL. */
const struct mmb_rval *mmb_rval_get(const struct mmb_rval *obj,
				    const char *key);
const struct mmb_rval *mmb_rval_at(const struct mmb_rval *arr, size_t i);

/* Lookups; NULL (or NaN) when absent. */
const struct mmb_rval *mmb_results_ctx(const struct mmb_results *r,
				       const char *key);
/* A context number; NaN when absent or not a number. */
double mmb_results_ctx_num(const struct mmb_results *r, const char *key);
const struct mmb_rbench *mmb_results_find(const struct mmb_results *r,
					  const char *name);
const struct mmb_rval *mmb_rentry_get(const struct mmb_rentry *e,
				      const char *key);
/* A numeric key of an entry; NaN when absent, null or not a number. */
double mmb_rentry_num(const struct mmb_rentry *e, const char *key);
/* A string key of an entry, or NULL. */
const char *mmb_rentry_str(const struct mmb_rentry *e, const char *key);
/* The median aggregate of b, else the mean, else NULL. */
const struct mmb_rentry *mmb_rbench_center(const struct mmb_results *r,
					   const struct mmb_rbench *b);

/* The median of the non-NaN values of v (NaN when there are none), as the
 * gate and the report take it. Reorders v. */
double mmb_results_median(double *v, size_t n);

/* Add (or replace) a numeric context key; MMB_ENOMEM. */
int mmb_results_ctx_set_num(struct mmb_results *r, const char *key, double v);

/* ---- derived from the model (reports/results_merge.c) ------------------ */

/* Write r back as a results file at path, atomically: its other top-level
 * keys, schema_version (when the file had one), the context and every
 * entry with every key, in the order loaded. Integers are written exactly;
 * NaN and the infinities as null. Returns 0 or a negative MMB_E*. */
int mmb_results_write(const struct mmb_results *r, const char *path);

/* Copy a results file to dst atomically, byte for byte, after checking
 * that it loads (used by `mmbench baseline save`). */
int mmb_results_copy(const char *src, const char *dst);

/* `mmbench sweep` and `mmbench experiment`: merge the results files of
 * the points into one file at out, atomically. The first file's context
 * (without "partial") plus, when param is set, "sweep_param": param and
 * "sweep_values": vals; "experiment" when set; "partial": true when
 * partial or any input says so. With param, every entry is renamed
 * "WL/BE/PARAM:VALUE[_AGG]" and gets "sweep_value". Every other key of
 * every entry is kept. Returns 0 or a negative MMB_E* (recorded). */
int mmb_results_merge(const char *const *files, unsigned n, const char *param,
		      const uint64_t *vals, const char *experiment,
		      bool partial, const char *out);
/* The same with a name per point for a parameter whose values are names
 * (mmbench sweep --param access=copy,inplace): entries are renamed
 * "WL/BE/PARAM:LABEL", sweep_value stays vals[i] (the name's index) and
 * the context gets "sweep_labels". labels NULL: mmb_results_merge. */
int mmb_results_merge_named(const char *const *files, unsigned n,
			    const char *param, const uint64_t *vals,
			    const char *const *labels, const char *experiment,
			    bool partial, const char *out);

/* The same, with the context's "command_line" replaced by command_line
 * (the sweep's own; NULL keeps the first file's). With param, the
 * context's verdict keys are the points': "sweep_points" holds each
 * point's sweep_value (sweep_label), verdict, verdict_data, verdict_why
 * and noisy, "verdict" is their texts in turn; entries get
 * per_family_instance_index = the point's index. */
int mmb_results_merge_sweep(const char *const *files, unsigned n,
			    const char *param, const uint64_t *vals,
			    const char *const *labels, const char *experiment,
			    bool partial, const char *command_line,
			    const char *out);

/* `mmbench experiment cidr22`: how one backend's throughput went over the
 * time series of its median entry. */
struct mmb_collapse {
	size_t nsamples;
	double early, late; /* mean ops/s: first quarter, last half */
	double when_s;	    /* first sample below half of early, or NaN */
	double resident_at; /* resident_pages at that sample, or NaN */
	double major_faults, tlb_shootdowns; /* summed over the samples */
	double read_amp;  /* the median entry's read_amp, or NaN */
	double ops_per_s; /* the median entry's items_per_second */
	bool collapsed;	  /* late < early / 2 and when_s known */
};
/* Fill *c for the median entry of backend `backend` in r; MMB_ENOENT
 * when r has none, MMB_ERANGE when its series has fewer than min
 * samples (c->nsamples says how many). */
int mmb_results_collapse(const struct mmb_results *r, const char *backend,
			 size_t min, struct mmb_collapse *c);

#ifdef __cplusplus
}
#endif
#endif
