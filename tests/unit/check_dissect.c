/* check_dissect.c — the field-by-field detail (core/dissect.c): the lines, the
 * bytes each one covers, how cut and malformed layers end. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "dissect.h"
#include "testframes.h"

#define MAX_LINES 256

/* The lines of one dissection, as a viewer would print them. */
struct lines {
    unsigned n;
    struct line {
        int depth;
        char text[256];
        uint32_t off, len;
        enum sk_status problem;
    } l[MAX_LINES];
};

static void collect(const struct sk_field *f, void *user)
{
    struct lines *ls = user;
    ck_assert_uint_lt(ls->n, MAX_LINES);
    struct line *l = &ls->l[ls->n++];
    l->depth = f->depth;
    sk_field_text(f, l->text, sizeof l->text);
    l->off = f->off;
    l->len = f->len;
    l->problem = f->problem;
}

static enum sk_status dissect(int dlt, const uint8_t *b, uint32_t caplen, uint32_t wirelen,
                              struct lines *ls)
{
    ls->n = 0;
    return sk_dissect(dlt, b, caplen, wirelen, collect, ls);
}

/* The line whose text is exactly `text`, or NULL. */
static const struct line *find(const struct lines *ls, const char *text)
{
    for (unsigned i = 0; i < ls->n; i++)
        if (strcmp(ls->l[i].text, text) == 0)
            return &ls->l[i];
    return NULL;
}

/* The first line whose text starts with `prefix`, or NULL. */
static const struct line *find_prefix(const struct lines *ls, const char *prefix)
{
    for (unsigned i = 0; i < ls->n; i++)
        if (strncmp(ls->l[i].text, prefix, strlen(prefix)) == 0)
            return &ls->l[i];
    return NULL;
}

static void expect(const struct lines *ls, const char *text, int depth, uint32_t off, uint32_t len)
{
    const struct line *l = find(ls, text);
    ck_assert_msg(l != NULL, "no line \"%s\"", text);
    ck_assert_msg(l->depth == depth && l->off == off && l->len == len,
                  "\"%s\": depth %d, bytes %u+%u; want depth %d, %u+%u", text, l->depth, l->off,
                  l->len, depth, off, len);
}

/* Each layer's lines lie within the bytes of its heading (or of the quoted
 * heading above them), and no line reaches past the capture. */
static void check_nesting(const struct lines *ls, uint32_t caplen)
{
    const struct line *head[3] = {NULL, NULL, NULL};
    for (unsigned i = 0; i < ls->n; i++) {
        const struct line *l = &ls->l[i];
        ck_assert(l->depth >= 0 && l->depth <= 2);
        ck_assert_msg(l->off + l->len <= caplen, "\"%s\" past the capture", l->text);
        head[l->depth] = l;
        const struct line *h = l->depth ? head[l->depth - 1] : NULL;
        ck_assert_msg(!h || h->depth + 1 == l->depth, "\"%s\" without a parent", l->text);
        if (h && l->len && strcmp(h->text, ls->l[0].text) != 0)
            ck_assert_msg(l->off >= h->off && l->off + l->len <= h->off + h->len,
                          "\"%s\" (%u+%u) outside \"%s\" (%u+%u)", l->text, l->off, l->len,
                          h->text, h->off, h->len);
    }
}

static void frame_syn(struct fb *f)
{
    f->n = 0;
    fb_eth(f, 0x0800);
    size_t ip = fb_ip4(f, 6, NULL, 0);
    fb_tcp(f, 40000, 6666, 2732216995u, 0, SK_TH_SYN, 65495, SYN_OPTS, sizeof SYN_OPTS);
    putn(f, "HelloWorld!!!", 13);
    fb_ip4_done(f, ip);
}

