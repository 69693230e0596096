#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# netns_iperf.sh PMD SYNACK_BINARY   (PMD: af_xdp | af_packet)
#
# iperf3 on the wire, both ways, against Debian's stock iperf3 (3.12):
#  1. server ([iperf] listen = 5201): a stock iperf3 client in the kernel's
#     namespace runs TCP 5 s, -R, -P 4 and UDP -b 1G -l 64, each with -J:
#     iperf3 exits 0; TCP: bytes received == bytes sent (per stream too);
#     -R: what the client received is what synack reports acknowledged,
#     within what was in flight at TEST_END; UDP: the datagrams iperf3
#     counts as arrived are the ones synack's port received (the loss is
#     the link's), jitter is finite. -R with 2% of the frames synack sends
#     dropped (tc BPF on the kernel's ingress): the client's JSON shows the
#     retransmits synack reports in the results exchange, > 0, per stream
#     and in end.sum_sent.
#  2. a second client during a test gets "the server is busy" (ACCESS_DENIED)
#     and the first test still completes; bad parameters get SERVER_ERROR.
#  3. client (client.model = iperf, and the run.mode = iperf-client alias):
#     synack tests a stock `iperf3 -s` TCP, TCP -R, UDP, UDP -R; the server's
#     JSON and synack's iperf3-shaped JSON agree on bytes; synack's JSON has
#     iperf3's TCP sender fields (retransmits, snd_cwnd, rtt, ...), and under
#     2% loss its retransmits are > 0 and its intervals add up to the end.
# Exit 0 pass, 1 fail, 77 skip.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh"

[ $# -ge 2 ] || { echo "usage: $0 af_xdp|af_packet SYNACK_BINARY [server-only]" >&2; exit 2; }
PMD=$1
SYNACK=$2
PARTS=${3:-all}
[ -x "$SYNACK" ] || { echo "FAIL: synack binary '$SYNACK' not executable"; exit 1; }

require_root_netns
for tool in iperf3 ethtool timeout; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed"
done

case "$PMD" in
af_xdp) DEV="net_af_xdp0,iface=$IF_SYN" ;;
af_packet) DEV="net_af_packet0,iface=$IF_SYN,qpairs=1" ;;
*) echo "unknown PMD '$PMD'" >&2; exit 2 ;;
esac

make_tmp
setup_netns
ip netns exec "$NS_KRN" ethtool -K "$IF_KRN" gro off >/dev/null 2>&1 || true
log "namespaces $NS_SYN ($IF_SYN, no IP) <-> $NS_KRN ($IF_KRN $KRN_IP/$PREFIX)"

cfg=config/server-af_packet.ini
SYNACK_NS=(ip netns exec "$NS_SYN")

SLOG=$tmp/synack.log
SJSON=$tmp/synack.jsonl

# j FILE EXPR: evaluate a Python expression over the JSON document d (an
# iperf3 -J file). A key that is not there fails the test (strict, like
# lib.sh's counter), it does not print an empty string.
j() {
	local out
	if out=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" 2>&1); then
		echo "$out"
		return 0
	fi
	_strict_miss "j $1 $2: $(echo "$out" | tail -n 1)"
	echo missing
}

# start_iperf_server: synack with [iperf] listen = 5201 (lib.sh
# start_server: a skip only when AF_XDP itself is unavailable), ready when
# it prints its iperf server line.
start_iperf_server() {
	READY_PATTERN="iperf: server on port 5201" start_server synack 20 -c "$cfg" \
		--set "port0.dev=$DEV" --set "port0.ip=$SYN_IP/$PREFIX" \
		--set run.lcores=1 --set run.duration=300s --set run.report_interval=200ms \
		--set iperf.listen=5201 -q
	wait_reachable "$NS_KRN" "$SYN_IP" 10 || log "warning: $SYN_IP not answering ping yet"
}

# iperf_c NAME ARGS...: a stock client, bounded in time; JSON in $tmp/NAME.json
iperf_c() {
	local name=$1 rc=0
	shift
	timeout 40 ip netns exec "$NS_KRN" iperf3 -c "$SYN_IP" -J "$@" >"$tmp/$name.json" 2>&1 || rc=$?
	expect_eq "iperf3 -c $* exit code" 0 "$rc"
	if [ "$rc" -ne 0 ]; then
		head -c 2000 "$tmp/$name.json"
		echo
		tail -5 "$SLOG"
	fi
}

udp_rx() { json_fresh "$SJSON"; counter "$SJSON" udp_rx --interval; }

