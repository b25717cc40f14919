#!/bin/sh
# ui-captures.sh — regenerates the captures the UI's end-to-end tests open
# (tests/e2e/ui-*.sh): the lab programs on loopback, captured by tcpdump, with
# the labs' system-call events kept beside the capture (CAPTURE.events).
#
# Needs root (live capture on lo), tcpdump, python3 (receives the events) and
# the lab programs (make). Run from the top of the tree:
#     sudo tests/data/ui-captures.sh [BIN]     (BIN: where lab-* are; default bin)
# then commit the .pcap and .events files. The tests only read them.
#
#   ui-lab.pcap   conversation 0: lab-tcp-server and lab-tcp-client, the
#                 course's exchange (handshake, HelloWorld!!!, goodbye!!!, the
#                 client closes first); conversation 1: a connect() to a port
#                 where nothing listens (SYN, RST); conversation 2: two UDP
#                 datagrams and their answers (lab-udp-send / lab-udp-recv)
set -eu
BIN=${1:-bin}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/ui-lab.pcap
TMP=$(mktemp -d /tmp/sockscope-ui-captures.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
SOCK=$TMP/events.sock

# The events, one per line, as the labs send them.
python3 - "$SOCK" "$TMP/events" <<'EOF' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(2.0)
with open(sys.argv[2], "w") as out:
    while True:
        try:
            d = s.recv(2000)
        except socket.timeout:
            break
        out.write(d.decode() + "\n")
        out.flush()
EOF
PY=$!
tcpdump -i lo -U --immediate-mode -w "$TMP/cap.pcap" 'tcp port 46666 or tcp port 46667 or udp port 46777' 2>/dev/null &
TD=$!
sleep 1

"$BIN/lab-tcp-server" --port 46666 --max-clients 1 --quiet --events "$SOCK" &
SV=$!
sleep 0.3
"$BIN/lab-tcp-client" --port 46666 --quiet --events "$SOCK"
wait $SV
sleep 0.2
"$BIN/lab-tcp-client" --port 46667 --quiet --events "$SOCK" || true
sleep 0.2
"$BIN/lab-udp-recv" --port 46777 --count 2 --reply "ok" --quiet --events "$SOCK" &
RV=$!
sleep 0.3
"$BIN/lab-udp-send" --port 46777 --count 2 --interval 100 --wait 500 --quiet --events "$SOCK"
wait $RV
sleep 1.5 # tcpdump hands over what the kernel buffered
kill $TD
wait $TD || true
wait $PY || true
cp "$TMP/cap.pcap" "$OUT"
grep -v 'kind=info' "$TMP/events" > "$OUT.events" || true
echo "ui-captures: wrote $OUT ($(tcpdump -nr "$OUT" 2>/dev/null | wc -l) packets) and $OUT.events ($(wc -l < "$OUT.events") events)"
