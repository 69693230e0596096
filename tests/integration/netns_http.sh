#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# netns_http.sh PMD SYNACK_BINARY   (PMD: af_xdp | af_packet)
#
# Proves that synack's HTTP/1.1 responder, on one end of a veth pair
# (through the given PMD), serves the Linux kernel's TCP clients correctly:
#  1. curl GET and HEAD get exactly the headers documented (status line,
#     Server, IMF Date, Content-Type, Content-Length, Vary) and the exact
#     body; --compressed decodes to the same body; HTTP/1.1 keeps the
#     connection alive; HTTP/1.0 gets "Connection: close" and the server
#     closes (synack goes through TIME-WAIT).
#  2. 1 MiB and 32 MiB bodies arrive byte-exact (sha256) on a clean link and
#     on an impaired one (loss both ways, delay, reorder with netem; see
#     impair_on), where synack must retransmit (tcp_retrans > 0).
#  3. wrk -c100 keep-alive: requests, no socket errors, no non-2xx.
#  4. ab -n 20000 -c 50 (a connection per request): no failed request, and
#     afterwards no connection left open on either side.
#  5. A SYN to a closed port is refused (RST); a blind in-window RST is
#     answered with a challenge ACK (RFC 5961) and the transfer it aimed at
#     ends byte-exact.
#  6. Captures on the kernel's veth hold no malformed packet and no bad IP
#     or TCP checksum.
# Exit 0 pass, 1 fail, 77 skip (a missing tool, or no AF_XDP on this host).
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
for tool in curl wrk ab tshark tc ethtool ss sha256sum timeout; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed"
done

case "$PMD" in
af_xdp) DEV="net_af_xdp0,iface=$IF_SYN" ;;
af_packet) DEV="net_af_packet0,iface=$IF_SYN,qpairs=1" ;;
*) echo "unknown PMD '$PMD'" >&2; exit 2 ;;
esac

make_tmp
setup_netns
# setup_netns turns off tx/tso/gso; GRO too, so that the capture and the
# kernel's TCP see synack's segments as they were sent.
ip netns exec "$NS_KRN" ethtool -K "$IF_KRN" gro off >/dev/null 2>&1 || true

SYN_MAC=$(ns_mac "$NS_SYN" "$IF_SYN")
log "namespaces $NS_SYN ($IF_SYN $SYN_MAC, no IP) <-> $NS_KRN ($IF_KRN $KRN_IP/$PREFIX)"

URL="http://$SYN_IP"
cfg=config/server-af_packet.ini

# ---------------------------------------------------------------- synack
SPID=""
SLOG=""
SJSON=""
RUN_NO=0

SYNACK_NS=(ip netns exec "$NS_SYN")

# start_http BODY_SIZE: one synack server per body size (the body size is
# fixed for a run), through lib.sh's start_server (ready at its start line;
# a skip only when AF_XDP itself is unavailable). Interval lines every
# 200 ms carry cumulative counters and the tcp_open gauge, read live by
# ctr/gauge.
start_http() {
	local body=$1
	RUN_NO=$((RUN_NO + 1))
	SLOG=$tmp/synack-$RUN_NO.log
	SJSON=$tmp/synack-$RUN_NO.jsonl
	start_server "synack-$RUN_NO" 20 -c "$cfg" \
		--set "port0.dev=$DEV" --set "port0.ip=$SYN_IP/$PREFIX" \
		--set run.lcores=1 --set run.duration=120s \
		--set run.report_interval=200ms \
		--set "server.body_size=$body" --set server.gzip=on
	# The first interval line means the worker loop is running.
	for _ in $(seq 1 30); do
		[ -s "$SJSON" ] && break
		sleep 0.1
	done
	log "synack run $RUN_NO up (pid $SPID, body $body): $(grep -m1 '^port0 ' "$SLOG")"
	# the link can take a moment to carry frames after synack starts
	wait_reachable "$NS_KRN" "$SYN_IP" 10 || log "warning: $SYN_IP not answering ping yet"
}

