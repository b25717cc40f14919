/* labkit-events.c — the labs' syscall events and step mode (docs/events.md). */
#include "labkit-priv.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static void flush_at_exit(void);
static pid_t control_owner; /* the process that bound the control socket */

/* =============================================================== setup */

static void control_open(const char *path)
{
    struct sockaddr_un sun;
    if (!sk_labev_unix_addr(&sun, path))
        lk_usage_error(_("--control %s: a UNIX socket path must be shorter than %zu bytes."),
                       path, sizeof sun.sun_path);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        lk_usage_error(_("--control %s: cannot make a UNIX socket: %s."), path,
                       strerror(errno));
    /* A socket file left by an earlier run is stale: the path is ours now.
     * Anything else there is not ours to remove. */
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode))
            lk_usage_error(_("--control %s: the file exists and is not a socket."), path);
        unlink(path);
    }
    if (bind(fd, (const struct sockaddr *)&sun, sizeof sun) < 0)
        lk_usage_error(_("--control %s: cannot bind the control socket: %s."), path,
                       strerror(errno));
    lk.control_fd = lk_hide_fd(fd);
    control_owner = getpid();
    snprintf(lk.control_path, sizeof lk.control_path, "%s", path);
}

void lk_events_open(const char *opt_events, const char *opt_control)
{
    const char *path = opt_events;
    bool from_option = path != NULL;
    char fallback[108];
    if (!path || !*path)
        path = getenv("SOCKSCOPE_EVENTS");
    if (!path || !*path) {
        sk_labev_default_path(fallback, sizeof fallback, (unsigned long)getuid());
        path = fallback;
    }
    struct sockaddr_un sun;
    if (!sk_labev_unix_addr(&sun, path)) {
        if (from_option)
            lk_usage_error(_("--events %s: a UNIX socket path must be shorter than %zu "
                             "bytes."),
                           path, sizeof sun.sun_path);
        lk_note(_("events: the path %s is too long for a UNIX socket; no events are sent."),
                path);
    } else {
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd >= 0) {
            lk.events_fd = lk_hide_fd(fd);
            snprintf(lk.events_path, sizeof lk.events_path, "%s", path);
        }
    }

    if (!lk.step)
        return;
    const char *control = opt_control;
    if (!control || !*control)
        control = getenv("SOCKSCOPE_CONTROL");
    if (control && *control)
        control_open(control);
}

void lk_events_close(void)
{
    flush_at_exit();
    if (lk.control_fd >= 0) {
        close(lk.control_fd);
        lk.control_fd = -1;
        /* Only the process that bound it removes it (not a forked child). */
        if (lk.control_path[0] && control_owner == getpid())
            unlink(lk.control_path);
    }
    if (lk.events_fd >= 0) {
        close(lk.events_fd);
        lk.events_fd = -1;
    }
}

const char *lk_events_path(void)
{
    return lk.events_fd >= 0 ? lk.events_path : "";
}

/* ============================================================= sending */

static const char *errname_short(int err)
{
    switch (err) {
    case ENOENT: return "ENOENT";
    case ECONNREFUSED: return "ECONNREFUSED";
    case EAGAIN: return "EAGAIN";
    case EACCES: return "EACCES";
    default: return "";
    }
}

/* Events the listener's queue had no room for (EAGAIN: a UNIX datagram
 * socket queues only net.unix.max_dgram_qlen of them, 10 by default), kept
 * in order and sent before the next one. Never waited for, except briefly at
 * exit. */
#define PENDING_MAX 64
static struct {
    int len;
    char buf[SK_LABEV_MAX];
} pending[PENDING_MAX];
static int pending_first, pending_n;

static void warn_once(int err)
{
    if (lk.events_warned)
        return;
    lk.events_warned = true;
    const char *name = errname_short(err);
    lk_note(_("events: not delivered to %s (%s); the lab goes on without them."),
            lk.events_path, *name ? name : strerror(err));
}

