/* checker_tcp.c — the checker's TCP steps: handshake, data, close, reset,
 * flow control and retransmission, each graded on a capture (checker.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "checker_priv.h"

static inline bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline bool seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }

static bool is_fin(const struct sk_rec *r)
{
    return (r->flags & SK_TH_FIN) && sk_rec_kind(r) == SK_K_TCP;
}

static bool is_rst(const struct sk_rec *r)
{
    return (r->flags & SK_TH_RST) && sk_rec_kind(r) == SK_K_TCP;
}

static bool is_data(const struct sk_rec *r) { return sk_rec_has(r, SK_EV_DATA); }
static bool is_retrans(const struct sk_rec *r)
{
    return sk_rec_has(r, SK_EV_RETRANS) || sk_rec_has(r, SK_EV_FAST_RETRANS) ||
           sk_rec_has(r, SK_EV_SPURIOUS_RETRANS);
}

static bool has_syn(const struct sk_rec *r)
{
    return sk_rec_has(r, SK_EV_SYN) || sk_rec_has(r, SK_EV_SIM_OPEN);
}

static bool has_synack(const struct sk_rec *r) { return sk_rec_has(r, SK_EV_SYNACK); }
static bool has_hs_ack(const struct sk_rec *r) { return sk_rec_has(r, SK_EV_HS_ACK); }
static bool has_refused(const struct sk_rec *r) { return sk_rec_has(r, SK_EV_REFUSED); }
static bool has_zero_window(const struct sk_rec *r) { return sk_rec_has(r, SK_EV_ZERO_WINDOW); }
static bool has_fin_acked(const struct sk_rec *r) { return sk_rec_has(r, SK_EV_FIN_ACKED); }
static bool has_data_or_fin(const struct sk_rec *r) { return is_data(r) || is_fin(r); }
static bool has_new_data(const struct sk_rec *r)
{
    return is_data(r) && !is_retrans(r) && !sk_rec_has(r, SK_EV_ZERO_WINDOW_PROBE);
}
static bool has_open_window(const struct sk_rec *r)
{
    return sk_rec_kind(r) == SK_K_TCP && r->win > 0 && !(r->flags & (SK_TH_RST | SK_TH_SYN));
}

/* Where the handshake of candidate k completed: the index of its third
 * packet, -1 if it did not. */
static long handshake_done(const struct ctx *c, size_t k)
{
    return find(c, k, 0, SK_C2S, has_hs_ack);
}

static bool same_server(const struct sk_conv *a, const struct sk_conv *b)
{
    return a->port[SK_SERVER] == b->port[SK_SERVER] &&
           sk_addr_eq(&a->addr[SK_SERVER], &b->addr[SK_SERVER]);
}

void sk_chk_step_handshake(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    long syn = find(c, k, 0, -1, has_syn);
    if (syn < 0) {
        say(res, _("no SYN: the capture begins in the middle of this connection (packet %u)"),
            num_at(c, k, 0));
        evidence(res, num_at(c, k, 0));
        return;
    }
    evidence(res, num_at(c, k, syn));
    long synack = find(c, k, (size_t)syn, -1, has_synack);
    if (synack < 0) {
        long refused = find(c, k, (size_t)syn, -1, has_refused);
        if (refused >= 0) {
            evidence(res, num_at(c, k, refused));
            say(res, _("the SYN (packet %u) was answered by RST (packet %u): the connection "
                       "was refused"),
                num_at(c, k, syn), num_at(c, k, refused));
        } else {
            say(res, _("the SYN (packet %u) got no SYN-ACK"), num_at(c, k, syn));
        }
        return;
    }
    evidence(res, num_at(c, k, synack));
    long ack = find(c, k, (size_t)synack, -1, has_hs_ack);
    if (ack < 0) {
        say(res, _("SYN (packet %u) and SYN-ACK (packet %u), but no ACK completed the "
                   "handshake"),
            num_at(c, k, syn), num_at(c, k, synack));
        return;
    }
    evidence(res, num_at(c, k, ack));
    pass(res);
}

