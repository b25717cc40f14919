/* lab-tcp-client.c — the course notes' TCP client (Node's net.connect) with
 * blocking calls: socket, connect, write "HelloWorld!!!", read the answer,
 * close.
 *
 * Read main() from the top: every socket call happens there, in the order it
 * happens. The capitalised calls (Socket, Connect ...) are the system calls
 * themselves, wrapped to explain failures and report events (labs/labkit.h).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labkit.h"

/* Without --shutdown, the client reads the first answer, then whatever else
 * arrives within this many milliseconds, and closes. */
#define MORE_ANSWERS_MS 100

/* The knobs (see --help); options are parsed at the bottom of this file. */
static struct {
    bool v4, v6;          /* -4 / -6 */
    const char *host;     /* --host: the server's numeric address */
    long port;            /* --port */
    const char *message;  /* --message: what to write */
    bool from_stdin;      /* --stdin: write standard input instead */
    long repeat;          /* --repeat N: write the message N times */
    long interval;        /* --interval MS: between two writes */
    int encoding;         /* --encoding: how received bytes are shown */
    bool shutdown;        /* --shutdown: half-close, then read until the server's FIN */
    bool linger0;         /* --linger0: close with RST */
    long close_delay;     /* --close-delay MS: wait before close() */
    bool nodelay;         /* --nodelay: TCP_NODELAY */
    long rcvbuf;          /* --rcvbuf BYTES: SO_RCVBUF */
    long read_delay;      /* --read-delay MS: wait before each read() */
    bool raw;             /* --raw: received bytes to stdout as they are */
} o = {.port = 6666, .message = "HelloWorld!!!", .repeat = 1};

static void parse_options(int argc, char **argv);

