/* SPDX-License-Identifier: MIT */
/* mmbench/result.h - what a benchmark run measured, as plain data.
 *
 * The runner (workloads/) fills a struct mmb_run_result; the writers
 * (reports/: JSON per docs/results.md, CSV) and the CLI's console table
 * only read it. Every per-repetition number is a metric in one X-macro
 * list, so the JSON keys, the CSV columns and the aggregates (mean, median,
 * stddev, min, max) cannot drift apart.
 */
#ifndef MMB_RESULT_H
#define MMB_RESULT_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mmbench/kevents.h"
#include "mmbench/profile.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- latency histogram: log-linear buckets ------------------------------
 *
 * Values below MMB_HIST_SUB ns each get their own bucket; above, every
 * power of two [2^e, 2^(e+1)) is split into MMB_HIST_SUB equal buckets, so
 * a bucket is at most 1/128 (0.8%) wide relative to its value, and values
 * 1% apart never share one: page-cache hits of ~600 ns that differ by a few
 * percent get different percentiles (at 1/32 the p50s of the mmap variants
 * read alike). The index costs one clz, one shift and a few adds whatever
 * MMB_HIST_SUB_BITS is; 5376 buckets take 42 KiB a histogram, of which an
 * op touches one line. Fixed size, no allocation per value: safe to fill
 * inside the timed loop. */
#define MMB_HIST_SUB_BITS 7
#define MMB_HIST_SUB	  (1u << MMB_HIST_SUB_BITS)
#define MMB_HIST_MAX_EXP  47 /* values >= 2^48 ns (3 days) share a bucket */
#define MMB_HIST_BUCKETS \
	(MMB_HIST_SUB +  \
	 (MMB_HIST_MAX_EXP - MMB_HIST_SUB_BITS + 1) * MMB_HIST_SUB)

struct mmb_hist {
	uint64_t count;
	uint64_t sum; /* ns, for the mean */
	uint64_t min, max;
	uint64_t b[MMB_HIST_BUCKETS];
};

/* Bucket index of a value in ns. */
static inline unsigned mmb_hist_index(uint64_t v)
{
	if (v < MMB_HIST_SUB)
		return (unsigned)v;
	unsigned e = 63u - (unsigned)__builtin_clzll(v);
	if (e > MMB_HIST_MAX_EXP)
		return MMB_HIST_BUCKETS - 1;
	return MMB_HIST_SUB + (e - MMB_HIST_SUB_BITS) * MMB_HIST_SUB +
	       (unsigned)((v >> (e - MMB_HIST_SUB_BITS)) - MMB_HIST_SUB);
}

/* Largest value (ns) that falls into bucket i. */
static inline uint64_t mmb_hist_upper(unsigned i)
{
	if (i < MMB_HIST_SUB)
		return i;
	if (i >= MMB_HIST_BUCKETS - 1)
		return UINT64_MAX;
	unsigned e = MMB_HIST_SUB_BITS + (i - MMB_HIST_SUB) / MMB_HIST_SUB;
	uint64_t sub = (i - MMB_HIST_SUB) % MMB_HIST_SUB;
	uint64_t lo = (MMB_HIST_SUB + sub) << (e - MMB_HIST_SUB_BITS);
	return lo + ((uint64_t)1 << (e - MMB_HIST_SUB_BITS)) - 1;
}

/* Record one value. h must have been zeroed (min is then set on the first
 * value). Not thread-safe: one histogram per thread, merged afterwards. */
