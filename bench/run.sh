#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# bench/run.sh [scenario...]   (no scenario = all of them, in this order)
#
#   cps_ring   HTTP connections/s, client + server on one lcore over net_ring,
#              vs the PMD ceiling (dpdk-testpmd io forwarding over net_ring)
#   handshake  handshake-only connections/s (request = none), net_ring, one lcore
#   rps_ring   keep-alive requests/s over net_ring, one lcore
#   cps_link   HTTP CPS between two processes (server CPU 1, client CPU 0)
#              over net_memif and over net_vhost <-> net_virtio_user,
#              min/median/max of BENCH_LINK_REPS (5) runs, vs dpdk-testpmd
#              txonly -> rxonly on the same link
#   cps_veth   HTTP CPS over a veth pair between two namespaces (af_xdp):
#              synack -> synack, wrk -> nginx, synack -> nginx
#   rps_veth   the same with keep-alive requests
#   insns      instructions per connection (valgrind --tool=callgrind),
#              client and server side, with and without the PMD; appended
#              to bench/history.tsv
#   latency    handshake / TTFB percentiles at half of the max CPS vs a
#              ping-pong RTT on the same link
#   cc         concurrent connections, synack client and server processes
#              joined by net_memif: connections held, RSS per connection
#   tput       single-stream bulk TCP Gbps per core: synack -> synack (one
#              lcore over net_ring; two processes over net_memif), synack
#              -> kernel and kernel -> synack over veth (af_xdp), vs iperf3
#              -> iperf3 over the same veth and over loopback, same CPUs
#
# Sets up what each scenario needs (network namespaces, nginx, processes),
# bounds every run in time, tears everything down on exit (trap: only the
# PIDs and namespaces it made), and prints one table at the end:
#   scenario | figure | synack | peer | ratio | notes
# Benchmarks print, they never assert: the exit code is 0 unless the harness
# itself breaks. Every command run is printed ("+ ...") so it can be
# reproduced by hand. See bench/README.md for how to read the figures.
#
# Environment: BENCH_BUILD (build dir, default build-bench, built when
# missing), BENCH_REPS (runs per cross-core figure, default 3),
# BENCH_DURATION (seconds per timed run, default 5, at most 10),
# BENCH_CC (concurrency asked of the cc scenario, default 10000000),
# BENCH_CC_SECS (at most this long to establish them, default 180),
# BENCH_CC_HOLD (seconds they are held once up, default 3),
# BENCH_CC_RAMP (seconds of the client's linear ramp-up, default one per
# 300k connections: SYNs faster than the server takes them are dropped and
# wait out their retransmission timeouts),
# BENCH_KEEP=1 keeps the temporary directory.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${BENCH_BUILD:-$ROOT/build-bench}
SYNACK=$BUILD/app/synack/synack
REPS=${BENCH_REPS:-3}
DUR=${BENCH_DURATION:-5}
[ "$DUR" -gt 10 ] && DUR=10
CC_CONC=${BENCH_CC:-10000000}
CC_SECS=${BENCH_CC_SECS:-180}
CC_HOLD=${BENCH_CC_HOLD:-3}
CC_RAMP=${BENCH_CC_RAMP:-$(((CC_CONC + 299999) / 300000))}
PY=$(command -v /usr/bin/python3 || command -v python3)
JS="$PY $HERE/jsonstat.py"
CG="$PY $HERE/cgparse.py"
HISTORY=$HERE/history.tsv
ALL_SCENARIOS=(cps_ring handshake rps_ring cps_link cps_veth rps_veth wrk_veth udp_pps insns latency cc tput)

# Addresses: only 198.18.0.0/15. veth: A (client side) <-> B (server side).
NS_A="sbA$$"
NS_B="sbB$$"
IF_A="vbA$$"
IF_B="vbB$$"
K_A=198.18.1.1     # kernel address in A (wrk)
K_B=198.18.1.2     # kernel address in B (nginx)
S_A=198.18.1.11    # synack client on A's veth (the kernel has no address there)
S_B=198.18.1.12    # synack server on B's veth

TMP=""
_PIDS=()
_NS=()
ROWS=""
CPS_MAX=""          # set by cps_ring, used by latency
TABLE_DONE=0
LOAD0="?"

# ---------------------------------------------------------------- helpers

log() { echo "[bench $(date +%H:%M:%S)] $*"; }

# Print a command the way a reader can paste it, record it, then run it.
show() {
	local s="+" a
	for a in "$@"; do s+=" $(printf '%q' "$a")"; done
	echo "$s" >&2
	echo "${s#+ }" >>"$TMP/commands.txt"
}

# A comment line for the reader, in the output and the commands file.
say() {
	echo "# $*" >&2
	echo "# $*" >>"$TMP/commands.txt"
}

# row SCENARIO FIGURE SYNACK PEER RATIO NOTES
row() {
	local r
	r=$(printf '%s\t%s\t%s\t%s\t%s\t%s' "$1" "$2" "$3" "$4" "$5" "${6:-}")
	ROWS+="$r"$'\n'
}

