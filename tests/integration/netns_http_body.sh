#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# netns_http_body.sh SYNACK_BINARY
#
# Request bodies, methods, limits and the live access log of synack's HTTP
# responder (af_packet on a veth pair), against the kernel's curl and raw
# requests from Python sockets:
#  1. curl POST 1 MiB with Content-Length and chunked -> 200, and the
#     server's http_body_bytes rises by exactly 1 MiB each time; PUT,
#     DELETE, OPTIONS -> 200.
#  2. Expect: 100-continue: curl (told to wait 60 s for a 100) sees
#     "HTTP/1.1 100 Continue" and completes within its 20 s bound, and
#     http_continue counts it.
#  3. An 8 KiB target -> 414; a 2 MiB body with max_body = 1m -> 413.
#  4. Smuggling shapes (CL + TE, two different CLs, chunked not last, bad
#     chunk size, chunked in HTTP/1.0) -> 400 and the server closes.
#  5. The access log (format combined), read while synack runs, holds only
#     whole lines that all match the combined format's regex; after the run
#     its line count equals http_req; refused requests carry their method,
#     target and status. The seeds and json formats are checked the same way.
#  6. Routes with size mixes: h2load over three routes and the default path;
#     its status counts, the server's counters and the access log's per-path
#     counts agree, and a two-size mix shows both sizes.
# Exit 0 pass, 1 fail, 77 skip (a missing tool).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 SYNACK_BINARY" >&2; exit 2; }
SYNACK=$1
PMD=af_packet
[ -x "$SYNACK" ] || { echo "FAIL: synack binary '$SYNACK' not executable"; exit 1; }

require_root_netns
for tool in curl python3 timeout; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not installed"
done

make_tmp
setup_netns
URL="http://$SYN_IP"
SYNACK_NS=(ip netns exec "$NS_SYN")
RUN_NO=0
EXTRA_SET=()

# start_http FORMAT: a server with a 1 MiB body limit and an access log.
start_http() {
	RUN_NO=$((RUN_NO + 1))
	ALOG=$tmp/access-$1.log
	SJSON=$tmp/body-$RUN_NO.jsonl
	start_server "body-$RUN_NO" 20 -c config/server-af_packet.ini \
		--set "port0.dev=net_af_packet0,iface=$IF_SYN,qpairs=1" \
		--set "port0.ip=$SYN_IP/$PREFIX" --set run.lcores=1 --set run.duration=120s \
		--set run.report_interval=200ms --set server.max_body=1m \
		--set "server.access_log=$ALOG" --set "server.access_log_format=$1" \
		"${EXTRA_SET[@]}"
	for _ in $(seq 1 30); do
		[ -s "$SJSON" ] && break
		sleep 0.1
	done
	wait_reachable "$NS_KRN" "$SYN_IP" 10 || log "warning: $SYN_IP not answering ping yet"
}
ctr() {
	json_fresh "$SJSON"
	counter "$SJSON" "$1" --interval
}
stop_http() {
	stop_pid "$SPID" 15
	expect_eq "run $RUN_NO: synack exit code after SIGTERM" 0 "$STOP_RC"
	has_summary "$SJSON" || fail "run $RUN_NO: no summary in $SJSON"
}

head -c 1048576 /dev/urandom >"$tmp/1m"
head -c 2097152 /dev/urandom >"$tmp/2m"

# raw REQUEST_PYTHON_LITERAL: send the bytes, print the status line's code
# and "closed" once the server closed (bounded by a 5 s socket timeout).
raw() {
	kexec python3 - "$SYN_IP" "$1" <<'EOF'
import socket, sys
s = socket.create_connection((sys.argv[1], 80), timeout=5)
s.sendall(eval(sys.argv[2]))
got = b""
closed = "open"
try:
    while True:
        b = s.recv(65536)
        if not b:
            closed = "closed"
            break
        got += b
except socket.timeout:
    pass
print(got.split(b" ")[1].decode() if got.startswith(b"HTTP/1.1 ") else "none", closed)
EOF
}

