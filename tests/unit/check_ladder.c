/* check_ladder.c — the words on a ladder's arrows (core/ladder.c) and the
 * sentences about a whole conversation (core/convtext.c). */
#include <check.h>
#include <string.h>

#include "convtext.h"
#include "decode.h"
#include "ladder.h"
#include "tcp.h"
#include "trace.h"

static struct sk_conv conv;

static void setup(void)
{
    memset(&conv, 0, sizeof conv);
    conv.proto = 6;
    sk_addr_parse("127.0.0.1", &conv.addr[SK_CLIENT]);
    sk_addr_parse("127.0.0.1", &conv.addr[SK_SERVER]);
    conv.port[SK_CLIENT] = 40000;
    conv.port[SK_SERVER] = 6666;
    conv.tcp.side[SK_CLIENT].isn = 1000;
    conv.tcp.side[SK_CLIENT].flags = SK_SIDE_ISN | SK_SIDE_SYN;
    conv.tcp.side[SK_CLIENT].wscale = -1;
    conv.tcp.side[SK_SERVER].isn = 5000;
    conv.tcp.side[SK_SERVER].flags = SK_SIDE_ISN | SK_SIDE_SYN;
    conv.tcp.side[SK_SERVER].wscale = 7;
}

static struct sk_rec tcp_rec(int dir, uint8_t flags, uint32_t seq, uint32_t ack, uint16_t len,
                             int cstate, int sstate)
{
    struct sk_rec r;
    memset(&r, 0, sizeof r);
    r.kind = (uint8_t)(SK_K_TCP | (dir ? SK_REC_S2C : 0));
    r.flags = flags;
    r.seq = seq;
    r.ack = ack;
    r.len = len;
    r.states = (uint8_t)(cstate | sstate << 4);
    return r;
}

START_TEST(test_syn_row)
{
    struct sk_rec r = tcp_rec(SK_C2S, SK_TH_SYN, 1000, 0, 0, SK_ST_SYN_SENT, SK_ST_SYN_RECEIVED);
    r.events = 1u << SK_EV_SYN;
    struct sk_ladder_row row;
    sk_ladder_row(&r, NULL, &conv, NULL, 0, &row);
    ck_assert_int_eq(row.dir, SK_C2S);
    ck_assert_str_eq(row.label, "SYN seq=0");   /* relative, no ack without the ACK flag */
    ck_assert_str_eq(row.head, "SYN");
    ck_assert_str_eq(row.nums, "seq=0");
    ck_assert_str_eq(row.state[SK_CLIENT], "SYN_SENT");
    ck_assert_str_eq(row.state[SK_SERVER], "SYN_RECEIVED");
    ck_assert(row.changed[SK_CLIENT] && row.changed[SK_SERVER]);
    ck_assert_str_eq(row.preview, "");
    ck_assert_str_ne(row.tag, "");
}
END_TEST