void sk_chk_step_data(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    uint64_t bytes = 0;
    unsigned segs = 0;
    for (size_t i = 0; i < c->nidx[k]; i++) {
        const struct sk_rec *r = rec_at(c, k, i);
        if (sk_rec_dir(r) != s->side)
            continue;
        bool counts = c->sc->proto == 17 ? is_datagram(r) && r->len > 0 : has_new_data(r);
        if (!counts)
            continue;
        bytes += r->len;
        segs++;
        if (segs <= 3)
            evidence(res, r->n);
    }
    if (bytes == 0) {
        say(res, _("the %s sent no data"), role(s->side));
        return;
    }
    if (bytes < s->n) {
        say(res, _("the %s sent only %" PRIu64 " bytes, fewer than %u"), role(s->side), bytes,
            (unsigned)s->n);
        return;
    }
    say(res,
        dngettext(SK_TEXTDOMAIN, "%" PRIu64 " bytes in %u segment",
                  "%" PRIu64 " bytes in %u segments", segs),
        bytes, segs);
    pass(res);
}

/* The index of the first RST of candidate k that does not refuse a SYN. */
static long first_reset(const struct ctx *c, size_t k)
{
    for (size_t i = 0; i < c->nidx[k]; i++) {
        const struct sk_rec *r = rec_at(c, k, i);
        if (is_rst(r) && !has_refused(r))
            return (long)i;
    }
    return -1;
}

void sk_chk_step_first_fin(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    long fin = find(c, k, 0, -1, is_fin);
    if (fin < 0) {
        long rst = first_reset(c, k);
        if (rst >= 0) {
            const struct sk_rec *r = rec_at(c, k, (size_t)rst);
            evidence(res, r->n);
            say(res, _("nobody sent a FIN: the %s reset the connection (packet %u)"),
                role(sk_rec_dir(r)), r->n);
        } else {
            say(res, "%s", _("nobody sent a FIN: the capture ends with the connection open"));
        }
        return;
    }
    const struct sk_rec *r = rec_at(c, k, (size_t)fin);
    evidence(res, r->n);
    if (sk_rec_dir(r) != s->side) {
        say(res, _("the %s sent the first FIN (packet %u), not the %s"), role(sk_rec_dir(r)),
            r->n, role(s->side));
        return;
    }
    say(res, _("the %s's FIN is packet %u"), role(s->side), r->n);
    pass(res);
}

void sk_chk_step_closed(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    long rst = first_reset(c, k);
    if (rst >= 0) {
        const struct sk_rec *r = rec_at(c, k, (size_t)rst);
        evidence(res, r->n);
        say(res, _("the %s reset the connection (packet %u)"), role(sk_rec_dir(r)), r->n);
        return;
    }
    for (int side = SK_CLIENT; side <= SK_SERVER; side++) {
        long fin = find(c, k, 0, side, is_fin);
        if (fin < 0) {
            say(res, _("the %s never sent a FIN"), role(side));
            return;
        }
        evidence(res, num_at(c, k, fin));
        /* Its FIN is acknowledged by the peer (the tracker marks that segment). */
        long acked = find(c, k, (size_t)fin, !side, has_fin_acked);
        if (acked < 0) {
            say(res, _("the %s's FIN (packet %u) was never acknowledged"), role(side),
                num_at(c, k, fin));
            return;
        }
        evidence(res, num_at(c, k, acked));
    }
    pass(res);
}

