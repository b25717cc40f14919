# Writes tests/data/text-hostile.pcap: a TCP conversation whose payloads try to
# inject terminal escape sequences and invalid UTF-8 (for the escaping tests).
import struct
def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b)//2), b)); s = (s & 0xffff) + (s >> 16); s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
def pkt(src, dst, sp, dp, seq, ack, flags, payload=b''):
    tcp = struct.pack('!HHIIBBHHH', sp, dp, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0, bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    return b'\x02\0\0\0\0\x01\x02\0\0\0\0\x02\x08\x00' + ip + tcp
c, s = [127,0,0,1], [127,0,0,1]
evil = [b'\x1b[2J\x1b[31mPWNED\x1b[0m', b'\x1b]0;owned title\x07bell', b'\x9b31m C1 CSI \xc0\xaf overlong \xed\xa0\x80 surrogate \xe2\x80\xae RTL',
        b'ok \xe4\xbd\xa0\xe5\xa5\xbd utf8\nnewline\ttab\x00nul', b'\xff\xfe\xfd']
pk = [pkt(c, s, 40000, 6666, 1000, 0, 0x02), pkt(s, c, 6666, 40000, 5000, 1001, 0x12), pkt(c, s, 40000, 6666, 1001, 5001, 0x10)]
seq = 1001
for e in evil:
    pk.append(pkt(c, s, 40000, 6666, seq, 5001, 0x18, e)); seq += len(e)
    pk.append(pkt(s, c, 6666, 40000, 5001, seq, 0x10))
pk += [pkt(c, s, 40000, 6666, seq, 5001, 0x11), pkt(s, c, 6666, 40000, 5001, seq + 1, 0x11), pkt(c, s, 40000, 6666, seq + 1, 5002, 0x10)]
out = open('text-hostile.pcap', 'wb')
out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
for i, p in enumerate(pk):
    out.write(struct.pack('<IIII', 1700000000, i * 1000, len(p), len(p)) + p)
