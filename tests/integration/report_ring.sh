#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# report_ring.sh SYNACK_BINARY
#
# The run's files over net_ring (config/demo.ini, mode both, no root):
#  1. [capture]: tshark reads the pcapng with no malformed frame; it holds
#     exactly rx_pkts + tx_pkts frames (every frame the worker received and
#     sent), none longer than snaplen, and one interface statistics block
#     per port. A pcap filter (SYNs only) keeps only SYNs, at least the SYNs
#     and SYN-ACKs sent, seen twice (sent on one port, received on the
#     other). limit_packets keeps exactly that many. A bad filter stops
#     before EAL with exit 2 naming capture:filter.
#  2. [run] report and `synack report`: the HTML parses with balanced tags,
#     refers to nothing outside itself, its over-time plots have one point
#     per interval line (report_check.py); two runs overlay (A vs B);
#     headless Chromium renders it with no console error.
#  3. The summary's rates: measured and steady parts present, steady within
#     the measured time.
# Exit 0 pass, 1 fail.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 SYNACK_BINARY" >&2; exit 2; }
SYNACK=$1
[ -x "$SYNACK" ] || { echo "FAIL: synack binary '$SYNACK' not executable"; exit 1; }
CFG=config/demo.ini
make_tmp

run() { # NAME SETS...: a bounded run, JSON to $tmp/NAME.jsonl
	local name=$1
	shift
	timeout 60 "$SYNACK" -c "$CFG" -q --json "$tmp/$name.jsonl" --set run.duration=3s \
		--set client.rate=5000 "$@" >"$tmp/$name.out" 2>&1
}

# 1. capture
if ! command -v tshark >/dev/null; then
	optional_missing "tshark not installed: capture checks not run"
else
	run cap --set capture.file="$tmp/cap.pcapng" --set capture.snaplen=96 \
		--set capture.pool=65536 || fail "capture run: exit $? ($(tail -3 "$tmp/cap.out"))"
	rx=$(counter "$tmp/cap.jsonl" rx_pkts)
	tx=$(counter "$tmp/cap.jsonl" tx_pkts)
	n=$(tshark -r "$tmp/cap.pcapng" 2>/dev/null | wc -l)
	# what the capture could not keep (the main lcore late, on a busy
	# machine) is counted in its line: written + those = every frame
	line=$(grep '^capture:' "$tmp/cap.out" || echo none)
	written=$(echo "$line" | awk '{print $2}')
	lost=$(echo "$line" | awk '{print $10 + $15}')
	[ "$n" -eq "$written" ] || fail "pcapng has $n frames, the capture line says $line"
	[ $((n + lost)) -eq $((rx + tx)) ] \
		|| fail "pcapng $n frames + $lost not copied != rx_pkts + tx_pkts = $((rx + tx))"
	[ "$lost" -eq 0 ] || echo "note: $lost frames not copied (counted)"
	bad=$(tshark -r "$tmp/cap.pcapng" -Y _ws.malformed 2>/dev/null | wc -l)
	[ "$bad" -eq 0 ] || fail "$bad malformed frames"
	long=$(tshark -r "$tmp/cap.pcapng" -Y "frame.cap_len > 96" 2>/dev/null | wc -l)
	[ "$long" -eq 0 ] || fail "$long frames longer than snaplen 96"
	isb=$(capinfos "$tmp/cap.pcapng" 2>/dev/null | grep -c "Number of stat entries = 1" || true)
	[ "$isb" -eq 2 ] || fail "want one statistics block per port (2), got $isb"
	log "capture: $n frames = rx $rx + tx $tx, snaplen kept, $isb statistics blocks"

	run syn --set capture.file="$tmp/syn.pcapng" \
		--set "capture.filter=tcp and ip[33] & 2 != 0" \
		|| fail "filtered capture run: exit $?"
	all=$(tshark -r "$tmp/syn.pcapng" 2>/dev/null | wc -l)
	syn=$(tshark -r "$tmp/syn.pcapng" -Y "tcp.flags.syn == 1" 2>/dev/null | wc -l)
	sent=$(($(counter "$tmp/syn.jsonl" tcp_syn_tx) + $(counter "$tmp/syn.jsonl" tcp_synack_tx)))
	retr=$(counter "$tmp/syn.jsonl" tcp_retrans)
	[ "$all" -eq "$syn" ] || fail "filter: $all frames, $syn of them SYNs"
	if [ "$all" -lt $((2 * sent)) ] || [ "$all" -gt $((2 * (sent + retr))) ]; then
		fail "filter: $all SYN frames, want 2 x $sent (+ up to 2 x $retr retransmits)"
	fi
	log "capture filter: $all frames, all SYNs (2 x $sent sent)"

	run lim --set capture.file="$tmp/lim.pcapng" --set capture.limit_packets=1000 \
		|| fail "limited capture run: exit $?"
	n=$(tshark -r "$tmp/lim.pcapng" 2>/dev/null | wc -l)
	[ "$n" -eq 1000 ] || fail "limit_packets 1000: $n frames"
	log "capture limit: $n frames"

	rc=0
	"$SYNACK" -c "$CFG" --set "capture.filter=tcp port" >"$tmp/bad.out" 2>&1 || rc=$?
	if [ "$rc" -ne 2 ] || ! grep -q "capture:filter" "$tmp/bad.out"; then
		fail "bad filter: exit $rc, $(cat "$tmp/bad.out")"
	fi
