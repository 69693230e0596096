# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash disable=SC2034
# Shared helpers for the integration tests (sourced, not run).
#
# Builds two network namespaces joined by a veth pair:
#   syn$$ : vs$$  (no IP address: synack owns 198.18.1.2 through a DPDK vdev)
#   krn$$ : vk$$  198.18.1.1/24 (the kernel peer)
# Only 198.18.0.0/15 addresses, no default route. The EXIT trap kills only the
# PIDs registered with track_pid and deletes both namespaces.

SKIP=77

NS_SYN="syn$$"
NS_KRN="krn$$"
IF_SYN="vs$$"
IF_KRN="vk$$"
KRN_IP=198.18.1.1
SYN_IP=198.18.1.2
PREFIX=24

TMPDIR_INT=""
_PIDS=()
_NS_MADE=()
FAILS=0

log() { echo "[$(date +%H:%M:%S)] $*"; }
fail() {
	echo "FAIL: $*"
	FAILS=$((FAILS + 1))
}
skip() {
	echo "SKIP: $*"
	exit "$SKIP"
}

# Register a PID the cleanup must stop.
track_pid() { _PIDS+=("$1"); }

cleanup() {
	local rc=$?
	set +e
	local p i
	for p in "${_PIDS[@]}"; do
		if kill -0 "$p" 2>/dev/null; then
			kill -TERM "$p" 2>/dev/null
			for i in $(seq 1 50); do
				kill -0 "$p" 2>/dev/null || break
				sleep 0.1
			done
			kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
			wait "$p" 2>/dev/null
		fi
	done
	for p in "${_NS_MADE[@]}"; do
		ip netns del "$p" 2>/dev/null
	done
	if [ -n "$TMPDIR_INT" ] && [ -d "$TMPDIR_INT" ]; then
		if [ -z "${KEEP_TMP:-}" ]; then
			rm -rf "$TMPDIR_INT"
		else
			echo "kept $TMPDIR_INT"
		fi
	fi
	exit "$rc"
}

# A private temporary directory in $tmp, removed on exit (KEEP_TMP=1 keeps
# it). Call it directly, not in $(...), so the cleanup trap sees it.
make_tmp() {
	TMPDIR_INT=$(mktemp -d /tmp/synack-int.XXXXXX)
	tmp=$TMPDIR_INT
}

require_root_netns() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	command -v ip >/dev/null 2>&1 || skip "iproute2 (ip) not installed"
	ip netns list >/dev/null 2>&1 || skip "ip netns unavailable"
}

# A python3 that can import scapy (Debian's python3-scapy lives under
# /usr/bin/python3; a pyenv python3 first in PATH would not see it).
find_scapy_python() {
	local py
	for py in /usr/bin/python3 python3; do
		if command -v "$py" >/dev/null 2>&1 &&
			"$py" -c 'import scapy.all' >/dev/null 2>&1; then
			command -v "$py"
			return 0
		fi
	done
	return 1
}

# A python3 for JSON parsing (any will do).
PY=$(command -v /usr/bin/python3 || command -v python3)

