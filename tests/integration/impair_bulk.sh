#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# impair_bulk.sh ring|af_packet SYNACK_BINARY
#
# TCP under synack's own link impairment ([portN] impair_rx / impair_tx,
# drivers/impair.c): 2% loss + 5% reordering + 1 ms delay each way.
# ring (no root): config/bulk-ring.ini, both ends synack over net_ring, the
#   impairment on both ports' RX (= each way):
#   - bulk send for 3 s: exit 0, done, every byte acknowledged was received
#     (gen_bulk_tx == bulk_sink_bytes, tcp_data_tx == tcp_data_rx), the
#     impairment counted drops, delays and reordering, the loss was repaired
#     (tcp_retrans > 0, no connection timed out);
#   - 1% corruption on top: frames dropped as drop_tcp_csum, bytes still equal;
#   - model cps at 1% loss, 2000 connections: every connection completes or
#     is counted under a cause (gen_conn_tx == gen_conn_ok + gen_err_*), done.
# af_packet (root): synack on a veth end, the Linux kernel on the other, the
#   impairment on synack's port both directions:
#   - the kernel sends exactly 32 MiB to synack's bulk sink, then closes:
#     bulk_sink_bytes == 32 MiB;
#   - synack sends for 4 s to a python sink that hashes what it received:
#     sha256 == sha256 of the bulk pattern stream of that length, and the
#     length == synack's gen_bulk_tx (retransmissions byte-exact).
# Exit 0 pass, 1 fail, 77 skip.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh"

