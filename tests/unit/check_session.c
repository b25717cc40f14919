/* check_session.c — a capture read in the background for the UI: records, conversations,
 * filters, bytes read again, lab events kept beside the file (core/session.c). */
#include <check.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "labevents.h"
#include "session.h"
#include "tcp.h"
#include "tmpdir.h"

/* ------------------------------------------------------------------ fixture */

static void setup(void)
{
    tmpdir_make("session");
}

static void teardown(void)
{
    tmpdir_remove();
}

/* ------------------------------------------------------------------ frames */

/* Raw IPv4 (DLT_RAW) frames between 127.0.0.1 and 127.0.0.2. */
struct frame {
    uint8_t b[128];
    uint32_t len;
    int64_t ts;
};

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xffff);
}

/* A TCP segment from the client (c2s) or the server, with payload text. */
static struct frame tcp(bool c2s, uint32_t seq, uint32_t ack, uint8_t flags, const char *text,
                        int64_t ts)
{
    struct frame f;
    memset(&f, 0, sizeof f);
    size_t plen = text ? strlen(text) : 0;
    f.len = (uint32_t)(20 + 20 + plen);
    f.ts = ts;
    uint8_t *ip = f.b, *th = f.b + 20;
    ip[0] = 0x45;
    put16(ip + 2, f.len);
    ip[8] = 64;
    ip[9] = 6;
    uint8_t a[4] = {127, 0, 0, 1}, b[4] = {127, 0, 0, 2};
    memcpy(ip + 12, c2s ? a : b, 4);
    memcpy(ip + 16, c2s ? b : a, 4);
    put16(th, c2s ? 40000 : 6666);
    put16(th + 2, c2s ? 6666 : 40000);
    put32(th + 4, seq);
    put32(th + 8, ack);
    th[12] = 5 << 4;
    th[13] = flags;
    put16(th + 14, 65535);
    if (plen)
        memcpy(th + 20, text, plen);
    return f;
}

static struct frame udp(uint16_t sport, uint16_t dport, const char *text, int64_t ts)
{
    struct frame f;
    memset(&f, 0, sizeof f);
    size_t plen = strlen(text);
    f.len = (uint32_t)(20 + 8 + plen);
    f.ts = ts;
    uint8_t *ip = f.b, *uh = f.b + 20;
    ip[0] = 0x45;
    put16(ip + 2, f.len);
    ip[8] = 64;
    ip[9] = 17;
    uint8_t a[4] = {127, 0, 0, 1}, b[4] = {127, 0, 0, 2};
    memcpy(ip + 12, a, 4);
    memcpy(ip + 16, b, 4);
    put16(uh, sport);
    put16(uh + 2, dport);
    put16(uh + 4, (unsigned)(8 + plen));
    memcpy(uh + 8, text, plen);
    return f;
}

enum { S = 0x02, A = 0x10, P = 0x08, F = 0x01 };
static const int64_t T0 = 1700000000000000000LL;

/* The test capture: frames 1-3 handshake, 4 UDP, 5 data, 6 ACK, 7 UDP, 8-10 close. */
static struct frame frames[10];
static size_t nframes;

static void build_frames(void)
{
    uint32_t c = 1000, s = 5000;
    nframes = 0;
    frames[nframes++] = tcp(true, c, 0, S, NULL, T0);
    frames[nframes++] = tcp(false, s, c + 1, S | A, NULL, T0 + 100);
    frames[nframes++] = tcp(true, c + 1, s + 1, A, NULL, T0 + 200);
    frames[nframes++] = udp(50000, 7777, "ping", T0 + 250);
    frames[nframes++] = tcp(true, c + 1, s + 1, P | A, "HelloWorld!!!", T0 + 300);
    frames[nframes++] = tcp(false, s + 1, c + 14, A, NULL, T0 + 400);
    frames[nframes++] = udp(50000, 7777, "pong", T0 + 450);
    frames[nframes++] = tcp(true, c + 14, s + 1, F | A, NULL, T0 + 500);
    frames[nframes++] = tcp(false, s + 1, c + 15, F | A, NULL, T0 + 600);
    frames[nframes++] = tcp(true, c + 15, s + 2, A, NULL, T0 + 700);
}

static void write_capture(const char *path)
{
    char err[SK_ERRBUF_SIZE];
    build_frames();
    struct sk_dump *d = sk_dump_open_dlt(DLT_RAW, 65535, path, err);
    ck_assert_msg(d != NULL, "%s", err);
    for (size_t i = 0; i < nframes; i++) {
        struct sk_raw raw = {.n = (uint32_t)i + 1, .ts_ns = frames[i].ts, .caplen = frames[i].len,
                             .wirelen = frames[i].len, .data = frames[i].b};
        ck_assert_int_eq(sk_dump_write(d, &raw, NULL, err), 0);
    }
    ck_assert_int_eq(sk_dump_close(d, err), 0);
}

