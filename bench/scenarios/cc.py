# SPDX-License-Identifier: BSD-3-Clause
"""Concurrent connections held between a synack client and a synack server
process joined by net_memif, and the bytes each costs, vs the issue's
target (10M held, <= 192 bytes per connection).

One worker each, model cc, idle connections, --cc (10,000,000; 20,000
with --quick) toward one target 198.18.2.2:80 from as many consecutive
client addresses (port0.ip_count) as the count needs at 64512 source ports
each, a linear ramp-up of one second per 300k (--cc-ramp),
tcp.max_conns = count + 1%. The client runs until all are established or
--cc-secs (180) pass, holds them --cc-hold (3) s, then SIGINT; then the
server (SIGTERM). Figures: connections reached (peak TCBs of client /
server), time to establish them (the first 500 ms report with gen_conn_ok
>= the count), bytes per connection estimated at start and measured (RSS
growth since before the flow tables / peak connections: the summary's
memory object). Falls back to one process (mode both over net_ring) when
memif does not come up, and says so."""
import signal
import time

import harness
from lib import Failed, ratio
from lib.context import why

SERVER_INI = """; bench cc: the server end of a memif link
[run]
mode     = server
duration = 0
lcores   = 1
report_interval = 500ms
[port0]
dev = net_memif0,role=server,socket={sock}
ip  = 198.18.2.2/24
[server]
listen = 80
; idle connections are the point here: no header / keep-alive timeout
header_timeout    = 0
keepalive_timeout = 0
[tcp]
max_conns   = {maxc}
syn_backlog = {maxc}
"""

CLIENT_INI = """; bench cc: the client end; {nip} addresses x source ports 1024-65535, idle connections
[run]
mode     = client
duration = {secs}s
lcores   = 1
report_interval = 500ms
[port0]
dev = net_memif0,role=client,socket={sock}
ip  = 198.18.2.10/24
ip_count = {nip}
[client]
model       = cc
target      = 198.18.2.2:80
concurrency = {conc}
ports       = 1024-65535
interval    = 0
ramp_up     = {ramp}s
[tcp]
max_conns = {maxc}
"""


