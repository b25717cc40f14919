/* check_explain.c — the teacher's sentences (core/explain.c): the numbers in them,
 * their length, and that no buffer size makes them overflow. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "conv.h"
#include "explain.h"
#include "tcp.h"
#include "trace.h"

#define EV(e) (1u << (e))

/* A conversation built by hand, and records as the analyzer would make
 * them: each segment goes through the real tracker, its result into a record. */
struct lesson {
    struct sk_conv c;
    struct sk_rec rec[32];
    int n;
    int64_t now;
};

static void lesson_init(struct lesson *l, uint8_t proto, uint16_t cport, uint16_t sport)
{
    memset(l, 0, sizeof *l);
    l->c.proto = proto;
    l->c.port[SK_CLIENT] = cport;
    l->c.port[SK_SERVER] = sport;
    l->c.addr[SK_CLIENT].family = l->c.addr[SK_SERVER].family = 4;
    l->c.addr[SK_CLIENT].b[0] = l->c.addr[SK_SERVER].b[0] = 127;
    l->c.addr[SK_CLIENT].b[3] = l->c.addr[SK_SERVER].b[3] = 1;
    l->now = 1700000000000000000;
}

static const struct sk_rec *tcp_seg(struct lesson *l, int dir, uint8_t flags, uint32_t seq,
                                    uint32_t ack, uint16_t len, uint16_t win,
                                    const struct sk_tcp_options *opt)
{
    struct sk_packet p;
    memset(&p, 0, sizeof p);
    l->now += 1000000;
    p.ts_ns = l->now;
    p.l3 = SK_L3_IPV4;
    p.l4 = SK_L4_TCP;
    p.sport = l->c.port[dir];
    p.dport = l->c.port[!dir];
    p.tcp.flags = flags;
    p.tcp.seq = seq;
    p.tcp.ack = ack;
    p.tcp.win = win;
    if (opt)
        p.tcp.opt = *opt;
    p.payload_len = len;
    if (l->n == 0)
        sk_tcp_init(&l->c.tcp, dir, &p);
    struct sk_tcp_result res;
    sk_tcp_track(&l->c.tcp, dir, &p, &res);
    struct sk_rec *r = &l->rec[l->n++];
    memset(r, 0, sizeof *r);
    r->ts_ns = p.ts_ns;
    r->n = (uint32_t)l->n;
    r->seq = seq;
    r->ack = ack;
    r->events = res.events;
    r->aux = res.aux;
    r->len = len;
    r->win = win;
    r->flags = flags;
    r->kind = (uint8_t)(SK_K_TCP | (dir ? SK_REC_S2C : 0));
    r->states = (uint8_t)(res.after[SK_CLIENT] | res.after[SK_SERVER] << 4);
    return r;
}

/* The record before r in the lesson; NULL for its first and for records
 * built outside it. */
static const struct sk_rec *prev_of(const struct lesson *l, const struct sk_rec *r)
{
    for (int k = 1; k < l->n; k++)
        if (r == &l->rec[k])
            return &l->rec[k - 1];
    return NULL;
}

static const char *explain(const struct lesson *l, const struct sk_rec *r,
                           enum sk_explain_len len)
{
    static char buf[1024];
    size_t n = sk_explain(r, prev_of(l, r), &l->c, len, buf, sizeof buf);
    ck_assert_uint_eq(n, strlen(buf));
    return buf;
}

#define ck_says(text, part)                                                                   \
    ck_assert_msg(strstr((text), (part)) != NULL, "\"%s\"\n   does not say \"%s\"", (text),     \
                  (part))