static inline void mmb_hist_add(struct mmb_hist *h, uint64_t v)
{
	if (h->count == 0 || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
	h->b[mmb_hist_index(v)]++;
}

/* Add src's values into dst. */
void mmb_hist_merge(struct mmb_hist *dst, const struct mmb_hist *src);
/* Value at quantile q (0..1): the upper bound of the bucket holding the
 * ceil(q * count)-th value, capped at the true maximum. 0 when empty. */
uint64_t mmb_hist_quantile(const struct mmb_hist *h, double q);

/* ---- per-repetition metrics ---------------------------------------------
 *
 * X(ENUM, json_key, description). The keys are those of docs/results.md:
 * Google Benchmark's (real_time, cpu_time per op; bytes/items per second)
 * and mmbench's counters. A metric that could not be measured here (the
 * dev_* and disk_* storage counters, the amplifications) is NAN: JSON
 * null, an empty CSV field, "-" on the console. Test with isnan(). */
#define MMB_METRICS(X)                                                     \
	X(OPS, ops, "ops done")                                            \
	X(BYTES_READ, bytes_read, "bytes moved by reads")                  \
	X(BYTES_WRITTEN, bytes_written, "bytes moved by writes")           \
	X(ELAPSED_NS, elapsed_ns, "wall time of the timed region")         \
	X(REAL_TIME, real_time, "wall ns per op")                          \
	X(CPU_TIME, cpu_time, "user+system CPU ns per op")                 \
	X(USER_NS, user_ns, "user CPU time in the timed region")           \
	X(SYS_NS, sys_ns, "system CPU time in the timed region")           \
	X(ITEMS_PER_SECOND, items_per_second, "ops per second")            \
	X(BYTES_PER_SECOND, bytes_per_second, "bytes per second")          \
	X(MINOR_FAULTS, minor_faults, "minor page faults")                 \
	X(MAJOR_FAULTS, major_faults, "major page faults")                 \
	X(FAULTS, faults, "all page faults")                               \
	X(FAULTS_RUSAGE, faults_rusage, "getrusage faults, cross-check")   \
	X(PAGES_TOUCHED, pages_touched, "distinct pages the ops touched")  \
	X(PAGES_PER_FAULT, pages_per_fault, "pages_touched / faults")      \
	X(RESIDENT_BEFORE, resident_before, "file fraction cached before") \
	X(FILE_PMD_MAPPED_KB, file_pmd_mapped_kb, "smaps FilePmdMapped")   \
	X(ANON_HUGE_KB, anon_huge_kb, "smaps AnonHugePages")               \
	X(SETUP_NS, setup_ns, "backend open time, not timed")              \
	X(DEV_READ_BYTES, dev_read_bytes, "bytes storage read for us")     \
	X(DEV_WRITE_BYTES, dev_write_bytes, "bytes we sent to storage")    \
	X(READ_AMP, read_amp, "dev_read_bytes / bytes_read")               \
	X(WRITE_AMP, write_amp, "dev_write_bytes / bytes_written")         \
	X(DISK_READ_BYTES, disk_read_bytes, "whole disk read, sysfs")      \
	X(DISK_WRITE_BYTES, disk_write_bytes, "whole disk written, sysfs")

enum mmb_metric {
#define MMB__METRIC_ENUM(e, key, desc) MMB_M_##e,
	MMB_METRICS(MMB__METRIC_ENUM)
#undef MMB__METRIC_ENUM
	    MMB_M__COUNT
};

/* fn(v): the string X makes of entry v of the X-macro LIST; NULL when v
 * is out of range (>= count). Inline so that readers of results need no
 * library; #undef after the verdict's tables below. */
#define MMB__LOOKUP(fn, type, LIST, X, count)               \
	static inline const char *fn(type v)                \
	{                                                   \
		static const char *const n[] = {LIST(X)};   \
		return (unsigned)v < (count) ? n[v] : NULL; \
	}

/* JSON/CSV key of a metric ("bytes_read"). */
#define MMB__METRIC_KEY(e, key, desc) #key,
MMB__LOOKUP(mmb_metric_key, enum mmb_metric, MMB_METRICS, MMB__METRIC_KEY,
	    MMB_M__COUNT)
#undef MMB__METRIC_KEY

/* ---- backend-specific metrics -------------------------------------------
 *
 * A backend's own numbers (struct mmb_backend's .metrics hook, e.g.
 * mmap-window's remaps) and the runner's ops_not_served for a backend that
 * may leave ops unserved (MMB_CAP_NONBLOCK): named by the backend, so
 * their names and units are kept per backend (mmb_backend_result.xdef) and
 * their values per repetition (mmb_rep.x, same order), aggregated like
 * m[]. JSON: extra numeric keys of each benchmark entry; CSV: columns. */
#define MMB_XMETRICS_MAX 12

struct mmb_xmetric {
	char name[32]; /* JSON key / CSV column: [a-z0-9_], not a metric key */
	char unit[16]; /* "views", "ops" */
};

struct mmb_rep {
	double m[MMB_M__COUNT];	    /* indexed by enum mmb_metric */
	double x[MMB_XMETRICS_MAX]; /* indexed like the backend's xdef[] */
	uint64_t checksum; /* sum of the first 8-byte word of every read */
	bool interrupted;  /* Ctrl-C stopped it before its ops or duration were
			      done: its numbers cover the ops it did */
	struct mmb_kevents kev; /* kernel events of the timed region */
};

/* Latency summary in ns, over all measured repetitions of a backend. */
struct mmb_latency {
	double mean;
	uint64_t p50, p90, p99, p999, max;
};

/* ---- time series (--interval) -------------------------------------------
 *
 * One sample per interval of the timed region of one repetition, taken by
 * a sampler thread (workloads/timeseries.c). Counts are per interval, not
 * cumulative; resident_pages is a level at the end of the interval. */
struct mmb_sample {
	double t_s;	       /* end of the interval, from the region start */
	double ops_per_s;      /* ops finished in the interval / its length */
	uint64_t ops;	       /* ops finished in the interval */
	uint64_t minor_faults; /* process-wide (getrusage) */
	uint64_t major_faults;
	uint64_t resident_pages; /* of the file, by mincore */
	uint64_t tlb_shootdowns; /* /proc/interrupts TLB, all CPUs */
};

struct mmb_series {
	unsigned interval_ms;
	unsigned n;
	struct mmb_sample *s; /* owned */
};

/* ---- per backend -------------------------------------------------------- */

#define MMB_RESULT_MSG 256
/* Folio orders told apart: 0 (4 KiB) .. 10 (4 MiB); larger count as 10. */
#define MMB_FOLIO_ORDERS 11

struct mmb_backend_result {
	char name[32];
	unsigned caps; /* enum mmb_backend_caps */
	/* 0: ran; MMB_ESKIP: cannot run here (message = reason); another
	 * MMB_E*: failed (message = "call: error"). */
	int status;
	char message[MMB_RESULT_MSG];
	/* Warnings that do not invalidate the numbers, e.g. cold cache asked
	 * for but pages stayed resident. Empty when none. */
	char note[MMB_RESULT_MSG];
	unsigned nx; /* backend-specific metrics in xdef[] and every x[] */
	struct mmb_xmetric xdef[MMB_XMETRICS_MAX];
	unsigned nreps;	      /* measured repetitions in reps[] */
	struct mmb_rep *reps; /* owned */
	/* Aggregates over reps[], metric by metric (checksum: of reps[0]). */
	struct mmb_rep mean, median, stddev, min, max;
	/* Mapped backends: the pages mapped after the last measured
	 * repetition, by the order of the page-cache folio holding them
	 * (folio_pages[k]: in folios of 2^k pages), read from
	 * /proc/self/pagemap and /proc/kpageflags (root). folio_known false:
	 * folio_why says why not (or the backend maps nothing). */
	/* Noise (docs/results.md "noisy"): the repetitions' ops/s spread
	 * ((max - min) / median) above 10%, or a repetition during which the
	 * whole disk moved much more than this process (another process
	 * used it). noisy_why says which, with the numbers. */
	bool noisy;
	char noisy_why[MMB_RESULT_MSG];
	bool folio_known;
	uint64_t folio_pages[MMB_FOLIO_ORDERS];
	char folio_why[128];
	struct mmb_hist *hist; /* merged over measured reps; owned */
	/* One op in lat_every of each thread's ops was timed for hist (0:
	 * none): the run's --lat-every, or chosen from the warm-up's speed
	 * (mmb_run_result.lat_spacing_ns). */
	uint64_t lat_every;
	struct mmb_latency lat;
	bool checksum_stable; /* every rep read the same checksum */
	/* --interval: one series per measured rep (nreps entries), NULL
	 * otherwise; owned. */
	struct mmb_series *series;
	/* --profile: where the time went, over the measured reps; NULL
	 * otherwise; owned. With --kernel-events separate (the default):
	 * of the evidence repetition. */
	struct mmb_profile *profile;
	/* The evidence repetition (mmbench/kevents.h, MMB_KEV_MODE_SEPARATE,
	 * or --profile without inline): the same ops once more after the
	 * measured reps, with the kernel events and the profile on; never
	 * in the statistics. has_evidence: it ran to its end, and the
	 * aggregates' kev are its kev. */
	bool has_evidence;
	struct mmb_rep evidence;
};

/* ---- the verdict --------------------------------------------------------
 *
 * Which backend is fastest, by how much, whether that beats the noise of
 * the repetitions, and the counters that explain it: computed once, by the
 * runner (workloads/verdict.c), from the backends' results; rendered into
 * words by mmb_verdict_text() (reports/verdict_text.c, in mmb_writers:
 * the console, the "verdict" key of the JSON, the HTML report), written
 * as data under "verdict_data" (docs/results.md) and read back by the
 * report (mmb_report_verdict). Tests check these fields, not the words.
 *
 * A difference is "faster" only when it beats the noise of the
 * repetitions' ops/s: by the two-sided Mann-Whitney U test (alpha
 * MMB_RV_ALPHA) when the repetitions can reach significance at all (4 vs 4
 * or more; 3 vs 3 cannot: its smallest p is 0.1), else by whether the
 * [min, max] ranges overlap, and with one repetition each by the ratio
 * alone. A significant difference below MMB_RV_TIE_RATIO is a tie. */
#define MMB_RV_ALPHA	 0.05
#define MMB_RV_TIE_RATIO 1.05 /* ratios below are "within 5%" */

/* X(ENUM, json_name) */
#define MMB_RV_DECISIONS(X)                                                 \
	X(NONE_RAN, none_ran)  /* no backend ran */                         \
	X(ONLY_ONE, only_one)  /* one ran: its ops/s, nothing to compare */ \
	X(FASTER, faster)      /* beyond the noise and by >= 5% */          \
	X(TIE, tie)	       /* beyond the noise, but below 5% */         \
	X(NOISE, within_noise) /* within the noise of the repetitions */

enum mmb_rv_decision {
#define MMB__RV_ENUM(e, name) MMB_RV_##e,
	MMB_RV_DECISIONS(MMB__RV_ENUM)
#undef MMB__RV_ENUM
	    MMB_RV__DECISIONS
};

/* The rule that decided a comparison. */
#define MMB_RV_RULES(X)                                        \
	X(NO_RULE, none)      /* not compared */               \
	X(UTEST, u_test)      /* Mann-Whitney U: p */          \
	X(RANGES, ranges)     /* [min, max] ranges: overlap */ \
	X(SINGLE, single_rep) /* one rep each: noise unknown, ratio only */

enum mmb_rv_rule {
#define MMB__RV_ENUM(e, name) MMB_RV_##e,
	MMB_RV_RULES(MMB__RV_ENUM)
#undef MMB__RV_ENUM
	    MMB_RV__RULES
};

/* The evidence: X(ENUM, json_key, unit), each a median of the winner and
 * of the reference backend; NaN when not measured (or not applicable:
 * ops_not_served of a backend that serves every op). */
#define MMB_RV_TERMS(X)                                    \
	X(SYS_US_PER_OP, sys_us_per_op, "us/op")           \
	X(USER_US_PER_OP, user_us_per_op, "us/op")         \
	X(FAULTS, faults, "faults")                        \
	X(MAJOR_FAULTS, major_faults, "faults")            \
	X(PAGES_TOUCHED, pages_touched, "pages")           \
	X(PAGES_PER_FAULT, pages_per_fault, "pages/fault") \
	X(FILE_PMD_MAPPED_KB, file_pmd_mapped_kb, "KiB")   \
	X(READ_AMP, read_amp, "x")                         \
	X(WRITE_AMP, write_amp, "x")                       \
	X(BYTES_READ, bytes_read, "bytes")                 \
	X(BYTES_WRITTEN, bytes_written, "bytes")           \
	X(DEV_READ_BYTES, dev_read_bytes, "bytes")         \
	X(SETUP_NS, setup_ns, "ns")                        \
	X(ELAPSED_NS, elapsed_ns, "ns")                    \
	X(RESIDENT_BEFORE, resident_before, "fraction")    \
	X(OPS_NOT_SERVED, ops_not_served, "ops")           \
	X(OPS, ops, "ops")                                 \
	X(BYTES_CONSUMED, bytes_consumed, "bytes")         \
	X(OPS_VIEWED, ops_viewed, "ops")

enum mmb_rv_term {
#define MMB__RV_ENUM(e, key, unit) MMB_RV_T_##e,
	MMB_RV_TERMS(MMB__RV_ENUM)
#undef MMB__RV_ENUM
	    MMB_RV__TERMS
};

/* What the verdict adds to the comparison, X(ENUM, json_code), each about
 * one backend (mmb_rv_note.backend) with up to two numbers:
 *   READ_AMP           the winner read value x the requested bytes from
 *                      the device, >= 1.5x and >= 2x the reference's
 *                      (other): readahead (and fault-around if mapped)
 *   WRITE_AMP          likewise for writes (value, other)
 *   READ_BEFORE_WRITE  a write-only run: the winner made the device read
 *                      value bytes, >= half of what it wrote and >= 2x
 *                      the reference's (other): pages read in before a
 *                      store changed part of them
 *   ADVICE_RANDOM      readahead is to blame and --advice random was not
 *                      given: try it
 *   PMD_MAPPED         a mapped backend's faults mapped PMD-size large
 *                      folios (value: FilePmdMapped KiB)
 *   FAULT_AROUND       a mapped backend mapped >= 2 pages per fault,
 *                      large folios or fault-around (value: pages/fault)
 *   SETUP_OUTSIDE      the winner spent value ns at open, outside the
 *                      timed region (> 10% of it, > 10x the reference's)
 *   RESIDENT_DIFFERS   the file was value cached (fraction) for the
 *                      winner but other for the reference (> 0.1 apart)
 *   CACHE_NOT_AS_ASKED a repetition of the backend started value cached
 *                      (fraction, the worst repetition) though cache
 *                      (mmb_run_verdict.cache) asked cold (> 1%) or warm
 *                      (< 99%): not the comparison asked for
 *   NOT_SERVED         the backend left value ops not served (would
 *                      block, MMB_CAP_NONBLOCK): its ops/s counts only
 *                      the ops it served */
#define MMB_RV_NOTES(X)                           \
	X(READ_AMP, read_amp)                     \
	X(WRITE_AMP, write_amp)                   \
	X(READ_BEFORE_WRITE, read_before_write)   \
	X(ADVICE_RANDOM, try_advice_random)       \
	X(PMD_MAPPED, pmd_mapped)                 \
	X(FAULT_AROUND, fault_around)             \
	X(SETUP_OUTSIDE, setup_outside_timed)     \
	X(RESIDENT_DIFFERS, resident_differs)     \
	X(CACHE_NOT_AS_ASKED, cache_not_as_asked) \
	X(NOT_SERVED, ops_not_served)

enum mmb_rv_note_code {
#define MMB__RV_ENUM(e, name) MMB_RV_N_##e,
	MMB_RV_NOTES(MMB__RV_ENUM)
#undef MMB__RV_ENUM
	    MMB_RV__NOTES
};

#define MMB__RV_NAME(e, name)	   #name,
#define MMB__RV_KEY(e, key, unit)  #key,
#define MMB__RV_UNIT(e, key, unit) unit,

/* JSON names of the enums above. */
MMB__LOOKUP(mmb_rv_decision_name, enum mmb_rv_decision, MMB_RV_DECISIONS,
	    MMB__RV_NAME, MMB_RV__DECISIONS)
MMB__LOOKUP(mmb_rv_rule_name, enum mmb_rv_rule, MMB_RV_RULES, MMB__RV_NAME,
	    MMB_RV__RULES)
MMB__LOOKUP(mmb_rv_note_name, enum mmb_rv_note_code, MMB_RV_NOTES, MMB__RV_NAME,
	    MMB_RV__NOTES)
/* Key and unit of an evidence term. */
MMB__LOOKUP(mmb_rv_term_key, enum mmb_rv_term, MMB_RV_TERMS, MMB__RV_KEY,
	    MMB_RV__TERMS)
MMB__LOOKUP(mmb_rv_term_unit, enum mmb_rv_term, MMB_RV_TERMS, MMB__RV_UNIT,
	    MMB_RV__TERMS)

#undef MMB__LOOKUP
#undef MMB__RV_NAME
#undef MMB__RV_KEY
#undef MMB__RV_UNIT

/* One backend as the verdict names it. */
struct mmb_rv_side {
	int index;	  /* into mmb_run_result.b; -1: no such backend */
	char name[32];	  /* "" when index is -1 */
	bool mapped;	  /* MMB_CAP_MAPPED: no syscall per op */
	unsigned reps;	  /* measured repetitions */
	double ops_per_s; /* median */
};

/* The winner (faster by median ops/s) against one other backend. */
struct mmb_rv_cmp {
	enum mmb_rv_decision decision; /* FASTER, TIE or NOISE */
	enum mmb_rv_rule rule;	       /* NO_RULE: not compared */
	double ratio;		       /* median ops/s, winner over the other; 0
					  when the other's is not > 0 */
	double p;		       /* UTEST: the two-sided p; else NaN */
	bool overlap;	  /* RANGES: the [min, max] ranges overlap */
	unsigned reps[2]; /* the winner's, the other's */
};

struct mmb_rv_term_value {
	double winner, ref;
};

#define MMB_RV_NOTES_MAX 12

struct mmb_rv_note {
	enum mmb_rv_note_code code;
	char backend[32];    /* the backend it is about */
	double value, other; /* see MMB_RV_NOTES; NaN when unused */
};

struct mmb_run_verdict {
	enum mmb_rv_decision decision; /* NONE_RAN, ONLY_ONE, else
					  vs_runner_up.decision */
	struct mmb_rv_side winner;     /* index -1 when none ran */
	struct mmb_rv_side runner_up;  /* the next by median ops/s */
	struct mmb_rv_cmp vs_runner_up;
	/* pread, the plain read path, when it ran and is neither the winner
	 * nor the runner-up (else index -1, vs_pread.rule NO_RULE). */
	struct mmb_rv_side pread;
	struct mmb_rv_cmp vs_pread;
	/* NOISE: the midpoint of the winner's and runner-up's median ops/s,
	 * and with a pread that over pread's (0 when pread's is not > 0);
	 * else 0. */
	double both_ops_per_s, both_vs_pread;
	/* What the evidence compares the winner with: pread when it ran
	 * (also as the runner-up), else the runner-up. faster_than_ref: the
	 * winner beat it beyond the noise and by >= 5%. */
	struct mmb_rv_side ref;
	bool faster_than_ref;
	char cache[8]; /* the cache state asked for, "warm" / "cold" */
	/* What was compared, for the first sentence ("on random 4 KiB reads
	 * of a warm 1 GiB file"): the run's workload, op and file size, and
	 * its access mode ("copy", "inplace", "touch"; "" when it has none).
	 * Not in "verdict_data": the report takes them from the context. */
	char workload[32];
	char access[8];
	uint64_t block_size, file_size;
	struct mmb_rv_term_value term[MMB_RV__TERMS]; /* by enum mmb_rv_term */
	unsigned nnotes;
	struct mmb_rv_note note[MMB_RV_NOTES_MAX];
};

/* An empty verdict: decision NONE_RAN, every side index -1, every
 * comparison NO_RULE with p NaN, every term NaN, no notes. Inline so that
 * the runner and the readers of results share it without a library. */
static inline void mmb_run_verdict_clear(struct mmb_run_verdict *v)
{
	struct mmb_rv_side *sides[] = {&v->winner, &v->runner_up, &v->pread,
				       &v->ref};
	struct mmb_rv_cmp *cmps[] = {&v->vs_runner_up, &v->vs_pread};

	memset(v, 0, sizeof(*v));
	v->decision = MMB_RV_NONE_RAN;
	for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++)
		sides[i]->index = -1;
	for (size_t i = 0; i < sizeof(cmps) / sizeof(cmps[0]); i++) {
		cmps[i]->rule = MMB_RV_NO_RULE;
		cmps[i]->decision = MMB_RV_NOISE;
		cmps[i]->p = NAN;
	}
	for (unsigned k = 0; k < MMB_RV__TERMS; k++)
		v->term[k].winner = v->term[k].ref = NAN;
}

