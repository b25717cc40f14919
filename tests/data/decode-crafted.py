#!/usr/bin/env python3
# decode-crafted.py — writes decode-crafted.pcap: hand-made frames for the
# corners of tcpdump's output (truncated and malformed headers, every TCP option
# tcpdump prints, IPv6 extension headers, ICMP and ICMPv6 messages, every link
# type we decode). decode-captures.sh runs it and saves what tcpdump prints
# for it in decode-crafted.tcpdump.txt; check_summary.c compares.
import struct, sys

def ip4(proto, payload, src=b'\x7f\0\0\x01', dst=b'\x7f\0\0\x01', opts=b'', tot=None, off=0x4000, ihl=None, ver=4):
    hl = 20 + len(opts)
    h = struct.pack('!BBHHHBBH4s4s', (ver << 4) | (ihl if ihl is not None else hl // 4), 0,
                    tot if tot is not None else hl + len(payload), 0x1234, off, 64, proto, 0, src, dst)
    return h + opts + payload

def ip6(nxt, payload, src=b'\0'*15 + b'\1', dst=b'\0'*15 + b'\1', plen=None):
    return struct.pack('!IHBB16s16s', 0x60000000, len(payload) if plen is None else plen, nxt, 64, src, dst) + payload

def tcp(sport, dport, seq, ack, flags, win=65495, opts=b'', data=b'', off=None):
    return struct.pack('!HHIIBBHHH', sport, dport, seq, ack,
                       (off if off is not None else (20 + len(opts)) // 4) << 4, flags, win, 0, 0) + opts + data

def udp(sport, dport, data, ulen=None):
    return struct.pack('!HHHH', sport, dport, 8 + len(data) if ulen is None else ulen, 0) + data

def icmp(t, c, rest, data=b''):
    return struct.pack('!BBHI', t, c, 0, rest) + data

def eth(t, payload, vlans=()):
    h = b'\x02\0\0\0\0\x0b' + b'\x02\0\0\0\0\x0a'
    for tpid, tci in vlans:
        h += struct.pack('!HH', tpid, tci)
    return h + struct.pack('!H', t) + payload

SYN = bytes.fromhex('020405b40402080a000000010000000001030307')
t = tcp(40000, 6666, 100, 0, 0x02, opts=SYN)
q4 = ip4(17, udp(5000, 7777, b'hello'))
q6 = ip6(17, udp(5000, 7777, b'hello'))

def cut(frame, n):
    return (frame[:n], len(frame))

en = []  # Ethernet frames
en.append(eth(0x0800, ip4(6, t)))
en.append(eth(0x0800, ip4(6, t), vlans=[(0x8100, 100)]))
en.append(eth(0x88a8, ip4(6, t), vlans=[(0x88a8, 100), (0x8100, 200)])[:12] + struct.pack('!HHHHH', 0x88a8, 100, 0x8100, 200, 0x0800) + ip4(6, t))
en.append(eth(0x0800, ip4(17, udp(5000, 6000, b'hello'))))
en.append(eth(0x0800, ip4(17, udp(5000, 6000, b'hello'), off=0x2000)))
en.append(eth(0x0800, ip4(17, b'later fragment!!', off=0x0005)))
en.append(eth(0x0800, ip4(99, b'x' * 12)))
en.append(eth(0x0800, ip4(6, t)[:30]))
full = eth(0x0800, ip4(6, t))
for n in (14 + 20 + 2, 14 + 20 + 10, 14 + 20 + 22, 14 + 20 + 27, 14 + 10, 10, 14):
    en.append(cut(full, n))
en.append(eth(0x0800, ip4(6, tcp(1, 2, 3, 4, 0x10, off=3))))
en.append(eth(0x0800, ip4(6, t, tot=30)))
en.append(eth(0x0800, ip4(6, t, ihl=4)))
en.append(eth(0x0800, ip4(6, t, tot=0)))
en.append(eth(0x0800, ip4(6, t, ver=5)))
en.append(eth(0x0800, ip6(6, t)))
en.append(eth(0x0800, ip4(17, udp(5000, 6000, b'hello', ulen=4))))
en.append(eth(0x0800, ip4(17, udp(5000, 6000, b'hello', ulen=40))))
en.append(eth(0x0800, ip4(17, udp(5000, 6000, b'hello'), tot=25)))
en.append(eth(0x0800, ip4(6, t, tot=300)))
full = eth(0x0800, ip4(6, t, opts=b'\x01\x01\x01\x00'))
en.append(cut(full, 14 + 22))
en.append(eth(0x0800, ip4(6, t, opts=b'\x44\x10\x05\x00')))
def topt(o):
    return eth(0x0800, ip4(6, tcp(1, 2, 3, 4, 0x18, opts=o, data=b'abc')))
for o in (b'\x02\x03\x05\xb4', b'\x02\x05\x05\xb4\x01\x01\x01\x00', b'\x01\x02\x00\x01',
          b'\x01\x01\x08\x0c', b'\x05\x0a\0\0\0\1\0\0\0\2\x01\x01', b'\x05\x0b\0\0\0\1\0\0\0\2\x00\x00',
          b'\x22\x02\x01\x00', b'\x22\x06\1\2\3\4\x01\x00', b'\xfe\x04\xf9\x89',
          b'\x13\x12' + b'\x11' * 16 + b'\0\0', b'\x1c\x04\x80\x05', b'\x14\x04\x80\x05',
          b'\x0d\x06\x00\x00\x00\x09\x01\x00', b'\x99\x04\xaa\xbb', b'\x99\x02\x00\x00',
          b'\x00\x01\x01\x01', b'\x1d\x08\x01\x02\x03\x04\x05\x06', b'\x06\x06\0\0\0\7\1\0',
          b'\x0b\x06\0\0\0\7\1\0', b'\x1e\x04\x00\x00',
          b'\x1e\x08\x20\x01\0\0\0\x09', b'\x1e\x0c\x20\x05\0\0\0\x09\0\0\0\x0a'):
    en.append(topt(o))
en.append(eth(0x0800, ip4(6, tcp(1, 2, 3, 4, 0xff, data=b'abc'))))
en.append(eth(0x0800, ip4(6, tcp(1, 2, 3, 4, 0x00))))
en.append(eth(0x0800, ip4(6, tcp(1, 2, 0xffffffff, 4, 0x18, data=b'abc'))))
en.append(eth(0x0800, ip4(6, tcp(1, 2, 3, 4, 0x04, win=0, data=b'reset'))))
# IPv6
en.append(eth(0x86dd, ip6(6, t)))
en.append(eth(0x86dd, ip6(17, udp(5000, 6000, b'hello'))))
en.append(eth(0x86dd, ip6(0, bytes([6, 0, 1, 2, 0, 0, 0, 0]) + t)))
en.append(eth(0x86dd, ip6(44, bytes([17, 0, 0, 1, 0, 0, 0, 5]) + udp(5000, 6000, b'hello'))))
en.append(eth(0x86dd, ip6(44, bytes([17, 0, 0, 0x21, 0, 0, 0, 5]) + b'fragdata')))
en.append(eth(0x86dd, ip6(60, bytes([6, 0, 1, 4, 0, 0, 0, 0]) + t)))
en.append(eth(0x86dd, ip6(43, bytes([6, 2, 0, 1, 0, 0, 0, 0]) + b'\0' * 16 + t)))
en.append(eth(0x86dd, ip6(51, bytes([6, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2]) + b'\0' * 12 + t)))
en.append(eth(0x86dd, ip4(6, t) + b'\0' * 20))
full = eth(0x86dd, ip6(6, t))
for n in (14, 16, 44, 54, 55):
    en.append(cut(full, n))
en.append(eth(0x86dd, ip6(6, t, plen=200)))
en.append(eth(0x86dd, ip6(6, t, plen=10)))
en.append(eth(0x86dd, ip6(6, t, plen=0)))
en.append(eth(0x86dd, ip6(59, b'')))
en.append(eth(0x86dd, ip6(50, b'\0\0\0\1\0\0\0\2' + b'x' * 20)))
en.append(eth(0x0800, ip4(50, b'\0\0\0\1\0\0\0\2' + b'x' * 20)))
full = eth(0x86dd, ip6(0, bytes([6, 0, 1, 2, 0, 0, 0, 0]) + t))
for n in (14 + 41, 14 + 44):
    en.append(cut(full, n))
full = eth(0x86dd, ip6(44, bytes([17, 0, 0, 1, 0, 0, 0, 5]) + udp(5000, 6000, b'hello')))
for n in (14 + 42, 14 + 46, 14 + 48, 14 + 50):
    en.append(cut(full, n))
# ICMP
for rest, typ, code, data in ((0x00010002, 8, 0, b'x' * 16), (0x00010002, 0, 0, b'x' * 16)):
    en.append(eth(0x0800, ip4(1, icmp(typ, code, rest, data))))
for code in range(0, 17):
    en.append(eth(0x0800, ip4(1, icmp(3, code, 1400 if code == 4 else 0, q4))))
en.append(eth(0x0800, ip4(1, icmp(3, 3, 0, ip4(6, tcp(5000, 7777, 1, 0, 2))))))
en.append(eth(0x0800, ip4(1, icmp(3, 3, 0, ip4(99, b'abcdefgh')))))
en.append(eth(0x0800, ip4(1, icmp(3, 4, 0, q4))))
for typ, code, rest in ((11, 0, 0), (11, 1, 0), (11, 5, 0), (12, 0, 0x05000000), (12, 1, 0), (5, 1, 0x0a000001), (4, 0, 0)):
    en.append(eth(0x0800, ip4(1, icmp(typ, code, rest, q4))))
en.append(eth(0x0800, ip4(1, icmp(13, 0, 0x00010002, b'\0' * 12))))
en.append(eth(0x0800, ip4(1, icmp(14, 0, 0x00010002, struct.pack('!III', 1000, 3600000, 86399999)))))
en.append(eth(0x0800, ip4(1, icmp(17, 0, 0x00010002, b'\0' * 4))))
en.append(eth(0x0800, ip4(1, icmp(18, 0, 0x00010002, b'\xff\xff\xff\0'))))
en.append(eth(0x0800, ip4(1, icmp(10, 0, 0))))
en.append(eth(0x0800, ip4(1, icmp(42, 0, 0))))
en.append(eth(0x0800, ip4(1, icmp(9, 0, 0x02021800, b'\x0a\0\0\x01\0\0\0\x05\x0a\0\0\x02\0\0\0\x06'))))
full = eth(0x0800, ip4(1, icmp(3, 3, 0, q4)))
for n in (34 + 2, 34 + 6, 34 + 8 + 10, 34 + 8 + 20, 34 + 8 + 22, 34 + 8 + 24):
    en.append(cut(full, n))
en.append(eth(0x0800, ip4(1, b'\x08\0\0')))
# ICMPv6
for typ, rest, data in ((128, 0x00010002, b'x' * 16), (129, 0x00010002, b'x' * 16)):
    en.append(eth(0x86dd, ip6(58, icmp(typ, 0, rest, data))))
for code in range(0, 5):
    en.append(eth(0x86dd, ip6(58, icmp(1, code, 0, q6))))
en.append(eth(0x86dd, ip6(58, icmp(1, 4, 0, ip6(6, tcp(5000, 7777, 1, 0, 2))))))
en.append(eth(0x86dd, ip6(58, icmp(2, 0, 1280, q6))))
for code, rest in ((0, 0), (1, 0)):
    en.append(eth(0x86dd, ip6(58, icmp(3, code, rest, q6))))
for code in (0, 1, 2, 3):
    en.append(eth(0x86dd, ip6(58, icmp(4, code, 6, q6))))
en.append(eth(0x86dd, ip6(58, icmp(133, 0, 0))))
en.append(eth(0x86dd, ip6(58, icmp(134, 0, 0, b'\0' * 8))))
en.append(eth(0x86dd, ip6(58, icmp(135, 0, 0, b'\xfe\x80' + b'\0' * 13 + b'\1'))))
en.append(eth(0x86dd, ip6(58, icmp(136, 0, 0x60000000, b'\xfe\x80' + b'\0' * 13 + b'\1'))))
en.append(eth(0x86dd, ip6(58, icmp(143, 0, 2))))
en.append(eth(0x86dd, ip6(58, icmp(130, 0, 0x03e80000, b'\0' * 16))))
en.append(eth(0x86dd, ip6(58, b'')))
full = eth(0x86dd, ip6(58, icmp(1, 4, 0, q6)))
for n in (54 + 2, 54 + 6, 54 + 8 + 10, 54 + 8 + 40, 54 + 8 + 42, 54 + 8 + 44):
    en.append(cut(full, n))
# ARP and others
arp = struct.pack('!HHBBH', 1, 0x0800, 6, 4, 1) + b'\x02\0\0\0\0\x0a' + b'\x0a\0\0\x01' + b'\0' * 6 + b'\x0a\0\0\x02'
en.append(eth(0x0806, arp + b'\0' * 18))
en.append(eth(0x0806, arp[:6] + struct.pack('!H', 2) + arp[8:]))
en.append(eth(0x0806, arp[:20]))

def write(path, dlt, frames):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, dlt))
        for i, fr in enumerate(frames):
            data, wire = fr if isinstance(fr, tuple) else (fr, len(fr))
            f.write(struct.pack('<IIII', 1700000000 + i, 0, len(data), wire))
            f.write(data)

write('decode-crafted.pcap', 1, en)

# Other link types, one file each (a pcap file has one link type).
ipk = ip4(6, t)
sll = struct.pack('!HHH8sH', 0, 772, 6, b'\0' * 8, 0x0800) + ipk
write('decode-crafted-sll.pcap', 113,
      [sll, cut(sll, 10), struct.pack('!HHH8sH', 4, 1, 6, b'\0' * 8, 0x86dd) + ip6(17, udp(1, 2, b'x')),
       struct.pack('!HHH8sH', 0, 1, 6, b'\0' * 8, 0x8100) + struct.pack('!HH', 5, 0x0800) + ipk])
sll2 = struct.pack('!HHIHBB8s', 0x0800, 0, 1, 772, 0, 6, b'\0' * 8) + ipk
write('decode-crafted-sll2.pcap', 276, [sll2, cut(sll2, 10), struct.pack('!HHIHBB8s', 0x86dd, 0, 1, 772, 4, 6, b'\0' * 8) + ip6(6, t)])
write('decode-crafted-null.pcap', 0,
      [struct.pack('<I', 2) + ipk, struct.pack('>I', 2) + ipk, struct.pack('<I', 30) + ip6(6, t),
       struct.pack('<I', 28) + ip6(6, t), struct.pack('<I', 24) + ip6(6, t), b'\2\0'])
write('decode-crafted-loop.pcap', 108, [struct.pack('>I', 2) + ipk, struct.pack('<I', 2) + ipk, struct.pack('>I', 24) + ip6(6, t), b'\0\0'])
write('decode-crafted-raw.pcap', 12, [ipk, ip6(17, udp(1, 2, b'x')), b'\x55' * 20])
write('decode-crafted-ipv4.pcap', 228, [ipk, ip6(6, t), ipk[:1]])
