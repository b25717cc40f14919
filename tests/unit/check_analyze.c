/* check_analyze.c — the per-packet pipeline (core/analyze.c) on real captures:
 * decode → conversation → tracking → record. */
#include <check.h>
#include <string.h>

#include "analyze.h"
#include "source.h"
#include "tcp.h"

/* Runs a capture through an analyzer; keeps every record and the analyzer. */
struct run {
    struct sk_analyzer *an;
    struct sk_rec rec[128];
    size_t n;
    int created[128];
};

static void run_file(const char *path, struct run *run)
{
    char err[SK_ERRBUF_SIZE];
    memset(run, 0, sizeof *run);
    struct sk_source *src = sk_source_open_file(path, err);
    ck_assert_msg(src != NULL, "%s", err);
    run->an = sk_analyzer_new(sk_source_datalink(src));
    ck_assert_ptr_nonnull(run->an);
    struct sk_raw raw;
    struct sk_result res;
    while (sk_source_next(src, &raw, err) == 1 && run->n < 128) {
        ck_assert_int_eq(sk_analyzer_add(run->an, &raw, &res, err), 0);
        ck_assert_uint_eq(res.rec.n, raw.n);
        ck_assert_uint_eq(res.rec.off, raw.off);
        ck_assert(res.rec.ts_ns == raw.ts_ns);
        run->created[run->n] = res.created;
        run->rec[run->n++] = res.rec;
    }
    sk_source_close(src);
}

START_TEST(test_handshake_and_refused)
{
    struct run run;
    run_file("tests/data/decode-tcp4.pcap", &run);
    ck_assert_uint_eq(run.n, 14);
    struct sk_convtab *t = sk_analyzer_convs(run.an);
    ck_assert_uint_eq(sk_convtab_count(t), 2);

    /* Packet 1: the SYN opens conversation 0, sent by the client. */
    const struct sk_rec *r = &run.rec[0];
    ck_assert_uint_eq(r->conv, 0);
    ck_assert_int_eq(run.created[0], 1);
    ck_assert_int_eq(sk_rec_kind(r), SK_K_TCP);
    ck_assert_int_eq(sk_rec_dir(r), SK_C2S);
    ck_assert(sk_rec_has(r, SK_EV_SYN));
    ck_assert_int_eq(sk_rec_client_state(r), SK_ST_SYN_SENT);
    ck_assert_int_eq(sk_rec_server_state(r), SK_ST_SYN_RECEIVED);
    ck_assert_uint_eq(r->flags, SK_TH_SYN);

    /* Packet 2: the SYN-ACK, from the server, acks the ISN + 1. */
    r = &run.rec[1];
    ck_assert_int_eq(sk_rec_dir(r), SK_S2C);
    ck_assert_int_eq(run.created[1], 0);
    ck_assert_uint_eq(r->ack, run.rec[0].seq + 1);
    ck_assert_int_eq(sk_rec_client_state(r), SK_ST_ESTABLISHED);

    /* Packet 4: 13 bytes of data. */
    ck_assert_uint_eq(run.rec[3].len, 13);
    ck_assert(sk_rec_has(&run.rec[3], SK_EV_DATA));

    /* The active closer ends in TIME_WAIT, the other CLOSED. */
    r = &run.rec[11];
    ck_assert_int_eq(sk_rec_client_state(r), SK_ST_TIME_WAIT);
    ck_assert_int_eq(sk_rec_server_state(r), SK_ST_CLOSED);
    const struct sk_conv *c = sk_convtab_get(t, 0);
    ck_assert_uint_eq(c->pkts[SK_CLIENT], 7);
    ck_assert_uint_eq(c->pkts[SK_SERVER], 5);
    ck_assert_uint_eq(c->bytes[SK_CLIENT], 313);
    ck_assert_int_eq(c->tcp.opened, SK_OPEN_HANDSHAKE);
    ck_assert_int_eq(c->tcp.ended, SK_END_FIN_CLIENT);

    /* Packets 13-14: a SYN to a closed port, answered by RST: refused. */
    ck_assert_uint_eq(run.rec[12].conv, 1);
    ck_assert(sk_rec_has(&run.rec[13], SK_EV_RST));
    ck_assert(sk_rec_has(&run.rec[13], SK_EV_REFUSED));
    ck_assert_int_eq(sk_convtab_get(t, 1)->tcp.opened, SK_OPEN_REFUSED);
    sk_analyzer_free(run.an);
}
END_TEST

