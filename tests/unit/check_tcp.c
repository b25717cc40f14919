/* check_tcp.c — the TCP tracker (core/tcp.c, core/tcpseq.c): RFC 9293 states of
 * both ends after every segment, the teacher's events, and Wireshark's analysis
 * events compared with tshark 4.0's verdicts on real captures (tests/data/tcp-*). */
#include <check.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "tcp.h"

#define EV(e) (1u << (e))

/* ================================================================== hand-built segments
 *
 * A connection between a client (side 0) and a server (side 1): seg() builds
 * one segment, feed() tracks it and returns what the tracker said. */

struct conn {
    struct sk_tcp_conv t;
    struct sk_tcp_result r;
    int64_t now;  /* ns; advanced 1 ms per segment unless set */
    bool started;
};

static struct sk_packet seg(uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len, uint16_t win)
{
    struct sk_packet p;
    memset(&p, 0, sizeof p);
    p.l3 = SK_L3_IPV4;
    p.l4 = SK_L4_TCP;
    p.tcp.flags = flags;
    p.tcp.seq = seq;
    p.tcp.ack = ack;
    p.tcp.win = win;
    p.payload_len = len;
    return p;
}

static uint32_t feed(struct conn *c, int dir, struct sk_packet p)
{
    c->now += 1000000;
    p.ts_ns = c->now;
    if (!c->started) {
        sk_tcp_init(&c->t, dir, &p);
        c->started = true;
    }
    sk_tcp_track(&c->t, dir, &p, &c->r);
    return c->r.events;
}

#define ck_states(c, cs, ss)                                                                      \
    do {                                                                                          \
        ck_assert_str_eq(sk_state_name((enum sk_state)(c)->r.after[SK_CLIENT]), sk_state_name(cs)); \
        ck_assert_str_eq(sk_state_name((enum sk_state)(c)->r.after[SK_SERVER]), sk_state_name(ss)); \
    } while (0)

#define ck_before(c, cs, ss)                                                                       \
    do {                                                                                           \
        ck_assert_str_eq(sk_state_name((enum sk_state)(c)->r.before[SK_CLIENT]), sk_state_name(cs)); \
        ck_assert_str_eq(sk_state_name((enum sk_state)(c)->r.before[SK_SERVER]), sk_state_name(ss)); \
    } while (0)

/* The events exactly (names on failure, to read the difference). */
static void ck_events(uint32_t got, uint32_t want, int line)
{
    if (got == want)
        return;
    char g[512] = "", w[512] = "";
    for (int e = 0; e < SK_EV__COUNT; e++) {
        if (got & EV(e)) {
            strcat(g, sk_event_name((enum sk_event)e));
            strcat(g, " ");
        }
        if (want & EV(e)) {
            strcat(w, sk_event_name((enum sk_event)e));
            strcat(w, " ");
        }
    }
    ck_abort_msg("line %d: events [%s] expected [%s]", line, g, w);
}
#define CK_EV(got, want) ck_events((got), (want), __LINE__)

enum { CI = 1000, SI = 5000 }; /* the ISNs of the hand-built connections */

/* SYN, SYN-ACK, ACK: the states after each, and the relative numbers. */
static void handshake(struct conn *c)
{
    CK_EV(feed(c, SK_C2S, seg(SK_TH_SYN, CI, 0, 0, 64240)), EV(SK_EV_SYN));
    ck_before(c, SK_ST_CLOSED, SK_ST_LISTEN);
    ck_states(c, SK_ST_SYN_SENT, SK_ST_SYN_RECEIVED);
    CK_EV(feed(c, SK_S2C, seg(SK_TH_SYN | SK_TH_ACK, SI, CI + 1, 0, 65160)), EV(SK_EV_SYNACK));
    ck_states(c, SK_ST_ESTABLISHED, SK_ST_SYN_RECEIVED);
    CK_EV(feed(c, SK_C2S, seg(SK_TH_ACK, CI + 1, SI + 1, 0, 502)),
          EV(SK_EV_HS_ACK) | EV(SK_EV_ACK));
    ck_states(c, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
    ck_assert_int_eq(c->t.opened, SK_OPEN_HANDSHAKE);
}

START_TEST(test_tcp_handshake_data_close)
{
    struct conn c = {0};
    handshake(&c);
    ck_assert_uint_eq(sk_tcp_rel_seq(&c.t, SK_C2S, CI), 0);
    ck_assert_uint_eq(sk_tcp_rel_seq(&c.t, SK_C2S, CI + 1), 1);
    ck_assert_uint_eq(sk_tcp_rel_ack(&c.t, SK_C2S, SI + 1), 1);
    ck_assert_uint_eq(sk_tcp_rel_ack(&c.t, SK_S2C, CI + 14), 14);

    /* write(13 bytes), the server's ACK, its answer, the client's ACK */
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK | SK_TH_PSH, CI + 1, SI + 1, 13, 502)), EV(SK_EV_DATA));
    ck_states(&c, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK, SI + 1, CI + 14, 0, 509)), EV(SK_EV_ACK));
    ck_states(&c, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK | SK_TH_PSH, SI + 1, CI + 14, 10, 509)), EV(SK_EV_DATA));
    ck_states(&c, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 14, SI + 11, 0, 502)), EV(SK_EV_ACK));
    ck_states(&c, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);

    /* the client closes first: FIN_WAIT_1 / CLOSE_WAIT */
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK | SK_TH_FIN, CI + 14, SI + 11, 0, 502)), EV(SK_EV_FIN));
    ck_states(&c, SK_ST_FIN_WAIT_1, SK_ST_CLOSE_WAIT);
    ck_assert_int_eq(c.t.ended, SK_END_HALF_CLOSED);
    /* the server's ACK of the FIN: FIN_WAIT_2 */
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK, SI + 11, CI + 15, 0, 509)),
          EV(SK_EV_FIN_ACKED) | EV(SK_EV_ACK));
    ck_states(&c, SK_ST_FIN_WAIT_2, SK_ST_CLOSE_WAIT);
    /* the server's FIN: LAST_ACK, and the client enters TIME_WAIT */
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK | SK_TH_FIN, SI + 11, CI + 15, 0, 509)), EV(SK_EV_FIN));
    ck_before(&c, SK_ST_FIN_WAIT_2, SK_ST_CLOSE_WAIT);
    ck_states(&c, SK_ST_TIME_WAIT, SK_ST_LAST_ACK);
    /* the last ACK: the server is CLOSED; TIME_WAIT only on the active closer */
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 15, SI + 12, 0, 502)),
          EV(SK_EV_FIN_ACKED) | EV(SK_EV_ACK));
    ck_states(&c, SK_ST_TIME_WAIT, SK_ST_CLOSED);
    ck_assert_int_eq(c.t.ended, SK_END_FIN_CLIENT);
    ck_assert_int_eq(c.t.first_fin, 1 + SK_CLIENT);
    ck_assert_uint_eq(c.t.side[SK_CLIENT].fin_seq, CI + 14);
}
END_TEST

