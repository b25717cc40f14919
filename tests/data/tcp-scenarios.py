#!/usr/bin/env python3
"""tcp-scenarios.py — the socket programs behind tests/data/tcp-*.pcap.

Run by tests/data/tcp-captures.sh (as root, inside network namespaces where
needed); not part of the build or of the tests themselves. Each subcommand is
one side of one scenario; addresses and ports come from the arguments.
"""
import socket
import struct
import sys
import time

HELLO = b"HelloWorld!!!"
BYE = b"goodbye!!!"


def listener(host, port, rcvbuf=None, fastopen=False):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    if fastopen:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_FASTOPEN, 5)
    s.bind((host, port))
    s.listen(8)
    return s


def connect(host, port, rcvbuf=None):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    c = socket.socket(fam, socket.SOCK_STREAM)
    if rcvbuf:
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    c.connect((host, port))
    return c


def drain(s):
    n = 0
    while True:
        d = s.recv(65536)
        if not d:
            return n
        n += len(d)


def until(t):
    d = t - time.time()
    if d > 0:
        time.sleep(d)


# ------------------------------------------------------------------ servers
def srv_echo(host, port, mode):
    """One connection per call; mode says how the server behaves."""
    s = listener(host, int(port))
    c, _ = s.accept()
    if mode == "basic":          # read, answer, wait for the client's FIN, close
        c.recv(100)
        c.send(BYE)
        drain(c)
        c.close()
    elif mode == "halfclose":    # the client shut down its side; keep sending
        drain(c)
        for i in range(3):
            c.send(BYE)
            time.sleep(0.05)
        c.close()
    elif mode == "serverfirst":  # the server closes first (TIME_WAIT on the server)
        c.recv(100)
        c.send(BYE)
        c.close()
    elif mode == "abort":        # the client resets; recv fails with ECONNRESET
        try:
            drain(c)
        except ConnectionResetError:
            pass
        c.close()
    elif mode == "unread":       # close() with unread data: the kernel sends RST
        time.sleep(0.1)
        c.close()
    elif mode == "closed":       # close at once; the client's later data meets RST
        c.close()
        time.sleep(0.3)
    elif mode == "keepalive":
        c.recv(100)
        c.send(BYE)
        drain(c)
        c.close()
    s.close()


def cli_echo(host, port, mode):
    if mode == "refused":
        try:
            connect(host, int(port))
        except ConnectionRefusedError:
            pass
        return
    c = connect(host, int(port))
    if mode == "basic":
        c.send(HELLO)
        c.recv(100)
        time.sleep(0.05)
        c.close()
    elif mode == "halfclose":
        c.send(HELLO)
        c.shutdown(socket.SHUT_WR)
        drain(c)
        c.close()
    elif mode == "serverfirst":
        c.send(HELLO)
        drain(c)
        time.sleep(0.05)
        c.close()
    elif mode == "abort":
        c.send(HELLO)
        time.sleep(0.05)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()
    elif mode == "datafin":      # data and FIN in one segment (TCP_CORK holds the data)
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
        c.send(HELLO)
        c.shutdown(socket.SHUT_WR)
        drain(c)
        c.close()
    elif mode == "unread":
        c.send(HELLO)
        time.sleep(0.3)
        try:
            c.send(HELLO)        # after the RST: EPIPE / ECONNRESET, nothing sent
        except OSError:
            pass
        c.close()
    elif mode == "closed":
        time.sleep(0.1)          # the server's FIN has arrived: read() would return 0
        try:
            c.send(HELLO)        # the server's socket is gone: it answers RST
            time.sleep(0.1)
            c.send(HELLO)
        except OSError:
            pass
        c.close()
    elif mode == "keepalive":
        c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
        c.send(HELLO)
        c.recv(100)
        time.sleep(3.6)
        c.close()


def srv_datafin(host, port):
    s = listener(host, int(port))
    c, _ = s.accept()
    drain(c)
    c.send(BYE)
    c.close()
    s.close()


