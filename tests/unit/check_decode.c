/* check_decode.c — the packet decoder (core/decode*.c): every link type, IPv4
 * and IPv6 with options and extension headers, TCP, UDP, ICMP, ICMPv6; each
 * header cut at every length; malformed headers; the tcpdump corpus. */
#include <check.h>
#include <dirent.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "dissect.h"
#include "summary.h"
#include "testframes.h"

/* ------------------------------------------------------------ field checks */

/* Fields a sweep compares with the full decode once their bytes are in. */
enum fk {
    F_ETHERTYPE, F_VLAN0, F_VLAN1, F_SLLTYPE, F_L3OFF, F_TOS, F_IPLEN, F_IPID, F_FRAG,
    F_TTL, F_PROTO, F_SRC, F_DST, F_FLOW, F_SPORT, F_DPORT, F_SEQ, F_ACK, F_THLEN,
    F_FLAGS, F_WIN, F_SUM, F_URP, F_MSS, F_SACKOK, F_TS, F_WSCALE, F_NSACK, F_ULEN,
    F_ITYPE, F_ICODE, F_IIDSEQ, F_QIP, F_QPORTS
};

struct fcheck {
    uint32_t end; /* the field is filled once the capture reaches this offset */
    enum fk k;
};

/* Compares field k of a (a cut decode) with b (the full decode); when b is
 * NULL, checks that the field of a is still empty. */
static bool field_same(enum fk k, const struct sk_packet *a, const struct sk_packet *b)
{
    static const struct sk_packet zero;
    if (!b)
        b = &zero;
    switch (k) {
    case F_ETHERTYPE: return a->ethertype == b->ethertype;
    case F_VLAN0: return (a->nvlan > 0) == (b->nvlan > 0) && a->vlan[0] == b->vlan[0];
    case F_VLAN1: return (a->nvlan > 1) == (b->nvlan > 1) && a->vlan[1] == b->vlan[1];
    case F_SLLTYPE: return a->sll_pkttype == b->sll_pkttype;
    case F_L3OFF: return a->l3_off == b->l3_off;
    case F_TOS: return a->tos == b->tos;
    case F_IPLEN: return a->ip_len == b->ip_len;
    case F_IPID: return a->ip_id == b->ip_id;
    case F_FRAG: return a->df == b->df && a->mf == b->mf && a->fragment == b->fragment &&
                        a->frag_off == b->frag_off;
    case F_TTL: return a->ttl == b->ttl;
    case F_PROTO: return a->ip_proto == b->ip_proto;
    case F_SRC: return sk_addr_eq(&a->src, &b->src);
    case F_DST: return sk_addr_eq(&a->dst, &b->dst);
    case F_FLOW: return a->flow == b->flow;
    case F_SPORT: return a->sport == b->sport;
    case F_DPORT: return a->dport == b->dport;
    case F_SEQ: return a->tcp.seq == b->tcp.seq;
    case F_ACK: return a->tcp.ack == b->tcp.ack;
    case F_THLEN: return a->tcp.hlen == b->tcp.hlen;
    case F_FLAGS: return a->tcp.flags == b->tcp.flags;
    case F_WIN: return a->tcp.win == b->tcp.win;
    case F_SUM: return a->tcp.sum == b->tcp.sum;
    case F_URP: return a->tcp.urp == b->tcp.urp;
    case F_MSS: return a->tcp.opt.has_mss == b->tcp.opt.has_mss && a->tcp.opt.mss == b->tcp.opt.mss;
    case F_SACKOK: return a->tcp.opt.sack_perm == b->tcp.opt.sack_perm;
    case F_TS: return a->tcp.opt.has_ts == b->tcp.opt.has_ts &&
                      a->tcp.opt.ts_val == b->tcp.opt.ts_val && a->tcp.opt.ts_ecr == b->tcp.opt.ts_ecr;
    case F_WSCALE: return a->tcp.opt.has_wscale == b->tcp.opt.has_wscale &&
                          a->tcp.opt.wscale == b->tcp.opt.wscale;
    case F_NSACK: return a->tcp.opt.nsack == b->tcp.opt.nsack &&
                         memcmp(a->tcp.opt.sack, b->tcp.opt.sack, sizeof a->tcp.opt.sack) == 0;
    case F_ULEN: return a->udp.len == b->udp.len;
    case F_ITYPE: return a->icmp.type == b->icmp.type;
    case F_ICODE: return a->icmp.code == b->icmp.code;
    case F_IIDSEQ: return a->icmp.id == b->icmp.id && a->icmp.seq == b->icmp.seq &&
                          a->icmp.mtu == b->icmp.mtu;
    case F_QIP: return a->icmp.q.valid == b->icmp.q.valid && a->icmp.q.proto == b->icmp.q.proto &&
                       sk_addr_eq(&a->icmp.q.src, &b->icmp.q.src) &&
                       sk_addr_eq(&a->icmp.q.dst, &b->icmp.q.dst);
    case F_QPORTS: return a->icmp.q.has_ports == b->icmp.q.has_ports &&
                          a->icmp.q.sport == b->icmp.q.sport && a->icmp.q.dport == b->icmp.q.dport;
    }
    return false;
}

/* Where each header ends, and the word its "truncated ..." message must hold. */
struct hend {
    uint32_t end;
    const char *word;
};

/* Decodes f cut at every length from 0 to f->n (each copy allocated exactly):
 * TRUNCATED exactly while a header is cut, `why` names it, the fields whose
 * bytes are in are those of the full decode and the others are still empty,
 * and the payload is counted as the headers say. */
static void sweep_from(int dlt, const struct fb *f, const struct hend *ends, size_t nends,
                       const struct fcheck *checks, size_t nchecks, uint32_t payload_at)
{
    struct sk_packet full, p;
    ck_assert_int_eq(sk_decode(dlt, f->b, (uint32_t)f->n, (uint32_t)f->n, &full), SK_OK);
    ck_assert_ptr_null(full.why);
    for (uint32_t cut = 0; cut <= f->n; cut++) {
        uint8_t *copy = fb_cut(f, cut);
        enum sk_status st = sk_decode(dlt, copy, cut, (uint32_t)f->n, &p);
        ck_assert_int_eq(st, p.status);
        ck_assert_uint_eq(p.caplen, cut);
        const struct hend *cut_in = NULL;
        for (size_t i = 0; i < nends && !cut_in; i++)
            if (cut < ends[i].end)
                cut_in = &ends[i];
        if (cut_in) {
            ck_assert_msg(st == SK_TRUNCATED, "cut at %u: status %d, want truncated (%s)", cut,
                          st, cut_in->word);
            ck_assert_msg(p.why && strstr(p.why, cut_in->word),
                          "cut at %u: why \"%s\" does not name %s", cut, p.why ? p.why : "",
                          cut_in->word);
        } else {
            ck_assert_msg(st == SK_OK, "cut at %u: status %d (%s), want ok", cut, st,
                          p.why ? p.why : "");
            ck_assert_uint_eq(p.l3, full.l3);
            ck_assert_uint_eq(p.l4, full.l4);
            ck_assert_uint_eq(p.payload_len, full.payload_len);
            uint32_t want = cut - payload_at < full.payload_len ? cut - payload_at : full.payload_len;
            ck_assert_uint_eq(p.payload_caplen, want);
            if (want)
                ck_assert_ptr_eq(p.payload, copy + payload_at);
            else
                ck_assert_ptr_null(p.payload);
        }
        for (size_t i = 0; i < nchecks; i++) {
            if (cut >= checks[i].end)
                ck_assert_msg(field_same(checks[i].k, &p, &full),
                              "cut at %u: field %d (in by %u) differs from the full decode", cut,
                              checks[i].k, checks[i].end);
            else
                ck_assert_msg(field_same(checks[i].k, &p, NULL),
                              "cut at %u: field %d (in by %u) filled too early", cut, checks[i].k,
                              checks[i].end);
        }
        free(copy);
    }
}

