/* summary_icmp.c — the ICMP (RFC 792) and ICMPv6 (RFC 4443) part of the
 * tcpdump-style summary: icmp_print() and icmp6_print() of tcpdump 4.99, for
 * the messages a lab meets (echo, errors with the datagram they quote,
 * neighbour discovery), by name for the others. */
#include "names.h"
#include "summary_print.h"

static const struct sk_tok icmp2str[] = {
    {0, "echo reply"},           {4, "source quench"},
    {8, "echo request"},         {10, "router solicitation"},
    {13, "time stamp request"},  {14, "time stamp reply"},
    {15, "information request"}, {16, "information reply"},
    {17, "address mask request"}, {0, NULL}};

/* Milliseconds since midnight UTC, as icmp_tstamp_print() writes them. */
static char *tstamp(uint32_t t, char *buf)
{
    unsigned ms = t % 1000, sec = t / 1000, min = sec / 60, hrs;
    sec -= min * 60;
    hrs = min / 60;
    min -= hrs * 60;
    snprintf(buf, 24, "%02u:%02u:%02u.%03u", hrs, min, sec, ms);
    return buf;
}

/* Builds the text of icmp_print() into out; false where tcpdump would find
 * the capture too short (it then prints only "[|icmp]"). */
static bool icmp_text(struct sum *s, uint32_t off, uint32_t end, char *out, size_t n)
{
    struct sk_cursor c = at(s, off, end);
    struct sk_icmp_hdr h = {0};
    uint32_t got = sk_rd_icmp(&c, &h);
    char dst[SK_ADDRSTRLEN], gw[SK_ADDRSTRLEN], t1[24], t2[24], t3[24];
    uint32_t q = off + SK_ICMP_LEN; /* the quoted IP header */
    if (got < 2)
        return false;
    switch (h.type) {
    case 0:
    case 8:
        if (got < 8)
            return false;
        snprintf(out, n, "echo %s, id %u, seq %u", h.type == 8 ? "request" : "reply",
                 (unsigned)(h.rest >> 16), (unsigned)(h.rest & 0xffff));
        return true;
    case 3: {
        static const char *const fmt[] = {
            "net %s unreachable", "host %s unreachable", NULL, NULL, NULL,
            "%s unreachable - source route failed", "net %s unreachable - unknown",
            "host %s unreachable - unknown", "%s unreachable - source host isolated",
            "net %s unreachable - admin prohibited", "host %s unreachable - admin prohibited",
            "net %s unreachable - tos prohibited", "host %s unreachable - tos prohibited",
            "host %s unreachable - admin prohibited filter",
            "host %s unreachable - host precedence violation",
            "host %s unreachable - precedence cutoff"};
        struct sk_cursor qc = at(s, q, end);
        struct sk_ip4_hdr qh = {0};
        uint32_t qgot = sk_rd_ip4(&qc, &qh);
        if (h.code == 3) {
            if (qgot < 10)
                return false;
            uint32_t dpo = q + (qh.vihl & 0x0fu) * 4u + 2;
            struct sk_cursor pc = at(s, dpo, end);
            uint16_t dport;
            if (!sk_cur_be16(&pc, &dport) || qgot < 20)
                return false;
            a4(qh.dst, dst);
            if (qh.proto == SK_IPPROTO_TCP)
                snprintf(out, n, "%s tcp port %u unreachable", dst, dport);
            else if (qh.proto == SK_IPPROTO_UDP)
                snprintf(out, n, "%s udp port %u unreachable", dst, dport);
            else
                snprintf(out, n, "%s protocol %u port %u unreachable", dst, qh.proto, dport);
            return true;
        }
        if (h.code == 4 && got < 8)
            return false;
        if (qgot < 20)
            return false;
        a4(qh.dst, dst);
        if (h.code == 2)
            snprintf(out, n, "%s protocol %u unreachable", dst, qh.proto);
        else if (h.code == 4 && (h.rest & 0xffff))
            snprintf(out, n, "%s unreachable - need to frag (mtu %u)", dst, h.rest & 0xffff);
        else if (h.code == 4)
            snprintf(out, n, "%s unreachable - need to frag", dst);
        else if (h.code < sizeof fmt / sizeof fmt[0])
            snprintf(out, n, fmt[h.code], dst);
        else
            snprintf(out, n, "%s unreachable - #%u", dst, h.code);
        return true;
    }
    case 5: {
        static const char *const fmt[] = {"redirect %s to net %s", "redirect %s to host %s",
                                          "redirect-tos %s to net %s",
                                          "redirect-tos %s to host %s"};
        if (!addr_at(s, q + 16, end, 4, dst) || !addr_at(s, off + 4, end, 4, gw))
            return false;
        if (h.code < 4)
            snprintf(out, n, fmt[h.code], dst, gw);
        else
            snprintf(out, n, "redirect-#%u %s to %s", h.code, dst, gw);
        return true;
    }
    case 9: {
        struct sk_cursor rc = at(s, off + 4, end);
        uint8_t num, size;
        uint16_t life;
        if (!(sk_cur_u8(&rc, &num) && sk_cur_u8(&rc, &size) && sk_cur_be16(&rc, &life)))
            return false;
        size_t k = (size_t)snprintf(out, n, "router advertisement lifetime ");
        if (life < 60)
            k += (size_t)snprintf(out + k, n - k, "%u", life);
        else if (life < 3600)
            k += (size_t)snprintf(out + k, n - k, "%u:%02u", life / 60, life % 60);
        else
            k += (size_t)snprintf(out + k, n - k, "%u:%02u:%02u", life / 3600,
                                  (life % 3600) / 60, life % 60);
        k += (size_t)snprintf(out + k, n - k, " %u:", num);
        if (size != 2) {
            snprintf(out + k, n - k, " [size %u]", size);
            return true;
        }
        struct sk_cursor ec = at(s, off + 8, end);
        for (unsigned i = 0; i < num && k < n; i++) {
            uint8_t a[4];
            uint32_t pref;
            if (!(sk_cur_copy(&ec, a, 4) && sk_cur_be32(&ec, &pref)))
                return false;
            k += (size_t)snprintf(out + k, n - k, " {%s %u}", a4(a, gw), pref);
        }
        return true;
    }
    case 11:
        if (have(s, q + 16, end) < 4)
            return false;
        if (h.code == 0)
            snprintf(out, n, "time exceeded in-transit");
        else if (h.code == 1)
            snprintf(out, n, "ip reassembly time exceeded");
        else
            snprintf(out, n, "time exceeded-#%u", h.code);
        return true;
    case 12:
        if (h.code) {
            snprintf(out, n, "parameter problem - code %u", h.code);
        } else {
            if (got < 5)
                return false;
            snprintf(out, n, "parameter problem - octet %u", (unsigned)(h.rest >> 24));
        }
        return true;
    case 18: {
        struct sk_cursor mc = at(s, off + 8, end);
        uint32_t mask;
        if (!sk_cur_be32(&mc, &mask))
            return false;
        snprintf(out, n, "address mask is 0x%08x", mask);
        return true;
    }
    case 13:
        if (got < 8)
            return false;
        snprintf(out, n, "time stamp query id %u seq %u", (unsigned)(h.rest >> 16),
                 (unsigned)(h.rest & 0xffff));
        return true;
    case 14: {
        struct sk_cursor tc = at(s, off + 8, end);
        uint32_t o, r, x;
        if (!(sk_cur_be32(&tc, &o) && sk_cur_be32(&tc, &r) && sk_cur_be32(&tc, &x)))
            return false;
        snprintf(out, n, "time stamp reply id %u seq %u: org %s, recv %s, xmit %s",
                 (unsigned)(h.rest >> 16), (unsigned)(h.rest & 0xffff), tstamp(o, t1),
                 tstamp(r, t2), tstamp(x, t3));
        return true;
    }
    default: {
        const char *name = sk_tok_name(icmp2str, h.type);
        if (name)
            snprintf(out, n, "%s", name);
        else
            snprintf(out, n, "type-#%u", h.type);
        return true;
    }
    }
}

