"""make.py - writes the fixtures of results.sh (run once, output committed):
base.json  random-4k, pread and mmap, 6 repetitions each + aggregates, and
           a skipped mmap-hugetlb (from tests/reports/data/basic.json's
           context)
slow.json  the same with mmap 30% slower (a regression), pread unchanged
bad.json   not JSON
The times are fixed numbers, so the expected outputs (expected/) are the
same on every platform."""
import json
import statistics

ctx = {"date": "2024-05-01T12:00:00+00:00", "host_name": "bench-host",
       "executable": "mmbench", "num_cpus": 2, "mmbench_version": "0.1.0",
       "workload": "random-4k", "file_size": 16777216, "block_size": 4096,
       "ops": 2000, "threads": 1, "seed": 42, "cache": "warm", "reps": 6,
       "fault_source": "GetProcessMemoryInfo"}


def bench(backend, times):
    out = []
    name = "random-4k/" + backend
    for i, t in enumerate(times):
        out.append({"name": name, "run_name": name, "run_type": "iteration",
                    "repetitions": len(times), "repetition_index": i,
                    "iterations": 2000, "real_time": t, "cpu_time": t * 0.9,
                    "time_unit": "ns", "items_per_second": 1e9 / t,
                    "bytes_per_second": 4096e9 / t, "backend": backend,
                    "faults": 12, "major_faults": 0, "minor_faults": 12})
    for agg, f in (("mean", statistics.mean), ("median", statistics.median),
                   ("stddev", statistics.stdev)):
        v = f(times)
        out.append({"name": name + "_" + agg, "run_name": name,
                    "run_type": "aggregate", "aggregate_name": agg,
                    "repetitions": len(times), "iterations": len(times),
                    "real_time": v, "cpu_time": v * 0.9, "time_unit": "ns",
                    "items_per_second": 1e9 / v if agg != "stddev" else 0,
                    "backend": backend, "faults": 12})
    return out


def skipped():
    return [{"name": "random-4k/mmap-hugetlb",
             "run_name": "random-4k/mmap-hugetlb", "run_type": "aggregate",
             "aggregate_name": "median", "backend": "mmap-hugetlb",
             "error_occurred": True,
             "error_message": "skipped: no huge pages reserved"}]


pread = [4000.0, 4010.0, 3990.0, 4005.0, 3995.0, 4002.0]
mmap = [2440.0, 2450.0, 2430.0, 2445.0, 2435.0, 2442.0]
for name, scale in (("base", 1.0), ("slow", 1.3)):
    doc = {"context": dict(ctx),
           "benchmarks": bench("pread", pread) +
           bench("mmap", [t * scale for t in mmap]) + skipped()}
    with open(name + ".json", "w", newline="\n") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
with open("bad.json", "w", newline="\n") as f:
    f.write('{"context": {"date": "2024", "benchmarks": [\n')
