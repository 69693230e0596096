#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Set up (packages, build) and run every test suite with meson test; ends
# with the line "N passed, N failed". Extra arguments go to meson test
# (e.g. --suite unit).
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
skipped=0
rc=0
# count NAME: add the results of build dir NAME's last meson test run
count() {
	local log=$1/meson-logs/testlog.json
	if [ ! -f "$log" ]; then
		failed=$((failed + 1))
		return
	fi
	passed=$((passed + $(grep -c '"result": "OK"' "$log" || true)))
	failed=$((failed + $(grep -cE '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" || true)))
	skipped=$((skipped + $(grep -c '"result": "SKIP"' "$log" || true)))
}

meson test -C build --print-errorlogs --num-processes 1 "$@" || rc=1
count build

# The fuzz suite needs clang's libFuzzer: its own build directory.
if [ $# -eq 0 ] && command -v clang >/dev/null; then
	if [ ! -f build-fuzz/build.ninja ]; then
		CC=clang CXX=clang++ meson setup build-fuzz -Dfuzz=true -Dtests=false >/dev/null || rc=1
	fi
	if ninja -C build-fuzz >/dev/null; then
		meson test -C build-fuzz --suite fuzz --print-errorlogs || rc=1
		count build-fuzz
	else
		echo "fuzz: build failed"
		failed=$((failed + 1))
	fi
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
