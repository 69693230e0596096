# SPDX-License-Identifier: BSD-3-Clause
"""What observation costs: HTTP connections/s on one lcore over net_ring
(config/demo.ini, as cps_ring) with the management plane off
(run.telemetry = off, no metrics endpoint) and on (telemetry on, the
Prometheus endpoint on, and this process scraping /metrics and asking
telemetry for /synack/stats and a 100-entry /synack/conns once a second
each, as a monitoring setup would), in alternating runs so that the two
see the same machine. Figure: the median CPS of each and on/off (the goal
is >= 0.97)."""
import json
import os
import socket
import threading
import time
import urllib.request

from lib import Spread, ratio
from lib.ring import demo


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Poller(threading.Thread):
    """Once a second: GET /metrics, /synack/stats and /synack/conns."""

    def __init__(self, metrics_port, sock_path):
        super().__init__(daemon=True)
        self.url = f"http://127.0.0.1:{metrics_port}/metrics"
        self.sock_path = sock_path
        self.stop = threading.Event()
        self.scrapes = self.tel = 0

    def telemetry(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.settimeout(2)
        s.connect(self.sock_path)
        s.recv(4096)
        for cmd in ("/synack/stats", "/synack/conns,count=100"):
            s.send(cmd.encode())
            json.loads(s.recv(65536).decode())
            self.tel += 1
        s.close()

    def run(self):
        while not self.stop.wait(1.0):
            try:
                with urllib.request.urlopen(self.url, timeout=2) as r:
                    r.read()
                self.scrapes += 1
            except OSError:
                pass
            try:
                self.telemetry()
            except (OSError, ValueError):
                pass


def run(ctx):
    cps = {"off": [], "on": []}
    pairs = []  # on/off of the runs next to each other
    polls = []
    errs = []
    for i in range(1, ctx.runs + 1):
        got = {}
        for mode in ("off", "on"):
            name = f"obs.{mode}.{i}"
            if mode == "off":
                sets = ["run.telemetry=off"]
                poller = None
            else:
                mp = free_port()
                prefix = f"obsbench-{os.getpid()}-{i}"
                sets = ["run.telemetry=on", f"run.metrics=127.0.0.1:{mp}",
                        f"run.file_prefix={prefix}", "run.run_name=bench"]
                poller = Poller(mp, f"/var/run/dpdk/{prefix}/dpdk_telemetry.v2")
                poller.start()
            try:
                f = demo(ctx, name, sets)
                got[mode] = f.mean("cps")
                cps[mode].append(got[mode])
            except Exception as e:  # noqa: BLE001 (Failed, FigureError)
                errs.append(f"{name}: {e}")
            finally:
                if poller is not None:
                    poller.stop.set()
                    poller.join(5)
                    polls.append((poller.scrapes, poller.tel))
        if "on" in got and "off" in got and got["off"]:
            pairs.append(got["on"] / got["off"])
    off, on = Spread(cps["off"]), Spread(cps["on"])
    fail = f"; a run failed: {errs[0]}" if errs else ""
    if not off or not on:
        return [ctx.error_row("HTTP CPS, telemetry+metrics on / off",
                              errs[0] if errs else "no run")]
    scr = sum(p[0] for p in polls)
    tel = sum(p[1] for p in polls)
    r = ratio(on.median, off.median)
    pr = Spread(pairs)
    ctx.hist("cps_obs_on_off_ratio", r)
    return [
        ctx.row("HTTP CPS, 1 lcore, telemetry+metrics off", off.median, None, None,
                off.note()),
        ctx.row("HTTP CPS, 1 lcore, telemetry+metrics on (scraped 1/s)", on.median,
                off.median, r,
                f"{on.note()}; peer = off; goal >= 0.97; pairwise on/off median "
                f"{ratio(pr.median, 1)} ({pr.range(2)}); {scr} scrapes, {tel} telemetry "
                f"answers over the on runs{fail}"),
    ]
