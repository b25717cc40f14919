/* decode_layers.h — internal to core/: the header readers and the per-layer
 * record that sk_decode fills, shared by decode*.c, dissect.c and summary.c.
 *
 * A reader reads one fixed-size header field by field through a cursor into a
 * plain struct and returns how many of its bytes were captured ("got"): a field
 * is filled exactly when it ends at or before got, so a cut header still yields
 * the fields before the cut. sk_decode_layers() chains the readers, checks what
 * the RFCs require, fills the public struct sk_packet and records each layer it
 * passed (offset, stated length, bytes captured, the header as read, and the
 * problem found there) so that the dissection shows exactly what the decoder
 * read, without decoding a second time.
 */
#ifndef SK_DECODE_LAYERS_H
#define SK_DECODE_LAYERS_H

#include <stdbool.h>
#include <stdint.h>

#include "cursor.h"
#include "decode.h"

/* ------------------------------------------------------------ headers */

/* IEEE 802.3 Ethernet II. */
struct sk_eth_hdr {
    uint8_t dst[6], src[6];
    uint16_t type;
};
#define SK_ETH_LEN 14u

/* IEEE 802.1Q / 802.1ad tag (after the TPID, which the previous type held). */
struct sk_vlan_hdr {
    uint16_t tpid; /* the type that announced this tag (0x8100, 0x88a8, 0x9100) */
    uint16_t tci;  /* priority (3 bits), DEI (1), VLAN ID (12) */
    uint16_t type;
};
#define SK_VLAN_LEN 4u

/* Linux cooked capture v1 (DLT_LINUX_SLL). */
struct sk_sll_hdr {
    uint16_t pkttype, hatype, halen;
    uint8_t addr[8];
    uint16_t proto;
};
#define SK_SLL_LEN 16u

/* Linux cooked capture v2 (DLT_LINUX_SLL2). */
struct sk_sll2_hdr {
    uint16_t proto, reserved;
    uint32_t ifindex;
    uint16_t hatype;
    uint8_t pkttype, halen;
    uint8_t addr[8];
};
#define SK_SLL2_LEN 20u

/* DLT_NULL / DLT_LOOP: the address family of the writer's host. */
struct sk_null_hdr {
    uint32_t family;  /* as understood (byte order fixed) */
    bool swapped;     /* the file's order differed from the one the DLT implies */
};
#define SK_NULL_LEN 4u

/* ARP (RFC 826), for Ethernet/IPv4 the common case; addresses are read up to 16 bytes. */
struct sk_arp_hdr {
    uint16_t htype, ptype;
    uint8_t hlen, plen;
    uint16_t op;
    uint8_t sha[16], spa[16], tha[16], tpa[16]; /* first min(len, 16) bytes */
};

/* IPv4 (RFC 791) fixed header. */
struct sk_ip4_hdr {
    uint8_t vihl, tos;
    uint16_t len, id, off;
    uint8_t ttl, proto;
    uint16_t sum;
    uint8_t src[4], dst[4];
};
#define SK_IP4_LEN 20u

/* IPv6 (RFC 8200) fixed header. */
struct sk_ip6_hdr {
    uint32_t vtcfl; /* version (4), traffic class (8), flow label (20) */
    uint16_t plen;
    uint8_t nxt, hlim;
    uint8_t src[16], dst[16];
};
#define SK_IP6_LEN 40u

/* One IPv6 extension header (RFC 8200 §4, RFC 4302 for AH). */
struct sk_ip6ext_hdr {
    uint8_t type;     /* which header this is (0, 43, 44, 60, 51) */
    uint8_t nxt, len; /* next header, length field as sent */
    /* fragment header */
    uint16_t offlg;   /* offset (13 bits) << 3 | reserved (2) | M (1) */
    uint32_t id;
    /* routing header */
    uint8_t rt_type, segleft;
    /* AH */
    uint32_t spi, seq;
    uint32_t jumbo;   /* hop-by-hop Jumbo Payload option value, 0 if none */
};

/* The length of an extension header from its length field. */
static inline uint32_t sk_ip6ext_len(uint8_t type, uint8_t len)
{
    if (type == 44) /* fragment: fixed */
        return 8;
    if (type == 51) /* AH counts 32-bit words, minus 2 */
        return ((uint32_t)len + 2) * 4;
    return ((uint32_t)len + 1) * 8; /* the others count 8 octets, minus the first 8 */
}

/* TCP (RFC 9293) fixed header. */
struct sk_tcp_hdr {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t offx2;    /* data offset (4 bits), reserved (3), AE (1) */
    uint8_t flags;
    uint16_t win, sum, urp;
};
#define SK_TCP_LEN 20u

/* UDP (RFC 768). */
struct sk_udp_hdr {
    uint16_t sport, dport, len, sum;
};
#define SK_UDP_LEN 8u

