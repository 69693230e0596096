#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""bench/run.py [SCENARIO ...] [--runs N] [--quick]: synack side by side
with its peers.

Runs the named scenarios (default: all, in the order below) one after
another, never two at once; each prints its figures and their ratios to the
peer measured in the same run, then one table of every figure follows
(scenario | figure | synack | peer | ratio | notes) and the figures meant
for tracking are appended to bench/history.tsv. Each scenario is one file
in bench/scenarios/ (its docstring says what it compares; --list prints
them). Benchmarks print, they never assert: the exit status is 0 unless
the bench itself breaks (2: bad usage).
"""
import argparse
import importlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from lib import BENCH, ROOT, Context, Failed  # noqa: E402
from lib.table import render  # noqa: E402

# The default order: cps_ring leaves its figure for latency.
ORDER = ["cps_ring", "handshake", "rps_ring", "cps_link", "cps_veth", "rps_veth", "wrk_veth",
         "udp_pps", "insns", "latency", "ramp", "pacing", "cc", "tput"]
HISTORY = os.path.join(BENCH, "history.tsv")


def scenarios():
    """Every scenario module name: ORDER first, then any other file."""
    names = sorted(f[:-3] for f in os.listdir(os.path.join(BENCH, "scenarios"))
                   if f.endswith(".py") and not f.startswith("_"))
    return [n for n in ORDER if n in names] + [n for n in names if n not in ORDER]


def load(name):
    return importlib.import_module(f"scenarios.{name}")


def summary_line(mod):
    """The first sentence of a scenario's docstring, on one line."""
    para = " ".join((mod.__doc__ or "").strip().split("\n\n")[0].split())
    return para.split(". ")[0].rstrip(".")


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario", nargs="*", help="scenarios to run (default: all)")
    p.add_argument("--runs", type=int, default=3, help="runs per figure, median of them (3)")
    p.add_argument("--quick", action="store_true",
                   help="every scenario short (a few seconds, one run): a smoke test")
    p.add_argument("--duration", type=int, default=5,
                   help="seconds per timed run (5, at most 10)")
    p.add_argument("--link-runs", type=int, default=5,
                   help="runs of each cross-core cps_link figure (5)")
    p.add_argument("--cc", type=int, default=10_000_000, help="connections cc holds (10M)")
    p.add_argument("--cc-secs", type=int, default=180,
                   help="at most this long for cc to establish them (180)")
    p.add_argument("--cc-hold", type=int, default=3, help="seconds cc holds them (3)")
    p.add_argument("--cc-ramp", type=int, default=None,
                   help="seconds of cc's ramp-up (default one per 300k connections)")
    p.add_argument("--build", default=os.path.join(ROOT, "build-bench"),
                   help="build directory (built when missing; default build-bench)")
    p.add_argument("--keep", action="store_true",
                   help="keep the temporary directory (logs, JSON, INI, profiles)")
    p.add_argument("--no-install", action="store_true",
                   help="never apt-get install a missing peer tool")
    p.add_argument("--list", action="store_true", help="list the scenarios and exit")
    a = p.parse_args(argv)
    known = scenarios()
    bad = [s for s in a.scenario if s not in known]
    if bad:
        p.error(f"unknown scenario {', '.join(bad)}; known: {' '.join(known)}")
    a.scenario = a.scenario or known
    a.duration = max(1, min(a.duration, 10))
    if a.quick:
        a.runs, a.link_runs, a.duration = 1, 1, 2
        a.cc, a.cc_secs, a.cc_hold = min(a.cc, 20000), min(a.cc_secs, 20), 1
    a.runs = max(1, a.runs)
    if a.cc_ramp is None:
        a.cc_ramp = (a.cc + 299_999) // 300_000
    return a