/* The verdict in words into buf (NUL-terminated, cut to n), which it
 * returns: a plain first sentence from the decision ("mmap was 1.4×
 * faster than pread on random 4 KiB reads of a warm 1 GiB file
 * (cached)."), how sure it is, what the access mode changed, then the
 * notes and the evidence, as docs/results.md "verdict" describes. The
 * same text on every platform; MMB_VERDICT_TEXT bytes hold any verdict.
 * Pure. */
#define MMB_VERDICT_TEXT 4096
const char *mmb_verdict_text(const struct mmb_run_verdict *v, char *buf,
			     size_t n);
/* The first note of v with code about backend (any backend when NULL),
 * or NULL. */
const struct mmb_rv_note *mmb_verdict_note(const struct mmb_run_verdict *v,
					   enum mmb_rv_note_code code,
					   const char *backend);

/* ---- the machine and the run -------------------------------------------- */

/* One CPU cache as Google Benchmark's context lists it ("caches"). */
struct mmb_cpu_cache {
	char type[16];	      /* "Data", "Instruction", "Unified" */
	unsigned level;	      /* 1, 2, 3 */
	uint64_t size;	      /* bytes */
	unsigned num_sharing; /* logical CPUs sharing it */
};

#define MMB_ENV_CACHES 8

struct mmb_env {
	char date[40]; /* ISO 8601 with offset */
	char host_name[256];
	char executable[1024];
	char kernel[160]; /* uname -sr */
	char cpu_model[160];
	char thp_enabled[32]; /* selected value, e.g. "madvise" */
	char filesystem[32];  /* of the test file, e.g. "ext4" */
	char mmbench_version[32];
	char build_type[16]; /* "release" or "debug" */
	unsigned num_cpus;
	double mhz_per_cpu;
	uint64_t memory_bytes;
	uint64_t page_size;
	uint64_t hugepages_reserved;
	/* What decides I/O amplification (workloads/iostat.c). -1 or
	 * "unavailable" when it cannot be read here. */
	char thp_defrag[32];	    /* selected value of .../defrag */
	char block_device[32];	    /* whole disk of the file, e.g. "vda" */
	int64_t read_ahead_kb;	    /* /sys/block/DEV/queue/read_ahead_kb */
	int64_t page_cluster;	    /* vm.page-cluster (swap readahead, log2) */
	int64_t fault_around_bytes; /* debugfs fault_around_bytes */
	uint64_t fs_block_size;	    /* statfs f_bsize; 0 unknown */
	/* Google Benchmark's context keys: the caches of CPU 0; whether a
	 * CPU's frequency governor is other than "performance"; the load
	 * average (nload_avg 0 where the system has none). */
	unsigned ncaches;
	struct mmb_cpu_cache caches[MMB_ENV_CACHES];
	bool cpu_scaling_enabled;
	unsigned nload_avg;
	double load_avg[3];
};