# Loss: tc_loss.bpf.c (20 per mille) on the kernel end's ingress drops frames
# synack sends. Built with clang when it can; else the loss checks are skipped.
BPF_OBJ=""
if command -v clang >/dev/null 2>&1 && command -v tc >/dev/null 2>&1 &&
	clang -O2 -target bpf -I/usr/include/"$(uname -m)"-linux-gnu -DLOSS_PER_MILLE=20 \
		-c "$here/tc_loss.bpf.c" -o "$tmp/tc_loss.o" 2>"$tmp/clang.log"; then
	BPF_OBJ=$tmp/tc_loss.o
fi
loss_on() {
	kexec tc qdisc add dev "$IF_KRN" clsact
	kexec tc filter add dev "$IF_KRN" ingress pref 1 bpf da obj "$BPF_OBJ" sec tc
}
loss_off() {
	kexec tc -s filter show dev "$IF_KRN" ingress | grep -m1 -E 'dropped|Sent' | sed 's/^/  loss filter: /' || true
	kexec tc qdisc del dev "$IF_KRN" clsact 2>/dev/null || true
}

# ------------------------------------------------------------ 1. server
start_iperf_server

iperf_c tcp -t 5
s=$(j "$tmp/tcp.json" 'd["end"]["sum_sent"]["bytes"]')
r=$(j "$tmp/tcp.json" 'd["end"]["sum_received"]["bytes"]')
log "TCP 5 s: iperf3 sent $s, synack received $r ($(j "$tmp/tcp.json" 'round(d["end"]["sum_received"]["bits_per_second"]/1e9,2)') Gbit/s)"
expect_ge "TCP: bytes sent" 1000000 "$s"
expect_eq "TCP: bytes received == bytes sent" "$s" "$r"

iperf_c rev -t 3 -R
s=$(j "$tmp/rev.json" 'd["end"]["sum_sent"]["bytes"]')
r=$(j "$tmp/rev.json" 'd["end"]["sum_received"]["bytes"]')
log "TCP -R: synack sent (acked at TEST_END) $s, iperf3 received $r"
expect_ge "-R: bytes received" 1000000 "$r"
# the client stops reading at TEST_END: what it had not read yet is the gap
expect_eq "-R: received within 4 MiB of acknowledged" True \
	"$(j "$tmp/rev.json" 'abs(d["end"]["sum_sent"]["bytes"]-d["end"]["sum_received"]["bytes"]) <= 4*1024*1024')"

NTESTS=6
if [ -n "$BPF_OBJ" ]; then
	loss_on
	iperf_c revloss -t 3 -R
	loss_off
	NTESTS=7
	rt=$(j "$tmp/revloss.json" 'd["end"]["sum_sent"]["retransmits"]')
	log "TCP -R, 2% of synack's frames dropped: synack reports $rt retransmits"
	expect_ge "-R under loss: end.sum_sent.retransmits (synack's, via the results)" 1 "$rt"
	expect_eq "-R under loss: the stream's sender retransmits add up to sum_sent" "$rt" \
		"$(j "$tmp/revloss.json" 'sum(x["sender"]["retransmits"] for x in d["end"]["streams"])')"
	expect_eq "-R under loss: received within 4 MiB of acknowledged" True \
		"$(j "$tmp/revloss.json" 'abs(d["end"]["sum_sent"]["bytes"]-d["end"]["sum_received"]["bytes"]) <= 4*1024*1024')"
else
	optional_missing "loss checks not run (clang cannot build tc_loss.bpf.c: $(head -c 200 "$tmp/clang.log" 2>/dev/null))"
fi

iperf_c par -t 3 -P 4
expect_eq "-P 4: streams" 4 "$(j "$tmp/par.json" 'len(d["end"]["streams"])')"
expect_eq "-P 4: every stream received what it sent" True \
	"$(j "$tmp/par.json" 'all(x["sender"]["bytes"]==x["receiver"]["bytes"] and x["sender"]["bytes"]>0 for x in d["end"]["streams"])')"
expect_eq "-P 4: sum received == sum sent" "$(j "$tmp/par.json" 'd["end"]["sum_sent"]["bytes"]')" \
	"$(j "$tmp/par.json" 'd["end"]["sum_received"]["bytes"]')"

