#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""netns_ping6.py PMD SYNACK_BINARY   (PMD: af_xdp | af_packet)

IPv6 on the link, against the Linux kernel over a veth pair: synack as a
dual-stack server (198.18.1.2/24 and 2001:2::2/64, RFC 5180's benchmarking
range) answers the kernel's neighbour solicitations and ICMPv6 echo without
loss (fast small pings, 1400-byte pings, pings to its fe80:: link-local
address), the kernel's neighbour table holds synack's MAC for its IPv6
address, IPv4 ping still works, and malformed IPv6 frames sent from the
kernel side through a packet socket are each counted under their own reason
while synack keeps answering. Exit 0 pass, 1 fail.
"""
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SYN6, KRN6 = "2001:2::2", "2001:2::1"
BAD = 5  # frames of each malformed kind


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def csum(src, dst, proto, l4):
    b = src + dst + struct.pack("!IxxxB", len(l4), proto) + l4
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def frames(dst_mac, src_mac):
    """{reason: frame} of malformed IPv6 frames to synack (from the kernel side)."""
    src, dst = socket.inet_pton(socket.AF_INET6, KRN6), socket.inet_pton(socket.AF_INET6, SYN6)

    def ip6(nxt, payload, hlim=64):
        return (dst_mac + src_mac + b"\x86\xdd" +
                struct.pack("!IHBB", 0x60000000, len(payload), nxt, hlim) + src + dst + payload)

    echo = bytearray(b"\x80\0\0\0\x12\x34\0\x01" + bytes(16))
    echo[2:4] = struct.pack("!H", csum(src, dst, 58, bytes(echo)))
    bad_ck = bytearray(echo)
    bad_ck[10] ^= 0x01
    ns = bytearray(b"\x87\0\0\0\0\0\0\0" + dst)
    ns[2:4] = struct.pack("!H", csum(src, dst, 58, bytes(ns)))
    return {
        "drop_ip6_frag": ip6(44, b"\x3a\0\0\x01\0\0\0\x07" + bytes(echo)),
        "drop_ip6_rh": ip6(43, b"\x3a\0\x04\x01\0\0\0\0" + bytes(echo)),
        "drop_ip6_ext": ip6(60, b"\x3a\x05\x01\x02\0\0\0\0" + bytes(echo)),
        "drop_ip6_opt": ip6(60, b"\x3a\0\x9e\x04\0\0\0\0" + bytes(echo)),
        "drop_icmp6_csum": ip6(58, bytes(bad_ck)),
        "drop_nd_bad": ip6(58, bytes(ns), hlim=64),  # NS must come with hop limit 255
        "drop_ip6_len_big": ip6(58, bytes(echo))[:-4],
    }


def send_bad(ifname, dst_mac, src_mac):
    """In the kernel namespace: BAD frames of each kind through a packet socket."""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    for f in frames(bytes.fromhex(dst_mac.replace(":", "")),
                    bytes.fromhex(src_mac.replace(":", ""))).values():
        for _ in range(BAD):
            s.send(f)
    s.close()


def loss(out):
    m = re.search(r"([0-9.]+)% packet loss", out)
    return m.group(1) if m else None


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--send-bad":
        send_bad(sys.argv[2], sys.argv[3], sys.argv[4])
        return 0
    if len(sys.argv) != 3 or sys.argv[1] not in ("af_xdp", "af_packet"):
        print(__doc__)
        return 2
    pmd, synack = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="synack-ping6.")
    with harness.Netns("p6" + pmd[3]) as n:
        n.kexec(["sysctl", "-qw", f"net.ipv6.conf.{n.krn_if}.disable_ipv6=0"], check=True)
        n.kexec(["sysctl", "-qw", f"net.ipv6.conf.{n.krn_if}.accept_dad=0"], check=True)
        n.kexec(["ip", "-6", "addr", "add", f"{KRN6}/64", "dev", n.krn_if, "nodad"], check=True)
        syn_mac, krn_mac = n.mac("syn"), n.mac("krn")
        dev = (f"net_af_xdp0,iface={n.syn_if}" if pmd == "af_xdp"
               else f"net_af_packet0,iface={n.syn_if},qpairs=1")
        js = os.path.join(tmp, "synack.jsonl")
        p = harness.start_synack(synack, f"config/server-{pmd}.ini",
                                 [f"port0.dev={dev}", f"port0.ip={n.synack_ip}/24",
                                  f"port0.ip6={SYN6}/64", "run.duration=60s", "run.lcores=1"],
                                 json_path=js, netns=n.syn_ns, tmp=tmp)
        try:
            p.wait_ready(30)
            log = open(p.log_path, encoding="utf-8", errors="replace").read()
            if f"ipv6 {SYN6}/64" not in log:
                fail(f"no 'port0: ipv6 {SYN6}/64' start line:\n{log}")
            ll = re.search(r"link-local (fe80::[0-9a-f:]+)", log).group(1)
            print(f"synack {syn_mac} {SYN6} {ll}")
            n.kexec(["ping", "-6", "-c", "1", "-W", "2", SYN6], capture_output=True, timeout=10)

            for what, argv in (("ping -6 -c 200 -i 0.005", ["-c", "200", "-i", "0.005"]),
                               ("ping -6 -c 5 -s 1400", ["-c", "5", "-s", "1400"]),
                               (f"ping -6 {ll}%{n.krn_if}", ["-c", "5", "-i", "0.05"])):
                dst = SYN6 if "%" not in what else f"{ll}%{n.krn_if}"
                r = n.kexec(["ping", "-6", "-W", "1"] + argv + [dst], capture_output=True,
                            text=True, timeout=40)
                print(r.stdout.strip().splitlines()[-2] if r.stdout else r.stderr)
                if loss(r.stdout) != "0":
                    fail(f"{what}: loss {loss(r.stdout)}%:\n{r.stdout}{r.stderr}")
                print(f"ok: {what}: 0% packet loss")
            r = n.kexec(["ping", "-c", "20", "-i", "0.01", "-W", "1", n.synack_ip],
                        capture_output=True, text=True, timeout=30)
            if loss(r.stdout) != "0":
                fail(f"IPv4 ping on the dual-stack port: {r.stdout}")
            print("ok: IPv4 ping on the same port: 0% packet loss")

            neigh = n.kexec(["ip", "-6", "neigh", "show", SYN6, "dev", n.krn_if],
                            capture_output=True, text=True).stdout.strip()
            print(f"kernel neighbour entry: {neigh}")
            if f"lladdr {syn_mac}" not in neigh:
                fail(f"the kernel's neighbour table has no {syn_mac} for {SYN6}: '{neigh}'")
            print("ok: the kernel resolved synack's IPv6 address to its MAC")

            n.kexec([sys.executable, os.path.abspath(__file__), "--send-bad", n.krn_if,
                     syn_mac, krn_mac], check=True)
            r = n.kexec(["ping", "-6", "-c", "20", "-i", "0.01", "-W", "1", SYN6],
                        capture_output=True, text=True, timeout=30)
            if loss(r.stdout) != "0":
                fail(f"ping -6 after the malformed frames: {r.stdout}")
            print("ok: still answering after the malformed frames")
        finally:
            p.stop()
        c = harness.counters(js)
        print("counters: " + " ".join(f"{k}={v}" for k, v in c.items()
                                      if v and ("6" in k or "nd_" in k)))
        if c["icmp6_echo_rx"] < 231 or c["icmp6_echo_reply_tx"] != c["icmp6_echo_rx"]:
            fail(f"echo: {c['icmp6_echo_rx']} requests, {c['icmp6_echo_reply_tx']} replies")
        if c["nd_ns_rx"] < 1 or c["nd_na_tx"] < c["nd_ns_rx"] or c["nd_na_unsol_tx"] != 2:
            fail(f"ND: ns_rx {c['nd_ns_rx']} na_tx {c['nd_na_tx']} "
                 f"unsolicited {c['nd_na_unsol_tx']} (want 2: link-local + {SYN6})")
        for reason in frames(b"\0" * 6, b"\0" * 6):
            if c[reason] != BAD:
                fail(f"{reason}: {c[reason]}, want {BAD} (one per malformed frame sent)")
        print(f"ok: each malformed kind counted {BAD} times under its reason")
        # what else the kernel sends (MLD reports, router solicitations) goes
        # to groups synack is not in: counted as not ours, nothing else
        others = {k: v for k, v in c.items() if v and k.startswith("drop_")
                  and k not in frames(b"", b"") and k != "drop_ip6_not_us"}
        if others:
            fail(f"unexpected drops: {others}")
        print("ok: no other drops")
    return 0


if __name__ == "__main__":
    sys.exit(main())
