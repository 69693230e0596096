#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Read figures out of synack's --json lines file (for bench/run.sh).

jsonstat.py FILE mean KEY [SKIP]    mean of KEY over the interval objects,
                                    skipping the first SKIP (default 1)
                                    intervals; KEY is dotted (cps, rx_pps,
                                    gauges.tcp_open, counters.icmp_reply_rx)
jsonstat.py FILE rate KEY [SKIP]    per-second rate of the cumulative counter
                                    KEY between interval SKIP (default 1)
                                    and the last interval
jsonstat.py FILE last KEY           KEY in the last interval object
jsonstat.py FILE max KEY            largest KEY over the interval objects
jsonstat.py FILE reach KEY V        t of the first interval object whose KEY
                                    is >= V (seconds since start)
jsonstat.py FILE summary KEY        KEY in the summary object
                                    (latency_us.handshake.p99, counters.x)
jsonstat.py FILE worker SUB KEY     KEY in the summary's worker whose label
                                    contains SUB (counters.gen_done)

Prints the number (integers without a fraction) or nothing when the object
or key is absent; exit 1 then, 2 when the file is unreadable.
"""
import json
import sys


def dig(obj, path):
    parts = path.split(".")
    i = 0
    while i < len(parts):
        if not isinstance(obj, dict):
            return None
        # keys may hold dots themselves ("p99.9"): take the longest match
        for j in range(len(parts), i, -1):
            key = ".".join(parts[i:j])
            if key in obj:
                obj = obj[key]
                i = j
                break
        else:
            return None
    return obj


def fmt(v):
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    fname, op = argv[1], argv[2]
    objs = []
    try:
        with open(fname, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                try:
                    objs.append(json.loads(line))
                except ValueError:
                    continue  # a line cut by a crash
    except OSError:
        return 2
    ivals = [o for o in objs if o.get("type") == "interval"]
    summ = [o for o in objs if o.get("type") == "summary"]
    v = None
    if op == "max":
        vals = [dig(o, argv[3]) for o in ivals]
        vals = [x for x in vals if isinstance(x, (int, float))]
        if vals:
            v = max(vals)
    elif op == "reach" and len(argv) > 4:
        for o in ivals:
            x = dig(o, argv[3])
            if isinstance(x, (int, float)) and x >= float(argv[4]):
                v = o.get("t")
                break
    elif op == "mean":
        skip = int(argv[4]) if len(argv) > 4 else 1
        vals = [dig(o, argv[3]) for o in ivals[skip:]]
        vals = [x for x in vals if isinstance(x, (int, float))]
        if not vals:  # too short a run: use what there is
            vals = [dig(o, argv[3]) for o in ivals]
            vals = [x for x in vals if isinstance(x, (int, float))]
        if vals:
            v = round(sum(vals) / len(vals))
    elif op == "rate":
        skip = int(argv[4]) if len(argv) > 4 else 1
        if len(ivals) <= skip:
            skip = 0
        if len(ivals) > skip:
            a, b = ivals[skip - 1] if skip else None, ivals[-1]
            va = dig(a, argv[3]) if a else 0
            ta = a.get("t", 0) if a else 0
            vb, tb = dig(b, argv[3]), b.get("t", 0)
            if isinstance(va, (int, float)) and isinstance(vb, (int, float)) and tb > ta:
                v = round((vb - va) / (tb - ta))
    elif op == "last":
        v = dig(ivals[-1], argv[3]) if ivals else None
    elif op == "summary":
        v = dig(summ[-1], argv[3]) if summ else None
    elif op == "worker" and len(argv) > 4:
        for w in (summ[-1].get("workers", []) if summ else []):
            if argv[3] in str(w.get("label", "")):
                v = dig(w, argv[4])
                break
    if v is None or isinstance(v, (dict, list)):
        return 1
    print(fmt(v))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
