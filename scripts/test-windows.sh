#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Cross-build mmbench for 64-bit Windows with mingw-w64 and run its tests
# under wine: libmmb on core/win, the Windows backends (readfile, winview),
# the portable core suite (test_core), the Windows suite (test_win, with
# the >2 GiB op on a sparse file), mmbench itself (win_mmbench.*: a short
# run of readfile against winview, its --json/--csv files, run --report,
# list, bad input) and the results subcommands (results.*, the same
# script as on Linux, against the bytes Linux writes): compare (exit 0
# same, 1 regression, 2 garbage), baseline save|check, report (the HTML
# names every backend and, without gnuplot, says plots need it; with a
# stand-in gnuplot.exe the plots run through CreateProcess), a 2-point
# sweep merged into one file with no temp dir left, and experiment's
# one-line refusal (cidr22 needs a memory cgroup).
#
#   scripts/test-windows.sh              build in build/test-windows
#   MMB_WIN_BUILD=dir scripts/test-windows.sh
#
# Every run starts wine in a fresh WINEPREFIX under the build dir (about
# 10 s). When wine cannot start, each test prints why and is skipped (77).
# Exit status is CTest's.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" windows

dir=${MMB_WIN_BUILD:-"$root/build/test-windows"}
jobs=$(nproc)
echo "== build windows ($dir)"
cmake -S "$root" -B "$dir" \
	-DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-mingw64.cmake" \
	-DMMB_WERROR=ON -DMMB_BUILD_BENCH=OFF \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$dir" -j"$jobs"

# A clean prefix each run, created here by the same probe the tests use
# (cmake/wine-run.sh: when wine cannot start, the tests skip with 77).
export WINEPREFIX="$dir/wineprefix" WINEDEBUG=-all
rm -rf "$WINEPREFIX" "$WINEPREFIX.d"
"$root/cmake/wine-run.sh" "$WINEPREFIX" cmd /c exit 0 || true
# One wineserver for the whole run: with the default idle timeout, a test
# that starts while the previous server is shutting down can fail at once
# with no output (seen once in a -j2 run).
if command -v wineserver >/dev/null && [ -d "$WINEPREFIX" ]; then
	wineserver -p 2>/dev/null || true
fi
echo "== ctest windows (wine, WINEPREFIX=$WINEPREFIX)"
status=0
(cd "$dir" && ctest --output-on-failure -j"$jobs" --timeout 300) || status=1
# Stop this prefix's wineserver now rather than after its idle timeout.
if command -v wineserver >/dev/null; then
	wineserver -k 2>/dev/null || true
fi
exit $status
