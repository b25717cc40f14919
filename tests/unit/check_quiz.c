/* check_quiz.c — the quiz's reading of guesses, its grading and its score (core/quiz.c). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "quiz.h"
#include "tcp.h"
#include "trace.h"

static struct sk_conv conv;

static void setup(void)
{
    memset(&conv, 0, sizeof conv);
    conv.proto = 6;
    conv.tcp.side[SK_CLIENT].isn = 1000;
    conv.tcp.side[SK_CLIENT].flags = SK_SIDE_ISN | SK_SIDE_SYN;
    conv.tcp.side[SK_SERVER].isn = 4000000000u; /* wraps: relative numbers still right */
    conv.tcp.side[SK_SERVER].flags = SK_SIDE_ISN | SK_SIDE_SYN;
}

static struct sk_rec tcp_rec(int dir, uint8_t flags, uint32_t seq, uint32_t ack, uint16_t len,
                             int cstate, int sstate)
{
    struct sk_rec r;
    memset(&r, 0, sizeof r);
    r.kind = (uint8_t)(SK_K_TCP | (dir ? SK_REC_S2C : 0));
    r.conv = 0;
    r.flags = flags;
    r.seq = seq;
    r.ack = ack;
    r.len = len;
    r.states = (uint8_t)(cstate | sstate << 4);
    return r;
}

/* The SYN-ACK of the handshake: the server's ISN, ack = the client's ISN + 1. */
static struct sk_rec synack(void)
{
    return tcp_rec(SK_S2C, SK_TH_SYN | SK_TH_ACK, 4000000000u, 1001, 0, SK_ST_ESTABLISHED,
                   SK_ST_SYN_RECEIVED);
}

static uint8_t flags_of(const char *text)
{
    uint8_t f = 0xff;
    char err[SK_ERRBUF_SIZE] = "";
    ck_assert_msg(sk_quiz_parse_flags(text, &f, err) == 0, "\"%s\" refused: %s", text, err);
    return f;
}

static void flags_refused(const char *text, const char *why)
{
    uint8_t f = 0x42;
    char err[SK_ERRBUF_SIZE] = "";
    ck_assert_int_eq(sk_quiz_parse_flags(text, &f, err), -1);
    ck_assert_int_eq(f, 0x42); /* untouched */
    ck_assert_msg(strstr(err, why) != NULL, "\"%s\": %s", text, err);
}

static uint8_t state_of(const char *text)
{
    uint8_t s = 0;
    char err[SK_ERRBUF_SIZE] = "";
    ck_assert_msg(sk_quiz_parse_state(text, &s, err) == 0, "\"%s\" refused: %s", text, err);
    return s;
}

static const char *state_refused(const char *text)
{
    static char err[SK_ERRBUF_SIZE];
    uint8_t s = 0;
    err[0] = '\0';
    ck_assert_int_eq(sk_quiz_parse_state(text, &s, err), -1);
    return err;
}

/* ------------------------------------------------------------ reading guesses */

START_TEST(test_flags_letters)
{
    ck_assert_int_eq(flags_of("S"), SK_TH_SYN);
    ck_assert_int_eq(flags_of("S."), SK_TH_SYN | SK_TH_ACK);
    ck_assert_int_eq(flags_of(".S"), SK_TH_SYN | SK_TH_ACK); /* a set: order is free */
    ck_assert_int_eq(flags_of("."), SK_TH_ACK);
    ck_assert_int_eq(flags_of("P."), SK_TH_PSH | SK_TH_ACK);
    ck_assert_int_eq(flags_of("F."), SK_TH_FIN | SK_TH_ACK);
    ck_assert_int_eq(flags_of("FP."), SK_TH_FIN | SK_TH_PSH | SK_TH_ACK);
    ck_assert_int_eq(flags_of("R"), SK_TH_RST);
    ck_assert_int_eq(flags_of("R."), SK_TH_RST | SK_TH_ACK);
    ck_assert_int_eq(flags_of("  s. "), SK_TH_SYN | SK_TH_ACK);
    ck_assert_int_eq(flags_of("SA"), SK_TH_SYN | SK_TH_ACK); /* A for ACK, as some books */
    ck_assert_int_eq(flags_of("SEW"), SK_TH_SYN | SK_TH_ECE | SK_TH_CWR);
}
END_TEST

