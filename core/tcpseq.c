/* tcpseq.c — Wireshark 4.0's TCP sequence analysis rules, reimplemented (see tcpseq.h).
 *
 * Reference: Wireshark 4.0, epan/dissectors/packet-tcp.c: dissect_tcp (what it
 * does around the analysis) and tcp_analyze_sequence_number (the checks, in
 * this order). The rules are restated here over our own state; the code is
 * ours. Where our state differs from Wireshark's, the comment says why the
 * verdicts stay the same:
 *
 *  - Wireshark keeps, per direction, a list of unacknowledged segments. No
 *    verdict reads that list: it serves the RTT/RTO figures and bytes in
 *    flight. One thing depends on it: a segment is only listed while fewer
 *    than 10000 are (TCP_MAX_UNACKED_SEGMENTS), and only a listed SYN or FIN
 *    counts one sequence number in nextseq. We keep a counter instead of the
 *    list (O(1) per segment, no allocation), cleared whenever the peer
 *    acknowledges new data. Exact when the peer's ACKs are missing from the
 *    capture (the case that reaches 10000); an undercount only when 10000
 *    segments stay in flight behind acknowledgements that keep advancing.
 *  - Wireshark's "not set" is zero for nextseq, maxseqtobeacked, lastack and
 *    the SYN time; we keep that convention (a sequence number that happens to
 *    be 0 is then "not set" for both of us), so the same packets are flagged.
 *  - A window no segment has announced yet is G_MAXUINT32 for Wireshark:
 *    SK_AF_WIN tells ours apart, and ws_window() gives Wireshark's value.
 *  - Port reuse (a SYN with a new ISN) starts a new Wireshark conversation;
 *    here the analyzer starts a new sk_conv (sk_tcp_is_new_connection), so the
 *    analysis starts from zero as Wireshark's does. (Wireshark splits on any
 *    new ISN; we split only on an ended connection or an ISN far outside the
 *    window, so a SYN with a new ISN inside a live connection's window is
 *    analysed as part of it here.)
 *
 * The packet-tcp.c we could read is somewhat later than 4.0.17. Where the two
 * differ (when an ACKed-unseen report is renewed), the rules here were fixed
 * against tshark 4.0.17 itself, with the hand-made probes of
 * tests/data/tcp-craft.py; check_tcp.c compares every rule with tshark's
 * verdicts on those probes and on real captures.
 */
#include "tcpseq.h"

#include <stdbool.h>

/* Wireshark's limit on its list of unacknowledged segments (see above). */
#define SK_MAX_UNACKED 10000
/* Fast retransmission: within 20 ms of the duplicate ACKs. */
#define SK_FAST_RETRANS_NS 20000000ull
/* Out-of-order when the handshake's RTT is unknown: 3 ms. */
#define SK_OOO_DEFAULT_NS 3000000ull

/* The window Wireshark compares: none announced yet is all ones. */
static uint32_t ws_window(const struct sk_tcp_side *s)
{
    return (s->aflags & SK_AF_WIN) ? s->raw_win : UINT32_MAX;
}

/* Wireshark's dupacknum is an int where -1 means "an ACKed-unseen segment was
 * just reported for this direction"; ours is a count plus a flag. */
static bool dupack_is_zero(const struct sk_tcp_side *s)
{
    return s->dup_acks == 0 && !(s->aflags & SK_AF_DUP_NEUTRAL);
}

/* What dissect_tcp does before the analysis: a SYN repeating the known ISN
 * restores nextseq (a RST sent with seq = the ACK it received may have moved
 * it), and a SYN-ACK with another ISN replaces the base. */
static void before_analysis(struct sk_tcp_side *f, uint32_t seq, uint8_t fl)
{
    if (!(f->flags & SK_SIDE_ISN))
        return;
    if ((fl & (SK_TH_SYN | SK_TH_ACK)) == SK_TH_SYN && seq == f->isn)
        f->next_seq = f->ack_limit;
    if ((fl & (SK_TH_SYN | SK_TH_ACK)) == (SK_TH_SYN | SK_TH_ACK) && seq != f->isn)
        f->isn = seq;
}

