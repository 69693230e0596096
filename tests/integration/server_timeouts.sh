#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# server_timeouts.sh SYNACK_BINARY
#
# No state outlives its use on the server (issue #11): synack's HTTP server
# over af_packet on a veth pair, with short bounds (server.header_timeout
# 1s, server.keepalive_timeout 1s, tcp.syn_retries 1), against the kernel
# side's hostile clients (server_timeouts.py): a slowloris client that
# never finishes its headers, a connection that sends nothing, an idle
# keep-alive connection, and a flood of 200 spoofed SYNs. Asserted (counts,
# not timings): every client connection was ended by synack; the closes are
# counted under their causes (http_close_header_timeout 2,
# http_close_keepalive 1, tcp_synrcvd_timeout 200); and tcp_open is back at
# 0 afterwards. Exit 0 pass, 1 fail, 77 skip.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 SYNACK_BINARY" >&2; exit 2; }
SYNACK=$1
[ -x "$SYNACK" ] || { echo "FAIL: synack binary '$SYNACK' not executable"; exit 1; }

require_root_netns
SCAPY_PY=$(find_scapy_python) || skip "no python3 with scapy (apt-get install python3-scapy)"
command -v ethtool >/dev/null || skip "ethtool not installed"

make_tmp
setup_netns
SYN_MAC=$(ns_mac "$NS_SYN" "$IF_SYN")
SYNACK_NS=(ip netns exec "$NS_SYN")
FLOOD=200

start_server srv 20 -c config/server-af_packet.ini \
	--set "port0.dev=net_af_packet0,iface=$IF_SYN,qpairs=1" --set "port0.ip=$SYN_IP/$PREFIX" \
	--set run.lcores=1 --set run.duration=60s --set run.report_interval=200ms \
	--set server.header_timeout=1s --set server.keepalive_timeout=1s --set tcp.syn_retries=1
for _ in $(seq 1 30); do
	[ -s "$tmp/srv.jsonl" ] && break
	sleep 0.1
done
wait_reachable "$NS_KRN" "$SYN_IP" 10 || log "warning: $SYN_IP not answering ping yet"

if kexec "$SCAPY_PY" "$here/server_timeouts.py" --dst "$SYN_IP" --iface "$IF_KRN" \
	--dst-mac "$SYN_MAC" --flood "$FLOOD" --bound 8 >"$tmp/clients.log" 2>&1; then
	echo "ok: every hostile client's connection was ended by synack"
else
	fail "a hostile client's connection stayed open (or the client failed)"
fi
cat "$tmp/clients.log"

# tcp_open back at 0: the half-open flood ends after the SYN-ACK retries
# (1 s + 2 s with syn_retries 1); bounded wait, then the counts.
open=""
for _ in $(seq 1 50); do
	open=$("$PY" "$HARNESS" gauge "$tmp/srv.jsonl" tcp_open 2>/dev/null || true)
	syn=$("$PY" "$HARNESS" counter "$tmp/srv.jsonl" tcp_synrcvd_timeout --interval 2>/dev/null || true)
	[ "$open" = 0 ] && [ "$syn" = "$FLOOD" ] && break
	sleep 0.2
done
stop_pid "$SPID" 15
expect_eq "synack exit code after SIGTERM" 0 "$STOP_RC"
expect_eq "tcp_open after the timeouts (last interval line)" 0 "$open"
j=$tmp/srv.jsonl
expect_eq "http_close_header_timeout (slowloris + silent connection)" 2 "$(counter "$j" http_close_header_timeout)"
expect_eq "http_close_keepalive (idle keep-alive connection)" 1 "$(counter "$j" http_close_keepalive)"
expect_eq "http_close_linger (the kernel closed after our FIN)" 0 "$(counter "$j" http_close_linger)"
expect_eq "tcp_synrcvd_timeout (the SYN flood's half-open connections)" "$FLOOD" "$(counter "$j" tcp_synrcvd_timeout)"
expect_eq "tcp_syn_rx (the three clients + the flood)" $((FLOOD + 3)) "$(counter "$j" tcp_syn_rx)"
expect_eq "http_req (the keep-alive client's one request)" 1 "$(counter "$j" http_req)"
[ "$FAILS" -eq 0 ] || dump_logs "$tmp/srv.log"
finish server_timeouts
