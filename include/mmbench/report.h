/* mmbench/report.h - read mmbench results files and render them as a report.
 *
 * `mmbench report RESULTS.json... -o DIR` and `mmbench run --report DIR`
 * both end in mmb_report_write(). The model below is what the renderers
 * (reports/gnuplot.c, reports/html.c) read; it is public so other tools can
 * reuse the reader. It is separate from mmbench/compare.h's mmb_results, which
 * keeps only per-repetition samples: a report also needs the context, the
 * aggregates and the latency histogram.
 *
 * Thread-safety: the functions only touch the objects passed to them, and
 * mmb_report_write() additionally forks gnuplot children; call it from one
 * thread at a time if the process also changes its working directory.
 */
#ifndef MMB_REPORT_H
#define MMB_REPORT_H

#include <stddef.h>

#include "mmb/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One key of a results file's "context", in file order. */
struct mmb_report_ctx {
	char *key;
	char *text;    /* strings verbatim, numbers formatted (%.15g) */
	int is_number; /* number holds the value */
	double number;
};

/* A bucket of the merged latency histogram. */
struct mmb_report_bucket {
	double upper_ns;
	double count;
};

/* One sample of a repetition's time series (`mmbench run --interval`),
 * docs/results.md "Memory pressure". NaN for a key the file lacks. */
struct mmb_report_sample {
	double t_s;	  /* end of the interval, s from the region's start */
	double ops;	  /* ops finished in the interval */
	double ops_per_s; /* ops / the interval's length */
	double minor_faults, major_faults;
	double resident_pages; /* file pages in the page cache at its end */
	double tlb_shootdowns; /* whole machine, in the interval */
};

/* One backend of a results file (all its entries folded together); in a
 * sweep file (context "sweep_param"), one backend at one sweep point.
 * Every double is NaN when the file does not provide it, or provides
 * null (unavailable on the measuring machine). */
struct mmb_report_backend {
	char *name;	    /* "backend", or the part of "name" after '/' */
	char *workload;	    /* "workload", or the part before '/'; or "" */
	double sweep_value; /* "sweep_value" of its entries, else NaN */
	int skipped;	   /* could not run here (or failed): only reason set */
	char *reason;	   /* error_message of a skipped backend, else NULL */
	size_t nreps;	   /* iteration entries */
	double *rep_ops;   /* nreps items_per_second values */
	double *rep_bytes; /* nreps bytes_per_second values */
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
	struct mmb_report_bucket *hist; /* increasing upper_ns; may be NULL */
	size_t nhist;
	/* The median aggregate's "timeseries" (the repetition nearest the
	 * median, index ts_rep, -1 when the file does not say); NULL when
	 * the run had no --interval or the file has no median aggregate. */
	struct mmb_report_sample *ts;
	size_t nts;
	int ts_rep;
};

/* One results file. */
struct mmb_report_results {
	char *path;
	struct mmb_report_ctx *ctx;
	size_t nctx;
	struct mmb_report_backend *b; /* in the order of their first entry */
	size_t nb;
};

/* Read the results file at path (docs/results.md; plain Google Benchmark
 * JSON is accepted too). Unknown keys are ignored. On success *out owns
 * everything; release it with mmb_report_results_free().
 * Errors: MMB_EPARSE for a file that cannot be read or is not a results
 * file (empty, not JSON, truncated, no non-empty "benchmarks" array, an
 * entry without a name), MMB_ENOMEM. err (if errlen > 0) then holds a
 * one-line message that starts with the path, e.g.
 * "r.json: invalid JSON at line 3, column 7 (truncated?)". */
int mmb_report_load(const char *path, struct mmb_report_results *out, char *err,
		    size_t errlen);

/* Free what mmb_report_load() filled in (not r itself). NULL is fine. */
void mmb_report_results_free(struct mmb_report_results *r);

/* The context entry named key, or NULL. */
const struct mmb_report_ctx *
mmb_report_ctx_get(const struct mmb_report_results *r, const char *key);

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

#ifdef __cplusplus
}
#endif
#endif
