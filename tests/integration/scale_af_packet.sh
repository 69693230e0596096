#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# scale_af_packet.sh SYNACK_BINARY
#
# Software dispatch against the kernel: synack serves HTTP on a veth end
# through AF_PACKET with qpairs=1 and run.lcores = 4 (four workers on the
# machine's 2 CPUs), so dispatch = auto picks software dispatch (worker 0
# polls the socket and spreads by the symmetric 4-tuple hash). The kernel's
# curl (20 requests, one connection each) and ab (3000 requests, 10
# concurrent, a connection each) all get 200; the start line says "dispatch
# software (4 workers)"; every worker accepted connections (>= 10% each:
# a quarter is expected), every accepted connection was
# answered (sum http_resp_200 == requests made) and no worker counts
# drop_tcp_no_conn or drop_dispatch_full. Only 198.18.0.0/15, in private
# namespaces. Needs root. Exit 0 pass, 1 fail, 77 skip.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 SYNACK_BINARY" >&2; exit 2; }
SYNACK=$1
[ -x "$SYNACK" ] || { echo "FAIL: synack binary '$SYNACK' not executable"; exit 1; }
require_root_netns
for tool in curl ab ethtool; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed"
done

make_tmp
setup_netns
# (lib.sh unsets the proxy variables: kexec curl goes straight to synack)

W=4
SLOG=$tmp/synack.log
SJSON=$tmp/synack.jsonl
SYNACK_NS=(ip netns exec "$NS_SYN")
start_server synack 20 -c config/server-af_packet.ini \
	--set "port0.dev=net_af_packet0,iface=$IF_SYN,qpairs=1" --set "port0.ip=$SYN_IP/$PREFIX" \
	--set "run.lcores=$W" --set run.duration=120s --set run.quiet=on
if grep -q "^port0: dispatch software ($W workers)" "$SLOG"; then
	echo "ok: port0 reported as dispatch software ($W workers)"
else
	fail "no 'port0: dispatch software ($W workers)' line"
fi
wait_reachable "$NS_KRN" "$SYN_IP" 10 || log "warning: $SYN_IP not answering ping yet"

ok=0
for _ in $(seq 1 20); do
	code=$(kexec curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$SYN_IP/" || true)
	[ "$code" = 200 ] && ok=$((ok + 1))
done
expect_eq "curl: 200 answers of 20" 20 "$ok"
N=3000
kexec ab -q -n $N -c 10 "http://$SYN_IP/" >"$tmp/ab.out" 2>&1 || true
expect_eq "ab: complete requests" $N "$(awk '/^Complete requests:/ {print $3}' "$tmp/ab.out")"
expect_eq "ab: failed requests" 0 "$(awk '/^Failed requests:/ {print $3}' "$tmp/ab.out")"
log "ab: $(grep -m1 'Requests per second' "$tmp/ab.out" || echo 'no rate')"

stop_pid "$SPID" 15
expect_eq "synack exit code after SIGTERM" 0 "$STOP_RC"
code=$(cat <<'PYEOF'
n = int(args[0])
bad = []
nw = int(args[1])
if len(ws) != nw: bad.append("%d workers, want %d" % (len(ws), nw))
resp = sum(w(i, "http_resp_200") for i in range(len(ws)))
if resp != n: bad.append("http_resp_200 %d != %d requests" % (resp, n))
for i in range(len(ws)):
    if w(i, "tcp_accepted") < n // 10: bad.append("worker %d accepted only %d" % (i, w(i, "tcp_accepted")))
    for k in ("drop_tcp_no_conn", "drop_dispatch_full"):
        if w(i, k): bad.append("worker %d %s %d" % (i, k, w(i, k)))
print(("FAIL " + "; ".join(bad)) if bad else
      "ok " + " ".join("w%d accepted %d" % (i, w(i, "tcp_accepted")) for i in range(len(ws))))
PYEOF
)
out=$(pyjson "$SJSON" "$code" $((N + 20)) "$W")
case "$out" in
ok*) echo "ok: per worker: ${out#ok }" ;;
*) fail "${out#FAIL }"; dump_logs "$SLOG" ;;
esac

finish scale_af_packet