START_TEST(test_tcp_frame)
{
    struct fb f;
    static struct lines ls;
    frame_syn(&f);
    ck_assert_int_eq(dissect(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &ls), SK_OK);
    check_nesting(&ls, (uint32_t)f.n);
    expect(&ls, "Frame, 87 bytes on wire, 87 bytes captured", 0, 0, 87);
    expect(&ls, "Link-layer type: EN10MB (Ethernet) (1)", 1, 0, 0);
    expect(&ls, "Ethernet II, Src: 02:00:00:00:00:0a, Dst: 02:00:00:00:00:0b", 0, 0, 14);
    expect(&ls, "Destination: 02:00:00:00:00:0b", 1, 0, 6);
    expect(&ls, "Type: IPv4 (0x0800)", 1, 12, 2);
    expect(&ls, "Internet Protocol Version 4, Src: 127.0.0.1, Dst: 10.1.2.3", 0, 14, 20);
    expect(&ls, "Version: 4 (0100 ....)", 1, 14, 1);
    expect(&ls, "Header length: 20 bytes (5) (.... 0101)", 1, 14, 1);
    expect(&ls, "Differentiated services: 0x02 (DSCP: 0, ECN: ECT(0))", 1, 15, 1);
    expect(&ls, "Total length: 73", 1, 16, 2);
    expect(&ls, "Flags: 0x2 (Don't fragment)", 1, 20, 1);
    expect(&ls, "Don't fragment: Set (.1.. ....)", 2, 20, 1);
    expect(&ls, "Time to live: 64", 1, 22, 1);
    expect(&ls, "Protocol: TCP (6)", 1, 23, 1);
    expect(&ls, "Header checksum: 0xbeef", 1, 24, 2);
    expect(&ls, "Destination address: 10.1.2.3", 1, 30, 4);
    expect(&ls, "Transmission Control Protocol, Src Port: 40000, Dst Port: 6666, Seq: 2732216995, "
                "Len: 13",
           0, 34, 40);
    expect(&ls, "Source port: 40000", 1, 34, 2);
    expect(&ls, "Sequence number: 2732216995", 1, 38, 4);
    expect(&ls, "Header length: 40 bytes (10) (1010 ....)", 1, 46, 1);
    expect(&ls, "Flags: 0x002 (SYN)", 1, 46, 2);
    expect(&ls, "Syn (SYN): Set (.... .... ..1.)", 2, 46, 2);
    expect(&ls, "Acknowledgment (ACK): Not set (.... ...0 ....)", 2, 46, 2);
    expect(&ls, "Window: 65495", 1, 48, 2);
    expect(&ls, "Checksum: 0xcafe", 1, 50, 2);
    expect(&ls, "Options: 20 bytes", 1, 54, 20);
    expect(&ls, "Maximum segment size: 65495 bytes", 2, 54, 4);
    expect(&ls, "SACK permitted", 2, 58, 2);
    expect(&ls, "Timestamps: TSval 1205737599, TSecr 0", 2, 60, 10);
    expect(&ls, "No-operation", 2, 70, 1);
    expect(&ls, "Window scale: 10 (multiply by 1024)", 2, 71, 3);
    expect(&ls, "Data, 13 bytes", 0, 74, 13);
    for (unsigned i = 0; i < ls.n; i++)
        ck_assert_int_eq(ls.l[i].problem, SK_OK);
    /* The brief's example of a flags field. */
    f.b[47] = SK_TH_SYN | SK_TH_ACK;
    dissect(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &ls);
    expect(&ls, "Flags: 0x012 (SYN, ACK)", 1, 46, 2);
}
END_TEST

/* Cut at every length: the lines stop where the bytes stop, and one line says
 * where and why. */
START_TEST(test_cut_everywhere)
{
    struct fb f;
    static struct lines ls;
    frame_syn(&f);
    for (uint32_t cut = 0; cut <= f.n; cut++) {
        uint8_t *copy = fb_cut(&f, cut);
        enum sk_status st = dissect(1, copy, cut, (uint32_t)f.n, &ls);
        struct sk_packet p;
        ck_assert_int_eq(st, sk_decode(1, copy, cut, (uint32_t)f.n, &p));
        check_nesting(&ls, cut);
        unsigned problems = 0;
        for (unsigned i = 0; i < ls.n; i++)
            problems += ls.l[i].problem != SK_OK;
        ck_assert_msg(problems == (st != SK_OK), "cut %u: %u problem lines", cut, problems);
        if (st == SK_TRUNCATED) {
            const struct line *t = find_prefix(&ls, "Truncated: ");
            ck_assert_msg(t && strstr(t->text, p.why) && strstr(t->text, " bytes captured"),
                          "cut %u: no truncation line for \"%s\"", cut, p.why);
            ck_assert_int_eq(t->problem, SK_TRUNCATED);
        }
        /* A field is shown exactly when its bytes are there. */
        ck_assert((find(&ls, "Source port: 40000") != NULL) == (cut >= 36));
        ck_assert((find(&ls, "Sequence number: 2732216995") != NULL) == (cut >= 42));
        ck_assert((find(&ls, "Destination address: 10.1.2.3") != NULL) == (cut >= 34));
        ck_assert((find(&ls, "Timestamps: TSval 1205737599, TSecr 0") != NULL) == (cut >= 70));
        ck_assert((find_prefix(&ls, "Data, ") != NULL) == (cut >= 74));
        if (cut >= 74 && cut < f.n) {
            char want[64];
            snprintf(want, sizeof want, "Data, 13 bytes, %u captured", cut - 74);
            ck_assert_ptr_nonnull(find(&ls, want));
        }
        free(copy);
    }
    /* At 40 bytes: the TCP header has 6 of its 20. */
    dissect(1, f.b, 40, (uint32_t)f.n, &ls);
    expect(&ls, "Truncated: truncated TCP header: 6 of 20 bytes captured", 1, 34, 6);
}
END_TEST