def build(build_dir):
    """The synack binary only (the unit tests' C++ takes minutes here)."""
    if not os.path.exists(os.path.join(build_dir, "build.ninja")):
        print(f"+ meson setup {build_dir} {ROOT}", file=sys.stderr)
        subprocess.run(["nice", "meson", "setup", build_dir, ROOT], check=True,
                       stdout=subprocess.DEVNULL)
    subprocess.run(["nice", "ninja", "-C", build_dir, "app/synack/synack"], check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(build_dir, "app", "synack", "synack")


def git_commit():
    """Short HEAD, '+dirty' when lib/, drivers/ or app/ have changes."""
    def git(*a):
        return subprocess.run(["git", "-C", ROOT] + list(a), capture_output=True, text=True,
                              check=False)
    c = git("rev-parse", "--short", "HEAD").stdout.strip() or "unknown"
    if git("diff", "--quiet", "HEAD", "--", "lib", "drivers", "app").returncode != 0:
        c += "+dirty"
    return c


def append_history(ctx, stamp):
    """date, commit, scenario, figure, value: one line per tracked figure."""
    if not ctx.history:
        return
    if ctx.quick:
        ctx.log(f"--quick: {len(ctx.history)} figures not appended to {HISTORY}")
        return
    new = not os.path.exists(HISTORY) or os.path.getsize(HISTORY) == 0
    commit = git_commit()
    with open(HISTORY, "a", encoding="utf-8") as f:
        if new:
            f.write("date\tcommit\tscenario\tfigure\tvalue\n")
        for scen, fig, val in ctx.history:
            f.write(f"{stamp}\t{commit}\t{scen}\t{fig}\t{val}\n")
    ctx.log(f"appended {len(ctx.history)} lines to {HISTORY}")


def run_one(ctx, name):
    """One scenario; an exception becomes an error row, not the end."""
    mod = load(name)
    ctx.scenario = name
    t0 = time.monotonic()
    print(f"\n=== {name}: {summary_line(mod)}", flush=True)
    try:
        mod.run(ctx)
    except KeyboardInterrupt:
        raise
    except Failed as e:     # a whole scenario that could not run (no root...)
        ctx.error_row("scenario", str(e))
    except Exception as e:  # the bench goes on to the next scenario
        traceback.print_exc()
        ctx.error_row("scenario", f"{type(e).__name__}: {e}")
    finally:
        ctx.stop_all()
    print(f"=== {name}: {time.monotonic() - t0:.0f} s", flush=True)


def print_table(ctx, load0, stamp):
    if not ctx.rows:
        return
    print("\n================================ synack bench ================================")
    print(f"commit {git_commit()} {stamp}  {os.cpu_count()} CPUs  runs={ctx.runs} "
          f"duration={ctx.dur}s{' --quick' if ctx.quick else ''}  load average at start "
          f"{load0}, at end {loadavg()}")
    print(render(ctx.rows))
    print("\nratio = synack / peer (for instruction counts and cc: synack / the target "
          "in the issue).")
    keep = "" if ctx.opts.keep else " (removed on exit; --keep keeps it)"
    print(f"Commands: {ctx.path('commands.txt')}{keep}")


def loadavg():
    with open("/proc/loadavg", encoding="ascii") as f:
        return " ".join(f.read().split()[:3])


def main(argv):
    if "--list" in argv:
        for n in scenarios():
            print(f"{n:10} {summary_line(load(n))}")
        return 0
    opts = parse_args(argv)
    # Ctrl-C and SIGTERM end the run cleanly: processes stopped by PID,
    # namespaces removed, the table so far printed (SIGINT even when the
    # shell started us in the background with it ignored)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda s, f: sys.exit(128 + s))
    binary = build(opts.build)
    tmp = tempfile.mkdtemp(prefix="synack-bench.")
    ctx = Context(ROOT, binary, tmp, opts.runs, opts.duration, opts.quick, opts)
    load0, stamp = loadavg(), time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    ctx.log(f"synack {binary}, {os.cpu_count()} CPUs, scenarios: {' '.join(opts.scenario)}")
    rc = 0
    try:
        for name in opts.scenario:
            run_one(ctx, name)
    except (KeyboardInterrupt, SystemExit) as e:
        ctx.log(f"interrupted ({type(e).__name__}): the table so far")
        rc = 130
    finally:
        ctx.close()
        print_table(ctx, load0, stamp)
        append_history(ctx, stamp)
        if opts.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
