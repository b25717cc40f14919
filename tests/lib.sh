# tests/lib.sh — sourced by every end-to-end script in tests/e2e/.
#
# A script makes assertions with the t_* functions; each failed one prints a
# line saying what was expected and what came instead. The script's exit status
# is the verdict: 0 passed, 77 skipped (t_skip, with the reason), else failed.
# Binaries come from $BIN (tests/run points it at the sanitizer build).

set -u
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
BIN=${BIN:-$ROOT/bin}
SOCKSCOPE=${SOCKSCOPE:-$BIN/sockscope}
T_NAME=$(basename "$0" .sh)
T_FAILS=0
T_CHECKS=0
T_TMP=$(mktemp -d "/tmp/sockscope-$T_NAME.XXXXXX")
T_CLEANUP=()

t_cleanup() {
    local c
    for c in "${T_CLEANUP[@]+"${T_CLEANUP[@]}"}"; do eval "$c" >/dev/null 2>&1 || true; done
    rm -rf "$T_TMP"
}
trap t_cleanup EXIT

# t_defer 'command': run at exit (kill servers, close tmux sessions).
t_defer() { T_CLEANUP+=("$1"); }

t_pass() { T_CHECKS=$((T_CHECKS + 1)); }
t_fail() {
    T_CHECKS=$((T_CHECKS + 1))
    T_FAILS=$((T_FAILS + 1))
    echo "  FAIL [$T_NAME]: $*" >&2
}

# t_eq WHAT EXPECTED ACTUAL
t_eq() {
    if [ "$2" == "$3" ]; then t_pass; else t_fail "$1: expected '$2', got '$3'"; fi
}

# t_contains WHAT NEEDLE HAYSTACK  (fixed string)
t_contains() {
    if grep -qF -- "$2" <<<"$3"; then t_pass; else
        t_fail "$1: expected to find '$2' in:"; sed 's/^/      | /' <<<"$3" | head -40 >&2
    fi
}

# t_lacks WHAT NEEDLE HAYSTACK
t_lacks() {
    if grep -qF -- "$2" <<<"$3"; then
        t_fail "$1: did not expect '$2' in:"; sed 's/^/      | /' <<<"$3" | head -40 >&2
    else t_pass; fi
}

# t_match WHAT EXTENDED-REGEX HAYSTACK
t_match() {
    if grep -qE -- "$2" <<<"$3"; then t_pass; else
        t_fail "$1: expected a line matching /$2/ in:"; sed 's/^/      | /' <<<"$3" | head -40 >&2
    fi
}

# t_status WHAT EXPECTED-STATUS ACTUAL-STATUS
t_status() {
    if [ "$2" == "$3" ]; then t_pass; else t_fail "$1: exit status $3, expected $2"; fi
}

# t_true WHAT COMMAND...  (the command must succeed)
t_true() {
    local what=$1; shift
    if "$@"; then t_pass; else t_fail "$what"; fi
}

# t_skip REASON: the whole script is skipped.
t_skip() { echo "  SKIP [$T_NAME]: $*" >&2; exit 77; }

# t_need_root: skip unless we may capture.
t_need_root() { [ "$(id -u)" = 0 ] || t_skip "needs root (live capture); CI runs as root"; }

# t_free_port: a TCP/UDP port nobody listens on now.
t_free_port() {
    local p
    for _ in $(seq 1 50); do
        p=$((20000 + RANDOM % 20000))
        if ! (ss -Htuan 2>/dev/null | awk '{print $5}' | grep -q ":$p\$"); then echo "$p"; return; fi
    done
    echo 39999
}

# t_wait_for SECONDS COMMAND...: poll until the command succeeds.
t_wait_for() {
    local secs=$1; shift
    local end=$((SECONDS + secs))
    while [ $SECONDS -le $end ]; do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.05
    done
    return 1
}

# t_done: print the tally and exit with the verdict.
t_done() {
    if [ "$T_CHECKS" -eq 0 ]; then echo "  FAIL [$T_NAME]: no assertion ran" >&2; exit 1; fi
    if [ "$T_FAILS" -eq 0 ]; then exit 0; fi
    echo "  [$T_NAME] $T_FAILS of $T_CHECKS checks failed" >&2
    exit 1
}
