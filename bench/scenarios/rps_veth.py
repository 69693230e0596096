# SPDX-License-Identifier: BSD-3-Clause
"""Keep-alive HTTP requests/s over a veth pair between two namespaces:
synack -> synack and synack -> nginx, vs wrk -> nginx.

As cps_veth with client.model=rps (50 keep-alive connections) and wrk
without "Connection: close". Median of --runs runs, interleaved."""
from lib.veth import http_veth


def run(ctx):
    return http_veth(ctx, "rps")