START_TEST(test_malformed)
{
    struct fb f;
    static struct lines ls;
    frame_syn(&f);
    f.b[46] = 0x30; /* data offset 3 */
    ck_assert_int_eq(dissect(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &ls), SK_INVALID);
    const struct line *m = find_prefix(&ls, "Malformed: ");
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->text, "Malformed: TCP data offset below 5");
    ck_assert_int_eq(m->problem, SK_INVALID);
    expect(&ls, "Header length: 12 bytes (3) (0011 ....)", 1, 46, 1);
    /* A link type we do not decode: the frame, then why. */
    ck_assert_int_eq(dissect(105, f.b, (uint32_t)f.n, (uint32_t)f.n, &ls), SK_INVALID);
    ck_assert_uint_eq(ls.n, 3);
    ck_assert_str_eq(ls.l[2].text, "Malformed: link type not supported");
    /* An impossible TCP option: the options before it, then why. */
    frame_syn(&f);
    f.b[54 + 6] = 8;
    f.b[54 + 7] = 1; /* TS of length 1 */
    ck_assert_int_eq(dissect(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &ls), SK_INVALID);
    ck_assert_ptr_nonnull(find(&ls, "SACK permitted"));
    ck_assert_ptr_null(find_prefix(&ls, "Timestamps"));
    ck_assert_ptr_nonnull(find(&ls, "Malformed: TCP option with an impossible length"));
}
END_TEST

START_TEST(test_icmp_quote)
{
    struct fb f = {.n = 0};
    static struct lines ls;
    fb_eth(&f, 0x0800);
    size_t ip = fb_ip4(&f, 1, NULL, 0);
    fb_icmp(&f, 3, 3, 0);
    size_t qip = fb_ip4(&f, 17, NULL, 0);
    size_t u = fb_udp(&f, 40000, 7777);
    putn(&f, "HelloWorld!!!", 13);
    fb_udp_done(&f, u);
    fb_ip4_done(&f, qip);
    fb_ip4_done(&f, ip);
    ck_assert_int_eq(dissect(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &ls), SK_OK);
    check_nesting(&ls, (uint32_t)f.n);
    expect(&ls, "Internet Control Message Protocol, destination unreachable, port unreachable", 0,
           34, 8 + 28 + 13);
    expect(&ls, "Type: 3 (destination unreachable)", 1, 34, 1);
    expect(&ls, "Code: 3 (port unreachable)", 1, 35, 1);
    expect(&ls, "Quoted Internet Protocol Version 4: Src: 127.0.0.1, Dst: 10.1.2.3", 1, 42, 20);
    expect(&ls, "Protocol: UDP (17)", 2, 51, 1);
    expect(&ls, "Quoted User Datagram Protocol: Src Port: 40000, Dst Port: 7777", 1, 62, 8);
    expect(&ls, "Destination port: 7777", 2, 64, 2);
    expect(&ls, "Data, 13 bytes", 0, 70, 13);
    /* The quote cut inside its UDP header. */
    uint8_t *copy = fb_cut(&f, 66);
    ck_assert_int_eq(dissect(1, copy, 66, (uint32_t)f.n, &ls), SK_TRUNCATED);
    expect(&ls, "Destination port: 7777", 2, 64, 2);
    expect(&ls, "Truncated: truncated IP datagram quoted by ICMP: 4 of 8 bytes captured", 2, 62,
           4);
    free(copy);
}
END_TEST