# ------------------------------------------------------------------ bulk
def srv_bulk(host, port, nbytes):
    s = listener(host, int(port))
    c, _ = s.accept()
    c.recv(100)
    left = int(nbytes)
    chunk = b"x" * 16384
    while left > 0:
        n = c.send(chunk[:min(left, len(chunk))])
        left -= n
    c.shutdown(socket.SHUT_WR)
    drain(c)
    c.close()
    s.close()


def cli_bulk(host, port, rcvbuf, delay, step):
    """Receive everything; with rcvbuf set, a slow reader (zero window)."""
    rcvbuf = int(rcvbuf)
    c = connect(host, int(port), rcvbuf if rcvbuf else None)
    c.send(HELLO)
    time.sleep(float(delay))
    step = int(step)
    while True:
        d = c.recv(step if step else 65536)
        if not d:
            break
        if step:
            time.sleep(0.02)
    c.close()


# ------------------------------------------------------------------ simultaneous
def simul(lhost, lport, rhost, rport, t_open, t_close):
    """Both peers call connect() at t_open (the SYNs cross) and close() at t_close
    (the FINs cross): RFC 9293 simultaneous open and simultaneous close."""
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind((lhost, int(lport)))
    until(float(t_open))
    for _ in range(20):
        try:
            c.connect((rhost, int(rport)))
            break
        except OSError:
            time.sleep(0.01)
    c.send(HELLO)
    c.recv(100)
    until(float(t_close))
    c.shutdown(socket.SHUT_WR)
    drain(c)
    c.close()


# ------------------------------------------------------------------ fast open
def srv_tfo(host, port, n):
    s = listener(host, int(port), fastopen=True)
    for _ in range(int(n)):
        c, _ = s.accept()
        c.recv(100)
        c.send(BYE)
        drain(c)
        c.close()
    s.close()


def cli_tfo(host, port, n):
    for _ in range(int(n)):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.sendto(HELLO, socket.MSG_FASTOPEN, (host, int(port)))
        c.recv(100)
        c.close()
        time.sleep(0.1)


# ------------------------------------------------------------------ the wire
def wire(if_a, if_b, delay_ms, loss, reorder, seed):
    """A userspace cable between two interfaces (this kernel has no netem):
    every frame read on one is sent on the other after delay_ms; a TCP segment
    is dropped with probability loss, or sent at once, overtaking the delayed
    ones, with probability reorder. Runs until killed."""
    import heapq
    import random
    import select
    rnd = random.Random(int(seed))
    delay = float(delay_ms) / 1000.0
    loss, reorder = float(loss), float(reorder)
    socks = []
    for name in (if_a, if_b):
        k = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
        k.bind((name, 0))
        socks.append(k)
    peer = {socks[0].fileno(): socks[1], socks[1].fileno(): socks[0]}
    queue, n = [], 0
    while True:
        timeout = max(0.0, queue[0][0] - time.time()) if queue else 1.0
        ready, _, _ = select.select(socks, [], [], timeout)
        for k in ready:
            frame, addr = k.recvfrom(65536)
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            is_tcp = len(frame) > 23 and frame[12:14] == b"\x08\x00" and frame[23] == 6
            due = time.time() + delay
            if is_tcp:
                r = rnd.random()
                if r < loss:
                    continue
                if r < loss + reorder:
                    due = time.time()
            n += 1
            heapq.heappush(queue, (due, n, peer[k.fileno()].fileno(), frame))
        now = time.time()
        while queue and queue[0][0] <= now:
            _, _, fd, frame = heapq.heappop(queue)
            (socks[0] if socks[0].fileno() == fd else socks[1]).send(frame)


CMDS = {
    "wire": wire,
    "srv": srv_echo, "cli": cli_echo, "srv-datafin": srv_datafin,
    "srv-bulk": srv_bulk, "cli-bulk": cli_bulk, "simul": simul,
    "srv-tfo": srv_tfo, "cli-tfo": cli_tfo,
}

if __name__ == "__main__":
    CMDS[sys.argv[1]](*sys.argv[2:])