/* One resolved option of the run in the results context (docs/results.md),
 * written generically by the writers: mmbench run's options that have no
 * field below (advice, sync, window...) and the workload's parameters
 * (theta, read_pct, stride...), generated from their tables. */
enum mmb_ctx_type {
	MMB_CTX_UINT,
	MMB_CTX_DOUBLE,
	MMB_CTX_STRING,
	MMB_CTX_BOOL,
};

struct mmb_ctx_value {
	char key[32];
	enum mmb_ctx_type type;
	uint64_t u;
	double d;
	bool b;
	char s[64];
};

#define MMB_CTX_MAX 32

struct mmb_run_result {
	struct mmb_env env;
	char command_line[2048];
	char workload[32];
	char file[1024];
	uint64_t file_size;
	uint64_t block_size;
	uint64_t ops;	   /* ops per repetition requested (all threads) */
	double duration_s; /* > 0: timed by duration, ops is the op list */
	unsigned threads;
	uint64_t seed;
	char cache[8]; /* "warm" / "cold" */
	unsigned reps; /* measured repetitions */
	/* "perf_event", "getrusage" or "GetProcessMemoryInfo" (Windows) */
	char fault_source[32];
	char fault_source_why[MMB_RESULT_MSG]; /* why not perf_event */
	struct mmb_run_verdict verdict;	       /* computed by the runner */
	/* "Where the time went: ..." from --profile and the kernel events
	 * (workloads/profile_why.c), rendered; empty when neither says
	 * anything. */
	char verdict_why[768];
	int advice; /* enum mmb_advice the backends got, -1 none */
	/* Latency sampling: one op in lat_every was timed (0: none, or
	 * lat_spacing_ns > 0: each backend's own, b[i].lat_every, one op
	 * about every lat_spacing_ns of a thread's loop), with the clock
	 * lat_timer ("tsc", "clock_gettime"); each backend's hist->count
	 * says how many. */
	uint64_t lat_every;
	uint64_t lat_spacing_ns;
	char lat_timer[16];
	/* Memory pressure (mmbench/pressure.h); 0/empty when not used. */
	uint64_t memory_limit; /* bytes, of the cgroup */
	int cgroup_version;    /* 1 or 2 */
	unsigned interval_ms;  /* time series interval */
	bool partial;	       /* interrupted: not every rep/backend ran */
	bool noisy;	       /* some backend's numbers are (b[i].noisy) */
	/* The other resolved options, in order (see struct mmb_ctx_value). */
	unsigned nopts;
	struct mmb_ctx_value opts[MMB_CTX_MAX];
	unsigned nbackends;
	struct mmb_backend_result *b; /* owned */
};

