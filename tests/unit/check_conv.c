/* check_conv.c — the conversation table: keys, client choice, ICMP errors, reuse, counts (core/conv.c). */
#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "conv.h"

/* An assertion for hot loops: Check's ck_assert reports every passing check
 * to the parent process (fork mode), which makes loops of 100,000 slow under
 * the sanitizers; this one only speaks on failure. */
#define must(cond) do { if (!(cond)) ck_abort_msg("failed: %s", #cond); } while (0)

/* A decoded packet as sk_decode would leave it, built by hand. */
static struct sk_packet ip_pkt(const char *src, const char *dst)
{
    struct sk_packet p;
    memset(&p, 0, sizeof p);
    ck_assert(sk_addr_parse(src, &p.src));
    ck_assert(sk_addr_parse(dst, &p.dst));
    bool v6 = p.src.family == 6;
    p.l3 = v6 ? SK_L3_IPV6 : SK_L3_IPV4;
    p.ethertype = v6 ? 0x86dd : 0x0800;
    p.l3_off = 14;
    p.ip_hlen = v6 ? 40 : 20;
    p.l4_off = 14 + p.ip_hlen;
    p.caplen = p.wirelen = p.l4_off;
    p.n = 1;
    return p;
}

static struct sk_packet tcp_pkt(const char *src, uint16_t sp, const char *dst, uint16_t dp,
                                uint8_t flags)
{
    struct sk_packet p = ip_pkt(src, dst);
    p.ip_proto = 6;
    p.l4 = SK_L4_TCP;
    p.sport = sp;
    p.dport = dp;
    p.tcp.flags = flags;
    p.tcp.hlen = 20;
    p.caplen = p.wirelen = p.l4_off + 20;
    return p;
}

static struct sk_packet udp_pkt(const char *src, uint16_t sp, const char *dst, uint16_t dp,
                                uint32_t len)
{
    struct sk_packet p = ip_pkt(src, dst);
    p.ip_proto = 17;
    p.l4 = SK_L4_UDP;
    p.sport = sp;
    p.dport = dp;
    p.caplen = p.wirelen = p.l4_off + 8 + len;
    p.payload_len = p.payload_caplen = len;
    return p;
}

/* An ICMP (or ICMPv6, for IPv6 addresses) message; 8 header bytes captured. */
static struct sk_packet icmp_pkt(const char *src, const char *dst, uint8_t type, uint8_t code)
{
    struct sk_packet p = ip_pkt(src, dst);
    bool v6 = p.src.family == 6;
    p.ip_proto = v6 ? 58 : 1;
    p.l4 = v6 ? SK_L4_ICMP6 : SK_L4_ICMP;
    p.icmp.type = type;
    p.icmp.code = code;
    p.caplen = p.wirelen = p.l4_off + 8;
    return p;
}

/* The same error quoting a UDP datagram qsrc:qsp -> qdst:qdp. */
static void quote_udp(struct sk_packet *p, const char *qsrc, uint16_t qsp, const char *qdst,
                      uint16_t qdp)
{
    p->icmp.q.valid = true;
    p->icmp.q.has_ports = true;
    p->icmp.q.proto = 17;
    ck_assert(sk_addr_parse(qsrc, &p->icmp.q.src));
    ck_assert(sk_addr_parse(qdst, &p->icmp.q.dst));
    p->icmp.q.sport = qsp;
    p->icmp.q.dport = qdp;
    p->caplen = p->wirelen = p->l4_off + 8 + (p->src.family == 6 ? 48 : 28);
}

static struct sk_convtab *t;

static void setup(void)
{
    t = sk_convtab_new();
    ck_assert_ptr_nonnull(t);
}

static void teardown(void)
{
    sk_convtab_free(t);
    t = NULL;
}

/* Finds p's conversation; checks created and direction as expected. */
static struct sk_conv *find(const struct sk_packet *p, int want_created, int want_dir)
{
    int dir = -1, created = -7;
    struct sk_conv *c = sk_convtab_find(t, p, &dir, &created);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(created, want_created);
    ck_assert_int_eq(dir, want_dir);
    return c;
}

