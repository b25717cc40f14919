# ui-replay — the UI on a committed capture, driven in tmux: it opens paused at
# packet 1; stepping shows, at each packet, the arrow, both states and the
# explanation that --text and --json print for it; the labs' calls are in the
# margins; events, conversations, jumps, search, filter, follow stream, help,
# resizing; q leaves the terminal sane.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ui-tmux.inc"
CAP=$ROOT/tests/data/ui-lab.pcap
[ -f "$CAP" ] || t_skip "tests/data/ui-lab.pcap is missing"

# What --text says of each packet: "N|client state|label|server state".
"$SOCKSCOPE" --text --width 80 -r "$CAP" |
    sed -nE 's/^ *([0-9]+) [0-9.]+ (.{12}) \|(.*)\| ?(.*)$/\1|\2|\3|\4/p' |
    sed -E 's/\|-- /|/; s/ -*>\|/|/; s/\|<-* /|/; s/ --\|/|/; s/ +\|/|/g' > "$T_TMP/text"
t_eq "--text has every packet" 16 "$(wc -l < "$T_TMP/text")"
# ... and --json's explanation of each.
"$SOCKSCOPE" --json --explain -r "$CAP" |
    sed -E 's/.*"explain":"(.*)"\}$/\1/; s/\\"/"/g' > "$T_TMP/explain"

# check_packet N: the ladder line of packet N and the explanation pane.
check_packet() {
    local n=$1 line cs label ss
    line=$(sed -n "${n}p" "$T_TMP/text")
    IFS='|' read -r _ cs label ss <<<"$line"
    ui_expect "packet $n: status" "packet $n \\($n of 16\\)"
    local re="^ *$n [^│|]*${cs}[^│|]*[│|][^│|]*${label//./\\.}"
    [ -n "$ss" ] && re+=".*[│|] ${ss}"
    ui_expect "packet $n: ladder arrow and states as --text ($cs | $label | $ss)" "$re" 5
    t_eq "packet $n: explanation as --json --explain" "$(sed -n "${n}p" "$T_TMP/explain")" \
        "$(ui_pane_text "^ Explanation of packet $n *\$")"
}

ui_start 120 40
ui_run -r "$CAP"
ui_expect "starts in replay" '^ REPLAY +paused +packet 1 \(1 of 16\)'
ui_expect "status: the filter, the speed, the file" "filter: none +speed 1x +file: ui-lab\.pcap"
ui_expect "help hint" '^\? help'
ui_expect "list: packet 1 is the SYN" '^ +1 0\.000000 +handshake 1/3 +IP 127\.0\.0\.1\.[0-9]+ > 127\.0\.0\.1\.46666: Flags \[S\]'
ui_expect "ladder title" 'Ladder: conversation 0, TCP, packet 1 of 10'
ui_expect "ladder heads" 'CLIENT 127\.0\.0\.1:[0-9]+ .* 127\.0\.0\.1:46666 SERVER'
ui_expect "states before the SYN" 'CLOSED +│ +│ LISTEN'
# The syscall lane: the server's listen() and accept(), the client's connect().
ui_expect "server's listen() in its margin" 'listen\(fd 3, backlog 5\) = 0 LISTEN'
ui_expect "accept() blocked from the SYN" 'accept\(fd 3\) \.\.\. │ +┏'
ui_expect "connect() begins at the SYN" '┏ +│ connect\(fd 3, 127\.0\.0\.1:46666\) \.\.\.'
ui_expect "connect() in progress beside the SYN" '1 [0-9.]+ +┃SYN_SENT'

# Step through the handshake and the data, one packet at a time.
check_packet 1
for n in 2 3 4 5 6 7 8 9 10; do
    ui_keys j
    check_packet "$n"
    case $n in
    3) ui_expect "connect() returned after the handshake" 'connect\(\) = 0 ESTABLISHED'
       ui_expect "accept() returned" 'accept\(\) = 4 ESTABLISHED' ;;
    4) ui_expect "data preview under the arrow" '│  "HelloWorld!!!" +│' ;;
    esac
done
ui_expect "the end of the conversation: its summary" 'Ended: client closed first'

# Back, and event by event (pure ACKs skipped).
ui_keys k k k k k k
ui_expect "k goes back" 'packet 4 \(4 of 16\)'
ui_keys l
ui_expect "l skips the pure ACK 5" 'packet 6 \(6 of 16\)'
ui_keys h
ui_expect "h back to the data 4" 'packet 4 \(4 of 16\)'