# Create the namespaces and the veth pair.
setup_netns() {
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	ip netns add "$NS_SYN" || skip "cannot create network namespace"
	_NS_MADE+=("$NS_SYN")
	ip netns add "$NS_KRN"
	_NS_MADE+=("$NS_KRN")
	ip link add "$IF_SYN" netns "$NS_SYN" type veth peer name "$IF_KRN" netns "$NS_KRN"
	local ns ifc
	for ns in "$NS_SYN" "$NS_KRN"; do
		ip -n "$ns" link set lo up
	done
	for pair in "$NS_SYN:$IF_SYN" "$NS_KRN:$IF_KRN"; do
		ns=${pair%%:*}
		ifc=${pair#*:}
		# Cut kernel noise (router solicitations, MLD) on both ends.
		ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$ifc.disable_ipv6=1" || true
		ip netns exec "$ns" ethtool -K "$ifc" tx off tso off gso off >/dev/null 2>&1 ||
			ip netns exec "$ns" ethtool -K "$ifc" tx off tso off gso off
	done
	ip -n "$NS_KRN" addr add "$KRN_IP/$PREFIX" dev "$IF_KRN"
	ip -n "$NS_SYN" link set "$IF_SYN" up
	ip -n "$NS_KRN" link set "$IF_KRN" up
	# No default route in either namespace: nothing can leave.
	ip -n "$NS_KRN" route del default 2>/dev/null || true
	ip -n "$NS_SYN" route del default 2>/dev/null || true
}

# MAC address of an interface inside a namespace.
ns_mac() { ip -n "$1" link show "$2" | awk '/link\/ether/ {print $2; exit}'; }

# Wait (at most $3 seconds) for a line starting with $2 in log $1, or for
# PID $4 to exit. Returns 0 when the line shows up.
wait_for_line() {
	local file=$1 pattern=$2 secs=$3 pid=${4:-} i
	for i in $(seq 1 $((secs * 10))); do
		if grep -q -- "^$pattern" "$file" 2>/dev/null; then
			return 0
		fi
		if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
			return 1
		fi
		sleep 0.1
	done
	return 1
}

# Stop a tracked process with SIGTERM (SIGKILL after $2 s); sets STOP_RC to
# its exit status. Not for $(...): wait only works in the parent shell.
STOP_RC=""
stop_pid() {
	local pid=$1 secs=${2:-10} i
	kill -TERM "$pid" 2>/dev/null || true
	for i in $(seq 1 $((secs * 10))); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "process $pid did not exit ${secs}s after SIGTERM, killing it" >&2
		kill -KILL "$pid" 2>/dev/null || true
	fi
	STOP_RC=0
	wait "$pid" || STOP_RC=$?
}

# jsonq FILE summary|last-interval PATH: prints one value of the JSON lines
# file (PATH like counters.rx_pkts or status). Empty string when absent.
jsonq() { "$PY" "$(dirname "${BASH_SOURCE[0]}")/jsonq.py" "$@" || true; }

# json_fresh FILE: wait (at most 10 s) until synack has written two more JSON
# lines to FILE than it had on entry, so the last interval line was taken
# after the caller's action. A fixed sleep is not enough on a loaded machine:
# the main lcore that writes the lines may be descheduled for a while.
json_fresh() {
	local f=$1 n0 i
	n0=$(wc -l <"$f" 2>/dev/null || echo 0)
	for i in $(seq 1 100); do
		[ "$(wc -l <"$f" 2>/dev/null || echo 0)" -ge $((n0 + 2)) ] && return 0
		sleep 0.1
	done
	return 0
}

# Assertions. Name, expected, actual.
expect_eq() {
	if [ "$3" != "$2" ]; then
		fail "$1: expected $2, got '${3}'"
	else
		echo "ok: $1 == $2"
	fi
}
expect_ge() {
	if ! [[ "$3" =~ ^[0-9]+$ ]] || [ "$3" -lt "$2" ]; then
		fail "$1: expected >= $2, got '${3}'"
	else
		echo "ok: $1 = $3 (>= $2)"
	fi
}

# wait_reachable NS IP SECS: ping IP from namespace NS once per second until it
# answers (the veth carrier and both ARP caches are up), at most SECS tries.
wait_reachable() {
	local ns=$1 ip=$2 secs=$3 i
	for i in $(seq 1 "$secs"); do
		ip netns exec "$ns" ping -c 1 -W 1 "$ip" >/dev/null 2>&1 && return 0
	done
	return 1
}

# run_bounded NAME SECS CMD...: CMD in the background, stdout and stderr to
# $tmp/NAME.out and $tmp/NAME.err, waited for at most SECS seconds (then a
# failure, SIGTERM/SIGKILL, RUN_RC=timeout); else RUN_RC = its exit status.
RUN_RC=""
run_bounded() {
	local name=$1 secs=$2 _ t0 pid
	shift 2
	t0=$(date +%s%N)
	"$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	pid=$!
	track_pid "$pid"
	for _ in $(seq 1 $((secs * 10))); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		fail "$name: synack still running after ${secs}s (bounded run did not end)"
		stop_pid "$pid" 10
		RUN_RC=timeout
		return 0
	fi
	RUN_RC=0
	wait "$pid" || RUN_RC=$?
	echo "info: $name: exit $RUN_RC after $((($(date +%s%N) - t0) / 1000000)) ms"
}

# show_logs NAME: the ends of $tmp/NAME.out and $tmp/NAME.err.
show_logs() {
	echo "---- $1 stdout (last 40 lines) ----"
	tail -n 40 "$tmp/$1.out" || true
	echo "---- $1 stderr (last 30 lines) ----"
	tail -n 30 "$tmp/$1.err" || true
}

# pyjson JSONL CODE: python CODE over synack's JSON lines file, with s (the
# last summary), iv (the interval lines) and c (the summary's counters);
# prints nothing when there is no summary.
pyjson() {
	"$PY" - "$1" "$2" <<'PYEOF' || true
import json, sys
objs = []
try:
    with open(sys.argv[1]) as f:
        objs = [json.loads(l) for l in f if l.strip()]
except (OSError, ValueError):
    sys.exit(0)
sums = [o for o in objs if o.get("type") == "summary"]
iv = [o for o in objs if o.get("type") == "interval"]
if not sums:
    sys.exit(0)
s = sums[-1]
c = s.get("counters", {})
exec(sys.argv[2])
PYEOF
}
