#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# access-rounds.sh - does `--access inplace` beat `--access copy`? (issue
# 14)
#
# Runs `mmbench run -w WORKLOAD --size SIZE -b BACKEND --access MODE
# --reps REPS` for copy and inplace in ROUNDS rounds, in ABBA order (copy
# then inplace in even rounds, inplace then copy in odd ones), so that the
# machine's drift falls on both sides alike. A round's ratio is inplace's
# median ops/s over the copy's (> 1: inplace is faster); "best" is the
# same with each side's fastest repetition (the least disturbed), "cpu"
# copy's CPU time (user+sys) per op over inplace's (> 1: inplace costs
# less), which preemption by other jobs does not inflate. Printed: every
# round, the median round ratios with their range, the medians of each
# side in ns per op, and the load average before and after. The checksums of the two modes differ by design (copy sums one
# word per op), so none is compared here: test_access does that.
#
#   bench/access-rounds.sh [BUILD_DIR] [WORKLOAD] [BACKEND] [SIZE] [ROUNDS] [REPS]
# defaults: build/ (cli/mmbench; build it Release), random-4k, mmap, 256M,
# 10, 3. PIN (environment), e.g. PIN="taskset -c 1", runs each mmbench
# under that command. The file lives in $MMBENCH_DATA_DIR (default
# /var/tmp/mmbench-UID) and is reused. Needs python3 to read the JSON.
# Exit 0 whichever side wins; 1 when a run fails.
set -euo pipefail

build=${1:-build}
workload=${2:-random-4k}
backend=${3:-mmap}
size=${4:-256M}
rounds=${5:-10}
reps=${6:-3}
mmbench=$build/cli/mmbench
if [ ! -x "$mmbench" ]; then
	echo "access-rounds.sh: $mmbench not found (build first)" >&2
	exit 2
fi
command -v python3 >/dev/null || {
	echo "access-rounds.sh: python3 is needed to read the JSON" >&2
	exit 2
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmb-access-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "access-rounds: $workload, $backend, $size, $rounds rounds x $reps reps," \
	"${PIN:-unpinned}; $(uptime | sed 's/.*load/load/')"
for ((r = 0; r < rounds; r++)); do
	if ((r % 2 == 0)); then order="copy inplace"; else order="inplace copy"; fi
	for m in $order; do
		# shellcheck disable=SC2086 # PIN is a command and its words
		if ! ${PIN:-} "$mmbench" run -w "$workload" --size "$size" \
			-b "$backend" --access "$m" --reps "$reps" \
			--json "$tmp/$r-$m.json" >"$tmp/$r-$m.out" 2>&1; then
			echo "access-rounds.sh: mmbench run --access $m failed:" >&2
			cat "$tmp/$r-$m.out" >&2
			exit 1
		fi
	done
done
python3 - "$tmp" "$rounds" <<'EOF'
import json, statistics, sys

tmp, rounds = sys.argv[1], int(sys.argv[2])


def median_of(path):
    d = json.load(open(path))
    runs = [b for b in d["benchmarks"] if b.get("run_type") == "iteration"]
    ops = statistics.median(b["items_per_second"] for b in runs)
    best = max(b["items_per_second"] for b in runs)
    cpu = statistics.median((b["user_ns"] + b["sys_ns"]) / b["ops"] for b in runs)
    return ops, best, cpu


ratios = {"ops/s": [], "best": [], "cpu": []}
side = {"copy": [], "inplace": []}
for r in range(rounds):
    got = {m: median_of(f"{tmp}/{r}-{m}.json") for m in ("copy", "inplace")}
    for m in got:
        side[m].append(got[m])
    c, i = got["copy"], got["inplace"]
    ratios["ops/s"].append(i[0] / c[0])
    ratios["best"].append(i[1] / c[1])
    ratios["cpu"].append(c[2] / i[2])
    print(f"  round {r}: copy {1e9 / c[0]:.0f} ns/op ({c[2]:.0f} CPU), "
          f"inplace {1e9 / i[0]:.0f} ({i[2]:.0f} CPU); ratios "
          + ", ".join(f"{k} {v[-1]:.3f}" for k, v in ratios.items()))
for m in ("copy", "inplace"):
    ops = statistics.median(o for o, _, _ in side[m])
    best = max(b for _, b, _ in side[m])
    cpu = statistics.median(c for _, _, c in side[m])
    print(f"{m}: median {1e9 / ops:.0f} ns/op wall, {cpu:.0f} ns/op CPU, "
          f"best repetition {1e9 / best:.0f} ns/op")
for k, v in ratios.items():
    print(f"inplace/copy {k}: median {statistics.median(v):.3f} "
          f"(range {min(v):.3f} to {max(v):.3f}; "
          f"inplace faster in {sum(x > 1 for x in v)} of {rounds} rounds)")
EOF
echo "after: $(uptime | sed 's/.*load/load/')"
