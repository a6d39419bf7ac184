#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# compare-scale.sh - how long `mmbench compare` takes as the number of
# benchmarks grows (issue 20: 80,000 took 70 s when benchmarks were
# matched by a linear search; the target is < 2 s for 100,000).
#
#   bench/compare-scale.sh [BUILD_DIR [COUNTS]]
#     BUILD_DIR  a build with cli/mmbench (default build/release)
#     COUNTS     benchmark counts (default "20000 80000 100000")
# Writes two synthetic files per count (one repetition per benchmark, as
# the issue's files) into a temp dir and prints the wall time of one
# compare of them, best of 3.
set -euo pipefail
build=${1:-build/release}
counts=${2:-20000 80000 100000}
mmbench=$build/cli/mmbench
[ -x "$mmbench" ] || { echo "no $mmbench (build it first)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gen() { # COUNT FILE
	awk -v n="$1" 'BEGIN {
		print "{\"benchmarks\": ["
		for (i = 0; i < n; i++)
			printf "%s{\"name\": \"family/bench:%06d\", " \
			    "\"real_time\": %d, \"cpu_time\": %d, " \
			    "\"time_unit\": \"ns\"}\n", i ? "," : "", i,
			    100 + i % 7, 100 + i % 7
		print "]}"
	}' >"$2"
}

printf '%-10s %10s %8s\n' benchmarks "file MB" "seconds"
for n in $counts; do
	gen "$n" "$tmp/a.json"
	cp "$tmp/a.json" "$tmp/b.json"
	best=
	for _ in 1 2 3; do
		t0=$(date +%s.%N)
		"$mmbench" compare "$tmp/a.json" "$tmp/b.json" >/dev/null
		t=$(echo "$(date +%s.%N) - $t0" | bc)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then
			best=$t
		fi
	done
	printf '%-10s %10.1f %8.2f\n' "$n" \
	    "$(echo "$(stat -c %s "$tmp/a.json") / 1000000" | bc -l)" "$best"
done
