#!/bin/sh
# SPDX-License-Identifier: MIT
# conv.sh CASE MMBENCH BUILD_DIR SOURCE_DIR: one convention of mmbench.
#   version          --version, -V and `version` print "mmbench X.Y.Z" (the
#                    version of project() in CMakeLists.txt), exit 0
#   help_cmd         `help CMD` prints exactly `CMD --help` for every command
#                    of `mmbench --help`, exit 0; an unknown one exits 2
#   man              the generated mmbench.1 names every command and run
#                    option, and `man -l` renders it (77 without man)
#   completion_bash  the bash completion sources, registers `complete -F
#                    _mmbench mmbench`, and completes a subcommand, run's
#                    options, workload and comma-separated backend names
#   completion_zsh   the zsh completion parses and compinit registers it
#                    for mmbench (77 without zsh)
#   table_width      with COLUMNS=80 every line of a run's console output
#                    fits 80 columns; --wide (or COLUMNS=200) shows the
#                    wide table (mean, resident columns)
#   deb              scripts/deb-check.sh: the .deb builds, unpacks with
#                    dpkg -x and its mmbench runs (77 without dpkg-deb)
#   spdx             scripts/spdx.sh --check: every tracked source file
#                    has an SPDX-License-Identifier line (77 without git)
set -u
case_=$1 exe=$2 build=$3 src=$4
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmbench-conv-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
fail() {
	echo "FAIL: $*"
	[ -s "$out" ] && { echo "--- output:"; head -c 4000 "$out"; }
	exit 1
}
commands() {
	"$exe" --help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p'
}

case $case_ in
version)
	want=$(sed -n 's/^project(mmbench VERSION \([0-9.]*\).*/\1/p' \
		"$src/CMakeLists.txt")
	[ -n "$want" ] || fail "no project(VERSION) in CMakeLists.txt"
	for a in --version -V version; do
		"$exe" $a >"$out" 2>&1 || fail "mmbench $a exited $?"
		[ "$(cat "$out")" = "mmbench $want" ] ||
			fail "mmbench $a: want 'mmbench $want'"
	done
	"$exe" --version extra >"$out" 2>&1
	[ $? = 2 ] || fail "--version with an argument: want exit 2"
	;;
help_cmd)
	n=0
	for c in $(commands); do
		"$exe" help "$c" >"$tmp/a" 2>&1 || fail "help $c exited $?"
		"$exe" "$c" --help >"$tmp/b" 2>&1 || fail "$c --help exited $?"
		cmp -s "$tmp/a" "$tmp/b" || fail "help $c differs from $c --help"
		head -n 1 "$tmp/a" | grep -q "^usage: mmbench" ||
			fail "help $c: no usage line"
		n=$((n + 1))
	done
	[ $n -ge 10 ] || fail "only $n commands in mmbench --help"
	"$exe" help run | grep -q -- '--workload' || fail "help run is not run's"
	"$exe" help nosuch >"$out" 2>&1
	[ $? = 2 ] || fail "help nosuch: want exit 2"
	[ "$(wc -l <"$out")" = 1 ] || fail "help nosuch: not one line"
	;;
man)
	page=$build/mmbench.1
	[ -s "$page" ] || fail "no generated $page"
	"$exe" help --man >"$out" || fail "help --man exited $?"
	cmp -s "$out" "$page" || fail "mmbench.1 is not help --man's output"
	for c in $(commands); do
		[ "$c" = help ] && continue
		u=$(echo "$c" | tr '[:lower:]' '[:upper:]')
		grep -q "^\.SH \"MMBENCH $u\"" "$page" || fail "no section for $c"
	done
	for o in workload backends access cache reps json; do
		grep -q "^\\\\fB.*\\\\-\\\\-$o" "$page" || fail "no --$o entry"
	done
	command -v man >/dev/null || { echo "SKIP: no man"; exit 77; }
	MANWIDTH=80 man -l "$page" >"$out" 2>"$tmp/err" ||
		fail "man -l exited $?: $(cat "$tmp/err")"
	[ -s "$tmp/err" ] && fail "man -l warns: $(cat "$tmp/err")"
	grep -q '^MMBENCH RUN' "$out" || fail "rendered page: no MMBENCH RUN"
	grep -q -- '--workload NAME' "$out" || fail "rendered: no --workload"
	;;
completion_bash)
	script=$build/completion/mmbench
	[ -s "$script" ] || fail "no generated $script"
	"$exe" completion bash | cmp -s - "$script" ||
		fail "the installed script is not completion bash's output"
	cat >"$tmp/t.sh" <<'T'
