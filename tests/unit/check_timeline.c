/* check_timeline.c — the labs' system calls placed among a conversation's packets (core/timeline.c). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "timeline.h"
#include "tcp.h"

/* A connection 127.0.0.1:40000 -> 127.0.0.1:6666 with 10 packets at times
 * 100, 200, ... 1000: handshake (0-2), data and ACK (3-6), FINs (7-9). */
static struct sk_conv conv;
static int64_t times[10];

static int64_t ts_at(void *ctx, size_t pos)
{
    (void)ctx;
    return times[pos];
}

static void setup(void)
{
    memset(&conv, 0, sizeof conv);
    conv.proto = 6;
    ck_assert(sk_addr_parse("127.0.0.1", &conv.addr[SK_CLIENT]));
    ck_assert(sk_addr_parse("127.0.0.1", &conv.addr[SK_SERVER]));
    conv.port[SK_CLIENT] = 40000;
    conv.port[SK_SERVER] = 6666;
    for (int i = 0; i < 10; i++)
        times[i] = 100 * (i + 1);
}

static struct sk_labevent call(const char *prog, const char *name, const char *local,
                               const char *remote, int64_t t0, int64_t t1)
{
    struct sk_labevent e;
    memset(&e, 0, sizeof e);
    e.kind = SK_LABEV_CALL;
    snprintf(e.prog, sizeof e.prog, "%s", prog);
    snprintf(e.call, sizeof e.call, "%s", name);
    snprintf(e.proto, sizeof e.proto, "tcp");
    snprintf(e.local, sizeof e.local, "%s", local);
    snprintf(e.remote, sizeof e.remote, "%s", remote);
    e.t0_ns = t0;
    e.t1_ns = t1;
    return e;
}

#define CLI "127.0.0.1:40000"
#define SRV "127.0.0.1:6666"

/* The lab run of the course: listen, connect/accept through the handshake,
 * a write, a read that returns 0 at the FIN. */
static size_t lab_run(struct sk_labevent *ev)
{
    size_t n = 0;
    ev[n++] = call("lab-tcp-server", "listen", SRV, "", 10, 12);           /* 0 */
    ev[n++] = call("lab-tcp-server", "accept", SRV, CLI, 20, 350);         /* 1 */
    ev[n++] = call("lab-tcp-client", "connect", CLI, SRV, 50, 320);        /* 2 */
    ev[n++] = call("lab-tcp-client", "write", CLI, SRV, 390, 395);         /* 3 */
    ev[n++] = call("lab-tcp-server", "read", SRV, CLI, 360, 830);          /* 4 */
    ev[n++] = call("lab-tcp-client", "close", CLI, SRV, 1100, 1101);       /* 5 */
    /* Not this conversation's: another port, another protocol, not a call. */
    ev[n++] = call("lab-tcp-client", "connect", "127.0.0.1:40001", SRV, 60, 70);
    ev[n] = call("lab-udp-send", "sendto", CLI, SRV, 80, 90);
    snprintf(ev[n++].proto, sizeof ev[0].proto, "udp");
    ev[n] = call("lab-tcp-client", "connect", CLI, SRV, 40, 45);
    ev[n++].kind = SK_LABEV_STEP;
    return n;
}

static const struct sk_tl_call *find(const struct sk_tl_call *c, size_t n, uint32_t ev)
{
    for (size_t i = 0; i < n; i++)
        if (c[i].ev == ev)
            return &c[i];
    return NULL;
}

START_TEST(test_place)
{
    struct sk_labevent ev[16];
    size_t nev = lab_run(ev);
    struct sk_tl_call calls[16];
    size_t n = sk_timeline_place(ev, nev, &conv, 10, ts_at, NULL, calls, 16);
    ck_assert_uint_eq(n, 6);
    const struct sk_tl_call *c;
    /* listen(): returned before anything was sent. */
    c = find(calls, n, 0);
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(c->side, SK_SERVER);
    ck_assert_uint_eq(c->begin, 0);
    ck_assert_uint_eq(c->end, 0);
    /* accept() and connect() blocked through the handshake (packets 0-2). */
    c = find(calls, n, 1);
    ck_assert_uint_eq(c->side, SK_SERVER);
    ck_assert_uint_eq(c->begin, 0);
    ck_assert_uint_eq(c->end, 3);
    c = find(calls, n, 2);
    ck_assert_uint_eq(c->side, SK_CLIENT);
    ck_assert_uint_eq(c->begin, 0);
    ck_assert_uint_eq(c->end, 3);
    /* write() returned (395) before its segment was stamped (400): one
     * line, before packet 3. */
    c = find(calls, n, 3);
    ck_assert_uint_eq(c->begin, 3);
    ck_assert_uint_eq(c->end, 3);
    /* read() waited from 360 to 830: packets 3 to 7 went by. */
    c = find(calls, n, 4);
    ck_assert_uint_eq(c->begin, 3);
    ck_assert_uint_eq(c->end, 8);
    /* close() after the last packet. */
    c = find(calls, n, 5);
    ck_assert_uint_eq(c->begin, 10);
    ck_assert_uint_eq(c->end, 10);
    /* Ordered by where they begin. */
    for (size_t i = 1; i < n; i++)
        ck_assert_uint_le(calls[i - 1].begin, calls[i].begin);
    ck_assert_uint_eq(sk_timeline_place(ev, nev, &conv, 10, ts_at, NULL, calls, 2), 2);
}
END_TEST