# Conversations.
ui_keys ']'
ui_expect "] to conversation 1" 'Ladder: conversation 1, TCP, packet 1 of 2'
ui_expect "it starts at packet 11" 'packet 11 \(11 of 16\)'
ui_keys j
check_packet 12
ui_expect "the RST is marked in the list" '^ +12 [0-9.]+ +refused'
ui_keys '['
ui_expect "[ back to conversation 0" 'Ladder: conversation 0, TCP, packet 1 of 10'

# Jumps.
ui_keys : 1 3 Enter
ui_expect ":13 goes to packet 13" 'packet 13 \(13 of 16\)'
ui_expect "a UDP arrow" '│── UDP len=13 ─'
ui_keys G
ui_expect "G to the last" 'packet 16 \(16 of 16\)'
ui_keys g
ui_expect "g to the first" 'packet 1 \(1 of 16\)'
ui_keys : 9 9 Enter
ui_expect "a number past the end is refused" 'There is no packet 99: the last is 16\.'

# Search.
ui_keys / g o o d b y e Enter
ui_expect "search finds the server's answer" '"goodbye" found at packet 6'
ui_expect "... and selects it" 'packet 6 \(6 of 16\)'
ui_keys / n o - s u c h - t h i n g Enter
ui_expect "a search that finds nothing says so" 'No packet matches "no-such-thing"'

# Filter: tcpdump syntax; frame numbers stay those of the file.
ui_keys f C-u u d p Enter
ui_expect "filter applied" 'filter: udp'
ui_expect "only the UDP packets, numbered as in the file" 'packet 13 \(1 of 4\)'
ui_expect_not "TCP packets are gone from the list" 'Flags \[S\]'
ui_keys f C-u t c p ' ' p o r t Enter
ui_expect "a bad filter shows libpcap's message" 'invalid filter "tcp port"'
ui_expect "... and keeps the old one" 'filter: udp'
ui_keys f C-u Enter
ui_expect "no filter again" 'filter: none +speed'
ui_expect "the selection stays on its packet" 'packet 13 \(13 of 16\)'

# Follow a stream: TCP text and hex, UDP datagrams.
ui_keys g j j j s
ui_expect "follow stream title" 'Follow stream: conversation 0, TCP, client 127\.0\.0\.1:[0-9]+, server 127\.0\.0\.1:46666 \(text\)'
ui_expect "the client's bytes" '^client 127\.0\.0\.1:[0-9]+ -> server: 13 bytes \(packet 4\)'
ui_expect "... as text" '^  HelloWorld!!!'
ui_expect "the server's answer" '^  goodbye!!!'
ui_keys x
ui_expect "hex" '^  0000  48 65 6c 6c 6f 57 6f 72  6c 64 21 21 21 +HelloWorld!!!'
ui_keys q
ui_expect "back to the main screen" 'Ladder: conversation 0'
ui_keys : 1 3 Enter s
ui_expect "UDP: each datagram under its own heading" '^datagram 1, client 127\.0\.0\.1:[0-9]+ -> server: 13 bytes \(packet 13\)'
ui_expect "UDP: the answers" '^datagram 2, server 127\.0\.0\.1:46777 -> client: 2 bytes \(packet 14\)'
ui_keys Escape
ui_expect "Esc goes back" 'Ladder: conversation 2, UDP'

# Conversations list.
ui_keys c
ui_expect "conversations list" 'Conversations: 3'
ui_expect "conversation 0 and how it went" '^ +0 TCP +127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:46666 +6/4 +13/10 .*handshake, client closed first'
ui_expect "conversation 1 was refused" '^ +1 TCP .* refused, reset by server'
ui_expect "conversation 2 is UDP" '^ +2 UDP .*datagrams'
ui_keys k Enter
ui_expect "Enter goes to its first packet" 'packet 11 \(11 of 16\)'

# Help lists the keys.
ui_keys '?'
ui_expect "help" 'Help: every key'
ui_expect "help: stepping keys" 'j Down Space +next packet'
ui_expect "help: events" 'l Right +next event \(skips pure ACKs\)'
ui_keys G
ui_expect "help scrolls to its end" 'q Esc \? +back'
ui_keys q
ui_expect "help closes" 'REPLAY'

