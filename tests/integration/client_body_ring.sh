#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# client_body_ring.sh SYNACK_BINARY
#
# The HTTP client's request bodies and headers against synack's own
# responder in one process (demo.ini: mode both over net_ring, no root):
# rps with POST, client.body_size = 4k and two headers from client.headers:
# every request is answered 200, the server reads exactly body_size bytes
# per request (http_body_bytes = 4096 x http_req, http_req_body = http_req)
# and refuses none (no http_err_*); the same with PUT and a chunk of 1 MiB
# bodies over max_body = 512k: every one is refused 413 and counted.
# Exit 0 pass, 1 fail.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/integration/lib.sh
. "$here/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 SYNACK_BINARY" >&2; exit 2; }
SYNACK=$1
[ -x "$SYNACK" ] || { echo "FAIL: synack binary '$SYNACK' not executable"; exit 1; }
make_tmp
SYNACK_ARGS=(-c config/demo.ini)
q() { counter "$tmp/$1.jsonl" "$2"; }

N=2000
run_synack post 40 --set client.model=rps --set client.count=$N --set client.concurrency=20 \
	--set client.method=POST --set client.body_size=4k \
	--set "client.headers=X-Test: 1 | X-Other: two" --set run.duration=30s
expect_eq "post: exit code" 0 "$RUN_RC"
expect_eq "post: gen_req_tx" $N "$(q post gen_req_tx)"
expect_eq "post: gen_resp_2xx" $N "$(q post gen_resp_2xx)"
expect_eq "post: server http_req" $N "$(q post http_req)"
expect_eq "post: server http_req_body" $N "$(q post http_req_body)"
expect_eq "post: server http_body_bytes" $((N * 4096)) "$(q post http_body_bytes)"
for c in http_err_400 http_err_405 http_err_413 http_err_431; do
	expect_eq "post: $c" 0 "$(q post "$c")"
done

M=20
run_synack big 40 --set client.model=cps --set client.count=$M --set client.concurrency=4 \
	--set client.method=PUT --set client.body_size=1m --set server.max_body=512k \
	--set run.duration=30s
expect_eq "big: server http_err_413" $M "$(q big http_err_413)"
expect_eq "big: gen_resp_4xx" $M "$(q big gen_resp_4xx)"
expect_eq "big: server http_body_bytes (refused before the body)" 0 "$(q big http_body_bytes)"

finish client_body_ring
