# ui-demo — `sockscope demo` driven in tmux. Alone it lists the scenarios.
# `demo handshake` runs the labs in step mode and captures them: before each
# press the status bar says which call comes next (the lab's own sentence),
# each press lets exactly that call happen, and the call (what it returned)
# and the packets it caused appear: nothing for socket(), bind(), listen();
# SYN, SYN-ACK, ACK after connect()'s go; the data after write()'s; the FINs
# after the close()s. Going back over the packets sends nothing; G returns to
# the newest. The demo says when it is finished; the capture it saved (-w)
# passes `sockscope check handshake`. Quitting, early or with ^C, leaves no lab
# running, the namespaces as they were, the terminal sane. Without privilege:
# one clear message offering the committed capture, exit status 1, no curses.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ui-tmux.inc"
t_need_root
for lab in lab-tcp-server lab-tcp-client; do
    [ -x "$BIN/$lab" ] || t_skip "$BIN/$lab is not built"
done
NETNS_BEFORE=$(ip netns list 2>/dev/null | sort)

# ------------------------------------------------------------ the list
list=$("$SOCKSCOPE" demo); rc=$?
t_status "demo alone: exit 0" 0 "$rc"
t_match "demo alone: the handshake, one line" \
    '^  handshake +connect, data both ways, graceful close \(the client closes first\)$' "$list"
t_match "demo alone: loss too" '^  loss +a lossy, slow link' "$list"
t_eq "one line per scenario (as check --list)" "$("$SOCKSCOPE" check --list | wc -l)" \
    "$(grep -c '^  [a-z]' <<<"$list")"

# ------------------------------------------------------------ the demo
OUT=$T_TMP/demo.pcap
ui_start 120 40
ui_run demo handshake -w "$OUT"

STEP=1
# status_text: the status bar (one or two rows at the bottom) as one line.
status_text() {
    ui_screen | awk 'NF { l[++n] = $0 } END {
        if (l[n - 1] ~ /^ DEMO /) s = l[n - 1] " " l[n]; else s = l[n]
        sub(/^ DEMO +/, "", s); gsub(/  +/, " ", s); print s }'
}
# expect_next CALL PROG: the status bar says step $STEP is CALL() by PROG.
expect_next() {
    local end=$((SECONDS + 10)) s
    while [ $SECONDS -le $end ]; do
        s=$(status_text)
        if [[ $s == "step $STEP: next call: $1(): "*"($2)" ]]; then t_pass; return 0; fi
        sleep 0.05
    done
    t_fail "step $STEP: expected the status bar to say next call $1() by $2; it says: $s"
    return 1
}
# next_call: "CALL PROG" of the step the status bar announces ("" if none).
next_call() {
    status_text | sed -nE 's/^step [0-9]+: next call: ([a-z]+)\(\).*\((lab-[a-z-]+)\)$/\1 \2/p'
}
# go: Space, and the next step (or the end) is announced.
go() {
    ui_keys Space
    STEP=$((STEP + 1))
    local end=$((SECONDS + 15))
    while [ $SECONDS -le $end ]; do
        if status_text | grep -qE "^(step $STEP: next call: |finished: )"; then return 0; fi
        sleep 0.05
    done
    t_fail "after the go of step $((STEP - 1)), step $STEP never came: $(status_text)"
}
# last_call: the line about the call last let go.
last_call() { ui_screen | grep -E '^ lab-tcp-(server|client): ' | tail -1; }
packets() { ui_screen | grep -cE '^ +[0-9]+ [0-9]+\.[0-9]{6} .* IP '; }

ui_expect "the UI opens in demo mode" '^ DEMO +step 1: next call: socket\(\): nothing goes on the wire'
expect_next socket lab-tcp-server
ui_expect "nothing captured yet" 'Waiting for packets\.\.\.'
ui_expect "no call made yet" 'No call yet: Space at the newest packet lets the first one happen\.'
ui_expect "the hint names the step key" '^Space next call +j/k packets +G newest +Q quiz'

