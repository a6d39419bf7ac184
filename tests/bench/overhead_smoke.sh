#!/bin/sh
# SPDX-License-Identifier: MIT
# Smoke run of bench/harness-overhead.sh: an 8 MiB file in a temporary
# data directory, two backends, two short rounds. It must finish with
# exit 0 and print a row and a verdict per backend and the target line;
# the figures themselves are not judged (a test never judges speed).
#   overhead_smoke.sh SCRIPT BUILD_DIR
set -eu
script=$1
build=$2
dir=$(mktemp -d "${TMPDIR:-/tmp}/mmb-overhead-smoke-XXXXXX")
trap 'rm -rf "$dir"' EXIT
if ! command -v python3 >/dev/null; then
	echo "no python3: the script needs it to read the JSON" >&2
	exit 77
fi
MMBENCH_DATA_DIR=$dir BACKENDS="pread mmap" OPS=2000 \
	bash "$script" "$build" 8M 1 2 >"$dir/out.txt" 2>&1 || {
	cat "$dir/out.txt" >&2
	exit 1
}
cat "$dir/out.txt"
for be in pread mmap; do
	grep -Eq "^$be +[0-9,]+ +[0-9,]+ .*(met|undecided)\$" "$dir/out.txt" || {
		echo "no result row for $be" >&2
		exit 1
	}
done
grep -q "^target: median ratio >= 0.97 for every backend" "$dir/out.txt" || {
	echo "no target line" >&2
	exit 1
}
