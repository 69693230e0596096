#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# scale_ring.sh SYNACK_BINARY
#
# Software dispatch over net_ring (config/demo.ini, mode both), 4 workers
# mapped by synack's derived --lcores onto this machine's CPUs (2 here):
# port0 (client) and port1 (server) have one queue each (queues = 1), so
# dispatch = auto picks software dispatch: the port's first worker polls it
# and spreads frames by the symmetric 4-tuple hash over SP/SC rings to the
# two workers of the port; each client worker picks only source ports whose
# hash selects itself. Checks:
#  1. the start lines say "dispatch software (2 workers)" for both ports;
#  2. cps, count 20000: exit 0, status done, 0 gen_err_*, totals match
#     between client and server (gen_done == sum of server tcp_accepted ==
#     20000, gen_resp_rx == http_resp_200), both client workers and both
#     server workers did work (each >= 20% of the total: the hash spreads);
#  3. affinity, per worker (summary workers[]): client workers have no
#     tcp_accepted, server workers no gen_done; no worker has
#     drop_dispatch_full or drop_tx_full; drop_tcp_no_conn is 0 (a segment
#     reaching a worker that does not own its flow would be counted there)
#     -- unless the run retransmitted (a loaded VM can stall a spinning
#     lcore past an RTO; a retransmission for a closed connection is then a
#     legitimate no_conn), in which case it is reported, not failed;
#  4. dispatch = software set explicitly gives the same split;
#  5. model udp with echo (config/udp-ring.ini), same 4 workers, count
#     200000 over 8 flows per worker: each client worker picks the ports
#     whose hash selects its own slot, so each flow stays on one worker on
#     both ports: per slot k, client worker k's udp_gen_tx == udp_gen_rx ==
#     server slot k's udp_echo_tx; no udp_gen_bad, udp_lost, drop_udp_no_port
#     (an echo reaching another client worker would land on a port not bound
#     there), drop_dispatch_full;
#  6. model throughput (config/bulk-ring.ini), direction both, 8 connections
#     for 3 s: per slot k, client worker k's gen_conn_ok == 4 == server slot
#     k's bulk_accepted, bytes sent and acknowledged on one side == sunk on
#     the other, both ways, every worker moved data, no drop_tcp_no_conn
#     (same retransmission proviso as 3);
#  7. cps to three targets, 198.18.0.2:80, 198.18.0.2:8080 and 198.18.0.3:80
#     (the server listens on 80 and 8080 on its two addresses, port1.ip_count
#     = 2): the dispatch hash covers the 4-tuple, so each client worker must
#     pick every pair for the target it goes to (one source pool per
#     target). Checks 2 and 3 as above (no drop_tcp_no_conn: a reply that
#     reached another worker would be counted there), and the server's
#     access log (one line per request, with the server address:port each
#     came to) shows each of the three targets served at least 20% of them;
#  8. model udp with echo to three targets (198.18.0.2:7, 198.18.0.2:9000,
#     198.18.0.3:7; [udp] echo = 7, 9000), checks as in 5: towards each
#     target each flow leaves from a port whose echo comes back to its
#     worker, else echoes would be lost or land on another worker.
# Needs no root and no NIC. Exit 0 pass, 1 fail.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 SYNACK_BINARY" >&2; exit 2; }
SYNACK=$1
[ -x "$SYNACK" ] || { echo "FAIL: synack binary '$SYNACK' not executable"; exit 1; }
CFG=config/demo.ini
[ -f "$CFG" ] || { echo "FAIL: $CFG not found (run from the source root)"; exit 1; }

make_tmp

# run NAME SECS ARGS...: run_synack on $RCFG (default $CFG).
run() {
	local name=$1 secs=$2
	shift 2
	run_synack "$name" "$secs" -c "${RCFG:-$CFG}" "$@"
}