/* Relative numbers start at 0 on a SYN and at 1 otherwise (the ISN of a side
 * first seen mid-stream is taken as seq - 1); the peer's from our ACK - 1. */
static void set_bases(struct sk_tcp_side *f, struct sk_tcp_side *r, uint32_t seq,
                      uint32_t ack, uint8_t fl)
{
    if (!(f->flags & SK_SIDE_ISN)) {
        f->isn = (fl & SK_TH_SYN) ? seq : seq - 1;
        f->flags |= SK_SIDE_ISN;
    }
    if (!(r->flags & SK_SIDE_ISN) && (fl & SK_TH_ACK)) {
        r->isn = ack - 1;
        r->flags |= SK_SIDE_ISN;
    }
}

/* The checks on what the sender says about its own sequence space and the
 * window it offers, up to the duplicate ACK (Wireshark's "finished_fwd"). */
static uint32_t check_forward(struct sk_tcp_side *f, const struct sk_tcp_side *r, uint32_t seq,
                              uint32_t ack, uint32_t len, uint8_t fl, uint32_t win,
                              uint32_t *aux)
{
    const bool sfr = fl & (SK_TH_SYN | SK_TH_FIN | SK_TH_RST);
    const uint32_t fwin = ws_window(f), rwin = ws_window(r);
    uint32_t ev = 0;

    /* One byte at the next sequence number into a closed window. */
    if (len == 1 && seq == f->next_seq && rwin == 0)
        return 1u << SK_EV_ZERO_WINDOW_PROBE;

    if (win == 0 && !sfr)
        ev |= 1u << SK_EV_ZERO_WINDOW;

    /* Beyond the highest sequence number seen: a segment was not captured. */
    if (f->next_seq && sk_seq_gt(seq, f->next_seq) && !(fl & SK_TH_RST)) {
        ev |= 1u << SK_EV_LOST_SEGMENT;
        f->aflags |= SK_AF_GAP;
    }

    /* 0 or 1 byte one before the next sequence number. */
    if (len <= 1 && seq == f->next_seq - 1 && !sfr)
        ev |= 1u << SK_EV_KEEPALIVE;

    /* Nothing new but the window. */
    if (len == 0 && win && win != fwin && seq == f->next_seq && ack == f->last_ack && !sfr)
        ev |= 1u << SK_EV_WINDOW_UPDATE;

    /* Data up to the right edge of the window the receiver offered. Wireshark
     * scales that window unless the receiver's last segment was its SYN. */
    if (len > 0 && r->ws != -1 && !sfr) {
        unsigned shift = 0;
        if (!(r->aflags & SK_AF_FIRST_ACK) && r->ws >= 0)
            shift = (unsigned)r->ws;
        if (seq + len == r->last_ack + (rwin << shift))
            ev |= 1u << SK_EV_WINDOW_FULL;
    }

    const bool repeats = len == 0 && seq == f->next_seq && ack == f->last_ack && !sfr;

    /* The same ACK again, right after the peer's keep-alive. */
    if (repeats && win && win == fwin && (r->aflags & SK_AF_LAST_KA))
        return ev | 1u << SK_EV_KEEPALIVE_ACK;

    /* The same zero window again, after the peer's probe (Wireshark's
     * zero-window-probe ACK: not an event of ours, but it is not a dup ACK). */
    if (repeats && win == 0 && win == fwin && (r->aflags & SK_AF_LAST_ZWP))
        return ev;

    if (repeats && win && win == fwin) {
        if (f->aflags & SK_AF_DUP_NEUTRAL) {
            f->aflags &= (uint8_t)~SK_AF_DUP_NEUTRAL;
            f->dup_acks = 1;
        } else {
            f->dup_acks++;
        }
        ev |= 1u << SK_EV_DUP_ACK;
        *aux = f->dup_acks;
    }
    return ev;
}

