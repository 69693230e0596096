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


def parts(ctx, role, busy, idle, cb, ci, incl):
    """Per connection, where the instructions go (bench/cgparse.py
    CATEGORIES: PMD, mbuf, flow table, timers, checksums, L2/L3, TCP input,
    TCP output, the rest of TCP, the worker loop, the application, stats,
    libc and the rest), from the self cost of the whole worker thread.
    Two figures per part: raw, the busy run's cost over its connections
    (idle polls included: all positive, sums to the thread's raw figure),
    and marginal, solved like the total from the busy and the idle run
    (idle polling taken out; a negative marginal means that part costs less
    per poll when the worker is busy than when it idles -- the idle loop's
    share moves, the sum stays the total). History gets both."""
    (bp, _, _, bf), (ip, _, _, idf) = busy[role], idle[role]
    pb, pi = cgparse.thread_parts(bf), cgparse.thread_parts(idf)
    out, tot = [], 0
    for name in cgparse.CATEGORY_NAMES:
        s = cgparse.solve_figures(bp, pb.get(name, 0), cb, ip, pi.get(name, 0), ci)
        raw = round(pb.get(name, 0) / cb)
        marg = round(s[1]) if s is not None else None
        tot += marg or 0
        out.append((name, raw, marg))
        ctx.hist(f"{role}_part_{name}_raw", raw)
        if marg is not None:
            ctx.hist(f"{role}_part_{name}", marg)
    print(f"{role} side, Ir per connection by part (raw: busy run incl idle polls / "
          f"marginal: idle polling solved out):")
    for name, raw, marg in out:
        print(f"  {name:<12} {raw:>8} {marg if marg is not None else '-':>8}")
    print(f"  {'sum':<12} {sum(r for _, r, _ in out):>8} {tot:>8}   (total solved from "
          f"worker_poll_once: {incl})")
    top = sorted((o for o in out if o[2] is not None), key=lambda o: -o[2])[:5]
    ctx.row(f"{role} side Ir/conn, top parts", tot, None, None,
            "marginal: " + "; ".join(f"{n} {m}" for n, _, m in top))


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
    parts(ctx, role, busy, idle, cb, ci, incl)
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
