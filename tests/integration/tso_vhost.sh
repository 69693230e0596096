#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tso_vhost.sh SYNACK_BINARY
#
# TSO end to end over net_virtio_user <-> net_vhost, two synack processes:
# a bulk server on a vhost-user socket (config/vhost-server.ini, [server]
# bulk) and the throughput model client through virtio_user
# (config/virtio-user-client.ini), direction both, 4 s. Run twice:
#  - TSO: the vhost side offers it (devarg tso=1), virtio_user negotiates
#    VIRTIO_NET_F_CSUM + HOST_TSO4 and the client port shows "tso"; the
#    client sends frames of up to 63 KiB (tcp_tx_tso > 0). The vhost
#    library hands each one up whole, as one mbuf with an external buffer
#    (devargs linear-buffer=1,ext-buffer=1; without them a 63 KiB frame is
#    a chain of 2 KiB mbufs that synack cannot take: drop_multiseg), with
#    RX_LRO set and the checksum the vhost PMD completed in software (its
#    rx_sw_csum path), and synack's TCP accepts a segment larger than the MSS
#    as it is;
#  - no TSO: tso=0, the client port has no "tso", tcp_tx_tso == 0.
# Each run: client exit 0, status done, no gen_err_*; bytes exact both ways
# (client gen_bulk_tx == server bulk_sink_bytes, server bulk_src_bytes ==
# client gen_bulk_rx, both > 0); no drop_tcp_csum, drop_multiseg or
# drop_tx_prepare on either side; server exit 0 after SIGTERM. The Gbps of
# both runs are printed, not asserted (two processes on 2 shared vCPUs).
# Needs no root, no NIC and no hugepages (synack derives --no-huge; the
# vhost-user memory table then shares DPDK's memfd-backed memory). Exit 0
# pass, 1 fail, 77 skip (net_vhost or net_virtio_user PMD missing).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 SYNACK_BINARY" >&2; exit 2; }
SYNACK=$1
[ -x "$SYNACK" ] || { echo "FAIL: synack binary '$SYNACK' not executable"; exit 1; }
SCFG=config/vhost-server.ini
CCFG=config/virtio-user-client.ini
for f in "$SCFG" "$CCFG"; do
	[ -f "$f" ] || { echo "FAIL: $f not found (run from the source root)"; exit 1; }
done

make_tmp

# cnt FILE NAME: a summary counter, strictly (no such counter fails the test).
cnt() { counter "$1" "$2"; }

# run NAME TSO(0|1): one server + client pair on a private socket.
run() {
	local name=$1 tso=$2 sock=$tmp/vh-$$-$1.sock crc
	if ! start_synack "$name-srv" 60 -c "$SCFG" \
		--set "port0.dev=net_vhost0,iface=$sock,queues=1,tso=$tso,linear-buffer=1,ext-buffer=1" \
		--set server.bulk=5002 --set run.duration=120s --set run.quiet=on; then
		if grep -qiE "net_vhost.*(not found|unknown|no such)|failed to probe" \
			"$tmp/$name-srv.log"; then
			skip "net_vhost PMD not available"
		fi
		show_logs "$name-srv"
		fail "$name: server did not start (exit $START_RC)"
		return
	fi
	local spid=$SPID
	run_synack "$name-cli" 60 -c "$CCFG" \
		--set "port0.dev=net_virtio_user0,path=$sock,queues=1" \
		--set client.model=throughput --set client.target=198.18.3.2:5002 \
		--set client.direction=both --set client.concurrency=1 \
		--set run.duration=4s --set run.quiet=on
	crc=$RUN_RC
	stop_pid "$spid" 20
	local c=$tmp/$name-cli.jsonl s=$tmp/$name-srv.jsonl
	expect_eq "$name: client exit code" 0 "$crc"
	expect_eq "$name: server exit code after SIGTERM" 0 "$STOP_RC"
	expect_eq "$name: client status" "done" "$(jsonq "$c" summary status)"
	if [ "$tso" = 1 ]; then
		if grep -q "^port0 net_virtio_user0 .*offloads [a-z0-9,-]*tso" "$tmp/$name-cli.out"; then
			echo "ok: $name: virtio_user port has tso"
		else
			fail "$name: virtio_user port line without tso: $(grep '^port0' "$tmp/$name-cli.out")"
		fi
		expect_ge "$name: TSO frames sent (tcp_tx_tso)" 1 "$(cnt "$c" tcp_tx_tso)"
	else
		expect_eq "$name: TSO frames sent (tcp_tx_tso)" 0 "$(cnt "$c" tcp_tx_tso)"
	fi
	local up down
	up=$(cnt "$c" gen_bulk_tx)
	down=$(cnt "$c" gen_bulk_rx)
	expect_ge "$name: bytes up" 1 "$up"
	expect_ge "$name: bytes down" 1 "$down"
	expect_eq "$name: server sunk == client sent and acked" "$up" "$(cnt "$s" bulk_sink_bytes)"
	expect_eq "$name: server sourced == client received" "$(cnt "$s" bulk_src_bytes)" "$down"
	local k side f
	for side in cli srv; do
		f=$tmp/$name-$side.jsonl
		for k in drop_tcp_csum drop_multiseg drop_tx_prepare; do
			expect_eq "$name: $side $k" 0 "$(cnt "$f" "$k")"
		done
	done
	expect_eq "$name: client errors (gen_err_*)" 0 "$(gen_errors "$c")"
	echo "info: $name: $(grep -m1 '^bulk (client)' "$tmp/$name-cli.out" || true);" \
		"tso frames $(cnt "$c" tcp_tx_tso), retrans $(cnt "$c" tcp_retrans)"
}

run tso 1
run notso 0
finish tso_vhost