/* Data (or SYN/FIN) that does not advance the sequence: spurious, fast,
 * out-of-order or plain retransmission, tested in Wireshark's default order
 * (fast retransmission before out-of-order: tcp.fastrt_supersedes_ooo). */
static uint32_t check_retransmission(const struct sk_tcp_conv *t, const struct sk_tcp_side *f,
                                     const struct sk_tcp_side *r, uint32_t seq, uint32_t len,
                                     uint8_t fl, int64_t now, uint32_t ev)
{
    if (!(len > 0 || (fl & (SK_TH_SYN | SK_TH_FIN))))
        return 0;
    if (ev & (1u << SK_EV_KEEPALIVE))
        return 0;

    bool not_advanced = f->next_seq && sk_seq_lt(seq, f->next_seq);
    /* More than one byte from one before nextseq: new data after a probe. */
    if (len > 1 && f->next_seq - 1 == seq)
        not_advanced = false;

    /* Everything in it was already acknowledged. */
    if (len > 0 && r->last_ack && sk_seq_le(seq + len, r->last_ack))
        return 1u << SK_EV_SPURIOUS_RETRANS | 1u << SK_EV_RETRANS;

    /* Times are compared as Wireshark does, unsigned: a clock that went
     * backwards gives a huge difference, never a small one. */
    uint64_t since_dup = (uint64_t)(now - r->last_ts);
    if (not_advanced && r->dup_acks >= 2 && r->last_ack == seq && since_dup < SK_FAST_RETRANS_NS)
        return 1u << SK_EV_FAST_RETRANS | 1u << SK_EV_RETRANS;

    uint64_t since_next = (uint64_t)(now - f->next_ts);
    uint64_t threshold = (t->flags & SK_TF_RTT) ? (uint64_t)t->rtt_ts : SK_OOO_DEFAULT_NS;
    uint32_t end = seq + len + ((fl & (SK_TH_SYN | SK_TH_FIN)) ? 1 : 0);
    if (not_advanced && since_next < threshold && f->next_seq != end)
        return 1u << SK_EV_OUT_OF_ORDER;

    return not_advanced ? 1u << SK_EV_RETRANS : 0;
}

