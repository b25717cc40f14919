# i18n — Chinese (zh_CN): the catalogue has every message of the sources,
# translated and not fuzzy (the checker says which one is missing); --text, the
# labs and the UI speak Chinese with --lang zh, LANG=zh_CN.UTF-8 (generated
# locale or not) and LANGUAGE=zh_CN; the UI in tmux keeps its columns with wide
# characters at 80x24 and 120x40, and across resizes.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/labs-lib.bash"
CAP=$ROOT/tests/data/ui-lab.pcap
[ -f "$CAP" ] || t_skip "tests/data/ui-lab.pcap is missing"
for tool in xgettext msgmerge msgfmt msgcmp msgattrib gettext ngettext; do
    command -v "$tool" >/dev/null || t_skip "$tool is missing (scripts/install-deps build installs gettext)"
done
[ -f "$ROOT/build/locale/zh_CN/LC_MESSAGES/sockscope.mo" ] ||
    t_skip "build/locale/zh_CN/LC_MESSAGES/sockscope.mo is missing (make builds it)"
export LC_ALL=C.UTF-8 # widths (wc -L) and patterns are UTF-8

# zh MSGID / zn SINGULAR PLURAL N: the catalogue's translation, as the
# programs get it (so that the checks follow the catalogue, not a copy of it).
zh() { TEXTDOMAINDIR="$ROOT/build/locale" LANGUAGE=zh_CN gettext -d sockscope -- "$1"; }
zn() { TEXTDOMAINDIR="$ROOT/build/locale" LANGUAGE=zh_CN ngettext -d sockscope -- "$1" "$2" "$3"; }
# fill FORMAT ARGS...: the printf directives of FORMAT replaced in order.
fill() {
    local s=$1 a; shift
    for a in "$@"; do
        a=$(printf '%s' "$a" | sed 's/[\/&]/\\&/g')
        s=$(printf '%s' "$s" | sed -E "s/%[-0-9.]*(ll|l|z)?[dsux]/$a/")
    done
    printf '%s' "$s"
}
# dw TEXT: display width in columns (wide characters count 2).
dw() { printf '%s' "$1" | wc -L; }
# col LINE NEEDLE: the display column where NEEDLE first starts in LINE (-1: absent).
col() {
    [[ $1 == *"$2"* ]] || { echo -1; return; }
    dw "${1%%"$2"*}"
}

# ------------------------------------------------------------ (a) the catalogue

out=$("$ROOT/scripts/update-po" --check 2>&1); rc=$?
t_status "scripts/update-po --check: every catalogue is complete (it says: $(tr '\n' ' ' <<<"$out" | cut -c1-300))" 0 "$rc"
t_match "zh_CN: only translated messages, against the current sources" \
    '^po/zh_CN\.po: [0-9]+ translated messages\.$' "$out"

# The same, independently: a fresh template from the sources, msgcmp and msgfmt.
"$ROOT/scripts/update-po" --pot "$T_TMP/fresh.pot" 2>"$T_TMP/pot.err"
t_eq "the sources extract without warnings" "" "$(cat "$T_TMP/pot.err")"
msgcmp "$ROOT/po/zh_CN.po" "$T_TMP/fresh.pot" >"$T_TMP/msgcmp" 2>&1
t_status "msgcmp: every msgid of the sources is translated in zh_CN.po ($(head -5 "$T_TMP/msgcmp" | tr '\n' ' '))" 0 $?
stats=$(msgfmt --check --statistics -o /dev/null "$ROOT/po/zh_CN.po" 2>&1)
t_match "msgfmt --check --statistics: no fuzzy, no untranslated" '^[0-9]+ translated messages\.$' "$stats"
in_pot=$(($(grep -c '^msgid ' "$T_TMP/fresh.pot") - 1))
t_eq "as many translations as messages in the sources (run scripts/update-po)" \
    "$in_pot translated messages." "$stats"
t_true "the sources have messages at all" test "$in_pot" -gt 500
t_contains "one plural form for Chinese" '"Plural-Forms: nplurals=1; plural=0;\n"' "$(cat "$ROOT/po/zh_CN.po")"