/* ICMP (RFC 792) / ICMPv6 (RFC 4443) common header. */
struct sk_icmp_hdr {
    uint8_t type, code;
    uint16_t sum;
    uint32_t rest; /* id/seq, MTU, gateway, pointer or unused */
};
#define SK_ICMP_LEN 8u

uint32_t sk_rd_eth(struct sk_cursor *c, struct sk_eth_hdr *h);
uint32_t sk_rd_vlan(struct sk_cursor *c, struct sk_vlan_hdr *h);
uint32_t sk_rd_sll(struct sk_cursor *c, struct sk_sll_hdr *h);
uint32_t sk_rd_sll2(struct sk_cursor *c, struct sk_sll2_hdr *h);
uint32_t sk_rd_ip4(struct sk_cursor *c, struct sk_ip4_hdr *h);
uint32_t sk_rd_ip6(struct sk_cursor *c, struct sk_ip6_hdr *h);
/* An IPv6 extension header of the given type; got is capped at its length. */
uint32_t sk_rd_ip6ext(struct sk_cursor *c, uint8_t type, struct sk_ip6ext_hdr *h);
uint32_t sk_rd_tcp(struct sk_cursor *c, struct sk_tcp_hdr *h);
uint32_t sk_rd_udp(struct sk_cursor *c, struct sk_udp_hdr *h);
uint32_t sk_rd_icmp(struct sk_cursor *c, struct sk_icmp_hdr *h);

/* ARP: returns the bytes read; *need gets the length the header states
 * (8 + 2 * (hlen + plen)), or 8 while the fixed part is cut. */
uint32_t sk_rd_arp(struct sk_cursor *c, struct sk_arp_hdr *h, uint32_t *need);

/* ------------------------------------------------------------ options */

/* Type-length-value options as TCP (RFC 9293 §3.2) and IPv4 (RFC 791) lay
 * them out: kind 0 (end of list) and 1 (no-operation) are one byte, any other
 * kind is followed by a length byte that counts both. */
struct sk_optwalk {
    struct sk_cursor c; /* the option bytes captured */
    uint32_t left;      /* option bytes the header states are left */
    uint32_t pos;       /* offset of the next option from the first */
    bool ended;         /* an end-of-list option was seen */
};

struct sk_opt {
    uint8_t kind;
    uint16_t len;         /* total bytes incl. kind and length (1 for EOL/NOP);
                             0 when the length byte was not read */
    uint32_t pos;         /* offset from the first option byte */
    struct sk_cursor val; /* the len - 2 value bytes */
};

enum sk_optres {
    SK_OPT_END = 0,     /* no more options */
    SK_OPT_NEXT = 1,    /* *o holds the next option */
    SK_OPT_BAD = -1,    /* an impossible length (< 2 or past the header) */
    SK_OPT_TRUNC = -2   /* the capture ends inside the options */
};

/* Starts a walk over the `stated` option bytes at c (c may hold fewer: the
 * capture may end first). */
static inline struct sk_optwalk sk_optwalk_make(struct sk_cursor c, uint32_t stated)
{
    if (c.left > stated)
        c.left = stated;
    struct sk_optwalk w = {c, stated, 0, false};
    return w;
}

/* The next option. Inline and on locals: it runs for every option of every
 * TCP segment, and writing the walker back field by field while reading it
 * again stalls the CPU. */
static inline enum sk_optres sk_opt_next(struct sk_optwalk *w, struct sk_opt *o)
{
    struct sk_cursor c = w->c;
    uint32_t left = w->left;
    uint8_t kind, len;
    if (left == 0 || w->ended)
        return SK_OPT_END;
    o->pos = w->pos;
    o->len = 0;
    o->val = sk_cursor_make(c.p, 0);
    if (!sk_cur_u8(&c, &kind))
        return SK_OPT_TRUNC;
    o->kind = kind;
    if (kind == 0 || kind == 1) { /* end of list, no-operation: one byte */
        o->len = 1;
        w->c = c;
        w->left = left - 1;
        w->pos = o->pos + 1;
        w->ended = kind == 0;
        return SK_OPT_NEXT;
    }
    if (left < 2)
        return SK_OPT_BAD; /* the length byte would lie past the header */
    if (!sk_cur_u8(&c, &len))
        return SK_OPT_TRUNC;
    o->len = len;
    if (len < 2 || len > left)
        return SK_OPT_BAD;
    if (!sk_cur_sub(&c, (size_t)len - 2, &o->val))
        return SK_OPT_TRUNC;
    w->c = c;
    w->left = left - len;
    w->pos = o->pos + len;
    return SK_OPT_NEXT;
}

/* The same for the options inside IPv6 hop-by-hop and destination options
 * headers (RFC 8200 §4.2): type 0 (Pad1) is one byte, every other type is
 * followed by the length of its data only. o->len is the total length. */
