/* checker_udp.c — the checker's UDP steps: datagrams, replies, silence and
 * ICMP port unreachable, each graded on a capture (checker.h). */
#include <string.h>

#include "checker_priv.h"

static bool has_icmp_unreach(const struct sk_rec *r) { return sk_rec_has(r, SK_EV_ICMP_UNREACH); }

void sk_chk_step_datagrams(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
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

void sk_chk_step_replies(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
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

void sk_chk_step_no_reply(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
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

void sk_chk_step_icmp(const struct ctx *c, const struct sk_step *s, struct sk_step_result *res)
{
    if (!sk_chk_need_conv(c, s->conv, res))
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