# The checker is not blind: a new message, and a fuzzy translation, are named.
mkdir -p "$T_TMP/src"
cp -r "$ROOT/core" "$ROOT/cli" "$ROOT/tui" "$ROOT/labs" "$ROOT/scripts" "$ROOT/po" "$T_TMP/src/"
printf '%s\n' 'static const char *i18n_test_msg = N_("a message nobody translated yet");' >>"$T_TMP/src/tui/keys.c"
out=$("$T_TMP/src/scripts/update-po" --check 2>&1); rc=$?
t_status "a new message in the sources: the check fails" 1 "$rc"
t_contains "... and names the message and its file" 'tui/keys.c: "a message nobody translated yet"' "$out"
t_match "... and counts it" 'po/zh_CN\.po: [0-9]+ translated messages, 1 untranslated message\.' "$out"
cp "$ROOT/tui/keys.c" "$T_TMP/src/tui/keys.c"
awk '$0 == "msgid \"Ladder\"" { print "#, fuzzy" } { print }' "$ROOT/po/zh_CN.po" >"$T_TMP/src/po/zh_CN.po"
out=$("$T_TMP/src/scripts/update-po" --check 2>&1); rc=$?
t_status "a fuzzy translation: the check fails" 1 "$rc"
t_contains "... and names it" 'fuzzy message(s)' "$out"
t_contains "... the msgid" 'tui/ladder.c: "Ladder"' "$out"

# ------------------------------------------------------------ (b) --text and the labs

en=$("$SOCKSCOPE" --lang en --text --width 100 -r "$CAP")
txt=$("$SOCKSCOPE" --lang zh --text --width 100 -r "$CAP"); rc=$?
t_status "--lang zh --text: exit 0" 0 "$rc"
hs2=$(fill "$(zh 'Handshake 2/3: the server accepts (SYN-ACK, ack %u).')" 1)
refused=$(fill "$(zh 'Connection refused: nothing listens on port %u (RST).')" 46667)
dgram=$(fill "$(zh 'A datagram of %u bytes: no connection, no ACK.')" 13)
t_true "the catalogue has Chinese for the handshake" test "$hs2" != "Handshake 2/3: the server accepts (SYN-ACK, ack 1)."
t_contains "--lang zh: the SYN-ACK explained in Chinese" "$hs2" "$txt"
t_contains "--lang zh: connection refused" "$refused" "$txt"
t_contains "--lang zh: a UDP datagram" "$dgram" "$txt"
t_contains "--lang zh: the first line" "$(fill "$(zh '%s: %zu packets, %zu conversations')" "$CAP" 16 3)" "$txt"
t_lacks "--lang zh: no English explanation left" "Handshake" "$txt"
t_contains "--lang en: English" "Handshake 2/3: the server accepts (SYN-ACK, ack 1)." "$en"
arrows() { grep -oE '\|[-<][^|]*[->]\|' | sed 's/--*/-/g'; }
t_eq "--lang zh: the ladder has the arrows of --lang en" "$(arrows <<<"$en")" "$(arrows <<<"$txt")"

# --text lays Chinese out by display width: no line wider than --width, the
# column titles over their columns, the lanes' bars in one column.
for w in 80 100 132; do
    t=$("$SOCKSCOPE" --lang zh --text --width "$w" -r "$CAP")
    t_true "--text --width $w in Chinese: no line wider than $w columns ($(wc -L <<<"$t"))" \
        test "$(wc -L <<<"$t")" -le "$w"
done
head=$(grep -m1 -E "^ *$(zh No.) " <<<"$txt")
row1=$(grep -m1 -E '^ +1 ' <<<"$txt")
t_eq "--text: $(zh CLIENT) heads the client's state column" "$(col "$row1" SYN_SENT)" "$(col "$head" "$(zh CLIENT)")"
t_eq "--text: $(zh Time) ends over the times" \
    "$(($(col "$row1" 0.000000) + 8))" "$(($(col "$head" "$(zh Time)") + $(dw "$(zh Time)")))"
bars=$(grep -E '^ +[0-9]+ [0-9.]+ ' <<<"$txt" | while IFS= read -r l; do
    r=${l%|*}; echo "$(col "$l" '|') $(dw "$r")"; done | sort -u)
