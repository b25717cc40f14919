# cli-errors — bad input gets one clear line on stderr and the documented exit
# status, never a crash; packets before a truncation are still shown.
source "$(dirname "$0")/../lib.sh"
CAP=$ROOT/captures/handshake.pcap
[ -f "$CAP" ] || t_skip "captures/handshake.pcap is missing"

# run CMD...: sets OUT, ERR, RC
run() { OUT=$("$@" 2>"$T_TMP/err"); RC=$?; ERR=$(cat "$T_TMP/err"); }
one_line() { # WHAT: stderr must be exactly one line starting with "sockscope: "
    t_eq "$1: lines on stderr" 1 "$(printf '%s\n' "$ERR" | grep -c .)"
    t_match "$1: message prefix" '^sockscope: ' "$ERR"
    t_lacks "$1: no sanitizer report" "Sanitizer" "$ERR"
}

run "$SOCKSCOPE" --text -r "$T_TMP/nope.pcap"
t_status "missing file" 1 "$RC"; one_line "missing file"
t_contains "missing file names it" "nope.pcap" "$ERR"

echo "this is not a capture" > "$T_TMP/notes.txt"
run "$SOCKSCOPE" --json -r "$T_TMP/notes.txt"
t_status "not a capture" 1 "$RC"; one_line "not a capture"
t_eq "not a capture: nothing on stdout" "" "$OUT"

: > "$T_TMP/empty.pcap"
run "$SOCKSCOPE" --summary -r "$T_TMP/empty.pcap"
t_status "empty file" 1 "$RC"; one_line "empty file"

run "$SOCKSCOPE" --text -r "$T_TMP"
t_status "a directory" 1 "$RC"; one_line "a directory"

# A truncated last record: the packets before it are still printed.
size=$(stat -c %s "$CAP")
head -c $((size - 5)) "$CAP" > "$T_TMP/cut.pcap"
full=$("$SOCKSCOPE" --json -r "$CAP" | wc -l)
run "$SOCKSCOPE" --json -r "$T_TMP/cut.pcap"
t_status "truncated last record" 1 "$RC"; one_line "truncated last record"
t_eq "truncated: every earlier packet shown" "$((full - 1))" "$(printf '%s\n' "$OUT" | grep -c '^{')"
run "$SOCKSCOPE" --text -r "$T_TMP/cut.pcap"
t_status "truncated (--text)" 1 "$RC"
t_contains "truncated (--text) still draws the ladder" "Conversation 0" "$OUT"

run "$SOCKSCOPE" --json -r "$CAP" -f "tcp port"
t_status "bad filter" 1 "$RC"; one_line "bad filter"
t_contains "bad filter quotes the expression" "tcp port" "$ERR"

run "$SOCKSCOPE" --json -r "$CAP" --bogus
t_status "unknown option" 2 "$RC"; one_line "unknown option"
t_contains "unknown option named" "--bogus" "$ERR"

run "$SOCKSCOPE" --text -r "$CAP" --width 20
t_status "bad width" 2 "$RC"; one_line "bad width"
run "$SOCKSCOPE" --text -r "$CAP" --conv abc
t_status "bad --conv" 2 "$RC"; one_line "bad --conv"
run "$SOCKSCOPE" --text -r "$CAP" --conv 999
t_status "--conv out of range" 2 "$RC"; one_line "--conv out of range"
run "$SOCKSCOPE" --text --json -r "$CAP"
t_status "two modes" 2 "$RC"; one_line "two modes"
run "$SOCKSCOPE" --text -r
t_status "-r without a value" 2 "$RC"; one_line "-r without a value"
run "$SOCKSCOPE" --lang fr --text -r "$CAP"
t_status "unknown language" 2 "$RC"; one_line "unknown language"

# Unreadable file and live capture without privilege: as an unprivileged user.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    cp "$CAP" "$T_TMP/secret.pcap"; chmod 000 "$T_TMP/secret.pcap"; chmod 755 "$T_TMP"
    as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }
    run as_nobody "$SOCKSCOPE" --json -r "$T_TMP/secret.pcap"
    t_status "unreadable file" 1 "$RC"; one_line "unreadable file"
    t_contains "unreadable: says permission" "ermission" "$ERR"
    run as_nobody "$SOCKSCOPE" --json -i lo -c 1
    t_status "live without privilege" 1 "$RC"; one_line "live without privilege"
    t_contains "no privilege: says how to get it" "setcap" "$ERR"
    t_contains "no privilege: offers replay" "-r" "$ERR"
fi

run "$SOCKSCOPE" --json -i no-such-if0 -c 1
t_status "no such interface" 1 "$RC"; one_line "no such interface"
t_contains "no such interface named" "no-such-if0" "$ERR"
t_done