# ------------------------------------------------------------ combined
start_http combined
b0=$(ctr http_body_bytes)
code=$(kexec curl -sS -m 20 -o /dev/null -w '%{http_code}' --data-binary "@$tmp/1m" "$URL/upload")
expect_eq "POST 1 MiB (Content-Length): status" 200 "$code"
b1=$(ctr http_body_bytes)
expect_eq "POST 1 MiB (Content-Length): http_body_bytes increase" 1048576 "$((b1 - b0))"
code=$(kexec curl -sS -m 20 -o /dev/null -w '%{http_code}' -H 'Transfer-Encoding: chunked' \
	-H 'Expect:' --data-binary "@$tmp/1m" "$URL/chunked")
expect_eq "POST 1 MiB (chunked): status" 200 "$code"
b2=$(ctr http_body_bytes)
expect_eq "POST 1 MiB (chunked): http_body_bytes increase" 1048576 "$((b2 - b1))"
for m in PUT DELETE OPTIONS; do
	code=$(kexec curl -sS -m 10 -o /dev/null -w '%{http_code}' -X "$m" "$URL/m")
	expect_eq "$m: status" 200 "$code"
done

c0=$(ctr http_continue)
kexec curl -sv -m 20 --expect100-timeout 60 -o /dev/null -H 'Expect: 100-continue' \
	--data-binary "@$tmp/1m" "$URL/expect" 2>"$tmp/expect.err" || true
if grep -q '^< HTTP/1.1 100 Continue' "$tmp/expect.err"; then
	echo "ok: 100 Continue on the wire"
else
	fail "no 100 Continue seen by curl"
	tail -n 20 "$tmp/expect.err"
fi
grep -q '^< HTTP/1.1 200 OK' "$tmp/expect.err" || fail "Expect: 100-continue: no 200 after the body"
expect_eq "http_continue increase" 1 "$(($(ctr http_continue) - c0))"

long=$(head -c 8192 /dev/zero | tr '\0' a)
code=$(kexec curl -sS -m 10 -o /dev/null -w '%{http_code}' "$URL/$long")
expect_eq "8 KiB target: status" 414 "$code"
code=$(kexec curl -sS -m 20 -o /dev/null -w '%{http_code}' -H 'Expect:' \
	--data-binary "@$tmp/2m" "$URL/big" 2>/dev/null) || true
expect_eq "2 MiB body over max_body = 1m: status" 413 "$code"

expect_eq "CL + TE" "400 closed" "$(raw 'b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"')"
expect_eq "two different CLs" "400 closed" "$(raw 'b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"')"
expect_eq "chunked not last" "400 closed" "$(raw 'b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"')"
expect_eq "bad chunk size" "400 closed" "$(raw 'b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\nhello\r\n0\r\n\r\n"')"
expect_eq "chunked in HTTP/1.0" "400 closed" "$(raw 'b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"')"
expect_eq "PATCH" "405 closed" "$(raw 'b"PATCH /p HTTP/1.1\r\nHost: h\r\n\r\n"')"
expect_eq "pipelined chunked then GET" "200 open" "$(raw 'b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"')"

# A bounded burst of requests while the log is read: only whole lines.
ip netns exec "$NS_KRN" curl -sS --no-progress-meter -m 30 -o /dev/null --parallel \
	--parallel-max 8 "$URL/burst?[1-4000]" &
cpid=$!
track_pid "$cpid"
partial=0
reads=0
while kill -0 "$cpid" 2>/dev/null && [ "$reads" -lt 400 ]; do
	if [ -s "$ALOG" ] && [ "$(tail -c 1 "$ALOG" | od -An -c | tr -d ' ')" != '\n' ]; then
		partial=$((partial + 1))
	fi
	reads=$((reads + 1))
	sleep 0.01
