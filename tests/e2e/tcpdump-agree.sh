# tcpdump-agree — for every TCP packet of the project's captures, sockscope's
# flags, raw seq, raw ack and payload length equal what `tcpdump -S -nr` prints.
source "$(dirname "$0")/../lib.sh"
command -v tcpdump >/dev/null || t_skip "tcpdump is not installed (scripts/install-deps test)"

# tcpdump prints seq only for segments with data, SYN, FIN or RST, and ack only
# with the ACK flag: print ours the same way, one packet per line.
td_facts() {
    tcpdump -S -nr "$1" tcp 2>/dev/null | awk '
        /Flags \[/ && !/\[\|tcp\]/ {
            f = $0; sub(/.*Flags \[/, "", f); sub(/\].*/, "", f)
            seq = "-"; if (match($0, /, seq [0-9]+/)) { seq = substr($0, RSTART + 6, RLENGTH - 6) }
            ack = "-"; if (match($0, /, ack [0-9]+/)) { ack = substr($0, RSTART + 6, RLENGTH - 6) }
            len = "-"; rest = substr($0, index($0, "Flags [")); if (match(rest, /length [0-9]+/)) { len = substr(rest, RSTART + 7, RLENGTH - 7) }
            print f, seq, ack, len
        }'
}
ss_facts() {
    "$SOCKSCOPE" --json -r "$1" -f tcp | awk '
        function field(k,   m) { if (match($0, "\"" k "\":\"?[^,\"}]*")) { m = substr($0, RSTART, RLENGTH); sub(/^"[a-z_]+":"?/, "", m); return m } return "" }
        /"proto":"tcp"/ && !/"error"/ {
            f = field("flags"); len = field("len")
            seq = (len > 0 || f ~ /[SFR]/) ? field("seq") : "-"
            ack = (f ~ /\./) ? field("ack") : "-"
            print f, seq, ack, len
        }'
}

files=0; packets=0
for f in "$ROOT"/captures/*.pcap "$ROOT"/tests/data/*.pcap; do
    [ -f "$f" ] || continue
    td_facts "$f" > "$T_TMP/td"
    ss_facts "$f" > "$T_TMP/ss"
    n=$(wc -l < "$T_TMP/td")
    [ "$n" -gt 0 ] || continue
    files=$((files + 1)); packets=$((packets + n))
    if diff "$T_TMP/td" "$T_TMP/ss" > "$T_TMP/diff"; then t_pass; else
        t_fail "$(basename "$f"): sockscope and tcpdump disagree (< tcpdump, > sockscope):"
        head -20 "$T_TMP/diff" >&2
    fi
done
[ "$files" -gt 0 ] || t_skip "no capture with TCP packets found"
echo "  compared $packets TCP packets in $files captures" >&2
t_done