void sk_chk_step_half_close(const struct ctx *c, const struct sk_step *s,
                            struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    int side = s->side, peer = !side;
    long pfin = find(c, k, 0, peer, is_fin);
    if (pfin < 0) {
        say(res, _("the %s never sent a FIN, so nothing was half-closed"), role(peer));
        return;
    }
    evidence(res, num_at(c, k, pfin));
    long data = find(c, k, (size_t)pfin, side, has_new_data);
    if (data < 0) {
        say(res, _("the %s sent no data after the %s's FIN (packet %u)"), role(side), role(peer),
            num_at(c, k, pfin));
        return;
    }
    const struct sk_rec *d = rec_at(c, k, (size_t)data);
    evidence(res, d->n);
    uint32_t end = d->seq + d->len;
    for (size_t i = (size_t)data + 1; i < c->nidx[k]; i++) {
        const struct sk_rec *r = rec_at(c, k, i);
        if (sk_rec_dir(r) == peer && (r->flags & SK_TH_ACK) && !is_rst(r) && seq_le(end, r->ack)) {
            evidence(res, r->n);
            say(res, _("the %s's FIN is packet %u; the %s's data of packet %u is acknowledged "
                       "by packet %u"),
                role(peer), num_at(c, k, pfin), role(side), d->n, r->n);
            pass(res);
            return;
        }
    }
    say(res, _("the %s's data after the FIN (packet %u) was never acknowledged by the %s"),
        role(side), d->n, role(peer));
}

void sk_chk_step_close_wait(const struct ctx *c, const struct sk_step *s,
                            struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    int side = s->side, peer = !side;
    long pfin = find(c, k, 0, peer, is_fin);
    if (pfin < 0) {
        say(res, _("the %s never sent a FIN, so the %s was never in CLOSE_WAIT"), role(peer),
            role(side));
        return;
    }
    evidence(res, num_at(c, k, pfin));
    long own = find(c, k, 0, side, is_fin);
    if (own >= 0 && own < pfin) {
        evidence(res, num_at(c, k, own));
        say(res, _("the %s sent its FIN (packet %u) before the %s's (packet %u): it closed "
                   "first, so it was never in CLOSE_WAIT"),
            role(side), num_at(c, k, own), role(peer), num_at(c, k, pfin));
        return;
    }
    long ack = find(c, k, (size_t)pfin, side, has_fin_acked);
    if (ack < 0) {
        say(res, _("the %s never acknowledged the %s's FIN (packet %u)"), role(side), role(peer),
            num_at(c, k, pfin));
        return;
    }
    const struct sk_rec *a = rec_at(c, k, (size_t)ack);
    evidence(res, a->n);
    if (is_fin(a)) {
        say(res, _("the %s's FIN came with its acknowledgement of the %s's FIN (packet %u): "
                   "it closed at once, without waiting in CLOSE_WAIT"),
            role(side), role(peer), a->n);
        return;
    }
    if (own < 0) {
        long rst = first_reset(c, k);
        if (rst >= 0) {
            evidence(res, num_at(c, k, rst));
            say(res, _("after CLOSE_WAIT (from packet %u) the %s never sent a FIN: the "
                       "connection was reset (packet %u)"),
                a->n, role(side), num_at(c, k, rst));
        } else {
            say(res, _("the %s acknowledged the FIN (packet %u) but never sent its own: still "
                       "in CLOSE_WAIT when the capture ends"),
                role(side), a->n);
        }
        return;
    }
    const struct sk_rec *f = rec_at(c, k, (size_t)own);
    evidence(res, f->n);
    say(res, _("CLOSE_WAIT from packet %u to packet %u (%.0f ms)"), a->n, f->n,
        (double)(f->ts_ns - a->ts_ns) / 1e6);
    pass(res);
}

