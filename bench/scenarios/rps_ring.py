# SPDX-License-Identifier: BSD-3-Clause
"""Keep-alive HTTP requests/s, client and server on one lcore over net_ring,
100 connections: a ceiling, no peer.

synack: config/demo.ini with client.model=rps, concurrency 100, the mean
per-second rps after the first second, median of --runs runs."""
from lib import Spread, human
from lib.ring import demo_runs


def run(ctx):
    means, _, errs = demo_runs(ctx, "rps_ring", ("rps", "rx_pps"),
                               ["client.model=rps", "client.concurrency=100"])
    rps, pps = Spread(means["rps"]), Spread(means["rx_pps"])
    if not rps:
        return [ctx.error_row("keep-alive RPS, 1 lcore", errs[0] if errs else "no run")]
    fail = f"; a run failed: {errs[0]}" if errs else ""
    return [ctx.row("keep-alive RPS, 1 lcore, conc 100", rps.median, None, None,
                    f"{rps.note()}; rx {human(pps.median)}pps{fail}")]