/* 0 sent, 1 no room now (EAGAIN), -1 lost (no listener, or another error). */
static int send_one(const char *buf, int len)
{
    struct sockaddr_un sun;
    sk_labev_unix_addr(&sun, lk.events_path);
    if (sendto(lk.events_fd, buf, (size_t)len, MSG_DONTWAIT | MSG_NOSIGNAL,
               (const struct sockaddr *)&sun, sizeof sun) == len)
        return 0;
    int err = errno;
    if (err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS)
        return 1;
    warn_once(err);
    return -1;
}

/* Sends what is pending, oldest first, until the queue is full again. */
static void flush_pending(void)
{
    while (pending_n > 0) {
        int r = send_one(pending[pending_first].buf, pending[pending_first].len);
        if (r == 1)
            return;
        if (r < 0) { /* the listener went away: the rest is lost too */
            pending_n = 0;
            return;
        }
        pending_first = (pending_first + 1) % PENDING_MAX;
        pending_n--;
    }
}

void lk_send(struct sk_labevent *e)
{
    if (lk.events_fd < 0)
        return;
    int saved = errno;
    int32_t pid = (int32_t)getpid();
    if (pid != lk.pid) {
        /* A forked child: its own numbering from 1; what is pending is the
         * parent's to send. */
        lk.pid = pid;
        lk.seq = 0;
        pending_n = 0;
    }
    snprintf(e->prog, sizeof e->prog, "%s", lk.prog);
    e->pid = pid;
    e->seq = ++lk.seq;
    char buf[SK_LABEV_MAX];
    int len = sk_labevent_format(e, buf, sizeof buf);
    if (len < 0) {
        errno = saved;
        return;
    }
    /* Never wait: no listener (ENOENT, ECONNREFUSED) only means the event is
     * lost, and a full queue (EAGAIN) that it waits for a later chance. */
    flush_pending();
    if (pending_n == 0 && send_one(buf, len) != 1) {
        errno = saved;
        return;
    }
    if (pending_n < PENDING_MAX) {
        int at = (pending_first + pending_n) % PENDING_MAX;
        memcpy(pending[at].buf, buf, (size_t)len);
        pending[at].len = len;
        pending_n++;
    } else {
        warn_once(EAGAIN);
    }
    errno = saved;
}

/* At exit: a last chance for what is pending, bounded to 200 ms. */
static void flush_at_exit(void)
{
    if (lk.events_fd < 0 || lk.pid != (int32_t)getpid())
        return;
    for (int tries = 0; pending_n > 0 && tries < 200; tries++) {
        flush_pending();
        if (pending_n > 0) {
            struct timespec ms = {0, 1000000};
            nanosleep(&ms, NULL);
        }
    }
}

/* ======================================================= socket details */

static void endpoint(char *out, size_t n, const union lk_sockaddr *a, bool want_port)
{
    out[0] = '\0';
    if (a->sa.sa_family != AF_INET && a->sa.sa_family != AF_INET6)
        return;
    in_port_t port = a->sa.sa_family == AF_INET ? a->in.sin_port : a->in6.sin6_port;
    if (want_port && port == 0)
        return; /* not bound yet */
    char buf[64];
    snprintf(out, n, "%s", lk_addr_str(a, buf));
}

/* The last addresses seen on each descriptor. A TCP socket that reached
 * CLOSED (after a reset, or when its connection moved on to TIME_WAIT) no
 * longer has a peer for getpeername(), but the connection is still the one
 * these addresses name. */
#define FD_CACHE 256
static struct {
    bool have;
    union lk_sockaddr end[2]; /* local, remote */
} fd_cache[FD_CACHE];

void lk_forget_fd(int fd)
{
    if (fd >= 0 && fd < FD_CACHE)
        fd_cache[fd].have = false;
}

static bool has_port(const union lk_sockaddr *a)
{
    return (a->sa.sa_family == AF_INET && a->in.sin_port != 0) ||
           (a->sa.sa_family == AF_INET6 && a->in6.sin6_port != 0);
}

