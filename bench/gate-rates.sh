#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# gate-rates.sh - measure the regression gate (`mmbench ab`) itself on
# this machine: how often it cries wolf on A/A (the same binary on both
# sides), and how often it catches a slow-down injected into the measured
# path (an LD_PRELOAD shim, bench/slow_pread.c, spinning after every
# pread), with the wall time each decision took.
#
#   bench/gate-rates.sh [BUILD_DIR [TRIALS [PCTS]]]
#     BUILD_DIR  a build with cli/mmbench and bench/libmmb_slow_pread.so
#                (default build/release)
#     TRIALS     trials per condition (default 20)
#     PCTS       injected slow-downs in percent (default "5 10")
#   Environment: MMB_GATE_RUN="run options" (default: -w random-4k
#   --size 64M --ops 50000 -b pread), MMB_GATE_AB="ab options" (default:
#   none, i.e. mmbench ab's defaults), MMB_GATE_NO_AA=1 leaves out the
#   A/A trials.
#
# Both sides load the shim (the old one with spin 0), so the injected
# difference is the spin alone: PCT x the CPU time of a pread op under the
# spin-0 shim, measured first (median of 9 runs). The slow-down the spin
# achieves is measured once and printed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
trials=${2:-20}
pcts=${3:-"5 10"}
mmbench=$build/cli/mmbench
shim=$build/bench/libmmb_slow_pread.so
read -r -a run_opts <<<"${MMB_GATE_RUN:--w random-4k --size 64M --ops 50000 -b pread}"
read -r -a ab_opts <<<"${MMB_GATE_AB:-}"
for f in "$mmbench" "$shim"; do
	if [ ! -e "$f" ]; then
		echo "gate-rates.sh: $f not found (build first)" >&2
		exit 2
	fi
done
tmp=$(mktemp -d /tmp/mmbench-gate-rates-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# CPU ns per op of pread in one run (the spin is CPU work, and CPU time
# is what a loaded runner does not inflate), optionally with the shim
ns_per_op() { # SPIN_NS|"" -> prints cpu_time
	local env=()
	[ -n "$1" ] && env=(env LD_PRELOAD="$shim" MMB_SLOW_NS="$1")
	${env[@]+"${env[@]}"} "$mmbench" run "${run_opts[@]}" --reps 3 \
		--json "$tmp/cal.json" >/dev/null
	python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
v=[b["cpu_time"] for b in d["benchmarks"] if b.get("aggregate_name")=="median"]
print(v[0])' "$tmp/cal.json"
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2}'; }

echo "== machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== run options: ${run_opts[*]}; ab options: ${ab_opts[*]:-(defaults)}"
echo "== calibration (median of 9 runs with the spin-0 shim)"
: >"$tmp/base"
for _ in $(seq 9); do
	ns_per_op 0 >>"$tmp/base"
done
base=$(median <"$tmp/base")
echo "pread: ${base} CPU ns/op"

# the "new" build of a condition: the same binary, maybe slowed
mkwrapper() { # NAME SPIN_NS
	local w=$tmp/$1
	printf '#!/bin/sh\nLD_PRELOAD=%q MMB_SLOW_NS=%s exec %q "$@"\n' \
		"$shim" "$2" "$mmbench" >"$w"
	chmod +x "$w"
	echo "$w"
}

conditions=()
[ -n "${MMB_GATE_NO_AA:-}" ] || conditions=("A/A:0")
for p in $pcts; do
	spin=$(awk -v b="$base" -v p="$p" 'BEGIN {printf "%d", b * p / 100 + 0.5}')
	got=$(ns_per_op "$spin")
	echo "slow-down ${p}%: spin ${spin} ns -> ${got} CPU ns/op" \
		"($(awk -v g="$got" -v b="$base" 'BEGIN {printf "%+.1f%%", 100 * (g / b - 1)}') measured once)"
	conditions+=("${p}%:$spin")
done

printf '\n%-8s %7s %12s %12s %12s %12s\n' condition trials regressions \
	"median s" "max s" "median pairs"
for c in "${conditions[@]}"; do
	name=${c%%:*}
	spin=${c#*:}
	old=$(mkwrapper old 0)
	new=$(mkwrapper "new-$spin" "$spin")
	reg=0
	: >"$tmp/secs"
	: >"$tmp/pairs"
	for t in $(seq "$trials"); do
		start=$(date +%s.%N)
		rc=0
		"$mmbench" ab --old "$old" --new "$new" --quiet \
			${ab_opts[@]+"${ab_opts[@]}"} "${run_opts[@]}" \
			>"$tmp/ab.txt" 2>&1 || rc=$?
		end=$(date +%s.%N)
		if [ "$rc" = 2 ]; then
			echo "gate-rates.sh: trial $t of $name failed:" >&2
			cat "$tmp/ab.txt" >&2
			exit 1
		fi
		[ "$rc" = 1 ] && reg=$((reg + 1))
		awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f\n", b - a}' >>"$tmp/secs"
		grep -o '^[0-9]* pairs' "$tmp/ab.txt" | cut -d' ' -f1 >>"$tmp/pairs"
		[ -n "${MMB_GATE_VERBOSE:-}" ] && tail -2 "$tmp/ab.txt" | head -1
	done
	printf '%-8s %7d %12s %12s %12s %12s\n' "$name" "$trials" \
		"$reg/$trials" "$(median <"$tmp/secs")" \
		"$(sort -g "$tmp/secs" | tail -1)" "$(median <"$tmp/pairs")"
done
echo "== load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