# stop_synack: SIGTERM, exit 0, and the counters no run may raise.
stop_synack() {
	stop_pid "$SPID" 15
	expect_eq "run $RUN_NO: synack exit code after SIGTERM" 0 "$STOP_RC"
	if ! has_summary "$SJSON"; then
		dump_logs "$SLOG"
		fail "run $RUN_NO: no summary with counters in $SJSON"
		return 0
	fi
	local c
	for c in drop_tcp_csum drop_pool_empty drop_multiseg http_err_400 http_err_431 http_err_505 tcp_closed_timeout; do
		expect_eq "run $RUN_NO: counters.$c" 0 "$(counter "$SJSON" "$c")"
	done
	echo "run $RUN_NO counters: $("$PY" "$HARNESS" nonzero "$SJSON" tcp_,drop_,http_)"
}

# ctr NAME: a counter from the latest interval line, after letting one more
# line be written so that it covers everything up to now.
# Strict: a counter or gauge that does not exist fails the test.
ctr() {
	json_fresh "$SJSON"
	counter "$SJSON" "$1" --interval
}
gauge() {
	json_fresh "$SJSON"
	jsonq "$SJSON" interval "gauges.$1"
}
# wait_gauge NAME VALUE SECS: poll the gauge (fresh interval lines) until it
# reads VALUE, at most SECS seconds; prints the last value read. A state
# the test waits for, not a fixed sleep before one reading.
wait_gauge() {
	local v=""
	for _ in $(seq 1 $(($3 * 2))); do
		v=$(gauge "$1")
		[ "$v" = "$2" ] && break
		sleep 0.5
	done
	echo "$v"
}

# expect_delta NAME BEFORE MIN: the counter rose by at least MIN.
expect_delta_ge() {
	local now
	now=$(ctr "$1")
	expect_ge "counters.$1 increase" "$3" "$((now - $2))"
}

# --------------------------------------------------------------- helpers
# The body synack sends: the 37-byte line repeated, cut at N bytes.
pattern() { yes abcdefghijklmnopqrstuvwxyz0123456789 | head -c "$1" || true; }
pattern_sha() { pattern "$1" | sha256sum | cut -d' ' -f1; }

TSHARK_PID=""
# capture_start FILE SECONDS MAXPACKETS: tshark on the kernel's veth.
capture_start() {
	# ip netns exec directly, not through kexec: $! must be the process
	# itself (ip execs tshark), or stopping it leaves tshark running
	ip netns exec "$NS_KRN" tshark -q -i "$IF_KRN" -w "$1" -a "duration:$2" -c "$3" \
		>"$1.log" 2>&1 &
	TSHARK_PID=$!
	track_pid "$TSHARK_PID"
	for _ in $(seq 1 100); do
		grep -q '^Capturing on' "$1.log" 2>/dev/null && break
		kill -0 "$TSHARK_PID" 2>/dev/null || break
		sleep 0.1
	done
	sleep 0.3
}
capture_stop() {
	sleep 0.3
	stop_pid "$TSHARK_PID" 10
}

# capture_check FILE WHAT: no malformed packet, no expert error, no bad
# checksum (with validation on), and some TCP in it.
capture_check() {
	local f=$1 what=$2 opts n bad
	opts=(-o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE)
	n=$(tshark -r "$f" "${opts[@]}" -Y tcp 2>/dev/null | wc -l)
	expect_ge "capture $what: TCP packets" 10 "$n"
	# Retransmitted bytes must equal the first transmission's; checked
	# directly, byte by byte. Wireshark's reassembly also flags a
	# re-segmented retransmission as "New fragment overlaps old data"
	# (_ws.malformed.reassembly) even when the bytes agree (SACK recovery
	# resends holes, not the original segments): reassembly errors are left
	# to the byte check; every other malformed or error verdict fails.
	local consistent
	if consistent=$("$PY" "$(dirname "${BASH_SOURCE[0]}")/tcp_bytes_consistent.py" "$f" "$SYN_IP"); then
		echo "ok: capture $what: $consistent"
	else
		fail "capture $what: a retransmission carried different bytes: $consistent"
	fi
	bad=$(tshark -r "$f" "${opts[@]}" \
		-Y '((_ws.malformed || _ws.expert.severity >= error) && !_ws.malformed.reassembly) || tcp.checksum.status == 2 || ip.checksum.status == 2' \
		2>/dev/null | head -n 20)
	if [ -n "$bad" ]; then
		fail "capture $what: malformed packets, bad checksums or expert errors:"
		echo "$bad"
		tshark -r "$f" "${opts[@]}" -q -z expert,error 2>/dev/null | head -n 30
	else
		echo "ok: capture $what: $n TCP packets, none malformed, no bad checksum, no expert error"
	fi
}

