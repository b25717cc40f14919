/* explain.c — a teacher's sentences for each packet, numbers filled in (see explain.h).
 *
 * Every sentence is a whole gettext msgid with printf placeholders, so a
 * translator always sees a complete sentence; a sentence that names the
 * client or the server comes in two msgids, one for each. State names are
 * RFC 9293's and are never translated. Nothing is allocated: the text is
 * written into the caller's buffer, cut at a UTF-8 character boundary when
 * the buffer is short.
 */
#include "explain.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "tcp.h"

#define EV(e) (1u << (e))
#define HAS(r, e) (((r)->events >> (e)) & 1u)

/* ------------------------------------------------------------------ output */

struct out {
    char *buf;
    size_t n;       /* buffer size */
    size_t len;     /* bytes written, NUL excluded */
    int sentences;  /* sentences written */
    int max;        /* sentences allowed (1 short, 3 long) */
};

/* Cuts s[0..len) back to the start of an incomplete UTF-8 sequence, if any. */
static size_t utf8_cut(const char *s, size_t len)
{
    size_t i = len;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return len;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return (len - (i - 1) < need) ? i - 1 : len;
}

/* Appends one sentence (a space before all but the first). */
static void say(struct out *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void say(struct out *o, const char *fmt, ...)
{
    if (o->sentences >= o->max || o->n == 0 || o->len + 1 >= o->n)
        return;
    size_t start = o->len;
    /* Sentences are joined by a space, but not after a wide full stop ("。"
     * of a translation: it has its own room). */
    if (o->sentences > 0 && o->len > 0 && (unsigned char)o->buf[o->len - 1] < 0x80) {
        o->buf[o->len++] = ' ';
        o->buf[o->len] = '\0';
    }
    size_t room = o->n - o->len;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(o->buf + o->len, room, fmt, ap);
    va_end(ap);
    if (w < 0) {
        o->len = start;
        o->buf[o->len] = '\0';
        return;
    }
    if ((size_t)w >= room)
        o->len = utf8_cut(o->buf, o->n - 1);
    else
        o->len += (size_t)w;
    o->buf[o->len] = '\0';
    o->sentences++;
}

/* ------------------------------------------------------------------ context */

/* What the sentences need to know about one record. */
struct ctx {
    const struct sk_rec *r;
    const struct sk_rec *prev;    /* the conversation's previous record, or NULL */
    const struct sk_conv *c;      /* NULL: no conversation */
    const struct sk_tcp_side *s;  /* sender, NULL without conversation */
    const struct sk_tcp_side *p;  /* peer */
    int dir;                      /* SK_C2S / SK_S2C */
    uint32_t seq, ack;            /* relative when the ISNs are known, else raw */
    uint32_t len;
    uint8_t before[2], after[2];  /* states of client and server */
};

static bool seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }

/* The states before r: those after the previous record, or for the first
 * packet of a conversation what the tracker assumes (sk_tcp_init). */
static void states_before(const struct sk_rec *r, const struct sk_rec *prev, uint8_t b[2])
{
    if (prev) {
        b[SK_CLIENT] = (uint8_t)sk_rec_client_state(prev);
        b[SK_SERVER] = (uint8_t)sk_rec_server_state(prev);
        return;
    }
    int d = sk_rec_dir(r);
    if (sk_rec_kind(r) != SK_K_TCP || (r->flags & SK_TH_RST)) {
        b[0] = b[1] = SK_ST_UNKNOWN;
    } else if ((r->flags & (SK_TH_SYN | SK_TH_ACK)) == SK_TH_SYN) {
        b[d] = SK_ST_CLOSED;
        b[!d] = SK_ST_LISTEN;
    } else if (r->flags & SK_TH_SYN) {
        b[d] = SK_ST_SYN_RECEIVED;
        b[!d] = SK_ST_SYN_SENT;
    } else {
        b[0] = b[1] = SK_ST_ESTABLISHED;
    }
}

