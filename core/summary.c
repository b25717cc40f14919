/* summary.c — the tcpdump -n -S line of a packet (summary.h): link layers,
 * ARP, IPv4, IPv6 and UDP here, TCP and ICMP in summary_tcp.c, summary_icmp.c.
 *
 * This follows what tcpdump 4.99's printers do, step by step, so that the line
 * matches byte for byte for TCP and UDP (print-ether.c, print-sll.c,
 * print-null.c, print-ip.c, print-ip6.c, print-tcp.c, print-udp.c,
 * print-icmp.c, print-icmp6.c, print-arp.c): the same order of checks, the
 * same places where a cut capture ends the line with "[|proto]", the same
 * quirks (double spaces included). Headers are read with the decoder's own
 * readers (decode_layers.h); tcpdump's idea of where a packet ends ("snapend":
 * the capture, cut down to the IP total length) is the `end` passed along.
 */
#include "summary.h"

#include <net/if.h>

#include "names.h"
#include "summary_print.h"

/* ------------------------------------------------------------ UDP */

static void sum_udp(struct sum *s, const struct ipctx *ip, uint32_t off, uint32_t length,
                    uint32_t end)
{
    struct sk_cursor c = at(s, off, end);
    struct sk_udp_hdr h = {0};
    uint32_t got = sk_rd_udp(&c, &h);
    if (got < 4) {
        if (ip->first_nh == SK_IPPROTO_UDP)
            put(s, "%s > %s: ", ip->src, ip->dst);
        put(s, " [|udp]");
        return;
    }
    if (length < SK_UDP_LEN) {
        ports(s, ip, SK_IPPROTO_UDP, h.sport, h.dport);
        put(s, "truncated-udp %u", length);
        return;
    }
    if (got < 6) {
        ports(s, ip, SK_IPPROTO_UDP, h.sport, h.dport);
        put(s, " [|udp]");
        return;
    }
    uint32_t ulen = h.len;
    if (ulen == 0 && length > 65535)
        ulen = length;
    if (ulen < SK_UDP_LEN) {
        ports(s, ip, SK_IPPROTO_UDP, h.sport, h.dport);
        put(s, "truncated-udplength %u", ulen);
        return;
    }
    ulen -= SK_UDP_LEN;
    length -= SK_UDP_LEN;
    if (ulen < length)
        length = ulen;
    ports(s, ip, SK_IPPROTO_UDP, h.sport, h.dport);
    if (got < SK_UDP_LEN) {
        put(s, " [|udp]");
        return;
    }
    /* Here tcpdump hands well-known ports to their printers (DNS, DHCP, NTP...);
     * we say what every other datagram gets. */
    if (ulen > length && !ip->fragmented)
        put(s, "UDP, bad length %u > %u", ulen, length);
    else
        put(s, "UDP, length %u", ulen);
}

/* ------------------------------------------------------------ IP */

static void sum_esp(struct sum *s, uint32_t off, uint32_t length, uint32_t end)
{
    struct sk_cursor c = at(s, off, end);
    uint32_t spi, seq;
    if (!(sk_cur_be32(&c, &spi) && sk_cur_be32(&c, &seq))) {
        put(s, " [|esp]");
        return;
    }
    put(s, "ESP(spi=0x%08x,seq=0x%x), length %u", spi, seq, length);
}

/* ip_demux_print(): the protocol carried by IP. */
static void demux(struct sum *s, const struct ipctx *ip, uint8_t nh, uint32_t off,
                  uint32_t length, uint32_t end)
{
    switch (nh) {
    case SK_IPPROTO_TCP:
        sk_sum_tcp(s, ip, off, length, end);
        break;
    case SK_IPPROTO_UDP:
        sum_udp(s, ip, off, length, end);
        break;
    case SK_IPPROTO_ICMP:
        sk_sum_icmp(s, off, length, end);
        break;
    case SK_IPPROTO_ICMPV6:
        sk_sum_icmp6(s, off, length, end);
        break;
    case SK_IPPROTO_ESP:
        sum_esp(s, off, length, end);
        break;
    default:
        put(s, " ip-proto-%u %u", nh, length);
        break;
    }
}

