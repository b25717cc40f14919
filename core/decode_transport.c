/* decode_transport.c — TCP (RFC 9293) with its options (RFC 7323 window scale
 * and timestamps, RFC 2018 SACK), UDP (RFC 768), ICMP (RFC 792, with RFC 1191's
 * next-hop MTU) and ICMPv6 (RFC 4443), with the datagram an error quotes. */
#include "decode_layers.h"
#include "i18n.h"

/* ------------------------------------------------------------ readers */

uint32_t sk_rd_tcp(struct sk_cursor *c, struct sk_tcp_hdr *h)
{
    /* A local cursor: the header's byte fields could alias *c. */
    struct sk_cursor l = *c;
    uint32_t got = c->left < SK_TCP_LEN ? (uint32_t)c->left : SK_TCP_LEN;
    (void)(sk_cur_be16(&l, &h->sport) && sk_cur_be16(&l, &h->dport) && sk_cur_be32(&l, &h->seq) &&
           sk_cur_be32(&l, &h->ack) && sk_cur_u8(&l, &h->offx2) && sk_cur_u8(&l, &h->flags) &&
           sk_cur_be16(&l, &h->win) && sk_cur_be16(&l, &h->sum) && sk_cur_be16(&l, &h->urp));
    *c = l;
    return got;
}

uint32_t sk_rd_udp(struct sk_cursor *c, struct sk_udp_hdr *h)
{
    /* A local cursor: the header's byte fields could alias *c. */
    struct sk_cursor l = *c;
    uint32_t got = c->left < SK_UDP_LEN ? (uint32_t)c->left : SK_UDP_LEN;
    (void)(sk_cur_be16(&l, &h->sport) && sk_cur_be16(&l, &h->dport) && sk_cur_be16(&l, &h->len) &&
           sk_cur_be16(&l, &h->sum));
    *c = l;
    return got;
}

uint32_t sk_rd_icmp(struct sk_cursor *c, struct sk_icmp_hdr *h)
{
    /* A local cursor: the header's byte fields could alias *c. */
    struct sk_cursor l = *c;
    uint32_t got = c->left < SK_ICMP_LEN ? (uint32_t)c->left : SK_ICMP_LEN;
    (void)(sk_cur_u8(&l, &h->type) && sk_cur_u8(&l, &h->code) && sk_cur_be16(&l, &h->sum) &&
           sk_cur_be32(&l, &h->rest));
    *c = l;
    return got;
}

/* ------------------------------------------------------------ TCP */

static void tcp_fill(struct sk_packet *p, const struct sk_tcp_hdr *h, uint32_t got)
{
    if (got >= 2)
        p->sport = h->sport;
    if (got >= 4)
        p->dport = h->dport;
    if (got >= 8)
        p->tcp.seq = h->seq;
    if (got >= 12)
        p->tcp.ack = h->ack;
    if (got >= 13) {
        p->tcp.hlen = (uint8_t)((h->offx2 >> 4) * 4);
        p->tcp.ae = (h->offx2 & 1) != 0;
    }
    if (got >= 14)
        p->tcp.flags = h->flags;
    if (got >= 16)
        p->tcp.win = h->win;
    if (got >= 18)
        p->tcp.sum = h->sum;
    if (got >= 20)
        p->tcp.urp = h->urp;
}