START_TEST(test_other_layers)
{
    struct fb f = {.n = 0};
    static struct lines ls;
    /* 802.1Q */
    fb_eth(&f, 0x8100);
    fb_vlan(&f, 0x2064, 0x0800);
    size_t ip = fb_ip4(&f, 17, NULL, 0);
    size_t u = fb_udp(&f, 5000, 6000);
    fb_udp_done(&f, u);
    fb_ip4_done(&f, ip);
    ck_assert_int_eq(dissect(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &ls), SK_OK);
    check_nesting(&ls, (uint32_t)f.n);
    expect(&ls, "802.1Q Virtual LAN, PRI: 1, DEI: 0, ID: 100", 0, 14, 4);
    expect(&ls, "VLAN ID: 100 (.... 0000 0110 0100)", 2, 14, 2);
    expect(&ls, "Checksum: 0x1111", 1, 38 + 6, 2);
    /* IPv6 with a fragment header. */
    f.n = 0;
    fb_eth(&f, 0x86dd);
    ip = fb_ip6(&f, 44);
    put8(&f, 17);
    put8(&f, 0);
    put16(&f, 0x0001);
    put32(&f, 0xabcdef01u);
    u = fb_udp(&f, 5000, 6000);
    fb_udp_done(&f, u);
    fb_ip6_done(&f, ip);
    ck_assert_int_eq(dissect(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &ls), SK_OK);
    check_nesting(&ls, (uint32_t)f.n);
    expect(&ls, "Internet Protocol Version 6, Src: ::1, Dst: 2001:db8::2", 0, 14, 40);
    expect(&ls, "Traffic class: 0x28 (DSCP: 10, ECN: Not-ECT)", 1, 14, 2);
    expect(&ls, "Flow label: 0x12345", 1, 15, 3);
    expect(&ls, "Next header: IPv6-Frag (44)", 1, 20, 1);
    expect(&ls, "IPv6 Fragment Header", 0, 54, 8);
    expect(&ls, "More fragments: Set (.... .... .... ...1)", 1, 56, 2);
    expect(&ls, "Identification: 0xabcdef01", 1, 58, 4);
    /* Linux cooked v2 and BSD loopback. */
    f.n = 0;
    put16(&f, 0x0800);
    put16(&f, 0);
    put32(&f, 3);
    put16(&f, 1);
    put8(&f, 4);
    put8(&f, 6);
    putn(&f, MAC_A, 6);
    put16(&f, 0);
    ip = fb_ip4(&f, 17, NULL, 0);
    u = fb_udp(&f, 1, 2);
    fb_udp_done(&f, u);
    fb_ip4_done(&f, ip);
    ck_assert_int_eq(dissect(276, f.b, (uint32_t)f.n, (uint32_t)f.n, &ls), SK_OK);
    check_nesting(&ls, (uint32_t)f.n);
    expect(&ls, "Linux cooked capture v2", 0, 0, 20);
    expect(&ls, "Interface index: 3", 1, 4, 4);
    expect(&ls, "Packet type: sent by us (4)", 1, 10, 1);
    expect(&ls, "Source: 02:00:00:00:00:0a", 1, 12, 8);
    /* ARP */
    f.n = 0;
    fb_eth(&f, 0x0806);
    put16(&f, 1);
    put16(&f, 0x0800);
    put8(&f, 6);
    put8(&f, 4);
    put16(&f, 2);
    putn(&f, MAC_A, 6);
    putn(&f, IP4_A, 4);
    putn(&f, MAC_B, 6);
    putn(&f, IP4_B, 4);
    ck_assert_int_eq(dissect(1, f.b, (uint32_t)f.n, (uint32_t)f.n, &ls), SK_OK);
    check_nesting(&ls, (uint32_t)f.n);
    expect(&ls, "Address Resolution Protocol, reply", 0, 14, 28);
    expect(&ls, "Opcode: reply (2)", 1, 20, 2);
    expect(&ls, "Sender hardware address: 02:00:00:00:00:0a", 1, 22, 6);
    expect(&ls, "Target protocol address: 10.1.2.3", 1, 38, 4);
    uint8_t null[4 + 28] = {30, 0, 0, 0};
    memcpy(null + 4, f.b + 20, 28);
    null[4] = 0x60; /* not IPv6 really: the version field says 6, the rest is cut */
    ck_assert_int_eq(dissect(0, null, sizeof null, sizeof null, &ls), SK_TRUNCATED);
    expect(&ls, "Family: IPv6 (30)", 1, 0, 4);
    expect(&ls, "Version: 6", 1, 4, 1);
}
END_TEST

START_TEST(test_field_text)
{
    char buf[64];
    struct sk_field h = {0, "Ethernet II", "Src: a, Dst: b", 0, 14, SK_OK};
    struct sk_field fl = {1, "Window", "512", 48, 2, SK_OK};
    struct sk_field bare = {2, "SACK permitted", "", 58, 2, SK_OK};
    ck_assert_uint_eq(sk_field_text(&h, buf, sizeof buf), strlen("Ethernet II, Src: a, Dst: b"));
    ck_assert_str_eq(buf, "Ethernet II, Src: a, Dst: b");
    sk_field_text(&fl, buf, sizeof buf);
    ck_assert_str_eq(buf, "Window: 512");
    sk_field_text(&bare, buf, sizeof buf);
    ck_assert_str_eq(buf, "SACK permitted");
    ck_assert_uint_eq(sk_field_text(&fl, buf, 5), 4);
    ck_assert_str_eq(buf, "Wind");
}
END_TEST

Suite *dissect_suite(void);
Suite *dissect_suite(void)
{
    Suite *s = suite_create("dissect");
    TCase *tc = tcase_create("Core");
    tcase_add_test(tc, test_tcp_frame);
    tcase_add_test(tc, test_icmp_quote);
    tcase_add_test(tc, test_other_layers);
    tcase_add_test(tc, test_field_text);
    suite_add_tcase(s, tc);
    tc = tcase_create("Truncated");
    tcase_add_test(tc, test_cut_everywhere);
    tcase_add_test(tc, test_malformed);
    suite_add_tcase(s, tc);
    return s;
}
