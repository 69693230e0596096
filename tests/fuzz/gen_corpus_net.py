#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Writes the fuzz_net seed corpus (tests/fuzz/corpus/net/) with Scapy
# (python3-scapy). The harness is 02:00:00:00:00:02 / 198.18.0.2; the peer
# is 02:00:00:00:00:01 / 198.18.0.1. Run from anywhere; rewrites the files.
import os

from scapy.all import ARP, ICMP, IP, UDP, Ether, IPv6, Raw

US_MAC, US_IP = "02:00:00:00:00:02", "198.18.0.2"
PEER_MAC, PEER_IP = "02:00:00:00:00:01", "198.18.0.1"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "net")


def pad(b):
    return b + bytes(max(0, 60 - len(b)))


def eth():
    return Ether(src=PEER_MAC, dst=US_MAC)


def ip(**kw):
    return IP(src=PEER_IP, dst=US_IP, ttl=64, **kw)


def bad_ip_cksum():
    p = bytearray(bytes(eth() / ip() / ICMP(id=1, seq=1) / Raw(b"abcd")))
    p[24] ^= 0x01
    return bytes(p)


seeds = {
    "arp_request_for_us": pad(bytes(
        Ether(src=PEER_MAC, dst="ff:ff:ff:ff:ff:ff") /
        ARP(op=1, hwsrc=PEER_MAC, psrc=PEER_IP, pdst=US_IP))),
    "arp_reply_for_us": pad(bytes(
        eth() / ARP(op=2, hwsrc=PEER_MAC, psrc=PEER_IP, hwdst=US_MAC, pdst=US_IP))),
    "arp_request_for_other": pad(bytes(
        Ether(src=PEER_MAC, dst="ff:ff:ff:ff:ff:ff") /
        ARP(op=1, hwsrc=PEER_MAC, psrc=PEER_IP, pdst="198.18.0.3"))),
    "icmp_echo_request": bytes(
        eth() / ip(id=0x1234, flags="DF") / ICMP(type=8, id=0x77, seq=1) /
        Raw(b"synack-ping-0123")),
    "icmp_echo_request_padded": pad(bytes(
        eth() / ip(id=7) / ICMP(type=8, id=0, seq=0))),
    "icmp_echo_request_ip_options": bytes(
        eth() / ip(id=0x1234, options=b"\x01\x01\x01\x00") / ICMP(type=8, id=0x77, seq=2) /
        Raw(b"opts")),
    "icmp_echo_reply": bytes(eth() / ip() / ICMP(type=0, id=0x77, seq=3) / Raw(b"pong")),
    "udp_to_us": pad(bytes(eth() / ip() / UDP(sport=1234, dport=7) / Raw(b"x"))),
    "bad_ip_cksum": bad_ip_cksum(),
    "bad_icmp_type_unreach": pad(bytes(eth() / ip() / ICMP(type=3, code=3) / Raw(bytes(28)))),
    "bad_ip_fragment_mf": bytes(eth() / ip(flags="MF") / ICMP(type=8) / Raw(b"frag")),
    "bad_ethertype_ipv6": bytes(Ether(src=PEER_MAC, dst=US_MAC) / IPv6() / Raw(b"v6")),
    "bad_eth_truncated": bytes(eth())[:10],
}

os.makedirs(OUT, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(OUT, name + ".bin"), "wb") as f:
        f.write(data)
