# ui-live — the UI capturing on lo with a filter for a test port while the lab
# server and client run: the handshake, the labs' calls in the margins
# (connect(), accept()), the data and the FINs appear as they happen; drops are
# 0; -w saves the packets and the events, and the saved file replays to the
# same ladder.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ui-tmux.inc"
t_need_root
for lab in lab-tcp-server lab-tcp-client; do
    [ -x "$BIN/$lab" ] || t_skip "$BIN/$lab is not built"
done
PORT=$(t_free_port)
SOCK=$T_TMP/events.sock
SAVED=$T_TMP/live.pcap

ui_start 120 40
ui_keys "export SOCKSCOPE_EVENTS=$SOCK" Enter
ui_run -i lo -f "tcp port $PORT" -w "$SAVED"
ui_expect "live mode" "^ LIVE +following +no packets +captured 0 +drops 0 +filter: tcp port $PORT +speed 1x +interface: lo"
t_true "the UI listens for lab events" t_wait_for 10 test -S "$SOCK"

"$BIN/lab-tcp-server" --port "$PORT" --max-clients 1 --quiet --events "$SOCK" &
SRV=$!
t_defer "kill $SRV"
t_wait_for 10 sh -c "ss -Htln | grep -q ':$PORT '"
"$BIN/lab-tcp-client" --port "$PORT" --quiet --events "$SOCK" >/dev/null
wait $SRV

ui_expect "the FINs arrive" "TIME_WAIT .*│── ACK seq=15 ack=12 ─"
ui_expect "following the newest packet" '^ LIVE +following +packet 10 \(10 of 10\)'
ui_expect "no drops" 'captured 10 +drops 0'
ui_expect "the list: handshake" '^ +1 [0-9.]+ +handshake 1/3 +IP 127\.0\.0\.1\.[0-9]+ > 127\.0\.0\.1\.'"$PORT"': Flags \[S\]'
ui_expect "the list: data" '^ +4 [0-9.]+ +data +IP '
ui_expect "the list: the client's FIN" '^ +8 [0-9.]+ +FIN +IP '
ui_expect "the server's close() in its margin" 'close\(\) = 0 CLOSED'
t_true "the events are kept beside the capture while it runs" \
    t_wait_for 5 grep -q 'call=accept' "$SAVED.events"

# Back to the start: stepping while capture goes on.
ui_keys g
ui_expect "g stops following" '^ LIVE +paused +packet 1 \(1 of 10\)'
ui_expect "the SYN" '1 [0-9.]+ +┃SYN_SENT +│── SYN seq=0 ─+▶│ SYN_RECEIVED'
ui_expect "connect() in the client's margin" '┏ +│ connect\(fd 3, 127\.0\.0\.1:'"$PORT"'\) \.\.\.'
ui_expect "accept() in the server's margin" 'accept\(fd 3\) \.\.\. │ +┏'
ui_expect "listen() before it" 'listen\(fd 3, backlog 5\) = 0 LISTEN'
ui_keys j j j
ui_expect "the data" '│── PSH,ACK seq=1 ack=1 len=13 ─'
ui_expect "its bytes" '"HelloWorld!!!"'
ui_expect "connect() returned" 'connect\(\) = 0 ESTABLISHED'
ui_expect "accept() returned" 'accept\(\) = 4 ESTABLISHED'
ui_keys g
ui_expect "at the start again" 'packet 1 \(1 of 10\)'
ladder_live=$(ui_screen | sed -n '/^ Ladder:/,/^ Explanation/p')
# w saves what was captured (and the events) while capture goes on.
ui_keys w C-u "$T_TMP/copy.pcap" Enter
ui_expect "w saves a copy" "Saved 10 packets to $T_TMP/copy.pcap"
t_eq "the copy holds the 10 packets" 10 "$("$SOCKSCOPE" --json -r "$T_TMP/copy.pcap" | wc -l)"
t_contains "... and the events beside it" "call=accept" "$(cat "$T_TMP/copy.pcap.events" 2>/dev/null)"
ui_quit_sane "live"

# The saved capture and its events replay to the same ladder.
t_true "the capture was saved" test -s "$SAVED"
t_true "the events were saved beside it" test -s "$SAVED.events"
t_contains "the events hold connect()" "call=connect" "$(cat "$SAVED.events")"
t_eq "10 packets saved" 10 "$("$SOCKSCOPE" --json -r "$SAVED" | wc -l)"
ui_run -r "$SAVED"
ui_expect "replaying the saved file" '^ REPLAY +paused +packet 1 \(1 of 10\)'
ui_expect "the syscall lane came back" 'connect\(fd 3, 127\.0\.0\.1:'"$PORT"'\) \.\.\.'
ladder_replay=$(ui_screen | sed -n '/^ Ladder:/,/^ Explanation/p')
t_eq "the same ladder, live and replayed" "$ladder_live" "$ladder_replay"
ui_quit_sane "replay of the saved file"
t_done