START_TEST(test_tcp_fin_ack_together_and_server_first)
{
    struct conn c = {0};
    handshake(&c);
    /* the server closes first; the client's FIN carries the ACK of it */
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK | SK_TH_FIN, SI + 1, CI + 1, 0, 509)), EV(SK_EV_FIN));
    ck_states(&c, SK_ST_CLOSE_WAIT, SK_ST_FIN_WAIT_1);
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK | SK_TH_FIN, CI + 1, SI + 2, 0, 502)),
          EV(SK_EV_FIN) | EV(SK_EV_FIN_ACKED));
    /* FIN_WAIT_1 + ACK of its FIN → FIN_WAIT_2, + FIN → TIME_WAIT */
    ck_states(&c, SK_ST_LAST_ACK, SK_ST_TIME_WAIT);
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK, SI + 2, CI + 2, 0, 509)),
          EV(SK_EV_FIN_ACKED) | EV(SK_EV_ACK));
    ck_states(&c, SK_ST_CLOSED, SK_ST_TIME_WAIT);
    ck_assert_int_eq(c.t.ended, SK_END_FIN_SERVER);
}
END_TEST

START_TEST(test_tcp_half_close)
{
    struct conn c = {0};
    handshake(&c);
    /* shutdown(SHUT_WR) with the data: DATA and FIN in one segment */
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK | SK_TH_PSH | SK_TH_FIN, CI + 1, SI + 1, 13, 502)),
          EV(SK_EV_DATA) | EV(SK_EV_FIN));
    ck_states(&c, SK_ST_FIN_WAIT_1, SK_ST_CLOSE_WAIT);
    ck_assert_uint_eq(c.t.side[SK_CLIENT].fin_seq, CI + 14);
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK, SI + 1, CI + 15, 0, 509)),
          EV(SK_EV_FIN_ACKED) | EV(SK_EV_ACK));
    ck_states(&c, SK_ST_FIN_WAIT_2, SK_ST_CLOSE_WAIT);
    /* the server keeps writing after the client's FIN */
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK | SK_TH_PSH, SI + 1, CI + 15, 10, 509)),
          EV(SK_EV_DATA) | EV(SK_EV_HALF_CLOSE));
    ck_states(&c, SK_ST_FIN_WAIT_2, SK_ST_CLOSE_WAIT);
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 15, SI + 11, 0, 502)), EV(SK_EV_ACK));
    ck_states(&c, SK_ST_FIN_WAIT_2, SK_ST_CLOSE_WAIT);
    /* its last data rides on its FIN */
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK | SK_TH_FIN, SI + 11, CI + 15, 5, 509)),
          EV(SK_EV_DATA) | EV(SK_EV_HALF_CLOSE) | EV(SK_EV_FIN));
    ck_states(&c, SK_ST_TIME_WAIT, SK_ST_LAST_ACK);
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 15, SI + 17, 0, 502)),
          EV(SK_EV_FIN_ACKED) | EV(SK_EV_ACK));
    ck_states(&c, SK_ST_TIME_WAIT, SK_ST_CLOSED);
}
END_TEST

START_TEST(test_tcp_rst_and_refused)
{
    struct conn c = {0};
    handshake(&c);
    /* close() with SO_LINGER 0 */
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_RST | SK_TH_ACK, CI + 1, SI + 1, 0, 502)), EV(SK_EV_RST));
    ck_before(&c, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
    ck_states(&c, SK_ST_CLOSED, SK_ST_CLOSED);
    ck_assert_int_eq(c.t.ended, SK_END_RST_CLIENT);
    ck_assert(c.t.side[SK_CLIENT].flags & SK_SIDE_RST);

    /* connect() to a port where nothing listens */
    struct conn d = {0};
    CK_EV(feed(&d, SK_C2S, seg(SK_TH_SYN, CI, 0, 0, 64240)), EV(SK_EV_SYN));
    ck_states(&d, SK_ST_SYN_SENT, SK_ST_SYN_RECEIVED);
    CK_EV(feed(&d, SK_S2C, seg(SK_TH_RST | SK_TH_ACK, 0, CI + 1, 0, 0)),
          EV(SK_EV_RST) | EV(SK_EV_REFUSED));
    ck_before(&d, SK_ST_SYN_SENT, SK_ST_SYN_RECEIVED);
    ck_states(&d, SK_ST_CLOSED, SK_ST_CLOSED);
    ck_assert_int_eq(d.t.opened, SK_OPEN_REFUSED);
    ck_assert_int_eq(d.t.ended, SK_END_RST_SERVER);

    /* a RST whose ACK is not the SYN's: reset, not "refused" */
    struct conn e = {0};
    feed(&e, SK_C2S, seg(SK_TH_SYN, CI, 0, 0, 64240));
    ck_states(&e, SK_ST_SYN_SENT, SK_ST_SYN_RECEIVED);
    CK_EV(feed(&e, SK_S2C, seg(SK_TH_RST | SK_TH_ACK, 0, CI + 77, 0, 0)),
          EV(SK_EV_RST) | EV(SK_EV_ACKED_UNSEEN));
    ck_states(&e, SK_ST_CLOSED, SK_ST_CLOSED);
}
END_TEST

START_TEST(test_tcp_data_to_closed_socket)
{
    /* The server close()s at once; data arriving later is answered by RST. */
    struct conn c = {0};
    handshake(&c);
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK | SK_TH_FIN, SI + 1, CI + 1, 0, 509)), EV(SK_EV_FIN));
    ck_states(&c, SK_ST_CLOSE_WAIT, SK_ST_FIN_WAIT_1);
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 1, SI + 2, 0, 502)),
          EV(SK_EV_FIN_ACKED) | EV(SK_EV_ACK));
    ck_states(&c, SK_ST_CLOSE_WAIT, SK_ST_FIN_WAIT_2);
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK | SK_TH_PSH, CI + 1, SI + 2, 13, 502)),
          EV(SK_EV_DATA) | EV(SK_EV_HALF_CLOSE));
    ck_states(&c, SK_ST_CLOSE_WAIT, SK_ST_FIN_WAIT_2);
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_RST, SI + 2, 0, 0, 0)), EV(SK_EV_RST));
    ck_before(&c, SK_ST_CLOSE_WAIT, SK_ST_FIN_WAIT_2);
    ck_states(&c, SK_ST_CLOSED, SK_ST_CLOSED);
    ck_assert_int_eq(c.t.ended, SK_END_RST_SERVER);
    /* a segment still in flight after the RST changes nothing */
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK | SK_TH_PSH, CI + 14, SI + 2, 13, 502)), EV(SK_EV_DATA));
    ck_states(&c, SK_ST_CLOSED, SK_ST_CLOSED);
    /* a RST after a graceful close answers a stray segment: still a graceful end */
    struct conn d = {0};
    handshake(&d);
    feed(&d, SK_C2S, seg(SK_TH_ACK | SK_TH_FIN, CI + 1, SI + 1, 0, 502));
    ck_states(&d, SK_ST_FIN_WAIT_1, SK_ST_CLOSE_WAIT);
    feed(&d, SK_S2C, seg(SK_TH_ACK | SK_TH_FIN, SI + 1, CI + 2, 0, 509));
    ck_states(&d, SK_ST_TIME_WAIT, SK_ST_LAST_ACK);
    feed(&d, SK_C2S, seg(SK_TH_ACK, CI + 2, SI + 2, 0, 502));
    ck_states(&d, SK_ST_TIME_WAIT, SK_ST_CLOSED);
    CK_EV(feed(&d, SK_C2S, seg(SK_TH_ACK | SK_TH_PSH, CI + 2, SI + 2, 5, 502)), EV(SK_EV_DATA));
    ck_states(&d, SK_ST_TIME_WAIT, SK_ST_CLOSED);
    CK_EV(feed(&d, SK_S2C, seg(SK_TH_RST, SI + 2, 0, 0, 0)), EV(SK_EV_RST));
    ck_states(&d, SK_ST_CLOSED, SK_ST_CLOSED);
    ck_assert_int_eq(d.t.ended, SK_END_FIN_CLIENT);
}
END_TEST

