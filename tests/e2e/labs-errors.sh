#!/usr/bin/env bash
# labs-errors: every error a student can cause gets one line (errno name,
# meaning, what to try) and the documented exit status — refused, reset
# (--linger0), broken pipe, port in use (TIME_WAIT) and --reuseaddr, port
# below 1024, bad option values.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/labs-lib.bash"

# one_error_line WHAT STDERR: exactly one line, starting with [error].
one_error_line() {
    t_eq "$1: one line on stderr" 1 "$(count_lines "$2")"
    t_match "$1: an [error] line" '^\[error\] [a-z]+\(\): E[A-Z]+ — .+\. Try: .+\.$' "$2"
}

# ------------------------------------------------------------------- refused
port=$(t_free_port)
lab tcp-client --port "$port" >"$T_TMP/out" 2>"$T_TMP/err"; rc=$?
err=$(cat "$T_TMP/err")
t_status "refused: exit status 1 (network)" 1 "$rc"
one_error_line "refused" "$err"
t_contains "refused: the issue's sentence" \
    "[error] connect(): ECONNREFUSED — nothing listens on 127.0.0.1:$port; the kernel answered the SYN with RST" "$err"
t_contains "refused: what to try" "Try: start the server first" "$err"
t_eq "refused: nothing on stdout" "" "$(cat "$T_TMP/out")"

# ------------------------------------------------ --linger0: the peer gets ECONNRESET
port=$(t_free_port)
server_bg "$T_TMP/s1" --port "$port" --max-clients 2
out=$(lab tcp-client --port "$port" --linger0 2>&1); rc=$?
t_status "linger0 client exit" 0 "$rc"
t_contains "client says RST" "[close] close(fd 3): RST sent (abortive close)" "$out"
# The server goes on with its next client after the reset.
out=$(lab tcp-client --port "$port" 2>&1)
t_contains "server still serves after a reset" "goodbye!!!" "$out"
wait_for_exit "$SERVER_PID"
t_status "server exit after a reset" 0 "$LAB_RC"
s=$(cat "$T_TMP/s1")
t_contains "server: read() got ECONNRESET, explained" \
    "[error] read(): ECONNRESET — the peer reset the connection (it sent RST)" "$s"
t_contains "server: close after the reset" "[close] close(fd 4): the connection was already broken" "$s"
t_eq "server served both" 2 "$(grep -c '^\[connection\]' <<<"$s")"

# Server side --linger0: the client, reading until EOF, gets the RST instead.
port=$(t_free_port)
server_bg "$T_TMP/s2" --port "$port" --linger0 --max-clients 1
lab tcp-client --port "$port" --shutdown >"$T_TMP/out" 2>"$T_TMP/err"; rc=$?
t_status "client reset by the server: exit 1" 1 "$rc"
one_error_line "client reset" "$(cat "$T_TMP/err")"
t_contains "client: ECONNRESET on read" "[error] read(): ECONNRESET" "$(cat "$T_TMP/err")"
wait "$SERVER_PID"
t_contains "server: RST" "[close] close(fd 4): RST sent (abortive close)" "$(cat "$T_TMP/s2")"

# ---------------------------------------------- writing after the peer is gone: EPIPE
port=$(t_free_port)
server_bg "$T_TMP/s3" --port "$port"
lab_bg "$T_TMP/c3" tcp-client --port "$port" --repeat 3 --interval 1000
cpid=$LAB_PID
t_wait_for 5 grep -q '^\[data\]' "$T_TMP/s3" || t_fail "server got no data"
kill -TERM "$SERVER_LAB"   # the server closes its sockets and exits
wait_for_exit "$SERVER_PID"
t_status "server stopped by SIGTERM exits 0" 0 "$LAB_RC"
t_contains "server closed the connection on SIGTERM" "[close] close(fd 4)" "$(cat "$T_TMP/s3")"
wait_for_exit "$cpid"
c=$(cat "$T_TMP/c3")
t_status "EPIPE: exit 1, and no death by SIGPIPE" 1 "$LAB_RC"
t_contains "EPIPE explained, SIGPIPE too" \
    "[error] write(): EPIPE — the connection is closed for writing: the peer reset it, or we shut down our side; SIGPIPE is ignored here" "$c"