START_TEST(test_data_row_with_preview)
{
    struct sk_rec prev = tcp_rec(SK_C2S, SK_TH_ACK, 1001, 5001, 0, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
    struct sk_rec r = tcp_rec(SK_S2C, SK_TH_PSH | SK_TH_ACK, 5001, 1014, 10, SK_ST_ESTABLISHED,
                              SK_ST_ESTABLISHED);
    r.events = 1u << SK_EV_DATA;
    const uint8_t payload[] = "goodbye!!!";
    struct sk_ladder_row row;
    sk_ladder_row(&r, &prev, &conv, payload, 10, &row);
    ck_assert_int_eq(row.dir, SK_S2C);
    ck_assert_str_eq(row.label, "PSH,ACK seq=1 ack=14 len=10");
    ck_assert_str_eq(row.preview, "\"goodbye!!!\"");
    ck_assert(!row.changed[SK_CLIENT] && !row.changed[SK_SERVER]);

    /* Bytes that could drive a terminal come out escaped, and a preview of
     * fewer bytes than the segment carried says so. */
    const uint8_t evil[] = {0x1b, '[', '2', 'J', 'x'};
    r.len = 300;
    sk_ladder_row(&r, &prev, &conv, evil, sizeof evil, &row);
    ck_assert_str_eq(row.preview, "\"\\x1b[2Jx\"...");
}
END_TEST

START_TEST(test_window_shown_when_it_matters)
{
    struct sk_rec r = tcp_rec(SK_S2C, SK_TH_ACK, 5001, 1014, 0, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
    r.win = 0;
    r.events = 1u << SK_EV_ZERO_WINDOW;
    struct sk_ladder_row row;
    sk_ladder_row(&r, NULL, &conv, NULL, 0, &row);
    ck_assert_str_eq(row.nums, "seq=1 ack=14 win=0");
    r.win = 4;
    r.events = 1u << SK_EV_WINDOW_UPDATE;
    sk_ladder_row(&r, NULL, &conv, NULL, 0, &row);
    ck_assert_str_eq(row.nums, "seq=1 ack=14 win=512"); /* 4 << 7: the server scales by 128 */
    r.events = 1u << SK_EV_ACK;
    sk_ladder_row(&r, NULL, &conv, NULL, 0, &row);
    ck_assert_str_eq(row.nums, "seq=1 ack=14");
}
END_TEST

START_TEST(test_udp_icmp_and_damaged_rows)
{
    struct sk_conv u;
    memset(&u, 0, sizeof u);
    u.proto = 17;
    struct sk_rec r;
    memset(&r, 0, sizeof r);
    r.kind = SK_K_UDP;
    r.len = 13;
    r.events = 1u << SK_EV_UDP;
    struct sk_ladder_row row;
    sk_ladder_row(&r, NULL, &u, (const uint8_t *)"HelloWorld!!!", 13, &row);
    ck_assert_str_eq(row.label, "UDP len=13");
    ck_assert_str_eq(row.preview, "\"HelloWorld!!!\"");
    ck_assert_ptr_null(row.state[SK_CLIENT]); /* UDP has no states */

    r.kind = SK_K_ICMP | SK_REC_S2C;
    r.events = 1u << SK_EV_ICMP_UNREACH;
    r.aux = 3u << 8 | 3u;
    sk_ladder_row(&r, NULL, &u, NULL, 0, &row);
    ck_assert_int_eq(row.dir, SK_S2C);
    ck_assert_str_eq(row.head, "ICMP");
    ck_assert_str_eq(row.nums, "port unreachable");

    r.kind = SK_K_UDP;
    r.status = SK_TRUNCATED;
    r.events = 1u << SK_EV_BAD_PACKET;
    sk_ladder_row(&r, NULL, &u, NULL, 0, &row);
    ck_assert_str_eq(row.head, "!UDP"); /* damaged packets are marked first thing */
}
END_TEST

START_TEST(test_conversation_sentences)
{
    conv.pkts[SK_CLIENT] = 5;
    conv.pkts[SK_SERVER] = 4;
    conv.bytes[SK_CLIENT] = 13;
    conv.bytes[SK_SERVER] = 10;
    conv.first_ts = 1000000000;
    conv.last_ts = 1012000000;
    conv.tcp.opened = SK_OPEN_HANDSHAKE;
    conv.tcp.ended = SK_END_FIN_CLIENT;
    char buf[512];
    size_t n = sk_conv_summary(&conv, buf, sizeof buf);
    ck_assert_uint_eq(n, strlen(buf));
    ck_assert_str_eq(buf, "Summary. Client 127.0.0.1:40000: packets 5, data bytes 13. Server "
                          "127.0.0.1:6666: packets 4, data bytes 10. Opened: handshake. Ended: "
                          "client closed first. Lasted 0.012000 s.");
    ck_assert_str_eq(sk_conv_how(&conv, buf, sizeof buf), "handshake, client closed first");
    ck_assert_str_eq(sk_conv_endpoints(&conv, buf, sizeof buf), "127.0.0.1:40000 -> 127.0.0.1:6666");
    /* Never past the buffer, always terminated. */
    for (size_t size = 1; size < 40; size++) {
        char small[40];
        memset(small, 'x', sizeof small);
        n = sk_conv_summary(&conv, small, size);
        ck_assert_uint_lt(n, size);
        ck_assert_int_eq(small[n], '\0');
        ck_assert_int_eq(small[size < sizeof small ? size : sizeof small - 1], 'x');
    }
    struct sk_conv u;
    memset(&u, 0, sizeof u);
    u.proto = 17;
    ck_assert_str_eq(sk_conv_how(&u, buf, sizeof buf), "datagrams");
}
END_TEST

START_TEST(test_refused_server_was_closed_throughout)
{
    /* SYN then RST: the SYN alone suggested a listening server now in
     * SYN_RECEIVED; the capture proved nothing listened. */
    struct sk_rec syn = tcp_rec(SK_C2S, SK_TH_SYN, 1000, 0, 0, SK_ST_SYN_SENT, SK_ST_SYN_RECEIVED);
    struct sk_rec rst = tcp_rec(SK_S2C, SK_TH_RST | SK_TH_ACK, 0, 1001, 0, SK_ST_CLOSED, SK_ST_CLOSED);
    conv.tcp.opened = SK_OPEN_REFUSED;
    struct sk_ladder_row row;
    sk_ladder_row(&syn, NULL, &conv, NULL, 0, &row);
    ck_assert_str_eq(row.state[SK_CLIENT], "SYN_SENT");
    ck_assert_str_eq(row.state[SK_SERVER], "CLOSED");
    sk_ladder_row(&rst, &syn, &conv, NULL, 0, &row);
    ck_assert(!row.changed[SK_SERVER]);
    ck_assert_uint_eq(sk_tcp_shown_states(&conv.tcp, (uint8_t)(SK_ST_CLOSED | SK_ST_LISTEN << 4)),
                      SK_ST_CLOSED | SK_ST_CLOSED << 4);
    /* A connection that opened keeps the record's states. */
    conv.tcp.opened = SK_OPEN_HANDSHAKE;
    sk_ladder_row(&syn, NULL, &conv, NULL, 0, &row);
    ck_assert_str_eq(row.state[SK_SERVER], "SYN_RECEIVED");
}
END_TEST

Suite *ladder_suite(void);
Suite *ladder_suite(void)
{
    Suite *s = suite_create("ladder");
    TCase *tc = tcase_create("Core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_syn_row);
    tcase_add_test(tc, test_data_row_with_preview);
    tcase_add_test(tc, test_window_shown_when_it_matters);
    tcase_add_test(tc, test_udp_icmp_and_damaged_rows);
    tcase_add_test(tc, test_conversation_sentences);
    tcase_add_test(tc, test_refused_server_was_closed_throughout);
    suite_add_tcase(s, tc);
    return s;
}
