#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""tcp_bytes_consistent.py CAPTURE SRC_IP

Every TCP payload byte that SRC_IP sent more than once (retransmissions,
repacketised or not) must carry the same value each time: a stronger check
than Wireshark's reassembly heuristics, which flag re-segmented retransmissions
("New fragment overlaps old data") even when the bytes agree. Prints the
number of bytes checked and exits 1 at the first conflict, naming it.
"""
import subprocess
import sys


def main():
    cap, src = sys.argv[1], sys.argv[2]
    out = subprocess.run(
        ["tshark", "-r", cap, "-Y", f"ip.src == {src} && tcp.len > 0",
         "-T", "fields", "-e", "frame.number", "-e", "tcp.stream", "-e", "tcp.seq_raw",
         "-e", "tcp.payload"],
        capture_output=True, text=True, check=False).stdout
    seen = {}  # stream -> {absolute seq -> byte}
    checked = 0
    overlapping = 0
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) < 4 or not parts[3]:
            continue
        frame, stream, seq, payload = parts[0], int(parts[1]), int(parts[2]), bytes.fromhex(
            parts[3].replace(":", ""))
        bytes_of = seen.setdefault(stream, {})
        for i, b in enumerate(payload):
            k = (seq + i) & 0xffffffff
            old = bytes_of.get(k)
            if old is None:
                bytes_of[k] = b
            else:
                overlapping += 1
                if old != b:
                    print(f"conflict: frame {frame} stream {stream} seq {k}: "
                          f"byte {b:#04x}, earlier {old:#04x}")
                    return 1
            checked += 1
    print(f"{checked} payload bytes checked, {overlapping} sent more than once, all consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
