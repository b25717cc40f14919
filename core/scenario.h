/* scenario.h — the classroom experiments, each defined once: which lab
 * programs run with which options (for `make captures`, `sockscope record`
 * and `sockscope demo`), and what the wire must show (for `sockscope check`).
 *
 * A scenario's plan is a list of actions run in order: start a lab program
 * and wait until its port is bound, run one to its end, wait for the ones
 * started, sleep, cut the link (loss). Arguments are written once, with
 * placeholders the runner fills in (core/run.h):
 *
 *   {port}    the server's port, a free one picked at run time
 *   {closed}  a port nothing listens on (refused, udp-unreachable)
 *   {host}    the server's address in the namespaces setup (10.0.0.2)
 *   {blob}    a 1000-byte printable message (bulk data)
 *
 * The expected wire behaviour is a list of steps (enum sk_check_kind), graded
 * by core/checker.h. Steps name connections by their order in the capture (the
 * first, the second ...), never by port number, and never depend on initial
 * sequence numbers, ports, timing or window sizes beyond what the step is
 * about, so that a student's own programs in any language pass them.
 */
#ifndef SK_SCENARIO_H
#define SK_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

/* Where the labs run. */
enum sk_setup {
    SK_SETUP_LOOPBACK = 0, /* both ends on lo */
    SK_SETUP_NETNS         /* two network namespaces joined by a veth pair; the link
                              delays and drops packets (core/run.c says how) */
};

/* One action of a plan. */
enum sk_act {
    SK_ACT_END = 0,  /* end of the plan */
    SK_ACT_SERVER,   /* start a lab in the background; go on once its port is bound */
    SK_ACT_START,    /* start a lab in the background; go on at once */
    SK_ACT_RUN,      /* run a lab and wait until it exits */
    SK_ACT_WAIT,     /* wait until every lab started so far has exited */
    SK_ACT_SLEEP,    /* wait ms milliseconds */
    SK_ACT_CUT       /* SK_SETUP_NETNS: the link drops every packet for ms milliseconds */
};

struct sk_action {
    uint8_t act;      /* enum sk_act */
    uint8_t side;     /* SK_CLIENT or SK_SERVER: the host (namespace) it runs on */
    int16_t expect;   /* SERVER/START/RUN: the lab's expected exit status */
    int ms;           /* SLEEP, CUT */
    const char *prog; /* "lab-tcp-server" */
    const char *args; /* space-separated, with placeholders (above) */
    const char *why;  /* N_(): what this action shows, one sentence */
};

/* What a step checks (core/check.c grades each). "side" is SK_CLIENT or
 * SK_SERVER, "conv" the connection's order in the capture (0 the first). */