void sk_chk_step_time_wait(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    int side = s->side, peer = !side;
    long first = find(c, k, 0, -1, is_fin);
    if (first < 0) {
        say(res, "%s", _("nobody sent a FIN, so nobody entered TIME_WAIT"));
        return;
    }
    const struct sk_rec *f = rec_at(c, k, (size_t)first);
    evidence(res, f->n);
    if (sk_rec_dir(f) != side) {
        say(res, _("the %s closed first (FIN, packet %u): TIME_WAIT is for the side that "
                   "closes first, here the %s"),
            role(sk_rec_dir(f)), f->n, role(sk_rec_dir(f)));
        return;
    }
    long pfin = find(c, k, (size_t)first, peer, is_fin);
    if (pfin < 0) {
        say(res, _("the %s never sent its FIN, so the %s stayed in FIN_WAIT_2"), role(peer),
            role(side));
        return;
    }
    evidence(res, num_at(c, k, pfin));
    long ack = find(c, k, (size_t)pfin, side, has_fin_acked);
    if (ack < 0) {
        say(res, _("the %s never acknowledged the %s's FIN (packet %u)"), role(side), role(peer),
            num_at(c, k, pfin));
        return;
    }
    evidence(res, num_at(c, k, ack));
    const struct sk_rec *last = rec_at(c, k, c->nidx[k] - 1);
    int st = sk_rec_state(last, side);
    if (st != SK_ST_TIME_WAIT) {
        say(res, _("the %s ends in %s, not TIME_WAIT (packet %u)"), role(side),
            sk_state_name((enum sk_state)st), last->n);
        return;
    }
    say(res, _("the %s enters TIME_WAIT with packet %u"), role(side), num_at(c, k, ack));
    pass(res);
}

void sk_chk_step_abort(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    int side = s->side;
    long rst = first_reset(c, k);
    if (rst < 0) {
        long fin = find(c, k, 0, side, is_fin);
        if (fin >= 0) {
            evidence(res, num_at(c, k, fin));
            say(res, _("no RST: the %s closed with FIN (packet %u)"), role(side),
                num_at(c, k, fin));
        } else {
            say(res, "%s", _("no RST in this connection"));
        }
        return;
    }
    const struct sk_rec *r = rec_at(c, k, (size_t)rst);
    evidence(res, r->n);
    if (sk_rec_dir(r) != side) {
        say(res, _("the RST came from the %s (packet %u), not the %s"), role(sk_rec_dir(r)),
            r->n, role(side));
        return;
    }
    long fin = find(c, k, 0, side, is_fin);
    if (fin >= 0 && fin < rst) {
        evidence(res, num_at(c, k, fin));
        say(res, _("the %s sent FIN (packet %u) before its RST (packet %u): it closed "
                   "gracefully first"),
            role(side), num_at(c, k, fin), r->n);
        return;
    }
    say(res, _("the %s's RST is packet %u"), role(side), r->n);
    pass(res);
}

void sk_chk_step_refused(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    long syn = find(c, k, 0, SK_C2S, has_syn);
    if (syn < 0) {
        say(res, "%s", _("no SYN from the client in this connection"));
        return;
    }
    evidence(res, num_at(c, k, syn));
    long rst = find(c, k, (size_t)syn, SK_S2C, has_refused);
    if (rst >= 0) {
        evidence(res, num_at(c, k, rst));
        pass(res);
        return;
    }
    long synack = find(c, k, (size_t)syn, SK_S2C, has_synack);
    if (synack >= 0) {
        evidence(res, num_at(c, k, synack));
        say(res, _("the SYN (packet %u) was answered by SYN-ACK (packet %u): something listens "
                   "on that port"),
            num_at(c, k, syn), num_at(c, k, synack));
    } else {
        say(res, _("the SYN (packet %u) got no answer"), num_at(c, k, syn));
    }
}