START_TEST(test_tcp_simultaneous_open_close)
{
    struct conn c = {0};
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_SYN, CI, 0, 0, 64240)), EV(SK_EV_SYN));
    ck_states(&c, SK_ST_SYN_SENT, SK_ST_SYN_RECEIVED);
    /* the other side's SYN crossed it */
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_SYN, SI, 0, 0, 64240)),
          EV(SK_EV_SYN) | EV(SK_EV_SIM_OPEN));
    ck_states(&c, SK_ST_SYN_RECEIVED, SK_ST_SYN_RECEIVED);
    ck_assert_int_eq(c.t.opened, SK_OPEN_SIMULTANEOUS);
    /* each answers with a SYN-ACK: the receiver of each is ESTABLISHED */
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_SYN | SK_TH_ACK, CI, SI + 1, 0, 64240)),
          EV(SK_EV_SYNACK) | EV(SK_EV_RETRANS));
    ck_states(&c, SK_ST_SYN_RECEIVED, SK_ST_ESTABLISHED);
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_SYN | SK_TH_ACK, SI, CI + 1, 0, 64240)),
          EV(SK_EV_SYNACK) | EV(SK_EV_RETRANS));
    ck_states(&c, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
    ck_assert_int_eq(c.t.opened, SK_OPEN_SIMULTANEOUS);

    /* both close at once: the FINs cross (neither acknowledges the other) */
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK | SK_TH_FIN, CI + 1, SI + 1, 0, 502)), EV(SK_EV_FIN));
    ck_states(&c, SK_ST_FIN_WAIT_1, SK_ST_CLOSE_WAIT);
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK | SK_TH_FIN, SI + 1, CI + 1, 0, 502)),
          EV(SK_EV_FIN) | EV(SK_EV_SIM_CLOSE));
    ck_states(&c, SK_ST_CLOSING, SK_ST_CLOSING);
    ck_assert_int_eq(c.t.ended, SK_END_SIM_CLOSE);
    /* the ACKs: CLOSING → TIME_WAIT on both sides */
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 2, SI + 2, 0, 502)),
          EV(SK_EV_FIN_ACKED) | EV(SK_EV_ACK));
    ck_states(&c, SK_ST_CLOSING, SK_ST_TIME_WAIT);
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK, SI + 2, CI + 2, 0, 502)),
          EV(SK_EV_FIN_ACKED) | EV(SK_EV_ACK));
    ck_states(&c, SK_ST_TIME_WAIT, SK_ST_TIME_WAIT);
    ck_assert_int_eq(c.t.ended, SK_END_SIM_CLOSE);
}
END_TEST

START_TEST(test_tcp_retransmitted_syn_synack_fin)
{
    struct conn c = {0};
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_SYN, CI, 0, 0, 64240)), EV(SK_EV_SYN));
    ck_states(&c, SK_ST_SYN_SENT, SK_ST_SYN_RECEIVED);
    c.now += 1000000000; /* one second later: connect() sends the SYN again */
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_SYN, CI, 0, 0, 64240)), EV(SK_EV_SYN) | EV(SK_EV_RETRANS));
    ck_states(&c, SK_ST_SYN_SENT, SK_ST_SYN_RECEIVED);
    ck_assert(!sk_tcp_is_new_connection(&c.t, SK_C2S, &(struct sk_packet){
        .l4 = SK_L4_TCP, .tcp = {.seq = CI, .flags = SK_TH_SYN}}));
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_SYN | SK_TH_ACK, SI, CI + 1, 0, 65160)), EV(SK_EV_SYNACK));
    ck_states(&c, SK_ST_ESTABLISHED, SK_ST_SYN_RECEIVED);
    c.now += 1000000000;
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_SYN | SK_TH_ACK, SI, CI + 1, 0, 65160)),
          EV(SK_EV_SYNACK) | EV(SK_EV_RETRANS));
    ck_states(&c, SK_ST_ESTABLISHED, SK_ST_SYN_RECEIVED);
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 1, SI + 1, 0, 502)),
          EV(SK_EV_HS_ACK) | EV(SK_EV_ACK));
    ck_states(&c, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK | SK_TH_FIN, CI + 1, SI + 1, 0, 502)), EV(SK_EV_FIN));
    ck_states(&c, SK_ST_FIN_WAIT_1, SK_ST_CLOSE_WAIT);
    c.now += 300000000;
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK | SK_TH_FIN, CI + 1, SI + 1, 0, 502)),
          EV(SK_EV_FIN) | EV(SK_EV_RETRANS));
    ck_states(&c, SK_ST_FIN_WAIT_1, SK_ST_CLOSE_WAIT);
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK | SK_TH_FIN, SI + 1, CI + 2, 0, 509)),
          EV(SK_EV_FIN) | EV(SK_EV_FIN_ACKED));
    ck_states(&c, SK_ST_TIME_WAIT, SK_ST_LAST_ACK);
}
END_TEST

START_TEST(test_tcp_fast_open)
{
    /* TCP Fast Open: 13 bytes on the SYN, accepted by the SYN-ACK */
    struct conn c = {0};
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_SYN, CI, 0, 13, 64240)), EV(SK_EV_SYN) | EV(SK_EV_DATA));
    ck_states(&c, SK_ST_SYN_SENT, SK_ST_SYN_RECEIVED);
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_SYN | SK_TH_ACK, SI, CI + 14, 0, 65160)), EV(SK_EV_SYNACK));
    ck_states(&c, SK_ST_ESTABLISHED, SK_ST_SYN_RECEIVED);
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 14, SI + 1, 0, 502)),
          EV(SK_EV_HS_ACK) | EV(SK_EV_ACK));
    ck_states(&c, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
    ck_assert_uint_eq(c.t.side[SK_CLIENT].max_seq, CI + 14);
}
END_TEST