void sk_sum_icmp(struct sum *s, uint32_t off, uint32_t length, uint32_t end)
{
    char text[320];
    if (!icmp_text(s, off, end, text, sizeof text)) {
        put(s, " [|icmp]");
        return;
    }
    put(s, "ICMP %s, length %u", text, length);
}

/* The upper-layer protocol and destination port of the IPv6 datagram an
 * ICMPv6 error quotes (print-icmp6.c get_upperlayer()); false when cut. */
static bool quoted6_port(struct sum *s, uint32_t q, uint32_t end, uint8_t *proto,
                         uint16_t *dport, char *dst)
{
    struct sk_cursor c = at(s, q, end);
    struct sk_ip6_hdr h = {0};
    if (sk_rd_ip6(&c, &h) < SK_IP6_LEN)
        return false;
    a6(h.dst, dst);
    uint8_t nh = h.nxt;
    uint32_t pos = q + SK_IP6_LEN;
    for (int guard = 0; guard < 64; guard++) {
        struct sk_cursor pc = at(s, pos + 2, end);
        switch (nh) {
        case SK_IPPROTO_TCP:
        case SK_IPPROTO_UDP:
            *proto = nh;
            return sk_cur_be16(&pc, dport);
        case SK_IPPROTO_HOPOPTS:
        case SK_IPPROTO_DSTOPTS:
        case SK_IPPROTO_ROUTING:
        case SK_IPPROTO_AH:
        case SK_IPPROTO_FRAGMENT: {
            struct sk_cursor ec = at(s, pos, end);
            struct sk_ip6ext_hdr e = {0};
            if (sk_rd_ip6ext(&ec, nh, &e) < 2)
                return false;
            if (nh == SK_IPPROTO_FRAGMENT && (e.offlg & 0xfff8))
                return false;
            pos += sk_ip6ext_len(nh, e.len);
            nh = e.nxt;
            break;
        }
        default:
            *proto = nh;
            return sk_cur_be16(&pc, dport);
        }
    }
    return false;
}

