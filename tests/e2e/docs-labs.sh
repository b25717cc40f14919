#!/usr/bin/env bash
# docs-labs: the lab sheets (docs/labs/), their answer keys and the teachers'
# guide (docs/teaching.md, docs/zh/teaching.md). Every scenario has an English
# and a Chinese sheet and answer key, numbered in teaching order; every sheet
# has its five sections; every command of a ```sh block that may run here runs
# and exits as the sheet says; every <!-- check: --> line of an answer key
# holds for the committed capture; every relative link leads to a file.
# The conventions are written for people in docs/labs/README.md.
source "$(dirname "$0")/../lib.sh"

LABS=$ROOT/docs/labs
CAPS=${CAPS:-$ROOT/captures}   # another folder of captures: for drafting
# The labs' syscall events go nowhere (not to a UI someone has open).
export SOCKSCOPE_EVENTS=$T_TMP/nobody.events

# ------------------------------------------------------------------ scenarios
# Teaching order is the order of `sockscope check --list` (the scenario table).
fallback="handshake half-close rst refused time-wait close-wait backlog nagle zero-window udp
udp-unreachable ipv6 loss"
have_check=0
if list=$("$SOCKSCOPE" check --list 2>/dev/null) && [ -n "$list" ]; then
    scenarios=$(awk '{print $1}' <<<"$list")
    have_check=1
else
    scenarios=$(tr ' ' '\n' <<<"$fallback")
fi
have_caps=0
[ -f "$CAPS/handshake.pcap" ] && have_caps=1

sections_en=("Goal" "Commands" "What to look at" "Questions" "Check your work")
sections_zh=("目标" "命令" "观察要点" "问题" "检查你的结果")

# headings FILE: its level-2 headings, one per line.
headings() { sed -n 's/^## \(.*\)$/\1/p' "$1" | sed 's/[[:space:]]*$//'; }

# questions FILE HEADING: the numbers of the numbered items in that section.
questions() {
    awk -v h="## $2" '
        $0 == h { on = 1; next }
        /^## / { on = 0 }
        on && /^[0-9]+\. / { sub(/\..*/, ""); print }' "$1"
}

# answers FILE: the numbers of the "### N." headings of an answer key.
answers() { sed -n 's/^### \([0-9]\{1,\}\)\. .*/\1/p' "$1"; }

# checks FILE: its <!-- check: ... --> lines, as written.
checks() { grep -E '^<!-- check: .* -->$' "$1"; }

i=0
sheets=()   # "path scenario" of every sheet, both languages
for s in $scenarios; do
    i=$((i + 1))
    nn=$(printf '%02d' "$i")
    base="$nn-$s.md"
    en="$LABS/$base" zh="$LABS/zh/$base" ken="$LABS/answers/$base" kzh="$LABS/answers/zh/$base"
    for f in "$en" "$zh" "$ken" "$kzh"; do
        t_true "$s: ${f#"$ROOT"/} exists (numbered in teaching order)" test -f "$f"
    done
    [ -f "$en" ] && sheets+=("$en $s")
    [ -f "$zh" ] && sheets+=("$zh $s")
    [ -f "$en" ] && [ -f "$zh" ] && [ -f "$ken" ] && [ -f "$kzh" ] || continue

    t_eq "$s: the English sheet's sections" "$(printf '%s\n' "${sections_en[@]}")" "$(headings "$en")"
    t_eq "$s: the Chinese sheet's sections" "$(printf '%s\n' "${sections_zh[@]}")" "$(headings "$zh")"
    t_match "$s: the English sheet names its scenario" "sockscope check $s " "$(cat "$en")"
    t_match "$s: the Chinese sheet names its scenario" "sockscope check $s " "$(cat "$zh")"

    # Questions 1..N in both languages, one answer for each in both keys.
    qen=$(questions "$en" "Questions")
    t_true "$s: the sheet asks at least 4 questions" test "$(grep -c . <<<"$qen")" -ge 4
    t_eq "$s: questions numbered 1..N" "$(seq 1 "$(grep -c . <<<"$qen")")" "$qen"
    t_eq "$s: the Chinese sheet asks the same number of questions" "$qen" "$(questions "$zh" "问题")"
    t_eq "$s: the English key answers each question" "$qen" "$(answers "$ken")"
    t_eq "$s: the Chinese key answers each question" "$qen" "$(answers "$kzh")"

    # Each key says which capture it refers to and carries the same checks.
    t_contains "$s: the English key names its capture" "captures/$s.pcap" "$(cat "$ken")"
    t_contains "$s: the Chinese key names its capture" "captures/$s.pcap" "$(cat "$kzh")"
    t_true "$s: the English key has at least 4 checks" test "$(checks "$ken" | grep -c .)" -ge 4
    t_eq "$s: the Chinese key carries the English key's checks" "$(checks "$ken")" "$(checks "$kzh")"
    # Both READMEs list the sheet.
    t_contains "$s: docs/labs/README.md lists the sheet" "($base)" "$(cat "$LABS/README.md" 2>/dev/null)"
    t_contains "$s: docs/labs/zh/README.md lists the sheet" "($base)" "$(cat "$LABS/zh/README.md" 2>/dev/null)"
