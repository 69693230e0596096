#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# client_ring.sh SYNACK_BINARY
#
# Proves synack's client mode (the HTTP load generator) against synack's own
# server in one process over a net_ring link (config/demo.ini, mode both):
#  1. Every load model, for a bounded run: cps (20000 connections), cps
#     handshake only (request = none), cps closing with RST, cc (200 held
#     connections, a request every 50 ms), rps closed loop (50 connections,
#     50000 requests), rps pipelined 4 deep, rps open loop (20000/s). Each
#     exits 0 with status "done" and 0 errors (every gen_err_*); the client's
#     completed requests equal the server's responses (gen_resp_rx ==
#     http_resp_200; handshakes only: gen_done == tcp_accepted); the latency
#     histograms are populated and ordered (min <= p50 <= p90 <= p99 <=
#     p99.9 <= max); afterwards the tcp_open gauge is small. An open-loop
#     rps run bounded by count ends by itself; an idle keep-alive
#     connection ACKs its response (no retransmissions on a lossless link).
#  2. cps at rate 5000 with a 2 s ramp-up: the per-second JSON shows the ramp
#     (the line at ~1 s is 20%..80% of the rate) and then 5000 +/- 2% every
#     second.
#  3. Source-port exhaustion (100 ports, 1 s TIME-WAIT) and a full TCP table
#     (tcp.max_conns = 64, concurrency 500) are counted (gen_err_ports,
#     gen_err_table or a capped concurrency), reported, and do not crash or
#     fail the run; ports are reused only after TIME-WAIT.
#  4. Stop conditions: max_p99 (the smallest the config accepts) ends the run
#     with exit 1 and a status naming max_p99; a target nobody answers ends
#     it with exit 1, status "failed...", and gen_err_connect > 0.
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
# run_synack NAME TIMEOUT_S ARGS... (lib.sh) runs synack on demo.ini,
# bounded; RUN_RC, $tmp/NAME.out, .err, .jsonl.
SYNACK_ARGS=(-c "$CFG")

# pyj NAME CODE: runs python CODE with `s` = the summary object, `iv` = the
# interval objects, `c` = the summary counters of $tmp/NAME.jsonl; CODE
# prints. Prints nothing when the file has no summary.
pyj() { pyjson "$tmp/$1.jsonl" "$2"; }

# The sum of every gen_err_* counter in the summary (strict).
errors_of() { gen_errors "$tmp/$1.jsonl"; }
# The non-zero gen_err_* counters, for messages.
errors_detail() { gen_errors_detail "$tmp/$1.jsonl"; }
# q NAME COUNTER: a summary counter of run NAME, strictly.
q() { counter "$tmp/$1.jsonl" "$2"; }

# check_hists NAME HIST...: each histogram has count > 0 and ordered
# percentiles.
check_hists() {
	local name=$1 h out
	shift
	for h in "$@"; do
		out=$(pyj "$name" "
h = s.get('latency_us', {}).get('$h')
if h is None:
    print('absent')
else:
    keys = ['min', 'p50', 'p90', 'p99', 'p99.9', 'p99.99', 'max']
    v = [h.get(k) for k in keys]
    if h.get('count', 0) <= 0:
        print('empty: count %s' % h.get('count'))
    elif any(x is None for x in v) or any(a > b for a, b in zip(v, v[1:])):
        print('unordered: ' + ' '.join('%s=%s' % kv for kv in zip(keys, v)))
    else:
        print('ok count=%d min=%.1f p50=%.1f p99=%.1f max=%.1f' % (h['count'], h['min'], h['p50'], h['p99'], h['max']))
")
		case "$out" in
		ok*) echo "ok: $name: histogram $h populated and ordered ($out)" ;;
		*) fail "$name: histogram $h: ${out:-no summary}" ;;
		esac
	done
}

