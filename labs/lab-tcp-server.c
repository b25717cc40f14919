/* lab-tcp-server.c — the course notes' TCP server (Node's net.createServer)
 * with blocking calls: socket, bind, listen, then accept one client after
 * another, answering each chunk it reads with "goodbye!!!".
 *
 * Read main() from the top: every socket call happens there, or in
 * on_connection() (Node's connection listener), in the order it happens.
 * The capitalised calls (Socket, Bind ...) are the system calls themselves,
 * wrapped to explain failures and report events (labs/labkit.h).
 */
#include <signal.h>
#include <string.h>

#include "labkit.h"

/* The knobs (see --help); options are parsed at the bottom of this file. */
static struct {
    bool v4, v6;          /* -4 / -6 */
    const char *host;     /* --host: numeric address to listen on */
    long port;            /* --port */
    long backlog;         /* --backlog: finished handshakes waiting for accept() */
    bool reuseaddr;       /* --reuseaddr: SO_REUSEADDR before bind() */
    int encoding;         /* --encoding: how received bytes are shown */
    const char *reply;    /* --reply: the answer to each chunk */
    bool echo;            /* --echo: answer with the bytes received instead */
    bool end_after_reply; /* --end-after-reply: shutdown(SHUT_WR) after the first answer */
    bool half_open;       /* --half-open: after the peer's FIN, still write */
    bool linger0;         /* --linger0: close with RST */
    long close_delay;     /* --close-delay MS: wait before close() */
    long accept_delay;    /* --accept-delay MS: wait before each accept() */
    bool nodelay;         /* --nodelay: TCP_NODELAY on each connection */
    long rcvbuf;          /* --rcvbuf BYTES: SO_RCVBUF (0: the kernel's default) */
    long read_delay;      /* --read-delay MS: wait before each read() */
    bool fork;            /* --fork: one child process per client */
    long max_clients;     /* --max-clients N: exit after N clients (0: never) */
} o = {.port = 6666, .backlog = 5, .reply = "goodbye!!!"};

static void parse_options(int argc, char **argv);
static void on_connection(int fd);

