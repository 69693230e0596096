#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Set up (packages, build) and run every test suite with meson test: the
# main build (unit, integration, lint), the unit suite again under
# AddressSanitizer + UBSan (build-asan), the fuzz suite (build-fuzz, clang).
# The skipped tests are named on the line before the last; the last line is
# exactly "N passed, N failed", counted from meson test's logs.
#
# With CI set and run as root, a skipped test counts as failed: setup.sh
# installs every tool a test needs, so a skip there is a missing install
# step, not a pass. Extra arguments go to the main meson test only (e.g.
# --suite unit) and leave out the sanitizer and fuzz builds.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

STRICT_SKIP=""
if [ -n "${CI:-}" ] && [ "$(id -u)" -eq 0 ]; then
	STRICT_SKIP=1
fi

passed=0
failed=0
skipped=0
skipped_names=()
rc=0
# count DIR: add the results of build dir DIR's last meson test run
# (meson-logs/testlog.json, one JSON object per test).
count() {
	local log=$1/meson-logs/testlog.json out p f s names
	if [ ! -f "$log" ]; then
		echo "count: $log missing: meson test did not run in $1"
		failed=$((failed + 1))
		return
	fi
	out=$(python3 - "$log" "$1" <<'EOF'
import json, sys
p = f = 0
skips = []
for line in open(sys.argv[1], encoding="utf-8"):
    if not line.strip():
        continue
    t = json.loads(line)
    r = t.get("result")
    if r in ("OK", "EXPECTEDFAIL"):
        p += 1
    elif r == "SKIP":
        skips.append("%s:%s" % (sys.argv[2], t.get("name")))
    else:
        f += 1
print(p, f, len(skips), " ".join(skips))
EOF
) || { echo "count: cannot read $log"; failed=$((failed + 1)); return; }
	read -r p f s names <<<"$out"
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	# shellcheck disable=SC2206 # names have no spaces
	[ -n "${names:-}" ] && skipped_names+=($names)
}

meson test -C build --print-errorlogs --num-processes 1 "$@" || rc=1
count build

if [ $# -eq 0 ]; then
	logs=$(mktemp -d "${TMPDIR:-/tmp}/synack-test.XXXXXX")
	# The unit suite under AddressSanitizer and UBSan (meson test sets
	# ASAN_OPTIONS/UBSAN_OPTIONS to halt on the first error). b_lundef=false:
	# the sanitizer runtimes resolve symbols at load time.
	if [ ! -f build-asan/build.ninja ]; then
		meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false \
			-Dtests=true -Dfuzz=false >"$logs/asan-setup.log" 2>&1 ||
			{ cat "$logs/asan-setup.log"; rc=1; }
	fi
	if [ -f build-asan/build.ninja ] && nice ninja -C build-asan >"$logs/asan-ninja.log" 2>&1; then
		meson test -C build-asan --suite unit --print-errorlogs || rc=1
		count build-asan
	else
		tail -n 60 "$logs/asan-ninja.log" 2>/dev/null
		echo "asan: build failed"
		failed=$((failed + 1))
	fi

	# The fuzz suite needs clang's libFuzzer: its own build directory.
	if command -v clang >/dev/null; then
		if [ ! -f build-fuzz/build.ninja ]; then
			CC=clang CXX=clang++ meson setup build-fuzz -Dfuzz=true -Dtests=false >/dev/null || rc=1
		fi
		if nice ninja -C build-fuzz >"$logs/fuzz-ninja.log" 2>&1; then
			meson test -C build-fuzz --suite fuzz --print-errorlogs || rc=1
			count build-fuzz
		else
			tail -n 60 "$logs/fuzz-ninja.log"
			echo "fuzz: build failed"
			failed=$((failed + 1))
		fi
	else
		echo "fuzz: clang missing (scripts/setup.sh installs it)"
		failed=$((failed + 1))
	fi
	rm -rf "$logs"
fi

if [ "$skipped" -gt 0 ]; then
	if [ -n "$STRICT_SKIP" ]; then
		echo "skipped (CI as root: counted as failed, a tool or an install step is missing): ${skipped_names[*]}"
		failed=$((failed + skipped))
	else
		echo "skipped: ${skipped} (${skipped_names[*]})"
	fi
else
	echo "skipped: 0"
fi
echo "${passed} passed, ${failed} failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ]