void sk_chk_step_same_server(const struct ctx *c, const struct sk_step *s,
                             struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    const struct sk_conv *first = conv_of(c, 0), *cv = conv_of(c, k);
    char a[SK_ADDRSTRLEN], b[SK_ADDRSTRLEN];
    if (!same_server(first, cv)) {
        say(res, _("connection %zu goes to %s, not to the first connection's server %s"), k + 1,
            sk_endpoint_str(&cv->addr[SK_SERVER], cv->port[SK_SERVER], a),
            sk_endpoint_str(&first->addr[SK_SERVER], first->port[SK_SERVER], b));
        return;
    }
    const struct sk_rec *last0 = rec_at(c, 0, c->nidx[0] - 1);
    const struct sk_rec *start = rec_at(c, k, 0);
    evidence(res, start->n);
    if (start->n < last0->n) {
        say(res, _("connection %zu began (packet %u) before the first one ended (packet %u)"),
            k + 1, start->n, last0->n);
        return;
    }
    long hs = handshake_done(c, k);
    if (hs < 0) {
        say(res, _("connection %zu (packet %u) did not complete its handshake"), k + 1, start->n);
        return;
    }
    evidence(res, num_at(c, k, hs));
    say(res, _("connection %zu to %s: handshake completed with packet %u"), k + 1,
        sk_endpoint_str(&cv->addr[SK_SERVER], cv->port[SK_SERVER], a), num_at(c, k, hs));
    pass(res);
}

void sk_chk_step_connections(const struct ctx *c, const struct sk_step *s,
                             struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, 0, res))
        return;
    const struct sk_conv *first = conv_of(c, 0);
    unsigned done = 0;
    for (size_t k = 0; k < c->ncand; k++) {
        if (!same_server(first, conv_of(c, k)))
            continue;
        long hs = handshake_done(c, k);
        if (hs < 0)
            continue;
        done++;
        evidence(res, num_at(c, k, hs));
    }
    if (done < s->n) {
        say(res, _("only %u connections to the server completed their handshakes, fewer than "
                   "%u"),
            done, (unsigned)s->n);
        return;
    }
    say(res,
        dngettext(SK_TEXTDOMAIN,
                  "%u connection completed its handshake (the packet is its third handshake "
                  "packet)",
                  "%u connections completed their handshakes (the packets are their third "
                  "handshake packets)",
                  done),
        done);
    pass(res);
}

void sk_chk_step_queued(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    (void)s;
    if (!sk_chk_need_conv(c, 0, res))
        return;
    if (c->ncand < 2) {
        say(res, "%s", _("there is only one connection: nothing could wait in the queue"));
        return;
    }
    const struct sk_conv *first = conv_of(c, 0);
    long ans = find(c, 0, 0, SK_S2C, has_data_or_fin);
    uint32_t ans_n = ans >= 0 ? num_at(c, 0, ans) : UINT32_MAX;
    uint32_t earliest = UINT32_MAX;
    size_t which = 0;
    for (size_t k = 1; k < c->ncand; k++) {
        if (!same_server(first, conv_of(c, k)))
            continue;
        long hs = handshake_done(c, k);
        if (hs >= 0 && num_at(c, k, hs) < earliest) {
            earliest = num_at(c, k, hs);
            which = k;
        }
    }
    if (earliest == UINT32_MAX) {
        say(res, "%s", _("no other connection to the same server completed its handshake"));
        return;
    }
    evidence(res, earliest);
    if (ans >= 0)
        evidence(res, ans_n);
    if (earliest > ans_n) {
        say(res, _("the server answered the first connection (packet %u) before any other "
                   "handshake completed (connection %zu: packet %u)"),
            ans_n, which + 1, earliest);
        return;
    }
    if (ans >= 0)
        say(res, _("connection %zu's handshake completed (packet %u) before the server's first "
                   "answer on connection 1 (packet %u)"),
            which + 1, earliest, ans_n);
    else
        say(res, _("connection %zu's handshake completed (packet %u); the server never answered "
                   "connection 1"),
            which + 1, earliest);
    pass(res);
}

static bool syn_retrans(const struct sk_rec *r)
{
    return sk_rec_has(r, SK_EV_SYN) && is_retrans(r);
}

void sk_chk_step_syn_retrans(const struct ctx *c, const struct sk_step *s,
                             struct sk_step_result *res)
{
    (void)s;
    if (!sk_chk_need_conv(c, 0, res))
        return;
    for (size_t k = 0; k < c->ncand; k++) {
        long i = find(c, k, 0, SK_C2S, syn_retrans);
        if (i >= 0) {
            evidence(res, num_at(c, k, i));
            say(res, _("connection %zu's SYN was sent again (packet %u)"), k + 1, num_at(c, k, i));
            pass(res);
            return;
        }
    }
    say(res, "%s", _("every SYN was answered the first time: the queue never overflowed"));
}

