/* SPDX-License-Identifier: MIT */
// gbench.cc - the C API of gbench.h over Google Benchmark: the only C++
// file of mmbench. Each C function is registered with RegisterBenchmark
// and a lambda that passes the benchmark::State through as an opaque
// pointer.
#include <benchmark/benchmark.h>

#include <cstdarg>
#include <cstdio>
#include <string>
#include <vector>

#include "gbench.h"

// The C handles are the Google Benchmark objects themselves.
static benchmark::internal::Benchmark *B(struct mmb_bench *b)
{
	return reinterpret_cast<benchmark::internal::Benchmark *>(b);
}
static benchmark::State *S(struct mmb_bench_state *st)
{
	return reinterpret_cast<benchmark::State *>(st);
}
static const benchmark::State *S(const struct mmb_bench_state *st)
{
	return reinterpret_cast<const benchmark::State *>(st);
}

// Set by mmb_bench_error so that main can return non-zero.
static bool any_error;

extern "C" {

struct mmb_bench *mmb_bench_register(const char *name, mmb_bench_fn fn,
				     void *userdata)
{
	auto *b = benchmark::RegisterBenchmark(name, [fn, userdata](
							 benchmark::State &st) {
		fn(reinterpret_cast<struct mmb_bench_state *>(&st), userdata);
	});
	return reinterpret_cast<struct mmb_bench *>(b);
}

void mmb_bench_add_arg(struct mmb_bench *b, int64_t a)
{
	B(b)->Arg(a);
}

void mmb_bench_add_args(struct mmb_bench *b, const int64_t *a, size_t n)
{
	B(b)->Args(std::vector<int64_t>(a, a + n));
}

void mmb_bench_add_range(struct mmb_bench *b, int64_t lo, int64_t hi, int mult)
{
	B(b)->RangeMultiplier(mult)->Range(lo, hi);
}

void mmb_bench_arg_names(struct mmb_bench *b, const char *const *names,
			 size_t n)
{
	B(b)->ArgNames(std::vector<std::string>(names, names + n));
}

void mmb_bench_set_iterations(struct mmb_bench *b, int64_t n)
{
	B(b)->Iterations(n);
}

void mmb_bench_set_repetitions(struct mmb_bench *b, int n)
{
	B(b)->Repetitions(n);
}

void mmb_bench_set_min_time(struct mmb_bench *b, double seconds)
{
	B(b)->MinTime(seconds);
}

void mmb_bench_set_unit(struct mmb_bench *b, enum mmb_bench_unit u)
{
	static const benchmark::TimeUnit units[] = {
	    benchmark::kNanosecond, benchmark::kMicrosecond,
	    benchmark::kMillisecond, benchmark::kSecond};
	B(b)->Unit(units[u]);
}

void mmb_bench_use_real_time(struct mmb_bench *b)
{
	B(b)->UseRealTime();
}

void mmb_bench_use_manual_time(struct mmb_bench *b)
{
	B(b)->UseManualTime();
}

bool mmb_bench_keep_running(struct mmb_bench_state *st)
{
	return S(st)->KeepRunning();
}

int64_t mmb_bench_range(const struct mmb_bench_state *st, size_t i)
{
	return S(st)->range(i);
}

int64_t mmb_bench_iterations(const struct mmb_bench_state *st)
{
	return static_cast<int64_t>(S(st)->iterations());
}

void mmb_bench_pause_timing(struct mmb_bench_state *st)
{
	S(st)->PauseTiming();
}

void mmb_bench_resume_timing(struct mmb_bench_state *st)
{
	S(st)->ResumeTiming();
}

void mmb_bench_set_iteration_time(struct mmb_bench_state *st, double seconds)
{
	S(st)->SetIterationTime(seconds);
}

void mmb_bench_set_bytes_processed(struct mmb_bench_state *st, int64_t n)
{
	S(st)->SetBytesProcessed(n);
}

void mmb_bench_set_items_processed(struct mmb_bench_state *st, int64_t n)
{
	S(st)->SetItemsProcessed(n);
}

void mmb_bench_counter(struct mmb_bench_state *st, const char *name,
		       double value, unsigned flags)
{
	int f = benchmark::Counter::kDefaults;
	if (flags & MMB_BENCH_COUNTER_RATE)
		f |= benchmark::Counter::kIsRate;
	if (flags & MMB_BENCH_COUNTER_PER_ITER)
		f |= benchmark::Counter::kAvgIterations;
	S(st)->counters[name] = benchmark::Counter(
	    value, static_cast<benchmark::Counter::Flags>(f));
}

void mmb_bench_set_label(struct mmb_bench_state *st, const char *label)
{
	S(st)->SetLabel(label);
}

static void fail(struct mmb_bench_state *st, const char *prefix,
		 const char *fmt, va_list ap)
{
	char msg[512];
	int n = std::snprintf(msg, sizeof(msg), "%s", prefix);
	std::vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	S(st)->SkipWithError(msg);
}

void mmb_bench_error(struct mmb_bench_state *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fail(st, "", fmt, ap);
	va_end(ap);
	any_error = true;
}

void mmb_bench_skip(struct mmb_bench_state *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fail(st, "skipped: ", fmt, ap);
	va_end(ap);
}

int mmb_bench_main(int argc, char **argv)
{
	benchmark::Initialize(&argc, argv);
	if (benchmark::ReportUnrecognizedArguments(argc, argv))
		return 2;
	benchmark::RunSpecifiedBenchmarks();
	benchmark::Shutdown();
	return any_error ? 1 : 0;
}

} // extern "C"