static const char *ep(const struct sk_conv *c, int side, char *buf)
{
    return sk_endpoint_str(&c->addr[side], c->port[side], buf);
}

/* ------------------------------------------------------------------ Core */

START_TEST(test_both_directions_one_conversation)
{
    char b[SK_ADDRSTRLEN];
    struct sk_packet syn = tcp_pkt("127.0.0.1", 40000, "127.0.0.1", 6666, SK_TH_SYN);
    struct sk_packet synack = tcp_pkt("127.0.0.1", 6666, "127.0.0.1", 40000, SK_TH_SYN | SK_TH_ACK);
    struct sk_packet ack = tcp_pkt("127.0.0.1", 40000, "127.0.0.1", 6666, SK_TH_ACK);
    struct sk_conv *c = find(&syn, 1, SK_C2S);
    ck_assert_uint_eq(c->id, 0);
    ck_assert_uint_eq(c->proto, 6);
    ck_assert_str_eq(ep(c, SK_CLIENT, b), "127.0.0.1:40000");
    ck_assert_str_eq(ep(c, SK_SERVER, b), "127.0.0.1:6666");
    ck_assert_ptr_eq(find(&synack, 0, SK_S2C), c);
    ck_assert_ptr_eq(find(&ack, 0, SK_C2S), c);
    ck_assert_uint_eq(sk_convtab_count(t), 1);
    ck_assert_ptr_eq(sk_convtab_get(t, 0), c);
    ck_assert_ptr_null(sk_convtab_get(t, 1));

    /* Another client port: another conversation, the next stream index. */
    struct sk_packet syn2 = tcp_pkt("127.0.0.1", 40002, "127.0.0.1", 6666, SK_TH_SYN);
    struct sk_conv *c2 = find(&syn2, 1, SK_C2S);
    ck_assert_uint_eq(c2->id, 1);
    /* The same ports in UDP are not the TCP conversation. */
    struct sk_packet u = udp_pkt("127.0.0.1", 40000, "127.0.0.1", 6666, 5);
    ck_assert_uint_eq(find(&u, 1, SK_C2S)->id, 2);
    ck_assert_uint_eq(sk_convtab_count(t), 3);
}
END_TEST

START_TEST(test_ipv6)
{
    char b[SK_ADDRSTRLEN];
    struct sk_packet syn = tcp_pkt("2001:db8::1", 50000, "2001:db8::2", 443, SK_TH_SYN);
    struct sk_conv *c = find(&syn, 1, SK_C2S);
    ck_assert_str_eq(ep(c, SK_CLIENT, b), "[2001:db8::1]:50000");
    ck_assert_str_eq(ep(c, SK_SERVER, b), "[2001:db8::2]:443");
    struct sk_packet back = tcp_pkt("2001:db8::2", 443, "2001:db8::1", 50000, SK_TH_ACK);
    ck_assert_ptr_eq(find(&back, 0, SK_S2C), c);
    /* Addresses that differ only in their last byte, or only in the first half */
    struct sk_packet o1 = tcp_pkt("2001:db8::3", 50000, "2001:db8::2", 443, SK_TH_SYN);
    struct sk_packet o2 = tcp_pkt("2001:db9::1", 50000, "2001:db8::2", 443, SK_TH_SYN);
    ck_assert_ptr_ne(find(&o1, 1, SK_C2S), c);
    ck_assert_ptr_ne(find(&o2, 1, SK_C2S), c);
    /* ::1 and 127.0.0.1 are different families */
    struct sk_packet v4 = tcp_pkt("0.0.0.0", 50000, "0.0.0.0", 443, SK_TH_SYN);
    struct sk_packet v6 = tcp_pkt("::", 50000, "::", 443, SK_TH_SYN);
    ck_assert_ptr_ne(find(&v4, 1, SK_C2S), find(&v6, 1, SK_C2S));
    ck_assert_uint_eq(sk_convtab_count(t), 5);
}
END_TEST