static void sum_ip4(struct sum *s, uint32_t off)
{
    struct sk_cursor c = at(s, off, UINT32_MAX);
    struct sk_ip4_hdr h = {0};
    uint32_t got = sk_rd_ip4(&c, &h);
    uint32_t length = s->wirelen - off; /* what the link layer says is left */
    if (got < 1) {
        put(s, " [|ip]");
        return;
    }
    if (h.vihl >> 4 != 4) {
        if (h.vihl >> 4 == 6)
            put(s, "IP6, wrong link-layer encapsulation (invalid)");
        else
            put(s, "IP%u (invalid)", h.vihl >> 4);
        return;
    }
    put(s, "IP ");
    if (got < SK_IP4_LEN) {
        put(s, " [|ip]");
        return;
    }
    if (length < SK_IP4_LEN) {
        put(s, "truncated-ip %u", length);
        return;
    }
    uint32_t hlen = (h.vihl & 0x0fu) * 4u, len = h.len;
    if (hlen < SK_IP4_LEN) {
        put(s, "bad-hlen %u", hlen);
        return;
    }
    if (length < len)
        put(s, "truncated-ip - %u bytes missing! ", len - length);
    if (len < hlen) {
        put(s, "bad-len %u", len);
        return;
    }
    uint32_t end = off + len; /* the snapshot ends with the datagram */
    struct ipctx ip = {false, h.proto, (h.off & 0x2000) != 0, "", ""};
    a4(h.src, ip.src);
    a4(h.dst, ip.dst);
    if ((h.off & 0x1fff) == 0) {
        if (h.proto != SK_IPPROTO_TCP && h.proto != SK_IPPROTO_UDP && h.proto != 132 &&
            h.proto != 33)
            put(s, "%s > %s: ", ip.src, ip.dst);
        uint32_t cap = have(s, off, end);
        if (cap < hlen) {
            put(s, " [remaining caplen(%u) < header length(%u)] [|ip]", cap, hlen);
            return;
        }
        demux(s, &ip, h.proto, off + hlen, len - hlen, end);
    } else {
        put(s, "%s > %s: ip-proto-%u", ip.src, ip.dst, h.proto);
    }
}

