#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# scale_memif.sh SYNACK_BINARY
#
# Queue pairs over net_memif, two processes: a synack server
# (config/memif-server.ini) and a synack client (config/memif-client.ini),
# each with run.lcores = 4 mapped by synack's derived --lcores onto this
# machine's CPUs (2 here), port0.dispatch = rss, so the memif port has 4
# queues on both ends. net_memif has no hash: the client's TX queue i is
# ring C2S i, which is the server's RX queue i (and S2C i back), so each
# flow stays on worker i on both sides without any steering. The socket is
# private to this run ($tmp). Ten spinning lcores share the 2 CPUs (and
# whatever else runs here), so a worker can wait seconds for a CPU: the
# response timeout is 60 s (the default 10 s was hit under load 12). Checks:
#  0. dispatch = auto on memif with 4 workers stays software dispatch (memif
#     cannot tell how many queues the peer has);
#  1. both ends print "queues 4" and "dispatch queue pairs (4 workers)";
#  2. cps, count 20000: client status done; the client lingers
#     (run.linger: workers stopped, ports up) until the server, stopped by
#     SIGTERM, has left, then exits 0 by itself ("every link is down"): the
#     22.11 memif PMD unmaps the rings under any lcore still polling when the
#     peer leaves, so the side that stops last must not be polling; server
#     exit 0;
#  3. totals equal: client gen_done == gen_resp_rx == server tcp_accepted ==
#     http_resp_200 == 20000, no gen_err_*;
#  4. per worker: client worker i's tcp_connected == server worker i's
#     tcp_accepted, every worker of both sides did work;
#  5. per connection: the server's access log has 20000 lines, and the line
#     of each connection names the server worker whose index is the client
#     worker that owns the source port (worker c has ports lo + c*span ..);
#  6. drops: drop_tcp_no_conn 0 on both sides (a segment reaching a worker
#     that does not own its flow would be counted there) unless the run
#     retransmitted (stalled lcores, reported only); no drop_dispatch_full;
#     no drop_tx_full on the client; on the server at most its gratuitous
#     ARPs (sent at start, before the client connected the link).
# Needs no root and no NIC (memif over a unix socket, --no-huge). Exit 0
# pass, 1 fail, 77 skip (net_memif PMD missing).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 SYNACK_BINARY" >&2; exit 2; }
SYNACK=$1
[ -x "$SYNACK" ] || { echo "FAIL: synack binary '$SYNACK' not executable"; exit 1; }
SCFG=config/memif-server.ini
CCFG=config/memif-client.ini
for f in "$SCFG" "$CCFG"; do
	[ -f "$f" ] || { echo "FAIL: $f not found (run from the source root)"; exit 1; }
done

make_tmp
trap cleanup EXIT
trap 'exit 130' INT TERM

C=20000
W=4
PORT_LO=10000
PORT_HI=49999
SOCK=$tmp/memif-$$.sock

# start_server NAME [--set ...]: the server in the background, $SPID; waits
# for its start lines (port up) or its exit.
SPID=""
start_server() {
	local name=$1
	shift
	"$SYNACK" -c "$SCFG" --set "port0.dev=net_memif0,role=server,socket=$SOCK,id=0" \
		--set run.lcores=$W --set run.duration=300s --set run.quiet=on \
		--json "$tmp/$name.jsonl" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	SPID=$!
	track_pid "$SPID"
	wait_for_line "$tmp/$name.out" "synack: mode server" 60 "$SPID"
}

log "0. dispatch = auto on memif with $W workers: software dispatch"
if ! start_server auto; then
	cat "$tmp/auto.out" "$tmp/auto.err"
	grep -q "no such ethdev" "$tmp/auto.err" && skip "net_memif did not come up (PMD missing?)"
	fail "auto: the server did not start"
	exit 1
fi
if grep -q "^port0: dispatch software ($W workers)" "$tmp/auto.out"; then
	echo "ok: auto: port0 reported as dispatch software ($W workers)"