START_TEST(test_no_conversation)
{
    int dir = 9, created = 9;
    struct sk_packet arp;
    memset(&arp, 0, sizeof arp);
    arp.l3 = SK_L3_ARP;
    arp.caplen = 42;
    ck_assert_ptr_null(sk_convtab_find(t, &arp, &dir, &created));
    ck_assert_int_eq(created, 0);

    /* A later fragment: IP, but no transport header. */
    struct sk_packet frag = ip_pkt("10.0.0.1", "10.0.0.2");
    frag.ip_proto = 17;
    frag.fragment = true;
    frag.frag_off = 1480;
    frag.caplen = frag.wirelen = frag.l4_off + 100;
    ck_assert_ptr_null(sk_convtab_find(t, &frag, &dir, &created));
    ck_assert_int_eq(created, 0);

    /* Cut before its ports. */
    struct sk_packet cut = tcp_pkt("10.0.0.1", 1, "10.0.0.2", 2, SK_TH_SYN);
    cut.caplen = cut.l4_off + 3;
    ck_assert_ptr_null(sk_convtab_find(t, &cut, &dir, &created));
    ck_assert_ptr_null(sk_convtab_renew(t, &arp, &dir));
    ck_assert_uint_eq(sk_convtab_count(t), 0);

    /* An IP protocol without ports: one conversation per address pair. */
    struct sk_packet gre = ip_pkt("10.0.0.1", "10.0.0.2");
    gre.ip_proto = 47;
    gre.l4 = SK_L4_OTHER;
    struct sk_packet gre_back = ip_pkt("10.0.0.2", "10.0.0.1");
    gre_back.ip_proto = 47;
    gre_back.l4 = SK_L4_OTHER;
    struct sk_conv *g = find(&gre, 1, SK_C2S);
    ck_assert_ptr_eq(find(&gre_back, 0, SK_S2C), g);
    char buf[16];
    ck_assert_str_eq(sk_conv_proto_name(g, buf), "GRE");
    g->proto = 253; /* an experimental number has no name */
    ck_assert_str_eq(sk_conv_proto_name(g, buf), "253");
}
END_TEST

/* ------------------------------------------------------------------ Client */

START_TEST(test_client_by_syn_and_synack)
{
    char b[SK_ADDRSTRLEN];
    /* The SYN's sender is the client, whatever the ports say. */
    struct sk_packet syn = tcp_pkt("10.0.0.2", 80, "10.0.0.1", 50000, SK_TH_SYN);
    struct sk_conv *c = find(&syn, 1, SK_C2S);
    ck_assert_uint_eq(c->client_by, SK_BY_SYN);
    ck_assert_str_eq(ep(c, SK_CLIENT, b), "10.0.0.2:80");

    /* The capture began with the SYN-ACK: its receiver is the client. */
    struct sk_packet sa = tcp_pkt("10.0.0.2", 6666, "10.0.0.1", 1234, SK_TH_SYN | SK_TH_ACK);
    c = find(&sa, 1, SK_S2C);
    ck_assert_uint_eq(c->client_by, SK_BY_SYNACK);
    ck_assert_str_eq(ep(c, SK_CLIENT, b), "10.0.0.1:1234");
    ck_assert_str_eq(ep(c, SK_SERVER, b), "10.0.0.2:6666");
}
END_TEST