# check NAME COUNT: the checks 2 and 3 on $tmp/NAME.jsonl.
check() {
	local name=$1 count=$2 out
	expect_eq "$name: exit code" 0 "$RUN_RC"
	expect_eq "$name: summary status" "done" "$(jsonq "$tmp/$name.jsonl" summary status)"
	local code
	code=$(cat <<'EOF'
n = int(args[0])
bad = []
cli = [i for i in range(len(ws)) if w(i, "tcp_syn_tx") > 0 or " c" in ws[i]["label"]]
srv = [i for i in range(len(ws)) if i not in cli]
if len(ws) != 4 or len(cli) != 2 or len(srv) != 2:
    bad.append("workers: %d (%d client, %d server), want 4 (2, 2)" % (len(ws), len(cli), len(srv)))
errs = {k: v for k, v in c.items() if k.startswith("gen_err_") and v}
if errs: bad.append("errors %s" % errs)
gd = sum(w(i, "gen_done") for i in cli)
acc = sum(w(i, "tcp_accepted") for i in srv)
if gd != n: bad.append("client gen_done %d != %d" % (gd, n))
if acc != n: bad.append("server tcp_accepted %d != %d" % (acc, n))
if c["gen_resp_rx"] != c["http_resp_200"]:
    bad.append("gen_resp_rx %s != http_resp_200 %s" % (c["gen_resp_rx"], c["http_resp_200"]))
for i in cli:
    if w(i, "tcp_accepted"): bad.append("client worker %d accepted %d" % (i, w(i, "tcp_accepted")))
    if w(i, "gen_done") < n // 5: bad.append("client worker %d did %d of %d" % (i, w(i, "gen_done"), n))
for i in srv:
    if w(i, "gen_done"): bad.append("server worker %d gen_done %d" % (i, w(i, "gen_done")))
    if w(i, "tcp_accepted") < n // 5: bad.append("server worker %d accepted %d of %d" % (i, w(i, "tcp_accepted"), n))
for i in range(len(ws)):
    for k in ("drop_dispatch_full", "drop_tx_full"):
        if w(i, k): bad.append("worker %d %s %d" % (i, k, w(i, k)))
nc = sum(w(i, "drop_tcp_no_conn") for i in range(len(ws)))
rt = sum(w(i, "tcp_retrans") for i in range(len(ws)))
note = ""
if nc:
    if rt:
        note = " (drop_tcp_no_conn %d after %d retransmissions: stalled lcores, reported only)" % (nc, rt)
    else:
        bad.append("drop_tcp_no_conn %d with no retransmission: a flow reached a worker that does not own it" % nc)
split = " ".join("%s:%d" % (ws[i]["label"], w(i, "gen_done") or w(i, "tcp_accepted")) for i in range(len(ws)))
print(("FAIL " + "; ".join(bad)) if bad else ("ok " + split + note))
EOF
)
	out=$(pyjson "$tmp/$name.jsonl" "$code" "$count")
	case "$out" in
	ok*) echo "ok: $name: ${out#ok }" ;;
	*) fail "$name: ${out#FAIL }"; tail -n 60 "$tmp/$name.out" ;;
	esac
}

C=20000
log "1. cps $C over net_ring, 4 workers, queues = 1: dispatch auto -> software"
run auto 90 --set run.lcores=4 --set port0.queues=1 --set port1.queues=1 \
	--set client.model=cps --set client.count=$C --set run.duration=60s --set run.quiet=on
for p in 0 1; do
	if grep -q "^port$p: dispatch software (2 workers)" "$tmp/auto.out"; then
		echo "ok: auto: port$p reported as dispatch software (2 workers)"
	else
		fail "auto: no 'port$p: dispatch software (2 workers)' line"
		head -n 20 "$tmp/auto.out"
	fi
done
check auto $C

log "2. cps $C, dispatch = software set explicitly"
run sw 90 --set run.lcores=4 --set port0.dispatch=software --set port1.dispatch=software \
	--set client.model=cps --set client.count=$C --set run.duration=60s --set run.quiet=on
check sw $C

log "3. dispatch = rss with queues = 1 and 4 workers is refused"
rc=0
"$SYNACK" -c "$CFG" --set run.lcores=4 --set port0.queues=1 --set port0.dispatch=rss \
	>"$tmp/rss.out" 2>&1 || rc=$?
expect_eq "rss with one queue: exit code (usage)" 2 "$rc"