t_eq "--text: every arrow between the same two bars" 1 "$(wc -l <<<"$bars")"

# The locale chooses the language too; C stays English.
unset LC_ALL
t_contains "LANGUAGE=zh_CN with C.UTF-8" "$hs2" \
    "$(LC_ALL=C.UTF-8 LANGUAGE=zh_CN "$SOCKSCOPE" --text -r "$CAP")"
t_contains "LANG=zh_CN.UTF-8 (whether or not the locale is generated here)" "$hs2" \
    "$(env -u LANGUAGE -u LC_MESSAGES LANG=zh_CN.UTF-8 "$SOCKSCOPE" --text -r "$CAP")"
t_contains "LANG=zh_CN.UTF-8 --lang en: English" "Handshake 2/3" \
    "$(env -u LANGUAGE LANG=zh_CN.UTF-8 "$SOCKSCOPE" --lang en --text -r "$CAP")"
t_contains "LC_ALL=C: English, LANGUAGE or not (gettext's rule)" "Handshake 2/3" \
    "$(LC_ALL=C LANGUAGE=zh_CN "$SOCKSCOPE" --text -r "$CAP")"
# A zh_CN locale really generated (in a private directory, no root needed).
if ! locale -a 2>/dev/null | grep -qiE '^zh_CN\.utf-?8$'; then
    if command -v localedef >/dev/null && mkdir -p "$T_TMP/locale" &&
        localedef -i zh_CN -f UTF-8 "$T_TMP/locale/zh_CN.UTF-8" >/dev/null 2>&1; then
        export LOCPATH=$T_TMP/locale
    fi
fi
if LC_ALL=zh_CN.UTF-8 locale charmap 2>/dev/null | grep -q UTF-8; then
    t_contains "LANG=zh_CN.UTF-8 with the locale generated" "$hs2" \
        "$(env -u LANGUAGE LANG=zh_CN.UTF-8 "$SOCKSCOPE" --text -r "$CAP")"
    t_contains "... and the labs" "$(zh 'IPv4 needs four numbers')" \
        "$(env -u LANGUAGE LANG=zh_CN.UTF-8 "$BIN/lab-ipcheck" -v 1.2.3)"
else
    echo "  note [$T_NAME]: no zh_CN.UTF-8 locale (localedef unavailable): only the fallback is tested" >&2
fi
export LC_ALL=C.UTF-8
err=$("$SOCKSCOPE" --lang fr --text -r "$CAP" 2>&1 >/dev/null); rc=$?
t_status "--lang fr: bad command line" 2 "$rc"
t_contains "--lang fr: says which languages exist" "unknown language 'fr': use --lang zh or --lang en" "$err"

# The labs: --lang, the locale, plurals, errors, --help.
t_eq "lab-ipcheck --lang zh: why not an address, in Chinese" \
    "1.2.3	0	$(zh 'IPv4 needs four numbers')" "$(lab ipcheck --lang zh -v 1.2.3)"
t_eq "lab-ipcheck --lang=zh" "1.2.3	0	$(zh 'IPv4 needs four numbers')" "$(lab ipcheck --lang=zh -v 1.2.3)"
t_eq "lab-ipcheck under LANG=zh_CN.UTF-8" "1.2.3	0	$(zh 'IPv4 needs four numbers')" \
    "$(env -u LC_ALL -u LANGUAGE LANG=zh_CN.UTF-8 "$BIN/lab-ipcheck" -v 1.2.3)"
t_eq "lab-ipcheck --lang en under LANG=zh_CN.UTF-8" "1.2.3	0	IPv4 needs four numbers" \
    "$(env -u LC_ALL -u LANGUAGE LANG=zh_CN.UTF-8 "$BIN/lab-ipcheck" --lang en -v 1.2.3)"