static struct sk_session *open_file(const char *path, const char *filter)
{
    char err[SK_ERRBUF_SIZE] = "";
    struct sk_session_opts o = {.file = path, .filter = filter};
    struct sk_session *s = sk_session_open(&o, err);
    ck_assert_msg(s != NULL, "%s", err);
    ck_assert(sk_session_wait(s, 10000));
    return s;
}

/* ------------------------------------------------------------------ Core */

START_TEST(test_file_records_and_conversations)
{
    const char *cap = tmpdir_path("a.pcap");
    write_capture(cap);
    struct sk_session *s = open_file(cap, NULL);
    ck_assert(!sk_session_is_live(s));
    ck_assert_str_eq(sk_session_name(s), cap);
    ck_assert_str_eq(sk_session_filter(s), "");
    ck_assert_int_eq(sk_session_datalink(s), DLT_RAW);

    struct sk_session_info in;
    sk_session_info(s, &in);
    ck_assert(!in.indexing);
    ck_assert(!in.failed);
    ck_assert_uint_eq(in.packets, 10);
    ck_assert_uint_eq(in.read, 10);
    ck_assert_uint_eq(in.convs, 2);
    ck_assert_uint_eq(sk_session_count(s), 10);
    for (size_t i = 0; i < 10; i++)
        ck_assert_uint_eq(sk_session_rec(s, i)->n, i + 1);
    ck_assert_ptr_null(sk_session_rec(s, 10));

    /* Conversation 0 is the TCP one (first packet), 1 the UDP flow. */
    ck_assert_uint_eq(sk_session_conv_count(s), 2);
    struct sk_conv c;
    ck_assert(sk_session_conv(s, 0, &c));
    ck_assert_uint_eq(c.proto, 6);
    ck_assert_uint_eq(c.port[SK_CLIENT], 40000);
    ck_assert_uint_eq(c.pkts[SK_CLIENT] + c.pkts[SK_SERVER], 8);
    ck_assert(sk_session_conv(s, 1, &c));
    ck_assert_uint_eq(c.proto, 17);
    ck_assert(!sk_session_conv(s, 2, &c));

    ck_assert_uint_eq(sk_session_conv_size(s, 0), 8);
    ck_assert_uint_eq(sk_session_conv_size(s, 1), 2);
    ck_assert_uint_eq(sk_session_conv_size(s, 7), 0);
    uint32_t idx[16];
    ck_assert_uint_eq(sk_session_conv_recs(s, 0, 0, idx, 16), 8);
    const uint32_t want[8] = {0, 1, 2, 4, 5, 7, 8, 9};
    for (int i = 0; i < 8; i++)
        ck_assert_uint_eq(idx[i], want[i]);
    ck_assert_uint_eq(sk_session_conv_recs(s, 0, 6, idx, 16), 2);
    ck_assert_uint_eq(idx[0], 8);
    ck_assert_uint_eq(sk_session_conv_recs(s, 0, 8, idx, 16), 0);
    ck_assert_uint_eq(sk_session_conv_recs(s, 1, 0, idx, 16), 2);
    ck_assert_uint_eq(idx[0], 3);
    ck_assert_uint_eq(idx[1], 6);

    ck_assert_uint_eq(sk_session_conv_pos(s, 0, 4), 3);
    ck_assert_uint_eq(sk_session_conv_pos(s, 0, 9), 7);
    ck_assert_uint_eq(sk_session_conv_pos(s, 0, 3), 8); /* a UDP record: not one of them */
    ck_assert_uint_eq(sk_session_conv_pos(s, 1, 6), 1);

    /* Before the SYN: the client CLOSED, the server LISTEN (as --text's head line). */
    uint8_t before = sk_session_conv_before(s, 0);
    ck_assert_int_eq(before & 0x0f, SK_ST_CLOSED);
    ck_assert_int_eq(before >> 4, SK_ST_LISTEN);
    ck_assert_int_eq(sk_rec_client_state(sk_session_rec(s, 9)), SK_ST_TIME_WAIT);
    sk_session_close(s, NULL);
}
END_TEST