# The server: socket(), bind(), listen(), accept(); nothing on the wire.
go
ui_expect "socket() was made" '^ lab-tcp-server: socket\(AF_INET, SOCK_STREAM\) = 3 CLOSED +→ no packet so far'
expect_next bind lab-tcp-server
go
ui_expect "bind() was made" '^ lab-tcp-server: bind\(fd 3, 127\.0\.0\.1:[0-9]+\) = 0 CLOSED'
PORT=$(last_call | sed -nE 's/.*bind\(fd 3, 127\.0\.0\.1:([0-9]+)\).*/\1/p')
t_match "the scenario's port" '^[0-9]+$' "$PORT"
expect_next listen lab-tcp-server
go
ui_expect "listen() was made" '^ lab-tcp-server: listen\(fd 3, backlog 5\) = 0 LISTEN \[listening\]'
t_true "the server listens now" t_wait_for 5 sh -c "ss -Htln | grep -q ':$PORT '"
expect_next accept lab-tcp-server
go
ui_expect "accept() waits (it returns when a client connects)" '^ lab-tcp-server: accept\(\) \.\.\. +→ no packet so far'
t_eq "no packet yet" 0 "$(packets)"
# The client starts once the port is bound.
expect_next socket lab-tcp-client
go
ui_expect "the client's socket()" '^ lab-tcp-client: socket\(AF_INET, SOCK_STREAM\) = 3 CLOSED'
t_eq "still no packet" 0 "$(packets)"
expect_next connect lab-tcp-client
ui_expect "connect()'s sentence" 'next call: connect\(\): the kernel will send SYN and wait for SYN-ACK, then answer with ACK\.'

# connect(): the handshake.
go
ui_expect "connect() returned" "^ lab-tcp-client: connect\\(fd 3, 127\\.0\\.0\\.1:$PORT\\) = 0 ESTABLISHED \\[connect\\] +→ packets 1-3"
ui_expect "the SYN" "^ +1 [0-9.]+ +handshake 1/3 +IP 127\\.0\\.0\\.1\\.[0-9]+ > 127\\.0\\.0\\.1\\.$PORT: Flags \\[S\\]"
ui_expect "the SYN-ACK" "^ +2 [0-9.]+ +handshake 2/3 +IP 127\\.0\\.0\\.1\\.$PORT > 127\\.0\\.0\\.1\\.[0-9]+: Flags \\[S\\.\\]"
ui_expect "the ACK" '^ +3 [0-9.]+ +handshake 3/3 +IP .*Flags \[\.\]'
ui_expect "the ladder: SYN" '┃SYN_SENT +│── SYN seq=0 ─+▶│ SYN_RECEIVED'
ui_expect "the ladder: SYN-ACK" 'ESTABLISHED +│◀─+ SYN,ACK seq=0 ack=1 ──│ SYN_RECEIVED'
ui_expect "the ladder: connect() in the client's margin" 'connect\(\) = 0 ESTABLISHED \[connect\]'
ui_expect "the selection followed the newest packet" '^ Explanation of packet 3 *$'
ui_expect "... and it is explained" 'Handshake 3/3: ack 1 = the server'"'"'s ISN \+ 1'
t_eq "three packets" 3 "$(packets)"

