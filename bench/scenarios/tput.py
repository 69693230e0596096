# SPDX-License-Identifier: BSD-3-Clause
"""Single-stream bulk TCP Gbit/s per core: synack -> synack (one lcore over
net_ring; two processes over net_memif and over virtio-user -> vhost with
TSO), synack -> kernel and kernel -> synack over veth (af_xdp), vs iperf3
-> iperf3 over the same veth and over loopback, same CPUs.

synack: model throughput, direction send, one connection, 128 KiB writes:
(1) config/bulk-ring.ini, client and server workers on one lcore; (2) two
processes over net_memif (bulk server on CPU 1 started first, client on
CPU 0 stopped first); (2b) the same over net_virtio_user -> net_vhost with
tso=1,linear-buffer=1,ext-buffer=1 on the vhost side; (3) synack client
(A, CPU 0) -> a kernel sink in B (python recv_into, CPU 1); (4) a kernel
sender in A (python sendall, CPU 0) -> synack's bulk server (B, CPU 1).
Gbit/s of payload from the byte counters (gen_bulk_tx, bulk_sink_bytes)
between the first and the last interval that moved bytes. Peer: iperf3
-c -t DUR -J (one stream, CPU 0) -> iperf3 -s (CPU 1): the receiver's
sum_received, over the veth (kernel addresses on both ends) and over
namespace A's loopback. Offloads are off on both veth ends for every
contender. Median of --runs runs."""
import sys
import time

import harness
from lib import Failed, Spread
from lib.link import devs, pair
from lib.peers import KSEND, KSINK, iperf3_client, iperf3_server
from lib.veth import K_A, K_B, S_A, S_B, Veth

BULK_INI = """; bench tput: synack {mode}, one worker
[run]
mode     = {mode}
duration = {duration}
lcores   = 1
[port0]
dev = {dev}
ip  = {ip}/24
[server]
listen = 80
bulk   = 5002
[client]
model       = throughput
target      = {target}:5002
direction   = send
concurrency = 1
"""


def bulk_ini(ctx, name, mode, dev, ip, target):
    path = ctx.path(f"{name}.ini")
    with open(path, "w", encoding="utf-8") as f:
        f.write(BULK_INI.format(mode=mode, duration="0" if mode == "server" else f"{ctx.dur}s",
                                dev=dev, ip=ip, target=target))
    return path


def gbps(fig, counter):
    """Gbit/s of a byte counter between the first interval and the last one
    that still moved bytes (the summary stands in for the second interval
    of a run too short to have one: --quick)."""
    objs = fig.intervals
    if len(objs) < 2 and fig.summary_obj:
        objs = objs + [fig.summary_obj]
    pts = [(o["t"], harness.Counters(o["counters"], fig.path)[counter]) for o in objs]
    while len(pts) > 2 and pts[-1][1] == pts[-2][1]:
        pts.pop()
    if len(pts) < 2 or pts[-1][0] <= pts[0][0] or pts[-1][1] <= pts[0][1]:
        raise Failed(f"{fig.path}: {counter} did not move")
    return round((pts[-1][1] - pts[0][1]) * 8 / (pts[-1][0] - pts[0][0]) / 1e9, 2)


def ring(ctx, i):
    f = ctx.synack(f"tput_ring.{i}", ctx.config("bulk-ring.ini"), [f"run.duration={ctx.dur}s"])
    return gbps(f, "gen_bulk_tx")


def link(ctx, kind, i, extra=""):
    """synack -> synack over memif or vhost (two processes)."""
    sdev, cdev = devs(kind, ctx.path(f"tput-{kind}.{i}.sock"), extra)
    net = "198.18.2" if kind == "memif" else "198.18.3"
    srv = bulk_ini(ctx, f"tput-{kind}-srv.{i}", "server", sdev, f"{net}.2", f"{net}.1")
    cli = bulk_ini(ctx, f"tput-{kind}-cli.{i}", "client", cdev, f"{net}.1", f"{net}.2")
    return gbps(pair(ctx, f"tput_{kind}.{i}", kind, (srv, []), (cli, [])), "gen_bulk_tx")


def iperf3(ctx, v, i, ns, addr):
    """iperf3 -> iperf3 in ns (A's veth end to B, or A's loopback): Gbit/s."""
    srv = iperf3_server(ctx, f"iperf3-s.{i}", ns, addr, 1)
    try:
        end = iperf3_client(ctx, f"iperf3-c.{i}", v.ns_a, addr, 0)
    finally:
        ctx.stop(srv)
    return round(end["sum_received"]["bits_per_second"] / 1e9, 2)


