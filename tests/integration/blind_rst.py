#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Blind in-window RST against a live TCP connection (run in the kernel netns).

Proves, with netns_http.sh, that synack follows RFC 5961 section 3: a RST
whose sequence number is inside the receive window but not exactly RCV.NXT
does not tear the connection down; synack answers it with a challenge ACK.

  blind_rst.py --iface vk123 --dst-mac 02:.. --src-ip 198.18.1.1 \
               --dst-ip 198.18.1.2 --dport 80 [--offset 1000]

It sniffs one segment the kernel client sends to dst-ip:dport during an
active download (the client sends no more data, so that segment's sequence
number is the client's SND.NXT, i.e. synack's RCV.NXT), then spoofs that
4-tuple with a bare RST at seq = RCV.NXT + offset. Afterwards it counts the
pure ACKs synack sends back within half a second (the challenge ACK should
be one of them; informative only, the test asserts synack's counters).
Prints one JSON object: sport, rcv_nxt, rst_seq, snd_nxt, acks_after.
Exit 0 when the RST was sent, 1 when no live segment was seen.
"""
import argparse
import json
import sys

from scapy.all import IP, TCP, AsyncSniffer, Ether, sendp, sniff


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iface", required=True)
    ap.add_argument("--dst-mac", required=True)
    ap.add_argument("--src-ip", required=True)
    ap.add_argument("--dst-ip", required=True)
    ap.add_argument("--dport", type=int, default=80)
    ap.add_argument("--offset", type=int, default=1000)
    ap.add_argument("--timeout", type=float, default=5.0)
    a = ap.parse_args()

    def from_client(p):
        return (IP in p and TCP in p and p[IP].src == a.src_ip
                and p[IP].dst == a.dst_ip and p[TCP].dport == a.dport
                and (int(p[TCP].flags) & 0x17) == 0x10  # ACK only, no SYN/FIN/RST
                and len(bytes(p[TCP].payload)) == 0)

    seen = sniff(iface=a.iface, lfilter=from_client, count=1, timeout=a.timeout)
    if not seen:
        print(json.dumps({"error": "no segment from the client seen"}))
        return 1
    seg = seen[0]
    sport = seg[TCP].sport
    rcv_nxt = seg[TCP].seq
    rst_seq = (rcv_nxt + a.offset) & 0xFFFFFFFF

    def pure_ack_back(p):
        return (IP in p and TCP in p and p[IP].src == a.dst_ip
                and p[IP].dst == a.src_ip and p[TCP].sport == a.dport
                and p[TCP].dport == sport and int(p[TCP].flags) == 0x10
                and len(bytes(p[TCP].payload)) == 0)

    back = AsyncSniffer(iface=a.iface, lfilter=pure_ack_back, timeout=0.5)
    back.start()
    rst = (Ether(dst=a.dst_mac, src=seg[Ether].src)
           / IP(src=a.src_ip, dst=a.dst_ip, ttl=64, id=0x5151)
           / TCP(sport=sport, dport=a.dport, flags="R", seq=rst_seq, window=0))
    sendp(rst, iface=a.iface, verbose=False)
    back.join()
    acks = back.results or []
    print(json.dumps({
        "sport": sport,
        "rcv_nxt": rcv_nxt,
        "rst_seq": rst_seq,
        "snd_nxt": seg[TCP].ack,
        "acks_after": len(acks),
        "challenge_ack_seen": any(p[TCP].ack == rcv_nxt for p in acks),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