static void ctx_init(struct ctx *x, const struct sk_rec *r, const struct sk_rec *prev,
                     const struct sk_conv *c)
{
    memset(x, 0, sizeof *x);
    x->r = r;
    x->prev = prev;
    x->c = c;
    x->dir = sk_rec_dir(r);
    x->len = r->len;
    x->seq = r->seq;
    x->ack = r->ack;
    if (c && c->proto == 6) {
        x->s = &c->tcp.side[x->dir];
        x->p = &c->tcp.side[!x->dir];
        if (x->s->flags & SK_SIDE_ISN)
            x->seq = sk_tcp_rel_seq(&c->tcp, x->dir, r->seq);
        if (x->p->flags & SK_SIDE_ISN)
            x->ack = sk_tcp_rel_ack(&c->tcp, x->dir, r->ack);
    }
    states_before(r, prev, x->before);
    x->after[SK_CLIENT] = (uint8_t)sk_rec_client_state(r);
    x->after[SK_SERVER] = (uint8_t)sk_rec_server_state(r);
    if (c && c->proto == 6) { /* what the whole capture showed (sk_tcp_shown_states) */
        uint8_t b = sk_tcp_shown_states(&c->tcp, (uint8_t)(x->before[0] | x->before[1] << 4));
        uint8_t a = sk_tcp_shown_states(&c->tcp, (uint8_t)(x->after[0] | x->after[1] << 4));
        x->before[SK_CLIENT] = b & 0x0f;
        x->before[SK_SERVER] = b >> 4;
        x->after[SK_CLIENT] = a & 0x0f;
        x->after[SK_SERVER] = a >> 4;
    }
}

static const char *st(uint8_t s) { return sk_state_name((enum sk_state)s); }

static bool states_moved(const struct ctx *x)
{
    return x->before[0] != x->after[0] || x->before[1] != x->after[1];
}

/* The window the sender offers, in bytes, as the receiver reads it. */
static uint32_t window_bytes(const struct ctx *x)
{
    if (!x->s || (x->r->flags & SK_TH_SYN) || x->s->wscale < 0)
        return x->r->win;
    return (uint32_t)x->r->win << x->s->wscale;
}

/* Does the ACK cover the peer's FIN (one more number than its bytes)? */
static bool peer_fin_acked(const struct ctx *x)
{
    return x->p && (x->p->flags & SK_SIDE_FIN) && seq_gt(x->r->ack, x->p->fin_seq);
}

/* ------------------------------------------------------------------ sentences */

/* How the states moved: one sentence, only if one did. */
static void say_states(struct out *o, const struct ctx *x)
{
    bool cc = x->before[SK_CLIENT] != x->after[SK_CLIENT];
    bool sc = x->before[SK_SERVER] != x->after[SK_SERVER];
    if (cc && sc)
        say(o, _("The client goes %s → %s; the server, %s → %s."), st(x->before[SK_CLIENT]),
            st(x->after[SK_CLIENT]), st(x->before[SK_SERVER]), st(x->after[SK_SERVER]));
    else if (cc)
        say(o, _("The client goes %s → %s."), st(x->before[SK_CLIENT]), st(x->after[SK_CLIENT]));
    else if (sc)
        say(o, _("The server goes %s → %s."), st(x->before[SK_SERVER]), st(x->after[SK_SERVER]));
    for (int side = 0; side < 2; side++) {
        if (x->after[side] == SK_ST_TIME_WAIT && x->before[side] != SK_ST_TIME_WAIT) {
            say(o, _("TIME_WAIT lasts 60 s on Linux (2 MSL), so that stray segments die out."));
            break;
        }
    }
}

/* The acknowledgement number, spelled out. */
static void say_ack_arithmetic(struct out *o, const struct ctx *x)
{
    if (!(x->r->flags & SK_TH_ACK))
        return;
    if (!x->p || !(x->p->flags & SK_SIDE_SYN)) {
        say(o, _("ack %u: everything before byte %u has arrived."), x->ack, x->ack);
        return;
    }
    bool fin = peer_fin_acked(x);
    uint32_t bytes = x->ack - 1 - (fin ? 1 : 0);
    if (fin)
        say(o, _("ack %u = %u bytes received + 1 for the SYN + 1 for the FIN."), x->ack, bytes);
    else
        say(o, _("ack %u = %u bytes received + 1 for the SYN."), x->ack, bytes);
}

