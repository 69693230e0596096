#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Writes the fuzz_input seed corpus (tests/fuzz/corpus/input/) in the record
# format fuzz_input.c describes: each record is an op byte (op & 3: 0 raw
# frame, 1 advance the clock, 2/3 a TCP segment templated on slot op >> 2)
# and its fields. The harness is 02:00:00:00:00:02 / 198.18.0.2, the peer
# 02:00:00:00:00:01 / 198.18.0.1. Run from anywhere; rewrites the files.
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "input")

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
# m1: SEQ base (bits 0-1), ACK base (bits 2-3)
SEQ_RCV_NXT, SEQ_SEEN_ACK, SEQ_ISS, SEQ_ZERO = 0, 1, 2, 3
ACK_SND_NXT, ACK_SND_UNA, ACK_SND_MAX, ACK_SEEN_END = 0 << 2, 1 << 2, 2 << 2, 3 << 2
TS, BAD_CSUM = 0x40, 0x80
# m2
DPORT_81, IP_OPTS, PAD, SRC_ALT, SRC_OFFLINK, TS_OLD, CHAIN, SPORT_ALT = (
    1, 2, 4, 8, 16, 32, 64, 128)

US_MAC = bytes.fromhex("020000000002")
PEER_MAC = bytes.fromhex("020000000001")
US_IP = bytes([198, 18, 0, 2])
PEER_IP = bytes([198, 18, 0, 1])

GET = b"GET / HTTP/1.1\r\nHost: fuzz\r\n\r\n"
MSS_1460 = bytes([2, 4, 0x05, 0xb4])


def tcp(slot, flags, m1=0, m2=0, seq=0, ack=0, win=65535, opts=b"", data=b""):
    return (bytes([2 | slot << 2, flags, m1, m2]) +
            struct.pack("<hhHBH", seq, ack, win, len(opts), len(data)) + opts + data)


def time_ms(ms):
    assert ms <= 200
    return bytes([1, ms])


def time_s(s):
    assert 1 <= s <= 55
    return bytes([1, 200 + s])


def raw(frame, split=0):
    return bytes([0]) + struct.pack("<HB", len(frame), split) + frame


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(proto, payload, src=PEER_IP, dst=US_IP):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 7, 0x4000, 64, proto, 0,
                    src, dst)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def tcp_frame(sport, dport, seq, ack, flags, data=b"", bad=False):
    th = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + data
    ph = PEER_IP + US_IP + struct.pack("!BBH", 0, 6, len(th))
    c = csum(ph + th) ^ (0x0101 if bad else 0)
    th = th[:16] + struct.pack("!H", c) + th[18:]
    return pad(US_MAC + PEER_MAC + b"\x08\x00" + ipv4(6, th))


def pad(b):
    return b + bytes(max(0, 60 - len(b)))


def arp_request():
    a = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, PEER_MAC, PEER_IP, bytes(6), US_IP)
    return pad(b"\xff" * 6 + PEER_MAC + b"\x08\x06" + a)


def icmp_echo():
    icmp = struct.pack("!BBHHH", 8, 0, 0, 0x77, 1) + b"synack-ping"
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    return pad(US_MAC + PEER_MAC + b"\x08\x00" + ipv4(1, icmp))


seeds = {
    # a new connection on a fresh port, then its handshake completed
    "syn": tcp(10, SYN, opts=MSS_1460),
    "syn_then_ack": tcp(10, SYN, opts=MSS_1460) + tcp(10, ACK, ACK_SND_MAX),
    # an HTTP GET on a live connection, its response acknowledged
    "get_established": tcp(0, ACK | PSH, data=GET) + time_ms(50) +
                       tcp(0, ACK, ACK_SND_MAX),
    "get_with_ts": tcp(1, ACK | PSH, TS, data=GET) + tcp(1, ACK, ACK_SND_MAX | TS),
    "get_pipelined_head": tcp(0, ACK | PSH, data=GET + b"HEAD /h HTTP/1.0\r\n\r\n"),
    # FIN from the peer, then the ACK of ours
    "fin": tcp(0, FIN | ACK) + tcp(0, ACK, ACK_SND_MAX, seq=1),
    "fin_last_ack": tcp(4, ACK, ACK_SND_MAX),
    "fin_time_wait_retransmit": tcp(7, FIN | ACK, seq=-1),
    # RST: exact, in window (challenge ACK), on a TIME-WAIT
    "rst": tcp(1, RST),
    "rst_in_window": tcp(2, RST | ACK, seq=100),
    "rst_time_wait": tcp(7, RST),
    # checksums that fail: templated and raw
    "bad_checksum": tcp(2, ACK, ACK_SND_MAX | BAD_CSUM, data=b"x"),
    "bad_checksum_raw": raw(tcp_frame(40000, 80, 0x10000001, 0, ACK, b"x", bad=True)),
    # the response in flight: partial ACK, dup ACKs, window opening
    "partial_ack": tcp(2, ACK, ACK_SND_UNA, ack=100),
    "dupacks": tcp(2, ACK) * 4,
    "window_opens": tcp(3, ACK, ACK_SND_NXT, win=65535) + tcp(9, ACK, ACK_SND_UNA),
    # the out-of-order hole filled, completing the request
    "ooo_fill": tcp(5, ACK, data=b"st: "),
    # SYN-RECEIVED completed
    "synrcvd_ack": tcp(8, ACK, ACK_SND_MAX, win=100),
    # SYN flood into cookies, then a cookie's ACK
    "syncookie": tcp(10, SYN, opts=MSS_1460) + tcp(11, SYN, opts=MSS_1460) +
                 tcp(10, SYN, m2=SPORT_ALT, opts=MSS_1460) +
                 tcp(11, SYN, m2=SPORT_ALT, opts=MSS_1460) +
                 tcp(11, ACK, SEQ_SEEN_ACK | ACK_SEEN_END, SPORT_ALT, data=GET),
    # a SYN on a TIME-WAIT tuple (port reuse)
    "syn_time_wait": tcp(7, SYN, SEQ_RCV_NXT, seq=1000, opts=MSS_1460),
    # timers: delayed ACK, RTO, persist, TIME-WAIT expiry, give-up
    "timers": time_ms(200) + time_s(2) + time_s(30) + time_s(55),
    # PAWS
    "paws": tcp(1, ACK, TS, TS_OLD, data=b"x"),
    # from an unresolved neighbour and from off-link
    "alt_source": tcp(10, SYN, m2=SRC_ALT, opts=MSS_1460) +
                  tcp(10, SYN, m2=SRC_OFFLINK, opts=MSS_1460),
    # to a closed port, with IPv4 options, padding and a chained mbuf
    "closed_port": tcp(0, SYN, m2=DPORT_81 | IP_OPTS | PAD | CHAIN),
    # ARP and ICMP through the same worker
    "arp_icmp": raw(arp_request()) + raw(icmp_echo(), split=20),
}

os.makedirs(OUT, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(OUT, name + ".bin"), "wb") as f:
        f.write(data)
print("wrote %d seeds to %s" % (len(seeds), OUT))
