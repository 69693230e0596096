#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# netns_udp.sh PMD SYNACK_BINARY   (PMD: af_xdp | af_packet | ring)
#
# af_xdp, af_packet: synack as a UDP server on one end of a veth pair
# (config/server-udp-af_packet.ini: echo on 7, sink on 9), the Linux kernel
# on the other end. Proves that
#   - socat and a kernel UDP socket get their datagrams back byte for byte
#     (1 to 1472 bytes, several in a row);
#   - a datagram with a zero UDP checksum (RFC 768: none) is accepted and
#     echoed, the kernel socket receives the echo, synack counts it;
#   - a datagram with a wrong checksum is dropped (drop_udp_csum), not echoed;
#   - a datagram to a closed port makes the kernel report ECONNREFUSED on a
#     connected UDP socket (the ICMP port unreachable synack sent), and
#     synack counts drop_udp_no_port and udp_unreach_tx;
#   - the sink counts exactly what was sent to it.
# ring: the in-process self-test config/udp-ring.ini (udp model with echo
# against synack's own echo over net_ring), count-bounded, with one and two
# lcores: it ends by itself, exit 0, sent == echoed == received, 0 lost;
# and the same to the sink with echo off. Needs no root.
# Exit 0 pass, 1 fail, 77 skip.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh"