START_TEST(test_tcp_midstream)
{
    /* The capture starts on a data segment: both ESTABLISHED, ISN = seq - 1. */
    struct conn c = {0};
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK | SK_TH_PSH, 777777, 123456, 100, 509)),
          EV(SK_EV_DATA) | EV(SK_EV_MIDSTREAM));
    ck_before(&c, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
    ck_states(&c, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
    ck_assert_int_eq(c.t.opened, SK_OPEN_MIDSTREAM);
    ck_assert_uint_eq(sk_tcp_rel_seq(&c.t, SK_S2C, 777777), 1);
    ck_assert_uint_eq(sk_tcp_rel_ack(&c.t, SK_S2C, 123456), 1);
    ck_assert_uint_eq(sk_tcp_rel_seq(&c.t, SK_C2S, 123456), 1);
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, 123456, 777877, 0, 502)), EV(SK_EV_ACK));
    ck_states(&c, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
    ck_assert_uint_eq(sk_tcp_rel_ack(&c.t, SK_C2S, 777877), 101);
    /* its first segment may be a FIN: "unless the flags say otherwise" */
    struct conn d = {0};
    CK_EV(feed(&d, SK_C2S, seg(SK_TH_ACK | SK_TH_FIN, 5, 9, 0, 502)),
          EV(SK_EV_FIN) | EV(SK_EV_MIDSTREAM));
    ck_before(&d, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
    ck_states(&d, SK_ST_FIN_WAIT_1, SK_ST_CLOSE_WAIT);
    /* a lone RST: nothing known before, both closed after */
    struct conn e = {0};
    CK_EV(feed(&e, SK_S2C, seg(SK_TH_RST, 5, 0, 0, 0)), EV(SK_EV_RST));
    ck_before(&e, SK_ST_UNKNOWN, SK_ST_UNKNOWN);
    ck_states(&e, SK_ST_CLOSED, SK_ST_CLOSED);
}
END_TEST

START_TEST(test_tcp_one_direction)
{
    /* Only the client's segments were captured: the server's states are
     * inferred from what the client acknowledges. */
    struct conn c = {0};
    feed(&c, SK_C2S, seg(SK_TH_SYN, CI, 0, 0, 64240));
    ck_states(&c, SK_ST_SYN_SENT, SK_ST_SYN_RECEIVED);
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 1, SI + 1, 0, 502)),
          EV(SK_EV_HS_ACK) | EV(SK_EV_ACK));
    ck_states(&c, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
    ck_assert_uint_eq(sk_tcp_rel_ack(&c.t, SK_C2S, SI + 1), 1); /* the ISN from ack - 1 */
    feed(&c, SK_C2S, seg(SK_TH_ACK | SK_TH_FIN, CI + 1, SI + 1, 0, 502));
    ck_states(&c, SK_ST_FIN_WAIT_1, SK_ST_CLOSE_WAIT);

    /* Only the server's: a SYN-ACK first (its SYN not captured), then data. */
    struct conn d = {0};
    CK_EV(feed(&d, SK_S2C, seg(SK_TH_SYN | SK_TH_ACK, SI, CI + 1, 0, 65160)), EV(SK_EV_SYNACK));
    ck_before(&d, SK_ST_SYN_SENT, SK_ST_SYN_RECEIVED);
    ck_states(&d, SK_ST_ESTABLISHED, SK_ST_SYN_RECEIVED);
    CK_EV(feed(&d, SK_S2C, seg(SK_TH_ACK | SK_TH_PSH, SI + 1, CI + 14, 10, 509)), EV(SK_EV_DATA));
    ck_states(&d, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
}
END_TEST

START_TEST(test_tcp_port_reuse)
{
    struct conn c = {0};
    handshake(&c);
    struct sk_packet again = seg(SK_TH_SYN, CI + 5000, 0, 0, 64240);
    /* a new ISN on a live connection, within its window: not a new one */
    struct sk_packet near = seg(SK_TH_SYN, CI + 100, 0, 0, 64240);
    ck_assert(!sk_tcp_is_new_connection(&c.t, SK_C2S, &near));
    /* far outside the window: a new connection */
    struct sk_packet far = seg(SK_TH_SYN, CI + 0x40000000u, 0, 0, 64240);
    ck_assert(sk_tcp_is_new_connection(&c.t, SK_C2S, &far));
    /* after the close, any new ISN is a new connection; the same ISN is not */
    feed(&c, SK_C2S, seg(SK_TH_ACK | SK_TH_FIN, CI + 1, SI + 1, 0, 502));
    ck_states(&c, SK_ST_FIN_WAIT_1, SK_ST_CLOSE_WAIT);
    feed(&c, SK_S2C, seg(SK_TH_ACK | SK_TH_FIN, SI + 1, CI + 2, 0, 509));
    ck_states(&c, SK_ST_TIME_WAIT, SK_ST_LAST_ACK);
    ck_assert(!sk_tcp_is_new_connection(&c.t, SK_C2S, &again));
    feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 2, SI + 2, 0, 502));
    ck_states(&c, SK_ST_TIME_WAIT, SK_ST_CLOSED);
    ck_assert(sk_tcp_is_new_connection(&c.t, SK_C2S, &again));
    struct sk_packet same = seg(SK_TH_SYN, CI, 0, 0, 64240);
    ck_assert(!sk_tcp_is_new_connection(&c.t, SK_C2S, &same));
    /* a SYN-ACK never starts one */
    struct sk_packet sa = seg(SK_TH_SYN | SK_TH_ACK, SI + 5555, CI + 1, 0, 1);
    ck_assert(!sk_tcp_is_new_connection(&c.t, SK_S2C, &sa));
    /* after a reset too (and from the former server's side) */
    struct conn d = {0};
    handshake(&d);
    feed(&d, SK_S2C, seg(SK_TH_RST, SI + 1, 0, 0, 0));
    ck_states(&d, SK_ST_CLOSED, SK_ST_CLOSED);
    struct sk_packet back = seg(SK_TH_SYN, SI + 1234, 0, 0, 64240);
    ck_assert(sk_tcp_is_new_connection(&d.t, SK_S2C, &back));
}
END_TEST