int main(int argc, char **argv)
{
    lk_init("lab-tcp-server", argc, argv);
    parse_options(argc, argv);
    struct lk_addr addr;
    lk_addr(&addr, o.host, o.port, lk_family(o.v4, o.v6));

    /* Writing to a connection the peer has reset raises SIGPIPE, which kills
     * a program by default. Ignored, write() fails with EPIPE instead, and we
     * can say what happened and go on with the next client. */
    signal(SIGPIPE, SIG_IGN);
    /* Ctrl-C / SIGTERM: finish the current client, close, exit 0. */
    lk_stop_on_signals();
    if (o.fork)
        lk_reap_children(); /* a child that exits stays a zombie until waited for */

    /* net.createServer() + server.listen({port, host, backlog}) */
    int listenfd = Socket(addr.family, SOCK_STREAM, 0);
    if (o.reuseaddr) {
        /* Without it, bind() fails with EADDRINUSE while an old connection on
         * this port is in TIME_WAIT (60 s after a close we started). Node
         * (libuv) always turns it on; here you choose. */
        int on = 1;
        Setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    }
    if (o.rcvbuf) {
        /* Set on the listening socket, before listen(): accepted sockets
         * inherit it, and the window scale is agreed in the handshake. */
        int size = (int)o.rcvbuf;
        Setsockopt(listenfd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    }
    Bind(listenfd, &addr.u.sa, addr.len);
    Listen(listenfd, (int)o.backlog);
    char where[64];
    lk_say("listening", _("%s  socket() → %sbind() → listen(backlog %ld)"),
           lk_addr_str(&addr.u, where), o.reuseaddr ? "setsockopt(SO_REUSEADDR) → " : "",
           o.backlog);

    long served = 0;
    while (!lk_stopping() && (o.max_clients == 0 || served < o.max_clients)) {
        if (o.accept_delay) {
            /* Meanwhile the kernel still completes handshakes on its own and
             * queues them: up to the backlog; after that new SYNs are dropped. */
            lk_say("pause", _("waiting %ld ms before accept(): new connections wait in the "
                              "backlog (%ld)"),
                   o.accept_delay, o.backlog);
            lk_sleep_ms(o.accept_delay);
        }
        union lk_sockaddr peer;
        socklen_t len = sizeof peer;
        int connfd = Accept(listenfd, &peer.sa, &len);
        if (connfd < 0)
            break; /* asked to stop */
        served++;
        lk_say("connection", _("%s  accept() → fd %d"), lk_addr_str(&peer, where), connfd);

        if (!o.fork) {
            on_connection(connfd); /* one client after another, like the notes */
            continue;
        }
        if (Fork() == 0) {
            /* The child: serves this client only. */
            Close(listenfd);
            on_connection(connfd);
            lk_exit(LK_EXIT_OK);
        }
        /* The parent: the child has its own copy of connfd. Closing ours
         * sends nothing; the connection ends when the child closes it. */
        Close(connfd);
    }

    if (lk_stopping())
        lk_say("stop", _("Ctrl-C or SIGTERM: closing the sockets and exiting"));
    if (o.fork)
        lk_wait_children();
    Close(listenfd);
    lk_say("close", _("server closed: close(fd %d), the port no longer accepts"), listenfd);
    lk_exit(LK_EXIT_OK);
}

/* Node's connection listener: one client, from its first byte to close. */
static void on_connection(int fd)
{
    char buf[4096];
    char shown[600];
    bool peer_fin = false; /* read() returned 0: the peer's FIN arrived ('end') */
    bool our_fin = false;  /* we sent ours with shutdown() (socket.end()) */
    bool broken = false;   /* reset or write failed: nothing more to say */

    if (o.nodelay) {
        /* Nagle's algorithm holds small writes back while earlier data is
         * not yet ACKed; TCP_NODELAY sends each write at once. */
        int on = 1;
        Setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }

    for (;;) {
        if (o.read_delay) {
            /* A slow reader: unread bytes fill the receive buffer, and the
             * window we advertise shrinks, down to zero. */
            lk_sleep_ms(o.read_delay);
        }
        ssize_t n = Read(fd, buf, sizeof buf);
        if (n < 0) {
            /* Reset: explained on stderr (Node: 'error', then 'close').
             * Or Ctrl-C / SIGTERM interrupted the read: we close normally. */
            broken = !lk_stopping();
            break;
        }
        if (n == 0) {
            /* The peer sent FIN: it will send nothing more. */
            peer_fin = true;
            lk_say("end", _("peer sent FIN: read() returned 0"));
            break;
        }
        lk_say("data", P_("read() → %zd byte (%s): %s", "read() → %zd bytes (%s): %s", n), n,
               lk_encodings[o.encoding],
               lk_show(buf, (size_t)n, o.encoding, shown, sizeof shown));
        if (our_fin)
            continue; /* after end() we may only read */

        /* socket.write(reply) — or the same bytes back with --echo */
        const char *answer = o.echo ? buf : o.reply;
        size_t alen = o.echo ? (size_t)n : strlen(o.reply);
        if (Writen(fd, answer, alen) < 0) {
            broken = !lk_stopping();
            break;
        }
        lk_say("write", P_("write() → %zu byte: %s", "write() → %zu bytes: %s", alen), alen,
               lk_show(answer, alen, LK_UTF8, shown, sizeof shown));

        if (o.end_after_reply) {
            /* socket.end(): FIN for our direction only; we still read. */
            if (Shutdown(fd, SHUT_WR) < 0) {
                broken = !lk_stopping();
                break;
            }
            our_fin = true;
            lk_say("end()", _("shutdown(SHUT_WR): our FIN is sent; we read on until the "
                              "peer's FIN"));
        }
    }

    if (peer_fin && o.half_open && !our_fin) {
        /* allowHalfOpen: the peer's FIN closed only its direction. Ours is
         * still open, and what we write now still reaches the peer. */
        size_t rlen = strlen(o.reply);
        if (Writen(fd, o.reply, rlen) < 0)
            broken = !lk_stopping();
        else
            lk_say("write",
                   P_("write() after the peer's FIN → %zu byte: %s (half-open)",
                      "write() after the peer's FIN → %zu bytes: %s (half-open)", rlen),
                   rlen, lk_show(o.reply, rlen, LK_UTF8, shown, sizeof shown));
    }
    if (o.close_delay && !broken) {
        /* Until we close, the connection stays half closed: CLOSE_WAIT here
         * after the peer's FIN, FIN_WAIT_2 on the peer's side. */
        lk_say("pause", _("waiting %ld ms before close()"), o.close_delay);
        lk_sleep_ms(o.close_delay);
    }
    if (o.linger0 && !broken) {
        /* SO_LINGER {on, 0 s}: close() discards what is unsent and sends RST. */
        struct linger lg = {.l_onoff = 1, .l_linger = 0};
        Setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    Close(fd);
    if (broken)
        lk_say("close", _("close(fd %d): the connection was already broken"), fd);
    else if (o.linger0)
        lk_say("close", _("close(fd %d): RST sent (abortive close)"), fd);
    else if (our_fin)
        lk_say("close", _("close(fd %d): our FIN was already sent"), fd);
    else
        lk_say("close", _("close(fd %d): FIN sent"), fd);
}

/* ---------------------------------------------------------- the options */

static void parse_options(int argc, char **argv)
{
    static const struct lk_opt opts[] = {
        {"4", LK_FLAG, &o.v4, 0, 0, NULL, N_("IPv4 only"), NULL},
        {"6", LK_FLAG, &o.v6, 0, 0, NULL, N_("IPv6 only (default host ::1)"), NULL},
        {"host", LK_TEXT, &o.host, 0, 0, "ADDR", N_("address to listen on (127.0.0.1)"), NULL},
        {"port", LK_INT, &o.port, 1, 65535, "N", N_("port to listen on (6666)"), NULL},
        {"backlog", LK_INT, &o.backlog, 0, 65535, "N",
         N_("handshakes that may wait for accept() (5)"), NULL},
        {"reuseaddr", LK_FLAG, &o.reuseaddr, 0, 0, NULL,
         N_("set SO_REUSEADDR: restart while old connections are in TIME_WAIT"), NULL},
        {"encoding", LK_CHOICE, &o.encoding, 0, 0, NULL,
         N_("how to show received bytes (setEncoding)"), lk_encodings},
        {"reply", LK_TEXT, &o.reply, 0, 0, "TEXT", N_("answer to each chunk (goodbye!!!)"),
         NULL},
        {"echo", LK_FLAG, &o.echo, 0, 0, NULL, N_("answer with the bytes received"), NULL},
        {"end-after-reply", LK_FLAG, &o.end_after_reply, 0, 0, NULL,
         N_("shutdown(SHUT_WR) after the first answer (socket.end)"), NULL},
        {"half-open", LK_FLAG, &o.half_open, 0, 0, NULL,
         N_("after the peer's FIN, write once more, then close (allowHalfOpen)"), NULL},
        {"linger0", LK_FLAG, &o.linger0, 0, 0, NULL,
         N_("close with RST (SO_LINGER {1, 0})"), NULL},
        {"close-delay", LK_INT, &o.close_delay, 0, 3600000, "MS",
         N_("wait before close(): CLOSE_WAIT is visible"), NULL},
        {"accept-delay", LK_INT, &o.accept_delay, 0, 3600000, "MS",
         N_("wait before each accept(): the backlog fills"), NULL},
        {"nodelay", LK_FLAG, &o.nodelay, 0, 0, NULL, N_("set TCP_NODELAY (no Nagle)"), NULL},
        {"rcvbuf", LK_INT, &o.rcvbuf, 1, 1 << 30, "BYTES",
         N_("set SO_RCVBUF: a small receive window"), NULL},
        {"read-delay", LK_INT, &o.read_delay, 0, 3600000, "MS",
         N_("wait before each read(): a slow reader"), NULL},
        {"fork", LK_FLAG, &o.fork, 0, 0, NULL, N_("serve clients at once, one child each"),
         NULL},
        {"max-clients", LK_INT, &o.max_clients, 0, 1000000000, "N",
         N_("exit after N clients (0: never)"), NULL},
        {NULL, LK_FLAG, NULL, 0, 0, NULL, NULL, NULL}};
    static const struct lk_usage usage = {
        "", N_("A TCP server: answers each chunk it reads, one client after another."),
        N_("net.createServer(), server.listen({port, host, backlog}); events listening, "
           "connection, data, end, close, error"),
        true, NULL};
    int first = lk_options(argc, argv, opts, &usage);
    if (first < argc)
        lk_usage_error(_("unexpected argument %s."), argv[first]);
    if (o.fork && lk_step_mode())
        lk_usage_error(_("--step cannot be used with --fork (one terminal cannot drive "
                         "several processes)."));
    if (o.echo && o.reply != NULL && strcmp(o.reply, "goodbye!!!") != 0)
        lk_usage_error(_("--echo and --reply cannot be used together."));
}
