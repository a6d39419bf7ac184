#!/bin/sh
# SPDX-License-Identifier: MIT
# mmbench.sh CASE EMULATOR... -- MMBENCH.exe
# mmbench on Windows, under the cross build's emulator (cmake/wine-run.sh):
#   run   a short random-4k run compares readfile and winview: exit 0, a
#         table row with ops/s for each, and a verdict line
#   list  lists the Windows backends readfile and winview
#   output  --json and --csv: exit 0, check_output.py accepts the files
#         (JSON schema keys for readfile and winview, a CSV row per
#         backend), no temp file left, and again over the same files;
#         an unwritable --json path is a one-line error with exit 2 that
#         leaves no file
#   bad   an unknown workload, the Linux-only --memory-limit, and ab
#         are one-line errors with exit 2
#   cold  --cache cold runs; each backend notes the cold cache was not
#         checked, residency is null (unknown) in the JSON
#   report  run --report writes the HTML (tables, and a note that plots
#         need gnuplot, which wine does not have), no temp file left
# Exit 77 (skip) when the emulator cannot start wine.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/win/lib.sh
. "$here/lib.sh"
win_args "$@"
out=$(mktemp) || exit 1
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$out" "$dir"' EXIT

# mmb CMD...: run mmbench, output in $out, exit code in $rc.
mmb() {
	# shellcheck disable=SC2086
	$emu "$exe" "$@" >"$out" 2>&1
	rc=$?
	skip_on_77 $rc "$out"
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
output)
	command -v python3 >/dev/null || {
		echo "SKIP: no python3 to parse the JSON and CSV"
		exit 77
	}
	# Relative names: wine maps the Unix working directory to a drive.
	cd "$dir" || exit 1
	mmb run --size 16M --ops 2000 --reps 1 --json r.json --csv r.csv
	[ $rc = 0 ] || fail "mmbench run --json --csv exited $rc"
	[ "$(ls)" = "$(printf 'r.csv\nr.json')" ] ||
		fail "want r.csv and r.json, found: $(ls)"
	python3 "$here/check_output.py" r.json r.csv readfile winview \
		>"$out" 2>&1 || fail "the results files"
	# Again over the same names: MoveFileEx replaces them.
	rm -f r.csv
	mmb run --size 16M --ops 2000 --reps 1 --json r.json --csv r.csv
	[ $rc = 0 ] || fail "mmbench run over existing files exited $rc"
	python3 "$here/check_output.py" r.json r.csv readfile winview \
		>"$out" 2>&1 || fail "the replaced results files"
	mmb run --size 16M --ops 2000 --reps 1 --json no-such-dir/r.json
	[ $rc = 2 ] || fail "unwritable --json: exit $rc, want 2"
	need "^mmbench run: --json no-such-dir/r.json: .*CreateFile" \
		"no reason for the unwritable --json"
	[ "$(wc -l <"$out")" -eq 1 ] || fail "more than one line"
	[ "$(ls)" = "$(printf 'r.csv\nr.json')" ] ||
		fail "unwritable --json left a file: $(ls)"
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
	mmb run --memory-limit 64M --size 16M
	[ $rc = 2 ] || fail "--memory-limit: exit $rc, want 2"
	need "not available on Windows" "no reason for --memory-limit"
	mmb ab --old a.exe --new b.exe
	[ $rc = 2 ] || fail "ab: exit $rc, want 2"
	need "^mmbench ab: not available on Windows" "no reason for ab"
	;;
cold)
	# --cache cold does what Windows allows and never claims more: each
	# backend says the cold cache was not checked, and residency is
	# null (unknown) in the results
	cd "$dir" || exit 1
	mmb run --cache cold --size 16M --ops 2000 --reps 1 --json c.json
	[ $rc = 0 ] || fail "run --cache cold: exit $rc, want 0"
	[ "$(grep -c 'note: cold cache asked for, not checked (Windows: .*residency unknown)' "$out")" = 2 ] ||
		fail "not two notes that the cold cache was not checked"
	grep -q '"cache": "cold"' c.json || fail "context cache is not cold"
	if grep -q '"resident_before": [0-9]' c.json; then
		fail "a residency figure was claimed"
	fi
	grep -q '"resident_before": null' c.json || fail "no resident_before"
	;;
report)
	# run --report: the HTML with its tables; no gnuplot under wine, so
	# the page says plots need it and what to install
	cd "$dir" || exit 1
	mmb run --size 16M --ops 2000 --reps 1 --report rep
	[ $rc = 0 ] || fail "run --report: exit $rc, want 0"
	[ -s rep/index.html ] || fail "no rep/index.html"
	grep -q readfile rep/index.html || fail "readfile not in the report"
	grep -q winview rep/index.html || fail "winview not in the report"
	grep -q "No plots: they need gnuplot" rep/index.html ||
		fail "the page does not say plots need gnuplot"
	[ "$(ls)" = rep ] || fail "run --report left: $(ls)"
	;;
*)
	echo "unknown case $case_"
	exit 1
	;;
esac
echo "ok: $case_"
