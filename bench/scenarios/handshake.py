# SPDX-License-Identifier: BSD-3-Clause
"""Handshake-only connections/s (connect and close, no request), client and
server on one lcore over net_ring: a ceiling, no peer.

synack: config/demo.ini with client.request=none, the mean per-second cps
after the first second, median of --runs runs. The notes give the packets
per connection received at both ends (5: SYN, SYN-ACK, ACK, FIN, FIN or
ACK)."""
from lib import Spread, ratio
from lib.ring import demo_runs


def run(ctx):
    means, _, errs = demo_runs(ctx, "hs_ring", ("cps", "rx_pps"), ["client.request=none"])
    cps, pps = Spread(means["cps"]), Spread(means["rx_pps"])
    if not cps:
        return [ctx.error_row("handshake-only CPS, 1 lcore", errs[0] if errs else "no run")]
    fail = f"; a run failed: {errs[0]}" if errs else ""
    return [ctx.row("handshake-only CPS, 1 lcore (client+server)", cps.median, None, None,
                    f"{cps.note()}; {ratio(pps.median, cps.median)} pkts/conn received "
                    f"(both ends){fail}")]
