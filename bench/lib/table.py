# SPDX-License-Identifier: BSD-3-Clause
"""One row per figure, and the side-by-side table printed at the end."""
from .stats import fmt, is_num, ratio


class Row:
    """A figure of a scenario: synack's value, the peer's, their ratio.

    synack / peer: a number, a string ("p50 / p99", "error: ..."), or None
    (no peer: '-'). ratio: synack / peer unless given (for composite cells
    the scenario passes its own). digits: decimals for the number cells."""

    def __init__(self, scenario, figure, synack, peer=None, ratio_=None, notes="",
                 digits=None):
        self.scenario = scenario
        self.figure = figure
        self.synack = synack
        self.peer = peer
        self.ratio = ratio_ if ratio_ is not None else ratio(synack, peer)
        self.notes = notes
        self.digits = digits

    def cells(self):
        """The six cells as strings (tabs and bars made harmless)."""
        vals = (self.scenario, self.figure, fmt(self.synack, self.digits),
                fmt(self.peer, self.digits), fmt(self.ratio), self.notes or "")
        return [str(v).replace("\t", " ").replace("|", "/").replace("\n", " ") for v in vals]

    def line(self):
        """One line for the scenario's own output."""
        s, fig, a, b, r, notes = self.cells()
        peer = f"  peer {b}  ratio {r}" if self.peer is not None else ""
        return f"  {fig}: {a}{peer}{'  (' + notes + ')' if notes else ''}"

    def is_error(self):
        return isinstance(self.synack, str) and self.synack.startswith("error")

    def __repr__(self):
        return f"Row({self.scenario!r}, {self.figure!r}, {self.synack!r}, {self.peer!r})"


HEADER = ["scenario", "figure", "synack", "peer", "ratio", "notes"]


def render(rows):
    """The table as text: five padded columns and the notes, a rule under
    the header."""
    cells = [HEADER] + [r.cells() for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(5)]
    out = []
    for n, c in enumerate(cells):
        out.append(" | ".join(c[i].ljust(widths[i]) for i in range(5)) + " | " + c[5])
        if n == 0:
            out.append("-+-".join("-" * w for w in widths) + "-+-" + "-" * 5)
    return "\n".join(out)


def numeric(rows):
    """(figure, value) pairs of the rows whose synack cell is a number."""
    return [(r.figure, r.synack) for r in rows if is_num(r.synack)]