/* Window and options: MSS, scaling (RFC 7323), the scaled window. */
START_TEST(test_tcp_window_scale)
{
    struct conn c = {0};
    struct sk_packet syn = seg(SK_TH_SYN, CI, 0, 0, 64240);
    syn.tcp.opt.has_mss = true;
    syn.tcp.opt.mss = 1460;
    syn.tcp.opt.has_wscale = true;
    syn.tcp.opt.wscale = 7;
    syn.tcp.opt.sack_perm = true;
    feed(&c, SK_C2S, syn);
    ck_states(&c, SK_ST_SYN_SENT, SK_ST_SYN_RECEIVED);
    struct sk_packet sa = seg(SK_TH_SYN | SK_TH_ACK, SI, CI + 1, 0, 65160);
    sa.tcp.opt.has_wscale = true;
    sa.tcp.opt.wscale = 20; /* more than 14: RFC 7323 says use 14 */
    feed(&c, SK_S2C, sa);
    ck_states(&c, SK_ST_ESTABLISHED, SK_ST_SYN_RECEIVED);
    ck_assert_int_eq(c.t.side[SK_CLIENT].mss, 1460);
    ck_assert_int_eq(c.t.side[SK_CLIENT].wscale, 7);
    ck_assert_int_eq(c.t.side[SK_SERVER].wscale, 14);
    ck_assert(c.t.side[SK_CLIENT].flags & SK_SIDE_SACK);
    ck_assert_uint_eq(c.t.side[SK_SERVER].win, 65160); /* a SYN's window is not scaled */
    feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 1, SI + 1, 0, 502));
    ck_states(&c, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
    ck_assert_uint_eq(c.t.side[SK_CLIENT].win, 502u << 7);
    ck_assert_uint_eq(c.t.side[SK_CLIENT].raw_win, 502);

    /* offered by one SYN only: not used */
    struct conn d = {0};
    feed(&d, SK_C2S, syn);
    ck_states(&d, SK_ST_SYN_SENT, SK_ST_SYN_RECEIVED);
    feed(&d, SK_S2C, seg(SK_TH_SYN | SK_TH_ACK, SI, CI + 1, 0, 65160));
    ck_states(&d, SK_ST_ESTABLISHED, SK_ST_SYN_RECEIVED);
    feed(&d, SK_C2S, seg(SK_TH_ACK, CI + 1, SI + 1, 0, 502));
    ck_states(&d, SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
    ck_assert_int_eq(d.t.side[SK_CLIENT].wscale, -1);
    ck_assert_uint_eq(d.t.side[SK_CLIENT].win, 502);
}
END_TEST

/* ------------------------------------------------------------------ Wireshark's events, by hand */

START_TEST(test_tcp_dup_acks_fast_retransmission)
{
    struct conn c = {0};
    handshake(&c);
    uint32_t s = SI + 1;
    /* four segments of 100 bytes; the second is lost before the capture */
    feed(&c, SK_S2C, seg(SK_TH_ACK, s, CI + 1, 100, 509));
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 1, s + 100, 0, 502)), EV(SK_EV_ACK));
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK, s + 200, CI + 1, 100, 509)),
          EV(SK_EV_DATA) | EV(SK_EV_LOST_SEGMENT));
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 1, s + 100, 0, 502)),
          EV(SK_EV_ACK) | EV(SK_EV_DUP_ACK));
    ck_assert_uint_eq(c.r.aux, 1);
    feed(&c, SK_S2C, seg(SK_TH_ACK, s + 300, CI + 1, 100, 509));
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 1, s + 100, 0, 502)),
          EV(SK_EV_ACK) | EV(SK_EV_DUP_ACK));
    ck_assert_uint_eq(c.r.aux, 2);
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 1, s + 100, 0, 502)),
          EV(SK_EV_ACK) | EV(SK_EV_DUP_ACK));
    ck_assert_uint_eq(c.r.aux, 3);
    /* within 20 ms of the third duplicate, at the sequence number they ask for */
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK, s + 100, CI + 1, 100, 509)),
          EV(SK_EV_DATA) | EV(SK_EV_FAST_RETRANS) | EV(SK_EV_RETRANS));
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 1, s + 400, 0, 502)), EV(SK_EV_ACK));
    ck_assert_uint_eq(c.r.aux, 0);
    ck_assert_uint_eq(c.t.side[SK_CLIENT].dup_acks, 0);
    /* the same data again, long after it was acknowledged: spurious */
    c.now += 500000000;
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK, s + 300, CI + 1, 100, 509)),
          EV(SK_EV_DATA) | EV(SK_EV_SPURIOUS_RETRANS) | EV(SK_EV_RETRANS));
}
END_TEST

START_TEST(test_tcp_retransmission_vs_out_of_order)
{
    /* The handshake's RTT (SYN to the first ACK) is 2 ms here: a hole filled
     * sooner than that after the highest segment is out-of-order, later it
     * is a retransmission. */
    struct conn c = {0};
    handshake(&c);
    uint32_t s = SI + 1;
    feed(&c, SK_S2C, seg(SK_TH_ACK, s + 100, CI + 1, 100, 509)); /* first one overtaken */
    c.now -= 500000; /* 0.5 ms later, the one it overtook */
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK, s, CI + 1, 100, 509)),
          EV(SK_EV_DATA) | EV(SK_EV_OUT_OF_ORDER));
    c.now += 50000000;
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK, s, CI + 1, 100, 509)),
          EV(SK_EV_DATA) | EV(SK_EV_RETRANS));
    /* a keep-alive is never a retransmission */
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 1, s + 200, 0, 502)), EV(SK_EV_ACK));
    c.now += 1000000000;
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK, s + 199, CI + 1, 0, 509)),
          EV(SK_EV_ACK) | EV(SK_EV_KEEPALIVE));
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 1, s + 200, 0, 502)),
          EV(SK_EV_ACK) | EV(SK_EV_KEEPALIVE_ACK));
    /* ... not a duplicate ACK either, as long as the keep-alive is the
     * peer's last segment */
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 1, s + 200, 0, 502)),
          EV(SK_EV_ACK) | EV(SK_EV_KEEPALIVE_ACK));
    feed(&c, SK_S2C, seg(SK_TH_ACK, s + 200, CI + 1, 0, 509));
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 1, s + 200, 0, 502)),
          EV(SK_EV_ACK) | EV(SK_EV_DUP_ACK));
}
END_TEST

START_TEST(test_tcp_zero_window)
{
    struct conn c = {0};
    handshake(&c);
    uint32_t s = SI + 1;
    feed(&c, SK_S2C, seg(SK_TH_ACK, s, CI + 1, 500, 509));
    /* the receiver's buffer is full */
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 1, s + 500, 0, 0)),
          EV(SK_EV_ACK) | EV(SK_EV_ZERO_WINDOW));
    /* one byte into the closed window */
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK, s + 500, CI + 1, 1, 509)),
          EV(SK_EV_DATA) | EV(SK_EV_ZERO_WINDOW_PROBE));
    /* still zero: the probe's ACK is neither a dup ACK nor an update */
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 1, s + 500, 0, 0)),
          EV(SK_EV_ACK) | EV(SK_EV_ZERO_WINDOW));
    /* the same byte again (the probe did not move nextseq): not a retransmission */
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK, s + 500, CI + 1, 1, 509)),
          EV(SK_EV_DATA) | EV(SK_EV_ZERO_WINDOW_PROBE));
    /* read() made room */
    CK_EV(feed(&c, SK_C2S, seg(SK_TH_ACK, CI + 1, s + 500, 0, 300)),
          EV(SK_EV_ACK) | EV(SK_EV_WINDOW_UPDATE));
    /* exactly up to its right edge: window full (no scaling: the SYNs had none) */
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK, s + 500, CI + 1, 300, 509)),
          EV(SK_EV_DATA) | EV(SK_EV_WINDOW_FULL));
}
END_TEST