def addresses(conc):
    """Client addresses the count needs at 64512 ports each (at most 240)."""
    return min((conc + 64511) // 64512, 240)


def write(ctx, name, text):
    path = ctx.path(name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def established(js):
    """gen_conn_ok of the last complete interval line (0 before the first)."""
    try:
        iv, _ = harness.load_jsonl(js)
    except harness.CounterError:    # a line being written
        return None
    return harness.Counters(iv[-1]["counters"], js)["gen_conn_ok"] if iv else 0


def hold(ctx, cli, conc):
    """Wait (bounded by --cc-secs) until conc connections are up, hold them
    --cc-hold s; the number reached and the seconds it took."""
    t0, up = time.monotonic(), 0
    while time.monotonic() - t0 < ctx.opts.cc_secs and cli.alive():
        n = established(cli.json_path)
        up = n if n is not None else up
        if up >= conc:
            break
        time.sleep(1)
    took = time.monotonic() - t0
    ctx.log(f"cc: {up} connections established after {took:.0f} s; holding {ctx.opts.cc_hold}s")
    time.sleep(ctx.opts.cc_hold)
    return up


def two_processes(ctx, conc):
    """The memif run: (client Figures, server Figures, client rc, server rc,
    nip, maxc). Failed when a side does not come up or reports nothing."""
    sock, nip = ctx.path("memif-cc.sock"), addresses(conc)
    maxc = max(conc + conc // 100 + 1024, 4096)
    srv_ini = write(ctx, "cc-server.ini", SERVER_INI.format(sock=sock, maxc=maxc))
    cli_ini = write(ctx, "cc-client.ini", CLIENT_INI.format(
        sock=sock, maxc=maxc, nip=nip, conc=conc, ramp=ctx.opts.cc_ramp,
        secs=ctx.opts.cc_secs + ctx.opts.cc_hold + 5))
    srv = ctx.synack_start("cc-server", srv_ini, cpu=1, ready=120)
    time.sleep(1)
    cli = ctx.synack_start("cc-client", cli_ini, cpu=0, ready=120)
    hold(ctx, cli, conc)
    # the end of the run aborts every connection (an RST and a hash delete
    # each: tens of seconds for 10M on a busy vCPU): bounded at 180 s
    crc = ctx.stop(cli, sig=signal.SIGINT, grace=180)
    src = ctx.stop(srv, grace=180)   # memif: the client stops first
    for p in (cli, srv):
        for line in p.log().splitlines():
            if line.startswith("memory:"):
                print(f"  {p.json_path.rsplit('/', 1)[-1]}: {line}")
    cf = ctx.figures(cli.json_path, cli.log())
    if not cf.summary_obj or not cf.summary("memory.peak_conns"):
        raise Failed(f"memif client exit {crc}: {why(cli.log())}")
    sf = ctx.figures(srv.json_path, srv.log())
    return cf, sf, crc, src, nip, maxc


def one_process(ctx, conc, why1):
    """Fallback: client and server in one process over net_ring."""
    nip = addresses(conc)
    js = ctx.path("cc_one.json")
    argv = ctx.synack_argv(ctx.config("demo.ini"), [
        "run.duration=8s", "client.model=cc", f"client.concurrency={conc}",
        "client.ports=1024-65535", "port0.ip=198.18.0.10/24", f"port0.ip_count={nip}",
        f"tcp.max_conns={2 * conc + 4096}"], js)
    p = ctx.spawn("cc_one", argv)
    time.sleep(7)
    rss = rss_kb(p.pid)
    p.wait(40)
    held = ctx.figures(js, p.log()).last("gauges.gen_active")
    return ctx.row("concurrent conns held (one process)", held, conc, None,
                   f"fallback ({why1}); RSS {rss or '?'} kB for both ends")


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def run(ctx):
    conc = ctx.opts.cc
    ctx.log(f"cc: concurrency {conc}, ramp-up {ctx.opts.cc_ramp}s, at most "
            f"{ctx.opts.cc_secs}s to establish them")
    try:
        cf, sf, crc, src, nip, maxc = two_processes(ctx, conc)
    except (Failed, harness.CounterError) as e:
        ctx.stop_all()
        ctx.log(f"cc over memif failed ({e}): one process (mode both over net_ring) instead")
        return [one_process(ctx, conc, f"memif: {e}")]

    def mem(f, key):
        try:
            return f.summary(f"memory.{key}")
        except harness.CounterError:
            return "?"
    c = cf.summary("counters")
    c_peak, s_peak = mem(cf, "peak_conns"), mem(sf, "peak_conns")
    t_est = cf.reach("counters.gen_conn_ok", conc)
    c_est, s_est = mem(cf, "est_bytes_per_conn"), mem(sf, "est_bytes_per_conn")
    c_meas, s_meas = mem(cf, "rss_bytes_per_conn"), mem(sf, "rss_bytes_per_conn")
    snote = f"; server exit {src} after SIGTERM" if src != 0 else ""
    return [
        ctx.row("concurrent conns reached (client / server peak)", f"{c_peak} / {s_peak}", conc,
                ratio(c_peak, conc), f"memif, 2 processes, 1 worker each, {nip} client "
                f"addresses; gen_err_ports={c['gen_err_ports']} gen_err_table="
                f"{c['gen_err_table']}; client exit {crc}{snote}"),
        ctx.row(f"time to establish {conc}, s", t_est if t_est is not None else "not reached",
                None, None, f"first 500 ms report with gen_conn_ok >= {conc} (ramp-up "
                f"{ctx.opts.cc_ramp}s, bounded at {ctx.opts.cc_secs}s)"),
        ctx.row("bytes/conn estimated at start (client / server)", f"{c_est} / {s_est}", 192,
                ratio(c_est, 192), f"reserved per connection: tcp.max_conns={maxc}"),
        ctx.row("bytes/conn measured (client / server)", f"{c_meas} / {s_meas}", 192,
                ratio(c_meas, 192), "RSS growth since before the flow tables / peak "
                "connections (summary memory.*)"),
    ]