# check_common NAME CONC: exit 0, status done, 0 errors, tcp_open small
# after the run (tolerant: at most 4 x CONC + 64 entries -- client and
# server TCBs of the connections in flight plus the 1 ms TIME-WAITs).
check_common() {
	local name=$1 conc=$2 open
	expect_eq "$name: exit code" 0 "$RUN_RC"
	expect_eq "$name: summary status" "done" "$(jsonq "$tmp/$name.jsonl" summary status)"
	local e
	e=$(errors_of "$name")
	if [ "$e" = 0 ]; then
		echo "ok: $name: 0 errors (sum of gen_err_*)"
	else
		fail "$name: expected 0 errors, got '${e}' ($(errors_detail "$name"))"
	fi
	if ! has_interval "$tmp/$name.jsonl"; then
		echo "note: $name: no interval line (run shorter than report_interval)"
		return 0
	fi
	open=$(jsonq "$tmp/$name.jsonl" interval gauges.tcp_open)
	if [ "$open" -le $((4 * conc + 64)) ]; then
		echo "ok: $name: tcp_open in the last interval = $open (<= $((4 * conc + 64)))"
	else
		fail "$name: tcp_open in the last interval = $open, expected <= $((4 * conc + 64))"
	fi
}

# check_equal_resp NAME BOUND: client's completed requests == server's
# responses. BOUND 0 = exact (a run bounded by count ends only when every
# response is in); else a duration-bounded run may stop with at most BOUND
# responses sent by the server and not yet read by the client.
check_equal_resp() {
	local name=$1 bound=$2 cr sr
	cr=$(q "$name" gen_resp_rx)
	sr=$(q "$name" http_resp_200)
	if [ "$bound" = 0 ]; then
		expect_eq "$name: client gen_resp_rx == server http_resp_200 ($sr)" "$sr" "$cr"
	elif [[ "$cr" =~ ^[0-9]+$ ]] && [[ "$sr" =~ ^[0-9]+$ ]] &&
		[ "$sr" -ge "$cr" ] && [ $((sr - cr)) -le "$bound" ]; then
		echo "ok: $name: client gen_resp_rx $cr, server http_resp_200 $sr ($((sr - cr)) in flight at the stop, <= $bound)"
	else
		fail "$name: client gen_resp_rx '$cr' vs server http_resp_200 '$sr' (allowed: server - client in 0..$bound)"
	fi
	expect_ge "$name: gen_resp_2xx" 1 "$(q "$name" gen_resp_2xx)"
	expect_eq "$name: gen_resp_2xx == gen_resp_rx" "$cr" \
		"$(q "$name" gen_resp_2xx)"
}

# Short reports, so that even sub-second runs leave interval lines.
RI=(--set run.report_interval=200ms)

# ------------------------------------------------------------ 1. the models
C=20000
log "1a. cps: $C connections, one GET each"
run_synack cps 40 "${RI[@]}" --set client.model=cps --set client.count=$C --set run.duration=30s
b=$FAILS
check_common cps 100
check_equal_resp cps 0
expect_eq "cps: gen_conn_tx" $C "$(q cps gen_conn_tx)"
expect_eq "cps: gen_done" $C "$(q cps gen_done)"
expect_eq "cps: gen_resp_rx" $C "$(q cps gen_resp_rx)"
expect_eq "cps: server tcp_accepted" $C "$(q cps tcp_accepted)"
expect_eq "cps: gen_body_rx (64 bytes each)" $((C * 64)) "$(q cps gen_body_rx)"
check_hists cps handshake ttfb response conn
[ "$FAILS" -eq "$b" ] || show_logs cps

log "1b. cps, request = none: $C handshakes"
run_synack none 40 "${RI[@]}" --set client.model=cps --set client.request=none --set client.count=$C \
	--set run.duration=30s
b=$FAILS
check_common none 100
expect_eq "none: gen_done" $C "$(q none gen_done)"
# The server must have seen every handshake the client completed: a run
# in mode both ends with the client's last ACKs processed by the server.
acc=$(q none tcp_accepted)
gd=$(q none gen_done)
if [ "$acc" = "$gd" ]; then
	echo "ok: none: gen_done == server tcp_accepted == $gd"
else
	fail "none: gen_done $gd != server tcp_accepted '$acc' (the client's last handshake ACKs were still on the link when the run ended: mode both does not let the server drain them)"
fi
expect_eq "none: gen_req_tx" 0 "$(q none gen_req_tx)"
expect_eq "none: server http_req" 0 "$(q none http_req)"
check_hists none handshake conn
[ "$FAILS" -eq "$b" ] || show_logs none

