/* decode_ip.c — IPv4 (RFC 791) with options and fragments (flagged, not
 * reassembled), IPv6 (RFC 8200) through its extension headers (and AH, RFC
 * 4302; Jumbo Payload, RFC 2675), and the IP datagram an ICMP (RFC 792) or
 * ICMPv6 (RFC 4443) error quotes. */
#include <string.h>

#include "decode_layers.h"
#include "i18n.h"

/* ------------------------------------------------------------ readers */

uint32_t sk_rd_ip4(struct sk_cursor *c, struct sk_ip4_hdr *h)
{
    /* A local cursor: the header's byte fields could alias *c. */
    struct sk_cursor l = *c;
    uint32_t got = c->left < SK_IP4_LEN ? (uint32_t)c->left : SK_IP4_LEN;
    (void)(sk_cur_u8(&l, &h->vihl) && sk_cur_u8(&l, &h->tos) && sk_cur_be16(&l, &h->len) &&
           sk_cur_be16(&l, &h->id) && sk_cur_be16(&l, &h->off) && sk_cur_u8(&l, &h->ttl) &&
           sk_cur_u8(&l, &h->proto) && sk_cur_be16(&l, &h->sum) && sk_cur_copy(&l, h->src, 4) &&
           sk_cur_copy(&l, h->dst, 4));
    *c = l;
    return got;
}

uint32_t sk_rd_ip6(struct sk_cursor *c, struct sk_ip6_hdr *h)
{
    /* A local cursor: the header's byte fields could alias *c. */
    struct sk_cursor l = *c;
    uint32_t got = c->left < SK_IP6_LEN ? (uint32_t)c->left : SK_IP6_LEN;
    (void)(sk_cur_be32(&l, &h->vtcfl) && sk_cur_be16(&l, &h->plen) && sk_cur_u8(&l, &h->nxt) &&
           sk_cur_u8(&l, &h->hlim) && sk_cur_copy(&l, h->src, 16) && sk_cur_copy(&l, h->dst, 16));
    *c = l;
    return got;
}

uint32_t sk_rd_ip6ext(struct sk_cursor *c, uint8_t type, struct sk_ip6ext_hdr *h)
{
    size_t start = c->left;
    memset(h, 0, sizeof *h);
    h->type = type;
    if (!(sk_cur_u8(c, &h->nxt) && sk_cur_u8(c, &h->len)))
        return (uint32_t)start;
    uint32_t elen = sk_ip6ext_len(type, h->len);
    switch (type) {
    case SK_IPPROTO_FRAGMENT:
        (void)(sk_cur_be16(c, &h->offlg) && sk_cur_be32(c, &h->id));
        break;
    case SK_IPPROTO_ROUTING:
        (void)(sk_cur_u8(c, &h->rt_type) && sk_cur_u8(c, &h->segleft));
        break;
    case SK_IPPROTO_AH:
        (void)(sk_cur_skip(c, 2) && sk_cur_be32(c, &h->spi) && sk_cur_be32(c, &h->seq));
        break;
    default:
        break;
    }
    return start < elen ? (uint32_t)start : elen;
}

/* ------------------------------------------------------------ helpers */

static void addr4(struct sk_addr *a, const uint8_t b[4])
{
    memset(a, 0, sizeof *a);
    a->family = 4;
    memcpy(a->b, b, 4);
}

static void addr6(struct sk_addr *a, const uint8_t b[16])
{
    a->family = 6;
    memcpy(a->b, b, 16);
}

/* The first byte at off, for the version nibble, or -1 when not captured. */
static int first_byte(const struct sk_dec *d, uint32_t off)
{
    struct sk_cursor c = sk_dec_at(d, off);
    uint8_t b;
    return sk_cur_u8(&c, &b) ? b : -1;
}

/* ------------------------------------------------------------ IPv4 */

/* Copies the fields of the IPv4 header that were captured (got bytes) into p. */
static void ip4_fill(struct sk_packet *p, const struct sk_ip4_hdr *h, uint32_t got)
{
    if (got >= 2)
        p->tos = h->tos;
    if (got >= 4)
        p->ip_len = h->len;
    if (got >= 6)
        p->ip_id = h->id;
    if (got >= 8) {
        /* From locals: reading back the bytes just stored would stall. */
        bool mf = (h->off & 0x2000) != 0;
        uint16_t frag_off = (uint16_t)((h->off & 0x1fff) * 8);
        p->df = (h->off & 0x4000) != 0;
        p->mf = mf;
        p->frag_off = frag_off;
        p->fragment = mf || frag_off != 0;
    }
    if (got >= 9)
        p->ttl = h->ttl;
    if (got >= 10)
        p->ip_proto = h->proto;
    if (got >= 16)
        addr4(&p->src, h->src);
    if (got >= 20)
        addr4(&p->dst, h->dst);
}

