/* checker.c — grading a capture against a scenario's steps (checker.h). */
#include "checker.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "i18n.h"
#include "labevents.h"
#include "source.h"

#define MAX_CANDIDATES 64

/* One capture being graded. */
struct ctx {
    const struct sk_check_input *in;
    const struct sk_scenario *sc;
    uint32_t cand[MAX_CANDIDATES];  /* conversation ids of the scenario's shape, in order */
    size_t ncand;
    uint32_t *idx[MAX_CANDIDATES];  /* per candidate: indexes of its records in the trace */
    size_t nidx[MAX_CANDIDATES];
    bool oom;
    /* what else the capture holds, to say so when a step finds nothing */
    size_t ntcp, nudp, nother, npackets;
};

const char *sk_verdict_name(enum sk_verdict v)
{
    switch (v) {
    case SK_PASS: return "pass";
    case SK_FAIL: return "fail";
    case SK_SKIP: return "skip";
    case SK_INFO: return "info";
    }
    return "?";
}

/* ================================================================ helpers */

static inline bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline bool seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }

static const char *role(int side) { return side == SK_SERVER ? _("server") : _("client"); }

static const struct sk_rec *rec_at(const struct ctx *c, size_t k, size_t i)
{
    return sk_trace_get(c->in->trace, c->idx[k][i]);
}

static const struct sk_conv *conv_of(const struct ctx *c, size_t k)
{
    return sk_convtab_get(c->in->convs, c->cand[k]);
}

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
static bool is_datagram(const struct sk_rec *r) { return sk_rec_kind(r) == SK_K_UDP; }

static void evidence(struct sk_step_result *res, uint32_t n)
{
    if (n == 0)
        return;
    for (unsigned i = 0; i < res->npackets; i++)
        if (res->packets[i] == n)
            return;
    if (res->npackets < SK_CHECK_MAX_EVIDENCE)
        res->packets[res->npackets++] = n;
}

static void say(struct sk_step_result *res, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void say(struct sk_step_result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->detail, sizeof res->detail, fmt, ap);
    va_end(ap);
}

static void pass(struct sk_step_result *res) { res->holds = true; }

/* The first record (index) of candidate k from side dir (-1: either) that
 * satisfies pred, at or after index from; -1 if none. */
typedef bool (*rec_pred)(const struct sk_rec *r);
static long find(const struct ctx *c, size_t k, size_t from, int dir, rec_pred pred)
{
    for (size_t i = from; i < c->nidx[k]; i++) {
        const struct sk_rec *r = rec_at(c, k, i);
        if ((dir < 0 || sk_rec_dir(r) == dir) && pred(r))
            return (long)i;
    }
    return -1;
}

static uint32_t num_at(const struct ctx *c, size_t k, long i)
{
    return i < 0 ? 0 : rec_at(c, k, (size_t)i)->n;
}

/* "there is no connection 2": the step names a connection the capture lacks. */
static bool need_conv(const struct ctx *c, size_t k, struct sk_step_result *res)
{
    if (k < c->ncand)
        return true;
    if (c->ncand == 0 && c->sc->proto == 17)
        say(res,
            _("no UDP flow in this capture (it holds %zu packets: %zu TCP conversations, "
              "%zu other)"),
            c->npackets, c->ntcp, c->nother);
    else if (c->ncand == 0)
        say(res,
            _("no TCP connection in this capture (it holds %zu packets: %zu UDP flows, "
              "%zu other conversations)"),
            c->npackets, c->nudp, c->nother);
    else if (c->sc->proto == 17)
        say(res, _("there is no flow %zu: the capture holds %zu"), k + 1, c->ncand);
    else
        say(res, _("there is no connection %zu: the capture holds %zu"), k + 1, c->ncand);
    return false;
}

static bool has_syn(const struct sk_rec *r)
{
    return sk_rec_has(r, SK_EV_SYN) || sk_rec_has(r, SK_EV_SIM_OPEN);
}

