/* check_check.c — the scenario table (core/scenario.c), the grader
 * (core/check.c) on hand-built connections and on the committed captures
 * (each passes its own scenario and fails the others at the right step), and
 * the runner (core/run.c) driving real lab programs without capturing. */
#include <check.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analyze.h"
#include "checker.h"
#include "labevents.h"
#include "run.h"
#include "scenario.h"
#include "testframes.h"

/* ================================================================ building captures
 *
 * A synthetic capture: raw IPv4 frames (DLT_RAW) fed through the real
 * analyzer into a trace, as sk_check_file would. */

struct ep {
    uint8_t a[4];
    uint16_t port;
};

struct syn {
    struct sk_analyzer *an;
    struct sk_trace *tr;
    uint32_t n;      /* frames so far */
    int64_t ts;      /* ns */
    int64_t step;    /* added to ts before each frame */
    struct sk_labev_list ev;
    bool events;
};

static void syn_init(struct syn *s)
{
    memset(s, 0, sizeof *s);
    s->an = sk_analyzer_new(DLT_RAW);
    s->tr = sk_trace_new();
    ck_assert(s->an && s->tr);
    s->ts = 1700000000LL * 1000000000LL;
    s->step = 1000000; /* 1 ms */
}

static void syn_free(struct syn *s)
{
    sk_analyzer_free(s->an);
    sk_trace_free(s->tr);
    sk_labev_list_free(&s->ev);
}

static void syn_feed(struct syn *s, struct fb *f)
{
    s->ts += s->step;
    struct sk_raw raw = {.n = ++s->n, .ts_ns = s->ts, .caplen = (uint32_t)f->n,
                         .wirelen = (uint32_t)f->n, .data = f->b, .off = 0};
    struct sk_result res;
    char err[SK_ERRBUF_SIZE];
    ck_assert_int_eq(sk_analyzer_add(s->an, &raw, &res, err), 0);
    ck_assert_int_eq(sk_trace_add(s->tr, &res.rec), 0);
}

static size_t ip4(struct fb *f, const uint8_t *src, const uint8_t *dst, unsigned proto)
{
    size_t at = f->n;
    put8(f, 0x45);
    put8(f, 0);
    put16(f, 0);
    put16(f, 0x1234);
    put16(f, 0x4000);
    put8(f, 64);
    put8(f, proto);
    put16(f, 0);
    putn(f, src, 4);
    putn(f, dst, 4);
    return at;
}

/* One TCP segment from `from` to `to` with len payload bytes. */
static void tcp(struct syn *s, const struct ep *from, const struct ep *to, unsigned flags,
                uint32_t seq, uint32_t ack, unsigned len, unsigned win)
{
    struct fb f = {.n = 0};
    size_t ip = ip4(&f, from->a, to->a, 6);
    fb_tcp(&f, from->port, to->port, seq, ack, flags, win, NULL, 0);
    for (unsigned i = 0; i < len; i++)
        put8(&f, 'a' + i % 26);
    fb_ip4_done(&f, ip);
    syn_feed(s, &f);
}

static void udp(struct syn *s, const struct ep *from, const struct ep *to, unsigned len)
{
    struct fb f = {.n = 0};
    size_t ip = ip4(&f, from->a, to->a, 17);
    size_t u = fb_udp(&f, from->port, to->port);
    for (unsigned i = 0; i < len; i++)
        put8(&f, 'A' + i % 26);
    fb_udp_done(&f, u);
    fb_ip4_done(&f, ip);
    syn_feed(s, &f);
}

/* ICMP port unreachable from the server's host, quoting a datagram of dg_from
 * to dg_to. */
static void icmp_unreach(struct syn *s, const struct ep *dg_from, const struct ep *dg_to)
{
    struct fb f = {.n = 0};
    size_t ip = ip4(&f, dg_to->a, dg_from->a, 1);
    fb_icmp(&f, 3, 3, 0);
    size_t q = ip4(&f, dg_from->a, dg_to->a, 17);
    set16(&f, q + 2, 20 + 8 + 13);
    put16(&f, dg_from->port);
    put16(&f, dg_to->port);
    put16(&f, 8 + 13);
    put16(&f, 0);
    fb_ip4_done(&f, ip);
    syn_feed(s, &f);
}

static void add_event(struct syn *s, const char *prog, const char *call, long long ret,
                      const char *err, const char *local, const char *remote, const char *args)
{
    struct sk_labevent e;
    memset(&e, 0, sizeof e);
    e.kind = SK_LABEV_CALL;
    snprintf(e.prog, sizeof e.prog, "%s", prog);
    snprintf(e.call, sizeof e.call, "%s", call);
    snprintf(e.err, sizeof e.err, "%s", err);
    snprintf(e.local, sizeof e.local, "%s", local);
    snprintf(e.remote, sizeof e.remote, "%s", remote);
    snprintf(e.args, sizeof e.args, "%s", args);
    snprintf(e.proto, sizeof e.proto, "%s", strstr(prog, "udp") ? "udp" : "tcp");
    e.ret = ret;
    e.fd = 3;
    e.t0_ns = e.t1_ns = s->ts;
    char ebuf[SK_ERRBUF_SIZE];
    ck_assert_int_eq(sk_labev_list_push(&s->ev, &e, ebuf), 0);
    s->events = true;
}

static void grade(struct syn *s, const char *name, struct sk_check_report *rep)
{
    const struct sk_scenario *sc = sk_scenario_find(name);
    ck_assert_msg(sc != NULL, "no scenario %s", name);
    struct sk_check_input in = {.trace = s->tr, .convs = sk_analyzer_convs(s->an),
                                .ev = s->ev.ev, .nev = s->ev.n, .events = s->events};
    sk_check_run(sc, &in, rep);
}

static const struct sk_step_result *step(const struct sk_check_report *rep, const char *id)
{
    for (size_t i = 0; i < rep->nsteps; i++)
        if (strcmp(rep->step[i].step->id, id) == 0)
            return &rep->step[i];
    ck_abort_msg("scenario %s has no step %s", rep->sc->name, id);
    return NULL;
}

/* The step's verdict, with its detail on failure to read the difference. */
#define ck_step(rep, id, want)                                                                  \
    do {                                                                                        \
        const struct sk_step_result *r_ = step((rep), (id));                                    \
        ck_assert_msg(r_->verdict == (want), "%s/%s: %s, expected %s (%s)", (rep)->sc->name,    \
                      (id), sk_verdict_name((enum sk_verdict)r_->verdict),                      \
                      sk_verdict_name(want), r_->detail);                                       \
    } while (0)

#define ck_detail(rep, id, needle)                                                              \
    do {                                                                                        \
        const struct sk_step_result *r_ = step((rep), (id));                                    \
        ck_assert_msg(strstr(r_->detail, (needle)) != NULL, "%s/%s: '%s' lacks '%s'",           \
                      (rep)->sc->name, (id), r_->detail, (needle));                             \
    } while (0)

