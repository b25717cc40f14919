/* tcp.h — TCP connection tracking: both endpoints' states and the events a
 * teacher names, inferred from the segments of one conversation.
 *
 * States are RFC 9293's (§3.3.2, Figure 5), for each side, after each segment.
 * The capture point sees a segment as sent by one side and received by the
 * other at once (true on loopback; the usual reading elsewhere), so a segment
 * moves its sender by the "snd" edge and its receiver by the "rcv" edge of the
 * diagram: a SYN leaves the client SYN_SENT and the server SYN_RECEIVED.
 *
 * Events follow Wireshark's TCP analysis (epan/dissectors/packet-tcp.c,
 * tcp_analyze_sequence_number) where Wireshark names them: retransmission,
 * fast retransmission, spurious retransmission, out-of-order, lost segment,
 * duplicate ACK, zero window, zero-window probe, window update, window full,
 * keep-alive, keep-alive ACK, ACKed unseen segment. The same packets are flagged.
 */
#ifndef SK_TCP_H
#define SK_TCP_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"

/* Endpoint roles and packet directions. */
enum { SK_CLIENT = 0, SK_SERVER = 1 };
enum { SK_C2S = 0, SK_S2C = 1 }; /* a packet sent by the client / by the server */

/* RFC 9293 connection states; SK_ST_UNKNOWN when the capture cannot tell. */
enum sk_state {
    SK_ST_UNKNOWN = 0,
    SK_ST_CLOSED,
    SK_ST_LISTEN,
    SK_ST_SYN_SENT,
    SK_ST_SYN_RECEIVED,
    SK_ST_ESTABLISHED,
    SK_ST_FIN_WAIT_1,
    SK_ST_FIN_WAIT_2,
    SK_ST_CLOSE_WAIT,
    SK_ST_CLOSING,
    SK_ST_LAST_ACK,
    SK_ST_TIME_WAIT,
    SK_ST__COUNT
};

/* "SYN_SENT", "ESTABLISHED" ... ("?" for SK_ST_UNKNOWN). Never translated:
 * these are the names students find in RFCs, ss(8) and netstat. */
const char *sk_state_name(enum sk_state s);

/* Parses a name from sk_state_name (also the kernel's spellings SYN_RECV,
 * FIN_WAIT1, FIN_WAIT2, CLOSE); SK_ST_UNKNOWN if none matches. */
enum sk_state sk_state_from_name(const char *name);

/* Events: bit numbers in a packet's event set (1u << SK_EV_x). A packet can
 * carry several (a FIN with data: DATA and FIN; a retransmitted SYN: SYN and
 * RETRANS). The names (sk_event_name) are those of --json's "events". */
enum sk_event {
    SK_EV_SYN = 0,         /* "syn": handshake 1/3, the client's SYN */
    SK_EV_SYNACK,          /* "syn-ack": handshake 2/3 */
    SK_EV_HS_ACK,          /* "handshake-ack": handshake 3/3, the ACK of the SYN-ACK */
    SK_EV_SIM_OPEN,        /* "simultaneous-open": both sides sent a SYN */
    SK_EV_DATA,            /* "data": the segment carries payload */
    SK_EV_ACK,             /* "ack": a pure ACK (no data, no SYN/FIN/RST) */
    SK_EV_FIN,             /* "fin": the sender closes its direction */
    SK_EV_HALF_CLOSE,      /* "half-close": data from a side that has received the peer's FIN */
    SK_EV_FIN_ACKED,       /* "fin-acked": this segment acknowledges the peer's FIN */
    SK_EV_SIM_CLOSE,       /* "simultaneous-close": both FINs crossed */
    SK_EV_RST,             /* "rst": reset; the receiver's connection is gone */
    SK_EV_REFUSED,         /* "refused": RST answering a SYN: nothing listens there */
    SK_EV_RETRANS,         /* "retransmission" (Wireshark tcp.analysis.retransmission) */
    SK_EV_FAST_RETRANS,    /* "fast-retransmission" (after 2+ duplicate ACKs) */
    SK_EV_SPURIOUS_RETRANS,/* "spurious-retransmission": data already acknowledged */
    SK_EV_OUT_OF_ORDER,    /* "out-of-order" */
    SK_EV_LOST_SEGMENT,    /* "previous-segment-not-captured" */
    SK_EV_ACKED_UNSEEN,    /* "acked-unseen-segment" */
    SK_EV_DUP_ACK,         /* "duplicate-ack"; aux = its number (1, 2, 3 ...) */
    SK_EV_ZERO_WINDOW,     /* "zero-window" */
    SK_EV_ZERO_WINDOW_PROBE, /* "zero-window-probe" */
    SK_EV_WINDOW_UPDATE,   /* "window-update" */
    SK_EV_WINDOW_FULL,     /* "window-full" */
    SK_EV_KEEPALIVE,       /* "keep-alive" */
    SK_EV_KEEPALIVE_ACK,   /* "keep-alive-ack" */
    SK_EV_MIDSTREAM,       /* "mid-stream": first packet seen of a connection opened before the capture */
    SK_EV_PORT_REUSE,      /* "port-reuse": a new SYN on the 4-tuple of an earlier, closed connection */
    SK_EV_UDP,             /* "datagram": a UDP datagram */
    SK_EV_ICMP_UNREACH,    /* "icmp-unreachable": an ICMP error quoting this conversation */
    SK_EV_FRAGMENT,        /* "ip-fragment" */
    SK_EV_BAD_PACKET,      /* "malformed": truncated or invalid (see the packet's error) */
    SK_EV__COUNT
};