/* The same, for frames whose payload starts where the last header ends. */
static void sweep(int dlt, const struct fb *f, const struct hend *ends, size_t nends,
                  const struct fcheck *checks, size_t nchecks)
{
    sweep_from(dlt, f, ends, nends, checks, nchecks, ends[nends - 1].end);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ frames */

static const char HELLO[] = "HelloWorld!!!";

/* Ethernet, IPv4, TCP SYN with Linux's options, 13 bytes of data. */
static void frame_eth_tcp4(struct fb *f)
{
    f->n = 0;
    fb_eth(f, 0x0800);
    size_t ip = fb_ip4(f, 6, NULL, 0);
    fb_tcp(f, 40000, 6666, 2732216995u, 0, SK_TH_SYN, 65495, SYN_OPTS, sizeof SYN_OPTS);
    putn(f, HELLO, 13);
    fb_ip4_done(f, ip);
}

START_TEST(test_eth_ipv4_tcp)
{
    struct fb f;
    struct sk_packet p;
    frame_eth_tcp4(&f);
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_ptr_eq(p.data, f.b);
    ck_assert_uint_eq(p.ethertype, 0x0800);
    ck_assert_uint_eq(p.l3, SK_L3_IPV4);
    ck_assert_uint_eq(p.l3_off, 14);
    char buf[SK_ADDRSTRLEN];
    ck_assert_str_eq(sk_addr_str(&p.src, buf), "127.0.0.1");
    ck_assert_str_eq(sk_addr_str(&p.dst, buf), "10.1.2.3");
    ck_assert_uint_eq(p.ip_proto, 6);
    ck_assert_uint_eq(p.ttl, 64);
    ck_assert_uint_eq(p.tos, 2);
    ck_assert_uint_eq(p.ip_hlen, 20);
    ck_assert_uint_eq(p.ip_len, 20 + 40 + 13);
    ck_assert_uint_eq(p.ip_id, 0x1234);
    ck_assert(p.df && !p.mf && !p.fragment);
    ck_assert_uint_eq(p.l4, SK_L4_TCP);
    ck_assert_uint_eq(p.l4_off, 34);
    ck_assert_uint_eq(p.sport, 40000);
    ck_assert_uint_eq(p.dport, 6666);
    ck_assert_uint_eq(p.tcp.seq, 2732216995u);
    ck_assert_uint_eq(p.tcp.flags, SK_TH_SYN);
    ck_assert_uint_eq(p.tcp.hlen, 40);
    ck_assert_uint_eq(p.tcp.win, 65495);
    ck_assert_uint_eq(p.tcp.sum, 0xcafe);
    ck_assert(p.tcp.opt.has_mss && p.tcp.opt.mss == 65495);
    ck_assert(p.tcp.opt.sack_perm);
    ck_assert(p.tcp.opt.has_ts && p.tcp.opt.ts_val == 1205737599u && p.tcp.opt.ts_ecr == 0);
    ck_assert(p.tcp.opt.has_wscale && p.tcp.opt.wscale == 10);
    ck_assert(!p.tcp.opt.bad);
    ck_assert_uint_eq(p.tcp.opt.nother, 0);
    ck_assert_uint_eq(p.payload_len, 13);
    ck_assert_uint_eq(p.payload_caplen, 13);
    ck_assert_mem_eq(p.payload, HELLO, 13);
}
END_TEST

START_TEST(test_sweep_eth_ipv4_tcp)
{
    struct fb f;
    frame_eth_tcp4(&f);
    static const struct hend ends[] = {{14, "Ethernet"}, {34, "IPv4"}, {74, "TCP"}};
    static const struct fcheck checks[] = {
        {14, F_ETHERTYPE}, {16, F_TOS}, {18, F_IPLEN}, {20, F_IPID}, {22, F_FRAG},
        {23, F_TTL},       {24, F_PROTO}, {30, F_SRC}, {34, F_DST},  {36, F_SPORT},
        {38, F_DPORT},     {42, F_SEQ}, {46, F_ACK},   {47, F_THLEN}, {48, F_FLAGS},
        {50, F_WIN},       {52, F_SUM}, {54, F_URP},   {58, F_MSS},  {60, F_SACKOK},
        {70, F_TS},        {74, F_WSCALE}};
    sweep(1, &f, ends, N(ends), checks, N(checks));
}
END_TEST

/* Ethernet, an 802.1ad S-tag and an 802.1Q C-tag, IPv4, UDP, 13 bytes. */
START_TEST(test_sweep_qinq_udp)
{
    struct fb f = {.n = 0};
    fb_eth(&f, 0x88a8);
    fb_vlan(&f, 0x2064, 0x8100); /* priority 1, VLAN 100 */
    fb_vlan(&f, 0x00c8, 0x0800); /* VLAN 200 */
    size_t ip = fb_ip4(&f, 17, NULL, 0);
    size_t u = fb_udp(&f, 5000, 7777);
    putn(&f, HELLO, 13);
    fb_udp_done(&f, u);
    fb_ip4_done(&f, ip);

    struct sk_packet p;
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.nvlan, 2);
    ck_assert_uint_eq(p.vlan[0], 100);
    ck_assert_uint_eq(p.vlan[1], 200);
    ck_assert_uint_eq(p.ethertype, 0x0800);
    ck_assert_uint_eq(p.l3_off, 22);
    ck_assert_uint_eq(p.l4, SK_L4_UDP);
    ck_assert_uint_eq(p.udp.len, 21);
    ck_assert_uint_eq(p.udp.sum, 0x1111);
    ck_assert_uint_eq(p.payload_len, 13);

    static const struct hend ends[] = {
        {14, "Ethernet"}, {18, "VLAN"}, {22, "VLAN"}, {42, "IPv4"}, {50, "UDP"}};
    static const struct fcheck checks[] = {{16, F_VLAN0}, {20, F_VLAN1}, {22, F_ETHERTYPE},
                                           {38, F_SRC},   {42, F_DST},   {44, F_SPORT},
                                           {46, F_DPORT}, {48, F_ULEN}};
    sweep(1, &f, ends, N(ends), checks, N(checks));
}
END_TEST

