# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash disable=SC2034
# The one bash harness of the integration tests (sourced, not run); its
# Python half is harness.py (also imported by bench/), which reads synack's
# JSON lines strictly. Every script uses these and keeps no copy:
#   run_synack NAME SECS ARGS   a bounded run (RUN_RC, $tmp/NAME.out/.err/.jsonl)
#   start_synack / start_server a background synack, ready at its start line
#   counter, jsonq, pyjson      strict reads: an unknown name fails the test
#   kexec, sexec                commands in the kernel / synack namespace
#   dump_logs, show_logs        logs on failure; finish: the verdict
#
# Builds two network namespaces joined by a veth pair:
#   syn$$ : vs$$  (no IP address: synack owns 198.18.1.2 through a DPDK vdev)
#   krn$$ : vk$$  198.18.1.1/24 (the kernel peer)
# Only 198.18.0.0/15 addresses, no default route. The EXIT trap kills only the
# PIDs registered with track_pid and deletes both namespaces.

SKIP=77

# The Python side of the harness: strict counter reads, ready-waits.
HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HARNESS=$HARNESS_DIR/harness.py
# so that any python a test runs can "import harness"
export PYTHONPATH="$HARNESS_DIR${PYTHONPATH:+:$PYTHONPATH}"
# Counter reads that found no such name (or no summary) append a line here,
# also from a $(...) subshell, whose FAILS increments would be lost; finish
# and cleanup count them, so a misspelt or renamed counter fails the test.
_STRICT_ERRS=${TMPDIR:-/tmp}/synack-strict.$$
rm -f "$_STRICT_ERRS"
# No test talks through a proxy (curl to 198.18.1.2 must not leave).
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY all_proxy ALL_PROXY

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
# in_ci: CI is set and we are root -- then every tool must be installed
# (scripts/setup.sh) and a part of a test that cannot run is a failure.
in_ci() { [ -n "${CI:-}" ] && [ "$(id -u)" -eq 0 ]; }
# optional_missing MSG: a part of a test that cannot run here: a note, a
# failure under CI.
optional_missing() {
	if in_ci; then
		fail "$* (CI: scripts/setup.sh must install what it needs)"
	else
		echo "note: $*"
	fi
}

# Register a PID the cleanup must stop.
track_pid() { _PIDS+=("$1"); }

cleanup() {
	local rc=$?
	set +e
	if [ -s "$_STRICT_ERRS" ]; then
		echo "FAIL: $(wc -l <"$_STRICT_ERRS") strict read(s) of a counter or value that does not exist:"
		sed 's/^/  /' "$_STRICT_ERRS"
		[ "$rc" -eq 0 ] || [ "$rc" -eq "$SKIP" ] && rc=1
	fi
	rm -f "$_STRICT_ERRS"
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
	trap cleanup EXIT
	trap 'exit 130' INT TERM
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

# _strict_miss MSG: record a failed strict read (see _STRICT_ERRS).
_strict_miss() {
	echo "FAIL: $*" >&2
	echo "$*" >>"$_STRICT_ERRS"
}

# counter FILE NAME... [--worker SUBSTR] [--interval]: summary counters of
# synack's JSON lines FILE, one per line (of the first summary worker whose
# label has SUBSTR; of the last interval line). A name that does not exist
# (or a file without a summary) is a failure of the test: the message names
# it and the close names, the value printed is "missing" (no comparison can
# pass with it) and the status is 1.
counter() {
	local out
	if out=$("$PY" "$HARNESS" counter "$@" 2>&1); then
		echo "$out"
		return 0
	fi
	_strict_miss "counter $*: $out"
	echo missing
	return 1
}

# jsonq FILE summary|interval PATH, jsonq FILE worker SUBSTR PATH: one value
# (PATH dotted: counters.rx_pkts, status, latency_us.rtt.count), read as
# strictly as counter.
jsonq() {
	local f=$1 kind=$2 out
	shift 2
	case $kind in
	summary) set -- "$f" "$1" ;;
	interval) set -- "$f" "$1" --interval ;;
	worker) set -- "$f" "$2" --worker "$1" ;;
	*) _strict_miss "jsonq: unknown kind $kind"; echo missing; return 1 ;;
	esac
	if out=$("$PY" "$HARNESS" value "$@" 2>&1); then
		echo "$out"
		return 0
	fi
	_strict_miss "jsonq $f $kind $*: $out"
	echo missing
	return 1
}

