#!/usr/bin/env bash
# ci-gate.sh - the performance regression gate of a CI job (docs/ci-gate.md).
#
# Runs `mmbench run` with repetitions, then checks the result against a
# stored baseline with `mmbench baseline check`: times normalized by a
# reference benchmark measured in the same run (absolute times differ
# between runners), plus exact gates on deterministic counters.
#
#   scripts/ci-gate.sh [options] [-- extra `mmbench run` options]
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
	--size) need "$@"; size=$2; shift 2 ;;
	--backends) need "$@"; backends=$2; shift 2 ;;
	--threshold) need "$@"; threshold=$2; shift 2 ;;
	--normalize) need "$@"; normalize=$2; shift 2 ;;
	--update) update=1; shift ;;
	--) shift; extra=("$@"); break ;;
	-h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "ci-gate.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
	esac
done

mmbench=$build/cli/mmbench
if [ ! -x "$mmbench" ]; then
	echo "ci-gate.sh: $mmbench not found (build first)" >&2
	exit 2
fi
case "$backends" in
*pread*) ;;
*) if [ "$normalize" = random-4k/pread ]; then
	echo "ci-gate.sh: --normalize random-4k/pread needs pread among" \
		"--backends" >&2
	exit 2
fi ;;
esac
mkdir -p "$out"

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
