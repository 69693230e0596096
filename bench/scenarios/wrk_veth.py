# SPDX-License-Identifier: BSD-3-Clause
"""wrk against the synack HTTP server vs wrk against nginx, same veth, same
cores: what a user sees pointing their usual tool at synack.

wrk -t1 -c50 (keep-alive, then -H "Connection: close") in namespace A
(kernel address 198.18.1.1, CPU 0) -> synack's server on B's veth end
(net_af_xdp, CPU 1, no kernel address on B) and -> nginx in B (one
process, CPU 1, kernel address 198.18.1.2). Median of --runs runs."""
from lib import Failed, Spread, fmt
from lib.peers import nginx_start, wrk
from lib.veth import K_A, K_B, S_B, Veth, synack_server


def against_synack(ctx, v, i, out, errs):
    """wrk keep-alive and close -> synack's server (run i)."""
    v.addrs(K_A, None)
    srv = synack_server(ctx, v, f"wrk_veth.srv.{i}")
    try:
        for key, close in (("ka", False), ("close", True)):
            r, p99, e = wrk(ctx, f"wrk_veth.s{key}.{i}", v.ns_a, f"http://{S_B}/", 0, close)
            out[key].append((r, p99))
            if e:
                errs.append(f"wrk {'close ' if close else ''}->synack {e}")
    finally:
        ctx.stop(srv)


def against_nginx(ctx, v, i, out):
    """wrk keep-alive and close -> nginx (run i); nginx stopped after."""
    v.addrs(K_A, K_B)
    ng = nginx_start(ctx, v.ns_b, 1)
    try:
        for key, close in (("ka", False), ("close", True)):
            r, p99, _ = wrk(ctx, f"wrk_veth.n{key}.{i}", v.ns_a, f"http://{K_B}/", 0, close)
            out[key].append((r, p99))
    finally:
        ctx.stop(ng)


def run(ctx):
    syn, ngx, errs = {"ka": [], "close": []}, {"ka": [], "close": []}, []
    with Veth(ctx, "wrk") as v:
        for i in range(1, ctx.runs + 1):
            for fn, args in ((against_synack, (syn, errs)), (against_nginx, (ngx,))):
                try:
                    fn(ctx, v, i, *args)
                except Failed as e:
                    errs.append(str(e))
    a, b = Spread(r for r, _ in syn["ka"]), Spread(r for r, _ in ngx["ka"])
    c, d = Spread(r for r, _ in syn["close"]), Spread(r for r, _ in ngx["close"])
    pa, pb = Spread(p for _, p in syn["ka"]), Spread(p for _, p in ngx["ka"])
    err1 = f"; {errs[0]}" if errs else ""
    for e in errs[1:]:
        print(f"  wrk_veth: {e}")
    return [
        ctx.row("keep-alive RPS: wrk->synack vs wrk->nginx", a.median if a else "error",
                b.median, None, f"median of {ctx.runs} (synack {a.range()}, nginx {b.range()}); "
                f"p99 us synack {fmt(pa.median)} nginx {fmt(pb.median)}{err1}"),
        ctx.row("CPS (Connection: close): wrk->synack vs wrk->nginx", c.median if c else "error",
                d.median, None, f"median of {ctx.runs} (synack {c.range()}, nginx {d.range()})"),
    ]