err=$(lab tcp-client --lang xx 2>&1); rc=$?
t_status "a lab with --lang xx: bad usage" 2 "$rc"
t_contains "... says which languages exist" "unknown language 'xx': use --lang zh or --lang en." "$err"
help=$(lab udp-send --lang zh --help)
t_contains "lab --help in Chinese: usage" "$(fill "$(zh $'Usage: %s [OPTION]... %s\n')" lab-udp-send '[MESSAGE]')" "$help"
t_contains "lab --help lists --lang" "--lang zh|en" "$help"
t_contains "... in Chinese" "$(zh "language of the messages (default: the locale's)")" "$help"

port=$(t_free_port)
out=$(lab tcp-client --lang zh --port "$port" 2>&1); rc=$?
t_status "lab-tcp-client --lang zh to a closed port: network error" 1 "$rc"
t_contains "... explained in Chinese" \
    "$(fill "$(zh 'nothing listens on %s; the kernel answered the SYN with RST')" "127.0.0.1:$port")" "$out"
server_bg "$T_TMP/server" --lang zh --port "$port" --max-clients 1
out=$(lab tcp-client --lang zh --port "$port" 2>&1); rc=$?
t_status "a TCP exchange in Chinese: exit 0" 0 "$rc"
wait "$SERVER_PID" 2>/dev/null
t_contains "the client's read(), plural form of the catalogue" \
    "$(fill "$(zn 'read() → %zd byte (%s): %s' 'read() → %zd bytes (%s): %s' 10)" 10 utf8 'goodbye!!!')" "$out"
t_contains "the server saw the client's FIN" "$(zh "peer sent FIN: read() returned 0")" "$(cat "$T_TMP/server")"
t_contains "the server's write()" \
    "$(fill "$(zn 'write() → %zu byte: %s' 'write() → %zu bytes: %s' 10)" 10 'goodbye!!!')" "$(cat "$T_TMP/server")"

# ------------------------------------------------------------ (c) the UI in tmux
source "$(dirname "$0")/ui-tmux.inc"

# check_screen WHAT COLS: no line wider than the pane; the list's and the
# ladder's columns line up; the status bar is Chinese.
check_screen() {
    local what=$1 cols=$2 screen l w bad="" n=0
    screen=$(ui_screen)
    while IFS= read -r l; do
        n=$((n + 1))
        w=$(dw "$l")
        [ "$w" -le "$cols" ] || bad+=" line $n is $w columns;"
    done <<<"$screen"
    t_eq "$what: no line wider than $cols columns" "" "$bad"
    # The packet list: each heading over its column.
    local head row
    head=$(sed -n 1p <<<"$screen")
    row=$(grep -m1 -E '^ +1 0\.000000 ' <<<"$screen")
    t_eq "$what: '$(zh Time)' over the times" "$(col "$row" 0.000000)" "$(col "$head" "$(zh Time)")"
    t_eq "$what: '$(zh Event)' over the events" "$(col "$row" "$(zh 'handshake 1/3')")" "$(col "$head" "$(zh Event)")"
    t_eq "$what: '$(zh 'Summary (tcpdump -n)')' over the summaries" \
        "$(col "$row" 'IP 127.0.0.1')" "$(col "$head" "$(zh 'Summary (tcpdump -n)')")"
    # The ladder: from its heads to the explanation, the lanes' two bars stay put.
    local lanes
    lanes=$(awk -v t="$(zh Ladder)" -v e="$(fill "$(zh 'Explanation of packet %u')" 1)" '
        index($0, e) == 2 { exit } k >= 2 { print } k { k++ } !k && index($0, t) == 2 { k = 1 }' <<<"$screen" |
        while IFS= read -r l; do
            local rest=$l c=0 p cs=""
            while [[ $rest == *│* ]]; do
                p=${rest%%│*}; c=$((c + $(dw "$p"))); cs+=" $c"; c=$((c + 1)); rest=${rest#*│}
            done
            echo "$cs"
        done | sort | uniq -c | sed 's/^ *//')
    t_match "$what: the ladder has rows" '^[0-9]+ ' "$lanes"
    t_eq "$what: every ladder row has its two lanes in the same columns" 1 "$(wc -l <<<"$lanes")"
    t_match "$what: ... two of them" '^[0-9]+  [0-9]+ [0-9]+$' "$lanes"
    # The status bar.
    t_match "$what: the status bar" "^ $(zh REPLAY) +$(zh paused) " "$(tail -1 <<<"$screen")"
}

# ui_redrawn WHAT ROWS: the status bar is on the last of ROWS lines again
# (after a resize the old screen is cut until the program draws anew).
ui_redrawn() {
    local end=$((SECONDS + 10))
    while [ $SECONDS -le $end ]; do
        if ui_screen | awk -v n="$2" -v s=" $(zh REPLAY) " 'NR == n && index($0, s) == 1 { f = 1 } END { exit !f }'; then
            t_pass; return
        fi
        sleep 0.05
    done
    t_fail "$1: the status bar never came back on line $2:"; ui_screen | sed 's/^/      | /' >&2
}

ui_start 80 24
ui_run --lang zh -r "$CAP"
ui_expect "zh UI: starts" "^ $(zh REPLAY) +$(zh paused) +$(fill "$(zh 'packet %u (%zu of %zu)')" 1 1 16)"
ui_expect "zh UI: the ladder's title" "$(fill "$(zh ' Ladder: conversation %u, %s, packet %zu of %zu')" 0 TCP 1 10)"
ui_expect "zh UI: the explanation's title" "^ $(fill "$(zh 'Explanation of packet %u')" 1)"
hints=$(zh '? help  q quit  j/k packet  h/l event  [/] conversation  p play  / search  f filter  c conversations  s stream  d detail')
t_contains "zh UI: the key hints" "${hints:0:12}" "$(ui_screen)"
check_screen "80x24" 80
# The explanation pane says what --json --explain says (wrapping aside).
want=$("$SOCKSCOPE" --lang zh --json --explain -r "$CAP" | sed -n 1p | sed -E 's/.*"explain":"(.*)"\}$/\1/; s/ //g')
got=$(ui_screen | awk -v e="$(fill "$(zh 'Explanation of packet %u')" 1)" '
    found && (/^ *$/ || /^\?/) { exit } found { printf "%s", $0 } index($0, e) == 2 { found = 1 }' | tr -d ' ')
t_eq "80x24: the explanation pane is --json --explain's, in Chinese" "$want" "$got"

ui_resize 120 40
ui_redrawn "resized to 120x40" 40
check_screen "120x40" 120
ui_keys j j j
ui_expect "120x40: stepped to packet 4" "$(fill "$(zh 'packet %u (%zu of %zu)')" 4 4 16)"
ui_keys g
ui_expect "120x40: back to packet 1" "$(fill "$(zh 'packet %u (%zu of %zu)')" 1 1 16)"
check_screen "120x40 after stepping" 120
ui_resize 80 24
ui_redrawn "back to 80x24" 24
check_screen "80x24 after resizes" 80

# The conversations screen: its headings over its columns.
ui_keys c
ui_expect "zh conversations screen" "$(fill "$(zh 'Conversations: %zu')" 3)"
screen=$(ui_screen)
head=$(sed -n 2p <<<"$screen")
row=$(sed -n 3p <<<"$screen")
t_eq "conversations: '$(zh proto)' over the protocols" "$(col "$row" TCP)" "$(col "$head" "$(zh proto)")"
t_eq "conversations: '$(zh 'client -> server')' over the endpoints" \
    "$(col "$row" 127.0.0.1)" "$(col "$head" "$(zh 'client -> server')")"
t_eq "conversations: '$(zh 'packets c/s')' ends over the counts" "$(($(col "$row" 6/4) + 3))" \
    "$(($(col "$head" "$(zh 'packets c/s')") + $(dw "$(zh 'packets c/s')")))"
ui_keys q
ui_keys '?'
ui_expect "zh help screen" "$(zh 'Help: every key (q or Esc to go back)')"
ui_expect "zh help: a key and what it does" "j Down Space +$(zh 'next packet')"
ui_keys q
ui_quit_sane "zh UI"

# The locale alone (no --lang) gives the Chinese UI as well.
ui_cmd "env -u LC_ALL -u LANGUAGE LANG=zh_CN.UTF-8 $(printf '%q' "$SOCKSCOPE") -r $(printf '%q' "$CAP") 2>$UI_ERR"
ui_expect "LANG=zh_CN.UTF-8: the Chinese UI" "^ $(zh REPLAY) +$(zh paused) "
check_screen "LANG=zh_CN.UTF-8, 80x24" 80
ui_quit_sane "LANG=zh_CN.UTF-8 UI"

t_done
