#!/usr/bin/env bash
# harness-overhead.sh - how much does `mmbench run` cost over a bare loop?
#
# Runs random 4 KiB reads on the same warm file (1 GiB by default) three
# ways and prints ops/s and the ratio run/bare for each backend:
#   mmbench run -w random-4k -b pread,mmap      (the harness)
#   mmb_bench bare/pread/random-4k              (plain pread loop)
#   mmb_bench bare/mmap-memcpy/random-4k        (plain mmap + memcpy loop)
# The engine's target is ratio >= 0.95. Medians over the repetitions.
#
#   bench/harness-overhead.sh [BUILD_DIR] [SIZE] [REPS]
# BUILD_DIR defaults to build/ (needs cli/mmbench and bench/mmb_bench),
# SIZE to 1G, REPS to 5. The file lives in $MMBENCH_DATA_DIR (default
# /var/tmp/mmbench) and is reused. Needs python3 to read the JSON.
set -euo pipefail

build=${1:-build}
size=${2:-1G}
reps=${3:-5}
mmbench=$build/cli/mmbench
bench=$build/bench/mmb_bench
for b in "$mmbench" "$bench"; do
	if [ ! -x "$b" ]; then
		echo "harness-overhead.sh: $b not found (build first)" >&2
		exit 2
	fi
done
command -v python3 >/dev/null || {
	echo "harness-overhead.sh: python3 is needed to read the JSON" >&2
	exit 2
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmb-overhead-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$mmbench" run -w random-4k -b pread,mmap --size "$size" --reps "$reps" \
	--json "$tmp/run.json" >"$tmp/run.txt"
file=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["context"]["file"])' "$tmp/run.json")
# the bare loops warm the file themselves before timing
"$bench" --mmb_file="$file" --benchmark_filter='^bare/' \
	--benchmark_repetitions="$reps" --benchmark_min_time=1 \
	--benchmark_out="$tmp/bare.json" --benchmark_out_format=json \
	>"$tmp/bare.txt" 2>"$tmp/bare.err" || {
	cat "$tmp/bare.err" >&2
	exit 1
}

python3 - "$tmp/run.json" "$tmp/bare.json" "$file" "$size" <<'PY'
import json, statistics, sys
run = json.load(open(sys.argv[1]))["benchmarks"]
bare = json.load(open(sys.argv[2]))["benchmarks"]

def ops(entries, name):
    v = [e["items_per_second"] for e in entries
         if e.get("run_type") == "iteration"
         and e.get("run_name", e.get("name")) == name]
    return statistics.median(v) if v else float("nan"), len(v)

print(f"file {sys.argv[3]} ({sys.argv[4]}), warm, random 4 KiB reads")
print(f"{'backend':8} {'mmbench run ops/s':>18} {'bare loop ops/s':>16} {'ratio':>6}")
worst = None
for be, bare_name in (("pread", "bare/pread/random-4k/real_time"),
                      ("mmap", "bare/mmap-memcpy/random-4k/real_time")):
    r, nr = ops(run, f"random-4k/{be}")
    b, nb = ops(bare, bare_name)
    ratio = r / b
    worst = ratio if worst is None else min(worst, ratio)
    print(f"{be:8} {r:18,.0f} {b:16,.0f} {ratio:6.3f}   ({nr} vs {nb} reps)")
print(f"target: ratio >= 0.95; {'met' if worst >= 0.95 else 'NOT met'} (worst {worst:.3f})")
PY
