/* SPDX-License-Identifier: MIT */
/* mmbench/report.h - render results files as a report.
 *
 * `mmbench report RESULTS.json... -o DIR` and `mmbench run --report DIR`
 * both end in mmb_report_write(). The renderers (reports/gnuplot.c,
 * reports/html.c) read a summary of each file: one struct
 * mmb_report_backend per benchmark of the results model
 * (mmbench/results.h), with the numbers a report shows taken from the
 * median aggregate (or the median of the repetitions).
 *
 * Thread-safety: the functions only touch the objects passed to them, and
 * mmb_report_write() additionally forks gnuplot children; call it from one
 * thread at a time if the process also changes its working directory.
 */
#ifndef MMB_REPORT_H
#define MMB_REPORT_H

#include <stddef.h>

#include "mmb/error.h"
#include "mmbench/result.h"
#include "mmbench/results.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One benchmark of a results file (all its entries folded together): a
 * backend, or in a sweep file (context "sweep_param") a backend at one
 * sweep point.
 * Every double is NaN when the file does not provide it, or provides
 * null (unavailable on the measuring machine). */
struct mmb_report_backend {
	const char *name;     /* the benchmark's backend (mmb_rbench) */
	const char *workload; /* and workload, or "" */
	double sweep_value;   /* "sweep_value" of its entries, else NaN */
	int skipped;	      /* could not run here (or failed) */
	const char *reason;   /* its error_message, or "skipped" */
	size_t nreps;	      /* iteration entries */
	double *rep_ops;      /* nreps items_per_second values */
	double *rep_bytes;    /* nreps bytes_per_second values */
	/* From the median aggregate; without aggregates, the median of the
	 * iterations. ops_stddev from the stddev aggregate. */
	double ops_per_s, bytes_per_s, ops_stddev;
	double minor_faults, major_faults, faults;
	double pages_touched, pages_per_fault;
	double resident_before; /* fraction 0..1 */
	double file_pmd_mapped_kb, anon_huge_kb;
	double setup_ns, real_time_ns;
	/* Device I/O (docs/results.md): bytes the storage read/wrote for the
	 * process, their ratio to the bytes requested, and the whole disk's
	 * counters. has_io: an entry had the key dev_read_bytes at all (a
	 * file from before these fields has none; null still counts). */
	int has_io;
	double dev_read_bytes, dev_write_bytes, read_amp, write_amp;
	double disk_read_bytes, disk_write_bytes;
	double lat_mean_ns, lat_p50_ns, lat_p90_ns, lat_p99_ns, lat_p999_ns,
	    lat_max_ns;
	const struct mmb_rbucket *hist; /* increasing upper_ns; may be NULL */
	size_t nhist;
	/* The median aggregate's "timeseries" (the repetition nearest the
	 * median, index ts_rep, -1 when the file does not say); NULL when
	 * the run had no --interval or the file has no median aggregate. */
	const struct mmb_rsample *ts;
	size_t nts;
	int ts_rep;
};

/* The summary of one results file. */
struct mmb_report_results {
	struct mmb_results *res;      /* owned */
	struct mmb_report_backend *b; /* one per res->b, in that order */
	size_t nb;
	/* The sweep point this summary is, as its headings and plot
	 * captions name it ("threads=2"); "" when it is not one. */
	char point[96];
};

/* Summarize res, which *out then owns (also on failure: free with
 * mmb_report_results_free()). Returns 0 or MMB_ENOMEM. */
int mmb_report_summarize(struct mmb_results *res,
			 struct mmb_report_results *out);

/* Free the summary and its model (not r itself). NULL is fine. */
void mmb_report_results_free(struct mmb_report_results *r);

/* The context entry named key, or NULL. */
const struct mmb_rval *mmb_report_ctx_get(const struct mmb_report_results *r,
					  const char *key);

/* The verdict of a results file as data, read back from its context's
 * "verdict_data" (docs/results.md; render it with mmb_verdict_text()).
 * Keys, terms and note codes it does not know are ignored. Returns 0,
 * MMB_ENOENT when the file has none (mmbench before the key, Google
 * Benchmark: show its "verdict" text instead), or MMB_EPARSE when it is
 * not an object or names an unknown decision or rule, or a comparison
 * without its backends (*v is then cleared). */
int mmb_report_verdict(const struct mmb_report_results *r,
		       struct mmb_run_verdict *v);

/* Write a report of nfiles results files into the directory outdir:
 * outdir/index.html (one self-contained page: inline CSS, no network
 * fetches, images referenced as files beside it) and outdir/plots/ with a
 * gnuplot script, its data file and the PNG and SVG it renders for each
 * plot (re-run any of them with `cd plots && gnuplot NAME.gp`). Several
 * files that differ in one numeric context parameter (threads, file_size,
 * block_size, ...) also get a sweep plot of throughput against it, and so
 * does one sweep file (`mmbench sweep --json`, context "sweep_param"),
 * whose points it keeps apart as backends labelled "mmap threads=2". A
 * file with time series gets a plot of throughput over time.
 *
 * The report is built in a new directory "outdir.tmp-XXXXXX" beside outdir
 * and renamed into place, so a failure leaves nothing behind. An existing
 * outdir is replaced only when it is empty or a previous report (it holds
 * the marker file .mmbench-report), atomically with renameat2
 * (RENAME_EXCHANGE) where the file system supports it.
 *
 * Returns 0, or:
 *   MMB_EPARSE  an input file is unreadable or not a results file
 *               (bad input: `mmbench report` exits 2);
 *   MMB_ENOENT  gnuplot is not in PATH (message names package gnuplot-nox);
 *   MMB_EEXIST  outdir exists and is neither empty nor a previous report;
 *   MMB_EINVAL  nfiles < 1, or outdir empty or "." / "..";
 *   MMB_ERANGE  more plots than a report holds (about 60 files);
 *   other MMB_E* codes from creating or writing the output, or gnuplot
 *   failing (its first line of stderr in the message).
 * err (if errlen > 0) receives a one-line message on failure.
 * Not async-signal-safe; forks and waits for gnuplot children. */
int mmb_report_write(const char *const *files, int nfiles, const char *outdir,
		     char *err, size_t errlen);

/* mmb_report_write(), with the page naming input i as shown[i] (NULL or
 * a NULL item: its path), for a file the caller moves or copies later
 * (`mmbench sweep --report` without --json keeps DIR/sweep.json). */
int mmb_report_write_as(const char *const *files, const char *const *shown,
			int nfiles, const char *outdir, char *err,
			size_t errlen);

/* An old-vs-new comparison page of two results files (mmbench's or
 * Google Benchmark's) into outdir, as mmb_report_write writes a report:
 * the table of mmb_compare (mmbench/compare.h) with opts (NULL: the
 * defaults of `mmbench compare`) and old vs new time per iteration as a
 * plot. `mmbench report OLD.json NEW.json` of two Google Benchmark files
 * makes the same page. Errors as mmb_report_write's; MMB_EPARSE also
 * when the files have no benchmark in common. */
struct mmb_compare_opts;
int mmb_report_compare(const char *old_path, const char *new_path,
		       const struct mmb_compare_opts *opts, const char *outdir,
		       char *err, size_t errlen);

/* Whether mmb_report_write() could write outdir, checked before a run that
 * ends in a report: a usable name, gnuplot where it is required, outdir
 * absent, empty or a previous report, and a temporary directory beside it
 * can be made (a missing parent, a read-only or unwritable directory
 * fail). 0, or mmb_report_write()'s codes with err filled. */
int mmb_report_check_dest(const char *outdir, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
