/* check_mark.c — packet marks, step stops and search matches (core/mark.c). */
#include <check.h>
#include <string.h>

#include "decode.h"
#include "conv.h"
#include "mark.h"
#include "tcp.h"

static struct sk_rec rec(uint32_t events)
{
    struct sk_rec r;
    memset(&r, 0, sizeof r);
    r.events = events;
    r.conv = 0;
    return r;
}

#define EV(x) (1u << (x))

START_TEST(test_marks)
{
    struct sk_rec r = rec(EV(SK_EV_SYN));
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_OPEN);
    r = rec(EV(SK_EV_SYNACK));
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_OPEN);
    r = rec(EV(SK_EV_HS_ACK) | EV(SK_EV_ACK));
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_OPEN);
    r = rec(EV(SK_EV_DATA));
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_DATA);
    r = rec(EV(SK_EV_FIN) | EV(SK_EV_DATA));
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_CLOSE);
    r = rec(EV(SK_EV_FIN_ACKED));
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_CLOSE);
    r = rec(EV(SK_EV_RST));
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_RESET);
    r = rec(EV(SK_EV_RST) | EV(SK_EV_REFUSED));
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_RESET);
    r = rec(EV(SK_EV_ICMP_UNREACH));
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_RESET);
    r = rec(EV(SK_EV_UDP));
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_DATAGRAM);
    r = rec(EV(SK_EV_WINDOW_UPDATE));
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_FLOW);
    r = rec(EV(SK_EV_KEEPALIVE));
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_FLOW);
    /* The first that applies wins: a retransmitted SYN is trouble, a damaged
     * RST is damaged first. */
    r = rec(EV(SK_EV_SYN) | EV(SK_EV_RETRANS));
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_TROUBLE);
    r = rec(EV(SK_EV_DUP_ACK));
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_TROUBLE);
    r = rec(EV(SK_EV_ZERO_WINDOW));
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_TROUBLE);
    r = rec(EV(SK_EV_RST) | EV(SK_EV_BAD_PACKET));
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_BAD);
    /* Nothing to name. */
    r = rec(EV(SK_EV_ACK));
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_NONE);
    r = rec(0);
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_NONE);
    /* An ICMP message of a conversation that is not an error: flow. */
    r = rec(0);
    r.kind = SK_K_ICMP;
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_FLOW);
    r.conv = SK_NO_CONV;
    ck_assert_int_eq(sk_rec_mark(&r), SK_MARK_NONE);
}
END_TEST

START_TEST(test_steps)
{
    struct sk_rec r = rec(EV(SK_EV_ACK));
    ck_assert(!sk_rec_is_step(&r));
    r = rec(0);
    ck_assert(!sk_rec_is_step(&r));
    r = rec(EV(SK_EV_DATA));
    ck_assert(sk_rec_is_step(&r));
    r = rec(EV(SK_EV_ACK) | EV(SK_EV_FIN_ACKED));
    ck_assert(sk_rec_is_step(&r));
    r = rec(EV(SK_EV_ACK) | EV(SK_EV_WINDOW_UPDATE));
    ck_assert(sk_rec_is_step(&r));
    r = rec(EV(SK_EV_UDP));
    ck_assert(sk_rec_is_step(&r));
}
END_TEST

/* Raw IPv4 TCP from 127.0.0.1:40000 to 127.0.0.1:6666 with a payload. */
static size_t segment(uint8_t *b, uint8_t flags, const char *text)
{
    size_t plen = strlen(text), n = 40 + plen;
    memset(b, 0, 40);
    b[0] = 0x45;
    b[2] = (uint8_t)(n >> 8);
    b[3] = (uint8_t)n;
    b[8] = 64;
    b[9] = 6;
    b[12] = b[16] = 127;
    b[15] = b[19] = 1;
    b[20] = 40000 >> 8;
    b[21] = 40000 & 0xff;
    b[22] = 6666 >> 8;
    b[23] = 6666 & 0xff;
    b[27] = 1;
    b[32] = 5 << 4;
    b[33] = flags;
    b[34] = 0xff;
    memcpy(b + 40, text, plen);
    return n;
}

START_TEST(test_matches)
{
    uint8_t b[256];
    size_t n = segment(b, 0x18, "HelloWorld!!!\x1b[2J");
    struct sk_packet p;
    sk_decode(12 /* DLT_RAW */, b, (uint32_t)n, (uint32_t)n, &p);
    if (p.l3 == SK_L3_NONE) /* DLT_RAW is 14 on OpenBSD; 12 elsewhere */
        sk_decode(14, b, (uint32_t)n, (uint32_t)n, &p);
    ck_assert_int_eq(p.l4, SK_L4_TCP);
    struct sk_rec r = rec(EV(SK_EV_DATA));
    /* The tcpdump line, any case. */
    ck_assert(sk_packet_matches(&p, &r, "Flags [P.]"));
    ck_assert(sk_packet_matches(&p, &r, "flags [p.]"));
    ck_assert(sk_packet_matches(&p, &r, "127.0.0.1.40000 >"));
    /* The payload, as the screen shows it (escaped). */
    ck_assert(sk_packet_matches(&p, &r, "helloworld"));
    ck_assert(sk_packet_matches(&p, &r, "\\x1b[2J"));
    /* The tag. */
    ck_assert(sk_packet_matches(&p, &r, "data"));
    ck_assert(!sk_packet_matches(&p, &r, "handshake"));
    ck_assert(!sk_packet_matches(&p, &r, "goodbye"));
    ck_assert(!sk_packet_matches(&p, &r, ""));
}
END_TEST

Suite *mark_suite(void); /* found by the runner (tests/unit/main.c) */
Suite *mark_suite(void)
{
    Suite *s = suite_create("mark");
    TCase *tc = tcase_create("Core");
    tcase_add_test(tc, test_marks);
    tcase_add_test(tc, test_steps);
    tcase_add_test(tc, test_matches);
    suite_add_tcase(s, tc);
    return s;
}
