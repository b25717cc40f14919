/* summary_tcp.c — the TCP part of the tcpdump-style summary: tcp_print() of
 * tcpdump 4.99's print-tcp.c, with its options and print-mptcp.c's Multipath
 * TCP (RFC 9293, RFC 7323, RFC 2018, RFC 7413, RFC 8684). */
#include "names.h"
#include "summary_print.h"

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

void sk_sum_tcp(struct sum *s, const struct ipctx *ip, uint32_t off, uint32_t length,
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