isnum() { [[ "${1:-}" =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; }

# ratio A B: A/B with two decimals, "-" when either is not a number.
ratio() {
	if isnum "${1:-}" && isnum "${2:-}" && [ "$("$PY" -c "print(float('$2') != 0)")" = True ]; then
		"$PY" -c "r = float('$1') / float('$2'); print(f'{r:.2f}' if abs(r) >= 0.1 else f'{r:.2g}')"
	else
		echo "-"
	fi
}

# stats V...: "median min max" of the numbers given (empty when none).
stats() {
	"$PY" - "$@" <<'EOF'
import statistics, sys
v = sorted(float(x) for x in sys.argv[1:] if x.replace('.', '', 1).lstrip('-').isdigit())
if v:
    f = lambda x: str(int(round(x)))
    print(f(statistics.median(v)), f(v[0]), f(v[-1]))
EOF
}

# human N: 1234567 -> 1.23M (for notes only; the table keeps plain numbers)
human() {
	isnum "${1:-}" || { echo "${1:-}"; return; }
	"$PY" -c "
n=float('$1')
for s,d in (('G',1e9),('M',1e6),('k',1e3)):
    if abs(n)>=d: print(f'{n/d:.2f}{s}'); break
else: print(f'{n:g}')"
}

track() { _PIDS+=("$1"); }

# stop_pid PID [SECS]: SIGTERM, SIGKILL after SECS; STOP_RC = exit status.
STOP_RC=0
stop_pid() {
	local pid=$1 secs=${2:-10} i
	kill -TERM "$pid" 2>/dev/null || true
	for i in $(seq 1 $((secs * 10))); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "pid $pid still running ${secs}s after SIGTERM: SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	STOP_RC=0
	wait "$pid" 2>/dev/null || STOP_RC=$?
}

# wait_line FILE REGEX SECS [PID]: 0 when a line matches, 1 on timeout or
# when PID exits first.
wait_line() {
	local f=$1 re=$2 secs=$3 pid=${4:-} i
	for i in $(seq 1 $((secs * 10))); do
		grep -qE -- "$re" "$f" 2>/dev/null && return 0
		if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
			return 1
		fi
		sleep 0.1
	done
	return 1
}

# One line saying why a synack run went wrong, from its log.
why() {
	local f=$1 l
	l=$(grep -aE -i 'error|fail|cannot|abort|segmentation|assert|core dumped|: .*invalid' "$f" 2>/dev/null |
		grep -viE 'No bpffs|dispatcher|legacy|mp action callback|libbpf: elf' | tail -1)
	[ -n "$l" ] || l=$(grep -av '^ *$' "$f" 2>/dev/null | tail -1)
	echo "${l:0:140}" | tr '\t|' '  '
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo ""; }

print_table() {
	[ "$TABLE_DONE" -eq 1 ] && return 0
	TABLE_DONE=1
	[ -n "$ROWS" ] || return 0
	echo
	echo "================================ synack bench ================================"
	echo "commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" \
		"$(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) CPUs  reps=$REPS duration=${DUR}s" \
		" load average at start $LOAD0, at end $(cut -d' ' -f1-3 /proc/loadavg)"
	printf 'scenario\tfigure\tsynack\tpeer\tratio\tnotes\n%s' "$ROWS" |
		"$PY" -c '
import sys
rows = [l.rstrip("\n").split("\t") for l in sys.stdin if l.strip()]
w = [max(len(r[i]) for r in rows) for i in range(5)]
for n, r in enumerate(rows):
    print(" | ".join(r[i].ljust(w[i]) for i in range(5)) + " | " + r[5])
    if n == 0:
        print("-+-".join("-" * x for x in w) + "-+-" + "-" * 5)'
	echo
	echo "ratio = synack / peer (for instruction counts: synack / the target in the issue)."
	echo "Commands: $TMP/commands.txt$([ -n "${BENCH_KEEP:-}" ] || echo ' (removed on exit; BENCH_KEEP=1 keeps it)')"
}

cleanup() {
	local rc=$? p
	set +e
	for p in "${_PIDS[@]}"; do
		kill -0 "$p" 2>/dev/null && stop_pid "$p" 5
	done
	for p in "${_NS[@]}"; do
		ip netns del "$p" 2>/dev/null
	done
	print_table
	if [ -n "$TMP" ] && [ -d "$TMP" ] && [ -z "${BENCH_KEEP:-}" ]; then
		rm -rf "$TMP"
	fi
	[ -n "${BENCH_KEEP:-}" ] && [ -n "$TMP" ] && echo "kept $TMP"
	exit "$rc"
}

need() {
	local tool=$1 pkg=$2
	command -v "$tool" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" -eq 0 ] && [ -z "${BENCH_NO_INSTALL:-}" ]; then
		log "installing $pkg (for $tool)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null 2>&1 ||
			{ DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 &&
				DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null 2>&1; } || true
	fi
	command -v "$tool" >/dev/null 2>&1
}

build() {
	if [ ! -x "$SYNACK" ]; then
		[ -f "$BUILD/build.ninja" ] || show meson setup "$BUILD" "$ROOT"
		[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" "$ROOT" >/dev/null
	fi
	# the binary only: the unit tests' C++ takes minutes on two vCPUs
	ninja -C "$BUILD" app/synack/synack >/dev/null
	[ -x "$SYNACK" ]
}

# synack_fg NAME TIMEOUT ARGS...: synack in the foreground, output to
# $TMP/NAME.log, JSON to $TMP/NAME.json; SYN_RC = exit status.
SYN_RC=0
synack_fg() {
	local name=$1 to=$2
	shift 2
	show "$SYNACK" "$@" --json "$TMP/$name.json"
	SYN_RC=0
	timeout -k 5 "$to" "$SYNACK" "$@" --json "$TMP/$name.json" >"$TMP/$name.log" 2>&1 || SYN_RC=$?
}

# ---------------------------------------------------------------- net_ring

# One run of config/demo.ini; prints "cps rx_pps" (empty fields on failure).
ring_run() {
	local name=$1
	shift
	synack_fg "$name" $((DUR + 30)) -c "$ROOT/config/demo.ini" --set "run.duration=${DUR}s" "$@"
	if [ "$SYN_RC" -ne 0 ]; then
		return 1
	fi
	return 0
}

# testpmd_ring MODE: dpdk-testpmd forwarding (io: pointers only; macswap:
# touches each packet's Ethernet header) between two net_ring loopback
# ports on one forwarding core; sets TP_PPS (Rx over both ports) and TP_NOTE.
testpmd_ring() {
	local mode=$1 out=$TMP/testpmd-$1.log
	if ! need dpdk-testpmd dpdk-dev; then
		TP_PPS=""
		TP_NOTE="dpdk-testpmd missing (apt-get install dpdk-dev)"
		return 0
	fi
	local cmd=(dpdk-testpmd --no-huge -m 512 --no-pci --no-shconf -l "0,1"
		--vdev=net_ring0 --vdev=net_ring1 --log-level=lib.eal:error --
		"--forward-mode=$mode" --tx-first --nb-cores=1 --total-num-mbufs=16384 --stats-period=1)
	show timeout -s INT $((DUR + 2)) "${cmd[@]}"
	timeout -k 5 -s INT $((DUR + 2)) "${cmd[@]}" </dev/null >"$out" 2>&1 || true
	# Each stats period prints Rx-pps for port 0 then port 1: sum the pair,
	# drop the first period and idle ones, take the median.
	TP_PPS=$("$PY" - "$out" <<'EOF'
import re, statistics, sys
v = [int(x) for x in re.findall(r"Rx-pps:\s+(\d+)", open(sys.argv[1], errors="replace").read())]
s = [v[i] + v[i + 1] for i in range(0, len(v) - 1, 2)]
s = [x for x in s[1:] if x > 0]
print(int(statistics.median(s)) if s else "")
EOF
	)
	TP_NOTE="testpmd $mode fwd, 2 net_ring loopback ports, 1 fwd core"
	[ -n "$TP_PPS" ] || TP_NOTE="testpmd gave no Rx-pps: $(why "$out")"
}

cps_ring() {
	log "cps_ring: HTTP CPS, client + server workers on one lcore over net_ring ($REPS x ${DUR}s)"
	local i cps=() pps=() err="" last=""
	for i in $(seq 1 "$REPS"); do
		if ring_run "cps_ring.$i"; then
			cps+=("$($JS "$TMP/cps_ring.$i.json" mean cps || true)")
			pps+=("$($JS "$TMP/cps_ring.$i.json" mean rx_pps || true)")
			last="$TMP/cps_ring.$i.json"
		else
			err="exit $SYN_RC: $(why "$TMP/cps_ring.$i.log")"
		fi
	done
	if [ ${#cps[@]} -eq 0 ]; then
		row cps_ring "HTTP CPS, 1 lcore" "error: $err" "-" "-" ""
		return 0
	fi
	local c p
	read -r c cmin cmax <<<"$(stats "${cps[@]}")"
	read -r p pmin pmax <<<"$(stats "${pps[@]}")"
	CPS_MAX=$c
	row cps_ring "HTTP CPS, 1 lcore (client+server)" "$c" "-" "-" \
		"median of $REPS, min $cmin max $cmax; target >= 500000${err:+; a run failed: $err}"
	local mode
	for mode in io macswap; do
		testpmd_ring "$mode"
		row cps_ring "pps moved (rx) vs testpmd $mode" "$p" "${TP_PPS:--}" "$(ratio "$p" "${TP_PPS:-}")" \
			"synack min $pmin max $pmax; peer: $TP_NOTE; synack $(ratio "$p" "$c") pkts/conn"
	done
	local k
	for k in handshake response; do
		row cps_ring "$k latency p50 / p99 (us)" \
			"$($JS "$last" summary "latency_us.$k.p50" || echo '?') / $($JS "$last" summary "latency_us.$k.p99" || echo '?')" \
			"-" "-" "at full load, concurrency 100 (queueing included)"
	done
}

rps_ring() {
	log "rps_ring: keep-alive RPS over net_ring, one lcore ($REPS x ${DUR}s)"
	local i v=() pps=() err=""
	for i in $(seq 1 "$REPS"); do
		if ring_run "rps_ring.$i" --set client.model=rps --set client.concurrency=100; then
			v+=("$($JS "$TMP/rps_ring.$i.json" mean rps || true)")
			pps+=("$($JS "$TMP/rps_ring.$i.json" mean rx_pps || true)")
		else
			err="exit $SYN_RC: $(why "$TMP/rps_ring.$i.log")"
		fi
	done
	if [ ${#v[@]} -eq 0 ]; then
		row rps_ring "keep-alive RPS, 1 lcore" "error: $err" "-" "-" ""
		return 0
	fi
	local r rmin rmax p
	read -r r rmin rmax <<<"$(stats "${v[@]}")"
	read -r p _ _ <<<"$(stats "${pps[@]}")"
	row rps_ring "keep-alive RPS, 1 lcore, conc 100" "$r" "-" "-" \
		"median of $REPS, min $rmin max $rmax; rx $(human "$p")pps${err:+; a run failed: $err}"
}

# ---------------------------------------------------------------- veth

VETH_UP=0
veth_setup() {
	[ "$VETH_UP" -eq 1 ] && return 0
	[ "$(id -u)" -eq 0 ] || return 1
	show ip netns add "$NS_A"
	ip netns add "$NS_A"
	_NS+=("$NS_A")
	ip netns add "$NS_B"
	_NS+=("$NS_B")
	show ip link add "$IF_A" netns "$NS_A" type veth peer name "$IF_B" netns "$NS_B"
	ip link add "$IF_A" netns "$NS_A" type veth peer name "$IF_B" netns "$NS_B"
	local p ns ifc
	for p in "$NS_A:$IF_A" "$NS_B:$IF_B"; do
		ns=${p%%:*}
		ifc=${p#*:}
		ip -n "$ns" link set lo up
		ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$ifc.disable_ipv6=1" || true
		show ip netns exec "$ns" ethtool -K "$ifc" tx off tso off gso off
		ip netns exec "$ns" ethtool -K "$ifc" tx off tso off gso off >/dev/null 2>&1 || true
		ip -n "$ns" link set "$ifc" up
		ip -n "$ns" route del default 2>/dev/null || true
	done
	VETH_UP=1
}

# veth_addrs A_ADDR B_ADDR: kernel addresses on each end ("" = none).
veth_addrs() {
	ip -n "$NS_A" addr flush dev "$IF_A"
	ip -n "$NS_B" addr flush dev "$IF_B"
	[ -z "$1" ] || ip -n "$NS_A" addr add "$1/24" dev "$IF_A"
	[ -z "$2" ] || ip -n "$NS_B" addr add "$2/24" dev "$IF_B"
	say "kernel addresses: $NS_A/$IF_A=${1:-none} $NS_B/$IF_B=${2:-none}"
}

NGINX_PID=""
nginx_start() {
	[ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null && return 0
	need nginx nginx || return 1
	local d=$TMP/nginx
	mkdir -p "$d/logs" "$d/tmp"
	cat >"$d/nginx.conf" <<EOF
# bench: one nginx process, no access log, 64-byte body (synack's default)
daemon off;
master_process off;
worker_processes 1;
error_log $d/logs/error.log warn;
pid $d/nginx.pid;
worker_rlimit_nofile 200000;
events { worker_connections 65536; use epoll; multi_accept on; }
http {
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 65;
    client_body_temp_path $d/tmp;
    proxy_temp_path $d/tmp;
    fastcgi_temp_path $d/tmp;
    uwsgi_temp_path $d/tmp;
    scgi_temp_path $d/tmp;
    server {
        listen 80 reuseport backlog=65535;
        location / { default_type text/plain; return 200 "$(printf '%064d' 0)"; }
    }
}
EOF
	show ip netns exec "$NS_B" taskset -c 1 nginx -p "$d" -c "$d/nginx.conf"
	ip netns exec "$NS_B" taskset -c 1 nginx -p "$d" -c "$d/nginx.conf" >"$d/out.log" 2>&1 &
	NGINX_PID=$!
	track "$NGINX_PID"
	local i
	for i in $(seq 1 50); do
		ip netns exec "$NS_B" ss -ltn 2>/dev/null | grep -q ':80 ' && return 0
		kill -0 "$NGINX_PID" 2>/dev/null || break
		sleep 0.1
	done
	log "nginx did not come up: $(cat "$d/out.log" "$d/logs/error.log" 2>/dev/null | tail -2)"
	return 1
}

nginx_stop() {
	[ -n "$NGINX_PID" ] || return 0
	stop_pid "$NGINX_PID" 5
	NGINX_PID=""
}

# veth_ini FILE MODE IFACE IP [client model]: a config for one end.
veth_ini() {
	local f=$1 mode=$2 ifc=$3 ip=$4 model=${5:-cps} target=${6:-$S_B}
	cat >"$f" <<EOF
; bench: synack $mode on a veth end through AF_XDP (one queue, one worker)
[run]
mode     = $mode
duration = $([ "$mode" = server ] && echo 0 || echo "${DUR}s")
lcores   = 1
[port0]
dev = net_af_xdp0,iface=$ifc
ip  = $ip/24
[server]
listen    = 80
body_size = 64
[client]
model       = $model
target      = $target:80
concurrency = 50
[tcp]
; the peer is ours or a kernel that accepts reused ports: recycle at once
time_wait = 0
EOF
}

# wrk_run NAME ARGS...: sets OUT_V (requests/s), OUT_P (p99 us), OUT_E.
OUT_V=""
OUT_P=""
OUT_E=""
wrk_run() {
	local name=$1
	shift
	local url=${WRK_URL:-http://$K_B/}
	show ip netns exec "$NS_A" taskset -c 0 wrk -t1 -c50 "-d${DUR}s" --latency "$@" "$url"
	ip netns exec "$NS_A" taskset -c 0 timeout $((DUR + 20)) wrk -t1 -c50 "-d${DUR}s" --latency "$@" \
		"$url" >"$TMP/$name.log" 2>&1 || true
	read -r OUT_V OUT_P OUT_E <<<"$("$PY" - "$TMP/$name.log" <<'EOF'
import re, sys
t = open(sys.argv[1], errors="replace").read()
r = re.search(r"Requests/sec:\s+([\d.]+)", t)
p = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\b", t, re.M)
p99 = ""
if p:
    p99 = str(round(float(p.group(1)) * {"us": 1, "ms": 1e3, "s": 1e6}[p.group(2)]))
e = re.search(r"Socket errors: (.*)", t)
print(round(float(r.group(1))) if r else "-", p99 or "-", "errors:" + e.group(1).replace(" ", "") if e else "")
EOF
	)"
}

# synack_client_veth NAME MODEL TARGET: synack client in A (taskset -c 0);
# sets OUT_V (cps or rps), OUT_P (p99 response us), or VERR.
VERR=""
synack_client_veth() {
	local name=$1 model=$2 target=$3 key
	veth_ini "$TMP/$name.ini" client "$IF_A" "$S_A" "$model" "$target"
	key=$([ "$model" = cps ] && echo cps || echo rps)
	show ip netns exec "$NS_A" taskset -c 0 "$SYNACK" -c "$TMP/$name.ini" --json "$TMP/$name.json"
	SYN_RC=0
	ip netns exec "$NS_A" taskset -c 0 timeout -k 5 $((DUR + 30)) "$SYNACK" -c "$TMP/$name.ini" \
		--json "$TMP/$name.json" >"$TMP/$name.log" 2>&1 || SYN_RC=$?
	if [ "$SYN_RC" -ne 0 ]; then
		VERR="client exit $SYN_RC: $(why "$TMP/$name.log")"
		OUT_V=-
		OUT_P=-
		return 0
	fi
	OUT_V=$($JS "$TMP/$name.json" mean "$key" || echo -)
	OUT_P=$($JS "$TMP/$name.json" summary latency_us.response.p99 | cut -d. -f1 || echo -)
}

# synack server in B (taskset -c 1), up until stopped: sets SRV_PID.
SRV_PID=""
synack_server_veth() {
	local name=$1
	veth_ini "$TMP/$name.ini" server "$IF_B" "$S_B"
	show ip netns exec "$NS_B" taskset -c 1 "$SYNACK" -c "$TMP/$name.ini" --json "$TMP/$name.json"
	ip netns exec "$NS_B" taskset -c 1 "$SYNACK" -c "$TMP/$name.ini" --json "$TMP/$name.json" \
		>"$TMP/$name.log" 2>&1 &
	SRV_PID=$!
	track "$SRV_PID"
	if ! wait_line "$TMP/$name.log" '^port0 ' 20 "$SRV_PID"; then
		VERR="server: $(why "$TMP/$name.log")"
		stop_pid "$SRV_PID" 5
		SRV_PID=""
		return 1
	fi
	sleep 0.5
}

# veth_scenario cps|rps
veth_scenario() {
	local model=$1 scen="${1}_veth" i
	local ss=() wn=() sn=() ssp=() wnp=() snp=() errs=()
	if ! veth_setup; then
		row "$scen" "HTTP $model over veth" "error: needs root and ip netns" "-" "-" ""
		return 0
	fi
	if ! need wrk wrk; then
		errs+=("wrk missing")
	fi
	local wrkargs=()
	[ "$model" = cps ] && wrkargs=(-H "Connection: close")
	log "$scen: synack->synack, wrk->nginx, synack->nginx over veth (af_xdp), client on CPU 0, server on CPU 1, $REPS x ${DUR}s each"
	for i in $(seq 1 "$REPS"); do
		local v p e
		# synack client -> synack server: no kernel address on either end
		veth_addrs "" ""
		VERR=""
		if synack_server_veth "${scen}.srv.$i"; then
			synack_client_veth "${scen}.ss.$i" "$model" "$S_B"
			v=$OUT_V
			p=$OUT_P
			stop_pid "$SRV_PID" 10
			[ "$STOP_RC" -eq 0 ] || VERR="${VERR:+$VERR; }server exit $STOP_RC: $(why "$TMP/${scen}.srv.$i.log")"
			SRV_PID=""
		else
			v=-
			p=-
		fi
		isnum "$v" && ss+=("$v") && ssp+=("$p")
		[ -n "$VERR" ] && errs+=("synack->synack: $VERR")
		# wrk -> nginx: kernel on both ends
		veth_addrs "$K_A" "$K_B"
		if nginx_start; then
			wrk_run "${scen}.wrk.$i" "${wrkargs[@]}"
			v=$OUT_V
			p=$OUT_P
			e=$OUT_E
			isnum "$v" && wn+=("$v") && wnp+=("$p")
			[ -n "$e" ] && errs+=("wrk $e")
			# synack client -> nginx: synack on A's veth (no kernel address)
			veth_addrs "" "$K_B"
			VERR=""
			synack_client_veth "${scen}.sn.$i" "$model" "$K_B"
			v=$OUT_V
			p=$OUT_P
			isnum "$v" && sn+=("$v") && snp+=("$p")
			[ -n "$VERR" ] && errs+=("synack->nginx: $VERR")
		else
			errs+=("nginx did not start")
		fi
	done
	nginx_stop
	local what
	what=$([ "$model" = cps ] && echo "HTTP CPS (Connection: close)" || echo "keep-alive RPS")
	local a amin amax b bmin bmax c cmin cmax
	read -r a amin amax <<<"$(stats "${ss[@]}")"
	read -r b bmin bmax <<<"$(stats "${wn[@]}")"
	read -r c cmin cmax <<<"$(stats "${sn[@]}")"
	local err1=""
	[ ${#errs[@]} -gt 0 ] && err1="; ${errs[0]}"
	row "$scen" "$what: synack->synack vs wrk->nginx" "${a:-error}" "${b:--}" "$(ratio "${a:-}" "${b:-}")" \
		"median of $REPS (synack $amin..$amax, wrk $bmin..$bmax); p99 resp us synack $(stats "${ssp[@]}" | cut -d' ' -f1) wrk $(stats "${wnp[@]}" | cut -d' ' -f1)$err1"
	row "$scen" "$what: synack->nginx vs wrk->nginx" "${c:-error}" "${b:--}" "$(ratio "${c:-}" "${b:-}")" \
		"median of $REPS (synack $cmin..$cmax); p99 resp us synack $(stats "${snp[@]}" | cut -d' ' -f1); same nginx, 1 CPU each side"
	if [ ${#errs[@]} -gt 1 ]; then
		printf '  %s: %s\n' "$scen" "${errs[@]}"
	fi
}

cps_veth() { veth_scenario cps; }
rps_veth() { veth_scenario rps; }

# wrk_veth: the kernel's own client (wrk) against the synack server vs against
# nginx, same veth, same cores: what a user sees pointing their usual tools at
# synack (issue 3's benchmark).
wrk_veth() {
	local scen=wrk_veth i ks=() kn=() cs=() cn=() ksp=() knp=() errs=()
	if ! veth_setup; then
		row "$scen" "wrk against synack vs nginx" "error: needs root and ip netns" "-" "-" ""
		return 0
	fi
	need wrk wrk || errs+=("wrk missing")
	log "$scen: wrk -> synack server vs wrk -> nginx over veth (af_xdp), $REPS x ${DUR}s"
	for i in $(seq 1 "$REPS"); do
		# wrk (kernel, A) -> synack server (B's veth, no kernel address on B)
		veth_addrs "$K_A" ""
		VERR=""
		if synack_server_veth "$scen.srv.$i"; then
			WRK_URL="http://$S_B/" wrk_run "$scen.ks.$i"
			isnum "$OUT_V" && ks+=("$OUT_V") && ksp+=("$OUT_P")
			[ -n "$OUT_E" ] && errs+=("wrk->synack $OUT_E")
			WRK_URL="http://$S_B/" wrk_run "$scen.cs.$i" -H "Connection: close"
			isnum "$OUT_V" && cs+=("$OUT_V")
			[ -n "$OUT_E" ] && errs+=("wrk close->synack $OUT_E")
			stop_pid "$SRV_PID" 10
			SRV_PID=""
		else
			errs+=("synack server: $VERR")
		fi
		# wrk -> nginx
		veth_addrs "$K_A" "$K_B"
		if nginx_start; then
			wrk_run "$scen.kn.$i"
			isnum "$OUT_V" && kn+=("$OUT_V") && knp+=("$OUT_P")
			wrk_run "$scen.cn.$i" -H "Connection: close"
			isnum "$OUT_V" && cn+=("$OUT_V")
		else
			errs+=("nginx did not start")
		fi
		nginx_stop
	done
	local a amin amax b bmin bmax c cmin cmax d dmin dmax
	read -r a amin amax <<<"$(stats "${ks[@]}")"
	read -r b bmin bmax <<<"$(stats "${kn[@]}")"
	read -r c cmin cmax <<<"$(stats "${cs[@]}")"
	read -r d dmin dmax <<<"$(stats "${cn[@]}")"
	local err1=""
	[ ${#errs[@]} -gt 0 ] && err1="; ${errs[0]}"
	row "$scen" "keep-alive RPS: wrk->synack vs wrk->nginx" "${a:-error}" "${b:--}" "$(ratio "${a:-}" "${b:-}")" \
		"median of $REPS (synack $amin..$amax, nginx $bmin..$bmax); p99 us synack $(stats "${ksp[@]}" | cut -d' ' -f1) nginx $(stats "${knp[@]}" | cut -d' ' -f1)$err1"
	row "$scen" "CPS (Connection: close): wrk->synack vs wrk->nginx" "${c:-error}" "${d:--}" "$(ratio "${c:-}" "${d:-}")" \
		"median of $REPS (synack $cmin..$cmax, nginx $dmin..$dmax)"
}

# udp_pps: UDP datagrams per second from synack's udp model to a UDP sink (one
# lcore, both ends, net_ring) vs testpmd txonly 64-byte on net_null (the
# generation ceiling of one core), and vs iperf3 -u -l 64 -b 0 between two
# namespaces over veth (the kernel path a user would otherwise measure).
udp_pps() {
	local scen=udp_pps i v=() err=""
	log "$scen: synack udp model to a UDP sink over net_ring, 1 lcore ($REPS x ${DUR}s)"
	for i in $(seq 1 "$REPS"); do
		synack_fg "$scen.$i" $((DUR + 30)) -c "$ROOT/config/udp-ring.ini" --set "run.duration=${DUR}s" \
			--set run.lcores=1 --set client.echo=off --set client.payload=24 --set client.count=0
		if [ "$SYN_RC" -eq 0 ]; then
			local x
			x=$($JS "$TMP/$scen.$i.json" mean tx_pps || echo -)
			isnum "$x" && v+=("$x")
		else
			err="synack exit $SYN_RC: $(why "$TMP/$scen.$i.log")"
		fi
	done
	local tp="" out=$TMP/testpmd-txonly.log
	if need dpdk-testpmd dpdk-dev; then
		local cmd=(dpdk-testpmd --no-huge -m 512 --no-pci --no-shconf -l "0,1" --vdev=net_null0
			--log-level=lib.eal:error -- --forward-mode=txonly --txpkts=64 --nb-cores=1
			--total-num-mbufs=16384 --stats-period=1)
		show timeout -s INT $((DUR + 2)) "${cmd[@]}"
		timeout -k 5 -s INT $((DUR + 2)) "${cmd[@]}" </dev/null >"$out" 2>&1 || true
		tp=$("$PY" -c '
import re, statistics, sys
v = [int(x) for x in re.findall(r"Tx-pps:\s+(\d+)", open(sys.argv[1], errors="replace").read())]
v = [x for x in v[1:] if x > 0]
print(int(statistics.median(v)) if v else "")' "$out")
	fi
	local a amin amax
	read -r a amin amax <<<"$(stats "${v[@]}")"
	row "$scen" "UDP pps sent, 24-byte payload (udp model -> sink, 1 lcore, both ends)" "${a:-error}" "${tp:--}" \
		"$(ratio "${a:-}" "${tp:-}")" "median of $REPS ($amin..$amax); peer: testpmd txonly 64 B on net_null, generation only${err:+; $err}"
	# iperf3 -u -l 64 -b 0 over the veth pair (client CPU 0, server CPU 1):
	# what a user gets from the kernel with the tool they know
	local ip_s=() ip_r=()
	if veth_setup && need iperf3 iperf3; then
		veth_addrs "$K_A" "$K_B"
		for i in $(seq 1 "$REPS"); do
			iperf3_server "$NS_B" "$K_B" 1 || { stop_pid "$IPERF_PID" 5; continue; }
			local out=$TMP/iperf3-udp.$i.json
			show ip netns exec "$NS_A" taskset -c 0 iperf3 -c "$K_B" -u -l 64 -b 0 -t "$DUR" -J
			ip netns exec "$NS_A" taskset -c 0 timeout $((DUR + 20)) iperf3 -c "$K_B" -u -l 64 -b 0 \
				-t "$DUR" -J >"$out" 2>&1 || true
			stop_pid "$IPERF_PID" 5
			read -r x y <<<"$("$PY" - "$out" <<'PYEOF' || true
import json, sys
try:
    s = json.load(open(sys.argv[1]))["end"]["sum"]
    print(int(s["packets"] / s["seconds"]), int((s["packets"] - s["lost_packets"]) / s["seconds"]))
except Exception:
    pass
PYEOF
)"
			isnum "${x:-}" && ip_s+=("$x") && ip_r+=("$y")
		done
	fi
	local b bmin bmax r
	read -r b bmin bmax <<<"$(stats "${ip_s[@]}")"
	read -r r _ _ <<<"$(stats "${ip_r[@]}")"
	row "$scen" "UDP pps sent: synack (above, 66 B frames) vs iperf3 -u -l 64 -b 0 (106 B frames, veth)" "${a:-error}" "${b:--}" \
		"$(ratio "${a:-}" "${b:-}")" "iperf3 median of ${#ip_s[@]} ($bmin..$bmax), of which received ${r:-?}/s; kernel to kernel over the veth pair, client CPU 0, server CPU 1"
}


# ---------------------------------------------------------------- insns

# callgrind_run NAME ARGS...: synack under callgrind, one file per thread.
callgrind_run() {
	local name=$1
	shift
	local cmd=(valgrind --tool=callgrind --fair-sched=yes --separate-threads=yes
		"--callgrind-out-file=$TMP/$name.cg" "$SYNACK" -c "$ROOT/config/demo.ini"
		--set run.lcores=2
		--set tcp.rto_min=30s --set pool.arp_timeout=30s --set client.timeout=0 --set tcp.delack=500ms
		"$@" --json "$TMP/$name.json")
	show "${cmd[@]}"
	SYN_RC=0
	timeout -k 10 600 "${cmd[@]}" >"$TMP/$name.log" 2>&1 || SYN_RC=$?
}

# cg_threads NAME: "role polls total pmd" per worker thread file.
cg_threads() {
	local f
	for f in "$TMP/$1.cg"-*; do
		[ -f "$f" ] || continue
		echo "$($CG thread "$f") $f"
	done | grep -E '^(client|server) '
}

insns() {
	log "insns: instructions per connection (callgrind, demo.ini, 2 workers: client and server threads)"
	if ! need valgrind valgrind || ! need callgrind_annotate valgrind; then
		row insns "instructions per connection" "error: valgrind missing" "-" "-" ""
		return 0
	fi
	local n=2000
	callgrind_run cg_busy --set "client.count=$n" --set run.duration=120s
	if [ "$SYN_RC" -ne 0 ]; then
		row insns "instructions per connection" "error: exit $SYN_RC: $(why "$TMP/cg_busy.log")" "-" "-" ""
		return 0
	fi
	# Idle baseline: the same two busy-polling workers, 1 connection/s.
	callgrind_run cg_idle --set client.rate=1 --set run.duration=4s
	local cb cs ib is retr
	cb=$($JS "$TMP/cg_busy.json" worker c0/ counters.gen_done || echo 0)
	cs=$($JS "$TMP/cg_busy.json" worker s1/ counters.tcp_accepted || echo 0)
	ib=$($JS "$TMP/cg_idle.json" worker c0/ counters.gen_done || echo 0)
	is=$($JS "$TMP/cg_idle.json" worker s1/ counters.tcp_accepted || echo 0)
	retr=$($JS "$TMP/cg_busy.json" summary counters.tcp_retrans || echo '?')
	local busy idle
	busy=$(cg_threads cg_busy)
	idle=$(cg_threads cg_idle)
	echo "callgrind worker threads (role polls Ir_worker_poll_once Ir_pmd file):"
	while read -r l; do echo "  busy $l"; done <<<"$busy"
	while read -r l; do echo "  idle $l"; done <<<"$idle"
	local role tot_incl=0 tot_excl=0 ok=1
	for role in client server; do
		local b i conns iconns
		b=$(echo "$busy" | awk -v r=$role '$1 == r {print; exit}')
		i=$(echo "$idle" | awk -v r=$role '$1 == r {print; exit}')
		conns=$([ $role = client ] && echo "$cb" || echo "$cs")
		iconns=$([ $role = client ] && echo "$ib" || echo "$is")
		if [ -z "$b" ] || [ -z "$i" ] || ! isnum "$conns" || [ "$conns" -eq 0 ]; then
			row insns "$role side per connection" "error: no $role worker thread or no connections in callgrind output" "-" "-" ""
			ok=0
			continue
		fi
		local bp bt bm ip it im idle_i per_incl per_pmd raw per_excl
		read -r _ bp bt bm _ <<<"$b"
		read -r _ ip it im _ <<<"$i"
		read -r idle_i per_incl <<<"$($CG solve "$bp" "$bt" "$conns" "$ip" "$it" "$iconns")"
		read -r _ per_pmd <<<"$($CG solve "$bp" "$bm" "$conns" "$ip" "$im" "$iconns")"
		raw=$((bt / conns))
		per_excl=$((per_incl - per_pmd))
		tot_incl=$((tot_incl + per_incl))
		tot_excl=$((tot_excl + per_excl))
		row insns "$role side Ir/conn incl PMD" "$per_incl" "2500" "$(ratio "$per_incl" 2500)" \
			"idle polls subtracted ($idle_i Ir/poll); raw incl idle $raw; PMD $per_pmd/conn; $conns conns"
		row insns "$role side Ir/conn excl PMD" "$per_excl" "1500" "$(ratio "$per_excl" 1500)" ""
		HIST+=("${role}_incl_pmd	$per_incl" "${role}_excl_pmd	$per_excl" "${role}_raw_incl_idle	$raw")
		echo "top 10 functions by self cost, $role thread ($(echo "$b" | awk '{print $5}')), idle polling included:"
		callgrind_annotate --threshold=100 "$(echo "$b" | awk '{print $5}')" 2>/dev/null |
			awk '/^Ir +file:function/ {go=1; getline; next} go && NF {print; if (++n == 10) exit}' |
			sed -e "s#$BUILD/../##" -e 's#^#  #' || true
	done
	if [ "$ok" -eq 1 ]; then
		row insns "total Ir/conn (both sides) incl PMD" "$tot_incl" "5000" "$(ratio "$tot_incl" 5000)" \
			"excl PMD $tot_excl (target 3000); $retr retransmits in the run (valgrind slows time)"
		HIST+=("total_incl_pmd	$tot_incl" "total_excl_pmd	$tot_excl")
	fi
	# history: date, commit, scenario, figure, value
	local commit h
	commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
	git -C "$ROOT" diff --quiet HEAD -- lib drivers app 2>/dev/null || commit+="+dirty"
	[ -s "$HISTORY" ] || printf 'date\tcommit\tscenario\tfigure\tvalue\n' >"$HISTORY"
	for h in "${HIST[@]}"; do
		printf '%s\t%s\tinsns\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$commit" "$h" >>"$HISTORY"
	done
	[ ${#HIST[@]} -gt 0 ] && log "appended ${#HIST[@]} lines to $HISTORY"
	return 0
}
HIST=()

# ---------------------------------------------------------------- handshake

handshake() {
	log "handshake: handshake-only CPS (connect, close; no request), one lcore over net_ring ($REPS x ${DUR}s)"
	local i v=() pps=() err=""
	for i in $(seq 1 "$REPS"); do
		if ring_run "hs_ring.$i" --set client.request=none; then
			v+=("$($JS "$TMP/hs_ring.$i.json" mean cps || true)")
			pps+=("$($JS "$TMP/hs_ring.$i.json" mean rx_pps || true)")
		else
			err="exit $SYN_RC: $(why "$TMP/hs_ring.$i.log")"
		fi
	done
	if [ ${#v[@]} -eq 0 ]; then
		row handshake "handshake-only CPS, 1 lcore" "error: $err" "-" "-" ""
		return 0
	fi
	local c cmin cmax p pmin pmax
	read -r c cmin cmax <<<"$(stats "${v[@]}")"
	read -r p pmin pmax <<<"$(stats "${pps[@]}")"
	row handshake "handshake-only CPS, 1 lcore (client+server)" "$c" "-" "-" \
		"median of $REPS, min $cmin max $cmax; $(ratio "$p" "$c") pkts/conn received (both ends)${err:+; a run failed: $err}"
}

# ---------------------------------------------------------------- cps_link

# Two processes joined by a process-to-process link, one worker each, the
# server pinned to CPU 1 and the client to CPU 0: HTTP CPS (min / median /
# max of LINK_REPS runs: cross-core figures swing here), and the link's
# ceiling measured the same way: dpdk-testpmd txonly in the client's place,
# rxonly in the server's (64-byte frames, one forwarding core each).
LINK_REPS=${BENCH_LINK_REPS:-5}

# link_devs KIND SOCK: "SERVER_DEV CLIENT_DEV" for memif or vhost.
link_devs() {
	case "$1" in
	memif) echo "net_memif0,role=server,socket=$2,id=0 net_memif0,role=client,socket=$2,id=0" ;;
	vhost) echo "net_vhost0,iface=$2,queues=1 net_virtio_user0,path=$2,queues=1" ;;
	esac
}

# link_testpmd KIND: sets LINK_PPS (rxonly Rx-pps, median of the periods).
link_testpmd() {
	local kind=$1 sock=$TMP/tp-$1.sock sdev cdev
	LINK_PPS=""
	need dpdk-testpmd dpdk-dev || return 0
	read -r sdev cdev <<<"$(link_devs "$kind" "$sock")"
	local common=(--no-huge -m 512 --no-pci --no-shconf --log-level=lib.eal:error)
	local rx=(dpdk-testpmd "${common[@]}" --lcores=0@1,1@1 --vdev="$sdev" --
		--forward-mode=rxonly --nb-cores=1 --total-num-mbufs=16384 --stats-period=1)
	local tx=(dpdk-testpmd "${common[@]}" --lcores=0@0,1@0 --vdev="$cdev" --
		--forward-mode=txonly --nb-cores=1 --total-num-mbufs=16384 --stats-period=1)
	show timeout -s INT $((DUR + 4)) "${rx[@]}"
	timeout -k 5 -s INT $((DUR + 4)) "${rx[@]}" </dev/null >"$TMP/tp-$kind-rx.log" 2>&1 &
	local rpid=$!
	track "$rpid"
	sleep 1.5
	show timeout -s INT $((DUR + 1)) "${tx[@]}"
	timeout -k 5 -s INT $((DUR + 1)) "${tx[@]}" </dev/null >"$TMP/tp-$kind-tx.log" 2>&1 || true
	STOP_RC=0
	wait "$rpid" 2>/dev/null || STOP_RC=$?
	LINK_PPS=$("$PY" - "$TMP/tp-$kind-rx.log" <<'PYEOF'
import re, statistics, sys
v = [int(x) for x in re.findall(r"Rx-pps:\s+(\d+)", open(sys.argv[1], errors="replace").read())]
v = [x for x in v if x > 0][1:]
print(int(statistics.median(v)) if v else "")
PYEOF
	)
}

cps_link() {
	local kind
	for kind in memif vhost; do
		log "cps_link: HTTP CPS, synack client -> synack server, two processes over $kind ($LINK_REPS x ${DUR}s)"
		local i v=() pps=() errs=() sock sdev cdev spid
		for i in $(seq 1 "$LINK_REPS"); do
			sock=$TMP/link-$kind.$i.sock
			read -r sdev cdev <<<"$(link_devs "$kind" "$sock")"
			show taskset -c 1 "$SYNACK" -c "$ROOT/config/$kind-server.ini" --set "port0.dev=$sdev" \
				--json "$TMP/link_$kind.s$i.json"
			taskset -c 1 "$SYNACK" -c "$ROOT/config/$kind-server.ini" --set "port0.dev=$sdev" \
				--json "$TMP/link_$kind.s$i.json" >"$TMP/link_$kind.s$i.log" 2>&1 &
			spid=$!
			track "$spid"
			if ! wait_line "$TMP/link_$kind.s$i.log" '^port0 ' 20 "$spid"; then
				errs+=("server: $(why "$TMP/link_$kind.s$i.log")")
				stop_pid "$spid" 5
				continue
			fi
			sleep 0.5
			local ccfg=$ROOT/config/memif-client.ini
			[ "$kind" = vhost ] && ccfg=$ROOT/config/virtio-user-client.ini
			# memif: the client lingers after its summary until the server
			# has left (run.linger): the 22.11 memif PMD can crash the side
			# still polling when its peer goes away. virtio-user must not
			# linger: the vhost side leaving gets it a SIGPIPE.
			local linger=0
			[ "$kind" = memif ] && linger=20s
			show taskset -c 0 "$SYNACK" -c "$ccfg" --set "port0.dev=$cdev" --set "run.duration=${DUR}s" \
				--set "run.linger=$linger" --json "$TMP/link_$kind.c$i.json"
			taskset -c 0 timeout -k 5 $((DUR + 40)) "$SYNACK" -c "$ccfg" --set "port0.dev=$cdev" \
				--set "run.duration=${DUR}s" --set "run.linger=$linger" --json "$TMP/link_$kind.c$i.json" \
				>"$TMP/link_$kind.c$i.log" 2>&1 &
			local cpid=$!
			track "$cpid"
			if [ "$kind" = memif ]; then
				wait_line "$TMP/link_$kind.c$i.json" '"type":"summary"' $((DUR + 30)) "$cpid" || true
			else
				wait_line "$TMP/link_$kind.c$i.json" '"type":"summary"' $((DUR + 30)) "$cpid" || true
				for _ in $(seq 1 50); do kill -0 "$cpid" 2>/dev/null || break; sleep 0.1; done
			fi
			stop_pid "$spid" 10
			STOP_RC=0
			wait "$cpid" 2>/dev/null || STOP_RC=$?
			SYN_RC=$STOP_RC
			if [ "$SYN_RC" -eq 0 ]; then
				v+=("$($JS "$TMP/link_$kind.c$i.json" mean cps || true)")
				pps+=("$($JS "$TMP/link_$kind.c$i.json" mean tx_pps || true)")
			else
				errs+=("client exit $SYN_RC: $(why "$TMP/link_$kind.c$i.log")")
			fi
		done
		local name="HTTP CPS, 2 processes over $kind ($([ "$kind" = vhost ] && echo 'vhost <-> virtio-user' || echo 'memif server/client'))"
		if [ ${#v[@]} -eq 0 ]; then
			row cps_link "$name" "error: ${errs[0]:-no run}" "-" "-" ""
			continue
		fi
		local c cmin cmax p pmin pmax
		read -r c cmin cmax <<<"$(stats "${v[@]}")"
		read -r p pmin pmax <<<"$(stats "${pps[@]}")"
		row cps_link "$name" "$c" "-" "-" \
			"median of ${#v[@]} (min $cmin, max $cmax); client on CPU 0, server on CPU 1${errs[0]:+; ${#errs[@]} failed: ${errs[0]}}"
		link_testpmd "$kind"
		row cps_link "client pps sent vs testpmd txonly -> rxonly ($kind, 64 B)" "$p" "${LINK_PPS:--}" \
			"$(ratio "$p" "${LINK_PPS:-}")" \
			"synack $(ratio "$p" "$c") pkts/conn sent by the client; peer: the link's ceiling, one core each end"
	done
}

# ---------------------------------------------------------------- latency

latency() {
	log "latency: handshake / TTFB percentiles at ~50% of max CPS over net_ring (1 lcore)"
	if [ -z "$CPS_MAX" ]; then
		if ring_run lat_max; then
			CPS_MAX=$($JS "$TMP/lat_max.json" mean cps || true)
		fi
	fi
	if ! isnum "$CPS_MAX" || [ "$CPS_MAX" -eq 0 ]; then
		row latency "latency at 50% max CPS" "error: no max CPS measured" "-" "-" ""
		return 0
	fi
	local rate=$((CPS_MAX / 2))
	# Ping-pong: one ICMP echo in flight, same link and lcore: RTT = 1/rate.
	local rtt="" echo_rate
	synack_fg lat_ping $((DUR + 30)) -c "$ROOT/config/ping-ring.ini" --set run.lcores=1 \
		--set client.concurrency=1 --set "run.duration=${DUR}s"
	if [ "$SYN_RC" -eq 0 ]; then
		rtt=$($JS "$TMP/lat_ping.json" summary latency_us.icmp.p50 || true)
		if [ -z "$rtt" ]; then
			echo_rate=$($JS "$TMP/lat_ping.json" rate counters.icmp_reply_rx || true)
			isnum "$echo_rate" && [ "$echo_rate" -gt 0 ] &&
				rtt=$("$PY" -c "print(f'{1e6/$echo_rate:.2f}')")
		fi
	fi
	local pnote="ping model, concurrency 1: mean RTT = 1/echo rate (synack records no ICMP RTT percentiles)"
	[ -n "$rtt" ] || pnote="ping-pong RTT n/a: $(why "$TMP/lat_ping.log")"
	if ! ring_run lat_half --set "client.rate=$rate"; then
		row latency "latency at 50% max CPS" "error: exit $SYN_RC: $(why "$TMP/lat_half.log")" "-" "-" ""
		return 0
	fi
	local got k q vals
	got=$($JS "$TMP/lat_half.json" mean cps || echo '?')
	for k in handshake ttfb; do
		vals=""
		for q in p50 p99 p99.9; do
			vals+="$($JS "$TMP/lat_half.json" summary "latency_us.$k.$q" || echo '?') / "
		done
		row latency "$k p50 / p99 / p99.9 (us)" "${vals% / }" "${rtt:-n/a}" \
			"$(ratio "$($JS "$TMP/lat_half.json" summary "latency_us.$k.p50" || true)" "$rtt")" \
			"client.rate=$rate (50% of $CPS_MAX), got $got cps; peer: $pnote; ratio = p50/RTT"
	done
}

# ---------------------------------------------------------------- cc

# cc: hold CC_CONC idle connections between two processes over net_memif,
# one worker each. The client has one target (198.18.2.2:80) and as many
# consecutive addresses (port0.ip_count) as CC_CONC needs at 64512 source
# ports each. It runs until CC_CONC connections are established (or
# CC_SECS pass), holds them CC_HOLD seconds, and is stopped (SIGINT); then
# the server (SIGTERM). Figures: connections reached (client / server
# peak), time to establish them, bytes per connection printed at start
# (reserved) and measured (RSS growth since before the flow tables / peak
# connections, the summary's memory object of each process).
cc() {
	log "cc: concurrent connections, synack server + client processes over net_memif (concurrency $CC_CONC, ramp-up ${CC_RAMP}s, at most ${CC_SECS}s to establish)"
	local sock=$TMP/memif-$$.sock
	local nip=$(((CC_CONC + 64511) / 64512))
	if [ "$nip" -gt 240 ]; then
		log "cc: $CC_CONC connections need $nip client addresses; capped at 240 (198.18.2.10-249)"
		nip=240
	fi
	# the tables: the connections plus 1% (SYN-RECEIVED, TIME-WAIT, slack)
	local maxc=$((CC_CONC + CC_CONC / 100 + 1024))
	[ "$maxc" -lt 4096 ] && maxc=4096
	cat >"$TMP/cc-server.ini" <<EOF
; bench cc: the server end of a memif link
[run]
mode     = server
duration = 0
lcores   = 1
report_interval = 500ms
[port0]
dev = net_memif0,role=server,socket=$sock
ip  = 198.18.2.2/24
[server]
listen = 80
[tcp]
max_conns   = $maxc
syn_backlog = $maxc
EOF
	cat >"$TMP/cc-client.ini" <<EOF
; bench cc: the client end; $nip addresses x source ports 1024-65535, idle connections
[run]
mode     = client
duration = $((CC_SECS + CC_HOLD + 5))s
lcores   = 1
report_interval = 500ms
[port0]
dev = net_memif0,role=client,socket=$sock
ip  = 198.18.2.10/24
ip_count = $nip
[client]
model       = cc
target      = 198.18.2.2:80
concurrency = $CC_CONC
ports       = 1024-65535
interval    = 0
ramp_up     = ${CC_RAMP}s
[tcp]
max_conns = $maxc
EOF
	show taskset -c 1 "$SYNACK" -c "$TMP/cc-server.ini" --json "$TMP/cc-server.json"
	taskset -c 1 "$SYNACK" -c "$TMP/cc-server.ini" --json "$TMP/cc-server.json" >"$TMP/cc-server.log" 2>&1 &
	local spid=$!
	track "$spid"
	if ! wait_line "$TMP/cc-server.log" '^synack: mode ' 120 "$spid"; then
		local e
		e=$(why "$TMP/cc-server.log")
		stop_pid "$spid" 5
		log "memif server did not come up ($e): one process (mode both over net_ring) instead"
		cc_one_process "memif server failed: $e"
		return 0
	fi
	sleep 1
	show taskset -c 0 "$SYNACK" -c "$TMP/cc-client.ini" --json "$TMP/cc-client.json"
	taskset -c 0 "$SYNACK" -c "$TMP/cc-client.ini" --json "$TMP/cc-client.json" \
		>"$TMP/cc-client.log" 2>&1 &
	local cpid=$!
	track "$cpid"
	# bounded: the start line, then CC_CONC up or CC_SECS
	wait_line "$TMP/cc-client.log" '^synack: mode ' 120 "$cpid" || true
	local t0 up=0 i
	t0=$(date +%s)
	while [ $(($(date +%s) - t0)) -lt "$CC_SECS" ] && kill -0 "$cpid" 2>/dev/null; do
		up=$($JS "$TMP/cc-client.json" last counters.gen_conn_ok || echo 0)
		isnum "$up" && [ "$up" -ge "$CC_CONC" ] && break
		sleep 1
	done
	log "cc: $up connections established after $(($(date +%s) - t0)) s; holding ${CC_HOLD}s"
	sleep "$CC_HOLD"
	kill -INT "$cpid" 2>/dev/null || true
	# the end of the run aborts every connection (an RST and a hash delete
	# each: tens of seconds for 10M on a busy vCPU): bounded at 180 s
	for i in $(seq 1 1800); do
		kill -0 "$cpid" 2>/dev/null || break
		sleep 0.1
	done
	stop_pid "$cpid" 5
	local crc=$STOP_RC
	stop_pid "$spid" 180  # memif: the client stops first, then the server
	local src=$STOP_RC
	local c_peak s_peak t_est c_est c_meas s_est s_meas errp errt
	c_peak=$($JS "$TMP/cc-client.json" summary memory.peak_conns || echo "")
	s_peak=$($JS "$TMP/cc-server.json" summary memory.peak_conns || echo "")
	t_est=$($JS "$TMP/cc-client.json" reach counters.gen_conn_ok "$CC_CONC" || echo "")
	c_est=$($JS "$TMP/cc-client.json" summary memory.est_bytes_per_conn || echo "")
	c_meas=$($JS "$TMP/cc-client.json" summary memory.rss_bytes_per_conn || echo "")
	s_est=$($JS "$TMP/cc-server.json" summary memory.est_bytes_per_conn || echo "")
	s_meas=$($JS "$TMP/cc-server.json" summary memory.rss_bytes_per_conn || echo "")
	errp=$($JS "$TMP/cc-client.json" summary counters.gen_err_ports || echo 0)
	errt=$($JS "$TMP/cc-client.json" summary counters.gen_err_table || echo 0)
	grep -E '^memory:' "$TMP/cc-client.log" "$TMP/cc-server.log" || true
	if ! isnum "$c_peak" || [ "$c_peak" -eq 0 ]; then
		log "memif client failed (exit $crc: $(why "$TMP/cc-client.log")): one process instead"
		cc_one_process "memif client exit $crc: $(why "$TMP/cc-client.log")"
		return 0
	fi
	local note=""
	[ "$src" -eq 0 ] || note="; server exit $src after SIGTERM: $(why "$TMP/cc-server.log")"
	row cc "concurrent conns reached (client / server peak)" "$c_peak / ${s_peak:-?}" "$CC_CONC" \
		"$(ratio "$c_peak" "$CC_CONC")" \
		"memif, 2 processes, 1 worker each, $nip client addresses; gen_err_ports=$errp gen_err_table=$errt; client exit $crc$note"
	row cc "time to establish $CC_CONC, s" "${t_est:-not reached}" "-" "-" \
		"first 500 ms report with gen_conn_ok >= $CC_CONC (ramp-up ${CC_RAMP}s, bounded at ${CC_SECS}s)"
	row cc "bytes/conn estimated at start (client / server)" "${c_est:-?} / ${s_est:-?}" "192" \
		"$(ratio "${c_est:-}" 192)" "reserved per connection: tcp.max_conns=$maxc"
	row cc "bytes/conn measured (client / server)" "${c_meas:-?} / ${s_meas:-?}" "192" \
		"$(ratio "${c_meas:-}" 192)" "RSS growth since before the flow tables / peak connections (summary memory.*)"
}

# Fallback: client and server in one process over net_ring.
cc_one_process() {
	local why1=$1
	local nip=$(((CC_CONC + 64511) / 64512))
	[ "$nip" -gt 240 ] && nip=240
	local args=(-c "$ROOT/config/demo.ini" --set run.duration=8s --set client.model=cc
		--set "client.concurrency=$CC_CONC" --set client.ports=1024-65535
		--set port0.ip=198.18.0.10/24 --set "port0.ip_count=$nip"
		--set "tcp.max_conns=$((2 * CC_CONC + 4096))" --json "$TMP/cc_one.json")
	show "$SYNACK" "${args[@]}"
	timeout -k 5 40 "$SYNACK" "${args[@]}" >"$TMP/cc_one.log" 2>&1 &
	local pid=$! real rss=""
	track "$pid"
	sleep 7
	real=$(pgrep -P "$pid" -x synack | head -1 || true)
	[ -n "$real" ] && rss=$(rss_kb "$real")
	wait "$pid" || true
	local held
	held=$($JS "$TMP/cc_one.json" last gauges.gen_active || echo "")
	row cc "concurrent conns held (one process)" "${held:-error}" "$CC_CONC" "$(ratio "${held:-}" "$CC_CONC")" \
		"fallback ($why1); RSS ${rss:-?}kB for both ends"
}

# ---------------------------------------------------------------- tput

# fstats V...: "median min max" with two decimals (Gbps).
fstats() {
	"$PY" - "$@" <<'EOF'
import statistics, sys
v = []
for x in sys.argv[1:]:
    try:
        v.append(float(x))
    except ValueError:
        pass
v.sort()
if v:
    print("%.2f %.2f %.2f" % (statistics.median(v), v[0], v[-1]))
EOF
}

# iperf3_gbps NS ADDR: one iperf3 -c run (-t DUR, one stream) against the
# iperf3 -s already listening in NS on ADDR, client on CPU 0; prints the
# receiver's Gbit/s (empty on failure).
iperf3_gbps() {
	local ns=$1 addr=$2 out=$TMP/iperf3.$RANDOM.json
	show ip netns exec "$ns" taskset -c 0 iperf3 -c "$addr" -t "$DUR" -J
	ip netns exec "$ns" taskset -c 0 timeout $((DUR + 20)) iperf3 -c "$addr" -t "$DUR" -J \
		>"$out" 2>&1 || true
	"$PY" - "$out" <<'EOF' || true
import json, sys
try:
    e = json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"]
    print("%.2f" % (e / 1e9))
except Exception:
    pass
EOF
}

# iperf3_server NS ADDR CPU: iperf3 -s bound to ADDR in NS on CPU; sets IPERF_PID.
IPERF_PID=""
iperf3_server() {
	show ip netns exec "$1" taskset -c "$3" iperf3 -s -B "$2"
	ip netns exec "$1" taskset -c "$3" iperf3 -s -B "$2" >"$TMP/iperf3-s.log" 2>&1 &
	IPERF_PID=$!
	track "$IPERF_PID"
	local i
	for i in $(seq 1 50); do
		ip netns exec "$1" ss -ltn 2>/dev/null | grep -q ":5201 " && return 0
		sleep 0.1
	done
	return 1
}

# tput_gbps JSON COUNTER: Gbit/s of the byte counter between the first
# interval and the last one that still moved bytes (empty when none).
tput_gbps() {
	"$PY" - "$1" "$2" <<'EOF' || true
import json, sys
try:
    iv = [o for o in map(json.loads, open(sys.argv[1])) if o.get("type") == "interval"]
except (OSError, ValueError):
    sys.exit(0)
pts = [(o["t"], o["counters"][sys.argv[2]]) for o in iv]
while len(pts) > 2 and pts[-1][1] == pts[-2][1]:
    pts.pop()
if len(pts) >= 2 and pts[-1][0] > pts[0][0] and pts[-1][1] > pts[0][1]:
    print("%.2f" % ((pts[-1][1] - pts[0][1]) * 8 / (pts[-1][0] - pts[0][0]) / 1e9))
EOF
}

# tput_ini FILE MODE DEV IP TARGET: a bulk config for one end (one worker).
tput_ini() {
	cat >"$1" <<EOF
; bench tput: synack $2, one worker
[run]
mode     = $2
duration = $([ "$2" = server ] && echo 0 || echo "${DUR}s")
lcores   = 1
[port0]
dev = $3
ip  = $4/24
[server]
listen = 80
bulk   = 5002
[client]
model       = throughput
target      = $5:5002
direction   = send
concurrency = 1
EOF
}

# A python kernel sink (counts until EOF) and a kernel sender (DUR seconds).
KSINK='
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 5002)); s.listen(1); s.settimeout(60)
c, _ = s.accept(); b = bytearray(1 << 20); n = 0
while True:
    k = c.recv_into(b)
    if not k:
        break
    n += k
print(n)'
KSEND='
import socket, sys, time
s = socket.create_connection((sys.argv[1], 5002), timeout=10); b = bytes(1 << 20)
t0 = time.time(); n = 0
while time.time() - t0 < float(sys.argv[2]):
    s.sendall(b); n += len(b)
s.shutdown(socket.SHUT_WR); s.recv(1); print(n, time.time() - t0)'

tput() {
	log "tput: single-stream TCP Gbps per core: synack->synack (net_ring, memif), synack<->kernel (veth), iperf3 (veth, loopback)"
	local i v ring=() mem=() vh=() sk=() ks=() iv=() il=() errs=()
	# 1. synack -> synack, client and server on one lcore over net_ring
	for i in $(seq 1 "$REPS"); do
		synack_fg "tput_ring.$i" $((DUR + 30)) -c "$ROOT/config/bulk-ring.ini" --set "run.duration=${DUR}s"
		v=$(tput_gbps "$TMP/tput_ring.$i.json" gen_bulk_tx)
		if isnum "$v"; then ring+=("$v"); else errs+=("ring: exit $SYN_RC: $(why "$TMP/tput_ring.$i.log")"); fi
	done
	# 2. synack -> synack, two processes over net_memif (server first, client stopped first)
	local sock=$TMP/tput-memif.sock spid kpid bpid
	tput_ini "$TMP/tput-msrv.ini" server "net_memif0,role=server,socket=$sock" 198.18.2.2 198.18.2.1
	tput_ini "$TMP/tput-mcli.ini" client "net_memif0,role=client,socket=$sock" 198.18.2.1 198.18.2.2
	for i in $(seq 1 "$REPS"); do
		show taskset -c 1 "$SYNACK" -c "$TMP/tput-msrv.ini" --json "$TMP/tput_msrv.$i.json"
		taskset -c 1 "$SYNACK" -c "$TMP/tput-msrv.ini" --json "$TMP/tput_msrv.$i.json" \
			>"$TMP/tput_msrv.$i.log" 2>&1 &
		spid=$!
		track "$spid"
		if wait_line "$TMP/tput_msrv.$i.log" '^port0 ' 20 "$spid"; then
			sleep 0.5
			# client lingers until the server has left (see cps_link)
			show taskset -c 0 "$SYNACK" -c "$TMP/tput-mcli.ini" --set run.linger=20s \
				--json "$TMP/tput_mcli.$i.json"
			taskset -c 0 timeout -k 5 $((DUR + 40)) "$SYNACK" -c "$TMP/tput-mcli.ini" \
				--set run.linger=20s --json "$TMP/tput_mcli.$i.json" \
				>"$TMP/tput_mcli.$i.log" 2>&1 &
			local cpid=$!
			track "$cpid"
			wait_line "$TMP/tput_mcli.$i.json" '"type":"summary"' $((DUR + 30)) "$cpid" || true
			stop_pid "$spid" 10
			STOP_RC=0
			wait "$cpid" 2>/dev/null || STOP_RC=$?
			SYN_RC=$STOP_RC
			v=$(tput_gbps "$TMP/tput_mcli.$i.json" gen_bulk_tx)
			if isnum "$v"; then mem+=("$v"); else errs+=("memif client exit $SYN_RC: $(why "$TMP/tput_mcli.$i.log")"); fi
		else
			errs+=("memif server: $(why "$TMP/tput_msrv.$i.log")")
		fi
		stop_pid "$spid" 10
	done
	# 2b. synack -> synack, two processes over vhost-user <-> virtio-user, the
	# vhost side with TSO offered (tso=1) and large frames handed up whole
	# (linear-buffer, ext-buffer): see README, TSO. virtio-user exits first
	# (it must not linger: the vhost side leaving would SIGPIPE it).
	local vsock=$TMP/tput-vhost.sock
	tput_ini "$TMP/tput-vsrv.ini" server "net_vhost0,iface=$vsock,queues=1,tso=1,linear-buffer=1,ext-buffer=1" \
		198.18.3.2 198.18.3.1
	tput_ini "$TMP/tput-vcli.ini" client "net_virtio_user0,path=$vsock,queues=1" 198.18.3.1 198.18.3.2
	for i in $(seq 1 "$REPS"); do
		show taskset -c 1 "$SYNACK" -c "$TMP/tput-vsrv.ini" --json "$TMP/tput_vsrv.$i.json"
		taskset -c 1 "$SYNACK" -c "$TMP/tput-vsrv.ini" --json "$TMP/tput_vsrv.$i.json" \
			>"$TMP/tput_vsrv.$i.log" 2>&1 &
		spid=$!
		track "$spid"
		if wait_line "$TMP/tput_vsrv.$i.log" '^port0 ' 20 "$spid"; then
			sleep 0.5
			show taskset -c 0 "$SYNACK" -c "$TMP/tput-vcli.ini" --json "$TMP/tput_vcli.$i.json"
			SYN_RC=0
			taskset -c 0 timeout -k 5 $((DUR + 30)) "$SYNACK" -c "$TMP/tput-vcli.ini" \
				--json "$TMP/tput_vcli.$i.json" >"$TMP/tput_vcli.$i.log" 2>&1 || SYN_RC=$?
			v=$(tput_gbps "$TMP/tput_vcli.$i.json" gen_bulk_tx)
			if isnum "$v"; then vh+=("$v"); else errs+=("vhost client exit $SYN_RC: $(why "$TMP/tput_vcli.$i.log")"); fi
		else
			errs+=("vhost server: $(why "$TMP/tput_vsrv.$i.log")")
		fi
		stop_pid "$spid" 10
	done
	# 3. over veth (af_xdp) and loopback: synack and iperf3 on the same CPUs
	# (sender CPU 0, receiver CPU 1)
	if veth_setup && need iperf3 iperf3; then
		for i in $(seq 1 "$REPS"); do
			# iperf3 -> iperf3 over veth: kernel addresses on both ends
			veth_addrs "$K_A" "$K_B"
			if iperf3_server "$NS_B" "$K_B" 1; then
				v=$(iperf3_gbps "$NS_A" "$K_B")
				if isnum "$v"; then iv+=("$v"); else errs+=("iperf3 veth gave no result"); fi
			fi
			stop_pid "$IPERF_PID" 5
			# iperf3 -> iperf3 over loopback (namespace A's lo)
			if iperf3_server "$NS_A" 127.0.0.1 1; then
				v=$(iperf3_gbps "$NS_A" 127.0.0.1)
				if isnum "$v"; then il+=("$v"); else errs+=("iperf3 loopback gave no result"); fi
			fi
			stop_pid "$IPERF_PID" 5
			# synack client (A, CPU 0) -> kernel sink (python, B, CPU 1)
			veth_addrs "" "$K_B"
			show ip netns exec "$NS_B" taskset -c 1 "$PY" -c "\$KSINK" "$K_B"
			ip netns exec "$NS_B" taskset -c 1 "$PY" -c "$KSINK" "$K_B" >"$TMP/tput_ksink.$i.log" 2>&1 &
			kpid=$!
			track "$kpid"
			sleep 0.3
			tput_ini "$TMP/tput-sk.ini" client "net_af_xdp0,iface=$IF_A" "$S_A" "$K_B"
			show ip netns exec "$NS_A" taskset -c 0 "$SYNACK" -c "$TMP/tput-sk.ini" --json "$TMP/tput_sk.$i.json"
			SYN_RC=0
			ip netns exec "$NS_A" taskset -c 0 timeout -k 5 $((DUR + 30)) "$SYNACK" -c "$TMP/tput-sk.ini" \
				--json "$TMP/tput_sk.$i.json" >"$TMP/tput_sk.$i.log" 2>&1 || SYN_RC=$?
			v=$(tput_gbps "$TMP/tput_sk.$i.json" gen_bulk_tx)
			if isnum "$v"; then sk+=("$v"); else errs+=("synack->kernel exit $SYN_RC: $(why "$TMP/tput_sk.$i.log")"); fi
			stop_pid "$kpid" 5
			# kernel sender (python, A, CPU 0) -> synack bulk server (B, CPU 1)
			veth_addrs "$K_A" ""
			tput_ini "$TMP/tput-ks.ini" server "net_af_xdp0,iface=$IF_B" "$S_B" "$K_A"
			show ip netns exec "$NS_B" taskset -c 1 "$SYNACK" -c "$TMP/tput-ks.ini" --json "$TMP/tput_ks.$i.json"
			ip netns exec "$NS_B" taskset -c 1 "$SYNACK" -c "$TMP/tput-ks.ini" --json "$TMP/tput_ks.$i.json" \
				>"$TMP/tput_ks.$i.log" 2>&1 &
			bpid=$!
			track "$bpid"
			if wait_line "$TMP/tput_ks.$i.log" '^port0 ' 20 "$bpid"; then
				sleep 0.5
				show ip netns exec "$NS_A" taskset -c 0 "$PY" -c "\$KSEND" "$S_B" "$DUR"
				ip netns exec "$NS_A" taskset -c 0 timeout $((DUR + 20)) "$PY" -c "$KSEND" "$S_B" "$DUR" \
					>"$TMP/tput_ksend.$i.log" 2>&1 || true
				sleep 1.2
				stop_pid "$bpid" 10
				v=$(tput_gbps "$TMP/tput_ks.$i.json" bulk_sink_bytes)
				if isnum "$v"; then ks+=("$v"); else errs+=("kernel->synack: $(why "$TMP/tput_ks.$i.log")"); fi
			else
				errs+=("synack bulk server on veth: $(why "$TMP/tput_ks.$i.log")")
				stop_pid "$bpid" 5
			fi
		done
	else
		errs+=("veth or iperf3 unavailable (root, ip netns, apt-get install iperf3)")
	fi
	local a amin amax b bmin bmax c cmin cmax d dmin dmax e emin emax f fmin fmax
	read -r a amin amax <<<"$(fstats "${ring[@]}")"
	read -r b bmin bmax <<<"$(fstats "${mem[@]}")"
	local h hmin hmax
	read -r h hmin hmax <<<"$(fstats "${vh[@]}")"
	read -r c cmin cmax <<<"$(fstats "${sk[@]}")"
	read -r d dmin dmax <<<"$(fstats "${ks[@]}")"
	read -r e emin emax <<<"$(fstats "${iv[@]}")"
	read -r f fmin fmax <<<"$(fstats "${il[@]}")"
	local err1=""
	[ ${#errs[@]} -gt 0 ] && err1="; ${errs[0]}"
	row tput "1-stream Gbps: synack->synack net_ring vs iperf3 loopback" "${a:-error}" "${f:--}" \
		"$(ratio "${a:-}" "${f:-}")" "median of $REPS (synack $amin..$amax, iperf3 lo $fmin..$fmax); synack: client AND server on one lcore; iperf3: client CPU 0, server CPU 1$err1"
	row tput "1-stream Gbps: synack->synack memif vs iperf3 veth" "${b:-error}" "${e:--}" \
		"$(ratio "${b:-}" "${e:-}")" "median of $REPS (memif $bmin..$bmax, iperf3 veth $emin..$emax); 2 processes on CPU 0 / 1: cross-core, swings"
	row tput "1-stream Gbps: synack->synack virtio-user->vhost (TSO) vs iperf3 veth" "${h:-error}" "${e:--}" \
		"$(ratio "${h:-}" "${e:-}")" "median of $REPS ($hmin..$hmax); 2 processes on CPU 0 / 1; tcp_tx_tso frames of up to 63 KiB, vhost hands them up whole"
	row tput "1-stream Gbps: synack->kernel veth (af_xdp) vs iperf3 veth" "${c:-error}" "${e:--}" \
		"$(ratio "${c:-}" "${e:-}")" "median of $REPS ($cmin..$cmax); kernel end: python recv_into sink; offloads off on both veth ends (iperf3 too: no TSO/GSO)"
	row tput "1-stream Gbps: kernel->synack veth (af_xdp) vs iperf3 veth" "${d:-error}" "${e:--}" \
		"$(ratio "${d:-}" "${e:-}")" "median of $REPS ($dmin..$dmax); kernel end: python sendall of 1 MiB buffers"
	if [ ${#errs[@]} -gt 1 ]; then
		printf '  tput: %s\n' "${errs[@]}"
	fi
	return 0
}

# ---------------------------------------------------------------- main

main() {
	local s
	for s in "$@"; do
		case " ${ALL_SCENARIOS[*]} " in
		*" $s "*) ;;
		*)
			echo "usage: $0 [${ALL_SCENARIOS[*]}]" >&2
			exit 2
			;;
		esac
	done
	[ $# -gt 0 ] || set -- "${ALL_SCENARIOS[@]}"
	TMP=$(mktemp -d /tmp/synack-bench.XXXXXX)
	: >"$TMP/commands.txt"
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
	log "building $BUILD"
	build
	log "synack $SYNACK, $(nproc) CPUs, scenarios: $*"
	for s in "$@"; do
		"$s"
	done
	print_table
}

main "$@"