# The mouse (as xterm reports it, SGR 1006): a click selects a row, the wheel scrolls.
ui_keys g
ui_expect "at the start" 'packet 1 \(1 of 16\)'
ui_keys -l $'\e[<0;30;4M'
ui_keys -l $'\e[<0;30;4m'
ui_expect "a click on the list's third row" 'packet 3 \(3 of 16\)'
ui_keys -l $'\e[<65;30;4M'
ui_expect "the wheel scrolls down" 'packet 6 \(6 of 16\)'

# Play at real time (the capture lasts under a second), slower, one a second.
ui_keys g p
ui_expect "playing" 'playing 1x +packet'
ui_expect "played to the end" 'Played to the end: paused\.' 15
ui_expect "... at the last packet" '^ REPLAY +paused +packet 16 \(16 of 16\)'
for k in 1 2 3 4; do ui_keys '<'; done
ui_expect "slowest: one packet a second" 'Speed: 1 packet/s'
ui_keys g p
ui_expect "one a second: packet 2 after a second" 'playing 1 packet/s +packet 2 \(2 of 16\)' 5
ui_keys p
ui_expect "p pauses" '^ REPLAY +paused'
for k in 1 2 3 4 5 6 7 8 9 10 11; do ui_keys '>'; done
ui_expect "fastest: 100x" 'Speed: 100x'

# Resize at any moment: 80x24, then 200x60 with the detail and hex panes.
ui_keys g
ui_resize 80 24
ui_expect "80x24: the status bar" '^ REPLAY +paused +packet 1 \(1 of 16\)'
ui_expect "80x24: the ladder" '1 ┃SYN_SENT +│── SYN seq=0 ─'
ui_expect "80x24: the explanation" '^ Explanation of packet 1'
ui_resize 200 60
ui_keys d
ui_expect "200x60: the detail pane beside" '│ Detail, layer by layer'
ui_expect "200x60: every layer" 'Transmission Control Protocol, Src Port: [0-9]+, Dst Port: 46666'
ui_expect "200x60: the hex dump" '│ 0000  00 00 00 00 00 00 00 00  00 00 00 00 08 00 45 00  \.\.\.\.\.\.\.\.\.\.\.\.\.\.E\.'
ui_keys j j
ui_expect "j in the detail pane moves through the fields, not the packets" 'packet 1 \(1 of 16\)'
ui_expect "the TCP fields" 'Source port: [0-9]+'
ui_resize 120 40
ui_expect "back to 120x40" '^ REPLAY'

ui_quit_sane "replay"

# ASCII lines: asked for, and where the locale is not UTF-8.
ui_run --ascii -r "$CAP"
ui_expect "--ascii: ASCII arrows" '1 [0-9. ]*\|SYN_SENT +\|-- SYN seq=0 -+>\| SYN_RECEIVED'
ui_expect "--ascii: ASCII call marks" ', +\| connect\(fd 3, 127\.0\.0\.1:46666\) \.\.\.'
ui_expect_not "--ascii: no box drawing" '[│─▶◀┃]'
ui_quit_sane "ascii"
ui_keys "export LC_ALL=C LANG=C" Enter
ui_run -r "$CAP"
ui_expect "C locale: ASCII arrows" '1 [0-9. ]*\|SYN_SENT +\|-- SYN seq=0 -+>\| SYN_RECEIVED'
ui_expect "C locale: the explanation's arrow as ?" 'CLOSED \? SYN_SENT'
ui_quit_sane "C locale"

# Colours, and none with NO_COLOR (attributes only): count the colour
# parameters (30-38, 40-48, 90-97, 100-107) of the SGR sequences on screen.
colours() {
    ui_tmux capture-pane -p -e | grep -oE $'\e\\[[0-9;]*m' | tr -d $'\e[m' | tr ';' '\n' |
        grep -cE '^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$'
}
ui_keys "export LC_ALL=C.UTF-8 LANG=C.UTF-8" Enter
ui_run -r "$CAP"
ui_expect "colours" 'REPLAY'
t_true "colours are used" test "$(colours)" -gt 0
ui_quit_sane "colours"
ui_keys "export NO_COLOR=1" Enter
ui_run -r "$CAP"
ui_expect "NO_COLOR" 'REPLAY'
t_eq "NO_COLOR: no colour at all" 0 "$(colours)"
t_match "NO_COLOR: the selection in reverse video" $'\e\\[[0-9;]*7m' "$(ui_tmux capture-pane -p -e)"
ui_quit_sane "NO_COLOR"
t_done