# The rest of the exchange, in the order the labs wait (which lab comes
# first after the handshake is the kernel's timing): each press lets the
# call the status bar announced happen, and its packets come.
seen=""
saw_write=no saw_cfin=no saw_sfin=no
for _ in $(seq 1 12); do
    nc=$(next_call)
    [ -n "$nc" ] || break
    seen+="$nc; "
    before=$(packets)
    go
    case $nc in
    "write lab-tcp-client")
        ui_expect "write(): the client's 13 bytes" '^ +4 [0-9.]+ +data +IP 127\.0\.0\.1\.[0-9]+ > 127\.0\.0\.1\.'"$PORT"': Flags \[P\.\], seq [0-9]+:[0-9]+'
        range=$(ui_screen | sed -nE 's/^ +4 .* Flags \[P\.\], seq ([0-9]+):([0-9]+),.*/\1 \2/p')
        t_eq "... 13 bytes of them" 13 "$(( ${range#* } - ${range% *} ))"
        ui_expect "... and the server's kernel ACKs them" '^ +5 [0-9.]+ +ACK +IP 127\.0\.0\.1\.'"$PORT"' > '
        ui_expect "the selection follows: the ACK" '^ Explanation of packet 5 *$'
        ui_expect "write() returned 13" '^ lab-tcp-client: write\(fd 3, 13\) = 13 ESTABLISHED'
        ui_expect "the data in the ladder" '│── PSH,ACK seq=1 ack=1 len=13 ─'
        saw_write=yes
        # Back over what happened: no go is sent.
        step_now=$(status_text)
        ui_keys k k
        ui_expect "k goes back" '^Looking back: j or Space goes forward, G to the newest packet'
        ui_expect "back at the handshake's ACK" '^ Explanation of packet 3 *$'
        ui_keys j
        ui_expect "j goes forward again" '^ Explanation of packet 4 *$'
        t_eq "looking back let no call happen" "$step_now" "$(status_text)"
        ui_keys G
        ui_expect "G: the newest packet again" '^Space next call'
        ;;
    "close lab-tcp-client")
        ui_expect "close(): the client's FIN" '^ +[0-9]+ [0-9.]+ +FIN +IP 127\.0\.0\.1\.[0-9]+ > 127\.0\.0\.1\.'"$PORT"': Flags \[F\.\]'
        ui_expect "close() returned" '^ lab-tcp-client: close\(fd 3\) = 0 (FIN_WAIT_[12]|TIME_WAIT) \[close\]'
        ui_expect "the FIN in the ladder" 'FIN_WAIT_1 +│── FIN,ACK seq=14 ack=11 ─'
        saw_cfin=yes ;;
    "close lab-tcp-server")
        if [ "$saw_cfin" = yes ] && [ "$saw_sfin" = no ]; then
            ui_expect "close(): the server's FIN" '^ +[0-9]+ [0-9.]+ +FIN +IP 127\.0\.0\.1\.'"$PORT"' > 127\.0\.0\.1\.[0-9]+: Flags \[F\.\]'
            ui_expect "the server's FIN in the ladder" '│◀─+ FIN,ACK seq=11 ack=15 ──│ LAST_ACK'
            saw_sfin=yes
        fi ;;
    "socket "*|"bind "*|"listen "*|"setsockopt "*)
        t_eq "$nc: nothing on the wire" "$before" "$(packets)" ;;
    esac
done
t_eq "the calls after the handshake (some order)" \
    "close lab-tcp-client|close lab-tcp-server|close lab-tcp-server|read lab-tcp-client|read lab-tcp-server|read lab-tcp-server|write lab-tcp-client|write lab-tcp-server" \
    "$(tr ';' '\n' <<<"$seen" | sed 's/^ //' | grep . | sort | paste -sd'|')"
t_eq "write(), then the two FINs came, each after its go" "yes yes yes" "$saw_write $saw_cfin $saw_sfin"
ui_expect "the demo says it is finished" "finished: every lab has exited\\. The capture goes to $OUT"
# The last packet: the client acknowledges the server's FIN (the server's ACK
# of the client's FIN went alone: its close() waited for a go).
ui_expect "the last packet: the server's FIN acknowledged" '^ +11 [0-9.]+ +FIN acked +IP 127\.0\.0\.1\.[0-9]+ > 127\.0\.0\.1\.'"$PORT"': Flags \[\.\]'
ui_expect "the ladder ends CLOSED on the server's side" 'TIME_WAIT +│── ACK seq=15 ack=12 ─+▶│ CLOSED'
ui_keys Space
ui_expect "Space after the end says so" 'The demo is over: every lab has exited\.'
ui_quit_sane "demo"
ui_expect "the saved capture is named" "demo handshake: the capture is in $OUT"
t_eq "no lab of this demo left" "" "$(pgrep -af "lab-tcp-.*--port $PORT( |$)")"
t_eq "the namespaces are as they were" "$NETNS_BEFORE" "$(ip netns list 2>/dev/null | sort)"
t_true "the capture was saved" test -s "$OUT"
t_contains "the calls were saved beside it" "call=connect" "$(cat "$OUT.events" 2>/dev/null)"
check=$("$SOCKSCOPE" check handshake "$OUT" 2>&1); rc=$?
t_status "the demo's capture passes check handshake ($(tr '\n' ' ' <<<"$check" | cut -c1-300))" 0 "$rc"

