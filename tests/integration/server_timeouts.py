#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Hostile clients against synack's HTTP server (run in the kernel netns).

  server_timeouts.py --dst 198.18.1.2 --iface vk123 --dst-mac 02:.. \
                     --flood 200 --bound 8

Each client waits at most --bound seconds for synack to end its
connection, and prints one line "CASE closed|open" (exit 1 if any stayed
open):
  slowloris  request line + one header, then one more header line every
             0.3 s, never the blank line: header_timeout resets it
  idle       connects and sends nothing: header_timeout resets it
  keepalive  one whole request, reads the response, then idles:
             keepalive_timeout closes it (FIN)
Then --flood SYNs (scapy, bounded count) from a spoofed source on the link
(198.18.1.77, which nobody answers ARP for): half-open connections that
only the SYN-RECEIVED bound (tcp.syn_retries) can end.
"""
import argparse
import socket
import sys
import time


def wait_closed(s, bound, trickle=None):
    """True when the peer ended the connection (FIN or RST) within bound s."""
    end = time.time() + bound
    s.settimeout(0.3)
    while time.time() < end:
        try:
            if trickle is not None:
                s.sendall(trickle)
            d = s.recv(65536)
            if d == b"":
                return True
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False


def connect(dst):
    s = socket.create_connection((dst, 80), timeout=3)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dst", required=True)
    p.add_argument("--iface", required=True)
    p.add_argument("--dst-mac", required=True)
    p.add_argument("--flood", type=int, default=200)
    p.add_argument("--bound", type=float, default=8.0)
    a = p.parse_args()
    bad = 0

    # the three clients at once, so one bound covers them
    slow, idle, ka = connect(a.dst), connect(a.dst), connect(a.dst)
    slow.sendall(b"GET / HTTP/1.1\r\nHost: synack\r\n")
    ka.sendall(b"GET / HTTP/1.1\r\nHost: synack\r\n\r\n")
    ka.settimeout(3)
    resp = ka.recv(65536)
    print(f"keepalive: response {resp[:15]!r}")
    if not resp.startswith(b"HTTP/1.1 200"):
        bad += 1
    for name, s, trickle in (("slowloris", slow, b"X-Slow: 1\r\n"), ("idle", idle, None),
                             ("keepalive", ka, None)):
        closed = wait_closed(s, a.bound, trickle)
        print(f"{name} {'closed' if closed else 'open'}")
        bad += 0 if closed else 1
        s.close()

    if a.flood > 0:
        from scapy.all import IP, TCP, Ether, sendp  # pylint: disable=import-outside-toplevel
        frames = [Ether(dst=a.dst_mac) / IP(src="198.18.1.77", dst=a.dst) /
                  TCP(sport=20000 + i, dport=80, flags="S", seq=1000 + i)
                  for i in range(a.flood)]
        sendp(frames, iface=a.iface, verbose=False)
        print(f"flood: {a.flood} SYNs from 198.18.1.77")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