START_TEST(test_client_by_port_midstream)
{
    char b[SK_ADDRSTRLEN];
    /* The server speaks first; its port is well known. */
    struct sk_packet p = tcp_pkt("10.0.0.2", 22, "10.0.0.1", 5000, SK_TH_ACK | SK_TH_PSH);
    struct sk_conv *c = find(&p, 1, SK_S2C);
    ck_assert_uint_eq(c->client_by, SK_BY_PORT);
    ck_assert_str_eq(ep(c, SK_CLIENT, b), "10.0.0.1:5000");
    ck_assert_str_eq(ep(c, SK_SERVER, b), "10.0.0.2:22");

    /* No well-known port: the one ephemeral port (>= 32768) is the client's. */
    p = tcp_pkt("10.0.0.2", 6666, "10.0.0.1", 40000, SK_TH_ACK);
    c = find(&p, 1, SK_S2C);
    ck_assert_uint_eq(c->client_by, SK_BY_PORT);
    ck_assert_str_eq(ep(c, SK_CLIENT, b), "10.0.0.1:40000");
    p = tcp_pkt("10.0.0.1", 40001, "10.0.0.2", 6666, SK_TH_ACK);
    c = find(&p, 1, SK_C2S);
    ck_assert_uint_eq(c->client_by, SK_BY_PORT);

    /* Nothing decisive: the first sender. */
    p = tcp_pkt("10.0.0.2", 6000, "10.0.0.1", 5000, SK_TH_ACK);
    c = find(&p, 1, SK_C2S);
    ck_assert_uint_eq(c->client_by, SK_BY_FIRST);
    ck_assert_str_eq(ep(c, SK_CLIENT, b), "10.0.0.2:6000");
    p = tcp_pkt("10.0.0.2", 50000, "10.0.0.1", 40000, SK_TH_ACK); /* both ephemeral */
    ck_assert_uint_eq(find(&p, 1, SK_C2S)->client_by, SK_BY_FIRST);
    p = tcp_pkt("10.0.0.2", 513, "10.0.0.1", 1023, SK_TH_ACK);    /* both well known */
    ck_assert_uint_eq(find(&p, 1, SK_C2S)->client_by, SK_BY_FIRST);
    p = tcp_pkt("10.0.0.2", 7000, "10.0.0.1", 7000, SK_TH_ACK);   /* equal */
    ck_assert_uint_eq(find(&p, 1, SK_C2S)->client_by, SK_BY_FIRST);
}
END_TEST

START_TEST(test_client_udp_icmp)
{
    char b[SK_ADDRSTRLEN];
    /* A DNS answer seen before its question: port 53 is the server's. */
    struct sk_packet p = udp_pkt("10.0.0.53", 53, "10.0.0.1", 41000, 40);
    struct sk_conv *c = find(&p, 1, SK_S2C);
    ck_assert_uint_eq(c->client_by, SK_BY_PORT);
    ck_assert_str_eq(ep(c, SK_CLIENT, b), "10.0.0.1:41000");
    /* The lab's datagrams: 6666 and a port below 32768: the first sender. */
    p = udp_pkt("127.0.0.1", 7000, "127.0.0.1", 6666, 13);
    c = find(&p, 1, SK_C2S);
    ck_assert_uint_eq(c->client_by, SK_BY_FIRST);
    ck_assert_str_eq(ep(c, SK_CLIENT, b), "127.0.0.1:7000");
    p = udp_pkt("127.0.0.1", 6666, "127.0.0.1", 7000, 10);
    ck_assert_ptr_eq(find(&p, 0, SK_S2C), c);

    /* Echo: one conversation per identifier, the first sender its client. */
    struct sk_packet req = icmp_pkt("10.0.0.1", "10.0.0.2", 8, 0);
    req.icmp.id = 77;
    struct sk_packet rep = icmp_pkt("10.0.0.2", "10.0.0.1", 0, 0);
    rep.icmp.id = 77;
    struct sk_packet req2 = icmp_pkt("10.0.0.1", "10.0.0.2", 8, 0);
    req2.icmp.id = 78;
    c = find(&req, 1, SK_C2S);
    ck_assert_uint_eq(c->proto, 1);
    ck_assert_uint_eq(c->client_by, SK_BY_FIRST);
    ck_assert_uint_eq(c->port[0], 0);
    ck_assert_ptr_eq(find(&rep, 0, SK_S2C), c);
    ck_assert_ptr_ne(find(&req2, 1, SK_C2S), c);
    char buf[16];
    ck_assert_str_eq(sk_conv_proto_name(c, buf), "ICMP");

    struct sk_packet r6 = icmp_pkt("fe80::1", "fe80::2", 128, 0);
    r6.icmp.id = 5;
    struct sk_packet a6 = icmp_pkt("fe80::2", "fe80::1", 129, 0);
    a6.icmp.id = 5;
    c = find(&r6, 1, SK_C2S);
    ck_assert_uint_eq(c->proto, 58);
    ck_assert_str_eq(sk_conv_proto_name(c, buf), "ICMPv6");
    ck_assert_ptr_eq(find(&a6, 0, SK_S2C), c);
}
END_TEST

/* ------------------------------------------------------------------ ICMP errors */

