/* tcp.c — TCP tracking: both ends' RFC 9293 states and the events a teacher names (see tcp.h).
 *
 * The states follow RFC 9293 Figure 5, read at the capture point: a segment
 * moves its sender along a "snd" edge and its receiver along a "rcv" edge at
 * the same moment. When a segment proves that its sender received something
 * the capture missed (an ACK from SYN_SENT: the SYN-ACK arrived; data from
 * SYN_RECEIVED: the handshake ACK arrived), the sender is moved first, as the
 * missing segment would have moved it. Wireshark's analysis events come from
 * tcpseq.c.
 */
#include "tcp.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "i18n.h"
#include "tcpseq.h"

/* Bits of sk_tcp_conv.flags kept here (tcpseq.h has the analysis' bits). */
enum {
    SK_TF_INIT = 0x04,      /* sk_tcp_init has run */
    SK_TF_MIDSTREAM = 0x08, /* the first segment, still to be tracked, is not a SYN */
    SK_TF_PURE_SYN = 0x10,  /* << side: that side sent a SYN without ACK (0x10, 0x20) */
    SK_TF_RST = 0x40        /* a RST was seen: the connection is over */
};

#define EV(e) (1u << (e))

/* ------------------------------------------------------------------ names */

static const char *const state_names[SK_ST__COUNT] = {
    [SK_ST_UNKNOWN] = "?",
    [SK_ST_CLOSED] = "CLOSED",
    [SK_ST_LISTEN] = "LISTEN",
    [SK_ST_SYN_SENT] = "SYN_SENT",
    [SK_ST_SYN_RECEIVED] = "SYN_RECEIVED",
    [SK_ST_ESTABLISHED] = "ESTABLISHED",
    [SK_ST_FIN_WAIT_1] = "FIN_WAIT_1",
    [SK_ST_FIN_WAIT_2] = "FIN_WAIT_2",
    [SK_ST_CLOSE_WAIT] = "CLOSE_WAIT",
    [SK_ST_CLOSING] = "CLOSING",
    [SK_ST_LAST_ACK] = "LAST_ACK",
    [SK_ST_TIME_WAIT] = "TIME_WAIT",
};

const char *sk_state_name(enum sk_state s)
{
    if ((unsigned)s >= SK_ST__COUNT)
        return "?";
    return state_names[s];
}

/* Other spellings: the kernel's (/proc/net/tcp, TCP_INFO names), ss(8)'s
 * after '-' became '_', netstat's. */
static const struct {
    const char *name;
    enum sk_state state;
} state_aliases[] = {
    {"SYN_RECV", SK_ST_SYN_RECEIVED},   {"FIN_WAIT1", SK_ST_FIN_WAIT_1},
    {"FIN_WAIT2", SK_ST_FIN_WAIT_2},    {"CLOSE", SK_ST_CLOSED},
    {"ESTAB", SK_ST_ESTABLISHED},       {"CLOSED_WAIT", SK_ST_CLOSE_WAIT},
};

enum sk_state sk_state_from_name(const char *name)
{
    char up[16];
    size_t n = 0;
    if (!name)
        return SK_ST_UNKNOWN;
    for (; name[n] && n < sizeof up - 1; n++)
        up[n] = name[n] == '-' ? '_' : (char)toupper((unsigned char)name[n]);
    if (name[n])
        return SK_ST_UNKNOWN;
    up[n] = '\0';
    for (int s = SK_ST_CLOSED; s < SK_ST__COUNT; s++)
        if (strcmp(up, state_names[s]) == 0)
            return (enum sk_state)s;
    for (size_t i = 0; i < sizeof state_aliases / sizeof state_aliases[0]; i++)
        if (strcmp(up, state_aliases[i].name) == 0)
            return state_aliases[i].state;
    return SK_ST_UNKNOWN;
}

