#!/usr/bin/python3
# SPDX-License-Identifier: bsd-3-clause
"""dist_segments.py SYNACK_BINARY

One synack server and 3 synack clients, segments 0..2 of 3, each on its own
af_packet port onto one shared link: a Linux bridge (in a namespace of its
own) joining 4 veths whose other ends sit in the synack namespace, without
addresses. The configs and the command lines are the ones of
deploy/kubernetes (the ConfigMap's server.ini and client.ini, the
StatefulSet's and the Indexed Job's args, $(START_AT) and
$(JOB_COMPLETION_INDEX) expanded as Kubernetes does); the test only points
port0.dev at its veth and the paths at its temporary directory.

Run 1 gives each client run.segment = i/3; run 2 leaves the segment to
JOB_COMPLETION_INDEX exactly as the Indexed Job sets it (the env variable,
0..2). Each time start_at is 2 s ahead and then:
  - every client exits 0, reports how late it started, and synack merge
    of the 3 files warns of nothing (no overlapping segments or sources,
    one config);
  - the merged gen_resp_2xx equals the server's http_resp_200;
  - the merged CPS over the steady part (the seconds all 3 segments ran,
    without the first and the last) is client.rate +/- 2%;
  - no 4-tuple appears twice: the server's drop_tcp_* counters stay 0.
Addresses from 198.18.0.0/15, namespaces without routes, every run bounded.
Needs root. Exit 0 pass, 1 fail, 77 skip."""
import configparser
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

try:
    import yaml
except ImportError:
    print("skip: python3-yaml not installed")
    sys.exit(77)

DEPLOY = "deploy/kubernetes"
failures = []


def fail(msg):
    print(f"FAIL: {msg}")
    failures.append(msg)


def ok(msg):
    print(f"ok: {msg}")


def sh(*argv, check=True):
    return subprocess.run(list(argv), check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)


def load_yaml(name):
    with open(os.path.join(DEPLOY, name)) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def k8s_args(doc, env):
    """The container's command + args, $(VAR) expanded from env as the kubelet does."""
    c = doc["spec"]["template"]["spec"]["containers"][0]
    argv = list(c.get("command", [])) + list(c.get("args", []))
    return [re.sub(r"\$\((\w+)\)", lambda m: env.get(m.group(1), m.group(0)), a) for a in argv]


