# SPDX-License-Identifier: BSD-3-Clause
"""Handshake and time-to-first-byte percentiles at half of the maximum
connection rate over net_ring (one lcore), vs a ping-pong round trip on the
same link and lcore.

synack: config/demo.ini with client.rate = half of cps_ring's CPS (measured
first when cps_ring did not run), p50 / p99 / p99.9 of handshake (SYN ->
SYN-ACK) and TTFB (SYN -> first response byte). Peer: config/ping-ring.ini
with run.lcores=1, client.concurrency=1: one echo in flight, so the mean
RTT = 1 / echo rate (the ping model records no RTT percentiles). ratio =
p50 / RTT: a handshake is one round trip, TTFB two."""
from lib import Failed, fmt, ratio
from lib.ring import demo


def ping_rtt(ctx):
    """Mean ICMP echo round trip in us, one echo in flight."""
    f = ctx.synack("lat_ping", ctx.config("ping-ring.ini"),
                   ["run.lcores=1", "client.concurrency=1", f"run.duration={ctx.dur}s"])
    rate = f.rate("counters.icmp_reply_rx")
    if rate <= 0:
        raise Failed("no echo replies")
    return round(1e6 / rate, 2)


def run(ctx):
    cps_max = ctx.cache.get("cps_max")
    if not cps_max:
        try:
            cps_max = demo(ctx, "lat_max").mean("cps")
        except Failed as e:
            return [ctx.error_row("latency at 50% max CPS", f"no max CPS: {e}")]
    rate = int(cps_max // 2)
    try:
        rtt = ping_rtt(ctx)
        pnote = "ping model, concurrency 1: mean RTT = 1/echo rate"
    except Failed as e:
        rtt, pnote = None, f"ping-pong RTT n/a: {e}"
    try:
        f = demo(ctx, "lat_half", [f"client.rate={rate}"])
    except Failed as e:
        return [ctx.error_row("latency at 50% max CPS", str(e))]
    got = f.mean("cps")
    rows = []
    for k in ("handshake", "ttfb"):
        q = [f.summary(f"latency_us.{k}.{p}") for p in ("p50", "p99", "p99.9")]
        rows.append(ctx.row(f"{k} p50 / p99 / p99.9 (us)", " / ".join(fmt(x) for x in q), rtt,
                            ratio(q[0], rtt), f"client.rate={rate} (50% of {fmt(cps_max)}), got "
                            f"{got} cps; peer: {pnote}; ratio = p50/RTT"))
    return rows