/* Reads the options we name into p->tcp.opt; false if the capture cut them. */
static bool tcp_options(struct sk_dec *d, struct sk_layer *ly, struct sk_cursor c,
                        uint32_t stated)
{
    struct sk_tcp_options *opt = &d->p->tcp.opt;
    struct sk_optwalk w = sk_optwalk_make(c, stated);
    struct sk_opt o;
    enum sk_optres r;
    while ((r = sk_opt_next(&w, &o)) == SK_OPT_NEXT) {
        bool ok = true;
        switch (o.kind) {
        case SK_TCPOPT_EOL:
        case SK_TCPOPT_NOP:
            break;
        case SK_TCPOPT_MSS:
            ok = opt->has_mss = o.len == 4 && sk_cur_be16(&o.val, &opt->mss);
            break;
        case SK_TCPOPT_WSCALE:
            ok = opt->has_wscale = o.len == 3 && sk_cur_u8(&o.val, &opt->wscale);
            break;
        case SK_TCPOPT_SACKOK:
            ok = opt->sack_perm = o.len == 2;
            break;
        case SK_TCPOPT_TS:
            ok = opt->has_ts = o.len == 10 && sk_cur_be32(&o.val, &opt->ts_val) &&
                               sk_cur_be32(&o.val, &opt->ts_ecr);
            break;
        case SK_TCPOPT_SACK:
            ok = o.len >= 10 && (o.len - 2) % 8 == 0;
            opt->nsack = 0;
            while (ok && opt->nsack < SK_MAX_SACK && o.val.left >= 8) {
                (void)(sk_cur_be32(&o.val, &opt->sack[opt->nsack][0]) &&
                       sk_cur_be32(&o.val, &opt->sack[opt->nsack][1]));
                opt->nsack++;
            }
            break;
        default:
            if (opt->nother < UINT8_MAX)
                opt->nother++;
            break;
        }
        if (!ok) {
            opt->bad = true;
            sk_dec_problem(d, ly, SK_INVALID, N_("TCP option with an impossible length"));
            return true;
        }
    }
    if (r == SK_OPT_BAD) {
        opt->bad = true;
        sk_dec_problem(d, ly, SK_INVALID, N_("TCP option with an impossible length"));
    } else if (r == SK_OPT_TRUNC) {
        sk_dec_problem(d, ly, SK_TRUNCATED, N_("truncated TCP options"));
        return false;
    }
    return true;
}

static void dec_tcp(struct sk_dec *d, uint32_t off, uint32_t avail)
{
    struct sk_packet *p = d->p;
    struct sk_layer *ly = sk_layer_push(d, SK_LY_TCP, off, false);
    struct sk_tcp_hdr *h = &ly->h.tcp;
    struct sk_cursor c = sk_dec_at(d, off);
    sk_cur_limit(&c, avail);

    p->l4 = SK_L4_TCP;
    ly->avail = avail;
    ly->hlen = SK_TCP_LEN;
    ly->got = sk_rd_tcp(&c, h);
    tcp_fill(p, h, ly->got);
    if (ly->got >= 13) {
        uint32_t hlen = (h->offx2 >> 4) * 4u;
        if (hlen < SK_TCP_LEN) {
            sk_dec_problem(d, ly, SK_INVALID, N_("TCP data offset below 5"));
            return;
        }
        ly->hlen = hlen;
    }
    if (avail < ly->hlen) {
        sk_dec_problem(d, ly, SK_INVALID, N_("TCP header beyond the end of the IP payload"));
        return;
    }
    if (ly->got < SK_TCP_LEN) {
        sk_dec_problem(d, ly, SK_TRUNCATED, N_("truncated TCP header"));
        return;
    }
    uint32_t hlen = ly->hlen;
    if (hlen > SK_TCP_LEN) {
        uint32_t optcap = c.left < hlen - SK_TCP_LEN ? (uint32_t)c.left : hlen - SK_TCP_LEN;
        ly->got = SK_TCP_LEN + optcap;
        if (!tcp_options(d, ly, c, hlen - SK_TCP_LEN))
            return;
    }
    sk_dec_payload(d, off + hlen, avail - hlen);
}

/* ------------------------------------------------------------ UDP */

static void dec_udp(struct sk_dec *d, uint32_t off, uint32_t avail)
{
    struct sk_packet *p = d->p;
    struct sk_layer *ly = sk_layer_push(d, SK_LY_UDP, off, false);
    struct sk_udp_hdr *h = &ly->h.udp;
    struct sk_cursor c = sk_dec_at(d, off);
    sk_cur_limit(&c, avail);

    p->l4 = SK_L4_UDP;
    ly->avail = avail;
    ly->hlen = SK_UDP_LEN;
    ly->got = sk_rd_udp(&c, h);
    if (ly->got >= 2)
        p->sport = h->sport;
    if (ly->got >= 4)
        p->dport = h->dport;
    if (ly->got >= 6)
        p->udp.len = h->len;
    if (ly->got >= 8)
        p->udp.sum = h->sum;
    /* A length of 0 is allowed in an IPv6 jumbogram only (RFC 2675 §4). */
    if (ly->got >= 6 && h->len < SK_UDP_LEN && !(h->len == 0 && avail > 0xffff)) {
        sk_dec_problem(d, ly, SK_INVALID, N_("UDP length below 8"));
        return;
    }
    if (avail < SK_UDP_LEN) {
        sk_dec_problem(d, ly, SK_INVALID, N_("UDP header beyond the end of the IP payload"));
        return;
    }
    if (ly->got < SK_UDP_LEN) {
        sk_dec_problem(d, ly, SK_TRUNCATED, N_("truncated UDP header"));
        return;
    }
    uint32_t ulen = h->len ? h->len : avail;
    if (ulen > avail) {
        /* The first fragment of a datagram holds only part of what the length counts. */
        if (!p->fragment)
            sk_dec_problem(d, ly, SK_INVALID, N_("UDP length beyond the end of the IP payload"));
        ulen = avail;
    }
    sk_dec_payload(d, off + SK_UDP_LEN, ulen - SK_UDP_LEN);
}

