#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""metrics_prometheus.py SYNACK

The Prometheus endpoint ([run] metrics) with Debian's prometheus package:

1. two synack processes (mode both over net_ring, cps, bounded, then
   run.linger keeps them up with the final counters) each serve /metrics
   on a free loopback port with run = "obstest";
2. `promtool check metrics` passes on a scrape; the histograms are
   cumulative (_bucket non-decreasing in le, +Inf = _count); a wrong path
   is 404;
3. a real Prometheus server (its own temp dir, 127.0.0.1 on a free port,
   scrape interval 1s) scrapes both; after both runs ended, the PromQL
   sum(synack_gen_resp_rx_total{run="obstest"}) over its HTTP API equals
   the sum of the two JSON summaries' gen_resp_rx (and likewise
   http_req and the connection histogram's count).
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

CONF = "config/demo.ini"


def fail(msg, *procs):
    print(f"FAIL: {msg}", file=sys.stderr)
    harness.dump_logs(*procs)
    sys.exit(1)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read().decode()


def wait_summary(path, proc, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return harness.counters(path)
        except (harness.CounterError, OSError, ValueError):
            pass
        if not proc.alive():
            break
        time.sleep(0.2)
    fail(f"no summary in {path}", proc)


def check_histograms(text):
    buckets = {}
    counts = {}
    for line in text.splitlines():
        m = re.match(r'^(synack_latency_\w+)_bucket\{(.*),le="([^"]+)"\} (\d+)$', line)
        if m:
            buckets.setdefault((m.group(1), m.group(2)), []).append(
                (float("inf") if m.group(3) == "+Inf" else float(m.group(3)),
                 int(m.group(4))))
        m = re.match(r'^(synack_latency_\w+)_count\{(.*)\} (\d+)$', line)
        if m:
            counts[(m.group(1), m.group(2))] = int(m.group(3))
    if not buckets:
        fail("no histogram buckets in the scrape")
    for key, b in buckets.items():
        les = [le for le, _ in b]
        vals = [v for _, v in b]
        if les != sorted(les) or les[-1] != float("inf"):
            fail(f"{key}: le not ascending to +Inf: {les}")
        if vals != sorted(vals):
            fail(f"{key}: buckets not cumulative: {vals}")
        if counts.get(key) != vals[-1]:
            fail(f"{key}: _count {counts.get(key)} != +Inf bucket {vals[-1]}")
    return buckets, counts


def query(prom, q):
    url = f"http://127.0.0.1:{prom}/api/v1/query?" + urllib.parse.urlencode({"query": q})
    _, _, body = get(url)
    r = json.loads(body)
    if r.get("status") != "success":
        raise RuntimeError(f"{q}: {body}")
    res = r["data"]["result"]
    return None if not res else float(res[0]["value"][1])


def main():
    binary = os.path.abspath(sys.argv[1])
    for tool in ("prometheus", "promtool"):
        if subprocess.run(["which", tool], capture_output=True, check=False).returncode != 0:
            print(f"FAIL: {tool} missing (Debian's prometheus; scripts/setup.sh)")
            sys.exit(1)
    with tempfile.TemporaryDirectory(prefix="synack-prom.") as tmp:
        mports = [free_port(), free_port()]
        procs, jsons = [], []
        prom = None
        try:
            for i, mp in enumerate(mports):
                j = os.path.join(tmp, f"s{i}.jsonl")
                sets = ["run.duration=4s", "run.linger=60s", "run.quiet=on",
                        "client.model=cps", f"client.concurrency={10 + 10 * i}",
                        f"run.metrics=127.0.0.1:{mp}", "run.run_name=obstest"]
                procs.append(harness.start_synack(binary, CONF, sets, j, name=f"s{i}",
                                                  tmp=tmp))
                jsons.append(j)
            for p in procs:
                p.wait_ready()
                if not re.search(r"^synack: metrics: http://127\.0\.0\.1:\d+/metrics$",
                                 p.log(), re.M):
                    fail("no 'synack: metrics:' line", p)
            # Prometheus: its own directory, loopback, a free port, 1 s scrapes
            pport = free_port()
            cfg = os.path.join(tmp, "prometheus.yml")
            with open(cfg, "w") as f:
                f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                        "scrape_configs:\n  - job_name: synack\n    static_configs:\n"
                        "      - targets: [" +
                        ", ".join(f"'127.0.0.1:{mp}'" for mp in mports) + "]\n")
            plog = open(os.path.join(tmp, "prometheus.log"), "wb")
            prom = subprocess.Popen(
                ["prometheus", f"--config.file={cfg}",
                 f"--storage.tsdb.path={os.path.join(tmp, 'tsdb')}",
                 f"--web.listen-address=127.0.0.1:{pport}", "--storage.tsdb.retention.time=1h"],
                stdout=plog, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=tmp)
            # one scrape by hand: promtool, the histograms, a 404
            st, ctype, text = get(f"http://127.0.0.1:{mports[0]}/metrics")
            if st != 200 or not ctype.startswith("text/plain; version=0.0.4"):
                fail(f"GET /metrics: {st} {ctype}", procs[0])
            r = subprocess.run(["promtool", "check", "metrics"], input=text,
                               capture_output=True, text=True, timeout=30, check=False)
            if r.returncode != 0:
                fail(f"promtool check metrics: {r.stdout}{r.stderr}", procs[0])
            check_histograms(text)
            for name in ('synack_gen_resp_rx_total{run="obstest",worker="0"}',
                         'synack_drops_total{run="obstest",reason="ip_csum",worker="0"}',
                         'synack_tcp_open{run="obstest",worker="0"}',
                         'synack_port_rx_packets_total{run="obstest",port="0"}'):
                if name + " " not in text:
                    fail(f"no series {name}", procs[0])
            try:
                get(f"http://127.0.0.1:{mports[0]}/nope")
                fail("GET /nope did not fail", procs[0])
            except urllib.error.HTTPError as e:
                if e.code != 404:
                    fail(f"GET /nope: {e.code}, not 404", procs[0])
            # both runs end; their summaries; the lingering endpoints keep
            # the final counters for Prometheus
            sums = [wait_summary(j, p, 30) for j, p in zip(jsons, procs)]
            want = {k: sum(s[k] for s in sums) for k in ("gen_resp_rx", "http_req")}
            want_conn = None
            for j in jsons:
                _, summ = harness.load_jsonl(j)
                c = summ.get("latency_us", {}).get("conn", {}).get("count")
                if c is not None:
                    want_conn = (want_conn or 0) + c
            t_end = time.monotonic()
            deadline = time.monotonic() + 30
            got = {}
            while time.monotonic() < deadline:
                if prom.poll() is not None:
                    break
                try:
                    got = {k: query(pport, f'sum(synack_{k}_total{{run="obstest"}})')
                           for k in want}
                    got["up"] = query(pport, 'sum(up{job="synack"})')
                    got["conn"] = query(
                        pport, 'sum(synack_latency_conn_seconds_count{run="obstest"})')
                except (OSError, RuntimeError, ValueError):
                    got = {}
                # a scrape after the runs ended, and the values in
                if got and time.monotonic() > t_end + 2.5 and got["up"] == 2 and \
                        all(got[k] == want[k] for k in want):
                    break
                time.sleep(0.5)
            if not got:
                plog.flush()
                fail("Prometheus never answered:\n" +
                     open(os.path.join(tmp, "prometheus.log")).read()[-3000:], *procs)
            for k in want:
                if got[k] != want[k]:
                    fail(f"PromQL sum(synack_{k}_total) = {got[k]}, JSON summaries' sum "
                         f"{want[k]} ({[s[k] for s in sums]})", *procs)
            if got["up"] != 2:
                fail(f"up = {got['up']}, not both targets", *procs)
            if want_conn is not None and got["conn"] != want_conn:
                fail(f"PromQL conn histogram count {got['conn']} != JSON {want_conn}", *procs)
            if want["gen_resp_rx"] <= 0:
                fail("no responses: the runs did nothing", *procs)
            print(f"prometheus: sum gen_resp_rx {got['gen_resp_rx']:.0f} = "
                  f"{' + '.join(str(s['gen_resp_rx']) for s in sums)}; http_req "
                  f"{got['http_req']:.0f}; conn histogram count {got['conn']:.0f}")
        finally:
            if prom is not None:
                prom.terminate()
                try:
                    prom.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    prom.kill()
                    prom.wait()
            for p in procs:
                p.stop()
    print("metrics_prometheus: ok")


if __name__ == "__main__":
    main()
