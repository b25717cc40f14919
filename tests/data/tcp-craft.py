#!/usr/bin/env python3
"""tcp-craft.py — writes tcp-craft.pcap: hand-made segments that probe the
corners of Wireshark's TCP analysis, where versions of packet-tcp.c differ
(the order of the retransmission checks, window-full right after the
handshake, a repeated FIN, a retransmitted SYN after a RST...), and corners of
the tracker (port reuse, data on a SYN, a SYN-ACK first, a zero-window probe
of one byte, a RST without ACK). tcp-captures.sh saves tshark's verdicts on it
next to it (tcp-craft.tshark.txt). Deterministic: no network needed.

Each probe is one connection on its own client port (40001, 40002 ...) to
10.0.0.2:80; the comments say what each segment is there for.
"""
import struct
import sys

C, S = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
frames = []
now = [1700000000.0]


def tcp(src_is_client, sport, seq, ack, flags, win, payload=b"", opts=b"", dt=0.001):
    now[0] += dt
    src, dst = (C, S) if src_is_client else (S, C)
    dport = 80 if src_is_client else sport
    sp = sport if src_is_client else 80
    while len(opts) % 4:
        opts += b"\x01"
    fl = sum({"F": 1, "S": 2, "R": 4, "P": 8, "A": 16}[c] for c in flags)
    th = struct.pack(">HHIIBBHHH", sp, dport, seq & 0xffffffff, ack & 0xffffffff,
                     (5 + len(opts) // 4) << 4, fl, win, 0, 0) + opts + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(th), 0, 0x4000, 64, 6, 0, src, dst)
    eth = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
    frames.append((now[0], eth + ip + th))


def ws(shift):
    return bytes([3, 3, shift])


def mss(v):
    return struct.pack(">BBH", 2, 4, v)


def handshake(port, ci, si, cwin=64240, swin=65160, copts=b"", sopts=b"", rtt=0.010):
    tcp(1, port, ci, 0, "S", cwin, opts=copts)
    tcp(0, port, si, ci + 1, "SA", swin, opts=sopts, dt=rtt / 2)
    tcp(1, port, ci + 1, si + 1, "A", 502, dt=rtt / 2)


# 40001: data filling the server's window right after the handshake: the
# server's last segment is its SYN-ACK, whose window is never scaled.
handshake(40001, 1000, 5000, copts=mss(1460) + ws(7), sopts=mss(1460) + ws(7), swin=1000)
tcp(1, 40001, 1001, 5001, "PA", 502, b"x" * 1000)
tcp(0, 40001, 5001, 2001, "A", 8)
tcp(1, 40001, 2001, 5001, "PA", 502, b"y" * 24)  # 8 << 7 = 1024 bytes: not full
tcp(1, 40001, 2025, 5001, "PA", 502, b"z" * 1000)  # up to 2001 + 1024: full

# 40002: (mid-stream) already acknowledged data resent 1 ms later: spurious
# and out-of-order at once; which check comes first decides.
tcp(0, 40002, 7001, 3001, "A", 509, b"a" * 100)
tcp(0, 40002, 7101, 3001, "A", 509, b"b" * 100)
tcp(1, 40002, 3001, 7201, "A", 502)
tcp(0, 40002, 7001, 3001, "A", 509, b"a" * 100)
tcp(0, 40002, 7101, 3001, "A", 509, b"b" * 100, dt=0.5)  # late: spurious only

# 40003: a FIN sent twice within 1 ms, and twice 300 ms apart.
handshake(40003, 9000, 6000)
tcp(0, 40003, 6001, 9001, "FA", 509)
tcp(0, 40003, 6001, 9001, "FA", 509)
tcp(0, 40003, 6001, 9001, "FA", 509, dt=0.3)
tcp(1, 40003, 9001, 6002, "FA", 502)
tcp(0, 40003, 6002, 9002, "A", 509)

# 40004: a SYN, a RST with a sequence number far ahead (RFC 9293 §3.10.7.1 lets
# a RST take its seq from the ACK it answers), the SYN again a second later,
# then the handshake and data from where the SYN said.
tcp(1, 40004, 11000, 0, "S", 64240)
tcp(1, 40004, 12000, 0, "R", 0)
tcp(1, 40004, 11000, 0, "S", 64240, dt=1.0)
tcp(0, 40004, 15000, 11001, "SA", 65160)
tcp(1, 40004, 11001, 15001, "A", 502)
tcp(1, 40004, 11001, 15001, "PA", 502, b"h" * 10)
tcp(0, 40004, 15001, 11011, "A", 509)

# 40005: zero window, a one-byte probe, its ACK (still zero), the probe
# again, the window opening, data; a pure ACK repeated (dup ACKs), a new
# window (update), a keep-alive of one byte and its ACK.
handshake(40005, 20000, 30000)
tcp(0, 40005, 30001, 20001, "A", 509, b"d" * 500)
tcp(1, 40005, 20001, 30501, "A", 0)
tcp(0, 40005, 30501, 20001, "A", 509, b"p", dt=0.2)
tcp(1, 40005, 20001, 30501, "A", 0)
tcp(0, 40005, 30501, 20001, "A", 509, b"p", dt=0.4)
tcp(1, 40005, 20001, 30501, "A", 0)
tcp(1, 40005, 20001, 30501, "A", 300)
tcp(0, 40005, 30501, 20001, "A", 509, b"e" * 300)
tcp(1, 40005, 20001, 30801, "A", 300)
tcp(1, 40005, 20001, 30801, "A", 300)
tcp(1, 40005, 20001, 30801, "A", 300)
tcp(1, 40005, 20001, 30801, "A", 400)
tcp(0, 40005, 30800, 20001, "A", 509, b"k", dt=1.0)
tcp(1, 40005, 20001, 30801, "A", 400)

# 40006: ACKs for data the capture never saw, twice in a row, then more.
handshake(40006, 50000, 60000)
tcp(1, 40006, 50001, 60001, "PA", 502, b"q" * 10)
tcp(0, 40006, 60001, 50021, "A", 509)
tcp(0, 40006, 60001, 50031, "A", 509)
tcp(1, 40006, 50031, 60001, "PA", 502, b"r" * 10)
tcp(0, 40006, 60001, 50041, "A", 509)

# 40007: a new connection on the same ports after a reset (port reuse), with
# data on its SYN (TCP Fast Open) accepted by the SYN-ACK.
handshake(40007, 70000, 80000)
tcp(1, 40007, 70001, 80001, "RA", 502)
tcp(1, 40007, 90000, 0, "S", 64240, b"t" * 13, dt=0.5)
tcp(0, 40007, 95000, 90014, "SA", 65160)
tcp(1, 40007, 90014, 95001, "A", 502)

# 40008: the capture starts at the SYN-ACK; data in both directions; a
# retransmitted SYN-ACK after the handshake completed.
tcp(0, 40008, 41000, 42001, "SA", 65160)
tcp(1, 40008, 42001, 41001, "A", 502)
tcp(0, 40008, 41000, 42001, "SA", 65160, dt=0.2)
tcp(1, 40008, 42001, 41001, "PA", 502, b"u" * 20)
tcp(0, 40008, 41001, 42021, "PA", 509, b"v" * 20)

# 40009: a hole filled within the handshake's RTT (out-of-order) and after it
# (retransmission); three dup ACKs and a fast retransmission; data beyond a
# hole in the middle of a window.
handshake(40009, 100, 200, rtt=0.020)
tcp(0, 40009, 301, 101, "A", 509, b"1" * 100)      # 201..300 missing
tcp(0, 40009, 201, 101, "A", 509, b"0" * 100, dt=0.005)  # within 20 ms
tcp(1, 40009, 101, 401, "A", 502)
tcp(0, 40009, 501, 101, "A", 509, b"3" * 100)      # 401..500 missing
tcp(1, 40009, 101, 401, "A", 502)
tcp(0, 40009, 601, 101, "A", 509, b"4" * 100)
tcp(1, 40009, 101, 401, "A", 502)
tcp(1, 40009, 101, 401, "A", 502)
tcp(0, 40009, 401, 101, "A", 509, b"2" * 100, dt=0.002)  # fast retransmission
tcp(1, 40009, 101, 701, "A", 502)
tcp(0, 40009, 401, 101, "A", 509, b"2" * 100, dt=0.3)   # again: spurious
tcp(0, 40009, 801, 101, "A", 509, b"6" * 100)      # 701..800 missing
tcp(0, 40009, 701, 101, "A", 509, b"5" * 100, dt=0.1)   # late: retransmission

# 40010-40019: ACKed-unseen segments and how Wireshark 4.0 says each loss
# once: after a first report, more ACKs beyond what the capture saw stay
# quiet until the peer's own segment shows a gap (the report is renewed) or
# fills it; a window update, a dup ACK or contiguous data do not renew it.
def unseen_start(port):
    handshake(port, 1000, 5000)
    tcp(1, port, 1001, 5001, "PA", 502, b"q" * 10)
    tcp(0, port, 5001, 1021, "A", 509)                  # reported


unseen_start(40010)
tcp(1, 40010, 1011, 5001, "A", 600)                     # window update
tcp(0, 40010, 5001, 1031, "A", 509)
unseen_start(40011)
tcp(1, 40011, 1011, 5001, "PA", 502, b"q" * 20)         # contiguous data
tcp(0, 40011, 5001, 1041, "A", 509)
unseen_start(40012)
tcp(1, 40012, 1031, 5001, "A", 502)                     # a gap, no data
tcp(0, 40012, 5001, 1031, "A", 509)
unseen_start(40013)
tcp(1, 40013, 1031, 5001, "PA", 502, b"q" * 10)         # a gap
tcp(1, 40013, 1041, 5001, "PA", 502, b"q" * 10)
tcp(0, 40013, 5001, 1051, "A", 509)
tcp(0, 40013, 5001, 1061, "A", 509)
unseen_start(40014)
tcp(1, 40014, 1031, 5001, "PA", 502, b"q" * 10)         # a gap, then filled
tcp(1, 40014, 1011, 5001, "PA", 502, b"q" * 20)
tcp(0, 40014, 5001, 1051, "A", 509)
handshake(40015, 1000, 5000)                            # the gap comes first
tcp(1, 40015, 1001, 5001, "PA", 502, b"q" * 10)
tcp(1, 40015, 1031, 5001, "PA", 502, b"q" * 10)
tcp(0, 40015, 5001, 1041, "A", 509)
tcp(0, 40015, 5001, 1051, "A", 509)
tcp(1, 40015, 1061, 5001, "PA", 502, b"q" * 10)
tcp(0, 40015, 5001, 1071, "A", 509)
tcp(0, 40015, 5001, 1081, "A", 509)
handshake(40016, 1000, 5000)                            # a duplicate ACK first
tcp(1, 40016, 1001, 5001, "PA", 502, b"q" * 10)
tcp(1, 40016, 1011, 5001, "A", 502)
tcp(0, 40016, 5001, 1021, "A", 509)
tcp(1, 40016, 1011, 5001, "A", 502)
tcp(0, 40016, 5001, 1031, "A", 509)
handshake(40017, 1000, 5000)                            # dup ACKs, then a gap
tcp(0, 40017, 5001, 1001, "PA", 509, b"s" * 10)
tcp(1, 40017, 1001, 5011, "A", 502)
tcp(1, 40017, 1001, 5011, "A", 502)
tcp(1, 40017, 1031, 5011, "A", 502)
tcp(1, 40017, 1031, 5011, "A", 502)
tcp(0, 40017, 5011, 1041, "A", 509)
tcp(0, 40017, 5011, 1051, "A", 509)

out = sys.argv[1] if len(sys.argv) > 1 else "tcp-craft.pcap"
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for t, b in frames:
        sec = int(t)
        usec = int(round((t - sec) * 1e6))
        f.write(struct.pack("<IIII", sec, usec, len(b), len(b)) + b)