START_TEST(test_packet_at_call_start_belongs_to_it)
{
    struct sk_labevent e = call("lab-tcp-client", "connect", CLI, SRV, 100, 150);
    struct sk_tl_call c;
    ck_assert_uint_eq(sk_timeline_place(&e, 1, &conv, 10, ts_at, NULL, &c, 1), 1);
    ck_assert_uint_eq(c.begin, 0);
    ck_assert_uint_eq(c.end, 1);
    /* A packet stamped the nanosecond the call returned went by during it. */
    e = call("lab-tcp-client", "read", CLI, SRV, 150, 300);
    ck_assert_uint_eq(sk_timeline_place(&e, 1, &conv, 10, ts_at, NULL, &c, 1), 1);
    ck_assert_uint_eq(c.begin, 1);
    ck_assert_uint_eq(c.end, 3);
}
END_TEST

START_TEST(test_lines_whole)
{
    struct sk_labevent ev[16];
    size_t nev = lab_run(ev);
    struct sk_tl_call calls[16];
    size_t nc = sk_timeline_place(ev, nev, &conv, 10, ts_at, NULL, calls, 16);
    struct sk_tl_line l[64];
    size_t n = sk_timeline_lines(calls, nc, 0, 10, 10, l, 64);
    /* 10 packets + listen + 2 begin/return pairs (accept, connect) + write +
     * read begin/return + close. */
    ck_assert_uint_eq(n, 10 + 1 + 4 + 1 + 2 + 1);
    /* listen, accept..., connect..., packet 0. */
    ck_assert_int_eq(l[0].kind, SK_TL_CALL);
    ck_assert_uint_eq(calls[l[0].call].ev, 0);
    ck_assert_int_eq(l[1].kind, SK_TL_BEGIN);
    ck_assert_uint_eq(calls[l[1].call].ev, 1);
    ck_assert_int_eq(l[2].kind, SK_TL_BEGIN);
    ck_assert_uint_eq(calls[l[2].call].ev, 2);
    ck_assert_int_eq(l[3].kind, SK_TL_PACKET);
    ck_assert_uint_eq(l[3].pos, 0);
    /* After packet 2: connect returned (320) before accept (350), then
     * read began (360) and write ran (390), then packet 3. */
    ck_assert_int_eq(l[6].kind, SK_TL_RETURN);
    ck_assert_uint_eq(calls[l[6].call].ev, 2);
    ck_assert_int_eq(l[7].kind, SK_TL_RETURN);
    ck_assert_uint_eq(calls[l[7].call].ev, 1);
    ck_assert_int_eq(l[8].kind, SK_TL_BEGIN);
    ck_assert_uint_eq(calls[l[8].call].ev, 4);
    ck_assert_int_eq(l[9].kind, SK_TL_CALL);
    ck_assert_uint_eq(calls[l[9].call].ev, 3);
    ck_assert_int_eq(l[10].kind, SK_TL_PACKET);
    ck_assert_uint_eq(l[10].pos, 3);
    /* The last line is close(), after the last packet. */
    ck_assert_int_eq(l[n - 1].kind, SK_TL_CALL);
    ck_assert_uint_eq(calls[l[n - 1].call].ev, 5);
    ck_assert_uint_eq(l[n - 1].pos, 10);
    ck_assert_int_eq(l[n - 2].kind, SK_TL_PACKET);
    ck_assert_uint_eq(l[n - 2].pos, 9);
    /* Sides. */
    ck_assert_uint_eq(l[0].side, SK_SERVER);
    ck_assert_uint_eq(l[2].side, SK_CLIENT);
    /* A short output array is filled, not overrun. */
    ck_assert_uint_eq(sk_timeline_lines(calls, nc, 0, 10, 10, l, 5), 5);
}
END_TEST