static const char *const event_names[SK_EV__COUNT] = {
    [SK_EV_SYN] = "syn",
    [SK_EV_SYNACK] = "syn-ack",
    [SK_EV_HS_ACK] = "handshake-ack",
    [SK_EV_SIM_OPEN] = "simultaneous-open",
    [SK_EV_DATA] = "data",
    [SK_EV_ACK] = "ack",
    [SK_EV_FIN] = "fin",
    [SK_EV_HALF_CLOSE] = "half-close",
    [SK_EV_FIN_ACKED] = "fin-acked",
    [SK_EV_SIM_CLOSE] = "simultaneous-close",
    [SK_EV_RST] = "rst",
    [SK_EV_REFUSED] = "refused",
    [SK_EV_RETRANS] = "retransmission",
    [SK_EV_FAST_RETRANS] = "fast-retransmission",
    [SK_EV_SPURIOUS_RETRANS] = "spurious-retransmission",
    [SK_EV_OUT_OF_ORDER] = "out-of-order",
    [SK_EV_LOST_SEGMENT] = "previous-segment-not-captured",
    [SK_EV_ACKED_UNSEEN] = "acked-unseen-segment",
    [SK_EV_DUP_ACK] = "duplicate-ack",
    [SK_EV_ZERO_WINDOW] = "zero-window",
    [SK_EV_ZERO_WINDOW_PROBE] = "zero-window-probe",
    [SK_EV_WINDOW_UPDATE] = "window-update",
    [SK_EV_WINDOW_FULL] = "window-full",
    [SK_EV_KEEPALIVE] = "keep-alive",
    [SK_EV_KEEPALIVE_ACK] = "keep-alive-ack",
    [SK_EV_MIDSTREAM] = "mid-stream",
    [SK_EV_PORT_REUSE] = "port-reuse",
    [SK_EV_UDP] = "datagram",
    [SK_EV_ICMP_UNREACH] = "icmp-unreachable",
    [SK_EV_FRAGMENT] = "ip-fragment",
    [SK_EV_BAD_PACKET] = "malformed",
};

const char *sk_event_name(enum sk_event e)
{
    if ((unsigned)e >= SK_EV__COUNT)
        return "?";
    return event_names[e];
}

static const char *const open_names[] = {
    [SK_OPEN_NONE] = N_("not opened"),
    [SK_OPEN_HANDSHAKE] = N_("handshake"),
    [SK_OPEN_SIMULTANEOUS] = N_("simultaneous open"),
    [SK_OPEN_MIDSTREAM] = N_("opened before the capture"),
    [SK_OPEN_SYN_ONLY] = N_("handshake not completed"),
    [SK_OPEN_REFUSED] = N_("refused"),
};

static const char *const end_names[] = {
    [SK_END_OPEN] = N_("still open"),
    [SK_END_FIN_CLIENT] = N_("client closed first"),
    [SK_END_FIN_SERVER] = N_("server closed first"),
    [SK_END_SIM_CLOSE] = N_("simultaneous close"),
    [SK_END_HALF_CLOSED] = N_("half-closed"),
    [SK_END_RST_CLIENT] = N_("reset by client"),
    [SK_END_RST_SERVER] = N_("reset by server"),
};

const char *sk_open_name(enum sk_open o)
{
    if ((unsigned)o >= sizeof open_names / sizeof open_names[0])
        return "?";
    return open_names[o];
}

const char *sk_end_name(enum sk_end e)
{
    if ((unsigned)e >= sizeof end_names / sizeof end_names[0])
        return "?";
    return end_names[e];
}

/* ------------------------------------------------------------------ states */

/* Does ack acknowledge r's SYN? A SYN the capture missed is taken as acknowledged. */
static bool acks_syn(const struct sk_tcp_side *r, uint32_t ack)
{
    if (!(r->flags & SK_SIDE_SYN))
        return true;
    return sk_seq_gt(ack, r->isn) && sk_seq_le(ack, r->max_seq);
}

static bool is_closed(uint8_t st)
{
    return st == SK_ST_CLOSED || st == SK_ST_TIME_WAIT;
}

/* A SYN without ACK from s: an active open, or the second half of a
 * simultaneous open when r's own SYN came first. */
static uint32_t on_syn(struct sk_tcp_conv *t, int dir, struct sk_tcp_side *s, struct sk_tcp_side *r)
{
    uint32_t ev = EV(SK_EV_SYN);
    if (s->flags & SK_SIDE_SYN)
        return ev; /* retransmitted: the states moved the first time */
    s->flags |= SK_SIDE_SYN;
    t->flags |= (uint8_t)(SK_TF_PURE_SYN << dir);
    if (t->flags & (SK_TF_PURE_SYN << !dir)) {
        /* The SYNs crossed: each side, in SYN_SENT, receives the other's SYN. */
        ev |= EV(SK_EV_SIM_OPEN);
        s->state = SK_ST_SYN_RECEIVED;
        if (r->state == SK_ST_SYN_SENT)
            r->state = SK_ST_SYN_RECEIVED;
        t->opened = SK_OPEN_SIMULTANEOUS;
        return ev;
    }
    if (s->state <= SK_ST_LISTEN) /* UNKNOWN, CLOSED, LISTEN: connect() */
        s->state = SK_ST_SYN_SENT;
    if (r->state <= SK_ST_LISTEN) /* the listener receives it */
        r->state = SK_ST_SYN_RECEIVED;
    if (t->opened == SK_OPEN_NONE)
        t->opened = SK_OPEN_SYN_ONLY;
    return ev;
}