static const struct sk_tok icmp6_names[] = {
    {1, "destination unreachable"},
    {2, "packet too big"},
    {3, "time exceeded"},
    {4, "parameter problem"},
    {128, "echo request"},
    {129, "echo reply"},
    {130, "multicast listener query"},
    {131, "multicast listener report"},
    {132, "multicast listener done"},
    {133, "router solicitation"},
    {134, "router advertisement"},
    {135, "neighbor solicitation"},
    {136, "neighbor advertisement"},
    {137, "redirect"},
    {138, "router renumbering"},
    {139, "node information query"},
    {140, "node information reply"},
    {141, "inverse neighbor solicitation"},
    {142, "inverse neighbor advertisement"},
    {143, "multicast listener report v2"},
    {144, "ha discovery request"},
    {145, "ha discovery reply"},
    {146, "mobile router solicitation"},
    {147, "mobile router advertisement"},
    {148, "certification path solicitation"},
    {149, "certification path advertisement"},
    {151, "multicast router advertisement"},
    {152, "multicast router solicitation"},
    {153, "multicast router termination"},
    {155, "RPL"},
    {200, "mtrace response"},
    {201, "mtrace message"},
    {0, NULL}};

void sk_sum_icmp6(struct sum *s, uint32_t off, uint32_t length, uint32_t end)
{
    struct sk_cursor c = at(s, off, end);
    struct sk_icmp_hdr h = {0};
    uint32_t got = sk_rd_icmp(&c, &h);
    uint32_t q = off + SK_ICMP_LEN;
    char a[SK_ADDRSTRLEN], b[SK_ADDRSTRLEN];
    if (length == 0) {
        put(s, "ICMP6, length 0 (invalid)");
        return;
    }
    if (got < 2) {
        put(s, " [|icmp6]");
        return;
    }
    const char *name = sk_tok_name(icmp6_names, h.type);
    if (name)
        put(s, "ICMP6, %s", name);
    else
        put(s, "ICMP6, unknown icmp6 type (%u)", h.type);
    switch (h.type) {
    case 1:
        switch (h.code) {
        case 0:
        case 1:
        case 3:
            if (!addr_at(s, q + 24, end, 16, a))
                goto trunc;
            put(s, h.code == 0   ? ", unreachable route %s"
                   : h.code == 1 ? ",  unreachable prohibited %s"
                                 : ", unreachable address %s",
                a);
            break;
        case 2:
            if (!addr_at(s, q + 24, end, 16, a) || !addr_at(s, q + 8, end, 16, b))
                goto trunc;
            put(s, ", beyond scope %s, source address %s", a, b);
            break;
        case 4: {
            uint8_t proto;
            uint16_t dport;
            put(s, ", unreachable port");
            if (!quoted6_port(s, q, end, &proto, &dport, a))
                goto trunc;
            if (proto == SK_IPPROTO_TCP)
                put(s, ", %s tcp port %u", a, dport);
            else if (proto == SK_IPPROTO_UDP)
                put(s, ", %s udp port %u", a, dport);
            else
                put(s, ", %s protocol %u port %u unreachable", a, proto, dport);
            break;
        }
        default:
            put(s, ", unknown unreach code (%u)", h.code);
            return;
        }
        break;
    case 2:
        if (got < 8)
            goto trunc;
        put(s, ", mtu %u", h.rest);
        break;
    case 3:
        if (h.code == 0) {
            if (!addr_at(s, q + 24, end, 16, a))
                goto trunc;
            put(s, " in-transit for %s", a);
        } else if (h.code == 1) {
            put(s, " in-transit (reassembly)");
        } else {
            put(s, ", unknown code (%u)", h.code);
        }
        break;
    case 4:
        if (got < 8)
            goto trunc;
        if (h.code == 0)
            put(s, ", erroneous - octet %u", h.rest);
        else if (h.code == 1)
            put(s, ", next header - octet %u", h.rest);
        else if (h.code == 2)
            put(s, ", option - octet %u", h.rest);
        else if (h.code == 3)
            put(s, ", incomplete header chain - octet %u", h.rest);
        else
            put(s, ", code-#%u", h.code);
        break;
    case 128:
    case 129:
        if (got < 8)
            goto trunc;
        put(s, ", id %u, seq %u", (unsigned)(h.rest >> 16), (unsigned)(h.rest & 0xffff));
        break;
    case 130:
        if (length >= 28) { /* MLDv2 (RFC 3810) */
            if (!addr_at(s, q, end, 16, a))
                goto trunc;
            put(s, " v2 [gaddr %s]", a);
            break;
        }
        /* fall through */
    case 131:
    case 132:
        if (got < 8 || !addr_at(s, q, end, 16, a))
            goto trunc;
        /* (sic: tcpdump prints no space after the name of a query) */
        put(s, "%smax resp delay: %u addr: %s", h.type == 130 ? "" : " ",
            (unsigned)(h.rest >> 16), a);
        break;
    case 135:
        if (!addr_at(s, q, end, 16, a))
            goto trunc;
        put(s, ", who has %s", a);
        break;
    case 136:
        if (!addr_at(s, q, end, 16, a))
            goto trunc;
        put(s, ", tgt is %s", a);
        break;
    case 137:
        if (!addr_at(s, q + 16, end, 16, a) || !addr_at(s, q, end, 16, b))
            goto trunc;
        put(s, ", %s to %s", a, b);
        break;
    case 143:
        if (got < 8)
            goto trunc;
        put(s, ", %u group record(s)", (unsigned)(h.rest & 0xffff));
        break;
    default:
        break;
    }
    put(s, ", length %u", length);
    return;
trunc:
    put(s, " [|icmp6]");
}