enum sk_optres sk_opt6_next(struct sk_optwalk *w, struct sk_opt *o);

/* TCP option kinds (IANA). */
enum {
    SK_TCPOPT_EOL = 0,
    SK_TCPOPT_NOP = 1,
    SK_TCPOPT_MSS = 2,
    SK_TCPOPT_WSCALE = 3,
    SK_TCPOPT_SACKOK = 4,
    SK_TCPOPT_SACK = 5,
    SK_TCPOPT_ECHO = 6,
    SK_TCPOPT_ECHOREPLY = 7,
    SK_TCPOPT_TS = 8,
    SK_TCPOPT_CC = 11,
    SK_TCPOPT_CCNEW = 12,
    SK_TCPOPT_CCECHO = 13,
    SK_TCPOPT_MD5 = 19,
    SK_TCPOPT_SCPS = 20,
    SK_TCPOPT_UTO = 28,
    SK_TCPOPT_TCPAO = 29,
    SK_TCPOPT_MPTCP = 30,
    SK_TCPOPT_FASTOPEN = 34,
    SK_TCPOPT_EXP2 = 254
};


/* ------------------------------------------------------------ numbers */

enum {
    SK_ETHERTYPE_IPV4 = 0x0800,
    SK_ETHERTYPE_ARP = 0x0806,
    SK_ETHERTYPE_8021Q = 0x8100,
    SK_ETHERTYPE_IPV6 = 0x86dd,
    SK_ETHERTYPE_8021AD = 0x88a8,
    SK_ETHERTYPE_QINQ_OLD = 0x9100
};

enum {
    SK_IPPROTO_HOPOPTS = 0,
    SK_IPPROTO_ICMP = 1,
    SK_IPPROTO_TCP = 6,
    SK_IPPROTO_UDP = 17,
    SK_IPPROTO_ROUTING = 43,
    SK_IPPROTO_FRAGMENT = 44,
    SK_IPPROTO_ESP = 50,
    SK_IPPROTO_AH = 51,
    SK_IPPROTO_ICMPV6 = 58,
    SK_IPPROTO_NONE = 59,
    SK_IPPROTO_DSTOPTS = 60
};

static inline bool sk_is_vlan_tpid(uint16_t t)
{
    return t == SK_ETHERTYPE_8021Q || t == SK_ETHERTYPE_8021AD || t == SK_ETHERTYPE_QINQ_OLD;
}

/* The IPv6 extension headers we walk through. */
static inline bool sk_is_ip6_ext(uint8_t nh)
{
    return nh == SK_IPPROTO_HOPOPTS || nh == SK_IPPROTO_ROUTING || nh == SK_IPPROTO_FRAGMENT ||
           nh == SK_IPPROTO_DSTOPTS || nh == SK_IPPROTO_AH;
}

/* ICMP and ICMPv6 messages that quote the datagram that caused them. */
static inline bool sk_icmp_is_error(uint8_t type)
{
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}
static inline bool sk_icmp6_is_error(uint8_t type)
{
    return type >= 1 && type <= 4;
}

/* The link types sk_decode understands (see sk_decode_dlt_supported). */
enum {
    SK_DLT_NULL = 0,
    SK_DLT_EN10MB = 1,
    SK_DLT_RAW = 12,         /* DLT_RAW everywhere but OpenBSD */
    SK_DLT_RAW_OPENBSD = 14, /* DLT_RAW on OpenBSD and BSD/OS */
    SK_LINKTYPE_RAW = 101,   /* the pcap file's value, should a caller pass it */
    SK_DLT_LOOP = 108,
    SK_DLT_LINUX_SLL = 113,
    SK_DLT_IPV4 = 228,
    SK_DLT_IPV6 = 229,
    SK_DLT_LINUX_SLL2 = 276
};

/* ------------------------------------------------------------ layers */

enum sk_layer_kind {
    SK_LY_ETH = 1,
    SK_LY_VLAN,
    SK_LY_SLL,
    SK_LY_SLL2,
    SK_LY_NULL,
    SK_LY_ARP,
    SK_LY_IPV4,
    SK_LY_IPV6,
    SK_LY_IP6EXT,
    SK_LY_TCP,
    SK_LY_UDP,
    SK_LY_ICMP,
    SK_LY_ICMP6
};