/* A SYN-ACK from s: s received a SYN (maybe not captured); r's SYN is
 * acknowledged, which establishes r. */
static uint32_t on_synack(struct sk_tcp_conv *t, struct sk_tcp_side *s, struct sk_tcp_side *r,
                          uint32_t ack)
{
    s->flags |= SK_SIDE_SYN;
    /* Not from CLOSED: a SYN-ACK that crossed a RST does not reopen anything. */
    if (s->state == SK_ST_UNKNOWN || s->state == SK_ST_LISTEN || s->state == SK_ST_SYN_SENT)
        s->state = SK_ST_SYN_RECEIVED;
    if ((r->state == SK_ST_SYN_SENT || r->state == SK_ST_SYN_RECEIVED) && acks_syn(r, ack))
        r->state = SK_ST_ESTABLISHED;
    if (t->opened == SK_OPEN_NONE)
        t->opened = SK_OPEN_SYN_ONLY;
    return EV(SK_EV_SYNACK);
}

static uint32_t on_rst(struct sk_tcp_conv *t, int dir, struct sk_tcp_side *s, struct sk_tcp_side *r,
                       uint8_t fl, uint32_t ack)
{
    uint32_t ev = EV(SK_EV_RST);
    if ((fl & SK_TH_ACK) && r->state == SK_ST_SYN_SENT && (r->flags & SK_SIDE_SYN) &&
        acks_syn(r, ack)) {
        ev |= EV(SK_EV_REFUSED); /* connect() fails with ECONNREFUSED */
        t->opened = SK_OPEN_REFUSED;
    }
    s->flags |= SK_SIDE_RST;
    t->flags |= SK_TF_RST;
    s->state = SK_ST_CLOSED;
    r->state = SK_ST_CLOSED;
    /* A RST after both FINs answers a stray segment: the close was graceful. */
    if (t->ended == SK_END_OPEN || t->ended == SK_END_HALF_CLOSED)
        t->ended = dir == SK_C2S ? SK_END_RST_CLIENT : SK_END_RST_SERVER;
    return ev;
}

/* r learns that its FIN arrived. */
static uint32_t on_fin_acked(struct sk_tcp_side *r)
{
    r->flags |= SK_SIDE_FIN_ACKED;
    switch (r->state) {
    case SK_ST_FIN_WAIT_1: r->state = SK_ST_FIN_WAIT_2; break;
    case SK_ST_CLOSING: r->state = SK_ST_TIME_WAIT; break;
    case SK_ST_LAST_ACK: r->state = SK_ST_CLOSED; break;
    default: break;
    }
    return EV(SK_EV_FIN_ACKED);
}

/* The first FIN s sends. If r has sent a FIN that this segment does not
 * acknowledge (nor did an earlier one), the two FINs crossed. */
static uint32_t on_fin(struct sk_tcp_conv *t, int dir, struct sk_tcp_side *s, struct sk_tcp_side *r,
                       uint32_t fin_seq)
{
    uint32_t ev = EV(SK_EV_FIN);
    if (s->flags & SK_SIDE_FIN)
        return ev; /* retransmitted */
    s->flags |= SK_SIDE_FIN;
    s->fin_seq = fin_seq;
    if ((r->flags & SK_SIDE_FIN) && !(r->flags & SK_SIDE_FIN_ACKED)) {
        /* Each side sent its FIN from ESTABLISHED (FIN_WAIT_1) and then
         * received the other's: CLOSING on both, TIME_WAIT for both later. */
        ev |= EV(SK_EV_SIM_CLOSE);
        s->state = SK_ST_CLOSING;
        if (r->state == SK_ST_FIN_WAIT_1)
            r->state = SK_ST_CLOSING;
        t->ended = SK_END_SIM_CLOSE;
        return ev;
    }
    switch (s->state) { /* close() or shutdown(SHUT_WR) */
    case SK_ST_CLOSE_WAIT: s->state = SK_ST_LAST_ACK; break;
    case SK_ST_UNKNOWN:
    case SK_ST_SYN_RECEIVED:
    case SK_ST_ESTABLISHED: s->state = SK_ST_FIN_WAIT_1; break;
    default: break;
    }
    switch (r->state) { /* read() will return 0 */
    case SK_ST_UNKNOWN:
    case SK_ST_SYN_RECEIVED:
    case SK_ST_ESTABLISHED: r->state = SK_ST_CLOSE_WAIT; break;
    case SK_ST_FIN_WAIT_1: r->state = SK_ST_CLOSING; break;
    case SK_ST_FIN_WAIT_2: r->state = SK_ST_TIME_WAIT; break;
    default: break;
    }
    if (!t->first_fin) {
        t->first_fin = (uint8_t)(1 + dir);
        t->ended = SK_END_HALF_CLOSED;
    } else if (t->ended == SK_END_HALF_CLOSED) {
        t->ended = t->first_fin == 1 ? SK_END_FIN_CLIENT : SK_END_FIN_SERVER;
    }
    return ev;
}

