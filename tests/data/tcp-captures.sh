#!/bin/bash
# tcp-captures.sh — how tests/data/tcp-*.pcap and their tshark verdicts were made.
#
# Needs root (tcpdump, network namespaces), python3, tshark, editcap, ethtool.
# Loss, delay and reordering come from a userspace cable between two namespaces
# ("wire" in tcp-scenarios.py; this kernel has no netem), seeded, so the pattern
# of losses is the same on every run even if the timing is not. Rerunning makes
# new captures (new ISNs, new timings): the unit test check_tcp.c compares our
# tracker with the *.tshark.txt saved next to each capture, so both must be
# regenerated together (this script does).
#
#   tcp-lo.pcap         loopback: close by client / by server, half-close, data+FIN,
#                       abort (SO_LINGER 0), RST on unread data, RST answering data
#                       sent to a closed socket, refused connect, IPv6, keep-alive
#   tcp-loss.pcap       veth between two namespaces, 20 ms delay, 8% loss both ways:
#                       retransmissions, dup ACKs, fast retransmissions, lost segments
#   tcp-reorder.pcap    20 ms delay, 15% of segments overtake the others: out-of-order
#   tcp-zerowin.pcap    a receiver with a 4 KB SO_RCVBUF that sleeps, then reads
#                       slowly: zero window, zero-window probes, window updates/full
#   tcp-simul.pcap      both peers connect() and shutdown() at the same instant
#                       across 30 ms of delay: simultaneous open and close
#   tcp-tfo.pcap        TCP Fast Open: data on the SYN
#   tcp-midstream.pcap  tcp-loss.pcap from frame 40 on (the handshake not captured)
#   tcp-onedir.pcap     tcp-loss.pcap, only what the server sent
#   tcp-craft.pcap      hand-made segments (tcp-craft.py) probing the corners of the
#                       analysis where Wireshark versions differ, and of the tracker
#   tcp-gap.pcap        tcp-lo.pcap without frames 4, 30 and 59 (a capture that
#                       missed segments the peers did see: ACKed unseen segments)
#
# Verdicts: for every frame, tshark 4.0's analysis flags with default preferences:
#   tshark -r F -T fields -E occurrence=f -e frame.number -e tcp.analysis.<flag> ...
# (the field list is $FIELDS below), one line per frame, "1" where flagged.
set -euo pipefail

cd "$(dirname "$0")"
PY="python3 $PWD/tcp-scenarios.py"
FIELDS="frame.number tcp.analysis.retransmission tcp.analysis.fast_retransmission
tcp.analysis.spurious_retransmission tcp.analysis.out_of_order tcp.analysis.lost_segment
tcp.analysis.ack_lost_segment tcp.analysis.duplicate_ack tcp.analysis.duplicate_ack_num
tcp.analysis.zero_window tcp.analysis.zero_window_probe tcp.analysis.window_update
tcp.analysis.window_full tcp.analysis.keep_alive tcp.analysis.keep_alive_ack"

verdicts() {
    local pcap=$1 out=${1%.pcap}.tshark.txt args=()
    for f in $FIELDS; do args+=(-e "$f"); done
    {
        echo "# tshark $(tshark -v 2>/dev/null | head -1 | awk '{print $3}') verdicts for $pcap (see tcp-captures.sh):"
        echo "# $(echo $FIELDS | tr ' ' '\t')"
        tshark -r "$pcap" -T fields -E occurrence=f "${args[@]}" 2>/dev/null
    } > "$out"
}

TDPID=
cap_start() { # cap_start FILE NETNS|- IFACE FILTER
    local ns=()
    [ "$2" != - ] && ns=(ip netns exec "$2")
    "${ns[@]}" tcpdump -i "$3" -s 128 --immediate-mode -U -w "$1" "$4" 2>/dev/null &
    TDPID=$!
    sleep 1
}
cap_stop() { sleep 1.5; kill -INT "$TDPID"; wait "$TDPID" || true; }

