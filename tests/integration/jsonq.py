#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Query synack's --json lines file.

jsonq.py FILE summary PATH          value at PATH in the summary object
jsonq.py FILE interval PATH         value at PATH in the last interval object
jsonq.py FILE worker SUBSTR PATH    value at PATH in the summary worker whose
                                    label contains SUBSTR (first match)
PATH is dotted (counters.rx_pkts, status). Prints nothing and exits 1 when
the object or the key is absent; exits 2 on an unreadable file.
"""
import json
import sys


def dig(obj, path):
    for part in path.split("."):
        if isinstance(obj, dict) and part in obj:
            obj = obj[part]
        elif isinstance(obj, list) and part.isdigit() and int(part) < len(obj):
            obj = obj[int(part)]
        else:
            return None
    return obj


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    fname, kind = argv[1], argv[2]
    objs = []
    try:
        with open(fname, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                try:
                    objs.append(json.loads(line))
                except json.JSONDecodeError as e:
                    print(f"jsonq: {fname}: bad JSON line: {e}", file=sys.stderr)
                    return 2
    except OSError as e:
        print(f"jsonq: {e}", file=sys.stderr)
        return 2
    if kind in ("summary", "worker"):
        sel = [o for o in objs if o.get("type") == "summary"]
    elif kind == "interval":
        sel = [o for o in objs if o.get("type") == "interval"]
    else:
        print(f"jsonq: unknown kind {kind}", file=sys.stderr)
        return 2
    if not sel:
        return 1
    obj = sel[-1]
    path = argv[3]
    if kind == "worker":
        if len(argv) < 5:
            return 2
        sub, path = argv[3], argv[4]
        ws = [w for w in obj.get("workers", []) if sub in str(w.get("label", ""))]
        if not ws:
            return 1
        obj = ws[0]
    val = dig(obj, path)
    if val is None:
        return 1
    if isinstance(val, bool):
        print("true" if val else "false")
    elif isinstance(val, float) and val.is_integer():
        print(int(val))
    elif isinstance(val, (dict, list)):
        print(json.dumps(val))
    else:
        print(val)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
