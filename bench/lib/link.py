# SPDX-License-Identifier: BSD-3-Clause
"""Two synack processes joined by a process-to-process link (memif, or
vhost-user <-> virtio-user): the server on CPU 1, started first; the
client on CPU 0, stopped first (the 22.11 memif server can crash when its
peer leaves first)."""
import time

from .context import Failed, why


def devs(kind, sock, server_extra=""):
    """(server dev, client dev) of a memif or vhost link on socket sock."""
    if kind == "memif":
        return (f"net_memif0,role=server,socket={sock},id=0",
                f"net_memif0,role=client,socket={sock},id=0")
    return (f"net_vhost0,iface={sock},queues=1{server_extra}",
            f"net_virtio_user0,path={sock},queues=1")


def pair(ctx, name, kind, server, client):
    """One run: server = (config, sets), client = (config, sets); returns the
    client's Figures. memif: the client lingers after its summary
    (run.linger=20s) until the server has left: the 22.11 memif PMD can
    crash the side still polling when its peer goes away. virtio-user must
    not linger: the vhost side leaving gets it a SIGPIPE, so it exits
    first. Raises Failed with a line of the failing side's log."""
    srv = ctx.synack_start(f"{name}.srv", server[0], server[1], cpu=1)
    time.sleep(0.5)
    js = ctx.path(f"{name}.cli.json")
    linger = "20s" if kind == "memif" else "0"
    cli = ctx.spawn(f"{name}.cli", ctx.synack_argv(client[0], list(client[1]) +
                                                   [f"run.linger={linger}"], js, cpu=0))
    ctx.wait_for(js, '"type":"summary"', ctx.dur + 30, cli)
    if kind != "memif":
        deadline = time.monotonic() + 5
        while cli.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
    src = ctx.stop(srv, grace=10)
    rc = cli.wait(30)
    if rc != 0:
        raise Failed(f"client exit {rc}: {why(cli.log())}")
    fig = ctx.figures(js, cli.log())
    fig.server_rc = src
    return fig
