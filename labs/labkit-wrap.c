/* labkit-wrap.c — Socket(), Bind(), Connect() ...: each call stepped, timed,
 * reported as an event and, when it fails, explained (labkit.h). */
#include "labkit-priv.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <unistd.h>

/* ========================================================= errno names */

struct errname {
    int err;
    const char *name;
};

static const struct errname errnames[] = {
    {EPERM, "EPERM"}, {ENOENT, "ENOENT"}, {EINTR, "EINTR"}, {EIO, "EIO"},
    {EBADF, "EBADF"}, {EAGAIN, "EAGAIN"}, {ENOMEM, "ENOMEM"}, {EACCES, "EACCES"},
    {EFAULT, "EFAULT"}, {EBUSY, "EBUSY"}, {EEXIST, "EEXIST"}, {ENODEV, "ENODEV"},
    {EINVAL, "EINVAL"}, {ENFILE, "ENFILE"}, {EMFILE, "EMFILE"}, {ENOSPC, "ENOSPC"},
    {EPIPE, "EPIPE"}, {ENOTSOCK, "ENOTSOCK"}, {EDESTADDRREQ, "EDESTADDRREQ"},
    {EMSGSIZE, "EMSGSIZE"}, {EPROTOTYPE, "EPROTOTYPE"}, {ENOPROTOOPT, "ENOPROTOOPT"},
    {EPROTONOSUPPORT, "EPROTONOSUPPORT"}, {ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT"},
    {EOPNOTSUPP, "EOPNOTSUPP"}, {EPFNOSUPPORT, "EPFNOSUPPORT"},
    {EAFNOSUPPORT, "EAFNOSUPPORT"}, {EADDRINUSE, "EADDRINUSE"},
    {EADDRNOTAVAIL, "EADDRNOTAVAIL"}, {ENETDOWN, "ENETDOWN"}, {ENETUNREACH, "ENETUNREACH"},
    {ENETRESET, "ENETRESET"}, {ECONNABORTED, "ECONNABORTED"}, {ECONNRESET, "ECONNRESET"},
    {ENOBUFS, "ENOBUFS"}, {EISCONN, "EISCONN"}, {ENOTCONN, "ENOTCONN"},
    {ESHUTDOWN, "ESHUTDOWN"}, {ETIMEDOUT, "ETIMEDOUT"}, {ECONNREFUSED, "ECONNREFUSED"},
    {EHOSTDOWN, "EHOSTDOWN"}, {EHOSTUNREACH, "EHOSTUNREACH"}, {EALREADY, "EALREADY"},
    {EINPROGRESS, "EINPROGRESS"}, {EPROTO, "EPROTO"},
};

static const char *errno_name(int err, char *buf, size_t n)
{
    for (size_t i = 0; i < sizeof errnames / sizeof errnames[0]; i++)
        if (errnames[i].err == err)
            return errnames[i].name;
    snprintf(buf, n, "errno %d", err);
    return buf;
}

/* ==================================================== what errors mean */

/* What a failed call means and what to try, first match wins. meaning may
 * hold one %s: the address concerned. */
struct why {
    int err;
    const char *call; /* NULL: any call */
    int type;         /* SOCK_STREAM, SOCK_DGRAM or 0 for both */
    int status;       /* enum lk_exit */
    const char *meaning;
    const char *tryit;
};

static const struct why whys[] = {
    {ECONNREFUSED, "connect", SOCK_STREAM, LK_EXIT_NET,
     N_("nothing listens on %s; the kernel answered the SYN with RST"),
     N_("start the server first, or check --host and --port")},
    {ECONNREFUSED, NULL, SOCK_DGRAM, LK_EXIT_NET,
     N_("an ICMP port unreachable came back: nothing listens on UDP %s (a connected UDP "
        "socket hears of it on its next call)"),
     N_("start lab-udp-recv on that port first, or check --port")},
    {ECONNREFUSED, NULL, 0, LK_EXIT_NET, N_("the peer %s refused the connection"),
     N_("check that the peer is running")},
    {ETIMEDOUT, "connect", 0, LK_EXIT_NET,
     N_("%s did not answer our SYNs; the kernel sent them again and gave up"),
     N_("check the address; a firewall may be dropping the packets")},
    {ETIMEDOUT, NULL, 0, LK_EXIT_NET,
     N_("the peer stopped acknowledging our data and the kernel gave up the connection"),
     N_("check that the peer is still up and reachable")},
    {EHOSTUNREACH, NULL, 0, LK_EXIT_NET,
     N_("no route to the host %s (an ICMP host unreachable came back, or no neighbour "
        "answered)"),
     N_("check the address and that the host is up")},
    {ENETUNREACH, NULL, 0, LK_EXIT_NET,
     N_("the network of %s cannot be reached from this machine (no route to it)"),
     N_("check the address; for IPv6, check that this machine has IPv6 (or use -4)")},
    {ECONNRESET, NULL, 0, LK_EXIT_NET,
     N_("the peer reset the connection (it sent RST): it closed abortively (SO_LINGER 0), "
        "closed with data still unread, or crashed"),
     N_("find out why the peer closed; data still in flight is lost")},
    {EPIPE, NULL, 0, LK_EXIT_NET,
     N_("the connection is closed for writing: the peer reset it, or we shut down our "
        "side; SIGPIPE is ignored here, so write() returns EPIPE instead of killing the "
        "program"),
     N_("stop writing once read() returned 0 or failed")},
    {ENOTCONN, NULL, 0, LK_EXIT_NET,
     N_("the socket is not connected (any more): the connection was reset or never made"),
     N_("connect first, and stop using a connection after an error")},
    {ECONNABORTED, NULL, 0, LK_EXIT_NET,
     N_("this machine aborted the connection (a timeout or a protocol error)"),
     N_("try again")},
    {EADDRINUSE, "bind", SOCK_STREAM, LK_EXIT_ADDR,
     N_("another socket already uses %s: a server still running, or a recent connection "
        "waiting in TIME_WAIT"),
     N_("stop the other program, wait for TIME_WAIT to end (60 s on Linux), or use "
        "--reuseaddr on every run of the server (Linux wants it on the old connections too)")},
    {EADDRINUSE, "bind", 0, LK_EXIT_ADDR,
     N_("another socket already uses %s (another receiver is running)"),
     N_("stop the other program, or pick another --port")},
    {EADDRINUSE, NULL, 0, LK_EXIT_ADDR,
     N_("no free local port is left for a connection to %s (too many in TIME_WAIT)"),
     N_("wait a minute for TIME_WAIT to end")},
    {EADDRNOTAVAIL, "bind", 0, LK_EXIT_ADDR, N_("%s is not an address of this machine"),
     N_("use 127.0.0.1, ::1, 0.0.0.0, :: or an address that `ip addr` shows")},
    {EADDRNOTAVAIL, NULL, 0, LK_EXIT_ADDR,
     N_("%s cannot be reached from here (an address one cannot send to, or no free local "
        "port)"),
     N_("check --host")},
    {EACCES, "bind", 0, LK_EXIT_ADDR,
     N_("ports below 1024 are reserved for root: binding %s was refused"),
     N_("use a port from 1024 up (such as --port 6666), or run as root")},
    {EACCES, NULL, 0, LK_EXIT_ADDR,
     N_("sending to %s is not permitted (a broadcast address needs SO_BROADCAST, or a "
        "firewall rule refuses it)"),
     N_("send to a unicast address")},
    {EPERM, NULL, 0, LK_EXIT_NET,
     N_("a firewall rule on this machine refused the packet to %s"),
     N_("look at the firewall rules (nft list ruleset)")},
    {EAFNOSUPPORT, NULL, 0, LK_EXIT_ADDR,
     N_("this machine does not support the address family (IPv6 turned off?)"),
     N_("use -4 and an IPv4 address")},
    {EPROTONOSUPPORT, NULL, 0, LK_EXIT_ADDR,
     N_("this machine does not support the protocol"), N_("use -4 and an IPv4 address")},
    {EMFILE, NULL, 0, LK_EXIT_SYS, N_("this process has too many open files"),
     N_("close sockets no longer used, or raise the limit with ulimit -n")},
    {ENFILE, NULL, 0, LK_EXIT_SYS, N_("the system has too many open files"),
     N_("close some programs and try again")},
    {ENOBUFS, NULL, 0, LK_EXIT_SYS, N_("the kernel has no buffer space left for this socket"),
     N_("close some connections and try again")},
    {ENOMEM, NULL, 0, LK_EXIT_SYS, N_("the kernel has no memory left for this socket"),
     N_("close some connections and try again")},
    {EMSGSIZE, NULL, 0, LK_EXIT_USAGE,
     N_("the datagram is too big for one UDP packet (at most 65507 bytes over IPv4)"),
     N_("send less, for example with --length")},
    {EAGAIN, NULL, 0, LK_EXIT_NET, N_("nothing came within the time allowed (SO_RCVTIMEO)"),
     N_("make sure the peer answers, or wait longer")},
    {EINVAL, NULL, 0, LK_EXIT_SYS,
     N_("an argument is not valid for this socket in its present state"),
     N_("this is a bug in the lab; please report it with the command you ran")},
};

static int last_status = LK_EXIT_OK;

int lk_error_status(void)
{
    return last_status;
}

/* ====================================================== one call, traced */

struct call {
    const char *name;        /* "connect" */
    int fd;                  /* the socket, -1 for socket() */
    int type;                /* SOCK_STREAM / SOCK_DGRAM, 0 if unknown */
    char args[96];           /* "fd 3, 127.0.0.1:6666" */
    char addr[64];           /* the address an error message names */
    const union lk_sockaddr *peer; /* reported as remote instead of getpeername() */
    int64_t t0;
};

static int sock_type(int fd)
{
    int type = 0;
    socklen_t len = sizeof type;
    if (fd < 0 || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
        return 0;
    return type;
}

static void call_init(struct call *c, const char *name, int fd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void call_init(struct call *c, const char *name, int fd, const char *fmt, ...)
{
    memset(c, 0, sizeof *c);
    c->name = name;
    c->fd = fd;
    c->type = sock_type(fd);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->args, sizeof c->args, fmt, ap);
    va_end(ap);
}

/* The peer's address, for error messages about an open connection. */
static void peer_of(struct call *c)
{
    union lk_sockaddr a;
    socklen_t len = sizeof a;
    memset(&a, 0, sizeof a);
    if (getpeername(c->fd, &a.sa, &len) == 0)
        lk_addr_str(&a, c->addr);
}

/* In step mode, waits before the call; then starts its clock. */
static void call_begin(struct call *c, const char *note)
{
    if (lk.step)
        lk_step(c->name, note);
    c->t0 = lk_now_ns();
}

/* Reports the call (event, --verbose trace) once it returned ret. evfd is the
 * socket to describe (accept's new one); state, if not NULL, replaces what
 * TCP_INFO would say (after close). errno is kept. */
static void call_end(struct call *c, long ret, int evfd, const char *node, const char *state,
                     const union lk_sockaddr *local_before)
{
    int64_t t1 = lk_now_ns();
    int err = errno;
    struct sk_labevent e;
    memset(&e, 0, sizeof e);
    e.kind = SK_LABEV_CALL;
    snprintf(e.call, sizeof e.call, "%s", c->name);
    snprintf(e.args, sizeof e.args, "%s", c->args);
    e.ret = ret;
    char ebuf[20];
    if (ret < 0)
        snprintf(e.err, sizeof e.err, "%s", errno_name(err, ebuf, sizeof ebuf));
    e.fd = evfd;
    e.t0_ns = c->t0;
    e.t1_ns = t1;
    if (local_before) {
        /* close(): the descriptor is gone; say what it was */
        char buf[64];
        snprintf(e.proto, sizeof e.proto, "%s", c->type == SOCK_STREAM ? "tcp" : "udp");
        if (local_before[0].sa.sa_family)
            snprintf(e.local, sizeof e.local, "%s", lk_addr_str(&local_before[0], buf));
        if (local_before[1].sa.sa_family)
            snprintf(e.remote, sizeof e.remote, "%s", lk_addr_str(&local_before[1], buf));
    } else {
        lk_describe_fd(&e, evfd);
    }
    if (c->peer) {
        char buf[64];
        snprintf(e.remote, sizeof e.remote, "%s", lk_addr_str(c->peer, buf));
    }
    if (state)
        snprintf(e.state, sizeof e.state, "%s", state);
    snprintf(e.node, sizeof e.node, "%s", ret < 0 ? "error" : node);
    lk_send(&e);

    if (lk.verbose) {
        char result[48];
        if (ret < 0)
            snprintf(result, sizeof result, "-1 %s", e.err);
        else
            snprintf(result, sizeof result, "%ld", ret);
        fprintf(lk.out, "    %s(%s) = %s", c->name, c->args, result);
        if (e.state[0])
            fprintf(lk.out, _("  kernel state %s"), e.state);
        fprintf(lk.out, "  (%.3f ms)\n", (double)(t1 - c->t0) / 1e6);
        fflush(lk.out);
    }
    errno = err;
}

/* Prints the one line that explains why the call failed; returns the exit
 * status that goes with it. */
static int explain(const struct call *c, int err)
{
    const struct why *w = NULL;
    for (size_t i = 0; i < sizeof whys / sizeof whys[0]; i++) {
        const struct why *x = &whys[i];
        if (x->err == err && (!x->call || strcmp(x->call, c->name) == 0) &&
            (!x->type || x->type == c->type)) {
            w = x;
            break;
        }
    }
    char ebuf[20];
    const char *name = errno_name(err, ebuf, sizeof ebuf);
    if (!w) {
        lk_error_line(_("%s(): %s — %s. Try: this is unexpected; please report it with the "
                        "command you ran."),
                      c->name, name, strerror(err));
        last_status = LK_EXIT_SYS;
        return last_status;
    }
    char meaning[300];
    snprintf(meaning, sizeof meaning, _(w->meaning), c->addr[0] ? c->addr : _("the peer"));
    lk_error_line(_("%s(): %s — %s. Try: %s."), c->name, name, meaning, _(w->tryit));
    last_status = w->status;
    return last_status;
}

/* ============================================================ wrappers */

int Socket(int family, int type, int protocol)
{
    struct call c;
    const char *proto = type == SOCK_STREAM ? "TCP" : "UDP";
    call_init(&c, "socket", -1, "%s, %s",
              family == AF_INET6 ? "AF_INET6" : family == AF_INET ? "AF_INET" : "?",
              type == SOCK_STREAM ? "SOCK_STREAM" : type == SOCK_DGRAM ? "SOCK_DGRAM" : "?");
    c.type = type;
    char note[200];
    snprintf(note, sizeof note,
             _("socket(): nothing goes on the wire; the kernel makes a %s endpoint and gives "
               "us its file descriptor."),
             proto);
    call_begin(&c, note);
    int fd = socket(family, type, protocol);
    lk_forget_fd(fd);
    call_end(&c, fd, fd, "", NULL, NULL);
    if (fd < 0)
        lk_exit(explain(&c, errno));
    return fd;
}

/* The name and meaning of the options the labs set. */
static void option_words(int level, int optname, const void *optval, socklen_t optlen,
                         char *name, size_t nn, const char **effect)
{
    *effect = _("it changes how the kernel treats this socket.");
    if (level == SOL_SOCKET && optname == SO_REUSEADDR) {
        snprintf(name, nn, "SO_REUSEADDR");
        *effect = _("bind() may then take a port that connections in TIME_WAIT still hold.");
    } else if (level == SOL_SOCKET && optname == SO_RCVBUF) {
        int v = optlen >= sizeof(int) ? *(const int *)optval : 0;
        snprintf(name, nn, "SO_RCVBUF %d", v);
        *effect = _("a small receive buffer makes a small window, advertised to the peer.");
    } else if (level == SOL_SOCKET && optname == SO_LINGER) {
        const struct linger *l = optval;
        snprintf(name, nn, "SO_LINGER {%d, %d}", l->l_onoff, l->l_linger);
        *effect = _("close() will then send RST instead of FIN and drop unsent data.");
    } else if (level == SOL_SOCKET && optname == SO_RCVTIMEO) {
        const struct timeval *tv = optval;
        snprintf(name, nn, "SO_RCVTIMEO %ld ms",
                 (long)tv->tv_sec * 1000 + (long)tv->tv_usec / 1000);
        *effect = _("a receive gives up, with EAGAIN, after that time.");
    } else if (level == IPPROTO_TCP && optname == TCP_NODELAY) {
        snprintf(name, nn, "TCP_NODELAY");
        *effect = _("small writes go out at once instead of waiting for the ACK of earlier "
                    "data (Nagle's algorithm).");
    } else {
        snprintf(name, nn, "level %d, option %d", level, optname);
    }
}

void Setsockopt(int fd, int level, int optname, const void *optval, socklen_t optlen)
{
    char name[64];
    const char *effect;
    option_words(level, optname, optval, optlen, name, sizeof name, &effect);
    struct call c;
    call_init(&c, "setsockopt", fd, "fd %d, %s", fd, name);
    char note[200];
    snprintf(note, sizeof note, _("setsockopt(%s): nothing goes on the wire; %s"), name,
             effect);
    call_begin(&c, note);
    int r = setsockopt(fd, level, optname, optval, optlen);
    call_end(&c, r, fd, "", NULL, NULL);
    if (r < 0)
        lk_exit(explain(&c, errno));
}

void Bind(int fd, const struct sockaddr *sa, socklen_t salen)
{
    union lk_sockaddr a;
    memset(&a, 0, sizeof a);
    memcpy(&a, sa, salen < sizeof a ? salen : sizeof a);
    char where[64];
    struct call c;
    call_init(&c, "bind", fd, "fd %d, %s", fd, lk_addr_str(&a, where));
    memcpy(c.addr, where, sizeof c.addr);
    char note[200];
    snprintf(note, sizeof note,
             _("bind(): nothing goes on the wire; the socket gets its local address %s."),
             c.addr);
    call_begin(&c, note);
    int r = bind(fd, sa, salen);
    /* For UDP, Node's 'listening' comes once the socket is bound. */
    call_end(&c, r, fd, c.type == SOCK_DGRAM ? "listening" : "", NULL, NULL);
    if (r < 0)
        lk_exit(explain(&c, errno));
}

void Listen(int fd, int backlog)
{
    struct call c;
    call_init(&c, "listen", fd, "fd %d, backlog %d", fd, backlog);
    char note[200];
    snprintf(note, sizeof note,
             _("listen(): nothing goes on the wire; from now on the kernel answers SYNs with "
               "SYN-ACK and keeps up to %d finished handshakes for accept()."),
             backlog);
    call_begin(&c, note);
    int r = listen(fd, backlog);
    call_end(&c, r, fd, "listening", NULL, NULL);
    if (r < 0)
        lk_exit(explain(&c, errno));
}

int Accept(int fd, struct sockaddr *sa, socklen_t *salenptr)
{
    for (;;) {
        struct call c;
        call_init(&c, "accept", fd, "fd %d", fd);
        call_begin(&c, _("accept(): nothing goes on the wire; it waits until the kernel has "
                         "finished a handshake (SYN, SYN-ACK, ACK) and hands over the new "
                         "connection."));
        socklen_t len = *salenptr;
        int n = accept(fd, sa, &len);
        call_end(&c, n, n >= 0 ? n : fd, "connection", NULL, NULL);
        if (n >= 0) {
            *salenptr = len;
            return n;
        }
        if (errno == EINTR && lk.stop)
            return -1;
        /* A client that gave up (RST) while waiting in the backlog: not our
         * error, wait for the next one (Stevens, UNP 5.11). */
        if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
            continue;
        lk_exit(explain(&c, errno));
    }
}

void Connect(int fd, const struct sockaddr *sa, socklen_t salen)
{
    union lk_sockaddr a;
    memset(&a, 0, sizeof a);
    memcpy(&a, sa, salen < sizeof a ? salen : sizeof a);
    char where[64];
    struct call c;
    call_init(&c, "connect", fd, "fd %d, %s", fd, lk_addr_str(&a, where));
    memcpy(c.addr, where, sizeof c.addr);
    char note[200];
    if (c.type == SOCK_STREAM)
        snprintf(note, sizeof note, "%s",
                 _("connect(): the kernel will send SYN and wait for SYN-ACK, then answer "
                   "with ACK."));
    else
        snprintf(note, sizeof note,
                 _("connect(): nothing goes on the wire for UDP; it fixes the peer %s, so "
                   "that ICMP errors about it come back to us."),
                 c.addr);
    call_begin(&c, note);
    int r = connect(fd, sa, salen);
    call_end(&c, r, fd, "connect", NULL, NULL);
    if (r < 0)
        lk_exit(explain(&c, errno));
}

ssize_t Read(int fd, void *buf, size_t n)
{
    for (;;) {
        struct call c;
        call_init(&c, "read", fd, "fd %d, %zu", fd, n);
        call_begin(&c, _("read(): nothing goes on the wire; it waits for data, or for the "
                         "peer's FIN (then it returns 0). The kernel ACKs what arrives."));
        ssize_t r = read(fd, buf, n);
        call_end(&c, (long)r, fd, r == 0 ? "end" : "data", NULL, NULL);
        if (r >= 0)
            return r;
        if (errno == EINTR && !lk.stop)
            continue;
        if (errno == EINTR)
            return -1;
        int err = errno; /* peer_of() may change errno */
        peer_of(&c);
        explain(&c, err);
        errno = err;
        return -1;
    }
}

ssize_t Writen(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    size_t left = n;
    /* write() may take fewer bytes than asked (the send buffer is full, a
     * signal came): loop until all is written, as Stevens' writen does. */
    while (left > 0) {
        struct call c;
        call_init(&c, "write", fd, "fd %d, %zu", fd, left);
        char note[200];
        snprintf(note, sizeof note,
                 _("write(): the kernel will send these %zu bytes in one or more segments "
                   "(the last with PSH), and the peer will ACK them."),
                 left);
        call_begin(&c, note);
        ssize_t w = write(fd, p, left);
        call_end(&c, (long)w, fd, "write()", NULL, NULL);
        if (w < 0) {
            if (errno == EINTR && !lk.stop)
                continue;
            if (errno != EINTR) {
                int err = errno;
                peer_of(&c);
                explain(&c, err);
                errno = err;
            }
            return -1;
        }
        p += w;
        left -= (size_t)w;
    }
    return (ssize_t)n;
}

int Shutdown(int fd, int how)
{
    const char *hows = how == SHUT_WR ? "SHUT_WR" : how == SHUT_RD ? "SHUT_RD" : "SHUT_RDWR";
    struct call c;
    call_init(&c, "shutdown", fd, "fd %d, %s", fd, hows);
    char note[200];
    if (how == SHUT_RD)
        snprintf(note, sizeof note, "%s",
                 _("shutdown(SHUT_RD): nothing goes on the wire; our next reads return 0."));
    else
        snprintf(note, sizeof note,
                 _("shutdown(%s): the kernel will send FIN; we can still read what the peer "
                   "sends."),
                 hows);
    call_begin(&c, note);
    int r = shutdown(fd, how);
    call_end(&c, r, fd, "end()", NULL, NULL);
    if (r < 0) {
        int err = errno;
        peer_of(&c);
        explain(&c, err);
        errno = err;
    }
    return r;
}

ssize_t Sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *sa,
               socklen_t salen)
{
    union lk_sockaddr a;
    memset(&a, 0, sizeof a);
    struct call c;
    if (sa) {
        memcpy(&a, sa, salen < sizeof a ? salen : sizeof a);
        char where[64];
        call_init(&c, "sendto", fd, "fd %d, %zu bytes, %s", fd, n, lk_addr_str(&a, where));
        memcpy(c.addr, where, sizeof c.addr);
        c.peer = &a;
    } else {
        call_init(&c, "sendto", fd, "fd %d, %zu bytes", fd, n);
        peer_of(&c);
    }
    char note[200];
    snprintf(note, sizeof note,
             _("sendto(): the kernel will send one UDP datagram of %zu bytes to %s (no "
               "handshake, no ACK)."),
             n, c.addr);
    for (;;) {
        call_begin(&c, note);
        ssize_t r = sendto(fd, buf, n, flags, sa, salen);
        call_end(&c, (long)r, fd, "send()", NULL, NULL);
        if (r >= 0)
            return r;
        if (errno == EINTR && !lk.stop)
            continue;
        if (errno != EINTR)
            explain(&c, errno);
        return -1;
    }
}

ssize_t Recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *sa,
                 socklen_t *salenptr)
{
    for (;;) {
        struct call c;
        call_init(&c, "recvfrom", fd, "fd %d, %zu", fd, n);
        call_begin(&c, _("recvfrom(): nothing goes on the wire; it waits for one datagram."));
        union lk_sockaddr from;
        memset(&from, 0, sizeof from);
        socklen_t len = sizeof from;
        ssize_t r = recvfrom(fd, buf, n, flags, &from.sa, &len);
        if (r >= 0)
            c.peer = &from;
        call_end(&c, (long)r, fd, "message", NULL, NULL);
        if (r >= 0) {
            if (sa && salenptr) {
                socklen_t copy = *salenptr < len ? *salenptr : len;
                memcpy(sa, &from, copy);
                *salenptr = len;
            }
            return r;
        }
        if (errno == EINTR && !lk.stop)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return -1; /* the timeout (SO_RCVTIMEO) or a stop: the lab says it */
        int err = errno;
        peer_of(&c);
        explain(&c, err);
        errno = err;
        return -1;
    }
}