START_TEST(test_vlan_more_tags)
{
    /* Three tags (0x9100 too): all walked, two kept. */
    struct fb f = {.n = 0};
    fb_eth(&f, 0x9100);
    fb_vlan(&f, 1, 0x88a8);
    fb_vlan(&f, 2, 0x8100);
    fb_vlan(&f, 3, 0x0806);
    for (int i = 0; i < 28; i++)
        put8(&f, 0);
    struct sk_packet p;
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.nvlan, 2);
    ck_assert_uint_eq(p.vlan[0], 1);
    ck_assert_uint_eq(p.vlan[1], 2);
    ck_assert_uint_eq(p.ethertype, 0x0806);
    ck_assert_uint_eq(p.l3, SK_L3_ARP);
    ck_assert_uint_eq(p.l3_off, 26);
}
END_TEST

/* Linux cooked v1, IPv4, TCP with SACK blocks. */
START_TEST(test_sweep_sll_tcp_sack)
{
    static const uint8_t opts[] = {1, 1, 5, 18, 0, 0, 0x03, 0xe8, 0, 0, 0x07, 0xd0,
                                   0, 0, 0x0b, 0xb8, 0, 0, 0x0f, 0xa0};
    struct fb f = {.n = 0};
    put16(&f, 4); /* sent by us */
    put16(&f, 772);
    put16(&f, 6);
    putn(&f, MAC_A, 6);
    put16(&f, 0);
    put16(&f, 0x0800);
    size_t ip = fb_ip4(&f, 6, NULL, 0);
    fb_tcp(&f, 6666, 40000, 1, 2, SK_TH_ACK, 512, opts, sizeof opts);
    fb_ip4_done(&f, ip);

    struct sk_packet p;
    ck_assert_int_eq(sk_decode(113, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.sll_pkttype, 4);
    ck_assert_uint_eq(p.l3_off, 16);
    ck_assert_uint_eq(p.tcp.opt.nsack, 2);
    ck_assert_uint_eq(p.tcp.opt.sack[0][0], 1000);
    ck_assert_uint_eq(p.tcp.opt.sack[0][1], 2000);
    ck_assert_uint_eq(p.tcp.opt.sack[1][0], 3000);
    ck_assert_uint_eq(p.tcp.opt.sack[1][1], 4000);
    ck_assert_uint_eq(p.payload_len, 0);
    ck_assert_ptr_null(p.payload);

    static const struct hend ends[] = {{16, "cooked"}, {36, "IPv4"}, {76, "TCP"}};
    static const struct fcheck checks[] = {{2, F_SLLTYPE}, {16, F_ETHERTYPE}, {44, F_SEQ},
                                           {48, F_ACK},    {50, F_FLAGS},     {76, F_NSACK}};
    sweep(113, &f, ends, N(ends), checks, N(checks));
}
END_TEST

/* Linux cooked v2, IPv6, UDP. */
START_TEST(test_sweep_sll2_udp6)
{
    struct fb f = {.n = 0};
    put16(&f, 0x86dd);
    put16(&f, 0);
    put32(&f, 1);
    put16(&f, 772);
    put8(&f, 0); /* to us */
    put8(&f, 6);
    putn(&f, MAC_A, 6);
    put16(&f, 0);
    size_t ip = fb_ip6(&f, 17);
    size_t u = fb_udp(&f, 5000, 6000);
    putn(&f, HELLO, 13);
    fb_udp_done(&f, u);
    fb_ip6_done(&f, ip);

    struct sk_packet p;
    ck_assert_int_eq(sk_decode(276, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.l3, SK_L3_IPV6);
    ck_assert_uint_eq(p.l3_off, 20);
    ck_assert_uint_eq(p.tos, 0x28);
    ck_assert_uint_eq(p.flow, 0x12345);
    ck_assert_uint_eq(p.ttl, 63);
    ck_assert_uint_eq(p.ip_len, 40 + 21);
    ck_assert_uint_eq(p.ip_hlen, 40);
    ck_assert_uint_eq(p.nnexthdr, 0);
    ck_assert_uint_eq(p.payload_len, 13);

    static const struct hend ends[] = {{20, "cooked"}, {60, "IPv6"}, {68, "UDP"}};
    static const struct fcheck checks[] = {{0, F_SLLTYPE}, {20, F_ETHERTYPE}, {24, F_FLOW},
                                           {26, F_IPLEN},  {28, F_TTL},       {44, F_SRC},
                                           {60, F_DST},    {64, F_DPORT},     {66, F_ULEN}};
    /* The packet type is byte 10: filled from cut 11 on. */
    struct fcheck c2[N(checks)];
    memcpy(c2, checks, sizeof checks);
    c2[0].end = 11;
    sweep(276, &f, ends, N(ends), c2, N(c2));
}
END_TEST

/* DLT_NULL and DLT_LOOP: the family in either byte order, every IPv6 number. */
START_TEST(test_null_loop_families)
{
    static const struct {
        int dlt;
        uint8_t fam[4];
        enum sk_l3 l3;
    } cases[] = {
        {0, {2, 0, 0, 0}, SK_L3_IPV4},  {0, {0, 0, 0, 2}, SK_L3_IPV4},
        {0, {24, 0, 0, 0}, SK_L3_IPV6}, {0, {28, 0, 0, 0}, SK_L3_IPV6},
        {0, {30, 0, 0, 0}, SK_L3_IPV6}, {0, {0, 0, 0, 30}, SK_L3_IPV6},
        {0, {10, 0, 0, 0}, SK_L3_IPV6}, {108, {0, 0, 0, 2}, SK_L3_IPV4},
        {108, {2, 0, 0, 0}, SK_L3_IPV4}, {108, {0, 0, 0, 24}, SK_L3_IPV6},
        {0, {7, 0, 0, 0}, SK_L3_OTHER},
    };
    for (size_t i = 0; i < N(cases); i++) {
        struct fb f = {.n = 0};
        putn(&f, cases[i].fam, 4);
        size_t ip;
        if (cases[i].l3 == SK_L3_IPV6) {
            ip = fb_ip6(&f, 6);
            fb_tcp(&f, 1, 2, 3, 4, SK_TH_ACK, 5, NULL, 0);
            fb_ip6_done(&f, ip);
        } else {
            ip = fb_ip4(&f, 6, NULL, 0);
            fb_tcp(&f, 1, 2, 3, 4, SK_TH_ACK, 5, NULL, 0);
            fb_ip4_done(&f, ip);
        }
        struct sk_packet p;
        ck_assert_int_eq(sk_decode(cases[i].dlt, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
        ck_assert_msg(p.l3 == cases[i].l3, "case %zu: l3 %d", i, p.l3);
        ck_assert_uint_eq(p.l3_off, 4);
        if (cases[i].l3 != SK_L3_OTHER)
            ck_assert_uint_eq(p.dport, 2);
    }
}
END_TEST

START_TEST(test_sweep_null_udp4)
{
    struct fb f = {.n = 0};
    putn(&f, (const uint8_t[]){2, 0, 0, 0}, 4);
    size_t ip = fb_ip4(&f, 17, NULL, 0);
    size_t u = fb_udp(&f, 5000, 6000);
    putn(&f, HELLO, 5);
    fb_udp_done(&f, u);
    fb_ip4_done(&f, ip);
    static const struct hend ends[] = {{4, "loopback"}, {24, "IPv4"}, {32, "UDP"}};
    static const struct fcheck checks[] = {{4, F_L3OFF}, {24, F_DST}, {28, F_DPORT}};
    sweep(0, &f, ends, N(ends), checks, N(checks));
    /* The same as DLT_LOOP, written in network order. */
    f.b[0] = 0;
    f.b[3] = 2;
    sweep(108, &f, ends, N(ends), checks, N(checks));
}
END_TEST

/* Raw IP: DLT_RAW is 12 on Linux, 14 on OpenBSD, 101 in files; DLT_IPV4/IPV6
 * follow the version nibble as tcpdump does. */
START_TEST(test_raw_ip)
{
    struct fb f4 = {.n = 0}, f6 = {.n = 0};
    size_t ip = fb_ip4(&f4, 6, NULL, 0);
    fb_tcp(&f4, 1, 2, 3, 4, SK_TH_ACK, 5, NULL, 0);
    fb_ip4_done(&f4, ip);
    ip = fb_ip6(&f6, 17);
    size_t u = fb_udp(&f6, 7, 8);
    fb_udp_done(&f6, u);
    fb_ip6_done(&f6, ip);
    static const int dlts[] = {12, 14, 101, 228, 229};
    for (size_t i = 0; i < N(dlts); i++) {
        struct sk_packet p;
        ck_assert(sk_decode_dlt_supported(dlts[i]));
        ck_assert_int_eq(sk_decode(dlts[i], f4.b, (uint32_t)f4.n, (uint32_t)f4.n, &p), SK_OK);
        ck_assert_uint_eq(p.l3, SK_L3_IPV4);
        ck_assert_uint_eq(p.l4, SK_L4_TCP);
        ck_assert_uint_eq(p.l3_off, 0);
        ck_assert_int_eq(sk_decode(dlts[i], f6.b, (uint32_t)f6.n, (uint32_t)f6.n, &p), SK_OK);
        ck_assert_uint_eq(p.l3, SK_L3_IPV6);
        ck_assert_uint_eq(p.l4, SK_L4_UDP);
    }
    static const struct hend ends[] = {{20, "IP"}, {40, "TCP"}};
    static const struct fcheck checks[] = {{20, F_DST}, {34, F_FLAGS}};
    sweep(12, &f4, ends, N(ends), checks, N(checks));
}
END_TEST

START_TEST(test_dlt_supported)
{
    static const int yes[] = {0, 1, 12, 14, 101, 108, 113, 228, 229, 276};
    static const int no[] = {-1, 9, 105, 127, 239, 1000};
    for (size_t i = 0; i < N(yes); i++)
        ck_assert(sk_decode_dlt_supported(yes[i]));
    for (size_t i = 0; i < N(no); i++)
        ck_assert(!sk_decode_dlt_supported(no[i]));
    struct sk_packet p;
    uint8_t b[40] = {0};
    ck_assert_int_eq(sk_decode(105, b, sizeof b, sizeof b, &p), SK_INVALID);
    ck_assert_ptr_nonnull(p.why);
    ck_assert_uint_eq(p.l3, SK_L3_NONE);
}
END_TEST

START_TEST(test_non_ip)
{
    struct fb f = {.n = 0};
    fb_eth(&f, 0x88cc); /* LLDP */
    for (int i = 0; i < 46; i++)
        put8(&f, i);
    struct sk_packet p;
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.l3, SK_L3_OTHER);
    ck_assert_uint_eq(p.ethertype, 0x88cc);
    ck_assert_uint_eq(p.l4, SK_L4_NONE);
    ck_assert_uint_eq(p.payload_len, 46);
    ck_assert_ptr_eq(p.payload, f.b + 14);
    /* 802.3: a length, not a type. */
    set16(&f, 12, 46);
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.l3, SK_L3_OTHER);
    ck_assert_uint_eq(p.ethertype, 0);
    /* ARP: a request, whole, then cut inside the target address. */
    f.n = 0;
    fb_eth(&f, 0x0806);
    put16(&f, 1);
    put16(&f, 0x0800);
    put8(&f, 6);
    put8(&f, 4);
    put16(&f, 1);
    putn(&f, MAC_A, 6);
    putn(&f, IP4_A, 4);
    putn(&f, (const uint8_t[6]){0}, 6);
    putn(&f, IP4_B, 4);
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.l3, SK_L3_ARP);
    ck_assert_int_eq(sk_decode(1, f.b, 40, (uint32_t)f.n, &p), SK_TRUNCATED);
    ck_assert_ptr_nonnull(strstr(p.why, "ARP"));
}
END_TEST

/* ------------------------------------------------------------ IP */

START_TEST(test_sweep_ipv4_options)
{
    static const uint8_t opts[] = {1, 7, 7, 4, 10, 0, 0, 1}; /* NOP, record route */
    struct fb f = {.n = 0};
    fb_eth(&f, 0x0800);
    size_t ip = fb_ip4(&f, 6, opts, sizeof opts);
    fb_tcp(&f, 1, 2, 3, 4, SK_TH_ACK | SK_TH_PSH, 5, NULL, 0);
    putn(&f, HELLO, 13);
    fb_ip4_done(&f, ip);
    struct sk_packet p;
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.ip_hlen, 28);
    ck_assert_uint_eq(p.ip_optlen, 8);
    ck_assert_uint_eq(p.l4_off, 42);
    ck_assert_uint_eq(p.payload_len, 13);
    static const struct hend ends[] = {{14, "Ethernet"}, {42, "IPv4"}, {62, "TCP"}};
    static const struct fcheck checks[] = {{34, F_DST}, {44, F_SPORT}, {56, F_FLAGS}};
    sweep(1, &f, ends, N(ends), checks, N(checks));
}
END_TEST

