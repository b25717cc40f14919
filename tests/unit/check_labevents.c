/* check_labevents.c — the lab event format (core/labevent.h) and core's side
 * of it (core/labevents.c): round trips, the sidecar file, a real UNIX
 * socket, matching events to conversations. */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "err.h"
#include "labevents.h"
#include "tmpdir.h"

static struct sk_labevent sample(void)
{
    struct sk_labevent e;
    memset(&e, 0, sizeof e);
    e.kind = SK_LABEV_CALL;
    snprintf(e.prog, sizeof e.prog, "lab-tcp-client");
    e.pid = 4242;
    e.seq = 7;
    snprintf(e.call, sizeof e.call, "connect");
    snprintf(e.args, sizeof e.args, "fd 3, 127.0.0.1:6666");
    e.ret = -1;
    snprintf(e.err, sizeof e.err, "ECONNREFUSED");
    e.fd = 3;
    snprintf(e.proto, sizeof e.proto, "tcp");
    snprintf(e.local, sizeof e.local, "127.0.0.1:40000");
    snprintf(e.remote, sizeof e.remote, "127.0.0.1:6666");
    snprintf(e.state, sizeof e.state, "CLOSED");
    snprintf(e.node, sizeof e.node, "error");
    snprintf(e.note, sizeof e.note, "tab\there, newline\nthere, cr\r, backslash \\ and \\t");
    e.t0_ns = 1700000000123456789LL;
    e.t1_ns = 1700000000123556789LL;
    return e;
}

static void assert_same(const struct sk_labevent *a, const struct sk_labevent *b)
{
    ck_assert_int_eq(a->kind, b->kind);
    ck_assert_str_eq(a->prog, b->prog);
    ck_assert_int_eq(a->pid, b->pid);
    ck_assert_uint_eq(a->seq, b->seq);
    ck_assert_str_eq(a->call, b->call);
    ck_assert_str_eq(a->args, b->args);
    ck_assert_int_eq(a->ret, b->ret);
    ck_assert_str_eq(a->err, b->err);
    ck_assert_int_eq(a->fd, b->fd);
    ck_assert_str_eq(a->proto, b->proto);
    ck_assert_str_eq(a->local, b->local);
    ck_assert_str_eq(a->remote, b->remote);
    ck_assert_str_eq(a->state, b->state);
    ck_assert_str_eq(a->node, b->node);
    ck_assert_str_eq(a->note, b->note);
    ck_assert(a->t0_ns == b->t0_ns);
    ck_assert(a->t1_ns == b->t1_ns);
}

/* ================================================================ format */

START_TEST(test_round_trip_with_escapes)
{
    struct sk_labevent e = sample(), back;
    char buf[SK_LABEV_MAX];
    int len = sk_labevent_format(&e, buf, sizeof buf);
    ck_assert_int_gt(len, 0);
    ck_assert_uint_eq(strlen(buf), (size_t)len);
    ck_assert_ptr_null(strchr(buf, '\n')); /* one line */
    ck_assert_ptr_null(strchr(buf, '\r'));
    ck_assert(strncmp(buf, "sockscope-event 1\tkind=call\tprog=lab-tcp-client\t", 47) == 0);
    ck_assert_ptr_nonnull(strstr(buf, "\tnote=tab\\there, newline\\nthere, cr\\r, backslash \\\\ "
                                      "and \\\\t\t"));
    ck_assert(sk_labevent_parse(buf, (size_t)len, &back));
    assert_same(&e, &back);

    /* A trailing newline (a sidecar line) is allowed. */
    buf[len] = '\n';
    ck_assert(sk_labevent_parse(buf, (size_t)len + 1, &back));
    assert_same(&e, &back);
}
END_TEST

START_TEST(test_kinds_and_negative_numbers)
{
    struct sk_labevent e = sample(), back;
    char buf[SK_LABEV_MAX];
    e.kind = SK_LABEV_STEP;
    e.fd = -1;
    e.ret = -123456789012LL;
    int len = sk_labevent_format(&e, buf, sizeof buf);
    ck_assert(sk_labevent_parse(buf, (size_t)len, &back));
    ck_assert_int_eq(back.kind, SK_LABEV_STEP);
    ck_assert_int_eq(back.fd, -1);
    ck_assert(back.ret == -123456789012LL);
    e.kind = SK_LABEV_INFO;
    len = sk_labevent_format(&e, buf, sizeof buf);
    ck_assert(sk_labevent_parse(buf, (size_t)len, &back));
    ck_assert_int_eq(back.kind, SK_LABEV_INFO);
    ck_assert_str_eq(sk_labev_kind_name(SK_LABEV_INFO), "info");
    ck_assert_str_eq(sk_labev_kind_name(99), "?");
}
END_TEST