START_TEST(test_flags_names)
{
    ck_assert_int_eq(flags_of("SYN ACK"), SK_TH_SYN | SK_TH_ACK);
    ck_assert_int_eq(flags_of("syn,ack"), SK_TH_SYN | SK_TH_ACK);
    ck_assert_int_eq(flags_of("SYN-ACK"), SK_TH_SYN | SK_TH_ACK);
    ck_assert_int_eq(flags_of("SYNACK"), SK_TH_SYN | SK_TH_ACK);
    ck_assert_int_eq(flags_of("ack"), SK_TH_ACK);
    ck_assert_int_eq(flags_of("FIN+ACK"), SK_TH_FIN | SK_TH_ACK);
    ck_assert_int_eq(flags_of("psh | ack"), SK_TH_PSH | SK_TH_ACK);
    ck_assert_int_eq(flags_of("PUSH ACK"), SK_TH_PSH | SK_TH_ACK);
    ck_assert_int_eq(flags_of("reset"), SK_TH_RST);
    ck_assert_int_eq(flags_of("ACK ACK"), SK_TH_ACK);
    ck_assert_int_eq(flags_of("none"), 0);
}
END_TEST

START_TEST(test_flags_refused)
{
    flags_refused("", "type the flags");
    flags_refused("   ", "type the flags");
    flags_refused("SYN HELLO", "\"HELLO\" is not a TCP flag");
    flags_refused("SX", "\"SX\" is not a TCP flag");
    flags_refused("SYNACKX", "is not a TCP flag");
    flags_refused("12", "is not a TCP flag");
}
END_TEST

START_TEST(test_numbers)
{
    char err[SK_ERRBUF_SIZE] = "";
    uint32_t v = 7;
    bool has = false;
    ck_assert_int_eq(sk_quiz_parse_seq("0", &v, err), 0);
    ck_assert_uint_eq(v, 0);
    ck_assert_int_eq(sk_quiz_parse_seq(" 14 ", &v, err), 0);
    ck_assert_uint_eq(v, 14);
    ck_assert_int_eq(sk_quiz_parse_seq("4294967295", &v, err), 0);
    ck_assert_uint_eq(v, 4294967295u);
    ck_assert_int_eq(sk_quiz_parse_seq("4294967296", &v, err), -1);
    ck_assert_int_eq(sk_quiz_parse_seq("-1", &v, err), -1);
    ck_assert_int_eq(sk_quiz_parse_seq("1x", &v, err), -1);
    ck_assert_int_eq(sk_quiz_parse_seq("", &v, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "is not a sequence number"));

    ck_assert_int_eq(sk_quiz_parse_ack("1", &has, &v, err), 0);
    ck_assert(has);
    ck_assert_uint_eq(v, 1);
    ck_assert_int_eq(sk_quiz_parse_ack("-", &has, &v, err), 0);
    ck_assert(!has);
    has = true;
    ck_assert_int_eq(sk_quiz_parse_ack("", &has, &v, err), 0);
    ck_assert(!has);
    has = true;
    ck_assert_int_eq(sk_quiz_parse_ack(" none", &has, &v, err), 0);
    ck_assert(!has);
    err[0] = '\0';
    ck_assert_int_eq(sk_quiz_parse_ack("ack", &has, &v, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "- when the ACK flag is off"));
}
END_TEST