START_TEST(test_port_unreachable_joins_udp)
{
    /* The client sends to a closed port; the server host answers "port unreachable". */
    struct sk_packet dgram = udp_pkt("10.0.0.1", 41000, "10.0.0.2", 9999, 13);
    struct sk_conv *c = find(&dgram, 1, SK_C2S);
    struct sk_packet unreach = icmp_pkt("10.0.0.2", "10.0.0.1", 3, 3);
    quote_udp(&unreach, "10.0.0.1", 41000, "10.0.0.2", 9999);
    ck_assert_ptr_eq(find(&unreach, 0, SK_S2C), c);
    ck_assert_uint_eq(sk_convtab_count(t), 1);

    /* An error about a datagram the server sent comes from the client. */
    struct sk_packet back = icmp_pkt("10.0.0.1", "10.0.0.2", 3, 3);
    quote_udp(&back, "10.0.0.2", 9999, "10.0.0.1", 41000);
    ck_assert_ptr_eq(find(&back, 0, SK_C2S), c);

    /* On loopback both addresses are the same: the ports decide. */
    struct sk_packet lo = udp_pkt("127.0.0.1", 45000, "127.0.0.1", 6667, 5);
    struct sk_conv *cl = find(&lo, 1, SK_C2S);
    struct sk_packet lo_un = icmp_pkt("127.0.0.1", "127.0.0.1", 3, 3);
    quote_udp(&lo_un, "127.0.0.1", 45000, "127.0.0.1", 6667);
    ck_assert_ptr_eq(find(&lo_un, 0, SK_S2C), cl);

    /* ICMPv6 destination unreachable, code 4 (port unreachable). */
    struct sk_packet d6 = udp_pkt("::1", 50001, "::1", 6666, 3);
    struct sk_conv *c6 = find(&d6, 1, SK_C2S);
    struct sk_packet u6 = icmp_pkt("::1", "::1", 1, 4);
    quote_udp(&u6, "::1", 50001, "::1", 6666);
    ck_assert_ptr_eq(find(&u6, 0, SK_S2C), c6);
    ck_assert_uint_eq(sk_convtab_count(t), 3);
}
END_TEST

START_TEST(test_unknown_quote_never_creates)
{
    /* The quoted datagram was never seen: the error is an ICMP conversation
     * of its own, between the ICMP packet's addresses. */
    struct sk_packet unreach = icmp_pkt("10.0.0.2", "10.0.0.1", 3, 3);
    quote_udp(&unreach, "10.0.0.1", 41000, "10.0.0.2", 9999);
    struct sk_conv *c = find(&unreach, 1, SK_C2S);
    ck_assert_uint_eq(c->proto, 1);
    char b[SK_ADDRSTRLEN];
    ck_assert_str_eq(sk_addr_str(&c->addr[SK_CLIENT], b), "10.0.0.2");
    ck_assert_uint_eq(sk_convtab_count(t), 1);
    /* The datagram itself, seen afterwards, is a UDP conversation, not that one. */
    struct sk_packet dgram = udp_pkt("10.0.0.1", 41000, "10.0.0.2", 9999, 13);
    struct sk_conv *u = find(&dgram, 1, SK_C2S);
    ck_assert_ptr_ne(u, c);
    ck_assert_uint_eq(u->proto, 17);
    /* A quote without its ports cannot be matched either. */
    struct sk_packet noports = icmp_pkt("10.0.0.2", "10.0.0.1", 3, 3);
    quote_udp(&noports, "10.0.0.1", 41000, "10.0.0.2", 9999);
    noports.icmp.q.has_ports = false;
    ck_assert_ptr_eq(find(&noports, 0, SK_C2S), c);
}
END_TEST

/* ------------------------------------------------------------------ Reuse, counts */