class Bridge:
    """A bridge in a namespace of its own joining n veths, the peer of each in
    a namespace of its own (af_packet's PACKET_FANOUT group ids are per
    namespace: two synack processes in one namespace can collide)."""

    def __init__(self, n):
        pid = os.getpid() % 100000
        self.br_ns = f"dbr{pid}"
        self.ns = [f"ds{i}x{pid}" for i in range(n)]
        self.br = f"b{pid}"
        self.ifs = [f"dv{i}x{pid}" for i in range(n)]
        self.bifs = [f"db{i}x{pid}" for i in range(n)]
        self.made = []

    def __enter__(self):
        try:
            for ns in [self.br_ns] + self.ns:
                sh("ip", "netns", "add", ns)
                self.made.append(ns)
                sh("ip", "-n", ns, "link", "set", "lo", "up")
            sh("ip", "-n", self.br_ns, "link", "add", self.br, "type", "bridge")
            sh("ip", "-n", self.br_ns, "link", "set", self.br, "up")
            for a, b, sns in zip(self.ifs, self.bifs, self.ns):
                sh("ip", "link", "add", a, "netns", sns, "type", "veth", "peer",
                   "name", b, "netns", self.br_ns)
                sh("ip", "-n", self.br_ns, "link", "set", b, "master", self.br)
                for ns, ifc in ((sns, a), (self.br_ns, b)):
                    sh("ip", "netns", "exec", ns, "sysctl", "-qw",
                       f"net.ipv6.conf.{ifc}.disable_ipv6=1", check=False)
                    sh("ip", "netns", "exec", ns, "ethtool", "-K", ifc, "tx", "off", "tso",
                       "off", "gso", "off", check=False)
                    sh("ip", "-n", ns, "link", "set", ifc, "up")
        except BaseException:
            self.close()
            raise
        return self

    def close(self):
        for ns in reversed(self.made):
            subprocess.run(["ip", "netns", "del", ns], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
        self.made = []

    def __exit__(self, *exc):
        self.close()
        return False


def paths(argv, tmp):
    return [a.replace("/etc/synack/", tmp + "/").replace("/results/", tmp + "/") for a in argv]


def one_run(binary, br, tmp, variant, cm_ini, server_doc, job_doc, rate):
    print(f"--- run {variant}")
    rdir = os.path.join(tmp, variant)
    os.makedirs(rdir)
    for name, text in cm_ini.items():
        with open(os.path.join(rdir, name), "w") as f:
            f.write(text)
    n = len(br.ifs) - 1
    sargv = paths(k8s_args(server_doc, {}), rdir)
    sargv[0] = binary
    sargv += ["--set", f"port0.dev=net_af_packet0,iface={br.ifs[n]}", "--set", "run.duration=60s"]
    server = harness.Proc(["ip", "netns", "exec", br.ns[n]] + sargv,
                          os.path.join(rdir, "server.log"), os.path.join(rdir, "server.jsonl"))
    procs = []
    try:
        server.wait_ready(timeout=30)
        start_at = int(time.time()) + 2
        for i in range(n):
            env = dict(os.environ)
            env.pop("JOB_COMPLETION_INDEX", None)
            kenv = {"START_AT": str(start_at), "JOB_COMPLETION_INDEX": str(i)}
            cargv = paths(k8s_args(job_doc, kenv), rdir)
            cargv[0] = binary
            cargv += ["--set", f"port0.dev=net_af_packet0,iface={br.ifs[i]}"]
            if variant == "segment":
                cargv += ["--set", "run.segment_from_env=", "--set", "run.segments=0",
                          "--set", f"run.segment={i}/{n}"]
            else:
                env["JOB_COMPLETION_INDEX"] = str(i)   # as the Indexed Job sets it
            procs.append(harness.Proc(["ip", "netns", "exec", br.ns[i]] + cargv,
                                      os.path.join(rdir, f"client-{i}.log"),
                                      os.path.join(rdir, f"client-{i}.jsonl"), env=env))
        for i, p in enumerate(procs):
            rc = p.wait(60)
            if rc != 0:
                fail(f"{variant}: client {i} exited {rc}")
                harness.dump_logs(p)
        with open(procs[0].log_path) as f:
            log = f.read()
        m = re.search(r"start_at [0-9.]+: started ([0-9.]+) ms late", log)
        if m:
            ok(f"{variant}: client 0 started {m.group(1)} ms after start_at")
        else:
            fail(f"{variant}: client 0 did not report its start against start_at")
        if not re.search(r"segment 0/1:1/3 \(0 of 3\)", log):
            fail(f"{variant}: client 0 did not report segment 0 of 3")
    finally:
        for p in procs:
            if p.alive():
                p.stop()
        server.stop(signal.SIGINT)
    files = [p.json_path for p in procs]
    merged = os.path.join(rdir, "merged.jsonl")
    r = subprocess.run([binary, "merge"] + files + ["--json", merged], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=60)
    if r.returncode != 0:
        fail(f"{variant}: synack merge exited {r.returncode}: {r.stderr}")
        return
    if r.stderr.strip():
        fail(f"{variant}: synack merge warned: {r.stderr.strip()}")
    else:
        ok(f"{variant}: synack merge: no warnings")
    mc = harness.counters(merged)
    sc = harness.counters(server.json_path)
    two = mc["gen_resp_2xx"]
    if two > 0 and two == sc["http_resp_200"]:
        ok(f"{variant}: merged gen_resp_2xx {two} == server http_resp_200")
    else:
        fail(f"{variant}: merged gen_resp_2xx {two} != server http_resp_200 "
             f"{sc['http_resp_200']}")
    drops = {k: v for k, v in sc.items() if k.startswith("drop_tcp_") and v != 0}
    if drops:
        fail(f"{variant}: server drop_tcp_* not 0: {drops}")
    else:
        ok(f"{variant}: server drop_tcp_* all 0 (no 4-tuple twice)")
    ivs, _ = harness.load_jsonl(merged)
    full = [o for o in ivs if o.get("segments") == n]
    steady = full[1:-1]
    if len(steady) < 3:
        fail(f"{variant}: only {len(steady)} steady seconds with all {n} segments")
        return
    cps = sum(o["cps"] for o in steady) / len(steady)
    print(f"{variant}: merged CPS over {len(steady)} steady seconds: {cps:.1f} "
          f"(per second: {[o['cps'] for o in steady]})")
    if abs(cps - rate) <= 0.02 * rate:
        ok(f"{variant}: merged CPS {cps:.1f} is client.rate {rate} +/- 2%")
    else:
        fail(f"{variant}: merged CPS {cps:.1f} is not client.rate {rate} +/- 2%")


def main():
    if len(sys.argv) != 2:
        print("usage: dist_segments.py SYNACK_BINARY", file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    if os.geteuid() != 0 or shutil.which("ip") is None:
        print("skip: needs root and iproute2")
        return 77
    cm = [d for d in load_yaml("configmap.yaml") if d["kind"] == "ConfigMap"][0]
    server_doc = [d for d in load_yaml("server.yaml") if d["kind"] == "StatefulSet"][0]
    job_doc = [d for d in load_yaml("client-job.yaml") if d["kind"] == "Job"][0]
    ini = configparser.ConfigParser(inline_comment_prefixes=(";",), comment_prefixes=(";",))
    ini.read_string(cm["data"]["client.ini"])
    n = int(ini["run"]["segments"])
    rate = int(ini["client"]["rate"])
    if job_doc["spec"]["completions"] != n:
        fail("the Job's completions are not client.ini's run.segments")
    tmp = tempfile.mkdtemp(prefix="synack-dist.")
    try:
        with Bridge(n + 1) as br:
            for variant in ("segment", "job_completion_index"):
                one_run(binary, br, tmp, variant, cm["data"], server_doc, job_doc, rate)
    finally:
        if failures:
            print(f"logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
