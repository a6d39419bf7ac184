#!/bin/sh
# SPDX-License-Identifier: MIT
# wine-run.sh DEFAULT_PREFIX PROGRAM.exe [ARGS...]
# The CTest emulator of the mingw cross build (cmake/toolchain-mingw64.cmake).
# Runs PROGRAM under wine in WINEPREFIX (DEFAULT_PREFIX when unset). The
# first run creates the prefix (about 10 s) under a lock, so parallel tests
# never initialize it twice. When wine is missing or cannot start, prints
# why and exits 77, which CTest reports as a skip.
prefix=$1
shift
: "${WINEPREFIX:=$prefix}"
: "${WINEDEBUG:=-all}"
export WINEPREFIX WINEDEBUG
# No display: keep wine from trying to open windows or dialogs.
unset DISPLAY WAYLAND_DISPLAY

wine=$(command -v wine64 || command -v wine)
if [ -z "$wine" ]; then
	echo "SKIP: wine is not installed (scripts/deps.sh windows)" >&2
	exit 77
fi

if ! mkdir -p "$WINEPREFIX.d"; then
	echo "SKIP: cannot create $WINEPREFIX.d for the wine probe" >&2
	exit 77
fi
stamp=$WINEPREFIX.d/ok
if [ ! -e "$stamp" ]; then
	(
		flock 9
		[ -e "$stamp" ] && exit 0
		if timeout 300 "$wine" cmd /c exit 0 \
			>"$WINEPREFIX.d/probe.log" 2>&1; then
			touch "$stamp"
			exit 0
		fi
		exit 1
	) 9>"$WINEPREFIX.d/lock"
	if [ ! -e "$stamp" ]; then
		echo "SKIP: wine cannot start (WINEPREFIX=$WINEPREFIX):" >&2
		tail -n 5 "$WINEPREFIX.d/probe.log" >&2
		exit 77
	fi
fi
exec "$wine" "$@"
