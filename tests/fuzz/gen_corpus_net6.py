#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Writes the IPv6 seeds of the fuzz_net corpus (tests/fuzz/corpus/net/ip6-*),
# packed by hand (no Scapy needed): the harness is 02:00:00:00:00:02 /
# 2001:2::2, the peer 02:00:00:00:00:01 / 2001:2::1. Run from anywhere.
import ipaddress
import os
import struct

US_MAC, PEER_MAC = bytes.fromhex("020000000002"), bytes.fromhex("020000000001")
US, PEER = ipaddress.IPv6Address("2001:2::2").packed, ipaddress.IPv6Address("2001:2::1").packed
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "net")


def csum(src, dst, proto, l4):
    b = src + dst + struct.pack("!IxxxB", len(l4), proto) + l4
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def icmp6(src, dst, msg):
    msg = bytearray(msg)
    msg[2:4] = b"\0\0"
    msg[2:4] = struct.pack("!H", csum(src, dst, 58, bytes(msg)))
    return bytes(msg)


def frame(src, dst, nxt, payload, hlim=64, dmac=US_MAC):
    return (dmac + PEER_MAC + b"\x86\xdd" +
            struct.pack("!IHBB", 0x60000000, len(payload), nxt, hlim) + src + dst + payload)


def sn(a):
    return bytes.fromhex("ff020000000000000000000001ff") + a[13:]


def main():
    echo = icmp6(PEER, US, b"\x80\0\0\0\x12\x34\0\x01" + bytes(range(16)))
    ns = icmp6(PEER, sn(US), b"\x87\0\0\0\0\0\0\0" + US + b"\x01\x01" + PEER_MAC)
    dad = icmp6(bytes(16), sn(US), b"\x87\0\0\0\0\0\0\0" + US)
    na = icmp6(PEER, US, b"\x88\0\0\0\x60\0\0\0" + PEER + b"\x02\x01" + PEER_MAC)
    dst_echo = b"\x3a\0\x01\x04\0\0\0\0" + icmp6(PEER, US, b"\x80\0\0\0\0\x01\0\x02")
    seeds = {
        "ip6-echo": frame(PEER, US, 58, echo),
        "ip6-ns": frame(PEER, sn(US), 58, ns, 255, b"\x33\x33\xff" + US[13:]),
        "ip6-dad": frame(bytes(16), sn(US), 58, dad, 255, b"\x33\x33\xff" + US[13:]),
        "ip6-na": frame(PEER, US, 58, na, 255),
        "ip6-dstopts-echo": frame(PEER, US, 60, dst_echo),
        "ip6-hbh-rh-tcp": frame(PEER, US, 0, b"\x2b\0\x05\x02\0\0\x01\0" +
                                b"\x06\0\x04\0\0\0\0\0" + bytes(20)),
        "ip6-frag": frame(PEER, US, 44, b"\x06\0\0\x01\0\0\0\x01" + bytes(20)),
    }
    for name, b in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(b)


if __name__ == "__main__":
    main()