START_TEST(test_read_again_and_find_frame)
{
    const char *cap = tmpdir_path("b.pcap");
    write_capture(cap);
    struct sk_session *s = open_file(cap, NULL);
    char err[SK_ERRBUF_SIZE];
    struct sk_raw raw;
    /* Out of order on purpose: every read is by offset. */
    const size_t order[] = {9, 0, 4, 4, 3, 8};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        size_t i = order[k];
        ck_assert_int_eq(sk_session_read(s, i, &raw, err), 1);
        ck_assert_uint_eq(raw.n, i + 1);
        ck_assert_uint_eq(raw.caplen, frames[i].len);
        ck_assert_int_eq(raw.ts_ns, frames[i].ts);
        ck_assert_mem_eq(raw.data, frames[i].b, frames[i].len);
    }
    ck_assert_int_eq(sk_session_read(s, 10, &raw, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "no packet 11"));

    ck_assert_uint_eq(sk_session_find_frame(s, 1), 0);
    ck_assert_uint_eq(sk_session_find_frame(s, 7), 6);
    ck_assert_uint_eq(sk_session_find_frame(s, 10), 9);
    ck_assert_uint_eq(sk_session_find_frame(s, 11), 10);
    ck_assert_uint_eq(sk_session_find_frame(s, 0), 0);
    sk_session_close(s, NULL);
}
END_TEST

/* ------------------------------------------------------------------ Filter */

START_TEST(test_filter_keeps_frame_numbers)
{
    const char *cap = tmpdir_path("c.pcap");
    write_capture(cap);
    struct sk_session *s = open_file(cap, "udp");
    ck_assert_str_eq(sk_session_filter(s), "udp");
    ck_assert_uint_eq(sk_session_count(s), 2);
    ck_assert_uint_eq(sk_session_rec(s, 0)->n, 4);
    ck_assert_uint_eq(sk_session_rec(s, 1)->n, 7);
    ck_assert_uint_eq(sk_session_conv_count(s), 1);
    struct sk_conv c;
    ck_assert(sk_session_conv(s, 0, &c)); /* renumbered as --text -f numbers it */
    ck_assert_uint_eq(c.proto, 17);
    struct sk_session_info in;
    sk_session_info(s, &in);
    ck_assert_uint_eq(in.read, 10); /* every record was read, two kept */
    ck_assert_uint_eq(sk_session_find_frame(s, 5), 1);

    /* A new filter indexes again from the start. */
    char err[SK_ERRBUF_SIZE];
    ck_assert_int_eq(sk_session_set_filter(s, "tcp[tcpflags] & tcp-fin != 0", err), 0);
    ck_assert(sk_session_wait(s, 10000));
    ck_assert_str_eq(sk_session_filter(s), "tcp[tcpflags] & tcp-fin != 0");
    ck_assert_uint_eq(sk_session_count(s), 2);
    ck_assert_uint_eq(sk_session_rec(s, 0)->n, 8);
    ck_assert_uint_eq(sk_session_rec(s, 1)->n, 9);
    /* The bytes are still those of the file's frames. */
    struct sk_raw raw;
    ck_assert_int_eq(sk_session_read(s, 1, &raw, err), 1);
    ck_assert_mem_eq(raw.data, frames[8].b, frames[8].len);

    ck_assert_int_eq(sk_session_set_filter(s, "", err), 0);
    ck_assert(sk_session_wait(s, 10000));
    ck_assert_uint_eq(sk_session_count(s), 10);
    ck_assert_str_eq(sk_session_filter(s), "");
    sk_session_close(s, NULL);
}
END_TEST

START_TEST(test_bad_filter_keeps_the_old_one)
{
    const char *cap = tmpdir_path("d.pcap");
    write_capture(cap);
    struct sk_session *s = open_file(cap, "udp");
    char err[SK_ERRBUF_SIZE] = "";
    ck_assert_int_eq(sk_session_set_filter(s, "tcp port", err), -1);
    ck_assert_ptr_nonnull(strstr(err, "tcp port"));
    ck_assert_str_eq(sk_session_filter(s), "udp");
    ck_assert_uint_eq(sk_session_count(s), 2);
    struct sk_session_info in;
    sk_session_info(s, &in);
    ck_assert(!in.failed);
    sk_session_close(s, NULL);
}
END_TEST

/* ------------------------------------------------------------------ Errors */