START_TEST(test_states)
{
    ck_assert_int_eq(state_of("ESTABLISHED"), SK_ST_ESTABLISHED);
    ck_assert_int_eq(state_of("established"), SK_ST_ESTABLISHED);
    ck_assert_int_eq(state_of("EST"), SK_ST_ESTABLISHED);      /* a prefix only it has */
    ck_assert_int_eq(state_of("syn-r"), SK_ST_SYN_RECEIVED);
    ck_assert_int_eq(state_of("SYN_RECV"), SK_ST_SYN_RECEIVED); /* the kernel's spelling */
    ck_assert_int_eq(state_of("time wait"), SK_ST_TIME_WAIT);
    ck_assert_int_eq(state_of("FIN_WAIT2"), SK_ST_FIN_WAIT_2);
    ck_assert_int_eq(state_of("FIN_WAIT_1"), SK_ST_FIN_WAIT_1);
    ck_assert_int_eq(state_of("CLOSE"), SK_ST_CLOSED);          /* ss's, not a prefix */
    ck_assert_int_eq(state_of("CLOSE_"), SK_ST_CLOSE_WAIT);
    ck_assert_int_eq(state_of("LA"), SK_ST_LAST_ACK);
    ck_assert_int_eq(state_of("li"), SK_ST_LISTEN);
    ck_assert_int_eq(state_of("1"), SK_ST_CLOSED);               /* numbered as listed */
    ck_assert_int_eq(state_of("5"), SK_ST_ESTABLISHED);
    ck_assert_int_eq(state_of(" 11 "), SK_ST_TIME_WAIT);

    ck_assert_ptr_nonnull(strstr(state_refused("CLOS"), "could be CLOSED, CLOSE_WAIT, CLOSING"));
    ck_assert_ptr_nonnull(strstr(state_refused("fin"), "could be FIN_WAIT_1, FIN_WAIT_2"));
    ck_assert_ptr_nonnull(strstr(state_refused("SYN"), "could be SYN_SENT, SYN_RECEIVED"));
    ck_assert_ptr_nonnull(strstr(state_refused("L"), "could be LISTEN, LAST_ACK"));
    ck_assert_ptr_nonnull(strstr(state_refused("OPEN"), "\"OPEN\" is not a TCP state"));
    ck_assert_ptr_nonnull(strstr(state_refused("0"), "no state number 0"));
    ck_assert_ptr_nonnull(strstr(state_refused("12"), "numbered 1 to 11"));
    ck_assert_ptr_nonnull(strstr(state_refused(""), "type a state"));
}
END_TEST