log "1c. cps, close = rst: $C connections"
run_synack rst 40 "${RI[@]}" --set client.model=cps --set client.close=rst --set client.count=$C \
	--set run.duration=30s
b=$FAILS
check_common rst 100
check_equal_resp rst 0
expect_eq "rst: gen_done" $C "$(q rst gen_done)"
expect_ge "rst: tcp_rst_tx (client closes with RST)" $C "$(q rst tcp_rst_tx)"
# RST close: no TIME-WAIT on the client side
tw=$(q rst tcp_time_wait)
if [[ "$tw" =~ ^[0-9]+$ ]] && [ "$tw" -lt $((C / 10)) ]; then
	echo "ok: rst: tcp_time_wait = $tw (RST close skips TIME-WAIT)"
else
	fail "rst: tcp_time_wait = '$tw', expected near 0 with close = rst"
fi
check_hists rst handshake ttfb response conn
[ "$FAILS" -eq "$b" ] || show_logs rst

log "1d. cc: 200 connections held, a request every 50 ms, 3 s"
run_synack cc 25 "${RI[@]}" --set client.model=cc --set client.concurrency=200 --set client.interval=50ms \
	--set run.duration=3s
b=$FAILS
check_common cc 200
check_equal_resp cc 200
expect_eq "cc: gen_conn_ok (held, never reopened)" 200 "$(q cc gen_conn_ok)"
expect_eq "cc: gen_active in the last interval" 200 "$(jsonq "$tmp/cc.jsonl" interval gauges.gen_active)"
# Never faster than its interval: at most one request per connection per
# 50 ms of the run (the summary's t) plus the first; at least one response
# per held connection. (How close to 200 x 20/s it gets is bench's figure.)
r=$(q cc gen_resp_rx)
t=$(jsonq "$tmp/cc.jsonl" summary t)
max=$("$PY" -c "import sys; print(int(200 * (float(sys.argv[1]) * 20 + 1)))" "$t")
if [[ "$r" =~ ^[0-9]+$ ]] && [ "$r" -ge 200 ] && [ "$r" -le "$max" ]; then
	echo "ok: cc: $r responses in $t s (200..$max: 200 conns, one request per 50 ms at most)"
else
	fail "cc: gen_resp_rx '$r' in $t s, expected 200..$max (200 conns, one request per 50 ms at most)"
fi
check_hists cc handshake ttfb response
[ "$FAILS" -eq "$b" ] || show_logs cc

R=50000
log "1e. rps closed loop: 50 connections, $R requests"
run_synack rps 40 "${RI[@]}" --set client.model=rps --set client.concurrency=50 --set client.count=$R \
	--set run.duration=30s
b=$FAILS
check_common rps 50
check_equal_resp rps 0
expect_eq "rps: gen_resp_rx" $R "$(q rps gen_resp_rx)"
expect_eq "rps: gen_req_tx" $R "$(q rps gen_req_tx)"
expect_eq "rps: gen_conn_ok (keep-alive)" 50 "$(q rps gen_conn_ok)"
check_hists rps handshake ttfb response
[ "$FAILS" -eq "$b" ] || show_logs rps

log "1f. rps pipelined 4 deep: 50 connections, $R requests"
run_synack pipe 40 "${RI[@]}" --set client.model=rps --set client.concurrency=50 --set client.pipeline=4 \
	--set client.count=$R --set run.duration=30s
b=$FAILS
check_common pipe 50
check_equal_resp pipe 0
expect_eq "pipe: gen_resp_rx" $R "$(q pipe gen_resp_rx)"
expect_eq "pipe: gen_conn_ok (keep-alive)" 50 "$(q pipe gen_conn_ok)"
check_hists pipe handshake ttfb response
[ "$FAILS" -eq "$b" ] || show_logs pipe

log "1g. rps open loop: 20000 requests/s over 50 connections, 4 s"
run_synack open 25 "${RI[@]}" --set client.model=rps --set client.concurrency=50 --set client.rate=20000 \
	--set run.duration=4s
