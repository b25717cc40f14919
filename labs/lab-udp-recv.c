/* lab-udp-recv.c — the course notes' UDP receiver (Node's dgram socket with
 * bind() and a 'message' listener) with blocking calls: socket, bind, then
 * recvfrom one datagram after another, answering with sendto if asked.
 *
 * Read main() from the top: every socket call happens there, in the order it
 * happens. The capitalised calls are the system calls themselves, wrapped to
 * explain failures and report events (labs/labkit.h).
 */
#include <string.h>

#include "labkit.h"

/* The knobs (see --help); options are parsed at the bottom of this file. */
static struct {
    bool v4, v6;          /* -4 / -6: udp4 or udp6 */
    const char *host;     /* --host: numeric address to bind */
    long port;            /* --port */
    const char *reply;    /* --reply TEXT: answer each datagram (NULL: don't) */
    int encoding;         /* --encoding: how received bytes are shown */
    long count;           /* --count N: exit after N datagrams (0: never) */
    long rcvbuf;          /* --rcvbuf BYTES: SO_RCVBUF */
    long read_delay;      /* --read-delay MS: wait before each recvfrom() */
} o = {.port = 6666};

static void parse_options(int argc, char **argv);

int main(int argc, char **argv)
{
    lk_init("lab-udp-recv", argc, argv);
    parse_options(argc, argv);
    struct lk_addr addr;
    lk_addr(&addr, o.host, o.port, lk_family(o.v4, o.v6));
    lk_stop_on_signals(); /* Ctrl-C / SIGTERM: close and exit 0 */

    /* One datagram is at most 65535 bytes (IP's length field): a buffer this
     * big never cuts one short (a shorter one would, silently). */
    static char buf[65536];
    char shown[600], from_text[64];

    /* dgram.createSocket('udp4' | 'udp6') + socket.bind(port, address) */
    int fd = Socket(addr.family, SOCK_DGRAM, 0);
    if (o.rcvbuf) {
        /* Datagrams that do not fit in the receive buffer are dropped. */
        int size = (int)o.rcvbuf;
        Setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    }
    Bind(fd, &addr.u.sa, addr.len);
    lk_say("listening", _("%s  socket() → bind()"), lk_addr_str(&addr.u, from_text));

    for (long i = 0; !lk_stopping() && (o.count == 0 || i < o.count); i++) {
        if (o.read_delay)
            lk_sleep_ms(o.read_delay); /* a slow reader: the buffer fills, then drops */
        /* Each recvfrom() returns exactly one datagram, and who sent it:
         * UDP keeps message boundaries, TCP does not. */
        union lk_sockaddr from;
        socklen_t len = sizeof from;
        ssize_t n = Recvfrom(fd, buf, sizeof buf, 0, &from.sa, &len);
        if (n < 0) {
            if (lk_stopping())
                break;
            lk_exit(lk_error_status()); /* explained on stderr */
        }
        /* Node's 'message' event: (msg, rinfo) */
        char host[64];
        bool v6 = from.sa.sa_family == AF_INET6;
        lk_say("message",
               P_("recvfrom() → %zd byte, rinfo {address: '%s', family: '%s', port: %u, "
                  "size: %zd} (%s): %s",
                  "recvfrom() → %zd bytes, rinfo {address: '%s', family: '%s', port: %u, "
                  "size: %zd} (%s): %s",
                  n),
               n, lk_host_str(&from, host), v6 ? "IPv6" : "IPv4", lk_port(&from), n,
               lk_encodings[o.encoding],
               lk_show(buf, (size_t)n, o.encoding, shown, sizeof shown));

        if (o.reply) {
            /* socket.send(reply, rinfo.port, rinfo.address): to the sender */
            size_t rlen = strlen(o.reply);
            if (Sendto(fd, o.reply, rlen, 0, &from.sa, len) >= 0)
                lk_say("send",
                       P_("sendto() → %zu byte to %s: %s", "sendto() → %zu bytes to %s: %s",
                          rlen),
                       rlen, lk_addr_str(&from, from_text),
                       lk_show(o.reply, rlen, LK_UTF8, shown, sizeof shown));
        }
    }

    if (lk_stopping())
        lk_say("stop", _("Ctrl-C or SIGTERM: closing the socket and exiting"));
    /* socket.close() */
    Close(fd);
    lk_say("close", _("close(fd %d): nothing goes on the wire for UDP"), fd);
    lk_exit(LK_EXIT_OK);
}

/* ---------------------------------------------------------- the options */

static void parse_options(int argc, char **argv)
{
    static const struct lk_opt opts[] = {
        {"4", LK_FLAG, &o.v4, 0, 0, NULL, N_("IPv4 only (udp4)"), NULL},
        {"6", LK_FLAG, &o.v6, 0, 0, NULL, N_("IPv6 only (udp6, default host ::1)"), NULL},
        {"host", LK_TEXT, &o.host, 0, 0, "ADDR", N_("address to bind (127.0.0.1)"), NULL},
        {"port", LK_INT, &o.port, 1, 65535, "N", N_("port to bind (6666)"), NULL},
        {"reply", LK_TEXT, &o.reply, 0, 0, "TEXT", N_("answer each datagram with TEXT"),
         NULL},
        {"encoding", LK_CHOICE, &o.encoding, 0, 0, NULL, N_("how to show received bytes"),
         lk_encodings},
        {"count", LK_INT, &o.count, 0, 1000000000, "N",
         N_("exit after N datagrams (0: never)"), NULL},
        {"rcvbuf", LK_INT, &o.rcvbuf, 1, 1 << 30, "BYTES", N_("set SO_RCVBUF"), NULL},
        {"read-delay", LK_INT, &o.read_delay, 0, 3600000, "MS",
         N_("wait before each recvfrom(): a slow reader"), NULL},
        {NULL, LK_FLAG, NULL, 0, 0, NULL, NULL, NULL}};
    static const struct lk_usage usage = {
        "", N_("A UDP receiver: prints each datagram and who sent it, answers if asked."),
        N_("dgram.createSocket('udp4'|'udp6'), socket.bind(port, address); events listening, "
           "message(msg, rinfo), close, error"),
        true, NULL};
    int first = lk_options(argc, argv, opts, &usage);
    if (first < argc)
        lk_usage_error(_("unexpected argument %s."), argv[first]);
}