enum sk_check_kind {
    SK_CK_END = 0,
    SK_CK_HANDSHAKE,    /* SYN, SYN-ACK, ACK of connection conv */
    SK_CK_DATA,         /* side sent at least n payload bytes */
    SK_CK_FIRST_FIN,    /* side sent the first FIN */
    SK_CK_CLOSED,       /* both FINs sent and acknowledged, no RST */
    SK_CK_HALF_CLOSE,   /* side sent data after the peer's FIN, and the peer acknowledged it */
    SK_CK_CLOSE_WAIT,   /* side acknowledged the peer's FIN without FIN, and sent its FIN later */
    SK_CK_TIME_WAIT,    /* side closed first and acknowledged the peer's FIN: TIME_WAIT */
    SK_CK_ABORT,        /* side ended the connection with RST, not FIN */
    SK_CK_REFUSED,      /* the client's SYN was answered by RST */
    SK_CK_SAME_SERVER,  /* connection conv reached the first one's server address and port,
                           after the first one had ended, and its handshake completed */
    SK_CK_CONNECTIONS,  /* at least n connections to the first one's server completed
                           their handshakes */
    SK_CK_QUEUED,       /* a later connection's handshake completed before the server sent
                           anything on the first one (the kernel accepts; accept() waits) */
    SK_CK_SYN_RETRANS,  /* some client's SYN was sent again (a full accept queue drops it) */
    SK_CK_NAGLE,        /* connection conv: the client never had two small segments
                           unacknowledged at once (Nagle's rule) */
    SK_CK_COALESCED,    /* connection conv carried the client's bytes in bigger segments, on
                           average, than connection n (TCP_NODELAY) */
    SK_CK_ZERO_WINDOW,  /* side advertised a zero window */
    SK_CK_WINDOW_OPENS, /* after its zero window, side opened its window again and the
                           peer's data resumed */
    SK_CK_RETRANS,      /* at least n retransmissions */
    SK_CK_DUP_ACKS,     /* at least n duplicate ACKs */
    SK_CK_RTO_BACKOFF,  /* one segment sent 3+ times, the waits between growing (RTO back-off) */
    SK_CK_IPV6,         /* the connection (or flow) is over IPv6 */
    SK_CK_DATAGRAMS,    /* UDP: side sent at least n datagrams */
    SK_CK_REPLIES,      /* UDP: the server answered each datagram to the port it came from */
    SK_CK_NO_REPLY,     /* UDP: nothing came back from the server's port */
    SK_CK_ICMP_UNREACH, /* UDP: an ICMP port unreachable quoting the client's datagram */
    SK_CK_BOUNDARIES,   /* UDP, lab events: each recvfrom() returned one whole datagram */
    SK_CK_CALL          /* lab events: a call as described by call/err/args/state */
};

/* A lab event a SK_CK_CALL step looks for. NULL fields match anything; err ""
 * means the call succeeded. */
struct sk_call_match {
    const char *prog;  /* "lab-tcp-server" */
    const char *call;  /* "bind" */
    const char *err;   /* "EADDRINUSE", or "" for success */
    const char *args;  /* a substring of the event's args: "SO_REUSEADDR" */
    const char *state; /* the kernel state after the call: "CLOSE_WAIT" */
    int ret;           /* -2: any; otherwise the value returned (read → 0) */
};

struct sk_step {
    uint8_t kind;     /* enum sk_check_kind */
    uint8_t conv;     /* which connection or flow: 0 the first of the scenario's shape */
    uint8_t side;     /* SK_CLIENT / SK_SERVER */
    uint8_t info;     /* 1: informational, reported but never a failure */
    uint32_t n;       /* the minimum (bytes, datagrams, connections ...); SK_CK_COALESCED:
                         the connection to compare with */
    const char *id;   /* stable name for --json and scripts: "client-closes-first" */
    const char *text; /* N_(): the expectation, for people */
    struct sk_call_match call; /* SK_CK_CALL */
};

#define SK_SCENARIO_MAX_ACTIONS 12
#define SK_SCENARIO_MAX_STEPS 10

struct sk_scenario {
    const char *name;    /* "half-close" */
    int order;           /* teaching order, from 1 */
    const char *summary; /* N_(): one line */
    uint8_t proto;       /* 6 TCP, 17 UDP: the conversations the steps look at */
    uint8_t family;      /* 4 or 6 */
    uint8_t setup;       /* enum sk_setup */
    struct sk_action plan[SK_SCENARIO_MAX_ACTIONS];   /* ends with SK_ACT_END */
    struct sk_step steps[SK_SCENARIO_MAX_STEPS];      /* ends with SK_CK_END */
};

/* Number of scenarios, and scenario i in teaching order (NULL past the end). */
size_t sk_scenario_count(void);
const struct sk_scenario *sk_scenario_get(size_t i);

/* The scenario called name, NULL if none. */
const struct sk_scenario *sk_scenario_find(const char *name);

/* Number of steps, and of actions, of sc. */
size_t sk_scenario_nsteps(const struct sk_scenario *sc);
size_t sk_scenario_nactions(const struct sk_scenario *sc);

/* The step with this id, NULL if none. */
const struct sk_step *sk_scenario_step(const struct sk_scenario *sc, const char *id);

#endif