START_TEST(test_completion)
{
    char buf[32];
    ck_assert_uint_eq(sk_quiz_complete_state("est", buf, sizeof buf), 1);
    ck_assert_str_eq(buf, "ESTABLISHED");
    ck_assert_uint_eq(sk_quiz_complete_state("SYN", buf, sizeof buf), 2);
    ck_assert_str_eq(buf, "SYN_");
    ck_assert_uint_eq(sk_quiz_complete_state("fin", buf, sizeof buf), 2);
    ck_assert_str_eq(buf, "FIN_WAIT_");
    ck_assert_uint_eq(sk_quiz_complete_state("clos", buf, sizeof buf), 3);
    ck_assert_str_eq(buf, "CLOS");
    ck_assert_uint_eq(sk_quiz_complete_state("", buf, sizeof buf), SK_ST__COUNT - 1);
    ck_assert_str_eq(buf, "");
    ck_assert_uint_eq(sk_quiz_complete_state("xyz", buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "xyz"); /* left as typed */
    char tiny[4];
    ck_assert_uint_eq(sk_quiz_complete_state("time", tiny, sizeof tiny), 1);
    ck_assert_str_eq(tiny, "TIM"); /* cut to the buffer, NUL-terminated */

    char list[256];
    sk_quiz_state_list(list, sizeof list);
    ck_assert_ptr_nonnull(strstr(list, "1 CLOSED  2 LISTEN  3 SYN_SENT  4 SYN_RECEIVED"));
    ck_assert_ptr_nonnull(strstr(list, "11 TIME_WAIT"));
    /* Every number the list gives is read back as that state. */
    for (int i = SK_ST_CLOSED; i < SK_ST__COUNT; i++) {
        char item[40], num[8];
        snprintf(num, sizeof num, "%d", i);
        snprintf(item, sizeof item, "%d %s", i, sk_state_name((enum sk_state)i));
        ck_assert_ptr_nonnull(strstr(list, item));
        ck_assert_int_eq(state_of(num), i);
    }
}
END_TEST

/* ------------------------------------------------------------ grading */

START_TEST(test_answer)
{
    struct sk_rec r = synack();
    struct sk_quiz_answer a;
    sk_quiz_answer(&r, &conv, &a);
    ck_assert_int_eq(a.flags, SK_TH_SYN | SK_TH_ACK);
    ck_assert_uint_eq(a.seq, 0);
    ck_assert(a.has_ack);
    ck_assert_uint_eq(a.ack, 1);
    ck_assert_int_eq(a.state[SK_CLIENT], SK_ST_ESTABLISHED);
    ck_assert_int_eq(a.state[SK_SERVER], SK_ST_SYN_RECEIVED);

    /* The client's data after the handshake: seq 1 ack 1; a SYN has no ack. */
    r = tcp_rec(SK_C2S, SK_TH_PSH | SK_TH_ACK, 1001, 4000000001u, 13, SK_ST_ESTABLISHED,
                SK_ST_ESTABLISHED);
    sk_quiz_answer(&r, &conv, &a);
    ck_assert_uint_eq(a.seq, 1);
    ck_assert_uint_eq(a.ack, 1);
    r = tcp_rec(SK_C2S, SK_TH_SYN, 1000, 12345, 0, SK_ST_SYN_SENT, SK_ST_SYN_RECEIVED);
    sk_quiz_answer(&r, &conv, &a);
    ck_assert(!a.has_ack);
    ck_assert_uint_eq(a.ack, 0);

    ck_assert(sk_quiz_applies(&r));
    r.kind = SK_K_UDP;
    ck_assert(!sk_quiz_applies(&r));
    r = synack();
    r.conv = SK_NO_CONV;
    ck_assert(!sk_quiz_applies(&r));
    r = synack();
    r.status = SK_TRUNCATED;
    ck_assert(!sk_quiz_applies(&r));
}
END_TEST

static void guess(struct sk_quiz_answer *g, const char *flags, const char *seq, const char *ack,
                  const char *cs, const char *ss)
{
    char err[SK_ERRBUF_SIZE];
    memset(g, 0, sizeof *g);
    ck_assert_int_eq(sk_quiz_parse_flags(flags, &g->flags, err), 0);
    ck_assert_int_eq(sk_quiz_parse_seq(seq, &g->seq, err), 0);
    ck_assert_int_eq(sk_quiz_parse_ack(ack, &g->has_ack, &g->ack, err), 0);
    ck_assert_int_eq(sk_quiz_parse_state(cs, &g->state[SK_CLIENT], err), 0);
    ck_assert_int_eq(sk_quiz_parse_state(ss, &g->state[SK_SERVER], err), 0);
}

START_TEST(test_grade_right_and_wrong)
{
    struct sk_rec r = synack();
    struct sk_quiz_answer a, g;
    struct sk_quiz_result res;
    struct sk_quiz_score score = {0};
    char text[1024];
    sk_quiz_answer(&r, &conv, &a);

    guess(&g, "SYN ACK", "0", "1", "EST", "syn_r");
    sk_quiz_grade(&a, &g, &res);
    ck_assert(res.right);
    for (int f = 0; f < SK_QUIZ__COUNT; f++)
        ck_assert(res.ok[f]);
    sk_quiz_score_add(&score, &res);
    sk_quiz_score_text(&score, text, sizeof text);
    ck_assert_str_eq(text, "Quiz: 1 / 1 right this session.");
    sk_quiz_reveal(&a, &g, &res, text, sizeof text);
    ck_assert_str_eq(text, "flags S.: right. seq 0: right. ack 1: right. client ESTABLISHED: "
                           "right. server SYN_RECEIVED: right. All right!");

    /* A plain ACK guessed for the SYN-ACK, the client still SYN_SENT. */
    guess(&g, ".", "0", "1", "SYN_SENT", "SYN_RECEIVED");
    sk_quiz_grade(&a, &g, &res);
    ck_assert(!res.right);
    ck_assert(!res.ok[SK_QUIZ_FLAGS]);
    ck_assert(res.ok[SK_QUIZ_SEQ] && res.ok[SK_QUIZ_ACK] && res.ok[SK_QUIZ_SERVER]);
    ck_assert(!res.ok[SK_QUIZ_CLIENT]);
    sk_quiz_score_add(&score, &res);
    ck_assert_uint_eq(score.right, 1);
    ck_assert_uint_eq(score.asked, 2);
    ck_assert_uint_eq(score.parts_right, 8);
    ck_assert_uint_eq(score.parts_asked, 10);
    sk_quiz_score_text(&score, text, sizeof text);
    ck_assert_str_eq(text, "Quiz: 1 / 2 right this session.");
    sk_quiz_reveal(&a, &g, &res, text, sizeof text);
    ck_assert_str_eq(text, "flags .: wrong, it is S. (SYN,ACK). seq 0: right. ack 1: right. "
                           "client SYN_SENT: wrong, it is ESTABLISHED. server SYN_RECEIVED: "
                           "right. Not quite.");
}
END_TEST

START_TEST(test_grade_ack_and_unknown)
{
    /* A SYN: only "no ack" is right, not 0. */
    struct sk_rec r = tcp_rec(SK_C2S, SK_TH_SYN, 1000, 0, 0, SK_ST_SYN_SENT, SK_ST_SYN_RECEIVED);
    struct sk_quiz_answer a, g;
    struct sk_quiz_result res;
    char text[1024];
    sk_quiz_answer(&r, &conv, &a);
    guess(&g, "S", "0", "0", "SYN_SENT", "SYN_RECEIVED");
    sk_quiz_grade(&a, &g, &res);
    ck_assert(!res.ok[SK_QUIZ_ACK]);
    ck_assert(!res.right);
    sk_quiz_reveal(&a, &g, &res, text, sizeof text);
    ck_assert_ptr_nonnull(strstr(text, "ack 0: wrong, it is -."));
    guess(&g, "S", "0", "-", "SYN_SENT", "SYN_RECEIVED");
    sk_quiz_grade(&a, &g, &res);
    ck_assert(res.right);
    /* With the ACK flag a "-" is wrong; a wrong number is wrong. */
    r = synack();
    sk_quiz_answer(&r, &conv, &a);
    guess(&g, "S.", "0", "-", "ESTABLISHED", "SYN_RECEIVED");
    sk_quiz_grade(&a, &g, &res);
    ck_assert(!res.ok[SK_QUIZ_ACK]);
    guess(&g, "S.", "1", "2", "ESTABLISHED", "SYN_RECEIVED");
    sk_quiz_grade(&a, &g, &res);
    ck_assert(!res.ok[SK_QUIZ_SEQ] && !res.ok[SK_QUIZ_ACK] && res.ok[SK_QUIZ_FLAGS]);
    /* Flags are a set: PSH missing is wrong. */
    r = tcp_rec(SK_C2S, SK_TH_PSH | SK_TH_ACK, 1001, 4000000001u, 13, SK_ST_ESTABLISHED,
                SK_ST_ESTABLISHED);
    sk_quiz_answer(&r, &conv, &a);
    guess(&g, ".", "1", "1", "EST", "EST");
    sk_quiz_grade(&a, &g, &res);
    ck_assert(!res.ok[SK_QUIZ_FLAGS]);
    guess(&g, "ACK PSH", "1", "1", "EST", "EST");
    sk_quiz_grade(&a, &g, &res);
    ck_assert(res.right);
    /* A state the capture cannot tell is not asked: any answer is right. */
    r = tcp_rec(SK_C2S, SK_TH_ACK, 1001, 4000000001u, 0, SK_ST_UNKNOWN, SK_ST_ESTABLISHED);
    sk_quiz_answer(&r, &conv, &a);
    guess(&g, ".", "1", "1", "LISTEN", "EST");
    sk_quiz_grade(&a, &g, &res);
    ck_assert(res.right);
    sk_quiz_reveal(&a, &g, &res, text, sizeof text);
    ck_assert_ptr_nonnull(strstr(text, "client LISTEN: right."));
}
END_TEST

START_TEST(test_refused_shows_closed)
{
    /* A SYN answered by RST: the server had no socket; the ladder (and so
     * the answer) says CLOSED for it, not the SYN_RECEIVED the SYN alone
     * suggested. */
    struct sk_rec syn = tcp_rec(SK_C2S, SK_TH_SYN, 1000, 0, 0, SK_ST_SYN_SENT, SK_ST_SYN_RECEIVED);
    struct sk_quiz_answer a, g;
    struct sk_quiz_result res;
    sk_quiz_answer(&syn, &conv, &a);
    ck_assert_int_eq(a.state[SK_SERVER], SK_ST_SYN_RECEIVED);
    conv.tcp.opened = SK_OPEN_REFUSED;
    sk_quiz_answer(&syn, &conv, &a);
    ck_assert_int_eq(a.state[SK_CLIENT], SK_ST_SYN_SENT);
    ck_assert_int_eq(a.state[SK_SERVER], SK_ST_CLOSED);
    guess(&g, "S", "0", "-", "SYN_SENT", "CLOSED");
    sk_quiz_grade(&a, &g, &res);
    ck_assert(res.right);
    /* Without the conversation: the record's own states, raw numbers. */
    sk_quiz_answer(&syn, NULL, &a);
    ck_assert_int_eq(a.state[SK_SERVER], SK_ST_SYN_RECEIVED);
    ck_assert_uint_eq(a.seq, 1000);
}
END_TEST

START_TEST(test_hidden_and_small_buffers)
{
    struct sk_rec r = tcp_rec(SK_C2S, SK_TH_PSH | SK_TH_ACK, 1001, 4000000001u, 13,
                              SK_ST_ESTABLISHED, SK_ST_ESTABLISHED);
    char buf[128];
    sk_quiz_hidden_label(&r, buf, sizeof buf);
    ck_assert_str_eq(buf, "??? len=13");
    sk_quiz_hidden_summary(&r, buf, sizeof buf);
    ck_assert_str_eq(buf, "client -> server, length 13: ??? (guess first)");
    r = synack();
    sk_quiz_hidden_summary(&r, buf, sizeof buf);
    ck_assert_str_eq(buf, "server -> client, length 0: ??? (guess first)");
    /* Nothing hidden shows: no flags, numbers or states in the words. */
    ck_assert_ptr_null(strstr(buf, "SYN"));
    ck_assert_ptr_null(strstr(buf, "ESTABLISHED"));

    /* Cut short, never overrun. */
    char small[8];
    memset(small, 'x', sizeof small);
    size_t n = sk_quiz_hidden_summary(&r, small, sizeof small);
    ck_assert_uint_eq(n, 7);
    ck_assert_uint_eq(strlen(small), 7);
    struct sk_quiz_answer a, g;
    struct sk_quiz_result res;
    sk_quiz_answer(&r, &conv, &a);
    guess(&g, "S.", "0", "1", "EST", "SYN_RECEIVED");
    sk_quiz_grade(&a, &g, &res);
    memset(small, 'x', sizeof small);
    n = sk_quiz_reveal(&a, &g, &res, small, sizeof small);
    ck_assert_uint_le(n, 7);
    ck_assert_uint_eq(strlen(small), n);
    struct sk_quiz_score score = {3, 4, 0, 0};
    n = sk_quiz_score_text(&score, small, sizeof small);
    ck_assert_uint_eq(strlen(small), n);
    ck_assert_str_eq(small, "Quiz: 3");
}
END_TEST

Suite *quiz_suite(void); /* found by the runner (tests/unit/main.c) */
Suite *quiz_suite(void)
{
    Suite *s = suite_create("quiz");
    TCase *tc = tcase_create("Guesses");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_flags_letters);
    tcase_add_test(tc, test_flags_names);
    tcase_add_test(tc, test_flags_refused);
    tcase_add_test(tc, test_numbers);
    tcase_add_test(tc, test_states);
    tcase_add_test(tc, test_completion);
    suite_add_tcase(s, tc);
    tc = tcase_create("Grading");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_answer);
    tcase_add_test(tc, test_grade_right_and_wrong);
    tcase_add_test(tc, test_grade_ack_and_unknown);
    tcase_add_test(tc, test_refused_shows_closed);
    tcase_add_test(tc, test_hidden_and_small_buffers);
    suite_add_tcase(s, tc);
    return s;
}