static void say_syn(struct out *o, const struct ctx *x, bool lng)
{
    const struct sk_rec *r = x->r;
    if (HAS(r, SK_EV_SIM_OPEN)) {
        say(o, _("Simultaneous open: both sides sent a SYN."));
        if (lng) {
            say(o, _("This SYN crossed the other one: both sides called connect(), each "
                     "answers with SYN-ACK, and both end ESTABLISHED without listen()."));
            say_states(o, x);
        }
        return;
    }
    if (!lng) {
        say(o, x->dir ? _("Handshake 1/3: the server asks to connect (SYN).")
                      : _("Handshake 1/3: the client asks to connect (SYN)."));
        return;
    }
    uint16_t dport = x->c ? x->c->port[!x->dir] : 0;
    /* The shift this SYN offered (wscale says only what both agreed on). */
    int ws = x->s ? (x->s->ws >= 0 ? x->s->ws : x->s->wscale) : -1;
    if (x->s && x->s->mss && ws >= 0)
        say(o, _("Handshake 1/3: connect() sends a SYN to port %u, offering MSS %u and "
                 "window scale %d (windows count in units of %u bytes)."),
            dport, x->s->mss, ws, 1u << ws);
    else if (x->s && x->s->mss)
        say(o, _("Handshake 1/3: connect() sends a SYN to port %u, offering MSS %u."), dport,
            x->s->mss);
    else
        say(o, _("Handshake 1/3: connect() sends a SYN to port %u."), dport);
    if (x->s && (x->s->flags & SK_SIDE_ISN) && x->len)
        say(o, _("Its ISN is %u, shown as 0; it already carries %u bytes of data (TCP Fast "
                 "Open)."),
            x->s->isn, x->len);
    else if (x->s && (x->s->flags & SK_SIDE_ISN))
        say(o, _("Its ISN is %u, shown as 0: a SYN takes one sequence number, so the "
                 "data will start at 1."),
            x->s->isn);
    say_states(o, x);
}

static void say_synack(struct out *o, const struct ctx *x, bool lng)
{
    /* In a simultaneous open the receiver had sent its own SYN and is in
     * SYN_RECEIVED already; in a handshake it is still in SYN_SENT. */
    if (x->before[!x->dir] == SK_ST_SYN_RECEIVED || x->dir == SK_C2S) {
        say(o, x->dir ? _("Simultaneous open: the server answers with SYN-ACK.")
                      : _("Simultaneous open: the client answers with SYN-ACK."));
        if (lng) {
            say(o, x->dir ? _("It acknowledges the client's SYN, which crossed its own.")
                          : _("It acknowledges the server's SYN, which crossed its own."));
            say_states(o, x);
        }
        return;
    }
    if (!lng) {
        say(o, _("Handshake 2/3: the server accepts (SYN-ACK, ack %u)."), x->ack);
        return;
    }
    say(o, _("Handshake 2/3: the server's kernel answers for the listening socket "
             "(listen()); accept() has not returned yet."));
    bool rel = x->p && (x->p->flags & SK_SIDE_ISN);
    if (rel && x->ack > 1)
        say(o, _("ack %u = the client's ISN + 1 + the %u bytes its SYN carried (TCP Fast "
                 "Open)."),
            x->ack, x->ack - 1);
    else if (rel && x->s && (x->s->flags & SK_SIDE_ISN))
        say(o, _("ack %u = the client's ISN + 1: a SYN takes one sequence number; the "
                 "server's own ISN is %u, shown as 0."),
            x->ack, x->s->isn);
    say_states(o, x);
}

static void say_hs_ack(struct out *o, const struct ctx *x, bool lng)
{
    if (!lng) {
        say(o, _("Handshake 3/3: the client acknowledges the SYN-ACK (ack %u)."), x->ack);
        return;
    }
    say(o, _("Handshake 3/3: ack %u = the server's ISN + 1. connect() has returned in the "
             "client, and accept() can return the new socket in the server."),
        x->ack);
    say_states(o, x);
}

static void say_data(struct out *o, const struct ctx *x, bool lng)
{
    uint32_t last = x->seq + x->len - 1;
    if (!lng) {
        say(o, x->dir ? _("The server sends %u bytes (seq %u to %u).")
                      : _("The client sends %u bytes (seq %u to %u)."),
            x->len, x->seq, last);
        return;
    }
    say(o, _("%u bytes from write() go on the wire (one call, or several that TCP joined): "
             "seq %u is the first, and the next segment starts at %u (%u + %u)."),
        x->len, x->seq, x->seq + x->len, x->seq, x->len);
    say_ack_arithmetic(o, x);
    say(o, x->dir ? _("The client's read() returns these bytes; TCP keeps no message "
                      "boundaries.")
                  : _("The server's read() returns these bytes; TCP keeps no message "
                      "boundaries."));
}

static void say_half_close(struct out *o, const struct ctx *x, bool lng)
{
    if (lng)
        say(o, x->dir ? _("Half-close: the server sends %u bytes after the client's FIN.")
                      : _("Half-close: the client sends %u bytes after the server's FIN."),
            x->len);
    else
        say(o, x->dir ? _("Half-close: the server still sends (%u bytes).")
                      : _("Half-close: the client still sends (%u bytes)."),
            x->len);
    if (lng)
        say(o, x->dir ? _("A FIN closes one direction only: after shutdown(SHUT_WR) the client "
                          "still reads these bytes; had it called close(), it would answer "
                          "them with RST.")
                      : _("A FIN closes one direction only: after shutdown(SHUT_WR) the server "
                          "still reads these bytes; had it called close(), it would answer "
                          "them with RST."));
}