void sk_dec_ipv4(struct sk_dec *d, uint32_t off)
{
    struct sk_packet *p = d->p;
    struct sk_layer *ly = sk_layer_push(d, SK_LY_IPV4, off, false);
    struct sk_ip4_hdr *h = &ly->h.ip4;
    struct sk_cursor c = sk_dec_at(d, off);

    p->l3 = SK_L3_IPV4;
    p->l3_off = off;
    ly->hlen = SK_IP4_LEN;
    ly->got = sk_rd_ip4(&c, h);
    if (ly->got == 0) {
        sk_dec_problem(d, ly, SK_TRUNCATED, N_("truncated IPv4 header"));
        return;
    }
    if (h->vihl >> 4 != 4) {
        sk_dec_problem(d, ly, SK_INVALID, N_("IPv4 header with a version other than 4"));
        return;
    }
    uint32_t hlen = (h->vihl & 0x0fu) * 4u;
    if (hlen < SK_IP4_LEN) {
        sk_dec_problem(d, ly, SK_INVALID, N_("IPv4 header length below 20 bytes"));
        return;
    }
    ly->hlen = hlen;
    p->ip_hlen = (uint16_t)hlen;
    ip4_fill(p, h, ly->got);
    if (ly->got >= 4 && h->len != 0 && h->len < hlen) {
        sk_dec_problem(d, ly, SK_INVALID, N_("IPv4 total length below the header length"));
        return;
    }
    if (ly->got < SK_IP4_LEN) {
        sk_dec_problem(d, ly, SK_TRUNCATED, N_("truncated IPv4 header"));
        return;
    }
    if (hlen > SK_IP4_LEN) {
        struct sk_optwalk w = sk_optwalk_make(c, hlen - SK_IP4_LEN);
        struct sk_opt o;
        enum sk_optres r;
        p->ip_optlen = (uint16_t)(hlen - SK_IP4_LEN);
        ly->got = SK_IP4_LEN + (uint32_t)w.c.left;
        while ((r = sk_opt_next(&w, &o)) == SK_OPT_NEXT)
            ;
        if (r == SK_OPT_TRUNC) {
            sk_dec_problem(d, ly, SK_TRUNCATED, N_("truncated IPv4 options"));
            return;
        }
        if (r == SK_OPT_BAD)
            sk_dec_problem(d, ly, SK_INVALID, N_("IPv4 option with an impossible length"));
    }

    uint32_t wire = d->framelen - off; /* >= hlen: the header was captured */
    uint32_t total = h->len;
    if (total == 0) {
        total = wire; /* segmentation offload: the kernel left the length to the NIC */
    } else if (total > wire) {
        sk_dec_problem(d, ly, SK_INVALID, N_("IPv4 total length beyond the end of the frame"));
    }
    uint32_t avail = total - hlen;
    p->l4_off = off + hlen;
    if (p->frag_off != 0) { /* a later fragment: no transport header here */
        sk_dec_payload(d, off + hlen, avail);
        return;
    }
    sk_dec_transport(d, h->proto, off + hlen, avail);
}

/* ------------------------------------------------------------ IPv6 */

static void ip6_fill(struct sk_packet *p, const struct sk_ip6_hdr *h, uint32_t got)
{
    if (got >= 4) {
        p->tos = (uint8_t)(h->vtcfl >> 20);
        p->flow = h->vtcfl & 0xfffff;
    }
    if (got >= 6)
        p->ip_len = SK_IP6_LEN + h->plen;
    if (got >= 7)
        p->ip_proto = h->nxt;
    if (got >= 8)
        p->ttl = h->hlim;
    if (got >= 24)
        addr6(&p->src, h->src);
    if (got >= 40)
        addr6(&p->dst, h->dst);
}

/* The Jumbo Payload option (RFC 2675) of a hop-by-hop header at off, 0 if none. */
static uint32_t find_jumbo(const struct sk_dec *d, uint32_t off, uint32_t elen)
{
    struct sk_cursor c = sk_dec_at(d, off + 2);
    struct sk_optwalk w = sk_optwalk_make(c, elen - 2);
    struct sk_opt o;
    uint32_t v;
    while (sk_opt6_next(&w, &o) == SK_OPT_NEXT)
        if (o.kind == 0xc2 && o.len == 6 && sk_cur_be32(&o.val, &v))
            return v;
    return 0;
}

