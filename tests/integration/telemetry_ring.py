#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""telemetry_ring.py SYNACK

synack's DPDK telemetry commands through the stock client, dpdk-telemetry.py
(Debian's dpdk-dev), over net_ring in one process (mode both, no root
needed beyond what EAL wants):

1. a bounded cps run: /synack/stats read twice, one second apart: the
   counters rise; /synack/info names the mode and the worker's ports;
   /synack/latency has the connection histogram; two synack processes at
   once each print their own socket.
2. a held cc run: /synack/conns, paged through with count/offset, lists
   exactly the connections held: as many as the tcp_open gauge, all
   ESTABLISHED, the client ends as many as gen_active, each once; the
   state, port and address filters and the count bound hold.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

TELEMETRY = "/usr/bin/dpdk-telemetry.py"
CONF = "config/demo.ini"


def fail(msg, *procs):
    print(f"FAIL: {msg}", file=sys.stderr)
    harness.dump_logs(*procs)
    sys.exit(1)


def socket_of(proc, timeout=20):
    """The telemetry socket synack printed at start."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = re.search(r"^synack: telemetry: (\S+dpdk_telemetry\.v2) ", proc.log(), re.M)
        if m:
            return m.group(1)
        if not proc.alive():
            break
        time.sleep(0.1)
    fail("no 'synack: telemetry: SOCKET' line", proc)


def tel(sock, *cmds):
    """Run cmds through dpdk-telemetry.py -f PREFIX; one reply dict each."""
    prefix = os.path.basename(os.path.dirname(sock))
    r = subprocess.run(["python3", TELEMETRY, "-f", prefix], input="\n".join(cmds) + "\n",
                       capture_output=True, text=True, timeout=30, check=False)
    replies = []
    for line in r.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            obj = json.loads(line)
            key = next(iter(obj))
            if key.startswith("/synack/"):
                replies.append(obj[key])
    if len(replies) != len(cmds):
        raise RuntimeError(f"dpdk-telemetry.py -f {prefix}: {len(replies)} replies to "
                           f"{cmds}:\n{r.stdout}\n{r.stderr}")
    return replies


def part_stats(binary, tmp):
    sets = ["run.duration=6s", "run.quiet=on", "client.model=cps", "client.concurrency=20"]
    a = harness.start_synack(binary, CONF, sets, os.path.join(tmp, "a.jsonl"), name="a",
                             tmp=tmp)
    b = harness.start_synack(binary, CONF, sets, os.path.join(tmp, "b.jsonl"), name="b",
                             tmp=tmp)
    try:
        a.wait_ready()
        b.wait_ready()
        sa, sb = socket_of(a), socket_of(b)
        if sa == sb:
            fail(f"two processes, one socket {sa}", a, b)
        for p, s in ((a, sa), (b, sb)):
            if f"synack-{p.pid}" not in s:
                fail(f"socket {s} is not in the runtime directory synack-{p.pid}", p)
        time.sleep(1.0)
        (s1,) = tel(sa, "/synack/stats")
        time.sleep(1.0)
        s2, info, lat, w0 = tel(sa, "/synack/stats", "/synack/info", "/synack/latency",
                                "/synack/stats,0")
        for name in ("rx_pkts", "tx_pkts", "tcp_rx", "gen_conn_ok", "gen_resp_rx", "http_req"):
            if not s2[name] > s1[name] > 0:
                fail(f"/synack/stats {name}: {s1[name]} then {s2[name]}: did not rise", a)
        if "tcp_open" not in s2 or "drop_ip_csum" not in s2:
            fail(f"/synack/stats lacks gauges or drop counters: {sorted(s2)[:10]}...", a)
        if w0["rx_pkts"] < s2["rx_pkts"]:
            fail(f"/synack/stats,0 rx_pkts {w0['rx_pkts']} < total {s2['rx_pkts']} a moment "
                 "before", a)
        if info["mode"] != "both" or info["model"] != "cps" or info["workers"] != 1 \
                or info["pid"] != a.pid or not info["running"]:
            fail(f"/synack/info: {info}", a)
        if not any("client port0" in x for x in info["w0"]) or \
                not any("server port1" in x for x in info["w0"]):
            fail(f"/synack/info w0: {info['w0']}", a)
        if lat.get("conn_count", 0) <= 0 or not lat["conn_p50_ns"] <= lat["conn_p99_ns"] \
                <= lat["conn_max_ns"]:
            fail(f"/synack/latency: {lat}", a)
        (sb1,) = tel(sb, "/synack/info")
        if sb1["pid"] != b.pid:
            fail(f"process b's socket answered for pid {sb1['pid']}", b)
        for p in (a, b):
            if p.wait(30) != 0:
                fail(f"synack exited {p.rc}", p)
        for p, s in ((a, sa), (b, sb)):
            if os.path.exists(os.path.dirname(s)):
                fail(f"runtime directory {os.path.dirname(s)} left behind", p)
    finally:
        a.stop()
        b.stop()
    print(f"stats: rx_pkts {s1['rx_pkts']} -> {s2['rx_pkts']}, gen_resp_rx "
          f"{s1['gen_resp_rx']} -> {s2['gen_resp_rx']}; two sockets {sa} {sb}")


def all_conns(sock, params=""):
    """Page through /synack/conns (count 50 a call); the entries and the totals."""
    got, off, total, states = [], 0, None, None
    while True:
        (r,) = tel(sock, f"/synack/conns,count=50,offset={off}{params}")
        if total is None:
            total, states = r["total"], r["states"]
        if r["shown"] > 50 or r["shown"] > r["max_per_call"]:
            raise RuntimeError(f"count=50 bound broken: shown {r['shown']}")
        got += r["conns"]
        off += r["shown"]
        if r["shown"] == 0 or off >= r["total"]:
            return got, total, states


def part_conns(binary, tmp):
    n = 150  # concurrency: 300 table entries (client and server ends), 6+ pages
    sets = ["run.duration=15s", "run.quiet=on", "client.model=cc",
            f"client.concurrency={n}"]
    p = harness.start_synack(binary, CONF, sets, os.path.join(tmp, "cc.jsonl"), name="cc",
                             tmp=tmp)
    try:
        p.wait_ready()
        sock = socket_of(p)
        # wait until the connections are held (the ramp is over)
        deadline = time.monotonic() + 10
        while True:
            (st,) = tel(sock, "/synack/stats")
            if st["gen_active"] == n and st["tcp_open"] == 2 * n:
                break
            if time.monotonic() > deadline:
                fail(f"cc never held {n}: gen_active {st['gen_active']} tcp_open "
                     f"{st['tcp_open']}", p)
            time.sleep(0.2)
        conns, total, states = all_conns(sock)
        (st2,) = tel(sock, "/synack/stats")
        if not st["tcp_open"] == st2["tcp_open"] == total == len(conns):
            fail(f"tcp_open {st['tcp_open']}/{st2['tcp_open']}, /synack/conns total {total}, "
                 f"listed {len(conns)}", p)
        if states != [f"ESTABLISHED {total}"]:
            fail(f"states {states}", p)
        tuples = set()
        for c in conns:
            f = c.split()
            if f[0] != "ESTABLISHED":
                fail(f"entry not ESTABLISHED: {c}", p)
            tuples.add((f[1], f[2]))
        if len(tuples) != len(conns):
            fail(f"{len(conns)} entries, {len(tuples)} distinct", p)
        client = [t for t in tuples if t[1] == "198.18.0.2:80"]
        server = [t for t in tuples if t[0] == "198.18.0.2:80"]
        if len(client) != st["gen_active"] or len(server) != st["gen_active"]:
            fail(f"client ends {len(client)}, server ends {len(server)}, gen_active "
                 f"{st['gen_active']}", p)
        if {(r, l) for (l, r) in client} != set(server):
            fail("the server ends are not the client ends reversed", p)
        # filters and the bound
        (r,) = tel(sock, "/synack/conns,state=ESTAB,port=80,count=3")
        if r["total"] != 2 * n or r["shown"] != 3 or len(r["conns"]) != 3:
            fail(f"state=ESTAB,port=80,count=3: {r}", p)
        cport = client[0][0].split(":")[1]
        (r,) = tel(sock, f"/synack/conns,port={cport}")
        if r["total"] != 2 or len(r["conns"]) != 2:
            fail(f"port={cport}: {r}", p)
        (r,) = tel(sock, "/synack/conns,state=TIME-WAIT")
        if r["total"] != 0 or r["conns"]:
            fail(f"state=TIME-WAIT: {r}", p)
        (r,) = tel(sock, "/synack/conns,addr=198.18.0.9")
        if r["total"] != 0:
            fail(f"addr=198.18.0.9: {r}", p)
        (r,) = tel(sock, "/synack/conns,addr=198.18.0.1,count=1000")
        if r["total"] != 2 * n or r["shown"] != r["max_per_call"]:
            fail(f"addr=198.18.0.1,count=1000 (over the per-call bound): {r}", p)
        (lst,) = tel(sock, "/synack/listen")
        if "0 198.18.0.2:80" not in lst["tcp"]:
            fail(f"/synack/listen: {lst}", p)
        if p.wait(30) != 0:
            fail(f"synack exited {p.rc}", p)
    finally:
        p.stop()
    print(f"conns: {len(conns)} listed = tcp_open {total}, {len(client)} client ends = "
          f"gen_active {st['gen_active']}")


def main():
    binary = sys.argv[1]
    if not os.path.exists(TELEMETRY):
        print(f"FAIL: {TELEMETRY} missing (Debian's dpdk-dev; scripts/setup.sh)")
        sys.exit(1)
    with tempfile.TemporaryDirectory(prefix="synack-tel.") as tmp:
        part_stats(binary, tmp)
        part_conns(binary, tmp)
    print("telemetry_ring: ok")


if __name__ == "__main__":
    main()
