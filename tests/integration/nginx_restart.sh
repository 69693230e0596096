#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# nginx_restart.sh SYNACK_BINARY
#
# Six back-to-back synack client processes against one nginx (issue #11):
# nginx closes first (keepalive_timeout 0), so the kernel holds every
# 4-tuple in TIME-WAIT when the next process reuses the same source ports.
# The kernel accepts such a SYN only when its TSval is newer than the last
# one it saw (PAWS, RFC 7323 5 / RFC 6191), so synack's timestamps (and
# ISNs) must keep rising from one process to the next. Each run: cps,
# count 1000, rate 1000, concurrency 20, over net_af_xdp (af_packet as the
# fallback). Asserted per run, counts only: gen_done == 1000, 0 gen_err_*,
# 0 drop_tcp_bad_ack (the kernel's bare ACK to a refused SYN), exit 0,
# status done; nginx logged 6000 requests in all.
# Exit 0 pass, 1 fail, 77 skip (no root / nginx).
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
for tool in nginx curl ethtool timeout; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed"
done
id www-data >/dev/null 2>&1 || skip "no www-data user (nginx workers run as it)"

make_tmp
chmod 755 "$tmp"
setup_netns
ip netns exec "$NS_KRN" ethtool -K "$IF_KRN" gro off >/dev/null 2>&1 || true
SYNACK_NS=(ip netns exec "$NS_SYN")

www=$tmp/www
mkdir -p "$www" "$tmp/ngx"
echo "synack restart test" >"$www/index.html"
chmod 755 "$www" "$tmp/ngx"
chmod 644 "$www/index.html"
ACCESS=$tmp/access.log
PIDF=$tmp/nginx.pid
cat >"$tmp/nginx.conf" <<EOF
user www-data;
worker_processes 1;
daemon off;
pid $PIDF;
error_log $tmp/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log $ACCESS;
    client_body_temp_path $tmp/ngx/body;
    proxy_temp_path $tmp/ngx/proxy;
    fastcgi_temp_path $tmp/ngx/fastcgi;
    uwsgi_temp_path $tmp/ngx/uwsgi;
    scgi_temp_path $tmp/ngx/scgi;
    default_type text/html;
    keepalive_timeout 0;
    server { listen $KRN_IP:80 backlog=4096; root $www; }
}
EOF
chmod 644 "$tmp/nginx.conf"
kexec nginx -c "$tmp/nginx.conf" -p "$tmp" >"$tmp/nginx-stdout.log" 2>&1 &
track_pid $!
for _ in $(seq 1 50); do
	[ -s "$PIDF" ] && break
	sleep 0.1
done
[ -s "$PIDF" ] || { cat "$tmp/nginx-error.log" 2>/dev/null; echo "FAIL: nginx did not start"; exit 1; }
NGINX_PID=$(cat "$PIDF")
track_pid "$NGINX_PID"
stop_nginx() {
	if kill -0 "$NGINX_PID" 2>/dev/null; then
		kill -QUIT "$NGINX_PID" 2>/dev/null || true
		for _ in $(seq 1 50); do
			kill -0 "$NGINX_PID" 2>/dev/null || break
			sleep 0.1
		done
	fi
}
# shellcheck disable=SC2154 # _rc is set inside the trap string
trap '_rc=$?; set +e; stop_nginx; (exit $_rc); cleanup' EXIT
code=$(kexec curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$KRN_IP/") || true
expect_eq "nginx answers curl" 200 "$code"
a0=$(wc -l <"$ACCESS")

DEV="net_af_xdp0,iface=$IF_SYN"
q() { counter "$tmp/$1.jsonl" "$2"; }
total=0
for i in 1 2 3 4 5 6; do
	name=run$i
	run_synack "$name" 40 -c "$CFG" \
		--set run.mode=client --set run.lcores=1 \
		--set "port0.dev=$DEV" --set "port0.ip=$SYN_IP/$PREFIX" \
		--set "client.target=$KRN_IP:80" --set client.model=cps \
		--set client.count=1000 --set client.rate=1000 --set client.concurrency=20 \
		--set run.duration=30s
	cat "$tmp/$name.out" "$tmp/$name.err" >"$tmp/$name.log"
	if [ "$i" = 1 ] && [ "$DEV" != "${DEV#net_af_xdp}" ] && xdp_unavailable "$tmp/$name.log" "$RUN_RC"; then
		log "AF_XDP unavailable: af_packet instead"
		DEV="net_af_packet0,iface=$IF_SYN"
		run_synack "$name" 40 -c "$CFG" \
			--set run.mode=client --set run.lcores=1 \
			--set "port0.dev=$DEV" --set "port0.ip=$SYN_IP/$PREFIX" \
			--set "client.target=$KRN_IP:80" --set client.model=cps \
			--set client.count=1000 --set client.rate=1000 --set client.concurrency=20 \
			--set run.duration=30s
		cat "$tmp/$name.out" "$tmp/$name.err" >"$tmp/$name.log"
	fi
	b=$FAILS
	echo "info: $name: exit $RUN_RC status '$(jsonq "$tmp/$name.jsonl" summary status)' t $(jsonq "$tmp/$name.jsonl" summary t) s gen_done $(q "$name" gen_done) drop_tcp_bad_ack $(q "$name" drop_tcp_bad_ack) tcp_retrans $(q "$name" tcp_retrans) errors $(gen_errors "$tmp/$name.jsonl")"
	expect_eq "$name: exit code" 0 "$RUN_RC"
	expect_eq "$name: status" "done" "$(jsonq "$tmp/$name.jsonl" summary status)"
	expect_eq "$name: gen_done" 1000 "$(q "$name" gen_done)"
	expect_eq "$name: gen_resp_2xx" 1000 "$(q "$name" gen_resp_2xx)"
	expect_eq "$name: connection errors" 0 "$(gen_errors "$tmp/$name.jsonl")"
	expect_eq "$name: drop_tcp_bad_ack" 0 "$(q "$name" drop_tcp_bad_ack)"
	[ "$FAILS" -eq "$b" ] || dump_logs "$tmp/$name.log"
	total=$((total + 1000))
done
sleep 0.3
expect_eq "nginx access-log lines over the six runs" "$total" $(($(wc -l <"$ACCESS") - a0))
stop_nginx
finish nginx_restart