START_TEST(test_icmp_joins_the_datagram_it_answers)
{
    struct run run;
    run_file("tests/data/decode-icmp.pcap", &run);
    ck_assert_uint_ge(run.n, 4);
    /* UDP datagram, then the ICMP port unreachable about it: same
     * conversation, sent from the server's side, with the ICMP code kept. */
    ck_assert(sk_rec_has(&run.rec[0], SK_EV_UDP));
    ck_assert_int_eq(sk_rec_kind(&run.rec[1]), SK_K_ICMP);
    ck_assert_uint_eq(run.rec[1].conv, run.rec[0].conv);
    ck_assert_int_eq(sk_rec_dir(&run.rec[1]), SK_S2C);
    ck_assert(sk_rec_has(&run.rec[1], SK_EV_ICMP_UNREACH));
    ck_assert_uint_eq(run.rec[1].aux, 3u << 8 | 3u); /* type 3, code 3: port unreachable */
    /* The same over IPv6 (ICMPv6 type 1 code 4). */
    ck_assert_int_eq(sk_rec_kind(&run.rec[3]), SK_K_ICMP6);
    ck_assert_uint_eq(run.rec[3].conv, run.rec[2].conv);
    ck_assert_uint_eq(run.rec[3].aux, 1u << 8 | 4u);
    /* The ICMP error counts as a packet from the server's side, not as data. */
    const struct sk_conv *c = sk_convtab_get(sk_analyzer_convs(run.an), run.rec[0].conv);
    ck_assert_uint_eq(c->pkts[SK_SERVER], 1);
    ck_assert_uint_eq(c->icmp[SK_SERVER], 1);
    ck_assert_uint_eq(c->bytes[SK_SERVER], 0);
    ck_assert_uint_eq(c->bytes[SK_CLIENT], 13);
    sk_analyzer_free(run.an);
}
END_TEST

START_TEST(test_damaged_packets_are_records_too)
{
    struct run run;
    run_file("tests/data/decode-crafted.pcap", &run); /* hand-made broken packets */
    /* Packet 8: a TCP header cut after its ports: it still belongs to its
     * conversation, is marked malformed, and leaves both states alone. */
    const struct sk_rec *r = &run.rec[7];
    ck_assert_uint_eq(r->n, 8);
    ck_assert_int_ne(r->status, SK_OK);
    ck_assert(sk_rec_has(r, SK_EV_BAD_PACKET));
    ck_assert_uint_eq(r->conv, 0);
    size_t prev = 6;
    while (prev > 0 && run.rec[prev].conv != 0)
        prev--;
    ck_assert_uint_eq(run.rec[prev].conv, 0);
    ck_assert_uint_eq(r->states, run.rec[prev].states);
    /* Packet 9: cut before its ports: no conversation can be named. */
    ck_assert_uint_eq(run.rec[8].conv, SK_NO_CONV);
    ck_assert(sk_rec_has(&run.rec[8], SK_EV_BAD_PACKET));
    sk_analyzer_free(run.an);
}
END_TEST

START_TEST(test_snap_length_cuts_payload_not_length)
{
    struct run run;
    run_file("tests/data/decode-snap.pcap", &run); /* captured with a short snap length */
    /* 300 bytes were sent; fewer were kept: the record says 300, as tcpdump does. */
    ck_assert_uint_eq(run.rec[7].len, 300);
    ck_assert_int_eq(run.rec[7].status, SK_OK);
    sk_analyzer_free(run.an);
}
END_TEST

START_TEST(test_simultaneous_open_is_one_conversation)
{
    struct run run;
    run_file("tests/data/tcp-simul.pcap", &run);
    ck_assert_uint_eq(sk_convtab_count(sk_analyzer_convs(run.an)), 1);
    ck_assert(sk_rec_has(&run.rec[1], SK_EV_SIM_OPEN));
    ck_assert_int_eq(sk_rec_dir(&run.rec[1]), SK_S2C);
    sk_analyzer_free(run.an);
}
END_TEST

Suite *analyze_suite(void);
Suite *analyze_suite(void)
{
    Suite *s = suite_create("analyze");
    TCase *tc = tcase_create("Core");
    tcase_add_test(tc, test_handshake_and_refused);
    tcase_add_test(tc, test_icmp_joins_the_datagram_it_answers);
    tcase_add_test(tc, test_damaged_packets_are_records_too);
    tcase_add_test(tc, test_snap_length_cuts_payload_not_length);
    tcase_add_test(tc, test_simultaneous_open_is_one_conversation);
    suite_add_tcase(s, tc);
    return s;
}
