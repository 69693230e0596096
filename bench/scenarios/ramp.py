# SPDX-License-Identifier: BSD-3-Clause
"""How closely the cps model follows client.ramp_up (rate 5000/s, ramp_up
2 s), second by second, vs the intended rate.

Read from the per-second JSON: the wall-clock rate check the integration
tests no longer make (they only assert that no interval ever opens more
than the ramp allows).

synack: config/demo.ini (one lcore, net_ring), client.model=cps,
client.rate=5000, client.ramp_up=2s, 8 s (4 with --quick). For each
interval line: connections launched per second (the change in the
cumulative gen_conn_tx over the change in t) against the intended rate
over the same interval (the ramp's mean there: rising linearly from 0 to
5000/s over 2 s, then flat). Prints, never asserts. Peer: the intended
rate."""
from lib import Failed, Spread, harness

RATE, RAMP = 5000.0, 2.0


def allowed(t):
    """Connections the ramp allows by t: the integral of the rate."""
    return RATE * t * t / (2 * RAMP) if t < RAMP else RATE * (t - RAMP / 2)


def seconds(f):
    """[(t0, t1, launched/s, intended/s)] for each interval line."""
    out, t0, n0 = [], 0.0, 0
    for o in f.intervals:
        t = o["t"]
        n = harness.Counters(o["counters"], f"interval t={t}")["gen_conn_tx"]
        if t > t0:
            out.append((t0, t, (n - n0) / (t - t0), (allowed(t) - allowed(t0)) / (t - t0)))
        t0, n0 = t, n
    return out


def run(ctx):
    dur = 5 if ctx.quick else 8
    try:
        f = ctx.synack("ramp", ctx.config("demo.ini"),
                       ["client.model=cps", f"client.rate={int(RATE)}", f"client.ramp_up={RAMP:g}s",
                        f"run.duration={dur}s", "run.lcores=1"], timeout=dur + 30)
    except Failed as e:
        return [ctx.error_row("ramp", str(e))]
    secs = seconds(f)
    print(f"  connections launched per second (gen_conn_tx), rate {RATE:g}/s, ramp_up {RAMP:g} s:")
    print(f"  {'interval':>12}  {'launched/s':>10}  {'intended/s':>10}  {'ratio':>6}")
    for t0, t1, got, want in secs:
        r = f"{got / want:6.3f}" if want else "     -"
        print(f"  {t0:5.2f}-{t1:5.2f}s  {got:10.0f}  {want:10.0f}  {r}")
    ramp = [(g, w) for t0, t1, g, w in secs if t1 <= RAMP + 0.05]
    flat = [(g, w) for t0, t1, g, w in secs if t0 >= RAMP - 0.05 and t1 < dur - 0.05]
    off = Spread(abs(g / w - 1) * 100 for g, w in flat if w)
    steady = Spread(g for g, _ in flat)
    n_ramp = sum(1 for _ in ramp)
    rows = [
        ctx.row("conns launched/s after the ramp (mean per second) vs client.rate",
                round(sum(steady.values) / steady.n) if steady else "error: no interval after the ramp",
                int(RATE), None, f"whole seconds after the ramp: {steady.n} (the last, with the stop, "
                f"left out), {off.range(1)}% off the rate" if off else ""),
        ctx.row(f"conns launched by t={RAMP:g}s vs the ramp's integral",
                _by(f, RAMP), round(allowed(RAMP)),
                None, f"{n_ramp} intervals in the ramp; ratio 1 = the ramp as asked"),
    ]
    return rows


def _by(f, t):
    """Cumulative gen_conn_tx of the last interval at or before t."""
    n = None
    for o in f.intervals:
        if o["t"] <= t + 0.05:
            n = harness.Counters(o["counters"], f"interval t={o['t']}")["gen_conn_tx"]
    return n