static void say_pure_ack(struct out *o, const struct ctx *x, bool lng)
{
    if (!lng) {
        /* Short, but still the arithmetic: "ack 14 = 13 bytes received + 1 for the SYN." */
        say_ack_arithmetic(o, x);
        return;
    }
    say(o, _("A pure ACK: no data, it only reports what has arrived."));
    say_ack_arithmetic(o, x);
    say(o, _("The window offers room for %u more bytes."), window_bytes(x));
}

static void say_fin(struct out *o, const struct ctx *x, bool lng)
{
    const struct sk_rec *r = x->r;
    uint32_t fin_no = x->seq + x->len;
    if (HAS(r, SK_EV_SIM_CLOSE)) {
        say(o, _("Simultaneous close: both FINs crossed."));
        if (lng) {
            say(o, _("Each side called close() before the other's FIN arrived, so neither "
                     "FIN acknowledges the other; both go through CLOSING to TIME_WAIT."));
            say_states(o, x);
        }
        return;
    }
    bool passive = x->before[x->dir] == SK_ST_CLOSE_WAIT;
    if (!lng) {
        if (x->len)
            say(o, x->dir ? _("The server sends its last %u bytes and closes (FIN).")
                          : _("The client sends its last %u bytes and closes (FIN)."),
                x->len);
        else if (passive)
            say(o, x->dir ? _("The server closes too (FIN), after read() returned 0.")
                          : _("The client closes too (FIN), after read() returned 0."));
        else
            say(o, x->dir ? _("The server closes its side (FIN): close() or shutdown().")
                          : _("The client closes its side (FIN): close() or shutdown()."));
        return;
    }
    if (x->len)
        say(o, x->dir ? _("The server's last %u bytes and its FIN travel in one segment: "
                          "after them, the client's read() will return 0.")
                      : _("The client's last %u bytes and its FIN travel in one segment: "
                          "after them, the server's read() will return 0."),
            x->len);
    else if (passive)
        say(o, x->dir ? _("FIN: the server closes its side too, after its read() returned 0 "
                          "on the client's FIN.")
                      : _("FIN: the client closes its side too, after its read() returned 0 "
                          "on the server's FIN."));
    else
        say(o, x->dir ? _("FIN: the server called close() or shutdown(SHUT_WR) and will send "
                          "no more data; the client's read() will return 0.")
                      : _("FIN: the client called close() or shutdown(SHUT_WR) and will send "
                          "no more data; the server's read() will return 0."));
    say(o, _("SYN and FIN each take one sequence number: this FIN is number %u, so the "
             "answer will be ack %u."),
        fin_no, fin_no + 1);
    say_states(o, x);
}

static void say_fin_acked(struct out *o, const struct ctx *x, bool lng)
{
    uint32_t fin_no = x->ack - 1;
    if (!lng) {
        say(o, x->dir ? _("ACK of the client's FIN (ack %u: +1 for the FIN).")
                      : _("ACK of the server's FIN (ack %u: +1 for the FIN)."),
            x->ack);
        return;
    }
    say(o, x->dir ? _("The server acknowledges the client's FIN, number %u.")
                  : _("The client acknowledges the server's FIN, number %u."),
        fin_no);
    say_ack_arithmetic(o, x);
    say_states(o, x);
}

