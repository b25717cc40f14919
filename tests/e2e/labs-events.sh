#!/usr/bin/env bash
# labs-events: the labs' syscall events, received on a UNIX socket (socat):
# every call in order, nothing lost, plausible kernel states (SYN_SENT never
# after ESTABLISHED, TIME_WAIT only on the side that closed first, accept →
# ESTABLISHED, read() → 0 with CLOSE_WAIT), wall-clock times that bracket the
# packets (tcpdump, when root), no effect when nobody listens.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/labs-lib.bash"

ev="$T_TMP/ev.sock"
raw="$T_TMP/ev.raw"
events_bg "$ev" "$raw"

# wait_exits N: until N processes reported their exit.
wait_exits() {
    t_wait_for 5 sh -c "sed 's/sockscope-event 1\t/\n&/g' '$raw' | grep -c 'call=exit' | grep -qx $1" ||
        t_fail "expected $1 exit events, got $(events_lines "$raw" | grep -c call=exit)"
}

# calls PROG TABLE: "call:ret:state" of one program's call events, in order.
calls() { awk -v p="$1" '$1 == p && $4 == "call" { printf "%s:%s:%s\n", $5, $6, $9 }' <<<"$2"; }
# field PROG CALL N TABLE: field N of the first call event CALL of PROG.
field() { awk -v p="$1" -v c="$2" -v n="$3" '$1 == p && $4 == "call" && $5 == c { print $n; exit }' <<<"$4"; }