b=$FAILS
check_common open 50
check_equal_resp open 50
# Open loop: never faster than 20000 requests per second of the run (the
# summary's t, which includes the stop), +2% and one burst of 50. How close
# to the rate a loaded machine gets is bench's figure, not an assertion.
r=$(q open gen_req_tx)
t=$(jsonq "$tmp/open.jsonl" summary t)
max=$("$PY" -c "import sys; print(int(20000 * float(sys.argv[1]) * 1.02) + 50)" "$t")
if [[ "$r" =~ ^[0-9]+$ ]] && [ "$r" -ge 1 ] && [ "$r" -le "$max" ]; then
	echo "ok: open: $r requests in $t s (<= $max: the pacer holds 20000/s)"
else
	fail "open: gen_req_tx '$r' in $t s, expected 1..$max (20000/s +2%)"
fi
check_hists open handshake ttfb response
[ "$FAILS" -eq "$b" ] || show_logs open

log "1h. rps open loop bounded by count: 20000 requests at 20000/s (must end by itself)"
run_synack opencnt 30 "${RI[@]}" --set client.model=rps --set client.concurrency=50 --set client.rate=20000 \
	--set client.count=20000 --set run.duration=20s
b=$FAILS
check_common opencnt 50
check_equal_resp opencnt 0
expect_eq "opencnt: gen_resp_rx" 20000 "$(q opencnt gen_resp_rx)"
t=$(jsonq "$tmp/opencnt.jsonl" summary t)
# "by itself": before its 20 s duration (which count, not time, decides)
if "$PY" -c "import sys; sys.exit(0 if float(sys.argv[1]) < 19 else 1)" "$t"; then
	echo "ok: opencnt: the run ended by itself at t = $t s (count reached, connections closed)"
else
	fail "opencnt: the run did not end by itself once its 20000 requests were answered (t = '$t' of 20 s; gen_active in the last interval $(jsonq "$tmp/opencnt.jsonl" interval gauges.gen_active))"
fi
[ "$FAILS" -eq "$b" ] || show_logs opencnt

# A lossless link: each response is ACKed (delayed ACK, 40 ms) long before
# the server's retransmission timeout (>= 200 ms), even when the client has
# nothing to send for 500 ms. Two lcores, so the server's counters are its own.
log "1i. cc: 10 connections, a request every 500 ms, 4 s, 2 lcores: responses ACKed, not retransmitted"
run_synack ccidle 25 "${RI[@]}" --set client.model=cc --set client.concurrency=10 --set client.interval=500ms \
	--set run.duration=4s --set run.lcores=2
b=$FAILS
check_common ccidle 10
check_equal_resp ccidle 10
r=$(q ccidle gen_resp_rx)
rt=$(jsonq "$tmp/ccidle.jsonl" worker " s1/" counters.tcp_retrans)
if [[ "$r" =~ ^[0-9]+$ ]] && [[ "$rt" =~ ^[0-9]+$ ]] && [ "$r" -ge 40 ] && [ $((rt * 10)) -le "$r" ]; then
	echo "ok: ccidle: server retransmitted $rt segments for $r responses (<= 10%)"
else
	fail "ccidle: server tcp_retrans '$rt' for '$r' responses on a lossless link (client delayed ACK never sent? client tcp_delack $(jsonq "$tmp/ccidle.jsonl" worker " c0/" counters.tcp_delack), drop_tcp_window $(jsonq "$tmp/ccidle.jsonl" worker " c0/" counters.drop_tcp_window))"
fi
[ "$FAILS" -eq "$b" ] || show_logs ccidle

# ---------------------------------------------------------- 2. rate, ramp-up
log "2. cps rate 5000, ramp_up 2s, 8 s, 1 lcore"
run_synack ramp 30 --set client.model=cps --set client.rate=5000 --set client.ramp_up=2s \
	--set run.duration=8s --set run.lcores=1 --set run.report_interval=200ms
