#!/bin/sh
# decode-captures.sh — regenerates tests/data/decode-*.pcap and the text
# tcpdump printed for them (decode-*.tcpdump.txt), which tests/unit/
# check_summary.c compares sk_packet_summary() with, packet by packet.
#
# Needs root (live capture on lo), tcpdump and python3. Run from anywhere:
#     sudo tests/data/decode-captures.sh
# then commit the .pcap and .tcpdump.txt files. The unit tests only read them.
#
#   decode-tcp4.pcap   IPv4: handshake, data both ways, FIN from each side (Linux
#                      options: mss, sackOK, TS, nop, wscale), and a connect()
#                      to a closed port (RST)
#   decode-ip6.pcap    IPv6: the same TCP exchange, and UDP datagrams
#   decode-icmp.pcap   UDP to closed ports on 127.0.0.1 and ::1: ICMP and
#                      ICMPv6 port unreachable
#   decode-snap.pcap   a TCP exchange captured with -s 80: payloads cut
#   decode-crafted*.pcap  hand-made frames (decode-crafted.py, no root needed):
#                      cut and malformed headers, every TCP option, IPv6
#                      extension headers, ICMP/ICMPv6 messages, each link type
set -eu
cd "$(dirname "$0")"

traffic() {
    python3 - "$1" <<'EOF'
import socket, sys, time
what = sys.argv[1]

def tcp(family, host):
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, 46666))
    srv.listen(1)
    cli = socket.socket(family, socket.SOCK_STREAM)
    cli.connect((host, 46666))
    conn, _ = srv.accept()
    cli.sendall(b"HelloWorld!!!")
    conn.recv(100)
    conn.sendall(b"goodbye!!!")
    cli.recv(100)
    time.sleep(0.05)
    cli.sendall(b"x" * 300)          # a segment longer than the snapshot
    conn.recv(1000)
    time.sleep(0.05)
    cli.shutdown(socket.SHUT_WR)      # client's FIN
    conn.recv(100)
    conn.close()                      # server's FIN
    cli.recv(100)
    cli.close()
    srv.close()
    refused = socket.socket(family, socket.SOCK_STREAM)
    try:
        refused.connect((host, 46667))  # nobody listens: RST
    except OSError:
        pass
    refused.close()

def udp(family, host):
    rx = socket.socket(family, socket.SOCK_DGRAM)
    rx.bind((host, 46000))
    tx = socket.socket(family, socket.SOCK_DGRAM)
    tx.bind((host, 45000))
    for msg in (b"HelloWorld!!!", b"", b"y" * 1000):
        tx.sendto(msg, (host, 46000))
        rx.recvfrom(2000)
    tx.close()
    rx.close()

def unreachable(family, host):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.connect((host, 47777))
    s.send(b"HelloWorld!!!")
    time.sleep(0.1)
    try:
        s.recv(100)
    except OSError:
        pass                           # ECONNREFUSED: the ICMP error arrived
    s.close()

if what == "tcp4":
    tcp(socket.AF_INET, "127.0.0.1")
elif what == "ip6":
    tcp(socket.AF_INET6, "::1")
    udp(socket.AF_INET6, "::1")
elif what == "icmp":
    unreachable(socket.AF_INET, "127.0.0.1")
    unreachable(socket.AF_INET6, "::1")
elif what == "snap":
    tcp(socket.AF_INET, "127.0.0.1")
EOF
}

capture() { # name snaplen filter
    tcpdump -i lo -s "$2" -U -w "decode-$1.pcap" "$3" 2>/dev/null &
    pid=$!
    sleep 1
    traffic "$1"
    sleep 1
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    tcpdump -n -S -tt -r "decode-$1.pcap" > "decode-$1.tcpdump.txt" 2>/dev/null
}

# Ports of our own, so that other programs on lo stay out of the files.
capture tcp4 262144 'ip and tcp and (port 46666 or port 46667)'
capture ip6 262144 'ip6 and (tcp port 46666 or tcp port 46667 or udp port 46000)'
capture icmp 262144 'udp port 47777 or (icmp and icmp[30:2] = 47777) or (icmp6 and ip6[90:2] = 47777)'
capture snap 80 'ip and tcp and (port 46666 or port 46667)'
python3 decode-crafted.py
for f in decode-crafted*.pcap; do
    tcpdump -n -S -tt -r "$f" > "${f%.pcap}.tcpdump.txt" 2>/dev/null
done
ls -l decode-*