/* The MSS the client's segments are bounded by: the server's, else 536. */
static uint32_t client_mss(const struct sk_conv *cv)
{
    uint32_t mss = cv->tcp.side[SK_SERVER].mss;
    return mss ? mss : 536;
}

void sk_chk_step_nagle(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    uint32_t mss = client_mss(conv_of(c, k));
    uint32_t small = mss > 80 ? mss - 40 : mss; /* full-sized, give or take options */
    bool have_ack = false, have_small = false;
    uint32_t acked = 0, small_end = 0, small_n = 0, small_len = 0;
    unsigned segs = 0;
    for (size_t i = 0; i < c->nidx[k]; i++) {
        const struct sk_rec *r = rec_at(c, k, i);
        if (sk_rec_dir(r) == SK_S2C) {
            if ((r->flags & SK_TH_ACK) && (!have_ack || seq_lt(acked, r->ack))) {
                acked = r->ack;
                have_ack = true;
            }
            continue;
        }
        /* A FIN pushes out whatever is queued (Linux sends it with Nagle off). */
        if (!has_new_data(r) || is_fin(r))
            continue;
        segs++;
        if (r->len >= small)
            continue;
        if (have_small && (!have_ack || seq_lt(acked, small_end))) {
            evidence(res, small_n);
            evidence(res, r->n);
            say(res, _("packet %u (%u bytes) was sent while packet %u (%u bytes) was still "
                       "unacknowledged: two small segments in flight, as with TCP_NODELAY"),
                r->n, r->len, small_n, small_len);
            return;
        }
        have_small = true;
        small_end = r->seq + r->len;
        small_n = r->n;
        small_len = r->len;
        if (res->npackets < 3)
            evidence(res, r->n);
    }
    if (segs < 2) {
        say(res, _("the client sent %u data segments: too few to see Nagle hold anything "
                   "back"),
            segs);
        return;
    }
    say(res, _("%u data segments; a small one was sent only once the previous small one was "
               "acknowledged"),
        segs);
    pass(res);
}

static void client_data(const struct ctx *c, size_t k, uint64_t *bytes, unsigned *segs)
{
    *bytes = 0;
    *segs = 0;
    for (size_t i = 0; i < c->nidx[k]; i++) {
        const struct sk_rec *r = rec_at(c, k, i);
        if (sk_rec_dir(r) == SK_C2S && has_new_data(r)) {
            *bytes += r->len;
            (*segs)++;
        }
    }
}

void sk_chk_step_coalesced(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    size_t a = s->conv, b = s->n;
    if (!sk_chk_need_conv(c, a, res) || !sk_chk_need_conv(c, b, res))
        return;
    uint64_t ba, bb;
    unsigned sa, sb;
    client_data(c, a, &ba, &sa);
    client_data(c, b, &bb, &sb);
    char facts[200];
    snprintf(facts, sizeof facts,
             _("connection %zu: %" PRIu64 " bytes in %u segments; connection %zu: %" PRIu64
               " bytes in %u segments"),
             a + 1, ba, sa, b + 1, bb, sb);
    evidence(res, num_at(c, a, find(c, a, 0, SK_C2S, has_new_data)));
    evidence(res, num_at(c, b, find(c, b, 0, SK_C2S, has_new_data)));
    if (sa == 0 || sb == 0) {
        say(res, _("a connection without client data: %s"), facts);
        return;
    }
    /* Bigger on average: ba/sa > bb/sb, without division. */
    if (sa < sb && ba * sb > bb * sa) {
        say(res, "%s", facts);
        pass(res);
        return;
    }
    say(res, _("connection %zu's segments are not fewer and bigger: %s"), a + 1, facts);
}

