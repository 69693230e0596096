# SPDX-License-Identifier: BSD-3-Clause
"""HTTP connections/s between two synack processes (server CPU 1, client
CPU 0) over net_memif and over net_vhost <-> net_virtio_user, vs
dpdk-testpmd txonly -> rxonly on the same link.

synack: config/memif-server.ini + memif-client.ini, config/vhost-server.ini
+ virtio-user-client.ini, one worker each, sockets in the temporary
directory; min / median / max of --link-runs (5) runs: cross-core figures
swing on this VM. Peer: testpmd txonly in the client's place and rxonly
in the server's, each on the same CPU as synack's process, 64-byte
frames; compared in packets/s the client sends (tx_pps): the link's
ceiling from one core to another."""
import signal

from lib import Failed, Spread, ratio
from lib.link import devs, pair
from lib.peers import testpmd, testpmd_pps, testpmd_start

CONFIGS = {"memif": ("memif-server.ini", "memif-client.ini", "memif server/client"),
           "vhost": ("vhost-server.ini", "virtio-user-client.ini", "vhost <-> virtio-user")}


def link_ceiling(ctx, kind):
    """testpmd rxonly (CPU 1) <- txonly (CPU 0) on the link: Rx-pps."""
    sdev, cdev = devs(kind, ctx.path(f"tp-{kind}.sock"))
    rx = testpmd_start(ctx, f"tp-{kind}-rx", ["--lcores=0@1,1@1", f"--vdev={sdev}"],
                       ["--forward-mode=rxonly"])
    try:
        # the memif / vhost link takes a moment to connect: at least 5 s
        testpmd(ctx, f"tp-{kind}-tx", ["--lcores=0@0,1@0", f"--vdev={cdev}"],
                ["--forward-mode=txonly"], max(ctx.dur + 1, 5))
    finally:
        ctx.stop(rx, sig=signal.SIGINT, grace=5)
    return testpmd_pps(rx.log(), "Rx", receiver=True)


def one(ctx, kind, i):
    """One client/server run over kind: (cps, tx_pps) of the client."""
    scfg, ccfg, _ = CONFIGS[kind]
    sdev, cdev = devs(kind, ctx.path(f"link-{kind}.{i}.sock"))
    f = pair(ctx, f"link_{kind}.{i}", kind,
             (ctx.config(scfg), [f"port0.dev={sdev}"]),
             (ctx.config(ccfg), [f"port0.dev={cdev}", f"run.duration={ctx.dur}s"]))
    return f.mean("cps"), f.mean("tx_pps")


def run(ctx):
    rows = []
    n = ctx.opts.link_runs
    for kind in ("memif", "vhost"):
        ctx.log(f"cps_link: two processes over {kind} ({n} x {ctx.dur}s)")
        got, errs = ctx.repeat(lambda i, k=kind: one(ctx, k, i), n)
        name = f"HTTP CPS, 2 processes over {kind} ({CONFIGS[kind][2]})"
        cps, pps = Spread(c for c, _ in got), Spread(p for _, p in got)
        if not cps:
            rows.append(ctx.error_row(name, errs[0] if errs else "no run"))
            continue
        fail = f"; {len(errs)} failed: {errs[0]}" if errs else ""
        rows.append(ctx.row(name, cps.median, None, None,
                            f"{cps.note()}; client on CPU 0, server on CPU 1{fail}"))
        try:
            peer, note = link_ceiling(ctx, kind), "the link's ceiling, one core each end"
        except Failed as e:
            peer, note = None, str(e)
        rows.append(ctx.row(f"client pps sent vs testpmd txonly -> rxonly ({kind}, 64 B)",
                            pps.median, peer, None,
                            f"synack {ratio(pps.median, cps.median)} pkts/conn sent by the "
                            f"client; peer: {note}"))
    return rows
