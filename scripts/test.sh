#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Set up (packages, build) and run every test suite with meson test; ends
# with the line "N passed, N failed". Extra arguments go to meson test
# (e.g. --suite unit).
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

meson test -C build --print-errorlogs --num-processes 1 "$@"
rc=$?
log=build/meson-logs/testlog.json
if [ -f "$log" ]; then
	passed=$(grep -c '"result": "OK"' "$log" || true)
	failed=$(grep -cE '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" || true)
	skipped=$(grep -c '"result": "SKIP"' "$log" || true)
else
	passed=0
	failed=1
	skipped=0
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
