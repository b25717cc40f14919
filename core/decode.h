/* decode.h — one captured frame, decoded layer by layer into plain fields.
 *
 * Link (DLT_EN10MB with 802.1Q/802.1ad tags, DLT_LINUX_SLL, DLT_LINUX_SLL2,
 * DLT_NULL, DLT_LOOP, DLT_RAW, DLT_IPV4, DLT_IPV6) → IPv4 (options, fragments
 * flagged, not reassembled) or IPv6 (extension headers) → TCP (options), UDP,
 * ICMP, ICMPv6 (with the quoted header of an error). Anything else stops at the
 * deepest layer understood and says what it is (ethertype, IP protocol).
 *
 * The packet borrows the caller's bytes: pointers into `data` are valid only as
 * long as those bytes are (inside a libpcap callback, until the next read).
 * Nothing reads past caplen; decoding never allocates.
 */
#ifndef SK_DECODE_H
#define SK_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "err.h"

/* Network layer found. */
enum sk_l3 {
    SK_L3_NONE = 0, /* the link header itself was cut short or unknown */
    SK_L3_IPV4,
    SK_L3_IPV6,
    SK_L3_ARP,
    SK_L3_OTHER /* a known link layer carrying something else: see ethertype */
};

/* Transport layer found. */
enum sk_l4 {
    SK_L4_NONE = 0, /* no transport header (non-IP, later fragment, truncated IP) */
    SK_L4_TCP,
    SK_L4_UDP,
    SK_L4_ICMP,
    SK_L4_ICMP6,
    SK_L4_OTHER /* another IP protocol: see ip_proto */
};

/* TCP header flag bits, as on the wire (low byte of the flags field). */
enum {
    SK_TH_FIN = 0x01,
    SK_TH_SYN = 0x02,
    SK_TH_RST = 0x04,
    SK_TH_PSH = 0x08,
    SK_TH_ACK = 0x10,
    SK_TH_URG = 0x20,
    SK_TH_ECE = 0x40,
    SK_TH_CWR = 0x80
};

#define SK_MAX_SACK 4
#define SK_MAX_VLAN 2
#define SK_MAX_EXTHDR 8

/* TCP options (RFC 9293 §3.2, RFC 7323 window scale and timestamps, RFC 2018 SACK). */
struct sk_tcp_options {
    bool has_mss;
    bool has_wscale;
    bool sack_perm;
    bool has_ts;
    bool bad;           /* an option's length was impossible; options after it are unread */
    uint8_t wscale;     /* shift count as sent (may exceed 14; the tracker clamps) */
    uint8_t nsack;      /* SACK blocks kept (at most SK_MAX_SACK) */
    uint8_t nother;     /* options present that we do not name */
    uint16_t mss;
    uint32_t ts_val, ts_ecr;
    uint32_t sack[SK_MAX_SACK][2]; /* left and right edge of each block */
};

/* The IP + transport header that an ICMP/ICMPv6 error quotes (RFC 792, RFC 4443). */
struct sk_quoted {
    bool valid;     /* the quoted IP header was there: src, dst, proto are set */
    bool has_ports; /* ... and its first 4 transport bytes too: sport, dport are set */
    uint8_t proto;
    uint16_t sport, dport;
    struct sk_addr src, dst; /* of the quoted (original) datagram */
};

struct sk_packet {
    /* --- the capture record (copied from the source) --- */
    uint32_t n;           /* frame number in the file, from 1 */
    int64_t ts_ns;        /* capture time, ns since the epoch */
    uint32_t caplen;      /* bytes captured */
    uint32_t wirelen;     /* bytes the frame had on the wire */
    int dlt;              /* link type (DLT_*) */
    const uint8_t *data;  /* the captured bytes: borrowed */

    /* --- outcome --- */
    enum sk_status status; /* worst outcome of any layer decoded */
    const char *why;       /* when status != SK_OK: a short English phrase naming the
                              layer and the problem ("truncated TCP header",
                              "IPv4 header length 12 < 20"); static storage, a
                              gettext msgid (translate with _() when shown) */