START_TEST(test_lines_window)
{
    struct sk_labevent ev[16];
    size_t nev = lab_run(ev);
    struct sk_tl_call calls[16];
    size_t nc = sk_timeline_place(ev, nev, &conv, 10, ts_at, NULL, calls, 16);
    struct sk_tl_line l[64];
    /* Packets 4-7: only read()'s return (before packet 8) is outside. */
    size_t n = sk_timeline_lines(calls, nc, 4, 8, 10, l, 64);
    ck_assert_uint_eq(n, 4);
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(l[i].kind, SK_TL_PACKET);
        ck_assert_uint_eq(l[i].pos, 4 + i);
    }
    /* Packets 8-9 (the end): read returned before 8, close comes after 9. */
    n = sk_timeline_lines(calls, nc, 8, 10, 10, l, 64);
    ck_assert_uint_eq(n, 4);
    ck_assert_int_eq(l[0].kind, SK_TL_RETURN);
    ck_assert_int_eq(l[1].kind, SK_TL_PACKET);
    ck_assert_int_eq(l[3].kind, SK_TL_CALL);
    /* An empty window, and one past the end. */
    ck_assert_uint_eq(sk_timeline_lines(calls, nc, 5, 5, 10, l, 64), 0);
    ck_assert_uint_eq(sk_timeline_lines(calls, nc, 10, 10, 10, l, 64), 1);
    ck_assert_uint_eq(sk_timeline_lines(calls, nc, 12, 20, 10, l, 64), 1);
    /* No calls: just the packets. */
    ck_assert_uint_eq(sk_timeline_lines(NULL, 0, 2, 6, 10, l, 64), 4);
}
END_TEST

START_TEST(test_blocked)
{
    struct sk_labevent ev[16];
    size_t nev = lab_run(ev);
    struct sk_tl_call calls[16];
    size_t nc = sk_timeline_place(ev, nev, &conv, 10, ts_at, NULL, calls, 16);
    /* connect() on the client: from the SYN (0) through the ACK (2). */
    ck_assert(sk_timeline_blocked(calls, nc, 0, SK_CLIENT));
    ck_assert(sk_timeline_blocked(calls, nc, 2, SK_CLIENT));
    ck_assert(!sk_timeline_blocked(calls, nc, 3, SK_CLIENT));
    /* read() on the server: packets 3 to 7. */
    ck_assert(sk_timeline_blocked(calls, nc, 7, SK_SERVER));
    ck_assert(!sk_timeline_blocked(calls, nc, 8, SK_SERVER));
    ck_assert(!sk_timeline_blocked(calls, nc, 9, SK_CLIENT));
}
END_TEST

START_TEST(test_text)
{
    char buf[256];
    struct sk_labevent e = call("lab-tcp-client", "connect", CLI, SRV, 1, 2);
    snprintf(e.args, sizeof e.args, "fd 3, 127.0.0.1:6666");
    snprintf(e.state, sizeof e.state, "ESTABLISHED");
    snprintf(e.node, sizeof e.node, "connect");
    ck_assert_uint_eq(sk_timeline_text(&e, SK_TL_BEGIN, buf, sizeof buf), strlen(buf));
    ck_assert_str_eq(buf, "connect(fd 3, 127.0.0.1:6666) ...");
    sk_timeline_text(&e, SK_TL_RETURN, buf, sizeof buf);
    ck_assert_str_eq(buf, "connect() = 0 ESTABLISHED [connect]");
    sk_timeline_text(&e, SK_TL_CALL, buf, sizeof buf);
    ck_assert_str_eq(buf, "connect(fd 3, 127.0.0.1:6666) = 0 ESTABLISHED [connect]");

    e.ret = -1;
    snprintf(e.err, sizeof e.err, "ECONNREFUSED");
    snprintf(e.state, sizeof e.state, "CLOSED");
    e.node[0] = '\0';
    sk_timeline_text(&e, SK_TL_RETURN, buf, sizeof buf);
    ck_assert_str_eq(buf, "connect() = -1 ECONNREFUSED CLOSED");

    /* What a lab sends reaches the terminal escaped. */
    snprintf(e.args, sizeof e.args, "fd 3, \x1b[2J\x07");
    sk_timeline_text(&e, SK_TL_BEGIN, buf, sizeof buf);
    ck_assert_str_eq(buf, "connect(fd 3, \\x1b[2J\\x07) ...");
    for (const char *p = buf; *p; p++)
        ck_assert_int_ge((unsigned char)*p, 0x20);

    /* Cut to the buffer, terminated. */
    ck_assert_uint_lt(sk_timeline_text(&e, SK_TL_CALL, buf, 10), 10);
    ck_assert_uint_eq(strlen(buf), sk_timeline_text(&e, SK_TL_CALL, buf, 10));
}
END_TEST

Suite *timeline_suite(void); /* found by the runner (tests/unit/main.c) */
Suite *timeline_suite(void)
{
    Suite *s = suite_create("timeline");
    TCase *tc = tcase_create("Core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_place);
    tcase_add_test(tc, test_packet_at_call_start_belongs_to_it);
    tcase_add_test(tc, test_lines_whole);
    tcase_add_test(tc, test_lines_window);
    tcase_add_test(tc, test_blocked);
    tcase_add_test(tc, test_text);
    suite_add_tcase(s, tc);
    return s;
}