START_TEST(test_open_errors)
{
    char err[SK_ERRBUF_SIZE] = "";
    struct sk_session_opts o = {.file = tmpdir_path("missing.pcap")};
    ck_assert_ptr_null(sk_session_open(&o, err));
    ck_assert_ptr_nonnull(strstr(err, "missing.pcap"));

    const char *cap = tmpdir_path("e.pcap");
    write_capture(cap);
    err[0] = '\0';
    struct sk_session_opts bad = {.file = cap, .filter = "port 99999999"};
    ck_assert_ptr_null(sk_session_open(&bad, err));
    ck_assert_ptr_nonnull(strstr(err, "invalid filter"));

    FILE *f = fopen(tmpdir_path("notes.txt"), "w");
    ck_assert_ptr_nonnull(f);
    fputs("not a capture\n", f);
    fclose(f);
    err[0] = '\0';
    struct sk_session_opts txt = {.file = tmpdir_path("notes.txt")};
    ck_assert_ptr_null(sk_session_open(&txt, err));
    ck_assert_str_ne(err, "");
    ck_assert_int_eq(sk_session_close(NULL, err), 0);
}
END_TEST

START_TEST(test_truncated_file_keeps_what_was_read)
{
    const char *cap = tmpdir_path("f.pcap");
    write_capture(cap);
    /* Cut the last record short. */
    FILE *fp = fopen(cap, "r+");
    ck_assert_ptr_nonnull(fp);
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    fclose(fp);
    ck_assert_int_eq(truncate(cap, size - 5), 0);
    struct sk_session *s = open_file(cap, NULL);
    struct sk_session_info in;
    sk_session_info(s, &in);
    ck_assert(in.failed);
    ck_assert(!in.indexing);
    ck_assert_ptr_nonnull(strstr(in.error, "truncated"));
    ck_assert_uint_eq(sk_session_count(s), 9);
    sk_session_close(s, NULL);
}
END_TEST

/* ------------------------------------------------------------------ Events */

static struct sk_labevent event(const char *prog, uint32_t seq, const char *call, int64_t t0)
{
    struct sk_labevent e;
    memset(&e, 0, sizeof e);
    e.kind = SK_LABEV_CALL;
    snprintf(e.prog, sizeof e.prog, "%s", prog);
    e.pid = 42;
    e.seq = seq;
    snprintf(e.call, sizeof e.call, "%s", call);
    snprintf(e.proto, sizeof e.proto, "tcp");
    snprintf(e.local, sizeof e.local, "127.0.0.1:40000");
    snprintf(e.remote, sizeof e.remote, "127.0.0.2:6666");
    e.fd = 3;
    e.t0_ns = t0;
    e.t1_ns = t0 + 10;
    return e;
}

START_TEST(test_sidecar_loaded_and_saved)
{
    const char *cap = tmpdir_path("g.pcap");
    write_capture(cap);
    char side[300], err[SK_ERRBUF_SIZE];
    ck_assert_int_eq(sk_labev_sidecar_path(cap, side, sizeof side), 0);
    /* Written out of order: the session sorts them by time. */
    struct sk_labevent ev[3] = {event("lab-tcp-client", 3, "write", T0 + 250),
                                event("lab-tcp-client", 1, "socket", T0 - 100),
                                event("lab-tcp-client", 2, "connect", T0 - 50)};
    ck_assert_int_eq(sk_labev_save(side, ev, 3, err), 0);

    struct sk_session *s = open_file(cap, NULL);
    ck_assert_uint_eq(sk_session_event_count(s), 3);
    struct sk_labevent got[4];
    ck_assert_uint_eq(sk_session_events(s, 0, got, 4), 3);
    ck_assert_str_eq(got[0].call, "socket");
    ck_assert_str_eq(got[1].call, "connect");
    ck_assert_str_eq(got[2].call, "write");
    ck_assert_uint_eq(sk_session_events(s, 2, got, 4), 1);
    ck_assert_uint_eq(sk_session_events(s, 3, got, 4), 0);

    struct sk_labevent late = event("lab-tcp-client", 4, "close", T0 + 800);
    ck_assert_int_eq(sk_session_add_event(s, &late, err), 0);
    struct sk_session_info in;
    sk_session_info(s, &in);
    ck_assert_uint_eq(in.events, 4);

    /* Saving writes the packets shown and the events beside them. */
    const char *copy = tmpdir_path("copy.pcap");
    ck_assert_int_eq(sk_session_set_filter(s, "tcp", err), 0);
    ck_assert(sk_session_wait(s, 10000));
    ck_assert_int_eq(sk_session_save(s, copy, err), 0);
    ck_assert_int_eq(sk_session_save(s, cap, err), -1); /* not over the file being read */
    sk_session_close(s, NULL);

    struct sk_session *r = open_file(copy, NULL);
    ck_assert_uint_eq(sk_session_count(r), 8);
    ck_assert_uint_eq(sk_session_rec(r, 3)->len, 13);
    ck_assert_uint_eq(sk_session_event_count(r), 4);
    ck_assert_uint_eq(sk_session_events(r, 3, got, 1), 1);
    ck_assert_str_eq(got[0].call, "close");
    sk_session_close(r, NULL);
}
END_TEST

