#!/bin/sh
# Google Benchmark files made now, by Google Benchmark itself, read by
# mmbench: shapes.cc with repetitions and aggregates only, and
# bench/mmb_bench with repetitions. Each must load with every shape kept
# (gb_check) and compare against itself (exit 0).
#   shapes.sh GB_SHAPES GB_CHECK MMBENCH [MMB_BENCH]
set -eu
shapes=$1 check=$2 mmbench=$3 bench=${4:-}
dir=$(mktemp -d "${TMPDIR:-/tmp}/mmb-gbench-XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail() { echo "shapes.sh: $*" >&2; exit 1; }

"$shapes" --benchmark_min_time=0.001 --benchmark_repetitions=3 \
	--benchmark_out="$dir/shapes.json" --benchmark_out_format=json \
	>/dev/null 2>&1 || fail "$shapes failed"
"$shapes" --benchmark_min_time=0.001 --benchmark_repetitions=3 \
	--benchmark_report_aggregates_only=true \
	--benchmark_out="$dir/aggregates.json" --benchmark_out_format=json \
	>/dev/null 2>&1 || fail "$shapes (aggregates only) failed"
grep -q ': NaN' "$dir/shapes.json" || fail "no bare NaN in shapes.json"
"$check" shapes "$dir/shapes.json" || fail "shapes.json"
"$check" aggregates "$dir/aggregates.json" || fail "aggregates.json"
files="shapes aggregates"
if [ -n "$bench" ]; then
	"$bench" --mmb_dir="$dir" --mmb_size=8M --benchmark_min_time=0.001 \
		--benchmark_repetitions=3 \
		--benchmark_filter='core/map_unmap|bare/pread|backend/mmap/random' \
		--benchmark_out="$dir/mmb_bench.json" \
		--benchmark_out_format=json >/dev/null 2>&1 ||
		fail "$bench failed"
	"$check" mmb_bench "$dir/mmb_bench.json" || fail "mmb_bench.json"
	files="$files mmb_bench"
fi
for f in $files; do
	"$mmbench" compare "$dir/$f.json" "$dir/$f.json" >"$dir/$f.cmp" 2>&1 ||
		{ cat "$dir/$f.cmp" >&2; fail "compare $f.json $f.json"; }
done
