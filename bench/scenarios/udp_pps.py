# SPDX-License-Identifier: BSD-3-Clause
"""UDP datagrams/s sent by synack's udp model to a UDP sink (both on one
lcore over net_ring), vs dpdk-testpmd txonly on net_null (one core's
generation ceiling) and vs iperf3 -u -l 64 -b 0 over veth.

synack: config/udp-ring.ini, client.payload=24 (its smallest: the 24-byte
sequence header; 66-byte frames), client.echo=off, target the sink port
9; mean tx_pps, median of --runs runs. Its figure includes its own receive
side (the sink on the same lcore); testpmd only generates (64-byte
frames). iperf3 (client CPU 0 -> server CPU 1, kernel to kernel between
two namespaces) carries 64 bytes of payload (106-byte frames): packets /
seconds of the sender; the notes add what arrived."""
from lib import Failed, Spread
from lib.peers import iperf3_client, iperf3_server, testpmd, testpmd_pps
from lib.veth import K_A, K_B, Veth

SETS = ["run.lcores=1", "client.echo=off", "client.payload=24", "client.count=0",
        "client.target=198.18.0.2:9"]


def synack_pps(ctx, i):
    f = ctx.synack(f"udp_pps.{i}", ctx.config("udp-ring.ini"),
                   [f"run.duration={ctx.dur}s"] + SETS)
    if f.summary("counters.udp_sink_rx") == 0:
        raise Failed("the sink received nothing")
    return f.mean("tx_pps")


def testpmd_null(ctx):
    text = testpmd(ctx, "testpmd-txonly", ["-l", "0,1", "--vdev=net_null0"],
                   ["--forward-mode=txonly", "--txpkts=64"], ctx.dur + 2)
    return testpmd_pps(text, "Tx")


def iperf3_udp(ctx, i, v):
    """(sent/s, arrived/s) of one iperf3 -u -l 64 -b 0 run over the veth."""
    srv = iperf3_server(ctx, f"iperf3-udp-s.{i}", v.ns_b, K_B, 1)
    try:
        s = iperf3_client(ctx, f"iperf3-udp.{i}", v.ns_a, K_B, 0,
                          ["-u", "-l", "64", "-b", "0"])["sum"]
    finally:
        ctx.stop(srv)
    return (round(s["packets"] / s["seconds"]),
            round((s["packets"] - s["lost_packets"]) / s["seconds"]))


def run(ctx):
    got, errs = ctx.repeat(lambda i: synack_pps(ctx, i))
    a = Spread(got)
    try:
        tp = testpmd_null(ctx)
    except Failed as e:
        tp, errs = None, errs + [str(e)]
    fail = f"; {errs[0]}" if errs else ""
    rows = [ctx.row("UDP pps sent, 24-byte payload (udp model -> sink, 1 lcore, both ends)",
                    a.median if a else "error", tp, None,
                    f"{a.note()}; peer: testpmd txonly 64 B on net_null, generation only{fail}")]
    ip, ierrs = [], []
    try:
        with Veth(ctx, "udp") as v:
            v.addrs(K_A, K_B)
            ip, ierrs = ctx.repeat(lambda i: iperf3_udp(ctx, i, v))
    except Failed as e:
        ierrs = [str(e)]
    b, r = Spread(s for s, _ in ip), Spread(x for _, x in ip)
    rows.append(ctx.row("UDP pps sent: synack (above, 66 B frames) vs iperf3 -u -l 64 -b 0 "
                        "(106 B frames, veth)", a.median if a else "error", b.median, None,
                        f"iperf3 {b.note()}, of which received {r.median}/s; kernel to kernel "
                        f"over the veth pair, client CPU 0, server CPU 1"
                        f"{'; ' + ierrs[0] if ierrs else ''}", digits=0))
    return rows
