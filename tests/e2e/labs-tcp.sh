#!/usr/bin/env bash
# labs-tcp: lab-tcp-client and lab-tcp-server on loopback — utf8 and hex,
# echo, IPv6, half-open with --shutdown, and nc / socat as the other end.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/labs-lib.bash"

# ---------------------------------------------------------------- utf8 and hex
port=$(t_free_port)
server_bg "$T_TMP/s1" --port "$port" --max-clients 2
out=$(lab tcp-client --port "$port" 2>&1); rc=$?
t_status "client (utf8) exit" 0 "$rc"
t_match "client connect line" "^\[connect\] 127\.0\.0\.1:[0-9]+ → 127\.0\.0\.1:$port  socket\(\) → connect\(\)" "$out"
t_contains "client wrote the notes' message" "[write] write() → 13 bytes: HelloWorld!!!" "$out"
t_contains "client got the notes' answer" "[data] read() → 10 bytes (utf8): goodbye!!!" "$out"
t_contains "client closed with FIN" "[close] close(fd 3): FIN sent" "$out"
out=$(lab tcp-client --port "$port" --encoding hex --message 'Hi!' 2>&1); rc=$?
t_status "client (hex) exit" 0 "$rc"
t_contains "hex shows the answer's bytes" "[data] read() → 10 bytes (hex): 676f6f64627965212121" "$out"
wait_for_exit "$SERVER_PID"
t_status "server exits after --max-clients 2" 0 "$LAB_RC"
s=$(cat "$T_TMP/s1")
t_contains "server listening line" "[listening] 127.0.0.1:$port  socket() → bind() → listen(backlog 5)" "$s"
t_match "server connection line" "^\[connection\] 127\.0\.0\.1:[0-9]+  accept\(\) → fd 4$" "$s"
t_contains "server read the message" "[data] read() → 13 bytes (utf8): HelloWorld!!!" "$s"
t_contains "server read the second message" "[data] read() → 3 bytes (utf8): Hi!" "$s"
t_contains "server answered" "[write] write() → 10 bytes: goodbye!!!" "$s"
t_contains "server saw the client's FIN" "[end] peer sent FIN: read() returned 0" "$s"
t_eq "two connections served" 2 "$(grep -c '^\[connection\]' <<<"$s")"
t_contains "server closed its port" "[close] server closed: close(fd 3)" "$s"

# Server-side hex, a reply of our own, and bytes that are not text.
port=$(t_free_port)
server_bg "$T_TMP/s2" --port "$port" --encoding hex --reply 'ok' --max-clients 1
out=$(printf 'a\tb\001\n' | lab tcp-client --port "$port" --stdin 2>&1)
t_contains "client shows control bytes escaped" "[write] write() → 5 bytes: a\\tb\\x01\\n" "$out"
t_contains "custom reply" "[data] read() → 2 bytes (utf8): ok" "$out"
wait "$SERVER_PID"
t_contains "server shows hex" "[data] read() → 5 bytes (hex): 610962010a" "$(cat "$T_TMP/s2")"

# ---------------------------------------------------------------------- echo
port=$(t_free_port)
server_bg "$T_TMP/s3" --port "$port" --echo --max-clients 1 --quiet
head -c 100000 /dev/urandom >"$T_TMP/blob"
lab tcp-client --port "$port" --stdin --shutdown --raw <"$T_TMP/blob" >"$T_TMP/blob.back" 2>"$T_TMP/c3.err"
t_status "echo client exit" 0 "$?"
t_eq "100000 random bytes echoed exactly" "$(sha256sum <"$T_TMP/blob" | cut -d' ' -f1)" \
    "$(sha256sum <"$T_TMP/blob.back" | cut -d' ' -f1)"
t_contains "--raw sends the event lines to stderr" "[end] peer sent FIN: read() returned 0" "$(cat "$T_TMP/c3.err")"
wait_for_exit "$SERVER_PID"
t_status "quiet echo server exit" 0 "$LAB_RC"
t_eq "--quiet prints nothing" "" "$(cat "$T_TMP/s3")"

# ---------------------------------------------------------------------- IPv6
if [ -e /proc/net/if_inet6 ] && ip -6 addr show dev lo | grep -q '::1'; then
    port=$(t_free_port)
    server_bg "$T_TMP/s6" -6 --port "$port" --max-clients 1
    out=$(lab tcp-client -6 --port "$port" 2>&1)
    t_status "IPv6 client exit" 0 "$?"
    t_match "IPv6 connect line" "^\[connect\] \[::1\]:[0-9]+ → \[::1\]:$port " "$out"
    t_contains "IPv6 answer" "goodbye!!!" "$out"
    wait "$SERVER_PID"
    t_contains "IPv6 listening" "[listening] [::1]:$port" "$(cat "$T_TMP/s6")"
    t_match "IPv6 connection" "^\[connection\] \[::1\]:[0-9]+  accept\(\)" "$(cat "$T_TMP/s6")"
    # --host ::1 alone picks IPv6 too; an IPv4 server cannot take an IPv6 client.
    out=$(lab tcp-client --host ::1 --port "$port" 2>&1)
    t_status "nothing on [::1] now: refused" 1 "$?"
    t_contains "IPv6 refusal names the address" "nothing listens on [::1]:$port" "$out"