static void sum_ip6(struct sum *s, uint32_t off)
{
    struct sk_cursor c = at(s, off, UINT32_MAX);
    struct sk_ip6_hdr h = {0};
    uint32_t length = s->wirelen - off;
    if (sk_rd_ip6(&c, &h) < SK_IP6_LEN) {
        put(s, " [|ip6]");
        return;
    }
    if (length < SK_IP6_LEN) {
        put(s, "truncated-ip6 %u", length);
        return;
    }
    put(s, "IP6 ");
    if (h.vtcfl >> 28 != 6) {
        put(s, "version error: %u != 6", h.vtcfl >> 28);
        return;
    }
    /* tcpdump takes a zero payload length as zero unless a hop-by-hop Jumbo
     * Payload option says otherwise (which it then prints). */
    uint32_t len = SK_IP6_LEN + h.plen;
    if (h.plen != 0 && length < len)
        put(s, "truncated-ip6 - %u bytes missing!", len - length);
    bool jumbo = h.plen == 0 && h.nxt == SK_IPPROTO_HOPOPTS;
    uint32_t end = jumbo ? UINT32_MAX : off + len;
    struct ipctx ip = {true, h.nxt, false, "", ""};
    a6(h.src, ip.src);
    a6(h.dst, ip.dst);

    uint8_t nh = h.nxt;
    uint32_t pos = off + SK_IP6_LEN;
    uint32_t left = len - SK_IP6_LEN;
    bool first = true;
    /* Every header read moves pos on by at least 8 bytes it found captured. */
    for (;;) {
        if (first && nh != SK_IPPROTO_TCP && nh != SK_IPPROTO_UDP && nh != 33 && nh != 132)
            put(s, "%s > %s: ", ip.src, ip.dst);
        first = false;
        if (!sk_is_ip6_ext(nh)) {
            if (nh == SK_IPPROTO_NONE)
                put(s, "no next header");
            else
                demux(s, &ip, nh, pos, left, end);
            return;
        }
        struct sk_cursor ec = at(s, pos, end);
        struct sk_ip6ext_hdr e = {0};
        uint32_t got = sk_rd_ip6ext(&ec, nh, &e);
        uint32_t elen = got >= 2 ? sk_ip6ext_len(nh, e.len) : 0;
        switch (nh) {
        case SK_IPPROTO_HOPOPTS:
        case SK_IPPROTO_DSTOPTS: {
            const char *trunc = nh == SK_IPPROTO_HOPOPTS ? " [|hbhopt]" : " [|dstopt]";
            if (got < 2 || got < elen) {
                put(s, "%s", trunc);
                return;
            }
            put(s, nh == SK_IPPROTO_HOPOPTS ? "HBH " : "DSTOPT ");
            struct sk_optwalk w = sk_optwalk_make(at(s, pos + 2, end), elen - 2);
            struct sk_opt o;
            enum sk_optres r;
            uint32_t jlen = 0;
            while ((r = sk_opt6_next(&w, &o)) == SK_OPT_NEXT)
                if (o.kind == 0xc2 && o.len == 6)
                    (void)sk_cur_be32(&o.val, &jlen);
            if (r != SK_OPT_END) {
                put(s, "%s", trunc);
                return;
            }
            if (jumbo) {
                /* RFC 2675: the length is in the Jumbo Payload option. */
                if (jlen == 0 || pos != off + SK_IP6_LEN) {
                    put(s, " [|ip6]");
                    return;
                }
                len = SK_IP6_LEN + jlen;
                if (length < len)
                    put(s, "truncated-ip6 - %u bytes missing!", len - length);
                end = off + len;
                left = jlen;
                jumbo = false;
            }
            break;
        }
        case SK_IPPROTO_FRAGMENT:
            if (got < 4) {
                put(s, " [|frag6]");
                return;
            }
            put(s, "frag (%u|%zu)", e.offlg & 0xfff8u,
                (size_t)SK_IP6_LEN + h.plen - (pos - off) - 8u);
            if (e.offlg & 0xfff8u)
                return;
            put(s, " ");
            ip.fragmented = true;
            if (s->caplen <= pos + 8 || end <= pos + 8)
                return;
            break;
        case SK_IPPROTO_ROUTING: {
            if (got < 4) {
                put(s, " [|rt6]");
                return;
            }
            put(s, "RT6 (len=%u, type=%u%s, segleft=%u", e.len, e.rt_type,
                e.rt_type == 0 ? " [Deprecated]" : "", e.segleft);
            struct sk_cursor rc = at(s, pos + 4, end);
            uint32_t naddr = 0, rsv = 0;
            if (e.rt_type == 0 || e.rt_type == 2) {
                if (!sk_cur_be32(&rc, &rsv)) {
                    put(s, " [|rt6]");
                    return;
                }
                if (rsv)
                    put(s, ", rsv=0x%0x", rsv);
                if (e.len % 2 == 1) {
                    put(s, " (invalid)");
                    return;
                }
                naddr = e.len / 2u;
            } else if (e.rt_type == 4) { /* segment routing (RFC 8754) */
                uint8_t last, flags;
                uint16_t tag;
                if (!(sk_cur_u8(&rc, &last) && sk_cur_u8(&rc, &flags) && sk_cur_be16(&rc, &tag))) {
                    put(s, " [|rt6]");
                    return;
                }
                put(s, ", last-entry=%u", last);
                if (flags)
                    put(s, ", flags=0x%02x", flags);
                put(s, ", tag=%x", tag);
                naddr = last + 1u;
            } else {
                put(s, " (invalid)");
                return;
            }
            for (uint32_t i = 0; i < naddr; i++) {
                char a[SK_ADDRSTRLEN];
                if (!addr_at(s, pos + 8 + 16 * i, end, 16, a)) {
                    put(s, " [|rt6]");
                    return;
                }
                put(s, ", [%u]%s", i, a);
            }
            put(s, ") ");
            break;
        }
        case SK_IPPROTO_AH: {
            if (got < 12 || got < elen) {
                put(s, " [|ah]");
                return;
            }
            struct sk_cursor ic = at(s, pos + 12, end);
            put(s, "AH(spi=0x%08x,seq=0x%x,icv=0x", e.spi, e.seq);
            hex(s, &ic, elen - 12);
            put(s, "): ");
            break;
        }
        default:
            break;
        }
        if (left < elen) {
            put(s, " [|ip6]");
            return;
        }
        pos += elen;
        left -= elen;
        nh = e.nxt;
    }
}

