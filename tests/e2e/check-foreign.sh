#!/usr/bin/env bash
# check-foreign: the grader does not depend on our labs. Captures made by
# tcpdump of other programs (socat, nc) pass the scenarios they play, and fail
# the ones they do not; without a sidecar, event steps are skipped. Needs root
# (tcpdump on lo).
source "$(dirname "$0")/../lib.sh"
t_need_root
for tool in tcpdump socat nc; do
    command -v "$tool" >/dev/null || t_skip "$tool is not installed (scripts/install-deps test)"
done

# capture NAME FILTER: tcpdump on lo into $T_TMP/NAME.pcap until stop_capture.
capture() {
    tcpdump -Z root --immediate-mode -i lo -U -n -w "$T_TMP/$1.pcap" "$2" 2>"$T_TMP/$1.tcpdump" &
    TCPDUMP=$!
    t_defer "kill $TCPDUMP"
    t_wait_for 5 grep -q 'listening on' "$T_TMP/$1.tcpdump" || t_fail "tcpdump did not start"
}
stop_capture() {
    sleep 0.3
    kill "$TCPDUMP"
    wait "$TCPDUMP" 2>/dev/null
}

# ---- TCP: socat answers a line (a moment later: after the FIN); nc sends one,
# half-closes (-N) and reads on.
port=$(t_free_port)
capture tcp "tcp port $port"
timeout 10 socat TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr SYSTEM:'read line; sleep 0.2; echo "pong $line"' &
srv=$!
t_wait_for 5 sh -c "ss -Htln '( sport = :$port )' | grep -q ." || t_fail "socat did not listen"
answer=$(printf 'ping\n' | timeout 10 nc -N 127.0.0.1 "$port")
t_eq "the socat server answered" "pong ping" "$answer"
wait "$srv" 2>/dev/null
stop_capture
out=$("$SOCKSCOPE" check handshake "$T_TMP/tcp.pcap")
t_status "nc + socat: check handshake passes" 0 "$?"
t_contains "nc + socat: handshake" "PASS  the three-way handshake completes" "$out"
t_contains "nc + socat: the client closed first" "PASS  the client closes first" "$out"
[ -e "$T_TMP/tcp.pcap.events" ] && t_fail "tcpdump wrote no sidecar, yet one is there"
out=$("$SOCKSCOPE" check half-close "$T_TMP/tcp.pcap")
t_status "nc -N + socat answering after the FIN: check half-close passes" 0 "$?"
t_contains "half-close: the event step is skipped" "SKIP  the client's read() returns 0" "$out"
out=$("$SOCKSCOPE" check --json rst "$T_TMP/tcp.pcap")
t_status "nc + socat: check rst fails" 1 "$?"
t_contains "rst: the failing step" '{"id":"client-resets","result":"fail"' "$out"

# ---- UDP: nc sends a datagram to a port where nothing listens.
port=$(t_free_port)
capture udp "udp port $port or icmp"
printf 'hello\n' | timeout 5 nc -u -w 1 127.0.0.1 "$port" >/dev/null 2>&1
stop_capture
out=$("$SOCKSCOPE" check udp-unreachable "$T_TMP/udp.pcap")
t_status "nc -u to a closed port: check udp-unreachable passes" 0 "$?"
t_contains "the ICMP error" "PASS  the datagram is answered by ICMP port unreachable" "$out"
t_contains "ECONNREFUSED is not on the wire: skipped" "SKIP  the connected socket's next call fails with ECONNREFUSED" "$out"
out=$("$SOCKSCOPE" check --json udp "$T_TMP/udp.pcap")
t_status "nc -u to a closed port: check udp fails" 1 "$?"
t_contains "udp: the failing step" '{"id":"datagrams","result":"fail"' "$out"

# ---- UDP: socat answers each datagram to its sender.
port=$(t_free_port)
capture udp2 "udp port $port or icmp"
timeout 10 socat -T 2 UDP-RECVFROM:"$port",bind=127.0.0.1,fork SYSTEM:'cat >/dev/null & echo pong' &
srv=$!
t_wait_for 5 sh -c "ss -Huln '( sport = :$port )' | grep -q ." || t_fail "socat did not bind"
for i in 1 2 3; do
    printf 'ping %s' "$i" | timeout 5 socat -T 1 - UDP-SENDTO:127.0.0.1:"$port",sourceport="$((port + 1))" >/dev/null 2>&1
done
kill "$srv" 2>/dev/null
wait "$srv" 2>/dev/null
stop_capture
out=$("$SOCKSCOPE" check udp "$T_TMP/udp2.pcap")
t_status "socat sender and echoer: check udp passes" 0 "$?"
t_contains "the answers" "PASS  the server answers each datagram" "$out"

t_done