[ $# -eq 2 ] || { echo "usage: $0 ring|af_packet SYNACK_BINARY" >&2; exit 2; }
PMD=$1
SYNACK=$2
[ -x "$SYNACK" ] || { echo "FAIL: synack binary '$SYNACK' not executable"; exit 1; }
BULK_PORT=5002
IMP="loss=2% reorder=5% reorder_delay=1ms delay=1ms"

cnt() { counter "$1" "$2"; }

if [ "$PMD" = ring ]; then
	CFG=config/bulk-ring.ini
	[ -f "$CFG" ] || { echo "FAIL: $CFG not found (run from the source root)"; exit 1; }
	make_tmp

	log "ring: bulk send 3 s under '$IMP' each way"
	j=$tmp/bulk.jsonl
	run_synack bulk 60 -c "$CFG" --set run.duration=3s \
		--set "port0.impair_rx=$IMP seed=1" --set "port1.impair_rx=$IMP seed=2"
	expect_eq "bulk: exit code" 0 "$RUN_RC"
	expect_eq "bulk: status" "done" "$(jsonq "$j" summary status)"
	up=$(cnt "$j" gen_bulk_tx)
	expect_ge "bulk: bytes acknowledged" 1000000 "$up"
	expect_eq "bulk: acknowledged == received" "$up" "$(cnt "$j" bulk_sink_bytes)"
	expect_eq "bulk: tcp_data_tx == tcp_data_rx" "$(cnt "$j" tcp_data_tx)" "$(cnt "$j" tcp_data_rx)"
	expect_ge "bulk: impair_dropped" 1 "$(cnt "$j" impair_dropped)"
	expect_ge "bulk: impair_delayed" 1 "$(cnt "$j" impair_delayed)"
	expect_ge "bulk: impair_reordered" 1 "$(cnt "$j" impair_reordered)"
	expect_ge "bulk: tcp_retrans" 1 "$(cnt "$j" tcp_retrans)"
	expect_eq "bulk: tcp_closed_timeout" 0 "$(cnt "$j" tcp_closed_timeout)"
	echo "info: bulk: $up bytes in 3 s; rto $(cnt "$j" tcp_rto) tlp $(cnt "$j" tcp_tlp)" \
		"rack $(cnt "$j" tcp_rack_recovery) fast $(cnt "$j" tcp_fast_retrans)"

	log "ring: bulk send 3 s, 1% corruption on top"
	j=$tmp/corrupt.jsonl
	run_synack corrupt 60 -c "$CFG" --set run.duration=3s \
		--set "port0.impair_rx=$IMP corrupt=1% seed=3" \
		--set "port1.impair_rx=$IMP corrupt=1% seed=4"
	expect_eq "corrupt: exit code" 0 "$RUN_RC"
	expect_ge "corrupt: impair_corrupted" 1 "$(cnt "$j" impair_corrupted)"
	bad=$(( $(cnt "$j" drop_tcp_csum) + $(cnt "$j" drop_ip_csum) ))
	expect_ge "corrupt: caught by a checksum (drop_tcp_csum + drop_ip_csum)" 1 "$bad"
	up=$(cnt "$j" gen_bulk_tx)
	expect_eq "corrupt: acknowledged == received" "$up" "$(cnt "$j" bulk_sink_bytes)"

	log "ring: model cps at 1% loss each way, 2000 connections"
	j=$tmp/cps.jsonl
	run_synack cps 90 -c "$CFG" --set run.duration=60s --set client.model=cps \
		--set client.target=198.18.0.2:80 --set client.count=2000 \
		--set client.concurrency=50 --set "port0.impair_rx=loss=1% seed=5" \
		--set "port1.impair_rx=loss=1% seed=6"
	expect_eq "cps: exit code" 0 "$RUN_RC"
	expect_eq "cps: status" "done" "$(jsonq "$j" summary status)"
	tx=$(cnt "$j" gen_conn_tx)
	ok=$(cnt "$j" gen_conn_ok)
	errs=$(gen_errors "$j")
	expect_ge "cps: connections opened" 2000 "$tx"
	expect_eq "cps: opened == completed + errors ($(gen_errors_detail "$j"))" "$tx" $((ok + errs))
	expect_ge "cps: impair_dropped" 1 "$(cnt "$j" impair_dropped)"
	finish "impair_bulk ring"
fi

[ "$PMD" = af_packet ] || { echo "unknown PMD '$PMD'" >&2; exit 2; }
require_root_netns
command -v ethtool >/dev/null || skip "ethtool not installed"
[ -n "$PY" ] || skip "no python3"
DEV="net_af_packet0,iface=$IF_SYN,qpairs=1"
make_tmp
setup_netns
# shellcheck disable=SC2034 # used by run_synack / start_synack (lib.sh)
SYNACK_NS=(ip netns exec "$NS_SYN")

veth_ini() {
	cat >"$1" <<EOF
; impair_bulk.sh: synack $2 on a veth end, impaired both ways
[run]
mode     = $2
duration = $([ "$2" = server ] && echo 0 || echo 4s)
lcores   = 1
[port0]
dev = $DEV
ip  = $SYN_IP/$PREFIX
impair_rx = $IMP seed=11
impair_tx = $IMP seed=12
[server]
listen = 80
bulk   = $BULK_PORT
[client]
model       = throughput
target      = $KRN_IP:$BULK_PORT
direction   = send
concurrency = 1
write_size  = 128k
EOF
}

log "kernel -> synack: exactly 32 MiB under '$IMP' each way"
veth_ini "$tmp/server.ini" server
js=$tmp/server.jsonl
if ! start_synack server 20 -c "$tmp/server.ini"; then
	show_logs server
	echo "FAIL: synack server did not come up (exit $START_RC)"
	exit 1
fi
spid=$SPID
kexec timeout 120 "$PY" - "$SYN_IP" "$BULK_PORT" >"$tmp/send.log" 2>&1 <<'EOF' || true
import socket, sys, time
ip, port = sys.argv[1], int(sys.argv[2])
t0 = time.time()
s = socket.create_connection((ip, port), timeout=20)
chunk = bytes(range(256)) * 4096
for _ in range(32):
    s.sendall(chunk)
s.shutdown(socket.SHUT_WR)
s.settimeout(60)
while s.recv(65536):
    pass
s.close()
print("sent 32 MiB in %.3f s" % (time.time() - t0))
EOF
cat "$tmp/send.log"
sleep 0.5
stop_pid "$spid" 10
expect_eq "server: exit code after SIGTERM" 0 "$STOP_RC"
expect_eq "server: bulk_sink_bytes == 32 MiB" $((32 << 20)) "$(cnt "$js" bulk_sink_bytes)"
expect_ge "server: impair_dropped" 1 "$(cnt "$js" impair_dropped)"
expect_ge "server: impair_reordered" 1 "$(cnt "$js" impair_reordered)"

log "synack -> kernel: 4 s, the sink hashes what it got"
kexec "$PY" - "$KRN_IP" "$BULK_PORT" "$tmp/sink.out" >"$tmp/sink.log" 2>&1 <<'EOF' &
import hashlib, socket, sys
ip, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((ip, port))
s.listen(1)
s.settimeout(60)
c, _ = s.accept()
c.settimeout(60)
got, n = hashlib.sha256(), 0
while True:
    b = c.recv(1 << 20)
    if not b:
        break
    got.update(b)
    n += len(b)
c.close()
# the bulk stream: write_size (128 KiB) chunks of the pattern byte i % 251
chunk = bytes(i % 251 for i in range(1 << 17))
want, left = hashlib.sha256(), n
while left:
    k = min(left, len(chunk))
    want.update(chunk[:k])
    left -= k
open(out, "w").write("%d %s %s\n" % (n, got.hexdigest(), want.hexdigest()))
EOF
sink_pid=$!
track_pid "$sink_pid"
for _ in $(seq 1 50); do
	kexec ss -ltn 2>/dev/null | grep -q ":$BULK_PORT " && break
	sleep 0.1
done
veth_ini "$tmp/client.ini" client
j=$tmp/client.jsonl
run_synack client 60 -c "$tmp/client.ini"
for _ in $(seq 1 100); do
	[ -s "$tmp/sink.out" ] && break
	sleep 0.1
done
expect_eq "client: exit code" 0 "$RUN_RC"
read -r n got want <"$tmp/sink.out" || { show_logs client; fail "no sink result"; finish "impair_bulk"; }
expect_ge "client: bytes the kernel received" 1000000 "$n"
expect_eq "client: kernel received == gen_bulk_tx" "$(cnt "$j" gen_bulk_tx)" "$n"
expect_eq "client: sha256 of the stream" "$want" "$got"
expect_ge "client: tcp_retrans" 1 "$(cnt "$j" tcp_retrans)"
echo "info: client: $n bytes in 4 s; rto $(cnt "$j" tcp_rto) tlp $(cnt "$j" tcp_tlp)" \
	"rack $(cnt "$j" tcp_rack_recovery)"
finish "impair_bulk af_packet"
