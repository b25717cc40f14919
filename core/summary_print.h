/* summary_print.h — internal to core/: what the parts of the tcpdump-style
 * summary (summary.c, summary_tcp.c, summary_icmp.c) share. */
#ifndef SK_SUMMARY_PRINT_H
#define SK_SUMMARY_PRINT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "decode_layers.h"

/* ------------------------------------------------------------ output */

struct sum {
    char *buf;
    size_t n, len;
    const uint8_t *data;
    uint32_t caplen;  /* bytes captured */
    uint32_t wirelen; /* bytes on the wire (at least caplen) */
};

static inline void put(struct sum *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static inline void put(struct sum *s, const char *fmt, ...)
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
static inline struct sk_cursor at(const struct sum *s, uint32_t off, uint32_t end)
{
    if (end > s->caplen)
        end = s->caplen;
    if (off >= end)
        return sk_cursor_make(s->data + end, 0);
    return sk_cursor_make(s->data + off, end - off);
}

/* How many bytes from off are there before end. */
static inline uint32_t have(const struct sum *s, uint32_t off, uint32_t end)
{
    return (uint32_t)at(s, off, end).left;
}

static inline char *a4(const uint8_t b[4], char *out)
{
    snprintf(out, SK_ADDRSTRLEN, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    return out;
}

static inline char *a6(const uint8_t b[16], char *out)
{
    struct sk_addr a = {6, {0}};
    memcpy(a.b, b, 16);
    return sk_addr_str(&a, out);
}

/* Reads an address of len bytes at off (4 or 16); false if not all there. */
static inline bool addr_at(const struct sum *s, uint32_t off, uint32_t end, int len, char *out)
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

static inline void ports(struct sum *s, const struct ipctx *ip, uint8_t proto, uint16_t sp, uint16_t dp)
{
    if (ip->first_nh == proto)
        put(s, "%s.%u > %s.%u: ", ip->src, sp, ip->dst, dp);
    else
        put(s, "%u > %u: ", sp, dp);
}

/* Bytes as hex digits, as many of n as c holds. */
static inline void hex(struct sum *s, struct sk_cursor *c, uint32_t n)
{
    uint8_t b;
    for (uint32_t i = 0; i < n && sk_cur_u8(c, &b); i++)
        put(s, "%02x", b);
}

/* The transport printers: off is where their header starts, length what the
 * IP header says follows, end tcpdump's snapend. */
void sk_sum_tcp(struct sum *s, const struct ipctx *ip, uint32_t off, uint32_t length,
                uint32_t end);
void sk_sum_icmp(struct sum *s, uint32_t off, uint32_t length, uint32_t end);
void sk_sum_icmp6(struct sum *s, uint32_t off, uint32_t length, uint32_t end);

#endif
