# SPDX-License-Identifier: BSD-3-Clause
"""Seconds for 32 MiB over one TCP connection under 2% loss + 5% reordering
+ 1 ms delay each way (synack's own impairment, [port0] impair_rx and
impair_tx on synack's af_xdp veth end), synack as the sender vs the Linux
kernel as the sender over the same impaired path: synack client (A, CPU 0)
-> python sink (B, CPU 1), which times the first byte to the 32nd MiB;
python sendall of 32 MiB (A, CPU 0) -> synack's bulk server (B, CPU 1),
timed from connect to the server's close after the last byte. Offloads off
on both veth ends. Goal: synack <= 1.3x Linux's time. Median of --runs."""
import sys
import time

from lib import Failed, Spread
from lib.veth import K_A, K_B, S_A, S_B, Veth

MIB = 32
IMP = "loss=2% reorder=5% reorder_delay=1ms delay=1ms"

INI = """; bench loss: synack {mode} under impairment
[run]
mode     = {mode}
duration = {duration}
lcores   = 1
[port0]
dev = {dev}
ip  = {ip}/24
impair_rx = {imp} seed={s1}
impair_tx = {imp} seed={s2}
[server]
listen = 80
bulk   = 5002
[client]
model       = throughput
target      = {target}:5002
direction   = send
concurrency = 1
"""

SINK = """
import socket, sys, time
want = int(sys.argv[2]) << 20
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 5002)); s.listen(1); s.settimeout(120)
c, _ = s.accept(); b = bytearray(1 << 20); n = 0; t0 = None
while n < want:
    k = c.recv_into(b)
    if not k:
        break
    if t0 is None:
        t0 = time.time()
    n += k
print("done", n, time.time() - t0, flush=True)
c.close()"""

SEND = """
import socket, sys, time
t0 = time.time()
s = socket.create_connection((sys.argv[1], 5002), timeout=20); b = bytes(1 << 20)
for _ in range(int(sys.argv[2])):
    s.sendall(b)
s.shutdown(socket.SHUT_WR); s.settimeout(120)
while s.recv(65536):
    pass
print("done", int(sys.argv[2]) << 20, time.time() - t0, flush=True)"""


def script(ctx, name, text):
    path = ctx.path(name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.lstrip() + "\n")
    return path


def ini(ctx, name, mode, dev, ip, target, i):
    path = ctx.path(f"{name}.ini")
    with open(path, "w", encoding="utf-8") as f:
        f.write(INI.format(mode=mode, duration="0" if mode == "server" else "120s", dev=dev,
                           ip=ip, target=target, imp=IMP, s1=2 * i + 1, s2=2 * i + 2))
    return path


def seconds(log):
    for line in log.splitlines():
        if line.startswith("done "):
            _, n, dt = line.split()
            if int(n) < MIB << 20:
                raise Failed(f"only {n} bytes arrived")
            return round(float(dt), 2)
    raise Failed(f"no result: {log.strip().splitlines()[-1:] or 'empty log'}")


def synack_sends(ctx, v, i):
    v.addrs(None, K_B)
    sink = ctx.spawn(f"loss_ksink.{i}", [sys.executable, script(ctx, "sink.py", SINK), K_B,
                                         str(MIB)], cpu=1, ns=v.ns_b)
    time.sleep(0.3)
    cli = ctx.synack_start(f"loss_sk.{i}", ini(ctx, f"loss-sk.{i}", "client", v.dev("a"),
                                                S_A, K_B, i), cpu=0, ns=v.ns_a)
    try:
        deadline = time.monotonic() + 150
        while sink.alive() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        ctx.stop(cli)
        ctx.stop(sink, grace=5)
    return seconds(sink.log())


def linux_sends(ctx, v, i):
    v.addrs(K_A, None)
    srv = ctx.synack_start(f"loss_ks.{i}", ini(ctx, f"loss-ks.{i}", "server", v.dev("b"), S_B,
                                                K_A, i), cpu=1, ns=v.ns_b)
    try:
        time.sleep(0.5)
        _, log = ctx.run(f"loss_ksend.{i}", [sys.executable, script(ctx, "send.py", SEND), S_B,
                                             str(MIB)], 150, cpu=0, ns=v.ns_a)
    finally:
        ctx.stop(srv)
    return seconds(log)


def run(ctx):
    figs, errs = {"s": [], "k": []}, {"s": [], "k": []}
    try:
        with Veth(ctx, "loss") as v:
            for i in range(1, ctx.runs + 1):
                for key, fn in (("s", synack_sends), ("k", linux_sends)):
                    try:
                        figs[key].append(fn(ctx, v, i))
                    except Failed as e:
                        errs[key].append(str(e))
    except Failed as e:
        errs["s"].append(str(e))
    a, b = Spread(figs["s"]), Spread(figs["k"])
    ratio = round(a.median / b.median, 2) if a and b else None
    e = errs["s"] or errs["k"]
    return [ctx.row(f"s for {MIB} MiB, 2% loss + 5% reorder + 1 ms each way: synack vs Linux "
                    "sender (lower is better, goal <= 1.3x)",
                    a.median if a else f"error: {errs['s'][0] if errs['s'] else '?'}",
                    b.median if b else None, ratio,
                    f"median of {ctx.runs} (synack {a.range(2)}, Linux {b.range(2)}); "
                    f"impairment on synack's af_xdp port{'; ' + e[0] if e else ''}",
                    digits=2)]
