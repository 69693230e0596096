#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# client_nginx.sh SYNACK_BINARY
#
# Proves synack's client mode (the HTTP load generator) against a real web
# server: Debian's nginx in a kernel namespace, synack in the other one on
# net_af_xdp over a veth pair (run.mode = client, 198.18.1.2 ->
# 198.18.1.1:80).
#  1. cps and rps (keep-alive; nginx closes every 1000th request's
#     connection, so the rps model must reopen), each for 5 s: nginx's
#     access-log line count equals synack's gen_resp_2xx, 0 errors. Runs
#     bounded by client.count (paced to ~5 s) must match exactly; runs as
#     fast as they go, bounded by duration, may leave at most `concurrency`
#     requests that nginx served and synack had not read yet.
#  2. A chunked response (nginx gzip on, the client sends Accept-Encoding:
#     gzip) is parsed and counted as 2xx, with no gen_err_bad_resp; curl and
#     a tshark capture confirm that nginx really answered chunked.
#  3. A 1 MiB response, 20 times: gen_body_rx == 20 x 1048576.
#  4. Against the kernel with netem loss 5% on its veth (a tc bpf program
#     from client_tc.bpf.c where the kernel lacks netem): every connection
#     attempted completes or is counted under an error cause
#     (gen_conn_tx == gen_done + connection errors), none hangs: the run
#     bounded by count ends by itself well before its duration (gen_active
#     drained to 0), the exit code agrees with the status.
#  5. A target port whose SYNs the kernel drops (tc bpf ingress filter):
#     gen_err_connect > 0, exit 1, status "failed...".
# Exit 0 pass, 1 fail, 77 skip (no root / tool / AF_XDP on this host).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 SYNACK_BINARY" >&2; exit 2; }
SYNACK=$1
[ -x "$SYNACK" ] || { echo "FAIL: synack binary '$SYNACK' not executable"; exit 1; }
CFG=config/server-af_xdp.ini
[ -f "$CFG" ] || { echo "FAIL: $CFG not found (run from the source root)"; exit 1; }

require_root_netns
for tool in nginx curl tshark tc ethtool timeout gzip; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed"
done
id www-data >/dev/null 2>&1 || skip "no www-data user (nginx workers run as it)"

DEV="net_af_xdp0,iface=$IF_SYN"

make_tmp
chmod 755 "$tmp"
setup_netns
# setup_netns turns tx/tso/gso off on both veth ends; GRO too, so that the
# capture and the kernel's TCP see synack's segments as they were sent.
ip netns exec "$NS_KRN" ethtool -K "$IF_KRN" gro off >/dev/null 2>&1 || true
log "namespaces $NS_SYN ($IF_SYN, no IP) <-> $NS_KRN ($IF_KRN $KRN_IP/$PREFIX)"
# run_synack (lib.sh) runs synack in its namespace
SYNACK_NS=(ip netns exec "$NS_SYN")

# ------------------------------------------------------------------ nginx
www=$tmp/www
mkdir -p "$www" "$tmp/nginx-tmp"
# A 2000-byte text page (gzip squeezes it; nginx then answers chunked to a
# client that accepts gzip) and a 1 MiB binary file.
"$PY" -c 'import sys; sys.stdout.write(("synack client test page " * 100)[:1999] + "\n")' >"$www/index.html"
head -c 1048576 /dev/urandom >"$www/big.bin"
chmod 755 "$www" "$tmp/nginx-tmp"
chmod 644 "$www/index.html" "$www/big.bin"
NGINX_PID_FILE=$tmp/nginx.pid
ACCESS=$tmp/access.log
cat >"$tmp/nginx.conf" <<EOF
# client_nginx.sh: a throwaway nginx in namespace $NS_KRN
user www-data;
worker_processes 1;
daemon off;
pid $NGINX_PID_FILE;
error_log $tmp/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log $ACCESS;
    client_body_temp_path $tmp/nginx-tmp/body;
    proxy_temp_path $tmp/nginx-tmp/proxy;
    fastcgi_temp_path $tmp/nginx-tmp/fastcgi;
    uwsgi_temp_path $tmp/nginx-tmp/uwsgi;
    scgi_temp_path $tmp/nginx-tmp/scgi;
    types { text/html html; text/plain txt; application/octet-stream bin; }
    default_type application/octet-stream;
    sendfile on;
    keepalive_timeout 65;
    gzip on;
    gzip_min_length 1;
    gzip_types text/plain text/html;
    server {
        listen $KRN_IP:80 backlog=4096;
        root $www;
        index index.html;
    }
}
EOF
chmod 644 "$tmp/nginx.conf"
kexec nginx -t -c "$tmp/nginx.conf" -p "$tmp" >"$tmp/nginx-t.log" 2>&1 || {
	cat "$tmp/nginx-t.log"
	echo "FAIL: nginx -t rejects the test's nginx.conf"
	exit 1
}
kexec nginx -c "$tmp/nginx.conf" -p "$tmp" >"$tmp/nginx-stdout.log" 2>&1 &
track_pid $!
for _ in $(seq 1 50); do
	[ -s "$NGINX_PID_FILE" ] && break
	sleep 0.1