/* Fill br's mean, median, stddev, min and max (metric by metric, the
 * backend-specific x[0..nx) too, over the measured values of
 * reps[0..nreps): a NaN, "not measured", is left
 * out, and a metric measured in no repetition is NaN in every aggregate),
 * checksum_stable, and lat from br->hist, which must not be NULL. The
 * runner calls it once the repetitions are done; no allocation, no
 * errors; not thread-safe for one br. */
void mmb_backend_result_aggregate(struct mmb_backend_result *br);

/* Free a result and everything it owns. NULL ok. */
void mmb_run_result_free(struct mmb_run_result *r);

/* Index of the fastest backend that ran (median items_per_second), -1
 * when none ran. */
int mmb_run_result_fastest(const struct mmb_run_result *r);

/* ---- writers (reports/) -------------------------------------------------
 *
 * Each writes the whole file atomically: a temp file in the same directory,
 * then rename; on failure nothing is left behind. They return 0 or a
 * negative MMB_E* with the failing call recorded (mmb_errmsg). */

/* Results JSON exactly as docs/results.md describes. */
int mmb_report_json(const struct mmb_run_result *r, const char *path);
/* CSV: a header, then one row per backend per measured repetition (one row
 * with status and message for a skipped or failed backend). */
int mmb_report_csv(const struct mmb_run_result *r, const char *path);

/* Write len bytes to path atomically (temp file in the same directory,
 * fsync, rename). Shared by every writer. */
int mmb_write_file_atomic(const char *path, const void *data, size_t len);
/* Check now that path could be written later: creates and removes a temp
 * file in its directory. Returns 0 or a negative MMB_E* with the failing
 * call recorded. Lets the CLI reject a bad --json before running. */
int mmb_check_writable(const char *path);
/* Read the whole file at path into a new buffer, NUL-terminated (so text
 * can be parsed in place; *len excludes the NUL); the caller frees *buf.
 * Returns 0, or a negative MMB_E* with *buf untouched and the failing call
 * recorded as "open(PATH)" (the -errno of fopen) or "read(PATH)" (a read
 * error, MMB_EIO when the C library gives no errno), or MMB_ENOMEM.
 * Thread-safe: touches only its arguments and the thread's error. */
int mmb_read_file(const char *path, char **buf, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