. "$1" || exit 1
complete -p mmbench | grep -q -- '-F _mmbench' || { echo "not registered"; exit 1; }
c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _mmbench; [ ${#COMPREPLY[@]} = 0 ] || printf "%s\n" "${COMPREPLY[@]}"; }
[ "$(c mmbench ru)" = run ] || { echo "ru -> '$(c mmbench ru)'"; exit 1; }
[ "$(c mmbench swe)" = sweep ] || { echo "swe -> '$(c mmbench swe)'"; exit 1; }
c mmbench run --wor | grep -qx -- --workload || { echo "run --wor"; exit 1; }
c mmbench run --ac | grep -qx -- --access || { echo "run --ac"; exit 1; }
c mmbench sweep --acc | grep -qx -- --access || { echo "sweep: no run options"; exit 1; }
c mmbench run -w zi | grep -qx zipf || { echo "-w zi"; exit 1; }
c mmbench run --access in | grep -qx inplace || { echo "--access in"; exit 1; }
c mmbench run -b pread,mmap-p | grep -qx pread,mmap-populate || { echo "-b list: '$(c mmbench run -b pread,mmap-p)'"; exit 1; }
c mmbench help comp | grep -qx compare || { echo "help comp"; exit 1; }
c mmbench baseline ch | grep -qx check || { echo "baseline ch"; exit 1; }
c mmbench completion z | grep -qx zsh || { echo "completion z"; exit 1; }
[ -z "$(c mmbench run --reps '')" ] || { echo "--reps offers words"; exit 1; }
T
	bash "$tmp/t.sh" "$script" >"$out" 2>&1 || fail "bash completion"
	;;
completion_zsh)
	script=$build/completion/_mmbench
	[ -s "$script" ] || fail "no generated $script"
	command -v zsh >/dev/null || { echo "SKIP: no zsh"; exit 77; }
	zsh -n "$script" >"$out" 2>&1 || fail "zsh -n: the script does not parse"
	mkdir "$tmp/fp" && cp "$script" "$tmp/fp/"
	zsh -fc "fpath=($tmp/fp \$fpath); autoload -Uz compinit;
		compinit -u -d $tmp/zcd; print -r -- \$_comps[mmbench]" \
		>"$out" 2>&1 || fail "compinit"
	[ "$(cat "$out")" = _mmbench ] || fail "compinit did not register _mmbench"
	;;
table_width)
	export MMBENCH_DATA_DIR="$tmp"
	# Columns of each line ("µ" is one), the lines over 80.
	over80() { sed 's/µ/u/g' "$1" | awk 'length($0) > 80'; }
	args="-w random-4k --size 4M --ops 2000 --reps 1 --no-warmup"
	for b in pread,mmap all; do
		# shellcheck disable=SC2086
		COLUMNS=80 "$exe" run $args -b $b >"$out" 2>"$tmp/err" ||
			fail "run -b $b exited $?: $(cat "$tmp/err")"
		grep -q '^backend  *ops/s  *MB/s  *p50  *p99 ' "$out" ||
			fail "-b $b: no narrow table header"
		grep -q '^verdict: ' "$out" || fail "-b $b: no verdict"
		grep -E '^backend |^[a-z][a-z0-9_-]* +[0-9.]+[kMG]? ' "$out" \
			>"$tmp/table"
		[ "$(wc -l <"$tmp/table")" -ge 3 ] || fail "-b $b: no rows"
		[ -z "$(over80 "$tmp/table")" ] ||
			fail "-b $b: table lines over 80 columns: $(over80 "$tmp/table")"
		# Every detail line (indented) starts with a backend of a row.
		bad=$(awk 'NR == FNR { if ($1 != "backend") ok[$1] = 1; next }
			/^  [^ ]/ && !ok[$1] { print }' "$tmp/table" "$out")
		[ -z "$bad" ] || fail "-b $b: detail lines without their backend: $bad"
		grep -q '^  pread device: ' "$out" || fail "-b $b: no 'pread device:'"
	done
	for how in --wide COLUMNS=200; do
		rc=0
		if [ $how = --wide ]; then
			# shellcheck disable=SC2086
			COLUMNS=80 "$exe" run $args --wide >"$out" 2>&1 || rc=$?
		else
			# shellcheck disable=SC2086
			COLUMNS=200 "$exe" run $args >"$out" 2>&1 || rc=$?
		fi
		[ $rc = 0 ] || fail "$how: exit $rc"
		grep -q '^backend .* mean .* resident' "$out" ||
			fail "$how: no wide table header"
	done
	# On a terminal of 80 columns (a pty of script(1)): every line fits,
	# prose wrapped, and the progress names backend k/n, rep i/N, time left.
	command -v script >/dev/null || { echo "SKIP: no script(1) for a pty"; exit 77; }
	script -qec "stty cols 80 rows 24; unset COLUMNS; '$exe' run $args -b pread,mmap" \
		/dev/null >"$tmp/tty" 2>&1 </dev/null || fail "run on a pty: exit $?"
	tr '\r' '\n' <"$tmp/tty" | sed 's/\x1b\[K//g' >"$out"
	grep -q '^verdict: ' "$out" || fail "pty: no verdict"
	[ -z "$(over80 "$out")" ] || fail "pty: lines over 80 columns: $(over80 "$out")"
	grep -q 'backend 2/2 mmap, rep 1/1, ' "$out" ||
		fail "pty: no progress 'backend 2/2 mmap, rep 1/1'"
	grep -q 'backend 2/2 mmap, rep 1/1, ~.* left' "$out" ||
		fail "pty: no time left in the progress"
	;;
deb)
	sh "$src/scripts/deb-check.sh" "$build" >"$out" 2>&1
	rc=$?
	[ $rc = 77 ] && { cat "$out"; exit 77; }
	[ $rc = 0 ] || fail "deb-check.sh exited $rc"
	cat "$out"
	;;
spdx)
	if ! command -v git >/dev/null ||
		! git -C "$src" rev-parse >/dev/null 2>&1; then
		echo "SKIP: not a git checkout"
		exit 77
	fi
	sh "$src/scripts/spdx.sh" --check >"$out" 2>&1 ||
		fail "files without an SPDX-License-Identifier line"
	;;
*)
	fail "unknown case $case_"
	;;
esac
exit 0
