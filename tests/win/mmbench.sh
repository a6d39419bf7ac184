#!/bin/sh
# mmbench.sh CASE EMULATOR... -- MMBENCH.exe
# mmbench on Windows, under the cross build's emulator (cmake/wine-run.sh):
#   run   a short random-4k run compares readfile and winview: exit 0, a
#         table row with ops/s for each, and a verdict line
#   list  lists the Windows backends readfile and winview
#   bad   an unknown workload and the Linux-only --json and --memory-limit
#         are one-line errors with exit 2
# Exit 77 (skip) when the emulator cannot start wine.
case_=$1
shift
emu=
while [ "$1" != "--" ]; do
	emu="$emu $1"
	shift
done
shift
exe=$1
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT

# mmb CMD...: run mmbench, output in $out, exit code in $rc.
mmb() {
	# shellcheck disable=SC2086
	$emu "$exe" "$@" >"$out" 2>&1
	rc=$?
	if [ $rc = 77 ] && grep -q '^SKIP' "$out"; then
		cat "$out"
		exit 77
	fi
}
fail() {
	echo "FAIL: $*"
	echo "--- output:"
	cat "$out"
	exit 1
}
need() {
	grep -Eq "$1" "$out" || fail "$2"
}

case $case_ in
run)
	mmb run --workload random-4k --size 16M --ops 2000 --reps 1
	[ $rc = 0 ] || fail "mmbench run exited $rc"
	need '^backend +ops/s ' "no table header with ops/s"
	need '^readfile +[0-9.]+[kMG]? +[0-9.]+ ' "no readfile row with ops/s"
	need '^winview +[0-9.]+[kMG]? +[0-9.]+ ' "no winview row with ops/s"
	need 'faults from GetProcessMemoryInfo' "fault source not named"
	need '^verdict: .*(readfile|winview)' "no verdict line"
	if grep -q FAILED "$out"; then fail "a backend failed"; fi
	;;
list)
	mmb list
	[ $rc = 0 ] || fail "mmbench list exited $rc"
	need '^  readfile ' "readfile not listed"
	need '^  winview ' "winview not listed"
	need '^  random-4k ' "random-4k not listed"
	;;
bad)
	mmb run --workload no-such-thing --size 16M
	[ $rc = 2 ] || fail "unknown workload: exit $rc, want 2"
	need "unknown workload 'no-such-thing'" "no reason for the bad workload"
	[ "$(wc -l <"$out")" -eq 1 ] || fail "more than one line"
	mmb run --workload random-4k --size 16M --json x.json
	[ $rc = 2 ] || fail "--json: exit $rc, want 2"
	need "^mmbench run: --json: not available" "no reason for --json"
	[ ! -e x.json ] || fail "--json left a file"
	mmb run --memory-limit 64M --size 16M
	[ $rc = 2 ] || fail "--memory-limit: exit $rc, want 2"
	need "not available on Windows" "no reason for --memory-limit"
	mmb report x.json
	[ $rc = 2 ] || fail "report: exit $rc, want 2"
	need "not available on Windows" "no reason for report"
	;;
*)
	echo "unknown case $case_"
	exit 1
	;;
esac
echo "ok: $case_"
