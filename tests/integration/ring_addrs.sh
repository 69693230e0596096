#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# ring_addrs.sh SYNACK_BINARY
#
# Several local addresses per port ([portN] ip_count) over net_ring, mode
# both (config/demo.ini), no root:
#  1. cc needing more connections than one address's ports allow: 100 source
#     ports (50000-50099) x 4 client addresses (198.18.0.10-13) -> 400 held
#     connections, a request every 100 ms, 2000 requests. Exit 0, status done
#     (the model ends once its gen_active gauge is back to 0), 0 errors; the
#     gauge reaches 400 and all 400 are closed by the client (gen_done)
#     once the count was reached; the server's access
#     log shows requests from each of the 4 addresses and no other, from
#     100 source ports each; the summary's memory object counts the peak
#     of 800 TCBs (client and server on one worker).
#  2. The same with ip_count = 1: at most 100 connections held, port
#     exhaustion counted (gen_err_ports) -- what ip_count lifts.
#  3. Config errors: a range leaving the subnet and one over the gateway
#     exit 2 naming FILE:port0:ip_count.
# Exit 0 pass, 1 fail.
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
# run_synack NAME TIMEOUT_S ARGS... (lib.sh): bounded, on demo.ini.
SYNACK_ARGS=(-c "$CFG")

# pyj NAME CODE: python CODE with s (summary), iv (intervals), c (counters).
pyj() { pyjson "$tmp/$1.jsonl" "$2"; }
# peak NAME GAUGE: the largest value of GAUGE over the interval lines (strict).
peak() { pyj "$1" "print(max(harness.Counters(o['gauges'], 'gauges t=%s' % o['t'])['$2'] for o in iv))"; }

COMMON=(--set port0.ip=198.18.0.10/24 --set client.model=cc --set client.ports=50000-50099
	--set client.interval=100ms --set client.count=2000 --set run.duration=20s
	--set run.report_interval=100ms --set server.access_log="$tmp/access.log")

# ------------------------------------------------ 1. 4 addresses x 100 ports
log "1. cc 400 connections from 4 addresses x 100 ports"
run_synack four 40 "${COMMON[@]}" --set port0.ip_count=4 --set client.concurrency=400
b=$FAILS
expect_eq "four: exit code" 0 "$RUN_RC"
expect_eq "four: summary status" "done" "$(jsonq "$tmp/four.jsonl" summary status)"
expect_eq "four: errors (sum of gen_err_*)" 0 \
	"$(gen_errors "$tmp/four.jsonl")"
expect_eq "four: peak gen_active" 400 \
	"$(peak four gen_active)"
# done only once gen_active is back to 0: every connection closed by the client
expect_eq "four: gen_done (connections closed after the count)" 400 \
	"$(counter "$tmp/four.jsonl" gen_done)"
expect_ge "four: server tcp_accepted" 400 "$(counter "$tmp/four.jsonl" tcp_accepted)"
expect_eq "four: client gen_resp_rx == server http_resp_200" \
	"$(counter "$tmp/four.jsonl" http_resp_200)" \
	"$(counter "$tmp/four.jsonl" gen_resp_rx)"
if grep -q "port[0-9]*: 4 addresses 198.18.0.10-198.18.0.13" "$tmp/four.out"; then
	echo "ok: four: start line names the 4 addresses"
else
	fail "four: no 'port0: 4 addresses 198.18.0.10-198.18.0.13' line"
fi
# access log: time, client ip:port, server ip:port, method, path, status, bytes
addrs=$(awk '{split($2, a, ":"); print a[1]}' "$tmp/access.log" | sort | uniq -c | sort -k2 |
	awk '{printf "%s=%s ", $2, $1}')
echo "info: four: requests per client address: $addrs"
expect_eq "four: client addresses in the access log" \
	"198.18.0.10 198.18.0.11 198.18.0.12 198.18.0.13" \
	"$(awk '{split($2, a, ":"); print a[1]}' "$tmp/access.log" | sort -u | xargs)"
# each address held its 100 connections: 100 distinct ports each
for a in 10 11 12 13; do
	expect_eq "four: distinct source ports of 198.18.0.$a" 100 \
		"$(awk -v ip="198.18.0.$a" '{split($2, p, ":"); if (p[1] == ip) print p[2]}' \
			"$tmp/access.log" | sort -u | wc -l)"
done
# memory per connection: the peak counts client and server TCBs (one worker)
expect_ge "four: summary memory.peak_conns" 800 "$(jsonq "$tmp/four.jsonl" summary memory.peak_conns)"
expect_ge "four: summary memory.est_bytes_per_conn" 192 \
	"$(jsonq "$tmp/four.jsonl" summary memory.est_bytes_per_conn)"
if grep -qE "^memory: peak [0-9]+ connections" "$tmp/four.out"; then
	echo "ok: four: memory line printed"
else
	fail "four: no 'memory: peak N connections' line"
fi
[ "$FAILS" -eq "$b" ] || show_logs four

# ------------------------------------------------ 2. one address: capped
log "2. the same with ip_count = 1: 100 connections at most"
rm -f "$tmp/access.log"
run_synack one 40 "${COMMON[@]}" --set port0.ip_count=1 --set client.concurrency=400
b=$FAILS
expect_eq "one: exit code" 0 "$RUN_RC"
expect_eq "one: peak gen_active" 100 \
	"$(peak one gen_active)"
expect_ge "one: gen_err_ports (source pairs exhausted)" 1 \
	"$(counter "$tmp/one.jsonl" gen_err_ports)"
[ "$FAILS" -eq "$b" ] || show_logs one

# ------------------------------------------------ 3. config errors
log "3. ranges leaving the subnet or covering the gateway are refused"
rc=0
"$SYNACK" -c "$CFG" --set port0.ip=198.18.0.250/24 --set port0.ip_count=8 \
	>"$tmp/bad1.out" 2>"$tmp/bad1.err" || rc=$?
expect_eq "leaving the subnet: exit code" 2 "$rc"
if grep -q "^--set:port0:ip_count: 8 addresses from 198.18.0.250 leave 198.18.0.0/24" "$tmp/bad1.err"; then
	echo "ok: leaving the subnet: error names port0:ip_count"
else
	fail "leaving the subnet: unexpected error: $(cat "$tmp/bad1.err")"
fi
rc=0
"$SYNACK" -c "$CFG" --set port0.ip=198.18.0.10/24 --set port0.gateway=198.18.0.12 \
	--set port0.ip_count=4 >"$tmp/bad2.out" 2>"$tmp/bad2.err" || rc=$?
expect_eq "over the gateway: exit code" 2 "$rc"
if grep -q "port0:ip_count: the 4 addresses 198.18.0.10-198.18.0.13 include the gateway" "$tmp/bad2.err"; then
	echo "ok: over the gateway: error names port0:ip_count"
else
	fail "over the gateway: unexpected error: $(cat "$tmp/bad2.err")"
fi

finish ring_addrs
