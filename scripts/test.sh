#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build and run every test: installs missing packages, then builds three
# times, with -Wall -Wextra -Werror, with ASan+UBSan, and with TSan, and
# runs CTest on each: every test on the first two, the tests that run
# threads against each other on the TSan build (TSAN_TESTS below). Exit
# status is CTest's.
#   scripts/test.sh            all three builds
#   MMB_TEST_BUILDS=werror scripts/test.sh    one of them
# TSan runs only the threaded tests because the whole suite does not fit:
# on the 2-core VM it took 1059 s of CTest alone (-j2, Debug), and the
# SIGBUS-guard tests cannot pass under it (TSan takes the guard's jump out
# of the signal handler for code still inside it).
# Then the Windows cross-build runs its tests under wine
# (scripts/test-windows.sh); MMB_TEST_WINDOWS=0 leaves it out.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" build test report bench browser

jobs=$(nproc)
builds=${MMB_TEST_BUILDS:-"werror asan tsan"}
# Threads against threads: backends from 2 threads, writes from 2 threads
# through the runner and mmbench (tests/safety threads_*: a race makes
# mmbench exit 66), cursors, kernel events inherited by workers.
TSAN_TESTS='^(test_backends\.(read|write)_all_backends|test_cli\.cli_write_workload_and_threads|test_core\.cursor_threads|test_kevents\.kevents_threads_inherit|test_workloads\.(gen_thread_slices_partition|runner_threads_same_totals|runner_writes_keep_file)|test_safety\.threads_.*)$'
status=0
for b in $builds; do
	dir="$root/build/test-$b"
	select=()
	case "$b" in
	werror) flags=(-DMMB_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
	asan) flags=(-DMMB_WERROR=ON -DMMB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug) ;;
	tsan)
		flags=(-DMMB_WERROR=ON -DCMAKE_BUILD_TYPE=Debug -DMMB_BUILD_BENCH=OFF
		       "-DCMAKE_C_FLAGS=-fsanitize=thread -fno-omit-frame-pointer"
		       -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread
		       -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread)
		select=(-R "$TSAN_TESTS") ;;
	*) echo "test.sh: unknown build '$b'" >&2; exit 2 ;;
	esac
	echo "== build $b ($dir)"
	cmake -S "$root" -B "$dir" "${flags[@]}" >/dev/null
	cmake --build "$dir" -j"$jobs"
	echo "== ctest $b"
	# ASan needs no leak checker noise from the test harness' forks.
	if ! (cd "$dir" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j"$jobs" --timeout 600 \
		"${select[@]}"); then
		status=1
	fi
done
if [ "${MMB_TEST_WINDOWS:-1}" != 0 ]; then
	"$root/scripts/test-windows.sh" || status=1
fi
exit $status
