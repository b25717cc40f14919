# text-ladder — `sockscope --text` draws each conversation as a ladder that fits
# 80 columns (explanations beside it on wide terminals), with the labs' system
# calls from the capture's sidecar, and never passes capture bytes through raw;
# --json and --summary agree with it.
source "$(dirname "$0")/../lib.sh"
CAP=$ROOT/tests/data/ui-lab.pcap       # made by the labs, with ui-lab.pcap.events
HOSTILE=$ROOT/tests/data/text-hostile.pcap
export LC_ALL=C.UTF-8

text80=$("$SOCKSCOPE" --text --width 80 -r "$CAP"); t_status "--text exit" 0 $?
t_eq "80 columns: widest line" 1 "$(LC_ALL=C.UTF-8 wc -L <<<"$text80" | awk '{print ($1 <= 80)}')"
t_match "conversation header" '^== Conversation 0: TCP  client 127\.0\.0\.1:[0-9]+  ->  server 127\.0\.0\.1:46666 ==' "$text80"
t_match "states before the first packet" '^ +CLOSED +\| +\| LISTEN$' "$text80"
t_match "SYN: client SYN_SENT, server SYN_RECEIVED" '^ +1 +0\.000000 SYN_SENT +\|-- SYN seq=0 -+>\| SYN_RECEIVED$' "$text80"
t_match "SYN-ACK arrow points left" '^ +2 .* ESTABLISHED +\|<-+ SYN,ACK seq=0 ack=1 --\| SYN_RECEIVED$' "$text80"
t_match "data with its preview" '"HelloWorld!!!"' "$text80"
t_match "ACK of 13 bytes" '\|<-+ ACK seq=1 ack=14 --\|' "$text80"
t_match "active closer ends in TIME_WAIT, server CLOSED" '^ +10 .* TIME_WAIT +\|-- ACK seq=15 ack=12 -+>\| CLOSED$' "$text80"
t_contains "lab call: connect() blocks" "connect(fd 3, 127.0.0.1:46666) ..." "$text80"
t_match "lab call: read() returns 0 in CLOSE_WAIT, on the server's side" '^ {30,}read\(\) = 0 CLOSE_WAIT \[end\]$' "$text80"
t_match "lab call: connect() on the client's side" '^ {13}connect\(\) = 0 ESTABLISHED \[connect\]$' "$text80"
t_contains "summary says how it went" "Opened: handshake. Ended: client closed first." "$(tr -s " \n" " " <<<"$text80")"
# The arrows' right bars all stand in one column.
bars=$(grep -E '^ +[0-9]+ +[0-9.]+ ' <<<"$text80" | awk '{ print index($0, "| ") }' | sort -u | wc -l)
t_eq "right bar in one column" 1 "$bars"

wide=$("$SOCKSCOPE" --text --width 160 -r "$CAP")
t_eq "160 columns: widest line" 1 "$(LC_ALL=C.UTF-8 wc -L <<<"$wide" | awk '{print ($1 <= 160)}')"
t_match "wide: explanation beside the arrow" 'SYN_RECEIVED  Handshake 1/3: connect\(\) sends a SYN' "$wide"
t_contains "wide: the ack arithmetic spelled out" "ack 14 = 13 bytes received + 1" "$(tr -s ' \n' ' ' <<<"$wide")"

# Every line keeps to --width, long IPv6 endpoints and summaries included;
# when the ladder would not fit, the time column goes and the states stay.
over=""
for f in "$ROOT"/captures/*.pcap "$ROOT"/tests/data/*.pcap; do
    for w in 60 80 120; do
        widest=$("$SOCKSCOPE" --text --width $w -r "$f" 2>/dev/null | tail -n +2 | LC_ALL=C.UTF-8 wc -L)
        [ "$widest" -le $w ] || over="$over $(basename "$f"):$w:$widest"
    done
done
t_eq "every line within --width (file:width:widest)" "" "$over"
narrow=$("$SOCKSCOPE" --text --width 60 -r "$CAP")
t_match "60 columns: no time column, both states" '^ +1 SYN_SENT +\|-- SYN seq=0 -+>\| SYN_RECEIVED$' "$narrow"
ip6=$("$SOCKSCOPE" --text --width 60 -r "$ROOT/tests/data/decode-ip6.pcap")
t_match "a long title goes on on a second line" '^   .* ==$' "$ip6"

one=$("$SOCKSCOPE" --text -r "$CAP" --conv 1)
t_lacks "--conv 1 leaves out conversation 0" "== Conversation 0" "$one"
t_contains "--conv 1 shows conversation 1" "== Conversation 1" "$one"
filtered=$("$SOCKSCOPE" --text -r "$CAP" -f "tcp port 46666")
t_eq "filter keeps one conversation" 1 "$(grep -c '^== Conversation' <<<"$filtered")"

# Hostile payloads: terminal escapes, C1 controls, bad UTF-8, bidi overrides.
for mode in --text --json "--json --explain"; do
    out=$("$SOCKSCOPE" $mode -r "$HOSTILE" | od -An -tx1 | tr -s ' \n' ' ')
    t_lacks "$mode: no raw ESC" " 1b " "$out"
    t_lacks "$mode: no raw C1 CSI" " c2 9b " "$out"
    t_lacks "$mode: no raw 0x9b" " 9b " "$out"
    t_lacks "$mode: no raw bidi override" " e2 80 ae " "$out"
    t_lacks "$mode: no raw NUL" " 00 " "$out"
done
t_contains "escapes are visible" '"\x1b[2J\x1b[31mPWNED\x1b[0m"' "$("$SOCKSCOPE" --text -r "$HOSTILE")"

# --json: one object per packet, the same facts as the ladder.
json=$("$SOCKSCOPE" --json -r "$CAP")
t_eq "--json: one line per packet" "$(tcpdump -nr "$CAP" 2>/dev/null | wc -l)" "$(wc -l <<<"$json")"
t_match "--json: SYN line" '^\{"n":1,"ts":[0-9]+\.[0-9]{9},"src":"127\.0\.0\.1","dst":"127\.0\.0\.1","sport":[0-9]+,"dport":46666,"proto":"tcp","flags":"S","seq":[0-9]+,"ack":0,"rel_seq":0,"rel_ack":0,"len":0,"win":[0-9]+,"conv":0,"dir":"c2s","events":\["syn"\],"client_state":"SYN_SENT","server_state":"SYN_RECEIVED"\}$' "$json"
t_match "--json: last ACK" '"n":10,.*"dir":"c2s".*"client_state":"TIME_WAIT","server_state":"CLOSED"' "$json"
t_contains "--json --explain adds the sentence" '"explain":"Handshake 1/3: connect() sends a SYN' "$("$SOCKSCOPE" --json --explain -r "$CAP")"

summary=$("$SOCKSCOPE" --summary -r "$CAP")
t_match "--summary: totals" '16 packets, 3 conversations' "$summary"
t_match "--summary: conversation 0" '^ +0 TCP +127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:46666 +6/4 +13/10 .*handshake, client closed first' "$summary"
t_done