START_TEST(test_unknown_keys_are_ignored)
{
    const char *line = "sockscope-event 1\tkind=call\tprog=lab-x\tfuture=42\tcall=read\t"
                       "zzz=\tret=5\tstate=ESTABLISHED";
    struct sk_labevent e;
    ck_assert(sk_labevent_parse(line, strlen(line), &e));
    ck_assert_str_eq(e.prog, "lab-x");
    ck_assert_str_eq(e.call, "read");
    ck_assert_int_eq(e.ret, 5);
    ck_assert_int_eq(e.fd, -1); /* absent: no socket */
    ck_assert_str_eq(e.state, "ESTABLISHED");
}
END_TEST

START_TEST(test_rejects_what_is_not_an_event)
{
    static const char *const bad[] = {
        "",
        "hello",
        "sockscope-event",
        "sockscope-event 2\tkind=call\tprog=p\tcall=c",          /* a version we do not read */
        "sockscope-event x\tkind=call\tprog=p\tcall=c",
        "sockscope-events 1\tkind=call\tprog=p\tcall=c",
        "sockscope-event 1\tkind=nap\tprog=p\tcall=c",           /* unknown kind */
        "sockscope-event 1\tprog=p\tcall=c",                     /* no kind */
        "sockscope-event 1\tkind=call\tcall=c",                  /* no program */
        "sockscope-event 1\tkind=call\tprog=p",                  /* no call */
        "sockscope-event 1\tkind=call\tprog=p\tcall=c\tpid=12x", /* not a number */
        "sockscope-event 1\tkind=call\tprog=p\tcall=c\tnoequals",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct sk_labevent e;
        ck_assert_msg(!sk_labevent_parse(bad[i], strlen(bad[i]), &e), "accepted: %s", bad[i]);
    }
}
END_TEST

START_TEST(test_format_refuses_small_buffers_and_truncates_long_values)
{
    struct sk_labevent e = sample();
    char small[64];
    ck_assert_int_eq(sk_labevent_format(&e, small, sizeof small), -1);

    /* A value longer than its field is cut, not overflowed. */
    char line[SK_LABEV_MAX];
    snprintf(line, sizeof line, "sockscope-event 1\tkind=call\tprog=%s\tcall=%s",
             "a-program-name-much-longer-than-twenty-four-bytes", "averyveryverylongcall");
    struct sk_labevent back;
    ck_assert(sk_labevent_parse(line, strlen(line), &back));
    ck_assert_uint_eq(strlen(back.prog), sizeof back.prog - 1);
    ck_assert_uint_eq(strlen(back.call), sizeof back.call - 1);
}
END_TEST

START_TEST(test_kernel_state_names)
{
    ck_assert_str_eq(sk_labev_kstate(1), "ESTABLISHED");
    ck_assert_str_eq(sk_labev_kstate(2), "SYN_SENT");
    ck_assert_str_eq(sk_labev_kstate(6), "TIME_WAIT");
    ck_assert_str_eq(sk_labev_kstate(7), "CLOSED");
    ck_assert_str_eq(sk_labev_kstate(8), "CLOSE_WAIT");
    ck_assert_str_eq(sk_labev_kstate(10), "LISTEN");
    ck_assert_str_eq(sk_labev_kstate(12), "SYN_RECEIVED");
    ck_assert_str_eq(sk_labev_kstate(0), "");
    ck_assert_str_eq(sk_labev_kstate(13), "");
    ck_assert_str_eq(sk_labev_kstate(-1), "");
}
END_TEST

START_TEST(test_default_path_follows_sudo)
{
    char buf[108];
    unsetenv("SUDO_UID");
    sk_labev_default_path(buf, sizeof buf, 1000);
    ck_assert_str_eq(buf, "/tmp/sockscope-1000.events");
    setenv("SUDO_UID", "1234", 1);
    sk_labev_default_path(buf, sizeof buf, 0);
    ck_assert_str_eq(buf, "/tmp/sockscope-1234.events");
    unsetenv("SUDO_UID");
}
END_TEST