# has_summary FILE / has_interval FILE: whether synack wrote one (a run
# that crashed has none; callers fail on that themselves).
has_summary() { "$PY" "$HARNESS" value "$1" type >/dev/null 2>&1; }
has_interval() { "$PY" "$HARNESS" value "$1" type --interval >/dev/null 2>&1; }

# gen_errors FILE: the sum of the summary's gen_err_* counters (strict: no
# such counter at all is a failure). gen_errors_detail FILE: the non-zero
# ones as name=value, or "none".
gen_errors() {
	local out
	if out=$("$PY" "$HARNESS" sum "$1" gen_err_ 2>&1); then echo "$out"; return 0; fi
	_strict_miss "gen_errors $1: $out"
	echo missing
	return 1
}
gen_errors_detail() { "$PY" "$HARNESS" nonzero "$1" gen_err_ 2>&1 || true; }

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

# show_logs NAME: the ends of $tmp/NAME.out and .err (run_synack) or
# $tmp/NAME.log (start_synack), whichever exist.
show_logs() {
	local f
	for f in "$tmp/$1.out" "$tmp/$1.err" "$tmp/$1.log"; do
		[ -f "$f" ] || continue
		echo "---- $1: ${f##*/} (last 40 lines) ----"
		tail -n 40 "$f" || true
	done
}

# pyjson JSONL CODE [ARG...]: python CODE over synack's JSON lines file with
# s (the summary), iv (the interval lines), c (the summary's counters),
# ws (the summary's workers), W[i] (worker i's counters), w(i, k) (W[i][k]),
# args (the ARGs) and harness imported. c and W[i] are harness.Counters:
# a name that does not exist raises CounterError, which fails the test
# (recorded like counter's, status 1) -- never a default of 0. A Python
# error in CODE fails the test the same way. Prints nothing (status 0)
# when there is no summary: the caller's check of the output fails.
pyjson() {
	local out rc=0
	out=$("$PY" - "$HARNESS_DIR" "$@" 2>"$_STRICT_ERRS.py" <<'PYEOF'
import sys
sys.path.insert(0, sys.argv[1])
import harness
path, code, args = sys.argv[2], sys.argv[3], sys.argv[4:]
try:
    iv, s = harness.load_jsonl(path)
except harness.CounterError as e:
    print(f"harness: {e}", file=sys.stderr)
    sys.exit(1)
if not s:
    print(f"harness: {path}: no summary line", file=sys.stderr)
    sys.exit(1)
c = harness.Counters(s.get("counters", {}), f"{path} summary")
ws = s.get("workers", [])
W = [harness.Counters(x.get("counters", {}), f"{path} worker '{x.get('label')}'") for x in ws]
def w(i, k):
    return W[i][k]
try:
    exec(code)
except harness.CounterError as e:
    print(f"STRICT: {e}", file=sys.stderr)
    sys.exit(3)
PYEOF
) || rc=$?
	[ -n "$out" ] && echo "$out"
	if [ "$rc" -eq 3 ]; then
		_strict_miss "pyjson $1: $(cat "$_STRICT_ERRS.py")"
		rc=1
	elif [ "$rc" -ne 0 ]; then
		cat "$_STRICT_ERRS.py" >&2
		# a Python error in a check is a broken test, not a pass
		if grep -q '^harness: .*no summary line' "$_STRICT_ERRS.py"; then
			rc=0
		else
			_strict_miss "pyjson $1: python failed (exit $rc): $(tail -n 3 "$_STRICT_ERRS.py")"
			rc=1
		fi
	fi
	rm -f "$_STRICT_ERRS.py"
	return "$rc"
}

# finish NAME: the end of every test: PASS (exit 0) or the count of failed
# assertions and strict reads (exit 1).
finish() {
	local n=$FAILS
	[ -s "$_STRICT_ERRS" ] && n=$((n + $(wc -l <"$_STRICT_ERRS")))
	if [ "$n" -ne 0 ]; then
		echo "$n assertion(s) failed"
		exit 1
	fi
	echo "PASS: $1"
	exit 0
}