void sk_dec_ipv6(struct sk_dec *d, uint32_t off)
{
    struct sk_packet *p = d->p;
    struct sk_layer *ly = sk_layer_push(d, SK_LY_IPV6, off, false);
    struct sk_ip6_hdr *h = &ly->h.ip6;
    struct sk_cursor c = sk_dec_at(d, off);

    p->l3 = SK_L3_IPV6;
    p->l3_off = off;
    ly->hlen = SK_IP6_LEN;
    ly->got = sk_rd_ip6(&c, h);
    int b0 = first_byte(d, off);
    if (b0 < 0) {
        sk_dec_problem(d, ly, SK_TRUNCATED, N_("truncated IPv6 header"));
        return;
    }
    if (b0 >> 4 != 6) {
        sk_dec_problem(d, ly, SK_INVALID, N_("IPv6 header with a version other than 6"));
        return;
    }
    ip6_fill(p, h, ly->got);
    if (ly->got < SK_IP6_LEN) {
        sk_dec_problem(d, ly, SK_TRUNCATED, N_("truncated IPv6 header"));
        return;
    }
    p->ip_hlen = SK_IP6_LEN;

    uint32_t wire = d->framelen - off - SK_IP6_LEN;
    uint32_t avail = h->plen;
    bool no_plen = h->plen == 0; /* a jumbogram, or segmentation offload */
    if (no_plen)
        avail = wire;
    else if (avail > wire)
        sk_dec_problem(d, ly, SK_INVALID, N_("IPv6 payload length beyond the end of the frame"));

    uint32_t pos = off + SK_IP6_LEN;
    uint8_t nh = h->nxt;
    while (sk_is_ip6_ext(nh)) {
        struct sk_layer *ex = sk_layer_push(d, SK_LY_IP6EXT, pos, false);
        struct sk_ip6ext_hdr *e = &ex->h.ext;
        struct sk_cursor ec = sk_dec_at(d, pos);
        sk_cur_limit(&ec, avail);
        ex->avail = avail;
        ex->hlen = 2;
        ex->got = sk_rd_ip6ext(&ec, nh, e);
        if (ex->got < 2) {
            if (avail < 2)
                sk_dec_problem(d, ex, SK_INVALID, N_("IPv6 extension header beyond the payload"));
            else
                sk_dec_problem(d, ex, SK_TRUNCATED, N_("truncated IPv6 extension header"));
            return;
        }
        uint32_t elen = sk_ip6ext_len(nh, e->len);
        ex->hlen = elen;
        if (p->nnexthdr < SK_MAX_EXTHDR)
            p->nexthdr[p->nnexthdr++] = nh;
        if (nh == SK_IPPROTO_FRAGMENT && ex->got >= 4) {
            p->fragment = true;
            p->frag_off = e->offlg & 0xfff8;
            p->mf = (e->offlg & 1) != 0;
        }
        if (nh == SK_IPPROTO_FRAGMENT && ex->got >= 8)
            p->ip_id = (uint16_t)e->id;
        if (elen > avail) {
            sk_dec_problem(d, ex, SK_INVALID, N_("IPv6 extension header beyond the payload"));
            return;
        }
        if (ex->got < elen) {
            sk_dec_problem(d, ex, SK_TRUNCATED, N_("truncated IPv6 extension header"));
            return;
        }
        if (nh == SK_IPPROTO_HOPOPTS && no_plen && pos == off + SK_IP6_LEN) {
            uint32_t jumbo = find_jumbo(d, pos, elen);
            if (jumbo) {
                e->jumbo = jumbo;
                p->ip_len = SK_IP6_LEN + jumbo;
                avail = jumbo;
                if (jumbo > wire)
                    sk_dec_problem(d, ly, SK_INVALID,
                                   N_("IPv6 payload length beyond the end of the frame"));
                if (elen > avail) {
                    sk_dec_problem(d, ex, SK_INVALID,
                                   N_("IPv6 extension header beyond the payload"));
                    return;
                }
            }
        }
        pos += elen;
        avail -= elen;
        p->ip_hlen = (uint16_t)(pos - off > 0xffff ? 0xffff : pos - off);
        nh = e->nxt;
        if (p->frag_off != 0) { /* a later fragment: no transport header here */
            p->ip_proto = nh;
            p->l4_off = pos;
            sk_dec_payload(d, pos, avail);
            return;
        }
    }
    p->ip_proto = nh;
    sk_dec_transport(d, nh, pos, avail);
}

/* ------------------------------------------------------------ quoted datagrams */

/* The quote ends before `need` bytes: normal if the message itself is that
 * short (avail), a truncation if the capture cut it. */
static bool quote_cut(struct sk_dec *d, struct sk_layer *ly, uint32_t avail, uint32_t need,
                      const char *why)
{
    if (avail < need)
        return true;
    sk_dec_problem(d, ly, SK_TRUNCATED, why);
    return false;
}