def script(ctx, name, text):
    """A kernel-socket program written to the temporary directory (so that
    the printed command can be rerun with --keep)."""
    path = ctx.path(name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.lstrip() + "\n")
    return path


def to_kernel(ctx, v, i):
    """synack client (A, CPU 0) -> python sink (B, CPU 1)."""
    v.addrs(None, K_B)
    sink = ctx.spawn(f"tput_ksink.{i}", [sys.executable, script(ctx, "ksink.py", KSINK), K_B],
                     cpu=1, ns=v.ns_b)
    time.sleep(0.3)
    try:
        ini = bulk_ini(ctx, f"tput-sk.{i}", "client", v.dev("a"), S_A, K_B)
        return gbps(ctx.synack(f"tput_sk.{i}", ini, cpu=0, ns=v.ns_a), "gen_bulk_tx")
    finally:
        ctx.stop(sink, grace=5)


def from_kernel(ctx, v, i):
    """python sender (A, CPU 0) -> synack's bulk server (B, CPU 1)."""
    v.addrs(K_A, None)
    ini = bulk_ini(ctx, f"tput-ks.{i}", "server", v.dev("b"), S_B, K_A)
    srv = ctx.synack_start(f"tput_ks.{i}", ini, cpu=1, ns=v.ns_b)
    try:
        time.sleep(0.5)
        ctx.run(f"tput_ksend.{i}", [sys.executable, script(ctx, "ksend.py", KSEND), S_B,
                                    str(ctx.dur)],
                ctx.dur + 20, cpu=0, ns=v.ns_a)
        time.sleep(1.2)
    finally:
        ctx.stop(srv)
    return gbps(ctx.figures(srv.json_path, srv.log()), "bulk_sink_bytes")


def collect(ctx, fn, key, figs, errs):
    """One measurement into figs[key], or its failure into errs[key]."""
    try:
        figs[key].append(fn())
    except Failed as e:
        errs[key].append(str(e))


ROWS = [  # figure, synack key, peer key, notes
    ("1-stream Gbps: synack->synack net_ring vs iperf3 loopback", "ring", "il",
     "synack: client AND server on one lcore; iperf3 (lo): client CPU 0, server CPU 1"),
    ("1-stream Gbps: synack->synack memif vs iperf3 veth", "memif", "iv",
     "2 processes on CPU 0 / 1: cross-core, swings"),
    ("1-stream Gbps: synack->synack virtio-user->vhost (TSO) vs iperf3 veth", "vhost", "iv",
     "2 processes on CPU 0 / 1; tcp_tx_tso frames of up to 63 KiB, vhost hands them up whole"),
    ("1-stream Gbps: synack->kernel veth (af_xdp) vs iperf3 veth", "sk", "iv",
     "kernel end: python recv_into sink; offloads off on both veth ends (iperf3 too: no TSO/GSO)"),
    ("1-stream Gbps: kernel->synack veth (af_xdp) vs iperf3 veth", "ks", "iv",
     "kernel end: python sendall of 1 MiB buffers"),
]


def run(ctx):
    keys = ("ring", "memif", "vhost", "sk", "ks", "iv", "il")
    figs, errs = {k: [] for k in keys}, {k: [] for k in keys}
    for i in range(1, ctx.runs + 1):
        collect(ctx, lambda: ring(ctx, i), "ring", figs, errs)
        collect(ctx, lambda: link(ctx, "memif", i), "memif", figs, errs)
        collect(ctx, lambda: link(ctx, "vhost", i, ",tso=1,linear-buffer=1,ext-buffer=1"),
                "vhost", figs, errs)
    try:
        with Veth(ctx, "tput") as v:
            for i in range(1, ctx.runs + 1):
                v.addrs(K_A, K_B)
                collect(ctx, lambda: iperf3(ctx, v, i, v.ns_b, K_B), "iv", figs, errs)
                collect(ctx, lambda: iperf3(ctx, v, i, v.ns_a, "127.0.0.1"), "il", figs, errs)
                collect(ctx, lambda: to_kernel(ctx, v, i), "sk", figs, errs)
                collect(ctx, lambda: from_kernel(ctx, v, i), "ks", figs, errs)
    except Failed as e:
        for k in ("sk", "ks", "iv", "il"):
            errs[k].append(str(e))
    rows = []
    for figure, key, peer, notes in ROWS:
        a, b = Spread(figs[key]), Spread(figs[peer])
        e = errs[key] or errs[peer]
        rows.append(ctx.row(figure, a.median if a else f"error: {errs[key][0]}" if errs[key]
                            else "error", b.median, None,
                            f"median of {ctx.runs} (synack {a.range(2)}, peer {b.range(2)}); "
                            f"{notes}{'; ' + e[0] if e and a else ''}", digits=2))
    return rows
