#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# bulk_ring.sh PMD SYNACK_BINARY   (PMD: ring | af_xdp | af_packet)
#
# Bulk TCP: the throughput model and the bulk server ([server] bulk).
# ring: config/bulk-ring.ini (mode both, one lcore, net_ring), ~3 s each
#   with client.direction send, receive and both (4 connections): exit 0,
#   status done, bytes sent and acknowledged on one side == bytes received
#   on the other after the graceful close (gen_bulk_tx == bulk_sink_bytes,
#   bulk_src_bytes == gen_bulk_rx, tcp_data_tx == tcp_data_rx), the
#   direction(s) not asked carry nothing, every connection established and
#   no error, no retransmission, no data-path drop, Gbps > 0 each second that
#   carried data. Needs no root.
# af_xdp, af_packet: synack on one end of a veth pair, the Linux kernel on
#   the other (offloads off on the kernel end, synack's end has no address):
#   - kernel as receiver: a python sink on 198.18.1.1:5002 counts bytes until
#     EOF; the synack client sends for 3 s, closes; the kernel's count ==
#     synack's gen_bulk_tx (acknowledged bytes);
#   - kernel as sender: python sends exactly 24 MiB to synack's bulk port
#     and closes; synack's bulk_sink_bytes == 24 MiB.
# Exit 0 pass, 1 fail, 77 skip.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh"

[ $# -eq 2 ] || { echo "usage: $0 ring|af_xdp|af_packet SYNACK_BINARY" >&2; exit 2; }
PMD=$1
SYNACK=$2
[ -x "$SYNACK" ] || { echo "FAIL: synack binary '$SYNACK' not executable"; exit 1; }
BULK_PORT=5002

# run_synack NAME TIMEOUT_S ARGS... (lib.sh): bounded, in the background so
# the trap can stop it; RUN_RC; $tmp/NAME.out, .err, .jsonl.

# pyj JSONL CODE: python with s (summary), iv (intervals), c (summary counters).
pyj() { pyjson "$1" "$2"; }

# cnt JSONL NAME: a summary counter, strictly.
cnt() { counter "$1" "$2"; }

# ---------------------------------------------------------------- ring ----

if [ "$PMD" = ring ]; then
	CFG=config/bulk-ring.ini
	[ -f "$CFG" ] || { echo "FAIL: $CFG not found (run from the source root)"; exit 1; }
	make_tmp
	for dir in send receive both; do
		name=$dir
		j=$tmp/$name.jsonl
		conns=1
		[ "$dir" = both ] && conns=4
		log "ring: model throughput, direction $dir, $conns connection(s), 3 s"
		before=$FAILS
		run_synack "$name" 30 -c "$CFG" --set run.duration=3s --set "client.direction=$dir" \
			--set "client.concurrency=$conns"
		expect_eq "$name: exit code" 0 "$RUN_RC"
		expect_eq "$name: summary status" "done" "$(jsonq "$j" summary status)"
		up=$(cnt "$j" gen_bulk_tx)
		down=$(cnt "$j" gen_bulk_rx)
		expect_eq "$name: sunk == sent and acked (gen_bulk_tx)" "$up" "$(cnt "$j" bulk_sink_bytes)"
		expect_eq "$name: received == sourced and acked (bulk_src_bytes)" "$down" \
			"$(cnt "$j" bulk_src_bytes)"
		expect_eq "$name: tcp_data_tx == tcp_data_rx" "$(cnt "$j" tcp_data_tx)" \
			"$(cnt "$j" tcp_data_rx)"
		case $dir in
		send)
			expect_ge "$name: bytes up" 100000000 "$up"
			expect_eq "$name: bytes down" 0 "$down"
			expect_eq "$name: connections sourced" 0 "$(cnt "$j" bulk_sourced)"
			;;
		receive)
			expect_eq "$name: bytes up" 0 "$up"
			expect_ge "$name: bytes down" 100000000 "$down"
			expect_eq "$name: connections sourced" 1 "$(cnt "$j" bulk_sourced)"
			;;
		both)
			expect_ge "$name: bytes up" 100000000 "$up"
			expect_ge "$name: bytes down" 100000000 "$down"
			expect_eq "$name: connections sourced" 4 "$(cnt "$j" bulk_sourced)"
			;;
		esac
		expect_eq "$name: connections established" $conns "$(cnt "$j" gen_conn_ok)"
		expect_eq "$name: connections accepted by the bulk server" $conns \
			"$(cnt "$j" bulk_accepted)"
		expect_eq "$name: client errors (gen_err_*)" 0 \
			"$(gen_errors "$j")"
		expect_eq "$name: retransmissions" 0 "$(cnt "$j" tcp_retrans)"
		# drop_arp_not_us: each port hears the other's gratuitous ARP
		expect_eq "$name: data-path drops" none \
			"$(pyj "$j" 'print(" ".join("%s=%d" % (k, v) for k, v in c.items() if k.startswith("drop_") and k != "drop_arp_not_us" and v) or "none")')"
		# every interval that carried data shows it in Gbps
		gb=$(pyj "$j" '
key = {"send": "bulk_up_gbps", "receive": "bulk_down_gbps", "both": "bulk_up_gbps"}["'"$dir"'"]
v = [o[key] for o in iv]
print("ok" if v and all(x > 0 for x in v[:-1]) and max(v) > 0.1 else "per-second %s: %s" % (key, v))')
		expect_eq "$name: per-second Gbps > 0" ok "$gb"
		srtt=$(jsonq "$j" summary latency_us.srtt.count)
		expect_ge "$name: srtt samples" 1 "$srtt"
		echo "info: $name: up $up down $down bytes in 3 s;" \
			"$(grep -m1 '^bulk (client)' "$tmp/$name.out" || true)"
		[ "$FAILS" -eq "$before" ] || show_logs "$name"
	done
	finish "bulk_ring ring"
fi

# -------------------------------------------------------- veth + kernel ----

require_root_netns
command -v ethtool >/dev/null || skip "ethtool not installed"
[ -n "$PY" ] || skip "no python3"

case "$PMD" in
af_xdp) DEV="net_af_xdp0,iface=$IF_SYN" ;;
af_packet) DEV="net_af_packet0,iface=$IF_SYN,qpairs=1" ;;
*) echo "unknown PMD '$PMD'" >&2; exit 2 ;;
esac