/* Columns of a UTF-8 string (every character here is one column wide). */
static size_t columns(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static const uint32_t CI = 2732216995u, SI = 1105024977u; /* the two ISNs */

/* The lab's exchange: connect, "HelloWorld!!!" (13 bytes), "goodbye!!!" (10),
 * the client closes first. Only its first `upto` segments. */
static void hello_goodbye_upto(struct lesson *l, int upto)
{
    static const struct {
        int dir;
        uint8_t flags;
        uint32_t seq, ack;
        uint16_t len;
    } script[] = {
        {SK_C2S, SK_TH_SYN, CI, 0, 0},                                    /* 0 */
        {SK_S2C, SK_TH_SYN | SK_TH_ACK, SI, CI + 1, 0},                   /* 1 */
        {SK_C2S, SK_TH_ACK, CI + 1, SI + 1, 0},                           /* 2 */
        {SK_C2S, SK_TH_ACK | SK_TH_PSH, CI + 1, SI + 1, 13},              /* 3 */
        {SK_S2C, SK_TH_ACK, SI + 1, CI + 14, 0},                          /* 4 */
        {SK_S2C, SK_TH_ACK | SK_TH_PSH, SI + 1, CI + 14, 10},             /* 5 */
        {SK_C2S, SK_TH_ACK, CI + 14, SI + 11, 0},                         /* 6 */
        {SK_C2S, SK_TH_ACK | SK_TH_FIN, CI + 14, SI + 11, 0},             /* 7 */
        {SK_S2C, SK_TH_ACK | SK_TH_FIN, SI + 11, CI + 15, 0},             /* 8 */
        {SK_C2S, SK_TH_ACK, CI + 15, SI + 12, 0},                         /* 9 */
    };
    struct sk_tcp_options o = {.has_mss = true, .mss = 65495, .has_wscale = true, .wscale = 7,
                               .sack_perm = true};
    lesson_init(l, 6, 40000, 6666);
    for (int k = 0; k < upto && k < (int)(sizeof script / sizeof script[0]); k++)
        tcp_seg(l, script[k].dir, script[k].flags, script[k].seq, script[k].ack, script[k].len,
                script[k].flags & SK_TH_SYN ? 65495 : 512,
                script[k].flags & SK_TH_SYN ? &o : NULL);
}

static void hello_goodbye(struct lesson *l)
{
    hello_goodbye_upto(l, 10);
}

START_TEST(test_explain_handshake)
{
    struct lesson l;
    hello_goodbye(&l);
    const char *t = explain(&l, &l.rec[0], SK_EXPLAIN_SHORT);
    ck_assert_str_eq(t, "Handshake 1/3: the client asks to connect (SYN).");
    t = explain(&l, &l.rec[0], SK_EXPLAIN_LONG);
    ck_says(t, "connect() sends a SYN to port 6666, offering MSS 65495 and window scale 7");
    ck_says(t, "units of 128 bytes");
    ck_says(t, "Its ISN is 2732216995, shown as 0");
    ck_says(t, "a SYN takes one sequence number");

    t = explain(&l, &l.rec[1], SK_EXPLAIN_SHORT);
    ck_assert_str_eq(t, "Handshake 2/3: the server accepts (SYN-ACK, ack 1).");
    t = explain(&l, &l.rec[1], SK_EXPLAIN_LONG);
    ck_says(t, "accept() has not returned yet");
    ck_says(t, "ack 1 = the client's ISN + 1");
    ck_says(t, "the server's own ISN is 1105024977, shown as 0");
    ck_says(t, "The client goes SYN_SENT → ESTABLISHED.");

    t = explain(&l, &l.rec[2], SK_EXPLAIN_SHORT);
    ck_assert_str_eq(t, "Handshake 3/3: the client acknowledges the SYN-ACK (ack 1).");
    t = explain(&l, &l.rec[2], SK_EXPLAIN_LONG);
    ck_says(t, "ack 1 = the server's ISN + 1");
    ck_says(t, "The server goes SYN_RECEIVED → ESTABLISHED.");

    /* the first packet of all: the states before come from the tracker's assumption */
    ck_says(explain(&l, &l.rec[0], SK_EXPLAIN_LONG), "Handshake 1/3");
    char tag[48];
    ck_assert_str_eq(sk_explain_tag(&l.rec[0], tag), "handshake 1/3");
    ck_assert_str_eq(sk_explain_tag(&l.rec[1], tag), "handshake 2/3");
    ck_assert_str_eq(sk_explain_tag(&l.rec[2], tag), "handshake 3/3");
}
END_TEST

START_TEST(test_explain_data_and_acks)
{
    struct lesson l;
    hello_goodbye(&l);
    const char *t = explain(&l, &l.rec[3], SK_EXPLAIN_SHORT);
    ck_assert_str_eq(t, "The client sends 13 bytes (seq 1 to 13).");
    t = explain(&l, &l.rec[3], SK_EXPLAIN_LONG);
    ck_says(t, "13 bytes from write() go on the wire (one call, or several that TCP joined): seq 1 is the first");
    ck_says(t, "the next segment starts at 14 (1 + 13)");
    ck_says(t, "ack 1 = 0 bytes received + 1 for the SYN.");
    ck_says(t, "The server's read() returns these bytes");

    t = explain(&l, &l.rec[4], SK_EXPLAIN_SHORT);
    ck_assert_str_eq(t, "ack 14 = 13 bytes received + 1 for the SYN.");
    t = explain(&l, &l.rec[4], SK_EXPLAIN_LONG);
    ck_says(t, "ack 14 = 13 bytes received + 1 for the SYN.");
    ck_says(t, "room for 65536 more bytes"); /* 512 << 7 */

    t = explain(&l, &l.rec[5], SK_EXPLAIN_SHORT);
    ck_assert_str_eq(t, "The server sends 10 bytes (seq 1 to 10).");
    t = explain(&l, &l.rec[6], SK_EXPLAIN_SHORT);
    ck_assert_str_eq(t, "ack 11 = 10 bytes received + 1 for the SYN.");
    char tag[48];
    ck_assert_str_eq(sk_explain_tag(&l.rec[3], tag), "data");
    ck_assert_str_eq(sk_explain_tag(&l.rec[4], tag), "ACK");
}
END_TEST

START_TEST(test_explain_close)
{
    struct lesson l;
    hello_goodbye(&l);
    const char *t = explain(&l, &l.rec[7], SK_EXPLAIN_SHORT);
    ck_assert_str_eq(t, "The client closes its side (FIN): close() or shutdown().");
    t = explain(&l, &l.rec[7], SK_EXPLAIN_LONG);
    ck_says(t, "the server's read() will return 0");
    ck_says(t, "SYN and FIN each take one sequence number: this FIN is number 14, so the "
               "answer will be ack 15.");
    ck_says(t, "The client goes ESTABLISHED → FIN_WAIT_1; the server, ESTABLISHED → "
               "CLOSE_WAIT.");

    /* the server's FIN acknowledges the client's: FIN_WAIT_1 → (FIN_WAIT_2) → TIME_WAIT */
    t = explain(&l, &l.rec[8], SK_EXPLAIN_SHORT);
    ck_assert_str_eq(t, "The server closes too (FIN), after read() returned 0.");
    t = explain(&l, &l.rec[8], SK_EXPLAIN_LONG);
    ck_says(t, "this FIN is number 11, so the answer will be ack 12");
    ck_says(t, "The client goes FIN_WAIT_1 → TIME_WAIT; the server, CLOSE_WAIT → LAST_ACK.");

    t = explain(&l, &l.rec[9], SK_EXPLAIN_SHORT);
    ck_assert_str_eq(t, "ACK of the server's FIN (ack 12: +1 for the FIN).");
    t = explain(&l, &l.rec[9], SK_EXPLAIN_LONG);
    ck_says(t, "The client acknowledges the server's FIN, number 11.");
    ck_says(t, "ack 12 = 10 bytes received + 1 for the SYN + 1 for the FIN.");
    ck_says(t, "The server goes LAST_ACK → CLOSED.");
    char tag[48];
    ck_assert_str_eq(sk_explain_tag(&l.rec[7], tag), "FIN");
    ck_assert_str_eq(sk_explain_tag(&l.rec[9], tag), "FIN acked");
}
END_TEST

START_TEST(test_explain_rst_refused)
{
    struct lesson l;
    hello_goodbye_upto(&l, 4); /* the handshake and the client's data, then abort */
    const struct sk_rec *r =
        tcp_seg(&l, SK_C2S, SK_TH_RST | SK_TH_ACK, CI + 14, SI + 1, 0, 512, NULL);
    ck_assert(r->events & EV(SK_EV_RST));
    const char *t = explain(&l, r, SK_EXPLAIN_SHORT);
    ck_assert_str_eq(t, "The client resets the connection (RST).");
    t = explain(&l, r, SK_EXPLAIN_LONG);
    ck_says(t, "close() with SO_LINGER 0");
    ck_says(t, "The server's next read() fails with ECONNRESET, a write() with EPIPE.");
    ck_says(t, "Both ends are CLOSED at once");

    struct lesson d;
    lesson_init(&d, 6, 40001, 6666);
    tcp_seg(&d, SK_C2S, SK_TH_SYN, CI, 0, 0, 65495, NULL);
    r = tcp_seg(&d, SK_S2C, SK_TH_RST | SK_TH_ACK, 0, CI + 1, 0, 0, NULL);
    ck_assert(r->events & EV(SK_EV_REFUSED));
    t = explain(&d, r, SK_EXPLAIN_SHORT);
    ck_assert_str_eq(t, "Connection refused: nothing listens on port 6666 (RST).");
    ck_says(explain(&d, r, SK_EXPLAIN_LONG), "connect() fails with ECONNREFUSED");
    char tag[48];
    ck_assert_str_eq(sk_explain_tag(r, tag), "refused");

    /* a RST from a socket already closed answers a late segment */
    struct lesson e;
    hello_goodbye(&e); /* all closed; a late segment reaches the client */
    r = tcp_seg(&e, SK_C2S, SK_TH_RST, CI + 15, 0, 0, 0, NULL);
    ck_says(explain(&e, r, SK_EXPLAIN_SHORT), "the client's socket is gone");
}
END_TEST

START_TEST(test_explain_analysis)
{
    struct lesson l;
    hello_goodbye_upto(&l, 7);
    /* the client sends 13 more bytes twice, one second apart: a retransmission */
    tcp_seg(&l, SK_C2S, SK_TH_ACK | SK_TH_PSH, CI + 14, SI + 11, 13, 512, NULL);
    l.now += 1000000000;
    const struct sk_rec *r =
        tcp_seg(&l, SK_C2S, SK_TH_ACK | SK_TH_PSH, CI + 14, SI + 11, 13, 512, NULL);
    ck_assert(r->events & EV(SK_EV_RETRANS));
    ck_assert_str_eq(explain(&l, r, SK_EXPLAIN_SHORT),
                     "Retransmission of seq 14: no ACK came in time.");
    ck_says(explain(&l, r, SK_EXPLAIN_LONG), "Bytes 14 to 26 go out again");
    /* the server repeats its ACK: duplicate ACKs, numbered */
    tcp_seg(&l, SK_S2C, SK_TH_ACK, SI + 11, CI + 14, 0, 512, NULL);
    r = tcp_seg(&l, SK_S2C, SK_TH_ACK, SI + 11, CI + 14, 0, 512, NULL);
    ck_assert(r->events & EV(SK_EV_DUP_ACK));
    ck_assert_str_eq(explain(&l, r, SK_EXPLAIN_SHORT),
                     "Duplicate ACK #2: still asking for seq 14.");
    char tag[48];
    ck_assert_str_eq(sk_explain_tag(r, tag), "dup ACK #2");
    /* the client's window closes */
    r = tcp_seg(&l, SK_C2S, SK_TH_ACK, CI + 27, SI + 11, 0, 0, NULL);
    ck_assert(r->events & EV(SK_EV_ZERO_WINDOW));
    ck_assert_str_eq(explain(&l, r, SK_EXPLAIN_SHORT),
                     "Zero window: the client's receive buffer is full.");
    ck_assert_str_eq(sk_explain_tag(r, tag), "zero window");
    r = tcp_seg(&l, SK_C2S, SK_TH_ACK, CI + 27, SI + 11, 0, 300, NULL);
    ck_assert(r->events & EV(SK_EV_WINDOW_UPDATE));
    ck_assert_str_eq(explain(&l, r, SK_EXPLAIN_SHORT),
                     "Window update: room for 38400 bytes now."); /* 300 << 7 */
}
END_TEST

START_TEST(test_explain_half_close_midstream)
{
    struct lesson l;
    lesson_init(&l, 6, 40002, 6666);
    /* the capture starts mid-connection */
    const struct sk_rec *r =
        tcp_seg(&l, SK_C2S, SK_TH_ACK | SK_TH_PSH, 5000, 9000, 13, 512, NULL);
    ck_assert(r->events & EV(SK_EV_MIDSTREAM));
    const char *t = explain(&l, r, SK_EXPLAIN_LONG);
    ck_says(t, "13 bytes from write() go on the wire (one call, or several that TCP joined): seq 1 is the first");
    ck_says(t, "ack 1: everything before byte 1 has arrived.");
    r = tcp_seg(&l, SK_C2S, SK_TH_ACK | SK_TH_FIN, 5013, 9000, 0, 512, NULL);
    r = tcp_seg(&l, SK_S2C, SK_TH_ACK | SK_TH_PSH, 9000, 5014, 10, 512, NULL);
    ck_assert(r->events & EV(SK_EV_HALF_CLOSE));
    ck_assert_str_eq(explain(&l, r, SK_EXPLAIN_SHORT),
                     "Half-close: the server still sends (10 bytes).");
    t = explain(&l, r, SK_EXPLAIN_LONG);
    ck_says(t, "Half-close: the server sends 10 bytes after the client's FIN.");
    ck_says(t, "after shutdown(SHUT_WR) the client still reads these bytes");
}
END_TEST

START_TEST(test_explain_udp_icmp_malformed)
{
    struct lesson l;
    lesson_init(&l, 17, 40000, 7777);
    struct sk_rec u = {.n = 1, .len = 13, .kind = SK_K_UDP, .events = EV(SK_EV_UDP)};
    const char *t = explain(&l, &u, SK_EXPLAIN_SHORT);
    ck_assert_str_eq(t, "A datagram of 13 bytes: no connection, no ACK.");
    t = explain(&l, &u, SK_EXPLAIN_LONG);
    ck_says(t, "From port 40000 to port 7777: UDP keeps message boundaries");
    char tag[48];
    ck_assert_str_eq(sk_explain_tag(&u, tag), "datagram");

    /* the server's host answers: ICMP port unreachable (type 3, code 3) */
    struct sk_rec i = {.n = 2, .kind = SK_K_ICMP | SK_REC_S2C, .aux = 3 << 8 | 3,
                       .events = EV(SK_EV_ICMP_UNREACH)};
    t = explain(&l, &i, SK_EXPLAIN_SHORT);
    ck_assert_str_eq(t, "Port unreachable: nothing listens on port 7777.");
    t = explain(&l, &i, SK_EXPLAIN_LONG);
    ck_says(t, "The kernel answered with ICMP port unreachable.");
    ck_says(t, "A connected UDP socket gets ECONNREFUSED on its next call");
    ck_assert_str_eq(sk_explain_tag(&i, tag), "port unreachable");
    /* ICMPv6: type 1 code 4 */
    struct sk_rec i6 = {.n = 3, .kind = SK_K_ICMP6 | SK_REC_S2C, .aux = 1 << 8 | 4,
                        .events = EV(SK_EV_ICMP_UNREACH)};
    ck_assert_str_eq(explain(&l, &i6, SK_EXPLAIN_SHORT),
                     "Port unreachable: nothing listens on port 7777.");
    /* host unreachable is not a closed port */
    struct sk_rec h = {.n = 4, .kind = SK_K_ICMP, .aux = 3 << 8 | 1,
                       .events = EV(SK_EV_ICMP_UNREACH)};
    ck_assert_str_eq(explain(&l, &h, SK_EXPLAIN_SHORT), "Destination unreachable (ICMP code 1).");
    ck_assert_str_eq(sk_explain_tag(&h, tag), "unreachable");

    struct sk_rec bad = {.n = 5, .kind = SK_K_ERROR, .status = SK_TRUNCATED,
                         .events = EV(SK_EV_BAD_PACKET)};
    ck_assert_str_eq(explain(&l, &bad, SK_EXPLAIN_SHORT),
                     "Truncated: the capture cut this packet short.");
    ck_says(explain(&l, &bad, SK_EXPLAIN_LONG), "tcpdump -s 0");
    bad.status = SK_INVALID;
    ck_assert_str_eq(explain(&l, &bad, SK_EXPLAIN_SHORT),
                     "Invalid: a header contradicts its protocol.");
    ck_assert_str_eq(sk_explain_tag(&bad, tag), "malformed");

    /* no conversation at all */
    char buf[200];
    struct sk_rec other = {.n = 6, .kind = SK_K_OTHER};
    sk_explain(&other, NULL, NULL, SK_EXPLAIN_LONG, buf, sizeof buf);
    ck_assert_str_eq(buf, "Not an IP packet: see its link layer.");
    ck_assert_str_eq(sk_explain_tag(&other, tag), "");
}
END_TEST

/* Every record of a realistic exchange, short: one sentence within 60 columns. */
START_TEST(test_explain_short_fits)
{
    struct lesson l;
    hello_goodbye(&l);
    for (int k = 0; k < l.n; k++) {
        const char *t = explain(&l, &l.rec[k], SK_EXPLAIN_SHORT);
        ck_assert_msg(columns(t) <= 60, "%zu columns: %s", columns(t), t);
        ck_assert_msg(columns(t) > 10, "too short: %s", t);
    }
    /* with larger numbers too: a transfer well under way */
    struct lesson m;
    lesson_init(&m, 6, 54321, 6666);
    tcp_seg(&m, SK_C2S, SK_TH_ACK, 100000, 200000, 1448, 65535, NULL);
    tcp_seg(&m, SK_C2S, SK_TH_ACK, 101448, 200000, 1448, 65535, NULL);
    tcp_seg(&m, SK_S2C, SK_TH_ACK, 200000, 102896, 0, 65535, NULL);
    m.now += 2000000000;
    tcp_seg(&m, SK_C2S, SK_TH_ACK, 100000, 200000, 1448, 65535, NULL);
    for (int k = 0; k < m.n; k++) {
        const char *t = explain(&m, &m.rec[k], SK_EXPLAIN_SHORT);
        ck_assert_msg(columns(t) <= 60, "%zu columns: %s", columns(t), t);
    }
}
END_TEST

/* Any buffer size: never a byte past n, always a NUL-terminated prefix that
 * does not end inside a UTF-8 character. */
START_TEST(test_explain_buffer_sizes)
{
    struct lesson l;
    hello_goodbye(&l);
    char full[1024], buf[256];
    for (int k = 0; k < l.n; k++) {
        for (int len = SK_EXPLAIN_SHORT; len <= SK_EXPLAIN_LONG; len++) {
            const struct sk_rec *r = &l.rec[k];
            size_t whole = sk_explain(r, prev_of(&l, r), &l.c, (enum sk_explain_len)len, full,
                                      sizeof full);
            ck_assert_uint_lt(whole, sizeof full - 1);
            for (size_t n = 0; n <= 200; n++) {
                memset(buf, 'Z', sizeof buf);
                size_t got = sk_explain(r, prev_of(&l, r), &l.c, (enum sk_explain_len)len, buf, n);
                for (size_t i = n; i < sizeof buf; i++)
                    ck_assert_msg(buf[i] == 'Z', "wrote past %zu bytes", n);
                if (n == 0) {
                    ck_assert_uint_eq(got, 0);
                    continue;
                }
                ck_assert_uint_lt(got, n);
                ck_assert_uint_eq(strlen(buf), got);
                ck_assert_int_eq(memcmp(buf, full, got), 0);
                if (got > 0) /* not cut inside a character */
                    ck_assert(((unsigned char)full[got] & 0xC0) != 0x80 || got == whole);
                if (n > whole)
                    ck_assert_uint_eq(got, whole);
            }
        }
    }
    /* NULL record, tiny tag buffer contents */
    ck_assert_uint_eq(sk_explain(NULL, NULL, NULL, SK_EXPLAIN_LONG, buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "");
}
END_TEST

Suite *explain_suite(void); /* for the runner (tests/unit/main.c) */

Suite *explain_suite(void)
{
    Suite *s = suite_create("explain");
    TCase *tc = tcase_create("Core");
    tcase_add_test(tc, test_explain_handshake);
    tcase_add_test(tc, test_explain_data_and_acks);
    tcase_add_test(tc, test_explain_close);
    tcase_add_test(tc, test_explain_rst_refused);
    tcase_add_test(tc, test_explain_analysis);
    tcase_add_test(tc, test_explain_half_close_midstream);
    tcase_add_test(tc, test_explain_udp_icmp_malformed);
    suite_add_tcase(s, tc);
    tc = tcase_create("Limits");
    tcase_add_test(tc, test_explain_short_fits);
    tcase_add_test(tc, test_explain_buffer_sizes);
    suite_add_tcase(s, tc);
    return s;
}
