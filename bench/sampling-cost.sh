#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sampling-cost.sh - what the latency sampling costs the ops/s it sits in.
#
# `mmbench run` times one op in --lat-every N (default 128) with fenced
# TSC reads (docs/results.md "latency_sampling"). This runs the same ops
# with N = 0 (nothing timed), N = the default and N = 1 (every op timed),
# interleaved in ROUNDS rounds (the order rotating), and prints per
# backend:
#   - "cost@N": 1 - ops/s(N) / ops/s(0), the median over rounds of each
#     round's ratio of medians, on wall time and on CPU time per op;
#   - "per timed op": what timing one op adds, from N = 1 against N = 0
#     (CPU ns per op, the difference), and the cost at N it predicts:
#     per timed op / (N * CPU ns per op at N = 0). Far more precise than
#     the direct ratio, whose noise on a shared machine is larger than 1%.
# The load average before and after is printed.
#
#   bench/sampling-cost.sh [BUILD_DIR] [SIZE] [REPS] [ROUNDS]
# BUILD_DIR defaults to build/ (cli/mmbench; build it Release), SIZE to
# 256M, REPS to 3, ROUNDS to 7; OPS (environment) to 262144, BACKENDS to
# "pread mmap", N to 128. Needs python3.
set -euo pipefail

build=${1:-build}
size=${2:-256M}
reps=${3:-3}
rounds=${4:-7}
ops=${OPS:-262144}
backends=${BACKENDS:-pread mmap}
every=${N:-128}
mmbench=$build/cli/mmbench
[ -x "$mmbench" ] || {
	echo "sampling-cost.sh: $mmbench not found (build first)" >&2
	exit 2
}
command -v python3 >/dev/null || {
	echo "sampling-cost.sh: python3 is needed to read the JSON" >&2
	exit 2
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmb-sampling-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

run() { # backend N round
	"$mmbench" run -w random-4k -b "$1" --size "$size" --ops "$ops" \
		--reps "$reps" --lat-every "$2" \
		--json "$tmp/$1-$2-$3.json" >"$tmp/$1-$2-$3.txt" 2>&1 || {
		cat "$tmp/$1-$2-$3.txt" >&2
		exit 1
	}
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((i = 0; i < rounds; i++)); do
	for be in $backends; do
		case $((i % 3)) in
		0) order="0 $every 1" ;;
		1) order="$every 1 0" ;;
		*) order="1 0 $every" ;;
		esac
		for n in $order; do
			run "$be" "$n" "$i"
		done
	done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$tmp" "$rounds" "$every" "$size" "$ops" "$reps" "$load_before" \
	"$load_after" $backends <<'PY'
import json, statistics as st, sys
tmp, rounds, every, size, ops, reps, lb, la = sys.argv[1:9]
backends, rounds, every = sys.argv[9:], int(rounds), int(every)

def get(be, n, rnd):
    d = json.load(open(f"{tmp}/{be}-{n}-{rnd}.json"))
    e = [b for b in d["benchmarks"] if b.get("run_type") == "iteration"
         and b.get("backend") == be]
    return (st.median(b["items_per_second"] for b in e),
            st.median(b["cpu_time"] for b in e), d["context"])

ctx = get(backends[0], 0, 0)[2]
print(f"random 4 KiB reads, warm {size} file, {ops} ops x {reps} reps, "
      f"{rounds} rounds; lat-every 0, {every} and 1 interleaved")
print(f"cpu {ctx.get('cpu_model')}, {ctx.get('num_cpus')} cpus, kernel "
      f"{ctx.get('kernel')}, {ctx.get('library_build_type')} build; "
      f"load average before {lb}, after {la}")
print(f"{'backend':10} {'ops/s N=0':>11} {f'cost@{every} wall':>14} "
      f"{f'cost@{every} cpu':>13} {'cpu ns/op N=0':>14} "
      f"{'per timed op':>13} {f'predicted@{every}':>14}")
for be in backends:
    wall, cpu, extra, base_cpu, base_ops = [], [], [], [], []
    for r in range(rounds):
        o0, c0, _ = get(be, 0, r)
        on, cn, _ = get(be, every, r)
        o1, c1, _ = get(be, 1, r)
        wall.append(1 - on / o0)
        cpu.append(1 - c0 / cn)
        extra.append(c1 - c0)
        base_cpu.append(c0)
        base_ops.append(o0)
    per = st.median(extra)
    c0 = st.median(base_cpu)
    print(f"{be:10} {st.median(base_ops):11,.0f} {st.median(wall):14.2%} "
          f"{st.median(cpu):13.2%} {c0:14.0f} {per:10.0f} ns "
          f"{per / (every * c0):14.2%}")
PY
