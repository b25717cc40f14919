/* scenario.c — the table of classroom experiments (scenario.h). */
#include "scenario.h"

#include <string.h>

#include "i18n.h"
#include "tcp.h"

/* Plans: the server first (the runner waits until its port is bound), then the
 * client; a server started with --max-clients exits by itself, so WAIT ends
 * the plan without signals. */

/* Steps shared by several scenarios. */
#define STEP_HANDSHAKE(c, t) \
    {.kind = SK_CK_HANDSHAKE, .conv = (c), .id = "handshake", .text = (t)}
#define STEP_CLIENT_DATA \
    {.kind = SK_CK_DATA, .side = SK_CLIENT, .n = 1, .id = "client-data", \
     .text = N_("the client sends data")}
#define STEP_SERVER_DATA \
    {.kind = SK_CK_DATA, .side = SK_SERVER, .n = 1, .id = "server-data", \
     .text = N_("the server answers with data")}
#define STEP_CLIENT_FIRST_FIN \
    {.kind = SK_CK_FIRST_FIN, .side = SK_CLIENT, .id = "client-closes-first", \
     .text = N_("the client closes first: the first FIN is the client's")}
#define STEP_CLOSED \
    {.kind = SK_CK_CLOSED, .id = "graceful-close", \
     .text = N_("both FINs are sent and acknowledged, without RST")}
#define ANY_RET .ret = -2

#define HS_TEXT N_("the three-way handshake completes (SYN, SYN-ACK, ACK)")

