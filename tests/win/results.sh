#!/bin/sh
# SPDX-License-Identifier: MIT
# results.sh CASE EMULATOR... -- MMBENCH
# The subcommands that read results files, the same on Linux and on
# Windows (under the cross build's emulator, cmake/wine-run.sh; on Linux
# the emulator is empty). The inputs are data/*.json (data/make.py); the
# expected bytes, data/expected/, are what Linux writes, and the Windows
# build must write the very same (stdout, stderr and files: the paths are
# the same relative names on both).
#   compare   same files: exit 0; mmap 30% slower: exit 1 (also --json
#             and --markdown); bad JSON: exit 2, one line
#   baseline  save (the copy has the same bytes) and check: exit 0 and 1
#   report    index.html exists, names every backend, and but for the
#             plots is the page Linux writes; without gnuplot in PATH on
#             Windows the page says plots need gnuplot (on
#             Linux: skipped without gnuplot, which it needs there)
#   report-gnuplot  Windows: with fake_gnuplot.exe as gnuplot.exe in PATH
#             the plots are run through CreateProcess; a failing gnuplot
#             is quoted and leaves no directory
#   sweep     a 2-point sweep (--param threads=1,2) writes one merged file
#             with both points, and leaves no temp directory
#   experiment  cidr22 is refused in one line (exit 2) on Windows, naming
#             what it needs from Linux (a memory cgroup, the sampler)
# MMB_RESULTS_REGEN=1 (Linux) writes data/expected/ instead of checking.
# Exit 77 (skip) when the emulator cannot start wine.
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/win/lib.sh
. "$here/lib.sh"
win_args "$@"
exp=$here/data/expected
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
cp "$here"/data/*.json "$dir"/ || exit 1
# Relative names: wine maps the Unix working directory to a drive.
cd "$dir" || exit 1

# mmb NAME CMD...: run mmbench; stdout in NAME.out, stderr in NAME.err,
# exit code in $rc.
mmb() {
	name=$1
	shift
	# shellcheck disable=SC2086
	$emu "$exe" "$@" >"$name.out" 2>"$name.err"
	rc=$?
	skip_on_77 $rc "$name.err"
}
fail() {
	echo "FAIL: $*"
	for f in ./*.out ./*.err; do
		[ -s "$f" ] && { echo "--- $f:"; cat "$f"; }
	done
	exit 1
}
# same FILE...: each is byte for byte data/expected/FILE.
same() {
	for f in "$@"; do
		if [ "${MMB_RESULTS_REGEN:-}" = 1 ]; then
			mkdir -p "$exp" && cp "$f" "$exp/$f"
		elif ! cmp "$f" "$exp/$f"; then
			diff "$exp/$f" "$f" | head -20
			fail "$f differs from data/expected/$f"
		fi
	done
}
windows() {
	case $exe in *.exe) return 0 ;; esac
	return 1
}

case $case_ in
compare)
	mmb same compare base.json base.json
	[ $rc = 0 ] || fail "same files: exit $rc, want 0"
	mmb slow compare --json cmp.json --markdown cmp.md base.json slow.json
	[ $rc = 1 ] || fail "a regression: exit $rc, want 1"
	mmb bad compare base.json bad.json
	[ $rc = 2 ] || fail "bad JSON: exit $rc, want 2"
	[ "$(wc -l <bad.err)" -eq 1 ] || fail "bad JSON: not one line"
	mmb missing compare base.json no-such.json
	[ $rc = 2 ] || fail "a missing file: exit $rc, want 2"
	same same.out same.err slow.out slow.err cmp.json cmp.md bad.out \
		bad.err
	;;
baseline)
	mmb save baseline save base.json saved.json
	[ $rc = 0 ] || fail "baseline save: exit $rc, want 0"
	cmp base.json saved.json || fail "the saved baseline differs"
	mmb check-same baseline check saved.json base.json
	[ $rc = 0 ] || fail "baseline check, same: exit $rc, want 0"
	mmb check-slow baseline check saved.json slow.json
	[ $rc = 1 ] || fail "baseline check, a regression: exit $rc, want 1"
	mmb save-bad baseline save bad.json saved2.json
	[ $rc = 2 ] || fail "baseline save of bad JSON: exit $rc, want 2"
	[ ! -e saved2.json ] || fail "baseline save of bad JSON wrote a file"
	same save.out save.err check-same.out check-same.err \
		check-slow.out check-slow.err save-bad.out save-bad.err
	;;
report)
	if ! windows && ! command -v gnuplot >/dev/null; then
		echo "SKIP: no gnuplot (Linux reports need it: gnuplot-nox)"
		exit 77
	fi
	mmb report report base.json slow.json -o rep
	[ $rc = 0 ] || fail "report: exit $rc, want 0"
	[ -s rep/index.html ] || fail "no rep/index.html"
	for b in pread mmap mmap-hugetlb; do
		grep -q ">$b<\|>$b \|$b</" rep/index.html ||
			fail "index.html does not name $b"
	done
	if windows && [ ! -e rep/plots/throughput-0.png ] &&
		! ls rep/plots/*.png >/dev/null 2>&1; then
		grep -q "No plots: they need gnuplot" rep/index.html ||
			fail "no plots and the page does not say why"
		grep -q "Install gnuplot for Windows" rep/index.html ||
			fail "the page does not say what to install"
	fi
	# the page is the bytes Linux writes, but for the plots (Linux) or
	# the note that there are none (Windows without gnuplot)
	sed -e '/^<p class="note">No plots: /d' \
		-e '/^<div class="plots/,/^<\/div>/d' rep/index.html >index.html
	same index.html
	# again into the same directory: a previous report is replaced
	mmb report2 report base.json -o rep
	[ $rc = 0 ] || fail "report over a previous one: exit $rc, want 0"
	left=$(ls -d rep.* 2>/dev/null)
	[ -z "$left" ] || fail "left beside the report: $left"
	;;
report-gnuplot)
	# The CreateProcess path, with fake_gnuplot.exe as gnuplot.exe in
	# PATH (WINEPATH, in wine's Z: drive): the plots are made and the
	# page has no note; a gnuplot that fails is quoted, exit 1.
	windows && [ -n "${MMB_FAKE_GNUPLOT:-}" ] || {
		echo "SKIP: Windows only, needs MMB_FAKE_GNUPLOT"
		exit 77
	}
	mkdir gp && cp "$MMB_FAKE_GNUPLOT" gp/gnuplot.exe || exit 1
	WINEPATH="Z:$(pwd | tr / '\\')\\gp"
	export WINEPATH
	mmb report report base.json -o rep
	[ $rc = 0 ] || fail "report: exit $rc, want 0"
	ls rep/plots/*.png >/dev/null 2>&1 || fail "no plots made"
	ls rep/plots/*.svg >/dev/null 2>&1 || fail "no SVG plots made"
	grep -q '<img src="plots/' rep/index.html ||
		fail "the page shows no plot"
	if grep -q "No plots" rep/index.html; then
		fail "plots made, but the page says there are none"
	fi
	MMB_FAKE_GNUPLOT_FAIL=1 mmb bad report base.json -o rep2
	[ $rc != 0 ] || fail "a failing gnuplot: exit 0"
	grep -q "told to fail" bad.err || fail "gnuplot's message not quoted"
	[ ! -e rep2 ] || fail "a failed report left rep2"
	left=$(ls -d rep2.* 2>/dev/null)
	[ -z "$left" ] || fail "a failed report left $left"
	;;
sweep)
	tmp_before=$(find "${WINEPREFIX:-/nonexistent}/drive_c" \
		-maxdepth 6 -name 'mmbench-sweep-*' 2>/dev/null | wc -l)
	mmb sweep sweep --param threads=1,2 --size 16M --ops 2000 --reps 1 \
		--json s.json
	[ $rc = 0 ] || fail "sweep: exit $rc, want 0"
	python3 - s.json <<'PY' || fail "the merged file"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["context"]["sweep_param"] == "threads", d["context"]
names = {b["name"] for b in d["benchmarks"] if b["run_type"] == "iteration"}
for t in (1, 2):
    assert any(n.endswith("/threads:%d" % t) for n in names), names
PY
	tmp_after=$(find "${WINEPREFIX:-/nonexistent}/drive_c" \
		-maxdepth 6 -name 'mmbench-sweep-*' 2>/dev/null | wc -l)
	[ "$tmp_after" = "$tmp_before" ] || fail "a temp directory was left"
	;;
experiment)
	windows || {
		echo "SKIP: Windows only (Linux runs it in tests/cli)"
		exit 77
	}
	mmb exp experiment cidr22 --duration 1
	[ $rc = 2 ] || fail "experiment cidr22: exit $rc, want 2"
	grep -q "^mmbench experiment: cidr22 needs Linux: a memory cgroup" \
		exp.err || fail "no reason given"
	[ "$(wc -l <exp.err)" -eq 1 ] || fail "not one line"
	;;
*)
	echo "unknown case $case_"
	exit 1
	;;
esac
echo "ok: $case_"
