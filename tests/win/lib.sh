# SPDX-License-Identifier: MIT
# shellcheck shell=sh disable=SC2034
# lib.sh - sourced by mmbench.sh and results.sh (tests/win): what both
# need to read their arguments and to pass on a skip.

# win_args CASE EMULATOR... -- MMBENCH: sets case_, emu (the emulator's
# words, empty on Linux) and exe.
win_args() {
	case_=$1
	shift
	emu=
	while [ "$1" != "--" ]; do
		emu="$emu $1"
		shift
	done
	shift
	exe=$1
}

# skip_on_77 RC FILE: when mmbench's exit code RC is 77 and FILE says
# SKIP (the emulator cannot start wine), show FILE and exit 77.
skip_on_77() {
	if [ "$1" = 77 ] && grep -q '^SKIP' "$2"; then
		cat "$2"
		exit 77
	fi
}