const char *sk_event_name(enum sk_event e);  /* the --json names above */

/* How a connection opened and how it ended, for summaries. */
enum sk_open {
    SK_OPEN_NONE = 0,      /* no SYN seen yet and no data either */
    SK_OPEN_HANDSHAKE,     /* SYN, SYN-ACK, ACK */
    SK_OPEN_SIMULTANEOUS,  /* both sides sent SYN */
    SK_OPEN_MIDSTREAM,     /* the capture began after the handshake */
    SK_OPEN_SYN_ONLY,      /* SYN (maybe SYN-ACK) but no completed handshake */
    SK_OPEN_REFUSED        /* SYN answered by RST */
};
enum sk_end {
    SK_END_OPEN = 0,       /* still open when the capture ended */
    SK_END_FIN_CLIENT,     /* graceful: the client sent the first FIN */
    SK_END_FIN_SERVER,     /* graceful: the server sent the first FIN */
    SK_END_SIM_CLOSE,      /* both FINs crossed */
    SK_END_HALF_CLOSED,    /* only one side's FIN was seen */
    SK_END_RST_CLIENT,     /* reset by the client */
    SK_END_RST_SERVER      /* reset by the server */
};
const char *sk_open_name(enum sk_open o); /* "handshake", "simultaneous open", ... (gettext msgids) */
const char *sk_end_name(enum sk_end e);   /* "client closed first", "reset by server", ... */

/* One endpoint, as its segments (sent and acknowledged) show it. */
struct sk_tcp_side {
    uint32_t isn;        /* initial sequence number; mid-stream: first seq seen - 1 */
    uint32_t next_seq;   /* seq after the highest new byte it sent (incl. SYN/FIN);
                            0 until it sent something (Wireshark's nextseq) */
    uint32_t max_seq;    /* highest seq + length (+1 for SYN, +1 for FIN) it ever sent */
    uint32_t last_ack;   /* ack field of its last segment */
    uint32_t fin_seq;    /* seq of its FIN (the number the FIN itself takes) */
    uint32_t win;        /* last window it advertised, scaled (bytes) */
    uint32_t dup_acks;   /* duplicate ACKs in a row it has sent */
    uint16_t raw_win;    /* ... as sent */
    uint16_t mss;        /* from its SYN; 0 if none seen */
    int8_t wscale;       /* its window-scale shift; -1 if not negotiated/unknown */
    uint8_t state;       /* enum sk_state */
    uint8_t flags;       /* SK_SIDE_* */
    /* tracker-private (tcpseq.c): what Wireshark's analysis keeps per direction */
    int8_t ws;           /* Wireshark's win_scale: -1 unknown, -2 not used, else the
                            shift its last window-scale option gave (sk_tcp_init sets -1) */
    uint8_t aflags;      /* SK_AF_* (tcpseq.h) */
    uint16_t unacked;    /* segments sent since the peer last acknowledged new data (capped) */
    uint32_t ack_limit;  /* highest contiguous next_seq (Wireshark's maxseqtobeacked) */
    int64_t next_ts;     /* when next_seq last moved */
    int64_t last_ts;     /* time of its last segment */
};