/* ================================================================= lists */

START_TEST(test_sort_by_time_then_pid_then_seq)
{
    struct sk_labev_list l = {0};
    char err[SK_ERRBUF_SIZE];
    struct sk_labevent e = sample();
    const int64_t t[] = {30, 10, 10, 10, 20};
    const int32_t pid[] = {1, 2, 1, 1, 1};
    const uint32_t seq[] = {1, 1, 3, 2, 1};
    for (int i = 0; i < 5; i++) {
        e.t0_ns = t[i];
        e.pid = pid[i];
        e.seq = seq[i];
        ck_assert_int_eq(sk_labev_list_push(&l, &e, err), 0);
    }
    for (int i = 0; i < 200; i++) /* grows past its first allocation */
        ck_assert_int_eq(sk_labev_list_push(&l, &e, err), 0);
    ck_assert_uint_eq(l.n, 205);
    l.n = 5;
    sk_labev_list_sort(&l);
    ck_assert(l.ev[0].t0_ns == 10 && l.ev[0].pid == 1 && l.ev[0].seq == 2);
    ck_assert(l.ev[1].t0_ns == 10 && l.ev[1].pid == 1 && l.ev[1].seq == 3);
    ck_assert(l.ev[2].t0_ns == 10 && l.ev[2].pid == 2);
    ck_assert(l.ev[3].t0_ns == 20);
    ck_assert(l.ev[4].t0_ns == 30);
    sk_labev_list_free(&l);
    ck_assert_ptr_null(l.ev);
    ck_assert_uint_eq(l.n, 0);
}
END_TEST

/* =============================================================== sidecar */

static void make_dir(void)
{
    tmpdir_make("labevents");
}