done
t_eq "no sheet for an unknown scenario" "$((i * 2))" \
    "$(find "$LABS" "$LABS/zh" -maxdepth 1 -name '[0-9][0-9]-*.md' | wc -l)"
t_eq "no answer key for an unknown scenario" "$((i * 2))" \
    "$(find "$LABS/answers" "$LABS/answers/zh" -maxdepth 1 -name '[0-9][0-9]-*.md' | wc -l)"

docs=("$ROOT/docs/teaching.md" "$ROOT/docs/zh/teaching.md" "$LABS/README.md" "$LABS/zh/README.md")
for f in "${docs[@]}"; do t_true "${f#"$ROOT"/} exists" test -f "$f"; done
for f in "$ROOT/docs/teaching.md" "$ROOT/docs/zh/teaching.md"; do
    [ -f "$f" ] || continue
    txt=$(cat "$f")
    for w in "sockscope demo handshake" "sockscope check handshake" "--json" \
             "tcpdump -i lo -w mine.pcap 'tcp port 6666'" "sockscope -i lo -w mine.pcap" \
             "setcap" "captures/" "make demo" "docs/labs/01-handshake.md"; do
        t_contains "${f#"$ROOT"/} mentions $w" "$w" "$txt"
    done
done

# Relative links lead to files.
while IFS= read -r f; do
    dir=$(dirname "$f")
    while IFS= read -r target; do
        target=${target%%#*}
        [ -n "$target" ] || continue
        case $target in http://* | https://* | mailto:*) continue ;; esac
        t_true "${f#"$ROOT"/}: the link $target leads to a file" test -e "$dir/$target"
    done < <(grep -oE '\]\([^) ]+\)' "$f" | sed 's/^](//; s/)$//')
done < <(find "$LABS" -name '*.md'; printf '%s\n' "$ROOT/docs/teaching.md" "$ROOT/docs/zh/teaching.md")

# ------------------------------------------------------------------ commands
# The runnable lines of a ```sh block run in a fresh network namespace (so that
# port 6666 is free and nothing else listens), in a directory holding bin/ (the
# binaries under test), captures/, and mine.pcap (+ .events): the sheet's
# scenario's committed capture, standing for the student's own.
ns=""
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
    ns="unshare -n"
elif unshare -rn true 2>/dev/null; then
    ns="unshare -rn"
fi

cat >"$T_TMP/runner" <<'EOF'
# runner PLAN: runs the plan's commands in order, in the current directory;
# prints one line per command: "ok<TAB>command" or "fail<TAB>why".
set -u -m
plan=$1
ip link set lo up 2>/dev/null
pids=() exps=() cmds=()
report() { # RC EXPECTED COMMAND
    if [ "$1" = "$2" ]; then printf 'ok\t%s\n' "$3"; else
        printf 'fail\t%s: exit status %s, the sheet says %s; its output ends:%s\n' "$3" "$1" "$2" \
            "$(tail -4 out.log | sed 's/^/ | /' | tr '\n' ' ')"
    fi
}
while IFS=$'\t' read -r kind exp port cmd; do
    case $kind in
    fg) timeout 30 bash -c "$cmd" >>out.log 2>&1 </dev/null
        report $? "$exp" "$cmd" ;;
    bg) bash -c "$cmd" >>out.log 2>&1 </dev/null &
        pids+=("$!") exps+=("$exp") cmds+=("$cmd")
        for _ in $(seq 1 200); do
            ss -Hltun 2>/dev/null | awk '{print $5}' | grep -q ":$port\$" && break
            sleep 0.025
        done ;;
    esac
done <"$plan"
for k in "${!pids[@]}"; do
    end=$((SECONDS + 20))
    while kill -0 "${pids[$k]}" 2>/dev/null && [ $SECONDS -lt "$end" ]; do sleep 0.05; done
    if kill -0 "${pids[$k]}" 2>/dev/null; then
        kill -- -"${pids[$k]}" 2>/dev/null
        printf 'fail\t%s: still running 20 s after the last command of its block\n' "${cmds[$k]}"
        continue
    fi
    wait "${pids[$k]}"
    report $? "${exps[$k]}" "${cmds[$k]}"
