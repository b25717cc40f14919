/* lab-udp-send.c — the course notes' UDP sender (Node's dgram
 * socket.send(buf, offset, length, port, address, callback)) with blocking
 * calls: socket, then sendto, --count times.
 *
 * Read main() from the top: every socket call happens there, in the order it
 * happens. The capitalised calls are the system calls themselves, wrapped to
 * explain failures and report events (labs/labkit.h).
 */
#include <errno.h>
#include <string.h>
#include <sys/time.h>

#include "labkit.h"

/* The knobs (see --help); options are parsed at the bottom of this file. */
static struct {
    bool v4, v6;          /* -4 / -6: udp4 or udp6 */
    const char *host;     /* --host: the receiver's numeric address */
    long port;            /* --port */
    const char *message;  /* MESSAGE (HelloWorld!!!) */
    long offset;          /* --offset: first byte of MESSAGE to send */
    long length;          /* --length: how many bytes (-1: up to the end) */
    long count;           /* --count N: send N datagrams */
    long interval;        /* --interval MS: between two datagrams */
    bool connect;         /* --connect: connect() first, then send without address */
    long wait;            /* --wait MS: then wait for answers, up to MS each */
    int encoding;         /* --encoding: how answers are shown */
} o = {.port = 6666, .message = "HelloWorld!!!", .length = -1, .count = 1};

static void parse_options(int argc, char **argv);

int main(int argc, char **argv)
{
    lk_init("lab-udp-send", argc, argv);
    parse_options(argc, argv);
    struct lk_addr to;
    lk_addr(&to, o.host, o.port, lk_family(o.v4, o.v6));

    /* send(buf, offset, length): the bytes buf[offset .. offset+length) */
    const char *data = o.message + o.offset;
    size_t len = (size_t)o.length;
    char shown[600], text[64];
    static char buf[65536];

    /* dgram.createSocket('udp4' | 'udp6') */
    int fd = Socket(to.family, SOCK_DGRAM, 0);
    if (o.connect) {
        /* socket.connect(port, address): nothing is sent. The socket now
         * talks to this peer only, and an ICMP "port unreachable" about it
         * comes back to us as ECONNREFUSED on our next call. An unconnected
         * socket never hears of it. */
        Connect(fd, &to.u.sa, to.len);
        lk_say("connect", _("%s  connect(): nothing was sent; the peer is fixed"),
               lk_addr_str(&to.u, text));
    }
    if (o.wait) {
        /* recvfrom() would wait forever for an answer that may never come. */
        struct timeval tv = {.tv_sec = o.wait / 1000, .tv_usec = (o.wait % 1000) * 1000};
        Setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }

    for (long i = 0; i < o.count; i++) {
        if (i > 0)
            lk_sleep_ms(o.interval);
        /* socket.send(...): one call, one datagram. A connected socket must
         * not name the address again (NULL). */
        ssize_t n = Sendto(fd, data, len, 0, o.connect ? NULL : &to.u.sa,
                           o.connect ? 0 : to.len);
        if (n < 0)
            lk_exit(lk_error_status()); /* explained on stderr: callback(err) */
        lk_say("send",
               P_("sendto() → %zd byte to %s: callback(null, %zd): %s",
                  "sendto() → %zd bytes to %s: callback(null, %zd): %s", n),
               n,
               lk_addr_str(&to.u, text), n, lk_show(data, len, LK_UTF8, shown, sizeof shown));
    }

    for (long i = 0; o.wait && i < o.count; i++) {
        /* One answer per datagram sent, at most; each within --wait. */
        union lk_sockaddr from;
        socklen_t flen = sizeof from;
        ssize_t n = Recvfrom(fd, buf, sizeof buf, 0, &from.sa, &flen);
        if (n < 0 && errno == EAGAIN) {
            lk_say("timeout", _("no answer within %ld ms: recvfrom() gave up (SO_RCVTIMEO)"),
                   o.wait);
            break;
        }
        if (n < 0)
            lk_exit(lk_error_status());
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
    }

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
        {"host", LK_TEXT, &o.host, 0, 0, "ADDR", N_("receiver address (127.0.0.1)"), NULL},
        {"port", LK_INT, &o.port, 1, 65535, "N", N_("receiver port (6666)"), NULL},
        {"offset", LK_INT, &o.offset, 0, 65535, "N", N_("first byte of MESSAGE to send (0)"),
         NULL},
        {"length", LK_INT, &o.length, 0, 65535, "N",
         N_("bytes to send from there (up to the end)"), NULL},
        {"count", LK_INT, &o.count, 1, 1000000, "N", N_("datagrams to send (1)"), NULL},
        {"interval", LK_INT, &o.interval, 0, 3600000, "MS", N_("wait between datagrams (0)"),
         NULL},
        {"connect", LK_FLAG, &o.connect, 0, 0, NULL,
         N_("connect() first: ICMP errors come back as ECONNREFUSED"), NULL},
        {"wait", LK_INT, &o.wait, 0, 3600000, "MS",
         N_("then wait up to MS for each answer (0: don't)"), NULL},
        {"encoding", LK_CHOICE, &o.encoding, 0, 0, NULL, N_("how to show answers"),
         lk_encodings},
        {NULL, LK_FLAG, NULL, 0, 0, NULL, NULL, NULL}};
    static const struct lk_usage usage = {
        "[MESSAGE]", N_("A UDP sender: sends MESSAGE (HelloWorld!!!) as datagrams."),
        N_("dgram.createSocket('udp4'|'udp6'), socket.send(buf, offset, length, port, "
           "address, callback(err, bytes))"),
        true, NULL};
    int first = lk_options(argc, argv, opts, &usage);
    if (argc - first > 1)
        lk_usage_error(_("one MESSAGE only (quote it if it has spaces): %s."), argv[first + 1]);
    if (first < argc)
        o.message = argv[first];
    /* Node checks these too (ERR_OUT_OF_RANGE) before anything is sent. */
    long size = (long)strlen(o.message);
    if (o.offset > size)
        lk_usage_error(_("--offset %ld: out of range; MESSAGE has %ld bytes (0 to %ld)."),
                       o.offset, size, size);
    if (o.length < 0)
        o.length = size - o.offset;
    if (o.offset + o.length > size)
        lk_usage_error(_("--length %ld: out of range; from offset %ld, MESSAGE has %ld more "
                         "bytes."),
                       o.length, o.offset, size - o.offset);
}