# -------------------------------------------------------- link impairment
# netem on the kernel's veth egress impairs kernel -> synack (requests,
# ACKs). A qdisc on synack's end (vs$$) does NOT see synack's frames: both
# af_packet (PACKET_QDISC_BYPASS) and af_xdp (copy mode, direct xmit) skip
# the qdisc layer (tried: 0 packets counted by a tbf on vs$$ while 32 MiB
# went through). So synack -> kernel is impaired on the kernel's ingress
# instead, redirected to an ifb device that carries the same netem.
# Kernels without netem (CONFIG_NET_SCH_NETEM off, as on this project's VM):
# random 2 % loss both ways by a tc BPF program when clang can build it,
# plus a tbf rate limit with a short queue on the ifb (queueing delay and
# congestion tail drops of synack's data). No reorder in that fallback.
IFB="ib$$"
IMPAIR=""
BPF_OBJ=""
impair_setup() {
	kexec ip link add "$IFB" type ifb 2>/dev/null || { IMPAIR=none; return 0; }
	kexec ip link set "$IFB" up
	if kexec tc qdisc add dev "$IF_KRN" root netem loss 2% reorder 5% delay 1ms 2>/dev/null; then
		kexec tc qdisc del dev "$IF_KRN" root
		IMPAIR=netem
		return 0
	fi
	IMPAIR=tbf
	if command -v clang >/dev/null 2>&1 &&
		clang -O2 -target bpf -I/usr/include/"$(uname -m)"-linux-gnu \
			-c "$here/tc_loss.bpf.c" -o "$tmp/tc_loss.o" 2>"$tmp/clang.log"; then
		BPF_OBJ=$tmp/tc_loss.o
		IMPAIR=tbf+bpf
	fi
}
impair_on() {
	kexec tc qdisc add dev "$IF_KRN" clsact
	case "$IMPAIR" in
	netem)
		kexec tc qdisc add dev "$IF_KRN" root netem loss 2% reorder 5% delay 1ms
		kexec tc qdisc add dev "$IFB" root netem loss 2% reorder 5% delay 1ms
		;;
	tbf | tbf+bpf)
		if [ -n "$BPF_OBJ" ]; then
			kexec tc filter add dev "$IF_KRN" egress pref 1 bpf da obj "$BPF_OBJ" sec tc
			kexec tc filter add dev "$IF_KRN" ingress pref 1 bpf da obj "$BPF_OBJ" sec tc
		fi
		kexec tc qdisc add dev "$IFB" root tbf rate 200mbit burst 16k limit 32k
		;;
	esac
	kexec tc filter add dev "$IF_KRN" ingress pref 2 protocol ip u32 match u32 0 0 \
		action mirred egress redirect dev "$IFB"
}
impair_off() {
	echo "impairment stats ($IMPAIR):"
	kexec tc -s qdisc show dev "$IFB" | sed 's/^/  ifb: /' || true
	kexec tc -s qdisc show dev "$IF_KRN" | sed 's/^/  vk: /' || true
	kexec tc qdisc del dev "$IF_KRN" clsact 2>/dev/null || true
	kexec tc qdisc del dev "$IF_KRN" root 2>/dev/null || true
	kexec tc qdisc del dev "$IFB" root 2>/dev/null || true
}
impair_setup
log "link impairment available: $IMPAIR"

# big_get SIZE WHAT MAXTIME: curl the body, compare its sha256.
big_get() {
	local size=$1 what=$2 maxt=$3 rc=0 got t0
	t0=$(date +%s.%N)
	got=$(kexec curl -sS -m "$maxt" -o - "$URL/big" 2>"$tmp/curl.err" | sha256sum | cut -d' ' -f1) || true
	echo "$what: curl took $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
	# The pipeline hides curl's status; run the check on its stderr.
	if [ -s "$tmp/curl.err" ]; then
		rc=1
		cat "$tmp/curl.err"
	fi
	expect_eq "$what: curl ok (no error message)" 0 "$rc"
	expect_eq "$what: sha256 of the $size-byte body" "$(pattern_sha "$size")" "$got"
}

# ================================================================ run 1
# Small body: exact headers, HEAD, gzip, HTTP/1.0, closed port, wrk, ab.
BODY=1000
start_http "$BODY"
cap1=$tmp/small.pcapng
capture_start "$cap1" 40 100000

# 1. GET: headers and body.
pattern "$BODY" >"$tmp/expect.body"
rc=0
kexec curl -sS -m 10 -D "$tmp/get.hdr" -o "$tmp/get.body" "$URL/index.html" || rc=$?
expect_eq "curl GET exit code" 0 "$rc"
tr -d '\r' <"$tmp/get.hdr" >"$tmp/get.h"
echo "GET response headers:"
sed 's/^/  /' "$tmp/get.h"
expect_eq "GET status line" "HTTP/1.1 200 OK" "$(head -n1 "$tmp/get.h")"
hdr() { sed -n "s/^$2: //Ip" "$1" | head -n1; }
expect_eq "GET Server" "synack" "$(hdr "$tmp/get.h" Server)"
expect_eq "GET Content-Type" "text/plain" "$(hdr "$tmp/get.h" Content-Type)"
expect_eq "GET Content-Length" "$BODY" "$(hdr "$tmp/get.h" Content-Length)"
expect_eq "GET Vary (gzip on)" "Accept-Encoding" "$(hdr "$tmp/get.h" Vary)"
expect_eq "GET header names (exact set, in order)" \
	"Server Date Content-Type Content-Length Vary" \
	"$(sed -n '2,$p' "$tmp/get.h" | sed -n 's/^\([^:]*\):.*/\1/p' | tr '\n' ' ' | sed 's/ $//')"
date_hdr=$(hdr "$tmp/get.h" Date)
if [[ "$date_hdr" =~ ^(Mon|Tue|Wed|Thu|Fri|Sat|Sun),\ [0-9]{2}\ (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\ [0-9]{4}\ [0-9]{2}:[0-9]{2}:[0-9]{2}\ GMT$ ]] &&
	[ "${#date_hdr}" -eq 29 ]; then
	skew=$(($(date -u +%s) - $(date -u -d "$date_hdr" +%s)))
	if [ "${skew#-}" -le 5 ]; then
		echo "ok: Date '$date_hdr' is a 29-char IMF-fixdate, ${skew}s from now"
	else
		fail "Date '$date_hdr' is ${skew}s away from the clock"
	fi
else
	fail "Date: expected a 29-char IMF-fixdate, got '$date_hdr'"
fi
if cmp -s "$tmp/expect.body" "$tmp/get.body"; then
	echo "ok: GET body is the $BODY-byte pattern"
else
	fail "GET body differs from the pattern ($(wc -c <"$tmp/get.body") bytes)"
	cmp "$tmp/expect.body" "$tmp/get.body" | head -n 3 || true
fi

# HEAD: the same headers, no body.
rc=0
kexec curl -sS -m 10 -I -o "$tmp/head.out" "$URL/some/path?q=1" || rc=$?
expect_eq "curl HEAD exit code" 0 "$rc"
tr -d '\r' <"$tmp/head.out" >"$tmp/head.h"
expect_eq "HEAD status line" "HTTP/1.1 200 OK" "$(head -n1 "$tmp/head.h")"
expect_eq "HEAD header names" "Server Date Content-Type Content-Length Vary" \
	"$(sed -n '2,$p' "$tmp/head.h" | sed -n 's/^\([^:]*\):.*/\1/p' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "HEAD Content-Length" "$BODY" "$(hdr "$tmp/head.h" Content-Length)"
# A HEAD then a GET on one connection: a body after the HEAD would show up
# as garbage before the GET's status line.
rc=0
out=$(kexec curl -sS -m 10 -v --head "$URL/a" --next -o "$tmp/after-head.body" "$URL/b" 2>&1) || rc=$?
expect_eq "curl HEAD then GET on one connection: exit code" 0 "$rc"
if cmp -s "$tmp/expect.body" "$tmp/after-head.body" && grep -q 'Re-using existing connection' <<<"$out"; then
	echo "ok: GET after HEAD on the same connection gets the exact body"
else
	fail "GET after HEAD on one connection: body or connection reuse wrong"
	grep -E '^[<*]' <<<"$out" | head -n 30
fi

# gzip: Content-Encoding and the same body once decoded.
rc=0
kexec curl -sS -m 10 --compressed -D "$tmp/gz.hdr" -o "$tmp/gz.body" "$URL/" || rc=$?
expect_eq "curl --compressed exit code" 0 "$rc"
expect_eq "gzip: Content-Encoding" "gzip" "$(tr -d '\r' <"$tmp/gz.hdr" | sed -n 's/^Content-Encoding: //Ip' | head -n1)"
if cmp -s "$tmp/expect.body" "$tmp/gz.body"; then
	echo "ok: --compressed body decodes to the pattern"
else
	fail "--compressed body differs from the pattern"
fi

# HTTP/1.1 keep-alive: two requests, one connection.
acc0=$(ctr tcp_accepted)
rc=0
out=$(kexec curl -sS -m 10 -v -o /dev/null -o /dev/null "$URL/1" "$URL/2" 2>&1) || rc=$?
expect_eq "curl two GETs (HTTP/1.1) exit code" 0 "$rc"
if grep -q 'Re-using existing connection' <<<"$out"; then
	echo "ok: HTTP/1.1 connection kept alive and reused"
else
	fail "HTTP/1.1: curl did not reuse the connection"
fi
expect_eq "HTTP/1.1 keep-alive: connections accepted for 2 requests" 1 "$(($(ctr tcp_accepted) - acc0))"

# HTTP/1.0: Connection: close, and synack closes first (it goes through
# TIME-WAIT; the kernel client does not).
tw0=$(ctr tcp_time_wait)
rc=0
out=$(kexec curl -sS -m 10 --http1.0 -v -o "$tmp/h10.body" "$URL/old" 2>&1) || rc=$?
expect_eq "curl --http1.0 exit code" 0 "$rc"
if grep -qi '^< Connection: close' <<<"$out"; then
	echo "ok: HTTP/1.0 response says Connection: close"
else
	fail "HTTP/1.0 response has no 'Connection: close'"
	grep '^<' <<<"$out"
fi
if cmp -s "$tmp/expect.body" "$tmp/h10.body"; then
	echo "ok: HTTP/1.0 body is the pattern"
else
	fail "HTTP/1.0 body differs from the pattern"
fi
expect_delta_ge tcp_time_wait "$tw0" 1
expect_eq "HTTP/1.0: synack's open connections once TIME-WAIT is over (waited for, 10 s at most)" 0 \
	"$(wait_gauge tcp_open 0 10)"

# 5a. A SYN to a closed port: refused at once, RST counted.
rst0=$(ctr tcp_rst_tx)
rc=0
kexec curl -sS -m 3 "http://$SYN_IP:81/" >/dev/null 2>"$tmp/c81.err" || rc=$?
expect_eq "curl to closed port 81: exit code (couldn't connect)" 7 "$rc"
if kexec "$PY" -c '
import socket, sys
try:
    socket.create_connection((sys.argv[1], 81), timeout=3)
except ConnectionRefusedError:
    sys.exit(0)
except Exception as e:
    print(repr(e)); sys.exit(1)
sys.exit(1)' "$SYN_IP"; then
	echo "ok: connect to port 81: Connection refused"
else
	fail "connect to port 81 was not refused"
fi
expect_delta_ge tcp_rst_tx "$rst0" 2

# 3. wrk, keep-alive, 100 connections.
log "wrk -t1 -c100 -d5s"
rc=0
kexec timeout 30 wrk -t1 -c100 -d5s --timeout 5s "$URL/" >"$tmp/wrk.out" 2>&1 || rc=$?
sed 's/^/  /' "$tmp/wrk.out"
expect_eq "wrk exit code" 0 "$rc"
reqs=$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' "$tmp/wrk.out")
expect_ge "wrk requests" 1 "$reqs"
sockerr=$(sed -n 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1 \2 \3 \4/p' "$tmp/wrk.out")
expect_eq "wrk socket errors (connect read write timeout)" "0 0 0 0" "${sockerr:-0 0 0 0}"
non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' "$tmp/wrk.out")
expect_eq "wrk Non-2xx or 3xx responses" 0 "${non2xx:-0}"
capture_stop
capture_check "$cap1" "curl+wrk ($PMD)"

# 4. ab: 20000 requests, a new connection each.
log "ab -n 20000 -c 50"
rc=0
kexec timeout 150 ab -q -s 10 -n 20000 -c 50 "$URL/" >"$tmp/ab.out" 2>&1 || rc=$?
grep -E 'Complete requests|Failed requests|Non-2xx|Requests per second|Time taken|apr_' "$tmp/ab.out" | sed 's/^/  /'
expect_eq "ab exit code" 0 "$rc"
expect_eq "ab Complete requests" 20000 "$(sed -n 's/^Complete requests: *\([0-9]*\).*/\1/p' "$tmp/ab.out")"
expect_eq "ab Failed requests" 0 "$(sed -n 's/^Failed requests: *\([0-9]*\).*/\1/p' "$tmp/ab.out")"
if grep -q '^Non-2xx responses' "$tmp/ab.out"; then
	fail "ab: $(grep '^Non-2xx responses' "$tmp/ab.out")"
fi
# Past synack's TIME-WAIT (1 s): nothing left open in synack, and the kernel
# holds no live connection to it (its own TIME-WAITs are fine).
open=$(wait_gauge tcp_open 0 10)
expect_eq "synack gauges.tcp_open after ab (+TIME-WAIT, waited for, 10 s at most)" 0 "$open"
live=$(kexec ss -Htan "dst $SYN_IP" | awk '$1 != "TIME-WAIT"' || true)
if [ -z "$live" ]; then
	echo "ok: kernel side: no live connection to $SYN_IP ($(kexec ss -Htan "dst $SYN_IP" | wc -l) in TIME-WAIT)"
else
	fail "kernel side still has connections to $SYN_IP:"
	echo "$live" | head -n 20
fi
stop_synack

# ================================================================ runs 2, 3
# 1 MiB and 32 MiB, clean then impaired. The 32 MiB run also takes the
# blind RST.
for size in $((1 << 20)) $((32 << 20)); do
	start_http "$size"
	name="$((size >> 20)) MiB"
	cap=$tmp/big-$((size >> 20)).pcapng
	if [ "$size" -eq $((1 << 20)) ]; then
		capture_start "$cap" 60 50000
	fi
	z0=$(ctr tcp_tx_zc)
	big_get "$size" "$name clean" 30
	z1=$(ctr tcp_tx_zc)
	# zero-copy: af_packet's TX takes mbuf chains, so the body's full
	# segments go out attached to the prebuilt body (sha256-exact above);
	# af_xdp's (22.11) does not, so everything is copied
	if [ "$PMD" = af_packet ]; then
		expect_ge "$name clean: body segments sent zero-copy (tcp_tx_zc, af_packet)" \
			$((size / 1448 / 2)) "$((z1 - z0))"
	else
		expect_eq "$name clean: no zero-copy segments on $PMD" 0 "$((z1 - z0))"
	fi
	if [ "$size" -eq $((1 << 20)) ]; then
		rc=0
		kexec curl -sS -m 30 --compressed -o "$tmp/gz1m.body" "$URL/gz" || rc=$?
		expect_eq "$name --compressed: exit code" 0 "$rc"
		expect_eq "$name --compressed: sha256" "$(pattern_sha "$size")" \
			"$(sha256sum <"$tmp/gz1m.body" | cut -d' ' -f1)"
	fi
	if [ "$IMPAIR" != none ]; then
		r0=$(ctr tcp_retrans)
		impair_on
		# 60 s is generous: the kernel's own TCP moves 32 MiB through the
		# same impairment in about 2 s.
		big_get "$size" "$name impaired ($IMPAIR)" 60
		impair_off
		r1=$(ctr tcp_retrans)
		expect_ge "$name impaired ($IMPAIR): synack tcp_retrans during the transfer" 1 "$((r1 - r0))"
	else
		echo "note: no ifb device, the impaired transfers are not run"
	fi
	if [ "$size" -eq $((1 << 20)) ]; then
		capture_stop
		capture_check "$cap" "1 MiB clean+impaired ($PMD)"
	fi

	if [ "$size" -eq $((32 << 20)) ]; then
		# 5b. Blind in-window RST during a slow 32 MiB transfer.
		log "blind RST during a rate-limited 32 MiB transfer"
		ca0=$(ctr tcp_challenge_ack)
		ri0=$(ctr drop_tcp_rst_invalid)
		cr0=$(ctr tcp_closed_reset)
		ip netns exec "$NS_KRN" curl -sS -m 60 --limit-rate 2M -o "$tmp/slow.body" \
			"$URL/slow" 2>"$tmp/slow.err" &
		cpid=$!
		track_pid "$cpid"
		# Up to 3 tries: once (1 of 7 RSTs sent, af_packet) the spoofed RST
		# reached no counter of synack's at all (see the report); each try
		# says what happened, and the test needs one answered RST.
		answered=0
		for try in 1 2 3; do
			sleep 2
			rst_out=$(kexec "$SCAPY_PY" "$here/blind_rst.py" --iface "$IF_KRN" \
				--dst-mac "$SYN_MAC" --src-ip "$KRN_IP" --dst-ip "$SYN_IP" \
				--dport 80 --offset 1000 2>"$tmp/rst.err") ||
				echo "note: blind_rst.py try $try: $rst_out $(cat "$tmp/rst.err")"
			echo "blind RST try $try: $rst_out"
			if [ "$(ctr drop_tcp_rst_invalid)" -gt "$ri0" ]; then
				answered=1
				break
			fi
			echo "note: try $try: synack counted no invalid RST (rx_pkts $(ctr rx_pkts), drop_tcp_window $(ctr drop_tcp_window), drop_tcp_no_conn $(ctr drop_tcp_no_conn))"
		done
		expect_eq "blind in-window RST seen by synack" 1 "$answered"
		expect_delta_ge tcp_challenge_ack "$ca0" 1
		expect_delta_ge drop_tcp_rst_invalid "$ri0" 1
		crc=0
		wait "$cpid" || crc=$?
		cat "$tmp/slow.err"
		expect_eq "rate-limited 32 MiB after the blind RST: curl exit code" 0 "$crc"
		expect_eq "rate-limited 32 MiB after the blind RST: sha256" "$(pattern_sha "$size")" \
			"$(sha256sum <"$tmp/slow.body" | cut -d' ' -f1)"
		expect_eq "connections reset by the blind RST (tcp_closed_reset)" 0 "$(($(ctr tcp_closed_reset) - cr0))"
	fi
	stop_synack
done

[ "$FAILS" -eq 0 ] || [ -n "${KEEP_TMP:-}" ] || echo "(KEEP_TMP=1 keeps $tmp: synack logs, JSON, captures)"
finish "netns_http $PMD"
