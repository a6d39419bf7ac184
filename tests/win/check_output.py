"""check_output.py JSON CSV BACKEND... - mmbench run's --json and --csv
files from the Windows build: the JSON parses and has the context and, for
each BACKEND, one iteration and the mean/median/stddev/cv aggregates with the
schema's keys (docs/results.md); the CSV has a header and one row per
backend per repetition (--reps 1). Exit 1 with the reason otherwise."""
import csv
import json
import sys


def check_json(path, backends):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    ctx = doc["context"]
    for k in ("date", "num_cpus", "workload", "file_size", "reps",
              "fault_source", "verdict", "caches", "cpu_scaling_enabled",
              "load_avg"):
        assert k in ctx, "context has no " + k
    # Google Benchmark's Windows answers: no load average, no governor
    assert ctx["load_avg"] == [], ctx["load_avg"]
    assert ctx["cpu_scaling_enabled"] is False, ctx["cpu_scaling_enabled"]
    for c in ctx["caches"]:
        assert c["level"] >= 1 and c["size"] > 0 and c["num_sharing"] >= 1, c
    assert ctx["file_size"] == 16 << 20, ctx["file_size"]
    assert ctx["reps"] == 1, ctx["reps"]
    bm = doc["benchmarks"]
    assert {b["backend"] for b in bm} == set(backends), bm
    for be in backends:
        mine = [b for b in bm if b["backend"] == be]
        its = [b for b in mine if b["run_type"] == "iteration"]
        assert len(its) == 1, "%s: %d iterations, want 1" % (be, len(its))
        aggs = sorted(b["aggregate_name"] for b in mine
                      if b["run_type"] == "aggregate")
        assert aggs == ["cv", "mean", "median", "stddev"], aggs
        for b in mine:
            for k in ("name", "run_type", "real_time", "items_per_second",
                      "faults"):
                assert k in b, "%s %s: no %s" % (be, b["name"], k)
        it = its[0]
        assert it["name"] == ctx["workload"] + "/" + be, it["name"]
        assert it["iterations"] == 2000, it["iterations"]
        assert it["items_per_second"] > 0, it["items_per_second"]
        assert it["real_time"] > 0, it["real_time"]
        assert it["faults"] is None or it["faults"] >= 0, it["faults"]


def check_csv(path, backends):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    for k in ("workload", "backend", "status", "rep", "real_time_ns",
              "ops_per_s", "faults", "lat_p50_us", "file_size_bytes",
              "seed"):
        assert k in head, "header has no " + k
    assert all(len(r) == len(head) for r in rows[1:]), "ragged rows"
    body = [dict(zip(head, r)) for r in rows[1:]]
    got = sorted((r["backend"], r["status"], r["rep"]) for r in body)
    assert got == sorted((be, "ok", "0") for be in backends), got
    for r in body:
        assert float(r["ops_per_s"]) > 0, r


def main():
    try:
        check_json(sys.argv[1], sys.argv[3:])
        check_csv(sys.argv[2], sys.argv[3:])
    except (AssertionError, KeyError, ValueError, OSError) as e:
        print("bad output: %r" % (e,))
        return 1
    return 0


sys.exit(main())