void sk_chk_step_zero_window(const struct ctx *c, const struct sk_step *s,
                             struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    long zw = find(c, k, 0, s->side, has_zero_window);
    if (zw >= 0) {
        evidence(res, num_at(c, k, zw));
        say(res, _("the %s's window is 0 in packet %u"), role(s->side), num_at(c, k, zw));
        pass(res);
        return;
    }
    const struct sk_conv *cv = conv_of(c, k);
    int ws = cv->tcp.side[s->side].wscale;
    uint64_t least = UINT64_MAX;
    uint32_t least_n = 0;
    for (size_t i = 0; i < c->nidx[k]; i++) {
        const struct sk_rec *r = rec_at(c, k, i);
        if (sk_rec_dir(r) != s->side || sk_rec_kind(r) != SK_K_TCP ||
            (r->flags & (SK_TH_SYN | SK_TH_RST)))
            continue;
        uint64_t w = (uint64_t)r->win << (ws > 0 ? ws : 0);
        if (w < least) {
            least = w;
            least_n = r->n;
        }
    }
    if (least_n) {
        evidence(res, least_n);
        say(res, _("the %s's window never reached zero (smallest: %" PRIu64 " bytes, packet %u)"),
            role(s->side), least, least_n);
    } else {
        say(res, _("the %s sent no segment after the handshake"), role(s->side));
    }
}

void sk_chk_step_window_opens(const struct ctx *c, const struct sk_step *s,
                              struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    int side = s->side, peer = !side;
    long zw = find(c, k, 0, side, has_zero_window);
    if (zw < 0) {
        say(res, _("the %s never advertised a zero window"), role(side));
        return;
    }
    evidence(res, num_at(c, k, zw));
    long open = find(c, k, (size_t)zw, side, has_open_window);
    if (open < 0) {
        say(res, _("the %s's window stayed at zero after packet %u"), role(side),
            num_at(c, k, zw));
        return;
    }
    evidence(res, num_at(c, k, open));
    long more = find(c, k, (size_t)open, peer, has_new_data);
    if (more < 0) {
        say(res, _("the %s's window opened (packet %u) but no more data came from the %s"),
            role(side), num_at(c, k, open), role(peer));
        return;
    }
    evidence(res, num_at(c, k, more));
    say(res, _("zero window in packet %u, open again in packet %u, data again in packet %u"),
        num_at(c, k, zw), num_at(c, k, open), num_at(c, k, more));
    pass(res);
}

void sk_chk_step_count_event(const struct ctx *c, const struct sk_step *s,
                             struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    unsigned count = 0, fast = 0;
    for (size_t i = 0; i < c->nidx[k]; i++) {
        const struct sk_rec *r = rec_at(c, k, i);
        bool hit = s->kind == SK_CK_RETRANS ? is_retrans(r) : sk_rec_has(r, SK_EV_DUP_ACK);
        if (!hit)
            continue;
        count++;
        if (sk_rec_has(r, SK_EV_FAST_RETRANS))
            fast++;
        evidence(res, r->n);
    }
    if (s->kind == SK_CK_RETRANS) {
        if (count == 0) {
            say(res, "%s", _("no segment was sent twice: no retransmission in this connection"));
            return;
        }
        say(res,
            dngettext(SK_TEXTDOMAIN, "%u retransmission (%u fast)",
                      "%u retransmissions (%u fast)", count),
            count, fast);
    } else {
        if (count == 0) {
            say(res, "%s", _("no duplicate ACK in this connection"));
            return;
        }
        say(res, dngettext(SK_TEXTDOMAIN, "%u duplicate ACK", "%u duplicate ACKs", count), count);
    }
    if (count >= s->n)
        pass(res);
    else
        say(res, _("only %u, fewer than %u"), count, (unsigned)s->n);
}

/* One transmission of a segment, for the back-off step. */
struct sent {
    uint32_t seq;
    uint8_t dir;
    uint32_t n;
    int64_t ts;
    size_t order;
};

