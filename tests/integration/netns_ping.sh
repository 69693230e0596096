#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# netns_ping.sh PMD SYNACK_BINARY   (PMD: af_xdp | af_packet)
#
# Proves that synack, as a server on one end of a veth pair (through the
# given PMD), answers the Linux kernel's ARP and ICMP echo without loss
# (small and 1400-byte pings), that the kernel learns synack's MAC, and that
# every malformed frame sent by malformed.py is dropped under its own named
# reason while synack keeps answering. Exit 0 pass, 1 fail, 77 skip.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh"

[ $# -eq 2 ] || { echo "usage: $0 af_xdp|af_packet SYNACK_BINARY" >&2; exit 2; }
PMD=$1
SYNACK=$2
[ -x "$SYNACK" ] || { echo "FAIL: synack binary '$SYNACK' not executable"; exit 1; }

require_root_netns
SCAPY_PY=$(find_scapy_python) || skip "no python3 with scapy (apt-get install python3-scapy)"
command -v ping >/dev/null || skip "ping (iputils-ping) not installed"
command -v ethtool >/dev/null || skip "ethtool not installed"

case "$PMD" in
af_xdp) DEV="net_af_xdp0,iface=$IF_SYN" ;;
af_packet) DEV="net_af_packet0,iface=$IF_SYN,qpairs=1" ;;
*) echo "unknown PMD '$PMD'" >&2; exit 2 ;;
esac

make_tmp
setup_netns

SYN_MAC=$(ns_mac "$NS_SYN" "$IF_SYN")
log "namespaces $NS_SYN ($IF_SYN $SYN_MAC, no IP) <-> $NS_KRN ($IF_KRN $KRN_IP/$PREFIX)"

synack_log=$tmp/synack.log
json=$tmp/out.jsonl
cfg=config/server-$PMD.ini
[ -f "$cfg" ] || cfg=config/server-af_packet.ini
set +e
# af_xdp: libxdp warns "No bpffs found" ("ip netns exec" remounts /sys, so
# the host's /sys/fs/bpf is not visible) and loads its XDP program without
# the dispatcher; that works. (With a bpffs mounted in the netns, the
# dispatcher load fails with EPERM on this VM and falls back the same way.)
ip netns exec "$NS_SYN" "$SYNACK" -c "$cfg" \
	--set "port0.dev=$DEV" --set "port0.ip=$SYN_IP/$PREFIX" \
	--set run.duration=60s --set run.lcores=1 --json "$json" \
	>"$synack_log" 2>&1 &
pid=$!
set -e
track_pid "$pid"

dump_log() {
	echo "---- synack log ($synack_log) ----"
	sed -n '1,200p' "$synack_log" || true
	echo "---- end of synack log ----"
}

if ! wait_for_line "$synack_log" "port0 " 20 "$pid"; then
	if ! kill -0 "$pid" 2>/dev/null; then
		rc=0
		wait "$pid" || rc=$?
		# Skip only when the AF_XDP socket itself could not be set up
		# (not for a config error, nor for libxdp's dispatcher fallback
		# noise, which shows up on success as well).
		if [ "$PMD" = af_xdp ] && [ "$rc" -eq 2 ] &&
			grep -viE 'dispatcher|xdp_pass|EAL args' "$synack_log" |
			grep -qiE '(xsk|af_xdp|xdp).*(fail|error|cannot|not permitted|not supported)|(fail|error|cannot).*(xsk|af_xdp|xdp)'; then
			dump_log
			skip "synack could not open the AF_XDP port on $IF_SYN (exit 2, see log)"
		fi
		dump_log
		echo "FAIL: synack exited with $rc before its port came up"
		exit 1
	fi
	dump_log
	echo "FAIL: no line starting with 'port0 ' in synack's log within 20 s"
	exit 1
fi
log "synack up (pid $pid): $(grep -m1 '^port0 ' "$synack_log")"
# The veth can take a moment to carry frames after synack opens it; the
# loss test starts once one echo came back.
wait_reachable "$NS_KRN" "$SYN_IP" 10 || log "warning: $SYN_IP not answering ping yet"

kexec() { ip netns exec "$NS_KRN" "$@"; }

# ping_loss ARGS...: runs ping in the kernel netns, prints the loss percent.
ping_loss() {
	local out
	out=$(kexec timeout 30 ping "$@" "$SYN_IP" 2>&1) || true
	echo "$out" | tail -n 3 >&2
	echo "$out" | sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p' | head -n1
}