bool lk_fd_ends(int fd, union lk_sockaddr ends[2])
{
    memset(ends, 0, 2 * sizeof ends[0]);
    socklen_t len = sizeof ends[0];
    if (getsockname(fd, &ends[0].sa, &len) < 0 || !has_port(&ends[0]))
        memset(&ends[0], 0, sizeof ends[0]);
    len = sizeof ends[1];
    if (getpeername(fd, &ends[1].sa, &len) < 0)
        memset(&ends[1], 0, sizeof ends[1]);
    if (fd < 0 || fd >= FD_CACHE)
        return ends[1].sa.sa_family != 0;
    if (ends[1].sa.sa_family) {
        fd_cache[fd].have = true;
        fd_cache[fd].end[0] = ends[0];
        fd_cache[fd].end[1] = ends[1];
        return true;
    }
    if (fd_cache[fd].have) {
        ends[0] = fd_cache[fd].end[0];
        ends[1] = fd_cache[fd].end[1];
        return false; /* from the cache: the socket itself has no peer now */
    }
    return false;
}

void lk_describe_fd(struct sk_labevent *e, int fd)
{
    int type = 0;
    socklen_t len = sizeof type;
    if (fd < 0 || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
        return;
    snprintf(e->proto, sizeof e->proto, "%s",
             type == SOCK_STREAM ? "tcp" : type == SOCK_DGRAM ? "udp" : "");
    union lk_sockaddr ends[2];
    bool live = lk_fd_ends(fd, ends);
    endpoint(e->local, sizeof e->local, &ends[0], true);
    endpoint(e->remote, sizeof e->remote, &ends[1], false);
    if (type == SOCK_STREAM) {
        struct tcp_info ti;
        len = sizeof ti;
        memset(&ti, 0, sizeof ti);
        if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0)
            snprintf(e->state, sizeof e->state, "%s", sk_labev_kstate(ti.tcpi_state));
        /* CLOSED on the descriptor, but the connection may live on in the
         * kernel as TIME_WAIT: ask by its addresses. */
        if (!live && ends[1].sa.sa_family && strcmp(e->state, "CLOSED") == 0) {
            const char *st = lk_kstate_after_close(&ends[0], &ends[1]);
            if (*st)
                snprintf(e->state, sizeof e->state, "%s", st);
        }
    }
}

/* sock_diag (the interface of ss(8)): after close() the descriptor is gone,
 * but the kernel still has the connection (FIN_WAIT_1, LAST_ACK, TIME_WAIT
 * ...) and can find it by its 4-tuple. */
const char *lk_kstate_after_close(const union lk_sockaddr *local,
                                  const union lk_sockaddr *remote)
{
    int family = local->sa.sa_family;
    if (family != AF_INET && family != AF_INET6)
        return "";
    int nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (nl < 0)
        return "";
    struct {
        struct nlmsghdr nlh;
        struct inet_diag_req_v2 r;
    } req;
    memset(&req, 0, sizeof req);
    req.nlh.nlmsg_len = sizeof req;
    req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    req.nlh.nlmsg_flags = NLM_F_REQUEST;
    req.r.sdiag_family = (uint8_t)family;
    req.r.sdiag_protocol = IPPROTO_TCP;
    req.r.idiag_states = ~0u;
    req.r.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
    req.r.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
    if (family == AF_INET) {
        req.r.id.idiag_sport = local->in.sin_port;
        req.r.id.idiag_dport = remote->in.sin_port;
        memcpy(req.r.id.idiag_src, &local->in.sin_addr, 4);
        memcpy(req.r.id.idiag_dst, &remote->in.sin_addr, 4);
    } else {
        req.r.id.idiag_sport = local->in6.sin6_port;
        req.r.id.idiag_dport = remote->in6.sin6_port;
        memcpy(req.r.id.idiag_src, &local->in6.sin6_addr, 16);
        memcpy(req.r.id.idiag_dst, &remote->in6.sin6_addr, 16);
        req.r.id.idiag_if = local->in6.sin6_scope_id;
    }
    const char *state = "";
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    if (sendto(nl, &req, sizeof req, 0, (const struct sockaddr *)&kernel, sizeof kernel) ==
        (ssize_t)sizeof req) {
        union {
            struct nlmsghdr h;
            char bytes[4096];
        } reply;
        ssize_t n = recv(nl, &reply, sizeof reply, 0);
        if (n >= (ssize_t)sizeof(struct nlmsghdr) && NLMSG_OK(&reply.h, (size_t)n)) {
            if (reply.h.nlmsg_type == NLMSG_ERROR &&
                reply.h.nlmsg_len >= NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
                const struct nlmsgerr *ne = NLMSG_DATA(&reply.h);
                if (ne->error == -ENOENT)
                    state = "CLOSED"; /* the kernel has forgotten it */
            } else if (reply.h.nlmsg_type == SOCK_DIAG_BY_FAMILY &&
                       reply.h.nlmsg_len >= NLMSG_LENGTH(sizeof(struct inet_diag_msg))) {
                const struct inet_diag_msg *m = NLMSG_DATA(&reply.h);
                /* The lookup falls back to a listener on the same port when the
                 * connection is gone: that is not our connection. */
                if (m->id.idiag_dport == req.r.id.idiag_dport)
                    state = sk_labev_kstate(m->idiag_state);
                else
                    state = "CLOSED";
            }
        }
    }
    close(nl);
    return state;
}

