/* testframes.h — building test frames byte by byte, and decoding cut copies of
 * them, for the decode, dissect and summary suites. */
#ifndef SK_TESTFRAMES_H
#define SK_TESTFRAMES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

struct fb {
    uint8_t b[4096];
    size_t n;
};

static inline void put8(struct fb *f, unsigned v)
{
    f->b[f->n++] = (uint8_t)v;
}

static inline void put16(struct fb *f, unsigned v)
{
    put8(f, v >> 8);
    put8(f, v);
}

static inline void put32(struct fb *f, uint32_t v)
{
    put16(f, v >> 16);
    put16(f, v & 0xffff);
}

static inline void putn(struct fb *f, const void *p, size_t n)
{
    memcpy(f->b + f->n, p, n);
    f->n += n;
}

static inline void set16(struct fb *f, size_t at, unsigned v)
{
    f->b[at] = (uint8_t)(v >> 8);
    f->b[at + 1] = (uint8_t)v;
}

static const uint8_t MAC_A[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0a};
static const uint8_t MAC_B[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0b};
static const uint8_t IP4_A[4] = {127, 0, 0, 1};
static const uint8_t IP4_B[4] = {10, 1, 2, 3};
static const uint8_t IP6_A[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const uint8_t IP6_B[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

/* Ethernet II from MAC_A to MAC_B. */
static inline size_t fb_eth(struct fb *f, unsigned type)
{
    size_t at = f->n;
    putn(f, MAC_B, 6);
    putn(f, MAC_A, 6);
    put16(f, type);
    return at;
}

/* An 802.1Q/802.1ad tag body (the TPID is the previous type field). */
static inline size_t fb_vlan(struct fb *f, unsigned tci, unsigned type)
{
    size_t at = f->n;
    put16(f, tci);
    put16(f, type);
    return at;
}

/* IPv4 from IP4_A to IP4_B, TTL 64, id 0x1234, DF; total length set by fb_ip4_done. */
static inline size_t fb_ip4(struct fb *f, unsigned proto, const uint8_t *opts, size_t optlen)
{
    size_t at = f->n;
    put8(f, 0x40 | (unsigned)((20 + optlen) / 4));
    put8(f, 0x02); /* ECT(0) */
    put16(f, 0);
    put16(f, 0x1234);
    put16(f, 0x4000);
    put8(f, 64);
    put8(f, proto);
    put16(f, 0xbeef);
    putn(f, IP4_A, 4);
    putn(f, IP4_B, 4);
    if (optlen)
        putn(f, opts, optlen);
    return at;
}

static inline void fb_ip4_done(struct fb *f, size_t at)
{
    set16(f, at + 2, (unsigned)(f->n - at));
}

/* IPv6 from IP6_A to IP6_B, hop limit 63, flow 0x12345, traffic class 0x28. */
static inline size_t fb_ip6(struct fb *f, unsigned nxt)
{
    size_t at = f->n;
    put32(f, 0x60000000u | 0x28u << 20 | 0x12345u);
    put16(f, 0);
    put8(f, nxt);
    put8(f, 63);
    putn(f, IP6_A, 16);
    putn(f, IP6_B, 16);
    return at;
}

static inline void fb_ip6_done(struct fb *f, size_t at)
{
    set16(f, at + 4, (unsigned)(f->n - at - 40));
}

/* An 8-octet-unit extension header (hop-by-hop, destination options, routing)
 * whose body is `body` (len 6 + 8k). */
static inline size_t fb_ext(struct fb *f, unsigned nxt, const uint8_t *body, size_t len)
{
    size_t at = f->n;
    put8(f, nxt);
    put8(f, (unsigned)((len + 2) / 8 - 1));
    putn(f, body, len);
    return at;
}

static inline size_t fb_tcp(struct fb *f, unsigned sport, unsigned dport, uint32_t seq,
                            uint32_t ack, unsigned flags, unsigned win, const uint8_t *opts,
                            size_t optlen)
{
    size_t at = f->n;
    put16(f, sport);
    put16(f, dport);
    put32(f, seq);
    put32(f, ack);
    put8(f, (unsigned)((20 + optlen) / 4) << 4);
    put8(f, flags);
    put16(f, win);
    put16(f, 0xcafe);
    put16(f, 0);
    if (optlen)
        putn(f, opts, optlen);
    return at;
}

static inline size_t fb_udp(struct fb *f, unsigned sport, unsigned dport)
{
    size_t at = f->n;
    put16(f, sport);
    put16(f, dport);
    put16(f, 0);
    put16(f, 0x1111);
    return at;
}

static inline void fb_udp_done(struct fb *f, size_t at)
{
    set16(f, at + 4, (unsigned)(f->n - at));
}

static inline size_t fb_icmp(struct fb *f, unsigned type, unsigned code, uint32_t rest)
{
    size_t at = f->n;
    put8(f, type);
    put8(f, code);
    put16(f, 0x2222);
    put32(f, rest);
    return at;
}

/* Linux's SYN options: mss 65495, sackOK, TS val 1205737599 ecr 0, nop, wscale 10. */
static const uint8_t SYN_OPTS[20] = {2, 4, 0xff, 0xd7, 4, 2, 8, 10, 0x47, 0xde, 0x18, 0x7f,
                                     0, 0, 0, 0, 1, 3, 3, 10};

/* A copy of the first cut bytes of f in a block of exactly that size, so that
 * AddressSanitizer catches any read past it. Free with free(). */
static inline uint8_t *fb_cut(const struct fb *f, size_t cut)
{
    uint8_t *copy = malloc(cut);
    if (cut)
        memcpy(copy, f->b, cut);
    return copy;
}

#endif
