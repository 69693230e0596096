# SPDX-License-Identifier: BSD-3-Clause
"""HTTP connections/s (Connection: close) over a veth pair between two
namespaces: synack -> synack and synack -> nginx, vs wrk -> nginx.

synack client (namespace A, net_af_xdp on one veth end, CPU 0) -> synack
server (namespace B, net_af_xdp on the other end, CPU 1), model cps,
concurrency 50, no kernel address on either veth end, tcp.time_wait=0;
and the synack client -> nginx (kernel address on B only). Peer: wrk -t1
-c50 -H "Connection: close" in A (CPU 0) -> nginx in B (one process, CPU 1,
64-byte body, no access log). Kernel-side offloads off. Median of --runs
runs, interleaved so a vCPU placement flip hits every contender."""
from lib.veth import http_veth


def run(ctx):
    return http_veth(ctx, "cps")