/* ============================================================ step mode */

static void step_quit(void)
{
    lk_say("step", _("quit: the lab stops here."));
    lk_exit(LK_EXIT_OK);
}

/* Waits for a "go" (or "quit") datagram on the control socket. */
static void wait_control(void)
{
    for (;;) {
        char buf[64];
        ssize_t n = recv(lk.control_fd, buf, sizeof buf - 1, 0);
        if (n < 0) {
            if (errno == EINTR && !lk.stop)
                continue;
            if (lk.stop)
                lk_exit(LK_EXIT_OK);
            lk_error_line(_("control socket %s: %s."), lk.control_path, strerror(errno));
            lk_exit(LK_EXIT_SYS);
        }
        buf[n] = '\0';
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
            buf[--n] = '\0';
        if (strcmp(buf, "go") == 0)
            return;
        if (strcmp(buf, "quit") == 0)
            step_quit();
        lk_note(_("control: ignored \"%s\" (expected go or quit)."), buf);
    }
}

/* Waits for Enter on the terminal (q Enter quits; end of input runs on). */
static void wait_terminal(void)
{
    if (!lk.tty) {
        lk.tty = fopen("/dev/tty", "r");
        if (!lk.tty)
            lk.tty = stdin;
    }
    char line[64];
    for (;;) {
        if (fgets(line, sizeof line, lk.tty))
            break;
        if (lk.stop)
            lk_exit(LK_EXIT_OK);
        if (ferror(lk.tty) && errno == EINTR) {
            clearerr(lk.tty);
            continue;
        }
        fprintf(lk.out, "\n");
        lk_say("step", _("end of input: running on without pauses."));
        lk.step = false;
        return;
    }
    if (!isatty(fileno(lk.tty)))
        fprintf(lk.out, "\n"); /* the Enter was not echoed */
    if (line[0] == 'q')
        step_quit();
}

void lk_step(const char *call, const char *note)
{
    if (!lk.step)
        return;
    struct sk_labevent e = {.kind = SK_LABEV_STEP, .fd = -1};
    snprintf(e.call, sizeof e.call, "%s", call);
    snprintf(e.note, sizeof e.note, "%s", note);
    e.t0_ns = e.t1_ns = lk_now_ns();
    lk_send(&e);
    /* Said even with --quiet: the user must know what we wait for. */
    if (lk.control_fd >= 0) {
        fprintf(lk.out, "[step] %s\n", note);
        fflush(lk.out);
        wait_control();
    } else {
        fprintf(lk.out, "[step] %s %s ", note, _("[Enter: go on, q Enter: quit]"));
        fflush(lk.out);
        wait_terminal();
    }
}

void lk_info(const char *what, const char *fmt, ...)
{
    struct sk_labevent e = {.kind = SK_LABEV_INFO, .fd = -1};
    snprintf(e.call, sizeof e.call, "%s", what);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.note, sizeof e.note, fmt, ap);
    va_end(ap);
    e.t0_ns = e.t1_ns = lk_now_ns();
    lk_send(&e);
}