static void say_rst(struct out *o, const struct ctx *x, bool lng)
{
    const struct sk_rec *r = x->r;
    uint16_t port = x->c ? x->c->port[x->dir] : 0;
    if (HAS(r, SK_EV_REFUSED)) {
        if (x->c)
            say(o, _("Connection refused: nothing listens on port %u (RST)."), port);
        else
            say(o, _("Connection refused: nothing listens on that port (RST)."));
        if (lng)
            say(o, _("The kernel answers the SYN with RST because no socket listens there, "
                     "and connect() fails with ECONNREFUSED."));
        return;
    }
    uint8_t was = x->before[x->dir];
    bool late = was == SK_ST_CLOSED || was == SK_ST_TIME_WAIT || was == SK_ST_LAST_ACK ||
                was == SK_ST_FIN_WAIT_1 || was == SK_ST_FIN_WAIT_2 || was == SK_ST_CLOSING;
    if (!lng) {
        if (late)
            say(o, x->dir ? _("RST: the server's socket is gone; it rejects the segment.")
                          : _("RST: the client's socket is gone; it rejects the segment."));
        else
            say(o, x->dir ? _("The server resets the connection (RST).")
                          : _("The client resets the connection (RST)."));
        return;
    }
    if (late)
        say(o, x->dir ? _("RST: the server had already closed its socket, so a segment that "
                          "reaches it is answered with a reset. The client's next read() "
                          "fails with ECONNRESET, a write() with EPIPE.")
                      : _("RST: the client had already closed its socket, so a segment that "
                          "reaches it is answered with a reset. The server's next read() "
                          "fails with ECONNRESET, a write() with EPIPE."));
    else
        say(o, x->dir ? _("RST: the server aborts the connection, e.g. close() with SO_LINGER "
                          "0 or with unread data. The client's next read() fails with "
                          "ECONNRESET, a write() with EPIPE.")
                      : _("RST: the client aborts the connection, e.g. close() with SO_LINGER "
                          "0 or with unread data. The server's next read() fails with "
                          "ECONNRESET, a write() with EPIPE."));
    say(o, _("Both ends are CLOSED at once: no FIN exchange, no TIME_WAIT."));
}

static void say_retransmission(struct out *o, const struct ctx *x, bool lng)
{
    const struct sk_rec *r = x->r;
    uint32_t last = x->seq + (x->len ? x->len - 1 : 0);
    if (HAS(r, SK_EV_FAST_RETRANS)) {
        say(o, _("Fast retransmission of seq %u after duplicate ACKs."), x->seq);
        if (lng)
            say(o, _("Duplicate ACKs kept asking for seq %u, so the sender resends it at once "
                     "instead of waiting for its timer (RFC 5681)."),
                x->seq);
        return;
    }
    if (HAS(r, SK_EV_SPURIOUS_RETRANS)) {
        say(o, _("Spurious retransmission: seq %u was already ACKed."), x->seq);
        if (lng)
            say(o, _("The receiver had already acknowledged seq %u to %u; an ACK lost or "
                     "delayed on the way made the sender resend them."),
                x->seq, last);
        return;
    }
    if ((r->flags & (SK_TH_SYN | SK_TH_ACK)) == SK_TH_SYN) {
        say(o, _("The SYN again: no SYN-ACK came back in time."));
        if (lng)
            say(o, _("connect() is still blocked; the kernel resends the SYN after 1 s, then "
                     "2 s, 4 s..."));
        return;
    }
    if (r->flags & SK_TH_SYN) {
        say(o, _("The SYN-ACK again: no handshake ACK came in time."));
        return;
    }
    if ((r->flags & SK_TH_FIN) && !x->len) {
        say(o, _("The FIN again: its ACK did not come back in time."));
        return;
    }
    say(o, _("Retransmission of seq %u: no ACK came in time."), x->seq);
    if (lng)
        say(o, _("Bytes %u to %u go out again because the retransmission timer (RTO) "
                 "expired before an ACK covered them."),
            x->seq, last);
}

