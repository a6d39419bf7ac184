#!/bin/sh
# SPDX-License-Identifier: MIT
# Debian's Google Benchmark compare.py (package libbenchmark-tools, with
# python3-scipy) on two mmbench results files made now: its table lists
# each benchmark in family order, its repetitions then its _pvalue, _mean,
# _median, _stddev and _cv rows, and its p-values are the ones
# `mmbench compare` prints. Exit 77 when compare.py or scipy is missing.
#   compare_py.sh MMBENCH
set -eu
mmbench=$1
cmp=/usr/share/benchmark/compare.py
[ -f "$cmp" ] || { echo "skip: no $cmp (apt-get install libbenchmark-tools)"; exit 77; }
# Debian's python3, whose scipy and numpy are Debian's packages (a python3
# earlier in PATH may have neither).
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3) || { echo "skip: no python3"; exit 77; }
"$py" -c 'import scipy.stats, numpy' 2>/dev/null ||
	{ echo "skip: $py has no scipy/numpy (apt-get install python3-scipy python3-numpy)"; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/mmb-compare-py-XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail() { echo "compare_py.sh: $*" >&2; exit 1; }
export MMBENCH_DATA_DIR="$dir"
for f in a b; do
	"$mmbench" run --size 16M --ops 5000 --reps 5 -b pread,mmap \
		--no-warmup --json "$dir/$f.json" >/dev/null ||
		fail "mmbench run failed"
done
"$py" "$cmp" --no-color benchmarks "$dir/a.json" "$dir/b.json" \
	>"$dir/py.txt" 2>&1 || { cat "$dir/py.txt" >&2; fail "compare.py failed"; }
# exit 1 would be a regression between two runs of the same build: noise
"$mmbench" compare "$dir/a.json" "$dir/b.json" >"$dir/mmb.txt" 2>&1 || [ $? -eq 1 ] ||
	{ cat "$dir/mmb.txt" >&2; fail "mmbench compare failed"; }

# compare.py's benchmark names in table order, repetitions folded: one
# line per row, NAME or NAME_AGG.
awk 'NR > 3 && $1 != "OVERALL_GEOMEAN" { print $1 }' "$dir/py.txt" | uniq >"$dir/rows"
want=""
for be in pread mmap; do
	n=random-4k/$be
	want="$want$n
${n}_pvalue
${n}_mean
${n}_median
${n}_stddev
${n}_cv
"
done
printf '%s' "$want" >"$dir/want"
if ! cmp -s "$dir/rows" "$dir/want"; then
	echo "compare.py rows (repetitions folded):" >&2; cat "$dir/rows" >&2
	echo "expected:" >&2; cat "$dir/want" >&2
	cat "$dir/py.txt" >&2
	fail "compare.py does not list each benchmark with its aggregates"
fi
# five repetition rows per benchmark
for be in pread mmap; do
	r=$(awk -v n="random-4k/$be" '$1 == n' "$dir/py.txt" | wc -l)
	[ "$r" -eq 5 ] || fail "compare.py shows $r repetitions of $be, not 5"
done
# The time p-value: compare.py's _pvalue row (its Time column) and
# mmbench compare's p-value column, per benchmark.
for be in pread mmap; do
	n=random-4k/$be
	p_py=$(awk -v n="${n}_pvalue" '$1 == n { print $2 }' "$dir/py.txt")
	p_mmb=$(awk -v n="$n" '$1 == n { for (i = 2; i <= NF; i++) if ($i ~ /^[01]\.[0-9][0-9][0-9][0-9]$/) { print $i; exit } }' "$dir/mmb.txt")
	[ -n "$p_py" ] && [ -n "$p_mmb" ] ||
		{ cat "$dir/py.txt" "$dir/mmb.txt" >&2; fail "no p-value for $be (compare.py '$p_py', mmbench '$p_mmb')"; }
	[ "$p_py" = "$p_mmb" ] ||
		{ cat "$dir/py.txt" "$dir/mmb.txt" >&2; fail "$be: compare.py p=$p_py, mmbench p=$p_mmb"; }
	echo "$be: p = $p_py (compare.py and mmbench compare)"
done
