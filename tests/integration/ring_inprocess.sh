#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# ring_inprocess.sh SYNACK_BINARY
#
# Proves the in-process self-test (config/ping-ring.ini: client and server workers
# in one process over a net_ring link) is exact: a bounded ping run of 20000
# echo requests ends by itself with exit 0, every request is received and
# answered once (per worker and in total), ARP resolves, nothing is lost or
# bad -- with two lcores and with one lcore polling both ports. Also that a
# bad config value exits 2 naming file:section:key, and that a target nobody
# answers fails the run (exit 1, summary status "failed...").
# Needs no root and no NIC. Exit 0 pass, 1 fail.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 SYNACK_BINARY" >&2; exit 2; }
SYNACK=$1
[ -x "$SYNACK" ] || { echo "FAIL: synack binary '$SYNACK' not executable"; exit 1; }
CFG=config/ping-ring.ini
[ -f "$CFG" ] || { echo "FAIL: $CFG not found (run from the source root)"; exit 1; }

make_tmp
COUNT=20000
# run_synack NAME TIMEOUT_S ARGS... (lib.sh): bounded; RUN_RC, $tmp/NAME.out,
# .err, .jsonl.

# check_exact_run NAME JSON: the assertions of a bounded ping run.
check_exact_run() {
	local name=$1 j=$2 before=$FAILS
	local c s
	expect_eq "$name: exit code" 0 "$RUN_RC"
	expect_eq "$name: summary status" "done" "$(jsonq "$j" summary status)"
	expect_eq "$name: counters.icmp_echo_tx" $COUNT "$(counter "$j" icmp_echo_tx)"
	expect_eq "$name: counters.icmp_echo_rx" $COUNT "$(counter "$j" icmp_echo_rx)"
	expect_eq "$name: counters.icmp_echo_reply_tx" $COUNT \
		"$(counter "$j" icmp_echo_reply_tx)"
	expect_eq "$name: counters.icmp_reply_rx" $COUNT "$(counter "$j" icmp_reply_rx)"
	expect_eq "$name: counters.icmp_reply_bad" 0 "$(counter "$j" icmp_reply_bad)"
	expect_eq "$name: counters.icmp_lost" 0 "$(counter "$j" icmp_lost)"
	expect_ge "$name: counters.arp_resolved" 1 "$(counter "$j" arp_resolved)"
	expect_eq "$name: counters.arp_resolve_fail" 0 \
		"$(counter "$j" arp_resolve_fail)"
	echo "info: $name: summary drops=$(jsonq "$j" summary drops)"
	# Per worker: the client worker (label " c0/") and the server worker
	# (label " s1/"). With one lcore a single worker may carry both roles.
	local cw sw
	cw=$(jsonq "$j" worker " c0/" label)
	sw=$(jsonq "$j" worker " s1/" label)
	if [ -z "$cw" ] || [ -z "$sw" ]; then
		fail "$name: workers[] lacks a label with ' c0/' (got '$cw') or ' s1/' (got '$sw'): $(jsonq "$j" summary workers)"
	else
		echo "ok: $name: client worker '$cw', server worker '$sw'"
		c=$(counter "$j" icmp_echo_tx --worker " c0/")
		s=$(counter "$j" icmp_echo_rx --worker " s1/")
		if [ "$cw" != "$sw" ]; then
			expect_eq "$name: client worker icmp_echo_tx" $COUNT "$c"
			expect_eq "$name: server worker icmp_echo_rx" $COUNT "$s"
			expect_eq "$name: server worker icmp_echo_reply_tx" $COUNT \
				"$(counter "$j" icmp_echo_reply_tx --worker " s1/")"
			expect_eq "$name: client worker icmp_reply_rx" $COUNT \
				"$(counter "$j" icmp_reply_rx --worker " c0/")"
			expect_ge "$name: client worker arp_resolved" 1 \
				"$(counter "$j" arp_resolved --worker " c0/")"
		fi
		expect_eq "$name: server worker icmp_echo_rx == client worker icmp_echo_tx" "$c" "$s"
	fi
	if [ "$FAILS" -ne "$before" ]; then
		show_logs "$name"
	fi
}

# 1. Two lcores: one client worker, one server worker.
log "run 1: ping-ring.ini, $COUNT echo requests, 2 lcores"
start=$(date +%s)
run_synack two 35 -c "$CFG" --set client.count=$COUNT --set run.duration=30s
echo "run 1 took $(($(date +%s) - start)) s"
check_exact_run two "$tmp/two.jsonl"

# 2. One lcore polling both ports.
log "run 2: ping-ring.ini, $COUNT echo requests, 1 lcore"
start=$(date +%s)
run_synack one 35 -c "$CFG" --set client.count=$COUNT --set run.duration=30s \
	--set run.lcores=1
echo "run 2 took $(($(date +%s) - start)) s"
check_exact_run one "$tmp/one.jsonl"