NS_C=skcap-c NS_S=skcap-s WIREPID=
ns_down() {
    [ -n "$WIREPID" ] && { kill "$WIREPID" 2>/dev/null; wait "$WIREPID" 2>/dev/null || true; WIREPID=; }
    ip netns del $NS_C 2>/dev/null || true; ip netns del $NS_S 2>/dev/null || true
    ip link del skw-c 2>/dev/null || true; ip link del skw-s 2>/dev/null || true
}
ns_up() { # ns_up DELAY_MS LOSS REORDER: client 10.9.0.1 -- wire -- 10.9.0.2 server
    local delay=$1 loss=$2 reorder=$3
    ns_down
    ip netns add $NS_C; ip netns add $NS_S
    ip link add skv-c type veth peer name skw-c
    ip link add skv-s type veth peer name skw-s
    ip link set skv-c netns $NS_C; ip link set skv-s netns $NS_S
    ip -n $NS_C addr add 10.9.0.1/24 dev skv-c; ip -n $NS_S addr add 10.9.0.2/24 dev skv-s
    for p in "$NS_C skv-c" "$NS_S skv-s"; do
        set -- $p
        ip -n "$1" link set lo up; ip -n "$1" link set "$2" up
        # Segments as a wire carries them: no TSO/GSO super-packets, no GRO, and
        # checksums computed in software (the wire copies frames as they are).
        ip netns exec "$1" ethtool -K "$2" tx off tso off gso off gro off >/dev/null 2>&1
        ip netns exec "$1" sysctl -qw net.ipv4.tcp_fastopen=3
    done
    for i in skw-c skw-s; do
        ethtool -K $i tx off tso off gso off gro off >/dev/null 2>&1
        ip link set $i up
    done
    $PY wire skw-c skw-s "$delay" "$loss" "$reorder" 7 & WIREPID=$!
    sleep 0.5
}
trap ns_down EXIT

# ---------------------------------------------------------------- loopback
cap_start tcp-lo.pcap - lo 'tcp portrange 6660-6669'
port=6660
for m in basic halfclose serverfirst abort unread closed; do
    $PY srv 127.0.0.1 $port $m & SRV=$!; sleep 0.3
    $PY cli 127.0.0.1 $port $m; wait $SRV
    port=$((port + 1))
done
$PY srv-datafin 127.0.0.1 6666 & SRV=$!; sleep 0.3; $PY cli 127.0.0.1 6666 datafin; wait $SRV
$PY cli 127.0.0.1 6667 refused
$PY srv ::1 6668 basic & SRV=$!; sleep 0.3; $PY cli ::1 6668 basic; wait $SRV
$PY srv 127.0.0.1 6669 keepalive & SRV=$!; sleep 0.3; $PY cli 127.0.0.1 6669 keepalive; wait $SRV
cap_stop

# ---------------------------------------------------------------- loss
ns_up 20 0.08 0
cap_start tcp-loss.pcap $NS_C skv-c 'tcp port 45000'
ip netns exec $NS_S $PY srv-bulk 10.9.0.2 45000 400000 & SRV=$!; sleep 0.3
ip netns exec $NS_C $PY cli-bulk 10.9.0.2 45000 0 0 0; wait $SRV
cap_stop

# ---------------------------------------------------------------- reorder
ns_up 20 0 0.15
cap_start tcp-reorder.pcap $NS_C skv-c 'tcp port 45001'
ip netns exec $NS_S $PY srv-bulk 10.9.0.2 45001 200000 & SRV=$!; sleep 0.3
ip netns exec $NS_C $PY cli-bulk 10.9.0.2 45001 0 0 0; wait $SRV
cap_stop

# ---------------------------------------------------------------- zero window
ns_up 5 0 0
cap_start tcp-zerowin.pcap $NS_C skv-c 'tcp port 45002'
ip netns exec $NS_S $PY srv-bulk 10.9.0.2 45002 60000 & SRV=$!; sleep 0.3
ip netns exec $NS_C $PY cli-bulk 10.9.0.2 45002 4096 1.5 1000; wait $SRV
cap_stop

# ---------------------------------------------------------------- simultaneous open/close
ns_up 30 0 0
cap_start tcp-simul.pcap $NS_C skv-c 'tcp port 45003 or tcp port 45004'
t0=$(python3 -c 'import time; print(time.time() + 1.0)')
t1=$(python3 -c "print($t0 + 0.6)")
ip netns exec $NS_S $PY simul 10.9.0.2 45004 10.9.0.1 45003 "$t0" "$t1" & SRV=$!
ip netns exec $NS_C $PY simul 10.9.0.1 45003 10.9.0.2 45004 "$t0" "$t1"; wait $SRV
cap_stop

# ---------------------------------------------------------------- fast open
ns_up 5 0 0
cap_start tcp-tfo.pcap $NS_C skv-c 'tcp port 45005'
ip netns exec $NS_S $PY srv-tfo 10.9.0.2 45005 2 & SRV=$!; sleep 0.3
ip netns exec $NS_C $PY cli-tfo 10.9.0.2 45005 2; wait $SRV
cap_stop

# ---------------------------------------------------------------- derived
editcap -r tcp-loss.pcap tcp-midstream.pcap 40-100000 >/dev/null
tcpdump -r tcp-loss.pcap -w tcp-onedir.pcap 'src host 10.9.0.2' 2>/dev/null
editcap tcp-lo.pcap tcp-gap.pcap 4 30 59 >/dev/null
python3 tcp-craft.py tcp-craft.pcap

for f in tcp-craft tcp-lo tcp-gap tcp-loss tcp-reorder tcp-zerowin tcp-simul tcp-tfo tcp-midstream tcp-onedir; do
    verdicts $f.pcap
done
ls -l tcp-*.pcap