START_TEST(test_renew)
{
    struct sk_packet syn = tcp_pkt("127.0.0.1", 40000, "127.0.0.1", 6666, SK_TH_SYN);
    struct sk_conv *old = find(&syn, 1, SK_C2S);
    sk_conv_account(old, SK_C2S, &syn);
    /* The same tuple again, after the first connection ended; this time the
     * capture's first packet of it is the server's SYN-ACK. */
    struct sk_packet sa = tcp_pkt("127.0.0.1", 6666, "127.0.0.1", 40000, SK_TH_SYN | SK_TH_ACK);
    int dir = -1;
    struct sk_conv *fresh = sk_convtab_renew(t, &sa, &dir);
    ck_assert_ptr_nonnull(fresh);
    ck_assert_ptr_ne(fresh, old);
    ck_assert_int_eq(dir, SK_S2C);
    ck_assert_uint_eq(fresh->id, 1);
    ck_assert_uint_eq(fresh->client_by, SK_BY_SYNACK);
    ck_assert_uint_eq(fresh->pkts[0] + fresh->pkts[1], 0);
    /* From now on the tuple finds the new one; the old one keeps its counts. */
    struct sk_packet ack = tcp_pkt("127.0.0.1", 40000, "127.0.0.1", 6666, SK_TH_ACK);
    ck_assert_ptr_eq(find(&ack, 0, SK_C2S), fresh);
    ck_assert_ptr_eq(sk_convtab_get(t, 0), old);
    ck_assert_uint_eq(old->pkts[SK_C2S], 1);
    ck_assert_uint_eq(sk_convtab_count(t), 2);
    /* Renewing a tuple never seen simply starts it. */
    struct sk_packet other = tcp_pkt("127.0.0.1", 40001, "127.0.0.1", 6666, SK_TH_SYN);
    struct sk_conv *o = sk_convtab_renew(t, &other, &dir);
    ck_assert_uint_eq(o->id, 2);
    ck_assert_int_eq(dir, SK_C2S);
    ck_assert_ptr_eq(find(&other, 0, SK_C2S), o);
}
END_TEST

START_TEST(test_account)
{
    struct sk_packet a = udp_pkt("127.0.0.1", 7000, "127.0.0.1", 6666, 13);
    a.n = 3;
    a.ts_ns = 1000000123;
    a.wirelen = 55;
    struct sk_packet b = udp_pkt("127.0.0.1", 6666, "127.0.0.1", 7000, 10);
    b.n = 5;
    b.ts_ns = 1500000000;
    b.wirelen = 52;
    struct sk_conv *c = find(&a, 1, SK_C2S);
    sk_conv_account(c, SK_C2S, &a);
    ck_assert_int_eq(find(&b, 0, SK_S2C)->id, c->id);
    sk_conv_account(c, SK_S2C, &b);
    a.n = 9;
    a.ts_ns = 2000000000;
    sk_conv_account(c, SK_C2S, &a);
    ck_assert_uint_eq(c->pkts[0], 2);
    ck_assert_uint_eq(c->pkts[1], 1);
    ck_assert_uint_eq(c->bytes[0], 26);
    ck_assert_uint_eq(c->bytes[1], 10);
    ck_assert_uint_eq(c->wire[0], 110);
    ck_assert_uint_eq(c->wire[1], 52);
    ck_assert_int_eq(c->first_ts, 1000000123);
    ck_assert_int_eq(c->last_ts, 2000000000);
    ck_assert_uint_eq(c->first_n, 3);
    ck_assert_uint_eq(c->last_n, 9);
}
END_TEST

/* Tuple number i: distinct addresses and ports, IPv4 or IPv6. */
static struct sk_packet nth(uint32_t i, bool reply)
{
    char a[64], b[64];
    if (i % 3 == 2) {
        snprintf(a, sizeof a, "2001:db8::%x:%x", i >> 16, i & 0xffff);
        snprintf(b, sizeof b, "2001:db8:1::%x", i % 7);
    } else {
        snprintf(a, sizeof a, "10.%u.%u.%u", (i >> 16) & 255, (i >> 8) & 255, i & 255);
        snprintf(b, sizeof b, "192.168.0.%u", i % 5);
    }
    uint16_t sp = (uint16_t)(32768 + i % 28000), dp = (uint16_t)(80 + i % 3);
    if (reply)
        return tcp_pkt(b, dp, a, sp, SK_TH_ACK);
    return tcp_pkt(a, sp, b, dp, SK_TH_SYN);
}

