#!/bin/sh
# SPDX-License-Identifier: MIT
# Smoke run of mmb_overhead (bench/overhead.c) on a 4 MiB file: every
# backend that has a bare loop, two pairs, then --sampling. It must finish
# with exit 0 (the program fails when the harness and a bare loop read
# different bytes: their checksums differ) and print a result row per
# backend (or why it was skipped) and the target line; bad usage exits 2.
# The figures themselves are not judged (a test never judges speed).
#   paired_smoke.sh MMB_OVERHEAD
set -eu
prog=$1
# O_DIRECT needs a real file system: not tmpfs
dir=$(mktemp -d "${MMB_TEST_DIR:-/var/tmp}/mmb-paired-smoke-XXXXXX")
trap 'rm -rf "$dir"' EXIT
f=$dir/data
head -c 4194304 /dev/urandom >"$f"
backends="pread mmap mmap-populate io_uring pread-direct"

check() { # output-file target-regex
	for be in $backends; do
		grep -Eq "^$be +([0-9]+ +[0-9]+ +[0-9]+ +[0-9.]+ .*(met|undecided)|skipped: .+)\$" "$1" || {
			echo "no result row for $be" >&2
			exit 1
		}
	done
	grep -Eq "$2" "$1" || {
		echo "no target line" >&2
		exit 1
	}
}

run_ok() { # name args...: mmb_overhead args, its output in $dir/name.txt
	name=$1
	shift
	"$prog" "$@" >"$dir/$name.txt" 2>&1 || {
		cat "$dir/$name.txt" >&2
		echo "mmb_overhead $*: failed" >&2
		exit 1
	}
	cat "$dir/$name.txt"
}

# shellcheck disable=SC2086 # the backends are words
run_ok out --pairs 2 --ops 2000 --ops-direct 200 --verbose "$f" $backends
check "$dir/out.txt" "^target: median ratio >= 0.97 for every backend"
# a verbose line per pair and backend that ran: two pairs each
for be in pread mmap; do
	n=$(grep -Ec "^$be +[01] +[0-9]+ +[0-9]+ " "$dir/out.txt" || true)
	[ "$n" = 2 ] || {
		echo "$be: $n verbose pair lines, want 2" >&2
		exit 1
	}
done

# shellcheck disable=SC2086
run_ok sampling --pairs 2 --ops 2000 --ops-direct 200 --sampling "$f" $backends
check "$dir/sampling.txt" "^target: the latency sampling costs < 1 %"
grep -Eq "^latency sampling: as mmbench run chooses it .*: pread 1 in [0-9]+" "$dir/sampling.txt" || {
	echo "no sampling line" >&2
	exit 1
}

# --as-run: mmbench run's repetitions on each side of a pair
run_ok as-run --pairs 1 --ops 2000 --as-run "$f" pread mmap
grep -q "^each side as mmbench run's defaults" "$dir/as-run.txt" &&
	grep -Eq "^mmap +1 +[0-9]+ +[0-9]+ " "$dir/as-run.txt" || {
	echo "--as-run: no mode line or no mmap row" >&2
	exit 1
}

# bad usage: a clear message and exit 2, nothing else run
for args in "--pairs 0 $f pread" "$f mmap-4k" "$dir/none pread" "--ops"; do
	rc=0
	# shellcheck disable=SC2086
	"$prog" $args >"$dir/bad.txt" 2>&1 || rc=$?
	[ "$rc" = 2 ] && [ "$(wc -l <"$dir/bad.txt")" = 1 ] || {
		echo "'$args': exit $rc, want 2 with one line:" >&2
		cat "$dir/bad.txt" >&2
		exit 1
	}
done
echo "mmb_overhead: ok"