/* What close() will put on the wire, worked out from the socket as it is. */
static void close_note(int fd, int type, char *note, size_t n)
{
    if (type != SOCK_STREAM) {
        snprintf(note, n, "%s",
                 _("close(): nothing goes on the wire for UDP; the port is free again."));
        return;
    }
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    memset(&ti, 0, sizeof ti);
    getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len);
    const char *state = sk_labev_kstate(ti.tcpi_state);
    struct linger lg = {0, 0};
    len = sizeof lg;
    getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &len);
    int unread = 0;
    ioctl(fd, FIONREAD, &unread);
    if (strcmp(state, "LISTEN") == 0)
        snprintf(note, n, "%s",
                 _("close(): nothing goes on the wire; the port stops accepting connections "
                   "(any still waiting in the backlog get RST)."));
    else if (strcmp(state, "CLOSED") == 0 || state[0] == '\0')
        snprintf(note, n, "%s",
                 _("close(): nothing goes on the wire; there is no connection (any more)."));
    else if (lg.l_onoff && lg.l_linger == 0)
        snprintf(note, n, "%s",
                 _("close(): SO_LINGER is {1, 0}, so the kernel will send RST instead of FIN: "
                   "an abortive close."));
    else if (unread > 0)
        snprintf(note, n,
                 _("close(): %d bytes arrived that we never read, so the kernel will send RST "
                   "instead of FIN."),
                 unread);
    else if (strcmp(state, "ESTABLISHED") == 0)
        snprintf(note, n, "%s",
                 _("close(): the kernel will send FIN; we close first, so we go through "
                   "FIN_WAIT_1, FIN_WAIT_2 and TIME_WAIT."));
    else if (strcmp(state, "CLOSE_WAIT") == 0)
        snprintf(note, n, "%s",
                 _("close(): the kernel will send FIN; the peer closed first, so we wait in "
                   "LAST_ACK for its ACK."));
    else
        snprintf(note, n,
                 _("close(): nothing new goes on the wire (%s: our FIN was already sent); the "
                   "descriptor is released."),
                 state);
}

void Close(int fd)
{
    struct call c;
    call_init(&c, "close", fd, "fd %d", fd);
    char note[200];
    close_note(fd, c.type, note, sizeof note);
    /* After close() the descriptor is gone: remember the connection now, to
     * ask the kernel afterwards what became of it. */
    union lk_sockaddr ends[2];
    lk_fd_ends(fd, ends);
    call_begin(&c, note);
    int r = close(fd);
    lk_forget_fd(fd);
    const char *state = "";
    if (c.type == SOCK_STREAM)
        state = ends[1].sa.sa_family ? lk_kstate_after_close(&ends[0], &ends[1]) : "CLOSED";
    call_end(&c, r, fd, "close", state, ends);
    if (r < 0)
        explain(&c, errno);
}

pid_t Fork(void)
{
    pid_t pid = fork();
    if (pid < 0) {
        lk_error_line(_("fork(): %s — cannot start a process for this client. Try: fewer "
                        "clients at once."),
                      strerror(errno));
        lk_exit(LK_EXIT_SYS);
    }
    if (pid > 0)
        lk_info("fork", "child %ld serves the new connection", (long)pid);
    return pid;
}