START_TEST(test_tcp_acked_unseen)
{
    struct conn c = {0};
    handshake(&c);
    feed(&c, SK_C2S, seg(SK_TH_ACK | SK_TH_PSH, CI + 1, SI + 1, 13, 502));
    /* the server acknowledges 13 more bytes than the capture saw */
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK, SI + 1, CI + 27, 0, 509)),
          EV(SK_EV_ACK) | EV(SK_EV_ACKED_UNSEEN));
    /* said once for that loss */
    CK_EV(feed(&c, SK_S2C, seg(SK_TH_ACK, SI + 1, CI + 27, 0, 509)),
          EV(SK_EV_ACK) | EV(SK_EV_DUP_ACK));
    ck_assert_uint_eq(c.r.aux, 1);
}
END_TEST

START_TEST(test_tcp_names)
{
    ck_assert_str_eq(sk_state_name(SK_ST_SYN_RECEIVED), "SYN_RECEIVED");
    ck_assert_str_eq(sk_state_name(SK_ST_UNKNOWN), "?");
    ck_assert_str_eq(sk_state_name((enum sk_state)99), "?");
    for (int s = SK_ST_CLOSED; s < SK_ST__COUNT; s++)
        ck_assert_int_eq(sk_state_from_name(sk_state_name((enum sk_state)s)), s);
    ck_assert_int_eq(sk_state_from_name("SYN_RECV"), SK_ST_SYN_RECEIVED);
    ck_assert_int_eq(sk_state_from_name("FIN_WAIT1"), SK_ST_FIN_WAIT_1);
    ck_assert_int_eq(sk_state_from_name("FIN_WAIT2"), SK_ST_FIN_WAIT_2);
    ck_assert_int_eq(sk_state_from_name("CLOSE"), SK_ST_CLOSED);
    ck_assert_int_eq(sk_state_from_name("time-wait"), SK_ST_TIME_WAIT);
    ck_assert_int_eq(sk_state_from_name("nonsense"), SK_ST_UNKNOWN);
    ck_assert_int_eq(sk_state_from_name("ESTABLISHED_AND_MORE_THAN_SIXTEEN"), SK_ST_UNKNOWN);
    ck_assert_int_eq(sk_state_from_name(NULL), SK_ST_UNKNOWN);
    ck_assert_str_eq(sk_event_name(SK_EV_HS_ACK), "handshake-ack");
    ck_assert_str_eq(sk_event_name(SK_EV_LOST_SEGMENT), "previous-segment-not-captured");
    ck_assert_str_eq(sk_event_name(SK_EV_BAD_PACKET), "malformed");
    for (int e = 0; e < SK_EV__COUNT; e++)
        ck_assert_ptr_nonnull(sk_event_name((enum sk_event)e));
    ck_assert_str_eq(sk_open_name(SK_OPEN_SIMULTANEOUS), "simultaneous open");
    ck_assert_str_eq(sk_end_name(SK_END_RST_SERVER), "reset by server");
}
END_TEST

/* ================================================================== tshark agreement
 *
 * TEST SCAFFOLDING, not the product's decoder: a minimal reader of the few
 * fields the tracker needs (Ethernet / Linux cooked / raw IP, IPv4 / IPv6
 * without extension headers, TCP with its MSS and window-scale options), and a
 * minimal conversation table (linear, a few dozen entries), so that this test
 * does not depend on core/decode.c and core/conv.c. */

struct tconv {
    uint8_t a[2][16]; /* client, server address */
    uint16_t port[2];
    int family;
    struct sk_tcp_conv t;
};

static bool parse_frame(int dlt, const uint8_t *d, uint32_t caplen, uint32_t wirelen,
                        struct sk_packet *p, uint8_t src[16], uint8_t dst[16], int *family)
{
    uint32_t off;
    unsigned et;
    if (dlt == DLT_EN10MB) {
        if (caplen < 14)
            return false;
        et = (unsigned)d[12] << 8 | d[13];
        off = 14;
    } else if (dlt == DLT_LINUX_SLL) {
        if (caplen < 16)
            return false;
        et = (unsigned)d[14] << 8 | d[15];
        off = 16;
    } else if (dlt == DLT_RAW) {
        et = caplen && (d[0] >> 4) == 6 ? 0x86dd : 0x0800;
        off = 0;
    } else {
        return false;
    }
    uint32_t tcp_len;
    memset(src, 0, 16);
    memset(dst, 0, 16);
    if (et == 0x0800) {
        if (caplen < off + 20 || d[off + 9] != 6)
            return false;
        uint32_t ihl = (d[off] & 0x0fu) * 4u;
        uint32_t total = (uint32_t)d[off + 2] << 8 | d[off + 3];
        memcpy(src, d + off + 12, 4);
        memcpy(dst, d + off + 16, 4);
        *family = 4;
        tcp_len = total - ihl;
        off += ihl;
    } else if (et == 0x86dd) {
        if (caplen < off + 40 || d[off + 6] != 6)
            return false;
        memcpy(src, d + off + 8, 16);
        memcpy(dst, d + off + 24, 16);
        *family = 6;
        tcp_len = (uint32_t)d[off + 4] << 8 | d[off + 5];
        off += 40;
    } else {
        return false;
    }
    if (caplen < off + 20)
        return false;
    /* Like tshark, never more than the frame had on the wire. */
    if (wirelen >= off && tcp_len > wirelen - off)
        tcp_len = wirelen - off;
    const uint8_t *t = d + off;
    memset(p, 0, sizeof *p);
    p->l4 = SK_L4_TCP;
    p->sport = (uint16_t)(t[0] << 8 | t[1]);
    p->dport = (uint16_t)(t[2] << 8 | t[3]);
    p->tcp.seq = (uint32_t)t[4] << 24 | (uint32_t)t[5] << 16 | (uint32_t)t[6] << 8 | t[7];
    p->tcp.ack = (uint32_t)t[8] << 24 | (uint32_t)t[9] << 16 | (uint32_t)t[10] << 8 | t[11];
    p->tcp.hlen = (uint8_t)((t[12] >> 4) * 4);
    p->tcp.flags = t[13];
    p->tcp.win = (uint16_t)(t[14] << 8 | t[15]);
    if (tcp_len < p->tcp.hlen)
        return false; /* tshark does not analyse a segment shorter than its header */
    p->payload_len = tcp_len - p->tcp.hlen;
    for (uint32_t i = 20; i < p->tcp.hlen && off + i < caplen;) {
        uint8_t kind = t[i];
        if (kind == 0)
            break;
        if (kind == 1) {
            i++;
            continue;
        }
        if (off + i + 1 >= caplen || t[i + 1] < 2)
            break;
        if (kind == 2 && t[i + 1] == 4 && off + i + 3 < caplen) {
            p->tcp.opt.has_mss = true;
            p->tcp.opt.mss = (uint16_t)(t[i + 2] << 8 | t[i + 3]);
        } else if (kind == 3 && t[i + 1] == 3 && off + i + 2 < caplen) {
            p->tcp.opt.has_wscale = true;
            p->tcp.opt.wscale = t[i + 2];
        } else if (kind == 4) {
            p->tcp.opt.sack_perm = true;
        } else if (kind == 8) {
            p->tcp.opt.has_ts = true;
        }
        i += t[i + 1];
    }
    return true;
}