static void say_analysis(struct out *o, const struct ctx *x, int ev, bool lng)
{
    const struct sk_rec *r = x->r;
    switch (ev) {
    case SK_EV_OUT_OF_ORDER:
        say(o, _("Out of order: seq %u arrives after later bytes."), x->seq);
        if (lng)
            say(o, _("These bytes arrive after bytes with higher numbers, too soon to be a "
                     "retransmission; the receiver's TCP puts them back in order before "
                     "read() sees them."));
        break;
    case SK_EV_LOST_SEGMENT:
        say(o, _("Gap: the capture missed the bytes before seq %u."), x->seq);
        if (lng)
            say(o, _("Either they were lost on the way, and the receiver's duplicate ACKs "
                     "will ask for them, or only the capture missed them."));
        break;
    case SK_EV_ACKED_UNSEEN:
        say(o, _("ACK %u covers data the capture never saw."), x->ack);
        if (lng)
            say(o, _("The receiver got bytes that this capture missed (common when a capture "
                     "starts in the middle of a transfer)."));
        break;
    case SK_EV_DUP_ACK:
        say(o, _("Duplicate ACK #%u: still asking for seq %u."), r->aux, x->ack);
        if (lng)
            say(o, _("A later segment arrived while seq %u is missing, so the receiver repeats "
                     "ack %u; after three duplicates the sender retransmits at once."),
                x->ack, x->ack);
        break;
    case SK_EV_ZERO_WINDOW:
        say(o, x->dir ? _("Zero window: the server's receive buffer is full.")
                      : _("Zero window: the client's receive buffer is full."));
        if (lng)
            say(o, _("Its application is not calling read(), so the kernel buffer filled up "
                     "and the sender must stop; it will probe until the window opens."));
        break;
    case SK_EV_ZERO_WINDOW_PROBE:
        say(o, _("Zero-window probe: is there room yet?"));
        if (lng)
            say(o, _("The sender's kernel pushes one byte into the closed window to learn when "
                     "it opens again; no write() caused it."));
        break;
    case SK_EV_WINDOW_UPDATE:
        say(o, _("Window update: room for %u bytes now."), window_bytes(x));
        if (lng)
            say(o, _("Only the window changed, not seq or ack: usually read() made room in the "
                     "receive buffer and TCP says so at once."));
        break;
    case SK_EV_WINDOW_FULL:
        say(o, _("Window full: this segment fills the receiver's window."));
        if (lng)
            say(o, _("The sender may not send more until an ACK opens the window again: the "
                     "receiver's application reads slower than the sender writes."));
        break;
    case SK_EV_KEEPALIVE:
        /* Linux probes a zero window with the same empty segment. */
        if (x->prev && sk_rec_dir(x->prev) != x->dir && x->prev->win == 0 &&
            !(x->prev->flags & (SK_TH_SYN | SK_TH_RST))) {
            say(o, _("Window probe: the window is 0; is there room yet?"));
            if (lng)
                say(o, _("The peer's window is 0, so the sender's kernel sends an empty segment "
                         "one before the next byte (seq %u) to make it answer with its "
                         "window."),
                    x->seq);
            break;
        }
        say(o, _("Keep-alive probe: are you still there?"));
        if (lng)
            say(o, _("After TCP_KEEPIDLE seconds of silence on a socket with SO_KEEPALIVE, the "
                     "kernel sends seq %u, one before the next byte, carrying nothing new."),
                x->seq);
        break;
    case SK_EV_KEEPALIVE_ACK:
        say(o, _("Keep-alive ACK: the peer is still there."));
        if (lng)
            say(o, _("It answers the probe with its usual ACK (ack %u); no data moves and "
                     "read() sees nothing."),
                x->ack);
        break;
    default:
        break;
    }
}

/* The port a datagram was sent to: the one that answered "unreachable". */
static void say_icmp(struct out *o, const struct ctx *x, bool lng)
{
    const struct sk_rec *r = x->r;
    unsigned type = r->aux >> 8, code = r->aux & 0xff;
    bool v6 = sk_rec_kind(r) == SK_K_ICMP6;
    if (!HAS(r, SK_EV_ICMP_UNREACH)) {
        say(o, _("ICMP message, type %u code %u."), type, code);
        if (lng)
            say(o, _("ICMP carries the network's own messages (ping, errors); it has no ports "
                     "and no connection."));
        return;
    }
    bool port_unreach = v6 ? (type == 1 && code == 4) : (type == 3 && code == 3);
    if (!port_unreach) {
        say(o, _("Destination unreachable (ICMP code %u)."), code);
        if (lng)
            say(o, _("A router or the destination host could not deliver a datagram of this "
                     "conversation."));
        return;
    }
    if (x->c && x->c->port[x->dir])
        say(o, _("Port unreachable: nothing listens on port %u."), x->c->port[x->dir]);
    else
        say(o, _("Port unreachable: nothing listens on that port."));
    if (lng)
        say(o, _("The kernel answered with ICMP port unreachable. A connected UDP socket gets "
                 "ECONNREFUSED on its next call; an unconnected one never hears of it."));
}

static void say_udp(struct out *o, const struct ctx *x, bool lng)
{
    say(o, _("A datagram of %u bytes: no connection, no ACK."), x->len);
    if (lng && x->c)
        say(o, _("From port %u to port %u: UDP keeps message boundaries, so recvfrom() gets "
                 "this datagram whole, or nothing if it is lost."),
            x->c->port[x->dir], x->c->port[!x->dir]);
    else if (lng)
        say(o, _("UDP keeps message boundaries: recvfrom() gets this datagram whole, or "
                 "nothing if it is lost."));
}

static void say_malformed(struct out *o, const struct ctx *x, bool lng)
{
    if (x->r->status == SK_TRUNCATED) {
        say(o, _("Truncated: the capture cut this packet short."));
        if (lng)
            say(o, _("The capture kept fewer bytes than the headers need (its snap length), "
                     "so some fields are missing; capture with tcpdump -s 0 to keep them."));
    } else {
        say(o, _("Invalid: a header contradicts its protocol."));
        if (lng)
            say(o, _("A field has an impossible value (a length too small, a wrong version), "
                     "so decoding stopped there; the detail view names it."));
    }
}

