# SPDX-License-Identifier: BSD-3-Clause
"""HTTP connections/s on one lcore over net_ring with [capture] on vs off.

synack: config/demo.ini as cps_ring, median of --runs runs each: capture
off; capture on with a filter that matches nothing (udp port 9: the cost of
the RX/TX hooks and the rte_bpf filter per frame); capture of every frame
(snaplen 128) into the newest-100000 ring (limit_packets: the copies, the
worker's ring and the main lcore's bookkeeping; the file is written at the
end). The peer column is the run with capture off; the ratio is on / off."""
from lib import Spread
from lib.ring import demo_runs

VARIANTS = [
    ("off", []),
    ("hooks + filter matching nothing", ["capture.filter=udp port 9"]),
    ("every frame, snaplen 128, newest 100000 kept",
     ["capture.snaplen=128", "capture.limit_packets=100000"]),
]


def run(ctx):
    rows, off = [], None
    for label, sets in VARIANTS:
        if sets:
            sets = [f"capture.file={ctx.path('bench.pcapng')}"] + sets
        means, _, errs = demo_runs(ctx, f"capture_{len(rows)}", ("cps",), sets)
        cps = Spread(means["cps"])
        name = f"HTTP CPS, 1 lcore, capture {label}"
        if not cps:
            rows.append(ctx.error_row(name, errs[0] if errs else "no run"))
            continue
        if off is None:
            off = cps.median
            rows.append(ctx.row(name, cps.median, None, None, cps.note()))
        else:
            rows.append(ctx.row(name, cps.median, off, None,
                                f"{cps.note()}; peer = capture off"))
    return rows
