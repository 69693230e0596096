# SPDX-License-Identifier: BSD-3-Clause
"""The tools synack is compared with, and how to read their output:
dpdk-testpmd, wrk, nginx, iperf3, and two small kernel-socket programs."""
import json
import os
import re
import signal
import statistics
import subprocess
import time

from .context import Failed, why

# ---------------------------------------------------------------- testpmd

TESTPMD_EAL = ["--no-huge", "-m", "512", "--no-pci", "--no-shconf", "--log-level=lib.eal:error"]
TESTPMD_APP = ["--nb-cores=1", "--total-num-mbufs=16384", "--stats-period=1"]
TESTPMD_FORWARDING = "packet forwarding - ports="   # its line once it forwards


def testpmd_start(ctx, name, eal, app, cpu=None):
    """dpdk-testpmd in the background, returned once it forwards (its
    start-up takes seconds on a loaded VM). Failed when dpdk-testpmd is
    missing or does not start forwarding within 30 s."""
    if not ctx.need("dpdk-testpmd", "dpdk-dev"):
        raise Failed("dpdk-testpmd missing (apt-get install dpdk-dev)")
    argv = ["dpdk-testpmd"] + TESTPMD_EAL + eal + ["--"] + app + TESTPMD_APP
    p = ctx.spawn(name, argv, cpu=cpu)
    if not ctx.wait_for(p.log_path, TESTPMD_FORWARDING, 30, p):
        ctx.stop(p, sig=signal.SIGINT, grace=5)
        raise Failed(f"testpmd did not start forwarding: {why(p.log())}")
    return p


def testpmd(ctx, name, eal, app, seconds, cpu=None):
    """dpdk-testpmd forwarding for seconds (then SIGINT); its log text."""
    p = testpmd_start(ctx, name, eal, app, cpu)
    time.sleep(seconds)
    ctx.stop(p, sig=signal.SIGINT, grace=5)
    return p.log()


def testpmd_pps(text, what="Rx", ports=1, receiver=False):
    """Median packets/s of testpmd's periodic stats: what is 'Rx' or 'Tx';
    with ports=2 each period's two ports are summed. The first period and
    idle ones are dropped (receiver=True: the idle periods before the
    sender started, then the first busy one, a partial second). Failed
    when there is none."""
    v = [int(x) for x in re.findall(rf"{what}-pps:\s+(\d+)", text)]
    if ports == 2:
        v = [v[i] + v[i + 1] for i in range(0, len(v) - 1, 2)]
    v = [x for x in v if x > 0][1:] if receiver else [x for x in v[1:] if x > 0]
    if not v:
        raise Failed(f"testpmd gave no {what}-pps: {why(text)}")
    return int(statistics.median(v))


# ------------------------------------------------------------ nginx, wrk

NGINX_CONF = """\
# bench: one nginx process, no access log, 64-byte body (synack's default)
daemon off;
master_process off;
worker_processes 1;
error_log {d}/logs/error.log warn;
pid {d}/nginx.pid;
worker_rlimit_nofile 200000;
events {{ worker_connections 65536; use epoll; multi_accept on; }}
http {{
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 65;
    client_body_temp_path {d}/tmp;
    proxy_temp_path {d}/tmp;
    fastcgi_temp_path {d}/tmp;
    uwsgi_temp_path {d}/tmp;
    scgi_temp_path {d}/tmp;
    server {{
        listen 80 reuseport backlog=65535;
        location / {{ default_type text/plain; return 200 "{body}"; }}
    }}
}}
"""


def listening(ns, port):
    """True when a TCP socket listens on port in namespace ns."""
    r = subprocess.run(["ip", "netns", "exec", ns, "ss", "-ltn"], capture_output=True,
                       text=True, timeout=10, check=False)
    return f":{port} " in r.stdout