static void ck_packets(const struct sk_check_report *rep, const char *id, const uint32_t *want,
                       unsigned n)
{
    const struct sk_step_result *r = step(rep, id);
    ck_assert_msg(r->npackets == n, "%s: %u evidence packets, expected %u", id, r->npackets, n);
    for (unsigned i = 0; i < n; i++)
        ck_assert_uint_eq(r->packets[i], want[i]);
}

/* The first failing step's id, "" if none. */
static const char *first_fail(const struct sk_check_report *rep)
{
    for (size_t i = 0; i < rep->nsteps; i++)
        if (rep->step[i].verdict == SK_FAIL)
            return rep->step[i].step->id;
    return "";
}

static const struct ep CL = {{192, 168, 1, 20}, 51000};
static const struct ep SV = {{192, 168, 1, 1}, 6666};

/* A whole connection: handshake, 13 bytes up, 10 down, then a close. The
 * client's ISN is just below 2^32, so sequence numbers wrap. */
#define CI 0xfffffff0u
#define SI 7u

static void open_conn(struct syn *s, const struct ep *c, const struct ep *v)
{
    tcp(s, c, v, SK_TH_SYN, CI, 0, 0, 64240);                     /* 1 */
    tcp(s, v, c, SK_TH_SYN | SK_TH_ACK, SI, CI + 1, 0, 65160);    /* 2 */
    tcp(s, c, v, SK_TH_ACK, CI + 1, SI + 1, 0, 64240);            /* 3 */
    tcp(s, c, v, SK_TH_ACK | SK_TH_PSH, CI + 1, SI + 1, 13, 64240); /* 4 */
    tcp(s, v, c, SK_TH_ACK, SI + 1, CI + 14, 0, 65160);          /* 5 */
    tcp(s, v, c, SK_TH_ACK | SK_TH_PSH, SI + 1, CI + 14, 10, 65160); /* 6 */
    tcp(s, c, v, SK_TH_ACK, CI + 14, SI + 11, 0, 64240);          /* 7 */
}

/* The client closes first; the server's FIN comes with its ACK. */
static void client_close(struct syn *s, const struct ep *c, const struct ep *v)
{
    tcp(s, c, v, SK_TH_FIN | SK_TH_ACK, CI + 14, SI + 11, 0, 64240);
    tcp(s, v, c, SK_TH_FIN | SK_TH_ACK, SI + 11, CI + 15, 0, 65160);
    tcp(s, c, v, SK_TH_ACK, CI + 15, SI + 12, 0, 64240);
}

static void server_close(struct syn *s, const struct ep *c, const struct ep *v)
{
    tcp(s, v, c, SK_TH_FIN | SK_TH_ACK, SI + 11, CI + 14, 0, 65160);
    tcp(s, c, v, SK_TH_FIN | SK_TH_ACK, CI + 14, SI + 12, 0, 64240);
    tcp(s, v, c, SK_TH_ACK, SI + 12, CI + 15, 0, 65160);
}

/* ================================================================ the table */