/* ------------------------------------------------------------ link */

static void sum_arp(struct sum *s, uint32_t off)
{
    struct sk_cursor c = at(s, off, UINT32_MAX);
    struct sk_arp_hdr h = {0};
    uint32_t need;
    uint32_t got = sk_rd_arp(&c, &h, &need);
    uint32_t length = s->wirelen - off;
    if (got < need) {
        put(s, " [|arp]");
        return;
    }
    put(s, "ARP, ");
    bool ip4 = (h.ptype == SK_ETHERTYPE_IPV4 || h.ptype == 0x1000) && h.plen == 4 && h.hlen;
    if (!ip4) {
        const char *pn = sk_ethertype_name(h.ptype);
        if (h.htype == 1)
            put(s, "Ethernet (len %u), ", h.hlen);
        else
            put(s, "Unknown Hardware (%u) (len %u), ", h.htype, h.hlen);
        if (pn)
            put(s, "%s (len %u)", pn, h.plen);
        else
            put(s, "Unknown Protocol (0x%04x) (len %u)", h.ptype, h.plen);
        put(s, ", length %u", length);
        return;
    }
    static const struct sk_tok ops[] = {{1, "Request"},         {2, "Reply"},
                                        {3, "Reverse Request"}, {4, "Reverse Reply"},
                                        {8, "Inverse Request"}, {9, "Inverse Reply"},
                                        {10, "NACK Reply"},     {0, NULL}};
    const char *op = sk_tok_name(ops, h.op);
    if (op)
        put(s, "%s ", op);
    else
        put(s, "Unknown (%u) ", h.op);
    char spa[SK_ADDRSTRLEN], tpa[SK_ADDRSTRLEN], sha[64], tha[64];
    a4(h.spa, spa);
    a4(h.tpa, tpa);
    size_t k = 0, l = 0;
    bool tha_zero = true;
    for (unsigned i = 0; i < h.hlen && i < 16; i++) {
        k += (size_t)snprintf(sha + k, sizeof sha - k, i ? ":%02x" : "%02x", h.sha[i]);
        l += (size_t)snprintf(tha + l, sizeof tha - l, i ? ":%02x" : "%02x", h.tha[i]);
        tha_zero = tha_zero && h.tha[i] == 0;
    }
    switch (h.op) {
    case 1:
        put(s, "who-has %s", tpa);
        if (!tha_zero)
            put(s, " (%s)", tha);
        put(s, " tell %s", spa);
        break;
    case 2:
        put(s, "%s is-at %s", spa, sha);
        break;
    case 3:
    case 8:
        put(s, "who-is %s tell %s", tha, sha);
        break;
    case 4:
        put(s, "%s at %s", tha, tpa);
        break;
    case 9:
        put(s, "%s at %s", sha, spa);
        break;
    default:
        break;
    }
    put(s, ", length %u", length);
}

static void sum_ethertype(struct sum *s, uint16_t type, uint32_t off)
{
    switch (type) {
    case SK_ETHERTYPE_IPV4:
        sum_ip4(s, off);
        break;
    case SK_ETHERTYPE_IPV6:
        sum_ip6(s, off);
        break;
    case SK_ETHERTYPE_ARP:
        sum_arp(s, off);
        break;
    default: {
        const char *name = sk_ethertype_name(type);
        put(s, "ethertype %s (0x%04x), length %u", name ? name : "Unknown", type, s->wirelen);
        break;
    }
    }
}

static void sum_raw(struct sum *s)
{
    struct sk_cursor c = at(s, 0, UINT32_MAX);
    uint8_t b;
    if (!sk_cur_u8(&c, &b))
        put(s, " [|ip]");
    else if (b >> 4 == 4)
        sum_ip4(s, 0);
    else if (b >> 4 == 6)
        sum_ip6(s, 0);
    else
        put(s, "unknown ip %u", b >> 4);
}

/* Ethernet and Linux cooked captures may carry 802.1Q tags; tcpdump says
 * nothing of them on Ethernet without -e, and names the inner type on SLL. */
