# corpus — under AddressSanitizer and UndefinedBehaviorSanitizer, --text and
# --json over every capture of tcpdump's test suite (many malformed) end
# without a crash, a hang or a sanitizer report; failures are one clear line.
source "$(dirname "$0")/../lib.sh"
CORPUS=$ROOT/../shared/corpus/tcpdump-tests
[ -d "$CORPUS" ] || t_skip "no corpus at ../shared/corpus/tcpdump-tests (only in the developers' tree)"
case "$SOCKSCOPE" in *san*) ;; *) echo "  note: $SOCKSCOPE is not the sanitizer build" >&2 ;; esac

check_one() { # FILE MODE -> prints a problem line, or nothing
    local f=$1 mode=$2 err rc
    err=$(timeout 20 "$SOCKSCOPE" "$mode" --width 100 -r "$f" 2>&1 >/dev/null); rc=$?
    if [ $rc -eq 124 ]; then echo "HANG $mode $f"; return; fi
    if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then echo "EXIT $rc $mode $f: $(head -c 300 <<<"$err")"; return; fi
    if grep -qE 'Sanitizer|runtime error' <<<"$err"; then echo "SANITIZER $mode $f: $(grep -m3 -E 'Sanitizer|runtime error|#[0-9] ' <<<"$err")"; return; fi
    if [ $rc -eq 1 ] && [ "$(grep -c . <<<"$err")" -ne 1 ]; then echo "MESSAGE $mode $f: not one line: $(head -c 300 <<<"$err")"; fi
}
export -f check_one
export SOCKSCOPE

find "$CORPUS" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) | sort > "$T_TMP/files"
total=$(wc -l < "$T_TMP/files")
for mode in --text --json; do
    xargs -P 2 -I{} bash -c 'check_one "$1" '"$mode" _ {} < "$T_TMP/files" > "$T_TMP/problems$mode"
    if [ -s "$T_TMP/problems$mode" ]; then
        t_fail "$mode: $(wc -l < "$T_TMP/problems$mode") of $total corpus files:"; head -20 "$T_TMP/problems$mode" >&2
    else
        t_pass
    fi
done
echo "  $total corpus files, --text and --json" >&2
t_done