/* ------------------------------------------------------------------ Background */

/* Many packets: the screen's calls must get answers while indexing goes on. */
START_TEST(test_big_file_indexed_in_background)
{
    const char *cap = tmpdir_path("big.pcap");
    char err[SK_ERRBUF_SIZE];
    build_frames();
    struct sk_dump *d = sk_dump_open_dlt(DLT_RAW, 65535, cap, err);
    ck_assert_ptr_nonnull(d);
    enum { N = 200000 };
    for (uint32_t i = 0; i < N; i++) {
        /* UDP from many source ports: many conversations. */
        struct frame f = udp((uint16_t)(1024 + i % 20000), 7777, "x", T0 + i);
        struct sk_raw raw = {.n = i + 1, .ts_ns = f.ts, .caplen = f.len, .wirelen = f.len,
                             .data = f.b};
        ck_assert_int_eq(sk_dump_write(d, &raw, NULL, err), 0);
    }
    ck_assert_int_eq(sk_dump_close(d, err), 0);

    struct sk_session_opts o = {.file = cap};
    struct sk_session *s = sk_session_open(&o, err);
    ck_assert_ptr_nonnull(s);
    size_t last = 0;
    int calls = 0;
    struct sk_session_info in;
    do {
        sk_session_info(s, &in);
        size_t n = sk_session_count(s);
        ck_assert_uint_ge(n, last); /* only grows */
        last = n;
        size_t nc = sk_session_conv_count(s);
        if (nc > 0) {
            struct sk_conv c;
            ck_assert(sk_session_conv(s, (uint32_t)(nc - 1), &c));
            ck_assert_uint_eq(c.proto, 17);
        }
        calls++;
    } while (in.indexing);
    ck_assert(sk_session_wait(s, 0));
    ck_assert_uint_eq(sk_session_count(s), N);
    ck_assert_uint_eq(sk_session_conv_count(s), 20000);
    ck_assert_uint_eq(sk_session_conv_size(s, 19999), N / 20000);
    ck_assert_int_gt(calls, 1);
    sk_session_close(s, NULL);
}
END_TEST

/* Closing while the thread is still reading stops it cleanly. */
START_TEST(test_close_while_indexing)
{
    const char *cap = tmpdir_path("h.pcap");
    char err[SK_ERRBUF_SIZE];
    struct sk_dump *d = sk_dump_open_dlt(DLT_RAW, 65535, cap, err);
    ck_assert_ptr_nonnull(d);
    for (uint32_t i = 0; i < 100000; i++) {
        struct frame f = udp(1000, 7777, "y", T0 + i);
        struct sk_raw raw = {.n = i + 1, .ts_ns = f.ts, .caplen = f.len, .wirelen = f.len,
                             .data = f.b};
        ck_assert_int_eq(sk_dump_write(d, &raw, NULL, err), 0);
    }
    ck_assert_int_eq(sk_dump_close(d, err), 0);
    struct sk_session_opts o = {.file = cap};
    for (int k = 0; k < 5; k++) {
        struct sk_session *s = sk_session_open(&o, err);
        ck_assert_ptr_nonnull(s);
        ck_assert_int_eq(sk_session_close(s, err), 0);
    }
}
END_TEST

Suite *session_suite(void); /* found by the runner (tests/unit/main.c) */
Suite *session_suite(void)
{
    Suite *s = suite_create("session");
    TCase *tc = tcase_create("Core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_file_records_and_conversations);
    tcase_add_test(tc, test_read_again_and_find_frame);
    suite_add_tcase(s, tc);
    tc = tcase_create("Filter");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_filter_keeps_frame_numbers);
    tcase_add_test(tc, test_bad_filter_keeps_the_old_one);
    suite_add_tcase(s, tc);
    tc = tcase_create("Errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_open_errors);
    tcase_add_test(tc, test_truncated_file_keeps_what_was_read);
    suite_add_tcase(s, tc);
    tc = tcase_create("Events");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_sidecar_loaded_and_saved);
    suite_add_tcase(s, tc);
    tc = tcase_create("Background");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_big_file_indexed_in_background);
    tcase_add_test(tc, test_close_while_indexing);
    suite_add_tcase(s, tc);
    return s;
}
