#!/usr/bin/env bash
# labs-step: step mode — before each socket call the lab says what it will
# put on the wire and waits: for Enter on the terminal, or for a "go"
# datagram on a control socket (what the UI's demo mode uses), with a STEP
# event first. Nothing happens on the wire until the go.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/labs-lib.bash"

ev="$T_TMP/ev.sock"
raw="$T_TMP/ev.raw"
ctl="$T_TMP/ctl.sock"
events_bg "$ev" "$raw"

steps() { sed 's/sockscope-event 1\t/\n&/g' "$raw" | grep -aP '\tkind=step\t' | grep -oP '\tcall=\K[^\t]*' | tr '\n' ' ' | sed 's/ $//'; }
calls() { sed 's/sockscope-event 1\t/\n&/g' "$raw" | grep -aP '\tkind=call\t' | grep -oP '\tcall=\K[^\t]*' | tr '\n' ' ' | sed 's/ $//'; }
go() { printf '%s' "${1:-go}" | timeout 5 socat -u - "UNIX-SENDTO:$ctl"; }
# wait_steps N: until N step events came.
wait_steps() {
    t_wait_for 5 sh -c "sed 's/sockscope-event 1\t/\n&/g' '$raw' | grep -c 'kind=step' | grep -qx $1"
}

# --------------------------------------------------------- the control socket
port=$(t_free_port)
server_bg "$T_TMP/s" --port "$port" --max-clients 1
lab_bg "$T_TMP/c" tcp-client --port "$port" --control "$ctl" --events "$ev"
cpid=$LAB_PID
t_true "the first step event comes" wait_steps 1
t_true "the control socket is bound" test -S "$ctl"
t_eq "waiting before socket(): no call made yet" "socket" "$(steps)"
t_eq "no call event yet" "" "$(calls)"
t_contains "it said what socket() does" "[step] socket(): nothing goes on the wire" "$(cat "$T_TMP/c")"

go
t_true "second step" wait_steps 2
t_eq "socket() made, now before connect()" "socket" "$(calls)"
t_contains "connect's step says SYN / SYN-ACK" \
    "[step] connect(): the kernel will send SYN and wait for SYN-ACK" "$(cat "$T_TMP/c")"
t_contains "the STEP event carries the sentence" \
    "note=connect(): the kernel will send SYN and wait for SYN-ACK" "$(sed 's/sockscope-event 1\t/\n&/g' "$raw")"
sleep 0.3
t_eq "nothing on the wire yet: no connection at the server" "" \
    "$(ss -Htan state established "( dport = :$port )")"
t_lacks "the server saw no one" "[connection]" "$(cat "$T_TMP/s")"

go
t_true "third step" wait_steps 3
t_true "after the go: connected" t_wait_for 5 grep -q '^\[connection\]' "$T_TMP/s"
t_eq "now before write()" "socket connect write" "$(steps)"
t_contains "write's step names the bytes" "[step] write(): the kernel will send these 13 bytes" "$(cat "$T_TMP/c")"
t_lacks "the server has no data yet" "[data]" "$(cat "$T_TMP/s")"

# Garbage on the control socket is ignored; go goes on.
go "hello?"
sleep 0.2
t_eq "garbage is not a go" "socket connect write" "$(steps)"
go
t_true "fourth step (read)" wait_steps 4
t_true "the server got the data" t_wait_for 5 grep -q '^\[data\]' "$T_TMP/s"

# quit: a clean exit (status 0), the control socket removed.
go quit
wait_for_exit "$cpid"
t_status "quit: exit 0" 0 "$LAB_RC"
t_contains "quit said" "[step] quit: the lab stops here." "$(cat "$T_TMP/c")"
t_true "the control socket file is removed" test ! -e "$ctl"
kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null

# SOCKSCOPE_CONTROL with --step, through to the end: one step per socket call.
: >"$raw"
port=$(t_free_port)
SERVER=udp-recv server_bg "$T_TMP/r" --port "$port" --count 1
SOCKSCOPE_CONTROL="$ctl" lab_bg "$T_TMP/u" udp-send --step --port "$port" --events "$ev" hi
upid=$LAB_PID
for n in 1 2 3; do
    wait_steps "$n" || t_fail "step $n did not come"
    go
done
wait_for_exit "$upid"
t_status "udp-send stepped to the end" 0 "$LAB_RC"
t_eq "steps: socket, sendto, close" "socket sendto close" "$(steps)"
t_contains "sendto's step" "[step] sendto(): the kernel will send one UDP datagram of 2 bytes to 127.0.0.1:$port" "$(cat "$T_TMP/u")"
wait "$SERVER_PID"

# ------------------------------------------------------------- the terminal
# No controlling terminal (setsid): Enter is read from standard input.
port=$(t_free_port)
server_bg "$T_TMP/s" --port "$port" --max-clients 1
out=$(printf '\n\n\n\n\n\n\n\n' | timeout 20 setsid -w "$BIN/lab-tcp-client" --port "$port" --step 2>&1); rc=$?
t_status "stepped with Enter: exit 0" 0 "$rc"
t_eq "one pause per socket call: socket connect write read close" 5 "$(grep -c '^\[step\]' <<<"$out")"
t_contains "the pause asks for Enter" "[Enter: go on, q Enter: quit]" "$out"
t_contains "and the lab went through" "[data] read() → 10 bytes (utf8): goodbye!!!" "$out"
t_contains "close's step knows what it sends" "[step] close(): the kernel will send FIN; we close first" "$out"
wait "$SERVER_PID"

# q at the second pause: socket() made, connect() never.
port=$(t_free_port)
server_bg "$T_TMP/s" --port "$port" --max-clients 1
out=$(printf '\nq\n' | timeout 20 setsid -w "$BIN/lab-tcp-client" --port "$port" --step 2>&1); rc=$?
t_status "q: exit 0" 0 "$rc"
t_eq "q: two pauses" 2 "$(grep -c '^\[step\] [a-z]*():' <<<"$out")"
t_lacks "q: no connect" "[connect]" "$out"
sleep 0.2
t_lacks "the server saw no one" "[connection]" "$(cat "$T_TMP/s")"
# End of input: the lab runs on without pauses.
out=$(printf '\n' | timeout 20 setsid -w "$BIN/lab-tcp-client" --port "$port" --step 2>&1); rc=$?
t_status "end of input: exit 0" 0 "$rc"
t_contains "end of input said" "[step] end of input: running on without pauses." "$out"
t_contains "and it ran" "goodbye!!!" "$out"
wait "$SERVER_PID"

# The server in step mode: listen()'s and accept()'s sentences.
port=$(t_free_port)
lab_bg "$T_TMP/s" tcp-server --port "$port" --max-clients 1 --control "$ctl"
spid=$LAB_PID
: >"$raw"
# Three go's for socket, bind, listen: a go sent early waits in the socket
# for the next pause (each go lets one call through).
t_wait_for 5 test -S "$ctl" || t_fail "no control socket"
go; go; go
t_true "the server listens after socket, bind, listen" t_wait_for 5 grep -q '^\[listening\]' "$T_TMP/s"
t_true "and pauses before accept()" t_wait_for 5 grep -q '^\[step\] accept()' "$T_TMP/s"
t_contains "listen's step" "[step] listen(): nothing goes on the wire; from now on the kernel answers SYNs with SYN-ACK" "$(cat "$T_TMP/s")"
t_contains "accept's step" "[step] accept(): nothing goes on the wire; it waits until the kernel has finished a handshake" "$(cat "$T_TMP/s")"
go quit
wait_for_exit "$spid"
t_status "server quit: exit 0" 0 "$LAB_RC"

t_done