expect_loss0() {
	local what=$1 loss=$2
	if [ "$loss" = "0" ]; then
		echo "ok: $what: 0% packet loss"
	else
		fail "$what: expected 0% packet loss, got '${loss:-no ping summary}%'"
	fi
}

# 1. Small pings, fast.
expect_loss0 "ping -c 200 -i 0.005" "$(ping_loss -c 200 -i 0.005 -W 1)"
# 2. Large pings.
expect_loss0 "ping -c 5 -s 1400" "$(ping_loss -c 5 -s 1400 -W 1)"

# 3. The kernel learned synack's MAC.
neigh=$(kexec ip neigh show "$SYN_IP" dev "$IF_KRN")
echo "kernel neighbour entry: $neigh"
lladdr=$(echo "$neigh" | sed -n 's/.*lladdr \([0-9a-f:]*\).*/\1/p')
expect_eq "kernel's lladdr for $SYN_IP" "$SYN_MAC" "$lladdr"
if echo "$neigh" | grep -qE 'REACHABLE|STALE|DELAY|PROBE' &&
	! echo "$neigh" | grep -qE 'FAILED|INCOMPLETE'; then
	echo "ok: neighbour state usable"
else
	fail "neighbour state: expected REACHABLE/STALE/DELAY, got '$neigh'"
fi

# 4. Malformed frames, one per case.
log "sending malformed frames"
if ! kexec "$SCAPY_PY" "$here/malformed.py" --iface "$IF_KRN" --dst-mac "$SYN_MAC" \
	--src-ip "$KRN_IP" --dst-ip "$SYN_IP" --expect "$tmp/expect.json"; then
	fail "malformed.py failed"
fi
sleep 0.5

# 5. synack still answers.
expect_loss0 "ping -c 20 -i 0.01 (after malformed frames)" "$(ping_loss -c 20 -i 0.01 -W 1)"

# 6. Stop synack; it writes the summary and exits 0.
stop_pid "$pid" 15
expect_eq "synack exit code after SIGTERM" 0 "$STOP_RC"
status=$(jsonq "$json" summary status)
echo "summary status: ${status:-<none>}"
if [ -z "$(jsonq "$json" summary counters.rx_pkts)" ]; then
	dump_log
	fail "no summary with counters in $json"
	exit 1
fi

# Drop counters against what malformed.py sent.
if [ -f "$tmp/expect.json" ]; then
	while read -r reason count exact; do
		if [ "$PMD" = af_packet ] && [ "$reason" = drop_ip_frag ]; then
			# DPDK's af_packet PMD joins a PACKET_FANOUT group with
			# PACKET_FANOUT_FLAG_DEFRAG: the kernel holds lone IP
			# fragments for reassembly and never hands them to synack.
			echo "note: counters.$reason not checked with af_packet (kernel defrag in fanout), got '$(jsonq "$json" summary "counters.$reason")'"
			continue
		fi
		got=$(jsonq "$json" summary "counters.$reason")
		if [ "$exact" = 1 ]; then
			expect_eq "counters.$reason" "$count" "$got"
		else
			expect_ge "counters.$reason" "$count" "$got"
		fi
	done < <("$PY" -c '
import json, sys
for r, e in sorted(json.load(open(sys.argv[1])).items()):
    print(r, e["count"], 1 if e["exact"] else 0)' "$tmp/expect.json")
else
	fail "malformed.py wrote no expectations"
fi

echo_rx=$(jsonq "$json" summary counters.icmp_echo_rx)
reply_tx=$(jsonq "$json" summary counters.icmp_echo_reply_tx)
expect_ge "counters.icmp_echo_rx" 225 "$echo_rx"
expect_eq "counters.icmp_echo_reply_tx (== icmp_echo_rx)" "$echo_rx" "$reply_tx"
expect_ge "counters.arp_reply_tx" 1 "$(jsonq "$json" summary counters.arp_reply_tx)"
for c in drop_pool_empty drop_tx_full drop_multiseg; do
	expect_eq "counters.$c" 0 "$(jsonq "$json" summary "counters.$c")"
done

if [ "$FAILS" -ne 0 ]; then
	dump_log
	echo "summary: $(grep '"type": *"summary"' "$json" | tail -n1)"
	echo "$FAILS assertion(s) failed"
	exit 1
fi
echo "PASS: netns_ping $PMD"
exit 0
