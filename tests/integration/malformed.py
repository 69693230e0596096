#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Send one malformed frame per case towards synack (run in the kernel netns).

Proves, together with netns_ping.sh, that each malformed Ethernet/ARP/IPv4/
ICMP frame is dropped under its own named reason (no silent loss, no reply),
and that echo requests with TTL 0 and TTL 1 are answered (RFC 1122 3.2.1.7:
a host MUST NOT discard a datagram just because its TTL is less than 2):
it listens for their replies and exits 1 when one is missing.
Every frame is well formed except for the one field under test; checksums
are computed correctly unless the checksum is what is tested.

  malformed.py --iface vk123 --dst-mac 02:.. --src-ip 198.18.1.1 \
               --dst-ip 198.18.1.2 --expect expect.json

Writes to --expect a JSON object {reason: {"count": N, "exact": bool}}: the
number of frames sent per drop reason; "exact" is false where the kernel
itself may also produce such frames (so the test asserts >= N, not == N).
"""
import argparse
import json
import socket
import struct
import sys
import time

from scapy.all import Ether, Raw, get_if_hwaddr, sendp
from scapy.utils import checksum

ETH_IPV4 = 0x0800
ETH_ARP = 0x0806

# Reasons the kernel peer can produce on its own (IPv6/LLDP/multicast noise).
INEXACT = {"drop_eth_dst", "drop_eth_type"}


def ip4(addr):
    return bytes(int(x) for x in addr.split("."))


def ipv4_hdr(src, dst, payload_len, proto=1, ttl=64, ihl=5, version=4,
             total_len=None, flags_frag=0, csum=None, ident=0x5a5a):
    """A 20-byte IPv4 header (no options) with any field forced.

    The checksum covers these 20 bytes; it is correct unless csum is given.
    """
    if total_len is None:
        total_len = 20 + payload_len
    vihl = ((version & 0xF) << 4) | (ihl & 0xF)
    hdr = struct.pack("!BBHHHBBH4s4s", vihl, 0, total_len, ident, flags_frag,
                      ttl, proto, 0, ip4(src), ip4(dst))
    good = checksum(hdr)
    if csum is None:
        csum = good
    elif csum == good:
        raise ValueError("requested bad checksum equals the good one")
    return hdr[:10] + struct.pack("!H", csum) + hdr[12:]


def icmp_echo(ident=0x7a7a, seq=1, payload=b"synack-malformed", typ=8, code=0,
              csum=None):
    body = struct.pack("!BBHHH", typ, code, 0, ident, seq) + payload
    good = checksum(body)
    if csum is None:
        csum = good
    elif csum == good:
        raise ValueError("requested bad ICMP checksum equals the good one")
    return body[:2] + struct.pack("!H", csum) + body[4:]


def arp_body(sha, spa, tpa, htype=1, op=1):
    """A 28-byte Ethernet/IPv4 ARP packet; htype may be forced."""
    mac = bytes.fromhex(sha.replace(":", ""))
    return struct.pack("!HHBBH6s4s6s4s", htype, ETH_IPV4, 6, 4, op, mac, ip4(spa),
                       b"\0" * 6, ip4(tpa))


def build_cases(a):
    src, dst = a.src_ip, a.dst_ip
    eth = Ether(src=a.src_mac, dst=a.dst_mac, type=ETH_IPV4)
    eth_arp = Ether(src=a.src_mac, dst=a.dst_mac, type=ETH_ARP)
    echo = icmp_echo()
    cases = []

    def add(name, reason, frame):
        cases.append((name, reason, bytes(frame)))

    def ipf(payload, **kw):
        return eth / Raw(ipv4_hdr(src, dst, len(payload), **kw) + payload)

    # --- Ethernet
    add("eth_type_88b5", "drop_eth_type",
        Ether(src=a.src_mac, dst=a.dst_mac, type=0x88B5) / Raw(b"\x00" * 46))
    add("eth_dst_not_ours", "drop_eth_dst",
        Ether(src=a.src_mac, dst="02:00:00:00:00:99", type=ETH_IPV4) /
        Raw(ipv4_hdr(src, dst, len(echo)) + echo))
    # --- ARP
    add("arp_other_target", "drop_arp_not_us",
        eth_arp / Raw(arp_body(a.src_mac, src, "198.18.1.77")))
    arp_ok = arp_body(a.src_mac, src, dst)
    add("arp_truncated", "drop_arp_short", eth_arp / Raw(arp_ok[:20]))
    add("arp_bad_htype", "drop_arp_bad", eth_arp / Raw(arp_body(a.src_mac, src, dst, htype=6)))
    # --- IPv4
    full = ipv4_hdr(src, dst, len(echo)) + echo
    add("ip_truncated", "drop_ip_short", eth / Raw(full[:12]))
    add("ip_version_6", "drop_ip_version", ipf(echo, version=6))
    add("ip_ihl_4", "drop_ip_ihl", ipf(echo, ihl=4))
    # IHL 15 = 60-byte header, but the frame holds 20 + 8 bytes of IP.
    add("ip_ihl_beyond_frame", "drop_ip_ihl", ipf(echo[:8], ihl=15))
    add("ip_totlen_beyond_frame", "drop_ip_len_big", ipf(echo, total_len=1000))
    add("ip_totlen_below_header", "drop_ip_len_small", ipf(echo, total_len=16))
    good = ipv4_hdr(src, dst, len(echo))
    bad = struct.unpack("!H", good[10:12])[0] ^ 0x0F0F
    add("ip_bad_checksum", "drop_ip_csum", ipf(echo, csum=bad))
    add("ip_more_fragments", "drop_ip_frag", ipf(echo, flags_frag=0x2000))
    add("ip_frag_offset", "drop_ip_frag", ipf(echo, flags_frag=0x0010))
    add("ip_dst_not_ours", "drop_ip_not_us",
        eth / Raw(ipv4_hdr(src, "198.18.1.77", len(echo)) + echo))
    add("ip_src_broadcast", "drop_ip_src",
        eth / Raw(ipv4_hdr("255.255.255.255", dst, len(echo)) + echo))
    add("ip_proto_253", "drop_ip_proto", ipf(b"\x00" * 16, proto=253))
    # --- ICMP
    add("icmp_bad_checksum", "drop_icmp_csum",
        ipf(icmp_echo(csum=struct.unpack("!H", echo[2:4])[0] ^ 0x00FF)))
    # IP total length 24: 4 ICMP bytes; the frame ends there as well.
    add("icmp_truncated", "drop_icmp_short", ipf(echo[:4]))
    ts = struct.pack("!III", 0, 0, 0)
    add("icmp_timestamp_13", "drop_icmp_type", ipf(icmp_echo(typ=13, payload=ts)))
    return cases


# Echo identifier of the TTL 0 / TTL 1 requests (their replies are matched on it).
LOW_TTL_ID = 0x7171


def low_ttl_echoes(a):
    """(ttl, frame): well-formed echo requests with TTL 0 and 1, which must be answered."""
    eth = Ether(src=a.src_mac, dst=a.dst_mac, type=ETH_IPV4)
    out = []
    for ttl in (0, 1):
        echo = icmp_echo(ident=LOW_TTL_ID, seq=ttl, payload=b"synack-low-ttl")
        out.append((ttl, bytes(eth / Raw(ipv4_hdr(a.src_ip, a.dst_ip, len(echo), ttl=ttl) +
                                         echo))))
    return out


def send_low_ttl(a):
    """Send the TTL 0 and 1 echoes; return the TTLs whose reply did not come.

    Replies are read from an AF_PACKET socket bound to the interface before
    the requests go out (no capture filter, no tcpdump needed).
    """
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_IPV4))
    sock.bind((a.iface, 0))
    sock.settimeout(0.2)
    for _, frame in low_ttl_echoes(a):
        sendp(frame, iface=a.iface, verbose=False)
    deadline = time.time() + 3
    seen = set()
    src = ip4(a.dst_ip)
    while time.time() < deadline and len(seen) < 2:
        try:
            f = sock.recv(2048)
        except socket.timeout:
            continue
        ip = f[14:]
        if len(ip) < 28 or ip[9] != 1 or ip[12:16] != src:
            continue
        icmp = ip[(ip[0] & 0xF) * 4:]
        if len(icmp) >= 8 and icmp[0] == 0 and struct.unpack("!H", icmp[4:6])[0] == LOW_TTL_ID:
            seen.add(struct.unpack("!H", icmp[6:8])[0])
    sock.close()
    return [ttl for ttl in (0, 1) if ttl not in seen]


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--iface", required=True)
    p.add_argument("--dst-mac", required=True)
    p.add_argument("--src-mac", default=None, help="default: the interface's MAC")
    p.add_argument("--src-ip", default="198.18.1.1")
    p.add_argument("--dst-ip", default="198.18.1.2")
    p.add_argument("--expect", help="write expected drop counts here (JSON)")
    p.add_argument("--list", action="store_true", help="print the cases, send nothing")
    a = p.parse_args()
    if a.src_mac is None:
        a.src_mac = get_if_hwaddr(a.iface)

    cases = build_cases(a)
    expect = {}
    for name, reason, frame in cases:
        e = expect.setdefault(reason, {"count": 0, "exact": reason not in INEXACT})
        e["count"] += 1
        print(f"case {name:24s} {reason:18s} {len(frame):4d} bytes: {frame[:48].hex()}")
    if a.list:
        return 0

    for name, reason, frame in cases:
        sendp(frame, iface=a.iface, verbose=False)

    # drop_eth_short (a frame < 14 bytes) is not tested: a packet socket
    # cannot put one on a veth. Measured on Linux 6.x: the kernel accepts a
    # 7-byte sendp() from root but zero-pads it to 60 bytes (ethertype 0), so
    # it would arrive as drop_eth_type, not drop_eth_short.

    if a.expect:
        with open(a.expect, "w", encoding="utf-8") as f:
            json.dump(expect, f, indent=1, sort_keys=True)
    print(f"sent {len(cases)} malformed frames on {a.iface}")
    missing = send_low_ttl(a)
    if missing:
        print(f"FAIL: no echo reply to the echo request(s) with TTL {missing}")
        return 1
    print("ok: echo requests with TTL 0 and TTL 1 answered")
    return 0


if __name__ == "__main__":
    sys.exit(main())
