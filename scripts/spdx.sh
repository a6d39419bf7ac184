#!/bin/sh
# SPDX-License-Identifier: MIT
# spdx.sh --check | --fix
# The license of every tracked source file (*.c *.h *.cc *.sh, CMakeLists.txt,
# *.cmake), as an "SPDX-License-Identifier: MIT" line within its first 3
# lines (LICENSE holds the text).
#   --check  list the files without one; exit 1 when there are any
#   --fix    add the line to each of them, as a comment in the file's
#            syntax: "/* ... */" for C and C++, "# ..." otherwise, after
#            the "#!" line of a script
# Run from anywhere inside the repository (git ls-files lists the files).
set -eu
mode=${1:-}
case $mode in
--check | --fix) ;;
*)
	echo "usage: spdx.sh --check | --fix" >&2
	exit 2
	;;
esac
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel) || exit 2
cd "$root"
tag="SPDX-License-Identifier: MIT"
# shellcheck disable=SC2016 # the inner sh expands them
missing=$(git ls-files -z -- '*.c' '*.h' '*.cc' '*.sh' '*.cmake' \
	'CMakeLists.txt' '*/CMakeLists.txt' |
	sort -zu | # a file in a merge conflict is listed once per stage
	xargs -0 -r sh -c 'for f; do
		[ -f "$f" ] || continue
		head -n 3 "$f" | grep -q "SPDX-License-Identifier: MIT" ||
			printf "%s\n" "$f"
	done' sh)
if [ "$mode" = --check ]; then
	[ -z "$missing" ] && exit 0
	echo "files without an '$tag' line in their first 3 lines" \
		"(scripts/spdx.sh --fix adds it):"
	printf '%s\n' "$missing"
	exit 1
fi
[ -z "$missing" ] && exit 0
printf '%s\n' "$missing" | while IFS= read -r f; do
	case $f in
	*.c | *.h | *.cc) line="/* $tag */" ;;
	*) line="# $tag" ;;
	esac
	tmp=$f.spdx.$$
	if head -n 1 "$f" | grep -q '^#!'; then
		{ head -n 1 "$f"; printf '%s\n' "$line"; tail -n +2 "$f"; } >"$tmp"
	else
		{ printf '%s\n' "$line"; cat "$f"; } >"$tmp"
	fi
	# Keep the mode (executable scripts stay executable).
	chmod "$(stat -c %a "$f")" "$tmp"
	mv "$tmp" "$f"
	echo "added: $f"
done
