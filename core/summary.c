/* summary.c — the tcpdump -n -S line of a packet (summary.h).
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
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decode_layers.h"
#include "names.h"

/* ------------------------------------------------------------ output */

struct sum {
    char *buf;
    size_t n, len;
    const uint8_t *data;
    uint32_t caplen;  /* bytes captured */
    uint32_t wirelen; /* bytes on the wire (at least caplen) */
};

static void put(struct sum *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void put(struct sum *s, const char *fmt, ...)
{
    if (s->len + 1 >= s->n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(s->buf + s->len, s->n - s->len, fmt, ap);
    va_end(ap);
    if (w < 0)
        return;
    s->len = s->len + (size_t)w >= s->n ? s->n - 1 : s->len + (size_t)w;
}

/* The bytes from off up to end (an offset: tcpdump's snapend), as a cursor. */
static struct sk_cursor at(const struct sum *s, uint32_t off, uint32_t end)
{
    if (end > s->caplen)
        end = s->caplen;
    if (off >= end)
        return sk_cursor_make(s->data + end, 0);
    return sk_cursor_make(s->data + off, end - off);
}

/* How many bytes from off are there before end. */
static uint32_t have(const struct sum *s, uint32_t off, uint32_t end)
{
    return (uint32_t)at(s, off, end).left;
}

static char *a4(const uint8_t b[4], char *out)
{
    snprintf(out, SK_ADDRSTRLEN, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    return out;
}

static char *a6(const uint8_t b[16], char *out)
{
    struct sk_addr a = {6, {0}};
    memcpy(a.b, b, 16);
    return sk_addr_str(&a, out);
}

/* Reads an address of len bytes at off (4 or 16); false if not all there. */
static bool addr_at(const struct sum *s, uint32_t off, uint32_t end, int len, char *out)
{
    struct sk_cursor c = at(s, off, end);
    uint8_t b[16];
    if (!sk_cur_copy(&c, b, (size_t)len))
        return false;
    if (len == 4)
        a4(b, out);
    else
        a6(b, out);
    return true;
}

/* ------------------------------------------------------------ IP context */

/* What the transport printers need from the IP header they are in. */
struct ipctx {
    bool v6;
    uint8_t first_nh;   /* IPv4 protocol / the IPv6 header's own next header */
    bool fragmented;    /* IPv4 MF set, or an IPv6 fragment header passed */
    char src[SK_ADDRSTRLEN], dst[SK_ADDRSTRLEN];
};

static void ports(struct sum *s, const struct ipctx *ip, uint8_t proto, uint16_t sp, uint16_t dp)
{
    if (ip->first_nh == proto)
        put(s, "%s.%u > %s.%u: ", ip->src, sp, ip->dst, dp);
    else
        put(s, "%u > %u: ", sp, dp);
}

/* ------------------------------------------------------------ TCP */

static const char *tcpopt_token(uint8_t kind, char *tmp)
{
    if (kind == SK_TCPOPT_CCECHO)
        return ""; /* tcpdump's table has "" for it */
    const char *name = sk_tcpopt_name(kind);
    if (name)
        return name;
    snprintf(tmp, 16, "unknown-%u", kind);
    return tmp;
}

static void hex(struct sum *s, struct sk_cursor *c, uint32_t n)
{
    uint8_t b;
    for (uint32_t i = 0; i < n && sk_cur_u8(c, &b); i++)
        put(s, "%02x", b);
}

static bool be64(struct sk_cursor *c, uint64_t *v)
{
    uint32_t hi, lo;
    if (!(sk_cur_be32(c, &hi) && sk_cur_be32(c, &lo)))
        return false;
    *v = (uint64_t)hi << 32 | lo;
    return true;
}

/* An unsigned number of 4 or 8 bytes, as DSS carries them. */
static bool dss_number(struct sum *s, struct sk_cursor *c, bool wide)
{
    uint64_t v64;
    uint32_t v32;
    if (wide ? !be64(c, &v64) : !sk_cur_be32(c, &v32))
        return false;
    if (wide)
        put(s, "%llu", (unsigned long long)v64);
    else
        put(s, "%u", v32);
    return true;
}

/* Multipath TCP (RFC 8684, and version 0 of RFC 6824) as tcpdump's
 * print-mptcp.c shows an option: length, subtype, then the subtype's fields.
 * c holds the len - 2 bytes after kind and length, all captured. Returns false
 * where tcpdump finds the option malformed (it then says "[bad opt]"). */
static bool mptcp(struct sum *s, struct sk_cursor c, uint32_t len, uint8_t flags)
{
    static const char *const names[] = {"capable", "join", "dss", "add-addr", "rem-addr",
                                        "prio", "fail", "fast-close", "unknown"};
    uint8_t sub, b3 = 0, u8;
    uint16_t u16;
    uint32_t u32, u32b;
    uint64_t k1, k2;
    char a[SK_ADDRSTRLEN];
    if (len < 3 || !sk_cur_u8(&c, &sub))
        return false;
    unsigned st = sub >> 4 < 8 ? sub >> 4 : 8;
    put(s, " %u %s", len, names[st]);
    if (len >= 4)
        (void)sk_cur_u8(&c, &b3);
    switch (st) {
    case 0: /* MP_CAPABLE */
        if (!((len == 12 || len == 4) && (flags & SK_TH_SYN)) &&
            !((len == 20 || len == 22) && (flags & (SK_TH_SYN | SK_TH_ACK)) == SK_TH_ACK))
            return false;
        if ((sub & 0x0f) > 1) {
            put(s, " Unknown Version (%u)", sub & 0x0f);
            return true;
        }
        put(s, " v%u", sub & 0x0f);
        if (b3 & 0x80)
            put(s, " csum");
        if (len == 12 || len >= 20) {
            (void)be64(&c, &k1);
            put(s, " {0x%llx", (unsigned long long)k1);
            if (len >= 20 && be64(&c, &k2))
                put(s, ",0x%llx", (unsigned long long)k2);
            put(s, "}");
        }
        return true;
    case 1: /* MP_JOIN */
        if (!(len == 12 && (flags & SK_TH_SYN)) &&
            !(len == 16 && (flags & (SK_TH_SYN | SK_TH_ACK)) == (SK_TH_SYN | SK_TH_ACK)) &&
            !(len == 24 && (flags & SK_TH_ACK)))
            return false;
        if (len != 24) {
            if (sub & 1)
                put(s, " backup");
            put(s, " id %u", b3);
        }
        if (len == 12 && sk_cur_be32(&c, &u32) && sk_cur_be32(&c, &u32b)) {
            put(s, " token 0x%x nonce 0x%x", u32, u32b);
        } else if (len == 16 && be64(&c, &k1) && sk_cur_be32(&c, &u32)) {
            put(s, " hmac 0x%llx nonce 0x%x", (unsigned long long)k1, u32);
        } else if (len == 24) {
            put(s, " hmac 0x");
            hex(s, &c, 20);
        }
        return true;
    case 2: { /* DSS */
        if (len < 4 || (flags & SK_TH_SYN))
            return false;
        uint32_t left = len - 4;
        if (b3 & 0x10)
            put(s, " fin");
        if (b3 & 0x01) {
            put(s, " ack ");
            uint32_t w = (b3 & 0x02) ? 8 : 4;
            if (left < w || !dss_number(s, &c, w == 8))
                return false;
            left -= w;
        }
        if (b3 & 0x04) {
            put(s, " seq ");
            uint32_t w = (b3 & 0x08) ? 8 : 4;
            if (left < w || !dss_number(s, &c, w == 8))
                return false;
            left -= w;
            if (left < 4 || !sk_cur_be32(&c, &u32))
                return false;
            put(s, " subseq %u", u32);
            left -= 4;
            if (left < 2 || !sk_cur_be16(&c, &u16))
                return false;
            put(s, " len %u", u16);
            left -= 2;
            if (left >= 2 && sk_cur_be16(&c, &u16)) {
                put(s, " csum 0x%x", u16);
                left -= 2;
            }
        }
        return left == 0;
    }
    case 3: { /* ADD_ADDR */
        static const struct sk_tok echo[] = {{0x6, "v0-ip6"}, {0x4, "v0-ip4"}, {0x1, "v1-echo"},
                                             {0x0, "v1"},     {0, NULL}};
        bool v4 = len == 8 || len == 10 || len == 16 || len == 18;
        bool v6 = len == 20 || len == 22 || len == 28 || len == 30;
        if (!v4 && !v6)
            return false;
        const char *e = sk_tok_name(echo, sub & 0x0f);
        put(s, " %s id %u", e ? e : "[bad version/echo]", b3);
        uint8_t b[16];
        if (!sk_cur_copy(&c, b, v4 ? 4 : 16))
            return false;
        put(s, " %s", v4 ? a4(b, a) : a6(b, a));
        if ((len == 10 || len == 18 || len == 22 || len == 30) && sk_cur_be16(&c, &u16))
            put(s, ":%u", u16);
        if ((len == 16 || len == 18 || len == 28 || len == 30) && be64(&c, &k1))
            put(s, " hmac 0x%llx", (unsigned long long)k1);
        return true;
    }
    case 4: /* REMOVE_ADDR: the ids from byte 3 on */
        if (len < 4)
            return false;
        put(s, " id %u", b3);
        for (uint32_t i = 4; i < len && sk_cur_u8(&c, &u8); i++)
            put(s, " %u", u8);
        return true;
    case 5: /* MP_PRIO */
        if (len != 3 && len != 4)
            return false;
        put(s, (sub & 1) ? " backup" : " non-backup");
        if (len == 4)
            put(s, " id %u", b3);
        return true;
    case 6: /* MP_FAIL */
    case 7: /* MP_FASTCLOSE */
        if (len != 12 || !be64(&c, &k1))
            return false;
        if (st == 6)
            put(s, " seq %llu", (unsigned long long)k1);
        else
            put(s, " key 0x%llx", (unsigned long long)k1);
        return true;
    default:
        return true;
    }
}

/* RFC 7413 cookie, as print_tcp_fastopen_option() prints it. */
static void fastopen(struct sum *s, struct sk_cursor c, uint32_t datalen, bool exp)
{
    if (exp)
        put(s, "tfo");
    if (datalen == 0) {
        put(s, " cookiereq");
    } else if (datalen % 2 != 0 || datalen < 4 || datalen > 16) {
        put(s, " (invalid)");
    } else {
        put(s, " cookie ");
        hex(s, &c, datalen);
    }
}

enum optout { OPT_DONE, OPT_BAD, OPT_TRUNC };

/* The options loop of tcp_print(): cp walks the captured bytes, hlen counts
 * the option bytes the header states are left. A length that does not fit
 * ends with "[bad opt]", a capture that ends with "[|tcp]". */
static enum optout tcp_opts(struct sum *s, uint32_t off, uint32_t hlen, uint32_t end,
                            uint32_t payload_end, uint8_t flags)
{
    struct sk_cursor cp = at(s, off, end);
    char ch = '\0', tmp[16];
    put(s, ", options [");
    while (hlen > 0) {
        uint8_t opt, lb;
        uint32_t len, datalen = 0;
        if (ch != '\0')
            put(s, "%c", ch);
        if (!sk_cur_u8(&cp, &opt))
            return OPT_TRUNC;
        if (opt == SK_TCPOPT_EOL || opt == SK_TCPOPT_NOP) {
            len = 1;
        } else {
            if (!sk_cur_u8(&cp, &lb))
                return OPT_TRUNC;
            len = lb;
            if (len < 2 || len > hlen)
                goto bad;
            --hlen;
        }
        --hlen;
        put(s, "%s", tcpopt_token(opt, tmp));

/* Bails out when l bytes are not left in the header, or were not captured. */
#define LENCHECK(l)                  \
    do {                             \
        if ((l) > hlen)              \
            goto bad;                \
        if (!sk_cur_has(&cp, (l)))   \
            return OPT_TRUNC;        \
    } while (0)

        struct sk_cursor v = cp; /* reads the value without moving cp */
        uint8_t u8 = 0;
        uint16_t u16 = 0;
        uint32_t u32 = 0, u32b = 0;
        switch (opt) {
        case SK_TCPOPT_MSS:
            datalen = 2;
            LENCHECK(datalen);
            (void)sk_cur_be16(&v, &u16);
            put(s, " %u", u16);
            break;
        case SK_TCPOPT_WSCALE:
            datalen = 1;
            LENCHECK(datalen);
            (void)sk_cur_u8(&v, &u8);
            put(s, " %u", u8);
            break;
        case SK_TCPOPT_SACK:
            datalen = len - 2;
            if (datalen % 8 != 0) {
                put(s, " invalid sack");
            } else {
                put(s, " %u ", datalen / 8);
                for (uint32_t i = 0; i < datalen; i += 8) {
                    LENCHECK(i + 4);
                    (void)sk_cur_be32(&v, &u32);
                    LENCHECK(i + 8);
                    (void)sk_cur_be32(&v, &u32b);
                    put(s, "{%u:%u}", u32, u32b);
                }
            }
            break;
        case SK_TCPOPT_CC:
        case SK_TCPOPT_CCNEW:
        case SK_TCPOPT_CCECHO:
        case SK_TCPOPT_ECHO:
        case SK_TCPOPT_ECHOREPLY:
            datalen = 4;
            LENCHECK(datalen);
            (void)sk_cur_be32(&v, &u32);
            put(s, " %u", u32);
            break;
        case SK_TCPOPT_TS:
            datalen = 8;
            LENCHECK(datalen);
            (void)(sk_cur_be32(&v, &u32) && sk_cur_be32(&v, &u32b));
            put(s, " val %u ecr %u", u32, u32b);
            break;
        case SK_TCPOPT_MD5:
            datalen = 16;
            LENCHECK(datalen);
            /* tcpdump, built with libcrypto, tries to verify and cannot. */
            if (payload_end > end || payload_end > s->caplen)
                put(s, " snaplen too short, can't check - ");
            else
                put(s, " shared secret not supplied with -M, can't check - ");
            hex(s, &v, 16);
            break;
        case SK_TCPOPT_SCPS:
            datalen = 2;
            LENCHECK(datalen);
            (void)(sk_cur_u8(&v, &u8) && sk_cur_u8(&v, &lb));
            put(s, " cap %02x id %u", u8, lb);
            break;
        case SK_TCPOPT_TCPAO:
            datalen = len - 2;
            if (datalen < 2) {
                put(s, " (invalid)");
            } else {
                LENCHECK(1);
                (void)sk_cur_u8(&v, &u8);
                put(s, " keyid %u", u8);
                LENCHECK(2);
                (void)sk_cur_u8(&v, &u8);
                put(s, " rnextkeyid %u", u8);
                if (datalen > 2) {
                    put(s, " mac 0x");
                    for (uint32_t i = 2; i < datalen; i++) {
                        LENCHECK(i + 1);
                        (void)sk_cur_u8(&v, &u8);
                        put(s, "%02x", u8);
                    }
                }
            }
            break;
        case SK_TCPOPT_EOL:
        case SK_TCPOPT_NOP:
        case SK_TCPOPT_SACKOK:
            break;
        case SK_TCPOPT_UTO:
            datalen = 2;
            LENCHECK(datalen);
            (void)sk_cur_be16(&v, &u16);
            put(s, " 0x%x", u16);
            put(s, " %u", (u16 & 1) ? (unsigned)(u16 >> 1) * 60 : (unsigned)(u16 >> 1));
            break;
        case SK_TCPOPT_MPTCP: {
            datalen = len - 2;
            LENCHECK(datalen);
            struct sk_cursor m;
            if (!sk_cur_sub(&v, datalen, &m) || !mptcp(s, m, len, flags))
                goto bad;
            break;
        }
        case SK_TCPOPT_FASTOPEN:
            datalen = len - 2;
            LENCHECK(datalen);
            put(s, " ");
            fastopen(s, v, datalen, false);
            break;
        case SK_TCPOPT_EXP2:
            datalen = len - 2;
            LENCHECK(datalen);
            if (datalen < 2)
                goto bad;
            (void)sk_cur_be16(&v, &u16);
            put(s, "-");
            if (u16 == 0xf989)
                fastopen(s, v, datalen - 2, true);
            else
                put(s, "%04x", u16);
            break;
        default:
            datalen = len - 2;
            if (datalen)
                put(s, " 0x");
            for (uint32_t i = 0; i < datalen; i++) {
                LENCHECK(i + 1);
                (void)sk_cur_u8(&v, &u8);
                put(s, "%02x", u8);
            }
            break;
        }
#undef LENCHECK
        (void)sk_cur_skip(&cp, datalen);
        hlen -= datalen;
        ++datalen;
        if (opt != SK_TCPOPT_EOL && opt != SK_TCPOPT_NOP)
            ++datalen;
        if (datalen != len)
            put(s, "[len %u]", len);
        ch = ',';
        if (opt == SK_TCPOPT_EOL)
            break;
    }
    put(s, "]");
    return OPT_DONE;
bad:
    put(s, "[bad opt]");
    if (ch != '\0')
        put(s, "]");
    return OPT_BAD;
}

static void sum_tcp(struct sum *s, const struct ipctx *ip, uint32_t off, uint32_t length,
                    uint32_t end)
{
    struct sk_cursor c = at(s, off, end);
    struct sk_tcp_hdr h = {0};
    uint32_t got = sk_rd_tcp(&c, &h);
    if (got < 4) {
        put(s, "%s > %s: [|tcp]", ip->src, ip->dst);
        return;
    }
    ports(s, ip, SK_IPPROTO_TCP, h.sport, h.dport);
    if (got < SK_TCP_LEN) {
        put(s, " [|tcp]");
        return;
    }
    uint32_t hlen = (h.offx2 >> 4) * 4u;
    if (hlen < SK_TCP_LEN) {
        put(s, " tcp %u [bad hdr length %u - too short, < 20]", length - hlen, hlen);
        return;
    }
    char flags[12];
    put(s, "Flags [%s]", sk_tcp_flags_str(h.flags, flags));
    if (hlen > length) {
        put(s, " [bad hdr length %u - too long, > %u]", hlen, length);
        return;
    }
    length -= hlen;
    if (length > 0 || (h.flags & (SK_TH_SYN | SK_TH_FIN | SK_TH_RST))) {
        put(s, ", seq %u", h.seq);
        if (length > 0)
            put(s, ":%u", h.seq + length);
    }
    if (h.flags & SK_TH_ACK)
        put(s, ", ack %u", h.ack);
    put(s, ", win %u", h.win);
    if (h.flags & SK_TH_URG)
        put(s, ", urg %u", h.urp);
    if (hlen > SK_TCP_LEN) {
        enum optout r = tcp_opts(s, off + SK_TCP_LEN, hlen - SK_TCP_LEN, end, off + hlen + length,
                                 h.flags);
        if (r == OPT_TRUNC)
            put(s, " [|tcp]");
        if (r != OPT_DONE)
            return;
    }
    put(s, ", length %u", length);
    if (length > 0 && have(s, off, end) < hlen)
        put(s, " [remaining caplen(%u) < header length(%u)] [|tcp]", have(s, off, end), hlen);
}

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

/* ------------------------------------------------------------ ICMP */

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

static void sum_icmp(struct sum *s, uint32_t off, uint32_t length, uint32_t end)
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

static void sum_icmp6(struct sum *s, uint32_t off, uint32_t length, uint32_t end)
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
        sum_tcp(s, ip, off, length, end);
        break;
    case SK_IPPROTO_UDP:
        sum_udp(s, ip, off, length, end);
        break;
    case SK_IPPROTO_ICMP:
        sum_icmp(s, off, length, end);
        break;
    case SK_IPPROTO_ICMPV6:
        sum_icmp6(s, off, length, end);
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