sleep 0.5
u0=$(udp_rx)
iperf_c udp -t 3 -u -b 1G -l 64
sleep 0.5
u1=$(udp_rx)
pk=$(j "$tmp/udp.json" 'd["end"]["sum"]["packets"]')
lost=$(j "$tmp/udp.json" 'd["end"]["sum"]["lost_packets"]')
log "UDP 64 B: iperf3 sent $pk datagrams, lost $lost ($(j "$tmp/udp.json" 'round(d["end"]["sum"]["lost_percent"],2)')%), jitter $(j "$tmp/udp.json" 'd["end"]["sum"]["jitter_ms"]') ms; synack's port took $((u1 - u0)) datagrams (1 connect)"
expect_ge "UDP: datagrams sent" 10000 "$pk"
# the loss iperf3 reports is the loss before synack's port: what arrived is
# what synack received -- except datagrams lost after the last one that
# arrived, which no receiver can see (iperf3 counts a gap when a higher
# counter shows up): allow that tail, at most 1% of what was sent.
gap=$(( (pk - lost) - (u1 - u0 - 1) ))
log "UDP: iperf3's arrived - synack's received = $gap (the unseen tail)"
expect_eq "UDP: arrived (packets - lost) >= synack udp_rx - connect, tail <= 1%" True \
	"$( [ "$gap" -ge 0 ] && [ "$gap" -le $((pk / 100 + 64)) ] && echo True || echo False)"
expect_eq "UDP: jitter is a finite number >= 0" True \
	"$(j "$tmp/udp.json" '0 <= d["end"]["sum"]["jitter_ms"] < 1000')"

iperf_c udprev -t 2 -u -R -b 50M -l 1000
log "UDP -R 50M: synack sent $(j "$tmp/udprev.json" 'd["end"]["sum"]["packets"]') datagrams, iperf3 lost $(j "$tmp/udprev.json" 'd["end"]["sum"]["lost_packets"]')"
# synack's pacing never exceeds the asked bitrate (+10%); how close to it a
# loaded machine gets is a wall-clock figure: bench.
expect_eq "UDP -R: bitrate > 0 and not above 50M + 10%" True \
	"$(j "$tmp/udprev.json" '0 < d["end"]["sum"]["bits_per_second"] < 55e6 and d["end"]["sum"]["packets"] > 0')"

# ------------------------------------------------ 2. busy, bad parameters
timeout 30 ip netns exec "$NS_KRN" iperf3 -c "$SYN_IP" -t 3 -J >"$tmp/first.json" 2>&1 &
FPID=$!
track_pid "$FPID"
sleep 1
rc=0
timeout 10 ip netns exec "$NS_KRN" iperf3 -c "$SYN_IP" -t 1 >"$tmp/second.txt" 2>&1 || rc=$?
expect_eq "second client while busy: exit code" 1 "$rc"
expect_eq "second client: told the server is busy" 1 "$(grep -c 'server is busy' "$tmp/second.txt" || true)"
rc=0
wait "$FPID" || rc=$?
expect_eq "first client completes despite the second: exit code" 0 "$rc"

bad=$(kexec "$PY" - "$SYN_IP" <<'EOF'
import socket, struct, sys
s = socket.create_connection((sys.argv[1], 5201), timeout=5)
s.sendall(b"abcdefghijklmnopqrstuvwxyz0123456789\0")
assert s.recv(1) == b"\x09"
body = b'{"tcp":true,"parallel":"four"}'
s.sendall(struct.pack(">I", len(body)) + body)
r = s.recv(9)
print(r[0] if r else "none")
EOF
) || true
expect_eq "bad parameters: SERVER_ERROR (-2 = 254)" 254 "$bad"

sleep 0.5
stop_pid "$SPID" 15
expect_eq "synack exit code after SIGTERM" 0 "$STOP_RC"
expect_eq "server: tests completed" "$NTESTS" "$(counter "$SJSON" iperf_test_ok)"
expect_eq "server: tests failed (the bad parameters)" 1 "$(counter "$SJSON" iperf_test_failed)"
expect_ge "server: ACCESS_DENIED sent" 1 "$(counter "$SJSON" iperf_denied)"

# ------------------------------------------------------------ 3. client
if [ "$PARTS" = server-only ]; then
	finish "netns_iperf $PMD (server part only)"
