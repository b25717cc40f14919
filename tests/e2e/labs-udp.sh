#!/usr/bin/env bash
# labs-udp: lab-udp-send and lab-udp-recv on loopback — offset/length, rinfo,
# answers, IPv6, connect() to a closed port (ICMP → ECONNREFUSED), socat as
# the other end.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/labs-lib.bash"
SERVER=udp-recv

# ------------------------------------------------- send/recv with offset/length
port=$(t_free_port)
server_bg "$T_TMP/r1" --port "$port" --count 3 --reply pong
out=$(lab udp-send --port "$port" --offset 5 --length 5 --wait 2000 HelloWorld!!! 2>&1); rc=$?
t_status "sender exit" 0 "$rc"
t_contains "send(buf, 5, 5): bytes 5..9 only" "[send] sendto() → 5 bytes to 127.0.0.1:$port: callback(null, 5): World" "$out"
t_match "sender got the answer with its rinfo" \
    "^\[message\] recvfrom\(\) → 4 bytes, rinfo \{address: '127\.0\.0\.1', family: 'IPv4', port: $port, size: 4\} \(utf8\): pong$" "$out"
# --count 2 --interval: two datagrams, each its own message (boundaries kept).
out=$(lab udp-send --port "$port" --count 2 --interval 50 --length 3 abcdef 2>&1)
t_eq "two sends" 2 "$(grep -c '^\[send\]' <<<"$out")"
wait_for_exit "$SERVER_PID"
t_status "receiver exits after --count 3" 0 "$LAB_RC"
r=$(cat "$T_TMP/r1")
t_contains "receiver listening line" "[listening] 127.0.0.1:$port  socket() → bind()" "$r"
t_match "receiver: rinfo of the first datagram" \
    "^\[message\] recvfrom\(\) → 5 bytes, rinfo \{address: '127\.0\.0\.1', family: 'IPv4', port: [0-9]+, size: 5\} \(utf8\): World$" "$r"
t_eq "receiver: two 3-byte datagrams, not one of 6" 2 \
    "$(grep -c "size: 3} (utf8): abc$" <<<"$r")"
t_match "receiver answered the sender's port" "^\[send\] sendto\(\) → 4 bytes to 127\.0\.0\.1:[0-9]+: pong$" "$r"
# The rinfo port is the sender's own (ephemeral) port.
sport=$(sed -n "s/^\[message\].*port: \([0-9]*\), size: 5}.*/\1/p" <<<"$r")
t_true "rinfo.port is an ephemeral port, not the receiver's" test "$sport" != "$port" -a "$sport" -gt 1023
t_contains "receiver closes" "[close] close(fd 3): nothing goes on the wire for UDP" "$r"

# hex on the receiver; an empty datagram is a datagram too.
port=$(t_free_port)
server_bg "$T_TMP/r2" --port "$port" --count 2 --encoding hex
lab udp-send --port "$port" 'Hi' >/dev/null 2>&1
lab udp-send --port "$port" --length 0 'Hi' >/dev/null 2>&1
wait "$SERVER_PID"
t_contains "hex" "size: 2} (hex): 4869" "$(cat "$T_TMP/r2")"
t_contains "zero-length datagram" "recvfrom() → 0 bytes, rinfo" "$(cat "$T_TMP/r2")"

# ---------------------------------------------------------------------- IPv6
port=$(t_free_port)
server_bg "$T_TMP/r6" -6 --port "$port" --count 1 --reply v6
out=$(lab udp-send -6 --port "$port" --wait 2000 hello6 2>&1)
t_match "IPv6 rinfo" "rinfo \{address: '::1', family: 'IPv6', port: $port, size: 2\} \(utf8\): v6" "$out"
wait "$SERVER_PID"
t_match "IPv6 receiver rinfo" "rinfo \{address: '::1', family: 'IPv6', port: [0-9]+, size: 6\}" "$(cat "$T_TMP/r6")"

# ------------------------------------------ nobody there: --connect vs not
port=$(t_free_port)
lab udp-send --port "$port" --count 2 --interval 200 hi >"$T_TMP/out" 2>&1; rc=$?
t_status "unconnected send to a closed port: no error (the ICMP is not for us)" 0 "$rc"
t_eq "both datagrams sent" 2 "$(grep -c '^\[send\]' "$T_TMP/out")"
lab udp-send --port "$port" --connect --count 2 --interval 200 hi >"$T_TMP/out" 2>"$T_TMP/err"; rc=$?
t_status "connected send to a closed port: exit 1" 1 "$rc"
t_contains "connect() sends nothing" "[connect] 127.0.0.1:$port  connect(): nothing was sent; the peer is fixed" "$(cat "$T_TMP/out")"
t_eq "the first datagram went" 1 "$(grep -c '^\[send\]' "$T_TMP/out")"
t_eq "one error line" 1 "$(count_lines "$(cat "$T_TMP/err")")"
t_contains "the ICMP came back as ECONNREFUSED on the next call" \
    "[error] sendto(): ECONNREFUSED — an ICMP port unreachable came back: nothing listens on UDP 127.0.0.1:$port" "$(cat "$T_TMP/err")"
# ... or on recvfrom, when that is the next call.
lab udp-send --port "$port" --connect --wait 1000 hi >/dev/null 2>"$T_TMP/err"; rc=$?
t_status "connected, then waiting: exit 1" 1 "$rc"
t_contains "recvfrom() reports it" "[error] recvfrom(): ECONNREFUSED" "$(cat "$T_TMP/err")"
# Unconnected and waiting: a plain timeout, not an error.
out=$(lab udp-send --port "$port" --wait 300 hi 2>&1); rc=$?
t_status "unconnected wait: exit 0" 0 "$rc"
t_contains "timeout said" "[timeout] no answer within 300 ms: recvfrom() gave up (SO_RCVTIMEO)" "$out"

# ------------------------------------------------------ socat as the other end
port=$(t_free_port)
socat -u "UDP-RECV:$port,bind=127.0.0.1" "OPEN:$T_TMP/socat.out,creat" &
spid=$!
t_defer "kill $spid"
t_wait_for 5 sh -c "ss -Huln '( sport = :$port )' | grep -q ." || t_fail "socat did not bind"
lab udp-send --port "$port" --offset 1 --length 4 'xsocat' >/dev/null 2>&1
t_true "socat received exactly the 4 bytes" t_wait_for 3 grep -qx 'soca' "$T_TMP/socat.out"
port=$(t_free_port)
server_bg "$T_TMP/r7" --port "$port" --count 1
printf 'from socat' | timeout 5 socat -u - "UDP-SENDTO:127.0.0.1:$port"
wait "$SERVER_PID"
t_contains "receiver got socat's datagram" "size: 10} (utf8): from socat" "$(cat "$T_TMP/r7")"

t_done
