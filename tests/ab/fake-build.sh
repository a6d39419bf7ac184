#!/bin/sh
# SPDX-License-Identifier: MIT
# fake-build.sh OUT STATE SIDE EFFECT NOISE [NAME [FAULTS]]
# A stand-in for a benchmark build in the tests of mmbench ab: writes a
# Google Benchmark JSON file to OUT with one benchmark NAME (default
# "bm") whose time per op is
#   1000 ns * (1 + EFFECT) * (1 + 0.005 * k) * (1 + NOISE * u)
# where k counts the rounds of both sides (the calls sharing the STATE
# file: the machine drifts by 0.5 % a round, 50 % over 100 rounds) and u
# is uniform in [-1, 1) from awk's generator seeded with k and SIDE.
# EFFECT "fail" exits 3 instead. FAULTS: a deterministic counter
# "faults" with that value in every entry.
out=$1 state=$2 side=$3 effect=$4 noise=$5 name=${6:-bm} faults=${7:-}
[ "$effect" = fail ] && exit 3
k=$(cat "$state" 2>/dev/null || echo 0)
echo $((k + 1)) >"$state"
salt=$(printf %s "$side" | cksum | cut -d' ' -f1)
awk -v k="$k" -v s="$salt" -v e="$effect" -v z="$noise" -v name="$name" \
	-v f="$faults" 'BEGIN {
	srand((k * 7919 + s) % 2147483647); u = 2 * rand() - 1;
	t = 1000 * (1 + e) * (1 + 0.005 * k) * (1 + z * u);
	printf "{\"context\": {\"library_build_type\": \"release\"},\n";
	printf " \"benchmarks\": [{\"name\": \"%s\", \"run_name\": \"%s\",", name, name;
	printf " \"run_type\": \"iteration\", \"iterations\": 1000,";
	if (f != "") printf " \"faults\": %d,", f;
	printf " \"real_time\": %.6f, \"cpu_time\": %.6f, \"time_unit\": \"ns\"}]}\n", t, t;
}' >"$out"
