#!/usr/bin/env bash
# check-grading: `sockscope check` as a teacher uses it on the committed
# captures (no root needed): the step lines, the exit statuses, a folder of
# student captures graded into one JSON table (some passing, one failing, one
# not a capture), the scenario list, usage errors; and the committed captures
# replay in tshark.
source "$(dirname "$0")/../lib.sh"
C="$ROOT/captures"

# ------------------------------------------------------------ one capture
out=$("$SOCKSCOPE" check handshake "$C/handshake.pcap")
t_status "handshake passes" 0 "$?"
t_contains "the handshake step with its packets" \
    "  PASS  the three-way handshake completes (SYN, SYN-ACK, ACK)  (packets 1, 2, 3)" "$out"
t_match "the connection graded" '^  connection 1: 127\.0\.0\.1:[0-9]+ > 127\.0\.0\.1:[0-9]+ \(conversation 0\)$' "$out"
t_contains "the verdict" "  result: PASS (5 of 5 steps passed, 0 not checked)" "$out"

out=$("$SOCKSCOPE" check handshake "$C/time-wait.pcap")
t_status "handshake on the time-wait capture fails" 1 "$?"
t_match "the failing step says who closed first instead" \
    "^  FAIL  the client closes first: the first FIN is the client's — the server sent the first FIN \(packet [0-9]+\), not the client  \(packet [0-9]+\)$" "$out"
t_contains "the verdict" "result: FAIL (4 of 5 steps passed, 1 failed, 0 not checked)" "$out"

# In Chinese (--lang before or after the sub-command's name).
out=$("$SOCKSCOPE" --lang zh check handshake "$C/time-wait.pcap")
t_status "--lang zh check: the same verdict" 1 "$?"
t_match "--lang zh check: the failing step in Chinese" \
    '^  FAIL  客户端先关闭：第一个 FIN 是客户端的 — 第一个 FIN 是服务器发的（数据包 [0-9]+），不是客户端' "$out"
t_contains "check --lang zh: the same" "结果：通过" "$("$SOCKSCOPE" check --lang zh handshake "$C/handshake.pcap")"

# Event steps: graded with the sidecar, skipped without it, never failed.
out=$("$SOCKSCOPE" check time-wait "$C/time-wait.pcap")
t_status "time-wait passes with its events" 0 "$?"
t_match "EADDRINUSE from the events" "PASS  restarted without SO_REUSEADDR, the server's bind\(\) fails with EADDRINUSE — lab-tcp-server: bind\(fd 3, 127\.0\.0\.1:[0-9]+\) = -1 EADDRINUSE" "$out"
out=$("$SOCKSCOPE" check --no-events time-wait "$C/time-wait.pcap")
t_status "time-wait passes without events" 0 "$?"
t_contains "the event step is skipped" "SKIP  restarted without SO_REUSEADDR" "$out"
t_contains "... with the reason" "not checked: this capture has no syscall events" "$out"
t_contains "the verdict counts it" "result: PASS (4 of 5 steps passed, 1 not checked)" "$out"
cp "$C/rst.pcap" "$T_TMP/rst-copy.pcap"   # a copy without its sidecar
out=$("$SOCKSCOPE" check rst "$T_TMP/rst-copy.pcap")
t_status "a capture without a sidecar passes" 0 "$?"
t_contains "its event step is skipped" "SKIP  the server's read() fails with ECONNRESET" "$out"
out=$("$SOCKSCOPE" check --events "$C/handshake.pcap.events" rst "$T_TMP/rst-copy.pcap")
t_status "--events: another run's events do not fit" 1 "$?"
t_contains "--events: the nearest call is named" "no such call among" "$out"

# -f: grade only part of a capture.
out=$("$SOCKSCOPE" check -f "tcp[tcpflags] & tcp-syn != 0" handshake "$C/handshake.pcap")
t_status "-f keeps only the SYNs: fails" 1 "$?"
t_contains "-f: packet numbers stay the file's" "SYN (packet 1) and SYN-ACK (packet 2), but no ACK" "$out"
"$SOCKSCOPE" check -f "port port" handshake "$C/handshake.pcap" >/dev/null 2>&1
t_status "-f with a bad filter: unusable" 2 "$?"

