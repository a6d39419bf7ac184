#!/bin/sh
# SPDX-License-Identifier: MIT
# Smoke run of the Google Benchmark benchmarks: an 8 MiB file, minimal
# time per benchmark, JSON output checked by check_json. Catches rot (a
# benchmark that errors, a family that vanished), never judges speed.
#   smoke.sh MMB_BENCH CHECK_JSON
set -eu
bench=$1
check=$2
dir=$(mktemp -d "${TMPDIR:-/tmp}/mmb-bench-smoke-XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$bench" --mmb_dir="$dir" --mmb_size=8M --benchmark_min_time=0.002 \
	--benchmark_out="$dir/out.json" --benchmark_out_format=json \
	--benchmark_format=console >"$dir/console.txt"
"$check" "$dir/out.json"
# the made file is cleaned up by mmb_bench itself
left=$(find "$dir" -mindepth 1 -name 'mmb-bench-*' | wc -l)
if [ "$left" -ne 0 ]; then
	echo "mmb_bench left its data directory behind" >&2
	exit 1
fi
