# SPDX-License-Identifier: BSD-3-Clause
"""How close the paced load models (rps open loop, cc) get to the request
rate they are asked for, second by second, vs that rate.

rps open loop: client.rate=20000 over 50 connections; cc: 200
connections, a request every 50 ms (4000/s).

The integration tests assert only that synack is never faster than asked
(client_ring 1c and 1g); how close to the rate a loaded machine gets is
this figure. Both on config/demo.ini (one lcore, net_ring), 5 s (3 with
--quick); requests sent per second from the cumulative gen_req_tx of each
interval line, the first second and the last (with the stop) left out.
Prints, never asserts."""
from lib import Failed, Spread, harness

CASES = [  # name, sets, intended requests/s
    ("rps open loop, rate 20000, 50 conns",
     ["client.model=rps", "client.concurrency=50", "client.rate=20000"], 20000),
    ("cc, 200 conns x a request per 50 ms",
     ["client.model=cc", "client.concurrency=200", "client.interval=50ms"], 4000),
]


def per_second(f):
    """Requests sent per second in each interval after the first."""
    out, prev = [], None
    for o in f.intervals:
        n = harness.Counters(o["counters"], f"{f.path} t={o['t']}")["gen_req_tx"]
        if prev is not None and o["t"] > prev[0]:
            out.append((n - prev[1]) / (o["t"] - prev[0]))
        prev = (o["t"], n)
    return out[:-1] if len(out) > 1 else out


def run(ctx):
    dur = 3 if ctx.quick else 5
    rows = []
    for i, (name, sets, want) in enumerate(CASES):
        try:
            f = ctx.synack(f"pacing.{i}", ctx.config("demo.ini"),
                           sets + [f"run.duration={dur}s", "run.lcores=1"], timeout=dur + 30)
        except Failed as e:
            rows.append(ctx.error_row(f"{name}: requests/s", str(e)))
            continue
        secs = per_second(f)
        print(f"  {name}: requests sent per second {' '.join(f'{x:.0f}' for x in secs)}"
              f" (asked {want})")
        got = Spread(secs)
        off = Spread(abs(x / want - 1) * 100 for x in secs)
        rows.append(ctx.row(f"{name}: requests/s (mean of whole seconds)",
                            round(sum(secs) / len(secs)) if secs else "error: no whole second",
                            want, None, f"whole seconds: {got.n}, {got.range(0)}/s, {off.range(1)}% "
                            "off the rate" if got else ""))
    return rows