static void sum_tagged(struct sum *s, uint16_t type, uint32_t off, bool sll)
{
    while (sll ? type == SK_ETHERTYPE_8021Q : sk_is_vlan_tpid(type)) {
        struct sk_cursor c = at(s, off, UINT32_MAX);
        struct sk_vlan_hdr v = {0};
        if (sk_rd_vlan(&c, &v) < SK_VLAN_LEN) {
            put(s, " [|vlan]");
            return;
        }
        type = v.type;
        off += SK_VLAN_LEN;
        if (sll) {
            const char *name = sk_ethertype_name(type);
            put(s, "ethertype %s, ", name ? name : "Unknown");
        }
    }
    sum_ethertype(s, type, off);
}

static void sum_link(struct sum *s, int dlt)
{
    struct sk_cursor c = at(s, 0, UINT32_MAX);
    switch (dlt) {
    case SK_DLT_EN10MB: {
        struct sk_eth_hdr h = {0};
        if (sk_rd_eth(&c, &h) < SK_ETH_LEN) {
            put(s, " [|ether]");
            return;
        }
        if (h.type <= 1500)
            put(s, "802.3, length %u: LLC", s->wirelen);
        else
            sum_tagged(s, h.type, SK_ETH_LEN, false);
        return;
    }
    case SK_DLT_LINUX_SLL: {
        struct sk_sll_hdr h = {0};
        if (sk_rd_sll(&c, &h) < SK_SLL_LEN) {
            put(s, " [|sll]");
            return;
        }
        if (h.proto <= 1500)
            put(s, "Linux cooked protocol 0x%04x, length %u", h.proto, s->wirelen);
        else
            sum_tagged(s, h.proto, SK_SLL_LEN, true);
        return;
    }
    case SK_DLT_LINUX_SLL2: {
        static const struct sk_tok dir[] = {{0, "In"}, {1, "B"},   {2, "M"},
                                            {3, "P"},  {4, "Out"}, {0, NULL}};
        struct sk_sll2_hdr h = {0};
        char ifname[IF_NAMESIZE + 1];
        if (sk_rd_sll2(&c, &h) < SK_SLL2_LEN) {
            put(s, " [|sll2]");
            return;
        }
        if (!if_indextoname(h.ifindex, ifname))
            snprintf(ifname, sizeof ifname, "?");
        const char *d = sk_tok_name(dir, h.pkttype);
        put(s, "%-5s %-3s ", ifname, d ? d : "?");
        if (h.proto <= 1500)
            put(s, "Linux cooked protocol 0x%04x, length %u", h.proto, s->wirelen);
        else
            sum_tagged(s, h.proto, SK_SLL2_LEN, true);
        return;
    }
    case SK_DLT_NULL:
    case SK_DLT_LOOP: {
        uint32_t fam;
        if (!(dlt == SK_DLT_LOOP ? sk_cur_be32(&c, &fam) : sk_cur_le32(&c, &fam))) {
            put(s, " [|null]");
            return;
        }
        if (fam & 0xffff0000u)
            fam = (fam >> 24) | ((fam >> 8) & 0xff00) | ((fam << 8) & 0xff0000) | (fam << 24);
        if (fam == 2)
            sum_ip4(s, SK_NULL_LEN);
        else if (fam == 10 || fam == 24 || fam == 28 || fam == 30)
            sum_ip6(s, SK_NULL_LEN);
        else
            put(s, "AF Unknown (%u), length %u", fam, s->wirelen);
        return;
    }
    case SK_DLT_RAW:
    case SK_DLT_RAW_OPENBSD:
    case SK_LINKTYPE_RAW:
    case SK_DLT_IPV4:
    case SK_DLT_IPV6:
        sum_raw(s);
        return;
    default:
        put(s, "link type %d not supported, length %u", dlt, s->wirelen);
        return;
    }
}

size_t sk_packet_summary(const struct sk_packet *p, char *buf, size_t n)
{
    if (n == 0)
        return 0;
    buf[0] = '\0';
    struct sum s = {buf, n, 0, p->data, p->data ? p->caplen : 0, p->wirelen};
    if (s.wirelen < s.caplen)
        s.wirelen = s.caplen;
    sum_link(&s, p->dlt);
    return s.len;
}
