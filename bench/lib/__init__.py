# SPDX-License-Identifier: BSD-3-Clause
"""Bench-only helpers shared by the scenarios (bench/scenarios/*.py).

The integration harness (tests/integration/harness.py) is the one place
that knows how to start synack, wait until it is ready, stop it by PID and
read its JSON strictly; this package adds what only benchmarks need: the
run context (options, the temporary directory, the printed commands), the
statistics over runs, the table, and the peers (wrk, nginx, iperf3,
testpmd)."""
import os
import sys

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)
HARNESS_DIR = os.path.join(ROOT, "tests", "integration")

for _d in (HARNESS_DIR, BENCH):
    if _d not in sys.path:
        sys.path.insert(0, _d)

import harness  # noqa: E402,F401  (tests/integration/harness.py)
import jsonstat  # noqa: E402,F401  (bench/jsonstat.py)
import cgparse  # noqa: E402,F401  (bench/cgparse.py)

from .stats import Spread, ratio, fmt, human, is_num  # noqa: E402,F401
from .table import Row  # noqa: E402,F401
from .context import Context, Failed  # noqa: E402,F401
