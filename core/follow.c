/* follow.c — a conversation's bytes for the follow-stream view and the hex dump (follow.h). */
#include "follow.h"

#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "escape.h"
#include "i18n.h"
#include "tcp.h"

bool sk_follow_keeps(const struct sk_rec *r)
{
    if (r->len == 0)
        return false;
    uint32_t again = 1u << SK_EV_RETRANS | 1u << SK_EV_FAST_RETRANS |
                     1u << SK_EV_SPURIOUS_RETRANS | 1u << SK_EV_KEEPALIVE |
                     1u << SK_EV_ZERO_WINDOW_PROBE;
    return (r->events & again) == 0;
}

size_t sk_follow_heading(const struct sk_rec *r, const struct sk_conv *c, unsigned datagram_no,
                         char *buf, size_t n)
{
    if (n == 0)
        return 0;
    int dir = sk_rec_dir(r);
    char from[SK_ADDRSTRLEN];
    sk_endpoint_str(&c->addr[dir], c->port[dir], from);
    const char *who = dir == SK_C2S ? _("client") : _("server");
    const char *to = dir == SK_C2S ? _("server") : _("client");
    int w;
    if (sk_rec_kind(r) == SK_K_UDP)
        w = snprintf(buf, n, _("datagram %u, %s %s -> %s: %u bytes (packet %u)"), datagram_no,
                     who, from, to, (unsigned)r->len, r->n);
    else
        w = snprintf(buf, n, _("%s %s -> %s: %u bytes (packet %u)"), who, from, to,
                     (unsigned)r->len, r->n);
    if (w < 0) {
        buf[0] = '\0';
        return 0;
    }
    return (size_t)w < n ? (size_t)w : n - 1;
}

/* Bytes of the next unit sk_escape_text treats as one: a well-formed UTF-8
 * character (RFC 3629), else one byte. */
static size_t unit_len(const uint8_t *s, size_t len)
{
    uint8_t c = s[0];
    size_t n;
    uint8_t lo = 0x80, hi = 0xbf;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0) lo = 0xa0;
        else if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0) lo = 0x90;
        else if (c == 0xf4) hi = 0x8f;
    } else
        return 1;
    if (len < n || s[1] < lo || s[1] > hi)
        return 1;
    for (size_t i = 2; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 1;
    return n;
}

size_t sk_follow_text_line(const uint8_t *p, size_t len, size_t cols, char *buf, size_t n)
{
    size_t i = 0, o = 0, w = 0;
    buf[0] = '\0';
    while (i < len) {
        if (p[i] == '\n')
            return i + 1;
        if (p[i] == '\r' && i + 1 < len && p[i + 1] == '\n')
            return i + 2;
        size_t u = unit_len(p + i, len - i);
        char one[16];
        size_t ol = 0;
        sk_escape_text(p + i, u, one, sizeof one, &ol);
        size_t uw = sk_text_width(one);
        if ((w + uw > cols || o + ol + 1 > n) && i > 0)
            break;
        if (o + ol + 1 > n)
            break;
        memcpy(buf + o, one, ol);
        o += ol;
        buf[o] = '\0';
        w += uw;
        i += u;
    }
    /* A line that ends exactly at its newline takes the newline too. */
    if (i < len && p[i] == '\n')
        i++;
    else if (i + 1 < len && p[i] == '\r' && p[i + 1] == '\n')
        i += 2;
    return i > 0 || len == 0 ? i : 1;
}

void sk_hexdump_cols(unsigned i, unsigned per_line, unsigned *hex_col, unsigned *text_col)
{
    unsigned half = per_line / 2;
    /* "0000  " then "xx " per byte, one more space after the first half,
     * then one space more before the text. */
    *hex_col = 6 + 3 * i + (i >= half ? 1 : 0);
    *text_col = 6 + 3 * per_line + 1 + 1 + i;
}

size_t sk_hexdump_line(const uint8_t *d, size_t len, size_t off, unsigned per_line, char *buf,
                       size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (per_line == 0 || per_line > 64)
        per_line = 16;
    unsigned tc0, hc;
    sk_hexdump_cols(0, per_line, &hc, &tc0);
    size_t need = tc0 + per_line + 1;
    if (n < need) {
        if (n)
            buf[0] = '\0';
        return 0;
    }
    memset(buf, ' ', tc0 + per_line);
    char head[16];
    snprintf(head, sizeof head, "%04zx", off & 0xffffffu);
    memcpy(buf, head, strlen(head) < 6 ? strlen(head) : 6);
    size_t used = len < per_line ? len : per_line;
    for (unsigned i = 0; i < used; i++) {
        unsigned h, t;
        sk_hexdump_cols(i, per_line, &h, &t);
        buf[h] = hex[d[i] >> 4];
        buf[h + 1] = hex[d[i] & 15];
        buf[t] = d[i] >= 0x20 && d[i] < 0x7f ? (char)d[i] : '.';
    }
    size_t end = tc0 + used;
    buf[end] = '\0';
    return end;
}