static bool has_synack(const struct sk_rec *r) { return sk_rec_has(r, SK_EV_SYNACK); }
static bool has_hs_ack(const struct sk_rec *r) { return sk_rec_has(r, SK_EV_HS_ACK); }
static bool has_refused(const struct sk_rec *r) { return sk_rec_has(r, SK_EV_REFUSED); }
static bool has_zero_window(const struct sk_rec *r) { return sk_rec_has(r, SK_EV_ZERO_WINDOW); }
static bool has_icmp_unreach(const struct sk_rec *r) { return sk_rec_has(r, SK_EV_ICMP_UNREACH); }
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

/* ================================================================ TCP steps */

static void step_handshake(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
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

static void step_data(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
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

static void step_first_fin(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
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

static void step_closed(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
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

static void step_half_close(const struct ctx *c, const struct sk_step *s,
                            struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
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

static void step_close_wait(const struct ctx *c, const struct sk_step *s,
                            struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
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

static void step_time_wait(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
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

static void step_abort(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
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

static void step_refused(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
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

static void step_same_server(const struct ctx *c, const struct sk_step *s,
                             struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
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

static void step_connections(const struct ctx *c, const struct sk_step *s,
                             struct sk_step_result *res)
{
    if (!need_conv(c, 0, res))
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

static void step_queued(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    (void)s;
    if (!need_conv(c, 0, res))
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

static void step_syn_retrans(const struct ctx *c, const struct sk_step *s,
                             struct sk_step_result *res)
{
    (void)s;
    if (!need_conv(c, 0, res))
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

static void step_nagle(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
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

static void step_coalesced(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    size_t a = s->conv, b = s->n;
    if (!need_conv(c, a, res) || !need_conv(c, b, res))
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

static void step_zero_window(const struct ctx *c, const struct sk_step *s,
                             struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
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

static void step_window_opens(const struct ctx *c, const struct sk_step *s,
                              struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
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

static void step_count_event(const struct ctx *c, const struct sk_step *s,
                             struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
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

static void step_rto_backoff(const struct ctx *c, const struct sk_step *s,
                             struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
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

static void step_ipv6(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
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

/* ================================================================ UDP steps */

static void step_datagrams(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    unsigned count = 0;
    char sizes[120] = "";
    size_t used = 0;
    for (size_t i = 0; i < c->nidx[k]; i++) {
        const struct sk_rec *r = rec_at(c, k, i);
        if (sk_rec_dir(r) != s->side || !is_datagram(r))
            continue;
        count++;
        evidence(res, r->n);
        if (count <= 8 && used < sizeof sizes) {
            int w = snprintf(sizes + used, sizeof sizes - used, "%s%u", count > 1 ? ", " : "",
                             r->len);
            if (w > 0)
                used += (size_t)w;
        } else if (count == 9 && used + 4 < sizeof sizes) {
            memcpy(sizes + used, ", …", sizeof ", …");
            used += sizeof ", …" - 1;
        }
    }
    if (count < s->n) {
        say(res, _("the %s sent %u datagrams, fewer than %u"), role(s->side), count,
            (unsigned)s->n);
        return;
    }
    say(res,
        dngettext(SK_TEXTDOMAIN, "%u datagram of %s bytes", "%u datagrams of %s bytes", count),
        count, sizes);
    pass(res);
}

static unsigned count_dir(const struct ctx *c, size_t k, int dir, uint32_t *first)
{
    unsigned n = 0;
    *first = 0;
    for (size_t i = 0; i < c->nidx[k]; i++) {
        const struct sk_rec *r = rec_at(c, k, i);
        if (sk_rec_dir(r) == dir && is_datagram(r)) {
            if (!n)
                *first = r->n;
            n++;
        }
    }
    return n;
}

/* A UDP datagram sent to the client's address and port from another port
 * than the one it sent to: an answer from the wrong socket. 0 if none. */
static uint32_t answer_from_elsewhere(const struct ctx *c, const struct sk_conv *cv)
{
    size_t n = sk_convtab_count(c->in->convs);
    for (uint32_t id = 0; id < n; id++) {
        const struct sk_conv *o = sk_convtab_get(c->in->convs, id);
        if (!o || o == cv || o->proto != 17)
            continue;
        for (int e = 0; e < 2; e++)
            if (o->port[e] == cv->port[SK_CLIENT] &&
                sk_addr_eq(&o->addr[e], &cv->addr[SK_CLIENT]) &&
                o->pkts[!e] > 0)
                return o->first_n;
    }
    return 0;
}

static void step_replies(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    uint32_t first_q, first_a;
    unsigned asked = count_dir(c, k, SK_C2S, &first_q);
    unsigned answered = count_dir(c, k, SK_S2C, &first_a);
    for (size_t i = 0; i < c->nidx[k]; i++) {
        const struct sk_rec *r = rec_at(c, k, i);
        if (sk_rec_dir(r) == SK_S2C && is_datagram(r))
            evidence(res, r->n);
    }
    if (answered == 0) {
        uint32_t other = answer_from_elsewhere(c, conv_of(c, k));
        if (other) {
            evidence(res, other);
            say(res, _("the answer (packet %u) comes from another port than the one the client "
                       "sent to: answer with the receiving socket, to rinfo"),
                other);
        } else {
            say(res, "%s", _("the server sent no datagram back to the client's address and port"));
        }
        return;
    }
    if (answered < asked) {
        say(res, _("the server answered %u of %u datagrams"), answered, asked);
        return;
    }
    say(res, _("%u answers for %u datagrams, each to the client's port"), answered, asked);
    pass(res);
}

static void step_no_reply(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
        return;
    uint32_t first;
    unsigned answered = count_dir(c, s->conv, SK_S2C, &first);
    if (answered > 0) {
        evidence(res, first);
        say(res, _("the server answered (packet %u): something listens on that port"), first);
        return;
    }
    pass(res);
}

static void step_icmp(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    long dg = find(c, k, 0, SK_C2S, is_datagram);
    evidence(res, num_at(c, k, dg));
    long icmp = find(c, k, 0, -1, has_icmp_unreach);
    if (icmp < 0) {
        uint32_t first;
        if (count_dir(c, k, SK_S2C, &first) > 0) {
            evidence(res, first);
            say(res, _("no ICMP port unreachable came back; the server answered (packet %u)"),
                first);
        } else {
            say(res, "%s", _("no ICMP port unreachable came back"));
        }
        return;
    }
    const struct sk_rec *r = rec_at(c, k, (size_t)icmp);
    evidence(res, r->n);
    unsigned type = r->aux >> 8 & 0xff, code = r->aux & 0xff;
    bool port = sk_rec_kind(r) == SK_K_ICMP ? type == 3 && code == 3 : type == 1 && code == 4;
    if (!port) {
        say(res, _("an ICMP destination unreachable came back (packet %u), but with code %u, "
                   "not port unreachable"),
            r->n, code);
        return;
    }
    say(res, _("ICMP port unreachable (packet %u) quotes the datagram"), r->n);
    pass(res);
}

/* ================================================================ event steps */

static const char *no_events_text(void)
{
    return _("not checked: this capture has no syscall events (only captures recorded with "
             "the labs keep them, in CAPTURE.events)");
}

static bool call_matches(const struct sk_call_match *m, const struct sk_labevent *e)
{
    if (e->kind != SK_LABEV_CALL)
        return false;
    if (m->prog && strcmp(m->prog, e->prog) != 0)
        return false;
    if (m->call && strcmp(m->call, e->call) != 0)
        return false;
    if (m->err && strcmp(m->err, e->err) != 0)
        return false;
    if (m->args && !strstr(e->args, m->args))
        return false;
    if (m->state && strcmp(m->state, e->state) != 0)
        return false;
    if (m->ret != -2 && e->ret != m->ret)
        return false;
    return true;
}

static void describe_event(const struct sk_labevent *e, char *buf, size_t n)
{
    if (e->err[0])
        snprintf(buf, n, "%s: %s(%s) = %" PRId64 " %s", e->prog, e->call, e->args, e->ret, e->err);
    else if (e->state[0])
        snprintf(buf, n, "%s: %s(%s) = %" PRId64 ", %s", e->prog, e->call, e->args, e->ret,
                 e->state);
    else
        snprintf(buf, n, "%s: %s(%s) = %" PRId64, e->prog, e->call, e->args, e->ret);
}

/* The packet that caused a call's result: the last one captured at most 5 ms
 * before the call returned (a RST before ECONNRESET, an ICMP error before
 * ECONNREFUSED); 0 if none, since then no packet explains it. */
static uint32_t packet_cause(const struct ctx *c, int64_t t1)
{
    const struct sk_trace *t = c->in->trace;
    size_t n = sk_trace_count(t);
    uint32_t best = 0;
    for (size_t i = 0; i < n; i++) {
        const struct sk_rec *r = sk_trace_get(t, i);
        if (r->ts_ns <= t1 && t1 - r->ts_ns <= 5000000)
            best = r->n;
    }
    return best;
}

static void step_call(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    const struct sk_check_input *in = c->in;
    if (!in->events) {
        res->verdict = SK_SKIP;
        say(res, "%s", no_events_text());
        return;
    }
    char text[300];
    for (size_t i = 0; i < in->nev; i++) {
        if (call_matches(&s->call, &in->ev[i])) {
            describe_event(&in->ev[i], text, sizeof text);
            evidence(res, packet_cause(c, in->ev[i].t1_ns));
            say(res, "%s", text);
            pass(res);
            return;
        }
    }
    /* The nearest miss: the same call by the same program. */
    for (size_t i = 0; i < in->nev; i++) {
        const struct sk_labevent *e = &in->ev[i];
        if (e->kind == SK_LABEV_CALL && s->call.call && strcmp(e->call, s->call.call) == 0 &&
            (!s->call.prog || strcmp(s->call.prog, e->prog) == 0)) {
            describe_event(e, text, sizeof text);
            say(res, _("no such call among the %zu syscall events; the nearest: %s"), in->nev,
                text);
            return;
        }
    }
    say(res, _("no such call among the %zu syscall events"), in->nev);
}

static void step_boundaries(const struct ctx *c, const struct sk_step *s,
                            struct sk_step_result *res)
{
    if (!c->in->events) {
        res->verdict = SK_SKIP;
        say(res, "%s", no_events_text());
        return;
    }
    if (!need_conv(c, s->conv, res))
        return;
    size_t k = s->conv;
    const struct sk_conv *cv = conv_of(c, k);
    /* The receiver's recvfrom() results, in the order it made them. */
    size_t nrecv = 0, nmatched = 0;
    size_t di = 0;
    for (size_t i = 0; i < c->in->nev; i++) {
        const struct sk_labevent *e = &c->in->ev[i];
        if (e->kind != SK_LABEV_CALL || strcmp(e->call, "recvfrom") != 0 || e->ret < 0)
            continue;
        if (sk_labevent_side(e, cv) != SK_SERVER)
            continue;
        nrecv++;
        /* The next datagram the client sent. */
        const struct sk_rec *d = NULL;
        while (di < c->nidx[k]) {
            const struct sk_rec *r = rec_at(c, k, di++);
            if (sk_rec_dir(r) == SK_C2S && is_datagram(r)) {
                d = r;
                break;
            }
        }
        if (!d) {
            say(res, _("recvfrom() returned %" PRId64 " bytes, but no datagram of the client's "
                       "is left to match it"),
                e->ret);
            return;
        }
        evidence(res, d->n);
        if ((int64_t)d->len != e->ret) {
            say(res, _("recvfrom() returned %" PRId64 " bytes, but the datagram (packet %u) had "
                       "%u"),
                e->ret, d->n, d->len);
            return;
        }
        nmatched++;
    }
    if (nrecv == 0) {
        say(res, "%s", _("the syscall events hold no recvfrom() by the server"));
        return;
    }
    say(res,
        dngettext(SK_TEXTDOMAIN, "%zu recvfrom() call returned one datagram's bytes",
                  "%zu recvfrom() calls, each returned one datagram's bytes", nmatched),
        nmatched);
    pass(res);
}

/* ================================================================ the run */

/* UDP ports of services that talk on their own on a real network. */
static bool background_udp(const struct sk_conv *cv)
{
    static const uint16_t ports[] = {53, 67, 68, 123, 137, 138, 443, 546, 547, 1900, 3702, 5353,
                                     5355};
    for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++)
        if (cv->port[0] == ports[i] || cv->port[1] == ports[i])
            return true;
    return false;
}

static bool tcp_opened(const struct sk_conv *cv)
{
    switch (cv->tcp.opened) {
    case SK_OPEN_HANDSHAKE:
    case SK_OPEN_SIMULTANEOUS:
    case SK_OPEN_SYN_ONLY:
    case SK_OPEN_REFUSED:
        return true;
    default:
        return false;
    }
}

static void pick_candidates(struct ctx *c)
{
    const struct sk_convtab *t = c->in->convs;
    size_t n = sk_convtab_count(t);
    for (int pass_no = 0; pass_no < 2 && c->ncand == 0; pass_no++) {
        for (uint32_t id = 0; id < n && c->ncand < MAX_CANDIDATES; id++) {
            const struct sk_conv *cv = sk_convtab_get(t, id);
            if (!cv)
                continue;
            if (pass_no == 0) {
                if (cv->proto == 6)
                    c->ntcp++;
                else if (cv->proto == 17)
                    c->nudp++;
                else
                    c->nother++;
            }
            bool ok;
            /* UDP: never the background services, even when nothing else is there. */
            if (c->sc->proto == 17)
                ok = cv->proto == 17 && cv->pkts[SK_CLIENT] > 0 && !background_udp(cv);
            else
                /* Second pass: no SYN anywhere; grade what there is (mid-stream). */
                ok = cv->proto == 6 && (pass_no == 1 || tcp_opened(cv));
            if (ok)
                c->cand[c->ncand++] = id;
        }
    }
}

static bool index_records(struct ctx *c)
{
    const struct sk_trace *t = c->in->trace;
    size_t n = sk_trace_count(t);
    c->npackets = n;
    for (size_t k = 0; k < c->ncand; k++) {
        const struct sk_conv *cv = conv_of(c, k);
        size_t want = cv ? (size_t)(cv->pkts[0] + cv->pkts[1]) : 0;
        c->idx[k] = malloc((want ? want : 1) * sizeof *c->idx[k]);
        if (!c->idx[k])
            return false;
        c->nidx[k] = 0;
    }
    for (size_t i = 0; i < n; i++) {
        const struct sk_rec *r = sk_trace_get(t, i);
        if (r->conv == SK_NO_CONV)
            continue;
        for (size_t k = 0; k < c->ncand; k++) {
            if (c->cand[k] != r->conv)
                continue;
            const struct sk_conv *cv = conv_of(c, k);
            if (c->nidx[k] < (size_t)(cv->pkts[0] + cv->pkts[1]))
                c->idx[k][c->nidx[k]++] = (uint32_t)i;
            break;
        }
    }
    /* A conversation whose packets are all outside the trace (a filter) is
     * no candidate. */
    size_t kept = 0;
    for (size_t k = 0; k < c->ncand; k++) {
        if (c->nidx[k] == 0) {
            free(c->idx[k]);
            continue;
        }
        c->cand[kept] = c->cand[k];
        c->idx[kept] = c->idx[k];
        c->nidx[kept] = c->nidx[k];
        kept++;
    }
    c->ncand = kept;
    return true;
}

void sk_check_run(const struct sk_scenario *sc, const struct sk_check_input *in,
                  struct sk_check_report *rep)
{
    memset(rep, 0, sizeof *rep);
    rep->sc = sc;
    rep->events = in->events;
    struct ctx c;
    memset(&c, 0, sizeof c);
    c.in = in;
    c.sc = sc;
    pick_candidates(&c);
    c.oom = !index_records(&c);

    rep->nconns = c.ncand;
    for (size_t k = 0; k < c.ncand && k < SK_CHECK_MAX_CONNS; k++) {
        const struct sk_conv *cv = conv_of(&c, k);
        char a[SK_ADDRSTRLEN], b[SK_ADDRSTRLEN];
        snprintf(rep->conns[k], sizeof rep->conns[k], "%s > %s",
                 sk_endpoint_str(&cv->addr[SK_CLIENT], cv->port[SK_CLIENT], a),
                 sk_endpoint_str(&cv->addr[SK_SERVER], cv->port[SK_SERVER], b));
        rep->conn_ids[k] = cv->id;
    }

    rep->nsteps = sk_scenario_nsteps(sc);
    for (size_t i = 0; i < rep->nsteps; i++) {
        const struct sk_step *s = &sc->steps[i];
        struct sk_step_result *res = &rep->step[i];
        res->step = s;
        res->verdict = SK_FAIL;
        if (c.oom) {
            say(res, "%s", _("out of memory"));
        } else {
            switch ((enum sk_check_kind)s->kind) {
            case SK_CK_HANDSHAKE: step_handshake(&c, s, res); break;
            case SK_CK_DATA: step_data(&c, s, res); break;
            case SK_CK_FIRST_FIN: step_first_fin(&c, s, res); break;
            case SK_CK_CLOSED: step_closed(&c, s, res); break;
            case SK_CK_HALF_CLOSE: step_half_close(&c, s, res); break;
            case SK_CK_CLOSE_WAIT: step_close_wait(&c, s, res); break;
            case SK_CK_TIME_WAIT: step_time_wait(&c, s, res); break;
            case SK_CK_ABORT: step_abort(&c, s, res); break;
            case SK_CK_REFUSED: step_refused(&c, s, res); break;
            case SK_CK_SAME_SERVER: step_same_server(&c, s, res); break;
            case SK_CK_CONNECTIONS: step_connections(&c, s, res); break;
            case SK_CK_QUEUED: step_queued(&c, s, res); break;
            case SK_CK_SYN_RETRANS: step_syn_retrans(&c, s, res); break;
            case SK_CK_NAGLE: step_nagle(&c, s, res); break;
            case SK_CK_COALESCED: step_coalesced(&c, s, res); break;
            case SK_CK_ZERO_WINDOW: step_zero_window(&c, s, res); break;
            case SK_CK_WINDOW_OPENS: step_window_opens(&c, s, res); break;
            case SK_CK_RETRANS:
            case SK_CK_DUP_ACKS: step_count_event(&c, s, res); break;
            case SK_CK_RTO_BACKOFF: step_rto_backoff(&c, s, res); break;
            case SK_CK_IPV6: step_ipv6(&c, s, res); break;
            case SK_CK_DATAGRAMS: step_datagrams(&c, s, res); break;
            case SK_CK_REPLIES: step_replies(&c, s, res); break;
            case SK_CK_NO_REPLY: step_no_reply(&c, s, res); break;
            case SK_CK_ICMP_UNREACH: step_icmp(&c, s, res); break;
            case SK_CK_BOUNDARIES: step_boundaries(&c, s, res); break;
            case SK_CK_CALL: step_call(&c, s, res); break;
            case SK_CK_END: break;
            }
        }
        if (res->verdict != SK_SKIP)
            res->verdict = s->info ? SK_INFO : res->holds ? SK_PASS : SK_FAIL;
        /* Evidence in file order, as a reader looks the packets up. */
        for (unsigned a = 1; a < res->npackets; a++)
            for (unsigned b = a; b > 0 && res->packets[b - 1] > res->packets[b]; b--) {
                uint32_t t = res->packets[b];
                res->packets[b] = res->packets[b - 1];
                res->packets[b - 1] = t;
            }
        switch (res->verdict) {
        case SK_PASS: rep->passed++; break;
        case SK_FAIL: rep->failed++; break;
        case SK_SKIP: rep->skipped++; break;
        case SK_INFO: rep->info++; break;
        }
    }
    for (size_t k = 0; k < c.ncand; k++)
        free(c.idx[k]);
}

/* ================================================================ files */

int sk_check_file(const struct sk_scenario *sc, const char *path,
                  const struct sk_check_opts *opts, struct sk_check_report *rep, char *err)
{
    static const struct sk_check_opts none;
    if (!opts)
        opts = &none;
    int status = -1;
    struct sk_source *src = sk_source_open_file(path, err);
    if (!src)
        return -1;
    struct sk_analyzer *an = NULL;
    struct sk_trace *trace = NULL;
    struct sk_labev_list evs = {0};
    char warning[SK_ERRBUF_SIZE] = "";
    if (opts->filter && sk_source_set_filter(src, opts->filter, err) < 0)
        goto out;
    an = sk_analyzer_new(sk_source_datalink(src));
    trace = sk_trace_new();
    if (!an || !trace) {
        sk_err(err, "%s", _("out of memory"));
        goto out;
    }
    struct sk_raw raw;
    struct sk_result res;
    for (;;) {
        int got = sk_source_next(src, &raw, warning);
        if (got <= 0)
            break; /* end, or cut short: grade what was read (warning says so) */
        if (sk_analyzer_add(an, &raw, &res, err) < 0 || sk_trace_add(trace, &res.rec) < 0) {
            sk_err(err, "%s", _("out of memory"));
            goto out;
        }
    }
    if (sk_trace_count(trace) == 0 && warning[0]) {
        sk_err(err, "%s", warning);
        goto out;
    }

    /* The syscall events: the file named, else the sidecar if there is one. */
    bool have_events = false;
    if (!opts->no_events) {
        char side[4096];
        const char *evpath = opts->events;
        if (!evpath && sk_labev_sidecar_path(path, side, sizeof side) == 0 &&
            access(side, F_OK) == 0)
            evpath = side;
        if (evpath) {
            size_t skipped = 0;
            char everr[SK_ERRBUF_SIZE];
            if (sk_labev_load(evpath, &evs, &skipped, everr) < 0) {
                if (opts->events) {
                    sk_err(err, "%s", everr);
                    goto out;
                }
                snprintf(warning, sizeof warning, "%s", everr);
            } else if (evs.n == 0 && skipped > 0) {
                snprintf(warning, sizeof warning,
                         _("%s holds no syscall events (%zu lines are not events); graded "
                           "without them"),
                         evpath, skipped);
            } else {
                have_events = true;
            }
        }
    }

    struct sk_check_input in = {
        .trace = trace,
        .convs = sk_analyzer_convs(an),
        .ev = evs.ev,
        .nev = evs.n,
        .events = have_events,
    };
    sk_check_run(sc, &in, rep);
    snprintf(rep->warning, sizeof rep->warning, "%s", warning);
    status = 0;
out:
    sk_labev_list_free(&evs);
    sk_trace_free(trace);
    sk_analyzer_free(an);
    sk_source_close(src);
    return status;
}