enum {
    SK_SIDE_ISN = 0x01,      /* isn is known */
    SK_SIDE_SYN = 0x02,      /* it sent a SYN */
    SK_SIDE_FIN = 0x04,      /* it sent a FIN */
    SK_SIDE_FIN_ACKED = 0x08,/* its FIN was acknowledged */
    SK_SIDE_RST = 0x10,      /* it sent a RST */
    SK_SIDE_SACK = 0x20,     /* it offered SACK */
    SK_SIDE_TS = 0x40,       /* it used timestamps */
    SK_SIDE_ACKED = 0x80     /* last_ack is valid */
};

/* All tracker state of one TCP conversation. Zero-initialised = nothing seen. */
struct sk_tcp_conv {
    struct sk_tcp_side side[2]; /* [SK_CLIENT], [SK_SERVER] */
    uint8_t opened;             /* enum sk_open */
    uint8_t ended;              /* enum sk_end */
    uint8_t first_fin;          /* 1 + side that sent the first FIN; 0 if none */
    uint8_t flags;              /* tracker-private */
    int64_t rtt_ts;             /* tracker-private: time of the last SYN, then the
                                   handshake's round-trip time (Wireshark's iRTT) */
};

/* What the tracker says about one segment. */
struct sk_tcp_result {
    uint32_t events;   /* bit set of 1u << SK_EV_* */
    uint32_t aux;      /* SK_EV_DUP_ACK: its number; otherwise 0 */
    uint8_t before[2]; /* client and server state before the segment */
    uint8_t after[2];  /* ... and after it */
};

/* Starts tracking a conversation whose first packet is p, sent by side dir:
 * sets the states before it (a SYN: CLOSED and LISTEN; a SYN-ACK: SYN_SENT
 * and SYN_RECEIVED; a RST: unknown; anything else: both ESTABLISHED, the
 * capture began mid-stream). The conversation table has already chosen client
 * and server. t must be zeroed; sk_tcp_track calls it if it was not called. */
void sk_tcp_init(struct sk_tcp_conv *t, int dir, const struct sk_packet *p);

/* Feeds one segment sent by side dir (SK_C2S: by the client) and describes it
 * in *r (events, dup-ACK number, both states before and after). O(1), no
 * allocation. Feed whole segments only, as tshark analyses them: not IP
 * fragments, not the TCP header quoted in an ICMP error; p->payload_len no
 * larger than the frame's wire length allows. A packet that is not TCP
 * changes nothing (no events). SK_EV_PORT_REUSE is the caller's to set (see
 * sk_tcp_is_new_connection). */
void sk_tcp_track(struct sk_tcp_conv *t, int dir, const struct sk_packet *p,
                  struct sk_tcp_result *r);

/* True when p (sent by side dir) is a SYN that begins a new connection on the
 * 4-tuple of t: a SYN without ACK whose seq is not the ISN that side already
 * used, on a connection that has ended (both CLOSED or TIME_WAIT, or a RST
 * seen) or far outside the receiver's window. The analyzer then starts a new
 * conversation (sk_convtab_renew), initialises it with p and marks p
 * SK_EV_PORT_REUSE (Wireshark's "TCP port numbers reused"). */
bool sk_tcp_is_new_connection(const struct sk_tcp_conv *t, int dir, const struct sk_packet *p);

/* The two states (client in bits 0-3, server in bits 4-7, as sk_rec.states)
 * that a ladder shows for a record of t, once the capture has been read:
 * the record's own, except where later packets proved them wrong. A refused
 * connection never had a server socket: its server side was CLOSED all
 * along, not LISTEN then SYN_RECEIVED as the SYN alone suggested. */
uint8_t sk_tcp_shown_states(const struct sk_tcp_conv *t, uint8_t states);

/* Relative numbers as Wireshark shows them: seq relative to the sender's ISN,
 * ack relative to the receiver's (0 when that ISN is not known). */
uint32_t sk_tcp_rel_seq(const struct sk_tcp_conv *t, int dir, uint32_t seq);
uint32_t sk_tcp_rel_ack(const struct sk_tcp_conv *t, int dir, uint32_t ack);

#endif
