# tests/e2e/labs-lib.bash — sourced by the labs-*.sh scripts after tests/lib.sh:
# running the lab programs on loopback with time limits, and reading their events.
# (Not a test itself: tests/run only runs *.sh.)

# Events go to a socket of this test unless a case asks otherwise, so that a
# sockscope UI running on this machine never sees the tests' events.
export SOCKSCOPE_EVENTS="$T_TMP/nobody-listens.events"
unset SOCKSCOPE_CONTROL

LAB_TIMEOUT=${LAB_TIMEOUT:-20}

# lab NAME ARGS...: run a lab in the foreground, bounded in time.
lab() {
    local name=$1; shift
    timeout -k 2 "$LAB_TIMEOUT" "$BIN/lab-$name" "$@"
}

# lab_bg OUT NAME ARGS...: start a lab in the background, stdout and stderr
# into OUT; its pid in LAB_PID. Killed at exit if still running.
lab_bg() {
    local out=$1 name=$2; shift 2
    timeout -k 2 "$LAB_TIMEOUT" "$BIN/lab-$name" "$@" >"$out" 2>&1 &
    LAB_PID=$!
    t_defer "kill $LAB_PID"
}

# server_bg OUT ARGS...: start lab-tcp-server (or lab-udp-recv with
# SERVER=udp-recv) and wait until its port is bound (ss); fails the test if
# it is not. ARGS must hold --port N.
server_bg() {
    local out=$1; shift
    local port="" a prev=""
    for a in "$@"; do
        [ "$prev" = --port ] && port=$a
        prev=$a
    done
    lab_bg "$out" "${SERVER:-tcp-server}" "$@"
    SERVER_PID=$LAB_PID
    local ss_opts=-Htln
    [ "${SERVER:-tcp-server}" = udp-recv ] && ss_opts=-Huln
    if ! t_wait_for 10 sh -c "ss $ss_opts '( sport = :$port )' | grep -q ."; then
        t_fail "server did not start: $(cat "$out")"
        return 1
    fi
    # The lab itself (SERVER_PID is timeout's): signal this one, so that
    # timeout does not start its own kill timer.
    SERVER_LAB=$(pgrep -P "$SERVER_PID" | head -1)
}

# wait_for_exit PID: wait for a background job; its exit status in LAB_RC.
wait_for_exit() {
    LAB_RC=0
    wait "$1" || LAB_RC=$?
}

# events_bg PATH OUT: receive datagrams on the UNIX socket PATH into OUT (socat).
events_bg() {
    local path=$1 out=$2
    : >"$out"
    socat -u "UNIX-RECV:$path" "OPEN:$out,creat,append" 2>>"$T_TMP/socat.err" &
    EVENTS_PID=$!
    t_defer "kill $EVENTS_PID"
    t_wait_for 5 test -S "$path" || t_fail "socat did not bind $path"
}

# events_lines OUT: the received datagrams, one event per line (datagrams
# carry no newline, each starts with the magic word).
events_lines() {
    sed 's/sockscope-event 1\t/\n&/g' "$1" | grep -a '^sockscope-event 1'
}

# events_table OUT: one line per event, space-separated:
#   prog pid seq kind call ret err fd state node t0 t1 local remote
events_table() {
    events_lines "$1" | awk -F'\t' '{
        delete f
        for (i = 2; i <= NF; i++) { k = $i; sub(/=.*/, "", k); v = substr($i, length(k) + 2); f[k] = v }
        printf "%s %s %s %s %s %s %s %s %s %s %s %s %s %s\n", f["prog"], f["pid"], f["seq"], f["kind"],
            f["call"], f["ret"], (f["err"] == "" ? "-" : f["err"]), f["fd"],
            (f["state"] == "" ? "-" : f["state"]), (f["node"] == "" ? "-" : f["node"]),
            f["t0"], f["t1"], (f["local"] == "" ? "-" : f["local"]), (f["remote"] == "" ? "-" : f["remote"])
    }'
}

# count_lines TEXT: number of non-empty lines.
count_lines() { grep -c . <<<"$1" || true; }