def wait_listen(proc, ns, port, timeout=5):
    """Wait until port listens in ns; False when proc exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if listening(ns, port):
            return True
        if not proc.alive():
            return False
        time.sleep(0.1)
    return False


def nginx_start(ctx, ns, cpu):
    """One nginx process (master_process off) in ns on cpu, port 80, a
    64-byte body; the Proc once it listens. Failed otherwise."""
    if not ctx.need("nginx", "nginx"):
        raise Failed("nginx missing (apt-get install nginx)")
    d = ctx.path("nginx")
    os.makedirs(os.path.join(d, "logs"), exist_ok=True)
    os.makedirs(os.path.join(d, "tmp"), exist_ok=True)
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w", encoding="utf-8") as f:
        f.write(NGINX_CONF.format(d=d, body="0" * 64))
    p = ctx.spawn("nginx", ["nginx", "-p", d, "-c", conf], cpu=cpu, ns=ns)
    if not wait_listen(p, ns, 80):
        err = p.log() + _read(os.path.join(d, "logs", "error.log"))
        ctx.stop(p)
        raise Failed(f"nginx did not come up: {why(err)}")
    return p


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def wrk(ctx, name, ns, url, cpu, close=False):
    """wrk -t1 -c50 -dDUR --latency [Connection: close] from ns on cpu.
    Returns (requests/s, p99 us or None, socket errors text or '')."""
    if not ctx.need("wrk", "wrk"):
        raise Failed("wrk missing (apt-get install wrk)")
    argv = ["wrk", "-t1", "-c50", f"-d{ctx.dur}s", "--latency"]
    if close:
        argv += ["-H", "Connection: close"]
    _, text = ctx.run(name, argv + [url], ctx.dur + 20, cpu=cpu, ns=ns)
    return parse_wrk(text)


def parse_wrk(text):
    """(requests/s, p99 in us or None, 'errors:...' or '') of wrk's output;
    Failed when it printed no Requests/sec."""
    r = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if not r:
        raise Failed(f"wrk gave no Requests/sec: {why(text)}")
    p = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\b", text, re.M)
    p99 = round(float(p.group(1)) * {"us": 1, "ms": 1e3, "s": 1e6}[p.group(2)]) if p else None
    e = re.search(r"Socket errors: (.*)", text)
    return round(float(r.group(1))), p99, ("errors:" + e.group(1).replace(" ", "")) if e else ""


# ---------------------------------------------------------------- iperf3

def iperf3_server(ctx, name, ns, addr, cpu):
    """iperf3 -s -B addr in ns on cpu; the Proc once port 5201 listens."""
    if not ctx.need("iperf3", "iperf3"):
        raise Failed("iperf3 missing (apt-get install iperf3)")
    p = ctx.spawn(name, ["iperf3", "-s", "-B", addr], cpu=cpu, ns=ns)
    if not wait_listen(p, ns, 5201):
        ctx.stop(p)
        raise Failed(f"iperf3 -s did not listen: {why(p.log())}")
    return p


def iperf3_client(ctx, name, ns, addr, cpu, extra=()):
    """iperf3 -c addr -t DUR -J [extra] from ns on cpu; its JSON 'end'
    object. Failed when it printed none."""
    argv = ["iperf3", "-c", addr, "-t", str(ctx.dur), "-J"] + list(extra)
    _, text = ctx.run(name, argv, ctx.dur + 20, cpu=cpu, ns=ns)
    try:
        return json.loads(text[text.index("{"):])["end"]
    except (ValueError, KeyError):
        raise Failed(f"iperf3 gave no JSON result: {why(text)}") from None


# -------------------------------------------------- kernel socket peers

# A kernel TCP sink on port 5002: counts bytes until EOF, prints them.
KSINK = """
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 5002)); s.listen(1); s.settimeout(60)
c, _ = s.accept(); b = bytearray(1 << 20); n = 0
while True:
    k = c.recv_into(b)
    if not k:
        break
    n += k
print(n)"""

# A kernel TCP sender to port 5002 for argv[2] seconds, 1 MiB writes.
KSEND = """
import socket, sys, time
s = socket.create_connection((sys.argv[1], 5002), timeout=10); b = bytes(1 << 20)
t0 = time.time(); n = 0
while time.time() - t0 < float(sys.argv[2]):
    s.sendall(b); n += len(b)
s.shutdown(socket.SHUT_WR); s.recv(1); print(n, time.time() - t0)"""