# 3. A bad value from the command line: exit 2, the error names where it came
# from (--set) and the section and key.
log "run 3: --set run.lcores=abc"
run_synack badcfg 20 -c "$CFG" --set run.lcores=abc
expect_eq "bad config: exit code" 2 "$RUN_RC"
if grep -q '^--set:run:lcores: "abc" is not a number' "$tmp/badcfg.err"; then
	echo "ok: bad config: $(grep -m1 '^--set:run:lcores:' "$tmp/badcfg.err")"
else
	fail "bad config: expected a stderr line starting with '--set:run:lcores:'"
	show_logs badcfg
fi

# 3b. The same bad value written in a file: the error names that file.
sed 's/^lcores *=.*/lcores   = abc/' "$CFG" >"$tmp/bad.ini"
run_synack badfile 20 -c "$tmp/bad.ini"
expect_eq "bad config in a file: exit code" 2 "$RUN_RC"
if grep -q "^$tmp/bad.ini:run:lcores:" "$tmp/badfile.err"; then
	echo "ok: bad config in a file: $(grep -m1 "^$tmp/bad.ini:run:lcores:" "$tmp/badfile.err")"
else
	fail "bad config in a file: expected a stderr line starting with '$tmp/bad.ini:run:lcores:'"
	show_logs badfile
fi

# 3c. Two applications claiming one port: exit 2 before EAL starts (no "EAL
# args" line), the error names both keys -- one clash lib/config sees (the
# iperf3 server on an HTTP port), one only the plan sees (the udp model's
# flows on the UDP echo port of the same worker: one lcore in mode both).
log "run 3c: two applications on one port"
run_synack clash_tcp 20 -c "$CFG" --set server.listen=80,5201 --set iperf.listen=5201
expect_eq "TCP port clash: exit code" 2 "$RUN_RC"
if grep -q '^--set:iperf:listen: 5201 is also in server.listen' "$tmp/clash_tcp.err"; then
	echo "ok: TCP port clash: $(head -n1 "$tmp/clash_tcp.err")"
else
	fail "TCP port clash: expected '--set:iperf:listen: 5201 is also in server.listen'"
	show_logs clash_tcp
fi
run_synack clash_udp 20 -c "$CFG" --set run.lcores=1 --set client.model=udp \
	--set client.target=198.18.0.2:7 \
	--set udp.echo=7 --set client.ports=7-100 --set client.flows=4
expect_eq "UDP port clash: exit code" 2 "$RUN_RC"
if grep -q "^$CFG:client:ports: UDP port 7 is also claimed by udp:echo" "$tmp/clash_udp.err"; then
	echo "ok: UDP port clash: $(head -n1 "$tmp/clash_udp.err")"
else
	fail "UDP port clash: expected '$CFG:client:ports: UDP port 7 is also claimed by udp:echo'"
	show_logs clash_udp
fi
for r in clash_tcp clash_udp; do
	if grep -q 'EAL args' "$tmp/$r.out"; then
		fail "$r: the config error was found after EAL started"
	fi
done

# 3d. What does not clash runs together: one worker in mode both runs the
# udp model against UDP echo beside the iperf3 server (which owns UDP 5201
# for its tests) and the HTTP responder; every datagram comes back.
log "run 3d: udp model + UDP echo + iperf3 server + HTTP on one worker"
run_synack together 30 -c "$CFG" --set run.lcores=1 --set client.model=udp \
	--set client.target=198.18.0.2:7 --set udp.echo=7 --set iperf.listen=5201 \
	--set server.listen=80 --set client.count=2000 --set client.echo=on \
	--set run.duration=20s
expect_eq "together: exit code" 0 "$RUN_RC"
expect_eq "together: summary status" "done" "$(jsonq "$tmp/together.jsonl" summary status)"
expect_eq "together: udp_gen_tx" 2000 "$(counter "$tmp/together.jsonl" udp_gen_tx)"
expect_eq "together: udp_echo_tx" 2000 "$(counter "$tmp/together.jsonl" udp_echo_tx)"
expect_eq "together: udp_gen_rx" 2000 "$(counter "$tmp/together.jsonl" udp_gen_rx)"
if ! grep -q '^iperf: server on port 5201' "$tmp/together.out"; then
	fail "together: the iperf3 server did not start beside the udp model"
	show_logs together
fi

# 4. Nobody at the target: ARP never resolves, the run fails.
log "run 4: target 198.18.0.9 (nobody there)"
run_synack noone 25 -c "$CFG" --set client.target=198.18.0.9 --set run.duration=5s \
	--set pool.arp_retries=3
expect_eq "unreachable target: exit code" 1 "$RUN_RC"
st=$(jsonq "$tmp/noone.jsonl" summary status)
case "$st" in
failed*) echo "ok: unreachable target: summary status '$st'" ;;
*)
	fail "unreachable target: expected summary status starting with 'failed', got '$st'"
	show_logs noone
	;;
esac

finish ring_inprocess