t_eq "EPIPE: the first write went, one more went and drew the RST" 2 "$(grep -c '^\[write\]' <<<"$c")"

# -------------------------------------- port in use: TIME_WAIT, then --reuseaddr
# The server closes first (--end-after-reply), so its end stays in TIME_WAIT.
# Linux lets a new bind() through only when both the new socket and the old
# connection have SO_REUSEADDR: the run that left them must have had it too.
time_wait_left_by() { # PORT SERVER-OPTIONS...
    local p=$1; shift
    server_bg "$T_TMP/tw" --port "$p" --end-after-reply --max-clients 1 "$@"
    lab tcp-client --port "$p" >/dev/null 2>&1
    wait "$SERVER_PID"
    t_true "the server (first to close) left its end in TIME_WAIT" \
        sh -c "ss -Htan state time-wait '( sport = :$p )' | grep -q ."
}
port=$(t_free_port)
time_wait_left_by "$port"
lab tcp-server --port "$port" --max-clients 1 >"$T_TMP/out" 2>"$T_TMP/err"; rc=$?
err=$(cat "$T_TMP/err")
t_status "restart during TIME_WAIT: exit 3 (address)" 3 "$rc"
one_error_line "EADDRINUSE" "$err"
t_contains "EADDRINUSE names TIME_WAIT" \
    "[error] bind(): EADDRINUSE — another socket already uses 127.0.0.1:$port: a server still running, or a recent connection waiting in TIME_WAIT" "$err"
t_contains "EADDRINUSE suggests --reuseaddr" "or use --reuseaddr on every run of the server" "$err"
lab tcp-server --port "$port" --reuseaddr --max-clients 1 >/dev/null 2>"$T_TMP/err"; rc=$?
t_status "--reuseaddr now only: still EADDRINUSE (the old connection lacks it)" 3 "$rc"

port=$(t_free_port)
time_wait_left_by "$port" --reuseaddr
lab tcp-server --port "$port" --max-clients 1 >/dev/null 2>"$T_TMP/err"; rc=$?
t_status "old run had --reuseaddr, new one not: EADDRINUSE" 3 "$rc"
server_bg "$T_TMP/s5" --port "$port" --reuseaddr --max-clients 1
t_contains "--reuseaddr on both runs: binds despite TIME_WAIT" \
    "[listening] 127.0.0.1:$port  socket() → setsockopt(SO_REUSEADDR) → bind() → listen(backlog 5)" "$(cat "$T_TMP/s5")"
out=$(lab tcp-client --port "$port" 2>&1)
t_contains "and serves" "goodbye!!!" "$out"
wait "$SERVER_PID"
# A second server on a port in use (a live one), even with --reuseaddr.
port=$(t_free_port)
server_bg "$T_TMP/s6" --port "$port" --reuseaddr --max-clients 1
lab tcp-server --port "$port" --reuseaddr >/dev/null 2>"$T_TMP/err"; rc=$?
t_status "port held by a running server: exit 3" 3 "$rc"
t_contains "EADDRINUSE again" "EADDRINUSE" "$(cat "$T_TMP/err")"
kill "$SERVER_PID"; wait "$SERVER_PID"

# ------------------------------------------------- not an address of this machine
lab tcp-server --host 192.0.2.1 --port 6666 >/dev/null 2>"$T_TMP/err"; rc=$?
t_status "EADDRNOTAVAIL: exit 3" 3 "$rc"
t_contains "EADDRNOTAVAIL explained" "[error] bind(): EADDRNOTAVAIL — 192.0.2.1:6666 is not an address of this machine" "$(cat "$T_TMP/err")"

