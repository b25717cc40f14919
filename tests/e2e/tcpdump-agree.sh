# tcpdump-agree — for every TCP packet of the project's captures (and of
# tcpdump's test corpus when present), sockscope's
# flags, raw seq, raw ack and payload length equal what `tcpdump -S -nr` prints.
source "$(dirname "$0")/../lib.sh"
command -v tcpdump >/dev/null || t_skip "tcpdump is not installed (scripts/install-deps test)"

# One line per TCP packet, numbered in order (tcpdump -#: some printers add
# lines of their own) ("K facts"), or "K -" when the
# packet is damaged (tcpdump's "[|tcp]", our "error"): those are compared only
# for being damaged-or-not elsewhere, not here. tcpdump prints seq only for
# segments with data, SYN, FIN or RST, and ack only with the ACK flag: ours are
# printed the same way.
td_facts() {
    tcpdump -S -n -# -r "$1" tcp 2>/dev/null | awk '
        /^ *[0-9]+  / {
            k = $1
            if ($0 !~ /Flags \[/ || $0 ~ /\[\|tcp\]/ || $0 ~ /truncated-ip|bad-len|bad hdr|\[bad opt\]/) { print k, "-"; next }
            f = $0; sub(/.*Flags \[/, "", f); sub(/\].*/, "", f)
            seq = "-"; if (match($0, /, seq [0-9]+/)) { seq = substr($0, RSTART + 6, RLENGTH - 6) }
            ack = "-"; if (match($0, /, ack [0-9]+/)) { ack = substr($0, RSTART + 6, RLENGTH - 6) }
            len = "-"; rest = substr($0, index($0, "Flags [")); if (match(rest, /length [0-9]+/)) { len = substr(rest, RSTART + 7, RLENGTH - 7) }
            print k, f, seq, ack, len
        }'
}
ss_facts() {
    "$SOCKSCOPE" --json -r "$1" -f tcp 2>/dev/null | awk '
        function field(k,   m) { if (match($0, "\"" k "\":\"?[^,\"}]*")) { m = substr($0, RSTART, RLENGTH); sub(/^"[a-z_]+":"?/, "", m); return m } return "" }
        {
            if ($0 ~ /"error"/ || $0 !~ /"flags"/) { print NR, "-"; next }
            f = field("flags"); len = field("len")
            seq = (len > 0 || f ~ /[SFR]/) ? field("seq") : "-"
            ack = (f ~ /\./) ? field("ack") : "-"
            print NR, f, seq, ack, len
        }'
}

files=0; packets=0
# Our captures, then tcpdump's own test captures where they exist.
for f in "$ROOT"/captures/*.pcap "$ROOT"/tests/data/*.pcap "$ROOT"/../shared/corpus/tcpdump-tests/*.pcap*; do
    [ -f "$f" ] || continue
    td_facts "$f" > "$T_TMP/td"
    ss_facts "$f" > "$T_TMP/ss"
    t_eq "$(basename "$f"): same TCP packets" "$(wc -l < "$T_TMP/td")" "$(wc -l < "$T_TMP/ss")"
    # Keep the packets both read whole; they must agree on every fact.
    sort -k1,1 "$T_TMP/td" > "$T_TMP/td.s"; sort -k1,1 "$T_TMP/ss" > "$T_TMP/ss.s"
    join "$T_TMP/td.s" "$T_TMP/ss.s" | awk '$2 != "-" && NF == 9 { print $1, $2, $3, $4, $5 > "/dev/stderr"; print $1, $6, $7, $8, $9 }' \
        2>"$T_TMP/td.ok" >"$T_TMP/ss.ok"
    n=$(wc -l < "$T_TMP/td.ok")
    [ "$n" -gt 0 ] || continue
    files=$((files + 1)); packets=$((packets + n))
    if diff "$T_TMP/td.ok" "$T_TMP/ss.ok" > "$T_TMP/diff"; then t_pass; else
        t_fail "$(basename "$f"): sockscope and tcpdump disagree (< tcpdump, > sockscope):"
        head -20 "$T_TMP/diff" >&2
    fi
done
[ "$files" -gt 0 ] || t_skip "no capture with TCP packets found"
echo "  compared $packets TCP packets in $files captures" >&2
t_done
