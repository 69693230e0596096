# SPDX-License-Identifier: BSD-3-Clause
"""The one-lcore runs over net_ring (config/demo.ini): client and server
workers on the same lcore, no cross-core traffic -- the headline
wall-clock figures."""


def demo(ctx, name, sets=()):
    """config/demo.ini for ctx.dur seconds with sets; its Figures (Failed
    with a line of the log when synack fails)."""
    return ctx.synack(name, ctx.config("demo.ini"), [f"run.duration={ctx.dur}s"] + list(sets))


def demo_runs(ctx, name, keys, sets=()):
    """ctx.runs runs of demo(); for each key the list of per-run means
    (skipping the first second), the last run's Figures, the errors."""
    def one(i):
        f = demo(ctx, f"{name}.{i}", sets)
        return f, {k: f.mean(k) for k in keys}
    got, errs = ctx.repeat(one)
    means = {k: [m[k] for _, m in got] for k in keys}
    return means, (got[-1][0] if got else None), errs
