/* mmbench/compare.h - statistics and the regression gate over results files.
 *
 * A results file is mmbench's JSON (docs/results.md) or Google Benchmark's
 * (--benchmark_out=FILE --benchmark_out_format=json). The gate matches the
 * benchmarks of two files by name, compares the medians of their per-
 * repetition real_time, and tests whether the two sets of repetitions come
 * from the same distribution with a two-sided Mann-Whitney U test.
 *
 * Thread-safety: every function here only touches the objects passed to it;
 * different objects may be used from different threads.
 */
#ifndef MMB_COMPARE_H
#define MMB_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mmb/error.h"
#include "stats.h" /* the U test */

#ifdef __cplusplus
extern "C" {
#endif

/* ---- results files ------------------------------------------------------ */

/* One counter of a benchmark: its value in each repetition. */
struct mmb_cmp_counter {
	char *name;
	double *v; /* n values, one per repetition */
	size_t n;
};

/* One benchmark of a results file: its repetitions. */
struct mmb_cmp_series {
	char *name;   /* run_name (or name without the aggregate suffix) */
	double *real; /* real_time per op of each repetition, in ns */
	size_t n;     /* repetitions */
	bool from_aggregate; /* no iteration entries: one sample taken from
				the median (or mean) aggregate */
	bool skipped;	     /* skipped or error_occurred */
	char *error;	     /* error_message when skipped, else NULL */
	struct mmb_cmp_counter *counters;
	size_t ncounters;
};

/* Context keys that must agree for two runs to be comparable; compare
 * warns when both files have one and the values differ. */
#define MMB_RESULTS_CTX_KEYS \
	X(workload)          \
	X(file_size) X(block_size) X(ops) X(threads) X(seed) X(cache)
enum {
#define X(k) MMB_RESULTS_CTX_##k,
	MMB_RESULTS_CTX_KEYS
#undef X
	    MMB_RESULTS_CTX__COUNT
};

struct mmb_results {
	char *path;
	struct mmb_cmp_series *s;
	size_t n; /* benchmarks, in the order of their first entry */
	/* the MMB_RESULTS_CTX_KEYS of "context" as text, NULL when absent */
	char *ctx[MMB_RESULTS_CTX__COUNT];
};

/* Read a results file. Entries with "run_type": "iteration" (or no
 * run_type, as in old Google Benchmark output) are the repetitions; a
 * benchmark with only aggregates gets one sample from its median (or mean).
 * Times are converted to ns from `time_unit`. Every other numeric key of an
 * entry that is not a Google Benchmark bookkeeping key is a counter.
 * On success *out owns everything (free with mmb_results_free()).
 * Errors (message recorded with mmb_seterr): OS errors from open/read,
 * MMB_EPARSE (not JSON, no "benchmarks" array, no usable entry). */
int mmb_results_load(const char *path, struct mmb_results **out);
void mmb_results_free(struct mmb_results *r);
/* The benchmark named `name`, or NULL. */
const struct mmb_cmp_series *mmb_results_find(const struct mmb_results *r,
					      const char *name);

/* ---- the gate ----------------------------------------------------------- */

/* A counter gated exactly: fail when the new median exceeds the old by more
 * than `limit` (a fraction when relative, e.g. 0.05, else absolute). */
struct mmb_counter_gate {
	char name[64];
	double limit;
	bool relative;
};

/* Parse "faults:5%" (relative) or "faults:100" (absolute increase).
 * MMB_EINVAL with a message on anything else. */
int mmb_counter_gate_parse(const char *spec, struct mmb_counter_gate *g);

/* The defaults of `mmbench compare` and `baseline check`. */
#define MMB_COMPARE_THRESHOLD 0.10
#define MMB_COMPARE_ALPHA     0.05

struct mmb_compare_opts {
	double threshold;      /* relative slow-down that fails, e.g. 0.10 */
	double alpha;	       /* significance level of the U test, e.g. 0.05 */
	const char *normalize; /* reference benchmark, or NULL */
	const struct mmb_counter_gate *counters;
	size_t ncounters;
};

enum mmb_verdict {
	MMB_VERDICT_SAME,      /* within threshold, or not significant */
	MMB_VERDICT_FASTER,    /* faster beyond threshold and significant */
	MMB_VERDICT_SLOWER,    /* slower beyond threshold and significant:
				  a regression */
	MMB_VERDICT_NOISY,     /* slower beyond threshold, not significant */
	MMB_VERDICT_TOO_FEW,   /* too few repetitions to test */
	MMB_VERDICT_SKIPPED,   /* skipped or failed in either file */
	MMB_VERDICT_REFERENCE, /* the --normalize reference */
};
const char *mmb_verdict_name(enum mmb_verdict v);

struct mmb_counter_cmp {
	const char *name; /* points into the options */
	double old_med, new_med;
	double change; /* (new - old) / old; 0 when both are 0 */
	bool present;  /* found in both files */
	bool failed;
};

struct mmb_cmp_row {
	const char *name; /* points into the baseline results */
	size_t n_old, n_new;
	double old_med, new_med; /* ns, or ratios when normalized */
	double change;		 /* (new - old) / old */
	struct mmb_utest u;
	bool tested; /* u is valid */
	enum mmb_verdict verdict;
	struct mmb_counter_cmp *counters; /* opts->ncounters of them */
	bool failed;			  /* time or a counter gate failed */
};

struct mmb_comparison {
	struct mmb_compare_opts opts;
	const char *old_path, *new_path;
	struct mmb_cmp_row *rows;
	size_t nrows;
	char **only_old, **only_new; /* names in one file only (borrowed) */
	size_t nonly_old, nonly_new;
	char **warnings; /* owned, one line each */
	size_t nwarnings;
	bool regression; /* any row failed */
};

/* Compare `cur` against `base`. Rows follow the baseline's order.
 * Errors (message recorded): MMB_EINVAL (no benchmark in common, the
 * normalize reference missing or skipped in a file, bad options),
 * MMB_ENOMEM. The comparison borrows names from base and opts: keep them
 * alive until mmb_comparison_free(). */
int mmb_compare(const struct mmb_results *base, const struct mmb_results *cur,
		const struct mmb_compare_opts *opts,
		struct mmb_comparison **out);
void mmb_comparison_free(struct mmb_comparison *c);

/* Print the comparison as an aligned text table (warnings included). */
void mmb_comparison_print(const struct mmb_comparison *c, FILE *f);
/* Write it as JSON or as a Markdown table (for a CI job summary) to path,
 * atomically (temp file in the same directory, then rename). Returns 0 or
 * an MMB_E* with the message recorded. */
int mmb_comparison_write_json(const struct mmb_comparison *c, const char *path);
int mmb_comparison_write_markdown(const struct mmb_comparison *c,
				  const char *path);

/* Copy a results file to dst atomically, after checking that it parses and
 * holds at least one benchmark (used by `mmbench baseline save`). */
int mmb_results_copy(const char *src, const char *dst);

#ifdef __cplusplus
}
#endif
#endif
