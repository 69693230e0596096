#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# check_headers.sh HEADER...
#
# Proves every public header is self-contained: each one is included alone
# from a generated one-line file and compiled as C (gnu11, -Wall -Werror)
# and as C++ (c++17), with DPDK's cflags and the repository root on the
# include path. Exit 0 when all compile, 1 otherwise.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 HEADER..." >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
CC=${CC:-cc}
CXX=${CXX:-c++}
dpdk_cflags=$(pkg-config --cflags libdpdk) || { echo "FAIL: pkg-config libdpdk"; exit 1; }
tmp=$(mktemp -d /tmp/synack-hdr.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

fails=0
n=0
for h in "$@"; do
	# meson passes paths relative to the build directory or absolute ones.
	if [ -f "$h" ]; then
		abs=$(realpath "$h")
	elif [ -f "$root/$h" ]; then
		abs=$(realpath "$root/$h")
	else
		echo "FAIL: header $h not found"
		fails=$((fails + 1))
		continue
	fi
	rel=${abs#"$root"/}
	n=$((n + 1))
	src=$tmp/inc$n
	echo "#include \"$rel\"" >"$src.c"
	cp "$src.c" "$src.cc"
	# shellcheck disable=SC2086
	if $CC -std=gnu11 -fsyntax-only -Wall -Werror -DALLOW_EXPERIMENTAL_API -march=native \
		$dpdk_cflags -I"$root" -x c "$src.c" 2>"$src.c.err"; then
		echo "ok: C   $rel"
	else
		echo "FAIL: $rel does not compile alone as C:"
		cat "$src.c.err"
		fails=$((fails + 1))
	fi
	# shellcheck disable=SC2086
	if $CXX -std=c++17 -fsyntax-only -DALLOW_EXPERIMENTAL_API -march=native \
		$dpdk_cflags -I"$root" -x c++ "$src.cc" 2>"$src.cc.err"; then
		echo "ok: C++ $rel"
	else
		echo "FAIL: $rel does not compile alone as C++:"
		cat "$src.cc.err"
		fails=$((fails + 1))
	fi
done
if [ "$fails" -ne 0 ]; then
	echo "$fails header compilation(s) failed"
	exit 1
fi
echo "PASS: $n public headers compile alone as C and C++"