START_TEST(test_scenario_table)
{
    static const char *const names[] = {"handshake", "half-close", "rst", "refused",
                                        "time-wait", "close-wait", "backlog", "nagle",
                                        "zero-window", "udp", "udp-unreachable", "ipv6", "loss"};
    ck_assert_uint_eq(sk_scenario_count(), 13);
    for (size_t i = 0; i < sk_scenario_count(); i++) {
        const struct sk_scenario *sc = sk_scenario_get(i);
        ck_assert_str_eq(sc->name, names[i]);
        ck_assert_int_eq(sc->order, (int)i + 1);
        ck_assert_ptr_eq(sk_scenario_find(sc->name), sc);
        ck_assert(sc->summary && *sc->summary);
        ck_assert(sc->proto == 6 || sc->proto == 17);
        ck_assert(sc->family == 4 || sc->family == 6);
        size_t ns = sk_scenario_nsteps(sc), na = sk_scenario_nactions(sc);
        ck_assert_msg(ns >= 2 && ns < SK_SCENARIO_MAX_STEPS, "%s: %zu steps", sc->name, ns);
        ck_assert_msg(na >= 1 && na < SK_SCENARIO_MAX_ACTIONS, "%s: %zu actions", sc->name, na);
        for (size_t a = 0; a < na; a++) {
            const struct sk_action *act = &sc->plan[a];
            if (act->act == SK_ACT_SERVER || act->act == SK_ACT_START || act->act == SK_ACT_RUN) {
                ck_assert(strncmp(act->prog, "lab-", 4) == 0);
                ck_assert(act->args != NULL);
            }
            if (act->act == SK_ACT_SERVER)
                ck_assert_msg(strstr(act->args, "{port}"), "%s: server without {port}", sc->name);
            if (act->act == SK_ACT_CUT)
                ck_assert_int_eq(sc->setup, SK_SETUP_NETNS);
        }
        for (size_t k = 0; k < ns; k++) {
            const struct sk_step *st = &sc->steps[k];
            ck_assert(st->text && *st->text && st->id && *st->id);
            ck_assert_ptr_eq(sk_scenario_step(sc, st->id), st); /* ids are unique */
            for (const char *p = st->id; *p; p++)
                ck_assert_msg((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-',
                              "%s: step id %s", sc->name, st->id);
        }
    }
    ck_assert_ptr_null(sk_scenario_find("handshakes"));
    ck_assert_ptr_null(sk_scenario_find(NULL));
    ck_assert_ptr_null(sk_scenario_get(13));
    ck_assert_ptr_null(sk_scenario_step(sk_scenario_find("rst"), "nope"));
    ck_assert_str_eq(sk_verdict_name(SK_PASS), "pass");
    ck_assert_str_eq(sk_verdict_name(SK_FAIL), "fail");
    ck_assert_str_eq(sk_verdict_name(SK_SKIP), "skip");
    ck_assert_str_eq(sk_verdict_name(SK_INFO), "info");
}
END_TEST

/* ================================================================ TCP, hand-built */

START_TEST(test_check_handshake_pass)
{
    struct syn s;
    syn_init(&s);
    s.step = 2500000000LL; /* 2.5 s between packets: timing never matters */
    open_conn(&s, &CL, &SV);
    client_close(&s, &CL, &SV);
    struct sk_check_report rep;
    grade(&s, "handshake", &rep);
    ck_assert_str_eq(first_fail(&rep), "");
    ck_assert_uint_eq(rep.failed, 0);
    ck_assert_uint_eq(rep.passed, 5);
    ck_assert(sk_check_passed(&rep));
    ck_assert_uint_eq(rep.nconns, 1);
    ck_assert_str_eq(rep.conns[0], "192.168.1.20:51000 > 192.168.1.1:6666");
    static const uint32_t hs[] = {1, 2, 3}, fin[] = {8};
    ck_packets(&rep, "handshake", hs, 3);
    ck_packets(&rep, "client-closes-first", fin, 1);
    ck_detail(&rep, "client-data", "13 bytes in 1 segment");
    ck_detail(&rep, "server-data", "10 bytes in 1 segment");
    syn_free(&s);
}
END_TEST

START_TEST(test_check_handshake_server_first)
{
    struct syn s;
    syn_init(&s);
    open_conn(&s, &CL, &SV);
    server_close(&s, &CL, &SV);
    struct sk_check_report rep;
    grade(&s, "handshake", &rep);
    ck_assert_str_eq(first_fail(&rep), "client-closes-first");
    ck_detail(&rep, "client-closes-first", "the server sent the first FIN (packet 8), not the client");
    ck_step(&rep, "graceful-close", SK_PASS);
    ck_assert_uint_eq(rep.failed, 1);
    /* ... which is what time-wait wants */
    grade(&s, "time-wait", &rep);
    ck_step(&rep, "server-closes-first", SK_PASS);
    ck_step(&rep, "server-time-wait", SK_PASS);
    ck_detail(&rep, "server-time-wait", "packet 10");
    ck_step(&rep, "restart-eaddrinuse", SK_SKIP);
    ck_detail(&rep, "restart-eaddrinuse", "no syscall events");
    ck_step(&rep, "restart-accepts", SK_FAIL);
    ck_detail(&rep, "restart-accepts", "there is no connection 2");
    syn_free(&s);
}
END_TEST

/* A student's capture on a real interface: DNS, a connection already open
 * when the capture began, then the experiment. */
START_TEST(test_check_background_traffic)
{
    struct syn s;
    syn_init(&s);
    struct ep dns_c = {{192, 168, 1, 20}, 40000}, dns_s = {{192, 168, 1, 254}, 53};
    struct ep web_c = {{192, 168, 1, 20}, 45000}, web_s = {{93, 184, 216, 34}, 443};
    udp(&s, &dns_c, &dns_s, 30);
    udp(&s, &dns_s, &dns_c, 46);
    tcp(&s, &web_c, &web_s, SK_TH_ACK | SK_TH_PSH, 1000, 2000, 100, 500); /* mid-stream */
    tcp(&s, &web_s, &web_c, SK_TH_ACK, 2000, 1100, 0, 500);
    open_conn(&s, &CL, &SV);
    tcp(&s, &web_c, &web_s, SK_TH_ACK | SK_TH_PSH, 1100, 2000, 50, 500);
    client_close(&s, &CL, &SV);
    struct sk_check_report rep;
    grade(&s, "handshake", &rep);
    ck_assert_str_eq(first_fail(&rep), "");
    ck_assert_uint_eq(rep.nconns, 1);
    ck_assert_str_eq(rep.conns[0], "192.168.1.20:51000 > 192.168.1.1:6666");
    static const uint32_t hs[] = {5, 6, 7};
    ck_packets(&rep, "handshake", hs, 3);
    /* the UDP experiment finds no flow of its own: DNS is background */
    grade(&s, "udp", &rep);
    ck_step(&rep, "datagrams", SK_FAIL);
    ck_detail(&rep, "datagrams", "no UDP flow in this capture");
    /* -f: the same capture, only port 443: a connection without a SYN */
    syn_free(&s);
}
END_TEST

START_TEST(test_check_midstream_only)
{
    struct syn s;
    syn_init(&s);
    tcp(&s, &CL, &SV, SK_TH_ACK | SK_TH_PSH, 500, 900, 13, 500);
    tcp(&s, &SV, &CL, SK_TH_ACK | SK_TH_PSH, 900, 513, 10, 500);
    tcp(&s, &CL, &SV, SK_TH_FIN | SK_TH_ACK, 513, 910, 0, 500);
    struct sk_check_report rep;
    grade(&s, "handshake", &rep);
    ck_step(&rep, "handshake", SK_FAIL);
    ck_detail(&rep, "handshake", "no SYN: the capture begins in the middle of this connection");
    ck_step(&rep, "client-data", SK_PASS);
    ck_step(&rep, "client-closes-first", SK_PASS);
    ck_step(&rep, "graceful-close", SK_FAIL);
    ck_detail(&rep, "graceful-close", "the client's FIN (packet 3) was never acknowledged");
    syn_free(&s);
}
END_TEST

START_TEST(test_check_refused_and_reset)
{
    struct syn s;
    syn_init(&s);
    tcp(&s, &CL, &SV, SK_TH_SYN, 100, 0, 0, 64240);
    tcp(&s, &SV, &CL, SK_TH_RST | SK_TH_ACK, 0, 101, 0, 0);
    struct sk_check_report rep;
    grade(&s, "refused", &rep);
    ck_step(&rep, "refused", SK_PASS);
    ck_step(&rep, "connect-fails", SK_SKIP);
    ck_assert(sk_check_passed(&rep));
    ck_assert_uint_eq(rep.skipped, 1);
    grade(&s, "handshake", &rep);
    ck_assert_str_eq(first_fail(&rep), "handshake");
    ck_detail(&rep, "handshake", "the SYN (packet 1) was answered by RST (packet 2)");
    syn_free(&s);

    /* An abortive close by the client. */
    syn_init(&s);
    open_conn(&s, &CL, &SV);
    tcp(&s, &CL, &SV, SK_TH_RST | SK_TH_ACK, CI + 14, SI + 11, 0, 0);
    grade(&s, "rst", &rep);
    ck_assert_str_eq(first_fail(&rep), "");
    ck_detail(&rep, "client-resets", "packet 8");
    grade(&s, "refused", &rep);
    ck_assert_str_eq(first_fail(&rep), "refused");
    ck_detail(&rep, "refused", "the SYN (packet 1) was answered by SYN-ACK (packet 2)");
    grade(&s, "handshake", &rep);
    ck_assert_str_eq(first_fail(&rep), "client-closes-first");
    ck_detail(&rep, "client-closes-first", "nobody sent a FIN: the client reset the connection (packet 8)");
    ck_step(&rep, "graceful-close", SK_FAIL);
    syn_free(&s);

    /* A graceful close: rst fails, saying how it ended instead; a reset from
     * the wrong side too. */
    syn_init(&s);
    open_conn(&s, &CL, &SV);
    client_close(&s, &CL, &SV);
    grade(&s, "rst", &rep);
    ck_assert_str_eq(first_fail(&rep), "client-resets");
    ck_detail(&rep, "client-resets", "no RST: the client closed with FIN (packet 8)");
    syn_free(&s);
    syn_init(&s);
    open_conn(&s, &CL, &SV);
    tcp(&s, &SV, &CL, SK_TH_RST | SK_TH_ACK, SI + 11, CI + 14, 0, 0);
    grade(&s, "rst", &rep);
    ck_detail(&rep, "client-resets", "the RST came from the server (packet 8), not the client");
    syn_free(&s);
}
END_TEST

/* The client shuts down; the server acknowledges, keeps sending, then closes. */
static void half_close(struct syn *s, bool server_ack_apart)
{
    open_conn(s, &CL, &SV);
    tcp(s, &CL, &SV, SK_TH_FIN | SK_TH_ACK, CI + 14, SI + 11, 0, 64240);    /* 8 */
    if (server_ack_apart)
        tcp(s, &SV, &CL, SK_TH_ACK, SI + 11, CI + 15, 0, 65160);           /* 9 */
    tcp(s, &SV, &CL, SK_TH_ACK | SK_TH_PSH, SI + 11, CI + 15, 10, 65160);   /* 10 */
    tcp(s, &CL, &SV, SK_TH_ACK, CI + 15, SI + 21, 0, 64240);                /* 11 */
    tcp(s, &SV, &CL, SK_TH_FIN | SK_TH_ACK, SI + 21, CI + 15, 0, 65160);    /* 12 */
    tcp(s, &CL, &SV, SK_TH_ACK, CI + 15, SI + 22, 0, 64240);                /* 13 */
}

START_TEST(test_check_half_close_close_wait)
{
    struct syn s;
    syn_init(&s);
    half_close(&s, true);
    struct sk_check_report rep;
    grade(&s, "half-close", &rep);
    ck_assert_str_eq(first_fail(&rep), "");
    static const uint32_t hc[] = {8, 10, 11};
    ck_packets(&rep, "server-sends-after-fin", hc, 3);
    ck_step(&rep, "client-reads-eof", SK_SKIP);
    grade(&s, "close-wait", &rep);
    ck_assert_str_eq(first_fail(&rep), "");
    static const uint32_t cw[] = {8, 9, 12};
    ck_packets(&rep, "server-close-wait", cw, 3);
    ck_detail(&rep, "server-close-wait", "CLOSE_WAIT from packet 9 to packet 12");
    syn_free(&s);

    /* The server closes at once: its FIN comes with the ACK of the client's. */
    syn_init(&s);
    open_conn(&s, &CL, &SV);
    client_close(&s, &CL, &SV);
    grade(&s, "close-wait", &rep);
    ck_assert_str_eq(first_fail(&rep), "server-close-wait");
    ck_detail(&rep, "server-close-wait", "came with its acknowledgement of the client's FIN (packet 9)");
    grade(&s, "half-close", &rep);
    ck_assert_str_eq(first_fail(&rep), "server-sends-after-fin");
    ck_detail(&rep, "server-sends-after-fin", "the server sent no data after the client's FIN (packet 8)");
    syn_free(&s);
}
END_TEST

START_TEST(test_check_time_wait_restart)
{
    struct syn s;
    syn_init(&s);
    open_conn(&s, &CL, &SV);
    server_close(&s, &CL, &SV);
    struct ep cl2 = CL;
    cl2.port = 51002;
    open_conn(&s, &cl2, &SV);
    client_close(&s, &cl2, &SV);
    add_event(&s, "lab-tcp-server", "bind", -1, "EADDRINUSE", "", "", "fd 3, 192.168.1.1:6666");
    struct sk_check_report rep;
    grade(&s, "time-wait", &rep);
    ck_assert_str_eq(first_fail(&rep), "");
    ck_assert_uint_eq(rep.passed, 5);
    ck_assert_uint_eq(rep.nconns, 2);
    ck_detail(&rep, "restart-eaddrinuse", "bind(fd 3, 192.168.1.1:6666) = -1 EADDRINUSE");
    ck_detail(&rep, "restart-accepts", "handshake completed with packet 13");
    syn_free(&s);

    /* The second connection goes to another port: not a restart. */
    syn_init(&s);
    open_conn(&s, &CL, &SV);
    server_close(&s, &CL, &SV);
    struct ep sv2 = SV;
    sv2.port = 7777;
    open_conn(&s, &cl2, &sv2);
    add_event(&s, "lab-tcp-server", "bind", 0, "", "192.168.1.1:7777", "", "fd 3, 192.168.1.1:7777");
    grade(&s, "time-wait", &rep);
    ck_step(&rep, "restart-eaddrinuse", SK_FAIL);
    ck_detail(&rep, "restart-eaddrinuse", "no such call among the 1 syscall events; the nearest: "
                                          "lab-tcp-server: bind(fd 3, 192.168.1.1:7777) = 0");
    ck_step(&rep, "restart-accepts", SK_FAIL);
    ck_detail(&rep, "restart-accepts", "connection 2 goes to 192.168.1.1:7777, not to the first "
                                       "connection's server 192.168.1.1:6666");
    syn_free(&s);
}
END_TEST

/* Client data segments on connection c: sizes[i] bytes each; acked[i] says
 * whether the server acknowledges right after segment i. */
static void small_writes(struct syn *s, const struct ep *c, const struct ep *v,
                         const unsigned *sizes, const bool *acked, size_t n)
{
    tcp(s, c, v, SK_TH_SYN, CI, 0, 0, 64240);
    tcp(s, v, c, SK_TH_SYN | SK_TH_ACK, SI, CI + 1, 0, 65160);
    tcp(s, c, v, SK_TH_ACK, CI + 1, SI + 1, 0, 64240);
    uint32_t seq = CI + 1;
    for (size_t i = 0; i < n; i++) {
        tcp(s, c, v, SK_TH_ACK | SK_TH_PSH, seq, SI + 1, sizes[i], 64240);
        seq += sizes[i];
        if (acked[i])
            tcp(s, v, c, SK_TH_ACK, SI + 1, seq, 0, 65160);
    }
    tcp(s, c, v, SK_TH_FIN | SK_TH_ACK, seq, SI + 1, 0, 64240);
    tcp(s, v, c, SK_TH_FIN | SK_TH_ACK, SI + 1, seq + 1, 0, 65160);
    tcp(s, c, v, SK_TH_ACK, seq + 1, SI + 2, 0, 64240);
}

START_TEST(test_check_nagle)
{
    static const unsigned nagle_sizes[] = {10, 50};
    static const bool nagle_acked[] = {true, true};
    static const unsigned nodelay_sizes[] = {10, 10, 10, 10, 10, 10};
    static const bool nodelay_acked[] = {false, true, false, true, false, true};
    struct ep cl2 = CL;
    cl2.port = 51002;

    struct syn s;
    syn_init(&s);
    small_writes(&s, &CL, &SV, nagle_sizes, nagle_acked, 2);
    small_writes(&s, &cl2, &SV, nodelay_sizes, nodelay_acked, 6);
    struct sk_check_report rep;
    grade(&s, "nagle", &rep);
    ck_assert_str_eq(first_fail(&rep), "");
    ck_detail(&rep, "coalesced", "connection 1: 60 bytes in 2 segments; connection 2: 60 bytes in 6 segments");
    ck_step(&rep, "nodelay-set", SK_SKIP);
    syn_free(&s);

    /* In the other order, the first connection breaks Nagle's rule. */
    syn_init(&s);
    small_writes(&s, &cl2, &SV, nodelay_sizes, nodelay_acked, 6);
    small_writes(&s, &CL, &SV, nagle_sizes, nagle_acked, 2);
    grade(&s, "nagle", &rep);
    ck_assert_str_eq(first_fail(&rep), "nagle-holds");
    ck_detail(&rep, "nagle-holds", "packet 5 (10 bytes) was sent while packet 4 (10 bytes) was "
                                   "still unacknowledged");
    ck_step(&rep, "coalesced", SK_FAIL);
    syn_free(&s);

    /* One connection only. */
    syn_init(&s);
    small_writes(&s, &CL, &SV, nagle_sizes, nagle_acked, 2);
    grade(&s, "nagle", &rep);
    ck_assert_str_eq(first_fail(&rep), "handshake-2");
    ck_detail(&rep, "handshake-2", "there is no connection 2: the capture holds 1");
    syn_free(&s);
}
END_TEST

START_TEST(test_check_zero_window)
{
    struct syn s;
    syn_init(&s);
    tcp(&s, &CL, &SV, SK_TH_SYN, CI, 0, 0, 64240);
    tcp(&s, &SV, &CL, SK_TH_SYN | SK_TH_ACK, SI, CI + 1, 0, 2000);
    tcp(&s, &CL, &SV, SK_TH_ACK, CI + 1, SI + 1, 0, 64240);
    tcp(&s, &CL, &SV, SK_TH_ACK, CI + 1, SI + 1, 1000, 64240);      /* 4 */
    tcp(&s, &CL, &SV, SK_TH_ACK, CI + 1001, SI + 1, 1000, 64240);   /* 5 */
    tcp(&s, &SV, &CL, SK_TH_ACK, SI + 1, CI + 2001, 0, 0);           /* 6: zero window */
    tcp(&s, &SV, &CL, SK_TH_ACK, SI + 1, CI + 2001, 0, 2000);        /* 7: update */
    tcp(&s, &CL, &SV, SK_TH_ACK, CI + 2001, SI + 1, 500, 64240);    /* 8 */
    tcp(&s, &SV, &CL, SK_TH_ACK, SI + 1, CI + 2501, 0, 1500);
    struct sk_check_report rep;
    grade(&s, "zero-window", &rep);
    ck_step(&rep, "zero-window", SK_PASS);
    static const uint32_t wo[] = {6, 7, 8};
    ck_packets(&rep, "window-opens", wo, 3);
    ck_assert_str_eq(first_fail(&rep), "graceful-close");
    syn_free(&s);

    syn_init(&s);
    open_conn(&s, &CL, &SV);
    client_close(&s, &CL, &SV);
    grade(&s, "zero-window", &rep);
    ck_assert_str_eq(first_fail(&rep), "zero-window");
    ck_detail(&rep, "zero-window", "the server's window never reached zero (smallest: 65160 bytes");
    syn_free(&s);
}
END_TEST

/* One segment sent at t0 and again after each wait (ms). */
static void resent(struct syn *s, const int *waits, size_t n)
{
    tcp(s, &CL, &SV, SK_TH_SYN, CI, 0, 0, 64240);
    tcp(s, &SV, &CL, SK_TH_SYN | SK_TH_ACK, SI, CI + 1, 0, 65160);
    tcp(s, &CL, &SV, SK_TH_ACK, CI + 1, SI + 1, 0, 64240);
    s->step = 1000000;
    tcp(s, &CL, &SV, SK_TH_ACK | SK_TH_PSH, CI + 1, SI + 1, 100, 64240); /* 4 */
    for (size_t i = 0; i < n; i++) {
        s->step = (int64_t)waits[i] * 1000000;
        tcp(s, &CL, &SV, SK_TH_ACK | SK_TH_PSH, CI + 1, SI + 1, 100, 64240);
    }
    s->step = 1000000;
    tcp(s, &SV, &CL, SK_TH_ACK, SI + 1, CI + 101, 0, 65160);
}

START_TEST(test_check_rto_backoff)
{
    static const int doubling[] = {210, 420, 840};
    static const int even[] = {200, 200, 200};
    static const int two[] = {300, 600};
    struct syn s;
    struct sk_check_report rep;
    syn_init(&s);
    resent(&s, doubling, 3);
    grade(&s, "loss", &rep);
    ck_step(&rep, "retransmissions", SK_PASS);
    ck_detail(&rep, "retransmissions", "3 retransmissions");
    ck_step(&rep, "rto-backoff", SK_PASS);
    ck_detail(&rep, "rto-backoff", "the segment of packet 4 was sent 4 times; the waits: 210 ms, 420 ms, 840 ms");
    static const uint32_t chain[] = {4, 5, 6, 7};
    ck_packets(&rep, "rto-backoff", chain, 4);
    ck_step(&rep, "duplicate-acks", SK_FAIL);
    syn_free(&s);

    syn_init(&s);
    resent(&s, even, 3);
    grade(&s, "loss", &rep);
    ck_step(&rep, "rto-backoff", SK_FAIL);
    ck_detail(&rep, "rto-backoff", "but the waits did not grow: 200 ms, 200 ms, 200 ms");
    syn_free(&s);

    syn_init(&s);
    resent(&s, two, 2);
    grade(&s, "loss", &rep);
    ck_step(&rep, "rto-backoff", SK_PASS);
    syn_free(&s);

    syn_init(&s);
    resent(&s, two, 1);
    grade(&s, "loss", &rep);
    ck_step(&rep, "retransmissions", SK_PASS);
    ck_step(&rep, "rto-backoff", SK_FAIL);
    ck_detail(&rep, "rto-backoff", "no segment was retransmitted twice");
    syn_free(&s);
}
END_TEST

/* ================================================================ UDP, hand-built */

static const struct ep UC = {{10, 0, 0, 5}, 41000};
static const struct ep US = {{10, 0, 0, 9}, 6666};

START_TEST(test_check_udp)
{
    struct syn s;
    syn_init(&s);
    struct ep dns_c = {{10, 0, 0, 5}, 40000}, dns_s = {{10, 0, 0, 254}, 53};
    udp(&s, &dns_c, &dns_s, 30);
    udp(&s, &dns_s, &dns_c, 46);
    for (int i = 0; i < 3; i++) {
        udp(&s, &UC, &US, 13);
        udp(&s, &US, &UC, 10);
    }
    struct sk_check_report rep;
    grade(&s, "udp", &rep);
    ck_assert_str_eq(first_fail(&rep), "");
    ck_assert_str_eq(rep.conns[0], "10.0.0.5:41000 > 10.0.0.9:6666");
    ck_detail(&rep, "datagrams", "3 datagrams of 13, 13, 13 bytes");
    static const uint32_t answers[] = {4, 6, 8};
    ck_packets(&rep, "replies", answers, 3);
    ck_step(&rep, "boundaries", SK_SKIP);

    /* With the receiver's events: each recvfrom() got one datagram ... */
    for (int i = 0; i < 3; i++)
        add_event(&s, "lab-udp-recv", "recvfrom", 13, "", "10.0.0.9:6666", "10.0.0.5:41000", "fd 3");
    grade(&s, "udp", &rep);
    ck_step(&rep, "boundaries", SK_PASS);
    ck_detail(&rep, "boundaries", "3 recvfrom() calls");
    grade(&s, "udp-unreachable", &rep);
    ck_assert_str_eq(first_fail(&rep), "icmp-unreachable");
    ck_detail(&rep, "icmp-unreachable", "no ICMP port unreachable came back; the server answered (packet 4)");
    ck_step(&rep, "no-reply", SK_FAIL);
    sk_labev_list_free(&s.ev);
    /* ... or two glued together, as a stream would */
    add_event(&s, "lab-udp-recv", "recvfrom", 26, "", "10.0.0.9:6666", "10.0.0.5:41000", "fd 3");
    grade(&s, "udp", &rep);
    ck_step(&rep, "boundaries", SK_FAIL);
    ck_detail(&rep, "boundaries", "recvfrom() returned 26 bytes, but the datagram (packet 3) had 13");
    syn_free(&s);

    /* An answer from another socket (port) than the one the client sent to. */
    syn_init(&s);
    struct ep other = US;
    other.port = 6667;
    udp(&s, &UC, &US, 13);
    udp(&s, &other, &UC, 10);
    grade(&s, "udp", &rep);
    ck_step(&rep, "replies", SK_FAIL);
    ck_detail(&rep, "replies", "the answer (packet 2) comes from another port");
    ck_detail(&rep, "datagrams", "fewer than 3");
    syn_free(&s);
}
END_TEST

START_TEST(test_check_udp_unreachable)
{
    struct syn s;
    syn_init(&s);
    udp(&s, &UC, &US, 13);
    icmp_unreach(&s, &UC, &US);
    add_event(&s, "lab-udp-send", "sendto", -1, "ECONNREFUSED", "10.0.0.5:41000", "10.0.0.9:6666", "fd 3, 13 bytes");
    struct sk_check_report rep;
    grade(&s, "udp-unreachable", &rep);
    ck_assert_str_eq(first_fail(&rep), "");
    ck_assert_uint_eq(rep.passed, 4);
    static const uint32_t icmp[] = {1, 2};
    ck_packets(&rep, "icmp-unreachable", icmp, 2);
    ck_detail(&rep, "econnrefused", "lab-udp-send: sendto(fd 3, 13 bytes) = -1 ECONNREFUSED");
    grade(&s, "udp", &rep);
    ck_assert_str_eq(first_fail(&rep), "datagrams");
    ck_detail(&rep, "replies", "the server sent no datagram back");
    /* A TCP experiment on a UDP capture names what is there. */
    grade(&s, "handshake", &rep);
    ck_detail(&rep, "handshake", "no TCP connection in this capture (it holds 2 packets: 1 UDP flows");
    syn_free(&s);
}
END_TEST

/* ================================================================ committed captures */

static const char *captures_dir(void)
{
    const char *d = getenv("SK_CAPTURES");
    return d ? d : "captures";
}

static void capture_path(const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s.pcap", captures_dir(), name);
}

/* Each committed capture passes its own scenario, events included. */
START_TEST(test_captures_pass)
{
    const struct sk_scenario *sc = sk_scenario_get((size_t)_i);
    char path[512], err[SK_ERRBUF_SIZE];
    capture_path(sc->name, path, sizeof path);
    struct sk_check_report rep;
    ck_assert_msg(sk_check_file(sc, path, NULL, &rep, err) == 0, "%s: %s", path, err);
    ck_assert_msg(rep.events, "%s: no events sidecar", path);
    for (size_t i = 0; i < rep.nsteps; i++)
        ck_assert_msg(rep.step[i].verdict == SK_PASS || rep.step[i].verdict == SK_INFO,
                      "%s: step %s is %s: %s", path, rep.step[i].step->id,
                      sk_verdict_name((enum sk_verdict)rep.step[i].verdict), rep.step[i].detail);
    ck_assert_str_eq(rep.warning, "");
    /* Without the events, the steps that need them are skipped, never failed. */
    struct sk_check_opts wire = {.no_events = true};
    ck_assert_int_eq(sk_check_file(sc, path, &wire, &rep, err), 0);
    ck_assert(!rep.events);
    ck_assert_uint_eq(rep.failed, 0);
    unsigned need_events = 0;
    for (size_t i = 0; i < rep.nsteps; i++) {
        uint8_t k = rep.step[i].step->kind;
        if (k == SK_CK_CALL || k == SK_CK_BOUNDARIES) {
            need_events++;
            ck_assert_int_eq(rep.step[i].verdict, SK_SKIP);
        }
    }
    ck_assert_uint_eq(rep.skipped, need_events);
}
END_TEST

/* Which step fails when a scenario grades another scenario's capture. */
static const struct {
    const char *scenario, *capture, *step;
} cross[] = {
    {"handshake", "rst", "client-closes-first"},
    {"handshake", "refused", "handshake"},
    {"handshake", "time-wait", "client-closes-first"},
    {"handshake", "udp", "handshake"},
    {"half-close", "handshake", "server-sends-after-fin"},
    {"half-close", "rst", "client-closes-first"},
    {"rst", "handshake", "client-resets"},
    {"rst", "half-close", "client-resets"},
    {"refused", "handshake", "refused"},
    {"refused", "ipv6", "refused"},
    {"time-wait", "handshake", "server-closes-first"},
    {"time-wait", "refused", "handshake"},
    {"close-wait", "time-wait", "client-closes-first"},
    {"close-wait", "handshake", "server-close-wait"},
    {"close-wait", "rst", "client-closes-first"},
    {"backlog", "handshake", "connections"},
    {"backlog", "nagle", "connections"},
    {"nagle", "handshake", "handshake-2"},
    {"nagle", "time-wait", "nagle-holds"},
    {"zero-window", "handshake", "zero-window"},
    {"zero-window", "loss", "zero-window"},
    {"udp", "handshake", "datagrams"},
    {"udp", "udp-unreachable", "datagrams"},
    {"udp-unreachable", "udp", "icmp-unreachable"},
    {"udp-unreachable", "handshake", "datagram"},
    {"ipv6", "handshake", "ipv6"},
    {"loss", "handshake", "retransmissions"},
    {"loss", "zero-window", "retransmissions"},
};

START_TEST(test_captures_cross)
{
    const struct sk_scenario *sc = sk_scenario_find(cross[_i].scenario);
    ck_assert_ptr_nonnull(sc);
    char path[512], err[SK_ERRBUF_SIZE];
    capture_path(cross[_i].capture, path, sizeof path);
    struct sk_check_report rep;
    ck_assert_msg(sk_check_file(sc, path, NULL, &rep, err) == 0, "%s: %s", path, err);
    ck_assert_msg(!sk_check_passed(&rep), "%s passes on %s", sc->name, path);
    ck_assert_msg(strcmp(first_fail(&rep), cross[_i].step) == 0,
                  "check %s %s: first failing step %s, expected %s", sc->name, path,
                  first_fail(&rep), cross[_i].step);
    const struct sk_step_result *r = step(&rep, cross[_i].step);
    ck_assert_msg(r->detail[0] != '\0', "a failure says what was seen instead");
}
END_TEST

/* Every scenario fails on at least one other capture: the table covers all. */
START_TEST(test_captures_cross_covers_all)
{
    for (size_t i = 0; i < sk_scenario_count(); i++) {
        const char *name = sk_scenario_get(i)->name;
        bool found = false;
        for (size_t k = 0; k < sizeof cross / sizeof cross[0]; k++)
            if (strcmp(cross[k].scenario, name) == 0 && strcmp(cross[k].capture, name) != 0)
                found = true;
        ck_assert_msg(found, "no failing capture listed for %s", name);
    }
}
END_TEST

START_TEST(test_check_file_errors)
{
    const struct sk_scenario *sc = sk_scenario_find("handshake");
    char path[512], err[SK_ERRBUF_SIZE] = "";
    struct sk_check_report rep;
    ck_assert_int_eq(sk_check_file(sc, "/nonexistent/x.pcap", NULL, &rep, err), -1);
    ck_assert_msg(strstr(err, "x.pcap") != NULL, "%s", err);
    /* the sidecar is text, not a capture */
    snprintf(path, sizeof path, "%s/handshake.pcap.events", captures_dir());
    ck_assert_int_eq(sk_check_file(sc, path, NULL, &rep, err), -1);
    /* a bad filter */
    capture_path("handshake", path, sizeof path);
    struct sk_check_opts bad = {.filter = "port port"};
    ck_assert_int_eq(sk_check_file(sc, path, &bad, &rep, err), -1);
    /* a filter that leaves nothing: graded, every wire step fails */
    struct sk_check_opts none = {.filter = "udp"};
    ck_assert_int_eq(sk_check_file(sc, path, &none, &rep, err), 0);
    ck_assert_str_eq(first_fail(&rep), "handshake");
    /* an events file that does not exist, named explicitly */
    struct sk_check_opts ev = {.events = "/nonexistent/ev"};
    ck_assert_int_eq(sk_check_file(sc, path, &ev, &rep, err), -1);

    /* A capture cut short in its last record: graded as far as it goes. */
    char cut[] = "/tmp/sockscope-check-cut.XXXXXX";
    int fd = mkstemp(cut);
    ck_assert_int_ge(fd, 0);
    capture_path("loss", path, sizeof path);
    FILE *in = fopen(path, "rb");
    ck_assert_ptr_nonnull(in);
    static uint8_t buf[1 << 16];
    size_t got = fread(buf, 1, sizeof buf, in);
    fclose(in);
    ck_assert_uint_gt(got, 20000);
    ck_assert_int_eq(write(fd, buf, 20000), 20000);
    close(fd);
    struct sk_check_opts wire = {.no_events = true};
    ck_assert_int_eq(sk_check_file(sk_scenario_find("loss"), cut, &wire, &rep, err), 0);
    ck_assert_msg(rep.warning[0] != '\0', "a cut capture is graded with a warning");
    ck_step(&rep, "handshake", SK_PASS);
    ck_step(&rep, "graceful-close", SK_FAIL);
    unlink(cut);
}
END_TEST

/* ================================================================ the runner */

static const char *bin_dir(void)
{
    const char *d = getenv("SK_BINDIR");
    return d ? d : "bin";
}

START_TEST(test_run_command_lines)
{
    char err[SK_ERRBUF_SIZE];
    struct sk_run_opts o = {.bindir = bin_dir(), .events = "/tmp/ev.sock", .out_fd = -1};
    struct sk_run *r = sk_run_new(sk_scenario_find("time-wait"), &o, err);
    ck_assert_msg(r != NULL, "%s", err);
    uint16_t port = sk_run_port(r);
    ck_assert_uint_gt(port, 0);
    ck_assert_uint_eq(sk_run_closed_port(r), 0);
    char want[64];
    snprintf(want, sizeof want, "port %u", port);
    ck_assert_str_eq(sk_run_filter(r), want);
    ck_assert_str_eq(sk_run_iface(r), "lo");
    ck_assert_uint_eq(sk_run_nprocs(r), 5);
    snprintf(want, sizeof want, "lab-tcp-server --port %u --max-clients 1 --reuseaddr", port);
    const struct sk_run_proc *p = sk_run_proc(r, 0);
    ck_assert_msg(strncmp(p->cmd, want, strlen(want)) == 0, "%s", p->cmd);
    ck_assert_int_eq(p->pid, 0);
    ck_assert_int_eq(sk_run_proc(r, 2)->expect, 3); /* the restart without SO_REUSEADDR */
    ck_assert_ptr_null(sk_run_proc(r, 5));
    ck_assert_int_eq(sk_run_find_pid(r, 12345678), -1);
    ck_assert_int_eq(sk_run_go(r, 0, err), -1); /* not in step mode, not running */
    sk_run_free(r);

    r = sk_run_new(sk_scenario_find("udp-unreachable"), &o, err);
    ck_assert_msg(r != NULL, "%s", err);
    snprintf(want, sizeof want, "port %u or icmp or icmp6", sk_run_closed_port(r));
    ck_assert_str_eq(sk_run_filter(r), want);
    sk_run_free(r);

    /* step mode: every lab gets its control socket */
    struct sk_run_opts step = o;
    step.ctl_dir = "/tmp/ctl";
    r = sk_run_new(sk_scenario_find("loss"), &step, err);
    ck_assert_msg(r != NULL, "%s", err);
    ck_assert_str_eq(sk_run_iface(r), "sk-client");
    ck_assert_str_eq(sk_run_proc(r, 1)->ctl, "/tmp/ctl/lab-2.ctl");
    ck_assert_msg(strstr(sk_run_proc(r, 1)->cmd, "--host 10.0.0.2") != NULL, "%s",
                  sk_run_proc(r, 1)->cmd);
    ck_assert_msg(strstr(sk_run_proc(r, 1)->cmd, "(1000 bytes)") != NULL, "%s",
                  sk_run_proc(r, 1)->cmd);
    sk_run_free(r);

    /* a missing lab program is named */
    struct sk_run_opts nowhere = {.bindir = "/nonexistent", .out_fd = -1};
    ck_assert_ptr_null(sk_run_new(sk_scenario_find("handshake"), &nowhere, err));
    ck_assert_msg(strstr(err, "/nonexistent/lab-tcp-server") != NULL, "%s", err);
}
END_TEST

static int run_to_end(struct sk_run *r, char *err)
{
    int st;
    struct timespec ts = {0, 2000000};
    while ((st = sk_run_step(r, err)) == 1)
        nanosleep(&ts, NULL);
    return st;
}

/* The labs themselves, on loopback, without a capture (no root needed). */
START_TEST(test_run_plan)
{
    char err[SK_ERRBUF_SIZE] = "";
    struct sk_run_opts o = {.bindir = bin_dir(), .out_fd = -1, .timeout_ms = 10000};
    struct sk_run *r = sk_run_new(sk_scenario_find("time-wait"), &o, err);
    ck_assert_msg(r != NULL, "%s", err);
    ck_assert_int_eq(sk_run_setup(r, err), 0);
    ck_assert_msg(run_to_end(r, err) == 0, "%s", err);
    ck_assert_uint_eq(sk_run_action(r), sk_scenario_nactions(sk_scenario_find("time-wait")));
    for (size_t i = 0; i < sk_run_nprocs(r); i++) {
        const struct sk_run_proc *p = sk_run_proc(r, i);
        ck_assert_int_gt(p->pid, 0);
        ck_assert_int_eq(sk_run_find_pid(r, p->pid), (int)i);
        ck_assert_msg(p->status == p->expect, "%s: status %d", p->cmd, p->status);
    }
    sk_run_free(r);

    /* A lab that exits otherwise than expected fails the run: refused expects
     * the client to fail (1); with a server there, it succeeds (0). */
    r = sk_run_new(sk_scenario_find("refused"), &o, err);
    ck_assert_msg(r != NULL, "%s", err);
    char port[16];
    snprintf(port, sizeof port, "%u", sk_run_closed_port(r));
    char path[512];
    snprintf(path, sizeof path, "%s/lab-tcp-server", bin_dir());
    pid_t srv = fork();
    ck_assert_int_ge(srv, 0);
    if (srv == 0) {
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execl(path, path, "--port", port, "--max-clients", "1", "--events", "/nonexistent", (char *)NULL);
        _exit(127);
    }
    struct timespec ts = {0, 200000000};
    nanosleep(&ts, NULL);
    ck_assert_int_eq(run_to_end(r, err), -1);
    ck_assert_msg(strstr(err, "lab-tcp-client exited with status 0, expected 1") != NULL, "%s", err);
    sk_run_free(r);
    int st;
    waitpid(srv, &st, 0);
}
END_TEST

/* Step mode, as the UI's demo drives it: each lab waits before every socket
 * call; its kind=step event (by pid) says which one waits; "go" lets it on. */
START_TEST(test_run_step_mode)
{
    char dir[] = "/tmp/sockscope-step.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char evpath[64], err[SK_ERRBUF_SIZE] = "";
    snprintf(evpath, sizeof evpath, "%s/ev", dir);
    struct sk_labev_rx *rx = sk_labev_rx_open(evpath, err);
    ck_assert_msg(rx != NULL, "%s", err);
    struct sk_run_opts o = {.bindir = bin_dir(), .events = evpath, .ctl_dir = dir, .out_fd = -1};
    struct sk_run *r = sk_run_new(sk_scenario_find("handshake"), &o, err);
    ck_assert_msg(r != NULL, "%s", err);
    unsigned steps[2] = {0, 0}, calls = 0;
    int st;
    time_t until = time(NULL) + 20;
    while ((st = sk_run_step(r, err)) == 1 && time(NULL) < until) {
        struct sk_labevent e;
        while (sk_labev_rx_recv(rx, &e, err) == 1) {
            int who = sk_run_find_pid(r, e.pid);
            ck_assert_msg(who >= 0, "an event from pid %d, not one of ours", e.pid);
            if (e.kind == SK_LABEV_CALL)
                calls++;
            if (e.kind != SK_LABEV_STEP)
                continue;
            steps[who]++;
            ck_assert_msg(e.note[0] != '\0', "a step says what the call will do");
            ck_assert_msg(sk_run_go(r, (size_t)who, err) == 0, "%s", err);
        }
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
    ck_assert_msg(st == 0, "the run did not finish: %s", err);
    /* server: socket, bind, listen, accept, read, write, read, close, close;
     * client: socket, connect, write, read, close: at least these. */
    ck_assert_uint_ge(steps[0], 8);
    ck_assert_uint_ge(steps[1], 5);
    ck_assert_uint_ge(calls, steps[0] + steps[1] - 2);
    ck_assert_int_eq(sk_run_proc(r, 0)->status, 0);
    ck_assert_int_eq(sk_run_proc(r, 1)->status, 0);
    char ctl[96];
    snprintf(ctl, sizeof ctl, "%s/lab-2.ctl", dir);
    ck_assert_str_eq(sk_run_proc(r, 1)->ctl, ctl);
    ck_assert_int_ne(access(ctl, F_OK), 0); /* the lab removed its socket */
    sk_run_free(r);
    sk_labev_rx_close(rx);
    rmdir(dir);
}
END_TEST

Suite *check_suite(void); /* for the runner (tests/unit/main.c) */

Suite *check_suite(void)
{
    Suite *s = suite_create("check");
    TCase *tc = tcase_create("Scenarios");
    tcase_add_test(tc, test_scenario_table);
    suite_add_tcase(s, tc);

    tc = tcase_create("Synthetic");
    tcase_add_test(tc, test_check_handshake_pass);
    tcase_add_test(tc, test_check_handshake_server_first);
    tcase_add_test(tc, test_check_background_traffic);
    tcase_add_test(tc, test_check_midstream_only);
    tcase_add_test(tc, test_check_refused_and_reset);
    tcase_add_test(tc, test_check_half_close_close_wait);
    tcase_add_test(tc, test_check_time_wait_restart);
    tcase_add_test(tc, test_check_nagle);
    tcase_add_test(tc, test_check_zero_window);
    tcase_add_test(tc, test_check_rto_backoff);
    tcase_add_test(tc, test_check_udp);
    tcase_add_test(tc, test_check_udp_unreachable);
    suite_add_tcase(s, tc);

    tc = tcase_create("Captures");
    tcase_add_loop_test(tc, test_captures_pass, 0, (int)sk_scenario_count());
    tcase_add_loop_test(tc, test_captures_cross, 0, (int)(sizeof cross / sizeof cross[0]));
    tcase_add_test(tc, test_captures_cross_covers_all);
    tcase_add_test(tc, test_check_file_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("Runner");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_run_command_lines);
    tcase_add_test(tc, test_run_plan);
    tcase_add_test(tc, test_run_step_mode);
    suite_add_tcase(s, tc);
    return s;
}