fi
# iperf3 -s in the kernel namespace; synack connects from 198.18.1.2.
run_client() {
	local name=$1 rc=0
	shift
	timeout 40 ip netns exec "$NS_KRN" iperf3 -s -1 -B "$KRN_IP" -J >"$tmp/$name-srv.json" 2>&1 &
	local kp=$!
	track_pid "$kp"
	sleep 0.5
	run_synack "$name-cli" 40 -c "$cfg" \
		--set "port0.dev=$DEV" --set "port0.ip=$SYN_IP/$PREFIX" \
		--set run.lcores=1 --set run.duration=3s -q \
		--set "client.target=$KRN_IP:5201" --set "client.iperf_json=$tmp/$name-cli.json" \
		"$@"
	expect_eq "synack iperf client $name: exit code" 0 "$RUN_RC"
	[ "$RUN_RC" = 0 ] || show_logs "$name-cli"
	rc=0
	wait "$kp" || rc=$?
	expect_eq "iperf3 -s -1 ($name): exit code" 0 "$rc"
}

# client_bytes NAME REV UDP: each side's own count of what moved -- the sender's
# "sum_sent" against the receiver's "sum_received" -- must agree: TCP in bytes,
# UDP in datagrams (the counter the receiver saw last).
client_bytes() {
	local name=$1 rev=$2 udp=$3 key=bytes srv cli
	[ "$udp" = 1 ] && key=packets
	if [ "$rev" = 0 ]; then
		srv=$(j "$tmp/$name-srv.json" "d['end']['sum_received']['$key']")
		cli=$(j "$tmp/$name-cli.json" "d['end']['sum_sent']['$key']")
	else
		srv=$(j "$tmp/$name-srv.json" "d['end']['sum_sent']['$key']")
		cli=$(j "$tmp/$name-cli.json" "d['end']['sum_received']['$key']")
	fi
	log "client $name: iperf3 -s counted $srv $key, synack counted $cli $key"
	expect_ge "client $name: $key" 100 "$srv"
	expect_eq "client $name: the server's JSON and synack's agree on $key" "$srv" "$cli"
	expect_eq "client $name: synack's JSON has start/intervals/end" True \
		"$(j "$tmp/$name-cli.json" 'all(k in d for k in ("start","intervals","end")) and len(d["intervals"])>=1')"
}

run_client tcp --set run.mode=client --set client.model=iperf
client_bytes tcp 0 0
# iperf3's TCP sender fields, as `iperf3 -J` has them
expect_eq "client tcp: sender fields in end.sum_sent, end.streams[].sender, intervals" True \
	"$(j "$tmp/tcp-cli.json" 'all("retransmits" in x for x in [d["end"]["sum_sent"]] + [s["sender"] for s in d["end"]["streams"]] + [iv["sum"] for iv in d["intervals"]]) and all(k in s for iv in d["intervals"] for s in iv["streams"] for k in ("retransmits","snd_cwnd","snd_wnd","rtt","rttvar","pmtu")) and all(k in s["sender"] for s in d["end"]["streams"] for k in ("max_snd_cwnd","max_rtt","min_rtt","mean_rtt"))')"
expect_ge "client tcp: snd_cwnd of the first interval" 1 \
	"$(j "$tmp/tcp-cli.json" 'd["intervals"][0]["streams"][0]["snd_cwnd"]')"
run_client tcprev --set run.mode=iperf-client --set client.iperf_reverse=on
client_bytes tcprev 1 0
# the kernel sender's retransmits, from its results (sender_has_retransmits 1)
expect_eq "client tcprev: the server's retransmits in end.sum_sent" True \
	"$(j "$tmp/tcprev-cli.json" 'd["end"]["sum_sent"]["retransmits"] >= 0 and "retransmits" in d["end"]["streams"][0]["sender"]')"
if [ -n "$BPF_OBJ" ]; then
	loss_on
	run_client tcploss --set run.mode=client --set client.model=iperf
	loss_off
	client_bytes tcploss 0 0
	rt=$(j "$tmp/tcploss-cli.json" 'd["end"]["sum_sent"]["retransmits"]')
	log "client under 2% loss: synack retransmitted $rt segments; per interval" \
		"$(j "$tmp/tcploss-cli.json" '[iv["sum"]["retransmits"] for iv in d["intervals"]]')"
	expect_ge "client tcploss: end.sum_sent.retransmits" 1 "$rt"
	expect_eq "client tcploss: the intervals' retransmits add up to the end's" "$rt" \
		"$(j "$tmp/tcploss-cli.json" 'sum(iv["sum"]["retransmits"] for iv in d["intervals"])')"
fi
run_client udp --set run.mode=client --set client.model=iperf --set client.iperf_udp=on --set client.iperf_bitrate=20m
client_bytes udp 0 1
run_client udprev --set run.mode=client --set client.model=iperf --set client.iperf_udp=on --set client.iperf_reverse=on \
	--set client.iperf_bitrate=20m
client_bytes udprev 1 1

finish "netns_iperf $PMD"