/* ------------------------------------------------------------------ headline */

/* Which event a packet is named after, most telling first. */
static const int headline_order[] = {
    SK_EV_BAD_PACKET,    SK_EV_REFUSED,         SK_EV_RST,
    SK_EV_FAST_RETRANS,  SK_EV_SPURIOUS_RETRANS, SK_EV_RETRANS,
    SK_EV_OUT_OF_ORDER,  SK_EV_SIM_OPEN,        SK_EV_SYN,
    SK_EV_SYNACK,        SK_EV_HS_ACK,          SK_EV_SIM_CLOSE,
    SK_EV_FIN,           SK_EV_ZERO_WINDOW_PROBE, SK_EV_ZERO_WINDOW,
    SK_EV_KEEPALIVE,     SK_EV_KEEPALIVE_ACK,   SK_EV_DUP_ACK,
    SK_EV_WINDOW_FULL,   SK_EV_HALF_CLOSE,      SK_EV_LOST_SEGMENT,
    SK_EV_ACKED_UNSEEN,  SK_EV_WINDOW_UPDATE,   SK_EV_DATA,
    SK_EV_FIN_ACKED,     SK_EV_ACK,             SK_EV_ICMP_UNREACH,
    SK_EV_UDP,           SK_EV_FRAGMENT,        SK_EV_PORT_REUSE,
    SK_EV_MIDSTREAM,
};

static int headline(const struct sk_rec *r)
{
    for (size_t i = 0; i < sizeof headline_order / sizeof headline_order[0]; i++)
        if (HAS(r, headline_order[i]))
            return headline_order[i];
    if (r->status != SK_OK)
        return SK_EV_BAD_PACKET;
    return -1;
}

static void say_headline(struct out *o, const struct ctx *x, int ev, bool lng)
{
    const struct sk_rec *r = x->r;
    switch (ev) {
    case SK_EV_BAD_PACKET: say_malformed(o, x, lng); break;
    case SK_EV_REFUSED:
    case SK_EV_RST: say_rst(o, x, lng); break;
    case SK_EV_FAST_RETRANS:
    case SK_EV_SPURIOUS_RETRANS:
    case SK_EV_RETRANS:
        /* The SYN-ACKs of a simultaneous open repeat their SYN's number, so
         * Wireshark calls them retransmissions; they still move the states. */
        if ((r->flags & SK_TH_SYN) && states_moved(x)) {
            if (r->flags & SK_TH_ACK)
                say_synack(o, x, lng);
            else
                say_syn(o, x, lng);
        } else {
            say_retransmission(o, x, lng);
        }
        break;
    case SK_EV_SIM_OPEN:
    case SK_EV_SYN: say_syn(o, x, lng); break;
    case SK_EV_SYNACK: say_synack(o, x, lng); break;
    case SK_EV_HS_ACK: say_hs_ack(o, x, lng); break;
    case SK_EV_SIM_CLOSE:
    case SK_EV_FIN: say_fin(o, x, lng); break;
    case SK_EV_HALF_CLOSE: say_half_close(o, x, lng); break;
    case SK_EV_DATA: say_data(o, x, lng); break;
    case SK_EV_FIN_ACKED: say_fin_acked(o, x, lng); break;
    case SK_EV_ACK: say_pure_ack(o, x, lng); break;
    case SK_EV_ICMP_UNREACH: say_icmp(o, x, lng); break;
    case SK_EV_UDP: say_udp(o, x, lng); break;
    case SK_EV_FRAGMENT:
        say(o, _("IP fragment: part of a datagram that IP split in pieces."));
        if (lng)
            say(o, _("The receiver's IP reassembles the datagram; only the first fragment "
                     "carries the transport header and its ports."));
        break;
    case SK_EV_PORT_REUSE:
        say(o, _("A new connection on the ports of an earlier one."));
        break;
    case SK_EV_MIDSTREAM:
        say(o, _("The capture began mid-connection: seq %u is shown as 1."), r->seq);
        break;
    default:
        say_analysis(o, x, ev, lng);
        break;
    }
}

/* Packets with no event: what they are, at least. */
static void say_plain(struct out *o, const struct ctx *x)
{
    switch (sk_rec_kind(x->r)) {
    case SK_K_TCP:
        say(o, _("A TCP segment: seq %u, ack %u, %u bytes."), x->seq, x->ack, x->len);
        break;
    case SK_K_UDP: say_udp(o, x, false); break;
    case SK_K_ICMP:
    case SK_K_ICMP6: say_icmp(o, x, false); break;
    case SK_K_IP: say(o, _("An IP packet of another protocol.")); break;
    case SK_K_ERROR: say_malformed(o, x, false); break;
    default: say(o, _("Not an IP packet: see its link layer.")); break;
    }
}

