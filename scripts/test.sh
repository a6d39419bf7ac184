#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build and run every test: installs missing packages, then builds twice,
# once with -Wall -Wextra -Werror and once with ASan+UBSan, and runs CTest
# on each. Exit status is CTest's.
#   scripts/test.sh            both builds
#   MMB_TEST_BUILDS=werror scripts/test.sh    one of them
# Then the Windows cross-build runs its tests under wine
# (scripts/test-windows.sh); MMB_TEST_WINDOWS=0 leaves it out.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" build test report bench browser

jobs=$(nproc)
builds=${MMB_TEST_BUILDS:-"werror asan"}
status=0
for b in $builds; do
	dir="$root/build/test-$b"
	case "$b" in
	werror) flags=(-DMMB_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
	asan) flags=(-DMMB_WERROR=ON -DMMB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug) ;;
	*) echo "test.sh: unknown build '$b'" >&2; exit 2 ;;
	esac
	echo "== build $b ($dir)"
	cmake -S "$root" -B "$dir" "${flags[@]}" >/dev/null
	cmake --build "$dir" -j"$jobs"
	echo "== ctest $b"
	# ASan needs no leak checker noise from the test harness' forks.
	if ! (cd "$dir" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j"$jobs" --timeout 600); then
		status=1
	fi
done
if [ "${MMB_TEST_WINDOWS:-1}" != 0 ]; then
	"$root/scripts/test-windows.sh" || status=1
fi
exit $status