/* IPv6 through every extension header: hop-by-hop, destination options,
 * routing, fragment (first fragment), AH, then TCP. */
static void frame_ip6_chain(struct fb *f)
{
    static const uint8_t padn[6] = {1, 4, 0, 0, 0, 0};
    uint8_t rt[22] = {0, 1, 0, 0, 0, 0}; /* type 0, 1 segment left, reserved, one address */
    memcpy(rt + 6, IP6_B, 16);
    f->n = 0;
    fb_eth(f, 0x86dd);
    size_t ip = fb_ip6(f, 0);
    fb_ext(f, 60, padn, sizeof padn);
    fb_ext(f, 43, padn, sizeof padn);
    fb_ext(f, 44, rt, sizeof rt);
    put8(f, 51); /* fragment: next AH, offset 0, more fragments, id 0xabcdef01 */
    put8(f, 0);
    put16(f, 0x0001);
    put32(f, 0xabcdef01u);
    put8(f, 6); /* AH: next TCP, 24 bytes */
    put8(f, 4);
    put16(f, 0);
    put32(f, 0x100);
    put32(f, 7);
    for (int i = 0; i < 12; i++)
        put8(f, 0xaa);
    fb_tcp(f, 40000, 6666, 1, 0, SK_TH_SYN, 1000, NULL, 0);
    putn(f, HELLO, 13);
    fb_ip6_done(f, ip);
}