# check_model NAME udp|bulk: checks 5 or 6 on $tmp/NAME.jsonl (mode both,
# 4 workers: port0 slots 0, 1 are workers 0, 1; port1 slots 0, 1 are 2, 3).
check_model() {
	local name=$1 kind=$2 out
	expect_eq "$name: exit code" 0 "$RUN_RC"
	expect_eq "$name: summary status" "done" "$(jsonq "$tmp/$name.jsonl" summary status)"
	local code
	code=$(cat <<'EOF'
kind = args[0]
bad = []
if [x["label"] for x in ws] != ["w0 c0/0", "w1 c0/0", "w2 s1/0", "w3 s1/0"]:
    bad.append("labels %s" % [x["label"] for x in ws])
    print("FAIL " + "; ".join(bad)); sys.exit(0)
for k in range(4):
    for d in ("drop_dispatch_full", "drop_udp_no_port"):
        if w(k, d): bad.append("worker %d %s %d" % (k, d, w(k, d)))
split = []
if kind == "udp":
    for k in (0, 1):
        tx, rx, echo = w(k, "udp_gen_tx"), w(k, "udp_gen_rx"), w(2 + k, "udp_echo_tx")
        if tx != 100000: bad.append("client worker %d sent %d, want 100000" % (k, tx))
        if rx != tx: bad.append("client worker %d: %d echoes for %d sent" % (k, rx, tx))
        if echo != tx: bad.append("server slot %d echoed %d, client slot %d sent %d" % (k, echo, k, tx))
        for d in ("udp_gen_bad", "udp_lost"):
            if w(k, d): bad.append("client worker %d %s %d" % (k, d, w(k, d)))
        split.append("slot %d: sent %d echoed %d received %d" % (k, tx, echo, rx))
else:
    for k in (0, 1):
        ok, acc = w(k, "gen_conn_ok"), w(2 + k, "bulk_accepted")
        if ok != 4 or acc != 4:
            bad.append("slot %d: client connections %d, server accepted %d, want 4 and 4" % (k, ok, acc))
        up, down = w(k, "gen_bulk_tx"), w(k, "gen_bulk_rx")
        if up == 0 or down == 0: bad.append("client worker %d moved up %d down %d" % (k, up, down))
        sunk, src = w(2 + k, "bulk_sink_bytes"), w(2 + k, "bulk_src_bytes")
        if sunk != up or src != down:
            bad.append("slot %d: up %d sunk %d, down %d sourced %d" % (k, up, sunk, down, src))
        split.append("slot %d: %d conns, up %d down %d" % (k, ok, up, down))
    errs = {k: v for k, v in c.items() if k.startswith("gen_err_") and v}
    if errs: bad.append("errors %s" % errs)
    nc = c["drop_tcp_no_conn"]
    if nc and not c["tcp_retrans"]:
        bad.append("drop_tcp_no_conn %d with no retransmission" % nc)
print(("FAIL " + "; ".join(bad)) if bad else ("ok " + "; ".join(split)))
EOF
)
	out=$(pyjson "$tmp/$name.jsonl" "$code" "$kind")
	case "$out" in
	ok*) echo "ok: $name: ${out#ok }" ;;
	*) fail "$name: ${out#FAIL }"; tail -n 60 "$tmp/$name.out"; cat "$tmp/$name.err" ;;
	esac
}

log "5. model udp with echo over software dispatch, 4 workers, 200000 datagrams"
RCFG=config/udp-ring.ini run udp 120 --set run.lcores=4 --set port0.queues=1 \
	--set port1.queues=1 --set client.count=200000 --set client.flows=8 \
	--set run.duration=90s --set run.quiet=on
check_model udp udp

log "6. model throughput, direction both, 8 connections over software dispatch, 3 s"
RCFG=config/bulk-ring.ini run bulk 60 --set run.lcores=4 --set port0.queues=1 \
	--set port1.queues=1 --set client.direction=both --set client.concurrency=8 \
	--set run.duration=3s --set run.quiet=on
check_model bulk bulk

log "7. cps $C to three targets (two ports, two server addresses), software dispatch"
T3=198.18.0.2:80,198.18.0.2:8080,198.18.0.3:80
run multi 90 --set run.lcores=4 --set port0.queues=1 --set port1.queues=1 \
	--set port1.ip_count=2 --set server.listen=80,8080 --set client.target=$T3 \
	--set client.model=cps --set client.count=$C --set run.duration=60s --set run.quiet=on \
	--set "server.access_log=$tmp/multi.access"
check multi $C
# access log: time, client ip:port, server ip:port, method, path, status, bytes, worker
lines=$(wc -l <"$tmp/multi.access" 2>/dev/null || echo 0)
expect_eq "multi: access log lines" "$C" "$lines"
for t in ${T3//,/ }; do
	n=$(awk -v t="$t" '$3 == t' "$tmp/multi.access" | wc -l)
	if [ "$n" -ge $((C / 5)) ]; then
		echo "ok: multi: target $t served $n of $C"
	else
		fail "multi: target $t served $n of $C, want >= $((C / 5))"
	fi
done

log "8. model udp with echo to three targets over software dispatch, 200000 datagrams"
RCFG=config/udp-ring.ini run udp3 120 --set run.lcores=4 --set port0.queues=1 \
	--set port1.queues=1 --set port1.ip_count=2 --set udp.echo=7,9000 \
	--set client.target=198.18.0.2:7,198.18.0.2:9000,198.18.0.3:7 \
	--set client.count=200000 --set client.flows=8 --set run.duration=90s --set run.quiet=on
check_model udp3 udp

finish scale_ring