else
	fail "auto: no 'port0: dispatch software ($W workers)' line"
	head -n 20 "$tmp/auto.out"
fi
stop_pid "$SPID" 10
expect_eq "auto: server exit code after SIGTERM" 0 "$STOP_RC"
rm -f "$SOCK"

log "1. cps $C over net_memif, $W workers each side, dispatch = rss (queue pairs)"
start_server server --set port0.dispatch=rss --set "server.access_log=$tmp/access.log" ||
	{ fail "server did not start"; cat "$tmp/server.out" "$tmp/server.err"; exit 1; }
"$SYNACK" -c "$CCFG" --set "port0.dev=net_memif0,role=client,socket=$SOCK,id=0" \
	--set run.lcores=$W --set port0.dispatch=rss --set client.model=cps \
	--set client.count=$C --set run.duration=100s --set run.quiet=on \
	--set client.ports=$PORT_LO-$PORT_HI --set run.linger=60s --set client.timeout=60s \
	--json "$tmp/client.jsonl" >"$tmp/client.out" 2>"$tmp/client.err" &
CPID=$!
track_pid "$CPID"
if ! wait_for_line "$tmp/client.out" "synack: linger: ports up" 120 "$CPID"; then
	fail "client did not reach its linger phase within 120 s (bounded run did not end?)"
fi
# the client's workers are stopped: the server leaves first, then the client
stop_pid "$SPID" 10
SRC=$STOP_RC
for _ in $(seq 1 200); do
	kill -0 "$CPID" 2>/dev/null || break
	sleep 0.1
done
CRC=0
if kill -0 "$CPID" 2>/dev/null; then
	fail "client still lingering 20 s after the server left"
	stop_pid "$CPID" 10
	CRC=timeout
else
	wait "$CPID" || CRC=$?
fi
if grep -q "^synack: linger: every link is down (the peer left)" "$tmp/client.out"; then
	echo "ok: client: linger ended when the server left"
else
	fail "client: no 'linger: every link is down' line"
	tail -n 5 "$tmp/client.out"
fi

for side in server client; do
	if grep -q "^port0 net_memif0 (net_memif) .* queues $W " "$tmp/$side.out" &&
		grep -q "^port0: dispatch queue pairs ($W workers)" "$tmp/$side.out"; then
		echo "ok: $side: port0 has $W queues, dispatch queue pairs ($W workers)"
	else
		fail "$side: no 'queues $W' / 'dispatch queue pairs ($W workers)' start lines"
		head -n 20 "$tmp/$side.out"
	fi
done
expect_eq "client exit code" 0 "$CRC"
expect_eq "client summary status" "done" "$(jsonq "$tmp/client.jsonl" summary status)"
expect_eq "server exit code after SIGTERM" 0 "$SRC"
expect_eq "server summary status" interrupted "$(jsonq "$tmp/server.jsonl" summary status)"