fi

# 2. the report
run a --set run.report="$tmp/a.html" || fail "run a: exit $? ($(tail -3 "$tmp/a.out"))"
[ -s "$tmp/a.html" ] || fail "[run] report wrote no $tmp/a.html"
"$PY" "$here/report_check.py" "$tmp/a.html" "$tmp/a.jsonl" || fail "report a"
run b --set client.rate=2000 || fail "run b: exit $?"
"$SYNACK" report "$tmp/a.jsonl" "$tmp/b.jsonl" -o "$tmp/ab.html" || fail "synack report A B: exit $?"
"$PY" "$here/report_check.py" "$tmp/ab.html" "$tmp/a.jsonl" "$tmp/b.jsonl" || fail "report a vs b"
rc=0
"$SYNACK" report "$tmp/nonexistent.jsonl" -o "$tmp/x.html" 2>/dev/null || rc=$?
[ "$rc" -ne 0 ] || fail "report of a missing file exited 0"
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
	optional_missing "chromium not installed: the render check did not run"
else
	for f in a ab; do
		timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic \
			--no-first-run --disable-background-networking --disable-component-update \
			--disable-sync --user-data-dir="$tmp/chrome-$f" --window-size=1400,3000 \
			--screenshot="$tmp/$f.png" --enable-logging=stderr --v=0 \
			"file://$tmp/$f.html" >"$tmp/chrome-$f.log" 2>&1 || fail "chromium on $f.html: exit $?"
		[ -s "$tmp/$f.png" ] || fail "chromium made no screenshot of $f.html"
		if grep -E "Uncaught|ERROR:CONSOLE|CONSOLE\(" "$tmp/chrome-$f.log"; then
			fail "console errors rendering $f.html"
		fi
	done
	log "chromium rendered both reports without console errors"
fi

# 3. rates
for part in measured steady; do
	secs=$(jsonq "$tmp/a.jsonl" summary "rates.$part.secs")
	cps=$(jsonq "$tmp/a.jsonl" summary "rates.$part.cps")
	"$PY" -c "import sys; s, c = float('$secs'), float('$cps'); sys.exit(0 if 0 < s <= 3.5 and c > 0 else 1)" \
		|| fail "rates.$part: secs $secs cps $cps"
done
log "rates: measured $(jsonq "$tmp/a.jsonl" summary rates.measured.cps) cps, steady $(jsonq "$tmp/a.jsonl" summary rates.steady.cps) cps"

[ "$FAILS" -eq 0 ] || { echo "report_ring: $FAILS failure(s)"; exit 1; }
echo "report_ring: PASS"