size_t sk_explain(const struct sk_rec *r, const struct sk_rec *prev, const struct sk_conv *c,
                  enum sk_explain_len len, char *buf, size_t n)
{
    struct out o = {buf, n, 0, 0, len == SK_EXPLAIN_LONG ? 3 : 1};
    if (n == 0)
        return 0;
    buf[0] = '\0';
    if (!r)
        return 0;
    struct ctx x;
    ctx_init(&x, r, prev, c);
    bool lng = len == SK_EXPLAIN_LONG;
    int ev = headline(r);
    if (ev < 0)
        say_plain(&o, &x);
    else
        say_headline(&o, &x, ev, lng);
    /* A long explanation of a mid-stream start says so, if there is room. */
    if (lng && ev != SK_EV_MIDSTREAM && HAS(r, SK_EV_MIDSTREAM))
        say(&o, _("The capture began mid-connection: this seq is shown as %u."), x.seq);
    return o.len;
}

/* ------------------------------------------------------------------ tags */

static const struct {
    int ev;
    const char *tag;
} tags[] = {
    {SK_EV_BAD_PACKET, N_("malformed")},
    {SK_EV_REFUSED, N_("refused")},
    {SK_EV_RST, N_("RST")},
    {SK_EV_FAST_RETRANS, N_("fast retransmission")},
    {SK_EV_SPURIOUS_RETRANS, N_("spurious retransmission")},
    {SK_EV_RETRANS, N_("retransmission")},
    {SK_EV_OUT_OF_ORDER, N_("out of order")},
    {SK_EV_SIM_OPEN, N_("simultaneous open")},
    {SK_EV_SYN, N_("handshake 1/3")},
    {SK_EV_SYNACK, N_("handshake 2/3")},
    {SK_EV_HS_ACK, N_("handshake 3/3")},
    {SK_EV_SIM_CLOSE, N_("simultaneous close")},
    {SK_EV_FIN, N_("FIN")},
    {SK_EV_ZERO_WINDOW_PROBE, N_("zero-window probe")},
    {SK_EV_ZERO_WINDOW, N_("zero window")},
    {SK_EV_KEEPALIVE, N_("keep-alive")},
    {SK_EV_KEEPALIVE_ACK, N_("keep-alive ACK")},
    {SK_EV_DUP_ACK, NULL}, /* numbered: see below */
    {SK_EV_WINDOW_FULL, N_("window full")},
    {SK_EV_HALF_CLOSE, N_("half-close")},
    {SK_EV_LOST_SEGMENT, N_("segment not captured")},
    {SK_EV_ACKED_UNSEEN, N_("ACKed unseen segment")},
    {SK_EV_WINDOW_UPDATE, N_("window update")},
    {SK_EV_DATA, N_("data")},
    {SK_EV_FIN_ACKED, N_("FIN acked")},
    {SK_EV_ACK, N_("ACK")},
    {SK_EV_ICMP_UNREACH, N_("unreachable")},
    {SK_EV_UDP, N_("datagram")},
    {SK_EV_FRAGMENT, N_("fragment")},
    {SK_EV_PORT_REUSE, N_("port reuse")},
    {SK_EV_MIDSTREAM, N_("mid-stream")},
};

char *sk_explain_tag(const struct sk_rec *r, char *buf)
{
    enum { TAG = 48 };
    buf[0] = '\0';
    if (!r)
        return buf;
    int ev = headline(r);
    if (ev < 0)
        return buf;
    if (ev == SK_EV_DUP_ACK) {
        snprintf(buf, TAG, _("dup ACK #%u"), r->aux);
        return buf;
    }
    if (ev == SK_EV_ICMP_UNREACH) {
        unsigned type = r->aux >> 8, code = r->aux & 0xff;
        bool v6 = sk_rec_kind(r) == SK_K_ICMP6;
        if (v6 ? (type == 1 && code == 4) : (type == 3 && code == 3)) {
            snprintf(buf, TAG, "%s", _("port unreachable"));
            return buf;
        }
    }
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
        if (tags[i].ev == ev && tags[i].tag) {
            snprintf(buf, TAG, "%s", _(tags[i].tag));
            buf[utf8_cut(buf, strlen(buf))] = '\0';
            return buf;
        }
    }
    return buf;
}
