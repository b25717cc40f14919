#!/usr/bin/env bash
# labs-load: one server handles 500 clients in a row, then (--fork) 50 at
# once; every byte echoed back exactly (checksums); no crash, no leak (the
# server runs under the sanitizer build and exits cleanly, so LeakSanitizer
# checks it), no zombie; bounded in time.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/labs-lib.bash"
LAB_TIMEOUT=240

head -c 300000 /dev/urandom >"$T_TMP/pool"
# slice I SIZE: SIZE bytes of the pool from an offset that depends on I.
slice() { tail -c +$(( ($1 * 7919) % 200000 + 1 )) "$T_TMP/pool" | head -c "$2"; }

# ------------------------------------------------------------- 500 in a row
# Ten inputs of different sizes, used in turn; the checksums are compared at
# the end, so that the loop itself starts only the clients.
for k in $(seq 0 9); do slice "$k" $((k * 311 + 1)) >"$T_TMP/seq-in.$k"; done
mkdir "$T_TMP/seq-out"
port=$(t_free_port)
server_bg "$T_TMP/seq" --port "$port" --echo --quiet --max-clients 500 --backlog 64
start=$SECONDS
fails=0
for i in $(seq 1 500); do
    timeout 10 "$BIN/lab-tcp-client" --port "$port" --stdin --shutdown --raw --quiet \
        <"$T_TMP/seq-in.$((i % 10))" >"$T_TMP/seq-out/$i" 2>>"$T_TMP/clients.err" ||
        fails=$((fails + 1))
done
took=$((SECONDS - start))
declare -A want
while read -r sum file; do want[${file##*.}]=$sum; done < <(sha256sum "$T_TMP"/seq-in.*)
mismatch=0
while read -r sum file; do
    i=${file##*/}
    [ "$sum" = "${want[$((i % 10))]}" ] || mismatch=$((mismatch + 1))
done < <(sha256sum "$T_TMP"/seq-out/*)
t_eq "500 outputs" 500 "$(ls "$T_TMP/seq-out" | wc -l)"
t_eq "500 clients in a row: none failed" 0 "$fails"
t_eq "500 clients in a row: every echo matches its checksum" 0 "$mismatch"
wait_for_exit "$SERVER_PID"
t_status "the server exits 0 after --max-clients 500 (and LeakSanitizer found nothing)" 0 "$LAB_RC"
t_lacks "no sanitizer report from the server" "Sanitizer" "$(cat "$T_TMP/seq")"
t_lacks "no sanitizer report from the clients" "Sanitizer" "$(cat "$T_TMP/clients.err")"
t_true "500 clients within 120 s (took $took s)" test "$took" -lt 120
echo "  note [labs-load]: 500 clients in a row took $took s" >&2

# ------------------------------------------------------------ 50 at once
port=$(t_free_port)
# The children read slowly (--read-delay), so that the 50 overlap.
server_bg "$T_TMP/fork" --port "$port" --echo --quiet --fork --backlog 128 --read-delay 100
server=$SERVER_LAB
t_true "found the server process" test -n "$server"
start=$SECONDS
pids=()
for i in $(seq 1 50); do
    size=$(( (i * 1777) % 60000 + 1000 ))
    slice "$i" "$size" >"$T_TMP/in.$i"
    timeout 60 "$BIN/lab-tcp-client" --port "$port" --stdin --shutdown --raw --quiet \
        <"$T_TMP/in.$i" >"$T_TMP/out.$i" 2>>"$T_TMP/fork-clients.err" &
    pids+=($!)
done
# While they run: several children at once (the most seen at one time).
most=0
end=$((SECONDS + 60))
while [ $SECONDS -lt $end ]; do
    n=$(pgrep -P "$server" | wc -l)
    [ "$n" -gt "$most" ] && most=$n
    running=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && { running=1; break; }; done
    [ $running = 0 ] && break
    sleep 0.05
done
t_true "the server ran several children at once (at most $most)" test "$most" -ge 8
fails=0
for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
t_eq "50 concurrent clients: none failed" 0 "$fails"
mismatch=0
for i in $(seq 1 50); do
    [ "$(sha256sum <"$T_TMP/in.$i")" = "$(sha256sum <"$T_TMP/out.$i")" ] || mismatch=$((mismatch + 1))
done
t_eq "50 concurrent clients: every echo matches its checksum" 0 "$mismatch"
# All served: no child left, and none a zombie (the SIGCHLD handler reaped them).
t_wait_for 10 sh -c "test -z \"\$(pgrep -P $server)\""
t_eq "no child left, no zombie" "" "$(ps -o pid=,stat= --ppid "$server")"
t_true "50 concurrent clients within 60 s" test $((SECONDS - start)) -lt 60
echo "  note [labs-load]: 50 clients at once took $((SECONDS - start)) s" >&2
kill -TERM "$server"
wait_for_exit "$SERVER_PID"
t_status "the forking server stops cleanly on SIGTERM (and LeakSanitizer found nothing)" 0 "$LAB_RC"
t_lacks "no sanitizer report (server and children)" "Sanitizer" "$(cat "$T_TMP/fork")"
t_lacks "no sanitizer report from the clients" "Sanitizer" "$(cat "$T_TMP/fork-clients.err")"

t_done
