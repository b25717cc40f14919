# ui-quiz — quiz mode (Q) in the UI on the committed handshake capture: the
# packets ahead show their direction and length but not their flags, seq, ack
# or states (in the list, the ladder, the calls in its margins), until the
# student guesses; a right guess of the SYN-ACK scores 1 / 1, a wrong one of
# the ACK 1 / 2 and the reveal says what the answer was; bad input is refused
# with the prompt kept; Esc puts a guess off; Q ends the quiz and shows all.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ui-tmux.inc"
CAP=$ROOT/captures/handshake.pcap
[ -f "$CAP" ] || t_skip "captures/handshake.pcap is missing (make captures)"

# What the capture says of packets 2 and 3, to know the screen shows them or not.
json=$("$SOCKSCOPE" --json -r "$CAP")
t_eq "the capture: 10 packets" 10 "$(wc -l <<<"$json")"
t_match "packet 2 is the SYN-ACK" '"flags":"S\."' "$(sed -n 2p <<<"$json")"
t_match "packet 3 is the handshake's ACK" '"flags":"\."' "$(sed -n 3p <<<"$json")"

ui_start 120 40
ui_run -r "$CAP"
ui_expect "replay opens at packet 1" '^ REPLAY +paused +packet 1 \(1 of 10\)'
ui_expect "without the quiz the SYN-ACK shows" '^ +2 [0-9.]+ +handshake 2/3 +IP .*Flags \[S\.\]'
ui_expect "... in the ladder too" 'SYN,ACK seq=0 ack=1'

ui_keys Q
ui_expect "Q: quiz on" 'Quiz on: the packets ahead hide their flags, seq, ack and states'
# Hidden: what they carry; shown: direction and length.
ui_expect "list: packet 2 shows its direction and length only" \
    '^ +2 [0-9.]+ +\?\?\? +server -> client, length 0: \?\?\? \(guess first\)'
ui_expect "list: packet 4 is the client's 13 bytes" \
    '^ +4 [0-9.]+ +\?\?\? +client -> server, length 13: \?\?\?'
ui_expect "ladder: the arrow of packet 2 points to the client, its label hidden" \
    '^ +2 [0-9.]+ +\?\?\? +│◀─+ \?\?\? len=0 ──│ \?\?\?'
ui_expect "ladder: packet 4's arrow with its length" '│── \?\?\? len=13 ─+▶│ \?\?\?'
screen=$(ui_screen)
t_lacks "hidden: the SYN-ACK's flags in the list" "Flags [S.]" "$screen"
t_lacks "hidden: the SYN-ACK in the ladder" "SYN,ACK" "$screen"
t_lacks "hidden: any ack number in the ladder" "ack=" "$screen"
t_lacks "hidden: the payload preview" "HelloWorld" "$screen"
t_lacks "hidden: what connect() returned with (a call after a hidden packet)" \
    "connect() = 0 ESTABLISHED" "$screen"
t_lacks "hidden: ESTABLISHED appears nowhere yet" "ESTABLISHED" "$screen"
t_contains "shown: the selected SYN" "SYN seq=0" "$screen"
ui_expect "status: still at packet 1" 'packet 1 \(1 of 10\)'

# The SYN-ACK, guessed right. A bad part is refused and the prompt stays.
ui_keys j
ui_expect "j asks for a guess first" '^Packet 2, flags \(S S\. \. P\. F\. R, or SYN ACK\):'
ui_expect "... and does not move" 'packet 1 \(1 of 10\)'
ui_expect "the guide says what to guess" 'Guess packet 2 \(server -> client, 0 bytes of data\)'
ui_keys "SYN X" Enter
ui_expect "a bad flag is refused" '"X" is not a TCP flag'
ui_expect "... the prompt stays with what was typed" '^Packet 2, flags .*: SYN X'
ui_keys C-u "SYN ACK" Enter
ui_expect "then seq" '^Packet 2, seq \(relative\):'
ui_expect "the guide keeps what was given" 'So far: flags S\.'
ui_keys 0 Enter 1 Enter
ui_expect "then the client's state" "^Packet 2, the client's state after it \(Tab completes\):"
ui_keys est Tab
ui_expect "Tab completes the name" "^Packet 2, the client's state after it \(Tab completes\): ESTABLISHED"
ui_keys Enter SYN Tab
ui_expect "Tab on SYN: two names" "^Packet 2, the server's state after it \(Tab completes\): SYN_"
ui_expect "... says which" 'could be SYN_SENT, SYN_RECEIVED'
ui_keys R Tab Enter
ui_expect "right: 1 / 1" '^Packet 2: right\. Quiz: 1 / 1 right this session\.'
ui_expect "the selection moved to packet 2" 'packet 2 \(2 of 10\)'
ui_expect "the reveal" 'flags S\.: right\. seq 0: right\. ack 1: right\. client ESTABLISHED: right\. server'
ui_expect "... and the explanation" 'Handshake 2/3: the server'"'"'s kernel answers'
ui_expect "packet 2 shown in the list" '^ +2 [0-9.]+ +handshake 2/3 +IP .*Flags \[S\.\]'
ui_expect "... and in the ladder" 'ESTABLISHED +│◀─+ SYN,ACK seq=0 ack=1 ──│ SYN_RECEIVED'
ui_expect "packet 3 still hidden" '^ +3 [0-9.]+ +\?\?\? +client -> server, length 0: \?\?\?'

# The ACK, guessed wrong: flags and the client's state.
ui_keys Space
ui_expect "Space asks too" '^Packet 3, flags'
ui_keys "S." Enter 1 Enter 1 Enter 3 Enter 5 Enter
ui_expect "wrong: 1 / 2" '^Packet 3: not quite \(the explanation says why\)\. Quiz: 1 / 2 right this session\.'
ui_expect "the reveal gives the right flags" 'flags S\.: wrong, it is \. \(ACK\)\.'
ui_expect "... what was right" 'seq 1: right\. ack 1: right\.'
ui_expect "... and the right state (3 was SYN_SENT)" 'client SYN_SENT: wrong, it is ESTABLISHED\.'
ui_expect "packet 3 shown now" '^ +3 [0-9.]+ +handshake 3/3 +IP .*Flags \[\.\]'

# Esc puts a guess off: nothing scored, still hidden.
ui_keys j
ui_expect "asked for packet 4" '^Packet 4, flags'
ui_keys Escape
ui_expect "Esc: put off" 'Guess put off: packet 4 stays hidden\.'
ui_expect "still at packet 3" 'packet 3 \(3 of 10\)'
t_lacks "packet 4 still hidden" "Flags [P.]" "$(ui_screen)"
# p does not play through a quiz.
ui_keys p
ui_expect "no playing in a quiz" 'Quiz mode: step with j or Space and guess each packet'

# Q ends it: every packet shown, the score said.
ui_keys Q
ui_expect "Q: quiz off, with the score" 'Quiz off: every packet is shown\. Quiz: 1 / 2 right this session\.'
ui_expect "packet 4 shown" '^ +4 [0-9.]+ +data +IP .*Flags \[P\.\]'
ui_expect "connect() in the margin again" 'connect\(\) = 0 ESTABLISHED'

# The help lists Q (it is generated from the key table).
ui_keys '?'
ui_expect "help: Q" "^ +Q +quiz: hide the next packets' flags, seq, ack and states until you guess them"
ui_expect "help: the demo's keys" '\(demo\) j Down Space +at the newest packet: let the labs make their next system call'
ui_keys q
ui_quit_sane "quiz"
t_done