done
EOF

# blocks FILE: the ```sh blocks, each line prefixed by the block's number.
blocks() {
    awk '/^```sh[[:space:]]*$/ { on = 1; n++; next }
         on && /^```/ { on = 0; next }
         on { print n "\t" $0 }' "$1"
}

declare -A seen_block=()
ran=0 skipped_lines=0
run_sheet() { # FILE SCENARIO
    local f=$1 s=$2 rel=${1#"$ROOT"/} n line cmd comment exp port kind key
    local -A plan_of=() key_of=()
    while IFS=$'\t' read -r n line; do
        line=${line#"${line%%[![:space:]]*}"}
        [ -n "$line" ] || continue
        [[ $line == \#* ]] && continue
        cmd=$line comment=""
        if [[ $line =~ ^(.*[^[:space:]])[[:space:]]+#[[:space:]](.*)$ ]]; then
            cmd=${BASH_REMATCH[1]} comment=${BASH_REMATCH[2]}
        fi
        # Every scenario a command names is one sockscope knows.
        if [[ $cmd =~ sockscope\ (check|record|demo)\ ([a-z][a-z0-9-]*) ]] && [ $have_check = 1 ]; then
            t_true "$rel: '$cmd' names a scenario" grep -qx -- "${BASH_REMATCH[2]}" <<<"$scenarios"
        fi
        # Every committed capture a command names is there.
        for c in $(grep -oE 'captures/[a-z0-9-]+\.pcap' <<<"$cmd"); do
            t_true "$rel: $c exists" test -f "$CAPS/${c#captures/}"
        done
        if [[ $comment == *"[root]"* || $comment == *"[ui]"* ]] || ! [[ $cmd =~ ^(bin/|sockscope( |$)) ]]; then
            skipped_lines=$((skipped_lines + 1))
            continue
        fi
        exp=0
        [[ $comment =~ \[exit\ ([0-9]+)\] ]] && exp=${BASH_REMATCH[1]}
        kind=fg
        if [[ $cmd =~ ^(.*[^[:space:]])[[:space:]]*\&$ ]]; then
            kind=bg cmd=${BASH_REMATCH[1]}
        fi
        port=6666
        [[ $cmd =~ --port\ ([0-9]+) ]] && port=${BASH_REMATCH[1]}
        plan_of[$n]+=$(printf '%s\t%s\t%s\t%s' "$kind" "$exp" "$port" "$cmd")$'\n'
        key_of[$n]+="$s $kind $exp $cmd"$'\n'
    done < <(blocks "$f")

    for n in "${!plan_of[@]}"; do
        key=${key_of[$n]}
        # A block the other language's sheet already ran (comments aside) runs once.
        [ -n "${seen_block[$key]+x}" ] && continue
        seen_block[$key]=1
        if [ -z "$ns" ] && grep -q 'bin/lab-' <<<"${plan_of[$n]}"; then
            echo "  note: $rel block $n not run (no network namespace for port 6666)" >&2
            continue
        fi
        local wd=$T_TMP/run.$RANDOM$RANDOM
        mkdir -p "$wd"
        ln -s "$BIN" "$wd/bin"
        ln -s "$CAPS" "$wd/captures"
        cp "$CAPS/$s.pcap" "$wd/mine.pcap"
        [ -f "$CAPS/$s.pcap.events" ] && cp "$CAPS/$s.pcap.events" "$wd/mine.pcap.events"
        printf '%s' "${plan_of[$n]}" >"$wd/plan"
        while IFS=$'\t' read -r verdict what; do
            ran=$((ran + 1))
            if [ "$verdict" = ok ]; then t_pass; else t_fail "$rel (block $n): $what"; fi
        done < <(cd "$wd" && PATH="$BIN:$PATH" $ns bash "$T_TMP/runner" plan 2>&1)
        rm -rf "$wd"
    done
}

if [ $have_check = 0 ] || [ $have_caps = 0 ]; then
    [ "$T_FAILS" -gt 0 ] && t_done
    t_skip "captures/ or sockscope check missing: sheet commands and answer values not checked"
fi

for entry in "${sheets[@]}"; do
    run_sheet "${entry% *}" "${entry##* }"
done
for f in "$ROOT/docs/teaching.md" "$ROOT/docs/zh/teaching.md"; do
    [ -f "$f" ] && run_sheet "$f" handshake
done
t_true "some sheet commands ran ($ran)" test "$ran" -ge 40
[ "$skipped_lines" -gt 0 ] && t_pass

# ------------------------------------------------------------------ answer keys
# <!-- check: SCENARIO SELECTOR CONDITION... --> (docs/labs/README.md):
#   #N          packet N of captures/SCENARIO.pcap meets every condition
#   packets     some packet does (count=N: exactly N do; first=N: the first is N)
#   calls       some line of captures/SCENARIO.pcap.events does (count=N as above)
#   step ID     the step ID of `sockscope check SCENARIO captures/SCENARIO.pcap --json`
# A condition is key=value (equal), key~value (contains) or key<number, key>number;
# a value with spaces is written in double quotes. For packets, event=NAME: NAME
# is among its events, and time is the Time column (seconds since packet 1); a
# call's time is when it returned, on the same clock.

# Both are called in $(...): the files themselves are the cache.
packets_of() { # SCENARIO → file of --json --explain lines
    local s=$1
    if [ ! -f "$T_TMP/$s.json" ]; then
        # Each line gains "time": seconds since the first packet, as the Time column
        # of the UI and --text prints it (truncated to microseconds).
        "$SOCKSCOPE" --json --explain --lang en -r "$CAPS/$s.pcap" 2>/dev/null | awk '
            match($0, /"ts":[0-9]+\.[0-9]+/) {
                split(substr($0, RSTART + 5, RLENGTH - 5), p, ".")
                ns = substr(p[2] "000000000", 1, 9) + 0
                if (!started) { s0 = p[1]; ns0 = ns; started = 1 }
                d = (p[1] - s0) * 1000000000 + (ns - ns0)
                sub(/}$/, sprintf(",\"time\":%d.%06d}", int(d / 1000000000), int((d % 1000000000) / 1000)))
            }
            { print }' >"$T_TMP/$s.json"
    fi
    echo "$T_TMP/$s.json"
}
calls_of() { # SCENARIO → the sidecar's lines, each with time=: when the call
    # returned (t1), in seconds since packet 1, as packets have it.
    local s=$1 first
    if [ ! -f "$T_TMP/$s.calls" ]; then
        first=$(head -1 "$(packets_of "$s")" | grep -oE '"ts":[0-9]+\.[0-9]+' | cut -d: -f2)
        awk -v first="$first" '
            BEGIN { split(first, p, "."); s0 = p[1]; ns0 = substr(p[2] "000000000", 1, 9) + 0 }
            match($0, /\tt1=[0-9]+/) {
                t = substr($0, RSTART + 4, RLENGTH - 4)
                d = (substr(t, 1, length(t) - 9) - s0) * 1000000000 + (substr(t, length(t) - 8) - ns0)
                $0 = $0 sprintf("\ttime=%s%d.%06d", d < 0 ? "-" : "", int((d < 0 ? -d : d) / 1000000000),
                                int(((d < 0 ? -d : d) % 1000000000) / 1000))
            }
            { print }' "$CAPS/$s.pcap.events" >"$T_TMP/$s.calls"
    fi
    echo "$T_TMP/$s.calls"
}
verdict_of() { # SCENARIO → file of the check's JSON
    local s=$1
    if [ ! -f "$T_TMP/$s.check" ]; then
        "$SOCKSCOPE" check "$s" "$CAPS/$s.pcap" --json >"$T_TMP/$s.check" 2>/dev/null
    fi
    echo "$T_TMP/$s.check"
}

# json_get LINE KEY: the value of KEY (strings unquoted, arrays as a,b,c); 1 if absent.
json_get() {
    local re="\"$2\":(\"(([^\"\\\\]|\\\\.)*)\"|\\[([^]]*)\\]|([^,}]*))" v
    [[ $1 =~ $re ]] || return 1
    case ${BASH_REMATCH[1]} in
        \"*) v=${BASH_REMATCH[2]}; v=${v//\\\"/\"} ;;
        \[*) v=${BASH_REMATCH[4]}; v=${v//\"/} ;;
        *) v=${BASH_REMATCH[5]} ;;
    esac
    printf '%s' "$v"
}
# tab_get LINE KEY: the value of KEY in a sidecar event line; 1 if absent.
tab_get() {
    local f
    IFS=$'\t' read -ra fs <<<"$1"
    for f in "${fs[@]}"; do
        [[ $f == "$2="* ]] && { printf '%s' "${f#"$2"=}"; return 0; }
    done
    return 1
}

# meets FORMAT LINE: the line meets every condition in conds[] (FORMAT json|tab).
meets() {
    local fmt=$1 line=$2 c key op want have
    for c in "${conds[@]}"; do
        IFS=$'\x1f' read -r key op want <<<"$c"
        if [ "$fmt" = json ] && [ "$key" = event ]; then
            have=$(json_get "$line" events) || return 1
            [[ ",$have," == *",$want,"* ]] || return 1
            continue
        fi
        if [ "$fmt" = json ]; then have=$(json_get "$line" "$key") || return 1
        else have=$(tab_get "$line" "$key") || return 1; fi
        case $op in
            =) [ "$have" = "$want" ] || return 1 ;;
            "~") [[ $have == *"$want"* ]] || return 1 ;;
            "<") awk -v a="$have" -v b="$want" 'BEGIN { exit !(a + 0 < b + 0) }' || return 1 ;;
            ">") awk -v a="$have" -v b="$want" 'BEGIN { exit !(a + 0 > b + 0) }' || return 1 ;;
        esac
    done
    return 0
}

evaluate() { # CHECK-TEXT → 0 holds; prints why not
    local text=$1 s sel rest count="" first="" key op val
    local re='^([a-z0-9-]+) (#[0-9]+|packets|calls|step [a-z0-9-]+)(.*)$'
    [[ $text =~ $re ]] || { echo "cannot read it"; return 1; }
    s=${BASH_REMATCH[1]} sel=${BASH_REMATCH[2]} rest=${BASH_REMATCH[3]}
    [ -f "$CAPS/$s.pcap" ] || { echo "captures/$s.pcap is missing"; return 1; }
    conds=()
    local cre='^[[:space:]]+([a-z_][a-z0-9_]*)(=|~|<|>)("([^"]*)"|([^[:space:]"]+))(.*)$'
    while [[ $rest =~ $cre ]]; do
        key=${BASH_REMATCH[1]} op=${BASH_REMATCH[2]}
        if [[ ${BASH_REMATCH[3]} == \"* ]]; then val=${BASH_REMATCH[4]}; else val=${BASH_REMATCH[5]}; fi
        rest=${BASH_REMATCH[6]}
        case $key in
            count) count=$val ;;
            first) first=$val ;;
            *) conds+=("$key"$'\x1f'"$op"$'\x1f'"$val") ;;
        esac
    done
    [[ $rest =~ ^[[:space:]]*$ ]] || { echo "cannot read '$rest'"; return 1; }
    local file fmt line n=0 firstn=""
    case $sel in
        \#*)
            line=$(grep -m1 -E "^\\{\"n\":${sel#\#}," "$(packets_of "$s")") || { echo "no packet ${sel#\#}"; return 1; }
            meets json "$line" || { echo "packet ${sel#\#} is: ${line:0:400}"; return 1; }
            return 0 ;;
        step\ *)
            local id=${sel#step }
            line=$(grep -oE "\\{\"id\":\"$id\",\"result\":[^}]*\\}" "$(verdict_of "$s")" | head -1)
            [ -n "$line" ] || { echo "no step $id in the check's verdict"; return 1; }
            meets json "$line" || { echo "the step is: $line"; return 1; }
            return 0 ;;
        packets) file=$(packets_of "$s") fmt=json ;;
        calls) [ -f "$CAPS/$s.pcap.events" ] || { echo "captures/$s.pcap.events is missing"; return 1; }
               file=$(calls_of "$s") fmt=tab ;;
    esac
    while IFS= read -r line; do
        if meets "$fmt" "$line"; then
            n=$((n + 1))
            [ -z "$firstn" ] && firstn=$(json_get "$line" n)
        fi
    done <"$file"
    if [ -n "$count" ]; then [ "$n" = "$count" ] || { echo "$n match, not $count"; return 1; }
    else [ "$n" -gt 0 ] || { echo "nothing matches"; return 1; }; fi
    if [ -n "$first" ]; then [ "$firstn" = "$first" ] || { echo "the first match is packet $firstn, not $first"; return 1; }; fi
    return 0
}

nchecks=0
for k in "$LABS"/answers/[0-9]*.md; do
    [ -f "$k" ] || continue
    while IFS= read -r c; do
        c=${c#<!-- check: }; c=${c% -->}
        nchecks=$((nchecks + 1))
        if why=$(evaluate "$c"); then t_pass; else t_fail "${k#"$ROOT"/}: check '$c': $why"; fi
    done < <(checks "$k")
done
t_true "the answer keys carry checks ($nchecks)" test "$nchecks" -ge 60

# The checker reads what it promises: a check that cannot hold fails.
why=$(evaluate 'handshake #1 flags=S. rel_ack=1') && t_fail "a false check passed" || t_pass
why=$(evaluate 'handshake packets count=999') && t_fail "a false count passed" || t_pass

t_done
