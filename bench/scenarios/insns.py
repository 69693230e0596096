# SPDX-License-Identifier: BSD-3-Clause
"""Instructions per connection, client and server side, with and without
the PMD (valgrind --tool=callgrind), vs the issue's targets; appended to
bench/history.tsv.

synack: config/demo.ini with run.lcores=2 (worker 0 the client, worker 1
the server, each a thread, --separate-threads=yes). Two runs: busy
(client.count=2000, as fast as it goes) and idle (client.rate=1 for 4 s: a
handful of connections, a million polls). For each worker thread
bench/cgparse.py reads the calls and the inclusive cost of
worker_poll_once and of the PMD, and solves Ir = polls x Ir_per_idle_poll
+ connections x Ir_per_connection over the two runs. Targets: <= 2,500
instructions per connection per side including the PMD, <= 1,500
excluding it. The top 10 functions by self cost of each side are printed.
Deterministic: the figure to track from commit to commit."""
import glob
import os
import re

import cgparse
import harness
from lib import Failed

# valgrind runs ~50x slower, the threads one at a time: no retransmission
# or ARP timeouts, no client timeouts, a late delayed ACK
SLOW = ["run.lcores=2", "tcp.rto_min=30s", "pool.arp_timeout=30s", "client.timeout=0",
        "tcp.delack=500ms"]
TARGET = {"incl": 2500, "excl": 1500}


def callgrind(ctx, name, sets):
    """synack under callgrind, one profile per thread; the JSON path."""
    if not (ctx.need("valgrind", "valgrind") and ctx.need("callgrind_annotate", "valgrind")):
        raise Failed("valgrind missing (apt-get install valgrind)")
    js = ctx.path(f"{name}.json")
    argv = (["valgrind", "--tool=callgrind", "--fair-sched=yes", "--separate-threads=yes",
             f"--callgrind-out-file={ctx.path(name + '.cg')}"] +
            ctx.synack_argv(ctx.config("demo.ini"), SLOW + sets, js))
    rc, text = ctx.run(name, argv, 600)
    if rc != 0:
        raise Failed(f"{name}: exit {rc}: {text.splitlines()[-1] if text else ''}")
    return js


def threads(ctx, name):
    """{role: (polls, Ir of worker_poll_once, Ir of the PMD, file)}."""
    out = {}
    for f in sorted(glob.glob(ctx.path(f"{name}.cg-*"))):
        role, polls, total, pmd = cgparse.thread_figures(f)
        if role != "none" and role not in out:
            out[role] = (polls, total, pmd, f)
    return out


def conns(js, role):
    """Connections of the run for role: the client's gen_done, the
    server's tcp_accepted (strict: a renamed counter fails)."""
    if role == "client":
        return harness.counters(js, worker="c0/")["gen_done"]
    return harness.counters(js, worker="s1/")["tcp_accepted"]


def top10(ctx, path):
    """The 10 functions with the highest self cost of a thread's profile."""
    r = ctx.run(f"annotate.{os.path.basename(path)}",
                ["callgrind_annotate", "--threshold=100", path], 120)[1]
    lines, go = [], False
    for line in r.splitlines():
        if re.match(r"^Ir +file:function", line):
            go = True
            continue
        if go and line.strip() and not line.startswith("-"):
            lines.append("  " + line.replace(ctx.root + "/", ""))
            if len(lines) == 10:
                break
    return lines


def side(ctx, role, busy, idle, jb, ji):
    """The rows of one side; (per conn incl PMD, excl PMD)."""
    if role not in busy or role not in idle:
        raise Failed(f"no {role} worker thread in the callgrind output")
    (bp, bt, bm, bf), (ip, it, im, _) = busy[role], idle[role]
    cb, ci = conns(jb, role), conns(ji, role)
    if cb == 0:
        raise Failed(f"no {role} connections in the busy run")
    s_all, s_pmd = (cgparse.solve_figures(bp, bt, cb, ip, it, ci),
                    cgparse.solve_figures(bp, bm, cb, ip, im, ci))
    if s_all is None or s_pmd is None:
        raise Failed(f"{role}: the busy and the idle run do not determine the cost")
    idle_poll, incl = s_all[0], round(s_all[1])
    pmd = round(s_pmd[1])
    excl, raw = incl - pmd, bt // cb
    ctx.row(f"{role} side Ir/conn incl PMD", incl, TARGET["incl"], None,
            f"idle polls subtracted ({idle_poll:.1f} Ir/poll); raw incl idle {raw}; "
            f"PMD {pmd}/conn; {cb} conns")
    ctx.row(f"{role} side Ir/conn excl PMD", excl, TARGET["excl"])
    for fig, val in (("incl_pmd", incl), ("excl_pmd", excl), ("raw_incl_idle", raw)):
        ctx.hist(f"{role}_{fig}", val)
    print(f"top 10 functions by self cost, {role} thread ({bf}), idle polling included:")
    print("\n".join(top10(ctx, bf)))
    return incl, excl


def run(ctx):
    n, idle_s = (1000, 2) if ctx.quick else (2000, 4)
    try:
        jb = callgrind(ctx, "cg_busy", [f"client.count={n}", "run.duration=120s"])
        ji = callgrind(ctx, "cg_idle", ["client.rate=1", f"run.duration={idle_s}s"])
    except Failed as e:
        return [ctx.error_row("instructions per connection", str(e))]
    busy, idle = threads(ctx, "cg_busy"), threads(ctx, "cg_idle")
    print("callgrind worker threads (role polls Ir_worker_poll_once Ir_pmd file):")
    for what, t in (("busy", busy), ("idle", idle)):
        for role, v in t.items():
            print(f"  {what} {role} {' '.join(str(x) for x in v)}")
    tot = []
    for role in ("client", "server"):
        try:
            tot.append(side(ctx, role, busy, idle, jb, ji))
        except (Failed, harness.CounterError) as e:
            ctx.error_row(f"{role} side per connection", str(e))
    if len(tot) == 2:
        incl, excl = sum(t[0] for t in tot), sum(t[1] for t in tot)
        retr = harness.counters(jb)["tcp_retrans"]
        ctx.row("total Ir/conn (both sides) incl PMD", incl, 2 * TARGET["incl"], None,
                f"excl PMD {excl} (target {2 * TARGET['excl']}); {retr} retransmits in the "
                f"run (valgrind slows time){'; --quick: ' + str(n) + ' connections' if ctx.quick else ''}")
        ctx.hist("total_incl_pmd", incl)
        ctx.hist("total_excl_pmd", excl)
    return [r for r in ctx.rows if r.scenario == "insns"]
