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

cgparse.py parts FILE
    The thread's self cost split into the parts of the data path
    (category Ir per line; see CATEGORIES): where each instruction went.

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
    by_part = {}       # category -> self cost (by object, inlined file, function)
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
                    c = category(cur["ob"], cur["fi"], fn)
                    by_part[c] = by_part.get(c, 0) + cost
    PARTS[path] = by_part
    return self_cost, calls_to, incl_to, pmd


PARTS = {}

# The parts of the data path an instruction is charged to, from the object
# it ran in, the source file it came from (after inlining: callgrind's fi=)
# and the function. First match wins; the order matters (a function of
# tcp_flow.c that runs the wheel is a timer, the rest of it is flow table).
CATEGORIES = [
    ("pmd", lambda ob, fi, fn: "librte_net_" in ob or fi.endswith("rte_ethdev.h")),
    ("mbuf", lambda ob, fi, fn: any(x in ob for x in ("librte_mempool", "librte_mbuf",
                                                       "librte_ring"))
     or any(fi.endswith(x) for x in ("rte_mempool.h", "rte_mbuf.h", "rte_mbuf_core.h",
                                     "rte_ring_elem_pvt.h", "rte_ring_generic_pvt.h",
                                     "rte_ring_c11_pvt.h", "rte_ring_elem.h", "rte_ring.h",
                                     "rte_ring_peek_elem_pvt.h"))),
    ("flow_table", lambda ob, fi, fn: "librte_hash" in ob or "rte_hash" in fi
     or "rte_jhash" in fi or "rte_cuckoo" in fi or "rte_thash" in fi
     or fn in ("tcp_lookup", "tcp_tcb_new", "tcp_tcb_free", "flow_lookup")),
    ("timers", lambda ob, fi, fn: fi.endswith("lib/tcp/tcp_flow.c")
     and any(x in fn for x in ("timer", "wheel"))),
    ("checksum", lambda ob, fi, fn: any(fi.endswith(x) for x in ("rte_ip.h", "rte_cksum.h",
                                                                   "rte_net.h", "rte_ip4.h"))),
    ("l2_l3", lambda ob, fi, fn: "/lib/net/" in fi or fi.endswith("lib/stack/neigh.c")
     or fi.endswith("rte_ether.h") or fi.endswith("rte_arp.h")),
    ("tcp_input", lambda ob, fi, fn: fi.endswith("lib/tcp/tcp_in.c")),
    ("tcp_output", lambda ob, fi, fn: fi.endswith("lib/tcp/tcp_out.c")),
    ("tcp_other", lambda ob, fi, fn: "/lib/tcp/" in fi),
    ("stack_loop", lambda ob, fi, fn: "/lib/stack/" in fi),
    ("app", lambda ob, fi, fn: any(f"/lib/{m}/" in fi for m in
                                   ("http", "gen", "bulk", "iperf", "udp"))),
    ("stats", lambda ob, fi, fn: "/lib/stats/" in fi or "/app/" in fi),
    ("libc_other", lambda ob, fi, fn: True),
]
CATEGORY_NAMES = [c[0] for c in CATEGORIES]


def category(ob, fi, fn):
    for name, match in CATEGORIES:
        if match(ob, fi, fn):
            return name
    return "libc_other"


def thread_parts(path):
    """{category: self Ir} of one thread's profile."""
    if path not in PARTS:
        parse(path)
    return dict(PARTS[path])


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


def print_parts(path):
    p = thread_parts(path)
    for name in CATEGORY_NAMES:
        print(f"{name} {p.get(name, 0)}")
    return 0


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
    if len(argv) >= 3 and argv[1] == "parts":
        return print_parts(argv[2])
    if len(argv) == 8 and argv[1] == "solve":
        return solve(*[float(x) for x in argv[2:]])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
