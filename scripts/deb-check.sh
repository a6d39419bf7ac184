#!/bin/sh
# SPDX-License-Identifier: MIT
# deb-check.sh [--install] BUILD_DIR
# Builds the Debian package of a built tree (cpack -G DEB, into a scratch
# directory) and checks it:
#   - dpkg-deb: package mmbench, the version of project(), a Depends line
#     (from dpkg-shlibdeps, package dpkg-dev, when it is installed)
#   - unpacked with dpkg -x into a scratch root: usr/bin/mmbench runs from
#     there (--version, help run, list), the man page renders (man -l),
#     the bash and zsh completions, the docs and LICENSE, and libmmb both
#     shared and static, with its headers
#   - --install (root, on a machine you may change): dpkg -i the package,
#     run /usr/bin/mmbench --version and `man -w mmbench`, then dpkg -P (purge).
# Exit 0 when everything holds, 1 with the reason, 77 when dpkg-deb or
# cpack is missing.
set -u
install=0
if [ "${1:-}" = --install ]; then
	install=1
	shift
fi
build=${1:?usage: deb-check.sh [--install] BUILD_DIR}
build=$(cd "$build" && pwd) || exit 1
for t in dpkg-deb cpack; do
	command -v $t >/dev/null || {
		echo "SKIP: $t not installed"
		exit 77
	}
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mmbench-deb-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "FAIL: $*"
	exit 1
}

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/pkg" \
	>"$tmp/cpack.log" 2>&1 || {
	cat "$tmp/cpack.log"
	fail "cpack -G DEB"
}
deb=$(find "$tmp/pkg" -maxdepth 1 -name '*.deb' | head -n 1)
[ -n "$deb" ] || fail "cpack wrote no .deb"
echo "package: $(basename "$deb")"
want=$(sed -n 's/^CPACK_PACKAGE_VERSION:[^=]*=//p' "$build/CMakeCache.txt")
[ -n "$want" ] || want=$(sed -n 's/^CMAKE_PROJECT_VERSION:[^=]*=//p' \
	"$build/CMakeCache.txt")
[ "$(dpkg-deb -f "$deb" Package)" = mmbench ] || fail "Package is not mmbench"
ver=$(dpkg-deb -f "$deb" Version)
[ -z "$want" ] || [ "$ver" = "$want" ] ||
	fail "Version $ver, project() says $want"
if command -v dpkg-shlibdeps >/dev/null; then
	dpkg-deb -f "$deb" Depends | grep -q libc6 ||
		fail "no Depends on libc6 (dpkg-shlibdeps did not run?)"
fi

root=$tmp/root
dpkg -x "$deb" "$root" || fail "dpkg -x"
exe=$root/usr/bin/mmbench
[ -x "$exe" ] || fail "no usr/bin/mmbench"
"$exe" --version >"$tmp/v" 2>&1 || fail "mmbench --version: $(cat "$tmp/v")"
[ "$(cat "$tmp/v")" = "mmbench $ver" ] ||
	fail "--version prints '$(cat "$tmp/v")', want 'mmbench $ver'"
"$exe" help run | grep -q -- '--workload' || fail "help run: no --workload"
"$exe" list | grep -q '^backends:' || fail "mmbench list"
for f in usr/share/man/man1/mmbench.1 \
	usr/share/bash-completion/completions/mmbench \
	usr/share/zsh/vendor-completions/_mmbench \
	usr/share/doc/mmbench/README.md usr/share/doc/mmbench/LICENSE \
	usr/share/doc/mmbench/results.md usr/include/mmb/map.h \
	usr/lib/libmmb.a usr/lib/libmmb.so; do
	[ -e "$root/$f" ] || fail "not in the package: /$f"
done
if command -v man >/dev/null; then
	MANWIDTH=80 man -l "$root/usr/share/man/man1/mmbench.1" 2>/dev/null |
		grep -q 'MMBENCH RUN' || fail "man -l: no MMBENCH RUN section"
fi
bash -c ". '$root/usr/share/bash-completion/completions/mmbench' &&
	complete -p mmbench" >/dev/null 2>&1 || fail "the bash completion"
echo "unpacked: mmbench runs, man page, completions, docs, libmmb .so and .a"

if [ $install = 1 ]; then
	dpkg -i "$deb" || fail "dpkg -i"
	/usr/bin/mmbench --version || fail "installed mmbench --version"
	man -w mmbench || fail "man -w mmbench"
	dpkg -P mmbench || fail "dpkg -P"
	echo "installed with dpkg -i, ran, purged"
fi
exit 0