/* The conversation of a segment, created if new or renewed on port reuse. */
static struct tconv *find_conv(struct tconv *convs, int *n, int max, const struct sk_packet *p,
                               const uint8_t src[16], const uint8_t dst[16], int family,
                               int *dir)
{
    for (int i = *n - 1; i >= 0; i--) {
        struct tconv *c = &convs[i];
        if (c->family != family)
            continue;
        for (int d = 0; d < 2; d++) {
            if (!memcmp(c->a[d], src, 16) && !memcmp(c->a[!d], dst, 16) &&
                c->port[d] == p->sport && c->port[!d] == p->dport) {
                *dir = d;
                if (!sk_tcp_is_new_connection(&c->t, d, p))
                    return c;
                goto create; /* port reuse: a new conversation */
            }
        }
    }
create:
    if (*n == max)
        return NULL;
    struct tconv *c = &convs[(*n)++];
    memset(c, 0, sizeof *c);
    /* The client sent the SYN, or received the SYN-ACK, or sent first. */
    int server_sent = (p->tcp.flags & (SK_TH_SYN | SK_TH_ACK)) == (SK_TH_SYN | SK_TH_ACK);
    memcpy(c->a[server_sent], src, 16);
    memcpy(c->a[!server_sent], dst, 16);
    c->port[server_sent] = p->sport;
    c->port[!server_sent] = p->dport;
    c->family = family;
    *dir = server_sent;
    sk_tcp_init(&c->t, *dir, p);
    return c;
}

/* The analysis events tshark's fields name, in the verdict file's column order. */
static const int shared[] = {
    SK_EV_RETRANS,       SK_EV_FAST_RETRANS, SK_EV_SPURIOUS_RETRANS, SK_EV_OUT_OF_ORDER,
    SK_EV_LOST_SEGMENT,  SK_EV_ACKED_UNSEEN, SK_EV_DUP_ACK,          -1 /* dup ACK number */,
    SK_EV_ZERO_WINDOW,   SK_EV_ZERO_WINDOW_PROBE, SK_EV_WINDOW_UPDATE, SK_EV_WINDOW_FULL,
    SK_EV_KEEPALIVE,     SK_EV_KEEPALIVE_ACK,
};
#define NSHARED ((int)(sizeof shared / sizeof shared[0]))
#define MAXFRAMES 4096

struct verdict {
    uint32_t events; /* tshark's, as SK_EV_* bits */
    uint32_t dupnum;
};

static const char *data_dir(void)
{
    const char *d = getenv("SK_TESTDATA");
    return d ? d : "tests/data";
}

static int load_verdicts(const char *name, struct verdict *v)
{
    char path[512], line[1024];
    snprintf(path, sizeof path, "%s/%s.tshark.txt", data_dir(), name);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        char *cols[NSHARED + 1] = {0};
        char *s = line;
        for (int i = 0; i <= NSHARED && s; i++) {
            cols[i] = s;
            s = strchr(s, '\t');
            if (s)
                *s++ = '\0';
        }
        int frame = atoi(cols[0]);
        ck_assert(frame > 0 && frame < MAXFRAMES);
        memset(&v[frame], 0, sizeof v[frame]);
        for (int i = 0; i < NSHARED; i++) {
            const char *c = cols[i + 1];
            if (!c || !*c || *c == '\n')
                continue;
            if (shared[i] < 0)
                v[frame].dupnum = (uint32_t)atoi(c);
            else
                v[frame].events |= EV(shared[i]);
        }
        if (frame > n)
            n = frame;
    }
    fclose(f);
    return n;
}

static uint32_t shared_mask(void)
{
    uint32_t m = 0;
    for (int i = 0; i < NSHARED; i++)
        if (shared[i] >= 0)
            m |= EV(shared[i]);
    return m;
}

/* Runs capture NAME through the scaffolding and the tracker; returns how many
 * frames disagree with tshark (and says which, for the first few). */
static int compare_capture(const char *name)
{
    static struct verdict want[MAXFRAMES];
    static struct tconv convs[64];
    char path[512], err[PCAP_ERRBUF_SIZE];
    int nframes = load_verdicts(name, want);

    snprintf(path, sizeof path, "%s/%s.pcap", data_dir(), name);
    pcap_t *pc = pcap_open_offline(path, err);
    ck_assert_msg(pc != NULL, "%s", err);
    int dlt = pcap_datalink(pc), nconv = 0, bad = 0, frame = 0;
    unsigned count_ts[SK_EV__COUNT] = {0}, count_us[SK_EV__COUNT] = {0};
    const uint32_t mask = shared_mask();
    struct pcap_pkthdr *h;
    const u_char *d;

    while (pcap_next_ex(pc, &h, &d) == 1) {
        frame++;
        struct sk_packet p;
        uint8_t src[16], dst[16];
        int family, dir;
        uint32_t got = 0, dupnum = 0;
        if (parse_frame(dlt, d, h->caplen, h->len, &p, src, dst, &family)) {
            p.n = (uint32_t)frame;
            p.ts_ns = (int64_t)h->ts.tv_sec * 1000000000 + (int64_t)h->ts.tv_usec * 1000;
            struct tconv *c = find_conv(convs, &nconv, 64, &p, src, dst, family, &dir);
            ck_assert_ptr_nonnull(c);
            struct sk_tcp_result r;
            sk_tcp_track(&c->t, dir, &p, &r);
            got = r.events & mask;
            dupnum = r.aux;
        }
        ck_assert_int_le(frame, nframes);
        for (int e = 0; e < SK_EV__COUNT; e++) {
            count_ts[e] += (want[frame].events >> e) & 1u;
            count_us[e] += (got >> e) & 1u;
        }
        if (got != want[frame].events || dupnum != want[frame].dupnum) {
            if (bad++ < 8) {
                char g[256] = "", w[256] = "";
                for (int e = 0; e < SK_EV__COUNT; e++) {
                    if ((got & ~want[frame].events) & EV(e))
                        strcat(g, sk_event_name((enum sk_event)e)), strcat(g, " ");
                    if ((want[frame].events & ~got) & EV(e))
                        strcat(w, sk_event_name((enum sk_event)e)), strcat(w, " ");
                }
                fprintf(stderr, "%s frame %d: only ours [%s] only tshark's [%s] dup#%u/%u\n",
                        name, frame, g, w, dupnum, want[frame].dupnum);
            }
        }
    }
    pcap_close(pc);
    ck_assert_int_eq(frame, nframes);
    if (getenv("SK_TEST_VERBOSE")) {
        printf("%-14s %5d frames:", name, frame);
        for (int i = 0; i < NSHARED; i++)
            if (shared[i] >= 0 && (count_ts[shared[i]] || count_us[shared[i]]))
                printf(" %s %u/%u", sk_event_name((enum sk_event)shared[i]),
                       count_ts[shared[i]], count_us[shared[i]]);
        printf(" (tshark/ours)\n");
    }
    return bad;
}