/* A segment without SYN or RST: what its ACK tells the receiver, then its FIN. */
static uint32_t on_segment(struct sk_tcp_conv *t, int dir, struct sk_tcp_side *s,
                           struct sk_tcp_side *r, const struct sk_packet *p)
{
    const uint8_t fl = p->tcp.flags;
    const uint32_t len = p->payload_len, ack = p->tcp.ack;
    uint32_t ev = 0;

    /* What the sender must have received for it to send this. */
    if ((fl & SK_TH_ACK) && s->state == SK_ST_SYN_SENT)
        s->state = SK_ST_ESTABLISHED; /* a SYN-ACK the capture missed */
    if ((len || (fl & SK_TH_FIN)) && s->state == SK_ST_SYN_RECEIVED)
        s->state = SK_ST_ESTABLISHED; /* a handshake ACK the capture missed */

    /* Data from the side that has read the peer's FIN (read() returned 0)
     * and not closed its own direction: the connection is half-closed. */
    if (len && s->state == SK_ST_CLOSE_WAIT)
        ev |= EV(SK_EV_HALF_CLOSE);

    if (fl & SK_TH_ACK) {
        if (r->state == SK_ST_SYN_RECEIVED && acks_syn(r, ack)) {
            r->state = SK_ST_ESTABLISHED; /* accept() can return */
            ev |= EV(SK_EV_HS_ACK);
            if (t->opened == SK_OPEN_NONE || t->opened == SK_OPEN_SYN_ONLY)
                t->opened = SK_OPEN_HANDSHAKE;
        }
        if ((r->flags & (SK_SIDE_FIN | SK_SIDE_FIN_ACKED)) == SK_SIDE_FIN &&
            sk_seq_gt(ack, r->fin_seq))
            ev |= on_fin_acked(r);
    }
    if (fl & SK_TH_FIN)
        ev |= on_fin(t, dir, s, r, p->tcp.seq + len);
    return ev;
}

/* ------------------------------------------------------------------ public */

void sk_tcp_init(struct sk_tcp_conv *t, int dir, const struct sk_packet *p)
{
    struct sk_tcp_side *s = &t->side[dir ? 1 : 0], *r = &t->side[dir ? 0 : 1];
    const uint8_t fl = p->tcp.flags;

    for (int i = 0; i < 2; i++) {
        t->side[i].ws = -1;
        t->side[i].wscale = -1;
    }
    t->flags |= SK_TF_INIT;
    if (p->l4 != SK_L4_TCP || (fl & SK_TH_RST))
        return; /* a lone RST says nothing of what came before */
    if ((fl & (SK_TH_SYN | SK_TH_ACK)) == SK_TH_SYN) {
        s->state = SK_ST_CLOSED;
        r->state = SK_ST_LISTEN;
    } else if (fl & SK_TH_SYN) {
        s->state = SK_ST_SYN_RECEIVED; /* the SYN it answers was not captured */
        r->state = SK_ST_SYN_SENT;
    } else {
        s->state = r->state = SK_ST_ESTABLISHED;
        t->flags |= SK_TF_MIDSTREAM;
        t->opened = SK_OPEN_MIDSTREAM;
    }
}

/* The fields of tcp.h that describe the sender, from this segment. */
static void update_sender(struct sk_tcp_side *s, struct sk_tcp_side *r, const struct sk_packet *p)
{
    const uint8_t fl = p->tcp.flags;
    const struct sk_tcp_options *o = &p->tcp.opt;
    uint32_t end = p->tcp.seq + p->payload_len + ((fl & SK_TH_SYN) ? 1 : 0) +
                   ((fl & SK_TH_FIN) ? 1 : 0);

    if (!(s->aflags & SK_AF_SENT) || sk_seq_gt(end, s->max_seq))
        s->max_seq = end;
    s->aflags |= SK_AF_SENT;
    if (fl & SK_TH_ACK)
        s->flags |= SK_SIDE_ACKED;
    else
        s->flags &= (uint8_t)~SK_SIDE_ACKED;
    if (fl & SK_TH_SYN) {
        if (o->has_mss)
            s->mss = o->mss;
        if (o->sack_perm)
            s->flags |= SK_SIDE_SACK;
    }
    if (o->has_ts)
        s->flags |= SK_SIDE_TS;
    /* Scaling is in use only when both SYNs offered it (RFC 7323 §2.2). */
    bool both = s->ws >= 0 && r->ws >= 0;
    s->wscale = both ? s->ws : -1;
    r->wscale = both ? r->ws : -1;
    /* A SYN's window is never scaled. */
    s->win = ((fl & SK_TH_SYN) || s->wscale < 0) ? p->tcp.win
                                                : (uint32_t)p->tcp.win << s->wscale;
}