done
[ -s "$NGINX_PID_FILE" ] || { cat "$tmp/nginx-error.log" 2>/dev/null; echo "FAIL: nginx did not start"; exit 1; }
NGINX_PID=$(cat "$NGINX_PID_FILE")
track_pid "$NGINX_PID"
# Stop nginx by its pid file's PID before the namespaces go.
stop_nginx() {
	if [ -n "${NGINX_PID:-}" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
		kill -QUIT "$NGINX_PID" 2>/dev/null || true
		for _ in $(seq 1 50); do
			kill -0 "$NGINX_PID" 2>/dev/null || break
			sleep 0.1
		done
	fi
}
# shellcheck disable=SC2154 # _rc is set inside the trap string
trap '_rc=$?; set +e; stop_nginx; (exit $_rc); cleanup' EXIT
log "nginx up (master pid $NGINX_PID) on $KRN_IP:80"
code=$(kexec curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$KRN_IP/") || true
expect_eq "nginx answers curl in its namespace" 200 "$code"

alog_lines() { if [ -f "$ACCESS" ]; then wc -l <"$ACCESS"; else echo 0; fi; }

# ------------------------------------------------------------------ synack
RUN_RC=""
RUN_NO=0
SKIP_OK=1 # the first run may skip (77) when AF_XDP cannot start

# The kernel namespace's TCP retransmissions so far (nginx's side).
krn_retrans() {
	kexec nstat -az TcpRetransSegs 2>/dev/null | awk '$1 == "TcpRetransSegs" {print $2; f=1} END {if (!f) print 0}'
}
KRN_RETRANS=0

# run_client NAME TIMEOUT_S ARGS...: synack as a client in $NS_SYN against
# nginx; bounded by TIMEOUT_S; sets RUN_RC; $tmp/NAME.log, $tmp/NAME.jsonl.
run_client() {
	local name=$1 secs=$2
	shift 2
	RUN_NO=$((RUN_NO + 1))
	local kr0
	kr0=$(krn_retrans)
	run_synack "$name" "$secs" -c "$CFG" \
		--set run.mode=client --set run.lcores=1 \
		--set "port0.dev=$DEV" --set "port0.ip=$SYN_IP/$PREFIX" \
		--set "client.target=$KRN_IP:80" --set run.report_interval=500ms "$@"
	cat "$tmp/$name.out" "$tmp/$name.err" >"$tmp/$name.log"
	if [ "$RUN_RC" = timeout ]; then
		dump_logs "$tmp/$name.log"
		return 0
	fi
	local kr1
	kr1=$(krn_retrans)
	KRN_RETRANS=$((kr1 - kr0))
	if [ "$SKIP_OK" = 1 ] && ! grep -q '^port0 ' "$tmp/$name.log" &&
		xdp_unavailable "$tmp/$name.log" "$RUN_RC"; then
		dump_logs "$tmp/$name.log"
		skip "synack could not open the AF_XDP port on $IF_SYN (exit 2, see log)"
	fi
	SKIP_OK=0
	echo "info: $name: exit $RUN_RC, status '$(jsonq "$tmp/$name.jsonl" summary status)', t $(jsonq "$tmp/$name.jsonl" summary t) s; synack tcp_retrans $(q "$name" tcp_retrans), kernel TcpRetransSegs +$KRN_RETRANS; arp_req_tx $(q "$name" arp_req_tx) arp_resolved $(q "$name" arp_resolved)"
}

# q NAME COUNTER: a summary counter of run NAME, strictly.
q() { counter "$tmp/$1.jsonl" "$2"; }
# errors_of NAME: "SUM DETAIL" of the gen_err_* counters (strict).
errors_of() { echo "$(gen_errors "$tmp/$1.jsonl") $(gen_errors_detail "$tmp/$1.jsonl")"; }
# Per-second cps/rps of a run, and the mean over whole seconds.
rates_of() {
	"$PY" - "$tmp/$1.jsonl" "$2" <<'EOF' || true
import sys
import harness
iv, _ = harness.load_jsonl(sys.argv[1])
k = sys.argv[2]
v = [o[k] for o in iv]
full = v[1:-1] if len(v) > 2 else v
print("%s per 0.5 s: %s; mean %.0f/s" % (k, " ".join(str(x) for x in v),
      sum(full) / len(full) if full else 0))
EOF
}

# check_vs_nginx NAME ALOG_BEFORE BOUND: 0 errors, exit 0, status done, and
# nginx's new access-log lines == gen_resp_2xx (BOUND 0), or at most BOUND
# more (a duration-bounded run stops with requests in flight).
check_vs_nginx() {
	local name=$1 before=$2 bound=$3 lines ok2 e
	expect_eq "$name: exit code" 0 "$RUN_RC"
	expect_eq "$name: summary status" "done" "$(jsonq "$tmp/$name.jsonl" summary status)"
	e=$(errors_of "$name")
	if [ "${e%% *}" = 0 ]; then
		echo "ok: $name: 0 errors"
	else
		fail "$name: expected 0 errors, got '${e}'"
	fi
	sleep 0.3 # nginx writes the log line when the request is finalized
	lines=$(($(alog_lines) - before))
	ok2=$(q "$name" gen_resp_2xx)
	expect_ge "$name: gen_resp_2xx" 1 "$ok2"
	if [ "$bound" = 0 ]; then
		expect_eq "$name: nginx access-log lines == synack gen_resp_2xx ($ok2)" "$ok2" "$lines"
	elif [[ "$ok2" =~ ^[0-9]+$ ]] && [ "$lines" -ge "$ok2" ] && [ $((lines - ok2)) -le "$bound" ]; then
		echo "ok: $name: nginx logged $lines, synack gen_resp_2xx $ok2 ($((lines - ok2)) in flight at the stop, <= $bound)"
	else
		fail "$name: nginx logged $lines requests, synack gen_resp_2xx '$ok2' (allowed: nginx - synack in 0..$bound)"
	fi
	expect_eq "$name: gen_resp_rx == gen_resp_2xx" "$ok2" "$(q "$name" gen_resp_rx)"
	local non200
	non200=$(tail -n "$lines" "$ACCESS" | awk '$9 != 200' | wc -l)
	expect_eq "$name: nginx access-log lines with a status other than 200" 0 "$non200"
}

# check_ends_by NAME MAX_S: the run's summary t is at most MAX_S: a run
# bounded by count ends by the count, before its duration (MAX_S = the
# duration - 1); one bounded by duration stops within 2 s of it. Not a
# rate check: how fast it got there is bench's figure.
check_ends_by() {
	local t
	t=$(jsonq "$tmp/$1.jsonl" summary t)
	if "$PY" -c "import sys; sys.exit(0 if float(sys.argv[1]) <= float(sys.argv[2]) else 1)" "$t" "$2"; then
		echo "ok: $1: ended at t = $t s (<= $2 s)"
	else
		fail "$1: ended at t = '$t' s, expected <= $2 s (stalled? tcp_retrans $(q "$1" tcp_retrans), drop_tcp_bad_ack $(q "$1" drop_tcp_bad_ack), drop_tcp_window $(q "$1" drop_tcp_window))"
	fi
}

# 1a. cps paced to 5 s, bounded by count: exact.
log "1a. cps: 10000 connections at 2000/s, concurrency 20"
b0=$(alog_lines)
run_client cps 40 --set client.model=cps --set client.rate=2000 --set client.count=10000 \
	--set client.concurrency=20 --set run.duration=30s
b=$FAILS
check_vs_nginx cps "$b0" 0
expect_eq "cps: gen_resp_2xx" 10000 "$(q cps gen_resp_2xx)"
expect_eq "cps: gen_done" 10000 "$(q cps gen_done)"
check_ends_by cps 29 # count-bounded, duration 30 s
echo "info: cps: $(rates_of cps cps)"
[ "$FAILS" -eq "$b" ] || dump_logs "$tmp/cps.log"

# 1b. rps open loop paced to 5 s, bounded by count: exact.
log "1b. rps: 25000 requests at 5000/s over 20 keep-alive connections"
b0=$(alog_lines)
run_client rps 40 --set client.model=rps --set client.rate=5000 --set client.count=25000 \
	--set client.concurrency=20 --set run.duration=30s
b=$FAILS
check_vs_nginx rps "$b0" 0
expect_eq "rps: gen_resp_2xx" 25000 "$(q rps gen_resp_2xx)"
t=$(jsonq "$tmp/rps.jsonl" summary t)
if "$PY" -c "import sys; sys.exit(0 if float(sys.argv[1]) < 29 else 1)" "$t"; then
	echo "ok: rps: the run ended by itself at t = $t s (count reached)"
else
	fail "rps: the run did not end by itself once its 25000 requests were answered (t = '$t' of 30 s; gen_active in the last interval $(jsonq "$tmp/rps.jsonl" interval gauges.gen_active))"
fi
echo "info: rps: $(rates_of rps rps), connections $(q rps gen_conn_ok)"
[ "$FAILS" -eq "$b" ] || dump_logs "$tmp/rps.log"

# 1c. cps as fast as it goes for 5 s.
log "1c. cps as fast as it goes, concurrency 50, 5 s"
b0=$(alog_lines)
# (TIME-WAIT 200 ms: 16384 source ports in a 1 s TIME-WAIT would cap it
# near 16k/s and count gen_err_ports.)
run_client cpsmax 30 --set client.model=cps --set client.concurrency=50 --set run.duration=5s \
	--set tcp.time_wait=200ms
b=$FAILS
check_vs_nginx cpsmax "$b0" 50
check_ends_by cpsmax 7
echo "info: cpsmax: $(rates_of cpsmax cps); p99 response $(jsonq "$tmp/cpsmax.jsonl" summary latency_us.response.p99) us"
[ "$FAILS" -eq "$b" ] || dump_logs "$tmp/cpsmax.log"

# 1d. rps closed loop as fast as it goes for 5 s. nginx ends a keep-alive
# connection after 1000 requests (keepalive_requests): synack reopens.
log "1d. rps closed loop as fast as it goes, concurrency 50, 5 s"
b0=$(alog_lines)
run_client rpsmax 30 --set client.model=rps --set client.concurrency=50 --set run.duration=5s
b=$FAILS
check_vs_nginx rpsmax "$b0" 50
check_ends_by rpsmax 7
echo "info: rpsmax: $(rates_of rpsmax rps); connections $(q rpsmax gen_conn_ok); p99 response $(jsonq "$tmp/rpsmax.jsonl" summary latency_us.response.p99) us"
[ "$FAILS" -eq "$b" ] || dump_logs "$tmp/rpsmax.log"

# ---------------------------------------------------------------- 2. chunked
log "2. chunked: gzip on, client sends Accept-Encoding: gzip"
hdrs=$(kexec curl -s --max-time 5 -D - -o "$tmp/curl-gz.body" -H 'Accept-Encoding: gzip' "http://$KRN_IP/" | tr -d '\r') || true
if echo "$hdrs" | grep -qi '^transfer-encoding: chunked' && echo "$hdrs" | grep -qi '^content-encoding: gzip'; then
	echo "ok: curl: nginx answers Accept-Encoding: gzip with Transfer-Encoding: chunked, Content-Encoding: gzip"
else
	fail "curl: expected a chunked gzip answer from nginx, headers: $(echo "$hdrs" | tr '\n' '|')"
fi
kexec tshark -q -i "$IF_KRN" -f "tcp port 80" -w "$tmp/chunked.pcapng" >"$tmp/tshark.log" 2>&1 &
tspid=$!
track_pid "$tspid"
for _ in $(seq 1 50); do
	grep -q 'Capturing on' "$tmp/tshark.log" 2>/dev/null && break
	sleep 0.1
done
sleep 0.5
b0=$(alog_lines)
run_client chunked 30 --set client.model=cps --set client.count=200 --set client.rate=200 \
	--set client.concurrency=10 --set "client.header=Accept-Encoding: gzip" --set run.duration=20s
sleep 0.5
stop_pid "$tspid" 10
b=$FAILS
check_vs_nginx chunked "$b0" 0
expect_eq "chunked: gen_resp_2xx" 200 "$(q chunked gen_resp_2xx)"
expect_eq "chunked: gen_err_bad_resp" 0 "$(q chunked gen_err_bad_resp)"
check_ends_by chunked 19 # 200 connections at 200/s, count-bounded, duration 20 s
gz=$(tail -n 200 "$ACCESS" | awk '{print $10}' | sort -u | tr '\n' ' ')
echo "info: chunked: nginx body_bytes_sent per response: $gz; synack gen_body_rx $(q chunked gen_body_rx)"
# synack counts the decoded chunk data: the gzip body curl saved raw
gzlen=$(stat -c %s "$tmp/curl-gz.body" 2>/dev/null || echo 0)
expect_eq "chunked: gen_body_rx == 200 x the gzip body ($gzlen bytes, chunk framing excluded)" \
	$((200 * gzlen)) "$(q chunked gen_body_rx)"
nch=$(tshark -r "$tmp/chunked.pcapng" -o tcp.check_checksum:FALSE \
	-Y 'http.response && http.transfer_encoding == "chunked" && http.content_encoding == "gzip"' \
	-T fields -e frame.number 2>/dev/null | wc -l) || nch=0
expect_eq "chunked: tshark: chunked gzip responses on the wire" 200 "$nch"
[ "$FAILS" -eq "$b" ] || dump_logs "$tmp/chunked.log"

# ------------------------------------------------------------- 3. 1 MiB body
log "3. 1 MiB response, 20 connections"
b0=$(alog_lines)
run_client big 40 --set client.model=cps --set client.count=20 --set client.concurrency=5 \
	--set client.path=/big.bin --set run.duration=30s
b=$FAILS
check_vs_nginx big "$b0" 0
expect_eq "big: gen_resp_2xx" 20 "$(q big gen_resp_2xx)"
expect_eq "big: gen_body_rx (20 x 1048576)" $((20 * 1048576)) "$(q big gen_body_rx)"
[ "$FAILS" -eq "$b" ] || dump_logs "$tmp/big.log"

# ----------------------------------------------------------- 4. loss 5%
# netem when the kernel has it; else (CONFIG_NET_SCH_NETEM off, no u32 or
# gact either, as on this project's VM) client_tc.bpf.c built with clang:
# sec "loss" drops 5% at random, sec "drop81" drops TCP to port 81.
BPF_OBJ=""
if command -v clang >/dev/null 2>&1 &&
	clang -O2 -target bpf -I/usr/include/"$(uname -m)"-linux-gnu -DLOSS_PER_MILLE=50 \
		-c "$here/client_tc.bpf.c" -o "$tmp/client_tc.o" 2>"$tmp/clang.log"; then
	BPF_OBJ=$tmp/client_tc.o
fi
LOSS=""
if kexec tc qdisc add dev "$IF_KRN" root netem loss 5% 2>/dev/null; then
	LOSS="netem loss 5%"
elif [ -n "$BPF_OBJ" ] && kexec tc qdisc add dev "$IF_KRN" clsact &&
	kexec tc filter add dev "$IF_KRN" egress pref 1 bpf da obj "$BPF_OBJ" sec loss; then
	LOSS="tc bpf random loss 5% (no netem in this kernel)"
fi
if [ -z "$LOSS" ]; then
	fail "loss: neither netem nor a tc bpf program could impair $IF_KRN (clang: $(head -n 3 "$tmp/clang.log" 2>/dev/null))"
else
	log "4. $LOSS on $IF_KRN egress: 1000 connections at 200/s, timeout 3s"
	run_client loss 70 --set client.model=cps --set client.rate=200 --set client.count=1000 \
		--set client.concurrency=100 --set client.timeout=3s --set run.duration=60s
	kexec tc qdisc del dev "$IF_KRN" root 2>/dev/null || true
	kexec tc qdisc del dev "$IF_KRN" clsact 2>/dev/null || true
	b=$FAILS
	st=$(jsonq "$tmp/loss.jsonl" summary status)
	if { [ "$RUN_RC" = 0 ] && [ "$st" = "done" ]; } || { [ "$RUN_RC" = 1 ] && [[ "$st" == failed* ]]; }; then
		echo "ok: loss: exit $RUN_RC agrees with status '$st'"
	else
		fail "loss: exit '$RUN_RC' and status '$st' disagree (0/done or 1/failed...)"
	fi
	expect_eq "loss: status (max_error_rate is off, so the run must complete)" "done" "$st"
	t=$(jsonq "$tmp/loss.jsonl" summary t)
	if "$PY" -c "import sys; sys.exit(0 if float(sys.argv[1]) < 50 else 1)" "$t"; then
		echo "ok: loss: the run ended by itself at t = $t s (count reached, gen_active drained to 0)"
	else
		fail "loss: the run did not end by itself before its 60 s duration (t = '$t'): connections hang"
	fi
	read -r ctx done_ cerr rst tmo bad clo tab prt < <(for k in gen_conn_tx gen_done gen_err_connect \
		gen_err_rst gen_err_timeout gen_err_bad_resp gen_err_closed gen_err_table gen_err_ports; do
		v=$(q loss "$k")
		echo -n "$v "
	done; echo)
	echo "info: loss: conn_tx $ctx done $done_ connect $cerr rst $rst timeout $tmo bad_resp $bad closed $clo table $tab ports $prt; tcp_retrans $(q loss tcp_retrans) tcp_rto $(q loss tcp_rto)"
	if [[ "$ctx$done_$cerr$rst$tmo$bad$clo$tab" =~ ^[0-9]+$ ]]; then
		expect_eq "loss: gen_conn_tx == gen_done + connection errors (connect+rst+timeout+bad_resp+closed+table)" \
			"$ctx" $((done_ + cerr + rst + tmo + bad + clo + tab))
	else
		fail "loss: counters missing from the summary"
	fi
	expect_eq "loss: gen_conn_tx" 1000 "$ctx"
	expect_ge "loss: synack retransmitted (the loss was real)" 1 "$(q loss tcp_retrans)"
	expect_eq "loss: gen_err_bad_resp" 0 "$bad"
	# every completed connection got its whole response (2xx)
	expect_eq "loss: gen_resp_2xx == gen_done" "$done_" "$(q loss gen_resp_2xx)"
	echo "info: loss: gen_active in the last interval line: $(jsonq "$tmp/loss.jsonl" interval gauges.gen_active); $(rates_of loss cps)"
	[ "$FAILS" -eq "$b" ] || dump_logs "$tmp/loss.log"
fi

# -------------------------------------------------- 5. SYNs dropped: connect timeout
if [ -n "$BPF_OBJ" ] && kexec tc qdisc add dev "$IF_KRN" clsact &&
	kexec tc filter add dev "$IF_KRN" ingress pref 1 bpf da obj "$BPF_OBJ" sec drop81; then
	log "5. SYNs to $KRN_IP:81 dropped by a tc bpf filter: connect timeout, syn_retries 1"
	run_client conto 30 --set client.model=cps --set "client.target=$KRN_IP:81" \
		--set tcp.syn_retries=1 --set client.concurrency=10 --set run.duration=5s
	kexec tc qdisc del dev "$IF_KRN" clsact || true
	b=$FAILS
	expect_eq "connect timeout: exit code" 1 "$RUN_RC"
	st=$(jsonq "$tmp/conto.jsonl" summary status)
	case "$st" in
	failed*) echo "ok: connect timeout: status '$st'" ;;
	*) fail "connect timeout: expected status 'failed...', got '$st'" ;;
	esac
	expect_ge "connect timeout: gen_err_connect" 1 "$(q conto gen_err_connect)"
	expect_eq "connect timeout: gen_conn_ok" 0 "$(q conto gen_conn_ok)"
	expect_eq "connect timeout: gen_err_rst" 0 "$(q conto gen_err_rst)"
	[ "$FAILS" -eq "$b" ] || dump_logs "$tmp/conto.log"
else
	optional_missing "no tc bpf filter (clang or cls_bpf missing): connect-timeout case not run"
fi

stop_nginx
if [ -s "$tmp/nginx-error.log" ]; then
	echo "info: nginx error log (last 5 lines):"
	tail -n 5 "$tmp/nginx-error.log"
fi

finish client_nginx