# Invariants every run must keep, checked on the whole table.
check_invariants() { # WHAT TABLE
    local what=$1 table=$2 bad
    # In order and nothing lost: each process numbers its events 1, 2, 3 ...
    bad=$(awk '{ if ($3 != seen[$2] + 1) print "pid " $2 " seq " $3 " after " seen[$2]; seen[$2] = $3 }' <<<"$table")
    t_eq "$what: events arrive in order, none lost" "" "$bad"
    # (ns since the epoch: 19 digits, compared as strings, beyond awk's doubles)
    bad=$(awk 'length($11) != 19 || length($12) != 19 || ($11 "") > ($12 "") || ($11 "") < (last[$2] "") { print }
               { last[$2] = $11 }' <<<"$table")
    t_eq "$what: t0 <= t1, and t0 never goes back within a process" "" "$bad"
    # Per socket: once ESTABLISHED, never SYN_SENT again (until it is closed).
    bad=$(awk '$4 == "call" { k = $2 "/" $8
                 if ($9 == "ESTABLISHED") est[k] = 1
                 if ($9 == "SYN_SENT" && est[k]) print
                 if ($5 == "close") delete est[k] }' <<<"$table")
    t_eq "$what: SYN_SENT never after ESTABLISHED on a socket" "" "$bad"
    bad=$(awk '$1 != "lab-tcp-client" && $1 != "lab-tcp-server" && $1 != "lab-udp-send" && $1 != "lab-udp-recv"' <<<"$table")
    t_eq "$what: program names" "" "$bad"
    t_eq "$what: each process starts with a start event" "" \
        "$(awk '$3 == 1 && !($4 == "info" && $5 == "start")' <<<"$table")"
}

# ----------------------------------------------- A: the client closes first
port=$(t_free_port)
cap=""
if [ "$(id -u)" = 0 ] && command -v tcpdump >/dev/null; then
    cap="$T_TMP/a.pcap"
    tcpdump -Z root --immediate-mode -i lo -U -n -w "$cap" "tcp port $port" 2>"$T_TMP/tcpdump.err" &
    tpid=$!
    t_defer "kill $tpid"
    t_wait_for 5 grep -q 'listening on' "$T_TMP/tcpdump.err" || t_fail "tcpdump did not start"
fi
start_ns=$(date +%s%N)
SOCKSCOPE_EVENTS="$ev" server_bg "$T_TMP/s" --port "$port" --max-clients 1
lab tcp-client --port "$port" --shutdown --events "$ev" >"$T_TMP/c" 2>&1
t_status "client A exit" 0 "$?"
wait "$SERVER_PID"
end_ns=$(date +%s%N)
wait_exits 2
table=$(events_table "$raw")
check_invariants "A" "$table"

c_calls=$(calls lab-tcp-client "$table")
t_eq "A client: the calls in order, with their results" \
    "socket:3 connect:0 write:13 shutdown:0 read:10 read:0 close:0" \
    "$(cut -d: -f1,2 <<<"$c_calls" | tr '\n' ' ' | sed 's/ $//')"
# The kernel's state after each call. On loopback the server may answer,
# see our FIN and send its own before shutdown() or the read() returns: then
# we are in TIME_WAIT already.
t_match "A client: states" \
    '^CLOSED ESTABLISHED ESTABLISHED (FIN_WAIT_[12]|TIME_WAIT) (FIN_WAIT_[12]|TIME_WAIT) TIME_WAIT TIME_WAIT$' \
    "$(cut -d: -f3 <<<"$c_calls" | tr '\n' ' ' | sed 's/ $//')"
s_calls=$(calls lab-tcp-server "$table")
t_eq "A server: socket, bind, listen" "socket:3:CLOSED bind:0:CLOSED listen:0:LISTEN" \
    "$(head -3 <<<"$s_calls" | tr '\n' ' ' | sed 's/ $//')"
t_match "A server: accept → fd 4, connected" '^accept:4:(ESTABLISHED|CLOSE_WAIT)$' "$(sed -n 4p <<<"$s_calls")"
t_eq "A server: read the message, answered" "read:13 write:10" \
    "$(sed -n '5,6p' <<<"$s_calls" | cut -d: -f1,2 | tr '\n' ' ' | sed 's/ $//')"
t_eq "A server: read() → 0 with CLOSE_WAIT (the passive closer)" "read:0:CLOSE_WAIT" "$(sed -n 7p <<<"$s_calls")"
t_match "A server: close → LAST_ACK or CLOSED" '^close:0:(LAST_ACK|CLOSED)$' "$(sed -n 8p <<<"$s_calls")"
t_eq "A server: then the listener" "close:0:CLOSED" "$(sed -n 9p <<<"$s_calls")"
t_eq "A: TIME_WAIT only on the client, the side that closed first" "" \
    "$(awk '$1 == "lab-tcp-server" && $9 == "TIME_WAIT"' <<<"$table")"
# Node's names for the calls.
t_eq "A node names (client)" "- connect write() end() data end close" \
    "$(awk '$1 == "lab-tcp-client" && $4 == "call" { printf "%s ", $10 }' <<<"$table" | sed 's/ $//')"
t_eq "A node names (server)" "- - listening connection data write() end close close" \
    "$(awk '$1 == "lab-tcp-server" && $4 == "call" { printf "%s ", $10 }' <<<"$table" | sed 's/ $//')"
# The same 4-tuple, seen from both ends.
c_local=$(field lab-tcp-client connect 13 "$table")
t_match "A client local address" "^127\.0\.0\.1:[0-9]+$" "$c_local"
t_eq "A client remote" "127.0.0.1:$port" "$(field lab-tcp-client connect 14 "$table")"
t_eq "A server accept: remote is the client" "$c_local" "$(field lab-tcp-server accept 14 "$table")"
t_eq "A server accept: local is the server" "127.0.0.1:$port" "$(field lab-tcp-server accept 13 "$table")"
t_eq "A one pid per program" 2 "$(awk '{ print $1, $2 }' <<<"$table" | sort -u | wc -l)"
bad=$(awk -v a="$start_ns" -v b="$end_ns" '($11 "") < a || ($12 "") > b' <<<"$table")
t_eq "A times are wall-clock (CLOCK_REALTIME) within the run" "" "$bad"
t_eq "A args and errors: connect" "fd 3, 127.0.0.1:$port" \
    "$(events_lines "$raw" | grep -P '\tcall=connect\t' | sed 's/.*\targs=\([^\t]*\).*/\1/')"

if [ -n "$cap" ]; then
    sleep 0.3
    kill -TERM "$tpid"; wait "$tpid"
    # Packet times in microseconds: SYN, the client's FIN, the server's FIN.
    pk=$(tcpdump -r "$cap" -tt -n 2>/dev/null)
    [ -n "$pk" ] || { echo "empty capture:"; cat "$T_TMP/tcpdump.err"; ls -la "$cap"; } >&2
    us() { sed 's/^\([0-9]*\)\.\([0-9]*\) .*/\1\2/' <<<"$1"; }
    syn=$(us "$(grep -m1 'Flags \[S\]' <<<"$pk")")
    cfin=$(us "$(grep -m1 "> 127.0.0.1.$port: Flags \[F" <<<"$pk")")
    sfin=$(us "$(grep -m1 "127.0.0.1.$port > .*Flags \[F" <<<"$pk")")
    within() { # WHAT PACKET-US PROG CALL
        local t0 t1
        t0=$(awk -v p="$3" -v c="$4" '$1 == p && $5 == c && $4 == "call" { print $11; exit }' <<<"$table")
        t1=$(awk -v p="$3" -v c="$4" '$1 == p && $5 == c && $4 == "call" { print $12; exit }' <<<"$table")
        t0=$((t0 / 1000 - 1000)); t1=$((t1 / 1000 + 1000))
        if [ -n "$2" ] && [ "$2" -ge "$t0" ] && [ "$2" -le "$t1" ]; then t_pass; else
            t_fail "$1: packet at $2 us not within $4() [$t0, $t1] (1 ms slack)"; fi
    }
    within "SYN sent during connect()" "$syn" lab-tcp-client connect
    within "client FIN sent during shutdown()" "$cfin" lab-tcp-client shutdown
    # The server's FIN: its first close() (the connection, not the listener).
    within "server FIN sent during its close()" "$sfin" lab-tcp-server close
else
    echo "  note [labs-events]: not root or no tcpdump: event times not compared with packets" >&2
fi

# -------------------------- B: plain close, the server accepts ESTABLISHED
: >"$raw"
port=$(t_free_port)
SOCKSCOPE_EVENTS="$ev" server_bg "$T_TMP/s" --port "$port" --max-clients 1
SOCKSCOPE_EVENTS="$ev" lab tcp-client --port "$port" >/dev/null 2>&1
wait "$SERVER_PID"
wait_exits 2
table=$(events_table "$raw")
check_invariants "B" "$table"
t_eq "B server: accept → ESTABLISHED (the client waits for the answer)" "ESTABLISHED" \
    "$(field lab-tcp-server accept 9 "$table")"
t_eq "B server: read() → 0 with CLOSE_WAIT" "read:0:CLOSE_WAIT" \
    "$(calls lab-tcp-server "$table" | grep '^read:0:')"
t_match "B client: close() leaves FIN_WAIT (or already TIME_WAIT)" '^close:0:(FIN_WAIT_1|FIN_WAIT_2|TIME_WAIT)$' \
    "$(calls lab-tcp-client "$table" | tail -1)"
t_eq "B: TIME_WAIT never on the server" "" "$(awk '$1 == "lab-tcp-server" && $9 == "TIME_WAIT"' <<<"$table")"
t_eq "B: the exit events say the status" "exit status 0" \
    "$(events_lines "$raw" | grep -P '\tprog=lab-tcp-client\t.*\tcall=exit\t' | sed 's/.*\tnote=\([^\t]*\).*/\1/')"

# ----------------------------- C: refused, and the RST the server answers with
: >"$raw"
port=$(t_free_port)
SOCKSCOPE_EVENTS="$ev" lab tcp-client --port "$port" >/dev/null 2>&1
wait_exits 1
table=$(events_table "$raw")
t_eq "C connect fails with ECONNREFUSED, node 'error'" "-1 ECONNREFUSED error" \
    "$(awk '$5 == "connect" { print $6, $7, $10 }' <<<"$table")"
t_eq "C exit status 1 reported" "exit status 1" \
    "$(events_lines "$raw" | grep -P '\tcall=exit\t' | sed 's/.*\tnote=\([^\t]*\).*/\1/')"

# ------------------------------------------------------------------- D: UDP
: >"$raw"
port=$(t_free_port)
SERVER=udp-recv SOCKSCOPE_EVENTS="$ev" server_bg "$T_TMP/u" --port "$port" --count 1 --reply ok
SOCKSCOPE_EVENTS="$ev" lab udp-send --port "$port" --wait 2000 hello >/dev/null 2>&1
wait "$SERVER_PID"
wait_exits 2
table=$(events_table "$raw")
check_invariants "D" "$table"
t_eq "D sender: sendto to the receiver, no TCP state" "5 - 127.0.0.1:$port message" \
    "$(awk '$1 == "lab-udp-send" && $5 == "sendto" { printf "%s %s %s ", $6, $9, $14 } $1 == "lab-udp-send" && $5 == "recvfrom" { print $10 }' <<<"$table")"
t_eq "D receiver: bind is Node's 'listening'" "listening" "$(field lab-udp-recv bind 10 "$table")"
sender=$(field lab-udp-send sendto 13 "$table")
t_eq "D sender's socket: bound by sendto to a wildcard address" "0.0.0.0" "${sender%:*}"
t_eq "D receiver: recvfrom's remote is the sender" "127.0.0.1:${sender##*:}" \
    "$(field lab-udp-recv recvfrom 14 "$table")"
t_eq "D every call is proto udp" "udp" \
    "$(events_lines "$raw" | grep -P '\tkind=call\t' | grep -oP '\tproto=\K[^\t]*' | sort -u)"

# ------------------------------------- E: nobody listening changes nothing
port=$(t_free_port)
server_bg "$T_TMP/s" --port "$port" --max-clients 1
out=$(lab tcp-client --port "$port" --events "$T_TMP/nobody.sock" -v 2>&1); rc=$?
wait "$SERVER_PID"
t_status "E no listener: the lab runs normally" 0 "$rc"
t_contains "E still talks" "goodbye!!!" "$out"
t_eq "E --verbose says it once" 1 "$(grep -c "events: not delivered to $T_TMP/nobody.sock (ENOENT)" <<<"$out")"
out=$(lab tcp-client --port "$port" --events "$T_TMP/nobody.sock" 2>&1)
t_lacks "E without --verbose: not a word about it" "events" "$out"
# A socket file whose owner is gone (ECONNREFUSED), and a full queue that
# nobody reads (EAGAIN): never blocks, never fails.
socat -u "UNIX-RECV:$T_TMP/stale.sock,unlink-close=0" /dev/null & sp=$!
t_wait_for 5 test -S "$T_TMP/stale.sock"; kill "$sp"; wait "$sp" 2>/dev/null
t_true "E a stale socket file is left" test -S "$T_TMP/stale.sock"
# A receiver that never reads: socat, stopped.
socat -u "UNIX-RECV:$T_TMP/full.sock" /dev/null & fp=$!
t_wait_for 5 test -S "$T_TMP/full.sock"; kill -STOP "$fp"
t_defer "kill -CONT $fp; kill $fp"
port=$(t_free_port)
server_bg "$T_TMP/s" --port "$port" --echo --max-clients 2 --events "$T_TMP/full.sock" --quiet
start=$SECONDS
lab tcp-client --port "$port" --events "$T_TMP/stale.sock" >/dev/null 2>&1; rc1=$?
head -c 300000 /dev/zero | lab tcp-client --port "$port" --stdin --shutdown --raw --quiet \
    --events "$T_TMP/full.sock" | wc -c >"$T_TMP/n"; rc2=${PIPESTATUS[1]}
wait "$SERVER_PID"; rc3=$?
t_status "E stale socket file: fine" 0 "$rc1"
t_status "E full queue: fine" 0 "$rc2"
t_status "E server with a full queue: fine" 0 "$rc3"
t_eq "E all bytes echoed despite the lost events" 300000 "$(cat "$T_TMP/n")"
t_true "E and quickly (no blocking on the events socket)" test $((SECONDS - start)) -lt 10

t_done