void sk_tcp_track(struct sk_tcp_conv *t, int dir, const struct sk_packet *p,
                  struct sk_tcp_result *res)
{
    dir = dir ? 1 : 0;
    struct sk_tcp_side *s = &t->side[dir], *r = &t->side[!dir];
    uint32_t ev = 0, aux = 0;

    if (!(t->flags & SK_TF_INIT))
        sk_tcp_init(t, dir, p);
    res->before[SK_CLIENT] = t->side[SK_CLIENT].state;
    res->before[SK_SERVER] = t->side[SK_SERVER].state;

    if (p->l4 == SK_L4_TCP) {
        const uint8_t fl = p->tcp.flags;
        sk_tcpseq_analyze(t, dir, p, &ev, &aux);
        update_sender(s, r, p);
        if (fl & SK_TH_RST)
            ev |= on_rst(t, dir, s, r, fl, p->tcp.ack);
        else if ((fl & (SK_TH_SYN | SK_TH_ACK)) == SK_TH_SYN)
            ev |= on_syn(t, dir, s, r);
        else if (fl & SK_TH_SYN)
            ev |= on_synack(t, s, r, p->tcp.ack);
        else
            ev |= on_segment(t, dir, s, r, p);
        if (p->payload_len)
            ev |= EV(SK_EV_DATA);
        else if ((fl & (SK_TH_ACK | SK_TH_SYN | SK_TH_FIN | SK_TH_RST)) == SK_TH_ACK)
            ev |= EV(SK_EV_ACK);
        if (t->flags & SK_TF_MIDSTREAM)
            ev |= EV(SK_EV_MIDSTREAM);
        t->flags &= (uint8_t)~SK_TF_MIDSTREAM;
    }

    res->events = ev;
    res->aux = (ev & EV(SK_EV_DUP_ACK)) ? aux : 0;
    res->after[SK_CLIENT] = t->side[SK_CLIENT].state;
    res->after[SK_SERVER] = t->side[SK_SERVER].state;
}

bool sk_tcp_is_new_connection(const struct sk_tcp_conv *t, int dir, const struct sk_packet *p)
{
    const struct sk_tcp_side *s = &t->side[dir ? 1 : 0], *r = &t->side[dir ? 0 : 1];
    if (p->l4 != SK_L4_TCP ||
        (p->tcp.flags & (SK_TH_SYN | SK_TH_ACK | SK_TH_RST)) != SK_TH_SYN)
        return false;
    if (!(s->flags & SK_SIDE_ISN) || p->tcp.seq == s->isn)
        return false; /* nothing to compare with, or the same SYN again */
    if ((t->flags & SK_TF_RST) || (is_closed(s->state) && is_closed(r->state)))
        return true;
    /* Far outside anything the receiver would accept: not this connection. */
    uint32_t w = r->win > 65535 ? r->win : 65535;
    uint32_t d = p->tcp.seq - s->max_seq;
    return d > w && (uint32_t)(0u - d) > w;
}

uint32_t sk_tcp_rel_seq(const struct sk_tcp_conv *t, int dir, uint32_t seq)
{
    const struct sk_tcp_side *s = &t->side[dir ? 1 : 0];
    return (s->flags & SK_SIDE_ISN) ? seq - s->isn : 0;
}

uint32_t sk_tcp_rel_ack(const struct sk_tcp_conv *t, int dir, uint32_t ack)
{
    const struct sk_tcp_side *r = &t->side[dir ? 0 : 1];
    return (r->flags & SK_SIDE_ISN) ? ack - r->isn : 0;
}

uint8_t sk_tcp_shown_states(const struct sk_tcp_conv *t, uint8_t states)
{
    if (t->opened == SK_OPEN_REFUSED)
        return (uint8_t)((states & 0x0f) | SK_ST_CLOSED << 4);
    return states;
}