# ------------------------------------------------------------ leaving early
# q in the middle: the server blocked in read(), the client at a pause.
quit_early() { # WHAT KEY...
    local what=$1; shift
    ui_run demo handshake
    STEP=1
    expect_next socket lab-tcp-server
    local n=0
    while [ "$(next_call)" != "write lab-tcp-client" ] && [ $n -lt 10 ]; do go; n=$((n + 1)); done
    ui_expect "$what: the handshake was made" '^ +3 [0-9.]+ +handshake 3/3 '
    local port
    port=$(ui_screen | sed -nE 's/.*IP 127\.0\.0\.1\.[0-9]+ > 127\.0\.0\.1\.([0-9]+): Flags \[S\].*/\1/p' | head -1)
    t_match "$what: the port" '^[0-9]+$' "$port"
    t_true "$what: both labs run" test "$(pgrep -fc "lab-tcp-.*--port $port( |$)")" -eq 2
    local dir
    dir=$(pgrep -af "lab-tcp-server.*--port $port( |$)" | sed -nE 's/.*--control ([^ ]*)\/lab-[0-9]+\.ctl.*/\1/p')
    t_match "$what: the labs' private folder" '^/.*/sockscope-demo\.[A-Za-z0-9]+$' "$dir"
    ui_keys "$@"
    ui_expect_exit "$what" 0
    t_true "$what: the labs were stopped" \
        t_wait_for 5 sh -c "! pgrep -f 'lab-tcp-.*--port $port( |\$)' >/dev/null"
    ui_keys "stty -a | tr ' ' '\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo" Enter
    ui_expect "$what: the terminal is sane" '^icanon echo *$'
    t_lacks "$what: no sanitizer report" "Sanitizer" "$(cat "$UI_ERR")"
    t_eq "$what: the namespaces are as they were" "$NETNS_BEFORE" "$(ip netns list 2>/dev/null | sort)"
    t_true "$what: the private folder is gone" test -n "$dir" -a ! -e "$dir"
}
quit_early "q mid-demo" q
quit_early "^C mid-demo" C-c

# ------------------------------------------------------------ without privilege
if command -v setpriv >/dev/null; then
    chmod 755 "$T_TMP"
    nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
    err=$(cd "$ROOT" && nobody "$SOCKSCOPE" demo handshake 2>&1 >/dev/null); rc=$?
    t_status "no privilege: exit 1" 1 "$rc"
    t_contains "no privilege: says what is needed" \
        "sockscope: demo handshake runs its labs and captures them live: that needs root or the CAP_NET_RAW capability (sudo sockscope demo handshake)" "$err"
    t_contains "no privilege: offers the committed capture" \
        "Without it, replay the scenario's committed capture: sockscope captures/handshake.pcap (or sockscope demo --replay handshake)." "$err"
    t_lacks "no privilege: no terminal escape (curses never started)" $'\e' "$err"
    t_eq "no privilege: two lines" 2 "$(wc -l <<<"$err")"
    err=$(cd / && nobody "$SOCKSCOPE" demo loss 2>&1 >/dev/null); rc=$?
    t_status "no privilege, loss: exit 1" 1 "$rc"
    t_contains "loss: needs root (namespaces)" "two network namespaces and captures them live: that needs root" "$err"
    t_match "from elsewhere: the capture's full path" "sockscope /.*/captures/loss\\.pcap \\(or" "$err"
    # In the terminal: the message, and the terminal as it was.
    ui_cmd "cd $(printf '%q' "$ROOT") && setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all $(printf '%q' "$SOCKSCOPE") demo handshake"
    ui_expect_exit "no privilege in the terminal" 1
    ui_expect "... the message on the screen" 'that needs root or the CAP_NET_RAW capability'
    ui_keys "stty -a | tr ' ' '\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo" Enter
    ui_expect "no privilege: the terminal is sane" '^icanon echo *$'
    # --replay opens the committed capture instead, unprivileged.
    ui_cmd "cd $(printf '%q' "$ROOT") && setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all $(printf '%q' "$SOCKSCOPE") demo --replay handshake 2>$UI_ERR"
    ui_expect "--replay: the committed capture" '^ REPLAY +paused +packet 1 \(1 of 10\) .*file: handshake\.pcap'
    ui_quit_sane "--replay"
fi
t_done