START_TEST(test_ipv6_extension_chain)
{
    struct fb f;
    frame_ip6_chain(&f);
    struct sk_packet p;
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.nnexthdr, 5);
    static const uint8_t chain[] = {0, 60, 43, 44, 51};
    ck_assert_mem_eq(p.nexthdr, chain, 5);
    ck_assert_uint_eq(p.ip_proto, 6);
    ck_assert_uint_eq(p.ip_hlen, 40 + 8 + 8 + 24 + 8 + 24);
    ck_assert(p.fragment && p.mf && p.frag_off == 0);
    ck_assert_uint_eq(p.ip_id, 0xef01);
    ck_assert_uint_eq(p.l4, SK_L4_TCP);
    ck_assert_uint_eq(p.l4_off, 14 + 112);
    ck_assert_uint_eq(p.payload_len, 13);

    static const struct hend ends[] = {{14, "Ethernet"}, {54, "IPv6"}, {62, "IPv6"},
                                       {70, "IPv6"},     {94, "IPv6"}, {102, "IPv6"},
                                       {126, "IPv6"},    {146, "TCP"}};
    static const struct fcheck checks[] = {{54, F_DST}, {98, F_FRAG}, {130, F_DPORT}};
    sweep(1, &f, ends, N(ends), checks, N(checks));
    /* nexthdr[] grows header by header, as each one's first two bytes come in. */
    static const uint32_t starts[] = {54, 62, 70, 94, 102};
    for (uint32_t cut = 0; cut <= f.n; cut++) {
        uint8_t *copy = fb_cut(&f, cut);
        sk_decode(1, copy, cut, (uint32_t)f.n, &p);
        unsigned want = 0;
        for (size_t i = 0; i < N(starts); i++)
            want += cut >= starts[i] + 2;
        ck_assert_msg(p.nnexthdr == want, "cut %u: %u extension headers, want %u", cut,
                      p.nnexthdr, want);
        ck_assert_mem_eq(p.nexthdr, chain, want);
        free(copy);
    }
}
END_TEST

START_TEST(test_fragments)
{
    struct fb f = {.n = 0};
    struct sk_packet p;
    /* IPv4, a later fragment: flagged, no transport header. */
    fb_eth(&f, 0x0800);
    size_t ip = fb_ip4(&f, 17, NULL, 0);
    set16(&f, ip + 6, 0x2000 | 185); /* MF, offset 1480 */
    putn(&f, HELLO, 13);
    fb_ip4_done(&f, ip);
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert(p.fragment && p.mf && !p.df);
    ck_assert_uint_eq(p.frag_off, 1480);
    ck_assert_uint_eq(p.l4, SK_L4_NONE);
    ck_assert_uint_eq(p.ip_proto, 17);
    ck_assert_uint_eq(p.sport, 0);
    ck_assert_uint_eq(p.payload_len, 13);
    ck_assert_ptr_eq(p.payload, f.b + 34);
    /* The first fragment: UDP whose length counts the whole datagram. */
    f.n = 0;
    fb_eth(&f, 0x0800);
    ip = fb_ip4(&f, 17, NULL, 0);
    set16(&f, ip + 6, 0x2000);
    size_t u = fb_udp(&f, 5000, 6000);
    putn(&f, HELLO, 13);
    set16(&f, u + 4, 3000);
    fb_ip4_done(&f, ip);
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert(p.fragment && p.mf);
    ck_assert_uint_eq(p.l4, SK_L4_UDP);
    ck_assert_uint_eq(p.udp.len, 3000);
    ck_assert_uint_eq(p.payload_len, 13);
    /* IPv6, a later fragment. */
    f.n = 0;
    fb_eth(&f, 0x86dd);
    ip = fb_ip6(&f, 44);
    put8(&f, 17);
    put8(&f, 0);
    put16(&f, 1480);
    put32(&f, 99);
    putn(&f, HELLO, 13);
    fb_ip6_done(&f, ip);
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert(p.fragment && !p.mf);
    ck_assert_uint_eq(p.frag_off, 1480);
    ck_assert_uint_eq(p.ip_proto, 17);
    ck_assert_uint_eq(p.l4, SK_L4_NONE);
    ck_assert_uint_eq(p.ip_id, 99);
    ck_assert_uint_eq(p.payload_len, 13);
}
END_TEST

START_TEST(test_ip_lengths)
{
    struct fb f;
    struct sk_packet p;
    /* Ethernet padding is not payload: 6 bytes of data in a 60-byte frame. */
    f.n = 0;
    fb_eth(&f, 0x0800);
    size_t ip = fb_ip4(&f, 6, NULL, 0);
    fb_tcp(&f, 1, 2, 3, 4, SK_TH_ACK | SK_TH_PSH, 5, NULL, 0);
    putn(&f, "abcdef", 6);
    fb_ip4_done(&f, ip);
    while (f.n < 60)
        put8(&f, 0);
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.payload_len, 6);
    ck_assert_uint_eq(p.payload_caplen, 6);
    /* A snapshot length cut the payload: the length is still what the headers say. */
    frame_eth_tcp4(&f);
    uint8_t *copy = fb_cut(&f, 80);
    ck_assert_int_eq(sk_decode(1, copy, 80, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.payload_len, 13);
    ck_assert_uint_eq(p.payload_caplen, 6);
    ck_assert_ptr_eq(p.payload, copy + 74);
    free(copy);
    /* A total length of 0: segmentation offload, the frame says how long. */
    frame_eth_tcp4(&f);
    set16(&f, 14 + 2, 0);
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.ip_len, 0);
    ck_assert_uint_eq(p.payload_len, 13);
    /* IPv6 jumbogram (RFC 2675): payload length 0, the length in hop-by-hop. */
    f.n = 0;
    fb_eth(&f, 0x86dd);
    ip = fb_ip6(&f, 0);
    put8(&f, 17);
    put8(&f, 0);
    put8(&f, 0xc2);
    put8(&f, 4);
    put32(&f, 8 + 8 + 13);
    size_t u = fb_udp(&f, 1, 2);
    putn(&f, HELLO, 13);
    fb_udp_done(&f, u);
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.ip_len, 40 + 29);
    ck_assert_uint_eq(p.payload_len, 13);
}
END_TEST

/* ------------------------------------------------------------ transport */