    /* --- link --- */
    uint16_t ethertype;    /* protocol carried by the link (after VLAN tags); 0 if none */
    uint8_t nvlan;         /* 802.1Q / 802.1ad tags kept: the first SK_MAX_VLAN (more
                              are walked through, not counted) */
    uint16_t vlan[SK_MAX_VLAN]; /* their VLAN IDs, outermost first */
    uint16_t sll_pkttype;  /* Linux cooked capture: packet type (host, outgoing...) */
    uint32_t l3_off;       /* offset of the network header in data */

    /* --- network --- */
    enum sk_l3 l3;
    struct sk_addr src, dst;
    uint8_t ip_proto;      /* IPv4 protocol, or the IPv6 upper-layer next header */
    uint8_t ttl;           /* IPv4 TTL / IPv6 hop limit */
    uint8_t tos;           /* IPv4 TOS / IPv6 traffic class */
    uint16_t ip_hlen;      /* IPv4 header incl. options / IPv6 40 + extension headers */
    uint16_t ip_optlen;    /* IPv4 option bytes */
    uint32_t ip_len;       /* total length the header states (IPv6: 40 + payload length) */
    uint16_t ip_id;        /* IPv4 identification (or IPv6 fragment id, low bits) */
    uint32_t flow;         /* IPv6 flow label */
    bool df, mf;           /* don't-fragment / more-fragments */
    uint16_t frag_off;     /* fragment offset in bytes */
    bool fragment;         /* part of a fragmented datagram (MF, offset, or IPv6 fragment header) */
    uint8_t nexthdr[SK_MAX_EXTHDR]; /* IPv6 extension headers passed, in order */
    uint8_t nnexthdr;
    uint32_t l4_off;       /* offset of the transport header in data */

    /* --- transport --- */
    enum sk_l4 l4;
    uint16_t sport, dport; /* TCP/UDP ports; 0 for others */
    struct {
        uint32_t seq, ack;
        uint8_t flags;     /* SK_TH_* */
        uint8_t hlen;      /* header bytes incl. options (data offset * 4) */
        uint16_t win;      /* raw window field (unscaled) */
        uint16_t urp;
        uint16_t sum;
        bool ae;           /* the AE (ex-NS) bit, RFC 9768 */
        struct sk_tcp_options opt;
    } tcp;
    struct {
        uint16_t len;      /* UDP length field */
        uint16_t sum;
    } udp;
    struct {
        uint8_t type, code;
        uint16_t sum;
        uint16_t id, seq;  /* echo request/reply identifier and sequence */
        uint32_t mtu;      /* "fragmentation needed" / "packet too big" MTU */
        struct sk_quoted q; /* destination unreachable & other errors */
    } icmp;

    /* --- payload --- */
    const uint8_t *payload;  /* first payload byte present, NULL when none */
    uint32_t payload_caplen; /* payload bytes present in the capture */
    uint32_t payload_len;    /* payload bytes according to the headers: what
                                tcpdump prints as "length" (TCP, UDP); for
                                ICMP/ICMPv6 the bytes after the 8-byte header,
                                a quoted datagram included */
};

/* Decodes one frame of link type dlt. Always fills *p (zeroing it first) as far
 * as the bytes allow and returns p->status. Never reads past caplen. */
enum sk_status sk_decode(int dlt, const uint8_t *data, uint32_t caplen,
                         uint32_t wirelen, struct sk_packet *p);

/* True if sk_decode understands this link type. */
bool sk_decode_dlt_supported(int dlt);

/* tcpdump's letters for a flags byte: "S", "S.", ".", "P.", "F.", "R.", "FP.",
 * "SEW", or "none". buf must hold 12 bytes; returns buf. */
char *sk_tcp_flags_str(uint8_t flags, char *buf);

/* Names for the same flags, for people: "SYN", "SYN,ACK", "PSH,ACK", "FIN,ACK",
 * "RST" ... ("none" when empty). buf must hold 40 bytes; returns buf. */
char *sk_tcp_flags_names(uint8_t flags, char *buf);

#endif
