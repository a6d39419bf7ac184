#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Set up and run the main job on a fresh Debian 12 machine:
#   scripts/run.sh [mmbench run options...]
# installs missing packages, builds a Release mmbench into build/release and
# runs `mmbench run --workload random-4k` (the default) with the arguments
# given, e.g. scripts/run.sh --backends all --cache cold.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" build report

build="$root/build/release"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DMMB_BUILD_TESTS=OFF \
	-DMMB_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target mmbench >/dev/null

args=("$@")
have_workload=0
for a in "${args[@]}"; do
	case "$a" in --workload | --workload=*) have_workload=1 ;; esac
done
[ $have_workload -eq 1 ] || args=(--workload random-4k "${args[@]}")
exec "$build/cli/mmbench" run "${args[@]}"