struct sk_layer {
    uint8_t kind;          /* enum sk_layer_kind */
    bool quoted;           /* inside an ICMP error's quoted datagram */
    uint8_t status;        /* enum sk_status of the problem found in this layer */
    const char *why;       /* its msgid, NULL when none */
    uint32_t off;          /* first byte in the frame */
    uint32_t hlen;         /* header bytes the protocol states (fixed size, IHL, data offset...) */
    uint32_t got;          /* bytes of the header captured (may be less than hlen) */
    uint32_t avail;        /* bytes from off that the enclosing header says there
                              are (for IP, what the frame has left) */
    union {
        struct sk_eth_hdr eth;
        struct sk_vlan_hdr vlan;
        struct sk_sll_hdr sll;
        struct sk_sll2_hdr sll2;
        struct sk_null_hdr null;
        struct sk_arp_hdr arp;
        struct sk_ip4_hdr ip4;
        struct sk_ip6_hdr ip6;
        struct sk_ip6ext_hdr ext;
        struct sk_tcp_hdr tcp;
        struct sk_udp_hdr udp;
        struct sk_icmp_hdr icmp;
    } h;
};

#define SK_MAX_LAYERS 16

struct sk_layers {
    unsigned n;          /* layers recorded */
    unsigned dropped;    /* layers passed but not recorded (more than SK_MAX_LAYERS) */
    struct sk_layer l[SK_MAX_LAYERS];
    struct sk_layer spare; /* where the ones beyond SK_MAX_LAYERS are read into */
};

/* sk_decode, also recording each layer in *L (which needs no initialising). */
enum sk_status sk_decode_layers(int dlt, const uint8_t *data, uint32_t caplen,
                                uint32_t wirelen, struct sk_packet *p, struct sk_layers *L);

/* ------------------------------------------------------------ decoder state */

/* What the layer decoders share while one frame is decoded. */
struct sk_dec {
    struct sk_packet *p;
    struct sk_layers *L;
    const uint8_t *data;
    uint32_t caplen;
    uint32_t framelen; /* max(wirelen, caplen): the bytes the frame had */
};

static inline struct sk_cursor sk_dec_at(const struct sk_dec *d, uint32_t off)
{
    if (off >= d->caplen)
        return sk_cursor_make(d->data + d->caplen, 0);
    return sk_cursor_make(d->data + off, d->caplen - off);
}

/* Keeps at most n bytes in c: a header's stated length bounds what belongs to it. */
static inline void sk_cur_limit(struct sk_cursor *c, uint32_t n)
{
    if (c->left > n)
        c->left = n;
}

static inline struct sk_layer *sk_layer_push(struct sk_dec *d, enum sk_layer_kind kind,
                                             uint32_t off, bool quoted)
{
    struct sk_layers *L = d->L;
    struct sk_layer *ly;
    if (L->n < SK_MAX_LAYERS) {
        ly = &L->l[L->n++];
    } else {
        L->dropped++;
        ly = &L->spare;
    }
    ly->kind = (uint8_t)kind;
    ly->quoted = quoted;
    ly->status = SK_OK;
    ly->why = NULL;
    ly->off = off;
    ly->hlen = 0;
    ly->got = 0;
    ly->avail = off < d->framelen ? d->framelen - off : 0;
    return ly;
}

/* Records a problem in the layer (NULL: before any layer) and, if it is the
 * worst so far, in the packet. */
static inline void sk_dec_problem(struct sk_dec *d, struct sk_layer *ly, enum sk_status s,
                                  const char *why)
{
    if (ly && s > ly->status) {
        ly->status = (uint8_t)s;
        ly->why = why;
    }
    if (s > d->p->status) {
        d->p->status = s;
        d->p->why = why;
    }
}

/* Sets the payload: `stated` bytes per the headers from off, of which those
 * captured are pointed at. */
static inline void sk_dec_payload(struct sk_dec *d, uint32_t off, uint32_t stated)
{
    struct sk_packet *p = d->p;
    p->payload_len = stated;
    uint32_t cap = off < d->caplen ? d->caplen - off : 0;
    if (cap > stated)
        cap = stated;
    p->payload_caplen = cap;
    p->payload = cap ? d->data + off : NULL;
}

/* Layer decoders: each reads its header at off, fills p, records its layer,
 * and hands over to the next. */
void sk_dec_link(struct sk_dec *d, int dlt);
void sk_dec_ethertype(struct sk_dec *d, uint16_t type, uint32_t off);
void sk_dec_arp(struct sk_dec *d, uint32_t off);
void sk_dec_ipv4(struct sk_dec *d, uint32_t off);
void sk_dec_ipv6(struct sk_dec *d, uint32_t off);
/* Transport at off: `avail` bytes of IP payload per the IP header. */
void sk_dec_transport(struct sk_dec *d, uint8_t proto, uint32_t off, uint32_t avail);

/* The datagram an ICMP / ICMPv6 error quotes, at off, `avail` bytes per the
 * message length: fills q and records quoted layers. Returns false when the
 * capture cuts the quoted IP header or its first 8 transport bytes. */
bool sk_dec_quote4(struct sk_dec *d, uint32_t off, uint32_t avail, struct sk_quoted *q);
bool sk_dec_quote6(struct sk_dec *d, uint32_t off, uint32_t avail, struct sk_quoted *q);

#endif
