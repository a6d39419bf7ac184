#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the Debian packages mmbench needs, only those missing.
#   scripts/deps.sh [build|test|windows|report]...
# "build" is always included. Runs apt-get update once, and only when
# something is missing, so a machine that has everything does no network I/O.
set -euo pipefail

pkgs=(build-essential cmake pkg-config libjsmn-dev libpfm4-dev liburing-dev)
for what in "$@"; do
	case "$what" in
	build) ;;
	# linux-perf: tests/kevents compares --profile with perf record;
	# libc6-dbg: libc's local function names for --profile;
	# fio, strace: tests/trace replays fio's iologs and the README's
	# strace recipe;
	# zsh, man-db, dpkg-dev: tests/conv (completion, man -l, the .deb).
	test) pkgs+=(g++ libbenchmark-dev gnuplot-nox linux-perf libc6-dbg
		fio strace zsh man-db dpkg-dev) ;;
	report) pkgs+=(gnuplot-nox) ;;
	bench) pkgs+=(g++ libbenchmark-dev linux-perf python3 fio) ;;
	windows) pkgs+=(gcc-mingw-w64-x86-64 wine wine64) ;;
	browser) pkgs+=(chromium) ;;
	*) echo "deps.sh: unknown group '$what'" >&2; exit 2 ;;
	esac
	# test, too: Google Benchmark's own compare.py (libbenchmark-tools)
	# and the scipy/numpy it imports, from Debian, for
	# tests/gbench/compare_py.sh.
	if [ "$what" = test ]; then
		pkgs+=(libbenchmark-tools python3 python3-scipy python3-numpy)
	fi
done

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
