#!/usr/bin/env bash
# labs-ipcheck: lab-ipcheck answers as Node's net.isIP does, for a table of
# tricky inputs whose answers Node itself gave (tests/data/ipcheck-node.tsv,
# made by tests/data/ipcheck-node.js; node is not needed here).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/labs-lib.bash"

table="$ROOT/tests/data/ipcheck-node.tsv"
inputs=()
want=()
while IFS= read -r line; do
    case $line in '#'*|'') continue ;; esac
    want+=("${line%%$'\t'*}")
    printf -v input '%b' "${line#*$'\t'}"
    inputs+=("$input")
done <"$table"
t_true "the table has the tricky inputs (over 90)" test "${#inputs[@]}" -gt 90

# All at once, as arguments: one line per input, in order.
lab ipcheck -- "${inputs[@]}" >"$T_TMP/out"; rc=$?
t_status "some inputs are not addresses: exit 1" 1 "$rc"
t_eq "one line per input" "${#inputs[@]}" "$(wc -l <"$T_TMP/out")"
mapfile -t lines <"$T_TMP/out"
for i in "${!inputs[@]}"; do
    got=${lines[$i]##*$'\t'}
    t_eq "isIP($(printf '%q' "${inputs[$i]}"))" "${want[$i]}" "$got"
done

# The line is the input, a tab, the answer.
out=$(lab ipcheck 127.0.0.1 ::1 01.2.3.4 'fe80::1%eth0' '')
t_eq "format" $'127.0.0.1\t4\n::1\t6\n01.2.3.4\t0\nfe80::1%eth0\t6\n\t0' "$out"
out=$(lab ipcheck -- $'a\tb' '-1'); rc=$?
t_eq "control characters shown escaped; '-1' after -- is an input" $'a\\tb\t0\n-1\t0' "$out"
t_status "exit 1 when one is not an address" 1 "$rc"
lab ipcheck 1.2.3.4 ::ffff:1.2.3.4 >/dev/null
t_status "exit 0 when all are" 0 "$?"

# From standard input, one per line (the same answers).
printf '%s\n' 1.2.3.4 ' 1.2.3.4' '::' '1::2::3' | lab ipcheck >"$T_TMP/out"
t_eq "stdin lines" $'1.2.3.4\t4\n 1.2.3.4\t0\n::\t6\n1::2::3\t0' "$(cat "$T_TMP/out")"

# --verbose says why not.
out=$(lab ipcheck --verbose 01.2.3.4 1.2.3 256.0.0.1 1::2::3 localhost ::1)
t_contains "leading zero explained" $'01.2.3.4\t0\ta number has a leading zero' "$out"
t_contains "three numbers" $'1.2.3\t0\tIPv4 needs four numbers' "$out"
t_contains "above 255" $'256.0.0.1\t0\ta number is above 255' "$out"
t_contains "two ::" $'1::2::3\t0\t"::" may appear only once' "$out"
t_contains "a name" $'localhost\t0\ta name is not an address (isIP does no DNS)' "$out"
t_contains "an address" $'::1\t6\tisIPv6' "$out"

out=$(lab ipcheck --help)
t_contains "--help names Node's calls" "net.isIP(input): 4, 6 or 0" "$out"

t_done
