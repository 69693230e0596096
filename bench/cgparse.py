#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Instructions per connection from callgrind output (for bench/scenarios/insns.py).

As a module: thread_figures(path) and solve_figures(...) return the figures;
as a command it prints them:

cgparse.py thread FILE
    One line for a callgrind --separate-threads file of a synack worker:
      role polls total pmd
    role   client (the thread runs the generator: gen_* functions),
           server, or none (not a worker thread: no worker_poll_once)
    polls  calls of worker_poll_once
    total  inclusive Ir of worker_poll_once (all calls)
    pmd    Ir spent in the PMD: calls from synack into a DPDK net PMD object
           (librte_net_*.so: the ring PMD's rx/tx burst, inclusive) plus
           the inlined rte_eth_rx_burst/tx_burst wrappers (rte_ethdev.h)

cgparse.py solve PB TB CB PI TI CI
    Busy run: PB polls, TB Ir, CB connections; idle run: PI, TI, CI.
    Ir = polls * idle_per_poll + conns * per_conn, solved from both runs.
    Prints: idle_per_poll per_conn

The file format is callgrind's (name compression "(id) name", cost lines
"pos Ir", "calls=N pos" followed by the call's inclusive cost line).
"""
import re
import sys


def parse(path):
    names = {"fn": {}, "fl": {}, "ob": {}}
    kind_of = {"fn": "fn", "cfn": "fn", "fl": "fl", "fi": "fl", "fe": "fl",
               "cfi": "fl", "cfl": "fl", "ob": "ob", "cob": "ob"}
    cur = {"fn": "", "fi": "", "fl": "", "ob": "", "cfn": "", "cob": ""}
    self_cost = {}
    call_incl = {}     # caller fn -> inclusive cost of its calls
    calls_to = {}      # callee fn -> call count
    incl_to = {}       # callee fn -> inclusive cost summed over calls
    pmd = 0
    pending_call = None
    rx = re.compile(r"^(fn|cfn|fl|fi|fe|cfi|cfl|ob|cob)=(.*)$")
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            m = rx.match(line)
            if m:
                key, val = m.group(1), m.group(2)
                k = kind_of[key]
                mm = re.match(r"^\((\d+)\)(?: (.*))?$", val)
                if mm:
                    if mm.group(2) is not None:
                        names[k][mm.group(1)] = mm.group(2)
                        val = mm.group(2)
                    else:
                        val = names[k].get(mm.group(1), "?")
                if key == "fn":
                    cur["fn"] = val
                    cur["fi"] = cur["fl"]
                    cur["cob"] = ""
                elif key == "fl":
                    cur["fl"] = val
                    cur["fi"] = val
                elif key in ("fi", "fe"):
                    cur["fi"] = val
                elif key == "ob":
                    cur["ob"] = val
                elif key == "cob":
                    cur["cob"] = val
                elif key == "cfn":
                    cur["cfn"] = val
                continue
            if line.startswith("calls="):
                pending_call = int(line[6:].split()[0])
                continue
            if line[0] in "0123456789+-*":
                parts = line.split()
                cost = int(parts[1]) if len(parts) > 1 else 0
                fn = cur["fn"]
                if pending_call is not None:
                    callee = cur["cfn"]
                    call_incl[fn] = call_incl.get(fn, 0) + cost
                    calls_to[callee] = calls_to.get(callee, 0) + pending_call
                    incl_to[callee] = incl_to.get(callee, 0) + cost
                    cob = cur["cob"] or cur["ob"]
                    if "librte_net_" in cob and "librte_net_" not in cur["ob"]:
                        pmd += cost
                    pending_call = None
                    cur["cob"] = ""
                else:
                    self_cost[fn] = self_cost.get(fn, 0) + cost
                    if cur["fi"].endswith("rte_ethdev.h"):
                        pmd += cost
    return self_cost, calls_to, incl_to, pmd


def thread_figures(path):
    """(role, polls, total, pmd) of one callgrind --separate-threads file
    (role 'none' and zeros for a thread that is not a worker)."""
    self_cost, calls_to, incl_to, pmd = parse(path)
    polls = calls_to.get("worker_poll_once", 0)
    if polls == 0:
        return "none", 0, 0, 0
    role = "client" if any(k.startswith("gen_") and v > 0
                           for k, v in self_cost.items()) else "server"
    return role, polls, incl_to.get("worker_poll_once", 0), pmd


def solve_figures(pb, tb, cb, pi, ti, ci):
    """(idle_per_poll, per_conn) from the busy and the idle run, or None
    when the two runs do not determine them."""
    det = pb * ci - pi * cb
    if det == 0 or cb == 0:
        return None
    return (tb * ci - ti * cb) / det, (pb * ti - pi * tb) / det


def thread(path):
    print(" ".join(str(x) for x in thread_figures(path)))
    return 0


def solve(pb, tb, cb, pi, ti, ci):
    r = solve_figures(pb, tb, cb, pi, ti, ci)
    if r is None:
        print("nan nan")
        return 1
    print(f"{r[0]:.1f} {r[1]:.0f}")
    return 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "thread":
        return thread(argv[2])
    if len(argv) == 8 and argv[1] == "solve":
        return solve(*[float(x) for x in argv[2:]])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