START_TEST(test_tcp_options)
{
    struct fb f;
    struct sk_packet p;
    /* Unknown kinds are counted; EOL ends the list; an impossible length stops it. */
    static const uint8_t o1[] = {30, 4, 0, 0, 2, 4, 5, 0xb4, 99, 2, 0, 0};
    static const uint8_t o2[] = {2, 4, 5, 0xb4, 0, 3, 3, 7};
    static const uint8_t o3[] = {4, 2, 3, 3, 7, 8, 1, 1, 1, 1, 1, 0};
    struct {
        const uint8_t *o;
        size_t n;
        enum sk_status st;
        bool mss, ws, sack_perm, bad;
        uint8_t nother;
    } cases[] = {
        {o1, sizeof o1, SK_OK, true, false, false, false, 2},
        {o2, sizeof o2, SK_OK, true, false, false, false, 0}, /* wscale after EOL is unread */
        {o3, sizeof o3, SK_INVALID, false, true, true, true, 0}, /* TS of length 1 */
    };
    for (size_t i = 0; i < N(cases); i++) {
        f.n = 0;
        fb_eth(&f, 0x0800);
        size_t ip = fb_ip4(&f, 6, NULL, 0);
        fb_tcp(&f, 1, 2, 3, 4, SK_TH_SYN, 5, cases[i].o, cases[i].n);
        fb_ip4_done(&f, ip);
        ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), cases[i].st);
        ck_assert_msg(p.tcp.opt.has_mss == cases[i].mss, "case %zu mss", i);
        ck_assert_msg(p.tcp.opt.has_wscale == cases[i].ws, "case %zu wscale", i);
        ck_assert_msg(p.tcp.opt.sack_perm == cases[i].sack_perm, "case %zu sackOK", i);
        ck_assert_msg(p.tcp.opt.bad == cases[i].bad, "case %zu bad", i);
        ck_assert_msg(p.tcp.opt.nother == cases[i].nother, "case %zu nother %u", i,
                      p.tcp.opt.nother);
        ck_assert_uint_eq(p.l4, SK_L4_TCP);
    }
    /* Four SACK blocks fill the 40 bytes of options with NOP NOP before. */
    uint8_t o4[36] = {1, 1, 5, 34};
    for (int i = 0; i < 32; i++)
        o4[4 + i] = (uint8_t)i;
    f.n = 0;
    fb_eth(&f, 0x0800);
    size_t ip = fb_ip4(&f, 6, NULL, 0);
    fb_tcp(&f, 1, 2, 3, 4, SK_TH_ACK, 5, o4, sizeof o4);
    fb_ip4_done(&f, ip);
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.tcp.opt.nsack, 4);
    ck_assert_uint_eq(p.tcp.opt.sack[3][1], 0x1c1d1e1fu);
    /* The AE bit (RFC 9768) beside the data offset. */
    f.b[14 + 20 + 12] |= 1;
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert(p.tcp.ae);
    ck_assert_uint_eq(p.tcp.hlen, 56);
}
END_TEST

START_TEST(test_tcp_flags_text)
{
    static const struct {
        uint8_t f;
        const char *letters, *names;
    } cases[] = {
        {0x02, "S", "SYN"},
        {0x12, "S.", "SYN,ACK"},
        {0x10, ".", "ACK"},
        {0x18, "P.", "PSH,ACK"},
        {0x11, "F.", "FIN,ACK"},
        {0x14, "R.", "RST,ACK"},
        {0x04, "R", "RST"},
        {0x19, "FP.", "FIN,PSH,ACK"},
        {0xc2, "SEW", "SYN,ECE,CWR"},
        {0x29, "FPU", "FIN,PSH,URG"},
        {0x00, "none", "none"},
        {0xff, "FSRP.UEW", "FIN,SYN,RST,PSH,ACK,URG,ECE,CWR"},
    };
    char l[12], n[40];
    for (size_t i = 0; i < N(cases); i++) {
        ck_assert_str_eq(sk_tcp_flags_str(cases[i].f, l), cases[i].letters);
        ck_assert_str_eq(sk_tcp_flags_names(cases[i].f, n), cases[i].names);
    }
    /* One letter per bit set, in tcpdump's order. */
    for (unsigned v = 1; v < 256; v++) {
        sk_tcp_flags_str((uint8_t)v, l);
        ck_assert_uint_eq(strlen(l), (size_t)__builtin_popcount(v));
        const char *order = "FSRP.UEW";
        const char *at = order;
        for (const char *c = l; *c; c++) {
            const char *pos = strchr(at, *c);
            ck_assert_ptr_nonnull(pos);
            ck_assert(v & (1u << (pos - order)));
            at = pos + 1;
        }
    }
}
END_TEST

/* ICMP port unreachable quoting IPv4 + UDP. */
static void frame_icmp_unreach(struct fb *f)
{
    f->n = 0;
    fb_eth(f, 0x0800);
    size_t ip = fb_ip4(f, 1, NULL, 0);
    fb_icmp(f, 3, 3, 0);
    size_t qip = fb_ip4(f, 17, NULL, 0);
    memcpy(f->b + qip + 12, IP4_B, 4); /* the datagram went from B to A */
    memcpy(f->b + qip + 16, IP4_A, 4);
    size_t u = fb_udp(f, 40000, 7777);
    putn(f, HELLO, 13);
    fb_udp_done(f, u);
    fb_ip4_done(f, qip);
    fb_ip4_done(f, ip);
}

START_TEST(test_sweep_icmp_unreach)
{
    struct fb f;
    struct sk_packet p;
    frame_icmp_unreach(&f);
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.l4, SK_L4_ICMP);
    ck_assert_uint_eq(p.icmp.type, 3);
    ck_assert_uint_eq(p.icmp.code, 3);
    ck_assert_uint_eq(p.icmp.sum, 0x2222);
    ck_assert(p.icmp.q.valid && p.icmp.q.has_ports);
    ck_assert_uint_eq(p.icmp.q.proto, 17);
    ck_assert_uint_eq(p.icmp.q.sport, 40000);
    ck_assert_uint_eq(p.icmp.q.dport, 7777);
    char buf[SK_ADDRSTRLEN];
    ck_assert_str_eq(sk_addr_str(&p.icmp.q.src, buf), "10.1.2.3");
    ck_assert_str_eq(sk_addr_str(&p.icmp.q.dst, buf), "127.0.0.1");
    ck_assert_uint_eq(p.payload_len, 20 + 8 + 13);
    static const struct hend ends[] = {
        {14, "Ethernet"}, {34, "IPv4"}, {42, "ICMP header"}, {70, "quoted by ICMP"}};
    static const struct fcheck checks[] = {{35, F_ITYPE}, {36, F_ICODE}, {62, F_QIP},
                                           {66, F_QPORTS}};
    sweep_from(1, &f, ends, N(ends), checks, N(checks), 42); /* the quote is payload too */
}
END_TEST

START_TEST(test_icmp_fields)
{
    struct fb f;
    struct sk_packet p;
    /* Echo request: identifier and sequence. */
    f.n = 0;
    fb_eth(&f, 0x0800);
    size_t ip = fb_ip4(&f, 1, NULL, 0);
    fb_icmp(&f, 8, 0, 0x04d20007);
    putn(&f, HELLO, 13);
    fb_ip4_done(&f, ip);
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.icmp.id, 1234);
    ck_assert_uint_eq(p.icmp.seq, 7);
    ck_assert(!p.icmp.q.valid);
    ck_assert_uint_eq(p.payload_len, 13);
    /* Fragmentation needed: the next-hop MTU (RFC 1191). */
    frame_icmp_unreach(&f);
    f.b[35] = 4;
    set16(&f, 40, 1400);
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.icmp.mtu, 1400);
    /* An error that quotes less than an IP header is short, not cut. */
    f.n = 0;
    fb_eth(&f, 0x0800);
    ip = fb_ip4(&f, 1, NULL, 0);
    fb_icmp(&f, 11, 0, 0);
    putn(&f, (const uint8_t[]){0x45, 0, 0, 20}, 4);
    fb_ip4_done(&f, ip);
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert(!p.icmp.q.valid);
}
END_TEST