# ------------------------------------------------------------ processes ---
# kexec CMD...: CMD in the kernel namespace; sexec CMD...: in synack's.
kexec() { ip netns exec "$NS_KRN" "$@"; }
sexec() { ip netns exec "$NS_SYN" "$@"; }

# What run_synack and start_synack run: "${SYNACK_NS[@]}" "$SYNACK"
# "${SYNACK_ARGS[@]}" --json $tmp/NAME.jsonl ARGS. SYNACK_NS is empty (no
# namespace) or (ip netns exec NS); SYNACK_ARGS the script's common
# arguments (e.g. -c CONFIG).
SYNACK_NS=()
SYNACK_ARGS=()

# run_synack NAME SECS ARGS...: a bounded run (run_bounded): RUN_RC,
# $tmp/NAME.out, .err, .jsonl.
run_synack() {
	local name=$1 secs=$2
	shift 2
	run_bounded "$name" "$secs" "${SYNACK_NS[@]}" "$SYNACK" "${SYNACK_ARGS[@]}" \
		--json "$tmp/$name.jsonl" "$@"
}

# start_synack NAME SECS ARGS...: synack in the background, stdout and
# stderr to $tmp/NAME.log, JSON lines to $tmp/NAME.jsonl, its PID in SPID
# (tracked: the trap stops it). Waits at most SECS for synack's start line
# ("synack: mode ", READY_PATTERN to change it). 0 when ready; else 1 with
# START_RC set to its exit status (or "running" when it hangs); the caller
# shows the log and fails or skips.
SPID=""
START_RC=""
READY_PATTERN="synack: mode "
start_synack() {
	local name=$1 secs=$2
	shift 2
	START_RC=""
	set +e
	"${SYNACK_NS[@]}" "$SYNACK" "${SYNACK_ARGS[@]}" --json "$tmp/$name.jsonl" "$@" \
		>"$tmp/$name.log" 2>&1 &
	SPID=$!
	set -e
	track_pid "$SPID"
	if "$PY" "$HARNESS" wait-ready "$tmp/$name.log" "$SPID" "$secs" "$READY_PATTERN" \
		>/dev/null 2>&1; then
		return 0
	fi
	if kill -0 "$SPID" 2>/dev/null; then
		START_RC=running
	else
		START_RC=0
		wait "$SPID" || START_RC=$?
	fi
	return 1
}

# start_server NAME SECS ARGS...: start_synack, and when synack does not
# come up: with PMD=af_xdp and the AF_XDP socket itself unavailable, skip;
# else show the log and fail the test (exit 1).
start_server() {
	local name=$1
	start_synack "$@" && return 0
	if [ "${PMD:-}" = af_xdp ] && xdp_unavailable "$tmp/$name.log" "$START_RC"; then
		dump_logs "$tmp/$name.log"
		skip "synack could not open the AF_XDP port on ${IF_SYN:-its veth} (exit 2, see log)"
	fi
	dump_logs "$tmp/$name.log"
	echo "FAIL: synack did not come up (exit $START_RC): no '$READY_PATTERN' line within $2 s"
	exit 1
}

# xdp_unavailable LOG RC: true when synack exited 2 because the AF_XDP
# socket itself could not be set up (not a config error, nor libxdp's
# dispatcher fallback noise, which shows up on success as well) -- the one
# skip the af_xdp variants allow.
xdp_unavailable() {
	[ "$2" = 2 ] &&
		grep -viE 'dispatcher|xdp_pass|EAL args' "$1" |
		grep -qiE '(xsk|af_xdp|xdp).*(fail|error|cannot|not permitted|not supported)|(fail|error|cannot).*(xsk|af_xdp|xdp)'
}

# dump_logs FILE...: each file's last 80 lines (on failure).
dump_logs() {
	local f
	for f in "$@"; do
		echo "---- $f (last 80 lines) ----"
		tail -n 80 "$f" 2>/dev/null || echo "(no such file)"
		echo "---- end of $f ----"
	done
}
