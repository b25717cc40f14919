/* tcpseq.h — Wireshark's TCP sequence analysis, for the tracker (tcp.c) only.
 *
 * The rules of Wireshark 4.0's tcp_analyze_sequence_number (packet-tcp.c):
 * retransmission, fast and spurious retransmission, out-of-order, lost and
 * ACKed-unseen segments, duplicate ACKs, zero window and its probes, window
 * update and window full, keep-alive and its ACK. Same rules, same order, over
 * the per-side fields of struct sk_tcp_side, so that the same packets are
 * flagged as tshark flags them.
 */
#ifndef SK_TCPSEQ_H
#define SK_TCPSEQ_H

#include <stdint.h>

#include "decode.h"
#include "tcp.h"

/* Bits of sk_tcp_side.aflags. */
enum {
    SK_AF_WIN = 0x01,        /* raw_win holds a window it sent (else Wireshark's "none yet") */
    SK_AF_FIRST_ACK = 0x02,  /* it sent a SYN and no ACK without SYN since (window unscaled) */
    SK_AF_LAST_KA = 0x04,    /* its last segment was a keep-alive */
    SK_AF_LAST_ZWP = 0x08,   /* its last segment was a zero-window probe */
    SK_AF_DUP_NEUTRAL = 0x10,/* Wireshark's dupacknum -1: an ACKed-unseen was reported */
    SK_AF_SENT = 0x20,       /* (tcp.c) it has sent a segment: max_seq is set */
    SK_AF_GAP = 0x40         /* it sent a segment past a hole that ack_limit has not caught up with */
};

/* Bits of sk_tcp_conv.flags used by the analysis (tcp.c uses the others). */
enum {
    SK_TF_SYN_TS = 0x01, /* rtt_ts is the time of the last SYN */
    SK_TF_RTT = 0x02     /* rtt_ts is the handshake's round-trip time */
};

/* Runs the analysis for segment p sent by side dir: sets the ISNs Wireshark
 * would set, updates both sides' analysis fields, and adds SK_EV_* bits of the
 * analysis events to *events (SK_EV_DUP_ACK's number in *aux). */
void sk_tcpseq_analyze(struct sk_tcp_conv *t, int dir, const struct sk_packet *p,
                       uint32_t *events, uint32_t *aux);

/* Serial-number arithmetic (RFC 1982): a before b, modulo 2^32. */
static inline int sk_seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline int sk_seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline int sk_seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static inline int sk_seq_ge(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }

#endif
