# SPDX-License-Identifier: BSD-3-Clause
"""HTTP connections/s, client and server on one lcore over net_ring, vs the
PMD's ceiling (dpdk-testpmd io and macswap forwarding over net_ring).

synack: config/demo.ini (handshake, GET, 64-byte response, close;
concurrency 100), the mean of the per-second cps after the first second,
median of --runs runs. Peer: testpmd, one forwarding core, packets
circulating between two net_ring loopback ports; compared in packets/s
(synack's rx_pps vs the sum of testpmd's Rx-pps over both ports). io only
moves pointers; macswap also writes each packet's Ethernet header. Also
p50/p99 handshake and response latency at full load (mostly queueing).
Leaves its CPS for the latency scenario."""
from lib import Failed, Spread, fmt, ratio
from lib.peers import testpmd, testpmd_pps
from lib.ring import demo_runs


def testpmd_ring(ctx, mode):
    """Rx packets/s of testpmd forwarding (mode) between two net_ring ports."""
    text = testpmd(ctx, f"testpmd-{mode}", ["-l", "0,1", "--vdev=net_ring0", "--vdev=net_ring1"],
                   [f"--forward-mode={mode}", "--tx-first"], ctx.dur + 2)
    return testpmd_pps(text, "Rx", ports=2)


def run(ctx):
    means, last, errs = demo_runs(ctx, "cps_ring", ("cps", "rx_pps"))
    cps, pps = Spread(means["cps"]), Spread(means["rx_pps"])
    fail = f"; a run failed: {errs[0]}" if errs else ""
    if not cps:
        return [ctx.error_row("HTTP CPS, 1 lcore", errs[0] if errs else "no run")]
    ctx.cache["cps_max"] = cps.median
    rows = [ctx.row("HTTP CPS, 1 lcore (client+server)", cps.median, None, None,
                    f"{cps.note()}; target >= 500000{fail}")]
    for mode in ("io", "macswap"):
        try:
            peer, note = testpmd_ring(ctx, mode), f"testpmd {mode} fwd, 2 net_ring loopback ports, 1 fwd core"
        except Failed as e:
            peer, note = None, str(e)
        rows.append(ctx.row(f"pps moved (rx) vs testpmd {mode}", pps.median, peer, None,
                            f"synack {pps.range()}; peer: {note}; "
                            f"synack {ratio(pps.median, cps.median)} pkts/conn"))
    for k in ("handshake", "response"):
        p50, p99 = (last.summary(f"latency_us.{k}.{q}") for q in ("p50", "p99"))
        rows.append(ctx.row(f"{k} latency p50 / p99 (us)", f"{fmt(p50)} / {fmt(p99)}", None, None,
                            "at full load, concurrency 100 (queueing included)"))
    return rows