START_TEST(test_many_conversations)
{
    enum { N = 100000 };
    struct sk_conv *first = NULL, *k1000 = NULL;
    for (uint32_t i = 0; i < N; i++) {
        struct sk_packet p = nth(i, false);
        int dir, created;
        struct sk_conv *c = sk_convtab_find(t, &p, &dir, &created);
        must(c != NULL);
        must(created == 1);
        must(c->id == i);
        sk_conv_account(c, dir, &p);
        if (i == 0)
            first = c;
        if (i == 1000)
            k1000 = c;
    }
    ck_assert_uint_eq(sk_convtab_count(t), N);
    /* Pointers handed out early are still the conversations, after all the growth. */
    ck_assert_ptr_eq(sk_convtab_get(t, 0), first);
    ck_assert_ptr_eq(sk_convtab_get(t, 1000), k1000);
    ck_assert_uint_eq(k1000->id, 1000);
    ck_assert_uint_eq(k1000->pkts[0], 1);
    for (uint32_t i = 0; i < N; i++) {
        struct sk_packet p = nth(i, true);
        int dir, created;
        struct sk_conv *c = sk_convtab_find(t, &p, &dir, &created);
        must(c == sk_convtab_get(t, i));
        must(created == 0);
        must(dir == SK_S2C);
        must(c->id == i);
    }
    ck_assert_uint_eq(sk_convtab_count(t), N);
}
END_TEST

struct grow_shared {
    struct sk_convtab *t;
    atomic_bool done;
    size_t bad, checked;
};

static void *conv_reader(void *arg)
{
    struct grow_shared *sh = arg;
    for (;;) {
        bool finished = atomic_load(&sh->done);
        size_t n = sk_convtab_count(sh->t);
        for (size_t k = 0; k < 32 && k < n; k++) {
            uint32_t id = (uint32_t)(n - 1 - k * 97 % n);
            const struct sk_conv *c = sk_convtab_get(sh->t, id);
            if (!c || c->id != id || c->proto != 6)
                sh->bad++;
            sh->checked++;
        }
        if (finished)
            break;
    }
    return NULL;
}

START_TEST(test_read_while_growing)
{
    struct grow_shared sh = {.t = t};
    atomic_init(&sh.done, false);
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, conv_reader, &sh), 0);
    for (uint32_t i = 0; i < 60000; i++) {
        struct sk_packet p = nth(i, false);
        int dir, created;
        ck_assert_ptr_nonnull(sk_convtab_find(t, &p, &dir, &created));
    }
    atomic_store(&sh.done, true);
    pthread_join(th, NULL);
    ck_assert_uint_eq(sh.bad, 0);
    ck_assert_uint_gt(sh.checked, 0);
}
END_TEST

Suite *conv_suite(void); /* found by the runner (tests/unit/main.c) */

Suite *conv_suite(void)
{
    Suite *s = suite_create("conv");
    TCase *tc = tcase_create("Core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_both_directions_one_conversation);
    tcase_add_test(tc, test_ipv6);
    tcase_add_test(tc, test_no_conversation);
    suite_add_tcase(s, tc);
    TCase *tl = tcase_create("Client");
    tcase_add_checked_fixture(tl, setup, teardown);
    tcase_add_test(tl, test_client_by_syn_and_synack);
    tcase_add_test(tl, test_client_by_port_midstream);
    tcase_add_test(tl, test_client_udp_icmp);
    suite_add_tcase(s, tl);
    TCase *ti = tcase_create("ICMP");
    tcase_add_checked_fixture(ti, setup, teardown);
    tcase_add_test(ti, test_port_unreachable_joins_udp);
    tcase_add_test(ti, test_unknown_quote_never_creates);
    suite_add_tcase(s, ti);
    TCase *tr = tcase_create("Counts");
    tcase_add_checked_fixture(tr, setup, teardown);
    tcase_set_timeout(tr, 120);
    tcase_add_test(tr, test_renew);
    tcase_add_test(tr, test_account);
    tcase_add_test(tr, test_many_conversations);
    tcase_add_test(tr, test_read_while_growing);
    suite_add_tcase(s, tr);
    return s;
}