int main(int argc, char **argv)
{
    lk_init("lab-tcp-client", argc, argv);
    parse_options(argc, argv);
    struct lk_addr server;
    lk_addr(&server, o.host, o.port, lk_family(o.v4, o.v6));

    /* Writing to a connection the peer has reset raises SIGPIPE, which kills
     * a program by default. Ignored, write() fails with EPIPE instead, and we
     * can say what happened. */
    signal(SIGPIPE, SIG_IGN);

    size_t len = strlen(o.message);
    char *input = NULL;
    if (o.from_stdin) {
        input = lk_slurp_stdin(&len);
        o.message = input;
    }
    if (o.raw)
        lk_lines_to_stderr(); /* stdout is for the received bytes */

    char buf[4096], shown[600], here[64], there[64];

    /* net.connect({port, host}) */
    int fd = Socket(server.family, SOCK_STREAM, 0);
    if (o.rcvbuf) {
        /* Before connect(): the window scale is agreed in the SYN. */
        int size = (int)o.rcvbuf;
        Setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    }
    if (o.nodelay) {
        /* Nagle's algorithm holds small writes back while earlier data is
         * not yet ACKed; TCP_NODELAY sends each write at once. */
        int on = 1;
        Setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    Connect(fd, &server.u.sa, server.len);
    union lk_sockaddr me;
    socklen_t melen = sizeof me;
    getsockname(fd, &me.sa, &melen); /* the port the kernel picked for us */
    lk_say("connect", _("%s → %s  socket() → connect(): SYN, SYN-ACK, ACK"),
           lk_addr_str(&me, here), lk_addr_str(&server.u, there));

    /* client.write(message, 'utf8'), --repeat times */
    for (long i = 0; i < o.repeat; i++) {
        if (i > 0)
            lk_sleep_ms(o.interval);
        if (Writen(fd, o.message, len) < 0)
            lk_exit(lk_error_status()); /* explained on stderr */
        lk_say("write", P_("write() → %zu byte: %s", "write() → %zu bytes: %s", len), len,
               lk_show(o.message, len, LK_UTF8, shown, sizeof shown));
    }

    if (o.shutdown) {
        /* client.end(): FIN for our direction only. The server can still
         * send, and we still read, until its own FIN. */
        if (Shutdown(fd, SHUT_WR) < 0)
            lk_exit(lk_error_status());
        lk_say("end()", _("shutdown(SHUT_WR): our FIN is sent; we read on until the "
                          "server's FIN"));
    }

    /* The answers: Node's 'data' events, then 'end' on the server's FIN. */
    size_t got = 0;
    for (;;) {
        if (!o.shutdown && got > 0 && !lk_readable(fd, MORE_ANSWERS_MS))
            break; /* the answer is in and nothing more came */
        if (o.read_delay) {
            /* A slow reader: unread bytes fill the receive buffer, and the
             * window we advertise shrinks, down to zero. */
            lk_sleep_ms(o.read_delay);
        }
        ssize_t n = Read(fd, buf, sizeof buf);
        if (n < 0)
            lk_exit(lk_error_status()); /* explained on stderr (Node: 'error') */
        if (n == 0) {
            /* The server sent FIN: it will send nothing more. */
            lk_say("end", _("peer sent FIN: read() returned 0"));
            break;
        }
        got += (size_t)n;
        if (o.raw)
            fwrite(buf, 1, (size_t)n, stdout);
        lk_say("data", P_("read() → %zd byte (%s): %s", "read() → %zd bytes (%s): %s", n), n,
               lk_encodings[o.encoding],
               lk_show(buf, (size_t)n, o.encoding, shown, sizeof shown));
    }

    if (o.close_delay) {
        /* Until we close, the server sees our side still open (after its
         * FIN we sit in CLOSE_WAIT). */
        lk_say("pause", _("waiting %ld ms before close()"), o.close_delay);
        lk_sleep_ms(o.close_delay);
    }
    if (o.linger0) {
        /* SO_LINGER {on, 0 s}: close() discards what is unsent and sends RST;
         * the server's next read() fails with ECONNRESET. */
        struct linger lg = {.l_onoff = 1, .l_linger = 0};
        Setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    }
    Close(fd);
    if (o.linger0)
        lk_say("close", _("close(fd %d): RST sent (abortive close)"), fd);
    else if (o.shutdown)
        lk_say("close", _("close(fd %d): our FIN was already sent"), fd);
    else
        lk_say("close", _("close(fd %d): FIN sent"), fd);
    if (o.raw)
        fflush(stdout);
    free(input);
    lk_exit(LK_EXIT_OK);
}

/* ---------------------------------------------------------- the options */

static void parse_options(int argc, char **argv)
{
    static const struct lk_opt opts[] = {
        {"4", LK_FLAG, &o.v4, 0, 0, NULL, N_("IPv4 only"), NULL},
        {"6", LK_FLAG, &o.v6, 0, 0, NULL, N_("IPv6 only (default host ::1)"), NULL},
        {"host", LK_TEXT, &o.host, 0, 0, "ADDR", N_("server address (127.0.0.1)"), NULL},
        {"port", LK_INT, &o.port, 1, 65535, "N", N_("server port (6666)"), NULL},
        {"message", LK_TEXT, &o.message, 0, 0, "TEXT", N_("what to write (HelloWorld!!!)"),
         NULL},
        {"stdin", LK_FLAG, &o.from_stdin, 0, 0, NULL,
         N_("write standard input instead of --message"), NULL},
        {"repeat", LK_INT, &o.repeat, 1, 1000000, "N", N_("write the message N times (1)"),
         NULL},
        {"interval", LK_INT, &o.interval, 0, 3600000, "MS", N_("wait between writes (0)"),
         NULL},
        {"encoding", LK_CHOICE, &o.encoding, 0, 0, NULL,
         N_("how to show received bytes (setEncoding)"), lk_encodings},
        {"shutdown", LK_FLAG, &o.shutdown, 0, 0, NULL,
         N_("half-close: shutdown(SHUT_WR), then read until EOF"), NULL},
        {"linger0", LK_FLAG, &o.linger0, 0, 0, NULL,
         N_("close with RST (SO_LINGER {1, 0})"), NULL},
        {"close-delay", LK_INT, &o.close_delay, 0, 3600000, "MS", N_("wait before close()"),
         NULL},
        {"nodelay", LK_FLAG, &o.nodelay, 0, 0, NULL, N_("set TCP_NODELAY (no Nagle)"), NULL},
        {"rcvbuf", LK_INT, &o.rcvbuf, 1, 1 << 30, "BYTES",
         N_("set SO_RCVBUF: a small receive window"), NULL},
        {"read-delay", LK_INT, &o.read_delay, 0, 3600000, "MS",
         N_("wait before each read(): a slow reader"), NULL},
        {"raw", LK_FLAG, &o.raw, 0, 0, NULL,
         N_("received bytes to stdout as they are, event lines to stderr"), NULL},
        {NULL, LK_FLAG, NULL, 0, 0, NULL, NULL, NULL}};
    static const struct lk_usage usage = {
        "", N_("A TCP client: connects, writes a message, prints the answer, closes."),
        N_("net.connect({port, host}), socket.write(data, 'utf8'), socket.end(); events "
           "connect, data, end, close, error"),
        true, NULL};
    int first = lk_options(argc, argv, opts, &usage);
    if (first < argc)
        lk_usage_error(_("unexpected argument %s (the message goes with --message)."),
                       argv[first]);
}
