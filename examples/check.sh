#!/bin/sh
# SPDX-License-Identifier: MIT
# check.sh EXPECT -- COMMAND...: run an example; pass when it exits 0 and
# its output (lines joined by spaces) matches the extended regex EXPECT;
# exit 77 (skipped) when it exits 77 after saying why.
expect=$1
shift 2
out=$("$@" 2>&1)
rc=$?
printf '%s\n' "$out"
[ $rc -eq 77 ] && exit 77
if [ $rc -ne 0 ]; then
	echo "check.sh: exit status $rc" >&2
	exit 1
fi
if ! printf '%s\n' "$out" | tr '\r\n' '  ' | grep -Eq -- "$expect"; then
	echo "check.sh: output does not match: $expect" >&2
	exit 1
fi
exit 0