done
wait "$cpid" || true
echo "access log read $reads times while the burst ran"
expect_ge "access log reads while the burst ran" 2 "$reads"
expect_eq "access log read mid-run: reads that ended in half a line" 0 "$partial"
stop_http
req=$(counter "$SJSON" http_req)
expect_eq "access log lines = http_req" "$req" "$(wc -l <"$ALOG")"
expect_eq "http_log_dropped" 0 "$(counter "$SJSON" http_log_dropped)"
# The combined format (nginx's log_format combined), every line.
bad=$(python3 - "$ALOG" <<'EOF'
import re, sys
rx = re.compile(r'^(\S+) - (\S+) \[(\d{2})/(\w{3})/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\] '
                r'"([^"\\]*(?:\\.[^"\\]*)*)" (\d{3}) (\d+) "([^"]*)" "([^"]*)"$')
bad = 0
for line in open(sys.argv[1]):
    if not rx.match(line.rstrip("\n")):
        bad += 1
        print("rejected:", line.rstrip()[:200], file=sys.stderr)
print(bad)
EOF
)
expect_eq "combined lines rejected by the format's regex" 0 "$bad"
grep -q '"PATCH /p HTTP/1.1" 405 ' "$ALOG" || fail "the 405 is not logged with its method and target"
grep -q '"GET /a\{100\}' "$ALOG" || fail "the 414 is not logged with its target"
grep -q '"POST /upload HTTP/1.1" 200 ' "$ALOG" || fail "the POST is not logged"

# ------------------------------------------------------------ seeds, json
for fmt in seeds json; do
	start_http "$fmt"
	for m in GET POST; do
		kexec curl -sS -m 10 -o /dev/null -X "$m" "$URL/$fmt-$m"
	done
	stop_http
	expect_eq "$fmt: lines = http_req" "$(counter "$SJSON" http_req)" "$(wc -l <"$ALOG")"
	case "$fmt" in
	seeds)
		n=$(grep -cE '^\[[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}\] - 198\.18\.1\.1:[0-9]+ - (GET|POST) /seeds-(GET|POST)$' "$ALOG" || true)
		;;
	json)
		n=$(python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["target"].startswith("/json-")))' "$ALOG")
		;;
	esac
	expect_eq "$fmt: lines in the format" 2 "$n"
done

# ------------------------------------------------------------ routes
# Three routes with a size mix each; h2load (HTTP/1.1) cycles over the three
# paths and the default one: its per-status counts, the server's counters and
# the access log's per-path counts agree.
if command -v h2load >/dev/null 2>&1; then
	EXTRA_SET=(--set "server.route=/a 200 1k, /b 200 10:1|20k:1 text/html, /c 404 0-300")
	start_http synack
	EXTRA_SET=()
	kexec h2load --h1 -n 400 -c 4 -m 1 "$URL/a" "$URL/b" "$URL/c?q=1" "$URL/d" \
		>"$tmp/h2load.out" 2>&1 || true
	grep -E '^requests:|^status codes:' "$tmp/h2load.out"
	expect_eq "h2load: requests done" 400 \
		"$(awk '/^requests:/ {print $6}' "$tmp/h2load.out")"
	expect_eq "h2load: requests errored" 0 \
		"$(awk '/^requests:/ {print $12}' "$tmp/h2load.out")"
	expect_eq "h2load: 2xx" 300 "$(awk '/^status codes:/ {print $3}' "$tmp/h2load.out")"
	expect_eq "h2load: 4xx" 100 "$(awk '/^status codes:/ {print $7}' "$tmp/h2load.out")"
	stop_http
	expect_eq "server: http_resp_200" 300 "$(counter "$SJSON" http_resp_200)"
	expect_eq "server: http_resp_route (the 404s)" 100 "$(counter "$SJSON" http_resp_route)"
	for p in /a /b '/c?q=1' /d; do
		expect_eq "access log: requests for $p" 100 \
			"$(awk -v p="$p" '$5 == p' "$ALOG" | wc -l)"
	done
	expect_eq "access log: /c answered 404" 100 "$(awk '$5 == "/c?q=1" && $6 == 404' "$ALOG" | wc -l)"
	# the size mixes: /b only 10 or 20480-byte bodies (+ headers), both seen
	sizes=$(awk '$5 == "/b" {print $7}' "$ALOG" | sort -n | uniq | wc -l)
	expect_eq "access log: distinct response sizes of /b" 2 "$sizes"
else
	optional_missing "h2load not installed (apt-get install nghttp2-client): routes not tested"
fi

finish "netns_http_body"
