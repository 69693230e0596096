# SPDX-License-Identifier: BSD-3-Clause
"""Numbers for the table: min / median / max over runs, ratios, formatting."""
import statistics


def is_num(v):
    """True for an int or float (not a bool, not a string)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class Spread:
    """min / median / max of the figures of several runs (None ignored).

    Empty when no run gave a figure: median, lo and hi are then None."""

    def __init__(self, values):
        self.values = sorted(v for v in values if is_num(v))
        self.n = len(self.values)
        self.median = statistics.median(self.values) if self.values else None
        self.lo = self.values[0] if self.values else None
        self.hi = self.values[-1] if self.values else None

    def __bool__(self):
        return self.n > 0

    def range(self, digits=None):
        """'lo..hi' for the notes ('-' when empty)."""
        if not self:
            return "-"
        return f"{fmt(self.lo, digits)}..{fmt(self.hi, digits)}"

    def note(self, what="", digits=None):
        """'median of N (lo..hi)' with an optional label."""
        if not self:
            return f"{what} no run gave a figure".strip()
        label = f"{what} " if what else ""
        return f"{label}median of {self.n} ({self.range(digits)})"


def ratio(a, b):
    """a / b with two decimals (two significant digits below 0.1), None
    when either is not a number or b is 0."""
    if not (is_num(a) and is_num(b)) or b == 0:
        return None
    r = a / b
    return float(f"{r:.2f}") if abs(r) >= 0.1 else float(f"{r:.2g}")


def fmt(v, digits=None):
    """A cell: '-' for None, integers as integers, floats rounded (digits
    after the point when given, else an integer from 100 up, 2 below)."""
    if v is None:
        return "-"
    if isinstance(v, bool) or not is_num(v):
        return str(v)
    if digits is not None:
        return f"{v:.{digits}f}"
    if isinstance(v, int) or float(v).is_integer() and abs(v) >= 100:
        return str(int(v))
    if abs(v) >= 100:
        return str(int(round(v)))
    if v and abs(v) < 0.1:
        return f"{v:.2g}"
    return f"{v:.2f}"


def human(n):
    """1234567 -> '1.23M' (for notes; the table keeps plain numbers)."""
    if not is_num(n):
        return str(n)
    for suffix, d in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(n) >= d:
            return f"{n / d:.2f}{suffix}"
    return f"{n:g}"
