/* SPDX-License-Identifier: MIT */
/* mmbench/compare.h - statistics and the regression gate over results files.
 *
 * The gate (reports/compare.c) works on two loaded results models
 * (mmbench/results.h): it matches their benchmarks by name, compares the
 * medians of their per-repetition real_time, and tests whether the two
 * sets of repetitions come from the same distribution with a two-sided
 * Mann-Whitney U test. A benchmark without repetitions uses one sample
 * from its median (or mean) aggregate; one with neither (Google
 * Benchmark's _BigO/_RMS families) is not compared. Its renderings (text,
 * JSON, Markdown) are reports/compare_out.c.
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
#include "results.h"
#include "stats.h" /* the U test */

#ifdef __cplusplus
extern "C" {
#endif

/* Context keys that must agree for two runs to be comparable; compare
 * warns when both files have one and the values differ. */
#define MMB_RESULTS_CTX_KEYS \
	X(workload)          \
	X(file_size) X(block_size) X(ops) X(threads) X(seed) X(cache)

/* ---- the gate ----------------------------------------------------------- */

/* Whether a numeric key of an entry is a counter the gate can check
 * (faults, bytes_read, ...): false for Google Benchmark's bookkeeping
 * (iterations, repetition_index, family_index, ...), the times, and the
 * rates derived from them (bytes_per_second, items_per_second). */
bool mmb_compare_is_counter(const char *key);

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
 * Errors (message recorded): MMB_EPARSE (a repetition without a numeric
 * real_time, a benchmark with neither repetitions nor a median), MMB_EINVAL
 * (no benchmark in common, the normalize reference missing or skipped in a
 * file, bad options), MMB_ENOMEM. The comparison borrows names from base and
 * opts: keep them alive until mmb_comparison_free(). */
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

#ifdef __cplusplus
}
#endif
#endif