else
    t_fail "this machine has no IPv6 on lo; the IPv6 cases need it"
fi

# ---------------------------------------------- half-open: --shutdown + --half-open
port=$(t_free_port)
server_bg "$T_TMP/s4" --port "$port" --half-open --reply 'late!' --max-clients 1
out=$(lab tcp-client --port "$port" --shutdown 2>&1)
t_status "half-close client exit" 0 "$?"
t_contains "client half-closes" "[end()] shutdown(SHUT_WR): our FIN is sent; we read on until the server's FIN" "$out"
# Both answers may come in one read or two: count the bytes.
t_eq "the answer and the late data after our FIN both arrive" "late!late!" \
    "$(sed -n 's/^\[data\] read() → [0-9]* bytes (utf8): //p' <<<"$out" | tr -d '\n')"
t_contains "then the server's FIN" "[end] peer sent FIN: read() returned 0" "$out"
wait "$SERVER_PID"
s=$(cat "$T_TMP/s4")
t_contains "server writes after the client's FIN" "[write] write() after the peer's FIN → 5 bytes: late! (half-open)" "$s"
# Order on the server: end, then the late write, then close.
t_eq "server order: end → late write → close" "end write close" \
    "$(grep -oE '^\[(end|write|close)\]' <<<"$s" | tail -4 | head -3 | tr -d '[]' | tr '\n' ' ' | sed 's/ $//')"

# --end-after-reply: the server closes its direction first.
port=$(t_free_port)
server_bg "$T_TMP/s5" --port "$port" --end-after-reply --max-clients 1
out=$(lab tcp-client --port "$port" 2>&1)
t_contains "client sees the server's FIN after the answer" "[end] peer sent FIN: read() returned 0" "$out"
wait "$SERVER_PID"
t_contains "server used end()" "[end()] shutdown(SHUT_WR): our FIN is sent" "$(cat "$T_TMP/s5")"
t_contains "server closed after its FIN" "[close] close(fd 4): our FIN was already sent" "$(cat "$T_TMP/s5")"

# --close-delay: the server stays in CLOSE_WAIT (seen with ss) until it closes.
port=$(t_free_port)
server_bg "$T_TMP/s7" --port "$port" --close-delay 1500 --max-clients 1
lab tcp-client --port "$port" >/dev/null 2>&1
t_true "server side in CLOSE_WAIT during --close-delay" \
    t_wait_for 3 sh -c "ss -Htan state close-wait '( sport = :$port )' | grep -q ."
t_true "client side in FIN_WAIT_2 meanwhile (once the delayed ACK of its FIN came)" \
    t_wait_for 3 sh -c "ss -Htan state fin-wait-2 '( dport = :$port )' | grep -q ."
wait "$SERVER_PID"
t_contains "server said it waits" "[pause] waiting 1500 ms before close()" "$(cat "$T_TMP/s7")"

# --repeat / --interval / --nodelay: every message arrives, in order.
port=$(t_free_port)
server_bg "$T_TMP/s8" --port "$port" --max-clients 1 --nodelay
out=$(lab tcp-client --port "$port" --nodelay --repeat 5 --interval 20 --message 'ab' --shutdown 2>&1)
t_eq "5 writes" 5 "$(grep -c '^\[write\]' <<<"$out")"
wait "$SERVER_PID"
t_eq "server got all 10 bytes" "ababababab" \
    "$(sed -n 's/^\[data\] read() → [0-9]* bytes (utf8): //p' "$T_TMP/s8" | tr -d '\n')"

# ------------------------------------------------------ other programs as peers
# socat as the server (an echo), the lab client talking to it.
port=$(t_free_port)
socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr" EXEC:cat &
spid=$!
t_defer "kill $spid"
t_wait_for 5 sh -c "ss -Htln '( sport = :$port )' | grep -q ." || t_fail "socat did not listen"
out=$(lab tcp-client --port "$port" --message 'to socat' --shutdown 2>&1)
t_status "client ↔ socat exit" 0 "$?"
t_contains "socat echoed" "[data] read() → 8 bytes (utf8): to socat" "$out"
t_contains "socat closed after our FIN" "[end] peer sent FIN" "$out"

# nc as the client, the lab server answering it.
port=$(t_free_port)
server_bg "$T_TMP/s9" --port "$port" --max-clients 1
got=$(printf 'from nc' | timeout 10 nc -N 127.0.0.1 "$port")
t_eq "nc got the server's answer" "goodbye!!!" "$got"
wait_for_exit "$SERVER_PID"
t_status "server after nc" 0 "$LAB_RC"
t_contains "server read nc's bytes" "[data] read() → 7 bytes (utf8): from nc" "$(cat "$T_TMP/s9")"

t_done
