#!/bin/sh
# SPDX-License-Identifier: MIT
# Google Benchmark files made now, by Google Benchmark itself, read by
# mmbench: shapes.cc with repetitions and aggregates only, and
# bench/mmb_bench with repetitions. Each must load with every shape kept
# (gb_check), compare against itself (exit 0) and make a report that draws
# its benchmarks; two files make an old-vs-new page (report OLD NEW and
# compare --report).
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
grep -q ': Infinity' "$dir/shapes.json" || fail "no bare Infinity in shapes.json"
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
	"$mmbench" report "$dir/$f.json" -o "$dir/$f.report" >/dev/null 2>&1 ||
		fail "report $f.json"
	page=$dir/$f.report/index.html
	! grep -q 'No backend ran' "$page" ||
		fail "report of $f.json says no backend ran"
	[ -s "$dir/$f.report/plots/gb-time.png" ] ||
		fail "report of $f.json has no time-per-iteration plot"
done
# shapes.json's benchmarks, counters, fits and errors on its page
page=$dir/shapes.report/index.html
for want in '<td>BM_Sum/64</td>' '<td>BM_Unit/ms</td>' '<th>elems</th>' \
	'<h2>Complexity</h2>' '<td>cannot run here</td>' 'plots/gb-counter-1.png'; do
	grep -qF "$want" "$page" || fail "shapes.json's report lacks $want"
done
grep -q '^"BM_Sum/64" ' "$dir/shapes.report/plots/gb-time.dat" ||
	fail "gb-time.dat has no BM_Sum/64"

# old vs new: a second run of shapes, as report OLD NEW and compare --report
"$shapes" --benchmark_min_time=0.001 --benchmark_repetitions=4 \
	--benchmark_out="$dir/shapes2.json" --benchmark_out_format=json \
	>/dev/null 2>&1 || fail "$shapes (second run) failed"
"$mmbench" report "$dir/shapes.json" "$dir/shapes2.json" -o "$dir/cmp" \
	>/dev/null 2>&1 || fail "report OLD NEW"
"$mmbench" compare --threshold 1000 "$dir/shapes.json" "$dir/shapes2.json" \
	--report "$dir/cmp2" >"$dir/cmp2.txt" 2>&1 ||
	{ cat "$dir/cmp2.txt" >&2; fail "compare --report"; }
for d in cmp cmp2; do
	page=$dir/$d/index.html
	grep -q '<h1>Old vs new</h1>' "$page" || fail "$d: no comparison page"
	[ -s "$dir/$d/plots/compare.png" ] || fail "$d: no old-vs-new plot"
	# every benchmark compare prints is a row, with the p-value it prints
	for b in BM_Sum/64 BM_Sum/4096 BM_Unit/s BM_Unit/ns; do
		p=$(awk -v n="$b" '$1 == n { for (i = 2; i <= NF; i++) if ($i ~ /^[01]\.[0-9][0-9][0-9][0-9]$/) { print $i; exit } }' "$dir/cmp2.txt")
		[ -n "$p" ] || fail "compare printed no p-value for $b"
		grep -qF "<td>$b</td>" "$page" || fail "$d: no row $b"
		awk -v n="<td>$b</td>" -v p="<td>$p</td>" 'index($0, n) && index($0, p) { ok = 1 } END { exit !ok }' "$page" ||
			fail "$d: $b's row lacks p = $p"
	done
	grep -qF '<td>BM_Error</td>' "$page" || fail "$d: no row BM_Error"
done