b=$FAILS
check_common ramp 100
check_equal_resp ramp 100
# Counter-based: the connections opened by each interval line (cumulative
# gen_conn_tx at its t) never exceed what the ramp allows: the integral of a
# rate rising linearly from 0 to 5000/s over 2 s, then flat (t^2/4 * 5000
# before 2 s, 5000 * (t - 1) after), +2% and a burst of 100. A ramp
# ignored would open 5000 * t (5000 by 1 s instead of 1250). That the rate
# is reached (5000 +/- 2% each second) is a wall-clock figure: bench.
code=$(cat <<'EOF'
R, ramp = 5000.0, 2.0
def allowed(t):
    return R * t * t / (2 * ramp) if t < ramp else R * (t - ramp / 2)
bad, pts = [], []
for o in iv:
    t, n = o["t"], harness.Counters(o["counters"], "interval t=%s" % o["t"])["gen_conn_tx"]
    pts.append("%.1f:%d" % (t, n))
    if n > allowed(t) * 1.02 + 100:
        bad.append("%.1f s: %d > %d" % (t, n, allowed(t) * 1.02 + 100))
tot, ts = c["gen_conn_tx"], s["t"]
if tot > allowed(ts) * 1.02 + 100:
    bad.append("summary t %.2f: %d > %d" % (ts, tot, allowed(ts) * 1.02 + 100))
if len(iv) < 10:
    bad.append("only %d interval lines" % len(iv))
print("series " + " ".join(pts))
print(("FAIL " + "; ".join(bad)) if bad else "ok %d interval lines and the summary within the ramp, %d connections in %.2f s" % (len(iv), tot, ts))
EOF
)
out=$(pyj ramp "$code")
echo "info: ramp: cumulative gen_conn_tx $(echo "$out" | sed -n 's/^series //p')"
verdict=$(echo "$out" | grep -v '^series ' || true)
case "$verdict" in
ok*) echo "ok: ramp: ${verdict#ok }" ;;
*) fail "ramp: ${verdict#FAIL }" ;;
esac
expect_ge "ramp: gen_conn_ok (it ran)" 1 "$(q ramp gen_conn_ok)"
[ "$FAILS" -eq "$b" ] || show_logs ramp

# ------------------------------------------- 3. port exhaustion, full table
log "3a. source ports 50000-50099, TIME-WAIT 1 s, cps as fast as it goes, 3 s"
run_synack ports 25 "${RI[@]}" --set client.model=cps --set client.ports=50000-50099 \
	--set tcp.time_wait=1s --set run.duration=3s
b=$FAILS
expect_eq "ports: exit code" 0 "$RUN_RC"
expect_eq "ports: summary status" "done" "$(jsonq "$tmp/ports.jsonl" summary status)"
expect_ge "ports: gen_err_ports" 1 "$(q ports gen_err_ports)"
expect_ge "ports: gen_resp_rx (still some completed)" 100 "$(q ports gen_resp_rx)"
check_equal_resp ports 100
# A port is reused only after its TIME-WAIT: 100 ports x (3 s / 1 s + 1).
ct=$(q ports gen_conn_tx)
if [[ "$ct" =~ ^[0-9]+$ ]] && [ "$ct" -le 400 ]; then
	echo "ok: ports: gen_conn_tx = $ct (<= 400: ports reused only after TIME-WAIT)"
else
	fail "ports: gen_conn_tx = '$ct', expected <= 400 with 100 ports and a 1 s TIME-WAIT"
fi
for k in gen_err_connect gen_err_rst gen_err_timeout gen_err_bad_resp gen_err_closed gen_err_table; do
	expect_eq "ports: $k" 0 "$(q ports $k)"
done
[ "$FAILS" -eq "$b" ] || show_logs ports

# check_table NAME: a full table is counted (or caps the concurrency), the
# run ends normally.
check_table() {
	local name=$1 et maxact
	expect_eq "$name: exit code" 0 "$RUN_RC"
	expect_eq "$name: summary status" "done" "$(jsonq "$tmp/$name.jsonl" summary status)"
	et=$(q "$name" gen_err_table)
	maxact=$(pyj "$name" 'print(max([o["gauges"]["gen_active"] for o in iv] or [0]))')
	if [[ "$et" =~ ^[0-9]+$ ]] && [ "$et" -gt 0 ]; then
		echo "ok: $name: gen_err_table = $et (max gen_active $maxact)"
	elif [[ "$maxact" =~ ^[0-9]+$ ]] && [ "$maxact" -le 64 ]; then
		echo "ok: $name: concurrency capped at $maxact (<= 64)"
	else
		fail "$name: neither gen_err_table > 0 ('$et') nor gen_active <= 64 (max '$maxact')"
	fi
	expect_ge "$name: gen_resp_rx (some completed)" 1 "$(q "$name" gen_resp_rx)"
	check_equal_resp "$name" 64
	echo "info: $name: gen_conn_tx $(q "$name" gen_conn_tx), errors $(errors_detail "$name")"
}