# ------------------------------------------------------------ a class folder
class="$T_TMP/class"
mkdir -p "$class"
cp "$C/handshake.pcap" "$class/alice.pcap"
cp "$C/handshake.pcap.events" "$class/alice.pcap.events"
cp "$C/time-wait.pcap" "$class/bob.pcap"          # the server closed first
cp "$C/ipv6.pcap" "$class/dave.pcapng.pcap"       # passes too (any address family)
echo "this is not a capture" >"$class/carol.pcap"
echo "notes" >"$class/README.txt"                 # not a capture name: not graded
json=$("$SOCKSCOPE" check --json handshake "$class")
t_status "a folder with an unusable file: exit 2" 2 "$?"
t_match "one document: the scenario and its steps first" '^\{"scenario":"handshake","steps":\[\{"id":"handshake","expect":' "$(head -1 <<<"$json")"
t_eq "the files in name order" "alice.pcap bob.pcap carol.pcap dave.pcapng.pcap" \
    "$(grep -o '"file":"[^"]*"' <<<"$json" | sed 's/.*\///; s/"$//' | tr '\n' ' ' | sed 's/ $//')"
t_match "alice passes" '"file":"[^"]*/alice\.pcap","result":"pass","passed":5,"failed":0,"skipped":0,"events":true' "$json"
t_match "bob fails at client-closes-first" '"file":"[^"]*/bob\.pcap","result":"fail","passed":4,"failed":1.*\{"id":"client-closes-first","result":"fail","holds":false,"packets":\[[0-9]+\],"detail":"the server sent the first FIN' "$json"
t_match "carol is unusable, with the reason" '"file":"[^"]*/carol\.pcap","result":"unusable","error":".+"' "$json"
t_contains "the summary" '"summary":{"files":4,"pass":2,"fail":1,"unusable":1}}' "$json"
if command -v python3 >/dev/null; then
    t_true "the document is valid JSON" python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$json"
    t_eq "a teacher's table from it" "alice.pcap pass 5/5
bob.pcap fail 4/5
carol.pcap unusable -
dave.pcapng.pcap pass 5/5" "$(python3 -c '
import json, sys, os
d = json.load(sys.stdin)
n = len(d["steps"])
for f in d["files"]:
    score = "%d/%d" % (f["passed"], n) if "passed" in f else "-"
    print(os.path.basename(f["file"]), f["result"], score)' <<<"$json")"
fi
rm "$class/carol.pcap"
"$SOCKSCOPE" check --json handshake "$class" >/dev/null
t_status "a folder with a failing capture: exit 1" 1 "$?"
rm "$class/bob.pcap"
out=$("$SOCKSCOPE" check handshake "$class")
t_status "a folder where all pass: exit 0" 0 "$?"
t_contains "the summary table" "summary (handshake): 2 files, 2 passed, 0 failed, 0 unusable" "$out"
mkdir "$T_TMP/empty"
out=$("$SOCKSCOPE" check handshake "$T_TMP/empty" 2>&1)
t_status "an empty folder: unusable" 2 "$?"
t_contains "an empty folder: says so" "holds no capture" "$out"
out=$("$SOCKSCOPE" check handshake "$T_TMP/nonexistent.pcap" 2>&1)
t_status "a missing file: unusable" 2 "$?"
t_contains "a missing file: named" "nonexistent.pcap" "$out"
"$SOCKSCOPE" check handshake "$C/handshake.pcap" "$T_TMP/nonexistent.pcap" >/dev/null 2>&1
t_status "several files: the worst status" 2 "$?"

# ------------------------------------------------------------ the command line
out=$("$SOCKSCOPE" check --list)
t_status "--list" 0 "$?"
t_eq "--list: 13 scenarios, one line each" 13 "$(grep -c . <<<"$out")"
t_match "--list: name and summary" '^  half-close +the client shuts down its side' "$out"
out=$("$SOCKSCOPE" check 2>&1)
t_status "check alone" 2 "$?"
t_contains "check alone lists the scenarios" "  udp-unreachable " "$out"
out=$("$SOCKSCOPE" check nosuch "$C/handshake.pcap" 2>&1)
t_status "an unknown scenario" 2 "$?"
t_contains "an unknown scenario: says so" "unknown scenario 'nosuch'; the scenarios are:" "$out"
t_contains "an unknown scenario: the list" "  loss " "$out"
"$SOCKSCOPE" check handshake >/dev/null 2>&1
t_status "a scenario without a file" 2 "$?"
"$SOCKSCOPE" check --bogus handshake "$C/handshake.pcap" >/dev/null 2>&1
t_status "an unknown option" 2 "$?"
out=$("$SOCKSCOPE" check --help)
t_status "--help" 0 "$?"
t_contains "--help: exit statuses" "Exit status: 0 every step of every file passed" "$out"
t_contains "sockscope --help names check" "sockscope check SCENARIO FILE|DIR..." "$("$SOCKSCOPE" --help)"

# ------------------------------------------------------------ the committed captures
for f in "$C"/*.pcap; do
    n=$(basename "$f" .pcap)
    t_true "captures/$n.pcap has its events" test -s "$f.events"
    "$SOCKSCOPE" check "$n" "$f" >/dev/null
    t_status "captures/$n.pcap passes check $n" 0 "$?"
    if command -v tshark >/dev/null; then
        ours=$("$SOCKSCOPE" --summary -r "$f" | head -1 | sed 's/.*: \([0-9]*\) packets.*/\1/')
        theirs=$(tshark -r "$f" 2>/dev/null | wc -l)
        t_eq "captures/$n.pcap: tshark reads every packet" "$ours" "$theirs"
    fi
done
t_eq "13 committed captures" 13 "$(ls "$C"/*.pcap | wc -l)"
size=$(stat -c %s "$C/loss.pcap")
t_true "the loss capture stays small ($size bytes)" test "$size" -lt 200000

# make captures, unprivileged: says what it needs.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    out=$(setpriv --reuid=65534 --regid=65534 --clear-groups bash "$ROOT/scripts/make-captures" 2>&1)
    t_status "make captures without root" 1 "$?"
    t_contains "make captures without root: says so" \
        "make captures needs root to capture on lo (sudo make captures); the committed captures/ are used meanwhile" "$out"
fi

# ------------------------------------------------------------ the documentation
doc=$(cat "$ROOT/docs/check.md")
man=$(cat "$ROOT/docs/man/sockscope.1")
for n in $("$SOCKSCOPE" check --list | awk '{print $1}'); do
    t_contains "docs/check.md describes $n" "| \`$n\` |" "$doc"
    t_match "sockscope(1) names $n" "(^| |, )$n( |,|$)" "$man"
    # The step ids, from the JSON document (an unusable file still lists them).
    for id in $("$SOCKSCOPE" check --json "$n" /nonexistent 2>/dev/null | head -1 |
                grep -o '"id":"[^"]*"' | sed 's/"id":"//; s/"$//'); do
        t_contains "docs/check.md lists step $id of $n" "\`$id\`" "$doc"
    done
done

t_done