void sk_tcpseq_analyze(struct sk_tcp_conv *t, int dir, const struct sk_packet *p,
                       uint32_t *events, uint32_t *aux)
{
    struct sk_tcp_side *f = &t->side[dir ? 1 : 0], *r = &t->side[dir ? 0 : 1];
    const uint32_t seq = p->tcp.seq, ack = p->tcp.ack, len = p->payload_len;
    const uint32_t win = p->tcp.win;
    const uint8_t fl = p->tcp.flags;
    const int64_t now = p->ts_ns;
    const uint32_t prev_ack = f->last_ack;

    before_analysis(f, seq, fl);
    set_bases(f, r, seq, ack, fl);

    uint32_t ev = check_forward(f, r, seq, ack, len, fl, win, aux);

    /* A new ACK number ends a run of duplicates. */
    if (ack != f->last_ack) {
        f->dup_acks = 0;
        f->aflags &= (uint8_t)~SK_AF_DUP_NEUTRAL;
    }

    /* It acknowledges more than the peer's contiguous data: the capture
     * missed a segment that the sender did receive. Said once per loss: a
     * report is renewed only when the peer's own segments show a new gap
     * (or its ACK number moves). Wireshark 4.0.17 behaves so; the source we
     * read differs here, so these rules were fixed against tshark 4.0.17
     * itself on the probes of tests/data/tcp-craft.py (ports 40010-40017). */
    if (r->ack_limit && sk_seq_gt(ack, r->ack_limit) && (fl & SK_TH_ACK)) {
        /* Unsigned on purpose, as Wireshark compares them. */
        if (r->ack_limit > r->next_seq) {
            r->ack_limit = r->next_seq;
            ev |= 1u << SK_EV_ACKED_UNSEEN;
        } else if (r->aflags & SK_AF_GAP) {
            r->ack_limit = r->next_seq;
            r->aflags &= (uint8_t)~SK_AF_GAP;
            ev |= 1u << SK_EV_ACKED_UNSEEN;
        } else {
            if (dupack_is_zero(r))
                ev |= 1u << SK_EV_ACKED_UNSEEN;
            r->dup_acks = 0;
            r->aflags |= SK_AF_DUP_NEUTRAL;
        }
    }

    ev |= check_retransmission(t, f, r, seq, len, fl, now, ev);

    /* Advance nextseq; a zero-window probe does not. */
    uint32_t next = seq + len;
    if ((len || (fl & (SK_TH_SYN | SK_TH_FIN))) && f->unacked < SK_MAX_UNACKED) {
        f->unacked++;
        if (fl & (SK_TH_SYN | SK_TH_FIN))
            next++;
    }
    const bool probe = ev & (1u << SK_EV_ZERO_WINDOW_PROBE);
    if ((sk_seq_gt(next, f->next_seq) || !f->next_seq) && !probe) {
        f->next_seq = next;
        f->next_ts = now;
    }
    if ((seq == f->ack_limit || !f->ack_limit) && !probe) {
        f->ack_limit = f->next_seq;
        f->aflags &= (uint8_t)~SK_AF_GAP; /* the hole is filled */
    }

    f->raw_win = (uint16_t)win;
    f->aflags |= SK_AF_WIN;
    f->last_ack = ack;
    f->last_ts = now;
    f->aflags &= (uint8_t)~(SK_AF_LAST_KA | SK_AF_LAST_ZWP);
    if (ev & (1u << SK_EV_KEEPALIVE))
        f->aflags |= SK_AF_LAST_KA;
    if (probe)
        f->aflags |= SK_AF_LAST_ZWP;

    /* The peer's acknowledged segments leave Wireshark's list (see the top). */
    if ((fl & SK_TH_ACK) && sk_seq_gt(ack, prev_ack))
        r->unacked = 0;

    /* What dissect_tcp does after the analysis: the SYN time and the
     * handshake's RTT (the first ACK without SYN after a SYN, either way),
     * the window-scale option, and whether window scaling is in use. */
    if ((fl & (SK_TH_SYN | SK_TH_ACK)) == SK_TH_SYN && !(t->flags & SK_TF_RTT)) {
        /* Time zero is Wireshark's "no SYN seen". */
        t->rtt_ts = now;
        t->flags = (uint8_t)((t->flags & ~SK_TF_SYN_TS) | (now != 0 ? SK_TF_SYN_TS : 0));
    }
    if (fl & SK_TH_SYN)
        f->aflags |= SK_AF_FIRST_ACK;
    if ((fl & (SK_TH_SYN | SK_TH_ACK)) == SK_TH_ACK) {
        if ((t->flags & (SK_TF_SYN_TS | SK_TF_RTT)) == SK_TF_SYN_TS && now != t->rtt_ts) {
            t->rtt_ts = now - t->rtt_ts;
            t->flags |= SK_TF_RTT;
        }
        f->aflags &= (uint8_t)~SK_AF_FIRST_ACK;
    }
    if (p->tcp.opt.has_wscale)
        f->ws = (int8_t)(p->tcp.opt.wscale > 14 ? 14 : p->tcp.opt.wscale);
    if (fl & SK_TH_SYN) {
        if (f->ws == -1)
            f->ws = r->ws = -2;
        else if ((fl & SK_TH_ACK) && r->ws == -2)
            f->ws = -2;
    }

    *events |= ev;
}
