# SPDX-License-Identifier: BSD-3-Clause
"""One module per benchmark scenario; each has a docstring saying what it
compares and a run(ctx) that records its figures with ctx.row()."""