log "3b. tcp.max_conns 64, concurrency 500, 3 s, 1 lcore (client and server share the table)"
run_synack table 25 "${RI[@]}" --set client.model=cps --set tcp.max_conns=64 --set client.concurrency=500 \
	--set run.duration=3s --set run.lcores=1
b=$FAILS
check_table table
[ "$FAILS" -eq "$b" ] || show_logs table

log "3c. tcp.max_conns 64, concurrency 500, 3 s, 2 lcores (a table each)"
run_synack table2 25 "${RI[@]}" --set client.model=cps --set tcp.max_conns=64 --set client.concurrency=500 \
	--set run.duration=3s --set run.lcores=2
b=$FAILS
check_table table2
[ "$FAILS" -eq "$b" ] || show_logs table2

# ----------------------------------------------------- 4. stop conditions
log "4a. max_p99 = 1us"
run_synack p99us 20 --set client.max_p99=1us --set run.duration=5s
p99=1us
if [ "$RUN_RC" = 2 ]; then
	# The key takes ms, s, m, h: 1us is refused, naming the key.
	if grep -q '^--set:client:max_p99:' "$tmp/p99us.err"; then
		echo "ok: max_p99=1us refused (exit 2): $(grep -m1 '^--set:client:max_p99:' "$tmp/p99us.err")"
	else
		fail "max_p99=1us: exit 2 without a '--set:client:max_p99:' error"
		show_logs p99us
	fi
	p99=1ms
	log "4a. max_p99 = $p99 (the smallest the config accepts); rps, 2000 connections so the p99 is well above"
	run_synack p99 20 --set client.max_p99=$p99 --set client.model=rps --set client.concurrency=2000 \
		--set run.duration=5s
	name=p99
else
	name=p99us
fi
b=$FAILS
expect_eq "max_p99=$p99: exit code" 1 "$RUN_RC"
st=$(jsonq "$tmp/$name.jsonl" summary status)
case "$st" in
failed*max_p99*) echo "ok: max_p99=$p99: status '$st'" ;;
*) fail "max_p99=$p99: expected a status 'failed ... max_p99 ...', got '$st'" ;;
esac
t=$(jsonq "$tmp/$name.jsonl" summary t)
if [ -n "$t" ] && "$PY" -c "import sys; sys.exit(0 if float('$t') < 4.5 else 1)"; then
	echo "ok: max_p99=$p99: the run stopped early (t = $t s of 5 s)"
else
	fail "max_p99=$p99: expected the run to stop before its 5 s, summary t = '$t'"
fi
[ "$FAILS" -eq "$b" ] || show_logs "$name"

log "4b. target 198.18.0.9:80 (nobody there), syn_retries 1, 5 s"
run_synack noone 25 "${RI[@]}" --set client.target=198.18.0.9:80 --set tcp.syn_retries=1 --set run.duration=5s
b=$FAILS
expect_eq "unreachable: exit code" 1 "$RUN_RC"
st=$(jsonq "$tmp/noone.jsonl" summary status)
# On-link and nobody there: ARP fails first, so no SYN ever leaves; the run
# fails saying so. (SYN timeouts with ARP answered: client_nginx's port 81.)
case "$st" in
"failed: target 198.18.0.9 did not answer ARP") echo "ok: unreachable: summary status '$st'" ;;
*) fail "unreachable: expected status 'failed: target 198.18.0.9 did not answer ARP', got '$st'" ;;
esac
expect_ge "unreachable: arp_resolve_fail" 1 "$(q noone arp_resolve_fail)"
expect_eq "unreachable: gen_conn_ok" 0 "$(q noone gen_conn_ok)"
echo "info: unreachable: gen_conn_tx $(q noone gen_conn_tx), arp_resolve_fail $(q noone arp_resolve_fail), errors $(errors_detail noone)"
[ "$FAILS" -eq "$b" ] || show_logs noone

finish client_ring