/* ICMPv6 port unreachable quoting IPv6 + UDP. */
static void frame_icmp6_unreach(struct fb *f)
{
    f->n = 0;
    fb_eth(f, 0x86dd);
    size_t ip = fb_ip6(f, 58);
    fb_icmp(f, 1, 4, 0);
    size_t qip = fb_ip6(f, 17);
    size_t u = fb_udp(f, 40000, 7777);
    putn(f, HELLO, 13);
    fb_udp_done(f, u);
    fb_ip6_done(f, qip);
    fb_ip6_done(f, ip);
}

START_TEST(test_sweep_icmp6_unreach)
{
    struct fb f;
    struct sk_packet p;
    frame_icmp6_unreach(&f);
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.l4, SK_L4_ICMP6);
    ck_assert(p.icmp.q.valid && p.icmp.q.has_ports);
    ck_assert_uint_eq(p.icmp.q.dport, 7777);
    ck_assert_uint_eq(p.icmp.q.src.family, 6);
    static const struct hend ends[] = {
        {14, "Ethernet"}, {54, "IPv6"}, {62, "ICMPv6 header"}, {110, "quoted by ICMPv6"}};
    static const struct fcheck checks[] = {{55, F_ITYPE}, {56, F_ICODE}, {102, F_QIP},
                                           {106, F_QPORTS}};
    sweep_from(1, &f, ends, N(ends), checks, N(checks), 62);
    /* Echo and packet too big. */
    f.n = 0;
    fb_eth(&f, 0x86dd);
    size_t ip = fb_ip6(&f, 58);
    fb_icmp(&f, 128, 0, 0x00010002);
    fb_ip6_done(&f, ip);
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert(p.icmp.id == 1 && p.icmp.seq == 2);
    frame_icmp6_unreach(&f);
    f.b[54] = 2;
    f.b[55] = 0;
    set16(&f, 58, 0);
    set16(&f, 60, 1280);
    ck_assert_int_eq(sk_decode(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &p), SK_OK);
    ck_assert_uint_eq(p.icmp.mtu, 1280);
    ck_assert(p.icmp.q.has_ports);
}
END_TEST

/* ------------------------------------------------------------ invalid */

/* Frames whose bytes are all there but contradict the protocol. */
START_TEST(test_invalid)
{
    struct fb f;
    struct sk_packet p;
    struct {
        const char *what;
        int dlt;
        int edit;
        const char *why;
        enum sk_l4 l4;
    } cases[] = {
        {"IPv4 IHL 4", 1, 0, "header length below 20", SK_L4_NONE},
        {"IPv4 total length < header", 1, 1, "total length below the header", SK_L4_NONE},
        {"IPv4 version 6", 1, 2, "version other than 4", SK_L4_NONE},
        {"IPv6 version 4", 1, 3, "version other than 6", SK_L4_NONE},
        {"TCP data offset 3", 1, 4, "data offset below 5", SK_L4_TCP},
        {"UDP length 4", 1, 5, "UDP length below 8", SK_L4_UDP},
        {"TCP option length 0", 1, 6, "TCP option", SK_L4_TCP},
        {"TCP option length 1", 1, 7, "TCP option", SK_L4_TCP},
        {"TCP option past the header", 1, 8, "TCP option", SK_L4_TCP},
        {"MSS of length 3", 1, 9, "TCP option", SK_L4_TCP},
        {"IPv4 total length past the frame", 1, 10, "beyond the end of the frame", SK_L4_TCP},
        {"UDP length past the IP payload", 1, 11, "UDP length beyond", SK_L4_UDP},
        {"TCP header past the IP payload", 1, 12, "TCP header beyond", SK_L4_TCP},
        {"IPv6 extension past the payload", 1, 13, "extension header beyond", SK_L4_NONE},
        {"IPv4 option of length 1", 1, 14, "IPv4 option", SK_L4_TCP},
        {"raw IP version 5", 12, 15, "neither 4 nor 6", SK_L4_NONE},
        {"ICMP shorter than 8", 1, 16, "shorter than its 8-byte header", SK_L4_ICMP},
        {"IPv6 payload length past the frame", 1, 17, "beyond the end of the frame", SK_L4_TCP},
        {"UDP header past the IP payload", 1, 18, "UDP header beyond", SK_L4_UDP},
    };
    for (size_t i = 0; i < N(cases); i++) {
        size_t ip, u;
        f.n = 0;
        switch (cases[i].edit) {
        case 3:
        case 13:
        case 17:
            fb_eth(&f, 0x86dd);
            ip = fb_ip6(&f, 6);
            fb_tcp(&f, 1, 2, 3, 4, SK_TH_ACK, 5, NULL, 0);
            fb_ip6_done(&f, ip);
            if (cases[i].edit == 3) {
                f.b[14] = 0x45;
            } else if (cases[i].edit == 13) {
                f.b[14 + 6] = 60; /* destination options of 16 bytes, only 20 there */
                f.b[54] = 6;
                f.b[55] = 1;
                set16(&f, 14 + 4, 12);
                f.n = 54 + 12;
            } else {
                set16(&f, 14 + 4, 200);
            }
            break;
        case 5:
        case 11:
        case 18:
            fb_eth(&f, 0x0800);
            ip = fb_ip4(&f, 17, NULL, 0);
            u = fb_udp(&f, 1, 2);
            putn(&f, HELLO, 13);
            fb_udp_done(&f, u);
            fb_ip4_done(&f, ip);
            if (cases[i].edit == 5)
                set16(&f, u + 4, 4);
            else if (cases[i].edit == 11)
                set16(&f, u + 4, 100);
            else
                set16(&f, ip + 2, 26);
            break;
        case 15:
            fb_ip4(&f, 6, NULL, 0);
            f.b[0] = 0x55;
            break;
        case 16:
            fb_eth(&f, 0x0800);
            ip = fb_ip4(&f, 1, NULL, 0);
            fb_icmp(&f, 8, 0, 0);
            set16(&f, ip + 2, 24);
            break;
        default: {
            static const uint8_t opt0[] = {1, 2, 0, 0}, opt1[] = {1, 1, 2, 1},
                                 optpast[] = {1, 1, 8, 10}, mss3[] = {2, 3, 1, 1};
            static const uint8_t ipopt1[] = {7, 1, 0, 0};
            const uint8_t *o = NULL, *io = NULL;
            o = cases[i].edit == 6 ? opt0 : cases[i].edit == 7 ? opt1
                : cases[i].edit == 8 ? optpast : cases[i].edit == 9 ? mss3 : NULL;
            io = cases[i].edit == 14 ? ipopt1 : NULL;
            fb_eth(&f, 0x0800);
            ip = fb_ip4(&f, 6, io, io ? 4 : 0);
            fb_tcp(&f, 1, 2, 3, 4, SK_TH_ACK, 5, o, o ? 4 : 0);
            putn(&f, HELLO, 13);
            fb_ip4_done(&f, ip);
            if (cases[i].edit == 0)
                f.b[14] = 0x44;
            else if (cases[i].edit == 1)
                set16(&f, 16, 12);
            else if (cases[i].edit == 2)
                f.b[14] = 0x65;
            else if (cases[i].edit == 4)
                f.b[34 + 12] = 0x30;
            else if (cases[i].edit == 10)
                set16(&f, 16, 500);
            else if (cases[i].edit == 12)
                set16(&f, 16, 20 + 12);
            break;
        }
        }
        uint8_t *copy = fb_cut(&f, f.n);
        enum sk_status st = sk_decode(cases[i].dlt, copy, (uint32_t)f.n, (uint32_t)f.n, &p);
        ck_assert_msg(st == SK_INVALID, "%s: status %d (%s)", cases[i].what, st,
                      p.why ? p.why : "");
        ck_assert_msg(p.why && strstr(p.why, cases[i].why), "%s: why \"%s\"", cases[i].what,
                      p.why ? p.why : "");
        ck_assert_msg(p.l4 == cases[i].l4, "%s: l4 %d", cases[i].what, p.l4);
        if (cases[i].edit >= 6 && cases[i].edit <= 9)
            ck_assert_msg(p.tcp.opt.bad, "%s: opt.bad not set", cases[i].what);
        free(copy);
    }
}
END_TEST