static const struct sk_scenario scenarios[] = {
    {
        .name = "handshake", .order = 1, .proto = 6, .family = 4,
        .summary = N_("connect, data both ways, graceful close (the client closes first)"),
        .plan = {
            {SK_ACT_SERVER, SK_SERVER, 0, 0, "lab-tcp-server", "--port {port} --max-clients 1",
             N_("the server listens")},
            {SK_ACT_RUN, SK_CLIENT, 0, 0, "lab-tcp-client", "--port {port}",
             N_("the client connects, writes, reads the answer and closes")},
            {SK_ACT_WAIT, 0, 0, 0, NULL, NULL, NULL},
        },
        .steps = {
            STEP_HANDSHAKE(0, HS_TEXT),
            STEP_CLIENT_DATA,
            STEP_SERVER_DATA,
            STEP_CLIENT_FIRST_FIN,
            STEP_CLOSED,
        },
    },
    {
        .name = "half-close", .order = 2, .proto = 6, .family = 4,
        .summary = N_("the client shuts down its side; the server keeps sending, then closes"),
        .plan = {
            {SK_ACT_SERVER, SK_SERVER, 0, 0, "lab-tcp-server",
             "--port {port} --max-clients 1 --half-open",
             N_("the server listens; after the client's FIN it still writes (allowHalfOpen)")},
            {SK_ACT_RUN, SK_CLIENT, 0, 0, "lab-tcp-client", "--port {port} --shutdown",
             N_("the client writes, calls shutdown(SHUT_WR) and reads until the server's FIN")},
            {SK_ACT_WAIT, 0, 0, 0, NULL, NULL, NULL},
        },
        .steps = {
            STEP_HANDSHAKE(0, HS_TEXT),
            STEP_CLIENT_DATA,
            STEP_CLIENT_FIRST_FIN,
            {.kind = SK_CK_HALF_CLOSE, .side = SK_SERVER, .id = "server-sends-after-fin",
             .text = N_("after the client's FIN the server still sends data, and the client "
                        "acknowledges it (half-close)")},
            STEP_CLOSED,
            {.kind = SK_CK_CALL, .id = "client-reads-eof",
             .text = N_("the client's read() returns 0 (end of stream) once the server's FIN "
                        "arrives"),
             .call = {.prog = "lab-tcp-client", .call = "read", .err = "", .ret = 0}},
        },
    },
    {
        .name = "rst", .order = 3, .proto = 6, .family = 4,
        .summary = N_("abortive close: SO_LINGER {1, 0} makes close() send RST"),
        .plan = {
            {SK_ACT_SERVER, SK_SERVER, 0, 0, "lab-tcp-server", "--port {port} --max-clients 1",
             N_("the server listens")},
            {SK_ACT_RUN, SK_CLIENT, 0, 0, "lab-tcp-client", "--port {port} --linger0",
             N_("the client sets SO_LINGER {1, 0}: its close() sends RST")},
            {SK_ACT_WAIT, 0, 0, 0, NULL, NULL, NULL},
        },
        .steps = {
            STEP_HANDSHAKE(0, HS_TEXT),
            STEP_CLIENT_DATA,
            STEP_SERVER_DATA,
            {.kind = SK_CK_ABORT, .side = SK_CLIENT, .id = "client-resets",
             .text = N_("the client ends the connection with RST, not FIN")},
            {.kind = SK_CK_CALL, .id = "server-sees-reset",
             .text = N_("the server's read() fails with ECONNRESET"),
             .call = {.prog = "lab-tcp-server", .call = "read", .err = "ECONNRESET", ANY_RET}},
        },
    },
    {
        .name = "refused", .order = 4, .proto = 6, .family = 4,
        .summary = N_("connect() to a port nothing listens on: SYN answered by RST"),
        .plan = {
            {SK_ACT_RUN, SK_CLIENT, 1, 0, "lab-tcp-client", "--port {closed}",
             N_("the client connects to a port nobody listens on")},
        },
        .steps = {
            {.kind = SK_CK_REFUSED, .id = "refused",
             .text = N_("the client's SYN is answered by RST: nothing listens on that port")},
            {.kind = SK_CK_CALL, .id = "connect-fails",
             .text = N_("connect() fails with ECONNREFUSED"),
             .call = {.call = "connect", .err = "ECONNREFUSED", ANY_RET}},
        },
    },
    {
        .name = "time-wait", .order = 5, .proto = 6, .family = 4,
        .summary = N_("the side that closes first waits in TIME_WAIT; a restart needs "
                      "SO_REUSEADDR"),
        .plan = {
            {SK_ACT_SERVER, SK_SERVER, 0, 0, "lab-tcp-server",
             "--port {port} --max-clients 1 --reuseaddr --end-after-reply",
             N_("the server answers and closes first, so its side goes to TIME_WAIT")},
            {SK_ACT_RUN, SK_CLIENT, 0, 0, "lab-tcp-client", "--port {port}",
             N_("the client reads the answer and the server's FIN, then closes")},
            {SK_ACT_WAIT, 0, 0, 0, NULL, NULL, NULL},
            {SK_ACT_RUN, SK_SERVER, 3, 0, "lab-tcp-server", "--port {port} --max-clients 1",
             N_("restarted without SO_REUSEADDR, bind() fails: EADDRINUSE")},
            {SK_ACT_SERVER, SK_SERVER, 0, 0, "lab-tcp-server",
             "--port {port} --max-clients 1 --reuseaddr",
             N_("restarted with SO_REUSEADDR, the server binds the same port")},
            {SK_ACT_RUN, SK_CLIENT, 0, 0, "lab-tcp-client", "--port {port}",
             N_("a new client connects to the restarted server")},
            {SK_ACT_WAIT, 0, 0, 0, NULL, NULL, NULL},
        },
        .steps = {
            STEP_HANDSHAKE(0, HS_TEXT),
            {.kind = SK_CK_FIRST_FIN, .side = SK_SERVER, .id = "server-closes-first",
             .text = N_("the server closes first: the first FIN is the server's")},
            {.kind = SK_CK_TIME_WAIT, .side = SK_SERVER, .id = "server-time-wait",
             .text = N_("the server, which closed first, acknowledges the client's FIN and "
                        "enters TIME_WAIT")},
            {.kind = SK_CK_CALL, .id = "restart-eaddrinuse",
             .text = N_("restarted without SO_REUSEADDR, the server's bind() fails with "
                        "EADDRINUSE"),
             .call = {.call = "bind", .err = "EADDRINUSE", ANY_RET}},
            {.kind = SK_CK_SAME_SERVER, .conv = 1, .id = "restart-accepts",
             .text = N_("restarted with SO_REUSEADDR, the server accepts a new connection on "
                        "the same port")},
        },
    },
    {
        .name = "close-wait", .order = 6, .proto = 6, .family = 4,
        .summary = N_("the server delays its close(): CLOSE_WAIT until it closes"),
        .plan = {
            {SK_ACT_SERVER, SK_SERVER, 0, 0, "lab-tcp-server",
             "--port {port} --max-clients 1 --close-delay 300",
             N_("the server waits 300 ms after read() returned 0 before close()")},
            {SK_ACT_RUN, SK_CLIENT, 0, 0, "lab-tcp-client", "--port {port}",
             N_("the client writes, reads the answer and closes first")},
            {SK_ACT_WAIT, 0, 0, 0, NULL, NULL, NULL},
        },
        .steps = {
            STEP_HANDSHAKE(0, HS_TEXT),
            STEP_CLIENT_FIRST_FIN,
            {.kind = SK_CK_CLOSE_WAIT, .side = SK_SERVER, .id = "server-close-wait",
             .text = N_("the server acknowledges the client's FIN but sends its own FIN only "
                        "later: CLOSE_WAIT in between")},
            STEP_CLOSED,
            {.kind = SK_CK_CALL, .id = "server-reads-eof",
             .text = N_("the server's read() returns 0 in CLOSE_WAIT"),
             .call = {.prog = "lab-tcp-server", .call = "read", .err = "", .ret = 0,
                      .state = "CLOSE_WAIT"}},
        },
    },
    {
        .name = "backlog", .order = 7, .proto = 6, .family = 4,
        .summary = N_("the server pauses before accept(): the kernel queues handshakes "
                      "(backlog)"),
        .plan = {
            {SK_ACT_SERVER, SK_SERVER, 0, 0, "lab-tcp-server",
             "--port {port} --max-clients 3 --backlog 1 --accept-delay 300",
             N_("the server has a backlog of 1 and waits 300 ms before each accept()")},
            {SK_ACT_START, SK_CLIENT, 0, 0, "lab-tcp-client", "--port {port} --message first",
             N_("three clients connect at once")},
            {SK_ACT_START, SK_CLIENT, 0, 0, "lab-tcp-client", "--port {port} --message second",
             NULL},
            {SK_ACT_START, SK_CLIENT, 0, 0, "lab-tcp-client", "--port {port} --message third",
             NULL},
            {SK_ACT_WAIT, 0, 0, 0, NULL, NULL, NULL},
        },
        .steps = {
            {.kind = SK_CK_CONNECTIONS, .n = 3, .id = "connections",
             .text = N_("three connections to the same server complete their handshakes")},
            {.kind = SK_CK_QUEUED, .id = "queued",
             .text = N_("another handshake completes before the server answers the first "
                        "client: the kernel completes handshakes before accept()")},
            {.kind = SK_CK_SYN_RETRANS, .info = 1, .id = "syn-dropped",
             .text = N_("with the queue full, a SYN goes unanswered and is sent again")},
        },
    },
    {
        .name = "nagle", .order = 8, .proto = 6, .family = 4,
        .summary = N_("many small writes, without and then with TCP_NODELAY"),
        /* Nagle holds a small write only while an earlier small segment is
         * unacknowledged, and on loopback an ACK is back within microseconds
         * unless the receiver delays it: the server is slow to read (no quick
         * answer to carry the ACK), so after the first segments its kernel
         * delays its ACKs, and the writes, 5 ms apart, wait for them. The
         * pauses also keep TCP_NODELAY's writes apart (no autocorking). */
        .plan = {
            {SK_ACT_SERVER, SK_SERVER, 0, 0, "lab-tcp-server",
             "--port {port} --max-clients 2 --read-delay 100",
             N_("the server reads only every 100 ms, so its ACKs are delayed")},
            {SK_ACT_RUN, SK_CLIENT, 0, 0, "lab-tcp-client",
             "--port {port} --repeat 60 --interval 5 --message 0123456789 --shutdown",
             N_("60 small writes, 5 ms apart, with Nagle's algorithm (the default)")},
            {SK_ACT_RUN, SK_CLIENT, 0, 0, "lab-tcp-client",
             "--port {port} --repeat 60 --interval 5 --message 0123456789 --shutdown --nodelay",
             N_("the same 60 writes with TCP_NODELAY")},
            {SK_ACT_WAIT, 0, 0, 0, NULL, NULL, NULL},
        },
        .steps = {
            STEP_HANDSHAKE(0, N_("the first connection (without TCP_NODELAY) opens")),
            {.kind = SK_CK_HANDSHAKE, .conv = 1, .id = "handshake-2",
             .text = N_("the second connection (with TCP_NODELAY) opens")},
            {.kind = SK_CK_NAGLE, .conv = 0, .id = "nagle-holds",
             .text = N_("without TCP_NODELAY the client never has two small segments "
                        "unacknowledged at once (Nagle's algorithm)")},
            {.kind = SK_CK_COALESCED, .conv = 0, .n = 1, .id = "coalesced",
             .text = N_("without TCP_NODELAY the same writes travel in fewer, bigger "
                        "segments than with it")},
            {.kind = SK_CK_CALL, .id = "nodelay-set",
             .text = N_("the second client sets TCP_NODELAY"),
             .call = {.prog = "lab-tcp-client", .call = "setsockopt", .err = "",
                      .args = "TCP_NODELAY", ANY_RET}},
        },
    },
    {
        .name = "zero-window", .order = 9, .proto = 6, .family = 4,
        .summary = N_("a small receive buffer and a slow reader: the window closes and "
                      "opens again"),
        .plan = {
            {SK_ACT_SERVER, SK_SERVER, 0, 0, "lab-tcp-server",
             "--port {port} --max-clients 1 --rcvbuf 2048 --read-delay 50 --reply ok",
             N_("the server has a 2 KB receive buffer and waits 50 ms before each read()")},
            {SK_ACT_RUN, SK_CLIENT, 0, 0, "lab-tcp-client",
             "--port {port} --repeat 10 --message {blob} --shutdown",
             N_("the client writes 10 KB at once, then shuts down its side")},
            {SK_ACT_WAIT, 0, 0, 0, NULL, NULL, NULL},
        },
        .steps = {
            STEP_HANDSHAKE(0, HS_TEXT),
            STEP_CLIENT_DATA,
            {.kind = SK_CK_ZERO_WINDOW, .side = SK_SERVER, .id = "zero-window",
             .text = N_("the slow server's receive buffer fills: it advertises a zero window")},
            {.kind = SK_CK_WINDOW_OPENS, .side = SK_SERVER, .id = "window-opens",
             .text = N_("when the server reads, its window opens again and the client's data "
                        "resumes")},
            STEP_CLOSED,
        },
    },
    {
        .name = "udp", .order = 10, .proto = 17, .family = 4,
        .summary = N_("datagrams keep their boundaries; the answer goes back to rinfo"),
        .plan = {
            {SK_ACT_SERVER, SK_SERVER, 0, 0, "lab-udp-recv",
             "--port {port} --count 3 --reply goodbye!!!",
             N_("the receiver binds and answers each datagram to its sender (rinfo)")},
            {SK_ACT_RUN, SK_CLIENT, 0, 0, "lab-udp-send", "--port {port} --count 3 --wait 2000",
             N_("the sender sends three datagrams and reads the answers")},
            {SK_ACT_WAIT, 0, 0, 0, NULL, NULL, NULL},
        },
        .steps = {
            {.kind = SK_CK_DATAGRAMS, .side = SK_CLIENT, .n = 3, .id = "datagrams",
             .text = N_("the client sends three datagrams, each a packet of its own")},
            {.kind = SK_CK_REPLIES, .id = "replies",
             .text = N_("the server answers each datagram to the address and port it came "
                        "from (rinfo)")},
            {.kind = SK_CK_BOUNDARIES, .id = "boundaries",
             .text = N_("each recvfrom() returns exactly one whole datagram: boundaries are "
                        "kept")},
        },
    },
    {
        .name = "udp-unreachable", .order = 11, .proto = 17, .family = 4,
        .summary = N_("connected UDP to a closed port: ICMP port unreachable becomes "
                      "ECONNREFUSED"),
        .plan = {
            {SK_ACT_RUN, SK_CLIENT, 1, 0, "lab-udp-send",
             "--port {closed} --connect --count 2 --interval 200",
             N_("a connected UDP socket sends to a port nobody listens on, then sends again")},
        },
        .steps = {
            {.kind = SK_CK_DATAGRAMS, .side = SK_CLIENT, .n = 1, .id = "datagram",
             .text = N_("the client sends a datagram")},
            {.kind = SK_CK_ICMP_UNREACH, .id = "icmp-unreachable",
             .text = N_("the datagram is answered by ICMP port unreachable: nothing listens "
                        "there")},
            {.kind = SK_CK_NO_REPLY, .id = "no-reply",
             .text = N_("no datagram comes back from that port")},
            {.kind = SK_CK_CALL, .id = "econnrefused",
             .text = N_("the connected socket's next call fails with ECONNREFUSED"),
             .call = {.prog = "lab-udp-send", .err = "ECONNREFUSED", ANY_RET}},
        },
    },
    {
        .name = "ipv6", .order = 12, .proto = 6, .family = 6,
        .summary = N_("the handshake experiment over IPv6 (::1)"),
        .plan = {
            {SK_ACT_SERVER, SK_SERVER, 0, 0, "lab-tcp-server", "-6 --port {port} --max-clients 1",
             N_("the server listens on [::1]")},
            {SK_ACT_RUN, SK_CLIENT, 0, 0, "lab-tcp-client", "-6 --port {port}",
             N_("the client connects over IPv6, writes, reads and closes")},
            {SK_ACT_WAIT, 0, 0, 0, NULL, NULL, NULL},
        },
        .steps = {
            {.kind = SK_CK_IPV6, .id = "ipv6",
             .text = N_("the connection is made over IPv6")},
            STEP_HANDSHAKE(0, HS_TEXT),
            STEP_CLIENT_DATA,
            STEP_SERVER_DATA,
            STEP_CLOSED,
        },
    },
    {
        .name = "loss", .order = 13, .proto = 6, .family = 4, .setup = SK_SETUP_NETNS,
        .summary = N_("a lossy, slow link between two network namespaces: retransmissions, "
                      "duplicate ACKs, RTO back-off"),
        .plan = {
            {SK_ACT_SERVER, SK_SERVER, 0, 0, "lab-tcp-server",
             "--host {host} --port {port} --max-clients 1 --reply ok",
             N_("the server listens on the other side of the lossy link")},
            {SK_ACT_START, SK_CLIENT, 0, 0, "lab-tcp-client",
             "--host {host} --port {port} --repeat 60 --interval 20 --message {blob} --shutdown",
             N_("the client writes 1000 bytes every 20 ms; one packet in ten is lost")},
            {SK_ACT_SLEEP, 0, 0, 400, NULL, NULL, NULL},
            {SK_ACT_CUT, 0, 0, 2000, NULL, NULL,
             N_("the link drops everything for two seconds: the sender's retransmission "
                "timer fires, and waits twice as long each time")},
            {SK_ACT_WAIT, 0, 0, 0, NULL, NULL, NULL},
        },
        .steps = {
            STEP_HANDSHAKE(0, HS_TEXT),
            {.kind = SK_CK_DATA, .side = SK_CLIENT, .n = 1, .id = "client-data",
             .text = N_("the client sends data")},
            {.kind = SK_CK_RETRANS, .n = 1, .id = "retransmissions",
             .text = N_("lost segments are sent again (retransmissions)")},
            {.kind = SK_CK_DUP_ACKS, .n = 1, .id = "duplicate-acks",
             .text = N_("the receiver repeats its ACK while a segment is missing (duplicate "
                        "ACKs)")},
            {.kind = SK_CK_RTO_BACKOFF, .id = "rto-backoff",
             .text = N_("a segment lost again and again is resent after longer and longer "
                        "waits (RTO back-off)")},
            STEP_CLOSED,
        },
    },
};

