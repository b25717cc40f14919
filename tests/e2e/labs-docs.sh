#!/usr/bin/env bash
# labs-docs: the labs' man pages render without warnings and document exactly
# the options --help lists; --help is short and complete; the exit status
# table is in every page; the labs' messages are marked for translation.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/labs-lib.bash"

labs="tcp-server tcp-client udp-send udp-recv ipcheck"

render() { # PAGE: the text, warnings on stderr
    if command -v man >/dev/null; then
        MANWIDTH=80 man --warnings -l "$1"
    else
        groff -man -Tutf8 -ww "$1"
    fi
}
command -v man >/dev/null || command -v groff >/dev/null || t_skip "neither man nor groff is installed"

for l in $labs; do
    page="$ROOT/docs/man/lab-$l.1"
    t_true "lab-$l: man page exists" test -f "$page"
    [ -f "$page" ] || continue
    render "$page" >"$T_TMP/page" 2>"$T_TMP/warn"
    t_eq "lab-$l: man page renders without warnings" "" "$(cat "$T_TMP/warn")"
    text=$(cat "$T_TMP/page")
    for section in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
        t_match "lab-$l: section $section" "^$section\$" "$text"
    done

    help=$(lab "$l" --help 2>"$T_TMP/help.err"); rc=$?
    t_status "lab-$l --help: exit 0" 0 "$rc"
    t_eq "lab-$l --help: nothing on stderr" "" "$(cat "$T_TMP/help.err")"
    t_true "lab-$l --help: short (at most 40 lines)" test "$(wc -l <<<"$help")" -le 40
    t_match "lab-$l --help: usage line" "^Usage: lab-$l \[OPTION\]\.\.\." "$help"
    t_match "lab-$l --help: names Node's calls" "^Node\.js: " "$help"
    t_match "lab-$l --help: points to the exit status" "Exit status: 0 .*\(see lab-$l\(1\)\)\.$" "$help"

    # The options --help lists and those the page documents are the same.
    from_help=$(grep -oE '^  (-[a-z], )?-{1,2}[a-z0-9-]+' <<<"$help" | sed 's/^  //; s/^-[a-z], //' | sort -u)
    from_page=$(sed -n '/^OPTIONS$/,/^EXIT STATUS$/p' <<<"$text" | grep -oE '^       (-[a-z0-9], )*-{1,2}[a-z0-9-]+' |
        sed 's/^ *//; s/^-[a-z0-9], //' | sort -u)
    # -4, -6 are one entry ("-4, -6") on the page.
    grep -q '^       -4, -6' <<<"$text" && from_page=$(printf '%s\n-4\n-6\n' "$from_page" | sort -u)
    from_page=$(grep -vx -- '--' <<<"$from_page")
    t_eq "lab-$l: the page documents exactly the options of --help" "$from_help" "$from_page"
    for st in 0 1 2; do
        t_match "lab-$l: exit status $st documented" "^       $st  " "$(sed -n '/^EXIT STATUS$/,/^[A-Z]/p' <<<"$text")"
    done
done
t_contains "the shared table" "| 3 | the address cannot be used |" "$(cat "$ROOT/docs/labs-exit-status.md")"

# Translation: the sentences students read are marked (xgettext finds them).
if command -v xgettext >/dev/null; then
    xgettext --from-code=UTF-8 -k_ -kN_ -kP_:1,2 -o "$T_TMP/labs.pot" "$ROOT"/labs/*.c 2>"$T_TMP/xg.err"
    t_eq "xgettext reads the labs without complaint" "" "$(grep -v 'warning: .*format string' "$T_TMP/xg.err")"
    pot=$(cat "$T_TMP/labs.pot")
    for msg in 'nothing listens on %s; the kernel answered the SYN with RST' \
               'peer sent FIN: read() returned 0' \
               'connect(): the kernel will send SYN and wait for SYN-ACK, then answer' \
               'msgid_plural "read() → %zd bytes (%s): %s"' \
               'a number has a leading zero' \
               'show this help and exit'; do
        t_contains "marked for translation: $msg" "$msg" "$pot"
    done
else
    t_fail "xgettext is missing (scripts/install-deps installs gettext)"
fi

t_done
