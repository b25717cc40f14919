/* mark.h — how a packet list marks a packet, and where stepping and searching stop.
 *
 * A list colours each packet by what it does in its connection (opening,
 * data, closing, reset, trouble ...), and "next event" skips what is not
 * worth a stop: pure ACKs and packets of no conversation. A search matches
 * what the list and the ladder show of a packet: its tcpdump line, its event
 * tag and the (escaped) text of its payload.
 */
#ifndef SK_MARK_H
#define SK_MARK_H

#include <stdbool.h>

#include "decode.h"
#include "trace.h"

/* What a packet does, for colours; when it does several things the first
 * of this list that applies wins (a retransmitted SYN is TROUBLE). */
enum sk_mark {
    SK_MARK_NONE = 0,  /* nothing to name: a pure ACK, a packet of no conversation */
    SK_MARK_BAD,       /* truncated or invalid */
    SK_MARK_RESET,     /* RST, connection refused, ICMP unreachable */
    SK_MARK_TROUBLE,   /* retransmission, out-of-order, lost segment, duplicate ACK,
                          zero window, window full, ACKed unseen segment */
    SK_MARK_OPEN,      /* SYN, SYN-ACK, the handshake's ACK, simultaneous open */
    SK_MARK_CLOSE,     /* FIN, its ACK, half-close, simultaneous close */
    SK_MARK_DATA,      /* a segment with data */
    SK_MARK_DATAGRAM,  /* a UDP datagram */
    SK_MARK_FLOW,      /* window update, keep-alive, zero-window probe, other ICMP */
    SK_MARK__COUNT
};

enum sk_mark sk_rec_mark(const struct sk_rec *r);

/* True for the packets "next event" stops at: every packet with an event
 * other than a plain acknowledgement. */
bool sk_rec_is_step(const struct sk_rec *r);

/* True when query (compared without regard to ASCII case; "" never matches)
 * occurs in the packet's tcpdump line (sk_packet_summary), in its tag
 * (sk_explain_tag) or in the escaped text of its payload. p is the packet
 * decoded from r's bytes. */
bool sk_packet_matches(const struct sk_packet *p, const struct sk_rec *r, const char *query);

#endif
