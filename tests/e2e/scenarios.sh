#!/usr/bin/env bash
# scenarios: every scenario recorded afresh on loopback (loss: in two network
# namespaces) with `sockscope record`, as `make captures` does; `sockscope
# check` passes on each, and fails on another scenario's capture naming the
# right step. Needs root (live capture, namespaces).
source "$(dirname "$0")/../lib.sh"
t_need_root
command -v nft >/dev/null 2>&1 || t_fail "nft is missing (scripts/install-deps test installs nftables)"

mapfile -t names < <("$SOCKSCOPE" check --list | awk '{print $1}')
t_eq "13 scenarios" 13 "${#names[@]}"

# record NAME: into $T_TMP/NAME.pcap (+ .events); fails the test if it fails.
record() {
    local out rc
    out=$(timeout -k 5 60 "$SOCKSCOPE" record "$1" -w "$T_TMP/$1.pcap" 2>&1)
    rc=$?
    t_status "record $1" 0 "$rc"
    [ "$rc" = 0 ] || { sed 's/^/      | /' <<<"$out" >&2; return 1; }
    t_contains "record $1 says what it wrote" "wrote $T_TMP/$1.pcap (" "$out"
    t_true "record $1: the sidecar is there" test -s "$T_TMP/$1.pcap.events"
    # Every process's events, none lost: seq 1, 2, 3 ... and a start event first.
    local bad
    bad=$(awk -F'\t' '{ delete f
            for (i = 2; i <= NF; i++) { k = $i; sub(/=.*/, "", k); f[k] = substr($i, length(k) + 2) }
            if (f["seq"] != seen[f["pid"]] + 1) print "pid " f["pid"] " seq " f["seq"]
            if (f["seq"] == 1 && f["call"] != "start") print "pid " f["pid"] " starts with " f["call"]
            seen[f["pid"]] = f["seq"] }' "$T_TMP/$1.pcap.events")
    t_eq "record $1: every event kept, in order" "" "$bad"
}

# first_fail JSON: the id of the first failing step.
first_fail() {
    grep -o '{"id":"[^"]*","result":"fail"' <<<"$1" | head -1 | sed 's/{"id":"\([^"]*\)".*/\1/'
}

for n in "${names[@]}"; do
    record "$n" || continue
    out=$("$SOCKSCOPE" check "$n" "$T_TMP/$n.pcap" 2>&1)
    rc=$?
    t_status "check $n on its own capture" 0 "$rc"
    t_contains "check $n: verdict" "result: PASS" "$out"
    t_lacks "check $n: nothing skipped (the events are there)" "SKIP" "$out"
    [ "$rc" = 0 ] || sed 's/^/      | /' <<<"$out" >&2
done

# check SCENARIO on OTHER's capture: must fail, first at STEP.
while read -r scenario other step; do
    [ -f "$T_TMP/$other.pcap" ] || { t_fail "no capture of $other to check $scenario on"; continue; }
    json=$("$SOCKSCOPE" check --json "$scenario" "$T_TMP/$other.pcap" 2>&1)
    rc=$?
    t_status "check $scenario on the $other capture fails" 1 "$rc"
    t_eq "check $scenario on the $other capture: the failing step" "$step" "$(first_fail "$json")"
    human=$("$SOCKSCOPE" check "$scenario" "$T_TMP/$other.pcap" 2>&1)
    t_match "check $scenario on $other: a FAIL line says what was seen instead" '^  FAIL  .* — .+' "$human"
done <<'EOF'
handshake rst client-closes-first
half-close handshake server-sends-after-fin
rst handshake client-resets
refused handshake refused
time-wait handshake server-closes-first
close-wait time-wait client-closes-first
backlog handshake connections
nagle handshake handshake-2
zero-window handshake zero-window
udp udp-unreachable datagrams
udp-unreachable udp icmp-unreachable
ipv6 handshake ipv6
loss handshake retransmissions
EOF

# The loss capture: real retransmissions, duplicate ACKs and a back-off, the
# namespaces gone afterwards.
if [ -f "$T_TMP/loss.pcap" ]; then
    out=$("$SOCKSCOPE" check loss "$T_TMP/loss.pcap")
    t_match "loss: retransmissions counted" 'PASS  lost segments .* — [0-9]+ retransmissions' "$out"
    t_match "loss: duplicate ACKs counted" 'PASS  the receiver repeats .* — [0-9]+ duplicate ACK' "$out"
    t_match "loss: the waits grow" 'PASS  a segment lost again .* sent [0-9]+ times; the waits: ' "$out"
    t_eq "loss: its namespaces are removed" "" "$(ip netns list | grep '^sockscope-' || true)"
    # Wireshark's analysis agrees that segments were retransmitted.
    if command -v tshark >/dev/null; then
        n=$(tshark -r "$T_TMP/loss.pcap" -Y tcp.analysis.retransmission 2>/dev/null | wc -l)
        t_true "loss: tshark sees retransmissions too ($n)" test "$n" -gt 0
    fi
fi

# Without events (a student's capture), event steps are skipped, never failed.
if [ -f "$T_TMP/refused.pcap" ]; then
    cp "$T_TMP/refused.pcap" "$T_TMP/student.pcap"
    out=$("$SOCKSCOPE" check refused "$T_TMP/student.pcap")
    t_status "refused without events passes" 0 "$?"
    t_contains "refused without events: the connect() step is skipped" \
        "SKIP  connect() fails with ECONNREFUSED — not checked: this capture has no syscall events" "$out"
fi

# scripts/make-captures itself (what make captures runs), into a folder of ours.
out=$(CAPTURES_DIR="$T_TMP/mc" SOCKSCOPE="$SOCKSCOPE" bash "$ROOT/scripts/make-captures" handshake udp 2>&1)
t_status "make-captures handshake udp" 0 "$?"
t_match "make-captures reports each capture" "^$T_TMP/mc/handshake.pcap +[0-9]+ bytes, 5 steps pass$" "$out"
for n in handshake udp; do
    t_true "make-captures wrote $n.pcap and its events" test -s "$T_TMP/mc/$n.pcap" -a -s "$T_TMP/mc/$n.pcap.events"
done
out=$(CAPTURES_DIR="$T_TMP/mc" SOCKSCOPE="$SOCKSCOPE" bash "$ROOT/scripts/make-captures" nosuch 2>&1)
t_status "make-captures of an unknown scenario" 1 "$?"
t_contains "make-captures: the scenario not updated" "not updated: nosuch" "$out"

# record: usage errors.
"$SOCKSCOPE" record handshake >/dev/null 2>&1
t_status "record without -w" 2 "$?"
out=$("$SOCKSCOPE" record nosuch -w "$T_TMP/x.pcap" 2>&1)
t_status "record an unknown scenario" 2 "$?"
t_contains "record an unknown scenario: says so" "unknown scenario 'nosuch'" "$out"
t_true "record an unknown scenario: writes nothing" test ! -e "$T_TMP/x.pcap"

t_done
