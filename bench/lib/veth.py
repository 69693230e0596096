# SPDX-License-Identifier: BSD-3-Clause
"""A veth pair between two namespaces for the veth scenarios, on
harness.Netns, with the kernel addresses each comparison needs.

Side A (harness's synack namespace) holds the clients (synack, wrk,
iperf3 -c) on CPU 0; side B (harness's kernel namespace) the servers
(synack, nginx, iperf3 -s) on CPU 1. Addresses from 198.18.1.0/24; the
kernel gets an address on a side only when a kernel program runs there,
never synack's (it would answer ARP and send RSTs for it)."""
import subprocess
import time

import harness

from .context import Failed
from .peers import nginx_start, wrk
from .stats import Spread, fmt

K_A = "198.18.1.1"    # kernel address in A (wrk, iperf3 -c, the python sender)
K_B = "198.18.1.2"    # kernel address in B (nginx, iperf3 -s, the python sink)
S_A = "198.18.1.11"   # synack on A's veth end
S_B = "198.18.1.12"   # synack on B's veth end
PREFIX = 24


class Veth:
    """ns_a/if_a (clients, CPU 0) and ns_b/if_b (servers, CPU 1)."""

    def __init__(self, ctx, tag):
        self.ctx = ctx
        self.netns = harness.Netns(tag, kernel_ip=K_B, synack_ip=S_B, prefix=PREFIX)

    def __enter__(self):
        try:
            n = self.netns.__enter__()
        except (PermissionError, OSError, subprocess.SubprocessError) as e:
            raise Failed(f"no veth pair (needs root, ip netns, ethtool): {e}") from None
        self.ns_a, self.if_a = n.syn_ns, n.syn_if
        self.ns_b, self.if_b = n.krn_ns, n.krn_if
        # harness turns the offloads off on both ends; rx checksum too on B
        self.ctx.say(f"veth {self.ns_a}/{self.if_a} <-> {self.ns_b}/{self.if_b}, offloads off")
        return self

    def __exit__(self, *exc):
        self.ctx.stop_all()     # nothing may outlive its namespace
        return self.netns.__exit__(*exc)

    def addrs(self, a=None, b=None):
        """Kernel addresses: a on A's end, b on B's (None = none)."""
        for ns, ifc, ip in ((self.ns_a, self.if_a, a), (self.ns_b, self.if_b, b)):
            subprocess.run(["ip", "-n", ns, "addr", "flush", "dev", ifc], check=True,
                           timeout=10)
            if ip:
                subprocess.run(["ip", "-n", ns, "addr", "add", f"{ip}/{PREFIX}", "dev", ifc],
                               check=True, timeout=10)
        self.ctx.say(f"kernel addresses: {self.ns_a}/{self.if_a}={a or 'none'} "
                     f"{self.ns_b}/{self.if_b}={b or 'none'}")

    def dev(self, side):
        """synack's af_xdp port on side 'a' or 'b'."""
        return f"net_af_xdp0,iface={self.if_a if side == 'a' else self.if_b}"


def synack_ini(path, mode, dev, ip, dur, model="cps", target=S_B, extra=""):
    """A one-worker config for one veth end (HTTP server on 80, or a
    client of model against target:80), TIME-WAIT off."""
    text = f"""; bench: synack {mode} on a veth end through AF_XDP (one queue, one worker)
[run]
mode     = {mode}
duration = {'0' if mode == 'server' else f'{dur}s'}
lcores   = 1
[port0]
dev = {dev}
ip  = {ip}/{PREFIX}
[server]
listen    = 80
body_size = 64
[client]
model       = {model}
target      = {target}:80
concurrency = 50
[tcp]
; the peer is ours or a kernel that accepts reused ports: recycle at once
time_wait = 0
{extra}"""
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def synack_server(ctx, veth, name, extra=""):
    """synack's HTTP server on B's veth end (CPU 1), up and ready."""
    ini = synack_ini(ctx.path(f"{name}.ini"), "server", veth.dev("b"), S_B, ctx.dur, extra=extra)
    p = ctx.synack_start(name, ini, cpu=1, ns=veth.ns_b)
    time.sleep(0.5)
    return p


def synack_client(ctx, veth, name, model, target):
    """synack's HTTP client on A's veth end (CPU 0) against target:80 for
    ctx.dur seconds: (cps or rps, p99 response latency in us)."""
    ini = synack_ini(ctx.path(f"{name}.ini"), "client", veth.dev("a"), S_A, ctx.dur, model,
                     target)
    f = ctx.synack(name, ini, cpu=0, ns=veth.ns_a)
    return f.mean("cps" if model == "cps" else "rps"), f.summary("latency_us.response.p99")


def http_veth(ctx, model):
    """cps_veth / rps_veth: per run synack->synack, wrk->nginx, then
    synack->nginx; two rows (synack->synack and synack->nginx, each vs
    wrk->nginx)."""
    scen = f"{model}_veth"
    ss, wn, sn, errs = [], [], [], []
    with Veth(ctx, model) as v:
        nginx = None
        for i in range(1, ctx.runs + 1):
            v.addrs(None, None)
            try:
                srv = synack_server(ctx, v, f"{scen}.srv.{i}")
                try:
                    ss.append(synack_client(ctx, v, f"{scen}.ss.{i}", model, S_B))
                finally:
                    rc = ctx.stop(srv)
                if rc != 0:
                    errs.append(f"synack server exit {rc}")
            except Failed as e:
                errs.append(f"synack->synack: {e}")
            v.addrs(K_A, K_B)
            try:
                nginx = nginx or nginx_start(ctx, v.ns_b, 1)
                r, p99, e = wrk(ctx, f"{scen}.wrk.{i}", v.ns_a, f"http://{K_B}/", 0,
                                close=(model == "cps"))
                wn.append((r, p99))
                if e:
                    errs.append(f"wrk {e}")
                v.addrs(None, K_B)
                sn.append(synack_client(ctx, v, f"{scen}.sn.{i}", model, K_B))
            except Failed as e:
                errs.append(str(e))
    what = "HTTP CPS (Connection: close)" if model == "cps" else "keep-alive RPS"
    a, b, c = (Spread(x for x, _ in l) for l in (ss, wn, sn))
    pa, pb, pc = (Spread(p for _, p in l) for l in (ss, wn, sn))
    err1 = f"; {errs[0]}" if errs else ""
    for e in errs[1:]:
        print(f"  {scen}: {e}")
    return [
        ctx.row(f"{what}: synack->synack vs wrk->nginx", a.median if a else "error", b.median,
                None, f"median of {ctx.runs} (synack {a.range()}, wrk {b.range()}); p99 resp us "
                f"synack {fmt(pa.median)} wrk {fmt(pb.median)}{err1}"),
        ctx.row(f"{what}: synack->nginx vs wrk->nginx", c.median if c else "error", b.median,
                None, f"median of {ctx.runs} (synack {c.range()}); p99 resp us synack "
                f"{fmt(pc.median)}; same nginx, 1 CPU each side"),
    ]
