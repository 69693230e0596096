#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# harness_strict.sh SYNACK_BINARY
#
# The harness itself fails when it should. One short synack run over
# net_ring (config/demo.ini, count 200, no root), then:
#  1. harness.py counter prints the real counters (gen_done == 200) and exits
#     1 naming an unknown counter and its close names (gen_doen -> gen_done);
#     --worker with a label that matches no worker exits 1;
#  2. a test script that reads a misspelt counter through lib.sh -- as an
#     expect_eq argument, inside $(...), through pyjson -- exits 1 although
#     its own assertions all "passed", and says which name was missing;
#  3. the same script reading only real names exits 0;
#  4. harness.Counters raises CounterError (no default 0), load_jsonl reads
#     the intervals and the summary, run_synack bounds a run that would not
#     end (timed_out, killed by PID).
# Exit 0 pass, 1 fail.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 SYNACK_BINARY" >&2; exit 2; }
SYNACK=$1
[ -x "$SYNACK" ] || { echo "FAIL: synack binary '$SYNACK' not executable"; exit 1; }
CFG=config/demo.ini
[ -f "$CFG" ] || { echo "FAIL: $CFG not found (run from the source root)"; exit 1; }

make_tmp
j=$tmp/run.jsonl
run_synack run 30 -c "$CFG" --set client.count=200 --set run.duration=20s --set run.quiet=on
expect_eq "synack exit code" 0 "$RUN_RC"

# 1. the CLI
expect_eq "harness.py counter gen_done" 200 "$("$PY" "$HARNESS" counter "$j" gen_done)"
rc=0
msg=$("$PY" "$HARNESS" counter "$j" gen_doen 2>&1) || rc=$?
expect_eq "harness.py counter gen_doen: exit code" 1 "$rc"
case "$msg" in
*"no counter 'gen_doen'"*gen_done*) echo "ok: the message names the counter and a close name: $msg" ;;
*) fail "unexpected message for an unknown counter: '$msg'" ;;
esac
rc=0
"$PY" "$HARNESS" counter "$j" gen_done --worker "no such worker" >/dev/null 2>&1 || rc=$?
expect_eq "harness.py counter --worker (no match): exit code" 1 "$rc"

# 2., 3. a script through lib.sh
cat >"$tmp/t.sh" <<SH
set -euo pipefail
. "$here/lib.sh"
make_tmp
expect_eq "a real counter" 200 "\$(counter "$j" gen_done)"
if [ "\$1" = bad ]; then
	# each of these reads a name that does not exist; none may pass
	expect_eq "an unknown counter read as 0" 0 "\$(counter "$j" drop_tcp_csumm)" || true
	x=\$(pyjson "$j" 'print(c["gen_dne"])') || true
	expect_eq "jsonq of a missing path" "" "\$(jsonq "$j" summary counters.nope)" || true
fi
finish selftest
SH
rc=0
"$BASH" "$tmp/t.sh" good >"$tmp/good.out" 2>&1 || rc=$?
expect_eq "a script reading real counters: exit code" 0 "$rc"
rc=0
"$BASH" "$tmp/t.sh" bad >"$tmp/bad.out" 2>&1 || rc=$?
expect_eq "a script reading unknown counters: exit code" 1 "$rc"
for n in drop_tcp_csumm gen_dne counters.nope; do
	if grep -q "$n" "$tmp/bad.out"; then
		echo "ok: the failing script names '$n'"
	else
		fail "the failing script does not name '$n'"
	fi
done
[ "$FAILS" -eq 0 ] || { cat "$tmp/good.out" "$tmp/bad.out"; }

# 4. the Python API
rc=0
"$PY" - "$j" "$SYNACK" "$CFG" <<'PYEOF' || rc=$?
import sys
import harness
path, binary, cfg = sys.argv[1:4]
iv, s = harness.load_jsonl(path)
assert s["type"] == "summary" and isinstance(iv, list), "load_jsonl shapes"
c = harness.counters(path)
assert c["gen_done"] == 200
assert c.get_many("gen_done", "tcp_accepted") == {"gen_done": 200, "tcp_accepted": 200}
try:
    c["gen_doen"]
except harness.CounterError as e:
    assert "gen_done" in str(e), e
else:
    raise AssertionError("an unknown counter did not raise")
r = harness.run_synack(binary, cfg, sets=["run.duration=0", "run.quiet=on"], timeout=3)
assert r.timed_out, "a run that does not end was not bounded"
print("ok: harness API: strict Counters, load_jsonl, bounded run_synack (rc %s after the overrun)" % r.rc)
PYEOF
expect_eq "python harness API checks: exit code" 0 "$rc"
finish harness_strict