/* The first 8 bytes of the quoted transport header: enough for the ports. */
static bool quote_l4(struct sk_dec *d, uint32_t off, uint32_t avail, struct sk_quoted *q,
                     struct sk_layer *ip, const char *why)
{
    uint32_t need = avail < 8 ? avail : 8;
    struct sk_cursor c = sk_dec_at(d, off);
    sk_cur_limit(&c, need);
    uint32_t got = (uint32_t)c.left;
    struct sk_layer *ly = ip;
    if (q->proto == SK_IPPROTO_TCP) {
        ly = sk_layer_push(d, SK_LY_TCP, off, true);
        ly->avail = avail;
        ly->got = sk_rd_tcp(&c, &ly->h.tcp);
        if (got >= 4) {
            q->sport = ly->h.tcp.sport;
            q->dport = ly->h.tcp.dport;
        }
    } else if (q->proto == SK_IPPROTO_UDP) {
        ly = sk_layer_push(d, SK_LY_UDP, off, true);
        ly->avail = avail;
        ly->got = sk_rd_udp(&c, &ly->h.udp);
        if (got >= 4) {
            q->sport = ly->h.udp.sport;
            q->dport = ly->h.udp.dport;
        }
    }
    if (ly != ip) {
        ly->hlen = need;
        q->has_ports = got >= 4;
    }
    if (got < need) {
        sk_dec_problem(d, ly, SK_TRUNCATED, why);
        return false;
    }
    return true;
}

bool sk_dec_quote4(struct sk_dec *d, uint32_t off, uint32_t avail, struct sk_quoted *q)
{
    static const char *const why = N_("truncated IP datagram quoted by ICMP");
    struct sk_layer *ly = sk_layer_push(d, SK_LY_IPV4, off, true);
    struct sk_ip4_hdr *h = &ly->h.ip4;
    struct sk_cursor c = sk_dec_at(d, off);
    sk_cur_limit(&c, avail);
    uint32_t cap = (uint32_t)c.left;
    ly->avail = avail;
    ly->hlen = SK_IP4_LEN;
    ly->got = sk_rd_ip4(&c, h);
    if (ly->got < SK_IP4_LEN)
        return quote_cut(d, ly, avail, SK_IP4_LEN, why);
    uint32_t hl = (h->vihl & 0x0fu) * 4u;
    if (h->vihl >> 4 != 4 || hl < SK_IP4_LEN)
        return true; /* not an IPv4 header: nothing to say about it */
    q->valid = true;
    q->proto = h->proto;
    addr4(&q->src, h->src);
    addr4(&q->dst, h->dst);
    ly->hlen = hl;
    ly->got = cap < hl ? cap : hl;
    if (ly->got < hl)
        return quote_cut(d, ly, avail, hl, why);
    if ((h->off & 0x1fff) != 0)
        return true; /* it quotes a later fragment: no ports */
    return quote_l4(d, off + hl, avail - hl, q, ly, why);
}

bool sk_dec_quote6(struct sk_dec *d, uint32_t off, uint32_t avail, struct sk_quoted *q)
{
    static const char *const why = N_("truncated IPv6 datagram quoted by ICMPv6");
    struct sk_layer *ly = sk_layer_push(d, SK_LY_IPV6, off, true);
    struct sk_ip6_hdr *h = &ly->h.ip6;
    struct sk_cursor c = sk_dec_at(d, off);
    sk_cur_limit(&c, avail);
    ly->avail = avail;
    ly->hlen = SK_IP6_LEN;
    ly->got = sk_rd_ip6(&c, h);
    if (ly->got < SK_IP6_LEN)
        return quote_cut(d, ly, avail, SK_IP6_LEN, why);
    if (h->vtcfl >> 28 != 6)
        return true;
    q->valid = true;
    addr6(&q->src, h->src);
    addr6(&q->dst, h->dst);

    uint8_t nh = h->nxt;
    uint32_t pos = off + SK_IP6_LEN, rem = avail - SK_IP6_LEN;
    q->proto = nh;
    while (sk_is_ip6_ext(nh)) {
        struct sk_layer *ex = sk_layer_push(d, SK_LY_IP6EXT, pos, true);
        struct sk_cursor ec = sk_dec_at(d, pos);
        sk_cur_limit(&ec, rem);
        ex->avail = rem;
        ex->hlen = 2;
        ex->got = sk_rd_ip6ext(&ec, nh, &ex->h.ext);
        if (ex->got < 2)
            return quote_cut(d, ex, rem, 2, why);
        uint32_t elen = sk_ip6ext_len(nh, ex->h.ext.len);
        ex->hlen = elen;
        if (elen > rem)
            return true;
        if (ex->got < elen)
            return quote_cut(d, ex, rem, elen, why);
        nh = ex->h.ext.nxt;
        q->proto = nh;
        if (ex->h.ext.type == SK_IPPROTO_FRAGMENT && (ex->h.ext.offlg & 0xfff8) != 0)
            return true;
        pos += elen;
        rem -= elen;
    }
    return quote_l4(d, pos, rem, q, ly, why);
}