#define NSCENARIOS (sizeof scenarios / sizeof scenarios[0])

size_t sk_scenario_count(void) { return NSCENARIOS; }

const struct sk_scenario *sk_scenario_get(size_t i)
{
    return i < NSCENARIOS ? &scenarios[i] : NULL;
}

const struct sk_scenario *sk_scenario_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < NSCENARIOS; i++)
        if (strcmp(scenarios[i].name, name) == 0)
            return &scenarios[i];
    return NULL;
}

size_t sk_scenario_nsteps(const struct sk_scenario *sc)
{
    size_t n = 0;
    while (n < SK_SCENARIO_MAX_STEPS && sc->steps[n].kind != SK_CK_END)
        n++;
    return n;
}

size_t sk_scenario_nactions(const struct sk_scenario *sc)
{
    size_t n = 0;
    while (n < SK_SCENARIO_MAX_ACTIONS && sc->plan[n].act != SK_ACT_END)
        n++;
    return n;
}

const struct sk_step *sk_scenario_step(const struct sk_scenario *sc, const char *id)
{
    size_t n = sk_scenario_nsteps(sc);
    for (size_t i = 0; i < n; i++)
        if (strcmp(sc->steps[i].id, id) == 0)
            return &sc->steps[i];
    return NULL;
}