static int sent_cmp(const void *a, const void *b)
{
    const struct sent *x = a, *y = b;
    if (x->dir != y->dir)
        return x->dir < y->dir ? -1 : 1;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

void sk_chk_step_rto_backoff(const struct ctx *c, const struct sk_step *s,
                             struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    size_t n = 0;
    struct sent *v = malloc((c->nidx[k] ? c->nidx[k] : 1) * sizeof *v);
    if (!v) {
        say(res, "%s", _("out of memory"));
        return;
    }
    for (size_t i = 0; i < c->nidx[k]; i++) {
        const struct sk_rec *r = rec_at(c, k, i);
        /* Data (and FIN) segments only: since Linux 6.5 a SYN is resent at
         * linear intervals the first times (net.ipv4.tcp_syn_linear_timeouts). */
        if (sk_rec_kind(r) != SK_K_TCP || (r->flags & SK_TH_SYN) ||
            !(is_data(r) || (r->flags & SK_TH_FIN)))
            continue;
        v[n++] = (struct sent){r->seq, (uint8_t)sk_rec_dir(r), r->n, r->ts_ns, i};
    }
    qsort(v, n, sizeof *v, sent_cmp);
    size_t best_at = 0, best_len = 0; /* the longest chain of sends of one segment */
    bool found = false;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && v[j].dir == v[i].dir && v[j].seq == v[i].seq)
            j++;
        size_t len = j - i; /* the original and len - 1 retransmissions */
        if (len >= 3) {
            /* gaps g1 = t1 - t0 ... ; RTO back-off doubles each wait. The first
             * wait may be longer than the timeout (the timer restarts on each
             * ACK), so with three or more retransmissions compare from g2. */
            size_t from = len >= 4 ? 2 : 1;
            bool grows = true;
            for (size_t g = from; g + 1 < len; g++) {
                int64_t prev = v[i + g].ts - v[i + g - 1].ts;
                int64_t next = v[i + g + 1].ts - v[i + g].ts;
                if (next * 2 < prev * 3) /* next < 1.5 prev */
                    grows = false;
            }
            if ((grows && !found) || (grows == found && len > best_len)) {
                best_at = i;
                best_len = len;
                found = grows;
            }
        }
        i = j;
    }
    if (best_len == 0) {
        say(res, "%s", _("no segment was retransmitted twice: the back-off is not visible"));
        free(v);
        return;
    }
    char waits[160] = "";
    size_t used = 0;
    for (size_t g = 1; g < best_len && used < sizeof waits; g++) {
        int w = snprintf(waits + used, sizeof waits - used, "%s%.0f ms", g > 1 ? ", " : "",
                         (double)(v[best_at + g].ts - v[best_at + g - 1].ts) / 1e6);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    for (size_t g = 0; g < best_len; g++)
        evidence(res, v[best_at + g].n);
    if (found) {
        say(res, _("the segment of packet %u was sent %zu times; the waits: %s"), v[best_at].n,
            best_len, waits);
        pass(res);
    } else {
        say(res, _("the segment of packet %u was sent %zu times, but the waits did not grow: %s"),
            v[best_at].n, best_len, waits);
    }
    free(v);
}

void sk_chk_step_ipv6(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
        return;
    const struct sk_conv *cv = conv_of(c, s->conv);
    char a[SK_ADDRSTRLEN], b[SK_ADDRSTRLEN];
    evidence(res, cv->first_n);
    sk_endpoint_str(&cv->addr[SK_CLIENT], cv->port[SK_CLIENT], a);
    sk_endpoint_str(&cv->addr[SK_SERVER], cv->port[SK_SERVER], b);
    if (cv->addr[SK_CLIENT].family != 6) {
        say(res, _("the connection is over IPv4 (%s > %s)"), a, b);
        return;
    }
    say(res, "%s > %s", a, b);
    pass(res);
}