make_tmp
setup_netns
SYNACK_NS=(ip netns exec "$NS_SYN")

# veth_ini FILE MODE: synack on its veth end, no kernel address there.
veth_ini() {
	cat >"$1" <<EOF
; bulk_ring.sh: synack $2 on a veth end ($PMD)
[run]
mode     = $2
duration = $([ "$2" = server ] && echo 0 || echo 3s)
lcores   = 1
[port0]
dev = $DEV
ip  = $SYN_IP/$PREFIX
[server]
listen = 80
bulk   = $BULK_PORT
[client]
model       = throughput
target      = $KRN_IP:$BULK_PORT
direction   = send
concurrency = 1
EOF
}

# 1. kernel as receiver: python counts bytes until EOF.
log "kernel as receiver: synack client -> python sink on $KRN_IP:$BULK_PORT, 3 s"
kexec "$PY" - "$KRN_IP" "$BULK_PORT" "$tmp/sink.count" >"$tmp/sink.log" 2>&1 <<'EOF' &
import socket, sys
ip, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((ip, port))
s.listen(4)
s.settimeout(30)
c, _ = s.accept()
c.settimeout(30)
n = 0
while True:
    b = c.recv(1 << 20)
    if not b:
        break
    n += len(b)
c.close()
open(out, "w").write(str(n))
EOF
sink_pid=$!
track_pid "$sink_pid"
for _ in $(seq 1 50); do
	kexec ss -ltn 2>/dev/null | grep -q ":$BULK_PORT " && break
	sleep 0.1
done
veth_ini "$tmp/client.ini" client
j=$tmp/client.jsonl
name=client
run_synack $name 30 -c "$tmp/client.ini"
if [ "$PMD" = af_xdp ] && cat "$tmp/$name.out" "$tmp/$name.err" >"$tmp/$name.log" &&
	xdp_unavailable "$tmp/$name.log" "$RUN_RC"; then
	show_logs $name
	skip "synack could not open the AF_XDP port on $IF_SYN"
fi
for _ in $(seq 1 100); do
	kill -0 "$sink_pid" 2>/dev/null || break
	sleep 0.1
done
got=$(cat "$tmp/sink.count" 2>/dev/null || echo "none")
acked=$(cnt "$j" gen_bulk_tx)
expect_eq "$name: exit code" 0 "$RUN_RC"
expect_eq "$name: summary status" "done" "$(jsonq "$j" summary status)"
expect_ge "$name: bytes acked by the kernel" 1000000 "$acked"
expect_eq "$name: kernel received == synack's acknowledged bytes" "$acked" "$got"
expect_eq "$name: client errors" 0 \
	"$(gen_errors "$j")"
echo "info: $name: $(grep -m1 '^bulk (client)' "$tmp/$name.out" || true); retrans $(cnt "$j" tcp_retrans)"
[ "$FAILS" -eq 0 ] || { show_logs $name; cat "$tmp/sink.log"; }

# 2. kernel as sender: exactly N MiB to synack's bulk port.
MIB=24
log "kernel as sender: python sends $MIB MiB to synack's bulk server $SYN_IP:$BULK_PORT"
veth_ini "$tmp/server.ini" server
js=$tmp/server.jsonl
if ! start_synack server 20 -c "$tmp/server.ini"; then
	show_logs server
	echo "FAIL: synack server did not come up (exit $START_RC)"
	exit 1
fi
spid=$SPID
before=$FAILS
kexec timeout 60 "$PY" - "$SYN_IP" "$BULK_PORT" "$MIB" >"$tmp/send.log" 2>&1 <<'EOF' || true
import socket, sys, time
ip, port, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t0 = time.time()
s = socket.create_connection((ip, port), timeout=20)
chunk = bytes(1 << 20)
for _ in range(mib):
    s.sendall(chunk)
s.shutdown(socket.SHUT_WR)
s.settimeout(20)
extra = 0
while True:
    b = s.recv(65536)
    if not b:
        break
    extra += len(b)
s.close()
dt = time.time() - t0
print("sent %d bytes in %.3f s (%.2f Gbit/s), got %d back" % (mib << 20, dt, (mib << 23) / dt / 1e9, extra))
EOF
cat "$tmp/send.log"
sleep 0.5
stop_pid "$spid" 10
expect_eq "server: exit code after SIGTERM" 0 "$STOP_RC"
expect_eq "server: bulk_sink_bytes == $MIB MiB" $((MIB << 20)) "$(cnt "$js" bulk_sink_bytes)"
expect_eq "server: bulk_accepted" 1 "$(cnt "$js" bulk_accepted)"
expect_eq "server: bulk_src_bytes (nothing asked)" 0 "$(cnt "$js" bulk_src_bytes)"
grep -q "got 0 back" "$tmp/send.log" || fail "python sender: $(cat "$tmp/send.log")"
[ "$FAILS" -eq "$before" ] || show_logs server

finish "bulk_ring $PMD"