[ $# -eq 2 ] || { echo "usage: $0 af_xdp|af_packet|ring SYNACK_BINARY" >&2; exit 2; }
PMD=$1
SYNACK=$2
[ -x "$SYNACK" ] || { echo "FAIL: synack binary '$SYNACK' not executable"; exit 1; }

# ---------------------------------------------------------------- ring ----

if [ "$PMD" = ring ]; then
	CFG=config/udp-ring.ini
	[ -f "$CFG" ] || { echo "FAIL: $CFG not found (run from the source root)"; exit 1; }
	make_tmp
	COUNT=200000
	# run_synack NAME TIMEOUT_S ARGS... (lib.sh): bounded; RUN_RC,
	# $tmp/NAME.out, .err, .jsonl.
	for lc in 1 2; do
		name=echo$lc
		j=$tmp/$name.jsonl
		log "ring: udp echo, $COUNT datagrams, $lc lcore(s)"
		before=$FAILS
		run_synack $name 40 -c "$CFG" --set client.count=$COUNT --set run.duration=30s \
			--set run.lcores=$lc
		expect_eq "$name: exit code" 0 "$RUN_RC"
		expect_eq "$name: summary status" "done" "$(jsonq "$j" summary status)"
		for k in udp_gen_tx udp_echo_tx udp_gen_rx; do
			expect_eq "$name: counters.$k" $COUNT "$(jsonq "$j" summary counters.$k)"
		done
		for k in udp_lost udp_dup udp_reorder udp_gen_bad drop_udp_csum drop_udp_short \
			drop_udp_no_port drop_pool_empty drop_tx_full; do
			expect_eq "$name: counters.$k" 0 "$(jsonq "$j" summary counters.$k)"
		done
		expect_eq "$name: rtt samples" $COUNT "$(jsonq "$j" summary latency_us.rtt.count)"
		echo "info: $name: rtt p50 $(jsonq "$j" summary latency_us.rtt.p50) us," \
			"p99 $(jsonq "$j" summary latency_us.rtt.p99) us"
		[ "$FAILS" -eq "$before" ] || show_logs $name
	done
	name=sink
	j=$tmp/$name.jsonl
	log "ring: udp to the sink, echo off, $COUNT datagrams over 8 flows"
	before=$FAILS
	run_synack $name 40 -c "$CFG" --set client.count=$COUNT --set run.duration=30s \
		--set client.echo=off --set client.target=198.18.0.2:9 --set client.flows=8 \
		--set client.payload=512
	expect_eq "$name: exit code" 0 "$RUN_RC"
	expect_eq "$name: counters.udp_gen_tx" $COUNT "$(jsonq "$j" summary counters.udp_gen_tx)"
	# the run ends when the last datagram is sent: a few may still be on the ring
	sunk=$(jsonq "$j" summary counters.udp_sink_rx)
	expect_ge "$name: counters.udp_sink_rx" $((COUNT - 64)) "$sunk"
	for k in udp_lost udp_dup udp_reorder drop_udp_csum udp_echo_tx udp_gen_rx; do
		expect_eq "$name: counters.$k" 0 "$(jsonq "$j" summary counters.$k)"
	done
	[ "$FAILS" -eq "$before" ] || show_logs $name
	name=badpayload
	log "ring: payload below the sequence header is a config error"
	run_synack $name 20 -c "$CFG" --set client.payload=16
	expect_eq "$name: exit code" 2 "$RUN_RC"
	if grep -q '^--set:client:payload: 16 is below the 24-byte sequence header' \
		"$tmp/$name.err"; then
		echo "ok: $name: $(head -n1 "$tmp/$name.err")"
	else
		fail "$name: expected '--set:client:payload: 16 is below ...' on stderr"
		show_logs $name
	fi
	finish "netns_udp ring"
fi

# -------------------------------------------------------- veth + kernel ----

require_root_netns
command -v socat >/dev/null || skip "socat not installed (apt-get install socat)"
command -v ethtool >/dev/null || skip "ethtool not installed"
[ -n "$PY" ] || skip "no python3"

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
cfg=config/server-udp-af_packet.ini
# start_server (lib.sh): $tmp/synack.log, $tmp/synack.jsonl; a skip only
# when the AF_XDP socket itself cannot be opened.
SYNACK_NS=(ip netns exec "$NS_SYN")
start_server synack 20 -c "$cfg" \
	--set "port0.dev=$DEV" --set "port0.ip=$SYN_IP/$PREFIX" \
	--set run.duration=60s --set run.lcores=1
pid=$SPID
log "synack up (pid $pid): $(grep -m1 '^port0 ' "$synack_log")"


# 0. Both ARP caches warm (synack answers ICMP echo), so no datagram below
# waits on resolution.
kexec ping -c 1 -W 3 "$SYN_IP" >/dev/null 2>&1 || true

# 1. socat: one datagram out, its echo back on stdout.
msg="hello synack over udp $$"
got=$(printf '%s' "$msg" | kexec timeout 10 socat -t 2 - "UDP:$SYN_IP:7" 2>"$tmp/socat.err") || true
expect_eq "socat UDP:$SYN_IP:7 echo" "$msg" "$got"

# 2..4: a kernel UDP socket (python). Prints "ok ..." / "FAIL ..." lines.
kexec timeout 60 "$PY" - "$KRN_IP" "$SYN_IP" >"$tmp/py.out" 2>&1 <<'EOF' || true
import os, socket, struct, sys

krn, syn = sys.argv[1], sys.argv[2]

def ok(cond, what):
    print(("ok: " if cond else "FAIL: ") + what)

# 2. Several datagrams of several sizes, each echoed byte for byte, in order.
# A late echo of an earlier datagram is skipped (and reported), so one
# slow datagram on a loaded machine does not shift every later comparison.
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.connect((syn, 7))
sizes = [1, 18, 100, 512, 1000, 1400, 1472]
good = 0
sent = []
for i, n in enumerate(sizes):
    data = os.urandom(n)
    sent.append(data)
    s.send(data)
    while True:
        try:
            back = s.recv(2048)
        except OSError as e:
            back = repr(e).encode()
        if back != data and back in sent[:-1]:
            print("  late echo of datagram %d" % sent.index(back))
            continue
        break
    good += back == data
    if back != data:
        print("  datagram %d (%d bytes): got %d bytes %r" % (i, n, len(back), back[:40]))
s.settimeout(0.2)
try:
    while True:
        s.recv(2048)  # drain late echoes before the burst
except OSError:
    pass
s.settimeout(5)
ok(good == len(sizes), "echo of %d datagrams (1..1472 bytes) identical: %d/%d"
   % (len(sizes), good, len(sizes)))
# a burst of 50 without waiting, then read them all back
burst = [struct.pack("!I", i) + os.urandom(60) for i in range(50)]
for d in burst:
    s.send(d)
back = []
try:
    while len(back) < len(burst):
        back.append(s.recv(2048))
except OSError:
    pass
ok(sorted(back) == sorted(burst), "burst of 50 datagrams echoed: %d back" % len(back))
s.close()

def cksum(b):
    if len(b) % 2:
        b += b"\0"
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while t >> 16:
        t = (t & 0xffff) + (t >> 16)
    return ~t & 0xffff

def udp_raw(sport, dport, payload, ck):
    """A UDP datagram through a raw socket (the kernel adds the IP header)."""
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
    hdr = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    if ck == "good":
        ph = socket.inet_aton(krn) + socket.inet_aton(syn) + struct.pack("!BBH", 0, 17, 8 + len(payload))
        c = cksum(ph + hdr + payload) or 0xffff
    elif ck == "bad":
        ph = socket.inet_aton(krn) + socket.inet_aton(syn) + struct.pack("!BBH", 0, 17, 8 + len(payload))
        c = (cksum(ph + hdr + payload) or 0xffff) ^ 0x5a5a
    else:
        c = 0
    r.sendto(hdr[:6] + struct.pack("!H", c) + payload, (syn, 0))
    r.close()

# 3. Zero checksum: accepted and echoed (with no checksum either); the
# kernel socket bound to the source port receives it.
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((krn, 0))
s.settimeout(3)
port = s.getsockname()[1]
udp_raw(port, 7, b"zero-checksum datagram", "zero")
try:
    back, src = s.recvfrom(2048)
except OSError as e:
    back, src = repr(e).encode(), None
ok(back == b"zero-checksum datagram" and src == (syn, 7),
   "zero-checksum datagram echoed to the kernel socket (got %r from %r)" % (back, src))
# sanity: the same through the raw path with a correct checksum
udp_raw(port, 7, b"good-checksum datagram", "good")
try:
    back = s.recv(2048)
except OSError as e:
    back = repr(e).encode()
ok(back == b"good-checksum datagram", "raw datagram with a correct checksum echoed")
# 3b. A wrong checksum: dropped, no echo.
udp_raw(port, 7, b"bad-checksum datagram", "bad")
s.settimeout(1)
try:
    back = s.recv(2048)
    ok(False, "bad-checksum datagram must not be echoed, got %r" % back)
except socket.timeout:
    ok(True, "bad-checksum datagram not echoed")
s.close()

# 4. A closed port: the ICMP port unreachable reaches the connected socket.
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.connect((syn, 4444))
s.send(b"anyone there?")
try:
    s.recv(2048)
    ok(False, "closed port: expected ConnectionRefusedError, got data")
except ConnectionRefusedError:
    ok(True, "closed port 4444: ConnectionRefusedError (ICMP port unreachable seen by the kernel)")
except socket.timeout:
    ok(False, "closed port: expected ConnectionRefusedError, timed out")
s.close()

# 5. The sink: 20 datagrams to port 9, nothing comes back.
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
s.connect((syn, 9))
for i in range(20):
    s.send(b"x" * 100)
try:
    s.recv(2048)
    ok(False, "sink: answered")
except socket.timeout:
    ok(True, "sink: 20 datagrams, no answer")
s.close()
EOF
cat "$tmp/py.out"
n_fail=$(grep -c '^FAIL' "$tmp/py.out" || true)
n_ok=$(grep -c '^ok' "$tmp/py.out" || true)
if [ "$n_fail" -ne 0 ] || [ "$n_ok" -ne 7 ]; then
	fail "kernel socket checks: $n_ok ok of 7, $n_fail failed"
fi

# 6. Stop synack; compare its counters with what was sent.
stop_pid "$pid" 15
expect_eq "synack exit code after SIGTERM" 0 "$STOP_RC"
if ! has_summary "$json"; then
	dump_logs "$synack_log"
	fail "no summary with counters in $json"
	exit 1
fi
q() { counter "$json" "$1"; }
# echoes: socat 1 + sizes 7 + burst 50 + zero 1 + good raw 1
expect_eq "counters.udp_echo_tx" 60 "$(q udp_echo_tx)"
expect_eq "counters.udp_zero_csum" 1 "$(q udp_zero_csum)"
expect_eq "counters.drop_udp_csum" 1 "$(q drop_udp_csum)"
expect_eq "counters.udp_sink_rx" 20 "$(q udp_sink_rx)"
expect_eq "counters.udp_sink_bytes" 2000 "$(q udp_sink_bytes)"
expect_ge "counters.drop_udp_no_port" 1 "$(q drop_udp_no_port)"
expect_ge "counters.udp_unreach_tx" 1 "$(q udp_unreach_tx)"
expect_eq "counters.udp_unreach_tx == drop_udp_no_port - udp_unreach_limited" \
	"$(q udp_unreach_tx)" "$(($(q drop_udp_no_port) - $(q udp_unreach_limited)))"
for c in drop_udp_short drop_pool_empty drop_tx_full drop_multiseg; do
	expect_eq "counters.$c" 0 "$(q "$c")"
done

[ "$FAILS" -eq 0 ] || dump_logs "$synack_log"
finish "netns_udp $PMD"