/* ------------------------------------------------------------ ICMP, ICMPv6 */

static bool icmp_has_idseq(uint8_t type, bool v6)
{
    if (v6)
        return type == 128 || type == 129;
    return type == 0 || type == 8 || (type >= 13 && type <= 18);
}

static void dec_icmp(struct sk_dec *d, uint32_t off, uint32_t avail, bool v6)
{
    struct sk_packet *p = d->p;
    struct sk_layer *ly = sk_layer_push(d, v6 ? SK_LY_ICMP6 : SK_LY_ICMP, off, false);
    struct sk_icmp_hdr *h = &ly->h.icmp;
    struct sk_cursor c = sk_dec_at(d, off);
    sk_cur_limit(&c, avail);

    p->l4 = v6 ? SK_L4_ICMP6 : SK_L4_ICMP;
    ly->avail = avail;
    ly->hlen = SK_ICMP_LEN;
    ly->got = sk_rd_icmp(&c, h);
    if (ly->got >= 1)
        p->icmp.type = h->type;
    if (ly->got >= 2)
        p->icmp.code = h->code;
    if (ly->got >= 4)
        p->icmp.sum = h->sum;
    if (ly->got >= 8) {
        if (icmp_has_idseq(h->type, v6)) {
            p->icmp.id = (uint16_t)(h->rest >> 16);
            p->icmp.seq = (uint16_t)h->rest;
        } else if (!v6 && h->type == 3 && h->code == 4) {
            p->icmp.mtu = h->rest & 0xffff;
        } else if (v6 && h->type == 2) {
            p->icmp.mtu = h->rest;
        }
    }
    if (avail < SK_ICMP_LEN) {
        sk_dec_problem(d, ly, SK_INVALID,
                       v6 ? N_("ICMPv6 message shorter than its 8-byte header")
                          : N_("ICMP message shorter than its 8-byte header"));
        return;
    }
    if (ly->got < SK_ICMP_LEN) {
        sk_dec_problem(d, ly, SK_TRUNCATED,
                       v6 ? N_("truncated ICMPv6 header") : N_("truncated ICMP header"));
        return;
    }
    if (v6 ? sk_icmp6_is_error(h->type) : sk_icmp_is_error(h->type)) {
        if (v6)
            sk_dec_quote6(d, off + SK_ICMP_LEN, avail - SK_ICMP_LEN, &p->icmp.q);
        else
            sk_dec_quote4(d, off + SK_ICMP_LEN, avail - SK_ICMP_LEN, &p->icmp.q);
    }
    sk_dec_payload(d, off + SK_ICMP_LEN, avail - SK_ICMP_LEN);
}

/* ------------------------------------------------------------ dispatch */

void sk_dec_transport(struct sk_dec *d, uint8_t proto, uint32_t off, uint32_t avail)
{
    struct sk_packet *p = d->p;
    p->l4_off = off;
    if (proto == SK_IPPROTO_TCP) {
        dec_tcp(d, off, avail);
    } else if (proto == SK_IPPROTO_UDP) {
        dec_udp(d, off, avail);
    } else if (proto == SK_IPPROTO_ICMP && p->l3 == SK_L3_IPV4) {
        dec_icmp(d, off, avail, false);
    } else if (proto == SK_IPPROTO_ICMPV6 && p->l3 == SK_L3_IPV6) {
        dec_icmp(d, off, avail, true);
    } else {
        p->l4 = SK_L4_OTHER;
        sk_dec_payload(d, off, avail);
    }
}