/* ------------------------------------------------------------ corpus */

/* Text for people: no control characters (valid UTF-8 is allowed). */
static bool printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return false;
    return true;
}

struct corpus_pkt {
    uint32_t caplen;
    unsigned lines;
};

/* Check's ck_assert reports every success to the parent process; in these
 * loops over ten thousand packets only failures are reported. */
static void corpus_field(const struct sk_field *f, void *user)
{
    struct corpus_pkt *c = user;
    if (f->depth < 0 || f->depth > 2 || !f->label || !f->label[0] || !printable(f->label) ||
        !f->value || !printable(f->value))
        ck_abort_msg("bad dissection line: depth %d, label \"%s\"", f->depth,
                     f->label ? f->label : "(null)");
    if (f->off > c->caplen || f->len > c->caplen - f->off)
        ck_abort_msg("field \"%s\" at %u+%u past caplen %u", f->label, f->off, f->len,
                     c->caplen);
    c->lines++;
}

/* Every packet of tcpdump's test captures (many of them malformed on purpose),
 * each copied into a block of exactly its captured length, through the
 * decoder, the dissection and the summary: none may read past it, the decoder
 * must say why whenever it is not happy, and the text must be printable. */
START_TEST(test_corpus_decode)
{
    const char *dir = "../shared/corpus/tcpdump-tests";
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "check_decode: %s not found, corpus test skipped\n", dir);
        return;
    }
    unsigned long files = 0, packets = 0, bad = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char path[1024], err[PCAP_ERRBUF_SIZE];
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        pcap_t *pc = pcap_open_offline(path, err);
        if (!pc)
            continue;
        files++;
        int dlt = pcap_datalink(pc);
        struct pcap_pkthdr *h;
        const u_char *bytes;
        while (pcap_next_ex(pc, &h, &bytes) == 1) {
            uint8_t *copy = malloc(h->caplen);
            memcpy(copy, bytes, h->caplen);
            struct sk_packet p;
            enum sk_status st = sk_decode(dlt, copy, h->caplen, h->len, &p);
            if (st != p.status || (st != SK_OK && st != SK_TRUNCATED && st != SK_INVALID))
                ck_abort_msg("%s: status %d", path, st);
            if ((st == SK_OK) != (p.why == NULL))
                ck_abort_msg("%s: why and status disagree", path);
            if (p.payload_caplen > p.payload_len ||
                (p.payload_caplen &&
                 (p.payload < copy || p.payload + p.payload_caplen > copy + h->caplen)))
                ck_abort_msg("%s: payload outside the capture", path);
            if (p.nvlan > SK_MAX_VLAN || p.nnexthdr > SK_MAX_EXTHDR)
                ck_abort_msg("%s: counts past their arrays", path);
            bad += st != SK_OK;
            struct corpus_pkt cp = {h->caplen, 0};
            if (sk_dissect(dlt, copy, h->caplen, h->len, corpus_field, &cp) != st || cp.lines < 2)
                ck_abort_msg("%s: dissection disagrees with the decoder", path);
            char line[512];
            size_t n = sk_packet_summary(&p, line, sizeof line);
            if (n != strlen(line) || n == 0 || !printable(line))
                ck_abort_msg("%s: summary \"%s\"", path, line);
            packets++;
            free(copy);
        }
        pcap_close(pc);
    }
    closedir(d);
    ck_assert_uint_gt(files, 0);
    fprintf(stderr, "check_decode: corpus: %lu files, %lu packets (%lu truncated or invalid) decoded, dissected, summarised\n",
            files, packets, bad);
}
END_TEST

Suite *decode_suite(void);
Suite *decode_suite(void)
{
    Suite *s = suite_create("decode");
    TCase *tc = tcase_create("Link");
    tcase_add_test(tc, test_eth_ipv4_tcp);
    tcase_add_test(tc, test_vlan_more_tags);
    tcase_add_test(tc, test_null_loop_families);
    tcase_add_test(tc, test_raw_ip);
    tcase_add_test(tc, test_dlt_supported);
    tcase_add_test(tc, test_non_ip);
    suite_add_tcase(s, tc);

    tc = tcase_create("IP");
    tcase_add_test(tc, test_ipv6_extension_chain);
    tcase_add_test(tc, test_fragments);
    tcase_add_test(tc, test_ip_lengths);
    suite_add_tcase(s, tc);

    tc = tcase_create("Transport");
    tcase_add_test(tc, test_tcp_options);
    tcase_add_test(tc, test_tcp_flags_text);
    tcase_add_test(tc, test_icmp_fields);
    suite_add_tcase(s, tc);

    tc = tcase_create("Truncated");
    tcase_add_test(tc, test_sweep_eth_ipv4_tcp);
    tcase_add_test(tc, test_sweep_qinq_udp);
    tcase_add_test(tc, test_sweep_sll_tcp_sack);
    tcase_add_test(tc, test_sweep_sll2_udp6);
    tcase_add_test(tc, test_sweep_null_udp4);
    tcase_add_test(tc, test_sweep_ipv4_options);
    tcase_add_test(tc, test_sweep_icmp_unreach);
    tcase_add_test(tc, test_sweep_icmp6_unreach);
    suite_add_tcase(s, tc);

    tc = tcase_create("Invalid");
    tcase_add_test(tc, test_invalid);
    suite_add_tcase(s, tc);

    tc = tcase_create("Corpus");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_corpus_decode);
    suite_add_tcase(s, tc);
    return s;
}