# ------------------------------------------------------ ports below 1024 (non-root)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$BIN/lab-tcp-server"; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups timeout 10 "$BIN/lab-tcp-server" --port 80 \
        >/dev/null 2>"$T_TMP/err"; rc=$?
    err=$(cat "$T_TMP/err")
elif [ "$(id -u)" != 0 ]; then
    lab tcp-server --port 80 >/dev/null 2>"$T_TMP/err"; rc=$?
    err=$(cat "$T_TMP/err")
else
    rc=3; err="[error] bind(): EACCES — ports below 1024 are reserved for root: binding 127.0.0.1:80 was refused. Try: x."
    t_fail "cannot run the lab as an ordinary user here (setpriv nobody): EACCES case not run"
fi
t_status "port 80 as an ordinary user: exit 3" 3 "$rc"
one_error_line "EACCES" "$err"
t_contains "EACCES explained" "[error] bind(): EACCES — ports below 1024 are reserved for root: binding 127.0.0.1:80 was refused" "$err"

# ------------------------------------------------------------ bad option values
bad() { # WHAT EXPECTED-SUBSTRING LAB ARGS...
    local what=$1 want=$2; shift 2
    local err rc
    err=$(lab "$@" 2>&1 >/dev/null); rc=$?
    t_status "$what: exit 2" 2 "$rc"
    t_eq "$what: one line" 1 "$(count_lines "$err")"
    t_contains "$what" "$want" "$err"
}
bad "port 0" "lab-tcp-server: --port 0: out of range; expected a number from 1 to 65535. Try: lab-tcp-server --help." tcp-server --port 0
bad "port 70000" "--port 70000: out of range; expected a number from 1 to 65535" tcp-client --port 70000
bad "port not a number" "--port http: not a whole number" tcp-client --port http
bad "encoding" "--encoding latin1: expected one of utf8, hex." tcp-server --encoding latin1
bad "backlog -1" "--backlog -1: out of range" tcp-server --backlog -1
bad "host name" "--host localhost: not a numeric IP address. The labs take numeric addresses" tcp-client --host localhost
bad "host 1.2.3" "--host 1.2.3: not a numeric IP address" tcp-client --host 1.2.3
bad "-4 with ::1" "--host ::1 is an IPv6 address but -4 asks for IPv4" tcp-client -4 --host ::1
bad "-6 with 127.0.0.1" "--host 127.0.0.1 is an IPv4 address but -6 asks for IPv6" udp-recv -6 --host 127.0.0.1
bad "-4 and -6" "-4 and -6 cannot be used together" tcp-server -4 -6
bad "unknown option" "unknown option --colour." tcp-client --colour
bad "unknown short option" "unknown option -x." udp-send -x
bad "missing value" "--port needs a value (N)." tcp-client --port
bad "flag with a value" "--shutdown takes no value." tcp-client --shutdown=yes
bad "stray argument" "unexpected argument hello" tcp-client hello
bad "udp offset" "--offset 9: out of range; MESSAGE has 5 bytes (0 to 5)." udp-send --offset 9 hello
bad "udp length" "--length 4: out of range; from offset 3, MESSAGE has 2 more bytes." udp-send --offset 3 --length 4 hello
bad "step with fork" "--step cannot be used with --fork" tcp-server --fork --step
bad "quiet and verbose" "--quiet and --verbose cannot be used together" udp-recv -q -v
bad "repeat 0" "--repeat 0: out of range" tcp-client --repeat 0
bad "ipcheck unknown option" "unknown option --quiet." ipcheck --quiet 1.2.3.4

# A datagram too big for UDP: EMSGSIZE is a value problem (exit 2).
big=$(head -c 70000 /dev/zero | tr '\0' x)
port=$(t_free_port)
lab udp-send --port "$port" -- "$big" >/dev/null 2>"$T_TMP/err"; rc=$?
t_status "EMSGSIZE: exit 2" 2 "$rc"
t_contains "EMSGSIZE explained" "[error] sendto(): EMSGSIZE — the datagram is too big for one UDP packet" "$(cat "$T_TMP/err")"

t_done