START_TEST(test_sidecar_save_and_load)
{
    char path[PATH_MAX], err[SK_ERRBUF_SIZE];
    char capture[PATH_MAX];
    snprintf(capture, sizeof capture, "%s/run.pcap", tmpdir());
    ck_assert_int_eq(sk_labev_sidecar_path(capture, path, sizeof path), 0);
    ck_assert(strlen(path) > 7 && strcmp(path + strlen(path) - 16, "/run.pcap.events") == 0);
    char tiny[8];
    ck_assert_int_eq(sk_labev_sidecar_path(capture, tiny, sizeof tiny), -1);

    struct sk_labevent ev[3];
    for (int i = 0; i < 3; i++) {
        ev[i] = sample();
        ev[i].seq = (uint32_t)i + 1;
        ev[i].t0_ns += i;
    }
    snprintf(ev[2].note, sizeof ev[2].note, "%s", "");
    ck_assert_int_eq(sk_labev_save(path, ev, 3, err), 0);

    struct sk_labev_list l = {0};
    size_t skipped = 99;
    ck_assert_int_eq(sk_labev_load(path, &l, &skipped, err), 0);
    ck_assert_uint_eq(l.n, 3);
    ck_assert_uint_eq(skipped, 0);
    for (int i = 0; i < 3; i++)
        assert_same(&ev[i], &l.ev[i]);
    sk_labev_list_free(&l);

    /* Saving again replaces the file (no temporary left behind). */
    ck_assert_int_eq(sk_labev_save(path, ev, 1, err), 0);
    ck_assert_int_eq(sk_labev_load(path, &l, NULL, err), 0);
    ck_assert_uint_eq(l.n, 1);
    sk_labev_list_free(&l);
    char cmd[PATH_MAX + 64];
    snprintf(cmd, sizeof cmd, "test $(ls '%s' | wc -l) -eq 1", tmpdir());
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(test_sidecar_skips_comments_blank_and_bad_lines)
{
    char path[PATH_MAX], err[SK_ERRBUF_SIZE];
    snprintf(path, sizeof path, "%s/x.events", tmpdir());
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("# saved by hand\n\n", f);
    fputs("sockscope-event 1\tkind=call\tprog=a\tcall=socket\tret=3\r\n", f);
    fputs("garbage line\n", f);
    fputs("sockscope-event 9\tkind=call\tprog=a\tcall=socket\n", f);
    fputs("sockscope-event 1\tkind=info\tprog=a\tcall=exit\tnote=exit status 0", f); /* no \n */
    fclose(f);
    struct sk_labev_list l = {0};
    size_t skipped = 0;
    ck_assert_int_eq(sk_labev_load(path, &l, &skipped, err), 0);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_uint_eq(skipped, 2);
    ck_assert_str_eq(l.ev[0].call, "socket");
    ck_assert_int_eq(l.ev[0].ret, 3);
    ck_assert_str_eq(l.ev[1].note, "exit status 0");
    sk_labev_list_free(&l);
}
END_TEST

START_TEST(test_sidecar_errors_name_the_file)
{
    char path[PATH_MAX], err[SK_ERRBUF_SIZE] = "";
    snprintf(path, sizeof path, "%s/missing.events", tmpdir());
    struct sk_labev_list l = {0};
    ck_assert_int_eq(sk_labev_load(path, &l, NULL, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "missing.events"));
    ck_assert_uint_eq(l.n, 0);

    struct sk_labevent e = sample();
    snprintf(path, sizeof path, "%s/no/such/dir/x.events", tmpdir());
    ck_assert_int_eq(sk_labev_save(path, &e, 1, err), -1);
    ck_assert_ptr_nonnull(strstr(err, "x.events"));
}
END_TEST

/* ======================================================= a real socket */

static int send_to(const char *path, const char *data, size_t len)
{
    struct sockaddr_un sun;
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    ck_assert_uint_lt(strlen(path), sizeof sun.sun_path);
    memcpy(sun.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    ck_assert_int_ge(fd, 0);
    ssize_t n = sendto(fd, data, len, 0, (struct sockaddr *)&sun, sizeof sun);
    int saved = errno;
    close(fd);
    errno = saved;
    return n == (ssize_t)len ? 0 : -1;
}

START_TEST(test_receive_on_a_unix_socket)
{
    char path[PATH_MAX], err[SK_ERRBUF_SIZE];
    snprintf(path, sizeof path, "%s/ev.sock", tmpdir());
    struct sk_labev_rx *rx = sk_labev_rx_open(path, err);
    ck_assert_msg(rx != NULL, "%s", err);
    ck_assert_str_eq(sk_labev_rx_path(rx), path);
    ck_assert_int_ge(sk_labev_rx_fd(rx), 0);

    struct sk_labevent e;
    ck_assert_int_eq(sk_labev_rx_recv(rx, &e, err), 0); /* nothing yet: no waiting */

    struct sk_labevent a = sample(), b = sample();
    b.seq = 8;
    snprintf(b.call, sizeof b.call, "close");
    char buf[SK_LABEV_MAX];
    int len = sk_labevent_format(&a, buf, sizeof buf);
    ck_assert_int_eq(send_to(path, buf, (size_t)len), 0);
    ck_assert_int_eq(send_to(path, "not an event", 12), 0);
    static char big[SK_LABEV_MAX + 100];
    memcpy(big, buf, (size_t)len);
    memset(big + len, 'x', sizeof big - (size_t)len); /* too long: cut by the receiver */
    ck_assert_int_eq(send_to(path, big, sizeof big), 0);
    len = sk_labevent_format(&b, buf, sizeof buf);
    ck_assert_int_eq(send_to(path, buf, (size_t)len), 0);

    ck_assert_int_eq(sk_labev_rx_recv(rx, &e, err), 1);
    assert_same(&a, &e);
    ck_assert_int_eq(sk_labev_rx_recv(rx, &e, err), 1);
    assert_same(&b, &e); /* in order, the two bad ones skipped */
    ck_assert_int_eq(sk_labev_rx_recv(rx, &e, err), 0);
    ck_assert_uint_eq(sk_labev_rx_rejected(rx), 2);

    /* A second receiver on a live path is refused, with a reason. */
    ck_assert_ptr_null(sk_labev_rx_open(path, err));
    ck_assert_ptr_nonnull(strstr(err, "already receives"));

    sk_labev_rx_close(rx);
    struct stat st;
    ck_assert_int_eq(lstat(path, &st), -1); /* the file is gone */
    ck_assert_int_eq(send_to(path, "x", 1), -1); /* and a sender just fails */
    ck_assert_int_eq(errno, ENOENT);
    sk_labev_rx_close(NULL);
}
END_TEST

START_TEST(test_stale_socket_is_replaced_other_files_are_not)
{
    char path[PATH_MAX], err[SK_ERRBUF_SIZE];
    snprintf(path, sizeof path, "%s/stale.sock", tmpdir());
    /* A socket file whose owner is gone. */
    struct sockaddr_un sun;
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    ck_assert_uint_lt(strlen(path), sizeof sun.sun_path);
    memcpy(sun.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof sun), 0);
    close(fd);
    struct sk_labev_rx *rx = sk_labev_rx_open(path, err);
    ck_assert_msg(rx != NULL, "%s", err);
    ck_assert_int_eq(send_to(path, "x", 1), 0); /* the new one receives */
    sk_labev_rx_close(rx);

    snprintf(path, sizeof path, "%s/plain-file", tmpdir());
    FILE *f = fopen(path, "w");
    fputs("keep me\n", f);
    fclose(f);
    ck_assert_ptr_null(sk_labev_rx_open(path, err));
    ck_assert_ptr_nonnull(strstr(err, "not a socket"));
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert(S_ISREG(st.st_mode));

    char longpath[300];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[0] = '/';
    longpath[sizeof longpath - 1] = '\0';
    ck_assert_ptr_null(sk_labev_rx_open(longpath, err));
    ck_assert_ptr_nonnull(strstr(err, "too long"));
}
END_TEST

/* ============================================================== matching */

static struct sk_conv conv(int proto, const char *client, uint16_t cport, const char *server,
                           uint16_t sport)
{
    struct sk_conv c;
    memset(&c, 0, sizeof c);
    c.proto = (uint8_t)proto;
    ck_assert(sk_addr_parse(client, &c.addr[SK_CLIENT]));
    ck_assert(sk_addr_parse(server, &c.addr[SK_SERVER]));
    c.port[SK_CLIENT] = cport;
    c.port[SK_SERVER] = sport;
    return c;
}

static int side(const struct sk_conv *c, const char *proto, const char *local,
                const char *remote)
{
    struct sk_labevent e;
    memset(&e, 0, sizeof e);
    snprintf(e.proto, sizeof e.proto, "%s", proto);
    snprintf(e.local, sizeof e.local, "%s", local);
    snprintf(e.remote, sizeof e.remote, "%s", remote);
    return sk_labevent_side(&e, c);
}

START_TEST(test_endpoints_parse)
{
    struct sk_addr a;
    uint16_t port;
    char text[SK_ADDRSTRLEN];
    ck_assert(sk_labev_endpoint("127.0.0.1:40000", &a, &port));
    ck_assert_int_eq(a.family, 4);
    ck_assert_uint_eq(port, 40000);
    ck_assert(sk_labev_endpoint("[::1]:6666", &a, &port));
    ck_assert_int_eq(a.family, 6);
    ck_assert_str_eq(sk_addr_str(&a, text), "::1");
    ck_assert_uint_eq(port, 6666);
    ck_assert(sk_labev_endpoint("[fe80::1%lo]:80", &a, &port));
    ck_assert_str_eq(sk_addr_str(&a, text), "fe80::1");
    ck_assert(sk_labev_endpoint("[::ffff:10.0.0.1]:7", &a, &port));
    ck_assert_int_eq(a.family, 4); /* as the IPv4 packets show it */
    ck_assert_str_eq(sk_addr_str(&a, text), "10.0.0.1");
    ck_assert(sk_labev_endpoint("0.0.0.0:0", &a, &port));

    static const char *const bad[] = {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
                                      "127.0.0.1:6x", "::1:80", "[::1]", "[::1]80",
                                      "localhost:80", ":80", "[]:80", "1.2.3:4"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(!sk_labev_endpoint(bad[i], &a, &port), "accepted %s", bad[i]);
}
END_TEST

START_TEST(test_side_by_four_tuple)
{
    struct sk_conv c = conv(6, "127.0.0.1", 40000, "127.0.0.1", 6666);
    ck_assert_int_eq(side(&c, "tcp", "127.0.0.1:40000", "127.0.0.1:6666"), SK_CLIENT);
    ck_assert_int_eq(side(&c, "tcp", "127.0.0.1:6666", "127.0.0.1:40000"), SK_SERVER);
    ck_assert_int_eq(side(&c, "", "127.0.0.1:6666", "127.0.0.1:40000"), SK_SERVER);
    /* Same ports, wrong protocol; another client port; a half-known tuple. */
    ck_assert_int_eq(side(&c, "udp", "127.0.0.1:40000", "127.0.0.1:6666"), -1);
    ck_assert_int_eq(side(&c, "tcp", "127.0.0.1:40001", "127.0.0.1:6666"), -1);
    ck_assert_int_eq(side(&c, "tcp", "127.0.0.1:40000", "127.0.0.1:40000"), -1);
    ck_assert_int_eq(side(&c, "tcp", "", "127.0.0.1:6666"), -1);
    ck_assert_int_eq(side(&c, "tcp", "127.0.0.1:40000", "garbage"), -1);
    /* An IPv4 connection accepted by an IPv6 "::" socket. */
    ck_assert_int_eq(side(&c, "tcp", "[::ffff:127.0.0.1]:6666", "[::ffff:127.0.0.1]:40000"),
                     SK_SERVER);

    struct sk_conv c6 = conv(6, "::1", 50000, "::1", 6666);
    ck_assert_int_eq(side(&c6, "tcp", "[::1]:50000", "[::1]:6666"), SK_CLIENT);
    ck_assert_int_eq(side(&c6, "tcp", "127.0.0.1:50000", "127.0.0.1:6666"), -1);
}
END_TEST

START_TEST(test_side_by_bound_address)
{
    struct sk_conv c = conv(6, "127.0.0.1", 40000, "127.0.0.1", 6666);
    /* socket/bind/listen of the server: only a local address. */
    ck_assert_int_eq(side(&c, "tcp", "127.0.0.1:6666", ""), SK_SERVER);
    ck_assert_int_eq(side(&c, "tcp", "0.0.0.0:6666", ""), SK_SERVER);
    ck_assert_int_eq(side(&c, "tcp", "[::]:6666", ""), SK_SERVER);
    ck_assert_int_eq(side(&c, "tcp", "127.0.0.2:6666", ""), -1);
    ck_assert_int_eq(side(&c, "tcp", "0.0.0.0:6667", ""), -1);
    ck_assert_int_eq(side(&c, "tcp", "", ""), -1);

    /* UDP: a receiver bound to 0.0.0.0 hears the sender's datagram. */
    struct sk_conv u = conv(17, "127.0.0.1", 39000, "127.0.0.1", 6666);
    ck_assert_int_eq(side(&u, "udp", "0.0.0.0:6666", "127.0.0.1:39000"), SK_SERVER);
    ck_assert_int_eq(side(&u, "udp", "127.0.0.1:39000", "127.0.0.1:6666"), SK_CLIENT);
    ck_assert_int_eq(side(&u, "tcp", "127.0.0.1:39000", "127.0.0.1:6666"), -1);
    /* An IPv4 wildcard does not receive IPv6. */
    struct sk_conv u6 = conv(17, "::1", 39000, "::1", 6666);
    ck_assert_int_eq(side(&u6, "udp", "0.0.0.0:6666", ""), -1);
    ck_assert_int_eq(side(&u6, "udp", "[::]:6666", ""), SK_SERVER);
}
END_TEST

Suite *labevents_suite(void); /* for -Wmissing-prototypes; main.c declares it too */

Suite *labevents_suite(void)
{
    Suite *s = suite_create("labevents");
    TCase *tc = tcase_create("Format");
    tcase_add_test(tc, test_round_trip_with_escapes);
    tcase_add_test(tc, test_kinds_and_negative_numbers);
    tcase_add_test(tc, test_unknown_keys_are_ignored);
    tcase_add_test(tc, test_rejects_what_is_not_an_event);
    tcase_add_test(tc, test_format_refuses_small_buffers_and_truncates_long_values);
    tcase_add_test(tc, test_kernel_state_names);
    tcase_add_test(tc, test_default_path_follows_sudo);
    tcase_add_test(tc, test_sort_by_time_then_pid_then_seq);
    suite_add_tcase(s, tc);

    tc = tcase_create("Files");
    tcase_add_checked_fixture(tc, make_dir, tmpdir_remove);
    tcase_add_test(tc, test_sidecar_save_and_load);
    tcase_add_test(tc, test_sidecar_skips_comments_blank_and_bad_lines);
    tcase_add_test(tc, test_sidecar_errors_name_the_file);
    tcase_add_test(tc, test_receive_on_a_unix_socket);
    tcase_add_test(tc, test_stale_socket_is_replaced_other_files_are_not);
    suite_add_tcase(s, tc);

    tc = tcase_create("Match");
    tcase_add_test(tc, test_endpoints_parse);
    tcase_add_test(tc, test_side_by_four_tuple);
    tcase_add_test(tc, test_side_by_bound_address);
    suite_add_tcase(s, tc);
    return s;
}
