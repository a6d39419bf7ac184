/* SPDX-License-Identifier: MIT */
/* gbench.h - a small C API over Google Benchmark (1.7.x).
 *
 * The only C++ in mmbench is gbench.cc, which registers each C function
 * with benchmark::RegisterBenchmark and a lambda. A benchmark is written in
 * C against an opaque state:
 *
 *	static void bm_pread(struct mmb_bench_state *st, void *ud)
 *	{
 *		size_t bs = (size_t)mmb_bench_range(st, 0);
 *		while (mmb_bench_keep_running(st))
 *			pread(fd, buf, bs, next_offset());
 *		mmb_bench_set_items_processed(st, mmb_bench_iterations(st));
 *	}
 *	struct mmb_bench *b = mmb_bench_register("pread", bm_pread, NULL);
 *	mmb_bench_add_arg(b, 4096);
 *	return mmb_bench_main(argc, argv);
 *
 * mmb_bench_main() takes the usual --benchmark_* flags (--benchmark_filter,
 * --benchmark_repetitions, --benchmark_min_time, --benchmark_format=json,
 * --benchmark_out=FILE ...); its JSON is what `mmbench compare` reads.
 *
 * Thread-safety: register from one thread before mmb_bench_main(); a state
 * belongs to the thread running the benchmark function.
 */
#ifndef MMB_BENCH_GBENCH_H
#define MMB_BENCH_GBENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mmb_bench;	/* a registered benchmark (owned by the library) */
struct mmb_bench_state; /* the running benchmark's state */

typedef void (*mmb_bench_fn)(struct mmb_bench_state *st, void *userdata);

enum mmb_bench_unit {
	MMB_BENCH_NS,
	MMB_BENCH_US,
	MMB_BENCH_MS,
	MMB_BENCH_S,
};

/* Counter flags, as benchmark::Counter::Flags. */
enum mmb_bench_counter_flags {
	MMB_BENCH_COUNTER_DEFAULT = 0,
	MMB_BENCH_COUNTER_RATE = 1 << 0,     /* divided by the elapsed time */
	MMB_BENCH_COUNTER_PER_ITER = 1 << 1, /* divided by the iterations */
};

/* ---- registration ------------------------------------------------------- */

/* Register fn under `name` (copied); userdata is passed to every call and
 * must outlive mmb_bench_main(). Returns the handle to configure, never
 * NULL (Google Benchmark aborts on allocation failure). */
struct mmb_bench *mmb_bench_register(const char *name, mmb_bench_fn fn,
				     void *userdata);
/* One run per call with these arguments (mmb_bench_range(st, 0..n-1)). */
void mmb_bench_add_arg(struct mmb_bench *b, int64_t a);
void mmb_bench_add_args(struct mmb_bench *b, const int64_t *a, size_t n);
/* Runs for lo, lo*mult, lo*mult^2, ... and hi (Google Benchmark's
 * RangeMultiplier + Range). */
void mmb_bench_add_range(struct mmb_bench *b, int64_t lo, int64_t hi, int mult);
/* Names of the arguments, shown in the benchmark name ("size:4096"). */
void mmb_bench_arg_names(struct mmb_bench *b, const char *const *names,
			 size_t n);
/* Fixed iteration count instead of the adaptive one. */
void mmb_bench_set_iterations(struct mmb_bench *b, int64_t n);
void mmb_bench_set_repetitions(struct mmb_bench *b, int n);
void mmb_bench_set_min_time(struct mmb_bench *b, double seconds);
void mmb_bench_set_unit(struct mmb_bench *b, enum mmb_bench_unit u);
/* Report wall-clock time (UseRealTime) rather than the CPU time the
 * adaptive iteration count is based on; for I/O that sleeps. */
void mmb_bench_use_real_time(struct mmb_bench *b);
/* The function reports each iteration's time with
 * mmb_bench_set_iteration_time() (UseManualTime). */
void mmb_bench_use_manual_time(struct mmb_bench *b);

/* ---- inside a benchmark function ---------------------------------------- */

/* True while another iteration should run; starts the timer on the first
 * call and stops it when it returns false. */
bool mmb_bench_keep_running(struct mmb_bench_state *st);
/* Argument i of this run. */
int64_t mmb_bench_range(const struct mmb_bench_state *st, size_t i);
/* Iterations run so far (the total once keep_running returned false). */
int64_t mmb_bench_iterations(const struct mmb_bench_state *st);
/* Exclude set-up between iterations from the time (costs ~2 clock reads,
 * so only around work much longer than that). */
void mmb_bench_pause_timing(struct mmb_bench_state *st);
void mmb_bench_resume_timing(struct mmb_bench_state *st);
/* With mmb_bench_use_manual_time: this iteration took `seconds`. */
void mmb_bench_set_iteration_time(struct mmb_bench_state *st, double seconds);
void mmb_bench_set_bytes_processed(struct mmb_bench_state *st, int64_t n);
void mmb_bench_set_items_processed(struct mmb_bench_state *st, int64_t n);
/* A user counter: appears as a key of the entry in the JSON output. */
void mmb_bench_counter(struct mmb_bench_state *st, const char *name,
		       double value, unsigned flags);
void mmb_bench_set_label(struct mmb_bench_state *st, const char *label);
/* End this run as failed: keep_running returns false from now on and the
 * entry has "error_occurred": true and the message. Use
 * mmb_bench_skip() when the feature is missing here: the message then
 * starts with "skipped: " (Google Benchmark 1.7 has no separate skip). */
void mmb_bench_error(struct mmb_bench_state *st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void mmb_bench_skip(struct mmb_bench_state *st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ---- running ------------------------------------------------------------ */

/* Parse the --benchmark_* flags, run the selected benchmarks and print the
 * report. Returns the exit status: 0, 1 when a benchmark reported an
 * error, 2 for unknown arguments (after printing usage). */
int mmb_bench_main(int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif
