#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# netns_multi.sh SYNACK_BINARY
#
# One synack worker (run.lcores = 1, mode server) on net_af_packet on a veth
# end serves four applications at once, and stock kernel tools in the other
# namespace get their answers from it in the same run:
#  1. HTTP ([server] listen = 80, body_size 1000): curl gets 200 and the
#     body byte-exact (the 37-byte line pattern cut at 1000 bytes, sha256);
#  2. iperf3 ([iperf] listen = 5201): a stock `iperf3 -c -t 2 -J` exits 0,
#     its JSON shows bytes sent > 0 and received == sent;
#  3. UDP echo ([udp] echo = 7): socat sends one 512-byte datagram of random
#     bytes to port 7 and reads it back byte-equal (cmp);
#  4. the bulk server ([server] bulk = 9000, documented in lib/gen's bulk
#     protocol): a kernel socket uploads exactly 4 MiB and closes (synack
#     sinks them: nothing comes back); another sends the 8-byte "SYNB" +
#     GEN_BULK_RECV header, reads at least 2 MiB, closes its side and reads
#     to EOF: every byte is the pattern, sent in write_size (128 KiB)
#     chunks each of which is the shared pattern buffer's start (byte j of
#     a chunk = j mod 251).
# Then synack (SIGTERM, exit 0) writes its summary and the counters agree,
# read strictly (a counter name that does not exist fails the test):
# http_resp_200 == 1, udp_echo_tx == 1, iperf_test_ok == 1,
# bulk_accepted == 2, bulk_sink_bytes == 4 MiB, bulk_src_bytes == the bytes
# the kernel read, bulk_sourced == 1, tcp_accepted == 5 (curl 1, iperf3
# control + stream 2, bulk 2), and no drop_tcp_csum, drop_pool_empty,
# drop_multiseg, http_err_*, iperf_test_failed.
# Exit 0 pass, 1 fail, 77 skip (no root / ip netns).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 SYNACK_BINARY" >&2; exit 2; }
SYNACK=$1
[ -x "$SYNACK" ] || { echo "FAIL: synack binary '$SYNACK' not executable"; exit 1; }
CFG=config/server-af_packet.ini
[ -f "$CFG" ] || { echo "FAIL: $CFG not found (run from the source root)"; exit 1; }

require_root_netns
for tool in curl iperf3 socat ethtool timeout sha256sum cmp; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed"
done

PMD=af_packet
BODY=1000
BULK=9000
UP_BYTES=$((4 << 20))
DOWN_MIN=$((2 << 20))
WSIZE=$((128 << 10))

make_tmp
setup_netns
log "namespaces $NS_SYN ($IF_SYN, no IP) <-> $NS_KRN ($IF_KRN $KRN_IP/$PREFIX)"

SYNACK_NS=(ip netns exec "$NS_SYN")
SLOG=$tmp/synack.log
SJSON=$tmp/synack.jsonl
# ready once the iperf server says so (after the start line: every
# application is up)
READY_PATTERN="iperf: server on port 5201" start_server synack 30 -c "$CFG" \
	--set "port0.dev=net_af_packet0,iface=$IF_SYN,qpairs=1" --set "port0.ip=$SYN_IP/$PREFIX" \
	--set run.mode=server --set run.lcores=1 --set run.duration=120s \
	--set server.listen=80 --set "server.body_size=$BODY" --set "server.bulk=$BULK" \
	--set iperf.listen=5201 --set udp.echo=7 --set client.write_size=128k
log "synack up (pid $SPID): $(grep -m1 '^synack: mode' "$SLOG")"
if grep -q '^synack: mode server, 1 worker,' "$SLOG"; then
	echo "ok: one worker, mode server"
else
	fail "start line is not 'synack: mode server, 1 worker, ...': $(grep -m1 '^synack: mode' "$SLOG")"
fi
wait_reachable "$NS_KRN" "$SYN_IP" 10 || log "warning: $SYN_IP not answering ping yet"

# ------------------------------------------------------------- 1. HTTP
log "1. curl http://$SYN_IP/ (body $BODY bytes)"
rc=0
code=$(kexec timeout 20 curl -sS -m 10 -o "$tmp/http.body" -w '%{http_code}' "http://$SYN_IP/") || rc=$?
expect_eq "curl exit code" 0 "$rc"
expect_eq "curl HTTP status" 200 "$code"
expect_eq "curl body bytes" "$BODY" "$(stat -c %s "$tmp/http.body" 2>/dev/null || echo none)"
want=$(yes abcdefghijklmnopqrstuvwxyz0123456789 | head -c "$BODY" | sha256sum | cut -d' ' -f1) || true
expect_eq "curl body sha256 (the documented pattern)" "$want" \
	"$(sha256sum <"$tmp/http.body" | cut -d' ' -f1)"

# ------------------------------------------------------------- 2. iperf3
log "2. iperf3 -c $SYN_IP -t 2 -J"
rc=0
kexec timeout 40 iperf3 -c "$SYN_IP" -t 2 -J >"$tmp/iperf.json" 2>"$tmp/iperf.err" || rc=$?
expect_eq "iperf3 -c exit code" 0 "$rc"
[ "$rc" -eq 0 ] || { head -c 2000 "$tmp/iperf.json"; cat "$tmp/iperf.err"; }
ij() {
	"$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
		"$tmp/iperf.json" "$1" 2>"$tmp/ij.err" || { _strict_miss "iperf3 JSON $1: $(tail -n 1 "$tmp/ij.err")"; echo missing; }
}
sent=$(ij 'd["end"]["sum_sent"]["bytes"]')
recv=$(ij 'd["end"]["sum_received"]["bytes"]')
log "iperf3: sent $sent bytes, synack received $recv"
expect_ge "iperf3 end.sum_sent.bytes" 1 "$sent"
expect_eq "iperf3 end.sum_received.bytes == sum_sent.bytes" "$sent" "$recv"

# ---------------------------------------------------------- 3. UDP echo
log "3. socat: one 512-byte datagram to $SYN_IP:7"
head -c 512 /dev/urandom >"$tmp/udp.out"
rc=0
kexec timeout 10 socat -t 3 - "UDP:$SYN_IP:7" <"$tmp/udp.out" >"$tmp/udp.in" 2>"$tmp/socat.err" || rc=$?
expect_eq "socat exit code" 0 "$rc"
if cmp -s "$tmp/udp.out" "$tmp/udp.in"; then
	echo "ok: UDP echo: the 512 bytes came back byte-equal"
else
	fail "UDP echo: sent 512 bytes, got $(stat -c %s "$tmp/udp.in") back, not equal ($(cat "$tmp/socat.err"))"
fi

# ----------------------------------------------------------- 4. bulk
log "4. bulk server $SYN_IP:$BULK: upload $UP_BYTES bytes, then download >= $DOWN_MIN"
rc=0
out=$(kexec timeout 60 "$PY" - "$SYN_IP" "$BULK" "$UP_BYTES" "$DOWN_MIN" "$WSIZE" <<'EOF'
import socket, sys
ip, port, up, down_min, wsize = (sys.argv[1],) + tuple(int(x) for x in sys.argv[2:6])

# upload: any TCP sender's bytes are sunk (a stream whose first 8 bytes are
# not the header is data from its first byte)
s = socket.create_connection((ip, port), timeout=20)
chunk = bytes(range(256)) * 256                # 64 KiB, starts with 0 (not 'S')
left = up
while left:
    n = min(left, len(chunk))
    s.sendall(chunk[:n])
    left -= n
s.shutdown(socket.SHUT_WR)
back = 0
while True:
    b = s.recv(65536)
    if not b:
        break
    back += len(b)
s.close()
print("upload", up, back)

# download: "SYNB", GEN_BULK_RECV (2), three zero bytes; the server sources
# the pattern until our FIN, then closes: chunks of wsize bytes, each the
# shared buffer's start (byte j of a chunk = j % 251)
s = socket.create_connection((ip, port), timeout=20)
s.sendall(b"SYNB\x02\x00\x00\x00")
got = bad = 0
first_bad = -1
def check(b):
    global got, bad, first_bad
    for i, x in enumerate(b):
        if x != ((got + i) % wsize) % 251:
            bad += 1
            if first_bad < 0:
                first_bad = got + i
    got += len(b)
while got < down_min:
    b = s.recv(1 << 20)
    if not b:
        break
    check(b)
s.shutdown(socket.SHUT_WR)
while True:
    b = s.recv(1 << 20)
    if not b:
        break
    check(b)
s.close()
print("download", got, bad, first_bad)
EOF
) || rc=$?
printf "  kernel: %s\n" "$out"
expect_eq "bulk client (python) exit code" 0 "$rc"
read -r _ up_sent up_back <<<"$(echo "$out" | grep '^upload ' || echo 'upload x x')"
read -r _ down_got down_bad down_first <<<"$(echo "$out" | grep '^download ' || echo 'download x x x')"
expect_eq "bulk upload: bytes sent" "$UP_BYTES" "$up_sent"
expect_eq "bulk upload: bytes the sink sent back" 0 "$up_back"
expect_ge "bulk download: bytes read" "$DOWN_MIN" "$down_got"
expect_eq "bulk download: bytes not matching the pattern (first at $down_first)" 0 "$down_bad"

# ------------------------------------------------ 5. synack's own counters
stop_pid "$SPID" 15
expect_eq "synack exit code after SIGTERM" 0 "$STOP_RC"
if ! has_summary "$SJSON"; then
	dump_logs "$SLOG"
	fail "no summary in $SJSON"
	finish netns_multi
fi
q() { counter "$SJSON" "$1"; }
expect_eq "counters.http_resp_200 (one curl)" 1 "$(q http_resp_200)"
expect_eq "counters.udp_echo_tx (one datagram)" 1 "$(q udp_echo_tx)"
expect_eq "counters.iperf_test_ok (one iperf3 -c)" 1 "$(q iperf_test_ok)"
expect_eq "counters.iperf_test_failed" 0 "$(q iperf_test_failed)"
expect_eq "counters.bulk_accepted (upload + download)" 2 "$(q bulk_accepted)"
expect_eq "counters.bulk_sourced (the download)" 1 "$(q bulk_sourced)"
expect_eq "counters.bulk_sink_bytes == the kernel's upload" "$UP_BYTES" "$(q bulk_sink_bytes)"
expect_eq "counters.bulk_src_bytes == the bytes the kernel read" "$down_got" "$(q bulk_src_bytes)"
expect_eq "counters.tcp_accepted (curl 1 + iperf3 2 + bulk 2)" 5 "$(q tcp_accepted)"
for c in drop_tcp_csum drop_pool_empty drop_multiseg http_err_400 http_err_431 http_err_505; do
	expect_eq "counters.$c" 0 "$(q "$c")"
done
echo "info: nonzero counters: $("$PY" "$HARNESS" nonzero "$SJSON" tcp_,http_,udp_,iperf_,bulk_,drop_)"
[ "$FAILS" -eq 0 ] || dump_logs "$SLOG"
finish netns_multi
