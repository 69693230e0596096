#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Figures out of synack's --json lines file, for the bench scenarios.

As a module: ``Figures(path)`` reads the file with the test harness's
``load_jsonl`` and answers the questions below; a key that is not there
raises ``FigureError`` (a harness.CounterError) naming it, never a 0.

As a command (for a reader reproducing a figure by hand):

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

Prints the number (integers without a fraction); exit 1 with a message
when the object or key is absent, 2 when the file is unreadable.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "tests", "integration"))
import harness  # noqa: E402  (the shared test harness)


class FigureError(harness.CounterError):
    """A figure asked of a JSON file that the file does not hold."""


def dig(obj, path, where="JSON"):
    """obj at a dotted path; keys may hold dots themselves ('p99.9'): the
    longest match wins. FigureError when a part is missing."""
    parts = path.split(".")
    i = 0
    while i < len(parts):
        if not isinstance(obj, dict):
            raise FigureError(f"no '{path}' in {where}")
        for j in range(len(parts), i, -1):
            key = ".".join(parts[i:j])
            if key in obj:
                obj = obj[key]
                i = j
                break
        else:
            raise FigureError(f"no '{path}' in {where} ('{parts[i]}' missing)")
    return obj


def _num(v, path, where):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise FigureError(f"'{path}' in {where} is not a number: {v!r}")
    return v


class Figures:
    """The interval lines and the summary of one run."""

    def __init__(self, path):
        self.path = path
        self.intervals, self.summary_obj = harness.load_jsonl(path)

    def _series(self, key, skip=0):
        ivs = self.intervals[skip:]
        return [(o.get("t"), _num(dig(o, key, f"{self.path} interval"), key, self.path))
                for o in ivs]

    def mean(self, key, skip=1):
        """Mean of KEY over the intervals after the first skip ones (all of
        them when the run was too short), rounded to an integer."""
        if not self.intervals:
            raise FigureError(f"{self.path}: no interval line")
        vals = [v for _, v in self._series(key, skip)] or [v for _, v in self._series(key)]
        return round(sum(vals) / len(vals))

    def rate(self, key, skip=1):
        """Per-second rate of a cumulative counter between interval skip-1
        (the start when skip is 0) and the last interval."""
        ivs = self.intervals
        if not ivs:
            raise FigureError(f"{self.path}: no interval line")
        if len(ivs) <= skip:
            skip = 0
        a = ivs[skip - 1] if skip else None
        b = ivs[-1]
        va = _num(dig(a, key, self.path), key, self.path) if a else 0
        ta = a.get("t", 0) if a else 0
        vb, tb = _num(dig(b, key, self.path), key, self.path), b.get("t", 0)
        if tb <= ta:
            raise FigureError(f"{self.path}: no time between the intervals for '{key}'")
        return round((vb - va) / (tb - ta))

    def last(self, key):
        """KEY in the last interval line."""
        if not self.intervals:
            raise FigureError(f"{self.path}: no interval line")
        return dig(self.intervals[-1], key, f"{self.path} last interval")

    def max(self, key):
        """The largest KEY over the interval lines."""
        vals = [v for _, v in self._series(key)]
        if not vals:
            raise FigureError(f"{self.path}: no interval line")
        return max(vals)

    def reach(self, key, value):
        """t of the first interval whose KEY is >= value; None when never."""
        for t, v in self._series(key):
            if v >= value:
                return t
        return None

    def summary(self, key):
        """KEY in the summary object."""
        if not self.summary_obj:
            raise FigureError(f"{self.path}: no summary line (the run did not finish)")
        return dig(self.summary_obj, key, f"{self.path} summary")

    def worker(self, sub, key):
        """KEY in the summary's worker whose label contains sub."""
        for w in self.summary_obj.get("workers", []) if self.summary_obj else []:
            if sub in str(w.get("label", "")):
                return dig(w, key, f"{self.path} worker '{w.get('label')}'")
        raise FigureError(f"{self.path}: no summary worker labelled '*{sub}*'")


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
    fname, op, key = argv[1], argv[2], argv[3]
    extra = argv[4:]
    try:
        f = Figures(fname)
        if op in ("mean", "rate"):
            v = getattr(f, op)(key, int(extra[0]) if extra else 1)
        elif op in ("last", "max", "summary"):
            v = getattr(f, op)(key)
        elif op == "reach" and extra:
            v = f.reach(key, float(extra[0]))
        elif op == "worker" and extra:
            v = f.worker(key, extra[0])
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except FigureError as e:
        print(f"jsonstat: {e}", file=sys.stderr)
        return 1
    except harness.CounterError as e:
        print(f"jsonstat: {e}", file=sys.stderr)
        return 2
    if v is None or isinstance(v, (dict, list)):
        return 1
    print(fmt(v))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
