#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ci-gate.sh - the performance regression gate of a CI job (docs/ci-gate.md).
#
# With --base REV (the recommended gate): builds mmbench at REV in a
# temporary worktree and runs `mmbench ab` between that build (old) and
# the one in --build (new): interleaved ABBA rounds on this runner,
# decided on the paired per-round ratios, with the estimated change and
# its interval in the summary. Nothing stored, nothing to keep in sync.
#
# Without --base: runs `mmbench run` with repetitions, then checks the
# result against a stored baseline with `mmbench baseline check`: times
# normalized by a reference benchmark measured in the same run (absolute
# times differ between runners), plus exact gates on deterministic
# counters. Runs minutes apart see different machines, hence the loose
# default threshold.
#
#   scripts/ci-gate.sh [options] [-- extra `mmbench run` options]
#     --base REV         A/B against mmbench built at git revision REV
#     --ab-threshold PCT with --base: slow-down that fails (default 3)
#     --build DIR        build directory with cli/mmbench (default build)
#     --baseline FILE    stored baseline (default bench/baseline/random-4k.json)
#     --out DIR          where results and the gate's reports go (default
#                        gate-out)
#     --reps N           repetitions (default 10; the U test needs >= 4)
#     --size SIZE        test file size (default 256M)
#     --backends LIST    gated backends (default pread,mmap,mmap-4k)
#     --threshold PCT    slow-down that fails (default 25, see the doc)
#     --normalize NAME   reference benchmark (default random-4k/pread;
#                        "none" compares absolute times)
#     --update           save this run as the new baseline and pass
#   With --base the defaults are --size 64M --backends pread,mmap and
#   each round runs 50000 ops once (plus its warm-up).
#
# Exit: 0 pass (or baseline saved), 1 regression, 2 usage/input error.
# When $GITHUB_STEP_SUMMARY is set, the Markdown table is appended to it.
set -euo pipefail

build=build
baseline=bench/baseline/random-4k.json
out=gate-out
reps=10
size=256M
backends=pread,mmap,mmap-4k
threshold=25
normalize=random-4k/pread
update=0
base=
ab_threshold=3
size_set=0
backends_set=0
extra=()

need() {
	if [ $# -lt 2 ] || [ -z "$2" ]; then
		echo "ci-gate.sh: $1 needs a value" >&2
		exit 2
	fi
}
while [ $# -gt 0 ]; do
	case "$1" in
	--build) need "$@"; build=$2; shift 2 ;;
	--baseline) need "$@"; baseline=$2; shift 2 ;;
	--out) need "$@"; out=$2; shift 2 ;;
	--reps) need "$@"; reps=$2; shift 2 ;;
	--size) need "$@"; size=$2; size_set=1; shift 2 ;;
	--backends) need "$@"; backends=$2; backends_set=1; shift 2 ;;
	--base) need "$@"; base=$2; shift 2 ;;
	--ab-threshold) need "$@"; ab_threshold=$2; shift 2 ;;
	--threshold) need "$@"; threshold=$2; shift 2 ;;
	--normalize) need "$@"; normalize=$2; shift 2 ;;
	--update) update=1; shift ;;
	--) shift; extra=("$@"); break ;;
	-h | --help) sed -n '2,36p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "ci-gate.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
done

mmbench=$build/cli/mmbench
if [ ! -x "$mmbench" ]; then
	echo "ci-gate.sh: $mmbench not found (build first)" >&2
	exit 2
fi
mkdir -p "$out"

if [ -n "$base" ]; then
	root=$(cd "$(dirname "$0")/.." && pwd)
	[ "$size_set" = 1 ] || size=64M
	[ "$backends_set" = 1 ] || backends=pread,mmap
	if ! rev=$(git -C "$root" rev-parse --verify --quiet "$base^{commit}"); then
		echo "ci-gate.sh: --base $base: not a commit" >&2
		exit 2
	fi
	wt=$(mktemp -d /tmp/mmbench-gate-base-XXXXXX)
	trap 'git -C "$root" worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"' EXIT
	rmdir "$wt"
	git -C "$root" worktree add --detach --quiet "$wt" "$rev"
	echo "== building the base $rev in $wt" >&2
	cmake -S "$wt" -B "$wt/build" -DCMAKE_BUILD_TYPE=Release \
		-DMMB_BUILD_TESTS=OFF -DMMB_BUILD_BENCH=OFF >/dev/null
	cmake --build "$wt/build" -j"$(nproc)" --target mmbench >/dev/null
	rc=0
	"$mmbench" ab --old "$wt/build/cli/mmbench" --new "$mmbench" \
		--threshold "$(awk -v t="$ab_threshold" 'BEGIN {print t / 100}')" \
		--markdown "$out/gate.md" -w random-4k -b "$backends" \
		--size "$size" --ops 50000 ${extra[@]+"${extra[@]}"} \
		| tee "$out/gate.txt" || rc=${PIPESTATUS[0]}
	if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$out/gate.md" ]; then
		cat "$out/gate.md" >>"$GITHUB_STEP_SUMMARY"
	fi
	exit "$rc"
fi

case "$backends" in
*pread*) ;;
*) if [ "$normalize" = random-4k/pread ]; then
	echo "ci-gate.sh: --normalize random-4k/pread needs pread among" \
		"--backends" >&2
	exit 2
fi ;;
esac

# One run: every backend on the same file, same seed, same ops, so the
# reference and the gated backends share the runner's state of the moment.
"$mmbench" run -w random-4k -b "$backends" --size "$size" --reps "$reps" \
	--json "$out/current.json" ${extra[@]+"${extra[@]}"} >"$out/run.txt"

if [ "$update" = 1 ] || [ ! -f "$baseline" ]; then
	[ "$update" = 1 ] || echo "ci-gate.sh: no baseline at $baseline:" \
		"saving this run as the baseline" >&2
	mkdir -p "$(dirname "$baseline")"
	"$mmbench" baseline save "$out/current.json" "$baseline"
	exit 0
fi

args=(--threshold "$threshold"
	--counter bytes_read:0% --counter pages_touched:0%
	--json "$out/gate.json" --markdown "$out/gate.md")
if [ "$normalize" != none ]; then
	args+=(--normalize "$normalize")
fi
rc=0
"$mmbench" baseline check "${args[@]}" "$baseline" "$out/current.json" ||
	rc=$?
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$out/gate.md" ]; then
	cat "$out/gate.md" >>"$GITHUB_STEP_SUMMARY"
fi
exit "$rc"
