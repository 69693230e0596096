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
json=$tmp/synack.jsonl
cfg=config/server-$PMD.ini
[ -f "$cfg" ] || cfg=config/server-af_packet.ini
# start_server (lib.sh): $tmp/synack.log, $tmp/synack.jsonl; a skip only
# when the AF_XDP socket itself cannot be opened.
SYNACK_NS=(ip netns exec "$NS_SYN")
start_server synack 20 -c "$cfg" \
	--set "port0.dev=$DEV" --set "port0.ip=$SYN_IP/$PREFIX" \
	--set run.duration=60s --set run.lcores=1
pid=$SPID
log "synack up (pid $pid): $(grep -m1 '^port0 ' "$synack_log")"
# The veth can take a moment to carry frames after synack opens it; the
# loss test starts once one echo came back.
wait_reachable "$NS_KRN" "$SYN_IP" 10 || log "warning: $SYN_IP not answering ping yet"


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
if ! has_summary "$json"; then
	dump_logs "$synack_log"
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
			echo "note: counters.$reason not checked with af_packet (kernel defrag in fanout), got '$(counter "$json" "$reason")'"
			continue
		fi
		got=$(counter "$json" "$reason")
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

echo_rx=$(counter "$json" "icmp_echo_rx")
reply_tx=$(counter "$json" "icmp_echo_reply_tx")
expect_ge "counters.icmp_echo_rx" 225 "$echo_rx"
expect_eq "counters.icmp_echo_reply_tx (== icmp_echo_rx)" "$echo_rx" "$reply_tx"
expect_ge "counters.arp_reply_tx" 1 "$(counter "$json" "arp_reply_tx")"
for c in drop_pool_empty drop_tx_full drop_multiseg; do
	expect_eq "counters.$c" 0 "$(counter "$json" "$c")"
done

[ "$FAILS" -eq 0 ] || dump_logs "$synack_log"
finish "netns_ping $PMD"