static const char *const captures[] = {
    "tcp-craft", "tcp-lo", "tcp-gap", "tcp-loss", "tcp-reorder", "tcp-zerowin",
    "tcp-simul", "tcp-tfo", "tcp-midstream", "tcp-onedir",
};

START_TEST(test_tcp_tshark_agreement)
{
    int bad = compare_capture(captures[_i]);
    ck_assert_msg(bad == 0, "%s: %d frames flagged differently from tshark", captures[_i], bad);
}
END_TEST

/* States on a real capture: every connection of tcp-lo.pcap ends as its
 * scenario says (see tests/data/tcp-captures.sh). */
START_TEST(test_tcp_lo_endings)
{
    static struct tconv convs[64];
    char path[512], err[PCAP_ERRBUF_SIZE];
    snprintf(path, sizeof path, "%s/tcp-lo.pcap", data_dir());
    pcap_t *pc = pcap_open_offline(path, err);
    ck_assert_msg(pc != NULL, "%s", err);
    int dlt = pcap_datalink(pc), nconv = 0;
    struct pcap_pkthdr *h;
    const u_char *d;
    uint32_t seen[64] = {0};
    while (pcap_next_ex(pc, &h, &d) == 1) {
        struct sk_packet p;
        uint8_t src[16], dst[16];
        int family, dir;
        if (!parse_frame(dlt, d, h->caplen, h->len, &p, src, dst, &family))
            continue;
        struct tconv *c = find_conv(convs, &nconv, 64, &p, src, dst, family, &dir);
        struct sk_tcp_result r;
        sk_tcp_track(&c->t, dir, &p, &r);
        seen[c - convs] |= r.events;
    }
    pcap_close(pc);
    /* by server port: 6660 basic .. 6669 keep-alive */
    static const struct {
        uint16_t port;
        uint8_t opened, ended, client, server;
        uint32_t events;
    } want[] = {
        {6660, SK_OPEN_HANDSHAKE, SK_END_FIN_CLIENT, SK_ST_TIME_WAIT, SK_ST_CLOSED, 0},
        {6661, SK_OPEN_HANDSHAKE, SK_END_FIN_CLIENT, SK_ST_TIME_WAIT, SK_ST_CLOSED,
         EV(SK_EV_HALF_CLOSE)},
        {6662, SK_OPEN_HANDSHAKE, SK_END_FIN_SERVER, SK_ST_CLOSED, SK_ST_TIME_WAIT, 0},
        {6663, SK_OPEN_HANDSHAKE, SK_END_RST_CLIENT, SK_ST_CLOSED, SK_ST_CLOSED, EV(SK_EV_RST)},
        {6664, SK_OPEN_HANDSHAKE, SK_END_RST_SERVER, SK_ST_CLOSED, SK_ST_CLOSED, EV(SK_EV_RST)},
        {6665, SK_OPEN_HANDSHAKE, SK_END_RST_SERVER, SK_ST_CLOSED, SK_ST_CLOSED,
         EV(SK_EV_HALF_CLOSE) | EV(SK_EV_RST)},
        {6666, SK_OPEN_HANDSHAKE, SK_END_FIN_CLIENT, SK_ST_TIME_WAIT, SK_ST_CLOSED,
         EV(SK_EV_HALF_CLOSE)},
        {6667, SK_OPEN_REFUSED, SK_END_RST_SERVER, SK_ST_CLOSED, SK_ST_CLOSED,
         EV(SK_EV_REFUSED)},
        {6668, SK_OPEN_HANDSHAKE, SK_END_FIN_CLIENT, SK_ST_TIME_WAIT, SK_ST_CLOSED, 0},
        {6669, SK_OPEN_HANDSHAKE, SK_END_FIN_CLIENT, SK_ST_TIME_WAIT, SK_ST_CLOSED,
         EV(SK_EV_KEEPALIVE) | EV(SK_EV_KEEPALIVE_ACK)},
    };
    ck_assert_int_eq(nconv, 10);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int k = -1;
        for (int j = 0; j < nconv; j++)
            if (convs[j].port[SK_SERVER] == want[i].port)
                k = j;
        ck_assert_msg(k >= 0, "no connection to port %u", want[i].port);
        const struct sk_tcp_conv *t = &convs[k].t;
        ck_assert_msg(t->opened == want[i].opened && t->ended == want[i].ended,
                      "port %u: opened %s ended %s", want[i].port,
                      sk_open_name((enum sk_open)t->opened), sk_end_name((enum sk_end)t->ended));
        ck_assert_str_eq(sk_state_name((enum sk_state)t->side[SK_CLIENT].state),
                         sk_state_name((enum sk_state)want[i].client));
        ck_assert_str_eq(sk_state_name((enum sk_state)t->side[SK_SERVER].state),
                         sk_state_name((enum sk_state)want[i].server));
        ck_assert_msg((seen[k] & want[i].events) == want[i].events, "port %u: events missing",
                      want[i].port);
    }
}
END_TEST

Suite *tcp_suite(void); /* for the runner (tests/unit/main.c) */

Suite *tcp_suite(void)
{
    Suite *s = suite_create("tcp");
    TCase *tc = tcase_create("States");
    tcase_add_test(tc, test_tcp_handshake_data_close);
    tcase_add_test(tc, test_tcp_fin_ack_together_and_server_first);
    tcase_add_test(tc, test_tcp_half_close);
    tcase_add_test(tc, test_tcp_rst_and_refused);
    tcase_add_test(tc, test_tcp_data_to_closed_socket);
    tcase_add_test(tc, test_tcp_simultaneous_open_close);
    tcase_add_test(tc, test_tcp_retransmitted_syn_synack_fin);
    tcase_add_test(tc, test_tcp_fast_open);
    tcase_add_test(tc, test_tcp_midstream);
    tcase_add_test(tc, test_tcp_one_direction);
    tcase_add_test(tc, test_tcp_port_reuse);
    tcase_add_test(tc, test_tcp_window_scale);
    tcase_add_test(tc, test_tcp_names);
    suite_add_tcase(s, tc);
    tc = tcase_create("Analysis");
    tcase_add_test(tc, test_tcp_dup_acks_fast_retransmission);
    tcase_add_test(tc, test_tcp_retransmission_vs_out_of_order);
    tcase_add_test(tc, test_tcp_zero_window);
    tcase_add_test(tc, test_tcp_acked_unseen);
    suite_add_tcase(s, tc);
    tc = tcase_create("Tshark");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, test_tcp_tshark_agreement, 0,
                        (int)(sizeof captures / sizeof captures[0]));
    tcase_add_test(tc, test_tcp_lo_endings);
    suite_add_tcase(s, tc);
    return s;
}
