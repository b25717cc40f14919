# ui-errors — bad input to the UI: a missing file, a bad filter, no privilege
# to capture, no terminal, a terminal too small. One clear line (or a clear
# screen), the documented status, and the terminal restored.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ui-tmux.inc"
CAP=$ROOT/tests/data/ui-lab.pcap
[ -f "$CAP" ] || t_skip "tests/data/ui-lab.pcap is missing"

# run CMD...: sets OUT, ERR, RC (no terminal: stdin from /dev/null)
run() { OUT=$("$@" 2>"$T_TMP/err" </dev/null); RC=$?; ERR=$(cat "$T_TMP/err"); }
one_line() {
    t_eq "$1: one line on stderr" 1 "$(printf '%s\n' "$ERR" | grep -c .)"
    t_match "$1: message prefix" '^sockscope: ' "$ERR"
    t_lacks "$1: no sanitizer report" "Sanitizer" "$ERR"
}

# What is wrong with the input is said first, terminal or not.
run "$SOCKSCOPE" -r "$T_TMP/nope.pcap"
t_status "missing file" 1 "$RC"; one_line "missing file"
t_contains "missing file is named" "nope.pcap" "$ERR"
run "$SOCKSCOPE" -r "$CAP" -f "tcp port"
t_status "bad filter" 1 "$RC"; one_line "bad filter"
t_contains "bad filter: libpcap's words" 'invalid filter "tcp port"' "$ERR"
run "$SOCKSCOPE" -r "$CAP"
t_status "no terminal" 2 "$RC"; one_line "no terminal"
t_contains "no terminal: says what to use" "--text" "$ERR"
t_eq "no terminal: nothing on stdout" "" "$OUT"

# The same in a terminal: the message, the prompt again, a sane tty.
ui_start 100 30
ui_run -r "$T_TMP/nope.pcap"
ui_expect_exit "missing file (tty)" 1
t_contains "missing file (tty): the message" "nope.pcap" "$(cat "$UI_ERR")"
ui_run -r "$CAP" -f "ip and and"
ui_expect_exit "bad filter (tty)" 1
t_contains "bad filter (tty): the message" "invalid filter" "$(cat "$UI_ERR")"
ui_cmd "TERM=dumb $SOCKSCOPE -r $CAP 2>$UI_ERR"
ui_expect_exit "dumb terminal" 2
t_contains "dumb terminal: the message" "--text" "$(cat "$UI_ERR")"

# No privilege to capture: what is missing and what to do.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    chmod 755 "$T_TMP"
    ui_cmd "setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all $SOCKSCOPE -i lo 2>$UI_ERR"
    ui_expect_exit "no privilege" 1
    err=$(cat "$UI_ERR")
    t_eq "no privilege: one line" 1 "$(printf '%s\n' "$err" | grep -c .)"
    t_contains "no privilege: setcap" "setcap cap_net_raw,cap_net_admin=eip" "$err"
    t_contains "no privilege: sudo" "sudo" "$err"
    t_contains "no privilege: or replay a file" "-r" "$err"
fi

# A terminal too small: said on the screen until it is big enough.
ui_resize 50 12
ui_run -r "$CAP"
ui_expect "too small: said" 'The terminal is too small \(50x12\)'
ui_keys j
ui_resize 100 30
ui_expect "big enough: the UI" '^ REPLAY +paused +packet 1 \(1 of 16\)'
ui_resize 40 10
ui_expect "too small again" 'The terminal is too small \(40x10\)'
ui_quit_sane "too small"
t_done
