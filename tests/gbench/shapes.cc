/* SPDX-License-Identifier: MIT */
// shapes.cc - a small Google Benchmark program that makes every shape of
// Google Benchmark's JSON (1.7) that mmbench must read: Complexity()'s
// _BigO and _RMS entries, an error entry (SkipWithError), the time units
// s/ms/us/ns, custom counters (one always 0, whose cv is a bare NaN; one
// infinite, a bare Infinity), a label. tests/gbench/shapes.sh runs it and
// checks the files it writes.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace
{

void BM_Sum(benchmark::State &state)
{
	std::vector<int64_t> v(static_cast<size_t>(state.range(0)), 1);
	for (auto _ : state) {
		int64_t t = 0;
		for (int64_t x : v)
			t += x;
		benchmark::DoNotOptimize(t);
	}
	state.SetComplexityN(state.range(0));
	state.counters["zero"] = 0;
	state.counters["inf"] = std::numeric_limits<double>::infinity();
	state.counters["elems"] = benchmark::Counter(
	    static_cast<double>(state.range(0)), benchmark::Counter::kIsRate);
	state.SetLabel("summed");
}
BENCHMARK(BM_Sum)->RangeMultiplier(4)->Range(64, 4096)->Complexity(
    benchmark::oN);

void BM_Error(benchmark::State &state)
{
	state.SkipWithError("cannot run here");
	for (auto _ : state) {
	}
}
BENCHMARK(BM_Error);

void BM_Unit(benchmark::State &state)
{
	for (auto _ : state)
		benchmark::DoNotOptimize(state.iterations());
}
BENCHMARK(BM_Unit)->Name("BM_Unit/s")->Unit(benchmark::kSecond);
BENCHMARK(BM_Unit)->Name("BM_Unit/ms")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Unit)->Name("BM_Unit/us")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Unit)->Name("BM_Unit/ns")->Unit(benchmark::kNanosecond);

} // namespace

BENCHMARK_MAIN();
