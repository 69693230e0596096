#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""ss_netns.py SYNACK

`synack ss` against a synack server on af_packet over a veth pair
(harness.Netns): -l lists the listening TCP ports (80 and 8080) and, with
-u, the UDP echo port; while a rate-limited curl download holds a
connection open, the table shows it ESTAB with curl's own address and port
(as the kernel's ss in curl's namespace sees it, reversed), and the state
and port filters select it. Needs root (namespaces).
"""
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def fail(msg, *procs):
    print(f"FAIL: {msg}", file=sys.stderr)
    harness.dump_logs(*procs)
    sys.exit(1)


def ss(binary, sock, *args):
    r = subprocess.run([binary, "ss", "-s", sock] + list(args), capture_output=True,
                       text=True, timeout=30, check=False)
    if r.returncode != 0:
        raise RuntimeError(f"synack ss {' '.join(args)}: exit {r.returncode}\n{r.stdout}"
                           f"{r.stderr}")
    return r.stdout


def main():
    binary = os.path.abspath(sys.argv[1])
    if os.geteuid() != 0:
        print("SKIP: needs root (network namespaces)")
        sys.exit(77)
    with tempfile.TemporaryDirectory(prefix="synack-ss.") as tmp, \
            harness.Netns("ss") as ns:
        sets = [f"port0.dev=net_af_packet0,iface={ns.syn_if},qpairs=1",
                f"port0.ip={ns.synack_ip}/24", "server.listen=80,8080",
                "server.body_size=4000000", "udp.echo=7", "run.duration=40s",
                "run.quiet=on"]
        p = harness.start_synack(binary, "config/server-af_packet.ini", sets,
                                 os.path.join(tmp, "s.jsonl"), netns=ns.syn_ns, tmp=tmp)
        curl = None
        try:
            p.wait_ready()
            m = re.search(r"^synack: telemetry: (\S+) ", p.log(), re.M)
            if m is None:
                fail("no telemetry socket line", p)
            sock = m.group(1)
            ns.wait_reachable(ns.synack_ip)
            out = ss(binary, sock, "-l", "-t", "-u", "-H")
            lines = out.splitlines()
            for want in (rf"^tcp\s+LISTEN\s+0\s+0\s+{ns.synack_ip}:80\s",
                         rf"^tcp\s+LISTEN\s+0\s+0\s+{ns.synack_ip}:8080\s",
                         rf"^udp\s+UNCONN\s+0\s+0\s+{ns.synack_ip}:7\s.*echo"):
                if not any(re.search(want, l) for l in lines):
                    fail(f"synack ss -ltu: no line like {want}:\n{out}", p)
            # a download at 100 KB/s of 4 MB: the connection stays open
            curl = ns.kpopen(["curl", "-sS", "-o", "/dev/null", "--limit-rate", "100k",
                              "-m", "25", f"http://{ns.synack_ip}:80/"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            kport = None
            deadline = time.monotonic() + 10
            while kport is None and time.monotonic() < deadline:
                k = ns.kexec(["ss", "-tnH", "state", "established", "dst",
                              f"{ns.synack_ip}:80"], capture_output=True, text=True).stdout
                m = re.search(rf"{re.escape(ns.kernel_ip)}:(\d+)\s+{re.escape(ns.synack_ip)}:80",
                              k)
                if m:
                    kport = m.group(1)
                else:
                    time.sleep(0.2)
            if kport is None:
                fail("the kernel's ss never showed curl's connection", p)
            out = ss(binary, sock)
            want = rf"^ESTAB\s+0\s+\d+\s+{ns.synack_ip}:80\s+{ns.kernel_ip}:{kport}\s*$"
            if not any(re.search(want, l) for l in out.splitlines()):
                fail(f"synack ss: no line like {want}:\n{out}", p)
            if not out.splitlines()[0].startswith("State"):
                fail(f"synack ss: no header:\n{out}", p)
            out_i = ss(binary, sock, "-i", "--state", "established", "--port", kport, "-H")
            li = out_i.splitlines()
            if len(li) != 2 or not re.search(rf"{ns.kernel_ip}:{kport}", li[0]) or \
                    not re.search(r"worker:0 port:0 rtt:[\d.]+ rto:\d+ cwnd:\d+", li[1]):
                fail(f"synack ss -i --state established --port {kport}:\n{out_i}", p)
            out_a = ss(binary, sock, "-a", "-H")
            if not re.search(rf"LISTEN.*{ns.synack_ip}:8080", out_a) or \
                    not re.search(rf"ESTAB.*{ns.kernel_ip}:{kport}", out_a):
                fail(f"synack ss -a:\n{out_a}", p)
            out_t = ss(binary, sock, "--state", "time-wait", "-H")
            if out_t.strip():
                fail(f"synack ss --state time-wait lists:\n{out_t}", p)
            print(f"synack ss: curl's {ns.kernel_ip}:{kport} ESTAB, listeners 80, 8080, udp 7")
        finally:
            if curl is not None and curl.poll() is None:
                curl.terminate()
                curl.wait(timeout=10)
            p.stop()
    # the usage errors
    r = subprocess.run([binary, "ss", "--bogus"], capture_output=True, text=True, timeout=10,
                       check=False)
    if r.returncode != 2:
        fail(f"synack ss --bogus: exit {r.returncode}, not 2")
    r = subprocess.run([binary, "ss", "-s", "/nonexistent/sock"], capture_output=True,
                       text=True, timeout=10, check=False)
    if r.returncode != 2 or "cannot connect" not in r.stderr:
        fail(f"synack ss -s /nonexistent/sock: exit {r.returncode}: {r.stderr}")
    print("ss_netns: ok")


if __name__ == "__main__":
    main()