out=$("$PY" - "$tmp/client.jsonl" "$tmp/server.jsonl" "$tmp/access.log" "$C" "$W" \
	"$PORT_LO" "$PORT_HI" <<'EOF'
import sys
import harness      # strict: a counter name that does not exist raises
try:
    _, cs = harness.load_jsonl(sys.argv[1])
    _, ss = harness.load_jsonl(sys.argv[2])
except harness.CounterError as e:
    print("FAIL %s" % e)
    sys.exit(0)
n, nw, lo, hi = (int(x) for x in sys.argv[4:8])
if not cs or not ss:
    print("FAIL no summary (client %s, server %s)" % (bool(cs), bool(ss)))
    sys.exit(0)
bad = []
cw, sw = cs.get("workers", []), ss.get("workers", [])
if len(cw) != nw or len(sw) != nw:
    bad.append("workers: client %d, server %d, want %d each" % (len(cw), len(sw), nw))
    print("FAIL " + "; ".join(bad))
    sys.exit(0)
cc = harness.counters(sys.argv[1])
sc = harness.counters(sys.argv[2])
CW = [harness.Counters(x["counters"], "client worker %s" % x["label"]) for x in cw]
SW = [harness.Counters(x["counters"], "server worker %s" % x["label"]) for x in sw]
def c(ws, i, k): return (CW if ws is cw else SW)[i][k]
# 3. totals
errs = cc.nonzero("gen_err_")
cc.sum_prefix("gen_err_")   # the group exists
if errs: bad.append("client errors %s" % errs)
for name, got in (("client gen_done", cc["gen_done"]),
                  ("client gen_resp_rx", cc["gen_resp_rx"]),
                  ("server tcp_accepted", sc["tcp_accepted"]),
                  ("server http_resp_200", sc["http_resp_200"])):
    if got != n: bad.append("%s %d != %d" % (name, got, n))
# 4. per worker, i <-> i
for i in range(nw):
    if cw[i]["label"] != "w%d c0/%d" % (i, i) or sw[i]["label"] != "w%d s0/%d" % (i, i):
        bad.append("labels %r %r" % (cw[i]["label"], sw[i]["label"]))
    a, b = c(cw, i, "tcp_connected"), c(sw, i, "tcp_accepted")
    if a != b: bad.append("client worker %d connected %d != server worker %d accepted %d" % (i, a, i, b))
    if a == 0 or b == 0: bad.append("worker %d idle (client %d, server %d)" % (i, a, b))
# 5. every connection: the server worker is the client worker of its source port
span = (hi - lo + 1) // nw
lines = [l.split() for l in open(sys.argv[3]) if l.strip()]
if len(lines) != n: bad.append("access log: %d lines, want %d" % (len(lines), n))
per = [0] * nw
cross = 0
for f in lines:
    port = int(f[1].rsplit(":", 1)[1])
    wk = int(f[-1][1:])
    owner = (port - lo) // span
    if wk != owner:
        cross += 1
    if 0 <= wk < nw: per[wk] += 1
if cross: bad.append("%d connections served by a server worker other than the client's" % cross)
for i in range(nw):
    if per[i] != c(sw, i, "tcp_accepted"):
        bad.append("access log worker %d: %d lines, accepted %d" % (i, per[i], c(sw, i, "tcp_accepted")))
# 6. drops
rt = sum(c(ws, i, "tcp_retrans") for ws in (cw, sw) for i in range(nw))
nc = sum(c(ws, i, "drop_tcp_no_conn") for ws in (cw, sw) for i in range(nw))
note = ""
if nc:
    if rt:
        note = " (drop_tcp_no_conn %d after %d retransmissions: stalled lcores, reported only)" % (nc, rt)
    else:
        bad.append("drop_tcp_no_conn %d with no retransmission: a flow reached a worker that does not own it" % nc)
for side, ws in (("client", cw), ("server", sw)):
    for i in range(nw):
        if c(ws, i, "drop_dispatch_full"):
            bad.append("%s worker %d drop_dispatch_full %d" % (side, i, c(ws, i, "drop_dispatch_full")))
        txf = c(ws, i, "drop_tx_full")
        allowed = c(ws, i, "arp_garp_tx") if side == "server" else 0
        if txf > allowed:
            bad.append("%s worker %d drop_tx_full %d" % (side, i, txf))
split = " ".join("w%d:%d/%d" % (i, c(cw, i, "tcp_connected"), c(sw, i, "tcp_accepted")) for i in range(nw))
print(("FAIL " + "; ".join(bad)) if bad else ("ok client/server per worker " + split + note))
EOF
) || out="FAIL the check itself failed (its error is above)"
case "$out" in
ok*) echo "ok: ${out#ok }" ;;
*)
	fail "${out#FAIL }"
	tail -n 50 "$tmp/client.out" "$tmp/server.out"
	;;
esac

finish scale_memif
